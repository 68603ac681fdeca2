/* Catalytic reaction systems (004 §13, Appendix B): maximal RAF sets of declared and random
 * systems, the catalysis probability at which a RAF appears, the Perron-Frobenius root of a
 * catalytic matrix and the catalytic dynamics it drives. */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "edsl_core.h"

/* ---- RAF sets ------------------------------------------------------------------------- */

ec_status ec_raf_max(const ec_reaction_system *s, unsigned char *keep, size_t *size,
                     ec_error *err) {
  size_t T = s->ntypes, R = s->nreactions, nin = s->in_off[R];
  for (size_t t = 0; t < T; t++)
    if (s->food[t] > 1) {
      snprintf(err->msg, sizeof err->msg, "food flag of type %zu is not 0 or 1", t);
      return EC_EDOM;
    }
  /* the reactions each type is an input of (compressed rows), for a worklist closure */
  unsigned char *cl = malloc(T ? T : 1);
  size_t *use_off = calloc(T + 1, sizeof *use_off), *use = malloc((nin ? nin : 1) * sizeof *use);
  size_t *missing = malloc((R ? R : 1) * sizeof *missing),
         *queue = malloc((T ? T : 1) * sizeof *queue);
  if (!cl || !use_off || !use || !missing || !queue) {
    free(cl), free(use_off), free(use), free(missing), free(queue);
    return ec_out_of_memory("the RAF reduction", T + R + nin, err);
  }
  for (size_t k = 0; k < nin; k++)
    use_off[s->in[k] + 1]++;
  for (size_t t = 0; t < T; t++)
    use_off[t + 1] += use_off[t];
  for (size_t r = 0; r < R; r++)
    for (size_t k = s->in_off[r]; k < s->in_off[r + 1]; k++)
      use[use_off[s->in[k]]++] = r;
  for (size_t t = T; t > 0; t--) /* the fill moved each start to the next row's */
    use_off[t] = use_off[t - 1];
  use_off[0] = 0;
  for (size_t r = 0; r < R; r++)
    keep[r] = 1;
  ec_status st = EC_OK;
  for (int changed = 1; changed;) {
    changed = 0;
    if (ec_cancelled()) {
      st = ec_canceled("the maximal RAF reduction", err);
      break;
    }
    /* closure of the food set under the kept reactions, ignoring catalysis: a reaction
     * fires when its last missing input arrives (O(inputs) a pass, in any order) */
    size_t head = 0, tail = 0;
    for (size_t t = 0; t < T; t++)
      if ((cl[t] = s->food[t]))
        queue[tail++] = t;
    for (size_t r = 0; r < R; r++)
      missing[r] = s->in_off[r + 1] - s->in_off[r];
    for (size_t r = 0; r < R; r++) /* reactions without inputs fire at once */
      if (keep[r] && missing[r] == 0)
        for (size_t k = s->out_off[r]; k < s->out_off[r + 1]; k++)
          if (!cl[s->out[k]])
            cl[s->out[k]] = 1, queue[tail++] = s->out[k];
    while (head < tail) {
      size_t t = queue[head++];
      for (size_t u = use_off[t]; u < use_off[t + 1]; u++) {
        size_t r = use[u];
        if (--missing[r] == 0 && keep[r])
          for (size_t k = s->out_off[r]; k < s->out_off[r + 1]; k++)
            if (!cl[s->out[k]])
              cl[s->out[k]] = 1, queue[tail++] = s->out[k];
      }
    }
    /* drop reactions not supported by the closure: an input or every catalyst outside it */
    for (size_t r = 0; r < R; r++) {
      if (!keep[r])
        continue;
      int ok = missing[r] == 0, catalyzed = 0;
      for (size_t k = s->cat_off[r]; k < s->cat_off[r + 1] && !catalyzed; k++)
        catalyzed = cl[s->cat[k]];
      if (!ok || !catalyzed)
        keep[r] = 0, changed = 1;
    }
  }
  free(cl), free(use_off), free(use), free(missing), free(queue);
  *size = 0;
  for (size_t r = 0; r < R && st == EC_OK; r++)
    *size += keep[r];
  return st;
}

unsigned long ec_trial_seed(unsigned long seed, unsigned long i) {
  unsigned long long z = (unsigned long long)seed + 0x9E3779B97F4A7C15ULL * (i + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (unsigned long)((z ^ (z >> 31)) & 0xFFFFFFFFUL);
}

/* One drawn system: its structure, and the catalysis pairs (u, type) per reaction, every pair
 * with its own uniform u (so the system at p is the pairs with u < p). */
typedef struct {
  ec_reaction_system s;
  unsigned char *food;
  size_t *in_off, *in, *out_off, *out, *cat_off, *cat;
  double *u; /* ntypes x nreactions, reaction-major */
} RandomSystem;

static void random_free(RandomSystem *rs) {
  free(rs->food), free(rs->in_off), free(rs->in), free(rs->out_off), free(rs->out);
  free(rs->cat_off), free(rs->cat), free(rs->u);
}

static ec_status random_draw(const ec_raf_random *m, unsigned long seed, RandomSystem *rs,
                             ec_error *err) {
  memset(rs, 0, sizeof *rs);
  size_t J = m->ntypes, R = m->nreactions;
  if (J < 2 || m->nfood < 1 || m->nfood >= J || R < 1 || m->inputs < 1 || m->inputs > J ||
      (double)J * (double)R > 5e7) {
    snprintf(err->msg, sizeof err->msg,
             "a random reaction system needs 1 <= food types < types, 1 <= inputs <= types, at "
             "least one reaction and types x reactions <= 5e7, about 1.2 GB (types = %zu, "
             "food = %zu, "
             "reactions = %zu, inputs = %zu)",
             J, m->nfood, R, m->inputs);
    return EC_EDOM;
  }
  rs->food = calloc(J, 1);
  rs->in_off = malloc((R + 1) * sizeof *rs->in_off);
  rs->in = malloc(R * m->inputs * sizeof *rs->in);
  rs->out_off = malloc((R + 1) * sizeof *rs->out_off);
  rs->out = malloc(R * sizeof *rs->out);
  rs->cat_off = calloc(R + 1, sizeof *rs->cat_off);
  rs->cat = malloc(J * R * sizeof *rs->cat);
  rs->u = malloc(J * R * sizeof *rs->u);
  if (!rs->food || !rs->in_off || !rs->in || !rs->out_off || !rs->out || !rs->cat_off || !rs->cat ||
      !rs->u) {
    random_free(rs);
    snprintf(err->msg, sizeof err->msg, "out of memory for %zu types x %zu reactions", J, R);
    return EC_EDOM;
  }
  for (size_t t = 0; t < m->nfood; t++)
    rs->food[t] = 1;
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  for (size_t r = 0; r < R; r++) {
    rs->in_off[r] = r * m->inputs;
    for (size_t k = 0; k < m->inputs; k++) { /* distinct reactants */
      size_t t;
      int dup;
      do {
        t = gsl_rng_uniform_int(rng, J);
        dup = 0;
        for (size_t q = 0; q < k; q++)
          dup |= rs->in[r * m->inputs + q] == t;
      } while (dup);
      rs->in[r * m->inputs + k] = t;
    }
    rs->out_off[r] = r;
    rs->out[r] = m->nfood + gsl_rng_uniform_int(rng, J - m->nfood);
  }
  rs->in_off[R] = R * m->inputs;
  rs->out_off[R] = R;
  for (size_t i = 0; i < J * R; i++)
    rs->u[i] = gsl_rng_uniform(rng);
  gsl_rng_free(rng);
  rs->s = (ec_reaction_system){J,           R,       rs->food,    rs->in_off, rs->in,
                               rs->out_off, rs->out, rs->cat_off, rs->cat};
  return EC_OK;
}

/* The catalysts of every reaction at probability p. */
static void random_at(RandomSystem *rs, double p) {
  size_t J = rs->s.ntypes, R = rs->s.nreactions, n = 0;
  for (size_t r = 0; r < R; r++) {
    rs->cat_off[r] = n;
    for (size_t t = 0; t < J; t++)
      if (rs->u[r * J + t] < p)
        rs->cat[n++] = t;
  }
  rs->cat_off[R] = n;
}

static int valid_p(double p, ec_error *err) {
  if (p >= 0 && p <= 1)
    return 1;
  snprintf(err->msg, sizeof err->msg, "the catalysis probability must be in [0, 1] (p = %g)", p);
  return 0;
}

ec_status ec_raf_random_size(const ec_raf_random *m, unsigned long seed, double p, size_t *size,
                             ec_error *err) {
  if (!valid_p(p, err))
    return EC_EDOM;
  RandomSystem rs;
  ec_status st = random_draw(m, seed, &rs, err);
  if (st != EC_OK)
    return st;
  random_at(&rs, p);
  unsigned char *keep = malloc(m->nreactions);
  st = keep ? ec_raf_max(&rs.s, keep, size, err) : EC_EDOM;
  if (!keep)
    snprintf(err->msg, sizeof err->msg, "out of memory");
  free(keep);
  random_free(&rs);
  return st;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

ec_status ec_raf_random_threshold(const ec_raf_random *m, unsigned long seed, double *p_star,
                                  ec_error *err) {
  RandomSystem rs;
  ec_status st = random_draw(m, seed, &rs, err);
  if (st != EC_OK)
    return st;
  size_t n = m->ntypes * m->nreactions, size = 0;
  double *sorted = malloc(n * sizeof *sorted);
  unsigned char *keep = malloc(m->nreactions);
  if (!sorted || !keep) {
    free(sorted), free(keep), random_free(&rs);
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return EC_EDOM;
  }
  memcpy(sorted, rs.u, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_double);
  /* a RAF exists at p = sorted[k] (inclusive) for k >= some k*: bisect on k */
  random_at(&rs, 2);
  st = ec_raf_max(&rs.s, keep, &size, err);
  if (st == EC_OK && size == 0)
    *p_star = INFINITY;
  else if (st == EC_OK) {
    size_t lo = 0, hi = n - 1; /* answer in [lo, hi] */
    while (lo < hi && st == EC_OK) {
      size_t mid = lo + (hi - lo) / 2;
      random_at(&rs, nextafter(sorted[mid], 2));
      st = ec_raf_max(&rs.s, keep, &size, err);
      if (size > 0)
        hi = mid;
      else
        lo = mid + 1;
    }
    *p_star = sorted[lo];
  }
  free(sorted), free(keep), random_free(&rs);
  return st;
}

/* ---- Perron-Frobenius and catalytic dynamics -------------------------------------------- */

static int nonnegative(const double *M, size_t n, ec_error *err) {
  if (n < 1) {
    snprintf(err->msg, sizeof err->msg, "the catalytic matrix is empty");
    return 0;
  }
  for (size_t i = 0; i < n * n; i++)
    if (!(M[i] >= 0) || !isfinite(M[i])) {
      snprintf(err->msg, sizeof err->msg,
               "the catalytic matrix must be finite and nonnegative (M[%zu][%zu] = %g)", i / n + 1,
               i % n + 1, M[i]);
      return 0;
    }
  return 1;
}

ec_status ec_perron(const double *M, size_t n, double *lambda1, double *v, ec_error *err) {
  ec_init();
  if (n > EC_PERRON_MAX) {
    snprintf(err->msg, sizeof err->msg,
             "the Perron-Frobenius root of %zu types: the dense eigensolver takes at most %d "
             "(its time grows as the cube of the types)",
             n, EC_PERRON_MAX);
    return EC_EDOM;
  }
  if (!nonnegative(M, n, err))
    return EC_EDOM;
  gsl_matrix *A = gsl_matrix_alloc(n, n);
  gsl_vector_complex *eval = gsl_vector_complex_alloc(n);
  gsl_matrix_complex *evec = gsl_matrix_complex_alloc(n, n);
  gsl_eigen_nonsymmv_workspace *w = gsl_eigen_nonsymmv_alloc(n);
  for (size_t i = 0; i < n * n; i++)
    A->data[i / n * A->tda + i % n] = M[i];
  int st = gsl_eigen_nonsymmv(A, eval, evec, w);
  ec_status out = EC_OK;
  if (st != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg, "the eigensolver failed on the %zu x %zu matrix (%s)", n, n,
             gsl_strerror(st));
    out = EC_ENOROOT;
  } else {
    size_t best = 0;
    for (size_t k = 1; k < n; k++)
      if (GSL_REAL(gsl_vector_complex_get(eval, k)) > GSL_REAL(gsl_vector_complex_get(eval, best)))
        best = k;
    *lambda1 = GSL_REAL(gsl_vector_complex_get(eval, best));
    /* the PF vector of a nonnegative matrix can be taken nonnegative: fix the sign by the
     * sum, then clean round-off */
    double sum = 0;
    for (size_t i = 0; i < n; i++)
      sum += GSL_REAL(gsl_matrix_complex_get(evec, i, best));
    double total = 0;
    for (size_t i = 0; i < n; i++) {
      double x = GSL_REAL(gsl_matrix_complex_get(evec, i, best)) * (sum < 0 ? -1 : 1);
      v[i] = x;
      total += fabs(x);
    }
    for (size_t i = 0; i < n; i++) {
      v[i] /= total;
      if (fabs(v[i]) < 1e-12)
        v[i] = 0;
    }
    for (size_t i = 0; i < n && out == EC_OK; i++)
      if (v[i] < 0) {
        snprintf(err->msg, sizeof err->msg,
                 "the leading eigenvalue %g has no nonnegative eigenvector (it is degenerate)",
                 *lambda1);
        out = EC_ENOROOT;
      }
    if (fabs(*lambda1) < 1e-12)
      *lambda1 = 0;
  }
  gsl_eigen_nonsymmv_free(w);
  gsl_matrix_complex_free(evec);
  gsl_vector_complex_free(eval);
  gsl_matrix_free(A);
  return out;
}

typedef struct {
  const double *M;
  size_t n;
  double phi_0;
  ec_jk_form form;
} CatArgs;

/* In logs, y_i = ln c_i, so shares far apart in size stay accurate. */
static int catalytic_rhs(double t, const double y[], double dy[], void *p) {
  (void)t;
  const CatArgs *a = p;
  size_t n = a->n;
  if (ec_cancelled()) /* one call is O(n^2): polling costs nothing beside it */
    return GSL_EBADFUNC;
  for (size_t i = 0; i < n; i++) {
    double s = 0;
    for (size_t j = 0; j < n; j++)
      if (a->M[i * n + j] != 0)
        s += a->M[i * n + j] * exp(y[j] - (a->form == EC_JK_LINEAR ? y[i] : 0));
    dy[i] = s - a->phi_0;
    if (!isfinite(dy[i]))
      return GSL_EBADFUNC;
  }
  return GSL_SUCCESS;
}

ec_status ec_catalytic_run(const double *M, size_t n, double phi_0, const double *c0, double t,
                           ec_jk_form form, double *share, double *rate, ec_error *err) {
  ec_init();
  if (!nonnegative(M, n, err))
    return EC_EDOM;
  if (!(t >= 0) || !isfinite(t) || !isfinite(phi_0)) {
    snprintf(err->msg, sizeof err->msg,
             "the catalytic dynamics need a finite time t >= 0 and phi_0 (t = %g, phi_0 = %g)", t,
             phi_0);
    return EC_EDOM;
  }
  double *y = malloc(n * sizeof *y), *dy = malloc(n * sizeof *dy);
  if (!y || !dy) {
    free(y), free(dy);
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return EC_EDOM;
  }
  for (size_t i = 0; i < n; i++) {
    if (!(c0[i] > 0) || !isfinite(c0[i])) {
      snprintf(err->msg, sizeof err->msg,
               "initial capabilities must be positive (c0[%zu] = %g): a type at 0 stays there",
               i + 1, c0[i]);
      free(y), free(dy);
      return EC_EDOM;
    }
    y[i] = log(c0[i]);
  }
  CatArgs a = {M, n, phi_0, form};
  gsl_odeiv2_system sys = {catalytic_rhs, NULL, n, &a};
  double tt;
  int st = ec_ode_run(&sys, 1e-10, t, y, &tt);
  ec_status out = EC_OK;
  if (st != GSL_SUCCESS && ec_cancelled())
    out = ec_canceled("the catalytic dynamics", err);
  else if (st != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg,
             "the %s catalytic dynamics failed at t = %g (%s; phi_0 = %g)%s",
             form == EC_JK_LINEAR ? "linear" : "printed (eq. 39)", tt, gsl_strerror(st), phi_0,
             form == EC_JK_PRINTED ? ": eq. 39 blows up in finite time once sum_j M_ij c_j "
                                     "outgrows phi_0 on a cycle"
                                   : "");
    out = EC_EINTEGRATE;
  } else {
    double ymax = -INFINITY, total = 0;
    for (size_t i = 0; i < n; i++)
      ymax = fmax(ymax, y[i]);
    for (size_t i = 0; i < n; i++)
      total += share[i] = exp(y[i] - ymax);
    catalytic_rhs(t, y, dy, &a);
    double r = 0;
    for (size_t i = 0; i < n; i++) {
      share[i] /= total;
      r += share[i] * dy[i]; /* d ln sum c/dt = sum_i share_i d ln c_i/dt */
    }
    *rate = r;
  }
  free(y), free(dy);
  return out;
}
