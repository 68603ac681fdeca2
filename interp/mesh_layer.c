/* Builtins of the mesh layer (004 §5.5-§5.6, §9-§11): a `mesh` block's fields, read through
 * the override stacks (so --set and sweeps apply), handed to the numeric core
 * (interp/core/mesh.c, network.c). Each random part (network, diffusion start, agents) has its
 * own stream, seeded by the run's seed and the mesh's name. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "uncertain.h"
#include "unit_rules.h"

static int mesh_fail(Eval *ev, Span sp, const Decl *d, ec_status st, const ec_error *err) {
  return ev_core_fail(ev, sp, st, "mesh '%s': %s", d->name, err->msg);
}

static int mesh_check(Eval *ev, Span sp, const Decl *d, ec_status st, const ec_error *err) {
  return st == EC_OK ? 0 : mesh_fail(ev, sp, d, st, err);
}

/* Each row of the family names its operation by an id; the functions below switch on it. */
typedef enum {
  M_R0_MESH,
  M_S_INF,
  M_S_INF_NEAR,
  M_DIVERSITY_PREMIUM,
  M_C_MESH,
  M_C_CENT,
  M_N_STAR,
  M_POTTS_K_C,
  M_POTTS_JUMP,
  M_POTTS_ORDER,
  M_MEAN_DEGREE,
  M_DEGREE_K2,
  M_EPIDEMIC_THRESHOLD,
  M_COMPONENTS,
  M_GIANT_MEASURED,
  M_GIANT_MEAN_FIELD,
  M_TOP_SHARE,
  M_LAMBDA2,
  M_DISAGREEMENT,
  M_DECAY_RATE,
  M_SETTLEMENT_REQUIRED,
  M_SETTLEMENT_BINDS,
  M_SPECIALIZATION_INDEX,
  M_SHARE_SPECIALIZED,
  M_DOMINANT_TASK,
  M_TASKS_COVERED
} MeshOp;

static int R0_mesh(Eval *ev, Decl *d, double *R0, double *per_node, Span sp) {
  double N, beta, v, D;
  if (ev_param(ev, d, F_MESH_N, &N, sp) || ev_param(ev, d, F_MESH_beta, &beta, sp) ||
      ev_param(ev, d, F_MESH_v, &v, sp) || ev_param(ev, d, F_MESH_D, &D, sp))
    return -1;
  if (!(N >= 0) || !(beta >= 0) || !(v >= 0) || !(D > 0) || !isfinite(N * beta * v / D))
    return ev_fail(ev, EV_INPUT, sp,
                   "mesh '%s': R0_mesh = N beta v / D needs N, beta, v >= 0 and D > 0 (N = %g, "
                   "beta = %g, v = %g, D = %g)",
                   d->name, N, beta, v, D);
  *R0 = N * beta * v / D;
  if (per_node)
    *per_node = beta * v / D;
  return 0;
}

static int premium(Eval *ev, Decl *d, double *p, Span sp) {
  double J, rho;
  if (ev_param(ev, d, F_MESH_J, &J, sp) || ev_param(ev, d, F_MESH_rho, &rho, sp))
    return -1;
  ec_error err;
  if (J != floor(J))
    return ev_fail(ev, EV_INPUT, sp, "mesh '%s': J = %g task types must be a whole number", d->name,
                   J);
  ec_status st = ec_diversity_premium(J, rho, p, &err);
  if (st)
    return ev_core_fail(ev, sp, st, "mesh '%s': %s", d->name, err.msg);
  return 0;
}

static int positive(Eval *ev, Decl *d, FieldId id, double *v, Span sp) {
  if (ev_param(ev, d, id, v, sp))
    return -1;
  if (!(*v > 0) || !isfinite(*v))
    return ev_fail(ev, EV_INPUT, sp, "mesh '%s': %s = %g must be positive", d->name,
                   field_spec_id(id)->path, *v);
  return 0;
}

static int potts(Eval *ev, Decl *d, double *q, Span sp) {
  double J = NAN;
  if (ev_field_num(ev, d, F_MESH_J, &J, sp, 0) < 0)
    return -1;
  if (ev_param_or(ev, d, F_MESH_potts_q, q, J, sp))
    return -1;
  return 0;
}

/* ---- networks -------------------------------------------------------------------------- */

static int mesh_graph(Eval *ev, Decl *d, Span sp, ec_graph *g, ec_eigen_method *eigen) {
  int model;
  if (ev_sym(ev, d, F_MESH_network_model, -1, &model, sp))
    return -1;
  if (model < 0)
    return ev_fail(ev, EV_INPUT, sp,
                   "mesh '%s' declares no network: add network { model = erdos_renyi | "
                   "barabasi_albert | bianconi_barabasi; nodes = N; ... }",
                   d->name);
  ec_net_spec s = {0};
  s.max_edges = (size_t)ev->opt.max_network_edges;
  if (ev_count(ev, d, F_MESH_network_nodes, &s.n, sp))
    return -1;
  ec_dist fit;
  if (model == SYM_ERDOS_RENYI) {
    s.model = EC_NET_ER;
    if (ev_param(ev, d, F_MESH_network_mean_degree, &s.mean_degree, sp))
      return -1;
  } else {
    s.model = model == SYM_BARABASI_ALBERT ? EC_NET_BA : EC_NET_BB;
    if (ev_count(ev, d, F_MESH_network_links, &s.links, sp))
      return -1;
    if (model == SYM_BIANCONI_BARABASI) {
      Field *f = decl_field_id(d, F_MESH_network_fitness);
      char ctx[200];
      snprintf(ctx, sizeof ctx, "mesh '%s': network.fitness", d->name);
      if (!f || !f->ir || ev_dist(ev, f->ir, ctx, &fit))
        return f ? -1 : ev_fail(ev, EV_INPUT, sp, "%s is missing", ctx);
      if (fit.kind == EC_DIST_EMPIRICAL)
        return ev_fail(ev, EV_INPUT, f->ir->span,
                       "%s: give a parametric distribution (uniform, beta, lognormal, ...)", ctx);
      s.fitness = &fit;
    }
  }
  if (eigen) {
    int e;
    if (ev_sym(ev, d, F_MESH_network_eigen, SYM_AUTO, &e, sp))
      return -1;
    *eigen = e == SYM_DENSE ? EC_EIGEN_DENSE : e == SYM_SPARSE ? EC_EIGEN_SPARSE : EC_EIGEN_AUTO;
  }
  char name[300];
  snprintf(name, sizeof name, "%s.network", d->name);
  ec_error err;
  ec_status st = ec_graph_generate(&s, ev_stream_seed(ev->seed, name), g, &err);
  if (st)
    return ev_core_fail(ev, sp, st, "mesh '%s': %s", d->name, err.msg);
  return 0;
}

int ev_mesh_diffusion(Eval *ev, Decl *d, double t, double *dis, double *rate, Span sp) {
  ec_graph g;
  ec_eigen_method eigen;
  if (mesh_graph(ev, d, sp, &g, &eigen))
    return -1;
  /* explicit steps scale with the largest degree */
  double kmax = 0;
  for (size_t i = 0; i < g.n; i++)
    kmax = fmax(kmax, (double)(g.off[i + 1] - g.off[i]));
  double work = (double)g.n * (1 + 2 * kmax * t);
  if (work > ev->opt.max_mesh_work) {
    size_t n = g.n; /* before the graph is freed (it zeroes n) */
    ec_graph_free(&g);
    return ev_fail(ev, EV_INPUT, sp,
                   "mesh '%s': diffusion to t = %g on %zu nodes (largest degree %g) takes about "
                   "%.3g node-steps, over the limit of %g",
                   d->name, t, n, kmax, work, ev->opt.max_mesh_work);
  }
  char name[300];
  snprintf(name, sizeof name, "%s.diffusion", d->name);
  ec_error err;
  ec_status st = ec_diffusion(&g, ev_stream_seed(ev->seed, name), t, dis, rate, &err);
  ec_graph_free(&g);
  return st != EC_OK ? mesh_fail(ev, sp, d, st, &err) : 0;
}

static int network_op(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out, MeshOp op) {
  const char *f = e->fn->name;
  Span sp = e->span;
  if (op == M_TOP_SHARE && (!(a[1].num >= 1) || a[1].num != floor(a[1].num) || !isfinite(a[1].num)))
    return ev_fail(ev, EV_INPUT, e->args[1]->span,
                   "top_share(mesh, n): n = %g must be a whole number >= 1", a[1].num);
  if ((op == M_DISAGREEMENT || op == M_DECAY_RATE) && (!(a[1].num >= 0) || !isfinite(a[1].num)))
    return ev_fail(ev, EV_INPUT, e->args[1]->span, "%s(mesh, t): t = %g must be finite and >= 0", f,
                   a[1].num);
  if (op == M_DISAGREEMENT || op == M_DECAY_RATE) {
    double dis, rate;
    if (ev_mesh_diffusion(ev, d, a[1].num, &dis, &rate, sp))
      return -1;
    out->num = op == M_DISAGREEMENT ? dis : rate;
    return 0;
  }
  ec_graph g;
  ec_eigen_method eigen;
  if (mesh_graph(ev, d, sp, &g, &eigen))
    return -1;
  ec_error err;
  ec_status st = EC_OK;
  double k1, k2;
  size_t big;
  out->num = NAN;
  if (op == M_MEAN_DEGREE || op == M_DEGREE_K2 || op == M_EPIDEMIC_THRESHOLD) {
    ec_graph_moments(&g, &k1, &k2);
    out->num = op == M_MEAN_DEGREE ? k1 : op == M_DEGREE_K2 ? k2 : k1 / k2;
    if (isnan(out->num))
      snprintf(err.msg, sizeof err.msg, "the network has no links, so <k>/<k^2> is undefined"),
          st = EC_EDOM;
  } else if (op == M_COMPONENTS)
    out->num = (double)ec_graph_components(&g, NULL);
  else if (op == M_GIANT_MEASURED) {
    ec_graph_components(&g, &big);
    out->num = (double)big / (double)g.n;
  } else if (op == M_GIANT_MEAN_FIELD)
    st = ec_graph_giant_mean_field(&g, &out->num, &err);
  else if (op == M_TOP_SHARE)
    out->num = ec_graph_top_share(&g, (size_t)fmin(a[1].num, (double)g.n));
  else if (op == M_LAMBDA2)
    st = ec_fiedler(&g, eigen, &out->num, &err);
  ec_graph_free(&g);
  if (st != EC_OK)
    return mesh_fail(ev, sp, d, st, &err);
  return 0;
}

/* ---- settlement ------------------------------------------------------------------------ */

static int settlement(Eval *ev, Decl *d, double *required, double *capacity, Span sp) {
  double N, k, rate;
  if (ev_param(ev, d, F_MESH_N, &N, sp) ||
      ev_param(ev, d, F_MESH_settlement_query_rate, &rate, sp) ||
      ev_param(ev, d, F_MESH_settlement_capacity, capacity, sp))
    return -1;
  int hk = ev_field_num(ev, d, F_MESH_settlement_degree, &k, sp, 0);
  if (hk < 0)
    return -1;
  if (!hk) { /* the network's mean degree */
    ec_graph g;
    if (!decl_field_id(d, F_MESH_network_model))
      return ev_fail(ev, EV_INPUT, sp,
                     "mesh '%s': the settlement layer needs settlement.degree or a network",
                     d->name);
    if (mesh_graph(ev, d, sp, &g, NULL))
      return -1;
    double k2;
    ec_graph_moments(&g, &k, &k2);
    ec_graph_free(&g);
  }
  if (!(N >= 0) || !(k >= 0) || !(rate >= 0) || !(*capacity >= 0))
    return ev_fail(ev, EV_INPUT, sp,
                   "mesh '%s': the settlement layer needs N, <k>, the query rate and the "
                   "capacity >= 0 (N = %g, <k> = %g, rate = %g, capacity = %g)",
                   d->name, N, k, rate, *capacity);
  *required = N * k * rate;
  return 0;
}

/* ---- specialization -------------------------------------------------------------------- */

typedef struct {
  ec_threshold_model m;
  size_t record_every, nrecord;
} SpecRun;

static int spec_model(Eval *ev, Decl *d, SpecRun *r, Span sp) {
  ec_threshold_model *m = &r->m;
  double J = NAN;
  if (!decl_field_id(d, F_MESH_specialization_agents))
    return ev_fail(ev, EV_INPUT, sp,
                   "mesh '%s' declares no specialization { agents; steps; xi; phi; theta_min; "
                   "theta_max; delta; work; quit }",
                   d->name);
  if (ev_field_num(ev, d, F_MESH_J, &J, sp, 0) < 0)
    return -1;
  if (ev_count(ev, d, F_MESH_specialization_agents, &m->agents, sp) ||
      ev_count_or(ev, d, F_MESH_specialization_tasks, &m->tasks, J, sp) ||
      ev_count(ev, d, F_MESH_specialization_steps, &m->steps, sp) ||
      ev_param(ev, d, F_MESH_specialization_n, &m->n, sp) ||
      ev_param(ev, d, F_MESH_specialization_xi, &m->xi, sp) ||
      ev_param(ev, d, F_MESH_specialization_phi, &m->phi, sp) ||
      ev_param(ev, d, F_MESH_specialization_theta_min, &m->theta_min, sp) ||
      ev_param(ev, d, F_MESH_specialization_theta_max, &m->theta_max, sp) ||
      ev_param_or(ev, d, F_MESH_specialization_theta0_lo, &m->theta0_lo, m->theta_min, sp) ||
      ev_param_or(ev, d, F_MESH_specialization_theta0_hi, &m->theta0_hi, m->theta_max, sp) ||
      ev_param(ev, d, F_MESH_specialization_s0, &m->s0, sp) ||
      ev_param(ev, d, F_MESH_specialization_delta, &m->delta, sp) ||
      ev_param(ev, d, F_MESH_specialization_work, &m->work, sp) ||
      ev_param(ev, d, F_MESH_specialization_quit, &m->quit, sp) ||
      ev_param(ev, d, F_MESH_specialization_specialized_at, &m->specialized_at, sp))
    return -1;
  double every = m->steps >= 20 ? floor((double)m->steps / 20) : 1;
  if (ev_count_or(ev, d, F_MESH_specialization_record_every, &r->record_every, every, sp))
    return -1;
  r->nrecord = m->steps / r->record_every + 1;
  if ((double)m->agents * (double)m->steps * (double)m->tasks > ev->opt.max_mesh_work)
    return ev_fail(ev, EV_INPUT, sp,
                   "mesh '%s': the threshold model of %zu agents, %zu tasks and %zu steps is over "
                   "the limit of %g agent-task-steps",
                   d->name, m->agents, m->tasks, m->steps, ev->opt.max_mesh_work);
  return 0;
}

static int specialization_op(Eval *ev, const IrExpr *e, Decl *d, Value *out, MeshOp op) {
  SpecRun r;
  if (spec_model(ev, d, &r, e->span))
    return -1;
  int *dom = arena_alloc(ev->ar, r.m.agents * sizeof *dom);
  double *index = arena_alloc(ev->ar, r.nrecord * sizeof *index), share;
  size_t covered;
  char name[300];
  snprintf(name, sizeof name, "%s.specialization", d->name);
  ec_error err;
  ec_status st = ec_specialize(&r.m, ev_stream_seed(ev->seed, name), r.record_every, dom, index,
                               r.nrecord, &share, &covered, &err);
  if (st)
    return ev_core_fail(ev, e->span, st, "mesh '%s': %s", d->name, err.msg);
  if (op == M_SPECIALIZATION_INDEX) {
    out->type = T_VEC;
    out->vec = index;
    out->n = (int)r.nrecord;
  } else if (op == M_DOMINANT_TASK) {
    double *v = arena_alloc(ev->ar, r.m.agents * sizeof *v);
    for (size_t i = 0; i < r.m.agents; i++)
      v[i] = dom[i] + 1;
    out->type = T_VEC;
    out->vec = v;
    out->n = (int)r.m.agents;
  } else
    out->num = op == M_SHARE_SPECIALIZED ? share : (double)covered;
  return 0;
}

/* ---- the family's functions ------------------------------------------------------------ */

static int giant_component_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_error err;
  ec_status st = ec_giant_component(a[0].num, &out->num, &err);
  return st ? ev_core_fail(ev, e->span, st, "giant_component: %s", err.msg) : 0;
}

static int C_eff_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  ec_error err;
  ec_status st = ec_ces_aggregate(a[0].vec, (size_t)a[0].n, a[1].num, &out->num, &err);
  return st ? ev_core_fail(ev, e->span, st, "C_eff: %s", err.msg) : 0;
}

/* The functions of a mesh block: its first argument. */
static int mesh_op(Eval *ev, const IrExpr *e, const Value *a, Value *out, MeshOp op) {
  Span sp = e->span;
  ec_error err;
  Decl *d = a[0].decl;
  double R0, r, p, q, x, y;
  switch (op) {
  case M_R0_MESH:
    return R0_mesh(ev, d, &out->num, NULL, sp);
  case M_S_INF:
  case M_S_INF_NEAR:
    if (R0_mesh(ev, d, &R0, NULL, sp))
      return -1;
    if (op == M_S_INF_NEAR) { /* an expansion above the threshold; below it S_inf = 0 */
      out->num = R0 > 1 ? ec_giant_component_near(R0) : 0;
      return 0;
    }
    return mesh_check(ev, sp, d, ec_giant_component(R0, &out->num, &err), &err);
  case M_DIVERSITY_PREMIUM:
    return premium(ev, d, &out->num, sp);
  case M_C_MESH: {
    if (premium(ev, d, &p, sp) || R0_mesh(ev, d, &R0, NULL, sp) ||
        positive(ev, d, F_MESH_c_bar, &x, sp) || ev_param(ev, d, F_MESH_N, &y, sp))
      return -1;
    double S;
    ec_status st = ec_giant_component(R0, &S, &err);
    if (st)
      return mesh_fail(ev, sp, d, st, &err);
    out->num = p * S * y * x;
    return 0;
  }
  case M_C_CENT:
    if (premium(ev, d, &p, sp) || positive(ev, d, F_MESH_M, &x, sp) ||
        positive(ev, d, F_MESH_c_cent, &y, sp))
      return -1;
    out->num = p * x * y;
    return 0;
  case M_N_STAR:
    if (R0_mesh(ev, d, &R0, &r, sp) || positive(ev, d, F_MESH_c_bar, &p, sp) ||
        positive(ev, d, F_MESH_M, &x, sp) || positive(ev, d, F_MESH_c_cent, &y, sp))
      return -1;
    return mesh_check(ev, sp, d, ec_critical_mass(r, p, x * y, &out->num, &err), &err);
  case M_POTTS_K_C:
  case M_POTTS_JUMP:
  case M_POTTS_ORDER: {
    if (potts(ev, d, &q, sp))
      return -1;
    if (isnan(q))
      return ev_fail(ev, EV_INPUT, sp, "mesh '%s': the Potts model needs potts.q (or J)", d->name);
    if (op == M_POTTS_ORDER) {
      double K;
      if (ev_param(ev, d, F_MESH_potts_K, &K, sp))
        return -1;
      return mesh_check(ev, sp, d, ec_potts_order(q, K, &out->num, &err), &err);
    }
    ec_status st = ec_potts_transition(q, &x, &y, &err);
    if (st)
      return mesh_fail(ev, sp, d, st, &err);
    out->num = op == M_POTTS_K_C ? x : y;
    return 0;
  }
  case M_SETTLEMENT_REQUIRED:
  case M_SETTLEMENT_BINDS:
    if (settlement(ev, d, &x, &y, sp))
      return -1;
    out->num = op == M_SETTLEMENT_REQUIRED ? x : x > y;
    return 0;
  case M_SPECIALIZATION_INDEX:
  case M_SHARE_SPECIALIZED:
  case M_DOMINANT_TASK:
  case M_TASKS_COVERED:
    return specialization_op(ev, e, d, out, op);
  default:
    return network_op(ev, e, d, a, out, op);
  }
}

#define MESH_FN(name, op)                                                                          \
  static int name##_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                    \
    return mesh_op(ev, e, a, out, op);                                                             \
  }
MESH_FN(R0_mesh, M_R0_MESH)
MESH_FN(S_inf, M_S_INF)
MESH_FN(S_inf_near, M_S_INF_NEAR)
MESH_FN(diversity_premium, M_DIVERSITY_PREMIUM)
MESH_FN(C_mesh, M_C_MESH)
MESH_FN(C_cent, M_C_CENT)
MESH_FN(N_star, M_N_STAR)
MESH_FN(potts_K_c, M_POTTS_K_C)
MESH_FN(potts_jump, M_POTTS_JUMP)
MESH_FN(potts_order, M_POTTS_ORDER)
MESH_FN(mean_degree, M_MEAN_DEGREE)
MESH_FN(degree_k2, M_DEGREE_K2)
MESH_FN(epidemic_threshold, M_EPIDEMIC_THRESHOLD)
MESH_FN(components, M_COMPONENTS)
MESH_FN(giant_measured, M_GIANT_MEASURED)
MESH_FN(giant_mean_field, M_GIANT_MEAN_FIELD)
MESH_FN(top_share, M_TOP_SHARE)
MESH_FN(lambda2, M_LAMBDA2)
MESH_FN(disagreement, M_DISAGREEMENT)
MESH_FN(decay_rate, M_DECAY_RATE)
MESH_FN(settlement_required, M_SETTLEMENT_REQUIRED)
MESH_FN(settlement_binds, M_SETTLEMENT_BINDS)
MESH_FN(specialization_index, M_SPECIALIZATION_INDEX)
MESH_FN(share_specialized, M_SHARE_SPECIALIZED)
MESH_FN(dominant_task, M_DOMINANT_TASK)
MESH_FN(tasks_covered, M_TASKS_COVERED)

static const Builtin mesh_rows[] = {
    {"R0_mesh",
     1,
     {T_MESH},
     "R0_mesh(mesh): N beta v / D (§5.5)",
     T_NUM,
     RD_NONE,
     R0_mesh_fn,
     NULL},
    {"S_inf",
     1,
     {T_MESH},
     "S_inf(mesh): giant component, the positive root of S = 1 - exp(-R0_mesh S) (eq. 28)",
     T_NUM,
     RD_NONE,
     S_inf_fn,
     NULL},
    {"S_inf_near",
     1,
     {T_MESH},
     "S_inf_near(mesh): the near-threshold expansion 2(R0 - 1)/R0^2 (§9.4); 0 if R0 <= 1",
     T_NUM,
     RD_NONE,
     S_inf_near_fn,
     NULL},
    {"giant_component",
     1,
     {T_ERROR},
     "giant_component(R0): the positive root of S = 1 - exp(-R0 S), 0 if R0 <= 1",
     T_NUM,
     RD_NONE,
     giant_component_fn,
     builtin_check_plain0},
    {"diversity_premium",
     1,
     {T_MESH},
     "diversity_premium(mesh): J^((1 - rho)/rho) (Lemma 1)",
     T_NUM,
     RD_NONE,
     diversity_premium_fn,
     NULL},
    {"C_eff",
     2,
     {T_VEC, T_ERROR},
     "C_eff(list, rho): CES aggregate (sum_j C_j^rho)^(1/rho) of task totals (eq. 30)",
     T_NUM,
     RD_ARG0,
     C_eff_fn,
     builtin_check_plain1},
    {"C_mesh",
     1,
     {T_MESH},
     "C_mesh(mesh): J^((1-rho)/rho) S_inf N c_bar, equal coverage of J tasks (Theorem 3)",
     T_NUM,
     RD_NONE,
     C_mesh_fn,
     NULL},
    {"C_cent",
     1,
     {T_MESH},
     "C_cent(mesh): J^((1-rho)/rho) M c_cent, the centralized benchmark (eq. 31)",
     T_NUM,
     RD_NONE,
     C_cent_fn,
     NULL},
    {"N_star",
     1,
     {T_MESH},
     "N_star(mesh): critical mass, N S_inf(N beta v/D) c_bar = M c_cent (Theorem 3 step 4)",
     T_NUM,
     RD_NONE,
     N_star_fn,
     NULL},
    {"potts_K_c",
     1,
     {T_MESH},
     "potts_K_c(mesh): critical coupling of the mean-field q-state Potts model (Prop. 4)",
     T_NUM,
     RD_NONE,
     potts_K_c_fn,
     NULL},
    {"potts_jump",
     1,
     {T_MESH},
     "potts_jump(mesh): jump of the order parameter at K_c (0: continuous, q = 2)",
     T_NUM,
     RD_NONE,
     potts_jump_fn,
     NULL},
    {"potts_order",
     1,
     {T_MESH},
     "potts_order(mesh): equilibrium order parameter at the coupling potts.K",
     T_NUM,
     RD_NONE,
     potts_order_fn,
     NULL},
    {"mean_degree",
     1,
     {T_MESH},
     "mean_degree(mesh): <k> of the generated network",
     T_NUM,
     RD_NONE,
     mean_degree_fn,
     NULL},
    {"degree_k2",
     1,
     {T_MESH},
     "degree_k2(mesh): <k^2> of the generated network",
     T_NUM,
     RD_NONE,
     degree_k2_fn,
     NULL},
    {"epidemic_threshold",
     1,
     {T_MESH},
     "epidemic_threshold(mesh): <k>/<k^2> of the network (eq. 37)",
     T_NUM,
     RD_NONE,
     epidemic_threshold_fn,
     NULL},
    {"components",
     1,
     {T_MESH},
     "components(mesh): connected components of the network",
     T_NUM,
     RD_NONE,
     components_fn,
     NULL},
    {"giant_measured",
     1,
     {T_MESH},
     "giant_measured(mesh): share of nodes in the network's largest component",
     T_NUM,
     RD_NONE,
     giant_measured_fn,
     NULL},
    {"giant_mean_field",
     1,
     {T_MESH},
     "giant_mean_field(mesh): giant component of the network's degree distribution "
     "(configuration model; eq. 28 with R0 = <k> on a Poisson one)",
     T_NUM,
     RD_NONE,
     giant_mean_field_fn,
     NULL},
    {"top_share",
     2,
     {T_MESH, T_ERROR},
     "top_share(mesh, n): share of link ends held by the n best-connected nodes (§9.3)",
     T_NUM,
     RD_NONE,
     top_share_fn,
     builtin_check_plain1},
    {"lambda2",
     1,
     {T_MESH},
     "lambda2(mesh): Fiedler value of the network's Laplacian (eq. 35)",
     T_NUM,
     RD_NONE,
     lambda2_fn,
     NULL},
    {"disagreement",
     2,
     {T_MESH, T_ERROR},
     "disagreement(mesh, t): ||u(t) - mean||/||u(0) - mean|| under du/dt = -L u (eq. 34)",
     T_NUM,
     RD_NONE,
     disagreement_fn,
     builtin_check_plain1},
    {"decay_rate",
     2,
     {T_MESH, T_ERROR},
     "decay_rate(mesh, t): decay rate of the disagreement at t (>= lambda2, -> lambda2)",
     T_NUM,
     RD_NONE,
     decay_rate_fn,
     builtin_check_plain1},
    {"settlement_required",
     1,
     {T_MESH},
     "settlement_required(mesh): N <k> x query rate, transactions per unit time (§5.6)",
     T_NUM,
     RD_RATE,
     settlement_required_fn,
     NULL},
    {"settlement_binds",
     1,
     {T_MESH},
     "settlement_binds(mesh): the required throughput exceeds settlement.capacity",
     T_BOOL,
     RD_NONE,
     settlement_binds_fn,
     NULL},
    {"specialization_index",
     1,
     {T_MESH},
     "specialization_index(mesh): the index every record_every steps (eqs. 32-33)",
     T_VEC,
     RD_NONE,
     specialization_index_fn,
     NULL},
    {"share_specialized",
     1,
     {T_MESH},
     "share_specialized(mesh): share of agents specialized at the end",
     T_NUM,
     RD_NONE,
     share_specialized_fn,
     NULL},
    {"dominant_task",
     1,
     {T_MESH},
     "dominant_task(mesh): each agent's dominant task (1..J) at the end",
     T_VEC,
     RD_NONE,
     dominant_task_fn,
     NULL},
    {"tasks_covered",
     1,
     {T_MESH},
     "tasks_covered(mesh): task types with at least one specialist at the end",
     T_NUM,
     RD_NONE,
     tasks_covered_fn,
     NULL},
};
BUILTIN_FAMILY(builtins_mesh, "mesh", mesh_rows);
