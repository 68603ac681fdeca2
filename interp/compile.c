/* AST -> IR: imports (with cycle detection), declarations, name resolution, types, units.
 * Field expressions are lowered lazily so that fields may refer to each other in any order;
 * a field that depends on itself is an error naming the cycle. */
#include "compile.h"

#include "builtins.h"
#include "schema.h"

#include "core/edsl_core.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_IMPORT_DEPTH 32

struct Compiler {
  Arena *ar;
  Diag *d;
  Program *p;
  char *stack[MAX_IMPORT_DEPTH]; /* canonical paths of files being compiled */
  const char *shown[MAX_IMPORT_DEPTH];
  int depth;
  int expr_depth; /* nesting of the expression being lowered */
  char **done;    /* canonical paths already compiled */
  int ndone, capdone;
  const Node *program; /* the main file's statements, to name a sample used before it */
};

Compiler *compiler_new(Arena *ar, Diag *diag, Program *prog) {
  Compiler *c = arena_alloc(ar, sizeof *c);
  c->ar = ar;
  c->d = diag;
  c->p = prog;
  return c;
}

void compiler_free(Compiler *c) {
  if (c) {
    free(c->done);
    c->done = NULL;
    c->ndone = c->capdone = 0;
  }
}

#define GROW(arr, n, cap)                                                                          \
  do {                                                                                             \
    if ((n) == (cap)) {                                                                            \
      (cap) = (cap) ? 2 * (cap) : 8;                                                               \
      (arr) = realloc((arr), (size_t)(cap) * sizeof *(arr));                                       \
    }                                                                                              \
  } while (0)

static Decl *add_decl(Compiler *c, DeclKind kind, const char *name, Span sp) {
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
  GROW(c->p->decls, c->p->ndecls, c->p->capdecls);
  c->p->decls[c->p->ndecls++] = d;
  return d;
}

/* ---- expressions ------------------------------------------------------------------- */

static IrExpr *ir_new(Compiler *c, IrOp op, Type t, Dim dim, Span sp) {
  IrExpr *e = arena_alloc(c->ar, sizeof *e);
  e->op = op;
  e->type = t;
  e->dim = dim;
  e->span = sp;
  return e;
}

static IrExpr *ir_error(Compiler *c, Span sp) {
  return ir_new(c, IR_NUM, T_ERROR, DIM_NONE, sp);
}

static IrExpr *lower(Compiler *c, const Node *n, Decl *self);
static void ensure_field(Compiler *c, Decl *d, Field *f);
static void ensure_const(Compiler *c, Decl *d);

/* The symbols a field can take (nash, ols, erdos_renyi, ...): its code, or -1. */
static int symbol_lookup(const char *name) {
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
static int program_find_name(Compiler *c, const char *name) {
  for (int i = 0; c->program && i < c->program->nkids; i++) {
    const Node *st = c->program->kids[i];
    if (st->s && !strcmp(st->s, name))
      return 1;
  }
  return 0;
}

static const char *dimstr(Dim d, char *buf) {
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
  return e;
}

static IrExpr *decl_ref(Compiler *c, Decl *d, Span sp) {
  if (d->kind == D_CONST) {
    ensure_const(c, d);
    IrExpr *e = ir_new(c, IR_CONST, d->value ? d->value->type : T_ERROR,
                       d->value ? d->value->dim : DIM_NONE, sp);
    e->decl = d;
    return e;
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
    if (d->kind == D_SAMPLE) {
      const Stmt *st = d->sample;
      int col = 0;
      for (int a = 0; a < st->naxes; a++, col++)
        if (!strcmp(st->axes[a].label, rest))
          return sample_column(c, d, col, rest, st->axes[a].dim, n->span);
      for (int i = 0; i < st->nbody; i++)
        for (int j = 0; j < st->body[i]->nitems; j++, col++)
          if (!strcmp(st->body[i]->items[j].name, rest))
            return sample_column(c, d, col, rest, st->body[i]->items[j].expr->dim, n->span);
      diag_error(c->d, n->span,
                 "sample '%s' has no column '%s'; its columns are its uncertain inputs and its "
                 "reports",
                 d->name, rest);
      return ir_error(c, n->span);
    }
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
  for (int i = 0; c->program && i < c->program->nkids; i++) {
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
  if (op == '&' || op == '|') {
    if (l->type != T_BOOL || r->type != T_BOOL) {
      diag_error(c->d, n->span, "'%s' needs true/false on both sides, got %s and %s",
                 op == '&' ? "and" : "or", type_name(l->type), type_name(r->type));
      return e;
    }
    e->type = T_BOOL;
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
    return e;
  case '/':
    e->type = vt;
    e->dim = dim_div(l->dim, r->dim);
    return e;
  case '^': {
    if (!dim_is_none(r->dim)) {
      diag_error(c->d, n->b->span, "an exponent must have no unit, got %s", dimstr(r->dim, b1));
      return e;
    }
    int k;
    if (!dim_is_none(l->dim) && !const_int(r, &k)) {
      diag_error(c->d, n->b->span,
                 "a quantity with unit %s can only be raised to a constant whole number",
                 dimstr(l->dim, b1));
      return e;
    }
    e->type = vt;
    e->dim = dim_is_none(l->dim) ? DIM_NONE : dim_pow(l->dim, k);
    return e;
  }
  }
  return e;
}

/* Result type and unit of a pre-crossing-layer builtin, and units of its arguments. */
static IrExpr *lower_layer_call(Compiler *c, const Node *n, IrExpr *e) {
  const Builtin *fn = e->fn;
  const char *f = fn->name;
  char b1[64], b2[64];
  e->type = fn->rtype;
  switch (fn->rdim) {
  case RD_TIME:
    e->dim = dim_time();
    break;
  case RD_RATE:
    e->dim = dim_time_inv();
    break;
  case RD_ARG0:
    e->dim = e->args[0]->dim;
    break;
  case RD_WORKLOAD_Q: {
    Field *q = decl_field(e->args[0]->decl, "Q");
    if (q)
      ensure_field(c, e->args[0]->decl, q);
    e->dim = q && q->ir ? q->ir->dim : DIM_NONE;
    break;
  }
  default:
    e->dim = DIM_NONE;
  }
  /* arguments that are dates along a path */
  static const char *timed[] = {
      "R0_at",      "share",         "kappa_at",          "Qbar_eff",
      "capability", "variety",       "variety_growth",    "saturation_path",
      "J_recomb",   "baumol_growth", "baumol_growth_ces", "cost_share_Z",
      "price_ratio"};
  for (size_t i = 0; i < sizeof timed / sizeof *timed; i++)
    if (!strcmp(f, timed[i]) && !dim_eq(e->args[1]->dim, dim_time())) {
      diag_error(c->d, n->kids[1]->span,
                 "unit mismatch: the second argument of '%s' is a time since the start (years), "
                 "got %s",
                 f, dimstr(e->args[1]->dim, b1));
      e->type = T_ERROR;
    }
  /* the mesh's plain-number arguments: R0, rho, a count of nodes, a diffusion time */
  static const struct {
    const char *fn;
    int arg;
  } plain[] = {{"giant_component", 0},
               {"C_eff", 1},
               {"top_share", 1},
               {"disagreement", 1},
               {"decay_rate", 1},
               {"D", 0},
               {"D", 1},
               {"raf_probability", 1},
               {"catalytic_shares", 1},
               {"catalytic_rate", 1},
               {"survivors", 1},
               {"crisis_theta", 1}};
  for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
    if (!strcmp(f, plain[i].fn) && !dim_is_none(e->args[plain[i].arg]->dim)) {
      diag_error(c->d, n->kids[plain[i].arg]->span,
                 "argument %d of '%s' is a plain number, got %s (%s)", plain[i].arg + 1, f,
                 dimstr(e->args[plain[i].arg]->dim, b1), fn->help);
      e->type = T_ERROR;
    }
  if (!strcmp(f, "implied_R0")) {
    if (!dim_eq(e->args[0]->dim, dim_time()) || !dim_is_none(e->args[1]->dim) ||
        !dim_eq(e->args[2]->dim, dim_time_inv())) {
      diag_error(c->d, n->span,
                 "implied_R0(dates, shares, delta) needs dates in time, shares with no unit and a "
                 "rate delta; got %s, %s and %s",
                 dimstr(e->args[0]->dim, b1), dimstr(e->args[1]->dim, b2),
                 dimstr(e->args[2]->dim, (char[64]){0}));
      e->type = T_ERROR;
    }
  }
  if (!strcmp(f, "T_dual_eq26") &&
      (!dim_eq(e->args[0]->dim, e->args[1]->dim) || !dim_eq(e->args[0]->dim, e->args[2]->dim))) {
    diag_error(c->d, n->span, "unit mismatch: T_dual_eq26 needs three times in one unit");
    e->type = T_ERROR;
  }
  /* A list where the function takes a number: the function at each of its values (a path
   * s(t) over t = range(...), for a plot), unless the function gives a list already. */
  for (int i = 0; i < e->nargs && i < 4 && e->type != T_ERROR; i++)
    if (fn->args[i] == T_ERROR && e->args[i]->type == T_VEC) {
      if (fn->rtype != T_NUM) {
        diag_error(c->d, n->kids[i]->span,
                   "argument %d of '%s' must be one number here: the function gives a list "
                   "already (%s)",
                   i + 1, f, fn->help);
        e->type = T_ERROR;
      } else
        e->type = T_VEC;
    }
  return e;
}

/* Distributions (only values of uncertain inputs) and summaries of a sample's draws. */
static IrExpr *lower_uncertainty_call(Compiler *c, const Node *n, IrExpr *e) {
  const char *f = e->fn->name;
  char b1[64], b2[64];
  IrExpr **a = e->args;
  e->type = T_ERROR;
  int dist = !strcmp(f, "normal") || !strcmp(f, "lognormal") || !strcmp(f, "uniform") ||
             !strcmp(f, "triangular") || !strcmp(f, "beta") || !strcmp(f, "from_fit") ||
             !strcmp(f, "bootstrap");
  if (dist) {
    if (!strcmp(f, "from_fit") || !strcmp(f, "bootstrap")) {
      e->type = T_DIST;
      return e;
    }
    for (int i = 0; i < e->nargs; i++)
      if (a[i]->type != T_NUM) {
        diag_error(c->d, n->kids[i]->span, "argument %d of '%s' must be a number, got %s", i + 1, f,
                   type_name(a[i]->type));
        return e;
      }
    /* which arguments carry the input's unit, and which have none */
    int same[4] = {0}, plain[4] = {0};
    if (!strcmp(f, "lognormal"))
      plain[1] = 1;
    else if (!strcmp(f, "beta")) {
      if (e->nargs != 2 && e->nargs != 4) {
        diag_error(c->d, n->span, "'beta' takes 2 or 4 arguments, got %d (%s)", e->nargs,
                   e->fn->help);
        return e;
      }
      plain[0] = plain[1] = 1;
      same[3] = e->nargs == 4;
    } else
      for (int i = 1; i < e->nargs; i++)
        same[i] = 1;
    int ref = !strcmp(f, "beta") ? 2 : 0;
    for (int i = 0; i < e->nargs; i++) {
      if (plain[i] && !dim_is_none(a[i]->dim)) {
        diag_error(c->d, n->kids[i]->span, "argument %d of '%s' has no unit, got %s", i + 1, f,
                   dimstr(a[i]->dim, b1));
        return e;
      }
      if (same[i] && !dim_eq(a[i]->dim, a[ref]->dim)) {
        diag_error(c->d, n->kids[i]->span,
                   "unit mismatch: argument %d of '%s' is in %s, argument "
                   "%d in %s",
                   i + 1, f, dimstr(a[i]->dim, b1), ref + 1, dimstr(a[ref]->dim, b2));
        return e;
      }
    }
    e->type = T_DIST;
    e->dim = ref < e->nargs ? a[ref]->dim : DIM_NONE;
    return e;
  }
  if (!strcmp(f, "draws") || !strcmp(f, "failed")) {
    e->type = T_NUM;
    return e;
  }
  if (!strcmp(f, "sd")) {
    e->type = T_NUM;
    e->dim = a[0]->dim;
    return e;
  }
  if (!strcmp(f, "quantile")) {
    if (!dim_is_none(a[1]->dim)) {
      diag_error(c->d, n->kids[1]->span, "a probability has no unit, got %s",
                 dimstr(a[1]->dim, b1));
      return e;
    }
    e->type = a[1]->type;
    e->dim = a[0]->dim;
    return e;
  }
  if (!strcmp(f, "P")) {
    const IrExpr *x = a[0];
    int cmp = x->op == IR_BIN && strchr("<>lgen", x->bop);
    if (!cmp || x->type != T_VEC) {
      diag_error(c->d, n->kids[0]->span,
                 "P(...) takes a comparison of a sample's draws, such as P(mc.T_star_nash < 6 "
                 "year)");
      return e;
    }
    e->type = T_NUM;
    return e;
  }
  /* sobol_first / sobol_total (result, input) of one saltelli sample */
  if (a[0]->op != IR_SAMPLE || a[1]->op != IR_SAMPLE || a[0]->decl != a[1]->decl) {
    diag_error(c->d, n->span,
               "'%s' takes a result and an input of one sample, as in %s(s.T, "
               "s.packaging.alpha)",
               f, f);
    return e;
  }
  const Stmt *st = a[0]->decl->sample;
  if (a[1]->col >= st->naxes || a[0]->col < st->naxes) {
    diag_error(c->d, n->span,
               "'%s' takes a reported result first, then one of the sample's "
               "uncertain inputs",
               f);
    return e;
  }
  if (st->method != SM_SALTELLI) {
    diag_error(c->d, n->span, "Sobol indices need the design of sample '%s' to be saltelli(%s, N)",
               st->name, st->uncertain ? st->uncertain->name : "...");
    return e;
  }
  e->type = T_NUM;
  return e;
}

static IrExpr *lower_call(Compiler *c, const Node *n, Decl *self) {
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
    e->args[i] = lower(c, n->kids[i], self);
    if (e->args[i]->type == T_ERROR)
      bad = 1;
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
      fits = want == T_ERROR ? numeric(got) : (want == got || (want == T_VEC && got == T_NUM));
    }
    if (fits) {
      fn = e->fn = alt;
      break;
    }
  }
  for (int i = 0; i < n->nkids && i < 4 && fn->nargs >= 0; i++) {
    Type want = fn->args[i], got = e->args[i]->type;
    int ok = want == T_ERROR ? numeric(got) : (want == got || (want == T_VEC && got == T_NUM));
    if (!ok) {
      diag_error(c->d, n->kids[i]->span, "argument %d of '%s' must be a %s, got %s", i + 1, n->s,
                 want == T_ERROR ? "number" : type_name(want), type_name(got));
      return e;
    }
  }
  /* Result type and unit. */
  const char *f = fn->name;
  Dim none = DIM_NONE;
  e->type = T_NUM;
  e->dim = none;
  if (fn->rdim == RD_UNC)
    return lower_uncertainty_call(c, n, e);
  if (fn->rtype)
    return lower_layer_call(c, n, e);
  if (!strcmp(f, "crossing_time"))
    e->dim = dim_time();
  else if (!strcmp(f, "exp") || !strcmp(f, "log") || !strcmp(f, "sin") || !strcmp(f, "cos")) {
    if (!dim_is_none(e->args[0]->dim)) {
      char b[64];
      diag_error(c->d, n->kids[0]->span, "'%s' needs a number with no unit, got %s", f,
                 dimstr(e->args[0]->dim, b));
      e->type = T_ERROR;
    }
    e->type = e->type == T_ERROR ? T_ERROR : e->args[0]->type;
  } else if (!strcmp(f, "sqrt")) {
    Dim d = e->args[0]->dim;
    for (int i = 0; i < NDIM; i++) {
      if (d.e[i] % 2) {
        char b[64];
        diag_error(c->d, n->kids[0]->span,
                   "'sqrt' of a quantity in %s would have a fractional unit", dimstr(d, b));
        e->type = T_ERROR;
        return e;
      }
      d.e[i] = (signed char)(d.e[i] / 2);
    }
    e->dim = d;
    e->type = e->args[0]->type;
  } else if (!strcmp(f, "abs") || !strcmp(f, "cumsum")) {
    e->dim = e->args[0]->dim;
    e->type = !strcmp(f, "cumsum") ? T_VEC : e->args[0]->type;
  } else if (!strcmp(f, "min") || !strcmp(f, "max")) {
    if (!dim_eq(e->args[0]->dim, e->args[1]->dim)) {
      char b1[64], b2[64];
      diag_error(c->d, n->span, "unit mismatch: '%s' of %s and %s", f, dimstr(e->args[0]->dim, b1),
                 dimstr(e->args[1]->dim, b2));
      e->type = T_ERROR;
    }
    e->dim = e->args[0]->dim;
  } else if (!strcmp(f, "sum") || !strcmp(f, "mean"))
    e->dim = e->args[0]->dim;
  else if (!strcmp(f, "range")) {
    if (!dim_eq(e->args[0]->dim, e->args[1]->dim) || !dim_is_none(e->args[2]->dim)) {
      diag_error(c->d, n->span, "range(lo, hi, n) needs lo and hi in one unit and a plain n");
      e->type = T_ERROR;
    } else {
      e->type = T_VEC;
      e->dim = e->args[0]->dim;
    }
  } else if (!strcmp(f, "cost") || !strcmp(f, "c0"))
    e->dim = DIM_NONE; /* unit of the curve's data is only known at run time: see eval */
  return e;
}

static IrExpr *lower_node(Compiler *c, const Node *n, Decl *self);

/* Expressions deeper than this are refused: no model needs them, and every later pass
 * (checking, evaluation) recurses over the tree. */
#define MAX_EXPR_DEPTH 256

static IrExpr *lower(Compiler *c, const Node *n, Decl *self) {
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
    if (!p) {
      diag_error(c->d, n->span, "only names have fields ('%s' follows an expression)", n->s);
      return ir_error(c, n->span);
    }
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

/* ---- fields and their schemas ------------------------------------------------------ */

static void check_spec(Compiler *c, Decl *d, const char *path, IrExpr *v, Span sp, Dim *declared) {
  const FieldSpec *fs = field_spec(d->kind, path);
  if (!fs || v->type == T_ERROR)
    return;
  char b1[64], b2[64];
  if (fs->type == T_ERROR) { /* a number or a list */
    if (v->type != T_NUM && v->type != T_VEC)
      diag_error(c->d, sp, "'%s' of %s '%s' must be a number or a list, got %s", path,
                 decl_kind_name(d->kind), d->name, type_name(v->type));
    return;
  }
  if (!(v->type == fs->type || (fs->type == T_VEC && v->type == T_VEC))) {
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

static void ensure_field(Compiler *c, Decl *d, Field *f) {
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
  IrExpr *v = lower(c, a, d);
  if (f->state == 1) {
    f->ir = v;
    f->state = 2;
    check_spec(c, d, f->path, v, f->ast->a->span, NULL);
  }
}

static void ensure_const(Compiler *c, Decl *d) {
  if (d->state == 2)
    return;
  if (d->state == 1) {
    diag_error(c->d, d->span, "constant '%s' depends on itself", d->name);
    d->value = ir_error(c, d->span);
    d->state = 2;
    return;
  }
  d->state = 1;
  IrExpr *v = lower(c, d->ast, NULL);
  if (d->state == 1) {
    d->value = v;
    d->state = 2;
  }
}

static void flatten_items(Compiler *c, Decl *d, const Node *items, const char *prefix) {
  for (int i = 0; i < items->nkids; i++) {
    const Node *it = items->kids[i];
    char *path;
    if (prefix) {
      size_t l1 = strlen(prefix), l2 = strlen(it->s);
      path = arena_alloc(c->ar, l1 + l2 + 2);
      memcpy(path, prefix, l1);
      path[l1] = '.';
      memcpy(path + l1 + 1, it->s, l2 + 1);
    } else
      path = (char *)it->s;
    if (it->kind == I_BLOCK) {
      flatten_items(c, d, it, path);
      continue;
    }
    Field *old = decl_field(d, path);
    if (old) {
      diag_error(c->d, it->span, "field '%s' is set twice in '%s'", path, d->name);
      diag_note(c->d, old->span, "first set here");
      continue;
    }
    Field *nf = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *nf);
    if (d->nfields)
      memcpy(nf, d->fields, (size_t)d->nfields * sizeof *nf);
    d->fields = nf;
    const FieldSpec *fs = field_spec(d->kind, path);
    d->fields[d->nfields++] = (Field){path, fs ? fs->id : F_NONE, it->span, it, NULL, 0};
  }
}

/* Overrides in a scenario or --set: PATH = value where PATH is [market.]field or
 * block.field. */
static int resolve_target(Compiler *c, Decl *scn, const char *path, Span sp, Decl **target,
                          const char **rest) {
  const char *dot = strchr(path, '.');
  if (!dot) {
    diag_error(c->d, sp,
               "'%s' is not a field of a scenario; override a block field such as "
               "market.firms or packaging.alpha",
               path);
    return 0;
  }
  char root[256];
  snprintf(root, sizeof root, "%.*s", (int)(dot - path), path);
  Decl *t = NULL;
  if (scn && strcmp(root, "market") == 0) {
    for (Decl *s = scn; s && !t; s = s->base) {
      Field *f = decl_field(s, "market");
      if (f) {
        ensure_field(c, s, f);
        if (f->ir && f->ir->op == IR_REF)
          t = f->ir->decl;
        else
          return 0;
      }
    }
    if (!t) {
      diag_error(c->d, sp, "scenario '%s' names no market to override", scn->name);
      return 0;
    }
  } else {
    t = program_find(c->p, root);
    if (!t) {
      diag_error(c->d, sp, "unknown name '%s' in override path '%s'", root, path);
      return 0;
    }
    if (!decl_is_block(t->kind)) {
      diag_error(c->d, sp,
                 "'%s' is a %s; only fields of blocks (learning_curve, market, adoption, "
                 "workload, progress) can be overridden",
                 root, decl_kind_name(t->kind));
      return 0;
    }
  }
  *rest = dot + 1;
  if (!field_spec(t->kind, *rest)) {
    char buf[1024];
    field_suggest(t->kind, *rest, buf, sizeof buf);
    diag_error(c->d, sp, "%s '%s' has no field '%s'; %s", decl_kind_name(t->kind), t->name, *rest,
               buf);
    return 0;
  }
  *target = t;
  return 1;
}

static int add_override(Compiler *c, Decl *scn, Override **ovr, int *novr, const char *path,
                        const Node *value, Span sp) {
  Decl *t;
  const char *rest;
  if (!resolve_target(c, scn, path, sp, &t, &rest))
    return 0;
  IrExpr *v = lower(c, value, NULL);
  Field *f = decl_field(t, rest);
  if (f)
    ensure_field(c, t, f);
  Dim declared = f && f->ir ? f->ir->dim : DIM_NONE;
  check_spec(c, t, rest, v, value->span, f && f->ir && f->ir->type != T_ERROR ? &declared : NULL);
  Override *o = arena_alloc(c->ar, (size_t)(*novr + 1) * sizeof *o);
  if (*novr)
    memcpy(o, *ovr, (size_t)*novr * sizeof *o);
  o[*novr] = (Override){t, field_spec(t->kind, rest)->id, rest, v, sp};
  *ovr = o;
  (*novr)++;
  return 1;
}

/* A symbol field's value is one of the allowed symbols (else a located error). */
static int symbol_field(Compiler *c, Decl *d, const char *path, const int *ok, int nok,
                        const char *expected) {
  Field *f = decl_field(d, path);
  if (!f || !f->ir || f->ir->op != IR_SYM)
    return -1;
  for (int i = 0; i < nok; i++)
    if (f->ir->sym == ok[i])
      return ok[i];
  diag_error(c->d, f->ast->a->span, "unknown %s; expected %s", path, expected);
  return -1;
}

/* Fields a part of a block needs once any of its fields is given. */
static void part_needs(Compiler *c, Decl *d, const char *part, const char **req, int nreq) {
  int any = 0;
  size_t pl = strlen(part);
  for (int i = 0; i < d->nfields; i++)
    any |= !strncmp(d->fields[i].path, part, pl) && d->fields[i].path[pl] == '.';
  if (!any)
    return;
  for (int i = 0; i < nreq; i++) {
    char path[96];
    snprintf(path, sizeof path, "%s.%s", part, req[i]);
    if (!decl_field(d, path))
      diag_error(c->d, d->span, "%s '%s': a %s block needs '%s' (%s)", decl_kind_name(d->kind),
                 d->name, part, req[i], field_spec(d->kind, path)->help);
  }
}

/* The schema's requirements: REQ fields always, PART fields once their group is given. */
static void check_required(Compiler *c, Decl *d) {
  int n;
  const FieldSpec *s = field_specs_of(d->kind, &n);
  for (int i = 0; i < n; i++) {
    if (s[i].req == OPT || decl_field_id(d, s[i].id))
      continue;
    if (s[i].req == REQ) {
      diag_error(c->d, d->span, "%s '%s' needs '%s' (%s)", decl_kind_name(d->kind), d->name,
                 s[i].path, s[i].help);
      continue;
    }
    const char *dot = strchr(s[i].path, '.');
    size_t gl = (size_t)(dot - s[i].path);
    int any = 0;
    for (int j = 0; j < d->nfields && !any; j++)
      any = !strncmp(d->fields[j].path, s[i].path, gl + 1);
    if (any)
      diag_error(c->d, d->span, "%s '%s': a %.*s block needs '%s' (%s)", decl_kind_name(d->kind),
                 d->name, (int)gl, s[i].path, dot + 1, s[i].help);
  }
}

static void check_mesh(Compiler *c, Decl *d) {
  char b1[64], b2[64];
  Field *beta = decl_field(d, "beta"), *D = decl_field(d, "D");
  if (beta && D && beta->ir && D->ir && beta->ir->type == T_NUM && D->ir->type == T_NUM &&
      !dim_eq(beta->ir->dim, D->ir->dim))
    diag_error(c->d, D->span,
               "unit mismatch: R0_mesh = N beta v / D needs beta and D in one unit; beta is in "
               "%s, D in %s",
               dimstr(beta->ir->dim, b1), dimstr(D->ir->dim, b2));
  static const int models[] = {SYM_ERDOS_RENYI, SYM_BARABASI_ALBERT, SYM_BIANCONI_BARABASI};
  static const int solvers[] = {SYM_AUTO, SYM_DENSE, SYM_SPARSE};
  symbol_field(c, d, "network.eigen", solvers, 3, "'auto', 'dense' or 'sparse'");
  int model = symbol_field(c, d, "network.model", models, 3,
                           "'erdos_renyi', 'barabasi_albert' or 'bianconi_barabasi'");
  static const struct {
    int model;
    const char *field;
  } needs[] = {{SYM_ERDOS_RENYI, "network.mean_degree"},
               {SYM_BARABASI_ALBERT, "network.links"},
               {SYM_BIANCONI_BARABASI, "network.links"},
               {SYM_BIANCONI_BARABASI, "network.fitness"}};
  for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
    if (model == needs[i].model && !decl_field(d, needs[i].field))
      diag_error(c->d, d->span, "mesh '%s': network.model = %s needs '%s' (%s)", d->name,
                 regime_name(model), needs[i].field, field_spec(D_MESH, needs[i].field)->help);
}

static void check_growth(Compiler *c, Decl *d) {
  static const int forms[] = {SYM_JAIN_KRISHNA, SYM_PRINTED};
  symbol_field(c, d, "catalytic.form", forms, 2, "'jain_krishna' or 'printed'");
  if (!decl_field(d, "raf.reactions")) { /* else M comes from the declared reactions */
    static const char *cat_req[] = {"M"};
    part_needs(c, d, "catalytic", cat_req, 1);
  }
  int declared = decl_field(d, "raf.reactions") || decl_field(d, "raf.food");
  int random = decl_field(d, "raf.types") || decl_field(d, "raf.food_types") ||
               decl_field(d, "raf.reaction_count");
  if (declared && random)
    diag_error(c->d, d->span,
               "growth '%s': a raf block declares its reactions (food, reactions) or draws them "
               "(types, food_types, reaction_count), not both",
               d->name);
  else if (declared) {
    static const char *req[] = {"food", "reactions"};
    part_needs(c, d, "raf", req, 2);
  } else if (random) {
    static const char *req[] = {"types", "food_types", "reaction_count"};
    part_needs(c, d, "raf", req, 3);
  }
  Field *rx = decl_field(d, "raf.reactions");
  if (rx && rx->ir && rx->ir->type == T_TABLE && rx->ir->decl) {
    const Decl *t = rx->ir->decl;
    static const char *cols[] = {"inputs", "catalysts", "outputs"};
    for (int k = 0; k < 3; k++) {
      int found = -1;
      for (int j = 0; j < t->ncols; j++)
        if (!strcmp(t->colnames[j], cols[k]))
          found = j;
      if (found < 0 || !t->coltext[found])
        diag_error(c->d, rx->ast->a->span,
                   "table '%s' needs a text column '%s' (type names separated by spaces or +) "
                   "to be a reaction system",
                   t->name, cols[k]);
    }
  }
}

/* Two fields that must share a unit (both lowered). */
static void same_unit(Compiler *c, Decl *d, const char *a, const char *b) {
  Field *fa = decl_field(d, a), *fb = decl_field(d, b);
  char b1[64], b2[64];
  if (fa && fb && fa->ir && fb->ir && fa->ir->type != T_ERROR && fb->ir->type != T_ERROR &&
      !dim_eq(fa->ir->dim, fb->ir->dim))
    diag_error(c->d, fb->span, "unit mismatch: %s '%s' has '%s' in %s but '%s' in %s",
               decl_kind_name(d->kind), d->name, a, dimstr(fa->ir->dim, b1), b,
               dimstr(fb->ir->dim, b2));
}

static void check_prediction(Compiler *c, Decl *d) {
  if (decl_field(d, "against_through") && !decl_field(d, "evidence_against"))
    diag_error(c->d, d->span, "prediction '%s' sets against_through but no evidence_against",
               d->name);
  if (decl_field(d, "against_quantity") && !decl_field(d, "evidence_against"))
    diag_error(c->d, d->span, "prediction '%s' sets against_quantity but no evidence_against",
               d->name);
}

static void check_claim(Compiler *c, Decl *d) {
  int has_value = decl_field(d, "value") != NULL;
  int ntol = (decl_field(d, "tolerance") != NULL) + (decl_field(d, "rel_tolerance") != NULL);
  if (!has_value && !decl_field(d, "reason"))
    diag_error(c->d, d->span,
               "claim '%s' needs 'value' (edsl's value of the printed number) or, when edsl "
               "cannot compute it, 'reason' (what is missing)",
               d->name);
  if (has_value && ntol != 1)
    diag_error(c->d, d->span,
               "claim '%s' needs one tolerance: 'tolerance' (in the paper's unit) or "
               "'rel_tolerance' (a fraction of the printed value)",
               d->name);
  if (!has_value && ntol)
    diag_error(c->d, d->span, "claim '%s' has a tolerance but no 'value' to compare", d->name);
  same_unit(c, d, "paper", "value");
  same_unit(c, d, "paper", "tolerance");
}

static void check_plot(Compiler *c, Decl *d) {
  static const char *ys[] = {"y2", "y3", "y4"}, *labels[] = {"label2", "label3", "label4"};
  for (int i = 0; i < 3; i++) {
    same_unit(c, d, "y", ys[i]);
    if (decl_field(d, labels[i]) && !decl_field(d, ys[i]))
      diag_error(c->d, decl_field(d, labels[i])->span, "plot '%s' has '%s' but no '%s'", d->name,
                 labels[i], ys[i]);
  }
  /* the files are written under --out: a plain name, not a path */
  Field *f = decl_field(d, "file");
  if (f && f->ir && f->ir->op == IR_STR &&
      (!f->ir->str[0] || f->ir->str[0] == '.' || strchr(f->ir->str, '/') ||
       strlen(f->ir->str) > 200))
    diag_error(c->d, f->span,
               "plot '%s': file = \"%s\" must be a plain file name without '/' or a leading "
               "'.' (the plot is written as NAME.svg and NAME.png under --out)",
               d->name, f->ir->str);
}

static void check_block(Compiler *c, Decl *d) {
  char buf[1024];
  for (int i = 0; i < d->nfields; i++) {
    Field *f = &d->fields[i];
    if (!field_spec(d->kind, f->path)) {
      field_suggest(d->kind, f->path, buf, sizeof buf);
      diag_error(c->d, f->span, "%s '%s' has no field '%s'; %s", decl_kind_name(d->kind), d->name,
                 f->path, buf);
      f->state = 2;
      f->ir = ir_error(c, f->span);
      continue;
    }
    ensure_field(c, d, f);
  }
  check_required(c, d);
  if (d->kind == D_MARKET) {
    int has_thr = decl_field(d, "threshold.curve") != NULL;
    if (!decl_field(d, "x0") && !has_thr)
      diag_error(c->d, d->span,
                 "market '%s' needs the distance to crossing: 'x0', or a 'threshold' block "
                 "with curve, c_now, c_star and Q_now",
                 d->name);
    if (has_thr) {
      static const char *thr[] = {"threshold.c_now", "threshold.c_star", "threshold.Q_now"};
      for (size_t i = 0; i < 3; i++)
        if (!decl_field(d, thr[i]))
          diag_error(c->d, d->span, "market '%s' has a threshold block without '%s'", d->name,
                     thr[i] + 10);
      Field *a = decl_field(d, "threshold.c_now"), *b = decl_field(d, "threshold.c_star");
      if (a && b && a->ir && b->ir && a->ir->type == T_NUM && b->ir->type == T_NUM &&
          !dim_eq(a->ir->dim, b->ir->dim)) {
        char b1[64], b2[64];
        diag_error(c->d, b->span, "unit mismatch: c_star is in %s but c_now is in %s",
                   dimstr(b->ir->dim, b1), dimstr(a->ir->dim, b2));
      }
    }
    if (decl_field(d, "continuation.S_I") && !decl_field(d, "continuation.delta"))
      diag_error(c->d, d->span, "market '%s' sets continuation.S_I but not delta", d->name);
  } else if (d->kind == D_ADOPTION) {
    Field *form = decl_field(d, "beta");
    int logit = form && form->ir && form->ir->op == IR_SYM && form->ir->sym == SYM_LOGIT;
    if (form && form->ir && form->ir->op == IR_SYM && form->ir->sym != SYM_LOGIT &&
        form->ir->sym != SYM_LINEAR)
      diag_error(c->d, form->ast->a->span, "unknown adoption form; expected 'linear' or 'logit'");
    if (!logit && !decl_field(d, "lambda"))
      diag_error(c->d, d->span, "adoption '%s' needs 'lambda' (%s)", d->name,
                 field_spec(D_ADOPTION, "lambda")->help);
    if (logit && (!decl_field(d, "choice.T_u") || !decl_field(d, "choice.scale")))
      diag_error(c->d, d->span, "adoption '%s' with beta = logit needs choice { T_u; scale }",
                 d->name);
    static const char *eco[] = {"ecosystem.E0", "ecosystem.E_max", "ecosystem.eta_E",
                                "ecosystem.gamma_E"};
    int neco = 0;
    for (size_t i = 0; i < 4; i++)
      neco += decl_field(d, eco[i]) != NULL;
    if (neco && neco < 4)
      diag_error(c->d, d->span,
                 "adoption '%s': an ecosystem block needs E0, E_max, eta_E and gamma_E", d->name);
    if (neco && decl_field(d, "kappa_half_life"))
      diag_error(c->d, d->span,
                 "adoption '%s': kappa declines either with a half-life or through the "
                 "ecosystem, not both",
                 d->name);
  } else if (d->kind == D_PROGRESS) {
    int hd = decl_field(d, "events.date") != NULL, hf = decl_field(d, "events.factor") != NULL;
    if (hd != hf)
      diag_error(c->d, d->span, "progress '%s' needs both events.date and events.factor", d->name);
    if (hd && !decl_field(d, "t0"))
      diag_error(c->d, d->span,
                 "progress '%s' has dated events but no 't0' (the game's start date)", d->name);
  } else if (d->kind == D_MESH) {
    check_mesh(c, d);
  } else if (d->kind == D_GROWTH) {
    check_growth(c, d);
  } else if (d->kind == D_PREDICTION) {
    check_prediction(c, d);
  } else if (d->kind == D_CLAIM) {
    check_claim(c, d);
  } else if (d->kind == D_PLOT) {
    check_plot(c, d);
  } else if (d->kind == D_WORKLOAD) {
    Field *a = decl_field(d, "T_dist"), *b = decl_field(d, "T_star");
    if (a && b && a->ir && b->ir && a->ir->type == T_NUM && b->ir->type == T_NUM &&
        !dim_eq(a->ir->dim, b->ir->dim)) {
      char b1[64], b2[64];
      diag_error(c->d, b->span, "unit mismatch: T_star is in %s but T_dist is in %s",
                 dimstr(b->ir->dim, b1), dimstr(a->ir->dim, b2));
    }
  } else if (d->kind == D_CURVE) {
    int hasQ = decl_field(d, "Q") != NULL, hasc = decl_field(d, "c") != NULL;
    if (hasQ != hasc)
      diag_error(c->d, d->span, "learning_curve '%s' needs both 'Q' and 'c' data to fit", d->name);
    if (!hasQ && !decl_field(d, "alpha"))
      diag_error(c->d, d->span, "learning_curve '%s' needs 'alpha', or data 'Q' and 'c' to fit it",
                 d->name);
    Field *fit = decl_field(d, "fit");
    if (fit && fit->ir && fit->ir->op == IR_SYM && fit->ir->sym != SYM_OLS)
      diag_error(c->d, fit->ast->a->span, "unknown estimator; expected 'ols'");
  }
}

/* ---- tables -------------------------------------------------------------------------- */

/* Column units: a product/quotient of unit names, a number, or the word text. */
static int const_unit(Compiler *c, const Node *n, double *scale, Dim *dim, int *text) {
  *text = 0;
  if (n->kind == E_IDENT && strcmp(n->s, "text") == 0) {
    *text = 1;
    *scale = 1;
    *dim = DIM_NONE;
    return 1;
  }
  IrExpr *e = lower(c, n, NULL);
  if (e->type == T_ERROR)
    return 0;
  if (e->type != T_NUM || !(e->op == IR_NUM || e->op == IR_BIN)) {
    diag_error(c->d, n->span, "a column unit must be a unit such as USD/GB, year or text");
    return 0;
  }
  *dim = e->dim;
  int ok = 1;
  *scale = ir_const_eval(e, &ok);
  if (!ok) {
    diag_error(c->d, n->span, "a column unit must be built from unit names and numbers");
    return 0;
  }
  return 1;
}

static void compile_table(Compiler *c, const Node *s) {
  Decl *d = add_decl(c, D_TABLE, s->s, s->span);
  if (!d)
    return;
  const Node *cols = s->a;
  d->ncols = cols->nkids;
  d->colnames = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->colnames);
  d->coldims = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->coldims);
  d->coltext = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->coltext);
  double *scale = arena_alloc(c->ar, (size_t)d->ncols * sizeof *scale);
  for (int j = 0; j < d->ncols; j++) {
    d->colnames[j] = cols->kids[j]->s;
    for (int k = 0; k < j; k++)
      if (!strcmp(d->colnames[k], d->colnames[j]))
        diag_error(c->d, cols->kids[j]->span, "column '%s' appears twice", d->colnames[j]);
    if (!cols->kids[j]->a) {
      /* data without units is what edsl exists to prevent: say how to state them */
      diag_error(c->d, cols->kids[j]->span,
                 "column '%s' of table '%s' has no unit; write '%s: UNIT' (e.g. 'year: year', "
                 "'price: USD/GB'), '%s: text' for labels, or '%s: 1' for a plain number",
                 d->colnames[j], d->name, d->colnames[j], d->colnames[j], d->colnames[j]);
      scale[j] = 1;
    } else if (!const_unit(c, cols->kids[j]->a, &scale[j], &d->coldims[j], &d->coltext[j]))
      scale[j] = 1;
  }
  d->nrows = s->nkids;
  d->num = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->num);
  d->text = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->text);
  for (int j = 0; j < d->ncols; j++) {
    d->num[j] = arena_alloc(c->ar, (size_t)(d->nrows + 1) * sizeof **d->num);
    d->text[j] = arena_alloc(c->ar, (size_t)(d->nrows + 1) * sizeof **d->text);
  }
  for (int i = 0; i < d->nrows; i++) {
    const Node *row = s->kids[i];
    if (row->nkids != d->ncols) {
      diag_error(c->d, row->span, "row %d of table '%s' has %d value%s; the table has %d columns",
                 i + 1, d->name, row->nkids, row->nkids == 1 ? "" : "s", d->ncols);
      continue;
    }
    for (int j = 0; j < d->ncols; j++) {
      const Node *cell = row->kids[j];
      if (d->coltext[j]) {
        if (cell->kind != E_STR)
          diag_error(c->d, cell->span, "column '%s' holds text: write the value in quotes",
                     d->colnames[j]);
        else
          d->text[j][i] = cell->s;
        continue;
      }
      IrExpr *e = lower(c, cell, NULL);
      if (e->type == T_ERROR)
        continue;
      int ok = e->type == T_NUM && dim_is_none(e->dim);
      double v = ok ? ir_const_eval(e, &ok) : 0;
      if (!ok || !isfinite(v)) {
        diag_error(c->d, cell->span,
                   "a cell of column '%s' must be a finite plain number (the column's unit "
                   "applies)",
                   d->colnames[j]);
        continue;
      }
      d->num[j][i] = v * scale[j];
    }
  }
}

/* ---- statements ---------------------------------------------------------------------- */

static Stmt *lower_stmt(Compiler *c, const Node *s);

/* Whether an expression reads a sample's draws. */
static int ir_uses_sample(const IrExpr *e) {
  if (!e)
    return 0;
  if (e->op == IR_SAMPLE || (e->op == IR_REF && e->decl && e->decl->kind == D_SAMPLE))
    return 1;
  for (int i = 0; i < e->nargs; i++)
    if (ir_uses_sample(e->args[i]))
      return 1;
  return 0;
}

/* Rows of a sweep or sample are computed apart from each other, so none reads a sample. */
static void sample_in_body(Compiler *c, const Stmt *b, const char *what) {
  for (int j = 0; j < b->nitems; j++)
    if (ir_uses_sample(b->items[j].expr))
      diag_error(c->d, b->items[j].span,
                 "a report inside a %s cannot read a sample's draws; summarize the sample in a "
                 "report after it",
                 what);
}

static Stmt *lower_report(Compiler *c, const Node *s) {
  Stmt *st = arena_alloc(c->ar, sizeof *st);
  st->kind = ST_REPORT;
  st->span = s->span;
  st->items = arena_alloc(c->ar, (size_t)s->nkids * sizeof *st->items);
  for (int i = 0; i < s->nkids; i++) {
    IrExpr *e = lower(c, s->kids[i]->a, NULL);
    if (e->type != T_ERROR && e->type != T_NUM && e->type != T_BOOL && e->type != T_STR &&
        e->type != T_VEC)
      diag_error(c->d, s->kids[i]->a->span, "a report must be a number, list or text, got %s",
                 type_name(e->type));
    st->items[st->nitems++] = (ReportItem){s->kids[i]->s, e, s->kids[i]->span};
    st->uses_sample |= ir_uses_sample(e);
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
  ax->id = field_spec(t->kind, rest)->id;
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
  if (field_spec(t->kind, rest)->type != T_NUM) {
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
    if (!*f || strchr(f, '/') || f[0] == '.')
      diag_error(c->d, s->c->span,
                 "a %s's output file must be a plain file name (it is written into --out)", what);
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
static void check_uncertain(Compiler *c, Decl *d) {
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
    if (field_spec(t->kind, rest)->type != T_NUM) {
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
    d->inputs[d->ninputs++] =
        (UncertainInput){t, field_spec(t->kind, rest)->id, rest, f->path, v, f->span};
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

static Stmt *lower_stmt(Compiler *c, const Node *s) {
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

static void record_input(Compiler *c, const char *shown, const SourceFile *f) {
  GROW(c->p->inputs, c->p->ninputs, c->p->capinputs);
  InputFile *in = &c->p->inputs[c->p->ninputs++];
  in->path = arena_strdup(c->ar, shown);
  struct sha256_ctx h;
  sha256_init(&h);
  sha256_update(&h, f->len, (const uint8_t *)f->text);
  sha256_digest(&h, SHA256_DIGEST_SIZE, in->sha256);
}

static int compile_loaded(Compiler *c, int file, const Node *prog, int is_main);

static const char *source_error(int err) {
  return err == EINVAL  ? "not a regular file"
         : err == EFBIG ? "larger than the 64 MiB a scenario file may have"
                        : strerror(err);
}

static char *home_dir(void) {
  const char *h = getenv("EDSL_HOME");
  return (char *)(h && *h ? h : EDSL_HOME);
}

static void compile_import(Compiler *c, const Node *s) {
  const char *cur = c->d->src->files[s->span.file].path;
  char cand[PATH_MAX * 2];
  const char *slash = strrchr(cur, '/');
  char *found = NULL;
  if (s->s[0] == '/')
    snprintf(cand, sizeof cand, "%s", s->s);
  else
    snprintf(cand, sizeof cand, "%.*s%s", slash ? (int)(slash - cur + 1) : 0, cur, s->s);
  if (access(cand, R_OK) != 0 && s->s[0] != '/')
    snprintf(cand, sizeof cand, "%s/%s", home_dir(), s->s);
  char canon[PATH_MAX];
  if (!realpath(cand, canon)) {
    diag_error(c->d, s->span,
               "cannot import \"%s\": no such file (looked beside '%s' and in the edsl home, "
               "$EDSL_HOME)",
               s->s, cur);
    return;
  }
  for (int i = 0; i < c->depth; i++)
    if (strcmp(c->stack[i], canon) == 0) {
      char chain[2048] = "";
      for (int j = i; j < c->depth; j++) {
        size_t l = strlen(chain);
        snprintf(chain + l, sizeof chain - l, "%s -> ", c->shown[j]);
      }
      size_t l = strlen(chain);
      snprintf(chain + l, sizeof chain - l, "%s", s->s);
      diag_error(c->d, s->span, "import cycle: %s", chain);
      return;
    }
  for (int i = 0; i < c->ndone; i++)
    if (strcmp(c->done[i], canon) == 0)
      return; /* imported already: imports are idempotent */
  if (c->depth >= MAX_IMPORT_DEPTH) {
    diag_error(c->d, s->span, "imports nest deeper than %d files", MAX_IMPORT_DEPTH);
    return;
  }
  int id = sources_load(c->d->src, cand);
  if (id < 0) {
    diag_error(c->d, s->span, "cannot read \"%s\": %s", s->s, source_error(errno));
    return;
  }
  found = arena_strdup(c->ar, canon);
  record_input(c, s->s, &c->d->src->files[id]);
  c->stack[c->depth] = found;
  c->shown[c->depth] = s->s;
  c->depth++;
  int incomplete;
  Node *prog = edsl_parse(c->ar, c->d, id, &incomplete);
  compile_loaded(c, id, prog, 0);
  c->depth--;
  GROW(c->done, c->ndone, c->capdone);
  c->done[c->ndone++] = found;
}

/* A prediction's `observed` is edsl's to set (to each observation): it enters as a field
 * whose default is the declared unit, so that conditions written in it are unit-checked. */
static void add_observed(Compiler *c, Decl *d) {
  Field *own = decl_field(d, "observed");
  if (own) {
    diag_error(c->d, own->span,
               "prediction '%s' sets 'observed', which edsl sets to each observation; give "
               "the unit of the observations with 'unit'",
               d->name);
    return;
  }
  Node *item = node_new(c->ar, I_ASSIGN, d->span);
  item->s = "observed";
  if (decl_field(d, "unit")) {
    item->a = node_new(c->ar, E_IDENT, d->span);
    item->a->s = "unit";
  } else {
    item->a = node_new(c->ar, E_NUM, d->span);
    item->a->num = 1;
  }
  Field *nf = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *nf);
  memcpy(nf, d->fields, (size_t)d->nfields * sizeof *nf);
  d->fields = nf;
  d->fields[d->nfields++] = (Field){"observed", F_PREDICTION_observed, d->span, item, NULL, 0};
}

/* A claim in the main file is checked where it stands, as a statement; a plot is drawn there
 * (so it may read the samples before it). */
static Stmt *block_stmt(Compiler *c, const Node *s) {
  Decl *d = program_find(c->p, s->s);
  if (!d || (d->kind != D_CLAIM && d->kind != D_PLOT))
    return NULL;
  Stmt *st = arena_alloc(c->ar, sizeof *st);
  st->kind = d->kind == D_CLAIM ? ST_CLAIM : ST_PLOT;
  st->span = s->span;
  st->name = d->name;
  st->self = d;
  return st;
}

/* Every result of a run is written under its name (a JSON key, a CSV row, an --out file),
 * so two results of one name would lose one of them: an error at the second. */
typedef struct {
  const char *name;
  Span span;
  int order;
} NamedResult;

static int cmp_named(const void *a, const void *b) {
  const NamedResult *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->order > y->order) - (x->order < y->order);
}

static void check_result_names(Compiler *c, int first) {
  int n = 0;
  for (int i = first; i < c->p->nstmts; i++)
    n += c->p->stmts[i]->kind == ST_REPORT ? c->p->stmts[i]->nitems : 1;
  NamedResult *r = malloc((size_t)(n + 1) * sizeof *r);
  n = 0;
  for (int i = first; i < c->p->nstmts; i++) {
    const Stmt *st = c->p->stmts[i];
    if (st->kind == ST_REPORT)
      for (int j = 0; j < st->nitems; j++, n++)
        r[n] = (NamedResult){st->items[j].name, st->items[j].span, n};
    else if (st->kind != ST_CLAIM && st->name) {
      r[n] = (NamedResult){st->name, st->span, n};
      n++;
    }
  }
  qsort(r, (size_t)n, sizeof *r, cmp_named);
  for (int i = 1; i < n; i++)
    if (!strcmp(r[i].name, r[i - 1].name)) {
      diag_error(c->d, r[i].span,
                 "a result named '%s' is already reported; each result needs its own name "
                 "(outputs are keyed by it)",
                 r[i].name);
      diag_note(c->d, r[i - 1].span, "'%s' is first reported here", r[i].name);
    }
  free(r);
}

/* An imported file contributes declarations; its report and sweep statements run only
 * when it is the main file. */
static int compile_loaded(Compiler *c, int file, const Node *prog, int is_main) {
  (void)file;
  int before = c->d->nerrors;
  int first = c->p->ndecls;
  if (is_main)
    c->program = prog;
  /* Pass 1: imports and declarations. */
  for (int i = 0; i < prog->nkids; i++) {
    const Node *s = prog->kids[i];
    switch (s->kind) {
    case S_IMPORT:
      compile_import(c, s);
      break;
    case S_CONST: {
      Decl *d = add_decl(c, D_CONST, s->s, s->span);
      if (d)
        d->ast = s->a;
      break;
    }
    case S_BLOCK: {
      DeclKind dk = s->op == BK_MARKET           ? D_MARKET
                    : s->op == BK_LEARNING_CURVE ? D_CURVE
                    : s->op == BK_ADOPTION       ? D_ADOPTION
                    : s->op == BK_WORKLOAD       ? D_WORKLOAD
                    : s->op == BK_PROGRESS       ? D_PROGRESS
                    : s->op == BK_UNCERTAIN      ? D_UNCERTAIN
                    : s->op == BK_MESH           ? D_MESH
                    : s->op == BK_GROWTH         ? D_GROWTH
                    : s->op == BK_CYCLE          ? D_CYCLE
                    : s->op == BK_PREDICTION     ? D_PREDICTION
                    : s->op == BK_CLAIM          ? D_CLAIM
                    : s->op == BK_PLOT           ? D_PLOT
                                                 : D_CONST;
      if (dk == D_CONST) {
        diag_error(c->d, s->c->span,
                   "'%s' blocks are not supported yet (this version evaluates tables, "
                   "learning_curve, market, adoption, workload, progress, uncertain, mesh, "
                   "growth, cycle, prediction, claim, plot, scenario, report, sweep and sample)",
                   block_kind_name(s->op));
        break;
      }
      Decl *d = add_decl(c, dk, s->s, s->span);
      if (d)
        flatten_items(c, d, s, NULL);
      if (d && dk == D_PREDICTION)
        add_observed(c, d);
      break;
    }
    case S_TABLE:
      compile_table(c, s);
      break;
    case S_SCENARIO: {
      Decl *d = add_decl(c, D_SCENARIO, s->s, s->span);
      if (!d)
        break;
      d->ast = s;
      break;
    }
    default:
      break;
    }
  }
  /* Pass 2: lower block fields, scenarios and statements. */
  for (int i = first; i < c->p->ndecls; i++) {
    Decl *d = c->p->decls[i];
    if (decl_is_block(d->kind))
      check_block(c, d);
    else if (d->kind == D_UNCERTAIN)
      check_uncertain(c, d);
    else if (d->kind == D_CONST) {
      ensure_const(c, d);
      if (!strcmp(d->name, "seed") && d->value->type != T_ERROR) {
        int ok = 1;
        double v = ir_const_eval(d->value, &ok);
        if (!ok || v < 0 || v != floor(v) || v > 4294967295.0)
          diag_error(c->d, d->span, "seed must be a whole number from 0 to 4294967295");
        else if (!c->p->has_seed) {
          c->p->seed = v;
          c->p->has_seed = 1;
        }
      }
    }
  }
  for (int i = first; i < c->p->ndecls; i++) {
    Decl *d = c->p->decls[i];
    if (d->kind != D_SCENARIO)
      continue;
    const Node *s = d->ast;
    int bad_base = 0;
    if (s->b) {
      bad_base = 1;
      Decl *base = program_find(c->p, s->b->s);
      if (!base)
        diag_error(c->d, s->b->span, "unknown scenario '%s'", s->b->s);
      else if (base->kind != D_SCENARIO)
        diag_error(c->d, s->b->span, "'%s' is a %s, not a scenario", s->b->s,
                   decl_kind_name(base->kind));
      else if (base == d)
        diag_error(c->d, s->b->span, "scenario '%s' cannot extend itself", d->name);
      else {
        d->base = base;
        bad_base = 0;
      }
    }
    if (bad_base)
      continue; /* its overrides cannot be resolved without the base */
    for (int k = 0; k < s->nkids; k++) {
      const Node *it = s->kids[k];
      if (it->kind == I_BLOCK) {
        diag_error(c->d, it->span, "scenario items are 'market = NAME' or overrides PATH = value");
        continue;
      }
      if (!strchr(it->s, '.')) {
        if (!field_spec(D_SCENARIO, it->s)) {
          diag_error(c->d, it->span,
                     "scenario has no field '%s'; expected 'market' or an "
                     "override such as market.firms = 10",
                     it->s);
          continue;
        }
        Field *nf = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *nf);
        if (d->nfields)
          memcpy(nf, d->fields, (size_t)d->nfields * sizeof *nf);
        d->fields = nf;
        d->fields[d->nfields++] =
            (Field){it->s, field_spec(D_SCENARIO, it->s)->id, it->span, it, NULL, 0};
        ensure_field(c, d, &d->fields[d->nfields - 1]);
      }
    }
    if (!d->base && !decl_field(d, "market"))
      diag_error(c->d, d->span, "scenario '%s' needs 'market = NAME'", d->name);
    for (int k = 0; k < s->nkids; k++) {
      const Node *it = s->kids[k];
      if (it->kind == I_ASSIGN && strchr(it->s, '.'))
        add_override(c, d, &d->ovr, &d->novr, it->s, it->a, it->span);
    }
  }
  int first_stmt = c->p->nstmts;
  for (int i = 0; i < prog->nkids; i++) {
    const Node *s = prog->kids[i];
    int claim = s->kind == S_BLOCK && (s->op == BK_CLAIM || s->op == BK_PLOT);
    if (!is_main || (s->kind != S_REPORT && s->kind != S_SWEEP && s->kind != S_SAMPLE && !claim))
      continue;
    Stmt *st = claim ? block_stmt(c, s) : lower_stmt(c, s);
    if (!st)
      continue;
    GROW(c->p->stmts, c->p->nstmts, c->p->capstmts);
    c->p->stmts[c->p->nstmts++] = st;
  }
  check_result_names(c, first_stmt);
  return c->d->nerrors - before;
}

int compile_file(Compiler *c, const char *path) {
  int before = c->d->nerrors;
  int id = sources_load(c->d->src, path);
  Span none = {-1, 0, 0, 0, 0};
  if (id < 0) {
    diag_error(c->d, none, "cannot read '%s': %s", path, source_error(errno));
    return 1;
  }
  char canon[PATH_MAX];
  if (!realpath(path, canon))
    snprintf(canon, sizeof canon, "%s", path);
  record_input(c, path, &c->d->src->files[id]);
  c->stack[0] = arena_strdup(c->ar, canon);
  c->shown[0] = path;
  c->depth = 1;
  int incomplete;
  Node *prog = edsl_parse(c->ar, c->d, id, &incomplete);
  compile_loaded(c, id, prog, 1);
  c->depth = 0;
  return c->d->nerrors - before;
}

int compile_source(Compiler *c, int file) {
  int before = c->d->nerrors;
  int incomplete;
  Node *prog = edsl_parse(c->ar, c->d, file, &incomplete);
  if (c->d->nerrors == before)
    compile_loaded(c, file, prog, 1);
  return c->d->nerrors - before;
}

int compile_set(Compiler *c, const char *assignment) {
  int before = c->d->nerrors;
  char name[64];
  snprintf(name, sizeof name, "--set");
  const char *eq = strchr(assignment, '=');
  Span none = {-1, 0, 0, 0, 0};
  if (!eq || eq == assignment) {
    diag_error(c->d, none, "--set takes PATH=VALUE, got '%s'", assignment);
    return 1;
  }
  int incomplete;
  /* Parse the value with the statement grammar as "__set__ = VALUE". */
  char vtext[4096];
  snprintf(vtext, sizeof vtext, "__set__ = %s", eq + 1);
  int eid = sources_add(c->d->src, name, vtext, strlen(vtext));
  Node *p2 = edsl_parse(c->ar, c->d, eid, &incomplete);
  if (c->d->nerrors != before)
    return c->d->nerrors - before;
  if (p2->nkids != 1 || p2->kids[0]->kind != S_CONST) {
    diag_error(c->d, none, "--set value is not a single expression: '%s'", eq + 1);
    return 1;
  }
  char *path = arena_strndup(c->ar, assignment, (size_t)(eq - assignment));
  for (char *p = path + strlen(path); p > path && (p[-1] == ' '); p--)
    p[-1] = 0;
  Span sp = {-1, 0, 0, 0, 0};
  Override *o = NULL;
  int n = 0;
  if (!add_override(c, NULL, &o, &n, path, p2->kids[0]->a, sp))
    return c->d->nerrors - before + 1;
  /* A --set override is a global override: record it on a pseudo-scenario stored in the
   * program so eval applies it first. */
  Decl *g = program_find(c->p, "__set__");
  if (!g) {
    g = arena_alloc(c->ar, sizeof *g);
    g->kind = D_SCENARIO;
    g->name = "__set__";
    GROW(c->p->decls, c->p->ndecls, c->p->capdecls);
    c->p->decls[c->p->ndecls++] = g;
  }
  Override *all = arena_alloc(c->ar, (size_t)(g->novr + 1) * sizeof *all);
  if (g->novr)
    memcpy(all, g->ovr, (size_t)g->novr * sizeof *all);
  all[g->novr] = o[0];
  g->ovr = all;
  g->novr++;
  return c->d->nerrors - before;
}
