/* The limit edsl is measured against: the same work as bench/sweep.edsl and
 * bench/uncertainty.edsl done by a C program that calls the numeric core's closed forms
 * directly (ec_game_T_star: one safeguarded Newton per point) on one core, and writes its rows
 * with edsl's own shortest round-trip formatter, so the files can be compared byte for byte.
 * Whatever edsl spends beyond this is the interpreter's.
 *
 *   limit sweep OUT.csv        the 100 x 20 x 50 grid of bench/sweep.edsl
 *   limit mc DRAWS.csv OUT.csv the T*N of each draw of edsl's draws file (its alpha and S_T
 *                              read first, untimed), written as edsl writes them, with the
 *                              quantiles and P of bench/uncertainty.edsl
 * Prints the seconds of the timed part (computing and writing) on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/edsl_core.h"
#include "numtext.h"

/* the hardware market of scenarios/alpha_sensitivity.edsl */
static const double a = 1, b = 1, r = 0.05, delta = 0.30, c_now = 12, c_star = 5, Q_now = 0.0114;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* edsl's range(lo, hi, n), computed as it computes it */
static double grid(double lo, double hi, int n, int i) {
  return lo + (hi - lo) * i / (double)(n - 1);
}

/* the distance to crossing at alpha (Wright's law through the threshold) */
static double x0_of(double alpha) {
  return Q_now * expm1(log(c_now / c_star) / alpha);
}

static double T_nash_x0(double x0, int N, double S_T) {
  double S_I = N * a * a / (b * (N + 1.0) * (N + 1.0));
  ec_game g = {N, a, b, r, ec_continuation_value(S_T, S_I, N, r, delta)};
  double T;
  ec_error err;
  return ec_game_T_star(&g, EC_NASH, x0, &T, &err) == EC_OK ? T : NAN;
}

static double T_nash(double alpha, int N, double S_T) {
  return T_nash_x0(x0_of(alpha), N, S_T);
}

/* one row as edsl writes it: the shortest text of each cell, comma-separated */
static void row(FILE *out, const double *v, int n) {
  char buf[4 * 40];
  size_t l = 0;
  for (int j = 0; j < n; j++) {
    if (j)
      buf[l++] = ',';
    l += (size_t)numtext_shortest(v[j], buf + l, sizeof buf - l);
  }
  buf[l++] = '\n';
  fwrite(buf, 1, l, out);
}

static int sweep(const char *path) {
  FILE *out = fopen(path, "w");
  if (!out)
    return perror(path), 1;
  double t0 = now();
  fputs("packaging.alpha,hardware.firms,hardware.continuation.S_T,T_nash\n", out);
  for (int i = 0; i < 100; i++) {
    double alpha = grid(0.12, 0.32, 100, i), x0 = x0_of(alpha); /* once per alpha */
    for (int N = 1; N <= 20; N++)
      for (int k = 0; k < 50; k++) {
        double S_T = grid(0, 0.01, 50, k), v[4] = {alpha, N, S_T, T_nash_x0(x0, N, S_T)};
        row(out, v, 4);
      }
  }
  if (fclose(out))
    return perror(path), 1;
  printf("%.6f\n", now() - t0);
  return 0;
}

static int mc(const char *in_path, const char *path) {
  FILE *in = fopen(in_path, "r");
  if (!in)
    return perror(in_path), 1;
  size_t n = 0, cap = 1 << 20;
  double *alpha = malloc(cap * sizeof *alpha), *S_T = malloc(cap * sizeof *S_T);
  char line[512];
  if (!fgets(line, sizeof line, in)) /* the header */
    return fclose(in), 1;
  while (fgets(line, sizeof line, in)) {
    if (n == cap) {
      cap *= 2;
      alpha = realloc(alpha, cap * sizeof *alpha);
      S_T = realloc(S_T, cap * sizeof *S_T);
    }
    if (sscanf(line, "%lf,%lf", &alpha[n], &S_T[n]) == 2)
      n++;
  }
  fclose(in);
  double *T = malloc(n * sizeof *T), *sorted = malloc(n * sizeof *sorted);
  FILE *out = fopen(path, "w");
  if (!out)
    return perror(path), 1;
  double t0 = now();
  fputs("packaging.alpha,hardware.continuation.S_T,T_star_nash\n", out);
  size_t m = 0, below = 0;
  for (size_t i = 0; i < n; i++) {
    T[i] = T_nash(alpha[i], 5, S_T[i]);
    double v[3] = {alpha[i], S_T[i], T[i]};
    row(out, v, 3);
    if (!isnan(T[i])) {
      sorted[m++] = T[i];
      below += T[i] < 5.0;
    }
  }
  if (fclose(out))
    return perror(path), 1;
  ec_order o; /* the core's quantiles: the order statistics they read, selected */
  ec_order_init(&o, sorted, m);
  double q05 = ec_order_quantile(&o, 0.05), q50 = ec_order_quantile(&o, 0.50),
         q95 = ec_order_quantile(&o, 0.95);
  double t = now() - t0;
  printf("%.6f %zu %.17g %.17g %.17g %.17g\n", t, m, q05, q50, q95, (double)below / (double)m);
  free(alpha), free(S_T), free(T), free(sorted);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "sweep"))
    return sweep(argv[2]);
  if (argc == 4 && !strcmp(argv[1], "mc"))
    return mc(argv[2], argv[3]);
  fputs("usage: limit sweep OUT.csv | limit mc DRAWS.csv OUT.csv\n", stderr);
  return 2;
}
