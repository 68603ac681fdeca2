/* Unit tests of the pre-crossing layers (asymmetric game, capacity, two-period model,
 * adoption and R0, dual convergence, workloads), each against an independent computation
 * written here: fixed-step integrators, brute-force maximization, finite differences, closed
 * forms of special cases. Tolerances are stated at each check. */
#include "../../interp/core/edsl_core.h"
#include "check.h"

#include <gsl/gsl_integration.h>
#include <string.h>

static const ec_game G5 = {5, 1, 1, 0.05, 0}; /* the baseline normalization, S = 0 */

/* ---- asymmetric game ---------------------------------------------------------------- */

/* p with F(p) = r V by Newton with a finite-difference Jacobian (not the core's analytic one) */
static int newton_p(const ec_game *g, double eps, const double V[2], double p[2]) {
  for (int it = 0; it < 100; it++) {
    double q[2], F[2], J[2][2], h = 1e-7;
    ec_game_asym_hjb(g, eps, p, q, F);
    double r0 = F[0] - g->r * V[0], r1 = F[1] - g->r * V[1];
    if (fabs(r0) + fabs(r1) < 1e-15)
      return 0;
    for (int j = 0; j < 2; j++) {
      double pp[2] = {p[0], p[1]}, Fp[2], Fm[2];
      pp[j] += h;
      ec_game_asym_hjb(g, eps, pp, q, Fp);
      pp[j] -= 2 * h;
      ec_game_asym_hjb(g, eps, pp, q, Fm);
      J[0][j] = (Fp[0] - Fm[0]) / (2 * h);
      J[1][j] = (Fp[1] - Fm[1]) / (2 * h);
    }
    double det = J[0][0] * J[1][1] - J[0][1] * J[1][0];
    p[0] -= (r0 * J[1][1] - r1 * J[0][1]) / det;
    p[1] -= (J[0][0] * r1 - J[1][0] * r0) / det;
  }
  return -1;
}

/* dV/dx = p(V), integrated by classical RK4 in V with a Newton solve at every stage. */
static void asym_reference(const ec_game *g, double eps, double S1, double x0, int n, double *V1,
                           double *V2, double *Qx0, double *T) {
  double V[2] = {S1, g->S}, p[2];
  double ps = ec_game_slope(g, EC_NASH, g->S);
  p[0] = p[1] = ps;
  /* reach the asymmetric root by continuation, as any careful solver must */
  for (int k = 1; k <= 64; k++) {
    double Vk[2] = {g->S + (S1 - g->S) * k / 64.0, g->S};
    newton_p(g, eps * k / 64.0, Vk, p);
  }
  double h = x0 / n, t = 0, q[2], F[2];
  ec_game_asym_hjb(g, eps, p, q, F);
  double invQ_prev = 1 / (q[0] + (g->N - 1) * q[1]);
  for (int i = 0; i < n; i++) {
    double k[4][2], Vs[2], ps2[2] = {p[0], p[1]};
    for (int s = 0; s < 4; s++) {
      double c = s == 0 ? 0 : s == 3 ? 1 : 0.5;
      Vs[0] = V[0] + (s ? c * h * k[s - 1][0] : 0);
      Vs[1] = V[1] + (s ? c * h * k[s - 1][1] : 0);
      newton_p(g, eps, Vs, ps2);
      k[s][0] = ps2[0];
      k[s][1] = ps2[1];
    }
    V[0] += h / 6 * (k[0][0] + 2 * k[1][0] + 2 * k[2][0] + k[3][0]);
    V[1] += h / 6 * (k[0][1] + 2 * k[1][1] + 2 * k[2][1] + k[3][1]);
    newton_p(g, eps, V, p);
    ec_game_asym_hjb(g, eps, p, q, F);
    double invQ = 1 / (q[0] + (g->N - 1) * q[1]);
    t += h / 2 * (invQ + invQ_prev); /* trapezoid: O(h^2) */
    invQ_prev = invQ;
  }
  *V1 = V[0];
  *V2 = V[1];
  *Qx0 = 1 / invQ_prev;
  *T = t;
}

static void test_asym(void) {
  ec_error e;
  ec_asym_result r;
  ec_game_summary s;
  /* epsilon = 0, S1 = S: the symmetric closed forms */
  CHECK(ec_game_asym(&G5, 0, 0, 0.5, &r, &e) == EC_OK, "%s", e.msg);
  CHECK(ec_game_solve(&G5, 0.5, &s, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(r.q_leader, s.q_nash, 1e-10, "symmetric limit: leader output");
  CHECK_CLOSE(r.q_rival, s.q_nash, 1e-10, "symmetric limit: rival output");
  CHECK_CLOSE(r.V_leader, s.V_nash, 1e-10, "symmetric limit: value");
  CHECK_CLOSE(r.T, s.T_nash, 1e-9, "symmetric limit: T*");
  /* an asymmetric case against the implicit RK4 reference */
  double V1, V2, Qx, T;
  ec_game g = G5;
  g.S = 0.004;
  CHECK(ec_game_asym(&g, 0.1, 0.006, 0.5, &r, &e) == EC_OK, "%s", e.msg);
  asym_reference(&g, 0.1, 0.006, 0.5, 4000, &V1, &V2, &Qx, &T);
  CHECK_CLOSE(r.V_leader, V1, 1e-9, "asymmetric leader value vs implicit RK4");
  CHECK_CLOSE(r.V_rival, V2, 1e-9, "asymmetric rival value vs implicit RK4");
  CHECK_CLOSE(r.Q, Qx, 1e-8, "asymmetric aggregate output vs implicit RK4");
  CHECK_CLOSE(r.T, T, 1e-6, "asymmetric T* vs RK4 + trapezoid");
  CHECK(r.q_leader > r.q_rival, "the advantaged firm produces more (%g vs %g)", r.q_leader,
        r.q_rival);
  /* Corollary 3 (004): aggregate output increasing in epsilon, at every state */
  for (double x = 0.05; x <= 1.0; x += 0.15) {
    double prev = 0;
    for (double eps = 0; eps <= 0.2; eps += 0.05) {
      CHECK(ec_game_asym(&G5, eps, 0, x, &r, &e) == EC_OK, "%s", e.msg);
      CHECK(r.Q > prev, "Q(x = %g) increasing in epsilon at %g: %g after %g", x, eps, r.Q, prev);
      prev = r.Q;
    }
    /* Corollary 4 (004) / 2* (001): increasing in the leader's continuation value */
    prev = 0;
    for (double S1 = 0; S1 <= 0.0075; S1 += 0.0025) {
      CHECK(ec_game_asym(&G5, 0, S1, x, &r, &e) == EC_OK, "%s", e.msg);
      CHECK(r.Q > prev, "Q(x = %g) increasing in S_j at %g: %g after %g", x, S1, r.Q, prev);
      CHECK(S1 == 0 || r.q_leader > r.q_rival, "firm j produces more with S_j = %g > S", S1);
      prev = r.Q;
    }
  }
  CHECK(ec_game_asym(&G5, -0.5, 0, 0.5, &r, &e) == EC_EDOM, "a cost disadvantage is rejected");
  CHECK(strstr(e.msg, "epsilon = -0.5") != NULL, "the error names epsilon: %s", e.msg);
}

/* Corollary 1 (001) / 2 (004): Nash aggregate output increasing in N at every state */
static void test_increasing_N(void) {
  ec_error e;
  for (double x = 0.02; x < 2; x *= 1.7) {
    double prev = 0, Tprev = INFINITY;
    for (int N = 1; N <= 40; N++) {
      ec_game g = {N, 1, 1, 0.05, 0};
      double V, T;
      CHECK(ec_game_V_of_x(&g, EC_NASH, x, &V, &e) == EC_OK, "%s", e.msg);
      double Q = ec_game_Qagg_of_V(&g, EC_NASH, V);
      CHECK(Q > prev, "Q^N(x = %g) increasing in N at N = %d: %g after %g", x, N, Q, prev);
      CHECK(ec_game_T_star(&g, EC_NASH, x, &T, &e) == EC_OK, "%s", e.msg);
      CHECK(T < Tprev, "T* decreasing in N at N = %d", N);
      prev = Q;
      Tprev = T;
    }
  }
}

static void test_capacity(void) {
  ec_error e;
  ec_capacity_result c;
  for (double qb = 0; qb <= 0.2; qb += 0.025)
    for (double lag = 0; lag <= 3; lag += 0.75) {
      CHECK(ec_game_capacity(&G5, 0.5, qb, lag, &c, &e) == EC_OK, "%s", e.msg);
      CHECK(c.delay >= -1e-12 && c.delay <= lag + 1e-12, "delay %g within [0, %g] (q_bar = %g)",
            c.delay, lag, qb);
      double T;
      if (qb > 0) {
        CHECK(ec_game_capacity_ode(&G5, 0.5, qb, lag, &T, &e) == EC_OK, "%s", e.msg);
        CHECK_CLOSE(c.T_capacity, T, 1e-6, "capacity T* closed form vs ODE");
      }
    }
  /* S above the steady state: output rises as the crossing nears, so the cap binds there */
  ec_game hi = G5;
  hi.S = 3;
  int bound = 0;
  for (double qb = 0.16; qb <= 0.195; qb += 0.005)
    for (double lag = 0; lag <= 3; lag += 0.25) {
      CHECK(ec_game_capacity(&hi, 0.5, qb, lag, &c, &e) == EC_OK, "%s", e.msg);
      double T;
      CHECK(ec_game_capacity_ode(&hi, 0.5, qb, lag, &T, &e) == EC_OK, "%s", e.msg);
      CHECK_CLOSE(c.T_capacity, T, 1e-6, "high S: capacity T* closed form vs ODE");
      CHECK(c.delay >= -1e-12 && c.delay <= lag + 1e-12, "high S: delay %g in [0, %g]", c.delay,
            lag);
      bound += c.delay > 1e-6;
    }
  CHECK(bound > 10, "high S: the cap binds in %d cases", bound);
  CHECK(ec_game_capacity(&G5, 0.5, 0, 2, &c, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(c.delay, 2, 1e-12, "no capacity at all: the delay is the full lag");
  CHECK(ec_game_capacity(&G5, 0.5, -1, 2, &c, &e) == EC_EDOM, "negative capacity rejected");
}

/* ---- two-period model ------------------------------------------------------------------ */

static double tp_firm(const ec_two_period *m, double qi, double others) {
  double Q = qi + others, crossed = Q >= m->Qbar;
  return (m->a - m->c1 - m->b * Q) * qi +
         m->beta * (m->pi2 + m->alpha * m->c1 * Q) / m->N * (crossed ? 1 - m->delta : 1);
}

/* The reported Nash output is an equilibrium of the piecewise game: at random parameters
 * (one in four with Qbar between the two sides' interior outputs), no firm gains by any
 * unilateral deviation on a grid of 40001 outputs from 0 to twice the largest relevant
 * output, nor just below and at the crossing; the reported payoff and crossing agree with
 * the output; tp_crosses follows Q1 >= Qbar. */
static unsigned long tp_rng = 12345;
static double tp_u(void) {
  tp_rng = tp_rng * 6364136223846793005UL + 1442695040888963407UL;
  return (double)(tp_rng >> 11) / 9007199254740992.0;
}

/* The largest gain of a unilateral deviation from every firm producing q (on the branch
 * `crossed` at the profile itself: the corner is the limit from below), over a grid of 40001
 * outputs and just below and at the crossing. */
static double tp_best_gain(const ec_two_period *m, double q, int crossed) {
  double N = m->N, Qo = (N - 1) * q, m1 = m->a - m->c1;
  double Q = Qo + q, Pi = (m1 - m->b * Q) * q + m->beta * (m->pi2 + m->alpha * m->c1 * Q) / N *
                                                    (crossed ? 1 - m->delta : 1);
  double top = 2 * fmax(m->Qbar, fmax(Q, m1 / m->b)), gain = -INFINITY;
  for (int k = 0; k <= 40002; k++) {
    double qi = k <= 40000   ? top * k / 40000
                : k == 40001 ? nextafter(m->Qbar - Qo, 0)
                             : m->Qbar - Qo;
    if (qi >= 0)
      gain = fmax(gain, ec_two_period_firm_payoff(m, qi, Qo) - Pi);
  }
  return gain;
}

static void tp_no_profitable_deviation(void) {
  int draws = 400, solved = 0, corner = 0, crossing = 0, two = 0;
  double worst = 0;
  for (int i = 0; i < draws; i++) {
    ec_two_period m;
    m.N = 1 + (int)(tp_u() * 20);
    m.a = exp(-3 + 6 * tp_u());
    m.b = exp(-3 + 6 * tp_u());
    m.c1 = m.a * tp_u();
    m.beta = 0.5 + 0.5 * tp_u();
    m.alpha = 0.9 * tp_u();
    m.delta = tp_u();
    m.pi2 = (m.a - m.c1) * (m.a - m.c1) / (4 * m.b) * 2 * tp_u();
    double m1 = m.a - m.c1, learn = m.beta * m.alpha * m.c1, N = m.N;
    double q61 = (m1 + learn / N) / (m.b * (N + 1)),
           qx = (m1 + learn * (1 - m.delta) / N) / (m.b * (N + 1));
    m.Qbar = i % 4 == 0 ? N * (qx + (q61 - qx) * tp_u()) : N * q61 * 2 * tp_u() + 1e-9;
    ec_two_period_result r;
    ec_error e;
    if (ec_two_period_solve(&m, &r, &e) != EC_OK) {
      CHECK(strstr(e.msg, "no symmetric pure-strategy") != NULL, "%s", e.msg);
      continue;
    }
    solved++;
    corner += !r.crosses_nash && r.Q_nash == m.Qbar * (1 - 0x1p-44);
    crossing += r.crosses_nash;
    two += r.n_equilibria == 2;
    double q = r.Q_nash / N, Qo = r.Q_nash - q;
    double Pi = ec_two_period_firm_payoff(&m, q, Qo);
    double scale = fabs(Pi) + m1 * q + m.beta * (m.pi2 + learn * m.Qbar) / N;
    CHECK(fabs(Pi - r.Pi_nash) <= 1e-12 * scale,
          "draw %d: reported payoff %.17g at its output %.17g", i, r.Pi_nash, Pi);
    CHECK(r.crosses_nash == (r.Q_nash >= m.Qbar) && r.crosses_coop == (r.Q_coop >= m.Qbar),
          "draw %d: crossing flags follow Q1 >= Qbar", i);
    double top = 2 * fmax(m.Qbar, fmax(r.Q_nash, m1 / m.b)), gain = -INFINITY, at = 0;
    for (int k = 0; k <= 40002; k++) {
      double qi = k <= 40000   ? top * k / 40000
                  : k == 40001 ? nextafter(m.Qbar - Qo, 0)
                               : m.Qbar - Qo;
      if (!(qi >= 0))
        continue;
      double g = ec_two_period_firm_payoff(&m, qi, Qo) - Pi;
      if (g > gain) {
        gain = g;
        at = qi;
      }
    }
    worst = fmax(worst, gain / scale);
    /* the count of symmetric equilibria, each candidate checked by brute force */
    int count = 0;
    if (N * q61 < m.Qbar)
      count += tp_best_gain(&m, q61, 0) <= 1e-12 * scale;
    else
      count += tp_best_gain(&m, m.Qbar / N, 0) <= 1e-12 * scale;
    if (N * qx >= m.Qbar)
      count += tp_best_gain(&m, qx, 1) <= 1e-12 * scale;
    CHECK(count == r.n_equilibria, "draw %d: %d symmetric equilibria by brute force, %d reported",
          i, count, r.n_equilibria);
    CHECK(gain <= 1e-12 * scale,
          "draw %d (N=%d a=%g b=%g c1=%g beta=%g alpha=%g Qbar=%g delta=%g pi2=%g): a firm "
          "gains %g by producing %g instead of %g",
          i, m.N, m.a, m.b, m.c1, m.beta, m.alpha, m.Qbar, m.delta, m.pi2, gain, at, q);
  }
  printf("two-period Nash: %d of %d draws solved (%d at the corner below Qbar, %d crossing, %d "
         "with two symmetric equilibria); largest deviation gain %.2g of the payoff scale\n",
         solved, draws, corner, crossing, two, worst);
  CHECK(solved == draws, "every draw has a symmetric equilibrium (%d of %d)", solved, draws);
  CHECK(corner > 0 && crossing > 0, "the draws reach the corner and the crossing side");
}

static void test_two_period(void) {
  ec_two_period m = {5, 10, 1, 2, 0.9, 0.3, 8, 0.4, 20};
  ec_two_period_result r;
  ec_error e;
  CHECK(ec_two_period_solve(&m, &r, &e) == EC_OK, "%s", e.msg);
  /* Nash: an interior equilibrium below Qbar here, eq. 61, the first-order condition */
  double others = (m.N - 1) * r.q_nash, h = 1e-5;
  double d = (tp_firm(&m, r.q_nash + h, others) - tp_firm(&m, r.q_nash - h, others)) / (2 * h);
  CHECK(!r.crosses_nash && r.Q_nash < m.Qbar, "no crossing at these values");
  CHECK_CLOSE(d, 0, 1e-8, "eq. 61 satisfies the first-order condition");
  tp_no_profitable_deviation();
  /* cartel: brute-force maximum of industry payoff on a fine grid */
  double best = -INFINITY, Qbest = 0;
  for (int i = 0; i <= 2000000; i++) {
    double Q = i * 1e-5 * 20, W = m.N * ec_two_period_payoff(&m, Q);
    if (W > best) {
      best = W;
      Qbest = Q;
    }
  }
  CHECK_CLOSE(r.Q_coop, Qbest, 2e-4, "cartel output vs grid search");
  CHECK_CLOSE(r.Pi_coop * m.N, best, 1e-6, "cartel payoff vs grid search");
  /* eq. 64 against the consumer-surplus integral (midpoint rule) */
  double cs[2];
  double Qs[2] = {r.Q_nash, r.Q_coop};
  for (int k = 0; k < 2; k++) {
    int n = 100000;
    double s = 0, P = m.a - m.b * Qs[k];
    for (int i = 0; i < n; i++)
      s += (m.a - m.b * (i + 0.5) * Qs[k] / n - P) * Qs[k] / n;
    cs[k] = s;
  }
  CHECK_CLOSE(r.dCS, cs[0] - cs[1], 1e-7, "eq. 64 vs quadrature");
  CHECK(r.Q_ratio > 1, "Nash overproduces relative to the cartel (%g)", r.Q_ratio);
  /* the printed eqs. 61-62 give a ratio below one, eq. 63 one above it */
  CHECK(r.Q_ratio_printed < 1 && r.Q_ratio_approx > 1,
        "printed ratio %g < 1 but printed approximation %g > 1", r.Q_ratio_printed,
        r.Q_ratio_approx);
  m.c1 = 12;
  CHECK(ec_two_period_solve(&m, &r, &e) == EC_EDOM, "a <= c1 rejected");
}

/* ---- adoption ------------------------------------------------------------------------- */

static ec_adoption base_adoption(void) {
  ec_adoption m;
  memset(&m, 0, sizeof m);
  m.form = EC_BETA_LINEAR;
  m.beta0 = 0.5;
  m.gamma = 1.2;
  m.kappa = 1.2;
  m.mu = 1.2;
  m.lambda = 0.6;
  m.c_star = 5;
  m.alpha = 0.21;
  m.Qbar = 2;
  m.s0 = 0.01;
  m.T_u = 1;
  m.scale = 3;
  return m;
}

static double R0_at_Q(const ec_adoption *m, double Q, double kappa) {
  return ec_adoption_R0(m, ec_adoption_cost(m, Q), kappa);
}

static double bisect_Qstar(const ec_adoption *m, double kappa) {
  double lo = 1e-9, hi = 1e12;
  for (int i = 0; i < 400; i++) {
    double mid = sqrt(lo * hi);
    if (R0_at_Q(m, mid, kappa) >= 1)
      hi = mid;
    else
      lo = mid;
  }
  return hi;
}

/* The share from seeds down to 1e-12, relative to its size, against closed forms of the
 * Bernoulli equation ds/dt = a(t) s (1 - s) - b(t) s, i.e. w = 1/s with w' = -(a - b) w + a:
 *   constant a, b (beta0 = 0, fixed kappa): s = s0 e^(rt) / (1 + s0 (a/r) expm1(rt)), r = a - b;
 *   kappa halving every h years: w(t) = e^-A(t) [1/s0 + int_0^t a e^A], with
 *   A(t) = (a - mu) t - kappa0 h/ln 2 (1 - 2^(-t/h)), the integral by GSL's QAGS. */
typedef struct {
  double a, mu, kappa0, h;
} bern;

static double bern_A(const bern *b, double t) {
  return (b->a - b->mu) * t - b->kappa0 * b->h / M_LN2 * -expm1(-t / b->h * M_LN2);
}

static double bern_integrand(double t, void *vp) {
  const bern *b = vp;
  return b->a * exp(bern_A(b, t));
}

static void share_small_seeds(const ec_path *p) {
  ec_error e;
  double worst = 0;
  for (int law = 0; law < 2; law++)
    for (double s0 = 1e-12; s0 < 0.6; s0 *= 10) {
      ec_adoption m = base_adoption();
      m.beta0 = 0;
      m.lambda = 3;
      m.s0 = s0;
      if (law) {
        m.law = EC_KAPPA_HALF_LIFE;
        m.half_life = 4;
      }
      double a = m.lambda * m.gamma;
      for (double t = 0.5; t <= 40; t *= 3) {
        double s, kap, want;
        CHECK(ec_adoption_share(&m, p, t, &s, &kap, &e) == EC_OK, "%s", e.msg);
        if (!law) {
          double r = a - m.kappa - m.mu;
          want = s0 * exp(r * t) / (1 + s0 * a / r * expm1(r * t));
        } else {
          bern b = {a, m.mu, m.kappa, m.half_life};
          gsl_function F = {bern_integrand, &b};
          gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
          double I, abserr;
          int qs = gsl_integration_qags(&F, 0, t, 0, 1e-12, 1000, w, &I, &abserr);
          gsl_integration_workspace_free(w);
          CHECK(qs == 0, "quadrature of the Bernoulli integral: status %d", qs);
          want = 1 / (exp(-bern_A(&b, t)) * (1 / s0 + I));
        }
        double rel = fabs(s - want) / want;
        worst = fmax(worst, rel);
        CHECK(rel <= 1e-9, "share from s0 = %g at t = %g (%s): %.17g, closed form %.17g", s0, t,
              law ? "half-life kappa" : "fixed kappa", s, want);
      }
    }
  printf("adoption share from seeds 1e-12 to 0.1 vs Bernoulli closed forms: max relative "
         "error %.2g\n",
         worst);
}

static void test_adoption(void) {
  ec_adoption m = base_adoption();
  ec_error e;
  CHECK_CLOSE(ec_adoption_R0(&m, m.c_star, m.kappa), m.lambda * m.gamma / (m.kappa + m.mu), 1e-15,
              "R0 at parity = lambda gamma / (kappa + mu) (eq. 19)");
  double Qs = ec_adoption_Qbar_star(&m, m.kappa);
  double B =
      1 - (m.kappa + m.mu) / (m.beta0 * m.gamma * m.c_star) + m.lambda / (m.beta0 * m.c_star);
  CHECK_CLOSE(Qs, m.Qbar * pow(B, -1 / m.alpha), 1e-12 * Qs, "eq. 23 as printed");
  CHECK_CLOSE(Qs, bisect_Qstar(&m, m.kappa), 1e-9 * Qs, "eq. 23 vs bisection on R0 = 1");
  CHECK(Qs > m.Qbar, "lambda gamma < kappa + mu puts Qbar* beyond parity");
  double prev = 0;
  for (double k = 0.2; k < 2.0; k += 0.1) {
    double q = ec_adoption_Qbar_star(&m, k);
    CHECK(q >= prev, "dQbar*/dkappa > 0 at kappa = %g (%g after %g)", k, q, prev);
    prev = q;
  }
  m.mu = 0.1;
  CHECK(ec_adoption_Qbar_star(&m, 0.01) == 0, "lambda gamma >= kappa + mu: R0 >= 1 everywhere");
  m.lambda = 0;
  m.beta0 = 0.05;
  CHECK(isinf(ec_adoption_Qbar_star(&m, m.kappa)), "R0 < 1 even at zero cost: never");
  /* the logit form against bisection */
  m = base_adoption();
  m.form = EC_BETA_LOGIT;
  m.latency = 0.5;
  m.friction = 1.5;
  Qs = ec_adoption_Qbar_star(&m, m.kappa);
  CHECK_CLOSE(Qs, bisect_Qstar(&m, m.kappa), 1e-9 * Qs, "logit Qbar* vs bisection");

  /* the equilibrium path and the crossing dates */
  m = base_adoption();
  ec_game g = G5;
  ec_path p;
  CHECK(ec_path_init(&p, &g, 1.5, 2.0, &e) == EC_OK, "%s", e.msg);
  double Q;
  CHECK(ec_path_Q(&p, 0, &Q, &e) == EC_OK && fabs(Q - 1.5) < 1e-12, "Q(0) = Q_now");
  CHECK(ec_path_Q(&p, p.T_cross, &Q, &e) == EC_OK && fabs(Q - 2.0) < 1e-12, "Q(T*) = Qbar");
  /* Q(t) at mid-path against RK4 of dx/dt = -Q(V(x)) */
  double x = 0.5, t = 0, h = p.T_cross / 2 / 20000;
  for (int i = 0; i < 20000; i++) {
    double k[4], xs = x;
    for (int s = 0; s < 4; s++) {
      double V;
      ec_game_V_of_x(&g, EC_NASH, xs > 0 ? xs : 0, &V, &e);
      k[s] = -ec_game_Qagg_of_V(&g, EC_NASH, V);
      xs = x + (s == 2 ? h : h / 2) * k[s];
    }
    x += h / 6 * (k[0] + 2 * k[1] + 2 * k[2] + k[3]);
    t += h;
  }
  CHECK(ec_path_Q(&p, t, &Q, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(Q, 2.0 - x, 1e-9, "path Q(T*/2) vs RK4");
  ec_crossings c;
  CHECK(ec_adoption_crossings(&m, &p, 200, &c, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(c.T_R0, p.T_cross + (c.Qbar_star - p.Qbar) / p.Q_cross, 1e-9,
              "fixed kappa: R0 crossing on the post-crossing ray");
  CHECK(c.lag > 0, "coordination lag positive when lambda gamma < kappa + mu");
  m.law = EC_KAPPA_HALF_LIFE;
  m.half_life = 1.0;
  ec_crossings c2;
  CHECK(ec_adoption_crossings(&m, &p, 200, &c2, &e) == EC_OK, "%s", e.msg);
  CHECK(c2.T_R0 < c.T_R0, "declining kappa shortens the lag (%g < %g)", c2.T_R0, c.T_R0);
  CHECK(ec_path_Q(&p, c2.T_R0, &Q, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(R0_at_Q(&m, Q, m.kappa * exp2(-c2.T_R0 / m.half_life)), 1, 1e-9,
              "R0 = 1 at the R0 crossing date");

  /* share ODE vs the logistic closed form (beta0 = 0 makes beta = lambda constant) */
  m = base_adoption();
  m.beta0 = 0;
  m.lambda = 3;
  double s, kap, rr = m.lambda * m.gamma - m.kappa - m.mu, K = rr / (m.lambda * m.gamma);
  CHECK(ec_adoption_share(&m, &p, 2.5, &s, &kap, &e) == EC_OK, "%s", e.msg);
  double ex = exp(rr * 2.5);
  CHECK_CLOSE(s, K * m.s0 * ex / (K + m.s0 * (ex - 1)), 1e-9, "adoption ODE vs logistic");
  share_small_seeds(&p);
  /* ecosystem bootstrap: R0(E0) < 1 < R0(Emax) and a seed escapes */
  m = base_adoption();
  m.beta0 = 0;
  m.lambda = 1.0;
  m.kappa = 1.0;
  m.mu = 0.1;
  m.gamma = 1;
  m.law = EC_KAPPA_ECOSYSTEM;
  m.E0 = 1;
  m.E_max = 10;
  m.eta_E = 2;
  m.gamma_E = 1;
  m.s0 = 0.2;
  double R0E0 = ec_adoption_R0(&m, m.c_star, m.kappa);
  double R0Em = ec_adoption_R0(&m, m.c_star, ec_adoption_kappa_of_E(&m, m.E_max));
  CHECK(R0E0 < 1 && R0Em > 1, "bootstrap case: R0(E0) = %g < 1 < R0(Emax) = %g", R0E0, R0Em);
  CHECK(ec_adoption_share(&m, &p, 60, &s, &kap, &e) == EC_OK, "%s", e.msg);
  CHECK(s > 0.5, "the seeded ecosystem escapes the trivial equilibrium (s = %g)", s);
  CHECK_CLOSE(s, 1 - (kap + m.mu) / (m.lambda * m.gamma), 1e-6,
              "it settles at the nontrivial equilibrium s* = 1 - 1/R0");
  m.eta_E = 0;
  CHECK(ec_adoption_share(&m, &p, 60, &s, &kap, &e) == EC_OK && s < 1e-3,
        "without ecosystem feedback the same seed dies out (s = %g)", s);

  /* implied R0 (003 eq. 17) */
  double tt[] = {0, 2, 5}, ss[] = {0.025, 0.05, 0.08}, out[2];
  CHECK(ec_implied_R0(tt, ss, 3, 0.75, out, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(out[0], 1 + 0.0125 / (0.75 * 0.025 * 0.975), 1e-14, "eq. 17 by hand");
  CHECK(ec_implied_R0(tt, ss, 1, 0.75, out, &e) == EC_EDOM, "one observation is too short");
  ss[1] = 1.0;
  CHECK(ec_implied_R0(tt, ss, 3, 0.75, out, &e) == EC_EDOM, "a share of 1 is rejected");
}

/* ---- dual convergence ------------------------------------------------------------------ */

static void test_dual(void) {
  ec_error e;
  ec_progress none = {0, NULL, NULL, 0};
  double T, Tfree;
  CHECK(ec_game_T_star(&G5, EC_NASH, 0.5, &Tfree, &e) == EC_OK, "%s", e.msg);
  CHECK(ec_dual_T_star(&G5, EC_NASH, 0.5, 2.0, &none, &T, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(T, Tfree, 1e-9, "no progress: T* of the game");
  /* lumpy only: piecewise closed form */
  double te[] = {0.2, 0.4}, fe[] = {0.9, 0.95};
  ec_progress lumpy = {0, te, fe, 2};
  CHECK(ec_dual_T_star(&G5, EC_NASH, 0.5, 2.0, &lumpy, &T, &e) == EC_OK, "%s", e.msg);
  double x = 0.5, tnow = 0, Qb = 2.0, V, Tx;
  for (int i = 0; i < 2; i++) {
    ec_game_V_of_x(&G5, EC_NASH, x, &V, &e);
    Tx = ec_game_T_of_V(&G5, EC_NASH, V);
    if (Tx <= te[i] - tnow)
      break;
    /* advance to the event: solve T(x') = T(x) - (te - tnow) by bisection */
    double target = Tx - (te[i] - tnow), lo = 0, hi = x;
    for (int k = 0; k < 200; k++) {
      double mid = 0.5 * (lo + hi), Vm;
      ec_game_V_of_x(&G5, EC_NASH, mid, &Vm, &e);
      if (ec_game_T_of_V(&G5, EC_NASH, Vm) > target)
        hi = mid;
      else
        lo = mid;
    }
    x = 0.5 * (lo + hi) - Qb * (1 - fe[i]);
    Qb *= fe[i];
    tnow = te[i];
  }
  ec_game_V_of_x(&G5, EC_NASH, x, &V, &e);
  CHECK_CLOSE(T, tnow + ec_game_T_of_V(&G5, EC_NASH, V), 1e-9, "lumpy progress vs closed form");
  /* smooth: RK4 of dx/dt = -rate Qbar e^{-rate t} - Q(V(x)) */
  ec_progress smooth = {0.3, NULL, NULL, 0};
  CHECK(ec_dual_T_star(&G5, EC_NASH, 0.5, 2.0, &smooth, &T, &e) == EC_OK, "%s", e.msg);
  double h = 1e-5, t = 0;
  x = 0.5;
  while (x > 0) {
    double k[4], xs = x, ts = t;
    for (int s = 0; s < 4; s++) {
      ec_game_V_of_x(&G5, EC_NASH, xs > 0 ? xs : 0, &V, &e);
      k[s] = -0.3 * 2.0 * exp(-0.3 * ts) - ec_game_Qagg_of_V(&G5, EC_NASH, V);
      double c = s == 2 ? h : h / 2;
      xs = x + c * k[s];
      ts = t + c;
    }
    double xn = x + h / 6 * (k[0] + 2 * k[1] + 2 * k[2] + k[3]);
    if (xn <= 0) {
      t += h * x / (x - xn);
      break;
    }
    x = xn;
    t += h;
  }
  CHECK_CLOSE(T, t, 1e-6, "smooth progress vs RK4");
  CHECK(T < Tfree, "progress brings the crossing forward");
  double bad_t[] = {-1}, bad_f[] = {0.9};
  ec_progress bad = {0, bad_t, bad_f, 1};
  CHECK(ec_dual_T_star(&G5, EC_NASH, 0.5, 2.0, &bad, &T, &e) == EC_EDOM, "event before t0");
  /* eq. 26: with T_indep = inf it is the harmonic combination, which is what log-linear
   * paths give: T = L / (a_hw g_Q + a_algo g_Z) with T_hw = L/(a_hw g_Q), T_algo = L/(a_algo g_Z)
   */
  double L = log(12.0 / 5.0), Thw = L / (0.23 * 0.078), Talg = L / (0.15 * 0.5);
  CHECK_CLOSE(ec_T_dual_eq26(Thw, Talg, INFINITY), L / (0.23 * 0.078 + 0.15 * 0.5), 1e-12,
              "eq. 26 with T_indep = inf");
  CHECK(ec_T_dual_eq26(Thw, Talg, 50) > ec_T_dual_eq26(Thw, Talg, INFINITY),
        "a finite T_indep lengthens T_dual");
}

/* ---- workloads ----------------------------------------------------------------------- */

static double friction_gap(double Q, void *ctx, int *failed) {
  (void)failed;
  double *T_star = ctx;
  return 2.0 * pow(Q, -0.3) - *T_star;
}

static void test_workloads(void) {
  CHECK_CLOSE(ec_curvature(0, 4), 0.75, 1e-15, "K = (1 - rho)(J - 1)/J");
  CHECK_CLOSE(ec_curvature(1, 4), 0, 1e-15, "rho = 1: no curvature");
  CHECK(isinf(ec_curvature(-INFINITY, 4)), "rho = -inf: Leontief");
  CHECK(ec_curvature_eff(INFINITY, 1, 0.5) == 0, "T >= T*: K_eff = 0 even for K = inf");
  CHECK_CLOSE(ec_curvature_eff(2, 0.25, 1), 1.5, 1e-15, "K (1 - T/T*)");
  double Tstar = 0.5, root;
  ec_error e;
  CHECK(ec_root_geometric(friction_gap, &Tstar, 1, 1e300, &root, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(root, pow(2.0 / 0.5, 1 / 0.3), 1e-11 * root, "Q* = (T0/T*)^(1/alpha)");
  CHECK(ec_root_geometric(friction_gap, &Tstar, 1e6, 1e300, &root, &e) == EC_OK, "%s", e.msg);
  CHECK_CLOSE(root, pow(2.0 / 0.5, 1 / 0.3), 1e-11 * root, "searching downward");
  Tstar = 0;
  CHECK(ec_root_geometric(friction_gap, &Tstar, 1, 1e300, &root, &e) == EC_OK && isinf(root),
        "T* below the friction floor: never");
}

int main(void) {
  ec_init();
  test_asym();
  test_increasing_N();
  test_capacity();
  test_two_period();
  test_adoption();
  test_dual();
  test_workloads();
  return TEST_SUMMARY();
}
