#include "units.h"

#include <stdio.h>
#include <string.h>

const Dim DIM_NONE = {{0, 0, 0, 0}};

#define D(m, d, t, c)                                                                              \
  {                                                                                                \
    { m, d, t, c }                                                                                 \
  }
static const Unit units[] = {
    {"USD", 1, D(1, 0, 0, 0)},
    {"GB", 1, D(0, 1, 0, 0)},
    {"TB", 1e3, D(0, 1, 0, 0)},
    {"PB", 1e6, D(0, 1, 0, 0)},
    {"EB", 1e9, D(0, 1, 0, 0)},
    {"year", 1, D(0, 0, 1, 0)},
    {"month", 1.0 / 12.0, D(0, 0, 1, 0)},
    {"day", 1.0 / 365.25, D(0, 0, 1, 0)},
    {"hour", 1.0 / (365.25 * 24.0), D(0, 0, 1, 0)},
    {"minute", 1.0 / (365.25 * 1440.0), D(0, 0, 1, 0)},
    {"second", 1.0 / (365.25 * 86400.0), D(0, 0, 1, 0)},
    {"ms", 1e-3 / (365.25 * 86400.0), D(0, 0, 1, 0)},
    {"units", 1, D(0, 0, 0, 1)},
};

const Unit *unit_lookup(const char *name) {
  for (size_t i = 0; i < sizeof units / sizeof *units; i++)
    if (strcmp(units[i].name, name) == 0)
      return &units[i];
  return NULL;
}

int dim_eq(Dim a, Dim b) {
  return memcmp(a.e, b.e, NDIM) == 0;
}
int dim_is_none(Dim d) {
  return dim_eq(d, DIM_NONE);
}

/* A unit exponent past DIM_EXP_MAX (USD^60 * USD^60 * USD^60) would wrap its signed char
 * into another unit: the result is poisoned instead, and the checker says so once. */
static const Dim DIM_POISON = {{-128, -128, -128, -128}};

int dim_overflow(Dim d) {
  return d.e[0] == -128;
}

static Dim dim_combine(Dim a, Dim b, int sb, int k) {
  if (dim_overflow(a) || dim_overflow(b))
    return DIM_POISON;
  Dim r;
  for (int i = 0; i < NDIM; i++) {
    int x = a.e[i] * k + sb * b.e[i];
    if (x > DIM_EXP_MAX || x < -DIM_EXP_MAX)
      return DIM_POISON;
    r.e[i] = (signed char)x;
  }
  return r;
}

Dim dim_mul(Dim a, Dim b) {
  return dim_combine(a, b, 1, 1);
}

Dim dim_div(Dim a, Dim b) {
  return dim_combine(a, b, -1, 1);
}

Dim dim_pow(Dim a, int k) {
  return dim_combine(a, DIM_NONE, 0, k);
}

Dim dim_time(void) {
  return (Dim)D(0, 0, 1, 0);
}
Dim dim_time_inv(void) {
  return (Dim)D(0, 0, -1, 0);
}

void dim_format(Dim d, char *buf, int len) {
  static const char *base[NDIM] = {"USD", "GB", "year", "units"};
  char num[128] = "", den[128] = "";
  int nn = 0, nd = 0;
  for (int i = 0; i < NDIM; i++) {
    int e = d.e[i];
    if (!e)
      continue;
    char *dst = e > 0 ? num : den;
    int *cnt = e > 0 ? &nn : &nd;
    int a = e > 0 ? e : -e;
    size_t l = strlen(dst);
    if (a == 1)
      snprintf(dst + l, 128 - l, "%s%s", *cnt ? "*" : "", base[i]);
    else
      snprintf(dst + l, 128 - l, "%s%s^%d", *cnt ? "*" : "", base[i], a);
    (*cnt)++;
  }
  if (!nn && !nd)
    snprintf(buf, len, "%s", "");
  else if (!nd)
    snprintf(buf, len, "%s", num);
  else
    snprintf(buf, len, nd > 1 ? "%s/(%s)" : "%s/%s", nn ? num : "1", den);
}

int unit_is_name(const char *name, size_t len) {
  char buf[64];
  if (len >= sizeof buf)
    return 0;
  memcpy(buf, name, len);
  buf[len] = '\0';
  return unit_lookup(buf) != NULL;
}
