/* Dual convergence (004 §8; 001 §2.3 and App. C): the crossing threshold itself falls with
 * algorithmic progress, smoothly (a rate) and in lumps (dated release events), while firms
 * follow the quasi-static Markov policy Q(x) of the game. Also the curvature of workloads
 * (004 eq. 1) and a geometric root search used for the workload crossing Q*. */
#include "edsl_core.h"

#include "core_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

double ec_dual_Qbar_eff(const ec_progress *pr, double Qbar, double t) {
  double q = Qbar * exp(-pr->rate * t);
  for (size_t i = 0; i < pr->n_events; i++)
    if (pr->t_event[i] <= t)
      q *= pr->factor[i];
  return q;
}

typedef struct {
  const ec_game *g;
  ec_regime regime;
  double rate, Qbar_seg; /* Qbar_eff at the segment start */
  double t_seg;
  ec_error err;
} dual_args;

/* dx/dt = -rate Qbar_eff(t) - Q(x), the policy read off the game's path at x (not through V,
 * which has lost its digits where the path nears its steady state). A step may probe just
 * past the crossing: the policy there is the one at it. */
static int dual_rhs(double t, const double y[], double dy[], void *vp) {
  dual_args *da = vp;
  ec_game_point p;
  if (ec_game_at_x(da->g, da->regime, y[0] > 0 ? y[0] : 0, &p, &da->err) != EC_OK)
    return GSL_EBADFUNC;
  dy[0] = -da->rate * da->Qbar_seg * exp(-da->rate * (t - da->t_seg)) - p.Q;
  return GSL_SUCCESS;
}

/* Without smooth progress a segment is the game's own path: closed form. */
static ec_status still_segment(dual_args *da, double *t, double y[1], double t1, int *crossed,
                               ec_error *err) {
  ec_game_point p;
  ec_status st = ec_game_at_x(da->g, da->regime, y[0], &p, err);
  if (st != EC_OK)
    return st;
  *crossed = !(*t + p.T >= t1);
  if (*crossed) {
    *t += p.T;
    y[0] = 0;
    return EC_OK;
  }
  if ((st = ec_game_at_T(da->g, da->regime, p.T - (t1 - *t), &p, err)) != EC_OK)
    return st;
  *t = t1;
  y[0] = p.x;
  return EC_OK;
}

/* Integrates one segment [t0, t1) (t1 may be +inf); stops at x = 0 with *crossed = 1. */
static ec_status dual_segment(dual_args *da, double *t, double y[1], double t1, int *crossed,
                              ec_error *err) {
  if (da->rate == 0)
    return still_segment(da, t, y, t1, crossed, err);
  /* Progress only hastens the crossing (x stays below the game's own path): the crossing
   * comes before the game's own T* from here. */
  ec_game_point p;
  ec_status st = ec_game_at_x(da->g, da->regime, y[0], &p, err);
  if (st != EC_OK)
    return st;
  gsl_odeiv2_system sys = {dual_rhs, NULL, 1, da};
  gsl_odeiv2_step *step = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk8pd, 1);
  gsl_odeiv2_control *ctl = gsl_odeiv2_control_y_new(1e-13 * y[0], 1e-12);
  gsl_odeiv2_evolve *ev = gsl_odeiv2_evolve_alloc(1);
  double h = 1e-4 * fmin(1, p.T), tlim = fmin(t1, *t + p.T * (1 + 1e-9));
  *crossed = 0;
  for (long steps = 0; *t < tlim; steps++) {
    if (steps == EC_ODE_MAX_STEPS) {
      snprintf(err->msg, sizeof err->msg,
               "ODE integration of the dual-convergence state took more than %d steps by t = %g "
               "(step %g; x = %g)",
               EC_ODE_MAX_STEPS, *t, h, y[0]);
      st = EC_EINTEGRATE;
      break;
    }
    double t_prev = *t, y_prev[1] = {y[0]};
    int status = gsl_odeiv2_evolve_apply(ev, ctl, step, &sys, t, tlim, &h, y);
    if (status != GSL_SUCCESS) {
      if (status == GSL_EBADFUNC)
        *err = da->err;
      else
        snprintf(err->msg, sizeof err->msg,
                 "ODE integration of the dual-convergence state failed at t = %g (%s; x = %g)", *t,
                 gsl_strerror(status), y[0]);
      st = EC_EINTEGRATE;
      break;
    }
    if (y[0] <= 0) {
      /* bisect the crossing inside the last step with fixed-end driver runs */
      double lo = t_prev, hi = *t;
      for (int it = 0; it < 100 && hi - lo > 1e-14 * (1 + hi); it++) {
        double mid = 0.5 * (lo + hi), tm = t_prev, ym[1] = {y_prev[0]};
        gsl_odeiv2_driver *d = ec_ode_driver(&sys, gsl_odeiv2_step_rk8pd, 1e-6, 1e-13, 1e-12);
        int s2 = gsl_odeiv2_driver_apply(d, &tm, mid, ym);
        gsl_odeiv2_driver_free(d);
        if (s2 != GSL_SUCCESS || ym[0] <= 0)
          hi = mid;
        else
          lo = mid;
      }
      *t = hi;
      y[0] = 0;
      *crossed = 1;
      break;
    }
  }
  if (st == EC_OK && !*crossed && !(tlim == t1)) {
    snprintf(err->msg, sizeof err->msg,
             "the integration passed the crossing time without progress (%g) and x = %g > 0", tlim,
             y[0]);
    st = EC_EINTEGRATE;
  }
  gsl_odeiv2_evolve_free(ev);
  gsl_odeiv2_control_free(ctl);
  gsl_odeiv2_step_free(step);
  return st;
}

/* The state from (0, x0) to t_at (+inf: to the crossing): the crossing time T (+inf when it
 * has not come by t_at) and x at t_at (0 once crossed; at a release's date, before it). */
static ec_status dual_run(const ec_game *g, ec_regime regime, double x0, double Qbar,
                          const ec_progress *pr, double t_at, double *T, double *x, ec_error *err) {
  ec_init();
  *T = INFINITY;
  *x = 0;
  ec_status st = ec_game_check(g, err);
  if (st != EC_OK)
    return st;
  if (!(x0 > 0) || !(Qbar >= x0) || !isfinite(Qbar) || !(pr->rate >= 0) || !isfinite(pr->rate)) {
    snprintf(err->msg, sizeof err->msg,
             "dual convergence needs 0 < x0 <= Qbar and a progress rate >= 0 (x0 = %g, "
             "Qbar = %g, rate = %g)",
             x0, Qbar, pr->rate);
    return EC_EDOM;
  }
  for (size_t i = 0; i < pr->n_events; i++)
    if (!(pr->t_event[i] >= 0) || !(pr->factor[i] > 0 && pr->factor[i] <= 1) ||
        (i && !(pr->t_event[i] >= pr->t_event[i - 1]))) {
      snprintf(err->msg, sizeof err->msg,
               "event %zu: dates must be on or after t0 and in order, and factors in (0, 1] "
               "(date = %g years after t0, factor = %g)",
               i + 1, pr->t_event[i], pr->factor[i]);
      return EC_EDOM;
    }
  double y[1] = {x0}, t = 0;
  dual_args da = {g, regime, pr->rate, Qbar, 0, {{0}}};
  for (size_t i = 0; i <= pr->n_events; i++) {
    double t1 = fmin(i < pr->n_events ? pr->t_event[i] : INFINITY, t_at);
    int crossed;
    da.t_seg = t;
    da.Qbar_seg = Qbar * exp(-pr->rate * t);
    for (size_t j = 0; j < i; j++)
      da.Qbar_seg *= pr->factor[j];
    if (t1 > t && (st = dual_segment(&da, &t, y, t1, &crossed, err)) != EC_OK)
      return st;
    if (t1 > t && crossed) {
      *T = t;
      return EC_OK;
    }
    if (t >= t_at) {
      *x = y[0];
      return EC_OK;
    }
    if (i == pr->n_events)
      break;
    /* the release: Qbar_eff drops by (1 - factor), and so does the distance x */
    t = t1;
    double before = Qbar * exp(-pr->rate * t);
    for (size_t j = 0; j < i; j++)
      before *= pr->factor[j];
    y[0] -= before * (1 - pr->factor[i]);
    if (y[0] <= 0) {
      *T = t;
      return EC_OK;
    }
  }
  *T = t;
  return EC_OK;
}

ec_status ec_dual_T_star(const ec_game *g, ec_regime regime, double x0, double Qbar,
                         const ec_progress *pr, double *T, ec_error *err) {
  double x;
  return dual_run(g, regime, x0, Qbar, pr, INFINITY, T, &x, err);
}

ec_status ec_dual_x_at(const ec_game *g, ec_regime regime, double x0, double Qbar,
                       const ec_progress *pr, double t, double *x, ec_error *err) {
  double T;
  if (!(t >= 0) || !isfinite(t)) {
    snprintf(err->msg, sizeof err->msg, "the state is asked for at t = %g; t must be >= 0", t);
    return EC_EDOM;
  }
  return dual_run(g, regime, x0, Qbar, pr, t, &T, x, err);
}

double ec_T_dual_eq26(double T_hw, double T_algo, double T_indep) {
  return T_hw * T_algo / (T_hw + T_algo - T_hw * T_algo / T_indep);
}

/* ---- workloads -------------------------------------------------------------------------- */

double ec_curvature(double rho, double J) {
  if (J <= 1)
    return 0.0;
  if (isinf(rho) && rho < 0)
    return INFINITY;
  return (1 - rho) * (J - 1) / J;
}

double ec_curvature_eff(double K, double T, double T_star) {
  if (!(T < T_star) || !(T_star > 0))
    return 0.0; /* (1 - T/T*)^+ = 0: no curvature is exploitable, whatever K is */
  return K * (1 - T / T_star);
}

ec_status ec_root_geometric(ec_fn f, void *ctx, double Q_start, double Q_max, double *root,
                            ec_error *err) {
  int failed = 0;
  if (!(Q_start > 0) || !isfinite(Q_start)) {
    snprintf(err->msg, sizeof err->msg, "the search starts at Q = %g; it must be positive",
             Q_start);
    return EC_EDOM;
  }
  double lo = Q_start, hi = Q_start, f0 = f(Q_start, ctx, &failed);
  if (failed)
    return EC_EDOM;
  if (f0 == 0) {
    *root = Q_start;
    return EC_OK;
  }
  if (f0 > 0) { /* not yet: search upward */
    for (;;) {
      lo = hi;
      hi *= 2;
      if (hi > Q_max) {
        *root = INFINITY;
        return EC_OK;
      }
      double v = f(hi, ctx, &failed);
      if (failed)
        return EC_EDOM;
      if (v <= 0)
        break;
    }
  } else { /* already past: search downward */
    for (;;) {
      hi = lo;
      lo /= 2;
      if (lo < 1e-300) {
        *root = 0;
        return EC_OK;
      }
      double v = f(lo, ctx, &failed);
      if (failed)
        return EC_EDOM;
      if (v > 0)
        break;
    }
  }
  for (int it = 0; it < 200 && hi / lo - 1 > 1e-15; it++) {
    double mid = sqrt(lo * hi), v = f(mid, ctx, &failed);
    if (failed)
      return EC_EDOM;
    if (v > 0)
      lo = mid;
    else
      hi = mid;
  }
  *root = sqrt(lo * hi);
  return EC_OK;
}
