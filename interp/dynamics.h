/* `dynamics` blocks: the checker's part (check_dynamics.c) and the evaluator's
 * (dynamics_layer.c). */
#ifndef EDSL_DYNAMICS_H
#define EDSL_DYNAMICS_H

#include "eval.h"
#include "ir.h"

/* A path as a table: the variable's column, then one per series (malloc'd arrays). */
typedef struct {
  int ncols, nrows;
  const char **cols;
  Dim *dims;
  double *cells; /* row-major */
} DynTable;

struct Eval;
/* The path (a block's whole solution, or one series of it) at its evenly spaced points, and
 * the stop when it comes between two of them. */
int dyn_table(struct Eval *ev, const Value *path, Span sp, DynTable *out);
/* NAME.EVENT: the first value of the variable at which the event holds (inf, with a warning,
 * when it does not happen). Reached through Eval's member pointer. */
int dyn_event(struct Eval *ev, const IrExpr *e, Value *out);

#endif
