/* Output of results in table, CSV and JSON form, each with provenance. */
#ifndef EDSL_REPORT_H
#define EDSL_REPORT_H

#include <jansson.h>
#include <stdio.h>
#include <sys/types.h>

#include "eval.h"

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_LATEX } Format;

/* ".txt", ".csv", ".json" or ".tex": the main output's file under --out. */
const char *report_extension(Format fmt);
/* "table", "csv", "json" or "latex", as --format spells it; parse returns -1 for others. */
const char *report_format_name(Format fmt);
int report_format_parse(const char *name, Format *fmt);

typedef struct {
  const Program *prog;
  const char **overrides; /* --set texts as given */
  int noverrides;
  unsigned long seed;
  int digits; /* significant digits of the text table (--digits); 0: REPORT_TABLE_DIGITS */
} Provenance;

/* The text table's default significant digits. CSV and JSON always carry the shortest text
 * that reads back as the same double. */
#define REPORT_TABLE_DIGITS 10

/* A SHA-256 digest as 64 hex digits and a NUL into out (report_lines.c). */
void report_sha256_hex(const unsigned char *h, char *out);
/* tables_in_files: a sweep with a `to` file is named with its row count, not repeated (the
 * rows are in the file, under --out) */
int report_write(FILE *out, Format fmt, const Provenance *pv, const Results *res,
                 int tables_in_files);
/* A scalar result's text: true/false, the text, or the number to `digits` significant digits
 * (0: REPORT_TABLE_DIGITS). */
void report_scalar_text(const Value *v, char *buf, size_t n, int digits);
/* The provenance as a JSON object owned by the caller: version, inputs with their SHA-256,
 * overrides, seed. Shared by JSON output and shard files. */
json_t *report_provenance_json(const Provenance *pv);
/* The provenance as '# ' comment lines: version, inputs with their SHA-256, seed, --set. */
void report_provenance_comment(FILE *out, const Provenance *pv);
/* The same lines behind another comment marker ("% " for LaTeX). */
void report_provenance_lines(FILE *out, const Provenance *pv, const char *prefix);
/* The estimated width in pt of a table set in LaTeX (5 pt a character, 12 pt between
 * columns), in its latex block's style or the default. */
double report_latex_width(const Result *r);
/* Booktabs tables of the reports, sweeps and claims (report_latex.c). */
int report_write_latex(FILE *out, const Provenance *pv, const Results *res, int apart);
/* "2 lines of 101 points, drawn to F.svg and F.png" (apart: under --out), or how to draw. */
void report_plot_line(char *buf, size_t n, const Result *r, int apart);
/* One CSV cell, quoted when it holds a comma, quote or newline. */
void report_csv_field(FILE *out, const char *s);
/* The claims of a run as a JSON object owned by the caller. */
json_t *report_claims_json(const Results *res);
/* Files under --out that tools read with default options: a header row of plain names, no
 * comment lines. One table (a sweep's `to` file; with --format csv, every table as
 * NAME.csv); the results that are one value each (name,value,unit); the claims. */
int report_write_table_csv(FILE *out, const Result *r);
int report_write_scalars_csv(FILE *out, const Results *res);
int report_write_claims_csv(FILE *out, const Results *res);
/* The version of the JSON output's and the provenance file's layout. */
#define REPORT_FORMAT_VERSION 1
/* NAME.provenance.json: the provenance, and per file under --out its result, columns and
 * units (files[i]: result i's file, or NULL; main_file first). csv: the main file holds the
 * results that are one value each. */
int report_write_provenance(FILE *out, const Provenance *pv, const Results *res,
                            const char *const *files, const char *main_file, int csv);
/* Writes the bytes produced by fn into path atomically (temp file + rename). */
int write_atomic(const char *path, int (*fn)(FILE *, void *), void *arg, char *err, size_t errlen);

/* An output file in the making: a temporary beside path, renamed onto it by a committing
 * close, removed by a discarding one or by SIGINT/SIGTERM/SIGHUP once the handlers are in. */
typedef struct AtomicFile AtomicFile;
AtomicFile *atomic_open(const char *path, char *err, size_t errlen);
FILE *atomic_stream(AtomicFile *a);
/* The temporary's path, for a program that writes the file itself (gnuplot). */
const char *atomic_temp_path(const AtomicFile *a);
int atomic_close(AtomicFile *a, int commit, char *err, size_t errlen);
void atomic_install_signal_cleanup(void);
/* From now on atomic_close(commit) keeps a whole file as a temporary until atomic_finish,
 * which renames every one into place when ok (else removes them): a run that fails after
 * writing some files leaves none. */
void atomic_defer_commits(void);
int atomic_finish(int ok, char *err, size_t errlen);
/* A temporary made by another (a plot's gnuplot script) removed on a signal too; -1: none free. */
int atomic_register(const char *path);
void atomic_unregister(int slot);
/* The child drawing into the temporaries, killed and reaped on a signal (0: none). */
void atomic_set_child(pid_t pid);

/* A sink that streams each sweep with a `to` file into dir/file as CSV with provenance. */
typedef struct {
  const char *dir;
  const Provenance *pv;
} SweepFileSink;
SweepSink sweep_file_sink(SweepFileSink *fs);

#endif
