/* Helpers shared by the numeric core's sources; not part of the library's interface. */
#ifndef EDSL_CORE_INTERNAL_H
#define EDSL_CORE_INTERNAL_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <stdio.h>

#include "edsl_core.h"

/* Steps an ODE solve may take: a stiff or blowing-up system stops with an error (GSL's
 * "exceeded max number of iterations") instead of running on. */
#define EC_ODE_MAX_STEPS 1000000

static inline gsl_odeiv2_driver *ec_ode_driver(const gsl_odeiv2_system *sys,
                                               const gsl_odeiv2_step_type *type, double h,
                                               double epsabs, double epsrel) {
  gsl_odeiv2_driver *d = gsl_odeiv2_driver_alloc_y_new(sys, type, h, epsabs, epsrel);
  gsl_odeiv2_driver_set_nmax(d, EC_ODE_MAX_STEPS);
  return d;
}

/* Integrates sys with rk8pd from t = 0 to t1 (nothing when t1 <= 0) at relative and absolute
 * tolerance eps; *t_reached is where it stopped. Returns GSL's status. */
static inline int ec_ode_run(const gsl_odeiv2_system *sys, double eps, double t1, double *y,
                             double *t_reached) {
  *t_reached = 0;
  if (!(t1 > 0))
    return GSL_SUCCESS;
  gsl_odeiv2_driver *d = ec_ode_driver(sys, gsl_odeiv2_step_rk8pd, 1e-6, eps, eps);
  int st = gsl_odeiv2_driver_apply(d, t_reached, t1, y);
  gsl_odeiv2_driver_free(d);
  return st;
}

/* The status and message of a routine stopped by its caller's cancellation hook. */
static inline ec_status ec_canceled(const char *what, ec_error *err) {
  snprintf(err->msg, sizeof err->msg, "%s was stopped (time limit or interrupt)", what);
  return EC_ECANCELED;
}

/* An allocation that failed: a domain error naming what and how many entries. */
static inline ec_status ec_out_of_memory(const char *what, size_t n, ec_error *err) {
  snprintf(err->msg, sizeof err->msg, "out of memory for %s (%zu entries)", what, n);
  return EC_EDOM;
}

/* The degree of node i of a graph in compressed rows. */
static inline size_t ec_degree(const ec_graph *g, size_t i) {
  return g->off[i + 1] - g->off[i];
}

/* Whether the sparse Fiedler solve factors this connected graph's Laplacian (CHOLMOD) rather
 * than iterating (conjugate gradients): the tests cover both. */
int ec_laplacian_factors(const ec_graph *g);

/* The crossing game's constants formed and checked for both regimes, without ec_game_check's
 * shortcut for parameters inside its safe box: the tests compare the two. */
int ec_game_shapes_ok(const ec_game *g);
/* The box: a, b and r in [EC_GAME_SAFE_LO, EC_GAME_SAFE_HI], S in [0, EC_GAME_SAFE_HI]. */
#define EC_GAME_SAFE_LO 1e-60
#define EC_GAME_SAFE_HI 1e60

#endif
