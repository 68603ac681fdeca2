/* Technology cycles (004 §15, Appendix D): duration (eq. 55), amplitude (eq. 56),
 * compression (eq. 57), the fold of the financial friction (eq. 58), the crisis order
 * (§15.4) and Kendall's tau for the compression claim. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "edsl_core.h"

static ec_status cycle_check(const ec_cycle *c, ec_error *err) {
  if (!(c->alpha > 0) || !(c->N >= 1) || c->N != floor(c->N) || !(c->phi >= 0) ||
      !(c->r + c->delta > 0) || !(c->ln_c_ratio > 0) ||
      !isfinite(c->alpha + c->N + c->phi + c->r + c->delta + c->ln_c_ratio)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 55 needs alpha > 0, a whole N >= 1, phi >= 0, r + delta > 0 and c0 > c* "
             "(alpha = %g, N = %g, phi = %g, r = %g, delta = %g, ln(c0/c*) = %g)",
             c->alpha, c->N, c->phi, c->r, c->delta, c->ln_c_ratio);
    return EC_EDOM;
  }
  return EC_OK;
}

static double speedup(const ec_cycle *c) {
  return 1 + (c->N - 1) * c->alpha * c->phi / (c->r + c->delta);
}

ec_status ec_cycle_duration(const ec_cycle *c, double *tau, ec_error *err) {
  ec_status st = cycle_check(c, err);
  if (st != EC_OK)
    return st;
  *tau = c->ln_c_ratio / c->alpha / speedup(c);
  return EC_OK;
}

ec_status ec_cycle_amplitude(const ec_cycle *c, double *A, ec_error *err) {
  ec_status st = cycle_check(c, err);
  if (st != EC_OK)
    return st;
  double ap = c->alpha * c->phi;
  /* at r + delta = alpha phi the amplitude is infinite; round-off must not hide that */
  if (!(c->r + c->delta - ap > 1e-12 * (c->r + c->delta)) || !(c->K >= 0) || !isfinite(c->K)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 56 needs r + delta > alpha phi and K >= 0 (r + delta = %g, alpha phi = %g, "
             "K = %g)",
             c->r + c->delta, ap, c->K);
    return EC_EDOM;
  }
  *A = c->K * (c->N - 1) / c->N * ap / (c->r + c->delta - ap);
  return EC_OK;
}

ec_status ec_cycle_compression(const ec_cycle *a, const ec_cycle *b, double *ratio, ec_error *err) {
  ec_status st = cycle_check(a, err);
  if (st == EC_OK)
    st = cycle_check(b, err);
  if (st != EC_OK)
    return st;
  /* eq. 57 keeps each cycle's own r + delta in its speed-up, as eq. 55 does */
  *ratio = a->alpha / b->alpha * speedup(a) / speedup(b);
  return EC_OK;
}

ec_status ec_crisis_thetas(double s, double theta[3], ec_error *err) {
  if (!(s > 0 && s < 1)) {
    snprintf(err->msg, sizeof err->msg,
             "the crisis order needs a failure level 0 < s < 1 (s = %g): a role fails when its "
             "strength falls below s",
             s);
    return EC_EDOM;
  }
  theta[0] = 1 - sqrt(s); /* correlation robustness, (1 - theta)^2 */
  theta[1] = 1 - s;       /* superadditivity, (1 - theta) */
  theta[2] = 1;           /* strategic independence: K_eff = 0 */
  return EC_OK;
}

/* Knight's (1966) O(n log n) tau-b: sort by (x, y); the discordant pairs are the
 * inversions of y in that order, counted by a merge sort; ties come from runs. (Comparing
 * every pair took 21 s for 10^5 draws.) */
typedef struct {
  double x, y;
} Pair;

static int by_xy(const void *a, const void *b) {
  const Pair *p = a, *q = b;
  return p->x != q->x ? (p->x > q->x) - (p->x < q->x) : (p->y > q->y) - (p->y < q->y);
}

/* Sorts y[0..n) ascending (stable) through tmp; returns the pairs i < j with y[i] > y[j]. */
static uint64_t inversions(double *y, double *tmp, size_t n) {
  uint64_t inv = 0;
  for (size_t w = 1; w < n; w *= 2) /* bottom-up: no recursion on a long list */
    for (size_t lo = 0; lo < n - w; lo += 2 * w) {
      size_t mid = lo + w, hi = lo + 2 * w < n ? lo + 2 * w : n, i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        if (y[j] < y[i]) {
          inv += mid - i;
          tmp[k++] = y[j++];
        } else
          tmp[k++] = y[i++];
      while (i < mid)
        tmp[k++] = y[i++];
      while (j < hi)
        tmp[k++] = y[j++];
      memcpy(y + lo, tmp + lo, (hi - lo) * sizeof *y);
    }
  return inv;
}

/* The tie groups of a sorted list (stride: 2 for a Pair's field), as the variance of S under
 * ties needs them: pairs = sum t(t-1)/2 over groups of t equal values, v1 = sum t(t-1)(t-2),
 * v2 = sum t(t-1)(2t+5). */
typedef struct {
  uint64_t pairs;
  double v1, v2;
} Ties;

static Ties ties_of(const double *v, size_t n, size_t stride) {
  Ties t = {0, 0, 0};
  uint64_t run = 1;
  for (size_t i = 1; i <= n; i++)
    if (i < n && v[i * stride] == v[(i - 1) * stride])
      run++;
    else {
      double r = (double)run;
      t.pairs += run * (run - 1) / 2;
      t.v1 += r * (r - 1) * (r - 2);
      t.v2 += r * (r - 1) * (2 * r + 5);
      run = 1;
    }
  return t;
}

/* S = concordant - discordant pairs, and the ties of x and of y. */
typedef struct {
  double S;
  uint64_t n0; /* n(n-1)/2 */
  Ties tx, ty;
} Kendall;

static ec_status kendall_counts(const double *x, const double *y, size_t n, Kendall *k,
                                ec_error *err) {
  if (n < 2) {
    snprintf(err->msg, sizeof err->msg, "Kendall's tau needs two observations or more (n = %zu)",
             n);
    return EC_EDOM;
  }
  for (size_t i = 0; i < n; i++)
    if (!isfinite(x[i]) || !isfinite(y[i])) {
      snprintf(err->msg, sizeof err->msg, "Kendall's tau needs finite numbers");
      return EC_EDOM;
    }
  Pair *p = malloc(n * sizeof *p);
  double *ys = malloc(n * sizeof *ys), *tmp = malloc(n * sizeof *tmp);
  if (!p || !ys || !tmp) {
    free(p), free(ys), free(tmp);
    return ec_out_of_memory("Kendall's tau", n, err);
  }
  for (size_t i = 0; i < n; i++)
    p[i] = (Pair){x[i], y[i]};
  qsort(p, n, sizeof *p, by_xy);
  k->tx = ties_of(&p[0].x, n, 2);
  uint64_t n3 = 0, run = 1;
  for (size_t i = 1; i <= n; i++) /* pairs tied in both */
    if (i < n && p[i].x == p[i - 1].x && p[i].y == p[i - 1].y)
      run++;
    else {
      n3 += run * (run - 1) / 2;
      run = 1;
    }
  for (size_t i = 0; i < n; i++)
    ys[i] = p[i].y;
  uint64_t disc = inversions(ys, tmp, n); /* ys is now sorted */
  k->ty = ties_of(ys, n, 1);
  k->n0 = (uint64_t)n * (n - 1) / 2;
  free(p), free(ys), free(tmp);
  /* concordant - discordant = (n0 - n1 - n2 + n3) - 2 disc */
  k->S = (double)(k->n0 - k->tx.pairs - k->ty.pairs + n3) - 2 * (double)disc;
  if (k->tx.pairs == k->n0 || k->ty.pairs == k->n0) {
    snprintf(err->msg, sizeof err->msg, "Kendall's tau is undefined: a series is constant");
    return EC_EDOM;
  }
  return EC_OK;
}

ec_status ec_kendall_tau(const double *x, const double *y, size_t n, double *tau, ec_error *err) {
  Kendall k;
  ec_status st = kendall_counts(x, y, n, &k, err);
  if (st == EC_OK)
    *tau = k.S / sqrt((double)(k.n0 - k.tx.pairs) * (double)(k.n0 - k.ty.pairs));
  return st;
}

/* S of x against y in the order perm (the sign of every pair's product). */
static int pair_sum(const double *x, const double *y, const size_t *perm, size_t n) {
  int S = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      double dx = x[i] - x[j], dy = y[perm[i]] - y[perm[j]];
      S += ((dx > 0) - (dx < 0)) * ((dy > 0) - (dy < 0));
    }
  return S;
}

ec_status ec_kendall_p(const double *x, const double *y, size_t n, double *p, int *exact,
                       ec_error *err) {
  Kendall k;
  ec_status st = kendall_counts(x, y, n, &k, err);
  if (st != EC_OK)
    return st;
  *exact = n <= EC_KENDALL_EXACT_N;
  if (!*exact) { /* Kendall (1970, eq. 4.4): the variance of S with ties in both series */
    double nn = (double)n, m = nn * (nn - 1);
    double var = (m * (2 * nn + 5) - k.tx.v2 - k.ty.v2) / 18 +
                 k.tx.v1 * k.ty.v1 / (9 * m * (nn - 2)) +
                 2 * (double)k.tx.pairs * (double)k.ty.pairs / m;
    *p = erfc(fabs(k.S) / sqrt(2 * var));
    return EC_OK;
  }
  /* every ordering of y against x (Heap's algorithm), counting those at least as far from
   * independence as the one observed: ties ride along, so the test holds with them */
  size_t perm[EC_KENDALL_EXACT_N], c[EC_KENDALL_EXACT_N] = {0};
  for (size_t i = 0; i < n; i++)
    perm[i] = i;
  int S0 = abs(pair_sum(x, y, perm, n));
  double total = 1, extreme = 1; /* the identity ordering is the observed one */
  for (size_t i = 1; i < n;)
    if (c[i] < i) {
      size_t j = i % 2 ? c[i] : 0, t = perm[j];
      perm[j] = perm[i];
      perm[i] = t;
      total++;
      extreme += abs(pair_sum(x, y, perm, n)) >= S0;
      c[i]++;
      i = 1;
    } else
      c[i++] = 0;
  *p = extreme / total;
  return EC_OK;
}

/* ---- The fold of T_fin (eq. 58) ------------------------------------------------------- */

typedef struct {
  ec_law K_eff;
  void *ctx;
  int failed;
  double sign;
} LawArgs;

static double law_at(double T, void *p) {
  LawArgs *a = p;
  double v = a->K_eff(T, a->ctx);
  if (!isfinite(v))
    a->failed = 1, v = 0;
  return a->sign * v;
}

#define FOLD_GRID 2000

ec_status ec_fold_locate(ec_law K_eff, void *ctx, double T_hi, double mu, double beta,
                         double *T_fold, double *I_fold, ec_error *err) {
  ec_init();
  if (!(T_hi > 0) || !(mu > 0) || !(beta > 0) || !isfinite(T_hi + mu + beta)) {
    snprintf(err->msg, sizeof err->msg,
             "the fold of eq. 58 needs T_star > 0, mu > 0 and beta > 0 (T_star = %g, mu = %g, "
             "beta = %g)",
             T_hi, mu, beta);
    return EC_EDOM;
  }
  LawArgs a = {K_eff, ctx, 0, 1};
  size_t best = 0;
  double vbest = -INFINITY;
  for (size_t i = 0; i <= FOLD_GRID; i++) {
    double v = law_at(T_hi * (double)i / FOLD_GRID, &a);
    if (a.failed)
      break;
    if (v > vbest)
      vbest = v, best = i;
  }
  if (a.failed) {
    snprintf(err->msg, sizeof err->msg, "K_eff(T) is not a finite number on [0, %g]", T_hi);
    return EC_EDOM;
  }
  double Tm = T_hi * (double)best / FOLD_GRID;
  if (best > 0 && best < FOLD_GRID) { /* an interior maximum: refine with Brent's minimizer */
    a.sign = -1;
    gsl_function F = {law_at, &a};
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    double lo = T_hi * (double)(best - 1) / FOLD_GRID, hi = T_hi * (double)(best + 1) / FOLD_GRID;
    if (gsl_min_fminimizer_set(m, &F, Tm, lo, hi) == GSL_SUCCESS) {
      for (int it = 0; it < 200; it++) {
        if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS)
          break;
        lo = gsl_min_fminimizer_x_lower(m), hi = gsl_min_fminimizer_x_upper(m);
        if (gsl_min_test_interval(lo, hi, 1e-12 * T_hi, 0) == GSL_SUCCESS)
          break;
      }
      Tm = gsl_min_fminimizer_x_minimum(m);
    }
    gsl_min_fminimizer_free(m);
    a.sign = 1;
    vbest = law_at(Tm, &a);
  }
  if (a.failed || !(vbest > 0)) {
    snprintf(err->msg, sizeof err->msg,
             "K_eff(T) has no positive value on [0, %g] (max %g): no stabilization to fold", T_hi,
             vbest);
    return EC_EDOM;
  }
  *T_fold = Tm;
  *I_fold = mu * vbest / beta;
  return EC_OK;
}

typedef struct {
  LawArgs law;
  double mu, beta, I;
} GapArgs;

static double T_gap(double T, void *p) {
  GapArgs *g = p;
  return g->beta * g->I - g->mu * law_at(T, &g->law);
}

ec_status ec_fold_equilibria(ec_law K_eff, void *ctx, double T_hi, double mu, double beta, double I,
                             double *roots, int max_roots, int *nroots, ec_error *err) {
  ec_init();
  double Tf, If;
  ec_status st = ec_fold_locate(K_eff, ctx, T_hi, mu, beta, &Tf, &If, err);
  if (st != EC_OK)
    return st;
  GapArgs g = {{K_eff, ctx, 0, 1}, mu, beta, I};
  *nroots = 0;
  double x0 = 0, f0 = T_gap(0, &g);
  if (f0 == 0 && *nroots < max_roots)
    roots[(*nroots)++] = 0;
  for (size_t i = 1; i <= FOLD_GRID && *nroots < max_roots; i++) {
    double x1 = T_hi * (double)i / FOLD_GRID, f1 = T_gap(x1, &g);
    if (g.law.failed)
      break;
    if (f1 == 0)
      roots[(*nroots)++] = x1;
    else if (f0 != 0 && (f0 < 0) != (f1 < 0)) {
      gsl_function F = {T_gap, &g};
      gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
      gsl_root_fsolver_set(s, &F, x0, x1);
      double r = 0.5 * (x0 + x1);
      for (int it = 0; it < 200; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
          break;
        r = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                   1e-14 * T_hi, 0) == GSL_SUCCESS)
          break;
      }
      gsl_root_fsolver_free(s);
      roots[(*nroots)++] = r;
    }
    x0 = x1, f0 = f1;
  }
  if (g.law.failed) {
    snprintf(err->msg, sizeof err->msg, "K_eff(T) is not a finite number on [0, %g]", T_hi);
    return EC_EDOM;
  }
  return EC_OK;
}
