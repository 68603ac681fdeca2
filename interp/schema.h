/* Block schemas: every field of every block kind, declared once in block_fields.def. The checker
 * reads them by path (a field as written), the evaluator by id. */
#ifndef EDSL_SCHEMA_H
#define EDSL_SCHEMA_H

#include <stddef.h>
#include <stdio.h>

#include "ir.h"

typedef enum { DK_NONE, DK_RATE, DK_TIME, DK_ANY } DimKind;
typedef enum { OPT, REQ, PART } FieldReq;

typedef struct {
  FieldId id;
  DeclKind kind;
  const char *path;
  Type type;
  DimKind dimkind;
  FieldReq req;
  double dflt;   /* NAN: no default */
  double lo, hi; /* NAN: not a whole number; else its range */
  const char *help;
} FieldSpec;

/* The row of kind's field at path (as written), or NULL. */
const FieldSpec *field_spec(DeclKind kind, const char *path);
/* The row of a field id (id must be one: F_NONE < id < F_COUNT). */
const FieldSpec *field_spec_id(FieldId id);
/* The rows of kind, in schema order: *n of them from the returned one. */
const FieldSpec *field_specs_of(DeclKind kind, int *n);
/* "did you mean 'x'?" when one field of kind is close to wrong, else the whole list. */
void field_suggest(DeclKind kind, const char *wrong, char *buf, size_t len);
/* `edsl --list-fields [--json]`: the schema, one line (or object) per field. */
int field_list(FILE *out, int json);

#endif
