/* Name resolution, imports, type and unit checking: AST -> IR (ir.h). */
#ifndef EDSL_COMPILE_H
#define EDSL_COMPILE_H

#include "ir.h"

typedef struct Compiler Compiler;

Compiler *compiler_new(Arena *ar, Diag *diag, Program *prog);
void compiler_free(Compiler *c);
/* The session holding diag and prog moved (the REPL swaps sessions by value). */
void compiler_rebind(Compiler *c, Diag *diag, Program *prog);
/* Compiles a file and its imports into the program. Returns the number of errors. */
int compile_file(Compiler *c, const char *path);
/* Compiles text as the main file named name (its imports are found beside that name): the
 * embedding API's scenario given as text. */
int compile_text(Compiler *c, const char *name, const char *text, size_t len);
/* Compiles an already registered source (REPL input); appends its statements. */
int compile_source(Compiler *c, int file);
/* Compiles parsed statements (the REPL's, from several sources) as a main file's. */
int compile_program(Compiler *c, const Node *prog);
/* Whether the file was compiled already (loaded or imported). */
int compile_has_file(const Compiler *c, const char *path);
/* The REPL's definition decl stands in for the same-named declaration of any file compiled
 * after this call, and is declared once. compile_shadowed: whether replacement i (in the
 * order given) replaced a file's declaration, and where that was. */
void compile_shadow(Compiler *c, const Node *decl);
int compile_shadowed(const Compiler *c, int i, Span *where);
/* Applies `--set PATH=VALUE` to the program as an override of a block field. */
int compile_set(Compiler *c, const char *assignment);
/* The edsl home, where an import not beside its file is looked for (its stdlib/), and *why:
 * "$EDSL_HOME", "the installation" (beside the executable) or "the source tree" (inputs.c). */
const char *edsl_home(const char **why);

#endif
