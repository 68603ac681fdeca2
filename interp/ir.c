/* IR utilities: names, constant folding and the `dump-ir` printer. */
#include "ir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *type_name(Type t) {
  static const char *n[] = {"error",    "number",   "true/false",     "text",         "list",
                            "symbol",   "table",    "learning_curve", "market",       "scenario",
                            "adoption", "workload", "progress",       "distribution", "uncertain",
                            "sample",   "mesh",     "growth",         "cycle",        "prediction",
                            "claim",    "plot",     "path",           "calibration",  "function"};
  _Static_assert(sizeof n / sizeof *n == T_FUNC + 1, "a name for every type");
  return n[t];
}

int decl_is_block(DeclKind k) {
  return k == D_CURVE || k == D_MARKET || k == D_ADOPTION || k == D_WORKLOAD || k == D_PROGRESS ||
         k == D_MESH || k == D_GROWTH || k == D_CYCLE || k == D_PREDICTION || k == D_CLAIM ||
         k == D_PLOT || k == D_DYNAMICS || k == D_CALIBRATE || k == D_LATEX;
}

Type decl_type(DeclKind k) {
  static const Type t[] = {
      T_ERROR,    T_TABLE,     T_CURVE,  T_MARKET,      T_SCENARIO, T_ADOPTION, T_WORKLOAD,
      T_PROGRESS, T_UNCERTAIN, T_SAMPLE, T_MESH,        T_GROWTH,   T_CYCLE,    T_PREDICTION,
      T_CLAIM,    T_PLOT,      T_PATH,   T_CALIBRATION, T_ERROR,    T_SAMPLE,   T_ERROR};
  _Static_assert(sizeof t / sizeof *t == D_LATEX + 1, "a type for every kind of declaration");
  return t[k];
}

const char *regime_name(int sym) {
  static const char *n[] = {"nash",
                            "coop",
                            "ols",
                            "linear",
                            "logit",
                            "erdos_renyi",
                            "barabasi_albert",
                            "bianconi_barabasi",
                            "auto",
                            "dense",
                            "sparse",
                            "jain_krishna",
                            "printed"};
  return sym >= 0 && sym <= SYM_PRINTED ? n[sym] : "?";
}

double ir_const_eval(const IrExpr *e, int *ok) {
  if (!*ok)
    return 0;
  switch (e->op) {
  case IR_NUM:
    return e->num;
  case IR_NEG:
    return -ir_const_eval(e->args[0], ok);
  case IR_BIN: {
    double a = ir_const_eval(e->args[0], ok), b = ir_const_eval(e->args[1], ok);
    switch (e->bop) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '^':
      return pow(a, b);
    }
    break;
  }
  default:
    break;
  }
  *ok = 0;
  return 0;
}

static void dump_expr(const IrExpr *e, FILE *out) {
  char u[64];
  switch (e->op) {
  case IR_NUM:
    fprintf(out, "%.17g", e->num);
    break;
  case IR_STR:
    fprintf(out, "\"%s\"", e->str);
    break;
  case IR_BOOL:
    fputs(e->num ? "true" : "false", out);
    break;
  case IR_SYM:
    fputs(regime_name(e->sym), out);
    break;
  case IR_COLUMN:
    fprintf(out, "(column %s.%s)", e->decl->name, e->decl->colnames[e->col]);
    break;
  case IR_FIELD:
    fprintf(out, "(field %s.%s)", e->decl->name, e->path);
    break;
  case IR_CONST:
    fprintf(out, "(const %s)", e->decl->name);
    break;
  case IR_SERIES:
    fprintf(out, "(series %s.%s)", e->decl->name, e->decl->dyn->states[e->col].name);
    break;
  case IR_PICK:
    fprintf(out, "(series ");
    dump_expr(e->args[0], out);
    fprintf(out, ".%s)", e->path);
    break;
  case IR_EVENT:
    fprintf(out, "(event %s.%s)", e->decl->name, e->decl->dyn->events[e->col].name);
    break;
  case IR_CALIB: {
    const Calibration *k = e->decl->cal;
    fprintf(out, "(calibrated %s.%s)", e->decl->name,
            e->col < k->nunknowns ? k->unknowns[e->col].name
                                  : k->targets[e->col - k->nunknowns].name);
    break;
  }
  case IR_REF:
    fprintf(out, "(ref %s)", e->decl->name);
    break;
  case IR_SAMPLE:
    fprintf(out, "(draws %s.%s)", e->decl->name, e->str);
    break;
  case IR_BIN: {
    static const char *ops = "+-*/^<>lgen&|";
    const char *names[] = {"+", "-", "*", "/", "^", "<", ">", "<=", ">=", "==", "!=", "and", "or"};
    const char *p = strchr(ops, e->bop);
    fprintf(out, "(%s ", p ? names[p - ops] : "?");
    dump_expr(e->args[0], out);
    fputc(' ', out);
    dump_expr(e->args[1], out);
    fputc(')', out);
    break;
  }
  case IR_NEG:
  case IR_NOT:
    fprintf(out, "(%s ", e->op == IR_NEG ? "neg" : "not");
    dump_expr(e->args[0], out);
    fputc(')', out);
    break;
  case IR_PARAM:
    fprintf(out, "(param %d)", e->col);
    break;
  case IR_APPLY:
    fprintf(out, "(%s", e->decl->name);
    for (int i = 0; i < e->nargs; i++) {
      fputc(' ', out);
      dump_expr(e->args[i], out);
    }
    fputs(" => ", out);
    dump_expr(e->body, out);
    fputc(')', out);
    break;
  case IR_CALL:
  case IR_LIST:
    fprintf(out, "(%s", e->op == IR_CALL ? e->fn->name : "list");
    for (int i = 0; i < e->nargs; i++) {
      fputc(' ', out);
      dump_expr(e->args[i], out);
    }
    fputc(')', out);
    break;
  }
  dim_format(e->dim, u, sizeof u);
  if (u[0] && e->op != IR_NUM)
    fprintf(out, ":%s", u);
  else if (u[0])
    fprintf(out, "[%s]", u);
}

static void dump_stmt(const Stmt *s, FILE *out, int indent) {
  if (s->kind == ST_REPORT) {
    for (int i = 0; i < s->nitems; i++) {
      fprintf(out, "%*sreport %s : %s = ", indent, "", s->items[i].name,
              type_name(s->items[i].expr->type));
      dump_expr(s->items[i].expr, out);
      fputc('\n', out);
    }
    return;
  }
  if (s->kind == ST_PLOT) {
    fprintf(out, "%*sdraw plot %s\n", indent, "", s->self->name);
    return;
  }
  if (s->kind == ST_CLAIM) {
    fprintf(out, "%*scheck claim %s\n", indent, "", s->self->name);
    return;
  }
  if (s->kind == ST_SAMPLE) {
    static const char *methods[] = {"montecarlo", "lhs", "sobol", "saltelli"};
    fprintf(out, "%*ssample %s = %s(%s, ", indent, "", s->name, methods[s->method],
            s->uncertain ? s->uncertain->name : "?");
    if (s->size)
      dump_expr(s->size, out);
    fputc(')', out);
  } else
    fprintf(out, "%*ssweep %s over", indent, "", s->name);
  for (int a = 0; a < s->naxes && s->kind == ST_SWEEP; a++) {
    const SweepAxis *ax = &s->axes[a];
    fprintf(out, "%s %s.%s in ", a ? "," : "", ax->target ? ax->target->name : "?",
            ax->path ? ax->path : "?");
    dump_expr(ax->domain, out);
  }
  if (s->to_file)
    fprintf(out, " to \"%s\"", s->to_file);
  fputc('\n', out);
  for (int i = 0; i < s->nbody; i++)
    dump_stmt(s->body[i], out, indent + 2);
}

const char *decl_kind_name(DeclKind k) {
  static const char *n[] = {
      "constant", "table",     "learning_curve", "market",    "scenario", "adoption", "workload",
      "progress", "uncertain", "sample",         "mesh",      "growth",   "cycle",    "prediction",
      "claim",    "plot",      "dynamics",       "calibrate", "function", "sweep",    "latex"};
  _Static_assert(sizeof n / sizeof *n == D_LATEX + 1, "a name for every kind of declaration");
  return k >= 0 && k <= D_LATEX ? n[k] : "?";
}

void ir_dump(const Program *p, FILE *out) {
  fprintf(out, "; edsl IR\n");
  if (p->has_seed)
    fprintf(out, "seed %.0f\n", p->seed);
  for (int i = 0; i < p->ndecls; i++) {
    const Decl *d = p->decls[i];
    if (!strcmp(d->name, "__set__")) {
      for (int k = 0; k < d->novr; k++) {
        if (d->ovr[k].target->kind == D_CONST)
          fprintf(out, "set %s = ", d->ovr[k].target->name);
        else
          fprintf(out, "set %s.%s = ", d->ovr[k].target->name, d->ovr[k].path);
        dump_expr(d->ovr[k].value, out);
        fputc('\n', out);
      }
      continue;
    }
    fprintf(out, "%s %s", decl_kind_name(d->kind), d->name);
    if (d->kind == D_CONST) {
      fputs(" = ", out);
      if (d->value)
        dump_expr(d->value, out);
      fputc('\n', out);
      continue;
    }
    if (d->kind == D_TABLE) {
      fprintf(out, " (%d rows)\n", d->nrows);
      for (int j = 0; j < d->ncols; j++) {
        char u[64];
        dim_format(d->coldims[j], u, sizeof u);
        fprintf(out, "  column %s : %s%s%s\n", d->colnames[j], d->coltext[j] ? "text" : "number",
                u[0] ? " " : "", u);
      }
      continue;
    }
    if (d->kind == D_SAMPLE || d->kind == D_SWEEP) {
      fputc('\n', out);
      continue;
    }
    if (d->kind == D_UNCERTAIN) {
      fputc('\n', out);
      for (int k = 0; k < d->ninputs; k++) {
        fprintf(out, "  %s.%s ~ ", d->inputs[k].target->name, d->inputs[k].path);
        dump_expr(d->inputs[k].dist, out);
        fputc('\n', out);
      }
      for (int r = 0; d->corr && r < d->ninputs; r++) {
        fputs(r ? "               " : "  correlation =", out);
        for (int k = 0; k < d->ninputs; k++)
          fprintf(out, " %.17g", d->corr[r * d->ninputs + k]);
        fputc('\n', out);
      }
      continue;
    }
    if (d->base)
      fprintf(out, " = %s with", d->base->name);
    fputc('\n', out);
    for (int k = 0; k < d->nfields; k++) {
      fprintf(out, "  %s : %s = ", d->fields[k].path,
              d->fields[k].ir ? type_name(d->fields[k].ir->type) : "?");
      if (d->fields[k].ir)
        dump_expr(d->fields[k].ir, out);
      fputc('\n', out);
    }
    for (int k = 0; k < d->novr; k++) {
      fprintf(out, "  override %s.%s = ", d->ovr[k].target->name, d->ovr[k].path);
      dump_expr(d->ovr[k].value, out);
      fputc('\n', out);
    }
  }
  for (int i = 0; i < p->nstmts; i++)
    dump_stmt(p->stmts[i], out, 0);
}

/* ---- queries ---- */

static unsigned name_hash(const char *s) { /* FNV-1a */
  unsigned h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Brings the index up to the declarations: the new ones added, all of it again when the REPL
 * dropped some; kept at most half full. The first declaration of a name wins, as a scan did. */
static void index_names(Program *p) {
  if (p->name_indexed > p->ndecls || 2 * (p->ndecls + 1) > p->name_cap) {
    int cap = 64;
    while (cap < 2 * (p->ndecls + 1))
      cap *= 2;
    free(p->name_slot);
    p->name_slot = calloc((size_t)cap, sizeof *p->name_slot);
    p->name_cap = p->name_slot ? cap : 0;
    p->name_indexed = 0;
    if (!p->name_slot)
      return;
  }
  for (; p->name_indexed < p->ndecls; p->name_indexed++) {
    const char *name = p->decls[p->name_indexed]->name;
    unsigned m = (unsigned)p->name_cap - 1, i = name_hash(name) & m;
    while (p->name_slot[i] && strcmp(p->decls[p->name_slot[i] - 1]->name, name))
      i = (i + 1) & m;
    if (!p->name_slot[i])
      p->name_slot[i] = p->name_indexed + 1;
  }
}

void program_truncate(Program *p, int ndecls) {
  if (ndecls < p->ndecls) {
    p->ndecls = ndecls;
    p->name_indexed = p->ndecls + 1; /* rebuilt at the next lookup */
  }
}

Decl *program_find(const Program *cp, const char *name) {
  Program *p = (Program *)cp; /* the index is a cache */
  index_names(p);
  if (!p->name_slot) { /* out of memory for the index: scan */
    for (int i = 0; i < p->ndecls; i++)
      if (strcmp(p->decls[i]->name, name) == 0)
        return p->decls[i];
    return NULL;
  }
  unsigned m = (unsigned)p->name_cap - 1, i = name_hash(name) & m;
  for (; p->name_slot[i]; i = (i + 1) & m)
    if (!strcmp(p->decls[p->name_slot[i] - 1]->name, name))
      return p->decls[p->name_slot[i] - 1];
  return NULL;
}

/* A block not yet indexed by id (the checker, while it lowers the block). */
Field *decl_field_scan(Decl *d, FieldId id) {
  for (int i = 0; i < d->nfields; i++)
    if (d->fields[i].id == id)
      return &d->fields[i];
  return NULL;
}

Field *decl_field(Decl *d, const char *path) {
  for (int i = 0; i < d->nfields; i++)
    if (strcmp(d->fields[i].path, path) == 0)
      return &d->fields[i];
  return NULL;
}

double ir_cost(const IrExpr *e) {
  if (!e)
    return 0;
  double n = 1;
  for (int i = 0; i < e->nargs; i++)
    n += ir_cost(e->args[i]);
  return n + (e->op == IR_APPLY || e->op == IR_CONST || e->op == IR_FIELD ? e->cost : 0);
}

static int reads_missing(const IrExpr *e, unsigned stamp) {
  if (!e)
    return 0;
  if (e->op == IR_COLUMN)
    return e->decl->has_na;
  if ((e->op == IR_CONST || e->op == IR_FIELD) && e->decl->na_stamp != stamp) {
    e->decl->na_stamp = stamp; /* each declaration once: a walk stays linear */
    if (e->op == IR_CONST && reads_missing(e->decl->value, stamp))
      return 1;
    if (e->op == IR_FIELD)
      for (int i = 0; i < e->decl->nfields; i++)
        if (reads_missing(e->decl->fields[i].ir, stamp))
          return 1;
  }
  if (e->op == IR_APPLY && reads_missing(e->body, stamp))
    return 1;
  for (int i = 0; i < e->nargs; i++)
    if (reads_missing(e->args[i], stamp))
      return 1;
  return 0;
}

int ir_reads_missing(const IrExpr *e) {
  static unsigned stamp;
  return reads_missing(e, ++stamp);
}

int ir_reads_sample(const IrExpr *e) {
  if (!e)
    return 0;
  if (e->op == IR_SAMPLE ||
      (e->op == IR_REF && e->decl && (e->decl->kind == D_SAMPLE || e->decl->kind == D_SWEEP)))
    return 1;
  for (int i = 0; i < e->nargs; i++)
    if (ir_reads_sample(e->args[i]))
      return 1;
  return ir_reads_sample(e->body);
}
