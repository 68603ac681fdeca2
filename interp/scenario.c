/* A scenario as the layers read it: its bases' overrides pushed in order, the blocks it names
 * (market, adoption, progress), the game it sets, the crossing threshold, and the adoption
 * model driven by the equilibrium path. Part of the evaluator (eval_internal.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"

Decl *ev_scenario_market(Eval *ev, Decl *scn, Span sp) {
  for (Decl *s = scn; s; s = s->base) {
    Field *f = decl_field_id(s, F_SCENARIO_market);
    if (f && f->ir && f->ir->op == IR_REF)
      return f->ir->decl;
  }
  ev_fail(ev, EV_INPUT, sp, "scenario '%s' names no market", scn->name);
  return NULL;
}

int ev_push_scenario(Eval *ev, Decl *scn) {
  int pushed = 0;
  if (scn->base) /* at most MAX_SCENARIO_OVERRIDES deep: the checker bounds the chain */
    pushed += ev_push_scenario(ev, scn->base);
  for (int i = 0; i < scn->novr; i++, pushed++) {
    if (ev->nscn == MAX_SCENARIO_OVERRIDES) { /* nested scenarios: refuse, never drop one */
      ev_fail(ev, EV_INPUT, scn->span,
              "scenario '%s': more than %d overrides are active at once (scenarios evaluated "
              "inside scenarios)",
              scn->name, MAX_SCENARIO_OVERRIDES);
      return pushed;
    }
    ev->scn[ev->nscn++] = &scn->ovr[i];
  }
  return pushed;
}

int ev_market_firms(Eval *ev, const Decl *m, double N, Span sp) {
  if (!(N >= 1 && N <= 1e6) || N != (double)(long)N) /* (NaN fails the first) */
    return ev_fail(ev, EV_INPUT, sp,
                   "market '%s': firms = %g must be a whole number from 1 to 1000000", m->name, N);
  return 0;
}

/* x0 = Q_now ((c_now / c_star)^(1/alpha) - 1): Wright's law through the market's threshold. */
typedef struct {
  Decl *m;
  Span sp;
} MarketX0;

static int threshold_x0(Eval *ev, void *ctx, Value *out) {
  const MarketX0 *mx = ctx;
  Decl *m = mx->m;
  Span sp = mx->sp;
  static const EvRead reads[] = {
      {F_MARKET_threshold_c_now, 1}, {F_MARKET_threshold_c_star, 1}, {F_MARKET_threshold_Q_now, 1}};
  Value cv;
  double alpha, t[3], x0;
  int has[3];
  if (ev_field_get(ev, m, F_MARKET_threshold_curve, &cv, sp) <= 0 ||
      ev_curve_alpha(ev, cv.decl, &alpha, sp) ||
      ev_field_nums(ev, m, m->plan_slot + PLAN_THRESHOLD, reads, 3, t, has, sp))
    return -1;
  ec_error err;
  if (ev_block_fail(ev, sp, m, ec_wright_x0(t[2], t[0], t[1], alpha, &x0, &err), &err))
    return -1;
  *out = ev_num(x0, DIM_NONE);
  return 0;
}

/* The game's fields, read at every point of a sweep of it: its stage game, then (once firms
 * is known to be valid) its continuation and x0. */
static const EvRead stage_reads[] = {{F_MARKET_firms, 1},
                                     {F_MARKET_demand_a, 1},
                                     {F_MARKET_demand_b, 1},
                                     {F_MARKET_discount, 1},
                                     {F_MARKET_continuation_S_T, 0}};
static const EvRead continuation_reads[] = {
    {F_MARKET_continuation_S_I, 0}, {F_MARKET_continuation_delta, 0}, {F_MARKET_x0, 0}};

int ev_scenario_game(Eval *ev, Decl *scn, ec_game *g, double *x0, Span sp) {
  int pushed = ev_push_scenario(ev, scn);
  int rc = -1;
  Decl *m = ev_scenario_market(ev, scn, sp);
  double sg[5] = {0}, ct[3] = {0};
  int has[5];
  if (!m || ev_field_nums(ev, m, m->plan_slot + PLAN_STAGE, stage_reads, 5, sg, has, sp) ||
      ev_market_firms(ev, m, sg[0], sp) ||
      ev_field_nums(ev, m, m->plan_slot + PLAN_CONTINUATION, continuation_reads, 3, ct, has, sp))
    goto out;
  double N = sg[0], a = sg[1], b = sg[2], r = sg[3], S_T = sg[4], S_I = ct[0], delta = ct[1];
  int hasI = has[0], hx = has[2];
  if (hasI && !has[1]) { /* the error that names the missing rate */
    ev_field_num(ev, m, F_MARKET_continuation_delta, &delta, sp, 1);
    goto out;
  }
  if (hasI && !(r + delta > 0)) {
    ev_fail(ev, EV_DOMAIN, sp, "market '%s': r + delta = %g must be positive for S_I/(N(r+delta))",
            m->name, r + delta);
    goto out;
  }
  *g = (ec_game){(int)N, a, b, r, ec_continuation_value(S_T, hasI ? S_I : 0, (int)N, r, delta)};
  if (hx)
    *x0 = ct[2];
  else {
    MarketX0 mx = {m, sp};
    Value v;
    if (ev_slot_value(ev, m->derived_slot, threshold_x0, &mx, &v))
      goto out;
    *x0 = v.num;
  }
  ec_error err;
  ec_status st = ec_game_check(g, &err);
  if (st != EC_OK) {
    ev_core_fail(ev, sp, st, "market '%s': %s", m->name, err.msg);
    goto out;
  }
  rc = 0;
out:
  ev->nscn -= pushed;
  return rc;
}

/* ---- expressions ------------------------------------------------------------------------ */

/* Where a field is written in its block (for errors about its value), else the call. */
Span ev_field_span(Decl *d, FieldId id, Span fallback) {
  Field *f = decl_field_id(d, id);
  return f ? f->ast->a->span : fallback;
}

/* The block a scenario names in `field` (adoption, progress), through its bases. */
Decl *ev_scenario_block_opt(Decl *scn, FieldId field) {
  for (Decl *s = scn; s; s = s->base) {
    Field *f = decl_field_id(s, field);
    if (f && f->ir && f->ir->op == IR_REF)
      return f->ir->decl;
  }
  return NULL;
}

Decl *ev_scenario_block(Eval *ev, Decl *scn, FieldId id, Span sp) {
  const char *field = field_spec_id(id)->path;
  Decl *d = ev_scenario_block_opt(scn, id);
  if (!d)
    ev_fail(ev, EV_INPUT, sp, "scenario '%s' names no %s: add '%s = NAME' to it", scn->name, field,
            field);
  return d;
}

/* Q_now, Qbar = Q_now + x0, the curve's alpha and c* from the scenario's market. */
int ev_scenario_threshold(Eval *ev, Decl *scn, ec_game *g, double *x0, EvThreshold *t,
                          const char *why, Span sp) {
  if (ev_scenario_game(ev, scn, g, x0, sp))
    return -1;
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *m = ev_scenario_market(ev, scn, sp);
  Value cv, cs;
  if (!m)
    goto out;
  int hc = ev_field_get(ev, m, F_MARKET_threshold_curve, &cv, sp);
  int hs = hc > 0 ? ev_field_get(ev, m, F_MARKET_threshold_c_star, &cs, sp) : 0;
  int hq = hs > 0 ? ev_field_num(ev, m, F_MARKET_threshold_Q_now, &t->Q_now, sp, 0) : 0;
  if (hc < 0 || hs < 0 || hq < 0)
    goto out;
  if (!hc || !hs || !hq) {
    ev_fail(ev, EV_INPUT, sp,
            "%s needs market '%s' to declare threshold { curve; c_now; c_star; Q_now } (it sets "
            "the cost side c(Q) and the scale of Q)",
            why, m->name);
    goto out;
  }
  if (ev_curve_alpha(ev, cv.decl, &t->alpha, sp))
    goto out;
  t->c_star = cs.num;
  t->c_dim = cs.dim;
  t->Qbar = t->Q_now + *x0;
  rc = 0;
out:
  ev->nscn -= pushed;
  return rc;
}

/* Builds the adoption model and the equilibrium path it is driven by. */
int ev_scenario_adoption(Eval *ev, Decl *scn, ec_adoption *m, ec_path *p, double *horizon,
                         Span sp) {
  ec_game g;
  double x0;
  EvThreshold t;
  memset(m, 0, sizeof *m);
  if (ev_scenario_threshold(ev, scn, &g, &x0, &t, "the adoption layer", sp))
    return -1;
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *ad = ev_scenario_block(ev, scn, F_SCENARIO_adoption, sp);
  Value form, b0;
  if (!ad)
    goto out;
  int hf = ev_field_get(ev, ad, F_ADOPTION_beta, &form, sp);
  if (hf < 0 || ev_field_get(ev, ad, F_ADOPTION_beta0, &b0, sp) < 0)
    goto out;
  m->form = hf > 0 && form.sym == SYM_LOGIT ? EC_BETA_LOGIT : EC_BETA_LINEAR;
  m->beta0 = b0.num;
  /* beta0 (c* - c) must be a rate (linear) or a utility with no unit (logit) */
  Dim prod = dim_mul(b0.dim, t.c_dim);
  Dim want = m->form == EC_BETA_LINEAR ? dim_time_inv() : DIM_NONE;
  if (!dim_eq(prod, want)) {
    char u1[64], u2[64];
    dim_format(b0.dim, u1, sizeof u1);
    dim_format(t.c_dim, u2, sizeof u2);
    ev_fail(ev, EV_INPUT, ev_field_span(ad, F_ADOPTION_beta0, sp),
            "adoption '%s': beta0 (in %s) times c* (in %s) must be %s for the %s form; write "
            "beta0 in %s",
            ad->name, u1[0] ? u1 : "no unit", u2[0] ? u2 : "no unit",
            m->form == EC_BETA_LINEAR ? "a rate" : "a plain number",
            m->form == EC_BETA_LINEAR ? "linear" : "logit",
            m->form == EC_BETA_LINEAR ? "a rate per unit of cost, e.g. 0.02 /month / (USD/GB)"
                                      : "utility per unit of cost, e.g. 0.5 / (USD/GB)");
    goto out;
  }
  if (ev_field_num(ev, ad, F_ADOPTION_gamma, &m->gamma, sp, 1) < 0 ||
      ev_field_num(ev, ad, F_ADOPTION_kappa, &m->kappa, sp, 1) < 0 ||
      ev_field_num(ev, ad, F_ADOPTION_mu, &m->mu, sp, 1) < 0 ||
      ev_param(ev, ad, F_ADOPTION_lambda, &m->lambda, sp) ||
      ev_param(ev, ad, F_ADOPTION_s0, &m->s0, sp) ||
      ev_param(ev, ad, F_ADOPTION_horizon, horizon, sp))
    goto out;
  if (m->form == EC_BETA_LOGIT &&
      (ev_field_num(ev, ad, F_ADOPTION_choice_T_u, &m->T_u, sp, 1) < 0 ||
       ev_field_num(ev, ad, F_ADOPTION_choice_scale, &m->scale, sp, 1) < 0 ||
       ev_param(ev, ad, F_ADOPTION_choice_latency, &m->latency, sp) ||
       ev_param(ev, ad, F_ADOPTION_choice_friction, &m->friction, sp)))
    goto out;
  int hh = ev_field_num(ev, ad, F_ADOPTION_kappa_half_life, &m->half_life, sp, 0);
  int he = ev_field_num(ev, ad, F_ADOPTION_ecosystem_E0, &m->E0, sp, 0);
  if (hh < 0 || he < 0)
    goto out;
  if (hh)
    m->law = EC_KAPPA_HALF_LIFE;
  if (he) {
    m->law = EC_KAPPA_ECOSYSTEM;
    if (ev_field_num(ev, ad, F_ADOPTION_ecosystem_E_max, &m->E_max, sp, 1) < 0 ||
        ev_field_num(ev, ad, F_ADOPTION_ecosystem_eta_E, &m->eta_E, sp, 1) < 0 ||
        ev_field_num(ev, ad, F_ADOPTION_ecosystem_gamma_E, &m->gamma_E, sp, 1) < 0)
      goto out;
  }
  m->c_star = t.c_star;
  m->alpha = t.alpha;
  m->Qbar = t.Qbar;
  ec_error err;
  ec_status st = ec_adoption_check(m, &err);
  if (st == EC_OK)
    st = ec_path_init(p, &g, t.Q_now, t.Qbar, &err);
  if (st != EC_OK) {
    ev_core_fail(ev, sp, st, "adoption '%s': %s (rates per year)", ad->name, err.msg);
    goto out;
  }
  if (!(*horizon > 0) || !isfinite(*horizon)) {
    ev_fail(ev, EV_INPUT, sp, "adoption '%s': horizon = %g years must be positive", ad->name,
            *horizon);
    goto out;
  }
  rc = 0;
out:
  ev->nscn -= pushed;
  return rc;
}
