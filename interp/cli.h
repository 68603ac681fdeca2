/* The command line's shared parts: exit statuses, options, and the commands, one file each
 * (main.c parses and dispatches, cli.c holds what they share; cmd_run.c runs, checks, dumps and
 * merges; cmd_reproduce.c, cmd_predictions.c, cmd_fmt.c). Thin: the work is the driver's,
 * compiler's and evaluator's. */
#ifndef EDSL_CLI_H
#define EDSL_CLI_H

#include "driver.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_NUMERIC = 3, EXIT_CLAIM = 4 };

typedef struct {
  const char *cmd;
  const char **files; /* FILE, or the shard files of merge */
  int nfiles;
  const char **sets;
  int nsets;
  const char *outdir, *seed_text, *data, *as_of;
  Format fmt;
  int fmt_given, threads, shard_k, shard_n, json, write, check_only, digits, strict;
  int progress, quiet; /* --progress, --quiet */
  double time_limit;
  long max_edges;
} Options;

/* The synopsis of every command (cli.c); --help adds the options. */
extern const char cli_usage_text[];
/* Prints msg (if any) and the usage to stderr; returns EXIT_USAGE. */
int usage(const char *msg);
/* The exit status of an evaluation's failure: input and domain errors 1, claims 4, else 3. */
int exit_code(EvalStatus st);
/* Whether compiling failed (saying so when more errors were found than shown). */
int compile_failed(Session *s);
/* Threads for --threads 0: the machine's processors, at most EVAL_MAX_THREADS. */
int default_threads(void);

/* Progress of sweeps and samples on stderr (EvalOptions.progress): mode 1 always (--progress),
 * 0 never (--quiet), -1 when stderr is a terminal and a statement runs past a second. */
typedef struct {
  int on, forced, tty, shown;
  const char *name;
  long done;
  double t0, last;
} CliProgress;
void cli_progress_init(CliProgress *p, int mode);
void cli_progress(void *ctx, const char *kind, const char *name, long done, long total);

int cmd_run(const Options *o, int run, int dump); /* run, check, dump-ir */
int cmd_merge(const Options *o);
int cmd_reproduce(const Options *o);
int cmd_predictions(const Options *o);
int cmd_fmt(const Options *o);
int cmd_tex(const Options *o); /* the model as LaTeX equations (cmd_tex.c) */

#endif
