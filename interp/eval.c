/* Evaluation of expressions: calls through the builtin registry, the columns of samples,
 * learning curves' data, failures and deadlines. Block fields are read in fields.c;
 * statements (reports, sweeps, samples, claims, plots) are program.c's. */
#include "eval.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/edsl_core.h"
#include "eval_internal.h"

EvalOptions eval_default_options(void) {
  EvalOptions o = {.max_sweep_points = EVAL_MAX_SWEEP_POINTS,
                   .max_bootstrap = EVAL_MAX_BOOTSTRAP,
                   .threads = 1,
                   .shard_k = 1,
                   .shard_n = 1,
                   .max_network_edges = EVAL_MAX_NETWORK_EDGES,
                   .max_mesh_work = EVAL_MAX_MESH_WORK,
                   .max_solve_work = EVAL_MAX_SOLVE_WORK};
  return o;
}

Eval *eval_new(const Program *p, Arena *ar, unsigned long seed) {
  Eval *ev = arena_alloc(ar, sizeof *ev);
  ev->p = p;
  ev->ar = ar;
  ev->seed = seed;
  ev->opt = eval_default_options();
  ev->fc_base = -1; /* no cache of invariant fields: a sweep's workers have one */
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

double ev_now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Whether Ctrl-C was pressed: the flag a signal handler sets, read by every worker (an atomic
 * load: a plain one would be a data race between threads). */
static int ev_interrupted(const Eval *ev) {
  return ev->opt.interrupt && __atomic_load_n(ev->opt.interrupt, __ATOMIC_RELAXED);
}

/* The run's time limit, checked between reports and between the points of a sweep. */
int ev_check_deadline(Eval *ev, Span sp) {
  if (ev_interrupted(ev) && (ev->hard_stop = 1))
    return ev_fail(ev, EV_INPUT, sp, "interrupted");
  if (ev->deadline > 0 && ev_now_seconds() > ev->deadline && (ev->hard_stop = 1))
    return ev_fail(ev, EV_NUMERIC, sp, "the time limit of %g s was reached (--time-limit)",
                   ev->opt.time_limit);
  return 0;
}

/* The core's cancellation hook: its long routines stop at the run's time limit too. */
static int core_cancel(void *p) {
  const Eval *ev = p;
  return ev_interrupted(ev) || (ev->deadline > 0 && ev_now_seconds() > ev->deadline);
}

void ev_install_cancel(Eval *ev) {
  ec_set_cancel(ev && (ev->deadline > 0 || ev->opt.interrupt) ? core_cancel : NULL, ev);
}

void ev_solve_enter(Eval *ev) {
  if (ev->solve_depth++ == 0)
    ev->solve_work = 0;
}

void ev_solve_leave(Eval *ev) {
  ev->solve_depth--;
}

int ev_solve_tick(Eval *ev, Span sp) {
  if (++ev->solve_work > ev->opt.max_solve_work && (ev->hard_stop = 1))
    return ev_fail(ev, EV_NUMERIC, sp,
                   "more than %.0e evaluations of rates, targets or solver functions in one "
                   "solve, the solves nested in it included",
                   ev->opt.max_solve_work);
  return ev_check_deadline(ev, sp);
}

static int vfail(Eval *ev, EvalStatus st, Span sp, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static int vfail(Eval *ev, EvalStatus st, Span sp, const char *fmt, va_list ap) {
  if (ev->status)
    return -1;
  vsnprintf(ev->msg, sizeof ev->msg, fmt, ap);
  ev->status = st;
  ev->span = sp;
  return -1;
}

int ev_fail(Eval *ev, EvalStatus st, Span sp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(ev, st, sp, fmt, ap);
  va_end(ap);
  return -1;
}

int ev_core_fail(Eval *ev, Span sp, ec_status st, const char *fmt, ...) {
  if (st == EC_ECANCELED && (ev->hard_stop = 1) && ev_interrupted(ev))
    return ev_fail(ev, EV_INPUT, sp, "interrupted");
  if (st == EC_ECANCELED) /* the hook is the time limit's */
    return ev_fail(ev, EV_NUMERIC, sp, "the time limit of %g s was reached (--time-limit)",
                   ev->opt.time_limit);
  va_list ap;
  va_start(ap, fmt);
  vfail(ev, st == EC_EDOM ? EV_DOMAIN : EV_NUMERIC, sp, fmt, ap);
  va_end(ap);
  return -1;
}

int ev_regime_arg(Eval *ev, const IrExpr *e, const Value *a, int k, ec_regime *r) {
  if (a[k].sym != SYM_NASH && a[k].sym != SYM_COOP)
    return ev_fail(ev, EV_INPUT, e->args[k]->span, "expected a regime: nash or coop");
  *r = a[k].sym == SYM_NASH ? EC_NASH : EC_COOP;
  return 0;
}

const char *ev_kind(const Decl *d) {
  return type_name(decl_type(d->kind));
}

int ev_block_fail(Eval *ev, Span sp, const Decl *d, ec_status st, const ec_error *err) {
  if (st == EC_OK)
    return 0;
  return ev_core_fail(ev, sp, st, "%s '%s': %s", ev_kind(d), d->name, err->msg);
}

/* ---- learning curves ------------------------------------------------------------------ */

int ev_curve_data(Eval *ev, Decl *d, double **qp, double **cp, int *np, double *bootp, Span sp) {
  Value Q, c, w;
  int hq = ev_field_get(ev, d, F_CURVE_Q, &Q, sp), hc = ev_field_get(ev, d, F_CURVE_c, &c, sp);
  if (hq < 0 || hc < 0)
    return -1;
  if (!hq || !hc)
    return ev_fail(ev, EV_INPUT, sp, "learning_curve '%s' has no data 'Q' and 'c' to fit", d->name);
  if (Q.n != c.n)
    return ev_fail(ev, EV_INPUT, sp, "learning_curve '%s': Q has %d values but c has %d", d->name,
                   Q.n, c.n);
  int hw = ev_field_get(ev, d, F_CURVE_where, &w, sp);
  if (hw < 0)
    return -1;
  if (hw && w.n != Q.n)
    return ev_fail(ev, EV_INPUT, sp, "learning_curve '%s': 'where' has %d values, the data %d",
                   d->name, w.n, Q.n);
  double *q = arena_alloc(ev->ar, (size_t)(Q.n + 1) * sizeof *q);
  double *cc = arena_alloc(ev->ar, (size_t)(Q.n + 1) * sizeof *cc);
  int n = 0, prev = -1, missing = 0;
  for (int i = 0; i < Q.n; i++)
    if (hw && (w.vec[i] == 0 || isnan(w.vec[i])))
      continue; /* left out by `where` (a condition on a missing value leaves it out too) */
    else if (isnan(Q.vec[i]) || isnan(c.vec[i]))
      missing++; /* a missing value (NA): the observation is left out, and said so */
    else {
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
  if (missing && ev->diag && !__atomic_exchange_n(&d->na_warned, 1, __ATOMIC_RELAXED))
    diag_warning(ev->diag, d->span,
                 "learning_curve '%s': %d of %d observations have a missing value (NA) in Q or c "
                 "and are left out of the fit",
                 d->name, missing, hw ? (int)(n + missing) : Q.n);
  double boot = 0;
  if (ev_field_num(ev, d, F_CURVE_bootstrap, &boot, sp, 0) < 0)
    return -1;
  if (boot < 0 || boot != floor(boot) || boot > (double)ev->opt.max_bootstrap)
    return ev_fail(ev, EV_INPUT, sp, "bootstrap = %g must be a whole number from 0 to %ld", boot,
                   ev->opt.max_bootstrap);
  if (boot > 0 && boot < EVAL_MIN_BOOTSTRAP) /* 2 resamples once gave an "interval" without alpha */
    return ev_fail(ev, EV_INPUT, ev_field_span(d, F_CURVE_bootstrap, sp),
                   "learning_curve '%s': bootstrap = %g resamples are too few for a 95%% "
                   "percentile interval; it needs at least %d (each tail then holds %d), and "
                   "1000 or more is usual",
                   d->name, boot, EVAL_MIN_BOOTSTRAP, EVAL_MIN_BOOTSTRAP / 40);
  *qp = q;
  *cp = cc;
  *np = n;
  *bootp = boot;
  return 0;
}

int ev_curve_fit(Eval *ev, Decl *d, ec_fit *fit, Span sp, int with_bootstrap) {
  double *q, *cc, boot;
  int n;
  return ev_curve_fit_data(ev, d, fit, sp, with_bootstrap, &q, &cc, &n, &boot);
}

int ev_curve_fit_data(Eval *ev, Decl *d, ec_fit *fit, Span sp, int with_bootstrap, double **qp,
                      double **cp, int *np, double *bootp) {
  if (ev_curve_data(ev, d, qp, cp, np, bootp, sp))
    return -1;
  double *q = *qp, *cc = *cp, boot = *bootp;
  int n = *np;
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
    return ev_core_fail(ev, sp, st, "learning_curve '%s': %s", d->name, err.msg);
  if (n <= FIT_MEMO_MAX_OBS) {
    FitMemo *slot = &m[ev->fit_memo_next++ % FIT_MEMO_SLOTS];
    *slot = (FitMemo){1, n, boot, ev->seed, {0}, {0}, *fit};
    memcpy(slot->q, q, bytes);
    memcpy(slot->c, cc, bytes);
  }
  return 0;
}

int ev_curve_alpha(Eval *ev, Decl *d, double *alpha, Span sp) {
  int r = ev_field_num(ev, d, F_CURVE_alpha, alpha, sp, 0);
  if (r < 0)
    return -1;
  if (r == 0) {
    ec_fit f;
    if (ev_curve_fit(ev, d, &f, sp, 0))
      return -1;
    *alpha = f.alpha;
  }
  if (!(*alpha > 0))
    return ev_fail(ev, EV_DOMAIN, sp, "learning_curve '%s': alpha = %g must be positive", d->name,
                   *alpha);
  return 0;
}

/* ---- the game -------------------------------------------------------------------------- */

Value ev_num(double v, Dim d) {
  Value r = {0};
  r.type = T_NUM;
  r.num = v;
  r.dim = d;
  return r;
}

/* `and` ('&') and `or` ('|') in three values, as R's: NA and false is false, NA or true true. */
static double logic3(int op, double a, double b) {
  int known = op == '&' ? 0 : 1; /* the operand value that decides alone */
  if ((!isnan(a) && (a != 0) == known) || (!isnan(b) && (b != 0) == known))
    return known;
  return isnan(a) || isnan(b) ? NAN : !known;
}

static double binop(int op, double a, double b) {
  if (isnan(a) || isnan(b)) /* a missing value (NA) makes the result missing, as in R */
    return NAN;
  switch (op) {
  case '+':
    return a + b;
  case '-':
    return a - b;
  case '*':
    return a * b;
  case '/':
    return a / b;
  case '^': /* a square is the commonest power: one correctly rounded product, pow's cost */
    return b == 2 ? a * a : pow(a, b);
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

/* A leaf's value, without a call of eval: 1, or 0 when x is not a leaf. out is zeroed. */
static inline int leaf_value(const IrExpr *x, Value *out) {
  switch (x->op) {
  case IR_NUM:
  case IR_BOOL:
    out->num = x->num;
    break;
  case IR_STR:
    out->str = x->str;
    break;
  case IR_SYM:
    out->sym = x->sym;
    break;
  case IR_REF:
    out->decl = x->decl; /* a dynamics block: its whole path (sym 0) */
    break;
  default:
    return 0;
  }
  out->type = x->type;
  out->dim = x->dim;
  return 1;
}

static int eval_call(Eval *ev, const IrExpr *e, Value *out) {
  Value a[4] = {0};
  for (int i = 0; i < e->nargs && i < 4 && e->fn->rdim != RD_LAZY; i++)
    if (!leaf_value(e->args[i], &a[i]) && eval(ev, e->args[i], &a[i])) /* (mostly names) */
      return -1;
  *out = ev_num(0, e->dim);
  if (e->fn->rtype && e->type == T_VEC && e->fn->rtype == T_NUM)
    return map_layer_call(ev, e, a, out);
  if (e->fn->rtype)
    out->type = e->type;
  return e->fn->fn(ev, e, a, out) ? -1 : 0;
}

static int eval_node(Eval *ev, const IrExpr *e, Value *out);

/* Every expression is at most 256 deep, but a value may name another (a constant, a field, a
 * function) whose value names another, and so on: evaluation that uses more than this much
 * stack is refused before it exhausts the stack (a chain of 10^5 constants). Measured in
 * bytes, not levels, since a level's frame differs between builds (sanitizers); a thread has
 * at least 8 MB. */
#define EVAL_MAX_STACK ((ptrdiff_t)3 << 20)

int eval(Eval *ev, const IrExpr *e, Value *out) {
  char *frame = __builtin_frame_address(0);
  if (ev->depth == 0)
    ev->stack_top = frame;
  else if (ev->stack_top - frame > EVAL_MAX_STACK) {
    memset(out, 0, sizeof *out);
    return ev_fail(ev, EV_INPUT, e->span,
                   "evaluation nested %d levels deep used more than 3 MB of stack: a chain of "
                   "constants, fields or functions each naming the next is too long",
                   ev->depth);
  }
  ev->depth++;
  int r = eval_node(ev, e, out);
  ev->depth--;
  /* lists a node makes live in the run's arena until it ends: bound them, so that a short
   * line of products of long lists is an error, not a machine out of memory */
  if (r == 0 && out->type == T_VEC &&
      (e->op == IR_BIN || e->op == IR_NEG || e->op == IR_CALL || e->op == IR_LIST) &&
      (ev->list_cells += (double)out->n) > EVAL_MAX_LIST_CELLS && (ev->hard_stop = 1))
    return ev_fail(ev, EV_INPUT, e->span,
                   "the lists computed in this run hold more than %.2g numbers in all (%.0f "
                   "GB): compute fewer or shorter lists",
                   EVAL_MAX_LIST_CELLS, EVAL_MAX_LIST_CELLS * 8 / 1e9);
  return r;
}

static int eval_node(Eval *ev, const IrExpr *e, Value *out) {
  if (ev->status)
    return -1;
  memset(out, 0, sizeof *out);
  if (leaf_value(e, out))
    return 0;
  out->type = e->type;
  out->dim = e->dim;
  switch (e->op) {
  case IR_NUM: /* (leaf_value's) */
  case IR_BOOL:
  case IR_STR:
  case IR_SYM:
  case IR_REF:
    return 0;
  case IR_PICK: /* one series of a built-in's path: sym is its index + 1 */
    if (eval(ev, e->args[0], out))
      return -1;
    out->type = T_PATH;
    out->dim = e->dim;
    out->sym = e->col + 1;
    return 0;
  case IR_SERIES: /* one state's path: sym is its index + 1 */
    out->decl = e->decl;
    out->sym = e->col + 1;
    return 0;
  case IR_EVENT:
  case IR_CALIB:
    if (!ev->member)
      return ev_fail(ev, EV_NUMERIC, e->span, "internal error: no evaluator of block members");
    return ev->member(ev, e, out);
  case IR_COLUMN:
    out->vec = e->decl->num[e->col];
    out->n = e->decl->nrows;
    return 0;
  case IR_CONST: { /* a parameter: its override, if a sweep, sample, scenario or --set has one */
    int axis;
    const IrExpr *o = ev_override(ev, e->decl, F_NONE, &axis);
    return eval(ev, o ? o : e->decl->value, out);
  }
  case IR_FIELD: {
    int r = ev_field_get(ev, e->decl, e->field, out, e->span);
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
        out->vec[i] = e->op == IR_NEG || isnan(v.vec[i]) ? -v.vec[i] : !v.vec[i];
    } else
      out->num = e->op == IR_NEG || isnan(v.num) ? -v.num : !v.num;
    return 0;
  }
  case IR_BIN: {
    Value l, r;
    if (eval(ev, e->args[0], &l) || eval(ev, e->args[1], &r))
      return -1;
    if ((e->bop == '&' || e->bop == '|') && l.type != T_VEC && r.type != T_VEC) {
      out->num = logic3(e->bop, l.num, r.num);
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
        out->vec[i] = e->bop == '&' || e->bop == '|' ? logic3(e->bop, x, y) : binop(e->bop, x, y);
        if (isnan(out->vec[i]) && !isnan(x) && !isnan(y))
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
    if (e->bop == '/' && r.num == 0 && !isnan(l.num))
      return ev_fail(ev, EV_NUMERIC, e->span, "division by zero (%g / 0)", l.num);
    if (isnan(out->num) && !isnan(l.num) && !isnan(r.num))
      return ev_fail(ev, EV_NUMERIC, e->span,
                     "the result is not a number (%g and %g left the domain of the operator)",
                     l.num, r.num);
    return 0;
  }
  case IR_CALL:
    return eval_call(ev, e, out);
  case IR_SAMPLE:
    return unc_column(ev, e, out);
  case IR_PARAM:
    *out = ev->frame[e->col];
    return 0;
  case IR_APPLY: { /* the arguments once each, then the body with them as its frame */
    Value args[MAX_FN_PARAMS];
    for (int i = 0; i < e->nargs; i++)
      if (eval(ev, e->args[i], &args[i]))
        return -1;
    const Value *outer = ev->frame;
    ev->frame = args;
    int r = eval(ev, e->body, out);
    ev->frame = outer;
    return r;
  }
  }
  return ev_fail(ev, EV_INPUT, e->span, "cannot evaluate this expression");
}

/* ---- the draws of a sample ---------------------------------------------------------- */

SampleData *ev_sample_record(Eval *ev, const Decl *d, const double *cells, long nrows, int ncols,
                             long nbase) {
  SampleData *x = arena_alloc(ev->ar, sizeof *x);
  memset(x, 0, sizeof *x);
  x->decl = d;
  x->cells = cells;
  x->nrows = nrows;
  x->ncols = ncols;
  x->k = d->sample->naxes;
  x->nbase = nbase;
  /* a failed draw has NaN in every report column (and no successful one has any) */
  for (long r = 0; r < nrows && ncols > x->k; r++)
    x->failed += isnan(cells[r * ncols + x->k]);
  x->col = arena_alloc(ev->ar, (size_t)ncols * sizeof *x->col);
  x->order = arena_alloc(ev->ar, (size_t)ncols * sizeof *x->order);
  memset(x->col, 0, (size_t)ncols * sizeof *x->col);
  memset(x->order, 0, (size_t)ncols * sizeof *x->order);
  x->ncol_ok = nrows - x->failed;
  x->next = ev->samples;
  ev->samples = x;
  return x;
}

const SampleData *ev_sample(Eval *ev, const Decl *d, Span sp) {
  for (SampleData *x = ev->samples; x; x = x->next)
    if (x->decl == d)
      return x;
  const Stmt *s = d->sample;
  if (ev->opt.provided) {
    /* the merge of shards: the sample's rows, merged */
    const Results *res = ev->opt.provided;
    int ncols = s->naxes;
    for (int i = 0; i < s->nbody; i++)
      ncols += s->body[i]->nitems;
    for (int i = 0; i < res->n; i++) {
      const Result *r = &res->items[i];
      if (r->is_sweep && !strcmp(r->name, d->name) && r->ncols == ncols)
        return ev_sample_record(ev, d, r->cells, r->nrows, r->ncols,
                                s->method == SM_SALTELLI ? r->nrows / (s->naxes + 2) : r->nrows);
    }
    ev_fail(ev, EV_INPUT, sp, "the shards hold no sample '%s'", d->name);
    return NULL;
  }
  /* not met in this evaluation (a REPL line after the sample's): computed again, the same,
   * by the statement layer (program.c) through its hook */
  double *cells;
  long nrows, nbase;
  int ncols;
  if (!ev->sample_private) {
    ev_fail(ev, EV_INPUT, sp, "sample '%s' is not computed in this evaluation", d->name);
    return NULL;
  }
  if (ev->sample_private(ev, s, &cells, &nrows, &ncols, &nbase))
    return NULL;
  return ev_sample_record(ev, d, cells, nrows, ncols, nbase);
}

/* One column of the successful draws. */
int unc_column(Eval *ev, const IrExpr *e, Value *out) {
  SampleData *x = (SampleData *)ev_sample(ev, e->decl, e->span);
  if (!x)
    return -1;
  if (x->ncol_ok == 0)
    return ev_fail(ev, EV_NUMERIC, e->span,
                   "all %ld draws of sample '%s' failed: there is nothing to summarize", x->nrows,
                   e->decl->name);
  if (!x->col[e->col]) {
    double *v = arena_alloc(ev->ar, (size_t)x->ncol_ok * sizeof *v);
    long n = 0;
    for (long r = 0; r < x->nrows; r++)
      if (x->ncols == x->k || !isnan(x->cells[r * x->ncols + x->k]))
        v[n++] = x->cells[r * x->ncols + e->col];
    x->col[e->col] = v;
  }
  out->type = T_VEC;
  out->dim = e->dim;
  out->vec = x->col[e->col];
  out->n = (int)x->ncol_ok;
  return 0;
}

void claim_free(ClaimResult *c) {
  free(c->paper);
  free(c->value);
  free(c->error);
}

void results_push(Results *r, Result x) {
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
