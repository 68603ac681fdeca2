#include "report.h"

#include "numtext.h"
#include "plot_spec.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims.h"
#include "version.h"

/* A number as text: digits significant digits, or with digits = 0 the shortest text that
 * reads back as the same double (at most 17 digits: a 15-digit text always reads back to its
 * digits, so the first of 15, 16, 17 that round-trips is the shortest). NaN is only ever a
 * failed point of a sweep or sample (every other NaN is an error): NA, as R writes a missing
 * value. */
static size_t fmt_num(char *buf, size_t n, double v, int digits) {
  int l;
  if (isnan(v))
    l = snprintf(buf, n, "NA");
  else if (isinf(v))
    l = snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
  else if (digits)
    l = snprintf(buf, n, "%.*g", digits, v);
  else
    l = numtext_shortest(v, buf, n);
  return l < 0 ? 0 : (size_t)l < n ? (size_t)l : n - 1;
}

/* The text table's digits (--digits), else 10: readable; CSV and JSON carry every digit. */
static int table_digits(const Provenance *pv) {
  return pv->digits ? pv->digits : REPORT_TABLE_DIGITS;
}

static const char *format_names[] = {"table", "csv", "json", "latex"};

const char *report_format_name(Format fmt) {
  return format_names[fmt];
}

int report_format_parse(const char *name, Format *fmt) {
  for (int f = FMT_TABLE; f <= FMT_LATEX; f++)
    if (!strcmp(format_names[f], name)) {
      *fmt = (Format)f;
      return 0;
    }
  return -1;
}

const char *report_extension(Format fmt) {
  static const char *ext[] = {".txt", ".csv", ".json", ".tex"};
  return ext[fmt];
}

static const char *unit_of(Dim d, char *buf) {
  dim_format(d, buf, 64);
  return buf;
}

void report_scalar_text(const Value *v, char *buf, size_t n, int digits) {
  if (v->type == T_BOOL)
    snprintf(buf, n, "%s", v->num ? "true" : "false");
  else if (v->type == T_STR)
    snprintf(buf, n, "%s", v->str);
  else
    fmt_num(buf, n, v->num, digits);
}

void report_csv_field(FILE *out, const char *s) {
  if (strpbrk(s, ",\"\n")) {
    fputc('"', out);
    for (; *s; s++) {
      if (*s == '"')
        fputc('"', out);
      fputc(*s, out);
    }
    fputc('"', out);
  } else
    fputs(s, out);
}

/* The header row: the columns' names, with their units when not plain (a file of its own
 * has plain names, the units in its provenance file). */
static void csv_header(FILE *out, const Result *r, int plain) {
  char u[64];
  for (int j = 0; j < r->ncols; j++) {
    if (j)
      fputc(',', out);
    unit_of(r->dims[j], u);
    char col[256];
    snprintf(col, sizeof col, u[0] && !plain ? "%s (%s)" : "%s", r->cols[j], u);
    report_csv_field(out, col);
  }
  fputc('\n', out);
}

/* One CSV row; the same bytes whether a sweep streams or is written whole. */
static size_t csv_format_row(int ncols, const double *row, char *buf, size_t cap) {
  size_t l = 0;
  for (int j = 0; j < ncols && l + 1 < cap; j++) {
    if (j)
      buf[l++] = ',';
    l += fmt_num(buf + l, cap - l, row[j], 0);
  }
  if (l + 1 < cap)
    buf[l++] = '\n';
  return l < cap ? l : cap;
}

static void csv_rows(FILE *out, int ncols, const double *cells, long nrows) {
  size_t cap = (size_t)ncols * SWEEP_CELL_TEXT + 2;
  char *buf = malloc(cap);
  for (long i = 0; i < nrows; i++)
    fwrite(buf, 1, csv_format_row(ncols, cells + (size_t)i * ncols, buf, cap), out);
  free(buf);
}

static void csv_table(FILE *out, const Result *r, int plain) {
  csv_header(out, r, plain);
  csv_rows(out, r->ncols, r->cells, r->nrows);
}

int report_write_table_csv(FILE *out, const Result *r) {
  csv_table(out, r, 1);
  return 0;
}

/* A file's entry in the provenance: its result, columns and their units, rows. */
static json_t *file_entry(const char *file, const Result *r) {
  json_t *o = json_object(), *cols = json_array(), *units = json_array();
  char u[64];
  json_object_set_new(o, "file", json_string(file));
  json_object_set_new(o, "result", json_string(r ? r->name : ""));
  if (r && r->is_table) {
    for (int j = 0; j < r->ncols; j++) {
      json_array_append_new(cols, json_string(r->cols[j]));
      json_array_append_new(units, json_string(unit_of(r->dims[j], u)));
    }
    json_object_set_new(o, "rows", json_integer((json_int_t)r->total_rows));
  }
  json_object_set_new(o, "columns", cols);
  json_object_set_new(o, "units", units);
  return o;
}

int report_write_provenance(FILE *out, const Provenance *pv, const Results *res,
                            const char *const *files, const char *main_file, int csv) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "format_version", json_integer(REPORT_FORMAT_VERSION));
  json_object_set_new(root, "provenance", report_provenance_json(pv));
  json_t *m = json_object(); /* the main output: every result, or (CSV) those of one value */
  json_object_set_new(m, "file", json_string(main_file));
  json_object_set_new(m, "result", json_null());
  json_object_set_new(m, "columns",
                      csv ? json_pack("[sss]", "name", "value", "unit") : json_array());
  json_object_set_new(m, "units", json_array());
  json_array_append_new(list, m);
  for (int i = 0; i < res->n; i++)
    if (files[i])
      json_array_append_new(list, file_entry(files[i], &res->items[i]));
  json_object_set_new(root, "files", list);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  fputc('\n', out);
  json_decref(root);
  return rc;
}

/* A table kept in its own file (a sweep's `to` file under --out) is named, not repeated. */
static int in_own_file(const Result *r, int tables_in_files) {
  return (tables_in_files && r->is_table && r->file && !r->is_plot) || r->is_sample;
}

/* A sample's draws are data for its file, not for the screen: the output says how many there
 * are and where they went. */
static void sample_line(char *buf, size_t n, const Result *r, int apart) {
  int l = snprintf(buf, n, "%ld draws", r->total_rows);
  if (r->failed)
    l += snprintf(buf + l, n - (size_t)l, " (%ld failed)", r->failed);
  if (r->file && apart)
    snprintf(buf + l, n - (size_t)l, " in %s", r->file);
  else if (r->file)
    snprintf(buf + l, n - (size_t)l, "; run with --out DIR to write them to %s", r->file);
  else
    snprintf(buf + l, n - (size_t)l, "; give the sample a file (to \"%s.csv\") to keep them",
             r->name);
}

static void write_table_fmt(FILE *out, const Provenance *pv, const Results *res, int apart) {
  report_provenance_comment(out, pv);
  int w = 4;
  for (int i = 0; i < res->n; i++)
    if (!res->items[i].is_table && (int)strlen(res->items[i].name) > w)
      w = (int)strlen(res->items[i].name);
  char b[128], u[64];
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (r->latex_only)
      continue;
    if (!r->is_table) {
      report_scalar_text(&r->v, b, sizeof b, table_digits(pv));
      unit_of(r->v.dim, u);
      fprintf(out, "%-*s  %s%s%s\n", w, r->name, b, u[0] ? " " : "", u);
      continue;
    }
    fprintf(out, "\n%s\n", r->name);
    if (r->is_sample || r->is_plot) {
      char line[600];
      if (r->is_plot)
        report_plot_line(line, sizeof line, r, apart);
      else
        sample_line(line, sizeof line, r, apart);
      fprintf(out, "%s\n", line);
      continue;
    }
    if (r->failed && !r->is_sample)
      fprintf(out, "%ld of %ld points failed (NA)\n", r->failed, r->total_rows);
    if (in_own_file(r, apart)) {
      fprintf(out, "%ld rows in %s\n", r->total_rows, r->file);
      continue;
    }
    int *cw = calloc((size_t)r->ncols, sizeof *cw);
    char **head = calloc((size_t)r->ncols, sizeof *head);
    for (int j = 0; j < r->ncols; j++) {
      unit_of(r->dims[j], u);
      head[j] = malloc(strlen(r->cols[j]) + strlen(u) + 4);
      sprintf(head[j], u[0] ? "%s (%s)" : "%s", r->cols[j], u);
      cw[j] = (int)strlen(head[j]);
      for (int k = 0; k < r->nrows; k++) {
        fmt_num(b, sizeof b, r->cells[(size_t)k * r->ncols + j], table_digits(pv));
        if ((int)strlen(b) > cw[j])
          cw[j] = (int)strlen(b);
      }
    }
    for (int j = 0; j < r->ncols; j++)
      fprintf(out, j + 1 < r->ncols ? "%-*s  " : "%-*s\n", j + 1 < r->ncols ? cw[j] : 0, head[j]);
    for (int k = 0; k < r->nrows; k++)
      for (int j = 0; j < r->ncols; j++) {
        fmt_num(b, sizeof b, r->cells[(size_t)k * r->ncols + j], table_digits(pv));
        fprintf(out, j + 1 < r->ncols ? "%*s  " : "%*s\n", cw[j], b);
      }
    for (int j = 0; j < r->ncols; j++)
      free(head[j]);
    free(head);
    free(cw);
  }
}

static void claims_table(FILE *out, const Results *res) {
  if (res->plots_skipped)
    fprintf(out, "\nplots: %d not drawn in a sharded run (run the scenario unsharded)\n",
            res->plots_skipped);
  if (res->claims_skipped)
    fprintf(out, "\nclaims: %d not checked in a sharded run (run the scenario unsharded)\n",
            res->claims_skipped);
  if (!res->nclaims)
    return;
  int w = 4;
  for (int i = 0; i < res->nclaims; i++)
    if ((int)strlen(res->claims[i].name) > w)
      w = (int)strlen(res->claims[i].name);
  fprintf(out, "\nclaims\n");
  for (int i = 0; i < res->nclaims; i++) {
    const ClaimResult *c = &res->claims[i];
    ClaimText t;
    claim_text(c, &t);
    fprintf(out, "%-*s  %s: paper %s, edsl %s, tolerance %s\n", w, c->name,
            claim_verdict_name(c->verdict), t.paper, t.value, t.tolerance);
    fprintf(out, "%-*s  source: %s\n", w, "", c->source);
    if (c->calibrated)
      fprintf(out, "%-*s  calibrated: %s\n", w, "", c->calibrated);
    if (c->note)
      fprintf(out, "%-*s  note: %s\n", w, "", c->note);
    if (c->reason)
      fprintf(out, "%-*s  reason: %s\n", w, "", c->reason);
    if (c->fix)
      fprintf(out, "%-*s  fix: %s\n", w, "", c->fix);
    if (c->error)
      fprintf(out, "%-*s  edsl: %s\n", w, "", c->error);
  }
}

/* The claims as CSV; plain: a file of their own (no comment lines). */
static void claims_csv(FILE *out, const Results *res, int plain) {
  if (!res->nclaims)
    return;
  if (!plain)
    fputs("\n# claims\n", out);
  fputs("name,verdict,paper,edsl,tolerance,source,calibrated,note,reason,fix,error\n", out);
  for (int i = 0; i < res->nclaims; i++) {
    const ClaimResult *c = &res->claims[i];
    ClaimText t;
    claim_text(c, &t);
    const char *cells[] = {c->name,
                           claim_verdict_name(c->verdict),
                           t.paper,
                           t.value,
                           t.tolerance,
                           c->source,
                           c->calibrated ? c->calibrated : "",
                           c->note ? c->note : "",
                           c->reason ? c->reason : "",
                           c->fix ? c->fix : "",
                           c->error ? c->error : ""};
    for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
      if (k)
        fputc(',', out);
      report_csv_field(out, cells[k]);
    }
    fputc('\n', out);
  }
  if (plain)
    return;
  if (res->claims_skipped)
    fprintf(out, "# claims: %d not checked in a sharded run\n", res->claims_skipped);
  if (res->plots_skipped)
    fprintf(out, "# plots: %d not drawn in a sharded run\n", res->plots_skipped);
}

static json_t *jnum(double v) {
  if (isnan(v))
    return json_null(); /* a failed draw */
  if (!isfinite(v))
    return json_string(isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
  return json_real(v);
}

static json_t *jvalues(const double *x, int n, int is_list) {
  if (!x)
    return json_null();
  if (!is_list)
    return jnum(x[0]);
  json_t *a = json_array();
  for (int i = 0; i < n; i++)
    json_array_append_new(a, jnum(x[i]));
  return a;
}

static json_t *jtext(const char *s) {
  return s ? json_string(s) : json_null();
}

/* The claims as a JSON object, name -> {verdict, paper, value, unit, ...}. */
json_t *report_claims_json(const Results *res) {
  json_t *o = json_object();
  char u[64];
  for (int i = 0; i < res->nclaims; i++) {
    const ClaimResult *c = &res->claims[i];
    json_t *j = json_object();
    json_object_set_new(j, "verdict", json_string(claim_verdict_name(c->verdict)));
    json_object_set_new(j, "source", jtext(c->source));
    json_object_set_new(j, "paper", jvalues(c->paper, c->npaper, c->paper_is_list));
    json_object_set_new(j, "value", jvalues(c->value, c->nvalue, c->value_is_list));
    json_object_set_new(j, "unit", json_string(unit_of(c->dim, u)));
    json_object_set_new(j, c->rel ? "rel_tolerance" : "tolerance",
                        c->has_tolerance ? json_real(c->tolerance) : json_null());
    json_object_set_new(j, "calibrated", jtext(c->calibrated));
    json_object_set_new(j, "note", jtext(c->note));
    json_object_set_new(j, "reason", jtext(c->reason));
    json_object_set_new(j, "fix", jtext(c->fix));
    json_object_set_new(j, "error", jtext(c->error));
    json_object_set_new(o, c->name, j);
  }
  return o;
}

/* The results that are one value each: name, value, unit. */
static void csv_scalars(FILE *out, const Results *res, int header) {
  char b[128], u[64];
  int any = 0;
  for (int i = 0; i < res->n; i++)
    if (!res->items[i].is_table && !res->items[i].latex_only) {
      if (!any++ || header)
        fputs("name,value,unit\n", out);
      header = 0;
      const Result *r = &res->items[i];
      report_scalar_text(&r->v, b, sizeof b, 0);
      report_csv_field(out, r->name);
      fputc(',', out);
      report_csv_field(out, b);
      fputc(',', out);
      report_csv_field(out, unit_of(r->v.dim, u));
      fputc('\n', out);
    }
  if (header) /* a file of its own has its header even when it has no rows */
    fputs("name,value,unit\n", out);
}

int report_write_scalars_csv(FILE *out, const Results *res) {
  csv_scalars(out, res, 1);
  return 0;
}

int report_write_claims_csv(FILE *out, const Results *res) {
  claims_csv(out, res, 1);
  return 0;
}

static void write_csv_fmt(FILE *out, const Provenance *pv, const Results *res, int apart) {
  report_provenance_comment(out, pv);
  csv_scalars(out, res, 0);
  for (int i = 0; i < res->n; i++)
    if (res->items[i].is_table && !res->items[i].latex_only) {
      const Result *r = &res->items[i];
      if (r->is_sample) {
        char line[600];
        sample_line(line, sizeof line, r, apart);
        fprintf(out, "\n# sample %s: %s\n", r->name, line);
      } else if (r->is_plot) {
        char line[600];
        report_plot_line(line, sizeof line, r, apart);
        fprintf(out, "\n# plot %s: %s\n", r->name, line);
        csv_table(out, r, 0);
      } else {
        fprintf(out, "\n# table %s", r->name);
        if (r->failed)
          fprintf(out, ": %ld of %ld points failed (NA)", r->failed, r->total_rows);
        if (in_own_file(r, apart))
          fprintf(out, "%s%ld rows in %s\n", r->failed ? "; " : ": ", r->total_rows, r->file);
        else {
          fputc('\n', out);
          csv_table(out, r, 0);
        }
      }
    }
}

json_t *report_provenance_json(const Provenance *pv) {
  json_t *prov = json_object(), *inputs = json_array(), *ovr = json_array();
  char h[65];
  json_object_set_new(prov, "edsl_version", json_string(EDSL_VERSION));
  json_object_set_new(prov, "edsl_revision", json_string(EDSL_REVISION));
  for (int i = 0; i < pv->prog->ninputs; i++) {
    json_t *in = json_object();
    report_sha256_hex(pv->prog->inputs[i].sha256, h);
    json_object_set_new(in, "path", json_string(pv->prog->inputs[i].path));
    json_object_set_new(in, "sha256", json_string(h));
    json_array_append_new(inputs, in);
  }
  json_object_set_new(prov, "inputs", inputs);
  for (int i = 0; i < pv->noverrides; i++)
    json_array_append_new(ovr, json_string(pv->overrides[i]));
  json_object_set_new(prov, "overrides", ovr);
  json_object_set_new(prov, "seed", json_integer((json_int_t)pv->seed));
  return prov;
}

static int write_json_fmt(FILE *out, const Provenance *pv, const Results *res, int apart) {
  json_t *root = json_object(), *prov = report_provenance_json(pv), *results = json_object();
  char u[64];
  json_object_set_new(root, "format_version", json_integer(REPORT_FORMAT_VERSION));
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (r->latex_only) /* its values are results of their own */
      continue;
    json_t *o = json_object();
    if (!r->is_table) {
      if (r->v.type == T_BOOL)
        json_object_set_new(o, "value", json_boolean(r->v.num != 0));
      else if (r->v.type == T_STR)
        json_object_set_new(o, "value", json_string(r->v.str));
      else
        json_object_set_new(o, "value", jnum(r->v.num));
      json_object_set_new(o, "unit", json_string(unit_of(r->v.dim, u)));
    } else {
      json_t *cols = json_array(), *units = json_array(), *rows = json_array();
      for (int j = 0; j < r->ncols; j++) {
        json_array_append_new(cols, json_string(r->cols[j]));
        json_array_append_new(units, json_string(unit_of(r->dims[j], u)));
      }
      for (int k = 0; k < r->nrows && !in_own_file(r, apart); k++) {
        json_t *row = json_array();
        for (int j = 0; j < r->ncols; j++)
          json_array_append_new(row, jnum(r->cells[(size_t)k * r->ncols + j]));
        json_array_append_new(rows, row);
      }
      json_object_set_new(o, "columns", cols);
      json_object_set_new(o, "units", units);
      if (r->is_plot) {
        json_t *files = json_array();
        char b[600];
        for (int k = 0; k < PLOT_NFORMATS; k++)
          if (r->formats & (1u << k)) {
            snprintf(b, sizeof b, "%s.%s", r->file, plot_format_ext(k));
            json_array_append_new(files, json_string(b));
          }
        json_object_set_new(o, "plot", files);
        json_object_set_new(o, "drawn", json_boolean(apart));
        json_object_set_new(o, "rows", rows);
      } else if (r->is_sample) {
        json_decref(rows);
        json_object_set_new(o, "file", r->file && apart ? json_string(r->file) : json_null());
        json_object_set_new(o, "draws", json_integer((json_int_t)r->total_rows));
        json_object_set_new(o, "failed", json_integer((json_int_t)r->failed));
      } else if (in_own_file(r, apart)) {
        json_decref(rows);
        json_object_set_new(o, "file", json_string(r->file));
        json_object_set_new(o, "nrows", json_integer((json_int_t)r->total_rows));
        json_object_set_new(o, "failed", json_integer((json_int_t)r->failed));
      } else {
        json_object_set_new(o, "rows", rows);
        if (r->is_sweep)
          json_object_set_new(o, "failed", json_integer((json_int_t)r->failed));
      }
    }
    json_object_set_new(results, r->name, o);
  }
  json_object_set_new(root, "provenance", prov);
  json_object_set_new(root, "results", results);
  if (res->nclaims)
    json_object_set_new(root, "claims", report_claims_json(res));
  if (res->claims_skipped)
    json_object_set_new(root, "claims_not_checked", json_integer(res->claims_skipped));
  if (res->plots_skipped)
    json_object_set_new(root, "plots_not_drawn", json_integer(res->plots_skipped));
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
  fputc('\n', out);
  json_decref(root);
  return rc;
}

int report_write(FILE *out, Format fmt, const Provenance *pv, const Results *res,
                 int tables_in_files) {
  switch (fmt) {
  case FMT_TABLE:
    write_table_fmt(out, pv, res, tables_in_files);
    claims_table(out, res);
    return 0;
  case FMT_CSV:
    write_csv_fmt(out, pv, res, tables_in_files);
    claims_csv(out, res, 0);
    return 0;
  case FMT_JSON:
    return write_json_fmt(out, pv, res, tables_in_files);
  case FMT_LATEX:
    return report_write_latex(out, pv, res, tables_in_files);
  }
  return -1;
}

/* ---- streaming sweep files ------------------------------------------------------------- */

static void *sink_open(void *ctx, const Result *r, char *err, size_t errlen) {
  const SweepFileSink *fs = ctx;
  char *path = malloc(strlen(fs->dir) + strlen(r->file) + 2);
  sprintf(path, "%s/%s", fs->dir, r->file);
  AtomicFile *a = atomic_open(path, err, errlen);
  free(path);
  if (!a)
    return NULL;
  csv_header(atomic_stream(a), r, 1);
  return a;
}

static int sink_write(void *handle, const char *text, size_t len) {
  AtomicFile *a = handle;
  return fwrite(text, 1, len, atomic_stream(a)) == len ? 0 : -1;
}

static int sink_close(void *handle, int commit, char *err, size_t errlen) {
  return atomic_close(handle, commit, err, errlen);
}

SweepSink sweep_file_sink(SweepFileSink *fs) {
  SweepSink s = {fs, sink_open, csv_format_row, sink_write, sink_close};
  return s;
}
