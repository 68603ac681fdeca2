/* libedsl: edsl embedded in a program. A session compiles one scenario (a file, or text with
 * a name its imports are found from), takes --set overrides and a seed, runs it, and gives
 * its results as JSON (the same document as `edsl run --format json`) or a named result's
 * number; diagnostics, of compiling and of running, as a JSON array of
 * {severity, file, line, column, end_line, end_column, message[, notes]}. A session is used
 * by one thread at a time; running two sessions at once in different threads is not
 * supported yet (the interpreter keeps some process-wide state). */
#ifndef EDSL_H
#define EDSL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct edsl_session edsl_session;

/* The library's version, as `edsl --version` prints it. */
const char *edsl_version(void);

edsl_session *edsl_open(void); /* NULL when out of memory */
void edsl_close(edsl_session *s);

/* The scenario, once per session: 0, or -1 with diagnostics. */
int edsl_load_file(edsl_session *s, const char *path);
int edsl_load_text(edsl_session *s, const char *name, const char *text);
/* Before edsl_run: an override "PATH=VALUE" as --set takes it (0, or -1 with a
 * diagnostic); the seed (default: the file's seed, else 1); workers (default 1). */
int edsl_set(edsl_session *s, const char *assignment);
void edsl_set_seed(edsl_session *s, unsigned long seed);
void edsl_set_threads(edsl_session *s, int threads);

/* Runs every statement: 0, or edsl run's exit status (1 input, 3 numeric, 4 a claim that
 * does not hold) with diagnostics. */
int edsl_run(edsl_session *s);
/* After a successful run, the results as JSON text, owned by the session; else NULL. */
const char *edsl_results_json(edsl_session *s);
/* A result that is one number: 1 with *value, 0 when there is none of that name (or it is
 * not a number). */
int edsl_result_number(edsl_session *s, const char *name, double *value);
/* The diagnostics so far, as a JSON array, owned by the session. */
const char *edsl_diagnostics_json(edsl_session *s);

#ifdef __cplusplus
}
#endif
#endif
