/* Networks of the mesh (004 §9.3, §11): seeded Erdos-Renyi, Barabasi-Albert and
 * Bianconi-Barabasi graphs in compressed rows, their degree moments, components and
 * condensation, the Laplacian's Fiedler value (dense GSL eigen or sparse Lanczos), knowledge
 * diffusion du/dt = -L u, and the fixed-response-threshold specialization simulation. */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_vector.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "edsl_core.h"

static ec_status out_of_memory(const char *what, size_t n, ec_error *err) {
  snprintf(err->msg, sizeof err->msg, "out of memory for %s (%zu entries)", what, n);
  return EC_EDOM;
}

void ec_graph_free(ec_graph *g) {
  free(g->off);
  free(g->adj);
  free(g->fitness);
  memset(g, 0, sizeof *g);
}

/* Compressed rows from an edge list of m pairs. */
static ec_status csr_build(size_t n, const unsigned *e, size_t m, ec_graph *g, ec_error *err) {
  memset(g, 0, sizeof *g);
  g->n = n;
  g->m = m;
  g->off = calloc(n + 1, sizeof *g->off);
  g->adj = malloc((2 * m + 1) * sizeof *g->adj);
  if (!g->off || !g->adj) {
    ec_graph_free(g);
    return out_of_memory("a graph", 2 * m, err);
  }
  for (size_t i = 0; i < m; i++) {
    g->off[e[2 * i] + 1]++;
    g->off[e[2 * i + 1] + 1]++;
  }
  for (size_t i = 0; i < n; i++)
    g->off[i + 1] += g->off[i];
  size_t *fill = malloc((n + 1) * sizeof *fill);
  if (!fill) {
    ec_graph_free(g);
    return out_of_memory("a graph", n, err);
  }
  memcpy(fill, g->off, (n + 1) * sizeof *fill);
  for (size_t i = 0; i < m; i++) {
    unsigned a = e[2 * i], b = e[2 * i + 1];
    g->adj[fill[a]++] = b;
    g->adj[fill[b]++] = a;
  }
  free(fill);
  return EC_OK;
}

static int cmp_unsigned(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return (x > y) - (x < y);
}

ec_status ec_graph_from_edges(size_t n, const unsigned *edges, size_t m, ec_graph *g,
                              ec_error *err) {
  for (size_t i = 0; i < 2 * m; i++)
    if (edges[i] >= n) {
      snprintf(err->msg, sizeof err->msg, "edge %zu names node %u of a graph of %zu nodes",
               i / 2 + 1, edges[i], n);
      return EC_EDOM;
    }
  for (size_t i = 0; i < m; i++)
    if (edges[2 * i] == edges[2 * i + 1]) {
      snprintf(err->msg, sizeof err->msg, "edge %zu is a self-loop at node %u", i + 1,
               edges[2 * i]);
      return EC_EDOM;
    }
  if (csr_build(n, edges, m, g, err))
    return EC_EDOM;
  for (size_t i = 0; i < n; i++) {
    qsort(g->adj + g->off[i], g->off[i + 1] - g->off[i], sizeof *g->adj, cmp_unsigned);
    for (size_t k = g->off[i] + 1; k < g->off[i + 1]; k++)
      if (g->adj[k] == g->adj[k - 1]) {
        snprintf(err->msg, sizeof err->msg, "the edge %zu-%u appears twice", i, g->adj[k]);
        ec_graph_free(g);
        return EC_EDOM;
      }
  }
  return EC_OK;
}

/* A growable edge list with a hard bound (the memory limit). */
typedef struct {
  unsigned *e;
  size_t m, cap, max;
} Edges;

static int edges_push(Edges *x, unsigned a, unsigned b) {
  if (x->m >= x->max)
    return -1;
  if (x->m == x->cap) {
    size_t cap = x->cap ? 2 * x->cap : 1024;
    if (cap > x->max)
      cap = x->max;
    unsigned *e = realloc(x->e, 2 * cap * sizeof *e);
    if (!e)
      return -2;
    x->e = e;
    x->cap = cap;
  }
  x->e[2 * x->m] = a;
  x->e[2 * x->m + 1] = b;
  x->m++;
  return 0;
}

static ec_status too_big(const ec_net_spec *s, double edges, ec_error *err) {
  snprintf(err->msg, sizeof err->msg,
           "a network of %zu nodes and about %.3g edges needs about %.0f MB; the limit is %zu "
           "edges (raise it with --max-network-edges)",
           s->n, edges, (edges * 24 + (double)s->n * 24) / 1e6, s->max_edges);
  return EC_EDOM;
}

/* G(n, p): skip over absent pairs (w < v) geometrically, O(n + m). */
static ec_status gen_er(const ec_net_spec *s, gsl_rng *rng, Edges *x, ec_error *err) {
  double n = (double)s->n, c = s->mean_degree;
  if (!(c >= 0) || !(c <= n - 1)) {
    snprintf(err->msg, sizeof err->msg,
             "Erdos-Renyi: the mean degree must be in [0, nodes - 1] (mean degree = %g, nodes = "
             "%zu)",
             c, s->n);
    return EC_EDOM;
  }
  if (c * n / 2 > (double)s->max_edges * 0.98)
    return too_big(s, c * n / 2, err);
  double p = s->n > 1 ? c / (n - 1) : 0;
  if (p <= 0)
    return EC_OK;
  double lq = log1p(-p);
  long v = 1, w = -1;
  while (v < (long)s->n) {
    double r = gsl_rng_uniform_pos(rng);
    w += 1 + (p >= 1 ? 0 : (long)floor(log(r) / lq));
    while (w >= v && v < (long)s->n) {
      w -= v;
      v++;
    }
    if (v < (long)s->n) {
      int rc = edges_push(x, (unsigned)v, (unsigned)w);
      if (rc == -1)
        return too_big(s, c * n / 2, err);
      if (rc)
        return out_of_memory("edges", x->m, err);
    }
  }
  return EC_OK;
}

/* Fenwick tree of attachment weights: sampling proportional to weight in O(log n). */
typedef struct {
  double *t;
  size_t n, top; /* top: highest power of two <= n */
} Fenwick;

static void fw_add(Fenwick *f, size_t i, double d) {
  for (i++; i <= f->n; i += i & (~i + 1))
    f->t[i] += d;
}

/* the index whose cumulative range holds u */
static size_t fw_find(const Fenwick *f, double u) {
  size_t pos = 0;
  for (size_t step = f->top; step; step >>= 1)
    if (pos + step <= f->n && f->t[pos + step] < u) {
      pos += step;
      u -= f->t[pos];
    }
  return pos;
}

/* Preferential attachment with probability eta_i k_i / sum (eta = 1: Barabasi-Albert). */
static ec_status gen_pa(const ec_net_spec *s, gsl_rng *rng, double *eta, Edges *x, ec_error *err) {
  size_t n = s->n, m = s->links;
  if (m < 1 || n < m + 1) {
    snprintf(err->msg, sizeof err->msg,
             "preferential attachment needs links >= 1 and nodes >= links + 1 (links = %zu, "
             "nodes = %zu)",
             m, n);
    return EC_EDOM;
  }
  double edges = (double)m * (double)(m + 1) / 2 + (double)(n - m - 1) * (double)m;
  if (edges > (double)s->max_edges)
    return too_big(s, edges, err);
  Fenwick f = {calloc(n + 1, sizeof(double)), n, 1};
  double *w = calloc(n, sizeof *w);
  size_t *deg = calloc(n, sizeof *deg), *pick = malloc(m * sizeof *pick);
  ec_status st = EC_OK;
  if (!f.t || !w || !deg || !pick) {
    st = out_of_memory("preferential attachment", n, err);
    goto done;
  }
  while (f.top * 2 <= n)
    f.top *= 2;
  double total = 0;
  for (size_t a = 0; a <= m; a++) /* the complete core */
    for (size_t b = 0; b < a; b++) {
      if (edges_push(x, (unsigned)a, (unsigned)b)) {
        st = out_of_memory("edges", x->m, err);
        goto done;
      }
      deg[a]++;
      deg[b]++;
    }
  for (size_t a = 0; a <= m; a++) {
    w[a] = eta[a] * (double)deg[a];
    fw_add(&f, a, w[a]);
    total += w[a];
  }
  for (size_t t = m + 1; t < n; t++) {
    for (size_t j = 0; j < m; j++) { /* m distinct targets: drawn without replacement */
      size_t i;
      int tries = 0;
      do {
        i = fw_find(&f, gsl_rng_uniform_pos(rng) * total);
      } while ((i >= t || w[i] == 0) && ++tries < 64);
      if (i >= t || w[i] == 0) /* rounding in the tree: fall back to a scan */
        for (i = 0; i < t && w[i] == 0; i++)
          ;
      pick[j] = i;
      fw_add(&f, i, -w[i]);
      total -= w[i];
      w[i] = 0;
    }
    for (size_t j = 0; j < m; j++) {
      size_t i = pick[j];
      if (edges_push(x, (unsigned)t, (unsigned)i)) {
        st = out_of_memory("edges", x->m, err);
        goto done;
      }
      deg[i]++;
      w[i] = eta[i] * (double)deg[i];
      fw_add(&f, i, w[i]);
      total += w[i];
    }
    deg[t] = m;
    w[t] = eta[t] * (double)m;
    fw_add(&f, t, w[t]);
    total += w[t];
  }
done:
  free(f.t);
  free(w);
  free(deg);
  free(pick);
  return st;
}

ec_status ec_graph_generate(const ec_net_spec *s, unsigned long seed, ec_graph *g, ec_error *err) {
  ec_init();
  memset(g, 0, sizeof *g);
  if (s->n < 1 || s->n > UINT32_MAX) {
    snprintf(err->msg, sizeof err->msg, "a network needs 1 to %u nodes (nodes = %zu)", UINT32_MAX,
             s->n);
    return EC_EDOM;
  }
  if ((double)s->n > (double)s->max_edges * 2) /* offsets cost as much as edges */
    return too_big(s, 0, err);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  Edges x = {NULL, 0, 0, s->max_edges};
  double *eta = NULL;
  ec_status st;
  if (s->model == EC_NET_ER)
    st = gen_er(s, rng, &x, err);
  else {
    eta = malloc(s->n * sizeof *eta);
    if (!eta) {
      st = out_of_memory("fitness", s->n, err);
      goto done;
    }
    for (size_t i = 0; i < s->n; i++) {
      eta[i] = s->model == EC_NET_BB ? ec_dist_quantile(s->fitness, gsl_rng_uniform_pos(rng)) : 1;
      if (!(eta[i] > 0) || !isfinite(eta[i])) {
        snprintf(err->msg, sizeof err->msg,
                 "Bianconi-Barabasi fitness must be positive and finite; node %zu drew %g", i,
                 eta[i]);
        st = EC_EDOM;
        goto done;
      }
    }
    st = gen_pa(s, rng, eta, &x, err);
  }
  if (st == EC_OK)
    st = csr_build(s->n, x.e, x.m, g, err);
  if (st == EC_OK && s->model == EC_NET_BB) {
    g->fitness = eta;
    eta = NULL;
  }
done:
  free(eta);
  free(x.e);
  gsl_rng_free(rng);
  return st;
}

static inline size_t degree(const ec_graph *g, size_t i) {
  return g->off[i + 1] - g->off[i];
}

void ec_graph_moments(const ec_graph *g, double *k1, double *k2) {
  double s1 = 0, s2 = 0;
  for (size_t i = 0; i < g->n; i++) {
    double k = (double)degree(g, i);
    s1 += k;
    s2 += k * k;
  }
  *k1 = g->n ? s1 / (double)g->n : 0;
  *k2 = g->n ? s2 / (double)g->n : 0;
}

/* Labels nodes by component (BFS); returns the count, and the largest's size. */
static size_t components(const ec_graph *g, unsigned *label, unsigned *queue, size_t *largest) {
  size_t count = 0, best = 0;
  for (size_t i = 0; i < g->n; i++)
    label[i] = UINT32_MAX;
  for (size_t s = 0; s < g->n; s++) {
    if (label[s] != UINT32_MAX)
      continue;
    size_t head = 0, tail = 0;
    queue[tail++] = (unsigned)s;
    label[s] = (unsigned)count;
    while (head < tail) {
      unsigned v = queue[head++];
      for (size_t k = g->off[v]; k < g->off[v + 1]; k++)
        if (label[g->adj[k]] == UINT32_MAX) {
          label[g->adj[k]] = (unsigned)count;
          queue[tail++] = g->adj[k];
        }
    }
    if (tail > best)
      best = tail;
    count++;
  }
  if (largest)
    *largest = best;
  return count;
}

size_t ec_graph_components(const ec_graph *g, size_t *largest) {
  unsigned *label = malloc((g->n + 1) * sizeof *label), *queue = malloc((g->n + 1) * sizeof *queue);
  size_t c = 0;
  if (label && queue)
    c = components(g, label, queue, largest);
  else if (largest)
    *largest = 0;
  free(label);
  free(queue);
  return c;
}

typedef struct {
  const double *p; /* degree distribution p_0..p_kmax */
  size_t kmax;
  double k1;
} DegreeDist;

/* G1(u) - u, G1(u) = sum_k k p_k u^(k-1) / <k> (Horner) */
static double excess_gap(double u, void *ctx) {
  const DegreeDist *d = ctx;
  double s = 0;
  for (size_t k = d->kmax; k >= 1; k--)
    s = s * u + (double)k * d->p[k];
  return s / d->k1 - u;
}

ec_status ec_graph_giant_mean_field(const ec_graph *g, double *S, ec_error *err) {
  ec_init();
  size_t kmax = 0;
  for (size_t i = 0; i < g->n; i++)
    if (degree(g, i) > kmax)
      kmax = degree(g, i);
  double *p = calloc(kmax + 1, sizeof *p);
  if (!p)
    return out_of_memory("a degree distribution", kmax, err);
  for (size_t i = 0; i < g->n; i++)
    p[degree(g, i)] += 1.0 / (double)g->n;
  double k1 = 0, k2 = 0;
  ec_graph_moments(g, &k1, &k2);
  DegreeDist d = {p, kmax, k1};
  ec_status st = EC_OK;
  double u = 1;
  if (k1 > 0 && (k2 - k1) / k1 > 1) { /* G1'(1) > 1: a giant component */
    if (excess_gap(0, &d) <= 0)
      u = 0;
    else {
      double hi = 0.5;
      for (int j = 2; excess_gap(hi, &d) >= 0 && j < 60; j++)
        hi = 1 - ldexp(1, -j);
      if (excess_gap(hi, &d) >= 0) {
        snprintf(err->msg, sizeof err->msg,
                 "mean-field giant component: no root of u = G1(u) below 1 (<k> = %g, <k^2> = %g)",
                 k1, k2);
        st = EC_ENOROOT;
      } else {
        gsl_function F = {excess_gap, &d};
        gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
        gsl_root_fsolver_set(s, &F, 0, hi);
        int gs = GSL_CONTINUE;
        for (int it = 0; it < 300 && gs == GSL_CONTINUE; it++) {
          gsl_root_fsolver_iterate(s);
          gs = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                      1e-15, 1e-14);
        }
        u = gsl_root_fsolver_root(s);
        gsl_root_fsolver_free(s);
      }
    }
  }
  double G0 = 0;
  for (size_t k = kmax + 1; k-- > 0;)
    G0 = G0 * u + p[k];
  *S = 1 - G0;
  free(p);
  return st;
}

static int cmp_desc(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x < y) - (x > y);
}

double ec_graph_top_share(const ec_graph *g, size_t top) {
  if (g->m == 0)
    return 0;
  size_t *k = malloc(g->n * sizeof *k);
  if (!k)
    return NAN;
  for (size_t i = 0; i < g->n; i++)
    k[i] = degree(g, i);
  qsort(k, g->n, sizeof *k, cmp_desc);
  double s = 0;
  for (size_t i = 0; i < top && i < g->n; i++)
    s += (double)k[i];
  free(k);
  return s / (2.0 * (double)g->m);
}

/* ---- the Laplacian --------------------------------------------------------------------- */

static void laplacian_apply(const ec_graph *g, const double *x, double *y) {
  for (size_t i = 0; i < g->n; i++) {
    double s = (double)degree(g, i) * x[i];
    for (size_t k = g->off[i]; k < g->off[i + 1]; k++)
      s -= x[g->adj[k]];
    y[i] = s;
  }
}

static double dot(const double *a, const double *b, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += a[i] * b[i];
  return s;
}

static void center(double *x, size_t n) {
  double mean = 0;
  for (size_t i = 0; i < n; i++)
    mean += x[i];
  mean /= (double)n;
  for (size_t i = 0; i < n; i++)
    x[i] -= mean;
}

static ec_status fiedler_dense(const ec_graph *g, double *lambda2, ec_error *err) {
  size_t n = g->n;
  gsl_matrix *L = gsl_matrix_calloc(n, n);
  gsl_vector *ev = gsl_vector_alloc(n);
  gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
  ec_status st = EC_OK;
  if (!L || !ev || !w) {
    st = out_of_memory("a dense Laplacian", n * n, err);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    gsl_matrix_set(L, i, i, (double)degree(g, i));
    for (size_t k = g->off[i]; k < g->off[i + 1]; k++)
      gsl_matrix_set(L, i, g->adj[k], -1);
  }
  if (gsl_eigen_symm(L, ev, w) != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg, "the dense eigensolver failed on %zu nodes", n);
    st = EC_ENOROOT;
    goto done;
  }
  gsl_sort_vector(ev);
  *lambda2 = gsl_vector_get(ev, 1);
done:
  gsl_matrix_free(L);
  gsl_vector_free(ev);
  if (w)
    gsl_eigen_symm_free(w);
  return st;
}

/* Solves L x = b for b orthogonal to 1 on a connected graph (x orthogonal to 1) by
 * conjugate gradients preconditioned with 1/degree. */
static ec_status cg_solve(const ec_graph *g, const double *b, double *x, double *work,
                          ec_error *err) {
  size_t n = g->n;
  double *r = work, *z = work + n, *p = work + 2 * n, *q = work + 3 * n;
  memset(x, 0, n * sizeof *x);
  memcpy(r, b, n * sizeof *r);
  double bn = sqrt(dot(b, b, n));
  if (bn == 0)
    return EC_OK;
  for (size_t i = 0; i < n; i++)
    z[i] = r[i] / (double)degree(g, i);
  memcpy(p, z, n * sizeof *p);
  double rz = dot(r, z, n);
  size_t maxit = 20 * n + 1000;
  for (size_t it = 0; it < maxit; it++) {
    laplacian_apply(g, p, q);
    double a = rz / dot(p, q, n);
    for (size_t i = 0; i < n; i++) {
      x[i] += a * p[i];
      r[i] -= a * q[i];
    }
    if (sqrt(dot(r, r, n)) <= 1e-11 * bn) {
      center(x, n);
      return EC_OK;
    }
    for (size_t i = 0; i < n; i++)
      z[i] = r[i] / (double)degree(g, i);
    double rz1 = dot(r, z, n);
    for (size_t i = 0; i < n; i++)
      p[i] = z[i] + rz1 / rz * p[i];
    rz = rz1;
  }
  snprintf(err->msg, sizeof err->msg,
           "sparse Fiedler value: conjugate gradients did not converge in %zu iterations on %zu "
           "nodes",
           maxit, n);
  return EC_ENOROOT;
}

enum { KRYLOV_MAX = 32, KRYLOV_KEEP = 10, KRYLOV_RESTARTS = 40 };

/* Ritz pairs of the leading k x k block of the symmetric projection H (descending). */
static void ritz(const gsl_matrix *H, size_t k, gsl_vector *theta, gsl_matrix *S) {
  gsl_matrix *T = gsl_matrix_alloc(k, k);
  gsl_matrix_const_view Hk = gsl_matrix_const_submatrix(H, 0, 0, k, k);
  gsl_matrix_memcpy(T, &Hk.matrix);
  gsl_vector_view th = gsl_vector_subvector(theta, 0, k);
  gsl_matrix_view Sk = gsl_matrix_submatrix(S, 0, 0, k, k);
  gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(k);
  gsl_eigen_symmv(T, &th.vector, &Sk.matrix, w);
  gsl_eigen_symmv_sort(&th.vector, &Sk.matrix, GSL_EIGEN_SORT_VAL_DESC);
  gsl_eigen_symmv_free(w);
  gsl_matrix_free(T);
}

/* Thick-restart Lanczos (full reorthogonalization, Krylov-Schur form) on L^+ restricted to
 * 1-perp: its largest eigenvalue is 1/lambda_2. A V = V H + beta v_next e_k' throughout, so
 * the residual of a Ritz pair (theta, s) is |beta s_k|. */
static ec_status fiedler_sparse(const ec_graph *g, double *lambda2, ec_error *err) {
  size_t n = g->n, M = n - 1 < KRYLOV_MAX ? n - 1 : KRYLOV_MAX;
  size_t keep = M / 4 < KRYLOV_KEEP ? M / 4 : KRYLOV_KEEP;
  double *V = malloc((M + 1) * n * sizeof *V), *w = malloc(n * sizeof *w),
         *Y = malloc((keep + 1) * n * sizeof *Y), *Ly = malloc(n * sizeof *Ly),
         *work = malloc(4 * n * sizeof *work), *h = malloc((M + 1) * sizeof *h);
  gsl_matrix *H = gsl_matrix_calloc(M, M), *S = gsl_matrix_alloc(M, M);
  gsl_vector *theta = gsl_vector_alloc(M);
  ec_status st = EC_OK;
  if (!V || !w || !Y || !Ly || !work || !h || !H || !S || !theta) {
    st = out_of_memory("the sparse eigensolver", (M + keep + 7) * n, err);
    goto done;
  }
  /* a fixed start (the same answer on every run), orthogonal to 1 */
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 20260524);
  for (size_t i = 0; i < n; i++)
    V[i] = gsl_rng_uniform(rng) - 0.5;
  gsl_rng_free(rng);
  center(V, n);
  double vn = sqrt(dot(V, V, n));
  for (size_t i = 0; i < n; i++)
    V[i] /= vn;
  size_t kept = 0, k = 0;
  double beta = 0;
  int converged = 0;
  for (int restart = 0; restart < KRYLOV_RESTARTS && !converged; restart++) {
    for (size_t j = kept; j < M; j++) {
      if ((st = cg_solve(g, V + j * n, w, work, err)))
        goto done;
      for (size_t i = 0; i <= j; i++)
        h[i] = 0;
      for (int pass = 0; pass < 2; pass++) { /* twice is enough (Kahan) */
        center(w, n);
        for (size_t i = 0; i <= j; i++) {
          double c = dot(w, V + i * n, n);
          h[i] += c;
          for (size_t l = 0; l < n; l++)
            w[l] -= c * V[i * n + l];
        }
      }
      for (size_t i = 0; i <= j; i++) {
        gsl_matrix_set(H, i, j, h[i]);
        gsl_matrix_set(H, j, i, h[i]);
      }
      beta = sqrt(dot(w, w, n));
      k = j + 1;
      for (size_t l = 0; l < n; l++)
        V[k * n + l] = beta > 0 ? w[l] / beta : 0;
      if (beta <= 1e-14 * fabs(h[j]) || (k % 4 == 0) || k == M) {
        ritz(H, k, theta, S);
        if (fabs(beta * gsl_matrix_get(S, k - 1, 0)) <= 1e-9 * gsl_vector_get(theta, 0) ||
            beta <= 1e-14 * fabs(h[j])) {
          converged = 1;
          break;
        }
      }
    }
    if (converged)
      break;
    /* thick restart: the top `keep` Ritz vectors, then the next Krylov vector */
    for (size_t r = 0; r < keep; r++)
      for (size_t l = 0; l < n; l++) {
        double y = 0;
        for (size_t j = 0; j < k; j++)
          y += gsl_matrix_get(S, j, r) * V[j * n + l];
        Y[r * n + l] = y;
      }
    memcpy(Y + keep * n, V + k * n, n * sizeof *Y);
    memcpy(V, Y, (keep + 1) * n * sizeof *V);
    gsl_matrix_set_zero(H);
    for (size_t r = 0; r < keep; r++)
      gsl_matrix_set(H, r, r, gsl_vector_get(theta, r));
    kept = keep;
  }
  /* the top Ritz vector, refined by the Rayleigh quotient of L itself */
  double *y = Y;
  for (size_t l = 0; l < n; l++) {
    double v = 0;
    for (size_t j = 0; j < k; j++)
      v += gsl_matrix_get(S, j, 0) * V[j * n + l];
    y[l] = v;
  }
  center(y, n);
  laplacian_apply(g, y, Ly);
  double yy = dot(y, y, n), lam = dot(y, Ly, n) / yy, r2 = 0, scale = 0;
  for (size_t l = 0; l < n; l++)
    r2 += (Ly[l] - lam * y[l]) * (Ly[l] - lam * y[l]);
  for (size_t i = 0; i < n; i++)
    scale = fmax(scale, 2.0 * (double)degree(g, i)); /* bounds ||L|| */
  if (!converged || !(sqrt(r2 / yy) <= 1e-6 * scale)) {
    snprintf(err->msg, sizeof err->msg,
             "sparse Fiedler value: Lanczos did not converge on %zu nodes (residual %g)", n,
             sqrt(r2 / yy));
    st = EC_ENOROOT;
    goto done;
  }
  *lambda2 = lam;
done:
  free(V);
  free(w);
  free(Y);
  free(Ly);
  free(work);
  free(h);
  gsl_matrix_free(H);
  gsl_matrix_free(S);
  gsl_vector_free(theta);
  return st;
}

ec_status ec_fiedler(const ec_graph *g, ec_eigen_method method, double *lambda2, ec_error *err) {
  ec_init();
  if (g->n < 2) {
    snprintf(err->msg, sizeof err->msg, "the Fiedler value needs at least 2 nodes (nodes = %zu)",
             g->n);
    return EC_EDOM;
  }
  if (method == EC_EIGEN_DENSE && g->n > EC_EIGEN_DENSE_MAX) {
    snprintf(err->msg, sizeof err->msg,
             "the dense eigensolver takes up to %d nodes (this network has %zu); use eigen = "
             "sparse",
             EC_EIGEN_DENSE_MAX, g->n);
    return EC_EDOM;
  }
  if (method == EC_EIGEN_DENSE || (method == EC_EIGEN_AUTO && g->n <= EC_EIGEN_DENSE_MAX))
    return fiedler_dense(g, lambda2, err);
  if (ec_graph_components(g, NULL) > 1) { /* 0 has the multiplicity of the components */
    *lambda2 = 0;
    return EC_OK;
  }
  return fiedler_sparse(g, lambda2, err);
}

/* ---- diffusion ------------------------------------------------------------------------- */

static int diffusion_rhs(double t, const double *u, double *du, void *ctx) {
  (void)t;
  const ec_graph *g = ctx;
  laplacian_apply(g, u, du);
  for (size_t i = 0; i < g->n; i++)
    du[i] = -du[i];
  return GSL_SUCCESS;
}

ec_status ec_diffusion(const ec_graph *g, unsigned long seed, double t, double *disagreement,
                       double *rate, ec_error *err) {
  ec_init();
  size_t n = g->n;
  if (n < 2 || !(t >= 0) || !isfinite(t)) {
    snprintf(err->msg, sizeof err->msg,
             "diffusion needs at least 2 nodes and a finite time t >= 0 (nodes = %zu, t = %g)", n,
             t);
    return EC_EDOM;
  }
  double *u = malloc(n * sizeof *u), *e = malloc(n * sizeof *e), *Le = malloc(n * sizeof *Le);
  ec_status st = EC_OK;
  if (!u || !e || !Le) {
    st = out_of_memory("diffusion", n, err);
    goto done;
  }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  for (size_t i = 0; i < n; i++)
    u[i] = gsl_ran_gaussian(rng, 1);
  gsl_rng_free(rng);
  memcpy(e, u, n * sizeof *e);
  center(e, n);
  double e0 = sqrt(dot(e, e, n));
  if (t > 0) {
    gsl_odeiv2_system sys = {diffusion_rhs, NULL, n, (void *)g};
    gsl_odeiv2_driver *d = ec_ode_driver(&sys, gsl_odeiv2_step_rkf45, 1e-3, 1e-12 * e0, 1e-10);
    double t0 = 0;
    int s = gsl_odeiv2_driver_apply(d, &t0, t, u);
    gsl_odeiv2_driver_free(d);
    if (s != GSL_SUCCESS) {
      snprintf(err->msg, sizeof err->msg,
               "diffusion du/dt = -L u: the ODE solver failed at t = %g of %g on %zu nodes (%s)",
               t0, t, n, gsl_strerror(s));
      st = EC_EINTEGRATE;
      goto done;
    }
    memcpy(e, u, n * sizeof *e);
    center(e, n);
  }
  double ee = dot(e, e, n);
  *disagreement = sqrt(ee) / e0;
  laplacian_apply(g, e, Le);
  *rate = ee > 0 ? dot(e, Le, n) / ee : 0;
done:
  free(u);
  free(e);
  free(Le);
  return st;
}

/* ---- specialization -------------------------------------------------------------------- */

static double spec_index(const ec_threshold_model *m, const double *theta, int *dominant,
                         double *share, size_t *covered) {
  size_t J = m->tasks, nspec = 0;
  double span = m->theta_max - m->theta_min, total = 0;
  unsigned char *cov = calloc(J, 1);
  for (size_t i = 0; i < m->agents; i++) {
    const double *th = theta + i * J;
    size_t best = 0;
    for (size_t j = 1; j < J; j++)
      if (th[j] < th[best])
        best = j;
    double cbest = (m->theta_max - th[best]) / span, rest = 0, worst = 0;
    for (size_t j = 0; j < J; j++)
      if (j != best) {
        double c = (m->theta_max - th[j]) / span;
        rest += c;
        worst = fmax(worst, c);
      }
    total += J > 1 ? cbest - rest / (double)(J - 1) : 1;
    if (dominant)
      dominant[i] = (int)best;
    if (cbest >= m->specialized_at && worst <= 1 - m->specialized_at) {
      nspec++;
      if (cov)
        cov[best] = 1;
    }
  }
  if (share)
    *share = (double)nspec / (double)m->agents;
  if (covered) {
    *covered = 0;
    for (size_t j = 0; cov && j < J; j++)
      *covered += cov[j];
  }
  free(cov);
  return total / (double)m->agents;
}

ec_status ec_specialize(const ec_threshold_model *m, unsigned long seed, size_t record_every,
                        int *dominant, double *index, size_t nrecord, double *share,
                        size_t *covered, ec_error *err) {
  ec_init();
  if (m->agents < 1 || m->tasks < 2 || !(m->n > 0) || !(m->xi >= 0) || !(m->phi >= 0) ||
      !(m->theta_min >= 0) || !(m->theta_max > m->theta_min) || !(m->theta0_lo >= m->theta_min) ||
      !(m->theta0_hi <= m->theta_max) || !(m->theta0_lo <= m->theta0_hi) || !(m->s0 >= 0) ||
      !(m->delta >= 0) || !(m->work >= 0) || !(m->quit > 0 && m->quit <= 1) ||
      !(m->specialized_at > 0.5 && m->specialized_at <= 1) || record_every < 1 ||
      !isfinite(m->theta_max) || !isfinite(m->n)) {
    snprintf(err->msg, sizeof err->msg,
             "the threshold model needs agents >= 1, tasks >= 2, n > 0, xi, phi >= 0, 0 <= "
             "theta_min <= theta0_lo <= theta0_hi <= theta_max < inf (theta_min < theta_max), "
             "demand s0, delta, work >= 0, 0 < quit <= 1 and 0.5 < specialized_at <= 1 (agents = "
             "%zu, tasks = %zu, n = %g, xi = %g, phi = %g, theta in [%g, %g], theta0 in [%g, "
             "%g], quit = %g, specialized_at = %g)",
             m->agents, m->tasks, m->n, m->xi, m->phi, m->theta_min, m->theta_max, m->theta0_lo,
             m->theta0_hi, m->quit, m->specialized_at);
    return EC_EDOM;
  }
  if ((double)m->agents * (double)m->tasks > 1e8) {
    snprintf(err->msg, sizeof err->msg,
             "the threshold model holds agents x tasks thresholds; %zu x %zu is over the limit "
             "of 1e8",
             m->agents, m->tasks);
    return EC_EDOM;
  }
  size_t J = m->tasks, A = m->agents;
  double *theta = malloc(A * J * sizeof *theta), *s = malloc(J * sizeof *s);
  size_t *count = calloc(J, sizeof *count);
  if (!theta || !s || !count) {
    free(theta);
    free(s);
    free(count);
    return out_of_memory("the threshold model", A * J, err);
  }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  for (size_t i = 0; i < A * J; i++)
    theta[i] = m->theta0_lo + (m->theta0_hi - m->theta0_lo) * gsl_rng_uniform(rng);
  for (size_t j = 0; j < J; j++)
    s[j] = m->s0;
  int *busy = malloc(A * sizeof *busy);
  size_t *order = malloc(J * sizeof *order);
  if (!busy || !order) {
    free(busy);
    free(order);
    free(theta);
    free(s);
    free(count);
    gsl_rng_free(rng);
    return out_of_memory("the threshold model", A, err);
  }
  for (size_t i = 0; i < A; i++)
    busy[i] = -1;
  for (size_t j = 0; j < J; j++)
    order[j] = j;
  size_t r = 0;
  for (size_t step = 0;; step++) {
    if (step % record_every == 0 && r < nrecord)
      index[r++] = spec_index(m, theta, NULL, NULL, NULL);
    if (step == m->steps)
      break;
    for (size_t i = 0; i < A; i++) {
      double *th = theta + i * J;
      if (busy[i] >= 0 && gsl_rng_uniform(rng) < m->quit)
        busy[i] = -1;
      if (busy[i] < 0) { /* an idle agent meets the tasks in random order (eq. 32) */
        gsl_ran_shuffle(rng, order, J, sizeof *order);
        for (size_t o = 0; o < J && busy[i] < 0; o++) {
          size_t j = order[o];
          /* eq. 32 as 1/(1 + (theta/s)^n): no overflow for large demand */
          double P = s[j] > 0 ? 1 / (1 + pow(th[j] / s[j], m->n)) : 0;
          if (gsl_rng_uniform(rng) < P)
            busy[i] = (int)j;
        }
      }
      for (size_t k = 0; k < J; k++) /* eq. 33 */
        if ((int)k == busy[i])
          th[k] = fmax(m->theta_min, th[k] - m->xi);
        else
          th[k] = fmin(m->theta_max, th[k] + m->phi);
      if (busy[i] >= 0)
        count[busy[i]]++;
    }
    for (size_t j = 0; j < J; j++) {
      s[j] = fmax(0, s[j] + m->delta - m->work * (double)count[j] / (double)A);
      count[j] = 0;
    }
  }
  free(busy);
  free(order);
  spec_index(m, theta, dominant, share, covered);
  gsl_rng_free(rng);
  free(theta);
  free(s);
  free(count);
  return EC_OK;
}
