/* Builtins on numbers and lists: elementwise functions, sums and ranges. */
#include <math.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "unit_rules.h"

static int range_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
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

/* Running sums of a list (a number is a list of one): the total, the mean, or all of them. */
typedef enum { SUM_TOTAL, SUM_MEAN, SUM_RUNNING } SumKind;

static int sums(Eval *ev, const IrExpr *e, const Value *a, Value *out, SumKind kind) {
  double one = a[0].num;
  const double *x = a[0].type == T_NUM ? &one : a[0].vec;
  int n = a[0].type == T_NUM ? 1 : a[0].n;
  double s = 0;
  if (kind == SUM_RUNNING) {
    out->type = T_VEC;
    out->n = n;
    out->vec = arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *out->vec);
  }
  for (int i = 0; i < n; i++) {
    double before = s;
    s += x[i];
    if (!isfinite(s) && isfinite(before) && isfinite(x[i])) {
      if (kind != SUM_MEAN)
        return ev_fail(ev, EV_NUMERIC, e->span,
                       "overflow: %s passes the range of a double at element %d (%g + %g)",
                       e->fn->name, i + 1, before, x[i]);
      /* a mean of large numbers: the running mean stays in range */
      double m = 0;
      for (int k = 0; k < n; k++)
        m += (x[k] - m) / (k + 1);
      out->num = m;
      return 0;
    }
    if (kind == SUM_RUNNING)
      out->vec[i] = s;
  }
  if (kind == SUM_MEAN) {
    if (!n)
      return ev_fail(ev, EV_INPUT, e->span, "mean of an empty list");
    s /= n;
  }
  if (kind != SUM_RUNNING)
    out->num = s;
  return 0;
}

static int sum_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return sums(ev, e, a, out, SUM_TOTAL);
}

static int mean_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return sums(ev, e, a, out, SUM_MEAN);
}

static int cumsum_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return sums(ev, e, a, out, SUM_RUNNING);
}

/* A function of one or two numbers applied elementwise over lists; the operation returns
 * NULL, or what its argument must be. */
typedef const char *(*ScalarOp)(double x, double y, double *r);

static int elementwise(Eval *ev, const IrExpr *e, const Value *a, Value *out, ScalarOp op) {
  const char *f = e->fn->name;
  int vec = a[0].type == T_VEC || (e->nargs > 1 && a[1].type == T_VEC);
  int n = vec ? (a[0].type == T_VEC ? a[0].n : a[1].n) : 1;
  if (vec && e->nargs > 1 && a[0].type == T_VEC && a[1].type == T_VEC && a[0].n != a[1].n)
    return ev_fail(ev, EV_INPUT, e->span, "'%s' of lists of lengths %d and %d", f, a[0].n, a[1].n);
  double *res = vec ? arena_alloc(ev->ar, (size_t)(n + 1) * sizeof *res) : &out->num;
  for (int i = 0; i < n; i++) {
    double x = a[0].type == T_VEC ? a[0].vec[i] : a[0].num;
    double y = e->nargs > 1 ? (a[1].type == T_VEC ? a[1].vec[i] : a[1].num) : 0, r;
    if (isnan(x) || isnan(y)) { /* missing in, missing out */
      res[i] = NAN;
      continue;
    }
    const char *need = op(x, y, &r);
    if (need)
      return ev_fail(ev, EV_NUMERIC, e->span, "%s(%g): the argument must be %s", f, x, need);
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

static const char *op_exp(double x, double y, double *r) {
  (void)y;
  *r = exp(x);
  return NULL;
}

static const char *op_log(double x, double y, double *r) {
  (void)y;
  *r = log(x);
  return x > 0 ? NULL : "positive";
}

static const char *op_sin(double x, double y, double *r) {
  (void)y;
  *r = sin(x);
  return isfinite(x) ? NULL : "finite";
}

static const char *op_cos(double x, double y, double *r) {
  (void)y;
  *r = cos(x);
  return isfinite(x) ? NULL : "finite";
}

static const char *op_sqrt(double x, double y, double *r) {
  (void)y;
  *r = sqrt(x);
  return x < 0 ? "not negative" : NULL;
}

static const char *op_abs(double x, double y, double *r) {
  (void)y;
  *r = fabs(x);
  return NULL;
}

static const char *op_min(double x, double y, double *r) {
  *r = fmin(x, y);
  return NULL;
}

static const char *op_max(double x, double y, double *r) {
  *r = fmax(x, y);
  return NULL;
}

#define ELEMENTWISE_FN(name)                                                                       \
  static int name##_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                    \
    return elementwise(ev, e, a, out, op_##name);                                                  \
  }
ELEMENTWISE_FN(exp)
ELEMENTWISE_FN(log)
ELEMENTWISE_FN(sin)
ELEMENTWISE_FN(cos)
ELEMENTWISE_FN(sqrt)
ELEMENTWISE_FN(abs)
ELEMENTWISE_FN(min)
ELEMENTWISE_FN(max)

/* ---- unit rules ---- */

/* exp, log, sin, cos: of a plain number (or list), giving one of the same shape */
static int check_plain_arg(IrExpr *e, char *msg, size_t len, int *arg) {
  char b[64];
  if (!dim_is_none(e->args[0]->dim)) {
    *arg = 0;
    snprintf(msg, len, "'%s' needs a number with no unit, got %s", e->fn->name,
             builtin_unit_text(e->args[0]->dim, b));
    return -1;
  }
  e->type = e->args[0]->type;
  return 0;
}

/* the square root of a unit: every exponent halves, so each must be even */
static int check_sqrt(IrExpr *e, char *msg, size_t len, int *arg) {
  Dim d = e->args[0]->dim;
  for (int i = 0; i < NDIM; i++) {
    if (d.e[i] % 2) {
      char b[64];
      *arg = 0;
      snprintf(msg, len, "'sqrt' of a quantity in %s would have a fractional unit",
               builtin_unit_text(d, b));
      return -1;
    }
    d.e[i] = (signed char)(d.e[i] / 2);
  }
  e->dim = d;
  e->type = e->args[0]->type;
  return 0;
}

/* abs: the argument's unit and shape; sum, mean: its unit; cumsum: its unit, a list */
static int check_abs(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->dim = e->args[0]->dim;
  e->type = e->args[0]->type;
  return 0;
}

static int check_sum(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->dim = e->args[0]->dim;
  return 0;
}

static int check_cumsum(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->dim = e->args[0]->dim;
  e->type = T_VEC;
  return 0;
}

/* min, max: of two quantities in one unit */
static int check_min_max(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)arg;
  char b1[64], b2[64];
  e->dim = e->args[0]->dim;
  if (dim_eq(e->args[0]->dim, e->args[1]->dim))
    return 0;
  snprintf(msg, len, "unit mismatch: '%s' of %s and %s", e->fn->name,
           builtin_unit_text(e->args[0]->dim, b1), builtin_unit_text(e->args[1]->dim, b2));
  return -1;
}

static int check_range(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)arg;
  if (!dim_eq(e->args[0]->dim, e->args[1]->dim) || !dim_is_none(e->args[2]->dim)) {
    snprintf(msg, len, "range(lo, hi, n) needs lo and hi in one unit and a plain n");
    return -1;
  }
  e->type = T_VEC;
  e->dim = e->args[0]->dim;
  return 0;
}

/* if(condition, a, b): only the branch taken is evaluated, so the other may be undefined there
 * (a rate that divides by the distance left, past the crossing). */
static int if_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  (void)a;
  Value c;
  if (eval(ev, e->args[0], &c))
    return -1;
  if (isnan(c.num)) { /* a condition on a missing value: the result is missing */
    memset(out, 0, sizeof *out);
    out->type = T_NUM;
    out->dim = e->dim;
    out->num = NAN;
    return 0;
  }
  return eval(ev, e->args[c.num != 0 ? 1 : 2], out);
}

/* is_na(x): 1 where x is missing (an empty cell or NA in a table's CSV file), else 0. */
static int is_na_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  (void)ev, (void)e;
  if (a[0].type != T_VEC) {
    out->num = isnan(a[0].num);
    return 0;
  }
  out->type = T_VEC;
  out->n = a[0].n;
  out->vec = arena_alloc(ev->ar, (size_t)(a[0].n + 1) * sizeof *out->vec);
  for (int i = 0; i < a[0].n; i++)
    out->vec[i] = isnan(a[0].vec[i]);
  return 0;
}

static int check_is_na(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->type = e->args[0]->type == T_VEC ? T_VEC : T_BOOL;
  e->dim = DIM_NONE;
  return 0;
}

static int check_if(IrExpr *e, char *msg, size_t len, int *arg) {
  char b1[64], b2[64];
  e->dim = e->args[1]->dim;
  if (e->args[1]->type != T_NUM || e->args[2]->type != T_NUM) {
    *arg = e->args[1]->type != T_NUM ? 1 : 2;
    snprintf(msg, len, "if(condition, a, b) takes two numbers as its branches");
    return -1;
  }
  if (dim_eq(e->args[1]->dim, e->args[2]->dim))
    return 0;
  *arg = 2;
  snprintf(msg, len, "unit mismatch: the branches of 'if' are in %s and %s",
           builtin_unit_text(e->args[1]->dim, b1), builtin_unit_text(e->args[2]->dim, b2));
  return -1;
}

static const Builtin math_rows[] = {
    {"if",
     3,
     {T_BOOL, T_ERROR, T_ERROR},
     "if(condition, a, b): a where the condition holds, else b (only that one is evaluated)",
     T_NUM,
     RD_LAZY,
     if_fn,
     check_if},
    {"is_na",
     1,
     {T_ERROR},
     "is_na(x): 1 where x is missing (an empty cell or NA in a table's CSV file), else 0",
     0,
     0,
     is_na_fn,
     check_is_na},
    {"exp", 1, {T_ERROR}, "exp(x)", 0, 0, exp_fn, check_plain_arg},
    {"log", 1, {T_ERROR}, "log(x): natural logarithm", 0, 0, log_fn, check_plain_arg},
    {"sin", 1, {T_ERROR}, "sin(x), x in radians", 0, 0, sin_fn, check_plain_arg},
    {"cos", 1, {T_ERROR}, "cos(x), x in radians", 0, 0, cos_fn, check_plain_arg},
    {"sqrt", 1, {T_ERROR}, "sqrt(x)", 0, 0, sqrt_fn, check_sqrt},
    {"abs", 1, {T_ERROR}, "abs(x)", 0, 0, abs_fn, check_abs},
    {"min", 2, {T_ERROR, T_ERROR}, "min(x, y)", 0, 0, min_fn, check_min_max},
    {"max", 2, {T_ERROR, T_ERROR}, "max(x, y)", 0, 0, max_fn, check_min_max},
    {"sum", 1, {T_VEC}, "sum(list)", 0, 0, sum_fn, check_sum},
    {"mean", 1, {T_VEC}, "mean(list)", 0, 0, mean_fn, check_sum},
    {"cumsum", 1, {T_VEC}, "cumsum(list): running totals", 0, 0, cumsum_fn, check_cumsum},
    {"range",
     3,
     {T_ERROR, T_ERROR, T_ERROR},
     "range(lo, hi, n): n evenly spaced points",
     0,
     0,
     range_fn,
     check_range},
};
BUILTIN_FAMILY(builtins_math, "math", math_rows);
