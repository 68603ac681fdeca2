/* The checker of `dynamics` blocks: an ODE system written by the user.
 *
 *   dynamics bass {
 *     until = 10 year
 *     state { s = 0 }                          # initial values
 *     rate { s = (p + q * s) * (1 - s) }       # ds/dt, in the state's unit per the variable's
 *     event { half = s >= 0.5 }               # the first t at which it holds: bass.half
 *     stop = s >= 0.99                         # ends the integration
 *   }
 *
 * Rates, events and stop are lowered with the variable and the states as a frame (IR_PARAM
 * 0 and 1..n, as a user function's parameters are), so evaluating them allocates nothing.
 * Units: a rate's unit is its state's over the variable's. */
#include <stdio.h>
#include <string.h>

#include "checker.h"
#include "units.h"

enum { MAX_STATES = 1000 };

int dyn_part(const char *path) {
  return in_group(path, "state") || in_group(path, "rate") || in_group(path, "event") ||
         !strcmp(path, "stop");
}

/* A name the frame would hide inside the block's expressions (as for a function's
 * parameters), or one used twice. */
static int bad_name(Compiler *c, const Dynamics *y, const char *name, Span sp, const char *what) {
  if (unit_lookup(name) || symbol_lookup(name) >= 0) {
    diag_error(c->d, sp, "%s '%s' is a %s name; choose another", what, name,
               unit_lookup(name) ? "unit" : "symbol");
    return 1;
  }
  if (y->var && !strcmp(name, y->var)) {
    diag_error(c->d, sp, "%s '%s' has the variable's name", what, name);
    return 1;
  }
  for (int i = 0; i < y->nstates; i++)
    if (!strcmp(y->states[i].name, name)) {
      diag_error(c->d, sp, "%s '%s' is named twice", what, name);
      return 1;
    }
  return 0;
}

/* The variable's name: a text literal, since the block's expressions are lowered with it. */
static const char *variable_name(Compiler *c, Decl *d) {
  Field *f = decl_field(d, "variable");
  if (!f)
    return "t";
  const Node *v = f->ast->a;
  if (v->kind != E_STR || !v->s[0]) {
    diag_error(c->d, v->span, "variable must be a name in quotes, as in variable = \"x\"");
    return "t";
  }
  return v->s;
}

/* Lowers e with the variable and the states as its frame. */
static IrExpr *lower_in_frame(Compiler *c, Decl *frame_decl, IrExpr **frame, const Node *n) {
  const Decl *fn = c->fn;
  IrExpr **outer = c->frame;
  c->fn = frame_decl;
  c->frame = frame;
  IrExpr *e = lower(c, n, NULL);
  c->fn = fn;
  c->frame = outer;
  return e;
}

static const char *part_name(const Field *f) {
  return strchr(f->path, '.') ? strchr(f->path, '.') + 1 : f->path;
}

static IrExpr *condition(Compiler *c, Decl *fd, IrExpr **frame, Field *f) {
  IrExpr *w = lower_in_frame(c, fd, frame, f->ast->a);
  if (w->type != T_ERROR && w->type != T_BOOL) {
    diag_error(c->d, f->ast->a->span, "%s '%s' must be a condition (true/false), got %s",
               !strcmp(f->path, "stop") ? "stop" : "event", part_name(f), type_name(w->type));
    return ir_error(c, f->span);
  }
  return w;
}

void check_dynamics(Compiler *c, Decl *d) {
  Dynamics *y = d->dyn;
  if (!y)
    y = d->dyn = arena_alloc(c->ar, sizeof *y);
  if (y->state == 2)
    return;
  if (y->state == 1) {
    diag_error(c->d, d->span, "dynamics '%s' depends on its own solution", d->name);
    return;
  }
  y->state = 1;
  int errors = c->d->nerrors;
  y->var = variable_name(c, d);
  if (unit_lookup(y->var) || symbol_lookup(y->var) >= 0)
    diag_error(c->d, decl_field(d, "variable") ? decl_field(d, "variable")->span : d->span,
               "variable '%s' is a %s name; choose another", y->var,
               unit_lookup(y->var) ? "unit" : "symbol");
  Field *to = decl_field(d, "until"), *from = decl_field(d, "from");
  if (to)
    ensure_field(c, d, to);
  if (from)
    ensure_field(c, d, from);
  y->var_dim = to && to->ir ? to->ir->dim : DIM_NONE;
  if (to && from && to->ir && from->ir && to->ir->type == T_NUM && from->ir->type == T_NUM &&
      !dim_eq(to->ir->dim, from->ir->dim)) {
    char b1[64], b2[64];
    diag_error(c->d, from->span, "unit mismatch: 'from' is in %s but 'until' is in %s",
               dimstr(from->ir->dim, b1), dimstr(to->ir->dim, b2));
  }
  /* the states, in the order written: their initial values set their units */
  y->states = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *y->states);
  for (int i = 0; i < d->nfields; i++) {
    Field *f = &d->fields[i];
    if (!in_group(f->path, "state"))
      continue;
    const char *name = part_name(f);
    if (strchr(name, '.')) {
      diag_error(c->d, f->span, "a state is a name: state { %s = ... }", strchr(name, '.') + 1);
      continue;
    }
    if (bad_name(c, y, name, f->span, "state"))
      continue;
    if (y->nstates == MAX_STATES) {
      diag_error(c->d, f->span, "a dynamics block has at most %d states", MAX_STATES);
      break;
    }
    IrExpr *init = lower(c, f->ast->a, NULL);
    if (init->type != T_ERROR && init->type != T_NUM)
      diag_error(c->d, f->ast->a->span, "the initial value of state '%s' must be a number, got %s",
                 name, type_name(init->type));
    y->states[y->nstates++] = (DynState){name, init->dim, init, NULL, f->span};
  }
  if (!y->nstates && c->d->nerrors == errors)
    diag_error(c->d, d->span, "dynamics '%s' has no state: add state { NAME = initial value }",
               d->name);
  /* the frame: the variable, then the states, as a function's parameters are */
  Node *names = node_new(c->ar, S_FUNC, d->span);
  IrExpr **frame = arena_alloc(c->ar, (size_t)(y->nstates + 2) * sizeof *frame);
  Node *v = node_new(c->ar, E_IDENT, d->span);
  v->s = y->var;
  node_push(c->ar, names, v);
  frame[0] = ir_new(c, IR_NUM, T_NUM, y->var_dim, d->span);
  for (int i = 0; i < y->nstates; i++) {
    Node *s = node_new(c->ar, E_IDENT, y->states[i].span);
    s->s = y->states[i].name;
    node_push(c->ar, names, s);
    frame[i + 1] = ir_new(c, IR_NUM, T_NUM, y->states[i].dim, y->states[i].span);
  }
  Decl *fd = arena_alloc(c->ar, sizeof *fd);
  fd->kind = D_FUNC;
  fd->name = d->name;
  fd->ast = names;
  /* rates: one for each state, in its unit per the variable's */
  y->events = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *y->events);
  y->stop_event = -1;
  Field *stop = NULL;
  for (int i = 0; i < d->nfields; i++) {
    Field *f = &d->fields[i];
    const char *name = part_name(f);
    if (in_group(f->path, "rate")) {
      int k = 0;
      while (k < y->nstates && strcmp(y->states[k].name, name))
        k++;
      if (k == y->nstates) {
        diag_error(c->d, f->span, "rate '%s' is of no state; the states are declared in state { }",
                   name);
        continue;
      }
      if (y->states[k].rate) {
        diag_error(c->d, f->span, "state '%s' has two rates", name);
        continue;
      }
      IrExpr *r = lower_in_frame(c, fd, frame, f->ast->a);
      y->states[k].rate = r;
      if (r->type == T_ERROR || y->states[k].init->type == T_ERROR || !to || !to->ir ||
          to->ir->type != T_NUM)
        continue; /* no unit to check against */
      Dim want = dim_div(y->states[k].dim, y->var_dim);
      if (r->type != T_NUM) {
        diag_error(c->d, f->ast->a->span, "the rate of '%s' must be a number, got %s", name,
                   type_name(r->type));
      } else if (!dim_eq(r->dim, want)) {
        char b1[64], b2[64];
        diag_error(c->d, f->ast->a->span,
                   "unit mismatch: the rate of '%s' is d%s/d%s, in %s; got %s", name, name, y->var,
                   dimstr(want, b1), dimstr(r->dim, b2));
      }
    } else if (in_group(f->path, "event")) {
      if (bad_name(c, y, name, f->span, "event"))
        continue;
      for (int j = 0; j < y->nevents; j++)
        if (!strcmp(y->events[j].name, name))
          diag_error(c->d, f->span, "event '%s' is named twice", name);
      y->events[y->nevents++] = (DynEvent){name, condition(c, fd, frame, f), f->span};
    } else if (!strcmp(f->path, "stop"))
      stop = f;
  }
  if (stop) { /* the stop is the last event */
    y->stop_event = y->nevents;
    y->events[y->nevents++] = (DynEvent){"stop", condition(c, fd, frame, stop), stop->span};
  }
  for (int k = 0; k < y->nstates; k++)
    if (!y->states[k].rate)
      diag_error(c->d, y->states[k].span, "state '%s' has no rate: add rate { %s = ... }",
                 y->states[k].name, y->states[k].name);
  y->ok = c->d->nerrors == errors;
  y->state = 2;
}

/* NAME.MEMBER of a dynamics block: a state's path, an event's value of the variable, or NULL
 * (a fixed field, or no such member: the caller says which). */
IrExpr *dyn_member(Compiler *c, Decl *d, const char *member, Span sp) {
  check_dynamics(c, d);
  Dynamics *y = d->dyn;
  if (!y->ok)
    return ir_error(c, sp);
  for (int i = 0; i < y->nstates; i++)
    if (!strcmp(y->states[i].name, member)) {
      IrExpr *e = ir_new(c, IR_SERIES, T_PATH, y->states[i].dim, sp);
      e->decl = d;
      e->col = i;
      return e;
    }
  for (int i = 0; i < y->nevents; i++)
    if (!strcmp(y->events[i].name, member)) {
      IrExpr *e = ir_new(c, IR_EVENT, T_NUM, y->var_dim, sp);
      e->decl = d;
      e->col = i;
      return e;
    }
  return NULL;
}
