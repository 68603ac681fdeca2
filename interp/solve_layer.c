/* Solvers over a user function of one variable: root(f, lo, hi), integrate(f, lo, hi) and
 * minimize(f, lo, hi). f is applied to the solver's variable through a one-slot frame (its
 * call lowered once, in lower_fn.c); the numerics are the core's (GSL's Brent and QAGS). */
#include <stdio.h>

#include "builtins.h"
#include "eval_internal.h"
#include "unit_rules.h"

typedef struct {
  Eval *ev;
  const IrExpr *fx; /* f applied to slot 0 of the frame */
  Value frame[1];
} Solve;

static int f1(double x, double *y, void *ctx) {
  Solve *s = ctx;
  if (ev_solve_tick(s->ev, s->fx->span))
    return -1;
  s->frame[0].num = x;
  const Value *outer = s->ev->frame;
  s->ev->frame = s->frame;
  Value v;
  int rc = eval(s->ev, s->fx, &v);
  s->ev->frame = outer;
  *y = v.num;
  return rc;
}

typedef ec_status (*Solver)(ec_fn1 f, void *ctx, double lo, double hi, double *out, ec_error *err);

static int solve(Eval *ev, const IrExpr *e, Value *out, Solver solver) {
  Value lo, hi;
  if (eval(ev, e->args[1], &lo) || eval(ev, e->args[2], &hi))
    return -1;
  Solve s = {ev, e->args[0], {ev_num(0, e->args[1]->dim)}};
  ec_error err;
  ev_solve_enter(ev);
  ec_status st = solver(f1, &s, lo.num, hi.num, &out->num, &err);
  ev_solve_leave(ev);
  if (ev->status != EV_OK) /* f's own failure says why */
    return -1;
  return st == EC_OK ? 0 : ev_core_fail(ev, e->span, st, "%s", err.msg);
}

static int root_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  (void)a;
  return solve(ev, e, out, ec_root);
}
static int integrate_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  (void)a;
  return solve(ev, e, out, ec_integrate);
}
static int minimize_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  (void)a;
  return solve(ev, e, out, ec_minimize);
}

/* lo and hi in one unit (the variable's); the result in it, or f's times it (integrate). */
static int check_solver(IrExpr *e, char *msg, size_t len, int *arg) {
  char b1[64], b2[64];
  if (!dim_eq(e->args[1]->dim, e->args[2]->dim)) {
    *arg = 2;
    snprintf(msg, len, "unit mismatch: '%s' needs lo and hi in one unit, got %s and %s",
             e->fn->name, builtin_unit_text(e->args[1]->dim, b1),
             builtin_unit_text(e->args[2]->dim, b2));
    return -1;
  }
  e->dim = e->fn->fn == integrate_fn ? dim_mul(e->args[0]->dim, e->args[1]->dim) : e->args[1]->dim;
  return 0;
}

static const Builtin solve_rows[] = {
    {"root",
     3,
     {T_FUNC, T_NUM, T_NUM},
     "root(f, lo, hi): the x in [lo, hi] with f(x) = 0 (Brent; f must change sign)",
     T_NUM,
     RD_LAZY,
     root_fn,
     check_solver},
    {"integrate",
     3,
     {T_FUNC, T_NUM, T_NUM},
     "integrate(f, lo, hi): the integral of f over [lo, hi] (QAGS, relative error 1e-10)",
     T_NUM,
     RD_LAZY,
     integrate_fn,
     check_solver},
    {"minimize",
     3,
     {T_FUNC, T_NUM, T_NUM},
     "minimize(f, lo, hi): the x in [lo, hi] where f is least (a grid, then Brent)",
     T_NUM,
     RD_LAZY,
     minimize_fn,
     check_solver},
};
BUILTIN_FAMILY(builtins_solve, "solve", solve_rows);
