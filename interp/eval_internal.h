/* Internals shared by the evaluator (eval.c) and the pre-crossing layers (layers.c). */
#ifndef EDSL_EVAL_INTERNAL_H
#define EDSL_EVAL_INTERNAL_H

#include "core/edsl_core.h"
#include "eval.h"

/* Memo of learning-curve fits, held by value so that sweep workers each own a copy. */
enum { FIT_MEMO_SLOTS = 4, FIT_MEMO_MAX_OBS = 64 };
typedef struct {
  int used, n;
  double boot;
  unsigned long seed;
  double q[FIT_MEMO_MAX_OBS], c[FIT_MEMO_MAX_OBS];
  ec_fit fit;
} FitMemo;

struct Eval {
  const Program *p;
  Arena *ar;
  unsigned long seed;
  const Override *sweep[64];
  int nsweep;
  const Override *scn[256];
  int nscn;
  Span span;
  char msg[800];
  EvalStatus status;
  EvalOptions opt;
  double deadline;      /* CLOCK_MONOTONIC seconds, 0: none */
  const Decl *set_decl; /* the --set overrides, looked up once per evaluation */
  FitMemo fit_memo[FIT_MEMO_SLOTS];
  int fit_memo_next;
};

int eval(Eval *ev, const IrExpr *e, Value *out);
Value ev_num(double v, Dim d);
int ev_fail(Eval *ev, EvalStatus st, Span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A block field through the override stacks: 1 found, 0 unset, -1 failed. */
int ev_field_get(Eval *ev, Decl *d, const char *path, Value *out, Span sp);
int ev_field_num(Eval *ev, Decl *d, const char *path, double *out, Span sp, int required);
int ev_curve_alpha(Eval *ev, Decl *d, double *alpha, Span sp);
/* with_bootstrap 0: alpha and its OLS statistics only, whatever the curve's bootstrap. */
int ev_curve_fit(Eval *ev, Decl *d, ec_fit *fit, Span sp, int with_bootstrap);
Decl *ev_scenario_market(Eval *ev, Decl *scn, Span sp);
/* Pushes a scenario's overrides (its base's first); returns how many to pop from ev->nscn. */
int ev_push_scenario(Eval *ev, Decl *scn);
int ev_scenario_game(Eval *ev, Decl *scn, ec_game *g, double *x0, Span sp);

/* Builtins of the pre-crossing layers (layers.c); 1 handled, 0 not ours, -1 failed. */
int layers_call(Eval *ev, const IrExpr *e, const Value *a, Value *out);

#endif
