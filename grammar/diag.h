/* Source files and located diagnostics: `file:line:col: error: message`, the source line
 * and a caret under the offending text. Shared by the parser and the interpreter. */
#ifndef EDSL_DIAG_H
#define EDSL_DIAG_H

#include <stdio.h>

typedef struct {
  int file; /* index into Sources, -1 when there is no location */
  int first_line, first_column, last_line, last_column;
} Span;

typedef struct {
  char *path;
  char *text;
  size_t len;
} SourceFile;

typedef struct {
  SourceFile *files;
  int n, cap;
} Sources;

/* Receives each diagnostic instead of `out` when set (edsl check --json collects them for
 * editors). severity is "error", "warning" or "note"; path is NULL without a location. */
typedef void (*DiagSink)(void *ctx, const char *severity, const char *path, Span sp,
                         const char *message);

typedef struct {
  Sources *src;
  DiagSink sink;
  void *sink_ctx;
  int nerrors;
  int max_errors; /* stop reporting after this many (0: no limit) */
  FILE *out;
} Diag;

/* Source files larger than this are refused: no scenario is that long, a mistaken path is. */
#define SOURCE_MAX_BYTES ((size_t)64 << 20)

/* A FIFO's first bytes must arrive within this long (a FIFO nobody writes to is an error). */
#define SOURCE_FIFO_WAIT_MS 2000

/* Reads a scenario into the registry: a regular file, "-" (standard input) or a FIFO, in
 * chunks; returns its index or -1 (errno set: EISDIR, EINVAL for a device, ETIMEDOUT for a
 * FIFO nothing was written to, EFBIG past SOURCE_MAX_BYTES). */
/* path opened for reading if it is a regular file (else NULL, errno EISDIR or EINVAL), without
 * blocking on a FIFO. */
FILE *fopen_regular(const char *path);
int sources_load(Sources *s, const char *path);
/* What sources_load's errno means, for a message. */
const char *sources_strerror(int err);
/* Registers text under a display name (REPL input, --set values). */
int sources_add(Sources *s, const char *name, const char *text, size_t len);
void sources_free(Sources *s);

void diag_error(Diag *d, Span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_note(Diag *d, Span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A located warning: printed, not counted as an error. */
void diag_warning(Diag *d, Span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
