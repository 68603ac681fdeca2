/* Builtins of workloads (002): CES curvature K(rho), its effective value under distributed
 * friction, whether a workload distributes, the output Q* at which it does, and the curvature
 * of S_T. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"

/* Each row names its operation by an id; the functions below compare it. */
typedef enum {
  L_K,
  L_K_EFF,
  L_DISTRIBUTABLE,
  L_Q_STAR,
  L_S_T_CURVATURE,
} WorkloadOp;

/* ---- workloads ------------------------------------------------------------------------- */

static int workload_rho_K(Eval *ev, Decl *w, double *K, Span sp) {
  double rho, J;
  if (ev_field_num(ev, w, F_WORKLOAD_rho, &rho, sp, 1 | 2) < 0 ||
      ev_field_num(ev, w, F_WORKLOAD_J, &J, sp, 1) < 0)
    return -1;
  if (!(rho <= 1) || (isinf(rho) && rho > 0))
    return ev_fail(ev, EV_INPUT, ev_field_span(w, F_WORKLOAD_rho, sp),
                   "workload '%s': rho = %g is outside its domain (-inf, 1] (sigma = 1/(1 - rho))",
                   w->name, rho);
  if (!(J >= 1) || J != floor(J) || !isfinite(J))
    return ev_fail(ev, EV_INPUT, sp, "workload '%s': J = %g must be a whole number >= 1", w->name,
                   J);
  *K = ec_curvature(rho, J);
  return 0;
}

static int workload_T(Eval *ev, Decl *w, double *T_dist, double *T_star, Dim *dim, Span sp) {
  Value a, b;
  int ha = ev_field_get(ev, w, F_WORKLOAD_T_dist, &a, sp),
      hb = ha > 0 ? ev_field_get(ev, w, F_WORKLOAD_T_star, &b, sp) : 0;
  if (ha < 0 || hb < 0)
    return -1;
  if (!ha || !hb)
    return ev_fail(ev, EV_INPUT, sp, "workload '%s' needs 'T_dist' and 'T_star'", w->name);
  if (isnan(a.num) || isnan(b.num) || a.num < 0 || b.num < 0)
    return ev_fail(ev, EV_NUMERIC, sp,
                   "workload '%s': T_dist = %g and T_star = %g must be non-negative numbers",
                   w->name, a.num, b.num);
  *T_dist = a.num;
  *T_star = b.num;
  if (dim)
    *dim = a.dim;
  return 0;
}

typedef struct {
  Eval *ev;
  Decl *w;
  IrExpr *point;
  Span sp;
} QArgs;

static double friction_gap(double Q, void *ctx, int *failed) {
  QArgs *qa = ctx;
  qa->point->num = Q;
  double Td = 0, Ts = 0;
  if (workload_T(qa->ev, qa->w, &Td, &Ts, NULL, qa->sp)) {
    *failed = 1;
    return 0;
  }
  return Td - Ts;
}

static int workload_call(Eval *ev, const IrExpr *e, const Value *a, Value *out, WorkloadOp op) {
  const char *f = e->fn->name;
  Decl *w = a[0].decl;
  double K, Td, Ts;
  Dim tdim;
  if (op == L_K)
    return workload_rho_K(ev, w, &out->num, e->span) ? -1 : 1;
  if ((op == L_K_EFF) || (op == L_S_T_CURVATURE)) {
    if (workload_rho_K(ev, w, &K, e->span) || workload_T(ev, w, &Td, &Ts, &tdim, e->span))
      return -1;
    if (!dim_eq(a[1].dim, tdim)) {
      char u1[64], u2[64];
      dim_format(a[1].dim, u1, sizeof u1);
      dim_format(tdim, u2, sizeof u2);
      return ev_fail(ev, EV_INPUT, e->args[1]->span,
                     "unit mismatch: the friction is in %s but workload '%s' measures T in %s",
                     u1[0] ? u1 : "no unit", w->name, u2[0] ? u2 : "no unit");
    }
    if (op == L_K_EFF)
      out->num = ec_curvature_eff(K, a[1].num, Ts);
    else {
      if (!isfinite(K) || !(Ts > 0))
        return ev_fail(ev, EV_NUMERIC, e->span,
                       "workload '%s': S_T from curvature needs a finite K and T_star > 0 (K = %g, "
                       "T_star = %g); give training a finite rho",
                       w->name, K, Ts);
      out->num = K * (Td - a[1].num) / Ts;
    }
    if (isnan(out->num))
      return ev_fail(ev, EV_NUMERIC, e->span, "workload '%s': %s is not a number (K = %g)", w->name,
                     f, K);
    return 1;
  }
  if (op == L_DISTRIBUTABLE) {
    if (workload_T(ev, w, &Td, &Ts, NULL, e->span))
      return -1;
    out->num = Td < Ts;
    return 1;
  }
  /* Q_star: vary the workload's Q as a sweep would, and find where T_dist meets T_star */
  double Q0;
  if (ev_field_num(ev, w, F_WORKLOAD_Q, &Q0, e->span, 1) < 0)
    return -1;
  Field *fq = decl_field_id(w, F_WORKLOAD_Q);
  IrExpr point = {0};
  point.op = IR_NUM;
  point.type = T_NUM;
  point.dim = fq && fq->ir ? fq->ir->dim : DIM_NONE;
  Override o = {w, F_WORKLOAD_Q, "Q", &point, e->span};
  if (ev->nsweep >= 64)
    return ev_fail(ev, EV_INPUT, e->span, "sweeps and searches nest deeper than 64");
  ev->sweep[ev->nsweep++] = &o;
  QArgs qa = {ev, w, &point, e->span};
  ec_error err;
  ec_status st = ec_root_geometric(friction_gap, &qa, Q0, 1e300, &out->num, &err);
  ev->nsweep--;
  if (ev->status)
    return -1;
  if (st != EC_OK)
    return ev_core_fail(ev, e->span, st, "workload '%s': %s", w->name, err.msg);
  return 1;
}

BUILTIN_OP_FN(K, WorkloadOp, L_K, workload_call(ev, e, a, out, op))
BUILTIN_OP_FN(K_eff, WorkloadOp, L_K_EFF, workload_call(ev, e, a, out, op))
BUILTIN_OP_FN(distributable, WorkloadOp, L_DISTRIBUTABLE, workload_call(ev, e, a, out, op))
BUILTIN_OP_FN(Q_star, WorkloadOp, L_Q_STAR, workload_call(ev, e, a, out, op))
BUILTIN_OP_FN(S_T_curvature, WorkloadOp, L_S_T_CURVATURE, workload_call(ev, e, a, out, op))

static const Builtin workload_rows[] = {
    {"K",
     1,
     {T_WORKLOAD},
     "K(workload): CES curvature (1 - rho)(J - 1)/J",
     T_NUM,
     RD_NONE,
     K_fn,
     NULL},
    {"K_eff",
     2,
     {T_WORKLOAD, T_ERROR},
     "K_eff(workload, T): K (1 - T/T_star)^+ (eq. 1)",
     T_NUM,
     RD_NONE,
     K_eff_fn,
     NULL},
    {"distributable",
     1,
     {T_WORKLOAD},
     "distributable(workload): T_dist < T_star at the workload's Q",
     T_BOOL,
     RD_NONE,
     distributable_fn,
     NULL},
    {"Q_star",
     1,
     {T_WORKLOAD},
     "Q_star(workload): Q at which T_dist(Q) = T_star (Theorem 6; inf: never)",
     T_NUM,
     RD_WORKLOAD_Q,
     Q_star_fn,
     NULL},
    {"S_T_curvature",
     2,
     {T_WORKLOAD, T_ERROR},
     "S_T_curvature(workload, T_cent): K (T_dist - T_cent)/T_star (eq. 10)",
     T_NUM,
     RD_NONE,
     S_T_curvature_fn,
     NULL},
};
BUILTIN_FAMILY(builtins_workload, "workload", workload_rows);
