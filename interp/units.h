/* Physical dimensions of edsl quantities: exponents of money, data, time and count.
 * Values are stored in canonical units (USD, GB, year, units); unit names are constants. */
#ifndef EDSL_UNITS_H
#define EDSL_UNITS_H

#include <stddef.h>

enum { DIM_MONEY, DIM_DATA, DIM_TIME, DIM_COUNT, NDIM };

typedef struct {
  signed char e[NDIM];
} Dim;

typedef struct {
  const char *name;
  double scale; /* value of one of this unit in canonical units */
  Dim dim;
} Unit;

extern const Dim DIM_NONE;
const Unit *unit_lookup(const char *name);
int dim_eq(Dim a, Dim b);
int dim_is_none(Dim d);
Dim dim_mul(Dim a, Dim b);
Dim dim_div(Dim a, Dim b);
Dim dim_pow(Dim a, int k);
/* Exponents stay within +-DIM_EXP_MAX; past it dim_mul/div/pow give a poisoned Dim, which
 * dim_overflow tells (and which every later product keeps). */
#define DIM_EXP_MAX 64
int dim_overflow(Dim d);
Dim dim_time_inv(void);
Dim dim_time(void);
/* Canonical unit text such as "USD/GB", "1/year", "" for none. */
void dim_format(Dim d, char *buf, int len);

/* Whether name[0, len) is a unit's name (edsl fmt writes USD/GB tight). */
int unit_is_name(const char *name, size_t len);

#endif
