/* A latex block checked where it stands: the named sweep whose table it sets (of = SWEEP), or
 * a comparison of scenarios (scenarios = [..], one column each; rows { FUNCTION = "label" },
 * each row a function of one scenario, lowered once per scenario), and the LaTeX labels of
 * columns (columns { NAME = "label" }). */
#include "checker.h"

#include <string.h>

int latex_part(const char *path) {
  return !strcmp(path, "of") || !strcmp(path, "scenarios") || in_group(path, "rows") ||
         in_group(path, "columns") || in_group(path, "results");
}

/* The text of a label field (a string as written), or NULL with an error. */
static const char *label_text(Compiler *c, Decl *d, const Field *f) {
  const Node *v = f->ast->a;
  if (v && v->kind == E_STR)
    return v->s;
  diag_error(c->d, f->span, "latex '%s': %s takes its label as text in quotes, LaTeX allowed",
             d->name, f->path);
  return NULL;
}

/* The comparison's cells: each row's function applied to each scenario. */
static void lower_comparison(Compiler *c, Decl *d, LatexBlock *t, const Field *scn) {
  const Node *list = scn->ast->a;
  if (!list || list->kind != E_LIST || list->nkids < 1) {
    diag_error(c->d, scn->span,
               "latex '%s': scenarios is a list of scenarios, as in [baseline, open_weights]",
               d->name);
    return;
  }
  t->scenarios = arena_alloc(c->ar, (size_t)list->nkids * sizeof *t->scenarios);
  for (int j = 0; j < list->nkids; j++) {
    const Node *k = list->kids[j];
    Decl *s = k->kind == E_IDENT ? program_find(c->p, k->s) : NULL;
    if (!s || s->kind != D_SCENARIO) {
      diag_error(c->d, k->span, "latex '%s': %s is not a scenario", d->name,
                 k->kind == E_IDENT ? k->s : "this");
      continue;
    }
    lower_scenario(c, s);
    t->scenarios[t->nscenarios++] = s;
  }
  t->row_names = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *t->row_names);
  t->row_labels = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *t->row_labels);
  t->cells =
      arena_alloc(c->ar, (size_t)(d->nfields + 1) * (size_t)(t->nscenarios + 1) * sizeof *t->cells);
  for (int i = 0; i < d->nfields; i++) {
    const Field *f = &d->fields[i];
    if (!in_group(f->path, "rows"))
      continue;
    const char *fn = f->path + 5, *label = label_text(c, d, f);
    Decl *g = program_find(c->p, fn);
    if (!g || g->kind != D_FUNC || g->ast->nkids != 1) {
      diag_error(c->d, f->span,
                 "latex '%s': a row is a function of one scenario, as in 'fn T_nash(s) = "
                 "crossing_time(s, nash)'; '%s' is %s",
                 d->name, fn,
                 !g                  ? "not defined"
                 : g->kind != D_FUNC ? "not a function"
                                     : "a function of another number of parameters");
      continue;
    }
    int r = t->nrows;
    for (int j = 0; j < t->nscenarios; j++) {
      IrExpr **arg = arena_alloc(c->ar, sizeof *arg); /* the application keeps it */
      arg[0] = ir_new(c, IR_REF, T_SCENARIO, DIM_NONE, f->span);
      arg[0]->decl = t->scenarios[j];
      IrExpr *v = apply_user_fn(c, g, arg, f->span);
      if (v->type != T_ERROR && v->type != T_NUM)
        diag_error(c->d, f->span,
                   "latex '%s': row '%s' gives %s for scenario '%s'; a row is a number", d->name,
                   fn, type_name(v->type), t->scenarios[j]->name);
      t->cells[r * t->nscenarios + j] = v;
    }
    t->row_names[r] = fn;
    t->row_labels[r] = label ? label : fn;
    t->nrows++;
  }
  if (!t->nrows)
    diag_error(c->d, d->span,
               "latex '%s' compares scenarios but has no rows: give rows { FUNCTION = \"label\" }, "
               "each a function of one scenario",
               d->name);
}

/* results { REPORT = "label" }: reports of one value, reported before the block. */
static void lower_results(Compiler *c, Decl *d, LatexBlock *t) {
  t->results = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *t->results);
  t->result_labels = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *t->result_labels);
  for (int i = 0; i < d->nfields; i++) {
    const Field *f = &d->fields[i];
    if (!in_group(f->path, "results"))
      continue;
    const char *name = f->path + 8, *label = label_text(c, d, f);
    int found = 0;
    for (int k = 0; k < c->p->nstmts && !found; k++) {
      const Stmt *st = c->p->stmts[k];
      for (int j = 0; st->kind == ST_REPORT && j < st->nitems && !found; j++)
        if (!strcmp(st->items[j].name, name)) {
          found = 1;
          Type ty = st->items[j].expr->type;
          if (ty != T_NUM && ty != T_ERROR)
            diag_error(c->d, f->span, "latex '%s': report '%s' is a %s; a table row is a number",
                       d->name, name, type_name(ty));
        }
    }
    if (!found)
      diag_error(c->d, f->span, "latex '%s': no report named '%s' comes before it", d->name, name);
    t->results[t->nresults] = name;
    t->result_labels[t->nresults++] = label ? label : name;
  }
}

void check_latex(Compiler *c, Decl *d) {
  LatexBlock *t = arena_alloc(c->ar, sizeof *t);
  memset(t, 0, sizeof *t);
  d->tex = t;
  Field *of = decl_field(d, "of"), *scn = decl_field(d, "scenarios");
  int results = 0;
  for (int i = 0; i < d->nfields; i++)
    results |= in_group(d->fields[i].path, "results");
  if ((of != NULL) + (scn != NULL) + results != 1) {
    diag_error(c->d, d->span,
               "latex '%s' sets one table: a named sweep's (of = SWEEP), a comparison of "
               "scenarios (scenarios = [..] with rows { FUNCTION = \"label\" }) or reports "
               "(results { REPORT = \"label\" })",
               d->name);
    return;
  }
  if (results) {
    lower_results(c, d, t);
    return;
  }
  if (of) {
    const Node *v = of->ast->a;
    Decl *s = v && v->kind == E_IDENT ? program_find(c->p, v->s) : NULL;
    if (!s || s->kind != D_SWEEP)
      diag_error(c->d, of->span,
                 "latex '%s': of names a sweep before it, by its name (sweep NAME = ...); %s%s%s",
                 d->name, s ? s->name : "none of that name comes before", s ? " is a " : "",
                 s ? decl_kind_name(s->kind) : "");
    else {
      t->of = s;
      s->cols_read = 1; /* its rows stay in memory for the table, though streamed to a file */
    }
    for (int i = 0; i < d->nfields; i++)
      if (in_group(d->fields[i].path, "rows"))
        diag_error(c->d, d->fields[i].span, "latex '%s': rows are a comparison's, not a sweep's",
                   d->name);
  } else
    lower_comparison(c, d, t, scn);
  t->col_names = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *t->col_names);
  t->col_labels = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *t->col_labels);
  for (int i = 0; i < d->nfields; i++) {
    const Field *f = &d->fields[i];
    if (!in_group(f->path, "columns"))
      continue;
    const char *name = f->path + 8, *label = label_text(c, d, f);
    int known = 0;
    if (t->of)
      for (int a = 0; a < t->of->sample->naxes && !known; a++)
        known = !strcmp(t->of->sample->axes[a].label, name);
    if (t->of)
      for (int b = 0; b < t->of->sample->nbody && !known; b++)
        for (int k = 0; k < t->of->sample->body[b]->nitems && !known; k++)
          known = !strcmp(t->of->sample->body[b]->items[k].name, name);
    for (int j = 0; j < t->nscenarios && !known; j++)
      known = !strcmp(t->scenarios[j]->name, name);
    if (!known && (t->of || t->nscenarios))
      diag_error(c->d, f->span, "latex '%s': the table has no column '%s'; its columns are %s",
                 d->name, name, t->of ? "the sweep's axes and reports" : "its scenarios");
    if (label) {
      t->col_names[t->ncols] = name;
      t->col_labels[t->ncols++] = label;
    }
  }
  Field *w = decl_field(d, "width");
  int ok = 1;
  double v = w && w->ir && w->ir->type == T_NUM ? ir_const_eval(w->ir, &ok) : 100;
  if (w && w->ir && w->ir->type == T_NUM && (!ok || !(v >= 50 && v <= 2000)))
    diag_error(c->d, w->span, "latex '%s': width is a constant number of points from 50 to 2000",
               d->name);
  if (decl_field(d, "digits") && decl_field(d, "decimals"))
    diag_error(c->d, decl_field(d, "decimals")->span,
               "latex '%s': give digits (significant) or decimals (fixed), not both", d->name);
}
