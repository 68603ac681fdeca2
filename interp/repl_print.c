/* The REPL's printing: values with their units, tables in aligned columns, long ones cut to
 * their first and last rows with a count of the rest. */
#include <stdlib.h>
#include <string.h>

#include "workspace.h"

/* Rows of a table, values of a list, shown in full up to this many; beyond, the first
 * REPL_HEAD and the last REPL_TAIL. */
enum { REPL_ROWS = 20, REPL_HEAD = 10, REPL_TAIL = 5 };

static void unit_suffix(Dim d, char *u, size_t n) {
  char b[64];
  dim_format(d, b, sizeof b);
  snprintf(u, n, "%s%s", b[0] ? " " : "", b);
}

void repl_print_value(FILE *out, const Value *v) {
  char u[72];
  unit_suffix(v->dim, u, sizeof u);
  if (v->type == T_BOOL)
    fprintf(out, "%s\n", v->num ? "true" : "false");
  else if (v->type == T_STR)
    fprintf(out, "\"%s\"\n", v->str);
  else if (v->type == T_VEC) {
    fputc('[', out);
    int cut = v->n > REPL_ROWS;
    for (int i = 0; i < v->n; i++) {
      if (cut && i == REPL_HEAD) {
        fprintf(out, ", ... %d more ...", v->n - REPL_HEAD - REPL_TAIL);
        i = v->n - REPL_TAIL;
      }
      fprintf(out, "%s%.10g", i ? ", " : "", v->vec[i]);
    }
    fprintf(out, "]%s%s\n", u, cut ? "" : "");
    if (cut)
      fprintf(out, "  (%d values)\n", v->n);
  } else if (v->type == T_NUM)
    fprintf(out, "%.10g%s\n", v->num, u);
  else if (v->decl)
    fprintf(out, "<%s %s>\n", type_name(v->type), v->decl->name);
  else
    fprintf(out, "<%s>\n", type_name(v->type));
}

static void print_rows(FILE *out, const Result *r) {
  int nc = r->ncols;
  char **head = malloc((size_t)nc * sizeof *head);
  int *w = malloc((size_t)nc * sizeof *w);
  for (int j = 0; j < nc; j++) {
    char u[72], h[256];
    dim_format(r->dims[j], u, sizeof u);
    snprintf(h, sizeof h, u[0] ? "%s (%s)" : "%s%s", r->cols[j], u);
    head[j] = strdup(h);
    w[j] = (int)strlen(h);
  }
  int cut = r->nrows > REPL_ROWS;
  char cell[40];
  for (int k = 0; k < r->nrows; k++) {
    if (cut && k == REPL_HEAD)
      k = r->nrows - REPL_TAIL;
    for (int j = 0; j < nc; j++) {
      int n = snprintf(cell, sizeof cell, "%.10g", r->cells[(size_t)k * nc + j]);
      if (n > w[j])
        w[j] = n;
    }
  }
  for (int j = 0; j < nc; j++)
    fprintf(out, "  %*s", w[j], head[j]);
  fputc('\n', out);
  for (int k = 0; k < r->nrows; k++) {
    if (cut && k == REPL_HEAD) {
      fprintf(out, "  ... %d more rows ...\n", r->nrows - REPL_HEAD - REPL_TAIL);
      k = r->nrows - REPL_TAIL;
    }
    for (int j = 0; j < nc; j++) {
      snprintf(cell, sizeof cell, "%.10g", r->cells[(size_t)k * nc + j]);
      fprintf(out, "  %*s", w[j], cell);
    }
    fputc('\n', out);
  }
  if (cut)
    fprintf(out, "  (%d rows; a sweep's `to \"FILE.csv\"` writes them all)\n", r->nrows);
  for (int j = 0; j < nc; j++)
    free(head[j]);
  free(head);
  free(w);
}

void repl_print_result(FILE *out, const Result *r) {
  if (!r->is_table) {
    fprintf(out, "%s = ", r->name);
    repl_print_value(out, &r->v);
    return;
  }
  if (r->is_sample) {
    const char *c = r->cols[r->ncols - 1];
    fprintf(out, "%s: %ld draws", r->name, r->total_rows);
    if (r->failed)
      fprintf(out, " (%ld failed)", r->failed);
    fprintf(out, "; summarize them: mean(%s.%s), quantile(%s.%s, 0.5), P(%s.%s < ...)\n", r->name,
            c, r->name, c, r->name, c);
    return;
  }
  if (r->is_plot) {
    fprintf(out, "%s: plotted\n", r->name);
    return;
  }
  if (!r->cells) {
    fprintf(out, "%s: %ld rows written to %s\n", r->name, r->total_rows, r->file ? r->file : "");
    return;
  }
  fprintf(out, "%s:", r->name);
  if (r->failed)
    fprintf(out, " (%ld points failed: NA)", r->failed);
  fputc('\n', out);
  print_rows(out, r);
}

void repl_show_decl(FILE *out, Session *s, Decl *d) {
  Eval *ev = eval_new(&s->prog, s->ar, s->prog.has_seed ? (unsigned long)s->prog.seed : 1);
  if (d->kind == D_TABLE) {
    fprintf(out, "table %s: %d rows\n", d->name, d->nrows);
    for (int j = 0; j < d->ncols; j++) {
      char u[72];
      dim_format(d->coldims[j], u, sizeof u);
      fprintf(out, "  %s%s%s%s:", d->colnames[j], u[0] || d->coltext[j] ? " [" : "",
              d->coltext[j] ? "text" : u, u[0] || d->coltext[j] ? "]" : "");
      int cut = d->nrows > REPL_ROWS;
      for (int i = 0; i < d->nrows; i++) {
        if (cut && i == REPL_HEAD) {
          fprintf(out, " ... %d more ...", d->nrows - REPL_HEAD - REPL_TAIL);
          i = d->nrows - REPL_TAIL;
        }
        if (d->coltext[j])
          fprintf(out, " \"%s\"", d->text[j][i] ? d->text[j][i] : "");
        else
          fprintf(out, " %.10g", d->num[j][i]);
      }
      fputc('\n', out);
    }
    return;
  }
  fprintf(out, "%s %s%s%s\n", decl_kind_name(d->kind), d->name, d->base ? " = " : "",
          d->base ? d->base->name : "");
  for (int i = 0; i < d->nfields; i++) {
    Value v;
    fprintf(out, "  %s = ", d->fields[i].path);
    if (d->fields[i].ir && eval_one(ev, d->fields[i].ir, &v, &s->diag) == EV_OK)
      repl_print_value(out, &v);
    else
      fputs("?\n", out);
  }
  for (int i = 0; i < d->novr; i++)
    fprintf(out, "  with %s.%s\n", d->ovr[i].target->name, d->ovr[i].path);
  s->diag.nerrors = 0;
}
