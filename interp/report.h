/* Output of results in table, CSV and JSON form, each with provenance. */
#ifndef EDSL_REPORT_H
#define EDSL_REPORT_H

#include <stdio.h>

#include "eval.h"

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON } Format;

typedef struct {
  const Program *prog;
  const char **overrides; /* --set texts as given */
  int noverrides;
  unsigned long seed;
} Provenance;

int report_write(FILE *out, Format fmt, const Provenance *pv, const Results *res);
/* One sweep as a CSV file (for `sweep ... to "file.csv"`). */
int report_write_table_csv(FILE *out, const Provenance *pv, const Result *r);
/* Writes the bytes produced by fn into path atomically (temp file + rename). */
int write_atomic(const char *path, int (*fn)(FILE *, void *), void *arg, char *err, size_t errlen);

#endif
