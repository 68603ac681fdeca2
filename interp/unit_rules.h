/* Unit rules that several families' rows share, as their BuiltinCheck (ir.h). */
#ifndef EDSL_UNIT_RULES_H
#define EDSL_UNIT_RULES_H

#include <stddef.h>

#include "ir.h"

/* The second argument is a date along a path (a time);
 * argument 1, 2, or both are plain numbers. */
int builtin_check_date1(IrExpr *e, char *msg, size_t len, int *arg);
int builtin_check_plain0(IrExpr *e, char *msg, size_t len, int *arg);
int builtin_check_plain1(IrExpr *e, char *msg, size_t len, int *arg);
int builtin_check_plain01(IrExpr *e, char *msg, size_t len, int *arg);
/* A unit as messages show it: "year", "USD/GB", or "no unit". */
const char *builtin_unit_text(Dim d, char *buf);

#endif
