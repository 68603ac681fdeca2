/* The compile/evaluate session shared by the CLI, the REPL and the fuzz harnesses. */
#include <stdlib.h>
#include <string.h>

#include "driver.h"

void session_init(Session *s) {
  memset(s, 0, sizeof *s);
  s->ar = arena_new();
  s->diag.src = &s->src;
  s->diag.out = stderr;
  s->diag.max_errors = 50;
  s->comp = compiler_new(s->ar, &s->diag, &s->prog);
}

void session_free(Session *s) {
  compiler_free(s->comp);
  sources_free(&s->src);
  free(s->prog.decls);
  free(s->prog.name_slot);
  free(s->prog.stmts);
  free(s->prog.inputs);
  arena_free(s->ar);
}
