/* The crossing game's and the learning curves' builtins: the bridge from a scenario's
 * market (or a curve) to the numeric core's game solution and Wright fit. */
#include <math.h>
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

static int game_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const char *f = e->fn->name;
  ec_game_summary s;
  ec_game g;
  if (!strcmp(f, "x0") || !strcmp(f, "continuation_value") || !strcmp(f, "S_max")) {
    double x0;
    if (ev_scenario_game(ev, a[0].decl, &g, &x0, e->span))
      return -1;
    out->num = !strcmp(f, "x0") ? x0 : !strcmp(f, "S_max") ? ec_game_V_inf(&g, EC_NASH) : g.S;
    return 0;
  }
  int nash = e->nargs > 1 && a[1].sym == SYM_NASH;
  if (e->nargs > 1 && a[1].sym == SYM_OLS)
    return ev_fail(ev, EV_INPUT, e->args[1]->span, "expected a regime: nash or coop");
  if (e->nargs > 1) {
    /* one regime only: one root, not the four of the comparison */
    double x0, V, T;
    ec_error err;
    if (ev_scenario_game(ev, a[0].decl, &g, &x0, e->span))
      return -1;
    ec_status st = ec_game_state(&g, nash ? EC_NASH : EC_COOP, x0, &V, &T, &err);
    if (st != EC_OK)
      return ev_core_fail(ev, e->span, st, "scenario '%s': %s", a[0].decl->name, err.msg);
    double Q = ec_game_Qagg_of_V(&g, nash ? EC_NASH : EC_COOP, V);
    out->num = !strcmp(f, "crossing_time") ? T
               : !strcmp(f, "value")       ? V
               : !strcmp(f, "output")      ? Q
                                           : Q / g.N;
    return check_finite(ev, out->num, e);
  }
  if (game_summary(ev, a[0].decl, &s, &g, e->span))
    return -1;
  if (!strcmp(f, "crossing_time"))
    out->num = nash ? s.T_nash : s.T_coop;
  else if (!strcmp(f, "acceleration"))
    out->num = s.acceleration;
  else if (!strcmp(f, "Q_ratio"))
    out->num = s.Q_ratio;
  else if (!strcmp(f, "welfare_loss"))
    out->num = s.welfare_loss;
  else if (!strcmp(f, "value"))
    out->num = nash ? s.V_nash : s.V_coop;
  else if (!strcmp(f, "output"))
    out->num = nash ? s.Q_nash : s.Q_coop;
  else if (!strcmp(f, "firm_output"))
    out->num = nash ? s.q_nash : s.q_coop;
  return check_finite(ev, out->num, e);
}

static int curve_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const char *f = e->fn->name;
  if (!strcmp(f, "alpha") || !strcmp(f, "cost_per_doubling")) {
    double al;
    if (ev_curve_alpha(ev, a[0].decl, &al, e->span))
      return -1;
    out->num = !strcmp(f, "alpha") ? al : ec_cost_per_doubling(al);
    return 0;
  }
  ec_fit fit;
  int ci = !strcmp(f, "alpha_ci_lo") || !strcmp(f, "alpha_ci_hi");
  if (ev_curve_fit(ev, a[0].decl, &fit, e->span, ci))
    return -1;
  if (ci && !fit.boot_resamples)
    return ev_fail(ev, EV_INPUT, e->span,
                   "learning_curve '%s' has no bootstrap: set 'bootstrap = 10000' in it",
                   a[0].decl->name);
  out->num = !strcmp(f, "alpha_se")        ? fit.alpha_se
             : !strcmp(f, "r_squared")     ? fit.r2
             : !strcmp(f, "n_obs")         ? (double)fit.n
             : !strcmp(f, "alpha_loo_min") ? fit.loo_min
             : !strcmp(f, "alpha_loo_max") ? fit.loo_max
             : !strcmp(f, "alpha_ci_lo")   ? fit.boot_lo
                                           : fit.boot_hi;
  return check_finite(ev, out->num, e);
}

static const Builtin game_rows[] = {
    {"crossing_time",
     2,
     {T_SCENARIO, T_SYMBOL},
     "crossing_time(scenario, nash|coop): T* in years",
     0,
     0,
     game_builtin},
    {"acceleration",
     1,
     {T_SCENARIO},
     "acceleration(scenario): 1 - T*nash / T*coop",
     0,
     0,
     game_builtin},
    {"Q_ratio",
     1,
     {T_SCENARIO},
     "Q_ratio(scenario): aggregate output Nash/coop at x0",
     0,
     0,
     game_builtin},
    {"welfare_loss",
     1,
     {T_SCENARIO},
     "welfare_loss(scenario): 1 - V_nash(x0)/V_coop(x0), per firm",
     0,
     0,
     game_builtin},
    {"value",
     2,
     {T_SCENARIO, T_SYMBOL},
     "value(scenario, regime): per-firm value V(x0)",
     0,
     0,
     game_builtin},
    {"output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "output(scenario, regime): aggregate output Q(x0)",
     0,
     0,
     game_builtin},
    {"firm_output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "firm_output(scenario, regime): q(x0)",
     0,
     0,
     game_builtin},
    {"x0", 1, {T_SCENARIO}, "x0(scenario): initial distance to crossing", 0, 0, game_builtin},
    {"continuation_value",
     1,
     {T_SCENARIO},
     "continuation_value(scenario): S = S_T + S_I/(N(r+delta))",
     0,
     0,
     game_builtin},
    {"S_max",
     1,
     {T_SCENARIO},
     "S_max(scenario): Nash steady-state value a^2/(r b (N+1)^2)",
     0,
     0,
     game_builtin},
};
BUILTIN_FAMILY(builtins_game, "game", game_rows);

static const Builtin curve_rows[] = {
    {"alpha",
     1,
     {T_CURVE},
     "alpha(curve): learning elasticity (given or fitted)",
     0,
     0,
     curve_builtin},
    {"alpha_se", 1, {T_CURVE}, "alpha_se(curve): OLS standard error of alpha", 0, 0, curve_builtin},
    {"r_squared", 1, {T_CURVE}, "r_squared(curve): R^2 of the fit", 0, 0, curve_builtin},
    {"n_obs", 1, {T_CURVE}, "n_obs(curve): observations in the fit", 0, 0, curve_builtin},
    {"alpha_loo_min",
     1,
     {T_CURVE},
     "alpha_loo_min(curve): smallest leave-one-out alpha",
     0,
     0,
     curve_builtin},
    {"alpha_loo_max",
     1,
     {T_CURVE},
     "alpha_loo_max(curve): largest leave-one-out alpha",
     0,
     0,
     curve_builtin},
    {"alpha_ci_lo",
     1,
     {T_CURVE},
     "alpha_ci_lo(curve): bootstrap 2.5% quantile of alpha",
     0,
     0,
     curve_builtin},
    {"alpha_ci_hi",
     1,
     {T_CURVE},
     "alpha_ci_hi(curve): bootstrap 97.5% quantile of alpha",
     0,
     0,
     curve_builtin},
    {"cost_per_doubling",
     1,
     {T_CURVE},
     "cost_per_doubling(curve): 1 - 2^-alpha",
     0,
     0,
     curve_builtin},
};
BUILTIN_FAMILY(builtins_curve, "curve", curve_rows);
