/* Uncertainty in the evaluator: the distributions of an `uncertain` block's inputs, the points
 * of a sample's design mapped through them, and the summaries of a sample's draws (mean, sd,
 * quantile, P, Sobol indices) for the reports after it. The numerics are the core's
 * (interp/core/uncertainty.c) and GSL's. */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "uncertain.h"
#include "unit_rules.h"

/* ---- distributions ------------------------------------------------------------------ */

/* A distribution is no value of its own: each row has its own function so that ev_dist
 * knows the row by it. */
static int not_a_value(Eval *ev, const IrExpr *e) {
  return ev_fail(ev, EV_INPUT, e->span,
                 "a distribution is the value of an input in an 'uncertain' block");
}
#define DIST_FN(name)                                                                              \
  static int name##_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                    \
    (void)a, (void)out;                                                                            \
    return not_a_value(ev, e);                                                                     \
  }
DIST_FN(normal)
DIST_FN(lognormal)
DIST_FN(uniform)
DIST_FN(triangular)
DIST_FN(beta)
DIST_FN(from_fit)
DIST_FN(bootstrap)

/* ctx names where the distribution is declared, for errors ("uncertain 'u': a.b"). */
int ev_dist(Eval *ev, const IrExpr *e, const char *ctx, ec_dist *d) {
  BuiltinFn f = e->fn->fn;
  Value a[4] = {0};
  for (int i = 0; i < e->nargs && i < 4; i++)
    if (eval(ev, e->args[i], &a[i]))
      return -1;
  memset(d, 0, sizeof *d);
  ec_error err;
  if (f == from_fit_fn || f == bootstrap_fn) {
    Decl *curve = a[0].decl;
    if (f == from_fit_fn) {
      ec_fit fit;
      if (ev_curve_fit(ev, curve, &fit, e->span, 0))
        return -1;
      /* alpha's sampling distribution by its OLS standard error */
      *d = (ec_dist){EC_DIST_NORMAL, fit.alpha, fit.alpha_se, 0, 0, NULL, 0};
    } else {
      double *q, *c, boot;
      int n;
      if (ev_curve_data(ev, curve, &q, &c, &n, &boot, e->span))
        return -1;
      if (boot < 2)
        return ev_fail(ev, EV_INPUT, e->span,
                       "bootstrap(%s) needs the curve's resamples: set 'bootstrap = 10000' in "
                       "learning_curve '%s'",
                       curve->name, curve->name);
      double *draws = arena_alloc(ev->ar, (size_t)boot * sizeof *draws);
      ec_fit fit;
      /* the same resamples (same seed) as the curve's interval alpha_ci_lo/hi */
      ec_status st =
          ec_fit_wright_draws(q, c, (size_t)n, (size_t)boot, ev->seed, &fit, draws, &err);
      if (st != EC_OK)
        return ev_core_fail(ev, e->span, st, "learning_curve '%s': %s", curve->name, err.msg);
      *d = (ec_dist){EC_DIST_EMPIRICAL, 0, 0, 0, 0, draws, (size_t)boot};
    }
  } else if (f == normal_fn)
    *d = (ec_dist){EC_DIST_NORMAL, a[0].num, a[1].num, 0, 0, NULL, 0};
  else if (f == lognormal_fn) {
    if (!(a[0].num > 0))
      return ev_fail(ev, EV_INPUT, e->span, "%s: lognormal(%g, %g) needs a positive median", ctx,
                     a[0].num, a[1].num);
    *d = (ec_dist){EC_DIST_LOGNORMAL, log(a[0].num), a[1].num, 0, 0, NULL, 0};
  } else if (f == uniform_fn)
    *d = (ec_dist){EC_DIST_UNIFORM, a[0].num, a[1].num, 0, 0, NULL, 0};
  else if (f == triangular_fn)
    *d = (ec_dist){EC_DIST_TRIANGULAR, a[0].num, a[1].num, a[2].num, 0, NULL, 0};
  else /* beta */
    *d = (ec_dist){EC_DIST_BETA,
                   a[0].num,
                   a[1].num,
                   e->nargs == 4 ? a[2].num : 0,
                   e->nargs == 4 ? a[3].num : 1,
                   NULL,
                   0};
  ec_status st = ec_dist_check(d, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "%s: %s", ctx, err.msg);
  return 0;
}

static int unc_dist(Eval *ev, const Decl *u, const UncertainInput *in, ec_dist *d) {
  char ctx[300];
  snprintf(ctx, sizeof ctx, "uncertain '%s': %s", u->name, in->label);
  return ev_dist(ev, in->dist, ctx, d);
}

/* Each sample has its own stream: the run's seed mixed with the sample's name (FNV-1a), so
 * that two samples of one file are independent and reordering statements changes nothing. */
unsigned long ev_stream_seed(unsigned long seed, const char *name) {
  uint64_t h = 1469598103934665603ULL ^ (uint64_t)seed;
  h *= 1099511628211ULL;
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL;
  }
  return (unsigned long)(h & 0xffffffffULL);
}

int unc_design(Eval *ev, const Stmt *s, UncDesign *D) {
  memset(D, 0, sizeof *D);
  const Decl *u = s->uncertain;
  Value nv;
  if (eval(ev, s->size, &nv))
    return -1;
  double N = nv.num;
  if (!(N >= 1) || N != floor(N))
    return ev_fail(ev, EV_INPUT, s->size->span,
                   "sample '%s' needs a whole number of draws, at least 1; got %g", s->name, N);
  int k = s->naxes;
  double P = s->method == SM_SALTELLI ? N * (k + 2) : N;
  if (P > (double)ev->opt.max_sweep_points) {
    if (s->method == SM_SALTELLI)
      return ev_fail(ev, EV_INPUT, s->size->span,
                     "sample '%s' of %.0f base points is %.0f draws (N (k + 2)), beyond the "
                     "limit of %ld",
                     s->name, N, P, ev->opt.max_sweep_points);
    return ev_fail(ev, EV_INPUT, s->size->span,
                   "sample '%s' of %.0f draws exceeds the limit of %ld", s->name, N,
                   ev->opt.max_sweep_points);
  }
  ec_dist *d = arena_alloc(ev->ar, (size_t)k * sizeof *d);
  for (int i = 0; i < k; i++)
    if (unc_dist(ev, u, &u->inputs[i], &d[i]))
      return -1;
  size_t n = (size_t)N, rows = (size_t)P, kk = (size_t)k;
  unsigned long seed = ev_stream_seed(ev->seed, s->name);
  /* the design is held whole (every shard needs the same points): bounded like a sweep */
  double *U = (double)rows * (double)kk * sizeof *U > 2.0 * 1024 * 1024 * 1024
                  ? NULL
                  : malloc(rows * kk * sizeof *U + 1);
  if (!U)
    return ev_fail(ev, EV_INPUT, s->size->span,
                   "the design of sample '%s' (%zu draws of %d inputs) does not fit in memory; "
                   "take fewer draws",
                   s->name, rows, k);
  ec_error err;
  ec_status st;
  if (s->method == SM_SALTELLI) {
    /* rows in blocks of k + 2 per base point j: A_j, B_j, then A_j with column i from B_j */
    double *A = malloc(n * kk * sizeof *A), *B = malloc(n * kk * sizeof *B);
    st = ec_sobol_design(EC_SAMPLE_SOBOL, n, kk, seed, A, B, &err);
    for (size_t j = 0; st == EC_OK && j < n; j++) {
      double *blk = U + j * (kk + 2) * kk;
      memcpy(blk, A + j * kk, kk * sizeof *A);
      memcpy(blk + kk, B + j * kk, kk * sizeof *B);
      for (size_t i = 0; i < kk; i++) {
        double *row = blk + (2 + i) * kk;
        memcpy(row, A + j * kk, kk * sizeof *A);
        row[i] = B[j * kk + i];
      }
    }
    free(A);
    free(B);
  } else if (s->method == SM_MONTECARLO && !u->corr && kk > 0) {
    /* independent draws: made a chunk ahead of the rows evaluated (unc_design_fill) */
    D->mc = ec_mc_open(seed);
    st = D->mc ? EC_OK : EC_EDOM;
    if (!D->mc)
      snprintf(err.msg, sizeof err.msg, "out of memory for the random stream");
  } else {
    static const ec_sample_method m[] = {EC_SAMPLE_MC, EC_SAMPLE_LHS, EC_SAMPLE_SOBOL};
    st = ec_sample_unit(m[s->method], n, kk, seed, U, &err);
    if (st == EC_OK && u->corr)
      st = ec_correlate(U, n, kk, u->corr, &err);
  }
  if (st != EC_OK) {
    free(U);
    return ev_core_fail(ev, s->span, st, "sample '%s': %s", s->name, err.msg);
  }
  D->X = U;
  D->d = d;
  D->k = k;
  D->rows = (long)rows;
  D->nbase = (long)n;
  if (!D->mc) /* the unit points through each input's inverse CDF, in place */
    unc_design_fill(D, D->rows);
  return 0;
}

void unc_design_fill(UncDesign *D, long upto) {
  if (upto > D->rows)
    upto = D->rows;
  if (upto <= D->ready)
    return;
  size_t k = (size_t)D->k;
  double *row = D->X + (size_t)D->ready * k;
  if (D->mc)
    ec_mc_draw(D->mc, row, (size_t)(upto - D->ready) * k);
  for (long r = D->ready; r < upto; r++, row += k)
    for (size_t a = 0; a < k; a++)
      row[a] = ec_dist_quantile(&D->d[a], row[a]);
  D->ready = upto;
}

void unc_design_free(UncDesign *D) {
  ec_mc_close(D->mc);
  free(D->X);
  memset(D, 0, sizeof *D);
}

/* ---- summaries ------------------------------------------------------------------------ */

/* The least sample an estimator reads: below it a number would mean nothing. */
enum { UNC_MIN_P_DRAWS = 10, UNC_MIN_SOBOL_BASE = 64 };

/* Resamples of the base rows behind a Sobol index's bootstrap interval (SALib's default is
 * 100; 1000 puts the 2.5% and 97.5% quantiles on 25 resamples each). */
enum { UNC_SOBOL_BOOTSTRAP = 1000 };

/* S1 (first) or ST (total) of the input a[1] for the result a[0] of a saltelli sample: the
 * estimate (part 0), or the low (-1) or high (+1) end of its 95% bootstrap interval. */
static int sobol_index(Eval *ev, const IrExpr *e, Value *out, int first, int part) {
  const SampleData *x = ev_sample(ev, e->args[0]->decl, e->span);
  if (!x)
    return -1;
  if (x->failed)
    return ev_fail(ev, EV_NUMERIC, e->span,
                   "Sobol indices need every draw of sample '%s', and %ld of %ld failed",
                   e->args[0]->decl->name, x->failed, x->nrows);
  if (x->nbase < UNC_MIN_SOBOL_BASE) /* N = 1, 2, 4 once gave 836, 0 and -0.75 */
    return ev_fail(ev, EV_INPUT, e->span,
                   "Sobol indices from %ld base points of sample '%s': they need at least %d "
                   "(their error falls only like 1/sqrt(N); thousands are usual)",
                   x->nbase, e->args[0]->decl->name, UNC_MIN_SOBOL_BASE);
  size_t n = (size_t)x->nbase, k = (size_t)x->k, yc = (size_t)e->args[0]->col,
         nc = (size_t)x->ncols;
  double *fA = malloc(n * sizeof *fA), *fB = malloc(n * sizeof *fB),
         *fAB = malloc(n * k * sizeof *fAB), *S1 = malloc(k * sizeof *S1),
         *ST = malloc(k * sizeof *ST);
  for (size_t j = 0; j < n; j++) {
    const double *blk = x->cells + j * (k + 2) * nc;
    fA[j] = blk[yc];
    fB[j] = blk[nc + yc];
    for (size_t i = 0; i < k; i++)
      fAB[i * n + j] = blk[(2 + i) * nc + yc];
  }
  ec_error err;
  ec_status st;
  if (part == 0) {
    st = ec_sobol_indices(n, k, fA, fB, fAB, S1, ST, &err);
    if (st == EC_OK)
      out->num = first ? S1[e->args[1]->col] : ST[e->args[1]->col];
  } else {
    /* every input's interval from the same resamples of the rows (the lo and hi of one too) */
    char stream[300];
    snprintf(stream, sizeof stream, "%s.sobol_bootstrap", e->args[0]->decl->name);
    double lo, hi;
    st = ec_sobol_interval(n, fA, fB, fAB + (size_t)e->args[1]->col * n, first, UNC_SOBOL_BOOTSTRAP,
                           ev_stream_seed(ev->seed, stream), 0.95, &lo, &hi, &err);
    out->num = part < 0 ? lo : hi;
  }
  free(fA);
  free(fB);
  free(fAB);
  free(S1);
  free(ST);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "sample '%s', result '%s': %s", e->args[0]->decl->name,
                        e->args[0]->str, err.msg);
  return 0;
}

#define SOBOL_FN(name, first, part)                                                                \
  static int name(Eval *ev, const IrExpr *e, const Value *a, Value *out) {                         \
    (void)a;                                                                                       \
    return sobol_index(ev, e, out, first, part);                                                   \
  }
SOBOL_FN(sobol_first_fn, 1, 0)
SOBOL_FN(sobol_total_fn, 0, 0)
SOBOL_FN(sobol_first_lo_fn, 1, -1)
SOBOL_FN(sobol_first_hi_fn, 1, 1)
SOBOL_FN(sobol_total_lo_fn, 0, -1)
SOBOL_FN(sobol_total_hi_fn, 0, 1)

/* A distribution is only ever an input's value (ev_dist reads it there). */
/* draws(s) or failed(s): how many draws sample s has, or how many of them failed. */
static int count_draws(Eval *ev, const IrExpr *e, const Value *a, Value *out, int failed) {
  const SampleData *x = ev_sample(ev, a[0].decl, e->span);
  if (!x)
    return -1;
  out->num = (double)(failed ? x->failed : x->nrows);
  return 0;
}

static int draws_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return count_draws(ev, e, a, out, 0);
}

static int failed_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return count_draws(ev, e, a, out, 1);
}

/* The values a summary reads: a list, or a number as a list of one; none is an error. */
static int values(Eval *ev, const IrExpr *e, const Value *a, const double **x, size_t *n) {
  *n = a[0].type == T_VEC ? (size_t)a[0].n : 1;
  *x = a[0].type == T_VEC ? a[0].vec : &a[0].num;
  if (*n == 0)
    return ev_fail(ev, EV_INPUT, e->args[0]->span, "'%s' of an empty list", e->fn->name);
  return 0;
}

static int sd_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const double *x;
  size_t n;
  if (values(ev, e, a, &x, &n))
    return -1;
  if (n < 2)
    return ev_fail(ev, EV_INPUT, e->args[0]->span, "sd needs at least 2 values, got %zu", n);
  out->num = gsl_stats_sd(x, 1, n);
  if (isnan(out->num))
    return ev_fail(ev, EV_NUMERIC, e->span, "sd of values that are not all finite");
  return 0;
}

static int P_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const double *x;
  size_t n, yes = 0;
  if (values(ev, e, a, &x, &n))
    return -1;
  if (n < UNC_MIN_P_DRAWS) /* one draw once printed a "probability" of 0 or 1 */
    return ev_fail(ev, EV_INPUT, e->args[0]->span,
                   "P from %zu draws: a probability needs at least %d draws", n, UNC_MIN_P_DRAWS);
  for (size_t i = 0; i < n; i++)
    yes += x[i] != 0;
  out->num = (double)yes / (double)n;
  return 0;
}

/* quantile(v, p): p one probability or a list of them */
static int quantile_fn(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const double *x;
  size_t n;
  if (values(ev, e, a, &x, &n))
    return -1;
  const Value *p = &a[1];
  size_t np = p->type == T_VEC ? (size_t)p->n : 1;
  const double *ps = p->type == T_VEC ? p->vec : &p->num;
  for (size_t i = 0; i < np; i++) {
    if (!(ps[i] >= 0 && ps[i] <= 1))
      return ev_fail(ev, EV_INPUT, e->args[1]->span,
                     "a quantile's probability is in [0, 1], got %g", ps[i]);
    /* a tail quantile from fewer values than the tail's odds is the extreme value, or past it */
    double tail = fmin(ps[i], 1 - ps[i]);
    if (tail > 0 && (double)n * tail < 1 - 1e-9)
      return ev_fail(ev, EV_INPUT, e->span,
                     "the %g-quantile of %zu values: a quantile that far out needs at least %.0f "
                     "values (1 / min(p, 1 - p))",
                     ps[i], n, ceil(1 / tail - 1e-9));
  }
  ec_order *o;
  if (e->args[0]->op == IR_SAMPLE) {
    /* a sample's column keeps its order statistics for all its quantiles */
    SampleData *sd = (SampleData *)ev_sample(ev, e->args[0]->decl, e->span);
    int c = e->args[0]->col;
    if (!sd->order[c]) {
      double *s = arena_alloc(ev->ar, n * sizeof *s);
      memcpy(s, x, n * sizeof *s);
      sd->order[c] = arena_alloc(ev->ar, sizeof *sd->order[c]);
      ec_order_init(sd->order[c], s, n);
    }
    o = sd->order[c];
  } else {
    double *s = arena_alloc(ev->ar, n * sizeof *s);
    memcpy(s, x, n * sizeof *s);
    o = arena_alloc(ev->ar, sizeof *o);
    ec_order_init(o, s, n);
  }
  if (p->type == T_VEC) {
    out->type = T_VEC;
    out->n = (int)np;
    out->vec = arena_alloc(ev->ar, (np + 1) * sizeof *out->vec);
    for (size_t i = 0; i < np; i++)
      out->vec[i] = ec_order_quantile(o, ps[i]);
  } else
    out->num = ec_order_quantile(o, ps[0]);
  return 0;
}

/* ---- unit rules ---- */

/* normal, lognormal, uniform, triangular, beta: numbers; which carry the input's unit and
 * which have none (a lognormal's sigma, a beta's shapes) */
typedef enum { DIST_LOCATION, DIST_LOGNORMAL, DIST_BETA } DistUnits;

static int dist_units(IrExpr *e, char *msg, size_t len, int *arg, DistUnits kind) {
  const char *f = e->fn->name;
  IrExpr **a = e->args;
  char b1[64], b2[64];
  for (int i = 0; i < e->nargs; i++)
    if (a[i]->type != T_NUM) {
      *arg = i;
      snprintf(msg, len, "argument %d of '%s' must be a number, got %s", i + 1, f,
               type_name(a[i]->type));
      return -1;
    }
  int same[4] = {0}, plain[4] = {0}, beta = kind == DIST_BETA;
  if (kind == DIST_LOGNORMAL)
    plain[1] = 1;
  else if (beta) {
    if (e->nargs != 2 && e->nargs != 4) {
      snprintf(msg, len, "'beta' takes 2 or 4 arguments, got %d (%s)", e->nargs, e->fn->help);
      return -1;
    }
    plain[0] = plain[1] = 1;
    same[3] = e->nargs == 4;
  } else
    for (int i = 1; i < e->nargs; i++)
      same[i] = 1;
  int ref = beta ? 2 : 0;
  for (int i = 0; i < e->nargs; i++) {
    if (plain[i] && !dim_is_none(a[i]->dim)) {
      *arg = i;
      snprintf(msg, len, "argument %d of '%s' has no unit, got %s", i + 1, f,
               builtin_unit_text(a[i]->dim, b1));
      return -1;
    }
    if (same[i] && !dim_eq(a[i]->dim, a[ref]->dim)) {
      *arg = i;
      snprintf(msg, len, "unit mismatch: argument %d of '%s' is in %s, argument %d in %s", i + 1, f,
               builtin_unit_text(a[i]->dim, b1), ref + 1, builtin_unit_text(a[ref]->dim, b2));
      return -1;
    }
  }
  e->type = T_DIST;
  e->dim = ref < e->nargs ? a[ref]->dim : DIM_NONE;
  return 0;
}

static int check_dist(IrExpr *e, char *msg, size_t len, int *arg) {
  return dist_units(e, msg, len, arg, DIST_LOCATION);
}

static int check_lognormal(IrExpr *e, char *msg, size_t len, int *arg) {
  return dist_units(e, msg, len, arg, DIST_LOGNORMAL);
}

static int check_beta(IrExpr *e, char *msg, size_t len, int *arg) {
  return dist_units(e, msg, len, arg, DIST_BETA);
}

/* from_fit, bootstrap: alpha's distribution from a curve */
static int check_fit_dist(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->type = T_DIST;
  return 0;
}

/* draws, failed: counts */
static int check_count(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->type = T_NUM;
  return 0;
}

static int check_sd(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)msg, (void)len, (void)arg;
  e->type = T_NUM;
  e->dim = e->args[0]->dim;
  return 0;
}

/* quantile(list, p): the list's unit; p (or a list of them) a plain number */
static int check_quantile(IrExpr *e, char *msg, size_t len, int *arg) {
  char b[64];
  if (!dim_is_none(e->args[1]->dim)) {
    *arg = 1;
    snprintf(msg, len, "a probability has no unit, got %s", builtin_unit_text(e->args[1]->dim, b));
    return -1;
  }
  e->type = e->args[1]->type;
  e->dim = e->args[0]->dim;
  return 0;
}

/* P(condition): a comparison of a sample's draws */
static int check_P(IrExpr *e, char *msg, size_t len, int *arg) {
  const IrExpr *x = e->args[0];
  int cmp = x->op == IR_BIN && strchr("<>lgen", x->bop);
  if (!cmp || x->type != T_VEC) {
    *arg = 0;
    snprintf(msg, len,
             "P(...) takes a comparison of a sample's draws, such as P(mc.T_star_nash < 6 year)");
    return -1;
  }
  e->type = T_NUM;
  return 0;
}

/* sobol_first, sobol_total (result, input) of one saltelli sample */
static int check_sobol(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)arg;
  const char *f = e->fn->name;
  IrExpr **a = e->args;
  if (a[0]->op != IR_SAMPLE || a[1]->op != IR_SAMPLE || a[0]->decl != a[1]->decl) {
    snprintf(msg, len,
             "'%s' takes a result and an input of one sample, as in %s(s.T, s.packaging.alpha)", f,
             f);
    return -1;
  }
  const Stmt *st = a[0]->decl->sample;
  if (a[1]->col >= st->naxes || a[0]->col < st->naxes) {
    snprintf(msg, len,
             "'%s' takes a reported result first, then one of the sample's uncertain inputs", f);
    return -1;
  }
  if (st->method != SM_SALTELLI) {
    snprintf(msg, len, "Sobol indices need the design of sample '%s' to be saltelli(%s, N)",
             st->name, st->uncertain ? st->uncertain->name : "...");
    return -1;
  }
  e->type = T_NUM;
  return 0;
}

static const Builtin uncertain_rows[] = {
    {"normal",
     2,
     {T_ERROR, T_ERROR},
     "normal(mean, sd): a normal distribution",
     0,
     RD_UNC,
     normal_fn,
     check_dist},
    {"lognormal",
     2,
     {T_ERROR, T_ERROR},
     "lognormal(median, sigma): ln x is normal with sd sigma around ln median",
     0,
     RD_UNC,
     lognormal_fn,
     check_lognormal},
    {"uniform",
     2,
     {T_ERROR, T_ERROR},
     "uniform(lo, hi): a uniform distribution",
     0,
     RD_UNC,
     uniform_fn,
     check_dist},
    {"triangular",
     3,
     {T_ERROR, T_ERROR, T_ERROR},
     "triangular(lo, mode, hi): a triangular distribution",
     0,
     RD_UNC,
     triangular_fn,
     check_dist},
    {"beta",
     -1,
     {0},
     "beta(a, b[, lo, hi]): a beta distribution on [0, 1] or [lo, hi]",
     0,
     RD_UNC,
     beta_fn,
     check_beta},
    {"from_fit",
     1,
     {T_CURVE},
     "from_fit(curve): normal(alpha, SE of alpha) from the curve's fit",
     0,
     RD_UNC,
     from_fit_fn,
     check_fit_dist},
    {"bootstrap",
     1,
     {T_CURVE},
     "bootstrap(curve): alpha's bootstrap draws from the curve's fit",
     0,
     RD_UNC,
     bootstrap_fn,
     check_fit_dist},
    {"sd", 1, {T_VEC}, "sd(list): standard deviation (n - 1)", 0, RD_UNC, sd_fn, check_sd},
    {"quantile",
     2,
     {T_VEC, T_ERROR},
     "quantile(list, p): the p-quantile (linear interpolation, R's type 7)",
     0,
     RD_UNC,
     quantile_fn,
     check_quantile},
    {"P",
     1,
     {T_VEC},
     "P(condition): share of a sample's draws where it holds",
     0,
     RD_UNC,
     P_fn,
     check_P},
    {"sobol_first",
     2,
     {T_VEC, T_VEC},
     "sobol_first(s.result, s.input): first-order Sobol index (saltelli sample s)",
     0,
     RD_UNC,
     sobol_first_fn,
     check_sobol},
    {"sobol_total",
     2,
     {T_VEC, T_VEC},
     "sobol_total(s.result, s.input): total Sobol index (saltelli sample s)",
     0,
     RD_UNC,
     sobol_total_fn,
     check_sobol},
    {"sobol_first_ci_lo",
     2,
     {T_VEC, T_VEC},
     "sobol_first_ci_lo(s.result, s.input): bootstrap 2.5% quantile of the first-order index",
     0,
     RD_UNC,
     sobol_first_lo_fn,
     check_sobol},
    {"sobol_first_ci_hi",
     2,
     {T_VEC, T_VEC},
     "sobol_first_ci_hi(s.result, s.input): bootstrap 97.5% quantile of the first-order index",
     0,
     RD_UNC,
     sobol_first_hi_fn,
     check_sobol},
    {"sobol_total_ci_lo",
     2,
     {T_VEC, T_VEC},
     "sobol_total_ci_lo(s.result, s.input): bootstrap 2.5% quantile of the total index",
     0,
     RD_UNC,
     sobol_total_lo_fn,
     check_sobol},
    {"sobol_total_ci_hi",
     2,
     {T_VEC, T_VEC},
     "sobol_total_ci_hi(s.result, s.input): bootstrap 97.5% quantile of the total index",
     0,
     RD_UNC,
     sobol_total_hi_fn,
     check_sobol},
    {"draws", 1, {T_SAMPLE}, "draws(sample): number of draws", 0, RD_UNC, draws_fn, check_count},
    {"failed",
     1,
     {T_SAMPLE},
     "failed(sample): draws whose evaluation failed (left out of every summary)",
     0,
     RD_UNC,
     failed_fn,
     check_count},
};
BUILTIN_FAMILY(builtins_uncertain, "uncertain", uncertain_rows);
