/* Name resolution, imports, type and unit checking: AST -> IR (ir.h). */
#ifndef EDSL_COMPILE_H
#define EDSL_COMPILE_H

#include "ir.h"

typedef struct Compiler Compiler;

Compiler *compiler_new(Arena *ar, Diag *diag, Program *prog);
void compiler_free(Compiler *c);
/* Compiles a file and its imports into the program. Returns the number of errors. */
int compile_file(Compiler *c, const char *path);
/* Compiles an already registered source (REPL input); appends its statements. */
int compile_source(Compiler *c, int file);
/* Applies `--set PATH=VALUE` to the program as an override of a block field. */
int compile_set(Compiler *c, const char *assignment);

#endif
