/* Uncertainty core: distributions against their CDFs, the designs' defining properties,
 * sampled crossing times against their exact distribution, and Sobol indices of the
 * Ishigami function against their analytic values. Tolerances are stated at each check. */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "edsl_core.h"

static void test_dist_checks(void) {
  ec_error e;
  ec_dist bad[] = {
      {EC_DIST_NORMAL, 0, -1, 0, 0, NULL, 0}, {EC_DIST_LOGNORMAL, 0, 0, 0, 0, NULL, 0},
      {EC_DIST_UNIFORM, 1, 1, 0, 0, NULL, 0}, {EC_DIST_TRIANGULAR, 0, 2, 1, 0, NULL, 0},
      {EC_DIST_BETA, 0, 1, 0, 1, NULL, 0},    {EC_DIST_BETA, 1, 1, 1, 1, NULL, 0},
      {EC_DIST_NORMAL, NAN, 1, 0, 0, NULL, 0}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK(ec_dist_check(&bad[i], &e) == EC_EDOM && strlen(e.msg) > 10, "bad distribution %zu: %s",
          i, e.msg);
  double unsorted[] = {1, 3, 2};
  ec_dist emp = {EC_DIST_EMPIRICAL, 0, 0, 0, 0, unsorted, 3};
  CHECK(ec_dist_check(&emp, &e) == EC_EDOM, "unsorted draws are refused");
  ec_dist sd = {EC_DIST_NORMAL, 0.23, -0.06, 0, 0, NULL, 0};
  CHECK(ec_dist_check(&sd, &e) == EC_EDOM && strstr(e.msg, "-0.06"), "a negative SD is named: %s",
        e.msg);
}

/* cdf(quantile(u)) = u for every family, to 1e-10. */
static void test_quantile_cdf(void) {
  ec_dist d[] = {{EC_DIST_NORMAL, 0.23, 0.06, 0, 0, NULL, 0},
                 {EC_DIST_LOGNORMAL, log(0.23), 0.25, 0, 0, NULL, 0},
                 {EC_DIST_UNIFORM, 0.08, 0.17, 0, 0, NULL, 0},
                 {EC_DIST_TRIANGULAR, 0.3, 0.4, 0.5, 0, NULL, 0},
                 {EC_DIST_TRIANGULAR, 0.3, 0.3, 0.5, 0, NULL, 0},
                 {EC_DIST_BETA, 2, 5, 0.1, 0.4, NULL, 0}};
  double us[] = {0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999};
  ec_error e;
  for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
    CHECK(ec_dist_check(&d[i], &e) == EC_OK, "distribution %zu: %s", i, e.msg);
    for (size_t j = 0; j < sizeof us / sizeof *us; j++)
      CHECK_CLOSE(ec_dist_cdf(&d[i], ec_dist_quantile(&d[i], us[j])), us[j], 1e-10,
                  "cdf(quantile(u))");
  }
  double draws[] = {0.1, 0.2, 0.3, 0.4, 0.5};
  ec_dist emp = {EC_DIST_EMPIRICAL, 0, 0, 0, 0, draws, 5};
  CHECK_CLOSE(ec_dist_quantile(&emp, 0.5), 0.3, 1e-15, "median of the draws");
  CHECK_CLOSE(ec_dist_quantile(&emp, 0.125), 0.15, 1e-15, "interpolated draw quantile");
}

/* A Latin hypercube has exactly one point in each of the n strata of every axis. */
static void test_lhs_strata(void) {
  size_t n = 1000, k = 5;
  double *u = malloc(n * k * sizeof *u);
  int *seen = calloc(n, sizeof *seen);
  ec_error e;
  CHECK(ec_sample_unit(EC_SAMPLE_LHS, n, k, 42, u, &e) == EC_OK, "%s", e.msg);
  int ok = 1;
  for (size_t j = 0; j < k; j++) {
    memset(seen, 0, n * sizeof *seen);
    for (size_t i = 0; i < n; i++) {
      double x = u[i * k + j];
      ok &= x > 0 && x < 1;
      seen[(size_t)(x * (double)n)]++;
    }
    for (size_t s = 0; s < n; s++)
      ok &= seen[s] == 1;
  }
  CHECK(ok, "LHS: one point per stratum on each of %zu axes", k);
  free(seen);
  free(u);
}

static int same_points(ec_sample_method m, unsigned long s1, unsigned long s2) {
  size_t n = 500, k = 3;
  double *a = malloc(n * k * sizeof *a), *b = malloc(n * k * sizeof *b);
  ec_error e;
  ec_sample_unit(m, n, k, s1, a, &e);
  ec_sample_unit(m, n, k, s2, b, &e);
  int same = memcmp(a, b, n * k * sizeof *a) == 0;
  free(a);
  free(b);
  return same;
}

static void test_reproducible(void) {
  CHECK(same_points(EC_SAMPLE_MC, 7, 7) && !same_points(EC_SAMPLE_MC, 7, 8),
        "Monte Carlo: same seed, same points; another seed, others");
  CHECK(same_points(EC_SAMPLE_LHS, 7, 7) && !same_points(EC_SAMPLE_LHS, 7, 8),
        "LHS: same seed, same points; another seed, others");
  CHECK(same_points(EC_SAMPLE_SOBOL, 1, 2), "Sobol points do not depend on the seed");
  ec_error e;
  double u[1];
  CHECK(ec_sample_unit(EC_SAMPLE_MC, 0, 1, 1, u, &e) == EC_EDOM, "an empty sample is an error");
  double *big = malloc(2 * 41 * sizeof *big);
  CHECK(ec_sample_unit(EC_SAMPLE_SOBOL, 2, 41, 1, big, &e) == EC_EDOM && strstr(e.msg, "40"),
        "Sobol beyond 40 inputs: %s", e.msg);
  free(big);
}

/* The Nash crossing time falls as alpha rises (x0 = Q_now (e^{ln(c_now/c_star)/alpha} - 1)
 * shrinks), so its p-quantile is T at alpha's (1-p)-quantile exactly. LHS draws of a
 * lognormal alpha reproduce those quantiles to 0.5%. */
static double T_of_alpha(double alpha) {
  ec_game g = {5, 1, 1, 0.05, 0};
  g.S = ec_continuation_value(0, 5.0 / 36.0, 5, 0.05, 0.30);
  double x0 = 0.0114 * expm1(log(12.0 / 5.0) / alpha), T;
  ec_error e;
  return ec_game_T_star(&g, EC_NASH, x0, &T, &e) == EC_OK ? T : NAN;
}

static void test_sampled_crossing_quantiles(void) {
  size_t n = 20000;
  ec_dist alpha = {EC_DIST_LOGNORMAL, log(0.23), 0.25, 0, 0, NULL, 0};
  double *u = malloc(n * sizeof *u), *T = malloc(n * sizeof *T);
  ec_error e;
  CHECK(ec_sample_unit(EC_SAMPLE_LHS, n, 1, 3, u, &e) == EC_OK, "%s", e.msg);
  for (size_t i = 0; i < n; i++)
    T[i] = T_of_alpha(ec_dist_quantile(&alpha, u[i]));
  gsl_sort(T, 1, n);
  double ps[] = {0.05, 0.5, 0.95};
  for (size_t j = 0; j < 3; j++) {
    double exact = T_of_alpha(ec_dist_quantile(&alpha, 1 - ps[j]));
    double got = T[(size_t)(ps[j] * (double)n)];
    CHECK(fabs(got / exact - 1) < 5e-3, "T* quantile %g: sampled %g, exact %g", ps[j], got, exact);
  }
  free(u);
  free(T);
}

/* Correlation through the Gaussian copula: the normal scores' correlation is the one asked
 * for, to 0.02 with 20000 draws; invalid matrices are refused. */
static void test_correlation(void) {
  size_t n = 20000, k = 2;
  double *u = malloc(n * k * sizeof *u), corr[] = {1, 0.7, 0.7, 1};
  ec_error e;
  ec_sample_unit(EC_SAMPLE_MC, n, k, 11, u, &e);
  CHECK(ec_correlate(u, n, k, corr, &e) == EC_OK, "%s", e.msg);
  double sxy = 0, sxx = 0, syy = 0;
  ec_dist z = {EC_DIST_NORMAL, 0, 1, 0, 0, NULL, 0};
  for (size_t i = 0; i < n; i++) {
    double x = ec_dist_quantile(&z, u[2 * i]), y = ec_dist_quantile(&z, u[2 * i + 1]);
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  CHECK_CLOSE(sxy / sqrt(sxx * syy), 0.7, 0.02, "copula correlation");
  double not_pd[] = {1, 0.9, 0.9, 0.9, 1, -0.9, 0.9, -0.9, 1};
  CHECK(ec_correlate(u, 1, 3, not_pd, &e) == EC_EDOM && strstr(e.msg, "positive definite"),
        "not positive definite: %s", e.msg);
  double asym[] = {1, 0.5, 0.4, 1};
  CHECK(ec_correlate(u, 1, 2, asym, &e) == EC_EDOM, "an asymmetric matrix is refused");
  double diag[] = {2, 0, 0, 1};
  CHECK(ec_correlate(u, 1, 2, diag, &e) == EC_EDOM, "a non-unit diagonal is refused");
  free(u);
}

/* Ishigami f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3 (a = 7, b = 0.1): its Sobol
 * indices are known in closed form. Estimated from 2^14 Sobol points (6 dimensions: A, B),
 * they agree to 0.01. */
static double ishigami(const double *x) {
  return sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

static void test_sobol_ishigami(void) {
  size_t n = 1 << 14, k = 3;
  double a = 7, b = 0.1, pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
  double V1 = 0.5 * pow(1 + b * pi4 / 5, 2), V2 = a * a / 8, V13 = b * b * pi8 * 8 / 225;
  double V = V1 + V2 + V13;
  double S1x[] = {V1 / V, V2 / V, 0}, STx[] = {(V1 + V13) / V, V2 / V, V13 / V};
  double *uA = malloc(n * k * sizeof *uA), *uB = malloc(n * k * sizeof *uB);
  double *fA = malloc(n * sizeof *fA), *fB = malloc(n * sizeof *fB);
  double *fAB = malloc(k * n * sizeof *fAB);
  ec_error e;
  CHECK(ec_sobol_design(EC_SAMPLE_SOBOL, n, k, 0, uA, uB, &e) == EC_OK, "%s", e.msg);
  ec_dist x = {EC_DIST_UNIFORM, -M_PI, M_PI, 0, 0, NULL, 0};
  for (size_t r = 0; r < n; r++) {
    double A[3], B[3], AB[3];
    for (size_t j = 0; j < k; j++) {
      A[j] = ec_dist_quantile(&x, uA[r * k + j]);
      B[j] = ec_dist_quantile(&x, uB[r * k + j]);
    }
    fA[r] = ishigami(A);
    fB[r] = ishigami(B);
    for (size_t i = 0; i < k; i++) {
      memcpy(AB, A, sizeof AB);
      AB[i] = B[i];
      fAB[i * n + r] = ishigami(AB);
    }
  }
  double S1[3], ST[3];
  CHECK(ec_sobol_indices(n, k, fA, fB, fAB, S1, ST, &e) == EC_OK, "%s", e.msg);
  for (size_t i = 0; i < k; i++) {
    printf("Ishigami x%zu: S1 %.4f (exact %.4f)  ST %.4f (exact %.4f)\n", i + 1, S1[i], S1x[i],
           ST[i], STx[i]);
    CHECK_CLOSE(S1[i], S1x[i], 0.01, "first-order Sobol index");
    CHECK_CLOSE(ST[i], STx[i], 0.01, "total Sobol index");
  }
  double flat[4] = {1, 1, 1, 1};
  CHECK(ec_sobol_indices(2, 1, flat, flat, flat, S1, ST, &e) == EC_EDOM,
        "a constant result has no Sobol indices");
  free(uA);
  free(uB);
  free(fA);
  free(fB);
  free(fAB);
}

/* "From a fit": alpha's bootstrap draws as an empirical distribution reproduce the fit's
 * percentile interval exactly, and its SE as a normal gives alpha +- 1.96 SE. HBM data
 * (stdlib/data/hbm.edsl, 2015-2024, Q proxy e^(year - 2015)). */
static void test_from_fit(void) {
  double year[] = {2015, 2016, 2018, 2020, 2022, 2024}, price[] = {120, 60, 35, 25, 20, 15};
  double Q[6];
  for (int i = 0; i < 6; i++)
    Q[i] = exp(year[i] - 2015);
  size_t B = 10000;
  double *draws = malloc(B * sizeof *draws);
  ec_fit f, g;
  ec_error e;
  CHECK(ec_fit_wright_draws(Q, price, 6, B, 42, &f, draws, &e) == EC_OK, "%s", e.msg);
  CHECK(ec_fit_wright(Q, price, 6, B, 42, &g, &e) == EC_OK && g.boot_lo == f.boot_lo &&
            g.boot_hi == f.boot_hi,
        "keeping the draws changes nothing");
  ec_dist boot = {EC_DIST_EMPIRICAL, 0, 0, 0, 0, draws, B};
  CHECK(ec_dist_check(&boot, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(ec_dist_quantile(&boot, 0.025), f.boot_lo, 0, "2.5% draw quantile = boot_lo");
  CHECK_CLOSE(ec_dist_quantile(&boot, 0.975), f.boot_hi, 0, "97.5% draw quantile = boot_hi");
  ec_dist se = {EC_DIST_NORMAL, f.alpha, f.alpha_se, 0, 0, NULL, 0};
  CHECK_CLOSE(ec_dist_quantile(&se, 0.975), f.alpha + 1.959963984540054 * f.alpha_se, 1e-12,
              "normal by SE");
  free(draws);
}

/* Summaries: uniform(0,1) through 10^4 LHS draws has mean 1/2 and SD 1/sqrt(12) to 1e-3, and
 * its quantiles are the probabilities to 1e-4 (LHS strata are 1e-4 wide). */
static void test_summary(void) {
  size_t n = 10000;
  double *u = malloc(n * sizeof *u), probs[] = {0.05, 0.5, 0.95}, q[3];
  ec_summary s;
  ec_error e;
  ec_sample_unit(EC_SAMPLE_LHS, n, 1, 5, u, &e);
  CHECK(ec_summarize(u, n, 3, probs, 3, q, &s, &e) == EC_OK, "%s", e.msg);
  CHECK(s.n == n && s.failed == 3, "counts kept, failures too");
  CHECK_CLOSE(s.mean, 0.5, 1e-3, "mean");
  CHECK_CLOSE(s.sd, 1 / sqrt(12.0), 1e-3, "SD");
  for (int i = 0; i < 3; i++)
    CHECK_CLOSE(q[i], probs[i], 1e-4, "quantile");
  CHECK(ec_summarize(u, 1, 9, probs, 3, q, &s, &e) == EC_EDOM && strstr(e.msg, "9 failed"),
        "too few successful draws: %s", e.msg);
  double bad_p = 1.5;
  CHECK(ec_summarize(u, n, 0, &bad_p, 1, q, &s, &e) == EC_EDOM, "a probability above 1");
  free(u);
}

/* ec_sort against libc qsort (a different algorithm) on draws across many decades, with ties,
 * signed zeros, infinities and NaNs, at sizes on both sides of introsort's insertion cut-off. */
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void test_sort(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 7);
  static const size_t sizes[] = {0, 1, 2, 15, 16, 17, 100, 1000, 100003};
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    size_t n = sizes[k], nnan = 0;
    double *x = malloc((n + 1) * sizeof *x), *ref = malloc((n + 1) * sizeof *ref);
    for (size_t i = 0; i < n; i++) {
      double u = gsl_rng_uniform(r);
      x[i] = u < 0.05   ? NAN
             : u < 0.1  ? (u < 0.075 ? 0.0 : -0.0)
             : u < 0.12 ? (u < 0.11 ? INFINITY : -INFINITY)
             : u < 0.3  ? (double)(gsl_rng_uniform_int(r, 5)) /* ties */
                        : (u < 0.65 ? -1 : 1) * pow(10, 600 * gsl_rng_uniform(r) - 300);
      if (isnan(x[i]))
        nnan++;
      else
        ref[i - nnan] = x[i];
    }
    qsort(ref, n - nnan, sizeof *ref, cmp_double);
    ec_sort(x, n);
    int same = 1;
    for (size_t i = 0; i < n - nnan; i++)
      same &= x[i] == ref[i];
    for (size_t i = n - nnan; i < n; i++)
      same &= isnan(x[i]) != 0;
    CHECK(same, "ec_sort of %zu values (%zu NaN) differs from qsort's order, NaNs last", n, nnan);
    free(x);
    free(ref);
  }
  gsl_rng_free(r);
}

/* The p-quantile of a fully sorted x (NaNs last): what ec_order_quantile must give without
 * sorting. */
static double quantile_of_sorted(const double *x, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t i = (size_t)floor(h);
  if (i + 1 >= n)
    return x[n - 1];
  if (isfinite(x[i]) && isfinite(x[i + 1]))
    return gsl_stats_quantile_from_sorted_data(x, 1, n, p);
  return h == (double)i || x[i] == x[i + 1] ? x[i] : x[i + 1];
}

static int same_double(double a, double b) {
  return a == b || (isnan(a) && isnan(b));
}

/* ec_order's selected order statistics and quantiles against a full qsort, on the draws of
 * test_sort: a few quantiles (selection within the spans between fixed positions), then more
 * than EC_ORDER_FIXED (the fall-back to one sort), in random order and at both ends. */
static void test_order(void) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 11);
  static const size_t sizes[] = {1, 2, 3, 15, 17, 100, 1000, 100003};
  for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
    size_t n = sizes[z], nnan = 0;
    double *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *ref);
    for (size_t i = 0; i < n; i++) {
      double u = gsl_rng_uniform(r);
      x[i] = u < 0.05   ? NAN
             : u < 0.1  ? (u < 0.075 ? 0.0 : -0.0)
             : u < 0.12 ? (u < 0.11 ? INFINITY : -INFINITY)
             : u < 0.3  ? (double)(gsl_rng_uniform_int(r, 5))
                        : (u < 0.65 ? -1 : 1) * pow(10, 600 * gsl_rng_uniform(r) - 300);
      nnan += isnan(x[i]) != 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (!isnan(x[i]))
        ref[m++] = x[i];
    qsort(ref, m, sizeof *ref, cmp_double);
    for (size_t i = m; i < n; i++)
      ref[i] = NAN;
    ec_order o;
    ec_order_init(&o, x, n);
    int bad = 0;
    for (int q = 0; q < 3 * EC_ORDER_FIXED && !bad; q++) {
      double p = q == 0 ? 0 : q == 1 ? 1 : q < 8 ? gsl_rng_uniform(r) * 1e-3 : gsl_rng_uniform(r);
      double want = quantile_of_sorted(ref, n, p), got = ec_order_quantile(&o, p);
      size_t k = gsl_rng_uniform_int(r, n);
      double kth = ec_order_stat(&o, k);
      bad = !same_double(want, got) || !same_double(kth, ref[k]);
      CHECK(!bad,
            "n = %zu (%zu NaN), after %d quantiles: the %.17g-quantile %.17g (sorted: "
            "%.17g), order statistic %zu %.17g (sorted: %.17g)",
            n, nnan, q, p, got, want, k, kth, ref[k]);
    }
    free(x);
    free(ref);
  }
  gsl_rng_free(r);
}

int main(void) {
  ec_init();
  test_sort();
  test_order();
  test_dist_checks();
  test_quantile_cdf();
  test_lhs_strata();
  test_reproducible();
  test_sampled_crossing_quantiles();
  test_correlation();
  test_sobol_ishigami();
  test_from_fit();
  test_summary();
  return TEST_SUMMARY();
}
