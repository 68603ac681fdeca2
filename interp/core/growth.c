/* Post-crossing growth (004 §12-§14, Appendices B-C): RAF sets of catalytic reaction
 * systems, the Perron-Frobenius root and catalytic dynamics, the growth law with its regimes
 * and singularity, training saturation, model-collapse protection, Weitzman recombination and
 * the Baumol bottleneck. */
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
  for (size_t t = 0; t < s->ntypes; t++)
    if (s->food[t] > 1) {
      snprintf(err->msg, sizeof err->msg, "food flag of type %zu is not 0 or 1", t);
      return EC_EDOM;
    }
  unsigned char *cl = malloc(s->ntypes ? s->ntypes : 1);
  if (!cl) {
    snprintf(err->msg, sizeof err->msg, "out of memory for %zu types", s->ntypes);
    return EC_EDOM;
  }
  for (size_t r = 0; r < s->nreactions; r++)
    keep[r] = 1;
  for (int changed = 1; changed;) {
    changed = 0;
    /* closure of the food set under the kept reactions, ignoring catalysis */
    memcpy(cl, s->food, s->ntypes);
    for (int grew = 1; grew;) {
      grew = 0;
      for (size_t r = 0; r < s->nreactions; r++) {
        if (!keep[r])
          continue;
        int ready = 1;
        for (size_t k = s->in_off[r]; k < s->in_off[r + 1] && ready; k++)
          ready = cl[s->in[k]];
        if (!ready)
          continue;
        for (size_t k = s->out_off[r]; k < s->out_off[r + 1]; k++)
          if (!cl[s->out[k]])
            cl[s->out[k]] = 1, grew = 1;
      }
    }
    /* drop reactions not supported by the closure: an input or every catalyst outside it */
    for (size_t r = 0; r < s->nreactions; r++) {
      if (!keep[r])
        continue;
      int ok = 1, catalyzed = 0;
      for (size_t k = s->in_off[r]; k < s->in_off[r + 1] && ok; k++)
        ok = cl[s->in[k]];
      for (size_t k = s->cat_off[r]; k < s->cat_off[r + 1] && !catalyzed; k++)
        catalyzed = cl[s->cat[k]];
      if (!ok || !catalyzed)
        keep[r] = 0, changed = 1;
    }
  }
  free(cl);
  *size = 0;
  for (size_t r = 0; r < s->nreactions; r++)
    *size += keep[r];
  return EC_OK;
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
  if (st != GSL_SUCCESS) {
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

/* ---- The growth law ---------------------------------------------------------------------- */

ec_status ec_phi_eff(double phi_0, double beta_auto, double *phi_eff, ec_error *err) {
  if (!(phi_0 > 0 && phi_0 < 1) || !(beta_auto >= 0 && beta_auto < 1)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 41 needs 0 < phi_0 < 1 and 0 <= beta_auto < 1 (phi_0 = %g, beta_auto = %g)",
             phi_0, beta_auto);
    return EC_EDOM;
  }
  *phi_eff = phi_0 / (1 - beta_auto * phi_0);
  return EC_OK;
}

double ec_growth_Phi(const ec_growth *g) {
  return g->lambda + g->phi_0 / (1 - g->beta_auto * g->phi_0) - 1;
}

ec_status ec_collapse_D(double rho, double J, double *D, ec_error *err) {
  if (!(rho >= 0 && rho < 1)) {
    snprintf(err->msg, sizeof err->msg,
             "D(rho, J) = (J-1)/J (1 - rho^(1/(1-rho))) needs 0 <= rho < 1: %s (rho = %g)",
             rho < 0 ? "rho^(1/(1-rho)) is not a real number for rho < 0"
                     : "the exponent 1/(1-rho) is undefined at rho = 1",
             rho);
    return EC_EDOM;
  }
  if (!(J >= 1) || !isfinite(J)) {
    snprintf(err->msg, sizeof err->msg, "D(rho, J) needs J >= 1 specialization types (J = %g)", J);
    return EC_EDOM;
  }
  *D = (J - 1) / J * (1 - pow(rho, 1 / (1 - rho)));
  return EC_OK;
}

static int alpha_ok(double alpha_ext, double alpha_crit, ec_error *err) {
  if (alpha_ext >= 0 && alpha_ext <= 1 && alpha_crit > 0 && alpha_crit < 1)
    return 1;
  snprintf(err->msg, sizeof err->msg,
           "the collapse condition needs 0 <= alpha_ext <= 1 and 0 < alpha_crit < 1 (alpha_ext "
           "= %g, alpha_crit = %g)",
           alpha_ext, alpha_crit);
  return 0;
}

static int collapse_avoided(double rho, double J, double alpha_ext, double alpha_crit) {
  double D;
  ec_error e;
  return ec_collapse_D(rho, J, &D, &e) == EC_OK && alpha_ext + (1 - alpha_ext) * D > alpha_crit;
}

ec_status ec_J_min(double rho, double alpha_ext, double alpha_crit, double *J, ec_error *err) {
  double D1;
  ec_status st = ec_collapse_D(rho, 2, &D1, err); /* checks rho */
  if (st != EC_OK)
    return st;
  if (!alpha_ok(alpha_ext, alpha_crit, err))
    return EC_EDOM;
  if (alpha_ext > alpha_crit) {
    *J = 1;
    return EC_OK;
  }
  /* alpha_ext + (1 - alpha_ext)(J-1)/J (1 - x) > alpha_crit  <=>  J > 1/(1 - c) */
  double x = pow(rho, 1 / (1 - rho));
  double c = (alpha_crit - alpha_ext) / ((1 - alpha_ext) * (1 - x));
  if (c >= 1) {
    *J = INFINITY;
    return EC_OK;
  }
  /* J > 1/(1 - c); at an exact boundary round-off can put floor + 1 one off either way, so
   * settle it on eq. 50 itself */
  *J = floor(1 / (1 - c)) + 1;
  while (!collapse_avoided(rho, *J, alpha_ext, alpha_crit))
    *J += 1;
  while (*J > 1 && collapse_avoided(rho, *J - 1, alpha_ext, alpha_crit))
    *J -= 1;
  return EC_OK;
}

static int gate_open(const ec_growth *g, double J) {
  return !g->gate || collapse_avoided(g->rho, J, g->alpha_ext, g->alpha_crit);
}

ec_status ec_growth_check(const ec_growth *g, ec_error *err) {
  double pe;
  ec_status st = ec_phi_eff(g->phi_0, g->beta_auto, &pe, err);
  if (st != EC_OK)
    return st;
  if (!(g->delta_g >= 0) || !(g->f > 0 && g->f <= 1) || !(g->lambda > 0 && g->lambda <= 1) ||
      !isfinite(g->gamma_J) || !(g->delta >= 0) || !(g->C_0 > 0) || !(g->J_0 >= 1) ||
      !isfinite(g->delta_g * g->C_0 * g->J_0 * g->delta)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 40 needs delta_g >= 0, 0 < f <= 1, 0 < lambda <= 1, delta >= 0, C_0 > 0 and "
             "J >= 1 (delta_g = %g, f = %g, lambda = %g, delta = %g, C_0 = %g, J = %g)",
             g->delta_g, g->f, g->lambda, g->delta, g->C_0, g->J_0);
    return EC_EDOM;
  }
  if (g->eta_J != 0 && (!(g->eta_J > 0) || !(g->f_J >= 0) || !isfinite(g->phi_J) ||
                        !(g->J_max >= g->J_0) || !isfinite(g->J_max))) {
    snprintf(err->msg, sizeof err->msg,
             "variety (eq. 43) needs eta_J > 0, f_J >= 0 and J <= J_max (eta_J = %g, f_J = %g, "
             "J = %g, J_max = %g)",
             g->eta_J, g->f_J, g->J_0, g->J_max);
    return EC_EDOM;
  }
  if (g->gate) {
    double D;
    if ((st = ec_collapse_D(g->rho, g->J_0, &D, err)) != EC_OK)
      return st;
    if (!alpha_ok(g->alpha_ext, g->alpha_crit, err))
      return EC_EDOM;
  }
  return EC_OK;
}

typedef struct {
  const ec_growth *g;
  double a, Phi; /* a = delta_g f^lambda */
} GrowthArgs;

/* y = (ln C, J) */
static int growth_rhs(double t, const double y[], double dy[], void *p) {
  (void)t;
  const GrowthArgs *a = p;
  const ec_growth *g = a->g;
  double J = fmin(fmax(y[1], 1), g->eta_J > 0 ? g->J_max : y[1]);
  int open = gate_open(g, J);
  dy[0] = (open ? a->a * exp((a->Phi - 1) * y[0]) * pow(J, g->gamma_J) : 0) - g->delta;
  dy[1] = g->eta_J > 0 && open ? g->eta_J * g->f_J * exp(g->phi_J * y[0]) * (g->J_max - J) : 0;
  return isfinite(dy[0]) && isfinite(dy[1]) ? GSL_SUCCESS : GSL_EBADFUNC;
}

ec_status ec_growth_path(const ec_growth *g, double t, double *C, double *J, ec_error *err) {
  ec_init();
  ec_status st = ec_growth_check(g, err);
  if (st != EC_OK)
    return st;
  if (!(t >= 0) || !isfinite(t)) {
    snprintf(err->msg, sizeof err->msg, "the growth path needs a finite time t >= 0 (t = %g)", t);
    return EC_EDOM;
  }
  GrowthArgs a = {g, g->delta_g * pow(g->f, g->lambda), ec_growth_Phi(g)};
  double y[2] = {log(g->C_0), g->J_0};
  gsl_odeiv2_system sys = {growth_rhs, NULL, 2, &a};
  double tt;
  int s = ec_ode_run(&sys, 1e-12, t, y, &tt);
  if (s != GSL_SUCCESS || y[0] > 700) {
    double Ts;
    ec_error e2;
    int blew = ec_growth_blowup(g, &Ts, &e2) == EC_OK && isfinite(Ts) && Ts <= t;
    snprintf(err->msg, sizeof err->msg,
             blew ? "C(t) is infinite at t = %g: eq. 40 blows up at T_s = %.6g (Phi = %g)"
                  : "integrating eq. 40 failed at t = %g (C = %g, Phi = %g)",
             blew ? t : tt, blew ? Ts : exp(y[0]), a.Phi);
    return EC_EINTEGRATE;
  }
  *C = exp(y[0]);
  *J = y[1];
  return EC_OK;
}

/* In y = ln C as the clock: dt/dy = 1/(dy/dt), dJ/dy = (dJ/dt)/(dy/dt); finite up to y = inf
 * when C blows up. Used once the growth term dominates depreciation, so dy/dt > 0. */
static int growth_rhs_in_y(double y, const double s[], double ds[], void *p) {
  double in[2] = {y, s[1]}, d[2];
  int st = growth_rhs(0, in, d, p);
  if (st != GSL_SUCCESS || !(d[0] > 0))
    return GSL_EBADFUNC;
  ds[0] = 1 / d[0];
  ds[1] = d[1] / d[0];
  return GSL_SUCCESS;
}

/* Phase 1 integrates eq. 40 in time until its growth term is at least twice the
 * depreciation (from then on both only rise, so C rises); phase 2 takes ln C as the clock up
 * to where C^(Phi-1) has grown e^60-fold, beyond which the time left is below e^-60 of the
 * time taken. */
ec_status ec_growth_blowup(const ec_growth *g, double *T, ec_error *err) {
  ec_init();
  ec_status st = ec_growth_check(g, err);
  if (st != EC_OK)
    return st;
  GrowthArgs a = {g, g->delta_g * pow(g->f, g->lambda), ec_growth_Phi(g)};
  if (a.Phi <= 1 || !(g->horizon > 0)) {
    *T = INFINITY;
    return EC_OK;
  }
  double y[2] = {log(g->C_0), g->J_0}, t = 0, dy[2];
  gsl_odeiv2_system sys = {growth_rhs, NULL, 2, &a};
  gsl_odeiv2_step *s = gsl_odeiv2_step_alloc(gsl_odeiv2_step_rk8pd, 2);
  gsl_odeiv2_control *c = gsl_odeiv2_control_y_new(1e-13, 1e-13);
  gsl_odeiv2_evolve *e = gsl_odeiv2_evolve_alloc(2);
  double h = 1e-6;
  long steps = 0;
  int status = GSL_SUCCESS;
  for (;;) {
    growth_rhs(t, y, dy, &a);
    if (dy[0] + g->delta >= 2 * g->delta && dy[0] > 0)
      break;
    if (t >= g->horizon)
      break;
    if (steps++ >= EC_ODE_MAX_STEPS) {
      status = GSL_EMAXITER;
      break;
    }
    status = gsl_odeiv2_evolve_apply(e, c, s, &sys, &t, g->horizon, &h, y);
    if (status != GSL_SUCCESS)
      break;
  }
  gsl_odeiv2_evolve_free(e), gsl_odeiv2_control_free(c), gsl_odeiv2_step_free(s);
  if (status == GSL_SUCCESS && t < g->horizon) {
    double q[2] = {t, y[1]}, y0 = y[0], y1 = y[0] + 60 / (a.Phi - 1);
    gsl_odeiv2_system sys2 = {growth_rhs_in_y, NULL, 2, &a};
    gsl_odeiv2_driver *d = ec_ode_driver(&sys2, gsl_odeiv2_step_rk8pd, 1e-6, 1e-13, 1e-13);
    status = gsl_odeiv2_driver_apply(d, &y0, y1, q);
    gsl_odeiv2_driver_free(d);
    t = q[0], y[0] = y0;
    if (status == GSL_SUCCESS) {
      *T = t < g->horizon ? t : INFINITY;
      return EC_OK;
    }
  } else if (status == GSL_SUCCESS) {
    *T = INFINITY; /* the growth term never overtook depreciation before the horizon */
    return EC_OK;
  }
  snprintf(err->msg, sizeof err->msg,
           "integrating eq. 40 towards its blow-up failed at t = %g (C = %g, Phi = %g, %s)", t,
           exp(y[0]), a.Phi, gsl_strerror(status));
  return EC_EINTEGRATE;
}

ec_status ec_T_singularity(const ec_growth *g, int exact, double *T, ec_error *err) {
  ec_status st = ec_growth_check(g, err);
  if (st != EC_OK)
    return st;
  double Phi = ec_growth_Phi(g);
  double a = g->delta_g * pow(g->f, g->lambda) * pow(g->J_0, g->gamma_J);
  if (Phi <= 1 || !gate_open(g, g->J_0) || a == 0) {
    *T = INFINITY;
    return EC_OK;
  }
  double u0 = pow(g->C_0, 1 - Phi);
  if (!exact || g->delta == 0) {
    *T = u0 / ((Phi - 1) * a);
    return EC_OK;
  }
  *T = a > g->delta * u0 ? log(a / (a - g->delta * u0)) / ((Phi - 1) * g->delta) : INFINITY;
  return EC_OK;
}

/* ---- Saturation (eq. 42) ------------------------------------------------------------------ */

typedef struct {
  size_t J;
  const double *a;
  double h, delta;
} SatArgs;

static int saturation_rhs(double t, const double y[], double dy[], void *p) {
  (void)t;
  const SatArgs *s = p;
  for (size_t j = 0; j < s->J; j++) {
    double A = 0;
    for (size_t k = 0; k < s->J; k++)
      A += s->a[j * s->J + k] * y[k];
    dy[j] = A / (1 + s->h * A) - s->delta * y[j];
  }
  return GSL_SUCCESS;
}

ec_status ec_saturation_run(size_t J, const double *a, double h, double delta, const double *C0,
                            double t, double *C, ec_error *err) {
  ec_init();
  if (J < 1 || !(h >= 0) || !(delta > 0) || !(t >= 0) || !isfinite(t + h + delta)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 42 needs J >= 1, h >= 0, delta > 0 and a finite t >= 0 (J = %zu, h = %g, "
             "delta = %g, t = %g)",
             J, h, delta, t);
    return EC_EDOM;
  }
  for (size_t i = 0; i < J * J; i++)
    if (!(a[i] >= 0) || !isfinite(a[i])) {
      snprintf(err->msg, sizeof err->msg, "eq. 42 needs couplings a_jk >= 0 (a = %g)", a[i]);
      return EC_EDOM;
    }
  for (size_t j = 0; j < J; j++) {
    if (!(C0[j] >= 0) || !isfinite(C0[j])) {
      snprintf(err->msg, sizeof err->msg, "eq. 42 needs C_j(0) >= 0 (C_0 = %g)", C0[j]);
      return EC_EDOM;
    }
    C[j] = C0[j];
  }
  SatArgs s = {J, a, h, delta};
  gsl_odeiv2_system sys = {saturation_rhs, NULL, J, &s};
  double tt;
  int st = ec_ode_run(&sys, 1e-12, t, C, &tt);
  if (st != GSL_SUCCESS) {
    snprintf(err->msg, sizeof err->msg, "integrating eq. 42 failed at t = %g (%s)", tt,
             gsl_strerror(st));
    return EC_EINTEGRATE;
  }
  return EC_OK;
}

double ec_saturation_level(double J, double a, double h, double delta) {
  if (a * J <= delta)
    return 0;
  if (h == 0)
    return INFINITY;
  return 1 / (h * delta) - 1 / (h * a * J);
}

/* ---- Weitzman recombination (eq. 66) -------------------------------------------------------- */

double ec_recomb_blowup(double J_0, double k) {
  if (!(J_0 > 1) || !(k > 0))
    return INFINITY;
  return log(J_0 / (J_0 - 1)) / k;
}

ec_status ec_recomb_J(double J_0, double k, double t, double *J, ec_error *err) {
  if (!(J_0 >= 1) || !(k >= 0) || !(t >= 0) || !isfinite(J_0 + k + t)) {
    snprintf(err->msg, sizeof err->msg,
             "eq. 66 needs J_0 >= 1, eta_J p_viable >= 0 and t >= 0 (J_0 = %g, k = %g, t = %g)",
             J_0, k, t);
    return EC_EDOM;
  }
  double T = ec_recomb_blowup(J_0, k);
  if (t >= T) {
    snprintf(err->msg, sizeof err->msg,
             "J(t) of eq. 66 is infinite at t = %g: recombination blows up at t = %.6g "
             "(J_0 = %g, eta_J p_viable = %g)",
             t, T, J_0, 2 * k);
    return EC_EDOM;
  }
  if (J_0 == 1 || k == 0) {
    *J = J_0;
    return EC_OK;
  }
  *J = 1 / (1 - (J_0 - 1) / J_0 * exp(k * t));
  return EC_OK;
}

/* ---- Baumol (eqs. 53-54) ------------------------------------------------------------------- */

static ec_status baumol_check(const ec_baumol *b, double t, ec_error *err) {
  if (!isfinite(b->g_C) || !isfinite(b->g_Z) || !(b->beta_0 >= 0 && b->beta_0 <= 1) ||
      !(b->kappa >= 0) || !(b->ratio_0 > 0) || !(b->rho < 1) || !(t >= 0) ||
      !isfinite(b->kappa + b->ratio_0 + t)) {
    snprintf(err->msg, sizeof err->msg,
             "the two-sector model needs 0 <= beta_0 <= 1, kappa >= 0, C_1/C_2 > 0, rho < 1 and "
             "t >= 0 (beta_0 = %g, kappa = %g, C_1/C_2 = %g, rho = %g, t = %g)",
             b->beta_0, b->kappa, b->ratio_0, b->rho, t);
    return EC_EDOM;
  }
  return EC_OK;
}

/* beta(t) and ln(1 - beta(t)) (kept apart: 1 - beta underflows long before it matters) and
 * ln(C_1/C_2)(t) */
static void baumol_state(const ec_baumol *b, double t, double *beta, double *lom, double *lr) {
  *lom = log1p(-b->beta_0) - b->kappa * t;
  *beta = -expm1(*lom);
  *lr = log(b->ratio_0) + (b->g_C - b->g_Z) * t;
}

/* The weight w of sector 1 in the CES growth rate, 1 - w (the cost share of sector 2) and
 * (1 - beta) C_1^rho / S, from logs so that no power overflows. */
static void baumol_weights(const ec_baumol *b, double t, double *w, double *w2, double *a1) {
  double beta, lom, lr;
  baumol_state(b, t, &beta, &lom, &lr);
  double x = b->rho * lr; /* ln(C_1^rho / C_2^rho) */
  *w = 1 / (1 + exp(lom - x) / beta);
  *w2 = 1 / (1 + beta * exp(x - lom));
  *a1 = 1 / (beta * exp(-lom) + exp(-x));
}

ec_status ec_baumol_growth(const ec_baumol *b, double t, int ces, double *g, ec_error *err) {
  ec_status st = baumol_check(b, t, err);
  if (st != EC_OK)
    return st;
  double beta, lom, lr;
  baumol_state(b, t, &beta, &lom, &lr);
  if (!ces || b->rho == 0) {
    *g = beta * b->g_C + (1 - beta) * b->g_Z + b->kappa * exp(lom) * lr;
    return EC_OK;
  }
  /* d/dt (1/rho) ln S, S = beta C_1^rho + (1 - beta) C_2^rho:
   * w g_C + (1 - w) g_Z + dbeta/dt (C_1^rho - C_2^rho)/(rho S), dbeta/dt = kappa (1 - beta) */
  double w, w2, a1;
  baumol_weights(b, t, &w, &w2, &a1);
  *g = w * b->g_C + w2 * b->g_Z + b->kappa * (a1 - w2) / b->rho;
  if (!isfinite(*g)) {
    snprintf(err->msg, sizeof err->msg,
             "the CES growth rate is not finite at t = %g (rho = %g, ln C_1/C_2 = %g)", t, b->rho,
             lr);
    return EC_EDOM;
  }
  return EC_OK;
}

ec_status ec_baumol_cost_share(const ec_baumol *b, double t, double *s2, ec_error *err) {
  ec_status st = baumol_check(b, t, err);
  if (st != EC_OK)
    return st;
  double w, a1;
  baumol_weights(b, t, &w, s2, &a1);
  return EC_OK;
}

double ec_baumol_ln_aggregate(const ec_baumol *b, double t) {
  double beta, lom, lr;
  baumol_state(b, t, &beta, &lom, &lr);
  double l1 = lr + b->g_Z * t, l2 = b->g_Z * t; /* ln C1, ln C2 */
  if (b->rho == 0)
    return beta * l1 + (1 - beta) * l2;
  double m = fmax(b->rho * l1, b->rho * l2);
  return (m + log(beta * exp(b->rho * l1 - m) + (1 - beta) * exp(b->rho * l2 - m))) / b->rho;
}
