/* User functions (`fn NAME(p, ...) = expr`): a call lowers the body with the arguments' types
 * and units as its frame, once per signature; a function passed to a solver (root, integrate,
 * minimize) is applied to the solver's variable the same way. */
#include <string.h>

#include "checker.h"

/* A parameter of the user function being lowered: its argument's type and unit. */
IrExpr *param_ref(Compiler *c, const char *name, Span sp) {
  const Node *params = c->fn->ast;
  for (int i = 0; i < params->nkids; i++)
    if (!strcmp(params->kids[i]->s, name)) {
      IrExpr *e = ir_new(c, IR_PARAM, c->frame[i]->type, c->frame[i]->dim, sp);
      e->col = i;
      e->decl = c->frame[i]->decl; /* a block or scenario passed along keeps its name */
      e->sym = c->frame[i]->sym;
      return e;
    }
  return NULL;
}

/* The body of f already lowered for arguments of these types, units and names, or NULL. */
static FnBody *fn_body(Compiler *c, Decl *f, IrExpr **args, int np) {
  (void)c;
  for (FnBody *b = f->bodies; b; b = b->next) {
    int same = 1;
    for (int i = 0; same && i < np; i++)
      same = b->type[i] == args[i]->type && dim_eq(b->dim[i], args[i]->dim) &&
             b->decl[i] == args[i]->decl && b->sym[i] == args[i]->sym;
    if (same)
      return b;
  }
  return NULL;
}

/* The operations one evaluation of e takes, calls of user functions expanded (each call's
 * cost is kept on it, so this is linear in e). */
/* A call of a user function: its arguments lowered here, its body lowered with their types
 * and units (so a function is checked at each call, as a formula written there would be). */
IrExpr *lower_user_call(Compiler *c, const Node *n, Decl *f, Decl *self) {
  const Node *def = f->ast;
  int np = def->nkids;
  if (n->nkids != np) {
    diag_error(c->d, n->span, "'%s' takes %d argument%s, got %d", f->name, np, np == 1 ? "" : "s",
               n->nkids);
    return ir_error(c, n->span);
  }
  IrExpr **args = arena_alloc(c->ar, (size_t)(np + 1) * sizeof *args);
  int bad = 0;
  for (int i = 0; i < np; i++) {
    if (n->kids[i]->kind == E_NAMED) {
      diag_error(c->d, n->kids[i]->span, "'%s' takes no named arguments", f->name);
      return ir_error(c, n->span);
    }
    args[i] = lower(c, n->kids[i], self);
    bad |= args[i]->type == T_ERROR;
  }
  if (bad)
    return ir_error(c, n->span);
  return apply_user_fn(c, f, args, n->span);
}

/* f applied to lowered arguments: its body lowered for their types and units (once per
 * signature), as an IR_APPLY. */
IrExpr *apply_user_fn(Compiler *c, Decl *f, IrExpr **args, Span sp) {
  const Node *def = f->ast;
  int np = def->nkids;
  if (f->state == 1) {
    diag_error(c->d, sp,
               "function '%s' calls itself (directly or through another function); edsl "
               "functions do not recurse",
               f->name);
    return ir_error(c, sp);
  }
  FnBody *fb = fn_body(c, f, args, np);
  if (!fb) {
    const Decl *outer_fn = c->fn;
    IrExpr **outer_frame = c->frame;
    int errors = c->d->nerrors;
    fb = arena_alloc(c->ar, sizeof *fb);
    for (int i = 0; i < np; i++) {
      fb->type[i] = args[i]->type;
      fb->dim[i] = args[i]->dim;
      fb->decl[i] = args[i]->decl;
      fb->sym[i] = args[i]->sym;
    }
    c->fn = f;
    c->frame = args;
    f->state = 1;
    fb->body = lower(c, def->a, NULL);
    f->state = 0;
    c->fn = outer_fn;
    c->frame = outer_frame;
    fb->next = f->bodies;
    f->bodies = fb;
    if (c->d->nerrors != errors)
      diag_note(c->d, sp, "in this call of '%s'", f->name);
  }
  IrExpr *body = fb->body;
  if (body->type == T_ERROR)
    return ir_error(c, sp);
  IrExpr *e = ir_new(c, IR_APPLY, body->type, body->dim, sp);
  e->decl = f;
  e->args = args;
  e->nargs = np;
  e->body = body;
  e->cost = ir_cost(body);
  if (e->cost > MAX_FN_COST) {
    diag_error(c->d, sp,
               "a call of '%s' expands to %.3g operations (at most %.0e): a function is a "
               "formula, not a loop",
               f->name, e->cost, MAX_FN_COST);
    return ir_error(c, sp);
  }
  return e;
}

/* A user function named as a solver's argument, as in root(f, lo, hi): f applied to the
 * solver's variable (slot 0 of the frame the solver sets), in the unit xdim. */
IrExpr *lower_fn_arg(Compiler *c, const Node *n, Dim xdim, const char *solver) {
  Decl *f = n->kind == E_IDENT ? program_find(c->p, n->s) : NULL;
  if (!f || f->kind != D_FUNC) {
    diag_error(c->d, n->span,
               "the first argument of '%s' is the name of a function of one variable, declared "
               "as fn NAME(x) = ...",
               solver);
    return ir_error(c, n->span);
  }
  if (f->ast->nkids != 1) {
    diag_error(c->d, n->span, "'%s' takes %d parameters; '%s' needs a function of one", f->name,
               f->ast->nkids, solver);
    return ir_error(c, n->span);
  }
  IrExpr *x = ir_new(c, IR_PARAM, T_NUM, xdim, n->span);
  x->col = 0;
  IrExpr **args = arena_alloc(c->ar, 2 * sizeof *args);
  args[0] = x;
  IrExpr *e = apply_user_fn(c, f, args, n->span);
  if (e->type != T_ERROR && e->type != T_NUM) {
    diag_error(c->d, n->span, "'%s' must give a number for '%s', got %s", f->name, solver,
               type_name(e->type));
    return ir_error(c, n->span);
  }
  return e;
}
