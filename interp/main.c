/* edsl command line: run, merge, check, dump-ir, repl. A thin shell over compile/eval/report. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "shard.h"
#include "version.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_NUMERIC = 3 };

static const char *usage_text =
    "usage: edsl run FILE [--set PATH=VALUE]... [--seed N] [--format table|csv|json] [--out DIR]\n"
    "                [--threads N] [--shard K/N] [--time-limit SECONDS]\n"
    "                [--max-network-edges N]\n"
    "       edsl merge SHARD... [--out DIR]\n"
    "       edsl check FILE [--set PATH=VALUE]...\n"
    "       edsl dump-ir FILE [--set PATH=VALUE]...\n"
    "       edsl repl\n"
    "       edsl --version | --help\n";

static const char *help_text =
    "edsl: a scenario language for the economics of endogenous decentralization.\n\n"
    "commands:\n"
    "  run FILE      evaluate every report and sweep in FILE and print the results\n"
    "  merge SHARD.. combine the shard files of 'run --shard' into the unsharded output\n"
    "  check FILE    parse, resolve and type-check FILE without evaluating it\n"
    "  dump-ir FILE  print the checked intermediate representation\n"
    "  repl          interactive session (:help inside)\n\n"
    "options:\n"
    "  --set PATH=VALUE  override a block field, e.g. --set inference.firms=10\n"
    "                    or --set packaging.alpha=0.2 (units allowed: \"30 %/year\")\n"
    "  --seed N          seed of the random number generator (default: the file's\n"
    "                    'seed = N', else 1)\n"
    "  --format F        table (default), csv or json\n"
    "  --out DIR         write results to DIR/<name>.<txt|csv|json>; a sweep with\n"
    "                    'to \"f.csv\"' streams its rows into DIR/f.csv\n"
    "  --threads N       workers for sweeps (default: the number of processors); the\n"
    "                    output is the same for every N\n"
    "  --shard K/N       evaluate part K of N of every sweep and write a shard file\n"
    "                    (DIR/<name>.shard-K-of-N.json with --out, else to stdout)\n"
    "  --time-limit S    stop with an error after S seconds of evaluation\n"
    "  --max-network-edges N  largest mesh network to generate (default 50000000,\n"
    "                    about 1.2 GB)\n\n"
    "exit status: 0 ok, 1 input error, 2 usage error, 3 numeric failure\n";

static int usage(const char *msg) {
  if (msg)
    fprintf(stderr, "edsl: %s\n", msg);
  fputs(usage_text, stderr);
  return EXIT_USAGE;
}

typedef struct {
  const char *cmd;
  const char **files; /* FILE, or the shard files of merge */
  int nfiles;
  const char **sets;
  int nsets;
  const char *outdir, *seed_text;
  Format fmt;
  int fmt_given, threads, shard_k, shard_n;
  double time_limit;
  long max_edges;
} Options;

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
                                     NULL};
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
    else if (!strcmp(opt, "--seed"))
      o->seed_text = val;
    else if (!strcmp(opt, "--format")) {
      o->fmt_given = 1;
      if (!strcmp(val, "table"))
        o->fmt = FMT_TABLE;
      else if (!strcmp(val, "csv"))
        o->fmt = FMT_CSV;
      else if (!strcmp(val, "json"))
        o->fmt = FMT_JSON;
      else
        return usage("--format takes table, csv or json");
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
    } else if (!strcmp(opt, "--max-network-edges")) {
      if (parse_count(val, 1, 4000000000L, &o->max_edges))
        return usage("--max-network-edges takes a whole number from 1 to 4000000000");
    }
  }
  return 0;
}

static int default_threads(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > EVAL_MAX_THREADS ? EVAL_MAX_THREADS : (int)n;
}

/* DIR/<FILE's base name without .edsl><suffix> */
static char *out_path(const char *dir, const char *file, const char *suffix) {
  const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
  size_t bl = strlen(base);
  if (bl > 5 && !strcmp(base + bl - 5, ".edsl"))
    bl -= 5;
  char *path = malloc(strlen(dir) + bl + strlen(suffix) + 2);
  sprintf(path, "%s/%.*s%s", dir, (int)bl, base, suffix);
  return path;
}

/* Under --out the main output is NAME.txt/.csv/.json: a sweep or sample writing its own file
 * under the same name would overwrite it. files[i] may be NULL. */
static int output_clash(const char *const *files, const char *const *names, int n,
                        const char *scenario, Format fmt) {
  static const char *ext[] = {".txt", ".csv", ".json"};
  char *main_file = out_path(".", scenario, ext[fmt]);
  int clash = 0;
  for (int i = 0; i < n && !clash; i++)
    if (files[i] && !strcmp(files[i], main_file + 2)) {
      clash = 1;
      fprintf(stderr,
              "edsl: '%s' writes to '%s', the name of the main output under --out; give it "
              "another file name\n",
              names[i], files[i]);
    }
  free(main_file);
  return clash;
}

static int program_clash(const Program *p, const char *scenario, Format fmt) {
  const char **files = calloc((size_t)p->nstmts + 1, sizeof *files);
  const char **names = calloc((size_t)p->nstmts + 1, sizeof *names);
  for (int i = 0; i < p->nstmts; i++) {
    files[i] = p->stmts[i]->to_file;
    names[i] = p->stmts[i]->name;
  }
  int clash = output_clash(files, names, p->nstmts, scenario, fmt);
  free(files);
  free(names);
  return clash;
}

static int results_clash(const Results *res, const char *scenario, Format fmt) {
  const char **files = calloc((size_t)res->n + 1, sizeof *files);
  const char **names = calloc((size_t)res->n + 1, sizeof *names);
  for (int i = 0; i < res->n; i++) {
    files[i] = res->items[i].file;
    names[i] = res->items[i].name;
  }
  int clash = output_clash(files, names, res->n, scenario, fmt);
  free(files);
  free(names);
  return clash;
}

static int make_outdir(const char *dir) {
  if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
    fprintf(stderr, "edsl: cannot create output directory '%s': %s\n", dir, strerror(errno));
    return -1;
  }
  return 0;
}

typedef struct {
  Format fmt;
  const Provenance *pv;
  const Results *res;
  int apart;
} WriteArgs;

static int write_results(FILE *f, void *arg) {
  WriteArgs *w = arg;
  return report_write(f, w->fmt, w->pv, w->res, w->apart);
}

typedef struct {
  const Provenance *pv;
  const Result *r;
} WriteTable;

static int write_table(FILE *f, void *arg) {
  WriteTable *w = arg;
  return report_write_table_csv(f, w->pv, w->r);
}

/* Writes the results: to stdout whole (built first, so a failure prints nothing), or into
 * outdir, where sweeps with a `to` file have their own file. Sweeps already streamed there
 * have no cells; merged ones are written here. */
static int emit(const char *outdir, const char *scenario, Format fmt, const Provenance *pv,
                const Results *res) {
  if (!outdir) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int rc = report_write(m, fmt, pv, res, 0);
    fclose(m);
    if (rc == 0)
      fwrite(buf, 1, len, stdout);
    free(buf);
    return rc ? EXIT_INPUT : EXIT_OK;
  }
  char err[512];
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (!r->is_table || !r->file || !r->cells || r->streamed)
      continue;
    char *path = malloc(strlen(outdir) + strlen(r->file) + 2);
    sprintf(path, "%s/%s", outdir, r->file);
    WriteTable wt = {pv, r};
    int bad = write_atomic(path, write_table, &wt, err, sizeof err);
    free(path);
    if (bad) {
      fprintf(stderr, "edsl: %s\n", err);
      return EXIT_INPUT;
    }
  }
  static const char *ext[] = {".txt", ".csv", ".json"};
  char *path = out_path(outdir, scenario, ext[fmt]);
  WriteArgs wa = {fmt, pv, res, 1};
  int bad = write_atomic(path, write_results, &wa, err, sizeof err);
  free(path);
  if (bad) {
    fprintf(stderr, "edsl: %s\n", err);
    return EXIT_INPUT;
  }
  return EXIT_OK;
}

typedef struct {
  const ShardInfo *info;
  const Provenance *pv;
  const Results *res;
} WriteShard;

static int write_shard(FILE *f, void *arg) {
  WriteShard *w = arg;
  return shard_write(f, w->info, w->pv, w->res);
}

/* Summaries of samples need every shard's draws: the merge computes them, from the scenario
 * as the shards ran it (same inputs, byte for byte, and the same overrides and seed). */
static int merge_deferred(Merged *m) {
  int any = 0;
  for (int i = 0; i < m->res.n; i++)
    any |= m->res.items[i].deferred;
  if (!any)
    return 0;
  Session s;
  session_init(&s);
  int rc = -1;
  compile_file(s.comp, m->info.scenario);
  for (int i = 0; i < m->noverrides && !s.diag.nerrors; i++)
    compile_set(s.comp, m->overrides[i]);
  int same = !s.diag.nerrors && s.prog.ninputs == m->prog.ninputs;
  for (int i = 0; same && i < s.prog.ninputs; i++)
    same = !strcmp(s.prog.inputs[i].path, m->prog.inputs[i].path) &&
           !memcmp(s.prog.inputs[i].sha256, m->prog.inputs[i].sha256, 32);
  if (s.diag.nerrors)
    fprintf(stderr,
            "edsl: merge: the summaries of samples are computed from '%s', which does not "
            "compile (above)\n",
            m->info.scenario);
  else if (!same)
    fprintf(stderr,
            "edsl: merge: '%s' or a file it imports has changed since the shards ran; "
            "the summaries of its samples cannot be computed from them\n",
            m->info.scenario);
  else {
    Eval *ev = eval_new(&s.prog, s.ar, m->seed);
    EvalOptions eo = eval_default_options();
    eo.threads = default_threads();
    eval_set_options(ev, &eo);
    rc = eval_deferred(ev, &m->res, &s.diag) == EV_OK ? 0 : -1;
  }
  session_free(&s);
  return rc;
}

static int cmd_merge(const Options *o) {
  if (!o->nfiles)
    return usage("merge needs the shard files");
  if (o->nsets || o->seed_text || o->fmt_given || o->threads || o->shard_n || o->time_limit > 0 ||
      o->max_edges)
    return usage("merge takes the shard files and --out; the rest was fixed by 'run'");
  Arena *ar = arena_new();
  Merged m;
  char err[1024];
  int rc = EXIT_INPUT;
  if (shard_merge(o->files, o->nfiles, ar, &m, err, sizeof err) != 0)
    fprintf(stderr, "edsl: merge: %s\n", err);
  else {
    Provenance pv = {&m.prog, m.overrides, m.noverrides, m.seed};
    if (merge_deferred(&m) != 0)
      rc = EXIT_INPUT;
    else if (o->outdir && results_clash(&m.res, m.info.scenario, m.info.fmt))
      rc = EXIT_INPUT;
    else if (!o->outdir || make_outdir(o->outdir) == 0)
      rc = emit(o->outdir, m.info.scenario, m.info.fmt, &pv, &m.res);
    results_free(&m.res);
    free(m.prog.inputs);
  }
  arena_free(ar);
  return rc;
}

static int cmd_run(const Options *o, int run, int dump) {
  const char *file = o->files[0];
  if ((!run) &&
      (o->outdir || o->seed_text || o->threads || o->shard_n || o->time_limit > 0 || o->max_edges))
    return usage("--out, --seed, --threads, --shard, --time-limit and --max-network-edges go "
                 "with 'run'");
  unsigned long seed = 1;
  int seed_given = 0;
  if (o->seed_text) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(o->seed_text, &end, 10);
    if (errno || *end || !*o->seed_text || o->seed_text[0] == '-' || v > 4294967295ULL)
      return usage("--seed takes a whole number from 0 to 4294967295");
    seed = (unsigned long)v;
    seed_given = 1;
  }
  Session s;
  session_init(&s);
  compile_file(s.comp, file);
  for (int i = 0; i < o->nsets && !s.diag.nerrors; i++)
    compile_set(s.comp, o->sets[i]);
  int rc = EXIT_OK;
  if (s.diag.nerrors) {
    if (s.diag.nerrors > s.diag.max_errors)
      fprintf(stderr, "edsl: %d errors in all; the first %d are shown\n", s.diag.nerrors,
              s.diag.max_errors);
    rc = EXIT_INPUT;
  } else if (dump)
    ir_dump(&s.prog, stdout);
  else if (run) {
    if (!seed_given && s.prog.has_seed)
      seed = (unsigned long)s.prog.seed;
    Provenance pv = {&s.prog, o->sets, o->nsets, seed};
    int sharded = o->shard_n > 0;
    /* Sweeps with a `to` file stream into --out as they run (not when sharded: the merge
     * writes those files). */
    SweepFileSink fs = {o->outdir, &pv};
    SweepSink sink = sweep_file_sink(&fs);
    EvalOptions eo = eval_default_options();
    eo.threads = o->threads ? o->threads : default_threads();
    eo.time_limit = o->time_limit;
    if (o->max_edges)
      eo.max_network_edges = o->max_edges;
    eo.shard_k = sharded ? o->shard_k : 1;
    eo.shard_n = sharded ? o->shard_n : 1;
    eo.sink = o->outdir && !sharded ? &sink : NULL;
    eo.defer_samples = sharded;
    Results res = {0};
    if (o->outdir && !sharded && program_clash(&s.prog, file, o->fmt))
      rc = EXIT_INPUT;
    else if (o->outdir && make_outdir(o->outdir) != 0)
      rc = EXIT_INPUT;
    else {
      atomic_install_signal_cleanup();
      Eval *ev = eval_new(&s.prog, s.ar, seed);
      eval_set_options(ev, &eo);
      EvalStatus st = eval_program(ev, 0, &res, &s.diag);
      if (st != EV_OK)
        rc = st == EV_INPUT ? EXIT_INPUT : EXIT_NUMERIC;
      else if (!sharded)
        rc = emit(o->outdir, file, o->fmt, &pv, &res);
      else {
        ShardInfo info = {o->shard_k, o->shard_n, o->fmt, file};
        WriteShard ws = {&info, &pv, &res};
        char err[512];
        if (!o->outdir) {
          if (shard_write(stdout, &info, &pv, &res) != 0)
            rc = EXIT_INPUT;
        } else {
          char suffix[64];
          snprintf(suffix, sizeof suffix, ".shard-%d-of-%d.json", o->shard_k, o->shard_n);
          char *path = out_path(o->outdir, file, suffix);
          if (write_atomic(path, write_shard, &ws, err, sizeof err)) {
            fprintf(stderr, "edsl: %s\n", err);
            rc = EXIT_INPUT;
          }
          free(path);
        }
      }
    }
    results_free(&res);
  }
  session_free(&s);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2)
    return usage(NULL);
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("edsl %s\n", EDSL_VERSION);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    fputs("\n", stdout);
    fputs(help_text, stdout);
    return EXIT_OK;
  }
  if (!strcmp(cmd, "repl")) {
    if (argc > 2)
      return usage("repl takes no arguments");
    return repl_main();
  }
  int run = !strcmp(cmd, "run"), check = !strcmp(cmd, "check"), dump = !strcmp(cmd, "dump-ir"),
      merge = !strcmp(cmd, "merge");
  if (!run && !check && !dump && !merge) {
    char m[256];
    snprintf(m, sizeof m, "unknown command '%s'", cmd);
    return usage(m);
  }
  Options o = {0};
  o.cmd = cmd;
  o.files = calloc((size_t)argc, sizeof *o.files);
  o.sets = calloc((size_t)argc, sizeof *o.sets);
  int rc = parse_options(argc, argv, &o);
  if (rc == 0) {
    if (merge)
      rc = cmd_merge(&o);
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
