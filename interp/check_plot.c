/* A plot block checked where it is written: what it draws (lines of y against x, y per value
 * of `by`, a histogram or a density), the units of its lines, and its options. */
#include "checker.h"
#include "dynamics.h"
#include "plot_spec.h"

#include "builtins.h"
#include "schema.h"

#include <math.h>
#include <string.h>

/* The text of a constant text field, or NULL (absent, or not a constant). */
static const char *const_text(Decl *d, const char *path, Field **f) {
  *f = decl_field(d, path);
  return *f && (*f)->ir && (*f)->ir->op == IR_STR ? (*f)->ir->str : NULL;
}

/* A field that the kind of plot leaves no use for. */
static void unused(Compiler *c, Decl *d, const char *path, const char *why) {
  Field *f = decl_field(d, path);
  if (f)
    diag_error(c->d, f->span, "plot '%s': '%s' %s", d->name, path, why);
}

static void check_lines(Compiler *c, Decl *d) {
  static const char *ys[] = {"y2", "y3", "y4"}, *labels[] = {"label2", "label3", "label4"};
  for (int i = 0; i < 3; i++) {
    same_unit(c, d, "y", ys[i]);
    if (decl_field(d, labels[i]) && !decl_field(d, ys[i]))
      diag_error(c->d, decl_field(d, labels[i])->span, "plot '%s' has '%s' but no '%s'", d->name,
                 labels[i], ys[i]);
  }
  /* a line that is a path brings its own x; else x is needed, and x is in the path's variable */
  static const char *lines[] = {"y", "y2", "y3", "y4"};
  Field *x = decl_field(d, "x");
  int paths = 0;
  for (int i = 0; i < 4; i++) {
    Field *y = decl_field(d, lines[i]);
    if (!y || !y->ir || y->ir->type != T_PATH)
      continue;
    paths++;
    const IrExpr *e = y->ir;
    const PathShape *ps = e->op == IR_CALL ? builtin_path(e->fn) : NULL;
    if ((ps && ps->n > 1) || (e->op == IR_REF && e->decl->dyn && e->decl->dyn->nstates > 1))
      diag_error(c->d, y->span, "plot '%s': a line is one series of a path; name it, as in %s%s.%s",
                 d->name, ps ? e->fn->name : e->decl->name, ps ? "(...)" : "",
                 ps ? ps->names[0] : e->decl->dyn->states[0].name);
    Dim var = path_var_dim(y->ir);
    char b1[64], b2[64];
    if (x && x->ir && x->ir->type != T_ERROR && !dim_eq(x->ir->dim, var))
      diag_error(c->d, y->span, "unit mismatch: plot '%s' has x in %s but '%s' is a path in %s",
                 d->name, dimstr(x->ir->dim, b1), lines[i], dimstr(var, b2));
  }
  if (!x && !paths)
    diag_error(c->d, d->span, "plot '%s' needs 'x' (%s)", d->name, field_spec(D_PLOT, "x")->help);
  Field *by = decl_field(d, "by");
  if (by) {
    for (int i = 0; i < 3; i++)
      unused(c, d, ys[i], "cannot be given with 'by': the lines are y's, one per value of by");
    if (!x)
      diag_error(c->d, by->span, "plot '%s': 'by' needs 'x', a list as long as it", d->name);
    if (paths)
      diag_error(c->d, by->span, "plot '%s': 'by' splits a list y, not a path", d->name);
  } else
    unused(c, d, "by_label", "names the values of 'by', which the plot does not give");
  Field *band = decl_field(d, "band");
  if (band) {
    if (by)
      diag_error(c->d, band->span, "plot '%s': a band goes with one line of y, not with 'by'",
                 d->name);
    if (band->ir && band->ir->type == T_SAMPLE && band->ir->decl &&
        band->ir->decl->kind != D_SAMPLE)
      diag_error(c->d, band->span, "plot '%s': band is a sample (its draws), not a sweep", d->name);
    Field *p = decl_field(d, "band_p");
    const IrExpr *v = p ? p->ir : NULL;
    if (v && v->type != T_ERROR) {
      int ok = v->op == IR_LIST && v->nargs == 2, ok0 = 1, ok1 = 1;
      double p0 = ok ? ir_const_eval(v->args[0], &ok0) : 0,
             p1 = ok ? ir_const_eval(v->args[1], &ok1) : 0;
      if (!ok || !ok0 || !ok1 || !(p0 > 0 && p0 < p1 && p1 < 1))
        diag_error(c->d, p->span,
                   "plot '%s': band_p is two constant probabilities, low then high, in (0, 1), "
                   "as [0.05, 0.95]",
                   d->name);
    }
  } else {
    unused(c, d, "band_p", "is a band's ('band')");
    unused(c, d, "band_label", "is a band's ('band')");
  }
  unused(c, d, "bins", "is a histogram's ('hist')");
}

/* A histogram (hist) or a density: one list of values, no x, no lines. */
static void check_distribution(Compiler *c, Decl *d, const char *what) {
  static const char *lines[] = {"x",     "y",      "y2",     "y3",        "y4",
                                "label", "label2", "label3", "by",        "by_label",
                                "style", "band",   "band_p", "band_label"};
  for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
    unused(c, d, lines[i],
           !strcmp(what, "hist") ? "is for lines, not a histogram ('hist')"
                                 : "is for lines, not a density ('density')");
  if (strcmp(what, "hist"))
    unused(c, d, "bins", "is a histogram's ('hist'), not a density's");
}

static void check_options(Compiler *c, Decl *d) {
  Field *f;
  const char *t = const_text(d, "style", &f);
  if (t && plot_style(t) < 0)
    diag_error(c->d, f->span, "plot '%s': style = \"%s\"; expected %s", d->name, t,
               plot_style_choices);
  t = const_text(d, "legend", &f);
  if (t && !plot_legend(t))
    diag_error(c->d, f->span, "plot '%s': legend = \"%s\"; expected %s", d->name, t,
               plot_legend_choices);
  t = const_text(d, "formats", &f);
  char bad[48];
  if (t && !plot_formats(t, bad, sizeof bad))
    diag_error(c->d, f->span,
               "plot '%s': formats = \"%s\": %s%s%sexpected words among svg png pdf eps", d->name,
               t, bad[0] ? "'" : "", bad, bad[0] ? "' is not a format; " : "");
  static const char *sizes[] = {"width", "height"};
  for (int i = 0; i < 2; i++) {
    f = decl_field(d, sizes[i]);
    int ok = 1;
    double v = f && f->ir && f->ir->type == T_NUM ? ir_const_eval(f->ir, &ok) : 0;
    if (f && f->ir && f->ir->type == T_NUM && (!ok || !(v >= 2 && v <= 100)))
      diag_error(c->d, f->span, "plot '%s': %s is a constant number of centimetres from 2 to 100",
                 d->name, sizes[i]);
  }
  /* the files are written under --out: a plain name, not a path */
  t = const_text(d, "file", &f);
  if (t && !plain_file_name(t))
    diag_error(c->d, f->span,
               "plot '%s': file = \"%s\" must be a plain file name: no '/', no leading '.', no "
               "control characters, at most 200 bytes (the plot is written as NAME.svg, "
               "NAME.png... under --out)",
               d->name, t);
}

void check_plot(Compiler *c, Decl *d) {
  int lines = decl_field(d, "y") != NULL, hist = decl_field(d, "hist") != NULL,
      density = decl_field(d, "density") != NULL;
  if (lines + hist + density != 1)
    diag_error(c->d, d->span,
               lines + hist + density
                   ? "plot '%s' draws one thing: lines (y), a histogram (hist) or a density "
                     "(density); give one of them"
                   : "plot '%s' needs what it draws: lines (y, against x), a histogram (hist) or "
                     "a density (density)",
               d->name);
  else if (lines)
    check_lines(c, d);
  else
    check_distribution(c, d, hist ? "hist" : "density");
  check_options(c, d);
}
