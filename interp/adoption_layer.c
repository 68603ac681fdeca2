/* Builtins of the adoption layer (001 §8, 004 eqs. 67-68): R0 and its parity, the crossing
 * dates of hardware and of R0, the adoption share along the equilibrium path, and R0 implied
 * by an observed share path. The scenario's adoption block is read by scenario.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "unit_rules.h"

/* Each row names its operation by an id; the functions below compare it. */
typedef enum {
  L_R0_PARITY,
  L_R0_AT,
  L_R0_E0,
  L_R0_EMAX,
  L_QBAR,
  L_QBAR_STAR,
  L_T_HARDWARE,
  L_T_R0,
  L_LAG,
  L_SHARE,
  L_KAPPA_AT,
} AdoptionOp;

static int adoption_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, AdoptionOp op) {
  ec_adoption m;
  ec_path p;
  double horizon;
  if (ev_scenario_adoption(ev, a[0].decl, &m, &p, &horizon, e->span))
    return -1;
  const char *f = e->fn->name;
  ec_error err;
  ec_status st = EC_OK;
  if (op == L_R0_PARITY)
    out->num = ec_adoption_R0(&m, m.c_star, m.kappa);
  else if (op == L_QBAR)
    out->num = m.Qbar;
  else if (op == L_QBAR_STAR)
    out->num = ec_adoption_Qbar_star(&m, m.kappa);
  else if ((op == L_R0_E0) || (op == L_R0_EMAX)) {
    if (m.law != EC_KAPPA_ECOSYSTEM)
      return ev_fail(ev, EV_INPUT, e->span,
                     "'%s' needs an ecosystem { E0; E_max; eta_E; gamma_E } "
                     "block in the scenario's adoption",
                     f);
    double k = (op == L_R0_E0) ? m.kappa : ec_adoption_kappa_of_E(&m, m.E_max);
    out->num = ec_adoption_R0(&m, m.c_star, k);
  } else if ((op == L_SHARE) || (op == L_KAPPA_AT) || (op == L_R0_AT)) {
    double s, k, Q;
    st = ec_adoption_share(&m, &p, a[1].num, &s, &k, &err);
    if (st == EC_OK && (op == L_R0_AT))
      st = ec_path_Q(&p, a[1].num, &Q, &err);
    if (st == EC_OK)
      out->num = (op == L_SHARE)      ? s
                 : (op == L_KAPPA_AT) ? k
                                      : ec_adoption_R0(&m, ec_adoption_cost(&m, Q), k);
  } else {
    ec_crossings c;
    st = ec_adoption_crossings(&m, &p, horizon, &c, &err);
    if (st == EC_OK)
      out->num = (op == L_T_HARDWARE) ? c.T_hardware : (op == L_T_R0) ? c.T_R0 : c.lag;
  }
  if (st != EC_OK)
    return ev_block_fail(ev, e->span, a[0].decl, st, &err);
  return 1;
}

static int implied_R0_call(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  const Value *t = &a[0], *s = &a[1];
  if (t->n != s->n)
    return ev_fail(ev, EV_INPUT, e->span, "implied_R0: %d dates but %d shares", t->n, s->n);
  double *r = arena_alloc(ev->ar, (size_t)(t->n + 1) * sizeof *r);
  ec_error err;
  ec_status st = ec_implied_R0(t->vec, s->vec, (size_t)t->n, a[2].num, r, &err);
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "implied_R0: %s", err.msg);
  out->type = T_VEC;
  out->vec = r;
  out->n = t->n - 1;
  return 1;
}

static int implied_R0_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  return implied_R0_call(ev, e, a, out) < 0 ? -1 : 0;
}

BUILTIN_OP_FN(R0_parity, AdoptionOp, L_R0_PARITY, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(R0_at, AdoptionOp, L_R0_AT, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(R0_E0, AdoptionOp, L_R0_E0, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(R0_Emax, AdoptionOp, L_R0_EMAX, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(Qbar, AdoptionOp, L_QBAR, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(Qbar_star, AdoptionOp, L_QBAR_STAR, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(T_hardware, AdoptionOp, L_T_HARDWARE, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(T_R0, AdoptionOp, L_T_R0, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(lag, AdoptionOp, L_LAG, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(share, AdoptionOp, L_SHARE, adoption_call(ev, e, a, out, op))
BUILTIN_OP_FN(kappa_at, AdoptionOp, L_KAPPA_AT, adoption_call(ev, e, a, out, op))

/* implied_R0(dates, shares, delta): dates in time, shares plain, delta a rate */
static int check_implied_R0(IrExpr *e, char *msg, size_t len, int *arg) {
  (void)arg;
  char b1[64], b2[64], b3[64];
  if (dim_eq(e->args[0]->dim, dim_time()) && dim_is_none(e->args[1]->dim) &&
      dim_eq(e->args[2]->dim, dim_time_inv()))
    return 0;
  snprintf(msg, len,
           "implied_R0(dates, shares, delta) needs dates in time, shares with no unit and a rate "
           "delta; got %s, %s and %s",
           builtin_unit_text(e->args[0]->dim, b1), builtin_unit_text(e->args[1]->dim, b2),
           builtin_unit_text(e->args[2]->dim, b3));
  return -1;
}

static const Builtin adoption_rows[] = {
    {"R0_parity",
     1,
     {T_SCENARIO},
     "R0_parity(scenario): R0 at cost parity, lambda gamma/(kappa+mu) (eq. 19)",
     T_NUM,
     RD_NONE,
     R0_parity_fn,
     NULL},
    {"R0_at",
     2,
     {T_SCENARIO, T_ERROR},
     "R0_at(scenario, t): R0 along the equilibrium path at time t",
     T_NUM,
     RD_NONE,
     R0_at_fn,
     builtin_check_date1},
    {"R0_E0",
     1,
     {T_SCENARIO},
     "R0_E0(scenario): R0 at parity with kappa(E0)",
     T_NUM,
     RD_NONE,
     R0_E0_fn,
     NULL},
    {"R0_Emax",
     1,
     {T_SCENARIO},
     "R0_Emax(scenario): R0 at parity with kappa(E_max) (eq. 71)",
     T_NUM,
     RD_NONE,
     R0_Emax_fn,
     NULL},
    {"Qbar",
     1,
     {T_SCENARIO},
     "Qbar(scenario): cumulative output at cost parity, Q_now + x0",
     T_NUM,
     RD_NONE,
     Qbar_fn,
     NULL},
    {"Qbar_star",
     1,
     {T_SCENARIO},
     "Qbar_star(scenario): self-sustaining threshold Qbar* (eq. 23)",
     T_NUM,
     RD_NONE,
     Qbar_star_fn,
     NULL},
    {"T_hardware",
     1,
     {T_SCENARIO},
     "T_hardware(scenario): date of cost parity on the Nash path",
     T_NUM,
     RD_TIME,
     T_hardware_fn,
     NULL},
    {"T_R0",
     1,
     {T_SCENARIO},
     "T_R0(scenario): first date with R0 >= 1 on the Nash path",
     T_NUM,
     RD_TIME,
     T_R0_fn,
     NULL},
    {"lag",
     1,
     {T_SCENARIO},
     "lag(scenario): coordination lag T_R0 - T_hardware",
     T_NUM,
     RD_TIME,
     lag_fn,
     NULL},
    {"share",
     2,
     {T_SCENARIO, T_ERROR},
     "share(scenario, t): distributed share s(t) from eq. 15",
     T_NUM,
     RD_NONE,
     share_fn,
     builtin_check_date1},
    {"kappa_at",
     2,
     {T_SCENARIO, T_ERROR},
     "kappa_at(scenario, t): coordination friction at time t",
     T_NUM,
     RD_RATE,
     kappa_at_fn,
     builtin_check_date1},
    {"implied_R0",
     3,
     {T_VEC, T_VEC, T_ERROR},
     "implied_R0(dates, shares, delta): 003 eq. 17 by forward differences",
     T_VEC,
     RD_NONE,
     implied_R0_builtin,
     check_implied_R0},
};
BUILTIN_FAMILY(builtins_adoption, "adoption", adoption_rows);
