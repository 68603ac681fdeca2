/* Block fields as the layers read them: through the override stacks (a sweep's or a sample's
 * point, then the innermost scenario, then --set, then the file), with a sweep worker's cache
 * of the fields no point reaches, its memos of those that vary, and its read plans. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "eval_internal.h"

/* A numeric field with a default (NAN: required); NaN values are errors. */
int ev_param_or(Eval *ev, Decl *d, FieldId id, double *v, double dflt, Span sp) {
  int r = ev_field_num(ev, d, id, v, sp, isnan(dflt));
  if (r < 0)
    return -1;
  if (r == 0)
    *v = dflt;
  if (isnan(*v))
    return ev_fail(ev, EV_NUMERIC, sp, "%s '%s': %s is not a number", type_name(decl_type(d->kind)),
                   d->name, field_spec_id(id)->path);
  return 0;
}

int ev_param(Eval *ev, Decl *d, FieldId id, double *v, Span sp) {
  return ev_param_or(ev, d, id, v, field_spec_id(id)->dflt, sp);
}

/* A whole number in the schema's [lo, hi]. */
int ev_count_or(Eval *ev, Decl *d, FieldId id, size_t *out, double dflt, Span sp) {
  const FieldSpec *fs = field_spec_id(id);
  double v = NAN; /* set by ev_param; initialized for the optimizer's flow analysis */
  if (isnan(fs->lo))
    return ev_fail(ev, EV_NUMERIC, sp, "internal error: %s is not a whole number", fs->path);
  if (ev_param_or(ev, d, id, &v, dflt, sp))
    return -1;
  if (!(v >= fs->lo && v <= fs->hi) || v != floor(v))
    return ev_fail(ev, EV_INPUT, sp, "%s '%s': %s = %g must be a whole number in [%g, %g]",
                   type_name(decl_type(d->kind)), d->name, fs->path, v, fs->lo, fs->hi);
  *out = (size_t)v;
  return 0;
}

int ev_count(Eval *ev, Decl *d, FieldId id, size_t *out, Span sp) {
  return ev_count_or(ev, d, id, out, field_spec_id(id)->dflt, sp);
}

/* A symbol field, or dflt when absent. */
int ev_sym(Eval *ev, Decl *d, FieldId id, int dflt, int *out, Span sp) {
  Value v;
  int r = ev_field_get(ev, d, id, &v, sp);
  if (r < 0)
    return -1;
  *out = r ? v.sym : dflt;
  return 0;
}

/* Logs that axis i had value v where the fields being computed read it (their memos' keys);
 * past the log's room, that they read more than it holds. */
static void dep_log(Eval *ev, int i, double v) {
  if (ev->ndep < FC_MAX_LOG) {
    ev->dep_axis[ev->ndep] = i;
    ev->dep_val[ev->ndep++] = v;
  } else
    ev->dep_full = 1;
}

/* A point's value read: what reads it varies, and a worker logs the axis for the memos of the
 * fields being computed. */
static void axis_read(Eval *ev, int i) {
  ev->taint++;
  if (ev->fc_base < 0)
    return;
  if (i < ev->fc_base && ev->sweep[i]->value->op == IR_NUM)
    dep_log(ev, i, ev->sweep[i]->value->num);
  else
    ev->dep_full = 1;
}

/* The value overriding d's field id (F_NONE: the parameter d itself): a sweep's or a
 * sample's point first, then the innermost scenario, then --set; NULL when none does.
 * *axis: the sweep override's index, else -1. */
const IrExpr *ev_override(Eval *ev, const Decl *d, FieldId id, int *axis) {
  *axis = -1;
  for (int i = ev->nsweep - 1; i >= 0; i--)
    if (ev->sweep[i]->target == d && ev->sweep[i]->id == id) {
      axis_read(ev, i);
      *axis = i;
      return ev->sweep[i]->value;
    }
  for (int i = ev->nscn - 1; i >= 0; i--)
    if (ev->scn[i]->target == d && ev->scn[i]->id == id)
      return ev->scn[i]->value; /* fixed while its scenario is active: the cache's key */
  const Decl *set = ev->set_decl;
  for (int i = set ? set->novr - 1 : -1; i >= 0; i--)
    if (set->ovr[i].target == d && set->ovr[i].id == id)
      return set->ovr[i].value;
  return NULL;
}

/* A field inside a sweep worker: computed once if no point's value reaches it (a sweep of
 * alpha need not evaluate the demand's or the continuation's expressions at every point). */
static int plain_value(const Value *v) {
  return v->type == T_NUM || v->type == T_BOOL || v->type == T_SYMBOL ||
         (v->decl && !v->vec && !v->str && !v->pf);
}

/* A varying field's memo, if the axes it read last time still have those values (else NULL);
 * its reads are logged again for the field that reads it. */
static const Value *memo_hit(Eval *ev, const FieldMemo *m) {
  if (!m->valid)
    return NULL;
  for (int j = 0; j < m->n; j++)
    if (ev->sweep[m->axis[j]]->value->num != m->val[j])
      return NULL;
  for (int j = 0; j < m->n; j++)
    dep_log(ev, m->axis[j], m->val[j]);
  ev->taint++;
  return &m->v;
}

/* Keeps a varying field's value with the axes read since log entry `from` (each once). */
static void memo_keep(Eval *ev, FieldMemo *m, int from, const Value *v) {
  m->valid = 0;
  if (ev->dep_full || !plain_value(v))
    return;
  int n = 0;
  for (int k = from; k < ev->ndep; k++) {
    int seen = 0;
    for (int j = 0; j < n; j++)
      seen |= m->axis[j] == ev->dep_axis[k];
    if (seen)
      continue;
    if (n == FC_MEMO_DEPS)
      return;
    m->axis[n] = ev->dep_axis[k];
    m->val[n++] = ev->dep_val[k];
  }
  m->n = n;
  m->v = *v;
  m->valid = 1;
}

/* Whether the worker's cache holds for the scenario overrides now active: a different set
 * empties it first. */
static int cache_usable(Eval *ev) {
  if (ev->fc_base < 0 || ev->nsweep != ev->fc_base)
    return 0;
  unsigned long key = 0;
  for (int i = 0; i < ev->nscn; i++) /* a scenario has a few overrides: cheap */
    key = (key ^ (unsigned long)(uintptr_t)ev->scn[i]) * 1099511628211UL + 1;
  if (key != ev->fc_key) {
    memset(ev->fc_state, FC_UNKNOWN, (size_t)ev->fc_n);
    ev->fc_key = key;
    ev->fc_gen++;
  }
  return 1;
}

/* What a memo slot holds, computed: a field's expression, or a value a layer derives from
 * fields (ev_slot_value). */
typedef int (*SlotCompute)(Eval *ev, void *ctx, Value *out);

/* A slot's value kept for now (its cache's, or its memo's for these axis values), or NULL. */
static inline const Value *slot_hit(Eval *ev, int slot) {
  unsigned char st = ev->fc_state[slot];
  return st == FC_CACHED   ? &ev->fc_val[slot]
         : st == FC_VARIES ? memo_hit(ev, &ev->fc_memo[slot])
                           : NULL;
}

/* A slot's value computed (none kept), and what it says about the slot's next reads. */
static int slot_compute(Eval *ev, int slot, SlotCompute compute, void *ctx, Value *out) {
  unsigned char *st = &ev->fc_state[slot];
  unsigned long t0 = ev->taint, gen = ev->fc_gen;
  int from = ev->ndep, full = ev->dep_full;
  ev->dep_full = 0;
  if (compute(ev, ctx, out))
    return -1;
  if (ev->fc_gen != gen || !cache_usable(ev)) { /* computed across a change of scenario */
    ev->dep_full |= full;
    ev->taint++;
    return 1;
  }
  if (*st == FC_UNKNOWN) {
    if (ev->taint != t0)
      *st = FC_VARIES;
    else if (plain_value(out)) {
      *st = FC_CACHED;
      ev->fc_val[slot] = *out;
    } else
      *st = FC_INVARIANT;
  }
  if (*st == FC_VARIES) {
    memo_keep(ev, &ev->fc_memo[slot], from, out);
    ev->taint++; /* (read again: what reads it varies too) */
  }
  ev->dep_full |= full;
  return 1;
}

static inline int cached_slot(Eval *ev, int slot, SlotCompute compute, void *ctx, Value *out) {
  const Value *hit = slot_hit(ev, slot);
  if (!hit)
    return slot_compute(ev, slot, compute, ctx, out);
  *out = *hit;
  return 1;
}

static int compute_field(Eval *ev, void *f, Value *out) {
  return eval(ev, ((const Field *)f)->ir, out);
}

int ev_slot_value(Eval *ev, int slot, int (*compute)(Eval *ev, void *ctx, Value *out), void *ctx,
                  Value *out) {
  if (slot >= 0 && slot < ev->fc_n && cache_usable(ev))
    return cached_slot(ev, slot, compute, ctx, out) < 0 ? -1 : 0;
  return compute(ev, ctx, out);
}

/* d's field id (f: its Field, or NULL where d does not set it) through the overrides: 1 with
 * the value, 0 when it is not set, -1 on failure. In a worker whose cache holds, a field a
 * sweep axis overrides is bound to that axis (FC_AXIS): its next reads skip the search. */
static int field_value(Eval *ev, Decl *d, FieldId id, int cache, Field *f, Value *out) {
  int axis;
  const IrExpr *expr = ev_override(ev, d, id, &axis);
  if (!expr) {
    if (!f || !f->ir)
      return 0;
    if (cache && f->slot < ev->fc_n)
      return cached_slot(ev, f->slot, compute_field, f, out);
    expr = f->ir;
  } else if (axis >= 0 && axis < ev->fc_base && expr->op == IR_NUM && cache && f &&
             f->slot < ev->fc_n) {
    ev->fc_state[f->slot] = FC_AXIS;
    ev->fc_memo[f->slot].axis[0] = axis;
    ev->fc_val[f->slot] = (Value){.type = expr->type, .dim = expr->dim};
  }
  return eval(ev, expr, out) == 0 ? 1 : -1;
}

/* A layer asked a block of another kind for a field: edsl's bug, reported as one. */
static int wrong_kind(Eval *ev, Decl *d, FieldId id, Span sp) {
  return ev_fail(ev, EV_NUMERIC, sp, "internal error: %s '%s' has no field %s",
                 decl_kind_name(d->kind), d->name, field_spec_id(id)->path);
}

/* A sweep worker's cached value of d's field id (its memo's, or its axis's value now), or
 * NULL; *cache says whether the cache holds now and *f is the field (NULL: d does not set
 * it). No override reaches a cached field (it would not have been cached). */
static inline __attribute__((always_inline)) const Value *
cached_value(Eval *ev, Decl *d, FieldId id, int *cache, Field **f) {
  *f = decl_field_id(d, id);
  *cache = cache_usable(ev);
  if (!*cache || !*f || (*f)->slot >= ev->fc_n)
    return NULL;
  int slot = (*f)->slot, i;
  if (ev->fc_state[slot] != FC_AXIS) /* (a memo's value came from its expression: nothing
                                      * overrides it) */
    return slot_hit(ev, slot);
  i = ev->fc_memo[slot].axis[0];
  axis_read(ev, i);
  ev->fc_val[slot].num = ev->sweep[i]->value->num;
  return &ev->fc_val[slot];
}

int ev_field_get(Eval *ev, Decl *d, FieldId id, Value *out, Span sp) {
  if (field_spec_id(id)->kind != d->kind)
    return wrong_kind(ev, d, id, sp);
  Field *f;
  int cache;
  const Value *c = cached_value(ev, d, id, &cache, &f);
  if (c) {
    *out = *c;
    return 1;
  }
  return field_value(ev, d, id, cache, f, out);
}

int ev_field_flag(Eval *ev, Decl *d, FieldId id, Span sp) {
  Value v;
  int r = ev_field_get(ev, d, id, &v, sp);
  return r < 0 ? -1 : r == 1 && v.num != 0;
}

const char *ev_field_text(Eval *ev, Decl *d, FieldId id, Span sp, const char *fallback) {
  Value v;
  if (ev_field_get(ev, d, id, &v, sp) != 1 || v.type != T_STR)
    return fallback;
  return v.str;
}

int ev_field_num(Eval *ev, Decl *d, FieldId id, double *out, Span sp, int required) {
  Field *f;
  int cache;
  const Value *c = cached_value(ev, d, id, &cache, &f);
  if (c && c->type == T_NUM && !isnan(c->num) && ((required & 2) || isfinite(c->num))) {
    *out = c->num; /* a sweep worker's invariant number, read a dozen times a point */
    return 1;
  }
  if (field_spec_id(id)->kind != d->kind)
    return wrong_kind(ev, d, id, sp);
  Value v;
  int r = field_value(ev, d, id, cache, f, &v);
  if (r < 0)
    return -1;
  if (r == 0) {
    if (required & 1)
      return ev_fail(ev, EV_INPUT, sp, "%s '%s' has no value for '%s'",
                     type_name(decl_type(d->kind)), d->name, field_spec_id(id)->path);
    return 0;
  }
  if (isnan(v.num) || (!(required & 2) && !isfinite(v.num)))
    return ev_fail(ev, EV_INPUT, sp, "'%s.%s' = %g is not a finite number", d->name,
                   field_spec_id(id)->path, v.num);
  *out = v.num;
  return 1;
}

/* ---- read plans ------------------------------------------------------------------------- */

/* How one read of a plan is done again while the worker's cache holds: each is what the full
 * lookup found the first time, and stays so until the cache's key changes (fc_gen). */
enum { PLAN_LOOKUP, PLAN_CONST, PLAN_AXIS, PLAN_MEMO, PLAN_UNSET };

typedef struct EvPlan {
  const EvRead *reads; /* the call site's list: another list in the slot is another plan */
  unsigned long gen;
  int nlive; /* the reads that are not constants, in order */
  unsigned char live[EV_PLAN_MAX];
  double num[EV_PLAN_MAX]; /* the constants' values (and 0 elsewhere) */
  int has[EV_PLAN_MAX];    /* the constants' and the unset reads' results */
  struct {
    unsigned char how;
    int idx; /* PLAN_AXIS: the axis; PLAN_MEMO: the field's slot */
  } e[EV_PLAN_MAX];
} EvPlan;

/* What read k found (has: its result) says about the next ones, from its field's state. */
static void plan_entry(Eval *ev, EvPlan *pl, int k, Decl *d, FieldId id, int has, double v) {
  Field *f = decl_field_id(d, id);
  int how = PLAN_LOOKUP;
  if (!f)
    how = has ? PLAN_LOOKUP : PLAN_UNSET; /* no field and no override: none appears */
  else if (has && f->slot < ev->fc_n)
    switch (ev->fc_state[f->slot]) {
    case FC_CACHED:
      how = ev->fc_val[f->slot].type == T_NUM ? PLAN_CONST : PLAN_LOOKUP;
      break;
    case FC_AXIS:
      how = PLAN_AXIS;
      pl->e[k].idx = ev->fc_memo[f->slot].axis[0];
      break;
    case FC_VARIES:
      how = PLAN_MEMO;
      pl->e[k].idx = f->slot;
      break;
    }
  pl->e[k].how = (unsigned char)how;
  pl->num[k] = how == PLAN_CONST ? v : 0;
  pl->has[k] = how == PLAN_CONST;
  if (how != PLAN_CONST && how != PLAN_UNSET)
    pl->live[pl->nlive++] = (unsigned char)k;
}

static int num_ok(double v, int required) {
  return isfinite(v) || ((required & 2) && !isnan(v));
}

/* One read by the plan: 1 or 0 as ev_field_num; anything it cannot vouch for (an axis's value
 * that is not finite, a memo that missed) takes the full lookup, which also reports it. */
static int plan_read(Eval *ev, const EvPlan *pl, int k, Decl *d, const EvRead *r, double *out,
                     Span sp) {
  const Value *hit;
  double v;
  switch (pl->e[k].how) {
  case PLAN_AXIS:
    v = ev->sweep[pl->e[k].idx]->value->num;
    if (!num_ok(v, r->required))
      break;
    axis_read(ev, pl->e[k].idx);
    *out = v;
    return 1;
  case PLAN_MEMO:
    hit = memo_hit(ev, &ev->fc_memo[pl->e[k].idx]);
    if (!hit || hit->type != T_NUM || !num_ok(hit->num, r->required))
      break;
    *out = hit->num;
    return 1;
  }
  return ev_field_num(ev, d, r->id, out, sp, r->required);
}

int ev_field_nums(Eval *ev, Decl *d, int slot, const EvRead *reads, int n, double *out, int *has,
                  Span sp) {
  int cache = slot >= 0 && slot < ev->fc_n && n <= EV_PLAN_MAX && cache_usable(ev);
  EvPlan *pl = cache ? ev->fc_plan[slot] : NULL;
  if (pl && pl->reads == reads && pl->gen == ev->fc_gen) {
    for (int k = 0; k < n; k++)
      if ((has[k] = pl->has[k]))
        out[k] = pl->num[k];
    for (int j = 0; j < pl->nlive; j++) {
      int k = pl->live[j];
      if ((has[k] = plan_read(ev, pl, k, d, &reads[k], &out[k], sp)) < 0)
        return -1;
    }
    return 0;
  }
  unsigned long gen = ev->fc_gen;
  for (int k = 0; k < n; k++)
    if ((has[k] = ev_field_num(ev, d, reads[k].id, &out[k], sp, reads[k].required)) < 0)
      return -1;
  if (!cache || ev->fc_gen != gen || !cache_usable(ev))
    return 0; /* (the cache was emptied while reading: the next call plans) */
  if (!pl && !(pl = ev->fc_plan[slot] = malloc(sizeof *pl)))
    return 0;
  pl->reads = reads;
  pl->gen = gen;
  pl->nlive = 0;
  for (int k = 0; k < n; k++)
    plan_entry(ev, pl, k, d, reads[k].id, has[k], out[k]);
  return 0;
}
