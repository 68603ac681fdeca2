/* Uncertainty (uncertain.c): samples' designs, distributions and random streams. Its
 * summaries and distributions are the builtin family builtins_uncertain. */
#ifndef EDSL_UNCERTAIN_H
#define EDSL_UNCERTAIN_H

#include "eval_internal.h"

/* The points of a sample's design mapped through its inputs' distributions: rows x k values,
 * row-major, malloc'd into *X. */
int unc_design(Eval *ev, const Stmt *s, double **X, long *rows, long *nbase);
/* A random stream of its own for each named use: the run's seed mixed with the name. */
unsigned long ev_stream_seed(unsigned long seed, const char *name);
/* The distribution a T_DIST call describes, checked; ctx names its place for errors. */
int ev_dist(Eval *ev, const IrExpr *e, const char *ctx, ec_dist *d);

#endif
