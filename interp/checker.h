/* Inside the compiler: its state and the functions its files share, each file using only
 * those below it: lower_expr.c (names, expressions, fields) < check_blocks.c (blocks against
 * their schemas, overrides, tables) < lower_stmt.c (statements) < compile.c (declarations,
 * imports). One module, split by job; nothing outside includes it. */
#ifndef EDSL_CHECKER_H
#define EDSL_CHECKER_H

#include "compile.h"

#include <stdlib.h>

#define MAX_IMPORT_DEPTH 32

struct Compiler {
  Arena *ar;
  Diag *d;
  Program *p;
  char *stack[MAX_IMPORT_DEPTH]; /* canonical paths of files being compiled */
  const char *shown[MAX_IMPORT_DEPTH];
  int depth;
  int expr_depth;      /* nesting of the expression being lowered */
  char **done;         /* canonical paths already compiled: an open-addressed set */
  int ndone, capdone;  /* capdone: 0 or a power of 2 */
  const Node *program; /* the main file's statements, to name a sample used before it */
  /* the user function whose body is being lowered, and its arguments at this call */
  const Decl *fn;
  IrExpr **frame;
  /* the REPL's definitions (compile_shadow): each stands in for the same-named declaration
   * of a file, declared there and not again; where: the file's declaration replaced */
  const Node **shadow;
  Span *shadow_where;
  unsigned char *shadow_used;
  int nshadow, capshadow;
};

#define GROW(arr, n, cap)                                                                          \
  do {                                                                                             \
    if ((n) == (cap)) {                                                                            \
      (cap) = (cap) ? 2 * (cap) : 8;                                                               \
      (arr) = realloc((arr), (size_t)(cap) * sizeof *(arr));                                       \
    }                                                                                              \
  } while (0)

/* names, expressions and fields (lower_expr.c), the lowest: a field is lowered the first time
 * an expression names it (ensure_field), then checked against its schema (check_spec) */
Decl *add_decl(Compiler *c, DeclKind kind, const char *name, Span sp);
IrExpr *ir_new(Compiler *c, IrOp op, Type t, Dim dim, Span sp);
const char *dimstr(Dim d, char *buf);
IrExpr *ir_error(Compiler *c, Span sp);
IrExpr *lower(Compiler *c, const Node *n, Decl *self);
int program_find_name(Compiler *c, const char *name);
int symbol_lookup(const char *name);
void check_spec(Compiler *c, Decl *d, const char *path, IrExpr *v, Span sp, Dim *declared);
void ensure_const(Compiler *c, Decl *d);
void ensure_field(Compiler *c, Decl *d, Field *f);

/* user functions (lower_fn.c): a parameter's reference, a call, an application to lowered
 * arguments, and a function passed to a solver */
IrExpr *param_ref(Compiler *c, const char *name, Span sp);
IrExpr *lower_user_call(Compiler *c, const Node *n, Decl *f, Decl *self);
IrExpr *apply_user_fn(Compiler *c, Decl *f, IrExpr **args, Span sp);
IrExpr *lower_fn_arg(Compiler *c, const Node *n, Dim xdim, const char *solver);

/* blocks, overrides, tables (check_blocks.c) */
int add_override(Compiler *c, Decl *scn, Override **ovr, int *novr, const char *path,
                 const Node *value, Span sp);
void check_block(Compiler *c, Decl *d);
/* An error when fields a and b of d are both given in different units. */
void same_unit(Compiler *c, Decl *d, const char *a, const char *b);
/* A plot block: what it draws, its lines' units and its options (check_plot.c). */
void check_plot(Compiler *c, Decl *d);
/* A scenario's base (lowered first), fields and overrides (compile.c). */
void lower_scenario(Compiler *c, Decl *d);
void compile_table(Compiler *c, const Node *s);
/* Room for nrows rows in every column of table d (table_csv.c, for both kinds of table). */
void table_rows(Compiler *c, Decl *d, int nrows);
/* The rows of table d from the CSV file s->c names (table_csv.c); scale: the columns' units. */
void table_from_csv(Compiler *c, Decl *d, const Node *s, const double *scale);
/* A field of d at path, written as item (an error when d sets it already; NULL then). */
Field *add_field(Compiler *c, Decl *d, const char *path, const Node *item);
void flatten_items(Compiler *c, Decl *d, const Node *items, const char *prefix);
/* path is a field of the group (in_group("state.s", "state")) */
int in_group(const char *path, const char *group);
int resolve_target(Compiler *c, Decl *scn, const char *path, Span sp, Decl **target,
                   const char **rest);
/* The field an override, axis or uncertain input resolved to: F_NONE for a top-level
 * parameter (the constant itself). */
FieldId target_field(const Decl *t, const char *rest);
/* The type an override of t's field rest must have (T_NUM for a parameter). */
Type target_type(const Decl *t, const char *rest);

/* dynamics blocks (check_dynamics.c): a path of such a block is one of its parts */
int dyn_part(const char *path);
void check_dynamics(Compiler *c, Decl *d);
/* NAME.MEMBER: a state's path (IR_SERIES), an event (IR_EVENT), or NULL for anything else */
IrExpr *dyn_member(Compiler *c, Decl *d, const char *member, Span sp);

/* calibrate blocks (check_calibrate.c): unknown.NAME and target.NAME are its parts */
int calib_part(const char *path);
/* latex blocks (check_latex.c): of, scenarios, rows { FN = "label" } and columns { NAME =
 * "label" } name the user's things, not fields */
int latex_part(const char *path);
void check_latex(Compiler *c, Decl *d);
void check_calibrate(Compiler *c, Decl *d);
/* NAME.UNKNOWN (its calibrated value), NAME.TARGET (its residual), or NULL */
IrExpr *calib_member(Compiler *c, Decl *d, const char *member, Span sp);

/* statements (lower_stmt.c) */
void check_uncertain(Compiler *c, Decl *d);
Stmt *lower_stmt(Compiler *c, const Node *s);

/* A name an output file may have under --out: not empty, at most 200 bytes, no '/', no
 * leading '.', no control characters. */
int plain_file_name(const char *f);

/* Finds the file `name` an import or a table's `from` reads (beside the file naming it, or
 * in the edsl home): what names the statement and verb what it does with the file in
 * messages; cand the path tried, canon its real path. Refuses (with an error at sp)
 * a name not ending in ext and a link leading to a file that does not; -1 on an error. */
int resolve_input(Compiler *c, const char *name, const char *ext, Span sp, const char *what,
                  const char *verb, char *cand, size_t ncand, char *canon);
/* Records a file read into the provenance: its name as shown and its SHA-256. */
void record_input(Compiler *c, const char *shown, const SourceFile *f);

#endif
