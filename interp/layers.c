/* Builtins of the pre-crossing layers: the asymmetric and capacity-constrained game, the
 * two-period model, adoption and R0, dual convergence and workloads. Each reads its block's
 * fields through the override stacks (so scenarios, --set and sweeps apply) and calls the
 * numeric core. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"

/* Where a field is written in its block (for errors about its value), else the call. */
static Span field_span(Decl *d, FieldId id, Span fallback) {
  Field *f = decl_field_id(d, id);
  return f ? f->ast->a->span : fallback;
}

/* The block a scenario names in `field` (adoption, progress), through its bases. */
static Decl *scenario_block_opt(Decl *scn, FieldId field) {
  for (Decl *s = scn; s; s = s->base) {
    Field *f = decl_field_id(s, field);
    if (f && f->ir && f->ir->op == IR_REF)
      return f->ir->decl;
  }
  return NULL;
}

static Decl *scenario_block(Eval *ev, Decl *scn, FieldId id, Span sp) {
  const char *field = field_spec_id(id)->path;
  Decl *d = scenario_block_opt(scn, id);
  if (!d)
    ev_fail(ev, EV_INPUT, sp, "scenario '%s' names no %s: add '%s = NAME' to it", scn->name, field,
            field);
  return d;
}

/* Each row of the family names its operation by an id; the functions below compare it. */
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
  L_R0_PARITY,
  L_R0_AT,
  L_R0_E0,
  L_R0_EMAX,
  L_QBAR,
  L_QBAR_STAR,
  L_T_HARDWARE,
  L_T_R0,
  L_LAG,
  L_SHARE,
  L_KAPPA_AT,
  L_IMPLIED_R0,
  L_T_STAR_DUAL,
  L_ALPHA_EFF,
  L_QBAR_EFF,
  L_COORDINATION_GAP,
  L_PRODUCTION_GAP,
  L_T_DUAL_EQ26,
  L_K,
  L_K_EFF,
  L_DISTRIBUTABLE,
  L_Q_STAR,
  L_S_T_CURVATURE
} LayerOp;

/* ---- the game's comparative statics ------------------------------------------------- */

static int asym_call(Eval *ev, const IrExpr *e, Decl *scn, Value *out, LayerOp op) {
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

static int capacity_call(Eval *ev, const IrExpr *e, Decl *scn, Value *out, LayerOp op) {
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

static int two_period_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, LayerOp op) {
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
  if (N < 1 || N != floor(N) || N > 1e6) {
    ev_fail(ev, EV_INPUT, e->span,
            "market '%s': firms = %g must be a whole number from 1 to 1000000", m->name, N);
    goto out;
  }
  tp.N = (int)N;
  ec_two_period_result r;
  ec_error err;
  ec_status st = ec_two_period_solve(&tp, &r, &err);
  if (st != EC_OK) {
    ev_block_fail(ev, e->span, m, st, &err);
    goto out;
  }
  int nash = e->nargs > 1 && a[1].sym == SYM_NASH;
  if (e->nargs > 1 && a[1].sym != SYM_NASH && a[1].sym != SYM_COOP) {
    ev_fail(ev, EV_INPUT, e->args[1]->span, "expected a regime: nash or coop");
    goto out;
  }
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

/* ---- adoption -------------------------------------------------------------------------- */

typedef struct {
  double Q_now, Qbar, alpha, c_star;
  Dim c_dim;
} Threshold;

/* Q_now, Qbar = Q_now + x0, the curve's alpha and c* from the scenario's market. */
static int scenario_threshold(Eval *ev, Decl *scn, ec_game *g, double *x0, Threshold *t,
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
static int scenario_adoption(Eval *ev, Decl *scn, ec_adoption *m, ec_path *p, double *horizon,
                             Span sp) {
  ec_game g;
  double x0;
  Threshold t;
  memset(m, 0, sizeof *m);
  if (scenario_threshold(ev, scn, &g, &x0, &t, "the adoption layer", sp))
    return -1;
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *ad = scenario_block(ev, scn, F_SCENARIO_adoption, sp);
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
    ev_fail(ev, EV_INPUT, field_span(ad, F_ADOPTION_beta0, sp),
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

static int adoption_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, LayerOp op) {
  ec_adoption m;
  ec_path p;
  double horizon;
  if (scenario_adoption(ev, a[0].decl, &m, &p, &horizon, e->span))
    return -1;
  const char *f = e->fn->name;
  ec_error err;
  ec_status st = EC_OK;
  if (op == L_R0_PARITY)
    out->num = ec_adoption_R0(&m, m.c_star, m.kappa);
  else if (op == L_QBAR)
    out->num = m.Qbar;
  else if (op == L_QBAR_STAR)
    out->num = ec_adoption_Qbar_star(&m, m.kappa);
  else if ((op == L_R0_E0) || (op == L_R0_EMAX)) {
    if (m.law != EC_KAPPA_ECOSYSTEM)
      return ev_fail(ev, EV_INPUT, e->span,
                     "'%s' needs an ecosystem { E0; E_max; eta_E; gamma_E } "
                     "block in the scenario's adoption",
                     f);
    double k = (op == L_R0_E0) ? m.kappa : ec_adoption_kappa_of_E(&m, m.E_max);
    out->num = ec_adoption_R0(&m, m.c_star, k);
  } else if ((op == L_SHARE) || (op == L_KAPPA_AT) || (op == L_R0_AT)) {
    double s, k, Q;
    st = ec_adoption_share(&m, &p, a[1].num, &s, &k, &err);
    if (st == EC_OK && (op == L_R0_AT))
      st = ec_path_Q(&p, a[1].num, &Q, &err);
    if (st == EC_OK)
      out->num = (op == L_SHARE)      ? s
                 : (op == L_KAPPA_AT) ? k
                                      : ec_adoption_R0(&m, ec_adoption_cost(&m, Q), k);
  } else {
    ec_crossings c;
    st = ec_adoption_crossings(&m, &p, horizon, &c, &err);
    if (st == EC_OK)
      out->num = (op == L_T_HARDWARE) ? c.T_hardware : (op == L_T_R0) ? c.T_R0 : c.lag;
  }
  if (st != EC_OK)
    return ev_block_fail(ev, e->span, a[0].decl, st, &err);
  return 1;
}

static int implied_R0_call(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const Value *t = &a[0], *s = &a[1];
  if (t->n != s->n)
    return ev_fail(ev, EV_INPUT, e->span, "implied_R0: %d dates but %d shares", t->n, s->n);
  double *r = arena_alloc(ev->ar, (size_t)(t->n + 1) * sizeof *r);
  ec_error err;
  ec_status st = ec_implied_R0(t->vec, s->vec, (size_t)t->n, a[2].num, r, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "implied_R0: %s", err.msg);
  out->type = T_VEC;
  out->vec = r;
  out->n = t->n - 1;
  return 1;
}

/* ---- dual convergence ------------------------------------------------------------------ */

static int scenario_progress(Eval *ev, Decl *scn, ec_progress *pr, double **buf, double *a_algo,
                             int need_algo, Span sp) {
  int pushed = ev_push_scenario(ev, scn), rc = -1;
  Decl *d = scenario_block(ev, scn, F_SCENARIO_progress, sp);
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
        ev_fail(ev, EV_INPUT, field_span(d, F_PROGRESS_events_date, sp),
                "progress '%s': event %d is dated %.6g years, before t0 = %.6g years; events "
                "before the game starts belong in Qbar",
                d->name, i + 1, dates.vec[i], t0);
        goto out;
      }
      if (i && dates.vec[i] < dates.vec[i - 1]) {
        ev_fail(ev, EV_INPUT, field_span(d, F_PROGRESS_events_date, sp),
                "progress '%s': event dates must be in order (event %d)", d->name, i + 1);
        goto out;
      }
      if (!(factors.vec[i] > 0 && factors.vec[i] <= 1)) {
        ev_fail(ev, EV_INPUT, field_span(d, F_PROGRESS_events_factor, sp),
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

static int dual_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, LayerOp op) {
  const char *f = e->fn->name;
  Decl *scn = a[0].decl;
  ec_game g;
  double x0, a_algo = 0, *buf = NULL;
  Threshold t;
  ec_progress pr;
  if (scenario_threshold(ev, scn, &g, &x0, &t, f, e->span))
    return -1;
  /* the gaps need no progress block; with one, the releases dated at t0 count, as in
   * Qbar_eff(s, 0) and T_star_dual */
  int gaps = (op == L_COORDINATION_GAP) || (op == L_PRODUCTION_GAP);
  memset(&pr, 0, sizeof pr);
  if ((!gaps || scenario_block_opt(scn, F_SCENARIO_progress)) &&
      scenario_progress(ev, scn, &pr, &buf, &a_algo, (op == L_ALPHA_EFF), e->span))
    return -1;
  ec_error err;
  if (op == L_T_STAR_DUAL) {
    if (a[1].sym != SYM_NASH && a[1].sym != SYM_COOP)
      return ev_fail(ev, EV_INPUT, e->args[1]->span, "expected a regime: nash or coop");
    ec_status st = ec_dual_T_star(&g, a[1].sym == SYM_NASH ? EC_NASH : EC_COOP, x0, t.Qbar, &pr,
                                  &out->num, &err);
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
    if (scenario_adoption(ev, scn, &m, &p, &horizon, e->span))
      return -1;
    double Qs = ec_adoption_Qbar_star(&m, m.kappa);
    out->num = (op == L_COORDINATION_GAP) ? ec_dual_Qbar_eff(&pr, t.Qbar, 0) - Qs : Qs - t.Q_now;
  }
  return 1;
}

/* ---- workloads ------------------------------------------------------------------------- */

static int workload_rho_K(Eval *ev, Decl *w, double *K, Span sp) {
  double rho, J;
  if (ev_field_num(ev, w, F_WORKLOAD_rho, &rho, sp, 1 | 2) < 0 ||
      ev_field_num(ev, w, F_WORKLOAD_J, &J, sp, 1) < 0)
    return -1;
  if (!(rho <= 1) || (isinf(rho) && rho > 0))
    return ev_fail(ev, EV_INPUT, field_span(w, F_WORKLOAD_rho, sp),
                   "workload '%s': rho = %g is outside its domain (-inf, 1] (sigma = 1/(1 - rho))",
                   w->name, rho);
  if (!(J >= 1) || J != floor(J) || !isfinite(J))
    return ev_fail(ev, EV_INPUT, sp, "workload '%s': J = %g must be a whole number >= 1", w->name,
                   J);
  *K = ec_curvature(rho, J);
  return 0;
}

static int workload_T(Eval *ev, Decl *w, double *T_dist, double *T_star, Dim *dim, Span sp) {
  Value a, b;
  int ha = ev_field_get(ev, w, F_WORKLOAD_T_dist, &a, sp),
      hb = ha > 0 ? ev_field_get(ev, w, F_WORKLOAD_T_star, &b, sp) : 0;
  if (ha < 0 || hb < 0)
    return -1;
  if (!ha || !hb)
    return ev_fail(ev, EV_INPUT, sp, "workload '%s' needs 'T_dist' and 'T_star'", w->name);
  if (isnan(a.num) || isnan(b.num) || a.num < 0 || b.num < 0)
    return ev_fail(ev, EV_NUMERIC, sp,
                   "workload '%s': T_dist = %g and T_star = %g must be non-negative numbers",
                   w->name, a.num, b.num);
  *T_dist = a.num;
  *T_star = b.num;
  if (dim)
    *dim = a.dim;
  return 0;
}

typedef struct {
  Eval *ev;
  Decl *w;
  IrExpr *point;
  Span sp;
} QArgs;

static double friction_gap(double Q, void *ctx, int *failed) {
  QArgs *qa = ctx;
  qa->point->num = Q;
  double Td = 0, Ts = 0;
  if (workload_T(qa->ev, qa->w, &Td, &Ts, NULL, qa->sp)) {
    *failed = 1;
    return 0;
  }
  return Td - Ts;
}

static int workload_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, LayerOp op) {
  const char *f = e->fn->name;
  Decl *w = a[0].decl;
  double K, Td, Ts;
  Dim tdim;
  if (op == L_K)
    return workload_rho_K(ev, w, &out->num, e->span) ? -1 : 1;
  if ((op == L_K_EFF) || (op == L_S_T_CURVATURE)) {
    if (workload_rho_K(ev, w, &K, e->span) || workload_T(ev, w, &Td, &Ts, &tdim, e->span))
      return -1;
    if (!dim_eq(a[1].dim, tdim)) {
      char u1[64], u2[64];
      dim_format(a[1].dim, u1, sizeof u1);
      dim_format(tdim, u2, sizeof u2);
      return ev_fail(ev, EV_INPUT, e->args[1]->span,
                     "unit mismatch: the friction is in %s but workload '%s' measures T in %s",
                     u1[0] ? u1 : "no unit", w->name, u2[0] ? u2 : "no unit");
    }
    if (op == L_K_EFF)
      out->num = ec_curvature_eff(K, a[1].num, Ts);
    else {
      if (!isfinite(K) || !(Ts > 0))
        return ev_fail(ev, EV_NUMERIC, e->span,
                       "workload '%s': S_T from curvature needs a finite K and T_star > 0 (K = %g, "
                       "T_star = %g); give training a finite rho",
                       w->name, K, Ts);
      out->num = K * (Td - a[1].num) / Ts;
    }
    if (isnan(out->num))
      return ev_fail(ev, EV_NUMERIC, e->span, "workload '%s': %s is not a number (K = %g)", w->name,
                     f, K);
    return 1;
  }
  if (op == L_DISTRIBUTABLE) {
    if (workload_T(ev, w, &Td, &Ts, NULL, e->span))
      return -1;
    out->num = Td < Ts;
    return 1;
  }
  /* Q_star: vary the workload's Q as a sweep would, and find where T_dist meets T_star */
  double Q0;
  if (ev_field_num(ev, w, F_WORKLOAD_Q, &Q0, e->span, 1) < 0)
    return -1;
  Field *fq = decl_field_id(w, F_WORKLOAD_Q);
  IrExpr point = {0};
  point.op = IR_NUM;
  point.type = T_NUM;
  point.dim = fq && fq->ir ? fq->ir->dim : DIM_NONE;
  Override o = {w, F_WORKLOAD_Q, "Q", &point, e->span};
  if (ev->nsweep >= 64)
    return ev_fail(ev, EV_INPUT, e->span, "sweeps and searches nest deeper than 64");
  ev->sweep[ev->nsweep++] = &o;
  QArgs qa = {ev, w, &point, e->span};
  ec_error err;
  ec_status st = ec_root_geometric(friction_gap, &qa, Q0, 1e300, &out->num, &err);
  ev->nsweep--;
  if (ev->status)
    return -1;
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "workload '%s': %s", w->name, err.msg);
  return 1;
}

static int implied_R0_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return implied_R0_call(ev, e, a, out) < 0 ? -1 : 0;
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

/* One function a row: its family's function with the row's operation (1 done, -1 failed, as
 * 0 or -1). */
#define LAYER_FN(name, op_id, call)                                                                \
  static int name##_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                    \
    LayerOp op = op_id;                                                                            \
    return (call) < 0 ? -1 : 0;                                                                    \
  }
LAYER_FN(leader_output, L_LEADER_OUTPUT, asym_call(ev, e, a[0].decl, out, op))
LAYER_FN(rival_output, L_RIVAL_OUTPUT, asym_call(ev, e, a[0].decl, out, op))
LAYER_FN(asym_output, L_ASYM_OUTPUT, asym_call(ev, e, a[0].decl, out, op))
LAYER_FN(asym_crossing_time, L_ASYM_CROSSING_TIME, asym_call(ev, e, a[0].decl, out, op))
LAYER_FN(leader_value, L_LEADER_VALUE, asym_call(ev, e, a[0].decl, out, op))
LAYER_FN(rival_value, L_RIVAL_VALUE, asym_call(ev, e, a[0].decl, out, op))
LAYER_FN(crossing_time_capacity, L_CROSSING_TIME_CAPACITY, capacity_call(ev, e, a[0].decl, out, op))
LAYER_FN(crossing_delay, L_CROSSING_DELAY, capacity_call(ev, e, a[0].decl, out, op))
LAYER_FN(tp_output, L_TP_OUTPUT, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_Q_ratio, L_TP_Q_RATIO, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_Q_ratio_printed, L_TP_Q_RATIO_PRINTED, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_Q_ratio_approx, L_TP_Q_RATIO_APPROX, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_crosses, L_TP_CROSSES, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_profit, L_TP_PROFIT, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_delta_CS, L_TP_DELTA_CS, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_delta_W, L_TP_DELTA_W, two_period_call(ev, e, a, out, op))
LAYER_FN(tp_equilibria, L_TP_EQUILIBRIA, two_period_call(ev, e, a, out, op))
LAYER_FN(R0_parity, L_R0_PARITY, adoption_call(ev, e, a, out, op))
LAYER_FN(R0_at, L_R0_AT, adoption_call(ev, e, a, out, op))
LAYER_FN(R0_E0, L_R0_E0, adoption_call(ev, e, a, out, op))
LAYER_FN(R0_Emax, L_R0_EMAX, adoption_call(ev, e, a, out, op))
LAYER_FN(Qbar, L_QBAR, adoption_call(ev, e, a, out, op))
LAYER_FN(Qbar_star, L_QBAR_STAR, adoption_call(ev, e, a, out, op))
LAYER_FN(T_hardware, L_T_HARDWARE, adoption_call(ev, e, a, out, op))
LAYER_FN(T_R0, L_T_R0, adoption_call(ev, e, a, out, op))
LAYER_FN(lag, L_LAG, adoption_call(ev, e, a, out, op))
LAYER_FN(share, L_SHARE, adoption_call(ev, e, a, out, op))
LAYER_FN(kappa_at, L_KAPPA_AT, adoption_call(ev, e, a, out, op))
LAYER_FN(T_star_dual, L_T_STAR_DUAL, dual_call(ev, e, a, out, op))
LAYER_FN(alpha_eff, L_ALPHA_EFF, dual_call(ev, e, a, out, op))
LAYER_FN(Qbar_eff, L_QBAR_EFF, dual_call(ev, e, a, out, op))
LAYER_FN(coordination_gap, L_COORDINATION_GAP, dual_call(ev, e, a, out, op))
LAYER_FN(production_gap, L_PRODUCTION_GAP, dual_call(ev, e, a, out, op))
LAYER_FN(K, L_K, workload_call(ev, e, a, out, op))
LAYER_FN(K_eff, L_K_EFF, workload_call(ev, e, a, out, op))
LAYER_FN(distributable, L_DISTRIBUTABLE, workload_call(ev, e, a, out, op))
LAYER_FN(Q_star, L_Q_STAR, workload_call(ev, e, a, out, op))
LAYER_FN(S_T_curvature, L_S_T_CURVATURE, workload_call(ev, e, a, out, op))

static const Builtin layer_rows[] = {
    {"leader_output",
     1,
     {T_SCENARIO},
     "leader_output(scenario): output of the firm with advantage (market.asymmetric) at x0",
     T_NUM,
     RD_NONE,
     leader_output_fn},
    {"rival_output",
     1,
     {T_SCENARIO},
     "rival_output(scenario): output of each of the N-1 rivals at x0",
     T_NUM,
     RD_NONE,
     rival_output_fn},
    {"asym_output",
     1,
     {T_SCENARIO},
     "asym_output(scenario): aggregate output of the asymmetric game at x0",
     T_NUM,
     RD_NONE,
     asym_output_fn},
    {"asym_crossing_time",
     1,
     {T_SCENARIO},
     "asym_crossing_time(scenario): T* of the asymmetric game",
     T_NUM,
     RD_TIME,
     asym_crossing_time_fn},
    {"leader_value",
     1,
     {T_SCENARIO},
     "leader_value(scenario): value V_j(x0) of the advantaged firm",
     T_NUM,
     RD_NONE,
     leader_value_fn},
    {"rival_value",
     1,
     {T_SCENARIO},
     "rival_value(scenario): value V(x0) of a rival",
     T_NUM,
     RD_NONE,
     rival_value_fn},
    {"crossing_time_capacity",
     1,
     {T_SCENARIO},
     "crossing_time_capacity(scenario): Nash T* under market.capacity",
     T_NUM,
     RD_TIME,
     crossing_time_capacity_fn},
    {"crossing_delay",
     1,
     {T_SCENARIO},
     "crossing_delay(scenario): T* with capacity minus T* without (<= lag)",
     T_NUM,
     RD_TIME,
     crossing_delay_fn},
    {"tp_output",
     2,
     {T_SCENARIO, T_SYMBOL},
     "tp_output(scenario, nash|coop): two-period industry output Q1",
     T_NUM,
     RD_NONE,
     tp_output_fn},
    {"tp_Q_ratio",
     1,
     {T_SCENARIO},
     "tp_Q_ratio(scenario): two-period Q^N/Q^C (cartel benchmark)",
     T_NUM,
     RD_NONE,
     tp_Q_ratio_fn},
    {"tp_Q_ratio_printed",
     1,
     {T_SCENARIO},
     "tp_Q_ratio_printed(scenario): eq. 61 over eq. 62 as printed",
     T_NUM,
     RD_NONE,
     tp_Q_ratio_printed_fn},
    {"tp_Q_ratio_approx",
     1,
     {T_SCENARIO},
     "tp_Q_ratio_approx(scenario): eq. 63 as printed",
     T_NUM,
     RD_NONE,
     tp_Q_ratio_approx_fn},
    {"tp_crosses",
     2,
     {T_SCENARIO, T_SYMBOL},
     "tp_crosses(scenario, nash|coop): Q1 >= Qbar",
     T_BOOL,
     RD_NONE,
     tp_crosses_fn},
    {"tp_profit",
     2,
     {T_SCENARIO, T_SYMBOL},
     "tp_profit(scenario, nash|coop): per-firm two-period payoff",
     T_NUM,
     RD_NONE,
     tp_profit_fn},
    {"tp_delta_CS",
     1,
     {T_SCENARIO},
     "tp_delta_CS(scenario): consumer-surplus gain, eq. 64",
     T_NUM,
     RD_NONE,
     tp_delta_CS_fn},
    {"tp_delta_W",
     1,
     {T_SCENARIO},
     "tp_delta_W(scenario): welfare change, eq. 65",
     T_NUM,
     RD_NONE,
     tp_delta_W_fn},
    {"tp_equilibria",
     1,
     {T_SCENARIO},
     "tp_equilibria(scenario): symmetric Nash equilibria of the two-period game (1 or 2; "
     "with 2, tp_output reports the one the firms prefer)",
     T_NUM,
     RD_NONE,
     tp_equilibria_fn},
    {"R0_parity",
     1,
     {T_SCENARIO},
     "R0_parity(scenario): R0 at cost parity, lambda gamma/(kappa+mu) (eq. 19)",
     T_NUM,
     RD_NONE,
     R0_parity_fn},
    {"R0_at",
     2,
     {T_SCENARIO, T_ERROR},
     "R0_at(scenario, t): R0 along the equilibrium path at time t",
     T_NUM,
     RD_NONE,
     R0_at_fn},
    {"R0_E0",
     1,
     {T_SCENARIO},
     "R0_E0(scenario): R0 at parity with kappa(E0)",
     T_NUM,
     RD_NONE,
     R0_E0_fn},
    {"R0_Emax",
     1,
     {T_SCENARIO},
     "R0_Emax(scenario): R0 at parity with kappa(E_max) (eq. 71)",
     T_NUM,
     RD_NONE,
     R0_Emax_fn},
    {"Qbar",
     1,
     {T_SCENARIO},
     "Qbar(scenario): cumulative output at cost parity, Q_now + x0",
     T_NUM,
     RD_NONE,
     Qbar_fn},
    {"Qbar_star",
     1,
     {T_SCENARIO},
     "Qbar_star(scenario): self-sustaining threshold Qbar* (eq. 23)",
     T_NUM,
     RD_NONE,
     Qbar_star_fn},
    {"T_hardware",
     1,
     {T_SCENARIO},
     "T_hardware(scenario): date of cost parity on the Nash path",
     T_NUM,
     RD_TIME,
     T_hardware_fn},
    {"T_R0",
     1,
     {T_SCENARIO},
     "T_R0(scenario): first date with R0 >= 1 on the Nash path",
     T_NUM,
     RD_TIME,
     T_R0_fn},
    {"lag",
     1,
     {T_SCENARIO},
     "lag(scenario): coordination lag T_R0 - T_hardware",
     T_NUM,
     RD_TIME,
     lag_fn},
    {"share",
     2,
     {T_SCENARIO, T_ERROR},
     "share(scenario, t): distributed share s(t) from eq. 15",
     T_NUM,
     RD_NONE,
     share_fn},
    {"kappa_at",
     2,
     {T_SCENARIO, T_ERROR},
     "kappa_at(scenario, t): coordination friction at time t",
     T_NUM,
     RD_RATE,
     kappa_at_fn},
    {"implied_R0",
     3,
     {T_VEC, T_VEC, T_ERROR},
     "implied_R0(dates, shares, delta): 003 eq. 17 by forward differences",
     T_VEC,
     RD_NONE,
     implied_R0_builtin},
    {"T_star_dual",
     2,
     {T_SCENARIO, T_SYMBOL},
     "T_star_dual(scenario, nash|coop): T* with algorithmic progress",
     T_NUM,
     RD_TIME,
     T_star_dual_fn},
    {"alpha_eff",
     1,
     {T_SCENARIO},
     "alpha_eff(scenario): alpha_hw + alpha_algo (eq. 25)",
     T_NUM,
     RD_NONE,
     alpha_eff_fn},
    {"Qbar_eff",
     2,
     {T_SCENARIO, T_ERROR},
     "Qbar_eff(scenario, t): effective threshold at time t",
     T_NUM,
     RD_NONE,
     Qbar_eff_fn},
    {"coordination_gap",
     1,
     {T_SCENARIO},
     "coordination_gap(scenario): Qbar_eff - Qbar* at t0 (001 C.1)",
     T_NUM,
     RD_NONE,
     coordination_gap_fn},
    {"production_gap",
     1,
     {T_SCENARIO},
     "production_gap(scenario): Qbar* - Q_now at t0 (001 C.1)",
     T_NUM,
     RD_NONE,
     production_gap_fn},
    {"T_dual_eq26",
     3,
     {T_ERROR, T_ERROR, T_ERROR},
     "T_dual_eq26(T_hw, T_algo, T_indep): eq. 26 as printed",
     T_NUM,
     RD_ARG0,
     eq26_builtin},
    {"K", 1, {T_WORKLOAD}, "K(workload): CES curvature (1 - rho)(J - 1)/J", T_NUM, RD_NONE, K_fn},
    {"K_eff",
     2,
     {T_WORKLOAD, T_ERROR},
     "K_eff(workload, T): K (1 - T/T_star)^+ (eq. 1)",
     T_NUM,
     RD_NONE,
     K_eff_fn},
    {"distributable",
     1,
     {T_WORKLOAD},
     "distributable(workload): T_dist < T_star at the workload's Q",
     T_BOOL,
     RD_NONE,
     distributable_fn},
    {"Q_star",
     1,
     {T_WORKLOAD},
     "Q_star(workload): Q at which T_dist(Q) = T_star (Theorem 6; inf: never)",
     T_NUM,
     RD_WORKLOAD_Q,
     Q_star_fn},
    {"S_T_curvature",
     2,
     {T_WORKLOAD, T_ERROR},
     "S_T_curvature(workload, T_cent): K (T_dist - T_cent)/T_star (eq. 10)",
     T_NUM,
     RD_NONE,
     S_T_curvature_fn},
};
BUILTIN_FAMILY(builtins_layers, "layers", layer_rows);
