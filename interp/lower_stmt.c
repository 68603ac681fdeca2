/* AST -> IR for statements: reports, sweeps (and their tables), uncertain blocks with their
 * correlation, and samples. */
#include "checker.h"

#include "builtins.h"
#include "schema.h"

#include "core/edsl_core.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- statements ---------------------------------------------------------------------- */

/* Rows of a sweep or sample are computed apart from each other, so none reads a sample. */
static void sample_in_body(Compiler *c, const Stmt *b, const char *what) {
  for (int j = 0; j < b->nitems; j++)
    if (ir_reads_sample(b->items[j].expr))
      diag_error(c->d, b->items[j].span,
                 "a report inside a %s cannot read a sample's draws or a sweep's points; "
                 "summarize them in a report after it",
                 what);
}

int plain_file_name(const char *f) {
  size_t n = strlen(f);
  if (!n || n > 200 || f[0] == '.' || strchr(f, '/'))
    return 0;
  for (; *f; f++)
    if ((unsigned char)*f < 32 || *f == 127) /* a newline in a name: ls and scripts break */
      return 0;
  return 1;
}

static Stmt *lower_report(Compiler *c, const Node *s) {
  Stmt *st = arena_alloc(c->ar, sizeof *st);
  st->kind = ST_REPORT;
  st->span = s->span;
  st->items = arena_alloc(c->ar, (size_t)s->nkids * sizeof *st->items);
  for (int i = 0; i < s->nkids; i++) {
    IrExpr *e = lower(c, s->kids[i]->a, NULL);
    if (e->type != T_ERROR && e->type != T_NUM && e->type != T_BOOL && e->type != T_STR &&
        e->type != T_VEC && e->type != T_PATH)
      diag_error(c->d, s->kids[i]->a->span, "a report must be a number, list, text or path, got %s",
                 type_name(e->type));
    double cost = ir_cost(e);
    if (cost > MAX_FN_COST) { /* many uses of costly constants: each is evaluated where used */
      diag_error(c->d, s->kids[i]->a->span,
                 "report '%s' expands to %.3g operations (at most %.0e): the constants, fields "
                 "and functions it uses are evaluated each time they are used",
                 s->kids[i]->s, cost, MAX_FN_COST);
      e = ir_error(c, s->kids[i]->a->span);
    }
    st->items[st->nitems++] = (ReportItem){s->kids[i]->s, e, s->kids[i]->span};
    st->uses_sample |= ir_reads_sample(e);
  }
  return st;
}

/* Checks v (a list of values, or a distribution) as one number given to field `path` of t:
 * its unit against the field's schema and declared value. */
static void check_as_number(Compiler *c, Decl *t, const char *path, const IrExpr *v, Span sp) {
  Field *f = decl_field(t, path);
  if (f)
    ensure_field(c, t, f);
  Dim declared = f && f->ir ? f->ir->dim : DIM_NONE;
  IrExpr probe = *v;
  probe.type = T_NUM;
  check_spec(c, t, path, &probe, sp, f && f->ir ? &declared : NULL);
}

static void lower_sweep_axis(Compiler *c, const Node *n, SweepAxis *ax) {
  ax->label = n->a->s;
  ax->span = n->span;
  Decl *t;
  const char *rest;
  if (!resolve_target(c, NULL, n->a->s, n->a->span, &t, &rest))
    return;
  ax->target = t;
  ax->id = target_field(t, rest);
  ax->path = rest;
  IrExpr *dom = lower(c, n->b, NULL);
  ax->domain = dom;
  if (dom->type != T_ERROR && dom->type != T_VEC) {
    diag_error(c->d, n->b->span, "a sweep runs over a list [..] or range(lo, hi, n), got %s",
               type_name(dom->type));
    return;
  }
  if (dom->type != T_VEC)
    return;
  if (target_type(t, rest) != T_NUM) {
    diag_error(c->d, n->a->span, "only numeric fields can be swept");
    return;
  }
  /* a list of numbers checks like one number of the field */
  check_as_number(c, t, rest, dom, n->b->span);
  ax->dim = dom->dim;
}

/* The reports inside a sweep or a sample (evaluated at each of its rows), and its file. */
static void lower_table_body(Compiler *c, const Node *s, Stmt *st) {
  const char *what = s->kind == S_SAMPLE ? "sample" : "sweep";
  st->body = arena_alloc(c->ar, (size_t)(s->nkids + 1) * sizeof *st->body);
  for (int i = 0; i < s->nkids; i++) {
    const Node *k = s->kids[i];
    if (s->kind == S_SAMPLE && k->kind != S_REPORT) {
      diag_error(c->d, k->span, "only reports stand inside a sample");
      continue;
    }
    if (k->kind == S_SWEEP || k->kind == S_SAMPLE) {
      diag_error(c->d, k->span,
                 k->kind == S_SWEEP
                     ? "a sweep cannot stand inside a sweep: give the grid's axes in one head, "
                       "as in 'sweep grid = m.x in [..], m.y in [..] { report ... }'"
                     : "a sample cannot stand inside a sweep");
      continue;
    }
    Stmt *b = lower_stmt(c, k);
    if (b && b->uses_sample)
      sample_in_body(c, b, what);
    if (b)
      st->body[st->nbody++] = b;
  }
  if (s->c) {
    const char *f = s->c->s;
    if (!plain_file_name(f))
      diag_error(c->d, s->c->span,
                 "a %s's output file must be a plain file name (it is written into --out): no "
                 "'/', no leading '.', no control characters, at most 200 bytes",
                 what);
    st->to_file = f;
  }
}

static Stmt *lower_sweep(Compiler *c, const Node *s) {
  Stmt *st = arena_alloc(c->ar, sizeof *st);
  st->kind = ST_SWEEP;
  st->span = s->span;
  const Node *axes = s->a;
  st->naxes = axes->nkids;
  if (st->naxes > MAX_SWEEP_AXES) {
    diag_error(c->d, axes->kids[MAX_SWEEP_AXES]->span, "a sweep has at most %d axes",
               MAX_SWEEP_AXES);
    st->naxes = MAX_SWEEP_AXES;
  }
  st->axes = arena_alloc(c->ar, (size_t)st->naxes * sizeof *st->axes);
  for (int i = 0; i < st->naxes; i++) {
    lower_sweep_axis(c, axes->kids[i], &st->axes[i]);
    for (int j = 0; j < i; j++)
      if (st->axes[j].target && st->axes[j].target == st->axes[i].target &&
          !strcmp(st->axes[j].path, st->axes[i].path ? st->axes[i].path : ""))
        diag_error(c->d, axes->kids[i]->span, "'%s' is already an axis of this sweep",
                   st->axes[i].label);
  }
  if (s->s)
    st->name = s->s;
  else {
    /* sweep_<first axis path>, dots made underscores */
    const char *first = st->axes[0].label;
    char *nm = arena_alloc(c->ar, strlen(first) + 8);
    sprintf(nm, "sweep_%s", first);
    for (char *p = nm; *p; p++)
      if (*p == '.')
        *p = '_';
    st->name = nm;
  }
  lower_table_body(c, s, st);
  /* a named sweep's columns are lists for what follows it, as a sample's (when its name is
   * free: sweeps were named apart from declarations before they could be read) */
  if (s->s && !program_find(c->p, s->s)) {
    Decl *self = add_decl(c, D_SWEEP, s->s, s->span);
    if (self)
      self->sample = st;
    st->self = self;
  }
  return st;
}

/* ---- uncertainty --------------------------------------------------------------------- */

/* More inputs than this would not fit the evaluator's override stack (and Sobol points stop
 * at 40 dimensions anyway). */
#define MAX_UNCERTAIN_INPUTS 40

/* correlation = [[1, r], [r, 1]]: constant numbers, one row and column per input in the
 * order the inputs are declared. */
static void lower_correlation(Compiler *c, Decl *d, const Node *m) {
  int k = d->ninputs;
  if (m->kind != E_LIST || m->nkids != k) {
    diag_error(c->d, m->span,
               "correlation must be a %d x %d matrix [[..], ..], one row per input of '%s' in "
               "the order they are declared",
               k, k, d->name);
    return;
  }
  double *corr = arena_alloc(c->ar, (size_t)(k * k + 1) * sizeof *corr);
  for (int i = 0; i < k; i++) {
    const Node *row = m->kids[i];
    if (row->kind != E_LIST || row->nkids != k) {
      diag_error(c->d, row->span, "row %d of the correlation matrix must be a list of %d numbers",
                 i + 1, k);
      return;
    }
    for (int j = 0; j < k; j++) {
      IrExpr *v = lower(c, row->kids[j], NULL);
      int ok = v->type == T_NUM && dim_is_none(v->dim);
      corr[i * k + j] = ok ? ir_const_eval(v, &ok) : 0;
      if (v->type != T_ERROR && !ok) {
        diag_error(c->d, row->kids[j]->span, "a correlation is a constant number with no unit");
        return;
      }
    }
  }
  ec_error err;
  if (ec_correlate(NULL, 0, (size_t)k, corr, &err) != EC_OK) {
    diag_error(c->d, m->span, "%s", err.msg);
    return;
  }
  d->corr = corr;
}

/* uncertain NAME { block.field = distribution ...  correlation = [[..]] } */
void check_uncertain(Compiler *c, Decl *d) {
  if (d->state == 2)
    return; /* checked already, as part of an imported file */
  d->state = 2;
  const Node *corr = NULL;
  d->inputs = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *d->inputs);
  int errors = c->d->nerrors;
  for (int i = 0; i < d->nfields; i++) {
    Field *f = &d->fields[i];
    if (!strcmp(f->path, "correlation")) {
      corr = f->ast->a;
      continue;
    }
    Decl *t;
    const char *rest;
    if (!resolve_target(c, NULL, f->path, f->span, &t, &rest))
      continue;
    if (target_type(t, rest) != T_NUM) {
      diag_error(c->d, f->span, "only numeric fields can be uncertain ('%s' is not a number)",
                 f->path);
      continue;
    }
    const Node *val = f->ast->a;
    IrExpr *v = lower(c, val, NULL);
    if (v->type == T_ERROR)
      continue;
    if (v->type != T_DIST) {
      diag_error(c->d, val->span,
                 "an uncertain input takes a distribution: normal(mean, sd), lognormal(median, "
                 "sigma), uniform(lo, hi), triangular(lo, mode, hi), beta(a, b[, lo, hi]), "
                 "from_fit(curve) or bootstrap(curve); got %s",
                 type_name(v->type));
      continue;
    }
    check_as_number(c, t, rest, v, val->span); /* a distribution's draws are numbers */
    int dup = 0;
    for (int j = 0; j < d->ninputs && !dup; j++)
      dup = d->inputs[j].target == t && !strcmp(d->inputs[j].path, rest);
    if (dup) {
      diag_error(c->d, f->span, "'%s' is already an input of '%s'", f->path, d->name);
      continue;
    }
    if (d->ninputs == MAX_UNCERTAIN_INPUTS) {
      diag_error(c->d, f->span, "an uncertain block has at most %d inputs", MAX_UNCERTAIN_INPUTS);
      break;
    }
    d->inputs[d->ninputs++] = (UncertainInput){t, target_field(t, rest), rest, f->path, v, f->span};
  }
  if (c->d->nerrors != errors)
    return;
  if (!d->ninputs) {
    diag_error(c->d, d->span,
               "uncertain '%s' declares no inputs; give each as block.field = "
               "distribution, e.g. packaging.alpha = normal(0.23, 0.06)",
               d->name);
    return;
  }
  if (corr)
    lower_correlation(c, d, corr);
}

/* sample NAME = method(UNCERTAIN, N) { reports } [to "file"] */
static Stmt *lower_sample(Compiler *c, const Node *s) {
  static const char *methods[] = {"montecarlo", "lhs", "sobol", "saltelli"};
  const Node *dn = s->a;
  int m = -1;
  for (int i = 0; dn->kind == E_CALL && i < 4; i++)
    if (!strcmp(dn->s, methods[i]))
      m = i;
  if (m < 0 || dn->nkids != 2 || dn->kids[0]->kind != E_IDENT) {
    diag_error(c->d, dn->span,
               "a sample's design is montecarlo(U, N), lhs(U, N), sobol(U, N) or saltelli(U, "
               "N), with U an uncertain block and N the number of draws");
    return NULL;
  }
  Decl *u = program_find(c->p, dn->kids[0]->s);
  if (!u || u->kind != D_UNCERTAIN) {
    if (u)
      diag_error(c->d, dn->kids[0]->span, "'%s' is a %s, not an uncertain block", u->name,
                 decl_kind_name(u->kind));
    else
      diag_error(c->d, dn->kids[0]->span, "unknown uncertain block '%s'", dn->kids[0]->s);
    return NULL;
  }
  Stmt *st = arena_alloc(c->ar, sizeof *st);
  st->kind = ST_SAMPLE;
  st->span = s->span;
  st->name = s->s;
  st->uncertain = u;
  st->method = (SampleMethod)m;
  st->size = lower(c, dn->kids[1], NULL);
  if (st->size->type != T_ERROR && (st->size->type != T_NUM || !dim_is_none(st->size->dim)))
    diag_error(c->d, dn->kids[1]->span, "the number of draws is a number with no unit");
  int k = u->ninputs;
  if (m == SM_SALTELLI && u->corr)
    diag_error(c->d, dn->span,
               "Sobol indices assume independent inputs, but '%s' gives a correlation; use "
               "montecarlo or lhs for correlated inputs",
               u->name);
  if ((m == SM_SOBOL && k > 40) || (m == SM_SALTELLI && k > 20))
    diag_error(c->d, dn->span, "%s points exist for at most %d inputs; '%s' has %d", methods[m],
               m == SM_SOBOL ? 40 : 20, u->name, k);
  st->naxes = k;
  st->axes = arena_alloc(c->ar, (size_t)(k + 1) * sizeof *st->axes);
  for (int i = 0; i < k; i++) {
    const UncertainInput *in = &u->inputs[i];
    st->axes[i] =
        (SweepAxis){in->target, in->id, in->path, in->label, NULL, in->dist->dim, in->span};
  }
  lower_table_body(c, s, st);
  if (!st->nbody)
    diag_error(c->d, s->span,
               "sample '%s' reports nothing; say what to compute at each draw, as in { report T "
               "= crossing_time(baseline, nash) }",
               s->s);
  Decl *self = add_decl(c, D_SAMPLE, s->s, s->span);
  if (self)
    self->sample = st;
  st->self = self;
  return st;
}

Stmt *lower_stmt(Compiler *c, const Node *s) {
  switch (s->kind) {
  case S_REPORT:
    return lower_report(c, s);
  case S_SWEEP:
    return lower_sweep(c, s);
  case S_SAMPLE:
    return lower_sample(c, s);
  default:
    diag_error(c->d, s->span, "only 'report' and 'sweep' statements may stand inside a sweep");
    return NULL;
  }
}
