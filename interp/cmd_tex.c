/* edsl tex FILE: the model a scenario declares, written as LaTeX equations (as Dynare's
 * write_latex_* do): its parameters, data tables, blocks with the papers' symbols, scenarios
 * with their overrides, user functions, dynamics (d state / d t = rate) and calibrations.
 * A fragment to \input, with amsmath; provenance as % comments. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "report.h"
#include "tex.h"

/* The papers' symbols for fields whose last name is not already one (market.firms is N). */
static const struct {
  DeclKind kind;
  const char *path, *tex;
} symbols[] = {
    {D_MARKET, "firms", "N"},
    {D_MARKET, "discount", "r"},
    {D_MARKET, "threshold.c_now", "c_{\\mathrm{now}}"},
    {D_MARKET, "threshold.c_star", "c^{*}"},
    {D_MARKET, "threshold.Q_now", "Q_{\\mathrm{now}}"},
    {D_MARKET, "capacity.q_bar", "\\bar{q}"},
    {D_MARKET, "capacity.lag", "\\Delta"},
    {D_MARKET, "two_period.Qbar", "\\bar{Q}"},
    {D_MARKET, "two_period.pi2", "\\pi_{2}"},
    {D_WORKLOAD, "T_star", "T^{*}"},
    {D_MESH, "c_cent", "c_{\\mathrm{cent}}"},
};

typedef struct {
  const Decl *self; /* the block whose fields are being written: its own names are symbols */
  const Program *p; /* block.field elsewhere: \mathrm{block}.symbol */
} TexCtx;

static int is_unit(const char *name, void *ctx) {
  (void)ctx;
  return unit_lookup(name) != NULL;
}

/* A field's symbol: the table's, else its last name's (continuation.S_T is S_T). */
static void field_symbol(FILE *out, DeclKind kind, const char *path) {
  for (size_t i = 0; i < sizeof symbols / sizeof *symbols; i++)
    if (symbols[i].kind == kind && !strcmp(symbols[i].path, path)) {
      fputs(symbols[i].tex, out);
      return;
    }
  const char *dot = strrchr(path, '.');
  tex_symbol(out, dot ? dot + 1 : path);
}

static int own_symbol(FILE *out, const char *name, void *ctx) {
  const TexCtx *c = ctx;
  if (c->self && decl_field((Decl *)c->self, name)) {
    field_symbol(out, c->self->kind, name);
    return 1;
  }
  const char *dot = strchr(name, '.');
  if (!dot || !c->p)
    return 0;
  char root[256];
  snprintf(root, sizeof root, "%.*s", (int)(dot - name), name);
  Decl *d = program_find(c->p, root);
  if (!d || !decl_is_block(d->kind) || !decl_field(d, dot + 1))
    return 0;
  fputs("\\mathrm{", out);
  tex_escape(out, root);
  fputs("}.", out);
  field_symbol(out, d->kind, dot + 1);
  return 1;
}

static void heading(FILE *out, const char *what, const char *name) {
  fputs("\n\\paragraph{", out);
  tex_escape(out, what);
  fputs(" \\texttt{", out);
  tex_escape(out, name);
  fputs("}}\n", out);
}

/* Whether a field is one the equations leave out: a path's layout, a plot's or a claim's. */
static int shown_field(const Decl *d, const Field *f) {
  (void)d;
  return f->ast && f->ast->a;
}

static void block(FILE *out, const Program *p, const Decl *d) {
  /* a dynamics block's variable: "t" unless it names another */
  const Field *vf = d->kind == D_DYNAMICS ? decl_field((Decl *)d, "variable") : NULL;
  const char *var = vf && vf->ast && vf->ast->a && vf->ast->a->kind == E_STR ? vf->ast->a->s : "t";
  heading(out, decl_kind_name(d->kind), d->name);
  TexCtx ctx = {d, p};
  TexNames nm = {is_unit, own_symbol, &ctx};
  fputs("\\begin{align*}\n", out);
  int rows = 0;
  for (int i = 0; i < d->nfields; i++) {
    const Field *f = &d->fields[i];
    if (!shown_field(d, f))
      continue;
    if (rows++)
      fputs(" \\\\\n", out);
    const char *path = f->path;
    if (d->kind == D_DYNAMICS && !strncmp(path, "rate.", 5)) {
      fputs("\\frac{d", out);
      tex_symbol(out, path + 5);
      fputs("}{d", out);
      tex_symbol(out, var);
      fputc('}', out);
    } else if (d->kind == D_DYNAMICS && !strncmp(path, "state.", 6)) {
      tex_symbol(out, path + 6);
      fputc('(', out);
      tex_symbol(out, var);
      fputs("_0)", out);
    } else
      field_symbol(out, d->kind, path);
    fputs(" &= ", out);
    tex_expr(out, f->ast->a, &nm);
    fputs(" && \\text{", out);
    tex_escape(out, path);
    fputc('}', out);
  }
  fputs("\n\\end{align*}\n", out);
}

static void scenario(FILE *out, const Program *p, const Decl *d) {
  heading(out, "scenario", d->name);
  const Node *s = d->ast;
  if (s && s->b) {
    fputs("The scenario \\texttt{", out);
    tex_escape(out, s->b->s);
    fputs("} with:\n", out);
  }
  TexCtx ctx = {NULL, p};
  TexNames nm = {is_unit, own_symbol, &ctx};
  fputs("\\begin{align*}\n", out);
  int rows = 0;
  for (int k = 0; s && k < s->nkids; k++) {
    const Node *it = s->kids[k];
    if (it->kind != I_ASSIGN || !it->a)
      continue;
    if (rows++)
      fputs(" \\\\\n", out);
    tex_path(out, it->s);
    fputs(" &= ", out);
    tex_expr(out, it->a, &nm);
  }
  fputs("\n\\end{align*}\n", out);
}

static void table(FILE *out, const Decl *d) {
  heading(out, "table", d->name);
  fprintf(out, "%d row%s; columns:", d->nrows, d->nrows == 1 ? "" : "s");
  for (int j = 0; j < d->ncols; j++) {
    char u[64];
    dim_format(d->coldims[j], u, sizeof u);
    fputs(j ? ", \\texttt{" : " \\texttt{", out);
    tex_escape(out, d->colnames[j]);
    fputc('}', out);
    if (d->coltext[j])
      fputs(" (text)", out);
    else if (u[0]) {
      fputs(" (", out);
      tex_escape(out, u);
      fputc(')', out);
    }
  }
  fputs(".\n", out);
}

static void write_model(FILE *out, const Program *p, const Provenance *pv) {
  report_provenance_lines(out, pv, "% ");
  fputs("% the model as equations (edsl tex): \\usepackage{amsmath}, then \\input this file\n",
        out);
  TexCtx ctx = {NULL, p};
  TexNames nm = {is_unit, own_symbol, &ctx};
  int any = 0;
  for (int i = 0; i < p->ndecls; i++) { /* parameters first, in one display */
    const Decl *d = p->decls[i];
    if (d->kind != D_CONST || !d->ast || !strcmp(d->name, "__set__") || !strcmp(d->name, "seed"))
      continue;
    fputs(any++ ? " \\\\\n" : "\n\\paragraph{Parameters}\n\\begin{align*}\n", out);
    tex_symbol(out, d->name);
    fputs(" &= ", out);
    tex_expr(out, d->ast, &nm);
  }
  if (any)
    fputs("\n\\end{align*}\n", out);
  any = 0;
  for (int i = 0; i < p->ndecls; i++) { /* user functions */
    const Decl *d = p->decls[i];
    if (d->kind != D_FUNC || !d->ast)
      continue;
    fputs(any++ ? " \\\\\n" : "\n\\paragraph{Functions}\n\\begin{align*}\n", out);
    fputs("\\operatorname{", out);
    tex_escape(out, d->name);
    fputs("}\\left(", out);
    for (int k = 0; k < d->ast->nkids; k++) {
      if (k)
        fputs(", ", out);
      tex_symbol(out, d->ast->kids[k]->s);
    }
    fputs("\\right) &= ", out);
    tex_expr(out, d->ast->a, &nm);
  }
  if (any)
    fputs("\n\\end{align*}\n", out);
  for (int i = 0; i < p->ndecls; i++) {
    const Decl *d = p->decls[i];
    if (d->kind == D_TABLE)
      table(out, d);
    else if (d->kind == D_SCENARIO && d->ast)
      scenario(out, p, d);
    else if (decl_is_block(d->kind) && d->kind != D_PLOT && d->kind != D_CLAIM &&
             d->kind != D_LATEX && d->kind != D_PREDICTION && d->nfields)
      block(out, p, d);
  }
}

static int write_tex(FILE *f, void *arg) {
  void **a = arg;
  write_model(f, a[0], a[1]);
  return 0;
}

int cmd_tex(const Options *o) {
  if (o->nfiles != 1)
    return usage(o->nfiles ? "give one scenario file" : "missing FILE");
  if (o->nsets || o->seed_text || o->fmt_given || o->threads || o->shard_n || o->time_limit > 0 ||
      o->max_edges || o->data || o->as_of || o->json || o->digits || o->strict || o->write ||
      o->check_only)
    return usage("tex takes FILE and --out DIR");
  if (o->outdir && mkdir(o->outdir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "edsl: cannot create output directory '%s': %s\n", o->outdir, strerror(errno));
    return EXIT_INPUT;
  }
  Session s;
  session_init(&s);
  compile_file(s.comp, o->files[0]);
  int rc = EXIT_OK;
  if (compile_failed(&s))
    rc = EXIT_INPUT;
  else {
    Provenance pv = {&s.prog, NULL, 0, s.prog.has_seed ? (unsigned long)s.prog.seed : 1, 0};
    void *args[2] = {&s.prog, &pv};
    if (o->outdir) {
      const char *base = strrchr(o->files[0], '/') ? strrchr(o->files[0], '/') + 1 : o->files[0];
      size_t bl = strlen(base);
      if (bl > 5 && !strcmp(base + bl - 5, ".edsl"))
        bl -= 5;
      char *path = malloc(strlen(o->outdir) + bl + 16);
      sprintf(path, "%s/%.*s.model.tex", o->outdir, (int)bl, base);
      char err[512];
      if (write_atomic(path, write_tex, args, err, sizeof err)) {
        fprintf(stderr, "edsl: %s\n", err);
        rc = EXIT_INPUT;
      }
      free(path);
    } else
      write_model(stdout, &s.prog, &pv);
  }
  session_free(&s);
  return rc;
}
