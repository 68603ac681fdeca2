/* Comparative statics of the crossing game: an asymmetric leader (cost advantage epsilon,
 * continuation value S1) against N - 1 symmetric rivals; a capacity constraint with a
 * construction lag; and the two-period pedagogical model of 004 Appendix A. */
#include "edsl_core.h"

#include "core_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>

static double sq(double v) {
  return v * v;
}

/* ---- asymmetric MPE ------------------------------------------------------------------- */

/* Outputs from the first-order conditions
 *   2b q1 + (N-1) b q2 = a1 - p1,   b q1 + N b q2 = a - p2,
 * and the HJB right-hand sides r V1 = b q1^2 - p1 (N-1) q2, r V2 = b q2^2 - p2 (q1 + (N-2) q2). */
void ec_game_asym_hjb(const ec_game *g, double epsilon, const double p[2], double q[2],
                      double F[2]) {
  double N = g->N, b = g->b, a1 = g->a + epsilon, a2 = g->a, den = b * (N + 1);
  q[0] = (N * (a1 - p[0]) - (N - 1) * (a2 - p[1])) / den;
  q[1] = (2 * (a2 - p[1]) - (a1 - p[0])) / den;
  F[0] = b * sq(q[0]) - p[0] * (N - 1) * q[1];
  F[1] = b * sq(q[1]) - p[1] * (q[0] + (N - 2) * q[1]);
}

static void asym_jacobian(const ec_game *g, double epsilon, const double p[2], double J[2][2]) {
  double N = g->N, b = g->b, den = b * (N + 1), q[2], F[2];
  ec_game_asym_hjb(g, epsilon, p, q, F);
  double A11 = -N / den, A12 = (N - 1) / den, A21 = 1 / den, A22 = -2 / den;
  J[0][0] = 2 * b * q[0] * A11 - (N - 1) * q[1] - p[0] * (N - 1) * A21;
  J[0][1] = 2 * b * q[0] * A12 - p[0] * (N - 1) * A22;
  J[1][0] = 2 * b * q[1] * A21 - p[1] * (A11 + (N - 2) * A21);
  J[1][1] = 2 * b * q[1] * A22 - (q[0] + (N - 2) * q[1]) - p[1] * (A12 + (N - 2) * A22);
}

/* Newton on F(p) = target, with a continuation from the symmetric root so that the branch
 * with positive outputs (the one the symmetric closed form selects) is kept. */
static int asym_root(const ec_game *g, double epsilon, double S1, double p[2]) {
  double ps = ec_game_slope(g, EC_NASH, g->S);
  p[0] = p[1] = ps;
  const int steps = 32;
  for (int k = 1; k <= steps; k++) {
    double th = (double)k / steps, eps = th * epsilon;
    double target[2] = {g->r * (g->S + th * (S1 - g->S)), g->r * g->S};
    int ok = 0;
    for (int it = 0; it < 100; it++) {
      double q[2], F[2], J[2][2];
      ec_game_asym_hjb(g, eps, p, q, F);
      double r0 = F[0] - target[0], r1 = F[1] - target[1];
      double scale = fabs(target[0]) + fabs(target[1]) + sq(g->a) / g->b;
      if (fabs(r0) + fabs(r1) < 1e-14 * scale) {
        ok = 1;
        break;
      }
      asym_jacobian(g, eps, p, J);
      double det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
      if (!(fabs(det) > 0) || !isfinite(det))
        return -1;
      double d0 = (r0 * J[1][1] - r1 * J[0][1]) / det, d1 = (J[0][0] * r1 - J[1][0] * r0) / det;
      p[0] -= d0;
      p[1] -= d1;
    }
    if (!ok)
      return -1;
  }
  return 0;
}

typedef struct {
  const ec_game *g;
  double epsilon;
  int bad; /* 1: corner (an output reached zero), 2: singular Jacobian */
} asym_args;

/* y = (p1, p2, t) as functions of x: r p = J(p) dp/dx, dt/dx = 1/Q. */
static int asym_rhs(double x, const double y[], double dy[], void *vp) {
  (void)x;
  asym_args *aa = vp;
  double q[2], F[2], J[2][2];
  ec_game_asym_hjb(aa->g, aa->epsilon, y, q, F);
  if (!(q[0] > 0) || !(q[1] > 0 || aa->g->N == 1)) {
    aa->bad = 1;
    return GSL_EBADFUNC;
  }
  asym_jacobian(aa->g, aa->epsilon, y, J);
  double det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
  if (!(fabs(det) > 0)) {
    aa->bad = 2;
    return GSL_EBADFUNC;
  }
  double r = aa->g->r;
  dy[0] = r * (y[0] * J[1][1] - y[1] * J[0][1]) / det;
  dy[1] = r * (J[0][0] * y[1] - J[1][0] * y[0]) / det;
  dy[2] = 1.0 / (q[0] + (aa->g->N - 1) * q[1]);
  return GSL_SUCCESS;
}

ec_status ec_game_asym(const ec_game *g, double epsilon, double S_leader, double x0,
                       ec_asym_result *out, ec_error *err) {
  ec_init();
  ec_status st = ec_game_check(g, err);
  if (st != EC_OK)
    return st;
  if (g->N < 2 || !isfinite(epsilon) || epsilon < 0 || !(S_leader >= 0) || !isfinite(S_leader) ||
      !(x0 > 0) || !isfinite(x0)) {
    snprintf(err->msg, sizeof err->msg,
             "the asymmetric game needs N >= 2, epsilon >= 0, S_leader >= 0 and x0 > 0, all "
             "finite (N = %d, epsilon = %g, S_leader = %g, x0 = %g)",
             g->N, epsilon, S_leader, x0);
    return EC_EDOM;
  }
  double p[3];
  if (asym_root(g, epsilon, S_leader, p)) {
    snprintf(err->msg, sizeof err->msg,
             "no interior equilibrium at crossing: F(p) = r S has no root with positive outputs "
             "(N = %d, a = %g, b = %g, r = %g, S = %g, epsilon = %g, S_leader = %g)",
             g->N, g->a, g->b, g->r, g->S, epsilon, S_leader);
    return EC_ENOROOT;
  }
  p[2] = 0;
  asym_args aa = {g, epsilon, 0};
  double q[2], F[2];
  ec_game_asym_hjb(g, epsilon, p, q, F);
  if (!(q[0] > 0) || !(q[1] > 0)) {
    snprintf(err->msg, sizeof err->msg,
             "at crossing the %s output is not positive (q_leader = %g, q_rival = %g; N = %d, "
             "epsilon = %g, S_leader = %g, S = %g): the game has a corner the model excludes",
             q[0] > 0 ? "rivals'" : "leader's", q[0], q[1], g->N, epsilon, S_leader, g->S);
    return EC_EDOM;
  }
  gsl_odeiv2_system sys = {asym_rhs, NULL, 3, &aa};
  gsl_odeiv2_driver *d = ec_ode_driver(&sys, gsl_odeiv2_step_rk8pd, x0 * 1e-6, 1e-13, 1e-13);
  double x = 0;
  int status = gsl_odeiv2_driver_apply(d, &x, x0, p);
  gsl_odeiv2_driver_free(d);
  if (status != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg,
             "ODE integration of the asymmetric game failed at x = %g (%s; N = %d, a = %g, "
             "b = %g, r = %g, S = %g, epsilon = %g, S_leader = %g)",
             x,
             aa.bad == 1   ? "an output reached zero"
             : aa.bad == 2 ? "singular Jacobian"
                           : gsl_strerror(status),
             g->N, g->a, g->b, g->r, g->S, epsilon, S_leader);
    return EC_EINTEGRATE;
  }
  ec_game_asym_hjb(g, epsilon, p, q, F);
  out->x0 = x0;
  out->q_leader = q[0];
  out->q_rival = q[1];
  out->Q = q[0] + (g->N - 1) * q[1];
  out->V_leader = F[0] / g->r;
  out->V_rival = F[1] / g->r;
  out->T = p[2];
  return EC_OK;
}

/* ---- capacity constraint --------------------------------------------------------------- */

static ec_status T_from(const ec_game *g, double x, double *T, ec_error *err) {
  ec_game_point p;
  ec_status st = ec_game_at_x(g, EC_NASH, x, &p, err);
  if (st == EC_OK)
    *T = p.T;
  return st;
}

/* Nash output is monotone along the path: it falls as the crossing nears when S is below the
 * steady state (the cap binds far from it, x > x_binding) and rises when S is above it (the
 * cap binds near it, x < x_binding). Each case is a free and a capped phase until the lag. */
ec_status ec_game_capacity(const ec_game *g, double x0, double q_bar, double lag,
                           ec_capacity_result *out, ec_error *err) {
  ec_init();
  ec_status st = ec_game_check(g, err);
  if (st != EC_OK)
    return st;
  if (!(x0 > 0) || !isfinite(x0) || !(q_bar >= 0) || !isfinite(q_bar) || !(lag >= 0) ||
      !isfinite(lag)) {
    snprintf(err->msg, sizeof err->msg,
             "the capacity constraint needs x0 > 0, q_bar >= 0 and a lag >= 0, all finite "
             "(x0 = %g, q_bar = %g, lag = %g)",
             x0, q_bar, lag);
    return EC_EDOM;
  }
  ec_game_point p0, pc, pb;
  if ((st = ec_game_at_x(g, EC_NASH, x0, &p0, err)) != EC_OK ||
      (st = ec_game_at_x(g, EC_NASH, 0, &pc, err)) != EC_OK)
    return st;
  double N = g->N, rate = N * q_bar, T_rest;
  int rising = p0.q >= pc.q; /* output rises with x: S at or below the steady state */
  out->T_free = p0.T;
  out->T_capacity = p0.T;
  out->x_binding = rising ? x0 : 0;
  if (lag == 0 || q_bar >= fmax(p0.q, pc.q)) {
    out->delay = 0;
    return EC_OK;
  }
  /* x_b: where q(x) = q_bar on [0, x0], or the end of the interval it lies beyond */
  double x_b = rising ? 0 : x0;
  if (q_bar > fmin(p0.q, pc.q)) {
    if ((st = ec_game_at_Q(g, EC_NASH, N * q_bar, &pb, err)) != EC_OK)
      return st;
    x_b = fmin(pb.x, x0);
  }
  out->x_binding = x_b;
  if (rising) { /* capped from x0 down to x_b, then free */
    double t_b = q_bar > 0 ? (x0 - x_b) / rate : INFINITY;
    if (t_b < lag) {
      if ((st = T_from(g, x_b, &T_rest, err)) != EC_OK)
        return st;
      out->T_capacity = t_b + T_rest;
    } else {
      double x_lag = x0 - rate * lag;
      if (x_lag <= 0)
        out->T_capacity = x0 / rate;
      else {
        if ((st = T_from(g, x_lag, &T_rest, err)) != EC_OK)
          return st;
        out->T_capacity = lag + T_rest;
      }
    }
  } else { /* free from x0 down to x_b, then capped */
    if ((st = T_from(g, x_b, &T_rest, err)) != EC_OK)
      return st;
    double t_b = p0.T - T_rest;
    if (t_b < lag) {
      double t_end = t_b + (q_bar > 0 ? x_b / rate : INFINITY);
      if (t_end <= lag)
        out->T_capacity = t_end;
      else {
        if ((st = T_from(g, x_b - rate * (lag - t_b), &T_rest, err)) != EC_OK)
          return st;
        out->T_capacity = lag + T_rest;
      }
    }
  }
  out->delay = out->T_capacity - out->T_free;
  return EC_OK;
}

typedef struct {
  const ec_game *g;
  double q_bar, lag;
} cap_args;

/* y = (t, V) as functions of x, integrated from x0 down to 0. */
static int cap_rhs(double x, const double y[], double dy[], void *vp) {
  (void)x;
  cap_args *ca = vp;
  double q = ec_game_q_of_V(ca->g, EC_NASH, y[1]);
  if (y[0] < ca->lag && q > ca->q_bar)
    q = ca->q_bar;
  if (!(q > 0))
    return GSL_EBADFUNC;
  dy[0] = -1.0 / (ca->g->N * q); /* dt/dx, x decreasing */
  dy[1] = ec_game_slope(ca->g, EC_NASH, y[1]);
  return GSL_SUCCESS;
}

ec_status ec_game_capacity_ode(const ec_game *g, double x0, double q_bar, double lag, double *T,
                               ec_error *err) {
  ec_init();
  double y[2] = {0, 0};
  ec_status st = ec_game_V_of_x(g, EC_NASH, x0, &y[1], err);
  if (st != EC_OK)
    return st;
  cap_args ca = {g, q_bar, lag};
  gsl_odeiv2_system sys = {cap_rhs, NULL, 2, &ca};
  gsl_odeiv2_driver *d = ec_ode_driver(&sys, gsl_odeiv2_step_rkf45, -x0 * 1e-6, 1e-11, 1e-11);
  double x = x0;
  int status = gsl_odeiv2_driver_apply(d, &x, 0.0, y);
  gsl_odeiv2_driver_free(d);
  if (status != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg,
             "ODE integration of the capacity path failed at x = %g (%s; N = %d, a = %g, b = %g, "
             "r = %g, S = %g, q_bar = %g, lag = %g)",
             x, gsl_strerror(status), g->N, g->a, g->b, g->r, g->S, q_bar, lag);
    return EC_EINTEGRATE;
  }
  *T = y[0];
  return EC_OK;
}

/* ---- two-period model ------------------------------------------------------------------ */

/* The crossing rule of A.1 is Q1 >= Qbar, so the no-crossing side is the open interval
 * Q1 < Qbar and an optimum "at Qbar" on that side is a supremum: it is reported at
 * Qbar (1 - 2^-44), an output that stays below Qbar however a reader splits it into N
 * shares in double arithmetic, with the payoff's limit at Qbar (they differ by ~1e-13 of
 * the payoff). */
static double just_below(double Qbar) {
  return Qbar * (1 - 0x1p-44);
}

/* Industry two-period payoff at period-1 output Q1 on the branch `crossed` (so that the
 * supremum just below Qbar can be evaluated). */
static double tp_industry(const ec_two_period *m, double Q1, int crossed) {
  double pi1 = (m->a - m->c1 - m->b * Q1) * Q1;
  double pi2 = (m->pi2 + m->alpha * m->c1 * Q1) * (crossed ? 1 - m->delta : 1);
  return pi1 + m->beta * pi2;
}

double ec_two_period_payoff(const ec_two_period *m, double Q1) {
  return tp_industry(m, Q1, Q1 >= m->Qbar) / m->N;
}

/* Firm i's payoff (eq. 59) producing qi while its rivals produce Qo together, on the branch
 * `crossed`: its period-1 Cournot profit and 1/N of the period-2 industry profit. */
static double tp_firm(const ec_two_period *m, double qi, double Qo, int crossed) {
  double Q = Qo + qi;
  return (m->a - m->c1 - m->b * Q) * qi +
         m->beta * (m->pi2 + m->alpha * m->c1 * Q) / m->N * (crossed ? 1 - m->delta : 1);
}

double ec_two_period_firm_payoff(const ec_two_period *m, double qi, double Qo) {
  return tp_firm(m, qi, Qo, Qo + qi >= m->Qbar);
}

/* The supremum of firm i's payoff against rivals producing Qo: the better of the crossing
 * side (qi >= Qbar - Qo, an interior optimum or that corner) and the no-crossing side
 * (qi < Qbar - Qo, an interior optimum or the supremum at that corner). */
static double tp_best_reply(const ec_two_period *m, double Qo) {
  double N = m->N, m1 = m->a - m->c1, learn = m->beta * m->alpha * m->c1;
  double edge = fmax(0, m->Qbar - Qo);
  double qc = fmax(edge, (m1 - m->b * Qo + learn * (1 - m->delta) / N) / (2 * m->b));
  double best = tp_firm(m, qc, Qo, 1);
  if (Qo < m->Qbar) {
    double qn = fmin(edge, fmax(0, (m1 - m->b * Qo + learn / N) / (2 * m->b)));
    best = fmax(best, tp_firm(m, qn, Qo, 0));
  }
  return best;
}

/* Symmetric Nash equilibria of the piecewise game. On each side of the crossing the payoff
 * is a concave quadratic, so a symmetric equilibrium is interior on the no-crossing side
 * (eq. 61, if it stays below Qbar), interior on the crossing side (eq. 61 with the learning
 * share times 1 - delta, if it reaches Qbar), or the corner at Qbar approached from below;
 * each candidate is kept only if no firm gains by a unilateral deviation to either side. */
typedef struct {
  double Q;    /* industry output */
  int crossed; /* the branch its payoffs are on */
  double Pi;   /* per-firm payoff */
} tp_eq;

static int tp_nash(const ec_two_period *m, tp_eq eq[3]) {
  double N = m->N, m1 = m->a - m->c1, learn = m->beta * m->alpha * m->c1;
  double q61 = (m1 + learn / N) / (m->b * (N + 1));
  double qx = (m1 + learn * (1 - m->delta) / N) / (m->b * (N + 1));
  tp_eq cand[3] = {{N * q61, 0, 0}, {N * qx, 1, 0}, {m->Qbar, 0, 0}};
  int ok[3] = {N * q61 < m->Qbar && q61 >= 0, N * qx >= m->Qbar && qx >= 0, N * q61 >= m->Qbar};
  int n = 0;
  for (int k = 0; k < 3; k++) {
    if (!ok[k])
      continue;
    double q = cand[k].Q / N, Qo = cand[k].Q - q;
    double Pi = tp_firm(m, q, Qo, cand[k].crossed), br = tp_best_reply(m, Qo);
    double scale = fabs(Pi) + fabs(m1 * q) + m->beta * (m->pi2 + fabs(learn * m->Qbar)) / N;
    if (br - Pi > 1e-12 * scale)
      continue; /* a firm gains by deviating */
    eq[n] = cand[k];
    /* the symmetric payoff computed as the cartel's, so that equal outputs give equal
     * payoffs (at the corner, the limit at Qbar) */
    eq[n].Pi = tp_industry(m, cand[k].Q, cand[k].crossed) / N;
    if (k == 2)
      eq[n].Q = just_below(m->Qbar);
    n++;
  }
  return n;
}

ec_status ec_two_period_solve(const ec_two_period *m, ec_two_period_result *out, ec_error *err) {
  if (m->N < 1 || !(m->b > 0) || !(m->c1 >= 0) || !(m->a > m->c1) || !(m->beta > 0) ||
      !(m->beta <= 1) || !(m->alpha >= 0) || !(m->alpha < 1) || !(m->Qbar > 0) ||
      !(m->delta >= 0) || !(m->delta <= 1) || !(m->pi2 >= 0) || !isfinite(m->a) ||
      !isfinite(m->Qbar) || !isfinite(m->pi2)) {
    snprintf(err->msg, sizeof err->msg,
             "the two-period model needs N >= 1, a > c1 >= 0, b > 0, 0 < beta <= 1, "
             "0 <= alpha < 1, Qbar > 0, 0 <= delta <= 1 and pi2 >= 0 (N = %d, a = %g, b = %g, "
             "c1 = %g, beta = %g, alpha = %g, Qbar = %g, delta = %g, pi2 = %g)",
             m->N, m->a, m->b, m->c1, m->beta, m->alpha, m->Qbar, m->delta, m->pi2);
    return EC_EDOM;
  }
  double N = m->N, m1 = m->a - m->c1, learn = m->beta * m->alpha * m->c1;
  tp_eq eq[3];
  int neq = tp_nash(m, eq);
  if (neq == 0) {
    snprintf(err->msg, sizeof err->msg,
             "the two-period game has no symmetric pure-strategy Nash equilibrium (N = %d, "
             "a = %g, b = %g, c1 = %g, beta = %g, alpha = %g, Qbar = %g, delta = %g, pi2 = %g)",
             m->N, m->a, m->b, m->c1, m->beta, m->alpha, m->Qbar, m->delta, m->pi2);
    return EC_ENOROOT;
  }
  /* Two equilibria can coexist (the corner at Qbar and an interior crossing one): the
   * firms' payoff-dominant one is reported, and the count says there was a choice. */
  int pick = 0;
  for (int k = 1; k < neq; k++)
    if (eq[k].Pi > eq[pick].Pi)
      pick = k;
  out->n_equilibria = neq;
  out->Q_nash = eq[pick].Q;
  out->q_nash = eq[pick].Q / N;
  out->crosses_nash = eq[pick].crossed;
  out->Pi_nash = eq[pick].Pi;
  /* Joint-profit optimum over both branches of the crossing discontinuity. */
  double Q_nc = fmax(0, (m1 + learn) / (2 * m->b)),
         Q_c = (m1 + learn * (1 - m->delta)) / (2 * m->b);
  int corner = Q_nc >= m->Qbar;
  if (corner)
    Q_nc = m->Qbar; /* the supremum of the no-crossing branch */
  if (Q_c < m->Qbar)
    Q_c = m->Qbar;
  double W_nc = tp_industry(m, Q_nc, 0), W_c = tp_industry(m, Q_c, 1);
  if (W_nc >= W_c) {
    out->Q_coop = corner ? just_below(m->Qbar) : Q_nc;
    out->crosses_coop = 0;
    out->Pi_coop = W_nc / N;
  } else {
    out->Q_coop = Q_c;
    out->crosses_coop = 1;
    out->Pi_coop = W_c / N;
  }
  out->Q_ratio = out->Q_coop > 0 ? out->Q_nash / out->Q_coop : INFINITY;
  out->Q_ratio_printed = (m1 + learn / N) / (m1 + learn);
  out->Q_ratio_approx = 1 + (N - 1) * learn / (N * m1);
  out->dCS = m->b / 2 * (sq(out->Q_nash) - sq(out->Q_coop));
  out->dW = out->dCS - N * (out->Pi_coop - out->Pi_nash);
  if (!isfinite(out->Q_ratio)) {
    snprintf(err->msg, sizeof err->msg,
             "the cooperative output is zero (a - c1 + beta alpha c1 = %g)", m1 + learn);
    return EC_EDOM;
  }
  return EC_OK;
}
