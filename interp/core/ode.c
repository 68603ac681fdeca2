/* User-written ODE systems (`dynamics` blocks): GSL's explicit RK8(9) (Prince-Dormand) or
 * its implicit BDF (msbdf, for stiff systems, with a forward-difference Jacobian), stepped
 * one step at a time so that every step is checked for events, a step bound and failure.
 * An event is the first t at which its condition turns true, located by bisection on t with
 * re-integration from the step's start (so its accuracy is the integrator's, not the grid's).
 * The steps are the integrator's own, not the output grid's: a point inside a step is
 * integrated to from the step's start when the step holds one or two, else read from a
 * degree-7 Hermite interpolant through y and y' at the step's ends and thirds (each third
 * integrated to under the same tolerances), whose error is far below the step's own. */
#include "edsl_core.h"

#include "core_internal.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const ec_ode *o;
  double *f0, *f1, *yp; /* Jacobian workspace, n each */
} OdeCtx;

/* A rate that fails softly (overflow in a trial stage) or is not finite makes GSL retry the
 * step with half its size; one that fails hard (a wrong input) ends the integration. */
static int rhs(double t, const double y[], double f[], void *p) {
  const OdeCtx *x = p;
  int r = x->o->rhs(t, y, f, x->o->ctx);
  if (r < 0)
    return GSL_EBADFUNC;
  for (size_t i = 0; i < x->o->n && !r; i++)
    r = !isfinite(f[i]);
  return r ? GSL_FAILURE : GSL_SUCCESS;
}

/* Forward differences: column j of df/dy from a step in y_j scaled to its size. */
static int jacobian(double t, const double y[], double *dfdy, double dfdt[], void *p) {
  const OdeCtx *x = p;
  size_t n = x->o->n;
  int r = rhs(t, y, x->f0, (void *)x);
  if (r != GSL_SUCCESS)
    return r;
  memcpy(x->yp, y, n * sizeof *y);
  for (size_t j = 0; j < n; j++) {
    double h = sqrt(DBL_EPSILON) * fmax(fabs(y[j]), 1e-8);
    x->yp[j] = y[j] + h;
    if ((r = rhs(t, x->yp, x->f1, (void *)x)) != GSL_SUCCESS)
      return r;
    for (size_t i = 0; i < n; i++)
      dfdy[i * n + j] = (x->f1[i] - x->f0[i]) / h;
    x->yp[j] = y[j];
  }
  double ht = sqrt(DBL_EPSILON) * fmax(fabs(t), 1);
  if ((r = rhs(t + ht, y, x->f1, (void *)x)) != GSL_SUCCESS)
    return r;
  for (size_t i = 0; i < n; i++)
    dfdt[i] = (x->f1[i] - x->f0[i]) / ht;
  return GSL_SUCCESS;
}

static gsl_odeiv2_driver *driver(const ec_ode *o, gsl_odeiv2_system *sys, double h) {
  const gsl_odeiv2_step_type *T =
      o->method == EC_ODE_MSBDF ? gsl_odeiv2_step_msbdf : gsl_odeiv2_step_rk8pd;
  return ec_ode_driver(sys, T, h, o->atol, o->rtol);
}

/* y at t1 from (t0, y0) (y0 is left alone); GSL's status. */
static int advance(gsl_odeiv2_driver *d, double t0, const double *y0, double t1, double *y,
                   size_t n) {
  memcpy(y, y0, n * sizeof *y);
  if (t1 == t0)
    return GSL_SUCCESS;
  gsl_odeiv2_driver_reset_hstart(d, (t1 - t0) / 16);
  double t = t0;
  return gsl_odeiv2_driver_apply(d, &t, t1, y);
}

/* The Hermite interpolant of degree 7 through (s_i, y_i, y'_i), s_i = 0, 1/3, 2/3, 1 in units
 * of the step h: Newton's divided differences on the doubled nodes, per state. */
static const double hermite_z[8] = {0, 0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1};

/* Its Newton coefficients, 8 a state, once a step. */
static void hermite_coef(size_t n, const double *ys[4], const double *fs[4], double h,
                         double *coef) {
  const double *z = hermite_z;
  for (size_t i = 0; i < n; i++) {
    double *c = coef + 8 * i;
    for (int j = 0; j < 8; j++)
      c[j] = ys[j / 2][i];
    for (int lev = 1; lev < 8; lev++)
      for (int j = 7; j >= lev; j--)
        c[j] = lev == 1 && j % 2 == 1 ? fs[j / 2][i] * h : (c[j] - c[j - 1]) / (z[j] - z[j - lev]);
  }
}

/* ... and its value at s (in steps from the start), by Horner's rule on the Newton form. */
static void hermite(size_t n, const double *coef, double s, double *out) {
  for (size_t i = 0; i < n; i++) {
    const double *c = coef + 8 * i;
    double v = c[7];
    for (int j = 6; j >= 0; j--)
      v = v * (s - hermite_z[j]) + c[j];
    out[i] = v;
  }
}

/* y at t1 inside an accepted step from (t0, y0), f0 the rates there: one step of the explicit
 * method, shorter than the accepted one and so with a smaller error; the implicit method, a
 * multistep one, integrates there with the driver. */
static int inner(const OdeCtx *x, gsl_odeiv2_driver *d, gsl_odeiv2_step *one, double t0,
                 const double *y0, const double *f0, double t1, double *y, double *yerr) {
  size_t n = x->o->n;
  if (!one)
    return advance(d, t0, y0, t1, y, n);
  memcpy(y, y0, n * sizeof *y);
  gsl_odeiv2_step_reset(one);
  return gsl_odeiv2_step_apply(one, t0, t1 - t0, y, yerr, f0, NULL, d->sys);
}

/* The outputs tout[0..m) inside the step (t0, t1] (y0, y1 at its ends, f0, f1 their rates) into
 * yout; w is 13n of workspace. GSL's status. */
static int fill(const OdeCtx *x, gsl_odeiv2_driver *d, gsl_odeiv2_step *one, double t0,
                const double *y0, const double *f0, double t1, const double *y1, const double *f1,
                const double *tout, size_t m, double *yout, double *w) {
  size_t n = x->o->n;
  double *yerr = w + 4 * n;
  if (m <= 2) {
    for (size_t j = 0; j < m; j++) {
      int s = tout[j] == t1 ? (memcpy(yout + j * n, y1, n * sizeof *y1), GSL_SUCCESS)
                            : inner(x, d, one, t0, y0, f0, tout[j], yout + j * n, yerr);
      if (s != GSL_SUCCESS)
        return s;
    }
    return GSL_SUCCESS;
  }
  double h = t1 - t0, ta = t0 + h / 3, tb = t0 + 2 * h / 3;
  double *ya = w, *yb = w + n, *fa = w + 2 * n, *fb = w + 3 * n;
  int s = inner(x, d, one, t0, y0, f0, ta, ya, yerr);
  if (s == GSL_SUCCESS)
    s = inner(x, d, one, t0, y0, f0, tb, yb, yerr);
  if (s == GSL_SUCCESS)
    s = rhs(ta, ya, fa, (void *)x);
  if (s == GSL_SUCCESS)
    s = rhs(tb, yb, fb, (void *)x);
  if (s != GSL_SUCCESS)
    return s;
  const double *ys[4] = {y0, ya, yb, y1}, *fs[4] = {f0, fa, fb, f1};
  double *coef = w + 5 * n;
  hermite_coef(n, ys, fs, h, coef);
  for (size_t j = 0; j < m; j++) {
    if (tout[j] == t1)
      memcpy(yout + j * n, y1, n * sizeof *y1);
    else
      hermite(n, coef, (tout[j] - t0) / h, yout + j * n);
  }
  return GSL_SUCCESS;
}

/* The first t in (t0, hi] where condition k holds, knowing it fails at t0 and holds at hi. */
static int locate(const ec_ode *o, gsl_odeiv2_driver *d, double t0, const double *y0, double hi,
                  size_t k, int *conds, double *ywork, double *t_event) {
  double lo = t0; /* every probe integrates from the step's start (t0, y0) */
  for (int it = 0; it < 200 && hi - lo > 4 * DBL_EPSILON * fmax(fabs(lo), fabs(hi)); it++) {
    double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi)
      break;
    if (advance(d, t0, y0, mid, ywork, o->n) != GSL_SUCCESS)
      return -1;
    if (o->cond(mid, ywork, conds, o->ctx))
      return -2;
    if (conds[k])
      hi = mid;
    else
      lo = mid;
  }
  *t_event = hi;
  return 0;
}

ec_status ec_ode_solve(const ec_ode *o, double t0, const double *y0, const double *tout,
                       size_t nout, double *yout, ec_ode_result *res, ec_error *err) {
  ec_init();
  size_t n = o->n, nev = o->nev;
  res->nreached = res->steps = 0;
  res->stopped = res->too_many_steps = 0;
  res->t_end = res->t_fail = t0;
  for (size_t k = 0; k < nev; k++)
    res->event_t[k] = NAN;
  if (n < 1 || !(o->rtol > 0) || !(o->atol >= 0) || !isfinite(t0) || nout < 1) {
    snprintf(err->msg, sizeof err->msg,
             "an ODE system needs a state, rtol > 0 and atol >= 0 (states = %zu, rtol = %g, "
             "atol = %g)",
             n, o->rtol, o->atol);
    return EC_EDOM;
  }
  for (size_t k = 0; k < nout; k++)
    if (!(tout[k] >= (k ? tout[k - 1] : t0)) || !isfinite(tout[k])) {
      snprintf(err->msg, sizeof err->msg,
               "output points must be finite and rise from the start %g (point %zu is %g)", t0,
               k + 1, tout[k]);
      return EC_EDOM;
    }
  double *y = malloc(20 * n * sizeof *y), *yprev = y + n, *ywork = y + 2 * n, *w = y + 7 * n;
  double *fprev = y + 5 * n, *fnew = y + 6 * n; /* the rates at a step's two ends */
  int *now = malloc((3 * nev + 1) * sizeof *now), *prev = now + nev, *conds = now + 2 * nev;
  OdeCtx ctx = {o, ywork + n, ywork + 2 * n, malloc(n * sizeof(double))};
  if (!y || !now || !ctx.yp) {
    free(y), free(now), free(ctx.yp);
    return ec_out_of_memory("an ODE system", n, err);
  }
  gsl_odeiv2_system sys = {rhs, jacobian, n, &ctx};
  double span = tout[nout - 1] - t0;
  double h0 = span > 0 ? span * 1e-6 : 1e-6;
  gsl_odeiv2_driver *d = driver(o, &sys, h0), *probe = driver(o, &sys, h0);
  gsl_odeiv2_step *one =
      o->method == EC_ODE_RK8PD ? gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk8pd, n) : NULL;
  ec_status st = EC_OK;
  memcpy(y, y0, n * sizeof *y);
  double t = t0;
  if (nev && o->cond(t, y, now, o->ctx)) {
    st = EC_EDOM;
    snprintf(err->msg, sizeof err->msg, "an event's condition cannot be evaluated at the start");
    goto done;
  }
  for (size_t k = 0; k < nev; k++)
    if (now[k]) /* true from the start: it happens at t0 */
      res->event_t[k] = t0;
  if (o->stop >= 0 && now[o->stop]) {
    res->stopped = 1;
    goto stop;
  }
  if (rhs(t, y, fprev, &ctx) != GSL_SUCCESS) {
    st = EC_EINTEGRATE;
    snprintf(err->msg, sizeof err->msg, "a rate is not a finite number at the start");
    goto done;
  }
  size_t k = 0;
  for (; k < nout && tout[k] == t0; k++) /* points at the start */
    memcpy(yout + k * n, y, n * sizeof *y);
  res->nreached = k;
  double t_last = tout[nout - 1];
  while (k < nout) {
    memcpy(yprev, y, n * sizeof *y);
    memcpy(prev, now, nev * sizeof *now);
    double tprev = t;
    int s = gsl_odeiv2_evolve_apply(d->e, d->c, d->s, d->sys, &t, t_last, &d->h, y);
    if (s != GSL_SUCCESS || !(t > tprev)) {
      res->t_fail = tprev;
      memcpy(y, yprev, n * sizeof *y);
      st = EC_EINTEGRATE;
      snprintf(err->msg, sizeof err->msg, "the step failed: %s",
               s == GSL_EBADFUNC ? "a rate is not a finite number"
                                 : "the step size vanished (a singularity, or a rate that jumps)");
      goto done;
    }
    /* A state that moved against the sign its rate had at both ends of the step crossed a
     * zero of the rate twice, or a singularity (the error estimate of a step across a pole
     * can be small): take the step again in quarters. */
    if (rhs(t, y, fnew, &ctx) != GSL_SUCCESS) {
      res->t_fail = t;
      st = EC_EINTEGRATE;
      snprintf(err->msg, sizeof err->msg, "a rate is not a finite number");
      goto done;
    }
    int against = 0;
    for (size_t i = 0; i < n && !against; i++)
      against = (fprev[i] > 0 && fnew[i] > 0 && y[i] < yprev[i]) ||
                (fprev[i] < 0 && fnew[i] < 0 && y[i] > yprev[i]);
    if (against) {
      d->h = (t - tprev) / 4;
      t = tprev;
      memcpy(y, yprev, n * sizeof *y);
      gsl_odeiv2_evolve_reset(d->e);
      gsl_odeiv2_step_reset(d->s);
    }
    if (++res->steps > o->max_steps) { /* a retaken step counts too */
      res->t_fail = t;
      res->too_many_steps = 1;
      st = EC_EINTEGRATE;
      snprintf(err->msg, sizeof err->msg, "more than %zu steps", o->max_steps);
      goto done;
    }
    if (against)
      continue;
    double t_stop = INFINITY;
    if (nev && o->cond(t, y, now, o->ctx)) {
      res->t_fail = t;
      st = EC_EDOM;
      snprintf(err->msg, sizeof err->msg, "an event's condition failed");
      goto done;
    }
    for (size_t e = 0; e < nev; e++)
      if (now[e] && !prev[e] && isnan(res->event_t[e])) {
        int r = locate(o, probe, tprev, yprev, t, e, conds, ywork, &res->event_t[e]);
        if (r) {
          res->t_fail = t;
          st = r == -1 ? EC_EINTEGRATE : EC_EDOM;
          snprintf(err->msg, sizeof err->msg, "locating an event failed");
          goto done;
        }
        if ((int)e == o->stop)
          t_stop = res->event_t[e];
      }
    /* the points this step passed (up to the stop, when it came in it) */
    size_t m = 0;
    while (k + m < nout && tout[k + m] <= fmin(t, t_stop))
      m++;
    if (m && fill(&ctx, probe, one, tprev, yprev, fprev, t, y, fnew, tout + k, m, yout + k * n,
                  w) != GSL_SUCCESS) {
      res->t_fail = t;
      st = EC_EINTEGRATE;
      snprintf(err->msg, sizeof err->msg, "integrating to an output point inside a step failed");
      goto done;
    }
    res->nreached = k += m;
    memcpy(fprev, fnew, n * sizeof *fnew);
    if (isfinite(t_stop)) { /* events after the stop, in the same step, did not happen */
      for (size_t e = 0; e < nev; e++)
        if (res->event_t[e] > t_stop)
          res->event_t[e] = NAN;
      if (advance(probe, tprev, yprev, t_stop, y, n) != GSL_SUCCESS) {
        res->t_fail = t_stop;
        st = EC_EINTEGRATE;
        snprintf(err->msg, sizeof err->msg, "the step to the stop failed");
        goto done;
      }
      t = t_stop;
      res->stopped = 1;
      goto stop;
    }
  }
stop:
  res->t_end = t;
  memcpy(res->y_end, y, n * sizeof *y);
done:
  if (st != EC_OK) {
    res->t_end = res->t_fail;
    memcpy(res->y_end, y, n * sizeof *y);
  }
  gsl_odeiv2_driver_free(d);
  gsl_odeiv2_driver_free(probe);
  if (one)
    gsl_odeiv2_step_free(one);
  free(y), free(now), free(ctx.yp);
  return st;
}
