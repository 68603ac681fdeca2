/* RFC 4180 CSV: fields separated by commas, records by CRLF or LF, a field in double quotes
 * may hold commas, line breaks and "" for a quote. Each field keeps where it starts, so a
 * table read from a CSV file reports a bad cell at data.csv:LINE:COL. */
#ifndef EDSL_CSV_H
#define EDSL_CSV_H

#include <stddef.h>

#include "ast.h"

typedef struct {
  const char *text; /* unquoted, "" unescaped, NUL-terminated (in the arena) */
  size_t len;
  int line, col; /* 1-based, of the field's first byte (its quote, when quoted) */
  int width;     /* bytes of the field in the file on its first line, for the caret */
  int quoted;
} CsvField;

typedef struct {
  CsvField *fields;
  int n;
  int line;
} CsvRecord;

typedef struct {
  CsvRecord *records;
  int n;
} Csv;

/* Splits text[0..len) into records (blank lines are skipped; a UTF-8 byte order mark at the
 * start is ignored). Returns 0, or -1 with *line, *col and msg saying what is malformed: a
 * quote inside an unquoted field, text after a closing quote, an unclosed quote, bytes that
 * are not UTF-8, or more than CSV_MAX_FIELDS fields in a record. */
#define CSV_MAX_FIELDS 4096
int csv_parse(const char *text, size_t len, Arena *ar, Csv *out, int *line, int *col, char *msg,
              size_t msglen);

#endif
