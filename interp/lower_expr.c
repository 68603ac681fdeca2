/* AST -> IR for expressions: names (declarations, fields, constants, table columns, sample
 * columns), operators with their types and units, calls resolved to their registry row, and
 * fields, lowered the first time an expression names them and checked against their schema. */
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

/* ---- expressions ------------------------------------------------------------------- */

IrExpr *ir_new(Compiler *c, IrOp op, Type t, Dim dim, Span sp) {
  IrExpr *e = arena_alloc(c->ar, sizeof *e);
  e->op = op;
  e->type = t;
  e->dim = dim;
  e->span = sp;
  return e;
}

IrExpr *ir_error(Compiler *c, Span sp) {
  return ir_new(c, IR_NUM, T_ERROR, DIM_NONE, sp);
}

/* The symbols a field can take (nash, ols, erdos_renyi, ...): its code, or -1. */
int symbol_lookup(const char *name) {
  static const struct {
    const char *name;
    int sym;
  } syms[] = {{"nash", SYM_NASH},
              {"coop", SYM_COOP},
              {"cooperative", SYM_COOP},
              {"ols", SYM_OLS},
              {"linear", SYM_LINEAR},
              {"logit", SYM_LOGIT},
              {"erdos_renyi", SYM_ERDOS_RENYI},
              {"barabasi_albert", SYM_BARABASI_ALBERT},
              {"bianconi_barabasi", SYM_BIANCONI_BARABASI},
              {"auto", SYM_AUTO},
              {"dense", SYM_DENSE},
              {"sparse", SYM_SPARSE},
              {"jain_krishna", SYM_JAIN_KRISHNA},
              {"printed", SYM_PRINTED}};
  for (size_t i = 0; i < sizeof syms / sizeof *syms; i++)
    if (strcmp(syms[i].name, name) == 0)
      return syms[i].sym;
  return -1;
}

/* A declaration (or an import's) of this name exists. */
int program_find_name(Compiler *c, const char *name) {
  for (int i = 0; c->program && i < c->program->nkids; i++) {
    const Node *st = c->program->kids[i];
    if (st->s && !strcmp(st->s, name))
      return 1;
  }
  return 0;
}

Decl *add_decl(Compiler *c, DeclKind kind, const char *name, Span sp) {
  Decl *old = program_find(c->p, name);
  if (old) {
    diag_error(c->d, sp, "'%s' is already defined", name);
    diag_note(c->d, old->span, "'%s' was defined here", name);
    return NULL;
  }
  if (unit_lookup(name)) {
    diag_error(c->d, sp, "'%s' is a unit name; choose another name", name);
    return NULL;
  }
  Decl *d = arena_alloc(c->ar, sizeof *d);
  d->kind = kind;
  d->name = name;
  d->span = sp;
  d->derived_slot = d->plan_slot = -1;
  GROW(c->p->decls, c->p->ndecls, c->p->capdecls);
  c->p->decls[c->p->ndecls++] = d;
  return d;
}

const char *dimstr(Dim d, char *buf) {
  dim_format(d, buf, 64);
  if (!buf[0])
    strcpy(buf, "no unit");
  return buf;
}

/* Dotted path of a member chain rooted at an identifier, or NULL. */
static const char *member_path(Compiler *c, const Node *n) {
  if (n->kind == E_IDENT)
    return n->s;
  if (n->kind != E_MEMBER)
    return NULL;
  const char *root = member_path(c, n->a);
  if (!root)
    return NULL;
  size_t l1 = strlen(root), l2 = strlen(n->s);
  char *s = arena_alloc(c->ar, l1 + l2 + 2);
  memcpy(s, root, l1);
  s[l1] = '.';
  memcpy(s + l1 + 1, n->s, l2 + 1);
  return s;
}

/* CALL.NAME: one series of a built-in's path (game_path(s, nash).V); nothing else of an
 * expression has members. */
static IrExpr *lower_pick(Compiler *c, const Node *n, Decl *self) {
  IrExpr *a = lower(c, n->a, self);
  if (a->type == T_ERROR)
    return a;
  const PathShape *ps = a->op == IR_CALL && a->type == T_PATH ? builtin_path(a->fn) : NULL;
  if (!ps) {
    diag_error(c->d, n->span, "only names and paths have members ('%s' follows %s)", n->s,
               type_name(a->type));
    return ir_error(c, n->span);
  }
  for (int k = 0; k < ps->n; k++)
    if (!strcmp(ps->names[k], n->s)) {
      Dim dim = ps->rd[k] == RD_TIME   ? dim_time()
                : ps->rd[k] == RD_RATE ? dim_time_inv()
                                       : DIM_NONE;
      IrExpr *e = ir_new(c, IR_PICK, T_PATH, dim, n->span);
      e->args = arena_alloc(c->ar, sizeof *e->args);
      e->args[0] = a;
      e->nargs = 1;
      e->col = k;
      e->path = ps->names[k];
      return e;
    }
  char names[200] = "";
  for (int k = 0; k < ps->n; k++)
    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "",
             ps->names[k]);
  diag_error(c->d, n->span, "the path of '%s' has no series '%s'; it has %s", a->fn->name, n->s,
             names);
  return ir_error(c, n->span);
}

static int is_group(Decl *d, const char *path) {
  size_t l = strlen(path);
  for (int i = 0; i < d->nfields; i++)
    if (strncmp(d->fields[i].path, path, l) == 0 && d->fields[i].path[l] == '.')
      return 1;
  return 0;
}

static IrExpr *field_ref(Compiler *c, Decl *d, Field *f, Span sp) {
  ensure_field(c, d, f);
  IrExpr *e = ir_new(c, IR_FIELD, f->ir ? f->ir->type : T_ERROR, f->ir ? f->ir->dim : DIM_NONE, sp);
  e->decl = d;
  e->path = f->path;
  e->field = f->id;
  e->cost = f->cost;
  return e;
}

static IrExpr *decl_ref(Compiler *c, Decl *d, Span sp) {
  if (d->kind == D_FUNC) {
    diag_error(c->d, sp, "'%s' is a function: call it, as in %s(...)", d->name, d->name);
    return ir_error(c, sp);
  }
  if (d->kind == D_LATEX) {
    diag_error(c->d, sp,
               "'%s' is a latex block: it sets a table in the LaTeX output and has no "
               "value",
               d->name);
    return ir_error(c, sp);
  }
  if (d->kind == D_CONST) {
    ensure_const(c, d);
    IrExpr *e = ir_new(c, IR_CONST, d->value ? d->value->type : T_ERROR,
                       d->value ? d->value->dim : DIM_NONE, sp);
    e->decl = d;
    e->cost = d->cost;
    return e;
  }
  if (d->kind == D_DYNAMICS) {
    check_dynamics(c, d);
    if (!d->dyn->ok)
      return ir_error(c, sp);
  }
  IrExpr *e = ir_new(c, IR_REF, decl_type(d->kind), DIM_NONE, sp);
  e->decl = d;
  return e;
}

/* One column of a sample's draws: a list (only reports after the sample may read it). */
static IrExpr *sample_column(Compiler *c, Decl *d, int col, const char *name, Dim dim, Span sp) {
  IrExpr *e = ir_new(c, IR_SAMPLE, T_VEC, dim, sp);
  e->decl = d;
  e->col = col;
  e->str = name;
  return e;
}

static IrExpr *lower_name(Compiler *c, const Node *n, const char *path, Decl *self) {
  /* 0. a parameter of the function being lowered */
  if (c->fn && !strchr(path, '.')) {
    IrExpr *p = param_ref(c, path, n->span);
    if (p)
      return p;
  }
  /* 1. a field of the enclosing block */
  if (self) {
    Field *f = decl_field(self, path);
    if (f)
      return field_ref(c, self, f, n->span);
    if (is_group(self, path)) {
      diag_error(c->d, n->span, "'%s' is a group of fields in %s '%s'; name one of its fields",
                 path, decl_kind_name(self->kind), self->name);
      return ir_error(c, n->span);
    }
  }
  const char *dot = strchr(path, '.');
  char root[256];
  snprintf(root, sizeof root, "%.*s", dot ? (int)(dot - path) : (int)strlen(path), path);
  Decl *d = program_find(c->p, root);
  if (d && !dot)
    return decl_ref(c, d, n->span);
  if (d) {
    const char *rest = dot + 1;
    if (d->kind == D_TABLE) {
      for (int i = 0; i < d->ncols; i++)
        if (strcmp(d->colnames[i], rest) == 0) {
          if (d->coltext[i]) {
            diag_error(c->d, n->span, "column '%s' of table '%s' holds text, not numbers", rest,
                       d->name);
            return ir_error(c, n->span);
          }
          IrExpr *e = ir_new(c, IR_COLUMN, T_VEC, d->coldims[i], n->span);
          e->decl = d;
          e->col = i;
          return e;
        }
      diag_error(c->d, n->span, "table '%s' has no column '%s'", d->name, rest);
      return ir_error(c, n->span);
    }
    if (d->kind == D_SAMPLE || d->kind == D_SWEEP) {
      const Stmt *st = d->sample;
      d->cols_read = 1;
      int col = 0;
      for (int a = 0; a < st->naxes; a++, col++)
        if (!strcmp(st->axes[a].label, rest))
          return sample_column(c, d, col, rest, st->axes[a].dim, n->span);
      for (int i = 0; i < st->nbody; i++)
        for (int j = 0; j < st->body[i]->nitems; j++, col++)
          if (!strcmp(st->body[i]->items[j].name, rest))
            return sample_column(c, d, col, rest, st->body[i]->items[j].expr->dim, n->span);
      diag_error(c->d, n->span,
                 "%s '%s' has no column '%s'; its columns are its %s and its reports",
                 decl_kind_name(d->kind), d->name, rest,
                 d->kind == D_SAMPLE ? "uncertain inputs" : "axes");
      return ir_error(c, n->span);
    }
    IrExpr *m = d->kind == D_DYNAMICS    ? dyn_member(c, d, rest, n->span)
                : d->kind == D_CALIBRATE ? calib_member(c, d, rest, n->span)
                                         : NULL;
    if (m)
      return m;
    if (decl_is_block(d->kind)) {
      Field *f = decl_field(d, rest);
      if (f)
        return field_ref(c, d, f, n->span);
      diag_error(c->d, n->span, "%s '%s' has no field '%s'", decl_kind_name(d->kind), d->name,
                 rest);
      return ir_error(c, n->span);
    }
    diag_error(c->d, n->span, "'%s' is a %s; it has no field '%s'", root, decl_kind_name(d->kind),
               rest);
    return ir_error(c, n->span);
  }
  if (!dot) {
    int sym = symbol_lookup(path);
    if (sym >= 0) {
      IrExpr *e = ir_new(c, IR_SYM, T_SYMBOL, DIM_NONE, n->span);
      e->sym = sym;
      return e;
    }
    const Unit *u = unit_lookup(path);
    if (u) {
      IrExpr *e = ir_new(c, IR_NUM, T_NUM, u->dim, n->span);
      e->num = u->scale;
      return e;
    }
  }
  /* a hint worth a scan of the statements only while errors are still shown (else 10^5
   * unknown names would scan 10^5 statements each) */
  int shown = !c->d->max_errors || c->d->nerrors < c->d->max_errors;
  for (int i = 0; shown && c->program && i < c->program->nkids; i++) {
    const Node *st = c->program->kids[i];
    if (st->kind == S_SAMPLE && !strcmp(st->s, root)) {
      diag_error(c->d, n->span,
                 "sample '%s' is drawn later (line %d); a report can read a sample only after "
                 "its statement",
                 root, st->span.first_line);
      return ir_error(c, n->span);
    }
  }
  diag_error(c->d, n->span, "unknown name '%s'", path);
  return ir_error(c, n->span);
}

static int numeric(Type t) {
  return t == T_NUM || t == T_VEC;
}

/* Folds a constant integer exponent (for powers of quantities with units). */
static int const_int(const IrExpr *e, int *out) {
  if (e->op == IR_NUM && e->num == floor(e->num) && fabs(e->num) < 64) {
    *out = (int)e->num;
    return 1;
  }
  if (e->op == IR_NEG && const_int(e->args[0], out)) {
    *out = -*out;
    return 1;
  }
  return 0;
}

/* A product, quotient or power whose unit exponents pass DIM_EXP_MAX: said where it first
 * happens (an operand already past it was said). */
static IrExpr *unit_range(Compiler *c, IrExpr *e, const IrExpr *l, const IrExpr *r) {
  if (dim_overflow(e->dim) && !dim_overflow(l->dim) && !dim_overflow(r->dim)) {
    diag_error(c->d, e->span, "the unit of this result has an exponent beyond +-%d", DIM_EXP_MAX);
    e->type = T_ERROR;
  }
  return e;
}

static IrExpr *lower_bin(Compiler *c, const Node *n, Decl *self) {
  IrExpr *l = lower(c, n->a, self), *r = lower(c, n->b, self);
  IrExpr *e = ir_new(c, IR_BIN, T_ERROR, DIM_NONE, n->span);
  e->bop = n->op;
  e->args = arena_alloc(c->ar, 2 * sizeof *e->args);
  e->args[0] = l;
  e->args[1] = r;
  e->nargs = 2;
  if (l->type == T_ERROR || r->type == T_ERROR)
    return e;
  char b1[64], b2[64];
  int op = n->op;
  if (op == '&' || op == '|') { /* conditions, or lists of them (a `where`), elementwise */
    int lc = l->type == T_BOOL || (l->type == T_VEC && dim_is_none(l->dim)),
        rc = r->type == T_BOOL || (r->type == T_VEC && dim_is_none(r->dim));
    if (!lc || !rc) {
      diag_error(c->d, n->span,
                 "'%s' needs true/false (or lists of conditions) on both sides, got %s and %s",
                 op == '&' ? "and" : "or", type_name(l->type), type_name(r->type));
      return e;
    }
    e->type = l->type == T_VEC || r->type == T_VEC ? T_VEC : T_BOOL;
    return e;
  }
  if (!numeric(l->type) || !numeric(r->type)) {
    diag_error(c->d, n->span, "arithmetic needs numbers, got %s and %s", type_name(l->type),
               type_name(r->type));
    return e;
  }
  Type vt = (l->type == T_VEC || r->type == T_VEC) ? T_VEC : T_NUM;
  switch (op) {
  case '+':
  case '-':
  case '<':
  case '>':
  case 'l':
  case 'g':
  case 'e':
  case 'n':
    if (!dim_eq(l->dim, r->dim)) {
      diag_error(c->d, n->span, "unit mismatch: cannot %s %s and %s",
                 op == '+'   ? "add"
                 : op == '-' ? "subtract"
                             : "compare",
                 dimstr(l->dim, b1), dimstr(r->dim, b2));
      return e;
    }
    e->dim = l->dim;
    e->type = vt;
    if (op != '+' && op != '-') {
      e->dim = DIM_NONE;
      if (vt == T_NUM)
        e->type = T_BOOL;
    }
    return e;
  case '*':
    e->type = vt;
    e->dim = dim_mul(l->dim, r->dim);
    return unit_range(c, e, l, r);
  case '/':
    e->type = vt;
    e->dim = dim_div(l->dim, r->dim);
    return unit_range(c, e, l, r);
  case '^': {
    if (dim_overflow(l->dim))
      return e;
    if (!dim_is_none(r->dim)) {
      diag_error(c->d, n->b->span, "an exponent must have no unit, got %s", dimstr(r->dim, b1));
      return e;
    }
    int k;
    if (!dim_is_none(l->dim) && !const_int(r, &k)) {
      diag_error(c->d, n->b->span,
                 "a quantity with unit %s can only be raised to a constant whole number from -63 "
                 "to 63",
                 dimstr(l->dim, b1));
      return e;
    }
    e->type = vt;
    e->dim = dim_is_none(l->dim) ? DIM_NONE : dim_pow(l->dim, k);
    return unit_range(c, e, l, r);
  }
  }
  return e;
}

/* The unit of a call's result by its row's rule (RD_*). */
static Dim result_dim(Compiler *c, const IrExpr *e) {
  switch (e->fn->rdim) {
  case RD_TIME:
    return dim_time();
  case RD_RATE:
    return dim_time_inv();
  case RD_ARG0:
    return e->args[0]->dim;
  case RD_WORKLOAD_Q: { /* the workload's Q field, lowered on demand */
    Field *q = decl_field_id(e->args[0]->decl, F_WORKLOAD_Q);
    if (q)
      ensure_field(c, e->args[0]->decl, q);
    return q && q->ir ? q->ir->dim : DIM_NONE;
  }
  default:
    return DIM_NONE;
  }
}

/* A builtin given a block reads its fields, and given a scenario the blocks it names through
 * its bases: lower them all now, so that a field reaching itself through a builtin
 * (alpha = alpha(c), or x0 = f(acceleration(s)) in the market s uses) is found here as the
 * cycle it is, not at run time as endless recursion. */
static void ensure_block(Compiler *c, Decl *d) {
  for (Decl *s = d; s && !s->deps_done; s = s->kind == D_SCENARIO ? s->base : NULL) {
    if (s->kind != D_SCENARIO && !decl_is_block(s->kind))
      return;
    if (s->kind == D_SCENARIO)
      lower_scenario(c, s);
    s->deps_done = 2; /* in progress: a block naming it back (a market's field naming the
                       * scenario that names the market) is not entered again */
    for (int i = 0; i < s->nfields; i++) {
      Field *f = &s->fields[i];
      ensure_field(c, s, f); /* one being lowered now reaches itself: the cycle's error */
      if (!f->ir || f->ir->op != IR_REF || f->ir->decl == s)
        continue;
      Decl *t = f->ir->decl;
      if (t->deps_done == 2) /* its fields still meet the one being lowered, if any */
        for (int j = 0; j < t->nfields; j++)
          ensure_field(c, t, &t->fields[j]);
      else
        ensure_block(c, t);
    }
  }
  for (Decl *s = d; s && s->deps_done == 2; s = s->kind == D_SCENARIO ? s->base : NULL)
    s->deps_done = 1;
}

static IrExpr *lower_call(Compiler *c, const Node *n, Decl *self) {
  Decl *user = program_find(c->p, n->s);
  if (user && user->kind == D_FUNC)
    return lower_user_call(c, n, user, self);
  const Builtin *fn = builtin_lookup(n->s);
  IrExpr *e = ir_new(c, IR_CALL, T_ERROR, DIM_NONE, n->span);
  e->args = arena_alloc(c->ar, (size_t)(n->nkids + 1) * sizeof *e->args);
  e->nargs = n->nkids;
  int bad = 0;
  for (int i = 0; i < n->nkids; i++) {
    if (n->kids[i]->kind == E_NAMED) {
      diag_error(c->d, n->kids[i]->span, "'%s' takes no named arguments", n->s);
      bad = 1;
      e->args[i] = ir_error(c, n->kids[i]->span);
      continue;
    }
    if (fn && i < 4 && fn->args[i] == T_FUNC)
      continue; /* lowered below, applied to the solver's variable */
    e->args[i] = lower(c, n->kids[i], self);
    if (e->args[i]->type == T_ERROR)
      bad = 1;
    else if (e->args[i]->op == IR_REF)
      ensure_block(c, e->args[i]->decl);
  }
  /* a function argument's variable has the unit of the argument after it (root(f, lo, hi)) */
  for (int i = 0; fn && i < n->nkids && i < 4; i++)
    if (fn->args[i] == T_FUNC && n->kids[i]->kind != E_NAMED) {
      Dim xdim = i + 1 < n->nkids && e->args[i + 1] ? e->args[i + 1]->dim : DIM_NONE;
      e->args[i] = lower_fn_arg(c, n->kids[i], xdim, n->s);
      bad |= e->args[i]->type == T_ERROR;
    }
  if (!fn) {
    diag_error(c->d, n->span, "unknown function '%s'", n->s);
    return e;
  }
  e->fn = fn;
  if (fn->nargs >= 0 && n->nkids != fn->nargs) {
    diag_error(c->d, n->span, "'%s' takes %d argument%s, got %d (%s)", n->s, fn->nargs,
               fn->nargs == 1 ? "" : "s", n->nkids, fn->help);
    return e;
  }
  if (bad)
    return e;
  /* an overloaded name (alpha_eff of a scenario or of a growth block): the first entry whose
   * argument types fit, else the first (for its message) */
  for (const Builtin *alt = fn; alt; alt = builtin_next(alt)) {
    int fits = alt->nargs < 0 || alt->nargs == n->nkids;
    for (int i = 0; fits && i < n->nkids && i < 4 && alt->nargs >= 0; i++) {
      Type want = alt->args[i], got = e->args[i]->type;
      fits = want == T_FUNC    ? e->args[i]->op == IR_APPLY
             : want == T_ERROR ? numeric(got)
                               : (want == got || (want == T_VEC && got == T_NUM));
    }
    if (fits) {
      fn = e->fn = alt;
      break;
    }
  }
  for (int i = 0; i < n->nkids && i < 4 && fn->nargs >= 0; i++) {
    Type want = fn->args[i], got = e->args[i]->type;
    int ok = want == T_FUNC    ? e->args[i]->op == IR_APPLY
             : want == T_ERROR ? numeric(got)
                               : (want == got || (want == T_VEC && got == T_NUM));
    if (!ok) {
      diag_error(c->d, n->kids[i]->span, "argument %d of '%s' must be a %s, got %s", i + 1, n->s,
                 want == T_ERROR ? "number" : type_name(want), type_name(got));
      return e;
    }
  }
  /* Result type and unit: the row's, then the row's own rule (units, shapes) if it has one.
   * A distribution or a summary of draws has no type until its rule gives one. */
  e->type = fn->rtype ? fn->rtype : fn->rdim == RD_UNC ? T_ERROR : T_NUM;
  e->dim = result_dim(c, e);
  char msg[512];
  int arg = -1;
  if (fn->check && fn->check(e, msg, sizeof msg, &arg)) {
    diag_error(c->d, arg >= 0 ? n->kids[arg]->span : n->span, "%s", msg);
    e->type = T_ERROR;
    return e;
  }
  /* A list where the function takes a number: the function at each of its values (a path
   * s(t) over t = range(...), for a plot), unless the function gives a list already. Rows
   * that declare their result type map so. */
  for (int i = 0; fn->rtype && i < e->nargs && i < 4 && e->type != T_ERROR; i++)
    if (fn->args[i] == T_ERROR && e->args[i]->type == T_VEC) {
      if (fn->rtype != T_NUM) {
        diag_error(c->d, n->kids[i]->span,
                   "argument %d of '%s' must be one number here: the function gives a list "
                   "already (%s)",
                   i + 1, fn->name, fn->help);
        e->type = T_ERROR;
      } else
        e->type = T_VEC;
    }
  return e;
}

static IrExpr *lower_node(Compiler *c, const Node *n, Decl *self);

/* Expressions deeper than this are refused: no model needs them, and every later pass
 * (checking, evaluation) recurses over the tree. */
#define MAX_EXPR_DEPTH 256

IrExpr *lower(Compiler *c, const Node *n, Decl *self) {
  if (c->expr_depth >= MAX_EXPR_DEPTH) {
    diag_error(c->d, n->span, "expression nested deeper than %d levels", MAX_EXPR_DEPTH);
    return ir_error(c, n->span);
  }
  c->expr_depth++;
  IrExpr *e = lower_node(c, n, self);
  c->expr_depth--;
  return e;
}

static IrExpr *lower_node(Compiler *c, const Node *n, Decl *self) {
  switch (n->kind) {
  case E_NUM: {
    IrExpr *e = ir_new(c, IR_NUM, T_NUM, DIM_NONE, n->span);
    e->num = n->num;
    return e;
  }
  case E_INF: {
    IrExpr *e = ir_new(c, IR_NUM, T_NUM, DIM_NONE, n->span);
    e->num = INFINITY;
    return e;
  }
  case E_STR: {
    IrExpr *e = ir_new(c, IR_STR, T_STR, DIM_NONE, n->span);
    e->str = n->s;
    return e;
  }
  case E_BOOL: {
    IrExpr *e = ir_new(c, IR_BOOL, T_BOOL, DIM_NONE, n->span);
    e->num = n->num;
    return e;
  }
  case E_IDENT:
    return lower_name(c, n, n->s, self);
  case E_MEMBER: {
    const char *p = member_path(c, n);
    if (!p)
      return lower_pick(c, n, self);
    return lower_name(c, n, p, self);
  }
  case E_BIN:
    return lower_bin(c, n, self);
  case E_UNARY: {
    IrExpr *a = lower(c, n->a, self);
    IrExpr *e = ir_new(c, n->op == '-' ? IR_NEG : IR_NOT, a->type, a->dim, n->span);
    e->args = arena_alloc(c->ar, sizeof *e->args);
    e->args[0] = a;
    e->nargs = 1;
    if (a->type == T_ERROR)
      return e;
    if (n->op == '-' && !numeric(a->type)) {
      diag_error(c->d, n->span, "'-' needs a number, got %s", type_name(a->type));
      e->type = T_ERROR;
    } else if (n->op == '!' && a->type != T_BOOL) {
      diag_error(c->d, n->span, "'not' needs true/false, got %s", type_name(a->type));
      e->type = T_ERROR;
    }
    return e;
  }
  case E_CALL:
    return lower_call(c, n, self);
  case E_LIST: {
    /* a list of lists is a matrix, kept row by row as one list (catalytic.M) */
    int rows = n->nkids > 0, width = rows ? n->kids[0]->nkids : 0;
    for (int i = 0; i < n->nkids && rows; i++)
      rows = n->kids[i]->kind == E_LIST;
    const Node **elem = (const Node **)n->kids;
    int nelem = n->nkids;
    if (rows) {
      nelem = 0;
      elem = arena_alloc(c->ar, (size_t)(n->nkids * width + 1) * sizeof *elem);
      for (int i = 0; i < n->nkids; i++) {
        if (n->kids[i]->nkids != width) {
          diag_error(c->d, n->kids[i]->span, "row %d of the matrix has %d entries, row 1 has %d",
                     i + 1, n->kids[i]->nkids, width);
          return ir_error(c, n->span);
        }
        for (int j = 0; j < width; j++)
          elem[nelem++] = n->kids[i]->kids[j];
      }
    }
    IrExpr *e = ir_new(c, IR_LIST, T_VEC, DIM_NONE, n->span);
    e->args = arena_alloc(c->ar, (size_t)(nelem + 1) * sizeof *e->args);
    e->nargs = nelem;
    e->col = rows ? width : 0;
    for (int i = 0; i < nelem; i++) {
      IrExpr *x = e->args[i] = lower(c, elem[i], self);
      if (x->type == T_ERROR) {
        e->type = T_ERROR;
        continue;
      }
      if (x->type != T_NUM) {
        diag_error(c->d, elem[i]->span, "list elements must be numbers, got %s",
                   type_name(x->type));
        e->type = T_ERROR;
        continue;
      }
      if (i == 0)
        e->dim = x->dim;
      else if (!dim_eq(x->dim, e->dim)) {
        char b1[64], b2[64];
        diag_error(c->d, elem[i]->span, "unit mismatch in list: %s after %s", dimstr(x->dim, b1),
                   dimstr(e->dim, b2));
        e->type = T_ERROR;
      }
    }
    return e;
  }
  default:
    diag_error(c->d, n->span, "expected an expression");
    return ir_error(c, n->span);
  }
}

/* A field or constant is lowered once, wherever it is first named; inside a function's body
 * its names are still the program's, not the function's parameters. */
static IrExpr *lower_outside_fn(Compiler *c, const Node *n, Decl *self) {
  const Decl *fn = c->fn;
  IrExpr **frame = c->frame;
  c->fn = NULL;
  c->frame = NULL;
  IrExpr *v = lower(c, n, self);
  c->fn = fn;
  c->frame = frame;
  return v;
}

/* ---- fields: lowered on first use, then checked against their schema ---------------- */

void check_spec(Compiler *c, Decl *d, const char *path, IrExpr *v, Span sp, Dim *declared) {
  char b1[64], b2[64];
  if (d->kind == D_CONST) { /* a parameter keeps its type and unit under any new value */
    if (v->type == T_ERROR || !d->value || d->value->type == T_ERROR)
      return;
    if (v->type != T_NUM)
      diag_error(c->d, sp, "parameter '%s' is a number, got %s", d->name, type_name(v->type));
    else if (!dim_eq(v->dim, d->value->dim))
      diag_error(c->d, sp, "unit mismatch: parameter '%s' is in %s, got %s", d->name,
                 dimstr(d->value->dim, b1), dimstr(v->dim, b2));
    return;
  }
  const FieldSpec *fs = field_spec(d->kind, path);
  if (!fs || v->type == T_ERROR)
    return;
  if (fs->type == T_ERROR) { /* a number or a list */
    if (v->type != T_NUM && v->type != T_VEC)
      diag_error(c->d, sp, "'%s' of %s '%s' must be a number or a list, got %s", path,
                 decl_kind_name(d->kind), d->name, type_name(v->type));
    return;
  }
  /* a plot's line may be a path, read at x (or at its own points) */
  int path_line = d->kind == D_PLOT && fs->type == T_VEC && v->type == T_PATH && strcmp(path, "x");
  if (!(v->type == fs->type || path_line)) {
    diag_error(c->d, sp, "'%s' of %s '%s' must be a %s, got %s", path, decl_kind_name(d->kind),
               d->name, type_name(fs->type), type_name(v->type));
    return;
  }
  if (fs->dimkind == DK_NONE && !dim_is_none(v->dim))
    diag_error(c->d, sp, "unit mismatch: '%s' takes no unit, got %s", path, dimstr(v->dim, b1));
  else if (fs->dimkind == DK_RATE && !dim_eq(v->dim, dim_time_inv()))
    diag_error(c->d, sp, "unit mismatch: '%s' is a rate (per year, per month), got %s", path,
               dimstr(v->dim, b1));
  else if (fs->dimkind == DK_TIME && !dim_eq(v->dim, dim_time()))
    diag_error(c->d, sp, "unit mismatch: '%s' is a time (years, months), got %s", path,
               dimstr(v->dim, b1));
  else if (fs->dimkind == DK_ANY && declared && !dim_eq(v->dim, *declared))
    diag_error(c->d, sp, "unit mismatch: '%s' was declared in %s, got %s", path,
               dimstr(*declared, b1), dimstr(v->dim, b2));
}

/* A value whose references, expanded, take more than MAX_FN_COST operations (they are
 * evaluated where referenced, so c2 = c1 + c1 costs twice c1). */
static void too_costly(Compiler *c, Span sp, const char *name, double cost) {
  diag_error(c->d, sp,
             "the value of '%s' expands to %.3g operations (at most %.0e): its references "
             "are evaluated each time they are used, so a chain that doubles grows exponentially",
             name, cost, MAX_FN_COST);
}

void ensure_field(Compiler *c, Decl *d, Field *f) {
  if (f->state == 2)
    return;
  if (f->state == 1) {
    diag_error(c->d, f->span, "field '%s' of '%s' depends on itself", f->path, d->name);
    f->ir = ir_error(c, f->span);
    f->state = 2;
    return;
  }
  f->state = 1;
  /* a symbol field given a word that is no symbol (nor a name): say what it takes */
  const FieldSpec *fs = field_spec(d->kind, f->path);
  const Node *a = f->ast->a;
  if (fs && fs->type == T_SYMBOL && a->kind == E_IDENT && !program_find_name(c, a->s) &&
      symbol_lookup(a->s) < 0) {
    diag_error(c->d, a->span, "unknown %s '%s'; expected %s", f->path, a->s, fs->help);
    f->ir = ir_error(c, f->span);
    f->state = 2;
    return;
  }
  IrExpr *v = lower_outside_fn(c, a, d);
  if (f->state == 1) {
    f->ir = v;
    f->state = 2;
    if ((f->cost = ir_cost(v)) > MAX_FN_COST) {
      too_costly(c, f->ast->a->span, f->path, f->cost);
      f->ir = ir_error(c, f->span);
      f->cost = 0; /* said once: what refers to it is not said again */
      return;
    }
    check_spec(c, d, f->path, v, f->ast->a->span, NULL);
  }
}

void ensure_const(Compiler *c, Decl *d) {
  if (d->state == 2)
    return;
  if (d->state == 1) {
    diag_error(c->d, d->span, "constant '%s' depends on itself", d->name);
    d->value = ir_error(c, d->span);
    d->state = 2;
    return;
  }
  d->state = 1;
  IrExpr *v = lower_outside_fn(c, d->ast, NULL);
  if (d->state == 1) {
    d->value = v;
    d->state = 2;
    if ((d->cost = ir_cost(v)) > MAX_FN_COST) {
      too_costly(c, d->ast->span, d->name, d->cost);
      d->value = ir_error(c, d->span);
      d->cost = 0; /* said once: what refers to it is not said again */
    }
  }
}
