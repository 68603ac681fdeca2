/* latex blocks at run time: the style they give a named sweep's table, or a comparison of
 * scenarios evaluated (latex_block.c). */
#ifndef EDSL_LATEX_BLOCK_H
#define EDSL_LATEX_BLOCK_H

#include "eval.h"

/* The latex block of statement s: its style set on the sweep's result in res, or its
 * comparison pushed (for LaTeX) with each value as a result NAME.ROW.SCENARIO. */
int eval_latex(Eval *ev, const Stmt *s, Results *res);

#endif
