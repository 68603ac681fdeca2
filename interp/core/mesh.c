/* Mesh formation (004 §5.6, §9-§11): the giant component of eq. 28, the CES capability
 * aggregate and diversity premium (eqs. 30-31, Lemma 1, Theorem 3), the mean-field Potts
 * transition (Proposition 4) and critical mass N*. Networks, their spectra and the
 * specialization simulation are in network.c. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdio.h>

#include "edsl_core.h"

typedef double (*scalar_fn)(double, void *);

/* A GSL bracketing solver on [lo, hi] (a bracket the caller has checked) to a relative
 * 1e-14. */
static ec_status bracketed(const gsl_root_fsolver_type *type, scalar_fn f, void *ctx, double lo,
                           double hi, double *root, const char *what, ec_error *err) {
  gsl_function F = {f, ctx};
  gsl_root_fsolver *s = gsl_root_fsolver_alloc(type);
  int st = gsl_root_fsolver_set(s, &F, lo, hi);
  for (int it = 0; st == GSL_SUCCESS && it < 500; it++) {
    st = gsl_root_fsolver_iterate(s);
    if (st != GSL_SUCCESS)
      break;
    double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
    if (gsl_root_test_interval(a, b, 0, 1e-14) == GSL_SUCCESS) {
      *root = gsl_root_fsolver_root(s);
      gsl_root_fsolver_free(s);
      return EC_OK;
    }
  }
  gsl_root_fsolver_free(s);
  snprintf(err->msg, sizeof err->msg, "%s: the root finder did not converge on [%g, %g] (%s)", what,
           lo, hi, gsl_strerror(st));
  return EC_ENOROOT;
}

static ec_status brent(scalar_fn f, void *ctx, double lo, double hi, double *root, const char *what,
                       ec_error *err) {
  return bracketed(gsl_root_fsolver_brent, f, ctx, lo, hi, root, what, err);
}

/* ---- giant component ------------------------------------------------------------------ */

static double giant_gap(double s, void *ctx) {
  double R0 = *(double *)ctx;
  return -expm1(-R0 * s) - s;
}

ec_status ec_giant_component(double R0, double *S, ec_error *err) {
  ec_init();
  if (!(R0 >= 0) || !isfinite(R0)) {
    snprintf(err->msg, sizeof err->msg,
             "the giant component needs a finite R0_mesh >= 0 (R0_mesh = %g)", R0);
    return EC_EDOM;
  }
  if (R0 <= 1) { /* only the trivial root (Proposition 3) */
    *S = 0;
    return EC_OK;
  }
  /* g(s) = 1 - e^{-R0 s} - s is concave with g(0) = 0, g'(0) = R0 - 1 > 0 and g(1) < 0; the
   * lower end of the bracket sits past the maximum of g, where g > 0 still. */
  double lo = log(R0) / R0; /* argmax g */
  if (!(giant_gap(lo, &R0) > 0)) {
    snprintf(err->msg, sizeof err->msg,
             "giant component: R0_mesh = %.17g is too close to 1 for a positive root in double "
             "precision",
             R0);
    return EC_ENOROOT;
  }
  return brent(giant_gap, &R0, lo, 1, S, "giant component", err);
}

double ec_giant_component_near(double R0) {
  return 2 * (R0 - 1) / (R0 * R0);
}

/* ---- CES capability ------------------------------------------------------------------- */

static ec_status rho_domain(double rho, const char *what, ec_error *err) {
  if (rho > 0 && rho <= 1)
    return EC_OK;
  snprintf(err->msg, sizeof err->msg,
           "%s is defined for 0 < rho <= 1 (eq. 30), rho = %g: for rho <= 0 an agent type with "
           "no capability sends the CES aggregate to 0, so the premium over concentration is "
           "not J^((1-rho)/rho)",
           what, rho);
  return EC_EDOM;
}

ec_status ec_ces_aggregate(const double *C, size_t J, double rho, double *out, ec_error *err) {
  if (rho_domain(rho, "the CES aggregate", err))
    return EC_EDOM;
  if (J == 0) {
    snprintf(err->msg, sizeof err->msg, "the CES aggregate needs at least one task type");
    return EC_EDOM;
  }
  /* scaled by the largest term so that C_j^rho neither overflows nor underflows */
  double top = 0;
  for (size_t j = 0; j < J; j++) {
    if (!(C[j] >= 0) || !isfinite(C[j])) {
      snprintf(err->msg, sizeof err->msg,
               "the CES aggregate needs finite capabilities >= 0; C_%zu = %g", j + 1, C[j]);
      return EC_EDOM;
    }
    top = fmax(top, C[j]);
  }
  if (top == 0) {
    *out = 0;
    return EC_OK;
  }
  double sum = 0;
  for (size_t j = 0; j < J; j++)
    sum += pow(C[j] / top, rho);
  *out = top * pow(sum, 1 / rho);
  return EC_OK;
}

ec_status ec_diversity_premium(double J, double rho, double *out, ec_error *err) {
  if (rho_domain(rho, "the diversity premium J^((1-rho)/rho)", err))
    return EC_EDOM;
  if (!(J >= 1) || !isfinite(J)) {
    snprintf(err->msg, sizeof err->msg, "the diversity premium needs J >= 1 task types (J = %g)",
             J);
    return EC_EDOM;
  }
  *out = pow(J, (1 - rho) / rho);
  if (!isfinite(*out)) {
    snprintf(err->msg, sizeof err->msg,
             "the diversity premium J^((1-rho)/rho) overflows at J = %g, rho = %g", J, rho);
    return EC_EDOM;
  }
  return EC_OK;
}

typedef struct {
  double r, target;
  int failed;
} MassArgs;

/* N S_inf(N r) - M c_cent / c_bar: increasing in N, negative up to N = 1/r */
static double mass_gap(double N, void *ctx) {
  MassArgs *a = ctx;
  double S;
  ec_error e;
  if (ec_giant_component(N * a->r, &S, &e) != EC_OK) {
    a->failed = 1;
    return 0;
  }
  return N * S - a->target;
}

ec_status ec_critical_mass(double r, double c_bar, double M_c_cent, double *N_star, ec_error *err) {
  ec_init();
  if (!(r > 0) || !isfinite(r) || !(c_bar > 0) || !isfinite(c_bar) || !(M_c_cent > 0) ||
      !isfinite(M_c_cent)) {
    snprintf(err->msg, sizeof err->msg,
             "critical mass needs beta v / D > 0, c_bar > 0 and M c_cent > 0 (beta v / D = %g, "
             "c_bar = %g, M c_cent = %g)",
             r, c_bar, M_c_cent);
    return EC_EDOM;
  }
  MassArgs a = {r, M_c_cent / c_bar, 0};
  /* S_inf <= 1, so N* >= target; and N* > 1/r, where the giant component appears */
  double lo = fmax(a.target, 1 / r), hi = lo;
  if (mass_gap(lo, &a) >= 0) {
    *N_star = lo; /* only at lo == target with S_inf(lo r) = 1, i.e. never in floating point */
    return EC_OK;
  }
  for (int i = 0; mass_gap(hi, &a) < 0; i++) {
    if (i > 2000 || !isfinite(hi)) {
      snprintf(err->msg, sizeof err->msg,
               "critical mass: no N up to %g reaches M c_cent/c_bar = %g", hi, a.target);
      return EC_ENOROOT;
    }
    lo = hi;
    hi *= 2;
  }
  ec_status st = brent(mass_gap, &a, lo, hi, N_star, "critical mass N*", err);
  if (st == EC_OK && a.failed) {
    snprintf(err->msg, sizeof err->msg, "critical mass: the giant component failed near N = %g",
             *N_star);
    return EC_ENOROOT;
  }
  return st;
}

/* ---- mean-field Potts ----------------------------------------------------------------- */

typedef struct {
  double q, K;
} Potts;

/* self-consistency: ln((1 + (q-1) m)/(1 - m)) - K m */
static double potts_gap(double m, void *ctx) {
  Potts *p = ctx;
  return log1p((p->q - 1) * m) - log1p(-m) - p->K * m;
}

/* free energy per site relative to the disordered state m = 0 */
static double potts_free_energy(double q, double K, double m) {
  double x = (1 + (q - 1) * m) / q, y = (1 - m) / q; /* favoured, each other state */
  double f = -(K / 2) * (x * x + (q - 1) * y * y) + x * log(x) + (m < 1 ? (q - 1) * y * log(y) : 0);
  double x0 = 1 / q, f0 = -(K / 2) / q + log(x0);
  return f - f0;
}

static ec_status potts_domain(double q, double K, ec_error *err) {
  if (q >= 2 && isfinite(q) && K >= 0 && isfinite(K))
    return EC_OK;
  snprintf(err->msg, sizeof err->msg,
           "the Potts model needs q >= 2 states and a finite coupling K >= 0 (q = %g, K = %g)", q,
           K);
  return EC_EDOM;
}

/* The largest self-consistent m in (0, 1), if any (the ordered branch); 0 if none. */
static ec_status potts_ordered(double q, double K, double *m, ec_error *err) {
  Potts p = {q, K};
  /* the gap is +inf at m -> 1; scan down for the first point where it is negative */
  const int n = 4000;
  double hi = 1 - 1e-15, lo = -1;
  for (int i = n - 1; i >= 1; i--) {
    double mi = (double)i / n;
    if (potts_gap(mi, &p) < 0) {
      lo = mi;
      break;
    }
    hi = mi;
  }
  if (lo < 0 && K > q) { /* the gap is (q - K) m + O(m^2) near 0: negative just above it */
    lo = fmin(1e-9, (K - q) / (4 * q * q));
    if (potts_gap(lo, &p) >= 0)
      lo = -1;
  }
  if (lo < 0) {
    *m = 0;
    return EC_OK;
  }
  return brent(potts_gap, &p, lo, hi, m, "Potts self-consistency", err);
}

ec_status ec_potts_order(double q, double K, double *m, ec_error *err) {
  ec_init();
  if (potts_domain(q, K, err))
    return EC_EDOM;
  double mo;
  if (potts_ordered(q, K, &mo, err))
    return EC_ENOROOT;
  *m = mo > 0 && potts_free_energy(q, K, mo) < 0 ? mo : 0;
  return EC_OK;
}

typedef struct {
  double q;
  int failed;
} TransArgs;

/* free energy of the ordered branch minus the disordered one; +1 where there is no branch */
static double potts_balance(double K, void *ctx) {
  TransArgs *t = ctx;
  double m;
  ec_error e;
  if (potts_ordered(t->q, K, &m, &e)) {
    t->failed = 1;
    return 0;
  }
  return m > 0 ? potts_free_energy(t->q, K, m) : 1;
}

ec_status ec_potts_transition(double q, double *K_c, double *jump, ec_error *err) {
  ec_init();
  if (potts_domain(q, 0, err))
    return EC_EDOM;
  if (q == 2) { /* continuous: the ordered branch leaves m = 0 at K = q */
    *K_c = 2;
    *jump = 0;
    return EC_OK;
  }
  /* q > 2: at K = q the disordered state is unstable (balance < 0); at K = 2 there is no
   * ordered branch (ln((1+(q-1)m)/(1-m)) >= q m > 2 m). Bisection copes with the step. */
  TransArgs t = {q, 0};
  double K;
  if (bracketed(gsl_root_fsolver_bisection, potts_balance, &t, 2, q, &K, "Potts transition", err) ||
      t.failed) {
    snprintf(err->msg, sizeof err->msg, "Potts transition for q = %g: no critical coupling found",
             q);
    return EC_ENOROOT;
  }
  *K_c = K;
  /* the jump: the ordered branch at K_c (from above, where it is the equilibrium) */
  double m;
  if (potts_ordered(q, K * (1 + 1e-13), &m, err))
    return EC_ENOROOT;
  *jump = m;
  return EC_OK;
}
