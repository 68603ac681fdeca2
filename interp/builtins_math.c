/* Builtins on numbers and lists: elementwise functions, sums and ranges. */
#include <math.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"

static int math_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const char *f = e->fn->name;
  if (!strcmp(f, "range")) {
    double n = a[2].num;
    if (n < 2 || n != floor(n) || n > (double)ev->opt.max_sweep_points)
      return ev_fail(ev, EV_INPUT, e->args[2]->span,
                     "range(lo, hi, n) needs a whole n from 2 to %ld, got %g",
                     ev->opt.max_sweep_points, n);
    if (!isfinite(a[0].num) || !isfinite(a[1].num))
      return ev_fail(ev, EV_INPUT, e->span, "range(lo, hi, n) needs finite bounds");
    out->type = T_VEC;
    out->n = (int)n;
    out->vec = arena_alloc(ev->ar, (size_t)out->n * sizeof *out->vec);
    for (int i = 0; i < out->n; i++)
      out->vec[i] = a[0].num + (a[1].num - a[0].num) * i / (n - 1);
    return 0;
  }
  if (!strcmp(f, "sum") || !strcmp(f, "mean") || !strcmp(f, "cumsum")) {
    Value v = a[0];
    double one = a[0].num;
    if (v.type == T_NUM) {
      v.vec = &one;
      v.n = 1;
    }
    double s = 0;
    if (!strcmp(f, "cumsum")) {
      out->type = T_VEC;
      out->n = v.n;
      out->vec = arena_alloc(ev->ar, (size_t)(v.n + 1) * sizeof *out->vec);
    }
    for (int i = 0; i < v.n; i++) {
      s += v.vec[i];
      if (out->vec)
        out->vec[i] = s;
    }
    if (!strcmp(f, "mean")) {
      if (!v.n)
        return ev_fail(ev, EV_INPUT, e->span, "mean of an empty list");
      s /= v.n;
    }
    if (out->type == T_NUM)
      out->num = s;
    return 0;
  }
  /* elementwise math */
  int vec = a[0].type == T_VEC || (e->nargs > 1 && a[1].type == T_VEC);
  int n = vec ? (a[0].type == T_VEC ? a[0].n : a[1].n) : 1;
  if (vec && e->nargs > 1 && a[0].type == T_VEC && a[1].type == T_VEC && a[0].n != a[1].n)
    return ev_fail(ev, EV_INPUT, e->span, "'%s' of lists of lengths %d and %d", f, a[0].n, a[1].n);
  double *res = vec ? arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *res) : &out->num;
  for (int i = 0; i < n; i++) {
    double x = a[0].type == T_VEC ? a[0].vec[i] : a[0].num;
    double y = e->nargs > 1 ? (a[1].type == T_VEC ? a[1].vec[i] : a[1].num) : 0;
    double r;
    if (!strcmp(f, "log") && !(x > 0))
      return ev_fail(ev, EV_NUMERIC, e->span, "log(%g): the argument must be positive", x);
    if (!strcmp(f, "sqrt") && x < 0)
      return ev_fail(ev, EV_NUMERIC, e->span, "sqrt(%g): the argument must not be negative", x);
    if ((!strcmp(f, "sin") || !strcmp(f, "cos")) && !isfinite(x))
      return ev_fail(ev, EV_NUMERIC, e->span, "%s(%g): the argument must be finite", f, x);
    r = !strcmp(f, "exp")    ? exp(x)
        : !strcmp(f, "log")  ? log(x)
        : !strcmp(f, "sin")  ? sin(x)
        : !strcmp(f, "cos")  ? cos(x)
        : !strcmp(f, "sqrt") ? sqrt(x)
        : !strcmp(f, "abs")  ? fabs(x)
        : !strcmp(f, "min")  ? fmin(x, y)
                             : fmax(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y))
      return ev_fail(ev, EV_NUMERIC, e->span, "overflow: %s(%g) is beyond the range of a double", f,
                     x);
    res[i] = r;
  }
  if (vec) {
    out->type = T_VEC;
    out->vec = res;
    out->n = n;
  }
  return 0;
}

static const Builtin math_rows[] = {
    {"exp", 1, {T_ERROR}, "exp(x)", 0, 0, math_builtin},
    {"log", 1, {T_ERROR}, "log(x): natural logarithm", 0, 0, math_builtin},
    {"sin", 1, {T_ERROR}, "sin(x), x in radians", 0, 0, math_builtin},
    {"cos", 1, {T_ERROR}, "cos(x), x in radians", 0, 0, math_builtin},
    {"sqrt", 1, {T_ERROR}, "sqrt(x)", 0, 0, math_builtin},
    {"abs", 1, {T_ERROR}, "abs(x)", 0, 0, math_builtin},
    {"min", 2, {T_ERROR, T_ERROR}, "min(x, y)", 0, 0, math_builtin},
    {"max", 2, {T_ERROR, T_ERROR}, "max(x, y)", 0, 0, math_builtin},
    {"sum", 1, {T_VEC}, "sum(list)", 0, 0, math_builtin},
    {"mean", 1, {T_VEC}, "mean(list)", 0, 0, math_builtin},
    {"cumsum", 1, {T_VEC}, "cumsum(list): running totals", 0, 0, math_builtin},
    {"range",
     3,
     {T_ERROR, T_ERROR, T_ERROR},
     "range(lo, hi, n): n evenly spaced points",
     0,
     0,
     math_builtin},
};
BUILTIN_FAMILY(builtins_math, "math", math_rows);
