// Sorting doubles with libstdc++'s introsort (std::sort): gsl_sort is a heapsort, about three
// times slower on the 10^6 draws of a Monte Carlo. Quantiles need only the order statistics
// they interpolate, so they are selected (std::nth_element, linear on average) rather than
// sorted: a sample's quantiles run on one thread after its parallel draws, and their time
// bounds what a second thread can gain.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include <gsl/gsl_statistics_double.h>

#include "edsl_core.h"

extern "C" void ec_sort(double *x, size_t n) {
  // NaNs (missing values) last: the rest is strictly ordered by <; neither step allocates
  double *end = std::partition(x, x + n, [](double v) { return !std::isnan(v); });
  std::sort(x, end);
}

extern "C" void ec_order_init(ec_order *o, double *x, size_t n) {
  o->x = x;
  o->n = n;
  o->m = (size_t)(std::partition(x, x + n, [](double v) { return !std::isnan(v); }) - x);
  o->nfixed = 0;
  o->sorted = o->m < 2;
}

extern "C" double ec_order_stat(ec_order *o, size_t k) {
  if (o->sorted || k >= o->m) // past the numbers: the NaNs, in no order
    return o->x[k];
  // the fixed positions around k: between them lie exactly the values of ranks lo .. hi - 1
  size_t *f = std::lower_bound(o->fixed, o->fixed + o->nfixed, k);
  if (f < o->fixed + o->nfixed && *f == k)
    return o->x[k];
  size_t lo = f == o->fixed ? 0 : f[-1] + 1, hi = f == o->fixed + o->nfixed ? o->m : *f;
  if (o->nfixed == EC_ORDER_FIXED) {
    // many order statistics asked for: sorting once is cheaper than selecting each
    std::sort(o->x, o->x + o->m);
    o->sorted = 1;
    return o->x[k];
  }
  if (k == lo) // the span's least: one pass (a quantile's upper neighbour, after its lower)
    std::iter_swap(o->x + k, std::min_element(o->x + lo, o->x + hi));
  else if (k + 1 == hi)
    std::iter_swap(o->x + k, std::max_element(o->x + lo, o->x + hi));
  else
    std::nth_element(o->x + lo, o->x + k, o->x + hi);
  std::copy_backward(f, o->fixed + o->nfixed, o->fixed + o->nfixed + 1);
  *f = k;
  o->nfixed++;
  return o->x[k];
}

extern "C" double ec_order_quantile(ec_order *o, double p) {
  size_t n = o->n;
  double h = (double)(n - 1) * p;
  size_t i = (size_t)std::floor(h);
  if (i + 1 >= n)
    return ec_order_stat(o, n - 1);
  double a = ec_order_stat(o, i), b = ec_order_stat(o, i + 1);
  if (std::isfinite(a) && std::isfinite(b)) {
    // GSL's own interpolation (R's type 7), which reads only these two order statistics
    return gsl_stats_quantile_from_sorted_data(o->x, 1, n, p);
  }
  // an infinite draw (a crossing that never comes) stays infinite
  return h == (double)i || a == b ? a : b;
}
