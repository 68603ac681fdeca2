/* The registry of built-in functions: each family declares its rows (name, signature, unit
 * rule, evaluation, help) in its own file, the way Lua's luaL_Reg tables and jq's
 * function_list do; registry.c lists the families. The checker (compile.c) looks a call up
 * here once and keeps the row; nothing on the evaluation path looks a name up again. */
#ifndef EDSL_BUILTINS_H
#define EDSL_BUILTINS_H

#include <stdio.h>

#include "ir.h"

typedef struct {
  const char *name; /* the family, for --list-builtins */
  const Builtin *rows;
  int n;
} BuiltinFamily;

#define BUILTIN_FAMILY(id, label, table)                                                           \
  const BuiltinFamily id = {label, table, (int)(sizeof table / sizeof *table)}

/* One function a row for families whose rows share one function: `call`, run with `op` set to
 * the row's id, returns 0 or more when done, -1 when failed. */
#define BUILTIN_OP_FN(name, OpType, op_id, call)                                                   \
  static int name##_fn(struct Eval *ev, const IrExpr *e, const struct Value *a,                    \
                       struct Value *out) {                                                        \
    OpType op = op_id;                                                                             \
    return (call) < 0 ? -1 : 0;                                                                    \
  }

extern const BuiltinFamily builtins_game;      /* game_layer.c: the crossing game, its variants */
extern const BuiltinFamily builtins_curve;     /* curve_layer.c: learning curves */
extern const BuiltinFamily builtins_adoption;  /* adoption_layer.c: R0, crossing dates, shares */
extern const BuiltinFamily builtins_dual;      /* dual_layer.c: dual convergence */
extern const BuiltinFamily builtins_workload;  /* workload_layer.c: CES curvature */
extern const BuiltinFamily builtins_mesh;      /* mesh_layer.c */
extern const BuiltinFamily builtins_growth;    /* growth_layer.c: growth, collapse, Baumol */
extern const BuiltinFamily builtins_raf;       /* raf_layer.c: reaction systems, catalysis */
extern const BuiltinFamily builtins_cycle;     /* cycle_layer.c: cycles (eq. 55-58) */
extern const BuiltinFamily builtins_math;      /* builtins_math.c: numbers and lists */
extern const BuiltinFamily builtins_uncertain; /* uncertain.c: distributions, summaries */
extern const BuiltinFamily builtins_dynamics;  /* dynamics_layer.c: paths of dynamics blocks */
extern const BuiltinFamily builtins_solve;     /* solve_layer.c: root, integrate, minimize */
extern const BuiltinFamily builtins_paths;     /* path_layer.c: built-in results as paths */

/* The series of a builtin whose result is a path (path_layer.c), else NULL. */
const PathShape *builtin_path(const Builtin *fn);

/* The families in the order :funcs and --list-builtins print them. */
const BuiltinFamily *const *builtin_families(int *n);
/* The first row of that name, or NULL. */
const Builtin *builtin_lookup(const char *name);
/* The next row of the same name (an overload on argument types), or NULL. */
const Builtin *builtin_next(const Builtin *fn);
/* The family a row belongs to. */
const BuiltinFamily *builtin_family(const Builtin *fn);
/* Every row: "family  help" lines, or a JSON array of {name, family, args, result, unit,
 * help} (edsl --list-builtins [--json]). */
int builtin_list(FILE *out, int json);

#endif
