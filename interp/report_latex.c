/* LaTeX output: booktabs tables of the reports, sweeps and claims of a run, ready to \input
 * into a paper whose preamble loads booktabs. Provenance is a comment at the top, so the
 * numbers in the paper can be traced to the scenario, version, overrides and seed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "report.h"

/* Text set in LaTeX's text mode: the ten special characters escaped, line breaks and tabs
 * as spaces. */
static void tex_text(FILE *out, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '&':
    case '%':
    case '$':
    case '#':
    case '_':
    case '{':
    case '}':
      fputc('\\', out);
      fputc(*s, out);
      break;
    case '~':
      fputs("\\textasciitilde{}", out);
      break;
    case '^':
      fputs("\\textasciicircum{}", out);
      break;
    case '\\':
      fputs("\\textbackslash{}", out);
      break;
    case '\n': /* a blank line would end the paragraph inside a table: LaTeX stops */
    case '\t':
    case '\r':
      fputc(' ', out);
      break;
    default:
      fputc(*s, out);
    }
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
    if (r->is_table)
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

static void one_table(FILE *out, const Result *r, int apart) {
  if (r->is_plot) {
    char line[600];
    report_plot_line(line, sizeof line, r, apart);
    fprintf(out, "\n%% plot %s: %s\n", r->name, line);
    return;
  }
  if (r->is_sample || (apart && r->file)) {
    /* The rows are data in their own file (or draws): the fragment says where, as a comment,
     * and stays compilable. */
    fprintf(out, "\n%% %s %s: %ld %s", r->is_sample ? "sample" : "table", r->name, r->total_rows,
            r->is_sample ? "draws" : "rows");
    if (r->file && apart)
      fprintf(out, " in %s", r->file);
    fputc('\n', out);
    return;
  }
  char *spec = malloc((size_t)r->ncols + 1);
  for (int j = 0; j < r->ncols; j++)
    spec[j] = 'r';
  spec[r->ncols] = '\0';
  table_open(out, r->name, r->name, spec);
  free(spec);
  for (int j = 0; j < r->ncols; j++) {
    if (j)
      fputs(" & ", out);
    tex_text(out, r->cols[j]);
  }
  fputs(" \\\\\n", out);
  int any_unit = 0;
  for (int j = 0; j < r->ncols; j++) {
    char u[64];
    dim_format(r->dims[j], u, sizeof u);
    any_unit |= u[0] != '\0';
  }
  if (any_unit) {
    for (int j = 0; j < r->ncols; j++) {
      char u[64];
      dim_format(r->dims[j], u, sizeof u);
      if (j)
        fputs(" & ", out);
      if (u[0]) {
        fputc('(', out);
        tex_text(out, u);
        fputc(')', out);
      }
    }
    fputs(" \\\\\n", out);
  }
  fputs("\\midrule\n", out);
  for (int k = 0; k < r->nrows; k++) {
    for (int j = 0; j < r->ncols; j++) {
      if (j)
        fputs(" & ", out);
      tex_number(out, r->cells[(size_t)k * r->ncols + j]);
    }
    fputs(" \\\\\n", out);
  }
  table_close(out);
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
  fputs("% booktabs tables: \\usepackage{booktabs} in the preamble, then \\input this file\n", out);
  scalars(out, res);
  for (int i = 0; i < res->n; i++)
    if (res->items[i].is_table)
      one_table(out, &res->items[i], apart);
  claims(out, res);
  return 0;
}
