/* Builtins of the growth and cycle layers (004 §12-§15, Appendices B-D): a `growth` or
 * `cycle` block's fields, read through the override stacks (so --set and sweeps apply),
 * handed to the numeric core (interp/core/growth.c, cycle.c). Random reaction systems draw
 * from a stream seeded by the run's seed and the block's name. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "uncertain.h"

static const char *kind(const Decl *d) {
  return type_name(decl_type(d->kind));
}

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
  G_RAF_SIZE,
  G_RAF_MEMBERS,
  G_RAF_PROBABILITY,
  G_N_AUTO,
  G_N_AUTO_EQ38,
  G_N_AUTO_PROOF,
  G_PF_EIGENVALUE,
  G_PF_VECTOR,
  G_PF_SUPPORT,
  G_CATALYTIC_SHARES,
  G_CATALYTIC_RATE,
  G_SURVIVORS,
  G_BAUMOL_GROWTH,
  G_BAUMOL_GROWTH_CES,
  G_COST_SHARE_Z,
  G_PRICE_RATIO,
  G_PRICE_DOUBLING,
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
     growth_builtin},
    {"growth_exponent",
     1,
     {T_GROWTH},
     "growth_exponent(growth): Phi = lambda + phi_eff - 1, the power of C in eq. 40",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"regime",
     1,
     {T_GROWTH},
     "regime(growth): 'a: ceiling', 'b: exponential', 'c: singularity', 'collapse' or 'decline' "
     "(Theorem 4)",
     T_STR,
     RD_NONE,
     growth_builtin},
    {"T_singularity",
     1,
     {T_GROWTH},
     "T_singularity(growth): eq. 47 as printed (depreciation left out; inf: none)",
     T_NUM,
     RD_TIME,
     growth_builtin},
    {"T_singularity_exact",
     1,
     {T_GROWTH},
     "T_singularity_exact(growth): blow-up time of eq. 40 at fixed J with depreciation",
     T_NUM,
     RD_TIME,
     growth_builtin},
    {"T_blowup",
     1,
     {T_GROWTH},
     "T_blowup(growth): blow-up time found by integrating eq. 40 (with variety; inf: none)",
     T_NUM,
     RD_TIME,
     growth_builtin},
    {"C_steady",
     1,
     {T_GROWTH},
     "C_steady(growth): the steady state of eq. 40 at J_max when Phi < 1, (delta_g f^lambda "
     "J_max^gamma_J/delta)^(1/(1-Phi))",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"C_max",
     1,
     {T_GROWTH},
     "C_max(growth): J_max^((1-rho)/rho)/(h delta) (eq. 46)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"capability",
     2,
     {T_GROWTH, T_ERROR},
     "capability(growth, t): C(t) of eq. 40 with variety (eq. 43)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"variety",
     2,
     {T_GROWTH, T_ERROR},
     "variety(growth, t): J(t) of eq. 43 along the growth path",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"variety_growth",
     2,
     {T_GROWTH, T_ERROR},
     "variety_growth(growth, t): (1/rho) (dJ/dt)/J, eq. 45, at t (a rate)",
     T_NUM,
     RD_RATE,
     growth_builtin},
    {"saturation_level",
     1,
     {T_GROWTH},
     "saturation_level(growth): per-type equilibrium of eq. 42, 1/(h delta) - 1/(h a J)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"saturation_path",
     2,
     {T_GROWTH, T_ERROR},
     "saturation_path(growth, t): mean C_j(t) of eq. 42 integrated from C_0",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"saturation_ceiling",
     1,
     {T_GROWTH},
     "saturation_ceiling(growth): 1/(h delta), Lemma 2's bound on each C_j",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"J_recomb",
     2,
     {T_GROWTH, T_ERROR},
     "J_recomb(growth, t): J(t) under Weitzman recombination (eq. 66)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"T_recomb",
     1,
     {T_GROWTH},
     "T_recomb(growth): the time at which eq. 66 blows up",
     T_NUM,
     RD_TIME,
     growth_builtin},
    {"D",
     2,
     {T_ERROR, T_ERROR},
     "D(rho, J): (J-1)/J (1 - rho^(1/(1-rho))), 0 <= rho < 1 (eq. 49)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"alpha_eff",
     1,
     {T_GROWTH},
     "alpha_eff(growth): alpha_ext + (1 - alpha_ext) D(rho, J) (eq. 49)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"collapse_avoided",
     1,
     {T_GROWTH},
     "collapse_avoided(growth): alpha_eff > alpha_crit (eq. 50)",
     T_BOOL,
     RD_NONE,
     growth_builtin},
    {"J_min",
     1,
     {T_GROWTH},
     "J_min(growth): smallest J with alpha_eff > alpha_crit (eq. 52; inf: none)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"raf_size",
     1,
     {T_GROWTH},
     "raf_size(growth): reactions in the maximal RAF (0: none)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"raf_members",
     1,
     {T_GROWTH},
     "raf_members(growth): the maximal RAF's reactions, by name",
     T_STR,
     RD_NONE,
     growth_builtin},
    {"raf_probability",
     2,
     {T_GROWTH, T_ERROR},
     "raf_probability(growth, N): share of drawn systems with a RAF at p(N)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"N_auto",
     1,
     {T_GROWTH},
     "N_auto(growth): smallest N at which half the drawn systems have a RAF (Prop. 8)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"N_auto_eq38",
     1,
     {T_GROWTH},
     "N_auto_eq38(growth): ln|R|/beta_t, eq. 38 without its constant",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"N_auto_proof",
     1,
     {T_GROWTH},
     "N_auto_proof(growth): ln(1 - 1/J)/ln(1 - beta_t), Prop. 8's proof",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"pf_eigenvalue",
     1,
     {T_GROWTH},
     "pf_eigenvalue(growth): lambda_1 of the catalytic matrix (Prop. 9)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"pf_vector",
     1,
     {T_GROWTH},
     "pf_vector(growth): the Perron-Frobenius vector, summing to 1",
     T_VEC,
     RD_NONE,
     growth_builtin},
    {"pf_support",
     1,
     {T_GROWTH},
     "pf_support(growth): types with a positive Perron-Frobenius component",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"catalytic_shares",
     2,
     {T_GROWTH, T_ERROR},
     "catalytic_shares(growth, t): c_i(t)/sum c under catalytic.form",
     T_VEC,
     RD_NONE,
     growth_builtin},
    {"catalytic_rate",
     2,
     {T_GROWTH, T_ERROR},
     "catalytic_rate(growth, t): d ln(sum c)/dt at t (-> lambda_1 - phi_0)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"survivors",
     2,
     {T_GROWTH, T_ERROR},
     "survivors(growth, t): types with share above 1e-6 at t",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"baumol_growth",
     2,
     {T_GROWTH, T_ERROR},
     "baumol_growth(growth, t): eq. 53 as printed (Cobb-Douglas)",
     T_NUM,
     RD_RATE,
     growth_builtin},
    {"baumol_growth_ces",
     2,
     {T_GROWTH, T_ERROR},
     "baumol_growth_ces(growth, t): growth of the CES aggregate with baumol.rho",
     T_NUM,
     RD_RATE,
     growth_builtin},
    {"cost_share_Z",
     2,
     {T_GROWTH, T_ERROR},
     "cost_share_Z(growth, t): cost share of frontier training (CES)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"price_ratio",
     2,
     {T_GROWTH, T_ERROR},
     "price_ratio(growth, t): p_Z/p_C, eq. 54",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"price_doubling",
     1,
     {T_GROWTH},
     "price_doubling(growth): ln 2/(g_C - g_Z), the time p_Z/p_C takes to double",
     T_NUM,
     RD_TIME,
     growth_builtin},
    {"tau",
     1,
     {T_CYCLE},
     "tau(cycle): cycle duration, eq. 55 (in time_scale units, default years)",
     T_NUM,
     RD_TIME,
     growth_builtin},
    {"amplitude",
     1,
     {T_CYCLE},
     "amplitude(cycle): K (N-1)/N alpha phi/(r + delta - alpha phi) (eq. 56)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"compression",
     2,
     {T_CYCLE, T_CYCLE},
     "compression(cycle_n, cycle_n+1): tau_{n+1}/tau_n by eq. 57",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"c_ratio_needed",
     1,
     {T_CYCLE},
     "c_ratio_needed(cycle): the c0/c* at which eq. 55 gives the printed duration",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"fold_investment",
     1,
     {T_CYCLE},
     "fold_investment(cycle): I at which the equilibria of eq. 58 vanish",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"fold_T_fin",
     1,
     {T_CYCLE},
     "fold_T_fin(cycle): T_fin at the fold (0: at the boundary)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"T_fin_equilibria",
     1,
     {T_CYCLE},
     "T_fin_equilibria(cycle): roots of eq. 58 at fold.I, ascending",
     T_VEC,
     RD_NONE,
     growth_builtin},
    {"crisis_theta",
     2,
     {T_CYCLE, T_ERROR},
     "crisis_theta(cycle, k): theta at which role k fails (1 correlation, 2 superadditivity, 3 "
     "strategic independence)",
     T_NUM,
     RD_NONE,
     growth_builtin},
    {"crisis_order",
     1,
     {T_CYCLE},
     "crisis_order(cycle): the roles of curvature in the order they fail (§15.4)",
     T_STR,
     RD_NONE,
     growth_builtin},
    {"kendall_tau",
     2,
     {T_VEC, T_VEC},
     "kendall_tau(x, y): Kendall's tau-b of two lists",
     T_NUM,
     RD_NONE,
     growth_builtin},
};
_Static_assert(sizeof growth_rows / sizeof *growth_rows == G_COUNT, "one id a row");
BUILTIN_FAMILY(builtins_growth, "growth", growth_rows);

static GrowthOp growth_op(const IrExpr *e) {
  return (GrowthOp)(e->fn - growth_rows);
}

static int check(Eval *ev, Span sp, const Decl *d, ec_status st, const ec_error *err) {
  if (st == EC_OK)
    return 0;
  return ev_core_fail(ev, sp, st, "%s '%s': %s", kind(d), d->name, err->msg);
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
  return check(ev, sp, d, ec_growth_check(g, &err), &err);
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
  if (check(ev, sp, d, ec_growth_blowup(g, &T, &err), &err))
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
    return check(ev, sp, d, ec_phi_eff(g.phi_0, g.beta_auto, &out->num, &err), &err) ? -1 : 1;
  if (op == G_GROWTH_EXPONENT) {
    out->num = ec_growth_Phi(&g);
    return 1;
  }
  if (op == G_REGIME)
    return (out->str = regime_of(ev, d, &g, sp)) ? 1 : -1;
  if ((op == G_T_SINGULARITY) || (op == G_T_SINGULARITY_EXACT))
    return check(ev, sp, d, ec_T_singularity(&g, op == G_T_SINGULARITY_EXACT, &out->num, &err),
                 &err)
               ? -1
               : 1;
  if (op == G_C_STEADY) {
    double Phi = ec_growth_Phi(&g);
    if (!(Phi < 1) || !(g.delta > 0))
      return ev_fail(ev, EV_INPUT, sp,
                     "growth '%s': eq. 40 has a steady state only for Phi < 1 and delta > 0 (Phi "
                     "= %g, delta = %g)",
                     d->name, Phi, g.delta);
    out->num =
        pow(g.delta_g * pow(g.f, g.lambda) * pow(g.J_max, g.gamma_J) / g.delta, 1 / (1 - Phi));
    return 1;
  }
  if (op == G_T_BLOWUP)
    return check(ev, sp, d, ec_growth_blowup(&g, &out->num, &err), &err) ? -1 : 1;
  double C, J;
  if (check(ev, sp, d, ec_growth_path(&g, a[1].num, &C, &J, &err), &err))
    return -1;
  if (op == G_CAPABILITY)
    out->num = C;
  else if (op == G_VARIETY)
    out->num = J;
  else { /* variety_growth: eq. 45, (1/rho) (dJ/dt)/J on the path */
    if (ev_param(ev, d, F_GROWTH_rho, &g.rho, sp))
      return -1;
    if (g.rho == 0)
      return ev_fail(ev, EV_INPUT, sp, "growth '%s': eq. 45 divides by rho, which is 0", d->name);
    double Dc = 0;
    int open = !g.gate || (ec_collapse_D(g.rho, J, &Dc, &err) == EC_OK &&
                           g.alpha_ext + (1 - g.alpha_ext) * Dc > g.alpha_crit);
    double dJ = open ? g.eta_J * g.f_J * pow(C, g.phi_J) * (g.J_max - J) : 0;
    out->num = dJ / J / g.rho;
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
  return check(ev, sp, d, st, &err) ? -1 : 1;
}

static int collapse_call(Eval *ev, const IrExpr *e, Decl *d, Value *out) {
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  double rho, J, ext, crit, D;
  ec_error err;
  if (collapse_params(ev, d, &rho, &J, &ext, &crit, sp))
    return -1;
  if (op == G_J_MIN)
    return check(ev, sp, d, ec_J_min(rho, ext, crit, &out->num, &err), &err) ? -1 : 1;
  if (check(ev, sp, d, ec_collapse_D(rho, J, &D, &err), &err))
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
        check(ev, sp, d, ec_collapse_D(rho, J0, &D, &e2), &e2))
      return -1;
    if (!(ext + (1 - ext) * D > crit))
      k = 0;
  }
  ec_error err;
  if (growth_op(e) == G_T_RECOMB) {
    out->num = ec_recomb_blowup(J0, k);
    return 1;
  }
  return check(ev, sp, d, ec_recomb_J(J0, k, a[1].num, &out->num, &err), &err) ? -1 : 1;
}

/* ---- reaction systems -------------------------------------------------------------------- */

typedef struct {
  const char **names; /* type names (declared systems) */
  size_t ntypes, cap;
  unsigned char *food;
  size_t *in_off, *in, *out_off, *out, *cat_off, *cat;
  size_t nin, nout, ncat;
  const char **rx_names;
  ec_reaction_system s;
} Declared;

static void declared_free(Declared *x) {
  free(x->names), free(x->food), free(x->in_off), free(x->in), free(x->out_off), free(x->out);
  free(x->cat_off), free(x->cat), free(x->rx_names);
}

static size_t type_index(Declared *x, const char *name, size_t len, Arena *ar) {
  for (size_t i = 0; i < x->ntypes; i++)
    if (strlen(x->names[i]) == len && !strncmp(x->names[i], name, len))
      return i;
  if (x->ntypes == x->cap) {
    x->cap = x->cap ? 2 * x->cap : 16;
    x->names = realloc(x->names, x->cap * sizeof *x->names);
  }
  char *s = arena_alloc(ar, len + 1);
  memcpy(s, name, len);
  s[len] = 0;
  x->names[x->ntypes] = s;
  return x->ntypes++;
}

/* Splits "a + b c" into type indices appended to *list (grown by realloc). */
static size_t parse_types(Declared *x, const char *text, size_t **list, size_t *n, size_t *cap,
                          Arena *ar) {
  size_t added = 0;
  for (const char *p = text; *p;) {
    while (*p && (isspace((unsigned char)*p) || *p == '+' || *p == ','))
      p++;
    const char *q = p;
    while (*q && !isspace((unsigned char)*q) && *q != '+' && *q != ',')
      q++;
    if (q == p)
      break;
    if (*n == *cap) {
      *cap = *cap ? 2 * *cap : 64;
      *list = realloc(*list, *cap * sizeof **list);
    }
    (*list)[(*n)++] = type_index(x, p, (size_t)(q - p), ar);
    added++;
    p = q;
  }
  return added;
}

static int column(const Decl *t, const char *name) {
  for (int j = 0; j < t->ncols; j++)
    if (!strcmp(t->colnames[j], name) && t->coltext[j])
      return j;
  return -1;
}

static int declared_system(Eval *ev, Decl *d, Declared *x, Span sp) {
  memset(x, 0, sizeof *x);
  Value food, rx;
  if (ev_field_get(ev, d, F_GROWTH_raf_food, &food, sp) < 0 ||
      ev_field_get(ev, d, F_GROWTH_raf_reactions, &rx, sp) < 0)
    return -1;
  const Decl *t = rx.decl;
  int ci = column(t, "inputs"), cc = column(t, "catalysts"), co = column(t, "outputs"),
      cn = column(t, "name");
  size_t R = (size_t)t->nrows, capi = 0, capo = 0, capc = 0, nfood = 0, capf = 0;
  size_t *foodlist = NULL;
  x->in_off = malloc((R + 1) * sizeof *x->in_off);
  x->out_off = malloc((R + 1) * sizeof *x->out_off);
  x->cat_off = malloc((R + 1) * sizeof *x->cat_off);
  x->rx_names = malloc((R + 1) * sizeof *x->rx_names);
  parse_types(x, food.str, &foodlist, &nfood, &capf, ev->ar);
  if (nfood == 0) {
    free(foodlist);
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': raf.food names no types", d->name);
  }
  for (size_t r = 0; r < R; r++) {
    x->in_off[r] = x->nin, x->out_off[r] = x->nout, x->cat_off[r] = x->ncat;
    size_t ni = parse_types(x, t->text[ci][r], &x->in, &x->nin, &capi, ev->ar);
    size_t nc = parse_types(x, t->text[cc][r], &x->cat, &x->ncat, &capc, ev->ar);
    size_t no = parse_types(x, t->text[co][r], &x->out, &x->nout, &capo, ev->ar);
    if (cn >= 0)
      x->rx_names[r] = t->text[cn][r];
    else {
      char *s = arena_alloc(ev->ar, 24);
      snprintf(s, 24, "r%zu", r + 1);
      x->rx_names[r] = s;
    }
    if (!ni || !no || !nc) {
      free(foodlist);
      return ev_fail(ev, EV_INPUT, sp,
                     "growth '%s': reaction %s (row %zu of table '%s') has no %s; each reaction "
                     "needs inputs, catalysts and outputs",
                     d->name, x->rx_names[r], r + 1, t->name,
                     !ni   ? "inputs"
                     : !nc ? "catalysts"
                           : "outputs");
    }
  }
  x->in_off[R] = x->nin, x->out_off[R] = x->nout, x->cat_off[R] = x->ncat;
  x->food = calloc(x->ntypes + 1, 1);
  for (size_t i = 0; i < nfood; i++)
    x->food[foodlist[i]] = 1;
  free(foodlist);
  x->s = (ec_reaction_system){x->ntypes,  R,      x->food,    x->in_off, x->in,
                              x->out_off, x->out, x->cat_off, x->cat};
  return 0;
}

static int random_spec(Eval *ev, Decl *d, ec_raf_random *m, Span sp) {
  return ev_count(ev, d, F_GROWTH_raf_types, &m->ntypes, sp) ||
                 ev_count(ev, d, F_GROWTH_raf_food_types, &m->nfood, sp) ||
                 ev_count(ev, d, F_GROWTH_raf_reaction_count, &m->nreactions, sp) ||
                 ev_count(ev, d, F_GROWTH_raf_inputs, &m->inputs, sp)
             ? -1
             : 0;
}

/* p from raf.catalysis, else from p(N) = 1 - (1 - beta_t)^N */
static int catalysis(Eval *ev, Decl *d, double N, double *p, double *beta_t, Span sp) {
  *beta_t = NAN;
  if (decl_field_id(d, F_GROWTH_raf_beta_t)) {
    if (ev_param(ev, d, F_GROWTH_raf_beta_t, beta_t, sp))
      return -1;
    if (!(*beta_t > 0 && *beta_t < 1))
      return ev_fail(ev, EV_INPUT, sp, "growth '%s': raf.beta_t = %g must be in (0, 1)", d->name,
                     *beta_t);
  }
  if (isnan(N) && decl_field_id(d, F_GROWTH_raf_catalysis))
    return ev_param(ev, d, F_GROWTH_raf_catalysis, p, sp);
  if (isnan(N) && ev_param(ev, d, F_GROWTH_raf_N, &N, sp))
    return -1;
  if (isnan(*beta_t))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': give raf.catalysis, or raf.beta_t (and raf.N) for p(N) = 1 - "
                   "(1 - beta_t)^N",
                   d->name);
  if (!(N >= 0) || !isfinite(N))
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': the mesh size N = %g must be >= 0", d->name, N);
  *p = -expm1(N * log1p(-*beta_t));
  return 0;
}

static int work_bound(Eval *ev, Decl *d, const ec_raf_random *m, size_t trials, Span sp) {
  double w = (double)trials * (double)m->ntypes * (double)m->nreactions *
             (1 + log2((double)m->ntypes * (double)m->nreactions));
  if (w > ev->opt.max_mesh_work)
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': %zu random systems of %zu types x %zu reactions take about %.3g "
                   "steps, over the limit of %g",
                   d->name, trials, m->ntypes, m->nreactions, w, ev->opt.max_mesh_work);
  return 0;
}

/* The smallest whole N at which each of the trials has a RAF (inf: never), sorted. */
static int trial_thresholds(Eval *ev, Decl *d, double beta_t, double **Ns, size_t *trials,
                            Span sp) {
  ec_raf_random m;
  if (random_spec(ev, d, &m, sp) || ev_count(ev, d, F_GROWTH_raf_trials, trials, sp) ||
      work_bound(ev, d, &m, *trials, sp))
    return -1;
  char name[300];
  snprintf(name, sizeof name, "%s.raf", d->name);
  unsigned long base = ev_stream_seed(ev->seed, name);
  double *v = arena_alloc(ev->ar, *trials * sizeof *v);
  for (size_t i = 0; i < *trials; i++) {
    double p;
    ec_error err;
    if (check(ev, sp, d, ec_raf_random_threshold(&m, ec_trial_seed(base, i), &p, &err), &err))
      return -1;
    /* a RAF at N iff p(N) > p*, i.e. N > ln(1 - p*)/ln(1 - beta_t) */
    v[i] = !isfinite(p) || p >= 1 ? INFINITY : floor(log1p(-p) / log1p(-beta_t)) + 1;
  }
  for (size_t i = 1; i < *trials; i++) /* insertion sort: trials are few */
    for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double s = v[j];
      v[j] = v[j - 1], v[j - 1] = s;
    }
  *Ns = v;
  return 0;
}

static int raf_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  const char *f = e->fn->name;
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  ec_error err;
  int declared = decl_field_id(d, F_GROWTH_raf_reactions) != NULL;
  if (!declared && !decl_field_id(d, F_GROWTH_raf_types))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s' has no reaction system: add raf { food; reactions } or raf { "
                   "types; food_types; reaction_count; catalysis | beta_t, N }",
                   d->name);
  if ((op == G_RAF_SIZE) || (op == G_RAF_MEMBERS)) {
    size_t size = 0;
    if (declared) {
      Declared x;
      if (declared_system(ev, d, &x, sp)) {
        declared_free(&x);
        return -1;
      }
      unsigned char *keep = malloc(x.s.nreactions + 1);
      ec_status st = ec_raf_max(&x.s, keep, &size, &err);
      if (st == EC_OK && op == G_RAF_MEMBERS) {
        size_t len = 1;
        for (size_t r = 0; r < x.s.nreactions; r++)
          len += keep[r] ? strlen(x.rx_names[r]) + 1 : 0;
        char *s = arena_alloc(ev->ar, len + 8);
        s[0] = 0;
        for (size_t r = 0; r < x.s.nreactions; r++)
          if (keep[r])
            strcat(strcat(s, s[0] ? " " : ""), x.rx_names[r]);
        out->str = size ? s : "none";
      }
      free(keep);
      declared_free(&x);
      if (check(ev, sp, d, st, &err))
        return -1;
    } else {
      if (op == G_RAF_MEMBERS)
        return ev_fail(ev, EV_INPUT, sp,
                       "growth '%s': raf_members names the reactions of a declared system; a "
                       "random one has only raf_size",
                       d->name);
      ec_raf_random m;
      double p, bt;
      if (random_spec(ev, d, &m, sp) || catalysis(ev, d, NAN, &p, &bt, sp) ||
          work_bound(ev, d, &m, 1, sp))
        return -1;
      char name[300];
      snprintf(name, sizeof name, "%s.raf", d->name);
      if (check(ev, sp, d, ec_raf_random_size(&m, ev_stream_seed(ev->seed, name), p, &size, &err),
                &err))
        return -1;
    }
    out->num = (double)size;
    return 1;
  }
  if (declared)
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': %s draws random systems (raf { types; food_types; "
                   "reaction_count; beta_t }), and this raf block declares its reactions",
                   d->name, f);
  double bt, p, R;
  if (ev_param(ev, d, F_GROWTH_raf_beta_t, &bt, sp) ||
      ev_param(ev, d, F_GROWTH_raf_reaction_count, &R, sp) || catalysis(ev, d, 0, &p, &bt, sp))
    return -1;
  if (op == G_N_AUTO_EQ38) {
    out->num = log(R) / bt;
    return 1;
  }
  if (op == G_N_AUTO_PROOF) {
    double J;
    if (ev_param(ev, d, F_GROWTH_raf_types, &J, sp))
      return -1;
    out->num = log1p(-1 / J) / log1p(-bt);
    return 1;
  }
  double *Ns;
  size_t trials;
  if (trial_thresholds(ev, d, bt, &Ns, &trials, sp))
    return -1;
  if (op == G_N_AUTO) {
    out->num = Ns[(trials + 1) / 2 - 1]; /* half the systems have a RAF from here on */
    return 1;
  }
  double N = a[1].num;
  if (!(N >= 0) || !isfinite(N))
    return ev_fail(ev, EV_INPUT, e->args[1]->span, "raf_probability: N = %g must be >= 0", N);
  size_t k = 0;
  while (k < trials && Ns[k] <= N)
    k++;
  out->num = (double)k / (double)trials;
  return 1;
}

/* ---- catalytic matrix ------------------------------------------------------------------------ */

static int catalytic_matrix(Eval *ev, Decl *d, double **M, size_t *n, Span sp) {
  Value v;
  int r = ev_field_get(ev, d, F_GROWTH_catalytic_M, &v, sp);
  if (r < 0)
    return -1;
  if (r) {
    size_t k = (size_t)llround(sqrt((double)v.n));
    if (k * k != (size_t)v.n || k == 0)
      return ev_fail(ev, EV_INPUT, sp,
                     "growth '%s': catalytic.M must be a square matrix [[..], ..], got %d entries",
                     d->name, v.n);
    *M = arena_alloc(ev->ar, (size_t)v.n * sizeof **M);
    memcpy(*M, v.vec, (size_t)v.n * sizeof **M);
    *n = k;
    return 0;
  }
  if (!decl_field_id(d, F_GROWTH_raf_reactions))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s' has no catalytic matrix: give catalytic.M, or declare raf { food; "
                   "reactions } to take M_ij = 1 where type j catalyzes a reaction making type i",
                   d->name);
  Declared x;
  if (declared_system(ev, d, &x, sp)) {
    declared_free(&x);
    return -1;
  }
  size_t J = x.ntypes;
  *M = arena_alloc(ev->ar, J * J * sizeof **M);
  memset(*M, 0, J * J * sizeof **M);
  for (size_t rr = 0; rr < x.s.nreactions; rr++)
    for (size_t o = x.out_off[rr]; o < x.out_off[rr + 1]; o++)
      for (size_t c = x.cat_off[rr]; c < x.cat_off[rr + 1]; c++)
        (*M)[x.out[o] * J + x.cat[c]] = 1;
  *n = J;
  declared_free(&x);
  return 0;
}

static int catalytic_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  double *M = NULL;
  size_t n = 0;
  ec_error err;
  if (catalytic_matrix(ev, d, &M, &n, sp))
    return -1;
  if (n > 2000)
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': %zu catalytic types; at most 2000", d->name, n);
  double *v = arena_alloc(ev->ar, n * sizeof *v);
  if ((op == G_PF_EIGENVALUE || op == G_PF_VECTOR || op == G_PF_SUPPORT)) {
    double lam;
    if (check(ev, sp, d, ec_perron(M, n, &lam, v, &err), &err))
      return -1;
    if (op == G_PF_EIGENVALUE)
      out->num = lam;
    else if (op == G_PF_VECTOR)
      out->vec = v, out->n = (int)n;
    else {
      size_t k = 0;
      for (size_t i = 0; i < n; i++)
        k += v[i] > 0;
      out->num = (double)k;
    }
    return 1;
  }
  double phi0, t = a[1].num;
  int form;
  Value c0;
  if (ev_param(ev, d, F_GROWTH_catalytic_phi_0, &phi0, sp) ||
      ev_sym(ev, d, F_GROWTH_catalytic_form, SYM_JAIN_KRISHNA, &form, sp))
    return -1;
  int hc = ev_field_get(ev, d, F_GROWTH_catalytic_c0, &c0, sp);
  if (hc < 0)
    return -1;
  if (hc && (size_t)c0.n != n)
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': catalytic.c0 has %d values for %zu types",
                   d->name, c0.n, n);
  double *start = arena_alloc(ev->ar, n * sizeof *start), rate;
  for (size_t i = 0; i < n; i++)
    start[i] = hc ? c0.vec[i] : 1;
  if (check(ev, sp, d,
            ec_catalytic_run(M, n, phi0, start, t,
                             form == SYM_PRINTED ? EC_JK_PRINTED : EC_JK_LINEAR, v, &rate, &err),
            &err))
    return -1;
  if (op == G_CATALYTIC_SHARES)
    out->vec = v, out->n = (int)n;
  else if (op == G_CATALYTIC_RATE)
    out->num = rate;
  else {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      k += v[i] > 1e-6;
    out->num = (double)k;
  }
  return 1;
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
    out->num = b.g_C > b.g_Z ? log(2) / (b.g_C - b.g_Z) : INFINITY;
    return 1;
  }
  double t = a[1].num;
  ec_error err;
  if (op == G_PRICE_RATIO) {
    out->num = p0 * exp((b.g_C - b.g_Z) * t);
    if (!isfinite(out->num) || !(t >= 0))
      return ev_fail(ev, EV_INPUT, sp, "growth '%s': p_Z/p_C overflows at t = %g", d->name, t);
    return 1;
  }
  if (op == G_COST_SHARE_Z)
    return check(ev, sp, d, ec_baumol_cost_share(&b, t, &out->num, &err), &err) ? -1 : 1;
  return check(ev, sp, d, ec_baumol_growth(&b, t, (op == G_BAUMOL_GROWTH_CES), &out->num, &err),
               &err)
             ? -1
             : 1;
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
  GrowthOp op = growth_op(e);
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
  if (check(ev, sp, d, st, &err))
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
  GrowthOp op = growth_op(e);
  Span sp = e->span;
  Decl *d = a[0].decl;
  ec_error err;
  ec_cycle c;
  if ((op == G_FOLD_INVESTMENT || op == G_FOLD_T_FIN) || (op == G_T_FIN_EQUILIBRIA))
    return fold_call(ev, e, d, out);
  if ((op == G_CRISIS_THETA || op == G_CRISIS_ORDER)) {
    double s, th[3];
    if (ev_param(ev, d, F_CYCLE_crisis_level, &s, sp) ||
        check(ev, sp, d, ec_crisis_thetas(s, th, &err), &err))
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
    return check(ev, sp, d, ec_cycle_compression(&c, &c2, &out->num, &err), &err) ? -1 : 1;
  }
  if (op == G_C_RATIO_NEEDED) {
    double printed, tau1;
    if (cycle_params(ev, d, &c, 0, sp) || ev_param(ev, d, F_CYCLE_printed, &printed, sp) ||
        check(ev, sp, d, ec_cycle_duration(&c, &tau1, &err), &err))
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
    if (check(ev, sp, d, ec_cycle_duration(&c, &out->num, &err), &err))
      return -1;
    out->num *= scale;
    return 1;
  }
  return check(ev, sp, d, ec_cycle_amplitude(&c, &out->num, &err), &err) ? -1 : 1;
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
  if (op == G_KENDALL_TAU) {
    if (a[0].n != a[1].n)
      return ev_fail(ev, EV_INPUT, e->span, "kendall_tau(x, y): x has %d values, y %d", a[0].n,
                     a[1].n);
    ec_status st = ec_kendall_tau(a[0].vec, a[1].vec, (size_t)a[0].n, &out->num, &err);
    if (st)
      return ev_core_fail(ev, e->span, st, "kendall_tau: %s", err.msg);
    return 1;
  }
  if (a[0].type == T_CYCLE)
    return cycle_call(ev, e, a, out);
  Decl *d = a[0].decl;
  if ((op == G_SATURATION_LEVEL || op == G_SATURATION_PATH || op == G_SATURATION_CEILING))
    return saturation_call(ev, e, d, a, out);
  if ((op == G_ALPHA_EFF) || (op == G_COLLAPSE_AVOIDED) || (op == G_J_MIN))
    return collapse_call(ev, e, d, out);
  if ((op == G_J_RECOMB) || (op == G_T_RECOMB))
    return recomb_call(ev, e, d, a, out);
  if ((op == G_RAF_SIZE || op == G_RAF_MEMBERS || op == G_RAF_PROBABILITY) ||
      (op == G_N_AUTO || op == G_N_AUTO_EQ38 || op == G_N_AUTO_PROOF))
    return raf_call(ev, e, d, a, out);
  if ((op == G_PF_EIGENVALUE || op == G_PF_VECTOR || op == G_PF_SUPPORT) ||
      (op == G_CATALYTIC_SHARES || op == G_CATALYTIC_RATE) || (op == G_SURVIVORS))
    return catalytic_call(ev, e, d, a, out);
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
    if (!(rho != 0 && rho < 1) || !(h > 0) || !(delta > 0) || !(Jm >= 1))
      return ev_fail(ev, EV_INPUT, e->span,
                     "growth '%s': eq. 46 needs rho != 0, rho < 1, h > 0, delta > 0 and J_max >= "
                     "1 (rho = %g, h = %g, delta = %g, J_max = %g)",
                     d->name, rho, h, delta, Jm);
    out->num = pow(Jm, (1 - rho) / rho) / (h * delta);
    return 1;
  }
  return growth_law_call(ev, e, d, a, out);
}

static int growth_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return growth_call(ev, e, a, out) < 0 ? -1 : 0;
}
