/* The built-in models' results as paths (dynamics.h's PathFn): the game's V(x), q(x), Q(x)
 * for either regime; the same regime against time, x(t) to the crossing; and the adoption
 * layer's cumulative output Q(t), relative cost c(t)/c* through Wright's law, friction,
 * R0 and share s(t). Each point is the model's own solution there (the closed forms, the
 * adoption ODE), so at(), final() and first_time() read the model, not a table. */
#include <math.h>
#include <stdlib.h>

#include "builtins.h"
#include "dynamics.h"
#include "eval_internal.h"
#include "unit_rules.h"

typedef struct {
  ec_game g;
  ec_regime regime;
  double T_star;
  const Decl *scn;
} GameCtx;

typedef struct {
  ec_game g;
  ec_regime regime;
  double x0, Qbar;
  ec_progress pr;
  const Decl *scn;
} DualCtx;

typedef struct {
  ec_adoption m;
  ec_path p;
  const Decl *scn;
} AdoptionCtx;

static const PathShape game_shape = {"x", RD_NONE, 3, {"V", "q", "Q"}, {RD_NONE, RD_NONE, RD_NONE}};
static const PathShape crossing_shape = {
    "t", RD_TIME, 4, {"x", "V", "q", "Q"}, {RD_NONE, RD_NONE, RD_NONE, RD_NONE}};
static const PathShape adoption_shape = {"t",
                                         RD_TIME,
                                         5,
                                         {"Q", "c_rel", "kappa", "R0", "s"},
                                         {RD_NONE, RD_NONE, RD_RATE, RD_NONE, RD_NONE}};

static const PathShape dual_shape = {"t", RD_TIME, 2, {"x", "Qbar_eff"}, {RD_NONE, RD_NONE}};
static const PathShape diffusion_shape = {
    "t", RD_NONE, 2, {"disagreement", "decay_rate"}, {RD_NONE, RD_NONE}};

static int game_fail(Eval *ev, Span sp, const PathFn *pf, const Decl *scn, ec_status st,
                     const ec_error *err) {
  return ev_core_fail(ev, sp, st, "%s(%s, ...): %s", pf->name, scn->name, err->msg);
}

/* game_path: x from 0 to x0; V, q, Q there. */
static int game_at(Eval *ev, const PathFn *pf, double x, int k, double *out, Span sp) {
  (void)k;
  const GameCtx *c = pf->ctx;
  ec_game_point p;
  ec_error err;
  ec_status st = ec_game_at_x(&c->g, c->regime, x, &p, &err);
  if (st != EC_OK)
    return game_fail(ev, sp, pf, c->scn, st, &err);
  out[0] = p.V, out[1] = p.q, out[2] = p.Q;
  return 0;
}

/* crossing_path: t from 0 to T*; x (distance left), V, q, Q at time t, T* - t before crossing. */
static int crossing_at(Eval *ev, const PathFn *pf, double t, int k, double *out, Span sp) {
  (void)k;
  const GameCtx *c = pf->ctx;
  ec_game_point p;
  ec_error err;
  ec_status st = ec_game_at_T(&c->g, c->regime, fmax(c->T_star - t, 0), &p, &err);
  if (st != EC_OK)
    return game_fail(ev, sp, pf, c->scn, st, &err);
  out[0] = p.x, out[1] = p.V, out[2] = p.q, out[3] = p.Q;
  return 0;
}

/* adoption_path: t from 0 to the adoption's horizon, on the Nash path of the game. */
static int adoption_at(Eval *ev, const PathFn *pf, double t, int k, double *out, Span sp) {
  const AdoptionCtx *c = pf->ctx;
  double Q, s = NAN, kappa = NAN;
  ec_error err;
  ec_status st = ec_path_Q(&c->p, t, &Q, &err);
  if (st == EC_OK && (k < 0 || k >= 2)) /* kappa, R0 and s need the share's ODE; Q, c do not */
    st = ec_adoption_share(&c->m, &c->p, t, &s, &kappa, &err);
  if (st != EC_OK)
    return game_fail(ev, sp, pf, c->scn, st, &err);
  double cost = ec_adoption_cost(&c->m, Q);
  out[0] = Q, out[1] = cost / c->m.c_star, out[2] = kappa;
  out[3] = ec_adoption_R0(&c->m, cost, kappa), out[4] = s;
  return 0;
}

/* The path a builtin returns: its variable from 0 to `to`, its series by `at` over ctx. */
static int path_value(Eval *ev, const IrExpr *e, double to,
                      int (*at)(Eval *, const PathFn *, double, int, double *, Span),
                      const void *ctx, Value *out) {
  PathFn *pf = arena_alloc(ev->ar, sizeof *pf);
  *pf = (PathFn){e->fn->name, builtin_path(e->fn), 0, to, at, ctx};
  out->pf = pf;
  return 0;
}

/* dual_path: t from 0 to T*_dual; x under dx/dt = dQbar_eff/dt - Q(x), and Qbar_eff. */
static int dual_at(Eval *ev, const PathFn *pf, double t, int k, double *out, Span sp) {
  const DualCtx *c = pf->ctx;
  ec_error err;
  out[1] = ec_dual_Qbar_eff(&c->pr, c->Qbar, t);
  if (k == 1)
    return 0;
  ec_status st = ec_dual_x_at(&c->g, c->regime, c->x0, c->Qbar, &c->pr, t, &out[0], &err);
  return st != EC_OK ? game_fail(ev, sp, pf, c->scn, st, &err) : 0;
}

static int dual_path_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  DualCtx *c = arena_alloc(ev->ar, sizeof *c);
  double T;
  ec_error err;
  c->scn = a[0].decl;
  if (ev_regime_arg(ev, e, a, 1, &c->regime) ||
      ev_scenario_dual(ev, a[0].decl, &c->g, &c->x0, &c->Qbar, &c->pr, e->span))
    return -1;
  ec_status st = ec_dual_T_star(&c->g, c->regime, c->x0, c->Qbar, &c->pr, &T, &err);
  if (st != EC_OK)
    return ev_block_fail(ev, e->span, a[0].decl, st, &err);
  return path_value(ev, e, T, dual_at, c, out);
}

/* diffusion_path: t from 0 to t_end; the disagreement and its decay rate at t. */
static int diffusion_at(Eval *ev, const PathFn *pf, double t, int k, double *out, Span sp) {
  (void)k;
  return ev_mesh_diffusion(ev, (Decl *)pf->ctx, t, &out[0], &out[1], sp);
}

static int diffusion_path_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  if (!(a[1].num > 0) || !isfinite(a[1].num))
    return ev_fail(ev, EV_INPUT, e->args[1]->span,
                   "diffusion_path(mesh, t_end): t_end = %g must be finite and > 0", a[1].num);
  return path_value(ev, e, a[1].num, diffusion_at, a[0].decl, out);
}

static int game_path_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  GameCtx *c = arena_alloc(ev->ar, sizeof *c);
  double x0;
  ec_error err;
  c->scn = a[0].decl;
  if (ev_regime_arg(ev, e, a, 1, &c->regime) ||
      ev_scenario_game(ev, a[0].decl, &c->g, &x0, e->span))
    return -1;
  int crossing = builtin_path(e->fn) == &crossing_shape;
  if (crossing) {
    ec_status st = ec_game_T_star(&c->g, c->regime, x0, &c->T_star, &err);
    if (st != EC_OK)
      return ev_core_fail(ev, e->span, st, "%s(%s, ...): %s", e->fn->name, c->scn->name, err.msg);
  }
  return path_value(ev, e, crossing ? c->T_star : x0, crossing ? crossing_at : game_at, c, out);
}

static int adoption_path_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  AdoptionCtx *c = arena_alloc(ev->ar, sizeof *c);
  double horizon;
  c->scn = a[0].decl;
  if (ev_scenario_adoption(ev, a[0].decl, &c->m, &c->p, &horizon, e->span))
    return -1;
  return path_value(ev, e, horizon, adoption_at, c, out);
}

static const Builtin path_rows[] = {
    {"game_path",
     2,
     {T_SCENARIO, T_SYMBOL},
     "game_path(scenario, nash|coop): V(x), q(x), Q(x) for x from 0 to x0 (.V, .q, .Q)",
     T_PATH,
     RD_NONE,
     game_path_fn,
     NULL},
    {"crossing_path",
     2,
     {T_SCENARIO, T_SYMBOL},
     "crossing_path(scenario, nash|coop): x(t), V(t), q(t), Q(t) from t = 0 to T*",
     T_PATH,
     RD_NONE,
     game_path_fn,
     NULL},
    {"adoption_path",
     1,
     {T_SCENARIO},
     "adoption_path(scenario): cumulative Q(t), c(t)/c*, kappa(t), R0(t), s(t) to the horizon",
     T_PATH,
     RD_NONE,
     adoption_path_fn,
     NULL},
    {"dual_path",
     2,
     {T_SCENARIO, T_SYMBOL},
     "dual_path(scenario, nash|coop): x(t) and Qbar_eff(t) under dual convergence, to T*_dual",
     T_PATH,
     RD_NONE,
     dual_path_fn,
     NULL},
    {"diffusion_path",
     2,
     {T_MESH, T_ERROR},
     "diffusion_path(mesh, t_end): disagreement(t) and decay_rate(t) of eq. 34 to t_end",
     T_PATH,
     RD_NONE,
     diffusion_path_fn,
     builtin_check_plain1},
};
BUILTIN_FAMILY(builtins_paths, "paths", path_rows);

const PathShape *builtin_path(const Builtin *fn) {
  static const PathShape *const shapes[] = {&game_shape, &crossing_shape, &adoption_shape,
                                            &dual_shape, &diffusion_shape};
  size_t n = sizeof path_rows / sizeof *path_rows;
  return fn >= path_rows && fn < path_rows + n ? shapes[fn - path_rows] : NULL;
}
