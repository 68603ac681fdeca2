/* The command line's shared parts (cli.h): the usage, exit statuses, thread count. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "cli.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char cli_usage_text[] =
    "usage: edsl run FILE [--set PATH=VALUE]... [--seed N] [--format table|csv|json|latex]\n"
    "                [--out DIR] [--threads N] [--shard K/N] [--time-limit SECONDS]\n"
    "                [--max-network-edges N] [--digits N] [--strict] [--progress | --quiet]\n"
    "       edsl merge SHARD... [--out DIR]\n"
    "       edsl reproduce FILE... \n"
    "       edsl predictions FILE --data DATA [--as-of DATE] [--format table|csv|json]\n"
    "       edsl check FILE [--set PATH=VALUE]... [--json]\n"
    "       edsl dump-ir FILE [--set PATH=VALUE]...\n"
    "       edsl fmt FILE... [--write | --check]\n"
    "       edsl tex FILE [--out DIR]\n"
    "       edsl repl\n"
    "       edsl --list-builtins [--json]\n"
    "       edsl --list-fields [--json]\n"
    "       edsl --version | --help\n";

int usage(const char *msg) {
  if (msg)
    fprintf(stderr, "edsl: %s\n", msg);
  fputs(cli_usage_text, stderr);
  return EXIT_USAGE;
}

/* A positive whole number from the environment, or 0. */
static long env_count(const char *name) {
  const char *v = getenv(name);
  char *end;
  if (!v || !*v)
    return 0;
  long n = strtol(v, &end, 10);
  return *end || n < 1 ? 0 : n;
}

/* The CPUs this process may run on (its affinity: taskset, cgroups' cpusets, a batch
 * system's binding), capped by SLURM_CPUS_PER_TASK and OMP_NUM_THREADS when set: a 1-CPU
 * array task on a 128-core node starts one worker, not 128. */
int default_threads(void) {
  cpu_set_t set;
  long n =
      sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
  static const char *caps[] = {"SLURM_CPUS_PER_TASK", "OMP_NUM_THREADS"};
  for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
    long c = env_count(caps[i]);
    if (c && c < n)
      n = c;
  }
  return n < 1 ? 1 : n > EVAL_MAX_THREADS ? EVAL_MAX_THREADS : (int)n;
}

int exit_code(EvalStatus st) {
  return st == EV_INPUT || st == EV_DOMAIN ? EXIT_INPUT
         : st == EV_CLAIM                  ? EXIT_CLAIM
                                           : EXIT_NUMERIC;
}

int compile_failed(Session *s) {
  if (s->diag.nerrors > s->diag.max_errors)
    fprintf(stderr, "edsl: %d errors in all; the first %d are shown\n", s->diag.nerrors,
            s->diag.max_errors);
  return s->diag.nerrors != 0;
}

/* ---- progress on stderr ------------------------------------------------------------------ */

void cli_progress_init(CliProgress *p, int mode) {
  memset(p, 0, sizeof *p);
  p->tty = isatty(STDERR_FILENO);
  p->on = mode > 0 || (mode < 0 && p->tty);
  p->forced = mode > 0;
}

/* A terminal's line is redrawn in place at most ten times a second; elsewhere (--progress
 * into a log) a line a second. Unforced, nothing shows before the statement has run 1 s. */
void cli_progress(void *ctx, const char *kind, const char *name, long done, long total) {
  CliProgress *p = ctx;
  double t = ev_now_seconds();
  if (name != p->name || done < p->done) { /* the next statement */
    p->name = name;
    p->t0 = t;
    p->last = -1;
    p->shown = 0;
  }
  p->done = done;
  int end = done >= total;
  double el = t - p->t0;
  if ((!p->forced && el < 1) || (!end && p->last >= 0 && t - p->last < (p->tty ? 0.1 : 1)))
    return;
  if (end && !p->shown && !p->forced)
    return; /* it ended before showing anything: nothing to clear */
  char rate[96] = "";
  if (el >= 0.1) /* (a rate over less is noise) */
    snprintf(rate, sizeof rate, ", %.0f a second", (double)done / el);
  if (el >= 0.1 && !end)
    snprintf(rate + strlen(rate), sizeof rate - strlen(rate), ", %.0f s left",
             (double)(total - done) / ((double)done / el));
  fprintf(stderr, "%sedsl: %s %s: %ld of %ld (%.0f%%)%s%s", p->tty ? "\r" : "", kind, name, done,
          total, 100.0 * (double)done / (double)(total ? total : 1), rate,
          p->tty && !end ? "\033[K" : (p->tty ? "\033[K\n" : "\n"));
  fflush(stderr);
  p->last = t;
  p->shown = 1;
}
