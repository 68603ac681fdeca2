#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "version.h"

static void fmt_num(char *buf, size_t n, double v) {
  if (isinf(v))
    snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
  else
    snprintf(buf, n, "%.10g", v);
}

static void hex(const unsigned char *h, char *out) {
  for (int i = 0; i < 32; i++)
    sprintf(out + 2 * i, "%02x", h[i]);
}

static void prov_comment(FILE *out, const Provenance *pv) {
  char h[65];
  fprintf(out, "# edsl %s\n", EDSL_VERSION);
  for (int i = 0; i < pv->prog->ninputs; i++) {
    hex(pv->prog->inputs[i].sha256, h);
    fprintf(out, "# input %s sha256:%s\n", pv->prog->inputs[i].path, h);
  }
  fprintf(out, "# seed %lu\n", pv->seed);
  for (int i = 0; i < pv->noverrides; i++)
    fprintf(out, "# set %s\n", pv->overrides[i]);
}

static const char *unit_of(Dim d, char *buf) {
  dim_format(d, buf, 64);
  return buf;
}

static void scalar_text(const Value *v, char *buf, size_t n) {
  if (v->type == T_BOOL)
    snprintf(buf, n, "%s", v->num ? "true" : "false");
  else if (v->type == T_STR)
    snprintf(buf, n, "%s", v->str);
  else
    fmt_num(buf, n, v->num);
}

static void csv_field(FILE *out, const char *s) {
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

static void csv_table(FILE *out, const Result *r) {
  char u[64], b[64];
  for (int j = 0; j < r->ncols; j++) {
    if (j)
      fputc(',', out);
    unit_of(r->dims[j], u);
    char col[256];
    snprintf(col, sizeof col, u[0] ? "%s (%s)" : "%s", r->cols[j], u);
    csv_field(out, col);
  }
  fputc('\n', out);
  for (int i = 0; i < r->nrows; i++) {
    for (int j = 0; j < r->ncols; j++) {
      fmt_num(b, sizeof b, r->cells[(size_t)i * r->ncols + j]);
      fprintf(out, "%s%s", j ? "," : "", b);
    }
    fputc('\n', out);
  }
}

int report_write_table_csv(FILE *out, const Provenance *pv, const Result *r) {
  prov_comment(out, pv);
  csv_table(out, r);
  return 0;
}

static void write_table_fmt(FILE *out, const Provenance *pv, const Results *res) {
  prov_comment(out, pv);
  int w = 4;
  for (int i = 0; i < res->n; i++)
    if (!res->items[i].is_table && (int)strlen(res->items[i].name) > w)
      w = (int)strlen(res->items[i].name);
  char b[128], u[64];
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (!r->is_table) {
      scalar_text(&r->v, b, sizeof b);
      unit_of(r->v.dim, u);
      fprintf(out, "%-*s  %s%s%s\n", w, r->name, b, u[0] ? " " : "", u);
      continue;
    }
    fprintf(out, "\n%s\n", r->name);
    int *cw = calloc((size_t)r->ncols, sizeof *cw);
    char **head = calloc((size_t)r->ncols, sizeof *head);
    for (int j = 0; j < r->ncols; j++) {
      unit_of(r->dims[j], u);
      head[j] = malloc(strlen(r->cols[j]) + strlen(u) + 4);
      sprintf(head[j], u[0] ? "%s (%s)" : "%s", r->cols[j], u);
      cw[j] = (int)strlen(head[j]);
      for (int k = 0; k < r->nrows; k++) {
        fmt_num(b, sizeof b, r->cells[(size_t)k * r->ncols + j]);
        if ((int)strlen(b) > cw[j])
          cw[j] = (int)strlen(b);
      }
    }
    for (int j = 0; j < r->ncols; j++)
      fprintf(out, j + 1 < r->ncols ? "%-*s  " : "%-*s\n", j + 1 < r->ncols ? cw[j] : 0, head[j]);
    for (int k = 0; k < r->nrows; k++)
      for (int j = 0; j < r->ncols; j++) {
        fmt_num(b, sizeof b, r->cells[(size_t)k * r->ncols + j]);
        fprintf(out, j + 1 < r->ncols ? "%*s  " : "%*s\n", cw[j], b);
      }
    for (int j = 0; j < r->ncols; j++)
      free(head[j]);
    free(head);
    free(cw);
  }
}

static void write_csv_fmt(FILE *out, const Provenance *pv, const Results *res) {
  prov_comment(out, pv);
  char b[128], u[64];
  int any = 0;
  for (int i = 0; i < res->n; i++)
    if (!res->items[i].is_table) {
      if (!any++)
        fputs("name,value,unit\n", out);
      const Result *r = &res->items[i];
      scalar_text(&r->v, b, sizeof b);
      csv_field(out, r->name);
      fputc(',', out);
      csv_field(out, b);
      fputc(',', out);
      csv_field(out, unit_of(r->v.dim, u));
      fputc('\n', out);
    }
  for (int i = 0; i < res->n; i++)
    if (res->items[i].is_table) {
      fprintf(out, "\n# table %s\n", res->items[i].name);
      csv_table(out, &res->items[i]);
    }
}

static json_t *jnum(double v) {
  if (!isfinite(v))
    return json_string(isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
  return json_real(v);
}

static int write_json_fmt(FILE *out, const Provenance *pv, const Results *res) {
  json_t *root = json_object(), *prov = json_object(), *inputs = json_array(), *ovr = json_array(),
         *results = json_object();
  char h[65], u[64];
  json_object_set_new(prov, "edsl_version", json_string(EDSL_VERSION));
  for (int i = 0; i < pv->prog->ninputs; i++) {
    json_t *in = json_object();
    hex(pv->prog->inputs[i].sha256, h);
    json_object_set_new(in, "path", json_string(pv->prog->inputs[i].path));
    json_object_set_new(in, "sha256", json_string(h));
    json_array_append_new(inputs, in);
  }
  json_object_set_new(prov, "inputs", inputs);
  for (int i = 0; i < pv->noverrides; i++)
    json_array_append_new(ovr, json_string(pv->overrides[i]));
  json_object_set_new(prov, "overrides", ovr);
  json_object_set_new(prov, "seed", json_integer((json_int_t)pv->seed));
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
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
      for (int k = 0; k < r->nrows; k++) {
        json_t *row = json_array();
        for (int j = 0; j < r->ncols; j++)
          json_array_append_new(row, jnum(r->cells[(size_t)k * r->ncols + j]));
        json_array_append_new(rows, row);
      }
      json_object_set_new(o, "columns", cols);
      json_object_set_new(o, "units", units);
      json_object_set_new(o, "rows", rows);
    }
    json_object_set_new(results, r->name, o);
  }
  json_object_set_new(root, "provenance", prov);
  json_object_set_new(root, "results", results);
  int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
  fputc('\n', out);
  json_decref(root);
  return rc;
}

int report_write(FILE *out, Format fmt, const Provenance *pv, const Results *res) {
  switch (fmt) {
  case FMT_TABLE:
    write_table_fmt(out, pv, res);
    return 0;
  case FMT_CSV:
    write_csv_fmt(out, pv, res);
    return 0;
  case FMT_JSON:
    return write_json_fmt(out, pv, res);
  }
  return -1;
}

int write_atomic(const char *path, int (*fn)(FILE *, void *), void *arg, char *err, size_t errlen) {
  size_t l = strlen(path);
  char *tmp = malloc(l + 16);
  const char *slash = strrchr(path, '/');
  int dl = slash ? (int)(slash - path + 1) : 0;
  sprintf(tmp, "%.*s.%s.XXXXXX", dl, path, path + dl);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a file beside '%s': %s", path, strerror(errno));
    free(tmp);
    return -1;
  }
  FILE *f = fdopen(fd, "w");
  int rc = fn(f, arg);
  if (fflush(f) != 0 || ferror(f))
    rc = -1;
  if (fclose(f) != 0)
    rc = -1;
  if (rc == 0 && rename(tmp, path) != 0)
    rc = -1;
  if (rc != 0) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    unlink(tmp);
  }
  free(tmp);
  return rc;
}
