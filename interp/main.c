/* edsl command line: run, check, dump-ir, repl. A thin shell over compile/eval/report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver.h"
#include "version.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_NUMERIC = 3 };

static const char *usage_text =
    "usage: edsl run FILE [--set PATH=VALUE]... [--seed N] [--format table|csv|json] [--out DIR]\n"
    "       edsl check FILE [--set PATH=VALUE]...\n"
    "       edsl dump-ir FILE [--set PATH=VALUE]...\n"
    "       edsl repl\n"
    "       edsl --version | --help\n";

static const char *help_text =
    "edsl: a scenario language for the economics of endogenous decentralization.\n\n"
    "commands:\n"
    "  run FILE      evaluate every report and sweep in FILE and print the results\n"
    "  check FILE    parse, resolve and type-check FILE without evaluating it\n"
    "  dump-ir FILE  print the checked intermediate representation\n"
    "  repl          interactive session (:help inside)\n\n"
    "options:\n"
    "  --set PATH=VALUE  override a block field, e.g. --set inference.firms=10\n"
    "                    or --set packaging.alpha=0.2 (units allowed: \"30 %/year\")\n"
    "  --seed N          seed of the random number generator (default: the file's\n"
    "                    'seed = N', else 1)\n"
    "  --format F        table (default), csv or json\n"
    "  --out DIR         write results to DIR/<name>.<txt|csv|json> and sweep files into DIR\n\n"
    "exit status: 0 ok, 1 input error, 2 usage error, 3 numeric failure\n";

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
  free(s->prog.stmts);
  free(s->prog.inputs);
  arena_free(s->ar);
}

static int usage(const char *msg) {
  if (msg)
    fprintf(stderr, "edsl: %s\n", msg);
  fputs(usage_text, stderr);
  return EXIT_USAGE;
}

typedef struct {
  Format fmt;
  const Provenance *pv;
  const Results *res;
} WriteArgs;

static int write_results(FILE *f, void *arg) {
  WriteArgs *w = arg;
  return report_write(f, w->fmt, w->pv, w->res);
}

typedef struct {
  const Provenance *pv;
  const Result *r;
} WriteTable;

static int write_table(FILE *f, void *arg) {
  WriteTable *w = arg;
  return report_write_table_csv(f, w->pv, w->r);
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
  int run = !strcmp(cmd, "run"), check = !strcmp(cmd, "check"), dump = !strcmp(cmd, "dump-ir");
  if (!run && !check && !dump) {
    char m[256];
    snprintf(m, sizeof m, "unknown command '%s'", cmd);
    return usage(m);
  }
  const char *file = NULL, *outdir = NULL, *seed_text = NULL;
  Format fmt = FMT_TABLE;
  const char **sets = calloc((size_t)argc, sizeof *sets);
  int nsets = 0;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
    int has_val = i + 1 < argc;
    if (!strcmp(a, "--set") || !strcmp(a, "--format") || !strcmp(a, "--out") ||
        !strcmp(a, "--seed")) {
      if (!has_val) {
        free(sets);
        char m[128];
        snprintf(m, sizeof m, "%s needs a value", a);
        return usage(m);
      }
      val = argv[++i];
    } else if (!strncmp(a, "--set=", 6) || !strncmp(a, "--format=", 9) ||
               !strncmp(a, "--out=", 6) || !strncmp(a, "--seed=", 7)) {
      val = strchr(a, '=') + 1;
    }
    if (!strncmp(a, "--set", 5))
      sets[nsets++] = val;
    else if (!strncmp(a, "--format", 8)) {
      if (!strcmp(val, "table"))
        fmt = FMT_TABLE;
      else if (!strcmp(val, "csv"))
        fmt = FMT_CSV;
      else if (!strcmp(val, "json"))
        fmt = FMT_JSON;
      else {
        free(sets);
        return usage("--format takes table, csv or json");
      }
    } else if (!strncmp(a, "--out", 5))
      outdir = val;
    else if (!strncmp(a, "--seed", 6))
      seed_text = val;
    else if (a[0] == '-' && a[1]) {
      free(sets);
      char m[256];
      snprintf(m, sizeof m, "unknown option '%s'", a);
      return usage(m);
    } else if (file) {
      free(sets);
      return usage("give one scenario file");
    } else
      file = a;
  }
  if (!file) {
    free(sets);
    return usage("missing FILE");
  }
  if ((check || dump) && (outdir || seed_text)) {
    free(sets);
    return usage("--out and --seed go with 'run'");
  }
  unsigned long seed = 1;
  int seed_given = 0;
  if (seed_text) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(seed_text, &end, 10);
    if (errno || *end || !*seed_text || seed_text[0] == '-' || v > 4294967295ULL) {
      free(sets);
      return usage("--seed takes a whole number from 0 to 4294967295");
    }
    seed = (unsigned long)v;
    seed_given = 1;
  }

  Session s;
  session_init(&s);
  compile_file(s.comp, file);
  for (int i = 0; i < nsets && !s.diag.nerrors; i++)
    compile_set(s.comp, sets[i]);
  int rc = EXIT_OK;
  if (s.diag.nerrors) {
    if (s.diag.nerrors > s.diag.max_errors)
      fprintf(stderr, "edsl: %d errors in all; the first %d are shown\n", s.diag.nerrors,
              s.diag.max_errors);
    rc = EXIT_INPUT;
    goto done;
  }
  if (check)
    goto done;
  if (dump) {
    ir_dump(&s.prog, stdout);
    goto done;
  }
  if (!seed_given && s.prog.has_seed)
    seed = (unsigned long)s.prog.seed;
  {
    Results res = {0};
    Eval *ev = eval_new(&s.prog, s.ar, seed);
    EvalStatus st = eval_program(ev, 0, &res, &s.diag);
    if (st != EV_OK) {
      rc = st == EV_INPUT ? EXIT_INPUT : EXIT_NUMERIC;
      results_free(&res);
      goto done;
    }
    Provenance pv = {&s.prog, sets, nsets, seed};
    WriteArgs wa = {fmt, &pv, &res};
    char err[512];
    if (!outdir) {
      /* Build the whole output first: a failure leaves nothing half-printed. */
      char *buf = NULL;
      size_t len = 0;
      FILE *m = open_memstream(&buf, &len);
      report_write(m, fmt, &pv, &res);
      fclose(m);
      fwrite(buf, 1, len, stdout);
      free(buf);
    } else {
      if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "edsl: cannot create output directory '%s': %s\n", outdir, strerror(errno));
        rc = EXIT_INPUT;
      } else {
        const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
        size_t bl = strlen(base);
        if (bl > 5 && !strcmp(base + bl - 5, ".edsl"))
          bl -= 5;
        static const char *ext[] = {"txt", "csv", "json"};
        char *path = malloc(strlen(outdir) + bl + 16);
        sprintf(path, "%s/%.*s.%s", outdir, (int)bl, base, ext[fmt]);
        if (write_atomic(path, write_results, &wa, err, sizeof err)) {
          fprintf(stderr, "edsl: %s\n", err);
          rc = EXIT_INPUT;
        }
        free(path);
      }
    }
    /* Sweep files named with `to`. */
    for (int i = 0; i < s.prog.nstmts && rc == EXIT_OK; i++) {
      const Stmt *st2 = s.prog.stmts[i];
      if (st2->kind != ST_SWEEP || !st2->to_file)
        continue;
      for (int k = 0; k < res.n; k++)
        if (res.items[k].name == st2->name) {
          if (!outdir)
            break; /* sweep files are written only into --out */
          const char *dir = outdir;
          char *path = malloc(strlen(dir) + strlen(st2->to_file) + 2);
          sprintf(path, "%s/%s", dir, st2->to_file);
          WriteTable wt = {&pv, &res.items[k]};
          if (write_atomic(path, write_table, &wt, err, sizeof err)) {
            fprintf(stderr, "edsl: %s\n", err);
            rc = EXIT_INPUT;
          }
          free(path);
        }
    }
    results_free(&res);
  }
done:
  session_free(&s);
  free(sets);
  return rc;
}
