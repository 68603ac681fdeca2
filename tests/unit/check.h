/* Minimal test harness: CHECK_CLOSE states its tolerance at every call site. */
#ifndef EDSL_TEST_CHECK_H
#define EDSL_TEST_CHECK_H
#include <math.h>
#include <stdio.h>

static int t_pass, t_fail;
#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (cond)                                                                                      \
      t_pass++;                                                                                    \
    else {                                                                                         \
      t_fail++;                                                                                    \
      fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);                                        \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fputc('\n', stderr);                                                                         \
    }                                                                                              \
  } while (0)
#define CHECK_CLOSE(got, want, tol, what)                                                          \
  CHECK(fabs((got) - (want)) <= (tol), "%s: got %.15g, want %.15g (tol %g)", what, (double)(got),  \
        (double)(want), (double)(tol))
#define TEST_SUMMARY() (printf("%d passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)
#endif
