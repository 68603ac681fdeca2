/* One-variable solvers over a function the caller evaluates: a root by Brent's method on a
 * bracket, an integral by adaptive Gauss-Kronrod with extrapolation (QAGS), a minimum by a grid
 * then Brent's minimizer (GSL, each). f returns nonzero when it cannot be evaluated; the
 * solver then stops and says where. */
#include "edsl_core.h"

#include "core_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>

typedef struct {
  ec_fn1 f;
  void *ctx;
  int failed;
  double at;
} Fn;

static double call(double x, void *p) {
  Fn *k = p;
  double y;
  if (k->failed || k->f(x, &y, k->ctx) || !isfinite(y)) {
    if (!k->failed)
      k->at = x;
    k->failed = 1;
    return NAN;
  }
  return y;
}

static ec_status failed_at(const Fn *k, const char *what, ec_error *err) {
  snprintf(err->msg, sizeof err->msg, "%s: the function is not a finite number at x = %.10g", what,
           k->at);
  return EC_EDOM;
}

ec_status ec_root(ec_fn1 f, void *ctx, double lo, double hi, double *x, ec_error *err) {
  ec_init();
  Fn k = {f, ctx, 0, NAN};
  if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) {
    snprintf(err->msg, sizeof err->msg, "root: the bracket needs lo < hi, finite (%g, %g)", lo, hi);
    return EC_EDOM;
  }
  double flo = call(lo, &k), fhi = call(hi, &k);
  if (k.failed)
    return failed_at(&k, "root", err);
  if (flo == 0 || fhi == 0) {
    *x = flo == 0 ? lo : hi;
    return EC_OK;
  }
  if ((flo > 0) == (fhi > 0)) {
    snprintf(err->msg, sizeof err->msg,
             "root: no sign change on [%g, %g] (f = %g and %g there); give a bracket where f "
             "changes sign",
             lo, hi, flo, fhi);
    return EC_ENOROOT;
  }
  gsl_function F = {call, &k};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  gsl_root_fsolver_set(s, &F, lo, hi);
  int st = GSL_CONTINUE;
  for (int it = 0; it < 500 && st == GSL_CONTINUE && !k.failed; it++) {
    gsl_root_fsolver_iterate(s);
    st = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0,
                                4 * GSL_DBL_EPSILON);
  }
  *x = gsl_root_fsolver_root(s);
  gsl_root_fsolver_free(s);
  if (k.failed)
    return failed_at(&k, "root", err);
  if (st != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg, "root: Brent's method did not converge on [%g, %g]", lo,
             hi);
    return EC_ENOROOT;
  }
  return EC_OK;
}

ec_status ec_integrate(ec_fn1 f, void *ctx, double lo, double hi, double *value, ec_error *err) {
  ec_init();
  Fn k = {f, ctx, 0, NAN};
  if (!(lo <= hi) || !isfinite(lo) || !isfinite(hi)) {
    snprintf(err->msg, sizeof err->msg, "integrate: needs lo <= hi, finite (%g, %g)", lo, hi);
    return EC_EDOM;
  }
  if (lo == hi) { /* an empty interval: exactly 0 (QAGS gives -0) */
    *value = 0;
    return EC_OK;
  }
  gsl_function F = {call, &k};
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
  double abserr;
  int st = gsl_integration_qags(&F, lo, hi, 0, 1e-10, 1000, w, value, &abserr);
  gsl_integration_workspace_free(w);
  if (k.failed)
    return failed_at(&k, "integrate", err);
  if (st != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg,
             "integrate: QAGS did not reach a relative error of 1e-10 on [%g, %g] (%s; estimated "
             "error %g)",
             lo, hi, gsl_strerror(st), abserr);
    return EC_EINTEGRATE;
  }
  return EC_OK;
}

/* A grid of 200 intervals finds the best point; Brent's minimizer refines it when it is
 * inside (a minimum at an end of [lo, hi] is the answer there). */
ec_status ec_minimize(ec_fn1 f, void *ctx, double lo, double hi, double *x, ec_error *err) {
  ec_init();
  Fn k = {f, ctx, 0, NAN};
  if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) {
    snprintf(err->msg, sizeof err->msg, "minimize: needs lo < hi, finite (%g, %g)", lo, hi);
    return EC_EDOM;
  }
  enum { GRID = 200 };
  double best = INFINITY;
  int ib = 0;
  for (int i = 0; i <= GRID; i++) {
    double y = call(lo + (hi - lo) * i / GRID, &k);
    if (k.failed)
      return failed_at(&k, "minimize", err);
    if (y < best)
      best = y, ib = i;
  }
  *x = lo + (hi - lo) * ib / GRID;
  if (ib == 0 || ib == GRID)
    return EC_OK;
  gsl_function F = {call, &k};
  gsl_min_fminimizer *s = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
  double a = lo + (hi - lo) * (ib - 1) / GRID, b = lo + (hi - lo) * (ib + 1) / GRID;
  int st = gsl_min_fminimizer_set_with_values(s, &F, *x, best, a, call(a, &k), b, call(b, &k));
  for (int it = 0; it < 500 && st == GSL_SUCCESS && !k.failed; it++) {
    gsl_min_fminimizer_iterate(s);
    st = gsl_min_test_interval(gsl_min_fminimizer_x_lower(s), gsl_min_fminimizer_x_upper(s), 0,
                               1e-12) == GSL_CONTINUE
             ? GSL_SUCCESS
             : GSL_EOF;
  }
  if (!k.failed)
    *x = gsl_min_fminimizer_x_minimum(s);
  gsl_min_fminimizer_free(s);
  if (k.failed)
    return failed_at(&k, "minimize", err);
  return EC_OK;
}
