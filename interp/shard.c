#include "shard.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static json_t *hex_num(double v) {
  if (isnan(v))
    return json_null(); /* a failed draw of a sample */
  char b[64];
  snprintf(b, sizeof b, "%a", v);
  return json_string(b);
}

static json_t *dim_json(Dim d) {
  json_t *a = json_array();
  for (int i = 0; i < NDIM; i++)
    json_array_append_new(a, json_integer(d.e[i]));
  return a;
}

static json_t *result_json(const Result *r) {
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(r->name));
  if (r->deferred) {
    json_object_set_new(o, "deferred", json_true());
    return o;
  }
  if (!r->is_table) {
    const char *type = r->v.type == T_BOOL ? "bool" : r->v.type == T_STR ? "text" : "number";
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "value", r->v.type == T_STR ? json_string(r->v.str) : hex_num(r->v.num));
    json_object_set_new(o, "dim", dim_json(r->v.dim));
    return o;
  }
  json_t *cols = json_array(), *dims = json_array(), *rows = json_array();
  for (int j = 0; j < r->ncols; j++) {
    json_array_append_new(cols, json_string(r->cols[j]));
    json_array_append_new(dims, dim_json(r->dims[j]));
  }
  for (int k = 0; k < r->nrows; k++) {
    json_t *row = json_array();
    for (int j = 0; j < r->ncols; j++)
      json_array_append_new(row, hex_num(r->cells[(size_t)k * r->ncols + j]));
    json_array_append_new(rows, row);
  }
  json_object_set_new(o, "sweep", json_boolean(r->is_sweep));
  if (r->is_sample)
    json_object_set_new(o, "sample", json_true());
  if (r->is_sweep)
    json_object_set_new(o, "failed", json_integer((json_int_t)r->failed));
  json_object_set_new(o, "file", r->file ? json_string(r->file) : json_null());
  json_object_set_new(o, "first_row", json_integer(r->first_row));
  json_object_set_new(o, "total_rows", json_integer(r->is_sweep ? r->total_rows : r->nrows));
  json_object_set_new(o, "columns", cols);
  json_object_set_new(o, "dims", dims);
  json_object_set_new(o, "rows", rows);
  return o;
}

int shard_write(FILE *out, const ShardInfo *info, const Provenance *pv, const Results *res) {
  json_t *root = json_object(), *head = json_object(), *prov = report_provenance_json(pv),
         *results = json_array();
  json_object_set_new(head, "version", json_string(EDSL_VERSION));
  json_object_set_new(head, "revision", json_string(EDSL_REVISION));
  json_object_set_new(head, "shard", json_integer(info->k));
  json_object_set_new(head, "of", json_integer(info->n));
  json_object_set_new(head, "format", json_string(report_format_name(info->fmt)));
  json_object_set_new(head, "digits", json_integer(info->digits));
  json_object_set_new(head, "scenario", json_string(info->scenario));
  for (int i = 0; i < res->n; i++)
    if (!res->items[i].latex_only) /* LaTeX's own: an unsharded run sets it */
      json_array_append_new(results, result_json(&res->items[i]));
  json_object_set_new(root, "edsl_shard", head);
  json_object_set_new(root, "provenance", prov);
  json_object_set_new(root, "results", results);
  int rc = json_dumpf(root, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return rc;
}

/* ---- reading and merging ---------------------------------------------------------------- */

typedef struct {
  const char *path;
  char *err;
  size_t errlen;
  Arena *ar;
} Reader;

static int fail(Reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(Reader *r, const char *fmt, ...) {
  int l = snprintf(r->err, r->errlen, "%s: ", r->path);
  va_list ap;
  va_start(ap, fmt);
  if (l >= 0 && (size_t)l < r->errlen)
    vsnprintf(r->err + l, r->errlen - (size_t)l, fmt, ap);
  va_end(ap);
  return -1;
}

static const char *get_str(Reader *r, json_t *o, const char *key) {
  json_t *v = json_object_get(o, key);
  if (!json_is_string(v)) {
    fail(r, "'%s' is missing or not text: this is not an edsl shard file", key);
    return NULL;
  }
  return arena_strdup(r->ar, json_string_value(v));
}

static int get_int(Reader *r, json_t *o, const char *key, long long *out) {
  json_t *v = json_object_get(o, key);
  if (!json_is_integer(v))
    return fail(r, "'%s' is missing or not a whole number: this is not an edsl shard file", key);
  *out = json_integer_value(v);
  return 0;
}

static int parse_num(Reader *r, json_t *v, double *out) {
  const char *s = json_string_value(v);
  char *end;
  errno = 0;
  if (!s || !*s || ((*out = strtod(s, &end)), *end) || isnan(*out))
    return fail(r, "a number is not in hexadecimal form");
  if (errno == ERANGE && isinf(*out)) /* edsl writes an infinite cell as "inf" */
    return fail(r, "a number (%s) overflows a double: the file is corrupt", s);
  return 0;
}

static int parse_dim(Reader *r, json_t *v, Dim *d) {
  if (!json_is_array(v) || json_array_size(v) != NDIM)
    return fail(r, "a unit is not a list of %d exponents", NDIM);
  for (int i = 0; i < NDIM; i++) {
    json_t *e = json_array_get(v, (size_t)i);
    if (!json_is_integer(e) || json_integer_value(e) < -100 || json_integer_value(e) > 100)
      return fail(r, "a unit exponent is out of range");
    d->e[i] = (signed char)json_integer_value(e);
  }
  return 0;
}

static int parse_result(Reader *r, json_t *o, Result *x) {
  memset(x, 0, sizeof *x);
  if (!json_is_object(o) || !(x->name = get_str(r, o, "name")))
    return fail(r, "a result has no name");
  json_t *rows = json_object_get(o, "rows");
  if (json_is_true(json_object_get(o, "deferred"))) {
    x->deferred = 1;
    return 0;
  }
  if (!rows) {
    const char *type = get_str(r, o, "type");
    if (!type)
      return -1;
    if (parse_dim(r, json_object_get(o, "dim"), &x->v.dim))
      return -1;
    x->v.type = !strcmp(type, "bool") ? T_BOOL : !strcmp(type, "text") ? T_STR : T_NUM;
    if (x->v.type == T_STR)
      return (x->v.str = get_str(r, o, "value")) ? 0 : -1;
    return parse_num(r, json_object_get(o, "value"), &x->v.num);
  }
  json_t *cols = json_object_get(o, "columns"), *dims = json_object_get(o, "dims");
  long long first = 0, total = 0;
  if (!json_is_array(cols) || !json_is_array(dims) || !json_is_array(rows) ||
      json_array_size(cols) == 0 || json_array_size(cols) != json_array_size(dims) ||
      json_array_size(cols) > 100000 || get_int(r, o, "first_row", &first) ||
      get_int(r, o, "total_rows", &total))
    return fail(r, "table '%s' is malformed", x->name);
  x->is_table = 1;
  x->is_sweep = json_is_true(json_object_get(o, "sweep"));
  x->is_sample = json_is_true(json_object_get(o, "sample"));
  if (x->is_sweep) {
    long long failed = 0;
    if (get_int(r, o, "failed", &failed) || failed < 0)
      return fail(r, "sweep '%s' has no count of failed points", x->name);
    x->failed = (long)failed;
  }
  json_t *file = json_object_get(o, "file");
  x->file = json_is_string(file) ? arena_strdup(r->ar, json_string_value(file)) : NULL;
  /* the merge writes this file into --out: the same plain-name rule as in a scenario */
  if (x->file && (!*x->file || strchr(x->file, '/') || x->file[0] == '.'))
    return fail(r, "table '%s' names the file '%s', which is not a plain file name", x->name,
                x->file);
  x->first_row = (long)first;
  x->total_rows = (long)total;
  x->ncols = (int)json_array_size(cols);
  x->nrows = (int)json_array_size(rows);
  if (first < 0 || total < 0 || first + x->nrows > total)
    return fail(r, "table '%s' has rows outside its range", x->name);
  x->cols = malloc((size_t)x->ncols * sizeof *x->cols);
  x->dims = malloc((size_t)x->ncols * sizeof *x->dims);
  x->cells = malloc(((size_t)x->nrows * (size_t)x->ncols + 1) * sizeof *x->cells);
  for (int j = 0; j < x->ncols; j++) {
    json_t *c = json_array_get(cols, (size_t)j);
    if (!json_is_string(c))
      return fail(r, "table '%s' has a column without a name", x->name);
    x->cols[j] = arena_strdup(r->ar, json_string_value(c));
    if (parse_dim(r, json_array_get(dims, (size_t)j), &x->dims[j]))
      return -1;
  }
  for (int k = 0; k < x->nrows; k++) {
    json_t *row = json_array_get(rows, (size_t)k);
    if (!json_is_array(row) || json_array_size(row) != (size_t)x->ncols)
      return fail(r, "table '%s': row %lld does not have %d values", x->name, first + k, x->ncols);
    for (int j = 0; j < x->ncols; j++) {
      json_t *cell = json_array_get(row, (size_t)j);
      if (json_is_null(cell) && x->is_sweep)
        x->cells[(size_t)k * x->ncols + j] = NAN; /* a failed draw */
      else if (parse_num(r, cell, &x->cells[(size_t)k * x->ncols + j]))
        return -1;
    }
  }
  return 0;
}

/* One shard file: its header, provenance and results. */
typedef struct {
  ShardInfo info;
  const char *version, *revision;
  json_t *prov; /* kept as JSON: shards are compared on it */
  Results res;
} Shard;

static int read_shard(Reader *r, Shard *s) {
  json_error_t jerr;
  FILE *f = fopen_regular(r->path);
  if (!f)
    return fail(r, "%s",
                errno == EISDIR   ? "a directory, not a shard file"
                : errno == EINVAL ? "not a regular file"
                                  : strerror(errno));
  json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &jerr);
  fclose(f);
  if (!root)
    return fail(r, "not readable as JSON (line %d: %s)", jerr.line, jerr.text);
  int rc = -1;
  json_t *head = json_object_get(root, "edsl_shard"), *results = json_object_get(root, "results");
  long long k = 0, n = 0, digits = 0;
  const char *fmt;
  if (!json_is_object(head) || !json_is_array(results)) {
    fail(r, "not an edsl shard file (made by 'edsl run --shard K/N')");
    goto out;
  }
  if (!(s->version = get_str(r, head, "version")) ||
      !(s->revision = get_str(r, head, "revision")) || get_int(r, head, "shard", &k) ||
      get_int(r, head, "of", &n) || !(fmt = get_str(r, head, "format")) ||
      get_int(r, head, "digits", &digits) || !(s->info.scenario = get_str(r, head, "scenario")))
    goto out;
  if (n < 1 || n > 1000000 || k < 1 || k > n) {
    fail(r, "shard %lld of %lld is not a valid part", k, n);
    goto out;
  }
  if (digits < 0 || digits > 17) {
    fail(r, "%lld significant digits is not a valid precision", digits);
    goto out;
  }
  s->info.k = (int)k;
  s->info.n = (int)n;
  s->info.digits = (int)digits;
  if (report_format_parse(fmt, &s->info.fmt)) {
    fail(r, "unknown format '%s'", fmt);
    goto out;
  }
  s->prov = json_incref(json_object_get(root, "provenance"));
  if (!json_is_object(s->prov)) {
    fail(r, "no provenance");
    goto out;
  }
  for (size_t i = 0; i < json_array_size(results); i++) {
    Result x;
    if (s->res.n == s->res.cap) {
      s->res.cap = s->res.cap ? 2 * s->res.cap : 16;
      s->res.items = realloc(s->res.items, (size_t)s->res.cap * sizeof *s->res.items);
    }
    int bad = parse_result(r, json_array_get(results, i), &x);
    s->res.items[s->res.n++] = x; /* owned from here, also when it failed half-way */
    if (bad)
      goto out;
  }
  rc = 0;
out:
  json_decref(root);
  return rc;
}

static int same_result(const Result *a, const Result *b) {
  if (strcmp(a->name, b->name) || a->is_table != b->is_table || a->deferred != b->deferred)
    return 0;
  if (a->deferred)
    return 1;
  if (!a->is_table)
    return a->v.type == b->v.type && memcmp(&a->v.dim, &b->v.dim, sizeof a->v.dim) == 0 &&
           (a->v.type == T_STR ? !strcmp(a->v.str, b->v.str)
                               : memcmp(&a->v.num, &b->v.num, sizeof a->v.num) == 0);
  if (a->ncols != b->ncols || a->is_sweep != b->is_sweep || a->total_rows != b->total_rows ||
      a->is_sample != b->is_sample)
    return 0;
  for (int j = 0; j < a->ncols; j++)
    if (strcmp(a->cols[j], b->cols[j]) || memcmp(&a->dims[j], &b->dims[j], sizeof(Dim)))
      return 0;
  if (!a->is_sweep)
    return a->nrows == b->nrows &&
           !memcmp(a->cells, b->cells, (size_t)a->nrows * (size_t)a->ncols * sizeof(double));
  return 1;
}

static int parse_inputs(Reader *r, json_t *prov, Merged *m) {
  json_t *inputs = json_object_get(prov, "inputs"), *ovr = json_object_get(prov, "overrides");
  long long seed = 0;
  if (!json_is_array(inputs) || !json_is_array(ovr) || get_int(r, prov, "seed", &seed))
    return fail(r, "malformed provenance");
  m->seed = (unsigned long)seed;
  m->prog.ninputs = (int)json_array_size(inputs);
  m->prog.inputs = calloc((size_t)m->prog.ninputs + 1, sizeof *m->prog.inputs);
  for (int i = 0; i < m->prog.ninputs; i++) {
    json_t *in = json_array_get(inputs, (size_t)i);
    const char *path = get_str(r, in, "path"), *sha = get_str(r, in, "sha256");
    if (!path || !sha || strlen(sha) != 64)
      return fail(r, "malformed input in the provenance");
    m->prog.inputs[i].path = path;
    for (int b = 0; b < 32; b++) {
      unsigned v;
      if (sscanf(sha + 2 * b, "%2x", &v) != 1)
        return fail(r, "malformed sha256 in the provenance");
      m->prog.inputs[i].sha256[b] = (unsigned char)v;
    }
  }
  m->noverrides = (int)json_array_size(ovr);
  m->overrides = arena_alloc(r->ar, ((size_t)m->noverrides + 1) * sizeof *m->overrides);
  for (int i = 0; i < m->noverrides; i++) {
    json_t *o = json_array_get(ovr, (size_t)i);
    if (!json_is_string(o))
      return fail(r, "malformed override in the provenance");
    m->overrides[i] = arena_strdup(r->ar, json_string_value(o));
  }
  return 0;
}

/* Appends the rows of b's sweep after a's (they must follow on). */
static int append_rows(Reader *r, Result *a, const Result *b) {
  if (b->first_row != a->first_row + a->nrows)
    return fail(r, "the rows of sweep '%s' do not follow on from the previous shard's", a->name);
  size_t have = (size_t)a->nrows * (size_t)a->ncols, add = (size_t)b->nrows * (size_t)b->ncols;
  double *cells = realloc(a->cells, (have + add + 1) * sizeof *a->cells);
  if (!cells)
    return fail(r, "not enough memory to merge the %ld rows of sweep '%s'", a->total_rows, a->name);
  a->cells = cells;
  memcpy(a->cells + have, b->cells, add * sizeof *a->cells);
  a->nrows += b->nrows;
  a->failed += b->failed;
  return 0;
}

int shard_merge(const char **paths, int n, Arena *ar, Merged *m, char *err, size_t errlen) {
  memset(m, 0, sizeof *m);
  Shard *sh = calloc((size_t)n, sizeof *sh);
  int rc = -1;
  Reader r = {NULL, err, errlen, ar};
  for (int i = 0; i < n; i++) {
    r.path = paths[i];
    if (read_shard(&r, &sh[i]))
      goto out;
    if (strcmp(sh[i].version, EDSL_VERSION) || strcmp(sh[i].revision, EDSL_REVISION)) {
      fail(&r,
           "made by edsl %s (revision %s); this is edsl %s (revision %s), which may not "
           "give the same numbers",
           sh[i].version, sh[i].revision, EDSL_VERSION, EDSL_REVISION);
      goto out;
    }
  }
  /* Order by shard number; every part once, all from the same run. */
  int total = sh[0].info.n;
  Shard **by_k = calloc((size_t)total + 1, sizeof *by_k);
  for (int i = 0; i < n; i++) {
    r.path = paths[i];
    if (sh[i].info.n != total || strcmp(sh[i].info.scenario, sh[0].info.scenario) ||
        sh[i].info.fmt != sh[0].info.fmt || sh[i].info.digits != sh[0].info.digits ||
        !json_equal(sh[i].prov, sh[0].prov)) {
      fail(&r,
           "is a shard of a different run than %s (scenario, inputs, overrides, seed, format, "
           "digits or number of shards differ)",
           paths[0]);
      goto out_k;
    }
    if (by_k[sh[i].info.k]) {
      fail(&r, "shard %d/%d is given twice", sh[i].info.k, total);
      goto out_k;
    }
    by_k[sh[i].info.k] = &sh[i];
  }
  for (int k = 1; k <= total; k++)
    if (!by_k[k]) {
      snprintf(err, errlen, "shard %d/%d is missing: give all %d shard files", k, total, total);
      goto out_k;
    }
  r.path = paths[0];
  m->info = sh[0].info;
  if (parse_inputs(&r, sh[0].prov, m))
    goto out_k;
  /* The first shard's results, with every later shard's sweep rows appended. */
  m->res = by_k[1]->res;
  memset(&by_k[1]->res, 0, sizeof by_k[1]->res);
  for (int k = 2; k <= total; k++) {
    const Results *b = &by_k[k]->res;
    r.path = paths[by_k[k] - sh];
    if (b->n != m->res.n) {
      fail(&r, "has %d results where shard 1 has %d", b->n, m->res.n);
      goto out_k;
    }
    for (int i = 0; i < b->n; i++) {
      Result *a = &m->res.items[i];
      if (!same_result(a, &b->items[i])) {
        fail(&r, "result '%s' differs from shard 1's", a->name);
        goto out_k;
      }
      if (a->is_sweep && append_rows(&r, a, &b->items[i]))
        goto out_k;
    }
  }
  for (int i = 0; i < m->res.n; i++) {
    const Result *a = &m->res.items[i];
    if (a->is_sweep && (a->first_row != 0 || a->nrows != a->total_rows)) {
      snprintf(err, errlen, "sweep '%s' has %d of its %ld rows after the merge", a->name, a->nrows,
               a->total_rows);
      goto out_k;
    }
  }
  rc = 0;
out_k:
  free(by_k);
out:
  for (int i = 0; i < n; i++) {
    results_free(&sh[i].res);
    json_decref(sh[i].prov);
  }
  free(sh);
  if (rc) {
    results_free(&m->res);
    free(m->prog.inputs);
    m->prog.inputs = NULL;
  }
  return rc;
}
