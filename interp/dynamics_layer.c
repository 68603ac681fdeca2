/* The evaluation of `dynamics` blocks (check_dynamics.c checks them): their rates evaluated
 * with the variable and the states as the frame, integrated by the core's ec_ode_solve; paths
 * as values: reported as tables, read by at(), final() and first_time(), and the events'
 * values (NAME.EVENT). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "dynamics.h"
#include "eval_internal.h"
#include "unit_rules.h"

typedef struct {
  Eval *ev;
  const Decl *d;
  const Dynamics *y;
  Value *frame; /* the variable, then the states */
  double level; /* first_time: the level series `series` crosses */
  int series, sign0;
} Run;

static void set_frame(Run *r, double t, const double *y) {
  r->frame[0].num = t;
  for (int i = 0; i < r->y->nstates; i++)
    r->frame[i + 1].num = y[i];
}

static int rates(double t, const double *y, double *dydt, void *ctx) {
  Run *r = ctx;
  if (ev_solve_tick(r->ev, r->d->span)) /* bounded work, and --time-limit, inside one solve */
    return -1;
  set_frame(r, t, y);
  const Value *outer = r->ev->frame;
  r->ev->frame = r->frame;
  int rc = 0;
  for (int i = 0; i < r->y->nstates && !rc; i++) {
    Value v;
    rc = eval(r->ev, r->y->states[i].rate, &v);
    dydt[i] = v.num;
  }
  r->ev->frame = outer;
  if (rc && r->ev->status == EV_NUMERIC && !r->ev->hard_stop) {
    /* an overflow in a trial stage: the integrator retries a smaller step, and reports the
     * point if it cannot go on */
    r->ev->status = EV_OK;
    r->ev->msg[0] = 0;
    return 1;
  }
  return rc;
}

static int conditions(double t, const double *y, int *holds, void *ctx) {
  Run *r = ctx;
  set_frame(r, t, y);
  const Value *outer = r->ev->frame;
  r->ev->frame = r->frame;
  int rc = 0, k = 0;
  for (; k < r->y->nevents && !rc; k++) {
    Value v;
    rc = eval(r->ev, r->y->events[k].when, &v);
    holds[k] = v.num != 0;
  }
  if (r->series >= 0 && !rc) /* first_time's crossing, after the block's events */
    holds[k] = (y[r->series] >= r->level ? 1 : -1) != r->sign0;
  r->ev->frame = outer;
  return rc;
}

/* The block's settings, read at this evaluation (overrides apply). */
typedef struct {
  double from, to, rtol, atol;
  size_t points, max_steps;
  ec_ode_method method;
} Settings;

static int settings(Eval *ev, Decl *d, Settings *s, Span sp) {
  double points, max_steps;
  if (ev_param(ev, d, F_DYNAMICS_from, &s->from, sp) ||
      ev_param(ev, d, F_DYNAMICS_until, &s->to, sp) ||
      ev_param(ev, d, F_DYNAMICS_rtol, &s->rtol, sp) ||
      ev_param(ev, d, F_DYNAMICS_atol, &s->atol, sp) ||
      ev_param(ev, d, F_DYNAMICS_points, &points, sp) ||
      ev_param(ev, d, F_DYNAMICS_max_steps, &max_steps, sp))
    return -1;
  if (!(s->to > s->from))
    return ev_fail(ev, EV_INPUT, sp, "dynamics '%s': 'until' (%g) must be after 'from' (%g)",
                   d->name, s->to, s->from);
  if (!(s->rtol > 0 && s->rtol < 1) || !(s->atol >= 0))
    return ev_fail(ev, EV_INPUT, sp,
                   "dynamics '%s': rtol = %g must be in (0, 1) and atol = %g at least 0", d->name,
                   s->rtol, s->atol);
  if (points < 2 || points != floor(points) || points > 1e7 || max_steps < 1 ||
      max_steps != floor(max_steps) || max_steps > 1e7)
    return ev_fail(ev, EV_INPUT, sp,
                   "dynamics '%s': points = %g must be a whole number from 2 to 10^7 and "
                   "max_steps = %g one from 1 to 10^7",
                   d->name, points, max_steps);
  if (points * (d->dyn->nstates + 1.0) > 5e7)
    return ev_fail(ev, EV_INPUT, sp,
                   "dynamics '%s': %g points of %d states hold more than 5e7 numbers (400 MB); "
                   "report fewer points",
                   d->name, points, d->dyn->nstates);
  s->points = (size_t)points;
  s->max_steps = (size_t)max_steps;
  const char *m = ev_field_text(ev, d, F_DYNAMICS_method, sp, "rk8pd");
  if (!strcmp(m, "rk8pd"))
    s->method = EC_ODE_RK8PD;
  else if (!strcmp(m, "msbdf"))
    s->method = EC_ODE_MSBDF;
  else
    return ev_fail(ev, EV_INPUT, sp,
                   "dynamics '%s': method \"%s\" is not known; expected \"rk8pd\" (explicit) or "
                   "\"msbdf\" (implicit, for stiff systems)",
                   d->name, m);
  return 0;
}

/* The names and values of the states, for an error: "s = 0.5, k = 2". */
static void state_text(const Dynamics *y, const double *v, char *buf, size_t len) {
  size_t at = 0;
  buf[0] = 0;
  for (int i = 0; i < y->nstates && at + 40 < len; i++)
    at += (size_t)snprintf(buf + at, len - at, "%s%s = %.10g", i ? ", " : "", y->states[i].name,
                           v[i]);
}

/* Integrates d through tout (t0 = s->from first), filling sol (nout x n) and res. */
static int solve(Eval *ev, Decl *d, const Settings *s, const double *tout, size_t nout, double *sol,
                 ec_ode_result *res, Run *run, Span sp) {
  const Dynamics *y = d->dyn;
  size_t n = (size_t)y->nstates;
  double *y0 = arena_alloc(ev->ar, (n + 1) * sizeof *y0);
  Value *frame = arena_alloc(ev->ar, (n + 1) * sizeof *frame);
  frame[0] = ev_num(s->from, y->var_dim);
  for (size_t i = 0; i < n; i++) {
    Value v;
    if (eval(ev, y->states[i].init, &v))
      return -1;
    if (!isfinite(v.num))
      return ev_fail(ev, EV_INPUT, y->states[i].span,
                     "dynamics '%s': the initial value of '%s' is not finite (%g)", d->name,
                     y->states[i].name, v.num);
    y0[i] = v.num;
    frame[i + 1] = ev_num(v.num, y->states[i].dim);
  }
  *run = (Run){ev, d, y, frame, run->level, run->series, 0};
  if (run->series >= 0)
    run->sign0 = y0[run->series] >= run->level ? 1 : -1;
  size_t nev = (size_t)y->nevents + (run->series >= 0);
  res->y_end = arena_alloc(ev->ar, (n + 1) * sizeof(double));
  res->event_t = arena_alloc(ev->ar, (nev + 1) * sizeof(double));
  ec_ode o = {n,   rates,     nev,     conditions, y->stop_event,
              run, s->method, s->rtol, s->atol,    s->max_steps};
  ec_error err;
  ev_solve_enter(ev);
  ec_status st = ec_ode_solve(&o, s->from, y0, tout, nout, sol, res, &err);
  ev_solve_leave(ev);
  if (ev->status != EV_OK) /* a rate or a condition failed: its own error says why */
    return -1;
  if (st == EC_OK)
    return 0;
  char states[400];
  state_text(y, res->y_end, states, sizeof states);
  if (res->too_many_steps)
    return ev_fail(ev, EV_NUMERIC, sp, "dynamics '%s': %s (%s = %.10g; %s)%s", d->name, err.msg,
                   y->var, res->t_fail, states,
                   s->method == EC_ODE_RK8PD
                       ? "; the system looks stiff: try method = \"msbdf\", or raise max_steps"
                       : "; raise max_steps, or loosen rtol");
  return ev_core_fail(ev, sp, st, "dynamics '%s': %s at %s = %.10g (%s)", d->name, err.msg, y->var,
                      res->t_fail, states);
}

static Dim rd_dim(int rd) {
  return rd == RD_TIME ? dim_time() : rd == RD_RATE ? dim_time_inv() : DIM_NONE;
}

static double grid_point(double from, double to, size_t k, size_t points) {
  return k + 1 == points ? to : from + (to - from) * (double)k / (double)(points - 1);
}

static double *grid(Eval *ev, const Settings *s) {
  double *t = arena_alloc(ev->ar, (s->points + 1) * sizeof *t);
  for (size_t k = 0; k < s->points; k++)
    t[k] = grid_point(s->from, s->to, k, s->points);
  return t;
}

/* A built-in's path as a table: every series (or the one picked) at PATH_POINTS points. */
static int pf_table(Eval *ev, const Value *path, Span sp, DynTable *out) {
  const PathFn *pf = path->pf;
  const PathShape *ps = pf->shape;
  int one = path->sym > 0, ncols = one ? 2 : ps->n + 1;
  size_t rows = PATH_POINTS;
  out->nrows = (int)rows;
  out->ncols = ncols;
  out->cols = malloc((size_t)ncols * sizeof *out->cols);
  out->dims = malloc((size_t)ncols * sizeof *out->dims);
  out->cells = malloc(rows * (size_t)ncols * sizeof *out->cells);
  out->cols[0] = ps->var;
  out->dims[0] = rd_dim(ps->var_rd);
  for (int j = 1; j < ncols; j++) {
    int k = one ? path->sym - 1 : j - 1;
    out->cols[j] = ps->names[k];
    out->dims[j] = rd_dim(ps->rd[k]);
  }
  double v[PATH_MAX_SERIES];
  for (size_t r = 0; r < rows; r++) {
    double x = grid_point(pf->from, pf->to, r, rows);
    if (ev_check_deadline(ev, sp) || pf->at(ev, pf, x, one ? path->sym - 1 : -1, v, sp)) {
      free(out->cols), free(out->dims), free(out->cells);
      return -1;
    }
    out->cells[r * (size_t)ncols] = x;
    for (int j = 1; j < ncols; j++)
      out->cells[r * (size_t)ncols + (size_t)j] = v[one ? path->sym - 1 : j - 1];
  }
  return 0;
}

int dyn_table(Eval *ev, const Value *path, Span sp, DynTable *out) {
  if (path->pf)
    return pf_table(ev, path, sp, out);
  Decl *d = path->decl;
  const Dynamics *y = d->dyn;
  Settings s;
  if (settings(ev, d, &s, sp))
    return -1;
  double *tout = grid(ev, &s);
  size_t n = (size_t)y->nstates;
  double *sol = malloc((s.points * n + 1) * sizeof *sol);
  if (!sol)
    return ev_fail(ev, EV_NUMERIC, sp, "dynamics '%s': out of memory for %zu points", d->name,
                   s.points);
  ec_ode_result res;
  Run run = {.series = -1};
  if (solve(ev, d, &s, tout, s.points, sol, &res, &run, sp)) {
    free(sol);
    return -1;
  }
  /* the points reached, then the stop if it came between two of them */
  size_t rows =
      res.nreached + (res.stopped && (!res.nreached || tout[res.nreached - 1] < res.t_end));
  int one = path->sym > 0, ncols = one ? 2 : (int)n + 1;
  out->nrows = (int)rows;
  out->ncols = ncols;
  out->cols = malloc((size_t)ncols * sizeof *out->cols);
  out->dims = malloc((size_t)ncols * sizeof *out->dims);
  out->cells = malloc((rows * (size_t)ncols + 1) * sizeof *out->cells);
  out->cols[0] = y->var;
  out->dims[0] = y->var_dim;
  for (int j = 1; j < ncols; j++) {
    int k = one ? path->sym - 1 : j - 1;
    out->cols[j] = y->states[k].name;
    out->dims[j] = y->states[k].dim;
  }
  for (size_t r = 0; r < rows; r++) {
    int at_stop = r == res.nreached;
    const double *v = at_stop ? res.y_end : sol + r * n;
    out->cells[r * (size_t)ncols] = at_stop ? res.t_end : tout[r];
    for (int j = 1; j < ncols; j++)
      out->cells[r * (size_t)ncols + (size_t)j] = v[one ? path->sym - 1 : j - 1];
  }
  free(sol);
  return 0;
}

/* The series a builtin reads: one state's path. */
static int one_series(Eval *ev, const IrExpr *e, const Value *p) {
  if (p->sym > 0)
    return p->sym - 1;
  if (p->pf) {
    if (p->pf->shape->n == 1)
      return 0;
    return ev_fail(ev, EV_INPUT, e->args[0]->span, "%s reads one series; name it, as in %s(...).%s",
                   e->fn->name, p->pf->name, p->pf->shape->names[0]);
  }
  const Dynamics *y = p->decl->dyn;
  if (y->nstates == 1)
    return 0;
  return ev_fail(ev, EV_INPUT, e->args[0]->span, "%s reads one series; name it, as in %s.%s",
                 e->fn->name, p->decl->name, y->states[0].name);
}

/* A built-in path's series k at x, which must lie in its range. */
static int pf_at(Eval *ev, const IrExpr *e, const PathFn *pf, double x, int k, Value *out) {
  if (!(x >= pf->from && x <= pf->to))
    return ev_fail(ev, EV_INPUT, e->args[1]->span,
                   "%s(%s(...), %g): outside the path, from %g to %g", e->fn->name, pf->name, x,
                   pf->from, pf->to);
  double v[PATH_MAX_SERIES];
  if (pf->at(ev, pf, x, k, v, e->span))
    return -1;
  out->num = v[k];
  return 0;
}

/* at(path, x): the state at x, integrated to x itself (no interpolation). */
static int at_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  int k = one_series(ev, e, &a[0]);
  if (k >= 0 && a[0].pf)
    return pf_at(ev, e, a[0].pf, a[1].num, k, out);
  Decl *d = a[0].decl;
  Settings s;
  if (k < 0 || settings(ev, d, &s, e->span))
    return -1;
  double x = a[1].num;
  if (!(x >= s.from && x <= s.to))
    return ev_fail(ev, EV_INPUT, e->args[1]->span,
                   "at(%s, %g): outside the integration, from %g to %g", d->name, x, s.from, s.to);
  double *sol = arena_alloc(ev->ar, ((size_t)d->dyn->nstates + 1) * sizeof *sol);
  ec_ode_result res;
  Run run = {.series = -1};
  if (solve(ev, d, &s, &x, 1, sol, &res, &run, e->span))
    return -1;
  if (res.nreached < 1)
    return ev_fail(ev, EV_INPUT, e->span, "at(%s, %g): the integration stopped before, at %s = %g",
                   d->name, x, d->dyn->var, res.t_end);
  out->num = sol[k];
  return 0;
}

/* Integrates d from `from` to `until` (events, the stop; `series` >= 0 adds first_time's
 * crossing of level): the one series k read, and the block's settings. */
static int solve_to_end(Eval *ev, const IrExpr *e, Decl *d, int series, double level,
                        ec_ode_result *res) {
  Settings s;
  if (settings(ev, d, &s, e->span))
    return -1;
  double *sol = arena_alloc(ev->ar, ((size_t)d->dyn->nstates + 1) * sizeof *sol);
  Run run = {.series = series, .level = level};
  return solve(ev, d, &s, &s.to, 1, sol, res, &run, e->span);
}

/* final(path): the state where the integration ends (at `until`, or at the stop). */
static int final_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  int k = one_series(ev, e, &a[0]);
  if (k >= 0 && a[0].pf)
    return pf_at(ev, e, a[0].pf, a[0].pf->to, k, out);
  ec_ode_result res;
  if (k < 0 || solve_to_end(ev, e, a[0].decl, -1, 0, &res))
    return -1;
  out->num = res.y_end[k];
  return 0;
}

/* first_time on a built-in's path: the first of PATH_SCAN intervals of its range on which the
 * series reaches level, then Brent's method inside it (a crossing and recrossing within one
 * interval, 1/1000 of the range, is not seen). */
enum { PATH_SCAN = 1000 };
typedef struct {
  Eval *ev;
  const PathFn *pf;
  int k;
  double level;
  Span sp;
} Crossing;

static int crossing_gap(double x, double *y, void *ctx) {
  Crossing *c = ctx;
  double v[PATH_MAX_SERIES];
  if (c->pf->at(c->ev, c->pf, x, c->k, v, c->sp))
    return -1;
  *y = v[c->k] - c->level;
  return 0;
}

static int pf_first_time(Eval *ev, const IrExpr *e, const PathFn *pf, int k, double level,
                         Value *out) {
  Crossing c = {ev, pf, k, level, e->span};
  double g0, prev_x = pf->from;
  if (crossing_gap(pf->from, &g0, &c))
    return -1;
  out->num = INFINITY;
  if (g0 == 0) {
    out->num = pf->from;
    return 0;
  }
  for (size_t i = 1; i <= PATH_SCAN; i++) {
    double x = grid_point(pf->from, pf->to, i, PATH_SCAN + 1), g;
    if (ev_check_deadline(ev, e->span) || crossing_gap(x, &g, &c))
      return -1;
    if (g == 0 || (g > 0) != (g0 > 0)) {
      ec_error err;
      ec_status st = g == 0 ? EC_OK : ec_root(crossing_gap, &c, prev_x, x, &out->num, &err);
      if (g == 0)
        out->num = x;
      if (ev->status)
        return -1;
      if (st != EC_OK)
        return ev_core_fail(ev, e->span, st, "first_time(%s(...), %g): %s", pf->name, level,
                            err.msg);
      return 0;
    }
    prev_x = x;
  }
  diag_warning(ev->diag, e->span, "%s(...).%s does not reach %g before %s = %g (the end)", pf->name,
               pf->shape->names[k], level, pf->shape->var, pf->to);
  return 0;
}

/* first_time(path, level): the first value of the variable at which the series reaches level
 * (from either side); inf, with a warning, when it does not before the end. */
static int first_time_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  int k = one_series(ev, e, &a[0]);
  if (k >= 0 && a[0].pf)
    return pf_first_time(ev, e, a[0].pf, k, a[1].num, out);
  Decl *d = a[0].decl;
  ec_ode_result res;
  if (k < 0 || solve_to_end(ev, e, d, k, a[1].num, &res))
    return -1;
  double t = res.event_t[d->dyn->nevents];
  if (isnan(t)) {
    diag_warning(ev->diag, e->span, "%s.%s does not reach %g before %s = %g (the end)", d->name,
                 d->dyn->states[k].name, a[1].num, d->dyn->var, res.t_end);
    t = INFINITY;
  }
  out->num = t;
  return 0;
}

/* values(path): the series at the path's own points (and its stop), as a list to summarise. */
static int values_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  int k = one_series(ev, e, &a[0]);
  if (k < 0)
    return -1;
  Value one = a[0];
  one.sym = k + 1;
  DynTable t;
  if (dyn_table(ev, &one, e->span, &t))
    return -1;
  out->type = T_VEC;
  out->n = t.nrows;
  out->vec = arena_alloc(ev->ar, ((size_t)t.nrows + 1) * sizeof *out->vec);
  for (int r = 0; r < t.nrows; r++)
    out->vec[r] = t.cells[(size_t)r * 2 + 1];
  free(t.cols), free(t.dims), free(t.cells);
  return 0;
}

int dyn_event(Eval *ev, const IrExpr *e, Value *out) {
  Decl *d = e->decl;
  ec_ode_result res;
  if (solve_to_end(ev, e, d, -1, 0, &res))
    return -1;
  double t = res.event_t[e->col];
  if (isnan(t)) {
    diag_warning(ev->diag, e->span, "event '%s' of dynamics '%s' does not happen before %s = %g%s",
                 d->dyn->events[e->col].name, d->name, d->dyn->var, res.t_end,
                 res.stopped ? " (the stop)" : " (the end)");
    t = INFINITY;
  }
  out->num = t;
  return 0;
}

Dim path_var_dim(const IrExpr *p) {
  if (p->op == IR_PICK)
    p = p->args[0];
  if (p->op == IR_CALL && builtin_path(p->fn))
    return rd_dim(builtin_path(p->fn)->var_rd);
  return p->decl && p->decl->dyn ? p->decl->dyn->var_dim : DIM_NONE;
}

Dim path_var_dim_value(const Value *path) {
  return path->pf ? rd_dim(path->pf->shape->var_rd) : path->decl->dyn->var_dim;
}

int path_grid(Eval *ev, const Value *path, Span sp, double **x, int *n) {
  if (path->pf) {
    *n = PATH_POINTS;
    *x = arena_alloc(ev->ar, PATH_POINTS * sizeof **x);
    for (int k = 0; k < PATH_POINTS; k++)
      (*x)[k] = grid_point(path->pf->from, path->pf->to, (size_t)k, PATH_POINTS);
    return 0;
  }
  Settings s;
  if (settings(ev, path->decl, &s, sp))
    return -1;
  *x = grid(ev, &s);
  *n = (int)s.points;
  return 0;
}

int path_series_at(Eval *ev, const Value *path, const double *x, int n, double *y, Span sp) {
  const PathFn *pf = path->pf;
  int k = path->sym > 0 ? path->sym - 1 : 0;
  double from, to;
  Settings s;
  if (pf)
    from = pf->from, to = pf->to;
  else if (settings(ev, path->decl, &s, sp))
    return -1;
  else
    from = s.from, to = s.to;
  for (int i = 0; i < n; i++)
    if (!(x[i] >= from && x[i] <= to) || (i && !(x[i] >= x[i - 1])))
      return ev_fail(ev, EV_INPUT, sp,
                     "a path is read at rising points from %g to %g; point %d is %g", from, to,
                     i + 1, x[i]);
  if (pf) {
    double v[PATH_MAX_SERIES];
    for (int i = 0; i < n; i++) {
      if (ev_check_deadline(ev, sp) || pf->at(ev, pf, x[i], k, v, sp))
        return -1;
      y[i] = v[k];
    }
    return 0;
  }
  Decl *d = path->decl;
  size_t ns = (size_t)d->dyn->nstates;
  double *sol = malloc(((size_t)n * ns + 1) * sizeof *sol);
  if (!sol)
    return ev_fail(ev, EV_NUMERIC, sp, "dynamics '%s': out of memory for %d points", d->name, n);
  ec_ode_result res;
  Run run = {.series = -1};
  if (solve(ev, d, &s, x, (size_t)n, sol, &res, &run, sp)) {
    free(sol);
    return -1;
  }
  if (res.nreached < (size_t)n) {
    free(sol);
    return ev_fail(ev, EV_INPUT, sp, "dynamics '%s' stopped at %s = %g, before %g", d->name,
                   d->dyn->var, res.t_end, x[res.nreached]);
  }
  for (int i = 0; i < n; i++)
    y[i] = sol[(size_t)i * ns + (size_t)k];
  free(sol);
  return 0;
}

/* at's second argument is a value of the path's variable. */
static int check_at(IrExpr *e, char *msg, size_t len, int *arg) {
  const IrExpr *p = e->args[0];
  char b1[64], b2[64];
  Dim var = path_var_dim(p);
  e->dim = p->dim;
  if (p->op == IR_CALL && builtin_path(p->fn) && builtin_path(p->fn)->n > 1) {
    *arg = 0;
    snprintf(msg, len, "'%s' reads one series; name it, as in %s(...).%s", e->fn->name, p->fn->name,
             builtin_path(p->fn)->names[0]);
    return -1;
  }
  if (p->op == IR_CALL && builtin_path(p->fn))
    e->dim = rd_dim(builtin_path(p->fn)->rd[0]);
  if (p->op == IR_REF && p->decl->dyn && p->decl->dyn->nstates == 1)
    e->dim = p->decl->dyn->states[0].dim;
  if (p->op == IR_REF && p->decl->dyn && p->decl->dyn->nstates > 1) {
    *arg = 0;
    snprintf(msg, len, "'%s' reads one series; name it, as in %s.%s", e->fn->name, p->decl->name,
             p->decl->dyn->states[0].name);
    return -1;
  }
  if (e->nargs < 2)
    return 0;
  int level = !strcmp(e->fn->name, "first_time");
  Dim want = level ? e->dim : var;
  if (dim_eq(e->args[1]->dim, want)) {
    if (level)
      e->dim = var;
    return 0;
  }
  *arg = 1;
  snprintf(msg, len, "unit mismatch: the second argument of '%s' is %s, in %s; got %s", e->fn->name,
           level ? "a level of the series" : "a value of the path's variable",
           builtin_unit_text(want, b1), builtin_unit_text(e->args[1]->dim, b2));
  return -1;
}

static const Builtin dyn_rows[] = {
    {"at",
     2,
     {T_PATH, T_NUM},
     "at(path, x): the series' value at x (integrated to x)",
     T_NUM,
     RD_NONE,
     at_fn,
     check_at},
    {"final",
     1,
     {T_PATH},
     "final(path): the series' value where the integration ends",
     T_NUM,
     RD_NONE,
     final_fn,
     check_at},
    {"values",
     1,
     {T_PATH},
     "values(path): the series at the path's own points, a list (mean, sd, quantile, sum)",
     T_VEC,
     RD_NONE,
     values_fn,
     check_at},
    {"first_time",
     2,
     {T_PATH, T_NUM},
     "first_time(path, level): the first x at which the series reaches level (inf: never)",
     T_NUM,
     RD_NONE,
     first_time_fn,
     check_at},
};
BUILTIN_FAMILY(builtins_dynamics, "dynamics", dyn_rows);
