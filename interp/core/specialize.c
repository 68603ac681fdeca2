/* The fixed-response-threshold specialization model of the mesh (004 eqs. 32-33): agents
 * take up tasks whose demand signal exceeds their threshold, thresholds fall with practice and
 * rise without it; the specialization index along the way. */
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
    return ec_out_of_memory("the threshold model", A * J, err);
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
    return ec_out_of_memory("the threshold model", A, err);
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
    if (ec_cancelled()) {
      free(busy);
      free(order);
      gsl_rng_free(rng);
      free(theta);
      free(s);
      free(count);
      return ec_canceled("the specialization run", err);
    }
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
