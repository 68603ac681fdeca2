/* edsl numeric core: the models of the Endogenous Decentralization papers as plain C
 * functions on plain structs. No parser types, no I/O; every routine that can fail returns
 * an ec_status and fills an ec_error with a message naming the parameter values. */
#ifndef EDSL_CORE_H
#define EDSL_CORE_H

#include <stddef.h>

typedef enum {
  EC_OK = 0,
  EC_EDOM = 1,      /* parameters outside the model's domain */
  EC_ENOROOT = 2,   /* root not bracketed or no convergence */
  EC_EINTEGRATE = 3 /* quadrature or ODE step failure */
} ec_status;

typedef struct {
  char msg[512];
} ec_error;

/* Installs GSL's "off" error handler once so that GSL statuses come back to us. */
void ec_init(void);

/* ---- Learning curves (Wright's law c(Q) = c0 Q^-alpha) ---------------------------- */
double ec_wright_cost(double c0, double alpha, double Q);
double ec_wright_quantity(double c0, double alpha, double c); /* inverse Q(c) */
double ec_cost_per_doubling(double alpha);                    /* 1 - 2^-alpha */

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
 * An interior solution needs S below the regime's steady state. */
double ec_game_V_inf(const ec_game *g, ec_regime regime);
ec_status ec_game_check(const ec_game *g, ec_error *err);

/* V'(V) from ODE-N / ODE-C (the root with positive output). */
double ec_game_slope(const ec_game *g, ec_regime regime, double V);
/* Per-firm output q and aggregate output Q as functions of the value V. */
double ec_game_q_of_V(const ec_game *g, ec_regime regime, double V);
double ec_game_Qagg_of_V(const ec_game *g, ec_regime regime, double V);
/* Closed-form state x(V) (derived in docs/models.md; C-exact for the cooperative case). */
double ec_game_x_of_V(const ec_game *g, ec_regime regime, double V);
/* Closed-form crossing time from state x(V) down to 0 (partial fractions of dx/Q). */
double ec_game_T_of_V(const ec_game *g, ec_regime regime, double V);
/* V(x) by Brent root-finding on the closed form. */
ec_status ec_game_V_of_x(const ec_game *g, ec_regime regime, double x, double *V, ec_error *err);
/* x(V) by integrating dx/dV = 1/V'(V) with GSL's RK8(9) — the independent check. */
ec_status ec_game_x_of_V_ode(const ec_game *g, ec_regime regime, double V, double *x,
                             ec_error *err);
/* T* = integral_0^x0 dx / Q(x) by adaptive GSL quadrature (QAGS) over x. */
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

#endif
