/* Running a program: its statements in order (program.c), on an evaluator of eval.h. */
#ifndef EDSL_PROGRAM_H
#define EDSL_PROGRAM_H

#include "eval.h"

/* Evaluates statements [from, p->nstmts) into res; on failure prints a located error to
 * diag and returns its status (no partial results are kept). */
EvalStatus eval_program(Eval *ev, int from, Results *res, Diag *diag);
/* Evaluates one expression in the global context (REPL :show). */
EvalStatus eval_one(Eval *ev, const IrExpr *e, Value *out, Diag *diag);
/* Prints the located error of a failed evaluation (ev's message) to diag. */
void eval_print_failure(Eval *ev, Diag *diag);
/* The merge of shards: computes the reports left deferred in res (eval_program with
 * defer_samples), reading the merged samples through opt.provided = res. */
EvalStatus eval_deferred(Eval *ev, Results *res, Diag *diag);

#endif
