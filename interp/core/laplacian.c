/* The Laplacian of a mesh network (004 §11): its Fiedler value lambda_2 (dense GSL eigen for
 * small graphs; ARPACK on the pseudo-inverse, applied by CHOLMOD or CG, for large ones) and
 * knowledge diffusion du/dt = -L u. */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_vector.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "edsl_core.h"
#include "sparse_libs.h"

/* ---- the Laplacian --------------------------------------------------------------------- */

static void laplacian_apply(const ec_graph *g, const double *x, double *y) {
  for (size_t i = 0; i < g->n; i++) {
    double s = (double)ec_degree(g, i) * x[i];
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
    st = ec_out_of_memory("a dense Laplacian", n * n, err);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    gsl_matrix_set(L, i, i, (double)ec_degree(g, i));
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

/* ---- solves with L + sigma I ------------------------------------------------------------ */

/* Solves (L + sigma I) x = b: sigma > 0 for a diffusion step, sigma = 0 for the pseudo-inverse
 * (b orthogonal to 1, the graph connected; x orthogonal to 1). Directly when the Cholesky
 * factor is sparse (trees, meshes, sparse power-law graphs: CHOLMOD, AMD ordering; with
 * sigma = 0, node 0 grounded), else by Jacobi-preconditioned conjugate gradients, which
 * converge fast exactly where the factor fills in (expanders: dense random graphs). */
typedef struct {
  const ec_graph *g;
  const ec_sparse_api *api;
  double sigma, flops_per_entry;
  cholmod_common c;
  cholmod_factor *F;            /* NULL: conjugate gradients */
  cholmod_dense *B, *X, *Y, *E; /* the direct solve's right side, answer and workspaces */
  double *work;                 /* 4 n: conjugate gradients */
} LapSolve;

/* The direct path when factoring costs at most the flops of the solves by conjugate gradients
 * (about 40 steps each) it saves: the eigensolver asks for about 100 solves on a well-connected
 * graph, a diffusion step for about 25 (trees and meshes factor in O(n); a random graph with
 * two links per node fills in as n^2). */
enum { FLOPS_FIEDLER = 4000, FLOPS_DIFFUSION = 1000 };

/* AMD orders a graph with a cycle-rich part (2-core) of at most this many nodes; above it AMD
 * can take seconds on a well-connected graph (5.5 s on a 300,000-node BA graph with three
 * links per node) and cannot be interrupted, so a fixed order is analysed instead. */
enum { AMD_CORE_MAX = 5000 };

/* An elimination order of the graph, node g0 - 1 left out when g0 (grounded): leaves first,
 * peeled repeatedly (on a forest a perfect order: no fill at all), then the 2-core by
 * ascending degree. Returns the 2-core's size, or -1 out of memory. */
static long elimination_order(const ec_graph *g, size_t g0, int *perm) {
  size_t n = g->n, head = 0, tail = 0, k = 0;
  size_t *deg = malloc(n * sizeof *deg), *queue = malloc(n * sizeof *queue);
  unsigned char *gone = calloc(n, 1);
  if (!deg || !queue || !gone) {
    free(deg), free(queue), free(gone);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if ((deg[i] = ec_degree(g, i)) <= 1)
      queue[tail++] = i, gone[i] = 1;
  while (head < tail) {
    size_t v = queue[head++];
    if (v >= g0)
      perm[k++] = (int)(v - g0);
    for (size_t e = g->off[v]; e < g->off[v + 1]; e++) {
      size_t w = g->adj[e];
      if (!gone[w] && --deg[w] <= 1)
        queue[tail++] = w, gone[w] = 1;
    }
  }
  long core = (long)(n - tail);
  /* the 2-core by its degree there, ascending (a counting sort: stable, linear) */
  size_t maxd = 0;
  for (size_t i = 0; i < n; i++)
    if (!gone[i] && deg[i] > maxd)
      maxd = deg[i];
  size_t *start = calloc(maxd + 2, sizeof *start);
  if (!start) {
    free(deg), free(queue), free(gone);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if (!gone[i])
      start[deg[i] + 1]++;
  for (size_t d = 1; d <= maxd + 1; d++)
    start[d] += start[d - 1];
  for (size_t i = 0; i < n; i++)
    if (!gone[i])
      queue[start[deg[i]]++] = i;
  for (size_t i = 0; i < (size_t)core; i++)
    if (queue[i] >= g0)
      perm[k++] = (int)(queue[i] - g0);
  free(start), free(deg), free(queue), free(gone);
  return core;
}

static int lap_factor(LapSolve *P) {
  const ec_graph *g = P->g;
  size_t g0 = P->sigma == 0, n = g->n - g0, nz = n + g->m; /* the upper triangle */
  if (n > (size_t)INT32_MAX / 2 || nz > (size_t)INT32_MAX / 2)
    return 0;
  cholmod_sparse *A = P->api->cholmod_allocate_sparse(n, n, nz, 1, 1, 1, CHOLMOD_REAL, &P->c);
  if (!A)
    return 0;
  int *Ap = A->p, *Ai = A->i;
  double *Ax = A->x;
  size_t k = 0;
  for (size_t j = g0; j < g->n; j++) { /* column j - g0: its rows above the diagonal, then it */
    Ap[j - g0] = (int)k;
    for (size_t e = g->off[j]; e < g->off[j + 1]; e++) /* adj is sorted: rows ascend */
      if (g->adj[e] >= g0 && g->adj[e] < j) {
        Ai[k] = (int)(g->adj[e] - g0);
        Ax[k++] = -1;
      }
    Ai[k] = (int)(j - g0);
    Ax[k++] = (double)ec_degree(g, j) + P->sigma;
  }
  Ap[n] = (int)k;
  int *perm = malloc((n ? n : 1) * sizeof *perm);
  long core = perm ? elimination_order(g, g0, perm) : -1;
  if (core > 0 && core <= AMD_CORE_MAX) {
    P->c.method[0].ordering = CHOLMOD_AMD;
    P->F = P->api->cholmod_analyze(A, &P->c);
  } else if (core >= 0) {
    P->c.method[0].ordering = CHOLMOD_GIVEN;
    P->F = P->api->cholmod_analyze_p(A, perm, NULL, 0, &P->c);
  }
  free(perm);
  int ok = P->F && P->c.fl <= P->flops_per_entry * (double)(g->n + 2 * g->m) &&
           P->api->cholmod_factorize(A, P->F, &P->c) && P->c.status == CHOLMOD_OK &&
           (P->B = P->api->cholmod_zeros(n, 1, CHOLMOD_REAL, &P->c)) != NULL;
  P->api->cholmod_free_sparse(&A, &P->c);
  if (!ok)
    P->api->cholmod_free_factor(&P->F, &P->c);
  return ok;
}

static ec_status lap_init(LapSolve *P, const ec_graph *g, double sigma, double flops_per_entry,
                          ec_error *err) {
  memset(P, 0, sizeof *P);
  P->g = g;
  P->sigma = sigma;
  P->flops_per_entry = flops_per_entry;
  if (!(P->api = ec_sparse_api_get(err)))
    return EC_EDOM;
  P->api->cholmod_start(&P->c);
  P->c.print = 0;                       /* failures are ours to report */
  P->c.supernodal = CHOLMOD_SIMPLICIAL; /* no BLAS threads: the answer is the same everywhere */
  P->c.nmethods = 1;                    /* the ordering: lap_factor's choice */
  P->c.postorder = 1;
  if (g->n > 2 && lap_factor(P))
    return EC_OK;
  if (!(P->work = malloc(4 * g->n * sizeof *P->work)))
    return ec_out_of_memory("a sparse Laplacian solve", 4 * g->n, err);
  return EC_OK;
}

static void lap_free(LapSolve *P) {
  free(P->work);
  if (!P->api)
    return;
  P->api->cholmod_free_factor(&P->F, &P->c);
  P->api->cholmod_free_dense(&P->B, &P->c);
  P->api->cholmod_free_dense(&P->X, &P->c);
  P->api->cholmod_free_dense(&P->Y, &P->c);
  P->api->cholmod_free_dense(&P->E, &P->c);
  P->api->cholmod_finish(&P->c);
}

int ec_laplacian_factors(const ec_graph *g) {
  LapSolve P;
  ec_error err;
  int direct = lap_init(&P, g, 0, FLOPS_FIEDLER, &err) == EC_OK && P.F != NULL;
  lap_free(&P);
  return direct;
}

/* Conjugate gradients preconditioned with 1/(degree + sigma). */
static ec_status cg_solve(const LapSolve *P, const double *b, double *x, ec_error *err) {
  const ec_graph *g = P->g;
  size_t n = g->n;
  double *r = P->work, *z = r + n, *p = r + 2 * n, *q = r + 3 * n, sigma = P->sigma;
  memset(x, 0, n * sizeof *x);
  memcpy(r, b, n * sizeof *r);
  double bn = sqrt(dot(b, b, n));
  if (bn == 0)
    return EC_OK;
  for (size_t i = 0; i < n; i++)
    z[i] = r[i] / ((double)ec_degree(g, i) + sigma);
  memcpy(p, z, n * sizeof *p);
  double rz = dot(r, z, n);
  size_t maxit = 20 * n + 1000;
  for (size_t it = 0; it < maxit; it++) {
    if (it % 64 == 0 && ec_cancelled())
      return ec_canceled("a sparse Laplacian solve", err);
    laplacian_apply(g, p, q);
    for (size_t i = 0; i < n; i++)
      q[i] += sigma * p[i];
    double a = rz / dot(p, q, n);
    for (size_t i = 0; i < n; i++) {
      x[i] += a * p[i];
      r[i] -= a * q[i];
    }
    if (sqrt(dot(r, r, n)) <= 1e-11 * bn) {
      if (sigma == 0)
        center(x, n);
      return EC_OK;
    }
    for (size_t i = 0; i < n; i++)
      z[i] = r[i] / ((double)ec_degree(g, i) + sigma);
    double rz1 = dot(r, z, n);
    for (size_t i = 0; i < n; i++)
      p[i] = z[i] + rz1 / rz * p[i];
    rz = rz1;
  }
  snprintf(err->msg, sizeof err->msg,
           "a sparse Laplacian solve: conjugate gradients did not converge in %zu iterations on "
           "%zu nodes",
           maxit, n);
  return EC_ENOROOT;
}

/* x = (L + sigma I)^-1 b; with sigma = 0, x = L^+ b, b centred first so that the operator is
 * symmetric on all of R^n (1 -> 0). */
static ec_status lap_apply(LapSolve *P, double *b, double *x, ec_error *err) {
  size_t n = P->g->n, g0 = P->sigma == 0;
  if (g0)
    center(b, n);
  if (!P->F)
    return cg_solve(P, b, x, err);
  memcpy(P->B->x, b + g0, (n - g0) * sizeof *b); /* grounded: x_0 = 0, then centred */
  if (!P->api->cholmod_solve2(CHOLMOD_A, P->F, P->B, NULL, &P->X, NULL, &P->Y, &P->E, &P->c))
    return ec_out_of_memory("a sparse Laplacian solve", n, err);
  x[0] = 0;
  memcpy(x + g0, P->X->x, (n - g0) * sizeof *x);
  if (g0)
    center(x, n);
  return EC_OK;
}

/* ARPACK keeps its iteration state in Fortran SAVE variables: one caller at a time. */
static pthread_mutex_t arpack_lock = PTHREAD_MUTEX_INITIALIZER;

/* Implicitly restarted Lanczos (ARPACK dsaupd, regular mode) for the largest eigenvalue of
 * L^+, 1/lambda_2; its vector refined by the Rayleigh quotient of L itself. */
static ec_status fiedler_sparse(const ec_graph *g, double *lambda2, ec_error *err) {
  size_t n = g->n;
  if (n > (size_t)INT32_MAX / 32) {
    snprintf(err->msg, sizeof err->msg, "the sparse eigensolver takes up to %d nodes (%zu)",
             INT32_MAX / 32, n);
    return EC_EDOM;
  }
  a_int N = (a_int)n, ncv = N < 20 ? N : 20, lworkl = ncv * (ncv + 8);
  a_int ido = 0, info = 1, iparam[11] = {0}, ipntr[11] = {0};
  iparam[0] = 1;   /* exact shifts */
  iparam[2] = 500; /* restarts */
  iparam[6] = 1;   /* regular mode: OP = L^+ */
  double *resid = malloc(n * sizeof *resid), *V = malloc(n * (size_t)ncv * sizeof *V),
         *workd = malloc(3 * n * sizeof *workd), *workl = malloc((size_t)lworkl * sizeof *workl),
         *Ly = malloc(n * sizeof *Ly), d[2];
  a_int *select = malloc((size_t)ncv * sizeof *select);
  LapSolve P;
  ec_status st = lap_init(&P, g, 0, FLOPS_FIEDLER, err);
  if (st == EC_OK && (!resid || !V || !workd || !workl || !Ly || !select))
    st = ec_out_of_memory("the sparse eigensolver", (ncv + 6) * n, err);
  if (st)
    goto done;
  /* a fixed start (the same answer on every run), orthogonal to 1 */
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 20260524);
  for (size_t i = 0; i < n; i++)
    resid[i] = gsl_rng_uniform(rng) - 0.5;
  gsl_rng_free(rng);
  center(resid, n);
  const double tol = 1e-11;
  pthread_mutex_lock(&arpack_lock);
  for (;;) {
    P.api->dsaupd_c(&ido, "I", N, "LA", 1, tol, resid, ncv, V, N, iparam, ipntr, workd, workl,
                    lworkl, &info);
    if (ido != -1 && ido != 1)
      break;
    if (ec_cancelled()) {
      st = ec_canceled("the sparse Fiedler value", err);
      break;
    }
    if ((st = lap_apply(&P, workd + ipntr[0] - 1, workd + ipntr[1] - 1, err)))
      break;
  }
  if (st == EC_OK && info == 0) {
    P.api->dseupd_c(1, "A", select, d, Ly, N, 0, "I", N, "LA", 1, tol, resid, ncv, V, N, iparam,
                    ipntr, workd, workl, lworkl, &info);
  } else if (st == EC_OK) {
    snprintf(err->msg, sizeof err->msg,
             "sparse Fiedler value: ARPACK did not converge on %zu nodes (info %d)", n, (int)info);
    st = EC_ENOROOT;
  }
  pthread_mutex_unlock(&arpack_lock);
  if (st)
    goto done;
  if (info != 0) {
    snprintf(err->msg, sizeof err->msg,
             "sparse Fiedler value: ARPACK's eigenvector extraction failed on %zu nodes (info %d)",
             n, (int)info);
    st = EC_ENOROOT;
    goto done;
  }
  double *y = resid; /* the Ritz vector (in Ly), refined by L's Rayleigh quotient */
  memcpy(y, Ly, n * sizeof *y);
  center(y, n);
  laplacian_apply(g, y, Ly);
  double yy = dot(y, y, n), lam = dot(y, Ly, n) / yy, r2 = 0, scale = 0;
  for (size_t l = 0; l < n; l++)
    r2 += (Ly[l] - lam * y[l]) * (Ly[l] - lam * y[l]);
  for (size_t i = 0; i < n; i++)
    scale = fmax(scale, 2.0 * (double)ec_degree(g, i)); /* bounds ||L|| */
  if (!(d[0] > 0) || !(sqrt(r2 / yy) <= 1e-6 * scale)) {
    snprintf(err->msg, sizeof err->msg,
             "sparse Fiedler value: no converged eigenvector on %zu nodes (residual %g)", n,
             sqrt(r2 / yy));
    st = EC_ENOROOT;
    goto done;
  }
  *lambda2 = lam;
done:
  lap_free(&P);
  free(resid);
  free(V);
  free(workd);
  free(workl);
  free(Ly);
  free(select);
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
  if (method == EC_EIGEN_DENSE || (method == EC_EIGEN_AUTO && g->n <= EC_EIGEN_AUTO_DENSE_MAX))
    return fiedler_dense(g, lambda2, err);
  if (ec_graph_components(g, NULL) > 1) { /* 0 has the multiplicity of the components */
    *lambda2 = 0;
    return EC_OK;
  }
  return fiedler_sparse(g, lambda2, err);
}

/* ---- diffusion ------------------------------------------------------------------------- */

enum { EXPM_KRYLOV_MAX = 40, EXPM_HALVINGS = 40, EXPM_STEPS_MAX = 100000 };

/* e <- exp(-tau L) e by the shift-and-invert Krylov method of van den Eshof and Hochbruck
 * (2006): Lanczos on (I + gamma L)^-1 with gamma = tau / 10, whose rate of convergence does
 * not depend on ||L|| (the largest degree), unlike any explicit step. The projection's
 * eigenvalues theta map back to mu = (1/theta - 1)/gamma, where exp(-tau mu) is taken exactly.
 * Converged when one more vector moves the result by less than tol of its norm (or 1e-13 of
 * the start's: the solves' own accuracy); *done = 0 when mmax vectors were not enough. */
static ec_status expm_krylov(LapSolve *S, double gamma, double tau, double *e, double *V,
                             size_t mmax, int *done, ec_error *err) {
  const double tol = 1e-11;
  size_t n = S->g->n;
  double beta0 = sqrt(dot(e, e, n));
  *done = 1;
  if (beta0 == 0)
    return EC_OK;
  gsl_matrix *H = gsl_matrix_calloc(mmax, mmax), *T = gsl_matrix_alloc(mmax, mmax),
             *Q = gsl_matrix_alloc(mmax, mmax);
  gsl_vector *theta = gsl_vector_alloc(mmax), *y = gsl_vector_calloc(mmax),
             *yprev = gsl_vector_calloc(mmax);
  double *h = malloc(mmax * sizeof *h);
  ec_status st = EC_OK;
  if (!H || !T || !Q || !theta || !y || !yprev || !h) {
    st = ec_out_of_memory("the diffusion's Krylov space", mmax * mmax, err);
    goto done;
  }
  for (size_t l = 0; l < n; l++)
    V[l] = e[l] / beta0;
  size_t k = 0; /* basis vectors used */
  *done = 0;
  for (size_t j = 0; j < mmax && !*done; j++) {
    double *w = V + (j + 1) * n; /* the last slot is scratch when j + 1 == mmax */
    if ((st = lap_apply(S, V + j * n, w, err)))
      goto done;
    for (size_t l = 0; l < n; l++) /* (I + gamma L)^-1 = (L + I/gamma)^-1 / gamma */
      w[l] /= gamma;
    for (size_t i = 0; i <= j; i++)
      h[i] = 0;
    for (int pass = 0; pass < 2; pass++) /* twice is enough (Kahan) */
      for (size_t i = 0; i <= j; i++) {
        double c = dot(w, V + i * n, n);
        h[i] += c;
        for (size_t l = 0; l < n; l++)
          w[l] -= c * V[i * n + l];
      }
    for (size_t i = 0; i <= j; i++) {
      gsl_matrix_set(H, i, j, h[i]);
      gsl_matrix_set(H, j, i, h[i]);
    }
    double beta = sqrt(dot(w, w, n));
    k = j + 1;
    /* y = f(H_k) e_1 through H_k's eigenvectors */
    gsl_matrix_view Tk = gsl_matrix_submatrix(T, 0, 0, k, k),
                    Qk = gsl_matrix_submatrix(Q, 0, 0, k, k);
    gsl_matrix_const_view Hk = gsl_matrix_const_submatrix(H, 0, 0, k, k);
    gsl_matrix_memcpy(&Tk.matrix, &Hk.matrix);
    gsl_vector_view th = gsl_vector_subvector(theta, 0, k);
    gsl_eigen_symmv_workspace *wk = gsl_eigen_symmv_alloc(k);
    if (!wk) {
      st = ec_out_of_memory("the diffusion's Krylov space", k * k, err);
      goto done;
    }
    gsl_eigen_symmv(&Tk.matrix, &th.vector, &Qk.matrix, wk);
    gsl_eigen_symmv_free(wk);
    double diff = 0, yn = 0;
    for (size_t i = 0; i < k; i++) {
      double s = 0;
      for (size_t r = 0; r < k; r++) {
        double t = gsl_vector_get(theta, r), mu = t > 0 ? fmax(0, (1 / t - 1) / gamma) : INFINITY;
        s += gsl_matrix_get(Q, i, r) * exp(-tau * mu) * gsl_matrix_get(Q, 0, r);
      }
      gsl_vector_set(y, i, s);
      diff += (s - gsl_vector_get(yprev, i)) * (s - gsl_vector_get(yprev, i));
      yn += s * s;
    }
    gsl_vector_memcpy(yprev, y);
    int invariant = beta <= 1e-13 * sqrt(dot(h, h, j + 1));
    if (invariant || (j > 0 && sqrt(diff) <= tol * sqrt(yn) + 1e-13))
      *done = 1;
    else if (j + 1 < mmax)
      for (size_t l = 0; l < n; l++)
        w[l] /= beta;
  }
  if (*done) {
    for (size_t l = 0; l < n; l++) {
      double s = 0;
      for (size_t i = 0; i < k; i++)
        s += gsl_vector_get(y, i) * V[i * n + l];
      e[l] = beta0 * s;
    }
  }
done:
  gsl_matrix_free(H);
  gsl_matrix_free(T);
  gsl_matrix_free(Q);
  gsl_vector_free(theta);
  gsl_vector_free(y);
  gsl_vector_free(yprev);
  free(h);
  return st;
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
  size_t mmax = n < EXPM_KRYLOV_MAX ? n : EXPM_KRYLOV_MAX;
  double *e = malloc(n * sizeof *e), *Le = malloc(n * sizeof *Le),
         *V = malloc((mmax + 1) * n * sizeof *V);
  LapSolve S;
  int have_S = 0;
  ec_status st = EC_OK;
  if (!e || !Le || !V) {
    st = ec_out_of_memory("diffusion", (mmax + 3) * n, err);
    goto done;
  }
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  for (size_t i = 0; i < n; i++)
    e[i] = gsl_ran_gaussian(rng, 1);
  gsl_rng_free(rng);
  center(e, n); /* the mean does not move (1'L = 0): only the deviation evolves */
  double e0 = sqrt(dot(e, e, n)), log_norm = 0; /* ||e(t)|| / ||e(0)|| = exp(log_norm) */
  if (e0 == 0) {
    *disagreement = *rate = 0;
    goto done;
  }
  for (size_t l = 0; l < n; l++)
    e[l] /= e0;
  /* exp(-t L) in equal steps tau, each kept to a decay of at most 10^-3 so that its tolerance
   * is relative to what is left; a step whose Krylov space does not converge is halved. The
   * solves use one factor per step length. */
  double rest = t, tau = t, S_tau = -1;
  size_t steps_left = 0, steps = 0, fails = 0;
  while (rest > 0) {
    if (steps_left == 0) { /* the rest in equal steps of at most tau */
      steps_left = (size_t)ceil(rest / tau * (1 - 1e-12));
      if (steps_left < 1)
        steps_left = 1;
      tau = rest / (double)steps_left;
    }
    if (++steps > EXPM_STEPS_MAX || fails > EXPM_HALVINGS) {
      snprintf(err->msg, sizeof err->msg,
               "diffusion du/dt = -L u: exp(-t L) needs more than %d steps on %zu nodes (t = "
               "%g, reached t = %g)",
               EXPM_STEPS_MAX, n, t, t - rest);
      st = EC_EINTEGRATE;
      goto done;
    }
    if (ec_cancelled()) {
      st = ec_canceled("the diffusion", err);
      goto done;
    }
    if (tau != S_tau) {
      if (have_S)
        lap_free(&S);
      have_S = 1;
      S_tau = tau;
      if ((st = lap_init(&S, g, 10 / tau, FLOPS_DIFFUSION, err)))
        goto done;
    }
    memcpy(Le, e, n * sizeof *e); /* to start the step again from */
    int ok;
    if ((st = expm_krylov(&S, tau / 10, tau, e, V, mmax, &ok, err)))
      goto done;
    center(e, n); /* rounding's drift into the mean would never decay */
    double norm = sqrt(dot(e, e, n));
    if (!ok || !(norm >= 1e-3)) {
      memcpy(e, Le, n * sizeof *e);
      /* too much decay: aim the next try at 10^-2 (its rate seen), else halve */
      tau *= ok && norm > 0 ? fmax(1.0 / 64, fmin(0.5, log(0.01) / log(norm))) : 0.5;
      steps_left = 0;
      fails++;
      continue;
    }
    fails = 0;
    log_norm += log(norm);
    for (size_t l = 0; l < n; l++)
      e[l] /= norm;
    rest = --steps_left == 0 ? 0 : rest - tau;
  }
  *disagreement = exp(log_norm);
  laplacian_apply(g, e, Le);
  *rate = dot(e, Le, n) / dot(e, e, n);
done:
  if (have_S)
    lap_free(&S);
  free(e);
  free(Le);
  free(V);
  return st;
}
