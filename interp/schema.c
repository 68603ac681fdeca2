/* The schema table (block_fields.def) and its lookups. */
#include "schema.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const FieldSpec specs[F_COUNT] = {
#define FIELD(kind, id, path, type, dim, req, dflt, lo, hi, help)                                  \
  [F_##kind##_##id] = {F_##kind##_##id, D_##kind, path, type, dim, req, dflt, lo, hi, help},
#include "block_fields.def"
#undef FIELD
};

/* One kind's rows are contiguous in block_fields.def; this finds them. */
const FieldSpec *field_specs_of(DeclKind kind, int *n) {
  int first = -1, count = 0;
  for (int i = 0; i < F_COUNT; i++)
    if (specs[i].kind == kind) {
      if (first < 0)
        first = i;
      if (i - first != count++)
        abort(); /* block_fields.def must keep each kind's rows together */
    }
  *n = count;
  return first < 0 ? specs : &specs[first];
}

const FieldSpec *field_spec(DeclKind kind, const char *path) {
  int n;
  const FieldSpec *s = field_specs_of(kind, &n);
  for (int i = 0; i < n; i++)
    if (strcmp(s[i].path, path) == 0)
      return &s[i];
  return NULL;
}

const FieldSpec *field_spec_id(FieldId id) {
  return &specs[id];
}

/* Edit distance, to suggest a field name for a misspelt one. */
static int edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63)
    return 99;
  int row[64];
  for (size_t j = 0; j <= lb; j++)
    row[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      diag = up;
      row[j] = best;
    }
  }
  return row[lb];
}

void field_suggest(DeclKind kind, const char *wrong, char *buf, size_t len) {
  int n;
  const FieldSpec *s = field_specs_of(kind, &n);
  const char *best = NULL;
  int bd = 3;
  for (int i = 0; i < n; i++) {
    int d = edit_distance(wrong, s[i].path);
    if (d < bd) {
      bd = d;
      best = s[i].path;
    }
  }
  if (best) {
    snprintf(buf, len, "did you mean '%s'?", best);
    return;
  }
  snprintf(buf, len, "expected one of: ");
  size_t l0 = strlen(buf);
  for (int i = 0; i < n; i++) {
    size_t l = strlen(buf);
    snprintf(buf + l, len - l, "%s%s", l > l0 ? ", " : "", s[i].path);
  }
}

static const char *dim_rule(DimKind k) {
  static const char *names[] = {"none", "rate", "time", "any"};
  return names[k];
}

int field_list(FILE *out, int json) {
  static const char *reqs[] = {"optional", "required", "with its group"};
  if (!json) {
    for (int i = 0; i < F_COUNT; i++)
      fprintf(out, "%-14s %-30s %s\n", decl_kind_name(specs[i].kind), specs[i].path, specs[i].help);
    return 0;
  }
  json_t *all = json_array();
  for (int i = 0; i < F_COUNT; i++) {
    const FieldSpec *f = &specs[i];
    json_t *o = json_object();
    json_object_set_new(o, "block", json_string(decl_kind_name(f->kind)));
    json_object_set_new(o, "path", json_string(f->path));
    json_object_set_new(o, "type",
                        json_string(f->type == T_ERROR ? "number or list" : type_name(f->type)));
    json_object_set_new(o, "unit", json_string(dim_rule(f->dimkind)));
    json_object_set_new(o, "required", json_string(reqs[f->req]));
    json_object_set_new(o, "default", isnan(f->dflt) ? json_null() : json_real(f->dflt));
    if (!isnan(f->lo)) {
      json_t *r = json_array();
      json_array_append_new(r, json_real(f->lo));
      json_array_append_new(r, json_real(f->hi));
      json_object_set_new(o, "whole_number_in", r);
    }
    json_object_set_new(o, "help", json_string(f->help));
    json_array_append_new(all, o);
  }
  int rc = json_dumpf(all, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(all);
  return rc;
}
