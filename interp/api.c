/* libedsl (edsl.h): the pipeline of `edsl run --format json` behind a session handle, for
 * programs and the Python package (python/edsl) that embed edsl. */
#include "edsl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "version.h"

#define API_MAX_SETS 256

struct edsl_session {
  Session s;
  JsonDiags diags;
  char *diags_text;
  int loaded, ran;
  const char *sets[API_MAX_SETS];
  int nsets;
  unsigned long seed;
  int seed_given, threads;
  Results res;
  char *json;
};

const char *edsl_version(void) {
  return EDSL_VERSION;
}

edsl_session *edsl_open(void) {
  edsl_session *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  session_init(&e->s);
  e->diags.list = json_array();
  e->s.diag.sink = session_json_diag;
  e->s.diag.sink_ctx = &e->diags;
  e->s.diag.max_errors = 0; /* every diagnostic reaches the list */
  e->threads = 1;
  return e;
}

void edsl_close(edsl_session *e) {
  if (!e)
    return;
  results_free(&e->res);
  session_free(&e->s);
  json_decref(e->diags.list);
  free(e->diags_text);
  free(e->json);
  free(e);
}

/* An error of the API's own (misuse), as a diagnostic without a place. */
static int api_error(edsl_session *e, const char *msg) {
  Span none = {-1, 0, 0, 0, 0};
  diag_error(&e->s.diag, none, "%s", msg);
  return -1;
}

static int loaded(edsl_session *e, int failed) {
  e->loaded = 1;
  return failed ? -1 : 0;
}

int edsl_load_file(edsl_session *e, const char *path) {
  if (!path)
    return api_error(e, "edsl_load_file: no path");
  if (e->loaded)
    return api_error(e, "edsl_load_file: this session has a scenario already");
  return loaded(e, compile_file(e->s.comp, path) != 0);
}

int edsl_load_text(edsl_session *e, const char *name, const char *text) {
  if (!text)
    return api_error(e, "edsl_load_text: no text");
  if (e->loaded)
    return api_error(e, "edsl_load_text: this session has a scenario already");
  return loaded(e, compile_text(e->s.comp, name ? name : "<text>", text, strlen(text)) != 0);
}

int edsl_set(edsl_session *e, const char *assignment) {
  if (!assignment)
    return api_error(e, "edsl_set: no assignment");
  if (!e->loaded || e->ran)
    return api_error(e, "edsl_set: load a scenario first, and set before running it");
  if (e->nsets == API_MAX_SETS)
    return api_error(e, "edsl_set: at most 256 overrides");
  if (compile_set(e->s.comp, assignment))
    return -1;
  e->sets[e->nsets++] = arena_strdup(e->s.ar, assignment);
  return 0;
}

void edsl_set_seed(edsl_session *e, unsigned long seed) {
  e->seed = seed;
  e->seed_given = 1;
}

void edsl_set_threads(edsl_session *e, int threads) {
  e->threads = threads < 1 ? 1 : threads > EVAL_MAX_THREADS ? EVAL_MAX_THREADS : threads;
}

int edsl_run(edsl_session *e) {
  if (!e->loaded || e->ran)
    return api_error(e, "edsl_run: load a scenario first, and run it once"), 1;
  e->ran = 1;
  if (e->s.diag.nerrors)
    return 1;
  unsigned long seed = e->seed_given        ? e->seed
                       : e->s.prog.has_seed ? (unsigned long)e->s.prog.seed
                                            : 1;
  Provenance pv = {&e->s.prog, e->sets, e->nsets, seed, 0};
  EvalOptions eo = eval_default_options();
  eo.threads = e->threads;
  Eval *ev = eval_new(&e->s.prog, e->s.ar, seed);
  eval_set_options(ev, &eo);
  EvalStatus st = eval_program(ev, 0, &e->res, &e->s.diag);
  if (st != EV_OK)
    return st == EV_INPUT || st == EV_DOMAIN ? 1 : st == EV_CLAIM ? 4 : 3;
  size_t len = 0;
  FILE *m = open_memstream(&e->json, &len);
  if (!m || report_write(m, FMT_JSON, &pv, &e->res, 0) != 0) {
    if (m)
      fclose(m);
    free(e->json);
    e->json = NULL;
    return api_error(e, "edsl_run: the results could not be written as JSON"), 1;
  }
  fclose(m);
  return 0;
}

const char *edsl_results_json(edsl_session *e) {
  return e->json;
}

int edsl_result_number(edsl_session *e, const char *name, double *value) {
  if (!e->json || !name || !value)
    return 0;
  for (int i = 0; i < e->res.n; i++) {
    const Result *r = &e->res.items[i];
    if (!r->is_table && !strcmp(r->name, name) && (r->v.type == T_NUM || r->v.type == T_BOOL)) {
      *value = r->v.num;
      return 1;
    }
  }
  return 0;
}

const char *edsl_diagnostics_json(edsl_session *e) {
  free(e->diags_text);
  e->diags_text = json_dumps(e->diags.list, JSON_COMPACT | JSON_PRESERVE_ORDER);
  return e->diags_text ? e->diags_text : "[]";
}
