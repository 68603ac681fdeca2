/* Predictions checked against dated observations.
 *
 * A prediction confirms at the first observation of its quantity inside its window where
 * `condition` holds (with `throughout`, when the window has closed with every observation in
 * it meeting the condition; the first that does not refutes it). Its evidence against
 * refutes at the first observation from the window's start where `evidence_against` holds,
 * or, with `against_through`, once that date has passed with every observation up to it
 * meeting it ("<= 8 GB through 2028"). The earlier of the two decides; on the same date the
 * refutation does, since a prediction must survive its evidence against. A prediction with
 * no evidence against is refuted when its window closes unconfirmed. Observations dated
 * after the as-of date are not read, so a verdict is reproducible from the data alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "predict.h"

static const char *text_of(Eval *ev, Decl *d, FieldId id, Span sp) {
  Value v;
  return ev_field_get(ev, d, id, &v, sp) == 1 && v.type == T_STR ? v.str : NULL;
}

/* The condition at one observation: 1 holds, 0 does not, -1 failed. */
static int holds(Eval *ev, Decl *d, FieldId field, IrExpr *point, double unit, const Observation *o,
                 Span sp) {
  point->num = o->value * unit;
  Value v;
  if (ev_field_get(ev, d, field, &v, sp) != 1)
    return -1;
  return v.num != 0;
}

static int by_date(const void *a, const void *b) {
  const Observation *x = *(const Observation *const *)a, *y = *(const Observation *const *)b;
  if (x->date != y->date)
    return x->date < y->date ? -1 : 1;
  return x < y ? -1 : x > y; /* input order among equal dates */
}

/* Observations of quantity q dated at most as_of, by date. */
static const Observation **select_obs(const Observation *obs, int nobs, const char *q, double as_of,
                                      int *n) {
  const Observation **out = malloc((size_t)(nobs + 1) * sizeof *out);
  *n = 0;
  for (int i = 0; i < nobs; i++)
    if (!strcmp(obs[i].quantity, q) && obs[i].date <= as_of)
      out[(*n)++] = &obs[i];
  qsort(out, (size_t)*n, sizeof *out, by_date);
  return out;
}

static int decide(Eval *ev, Decl *d, const Observation *obs, int nobs, double as_of,
                  PredictionResult *r) {
  Span sp = d->span;
  r->name = d->name;
  r->id = text_of(ev, d, F_PREDICTION_id, sp);
  r->source = text_of(ev, d, F_PREDICTION_source, sp);
  r->statement = text_of(ev, d, F_PREDICTION_statement, sp);
  r->quantity = text_of(ev, d, F_PREDICTION_quantity, sp);
  const char *aq = text_of(ev, d, F_PREDICTION_against_quantity, sp);
  if (ev->status)
    return -1;
  if (!aq)
    aq = r->quantity;
  double from, to, unit = 1, through = NAN;
  Value uv;
  if (ev_field_num(ev, d, F_PREDICTION_window_start, &from, sp, 1) < 0 ||
      ev_field_num(ev, d, F_PREDICTION_window_end, &to, sp, 1) < 0)
    return -1;
  int has_unit = ev_field_get(ev, d, F_PREDICTION_unit, &uv, sp);
  if (has_unit < 0)
    return -1;
  if (has_unit)
    unit = uv.num;
  if (!(to > from))
    return ev_fail(ev, EV_INPUT, sp,
                   "prediction '%s': window.end (%g) must come after window.start (%g)", d->name,
                   to, from);
  int throughout = ev_field_flag(ev, d, F_PREDICTION_throughout, sp);
  if (throughout < 0)
    return -1;
  int has_against = decl_field_id(d, F_PREDICTION_evidence_against) != NULL;
  if (has_against && ev_field_num(ev, d, F_PREDICTION_against_through, &through, sp, 0) < 0)
    return -1;

  IrExpr point = {0};
  point.op = IR_NUM;
  point.type = T_NUM;
  point.dim = has_unit ? uv.dim : DIM_NONE;
  Override o = {d, F_PREDICTION_observed, "observed", &point, sp};
  if (ev->nsweep >= 64)
    return ev_fail(ev, EV_INPUT, sp, "sweeps and searches nest deeper than 64");
  ev->sweep[ev->nsweep++] = &o;

  int n, na;
  const Observation **q = select_obs(obs, nobs, r->quantity, as_of, &n);
  const Observation **a = select_obs(obs, nobs, aq, as_of, &na);
  r->nobs = n + (strcmp(aq, r->quantity) ? na : 0);
  double confirm = INFINITY, refute = INFINITY;
  char cwhy[256] = "", rwhy[256] = "";
  int in_window = 0, rc = 0;
  for (int i = 0; i < n && rc >= 0; i++) {
    if (q[i]->date < from || q[i]->date >= to)
      continue;
    in_window++;
    rc = holds(ev, d, F_PREDICTION_condition, &point, unit, q[i], sp);
    if (rc < 0)
      break;
    if (!throughout && rc == 1 && q[i]->date < confirm) {
      confirm = q[i]->date;
      snprintf(cwhy, sizeof cwhy, "%s = %g at %g meets the condition", r->quantity, q[i]->value,
               q[i]->date);
    } else if (throughout && rc == 0 && q[i]->date < refute) {
      refute = q[i]->date;
      snprintf(rwhy, sizeof rwhy, "%s = %g at %g breaks the condition, which must hold throughout",
               r->quantity, q[i]->value, q[i]->date);
    }
  }
  if (rc >= 0 && throughout && refute == INFINITY && in_window && as_of >= to) {
    confirm = to;
    snprintf(cwhy, sizeof cwhy, "%s %d observation%s of %s in the window meet%s the condition",
             in_window == 1 ? "the" : "all", in_window, in_window == 1 ? "" : "s", r->quantity,
             in_window == 1 ? "s" : "");
  }
  if (rc >= 0 && has_against) {
    int upto = 0, all = 1;
    for (int i = 0; i < na; i++) {
      if (a[i]->date < from)
        continue;
      if (!isnan(through) && a[i]->date >= through)
        break;
      rc = holds(ev, d, F_PREDICTION_evidence_against, &point, unit, a[i], sp);
      if (rc < 0)
        break;
      upto++;
      all &= rc;
      if (isnan(through) && rc == 1 && a[i]->date < refute) {
        refute = a[i]->date;
        snprintf(rwhy, sizeof rwhy, "%s = %g at %g meets the evidence against", aq, a[i]->value,
                 a[i]->date);
        break;
      }
    }
    if (rc >= 0 && !isnan(through) && as_of >= through && upto && all && through < refute) {
      refute = through;
      snprintf(rwhy, sizeof rwhy, "%s %d observation%s of %s up to %g meet%s the evidence against",
               upto == 1 ? "the" : "all", upto, upto == 1 ? "" : "s", aq, through,
               upto == 1 ? "s" : "");
    }
  }
  ev->nsweep--;
  free(q);
  free(a);
  if (rc < 0)
    return -1;
  if (refute <= confirm && refute < INFINITY) {
    r->status = PRED_REFUTED;
    r->date = refute;
    snprintf(r->why, sizeof r->why, "%s", rwhy);
  } else if (confirm < INFINITY) {
    r->status = PRED_CONFIRMED;
    r->date = confirm;
    snprintf(r->why, sizeof r->why, "%s", cwhy);
  } else if (!has_against && !throughout && as_of >= to) {
    r->status = PRED_REFUTED;
    r->date = to;
    snprintf(r->why, sizeof r->why,
             "the window closed at %g without the condition (%d observation%s in it)", to,
             in_window, in_window == 1 ? "" : "s");
  } else {
    r->status = PRED_OPEN;
    r->date = as_of;
    if (!n && na == 0)
      snprintf(r->why, sizeof r->why, "no observations of %s yet", r->quantity);
    else if (as_of >= to)
      snprintf(r->why, sizeof r->why,
               "the window closed at %g unconfirmed; the stated evidence against is not met", to);
    else
      snprintf(r->why, sizeof r->why, "%d observation%s in the window so far; it closes at %g",
               in_window, in_window == 1 ? "" : "s", to);
  }
  return 0;
}

int eval_predictions(Eval *ev, const Observation *obs, int nobs, double as_of,
                     PredictionResult **out, int *nout) {
  ec_init();
  ev->status = EV_OK;
  ev->set_decl = program_find(ev->p, "__set__");
  int n = 0;
  PredictionResult *r = calloc((size_t)ev->p->ndecls + 1, sizeof *r);
  for (int i = 0; i < ev->p->ndecls; i++) {
    Decl *d = ev->p->decls[i];
    if (d->kind != D_PREDICTION)
      continue;
    if (decide(ev, d, obs, nobs, as_of, &r[n]) != 0) {
      free(r);
      return -1;
    }
    n++;
  }
  *out = r;
  *nout = n;
  return 0;
}
