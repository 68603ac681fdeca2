/* Post-crossing growth (004 §12-§14, Appendix C): the growth law with its regimes and
 * singularity, training saturation, model-collapse protection, Weitzman recombination and the
 * Baumol bottleneck. Reaction systems and catalytic dynamics are raf.c's. */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "edsl_core.h"

/* ---- The growth law ---------------------------------------------------------------------- */

ec_status ec_phi_eff(double phi_0, double beta_auto, double *phi_eff, ec_error *err) {
  if (!(phi_0 > 0 && phi_0 < 1) || !(beta_auto >= 0 && beta_auto < 1)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 41 needs 0 < phi_0 < 1 and 0 <= beta_auto < 1 (phi_0 = %g, beta_auto = %g)",
             phi_0, beta_auto);
    return EC_EDOM;
  }
  *phi_eff = phi_0 / (1 - beta_auto * phi_0);
  return EC_OK;
}

double ec_growth_Phi(const ec_growth *g) {
  return g->lambda + g->phi_0 / (1 - g->beta_auto * g->phi_0) - 1;
}

ec_status ec_collapse_D(double rho, double J, double *D, ec_error *err) {
  if (!(rho >= 0 && rho < 1)) {
    snprintf(err->msg, sizeof err->msg,
             "D(rho, J) = (J-1)/J (1 - rho^(1/(1-rho))) needs 0 <= rho < 1: %s (rho = %g)",
             rho < 0 ? "rho^(1/(1-rho)) is not a real number for rho < 0"
                     : "the exponent 1/(1-rho) is undefined at rho = 1",
             rho);
    return EC_EDOM;
  }
  if (!(J >= 1) || !isfinite(J)) {
    snprintf(err->msg, sizeof err->msg, "D(rho, J) needs J >= 1 specialization types (J = %g)", J);
    return EC_EDOM;
  }
  *D = (J - 1) / J * (1 - pow(rho, 1 / (1 - rho)));
  return EC_OK;
}

static int alpha_ok(double alpha_ext, double alpha_crit, ec_error *err) {
  if (alpha_ext >= 0 && alpha_ext <= 1 && alpha_crit > 0 && alpha_crit < 1)
    return 1;
  snprintf(err->msg, sizeof err->msg,
           "the collapse condition needs 0 <= alpha_ext <= 1 and 0 < alpha_crit < 1 (alpha_ext "
           "= %g, alpha_crit = %g)",
           alpha_ext, alpha_crit);
  return 0;
}

static int collapse_avoided(double rho, double J, double alpha_ext, double alpha_crit) {
  double D;
  ec_error e;
  return ec_collapse_D(rho, J, &D, &e) == EC_OK && alpha_ext + (1 - alpha_ext) * D > alpha_crit;
}

ec_status ec_J_min(double rho, double alpha_ext, double alpha_crit, double *J, ec_error *err) {
  double D1;
  ec_status st = ec_collapse_D(rho, 2, &D1, err); /* checks rho */
  if (st != EC_OK)
    return st;
  if (!alpha_ok(alpha_ext, alpha_crit, err))
    return EC_EDOM;
  if (alpha_ext > alpha_crit) {
    *J = 1;
    return EC_OK;
  }
  /* alpha_ext + (1 - alpha_ext)(J-1)/J (1 - x) > alpha_crit  <=>  J > 1/(1 - c) */
  double x = pow(rho, 1 / (1 - rho));
  double c = (alpha_crit - alpha_ext) / ((1 - alpha_ext) * (1 - x));
  if (c >= 1) {
    *J = INFINITY;
    return EC_OK;
  }
  /* J > 1/(1 - c); at an exact boundary round-off can put floor + 1 one off either way, so
   * settle it on eq. 50 itself */
  *J = floor(1 / (1 - c)) + 1;
  while (!collapse_avoided(rho, *J, alpha_ext, alpha_crit))
    *J += 1;
  while (*J > 1 && collapse_avoided(rho, *J - 1, alpha_ext, alpha_crit))
    *J -= 1;
  return EC_OK;
}

static int gate_open(const ec_growth *g, double J) {
  return !g->gate || collapse_avoided(g->rho, J, g->alpha_ext, g->alpha_crit);
}

ec_status ec_growth_check(const ec_growth *g, ec_error *err) {
  double pe;
  ec_status st = ec_phi_eff(g->phi_0, g->beta_auto, &pe, err);
  if (st != EC_OK)
    return st;
  if (!(g->delta_g >= 0) || !(g->f > 0 && g->f <= 1) || !(g->lambda > 0 && g->lambda <= 1) ||
      !isfinite(g->gamma_J) || !(g->delta >= 0) || !(g->C_0 > 0) || !(g->J_0 >= 1) ||
      !isfinite(g->delta_g * g->C_0 * g->J_0 * g->delta)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 40 needs delta_g >= 0, 0 < f <= 1, 0 < lambda <= 1, delta >= 0, C_0 > 0 and "
             "J >= 1 (delta_g = %g, f = %g, lambda = %g, delta = %g, C_0 = %g, J = %g)",
             g->delta_g, g->f, g->lambda, g->delta, g->C_0, g->J_0);
    return EC_EDOM;
  }
  if (g->eta_J != 0 && (!(g->eta_J > 0) || !(g->f_J >= 0) || !isfinite(g->phi_J) ||
                        !(g->J_max >= g->J_0) || !isfinite(g->J_max))) {
    snprintf(err->msg, sizeof err->msg,
             "variety (eq. 43) needs eta_J > 0, f_J >= 0 and J <= J_max (eta_J = %g, f_J = %g, "
             "J = %g, J_max = %g)",
             g->eta_J, g->f_J, g->J_0, g->J_max);
    return EC_EDOM;
  }
  if (g->gate) {
    double D;
    if ((st = ec_collapse_D(g->rho, g->J_0, &D, err)) != EC_OK)
      return st;
    if (!alpha_ok(g->alpha_ext, g->alpha_crit, err))
      return EC_EDOM;
  }
  return EC_OK;
}

typedef struct {
  const ec_growth *g;
  double a, Phi; /* a = delta_g f^lambda */
} GrowthArgs;

/* y = (ln C, J) */
static int growth_rhs(double t, const double y[], double dy[], void *p) {
  (void)t;
  const GrowthArgs *a = p;
  const ec_growth *g = a->g;
  double J = fmin(fmax(y[1], 1), g->eta_J > 0 ? g->J_max : y[1]);
  int open = gate_open(g, J);
  dy[0] = (open ? a->a * exp((a->Phi - 1) * y[0]) * pow(J, g->gamma_J) : 0) - g->delta;
  dy[1] = g->eta_J > 0 && open ? g->eta_J * g->f_J * exp(g->phi_J * y[0]) * (g->J_max - J) : 0;
  return isfinite(dy[0]) && isfinite(dy[1]) ? GSL_SUCCESS : GSL_EBADFUNC;
}

ec_status ec_growth_path(const ec_growth *g, double t, double *C, double *J, ec_error *err) {
  ec_init();
  ec_status st = ec_growth_check(g, err);
  if (st != EC_OK)
    return st;
  if (!(t >= 0) || !isfinite(t)) {
    snprintf(err->msg, sizeof err->msg, "the growth path needs a finite time t >= 0 (t = %g)", t);
    return EC_EDOM;
  }
  GrowthArgs a = {g, g->delta_g * pow(g->f, g->lambda), ec_growth_Phi(g)};
  double y[2] = {log(g->C_0), g->J_0};
  gsl_odeiv2_system sys = {growth_rhs, NULL, 2, &a};
  double tt;
  int s = ec_ode_run(&sys, 1e-12, t, y, &tt);
  if (s != GSL_SUCCESS || y[0] > 700) {
    double Ts;
    ec_error e2;
    int blew = ec_growth_blowup(g, &Ts, &e2) == EC_OK && isfinite(Ts) && Ts <= t;
    snprintf(err->msg, sizeof err->msg,
             blew ? "C(t) is infinite at t = %g: eq. 40 blows up at T_s = %.6g (Phi = %g)"
                  : "integrating eq. 40 failed at t = %g (C = %g, Phi = %g)",
             blew ? t : tt, blew ? Ts : exp(y[0]), a.Phi);
    return EC_EINTEGRATE;
  }
  *C = exp(y[0]);
  *J = y[1];
  return EC_OK;
}

/* In y = ln C as the clock: dt/dy = 1/(dy/dt), dJ/dy = (dJ/dt)/(dy/dt); finite up to y = inf
 * when C blows up. Used once the growth term dominates depreciation, so dy/dt > 0. */
static int growth_rhs_in_y(double y, const double s[], double ds[], void *p) {
  double in[2] = {y, s[1]}, d[2];
  int st = growth_rhs(0, in, d, p);
  if (st != GSL_SUCCESS || !(d[0] > 0))
    return GSL_EBADFUNC;
  ds[0] = 1 / d[0];
  ds[1] = d[1] / d[0];
  return GSL_SUCCESS;
}

/* Phase 1 integrates eq. 40 in time until its growth term is at least twice the
 * depreciation (from then on both only rise, so C rises); phase 2 takes ln C as the clock up
 * to where C^(Phi-1) has grown e^60-fold, beyond which the time left is below e^-60 of the
 * time taken. */
ec_status ec_growth_blowup(const ec_growth *g, double *T, ec_error *err) {
  ec_init();
  ec_status st = ec_growth_check(g, err);
  if (st != EC_OK)
    return st;
  GrowthArgs a = {g, g->delta_g * pow(g->f, g->lambda), ec_growth_Phi(g)};
  if (a.Phi <= 1 || !(g->horizon > 0)) {
    *T = INFINITY;
    return EC_OK;
  }
  double y[2] = {log(g->C_0), g->J_0}, t = 0, dy[2];
  gsl_odeiv2_system sys = {growth_rhs, NULL, 2, &a};
  gsl_odeiv2_step *s = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk8pd, 2);
  gsl_odeiv2_control *c = gsl_odeiv2_control_y_new(1e-13, 1e-13);
  gsl_odeiv2_evolve *e = gsl_odeiv2_evolve_alloc(2);
  double h = 1e-6;
  long steps = 0;
  int status = GSL_SUCCESS;
  for (;;) {
    growth_rhs(t, y, dy, &a);
    if (dy[0] + g->delta >= 2 * g->delta && dy[0] > 0)
      break;
    if (t >= g->horizon)
      break;
    if (steps++ >= EC_ODE_MAX_STEPS) {
      status = GSL_EMAXITER;
      break;
    }
    status = gsl_odeiv2_evolve_apply(e, c, s, &sys, &t, g->horizon, &h, y);
    if (status != GSL_SUCCESS)
      break;
  }
  gsl_odeiv2_evolve_free(e), gsl_odeiv2_control_free(c), gsl_odeiv2_step_free(s);
  if (status == GSL_SUCCESS && t < g->horizon) {
    double q[2] = {t, y[1]}, y0 = y[0], y1 = y[0] + 60 / (a.Phi - 1);
    gsl_odeiv2_system sys2 = {growth_rhs_in_y, NULL, 2, &a};
    gsl_odeiv2_driver *d = ec_ode_driver(&sys2, gsl_odeiv2_step_rk8pd, 1e-6, 1e-13, 1e-13);
    status = gsl_odeiv2_driver_apply(d, &y0, y1, q);
    gsl_odeiv2_driver_free(d);
    t = q[0], y[0] = y0;
    if (status == GSL_SUCCESS) {
      *T = t < g->horizon ? t : INFINITY;
      return EC_OK;
    }
  } else if (status == GSL_SUCCESS) {
    *T = INFINITY; /* the growth term never overtook depreciation before the horizon */
    return EC_OK;
  }
  snprintf(err->msg, sizeof err->msg,
           "integrating eq. 40 towards its blow-up failed at t = %g (C = %g, Phi = %g, %s)", t,
           exp(y[0]), a.Phi, gsl_strerror(status));
  return EC_EINTEGRATE;
}

ec_status ec_T_singularity(const ec_growth *g, int exact, double *T, ec_error *err) {
  ec_status st = ec_growth_check(g, err);
  if (st != EC_OK)
    return st;
  double Phi = ec_growth_Phi(g);
  double a = g->delta_g * pow(g->f, g->lambda) * pow(g->J_0, g->gamma_J);
  if (Phi <= 1 || !gate_open(g, g->J_0) || a == 0) {
    *T = INFINITY;
    return EC_OK;
  }
  double u0 = pow(g->C_0, 1 - Phi);
  if (!exact || g->delta == 0) {
    *T = u0 / ((Phi - 1) * a);
    return EC_OK;
  }
  *T = a > g->delta * u0 ? log(a / (a - g->delta * u0)) / ((Phi - 1) * g->delta) : INFINITY;
  return EC_OK;
}

ec_status ec_growth_C_steady(const ec_growth *g, double *C, ec_error *err) {
  double Phi = ec_growth_Phi(g);
  if (!(Phi < 1) || !(g->delta > 0)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 40 has a steady state only for Phi < 1 and delta > 0 (Phi = %g, delta = %g)", Phi,
             g->delta);
    return EC_EDOM;
  }
  *C = pow(g->delta_g * pow(g->f, g->lambda) * pow(g->J_max, g->gamma_J) / g->delta, 1 / (1 - Phi));
  return EC_OK;
}

ec_status ec_growth_variety_rate(const ec_growth *g, double C, double J, double *rate,
                                 ec_error *err) {
  if (g->rho == 0) {
    snprintf(err->msg, sizeof err->msg, "eq. 45 divides by rho, which is 0");
    return EC_EDOM;
  }
  double D = 0;
  int open = !g->gate || (ec_collapse_D(g->rho, J, &D, err) == EC_OK &&
                          g->alpha_ext + (1 - g->alpha_ext) * D > g->alpha_crit);
  double dJ = open ? g->eta_J * g->f_J * pow(C, g->phi_J) * (g->J_max - J) : 0;
  *rate = dJ / J / g->rho;
  return EC_OK;
}

ec_status ec_growth_C_max(double J_max, double rho, double h, double delta, double *C,
                          ec_error *err) {
  if (!(rho != 0 && rho < 1) || !(h > 0) || !(delta > 0) || !(J_max >= 1)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 46 needs rho != 0, rho < 1, h > 0, delta > 0 and J_max >= 1 (rho = %g, h = %g, "
             "delta = %g, J_max = %g)",
             rho, h, delta, J_max);
    return EC_EDOM;
  }
  *C = pow(J_max, (1 - rho) / rho) / (h * delta);
  return EC_OK;
}

/* ---- Saturation (eq. 42) ------------------------------------------------------------------ */

typedef struct {
  size_t J;
  const double *a;
  double h, delta;
} SatArgs;

static int saturation_rhs(double t, const double y[], double dy[], void *p) {
  (void)t;
  const SatArgs *s = p;
  for (size_t j = 0; j < s->J; j++) {
    double A = 0;
    for (size_t k = 0; k < s->J; k++)
      A += s->a[j * s->J + k] * y[k];
    dy[j] = A / (1 + s->h * A) - s->delta * y[j];
  }
  return GSL_SUCCESS;
}

ec_status ec_saturation_run(size_t J, const double *a, double h, double delta, const double *C0,
                            double t, double *C, ec_error *err) {
  ec_init();
  if (J < 1 || !(h >= 0) || !(delta > 0) || !(t >= 0) || !isfinite(t + h + delta)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 42 needs J >= 1, h >= 0, delta > 0 and a finite t >= 0 (J = %zu, h = %g, "
             "delta = %g, t = %g)",
             J, h, delta, t);
    return EC_EDOM;
  }
  for (size_t i = 0; i < J * J; i++)
    if (!(a[i] >= 0) || !isfinite(a[i])) {
      snprintf(err->msg, sizeof err->msg, "eq. 42 needs couplings a_jk >= 0 (a = %g)", a[i]);
      return EC_EDOM;
    }
  for (size_t j = 0; j < J; j++) {
    if (!(C0[j] >= 0) || !isfinite(C0[j])) {
      snprintf(err->msg, sizeof err->msg, "eq. 42 needs C_j(0) >= 0 (C_0 = %g)", C0[j]);
      return EC_EDOM;
    }
    C[j] = C0[j];
  }
  SatArgs s = {J, a, h, delta};
  gsl_odeiv2_system sys = {saturation_rhs, NULL, J, &s};
  double tt;
  int st = ec_ode_run(&sys, 1e-12, t, C, &tt);
  if (st != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg, "integrating eq. 42 failed at t = %g (%s)", tt,
             gsl_strerror(st));
    return EC_EINTEGRATE;
  }
  return EC_OK;
}

double ec_saturation_level(double J, double a, double h, double delta) {
  if (a * J <= delta)
    return 0;
  if (h == 0)
    return INFINITY;
  return 1 / (h * delta) - 1 / (h * a * J);
}

/* ---- Weitzman recombination (eq. 66) -------------------------------------------------------- */

double ec_recomb_blowup(double J_0, double k) {
  if (!(J_0 > 1) || !(k > 0))
    return INFINITY;
  return log(J_0 / (J_0 - 1)) / k;
}

ec_status ec_recomb_J(double J_0, double k, double t, double *J, ec_error *err) {
  if (!(J_0 >= 1) || !(k >= 0) || !(t >= 0) || !isfinite(J_0 + k + t)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 66 needs J_0 >= 1, eta_J p_viable >= 0 and t >= 0 (J_0 = %g, k = %g, t = %g)",
             J_0, k, t);
    return EC_EDOM;
  }
  double T = ec_recomb_blowup(J_0, k);
  if (t >= T) {
    snprintf(err->msg, sizeof err->msg,
             "J(t) of eq. 66 is infinite at t = %g: recombination blows up at t = %.6g "
             "(J_0 = %g, eta_J p_viable = %g)",
             t, T, J_0, 2 * k);
    return EC_EDOM;
  }
  if (J_0 == 1 || k == 0) {
    *J = J_0;
    return EC_OK;
  }
  *J = 1 / (1 - (J_0 - 1) / J_0 * exp(k * t));
  return EC_OK;
}

/* ---- Baumol (eqs. 53-54) ------------------------------------------------------------------- */

static ec_status baumol_check(const ec_baumol *b, double t, ec_error *err) {
  if (!isfinite(b->g_C) || !isfinite(b->g_Z) || !(b->beta_0 >= 0 && b->beta_0 <= 1) ||
      !(b->kappa >= 0) || !(b->ratio_0 > 0) || !(b->rho < 1) || !(t >= 0) ||
      !isfinite(b->kappa + b->ratio_0 + t)) {
    snprintf(err->msg, sizeof err->msg,
             "the two-sector model needs 0 <= beta_0 <= 1, kappa >= 0, C_1/C_2 > 0, rho < 1 and "
             "t >= 0 (beta_0 = %g, kappa = %g, C_1/C_2 = %g, rho = %g, t = %g)",
             b->beta_0, b->kappa, b->ratio_0, b->rho, t);
    return EC_EDOM;
  }
  return EC_OK;
}

/* beta(t) and ln(1 - beta(t)) (kept apart: 1 - beta underflows long before it matters) and
 * ln(C_1/C_2)(t) */
static void baumol_state(const ec_baumol *b, double t, double *beta, double *lom, double *lr) {
  *lom = log1p(-b->beta_0) - b->kappa * t;
  *beta = -expm1(*lom);
  *lr = log(b->ratio_0) + (b->g_C - b->g_Z) * t;
}

/* The weight w of sector 1 in the CES growth rate, 1 - w (the cost share of sector 2) and
 * (1 - beta) C_1^rho / S, from logs so that no power overflows. */
static void baumol_weights(const ec_baumol *b, double t, double *w, double *w2, double *a1) {
  double beta, lom, lr;
  baumol_state(b, t, &beta, &lom, &lr);
  double x = b->rho * lr; /* ln(C_1^rho / C_2^rho) */
  *w = 1 / (1 + exp(lom - x) / beta);
  *w2 = 1 / (1 + beta * exp(x - lom));
  *a1 = 1 / (beta * exp(-lom) + exp(-x));
}

ec_status ec_baumol_growth(const ec_baumol *b, double t, int ces, double *g, ec_error *err) {
  ec_status st = baumol_check(b, t, err);
  if (st != EC_OK)
    return st;
  double beta, lom, lr;
  baumol_state(b, t, &beta, &lom, &lr);
  if (!ces || b->rho == 0) {
    *g = beta * b->g_C + (1 - beta) * b->g_Z + b->kappa * exp(lom) * lr;
    return EC_OK;
  }
  /* d/dt (1/rho) ln S, S = beta C_1^rho + (1 - beta) C_2^rho:
   * w g_C + (1 - w) g_Z + dbeta/dt (C_1^rho - C_2^rho)/(rho S), dbeta/dt = kappa (1 - beta) */
  double w, w2, a1;
  baumol_weights(b, t, &w, &w2, &a1);
  *g = w * b->g_C + w2 * b->g_Z + b->kappa * (a1 - w2) / b->rho;
  if (!isfinite(*g)) {
    snprintf(err->msg, sizeof err->msg,
             "the CES growth rate is not finite at t = %g (rho = %g, ln C_1/C_2 = %g)", t, b->rho,
             lr);
    return EC_EDOM;
  }
  return EC_OK;
}

ec_status ec_baumol_cost_share(const ec_baumol *b, double t, double *s2, ec_error *err) {
  ec_status st = baumol_check(b, t, err);
  if (st != EC_OK)
    return st;
  double w, a1;
  baumol_weights(b, t, &w, s2, &a1);
  return EC_OK;
}

double ec_baumol_ln_aggregate(const ec_baumol *b, double t) {
  double beta, lom, lr;
  baumol_state(b, t, &beta, &lom, &lr);
  double l1 = lr + b->g_Z * t, l2 = b->g_Z * t; /* ln C1, ln C2 */
  if (b->rho == 0)
    return beta * l1 + (1 - beta) * l2;
  double m = fmax(b->rho * l1, b->rho * l2);
  return (m + log(beta * exp(b->rho * l1 - m) + (1 - beta) * exp(b->rho * l2 - m))) / b->rho;
}

ec_status ec_baumol_price_ratio(const ec_baumol *b, double p0, double t, double *ratio,
                                ec_error *err) {
  *ratio = p0 * exp((b->g_C - b->g_Z) * t);
  if (!isfinite(*ratio) || !(t >= 0)) {
    snprintf(err->msg, sizeof err->msg, "p_Z/p_C overflows at t = %g", t);
    return EC_EDOM;
  }
  return EC_OK;
}

double ec_baumol_price_doubling(const ec_baumol *b) {
  return b->g_C > b->g_Z ? log(2) / (b->g_C - b->g_Z) : INFINITY;
}
