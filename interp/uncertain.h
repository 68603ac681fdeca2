/* Uncertainty (uncertain.c): samples' designs, distributions and random streams. Its
 * summaries and distributions are the builtin family builtins_uncertain. */
#ifndef EDSL_UNCERTAIN_H
#define EDSL_UNCERTAIN_H

#include "eval_internal.h"

/* The points of a sample's design mapped through its inputs' distributions: rows x k values,
 * row-major in X, of which rows [0, ready) are made. Independent draws (montecarlo, no
 * correlation) are made as the rows are needed, each chunk while the one before is
 * evaluated; every other design is made whole. */
typedef struct {
  double *X;
  long rows, ready, nbase;
  int k;
  ec_mc_stream *mc; /* independent draws: the stream the rows still to be made come from */
  ec_dist *d;       /* per input */
} UncDesign;
int unc_design(Eval *ev, const Stmt *s, UncDesign *D);
/* Makes rows [ready, upto) of D. */
void unc_design_fill(UncDesign *D, long upto);
void unc_design_free(UncDesign *D);
/* A random stream of its own for each named use: the run's seed mixed with the name. */
unsigned long ev_stream_seed(unsigned long seed, const char *name);
/* The distribution a T_DIST call describes, checked; ctx names its place for errors. */
int ev_dist(Eval *ev, const IrExpr *e, const char *ctx, ec_dist *d);

#endif
