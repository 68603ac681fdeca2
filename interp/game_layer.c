/* The crossing game's and the learning curves' builtins: the bridge from a scenario's
 * market (or a curve) to the numeric core's game solution and Wright fit. */
#include <math.h>

#include "builtins.h"
#include "core/edsl_core.h"
#include "eval_internal.h"

static int check_finite(Eval *ev, double v, const IrExpr *e) {
  if (isnan(v))
    return ev_fail(ev, EV_NUMERIC, e->span,
                   "the result is not a number (a formula left its domain)");
  return 0;
}

static int game_summary(Eval *ev, Decl *scn, ec_game_summary *s, ec_game *g, Span sp) {
  double x0;
  if (ev_scenario_game(ev, scn, g, &x0, sp))
    return -1;
  ec_error err;
  ec_status st = ec_game_solve(g, x0, s, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, sp, st, "scenario '%s': %s", scn->name, err.msg);
  return 0;
}

/* ---- the game: one function a row ---- */

static int scenario_game(Eval *ev, const IrExpr *e, const Value *a, ec_game *g, double *x0) {
  return ev_scenario_game(ev, a[0].decl, g, x0, e->span);
}

static int x0_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_game g;
  return scenario_game(ev, e, a, &g, &out->num);
}

static int continuation_value_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_game g;
  double x0;
  if (scenario_game(ev, e, a, &g, &x0))
    return -1;
  out->num = g.S;
  return 0;
}

static int S_max_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_game g;
  double x0;
  if (scenario_game(ev, e, a, &g, &x0))
    return -1;
  out->num = ec_game_V_inf(&g, EC_NASH);
  return 0;
}

/* One regime at x0 (the second argument): one root, not the four of the comparison. */
typedef struct {
  double T, V, Q, q;
} RegimeState;

static int regime_state(Eval *ev, const IrExpr *e, const Value *a, RegimeState *r) {
  if (a[1].sym != SYM_NASH && a[1].sym != SYM_COOP)
    return ev_fail(ev, EV_INPUT, e->args[1]->span, "expected a regime: nash or coop");
  ec_regime regime = a[1].sym == SYM_NASH ? EC_NASH : EC_COOP;
  ec_game g;
  double x0;
  ec_error err;
  if (scenario_game(ev, e, a, &g, &x0))
    return -1;
  ec_status st = ec_game_state(&g, regime, x0, &r->V, &r->T, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "scenario '%s': %s", a[0].decl->name, err.msg);
  r->Q = ec_game_Qagg_of_V(&g, regime, r->V);
  r->q = r->Q / g.N;
  return 0;
}

#define REGIME_FN(fn, member)                                                                      \
  static int fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                           \
    RegimeState r;                                                                                 \
    if (regime_state(ev, e, a, &r))                                                                \
      return -1;                                                                                   \
    out->num = r.member;                                                                           \
    return check_finite(ev, out->num, e);                                                          \
  }
REGIME_FN(crossing_time_fn, T)
REGIME_FN(value_fn, V)
REGIME_FN(output_fn, Q)
REGIME_FN(firm_output_fn, q)

/* Both regimes at x0: the comparisons. */
#define SUMMARY_FN(fn, member)                                                                     \
  static int fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                           \
    ec_game_summary s;                                                                             \
    ec_game g;                                                                                     \
    if (game_summary(ev, a[0].decl, &s, &g, e->span))                                              \
      return -1;                                                                                   \
    out->num = s.member;                                                                           \
    return check_finite(ev, out->num, e);                                                          \
  }
SUMMARY_FN(acceleration_fn, acceleration)
SUMMARY_FN(Q_ratio_fn, Q_ratio)
SUMMARY_FN(welfare_loss_fn, welfare_loss)

/* ---- learning curves ---- */

static int alpha_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return ev_curve_alpha(ev, a[0].decl, &out->num, e->span);
}

static int cost_per_doubling_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  double al;
  if (ev_curve_alpha(ev, a[0].decl, &al, e->span))
    return -1;
  out->num = ec_cost_per_doubling(al);
  return 0;
}

/* A statistic of the curve's fit; ci: it needs the bootstrap. */
static int fit_stat(Eval *ev, const IrExpr *e, const Value *a, int ci, ec_fit *fit) {
  if (ev_curve_fit(ev, a[0].decl, fit, e->span, ci))
    return -1;
  if (ci && !fit->boot_resamples)
    return ev_fail(ev, EV_INPUT, e->span,
                   "learning_curve '%s' has no bootstrap: set 'bootstrap = 10000' in it",
                   a[0].decl->name);
  return 0;
}

#define FIT_FN(fn, expr, ci)                                                                       \
  static int fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                           \
    ec_fit fit;                                                                                    \
    if (fit_stat(ev, e, a, ci, &fit))                                                              \
      return -1;                                                                                   \
    out->num = (expr);                                                                             \
    return check_finite(ev, out->num, e);                                                          \
  }
FIT_FN(alpha_se_fn, fit.alpha_se, 0)
FIT_FN(r_squared_fn, fit.r2, 0)
FIT_FN(n_obs_fn, (double)fit.n, 0)
FIT_FN(alpha_loo_min_fn, fit.loo_min, 0)
FIT_FN(alpha_loo_max_fn, fit.loo_max, 0)
FIT_FN(alpha_ci_lo_fn, fit.boot_lo, 1)
FIT_FN(alpha_ci_hi_fn, fit.boot_hi, 1)

static const Builtin game_rows[] = {
    {"crossing_time",
     2,
     {T_SCENARIO, T_SYMBOL},
     "crossing_time(scenario, nash|coop): T* in years",
     0,
     0,
     crossing_time_fn},
    {"acceleration",
     1,
     {T_SCENARIO},
     "acceleration(scenario): 1 - T*nash / T*coop",
     0,
     0,
     acceleration_fn},
    {"Q_ratio",
     1,
     {T_SCENARIO},
     "Q_ratio(scenario): aggregate output Nash/coop at x0",
     0,
     0,
     Q_ratio_fn},
    {"welfare_loss",
     1,
     {T_SCENARIO},
     "welfare_loss(scenario): 1 - V_nash(x0)/V_coop(x0), per firm",
     0,
     0,
     welfare_loss_fn},
    {"value",
     2,
     {T_SCENARIO, T_SYMBOL},
     "value(scenario, regime): per-firm value V(x0)",
     0,
     0,
     value_fn},
    {"output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "output(scenario, regime): aggregate output Q(x0)",
     0,
     0,
     output_fn},
    {"firm_output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "firm_output(scenario, regime): q(x0)",
     0,
     0,
     firm_output_fn},
    {"x0", 1, {T_SCENARIO}, "x0(scenario): initial distance to crossing", 0, 0, x0_fn},
    {"continuation_value",
     1,
     {T_SCENARIO},
     "continuation_value(scenario): S = S_T + S_I/(N(r+delta))",
     0,
     0,
     continuation_value_fn},
    {"S_max",
     1,
     {T_SCENARIO},
     "S_max(scenario): Nash steady-state value a^2/(r b (N+1)^2)",
     0,
     0,
     S_max_fn},
};
BUILTIN_FAMILY(builtins_game, "game", game_rows);

static const Builtin curve_rows[] = {
    {"alpha", 1, {T_CURVE}, "alpha(curve): learning elasticity (given or fitted)", 0, 0, alpha_fn},
    {"alpha_se", 1, {T_CURVE}, "alpha_se(curve): OLS standard error of alpha", 0, 0, alpha_se_fn},
    {"r_squared", 1, {T_CURVE}, "r_squared(curve): R^2 of the fit", 0, 0, r_squared_fn},
    {"n_obs", 1, {T_CURVE}, "n_obs(curve): observations in the fit", 0, 0, n_obs_fn},
    {"alpha_loo_min",
     1,
     {T_CURVE},
     "alpha_loo_min(curve): smallest leave-one-out alpha",
     0,
     0,
     alpha_loo_min_fn},
    {"alpha_loo_max",
     1,
     {T_CURVE},
     "alpha_loo_max(curve): largest leave-one-out alpha",
     0,
     0,
     alpha_loo_max_fn},
    {"alpha_ci_lo",
     1,
     {T_CURVE},
     "alpha_ci_lo(curve): bootstrap 2.5% quantile of alpha",
     0,
     0,
     alpha_ci_lo_fn},
    {"alpha_ci_hi",
     1,
     {T_CURVE},
     "alpha_ci_hi(curve): bootstrap 97.5% quantile of alpha",
     0,
     0,
     alpha_ci_hi_fn},
    {"cost_per_doubling",
     1,
     {T_CURVE},
     "cost_per_doubling(curve): 1 - 2^-alpha",
     0,
     0,
     cost_per_doubling_fn},
};
BUILTIN_FAMILY(builtins_curve, "curve", curve_rows);
