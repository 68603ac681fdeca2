/* Execution of a program's statements: reports, sweeps (a thread pool over the grid,
 * chunks streamed to their sink), samples, claims and plots, and the merge of shards'
 * deferred reports. Expressions are eval.c's. */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate.h"
#include "claims.h"
#include "core/edsl_core.h"
#include "dynamics.h"
#include "eval_internal.h"
#include "latex_block.h"
#include "plot.h"
#include "pool.h"
#include "program.h"
#include "uncertain.h"

/* ---- statements ------------------------------------------------------------------------ */

/* Evaluates one report item. inf is an answer only where a function documents it ("never");
 * elsewhere it is an overflow. */
/* A block member a layer computes: an event of a dynamics block, a calibrated value. */
static int eval_member(Eval *ev, const IrExpr *e, Value *out) {
  return e->op == IR_EVENT ? dyn_event(ev, e, out) : calib_member_value(ev, e, out);
}

static int eval_item(Eval *ev, const ReportItem *it, Value *v) {
  if (ev_check_deadline(ev, it->span) || eval(ev, it->expr, v))
    return -1;
  const IrExpr *x = it->expr;
  if (v->type != T_NUM || isfinite(v->num))
    return 0;
  /* NaN is a missing value carried from a table's NA (printed NA), or else a failure */
  if (isnan(v->num) && ir_reads_missing(x))
    return 0;
  int inf_ok = x->op == IR_NUM || x->op == IR_EVENT || (x->op == IR_CALL && x->fn && x->fn->rtype);
  if (isnan(v->num) || !inf_ok)
    return ev_fail(ev, EV_NUMERIC, x->span, "'%s' is not finite (%g)", it->name, v->num);
  return 0;
}

/* One report item as a result: a scalar, or a list as a one-column table. */
static int report_result(Eval *ev, const ReportItem *it, Result *out) {
  Result r = {0};
  r.name = it->name;
  if (eval_item(ev, it, &r.v))
    return -1;
  if (r.v.type == T_PATH) { /* a path: the variable's column, then its series' */
    DynTable t;
    if (dyn_table(ev, &r.v, it->span, &t))
      return -1;
    r.is_table = 1;
    r.ncols = t.ncols;
    r.nrows = t.nrows;
    r.total_rows = t.nrows;
    r.cols = t.cols;
    r.dims = t.dims;
    r.cells = t.cells;
  } else if (r.v.type == T_VEC) {
    /* A list becomes a one-column table. */
    r.is_table = 1;
    r.ncols = 1;
    r.nrows = r.v.n;
    r.total_rows = r.v.n;
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
  UncDesign *design;    /* a sample whose rows of points are made a chunk ahead */
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
  /* streaming: each row rendered by its worker into its block of text (block b of rows at
   * text + b * SWEEP_BLOCK * text_cap, its rows one after another, so that a block is
   * written at once, text_len[b] long), one half of text_all while the main thread writes
   * the other (the chunk before) */
  const SweepSink *sink;
  char *text, *text_all;
  size_t *text_len, *len_all, text_cap;
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
  long *idx, next_row; /* the grid's index of the last row, and the row after it */
  size_t block_len;    /* the text of its block's rows so far (text_len once done) */
} SweepWorker;

static int sweep_row(SweepWorker *w, long row, double *out) {
  SweepRun *run = w->run;
  const Stmt *s = run->s;
  if (!run->points && row == w->next_row) /* the next row: the last axis moves, with carries */
    for (int a = s->naxes - 1; a >= 0 && ++w->idx[a] == run->dom[a].n; a--)
      w->idx[a] = 0;
  else if (!run->points)
    for (int a = 0; a < s->naxes; a++)
      w->idx[a] = row / run->stride[a] % run->dom[a].n;
  w->next_row = row + 1;
  for (int a = 0; a < s->naxes; a++) {
    w->point[a].num = run->points ? run->points[row * s->naxes + a] : run->dom[a].vec[w->idx[a]];
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
  w->ev.list_cells = 0; /* the arena's lists are gone */
  w->ev.status = EV_OK;
  double *cells = run->cells + i * run->ncols;
  w->ev.hard_stop = 0;
  w->ev.ndep = w->ev.dep_full = 0; /* the axis reads of this point */
  int ok = sweep_row(w, row, cells) == 0;
  if (!ok && run->tolerate && (w->ev.status == EV_NUMERIC || w->ev.status == EV_DOMAIN) &&
      !w->ev.hard_stop) {
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
    if (run->sink) {
      char *at = run->text + (size_t)(i - i % SWEEP_BLOCK) * run->text_cap + w->block_len;
      w->block_len += run->sink->format_row(run->ncols, cells, at, run->text_cap);
    }
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

static void sweep_work(SweepWorker *w) {
  SweepRun *run = w->run;
  ev_install_cancel(&w->ev);
  for (int stop = 0; !stop;) {
    long i0 = __atomic_fetch_add(&run->next, SWEEP_BLOCK, __ATOMIC_RELAXED);
    if (i0 >= run->nrows)
      return;
    w->block_len = 0;
    for (long i = i0; i < i0 + SWEEP_BLOCK && !stop; i++)
      stop = i >= run->nrows ||
             run->first + i > __atomic_load_n(&run->fail_row, __ATOMIC_RELAXED) || sweep_one(w, i);
    if (run->sink)
      run->text_len[i0 / SWEEP_BLOCK] = w->block_len;
  }
}

/* Writes the n rows rendered in half h of the text buffers, a block at a time. */
static int sweep_write(Eval *ev, SweepRun *run, void *handle, int h, long n) {
  const char *text = run->text_all + (size_t)h * SWEEP_CHUNK * run->text_cap;
  const size_t *len = run->len_all + (size_t)h * SWEEP_CHUNK;
  for (long b = 0; b < n; b += SWEEP_BLOCK)
    if (run->sink->write(handle, text + b * run->text_cap, len[b / SWEEP_BLOCK]) != 0)
      return ev_fail(ev, EV_INPUT, run->s->span, "cannot write the rows of sweep '%s' to '%s'",
                     run->s->name, run->s->to_file);
  return 0;
}

/* One chunk of rows for the team (pool.h): the caller first writes the chunk before to the
 * file while the workers start on this one. */
typedef struct {
  Eval *ev;
  SweepRun *run;
  SweepWorker *w;
  void *handle;
  int half, wrc;
  long pending; /* rows of the chunk before, rendered and not yet written */
} SweepJob;

static void sweep_job(void *arg, int t) {
  SweepJob *j = arg;
  if (t == 0) {
    if (j->run->design) /* the next chunk's draws */
      unc_design_fill(j->run->design, j->run->first + 2 * SWEEP_CHUNK);
    if (j->pending)
      j->wrc = sweep_write(j->ev, j->run, j->handle, j->half ^ 1, j->pending);
  }
  sweep_work(&j->w[t]);
  if (t)
    ev_install_cancel(NULL); /* the worker's evaluator is freed after the sweep */
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
    w[t].ev.depth = 0; /* its own thread, its own stack */
    w[t].run = run;
    w[t].point = calloc((size_t)s->naxes, sizeof *w[t].point);
    w[t].ovr = calloc((size_t)s->naxes, sizeof *w[t].ovr);
    w[t].idx = calloc((size_t)s->naxes + 1, sizeof *w[t].idx);
    w[t].next_row = -1;
    for (int a = 0; a < s->naxes; a++) {
      w[t].point[a].op = IR_NUM;
      w[t].point[a].type = T_NUM;
      w[t].point[a].dim = run->dom[a].dim;
      w[t].ovr[a] =
          (Override){s->axes[a].target, s->axes[a].id, s->axes[a].path, &w[t].point[a], s->span};
      w[t].ev.sweep[w[t].ev.nsweep++] = &w[t].ovr[a];
    }
    /* the fields no axis reaches, once per worker (calloc: pages touched only when used) */
    int n = run->s->naxes ? ev->p->nfield_slots : 0;
    w[t].ev.fc_val = n ? calloc((size_t)n, sizeof *w[t].ev.fc_val) : NULL;
    w[t].ev.fc_state = n ? calloc((size_t)n, 1) : NULL;
    w[t].ev.fc_memo = n ? calloc((size_t)n, sizeof *w[t].ev.fc_memo) : NULL;
    w[t].ev.fc_plan = n ? calloc((size_t)n, sizeof *w[t].ev.fc_plan) : NULL;
    w[t].ev.fc_n = w[t].ev.fc_val && w[t].ev.fc_state && w[t].ev.fc_memo && w[t].ev.fc_plan ? n : 0;
    w[t].ev.fc_base = w[t].ev.fc_n ? w[t].ev.nsweep : -1;
  }
}

static void sweep_workers_free(SweepWorker *w, int nw) {
  for (int t = 0; t < nw; t++) {
    free(w[t].ev.fc_val);
    free(w[t].ev.fc_state);
    free(w[t].ev.fc_memo);
    for (int i = 0; w[t].ev.fc_plan && i < w[t].ev.fc_n; i++)
      free(w[t].ev.fc_plan[i]);
    free(w[t].ev.fc_plan);
    arena_free(w[t].ev.ar);
    free(w[t].point);
    free(w[t].ovr);
    free(w[t].idx);
  }
}

/* Computes rows [lo, hi) chunk by chunk into cells (memory) or through the sink (handle). */
static int sweep_rows(Eval *ev, SweepRun *run, long lo, long hi, double *cells, void *handle) {
  const Stmt *s = run->s;
  int nw = ev->opt.threads;
  SweepWorker w[EVAL_MAX_THREADS];
  sweep_workers_init(w, nw, ev, run);
  int rc = 0;
  SweepJob job = {ev, run, w, handle, 0, 0, 0};
  for (long first = lo; first < hi && !rc; first += SWEEP_CHUNK) {
    long n = hi - first < SWEEP_CHUNK ? hi - first : SWEEP_CHUNK;
    if (run->sink) {
      run->text = run->text_all + (size_t)job.half * SWEEP_CHUNK * run->text_cap;
      run->text_len = run->len_all + (size_t)job.half * SWEEP_CHUNK;
    }
    run->first = first;
    run->nrows = n;
    run->cells = run->sink && !run->keep ? cells : cells + (first - lo) * run->ncols;
    run->next = 0;
    job.wrc = 0;
    pool_run(nw, sweep_job, &job);
    job.pending = 0;
    rc = run->fail_row == LONG_MAX ? 0 : -1;
    if (job.wrc) { /* that write failed first: it is the error, as one thread would meet it */
      run->fail_row = LONG_MAX;
      rc = job.wrc;
    }
    if (!rc && ev->opt.progress)
      ev->opt.progress(ev->opt.progress_ctx, s->kind == ST_SAMPLE ? "sample" : "sweep", s->name,
                       first + n - lo, hi - lo);
    if (!rc && run->sink) {
      job.pending = n;
      job.half ^= 1;
    }
  }
  if (!rc && job.pending)
    rc = sweep_write(ev, run, handle, job.half ^ 1, job.pending);
  sweep_workers_free(w, nw);
  ev_install_cancel(ev); /* worker 0 ran on this thread with its own copy */
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
    run->text_all = malloc(2 * SWEEP_CHUNK * run->text_cap);
    run->len_all = malloc(2 * SWEEP_CHUNK * sizeof *run->len_all);
    if (!run->text_all || !run->len_all || (!run->keep && !cells))
      rc = ev_fail(ev, EV_INPUT, s->span, "out of memory for the rows of sweep '%s'", s->name);
  }
  if (!rc) {
    pthread_mutex_init(&run->mu, NULL);
    rc = sweep_rows(ev, run, lo, hi, cells, handle);
    pthread_mutex_destroy(&run->mu);
  }
  if (run->sink) {
    if (!run->keep)
      free(cells);
    free(run->text_all);
    free(run->len_all);
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

/* The table of sweep s; its rows stay in r->cells when keep (a later statement reads them). */
static int sweep_table(Eval *ev, const Stmt *s, Result *r, int keep) {
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
  *r = sweep_header(s, dom, lo, hi, P);
  SweepRun run = {0};
  run.dom = dom;
  run.stride = stride;
  run.keep = keep;
  run.tolerate = !ev->opt.strict;
  if (table_execute(ev, s, &run, r, lo, hi))
    return -1;
  warn_failed(ev, s, &run, hi - lo);
  r->failed = run.nfailed;
  return 0;
}

static int eval_sweep(Eval *ev, const Stmt *s, Results *res) {
  Result r;
  int keep = s->self && s->self->cols_read;
  if (sweep_table(ev, s, &r, keep))
    return -1;
  if (keep)
    ev_sample_record(ev, s->self, r.cells, r.nrows, r.ncols, r.nrows);
  else if (r.streamed) {
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
  UncDesign D;
  if (ev->opt.threads > 1)
    pool_warm(ev->opt.threads); /* awake when the draws are made */
  if (unc_design(ev, s, &D))
    return -1;
  long P = D.rows;
  *nbase = D.nbase;
  long lo = P * (ev->opt.shard_k - 1) / ev->opt.shard_n, hi = P * ev->opt.shard_k / ev->opt.shard_n;
  Value *dom = arena_alloc(ev->ar, (size_t)(s->naxes + 1) * sizeof *dom);
  for (int a = 0; a < s->naxes; a++)
    dom[a].dim = s->axes[a].dim;
  *r = sweep_header(s, dom, lo, hi, P);
  SweepRun run = {0};
  unc_design_fill(&D, lo + SWEEP_CHUNK); /* a shard's stream starts at row 0 */
  run.points = D.X;
  run.design = &D;
  run.dom = dom;
  run.keep = 1;
  run.tolerate = !ev->opt.strict;
  int rc = table_execute(ev, s, &run, r, lo, hi);
  if (!rc)
    warn_failed(ev, s, &run, hi - lo);
  *failed = run.nfailed;
  unc_design_free(&D);
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

static int eval_sample_private(Eval *ev, const Stmt *s, double **cells, long *nrows, int *ncols,
                               long *nbase) {
  /* computed whole, quietly, and kept in the evaluation's arena */
  EvalOptions saved = ev->opt;
  Diag *diag = ev->diag;
  ev->opt.shard_k = ev->opt.shard_n = 1;
  ev->opt.sink = NULL;
  ev->diag = NULL;
  Result r;
  long failed;
  int rc =
      s->kind == ST_SWEEP ? sweep_table(ev, s, &r, 1) : sample_table(ev, s, &r, nbase, &failed);
  if (s->kind == ST_SWEEP && !rc)
    *nbase = r.nrows;
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
  ev->sample_private = eval_sample_private;
  ev->member = eval_member;
  ev->status = EV_OK;
  ev->set_decl = program_find(ev->p, "__set__");
  ev->deadline = ev->opt.time_limit > 0 ? ev_now_seconds() + ev->opt.time_limit : 0;
  ev->diag = diag;
  ev_install_cancel(ev);
  EvalStatus st = EV_OK;
  for (int i = from; i < ev->p->nstmts && st == EV_OK; i++) {
    const Stmt *s = ev->p->stmts[i];
    int rc = s->kind == ST_REPORT  ? eval_report(ev, s, res)
             : s->kind == ST_SWEEP ? eval_sweep(ev, s, res)
             : s->kind == ST_CLAIM ? eval_claim_stmt(ev, s, res)
             : s->kind == ST_PLOT  ? eval_plot_stmt(ev, s, res)
             : s->kind == ST_LATEX ? eval_latex(ev, s, res)
                                   : eval_sample(ev, s, res);
    if (rc != 0) {
      report_failure(ev, diag);
      st = ev->status ? ev->status : EV_NUMERIC;
    }
  }
  ec_set_cancel(NULL, NULL); /* ev may not outlive the call */
  return st;
}

EvalStatus eval_deferred(Eval *ev, Results *res, Diag *diag) {
  ec_init();
  ev->sample_private = eval_sample_private;
  ev->member = eval_member;
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
  ev->sample_private = eval_sample_private;
  ev->member = eval_member;
  ev->status = EV_OK;
  ev->diag = diag;
  ev->set_decl = program_find(ev->p, "__set__");
  if (eval(ev, e, out)) {
    report_failure(ev, diag);
    return ev->status;
  }
  return EV_OK;
}
