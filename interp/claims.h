/* Claims: printed numbers checked against edsl, and their printed form. */
#ifndef EDSL_CLAIMS_H
#define EDSL_CLAIMS_H

#include <stdio.h>

#include "eval.h"

/* Checks the claim of statement s and appends its verdict to res; -1 with ev's status set
 * when its value fails without a reason, or when the verdict contradicts its reason. */
int eval_claim(Eval *ev, const Stmt *s, Results *res);
const char *claim_verdict_name(ClaimVerdict v);
/* What the verdict means, a sentence for the reproduction report's header. */
const char *claim_verdict_meaning(ClaimVerdict v);
/* x[0..n) as "0.79" or "[0.22, 0.28]" with the unit; x NULL prints "-". */
void claim_format_values(char *buf, size_t cap, const double *x, int n, int is_list, Dim dim);
void claim_format_tolerance(char *buf, size_t cap, const ClaimResult *c);
/* The three printed columns of a claim: paper, edsl and tolerance. */
typedef struct {
  char paper[256], value[256], tolerance[96]; /* a number, a space and a unit of up to 63 */
} ClaimText;
void claim_text(const ClaimResult *c, ClaimText *t);

#endif
