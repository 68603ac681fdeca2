/* Predictions: dated statements checked against observations (predict.c). */
#ifndef EDSL_PREDICT_H
#define EDSL_PREDICT_H

#include "eval.h"

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
