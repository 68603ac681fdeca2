/* Unit tests of the growth and cycle cores, each against an independent computation: RAF
 * reduction against brute force over every subset of reactions, the Perron-Frobenius vector
 * against power iteration, the singularity time against integrating eq. 40 to blow-up,
 * closed forms against ODEs, growth rates against numerical derivatives. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "edsl_core.h"

/* ---- RAF ---------------------------------------------------------------------------------- */

typedef struct {
  size_t nt, nr;
  unsigned char food[16];
  size_t in_off[17], in[64], out_off[17], out[32], cat_off[17], cat[256];
} Sys;

static void sys_begin(Sys *s, size_t nt, const int *food, size_t nfood) {
  memset(s, 0, sizeof *s);
  s->nt = nt;
  for (size_t i = 0; i < nfood; i++)
    s->food[food[i]] = 1;
}

/* inputs, outputs, catalysts end with -1 */
static void sys_add(Sys *s, const int *in, const int *out, const int *cat) {
  size_t r = s->nr++;
  size_t ni = s->in_off[r], no = s->out_off[r], nc = s->cat_off[r];
  for (; *in >= 0; in++)
    s->in[ni++] = (size_t)*in;
  for (; *out >= 0; out++)
    s->out[no++] = (size_t)*out;
  for (; *cat >= 0; cat++)
    s->cat[nc++] = (size_t)*cat;
  s->in_off[r + 1] = ni, s->out_off[r + 1] = no, s->cat_off[r + 1] = nc;
}

static ec_reaction_system view(const Sys *s) {
  return (ec_reaction_system){s->nt,      s->nr,  s->food,    s->in_off, s->in,
                              s->out_off, s->out, s->cat_off, s->cat};
}

static size_t raf_of(const Sys *s, unsigned char *keep) {
  ec_reaction_system v = view(s);
  size_t size = 0;
  ec_error err;
  CHECK(ec_raf_max(&v, keep, &size, &err) == EC_OK, "raf_max failed");
  return size;
}

/* Brute force, from the definition: S is a RAF when every input of S is in the closure of
 * the food set under S and every reaction of S has a catalyst in that closure; the maximal
 * RAF is the union of all RAFs. */
static unsigned brute_max_raf(const Sys *s) {
  unsigned uni = 0;
  for (unsigned S = 1; S < (1u << s->nr); S++) {
    unsigned char cl[16];
    memcpy(cl, s->food, sizeof cl);
    for (int grew = 1; grew;) {
      grew = 0;
      for (size_t r = 0; r < s->nr; r++) {
        if (!(S >> r & 1))
          continue;
        int ok = 1;
        for (size_t k = s->in_off[r]; k < s->in_off[r + 1]; k++)
          ok &= cl[s->in[k]];
        for (size_t k = s->out_off[r]; ok && k < s->out_off[r + 1]; k++)
          if (!cl[s->out[k]])
            cl[s->out[k]] = 1, grew = 1;
      }
    }
    int raf = 1;
    for (size_t r = 0; r < s->nr && raf; r++) {
      if (!(S >> r & 1))
        continue;
      for (size_t k = s->in_off[r]; k < s->in_off[r + 1]; k++)
        raf &= cl[s->in[k]];
      int cat = 0;
      for (size_t k = s->cat_off[r]; k < s->cat_off[r + 1]; k++)
        cat |= cl[s->cat[k]];
      raf &= cat;
    }
    if (raf)
      uni |= S;
  }
  return uni;
}

static void test_raf_hand(void) {
  enum { a, b, c, d, e, f };
  const int food[] = {a, b};
  Sys s;
  unsigned char keep[16];
  /* two reactions catalyzing each other's production: the RAF is both */
  sys_begin(&s, 6, food, 2);
  sys_add(&s, (int[]){a, b, -1}, (int[]){c, -1}, (int[]){d, -1});
  sys_add(&s, (int[]){c, a, -1}, (int[]){d, -1}, (int[]){c, -1});
  CHECK(raf_of(&s, keep) == 2 && keep[0] && keep[1], "mutual catalysis is a RAF");
  /* a pair catalyzed only from inside it (f made from e, e's reaction catalyzed by f) joins */
  sys_add(&s, (int[]){c, b, -1}, (int[]){e, -1}, (int[]){f, -1});
  sys_add(&s, (int[]){e, a, -1}, (int[]){f, -1}, (int[]){a, -1});
  CHECK(raf_of(&s, keep) == 4, "catalysts need only be in the closure, not made first");
  /* nothing makes the catalyst: no RAF */
  sys_begin(&s, 6, food, 2);
  sys_add(&s, (int[]){a, b, -1}, (int[]){c, -1}, (int[]){d, -1});
  CHECK(raf_of(&s, keep) == 0 && !keep[0], "an uncatalyzed system has no RAF");
  /* a cascade: r1 needs an input nothing makes, so r2 (catalyzed only by r1's product) goes
   * on the second pass; the self-catalyzed r0 stays */
  sys_begin(&s, 6, food, 2);
  sys_add(&s, (int[]){a, b, -1}, (int[]){c, -1}, (int[]){c, -1});
  sys_add(&s, (int[]){c, f, -1}, (int[]){e, -1}, (int[]){a, -1});
  sys_add(&s, (int[]){b, -1}, (int[]){d, -1}, (int[]){e, -1});
  CHECK(raf_of(&s, keep) == 1 && keep[0] && !keep[1] && !keep[2], "the reduction cascades");
  /* food catalyzes: a reaction from food catalyzed by food is a RAF on its own */
  sys_begin(&s, 6, food, 2);
  sys_add(&s, (int[]){a, -1}, (int[]){c, -1}, (int[]){b, -1});
  CHECK(raf_of(&s, keep) == 1, "food-catalyzed reaction");
}

static void test_raf_brute(void) {
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 7);
  int agree = 0, nonempty = 0, trials = 400;
  for (int t = 0; t < trials; t++) {
    Sys s;
    const int food[] = {0, 1};
    sys_begin(&s, 7, food, 2);
    size_t nr = 4 + gsl_rng_uniform_int(rng, 9);
    double p = 0.05 + 0.3 * gsl_rng_uniform(rng);
    for (size_t r = 0; r < nr; r++) {
      int in[3] = {-1, -1, -1}, out[2] = {-1, -1}, cat[8];
      size_t ni = 1 + gsl_rng_uniform_int(rng, 2), nc = 0;
      for (size_t k = 0; k < ni; k++)
        in[k] = (int)gsl_rng_uniform_int(rng, 7);
      out[0] = 2 + (int)gsl_rng_uniform_int(rng, 5);
      for (int j = 0; j < 7; j++)
        if (gsl_rng_uniform(rng) < p)
          cat[nc++] = j;
      cat[nc] = -1;
      sys_add(&s, in, out, cat);
    }
    unsigned char keep[16];
    raf_of(&s, keep);
    unsigned mine = 0;
    for (size_t r = 0; r < s.nr; r++)
      mine |= (unsigned)keep[r] << r;
    unsigned want = brute_max_raf(&s);
    agree += mine == want;
    nonempty += want != 0;
  }
  gsl_rng_free(rng);
  CHECK(agree == trials, "Hordijk-Steel reduction = union of all RAFs by brute force: %d of %d",
        agree, trials);
  CHECK(nonempty > 40 && nonempty < trials - 40, "the random systems mix RAFs and none (%d)",
        nonempty);
}

static void test_raf_random(void) {
  ec_raf_random m = {30, 5, 60, 2};
  ec_error err;
  int with = 0;
  for (unsigned long i = 0; i < 20; i++) {
    unsigned long seed = ec_trial_seed(42, i);
    double p;
    CHECK(ec_raf_random_threshold(&m, seed, &p, &err) == EC_OK, "threshold: %s", err.msg);
    if (!isfinite(p))
      continue;
    with++;
    size_t above, at;
    ec_raf_random_size(&m, seed, nextafter(p, 2), &above, &err);
    ec_raf_random_size(&m, seed, p, &at, &err); /* u < p excludes the pair at p */
    CHECK(above > 0 && at == 0, "a RAF appears exactly at p* = %g (sizes %zu, %zu)", p, at, above);
  }
  CHECK(with > 10, "most systems have a RAF at p = 1 (%d of 20)", with);
  size_t s1, s2;
  ec_raf_random_size(&m, 99, 0.2, &s1, &err);
  ec_raf_random_size(&m, 99, 0.2, &s2, &err);
  CHECK(s1 == s2, "a seed repeats its system");
  ec_raf_random bad = {5, 5, 3, 2};
  CHECK(ec_raf_random_size(&bad, 1, 0.1, &s1, &err) == EC_EDOM, "all-food system refused");
}

/* ---- Perron-Frobenius and catalytic dynamics ----------------------------------------------- */

static void power_iteration(const double *M, size_t n, double *lambda, double *v) {
  double *w = malloc(n * sizeof *w);
  for (size_t i = 0; i < n; i++)
    v[i] = 1.0 / (double)n;
  for (int it = 0; it < 20000; it++) {
    double s = 0;
    for (size_t i = 0; i < n; i++) {
      w[i] = v[i]; /* M + I: same vector, aperiodic */
      for (size_t j = 0; j < n; j++)
        w[i] += M[i * n + j] * v[j];
      s += w[i];
    }
    *lambda = s - 1; /* sum(v) = 1 */
    for (size_t i = 0; i < n; i++)
      v[i] = w[i] / s;
  }
  free(w);
}

static void test_perron(void) {
  ec_error err;
  double lam, v[40], pv[40];
  const double cyc[9] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
  CHECK(ec_perron(cyc, 3, &lam, v, &err) == EC_OK, "3-cycle: %s", err.msg);
  CHECK_CLOSE(lam, 1, 1e-12, "3-cycle lambda_1");
  CHECK_CLOSE(v[0], 1.0 / 3, 1e-12, "3-cycle PF share");
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 3);
  size_t sizes[] = {5, 12, 40};
  for (size_t k = 0; k < 3; k++) {
    size_t n = sizes[k];
    double *M = calloc(n * n, sizeof *M);
    for (size_t i = 0; i < n; i++) {
      M[i * n + (i + 1) % n] = 1; /* a ring keeps it irreducible */
      for (size_t j = 0; j < n; j++)
        if (gsl_rng_uniform(rng) < 0.15)
          M[i * n + j] += gsl_rng_uniform(rng);
    }
    CHECK(ec_perron(M, n, &lam, v, &err) == EC_OK, "perron n=%zu: %s", n, err.msg);
    double pl;
    power_iteration(M, n, &pl, pv);
    CHECK_CLOSE(lam, pl, 1e-9, "lambda_1 against power iteration");
    double dmax = 0;
    for (size_t i = 0; i < n; i++)
      dmax = fmax(dmax, fabs(v[i] - pv[i]));
    CHECK(dmax < 1e-9, "PF vector against power iteration: max diff %g (n = %zu)", dmax, n);
    /* the linear catalytic dynamics converge to it, growing at lambda_1 - phi_0 */
    double *c0 = malloc(n * sizeof *c0), *sh = malloc(n * sizeof *sh), rate;
    for (size_t i = 0; i < n; i++)
      c0[i] = 0.5 + gsl_rng_uniform(rng);
    CHECK(ec_catalytic_run(M, n, 0.3, c0, 400, EC_JK_LINEAR, sh, &rate, &err) == EC_OK,
          "linear dynamics: %s", err.msg);
    dmax = 0;
    for (size_t i = 0; i < n; i++)
      dmax = fmax(dmax, fabs(sh[i] - v[i]));
    CHECK(dmax < 1e-6, "Jain-Krishna shares -> PF vector: max diff %g (n = %zu)", dmax, n);
    CHECK_CLOSE(rate, lam - 0.3, 1e-6, "growth rate -> lambda_1 - phi_0");
    free(M), free(c0), free(sh);
  }
  gsl_rng_free(rng);
  /* reducible: an autocatalytic pair (0,1), type 2 fed by 1, type 3 outside: PF support {0,1,2}
   * and type 3 dies out (Proposition 9) */
  const double R[16] = {0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.5};
  CHECK(ec_perron(R, 4, &lam, v, &err) == EC_OK, "reducible: %s", err.msg);
  CHECK(v[0] > 0 && v[1] > 0 && v[2] > 0 && v[3] == 0, "PF support {0,1,2}: %g %g %g %g", v[0],
        v[1], v[2], v[3]);
  double c0[4] = {1, 1, 1, 5}, sh[4], rate;
  ec_catalytic_run(R, 4, 0, c0, 200, EC_JK_LINEAR, sh, &rate, &err);
  CHECK(sh[3] < 1e-20 && fabs(sh[2] - v[2]) < 1e-9, "type 3 extinct (%g), type 2 at %g", sh[3],
        sh[2]);
  /* eq. 39 as printed is not the Jain-Krishna dynamics: on diag(2, 1) the PF vector is type 1,
   * but from c = (0.1, 1) with phi_0 = 0.5 type 1 decays and type 2 grows (then blows up) */
  const double Dg[4] = {2, 0, 0, 1};
  double c2[2] = {0.1, 1}, s2[2];
  CHECK(ec_catalytic_run(Dg, 2, 0.5, c2, 0.5, EC_JK_PRINTED, s2, &rate, &err) == EC_OK,
        "printed short run: %s", err.msg);
  CHECK(s2[1] > 0.9, "eq. 39 favours type 2 against the PF vector (share %g)", s2[1]);
  CHECK(ec_catalytic_run(Dg, 2, 0.5, c2, 10, EC_JK_PRINTED, s2, &rate, &err) == EC_EINTEGRATE,
        "eq. 39 blows up");
  const double neg[4] = {0, -1, 1, 0};
  CHECK(ec_perron(neg, 2, &lam, v, &err) == EC_EDOM, "negative catalysis refused");
}

/* ---- growth law ------------------------------------------------------------------------------ */

static ec_growth base_growth(void) {
  ec_growth g = {0};
  g.delta_g = 0.5, g.f = 0.4, g.lambda = 1, g.phi_0 = 0.8, g.beta_auto = 0.5, g.gamma_J = 0.3;
  g.delta = 0, g.C_0 = 1, g.J_0 = 10, g.J_max = 10, g.horizon = 1e4;
  return g;
}

static void test_growth(void) {
  ec_error err;
  double pe;
  ec_phi_eff(0.8, 0.25, &pe, &err);
  CHECK_CLOSE(pe, 1, 1e-15, "phi_0 = 0.8 needs beta_auto = 0.25 (Prop. 10)");
  ec_phi_eff(0.6, 2.0 / 3, &pe, &err);
  CHECK_CLOSE(pe, 1, 1e-15, "phi_0 = 0.6 needs beta_auto = 2/3 (Remark 8)");
  CHECK(ec_phi_eff(0.5, 1, &pe, &err) == EC_EDOM, "beta_auto = 1 outside [0, 1)");
  /* singularity: eq. 47 against integration to blow-up, delta = 0 */
  ec_growth g = base_growth();
  double Ts, Tode, Tx;
  CHECK(ec_T_singularity(&g, 0, &Ts, &err) == EC_OK && isfinite(Ts), "T_s finite");
  CHECK(ec_growth_blowup(&g, &Tode, &err) == EC_OK, "blowup: %s", err.msg);
  CHECK(fabs(Tode / Ts - 1) < 1e-7, "eq. 47 = ODE blow-up (delta = 0): %.12g vs %.12g", Ts, Tode);
  /* with depreciation eq. 47 is off; the Bernoulli solution is exact */
  g.delta = 0.05;
  ec_T_singularity(&g, 0, &Ts, &err);
  ec_T_singularity(&g, 1, &Tx, &err);
  ec_growth_blowup(&g, &Tode, &err);
  CHECK(fabs(Tode / Tx - 1) < 1e-7 && Tx > Ts,
        "exact T_s = ODE with delta: %.12g vs %.12g (eq. "
        "47 %.6g)",
        Tx, Tode, Ts);
  /* below the unstable level C_u = (delta/a)^(1/(Phi-1)) it decays instead */
  g.C_0 = 1e-6;
  ec_T_singularity(&g, 1, &Tx, &err);
  ec_growth_blowup(&g, &Tode, &err);
  CHECK(isinf(Tx) && isinf(Tode), "no blow-up below the unstable level");
  /* Phi = 1: exponential at a J^gamma - delta */
  g = base_growth();
  g.phi_0 = 0.8, g.beta_auto = 0.25, g.delta = 0.1;
  double C, J, a = g.delta_g * g.f * pow(g.J_0, g.gamma_J);
  double a9 = g.delta_g * pow(g.f, 0.9) * pow(g.J_0, g.gamma_J);
  ec_growth_path(&g, 7, &C, &J, &err);
  CHECK_CLOSE(log(C), (a - 0.1) * 7, 1e-9, "regime (b): ln C = (a - delta) t");
  /* Phi < 1: C -> (a/delta)^(1/(1-Phi)) */
  g.beta_auto = 0, g.lambda = 0.9;
  double Phi = ec_growth_Phi(&g);
  ec_growth_path(&g, 2000, &C, &J, &err);
  CHECK(fabs(C / pow(a9 / 0.1, 1 / (1 - Phi)) - 1) < 1e-8, "regime (a): steady state %g", C);
  /* the collapse gate: shut at J = 2 (alpha_eff < alpha_crit), open once variety passes J_min */
  g = base_growth();
  g.gate = 1, g.rho = 0.5, g.alpha_ext = 0.1, g.alpha_crit = 0.5, g.J_0 = 2, g.J_max = 50;
  g.delta = 0.1, g.eta_J = 0.5, g.f_J = 1, g.phi_J = 0;
  double Jmin;
  ec_J_min(0.5, 0.1, 0.5, &Jmin, &err);
  ec_growth_path(&g, 1, &C, &J, &err);
  CHECK(C < 1 && J == 2, "gate shut at J = 2 < J_min = %g: C decays (%g), J stays (%g)", Jmin, C,
        J);
}

static void test_collapse(void) {
  ec_error err;
  double D;
  ec_collapse_D(0.5, 4, &D, &err);
  CHECK_CLOSE(D, 0.75 * 0.75, 1e-15, "D(0.5, 4) = 3/4 (1 - 0.25)");
  ec_collapse_D(1 - 1e-9, 2, &D, &err);
  CHECK_CLOSE(D, 0.5 * (1 - exp(-1)), 1e-8, "D -> (J-1)/J (1 - 1/e) as rho -> 1, not 0");
  CHECK(ec_collapse_D(-0.5, 4, &D, &err) == EC_EDOM && strstr(err.msg, "not a real number"),
        "rho < 0 is a domain error: %s", err.msg);
  /* J_min against a search for the smallest J meeting eq. 50 */
  const double rhos[] = {0, 0.1, 0.25, 0.5, 0.75, 0.9};
  const double exts[] = {0, 0.1, 0.3, 0.45, 0.5};
  int ok = 1;
  for (size_t i = 0; i < 6; i++)
    for (size_t k = 0; k < 5; k++) {
      double Jm, search = INFINITY;
      ec_J_min(rhos[i], exts[k], 0.5, &Jm, &err);
      for (double Jt = 1; Jt < 1e6; Jt++) {
        ec_collapse_D(rhos[i], Jt, &D, &err);
        if (exts[k] + (1 - exts[k]) * D > 0.5) {
          search = Jt;
          break;
        }
      }
      if (!(Jm == search)) {
        ok = 0;
        fprintf(stderr, "J_min(%g, %g) = %g, search %g\n", rhos[i], exts[k], Jm, search);
      }
    }
  CHECK(ok, "J_min = the smallest J with alpha_eff > alpha_crit");
  double Jm;
  ec_J_min(0, 0.5, 0.5, &Jm, &err);
  CHECK(Jm == 2, "rho = 0, alpha_ext = alpha_crit: J = 2, not Table 18's inf (%g)", Jm);
}

/* ---- saturation, recombination, Baumol ---------------------------------------------------------
 */

static int recomb_rhs(double t, const double *y, double *dy, void *p) {
  (void)t;
  dy[0] = *(double *)p * y[0] * (y[0] - 1);
  return GSL_SUCCESS;
}

static void test_saturation_recomb(void) {
  ec_error err;
  size_t J = 6;
  double a[36], C0[6], C[6];
  for (size_t i = 0; i < 36; i++)
    a[i] = 0.2;
  for (size_t j = 0; j < J; j++)
    C0[j] = 0.1 * (double)(j + 1);
  CHECK(ec_saturation_run(J, a, 0.5, 0.1, C0, 500, C, &err) == EC_OK, "saturation: %s", err.msg);
  double want = ec_saturation_level(6, 0.2, 0.5, 0.1);
  CHECK_CLOSE(C[0], want, 1e-8, "eq. 42 -> 1/(h delta) - 1/(h a J)");
  CHECK_CLOSE(C[5], want, 1e-8, "every type to the same level");
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, 11);
  for (size_t i = 0; i < 36; i++)
    a[i] = 2 * gsl_rng_uniform(rng);
  gsl_rng_free(rng);
  ec_saturation_run(J, a, 0.5, 0.1, C0, 500, C, &err);
  int below = 1;
  for (size_t j = 0; j < J; j++)
    below &= C[j] < 1 / (0.5 * 0.1) && C[j] > 0;
  CHECK(below, "Lemma 2: every C_j* < 1/(h delta) with random couplings");
  /* recombination: closed form against the ODE */
  double k = 0.01, J0 = 5, t = 15, Jc, y[1] = {J0}, tt = 0;
  ec_recomb_J(J0, k, t, &Jc, &err);
  gsl_odeiv2_system sys = {recomb_rhs, NULL, 1, &k};
  gsl_odeiv2_driver *d =
      gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-3, 1e-13, 1e-13);
  gsl_odeiv2_driver_apply(d, &tt, t, y);
  gsl_odeiv2_driver_free(d);
  CHECK(fabs(Jc / y[0] - 1) < 1e-10, "eq. 66 closed form = ODE: %.12g vs %.12g", Jc, y[0]);
  CHECK(ec_recomb_J(J0, k, ec_recomb_blowup(J0, k) + 1, &Jc, &err) == EC_EDOM, "past blow-up");
  CHECK_CLOSE(ec_recomb_blowup(J0, k), log(1.25) / 0.01, 1e-12, "recombination blow-up time");
}

static void test_baumol(void) {
  ec_error err;
  /* automation kappa = 0.1 slower than the cost disease |rho| (g_C - g_Z) = 0.175 */
  ec_baumol b = {0.5, 0.15, 0.3, 0.1, 1, -0.5};
  const double ts[] = {0, 1, 5, 20};
  for (size_t i = 0; i < 4; i++) {
    double g, h = 1e-5, t = ts[i] + 2 * h;
    ec_baumol_growth(&b, t, 1, &g, &err);
    double num = (ec_baumol_ln_aggregate(&b, t + h) - ec_baumol_ln_aggregate(&b, t - h)) / (2 * h);
    CHECK(fabs(g - num) < 1e-7, "CES growth = d ln C_eff/dt at t = %g: %g vs %g", t, g, num);
  }
  /* the limit is min(g_C, g_Z + kappa/|rho|): the aggregate tends to (1 - beta)^(1/rho) C_2, and
   * (1 - beta) shrinking raises it; g_Z only when beta stops moving (kappa = 0) */
  double g;
  ec_baumol_growth(&b, 400, 1, &g, &err);
  CHECK_CLOSE(g, 0.15 + 0.1 / 0.5, 1e-9, "rho < 0: growth -> g_Z + kappa/|rho|");
  b.kappa = 0;
  ec_baumol_growth(&b, 400, 1, &g, &err);
  CHECK_CLOSE(g, 0.15, 1e-9, "rho < 0, beta fixed: growth -> g_Z (Prop. 12)");
  b.kappa = 0.1;
  double s2;
  ec_baumol_cost_share(&b, 400, &s2, &err);
  CHECK(s2 > 1 - 1e-9, "cost share of training -> 1 (%g)", s2);
  ec_baumol_growth(&b, 400, 0, &g, &err);
  CHECK_CLOSE(g, 0.5, 1e-9, "eq. 53 as printed: growth -> g_C, not g_Z");
  b.kappa = 0.3; /* automation outruns the cost disease: sector 1 keeps the weight */
  ec_baumol_growth(&b, 400, 1, &g, &err);
  CHECK_CLOSE(g, 0.5, 1e-9, "kappa > |rho| (g_C - g_Z): growth -> g_C");
  b.kappa = 0.1;
  b.rho = 0;
  double g53, gces;
  ec_baumol_growth(&b, 3, 0, &g53, &err);
  ec_baumol_growth(&b, 3, 1, &gces, &err);
  CHECK_CLOSE(gces, g53, 1e-15, "CES at rho = 0 is eq. 53");
  b.rho = 1e-7;
  ec_baumol_growth(&b, 3, 1, &gces, &err);
  CHECK_CLOSE(gces, g53, 1e-6, "CES -> eq. 53 as rho -> 0");
}

/* ---- cycles ------------------------------------------------------------------------------------
 */

static double linear_law(double T, void *p) {
  double K = ((double *)p)[0], Ts = ((double *)p)[1];
  return K * fmax(0, 1 - T / Ts);
}
static double hump_law(double T, void *p) {
  double K = ((double *)p)[0], Ts = ((double *)p)[1];
  return 4 * K * (T / Ts) * (1 - T / Ts);
}

static void test_cycles(void) {
  ec_error err;
  ec_cycle c = {0.23, 5, 0.5, 0.05, 0.10, 0.7, log(10)};
  double tau, A;
  ec_cycle_duration(&c, &tau, &err);
  CHECK_CLOSE(tau, log(10) / 0.23 / (1 + 4 * 0.23 * 0.5 / 0.15), 1e-12, "eq. 55");
  ec_cycle_amplitude(&c, &A, &err);
  CHECK_CLOSE(A, 0.7 * 0.8 * 0.115 / (0.15 - 0.115), 1e-12, "eq. 56");
  ec_cycle d = c;
  d.alpha = 0.35, d.N = 8;
  double ratio, tau2;
  ec_cycle_compression(&c, &d, &ratio, &err);
  ec_cycle_duration(&d, &tau2, &err);
  CHECK_CLOSE(ratio, tau2 / tau, 1e-12, "eq. 57 = ratio of eq. 55 at equal ln(c0/c*)");
  c.phi = 1;
  CHECK(ec_cycle_amplitude(&c, &A, &err) == EC_EDOM, "eq. 56 needs r + delta > alpha phi");
  double th[3];
  ec_crisis_thetas(0.5, th, &err);
  CHECK(th[0] < th[1] && th[1] < th[2], "financial before production before governance");
  /* Kendall: the printed -0.91 for alpha against actual durations (scipy's tau-b) */
  const double al[] = {0.18, 0.22, 0.20, 0.30}, act[] = {50, 40, 40, 20};
  double kt;
  ec_kendall_tau(al, act, 4, &kt, &err);
  CHECK_CLOSE(kt, -0.9128709291752769, 1e-12, "Kendall tau-b with a tie");
  /* the fold: eq. 1's linear K_eff folds at the boundary T = 0, a hump at its top */
  double pars[2] = {0.8, 2}, Tf, If, roots[8];
  int n;
  ec_fold_locate(linear_law, pars, 2, 0.5, 0.25, &Tf, &If, &err);
  CHECK(Tf == 0 && fabs(If - 0.5 * 0.8 / 0.25) < 1e-12, "linear: T = 0, I = mu K/beta (%g, %g)", Tf,
        If);
  ec_fold_equilibria(linear_law, pars, 2, 0.5, 0.25, 1.2, roots, 8, &n, &err);
  CHECK(n == 1 && fabs(roots[0] - 2 * (1 - 0.25 * 1.2 / (0.5 * 0.8))) < 1e-12,
        "linear: one equilibrium T*(1 - beta I/(mu K)) = %g", n ? roots[0] : -1);
  ec_fold_locate(hump_law, pars, 2, 0.5, 0.25, &Tf, &If, &err);
  CHECK(fabs(Tf - 1) < 1e-6 && fabs(If - 1.6) < 1e-10, "hump: fold at T*/2, I = mu K/beta (%g, %g)",
        Tf, If);
  ec_fold_equilibria(hump_law, pars, 2, 0.5, 0.25, 1.5, roots, 8, &n, &err);
  CHECK(n == 2 && roots[0] < 1 && roots[1] > 1, "hump: two equilibria below the fold (%d)", n);
  ec_fold_equilibria(hump_law, pars, 2, 0.5, 0.25, 1.7, roots, 8, &n, &err);
  CHECK(n == 0, "hump: none past the fold (%d)", n);
}

/* Kendall's tau-b from every pair compared (NaN where a series is constant). */
static double tau_b(const double *x, const double *y, size_t n) {
  double conc = 0, disc = 0, tx = 0, ty = 0;
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0 && dy == 0)
        continue;
      if (dx == 0)
        tx++;
      else if (dy == 0)
        ty++;
      else if ((dx > 0) == (dy > 0))
        conc++;
      else
        disc++;
    }
  return (conc - disc) / sqrt((conc + disc + tx) * (conc + disc + ty));
}

/* Kendall's tau-b by Knight's merge sort against every pair compared, on lists with many
 * ties (values drawn from 2 to 1000 levels), n from 2 to 300. */
static void test_kendall_pairs(void) {
  unsigned long st = 99;
  double worst = 0;
  int compared = 0;
  for (int trial = 0; trial < 600; trial++) {
    size_t n = 2 + (size_t)(trial % 299);
    int levels = 2 + trial % 7 * 166;
    double x[300], y[300];
    for (size_t i = 0; i < n; i++) {
      st = st * 6364136223846793005UL + 1442695040888963407UL;
      x[i] = (double)((st >> 33) % (unsigned long)levels);
      st = st * 6364136223846793005UL + 1442695040888963407UL;
      y[i] = trial % 3 ? (double)((st >> 33) % (unsigned long)levels) : x[i] * (trial % 2 ? 1 : -1);
    }
    double ref = tau_b(x, y, n), tau;
    ec_error err;
    ec_status s = ec_kendall_tau(x, y, n, &tau, &err);
    if (isnan(ref)) {
      CHECK(s == EC_EDOM, "a constant series is an error (n = %zu)", n);
      continue;
    }
    CHECK(s == EC_OK, "tau: %s", err.msg);
    worst = fmax(worst, fabs(tau - ref));
    compared++;
  }
  CHECK(worst < 1e-12 && compared > 500, "tau-b = every pair compared: worst %g over %d", worst,
        compared);
}

/* Exact p by brute force: every ordering of y by recursion. */
static void orderings(const double *x, double *y, size_t k, size_t n, double t0, double *hit,
                      double *all) {
  if (k == n) {
    *all += 1;
    *hit += fabs(tau_b(x, y, n)) >= t0 - 1e-12;
    return;
  }
  for (size_t i = k; i < n; i++) {
    double t = y[k];
    y[k] = y[i], y[i] = t;
    orderings(x, y, k + 1, n, t0, hit, all);
    y[i] = y[k], y[k] = t;
  }
}

static void lcg_fill(unsigned long *st, double *v, size_t n, int levels) {
  for (size_t i = 0; i < n; i++) {
    *st = *st * 6364136223846793005UL + 1442695040888963407UL;
    v[i] = (double)((*st >> 33) % (unsigned long)levels);
  }
}

/* Kendall's p: exact (n <= 9) against brute force, with ties; the normal approximation
 * (n >= 10) against SciPy 1.10's kendalltau(method='asymptotic') on the same draws; the
 * printed p = 0.07 for the 4 cycles is the approximation, the exact p is 4/24. */
static void test_kendall_p(void) {
  ec_error err;
  double p, worst = 0;
  int exact, compared = 0;
  unsigned long st = 5;
  for (int trial = 0; trial < 120; trial++) {
    size_t n = 2 + (size_t)(trial % 8);
    double x[9], y[9], yc[9];
    lcg_fill(&st, x, n, 2 + trial % 5);
    lcg_fill(&st, y, n, 2 + trial % 4);
    if (ec_kendall_p(x, y, n, &p, &exact, &err) != EC_OK)
      continue; /* a constant series */
    double hit = 0, all = 0;
    memcpy(yc, y, n * sizeof *y);
    orderings(x, yc, 0, n, fabs(tau_b(x, y, n)), &hit, &all);
    CHECK(exact, "n = %zu is exact", n);
    worst = fmax(worst, fabs(p - hit / all));
    compared++;
  }
  CHECK(worst < 1e-12 && compared > 80, "exact p = brute force: worst %g over %d", worst, compared);
  const struct {
    size_t n;
    int levels;
    unsigned long seed;
    double p;
  } sp[] = {{10, 4, 7, 0.7688046925084827},
            {12, 5, 11, 0.1781889598565306},
            {40, 6, 13, 0.03680583097589145},
            {200, 9, 17, 0.09943281867141567},
            {1000, 1000, 19, 0.0011496190664323244}};
  for (size_t k = 0; k < sizeof sp / sizeof *sp; k++) {
    static double x[1000], y[1000];
    unsigned long s2 = sp[k].seed;
    lcg_fill(&s2, x, sp[k].n, sp[k].levels);
    lcg_fill(&s2, y, sp[k].n, sp[k].levels);
    CHECK(ec_kendall_p(x, y, sp[k].n, &p, &exact, &err) == EC_OK && !exact, "n = %zu: %s", sp[k].n,
          err.msg);
    CHECK_CLOSE(p, sp[k].p, 1e-9, "asymptotic p as SciPy's");
  }
  const double al[] = {0.18, 0.22, 0.20, 0.30}, act[] = {50, 40, 40, 20};
  CHECK(ec_kendall_p(al, act, 4, &p, &exact, &err) == EC_OK && exact, "4 cycles: exact");
  CHECK_CLOSE(p, 4.0 / 24, 1e-15, "4 cycles: 4 of 24 orderings as extreme");
  const double c[] = {1, 1, 1};
  CHECK(ec_kendall_p(c, al, 3, &p, &exact, &err) == EC_EDOM, "a constant series is an error");
}

int main(void) {
  test_raf_hand();
  test_raf_brute();
  test_raf_random();
  test_perron();
  test_growth();
  test_collapse();
  test_saturation_recomb();
  test_baumol();
  test_cycles();
  test_kendall_pairs();
  test_kendall_p();
  return TEST_SUMMARY();
}
