/* The N-firm crossing game (004 §3; 001 §3): Nash MPE and cooperative benchmark.
 *
 * Both HJB equations are quadratic in V', so V'(V) is explicit and x(V) = int dV / V'(V)
 * integrates in closed form after the substitutions
 *   Nash:  u = sqrt(B^2 + 4 N^2 k V), k = r b (N+1)^2, A = a(N^2+1), B = a(N^2-1)
 *   Coop:  w = sqrt(4 b N r V)
 * (derivation in docs/models.md). The printed Nash constants (eq. 13-14) are not these. */
#include "edsl_core.h"

#include "core_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>

double ec_continuation_value(double S_T, double S_I, int N, double r, double delta) {
  return S_T + S_I / ((double)N * (r + delta));
}

static double sq(double v) {
  return v * v;
}

/* log1p(z) - z without cancellation for small z. */
static double log1p_minus_z(double z) {
  if (fabs(z) < 1e-4)
    return z * z * (-0.5 + z * (1.0 / 3.0 - 0.25 * z));
  return log1p(z) - z;
}

typedef struct {
  double A, B, k, u0; /* Nash constants */
  double w0;          /* cooperative */
} consts;

static double nash_u(const ec_game *g, double V) {
  double n2 = sq(g->N), k = g->r * g->b * sq(g->N + 1.0);
  return sqrt(sq(g->a * (n2 - 1.0)) + 4.0 * n2 * k * V);
}

static double coop_w(const ec_game *g, double V) {
  return sqrt(4.0 * g->b * g->N * g->r * V);
}

double ec_game_V_inf(const ec_game *g, ec_regime regime) {
  if (regime == EC_NASH)
    return sq(g->a) / (g->r * g->b * sq(g->N + 1.0));
  return sq(g->a) / (4.0 * g->b * g->N * g->r);
}

ec_status ec_game_check(const ec_game *g, ec_error *err) {
  if (g->N < 1 || !(g->a > 0) || !(g->b > 0) || !(g->r > 0) || !(g->S >= 0) || !isfinite(g->a) ||
      !isfinite(g->b) || !isfinite(g->r) || !isfinite(g->S)) {
    snprintf(err->msg, sizeof err->msg,
             "the crossing game needs N >= 1, a > 0, b > 0, r > 0 and S >= 0, all finite "
             "(N = %d, a = %g, b = %g, r = %g, S = %g)",
             g->N, g->a, g->b, g->r, g->S);
    return EC_EDOM;
  }
  double vmax = ec_game_V_inf(g, EC_NASH);
  if (!(g->S < vmax)) {
    snprintf(err->msg, sizeof err->msg,
             "no interior solution: the continuation value S = %g is not below the Nash "
             "steady-state value a^2/(r b (N+1)^2) = %g (N = %d, a = %g, b = %g, r = %g); "
             "firms would rather cross at once",
             g->S, vmax, g->N, g->a, g->b, g->r);
    return EC_EDOM;
  }
  return EC_OK;
}

double ec_game_slope(const ec_game *g, ec_regime regime, double V) {
  if (regime == EC_NASH)
    return (g->a * (sq(g->N) + 1.0) - nash_u(g, V)) / (2.0 * sq(g->N));
  return (g->a - coop_w(g, V)) / g->N;
}

double ec_game_Qagg_of_V(const ec_game *g, ec_regime regime, double V) {
  if (regime == EC_NASH) /* N q, q = (a - V')/(b(N+1)) */
    return (g->a * (sq(g->N) - 1.0) + nash_u(g, V)) / (2.0 * g->N * g->b * (g->N + 1.0));
  return coop_w(g, V) / (2.0 * g->b); /* (a - N V')/(2b) */
}

double ec_game_q_of_V(const ec_game *g, ec_regime regime, double V) {
  return ec_game_Qagg_of_V(g, regime, V) / g->N;
}

double ec_game_x_of_V(const ec_game *g, ec_regime regime, double V) {
  if (V <= g->S)
    return 0.0;
  if (regime == EC_NASH) {
    double n2 = sq(g->N), k = g->r * g->b * sq(g->N + 1.0), A = g->a * (n2 + 1.0);
    double u0 = nash_u(g, g->S), u = nash_u(g, V);
    double d = 4.0 * n2 * k * (V - g->S) / (u + u0); /* u - u0 without cancellation */
    /* A - u = 4 N^2 (a^2 - k V) / (A + u): exact where V nears its steady state. */
    double gap = 4.0 * n2 * (sq(g->a) - k * V) / (A + u);
    if (!(gap > 0))
      return INFINITY;
    double z = d / gap;
    /* -d + A log1p(z), rearranged as A (log1p z - z) + d u / (A - u) */
    return (A * log1p_minus_z(z) + d * u / gap) / k;
  }
  double w0 = coop_w(g, g->S), w = coop_w(g, V);
  double d = 4.0 * g->b * g->N * g->r * (V - g->S) / (w + w0);
  double gap = (sq(g->a) - 4.0 * g->b * g->N * g->r * V) / (g->a + w); /* a - w */
  if (!(gap > 0))
    return INFINITY;
  double z = d / gap;
  return (g->a * log1p_minus_z(z) + d * w / gap) / (2.0 * g->b * g->r);
}

double ec_game_T_of_V(const ec_game *g, ec_regime regime, double V) {
  if (V <= g->S)
    return 0.0;
  if (regime == EC_NASH) {
    double n2 = sq(g->N), k = g->r * g->b * sq(g->N + 1.0);
    double A = g->a * (n2 + 1.0), B = g->a * (n2 - 1.0);
    double u0 = nash_u(g, g->S), u = nash_u(g, V);
    double d = 4.0 * n2 * k * (V - g->S) / (u + u0);
    double gap = 4.0 * n2 * (sq(g->a) - k * V) / (A + u);
    if (!(gap > 0))
      return INFINITY;
    double t = A * log1p(d / gap);
    if (B > 0)
      t -= B * log1p(d / (B + u0));
    return t / (g->a * g->N * g->r * (g->N + 1.0));
  }
  double w0 = coop_w(g, g->S), w = coop_w(g, V);
  double d = 4.0 * g->b * g->N * g->r * (V - g->S) / (w + w0);
  double gap = (sq(g->a) - 4.0 * g->b * g->N * g->r * V) / (g->a + w);
  return gap > 0 ? log1p(d / gap) / g->r : INFINITY;
}

typedef struct {
  const ec_game *g;
  ec_regime regime;
  double x;
} root_args;

static double x_residual(double V, void *p) {
  root_args *ra = p;
  return ec_game_x_of_V(ra->g, ra->regime, V) - ra->x;
}

ec_status ec_game_V_of_x(const ec_game *g, ec_regime regime, double x, double *V, ec_error *err) {
  ec_init();
  if (!(x >= 0) || !isfinite(x)) {
    snprintf(err->msg, sizeof err->msg, "the state x = %g must be finite and non-negative", x);
    return EC_EDOM;
  }
  if (x == 0) {
    *V = g->S;
    return EC_OK;
  }
  double vinf = ec_game_V_inf(g, regime);
  double lo = g->S, hi = vinf * (1.0 - 1e-15);
  double rhi = x_residual(hi, &(root_args){g, regime, x});
  for (double eps = 1e-14; !isfinite(rhi) && eps < 1e-3; eps *= 10) {
    hi = vinf * (1.0 - eps); /* rounding put V at the steady state: step back */
    rhi = x_residual(hi, &(root_args){g, regime, x});
  }
  if (hi <= lo || (isfinite(rhi) && rhi <= 0)) {
    /* x lies so far from crossing that V equals its steady state to double precision. */
    *V = hi > lo ? hi : lo;
    return EC_OK;
  }
  root_args ra = {g, regime, x};
  gsl_function F = {x_residual, &ra};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
  int status = gsl_root_fsolver_set(s, &F, lo, hi);
  for (int it = 0; status == GSL_SUCCESS && it < 300; it++) {
    status = gsl_root_fsolver_iterate(s);
    double l = gsl_root_fsolver_x_lower(s), h = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(l, h, 0, 4 * 2.2e-16) == GSL_SUCCESS)
      break;
  }
  *V = gsl_root_fsolver_root(s);
  gsl_root_fsolver_free(s);
  if (status != GSL_SUCCESS || !isfinite(*V)) {
    snprintf(err->msg, sizeof err->msg,
             "no root for V(x) at x = %g (%s; N = %d, a = %g, b = %g, r = %g, S = %g)", x,
             gsl_strerror(status), g->N, g->a, g->b, g->r, g->S);
    return EC_ENOROOT;
  }
  return EC_OK;
}

static int ode_rhs(double V, const double y[], double dydV[], void *p) {
  root_args *ra = p;
  (void)y;
  double s = ec_game_slope(ra->g, ra->regime, V);
  if (!(s > 0))
    return GSL_EBADFUNC;
  dydV[0] = 1.0 / s;
  return GSL_SUCCESS;
}

ec_status ec_game_x_of_V_ode(const ec_game *g, ec_regime regime, double V, double *x,
                             ec_error *err) {
  ec_init();
  root_args ra = {g, regime, 0};
  gsl_odeiv2_system sys = {ode_rhs, NULL, 1, &ra};
  double span = V - g->S;
  gsl_odeiv2_driver *d =
      ec_ode_driver(&sys, gsl_odeiv2_step_rk8pd, span > 0 ? span * 1e-6 : 1e-12, 1e-14, 1e-14);
  double Vcur = g->S, y[1] = {0};
  int status = span > 0 ? gsl_odeiv2_driver_apply(d, &Vcur, V, y) : GSL_SUCCESS;
  gsl_odeiv2_driver_free(d);
  if (status != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg,
             "ODE integration of x(V) failed at V = %g (%s; N = %d, a = %g, b = %g, r = %g, "
             "S = %g)",
             Vcur, gsl_strerror(status), g->N, g->a, g->b, g->r, g->S);
    return EC_EINTEGRATE;
  }
  *x = y[0];
  return EC_OK;
}

typedef struct {
  const ec_game *g;
  ec_regime regime;
  int failed;
} quad_args;

static double inv_output(double x, void *p) {
  quad_args *qa = p;
  ec_error e;
  double V;
  if (ec_game_V_of_x(qa->g, qa->regime, x, &V, &e) != EC_OK) {
    qa->failed = 1;
    return 0;
  }
  double Q = ec_game_Qagg_of_V(qa->g, qa->regime, V);
  return Q > 0 ? 1.0 / Q : (qa->failed = 1, 0.0);
}

static ec_status check_T_star(const ec_game *g, double x0, ec_error *err) {
  ec_init();
  ec_status st = ec_game_check(g, err);
  if (st != EC_OK)
    return st;
  if (!(x0 > 0) || !isfinite(x0)) {
    snprintf(err->msg, sizeof err->msg,
             "the distance to crossing x0 = %g must be positive and finite", x0);
    return EC_EDOM;
  }
  return EC_OK;
}

ec_status ec_game_state(const ec_game *g, ec_regime regime, double x0, double *V, double *T,
                        ec_error *err) {
  ec_status st = check_T_star(g, x0, err);
  if (st == EC_OK)
    st = ec_game_V_of_x(g, regime, x0, V, err);
  if (st != EC_OK)
    return st;
  *T = ec_game_T_of_V(g, regime, *V);
  if (!isfinite(*T)) {
    snprintf(err->msg, sizeof err->msg,
             "T* is not finite at x0 = %g (%s, N = %d, a = %g, b = %g, r = %g, S = %g)", x0,
             regime == EC_NASH ? "Nash" : "cooperative", g->N, g->a, g->b, g->r, g->S);
    return EC_EDOM;
  }
  return EC_OK;
}

ec_status ec_game_T_star(const ec_game *g, ec_regime regime, double x0, double *T, ec_error *err) {
  double V;
  return ec_game_state(g, regime, x0, &V, T, err);
}

ec_status ec_game_T_star_quad(const ec_game *g, ec_regime regime, double x0, double *T,
                              ec_error *err) {
  ec_status st = check_T_star(g, x0, err);
  if (st != EC_OK)
    return st;
  quad_args qa = {g, regime, 0};
  gsl_function F = {inv_output, &qa};
  gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
  double abserr;
  int status = gsl_integration_qags(&F, 0.0, x0, 0.0, 1e-11, 1000, w, T, &abserr);
  gsl_integration_workspace_free(w);
  if (status != GSL_SUCCESS || qa.failed || !isfinite(*T)) {
    snprintf(err->msg, sizeof err->msg,
             "quadrature of T* = int dx/Q(x) failed (%s; %s, N = %d, a = %g, b = %g, r = %g, "
             "S = %g, x0 = %g)",
             qa.failed ? "output not positive" : gsl_strerror(status),
             regime == EC_NASH ? "Nash" : "cooperative", g->N, g->a, g->b, g->r, g->S, x0);
    return EC_EINTEGRATE;
  }
  return EC_OK;
}

double ec_game_x_of_V_printed(const ec_game *g, double V) {
  double N = g->N, D = sq(g->a) / (g->b * sq(N + 1)), E = g->r * sq(N + 1) / sq(N);
  double A = g->a / (N - 1), u0 = sqrt(D + E * g->S), u = sqrt(D + E * V);
  return 4 * sq(N) / E * ((u0 - u) + A * log((A - u0) / (A - u)));
}

ec_status ec_game_solve(const ec_game *g, double x0, ec_game_summary *out, ec_error *err) {
  ec_status st;
  out->x0 = x0;
  if ((st = ec_game_state(g, EC_NASH, x0, &out->V_nash, &out->T_nash, err)) != EC_OK ||
      (st = ec_game_state(g, EC_COOP, x0, &out->V_coop, &out->T_coop, err)) != EC_OK)
    return st;
  out->Q_nash = ec_game_Qagg_of_V(g, EC_NASH, out->V_nash);
  out->Q_coop = ec_game_Qagg_of_V(g, EC_COOP, out->V_coop);
  out->q_nash = out->Q_nash / g->N;
  out->q_coop = out->Q_coop / g->N;
  out->acceleration = 1.0 - out->T_nash / out->T_coop;
  out->Q_ratio = out->Q_nash / out->Q_coop;
  out->welfare_loss = 1.0 - out->V_nash / out->V_coop;
  if (!isfinite(out->Q_ratio) || !isfinite(out->welfare_loss)) {
    snprintf(err->msg, sizeof err->msg,
             "the cooperative benchmark has zero output or value at x0 = %g (N = %d, a = %g, "
             "b = %g, r = %g, S = %g)",
             x0, g->N, g->a, g->b, g->r, g->S);
    return EC_EDOM;
  }
  return EC_OK;
}
