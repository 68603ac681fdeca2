/* numtext_shortest against its definition, computed independently by printf and strtod: the
 * first of "%.15g", "%.16g", "%.17g" that reads back as the same double. Over random bit
 * patterns (every exponent, subnormals), random values in each decade, whole numbers, the
 * boundaries of %g's exponent form and the extremes. */
#include "check.h"
#include "numtext.h"

#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reference(double v, char *buf, size_t n) {
  for (int p = 15; p <= 17; p++) {
    snprintf(buf, n, "%.*g", p, v);
    if (strtod(buf, NULL) == v)
      return;
  }
}

static uint64_t state = 0x9E3779B97F4A7C15u;
static uint64_t next(void) { /* xorshift64*: a fixed, seeded stream */
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 2685821657736338717u;
}

static int bad = 0;
static void one(double v) {
  char want[64], got[64];
  reference(v, want, sizeof want);
  numtext_shortest(v, got, sizeof got);
  if (strcmp(want, got) && bad++ < 10)
    printf("%.17g: printf %s, numtext %s\n", v, want, got);
}

int main(void) {
  long n = 0;
  for (long i = 0; i < 1000000; i++, n++) {
    uint64_t bits = next();
    double v;
    memcpy(&v, &bits, sizeof v);
    if (v != v || v - v != 0) /* NaN, inf: not this function's */
      v = (double)(bits >> 11);
    one(v);
  }
  for (int e = -320; e <= 308; e++)
    for (int k = 0; k < 200; k++, n++)
      one(((double)(next() >> 11) / 9007199254740992.0) * strtod("1e0", NULL) *
          (e < 0 ? 1 / 1e0 : 1) * __builtin_powi(10.0, e));
  double edges[] = {0.0,
                    -0.0,
                    1,
                    -1,
                    0.1,
                    0.0001,
                    0.00001,
                    1e14,
                    1e15,
                    1e16,
                    1e17,
                    1e21,
                    1e100,
                    1e-100,
                    5e-324,
                    DBL_MIN,
                    DBL_MAX,
                    -DBL_MAX,
                    123456789012345678.0,
                    999999999999999.0,
                    9999999999999998.0,
                    0.3,
                    2.0 / 3,
                    1e-5 * 3,
                    9.5367431640625e-07};
  for (size_t i = 0; i < sizeof edges / sizeof *edges; i++, n++)
    one(edges[i]);
  for (long k = -100000; k <= 100000; k++, n++)
    one((double)k * 1000003);
  CHECK(bad == 0, "%d of %ld numbers differ from printf's shortest", bad, n);
  return TEST_SUMMARY();
}
