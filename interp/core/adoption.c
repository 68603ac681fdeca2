/* Adoption and the generalized crossing (004 §5 and App. E; 003 §5.4): R0 of the modified
 * SIR adoption equation (15), the self-sustaining threshold Qbar* (23), the equilibrium path
 * Q(t) of the game that drives c(Q), and the hardware / R0 crossing dates. */
#include "edsl_core.h"

#include "core_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

ec_status ec_adoption_check(const ec_adoption *m, ec_error *err) {
  int ok = m->gamma > 0 && m->kappa >= 0 && m->mu >= 0 && m->kappa + m->mu > 0 && m->c_star > 0 &&
           m->alpha > 0 && m->Qbar > 0 && m->s0 > 0 && m->s0 < 1 && isfinite(m->gamma) &&
           isfinite(m->kappa + m->mu) && isfinite(m->c_star) && isfinite(m->Qbar) &&
           isfinite(m->beta0) && m->beta0 >= 0;
  if (m->form == EC_BETA_LINEAR)
    ok = ok && m->lambda >= 0 && isfinite(m->lambda);
  else
    ok = ok && m->T_u > 0 && m->scale > 0 && isfinite(m->latency) && isfinite(m->friction) &&
         isfinite(m->scale);
  if (m->law == EC_KAPPA_HALF_LIFE)
    ok = ok && m->half_life > 0;
  if (m->law == EC_KAPPA_ECOSYSTEM)
    ok = ok && m->E0 > 0 && m->E_max >= m->E0 && m->eta_E >= 0 && m->gamma_E >= 0 &&
         isfinite(m->E_max) && isfinite(m->eta_E);
  if (!ok) {
    snprintf(err->msg, sizeof err->msg,
             "adoption parameters out of domain: need gamma > 0, kappa, mu >= 0 with kappa + mu "
             "> 0, beta0 >= 0, lambda >= 0, 0 < s0 < 1, c* > 0, alpha > 0, Qbar > 0 (and T_u, "
             "scale > 0 for the logit form; half-life > 0; 0 < E0 <= E_max) (beta0 = %g, "
             "gamma = %g, kappa = %g, mu = %g, lambda = %g, s0 = %g, c* = %g, alpha = %g, "
             "Qbar = %g)",
             m->beta0, m->gamma, m->kappa, m->mu, m->lambda, m->s0, m->c_star, m->alpha, m->Qbar);
    return EC_EDOM;
  }
  return EC_OK;
}

double ec_adoption_cost(const ec_adoption *m, double Q) {
  return m->c_star * pow(Q / m->Qbar, -m->alpha);
}

double ec_adoption_beta(const ec_adoption *m, double c) {
  if (m->form == EC_BETA_LINEAR)
    return m->beta0 * fmax(m->c_star - c, 0.0) + m->lambda;
  double du = m->beta0 * (m->c_star - c) + m->latency - m->friction;
  return m->scale / (1.0 + exp(-du / m->T_u)); /* eq. 17, scaled to a rate */
}

double ec_adoption_R0(const ec_adoption *m, double c, double kappa) {
  return ec_adoption_beta(m, c) * m->gamma / (kappa + m->mu);
}

double ec_adoption_kappa_of_E(const ec_adoption *m, double E) {
  return m->kappa * pow(m->E0 / E, m->gamma_E);
}

double ec_adoption_Qbar_star(const ec_adoption *m, double kappa) {
  double beta_req = (kappa + m->mu) / m->gamma, c_req;
  if (m->form == EC_BETA_LINEAR) {
    if (m->lambda >= beta_req)
      return 0.0; /* the latency advantage alone keeps R0 >= 1 at every Q */
    if (!(m->beta0 > 0))
      return INFINITY;
    /* eq. 21: c(Q) = c* - ((kappa + mu)/gamma - lambda) / beta0 */
    c_req = m->c_star - (beta_req - m->lambda) / m->beta0;
  } else {
    double P = beta_req / m->scale;
    if (P >= 1)
      return INFINITY;
    double du = m->T_u * log(P / (1 - P));
    if (!(m->beta0 > 0))
      return m->latency - m->friction >= du ? 0.0 : INFINITY;
    c_req = m->c_star - (du - m->latency + m->friction) / m->beta0;
  }
  if (!(c_req > 0))
    return INFINITY; /* R0 < 1 even at zero cost */
  /* eq. 22-23: Qbar* = Qbar (c_req / c*)^(-1/alpha) */
  return m->Qbar * pow(c_req / m->c_star, -1.0 / m->alpha);
}

/* ---- the equilibrium path Q(t) --------------------------------------------------------- */

ec_status ec_path_init(ec_path *p, const ec_game *g, double Q_now, double Qbar, ec_error *err) {
  ec_init();
  memset(p, 0, sizeof *p);
  p->g = *g;
  p->Q_now = Q_now;
  p->Qbar = Qbar;
  p->x0 = Qbar - Q_now;
  if (!(Q_now > 0) || !(p->x0 > 0) || !isfinite(Qbar)) {
    snprintf(err->msg, sizeof err->msg,
             "the equilibrium path needs 0 < Q_now < Qbar, both finite (Q_now = %g, Qbar = %g)",
             Q_now, Qbar);
    return EC_EDOM;
  }
  ec_game_point p0, pc;
  ec_status st = ec_game_check(g, err);
  if (st == EC_OK)
    st = ec_game_at_x(g, EC_NASH, p->x0, &p0, err);
  if (st == EC_OK)
    st = ec_game_at_x(g, EC_NASH, 0, &pc, err);
  if (st != EC_OK)
    return st;
  p->T_cross = p0.T;
  p->Q_cross = pc.Q;
  return EC_OK;
}

ec_status ec_path_Q(const ec_path *p, double t, double *Q, ec_error *err) {
  if (!(t >= 0) || !isfinite(t)) {
    snprintf(err->msg, sizeof err->msg, "the path is defined for finite t >= 0 (t = %g)", t);
    return EC_EDOM;
  }
  if (t >= p->T_cross) {
    /* after crossing: production continues at the rate at crossing */
    *Q = p->Qbar + p->Q_cross * (t - p->T_cross);
    return EC_OK;
  }
  if (t == 0) {
    *Q = p->Q_now;
    return EC_OK;
  }
  /* the state whose remaining time to crossing is T_cross - t */
  ec_game_point pt;
  ec_status st = ec_game_at_T(&p->g, EC_NASH, p->T_cross - t, &pt, err);
  if (st != EC_OK)
    return st;
  *Q = p->Qbar - pt.x;
  return EC_OK;
}

/* ---- adoption dynamics ------------------------------------------------------------------ */

typedef struct {
  const ec_adoption *m;
  const ec_path *p;
  int failed;
  ec_error err;
} share_args;

static double kappa_at(const ec_adoption *m, double t, double E) {
  switch (m->law) {
  case EC_KAPPA_HALF_LIFE:
    return m->kappa * exp2(-t / m->half_life);
  case EC_KAPPA_ECOSYSTEM:
    return ec_adoption_kappa_of_E(m, E);
  default:
    return m->kappa;
  }
}

/* y = (ln s, E): eq. 15 with kappa(t) divided by s, d ln s/dt = beta gamma (1 - s) -
 * (kappa + mu), and eq. 68 for the ecosystem. In ln s an absolute error control is a
 * relative one on s, however small the seed (in s, a tolerance of 1e-11 lost the digits of
 * a 1e-9 seed). */
static int share_rhs(double t, const double y[], double dy[], void *vp) {
  share_args *sa = vp;
  double Q;
  if (ec_path_Q(sa->p, t, &Q, &sa->err) != EC_OK) {
    sa->failed = 1;
    return GSL_EBADFUNC;
  }
  const ec_adoption *m = sa->m;
  double c = ec_adoption_cost(m, Q), k = kappa_at(m, t, y[1]), s = exp(y[0]);
  dy[0] = ec_adoption_beta(m, c) * m->gamma * -expm1(y[0]) - (k + m->mu);
  dy[1] = m->law == EC_KAPPA_ECOSYSTEM ? m->eta_E * s * (m->E_max - y[1]) : 0.0;
  return GSL_SUCCESS;
}

/* y = (s, E) from t0 to t1. */
static ec_status integrate_share(share_args *sa, double t0, double y[2], double t1, ec_error *err) {
  gsl_odeiv2_system sys = {share_rhs, NULL, 2, sa};
  /* absolute 1e-13 on ln s (relative on s), relative 1e-13 on E */
  gsl_odeiv2_driver *d = ec_ode_driver(&sys, gsl_odeiv2_step_rk8pd, 1e-6, 1e-13, 1e-13);
  double t = t0, z[2] = {log(y[0]), y[1]};
  int status = t1 > t0 ? gsl_odeiv2_driver_apply(d, &t, t1, z) : GSL_SUCCESS;
  gsl_odeiv2_driver_free(d);
  if (status != GSL_SUCCESS) {
    if (sa->failed)
      *err = sa->err;
    else
      snprintf(err->msg, sizeof err->msg,
               "ODE integration of the adoption share failed at t = %g (%s; s = %g)", t,
               gsl_strerror(status), exp(z[0]));
    return EC_EINTEGRATE;
  }
  y[0] = exp(z[0]);
  y[1] = z[1];
  return EC_OK;
}

ec_status ec_adoption_share(const ec_adoption *m, const ec_path *p, double t, double *s,
                            double *kappa, ec_error *err) {
  ec_init();
  ec_status st = ec_adoption_check(m, err);
  if (st != EC_OK)
    return st;
  if (!(t >= 0) || !isfinite(t)) {
    snprintf(err->msg, sizeof err->msg, "the share is defined for finite t >= 0 (t = %g)", t);
    return EC_EDOM;
  }
  share_args sa = {m, p, 0, {{0}}};
  double y[2] = {m->s0, m->E0};
  if ((st = integrate_share(&sa, 0, y, t, err)) != EC_OK)
    return st;
  *s = y[0];
  *kappa = kappa_at(m, t, y[1]);
  return EC_OK;
}

/* sign of Q(t) - Qbar*(kappa(t)): >= 0 once adoption is self-sustaining */
static ec_status r0_gap(const ec_adoption *m, const ec_path *p, double t, double E, double *gap,
                        ec_error *err) {
  double Q, Qs = ec_adoption_Qbar_star(m, kappa_at(m, t, E));
  ec_status st = ec_path_Q(p, t, &Q, err);
  if (st == EC_OK)
    *gap = isinf(Qs) ? -1.0 : Q - Qs;
  return st;
}

ec_status ec_adoption_crossings(const ec_adoption *m, const ec_path *p, double horizon,
                                ec_crossings *out, ec_error *err) {
  ec_init();
  ec_status st = ec_adoption_check(m, err);
  if (st != EC_OK)
    return st;
  out->R0_parity = ec_adoption_R0(m, m->c_star, m->kappa);
  out->Qbar_star = ec_adoption_Qbar_star(m, m->kappa);
  out->T_hardware = p->T_cross;
  /* Scan forward (Q(t) rises and Qbar*(kappa(t)) falls as kappa declines, so the gap is
   * increasing), then bisect the first bracket. */
  share_args sa = {m, p, 0, {{0}}};
  double y[2] = {m->s0, m->E0}, ya[2];
  double dt = fmax(p->T_cross, m->law == EC_KAPPA_HALF_LIFE ? m->half_life : 0) / 64.0;
  double t = 0, gap;
  if ((st = r0_gap(m, p, 0, y[1], &gap, err)) != EC_OK)
    return st;
  out->T_R0 = INFINITY;
  if (gap >= 0)
    out->T_R0 = 0;
  while (out->T_R0 == INFINITY && t < horizon) {
    double t1 = fmin(t + dt, horizon);
    memcpy(ya, y, sizeof y);
    if (m->law == EC_KAPPA_ECOSYSTEM && (st = integrate_share(&sa, t, y, t1, err)) != EC_OK)
      return st;
    if ((st = r0_gap(m, p, t1, y[1], &gap, err)) != EC_OK)
      return st;
    if (gap >= 0) {
      double lo = t, hi = t1;
      for (int it = 0; it < 200 && hi - lo > 1e-13 * (1 + hi); it++) {
        double mid = 0.5 * (lo + hi), ym[2] = {ya[0], ya[1]}, g;
        if (m->law == EC_KAPPA_ECOSYSTEM && (st = integrate_share(&sa, t, ym, mid, err)) != EC_OK)
          return st;
        if ((st = r0_gap(m, p, mid, ym[1], &g, err)) != EC_OK)
          return st;
        if (g >= 0)
          hi = mid;
        else
          lo = mid;
      }
      out->T_R0 = hi;
    }
    t = t1;
  }
  out->lag = out->T_R0 - out->T_hardware;
  return EC_OK;
}

ec_status ec_implied_R0(const double *t, const double *s, size_t n, double delta, double *out,
                        ec_error *err) {
  if (n < 2) {
    snprintf(err->msg, sizeof err->msg,
             "implied R0 needs a share series of at least 2 observations (got %zu)", n);
    return EC_EDOM;
  }
  if (!(delta > 0) || !isfinite(delta)) {
    snprintf(err->msg, sizeof err->msg, "implied R0 needs a rate delta > 0 (delta = %g)", delta);
    return EC_EDOM;
  }
  for (size_t i = 0; i < n; i++) {
    if (!(s[i] > 0 && s[i] < 1)) {
      snprintf(err->msg, sizeof err->msg,
               "share %zu is %g: eq. 17 divides by s(1 - s), so every share must lie in (0, 1)",
               i + 1, s[i]);
      return EC_EDOM;
    }
    if (i + 1 < n && !(t[i + 1] > t[i])) {
      snprintf(err->msg, sizeof err->msg,
               "the dates of a share series must increase (date %zu = %g, date %zu = %g)", i + 1,
               t[i], i + 2, t[i + 1]);
      return EC_EDOM;
    }
  }
  for (size_t i = 0; i + 1 < n; i++) {
    double slope = (s[i + 1] - s[i]) / (t[i + 1] - t[i]);
    out[i] = 1.0 + slope / (delta * s[i] * (1 - s[i]));
  }
  return EC_OK;
}
