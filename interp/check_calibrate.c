/* The checker of `calibrate` blocks: top-level parameters solved for targets.
 *
 *   calibrate cal {
 *     unknown { r = [0.1 %/year, 20 %/year]; dist = [0.01, 10] }   # parameters, with bounds
 *     target { loss = welfare_loss(g) == 0.341                     # lhs == printed value
 *              Tn = crossing_time(g, nash) == 3.8 year }
 *   }
 *   report r_fit = cal.r, loss_residual = cal.loss
 *
 * A target is a comparison lhs == rhs of numbers in one unit; an unknown is a parameter, and
 * its bounds a list [lo, hi] in its unit. There must be at least as many targets as unknowns
 * (as many: the targets are met exactly; more: in the least-squares sense). */
#include <stdio.h>
#include <string.h>

#include "checker.h"

int calib_part(const char *path) {
  return in_group(path, "unknown") || in_group(path, "target");
}

static void add_unknown(Compiler *c, Calibration *k, Field *f, const char *name) {
  Decl *p = program_find(c->p, name);
  if (!p || p->kind != D_CONST) {
    diag_error(c->d, f->span,
               "unknown '%s' is not a top-level parameter; declare it (%s = a first guess) and "
               "use it in the model",
               name, name);
    return;
  }
  ensure_const(c, p);
  if (!strcmp(name, "seed") || !p->value || p->value->type != T_NUM) {
    diag_error(c->d, f->span, "unknown '%s' must be a number parameter", name);
    return;
  }
  for (int i = 0; i < k->nunknowns; i++)
    if (k->unknowns[i].param == p) {
      diag_error(c->d, f->span, "unknown '%s' is named twice", name);
      return;
    }
  IrExpr *b = lower(c, f->ast->a, NULL);
  if (b->type == T_ERROR)
    return;
  char b1[64], b2[64];
  if (b->op != IR_LIST || b->nargs != 2) {
    diag_error(c->d, f->ast->a->span, "the bounds of '%s' are a list [lo, hi]", name);
    return;
  }
  if (!dim_eq(b->dim, p->value->dim)) {
    diag_error(c->d, f->ast->a->span, "unit mismatch: '%s' is in %s, its bounds in %s", name,
               dimstr(p->value->dim, b1), dimstr(b->dim, b2));
    return;
  }
  k->unknowns[k->nunknowns++] = (CalUnknown){name, p, b, f->span};
}

static void add_target(Compiler *c, Calibration *k, Field *f, const char *name) {
  IrExpr *t = lower(c, f->ast->a, NULL);
  if (t->type == T_ERROR)
    return;
  if (t->op != IR_BIN || t->bop != 'e' || t->args[0]->type != T_NUM || t->args[1]->type != T_NUM) {
    diag_error(c->d, f->ast->a->span,
               "target '%s' must be a comparison of two numbers, lhs == value (as in "
               "crossing_time(s, nash) == 3.8 year)",
               name);
    return;
  }
  for (int i = 0; i < k->ntargets; i++)
    if (!strcmp(k->targets[i].name, name)) {
      diag_error(c->d, f->span, "target '%s' is named twice", name);
      return;
    }
  k->targets[k->ntargets++] = (CalTarget){name, t->args[0], t->args[1], f->span};
}

void check_calibrate(Compiler *c, Decl *d) {
  Calibration *k = d->cal;
  if (!k)
    k = d->cal = arena_alloc(c->ar, sizeof *k);
  if (k->state == 2)
    return;
  if (k->state == 1) {
    diag_error(c->d, d->span, "calibrate '%s' depends on its own result", d->name);
    return;
  }
  k->state = 1;
  int errors = c->d->nerrors;
  k->unknowns = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *k->unknowns);
  k->targets = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *k->targets);
  for (int i = 0; i < d->nfields; i++) {
    Field *f = &d->fields[i];
    const char *name = strchr(f->path, '.') ? strchr(f->path, '.') + 1 : f->path;
    if (in_group(f->path, "unknown"))
      add_unknown(c, k, f, name);
    else if (in_group(f->path, "target"))
      add_target(c, k, f, name);
  }
  if (c->d->nerrors == errors && (!k->nunknowns || k->ntargets < k->nunknowns))
    diag_error(c->d, d->span,
               "calibrate '%s' has %d unknown%s and %d target%s; it needs at least one unknown "
               "and as many targets as unknowns",
               d->name, k->nunknowns, k->nunknowns == 1 ? "" : "s", k->ntargets,
               k->ntargets == 1 ? "" : "s");
  k->ok = c->d->nerrors == errors;
  k->state = 2;
}

IrExpr *calib_member(Compiler *c, Decl *d, const char *member, Span sp) {
  check_calibrate(c, d);
  Calibration *k = d->cal;
  if (!k->ok)
    return ir_error(c, sp);
  int col = -1;
  Dim dim = DIM_NONE;
  for (int i = 0; i < k->nunknowns && col < 0; i++)
    if (!strcmp(k->unknowns[i].name, member))
      col = i, dim = k->unknowns[i].param->value->dim;
  for (int j = 0; j < k->ntargets && col < 0; j++)
    if (!strcmp(k->targets[j].name, member))
      col = k->nunknowns + j, dim = k->targets[j].lhs->dim;
  if (col < 0)
    return NULL;
  IrExpr *e = ir_new(c, IR_CALIB, T_NUM, dim, sp);
  e->decl = d;
  e->col = col;
  return e;
}
