/* Learning curves' builtins: Wright's law c(Q) = c0 Q^-alpha given or fitted by OLS of ln c
 * on ln Q (the fit is eval.c's ev_curve_fit, shared by every statistic of one curve): alpha,
 * its standard error, interval and leave-one-out range, R^2, the intercept c0, fitted values,
 * residuals, and the cost at a new Q. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"
#include "core/edsl_core.h"
#include "eval_internal.h"
#include "uncertain.h"

static int check_finite(Eval *ev, double v, const IrExpr *e) {
  if (isnan(v))
    return ev_fail(ev, EV_NUMERIC, e->span,
                   "the result is not a number (a formula left its domain)");
  return 0;
}

static int alpha_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return ev_curve_alpha(ev, a[0].decl, &out->num, e->span);
}

static int cost_per_doubling_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  double al;
  if (ev_curve_alpha(ev, a[0].decl, &al, e->span))
    return -1;
  out->num = ec_cost_per_doubling(al);
  return 0;
}

/* A statistic of the curve's fit; ci: it needs the bootstrap. */
static int fit_stat(Eval *ev, const IrExpr *e, const Value *a, int ci, ec_fit *fit) {
  if (ev_curve_fit(ev, a[0].decl, fit, e->span, ci))
    return -1;
  if (ci && !fit->boot_resamples)
    return ev_fail(ev, EV_INPUT, e->span,
                   "learning_curve '%s' has no bootstrap: set 'bootstrap = 10000' in it",
                   a[0].decl->name);
  return 0;
}

#define FIT_FN(fn, expr, ci)                                                                       \
  static int fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                           \
    ec_fit fit;                                                                                    \
    if (fit_stat(ev, e, a, ci, &fit))                                                              \
      return -1;                                                                                   \
    out->num = (expr);                                                                             \
    return check_finite(ev, out->num, e);                                                          \
  }
FIT_FN(alpha_se_fn, fit.alpha_se, 0)
FIT_FN(r_squared_fn, fit.r2, 0)
FIT_FN(n_obs_fn, (double)fit.n, 0)
FIT_FN(alpha_loo_min_fn, fit.loo_min, 0)
FIT_FN(alpha_loo_max_fn, fit.loo_max, 0)
FIT_FN(alpha_ci_lo_fn, fit.boot_lo, 1)
FIT_FN(alpha_ci_hi_fn, fit.boot_hi, 1)

/* out as a list of n numbers, in the run's arena. */
static void list_out(Eval *ev, Value *out, int n) {
  out->type = T_VEC;
  out->n = n;
  out->vec = arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *out->vec);
}

/* The fit's c0, and the observations it used (after `where` and missing values). */
static int fit_data(Eval *ev, const IrExpr *e, const Value *a, ec_fit *fit, double **q, double **c,
                    int *n) {
  double boot;
  if (ev_curve_fit_data(ev, a[0].decl, fit, e->span, 0, q, c, n, &boot))
    return -1;
  return 0;
}

/* c0(curve): the fitted cost at Q = 1 (in Q's canonical unit), in c's unit. */
static int c0_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_fit fit;
  if (fit_stat(ev, e, a, 0, &fit))
    return -1;
  out->num = fit.c0;
  return check_finite(ev, out->num, e);
}

/* fitted(curve) or residuals(curve): c0 Q_i^-alpha at each observation used, or the log
 * residuals ln c_i - ln(c0 Q_i^-alpha). */
static int fitted_or_residuals(Eval *ev, const IrExpr *e, const Value *a, Value *out, int resid) {
  ec_fit fit;
  double *q, *c;
  int n;
  if (fit_data(ev, e, a, &fit, &q, &c, &n))
    return -1;
  list_out(ev, out, n);
  for (int i = 0; i < n; i++) {
    double ln_hat = log(fit.c0) - fit.alpha * log(q[i]);
    out->vec[i] = resid ? log(c[i]) - ln_hat : exp(ln_hat);
  }
  return 0;
}

static int fitted_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return fitted_or_residuals(ev, e, a, out, 0);
}

static int residuals_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return fitted_or_residuals(ev, e, a, out, 1);
}

/* alpha_recursive(curve): the expanding-window estimates, alpha fitted on the first k
 * observations used, for each k (missing, NA, for k < 3 and while Q has one value). Means and
 * co-moments are updated one observation at a time (Welford), so a long series stays O(n)
 * and free of the cancellation of raw sums. */
static int alpha_recursive_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_fit fit;
  double *q, *c;
  int n;
  if (fit_data(ev, e, a, &fit, &q, &c, &n))
    return -1;
  list_out(ev, out, n);
  double mx = 0, my = 0, cxx = 0, cxy = 0;
  for (int k = 0; k < n; k++) {
    double x = log(q[k]), y = log(c[k]), dx = x - mx;
    mx += dx / (k + 1);
    my += (y - my) / (k + 1);
    cxx += dx * (x - mx);
    cxy += dx * (y - my);
    out->vec[k] = k >= 2 && cxx > 0 ? -cxy / cxx : NAN;
  }
  return 0;
}

/* alpha_se_nw(curve, lags): alpha's Newey-West standard error over the observations the fit
 * used. The lags are at most 10^4 (the sum is O(n lags)). */
static int alpha_se_nw_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_fit fit;
  double *q, *c;
  int n;
  double L = a[1].num;
  if (!(L >= 0) || L != floor(L) || L > 10000)
    return ev_fail(ev, EV_INPUT, e->args[1]->span,
                   "alpha_se_nw(curve, lags) takes a whole number of lags from 0 to 10000, got %g",
                   L);
  if (fit_data(ev, e, a, &fit, &q, &c, &n))
    return -1;
  ec_error err;
  ec_status st = ec_alpha_se_newey_west(q, c, (size_t)n, (size_t)L, &out->num, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "learning_curve '%s': %s", a[0].decl->name, err.msg);
  return 0;
}

/* alpha_ci_block_lo/hi(curve, block): the 95% moving-block bootstrap interval of alpha, with
 * the curve's `bootstrap` resamples (the same draws for lo and hi: one seed). */
static int block_ci(Eval *ev, const IrExpr *e, const Value *a, Value *out, int hi_end) {
  ec_fit fit;
  double *q, *c, boot;
  int n;
  double b = a[1].num;
  if (!(b >= 1) || b != floor(b) || b > 1e6)
    return ev_fail(ev, EV_INPUT, e->args[1]->span,
                   "the block length must be a whole number of observations from 1, got %g", b);
  if (ev_curve_fit_data(ev, a[0].decl, &fit, e->span, 0, &q, &c, &n, &boot))
    return -1;
  if (!boot)
    return ev_fail(ev, EV_INPUT, e->span,
                   "learning_curve '%s' has no bootstrap: set 'bootstrap = 10000' in it",
                   a[0].decl->name);
  char stream[300];
  snprintf(stream, sizeof stream, "%s.block_bootstrap", a[0].decl->name);
  double lo, hi;
  ec_error err;
  ec_status st = ec_alpha_block_bootstrap(q, c, (size_t)n, (size_t)b, (size_t)boot,
                                          ev_stream_seed(ev->seed, stream), &lo, &hi, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "learning_curve '%s': %s", a[0].decl->name, err.msg);
  out->num = hi_end ? hi : lo;
  return 0;
}

static int alpha_ci_block_lo_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return block_ci(ev, e, a, out, 0);
}

static int alpha_ci_block_hi_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return block_ci(ev, e, a, out, 1);
}

/* The arguments every break builtin takes: a whole number of breaks m from least_m to 20, a
 * least segment h >= 2, and the curve's data as fitted. */
static int break_input(Eval *ev, const IrExpr *e, const Value *a, int least_m, double **q,
                       double **c, int *n) {
  double m = a[1].num, h = a[2].num;
  if (!(m >= least_m) || m != floor(m) || m > 20 || !(h >= 2) || h != floor(h) || h > 1e6)
    return ev_fail(ev, EV_INPUT, e->span,
                   "%s takes a whole number of breaks from %d to 20 and a least segment of 2 "
                   "observations or more (m = %g, h = %g)",
                   e->fn->name, least_m, m, h);
  ec_fit fit;
  return fit_data(ev, e, a, &fit, q, c, n);
}

/* break_starts(curve, m, h) and regime_alphas(curve, m, h): Bai-Perron's m breaks with
 * segments of at least h observations: where regimes 2..m+1 start (1-based observation
 * numbers of the fit), or the m + 1 regimes' alphas. */
static int breaks(Eval *ev, const IrExpr *e, const Value *a, Value *out, int alphas) {
  double *q, *c, ssr;
  int n;
  if (break_input(ev, e, a, 1, &q, &c, &n))
    return -1;
  int m = (int)a[1].num;
  size_t start[20];
  double al[21];
  ec_error err;
  ec_status st = ec_breaks(q, c, (size_t)n, (size_t)m, (size_t)a[2].num, start, al, &ssr, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "learning_curve '%s': %s", a[0].decl->name, err.msg);
  int k = alphas ? m + 1 : m;
  list_out(ev, out, k);
  for (int i = 0; i < k; i++)
    out->vec[i] = alphas ? al[i] : (double)start[i] + 1;
  return 0;
}

static int break_starts_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return breaks(ev, e, a, out, 0);
}

static int regime_alphas_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return breaks(ev, e, a, out, 1);
}

/* break_count(curve, m_max, h): the number of breaks, 0 to m_max, that minimizes Bai and
 * Perron's BIC, ln(SSR_m / n) + (3m + 2) ln(n) / n (two coefficients per regime and the m
 * dates). sup_F(curve, m, h): the F statistic of 0 against m breaks at the least-SSR split,
 * ((SSR_0 - SSR_m) / 2m) / (SSR_m / (n - 2(m + 1))), Bai and Perron's supF_T(m) with
 * homoskedastic errors (compare with their tables' critical values for q = 2, eps = h/n). */
static int break_stats(Eval *ev, const IrExpr *e, const Value *a, Value *out, int count) {
  double *q, *c, ssr[21], m = a[1].num, h = a[2].num;
  int n;
  if (break_input(ev, e, a, count ? 0 : 1, &q, &c, &n))
    return -1;
  ec_error err;
  ec_status st = ec_breaks_ssr(q, c, (size_t)n, (size_t)m, (size_t)h, ssr, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "learning_curve '%s': %s", a[0].decl->name, err.msg);
  int M = (int)m;
  if (!count) {
    double dof = n - 2.0 * (M + 1);
    if (!isfinite(ssr[M]) || !isfinite(ssr[0]) || dof < 1 || !(ssr[M] > 0))
      return ev_fail(ev, EV_DOMAIN, e->span, "sup_F(%s, %d, %g): %s", a[0].decl->name, M, h,
                     dof < 1      ? "no degrees of freedom are left for the residual variance"
                     : ssr[M] > 0 ? "no split into segments that each have a slope"
                                  : "the segments fit exactly (SSR = 0): F is infinite");
    *out = ev_num((ssr[0] - ssr[M]) / (2.0 * M) / (ssr[M] / dof), DIM_NONE);
    return 0;
  }
  int arg = -1;
  double bic_best = INFINITY;
  for (int k = 0; k <= M; k++) {
    if (!isfinite(ssr[k]))
      continue;
    double bic = ssr[k] > 0 ? log(ssr[k] / n) + (3.0 * k + 2) * log((double)n) / n : -INFINITY;
    if (bic < bic_best) /* ties keep the fewer breaks */
      bic_best = bic, arg = k;
  }
  if (arg < 0)
    return ev_fail(ev, EV_DOMAIN, e->span,
                   "break_count(%s, %d, %g): no split has every segment "
                   "a slope",
                   a[0].decl->name, M, h);
  *out = ev_num(arg, DIM_NONE);
  return 0;
}

static int break_count_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return break_stats(ev, e, a, out, 1);
}

static int sup_F_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return break_stats(ev, e, a, out, 0);
}

/* cost(curve, Q): Wright's law at a new Q (a number or a list), c0 Q^-alpha. A curve given
 * by alpha and c0 needs no data. */
static int cost_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  Decl *d = a[0].decl;
  double alpha, c0;
  int hc = ev_field_num(ev, d, F_CURVE_c0, &c0, e->span, 0);
  if (hc < 0)
    return -1;
  int ha = hc ? ev_field_num(ev, d, F_CURVE_alpha, &alpha, e->span, 0) : 0;
  if (ha < 0)
    return -1;
  if (!ha) { /* not given both: the fit's */
    ec_fit fit;
    if (fit_stat(ev, e, a, 0, &fit))
      return -1;
    alpha = fit.alpha, c0 = fit.c0;
  }
  int vec = a[1].type == T_VEC, n = vec ? a[1].n : 1;
  double *res = vec ? arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *res) : &out->num;
  for (int i = 0; i < n; i++) {
    double Q = vec ? a[1].vec[i] : a[1].num;
    if (isnan(Q)) { /* missing in, missing out */
      res[i] = NAN;
      continue;
    }
    if (!(Q > 0) || !isfinite(Q))
      return ev_fail(ev, EV_DOMAIN, e->args[1]->span,
                     "cost(curve, Q) needs Q > 0 and finite (Q = %g)", Q);
    res[i] = ec_wright_cost(c0, alpha, Q);
    if (!isfinite(res[i]))
      return ev_fail(ev, EV_NUMERIC, e->span,
                     "cost(curve, Q): c0 Q^-alpha is beyond a double (c0 = %g, alpha = %g, Q = %g)",
                     c0, alpha, Q);
  }
  if (vec) {
    out->type = T_VEC;
    out->vec = res;
    out->n = n;
  }
  return 0;
}

/* The unit of the curve's c (what c0, fitted values and costs are in); Q's for cost's Q. */
static Dim curve_dim(const Decl *d, const char *path) {
  for (int i = 0; i < d->nfields; i++)
    if (!strcmp(d->fields[i].path, path) && d->fields[i].ir)
      return d->fields[i].ir->dim;
  return DIM_NONE;
}

static int check_c_unit(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->dim = curve_dim(e->args[0]->decl, "c");
  return 0;
}

static int check_vector(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->type = T_VEC;
  return 0;
}

static int check_fitted(IrExpr *e, char *msg, size_t len, int *arg) {
  check_c_unit(e, msg, len, arg);
  e->type = T_VEC;
  return 0;
}

static int check_cost(IrExpr *e, char *msg, size_t len, int *arg) {
  const Decl *d = e->args[0]->decl;
  int has_q = 0;
  for (int i = 0; i < d->nfields; i++)
    has_q |= !strcmp(d->fields[i].path, "Q");
  Dim want = curve_dim(d, "Q");
  if (has_q && !dim_eq(e->args[1]->dim, want)) {
    char b1[64], b2[64];
    dim_format(want, b1, sizeof b1);
    dim_format(e->args[1]->dim, b2, sizeof b2);
    *arg = 1;
    snprintf(msg, len, "cost(curve, Q): Q must be in the unit of the curve's Q (%s), got %s",
             b1[0] ? b1 : "no unit", b2[0] ? b2 : "no unit");
    return -1;
  }
  e->type = e->args[1]->type;
  e->dim = curve_dim(d, "c");
  if (dim_is_none(e->dim))
    e->dim = curve_dim(d, "c0");
  return 0;
}

static const Builtin curve_rows[] = {
    {"alpha",
     1,
     {T_CURVE},
     "alpha(curve): learning elasticity (given or fitted)",
     0,
     0,
     alpha_fn,
     NULL},
    {"alpha_se",
     1,
     {T_CURVE},
     "alpha_se(curve): OLS standard error of alpha",
     0,
     0,
     alpha_se_fn,
     NULL},
    {"r_squared", 1, {T_CURVE}, "r_squared(curve): R^2 of the fit", 0, 0, r_squared_fn, NULL},
    {"n_obs", 1, {T_CURVE}, "n_obs(curve): observations in the fit", 0, 0, n_obs_fn, NULL},
    {"alpha_loo_min",
     1,
     {T_CURVE},
     "alpha_loo_min(curve): smallest leave-one-out alpha",
     0,
     0,
     alpha_loo_min_fn,
     NULL},
    {"alpha_loo_max",
     1,
     {T_CURVE},
     "alpha_loo_max(curve): largest leave-one-out alpha",
     0,
     0,
     alpha_loo_max_fn,
     NULL},
    {"alpha_ci_lo",
     1,
     {T_CURVE},
     "alpha_ci_lo(curve): bootstrap 2.5% quantile of alpha",
     0,
     0,
     alpha_ci_lo_fn,
     NULL},
    {"alpha_ci_hi",
     1,
     {T_CURVE},
     "alpha_ci_hi(curve): bootstrap 97.5% quantile of alpha",
     0,
     0,
     alpha_ci_hi_fn,
     NULL},
    {"c0",
     1,
     {T_CURVE},
     "c0(curve): fitted cost at Q = 1 (Q in its canonical unit), in c's unit",
     0,
     0,
     c0_fn,
     check_c_unit},
    {"fitted",
     1,
     {T_CURVE},
     "fitted(curve): c0 Q^-alpha at each observation of the fit",
     0,
     0,
     fitted_fn,
     check_fitted},
    {"residuals",
     1,
     {T_CURVE},
     "residuals(curve): ln c - ln(c0 Q^-alpha) at each observation of the fit",
     0,
     0,
     residuals_fn,
     check_vector},
    {"alpha_se_nw",
     2,
     {T_CURVE, T_NUM},
     "alpha_se_nw(curve, lags): Newey-West (HAC) standard error of alpha, Bartlett weights",
     0,
     0,
     alpha_se_nw_fn,
     NULL},
    {"alpha_ci_block_lo",
     2,
     {T_CURVE, T_NUM},
     "alpha_ci_block_lo(curve, block): moving-block bootstrap 2.5% quantile of alpha",
     0,
     0,
     alpha_ci_block_lo_fn,
     NULL},
    {"alpha_ci_block_hi",
     2,
     {T_CURVE, T_NUM},
     "alpha_ci_block_hi(curve, block): moving-block bootstrap 97.5% quantile of alpha",
     0,
     0,
     alpha_ci_block_hi_fn,
     NULL},
    {"break_starts",
     3,
     {T_CURVE, T_NUM, T_NUM},
     "break_starts(curve, m, h): where regimes 2..m+1 start (observation numbers), Bai-Perron "
     "with segments of h or more",
     0,
     0,
     break_starts_fn,
     check_vector},
    {"regime_alphas",
     3,
     {T_CURVE, T_NUM, T_NUM},
     "regime_alphas(curve, m, h): each regime's alpha under Bai-Perron's m breaks",
     0,
     0,
     regime_alphas_fn,
     check_vector},
    {"break_count",
     3,
     {T_CURVE, T_NUM, T_NUM},
     "break_count(curve, m_max, h): the number of breaks (0..m_max) that minimizes Bai-Perron's "
     "BIC",
     0,
     0,
     break_count_fn,
     NULL},
    {"sup_F",
     3,
     {T_CURVE, T_NUM, T_NUM},
     "sup_F(curve, m, h): Bai-Perron's supF statistic of no break against m breaks",
     0,
     0,
     sup_F_fn,
     NULL},
    {"alpha_recursive",
     1,
     {T_CURVE},
     "alpha_recursive(curve): alpha fitted on the first k observations, for each k (NA for k < "
     "3)",
     0,
     0,
     alpha_recursive_fn,
     check_vector},
    {"cost",
     2,
     {T_CURVE, T_ERROR},
     "cost(curve, Q): Wright's law c0 Q^-alpha at a new Q (a number or a list)",
     0,
     0,
     cost_fn,
     check_cost},
    {"cost_per_doubling",
     1,
     {T_CURVE},
     "cost_per_doubling(curve): 1 - 2^-alpha",
     0,
     0,
     cost_per_doubling_fn,
     NULL},
};
BUILTIN_FAMILY(builtins_curve, "curve", curve_rows);
