/* Unit tests of the mesh layer's numeric core: each quantity against an independent
 * computation (an SIR epidemic's final size, closed forms, brute-force counts on small graphs,
 * the dense eigen-solve against the sparse one, the diffusion ODE against lambda_2). */
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core_internal.h"
#include "edsl_core.h"

/* SIR with R0: the final epidemic size r_inf solves r = 1 - exp(-R0 r), which is eq. 28. */
static int sir(double t, const double *y, double *dy, void *p) {
  (void)t;
  double R0 = *(double *)p;
  dy[0] = -R0 * y[0] * y[1];
  dy[1] = R0 * y[0] * y[1] - y[1];
  dy[2] = y[1];
  return GSL_SUCCESS;
}

static double sir_final_size(double R0) {
  double y[3] = {1 - 1e-10, 1e-10, 0}, t = 0;
  gsl_odeiv2_system sys = {sir, NULL, 3, &R0};
  gsl_odeiv2_driver *d =
      gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-3, 1e-14, 1e-12);
  gsl_odeiv2_driver_apply(d, &t, 400 / (R0 - 1 < 0.1 ? R0 - 1 : 0.1), y);
  gsl_odeiv2_driver_free(d);
  return y[2] + y[1];
}

static void test_giant(void) {
  ec_error err;
  double S;
  for (double R0 = 0; R0 <= 1.0; R0 += 0.25) {
    CHECK(ec_giant_component(R0, &S, &err) == EC_OK && S == 0, "S = 0 at R0 = %g (got %g)", R0, S);
  }
  const double R0s[] = {1.05, 1.2, 1.5, 2, 3, 5, 10, 40};
  for (size_t i = 0; i < sizeof R0s / sizeof *R0s; i++) {
    double R0 = R0s[i];
    CHECK(ec_giant_component(R0, &S, &err) == EC_OK, "%s", err.msg);
    CHECK(S > 0 && S <= 1, "S in (0, 1] at R0 = %g", R0);
    CHECK_CLOSE(S, 1 - exp(-R0 * S), 1e-14, "eq. 28 holds at its root");
    /* the SIR final size (from i0 = 1e-10) is the same root, to the seed's order */
    CHECK_CLOSE(S, sir_final_size(R0), 1e-6, "S against the SIR epidemic's final size");
  }
  /* near threshold the expansion 2(R0-1)/R0^2 has error O((R0-1)^2) */
  for (double eps = 1e-1; eps >= 1e-6; eps /= 10) {
    CHECK(ec_giant_component(1 + eps, &S, &err) == EC_OK, "%s", err.msg);
    double approx = ec_giant_component_near(1 + eps);
    CHECK(fabs(S - approx) <= 2 * eps * eps, "near-threshold at R0 = 1 + %g: %g vs %g", eps, S,
          approx);
  }
  CHECK(ec_giant_component(-1, &S, &err) == EC_EDOM, "negative R0 is an error");
  CHECK(ec_giant_component(NAN, &S, &err) == EC_EDOM, "NaN R0 is an error");
}

static void test_ces(void) {
  ec_error err;
  double out, C[20];
  for (int j = 0; j < 20; j++)
    C[j] = 2.5;
  const double rhos[] = {0.5, 0.75, 0.9, 1};
  for (size_t i = 0; i < 4; i++) {
    double rho = rhos[i], prem;
    CHECK(ec_ces_aggregate(C, 20, rho, &out, &err) == EC_OK, "%s", err.msg);
    CHECK(ec_diversity_premium(20, rho, &prem, &err) == EC_OK, "%s", err.msg);
    /* Lemma 1: equal coverage of C_bar = 50 gives J^((1-rho)/rho) C_bar, concentration C_bar */
    CHECK_CLOSE(out / 50, prem, 1e-12 * prem, "equal coverage over concentration is the premium");
    double conc[20] = {50};
    CHECK(ec_ces_aggregate(conc, 20, rho, &out, &err) == EC_OK && fabs(out - 50) < 1e-12,
          "concentration gives C_bar");
  }
  double p5, p75, p9;
  ec_diversity_premium(20, 0.5, &p5, &err);
  ec_diversity_premium(20, 0.75, &p75, &err);
  ec_diversity_premium(20, 0.9, &p9, &err);
  CHECK_CLOSE(p5, 20, 1e-12, "table: rho = 0.5");
  CHECK_CLOSE(p75, cbrt(20), 1e-12, "table: rho = 0.75 is 20^(1/3)");
  CHECK_CLOSE(p9, pow(20, 1.0 / 9), 1e-12, "table: rho = 0.9 is 20^(1/9)");
  CHECK(p5 > p75 && p75 > p9, "the premium decreases in rho");
  CHECK(ec_diversity_premium(20, -1, &out, &err) == EC_EDOM, "rho = -1 is outside eq. 30");
  CHECK(ec_diversity_premium(20, 0, &out, &err) == EC_EDOM, "rho = 0 is outside eq. 30");
  /* N*: N S(N r) c_bar = M c_cent at the root */
  double N, S;
  CHECK(ec_critical_mass(1e-5, 0.01, 1000, &N, &err) == EC_OK, "%s", err.msg);
  ec_giant_component(N * 1e-5, &S, &err);
  CHECK_CLOSE(N * S * 0.01 / 1000, 1, 1e-12, "critical mass balances capabilities");
  /* with R0 far above 1, S -> 1 and N* -> M c_cent / c_bar (Theorem 3 as printed) */
  CHECK(ec_critical_mass(1, 0.01, 1000, &N, &err) == EC_OK, "%s", err.msg);
  CHECK_CLOSE(N, 1e5, 1e-9 * 1e5, "N* with S_inf = 1");
}

static void test_potts(void) {
  ec_error err;
  double Kc, jump, m;
  const double qs[] = {3, 4, 6, 10, 20};
  for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
    double q = qs[i];
    CHECK(ec_potts_transition(q, &Kc, &jump, &err) == EC_OK, "%s", err.msg);
    /* closed forms of the mean-field Potts transition (Wu 1982) */
    CHECK_CLOSE(Kc, 2 * (q - 1) * log(q - 1) / (q - 2), 1e-10, "K_c closed form");
    CHECK_CLOSE(jump, (q - 2) / (q - 1), 1e-7, "jump closed form");
    CHECK(Kc < q, "first-order transition before the disordered state's spinodal K = q");
    CHECK(ec_potts_order(q, Kc * (1 - 1e-6), &m, &err) == EC_OK && m == 0,
          "disordered just below K_c (q = %g, m = %g)", q, m);
    CHECK(ec_potts_order(q, Kc * (1 + 1e-6), &m, &err) == EC_OK && m > 0.99 * jump,
          "ordered with the full jump just above K_c (q = %g, m = %g)", q, m);
  }
  CHECK(ec_potts_transition(2, &Kc, &jump, &err) == EC_OK && Kc == 2 && jump == 0, "q = 2");
  /* q = 2: m = tanh(K m / 2), continuous from 0 */
  for (double K = 2.001; K < 6; K *= 1.3) {
    CHECK(ec_potts_order(2, K, &m, &err) == EC_OK, "%s", err.msg);
    CHECK_CLOSE(m, tanh(K * m / 2), 1e-12, "Ising self-consistency");
  }
  ec_potts_order(2, 2.0001, &m, &err);
  CHECK(m > 0 && m < 0.03, "q = 2 is continuous: small m just above K_c (m = %g)", m);
  ec_potts_order(2, 1.9999, &m, &err);
  CHECK(m == 0, "q = 2: disordered below K_c");
  CHECK(ec_potts_order(1.5, 1, &m, &err) == EC_EDOM, "q < 2 is an error");
}

/* brute force on a dense adjacency matrix */
static void test_small_graphs(void) {
  ec_error err;
  ec_graph g;
  /* two triangles joined by an edge, plus an isolated node */
  unsigned e[] = {0, 1, 1, 2, 2, 0, 3, 4, 4, 5, 5, 3, 2, 3};
  CHECK(ec_graph_from_edges(7, e, 7, &g, &err) == EC_OK, "%s", err.msg);
  double k1, k2;
  ec_graph_moments(&g, &k1, &k2);
  CHECK_CLOSE(k1, 14.0 / 7, 1e-15, "<k>");
  CHECK_CLOSE(k2, (4 + 4 + 9 + 9 + 4 + 4 + 0) / 7.0, 1e-15, "<k^2>");
  size_t big;
  CHECK(ec_graph_components(&g, &big) == 2 && big == 6, "components");
  CHECK_CLOSE(ec_graph_top_share(&g, 2), 6.0 / 14, 1e-15, "top-2 share of link ends");
  double l2;
  CHECK(ec_fiedler(&g, EC_EIGEN_DENSE, &l2, &err) == EC_OK && fabs(l2) < 1e-12,
        "disconnected: lambda_2 = 0 (%g)", l2);
  ec_graph_free(&g);
  unsigned dup[] = {0, 1, 1, 0};
  CHECK(ec_graph_from_edges(2, dup, 2, &g, &err) == EC_EDOM, "duplicate edges are refused");
  unsigned loop[] = {1, 1};
  CHECK(ec_graph_from_edges(2, loop, 1, &g, &err) == EC_EDOM, "self-loops are refused");

  /* closed-form spectra: path, cycle, complete, star */
  const size_t n = 60;
  unsigned *pe = malloc(2 * n * n * sizeof *pe);
  for (int kind = 0; kind < 4; kind++) {
    size_t m = 0;
    double want = 0;
    if (kind == 0 || kind == 1) {
      for (size_t i = 0; i + 1 < n; i++, m++)
        pe[2 * m] = (unsigned)i, pe[2 * m + 1] = (unsigned)(i + 1);
      if (kind == 1)
        pe[2 * m] = (unsigned)(n - 1), pe[2 * m + 1] = 0, m++;
      want = 2 * (1 - cos((kind == 0 ? 1 : 2) * M_PI / (double)n));
    } else if (kind == 2) {
      for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++, m++)
          pe[2 * m] = (unsigned)i, pe[2 * m + 1] = (unsigned)j;
      want = (double)n;
    } else {
      for (size_t i = 1; i < n; i++, m++)
        pe[2 * m] = 0, pe[2 * m + 1] = (unsigned)i;
      want = 1;
    }
    CHECK(ec_graph_from_edges(n, pe, m, &g, &err) == EC_OK, "%s", err.msg);
    double ld, ls;
    CHECK(ec_fiedler(&g, EC_EIGEN_DENSE, &ld, &err) == EC_OK, "%s", err.msg);
    CHECK(ec_fiedler(&g, EC_EIGEN_SPARSE, &ls, &err) == EC_OK, "%s", err.msg);
    CHECK_CLOSE(ld, want, 1e-10 * want, "dense lambda_2 against the closed form");
    CHECK_CLOSE(ls, want, 1e-9 * want, "sparse lambda_2 against the closed form");
    /* diffusion: the disagreement obeys the bound of eq. 35 and decays at lambda_2 */
    double dis, rate, prev = 1;
    /* down to a disagreement of e^-10, well above the ODE's tolerance */
    for (double t = 0.25 / want; t <= 10 / want; t *= 2) {
      CHECK(ec_diffusion(&g, 7, t, &dis, &rate, &err) == EC_OK, "%s", err.msg);
      CHECK(dis <= exp(-want * t) * (1 + 1e-6), "eq. 35 bound at t = %g: %g > %g", t, dis,
            exp(-want * t));
      CHECK(dis <= prev && rate >= want * (1 - 1e-6), "monotone decay, rate >= lambda_2");
      prev = dis;
    }
    if (kind < 2) { /* slow modes: the decay rate converges to lambda_2 */
      CHECK(ec_diffusion(&g, 7, 10 / want, &dis, &rate, &err) == EC_OK, "%s", err.msg);
      CHECK_CLOSE(rate, want, 1e-3 * want, "diffusion decay rate -> lambda_2");
    }
    ec_graph_free(&g);
  }
  free(pe);
}

static ec_graph gen(ec_net_model model, size_t n, double c, size_t links, const ec_dist *fit,
                    unsigned long seed) {
  ec_net_spec s = {model, n, c, links, fit, 100000000};
  ec_graph g;
  ec_error err;
  ec_status st = ec_graph_generate(&s, seed, &g, &err);
  CHECK(st == EC_OK, "%s", err.msg);
  return g;
}

static void test_random_graphs(void) {
  ec_error err;
  /* lambda_2 > 0 iff connected, on many small G(n, p) around the threshold (dense eigen vs
   * BFS: independent) */
  int agree = 0, conn = 0;
  for (unsigned long seed = 1; seed <= 60; seed++) {
    ec_graph g = gen(EC_NET_ER, 40, 2 + (double)(seed % 6), 0, NULL, seed);
    double l2;
    ec_fiedler(&g, EC_EIGEN_DENSE, &l2, &err);
    int connected = ec_graph_components(&g, NULL) == 1;
    conn += connected;
    agree += connected ? l2 > 1e-9 : fabs(l2) < 1e-9;
    ec_graph_free(&g);
  }
  CHECK(agree == 60 && conn > 5 && conn < 55, "lambda_2 > 0 iff connected: %d/60 (%d connected)",
        agree, conn);
  /* dense and sparse agree on mid-size connected graphs */
  ec_dist fit = {EC_DIST_BETA, 1, 3, 0, 1, NULL, 0};
  ec_graph gs[6] = {gen(EC_NET_BA, 1200, 0, 2, NULL, 3), gen(EC_NET_BB, 1000, 0, 3, &fit, 4),
                    gen(EC_NET_ER, 900, 14, 0, NULL, 5), gen(EC_NET_BA, 1500, 0, 1, NULL, 6),
                    gen(EC_NET_BA, 101, 0, 1, NULL, 7),  gen(EC_NET_ER, 1500, 30, 0, NULL, 8)};
  /* the sparse solve factors the trees and the sparse graphs, and iterates on the dense ones */
  int factors = 0;
  for (int i = 0; i < 6; i++)
    factors |= 1 << (ec_laplacian_factors(&gs[i]) ? 1 : 0);
  CHECK(factors == 3, "both paths of the sparse solve covered (%d)", factors);
  for (int i = 0; i < 6; i++) {
    double ld, ls;
    CHECK(ec_graph_components(&gs[i], NULL) == 1, "graph %d connected", i);
    CHECK(ec_fiedler(&gs[i], EC_EIGEN_DENSE, &ld, &err) == EC_OK, "%s", err.msg);
    CHECK(ec_fiedler(&gs[i], EC_EIGEN_SPARSE, &ls, &err) == EC_OK, "%s", err.msg);
    CHECK_CLOSE(ls, ld, 1e-8 * ld, "sparse lambda_2 against dense");
    ec_graph_free(&gs[i]);
  }
  /* G(n, c/n): the giant component approaches eq. 28 with R0 = <k> */
  ec_graph g = gen(EC_NET_ER, 200000, 2, 0, NULL, 11);
  double k1, k2, S, Smf, Sexact;
  ec_graph_moments(&g, &k1, &k2);
  CHECK_CLOSE(k1, 2, 0.02, "ER mean degree");
  CHECK_CLOSE(k2, k1 + k1 * k1, 0.05, "ER <k^2> = c + c^2 (Poisson)");
  size_t big;
  ec_graph_components(&g, &big);
  ec_giant_component(2, &Sexact, &err);
  CHECK_CLOSE((double)big / 200000, Sexact, 0.01, "measured giant against eq. 28");
  CHECK(ec_graph_giant_mean_field(&g, &S, &err) == EC_OK, "%s", err.msg);
  CHECK_CLOSE(S, Sexact, 0.01, "configuration-model giant against eq. 28");
  Smf = S;
  CHECK_CLOSE((double)big / 200000, Smf, 0.005, "measured giant against the graph's mean field");
  ec_graph_free(&g);
  /* BA: <k> = 2m, and the epidemic threshold <k>/<k^2> falls with size (Proposition 7) */
  double prev = 1;
  for (size_t n = 1000; n <= 100000; n *= 10) {
    ec_graph b = gen(EC_NET_BA, n, 0, 3, NULL, 9);
    ec_graph_moments(&b, &k1, &k2);
    CHECK_CLOSE(k1, 6, 6.0 * 4 / (double)n + 1e-12, "BA <k> = 2m");
    CHECK(k1 / k2 < prev, "BA threshold falls with n (%g at n = %zu)", k1 / k2, n);
    prev = k1 / k2;
    ec_graph_free(&b);
  }
  /* same seed, same graph; another seed, another graph */
  ec_graph a = gen(EC_NET_BB, 5000, 0, 2, &fit, 1), b = gen(EC_NET_BB, 5000, 0, 2, &fit, 1),
           c = gen(EC_NET_BB, 5000, 0, 2, &fit, 2);
  CHECK(a.m == b.m && !memcmp(a.adj, b.adj, 2 * a.m * sizeof *a.adj) &&
            !memcmp(a.fitness, b.fitness, a.n * sizeof *a.fitness),
        "seeded graphs repeat");
  CHECK(memcmp(a.adj, c.adj, 2 * a.m * sizeof *a.adj) != 0, "seeds differ");
  ec_graph_free(&a);
  ec_graph_free(&b);
  ec_graph_free(&c);
  /* the memory bound */
  ec_net_spec big_spec = {EC_NET_ER, 1000000, 50, 0, NULL, 1000000};
  ec_graph x;
  CHECK(ec_graph_generate(&big_spec, 1, &x, &err) == EC_EDOM && strstr(err.msg, "limit"),
        "over the edge limit: %s", err.msg);
}

/* The sparse path's orderings on both sides of AMD_CORE_MAX (5,000 nodes of 2-core): a path
 * (a tree: leaves peeled, no AMD), cycles of 4,000 (AMD) and 6,000 nodes (a fixed order), each
 * factored directly, against the closed forms 2(1 - cos(pi/n)) and 2(1 - cos(2 pi/n)). */
static void test_sparse_orderings(void) {
  ec_error err;
  size_t sizes[] = {6000, 4000, 6000};
  for (int k = 0; k < 3; k++) {
    size_t n = sizes[k], m = 0;
    unsigned *pe = malloc(2 * n * sizeof *pe);
    for (size_t i = 0; i + 1 < n; i++, m++)
      pe[2 * m] = (unsigned)i, pe[2 * m + 1] = (unsigned)(i + 1);
    if (k > 0)
      pe[2 * m] = (unsigned)(n - 1), pe[2 * m + 1] = 0, m++;
    ec_graph g;
    CHECK(ec_graph_from_edges(n, pe, m, &g, &err) == EC_OK, "%s", err.msg);
    double want = 2 * (1 - cos((k ? 2 : 1) * M_PI / (double)n)), l2;
    CHECK(ec_laplacian_factors(&g), "%s of %zu nodes factors directly", k ? "cycle" : "path", n);
    CHECK(ec_fiedler(&g, EC_EIGEN_AUTO, &l2, &err) == EC_OK, "%s", err.msg);
    CHECK(fabs(l2 - want) <= 1e-8 * want, "lambda_2 of the %s of %zu nodes: %.12g vs %.12g",
          k ? "cycle" : "path", n, l2, want);
    ec_graph_free(&g);
    free(pe);
  }
}

/* Diffusion against the spectral solution e(t) = sum_i exp(-lambda_i t) (v_i'e0) v_i from GSL's
 * dense eigenvectors (independent of the Krylov method), from t = 10^-3 to where the
 * disagreement is 10^-100 and beyond, on trees and on well-connected graphs. */
static void test_diffusion_spectral(void) {
  ec_error err;
  ec_graph gs[3] = {gen(EC_NET_BA, 150, 0, 1, NULL, 21), gen(EC_NET_BA, 200, 0, 3, NULL, 22),
                    gen(EC_NET_ER, 120, 6, 0, NULL, 23)};
  int checked = 0;
  for (int k = 0; k < 3; k++) {
    ec_graph *g = &gs[k];
    size_t n = g->n;
    if (ec_graph_components(g, NULL) != 1)
      continue;
    gsl_matrix *L = gsl_matrix_calloc(n, n), *Q = gsl_matrix_alloc(n, n);
    gsl_vector *lam = gsl_vector_alloc(n);
    for (size_t i = 0; i < n; i++)
      for (size_t e = g->off[i]; e < g->off[i + 1]; e++) {
        gsl_matrix_set(L, i, g->adj[e], -1);
        gsl_matrix_set(L, i, i, gsl_matrix_get(L, i, i) + 1);
      }
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(n);
    gsl_eigen_symmv(L, lam, Q, w);
    gsl_eigen_symmv_free(w);
    gsl_eigen_symmv_sort(lam, Q, GSL_EIGEN_SORT_VAL_ASC);
    double *e0 = malloc(n * sizeof *e0), *c = malloc(n * sizeof *c), mean = 0;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 5);
    for (size_t i = 0; i < n; i++)
      mean += e0[i] = gsl_ran_gaussian(rng, 1);
    gsl_rng_free(rng);
    for (size_t i = 0; i < n; i++)
      e0[i] -= mean / (double)n;
    double norm0 = 0;
    for (size_t i = 0; i < n; i++)
      norm0 += e0[i] * e0[i];
    for (size_t r = 1; r < n; r++) { /* r = 0 is the mean, which e0 lacks */
      c[r] = 0;
      for (size_t i = 0; i < n; i++)
        c[r] += gsl_matrix_get(Q, i, r) * e0[i];
    }
    double l2 = gsl_vector_get(lam, 1);
    for (double t = 1e-3; t * l2 < 300; t *= 3.7) {
      /* in logs, with the slowest mode factored out: no underflow */
      double s0 = 0, s1 = 0;
      for (size_t r = 1; r < n; r++) {
        double a = c[r] * c[r] * exp(-2 * t * (gsl_vector_get(lam, r) - l2));
        s0 += a;
        s1 += a * gsl_vector_get(lam, r);
      }
      double log_dis = 0.5 * (log(s0) - log(norm0)) - t * l2, want_rate = s1 / s0;
      double dis, rate;
      CHECK(ec_diffusion(g, 5, t, &dis, &rate, &err) == EC_OK, "%s", err.msg);
      if (log_dis > -700)
        CHECK(fabs(dis - exp(log_dis)) <= 1e-8 * exp(log_dis),
              "disagreement against the spectral solution (graph %d, t = %g): %.12g vs %.12g", k, t,
              dis, exp(log_dis));
      else
        CHECK(dis < 1e-300, "disagreement below the doubles (graph %d, t = %g): %g", k, t, dis);
      CHECK(fabs(rate - want_rate) <= 1e-8 * want_rate,
            "decay rate against the spectral solution (graph %d, t = %g): %.12g vs %.12g", k, t,
            rate, want_rate);
      checked++;
    }
    gsl_matrix_free(L);
    gsl_matrix_free(Q);
    gsl_vector_free(lam);
    free(e0);
    free(c);
    ec_graph_free(g);
  }
  CHECK(checked > 30, "diffusion checked at %d times", checked);
}

static void test_specialization(void) {
  ec_threshold_model m = {.agents = 200,
                          .tasks = 5,
                          .steps = 3000,
                          .n = 2,
                          .xi = 4,
                          .phi = 1,
                          .theta_min = 1,
                          .theta_max = 100,
                          .theta0_lo = 40,
                          .theta0_hi = 60,
                          .s0 = 50,
                          .delta = 1,
                          .work = 6,
                          .quit = 0.2,
                          .specialized_at = 0.9};
  int dom[200], dom2[200];
  double idx[31], idx2[31], share, share2;
  size_t cov, cov2;
  ec_error err;
  CHECK(ec_specialize(&m, 5, 100, dom, idx, 31, &share, &cov, &err) == EC_OK, "%s", err.msg);
  CHECK(ec_specialize(&m, 5, 100, dom2, idx2, 31, &share2, &cov2, &err) == EC_OK, "%s", err.msg);
  CHECK(!memcmp(dom, dom2, sizeof dom) && !memcmp(idx, idx2, sizeof idx) && share == share2,
        "seeded runs repeat");
  printf("specialization: index %g -> %g, share %g, covered %zu\n", idx[0], idx[30], share, cov);
  CHECK(idx[0] < 0.2 && idx[30] > 0.8, "agents specialize (index %g -> %g)", idx[0], idx[30]);
  /* demand J delta per step needs J delta / work of the agents busy: the rest stay idle */
  CHECK(fabs(share - 5.0 / 6) < 0.1 && cov == 5,
        "the share specialized is near the share demand needs (%g vs %g), every task covered",
        share, 5.0 / 6);
  int per[5] = {0};
  for (int i = 0; i < 200; i++)
    per[dom[i]]++; /* idle agents count too: their argmax is arbitrary */
  for (int j = 0; j < 5; j++)
    CHECK(per[j] > 10, "task %d has specialists (%d)", j, per[j]);
  m.tasks = 1;
  CHECK(ec_specialize(&m, 5, 100, dom, idx, 31, &share, &cov, &err) == EC_EDOM, "one task");
}

int main(void) {
  test_giant();
  test_ces();
  test_potts();
  test_small_graphs();
  test_random_graphs();
  test_diffusion_spectral();
  test_sparse_orderings();
  test_specialization();
  return TEST_SUMMARY();
}
