/* edsl command line: the usage, the options, and the dispatch to the commands (cli.h). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "claims.h"
#include "cli.h"
#include "compile.h"
#include "driver.h"
#include "plot.h"
#include "predict.h"
#include "schema.h"
#include "shard.h"
#include "version.h"

static const char *help_text =
    "edsl: a scenario language for the economics of endogenous decentralization.\n\n"
    "commands:\n"
    "  run FILE      evaluate every report and sweep in FILE and print the results\n"
    "  merge SHARD.. combine the shard files of 'run --shard' into the unsharded output\n"
    "  reproduce FILE..  run each scenario and write its claims (printed numbers, edsl's\n"
    "                values, verdicts) as a Markdown report (REPRODUCTION.md) to stdout\n"
    "  predictions FILE  check FILE's predictions against the observations of --data:\n"
    "                confirmed, refuted or open, with the date that decided it\n"
    "  check FILE    parse, resolve and type-check FILE without evaluating it\n"
    "  dump-ir FILE  print the checked intermediate representation\n"
    "  fmt FILE...   print FILE in the canonical layout (comments kept); --write rewrites\n"
    "                the files in place, --check lists those not in it (exit status 1)\n"
    "  repl          interactive session (:help inside)\n"
    "  --list-builtins   every built-in function: family, signature and what it gives;\n"
    "                --json as an array of {name, family, args, result, unit, help}\n"
    "  --list-fields     every field of every block: block, path and what it holds; --json\n"
    "                with its type, unit, whether required, default and range\n\n"
    "options:\n"
    "  --set PATH=VALUE  override a block field, e.g. --set inference.firms=10\n"
    "                    or --set packaging.alpha=0.2 (units allowed: \"30 %/year\")\n"
    "  --seed N          seed of the random number generator (default: the file's\n"
    "                    'seed = N', else 1)\n"
    "  --format F        table (default), csv, json or latex (booktabs tables)\n"
    "  --out DIR         write results to DIR/<name>.<txt|csv|json|tex>; a sweep with\n"
    "                    'to \"f.csv\"' streams its rows into DIR/f.csv\n";
/* (the default thread count, which depends on where it runs, between the two) */
static const char *help_text_rest =
    "  --shard K/N       evaluate part K of N of every sweep and write a shard file\n"
    "                    (DIR/<name>.shard-K-of-N.json with --out, else to stdout)\n"
    "  --time-limit S    stop with an error after S seconds of evaluation\n"
    "  --digits N        significant digits of the table format (1 to 17, default 10);\n"
    "                    csv and json always carry every digit (shortest round trip)\n"
    "  --strict          a point of a sweep or sample that fails numerically stops the\n"
    "                    run (default: its results are NA, counted and warned about)\n"
    "  --progress        show the progress of sweeps and samples on stderr (default:\n"
    "                    when stderr is a terminal and one runs past a second)\n"
    "  --quiet           never show progress\n"
    "  --max-network-edges N  largest mesh network to generate (default 50000000,\n"
    "                    about 1.2 GB)\n"
    "  --data DATA       (predictions) an .edsl file declaring\n"
    "                    table observations(date: year, quantity: text, value: 1, ...)\n"
    "  --as-of DATE      (predictions) read observations up to this date, in years\n"
    "                    (default: the latest observation)\n"
    "  --json            (check) the diagnostics as one JSON object on stdout, for\n"
    "                    editors: severity, file, line, column, end, message, notes\n\n"
    "exit status: 0 ok, 1 input error (or parameters outside a model's domain), 2 usage\n"
    "error, 3 numeric failure (a solver failed, a value beyond double precision), 4 a claim that\n"
    "does not hold without a reason (or holds and still gives one)\n";

static int parse_count(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return -1;
  *out = v;
  return 0;
}

/* Returns 0, or the usage exit code after printing the problem. */
static int parse_options(int argc, char **argv, Options *o) {
  static const char *with_value[] = {"--set",     "--format", "--out",        "--seed",
                                     "--threads", "--shard",  "--time-limit", "--max-network-edges",
                                     "--digits",  "--data",   "--as-of",      NULL};
  char m[300];
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i], *val = NULL, *opt = NULL;
    for (int k = 0; with_value[k] && !opt; k++) {
      size_t l = strlen(with_value[k]);
      if (!strcmp(a, with_value[k])) {
        if (i + 1 >= argc) {
          snprintf(m, sizeof m, "%s needs a value", a);
          return usage(m);
        }
        opt = with_value[k];
        val = argv[++i];
      } else if (!strncmp(a, with_value[k], l) && a[l] == '=') {
        opt = with_value[k];
        val = a + l + 1;
      }
    }
    static const char *flags[] = {"--json",   "--write",    "--check",
                                  "--strict", "--progress", "--quiet"};
    int *flag_of[] = {&o->json, &o->write, &o->check_only, &o->strict, &o->progress, &o->quiet},
        is_flag = 0;
    for (size_t k = 0; !opt && k < sizeof flags / sizeof *flags; k++)
      if (!strcmp(a, flags[k]))
        is_flag = (*flag_of[k] = 1);
    if (is_flag)
      continue;
    if (!opt) {
      if (a[0] == '-' && a[1]) {
        snprintf(m, sizeof m, "unknown option '%s'", a);
        return usage(m);
      }
      o->files[o->nfiles++] = a;
      continue;
    }
    long v;
    if (!strcmp(opt, "--set"))
      o->sets[o->nsets++] = val;
    else if (!strcmp(opt, "--out"))
      o->outdir = val;
    else if (!strcmp(opt, "--data"))
      o->data = val;
    else if (!strcmp(opt, "--as-of"))
      o->as_of = val;
    else if (!strcmp(opt, "--seed"))
      o->seed_text = val;
    else if (!strcmp(opt, "--format")) {
      o->fmt_given = 1;
      if (report_format_parse(val, &o->fmt))
        return usage("--format takes table, csv, json or latex");
    } else if (!strcmp(opt, "--threads")) {
      if (parse_count(val, 1, EVAL_MAX_THREADS, &v))
        return usage("--threads takes a whole number from 1 to 64");
      o->threads = (int)v;
    } else if (!strcmp(opt, "--shard")) {
      const char *slash = strchr(val, '/');
      long k, n;
      char kbuf[32];
      if (!slash || slash - val >= (long)sizeof kbuf)
        return usage("--shard takes K/N, e.g. --shard 2/8");
      snprintf(kbuf, sizeof kbuf, "%.*s", (int)(slash - val), val);
      if (parse_count(slash + 1, 1, 1000000, &n) || parse_count(kbuf, 1, n, &k))
        return usage("--shard takes K/N with 1 <= K <= N <= 1000000, e.g. --shard 2/8");
      o->shard_k = (int)k;
      o->shard_n = (int)n;
    } else if (!strcmp(opt, "--time-limit")) {
      char *end;
      errno = 0;
      o->time_limit = strtod(val, &end);
      if (errno || end == val || *end || !(o->time_limit > 0) || !isfinite(o->time_limit))
        return usage("--time-limit takes a positive number of seconds");
    } else if (!strcmp(opt, "--digits")) {
      if (parse_count(val, 1, 17, &v))
        return usage("--digits takes a whole number from 1 to 17");
      o->digits = (int)v;
    } else if (!strcmp(opt, "--max-network-edges")) {
      if (parse_count(val, 1, 4000000000L, &o->max_edges))
        return usage("--max-network-edges takes a whole number from 1 to 4000000000");
    }
  }
  return 0;
}

static int dispatch(int argc, char **argv) {
  if (argc < 2)
    return usage(NULL);
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    const char *why, *home = edsl_home(&why);
    printf("edsl %s (revision %s)\nstdlib: %s/stdlib (%s)\n", EDSL_VERSION, EDSL_REVISION, home,
           why);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(cli_usage_text, stdout);
    fputs("\n", stdout);
    fputs(help_text, stdout);
    printf("  --threads N       workers for sweeps (default: the CPUs this process may use,\n"
           "                    at most SLURM_CPUS_PER_TASK or OMP_NUM_THREADS when set; here\n"
           "                    %d); the output is the same for every N\n",
           default_threads());
    fputs(help_text_rest, stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "--list-builtins")) {
    int json = argc == 3 && !strcmp(argv[2], "--json");
    if (argc > 3 || (argc == 3 && !json))
      return usage("--list-builtins takes only --json");
    return builtin_list(stdout, json) ? EXIT_INPUT : EXIT_OK;
  }
  if (!strcmp(cmd, "--list-fields")) {
    int json = argc == 3 && !strcmp(argv[2], "--json");
    if (argc > 3 || (argc == 3 && !json))
      return usage("--list-fields takes only --json");
    return field_list(stdout, json) ? EXIT_INPUT : EXIT_OK;
  }
  if (!strcmp(cmd, "repl")) {
    if (argc > 2)
      return usage("repl takes no arguments");
    return repl_main();
  }
  int run = !strcmp(cmd, "run"), check = !strcmp(cmd, "check"), dump = !strcmp(cmd, "dump-ir"),
      merge = !strcmp(cmd, "merge"), reproduce = !strcmp(cmd, "reproduce"),
      predictions = !strcmp(cmd, "predictions"), fmt = !strcmp(cmd, "fmt"),
      tex = !strcmp(cmd, "tex");
  if (!run && !check && !dump && !merge && !reproduce && !predictions && !fmt && !tex) {
    char m[256];
    snprintf(m, sizeof m, "unknown command '%s'", cmd);
    return usage(m);
  }
  Options o = {0};
  o.cmd = cmd;
  o.files = calloc((size_t)argc, sizeof *o.files);
  o.sets = calloc((size_t)argc, sizeof *o.sets);
  int rc = parse_options(argc, argv, &o);
  if (rc == 0 && o.json && !check)
    rc = usage("--json goes with 'check'");
  if (rc == 0 && (o.write || o.check_only) && !fmt)
    rc = usage("--write and --check go with 'fmt'");
  if (rc == 0) {
    if (fmt)
      rc = cmd_fmt(&o);
    else if (tex)
      rc = cmd_tex(&o);
    else if (merge)
      rc = cmd_merge(&o);
    else if (reproduce)
      rc = cmd_reproduce(&o);
    else if (predictions)
      rc = cmd_predictions(&o);
    else if (o.nfiles == 0)
      rc = usage("missing FILE");
    else if (o.nfiles > 1)
      rc = usage("give one scenario file");
    else
      rc = cmd_run(&o, run, dump);
  }
  free(o.files);
  free(o.sets);
  return rc;
}

/* Output that could not be written is an error, not exit 0 with a truncated table (a full
 * disk, a closed pipe when SIGPIPE is ignored). */
int main(int argc, char **argv) {
  int rc = dispatch(argc, argv);
  errno = 0;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "edsl: error: cannot write the output to standard output: %s\n",
            strerror(errno ? errno : EIO));
    if (rc == EXIT_OK)
      rc = EXIT_INPUT;
  }
  return rc;
}
