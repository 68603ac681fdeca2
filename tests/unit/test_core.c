/* Unit tests of the numeric core against independent computations. */
#include "../../interp/core/edsl_core.h"
#include "check.h"

#include <gsl/gsl_fit.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void test_wright(void) {
  CHECK_CLOSE(ec_wright_cost(120, 0.23, 1), 120, 1e-12, "c(1) = c0");
  CHECK_CLOSE(ec_wright_cost(120, 0.23, 2) / 120, pow(2, -0.23), 1e-14, "one doubling");
  CHECK_CLOSE(ec_cost_per_doubling(0.23), 0.1473651082, 1e-9, "1 - 2^-0.23 (paper: ~15%)");
  double Q = ec_wright_quantity(12, 0.23, 5);
  CHECK_CLOSE(ec_wright_cost(12, 0.23, Q), 5, 1e-12, "Q(c) inverts c(Q)");
}

/* OLS on the HBM table (004 Table 7, 2015-2024, n = 6) with ln Q = year - 2015; the expected
 * values are the textbook formulas slope = Sxy/Sxx, se = sqrt(SSR/(n-2)/Sxx), evaluated by
 * hand in the test (not by GSL). */
static void test_ols_hbm(void) {
  double year[] = {2015, 2016, 2018, 2020, 2022, 2024};
  double price[] = {120, 60, 35, 25, 20, 15};
  double Q[6], x[6], y[6];
  size_t n = 6;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; i++) {
    x[i] = year[i] - 2015;
    Q[i] = exp(x[i]);
    y[i] = log(price[i]);
    mx += x[i] / n;
    my += y[i] / n;
  }
  double sxx = 0, sxy = 0, sst = 0;
  for (size_t i = 0; i < n; i++) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    sst += (y[i] - my) * (y[i] - my);
  }
  double slope = sxy / sxx, icpt = my - slope * mx, ssr = 0;
  for (size_t i = 0; i < n; i++)
    ssr += pow(y[i] - icpt - slope * x[i], 2);
  ec_fit f;
  ec_error e;
  CHECK(ec_fit_wright(Q, price, n, 2000, 42, &f, &e) == EC_OK, "fit: %s", e.msg);
  CHECK_CLOSE(f.alpha, -slope, 1e-12, "alpha");
  CHECK_CLOSE(f.alpha, 0.2104438166, 1e-9, "alpha (python reference)");
  CHECK_CLOSE(f.alpha_se, sqrt(ssr / (n - 2) / sxx), 1e-12, "alpha SE");
  CHECK_CLOSE(f.r2, 1 - ssr / sst, 1e-12, "R^2");
  CHECK_CLOSE(f.c0, exp(icpt), 1e-9, "c0");
  CHECK(f.loo_min <= f.alpha && f.alpha <= f.loo_max, "LOO range brackets alpha");
  CHECK(f.boot_lo < f.alpha && f.alpha < f.boot_hi, "bootstrap CI brackets alpha");
  ec_fit g;
  ec_fit_wright(Q, price, n, 2000, 42, &g, &e);
  CHECK(g.boot_lo == f.boot_lo && g.boot_hi == f.boot_hi, "same seed, same CI");
  /* The bootstrap's draws are exactly the slopes gsl_fit_linear gives on the same resamples
   * (the core computes them without its residual pass), a degenerate resample redrawn. */
  {
    enum { B = 500 };
    size_t m = 5;
    double Qd[] = {1, 1, 1, 1, 3}, cd[] = {10, 9, 11, 10.5, 7}, draws[B], want[B];
    CHECK(ec_fit_wright_draws(Qd, cd, m, B, 7, &g, draws, &e) == EC_OK, "%s", e.msg);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    double bx[5], by[5];
    for (size_t k = 0, redraws = 0; k < B;) {
      for (size_t i = 0; i < m; i++) {
        size_t j = gsl_rng_uniform_int(rng, m);
        bx[i] = log(Qd[j]);
        by[i] = log(cd[j]);
      }
      double c0, c1, v00, v01, v11, ss;
      gsl_fit_linear(bx, 1, by, 1, m, &c0, &c1, &v00, &v01, &v11, &ss);
      if (gsl_stats_variance(bx, 1, m) > 0)
        want[k++] = -c1;
      else
        redraws++;
      if (k == B)
        CHECK(redraws == g.boot_redraws && redraws > 0, "redraws %zu vs %zu", redraws,
              g.boot_redraws);
    }
    gsl_rng_free(rng);
    gsl_sort(want, 1, B);
    int same = 1;
    for (int k = 0; k < B; k++)
      same &= draws[k] == want[k];
    CHECK(same, "bootstrap draws equal gsl_fit_linear's on the same resamples");
  }
  /* Exact data recovers alpha with zero SE. */
  double Qe[] = {1, 2, 4, 8, 16}, ce[5];
  for (int i = 0; i < 5; i++)
    ce[i] = 100 * pow(Qe[i], -0.3);
  ec_fit_wright(Qe, ce, 5, 0, 0, &g, &e);
  CHECK_CLOSE(g.alpha, 0.3, 1e-12, "exact Wright data");
  CHECK_CLOSE(g.c0, 100, 1e-9, "exact c0");
  CHECK_CLOSE(g.loo_min, 0.3, 1e-12, "LOO on exact data");
  double bad[] = {1, -2, 3};
  CHECK(ec_fit_wright(bad, bad, 3, 0, 0, &g, &e) == EC_EDOM && strstr(e.msg, "observation 2"),
        "negative Q is a domain error naming the row: %s", e.msg);
  CHECK(ec_fit_wright(Qe, ce, 2, 0, 0, &g, &e) == EC_EDOM, "n = 2 is an error");
}

/* The leave-one-out range (downdated sums) against refitting without each observation by the
 * textbook formula, over data whose Q spans 1e-3 to 1e12 and whose noise spans 1e-12 to 1,
 * and on data where dropping one observation leaves one Q (that slope is not identified). */
static double refit_slope(const double *x, const double *y, size_t n, size_t skip, int *ok) {
  double mx = 0, my = 0, m = (double)(n - 1), sxx = 0, sxy = 0;
  for (size_t i = 0; i < n; i++)
    if (i != skip)
      mx += x[i] / m, my += y[i] / m;
  for (size_t i = 0; i < n; i++)
    if (i != skip) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
    }
  *ok = sxx > 0;
  return -sxy / sxx;
}

static void test_loo(void) {
  unsigned long st = 12345;
  double worst = 0;
  for (int trial = 0; trial < 400; trial++) {
    size_t n = 4 + (size_t)(trial % 37);
    double Q[40], c[40], x[40], y[40];
    double lo_q = pow(10, -3 + trial % 9), span = pow(10, 1 + trial % 4);
    double noise = pow(10, -12 + trial % 13), alpha = 0.05 + 0.01 * (trial % 50);
    for (size_t i = 0; i < n; i++) {
      st = st * 6364136223846793005UL + 1442695040888963407UL;
      double u = (double)(st >> 11) / 9007199254740992.0;
      st = st * 6364136223846793005UL + 1442695040888963407UL;
      double v = (double)(st >> 11) / 9007199254740992.0 - 0.5;
      Q[i] = lo_q * pow(span, u);
      c[i] = 50 * pow(Q[i], -alpha) * exp(noise * v);
      x[i] = log(Q[i]);
      y[i] = log(c[i]);
    }
    ec_fit f;
    ec_error e;
    if (ec_fit_wright(Q, c, n, 0, 0, &f, &e) != EC_OK)
      continue;
    double mn = INFINITY, mx = -INFINITY;
    for (size_t k = 0; k < n; k++) {
      int ok;
      double a = refit_slope(x, y, n, k, &ok);
      if (ok)
        mn = fmin(mn, a), mx = fmax(mx, a);
    }
    /* 1e-6 of the range's width (or of the noise), and round-off: 1e-12 of alpha */
    double allowed = 1e-6 * fmax(fabs(mx - mn), noise) + 1e-12 * fabs(f.alpha);
    worst = fmax(worst, fmax(fabs(f.loo_min - mn), fabs(f.loo_max - mx)) / allowed);
  }
  CHECK(worst < 1,
        "LOO range = refits within 1e-6 of its width and 1e-12 of alpha: worst %g of "
        "that",
        worst);
  /* one observation off a single Q: dropping it leaves no slope; the others give one */
  double Q1[] = {2, 2, 2, 2, 8}, c1[] = {10, 11, 9, 10.5, 5};
  ec_fit g;
  ec_error e;
  CHECK(ec_fit_wright(Q1, c1, 5, 0, 0, &g, &e) == EC_OK, "fit: %s", e.msg);
  CHECK(isfinite(g.loo_min) && isfinite(g.loo_max) && g.loo_min <= g.loo_max,
        "LOO skips the unidentified slope: [%g, %g]", g.loo_min, g.loo_max);
}

/* Closed form x(V) against RK8(9) integration of dx/dV = 1/V'(V), both regimes, S below
 * and above the Nash steady state (V moves from S towards the regime's steady state). */
static void test_closed_vs_ode(void) {
  int Ns[] = {2, 3, 5, 10, 20};
  double fracs[] = {0, 0.25, 0.5, 0.75, 0.9, 0.99, 1.01, 1.5, 4, 20};
  double maxdiff = 0;
  for (size_t i = 0; i < 5; i++)
    for (size_t j = 0; j < sizeof fracs / sizeof *fracs; j++)
      for (int reg = 0; reg < 2; reg++) {
        ec_game g = {Ns[i], 1.0, 1.0, 0.05, 0};
        double Smax = ec_game_V_inf(&g, EC_NASH);
        g.S = fracs[j] * Smax;
        double vinf = ec_game_V_inf(&g, (ec_regime)reg);
        for (int k = 1; k <= 4; k++) {
          double V = g.S + (vinf - g.S) * (k / 5.0);
          double xc = ec_game_x_of_V(&g, (ec_regime)reg, V), xo;
          ec_error e;
          CHECK(ec_game_x_of_V_ode(&g, (ec_regime)reg, V, &xo, &e) == EC_OK, "ode: %s", e.msg);
          maxdiff = fmax(maxdiff, fabs(xc - xo));
          CHECK(fabs(xc - xo) <= 1e-10, "N=%d S/Smax=%g %s V=%g: closed %.15g ode %.15g", Ns[i],
                fracs[j], reg ? "coop" : "nash", V, xc, xo);
        }
      }
  printf("closed form vs ODE: max |dx| = %.3g\n", maxdiff);
}

/* The ODE itself: residual of ODE-N and ODE-C for the slope we use. */
static void test_hjb_residual(void) {
  ec_game g = {5, 1.3, 0.7, 0.08, 0.01};
  for (double V = g.S; V < ec_game_V_inf(&g, EC_NASH); V += 0.02) {
    double p = ec_game_slope(&g, EC_NASH, V), N = g.N;
    double rhs = (g.a - p) * (g.a - N * N * p) / (g.b * (N + 1) * (N + 1));
    CHECK_CLOSE(g.r * V, rhs, 1e-14, "ODE-N residual");
    double pc = ec_game_slope(&g, EC_COOP, V);
    CHECK_CLOSE(g.r * V, pow(g.a - N * pc, 2) / (4 * g.b * N), 1e-14, "ODE-C residual");
  }
}

/* The printed N-exact constants (004 eq. 13-14) do not solve ODE-N: dx/dV * V'(V) != 1. */
static void test_printed_constants_fail(void) {
  ec_game g = {5, 1, 1, 0.05, 0};
  double V = 0.5 * ec_game_V_inf(&g, EC_NASH), h = 1e-7;
  double dxdV = (ec_game_x_of_V_printed(&g, V + h) - ec_game_x_of_V_printed(&g, V - h)) / (2 * h);
  double resid = dxdV * ec_game_slope(&g, EC_NASH, V) - 1.0;
  CHECK(!(fabs(resid) < 1e-3), "printed N-exact unexpectedly satisfies ODE-N (resid %g)", resid);
  printf("printed N-exact (eq. 13-14) at N=5, V=Vinf/2: dx/dV * V' - 1 = %g (should be 0)\n",
         resid);
  double dxc = (ec_game_x_of_V(&g, EC_NASH, V + h) - ec_game_x_of_V(&g, EC_NASH, V - h)) / (2 * h);
  CHECK_CLOSE(dxc * ec_game_slope(&g, EC_NASH, V), 1.0, 1e-6, "derived N-exact satisfies ODE-N");
}

/* Properties: Q^N > Q^C on a grid, T^N < T^C, aggregate Nash output increasing in N. */
static void test_properties(void) {
  for (int N = 2; N <= 20; N++)
    for (double sf = 0; sf < 0.99; sf += 0.2) {
      ec_game g = {N, 1, 1, 0.05, 0};
      g.S = sf * ec_game_V_inf(&g, EC_NASH);
      for (double x = 0.01; x < 20; x *= 1.7) {
        double Vn, Vc;
        ec_error e;
        ec_game_V_of_x(&g, EC_NASH, x, &Vn, &e);
        ec_game_V_of_x(&g, EC_COOP, x, &Vc, &e);
        CHECK(ec_game_Qagg_of_V(&g, EC_NASH, Vn) > ec_game_Qagg_of_V(&g, EC_COOP, Vc),
              "Q^N > Q^C at N=%d S=%g x=%g", N, g.S, x);
        ec_game g2 = g;
        g2.N = N + 1;
        g2.S = 0; /* same S = 0 so the comparison is in N alone */
        ec_game g1 = g;
        g1.S = 0;
        double V1, V2;
        ec_game_V_of_x(&g1, EC_NASH, x, &V1, &e);
        ec_game_V_of_x(&g2, EC_NASH, x, &V2, &e);
        CHECK(ec_game_Qagg_of_V(&g2, EC_NASH, V2) > ec_game_Qagg_of_V(&g1, EC_NASH, V1),
              "Nash output increasing in N at N=%d x=%g", N, x);
      }
      ec_game_summary s;
      ec_error e;
      CHECK(ec_game_solve(&g, 0.5, &s, &e) == EC_OK, "solve: %s", e.msg);
      CHECK(s.T_nash < s.T_coop, "T^N < T^C at N=%d S=%g", N, g.S);
    }
  /* N = 1: Nash and cooperative coincide (monopoly). */
  ec_game m = {1, 1, 1, 0.05, 0.1};
  CHECK_CLOSE(ec_game_x_of_V(&m, EC_NASH, 2), ec_game_x_of_V(&m, EC_COOP, 2), 1e-12,
              "N = 1: Nash = cooperative");
}

static void test_errors(void) {
  ec_game g = {5, 1, 1, 0.05, 1.0};
  ec_error e;
  double T;
  CHECK(ec_game_T_star(&g, EC_NASH, 0.5, &T, &e) == EC_OK && T > 0,
        "S above the steady state has a regular solution: %s", e.msg);
  g.S = -0.1;
  CHECK(ec_game_T_star(&g, EC_NASH, 0.5, &T, &e) == EC_EDOM && strstr(e.msg, "S = -0.1"),
        "negative S is a domain error naming S: %s", e.msg);
  g.S = 0;
  g.r = -1;
  CHECK(ec_game_T_star(&g, EC_NASH, 0.5, &T, &e) == EC_EDOM && strstr(e.msg, "r = -1"),
        "negative r is named: %s", e.msg);
  g.r = 0.05;
  CHECK(ec_game_T_star(&g, EC_NASH, -1, &T, &e) == EC_EDOM, "negative x0 is an error");
}

/* Baseline normalization (docs/models.md): a = b = 1, r = 0.05, delta = 0.30, S_T = 0,
 * S_I = N a^2/(b (N+1)^2), x0 = 0.5. Reference values from an independent Python bisection
 * on the same closed forms (tests/unit/README). */
static void test_baseline(void) {
  ec_game g = {5, 1, 1, 0.05, 0};
  g.S = ec_continuation_value(0, 5.0 / 36.0, 5, 0.05, 0.30);
  ec_game_summary s;
  ec_error e;
  CHECK(ec_game_solve(&g, 0.5, &s, &e) == EC_OK, "%s", e.msg);
  printf("baseline: T_nash %.6f T_coop %.6f acc %.6f Qratio %.6f loss %.6f\n", s.T_nash, s.T_coop,
         s.acceleration, s.Q_ratio, s.welfare_loss);
  CHECK_CLOSE(s.welfare_loss, 0.341, 2e-3, "welfare loss near the paper's 34.1%");
  CHECK(s.acceleration > 0.78 && s.acceleration < 0.80, "acceleration %g near 79%%",
        s.acceleration);
}

/* ec_ode_solve's output points, against closed forms: dense grids (many points a step, read
 * from the Hermite interpolant) and sparse ones (integrated to), and a stop inside a step. */
static int osc(double t, const double *y, double *f, void *ctx) {
  (void)t, (void)ctx;
  f[0] = y[1];
  f[1] = -y[0];
  return 0;
}
static int ramp(double t, const double *y, double *f, void *ctx) {
  (void)t, (void)y, (void)ctx;
  f[0] = 1;
  return 0;
}
static int half(double t, const double *y, int *holds, void *ctx) {
  (void)t, (void)ctx;
  holds[0] = y[0] >= 0.5;
  return 0;
}
static void test_ode_output(void) {
  for (int dense = 0; dense < 2; dense++) {
    size_t nout = dense ? 100001 : 7;
    double *t = malloc(nout * sizeof *t), *y = malloc(2 * nout * sizeof *y);
    for (size_t k = 0; k < nout; k++)
      t[k] = 30.0 * (double)k / (double)(nout - 1);
    double y0[2] = {1, 0}, yend[2], ev[1];
    ec_ode o = {2, osc, 0, NULL, -1, NULL, EC_ODE_RK8PD, 1e-11, 1e-13, 1000000};
    ec_ode_result r = {.y_end = yend, .event_t = ev};
    ec_error e;
    CHECK(ec_ode_solve(&o, 0, y0, t, nout, y, &r, &e) == EC_OK, "%s", e.msg);
    CHECK(r.nreached == nout, "every point reached (%zu of %zu)", r.nreached, nout);
    double worst = 0;
    for (size_t k = 0; k < nout; k++)
      worst = fmax(worst, fmax(fabs(y[2 * k] - cos(t[k])), fabs(y[2 * k + 1] + sin(t[k]))));
    CHECK(worst < 1e-9, "oscillator over 30 at %zu points: worst error %g", nout, worst);
    CHECK(dense ? r.steps * 20 < nout : 1, "the steps (%zu) are the integrator's, not the grid's",
          r.steps);
    free(t), free(y);
  }
  size_t nout = 1001;
  double t[1001], y[1001], y0 = 0, yend, ev;
  for (size_t k = 0; k < nout; k++)
    t[k] = (double)k / 1000;
  ec_ode o = {1, ramp, 1, half, 0, NULL, EC_ODE_RK8PD, 1e-10, 1e-12, 1000};
  ec_ode_result r = {.y_end = &yend, .event_t = &ev};
  ec_error e;
  CHECK(ec_ode_solve(&o, 0, &y0, t, nout, y, &r, &e) == EC_OK, "%s", e.msg);
  CHECK(r.stopped && r.nreached == 501, "stopped at y = 0.5 after 501 points (%zu)", r.nreached);
  CHECK_CLOSE(r.t_end, 0.5, 1e-12, "the stop's t");
  double worst = 0;
  for (size_t k = 0; k < r.nreached; k++)
    worst = fmax(worst, fabs(y[k] - t[k]));
  CHECK(worst < 1e-12, "y = t up to the stop: worst error %g", worst);
}

int main(void) {
  ec_init();
  test_wright();
  test_ols_hbm();
  test_loo();
  test_closed_vs_ode();
  test_hjb_residual();
  test_printed_constants_fail();
  test_properties();
  test_errors();
  test_baseline();
  test_ode_output();
  return TEST_SUMMARY();
}
