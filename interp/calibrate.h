/* `calibrate` blocks: the evaluator's part (calibrate_layer.c); check_calibrate.c checks them. */
#ifndef EDSL_CALIBRATE_H
#define EDSL_CALIBRATE_H

#include "eval.h"
#include "ir.h"

struct Eval;
/* NAME.UNKNOWN (the calibrated value) or NAME.TARGET (its residual, lhs - rhs, at the
 * solution): the calibration solved at this evaluation. */
int calib_member_value(struct Eval *ev, const IrExpr *e, Value *out);

#endif
