/* latex blocks at run time (latex_block.h): a style for the table of a named sweep, or a
 * comparison of scenarios, every row a function of one scenario evaluated at each. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "latex_block.h"
#include "report.h"

/* The style the block's fields give; col_labels for the columns cols[0..ncols). */
static TexStyle *style(Eval *ev, const Stmt *s, const char **cols, int ncols) {
  Decl *d = s->self;
  const LatexBlock *t = d->tex;
  TexStyle *st = arena_alloc(ev->ar, sizeof *st);
  memset(st, 0, sizeof *st);
  st->name = d->name;
  st->span = s->span;
  st->caption = ev_field_text(ev, d, F_LATEX_caption, s->span, d->name);
  size_t n = strlen(d->name) + 5;
  char *label = arena_alloc(ev->ar, n);
  snprintf(label, n, "tab:%s", d->name);
  st->label = ev_field_text(ev, d, F_LATEX_label, s->span, label);
  double v;
  st->digits = ev_field_num(ev, d, F_LATEX_digits, &v, s->span, 0) == 1 ? (int)v : 4;
  st->decimals = ev_field_num(ev, d, F_LATEX_decimals, &v, s->span, 0) == 1 ? (int)v : -1;
  Value u;
  st->units = ev_field_get(ev, d, F_LATEX_units, &u, s->span) == 1 ? u.num != 0 : 1;
  st->width = ev_field_num(ev, d, F_LATEX_width, &v, s->span, 0) == 1 ? v : 345;
  st->col_labels = arena_alloc(ev->ar, (size_t)(ncols + 1) * sizeof *st->col_labels);
  for (int j = 0; j < ncols; j++) {
    st->col_labels[j] = NULL;
    for (int k = 0; k < t->ncols; k++)
      if (!strcmp(t->col_names[k], cols[j]))
        st->col_labels[j] = t->col_labels[k];
  }
  return st;
}

/* A table wider than the block's width would run into the margin: said where the block is. */
static void warn_width(Eval *ev, const Result *r) {
  double w = report_latex_width(r);
  if (w > r->tex->width && ev->diag)
    diag_warning(ev->diag, r->tex->span,
                 "latex '%s': the table is about %.0f pt wide, more than its width of %g pt: "
                 "it would run into the margin; give fewer digits or decimals, shorter labels or "
                 "fewer columns",
                 r->tex->name, w, r->tex->width);
}

/* Each value of the comparison, a result NAME.ROW.SCENARIO for every format but LaTeX. */
static void push_values(Eval *ev, const LatexBlock *t, const char *base, const double *cells,
                        const Dim *dims, Results *res) {
  for (int i = 0; i < t->nrows; i++)
    for (int j = 0; j < t->nscenarios; j++) {
      Result r = {0};
      size_t n = strlen(base) + strlen(t->row_names[i]) + strlen(t->scenarios[j]->name) + 3;
      char *name = arena_alloc(ev->ar, n);
      snprintf(name, n, "%s.%s.%s", base, t->row_names[i], t->scenarios[j]->name);
      r.name = name;
      r.v = ev_num(cells[(size_t)i * t->nscenarios + j], dims[i]);
      r.not_in_latex = 1;
      results_push(res, r);
    }
}

/* A table of reports (results { REPORT = "label" }): one row each, its value and unit; the
 * reports then stay out of LaTeX's general table of reports. */
static int results_table(Eval *ev, const Stmt *s, Results *res) {
  const LatexBlock *t = s->self->tex;
  Result r = {0};
  r.name = s->self->name;
  r.is_table = 1;
  r.latex_only = 1;
  r.ncols = 1;
  r.nrows = t->nresults;
  r.total_rows = t->nresults;
  r.cols = malloc(sizeof *r.cols);
  r.dims = malloc(sizeof *r.dims);
  r.cells = malloc(((size_t)t->nresults + 1) * sizeof *r.cells);
  r.cols[0] = "Value";
  r.dims[0] = DIM_NONE;
  TexStyle *st = style(ev, s, r.cols, 1);
  st->row_labels = t->result_labels;
  st->row_dims = arena_alloc(ev->ar, (size_t)(t->nresults + 1) * sizeof *st->row_dims);
  for (int i = 0; i < t->nresults; i++) {
    int k = res->n - 1;
    while (k >= 0 && (res->items[k].is_table || strcmp(res->items[k].name, t->results[i])))
      k--;
    if (k < 0) {
      free(r.cols), free(r.dims), free(r.cells);
      return ev_fail(ev, EV_INPUT, s->span, "latex '%s': report '%s' has no value in this run",
                     s->self->name, t->results[i]);
    }
    r.cells[i] = res->items[k].v.num;
    st->row_dims[i] = res->items[k].v.dim;
    res->items[k].not_in_latex = 1;
  }
  r.tex = st;
  warn_width(ev, &r);
  results_push(res, r);
  return 0;
}

int eval_latex(Eval *ev, const Stmt *s, Results *res) {
  const LatexBlock *t = s->self->tex;
  if (t->results)
    return results_table(ev, s, res);
  if (t->of) { /* the sweep's result, before this statement */
    for (int i = res->n - 1; i >= 0; i--)
      if (res->items[i].is_table && !strcmp(res->items[i].name, t->of->name)) {
        res->items[i].tex = style(ev, s, res->items[i].cols, res->items[i].ncols);
        if (res->items[i].cells)
          warn_width(ev, &res->items[i]);
        return 0;
      }
    return ev_fail(ev, EV_INPUT, s->span, "latex '%s': sweep '%s' has no table in this run",
                   s->self->name, t->of->name);
  }
  Result r = {0};
  r.name = s->self->name;
  r.is_table = 1;
  r.latex_only = 1;
  r.ncols = t->nscenarios;
  r.nrows = t->nrows;
  r.total_rows = t->nrows;
  r.cols = malloc((size_t)(r.ncols + 1) * sizeof *r.cols);
  r.dims = malloc((size_t)(r.ncols + 1) * sizeof *r.dims);
  r.cells = malloc(((size_t)r.ncols * (size_t)r.nrows + 1) * sizeof *r.cells);
  for (int j = 0; j < r.ncols; j++) {
    r.cols[j] = t->scenarios[j]->name;
    r.dims[j] = DIM_NONE;
  }
  TexStyle *st = style(ev, s, r.cols, r.ncols);
  st->row_labels = t->row_labels;
  st->row_dims = arena_alloc(ev->ar, (size_t)(t->nrows + 1) * sizeof *st->row_dims);
  for (int i = 0; i < t->nrows; i++)
    for (int j = 0; j < t->nscenarios; j++) {
      Value v;
      if (eval(ev, t->cells[i * t->nscenarios + j], &v)) {
        free(r.cols), free(r.dims), free(r.cells);
        return -1;
      }
      r.cells[(size_t)i * r.ncols + j] = v.num;
      st->row_dims[i] = v.dim;
    }
  r.tex = st;
  warn_width(ev, &r);
  results_push(res, r);
  push_values(ev, t, r.name, r.cells, st->row_dims, res);
  return 0;
}
