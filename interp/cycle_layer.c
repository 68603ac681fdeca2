/* Builtins of the cycle layer (004 §15, Appendix D): a `cycle` block's fields handed to the
 * numeric core (interp/core/cycle.c): durations (eq. 55), amplitudes, the fold of investment
 * and financial friction (eq. 58), the order in which crises break, and Kendall's tau. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "uncertain.h"
#include "unit_rules.h"

/* Each row of the family is its operation: the row's index in cycle_rows, an id. */
typedef enum {
  G_TAU,
  G_AMPLITUDE,
  G_COMPRESSION,
  G_C_RATIO_NEEDED,
  G_FOLD_INVESTMENT,
  G_FOLD_T_FIN,
  G_T_FIN_EQUILIBRIA,
  G_CRISIS_THETA,
  G_CRISIS_ORDER,
  G_KENDALL_TAU,
  G_KENDALL_P,
  CYC_COUNT
} CycleOp;

static int cycle_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out);

static const Builtin cycle_rows[] = {
    {"tau",
     1,
     {T_CYCLE},
     "tau(cycle): cycle duration, eq. 55 (in time_scale units, default years)",
     T_NUM,
     RD_TIME,
     cycle_builtin,
     NULL},
    {"amplitude",
     1,
     {T_CYCLE},
     "amplitude(cycle): K (N-1)/N alpha phi/(r + delta - alpha phi) (eq. 56)",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"compression",
     2,
     {T_CYCLE, T_CYCLE},
     "compression(cycle_n, cycle_n+1): tau_{n+1}/tau_n by eq. 57",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"c_ratio_needed",
     1,
     {T_CYCLE},
     "c_ratio_needed(cycle): the c0/c* at which eq. 55 gives the printed duration",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"fold_investment",
     1,
     {T_CYCLE},
     "fold_investment(cycle): I at which the equilibria of eq. 58 vanish",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"fold_T_fin",
     1,
     {T_CYCLE},
     "fold_T_fin(cycle): T_fin at the fold (0: at the boundary)",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"T_fin_equilibria",
     1,
     {T_CYCLE},
     "T_fin_equilibria(cycle): roots of eq. 58 at fold.I, ascending",
     T_VEC,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"crisis_theta",
     2,
     {T_CYCLE, T_ERROR},
     "crisis_theta(cycle, k): theta at which role k fails (1 correlation, 2 superadditivity, 3 "
     "strategic independence)",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     builtin_check_plain1},
    {"crisis_order",
     1,
     {T_CYCLE},
     "crisis_order(cycle): the roles of curvature in the order they fail (§15.4)",
     T_STR,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"kendall_tau",
     2,
     {T_VEC, T_VEC},
     "kendall_tau(x, y): Kendall's tau-b of two lists",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
    {"kendall_p",
     2,
     {T_VEC, T_VEC},
     "kendall_p(x, y): two-sided p of Kendall's test of independence: exact over every ordering "
     "for up to 9 pairs (ties included), else the normal approximation corrected for ties",
     T_NUM,
     RD_NONE,
     cycle_builtin,
     NULL},
};
_Static_assert(sizeof cycle_rows / sizeof *cycle_rows == CYC_COUNT, "one id a row");
BUILTIN_FAMILY(builtins_cycle, "cycle", cycle_rows);

static CycleOp cycle_op(const IrExpr *e) {
  return (CycleOp)(e->fn - cycle_rows);
}

/* ---- cycles ------------------------------------------------------------------------------------
 */

static int cycle_params(Eval *ev, Decl *d, ec_cycle *c, int need_ratio, Span sp) {
  double ratio = M_E;
  if (ev_param(ev, d, F_CYCLE_alpha, &c->alpha, sp) || ev_param(ev, d, F_CYCLE_N, &c->N, sp) ||
      ev_param(ev, d, F_CYCLE_phi, &c->phi, sp) || ev_param(ev, d, F_CYCLE_r, &c->r, sp) ||
      ev_param(ev, d, F_CYCLE_delta, &c->delta, sp) ||
      ev_param_or(ev, d, F_CYCLE_K, &c->K, 0, sp) ||
      (need_ratio && ev_param(ev, d, F_CYCLE_c0_over_c_star, &ratio, sp)))
    return -1;
  c->ln_c_ratio = log(ratio);
  return 0;
}

typedef struct {
  Eval *ev;
  Decl *d;
  IrExpr *point;
  Span sp;
} LawCtx;

static double law(double T, void *p) {
  LawCtx *c = p;
  if (c->ev->status)
    return NAN;
  c->point->num = T;
  double v;
  if (ev_field_num(c->ev, c->d, F_CYCLE_fold_K_eff, &v, c->sp, 1) < 0)
    return NAN;
  return v;
}

static int fold_call(Eval *ev, const IrExpr *e, Decl *d, Value *out) {
  CycleOp op = cycle_op(e);
  Span sp = e->span;
  double beta, mu, I, Ts;
  if (ev_param(ev, d, F_CYCLE_fold_beta, &beta, sp) || ev_param(ev, d, F_CYCLE_fold_mu, &mu, sp) ||
      ev_param(ev, d, F_CYCLE_fold_I, &I, sp) || ev_param(ev, d, F_CYCLE_fold_T_star, &Ts, sp))
    return -1;
  /* vary fold.T as a sweep would, and read the law fold.K_eff */
  IrExpr point = {0};
  point.op = IR_NUM;
  point.type = T_NUM;
  point.dim = DIM_NONE;
  Override o = {d, F_CYCLE_fold_T, "fold.T", &point, sp};
  if (ev->nsweep >= 64)
    return ev_fail(ev, EV_INPUT, sp, "sweeps and searches nest deeper than 64");
  ev->sweep[ev->nsweep++] = &o;
  LawCtx ctx = {ev, d, &point, sp};
  ec_error err;
  ec_status st;
  double Tf, If, roots[64];
  int n = 0;
  if (op == G_T_FIN_EQUILIBRIA)
    st = ec_fold_equilibria(law, &ctx, Ts, mu, beta, I, roots, 64, &n, &err);
  else
    st = ec_fold_locate(law, &ctx, Ts, mu, beta, &Tf, &If, &err);
  ev->nsweep--;
  if (ev->status)
    return -1;
  if (ev_block_fail(ev, sp, d, st, &err))
    return -1;
  if (op == G_T_FIN_EQUILIBRIA) {
    out->vec = arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *out->vec);
    memcpy(out->vec, roots, (size_t)n * sizeof *roots);
    out->n = n;
  } else
    out->num = (op == G_FOLD_INVESTMENT) ? If : Tf;
  return 1;
}

static int cycle_call(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  CycleOp op = cycle_op(e);
  Span sp = e->span;
  Decl *d = a[0].decl;
  ec_error err;
  ec_cycle c;
  if ((op == G_FOLD_INVESTMENT || op == G_FOLD_T_FIN) || (op == G_T_FIN_EQUILIBRIA))
    return fold_call(ev, e, d, out);
  if ((op == G_CRISIS_THETA || op == G_CRISIS_ORDER)) {
    double s, th[3];
    if (ev_param(ev, d, F_CYCLE_crisis_level, &s, sp) ||
        ev_block_fail(ev, sp, d, ec_crisis_thetas(s, th, &err), &err))
      return -1;
    if (op == G_CRISIS_THETA) {
      double k = a[1].num;
      if (!(k == 1 || k == 2 || k == 3))
        return ev_fail(ev, EV_INPUT, e->args[1]->span,
                       "crisis_theta(cycle, k): k = %g must be 1 (correlation robustness), 2 "
                       "(superadditivity) or 3 (strategic independence)",
                       k);
      out->num = th[(int)k - 1];
      return 1;
    }
    static const char *role[3] = {"financial", "production", "governance"};
    int order[3] = {0, 1, 2};
    for (int i = 1; i < 3; i++) /* stable sort by theta */
      for (int j = i; j > 0 && th[order[j - 1]] > th[order[j]]; j--) {
        int s2 = order[j];
        order[j] = order[j - 1], order[j - 1] = s2;
      }
    char *text = arena_alloc(ev->ar, 64);
    snprintf(text, 64, "%s -> %s -> %s", role[order[0]], role[order[1]], role[order[2]]);
    out->str = text;
    return 1;
  }
  double scale;
  if (ev_param(ev, d, F_CYCLE_time_scale, &scale, sp))
    return -1;
  if (op == G_COMPRESSION) {
    ec_cycle c2;
    if (cycle_params(ev, d, &c, 0, sp) || cycle_params(ev, a[1].decl, &c2, 0, sp))
      return -1;
    return ev_block_fail(ev, sp, d, ec_cycle_compression(&c, &c2, &out->num, &err), &err) ? -1 : 1;
  }
  if (op == G_C_RATIO_NEEDED) {
    double printed, tau1;
    if (cycle_params(ev, d, &c, 0, sp) || ev_param(ev, d, F_CYCLE_printed, &printed, sp) ||
        ev_block_fail(ev, sp, d, ec_cycle_duration(&c, &tau1, &err), &err))
      return -1;
    out->num = exp(printed / scale / tau1); /* tau is linear in ln(c0/c*): tau1 at ln = 1 */
    if (!isfinite(out->num))
      return ev_fail(ev, EV_NUMERIC, sp, "cycle '%s': the needed c0/c* overflows (ln = %g)",
                     d->name, printed / scale / tau1);
    return 1;
  }
  if (cycle_params(ev, d, &c, (op == G_TAU), sp))
    return -1;
  if (op == G_TAU) {
    if (ev_block_fail(ev, sp, d, ec_cycle_duration(&c, &out->num, &err), &err))
      return -1;
    out->num *= scale;
    return 1;
  }
  return ev_block_fail(ev, sp, d, ec_cycle_amplitude(&c, &out->num, &err), &err) ? -1 : 1;
}

static int cycle_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_error err;
  CycleOp op = cycle_op(e);
  if (op == G_KENDALL_TAU || op == G_KENDALL_P) {
    const char *name = op == G_KENDALL_TAU ? "kendall_tau" : "kendall_p";
    if (a[0].n != a[1].n)
      return ev_fail(ev, EV_INPUT, e->span, "%s(x, y): x has %d values, y %d", name, a[0].n,
                     a[1].n);
    int exact;
    ec_status st = op == G_KENDALL_TAU
                       ? ec_kendall_tau(a[0].vec, a[1].vec, (size_t)a[0].n, &out->num, &err)
                       : ec_kendall_p(a[0].vec, a[1].vec, (size_t)a[0].n, &out->num, &exact, &err);
    if (st)
      return ev_core_fail(ev, e->span, st, "%s: %s", name, err.msg);
    return 0;
  }
  return cycle_call(ev, e, a, out) < 0 ? -1 : 0;
}
