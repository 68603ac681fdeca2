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

void session_json_diag(void *ctx, const char *severity, const char *path, Span sp,
                       const char *message) {
  JsonDiags *jd = ctx;
  json_t *o = json_object();
  json_object_set_new(o, "severity", json_string(severity));
  json_object_set_new(o, "file", path ? json_string(path) : json_null());
  int located = path && sp.first_line > 0;
  json_object_set_new(o, "line", located ? json_integer(sp.first_line) : json_null());
  json_object_set_new(o, "column", located ? json_integer(sp.first_column) : json_null());
  json_object_set_new(o, "end_line", located ? json_integer(sp.last_line) : json_null());
  json_object_set_new(o, "end_column", located ? json_integer(sp.last_column) : json_null());
  json_object_set_new(o, "message", json_string(message));
  if (!strcmp(severity, "note") && jd->last) {
    json_t *notes = json_object_get(jd->last, "notes");
    if (!notes) {
      notes = json_array();
      json_object_set_new(jd->last, "notes", notes);
    }
    json_array_append_new(notes, o);
    return;
  }
  jd->warnings += !strcmp(severity, "warning");
  json_array_append_new(jd->list, o);
  jd->last = o;
}
