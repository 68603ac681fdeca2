/* The REPL's session as a list of definitions: the files loaded and every input that defines
 * something, kept as text. Each change compiles the whole list afresh into a new session, so
 * a redefinition replaces the old one wherever it was and everything that depends on it is
 * checked again; a change that does not compile leaves the session as it was. */
#ifndef EDSL_WORKSPACE_H
#define EDSL_WORKSPACE_H

#include <signal.h>

#include "driver.h"

typedef enum {
  WE_LOAD,   /* :load FILE: compiled as a main file; key its path */
  WE_IMPORT, /* import "FILE" typed: key the string */
  WE_DECL,   /* a constant, block, table, function or scenario: key its name */
  WE_SET,    /* PATH = value, :set: key the path */
  WE_STMT,   /* a sweep, sample, claim, plot or latex block: key its name (NULL: none) */
  WE_REPORT  /* a report's item: key its name, text its expression */
} WsKind;

typedef struct {
  WsKind kind;
  char *key, *text;
  char *label;   /* the input it came from, "<repl:N>" */
  int line, col; /* where text starts in that input (diagnostics point there) */
  int bound;     /* WE_REPORT: key is a name of the session (bound to the expression) */
  int reported;  /* WE_REPORT: the latest report of key (:save writes it) */
  int dropped;   /* replaced by the change being compiled (removed once it compiles) */
} WsEntry;

typedef struct {
  WsEntry *e;
  int n, cap;
  Session s; /* the entries, compiled */
  int counter;
  int quick;  /* expressions compiled onto s since it was built */
  int *rkeys; /* the report entries by name: open addressing, -1 empty */
  int nrkeys, caprkeys;
  FILE *out;
  volatile sig_atomic_t *interrupt;
  int threads;
  const Node **shadow_node; /* each compile_shadow's declaration, in order */
  int nshadow;
} Workspace;

void ws_init(Workspace *ws, FILE *out, volatile sig_atomic_t *interrupt, int threads);
void ws_free(Workspace *ws);
/* One complete input: declarations, statements, PATH = value or a bare expression. */
void ws_input(Workspace *ws, const char *text);
void ws_load(Workspace *ws, const char *path);
void ws_reload(Workspace *ws);
void ws_set(Workspace *ws, const char *assignment);
void ws_unset(Workspace *ws, const char *path);
void ws_save(Workspace *ws, const char *path);
void ws_show(Workspace *ws, const char *path);

/* Printing (repl_print.c): a value with its unit, a result (tables aligned, long ones cut
 * with a count), a declaration's fields. */
void repl_print_value(FILE *out, const Value *v);
void repl_print_result(FILE *out, const Result *r);
void repl_show_decl(FILE *out, Session *s, Decl *d);

#endif
