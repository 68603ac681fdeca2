/* The pipeline shared by the CLI and the REPL: compile, evaluate, print. */
#ifndef EDSL_DRIVER_H
#define EDSL_DRIVER_H

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

/* The interactive session (repl.c). */
int repl_main(void);

#endif
