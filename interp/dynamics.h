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
/* A built-in's result as a path (game_path, crossing_path, adoption_path): its series at any
 * x from `from` to `to`, computed there by the model's own solution (no interpolation). */
enum { PATH_POINTS = 101 }; /* the points of its table and plot */
typedef struct PathFn {
  const char *name; /* the builtin's */
  const PathShape *shape;
  double from, to;
  /* the series at x into out; k >= 0: only out[k] is needed, -1: every one */
  int (*at)(struct Eval *ev, const struct PathFn *p, double x, int k, double *out, Span sp);
  const void *ctx;
} PathFn;

/* The path (a block's whole solution, or one series of it) at its evenly spaced points, and
 * the stop when it comes between two of them. */
int dyn_table(struct Eval *ev, const Value *path, Span sp, DynTable *out);
/* NAME.EVENT: the first value of the variable at which the event holds (inf, with a warning,
 * when it does not happen). Reached through Eval's member pointer. */
int dyn_event(struct Eval *ev, const IrExpr *e, Value *out);
/* A path's own points (a dynamics block's `points`, a built-in's PATH_POINTS) into *x (arena). */
int path_grid(struct Eval *ev, const Value *path, Span sp, double **x, int *n);
/* One series of the path at the rising points x[0..n) (within its range) into y. */
int path_series_at(struct Eval *ev, const Value *path, const double *x, int n, double *y, Span sp);
/* The unit of a path's variable, from the checked expression that gives the path. */
Dim path_var_dim(const IrExpr *p);
/* ... and from the path itself. */
Dim path_var_dim_value(const Value *path);

#endif
