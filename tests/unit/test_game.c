/* The crossing game against an independent integration, over the whole domain a user can
 * reach: a seeded property test of T*, V, Q and the acceleration at random points with N
 * from 1 to 1000, a, b, r, delta and S_T over decades, S on both sides of the Nash steady
 * state, and x0 b r / a log-uniform over twelve decades [1e-6, 1e6]. The reference is
 * T_star_ode below: (V, T) integrated in x with GSL's RK8(9), V' solved from the HJB
 * equation here and dT/dx = 1/Q; it uses nothing of the core's closed forms.
 * EDSL_GAME_POINTS sets the number of points. */
#include "../../interp/core/core_internal.h"
#include "../../interp/core/edsl_core.h"
#include "check.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

/* V' and Q from the HJB equations, the root with positive output:
 *   Nash  r V = (a - p)(a - N^2 p) / (b (N+1)^2),  Q = N (a - p) / (b (N+1))
 *   coop  r V = (a - N p)^2 / (4 b N),              Q = (a - N p) / (2 b) */
static void hjb(const ec_game *g, int coop, double V, double *p, double *Q) {
  double N = g->N, a = g->a, b = g->b, r = g->r;
  if (coop) {
    *p = (a - sqrt(4 * b * N * r * V)) / N;
    *Q = (a - N * *p) / (2 * b);
  } else {
    /* N^2 p^2 - a (N^2 + 1) p + a^2 - r V b (N+1)^2 = 0, the smaller root */
    double A = a * (N * N + 1), c = a * a - r * V * b * (N + 1) * (N + 1);
    *p = (A - sqrt(A * A - 4 * N * N * c)) / (2 * N * N);
    *Q = N * (a - *p) / (b * (N + 1));
  }
}

typedef struct {
  const ec_game *g;
  int coop;
} ode_args;

static int rhs(double x, const double y[], double dy[], void *vp) {
  const ode_args *oa = vp;
  double p, Q;
  (void)x;
  hjb(oa->g, oa->coop, y[0], &p, &Q);
  if (!(Q > 0))
    return GSL_EBADFUNC;
  dy[0] = p;
  dy[1] = 1 / Q;
  return GSL_SUCCESS;
}

/* (V, T) at x0 from (S, 0) at the crossing: absolute control on V at its scale, relative
 * on T. */
static int T_star_ode(const ec_game *g, int coop, double x0, double *V, double *T) {
  ode_args oa = {g, coop};
  gsl_odeiv2_system sys = {rhs, NULL, 2, &oa};
  static const double scale_abs[2] = {1, 0};
  double y[2] = {g->S, 0}, x = 0;
  gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_scaled_new(
      &sys, gsl_odeiv2_step_rk8pd, x0 * 1e-9,
      1e-14 * fmax(g->S, ec_game_V_inf(g, coop ? EC_COOP : EC_NASH)), 1e-13, 1, 0, scale_abs);
  gsl_odeiv2_driver_set_nmax(d, 100000000);
  int status = gsl_odeiv2_driver_apply(d, &x, x0, y);
  gsl_odeiv2_driver_free(d);
  *V = y[0];
  *T = y[1];
  return status;
}

static double log_uniform(gsl_rng *r, double lo, double hi) {
  return exp(log(lo) + gsl_rng_uniform(r) * (log(hi) - log(lo)));
}

static double rel(double got, double want) {
  return fabs(got - want) / fabs(want);
}

static void property(long npoints) {
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 20261125);
  double max_T = 0, max_V = 0, max_Q = 0, max_acc = 0, max_inv = 0, max_other = 0;
  long above = 0;
  for (long i = 0; i < npoints; i++) {
    ec_game g;
    g.N = i == 0 ? 1 : i == 1 ? 1000 : (int)lround(log_uniform(rng, 1, 1000));
    g.a = log_uniform(rng, 1e-3, 1e3);
    g.b = log_uniform(rng, 1e-3, 1e3);
    g.r = log_uniform(rng, 1e-4, 1);
    double delta = log_uniform(rng, 1e-3, 1);
    double Vss = ec_game_V_inf(&g, EC_NASH);
    /* S_T from 0 to 100 steady states; S_I from a thousandth to ten static Cournot profits;
     * a fifth of the draws put S within 1e-12 to 0.1 of a regime's steady state, on either side
     * (the closed forms' cancellations live there) */
    double u = gsl_rng_uniform(rng);
    double S_T = u < 0.2 ? 0 : Vss * log_uniform(rng, 1e-6, 1e2);
    double S_I =
        g.N * g.a * g.a / (g.b * (g.N + 1.0) * (g.N + 1.0)) * log_uniform(rng, 1e-3, 10) * g.r;
    g.S = ec_continuation_value(S_T, S_I, g.N, g.r, delta);
    if (u > 0.8) {
      double Vt = gsl_rng_uniform(rng) < 0.5 ? Vss : ec_game_V_inf(&g, EC_COOP);
      g.S = Vt * (1 + (gsl_rng_uniform(rng) < 0.5 ? -1 : 1) * log_uniform(rng, 1e-12, 0.1));
    }
    double xi = log_uniform(rng, 1e-12, 1e6), x0 = xi * g.a / (g.b * g.r);
    above += g.S > Vss;
    double T[2], Tode[2], V[2], Vref[2], Q[2], Qref[2];
    for (int reg = 0; reg < 2; reg++) {
      ec_error e;
      ec_game_point p, back;
      double Vode;
      int ok = ec_game_at_x(&g, (ec_regime)reg, x0, &p, &e) == EC_OK;
      CHECK(ok, "point %ld: %s", i, e.msg);
      int st = ok ? T_star_ode(&g, reg, x0, &Vode, &Tode[reg]) : GSL_SUCCESS;
      CHECK(st == GSL_SUCCESS, "point %ld: reference: %s", i, gsl_strerror(st));
      ok = ok && st == GSL_SUCCESS;
      if (!ok)
        continue;
      T[reg] = p.T;
      double pode, Qode;
      hjb(&g, reg, Vode, &pode, &Qode);
      V[reg] = p.V;
      Vref[reg] = Vode;
      Q[reg] = p.Q;
      Qref[reg] = Qode;
      double eT = rel(p.T, Tode[reg]), eV = rel(p.V, Vode), eQ = rel(p.Q, Qode);
      max_T = fmax(max_T, eT);
      max_V = fmax(max_V, eV);
      max_Q = fmax(max_Q, eQ);
      CHECK(eT <= 1e-9 && eV <= 1e-9 && eQ <= 1e-9,
            "point %ld %s N=%d a=%g b=%g r=%g S=%.17g (S/Vss %g) x0=%.17g: T %.17g/%.17g V "
            "%.17g/%.17g Q rel %g",
            i, reg ? "coop" : "nash", g.N, g.a, g.b, g.r, g.S, g.S / Vss, x0, p.T, Tode[reg], p.V,
            Vode, eQ);
      /* the inverse in time gives the distance back */
      CHECK(ec_game_at_T(&g, (ec_regime)reg, p.T, &back, &e) == EC_OK, "at_T: %s", e.msg);
      max_inv = fmax(max_inv, rel(back.x, x0));
      CHECK(rel(back.x, x0) <= 1e-12, "point %ld %s: x(T(x0)) = %.17g, x0 = %.17g", i,
            reg ? "coop" : "nash", back.x, x0);
    }
    /* acceleration 1 - Tn/Tc: absolute error relative to the ratio (it is 0 at N = 1) */
    double acc = 1 - T[0] / T[1], acc_ode = 1 - Tode[0] / Tode[1];
    double eacc = fabs(acc - acc_ode) / fmax(fabs(acc_ode), Tode[0] / Tode[1]);
    max_acc = fmax(max_acc, eacc);
    CHECK(eacc <= 2e-9, "point %ld: acceleration %.17g against %.17g", i, acc, acc_ode);
    /* output ratio, and welfare loss 1 - Vn/Vc (0 at N = 1: measured as acceleration is) */
    double eqr = rel(Q[0] / Q[1], Qref[0] / Qref[1]);
    double loss = 1 - V[0] / V[1], loss_ref = 1 - Vref[0] / Vref[1];
    double eloss = fabs(loss - loss_ref) / fmax(fabs(loss_ref), Vref[0] / Vref[1]);
    max_other = fmax(max_other, fmax(eqr, eloss));
    CHECK(eqr <= 2e-9 && eloss <= 2e-9, "point %ld: Q ratio rel %g, welfare loss %.17g/%.17g", i,
          eqr, loss, loss_ref);
  }
  gsl_rng_free(rng);
  printf("game vs RK8(9) in x, %ld points (%ld with S above the Nash steady state), x0 b r/a in "
         "[1e-12, 1e6], S/Vss to 1 -+ 1e-12: max relative error T %.2g, V %.2g, Q %.2g, "
         "acceleration %.2g, Q ratio "
         "and welfare loss %.2g; x(T(x0)) %.2g\n",
         npoints, above, max_T, max_V, max_Q, max_acc, max_other, max_inv);
  CHECK(above > npoints / 10, "the draws cover S above the steady state (%ld)", above);
}

/* The numbers of the issue that found the defect: the baseline market far from crossing
 * (references from an RK8(9) integration of the asymmetric game at epsilon = 0), and the
 * memo's high S (S_T = 0.6 above V_ss = 0.5556 at x0 = 0.5). */
static void known_values(void) {
  ec_game g = {5, 1, 1, 0.05, 0};
  g.S = ec_continuation_value(0, 5.0 / 36.0, 5, 0.05, 0.30);
  double xs[] = {1000, 2000}, Tn[] = {1200.58, 2400.58}, Tc[] = {2014.37, 4014.37};
  for (int i = 0; i < 2; i++) {
    ec_game_summary s;
    ec_error e;
    CHECK(ec_game_solve(&g, xs[i], &s, &e) == EC_OK, "%s", e.msg);
    CHECK_CLOSE(s.T_nash, Tn[i], 0.005, "T*N far from crossing");
    CHECK_CLOSE(s.T_coop, Tc[i], 0.005, "T*C far from crossing");
  }
  ec_game m = {5, 1, 1, 0.05, 0.6};
  ec_game_point p;
  ec_error e;
  CHECK(ec_game_at_x(&m, EC_NASH, 0.5, &p, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(p.T, 0.59820, 5e-6, "memo's high S: T*N");
  CHECK_CLOSE(p.Q, 0.8358, 5e-5, "memo's high S: Q above Cournot");
  CHECK(p.Q > 5.0 / 6.0 && p.dV < 0 && p.V < m.S, "above the steady state V falls, Q > Cournot");
}

/* S at the steady state is the limit of S on either side: V stays at V_ss, T* = x0/Q_ss. */
static void steady_state_boundary(void) {
  for (int reg = 0; reg < 2; reg++)
    for (int N = 1; N <= 1000; N *= 10) {
      ec_game g = {N, 2, 0.5, 0.03, 0};
      double Vss = ec_game_V_inf(&g, (ec_regime)reg), x0 = 7;
      ec_game_point at, lo, hi;
      ec_error e;
      g.S = Vss;
      CHECK(ec_game_at_x(&g, (ec_regime)reg, x0, &at, &e) == EC_OK, "%s", e.msg);
      double Qss = ec_game_Qagg_of_V(&g, (ec_regime)reg, Vss);
      CHECK(rel(at.T, x0 / Qss) <= 1e-13 && at.V == Vss, "S = V_ss: T* = x0/Q (N=%d %d)", N, reg);
      g.S = Vss * (1 - 1e-10);
      ec_game_at_x(&g, (ec_regime)reg, x0, &lo, &e);
      g.S = Vss * (1 + 1e-10);
      ec_game_at_x(&g, (ec_regime)reg, x0, &hi, &e);
      CHECK(rel(lo.T, at.T) < 1e-9 && rel(hi.T, at.T) < 1e-9 && lo.T >= at.T && hi.T <= at.T,
            "T* continuous and decreasing in S across the steady state (N=%d %d): %.17g %.17g "
            "%.17g",
            N, reg, lo.T, at.T, hi.T);
    }
}

/* The asymmetric game's co-state ODE (asym.c: an RK8(9) integration of the coupled HJB
 * system from the root at the crossing) at epsilon = 0 and S_leader = S is the symmetric
 * game: an independent check of the closed forms on both sides of the steady state. */
static void asym_symmetric_limit(void) {
  double worst = 0;
  for (int N = 2; N <= 40; N *= 3)
    for (double f = 0; f <= 6; f += 0.75) {
      ec_game g = {N, 1.3, 0.7, 0.04, 0};
      g.S = f * ec_game_V_inf(&g, EC_NASH);
      ec_asym_result r;
      ec_game_point p;
      ec_error e;
      CHECK(ec_game_asym(&g, 0, g.S, 2.0, &r, &e) == EC_OK, "asym N=%d S=%g: %s", N, g.S, e.msg);
      CHECK(ec_game_at_x(&g, EC_NASH, 2.0, &p, &e) == EC_OK, "%s", e.msg);
      worst = fmax(worst, fmax(rel(r.T, p.T), rel(r.Q, p.Q)));
      CHECK(rel(r.T, p.T) <= 1e-9 && rel(r.Q, p.Q) <= 1e-9 && rel(r.V_leader, p.V) <= 1e-9,
            "N=%d S/Vss=%g: asym T %.17g Q %.17g V %.17g, closed %.17g %.17g %.17g", N, f, r.T, r.Q,
            r.V_leader, p.T, p.Q, p.V);
    }
  printf("asymmetric game at epsilon = 0 vs the closed forms, S from 0 to 6 V_ss: max relative "
         "error %.2g\n",
         worst);
}

/* Beyond double precision: an error naming the parameters, never a number. */
static void not_representable(void) {
  ec_game g = {5, 1e300, 1e-300, 1e300, 0};
  ec_error e;
  double T;
  CHECK(ec_game_T_star(&g, EC_NASH, 1, &T, &e) == EC_ERANGE && strstr(e.msg, "a = 1e+300"),
        "overflowing constants are named: %s", e.msg);
  ec_game h = {5, 1, 1, 0.05, 0};
  CHECK(ec_game_T_star(&h, EC_NASH, 1e307, &T, &e) == EC_OK && isfinite(T), "x0 = 1e307: %g", T);
  CHECK(ec_game_T_star(&h, EC_COOP, 1.7e308, &T, &e) == EC_ERANGE && strstr(e.msg, "x = 1.7e+308"),
        "T* beyond double range is an error: %s", e.msg);
}

/* ec_game_check skips forming the constants inside a box of parameters where they cannot
 * overflow or vanish: the full check must agree there, at the box's corners (N up to the
 * largest int) and at random points log-uniform over it; outside, both fail alike. */
static void safe_box(void) {
  const double lo = EC_GAME_SAFE_LO, hi = EC_GAME_SAFE_HI, dec = log10(hi / lo);
  const int Ns[] = {1, 2, 5, 1000, 1000000, 2147483647};
  int bad = 0, n = 0;
  for (size_t k = 0; k < sizeof Ns / sizeof *Ns; k++)
    for (int m = 0; m < 32; m++) { /* corners: a, b, r, S each at an end (S also 0) */
      ec_game g = {Ns[k], m & 1 ? hi : lo, m & 2 ? hi : lo, m & 4 ? hi : lo,
                   m & 8 ? (m & 16 ? hi : lo) : 0};
      ec_error e;
      n++;
      bad += ec_game_check(&g, &e) != EC_OK || !ec_game_shapes_ok(&g);
    }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 11);
  for (int i = 0; i < 100000; i++) {
    double u[4];
    for (int j = 0; j < 4; j++)
      u[j] = lo * pow(10, dec * gsl_rng_uniform(rng));
    ec_game g = {1 + (int)gsl_rng_uniform_int(rng, 2147483646), u[0], u[1], u[2],
                 gsl_rng_uniform(rng) < 0.1 ? 0 : u[3]};
    ec_error e;
    n++;
    bad += ec_game_check(&g, &e) != EC_OK || !ec_game_shapes_ok(&g);
  }
  gsl_rng_free(rng);
  CHECK(bad == 0, "%d of %d games inside the safe box fail the full check", bad, n);
  /* just outside: the full check decides, and says so by name */
  ec_game out = {5, 1e300, 1e-300, 1e300, 0};
  ec_error e;
  CHECK(ec_game_check(&out, &e) == EC_ERANGE && !ec_game_shapes_ok(&out),
        "outside the box the constants are checked: %s", e.msg);
}

int main(void) {
  ec_init();
  safe_box();
  const char *env = getenv("EDSL_GAME_POINTS");
  property(env ? atol(env) : 1000);
  known_values();
  steady_state_boundary();
  asym_symmetric_limit();
  not_representable();
  return TEST_SUMMARY();
}
