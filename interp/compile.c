/* AST -> IR, the driver: declarations, imports (with cycle detection), the order of a file's
 * statements, --set. The jobs it calls on: expressions, types and units (lower_expr.c), block
 * fields and their schemas (check_blocks.c), statements (lower_stmt.c). Field expressions are
 * lowered lazily so that fields may refer to each other in any order; a field that depends on
 * itself is an error naming the cycle. */
#include "checker.h"
#include "plot_spec.h"

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

Compiler *compiler_new(Arena *ar, Diag *diag, Program *prog) {
  Compiler *c = arena_alloc(ar, sizeof *c);
  c->ar = ar;
  c->d = diag;
  c->p = prog;
  return c;
}

void compiler_rebind(Compiler *c, Diag *diag, Program *prog) {
  c->d = diag;
  c->p = prog;
}

void compiler_free(Compiler *c) {
  if (c) {
    free(c->shadow);
    free(c->shadow_where);
    free(c->shadow_used);
    c->shadow = NULL;
    c->shadow_where = NULL;
    c->shadow_used = NULL;
    c->nshadow = c->capshadow = 0;
    free(c->done);
    c->done = NULL;
    c->ndone = c->capdone = 0;
  }
}

static int compile_loaded(Compiler *c, int file, const Node *prog, int is_main);
static int set_global(Compiler *c, const char *path, const Node *value, Span sp);

/* The set of files compiled already: hashed, so that many imports stay linear. */
static size_t path_hash(const char *p) {
  size_t h = 1469598103934665603u; /* FNV-1a */
  for (; *p; p++)
    h = (h ^ (unsigned char)*p) * 1099511628211u;
  return h;
}

static int done_has(const Compiler *c, const char *canon) {
  if (!c->capdone)
    return 0;
  size_t mask = (size_t)c->capdone - 1;
  for (size_t i = path_hash(canon) & mask; c->done[i]; i = (i + 1) & mask)
    if (strcmp(c->done[i], canon) == 0)
      return 1;
  return 0;
}

static void done_add(Compiler *c, char *canon) {
  if (2 * (c->ndone + 1) > c->capdone) {
    int cap = c->capdone ? 2 * c->capdone : 16;
    char **t = calloc((size_t)cap, sizeof *t);
    if (!t) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
    for (int i = 0; i < c->capdone; i++)
      if (c->done[i]) {
        size_t j = path_hash(c->done[i]) & (size_t)(cap - 1);
        while (t[j])
          j = (j + 1) & (size_t)(cap - 1);
        t[j] = c->done[i];
      }
    free(c->done);
    c->done = t;
    c->capdone = cap;
  }
  size_t mask = (size_t)c->capdone - 1, i = path_hash(canon) & mask;
  while (c->done[i])
    i = (i + 1) & mask;
  c->done[i] = canon;
  c->ndone++;
}

static void compile_import(Compiler *c, const Node *s) {
  char cand[PATH_MAX * 2], canon[PATH_MAX];
  char *found = NULL;
  if (resolve_input(c, s->s, ".edsl", s->span, "import", "import", cand, sizeof cand, canon))
    return;
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
  if (done_has(c, canon))
    return; /* imported already: imports are idempotent */
  if (c->depth >= MAX_IMPORT_DEPTH) {
    diag_error(c->d, s->span, "imports nest deeper than %d files", MAX_IMPORT_DEPTH);
    return;
  }
  int id = sources_load(c->d->src, cand);
  if (id < 0) {
    diag_error(c->d, s->span, "cannot read \"%s\": %s", s->s, sources_strerror(errno));
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
  done_add(c, found);
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
  add_field(c, d, "observed", item);
}

/* A claim in the main file is checked where it stands, as a statement; a plot is drawn there
 * (so it may read the samples before it). */
static Stmt *block_stmt(Compiler *c, const Node *s) {
  Decl *d = program_find(c->p, s->s);
  if (!d || (d->kind != D_CLAIM && d->kind != D_PLOT && d->kind != D_LATEX))
    return NULL;
  Stmt *st = arena_alloc(c->ar, sizeof *st);
  st->kind = d->kind == D_CLAIM ? ST_CLAIM : d->kind == D_PLOT ? ST_PLOT : ST_LATEX;
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

/* Two statements never write one file under --out: a sweep's or a sample's `to` file, and a
 * plot's NAME.svg, NAME.png, NAME.pdf or NAME.eps. */
static void check_output_files(Compiler *c, int first) {
  NamedResult *r = malloc((size_t)(PLOT_NFORMATS * (c->p->nstmts - first) + 1) * sizeof *r);
  int n = 0;
  for (int i = first; i < c->p->nstmts; i++) {
    const Stmt *st = c->p->stmts[i];
    if (st->to_file) {
      r[n] = (NamedResult){st->to_file, st->span, n};
      n++;
    } else if (st->kind == ST_PLOT && st->self) {
      Field *f = decl_field_id(st->self, F_PLOT_file);
      const char *base = f && f->ir && f->ir->op == IR_STR ? f->ir->str : st->self->name;
      Field *ff = decl_field_id(st->self, F_PLOT_formats);
      unsigned formats = ff && ff->ir && ff->ir->op == IR_STR ? plot_formats(ff->ir->str, NULL, 0)
                                                              : PLOT_SVG | PLOT_PNG;
      for (int k = 0; k < PLOT_NFORMATS; k++) {
        if (!(formats & (1u << k)))
          continue;
        size_t len = strlen(base) + 5;
        char *name = arena_alloc(c->ar, len);
        snprintf(name, len, "%s.%s", base, plot_format_ext(k));
        r[n] = (NamedResult){name, st->span, n};
        n++;
      }
    }
  }
  qsort(r, (size_t)n, sizeof *r, cmp_named);
  for (int i = 1; i < n; i++)
    if (!strcmp(r[i].name, r[i - 1].name)) {
      diag_error(c->d, r[i].span, "this statement writes '%s', which another one writes too",
                 r[i].name);
      diag_note(c->d, r[i - 1].span, "'%s' is written here", r[i].name);
    }
  free(r);
}

/* An imported file contributes declarations; its report and sweep statements run only
 * when it is the main file. */
/* The declaration a block keyword makes (D_CONST: a keyword this version does not evaluate). */
static DeclKind block_decl_kind(int bk) {
  static const struct {
    int bk;
    DeclKind dk;
  } map[] = {{BK_MARKET, D_MARKET},     {BK_LEARNING_CURVE, D_CURVE},
             {BK_ADOPTION, D_ADOPTION}, {BK_WORKLOAD, D_WORKLOAD},
             {BK_PROGRESS, D_PROGRESS}, {BK_UNCERTAIN, D_UNCERTAIN},
             {BK_MESH, D_MESH},         {BK_GROWTH, D_GROWTH},
             {BK_CYCLE, D_CYCLE},       {BK_PREDICTION, D_PREDICTION},
             {BK_CLAIM, D_CLAIM},       {BK_PLOT, D_PLOT},
             {BK_DYNAMICS, D_DYNAMICS}, {BK_CALIBRATE, D_CALIBRATE},
             {BK_LATEX, D_LATEX}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (map[i].bk == bk)
      return map[i].dk;
  return D_CONST;
}

void compile_shadow(Compiler *c, const Node *decl) {
  if (c->nshadow == c->capshadow) {
    c->capshadow = c->capshadow ? 2 * c->capshadow : 8;
    c->shadow = realloc(c->shadow, (size_t)c->capshadow * sizeof *c->shadow);
    c->shadow_where = realloc(c->shadow_where, (size_t)c->capshadow * sizeof *c->shadow_where);
    c->shadow_used = realloc(c->shadow_used, (size_t)c->capshadow);
    if (!c->shadow || !c->shadow_where || !c->shadow_used) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
  }
  c->shadow[c->nshadow] = decl;
  c->shadow_where[c->nshadow] = (Span){-1, 0, 0, 0, 0};
  c->shadow_used[c->nshadow++] = 0;
}

int compile_shadowed(const Compiler *c, int i, Span *where) {
  if (i < 0 || i >= c->nshadow || c->shadow_where[i].file < 0)
    return 0;
  *where = c->shadow_where[i];
  return 1;
}

/* The statement a declaration stands for: the REPL's replacement of its name when there is
 * one (linear in the replacements: a handful typed at a prompt), NULL when it is declared
 * already. */
static const Node *shadowed(Compiler *c, const Node *s) {
  int named = s->kind == S_BLOCK || s->kind == S_TABLE || s->kind == S_FUNC ||
              s->kind == S_SCENARIO || (s->kind == S_CONST && !strchr(s->s, '.'));
  if (!c->nshadow || !named)
    return s;
  for (int k = 0; k < c->nshadow; k++) {
    if (strcmp(c->shadow[k]->s, s->s))
      continue;
    if (c->shadow_used[k])
      return c->shadow[k] == s ? NULL : s; /* a second file's is an error of its own */
    c->shadow_used[k] = 1;
    if (c->shadow[k] != s)
      c->shadow_where[k] = s->span;
    return c->shadow[k];
  }
  return s;
}

static void declare_one(Compiler *c, const Node *s);

/* Pass 1: imports and declarations, so that later passes may name any of them. */
static void declare(Compiler *c, const Node *s) {
  s = shadowed(c, s);
  if (!s)
    return;
  int n0 = c->p->ndecls;
  declare_one(c, s);
  if (s->kind != S_IMPORT && c->p->ndecls > n0)
    c->p->decls[n0]->extent = s->extent;
}

static void declare_one(Compiler *c, const Node *s) {
  switch (s->kind) {
  case S_IMPORT:
    compile_import(c, s);
    break;
  case S_CONST: {
    if (strchr(s->s, '.'))
      break; /* an override: applied once every declaration is checked */
    Decl *d = add_decl(c, D_CONST, s->s, s->span);
    if (d)
      d->ast = s->a;
    break;
  }
  case S_BLOCK: {
    DeclKind dk = block_decl_kind(s->op);
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
  case S_FUNC: {
    if (builtin_lookup(s->s)) {
      diag_error(c->d, s->span, "'%s' is a built-in function; give yours another name", s->s);
      break;
    }
    if (s->nkids > MAX_FN_PARAMS) {
      diag_error(c->d, s->span, "function '%s' has %d parameters; at most %d", s->s, s->nkids,
                 MAX_FN_PARAMS);
      break;
    }
    for (int i = 0; i < s->nkids; i++) {
      const char *p = s->kids[i]->s;
      /* a parameter would hide the unit or the regime inside the body: 2 year would read it */
      if (unit_lookup(p) || symbol_lookup(p) >= 0)
        diag_error(c->d, s->kids[i]->span, "parameter '%s' of '%s' is a %s name; choose another", p,
                   s->s, unit_lookup(p) ? "unit" : "symbol");
      for (int j = 0; j < i; j++)
        if (!strcmp(p, s->kids[j]->s))
          diag_error(c->d, s->kids[i]->span, "parameter '%s' of '%s' is named twice", p, s->s);
    }
    Decl *d = add_decl(c, D_FUNC, s->s, s->span);
    if (d)
      d->ast = s;
    break;
  }
  case S_SCENARIO: {
    Decl *d = add_decl(c, D_SCENARIO, s->s, s->span);
    if (d)
      d->ast = s;
    break;
  }
  default:
    break;
  }
}

/* The constant `seed`: the run's seed unless --seed gives one. */
static void check_seed(Compiler *c, Decl *d) {
  if (strcmp(d->name, "seed") || d->value->type == T_ERROR)
    return;
  int ok = 1;
  double v = ir_const_eval(d->value, &ok);
  if (!ok || v < 0 || v != floor(v) || v > 4294967295.0)
    diag_error(c->d, d->span, "seed must be a whole number from 0 to 4294967295");
  else if (!c->p->has_seed) {
    c->p->seed = v;
    c->p->has_seed = 1;
  }
}

/* A name a scenario item sets that is a top-level parameter, not a scenario field. */
static int is_param(Compiler *c, const char *name) {
  Decl *p = field_spec(D_SCENARIO, name) ? NULL : program_find(c->p, name);
  return p && p->kind == D_CONST;
}

/* The scenario a scenario's `with` names, lowered or not (NULL when none or not a scenario). */
static Decl *named_base(Compiler *c, Decl *s) {
  if (s->state == 2)
    return s->base;
  if (!s->ast || !s->ast->b)
    return NULL;
  Decl *b = program_find(c->p, s->ast->b->s);
  return b && b->kind == D_SCENARIO ? b : NULL;
}

/* Whether `scenario d = base with` closes a cycle of `with`s (a = b, b = a): a walk up the
 * chain from base, each scenario on it marked once it is known to end at a scenario without a
 * base, so that every walk stops at the first marked one and the whole check is linear. A
 * cycle that does not pass through d is left to its own scenarios. */
static int stamp_counter;

static int with_cycle(Compiler *c, Decl *d, Decl *base) {
  int me = ++stamp_counter;
  d->chain_stamp = me;
  Decl *s = base;
  while (s && !s->chain_ok) {
    if (s == d)
      return 1;
    if (s->chain_stamp == me)
      return 0; /* a cycle elsewhere */
    s->chain_stamp = me;
    s = named_base(c, s);
  }
  /* it ends: everything walked leads there */
  for (s = base; s && !s->chain_ok; s = named_base(c, s))
    s->chain_ok = 1;
  d->chain_ok = 1;
  return 0;
}

/* A scenario: its base, its fields (market, adoption, progress) and its overrides; its base
 * lowered before it. */
static void lower_one_scenario(Compiler *c, Decl *d) {
  if (d->state == 2) /* an import's, lowered when its file was */
    return;
  d->state = 2;
  const Node *s = d->ast;
  if (s->b) {
    Decl *base = program_find(c->p, s->b->s);
    if (!base)
      diag_error(c->d, s->b->span, "unknown scenario '%s'", s->b->s);
    else if (base->kind != D_SCENARIO)
      diag_error(c->d, s->b->span, "'%s' is a %s, not a scenario", s->b->s,
                 decl_kind_name(base->kind));
    else if (base == d)
      diag_error(c->d, s->b->span, "scenario '%s' cannot extend itself", d->name);
    else if (with_cycle(c, d, base))
      diag_error(c->d, s->b->span,
                 "scenario '%s' extends '%s', whose chain of 'with' comes back to '%s': a "
                 "cycle",
                 d->name, base->name, d->name),
          d->chain_ok = -1;
    else
      d->base = base;
    if (!d->base || base->chain_ok < 0) { /* a base in a cycle: its error says why */
      if (d->base)
        d->chain_ok = -1;
      d->base = NULL;
      return; /* its overrides cannot be resolved without the base */
    }
  }
  for (int k = 0; k < s->nkids; k++) {
    const Node *it = s->kids[k];
    if (it->kind == I_BLOCK) {
      diag_error(c->d, it->span, "scenario items are 'market = NAME' or overrides PATH = value");
      continue;
    }
    if (strchr(it->s, '.') || is_param(c, it->s))
      continue;
    if (!field_spec(D_SCENARIO, it->s)) {
      diag_error(c->d, it->span,
                 "scenario has no field '%s'; expected 'market', a top-level parameter or an "
                 "override such as market.firms = 10",
                 it->s);
      continue;
    }
    Field *f = add_field(c, d, it->s, it);
    if (f)
      ensure_field(c, d, f);
  }
  if (!d->base && !decl_field_id(d, F_SCENARIO_market))
    diag_error(c->d, d->span, "scenario '%s' needs 'market = NAME'", d->name);
  for (int k = 0; k < s->nkids; k++) {
    const Node *it = s->kids[k];
    if (it->kind == I_ASSIGN && (strchr(it->s, '.') || is_param(c, it->s)))
      add_override(c, d, &d->ovr, &d->novr, it->s, it->a, it->span);
  }
  d->with_depth = d->base ? d->base->with_depth + 1 : 0;
  d->with_overrides = d->novr + (d->base ? d->base->with_overrides : 0);
  if (d->with_depth > MAX_SCENARIO_OVERRIDES || d->with_overrides > MAX_SCENARIO_OVERRIDES) {
    diag_error(c->d, d->span,
               "scenario '%s': its chain of 'with' is %d scenarios deep with %d overrides; at "
               "most %d of each",
               d->name, d->with_depth, d->with_overrides, MAX_SCENARIO_OVERRIDES);
    d->base = NULL;
    d->novr = 0;
  }
}

void lower_scenario(Compiler *c, Decl *d) {
  if (d->state == 2)
    return;
  /* the scenarios its `with` names and that are not lowered yet, nearest first, lowered from
   * the farthest (without recursion: a chain may be 10^5 long) */
  int me = ++stamp_counter, n = 0, cap = 0;
  Decl **chain = NULL;
  d->chain_stamp = me;
  for (Decl *s = named_base(c, d); s && s->state != 2 && s->chain_stamp != me;
       s = named_base(c, s)) {
    s->chain_stamp = me;
    GROW(chain, n, cap);
    chain[n++] = s;
  }
  for (int i = n - 1; i >= 0; i--)
    lower_one_scenario(c, chain[i]);
  free(chain);
  lower_one_scenario(c, d);
}

/* A block's fields by schema id, now that all are known (lookups at evaluation are O(1)). */
static void index_fields(Compiler *c, Decl *d) {
  if (!d->nfields)
    return;
  int n;
  const FieldSpec *s = field_specs_of(d->kind, &n);
  if (!n)
    return;
  Field **by = arena_alloc(c->ar, (size_t)n * sizeof *by);
  for (int i = 0; i < d->nfields; i++) {
    int k = (int)d->fields[i].id - (int)s[0].id;
    if (d->fields[i].id == F_NONE || k < 0 || k >= n)
      return; /* a field the schema lacks (an error already): keep the linear lookup */
    by[k] = &d->fields[i];
  }
  d->by_id_first = (int)s[0].id;
  d->by_id_n = n;
  d->by_id = by;
}

static int compile_loaded(Compiler *c, int file, const Node *prog, int is_main) {
  (void)file;
  int before = c->d->nerrors;
  int first = c->p->ndecls;
  if (is_main)
    c->program = prog;
  for (int i = 0; i < prog->nkids; i++)
    declare(c, prog->kids[i]);
  /* Pass 2: block fields, constants, scenarios, then the main file's statements in order. */
  for (int i = first; i < c->p->ndecls; i++) {
    Decl *d = c->p->decls[i];
    if ((d->kind == D_PLOT && is_main) || d->kind == D_LATEX)
      continue; /* checked where it stands, after the sweeps and samples it may read (a latex
                 * block of an import sets nothing: its sweeps do not run) */
    if (decl_is_block(d->kind))
      check_block(c, d);
    else if (d->kind == D_UNCERTAIN)
      check_uncertain(c, d);
    else if (d->kind == D_CONST) {
      ensure_const(c, d);
      check_seed(c, d);
    }
  }
  for (int i = first; i < c->p->ndecls; i++)
    if (c->p->decls[i]->kind == D_SCENARIO)
      lower_scenario(c, c->p->decls[i]);
  for (int i = 0; i < prog->nkids; i++)
    if (prog->kids[i]->kind == S_CONST && strchr(prog->kids[i]->s, '.'))
      set_global(c, prog->kids[i]->s, prog->kids[i]->a, prog->kids[i]->span);
  int first_stmt = c->p->nstmts;
  for (int i = 0; i < prog->nkids; i++) {
    const Node *s = prog->kids[i];
    int claim = s->kind == S_BLOCK && (s->op == BK_CLAIM || s->op == BK_PLOT || s->op == BK_LATEX);
    if (!is_main || (s->kind != S_REPORT && s->kind != S_SWEEP && s->kind != S_SAMPLE && !claim))
      continue;
    if (s->kind == S_BLOCK && (s->op == BK_PLOT || s->op == BK_LATEX)) {
      Decl *d = program_find(c->p, s->s);
      if (d && (d->kind == D_PLOT || d->kind == D_LATEX) && d->state != 2) {
        d->state = 2;
        check_block(c, d);
      }
    }
    Stmt *st = claim ? block_stmt(c, s) : lower_stmt(c, s);
    if (!st)
      continue;
    GROW(c->p->stmts, c->p->nstmts, c->p->capstmts);
    c->p->stmts[c->p->nstmts++] = st;
  }
  check_result_names(c, first_stmt);
  check_output_files(c, first_stmt);
  for (int i = first; i < c->p->ndecls; i++)
    index_fields(c, c->p->decls[i]);
  return c->d->nerrors - before;
}

/* A main file registered as source id under path: its input recorded, then compiled. */
static int compile_main(Compiler *c, int id, const char *path, int before) {
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
  done_add(c, c->stack[0]); /* an import of it later is harmless, as a second import is */
  return c->d->nerrors - before;
}

int compile_file(Compiler *c, const char *path) {
  int before = c->d->nerrors;
  int id = sources_load(c->d->src, path);
  Span none = {-1, 0, 0, 0, 0};
  if (id < 0) {
    diag_error(c->d, none, "cannot read '%s': %s", path, sources_strerror(errno));
    return 1;
  }
  return compile_main(c, id, path, before);
}

int compile_text(Compiler *c, const char *name, const char *text, size_t len) {
  int before = c->d->nerrors;
  return compile_main(c, sources_add(c->d->src, name, text, len), name, before);
}

int compile_has_file(const Compiler *c, const char *path) {
  char canon[PATH_MAX];
  return realpath(path, canon) && done_has(c, canon);
}

int compile_program(Compiler *c, const Node *prog) {
  return compile_loaded(c, -1, prog, 1);
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
  size_t vlen = strlen(eq + 1) + sizeof "__set__ = ";
  char *vtext = arena_alloc(c->ar, vlen); /* the whole value, however long */
  snprintf(vtext, vlen, "__set__ = %s", eq + 1);
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
  if (!set_global(c, path, p2->kids[0]->a, none))
    return c->d->nerrors - before + 1;
  return c->d->nerrors - before;
}

/* A global override (--set, or PATH = value at the top of a file): recorded on a
 * pseudo-scenario of the program that eval applies under every scenario's own; a later one
 * of the same field wins. */
static int set_global(Compiler *c, const char *path, const Node *value, Span sp) {
  Override *o = NULL;
  int n = 0;
  if (!add_override(c, NULL, &o, &n, path, value, sp))
    return 0;
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
  return 1;
}
