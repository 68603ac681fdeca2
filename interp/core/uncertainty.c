/* Uncertain parameters: distributions by their inverse CDFs, the three sampling designs
 * (Monte Carlo, Latin hypercube, Sobol points) on GSL, a Gaussian copula for correlation,
 * and the Saltelli/Jansen estimators of Sobol sensitivity indices. */
#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core_internal.h"
#include "edsl_core.h"

/* GSL's Sobol generator goes up to 40 dimensions. */
enum { SOBOL_MAX_DIM = 40 };

static int finite4(const ec_dist *d) {
  return isfinite(d->p1) && isfinite(d->p2) && isfinite(d->p3) && isfinite(d->p4);
}

ec_status ec_dist_check(const ec_dist *d, ec_error *err) {
  const char *why = NULL;
  if (!finite4(d))
    why = "its parameters must be finite";
  else
    switch (d->kind) {
    case EC_DIST_NORMAL:
    case EC_DIST_LOGNORMAL:
      if (!(d->p2 > 0))
        why = "the standard deviation must be positive";
      break;
    case EC_DIST_UNIFORM:
      if (!(d->p1 < d->p2))
        why = "it needs lo < hi";
      break;
    case EC_DIST_TRIANGULAR:
      if (!(d->p1 <= d->p2 && d->p2 <= d->p3 && d->p1 < d->p3))
        why = "it needs lo <= mode <= hi and lo < hi";
      break;
    case EC_DIST_BETA:
      if (!(d->p1 > 0 && d->p2 > 0))
        why = "its shapes a and b must be positive";
      else if (!(d->p3 < d->p4))
        why = "its support needs lo < hi";
      break;
    case EC_DIST_EMPIRICAL:
      if (d->ndraws < 2)
        why = "it needs at least 2 draws";
      for (size_t i = 1; !why && i < d->ndraws; i++)
        if (!(d->draws[i - 1] <= d->draws[i]))
          why = "its draws must be finite and sorted";
      break;
    }
  if (!why)
    return EC_OK;
  switch (d->kind) {
  case EC_DIST_NORMAL:
    snprintf(err->msg, sizeof err->msg, "normal(%g, %g): %s", d->p1, d->p2, why);
    break;
  case EC_DIST_LOGNORMAL:
    snprintf(err->msg, sizeof err->msg, "lognormal with log-mean %g and log-sd %g: %s", d->p1,
             d->p2, why);
    break;
  case EC_DIST_UNIFORM:
    snprintf(err->msg, sizeof err->msg, "uniform(%g, %g): %s", d->p1, d->p2, why);
    break;
  case EC_DIST_TRIANGULAR:
    snprintf(err->msg, sizeof err->msg, "triangular(%g, %g, %g): %s", d->p1, d->p2, d->p3, why);
    break;
  case EC_DIST_BETA:
    snprintf(err->msg, sizeof err->msg, "beta(%g, %g, %g, %g): %s", d->p1, d->p2, d->p3, d->p4,
             why);
    break;
  case EC_DIST_EMPIRICAL:
    snprintf(err->msg, sizeof err->msg, "the empirical distribution of %zu draws: %s", d->ndraws,
             why);
    break;
  }
  return EC_EDOM;
}

double ec_dist_quantile(const ec_dist *d, double u) {
  switch (d->kind) {
  case EC_DIST_NORMAL:
    return d->p1 + d->p2 * gsl_cdf_ugaussian_Pinv(u);
  case EC_DIST_LOGNORMAL:
    return gsl_cdf_lognormal_Pinv(u, d->p1, d->p2);
  case EC_DIST_UNIFORM:
    return d->p1 + (d->p2 - d->p1) * u;
  case EC_DIST_TRIANGULAR: {
    double a = d->p1, c = d->p2, b = d->p3, Fc = (c - a) / (b - a);
    return u < Fc ? a + sqrt(u * (b - a) * (c - a)) : b - sqrt((1 - u) * (b - a) * (b - c));
  }
  case EC_DIST_BETA:
    return d->p3 + (d->p4 - d->p3) * gsl_cdf_beta_Pinv(u, d->p1, d->p2);
  case EC_DIST_EMPIRICAL:
    return gsl_stats_quantile_from_sorted_data(d->draws, 1, d->ndraws, u);
  }
  return NAN;
}

double ec_dist_cdf(const ec_dist *d, double x) {
  switch (d->kind) {
  case EC_DIST_NORMAL:
    return gsl_cdf_gaussian_P(x - d->p1, d->p2);
  case EC_DIST_LOGNORMAL:
    return x > 0 ? gsl_cdf_lognormal_P(x, d->p1, d->p2) : 0;
  case EC_DIST_UNIFORM:
    return x <= d->p1 ? 0 : x >= d->p2 ? 1 : (x - d->p1) / (d->p2 - d->p1);
  case EC_DIST_TRIANGULAR: {
    double a = d->p1, c = d->p2, b = d->p3;
    if (x <= a)
      return 0;
    if (x >= b)
      return 1;
    return x <= c ? (x - a) * (x - a) / ((b - a) * (c - a))
                  : 1 - (b - x) * (b - x) / ((b - a) * (b - c));
  }
  case EC_DIST_BETA:
    return gsl_cdf_beta_P((x - d->p3) / (d->p4 - d->p3), d->p1, d->p2);
  case EC_DIST_EMPIRICAL: {
    size_t below = 0;
    while (below < d->ndraws && d->draws[below] <= x)
      below++;
    return (double)below / (double)d->ndraws;
  }
  }
  return NAN;
}

/* Keeps unit points inside (0, 1), where every inverse CDF is finite. */
static double open_unit(double u) {
  return u <= 0 ? DBL_EPSILON : u >= 1 ? 1 - DBL_EPSILON : u;
}

struct ec_mc_stream {
  gsl_rng *rng;
};

ec_mc_stream *ec_mc_open(unsigned long seed) {
  ec_mc_stream *s = malloc(sizeof *s);
  if (!s || !(s->rng = gsl_rng_alloc(gsl_rng_mt19937))) {
    free(s);
    return NULL;
  }
  gsl_rng_set(s->rng, seed);
  return s;
}

void ec_mc_draw(ec_mc_stream *s, double *u, size_t count) {
  for (size_t i = 0; i < count; i++)
    u[i] = gsl_rng_uniform_pos(s->rng);
}

void ec_mc_close(ec_mc_stream *s) {
  if (s)
    gsl_rng_free(s->rng);
  free(s);
}

ec_status ec_sample_unit(ec_sample_method m, size_t n, size_t k, unsigned long seed, double *u,
                         ec_error *err) {
  if (n < 1 || k < 1) {
    snprintf(err->msg, sizeof err->msg,
             "a sample needs at least one draw of one input (n = %zu, "
             "inputs = %zu)",
             n, k);
    return EC_EDOM;
  }
  if (m == EC_SAMPLE_SOBOL) {
    if (k > SOBOL_MAX_DIM) {
      snprintf(err->msg, sizeof err->msg,
               "Sobol points go up to %d uncertain inputs, got %zu: use lhs or montecarlo",
               SOBOL_MAX_DIM, k);
      return EC_EDOM;
    }
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)k);
    double *skip = malloc(k * sizeof *skip);
    gsl_qrng_get(q, skip); /* the first Sobol point is the origin: skip it */
    for (size_t i = 0; i < n; i++) {
      gsl_qrng_get(q, u + i * k);
      for (size_t j = 0; j < k; j++)
        u[i * k + j] = open_unit(u[i * k + j]);
    }
    free(skip);
    gsl_qrng_free(q);
    return EC_OK;
  }
  if (m == EC_SAMPLE_MC) {
    ec_mc_stream *mc = ec_mc_open(seed);
    if (!mc) {
      snprintf(err->msg, sizeof err->msg, "out of memory for the random stream");
      return EC_EDOM;
    }
    ec_mc_draw(mc, u, n * k);
    ec_mc_close(mc);
    return EC_OK;
  }
  /* Latin hypercube: on each axis a seeded permutation of the n strata, a uniform point
   * inside each */
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  size_t *perm = malloc(n * sizeof *perm);
  for (size_t j = 0; j < k; j++) {
    for (size_t i = 0; i < n; i++)
      perm[i] = i;
    gsl_ran_shuffle(rng, perm, n, sizeof *perm);
    for (size_t i = 0; i < n; i++)
      u[i * k + j] = open_unit(((double)perm[i] + gsl_rng_uniform_pos(rng)) / (double)n);
  }
  free(perm);
  gsl_rng_free(rng);
  return EC_OK;
}

ec_status ec_correlate(double *u, size_t n, size_t k, const double *corr, ec_error *err) {
  ec_init();
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < k; j++) {
      double c = corr[i * k + j];
      if (!isfinite(c) || (i == j && c != 1) || fabs(c) > 1 || fabs(c - corr[j * k + i]) > 1e-12) {
        snprintf(err->msg, sizeof err->msg,
                 "not a correlation matrix: entry (%zu, %zu) = %g (it needs a unit diagonal, "
                 "entries in [-1, 1] and symmetry)",
                 i + 1, j + 1, c);
        return EC_EDOM;
      }
    }
  gsl_matrix *L = gsl_matrix_alloc(k, k);
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < k; j++)
      gsl_matrix_set(L, i, j, corr[i * k + j]);
  if (gsl_linalg_cholesky_decomp1(L) != GSL_SUCCESS) {
    gsl_matrix_free(L);
    snprintf(err->msg, sizeof err->msg,
             "the correlation matrix of the %zu uncertain inputs is not positive definite", k);
    return EC_EDOM;
  }
  double *z = malloc(k * sizeof *z);
  for (size_t r = 0; r < n; r++) {
    double *row = u + r * k;
    for (size_t j = 0; j < k; j++)
      z[j] = gsl_cdf_ugaussian_Pinv(row[j]);
    for (size_t i = 0; i < k; i++) {
      double s = 0;
      for (size_t j = 0; j <= i; j++)
        s += gsl_matrix_get(L, i, j) * z[j];
      row[i] = open_unit(gsl_cdf_ugaussian_P(s));
    }
  }
  free(z);
  gsl_matrix_free(L);
  return EC_OK;
}

ec_status ec_sobol_indices(size_t n, size_t k, const double *fA, const double *fB,
                           const double *fAB, double *S1, double *ST, ec_error *err) {
  /* the variance of f over A and B together */
  double mean = 0, V = 0;
  for (size_t r = 0; r < n; r++)
    mean += fA[r] + fB[r];
  mean /= (double)(2 * n);
  for (size_t r = 0; r < n; r++)
    V += (fA[r] - mean) * (fA[r] - mean) + (fB[r] - mean) * (fB[r] - mean);
  V /= (double)(2 * n - 1);
  if (!(V > 0) || !isfinite(V)) {
    snprintf(err->msg, sizeof err->msg,
             "Sobol indices need a result that varies over the sample (variance %g over %zu "
             "draws)",
             V, 2 * n);
    return EC_EDOM;
  }
  for (size_t i = 0; i < k; i++) {
    const double *fi = fAB + i * n;
    double s1 = 0, st = 0;
    for (size_t r = 0; r < n; r++) {
      s1 += fB[r] * (fi[r] - fA[r]);
      st += (fA[r] - fi[r]) * (fA[r] - fi[r]);
    }
    S1[i] = s1 / (double)n / V;
    ST[i] = st / (2.0 * (double)n) / V;
  }
  return EC_OK;
}

/* One estimate over the rows idx[0..n) (all rows when idx is NULL); NAN without variance. */
static double sobol_estimate(size_t n, const double *fA, const double *fB, const double *fi,
                             const size_t *idx, int first) {
  double mean = 0, V = 0, sum = 0;
  for (size_t r = 0; r < n; r++) {
    size_t j = idx ? idx[r] : r;
    mean += fA[j] + fB[j];
  }
  mean /= (double)(2 * n);
  for (size_t r = 0; r < n; r++) {
    size_t j = idx ? idx[r] : r;
    V += (fA[j] - mean) * (fA[j] - mean) + (fB[j] - mean) * (fB[j] - mean);
    sum += first ? fB[j] * (fi[j] - fA[j]) : (fA[j] - fi[j]) * (fA[j] - fi[j]);
  }
  V /= (double)(2 * n - 1);
  if (!(V > 0) || !isfinite(V))
    return NAN;
  return first ? sum / (double)n / V : sum / (2.0 * (double)n) / V;
}

ec_status ec_sobol_interval(size_t n, const double *fA, const double *fB, const double *fABi,
                            int first, size_t nboot, unsigned long seed, double level, double *lo,
                            double *hi, ec_error *err) {
  if (nboot < 2 || n < 2 || !(level > 0 && level < 1)) {
    snprintf(err->msg, sizeof err->msg,
             "a bootstrap interval needs 2 or more resamples of 2 or more rows at a level in "
             "(0, 1) (%zu resamples, %zu rows, level %g)",
             nboot, n, level);
    return EC_EDOM;
  }
  size_t *idx = malloc(n * sizeof *idx);
  double *est = malloc(nboot * sizeof *est);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  ec_status st = EC_OK;
  if (!idx || !est || !rng) {
    st = ec_out_of_memory("the Sobol bootstrap", n + nboot, err);
    goto done;
  }
  gsl_rng_set(rng, seed);
  for (size_t b = 0; b < nboot; b++) {
    if (ec_cancelled()) {
      st = ec_canceled("the Sobol bootstrap", err);
      goto done;
    }
    for (size_t r = 0; r < n; r++)
      idx[r] = gsl_rng_uniform_int(rng, n);
    est[b] = sobol_estimate(n, fA, fB, fABi, idx, first);
    if (isnan(est[b])) {
      snprintf(err->msg, sizeof err->msg,
               "resample %zu of the Sobol bootstrap has a result with no variance: too few "
               "distinct base points (%zu)",
               b + 1, n);
      st = EC_EDOM;
      goto done;
    }
  }
  ec_sort(est, nboot);
  *lo = gsl_stats_quantile_from_sorted_data(est, 1, nboot, (1 - level) / 2);
  *hi = gsl_stats_quantile_from_sorted_data(est, 1, nboot, (1 + level) / 2);
done:
  if (rng)
    gsl_rng_free(rng);
  free(idx);
  free(est);
  return st;
}

ec_status ec_sobol_design(ec_sample_method m, size_t n, size_t k, unsigned long seed, double *A,
                          double *B, ec_error *err) {
  double *u = malloc(n * 2 * k * sizeof *u);
  ec_status st = ec_sample_unit(m, n, 2 * k, seed, u, err);
  for (size_t r = 0; st == EC_OK && r < n; r++)
    for (size_t j = 0; j < k; j++) {
      A[r * k + j] = u[r * 2 * k + j];
      B[r * k + j] = u[r * 2 * k + k + j];
    }
  free(u);
  return st;
}

ec_status ec_summarize(double *x, size_t n, size_t failed, const double *probs, size_t nq,
                       double *quantiles, ec_summary *out, ec_error *err) {
  out->n = n;
  out->failed = failed;
  if (n < 2) {
    snprintf(err->msg, sizeof err->msg,
             "%zu successful draws (%zu failed): a summary needs at least 2", n, failed);
    return EC_EDOM;
  }
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i])) {
      snprintf(err->msg, sizeof err->msg, "draw %zu is not finite (%g)", i + 1, x[i]);
      return EC_EDOM;
    }
  out->mean = gsl_stats_mean(x, 1, n);
  out->sd = gsl_stats_sd_m(x, 1, n, out->mean);
  ec_sort(x, n);
  for (size_t q = 0; q < nq; q++) {
    if (!(probs[q] >= 0 && probs[q] <= 1)) {
      snprintf(err->msg, sizeof err->msg, "a quantile's probability must lie in [0, 1], got %g",
               probs[q]);
      return EC_EDOM;
    }
    quantiles[q] = gsl_stats_quantile_from_sorted_data(x, 1, n, probs[q]);
  }
  return EC_OK;
}
