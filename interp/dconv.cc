// The shortest decimal digits that read back as the same double, by Google's
// double-conversion (Debian libdouble-conversion): the one C++ file of edsl, a shim that
// report.c's number formatting calls through numtext.h.
#include <double-conversion/double-to-string.h>

#include "numtext.h"

extern "C" int edsl_shortest_digits(double v, char *digits, int *point) {
  bool sign = false;
  int length = 0;
  double_conversion::DoubleToStringConverter::DoubleToAscii(
      v, double_conversion::DoubleToStringConverter::SHORTEST, 0, digits,
      EDSL_SHORTEST_MAX + 1, &sign, &length, point);
  return length;
}
