/* edsl command line: run, merge, check, dump-ir, repl. A thin shell over compile/eval/report. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "claims.h"
#include "driver.h"
#include "plot.h"
#include "predict.h"
#include "schema.h"
#include "shard.h"
#include "version.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_NUMERIC = 3, EXIT_CLAIM = 4 };

static const char *usage_text =
    "usage: edsl run FILE [--set PATH=VALUE]... [--seed N] [--format table|csv|json|latex]\n"
    "                [--out DIR] [--threads N] [--shard K/N] [--time-limit SECONDS]\n"
    "                [--max-network-edges N] [--digits N] [--strict]\n"
    "       edsl merge SHARD... [--out DIR]\n"
    "       edsl reproduce FILE... \n"
    "       edsl predictions FILE --data DATA [--as-of DATE] [--format table|csv|json]\n"
    "       edsl check FILE [--set PATH=VALUE]... [--json]\n"
    "       edsl dump-ir FILE [--set PATH=VALUE]...\n"
    "       edsl fmt FILE... [--write | --check]\n"
    "       edsl repl\n"
    "       edsl --list-builtins [--json]\n"
    "       edsl --list-fields [--json]\n"
    "       edsl --version | --help\n";

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
    "                    'to \"f.csv\"' streams its rows into DIR/f.csv\n"
    "  --threads N       workers for sweeps (default: the number of processors); the\n"
    "                    output is the same for every N\n"
    "  --shard K/N       evaluate part K of N of every sweep and write a shard file\n"
    "                    (DIR/<name>.shard-K-of-N.json with --out, else to stdout)\n"
    "  --time-limit S    stop with an error after S seconds of evaluation\n"
    "  --digits N        significant digits of the table format (1 to 17, default 10);\n"
    "                    csv and json always carry every digit (shortest round trip)\n"
    "  --strict          a point of a sweep or sample that fails numerically stops the\n"
    "                    run (default: its results are NA, counted and warned about)\n"
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
  const char *outdir, *seed_text, *data, *as_of;
  Format fmt;
  int fmt_given, threads, shard_k, shard_n, json, write, check_only, digits, strict;
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
    static const char *flags[] = {"--json", "--write", "--check", "--strict"};
    int *flag_of[] = {&o->json, &o->write, &o->check_only, &o->strict}, is_flag = 0;
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
  char *main_file = out_path(".", scenario, report_extension(fmt));
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
    if (r->is_plot) {
      if (plot_render(r, outdir, err, sizeof err)) {
        fprintf(stderr, "edsl: plot '%s': %s\n", r->name, err);
        return EXIT_INPUT;
      }
      continue;
    }
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
  char *path = out_path(outdir, scenario, report_extension(fmt));
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

static int exit_code(EvalStatus st) {
  return st == EV_INPUT || st == EV_DOMAIN ? EXIT_INPUT
         : st == EV_CLAIM                  ? EXIT_CLAIM
                                           : EXIT_NUMERIC;
}

static int compile_failed(Session *s) {
  if (s->diag.nerrors > s->diag.max_errors)
    fprintf(stderr, "edsl: %d errors in all; the first %d are shown\n", s->diag.nerrors,
            s->diag.max_errors);
  return s->diag.nerrors != 0;
}

/* ---- reproduce: the claims of several scenarios as one Markdown report ---- */

/* Markdown table cells: a pipe would end the cell, a newline the row. */
static void md_cell(FILE *out, const char *s) {
  for (; s && *s; s++)
    if (*s == '|')
      fputs("\\|", out);
    else if (*s == '\n')
      fputc(' ', out);
    else
      fputc(*s, out);
}

/* The scenario's opening comment, the description of what it computes. */
static void md_description(FILE *out, const char *text, size_t len) {
  const char *p = text, *end = text + len;
  int any = 0;
  while (p < end && *p == '#') {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      nl = end;
    const char *q = p + 1;
    if (q < nl && *q == ' ')
      q++;
    fwrite(q, 1, (size_t)(nl - q), out);
    fputc('\n', out);
    any = 1;
    p = nl < end ? nl + 1 : end;
  }
  if (any)
    fputc('\n', out);
}

static void md_claims(FILE *out, const Session *s, const char *file, const Results *res,
                      unsigned long seed) {
  fprintf(out, "## %s\n\n", file);
  for (int i = 0; i < s->src.n; i++)
    if (!strcmp(s->src.files[i].path, file))
      md_description(out, s->src.files[i].text, s->src.files[i].len);
  fprintf(out, "Inputs (SHA-256):");
  for (int i = 0; i < s->prog.ninputs; i++) {
    char h[65];
    for (int k = 0; k < 32; k++)
      sprintf(h + 2 * k, "%02x", s->prog.inputs[i].sha256[k]);
    fprintf(out, "%s `%s` `%s`", i ? "," : "", s->prog.inputs[i].path, h);
  }
  fprintf(out, "; seed %lu.\n\n", seed);
  fprintf(out, "| Claim | Source | Paper | edsl | Tolerance | Verdict |\n");
  fprintf(out, "|---|---|---|---|---|---|\n");
  for (int i = 0; i < res->nclaims; i++) {
    const ClaimResult *c = &res->claims[i];
    ClaimText t;
    claim_text(c, &t);
    fprintf(out, "| `%s` | ", c->name);
    md_cell(out, c->source);
    fprintf(out, " | %s | %s | %s | **%s**", t.paper, t.value, t.tolerance,
            claim_verdict_name(c->verdict));
    if (c->assumption) {
      fputs(": ", out);
      md_cell(out, c->assumption);
    }
    if (c->reason) {
      fputs(": ", out);
      md_cell(out, c->reason);
    }
    if (c->error) {
      fputs(" (edsl: ", out);
      md_cell(out, c->error);
      fputs(")", out);
    }
    fputs(" |\n", out);
  }
  fputc('\n', out);
}

static int cmd_reproduce(const Options *o) {
  if (!o->nfiles)
    return usage("reproduce needs the scenario files");
  if (o->nsets || o->seed_text || o->fmt_given || o->shard_n || o->outdir || o->data || o->as_of ||
      o->digits || o->strict)
    return usage("reproduce takes scenario files (and --threads); each runs as written");
  char *body = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&body, &len);
  int rc = EXIT_OK, counts[3] = {0, 0, 0}, total = 0;
  for (int f = 0; f < o->nfiles && rc == EXIT_OK; f++) {
    Session s;
    session_init(&s);
    compile_file(s.comp, o->files[f]);
    if (compile_failed(&s))
      rc = EXIT_INPUT;
    else {
      unsigned long seed = s.prog.has_seed ? (unsigned long)s.prog.seed : 1;
      Eval *ev = eval_new(&s.prog, s.ar, seed);
      EvalOptions eo = eval_default_options();
      eo.threads = o->threads ? o->threads : default_threads();
      eval_set_options(ev, &eo);
      Results res = {0};
      EvalStatus st = eval_program(ev, 0, &res, &s.diag);
      if (st != EV_OK)
        rc = exit_code(st);
      else if (!res.nclaims) {
        fprintf(stderr, "edsl: reproduce: '%s' declares no claims\n", o->files[f]);
        rc = EXIT_INPUT;
      } else {
        md_claims(m, &s, o->files[f], &res, seed);
        for (int i = 0; i < res.nclaims; i++)
          counts[res.claims[i].verdict]++;
        total += res.nclaims;
      }
      results_free(&res);
    }
    session_free(&s);
  }
  fclose(m);
  if (rc == EXIT_OK) {
    printf("# Reproduction report\n\n");
    printf("Generated by `edsl reproduce` (edsl %s); do not edit by hand. Regenerate with\n\n",
           EDSL_VERSION);
    printf("    edsl reproduce");
    for (int f = 0; f < o->nfiles; f++)
      printf(" %s", o->files[f]);
    printf(" > REPRODUCTION.md\n\n");
    printf("Each row is a `claim` of the scenario named above its table: the number the paper "
           "prints, edsl's value of it, the tolerance within which the two agree, and the "
           "verdict. A claim that is not reproducible says why: an inconsistency between the "
           "papers, a formula outside its domain, or a missing input.\n\n");
    printf("| Verdict | Claims |\n|---|---|\n");
    for (int v = 0; v < 3; v++)
      printf("| %s | %d |\n", claim_verdict_name((ClaimVerdict)v), counts[v]);
    printf("| all | %d |\n\n", total);
    fwrite(body, 1, len, stdout);
  }
  free(body);
  return rc;
}

/* ---- predictions: declared predictions against dated observations ---- */

static const char *pred_status_name(PredictionStatus s) {
  return s == PRED_CONFIRMED ? "confirmed" : s == PRED_REFUTED ? "refuted" : "open";
}

/* The observations table: date (a time), quantity (text), value (a plain number). */
static int load_observations(Session *s, const char *data, Observation **obs, int *n,
                             double *latest) {
  Decl *t = program_find(&s->prog, "observations");
  if (!t || t->kind != D_TABLE) {
    fprintf(stderr,
            "edsl: predictions: '%s' must declare table observations(date: year, quantity: "
            "text, value: 1[, source: text])\n",
            data);
    return -1;
  }
  int jd = -1, jq = -1, jv = -1, js = -1;
  for (int j = 0; j < t->ncols; j++) {
    const char *c = t->colnames[j];
    if (!strcmp(c, "date"))
      jd = j;
    else if (!strcmp(c, "quantity"))
      jq = j;
    else if (!strcmp(c, "value"))
      jv = j;
    else if (!strcmp(c, "source"))
      js = j;
  }
  const char *bad = jd < 0 || t->coltext[jd] || !dim_eq(t->coldims[jd], dim_time())
                        ? "a column 'date' in years (date: year)"
                    : jq < 0 || !t->coltext[jq] ? "a text column 'quantity' (quantity: text)"
                    : jv < 0 || t->coltext[jv] || !dim_is_none(t->coldims[jv])
                        ? "a column 'value' of plain numbers (value: 1; each prediction "
                          "gives the unit)"
                    : js >= 0 && !t->coltext[js] ? "'source' as text (source: text)"
                                                 : NULL;
  if (bad) {
    fprintf(stderr, "edsl: predictions: table 'observations' of '%s' needs %s\n", data, bad);
    return -1;
  }
  *obs = calloc((size_t)t->nrows + 1, sizeof **obs);
  *latest = -INFINITY;
  for (int i = 0; i < t->nrows; i++) {
    (*obs)[i] = (Observation){t->num[jd][i], t->text[jq][i], t->num[jv][i],
                              js >= 0 ? t->text[js][i] : NULL};
    if (t->num[jd][i] > *latest)
      *latest = t->num[jd][i];
  }
  *n = t->nrows;
  return 0;
}

static void write_predictions(FILE *out, Format fmt, const Provenance *pv, double as_of,
                              const PredictionResult *r, int n) {
  if (fmt == FMT_JSON) {
    json_t *root = json_object(), *prov = report_provenance_json(pv), *arr = json_array();
    json_object_set_new(prov, "as_of", json_real(as_of));
    for (int i = 0; i < n; i++) {
      json_t *j = json_object();
      json_object_set_new(j, "name", json_string(r[i].name));
      json_object_set_new(j, "id", json_string(r[i].id ? r[i].id : ""));
      json_object_set_new(j, "verdict", json_string(pred_status_name(r[i].status)));
      json_object_set_new(j, "date", json_real(r[i].date));
      json_object_set_new(j, "quantity", json_string(r[i].quantity ? r[i].quantity : ""));
      json_object_set_new(j, "basis", json_string(r[i].why));
      json_object_set_new(j, "source", r[i].source ? json_string(r[i].source) : json_null());
      json_object_set_new(j, "statement",
                          r[i].statement ? json_string(r[i].statement) : json_null());
      json_array_append_new(arr, j);
    }
    json_object_set_new(root, "provenance", prov);
    json_object_set_new(root, "predictions", arr);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', out);
    json_decref(root);
    return;
  }
  report_provenance_comment(out, pv);
  fprintf(out, "# as of %.10g\n", as_of);
  if (fmt == FMT_CSV) {
    fputs("id,name,verdict,date,quantity,basis,source\n", out);
    for (int i = 0; i < n; i++) {
      char date[32];
      snprintf(date, sizeof date, "%.10g", r[i].date);
      const char *cells[] = {r[i].id ? r[i].id : "",
                             r[i].name,
                             pred_status_name(r[i].status),
                             date,
                             r[i].quantity ? r[i].quantity : "",
                             r[i].why,
                             r[i].source ? r[i].source : ""};
      for (size_t k = 0; k < sizeof cells / sizeof *cells; k++) {
        if (k)
          fputc(',', out);
        report_csv_field(out, cells[k]);
      }
      fputc('\n', out);
    }
    return;
  }
  int wi = 2, wn = 4, wq = 8;
  for (int i = 0; i < n; i++) {
    if (r[i].id && (int)strlen(r[i].id) > wi)
      wi = (int)strlen(r[i].id);
    if ((int)strlen(r[i].name) > wn)
      wn = (int)strlen(r[i].name);
    if (r[i].quantity && (int)strlen(r[i].quantity) > wq)
      wq = (int)strlen(r[i].quantity);
  }
  fprintf(out, "%-*s  %-*s  %-9s  %-9s  %-*s  %s\n", wi, "id", wn, "name", "verdict", "date", wq,
          "quantity", "basis");
  for (int i = 0; i < n; i++) {
    char date[32];
    snprintf(date, sizeof date, "%.10g", r[i].date);
    fprintf(out, "%-*s  %-*s  %-9s  %-9s  %-*s  %s\n", wi, r[i].id ? r[i].id : "", wn, r[i].name,
            pred_status_name(r[i].status), date, wq, r[i].quantity ? r[i].quantity : "", r[i].why);
  }
}

static int cmd_predictions(const Options *o) {
  if (o->nfiles != 1)
    return usage("predictions takes one scenario file and --data DATA");
  if (!o->data)
    return usage("predictions needs --data DATA, an .edsl file with a table 'observations'");
  if (o->seed_text || o->shard_n || o->outdir || o->threads || o->time_limit > 0 || o->max_edges ||
      o->digits || o->strict)
    return usage("predictions takes FILE, --data, --as-of, --set and --format");
  if (o->fmt == FMT_LATEX)
    return usage("predictions --format takes table, csv or json");
  double as_of = NAN;
  if (o->as_of) {
    char *end;
    errno = 0;
    as_of = strtod(o->as_of, &end);
    if (errno || end == o->as_of || *end || !isfinite(as_of))
      return usage("--as-of takes a date in years, e.g. --as-of 2026.5");
  }
  Session s;
  session_init(&s);
  compile_file(s.comp, o->files[0]);
  if (!s.diag.nerrors) {
    /* the data enters as an import, so that a scenario importing it already is fine */
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "import \"%s\"\n", o->data);
    int id = sources_add(&s.src, "--data", text, strlen(text));
    compile_source(s.comp, id);
  }
  for (int i = 0; i < o->nsets && !s.diag.nerrors; i++)
    compile_set(s.comp, o->sets[i]);
  int rc = EXIT_OK;
  Observation *obs = NULL;
  int nobs = 0;
  double latest;
  if (compile_failed(&s))
    rc = EXIT_INPUT;
  else if (load_observations(&s, o->data, &obs, &nobs, &latest) != 0)
    rc = EXIT_INPUT;
  else {
    if (isnan(as_of))
      as_of = nobs ? latest : 0;
    Eval *ev = eval_new(&s.prog, s.ar, 1);
    PredictionResult *r = NULL;
    int n = 0;
    if (eval_predictions(ev, obs, nobs, as_of, &r, &n) != 0) {
      eval_print_failure(ev, &s.diag);
      rc = EXIT_INPUT;
    } else if (!n) {
      fprintf(stderr, "edsl: predictions: '%s' declares no predictions\n", o->files[0]);
      rc = EXIT_INPUT;
    } else {
      Provenance pv = {&s.prog, o->sets, o->nsets, 1, 0};
      char *buf = NULL;
      size_t len = 0;
      FILE *m = open_memstream(&buf, &len);
      write_predictions(m, o->fmt, &pv, as_of, r, n);
      fclose(m);
      fwrite(buf, 1, len, stdout);
      free(buf);
    }
    free(r);
  }
  free(obs);
  session_free(&s);
  return rc;
}

/* check --json: each diagnostic an object; notes belong to the error or warning before them. */
typedef struct {
  json_t *list, *last;
  int warnings;
} JsonDiags;

static void json_diag_sink(void *ctx, const char *severity, const char *path, Span sp,
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

typedef struct {
  const char *text;
  size_t len;
} Bytes;

static int is_unit_name(const char *name, size_t len) {
  char buf[64];
  if (len >= sizeof buf)
    return 0;
  memcpy(buf, name, len);
  buf[len] = '\0';
  return unit_lookup(buf) != NULL;
}

static int write_bytes(FILE *f, void *arg) {
  const Bytes *b = arg;
  return fwrite(b->text, 1, b->len, f) == b->len ? 0 : -1;
}

/* fmt: each file parsed, laid out canonically and checked to have the same tokens. Output to
 * stdout is all or nothing; --write replaces only the files that change, atomically. */
static int cmd_fmt(const Options *o) {
  if (!o->nfiles)
    return usage("fmt needs FILE");
  if (o->nsets || o->seed_text || o->fmt_given || o->outdir || o->threads || o->shard_n ||
      o->time_limit > 0 || o->max_edges || o->data || o->as_of || o->json || o->digits || o->strict)
    return usage("fmt takes FILE... and --write or --check");
  if (o->write && o->check_only)
    return usage("give fmt --write or --check, not both");
  Sources src = {0};
  Diag d = {.src = &src, .out = stderr, .max_errors = 50};
  char *all = NULL;
  size_t all_len = 0;
  FILE *m = open_memstream(&all, &all_len);
  int rc = EXIT_OK;
  for (int i = 0; i < o->nfiles; i++) {
    int id = sources_load(&src, o->files[i]);
    if (id < 0) {
      fprintf(stderr, "edsl: cannot read '%s': %s\n", o->files[i], strerror(errno));
      rc = EXIT_INPUT;
      continue;
    }
    char *text;
    size_t len;
    if (edsl_format(&d, id, is_unit_name, &text, &len)) {
      rc = EXIT_INPUT;
      continue;
    }
    const SourceFile *f = &src.files[id];
    int changed = len != f->len || memcmp(text, f->text, len);
    char err[512];
    Bytes b = {text, len};
    if (o->check_only && changed) {
      fprintf(m, "%s\n", o->files[i]);
      rc = rc ? rc : EXIT_INPUT;
    } else if (o->write && changed && write_atomic(o->files[i], write_bytes, &b, err, sizeof err)) {
      fprintf(stderr, "edsl: %s\n", err);
      rc = EXIT_INPUT;
    } else if (!o->write && !o->check_only)
      fwrite(text, 1, len, m);
    free(text);
  }
  fclose(m);
  if (o->check_only || rc == EXIT_OK)
    fwrite(all, 1, all_len, stdout);
  free(all);
  sources_free(&src);
  return rc;
}

static int cmd_run(const Options *o, int run, int dump) {
  const char *file = o->files[0];
  if (o->data || o->as_of)
    return usage("--data and --as-of go with 'predictions'");
  if ((!run) && (o->outdir || o->seed_text || o->threads || o->shard_n || o->time_limit > 0 ||
                 o->max_edges || o->digits || o->strict))
    return usage("--out, --seed, --threads, --shard, --time-limit, --max-network-edges, "
                 "--digits and --strict go with 'run'");
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
    s.diag.sink = json_diag_sink;
    s.diag.sink_ctx = &jd;
  }
  compile_file(s.comp, file);
  for (int i = 0; i < o->nsets && !s.diag.nerrors; i++)
    compile_set(s.comp, o->sets[i]);
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
    eo.threads = o->threads ? o->threads : default_threads();
    eo.time_limit = o->time_limit;
    if (o->max_edges)
      eo.max_network_edges = o->max_edges;
    eo.shard_k = sharded ? o->shard_k : 1;
    eo.shard_n = sharded ? o->shard_n : 1;
    eo.sink = o->outdir && !sharded ? &sink : NULL;
    eo.defer_samples = sharded;
    eo.strict = o->strict;
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
      predictions = !strcmp(cmd, "predictions"), fmt = !strcmp(cmd, "fmt");
  if (!run && !check && !dump && !merge && !reproduce && !predictions && !fmt) {
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
