/* The N-firm crossing game (004 §3; 001 §3): Nash MPE and cooperative benchmark.
 *
 * Both HJB equations are quadratic in V', so V'(V) is explicit, and with
 *   Nash:  u = sqrt(B^2 + 4 N^2 k V), k = r b (N+1)^2, A = a(N^2+1), B = a(N^2-1)
 *   Coop:  u = w = sqrt(4 b N r V),    top = a, B = 0
 * both regimes share one shape (derivation in docs/models.md): with u0 = u(S),
 * D = top - u0 and the path variable L >= 0,
 *   u(L) = top - D e^-L,   x(L) = [top L + D expm1(-L)] / kx,
 *   T(L) = [top L - B log1p(-D expm1(-L) / (B + u0))] / kt.
 * x(L) and T(L) are explicit and monotone, and L grows like x far from the crossing, so the
 * state keeps its digits where V itself has converged to the steady state to double
 * precision (solving in V lost them: T* froze at L ~ 35). D > 0 below the steady state
 * (V rises with x), D < 0 above it (the memo's high S: V falls towards the steady state),
 * D = 0 at it (V stays put, T* = x0/Q). The printed Nash constants (eq. 13-14) are not
 * these. */
#include "edsl_core.h"

#include "core_internal.h"

#include <float.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>

double ec_continuation_value(double S_T, double S_I, int N, double r, double delta) {
  return S_T + S_I / ((double)N * (r + delta));
}

static double sq(double v) {
  return v * v;
}

static const char *regime_name(ec_regime regime) {
  return regime == EC_NASH ? "Nash" : "cooperative";
}

/* The constants of one regime's closed forms. */
typedef struct {
  double top, B, tmb; /* u -> top far from crossing; B; top - B exactly (2a or a) */
  double u0, D;       /* u at crossing; top - u0, without cancellation */
  double kx, kt;      /* x = (...)/kx, T = (...)/kt */
  double kv;          /* V = (u^2 - B^2)/kv */
  double kq;          /* Q = (B + u)/kq */
  double ks;          /* V' = (top - u)/ks */
} shape;

static shape shape_of(const ec_game *g, ec_regime regime) {
  shape s;
  double N = g->N, n2 = sq(N);
  if (regime == EC_NASH) {
    double k = g->r * g->b * sq(N + 1.0);
    s.top = g->a * (n2 + 1.0);
    s.B = g->a * (n2 - 1.0);
    s.tmb = 2.0 * g->a;
    s.kx = k;
    s.kv = 4.0 * n2 * k;
    s.kt = g->a * N * g->r * (N + 1.0);
    s.kq = 2.0 * N * g->b * (N + 1.0);
    s.ks = 2.0 * n2;
    s.u0 = sqrt(sq(s.B) + s.kv * g->S);
    /* top^2 - u0^2 = 4 N^2 (a^2 - k S) */
    s.D = 4.0 * n2 * (sq(g->a) - k * g->S) / (s.top + s.u0);
  } else {
    s.top = g->a;
    s.B = 0;
    s.tmb = g->a;
    s.kx = 2.0 * g->b * g->r;
    s.kv = 4.0 * g->b * N * g->r;
    s.kt = g->a * g->r;
    s.kq = 2.0 * g->b;
    s.ks = N;
    s.u0 = sqrt(s.kv * g->S);
    s.D = (sq(g->a) - s.kv * g->S) / (s.top + s.u0);
  }
  return s;
}

/* L + expm1(-L) for L >= 0 without cancellation: its series below 1/2. */
static double phi(double L) {
  if (L >= 0.5)
    return L + expm1(-L);
  double term = L * L / 2, sum = 0;
  for (int k = 3; k < 24 && term != 0; k++) {
    sum += term;
    term *= -L / k;
  }
  return sum;
}

/* x(L) kx as a sum of two non-negative terms. */
static double xk_of_L(const shape *s, double L) {
  if (s->D >= 0)
    return s->u0 * L + s->D * phi(L);
  return s->top * L - s->D * -expm1(-L);
}

/* u(L) as a sum of non-negative terms. */
static double u_of_L(const shape *s, double L) {
  if (s->D >= 0)
    return s->u0 - s->D * expm1(-L);
  return s->top - s->D * exp(-L);
}

static double T_of_L(const shape *s, double L) {
  double t = s->top * L;
  if (s->B > 0)
    t -= s->B * log1p(-s->D * expm1(-L) / (s->B + s->u0));
  return t / s->kt;
}

/* dT/dL = (top + B) u / ((B + u) kt): u / (B + u) is 1 when B = 0 (even at u = 0). */
static double dT_dL(const shape *s, double u) {
  return (s->top + s->B) / s->kt * (s->B > 0 ? u / (s->B + u) : 1.0);
}

static void point_of_L(const ec_game *g, const shape *s, double L, ec_game_point *p) {
  double u = u_of_L(s, L);
  p->L = L;
  p->x = xk_of_L(s, L) / s->kx;
  p->T = T_of_L(s, L);
  if (s->D >= 0) /* V = S + (u - u0)(u + u0)/kv, both terms non-negative */
    p->V = g->S + (-s->D * expm1(-L)) * (u + s->u0) / s->kv;
  else /* V = (u - B)(u + B)/kv, u - B = (top - B) - D e^-L */
    p->V = (s->tmb - s->D * exp(-L)) * (u + s->B) / s->kv;
  p->Q = (s->B + u) / s->kq;
  p->q = p->Q / g->N;
  p->dV = s->D * exp(-L) / s->ks;
}

/* A failure of the game itself: what is wrong, with the parameters. */
static ec_status game_fail(const ec_game *g, ec_status st, const char *what, ec_error *err) {
  snprintf(err->msg, sizeof err->msg, "%s (N = %d, a = %g, b = %g, r = %g, S = %g)", what, g->N,
           g->a, g->b, g->r, g->S);
  return st;
}

/* The game's parameters, before any constant is formed from them. */
static ec_status params_check(const ec_game *g, ec_error *err) {
  if (g->N < 1 || !(g->a > 0) || !(g->b > 0) || !(g->r > 0) || !(g->S >= 0) || !isfinite(g->a) ||
      !isfinite(g->b) || !isfinite(g->r) || !isfinite(g->S))
    return game_fail(g, EC_EDOM,
                     "the crossing game needs N >= 1, a > 0, b > 0, r > 0 and S >= 0, all finite",
                     err);
  return EC_OK;
}

/* One regime's constants: finite, and positive where they divide. */
static ec_status shape_check(const ec_game *g, const shape *s, ec_error *err) {
  double c[] = {s->top, s->B, s->u0, s->D, s->kx, s->kt, s->kv, s->kq};
  for (size_t i = 0; i < sizeof c / sizeof *c; i++)
    if (!isfinite(c[i]) || (i != 1 && i != 2 && i != 3 && !(c[i] > 0)))
      return game_fail(g, EC_ERANGE,
                       "the crossing game's constants are not representable in double precision",
                       err);
  return EC_OK;
}

/* Inside this box every constant of shape_of is finite and each that divides is positive,
 * for any int N >= 1 (N^2 < 4.7e18): the largest, D, stays below 1e278 and the smallest that
 * divides, 2 b r, above 1e-120. A sweep checks the game at every point; the box spares it
 * forming both regimes' constants. ec_game_shapes_ok is the full check it stands for. */
static int in_safe_box(const ec_game *g) {
  const double lo = EC_GAME_SAFE_LO, hi = EC_GAME_SAFE_HI;
  return g->a >= lo && g->a <= hi && g->b >= lo && g->b <= hi && g->r >= lo && g->r <= hi &&
         g->S <= hi;
}

int ec_game_shapes_ok(const ec_game *g) {
  ec_error err;
  for (int reg = 0; reg < 2; reg++) {
    shape s = shape_of(g, (ec_regime)reg);
    if (shape_check(g, &s, &err) != EC_OK)
      return 0;
  }
  return 1;
}

ec_status ec_game_check(const ec_game *g, ec_error *err) {
  ec_status st = params_check(g, err);
  if (st != EC_OK || in_safe_box(g))
    return st;
  for (int reg = 0; reg < 2 && st == EC_OK; reg++) {
    shape s = shape_of(g, (ec_regime)reg);
    st = shape_check(g, &s, err);
  }
  return st;
}

double ec_game_V_inf(const ec_game *g, ec_regime regime) {
  if (regime == EC_NASH)
    return sq(g->a) / (g->r * g->b * sq(g->N + 1.0));
  return sq(g->a) / (4.0 * g->b * g->N * g->r);
}

/* Safeguarded Newton for the increasing function f(L) - target on [lo, hi], started from
 * the end where the iterates approach monotonically (f convex: from the right; concave:
 * from the left); bisects whenever a step leaves the bracket. */
typedef double (*L_fn)(const shape *s, double L, double *slope);

static int solve_L(const shape *s, L_fn f, double target, double lo, double hi, int from_right,
                   double *L) {
  if (!(lo <= hi) || !isfinite(hi))
    return -1;
  if (hi == lo) {
    *L = lo;
    return 0;
  }
  double x = from_right ? hi : lo;
  for (int it = 0; it < 200; it++) {
    double slope, r = f(s, x, &slope) - target;
    if (r == 0) {
      *L = x;
      return 0;
    }
    if (r > 0)
      hi = x;
    else
      lo = x;
    double next = slope > 0 ? x - r / slope : NAN;
    if (!(next > lo && next < hi))
      next = 0.5 * (lo + hi);
    if (fabs(next - x) <= 2 * DBL_EPSILON * fabs(x) || hi - lo <= 2 * DBL_EPSILON * hi) {
      *L = next;
      return 0;
    }
    x = next;
  }
  *L = x; /* 200 safeguarded steps: the bracket is at rounding level */
  return 0;
}

static double f_xk(const shape *s, double L, double *slope) {
  *slope = u_of_L(s, L);
  return xk_of_L(s, L);
}

static double f_T(const shape *s, double L, double *slope) {
  *slope = dT_dL(s, u_of_L(s, L));
  return T_of_L(s, L);
}

static ec_status not_representable(const ec_game *g, ec_regime regime, const char *what, double v,
                                   ec_error *err) {
  snprintf(err->msg, sizeof err->msg,
           "the %s path at %s = %g is not representable in double precision (N = %d, a = %g, "
           "b = %g, r = %g, S = %g)",
           regime_name(regime), what, v, g->N, g->a, g->b, g->r, g->S);
  return EC_ERANGE;
}

static ec_status at_x(const ec_game *g, const shape *sp, ec_regime regime, double x,
                      ec_game_point *p, ec_error *err) {
  if (!(x >= 0) || !isfinite(x)) {
    snprintf(err->msg, sizeof err->msg, "the state x = %g must be finite and non-negative", x);
    return EC_EDOM;
  }
  shape s = *sp;
  double xk = x * s.kx, L;
  /* Brackets from u between u0 and top: dx/dL = u/kx; below the steady state also
   * xk >= top L - D (convexity). */
  double umax = fmax(s.u0, s.top), lo = xk / umax, hi;
  if (s.D >= 0)
    hi = fmin((xk + s.D) / s.top, s.u0 > 0 ? xk / s.u0 : INFINITY);
  else
    hi = xk / s.top;
  if (x == 0)
    L = 0;
  else if (!isfinite(xk) || solve_L(&s, f_xk, xk, lo, hi, s.D >= 0, &L))
    return not_representable(g, regime, "x", x, err);
  point_of_L(g, &s, L, p);
  if (!isfinite(p->T) || !isfinite(p->V) || !isfinite(p->Q))
    return not_representable(g, regime, "x", x, err);
  p->x = x; /* exact, not the round trip */
  return EC_OK;
}

ec_status ec_game_at_x(const ec_game *g, ec_regime regime, double x, ec_game_point *p,
                       ec_error *err) {
  shape s = shape_of(g, regime);
  return at_x(g, &s, regime, x, p, err);
}

ec_status ec_game_at_T(const ec_game *g, ec_regime regime, double T, ec_game_point *p,
                       ec_error *err) {
  if (!(T >= 0) || !isfinite(T)) {
    snprintf(err->msg, sizeof err->msg,
             "the time to crossing T = %g must be finite and non-negative", T);
    return EC_EDOM;
  }
  shape s = shape_of(g, regime);
  /* dT/dL lies between its values at u0 and at top (u / (B + u) is monotone in u). */
  double d0 = dT_dL(&s, s.u0), d1 = dT_dL(&s, s.top), L;
  double lo = T / fmax(d0, d1), hi = T / fmin(d0, d1);
  if (T == 0)
    L = 0;
  else if (solve_L(&s, f_T, T, lo, hi, s.D >= 0, &L))
    return not_representable(g, regime, "T", T, err);
  point_of_L(g, &s, L, p);
  if (!isfinite(p->x) || !isfinite(p->V))
    return not_representable(g, regime, "T", T, err);
  p->T = T;
  return EC_OK;
}

ec_status ec_game_at_Q(const ec_game *g, ec_regime regime, double Q, ec_game_point *p,
                       ec_error *err) {
  shape s = shape_of(g, regime);
  /* u = kq Q - B; L = log1p((u - u0) / (top - u)) */
  double d = s.kq * Q - (s.B + s.u0), gap = s.top - (s.kq * Q - s.B), L;
  double z = d / gap;
  if (d == 0)
    L = 0;
  else if (z > 0 && isfinite(z))
    L = log1p(z);
  else {
    snprintf(err->msg, sizeof err->msg,
             "the %s path never has aggregate output Q = %g: it runs from %g at the crossing "
             "towards %g (N = %d, a = %g, b = %g, r = %g, S = %g)",
             regime_name(regime), Q, (s.B + s.u0) / s.kq, (s.B + s.top) / s.kq, g->N, g->a, g->b,
             g->r, g->S);
    return EC_EDOM;
  }
  point_of_L(g, &s, L, p);
  return EC_OK;
}

double ec_game_slope(const ec_game *g, ec_regime regime, double V) {
  shape s = shape_of(g, regime);
  double u = sqrt(sq(s.B) + s.kv * V);
  /* top - u = (top^2 - u^2)/(top + u) */
  double top2_u2 = regime == EC_NASH ? 4.0 * sq(g->N) * (sq(g->a) - s.kx * V) : sq(g->a) - s.kv * V;
  return top2_u2 / (s.top + u) / s.ks;
}

double ec_game_Qagg_of_V(const ec_game *g, ec_regime regime, double V) {
  shape s = shape_of(g, regime);
  return (s.B + sqrt(sq(s.B) + s.kv * V)) / s.kq;
}

double ec_game_q_of_V(const ec_game *g, ec_regime regime, double V) {
  return ec_game_Qagg_of_V(g, regime, V) / g->N;
}

/* L where the value is V: ln(D / (top - u)) = log1p((u - u0) / (top - u)); +inf where V is
 * at or beyond the steady state on the far side of S. */
static double L_of_V(const ec_game *g, ec_regime regime, const shape *s, double V) {
  double u = sqrt(sq(s->B) + s->kv * V);
  double d = s->kv * (V - g->S) / (u + s->u0);      /* u - u0 */
  double gap = ec_game_slope(g, regime, V) * s->ks; /* top - u */
  if (d == 0)
    return 0;
  double z = d / gap;
  return z > 0 ? log1p(z) : z > -1 ? NAN : INFINITY;
}

double ec_game_x_of_V(const ec_game *g, ec_regime regime, double V) {
  shape s = shape_of(g, regime);
  double L = L_of_V(g, regime, &s, V);
  if (!(L >= 0))
    return 0.0; /* V on the crossing side of S */
  return isfinite(L) ? xk_of_L(&s, L) / s.kx : INFINITY;
}

double ec_game_T_of_V(const ec_game *g, ec_regime regime, double V) {
  shape s = shape_of(g, regime);
  double L = L_of_V(g, regime, &s, V);
  if (!(L >= 0))
    return 0.0;
  return isfinite(L) ? T_of_L(&s, L) : INFINITY;
}

ec_status ec_game_V_of_x(const ec_game *g, ec_regime regime, double x, double *V, ec_error *err) {
  ec_game_point p;
  ec_status st = ec_game_at_x(g, regime, x, &p, err);
  if (st == EC_OK)
    *V = p.V;
  return st;
}

typedef struct {
  const ec_game *g;
  ec_regime regime;
} game_args;

static int ode_rhs(double V, const double y[], double dydV[], void *p) {
  const game_args *ga = p;
  (void)y;
  double s = ec_game_slope(ga->g, ga->regime, V);
  if (!(s != 0))
    return GSL_EBADFUNC;
  dydV[0] = 1.0 / s;
  return GSL_SUCCESS;
}

ec_status ec_game_x_of_V_ode(const ec_game *g, ec_regime regime, double V, double *x,
                             ec_error *err) {
  ec_init();
  game_args ga = {g, regime};
  gsl_odeiv2_system sys = {ode_rhs, NULL, 1, &ga};
  double span = V - g->S;
  gsl_odeiv2_driver *d =
      ec_ode_driver(&sys, gsl_odeiv2_step_rk8pd, span != 0 ? span * 1e-6 : 1e-12, 1e-14, 1e-14);
  double Vcur = g->S, y[1] = {0};
  int status = span != 0 ? gsl_odeiv2_driver_apply(d, &Vcur, V, y) : GSL_SUCCESS;
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

static ec_status check_x0(double x0, ec_error *err) {
  if (!(x0 > 0) || !isfinite(x0)) {
    snprintf(err->msg, sizeof err->msg,
             "the distance to crossing x0 = %g must be positive and finite", x0);
    return EC_EDOM;
  }
  return EC_OK;
}

static ec_status check_T_star(const ec_game *g, double x0, ec_error *err) {
  ec_init();
  ec_status st = ec_game_check(g, err);
  return st != EC_OK ? st : check_x0(x0, err);
}

ec_status ec_game_state(const ec_game *g, ec_regime regime, double x0, double *V, double *T,
                        ec_error *err) {
  ec_init();
  /* the checks of ec_game_check on the one regime solved (its constants formed once) */
  ec_status st = params_check(g, err);
  if (st != EC_OK)
    return st;
  shape s = shape_of(g, regime);
  if ((st = shape_check(g, &s, err)) != EC_OK || (st = check_x0(x0, err)) != EC_OK)
    return st;
  ec_game_point p;
  if ((st = at_x(g, &s, regime, x0, &p, err)) != EC_OK)
    return st;
  *V = p.V;
  *T = p.T;
  return EC_OK;
}

ec_status ec_game_T_star(const ec_game *g, ec_regime regime, double x0, double *T, ec_error *err) {
  double V;
  return ec_game_state(g, regime, x0, &V, T, err);
}

double ec_game_x_of_V_printed(const ec_game *g, double V) {
  double N = g->N, D = sq(g->a) / (g->b * sq(N + 1)), E = g->r * sq(N + 1) / sq(N);
  double A = g->a / (N - 1), u0 = sqrt(D + E * g->S), u = sqrt(D + E * V);
  return 4 * sq(N) / E * ((u0 - u) + A * log((A - u0) / (A - u)));
}

ec_status ec_game_solve(const ec_game *g, double x0, ec_game_summary *out, ec_error *err) {
  ec_status st = check_T_star(g, x0, err);
  ec_game_point n, c;
  if (st != EC_OK || (st = ec_game_at_x(g, EC_NASH, x0, &n, err)) != EC_OK ||
      (st = ec_game_at_x(g, EC_COOP, x0, &c, err)) != EC_OK)
    return st;
  out->x0 = x0;
  out->V_nash = n.V;
  out->V_coop = c.V;
  out->T_nash = n.T;
  out->T_coop = c.T;
  out->Q_nash = n.Q;
  out->Q_coop = c.Q;
  out->q_nash = n.q;
  out->q_coop = c.q;
  out->acceleration = 1.0 - n.T / c.T;
  out->Q_ratio = n.Q / c.Q;
  out->welfare_loss = 1.0 - n.V / c.V;
  if (!isfinite(out->Q_ratio) || !isfinite(out->welfare_loss)) {
    snprintf(err->msg, sizeof err->msg,
             "the cooperative benchmark has zero output or value at x0 = %g (N = %d, a = %g, "
             "b = %g, r = %g, S = %g)",
             x0, g->N, g->a, g->b, g->r, g->S);
    return EC_EDOM;
  }
  return EC_OK;
}
