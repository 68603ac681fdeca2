/* Plots: a plot statement's data as a result, drawn by gnuplot (plot.c). */
#ifndef EDSL_PLOT_H
#define EDSL_PLOT_H

#include <stddef.h>

#include "eval.h"

/* The data of plot statement s as a result: columns x, y[, y2, y3, y4], their legends. */
int eval_plot(Eval *ev, const Stmt *s, Result *out);
/* Draws a plot result with gnuplot into dir/FILE.svg and dir/FILE.png, each written
 * atomically; -1 with err set when gnuplot is missing or fails. */
int plot_render(const Result *r, const char *dir, char *err, size_t errlen);

#endif
