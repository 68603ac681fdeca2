/* LaTeX output: booktabs tables of the reports, sweeps and claims of a run, ready to \input
 * into a paper whose preamble loads booktabs. Provenance is a comment at the top, so the
 * numbers in the paper can be traced to the scenario, version, overrides and seed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "report.h"
#include "tex.h"

/* Text set in LaTeX's text mode: the ten special characters escaped, line breaks and tabs
 * as spaces (the front end's escaping, grammar/tex.c). */
static void tex_text(FILE *out, const char *s) {
  tex_escape(out, s);
}

/* A number in math mode, with an exponent written as a power of ten: 1.5e-05 becomes
 * $1.5\times10^{-5}$. NaN (a failed draw) is NA, as in the other formats. */
static void tex_number(FILE *out, double v) {
  if (isnan(v)) {
    fputs("NA", out);
    return;
  }
  if (isinf(v)) {
    fputs(v > 0 ? "$\\infty$" : "$-\\infty$", out);
    return;
  }
  char b[64];
  snprintf(b, sizeof b, "%.10g", v);
  char *e = strchr(b, 'e');
  if (!e) {
    fprintf(out, "$%s$", b);
    return;
  }
  *e = '\0';
  int exponent = atoi(e + 1);
  if (!strcmp(b, "1"))
    fprintf(out, "$10^{%d}$", exponent);
  else if (!strcmp(b, "-1"))
    fprintf(out, "$-10^{%d}$", exponent);
  else
    fprintf(out, "$%s\\times10^{%d}$", b, exponent);
}

static void tex_value(FILE *out, const Value *v) {
  if (v->type == T_BOOL)
    fputs(v->num ? "true" : "false", out);
  else if (v->type == T_STR)
    tex_text(out, v->str);
  else
    tex_number(out, v->num);
}

static void tex_unit(FILE *out, Dim d) {
  char u[64];
  dim_format(d, u, sizeof u);
  tex_text(out, u);
}

/* \label keys may hold letters, digits and a few punctuation marks: anything else becomes '-'. */
static void tex_label(FILE *out, const char *name) {
  fputs("\\label{tab:edsl-", out);
  for (; *name; name++)
    fputc(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", *name) ? *name
                                                                                            : '-',
          out);
  fputs("}\n", out);
}

static void table_open(FILE *out, const char *caption, const char *name, const char *cols) {
  fputs("\n\\begin{table}[htbp]\n\\centering\n\\caption{", out);
  tex_text(out, caption);
  fputs("}\n", out);
  tex_label(out, name);
  fprintf(out, "\\begin{tabular}{%s}\n\\toprule\n", cols);
}

static void table_close(FILE *out) {
  fputs("\\bottomrule\n\\end{tabular}\n\\end{table}\n", out);
}

static void scalars(FILE *out, const Results *res) {
  int any = 0;
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (r->is_table || r->not_in_latex)
      continue;
    if (!any++) {
      table_open(out, "Reports", "reports", "lrl");
      fputs("Quantity & Value & Unit \\\\\n\\midrule\n", out);
    }
    tex_text(out, r->name);
    fputs(" & ", out);
    tex_value(out, &r->v);
    fputs(" & ", out);
    tex_unit(out, r->v.dim);
    fputs(" \\\\\n", out);
  }
  if (any)
    table_close(out);
}

/* ---- tables set for a paper: decimal-aligned columns (dcolumn), digits, labels, units ---- */

static const TexStyle default_style = {NULL, NULL, NULL, 4, -1, 1, 345, NULL, NULL, NULL, {0}};

/* A cell's text in a D column (math mode, split at the point): the style's digits, an
 * exponent as \times10^{e}; NA and infinities centred as text. */
static void cell_text(char *buf, size_t n, double v, const TexStyle *st, int integer) {
  if (isnan(v)) {
    snprintf(buf, n, "\\multicolumn{1}{c}{NA}");
    return;
  }
  if (isinf(v)) {
    snprintf(buf, n, "\\multicolumn{1}{c}{$%s\\infty$}", v < 0 ? "-" : "");
    return;
  }
  char b[64];
  if (integer) /* a column of whole numbers (a count of firms) is set as such */
    snprintf(b, sizeof b, "%.0f", v);
  else if (st->decimals >= 0)
    snprintf(b, sizeof b, "%.*f", st->decimals, v);
  else { /* significant digits, trailing zeros kept: 3.00 beside 0.630 */
    snprintf(b, sizeof b, "%#.*g", st->digits, v);
    size_t l = strlen(b);
    if (l && b[l - 1] == '.')
      b[l - 1] = '\0';
  }
  char *e = strchr(b, 'e');
  if (!e) {
    snprintf(buf, n, "%s", b);
    return;
  }
  *e = '\0';
  snprintf(buf, n, "%s\\times10^{%d}", b, atoi(e + 1));
}

/* Whether column j holds whole numbers only (NA aside), set without a point. */
static int integer_column(const Result *r, int j) {
  int any = 0;
  for (int k = 0; k < r->nrows; k++) {
    double v = r->cells[(size_t)k * r->ncols + j];
    if (isnan(v))
      continue;
    if (!isfinite(v) || v != floor(v) || fabs(v) >= 1e15)
      return 0;
    any = 1;
  }
  return any;
}

/* The width of a text when set at 10 pt, in pt (Computer Modern: digits 5 pt, a point 2.8,
 * a space 3.3, a minus 7.8, letters about 5): a command is one glyph; braces, $, ^ and _ take
 * no room; so "$T^*_N$" is about 15 pt. An estimate: the table's total is taken 4 % wider. */
static double text_pt(const char *s) {
  double w = 0;
  if (!strncmp(s, "\\multicolumn{1}{c}{", 19))
    s += 19;
  for (; *s; s++) {
    if (*s == '\\') {
      while (s[1] && ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z')))
        s++;
      w += 7.8; /* \times, \infty, \alpha */
      continue;
    }
    if (strchr("${}^_", *s))
      continue;
    w += *s == '.' || *s == ',' ? 2.8 : *s == ' ' ? 3.3 : *s == '-' ? 7.8 : 5;
  }
  return w;
}

/* Digits before and after the point of a cell's text, for D{.}{.}{a.b}; -1 when exponent or
 * text (the column then centres the point). */
static void cell_digits(const char *t, int *before, int *after) {
  if (strchr(t, '\\')) {
    *before = *after = -1;
    return;
  }
  const char *dot = strchr(t, '.');
  *before = dot ? (int)(dot - t) : (int)strlen(t);
  *after = dot ? (int)strlen(dot + 1) : 0;
}

/* A header cell: the style's LaTeX label as written, else the name escaped. */
static void head_cell(FILE *out, const char *label, const char *name) {
  fputs("\\multicolumn{1}{c}{", out);
  if (label)
    fputs(label, out);
  else
    tex_text(out, name);
  fputc('}', out);
}

/* The table's estimated width in pt: each column's widest cell, 12 pt between columns. */
static double table_width(const Result *r, const TexStyle *st, int label_col) {
  double w = 0;
  char t[160], u[64];
  for (int j = -label_col; j < r->ncols; j++) {
    double m = 0;
    if (j < 0) {
      for (int k = 0; k < r->nrows; k++) {
        dim_format(st->row_dims[k], u, sizeof u);
        double l = text_pt(st->row_labels[k]) + (st->units && u[0] ? text_pt(u) + 10 : 0);
        m = l > m ? l : m;
      }
    } else {
      const char *h = st->col_labels && st->col_labels[j] ? st->col_labels[j] : r->cols[j];
      m = text_pt(h);
      int whole = integer_column(r, j);
      for (int k = 0; k < r->nrows; k++) {
        cell_text(t, sizeof t, r->cells[(size_t)k * r->ncols + j], st, whole);
        double l = text_pt(t);
        m = l > m ? l : m;
      }
    }
    w += m + 12;
  }
  return 1.04 * (w - 12); /* @{} at both ends */
}

double report_latex_width(const Result *r) {
  const TexStyle *st = r->tex ? r->tex : &default_style;
  return table_width(r, st, st->row_labels != NULL);
}

static void set_table(FILE *out, const Result *r) {
  const TexStyle *st = r->tex ? r->tex : &default_style;
  int rows = st->row_labels != NULL; /* a comparison: a column of row labels first */
  char t[160];
  /* the column specification: each column's digits before and after the point */
  fputs("\n\\begin{table}[htbp]\n\\centering\n\\caption{", out);
  if (r->tex)
    fputs(st->caption, out); /* LaTeX as written */
  else
    tex_text(out, r->name);
  fputs("}\n", out);
  if (r->tex) {
    fputs("\\label{", out);
    for (const char *p = st->label; *p; p++)
      fputc(strchr("{}\\%#", *p) ? '-' : *p, out);
    fputs("}\n", out);
  } else
    tex_label(out, r->name);
  fputs("\\begin{tabular}{@{}", out);
  if (rows)
    fputc('l', out);
  for (int j = 0; j < r->ncols; j++) {
    int a = 0, b = 0, any = 1, whole = integer_column(r, j);
    for (int k = 0; k < r->nrows && any; k++) {
      int x, y;
      cell_text(t, sizeof t, r->cells[(size_t)k * r->ncols + j], st, whole);
      cell_digits(t, &x, &y);
      if (x < 0 && !isnan(r->cells[(size_t)k * r->ncols + j]))
        any = 0;
      a = x > a ? x : a;
      b = y > b ? y : b;
    }
    if (any)
      fprintf(out, "D{.}{.}{%d.%d}", a, b);
    else
      fputs("D{.}{.}{-1}", out);
  }
  fputs("@{}}\n\\toprule\n", out);
  for (int j = 0; j < r->ncols; j++) {
    if (j || rows)
      fputs(" & ", out);
    head_cell(out, st->col_labels ? st->col_labels[j] : NULL, r->cols[j]);
  }
  fputs(" \\\\\n", out);
  int any_unit = 0;
  char u[64];
  for (int j = 0; j < r->ncols && st->units && !rows; j++) {
    dim_format(r->dims[j], u, sizeof u);
    any_unit |= u[0] != '\0';
  }
  if (any_unit) {
    for (int j = 0; j < r->ncols; j++) {
      dim_format(r->dims[j], u, sizeof u);
      if (j)
        fputs(" & ", out);
      fputs("\\multicolumn{1}{c}{", out);
      if (u[0]) {
        fputc('(', out);
        tex_text(out, u);
        fputc(')', out);
      }
      fputc('}', out);
    }
    fputs(" \\\\\n", out);
  }
  fputs("\\midrule\n", out);
  for (int k = 0; k < r->nrows; k++) {
    if (rows) {
      fputs(st->row_labels[k], out);
      dim_format(st->row_dims[k], u, sizeof u);
      if (st->units && u[0]) {
        fputs(" (", out);
        tex_text(out, u);
        fputc(')', out);
      }
    }
    for (int j = 0; j < r->ncols; j++) {
      if (j || rows)
        fputs(" & ", out);
      cell_text(t, sizeof t, r->cells[(size_t)k * r->ncols + j], st, integer_column(r, j));
      fputs(t, out);
    }
    fputs(" \\\\\n", out);
  }
  table_close(out);
}

static void one_table(FILE *out, const Result *r, int apart) {
  if (r->is_plot) {
    char line[600];
    report_plot_line(line, sizeof line, r, apart);
    fprintf(out, "\n%% plot %s: %s\n", r->name, line);
    return;
  }
  if (r->is_sample || (apart && r->file && !r->tex) || !r->cells) {
    /* The rows are data in their own file (or draws): the fragment says where, as a comment,
     * and stays compilable. */
    fprintf(out, "\n%% %s %s: %ld %s", r->is_sample ? "sample" : "table", r->name, r->total_rows,
            r->is_sample ? "draws" : "rows");
    if (r->file && apart)
      fprintf(out, " in %s", r->file);
    fputc('\n', out);
    return;
  }
  set_table(out, r);
  double w = report_latex_width(r);
  if (!r->tex && w > default_style.width)
    fprintf(stderr,
            "edsl: warning: the LaTeX table of '%s' is about %.0f pt wide, more than an "
            "article's \\textwidth (345 pt); set it with a latex block (fewer digits, shorter "
            "column labels)\n",
            r->name, w);
}

static void claims(FILE *out, const Results *res) {
  if (res->claims_skipped)
    fprintf(out, "\n%% claims: %d not checked in a sharded run\n", res->claims_skipped);
  if (res->plots_skipped)
    fprintf(out, "\n%% plots: %d not drawn in a sharded run\n", res->plots_skipped);
  if (!res->nclaims)
    return;
  table_open(out, "Claims: printed numbers and edsl's values", "claims", "llrrr");
  fputs("Claim & Verdict & Paper & edsl & Tolerance \\\\\n\\midrule\n", out);
  for (int i = 0; i < res->nclaims; i++) {
    const ClaimResult *c = &res->claims[i];
    ClaimText t;
    claim_text(c, &t);
    const char *cells[] = {c->name, claim_verdict_name(c->verdict), t.paper, t.value, t.tolerance};
    for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
      if (k)
        fputs(" & ", out);
      tex_text(out, cells[k]);
    }
    fputs(" \\\\\n", out);
  }
  table_close(out);
}

int report_write_latex(FILE *out, const Provenance *pv, const Results *res, int apart) {
  report_provenance_lines(out, pv, "% ");
  fputs("% booktabs tables with decimal-aligned columns: \\usepackage{booktabs,dcolumn} in the "
        "preamble, then \\input this file\n",
        out);
  scalars(out, res);
  for (int i = 0; i < res->n; i++)
    if (res->items[i].is_table)
      one_table(out, &res->items[i], apart);
  claims(out, res);
  return 0;
}
