/* The pipeline shared by the CLI and the REPL: compile, evaluate, print. */
#ifndef EDSL_DRIVER_H
#define EDSL_DRIVER_H

#include <jansson.h>

#include "compile.h"
#include "program.h"
#include "report.h"

typedef struct {
  Arena *ar;
  Sources src;
  Diag diag;
  Program prog;
  Compiler *comp;
} Session;

void session_init(Session *s);
void session_free(Session *s);

/* Diagnostics as JSON (check --json, the embedding API): each an object {severity, file,
 * line, column, end_line, end_column, message}; a note joins the error or warning before it
 * as one of its "notes". A DiagSink, with a JsonDiags as its context. */
typedef struct {
  json_t *list, *last;
  int warnings;
} JsonDiags;
void session_json_diag(void *ctx, const char *severity, const char *path, Span sp,
                       const char *message);

/* The interactive session (repl.c). */
int repl_main(void);

#endif
