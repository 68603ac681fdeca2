/* Claims (printed numbers checked against edsl) and predictions (checked against data). */
#ifndef EDSL_CLAIMS_H
#define EDSL_CLAIMS_H

#include <stdio.h>

#include "eval.h"

/* Checks the claim of statement s and appends its verdict to res; -1 with ev's status set
 * when its value fails without a reason, or when the verdict contradicts its reason. */
int eval_claim(Eval *ev, const Stmt *s, Results *res);
void claim_free(ClaimResult *c);
const char *claim_verdict_name(ClaimVerdict v);
/* x[0..n) as "0.79" or "[0.22, 0.28]" with the unit; x NULL prints "-". */
void claim_format_values(char *buf, size_t cap, const double *x, int n, int is_list, Dim dim);
void claim_format_tolerance(char *buf, size_t cap, const ClaimResult *c);
/* The three printed columns of a claim: paper, edsl and tolerance. */
typedef struct {
  char paper[256], value[256], tolerance[96]; /* a number, a space and a unit of up to 63 */
} ClaimText;
void claim_text(const ClaimResult *c, ClaimText *t);

/* ---- plots (plot.c) ---- */
/* The data of plot statement s as a result: columns x, y[, y2, y3, y4], their legends. */
int eval_plot(Eval *ev, const Stmt *s, Result *out);
/* Draws a plot result with gnuplot into dir/FILE.svg and dir/FILE.png, each written
 * atomically; -1 with err set when gnuplot is missing or fails. */
int plot_render(const Result *r, const char *dir, char *err, size_t errlen);

/* ---- predictions (predict.c) ---- */
typedef enum { PRED_OPEN, PRED_CONFIRMED, PRED_REFUTED } PredictionStatus;

typedef struct {
  const char *name, *id, *source, *statement, *quantity;
  PredictionStatus status;
  double date;   /* of the verdict: the deciding observation, the window's end, or as-of */
  char why[512]; /* the observation or rule that decided it */
  int nobs;      /* observations of its quantities that were read */
} PredictionResult;

/* One observation of a data table: a date (years), a quantity's name and a plain value. */
typedef struct {
  double date;
  const char *quantity;
  double value;
  const char *source;
} Observation;

/* Evaluates every prediction of the program against obs[0..nobs) as of date as_of. */
int eval_predictions(Eval *ev, const Observation *obs, int nobs, double as_of,
                     PredictionResult **out, int *nout);

#endif
