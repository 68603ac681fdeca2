/* edsl predictions: declared predictions against dated observations. */
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
#include "schema.h"
#include "shard.h"
#include "version.h"

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

int cmd_predictions(const Options *o) {
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
