/* Builtins of dual convergence (001 §9): algorithmic progress lowers the effective threshold
 * while hardware learning closes the gap; T*_dual, alpha_eff, Qbar_eff, the coordination and
 * production gaps, and eq. 26. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "unit_rules.h"

/* Each row names its operation by an id; the functions below compare it. */
typedef enum {
  L_T_STAR_DUAL,
  L_ALPHA_EFF,
  L_QBAR_EFF,
  L_COORDINATION_GAP,
  L_PRODUCTION_GAP,
} DualOp;

/* ---- dual convergence ------------------------------------------------------------------ */

static int scenario_progress(Eval *ev, Decl *scn, ec_progress *pr, double **buf, double *a_algo,
                             int need_algo, Span sp) {
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *d = ev_scenario_block(ev, scn, F_SCENARIO_progress, sp);
  memset(pr, 0, sizeof *pr);
  Value dates, factors;
  double t0 = 0;
  if (!d || ev_param(ev, d, F_PROGRESS_rate, &pr->rate, sp))
    goto out;
  if (need_algo && ev_field_num(ev, d, F_PROGRESS_alpha_algo, a_algo, sp, 1) < 0)
    goto out;
  int hd = ev_field_get(ev, d, F_PROGRESS_events_date, &dates, sp);
  if (hd < 0)
    goto out;
  if (hd) {
    if (ev_field_get(ev, d, F_PROGRESS_events_factor, &factors, sp) <= 0 ||
        ev_field_num(ev, d, F_PROGRESS_t0, &t0, sp, 1) < 0)
      goto out;
    if (dates.n != factors.n) {
      ev_fail(ev, EV_INPUT, sp, "progress '%s': %d event dates but %d factors", d->name, dates.n,
              factors.n);
      goto out;
    }
    *buf = arena_alloc(ev->ar, (size_t)(2 * dates.n + 1) * sizeof **buf);
    for (int i = 0; i < dates.n; i++) {
      if (dates.vec[i] < t0) {
        ev_fail(ev, EV_INPUT, ev_field_span(d, F_PROGRESS_events_date, sp),
                "progress '%s': event %d is dated %.6g years, before t0 = %.6g years; events "
                "before the game starts belong in Qbar",
                d->name, i + 1, dates.vec[i], t0);
        goto out;
      }
      if (i && dates.vec[i] < dates.vec[i - 1]) {
        ev_fail(ev, EV_INPUT, ev_field_span(d, F_PROGRESS_events_date, sp),
                "progress '%s': event dates must be in order (event %d)", d->name, i + 1);
        goto out;
      }
      if (!(factors.vec[i] > 0 && factors.vec[i] <= 1)) {
        ev_fail(ev, EV_INPUT, ev_field_span(d, F_PROGRESS_events_factor, sp),
                "progress '%s': event %d has factor %g; factors lie in (0, 1]", d->name, i + 1,
                factors.vec[i]);
        goto out;
      }
      (*buf)[i] = dates.vec[i] - t0;
      (*buf)[dates.n + i] = factors.vec[i];
    }
    pr->t_event = *buf;
    pr->factor = *buf + dates.n;
    pr->n_events = (size_t)dates.n;
  }
  if (!(pr->rate >= 0)) {
    ev_fail(ev, EV_INPUT, sp, "progress '%s': rate = %g per year must not be negative", d->name,
            pr->rate);
    goto out;
  }
  rc = 0;
out:
  ev->nscn -= pushed;
  return rc;
}

int ev_scenario_dual(Eval *ev, Decl *scn, ec_game *g, double *x0, double *Qbar, ec_progress *pr,
                     Span sp) {
  EvThreshold t;
  double a_algo, *buf = NULL;
  if (ev_scenario_threshold(ev, scn, g, x0, &t, "dual_path", sp) ||
      scenario_progress(ev, scn, pr, &buf, &a_algo, 0, sp))
    return -1;
  *Qbar = t.Qbar;
  return 0;
}

static int dual_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, DualOp op) {
  const char *f = e->fn->name;
  Decl *scn = a[0].decl;
  ec_game g;
  double x0, a_algo = 0, *buf = NULL;
  EvThreshold t;
  ec_progress pr;
  if (ev_scenario_threshold(ev, scn, &g, &x0, &t, f, e->span))
    return -1;
  /* the gaps need no progress block; with one, the releases dated at t0 count, as in
   * Qbar_eff(s, 0) and T_star_dual */
  int gaps = (op == L_COORDINATION_GAP) || (op == L_PRODUCTION_GAP);
  memset(&pr, 0, sizeof pr);
  if ((!gaps || ev_scenario_block_opt(scn, F_SCENARIO_progress)) &&
      scenario_progress(ev, scn, &pr, &buf, &a_algo, (op == L_ALPHA_EFF), e->span))
    return -1;
  ec_error err;
  if (op == L_T_STAR_DUAL) {
    ec_regime regime;
    if (ev_regime_arg(ev, e, a, 1, &regime))
      return -1;
    ec_status st = ec_dual_T_star(&g, regime, x0, t.Qbar, &pr, &out->num, &err);
    if (st != EC_OK)
      return ev_block_fail(ev, e->span, scn, st, &err);
  } else if (op == L_ALPHA_EFF)
    out->num = t.alpha + a_algo;
  else if (op == L_QBAR_EFF) {
    if (!(a[1].num >= 0))
      return ev_fail(ev, EV_INPUT, e->args[1]->span, "Qbar_eff at t = %g: t must be >= 0",
                     a[1].num);
    out->num = ec_dual_Qbar_eff(&pr, t.Qbar, a[1].num);
  } else {
    ec_adoption m;
    ec_path p;
    double horizon;
    if (ev_scenario_adoption(ev, scn, &m, &p, &horizon, e->span))
      return -1;
    double Qs = ec_adoption_Qbar_star(&m, m.kappa);
    out->num = (op == L_COORDINATION_GAP) ? ec_dual_Qbar_eff(&pr, t.Qbar, 0) - Qs : Qs - t.Q_now;
  }
  return 1;
}

static int eq26_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  out->num = ec_T_dual_eq26(a[0].num, a[1].num, a[2].num);
  if (!isfinite(out->num) || out->num <= 0)
    return ev_fail(ev, EV_NUMERIC, e->span,
                   "eq. 26 gives %g for T_hw = %g, T_algo = %g, T_indep = %g (its denominator "
                   "is not positive)",
                   out->num, a[0].num, a[1].num, a[2].num);
  return 0;
}

BUILTIN_OP_FN(T_star_dual, DualOp, L_T_STAR_DUAL, dual_call(ev, e, a, out, op))
BUILTIN_OP_FN(alpha_eff, DualOp, L_ALPHA_EFF, dual_call(ev, e, a, out, op))
BUILTIN_OP_FN(Qbar_eff, DualOp, L_QBAR_EFF, dual_call(ev, e, a, out, op))
BUILTIN_OP_FN(coordination_gap, DualOp, L_COORDINATION_GAP, dual_call(ev, e, a, out, op))
BUILTIN_OP_FN(production_gap, DualOp, L_PRODUCTION_GAP, dual_call(ev, e, a, out, op))

/* eq. 26 combines three times in one unit */
static int check_eq26(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)arg;
  if (dim_eq(e->args[0]->dim, e->args[1]->dim) && dim_eq(e->args[0]->dim, e->args[2]->dim))
    return 0;
  snprintf(msg, len, "unit mismatch: T_dual_eq26 needs three times in one unit");
  return -1;
}

static const Builtin dual_rows[] = {
    {"T_star_dual",
     2,
     {T_SCENARIO, T_SYMBOL},
     "T_star_dual(scenario, nash|coop): T* with algorithmic progress",
     T_NUM,
     RD_TIME,
     T_star_dual_fn,
     NULL},
    {"alpha_eff",
     1,
     {T_SCENARIO},
     "alpha_eff(scenario): alpha_hw + alpha_algo (eq. 25)",
     T_NUM,
     RD_NONE,
     alpha_eff_fn,
     NULL},
    {"Qbar_eff",
     2,
     {T_SCENARIO, T_ERROR},
     "Qbar_eff(scenario, t): effective threshold at time t",
     T_NUM,
     RD_NONE,
     Qbar_eff_fn,
     builtin_check_date1},
    {"coordination_gap",
     1,
     {T_SCENARIO},
     "coordination_gap(scenario): Qbar_eff - Qbar* at t0 (001 C.1)",
     T_NUM,
     RD_NONE,
     coordination_gap_fn,
     NULL},
    {"production_gap",
     1,
     {T_SCENARIO},
     "production_gap(scenario): Qbar* - Q_now at t0 (001 C.1)",
     T_NUM,
     RD_NONE,
     production_gap_fn,
     NULL},
    {"T_dual_eq26",
     3,
     {T_ERROR, T_ERROR, T_ERROR},
     "T_dual_eq26(T_hw, T_algo, T_indep): eq. 26 as printed",
     T_NUM,
     RD_ARG0,
     eq26_builtin,
     check_eq26},
};
BUILTIN_FAMILY(builtins_dual, "dual", dual_rows);
