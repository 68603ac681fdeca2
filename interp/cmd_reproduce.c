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
  int n, present;    /* present: a file gave the index (it may have no rows) */
  int *covered;      /* per row: 1 + the claim that covers it, 0 none */
  struct Key *by_id; /* the rows sorted by id, for lookups in O(log n) */
  int *group;        /* per row: its seed's rank among the seeds, sorted */
  const char **group_seed;
  int ngroups;
} PrintedIndex;

/* A text and the row it belongs to: sorted by text, then row, so that equal texts stay in row
 * order (an index of many rows, and many claims, stays O(n log n)). */
typedef struct Key {
  const char *text;
  int row;
} Key;

static int key_cmp(const void *a, const void *b) {
  const Key *x = a, *y = b;
  int c = strcmp(x->text, y->text);
  return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* The row of the index whose id is name, or -1. */
static int index_find(const PrintedIndex *ix, const char *name) {
  Key k = {name, -1};
  int lo = 0, hi = ix->n; /* the first row sorted at or after (name, -1) */
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (key_cmp(&ix->by_id[mid], &k) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < ix->n && !strcmp(ix->by_id[lo].text, name) ? ix->by_id[lo].row : -1;
}

static int text_column(const Decl *t, const char *name) {
  for (int j = 0; j < t->ncols; j++)
    if (t->coltext[j] && !strcmp(t->colnames[j], name))
      return j;
  return -1;
}

/* 1 when the file holds the index (read into ix), 0 when it does not, -1 on a malformed one. */
static int read_index(const Program *p, Diag *d, PrintedIndex *ix) {
  const Decl *t = program_find(p, "printed_numbers");
  if (!t || t->kind != D_TABLE)
    return 0;
  int ci = text_column(t, "id"), cs = text_column(t, "seed"), cw = text_column(t, "source");
  if (ci < 0 || cs < 0 || cw < 0) {
    diag_error(d, t->span,
               "an index of printed numbers needs text columns id, seed and source, e.g. "
               "'table printed_numbers(id: text, seed: text, source: text)'");
    return -1;
  }
  if (ix->present) {
    diag_error(d, t->span, "a second index of printed numbers: give reproduce one");
    return -1;
  }
  ix->present = 1;
  size_t n = (size_t)t->nrows + 1;
  ix->id = calloc(n, sizeof *ix->id);
  ix->seed = calloc(n, sizeof *ix->seed);
  ix->source = calloc(n, sizeof *ix->source);
  ix->covered = calloc(n, sizeof *ix->covered);
  ix->by_id = calloc(n, sizeof *ix->by_id);
  ix->group = calloc(n, sizeof *ix->group);
  ix->group_seed = calloc(n, sizeof *ix->group_seed);
  if (!ix->id || !ix->seed || !ix->source || !ix->covered || !ix->by_id || !ix->group ||
      !ix->group_seed) {
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
    ix->by_id[i] = (Key){ix->id[i], i};
  }
  qsort(ix->by_id, (size_t)ix->n, sizeof *ix->by_id, key_cmp);
  for (int k = 1; k < ix->n; k++)
    if (!strcmp(ix->by_id[k - 1].text, ix->by_id[k].text)) {
      diag_error(d, t->span, "printed number '%s' is indexed twice", ix->by_id[k].text);
      return -1;
    }
  /* the seeds, sorted, each row's group its seed's rank (one sort: the report groups by it) */
  Key *seeds = malloc(n * sizeof *seeds);
  if (!seeds) {
    fprintf(stderr, "edsl: reproduce: out of memory\n");
    return -1;
  }
  for (int k = 0; k < ix->n; k++)
    seeds[k] = (Key){ix->seed[k], k};
  qsort(seeds, (size_t)ix->n, sizeof *seeds, key_cmp);
  for (int k = 0; k < ix->n; k++) {
    if (!k || strcmp(seeds[k - 1].text, seeds[k].text))
      ix->group_seed[ix->ngroups++] = seeds[k].text;
    ix->group[seeds[k].row] = ix->ngroups - 1;
  }
  free(seeds);
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
  free(ix->by_id);
  free(ix->group);
  free(ix->group_seed);
}

/* The claims in file order, to be matched against the index at the end; for the authors'
 * section, each not-reproducible one's printed and edsl values and its proposed fix
 * (strdup'd: the sessions are gone by then). */
typedef struct {
  char *name, *paper, *value, *fix;
  const char *file;
  int reproducible;
  ClaimVerdict verdict;
  int row; /* its row in the index, -1 when there is none */
} ClaimRow;
typedef struct {
  ClaimRow *row;
  int n, cap;
} ClaimRows;

static char *dup_or_null(const char *s) {
  return s ? strdup(s) : NULL;
}

/* A claim that does not follow and its group: the rank of its seed in the index. */
typedef struct {
  int group, claim;
} Placed;

static int placed_cmp(const void *a, const void *b) {
  const Placed *x = a, *y = b;
  return x->group != y->group ? (x->group > y->group) - (x->group < y->group)
                              : (x->claim > y->claim) - (x->claim < y->claim);
}

/* For the authors: per seed (sorted; claims outside the index last), each printed number
 * that does not follow, with the change the claim proposes. */
static void authors_section(const ClaimRows *claims, const PrintedIndex *ix) {
  Placed *order = malloc(((size_t)claims->n + 1) * sizeof *order);
  if (!order) {
    fprintf(stderr, "edsl: reproduce: out of memory\n");
    return;
  }
  int n = 0;
  for (int i = 0; i < claims->n; i++)
    if (!claims->row[i].reproducible) {
      int r = claims->row[i].row;
      order[n++] = (Placed){r < 0 ? ix->ngroups : ix->group[r], i};
    }
  qsort(order, (size_t)n, sizeof *order, placed_cmp);
  if (n)
    printf("## For the authors: what to change\n\n"
           "Per seed, each printed number that does not follow from the stated inputs, with the "
           "smallest change that would make it follow (the claim's `fix`).\n\n");
  for (int j = 0; j < n; j++) {
    const ClaimRow *c = &claims->row[order[j].claim];
    if (!j || order[j - 1].group != order[j].group) {
      if (j)
        fputs("\n", stdout);
      if (order[j].group < ix->ngroups) {
        fputs("### seed ", stdout);
        md_cell(stdout, ix->group_seed[order[j].group]);
        fputs("\n\n", stdout);
      } else
        fputs("### claims outside the index\n\n", stdout);
    }
    printf("- `%s`: printed %s, edsl %s; change: ", c->name, c->paper, c->value);
    if (c->fix)
      md_cell(stdout, c->fix);
    else
      fputs("(no change proposed)", stdout);
    fputs(".\n", stdout);
  }
  if (n)
    fputs("\n", stdout);
  free(order);
}

/* Per seed (sorted), the claims of its printed numbers by verdict, and its index rows with
 * and without a claim: the count by paper. */
static void seed_table(const ClaimRows *claims, const PrintedIndex *ix) {
  int(*count)[CLAIM_NVERDICTS + 2] = calloc((size_t)ix->ngroups + 1, sizeof *count);
  if (!count) {
    fprintf(stderr, "edsl: reproduce: out of memory\n");
    return;
  }
  for (int i = 0; i < claims->n; i++)
    if (claims->row[i].row >= 0)
      count[ix->group[claims->row[i].row]][claims->row[i].verdict]++;
  for (int k = 0; k < ix->n; k++)
    count[ix->group[k]][CLAIM_NVERDICTS + (ix->covered[k] ? 0 : 1)]++;
  printf("| Seed |");
  for (int v = 0; v < CLAIM_NVERDICTS; v++)
    printf(" %s |", claim_verdict_name((ClaimVerdict)v));
  printf(" printed numbers with a claim | without |\n|---|");
  for (int v = 0; v <= CLAIM_NVERDICTS + 1; v++)
    printf("---|");
  printf("\n");
  for (int g = 0; g < ix->ngroups; g++) {
    fputs("| ", stdout);
    md_cell(stdout, ix->group_seed[g]);
    fputs(" |", stdout);
    for (int v = 0; v < CLAIM_NVERDICTS + 2; v++)
      printf(" %d |", count[g][v]);
    printf("\n");
  }
  printf("\n");
  free(count);
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
  ClaimRows names = {0};
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
      int is_index = st == EV_OK ? read_index(&s.prog, &s.diag, &ix) : 0;
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
                                            o->files[f],     c->verdict != CLAIM_NOT_REPRODUCIBLE,
                                            c->verdict,      -1};
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
    int k = names.row[i].row = index_find(&ix, names.row[i].name);
    if (k >= 0 && ix.covered[k]) {
      fprintf(stderr,
              "edsl: reproduce: claim '%s' of %s and claim '%s' of %s both cover printed number "
              "'%s': rename one, and give it a row of its own\n",
              names.row[ix.covered[k] - 1].name, names.row[ix.covered[k] - 1].file,
              names.row[i].name, names.row[i].file, ix.id[k]);
      nmissing++;
    } else if (k < 0) {
      fprintf(stderr,
              "edsl: reproduce: claim '%s' of %s has no row in the index of printed "
              "numbers (%s): add one with its seed and source\n",
              names.row[i].name, names.row[i].file, o->files[index_file]);
      nmissing++;
    } else
      ix.covered[k] = i + 1;
  }
  if (nmissing)
    rc = EXIT_INPUT;
  for (int k = 0; k < ix.n; k++)
    ncovered += ix.covered[k] > 0;
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
    if (ix.present) {
      printf("The index of the numbers the seeds print (%s) has %d rows: %d have a claim above, "
             "%d do not yet (listed at the end). By seed, the claims of its printed numbers:\n\n",
             o->files[index_file], ix.n, ncovered, ix.n - ncovered);
      seed_table(&names, &ix);
    }
    fwrite(body, 1, len, stdout);
    if (ix.n > ncovered) {
      printf("## Printed numbers without a claim\n\n| Index | Seed | Source |\n|---|---|---|\n");
      for (int k = 0; k < ix.n; k++)
        if (!ix.covered[k]) {
          printf("| `%s` | ", ix.id[k]);
          md_cell(stdout, ix.seed[k]);
          fputs(" | ", stdout);
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
