/* Blocks against their schemas (block_fields.def): a block's fields flattened and each
 * lowered, the schema's requirements, the checks across fields of one block, overrides
 * (scenarios, --set), and tables. */
#include "checker.h"
#include "dynamics.h"

#include "builtins.h"
#include "schema.h"

#include "core/edsl_core.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- fields and their schemas ------------------------------------------------------ */

Field *add_field(Compiler *c, Decl *d, const char *path, const Node *item) {
  Field *old = decl_field(d, path);
  if (old) {
    diag_error(c->d, item->span, "field '%s' is set twice in '%s'", path, d->name);
    diag_note(c->d, old->span, "first set here");
    return NULL;
  }
  Field *nf = arena_alloc(c->ar, (size_t)(d->nfields + 1) * sizeof *nf);
  if (d->nfields)
    memcpy(nf, d->fields, (size_t)d->nfields * sizeof *nf);
  d->fields = nf;
  const FieldSpec *fs = field_spec(d->kind, path);
  d->fields[d->nfields] =
      (Field){path, fs ? fs->id : F_NONE, item->span, item, NULL, 0, 0, c->p->nfield_slots++};
  return &d->fields[d->nfields++];
}

int in_group(const char *path, const char *group) {
  size_t n = strlen(group);
  return !strncmp(path, group, n) && path[n] == '.' && path[n + 1];
}

void flatten_items(Compiler *c, Decl *d, const Node *items, const char *prefix) {
  for (int i = 0; i < items->nkids; i++) {
    const Node *it = items->kids[i];
    char *path;
    if (prefix) {
      size_t l1 = strlen(prefix), l2 = strlen(it->s);
      path = arena_alloc(c->ar, l1 + l2 + 2);
      memcpy(path, prefix, l1);
      path[l1] = '.';
      memcpy(path + l1 + 1, it->s, l2 + 1);
    } else
      path = (char *)it->s;
    if (it->kind == I_BLOCK) {
      flatten_items(c, d, it, path);
      continue;
    }
    add_field(c, d, path, it);
  }
}

FieldId target_field(const Decl *t, const char *rest) {
  const FieldSpec *fs = t->kind == D_CONST ? NULL : field_spec(t->kind, rest);
  return fs ? fs->id : F_NONE;
}

Type target_type(const Decl *t, const char *rest) {
  const FieldSpec *fs = t->kind == D_CONST ? NULL : field_spec(t->kind, rest);
  return t->kind == D_CONST ? T_NUM : fs ? fs->type : T_ERROR;
}

/* A top-level parameter as the target of an override, a sweep axis or an uncertain input:
 * a number (a list or a text has no one value to vary), and not the seed (--seed sets it). */
static int param_target(Compiler *c, Decl *d, Span sp) {
  ensure_const(c, d);
  if (!strcmp(d->name, "seed")) {
    diag_error(c->d, sp, "the seed is not a parameter to vary: give it with --seed N");
    return 0;
  }
  if (d->value && d->value->type != T_NUM && d->value->type != T_ERROR) {
    diag_error(c->d, sp, "'%s' is a %s; only a number can be overridden, swept or uncertain",
               d->name, type_name(d->value->type));
    return 0;
  }
  return d->value && d->value->type == T_NUM;
}

/* Overrides in a scenario or --set: PATH = value where PATH is [market.]field, block.field
 * or the name of a top-level parameter. */
int resolve_target(Compiler *c, Decl *scn, const char *path, Span sp, Decl **target,
                   const char **rest) {
  const char *dot = strchr(path, '.');
  if (!dot) {
    Decl *p = program_find(c->p, path);
    if (p && p->kind == D_CONST) {
      if (!param_target(c, p, sp))
        return 0;
      *target = p;
      *rest = "";
      return 1;
    }
    diag_error(c->d, sp,
               "'%s' is neither a top-level parameter nor a field of a scenario; override a "
               "parameter such as r, or a block field such as market.firms or packaging.alpha",
               path);
    return 0;
  }
  char root[256];
  snprintf(root, sizeof root, "%.*s", (int)(dot - path), path);
  Decl *t = NULL;
  if (scn && strcmp(root, "market") == 0) {
    for (Decl *s = scn; s && !t; s = s->base) {
      if (s->scn_market) { /* found through this scenario before */
        t = s->scn_market;
        break;
      }
      Field *f = decl_field_id(s, F_SCENARIO_market);
      if (f) {
        ensure_field(c, s, f);
        if (f->ir && f->ir->op == IR_REF)
          t = f->ir->decl;
        else
          return 0;
      }
    }
    if (!t) {
      diag_error(c->d, sp, "scenario '%s' names no market to override", scn->name);
      return 0;
    }
    scn->scn_market = t;
  } else {
    t = program_find(c->p, root);
    if (!t) {
      diag_error(c->d, sp, "unknown name '%s' in override path '%s'", root, path);
      return 0;
    }
    if (!decl_is_block(t->kind)) {
      diag_error(c->d, sp,
                 "'%s' is a %s; only fields of blocks (learning_curve, market, adoption, "
                 "workload, progress) can be overridden",
                 root, decl_kind_name(t->kind));
      return 0;
    }
  }
  *rest = dot + 1;
  if (!field_spec(t->kind, *rest)) {
    char buf[1024];
    field_suggest(t->kind, *rest, buf, sizeof buf);
    diag_error(c->d, sp, "%s '%s' has no field '%s'; %s", decl_kind_name(t->kind), t->name, *rest,
               buf);
    return 0;
  }
  *target = t;
  return 1;
}

int add_override(Compiler *c, Decl *scn, Override **ovr, int *novr, const char *path,
                 const Node *value, Span sp) {
  Decl *t;
  const char *rest;
  if (!resolve_target(c, scn, path, sp, &t, &rest))
    return 0;
  IrExpr *v = lower(c, value, NULL);
  Field *f = decl_field(t, rest);
  if (f)
    ensure_field(c, t, f);
  Dim declared = f && f->ir ? f->ir->dim : DIM_NONE;
  check_spec(c, t, rest, v, value->span, f && f->ir && f->ir->type != T_ERROR ? &declared : NULL);
  Override *o = arena_alloc(c->ar, (size_t)(*novr + 1) * sizeof *o);
  if (*novr)
    memcpy(o, *ovr, (size_t)*novr * sizeof *o);
  o[*novr] = (Override){t, target_field(t, rest), t->kind == D_CONST ? t->name : rest, v, sp};
  *ovr = o;
  (*novr)++;
  return 1;
}

/* A symbol field's value is one of the allowed symbols (else a located error). */
static int symbol_field(Compiler *c, Decl *d, const char *path, const int *ok, int nok,
                        const char *expected) {
  Field *f = decl_field(d, path);
  if (!f || !f->ir || f->ir->op != IR_SYM)
    return -1;
  for (int i = 0; i < nok; i++)
    if (f->ir->sym == ok[i])
      return ok[i];
  diag_error(c->d, f->ast->a->span, "unknown %s; expected %s", path, expected);
  return -1;
}

/* Fields a part of a block needs once any of its fields is given. */
static void part_needs(Compiler *c, Decl *d, const char *part, const char **req, int nreq) {
  int any = 0;
  size_t pl = strlen(part);
  for (int i = 0; i < d->nfields; i++)
    any |= !strncmp(d->fields[i].path, part, pl) && d->fields[i].path[pl] == '.';
  if (!any)
    return;
  for (int i = 0; i < nreq; i++) {
    char path[96];
    snprintf(path, sizeof path, "%s.%s", part, req[i]);
    if (!decl_field(d, path))
      diag_error(c->d, d->span, "%s '%s': a %s block needs '%s' (%s)", decl_kind_name(d->kind),
                 d->name, part, req[i], field_spec(d->kind, path)->help);
  }
}

/* The schema's requirements: REQ fields always, PART fields once their group is given. */
static void check_required(Compiler *c, Decl *d) {
  int n;
  const FieldSpec *s = field_specs_of(d->kind, &n);
  for (int i = 0; i < n; i++) {
    if (s[i].req == OPT || decl_field_id(d, s[i].id))
      continue;
    if (s[i].req == REQ) {
      diag_error(c->d, d->span, "%s '%s' needs '%s' (%s)", decl_kind_name(d->kind), d->name,
                 s[i].path, s[i].help);
      continue;
    }
    const char *dot = strchr(s[i].path, '.');
    size_t gl = (size_t)(dot - s[i].path);
    int any = 0;
    for (int j = 0; j < d->nfields && !any; j++)
      any = !strncmp(d->fields[j].path, s[i].path, gl + 1);
    if (any)
      diag_error(c->d, d->span, "%s '%s': a %.*s block needs '%s' (%s)", decl_kind_name(d->kind),
                 d->name, (int)gl, s[i].path, dot + 1, s[i].help);
  }
}

static void check_mesh(Compiler *c, Decl *d) {
  char b1[64], b2[64];
  Field *beta = decl_field(d, "beta"), *D = decl_field(d, "D");
  if (beta && D && beta->ir && D->ir && beta->ir->type == T_NUM && D->ir->type == T_NUM &&
      !dim_eq(beta->ir->dim, D->ir->dim))
    diag_error(c->d, D->span,
               "unit mismatch: R0_mesh = N beta v / D needs beta and D in one unit; beta is in "
               "%s, D in %s",
               dimstr(beta->ir->dim, b1), dimstr(D->ir->dim, b2));
  static const int models[] = {SYM_ERDOS_RENYI, SYM_BARABASI_ALBERT, SYM_BIANCONI_BARABASI};
  static const int solvers[] = {SYM_AUTO, SYM_DENSE, SYM_SPARSE};
  symbol_field(c, d, "network.eigen", solvers, 3, "'auto', 'dense' or 'sparse'");
  int model = symbol_field(c, d, "network.model", models, 3,
                           "'erdos_renyi', 'barabasi_albert' or 'bianconi_barabasi'");
  static const struct {
    int model;
    const char *field;
  } needs[] = {{SYM_ERDOS_RENYI, "network.mean_degree"},
               {SYM_BARABASI_ALBERT, "network.links"},
               {SYM_BIANCONI_BARABASI, "network.links"},
               {SYM_BIANCONI_BARABASI, "network.fitness"}};
  for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
    if (model == needs[i].model && !decl_field(d, needs[i].field))
      diag_error(c->d, d->span, "mesh '%s': network.model = %s needs '%s' (%s)", d->name,
                 regime_name(model), needs[i].field, field_spec(D_MESH, needs[i].field)->help);
}

static void check_growth(Compiler *c, Decl *d) {
  static const int forms[] = {SYM_JAIN_KRISHNA, SYM_PRINTED};
  symbol_field(c, d, "catalytic.form", forms, 2, "'jain_krishna' or 'printed'");
  if (!decl_field(d, "raf.reactions")) { /* else M comes from the declared reactions */
    static const char *cat_req[] = {"M"};
    part_needs(c, d, "catalytic", cat_req, 1);
  }
  int declared = decl_field(d, "raf.reactions") || decl_field(d, "raf.food");
  int random = decl_field(d, "raf.types") || decl_field(d, "raf.food_types") ||
               decl_field(d, "raf.reaction_count");
  if (declared && random)
    diag_error(c->d, d->span,
               "growth '%s': a raf block declares its reactions (food, reactions) or draws them "
               "(types, food_types, reaction_count), not both",
               d->name);
  else if (declared) {
    static const char *req[] = {"food", "reactions"};
    part_needs(c, d, "raf", req, 2);
  } else if (random) {
    static const char *req[] = {"types", "food_types", "reaction_count"};
    part_needs(c, d, "raf", req, 3);
  }
  Field *rx = decl_field(d, "raf.reactions");
  if (rx && rx->ir && rx->ir->type == T_TABLE && rx->ir->decl) {
    const Decl *t = rx->ir->decl;
    static const char *cols[] = {"inputs", "catalysts", "outputs"};
    for (int k = 0; k < 3; k++) {
      int found = -1;
      for (int j = 0; j < t->ncols; j++)
        if (!strcmp(t->colnames[j], cols[k]))
          found = j;
      if (found < 0 || !t->coltext[found])
        diag_error(c->d, rx->ast->a->span,
                   "table '%s' needs a text column '%s' (type names separated by spaces or +) "
                   "to be a reaction system",
                   t->name, cols[k]);
    }
  }
}

/* Two fields that must share a unit (both lowered). */
void same_unit(Compiler *c, Decl *d, const char *a, const char *b) {
  Field *fa = decl_field(d, a), *fb = decl_field(d, b);
  char b1[64], b2[64];
  if (fa && fb && fa->ir && fb->ir && fa->ir->type != T_ERROR && fb->ir->type != T_ERROR &&
      !dim_eq(fa->ir->dim, fb->ir->dim))
    diag_error(c->d, fb->span, "unit mismatch: %s '%s' has '%s' in %s but '%s' in %s",
               decl_kind_name(d->kind), d->name, a, dimstr(fa->ir->dim, b1), b,
               dimstr(fb->ir->dim, b2));
}

static void check_prediction(Compiler *c, Decl *d) {
  if (decl_field(d, "against_through") && !decl_field(d, "evidence_against"))
    diag_error(c->d, d->span, "prediction '%s' sets against_through but no evidence_against",
               d->name);
  if (decl_field(d, "against_quantity") && !decl_field(d, "evidence_against"))
    diag_error(c->d, d->span, "prediction '%s' sets against_quantity but no evidence_against",
               d->name);
}

static void check_claim(Compiler *c, Decl *d) {
  int has_value = decl_field(d, "value") != NULL;
  int ntol = (decl_field(d, "tolerance") != NULL) + (decl_field(d, "rel_tolerance") != NULL);
  if (!has_value && !decl_field(d, "reason"))
    diag_error(c->d, d->span,
               "claim '%s' needs 'value' (edsl's value of the printed number) or, when edsl "
               "cannot compute it, 'reason' (what is missing)",
               d->name);
  if (has_value && ntol != 1)
    diag_error(c->d, d->span,
               "claim '%s' needs one tolerance: 'tolerance' (in the paper's unit) or "
               "'rel_tolerance' (a fraction of the printed value)",
               d->name);
  if (!has_value && ntol)
    diag_error(c->d, d->span, "claim '%s' has a tolerance but no 'value' to compare", d->name);
  same_unit(c, d, "paper", "value");
  same_unit(c, d, "paper", "tolerance");
}

void check_block(Compiler *c, Decl *d) {
  char buf[1024];
  for (int i = 0; i < d->nfields; i++) {
    Field *f = &d->fields[i];
    if ((d->kind == D_DYNAMICS && dyn_part(f->path)) ||
        (d->kind == D_CALIBRATE && calib_part(f->path)) ||
        (d->kind == D_LATEX && latex_part(f->path)))
      continue; /* the user's names: check_dynamics, check_calibrate, check_latex */
    if (!field_spec(d->kind, f->path)) {
      field_suggest(d->kind, f->path, buf, sizeof buf);
      diag_error(c->d, f->span, "%s '%s' has no field '%s'; %s", decl_kind_name(d->kind), d->name,
                 f->path, buf);
      f->state = 2;
      f->ir = ir_error(c, f->span);
      continue;
    }
    ensure_field(c, d, f);
  }
  check_required(c, d);
  if (d->kind == D_DYNAMICS)
    check_dynamics(c, d);
  else if (d->kind == D_CALIBRATE)
    check_calibrate(c, d);
  else if (d->kind == D_LATEX)
    check_latex(c, d);
  else if (d->kind == D_MARKET) {
    d->plan_slot = c->p->nfield_slots; /* the game's reads (ir.h's PLAN_*) */
    c->p->nfield_slots += MARKET_PLANS;
    int has_thr = decl_field(d, "threshold.curve") != NULL;
    if (!decl_field(d, "x0") && !has_thr)
      diag_error(c->d, d->span,
                 "market '%s' needs the distance to crossing: 'x0', or a 'threshold' block "
                 "with curve, c_now, c_star and Q_now",
                 d->name);
    if (has_thr) {
      d->derived_slot = c->p->nfield_slots++; /* its x0 */
      static const char *thr[] = {"threshold.c_now", "threshold.c_star", "threshold.Q_now"};
      for (size_t i = 0; i < 3; i++)
        if (!decl_field(d, thr[i]))
          diag_error(c->d, d->span, "market '%s' has a threshold block without '%s'", d->name,
                     thr[i] + 10);
      Field *a = decl_field(d, "threshold.c_now"), *b = decl_field(d, "threshold.c_star");
      if (a && b && a->ir && b->ir && a->ir->type == T_NUM && b->ir->type == T_NUM &&
          !dim_eq(a->ir->dim, b->ir->dim)) {
        char b1[64], b2[64];
        diag_error(c->d, b->span, "unit mismatch: c_star is in %s but c_now is in %s",
                   dimstr(b->ir->dim, b1), dimstr(a->ir->dim, b2));
      }
    }
    if (decl_field(d, "continuation.S_I") && !decl_field(d, "continuation.delta"))
      diag_error(c->d, d->span, "market '%s' sets continuation.S_I but not delta", d->name);
  } else if (d->kind == D_ADOPTION) {
    Field *form = decl_field(d, "beta");
    int logit = form && form->ir && form->ir->op == IR_SYM && form->ir->sym == SYM_LOGIT;
    if (form && form->ir && form->ir->op == IR_SYM && form->ir->sym != SYM_LOGIT &&
        form->ir->sym != SYM_LINEAR)
      diag_error(c->d, form->ast->a->span, "unknown adoption form; expected 'linear' or 'logit'");
    if (!logit && !decl_field(d, "lambda"))
      diag_error(c->d, d->span, "adoption '%s' needs 'lambda' (%s)", d->name,
                 field_spec(D_ADOPTION, "lambda")->help);
    if (logit && (!decl_field(d, "choice.T_u") || !decl_field(d, "choice.scale")))
      diag_error(c->d, d->span, "adoption '%s' with beta = logit needs choice { T_u; scale }",
                 d->name);
    static const char *eco[] = {"ecosystem.E0", "ecosystem.E_max", "ecosystem.eta_E",
                                "ecosystem.gamma_E"};
    int neco = 0;
    for (size_t i = 0; i < 4; i++)
      neco += decl_field(d, eco[i]) != NULL;
    if (neco && neco < 4)
      diag_error(c->d, d->span,
                 "adoption '%s': an ecosystem block needs E0, E_max, eta_E and gamma_E", d->name);
    if (neco && decl_field(d, "kappa_half_life"))
      diag_error(c->d, d->span,
                 "adoption '%s': kappa declines either with a half-life or through the "
                 "ecosystem, not both",
                 d->name);
  } else if (d->kind == D_PROGRESS) {
    int hd = decl_field(d, "events.date") != NULL, hf = decl_field(d, "events.factor") != NULL;
    if (hd != hf)
      diag_error(c->d, d->span, "progress '%s' needs both events.date and events.factor", d->name);
    if (hd && !decl_field(d, "t0"))
      diag_error(c->d, d->span,
                 "progress '%s' has dated events but no 't0' (the game's start date)", d->name);
  } else if (d->kind == D_MESH) {
    check_mesh(c, d);
  } else if (d->kind == D_GROWTH) {
    check_growth(c, d);
  } else if (d->kind == D_PREDICTION) {
    check_prediction(c, d);
  } else if (d->kind == D_CLAIM) {
    check_claim(c, d);
  } else if (d->kind == D_PLOT) {
    check_plot(c, d);
  } else if (d->kind == D_WORKLOAD) {
    Field *a = decl_field(d, "T_dist"), *b = decl_field(d, "T_star");
    if (a && b && a->ir && b->ir && a->ir->type == T_NUM && b->ir->type == T_NUM &&
        !dim_eq(a->ir->dim, b->ir->dim)) {
      char b1[64], b2[64];
      diag_error(c->d, b->span, "unit mismatch: T_star is in %s but T_dist is in %s",
                 dimstr(b->ir->dim, b1), dimstr(a->ir->dim, b2));
    }
  } else if (d->kind == D_CURVE) {
    int hasQ = decl_field(d, "Q") != NULL, hasc = decl_field(d, "c") != NULL;
    if (hasQ != hasc)
      diag_error(c->d, d->span, "learning_curve '%s' needs both 'Q' and 'c' data to fit", d->name);
    if (!hasQ && !decl_field(d, "alpha"))
      diag_error(c->d, d->span, "learning_curve '%s' needs 'alpha', or data 'Q' and 'c' to fit it",
                 d->name);
    Field *fit = decl_field(d, "fit");
    if (fit && fit->ir && fit->ir->op == IR_SYM && fit->ir->sym != SYM_OLS)
      diag_error(c->d, fit->ast->a->span, "unknown estimator; expected 'ols'");
  }
}

/* ---- tables -------------------------------------------------------------------------- */

/* Column units: a product/quotient of unit names, a number, or the word text. */
static int const_unit(Compiler *c, const Node *n, double *scale, Dim *dim, int *text) {
  *text = 0;
  if (n->kind == E_IDENT && strcmp(n->s, "text") == 0) {
    *text = 1;
    *scale = 1;
    *dim = DIM_NONE;
    return 1;
  }
  IrExpr *e = lower(c, n, NULL);
  if (e->type == T_ERROR)
    return 0;
  if (e->type != T_NUM || !(e->op == IR_NUM || e->op == IR_BIN)) {
    diag_error(c->d, n->span, "a column unit must be a unit such as USD/GB, year or text");
    return 0;
  }
  *dim = e->dim;
  int ok = 1;
  *scale = ir_const_eval(e, &ok);
  if (!ok) {
    diag_error(c->d, n->span, "a column unit must be built from unit names and numbers");
    return 0;
  }
  return 1;
}

/* The place of cell j of a table row. A row of literals keeps values, not places (the parser
 * gives the leading literals of a mixed row the row's start): found again in the source,
 * where those cells are numbers separated by commas. */
static Span cell_span(const Compiler *c, const Node *row, int j) {
  Span sp = row->span;
  if (row->kind == E_LIST && (row->kids[j]->span.first_line != sp.first_line ||
                              row->kids[j]->span.first_column != sp.first_column || j == 0))
    return row->kids[j]->span;
  if (sp.file < 0 || sp.file >= c->d->src->n)
    return sp;
  const SourceFile *f = &c->d->src->files[sp.file];
  size_t i = 0;
  int line = 1, col = sp.first_column;
  while (i < f->len && line < sp.first_line)
    line += f->text[i++] == '\n';
  i += (size_t)sp.first_column - 1;
  for (int k = 0; i < f->len;) {
    char ch = f->text[i];
    if (ch == '#')
      while (i < f->len && f->text[i] != '\n')
        i++;
    else if (ch == '\n')
      i++, line++, col = 1;
    else if (ch == ' ' || ch == '\t' || ch == '\r')
      i++, col++;
    else if (ch == ',')
      i++, col++, k++;
    else {
      Span cell = {sp.file, line, col, line, col};
      while (i < f->len && !strchr(", \t\r\n#;}", f->text[i]))
        i++, cell.last_column = col++;
      if (k == j)
        return cell;
    }
  }
  return sp;
}

void compile_table(Compiler *c, const Node *s) {
  Decl *d = add_decl(c, D_TABLE, s->s, s->span);
  if (!d)
    return;
  const Node *cols = s->a;
  d->ncols = cols->nkids;
  d->colnames = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->colnames);
  d->coldims = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->coldims);
  d->coltext = arena_alloc(c->ar, (size_t)d->ncols * sizeof *d->coltext);
  double *scale = arena_alloc(c->ar, (size_t)d->ncols * sizeof *scale);
  /* every name before any unit: a unit that names this table's columns (t.b) must find them */
  for (int j = 0; j < d->ncols; j++)
    d->colnames[j] = cols->kids[j]->s;
  for (int j = 0; j < d->ncols; j++) {
    for (int k = 0; k < j; k++)
      if (!strcmp(d->colnames[k], d->colnames[j]))
        diag_error(c->d, cols->kids[j]->span, "column '%s' appears twice", d->colnames[j]);
    if (!cols->kids[j]->a) {
      /* data without units is what edsl exists to prevent: say how to state them */
      diag_error(c->d, cols->kids[j]->span,
                 "column '%s' of table '%s' has no unit; write '%s: UNIT' (e.g. 'year: year', "
                 "'price: USD/GB'), '%s: text' for labels, or '%s: 1' for a plain number",
                 d->colnames[j], d->name, d->colnames[j], d->colnames[j], d->colnames[j]);
      scale[j] = 1;
    } else if (!const_unit(c, cols->kids[j]->a, &scale[j], &d->coldims[j], &d->coltext[j]))
      scale[j] = 1;
  }
  if (s->c) { /* from "data.csv" */
    table_from_csv(c, d, s, scale);
    return;
  }
  table_rows(c, d, s->nkids);
  for (int i = 0; i < d->nrows; i++) {
    const Node *row = s->kids[i];
    int ncells = row->kind == E_NUMROW ? row->op : row->nkids;
    if (ncells != d->ncols) {
      diag_error(c->d, row->span, "row %d of table '%s' has %d value%s; the table has %d columns",
                 i + 1, d->name, ncells, ncells == 1 ? "" : "s", d->ncols);
      continue;
    }
    if (row->kind == E_NUMROW) { /* literals: no nodes to lower */
      for (int j = 0; j < d->ncols; j++) {
        if (d->coltext[j])
          diag_error(c->d, cell_span(c, row, j),
                     "column '%s' holds text: write the value in quotes", d->colnames[j]);
        else
          d->num[j][i] = row->nums[j] * scale[j];
      }
      continue;
    }
    for (int j = 0; j < d->ncols; j++) {
      const Node *cell = row->kids[j];
      if (d->coltext[j]) {
        if (cell->kind != E_STR)
          diag_error(c->d, cell_span(c, row, j),
                     "column '%s' holds text: write the value in quotes", d->colnames[j]);
        else
          d->text[j][i] = cell->s;
        continue;
      }
      if (cell->kind == E_IDENT && !strcmp(cell->s, "NA") && !program_find(c->p, "NA")) {
        d->num[j][i] = NAN; /* missing, as an empty cell or NA of a CSV file */
        d->has_na = 1;
        continue;
      }
      /* a literal, or its negation, needs no IR (a table is mostly literals: this keeps
       * its memory a small multiple of the file's) */
      const Node *lit = cell->kind == E_UNARY && cell->op == '-' ? cell->a : cell;
      double v;
      int ok;
      if (lit->kind == E_NUM && !lit->s) {
        v = lit == cell ? lit->num : -lit->num;
        ok = 1;
      } else {
        IrExpr *e = lower(c, cell, NULL);
        if (e->type == T_ERROR)
          continue;
        ok = e->type == T_NUM && dim_is_none(e->dim);
        v = ok ? ir_const_eval(e, &ok) : 0;
      }
      if (!ok || !isfinite(v)) {
        diag_error(c->d, cell->span,
                   "a cell of column '%s' must be a finite plain number (the column's unit "
                   "applies), or NA where the value is missing",
                   d->colnames[j]);
        continue;
      }
      d->num[j][i] = v * scale[j];
    }
  }
}
