/* edsl reproduce: the claims of several scenarios as one Markdown report. */
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
#include "predict.h"
#include "report.h"
#include "schema.h"
#include "shard.h"
#include "version.h"

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
    if (c->calibrated) {
      fputs(": ", out);
      md_cell(out, c->calibrated);
    }
    if (c->note) {
      fputs(c->calibrated ? "; " : ": ", out);
      md_cell(out, c->note);
    }
    if (c->reason) {
      fputs(c->calibrated || c->note ? "; " : ": ", out);
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
  /* the scenario's reports: the calibrated inputs its claims name, with their values */
  int any = 0;
  for (int i = 0; i < res->n; i++) {
    const Result *r = &res->items[i];
    if (r->is_table || r->latex_only)
      continue;
    char b[128], u[64];
    report_scalar_text(&r->v, b, sizeof b, 6);
    dim_format(r->v.dim, u, sizeof u);
    fprintf(out, "%s`%s` = %s%s%s", any++ ? ", " : "Reports: ", r->name, b, u[0] ? " " : "", u);
  }
  if (any)
    fputs(".\n\n", out);
}

/* The index of printed numbers (a table `printed_numbers` with text columns id, seed and
 * source, scenarios/paper/printed_numbers.edsl): its rows, copied out of their session. */
typedef struct {
  char **id, **seed, **source;
  int n, present; /* present: a file gave the index (it may have no rows) */
  unsigned char *covered;
} PrintedIndex;

static int text_column(const Decl *t, const char *name) {
  for (int j = 0; j < t->ncols; j++)
    if (t->coltext[j] && !strcmp(t->colnames[j], name))
      return j;
  return -1;
}

/* 1 when the file holds the index (read into ix), 0 when it does not, -1 on a malformed one. */
static int read_index(const Program *p, const char *file, PrintedIndex *ix) {
  const Decl *t = program_find(p, "printed_numbers");
  if (!t || t->kind != D_TABLE)
    return 0;
  int ci = text_column(t, "id"), cs = text_column(t, "seed"), cw = text_column(t, "source");
  if (ci < 0 || cs < 0 || cw < 0) {
    fprintf(stderr,
            "edsl: reproduce: %s: table printed_numbers needs text columns id, seed and "
            "source\n",
            file);
    return -1;
  }
  if (ix->present) {
    fprintf(stderr, "edsl: reproduce: %s: a second index of printed numbers\n", file);
    return -1;
  }
  ix->present = 1;
  size_t n = (size_t)t->nrows + 1;
  ix->id = calloc(n, sizeof *ix->id);
  ix->seed = calloc(n, sizeof *ix->seed);
  ix->source = calloc(n, sizeof *ix->source);
  ix->covered = calloc(n, 1);
  if (!ix->id || !ix->seed || !ix->source || !ix->covered) {
    fprintf(stderr, "edsl: reproduce: out of memory\n");
    return -1;
  }
  for (int i = 0; i < t->nrows; i++, ix->n++) {
    ix->id[i] = strdup(t->text[ci][i]);
    ix->seed[i] = strdup(t->text[cs][i]);
    ix->source[i] = strdup(t->text[cw][i]);
    if (!ix->id[i] || !ix->seed[i] || !ix->source[i]) {
      fprintf(stderr, "edsl: reproduce: out of memory\n");
      return -1;
    }
    for (int k = 0; k < i; k++)
      if (!strcmp(ix->id[k], ix->id[i])) {
        fprintf(stderr, "edsl: reproduce: %s: printed number '%s' is indexed twice\n", file,
                ix->id[i]);
        return -1;
      }
  }
  return 1;
}

static void index_free(PrintedIndex *ix) {
  for (int i = 0; i < ix->n; i++) {
    free(ix->id[i]);
    free(ix->seed[i]);
    free(ix->source[i]);
  }
  free(ix->id);
  free(ix->seed);
  free(ix->source);
  free(ix->covered);
}

/* The claims in file order, to be matched against the index at the end; for the authors'
 * section, each not-reproducible one's printed and edsl values and its proposed fix
 * (strdup'd: the sessions are gone by then). */
typedef struct {
  char *name, *paper, *value, *fix;
  const char *file;
  int reproducible;
} ClaimRow;
typedef struct {
  ClaimRow *row;
  int n, cap;
} ClaimNames;

static char *dup_or_null(const char *s) {
  return s ? strdup(s) : NULL;
}

/* For the authors: per seed (the index's column; "unindexed" without one), each printed number
 * that does not follow, with the change the claim proposes. */
static void authors_section(const ClaimNames *names, const PrintedIndex *ix) {
  int any = 0;
  for (int i = 0; i < names->n; i++)
    any |= !names->row[i].reproducible;
  if (!any)
    return;
  printf("## For the authors: what to change\n\n"
         "Per seed, each printed number that does not follow from the stated inputs, with the "
         "smallest change that would make it follow (the claim's `fix`).\n\n");
  /* the seeds in the order the index first names them, then claims outside any index */
  for (int k = 0; k <= ix->n; k++) {
    const char *seed = k < ix->n ? ix->seed[k] : NULL;
    int seen = 0;
    for (int j = 0; j < k && k < ix->n; j++)
      seen |= !strcmp(ix->seed[j], seed);
    if (seen)
      continue;
    int header = 0;
    for (int i = 0; i < names->n; i++) {
      const ClaimRow *c = &names->row[i];
      if (c->reproducible)
        continue;
      int r = 0;
      while (r < ix->n && strcmp(ix->id[r], c->name))
        r++;
      if (seed ? (r == ix->n || strcmp(ix->seed[r], seed)) : r < ix->n)
        continue;
      if (!header++)
        printf("### %s%s\n\n", seed ? "seed " : "", seed ? seed : "claims outside the index");
      printf("- `%s`: printed %s, edsl %s; change: ", c->name, c->paper, c->value);
      if (c->fix)
        md_cell(stdout, c->fix);
      else
        fputs("(no change proposed)", stdout);
      fputs(".\n", stdout);
    }
    if (header)
      fputs("\n", stdout);
  }
}

int cmd_reproduce(const Options *o) {
  if (!o->nfiles)
    return usage("reproduce needs the scenario files");
  if (o->nsets || o->seed_text || o->fmt_given || o->shard_n || o->outdir || o->data || o->as_of ||
      o->digits || o->strict)
    return usage("reproduce takes scenario files (and --threads); each runs as written");
  char *body = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&body, &len);
  int rc = EXIT_OK, total = 0, index_file = -1;
  PrintedIndex ix = {0};
  ClaimNames names = {0};
  int(*counts)[CLAIM_NVERDICTS] = calloc((size_t)o->nfiles, sizeof *counts);
  if (!counts) {
    fclose(m);
    free(body);
    fprintf(stderr, "edsl: reproduce: out of memory\n");
    return EXIT_INPUT;
  }
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
      int is_index = st == EV_OK ? read_index(&s.prog, o->files[f], &ix) : 0;
      if (st != EV_OK)
        rc = exit_code(st);
      else if (is_index < 0)
        rc = EXIT_INPUT;
      else if (is_index && res.nclaims) {
        fprintf(stderr,
                "edsl: reproduce: '%s': the index of printed numbers is a file of its own, "
                "without claims\n",
                o->files[f]);
        rc = EXIT_INPUT;
      } else if (is_index)
        index_file = f;
      else if (!res.nclaims) {
        fprintf(stderr, "edsl: reproduce: '%s' declares no claims\n", o->files[f]);
        rc = EXIT_INPUT;
      } else {
        md_claims(m, &s, o->files[f], &res, seed);
        for (int i = 0; i < res.nclaims; i++) {
          counts[f][res.claims[i].verdict]++;
          if (names.n == names.cap) {
            names.cap = names.cap ? 2 * names.cap : 64;
            names.row = realloc(names.row, (size_t)names.cap * sizeof *names.row);
            if (!names.row) {
              fprintf(stderr, "edsl: reproduce: out of memory\n");
              exit(EXIT_INPUT);
            }
          }
          const ClaimResult *c = &res.claims[i];
          ClaimText t;
          claim_text(c, &t);
          names.row[names.n++] = (ClaimRow){strdup(c->name), strdup(t.paper),
                                            strdup(t.value), dup_or_null(c->fix),
                                            o->files[f],     c->verdict != CLAIM_NOT_REPRODUCIBLE};
        }
        total += res.nclaims;
      }
      results_free(&res);
    }
    session_free(&s);
  }
  fclose(m);
  /* every claim has its row in the index, and the rows no claim covers are listed */
  int nmissing = 0, ncovered = 0;
  for (int i = 0; i < names.n && rc == EXIT_OK && ix.present; i++) {
    int k = 0;
    while (k < ix.n && strcmp(ix.id[k], names.row[i].name))
      k++;
    if (k == ix.n) {
      fprintf(stderr,
              "edsl: reproduce: claim '%s' of %s has no row in the index of printed "
              "numbers (%s): add one with its seed and source\n",
              names.row[i].name, names.row[i].file, o->files[index_file]);
      nmissing++;
    } else
      ix.covered[k] = 1;
  }
  if (nmissing)
    rc = EXIT_INPUT;
  for (int k = 0; k < ix.n; k++)
    ncovered += ix.covered[k];
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
           "verdict, one of:\n\n");
    for (int v = 0; v < CLAIM_NVERDICTS; v++)
      printf("- **%s**: %s.\n", claim_verdict_name((ClaimVerdict)v),
             claim_verdict_meaning((ClaimVerdict)v));
    printf("\nOnly the first two are evidence that the model gives the papers' numbers.\n\n");
    printf("| Scenario |");
    for (int v = 0; v < CLAIM_NVERDICTS; v++)
      printf(" %s |", claim_verdict_name((ClaimVerdict)v));
    printf(" all |\n|---|");
    for (int v = 0; v <= CLAIM_NVERDICTS; v++)
      printf("---|");
    printf("\n");
    int sum[CLAIM_NVERDICTS] = {0};
    for (int f = 0; f < o->nfiles; f++) {
      int n = 0;
      if (f == index_file)
        continue;
      printf("| %s |", o->files[f]);
      for (int v = 0; v < CLAIM_NVERDICTS; v++) {
        printf(" %d |", counts[f][v]);
        sum[v] += counts[f][v];
        n += counts[f][v];
      }
      printf(" %d |\n", n);
    }
    printf("| all |");
    for (int v = 0; v < CLAIM_NVERDICTS; v++)
      printf(" %d |", sum[v]);
    printf(" %d |\n\n", total);
    if (ix.present)
      printf("The index of the numbers the seeds print (%s) has %d rows: %d have a claim above, "
             "%d do not yet (listed at the end).\n\n",
             o->files[index_file], ix.n, ncovered, ix.n - ncovered);
    fwrite(body, 1, len, stdout);
    if (ix.n > ncovered) {
      printf("## Printed numbers without a claim\n\n| Index | Seed | Source |\n|---|---|---|\n");
      for (int k = 0; k < ix.n; k++)
        if (!ix.covered[k]) {
          printf("| `%s` | %s | ", ix.id[k], ix.seed[k]);
          md_cell(stdout, ix.source[k]);
          printf(" |\n");
        }
      printf("\n");
    }
    authors_section(&names, &ix);
  }
  free(body);
  free(counts);
  index_free(&ix);
  for (int i = 0; i < names.n; i++) {
    free(names.row[i].name);
    free(names.row[i].paper);
    free(names.row[i].value);
    free(names.row[i].fix);
  }
  free(names.row);
  return rc;
}
