/* Unit rules several builtin families share (unit_rules.h). */
#include "unit_rules.h"

#include <stdio.h>
#include <string.h>

const char *builtin_unit_text(Dim d, char *buf) {
  dim_format(d, buf, 64);
  if (!buf[0])
    strcpy(buf, "no unit");
  return buf;
}

int builtin_check_date1(IrExpr *e, char *msg, size_t len, int *arg) {
  char b[64];
  if (dim_eq(e->args[1]->dim, dim_time()))
    return 0;
  *arg = 1;
  snprintf(msg, len,
           "unit mismatch: the second argument of '%s' is a time since the start (years), got %s",
           e->fn->name, builtin_unit_text(e->args[1]->dim, b));
  return -1;
}

static int plain(IrExpr *e, int k, char *msg, size_t len, int *arg) {
  char b[64];
  if (dim_is_none(e->args[k]->dim))
    return 0;
  *arg = k;
  snprintf(msg, len, "argument %d of '%s' is a plain number, got %s (%s)", k + 1, e->fn->name,
           builtin_unit_text(e->args[k]->dim, b), e->fn->help);
  return -1;
}

int builtin_check_plain0(IrExpr *e, char *msg, size_t len, int *arg) {
  return plain(e, 0, msg, len, arg);
}

int builtin_check_plain1(IrExpr *e, char *msg, size_t len, int *arg) {
  return plain(e, 1, msg, len, arg);
}

int builtin_check_plain01(IrExpr *e, char *msg, size_t len, int *arg) {
  return plain(e, 0, msg, len, arg) || plain(e, 1, msg, len, arg) ? -1 : 0;
}
