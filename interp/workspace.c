/* The REPL's session: its definitions as text, compiled afresh on every change (workspace.h).
 * Compiling the whole list costs a parse of the loaded files per input, milliseconds for the
 * papers' scenarios, and keeps memory flat however many lines are evaluated. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "claims.h"
#include "workspace.h"

static char *dup_or_die(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) {
    fputs("edsl: out of memory\n", stderr);
    exit(3);
  }
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

static char *dup0(const char *s) {
  return s ? dup_or_die(s, strlen(s)) : NULL;
}

static void entry_free(WsEntry *e) {
  free(e->key);
  free(e->text);
  free(e->label);
}

/* The reports' names, hashed to their entries: whether a report names an earlier one must not
 * cost a pass over the session per line typed. */
static size_t key_hash(const char *k) {
  size_t h = 1469598103934665603u; /* FNV-1a */
  for (; *k; k++)
    h = (h ^ (unsigned char)*k) * 1099511628211u;
  return h;
}

static void rkeys_insert(Workspace *ws, int entry) {
  if (2 * (ws->nrkeys + 1) > ws->caprkeys) {
    int cap = ws->caprkeys ? 2 * ws->caprkeys : 64;
    free(ws->rkeys);
    ws->rkeys = malloc((size_t)cap * sizeof *ws->rkeys);
    if (!ws->rkeys) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
    ws->caprkeys = cap;
    ws->nrkeys = 0;
    for (int i = 0; i < cap; i++)
      ws->rkeys[i] = -1;
    for (int i = 0; i < ws->n; i++)
      if (i != entry && ws->e[i].kind == WE_REPORT)
        rkeys_insert(ws, i);
  }
  size_t m = (size_t)ws->caprkeys - 1, i = key_hash(ws->e[entry].key) & m;
  while (ws->rkeys[i] >= 0)
    i = (i + 1) & m;
  ws->rkeys[i] = entry;
  ws->nrkeys++;
}

/* Indexes every report entry again (after entries moved). */
static void rkeys_reindex(Workspace *ws) {
  ws->nrkeys = 0;
  for (int i = 0; i < ws->caprkeys; i++)
    ws->rkeys[i] = -1;
  for (int i = 0; i < ws->n; i++)
    if (ws->e[i].kind == WE_REPORT)
      rkeys_insert(ws, i);
}

static int rkeys_has(const Workspace *ws, const char *key) {
  if (!ws->caprkeys)
    return 0;
  size_t m = (size_t)ws->caprkeys - 1;
  for (size_t i = key_hash(key) & m; ws->rkeys[i] >= 0; i = (i + 1) & m)
    if (!strcmp(ws->e[ws->rkeys[i]].key, key))
      return 1;
  return 0;
}

static WsEntry *entry_add(Workspace *ws, WsKind kind, const char *key, char *text,
                          const char *label, int line, int col) {
  if (ws->n == ws->cap) {
    ws->cap = ws->cap ? 2 * ws->cap : 16;
    ws->e = realloc(ws->e, (size_t)ws->cap * sizeof *ws->e);
    if (!ws->e) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
  }
  WsEntry *e = &ws->e[ws->n++];
  *e = (WsEntry){kind, dup0(key), text, dup0(label), line, col, 0, 0, 0};
  if (kind == WE_REPORT)
    rkeys_insert(ws, ws->n - 1);
  return e;
}

/* Removes the entries a change replaced. */
static void entries_compact(Workspace *ws) {
  int j = 0;
  for (int i = 0; i < ws->n; i++)
    if (ws->e[i].dropped || (ws->e[i].kind == WE_REPORT && !ws->e[i].bound && !ws->e[i].reported))
      entry_free(&ws->e[i]);
    else
      ws->e[j++] = ws->e[i];
  ws->n = j;
  rkeys_reindex(ws);
}

void ws_init(Workspace *ws, FILE *out, volatile sig_atomic_t *interrupt, int threads) {
  memset(ws, 0, sizeof *ws);
  ws->out = out;
  ws->interrupt = interrupt;
  ws->threads = threads;
  session_init(&ws->s);
  ws->s.diag.out = out;
}

void ws_free(Workspace *ws) {
  for (int i = 0; i < ws->n; i++)
    entry_free(&ws->e[i]);
  free(ws->e);
  free(ws->rkeys);
  free(ws->shadow_node);
  session_free(&ws->s);
}

/* ---- compiling the entries ------------------------------------------------------------- */

typedef struct {
  const char *label, *text; /* an input to compile after the entries (NULL: none) */
  int load;                 /* the entry whose statements will run (a first :load), or -1 */
  /* out: the statements to run */
  int load_from, load_to, pend_from;
  const Node **shadow_node; /* each compile_shadow's declaration, in order */
  int nshadow;
} Build;

/* The text of an entry as its own source, placed where it stood in its input so that
 * diagnostics name the line and column the user typed. */
static char *entry_source(const WsEntry *e, size_t *len) {
  if (e->kind == WE_REPORT) { /* its binding: KEY = expression */
    size_t n = strlen(e->key) + strlen(e->text) + 4;
    char *t = malloc(n);
    snprintf(t, n, "%s = %s", e->key, e->text);
    *len = strlen(t);
    return t;
  }
  size_t pad = (size_t)(e->line - 1) + (size_t)(e->col - 1), n = strlen(e->text);
  char *t = malloc(pad + n + 2);
  memset(t, '\n', (size_t)(e->line - 1));
  memset(t + e->line - 1, ' ', (size_t)(e->col - 1));
  memcpy(t + pad, e->text, n);
  t[pad + n] = '\n';
  t[pad + n + 1] = 0;
  *len = pad + n + 1;
  return t;
}

static int declares_name(const Node *k) {
  return k->kind == S_BLOCK || k->kind == S_TABLE || k->kind == S_FUNC || k->kind == S_SCENARIO ||
         (k->kind == S_CONST && !strchr(k->s, '.'));
}

static void push_kids(Session *s, Build *b, Node *merged, const Node *prog) {
  for (int k = 0; k < prog->nkids; k++) {
    Node *kid = prog->kids[k];
    node_push(s->ar, merged, kid);
    if (!declares_name(kid))
      continue;
    compile_shadow(s->comp, kid);
    b->shadow_node = realloc(b->shadow_node, (size_t)(b->nshadow + 1) * sizeof *b->shadow_node);
    b->shadow_node[b->nshadow++] = kid;
  }
}

/* Compiles the live entries, then b's input, into a fresh session; returns the errors. */
static int build(Workspace *ws, Session *s, Build *b, FILE *diag_out) {
  session_init(s);
  s->diag.out = diag_out;
  b->load_from = b->load_to = b->pend_from = 0;
  Span none = {-1, 0, 0, 0, 0};
  Node *merged = node_new(s->ar, S_PROGRAM, none);
  for (int i = 0; i < ws->n; i++) {
    const WsEntry *e = &ws->e[i];
    if (e->dropped || e->kind == WE_LOAD || (e->kind == WE_REPORT && !e->bound))
      continue;
    size_t len;
    char *text = entry_source(e, &len);
    int id = sources_add(&s->src, e->label, text, len);
    free(text);
    push_kids(s, b, merged, edsl_parse(s->ar, &s->diag, id, NULL));
  }
  int pend = -1;
  if (b->text) {
    pend = sources_add(&s->src, b->label, b->text, strlen(b->text));
    push_kids(s, b, merged, edsl_parse(s->ar, &s->diag, pend, NULL));
  }
  if (s->diag.nerrors)
    return s->diag.nerrors;
  for (int i = 0; i < ws->n; i++)
    if (ws->e[i].kind == WE_LOAD && !ws->e[i].dropped) {
      int from = s->prog.nstmts;
      compile_file(s->comp, ws->e[i].key);
      if (i == b->load)
        b->load_from = from, b->load_to = s->prog.nstmts;
    }
  compile_program(s->comp, merged);
  b->pend_from = s->prog.nstmts;
  for (int i = 0; pend >= 0 && i < s->prog.nstmts; i++)
    if (s->prog.stmts[i]->span.file == pend) {
      b->pend_from = i;
      break;
    }
  return s->diag.nerrors;
}

/* Makes s the session (its shadow map b's). */
static void adopt(Workspace *ws, Session *s, Build *b) {
  session_free(&ws->s);
  ws->s = *s;
  /* the compiler and diagnostics point into the session: to its new home */
  ws->s.diag.src = &ws->s.src;
  ws->s.diag.out = ws->out;
  compiler_rebind(ws->s.comp, &ws->s.diag, &ws->s.prog);
  free(ws->shadow_node);
  ws->shadow_node = b->shadow_node;
  ws->nshadow = b->nshadow;
  b->shadow_node = NULL;
  b->nshadow = 0;
}

static FILE *null_out(void) {
  static FILE *f;
  if (!f)
    f = fopen("/dev/null", "w");
  return f;
}

/* Builds the live entries quietly and adopts the result; returns the errors. */
static int rebuild(Workspace *ws) {
  Session s;
  Build b = {.load = -1};
  int err = build(ws, &s, &b, null_out());
  if (!err)
    adopt(ws, &s, &b);
  else {
    session_free(&s);
    free(b.shadow_node);
  }
  return err;
}

/* ---- running ---------------------------------------------------------------------------- */

static EvalStatus run_range(Workspace *ws, Session *s, int from, int to, Results *res) {
  Program *p = &s->prog;
  int n = p->nstmts;
  p->nstmts = to;
  Eval *ev = eval_new(p, s->ar, p->has_seed ? (unsigned long)p->seed : 1);
  EvalOptions eo = eval_default_options();
  eo.threads = ws->threads;
  eo.interrupt = ws->interrupt;
  eval_set_options(ev, &eo);
  EvalStatus st = eval_program(ev, from, res, &s->diag);
  p->nstmts = n;
  s->diag.nerrors = 0;
  return st;
}

/* as: the name a bare expression's value is shown under (NULL: the value alone) */
static void print_results(Workspace *ws, const Results *res, const char *as) {
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (r->latex_only) /* a comparison set for LaTeX: its values are results of their own */
      continue;
    if (!strcmp(r->name, "_") && (!r->is_table || (r->ncols == 1 && r->cells))) {
      if (as)
        fprintf(ws->out, "%s = ", as);
      Value v = r->v;
      if (r->is_table) /* a list */
        v = (Value){.type = T_VEC, .dim = r->dims[0], .vec = r->cells, .n = r->nrows};
      repl_print_value(ws->out, &v);
    } else
      repl_print_result(ws->out, r);
  }
  for (int i = 0; i < res->nclaims; i++) {
    const ClaimResult *c = &res->claims[i];
    ClaimText t;
    claim_text(c, &t);
    fprintf(ws->out, "claim %s: %s (paper %s, edsl %s, tolerance %s)\n", c->name,
            claim_verdict_name(c->verdict), t.paper, t.value, t.tolerance);
  }
}

/* ---- inputs ----------------------------------------------------------------------------- */

/* The byte offset of a 1-based line and column in text. */
static size_t offset_of(const char *text, int line, int col) {
  const char *p = text;
  for (int l = 1; l < line && *p; p++)
    if (*p == '\n')
      l++;
  size_t o = (size_t)(p - text) + (size_t)(col - 1), n = strlen(text);
  return o > n ? n : o;
}

/* text[a, b) without trailing blanks, a trailing comment and a trailing comma (one report
 * item out of a list). */
static char *item_text(const char *text, size_t a, size_t b) {
  char *t = dup_or_die(text + a, b - a);
  for (;;) {
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\n' || t[n - 1] == '\r'))
      t[--n] = 0;
    char *line = strrchr(t, '\n');
    line = line ? line + 1 : t;
    int in_str = 0;
    char *hash = NULL;
    for (char *c = line; *c && !hash; c++)
      if (in_str && *c == '\\' && c[1])
        c++;
      else if (*c == '"')
        in_str = !in_str;
      else if (!in_str && *c == '#')
        hash = c;
    if (hash) {
      *hash = 0;
      continue;
    }
    if (n && t[n - 1] == ',') {
      t[n - 1] = 0;
      continue;
    }
    return t;
  }
}

static int is_stmt_block(const Node *k) {
  return k->kind == S_BLOCK && (k->op == BK_CLAIM || k->op == BK_PLOT || k->op == BK_LATEX);
}

static WsKind kind_of(const Node *k) {
  if (k->kind == S_IMPORT)
    return WE_IMPORT;
  if (k->kind == S_CONST)
    return strchr(k->s, '.') ? WE_SET : WE_DECL;
  if (k->kind == S_REPORT)
    return WE_REPORT;
  if (k->kind == S_SWEEP || k->kind == S_SAMPLE || is_stmt_block(k))
    return WE_STMT;
  return WE_DECL;
}

static const char *key_of(const Node *k) {
  return k->kind == S_SWEEP || k->kind == S_SAMPLE || k->kind == S_IMPORT || k->kind == S_CONST ||
                 declares_name(k)
             ? k->s
             : NULL;
}

/* Marks what the input's definitions replace; returns how many it replaces. */
static int mark_replaced(Workspace *ws, const Node *prog, int *noted, int with_statements) {
  int n = 0;
  for (int k = 0; k < prog->nkids; k++) {
    const Node *kid = prog->kids[k];
    WsKind kind = kind_of(kid);
    const char *key = key_of(kid);
    if ((kind == WE_STMT || kind == WE_REPORT) && !with_statements)
      continue;
    for (int i = 0; i < ws->n; i++) {
      WsEntry *e = &ws->e[i];
      if (e->dropped || !e->key)
        continue;
      if (kind == WE_REPORT) {
        for (int j = 0; j < kid->nkids; j++)
          if (e->kind == WE_REPORT && !strcmp(e->key, kid->kids[j]->s))
            e->reported = 0; /* the latest report of a name is the one :save writes */
        continue;
      }
      int same = key && !strcmp(e->key, key) &&
                 (kind == WE_SET      ? e->kind == WE_SET
                  : kind == WE_IMPORT ? 0
                                      : e->kind == WE_DECL || e->kind == WE_STMT ||
                                            (e->kind == WE_REPORT && e->bound));
      if (!same)
        continue;
      if (e->kind == WE_REPORT)
        e->bound = 0;
      else
        e->dropped = 1;
      noted[k] = 1;
      n++;
    }
  }
  return n;
}

typedef struct {
  int n;
  unsigned char *flags; /* per entry: bound | reported << 1 | dropped << 2 */
} Snapshot;

static Snapshot snapshot(const Workspace *ws) {
  Snapshot s = {ws->n, malloc((size_t)ws->n + 1)};
  for (int i = 0; i < ws->n; i++)
    s.flags[i] = (unsigned char)(ws->e[i].bound | ws->e[i].reported << 1 | ws->e[i].dropped << 2);
  return s;
}

static void restore(Workspace *ws, Snapshot *s) {
  for (int i = s->n; i < ws->n; i++)
    entry_free(&ws->e[i]);
  ws->n = s->n;
  for (int i = 0; i < ws->n; i++) {
    ws->e[i].bound = s->flags[i] & 1;
    ws->e[i].reported = s->flags[i] >> 1 & 1;
    ws->e[i].dropped = s->flags[i] >> 2 & 1;
  }
  free(s->flags);
  s->flags = NULL;
  rkeys_reindex(ws);
}

/* Parses text quietly: the program, or NULL with its errors in *msg (malloc'd). */
static Node *quiet_parse(Session *tmp, const char *label, const char *text, int expr, char **msg) {
  size_t len = 0;
  FILE *m = open_memstream(msg, &len);
  tmp->diag.out = m;
  tmp->diag.nerrors = 0;
  int id = sources_add(&tmp->src, label, text, strlen(text));
  Node *p = expr ? edsl_parse_expr(tmp->ar, &tmp->diag, id, NULL)
                 : edsl_parse(tmp->ar, &tmp->diag, id, NULL);
  fclose(m);
  return tmp->diag.nerrors ? NULL : p;
}

/* Whether a text that parses neither way was meant as statements: it starts with a keyword
 * or NAME =, so the statement grammar's errors are the ones to show. */
static int meant_as_statements(const char *t) {
  while (*t == ' ' || *t == '\t' || *t == '\n')
    t++;
  static const char *const kw[] = {
      "import",    "table",    "scenario",       "report",   "sweep",      "sample",
      "fn",        "market",   "learning_curve", "adoption", "workload",   "progress",
      "uncertain", "mesh",     "growth",         "cycle",    "prediction", "claim",
      "plot",      "dynamics", "calibrate",      "latex"};
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
    size_t n = strlen(kw[i]);
    if (!strncmp(t, kw[i], n) && (t[n] == ' ' || t[n] == '\t' || t[n] == '\n'))
      return 1;
  }
  const char *p = t;
  while (*p == '_' || *p == '.' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
         (p > t && *p >= '0' && *p <= '9'))
    p++;
  while (*p == ' ' || *p == '\t')
    p++;
  return p > t && p[0] == '=' && p[1] != '=';
}

/* Notes the files' declarations that the definitions of input label replace. */
static void note_shadows(Workspace *ws, const char *label) {
  for (int k = 0; k < ws->nshadow; k++) {
    Span where;
    const Node *n = ws->shadow_node[k];
    if ((!label || !strcmp(ws->s.src.files[n->span.file].path, label)) &&
        compile_shadowed(ws->s.comp, k, &where))
      fprintf(ws->out, "note: '%s' replaces the definition at %s:%d\n", n->s,
              ws->s.src.files[where.file].path, where.first_line);
  }
}

static void eval_and_print(Workspace *ws, const char *label, const char *text, const char *as);

/* A program's kids as entries (their text sliced from the input). */
static void add_entries(Workspace *ws, const Node *prog, const char *label, const char *text,
                        int with_statements) {
  for (int k = 0; k < prog->nkids; k++) {
    const Node *kid = prog->kids[k];
    WsKind kind = kind_of(kid);
    if ((kind == WE_STMT || kind == WE_REPORT) && !with_statements)
      continue;
    if (kind == WE_IMPORT) {
      int seen = 0;
      for (int i = 0; i < ws->n; i++)
        seen |= ws->e[i].kind == WE_IMPORT && !strcmp(ws->e[i].key, kid->s);
      if (seen)
        continue;
    }
    Span x = kid->extent;
    size_t a = offset_of(text, x.first_line, x.first_column),
           b = offset_of(text, x.last_line, x.last_column) + 1;
    if (kind != WE_REPORT) {
      entry_add(ws, kind, key_of(kid), item_text(text, a, b), label, x.first_line, x.first_column);
      continue;
    }
    for (int j = 0; j < kid->nkids; j++) { /* one entry per item: NAME = expression */
      const Node *it = kid->kids[j];
      size_t ia = offset_of(text, it->span.first_line, it->span.first_column);
      size_t ib = j + 1 < kid->nkids ? offset_of(text, kid->kids[j + 1]->span.first_line,
                                                 kid->kids[j + 1]->span.first_column)
                                     : b;
      char *t = item_text(text, ia, ib), *eq = strchr(t, '=');
      const char *ex = eq ? eq + 1 : t;
      while (*ex == ' ' || *ex == '\t' || *ex == '\n')
        ex++;
      WsEntry *e = entry_add(ws, WE_REPORT, it->s, dup0(ex), label, 1, 1);
      e->bound = e->reported = 1;
      free(t);
    }
  }
}

/* Says which of the new reports [first, n) stay results only (a name the session has already
 * keeps its definition: the report read it). */
static void note_unbound(Workspace *ws, int first) {
  for (int kept = 0; kept < 2; kept++) {
    int k = 0;
    for (int i = first; i < ws->n; i++)
      if (ws->e[i].kind == WE_REPORT && !ws->e[i].bound &&
          !program_find(&ws->s.prog, ws->e[i].key) == !kept)
        fprintf(ws->out, "%s%s", k++ ? ", " : "note: ", ws->e[i].key);
    if (k && kept)
      fprintf(ws->out, " %s its definition (the report reads it)\n", k > 1 ? "keep" : "keeps");
    else if (k)
      fprintf(ws->out, " %s a result, not a name (as a constant it would read a sample's draws)\n",
              k > 1 ? "are each" : "is");
  }
}

/* Whether the input only adds: no name it defines or reports is one of the session's, and
 * it sets no field (an override changes what is compiled already). */
static int only_new(Workspace *ws, const Node *prog) {
  for (int k = 0; k < prog->nkids; k++) {
    const Node *kid = prog->kids[k];
    WsKind kind = kind_of(kid);
    if (kind == WE_SET || kind == WE_IMPORT)
      return 0;
    if (kind == WE_REPORT) {
      for (int j = 0; j < kid->nkids; j++)
        if (rkeys_has(ws, kid->kids[j]->s) || program_find(&ws->s.prog, kid->kids[j]->s))
          return 0;
    } else if (key_of(kid) && program_find(&ws->s.prog, key_of(kid)))
      return 0;
  }
  return 1;
}

/* An input that only adds, compiled onto the session as it stands (a rebuild would cost the
 * whole session for each line typed); a failure is taken off again. */
static void add_input(Workspace *ws, const Node *parsed, const char *label, const char *text) {
  Session *s = &ws->s;
  int nd = s->prog.ndecls, ns = s->prog.nstmts;
  int id = sources_add(&s->src, label, text, strlen(text));
  Node *prog = edsl_parse(s->ar, &s->diag, id, NULL);
  if (!s->diag.nerrors)
    compile_program(s->comp, prog);
  if (s->diag.nerrors) {
    program_truncate(&s->prog, nd);
    s->prog.nstmts = ns;
    s->diag.nerrors = 0;
    return;
  }
  Results res = {0};
  EvalStatus st = run_range(ws, s, ns, s->prog.nstmts, &res);
  if (st == EV_OK)
    print_results(ws, &res, NULL);
  results_free(&res);
  int first_new = ws->n;
  add_entries(ws, parsed, label, text, st == EV_OK);
  if (st != EV_OK) { /* its statements, and the sweeps and samples they declare, are not kept */
    rebuild(ws);
    return;
  }
  /* a report's names become names of the session, each one that compiles as a constant */
  FILE *out = s->diag.out;
  s->diag.out = null_out();
  for (int i = first_new; i < ws->n; i++) {
    WsEntry *e = &ws->e[i];
    if (e->kind != WE_REPORT)
      continue;
    size_t len;
    char *t = entry_source(e, &len);
    int d0 = s->prog.ndecls, s0 = s->prog.nstmts;
    Node *p = edsl_parse(s->ar, &s->diag, sources_add(&s->src, e->label, t, len), NULL);
    free(t);
    if (!s->diag.nerrors)
      compile_program(s->comp, p);
    Decl *d = s->diag.nerrors ? NULL : program_find(&s->prog, e->key);
    if (s->diag.nerrors || (d && d->kind == D_CONST && ir_reads_sample(d->value))) {
      /* a constant of a file cannot read draws: nor can the session's (:save writes it) */
      program_truncate(&s->prog, d0);
      s->prog.nstmts = s0;
      s->diag.nerrors = 0;
      e->bound = 0;
    }
  }
  s->diag.out = out;
  note_unbound(ws, first_new);
}

void ws_input(Workspace *ws, const char *text) {
  char label[32];
  snprintf(label, sizeof label, "<repl:%d>", ++ws->counter);
  Session tmp;
  session_init(&tmp);
  char *perr = NULL, *xerr = NULL;
  Node *prog = quiet_parse(&tmp, label, text, 0, &perr);
  int expr = 0;
  if (!prog) {
    expr = quiet_parse(&tmp, label, text, 1, &xerr) != NULL;
    if (!expr) {
      fputs(meant_as_statements(text) ? perr : xerr, ws->out);
      goto done;
    }
  }
  if (expr) {
    eval_and_print(ws, label, text, NULL);
    goto done;
  }
  if (only_new(ws, prog)) {
    add_input(ws, prog, label, text);
    goto done;
  }
  int *noted = calloc((size_t)prog->nkids + 1, sizeof *noted);
  Snapshot snap = snapshot(ws);
  mark_replaced(ws, prog, noted, 1);
  Session s;
  Build b = {.label = label, .text = text, .load = -1};
  if (build(ws, &s, &b, ws->out)) {
    session_free(&s);
    free(b.shadow_node);
    restore(ws, &snap);
    free(noted);
    goto done;
  }
  Results res = {0};
  EvalStatus st = run_range(ws, &s, b.pend_from, s.prog.nstmts, &res);
  if (st == EV_OK)
    print_results(ws, &res, NULL);
  results_free(&res);
  session_free(&s);
  free(b.shadow_node);
  if (st != EV_OK) { /* its statements are not kept, nor is what they would replace */
    restore(ws, &snap);
    snap = snapshot(ws);
    memset(noted, 0, ((size_t)prog->nkids + 1) * sizeof *noted);
    mark_replaced(ws, prog, noted, 0);
  }
  int first_new = ws->n;
  add_entries(ws, prog, label, text, st == EV_OK);
  Snapshot bind = snapshot(ws);
  /* a report's names become names of the session, in place of what had them */
  for (int i = first_new; i < ws->n; i++)
    if (ws->e[i].kind == WE_REPORT)
      for (int j = 0; j < first_new; j++)
        if (!ws->e[j].dropped && ws->e[j].key && !strcmp(ws->e[j].key, ws->e[i].key)) {
          if (ws->e[j].kind == WE_DECL)
            ws->e[j].dropped = 1;
          else if (ws->e[j].kind == WE_REPORT)
            ws->e[j].bound = 0;
        }
  if (rebuild(ws)) { /* a name that cannot be bound (it reads a sample, or itself) */
    for (int i = 0; i < bind.n; i++)
      ws->e[i].bound = bind.flags[i] & 1, ws->e[i].dropped = bind.flags[i] >> 2 & 1;
    for (int i = first_new; i < ws->n; i++)
      if (ws->e[i].kind == WE_REPORT)
        ws->e[i].bound = 0;
    note_unbound(ws, first_new);
    if (rebuild(ws))
      fputs("edsl: internal error: the session does not compile again\n", ws->out);
  }
  free(bind.flags);
  for (int k = 0; k < prog->nkids; k++)
    if (noted[k] && prog->kids[k]->kind != S_REPORT)
      fprintf(ws->out, "note: '%s' %s\n", prog->kids[k]->s,
              kind_of(prog->kids[k]) == WE_SET ? "set again" : "redefined");
  entries_compact(ws);
  note_shadows(ws, label);
  free(snap.flags);
  free(noted);
  /* PATH = value: its value as the session now sees it */
  for (int k = 0; k < prog->nkids; k++)
    if (kind_of(prog->kids[k]) == WE_SET)
      eval_and_print(ws, label, prog->kids[k]->s, prog->kids[k]->s);
done:
  free(perr);
  free(xerr);
  session_free(&tmp);
}

/* Evaluates text as one expression in the session and prints its value. It is compiled onto
 * the session and taken off again (a rebuild for every expression would parse the loaded
 * files each time); what its compiling leaves in the session's arena is reclaimed by a
 * rebuild every WS_QUICK_REBUILD of them, so memory stays bounded however many are typed. */
enum { WS_QUICK_REBUILD = 64 };

static void eval_and_print(Workspace *ws, const char *label, const char *text, const char *as) {
  Session *s = &ws->s;
  int nd = s->prog.ndecls, ns = s->prog.nstmts, nsrc = s->src.n;
  int id = sources_add(&s->src, label, text, strlen(text));
  Node *x = edsl_parse_expr(s->ar, &s->diag, id, NULL);
  if (x && !s->diag.nerrors) { /* as `report _ = x`: print_results shows "_" as a bare value */
    Node *prog = node_new(s->ar, S_PROGRAM, x->span), *r = node_new(s->ar, S_REPORT, x->span),
         *it = node_new(s->ar, E_NAMED, x->span);
    it->s = "_";
    it->a = x;
    node_push(s->ar, r, it);
    node_push(s->ar, prog, r);
    compile_program(s->comp, prog);
  }
  if (!s->diag.nerrors) {
    Results res = {0};
    if (run_range(ws, s, ns, s->prog.nstmts, &res) == EV_OK)
      print_results(ws, &res, as);
    results_free(&res);
  }
  program_truncate(&s->prog, nd);
  s->prog.nstmts = ns;
  s->diag.nerrors = 0;
  while (s->src.n > nsrc) {
    s->src.n--;
    free(s->src.files[s->src.n].path);
    free(s->src.files[s->src.n].text);
  }
  if (++ws->quick >= WS_QUICK_REBUILD) {
    ws->quick = 0;
    rebuild(ws);
  }
}

/* ---- commands --------------------------------------------------------------------------- */

void ws_load(Workspace *ws, const char *path) {
  if (compile_has_file(ws->s.comp, path)) {
    fprintf(ws->out, "%s is loaded already (:reload reads it again)\n", path);
    return;
  }
  char label[32];
  snprintf(label, sizeof label, "<repl:%d>", ++ws->counter);
  entry_add(ws, WE_LOAD, path, NULL, label, 1, 1);
  Session s;
  Build b = {.load = ws->n - 1};
  if (build(ws, &s, &b, ws->out)) {
    session_free(&s);
    free(b.shadow_node);
    entry_free(&ws->e[--ws->n]);
    return;
  }
  int nd = s.prog.ndecls - ws->s.prog.ndecls;
  adopt(ws, &s, &b);
  Results res = {0};
  if (run_range(ws, &ws->s, b.load_from, b.load_to, &res) == EV_OK) {
    int shown = 0;
    for (int i = 0; i < res.n; i++)
      shown += !res.items[i].latex_only;
    fprintf(ws->out, "loaded %s (%d declarations, %d results)\n", path, nd, shown);
  }
  results_free(&res);
  note_shadows(ws, NULL);
}

/* What a declaration's text hashes to, for :reload's "changed". */
typedef struct {
  const char *name;
  unsigned long hash;
} Print;

static int cmp_print(const void *a, const void *b) {
  return strcmp(((const Print *)a)->name, ((const Print *)b)->name);
}

static Print *fingerprints(Session *s, int *n) {
  Print *p = malloc(((size_t)s->prog.ndecls + 1) * sizeof *p);
  *n = 0;
  for (int i = 0; i < s->prog.ndecls; i++) {
    const Decl *d = s->prog.decls[i];
    Span x = d->extent;
    if (x.file < 0 || x.first_line <= 0 || d->name[0] == '_')
      continue;
    const SourceFile *f = &s->src.files[x.file];
    size_t a = offset_of(f->text, x.first_line, x.first_column),
           b = offset_of(f->text, x.last_line, x.last_column) + 1;
    unsigned long h = 1469598103934665603ul;
    for (size_t k = a; k < b && k < f->len; k++)
      h = (h ^ (unsigned char)f->text[k]) * 1099511628211ul;
    p[(*n)++] = (Print){dup0(d->name), h};
  }
  qsort(p, (size_t)*n, sizeof *p, cmp_print);
  return p;
}

static void list_names(FILE *out, const char *what, const char **names, int n) {
  if (!n)
    return;
  fprintf(out, "  %s:", what);
  for (int i = 0; i < n; i++)
    fprintf(out, " %s", names[i]);
  fputc('\n', out);
}

void ws_reload(Workspace *ws) {
  int na, nb;
  Print *a = fingerprints(&ws->s, &na);
  Session s;
  Build b = {.load = -1};
  if (build(ws, &s, &b, ws->out)) {
    fputs("reload failed: the session keeps the definitions it had\n", ws->out);
    session_free(&s);
    free(b.shadow_node);
  } else {
    adopt(ws, &s, &b);
    Print *p = fingerprints(&ws->s, &nb);
    const char **changed = malloc(((size_t)na + nb + 1) * sizeof *changed),
               **added = malloc(((size_t)nb + 1) * sizeof *added),
               **removed = malloc(((size_t)na + 1) * sizeof *removed);
    int nc = 0, nadd = 0, nrem = 0, i = 0, j = 0;
    while (i < na || j < nb) {
      int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i].name, p[j].name);
      if (c < 0)
        removed[nrem++] = a[i++].name;
      else if (c > 0)
        added[nadd++] = p[j++].name;
      else {
        if (a[i].hash != p[j].hash)
          changed[nc++] = a[i].name;
        i++, j++;
      }
    }
    int files = 0;
    for (int k = 0; k < ws->n; k++)
      files += ws->e[k].kind == WE_LOAD || ws->e[k].kind == WE_IMPORT;
    if (!nc && !nadd && !nrem)
      fprintf(ws->out, "reloaded %d file%s: nothing changed\n", files, files == 1 ? "" : "s");
    else {
      fprintf(ws->out, "reloaded %d file%s:\n", files, files == 1 ? "" : "s");
      list_names(ws->out, "changed", changed, nc);
      list_names(ws->out, "added", added, nadd);
      list_names(ws->out, "removed", removed, nrem);
    }
    free(changed);
    free(added);
    free(removed);
    for (int k = 0; k < nb; k++)
      free((char *)p[k].name);
    free(p);
  }
  for (int k = 0; k < na; k++)
    free((char *)a[k].name);
  free(a);
}

void ws_set(Workspace *ws, const char *assignment) {
  const char *eq = strchr(assignment, '=');
  if (!eq || eq == assignment) {
    fprintf(ws->out, "error: :set takes PATH=VALUE, got '%s'\n", assignment);
    return;
  }
  size_t n = strlen(assignment) + 4;
  char *t = malloc(n);
  snprintf(t, n, "%.*s = %s\n", (int)(eq - assignment), assignment, eq + 1);
  ws_input(ws, t);
  free(t);
}

void ws_unset(Workspace *ws, const char *path) {
  for (int i = 0; i < ws->n; i++)
    if (ws->e[i].kind == WE_SET && !strcmp(ws->e[i].key, path)) {
      ws->e[i].dropped = 1;
      if (rebuild(ws)) {
        ws->e[i].dropped = 0;
        fprintf(ws->out, "error: the session does not compile without %s\n", path);
        return;
      }
      entries_compact(ws);
      char label[32];
      snprintf(label, sizeof label, "<repl:%d>", ++ws->counter);
      eval_and_print(ws, label, path, path);
      return;
    }
  fprintf(ws->out, "error: nothing set at '%s' (:show lists what is)\n", path);
}

void ws_show(Workspace *ws, const char *path) {
  Decl *d = strchr(path, '.') ? NULL : program_find(&ws->s.prog, path);
  if (d && d->kind != D_CONST) {
    repl_show_decl(ws->out, &ws->s, d);
    return;
  }
  if (!strcmp(path, "session")) { /* what the session holds, as :save would write it */
    for (int i = 0; i < ws->n; i++) {
      const WsEntry *e = &ws->e[i];
      if (e->kind == WE_LOAD)
        fprintf(ws->out, "  :load %s\n", e->key);
      else if (e->kind == WE_REPORT)
        fprintf(ws->out, "  %s%s = %s\n", e->bound ? "" : "report ", e->key, e->text);
      else {
        fputs("  ", ws->out);
        for (const char *c = e->text; *c; c++)
          fputs(*c == '\n' ? "\n  " : (char[2]){*c, 0}, ws->out);
        fputc('\n', ws->out);
      }
    }
    return;
  }
  if (!d && !strchr(path, '.') && !builtin_lookup(path)) {
    fprintf(ws->out, "error: nothing named '%s'\n", path);
    return;
  }
  char label[32];
  snprintf(label, sizeof label, "<repl:%d>", ++ws->counter);
  eval_and_print(ws, label, path, path);
}

/* ---- :save ------------------------------------------------------------------------------ */

typedef struct {
  char *s;
  size_t len, cap;
} Text;

static void text_add(Text *t, const char *s) {
  size_t n = strlen(s);
  if (t->len + n + 1 > t->cap) {
    t->cap = 2 * (t->len + n + 1);
    t->s = realloc(t->s, t->cap);
  }
  memcpy(t->s + t->len, s, n + 1);
  t->len += n;
}

/* An imported path as the saved file in dir must name it: relative to dir when the file is
 * under it, else absolute; a path that is not a file here (stdlib/...) stays as written. */
static void import_line(Text *t, const char *path, const char *dir) {
  char canon[PATH_MAX];
  const char *p = path;
  size_t dl = strlen(dir);
  if (realpath(path, canon))
    p = !strncmp(canon, dir, dl) && canon[dl] == '/' ? canon + dl + 1 : canon;
  text_add(t, "import \"");
  text_add(t, p);
  text_add(t, "\"\n");
}

void ws_save(Workspace *ws, const char *path) {
  for (int k = 0; k < ws->nshadow; k++) {
    Span where;
    if (compile_shadowed(ws->s.comp, k, &where)) {
      fprintf(ws->out,
              "error: '%s' replaces the definition at %s:%d, which a file cannot do; give it "
              "another name, or change the loaded one with PATH = value\n",
              ws->shadow_node[k]->s, ws->s.src.files[where.file].path, where.first_line);
      return;
    }
  }
  char dir[PATH_MAX], tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s", path);
  char *slash = strrchr(tmp, '/');
  if (slash)
    *slash = 0;
  if (!realpath(slash ? (tmp[0] ? tmp : "/") : ".", dir)) {
    fprintf(ws->out, "error: cannot save to '%s': %s\n", path, strerror(errno));
    return;
  }
  Text t = {0};
  text_add(&t, "# saved from the edsl REPL\n");
  for (int i = 0; i < ws->n; i++)
    if (ws->e[i].kind == WE_LOAD)
      import_line(&t, ws->e[i].key, dir);
  for (int i = 0; i < ws->n; i++) {
    const WsEntry *e = &ws->e[i];
    if (e->kind == WE_IMPORT) {
      char *q = strchr(e->text, '"'), *r = q ? strrchr(q + 1, '"') : NULL;
      char *p = q && r ? dup_or_die(q + 1, (size_t)(r - q - 1)) : dup0(e->key);
      import_line(&t, p, dir);
      free(p);
    } else if (e->kind == WE_DECL || e->kind == WE_SET || e->kind == WE_STMT) {
      text_add(&t, e->text);
      text_add(&t, "\n");
    } else if (e->kind == WE_REPORT) {
      if (e->bound) {
        text_add(&t, e->key);
        text_add(&t, " = ");
        text_add(&t, e->text);
        text_add(&t, "\n");
      }
      if (e->reported) {
        text_add(&t, "report ");
        text_add(&t, e->key);
        text_add(&t, " = ");
        text_add(&t, e->bound ? e->key : e->text);
        text_add(&t, "\n");
      }
    }
  }
  /* laid out by edsl fmt; written beside path and renamed onto it only if it compiles there
   * as a file (its imports are relative to it) */
  Session s;
  session_init(&s);
  s.diag.out = ws->out;
  int id = sources_add(&s.src, path, t.s, t.len);
  char *formatted = NULL;
  size_t flen = 0;
  if (edsl_format(&s.diag, id, unit_is_name, &formatted, &flen) == 0) {
    char tpl[PATH_MAX + 32];
    snprintf(tpl, sizeof tpl, "%s/.edsl-save-XXXXXX", dir);
    int fd = mkstemp(tpl);
    mode_t mask = umask(0);
    umask(mask);
    if (fd < 0 || fchmod(fd, 0666 & ~mask) || write(fd, formatted, flen) != (ssize_t)flen ||
        close(fd)) {
      fprintf(ws->out, "error: cannot save to '%s': %s\n", path, strerror(errno));
      if (fd >= 0)
        unlink(tpl);
    } else {
      Session c;
      session_init(&c);
      c.diag.out = ws->out;
      if (compile_file(c.comp, tpl)) {
        fprintf(ws->out, "error: the session does not compile as a file (above); %s not written\n",
                path);
        unlink(tpl);
      } else if (rename(tpl, path)) {
        fprintf(ws->out, "error: cannot save to '%s': %s\n", path, strerror(errno));
        unlink(tpl);
      } else
        fprintf(ws->out, "saved %s\n", path);
      session_free(&c);
    }
  }
  free(formatted);
  free(t.s);
  session_free(&s);
}
