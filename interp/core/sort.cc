// Sorting doubles with libstdc++'s introsort (std::sort): gsl_sort is a heapsort, about three
// times slower on the 10^6 draws of a Monte Carlo, whose quantiles are sorted on one thread
// after the parallel draws (so its time bounds what a second thread can gain).
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "edsl_core.h"

extern "C" void ec_sort(double *x, size_t n) {
  // NaNs (missing values) last: the rest is strictly ordered by <; neither step allocates
  double *end = std::partition(x, x + n, [](double v) { return !std::isnan(v); });
  std::sort(x, end);
}
