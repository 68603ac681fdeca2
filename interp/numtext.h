/* Numbers as text: the shortest text that reads back as the same double, written the way
 * printf's %g writes it (numtext.c), from the digits double-conversion finds (dconv.cc). */
#ifndef EDSL_NUMTEXT_H
#define EDSL_NUMTEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { EDSL_SHORTEST_MAX = 17 };
/* The shortest digits of finite v (no sign, no leading or trailing zeros; "0" for zero) into
 * digits (EDSL_SHORTEST_MAX + 1 chars), v = 0.DIGITS x 10^point; returns their count. */
int edsl_shortest_digits(double v, char *digits, int *point);

/* Finite v as the shortest text that reads back as v, in %g's form with 15 digits or as many
 * more as it needs: exactly what the first of "%.15g", "%.16g", "%.17g" that reads back
 * prints. buf holds at least 32 chars; returns the length. */
int numtext_shortest(double v, char *buf, size_t n);

#ifdef __cplusplus
}
#endif

#endif
