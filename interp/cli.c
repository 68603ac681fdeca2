/* The command line's shared parts (cli.h): the usage, exit statuses, thread count. */
#include "cli.h"

#include <stdio.h>
#include <unistd.h>

const char cli_usage_text[] =
    "usage: edsl run FILE [--set PATH=VALUE]... [--seed N] [--format table|csv|json|latex]\n"
    "                [--out DIR] [--threads N] [--shard K/N] [--time-limit SECONDS]\n"
    "                [--max-network-edges N] [--digits N] [--strict]\n"
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

int default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
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
