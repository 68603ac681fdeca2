/* Evaluation of the IR: reports, sweeps and the calls into the numeric core. */
#ifndef EDSL_EVAL_H
#define EDSL_EVAL_H

#include "ir.h"

typedef struct {
  Type type;
  Dim dim;
  double num;
  const char *str;
  int sym;
  Decl *decl;
  double *vec;
  int n;
} Value;

/* One named result: a scalar, or a table (sweeps, lists). */
typedef struct {
  const char *name;
  int is_table;
  Value v;
  int ncols, nrows;
  const char **cols;
  Dim *dims;
  double *cells; /* row-major */
} Result;

typedef struct {
  Result *items;
  int n, cap;
} Results;

typedef enum { EV_OK = 0, EV_INPUT = 1, EV_NUMERIC = 3 } EvalStatus;

typedef struct Eval Eval;
Eval *eval_new(const Program *p, Arena *ar, unsigned long seed);
/* Evaluates statements [from, p->nstmts) into res; on failure prints a located error to
 * diag and returns its status (no partial results are kept). */
EvalStatus eval_program(Eval *ev, int from, Results *res, Diag *diag);
/* Evaluates one expression in the global context (REPL :show). */
EvalStatus eval_one(Eval *ev, const IrExpr *e, Value *out, Diag *diag);
void results_free(Results *r);

#endif
