/* The crossing game's builtins: the bridge from a scenario's market to the numeric core's game
 * solution; the asymmetric game (Corollaries 2-4), capacity constraints, and the two-period
 * model. (Learning curves are curve_layer.c's.) */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static int regime_state(Eval *ev, const IrExpr *e, const Value *a, RegimeState *r, int need_Q) {
  ec_regime regime;
  if (ev_regime_arg(ev, e, a, 1, &regime))
    return -1;
  ec_game g;
  double x0;
  ec_error err;
  if (scenario_game(ev, e, a, &g, &x0))
    return -1;
  ec_status st = ec_game_state(&g, regime, x0, &r->V, &r->T, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "scenario '%s': %s", a[0].decl->name, err.msg);
  if (need_Q) { /* not for T or V: a sweep asks for T at every point */
    r->Q = ec_game_Qagg_of_V(&g, regime, r->V);
    r->q = r->Q / g.N;
  }
  return 0;
}

#define REGIME_FN(fn, member, need_Q)                                                              \
  static int fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                           \
    RegimeState r;                                                                                 \
    if (regime_state(ev, e, a, &r, need_Q))                                                        \
      return -1;                                                                                   \
    out->num = r.member;                                                                           \
    return check_finite(ev, out->num, e);                                                          \
  }
REGIME_FN(crossing_time_fn, T, 0)
REGIME_FN(value_fn, V, 0)
REGIME_FN(output_fn, Q, 1)
REGIME_FN(firm_output_fn, q, 1)

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

/* ---- the asymmetric, capacity-constrained and two-period games ---- */

/* Each row names its operation by an id; the functions below compare it. */
typedef enum {
  L_LEADER_OUTPUT,
  L_RIVAL_OUTPUT,
  L_ASYM_OUTPUT,
  L_ASYM_CROSSING_TIME,
  L_LEADER_VALUE,
  L_RIVAL_VALUE,
  L_CROSSING_TIME_CAPACITY,
  L_CROSSING_DELAY,
  L_TP_OUTPUT,
  L_TP_Q_RATIO,
  L_TP_Q_RATIO_PRINTED,
  L_TP_Q_RATIO_APPROX,
  L_TP_CROSSES,
  L_TP_PROFIT,
  L_TP_DELTA_CS,
  L_TP_DELTA_W,
  L_TP_EQUILIBRIA,
} GameVariantOp;

static int asym_call(Eval *ev, const IrExpr *e, Decl *scn, Value *out, GameVariantOp op) {
  ec_game g;
  double x0, eps = 0, Sj;
  if (ev_scenario_game(ev, scn, &g, &x0, e->span))
    return -1;
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *m = ev_scenario_market(ev, scn, e->span);
  Sj = g.S;
  if (!m || ev_field_num(ev, m, F_MARKET_asymmetric_epsilon, &eps, e->span, 0) < 0 ||
      ev_field_num(ev, m, F_MARKET_asymmetric_S_j, &Sj, e->span, 0) < 0)
    goto out;
  ec_asym_result r;
  ec_error err;
  ec_status st = ec_game_asym(&g, eps, Sj, x0, &r, &err);
  if (st != EC_OK) {
    ev_block_fail(ev, e->span, m, st, &err);
    goto out;
  }
  out->num = (op == L_LEADER_OUTPUT)        ? r.q_leader
             : (op == L_RIVAL_OUTPUT)       ? r.q_rival
             : (op == L_ASYM_OUTPUT)        ? r.Q
             : (op == L_ASYM_CROSSING_TIME) ? r.T
             : (op == L_LEADER_VALUE)       ? r.V_leader
                                            : r.V_rival;
  rc = 1;
out:
  ev->nscn -= pushed;
  return rc;
}

static int capacity_call(Eval *ev, const IrExpr *e, Decl *scn, Value *out, GameVariantOp op) {
  ec_game g;
  double x0, q_bar, lag;
  if (ev_scenario_game(ev, scn, &g, &x0, e->span))
    return -1;
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *m = ev_scenario_market(ev, scn, e->span);
  if (!m || ev_field_num(ev, m, F_MARKET_capacity_q_bar, &q_bar, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_capacity_lag, &lag, e->span, 1) < 0)
    goto out;
  ec_capacity_result r;
  ec_error err;
  ec_status st = ec_game_capacity(&g, x0, q_bar, lag, &r, &err);
  if (st != EC_OK) {
    ev_block_fail(ev, e->span, m, st, &err);
    goto out;
  }
  out->num = (op == L_CROSSING_DELAY) ? r.delay : r.T_capacity;
  rc = 1;
out:
  ev->nscn -= pushed;
  return rc;
}

static int two_period_call(Eval *ev, const IrExpr *e, const Value *a, Value *out,
                           GameVariantOp op) {
  Decl *scn = a[0].decl;
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *m = ev_scenario_market(ev, scn, e->span);
  ec_two_period tp;
  double N;
  if (!m || ev_field_num(ev, m, F_MARKET_firms, &N, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_demand_a, &tp.a, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_demand_b, &tp.b, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_two_period_c1, &tp.c1, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_two_period_beta, &tp.beta, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_two_period_alpha, &tp.alpha, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_two_period_Qbar, &tp.Qbar, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_two_period_delta, &tp.delta, e->span, 1) < 0 ||
      ev_field_num(ev, m, F_MARKET_two_period_pi2, &tp.pi2, e->span, 1) < 0)
    goto out;
  if (ev_market_firms(ev, m, N, e->span))
    goto out;
  tp.N = (int)N;
  ec_two_period_result r;
  ec_error err;
  ec_status st = ec_two_period_solve(&tp, &r, &err);
  if (st != EC_OK) {
    ev_block_fail(ev, e->span, m, st, &err);
    goto out;
  }
  ec_regime regime = EC_COOP;
  if (e->nargs > 1 && ev_regime_arg(ev, e, a, 1, &regime))
    goto out;
  int nash = e->nargs > 1 && regime == EC_NASH;
  out->num = (op == L_TP_OUTPUT)            ? (nash ? r.Q_nash : r.Q_coop)
             : (op == L_TP_Q_RATIO)         ? r.Q_ratio
             : (op == L_TP_Q_RATIO_PRINTED) ? r.Q_ratio_printed
             : (op == L_TP_Q_RATIO_APPROX)  ? r.Q_ratio_approx
             : (op == L_TP_CROSSES)         ? (nash ? r.crosses_nash : r.crosses_coop)
             : (op == L_TP_PROFIT)          ? (nash ? r.Pi_nash : r.Pi_coop)
             : (op == L_TP_DELTA_CS)        ? r.dCS
             : (op == L_TP_EQUILIBRIA)      ? r.n_equilibria
                                            : r.dW;
  rc = 1;
out:
  ev->nscn -= pushed;
  return rc;
}

BUILTIN_OP_FN(leader_output, GameVariantOp, L_LEADER_OUTPUT, asym_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(rival_output, GameVariantOp, L_RIVAL_OUTPUT, asym_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(asym_output, GameVariantOp, L_ASYM_OUTPUT, asym_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(asym_crossing_time, GameVariantOp, L_ASYM_CROSSING_TIME,
              asym_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(leader_value, GameVariantOp, L_LEADER_VALUE, asym_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(rival_value, GameVariantOp, L_RIVAL_VALUE, asym_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(crossing_time_capacity, GameVariantOp, L_CROSSING_TIME_CAPACITY,
              capacity_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(crossing_delay, GameVariantOp, L_CROSSING_DELAY,
              capacity_call(ev, e, a[0].decl, out, op))
BUILTIN_OP_FN(tp_output, GameVariantOp, L_TP_OUTPUT, two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_Q_ratio, GameVariantOp, L_TP_Q_RATIO, two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_Q_ratio_printed, GameVariantOp, L_TP_Q_RATIO_PRINTED,
              two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_Q_ratio_approx, GameVariantOp, L_TP_Q_RATIO_APPROX,
              two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_crosses, GameVariantOp, L_TP_CROSSES, two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_profit, GameVariantOp, L_TP_PROFIT, two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_delta_CS, GameVariantOp, L_TP_DELTA_CS, two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_delta_W, GameVariantOp, L_TP_DELTA_W, two_period_call(ev, e, a, out, op))
BUILTIN_OP_FN(tp_equilibria, GameVariantOp, L_TP_EQUILIBRIA, two_period_call(ev, e, a, out, op))

static const Builtin game_rows[] = {
    {"crossing_time",
     2,
     {T_SCENARIO, T_SYMBOL},
     "crossing_time(scenario, nash|coop): T* in years",
     0,
     RD_TIME,
     crossing_time_fn,
     NULL},
    {"acceleration",
     1,
     {T_SCENARIO},
     "acceleration(scenario): 1 - T*nash / T*coop",
     0,
     0,
     acceleration_fn,
     NULL},
    {"Q_ratio",
     1,
     {T_SCENARIO},
     "Q_ratio(scenario): aggregate output Nash/coop at x0",
     0,
     0,
     Q_ratio_fn,
     NULL},
    {"welfare_loss",
     1,
     {T_SCENARIO},
     "welfare_loss(scenario): 1 - V_nash(x0)/V_coop(x0), per firm",
     0,
     0,
     welfare_loss_fn,
     NULL},
    {"value",
     2,
     {T_SCENARIO, T_SYMBOL},
     "value(scenario, regime): per-firm value V(x0)",
     0,
     0,
     value_fn,
     NULL},
    {"output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "output(scenario, regime): aggregate output Q(x0)",
     0,
     0,
     output_fn,
     NULL},
    {"firm_output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "firm_output(scenario, regime): q(x0)",
     0,
     0,
     firm_output_fn,
     NULL},
    {"x0", 1, {T_SCENARIO}, "x0(scenario): initial distance to crossing", 0, 0, x0_fn, NULL},
    {"continuation_value",
     1,
     {T_SCENARIO},
     "continuation_value(scenario): S = S_T + S_I/(N(r+delta))",
     0,
     0,
     continuation_value_fn,
     NULL},
    {"S_max",
     1,
     {T_SCENARIO},
     "S_max(scenario): Nash steady-state value a^2/(r b (N+1)^2)",
     0,
     0,
     S_max_fn,
     NULL},
    {"leader_output",
     1,
     {T_SCENARIO},
     "leader_output(scenario): output of the firm with advantage (market.asymmetric) at x0",
     T_NUM,
     RD_NONE,
     leader_output_fn,
     NULL},
    {"rival_output",
     1,
     {T_SCENARIO},
     "rival_output(scenario): output of each of the N-1 rivals at x0",
     T_NUM,
     RD_NONE,
     rival_output_fn,
     NULL},
    {"asym_output",
     1,
     {T_SCENARIO},
     "asym_output(scenario): aggregate output of the asymmetric game at x0",
     T_NUM,
     RD_NONE,
     asym_output_fn,
     NULL},
    {"asym_crossing_time",
     1,
     {T_SCENARIO},
     "asym_crossing_time(scenario): T* of the asymmetric game",
     T_NUM,
     RD_TIME,
     asym_crossing_time_fn,
     NULL},
    {"leader_value",
     1,
     {T_SCENARIO},
     "leader_value(scenario): value V_j(x0) of the advantaged firm",
     T_NUM,
     RD_NONE,
     leader_value_fn,
     NULL},
    {"rival_value",
     1,
     {T_SCENARIO},
     "rival_value(scenario): value V(x0) of a rival",
     T_NUM,
     RD_NONE,
     rival_value_fn,
     NULL},
    {"crossing_time_capacity",
     1,
     {T_SCENARIO},
     "crossing_time_capacity(scenario): Nash T* under market.capacity",
     T_NUM,
     RD_TIME,
     crossing_time_capacity_fn,
     NULL},
    {"crossing_delay",
     1,
     {T_SCENARIO},
     "crossing_delay(scenario): T* with capacity minus T* without (<= lag)",
     T_NUM,
     RD_TIME,
     crossing_delay_fn,
     NULL},
    {"tp_output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "tp_output(scenario, nash|coop): two-period industry output Q1",
     T_NUM,
     RD_NONE,
     tp_output_fn,
     NULL},
    {"tp_Q_ratio",
     1,
     {T_SCENARIO},
     "tp_Q_ratio(scenario): two-period Q^N/Q^C (cartel benchmark)",
     T_NUM,
     RD_NONE,
     tp_Q_ratio_fn,
     NULL},
    {"tp_Q_ratio_printed",
     1,
     {T_SCENARIO},
     "tp_Q_ratio_printed(scenario): eq. 61 over eq. 62 as printed",
     T_NUM,
     RD_NONE,
     tp_Q_ratio_printed_fn,
     NULL},
    {"tp_Q_ratio_approx",
     1,
     {T_SCENARIO},
     "tp_Q_ratio_approx(scenario): eq. 63 as printed",
     T_NUM,
     RD_NONE,
     tp_Q_ratio_approx_fn,
     NULL},
    {"tp_crosses",
     2,
     {T_SCENARIO, T_SYMBOL},
     "tp_crosses(scenario, nash|coop): Q1 >= Qbar",
     T_BOOL,
     RD_NONE,
     tp_crosses_fn,
     NULL},
    {"tp_profit",
     2,
     {T_SCENARIO, T_SYMBOL},
     "tp_profit(scenario, nash|coop): per-firm two-period payoff",
     T_NUM,
     RD_NONE,
     tp_profit_fn,
     NULL},
    {"tp_delta_CS",
     1,
     {T_SCENARIO},
     "tp_delta_CS(scenario): consumer-surplus gain, eq. 64",
     T_NUM,
     RD_NONE,
     tp_delta_CS_fn,
     NULL},
    {"tp_delta_W",
     1,
     {T_SCENARIO},
     "tp_delta_W(scenario): welfare change, eq. 65",
     T_NUM,
     RD_NONE,
     tp_delta_W_fn,
     NULL},
    {"tp_equilibria",
     1,
     {T_SCENARIO},
     "tp_equilibria(scenario): symmetric Nash equilibria of the two-period game (1 or 2; "
     "with 2, tp_output reports the one the firms prefer)",
     T_NUM,
     RD_NONE,
     tp_equilibria_fn,
     NULL},
};
BUILTIN_FAMILY(builtins_game, "game", game_rows);
