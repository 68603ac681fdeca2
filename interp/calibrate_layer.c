/* The evaluation of `calibrate` blocks (check_calibrate.c checks them): the unknowns are set
 * as overrides of their parameters (as a sweep's point is), the targets evaluated, and the
 * core's ec_calibrate finds where they are met. Residuals are relative to the printed value
 * (absolute when it is 0), so that targets in different units weigh alike. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calibrate.h"
#include "eval_internal.h"

typedef struct {
  Eval *ev;
  const Decl *d;
  IrExpr *values; /* one IR_NUM per unknown: the overrides' values */
  Override *ovr;
  double *lhs, *rhs; /* the last evaluation's sides, one per target */
} Run;

static int residuals(const double *x, double *f, void *ctx) {
  Run *r = ctx;
  const Calibration *k = r->d->cal;
  Eval *ev = r->ev;
  if (ev_solve_tick(ev, r->d->span))
    return -1;
  /* this calibration's unknowns already set below: a target reads, through the overrides of
   * the scenario the calibration is read in, a value that reads the calibration itself */
  for (int j = 0; j < ev->nsweep; j++)
    if (ev->sweep[j]->target == k->unknowns[0].param && ev->sweep[j]->path == k->unknowns[0].name &&
        !memcmp(&ev->sweep[j]->span, &k->unknowns[0].span, sizeof(Span))) {
      ev->hard_stop = 1;
      return ev_fail(ev, EV_INPUT, r->d->span,
                     "calibrate '%s' is needed to compute itself: it is read in a scenario "
                     "whose overrides its targets read (a cycle); read it outside that "
                     "scenario, e.g. in a block of its own",
                     r->d->name);
    }
  if (ev->nsweep + k->nunknowns > 64)
    return ev_fail(ev, EV_INPUT, r->d->span,
                   "calibrate '%s': too many overrides at once (a calibration inside a sweep "
                   "of many axes)",
                   r->d->name);
  for (int i = 0; i < k->nunknowns; i++) {
    r->values[i].num = x[i];
    ev->sweep[ev->nsweep++] = &r->ovr[i];
  }
  int rc = 0;
  for (int j = 0; j < k->ntargets && !rc; j++) {
    Value a, b;
    rc = eval(ev, k->targets[j].lhs, &a) || eval(ev, k->targets[j].rhs, &b);
    if (!rc) {
      r->lhs[j] = a.num;
      r->rhs[j] = b.num;
      f[j] = (a.num - b.num) / (b.num != 0 ? fabs(b.num) : 1);
    }
  }
  ev->nsweep -= k->nunknowns;
  if (rc && (ev->status == EV_DOMAIN || ev->status == EV_NUMERIC) && !ev->hard_stop) {
    /* the model is not defined at this trial point: the solver steps back */
    ev->status = EV_OK;
    ev->msg[0] = 0;
    return 1;
  }
  return rc ? -1 : 0;
}

/* The targets' text for an error: "loss = 0.2 (want 0.341), Tn = ...". */
static void residual_text(const Calibration *k, const Run *r, char *buf, size_t len) {
  size_t at = 0;
  buf[0] = 0;
  for (int j = 0; j < k->ntargets && at + 60 < len; j++)
    at += (size_t)snprintf(buf + at, len - at, "%s%s = %.6g (target %.6g)", j ? ", " : "",
                           k->targets[j].name, r->lhs[j], r->rhs[j]);
}

int calib_member_value(Eval *ev, const IrExpr *e, Value *out) {
  const Decl *d = e->decl;
  const Calibration *k = d->cal;
  int p = k->nunknowns, n = k->ntargets;
  double tol;
  size_t max_iter, starts; /* whole numbers in the schema's ranges */
  if (ev_param(ev, (Decl *)d, F_CALIBRATE_tol, &tol, e->span) ||
      ev_count(ev, (Decl *)d, F_CALIBRATE_max_iter, &max_iter, e->span) ||
      ev_count(ev, (Decl *)d, F_CALIBRATE_starts, &starts, e->span))
    return -1;
  if (!(tol > 0 && tol < 1))
    return ev_fail(ev, EV_INPUT, e->span, "calibrate '%s': tol = %g must be in (0, 1)", d->name,
                   tol);
  double *lo = arena_alloc(ev->ar, (size_t)(4 * p + 3 * n + 1) * sizeof *lo), *hi = lo + p,
         *x0 = hi + p, *x = x0 + p, *f = x + p;
  Run r = {ev,
           d,
           arena_alloc(ev->ar, (size_t)p * sizeof(IrExpr)),
           arena_alloc(ev->ar, (size_t)p * sizeof(Override)),
           f + n,
           f + 2 * n};
  for (int i = 0; i < p; i++) {
    const CalUnknown *u = &k->unknowns[i];
    Value b0, b1, g;
    if (eval(ev, u->bounds->args[0], &b0) || eval(ev, u->bounds->args[1], &b1) ||
        eval(ev, u->param->value, &g))
      return -1;
    lo[i] = b0.num, hi[i] = b1.num;
    if (!(lo[i] < hi[i]) || !isfinite(lo[i]) || !isfinite(hi[i]))
      return ev_fail(ev, EV_INPUT, u->span,
                     "calibrate '%s': the bounds of '%s' must be finite with lo < hi (%g, %g)",
                     d->name, u->name, lo[i], hi[i]);
    x0[i] = fmin(fmax(g.num, lo[i]), hi[i]); /* its own value is the first guess */
    r.values[i] = (IrExpr){.op = IR_NUM, .type = T_NUM, .dim = u->param->value->dim};
    r.ovr[i] = (Override){u->param, F_NONE, u->name, &r.values[i], u->span};
  }
  ec_calib c = {(size_t)p, (size_t)n, lo, hi, x0, residuals, &r, max_iter, (int)starts, tol};
  ec_calib_result res = {x, f, 0, 0, 0, 0};
  ec_error err;
  ev_solve_enter(ev);
  ec_status st = ec_calibrate(&c, &res, &err);
  ev_solve_leave(ev);
  if (ev->status != EV_OK)
    return -1;
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "calibrate '%s': %s", d->name, err.msg);
  if (n == p && !res.solved) {
    /* the sides at the best point, for the message */
    residuals(x, f, &r);
    char text[600], bound[200] = "";
    residual_text(k, &r, text, sizeof text);
    for (int i = 0, at = 0; i < p && at < 150; i++)
      if (res.at_bound & (1u << (i < 31 ? i : 31)))
        at += snprintf(bound + at, sizeof bound - (size_t)at, "%s%s",
                       at ? ", " : "; at a bound: ", k->unknowns[i].name);
    return ev_fail(ev, EV_DOMAIN, d->span,
                   "calibrate '%s': no solution within the bounds (largest relative residual "
                   "%.3g > tol %g); the best point gives %s%s",
                   d->name, res.norm, tol, text, bound);
  }
  if (e->col < p)
    out->num = x[e->col];
  else {
    residuals(x, f, &r); /* the residual in the target's unit */
    out->num = r.lhs[e->col - p] - r.rhs[e->col - p];
  }
  return 0;
}
