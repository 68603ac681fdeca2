/* A table read from a CSV file: `table NAME(col: unit, ...) from "data.csv"`. The header row
 * names the columns (in any order; columns the table does not declare are left out); the
 * declaration gives their units. An empty cell or NA is a missing value (NaN, shown as NA),
 * which fits drop and expressions carry. The file is read like an import (found beside the
 * file naming it, its SHA-256 in the provenance) and registered as a source, so that a bad
 * cell is an error at data.csv:LINE:COL showing the line. */
#include "checker.h"
#include "csv.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static Span cell_span(int file, const CsvField *f) {
  return (Span){file, f->line, f->col, f->line, f->col + f->width - 1};
}

/* "1,510" or "12,345.6": digits in groups of three, the way a spreadsheet shows them. */
static int thousands(const char *s) {
  if (*s == '-' || *s == '+')
    s++;
  int lead = 0;
  while (isdigit((unsigned char)s[lead]))
    lead++;
  if (lead < 1 || lead > 3 || s[lead] != ',')
    return 0;
  s += lead;
  while (*s == ',') {
    for (int k = 1; k <= 3; k++)
      if (!isdigit((unsigned char)s[k]))
        return 0;
    s += 4;
  }
  if (*s == '.') {
    s++;
    while (isdigit((unsigned char)*s))
      s++;
  }
  return *s == 0;
}

/* A decimal number as a person writes one: sign, digits, a point, an exponent; surrounding
 * spaces allowed. Not hex, inf or nan (strtod takes them). 1: a number, 0: missing (empty or
 * NA), -1: neither. */
static int parse_cell(const char *s, double *v) {
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  if (n == 0 || (n == 2 && s[0] == 'N' && s[1] == 'A'))
    return 0;
  char buf[64];
  if (n >= sizeof buf)
    return -1;
  memcpy(buf, s, n);
  buf[n] = 0;
  const char *p = buf;
  if (*p == '+' || *p == '-')
    p++;
  int digits = 0;
  while (isdigit((unsigned char)*p))
    p++, digits++;
  if (*p == '.')
    for (p++; isdigit((unsigned char)*p); p++)
      digits++;
  if (!digits)
    return -1;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!isdigit((unsigned char)*p))
      return -1;
    while (isdigit((unsigned char)*p))
      p++;
  }
  if (*p)
    return -1;
  *v = strtod(buf, NULL);
  return isfinite(*v) ? 1 : -1;
}

void table_rows(Compiler *c, Decl *d, int nrows) {
  d->nrows = nrows;
  d->num = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->num);
  d->text = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->text);
  for (int j = 0; j < d->ncols; j++) {
    d->num[j] = arena_alloc(c->ar, (size_t)(nrows + 1) * sizeof **d->num);
    d->text[j] = arena_alloc(c->ar, (size_t)(nrows + 1) * sizeof **d->text);
  }
}

void table_from_csv(Compiler *c, Decl *d, const Node *s, const double *scale) {
  char cand[PATH_MAX * 2], canon[PATH_MAX];
  const Node *from = s->c;
  if (resolve_input(c, from->s, ".csv", from->span, "a table's from", "read", cand, sizeof cand,
                    canon))
    return;
  int id = sources_load(c->d->src, cand);
  if (id < 0) {
    diag_error(c->d, from->span, "cannot read \"%s\": %s", from->s,
               errno == EFBIG ? "larger than the 64 MiB a data file may have" : strerror(errno));
    return;
  }
  const SourceFile *f = &c->d->src->files[id];
  record_input(c, from->s, f);
  Csv csv;
  int line, col;
  char msg[256];
  if (csv_parse(f->text, f->len, c->ar, &csv, &line, &col, msg, sizeof msg)) {
    diag_error(c->d, (Span){id, line, col, line, col}, "%s", msg);
    return;
  }
  if (csv.n == 0) {
    diag_error(c->d, from->span,
               "\"%s\" is empty: table '%s' needs a header row naming its columns", from->s,
               d->name);
    return;
  }
  /* the header: each declared column found by name, once */
  const CsvRecord *hdr = &csv.records[0];
  int *at = arena_alloc(c->ar, (size_t)d->ncols * sizeof *at);
  for (int k = 0; k < hdr->n; k++)
    for (int k2 = 0; k2 < k; k2++)
      if (!strcmp(hdr->fields[k].text, hdr->fields[k2].text)) {
        diag_error(c->d, cell_span(id, &hdr->fields[k]), "column '%s' appears twice in the header",
                   hdr->fields[k].text);
        return;
      }
  int missing_cols = 0;
  for (int j = 0; j < d->ncols; j++) {
    at[j] = -1;
    for (int k = 0; k < hdr->n && at[j] < 0; k++)
      if (!strcmp(hdr->fields[k].text, d->colnames[j]))
        at[j] = k;
    if (at[j] < 0) {
      char have[512] = "";
      for (int k = 0; k < hdr->n && strlen(have) < 400; k++)
        snprintf(have + strlen(have), sizeof have - strlen(have), "%s'%s'", k ? ", " : "",
                 hdr->fields[k].text);
      diag_error(c->d, s->a->kids[j]->span,
                 "column '%s' of table '%s' is not in the header of \"%s\" (line 1: %s)",
                 d->colnames[j], d->name, from->s, have);
      missing_cols++;
    }
  }
  if (missing_cols)
    return;
  table_rows(c, d, csv.n - 1);
  for (int i = 0; i < d->nrows; i++) {
    const CsvRecord *r = &csv.records[i + 1];
    if (r->n != hdr->n) {
      diag_error(c->d, (Span){id, r->line, 1, r->line, 1},
                 "this row has %d field%s; the header has %d", r->n, r->n == 1 ? "" : "s", hdr->n);
      continue;
    }
    for (int j = 0; j < d->ncols; j++) {
      const CsvField *cell = &r->fields[at[j]];
      if (d->coltext[j]) {
        d->text[j][i] = cell->text;
        continue;
      }
      double v = 0;
      int k = parse_cell(cell->text, &v);
      if (k == 0)
        d->num[j][i] = NAN, d->has_na = 1; /* missing */
      else if (k > 0)
        d->num[j][i] = v * scale[j];
      else if (thousands(cell->text))
        diag_error(c->d, cell_span(id, cell),
                   "column '%s' expects a number, got \"%s\": write it without the thousands "
                   "separator (%s)",
                   d->colnames[j], cell->text, "1510, not 1,510");
      else
        diag_error(c->d, cell_span(id, cell),
                   "column '%s' expects a number (in the column's unit), an empty cell or NA; "
                   "got \"%s\"",
                   d->colnames[j], cell->text);
    }
  }
}
