/* The shortest text of a double in printf's %g form. Why not printf: "%.15g" then "%.16g"
 * then "%.17g", each read back by strtod, is exact but slow (multi-precision arithmetic for
 * every digit; most of a streamed sweep's time went to it); double-conversion's shortest
 * digits are the same digits (a representation with at most P digits that reads back is the
 * closest P-digit one, which is what %.Pg prints), and P = max(15, digits) decides the form as
 * %.Pg would: exponent form when the exponent is below -4 or at least P. Subnormal numbers,
 * whose few bits allow a closer P-digit text than the shortest one padded, take printf's way. */
#include "numtext.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int numtext_shortest(double v, char *buf, size_t n) {
  if (v != 0 && fabs(v) < DBL_MIN) {
    int len = 0;
    for (int p = 15; p <= 17; p++) {
      len = snprintf(buf, n, "%.*g", p, v);
      if (strtod(buf, NULL) == v)
        break;
    }
    return len;
  }
  char d[EDSL_SHORTEST_MAX + 2], out[40];
  int point, len = edsl_shortest_digits(v, d, &point), at = 0;
  if (v < 0 || (v == 0 && 1 / v < 0))
    out[at++] = '-';
  if (v == 0) {
    out[at++] = '0';
  } else {
    int X = point - 1, P = len > 15 ? len : 15;
    if (X < -4 || X >= P) { /* d.ddde+XX */
      out[at++] = d[0];
      if (len > 1) {
        out[at++] = '.';
        memcpy(out + at, d + 1, (size_t)(len - 1));
        at += len - 1;
      }
      out[at++] = 'e';
      out[at++] = X < 0 ? '-' : '+';
      int e = X < 0 ? -X : X;
      if (e >= 100)
        out[at++] = (char)('0' + e / 100);
      out[at++] = (char)('0' + e / 10 % 10);
      out[at++] = (char)('0' + e % 10);
    } else if (point <= 0) { /* 0.000ddd */
      out[at++] = '0';
      out[at++] = '.';
      for (int i = 0; i < -point; i++)
        out[at++] = '0';
      memcpy(out + at, d, (size_t)len);
      at += len;
    } else if (point >= len) { /* ddd000 */
      memcpy(out + at, d, (size_t)len);
      at += len;
      for (int i = len; i < point; i++)
        out[at++] = '0';
    } else { /* dd.ddd */
      memcpy(out + at, d, (size_t)point);
      at += point;
      out[at++] = '.';
      memcpy(out + at, d + point, (size_t)(len - point));
      at += len - point;
    }
  }
  out[at] = 0;
  if ((size_t)at >= n)
    at = (int)n - 1;
  memcpy(buf, out, (size_t)at);
  buf[at] = 0;
  return at;
}
