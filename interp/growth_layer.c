/* Builtins of the growth layer (004 §12-§14): a `growth` block's fields, read through the
 * override stacks (so --set and sweeps apply), handed to the numeric core
 * (interp/core/growth.c): the growth law and its regimes, saturation, collapse,
 * recombination, Baumol. Reaction systems are raf_layer.c's, cycles cycle_layer.c's. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "uncertain.h"
#include "unit_rules.h"

/* Each row of the family is its operation: the row's index in growth_rows, an id. */
typedef enum {
  G_PHI_EFF,
  G_GROWTH_EXPONENT,
  G_REGIME,
  G_T_SINGULARITY,
  G_T_SINGULARITY_EXACT,
  G_T_BLOWUP,
  G_C_STEADY,
  G_C_MAX,
  G_CAPABILITY,
  G_VARIETY,
  G_VARIETY_GROWTH,
  G_SATURATION_LEVEL,
  G_SATURATION_PATH,
  G_SATURATION_CEILING,
  G_J_RECOMB,
  G_T_RECOMB,
  G_D,
  G_ALPHA_EFF,
  G_COLLAPSE_AVOIDED,
  G_J_MIN,
  G_BAUMOL_GROWTH,
  G_BAUMOL_GROWTH_CES,
  G_COST_SHARE_Z,
  G_PRICE_RATIO,
  G_PRICE_DOUBLING,
  G_COUNT
} GrowthOp;

static int growth_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out);

static const Builtin growth_rows[] = {
    {"phi_eff",
     1,
     {T_GROWTH},
     "phi_eff(growth): phi_0/(1 - beta_auto phi_0) (eq. 41)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"growth_exponent",
     1,
     {T_GROWTH},
     "growth_exponent(growth): Phi = lambda + phi_eff - 1, the power of C in eq. 40",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"regime",
     1,
     {T_GROWTH},
     "regime(growth): 'a: ceiling', 'b: exponential', 'c: singularity', 'collapse' or 'decline' "
     "(Theorem 4)",
     T_STR,
     RD_NONE,
     growth_builtin,
     NULL},
    {"T_singularity",
     1,
     {T_GROWTH},
     "T_singularity(growth): eq. 47 as printed (depreciation left out; inf: none)",
     T_NUM,
     RD_TIME,
     growth_builtin,
     NULL},
    {"T_singularity_exact",
     1,
     {T_GROWTH},
     "T_singularity_exact(growth): blow-up time of eq. 40 at fixed J with depreciation",
     T_NUM,
     RD_TIME,
     growth_builtin,
     NULL},
    {"T_blowup",
     1,
     {T_GROWTH},
     "T_blowup(growth): blow-up time found by integrating eq. 40 (with variety; inf: none)",
     T_NUM,
     RD_TIME,
     growth_builtin,
     NULL},
    {"C_steady",
     1,
     {T_GROWTH},
     "C_steady(growth): the steady state of eq. 40 at J_max when Phi < 1, (delta_g f^lambda "
     "J_max^gamma_J/delta)^(1/(1-Phi))",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"C_max",
     1,
     {T_GROWTH},
     "C_max(growth): J_max^((1-rho)/rho)/(h delta) (eq. 46)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"capability",
     2,
     {T_GROWTH, T_ERROR},
     "capability(growth, t): C(t) of eq. 40 with variety (eq. 43)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_date1},
    {"variety",
     2,
     {T_GROWTH, T_ERROR},
     "variety(growth, t): J(t) of eq. 43 along the growth path",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_date1},
    {"variety_growth",
     2,
     {T_GROWTH, T_ERROR},
     "variety_growth(growth, t): (1/rho) (dJ/dt)/J, eq. 45, at t (a rate)",
     T_NUM,
     RD_RATE,
     growth_builtin,
     builtin_check_date1},
    {"saturation_level",
     1,
     {T_GROWTH},
     "saturation_level(growth): per-type equilibrium of eq. 42, 1/(h delta) - 1/(h a J)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"saturation_path",
     2,
     {T_GROWTH, T_ERROR},
     "saturation_path(growth, t): mean C_j(t) of eq. 42 integrated from C_0",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_date1},
    {"saturation_ceiling",
     1,
     {T_GROWTH},
     "saturation_ceiling(growth): 1/(h delta), Lemma 2's bound on each C_j",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"J_recomb",
     2,
     {T_GROWTH, T_ERROR},
     "J_recomb(growth, t): J(t) under Weitzman recombination (eq. 66)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_date1},
    {"T_recomb",
     1,
     {T_GROWTH},
     "T_recomb(growth): the time at which eq. 66 blows up",
     T_NUM,
     RD_TIME,
     growth_builtin,
     NULL},
    {"D",
     2,
     {T_ERROR, T_ERROR},
     "D(rho, J): (J-1)/J (1 - rho^(1/(1-rho))), 0 <= rho < 1 (eq. 49)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_plain01},
    {"alpha_eff",
     1,
     {T_GROWTH},
     "alpha_eff(growth): alpha_ext + (1 - alpha_ext) D(rho, J) (eq. 49)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"collapse_avoided",
     1,
     {T_GROWTH},
     "collapse_avoided(growth): alpha_eff > alpha_crit (eq. 50)",
     T_BOOL,
     RD_NONE,
     growth_builtin,
     NULL},
    {"J_min",
     1,
     {T_GROWTH},
     "J_min(growth): smallest J with alpha_eff > alpha_crit (eq. 52; inf: none)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     NULL},
    {"baumol_growth",
     2,
     {T_GROWTH, T_ERROR},
     "baumol_growth(growth, t): eq. 53 as printed (Cobb-Douglas)",
     T_NUM,
     RD_RATE,
     growth_builtin,
     builtin_check_date1},
    {"baumol_growth_ces",
     2,
     {T_GROWTH, T_ERROR},
     "baumol_growth_ces(growth, t): growth of the CES aggregate with baumol.rho",
     T_NUM,
     RD_RATE,
     growth_builtin,
     builtin_check_date1},
    {"cost_share_Z",
     2,
     {T_GROWTH, T_ERROR},
     "cost_share_Z(growth, t): cost share of frontier training (CES)",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_date1},
    {"price_ratio",
     2,
     {T_GROWTH, T_ERROR},
     "price_ratio(growth, t): p_Z/p_C, eq. 54",
     T_NUM,
     RD_NONE,
     growth_builtin,
     builtin_check_date1},
    {"price_doubling",
     1,
     {T_GROWTH},
     "price_doubling(growth): ln 2/(g_C - g_Z), the time p_Z/p_C takes to double",
     T_NUM,
     RD_TIME,
     growth_builtin,
     NULL},
};
_Static_assert(sizeof growth_rows / sizeof *growth_rows == G_COUNT, "one id a row");
BUILTIN_FAMILY(builtins_growth, "growth", growth_rows);

static GrowthOp growth_op(const IrExpr *e) {
  return (GrowthOp)(e->fn - growth_rows);
}

/* ---- the growth law -------------------------------------------------------------------- */

static int growth_params(Eval *ev, Decl *d, ec_growth *g, Span sp) {
  memset(g, 0, sizeof *g);
  double horizon;
  if (ev_param(ev, d, F_GROWTH_delta_g, &g->delta_g, sp) ||
      ev_param(ev, d, F_GROWTH_f, &g->f, sp) || ev_param(ev, d, F_GROWTH_lambda, &g->lambda, sp) ||
      ev_param(ev, d, F_GROWTH_phi_0, &g->phi_0, sp) ||
      ev_param(ev, d, F_GROWTH_beta_auto, &g->beta_auto, sp) ||
      ev_param(ev, d, F_GROWTH_gamma_J, &g->gamma_J, sp) ||
      ev_param(ev, d, F_GROWTH_delta, &g->delta, sp) ||
      ev_param(ev, d, F_GROWTH_C_0, &g->C_0, sp) ||
      ev_param_or(ev, d, F_GROWTH_J, &g->J_0, 1, sp) ||
      ev_param_or(ev, d, F_GROWTH_J_max, &g->J_max, g->J_0, sp) ||
      ev_param(ev, d, F_GROWTH_variety_eta_J, &g->eta_J, sp) ||
      ev_param(ev, d, F_GROWTH_variety_f_J, &g->f_J, sp) ||
      ev_param(ev, d, F_GROWTH_variety_phi_J, &g->phi_J, sp) ||
      ev_param(ev, d, F_GROWTH_horizon, &horizon, sp))
    return -1;
  g->horizon = horizon;
  g->gate = decl_field_id(d, F_GROWTH_alpha_crit) != NULL;
  if (g->gate && (ev_param(ev, d, F_GROWTH_rho, &g->rho, sp) ||
                  ev_param(ev, d, F_GROWTH_alpha_ext, &g->alpha_ext, sp) ||
                  ev_param(ev, d, F_GROWTH_alpha_crit, &g->alpha_crit, sp)))
    return -1;
  ec_error err;
  return ev_block_fail(ev, sp, d, ec_growth_check(g, &err), &err);
}

static int collapse_params(Eval *ev, Decl *d, double *rho, double *J, double *ext, double *crit,
                           Span sp) {
  return ev_param(ev, d, F_GROWTH_rho, rho, sp) || ev_param(ev, d, F_GROWTH_J, J, sp) ||
                 ev_param_or(ev, d, F_GROWTH_alpha_ext, ext, NAN, sp) ||
                 ev_param(ev, d, F_GROWTH_alpha_crit, crit, sp)
             ? -1
             : 0;
}

static const char *regime_of(Eval *ev, Decl *d, const ec_growth *g, Span sp) {
  double h, D;
  ec_error err;
  if (ev_param(ev, d, F_GROWTH_h, &h, sp))
    return NULL;
  if (g->gate && (ec_collapse_D(g->rho, g->J_0, &D, &err) != EC_OK ||
                  !(g->alpha_ext + (1 - g->alpha_ext) * D > g->alpha_crit)))
    return "collapse"; /* the gate is shut, and J cannot grow while it is */
  double Phi = ec_growth_Phi(g);
  if (h > 0 || Phi < 1 - 1e-12)
    return "a: ceiling";
  if (fabs(Phi - 1) <= 1e-12)
    return "b: exponential";
  double T;
  if (ev_block_fail(ev, sp, d, ec_growth_blowup(g, &T, &err), &err))
    return NULL;
  return isfinite(T) ? "c: singularity" : "decline";
}

static int growth_law_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  ec_growth g;
  ec_error err;
  if (growth_params(ev, d, &g, sp))
    return -1;
  if (op == G_PHI_EFF)
    return ev_block_fail(ev, sp, d, ec_phi_eff(g.phi_0, g.beta_auto, &out->num, &err), &err) ? -1
                                                                                             : 1;
  if (op == G_GROWTH_EXPONENT) {
    out->num = ec_growth_Phi(&g);
    return 1;
  }
  if (op == G_REGIME)
    return (out->str = regime_of(ev, d, &g, sp)) ? 1 : -1;
  if ((op == G_T_SINGULARITY) || (op == G_T_SINGULARITY_EXACT))
    return ev_block_fail(ev, sp, d,
                         ec_T_singularity(&g, op == G_T_SINGULARITY_EXACT, &out->num, &err), &err)
               ? -1
               : 1;
  if (op == G_C_STEADY) {
    return ev_block_fail(ev, sp, d, ec_growth_C_steady(&g, &out->num, &err), &err) ? -1 : 1;
  }
  if (op == G_T_BLOWUP)
    return ev_block_fail(ev, sp, d, ec_growth_blowup(&g, &out->num, &err), &err) ? -1 : 1;
  double C, J;
  if (ev_block_fail(ev, sp, d, ec_growth_path(&g, a[1].num, &C, &J, &err), &err))
    return -1;
  if (op == G_CAPABILITY)
    out->num = C;
  else if (op == G_VARIETY)
    out->num = J;
  else { /* variety_growth: eq. 45, (1/rho) (dJ/dt)/J on the path */
    if (ev_param(ev, d, F_GROWTH_rho, &g.rho, sp) ||
        ev_block_fail(ev, sp, d, ec_growth_variety_rate(&g, C, J, &out->num, &err), &err))
      return -1;
  }
  return 1;
}

/* ---- saturation, collapse, recombination ------------------------------------------------- */

static int saturation_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  double h, delta, A, C0;
  size_t J;
  if (ev_param_or(ev, d, F_GROWTH_h, &h, NAN, sp) ||
      ev_param_or(ev, d, F_GROWTH_delta, &delta, NAN, sp))
    return -1;
  if (!(h > 0) || !(delta > 0))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': saturation needs h > 0 and delta > 0 (h = %g, delta = %g)",
                   d->name, h, delta);
  if (op == G_SATURATION_CEILING) {
    out->num = 1 / (h * delta);
    return 1;
  }
  if (ev_count(ev, d, F_GROWTH_J, &J, sp) || ev_param(ev, d, F_GROWTH_saturation_a, &A, sp) ||
      ev_param(ev, d, F_GROWTH_C_0, &C0, sp))
    return -1;
  if (!(A >= 0))
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': saturation.a = %g must be >= 0", d->name, A);
  if (op == G_SATURATION_LEVEL) {
    out->num = ec_saturation_level((double)J, A, h, delta);
    return 1;
  }
  /* uniform coupling from equal starts keeps every C_j equal: one equation with coupling a J */
  double aJ = A * (double)J, c;
  ec_error err;
  ec_status st = ec_saturation_run(1, &aJ, h, delta, &C0, a[1].num, &c, &err);
  out->num = c;
  return ev_block_fail(ev, sp, d, st, &err) ? -1 : 1;
}

static int collapse_call(Eval *ev, const IrExpr *e, Decl *d, Value *out) {
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  double rho, J, ext, crit, D;
  ec_error err;
  if (collapse_params(ev, d, &rho, &J, &ext, &crit, sp))
    return -1;
  if (op == G_J_MIN)
    return ev_block_fail(ev, sp, d, ec_J_min(rho, ext, crit, &out->num, &err), &err) ? -1 : 1;
  if (ev_block_fail(ev, sp, d, ec_collapse_D(rho, J, &D, &err), &err))
    return -1;
  if (!(ext >= 0 && ext <= 1) || !(crit > 0 && crit < 1))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': eq. 49 needs 0 <= alpha_ext <= 1 and 0 < alpha_crit < 1 "
                   "(alpha_ext = %g, alpha_crit = %g)",
                   d->name, ext, crit);
  double ae = ext + (1 - ext) * D;
  out->num = (op == G_ALPHA_EFF) ? ae : ae > crit;
  return 1;
}

static int recomb_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  Span sp = e->span;
  double eta, p, J0;
  if (ev_param_or(ev, d, F_GROWTH_variety_eta_J, &eta, NAN, sp) ||
      ev_param(ev, d, F_GROWTH_variety_p_viable, &p, sp) || ev_param(ev, d, F_GROWTH_J, &J0, sp))
    return -1;
  if (!(eta >= 0) || !(p >= 0 && p <= 1))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': eq. 66 needs eta_J >= 0 and 0 <= p_viable <= 1 (eta_J = %g, "
                   "p_viable = %g)",
                   d->name, eta, p);
  double k = eta * p / 2;
  if (decl_field_id(d,
                    F_GROWTH_alpha_crit)) { /* the gate at J_0 stays as it is while J cannot move */
    double rho, Jx, ext, crit, D;
    ec_error e2;
    if (collapse_params(ev, d, &rho, &Jx, &ext, &crit, sp) ||
        ev_block_fail(ev, sp, d, ec_collapse_D(rho, J0, &D, &e2), &e2))
      return -1;
    if (!(ext + (1 - ext) * D > crit))
      k = 0;
  }
  ec_error err;
  if (growth_op(e) == G_T_RECOMB) {
    out->num = ec_recomb_blowup(J0, k);
    return 1;
  }
  return ev_block_fail(ev, sp, d, ec_recomb_J(J0, k, a[1].num, &out->num, &err), &err) ? -1 : 1;
}

/* ---- Baumol -----------------------------------------------------------------------------------
 */

static int baumol_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  ec_baumol b;
  double p0;
  if (ev_param(ev, d, F_GROWTH_baumol_g_C, &b.g_C, sp) ||
      ev_param(ev, d, F_GROWTH_baumol_g_Z, &b.g_Z, sp) ||
      ev_param(ev, d, F_GROWTH_baumol_beta_0, &b.beta_0, sp) ||
      ev_param(ev, d, F_GROWTH_baumol_kappa, &b.kappa, sp) ||
      ev_param(ev, d, F_GROWTH_baumol_ratio_0, &b.ratio_0, sp) ||
      ev_param(ev, d, F_GROWTH_baumol_rho, &b.rho, sp) ||
      ev_param(ev, d, F_GROWTH_baumol_price_ratio_0, &p0, sp))
    return -1;
  if (op == G_PRICE_DOUBLING) {
    out->num = ec_baumol_price_doubling(&b);
    return 1;
  }
  double t = a[1].num;
  ec_error err;
  if (op == G_PRICE_RATIO) {
    return ev_block_fail(ev, sp, d, ec_baumol_price_ratio(&b, p0, t, &out->num, &err), &err) ? -1
                                                                                             : 1;
  }
  if (op == G_COST_SHARE_Z)
    return ev_block_fail(ev, sp, d, ec_baumol_cost_share(&b, t, &out->num, &err), &err) ? -1 : 1;
  return ev_block_fail(ev, sp, d,
                       ec_baumol_growth(&b, t, (op == G_BAUMOL_GROWTH_CES), &out->num, &err), &err)
             ? -1
             : 1;
}

/* ---- dispatch -------------------------------------------------------------------------------- */

static int growth_call(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  GrowthOp op = growth_op(e);
  ec_error err;
  if (op == G_D) {
    ec_status st = ec_collapse_D(a[0].num, a[1].num, &out->num, &err);
    if (st)
      return ev_core_fail(ev, e->span, st, "%s", err.msg);
    return 1;
  }
  Decl *d = a[0].decl;
  if ((op == G_SATURATION_LEVEL || op == G_SATURATION_PATH || op == G_SATURATION_CEILING))
    return saturation_call(ev, e, d, a, out);
  if ((op == G_ALPHA_EFF) || (op == G_COLLAPSE_AVOIDED) || (op == G_J_MIN))
    return collapse_call(ev, e, d, out);
  if ((op == G_J_RECOMB) || (op == G_T_RECOMB))
    return recomb_call(ev, e, d, a, out);
  if ((op == G_BAUMOL_GROWTH || op == G_BAUMOL_GROWTH_CES) || (op == G_COST_SHARE_Z) ||
      (op == G_PRICE_RATIO || op == G_PRICE_DOUBLING))
    return baumol_call(ev, e, d, a, out);
  if (op == G_C_MAX) {
    double Jm, rho, h, delta;
    if (ev_param(ev, d, F_GROWTH_J_max, &Jm, e->span) ||
        ev_param(ev, d, F_GROWTH_rho, &rho, e->span) ||
        ev_param_or(ev, d, F_GROWTH_h, &h, NAN, e->span) ||
        ev_param_or(ev, d, F_GROWTH_delta, &delta, NAN, e->span))
      return -1;
    return ev_block_fail(ev, e->span, d, ec_growth_C_max(Jm, rho, h, delta, &out->num, &err), &err)
               ? -1
               : 1;
  }
  return growth_law_call(ev, e, d, a, out);
}

static int growth_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return growth_call(ev, e, a, out) < 0 ? -1 : 0;
}
