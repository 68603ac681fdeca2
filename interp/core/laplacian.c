/* The Laplacian of a mesh network (004 §11): its Fiedler value lambda_2 (dense GSL eigen for
 * small graphs, Lanczos with CG-based shift-invert for large ones) and knowledge diffusion
 * du/dt = -L u. */
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
    z[i] = r[i] / (double)ec_degree(g, i);
  memcpy(p, z, n * sizeof *p);
  double rz = dot(r, z, n);
  size_t maxit = 20 * n + 1000;
  for (size_t it = 0; it < maxit; it++) {
    if (it % 64 == 0 && ec_cancelled())
      return ec_canceled("the sparse Fiedler solve", err);
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
      z[i] = r[i] / (double)ec_degree(g, i);
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
    st = ec_out_of_memory("the sparse eigensolver", (M + keep + 7) * n, err);
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
    scale = fmax(scale, 2.0 * (double)ec_degree(g, i)); /* bounds ||L|| */
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
  if (ec_cancelled()) /* one call is O(edges): polling costs nothing beside it */
    return GSL_EBADFUNC;
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
    st = ec_out_of_memory("diffusion", n, err);
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
    if (s != GSL_SUCCESS && ec_cancelled()) {
      st = ec_canceled("the diffusion", err);
      goto done;
    }
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
