/* Wright's-law learning curves and their estimation (004 §4; 003 §5.2). */
#include "core_internal.h"
#include "edsl_core.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void init_once(void) {
  gsl_set_error_handler_off();
}

void ec_init(void) {
  /* once, and safely from the sweep workers */
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, init_once);
}

static _Thread_local ec_cancel_fn cancel_fn;
static _Thread_local void *cancel_ctx;

void ec_set_cancel(ec_cancel_fn fn, void *ctx) {
  cancel_fn = fn;
  cancel_ctx = ctx;
}

int ec_cancelled(void) {
  return cancel_fn && cancel_fn(cancel_ctx);
}

double ec_wright_cost(double c0, double alpha, double Q) {
  return c0 * pow(Q, -alpha);
}

ec_status ec_wright_x0(double Q_now, double c_now, double c_star, double alpha, double *x0,
                       ec_error *err) {
  if (!(c_star > 0) || !(c_now > c_star) || !(Q_now > 0)) {
    snprintf(err->msg, sizeof err->msg,
             "the threshold needs c_now > c_star > 0 and Q_now > 0 (c_now = %g, c_star = %g, "
             "Q_now = %g)",
             c_now, c_star, Q_now);
    return EC_EDOM;
  }
  /* expm1 keeps x0's digits when c_now is close to c_star */
  *x0 = Q_now * expm1(log(c_now / c_star) / alpha);
  if (!isfinite(*x0)) {
    snprintf(err->msg, sizeof err->msg, "the threshold overflows (alpha = %g, c_now/c_star = %g)",
             alpha, c_now / c_star);
    return EC_ERANGE;
  }
  return EC_OK;
}

double ec_wright_quantity(double c0, double alpha, double c) {
  return pow(c / c0, -1.0 / alpha);
}

double ec_cost_per_doubling(double alpha) {
  return -expm1(-alpha * M_LN2); /* 1 - 2^-alpha, without losing a small alpha's digits */
}

/* OLS of y = ln c on x = ln Q; returns 0 when x has no variance. */
static int ols_alpha(const double *x, const double *y, size_t n, double *alpha, double *c0,
                     double *se, double *r2) {
  double c0_, c1, cov00, cov01, cov11, sumsq;
  if (gsl_fit_linear(x, 1, y, 1, n, &c0_, &c1, &cov00, &cov01, &cov11, &sumsq) != GSL_SUCCESS)
    return 0;
  if (!isfinite(c1) || !isfinite(cov11))
    return 0;
  *alpha = -c1;
  if (c0)
    *c0 = exp(c0_);
  if (se)
    *se = sqrt(cov11);
  if (r2) {
    double mean = gsl_stats_mean(y, 1, n), sst = 0;
    for (size_t i = 0; i < n; i++)
      sst += (y[i] - mean) * (y[i] - mean);
    *r2 = sst > 0 ? 1.0 - sumsq / sst : 1.0;
  }
  return 1;
}

/* The slope of one bootstrap resample, by the arithmetic of gsl_fit_linear (running means,
 * then running mean squares and products about them), so that the draws are the same bits
 * as fitting each resample with it; without its residual pass and the separate variance pass
 * that only checked m_dx2 > 0. 0 when the resample's x are all equal. */
static int boot_slope(const double *x, const double *y, size_t n, double *alpha) {
  double m_x = 0, m_y = 0, m_dx2 = 0, m_dxdy = 0;
  for (size_t i = 0; i < n; i++) {
    m_x += (x[i] - m_x) / (i + 1.0);
    m_y += (y[i] - m_y) / (i + 1.0);
  }
  for (size_t i = 0; i < n; i++) {
    const double dx = x[i] - m_x, dy = y[i] - m_y;
    m_dx2 += (dx * dx - m_dx2) / (i + 1.0);
    m_dxdy += (dx * dy - m_dxdy) / (i + 1.0);
  }
  double b = m_dxdy / m_dx2;
  if (!(m_dx2 > 0) || !isfinite(b))
    return 0;
  *alpha = -b;
  return 1;
}

ec_status ec_fit_wright(const double *Q, const double *c, size_t n, size_t resamples,
                        unsigned long seed, ec_fit *out, ec_error *err) {
  return ec_fit_wright_draws(Q, c, n, resamples, seed, out, NULL, err);
}

ec_status ec_fit_wright_draws(const double *Q, const double *c, size_t n, size_t resamples,
                              unsigned long seed, ec_fit *out, double *boot_draws, ec_error *err) {
  ec_init();
  if (n < 3) {
    snprintf(err->msg, sizeof err->msg,
             "a learning-curve fit needs at least 3 observations for a standard error (n = %zu)",
             n);
    return EC_EDOM;
  }
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
  double *bx = malloc(n * sizeof *bx), *by = malloc(n * sizeof *by);
  double *draws = resamples ? malloc(resamples * sizeof *draws) : NULL;
  ec_status st = EC_OK;
  for (size_t i = 0; i < n; i++) {
    if (!(Q[i] > 0) || !(c[i] > 0) || !isfinite(Q[i]) || !isfinite(c[i])) {
      snprintf(err->msg, sizeof err->msg,
               "observation %zu has cumulative output Q = %g and cost c = %g; Wright's law "
               "needs both positive and finite to take logs",
               i + 1, Q[i], c[i]);
      st = EC_EDOM;
      goto done;
    }
    x[i] = log(Q[i]);
    y[i] = log(c[i]);
  }
  out->n = n;
  if (!ols_alpha(x, y, n, &out->alpha, &out->c0, &out->alpha_se, &out->r2)) {
    snprintf(err->msg, sizeof err->msg,
             "cumulative output Q takes one value only (n = %zu): alpha is not identified", n);
    st = EC_EDOM;
    goto done;
  }
  /* Leave-one-out range: drop each observation in turn. The slope without observation k
   * comes from the centered sums downdated (Sxx - n/(n-1) dx_k^2, likewise Sxy): O(n) for
   * all n, where refitting was O(n^2) (160,000 rows took minutes). A downdate that cancels
   * (the rest nearly one Q) is refitted directly. */
  out->loo_min = out->loo_max = out->alpha;
  if (n >= 4) {
    out->loo_min = INFINITY;
    out->loo_max = -INFINITY;
    double mx = gsl_stats_mean(x, 1, n), my = gsl_stats_mean(y, 1, n), Sxx = 0, Sxy = 0;
    for (size_t i = 0; i < n; i++) {
      Sxx += (x[i] - mx) * (x[i] - mx);
      Sxy += (x[i] - mx) * (y[i] - my);
    }
    double w = (double)n / (double)(n - 1);
    for (size_t k = 0; k < n; k++) {
      double dx = x[k] - mx, dy = y[k] - my;
      double sxx = Sxx - w * dx * dx, sxy = Sxy - w * dx * dy, a;
      int ok = 1;
      if (sxx > 1e-8 * Sxx)
        a = -sxy / sxx;
      else {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
          if (i != k) {
            bx[m] = x[i];
            by[m] = y[i];
            m++;
          }
        ok = ols_alpha(bx, by, m, &a, NULL, NULL, NULL);
      }
      if (ok) {
        out->loo_min = fmin(out->loo_min, a);
        out->loo_max = fmax(out->loo_max, a);
      }
    }
  }
  /* Nonparametric pairs bootstrap, percentile interval. A resample whose Q are all equal
   * identifies no slope; it is redrawn and counted. */
  out->boot_resamples = resamples;
  out->boot_seed = seed;
  out->boot_redraws = 0;
  out->boot_lo = out->boot_hi = NAN;
  if (resamples) {
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    for (size_t s = 0; s < resamples;) {
      for (size_t i = 0; i < n; i++) {
        size_t j = gsl_rng_uniform_int(rng, n);
        bx[i] = x[j];
        by[i] = y[j];
      }
      double a;
      if (boot_slope(bx, by, n, &a)) {
        draws[s++] = a;
      } else if (++out->boot_redraws > 100 * resamples) {
        snprintf(err->msg, sizeof err->msg, "bootstrap: too many degenerate resamples (n = %zu)",
                 n);
        st = EC_EDOM;
        gsl_rng_free(rng);
        goto done;
      }
    }
    gsl_rng_free(rng);
    ec_sort(draws, resamples);
    if (boot_draws)
      memcpy(boot_draws, draws, resamples * sizeof *draws);
    out->boot_lo = gsl_stats_quantile_from_sorted_data(draws, 1, resamples, 0.025);
    out->boot_hi = gsl_stats_quantile_from_sorted_data(draws, 1, resamples, 0.975);
  }
done:
  free(x);
  free(y);
  free(bx);
  free(by);
  free(draws);
  return st;
}

/* x = ln Q, y = ln c, each observation positive and finite (else a domain error naming it). */
static ec_status wright_logs(const double *Q, const double *c, size_t n, double *x, double *y,
                             ec_error *err) {
  for (size_t i = 0; i < n; i++) {
    if (!(Q[i] > 0) || !(c[i] > 0) || !isfinite(Q[i]) || !isfinite(c[i])) {
      snprintf(err->msg, sizeof err->msg,
               "observation %zu has Q = %g and c = %g; Wright's law needs both positive", i + 1,
               Q[i], c[i]);
      return EC_EDOM;
    }
    x[i] = log(Q[i]);
    y[i] = log(c[i]);
  }
  return EC_OK;
}

ec_status ec_alpha_se_newey_west(const double *Q, const double *c, size_t n, size_t lags,
                                 double *se, ec_error *err) {
  if (n < 3 || lags >= n) {
    snprintf(err->msg, sizeof err->msg,
             "Newey-West needs 3 observations or more and fewer lags than observations (n = %zu, "
             "lags = %zu)",
             n, lags);
    return EC_EDOM;
  }
  double *x = malloc(n * sizeof *x), *u = malloc(n * sizeof *u);
  if (!x || !u) {
    free(x), free(u);
    return ec_out_of_memory("Newey-West", n, err);
  }
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(Q[i] > 0) || !(c[i] > 0) || !isfinite(Q[i]) || !isfinite(c[i])) {
      free(x), free(u);
      snprintf(err->msg, sizeof err->msg,
               "observation %zu has Q = %g and c = %g; Wright's law needs both positive", i + 1,
               Q[i], c[i]);
      return EC_EDOM;
    }
    x[i] = log(Q[i]);
    mx += (x[i] - mx) / (double)(i + 1);
    my += (log(c[i]) - my) / (double)(i + 1);
  }
  /* centered x: the slope's row of (X'X)^-1 X' is (x_i - mean)/Sxx, so its variance is
   * sum_{i,j} w_ij h_i h_j u_i u_j / Sxx^2 with h the centered x and u the residuals */
  double sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; i++) {
    double h = x[i] - mx;
    sxx += h * h;
    sxy += h * (log(c[i]) - my);
  }
  if (!(sxx > 0)) {
    free(x), free(u);
    snprintf(err->msg, sizeof err->msg, "Q takes one value only: alpha is not identified");
    return EC_EDOM;
  }
  double b = sxy / sxx;
  for (size_t i = 0; i < n; i++) {
    u[i] = (log(c[i]) - my - b * (x[i] - mx)) * (x[i] - mx); /* h_i u_i */
  }
  double S = 0;
  for (size_t i = 0; i < n; i++)
    S += u[i] * u[i];
  for (size_t l = 1; l <= lags; l++) {
    double w = 1 - (double)l / (double)(lags + 1), g = 0;
    for (size_t i = l; i < n; i++)
      g += u[i] * u[i - l];
    S += 2 * w * g;
  }
  free(x), free(u);
  *se = sqrt(fmax(S, 0)) / sxx;
  return EC_OK;
}

ec_status ec_alpha_block_bootstrap(const double *Q, const double *c, size_t n, size_t block,
                                   size_t resamples, unsigned long seed, double *lo, double *hi,
                                   ec_error *err) {
  ec_init();
  if (n < 3 || block < 1 || block > n || resamples < 2) {
    snprintf(err->msg, sizeof err->msg,
             "a block bootstrap needs n >= 3, a block of 1 to n observations and 2 resamples or "
             "more (n = %zu, block = %zu, resamples = %zu)",
             n, block, resamples);
    return EC_EDOM;
  }
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y), *bx = malloc(n * sizeof *bx),
         *by = malloc(n * sizeof *by), *draws = malloc(resamples * sizeof *draws);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  ec_status st = EC_OK;
  if (!x || !y || !bx || !by || !draws || !rng) {
    st = ec_out_of_memory("the block bootstrap", n + resamples, err);
    goto done;
  }
  if ((st = wright_logs(Q, c, n, x, y, err)))
    goto done;
  gsl_rng_set(rng, seed);
  size_t redraws = 0, starts = n - block + 1;
  for (size_t s = 0; s < resamples;) {
    if (ec_cancelled()) {
      st = ec_canceled("the block bootstrap", err);
      goto done;
    }
    for (size_t m = 0; m < n;) {
      size_t b0 = gsl_rng_uniform_int(rng, starts);
      for (size_t k = 0; k < block && m < n; k++, m++) {
        bx[m] = x[b0 + k];
        by[m] = y[b0 + k];
      }
    }
    double a;
    if (ols_alpha(bx, by, n, &a, NULL, NULL, NULL) && gsl_stats_variance(bx, 1, n) > 0)
      draws[s++] = a;
    else if (++redraws > 100 * resamples) {
      snprintf(err->msg, sizeof err->msg,
               "block bootstrap: too many resamples with one Q (n = %zu, block = %zu)", n, block);
      st = EC_EDOM;
      goto done;
    }
  }
  ec_sort(draws, resamples);
  *lo = gsl_stats_quantile_from_sorted_data(draws, 1, resamples, 0.025);
  *hi = gsl_stats_quantile_from_sorted_data(draws, 1, resamples, 0.975);
done:
  if (rng)
    gsl_rng_free(rng);
  free(x), free(y), free(bx), free(by), free(draws);
  return st;
}

/* The dynamic programme of ec_breaks: with start NULL it fills ssr_all[k], the least SSR
 * with k breaks for k = 0..m (INFINITY where no split has every segment a slope). */
static ec_status breaks_run(const double *Q, const double *c, size_t n, size_t m, size_t h,
                            size_t *start, double *alpha, double *ssr, double *ssr_all,
                            ec_error *err) {
  if (h < 2 || n > EC_BREAKS_MAX_N || (m + 1) * h > n) {
    snprintf(err->msg, sizeof err->msg,
             "%zu breaks with segments of at least %zu observations need (breaks + 1) x "
             "segment <= n, a segment of 2 or more, and n <= %d (n = %zu)",
             m, h, EC_BREAKS_MAX_N, n);
    return EC_EDOM;
  }
  double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
  double *seg = malloc(n * n * sizeof *seg); /* seg[i*n+j]: SSR of observations i..j */
  double *best = malloc((m + 1) * n * sizeof *best);
  size_t *from = malloc((m + 1) * n * sizeof *from);
  ec_status st = EC_OK;
  if (!x || !y || !seg || !best || !from) {
    st = ec_out_of_memory("the break search", n * n, err);
    goto done;
  }
  for (size_t t = 0; t < (m + 1) * n; t++)
    best[t] = INFINITY, from[t] = 0;
  if ((st = wright_logs(Q, c, n, x, y, err)))
    goto done;
  /* every segment's SSR = Syy - Sxy^2/Sxx, from co-moments updated one point at a time */
  for (size_t i = 0; i < n; i++) {
    if (i % 64 == 0 && ec_cancelled()) {
      st = ec_canceled("the break search", err);
      goto done;
    }
    double mx = 0, my = 0, cxx = 0, cxy = 0, cyy = 0;
    for (size_t j = i; j < n; j++) {
      double k = (double)(j - i + 1), dx = x[j] - mx, dy = y[j] - my;
      mx += dx / k;
      my += dy / k;
      cxx += dx * (x[j] - mx);
      cxy += dx * (y[j] - my);
      cyy += dy * (y[j] - my);
      seg[i * n + j] = cxx > 1e-300 ? fmax(cyy - cxy * cxy / cxx, 0) : INFINITY;
    }
  }
  /* best[k*n + j]: least SSR of observations 0..j in k+1 segments */
  for (size_t j = 0; j < n; j++)
    best[j] = j + 1 >= h ? seg[j] : INFINITY;
  for (size_t k = 1; k <= m; k++)
    for (size_t j = 0; j < n; j++) {
      best[k * n + j] = INFINITY;
      from[k * n + j] = 0;
      for (size_t i = k * h; i + h <= j + 1; i++) { /* the last segment: i..j */
        double v = best[(k - 1) * n + i - 1] + seg[i * n + j];
        if (v < best[k * n + j])
          best[k * n + j] = v, from[k * n + j] = i;
      }
    }
  if (!start) {
    for (size_t k = 0; k <= m; k++)
      ssr_all[k] = best[k * n + n - 1];
    goto done;
  }
  if (!isfinite(best[m * n + n - 1])) {
    snprintf(err->msg, sizeof err->msg,
             "no split into %zu segments of at least %zu observations gives every segment two "
             "values of Q",
             m + 1, h);
    st = EC_EDOM;
    goto done;
  }
  *ssr = best[m * n + n - 1];
  size_t j = n - 1;
  for (size_t k = m; k >= 1; k--) {
    start[k - 1] = from[k * n + j];
    j = start[k - 1] - 1;
  }
  for (size_t k = 0; k <= m; k++) {
    size_t a = k ? start[k - 1] : 0, b = k < m ? start[k] : n;
    double al;
    if (!ols_alpha(x + a, y + a, b - a, &al, NULL, NULL, NULL)) {
      snprintf(err->msg, sizeof err->msg, "regime %zu has no slope", k + 1);
      st = EC_EDOM;
      goto done;
    }
    alpha[k] = al;
  }
done:
  free(x), free(y), free(seg), free(best), free(from);
  return st;
}

ec_status ec_breaks(const double *Q, const double *c, size_t n, size_t m, size_t h, size_t *start,
                    double *alpha, double *ssr, ec_error *err) {
  return breaks_run(Q, c, n, m, h, start, alpha, ssr, NULL, err);
}

ec_status ec_breaks_ssr(const double *Q, const double *c, size_t n, size_t m, size_t h, double *ssr,
                        ec_error *err) {
  return breaks_run(Q, c, n, m, h, NULL, NULL, NULL, ssr, err);
}
