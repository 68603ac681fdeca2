/* The REPL: one session environment; each complete input is compiled and evaluated exactly
 * as the same text in a file would be. Errors are reported and the session goes on. */
#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtins.h"
#include "claims.h"
#include "driver.h"

static const char *repl_help =
    "Type edsl statements: declarations, 'report NAME = expr', 'sweep ...'.\n"
    "A block may span lines; the prompt shows '...' until it is closed.\n"
    "  :help         this text\n"
    "  :load FILE    compile FILE into the session (like import)\n"
    "  :show NAME    show a constant, table, block or scenario\n"
    "  :funcs        list built-in functions\n"
    "  :reset        forget everything defined so far\n"
    "  :quit         leave (also Ctrl-D)\n";

static int interactive;

static char *read_line(const char *prompt) {
  if (interactive)
    return readline(prompt);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, stdin);
  if (n < 0) {
    free(line);
    return NULL;
  }
  if (n > 0 && line[n - 1] == '\n')
    line[n - 1] = 0;
  return line;
}

/* The brackets a line leaves open (a string ends at its line, a comment at '#'): while any
 * is, the input is incomplete without parsing it, so a long block costs one parse, not one a
 * line. */
static int open_after(const char *line, int open) {
  int in_str = 0;
  for (const char *c = line; *c; c++) {
    if (in_str) {
      if (*c == '\\' && c[1])
        c++;
      else if (*c == '"')
        in_str = 0;
    } else if (*c == '#')
      break;
    else if (*c == '"')
      in_str = 1;
    else if (*c == '{' || *c == '[' || *c == '(')
      open++;
    else if (*c == '}' || *c == ']' || *c == ')')
      open--;
  }
  return open;
}

/* Does the text end inside a block, bracket or string? Parsed silently. */
static int incomplete_input(Session *s, const char *text) {
  char *sink = NULL;
  size_t len = 0;
  FILE *null = open_memstream(&sink, &len);
  Diag quiet = {.src = &s->src, .out = null};
  Arena *ar = arena_new();
  int id = sources_add(&s->src, "<repl>", text, strlen(text));
  int inc = 0;
  edsl_parse(ar, &quiet, id, &inc);
  arena_free(ar);
  fclose(null);
  free(sink);
  /* drop the probe source again */
  s->src.n--;
  free(s->src.files[s->src.n].path);
  free(s->src.files[s->src.n].text);
  return inc;
}

static void print_value(const Value *v) {
  char u[64];
  dim_format(v->dim, u, sizeof u);
  if (v->type == T_BOOL)
    printf("%s\n", v->num ? "true" : "false");
  else if (v->type == T_STR)
    printf("\"%s\"\n", v->str);
  else if (v->type == T_VEC) {
    printf("[");
    for (int i = 0; i < v->n; i++)
      printf("%s%.10g", i ? ", " : "", v->vec[i]);
    printf("]%s%s\n", u[0] ? " " : "", u);
  } else if (v->type == T_NUM)
    printf("%.10g%s%s\n", v->num, u[0] ? " " : "", u);
  else if (v->decl)
    printf("<%s %s>\n", type_name(v->type), v->decl->name);
  else
    printf("<%s>\n", type_name(v->type));
}

static void show(Session *s, const char *name) {
  Decl *d = program_find(&s->prog, name);
  if (!d) {
    printf("error: nothing named '%s'\n", name);
    return;
  }
  Eval *ev = eval_new(&s->prog, s->ar, s->prog.has_seed ? (unsigned long)s->prog.seed : 1);
  switch (d->kind) {
  case D_CONST: {
    Value v;
    printf("%s = ", name);
    if (eval_one(ev, d->value, &v, &s->diag) == EV_OK)
      print_value(&v);
    break;
  }
  case D_TABLE:
    printf("table %s: %d rows\n", name, d->nrows);
    for (int j = 0; j < d->ncols; j++) {
      char u[64];
      dim_format(d->coldims[j], u, sizeof u);
      printf("  %s%s%s%s:", d->colnames[j], u[0] || d->coltext[j] ? " [" : "",
             d->coltext[j] ? "text" : u, u[0] || d->coltext[j] ? "]" : "");
      for (int i = 0; i < d->nrows; i++)
        if (d->coltext[j])
          printf(" \"%s\"", d->text[j][i] ? d->text[j][i] : "");
        else
          printf(" %.10g", d->num[j][i]);
      printf("\n");
    }
    break;
  default:
    printf("%s %s%s%s\n", type_name(decl_type(d->kind)), name, d->base ? " = " : "",
           d->base ? d->base->name : "");
    for (int i = 0; i < d->nfields; i++) {
      Value v;
      printf("  %s = ", d->fields[i].path);
      if (d->fields[i].ir && eval_one(ev, d->fields[i].ir, &v, &s->diag) == EV_OK)
        print_value(&v);
      else
        printf("?\n");
    }
    for (int i = 0; i < d->novr; i++)
      printf("  with %s.%s\n", d->ovr[i].target->name, d->ovr[i].path);
  }
}

/* Compiles and runs one complete input; on a compile error the session is left as before. */
static void run_text(Session *s, const char *text, int counter) {
  char name[32];
  snprintf(name, sizeof name, "<repl:%d>", counter);
  int nd = s->prog.ndecls, ns = s->prog.nstmts, ni = s->prog.ninputs, ne = s->diag.nerrors;
  int id = sources_add(&s->src, name, text, strlen(text));
  compile_source(s->comp, id);
  if (s->diag.nerrors != ne) {
    program_truncate(&s->prog, nd);
    s->prog.nstmts = ns;
    s->prog.ninputs = ni;
    s->diag.nerrors = 0;
    return;
  }
  Results res = {0};
  Eval *ev = eval_new(&s->prog, s->ar, s->prog.has_seed ? (unsigned long)s->prog.seed : 1);
  if (eval_program(ev, ns, &res, &s->diag) == EV_OK) {
    char b[64], u[64];
    for (int i = 0; i < res.n; i++) {
      Result *r = &res.items[i];
      if (r->latex_only) /* a comparison set for LaTeX: its values are results of their own */
        continue;
      if (!r->is_table) {
        printf("%s = ", r->name);
        print_value(&r->v);
        continue;
      }
      if (r->is_sample) {
        printf("%s: %ld draws", r->name, r->total_rows);
        if (r->failed)
          printf(" (%ld failed)", r->failed);
        printf("; summarize them: mean(%s.%s), quantile(%s.%s, 0.5), P(%s.%s < ...)\n", r->name,
               r->cols[r->ncols - 1], r->name, r->cols[r->ncols - 1], r->name,
               r->cols[r->ncols - 1]);
        continue;
      }
      printf("%s:\n", r->name);
      for (int j = 0; j < r->ncols; j++) {
        dim_format(r->dims[j], u, sizeof u);
        printf(u[0] ? "%s%s (%s)" : "%s%s%s", j ? "  " : "  ", r->cols[j], u);
      }
      printf("\n");
      for (int k = 0; k < r->nrows; k++) {
        for (int j = 0; j < r->ncols; j++) {
          snprintf(b, sizeof b, "%.10g", r->cells[(size_t)k * r->ncols + j]);
          printf("  %s", b);
        }
        printf("\n");
      }
    }
    for (int i = 0; i < res.nclaims; i++) {
      const ClaimResult *c = &res.claims[i];
      ClaimText t;
      claim_text(c, &t);
      printf("claim %s: %s (paper %s, edsl %s, tolerance %s)\n", c->name,
             claim_verdict_name(c->verdict), t.paper, t.value, t.tolerance);
    }
  } else
    s->prog.nstmts = ns; /* a failed report is not kept */
  s->diag.nerrors = 0;
  results_free(&res);
}

int repl_main(void) {
  interactive = isatty(0) && isatty(1);
  char hist[4096] = "";
  const char *h = getenv("EDSL_HISTORY");
  if (h && *h)
    snprintf(hist, sizeof hist, "%s", h);
  else if (getenv("HOME"))
    snprintf(hist, sizeof hist, "%s/.edsl_history", getenv("HOME"));
  if (interactive) {
    using_history();
    if (hist[0])
      read_history(hist);
    printf("edsl REPL - :help for help, :quit to leave\n");
  }
  Session s;
  session_init(&s);
  s.diag.out = stdout; /* errors interleave with results on one stream */
  char *acc = NULL;
  size_t acclen = 0, acccap = 0;
  int open = 0; /* brackets the accumulated input leaves open */
  int counter = 0;
  for (;;) {
    fflush(stdout);
    char *line = read_line(acc ? "  ... " : "edsl> ");
    if (!line)
      break;
    if (interactive && *line)
      add_history(line);
    if (!acc && line[0] == ':') {
      char cmd[64] = "", arg[4000] = "";
      sscanf(line, ":%63s %3999[^\n]", cmd, arg);
      if (!strcmp(cmd, "quit") || !strcmp(cmd, "q")) {
        free(line);
        break;
      } else if (!strcmp(cmd, "help"))
        fputs(repl_help, stdout);
      else if (!strcmp(cmd, "funcs")) {
        int nf;
        const BuiltinFamily *const *fam = builtin_families(&nf);
        for (int f = 0; f < nf; f++)
          for (int i = 0; i < fam[f]->n; i++)
            printf("  %s\n", fam[f]->rows[i].help);
      } else if (!strcmp(cmd, "reset")) {
        session_free(&s);
        session_init(&s);
        s.diag.out = stdout;
        printf("session reset\n");
      } else if (!strcmp(cmd, "load") && arg[0]) {
        int nd = s.prog.ndecls, ns = s.prog.nstmts;
        if (compile_file(s.comp, arg)) {
          program_truncate(&s.prog, nd);
          s.prog.nstmts = ns;
        } else {
          Results res = {0};
          Eval *ev = eval_new(&s.prog, s.ar, s.prog.has_seed ? (unsigned long)s.prog.seed : 1);
          if (eval_program(ev, ns, &res, &s.diag) == EV_OK)
            printf("loaded %s (%d declarations, %d results)\n", arg, s.prog.ndecls - nd, res.n);
          results_free(&res);
        }
        s.diag.nerrors = 0;
      } else if (!strcmp(cmd, "show") && arg[0])
        show(&s, arg);
      else
        printf("error: unknown command '%s' (try :help)\n", line);
      free(line);
      continue;
    }
    size_t l = strlen(line);
    if (acclen + l + 2 > acccap) { /* doubling: a long block costs linear copying */
      acccap = 2 * (acclen + l + 2);
      acc = realloc(acc, acccap);
    }
    memcpy(acc + acclen, line, l);
    acclen += l;
    acc[acclen++] = '\n';
    acc[acclen] = 0;
    open = open_after(line, open);
    free(line);
    if (open > 0 || incomplete_input(&s, acc))
      continue;
    run_text(&s, acc, ++counter);
    free(acc);
    acc = NULL;
    acclen = acccap = 0;
    open = 0;
  }
  if (acc) {
    run_text(&s, acc, ++counter); /* report what the unfinished input lacks */
    free(acc);
  }
  if (interactive && hist[0])
    write_history(hist);
  session_free(&s);
  return 0;
}
