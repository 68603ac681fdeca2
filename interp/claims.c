/* Claims: a number a paper prints, edsl's value of it, and the verdict. A claim is a checked
 * statement: one that does not hold must say why (`reason`), and one that holds must not
 * carry a stale reason, so a scenario file cannot silently drift from its paper. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "claims.h"
#include "eval_internal.h"

/* A number or a list as a malloc'd array. */
static double *values_of(const Value *v, int *n, int *is_list) {
  *is_list = v->type == T_VEC;
  *n = *is_list ? v->n : 1;
  double *out = malloc((size_t)(*n > 0 ? *n : 1) * sizeof *out);
  if (*is_list)
    memcpy(out, v->vec, (size_t)*n * sizeof *out);
  else
    out[0] = v->num;
  return out;
}

static void claim_push(Results *res, ClaimResult c) {
  if (res->nclaims == res->capclaims) {
    res->capclaims = res->capclaims ? 2 * res->capclaims : 8;
    res->claims = realloc(res->claims, (size_t)res->capclaims * sizeof *res->claims);
  }
  res->claims[res->nclaims++] = c;
}

/* "0.79", "[0.22, 0.28]" with the unit after it; n = 0 prints a dash. */
void claim_format_values(char *buf, size_t cap, const double *x, int n, int is_list, Dim dim) {
  char u[64];
  dim_format(dim, u, sizeof u);
  size_t k = 0;
  if (!x) {
    snprintf(buf, cap, "-");
    return;
  }
  if (is_list)
    k += (size_t)snprintf(buf + k, cap - k, "[");
  for (int i = 0; i < n && k < cap; i++)
    k += (size_t)snprintf(buf + k, cap - k, "%s%.6g", i ? ", " : "", x[i]);
  if (is_list && k < cap)
    k += (size_t)snprintf(buf + k, cap - k, "]");
  if (u[0] && k < cap)
    snprintf(buf + k, cap - k, " %s", u);
}

void claim_format_tolerance(char *buf, size_t cap, const ClaimResult *c) {
  char u[64];
  if (!c->has_tolerance)
    snprintf(buf, cap, "-");
  else if (c->rel)
    snprintf(buf, cap, "%.6g %%", 100 * c->tolerance);
  else {
    dim_format(c->dim, u, sizeof u);
    snprintf(buf, cap, "%.6g%s%s", c->tolerance, u[0] ? " " : "", u);
  }
}

void claim_text(const ClaimResult *c, ClaimText *t) {
  claim_format_values(t->paper, sizeof t->paper, c->paper, c->npaper, c->paper_is_list, c->dim);
  claim_format_values(t->value, sizeof t->value, c->value, c->nvalue, c->value_is_list, c->dim);
  claim_format_tolerance(t->tolerance, sizeof t->tolerance, c);
}

static const struct {
  const char *name, *meaning;
} verdicts[CLAIM_NVERDICTS] = {
    [CLAIM_REPRODUCED] = {"reproduced",
                          "edsl's model, at inputs the papers state, gives the printed number"},
    [CLAIM_CALIBRATED] = {"reproduced at a calibrated input",
                          "an input the papers do not state was solved for (named, with its "
                          "value and the printed numbers it was fitted to); this number was "
                          "not among them, so it is a check"},
    [CLAIM_FITTED] = {"calibration target",
                      "the number a calibrated input was fitted to: it holds by construction "
                      "and is not counted as evidence"},
    [CLAIM_ARITHMETIC] = {"arithmetic",
                          "the printed number is arithmetic on printed inputs: checked, but "
                          "not a result of the model"},
    [CLAIM_NOT_REPRODUCIBLE] = {"not reproducible",
                                "edsl's value differs from the printed one beyond the "
                                "tolerance; the claim says why"},
};

const char *claim_verdict_name(ClaimVerdict v) {
  return verdicts[v].name;
}

const char *claim_verdict_meaning(ClaimVerdict v) {
  return verdicts[v].meaning;
}

int eval_claim(Eval *ev, const Stmt *s, Results *res) {
  Decl *d = s->self;
  Span sp = s->span;
  ClaimResult c = {0};
  c.name = d->name;
  c.source = ev_field_text(ev, d, F_CLAIM_source, sp, NULL);
  c.calibrated = ev_field_text(ev, d, F_CLAIM_calibrated, sp, NULL);
  c.note = ev_field_text(ev, d, F_CLAIM_note, sp, NULL);
  c.reason = ev_field_text(ev, d, F_CLAIM_reason, sp, NULL);
  c.fix = ev_field_text(ev, d, F_CLAIM_fix, sp, NULL);
  int fitted = ev_field_flag(ev, d, F_CLAIM_fitted, sp);
  int arithmetic = ev_field_flag(ev, d, F_CLAIM_arithmetic, sp);
  if (ev->status || fitted < 0 || arithmetic < 0)
    return -1;
  if (fitted && !c.calibrated)
    return ev_fail(ev, EV_INPUT, sp,
                   "claim '%s' is fitted: name the calibration it is a target of, with "
                   "calibrated = \"INPUT = VALUE, fitted to ...\"",
                   d->name);
  if (arithmetic && c.calibrated)
    return ev_fail(ev, EV_INPUT, sp,
                   "claim '%s' is arithmetic on printed inputs and also rests on a calibrated "
                   "input: it is one or the other",
                   d->name);
  Value paper;
  if (ev_field_get(ev, d, F_CLAIM_paper, &paper, sp) != 1)
    return -1;
  c.dim = paper.dim;
  c.paper = values_of(&paper, &c.npaper, &c.paper_is_list);
  double tol;
  int got = ev_field_num(ev, d, F_CLAIM_tolerance, &tol, sp, 0);
  if (got == 0) {
    got = ev_field_num(ev, d, F_CLAIM_rel_tolerance, &tol, sp, 0);
    c.rel = got == 1;
  }
  if (got < 0) {
    claim_free(&c);
    return -1;
  }
  c.has_tolerance = got == 1;
  c.tolerance = tol;
  if (c.has_tolerance && !(tol >= 0 && isfinite(tol))) {
    claim_free(&c);
    return ev_fail(ev, EV_INPUT, sp, "claim '%s': the tolerance must be a number >= 0, got %g",
                   d->name, tol);
  }
  int has_value = decl_field_id(d, F_CLAIM_value) != NULL;
  Value v;
  if (has_value && ev_field_get(ev, d, F_CLAIM_value, &v, sp) != 1) {
    /* a formula that leaves its domain, a missing input: a reasoned claim records why */
    if (!c.reason || ev->hard_stop) {
      claim_free(&c);
      return -1;
    }
    c.error = strdup(ev->msg);
    ev->status = EV_OK;
    ev->msg[0] = 0;
    has_value = 0;
  } else if (has_value) {
    c.value = values_of(&v, &c.nvalue, &c.value_is_list);
    if (c.nvalue != c.npaper) {
      claim_free(&c);
      return ev_fail(ev, EV_INPUT, sp,
                     "claim '%s': the paper prints %d value%s but 'value' gives %d; compare "
                     "them one for one",
                     d->name, c.npaper, c.npaper == 1 ? "" : "s", c.nvalue);
    }
  }
  int within = has_value;
  for (int i = 0; has_value && i < c.npaper; i++) {
    double dev = fabs(c.value[i] - c.paper[i]);
    if (c.rel)
      dev = c.paper[i] != 0 ? dev / fabs(c.paper[i]) : dev == 0 ? 0 : INFINITY;
    if (!(dev <= c.deviation))
      c.deviation = dev;
    within &= dev <= c.tolerance;
  }
  ClaimText t;
  claim_text(&c, &t);
  if (within && c.reason) {
    claim_free(&c);
    return ev_fail(ev, EV_CLAIM, sp,
                   "claim '%s' holds (edsl %s, paper %s, tolerance %s) but gives a reason why "
                   "it does not: remove 'reason'",
                   d->name, t.value, t.paper, t.tolerance);
  }
  if (!within && !c.reason) {
    claim_free(&c);
    return ev_fail(ev, EV_CLAIM, sp,
                   "claim '%s' does not hold: edsl gives %s, the paper prints %s (tolerance "
                   "%s); correct the scenario, or say why the printed value does not follow "
                   "with reason = \"...\"",
                   d->name, t.value, t.paper, t.tolerance);
  }
  c.verdict = !within        ? CLAIM_NOT_REPRODUCIBLE
              : fitted       ? CLAIM_FITTED
              : c.calibrated ? CLAIM_CALIBRATED
              : arithmetic   ? CLAIM_ARITHMETIC
                             : CLAIM_REPRODUCED;
  claim_push(res, c);
  return 0;
}
