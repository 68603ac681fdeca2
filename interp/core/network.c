/* Networks of the mesh (004 §9.3, §11): seeded Erdos-Renyi, Barabasi-Albert and
 * Bianconi-Barabasi graphs in compressed rows, their degree moments, components and
 * condensation. Their Laplacian is laplacian.c's, the threshold model specialize.c's. */
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
    return ec_out_of_memory("a graph", 2 * m, err);
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
    return ec_out_of_memory("a graph", n, err);
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
        return ec_out_of_memory("edges", x->m, err);
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
    st = ec_out_of_memory("preferential attachment", n, err);
    goto done;
  }
  while (f.top * 2 <= n)
    f.top *= 2;
  double total = 0;
  for (size_t a = 0; a <= m; a++) /* the complete core */
    for (size_t b = 0; b < a; b++) {
      if (edges_push(x, (unsigned)a, (unsigned)b)) {
        st = ec_out_of_memory("edges", x->m, err);
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
        st = ec_out_of_memory("edges", x->m, err);
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
      st = ec_out_of_memory("fitness", s->n, err);
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

void ec_graph_moments(const ec_graph *g, double *k1, double *k2) {
  double s1 = 0, s2 = 0;
  for (size_t i = 0; i < g->n; i++) {
    double k = (double)ec_degree(g, i);
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
    if (ec_degree(g, i) > kmax)
      kmax = ec_degree(g, i);
  double *p = calloc(kmax + 1, sizeof *p);
  if (!p)
    return ec_out_of_memory("a degree distribution", kmax, err);
  for (size_t i = 0; i < g->n; i++)
    p[ec_degree(g, i)] += 1.0 / (double)g->n;
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
    k[i] = ec_degree(g, i);
  qsort(k, g->n, sizeof *k, cmp_desc);
  double s = 0;
  for (size_t i = 0; i < top && i < g->n; i++)
    s += (double)k[i];
  free(k);
  return s / (2.0 * (double)g->m);
}
