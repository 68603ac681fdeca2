/* edsl numeric core: the models of the Endogenous Decentralization papers as plain C
 * functions on plain structs. No parser types, no I/O; every routine that can fail returns
 * an ec_status and fills an ec_error with a message naming the parameter values. */
#ifndef EDSL_CORE_H
#define EDSL_CORE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  EC_OK = 0,
  EC_EDOM = 1,       /* parameters outside the model's domain */
  EC_ENOROOT = 2,    /* root not bracketed or no convergence */
  EC_EINTEGRATE = 3, /* quadrature or ODE step failure */
  EC_ERANGE = 4,     /* a result not representable in double precision */
  EC_ECANCELED = 5   /* the caller's cancellation hook asked a long routine to stop */
} ec_status;

typedef struct {
  char msg[512];
} ec_error;

/* Installs GSL's "off" error handler once so that GSL statuses come back to us. */
void ec_init(void);

/* Cancellation: the long routines (ODE runs of many equations, simulations, iterative
 * eigensolvers, closure passes) call the calling thread's hook between units of work and
 * stop with EC_ECANCELED when it returns nonzero, so a time limit or an interrupt bounds
 * them. One hook per thread (sweep workers install their own); NULL removes it. */
typedef int (*ec_cancel_fn)(void *ctx);
void ec_set_cancel(ec_cancel_fn fn, void *ctx);
/* Whether the hook asks to stop now (0 without a hook). */
int ec_cancelled(void);

/* Sorts x[0..n) ascending, NaNs last (std::sort, an introsort: O(n log n) at worst). */
void ec_sort(double *x, size_t n);

/* Order statistics of x[0..n) on demand, x permuted in place (NaNs last, ranked after every
 * number): each asked for costs a selection (linear on average) within the span between
 * those already fixed; past EC_ORDER_FIXED of them x is sorted once instead. */
enum { EC_ORDER_FIXED = 32 };
typedef struct {
  double *x;
  size_t n, m; /* m: the numbers, x[0..m); NaNs after */
  int sorted, nfixed;
  size_t fixed[EC_ORDER_FIXED]; /* ascending: x[k] holds the k-th smallest, for k in fixed */
} ec_order;
void ec_order_init(ec_order *o, double *x, size_t n);
/* The k-th smallest (from 0) of x. */
double ec_order_stat(ec_order *o, size_t k);
/* The p-quantile (R's type 7, GSL's definition); an infinite draw among the two it
 * interpolates makes it that draw. n >= 1. */
double ec_order_quantile(ec_order *o, double p);

/* ---- Learning curves (Wright's law c(Q) = c0 Q^-alpha) ---------------------------- */
double ec_wright_cost(double c0, double alpha, double Q);
double ec_wright_quantity(double c0, double alpha, double c); /* inverse Q(c) */
double ec_cost_per_doubling(double alpha);                    /* 1 - 2^-alpha */
/* The distance to crossing on Wright's law through today's point (Q_now, c_now):
 * x0 = Qbar - Q_now with Qbar = Q_now (c_now/c_star)^(1/alpha); needs c_now > c_star > 0,
 * Q_now > 0 (EC_EDOM), EC_ERANGE when x0 overflows. */
ec_status ec_wright_x0(double Q_now, double c_now, double c_star, double alpha, double *x0,
                       ec_error *err);

typedef struct {
  size_t n;        /* observations used */
  double alpha;    /* -slope of ln c on ln Q */
  double c0;       /* exp(intercept) */
  double alpha_se; /* OLS standard error of the slope */
  double r2;
  double loo_min, loo_max; /* leave-one-out range of alpha (n >= 4) */
  size_t boot_resamples;   /* 0: no bootstrap */
  unsigned long boot_seed;
  size_t boot_redraws;     /* resamples redrawn because all Q were equal */
  double boot_lo, boot_hi; /* percentile 95% CI of alpha */
} ec_fit;

/* OLS of ln c on ln Q; bootstrap of (Q, c) pairs with a seeded MT19937 when resamples > 0. */
ec_status ec_fit_wright(const double *Q, const double *c, size_t n, size_t resamples,
                        unsigned long seed, ec_fit *out, ec_error *err);
/* The same fit, also keeping the sorted bootstrap draws of alpha in boot_draws (resamples
 * values): alpha's sampling distribution for uncertainty analysis ("from a fit"). */
ec_status ec_fit_wright_draws(const double *Q, const double *c, size_t n, size_t resamples,
                              unsigned long seed, ec_fit *out, double *boot_draws, ec_error *err);
/* The Newey-West (1987) standard error of the OLS alpha of ln c on ln Q, robust to
 * heteroskedasticity and autocorrelation up to `lags` (Bartlett weights 1 - l/(lags+1), no
 * small-sample correction: statsmodels' cov_type="HAC"). Needs n >= 3 and lags < n. */
ec_status ec_alpha_se_newey_west(const double *Q, const double *c, size_t n, size_t lags,
                                 double *se, ec_error *err);
/* A moving-block bootstrap (Kunsch 1989) percentile interval [*lo, *hi] at 95% for the OLS
 * alpha: each resample joins blocks of `block` consecutive observations, started uniformly
 * (from seed), cut to n; a resample whose Q are all equal is drawn again. For series whose
 * errors are autocorrelated, where the pairs bootstrap is too narrow. Needs 1 <= block <= n. */
ec_status ec_alpha_block_bootstrap(const double *Q, const double *c, size_t n, size_t block,
                                   size_t resamples, unsigned long seed, double *lo, double *hi,
                                   ec_error *err);
/* Largest series ec_breaks takes: its table of segment fits is n^2 (2000: 32 MB). */
#define EC_BREAKS_MAX_N 2000
/* Structural breaks in Wright's law (Bai and Perron 2003): the m break points that minimize
 * the total sum of squared residuals of OLS of ln c on ln Q fitted segment by segment, each
 * segment at least h >= 2 observations, found exactly by dynamic programming (O(m n^2)).
 * start[k] (k < m) is the 0-based index of the first observation of regime k+2; alpha[k]
 * (k <= m) each regime's alpha; *ssr the total. A segment whose Q take one value has no
 * slope: it is not allowed. */
ec_status ec_breaks(const double *Q, const double *c, size_t n, size_t m, size_t h, size_t *start,
                    double *alpha, double *ssr, ec_error *err);
/* The least total SSR with k = 0..m breaks (segments of at least h) into ssr[0..m], from one
 * pass of the same programme; INFINITY where no split gives every segment two values of Q. */
ec_status ec_breaks_ssr(const double *Q, const double *c, size_t n, size_t m, size_t h, double *ssr,
                        ec_error *err);

/* ---- The N-firm crossing game (004 §3) ------------------------------------------- */
typedef enum { EC_NASH = 0, EC_COOP = 1 } ec_regime;

typedef struct {
  int N;    /* symmetric firms */
  double a; /* demand intercept, P = a - bQ */
  double b; /* demand slope */
  double r; /* discount rate (per unit of time) */
  double S; /* per-firm continuation value at crossing, V(0) = S */
} ec_game;

/* S = S_T + S_I / (N (r + delta)) (eq. 9) */
double ec_continuation_value(double S_T, double S_I, int N, double r, double delta);

/* Steady-state values as x -> infinity: Nash a^2/(r b (N+1)^2), cooperative a^2/(4 b N r).
 * S may lie on either side: below, V rises towards it with x; above (the memo's high S),
 * V falls towards it and output exceeds the steady state's; at it, V stays put. */
double ec_game_V_inf(const ec_game *g, ec_regime regime);
/* N >= 1, a, b, r > 0, S >= 0, all finite, and the closed forms' constants representable. */
ec_status ec_game_check(const ec_game *g, ec_error *err);

/* One point of a regime's equilibrium path. L is the path variable of the closed forms
 * (docs/models.md): 0 at the crossing, growing like x far from it, so x, T, V and Q keep
 * their relative precision there. */
typedef struct {
  double L;
  double x;  /* distance to crossing */
  double T;  /* time to crossing from here, int_0^x dx / Q */
  double V;  /* per-firm value */
  double Q;  /* aggregate output */
  double q;  /* per-firm output */
  double dV; /* V'(x) */
} ec_game_point;

/* The point at distance x >= 0 (Newton on the explicit, monotone x(L)), or at time to
 * crossing T >= 0 (the same on T(L)). Errors name the parameters when the point is not
 * representable in double precision. */
ec_status ec_game_at_x(const ec_game *g, ec_regime regime, double x, ec_game_point *p,
                       ec_error *err);
ec_status ec_game_at_T(const ec_game *g, ec_regime regime, double T, ec_game_point *p,
                       ec_error *err);
/* The point where aggregate output is Q (output is monotone along the path); an error when
 * the path never has that output. */
ec_status ec_game_at_Q(const ec_game *g, ec_regime regime, double Q, ec_game_point *p,
                       ec_error *err);

/* V'(V) from ODE-N / ODE-C (the root with positive output). */
double ec_game_slope(const ec_game *g, ec_regime regime, double V);
/* Per-firm output q and aggregate output Q as functions of the value V. */
double ec_game_q_of_V(const ec_game *g, ec_regime regime, double V);
double ec_game_Qagg_of_V(const ec_game *g, ec_regime regime, double V);
/* Closed-form state x(V) and time to crossing T(V) (0 on the crossing side of S, +inf at or
 * beyond the steady state). V loses the path's digits near the steady state: prefer
 * ec_game_at_x / ec_game_at_T. */
double ec_game_x_of_V(const ec_game *g, ec_regime regime, double V);
double ec_game_T_of_V(const ec_game *g, ec_regime regime, double V);
/* V(x) = ec_game_at_x(...).V. */
ec_status ec_game_V_of_x(const ec_game *g, ec_regime regime, double x, double *V, ec_error *err);
/* x(V) by integrating dx/dV = 1/V'(V) with GSL's RK8(9) — an independent check. */
ec_status ec_game_x_of_V_ode(const ec_game *g, ec_regime regime, double V, double *x,
                             ec_error *err);
/* One regime at distance x0 > 0: the value V(x0) and the crossing time T*. */
ec_status ec_game_state(const ec_game *g, ec_regime regime, double x0, double *V, double *T,
                        ec_error *err);
ec_status ec_game_T_star(const ec_game *g, ec_regime regime, double x0, double *T, ec_error *err);
/* The printed N-exact formula of 004 eq. 13-14, kept only to show it does not solve ODE-N. */
double ec_game_x_of_V_printed(const ec_game *g, double V);

typedef struct {
  double x0;
  double V_nash, V_coop; /* per-firm values at x0 */
  double q_nash, q_coop; /* per-firm outputs at x0 */
  double Q_nash, Q_coop; /* aggregate outputs at x0 */
  double T_nash, T_coop; /* crossing times */
  double acceleration;   /* 1 - T_nash / T_coop */
  double Q_ratio;        /* Q_nash(x0) / Q_coop(x0) */
  double welfare_loss;   /* 1 - V_nash(x0) / V_coop(x0) */
} ec_game_summary;

ec_status ec_game_solve(const ec_game *g, double x0, ec_game_summary *out, ec_error *err);

/* ---- Comparative statics of the game (004 §3.6; 001 Corollaries 1-3, 2*) -------------- */

/* One firm (the leader, index 1) with marginal-cost advantage epsilon (its demand intercept
 * is a + epsilon) and continuation value S1, against N - 1 symmetric rivals with value S.
 * The coupled HJB system  r V_i = F_i(V_1', V_2')  is turned into an explicit ODE for the
 * co-states p = V' (r p = J(p) dp/dx), started from the root of F(p) = r (S1, S) at x = 0. */
typedef struct {
  double x0;
  double q_leader, q_rival; /* outputs at x0 */
  double Q;                 /* aggregate output q_leader + (N-1) q_rival at x0 */
  double V_leader, V_rival; /* values at x0 */
  double T;                 /* crossing time int_0^x0 dx / Q(x) */
} ec_asym_result;

ec_status ec_game_asym(const ec_game *g, double epsilon, double S_leader, double x0,
                       ec_asym_result *out, ec_error *err);
/* F(p) and the outputs (q1, q2) for co-states p: exported for the tests' independent check. */
void ec_game_asym_hjb(const ec_game *g, double epsilon, const double p[2], double q[2],
                      double F[2]);

/* Capacity: each firm can produce at most q_bar until new capacity arrives after the
 * construction lag Delta; firms follow the Nash policy min(q(x), q_bar). Closed form. */
typedef struct {
  double T_free;     /* unconstrained Nash T* */
  double T_capacity; /* T* with the constraint */
  double delay;      /* T_capacity - T_free, in [0, Delta] */
  double x_binding;  /* the cap binds where x > x_binding (S below the steady state: Nash
                        output falls as the crossing nears), x < x_binding above it */
} ec_capacity_result;

ec_status ec_game_capacity(const ec_game *g, double x0, double q_bar, double lag,
                           ec_capacity_result *out, ec_error *err);
/* The same path by ODE integration of (x, V) in time (the independent check). */
ec_status ec_game_capacity_ode(const ec_game *g, double x0, double q_bar, double lag, double *T,
                               ec_error *err);

/* ---- Two-period model (004 Appendix A) ----------------------------------------------- */
typedef struct {
  int N;
  double a, b;  /* P = a - b Q */
  double c1;    /* period-1 unit cost */
  double beta;  /* discount factor */
  double alpha; /* learning: c2 = c1 (1 - alpha Q1 / Qbar) */
  double Qbar;  /* crossing threshold */
  double delta; /* share of period-2 profit lost when Q1 >= Qbar */
  double pi2;   /* period-2 industry profit before learning */
} ec_two_period;

typedef struct {
  double q_nash, Q_nash;  /* the symmetric Nash equilibrium of the piecewise game */
  int n_equilibria;       /* symmetric equilibria found (1 or 2; the firms' best reported) */
  double Q_coop;          /* joint-profit (cartel) optimum, crossing penalty included */
  double Q_ratio;         /* Q_nash / Q_coop */
  double Q_ratio_printed; /* eq. 61 over eq. 62 as printed */
  double Q_ratio_approx;  /* eq. 63 as printed */
  int crosses_nash, crosses_coop;
  double Pi_nash, Pi_coop; /* per-firm two-period payoffs */
  double dCS;              /* eq. 64 */
  double dW;               /* eq. 65 */
} ec_two_period_result;

ec_status ec_two_period_solve(const ec_two_period *m, ec_two_period_result *out, ec_error *err);
/* Per-firm payoff when every firm produces Q1/N (eq. 59 with the crossing penalty). */
double ec_two_period_payoff(const ec_two_period *m, double Q1);
/* Firm i's payoff producing qi while its rivals produce Qo together (eq. 59). */
double ec_two_period_firm_payoff(const ec_two_period *m, double qi, double Qo);

/* ---- Adoption and the generalized crossing (004 §5, App. E; 003 §5.4) ---------------- */
typedef enum { EC_BETA_LINEAR = 0, EC_BETA_LOGIT = 1 } ec_beta_form;
typedef enum { EC_KAPPA_FIXED = 0, EC_KAPPA_HALF_LIFE = 1, EC_KAPPA_ECOSYSTEM = 2 } ec_kappa_law;

typedef struct {
  ec_beta_form form;
  double beta0;  /* linear: rate per unit cost; logit: utility per unit cost */
  double gamma;  /* network-effect multiplier */
  double kappa;  /* coordination friction kappa0 (rate) */
  double mu;     /* churn (rate) */
  double lambda; /* linear: latency advantage (rate) */
  /* logit (eqs. 17-18): beta = scale * L(du / T_u), du = beta0 (c* - c) + latency - friction */
  double T_u, scale, latency, friction;
  /* cost side: c(Q) = c_star (Q / Qbar)^-alpha */
  double c_star, alpha, Qbar;
  /* kappa over time */
  ec_kappa_law law;
  double half_life;                 /* EC_KAPPA_HALF_LIFE */
  double E0, E_max, eta_E, gamma_E; /* EC_KAPPA_ECOSYSTEM (eqs. 67-68) */
  double s0;                        /* initial distributed share */
} ec_adoption;

ec_status ec_adoption_check(const ec_adoption *m, ec_error *err);
double ec_adoption_beta(const ec_adoption *m, double c);
double ec_adoption_R0(const ec_adoption *m, double c, double kappa); /* beta gamma/(kappa+mu) */
double ec_adoption_cost(const ec_adoption *m, double Q);
/* Qbar* where R0 = 1 at friction kappa (eq. 23 for the linear form; the logit form inverts
 * the logistic). 0 when R0 >= 1 at every Q; +inf when R0 < 1 at every Q. */
double ec_adoption_Qbar_star(const ec_adoption *m, double kappa);
/* kappa(E) of eq. 67. */
double ec_adoption_kappa_of_E(const ec_adoption *m, double E);

/* The equilibrium path Q(t) the adoption layer is driven by: the Nash path of the game from
 * x0 = Qbar - Q_now, continued after crossing at the aggregate output at crossing. */
typedef struct {
  ec_game g;
  double x0, Q_now, Qbar;
  double T_cross; /* Nash T* */
  double Q_cross; /* aggregate Nash output at x = 0 */
} ec_path;

ec_status ec_path_init(ec_path *p, const ec_game *g, double Q_now, double Qbar, ec_error *err);
ec_status ec_path_Q(const ec_path *p, double t, double *Q, ec_error *err);

typedef struct {
  double R0_parity;  /* eq. 19 at kappa0 */
  double Qbar_star;  /* eq. 23 at kappa0 */
  double T_hardware; /* Q(t) = Qbar */
  double T_R0;       /* first t with R0(c(Q(t)), kappa(t)) >= 1 (+inf: never) */
  double lag;        /* T_R0 - T_hardware */
} ec_crossings;

/* T_R0 is searched up to horizon (years); beyond it, +inf. */
ec_status ec_adoption_crossings(const ec_adoption *m, const ec_path *p, double horizon,
                                ec_crossings *out, ec_error *err);
/* s(t) and kappa(t) by integrating eq. 15 (with eq. 68 for the ecosystem law). */
ec_status ec_adoption_share(const ec_adoption *m, const ec_path *p, double t, double *s,
                            double *kappa, ec_error *err);
/* Implied R0 from a share series, 003 eq. 17, by forward differences: out has n - 1 values. */
ec_status ec_implied_R0(const double *t, const double *s, size_t n, double delta, double *out,
                        ec_error *err);

/* ---- Dual convergence (004 §8; 001 App. C) ------------------------------------------- */
typedef struct {
  double rate;           /* smooth progress: Qbar_eff falls at this rate */
  const double *t_event; /* lumpy progress: dated events (time since t0) ... */
  const double *factor;  /* ... each multiplying Qbar_eff by a factor in (0, 1] */
  size_t n_events;
} ec_progress;

/* T* of the state equation dx/dt = dQbar_eff/dt - Q(x) under the quasi-static Markov
 * policy, with Qbar_eff(0) = Qbar and x(0) = x0. */
ec_status ec_dual_T_star(const ec_game *g, ec_regime regime, double x0, double Qbar,
                         const ec_progress *pr, double *T, ec_error *err);
/* The same state x at time t >= 0 (0 once crossed; at a release's date, before it). */
ec_status ec_dual_x_at(const ec_game *g, ec_regime regime, double x0, double Qbar,
                       const ec_progress *pr, double t, double *x, ec_error *err);
double ec_dual_Qbar_eff(const ec_progress *pr, double Qbar, double t);
/* eq. 26 as printed. */
double ec_T_dual_eq26(double T_hw, double T_algo, double T_indep);

/* ---- Workloads (004 §6, eq. 1; Theorem 6) ------------------------------------------------ */
/* K = (1 - rho)(J - 1)/J; rho = -inf gives +inf (Leontief). */
double ec_curvature(double rho, double J);
/* K_eff = K (1 - T/T_star)^+, with 0 whenever T >= T_star (even for K = inf). */
double ec_curvature_eff(double K, double T, double T_star);

/* The root of a user function f on Q > 0 that is positive below the root and negative above
 * it (a friction falling with cumulative output), searched geometrically from Q_start and then
 * bisected in log Q. *root = +inf when f stays positive up to Q_max, 0 when it is negative
 * down to 1e-300. */
typedef double (*ec_fn)(double x, void *ctx, int *failed);
ec_status ec_root_geometric(ec_fn f, void *ctx, double Q_start, double Q_max, double *root,
                            ec_error *err);

/* ---- Uncertainty (issue 9): distributions, sampling designs, Sobol indices ---------- */
typedef enum {
  EC_DIST_NORMAL,     /* p1 = mean, p2 = sd */
  EC_DIST_LOGNORMAL,  /* p1 = mu, p2 = sigma of the log */
  EC_DIST_UNIFORM,    /* p1 = lo, p2 = hi */
  EC_DIST_TRIANGULAR, /* p1 = lo, p2 = mode, p3 = hi */
  EC_DIST_BETA,       /* p1 = a, p2 = b, on [lo, hi] = [p3, p4] */
  EC_DIST_EMPIRICAL   /* the sorted draws (e.g. a bootstrap): quantiles interpolate them */
} ec_dist_kind;

typedef struct {
  ec_dist_kind kind;
  double p1, p2, p3, p4;
  const double *draws; /* EC_DIST_EMPIRICAL: sorted ascending */
  size_t ndraws;
} ec_dist;

/* Checks the parameters (sd > 0, lo < hi, lo <= mode <= hi, a, b > 0, draws sorted...). */
ec_status ec_dist_check(const ec_dist *d, ec_error *err);
/* Inverse CDF at u in (0, 1): how every design maps unit points to draws. */
double ec_dist_quantile(const ec_dist *d, double u);
double ec_dist_cdf(const ec_dist *d, double x);

typedef enum { EC_SAMPLE_MC, EC_SAMPLE_LHS, EC_SAMPLE_SOBOL } ec_sample_method;

/* n points of (0,1)^k, row-major in u[n*k]: independent uniforms (GSL mt19937 seeded with
 * seed), a Latin hypercube (one point in each of the n strata of every axis, stratum order
 * by seeded permutation) or Sobol points (GSL qrng, k <= 40; seed unused). The same
 * arguments give the same points on every machine. */
ec_status ec_sample_unit(ec_sample_method m, size_t n, size_t k, unsigned long seed, double *u,
                         ec_error *err);
/* The independent uniforms of ec_sample_unit(EC_SAMPLE_MC, ...) for the same seed, drawn a
 * piece at a time: a sample's later rows are drawn while its first are evaluated. */
typedef struct ec_mc_stream ec_mc_stream;
ec_mc_stream *ec_mc_open(unsigned long seed); /* NULL when out of memory */
void ec_mc_draw(ec_mc_stream *s, double *u, size_t count);
void ec_mc_close(ec_mc_stream *s);
/* Induces correlation corr (k x k, row-major, unit diagonal) through a Gaussian copula:
 * z = Phi^-1(u), z <- L z with corr = L L', u = Phi(z). Errors if corr is not a valid
 * correlation matrix (symmetric, unit diagonal, positive definite). */
ec_status ec_correlate(double *u, size_t n, size_t k, const double *corr, ec_error *err);

/* The points of Saltelli's design for Sobol indices: n points of (0,1)^(2k) by method
 * (Sobol points by default), split into A (first k columns) and B (last k), each n x k
 * row-major. f is then wanted at A, B and every AB_i (A with column i taken from B). */
ec_status ec_sobol_design(ec_sample_method m, size_t n, size_t k, unsigned long seed, double *A,
                          double *B, ec_error *err);

/* Summary of a sampled result over its successful draws (failed draws are counted, not
 * dropped silently): mean, SD (n - 1), and the quantiles at probs[0..nq). Sorts x. */
typedef struct {
  size_t n, failed;
  double mean, sd;
} ec_summary;
ec_status ec_summarize(double *x, size_t n, size_t failed, const double *probs, size_t nq,
                       double *quantiles, ec_summary *out, ec_error *err);

/* Sobol indices by the Saltelli (2010) first-order and Jansen (1999) total estimators from
 * f at the n rows of A, of B, and of AB_i (A with column i from B), fAB row-major k x n.
 * S1[i], ST[i] for each of the k inputs. Errors when f has no variance. */
ec_status ec_sobol_indices(size_t n, size_t k, const double *fA, const double *fB,
                           const double *fAB, double *S1, double *ST, ec_error *err);
/* A bootstrap percentile interval [*lo, *hi] at level (e.g. 0.95) for one input's index
 * (first: Saltelli S1, else Jansen ST) from fA, fB and that input's fABi: nboot resamples of
 * the n base rows with replacement (the rows drawn from seed), each estimate recomputed with
 * its own variance. Errors below 2 resamples or when a resample's result does not vary. */
ec_status ec_sobol_interval(size_t n, const double *fA, const double *fB, const double *fABi,
                            int first, size_t nboot, unsigned long seed, double level, double *lo,
                            double *hi, ec_error *err);

/* ---- Mesh formation (004 §5.6, §9-§11; issue 5) ------------------------------------ */

/* Giant component of eq. 28, S = 1 - exp(-R0 S): the positive root (GSL Brent on (0, 1))
 * when R0 > 1, else 0 (Proposition 3). */
ec_status ec_giant_component(double R0, double *S, ec_error *err);
/* The near-threshold expansion 2(R0 - 1)/R0^2 of §9.4 (a check, not the solution). */
double ec_giant_component_near(double R0);

/* CES aggregate (sum_j C_j^rho)^(1/rho) of eq. 30 over J task totals, 0 < rho <= 1. */
ec_status ec_ces_aggregate(const double *C, size_t J, double rho, double *out, ec_error *err);
/* Lemma 1: J^((1 - rho)/rho), equal coverage over full concentration, 0 < rho <= 1. */
ec_status ec_diversity_premium(double J, double rho, double *out, ec_error *err);
/* Theorem 3 step 4 with S_inf evaluated where it is, at R0 = N r (r = beta v / D): the N at
 * which the mesh's S_inf(N r) N c_bar equals the centralized capacity M c_cent (the premium
 * J^((1-rho)/rho) multiplies both sides under equal coverage, eq. 31). */
ec_status ec_critical_mass(double r, double c_bar, double M_c_cent, double *N_star, ec_error *err);

/* Mean-field q-state Potts model with coupling K (= beta J z): the order parameter
 * m = (q x - 1)/(q - 1), x the share in the favoured state, that minimizes the free energy
 * -(K/2)(x^2 + (1-x)^2/(q-1)) + x ln x + (1-x) ln((1-x)/(q-1)) over the self-consistent
 * solutions ln((1 + (q-1) m)/(1 - m)) = K m. q >= 2. */
ec_status ec_potts_order(double q, double K, double *m, ec_error *err);
/* The transition: critical coupling K_c (free energies of the ordered and disordered
 * solutions equal, by GSL bisection) and the jump of m there; q = 2: K_c = 2, jump 0. */
ec_status ec_potts_transition(double q, double *K_c, double *jump, ec_error *err);

/* Undirected simple graph in compressed rows: node i's neighbours are
 * adj[off[i] .. off[i+1]). Memory: 8 (n + 1) + 8 m bytes (plus fitness: 8 n). */
typedef struct {
  size_t n, m;     /* nodes, edges */
  size_t *off;     /* n + 1 */
  unsigned *adj;   /* 2 m */
  double *fitness; /* Bianconi-Barabasi: per node; else NULL */
} ec_graph;

typedef enum { EC_NET_ER, EC_NET_BA, EC_NET_BB } ec_net_model;
typedef struct {
  ec_net_model model;
  size_t n;               /* nodes */
  double mean_degree;     /* Erdos-Renyi G(n, p) with p = mean_degree/(n - 1) */
  size_t links;           /* BA, BB: edges each new node brings (m) */
  const ec_dist *fitness; /* BB: the fitness distribution eta (positive) */
  size_t max_edges;       /* refuse graphs larger than this (memory bound) */
} ec_net_spec;

/* Seeded generators (GSL MT19937): G(n, p) by geometric skipping (Batagelj-Brandes), and
 * preferential attachment with probability proportional to eta_i k_i (eta = 1: BA) from a
 * complete core of m + 1 nodes. Time and memory linear in edges. */
ec_status ec_graph_generate(const ec_net_spec *spec, unsigned long seed, ec_graph *g,
                            ec_error *err);
/* A graph from an edge list (pairs, 0-based); duplicates and self-loops are errors. */
ec_status ec_graph_from_edges(size_t n, const unsigned *edges, size_t m, ec_graph *g,
                              ec_error *err);
void ec_graph_free(ec_graph *g);
/* <k> and <k^2> over nodes. */
void ec_graph_moments(const ec_graph *g, double *k1, double *k2);
/* Number of connected components; *largest gets the size of the largest (BFS). */
size_t ec_graph_components(const ec_graph *g, size_t *largest);
/* Giant component of the configuration model with this graph's degree distribution:
 * S = 1 - G0(u), u = G1(u) the smallest root in [0, 1] (Newman, Strogatz, Watts 2001). On
 * a Poisson distribution this is eq. 28 with R0 = <k>. */
ec_status ec_graph_giant_mean_field(const ec_graph *g, double *S, ec_error *err);
/* Share of all link ends held by the top nodes by degree (condensation, §9.3). */
double ec_graph_top_share(const ec_graph *g, size_t top);

typedef enum { EC_EIGEN_AUTO, EC_EIGEN_DENSE, EC_EIGEN_SPARSE } ec_eigen_method;
/* Largest graph the dense solver takes, and the largest auto gives it (above that ARPACK is
 * faster: measured 0.3 ms against 1 ms at 120 nodes, 0.06 s against 2.3 s at 1,500). */
#define EC_EIGEN_DENSE_MAX 1500
#define EC_EIGEN_AUTO_DENSE_MAX 100
/* Fiedler value lambda_2 of L = D - A (eq. 35). Dense: GSL symmetric eigenvalues of L.
 * Sparse: ARPACK's implicitly restarted Lanczos for the largest eigenvalue of the
 * pseudo-inverse of L on 1-perp, each product a solve of L x = b by CHOLMOD's sparse Cholesky
 * factor (one node grounded) where it factors cheaply, else by Jacobi-preconditioned conjugate
 * gradients; the Ritz vector refined by its Rayleigh quotient; memory O(n) vectors plus the
 * factor. A disconnected graph has lambda_2 = 0 exactly (sparse and auto return it without
 * iterating). ARPACK is not reentrant: concurrent calls take turns. */
ec_status ec_fiedler(const ec_graph *g, ec_eigen_method method, double *lambda2, ec_error *err);
/* Knowledge diffusion du/dt = -L u (eq. 34) from seeded standard-normal u(0), integrated to
 * t by GSL (rkf45): the disagreement ||u(t) - mean||/||u(0) - mean|| and the decay rate at t,
 * e'Le/e'e of the deviation e (>= lambda_2, and -> lambda_2 as t grows). */
ec_status ec_diffusion(const ec_graph *g, unsigned long seed, double t, double *disagreement,
                       double *rate, ec_error *err);

/* Fixed-response-threshold specialization (eqs. 32-33) after Theraulaz, Bonabeau and
 * Deneubourg (1998), in discrete steps. A busy agent quits its task with probability quit; an
 * idle one meets the tasks in random order and takes up task j with probability
 * s_j^n/(s_j^n + theta_ij^n). Performing j lowers theta_ij by xi; every other threshold rises
 * by phi (within [theta_min, theta_max]). Demand s_j grows by delta a step and falls by
 * work x (agents busy on j)/agents. Capability c_ij = (theta_max - theta_ij)/(theta_max -
 * theta_min); the dominant task is argmax_j c_ij. */
typedef struct {
  size_t agents, tasks, steps;
  double n;                    /* steepness (>= 2 in the paper) */
  double xi, phi;              /* reinforcement and decay per step */
  double theta_min, theta_max; /* bounds of thresholds */
  double theta0_lo, theta0_hi; /* initial thresholds uniform in [lo, hi] */
  double s0, delta, work;      /* initial demand, its growth per step, work per agent */
  double quit;                 /* probability a busy agent quits its task in a step */
  double specialized_at;       /* c_ij* >= this and every other c_ik <= 1 - this */
} ec_threshold_model;
/* dominant[agents] (0-based task), index[nrecord] the specialization index (mean over agents
 * of c_ij* - mean_{k != j*} c_ik, in [0, 1]) every record_every steps from step 0, *share the
 * share of agents specialized at the end, *covered the tasks with a specialist. */
ec_status ec_specialize(const ec_threshold_model *m, unsigned long seed, size_t record_every,
                        int *dominant, double *index, size_t nrecord, double *share,
                        size_t *covered, ec_error *err);

/* ---- Post-crossing growth (004 §12-§14, Appendices B-C) ------------------------------- */

/* A catalytic reaction system (Hordijk and Steel 2004): types 0..ntypes-1, food flags, and
 * per reaction r its inputs in[in_off[r] .. in_off[r+1]), outputs out[..] and catalysts
 * cat[..] (compressed rows). */
typedef struct {
  size_t ntypes, nreactions;
  const unsigned char *food;
  const size_t *in_off, *in, *out_off, *out, *cat_off, *cat;
} ec_reaction_system;
/* The maximal RAF by the Hordijk-Steel reduction: repeat {closure of the food set under the
 * kept reactions; drop reactions with an input outside it or no catalyst in it} until nothing
 * changes. keep[nreactions] marks its reactions; *size counts them (0: no RAF). */
ec_status ec_raf_max(const ec_reaction_system *s, unsigned char *keep, size_t *size, ec_error *err);

/* Random catalytic systems: the first nfood of ntypes types are food; each of nreactions
 * reactions takes `inputs` distinct reactants uniform over all types and makes one product
 * uniform over the non-food types; type j catalyzes reaction r when u_jr < p, with u_jr
 * uniform (one draw per pair, so raising p only adds catalysts). */
typedef struct {
  size_t ntypes, nfood, nreactions, inputs;
} ec_raf_random;
/* Size of the maximal RAF of the system drawn from seed, at catalysis probability p. */
ec_status ec_raf_random_size(const ec_raf_random *m, unsigned long seed, double p, size_t *size,
                             ec_error *err);
/* The smallest p at which the system drawn from seed has a RAF (inf: none even at p = 1). */
ec_status ec_raf_random_threshold(const ec_raf_random *m, unsigned long seed, double *p_star,
                                  ec_error *err);
/* The seed of trial i of a seeded experiment (splitmix64 of seed and i). */
unsigned long ec_trial_seed(unsigned long seed, unsigned long i);

/* Largest matrix ec_perron takes: the dense nonsymmetric solve is O(n^3) and cannot be
 * interrupted (600 types take about 2 s, 1000 about 16 s). */
#define EC_PERRON_MAX 600
/* Perron-Frobenius root of a nonnegative n x n matrix (row-major, M[i*n+j]): the eigenvalue
 * of largest real part (GSL's nonsymmetric eigensolver) and its eigenvector, normalized to
 * sum 1 with entries below 1e-12 set to 0. */
ec_status ec_perron(const double *M, size_t n, double *lambda1, double *v, ec_error *err);

/* Catalytic dynamics on M from c0 > 0, to time t:
 * linear (Jain-Krishna 1998): dc_i/dt = sum_j M_ij c_j - phi_0 c_i, whose shares tend to the
 * Perron-Frobenius vector and whose total grows at lambda_1 - phi_0;
 * printed (004 eq. 39): dc_i/dt = c_i (sum_j M_ij c_j - phi_0).
 * share[n] are c_i(t)/sum c; *rate is d ln(sum c)/dt at t. */
typedef enum { EC_JK_LINEAR = 0, EC_JK_PRINTED = 1 } ec_jk_form;
ec_status ec_catalytic_run(const double *M, size_t n, double phi_0, const double *c0, double t,
                           ec_jk_form form, double *share, double *rate, ec_error *err);

/* The growth law (eq. 40) with variety (eq. 43) and the collapse gate (eq. 50):
 * dC/dt = delta_g f^lambda C^Phi J^gamma_J 1[alpha_eff(rho, J) > alpha_crit] - delta C,
 * Phi = lambda + phi_eff - 1, phi_eff = phi_0/(1 - beta_auto phi_0) (eq. 41);
 * dJ/dt = eta_J f_J C^phi_J (J_max - J) 1[...] (eq. 43; eta_J = 0 keeps J fixed).
 * gate = 0 leaves the collapse condition out (no alpha_crit given). */
typedef struct {
  double delta_g, f, lambda, phi_0, beta_auto, gamma_J, delta, C_0;
  double J_0, J_max, eta_J, f_J, phi_J;
  int gate;
  double rho, alpha_ext, alpha_crit;
  double horizon; /* blow-up search stops here */
} ec_growth;
ec_status ec_phi_eff(double phi_0, double beta_auto, double *phi_eff, ec_error *err);
ec_status ec_growth_check(const ec_growth *g, ec_error *err);
double ec_growth_Phi(const ec_growth *g); /* the exponent of C in eq. 40 */
/* The steady state of eq. 40 at J = J_max: (delta_g f^lambda J_max^gamma_J/delta)^(1/(1-Phi)),
 * for Phi < 1 and delta > 0. */
ec_status ec_growth_C_steady(const ec_growth *g, double *C, ec_error *err);
/* Eq. 45: the growth rate of variety (1/rho) (dJ/dt)/J at (C, J), eq. 43's dJ/dt with the
 * collapse gate; rho != 0. */
ec_status ec_growth_variety_rate(const ec_growth *g, double C, double J, double *rate,
                                 ec_error *err);
/* Eq. 46: the capability ceiling J_max^((1-rho)/rho)/(h delta), for rho != 0, rho < 1, h > 0,
 * delta > 0, J_max >= 1. */
ec_status ec_growth_C_max(double J_max, double rho, double h, double delta, double *C,
                          ec_error *err);
/* C(t), J(t) by GSL rk8pd on ln C (an error, with the time, past a blow-up). */
ec_status ec_growth_path(const ec_growth *g, double t, double *C, double *J, ec_error *err);
/* The blow-up time of eq. 40 found by integrating it (inf: none before the horizon). */
ec_status ec_growth_blowup(const ec_growth *g, double *T, ec_error *err);
/* Eq. 47 as printed (delta left out) and the exact blow-up time of the Bernoulli equation
 * dC/dt = a C^Phi - delta C at fixed J: ln(a/(a - delta C_0^(1-Phi)))/((Phi - 1) delta); inf
 * when the gate is shut, Phi <= 1 or C_0 is below the unstable level. */
ec_status ec_T_singularity(const ec_growth *g, int exact, double *T, ec_error *err);

/* Model collapse (eqs. 49-52): D(rho, J) = (J - 1)/J (1 - rho^(1/(1 - rho))), defined for
 * 0 <= rho < 1 (rho^(1/(1-rho)) is not real for rho < 0); alpha_eff = alpha_ext + (1 -
 * alpha_ext) D. J_min: the smallest whole J with alpha_eff > alpha_crit (inf: none). */
ec_status ec_collapse_D(double rho, double J, double *D, ec_error *err);
ec_status ec_J_min(double rho, double alpha_ext, double alpha_crit, double *J, ec_error *err);

/* Saturation (eq. 42) with uniform coupling a_jk = a over J types:
 * dC_j/dt = A_j/(1 + h A_j) - delta C_j, A_j = a sum_k C_k; integrated from C_j = C_0. */
ec_status ec_saturation_run(size_t J, const double *a, double h, double delta, const double *C0,
                            double t, double *C, ec_error *err);
/* Its symmetric equilibrium with uniform a: 1/(h delta) - 1/(h a J), or 0 when a J <= delta. */
double ec_saturation_level(double J, double a, double h, double delta);

/* Weitzman recombination (eq. 66): dJ/dt = eta_J C(J, 2) p_viable, closed form
 * J(t) = 1/(1 - A e^(k t)), A = (J_0 - 1)/J_0, k = eta_J p_viable/2; it blows up at
 * ln(J_0/(J_0 - 1))/k. */
ec_status ec_recomb_J(double J_0, double k, double t, double *J, ec_error *err);
double ec_recomb_blowup(double J_0, double k);

/* Baumol (eqs. 53-54): beta(t) = 1 - (1 - beta_0) e^(-kappa t), C_1/C_2 = r_0 e^((g_C - g_Z)t).
 * Eq. 53 (Cobb-Douglas) and the CES aggregate (beta C_1^rho + (1 - beta) C_2^rho)^(1/rho),
 * whose growth rate tends to g_Z for rho < 0 (and is eq. 53 at rho = 0). */
typedef struct {
  double g_C, g_Z, beta_0, kappa, ratio_0, rho;
} ec_baumol;
ec_status ec_baumol_growth(const ec_baumol *b, double t, int ces, double *g, ec_error *err);
/* The cost share of sector 2 (CES): (1 - beta) C_2^rho / (beta C_1^rho + (1 - beta) C_2^rho). */
ec_status ec_baumol_cost_share(const ec_baumol *b, double t, double *s2, ec_error *err);
double ec_baumol_ln_aggregate(const ec_baumol *b, double t); /* ln C_eff, C_2(0) = 1 */
/* Eq. 54: the relative price p_Z/p_C = p0 e^((g_C - g_Z) t) at t >= 0 (EC_EDOM when it
 * overflows), and the time it takes to double, ln 2/(g_C - g_Z) (inf when g_C <= g_Z). */
ec_status ec_baumol_price_ratio(const ec_baumol *b, double p0, double t, double *ratio,
                                ec_error *err);
double ec_baumol_price_doubling(const ec_baumol *b);

/* ---- Technology cycles (004 §15, App. D) --------------------------------------------- */
typedef struct {
  double alpha, N, phi, r, delta, K, ln_c_ratio; /* ln(c0/c*) */
} ec_cycle;
/* Eq. 55: (1/alpha) ln(c0/c*) / (1 + (N - 1) alpha phi/(r + delta)), in the unit of 1/r. */
ec_status ec_cycle_duration(const ec_cycle *c, double *tau, ec_error *err);
/* Eq. 56: K (N - 1)/N alpha phi/(r + delta - alpha phi), needs r + delta > alpha phi. */
ec_status ec_cycle_amplitude(const ec_cycle *c, double *A, ec_error *err);
/* Eq. 57: tau_{n+1}/tau_n for cycles a then b. */
ec_status ec_cycle_compression(const ec_cycle *a, const ec_cycle *b, double *ratio, ec_error *err);
/* The crisis order (§15.4): with a role failing when its strength falls below s in (0, 1),
 * correlation robustness (1 - theta)^2 fails at theta = 1 - sqrt(s), superadditivity (1 -
 * theta) at 1 - s, strategic independence (K_eff = 0) at 1. */
ec_status ec_crisis_thetas(double s, double theta[3], ec_error *err);
/* Kendall's tau-b of two series (ties in either corrected as in Kendall 1945). */
ec_status ec_kendall_tau(const double *x, const double *y, size_t n, double *tau, ec_error *err);
/* The two-sided p of Kendall's test of independence: exact, over all n! orderings of y (ties
 * included), for n <= EC_KENDALL_EXACT_N (*exact = 1); else the normal approximation with the
 * variance of S corrected for ties in both series (Kendall 1970), which is poor for few
 * observations: 4 cycles cannot give an exact p below 1/12. */
#define EC_KENDALL_EXACT_N 9
ec_status ec_kendall_p(const double *x, const double *y, size_t n, double *p, int *exact,
                       ec_error *err);

/* The fold of the financial friction, eq. 58: dT_fin/dt = beta I - mu K_eff(T_fin) on
 * [0, T_star]. Equilibria exist while beta I <= mu max K_eff, so the fold (where they meet and
 * vanish: dT/dt = 0 and d(dT/dt)/dT = 0) sits at the maximum of K_eff: located by a grid and
 * GSL's Brent minimizer. With eq. 1's K_eff = K (1 - T/T_star)^+ the maximum is at T = 0, a
 * boundary: the crisis is the equilibrium leaving through T = 0 at I = mu K/beta. */
typedef double (*ec_law)(double T, void *ctx);
ec_status ec_fold_locate(ec_law K_eff, void *ctx, double T_star, double mu, double beta,
                         double *T_fold, double *I_fold, ec_error *err);
/* The equilibria T_fin (roots of beta I = mu K_eff(T)) on [0, T_star], ascending. */
ec_status ec_fold_equilibria(ec_law K_eff, void *ctx, double T_star, double mu, double beta,
                             double I, double *roots, int max_roots, int *nroots, ec_error *err);

/* A user-written ODE system dy/dt = f(t, y) (a `dynamics` block), with events: conditions
 * whose first t of turning true is located (one of them may end the integration). Methods:
 * GSL's explicit RK8(9) and its implicit BDF for stiff systems. */
typedef enum { EC_ODE_RK8PD = 0, EC_ODE_MSBDF = 1 } ec_ode_method;
typedef struct {
  size_t n; /* states */
  /* 0; 1: failed softly (the step is retried smaller); -1: failed (the integration ends) */
  int (*rhs)(double t, const double *y, double *dydt, void *ctx);
  size_t nev;                                                    /* events */
  int (*cond)(double t, const double *y, int *holds, void *ctx); /* nonzero: failed */
  int stop; /* the event that ends the integration, or -1 */
  void *ctx;
  ec_ode_method method;
  double rtol, atol;
  size_t max_steps;
} ec_ode;
typedef struct {
  size_t nreached; /* output points reached */
  size_t steps;
  int stopped, too_many_steps;
  double t_end, t_fail; /* where it ended (the stop, the last point) or failed */
  double *y_end;        /* the caller's, n: the states there */
  double *event_t;      /* the caller's, nev: each event's t, NAN when it did not happen */
} ec_ode_result;
/* Integrates from (t0, y0) through the rising output points tout (t0 itself may be one),
 * writing the states at each into yout (nout x n), until the last or the stop event. */
ec_status ec_ode_solve(const ec_ode *o, double t0, const double *y0, const double *tout,
                       size_t nout, double *yout, ec_ode_result *res, ec_error *err);

/* Calibration: p unknowns in [lo, hi] and n >= p residuals f(x) (0: computed; 1: not
 * computable there; -1: failed, the calibration ends). Solved when max |f| <= tol. */
typedef struct {
  size_t p, n;
  const double *lo, *hi, *x0; /* x0: the first start, inside the bounds */
  int (*f)(const double *x, double *f, void *ctx);
  void *ctx;
  size_t max_iter;
  int starts; /* further starts when the first does not solve a square system */
  double tol;
} ec_calib;
typedef struct {
  double *x, *f; /* the caller's, p and n: the best point and its residuals */
  double norm;   /* max |f| there */
  size_t evals;
  int solved;
  unsigned at_bound; /* bit i: unknown i sits at a bound */
} ec_calib_result;
ec_status ec_calibrate(const ec_calib *c, ec_calib_result *r, ec_error *err);

/* One-variable solvers over y = f(x) (f returns nonzero when it cannot be evaluated): a root by
 * Brent's method on a bracket where f changes sign, the integral by GSL's QAGS (relative error
 * 1e-10), the minimizing x on [lo, hi] (a grid, then Brent's minimizer). */
typedef int (*ec_fn1)(double x, double *y, void *ctx);
ec_status ec_root(ec_fn1 f, void *ctx, double lo, double hi, double *x, ec_error *err);
ec_status ec_integrate(ec_fn1 f, void *ctx, double lo, double hi, double *value, ec_error *err);
ec_status ec_minimize(ec_fn1 f, void *ctx, double lo, double hi, double *x, ec_error *err);

#ifdef __cplusplus
}
#endif

#endif
