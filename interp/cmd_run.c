/* edsl run, check, dump-ir, and merge: a scenario evaluated and its results written under
 * --out (nothing when it fails), or the shards of a run merged into the same files. */
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
#include "driver.h"
#include "plot.h"
#include "pool.h"
#include "predict.h"
#include "schema.h"
#include "shard.h"
#include "version.h"

/* DIR/<FILE's base name without .edsl><suffix> ("stdin" for "-", standard input) */
static char *out_path(const char *dir, const char *file, const char *suffix) {
  if (!strcmp(file, "-"))
    file = "stdin";
  const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
  size_t bl = strlen(base);
  if (bl > 5 && !strcmp(base + bl - 5, ".edsl"))
    bl -= 5;
  char *path = malloc(strlen(dir) + bl + strlen(suffix) + 2);
  sprintf(path, "%s/%.*s%s", dir, (int)bl, base, suffix);
  return path;
}

/* The main output's file under --out: NAME.txt, .json, .tex, and for CSV NAME.results.csv
 * (NAME.csv is a natural name for a sweep's file: the main output does not take it). */
static const char *main_suffix(Format fmt) {
  return fmt == FMT_CSV ? ".results.csv" : report_extension(fmt);
}

/* The files a run writes under --out, each with the statement that writes it: two of one
 * name would overwrite each other, so a clash is an error before anything runs. */
typedef struct {
  const char *file, *owner;
} OutFile;

static int cmp_outfile(const void *a, const void *b) {
  return strcmp(((const OutFile *)a)->file, ((const OutFile *)b)->file);
}

/* The run's own files: the main output, its provenance and (CSV) its claims. */
static int own_files(OutFile *f, int n, char **keep, const char *scenario, Format fmt) {
  static const char *what[] = {"the main output", "the provenance", "the claims"};
  const char *suffix[] = {main_suffix(fmt), ".provenance.json", ".claims.csv"};
  for (int k = 0; k < (fmt == FMT_CSV ? 3 : 2); k++) {
    keep[k] = out_path("", scenario, suffix[k]);
    f[n++] = (OutFile){keep[k] + 1, what[k]};
  }
  return n;
}

/* "NAME.csv": a table's own file when the format is CSV, into buf (in the arena of names). */
static const char *table_file(const char *name, char **buf) {
  *buf = malloc(strlen(name) + 5);
  sprintf(*buf, "%s.csv", name);
  return *buf;
}

static int output_clash(OutFile *f, int n) {
  qsort(f, (size_t)n, sizeof *f, cmp_outfile);
  for (int i = 1; i < n; i++)
    if (!strcmp(f[i].file, f[i - 1].file)) {
      fprintf(stderr,
              "edsl: '%s' and '%s' would both write '%s' under --out; give one another name\n",
              f[i - 1].owner, f[i].owner, f[i].file);
      return 1;
    }
  return 0;
}

/* Whether a statement's result is a table (its own CSV file when the format is CSV). */
static int stmt_is_table(const Stmt *st) {
  return st->kind == ST_PLOT || (st->kind == ST_SWEEP && !st->to_file);
}

static int program_clash(const Program *p, const char *scenario, Format fmt) {
  int cap = 4;
  for (int i = 0; i < p->nstmts; i++)
    cap += 1 + (p->stmts[i]->kind == ST_REPORT ? p->stmts[i]->nitems : 0);
  OutFile *f = malloc((size_t)cap * sizeof *f);
  char **keep = calloc((size_t)cap, sizeof *keep);
  int n = own_files(f, 0, keep, scenario, fmt), nk = 3;
  for (int i = 0; i < p->nstmts; i++) {
    const Stmt *st = p->stmts[i];
    if (st->to_file)
      f[n++] = (OutFile){st->to_file, st->name};
    else if (fmt == FMT_CSV && stmt_is_table(st))
      f[n++] = (OutFile){table_file(st->name, &keep[nk++]), st->name};
    for (int j = 0; fmt == FMT_CSV && st->kind == ST_REPORT && j < st->nitems; j++) {
      Type t = st->items[j].expr->type;
      if (t == T_VEC || t == T_PATH)
        f[n++] = (OutFile){table_file(st->items[j].name, &keep[nk++]), st->items[j].name};
    }
  }
  int clash = output_clash(f, n);
  for (int i = 0; i < nk; i++)
    free(keep[i]);
  free(keep);
  free(f);
  return clash;
}

static int results_clash(const Results *res, const char *scenario, Format fmt) {
  OutFile *f = malloc((size_t)(res->n + 4) * sizeof *f);
  char **keep = calloc((size_t)res->n + 4, sizeof *keep);
  int n = own_files(f, 0, keep, scenario, fmt), nk = 3;
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (r->file && !r->is_plot)
      f[n++] = (OutFile){r->file, r->name};
    else if (fmt == FMT_CSV && r->is_table && !r->is_sample && !r->latex_only)
      f[n++] = (OutFile){table_file(r->name, &keep[nk++]), r->name};
  }
  int clash = output_clash(f, n);
  for (int i = 0; i < nk; i++)
    free(keep[i]);
  free(keep);
  free(f);
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

static int write_table(FILE *f, void *arg) {
  return report_write_table_csv(f, arg);
}

static int write_scalars(FILE *f, void *arg) {
  return report_write_scalars_csv(f, arg);
}

static int write_claims(FILE *f, void *arg) {
  return report_write_claims_csv(f, arg);
}

typedef struct {
  const Provenance *pv;
  const Results *res;
  const char *const *files;
  const char *main_file;
  int csv;
} WriteProvenance;

static int write_provenance(FILE *f, void *arg) {
  WriteProvenance *w = arg;
  return report_write_provenance(f, w->pv, w->res, w->files, w->main_file, w->csv);
}

/* dir/name, atomically, from fn; an error message on failure. */
static int write_file(const char *dir, const char *name, int (*fn)(FILE *, void *), void *arg) {
  char err[512];
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  sprintf(path, "%s/%s", dir, name);
  int bad = write_atomic(path, fn, arg, err, sizeof err);
  free(path);
  if (bad)
    fprintf(stderr, "edsl: %s\n", err);
  return bad;
}

/* Writes the results: to stdout whole (built first, so a failure prints nothing), or into
 * outdir: the main output (with --format csv, the results that are one value each, every
 * table in NAME.csv and the claims in SCENARIO.claims.csv), the sweeps' and samples' `to`
 * files (those streamed there already have no cells; merged ones are written here), the
 * plots, and SCENARIO.provenance.json naming each file with its columns' units. */
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
  int csv = fmt == FMT_CSV, bad = 0;
  const char **files = calloc((size_t)res->n + 1, sizeof *files);
  char **owned = calloc((size_t)res->n + 1, sizeof *owned);
  for (int i = 0; i < res->n && !bad; i++) {
    const Result *r = &res->items[i];
    if (r->is_plot) {
      if (plot_render(r, outdir, err, sizeof err)) {
        fprintf(stderr, "edsl: plot '%s': %s\n", r->name, err);
        bad = 1;
        break;
      }
    }
    if (r->latex_only)
      continue;
    if (r->file && !r->is_plot) {
      files[i] = r->file;
      if (r->is_table && r->cells && !r->streamed)
        bad = write_file(outdir, r->file, write_table, (void *)r);
    } else if (csv && r->is_table && !r->is_sample) {
      owned[i] = malloc(strlen(r->name) + 5);
      sprintf(owned[i], "%s.csv", r->name);
      files[i] = owned[i];
      bad = write_file(outdir, owned[i], write_table, (void *)r);
    }
  }
  char *main_file = out_path("", scenario, main_suffix(fmt));
  char *prov_file = out_path("", scenario, ".provenance.json");
  char *claims_file = out_path("", scenario, ".claims.csv");
  if (!bad && csv) {
    bad = write_file(outdir, main_file + 1, write_scalars, (void *)res);
    if (!bad && res->nclaims)
      bad = write_file(outdir, claims_file + 1, write_claims, (void *)res);
  } else if (!bad) {
    WriteArgs wa = {fmt, pv, res, 1};
    bad = write_file(outdir, main_file + 1, write_results, &wa);
  }
  if (!bad) {
    WriteProvenance wp = {pv, res, files, main_file + 1, csv};
    bad = write_file(outdir, prov_file + 1, write_provenance, &wp);
  }
  free(main_file);
  free(prov_file);
  free(claims_file);
  for (int i = 0; i < res->n; i++)
    free(owned[i]);
  free(owned);
  free(files);
  return bad ? EXIT_INPUT : EXIT_OK;
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

int cmd_merge(const Options *o) {
  if (!o->nfiles)
    return usage("merge needs the shard files");
  if (o->nsets || o->seed_text || o->fmt_given || o->threads || o->shard_n || o->time_limit > 0 ||
      o->max_edges || o->digits || o->strict)
    return usage("merge takes the shard files and --out; the rest was fixed by 'run'");
  Arena *ar = arena_new();
  Merged m;
  char err[1024];
  int rc = EXIT_INPUT;
  if (shard_merge(o->files, o->nfiles, ar, &m, err, sizeof err) != 0)
    fprintf(stderr, "edsl: merge: %s\n", err);
  else {
    Provenance pv = {&m.prog, m.overrides, m.noverrides, m.seed, m.info.digits};
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

static int print_json_diags(const char *file, const Diag *d, JsonDiags *jd) {
  json_t *root = json_object();
  json_object_set_new(root, "file", json_string(file));
  json_object_set_new(root, "edsl_version", json_string(EDSL_VERSION));
  json_object_set_new(root, "ok", json_boolean(d->nerrors == 0));
  json_object_set_new(root, "errors", json_integer(d->nerrors));
  json_object_set_new(root, "warnings", json_integer(jd->warnings));
  json_object_set_new(root, "diagnostics", jd->list);
  int rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', stdout);
  json_decref(root);
  return rc;
}

/* Whether p has a sweep or a sample: the work the team of threads is for. */
static int program_has_tables(const Program *p) {
  for (int i = 0; i < p->nstmts; i++)
    if (p->stmts[i]->kind == ST_SWEEP || p->stmts[i]->kind == ST_SAMPLE)
      return 1;
  return 0;
}

int cmd_run(const Options *o, int run, int dump) {
  const char *file = o->files[0];
  if (o->data || o->as_of)
    return usage("--data and --as-of go with 'predictions'");
  if ((!run) && (o->outdir || o->seed_text || o->threads || o->shard_n || o->time_limit > 0 ||
                 o->max_edges || o->digits || o->strict || o->progress || o->quiet))
    return usage("--out, --seed, --threads, --shard, --time-limit, --max-network-edges, "
                 "--digits, --strict, --progress and --quiet go with 'run'");
  if (o->progress && o->quiet)
    return usage("--progress and --quiet contradict each other: give one");
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
  JsonDiags jd = {0};
  if (o->json) {
    jd.list = json_array();
    s.diag.sink = session_json_diag;
    s.diag.sink_ctx = &jd;
  }
  /* the workers start while the file parses, so that a sweep finds them awake */
  int threads = o->threads ? o->threads : default_threads();
  if (run && threads > 1)
    pool_warm(threads);
  compile_file(s.comp, file);
  for (int i = 0; i < o->nsets && !s.diag.nerrors; i++)
    compile_set(s.comp, o->sets[i]);
  if (run && threads > 1 && (s.diag.nerrors || !program_has_tables(&s.prog)))
    pool_rest();
  int rc = EXIT_OK;
  if (o->json) {
    print_json_diags(file, &s.diag, &jd);
    rc = s.diag.nerrors ? EXIT_INPUT : EXIT_OK;
  } else if (s.diag.nerrors) {
    if (s.diag.nerrors > s.diag.max_errors)
      fprintf(stderr, "edsl: %d errors in all; the first %d are shown\n", s.diag.nerrors,
              s.diag.max_errors);
    rc = EXIT_INPUT;
  } else if (dump)
    ir_dump(&s.prog, stdout);
  else if (run) {
    if (!seed_given && s.prog.has_seed)
      seed = (unsigned long)s.prog.seed;
    Provenance pv = {&s.prog, o->sets, o->nsets, seed, o->digits};
    int sharded = o->shard_n > 0;
    /* Sweeps with a `to` file stream into --out as they run (not when sharded: the merge
     * writes those files). */
    SweepFileSink fs = {o->outdir, &pv};
    SweepSink sink = sweep_file_sink(&fs);
    EvalOptions eo = eval_default_options();
    eo.threads = threads;
    eo.time_limit = o->time_limit;
    if (o->max_edges)
      eo.max_network_edges = o->max_edges;
    eo.shard_k = sharded ? o->shard_k : 1;
    eo.shard_n = sharded ? o->shard_n : 1;
    eo.sink = o->outdir && !sharded ? &sink : NULL;
    eo.defer_samples = sharded;
    eo.strict = o->strict;
    CliProgress progress;
    cli_progress_init(&progress, o->progress ? 1 : o->quiet ? 0 : -1);
    if (progress.on) {
      eo.progress = cli_progress;
      eo.progress_ctx = &progress;
    }
    Results res = {0};
    if (o->outdir && !sharded && program_clash(&s.prog, file, o->fmt))
      rc = EXIT_INPUT;
    else if (o->outdir && make_outdir(o->outdir) != 0)
      rc = EXIT_INPUT;
    else {
      atomic_install_signal_cleanup();
      if (o->outdir)
        atomic_defer_commits(); /* files appear only when the whole run succeeds */
      Eval *ev = eval_new(&s.prog, s.ar, seed);
      eval_set_options(ev, &eo);
      EvalStatus st = eval_program(ev, 0, &res, &s.diag);
      if (st != EV_OK)
        rc = exit_code(st);
      else if (!sharded)
        rc = emit(o->outdir, file, o->fmt, &pv, &res);
      else {
        ShardInfo info = {o->shard_k, o->shard_n, o->fmt, o->digits, file};
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
      char err[512];
      if (o->outdir && atomic_finish(rc == EXIT_OK, err, sizeof err) != 0) {
        fprintf(stderr, "edsl: %s\n", err);
        rc = EXIT_INPUT;
      }
    }
    results_free(&res);
  }
  session_free(&s);
  return rc;
}
