/* Evaluation: field lookups through the override stacks (sweep > scenario > --set > file),
 * built-in functions, and the bridge to the numeric core. */
#include "eval.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "claims.h"
#include "compile.h"
#include "core/edsl_core.h"
#include "eval_internal.h"

/* A numeric field with a default (dflt NAN: required); NaN values are errors. */
int ev_param(Eval *ev, Decl *d, const char *path, double *v, double dflt, Span sp) {
  int r = ev_field_num(ev, d, path, v, sp, isnan(dflt));
  if (r < 0)
    return -1;
  if (r == 0)
    *v = dflt;
  if (isnan(*v))
    return ev_fail(ev, EV_NUMERIC, sp, "%s '%s': %s is not a number", type_name(decl_type(d->kind)),
                   d->name, path);
  return 0;
}

/* A whole number in [lo, hi]. */
int ev_count(Eval *ev, Decl *d, const char *path, size_t *out, double dflt, double lo, double hi,
             Span sp) {
  double v = NAN; /* set by ev_param; initialized for the optimizer's flow analysis */
  if (ev_param(ev, d, path, &v, dflt, sp))
    return -1;
  if (!(v >= lo && v <= hi) || v != floor(v))
    return ev_fail(ev, EV_INPUT, sp, "%s '%s': %s = %g must be a whole number in [%g, %g]",
                   type_name(decl_type(d->kind)), d->name, path, v, lo, hi);
  *out = (size_t)v;
  return 0;
}

/* A symbol field, or dflt when absent. */
int ev_sym(Eval *ev, Decl *d, const char *path, int dflt, int *out, Span sp) {
  Value v;
  int r = ev_field_get(ev, d, path, &v, sp);
  if (r < 0)
    return -1;
  *out = r ? v.sym : dflt;
  return 0;
}

EvalOptions eval_default_options(void) {
  EvalOptions o = {.max_sweep_points = EVAL_MAX_SWEEP_POINTS,
                   .max_bootstrap = EVAL_MAX_BOOTSTRAP,
                   .threads = 1,
                   .shard_k = 1,
                   .shard_n = 1,
                   .max_network_edges = EVAL_MAX_NETWORK_EDGES,
                   .max_mesh_work = EVAL_MAX_MESH_WORK};
  return o;
}

Eval *eval_new(const Program *p, Arena *ar, unsigned long seed) {
  Eval *ev = arena_alloc(ar, sizeof *ev);
  ev->p = p;
  ev->ar = ar;
  ev->seed = seed;
  ev->opt = eval_default_options();
  return ev;
}

void eval_set_options(Eval *ev, const EvalOptions *opt) {
  ev->opt = *opt;
  if (ev->opt.threads < 1)
    ev->opt.threads = 1;
  if (ev->opt.threads > EVAL_MAX_THREADS)
    ev->opt.threads = EVAL_MAX_THREADS;
  if (ev->opt.shard_n < 1 || ev->opt.shard_k < 1 || ev->opt.shard_k > ev->opt.shard_n)
    ev->opt.shard_k = ev->opt.shard_n = 1;
}

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The run's time limit, checked between reports and between the points of a sweep. */
static int check_deadline(Eval *ev, Span sp) {
  if (ev->deadline > 0 && now_seconds() > ev->deadline && (ev->hard_stop = 1))
    return ev_fail(ev, EV_NUMERIC, sp, "the time limit of %g s was reached (--time-limit)",
                   ev->opt.time_limit);
  return 0;
}

int ev_fail(Eval *ev, EvalStatus st, Span sp, const char *fmt, ...) {
  if (ev->status)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ev->msg, sizeof ev->msg, fmt, ap);
  va_end(ap);
  ev->status = st;
  ev->span = sp;
  return -1;
}

/* Looks a block field up through the override stacks; 0 when it is not set anywhere. */
int ev_field_get(Eval *ev, Decl *d, const char *path, Value *out, Span sp) {
  const IrExpr *expr = NULL;
  for (int i = ev->nsweep - 1; i >= 0 && !expr; i--)
    if (ev->sweep[i]->target == d && !strcmp(ev->sweep[i]->path, path))
      expr = ev->sweep[i]->value;
  for (int i = ev->nscn - 1; i >= 0 && !expr; i--)
    if (ev->scn[i]->target == d && !strcmp(ev->scn[i]->path, path))
      expr = ev->scn[i]->value;
  const Decl *set = ev->set_decl;
  for (int i = set ? set->novr - 1 : -1; i >= 0 && !expr; i--)
    if (set->ovr[i].target == d && !strcmp(set->ovr[i].path, path))
      expr = set->ovr[i].value;
  if (!expr) {
    Field *f = decl_field(d, path);
    if (!f || !f->ir)
      return 0;
    expr = f->ir;
  }
  (void)sp;
  return eval(ev, expr, out) == 0 ? 1 : -1;
}

const char *ev_field_text(Eval *ev, Decl *d, const char *path, Span sp, const char *fallback) {
  Value v;
  if (ev_field_get(ev, d, path, &v, sp) != 1 || v.type != T_STR)
    return fallback;
  return v.str;
}

int ev_field_num(Eval *ev, Decl *d, const char *path, double *out, Span sp, int required) {
  Value v;
  int r = ev_field_get(ev, d, path, &v, sp);
  if (r < 0)
    return -1;
  if (r == 0) {
    if (required & 1)
      return ev_fail(ev, EV_INPUT, sp, "%s '%s' has no value for '%s'",
                     type_name(decl_type(d->kind)), d->name, path);
    return 0;
  }
  if (isnan(v.num) || (!(required & 2) && !isfinite(v.num)))
    return ev_fail(ev, EV_INPUT, sp, "'%s.%s' = %g is not a finite number", d->name, path, v.num);
  *out = v.num;
  return 1;
}

/* ---- learning curves ------------------------------------------------------------------ */

int ev_curve_data(Eval *ev, Decl *d, double **qp, double **cp, int *np, double *bootp, Span sp) {
  Value Q, c, w;
  int hq = ev_field_get(ev, d, "Q", &Q, sp), hc = ev_field_get(ev, d, "c", &c, sp);
  if (hq < 0 || hc < 0)
    return -1;
  if (!hq || !hc)
    return ev_fail(ev, EV_INPUT, sp, "learning_curve '%s' has no data 'Q' and 'c' to fit", d->name);
  if (Q.n != c.n)
    return ev_fail(ev, EV_INPUT, sp, "learning_curve '%s': Q has %d values but c has %d", d->name,
                   Q.n, c.n);
  int hw = ev_field_get(ev, d, "where", &w, sp);
  if (hw < 0)
    return -1;
  if (hw && w.n != Q.n)
    return ev_fail(ev, EV_INPUT, sp, "learning_curve '%s': 'where' has %d values, the data %d",
                   d->name, w.n, Q.n);
  double *q = arena_alloc(ev->ar, (size_t)(Q.n + 1) * sizeof *q);
  double *cc = arena_alloc(ev->ar, (size_t)(Q.n + 1) * sizeof *cc);
  int n = 0, prev = -1;
  for (int i = 0; i < Q.n; i++)
    if (!hw || w.vec[i] != 0) {
      /* cumulative output only grows: a fall is a data error (a typo, unsorted rows or a
       * per-period series given as cumulative), which the fit would silently absorb */
      if (n && Q.vec[i] < q[n - 1]) {
        char u[64];
        dim_format(Q.dim, u, sizeof u);
        return ev_fail(ev, EV_INPUT, sp,
                       "learning_curve '%s': cumulative output Q falls from %g %s (observation "
                       "%d) to %g %s (observation %d); Q must not decrease in the order of the "
                       "data (sort the rows by date, or give cumulative, not per-period, "
                       "output)",
                       d->name, q[n - 1], u, prev + 1, Q.vec[i], u, i + 1);
      }
      prev = i;
      q[n] = Q.vec[i];
      cc[n++] = c.vec[i];
    }
  double boot = 0;
  if (ev_field_num(ev, d, "bootstrap", &boot, sp, 0) < 0)
    return -1;
  if (boot < 0 || boot != floor(boot) || boot > (double)ev->opt.max_bootstrap)
    return ev_fail(ev, EV_INPUT, sp, "bootstrap = %g must be a whole number from 0 to %ld", boot,
                   ev->opt.max_bootstrap);
  *qp = q;
  *cp = cc;
  *np = n;
  *bootp = boot;
  return 0;
}

int ev_curve_fit(Eval *ev, Decl *d, ec_fit *fit, Span sp, int with_bootstrap) {
  double *q, *cc, boot;
  int n;
  if (ev_curve_data(ev, d, &q, &cc, &n, &boot, sp))
    return -1;
  /* Only the interval needs the bootstrap; alpha, its standard error and the rest do not. */
  if (!with_bootstrap)
    boot = 0;
  /* A fit is a pure function of its data, resamples and seed; reports of one curve (alpha,
   * its standard error, its interval...) share it rather than fit again. A fit with a
   * bootstrap serves requests without one. */
  FitMemo *m = ev->fit_memo;
  size_t bytes = (size_t)n * sizeof *q;
  for (int i = 0; i < FIT_MEMO_SLOTS; i++)
    if (m[i].used && m[i].n == n && (m[i].boot == boot || !with_bootstrap) &&
        m[i].seed == ev->seed && !memcmp(m[i].q, q, bytes) && !memcmp(m[i].c, cc, bytes)) {
      *fit = m[i].fit;
      return 0;
    }
  ec_error err;
  ec_status st = ec_fit_wright(q, cc, (size_t)n, (size_t)boot, ev->seed, fit, &err);
  if (st != EC_OK)
    return ev_fail(ev, EV_NUMERIC, sp, "learning_curve '%s': %s", d->name, err.msg);
  if (n <= FIT_MEMO_MAX_OBS) {
    FitMemo *slot = &m[ev->fit_memo_next++ % FIT_MEMO_SLOTS];
    *slot = (FitMemo){1, n, boot, ev->seed, {0}, {0}, *fit};
    memcpy(slot->q, q, bytes);
    memcpy(slot->c, cc, bytes);
  }
  return 0;
}

int ev_curve_alpha(Eval *ev, Decl *d, double *alpha, Span sp) {
  int r = ev_field_num(ev, d, "alpha", alpha, sp, 0);
  if (r < 0)
    return -1;
  if (r == 0) {
    ec_fit f;
    if (ev_curve_fit(ev, d, &f, sp, 0))
      return -1;
    *alpha = f.alpha;
  }
  if (!(*alpha > 0))
    return ev_fail(ev, EV_NUMERIC, sp, "learning_curve '%s': alpha = %g must be positive", d->name,
                   *alpha);
  return 0;
}

/* ---- the game -------------------------------------------------------------------------- */

Decl *ev_scenario_market(Eval *ev, Decl *scn, Span sp) {
  for (Decl *s = scn; s; s = s->base) {
    Field *f = decl_field(s, "market");
    if (f && f->ir && f->ir->op == IR_REF)
      return f->ir->decl;
  }
  ev_fail(ev, EV_INPUT, sp, "scenario '%s' names no market", scn->name);
  return NULL;
}

int ev_push_scenario(Eval *ev, Decl *scn) {
  int pushed = 0;
  if (scn->base)
    pushed += ev_push_scenario(ev, scn->base);
  for (int i = 0; i < scn->novr && ev->nscn < 256; i++, pushed++)
    ev->scn[ev->nscn++] = &scn->ovr[i];
  return pushed;
}

int ev_scenario_game(Eval *ev, Decl *scn, ec_game *g, double *x0, Span sp) {
  int pushed = ev_push_scenario(ev, scn);
  int rc = -1;
  Decl *m = ev_scenario_market(ev, scn, sp);
  double N, a, b, r, S_T = 0, S_I = 0, delta = 0;
  if (!m || ev_field_num(ev, m, "firms", &N, sp, 1) < 0 ||
      ev_field_num(ev, m, "demand.a", &a, sp, 1) < 0 ||
      ev_field_num(ev, m, "demand.b", &b, sp, 1) < 0 ||
      ev_field_num(ev, m, "discount", &r, sp, 1) < 0 ||
      ev_field_num(ev, m, "continuation.S_T", &S_T, sp, 0) < 0)
    goto out;
  if (N < 1 || N != floor(N) || N > 1e6) {
    ev_fail(ev, EV_INPUT, sp, "market '%s': firms = %g must be a whole number from 1 to 1000000",
            m->name, N);
    goto out;
  }
  int hasI = ev_field_num(ev, m, "continuation.S_I", &S_I, sp, 0);
  if (hasI < 0 || (hasI && ev_field_num(ev, m, "continuation.delta", &delta, sp, 1) < 0))
    goto out;
  if (hasI && !(r + delta > 0)) {
    ev_fail(ev, EV_NUMERIC, sp, "market '%s': r + delta = %g must be positive for S_I/(N(r+delta))",
            m->name, r + delta);
    goto out;
  }
  *g = (ec_game){(int)N, a, b, r, ec_continuation_value(S_T, hasI ? S_I : 0, (int)N, r, delta)};
  int hx = ev_field_num(ev, m, "x0", x0, sp, 0);
  if (hx < 0)
    goto out;
  if (!hx) {
    Value cv;
    double alpha, c_now, c_star, Q_now;
    if (ev_field_get(ev, m, "threshold.curve", &cv, sp) <= 0 ||
        ev_curve_alpha(ev, cv.decl, &alpha, sp) ||
        ev_field_num(ev, m, "threshold.c_now", &c_now, sp, 1) < 0 ||
        ev_field_num(ev, m, "threshold.c_star", &c_star, sp, 1) < 0 ||
        ev_field_num(ev, m, "threshold.Q_now", &Q_now, sp, 1) < 0)
      goto out;
    if (!(c_star > 0) || !(c_now > c_star) || !(Q_now > 0)) {
      ev_fail(ev, EV_NUMERIC, sp,
              "market '%s': the threshold needs c_now > c_star > 0 and Q_now > 0 (c_now = %g, "
              "c_star = %g, Q_now = %g)",
              m->name, c_now, c_star, Q_now);
      goto out;
    }
    /* Wright's law through today's point: Qbar = Q_now (c_now/c_star)^(1/alpha). */
    *x0 = Q_now * expm1(log(c_now / c_star) / alpha);
    if (!isfinite(*x0)) {
      ev_fail(ev, EV_NUMERIC, sp,
              "market '%s': the threshold overflows (alpha = %g, c_now/c_star = %g)", m->name,
              alpha, c_now / c_star);
      goto out;
    }
  }
  ec_error err;
  if (ec_game_check(g, &err) != EC_OK) {
    ev_fail(ev, EV_NUMERIC, sp, "market '%s': %s", m->name, err.msg);
    goto out;
  }
  rc = 0;
out:
  ev->nscn -= pushed;
  return rc;
}

/* ---- expressions ------------------------------------------------------------------------ */

Value ev_num(double v, Dim d) {
  Value r = {0};
  r.type = T_NUM;
  r.num = v;
  r.dim = d;
  return r;
}

static double binop(int op, double a, double b) {
  switch (op) {
  case '+':
    return a + b;
  case '-':
    return a - b;
  case '*':
    return a * b;
  case '/':
    return a / b;
  case '^':
    return pow(a, b);
  case '<':
    return a < b;
  case '>':
    return a > b;
  case 'l':
    return a <= b;
  case 'g':
    return a >= b;
  case 'e':
    return a == b;
  case 'n':
    return a != b;
  }
  return NAN;
}

/* A layer function given lists where it takes numbers (compile.c typed it a list): called
 * at each position of the lists, which must have one length. */
static int map_layer_call(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  int n = -1;
  for (int i = 0; i < e->nargs && i < 4; i++)
    if (e->fn->args[i] == T_ERROR && a[i].type == T_VEC) {
      if (n >= 0 && a[i].n != n)
        return ev_fail(ev, EV_INPUT, e->span, "'%s' is given lists of %d and %d values",
                       e->fn->name, n, a[i].n);
      n = a[i].n;
    }
  double *v = arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *v);
  for (int k = 0; k < n; k++) {
    Value b[4];
    memcpy(b, a, sizeof b);
    for (int i = 0; i < e->nargs && i < 4; i++)
      if (e->fn->args[i] == T_ERROR && a[i].type == T_VEC)
        b[i] = ev_num(a[i].vec[k], a[i].dim);
    Value one = ev_num(0, e->dim);
    if (e->fn->fn(ev, e, b, &one))
      return -1;
    v[k] = one.num;
  }
  *out = ev_num(0, e->dim);
  out->type = T_VEC;
  out->vec = v;
  out->n = n;
  return 0;
}

static int eval_call(Eval *ev, const IrExpr *e, Value *out) {
  Value a[4] = {0};
  for (int i = 0; i < e->nargs && i < 4; i++)
    if (eval(ev, e->args[i], &a[i]))
      return -1;
  *out = ev_num(0, e->dim);
  if (e->fn->rtype && e->type == T_VEC && e->fn->rtype == T_NUM)
    return map_layer_call(ev, e, a, out);
  if (e->fn->rtype)
    out->type = e->type;
  return e->fn->fn(ev, e, a, out) ? -1 : 0;
}

int eval(Eval *ev, const IrExpr *e, Value *out) {
  if (ev->status)
    return -1;
  memset(out, 0, sizeof *out);
  out->type = e->type;
  out->dim = e->dim;
  switch (e->op) {
  case IR_NUM:
  case IR_BOOL:
    out->num = e->num;
    return 0;
  case IR_STR:
    out->str = e->str;
    return 0;
  case IR_SYM:
    out->sym = e->sym;
    return 0;
  case IR_REF:
    out->decl = e->decl;
    return 0;
  case IR_COLUMN:
    out->vec = e->decl->num[e->col];
    out->n = e->decl->nrows;
    return 0;
  case IR_CONST:
    return eval(ev, e->decl->value, out);
  case IR_FIELD: {
    int r = ev_field_get(ev, e->decl, e->path, out, e->span);
    if (r == 0)
      return ev_fail(ev, EV_INPUT, e->span, "'%s.%s' has no value", e->decl->name, e->path);
    return r < 0 ? -1 : 0;
  }
  case IR_LIST:
    out->n = e->nargs;
    out->vec = arena_alloc(ev->ar, (size_t)(e->nargs + 1) * sizeof *out->vec);
    for (int i = 0; i < e->nargs; i++) {
      Value v;
      if (eval(ev, e->args[i], &v))
        return -1;
      out->vec[i] = v.num;
    }
    return 0;
  case IR_NEG:
  case IR_NOT: {
    Value v;
    if (eval(ev, e->args[0], &v))
      return -1;
    if (v.type == T_VEC) {
      out->n = v.n;
      out->vec = arena_alloc(ev->ar, (size_t)(v.n + 1) * sizeof *out->vec);
      for (int i = 0; i < v.n; i++)
        out->vec[i] = e->op == IR_NEG ? -v.vec[i] : !v.vec[i];
    } else
      out->num = e->op == IR_NEG ? -v.num : !v.num;
    return 0;
  }
  case IR_BIN: {
    Value l, r;
    if (eval(ev, e->args[0], &l) || eval(ev, e->args[1], &r))
      return -1;
    if (e->bop == '&' || e->bop == '|') {
      out->num = e->bop == '&' ? (l.num && r.num) : (l.num || r.num);
      return 0;
    }
    if (l.type == T_VEC || r.type == T_VEC) {
      if (l.type == T_VEC && r.type == T_VEC && l.n != r.n)
        return ev_fail(ev, EV_INPUT, e->span, "lists of lengths %d and %d combined elementwise",
                       l.n, r.n);
      int n = l.type == T_VEC ? l.n : r.n;
      out->n = n;
      out->vec = arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *out->vec);
      for (int i = 0; i < n; i++) {
        double x = l.type == T_VEC ? l.vec[i] : l.num, y = r.type == T_VEC ? r.vec[i] : r.num;
        out->vec[i] = binop(e->bop, x, y);
        if (isnan(out->vec[i]))
          return ev_fail(ev, EV_NUMERIC, e->span,
                         "element %d is not a number (%g and %g left the operator's domain)", i + 1,
                         x, y);
      }
      return 0;
    }
    out->num = binop(e->bop, l.num, r.num);
    if (isinf(out->num) && isfinite(l.num) && isfinite(r.num) && e->bop != '/')
      return ev_fail(ev, EV_NUMERIC, e->span,
                     "overflow: the result of %g %c %g is beyond the range of a double", l.num,
                     e->bop, r.num);
    if (e->bop == '/' && r.num == 0)
      return ev_fail(ev, EV_NUMERIC, e->span, "division by zero (%g / 0)", l.num);
    if (isnan(out->num))
      return ev_fail(ev, EV_NUMERIC, e->span,
                     "the result is not a number (%g and %g left the domain of the operator)",
                     l.num, r.num);
    return 0;
  }
  case IR_CALL:
    return eval_call(ev, e, out);
  case IR_SAMPLE:
    return unc_column(ev, e, out);
  }
  return ev_fail(ev, EV_INPUT, e->span, "cannot evaluate this expression");
}

/* ---- statements ------------------------------------------------------------------------ */

static void results_push(Results *r, Result x) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    r->items = realloc(r->items, (size_t)r->cap * sizeof *r->items);
  }
  r->items[r->n++] = x;
}

void results_free(Results *r) {
  for (int i = 0; i < r->n; i++) {
    free(r->items[i].cells);
    free(r->items[i].cols);
    free(r->items[i].dims);
  }
  free(r->items);
  for (int i = 0; i < r->nclaims; i++)
    claim_free(&r->claims[i]);
  free(r->claims);
  memset(r, 0, sizeof *r);
}

/* Evaluates one report item. inf is an answer only where a function documents it ("never");
 * elsewhere it is an overflow. */
static int eval_item(Eval *ev, const ReportItem *it, Value *v) {
  if (check_deadline(ev, it->span) || eval(ev, it->expr, v))
    return -1;
  const IrExpr *x = it->expr;
  int inf_ok = x->op == IR_NUM || (x->op == IR_CALL && x->fn && x->fn->rtype);
  if (v->type == T_NUM && (isnan(v->num) || (!isfinite(v->num) && !inf_ok)))
    return ev_fail(ev, EV_NUMERIC, x->span, "'%s' is not finite (%g)", it->name, v->num);
  return 0;
}

/* One report item as a result: a scalar, or a list as a one-column table. */
static int report_result(Eval *ev, const ReportItem *it, Result *out) {
  Result r = {0};
  r.name = it->name;
  if (eval_item(ev, it, &r.v))
    return -1;
  if (r.v.type == T_VEC) {
    /* A list becomes a one-column table. */
    r.is_table = 1;
    r.ncols = 1;
    r.nrows = r.v.n;
    r.cols = malloc(sizeof *r.cols);
    r.cols[0] = r.name;
    r.dims = malloc(sizeof *r.dims);
    r.dims[0] = r.v.dim;
    r.cells = malloc((size_t)(r.v.n + 1) * sizeof *r.cells);
    memcpy(r.cells, r.v.vec, (size_t)r.v.n * sizeof *r.cells);
  }
  *out = r;
  return 0;
}

static int eval_report(Eval *ev, const Stmt *s, Results *res) {
  for (int i = 0; i < s->nitems; i++) {
    Result r = {0};
    r.name = s->items[i].name;
    /* a shard holds only part of each sample: its summaries are the merge's to compute */
    if (s->uses_sample && ev->opt.defer_samples)
      r.deferred = 1;
    else if (report_result(ev, &s->items[i], &r))
      return -1;
    results_push(res, r);
  }
  return 0;
}

/* ---- sweeps ----------------------------------------------------------------------------
 * A sweep is the grid of all combinations of its axes (the last axis varies fastest). Row k
 * of the grid is a pure function of k, so rows are computed by several workers in chunks and
 * written in order: the output is the same for any number of threads, and a shard is simply
 * a contiguous range of rows. */

enum { SWEEP_CHUNK = 4096 };
/* A sweep printed whole (no `to` file under --out) is held in memory up to this size. */
#define SWEEP_MAX_MEMORY (2.0 * 1024 * 1024 * 1024)

typedef struct {
  const Stmt *s;
  const Value *dom;     /* per axis */
  const double *points; /* a sample: row r's inputs at points[r * naxes ..]; else the grid */
  int tolerate;         /* a numeric failure fails its point (NA), not the run */
  int keep;             /* keep every row in cells even when streaming (samples) */
  long *stride;         /* row = sum of index[a] * stride[a] */
  int ncols;
  /* the chunk being computed */
  long first;
  long nrows;
  double *cells;
  /* next row of the chunk to take and the first failing row, each on its own cache line so
   * that taking rows does not invalidate the fields every worker reads */
  _Alignas(64) long next;
  _Alignas(64) long fail_row;
  /* streaming: each row rendered by its worker into text + i * text_cap */
  const SweepSink *sink;
  char *text;
  size_t *text_len, text_cap;
  _Alignas(64) pthread_mutex_t mu;
  char msg[800];
  Span span;
  EvalStatus status;
  /* failed draws of a sample: how many, and the first with its message */
  _Alignas(64) long nfailed;
  long first_failed;
  char failed_msg[800];
  Span failed_span;
} SweepRun;

typedef struct {
  Eval ev; /* a copy of the parent's, with its own arena */
  SweepRun *run;
  IrExpr *point; /* per axis: the current value, pushed as a sweep override */
  Override *ovr;
} SweepWorker;

static int sweep_row(SweepWorker *w, long row, double *out) {
  SweepRun *run = w->run;
  const Stmt *s = run->s;
  for (int a = 0; a < s->naxes; a++) {
    if (run->points)
      w->point[a].num = run->points[row * s->naxes + a];
    else
      w->point[a].num = run->dom[a].vec[row / run->stride[a] % run->dom[a].n];
    out[a] = w->point[a].num;
  }
  int c = s->naxes;
  for (int i = 0; i < s->nbody; i++) {
    const Stmt *b = s->body[i];
    for (int j = 0; j < b->nitems; j++) {
      Value v;
      if (eval_item(&w->ev, &b->items[j], &v))
        return -1;
      if (v.type != T_NUM && v.type != T_BOOL)
        return ev_fail(&w->ev, EV_INPUT, b->items[j].span,
                       "a report inside a sweep must be one number, got %s", type_name(v.type));
      out[c++] = v.num;
    }
  }
  return 0;
}

/* Rows are taken in blocks, so that workers write to separate stretches of the output. */
enum { SWEEP_BLOCK = 16 };

/* One row: 0, or -1 after recording the failure if it is the first so far. */
static int sweep_one(SweepWorker *w, long i) {
  SweepRun *run = w->run;
  long row = run->first + i;
  arena_reset(w->ev.ar);
  w->ev.status = EV_OK;
  double *cells = run->cells + i * run->ncols;
  w->ev.hard_stop = 0;
  int ok = sweep_row(w, row, cells) == 0;
  if (!ok && run->tolerate && w->ev.status == EV_NUMERIC && !w->ev.hard_stop) {
    /* a failed draw: its results are missing (NA), counted and reported, not dropped */
    for (int c = run->s->naxes; c < run->ncols; c++)
      cells[c] = NAN;
    __atomic_fetch_add(&run->nfailed, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&run->mu);
    if (row < run->first_failed) {
      run->first_failed = row;
      memcpy(run->failed_msg, w->ev.msg, sizeof run->failed_msg);
      run->failed_span = w->ev.span;
    }
    pthread_mutex_unlock(&run->mu);
    ok = 1;
  }
  if (ok) {
    if (run->sink)
      run->text_len[i] =
          run->sink->format_row(run->ncols, cells, run->text + i * run->text_cap, run->text_cap);
    return 0;
  }
  /* keep the failure of the first row, as a single thread would meet it */
  pthread_mutex_lock(&run->mu);
  if (row < run->fail_row) {
    __atomic_store_n(&run->fail_row, row, __ATOMIC_RELAXED);
    memcpy(run->msg, w->ev.msg, sizeof run->msg);
    run->span = w->ev.span;
    run->status = w->ev.status;
  }
  pthread_mutex_unlock(&run->mu);
  return -1;
}

static void *sweep_work(void *arg) {
  SweepWorker *w = arg;
  SweepRun *run = w->run;
  for (;;) {
    long i0 = __atomic_fetch_add(&run->next, SWEEP_BLOCK, __ATOMIC_RELAXED);
    for (long i = i0; i < i0 + SWEEP_BLOCK; i++)
      if (i >= run->nrows || run->first + i > __atomic_load_n(&run->fail_row, __ATOMIC_RELAXED) ||
          sweep_one(w, i))
        return NULL;
  }
}

/* Computes rows [first, first + nrows) into cells with up to nw workers. */
static int sweep_chunk(SweepRun *run, SweepWorker *w, int nw, long first, long nrows,
                       double *cells) {
  run->first = first;
  run->nrows = nrows;
  run->cells = cells;
  run->next = 0;
  if (nw > nrows)
    nw = (int)nrows;
  pthread_t tid[EVAL_MAX_THREADS];
  int started = 0;
  for (int t = 1; t < nw; t++)
    if (pthread_create(&tid[t], NULL, sweep_work, &w[t]) == 0)
      started = t;
    else
      break; /* fewer threads: the same rows, more slowly */
  sweep_work(&w[0]);
  for (int t = 1; t <= started; t++)
    pthread_join(tid[t], NULL);
  return run->fail_row == LONG_MAX ? 0 : -1;
}

static void sweep_axis_text(const Stmt *s, const SweepRun *run, long row, char *buf, size_t n) {
  size_t l = 0;
  if (run->points)
    l += (size_t)snprintf(buf, n, "draw %ld: ", row + 1);
  for (int a = 0; a < s->naxes && l < n; a++) {
    double v = run->points ? run->points[row * s->naxes + a]
                           : run->dom[a].vec[row / run->stride[a] % run->dom[a].n];
    l += (size_t)snprintf(buf + l, n - l, "%s%s = %g", a ? ", " : "", s->axes[a].label, v);
  }
}

/* The table's header: one column per axis, then one per report; rows [lo, hi) of P. */
static Result sweep_header(const Stmt *s, const Value *dom, long lo, long hi, long P) {
  Result r = {0};
  r.name = s->name;
  r.is_table = r.is_sweep = 1;
  r.file = s->to_file;
  r.first_row = lo;
  r.total_rows = P;
  r.nrows = (int)(hi - lo);
  r.ncols = s->naxes;
  for (int i = 0; i < s->nbody; i++)
    r.ncols += s->body[i]->nitems;
  r.cols = malloc((size_t)r.ncols * sizeof *r.cols);
  r.dims = malloc((size_t)r.ncols * sizeof *r.dims);
  for (int a = 0; a < s->naxes; a++) {
    r.cols[a] = s->axes[a].label;
    r.dims[a] = dom[a].dim;
  }
  for (int i = 0, c = s->naxes; i < s->nbody; i++)
    for (int j = 0; j < s->body[i]->nitems; j++, c++) {
      r.cols[c] = s->body[i]->items[j].name;
      r.dims[c] = s->body[i]->items[j].expr->dim;
    }
  return r;
}

/* Each worker: a copy of the evaluator with its own arena and the axes as sweep overrides. */
static void sweep_workers_init(SweepWorker *w, int nw, Eval *ev, SweepRun *run) {
  const Stmt *s = run->s;
  for (int t = 0; t < nw; t++) {
    w[t].ev = *ev;
    w[t].ev.ar = arena_new();
    w[t].ev.nsweep = 0;
    w[t].run = run;
    w[t].point = calloc((size_t)s->naxes, sizeof *w[t].point);
    w[t].ovr = calloc((size_t)s->naxes, sizeof *w[t].ovr);
    for (int a = 0; a < s->naxes; a++) {
      w[t].point[a].op = IR_NUM;
      w[t].point[a].type = T_NUM;
      w[t].point[a].dim = run->dom[a].dim;
      w[t].ovr[a] = (Override){s->axes[a].target, s->axes[a].path, &w[t].point[a], s->span};
      w[t].ev.sweep[w[t].ev.nsweep++] = &w[t].ovr[a];
    }
  }
}

static void sweep_workers_free(SweepWorker *w, int nw) {
  for (int t = 0; t < nw; t++) {
    arena_free(w[t].ev.ar);
    free(w[t].point);
    free(w[t].ovr);
  }
}

/* Computes rows [lo, hi) chunk by chunk into cells (memory) or through the sink (handle). */
static int sweep_rows(Eval *ev, SweepRun *run, long lo, long hi, double *cells, void *handle) {
  const Stmt *s = run->s;
  int nw = ev->opt.threads;
  SweepWorker w[EVAL_MAX_THREADS];
  sweep_workers_init(w, nw, ev, run);
  int rc = 0;
  for (long first = lo; first < hi && !rc; first += SWEEP_CHUNK) {
    long n = hi - first < SWEEP_CHUNK ? hi - first : SWEEP_CHUNK;
    rc = sweep_chunk(run, w, nw, first, n,
                     run->sink && !run->keep ? cells : cells + (first - lo) * run->ncols);
    for (long i = 0; !rc && run->sink && i < n; i++)
      if (run->sink->write(handle, run->text + i * run->text_cap, run->text_len[i]) != 0)
        rc = ev_fail(ev, EV_INPUT, s->span, "cannot write the rows of sweep '%s' to '%s'", s->name,
                     s->to_file);
  }
  sweep_workers_free(w, nw);
  if (run->fail_row != LONG_MAX) {
    /* the first failing point, with its coordinates */
    char at[400];
    sweep_axis_text(s, run, run->fail_row, at, sizeof at);
    memcpy(ev->msg, run->msg, sizeof ev->msg);
    size_t l = strlen(ev->msg);
    snprintf(ev->msg + l, sizeof ev->msg - l, " [in %s '%s' at %s]",
             s->kind == ST_SAMPLE ? "sample" : "sweep", s->name, at);
    ev->span = run->span;
    ev->status = run->status ? run->status : EV_NUMERIC;
  }
  return rc;
}

/* Computes rows [lo, hi) of run's table r: into memory, or streamed through the sink when
 * the statement names a file (and kept in memory too for samples). On failure r is freed. */
static int table_execute(Eval *ev, const Stmt *s, SweepRun *run, Result *r, long lo, long hi) {
  run->s = s;
  run->ncols = r->ncols;
  run->fail_row = LONG_MAX;
  run->first_failed = LONG_MAX;
  /* Rows go to the sink when the statement names a file and the caller streams. */
  run->sink = s->to_file ? ev->opt.sink : NULL;
  void *handle = NULL;
  char err[512];
  double *cells = NULL;
  int rc = 0;
  if (!run->sink || run->keep) {
    double bytes = (double)(hi - lo) * r->ncols * sizeof *cells;
    if (bytes > SWEEP_MAX_MEMORY || !(cells = r->cells = malloc((size_t)bytes + sizeof *cells))) {
      if (run->keep)
        rc = ev_fail(ev, EV_INPUT, s->span,
                     "sample '%s' would hold %.0f MB of draws in memory; take fewer draws or "
                     "shard the run (--shard)",
                     s->name, bytes / 1e6);
      else
        rc = ev_fail(ev, EV_INPUT, s->span,
                     "sweep '%s' would hold %.0f MB of results in memory; give it a file (to "
                     "\"%s.csv\") and run with --out DIR to stream its rows to disk",
                     s->name, bytes / 1e6, s->name);
    }
  }
  if (run->sink && !rc) {
    if (!(handle = run->sink->open(run->sink->ctx, r, err, sizeof err)))
      rc = ev_fail(ev, EV_INPUT, s->span, "%s", err);
    if (!run->keep)
      cells = malloc((size_t)SWEEP_CHUNK * (size_t)r->ncols * sizeof *cells);
    run->text_cap = (size_t)r->ncols * SWEEP_CELL_TEXT + 2;
    run->text = malloc(SWEEP_CHUNK * run->text_cap);
    run->text_len = malloc(SWEEP_CHUNK * sizeof *run->text_len);
  }
  if (!rc) {
    pthread_mutex_init(&run->mu, NULL);
    rc = sweep_rows(ev, run, lo, hi, cells, handle);
    pthread_mutex_destroy(&run->mu);
  }
  if (run->sink) {
    if (!run->keep)
      free(cells);
    free(run->text);
    free(run->text_len);
    if (handle && run->sink->close(handle, rc == 0, err, sizeof err) != 0 && rc == 0)
      rc = ev_fail(ev, EV_INPUT, s->span, "%s", err);
    r->streamed = handle != NULL;
  }
  if (rc) {
    free(r->cells);
    free(r->cols);
    free(r->dims);
    r->cells = NULL;
    return -1;
  }
  return 0;
}

/* Points that failed numerically are NA in the table: counted, and the first named in a
 * warning (a sweep and a sample alike; --strict stops at the first instead). */
static void warn_failed(Eval *ev, const Stmt *s, const SweepRun *run, long npoints) {
  if (!run->nfailed || !ev->diag)
    return;
  char at[400];
  sweep_axis_text(s, run, run->first_failed, at, sizeof at);
  int sample = s->kind == ST_SAMPLE;
  diag_warning(ev->diag, s->span,
               "%ld of the %ld %s of %s '%s' failed and are NA in its results%s; the first, %s: %s",
               run->nfailed, npoints, sample ? "draws" : "points", sample ? "sample" : "sweep",
               s->name, sample ? " (left out of its summaries)" : "", at, run->failed_msg);
}

static int eval_sweep(Eval *ev, const Stmt *s, Results *res) {
  /* The grid: its axes' values and its size. */
  Value *dom = arena_alloc(ev->ar, (size_t)s->naxes * sizeof *dom);
  long *stride = arena_alloc(ev->ar, (size_t)s->naxes * sizeof *stride);
  double points = 1;
  for (int a = 0; a < s->naxes; a++) {
    if (eval(ev, s->axes[a].domain, &dom[a]))
      return -1;
    if (dom[a].n < 1)
      return ev_fail(ev, EV_INPUT, s->axes[a].span, "sweep axis '%s' has no values",
                     s->axes[a].label);
    points *= dom[a].n;
  }
  if (points > (double)ev->opt.max_sweep_points)
    return ev_fail(ev, EV_INPUT, s->span, "a sweep of %.0f points exceeds the limit of %ld", points,
                   ev->opt.max_sweep_points);
  long P = (long)points;
  for (int a = s->naxes - 1; a >= 0; a--)
    stride[a] = a == s->naxes - 1 ? 1 : stride[a + 1] * dom[a + 1].n;
  long lo = P * (ev->opt.shard_k - 1) / ev->opt.shard_n, hi = P * ev->opt.shard_k / ev->opt.shard_n;
  Result r = sweep_header(s, dom, lo, hi, P);
  SweepRun run = {0};
  run.dom = dom;
  run.stride = stride;
  run.tolerate = !ev->opt.strict;
  if (table_execute(ev, s, &run, &r, lo, hi))
    return -1;
  warn_failed(ev, s, &run, hi - lo);
  r.failed = run.nfailed;
  if (r.streamed) {
    free(r.cells);
    r.cells = NULL;
  }
  results_push(res, r);
  return 0;
}

/* A sample: the rows of its design, each row one draw of the uncertain inputs. A draw whose
 * evaluation fails numerically (no interior solution...) is kept with NA results, counted,
 * and reported in a warning; summaries leave it out and say how many they left out. */
static int sample_table(Eval *ev, const Stmt *s, Result *r, long *nbase, long *failed) {
  double *X = NULL;
  long P;
  if (unc_design(ev, s, &X, &P, nbase))
    return -1;
  long lo = P * (ev->opt.shard_k - 1) / ev->opt.shard_n, hi = P * ev->opt.shard_k / ev->opt.shard_n;
  Value *dom = arena_alloc(ev->ar, (size_t)(s->naxes + 1) * sizeof *dom);
  for (int a = 0; a < s->naxes; a++)
    dom[a].dim = s->axes[a].dim;
  *r = sweep_header(s, dom, lo, hi, P);
  SweepRun run = {0};
  run.points = X;
  run.dom = dom;
  run.keep = 1;
  run.tolerate = !ev->opt.strict;
  int rc = table_execute(ev, s, &run, r, lo, hi);
  if (!rc)
    warn_failed(ev, s, &run, hi - lo);
  *failed = run.nfailed;
  free(X);
  return rc;
}

static int eval_sample(Eval *ev, const Stmt *s, Results *res) {
  Result r;
  long nbase, failed;
  if (sample_table(ev, s, &r, &nbase, &failed))
    return -1;
  ev_sample_record(ev, s->self, r.cells, r.nrows, r.ncols, nbase);
  r.is_sample = 1;
  r.failed = failed;
  results_push(res, r);
  return 0;
}

int eval_sample_private(Eval *ev, const Stmt *s, double **cells, long *nrows, int *ncols,
                        long *nbase) {
  /* computed whole, quietly, and kept in the evaluation's arena */
  EvalOptions saved = ev->opt;
  Diag *diag = ev->diag;
  ev->opt.shard_k = ev->opt.shard_n = 1;
  ev->opt.sink = NULL;
  ev->diag = NULL;
  Result r;
  long failed;
  int rc = sample_table(ev, s, &r, nbase, &failed);
  ev->opt = saved;
  ev->diag = diag;
  if (rc)
    return -1;
  size_t bytes = (size_t)r.nrows * (size_t)r.ncols * sizeof *r.cells;
  *cells = arena_alloc(ev->ar, bytes + sizeof *r.cells);
  memcpy(*cells, r.cells, bytes);
  *nrows = r.nrows;
  *ncols = r.ncols;
  free(r.cells);
  free(r.cols);
  free(r.dims);
  return 0;
}

/* A claim is a fact about the whole scenario: a shard leaves it to unsharded runs. */
static int eval_plot_stmt(Eval *ev, const Stmt *s, Results *res) {
  if (ev->opt.defer_samples) {
    res->plots_skipped++;
    return 0;
  }
  Result r;
  if (eval_plot(ev, s, &r))
    return -1;
  results_push(res, r);
  return 0;
}

static int eval_claim_stmt(Eval *ev, const Stmt *s, Results *res) {
  if (ev->opt.defer_samples) {
    res->claims_skipped++;
    return 0;
  }
  return eval_claim(ev, s, res);
}

static void report_failure(Eval *ev, Diag *diag) {
  diag->nerrors++;
  FILE *out = diag->out ? diag->out : stderr;
  Span sp = ev->span;
  if (sp.file >= 0 && diag->src && sp.file < diag->src->n) {
    /* reuse the located printer through diag_error, without double counting */
    diag->nerrors--;
    diag_error(diag, sp, "%s", ev->msg);
  } else
    fprintf(out, "edsl: error: %s\n", ev->msg);
}

void eval_print_failure(Eval *ev, Diag *diag) {
  report_failure(ev, diag);
}

EvalStatus eval_program(Eval *ev, int from, Results *res, Diag *diag) {
  ec_init();
  ev->status = EV_OK;
  ev->set_decl = program_find(ev->p, "__set__");
  ev->deadline = ev->opt.time_limit > 0 ? now_seconds() + ev->opt.time_limit : 0;
  ev->diag = diag;
  for (int i = from; i < ev->p->nstmts; i++) {
    const Stmt *s = ev->p->stmts[i];
    int rc = s->kind == ST_REPORT  ? eval_report(ev, s, res)
             : s->kind == ST_SWEEP ? eval_sweep(ev, s, res)
             : s->kind == ST_CLAIM ? eval_claim_stmt(ev, s, res)
             : s->kind == ST_PLOT  ? eval_plot_stmt(ev, s, res)
                                   : eval_sample(ev, s, res);
    if (rc != 0) {
      report_failure(ev, diag);
      return ev->status ? ev->status : EV_NUMERIC;
    }
  }
  return EV_OK;
}

EvalStatus eval_deferred(Eval *ev, Results *res, Diag *diag) {
  ec_init();
  ev->status = EV_OK;
  ev->set_decl = program_find(ev->p, "__set__");
  ev->diag = diag;
  ev->opt.provided = res;
  int next = 0; /* results are in statement order: fill the deferred ones in turn */
  for (int i = 0; i < ev->p->nstmts; i++) {
    const Stmt *s = ev->p->stmts[i];
    if (s->kind != ST_REPORT || !s->uses_sample)
      continue;
    for (int j = 0; j < s->nitems; j++) {
      while (next < res->n && !res->items[next].deferred)
        next++;
      if (next == res->n || strcmp(res->items[next].name, s->items[j].name)) {
        snprintf(ev->msg, sizeof ev->msg,
                 "the shards do not hold the deferred result '%s' where the scenario reports it",
                 s->items[j].name);
        ev->span = (Span){-1, 0, 0, 0, 0};
        report_failure(ev, diag);
        return EV_INPUT;
      }
      Result r;
      if (report_result(ev, &s->items[j], &r)) {
        report_failure(ev, diag);
        return ev->status ? ev->status : EV_NUMERIC;
      }
      /* the names stay the shards' (the program that computed them goes before the output) */
      r.name = res->items[next].name;
      if (r.is_table)
        r.cols[0] = r.name;
      res->items[next++] = r;
    }
  }
  return EV_OK;
}

EvalStatus eval_one(Eval *ev, const IrExpr *e, Value *out, Diag *diag) {
  ec_init();
  ev->status = EV_OK;
  ev->diag = diag;
  ev->set_decl = program_find(ev->p, "__set__");
  if (eval(ev, e, out)) {
    report_failure(ev, diag);
    return ev->status;
  }
  return EV_OK;
}
