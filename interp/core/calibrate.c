/* Calibration: the unknowns within their bounds at which the residuals vanish (as many
 * targets as unknowns) or are least in the least-squares sense (more targets). GSL's
 * trust-region nonlinear least squares (Levenberg-Marquardt) with a finite-difference
 * Jacobian, on unbounded coordinates z with x = lo + (hi - lo)(1 + tanh z)/2, so every trial
 * point lies inside the bounds. A few deterministic starts beside the user's guard against a
 * local minimum. */
#include "edsl_core.h"

#include "core_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A residual that cannot be computed counts as this: the trust region then steps back. */
#define FAILED_RESIDUAL 1e10

typedef struct {
  const ec_calib *c;
  double *x, *f; /* p and n */
  size_t evals;
} Ctx;

static void to_x(const ec_calib *c, const gsl_vector *z, double *x) {
  for (size_t i = 0; i < c->p; i++)
    x[i] = c->lo[i] + (c->hi[i] - c->lo[i]) * (1 + tanh(gsl_vector_get(z, i))) / 2;
}

static int residuals(const gsl_vector *z, void *p, gsl_vector *f) {
  Ctx *k = p;
  to_x(k->c, z, k->x);
  k->evals++;
  int r = k->c->f(k->x, k->f, k->c->ctx); /* f may be a strided view (a Jacobian column) */
  if (r < 0)
    return GSL_EBADFUNC; /* a hard failure: the evaluation is over */
  for (size_t i = 0; i < k->c->n; i++)
    gsl_vector_set(f, i, r || !isfinite(k->f[i]) ? FAILED_RESIDUAL : k->f[i]);
  return GSL_SUCCESS;
}

static double norm_inf(const double *f, size_t n) {
  double m = 0;
  for (size_t i = 0; i < n; i++)
    m = fmax(m, fabs(f[i]));
  return m;
}

/* One start (z0): the best point found into zbest/fbest when it beats *best. */
static int run(const ec_calib *c, gsl_multifit_nlinear_workspace *w, gsl_multifit_nlinear_fdf *fdf,
               const double *z0, double *zbest, double *fbest, double *best) {
  gsl_vector_const_view zv = gsl_vector_const_view_array(z0, c->p);
  int st = gsl_multifit_nlinear_init(&zv.vector, fdf, w);
  if (st == GSL_EBADFUNC)
    return -1;
  int info;
  st = gsl_multifit_nlinear_driver(c->max_iter, 1e-14, 1e-14, 0, NULL, NULL, &info, w);
  if (st == GSL_EBADFUNC)
    return -1;
  gsl_vector *z = gsl_multifit_nlinear_position(w), *f = gsl_multifit_nlinear_residual(w);
  double m = norm_inf(f->data, c->n);
  if (m < *best) {
    *best = m;
    memcpy(zbest, z->data, c->p * sizeof *zbest);
    memcpy(fbest, f->data, c->n * sizeof *fbest);
  }
  return 0;
}

ec_status ec_calibrate(const ec_calib *c, ec_calib_result *r, ec_error *err) {
  ec_init();
  size_t p = c->p, n = c->n;
  if (p < 1 || n < p || c->max_iter < 1) {
    snprintf(err->msg, sizeof err->msg,
             "a calibration needs at least one unknown and as many targets as unknowns "
             "(unknowns = %zu, targets = %zu)",
             p, n);
    return EC_EDOM;
  }
  for (size_t i = 0; i < p; i++)
    if (!(c->lo[i] < c->hi[i]) || !isfinite(c->lo[i]) || !isfinite(c->hi[i])) {
      snprintf(err->msg, sizeof err->msg,
               "unknown %zu: its bounds must be finite with lo < hi (lo = %g, hi = %g)", i + 1,
               c->lo[i], c->hi[i]);
      return EC_EDOM;
    }
  double *z0 = malloc((3 * p + 2 * n + 1) * sizeof *z0), *zbest = z0 + p, *x = zbest + p,
         *fbest = x + p, *fwork = fbest + n;
  if (!z0)
    return ec_out_of_memory("a calibration", p, err);
  Ctx k = {c, x, fwork, 0};
  gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
  gsl_multifit_nlinear_workspace *w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, n, p);
  gsl_multifit_nlinear_fdf fdf = {residuals, NULL, NULL, n, p, &k, 0, 0, 0};
  double best = INFINITY;
  ec_status st = EC_OK;
  /* the user's guess first, then points spread over the box (a Halton sequence, bases 2, 3,
   * 5, ...), until a square system is solved */
  static const int base[] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
  for (int s = 0; s <= c->starts; s++) {
    for (size_t i = 0; i < p; i++) {
      double u;
      if (s == 0)
        u = (c->x0[i] - c->lo[i]) / (c->hi[i] - c->lo[i]);
      else {
        int b = base[i % 12], m = s;
        double fr = 1.0 / b;
        u = 0;
        for (; m > 0; m /= b, fr /= b)
          u += fr * (m % b);
      }
      u = fmin(fmax(u, 1e-6), 1 - 1e-6);
      z0[i] = atanh(2 * u - 1);
    }
    if (run(c, w, &fdf, z0, zbest, fbest, &best)) {
      st = EC_EDOM;
      snprintf(err->msg, sizeof err->msg, "a target could not be evaluated");
      break;
    }
    if (n == p && best <= c->tol)
      break;
  }
  if (st == EC_OK) {
    gsl_vector_const_view zv = gsl_vector_const_view_array(zbest, p);
    to_x(c, &zv.vector, r->x);
    memcpy(r->f, fbest, n * sizeof *fbest);
    r->norm = best;
    r->evals = k.evals;
    r->solved = best <= c->tol;
    /* an unknown pressed against a bound: where the solution would lie outside */
    r->at_bound = 0;
    for (size_t i = 0; i < p; i++)
      if (fabs(zbest[i]) > 9)
        r->at_bound |= 1u << (i < 31 ? i : 31);
  }
  gsl_multifit_nlinear_free(w);
  free(z0);
  return st;
}
