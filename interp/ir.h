/* The intermediate representation: declarations with typed, unit-checked field expressions,
 * and the report/sweep statements to evaluate. Built once by compile.c, then read-only;
 * `edsl dump-ir` prints it. */
#ifndef EDSL_IR_H
#define EDSL_IR_H

#include "../grammar/ast.h"
#include "units.h"

typedef enum {
  T_ERROR, /* already diagnosed */
  T_NUM,
  T_BOOL,
  T_STR,
  T_VEC, /* numeric vector (table column or computed), with one dimension */
  T_SYMBOL,
  T_TABLE,
  T_CURVE,
  T_MARKET,
  T_SCENARIO,
  T_ADOPTION,
  T_WORKLOAD,
  T_PROGRESS,
  T_DIST, /* a distribution: the value of an input in an `uncertain` block */
  T_UNCERTAIN,
  T_SAMPLE,
  T_MESH,
  T_GROWTH,
  T_CYCLE,
  T_PREDICTION,
  T_CLAIM,
  T_PLOT,
  T_PATH, /* a dynamics block's solution, or one series of it, against its variable */
  T_CALIBRATION,
  T_FUNC /* a user function named as a solver's argument (root, integrate, minimize) */
} Type;
const char *type_name(Type t);

typedef enum {
  SYM_NASH,
  SYM_COOP,
  SYM_OLS,
  SYM_LINEAR,
  SYM_LOGIT,
  /* mesh networks and their eigensolver */
  SYM_ERDOS_RENYI,
  SYM_BARABASI_ALBERT,
  SYM_BIANCONI_BARABASI,
  SYM_AUTO,
  SYM_DENSE,
  SYM_SPARSE,
  SYM_JAIN_KRISHNA,
  SYM_PRINTED
} Symbol;

/* A block field by its schema row (block_fields.def): the checker turns paths into ids, so the
 * evaluator never compares field names. */
typedef enum {
  F_NONE = -1,
#define FIELD(kind, id, ...) F_##kind##_##id,
#include "block_fields.def"
#undef FIELD
  F_COUNT
} FieldId;

/* A scenario's chain of `with` and the overrides active at once (a scenario's through its
 * bases, and those of scenarios evaluated inside it) are bounded: no model needs more. */
#define MAX_SCENARIO_OVERRIDES 256

/* A market's read plans (Decl.plan_slot + each): the game's stage game, its continuation and
 * x0, its threshold. */
enum { PLAN_STAGE, PLAN_CONTINUATION, PLAN_THRESHOLD, MARKET_PLANS };

typedef struct Decl Decl;
typedef struct Builtin Builtin;
typedef struct IrExpr IrExpr;

typedef enum {
  IR_NUM,    /* num */
  IR_STR,    /* str */
  IR_BOOL,   /* num */
  IR_SYM,    /* sym */
  IR_COLUMN, /* decl (table), col */
  IR_FIELD,  /* decl, path: a block field (overrides apply) */
  IR_CONST,  /* decl: a top-level constant */
  IR_REF,    /* decl: a table, curve, market or scenario as a value */
  IR_BIN,    /* op, args[0], args[1] */
  IR_NEG,    /* args[0] */
  IR_NOT,    /* args[0] */
  IR_CALL,   /* fn, args */
  IR_LIST,   /* args: numbers of one dimension */
  IR_SAMPLE, /* decl (a sample), col: one column of its draws, the failed ones left out */
  IR_APPLY,  /* decl (a user function), args, body: the body with the arguments as its frame */
  IR_PARAM,  /* col: argument col of the innermost IR_APPLY (or a dynamics' variable, states) */
  IR_SERIES, /* decl (dynamics), col: one state's path against the variable */
  IR_EVENT,  /* decl (dynamics), col: the first value of the variable at which event col holds */
  IR_CALIB,  /* decl (calibrate), col: unknown col's value (col < nunknowns), else a residual */
  IR_PICK    /* args[0] (a built-in's path), col and path: one of its series (CALL.NAME) */
} IrOp;

struct IrExpr {
  IrOp op;
  Type type;
  Dim dim;
  Span span;
  double num;
  const char *str;
  int sym, col, bop;
  Decl *decl;
  const char *path;
  FieldId field; /* IR_FIELD: path's schema row */
  const Builtin *fn;
  IrExpr **args;
  int nargs;
  IrExpr *body; /* IR_APPLY: the function's body, lowered for these arguments' types and units */
  double cost;  /* IR_APPLY, IR_CONST, IR_FIELD: the operations one evaluation of the body or
                   value takes, the calls and references in it expanded */
};

/* A user function takes at most this many parameters (the evaluator's frame). */
enum { MAX_FN_PARAMS = 16 };
/* ... and one call of it expands to at most this many operations; so does the value of a
 * constant or a field (c1 = c0 + c0, c2 = c1 + c1, ... doubles at each step). */
#define MAX_FN_COST 1e7
/* The operations one evaluation of e takes, calls and references expanded (their costs are
 * kept where they are lowered, so this walks e alone). */
double ir_cost(const IrExpr *e);
/* Whether e reads a table with a missing value, through the constants and fields it names:
 * then a NaN it gives is that missing value carried (NA), not a numeric failure. One thread
 * at a time (it stamps the declarations it visits). */
int ir_reads_missing(const IrExpr *e);
/* Whether an expression reads a sample's draws or a sweep's points. */
int ir_reads_sample(const IrExpr *e);

/* A user function's body lowered for one signature of its arguments (types, units, and the
 * block or regime a parameter names), shared by every call with that signature. */
typedef struct FnBody FnBody;
struct FnBody {
  Type type[MAX_FN_PARAMS];
  Dim dim[MAX_FN_PARAMS];
  const Decl *decl[MAX_FN_PARAMS];
  int sym[MAX_FN_PARAMS];
  IrExpr *body; /* an error expression when the body failed to check */
  FnBody *next;
};

typedef struct {
  const char *path; /* dotted: "continuation.S_T" */
  FieldId id;       /* its schema row; F_NONE when the schema lacks it (an error) */
  Span span;
  const Node *ast;
  IrExpr *ir;
  double cost; /* ir_cost of ir */
  int state;   /* 0 unlowered, 1 lowering (cycle check), 2 done */
  int slot;    /* its index among all the program's fields (a sweep's cache of invariants) */
} Field;

typedef struct {
  Decl *target;
  FieldId id;
  const char *path; /* as shown (dump-ir, :show) */
  IrExpr *value;
  Span span;
} Override;

typedef enum {
  D_CONST,
  D_TABLE,
  D_CURVE,
  D_MARKET,
  D_SCENARIO,
  D_ADOPTION,
  D_WORKLOAD,
  D_PROGRESS,
  D_UNCERTAIN,
  D_SAMPLE,
  D_MESH,
  D_GROWTH,
  D_CYCLE,
  D_PREDICTION,
  D_CLAIM,
  D_PLOT,
  D_DYNAMICS,  /* an ODE system: states, rates, events (check_dynamics.c) */
  D_CALIBRATE, /* unknown parameters solved for targets (check_calibrate.c) */
  D_FUNC,      /* a user function: ast is its S_FUNC node */
  D_SWEEP,     /* a named sweep: its table read as columns by what follows it (as a sample) */
  D_LATEX      /* how a sweep's table or a comparison of scenarios is set in LaTeX */
} DeclKind;
/* Blocks with fields (learning_curve, market, adoption, workload, progress, mesh). */
int decl_is_block(DeclKind k);
Type decl_type(DeclKind k); /* the type of a declaration used as a value */

/* One uncertain input: a block field and its distribution. */
typedef struct {
  Decl *target;
  FieldId id;
  const char *path;
  const char *label; /* as written: "packaging.alpha" */
  IrExpr *dist;      /* a T_DIST call */
  Span span;
} UncertainInput;

/* A latex block, checked (check_latex.c): the named sweep whose table it sets, or a
 * comparison (rows: functions of one scenario; columns: scenarios); LaTeX labels for columns
 * (columns { NAME = "label" }) and rows. */
typedef struct LatexBlock {
  Decl *of;
  Decl **scenarios;
  int nscenarios;
  const char **row_names, **row_labels;
  IrExpr **cells; /* row i at scenario j: cells[i * nscenarios + j] */
  int nrows;
  const char **col_names, **col_labels;
  int ncols;
  const char **results, **result_labels; /* results { REPORT = "label" }: reports before it */
  int nresults;
} LatexBlock;

typedef struct Stmt Stmt;

/* A dynamics block, checked: its variable, states (initial value, rate) and events, every
 * expression lowered with the variable and the states as its frame (IR_PARAM 0, 1..n). */
typedef struct {
  const char *name;
  Dim dim;
  IrExpr *init, *rate;
  Span span;
} DynState;
typedef struct {
  const char *name;
  IrExpr *when; /* true/false */
  Span span;
} DynEvent;
typedef struct {
  const char *var; /* the independent variable, "t" unless `variable` names another */
  Dim var_dim;
  DynState *states;
  int nstates;
  DynEvent *events; /* the named events, then `stop` (the last, when stop_event) */
  int nevents;
  int stop_event;
  int state; /* 0 unchecked, 1 checking (a cycle), 2 done */
  int ok;
} Dynamics;

/* A calibrate block, checked: its unknowns (top-level parameters with bounds [lo, hi]) and
 * its targets (lhs == rhs). */
typedef struct {
  const char *name;
  Decl *param;
  IrExpr *bounds; /* a list of two numbers in the parameter's unit */
  Span span;
} CalUnknown;
typedef struct {
  const char *name;
  IrExpr *lhs, *rhs;
  Span span;
} CalTarget;
typedef struct {
  CalUnknown *unknowns;
  int nunknowns;
  CalTarget *targets;
  int ntargets;
  int state, ok;
} Calibration;

struct Decl {
  DeclKind kind;
  const char *name;
  Span span;
  Span extent; /* the whole declaration's text (the REPL's :reload compares it) */
  /* blocks and scenarios */
  Dynamics *dyn;    /* dynamics blocks, once checked */
  Calibration *cal; /* calibrate blocks, once checked */
  Field *fields;
  int nfields;
  /* fields by schema id (compile.c indexes a block once its fields are known): by_id[id -
   * by_id_first] for the by_id_n ids of its kind, NULL where it is not set */
  Field **by_id;
  int by_id_first, by_id_n;
  /* constants */
  const Node *ast;
  IrExpr *value;
  double cost;       /* ir_cost of value */
  int na_warned;     /* learning curves: the fit's missing values were said once */
  int has_na;        /* tables: a cell is missing (an empty cell or NA in its CSV file) */
  unsigned na_stamp; /* ir_reads_missing's walk: this decl's value was visited */
  int state;
  /* a memo slot (numbered with Field.slot) for a value derived from the fields: a market's x0
   * from its threshold; -1 none */
  int derived_slot;
  /* markets: the first of their MARKET_PLANS read-plan slots (ev_field_nums), numbered
   * likewise; -1 none */
  int plan_slot;
  /* tables: cells column-major; string columns keep text */
  int ncols, nrows;
  const char **colnames;
  Dim *coldims;
  int *coltext;
  double **num;
  const char ***text;
  /* scenarios */
  Decl *base;
  /* the base chain checked: 1 leads to a scenario without a base, -1 to a cycle; walk stamps */
  int chain_ok, chain_stamp;
  /* every field lowered (and a scenario's blocks'): what a builtin given it may read; 1 done,
   * 2 in progress */
  int deps_done;
  Decl *scn_market;               /* a scenario's market, through its bases (resolve_target) */
  int with_depth, with_overrides; /* a scenario's chain of bases, and their overrides */
  Override *ovr;
  int novr;
  /* uncertain blocks: the inputs, and their correlation matrix (ninputs^2, row-major) or
   * NULL for independent inputs */
  UncertainInput *inputs;
  int ninputs;
  double *corr;
  /* samples and named sweeps: the statement that computes them */
  Stmt *sample;
  int cols_read;          /* a later statement reads its columns: its rows are kept in memory */
  struct LatexBlock *tex; /* latex: checked (check_latex.c) */
  /* user functions: the bodies lowered so far, one per signature of the arguments */
  FnBody *bodies;
};

typedef enum { ST_REPORT, ST_SWEEP, ST_SAMPLE, ST_CLAIM, ST_PLOT, ST_LATEX } StmtKind;

/* Designs of a sample. SALTELLI: the A, B and AB_i rows Sobol indices need. */
typedef enum { SM_MONTECARLO, SM_LHS, SM_SOBOL, SM_SALTELLI } SampleMethod;

typedef struct {
  const char *name;
  IrExpr *expr;
  Span span;
} ReportItem;

/* Axes of one sweep (each is an override on the evaluator's stack of 64). */
#define MAX_SWEEP_AXES 16

/* One axis of a sweep: a block field and the values it takes. */
typedef struct {
  Decl *target;
  FieldId id;
  const char *path;
  const char *label; /* path as written */
  IrExpr *domain;    /* a list or range(), evaluated at run time */
  Dim dim;
  Span span;
} SweepAxis;

struct Stmt {
  StmtKind kind;
  Span span;
  ReportItem *items; /* ST_REPORT */
  int nitems;
  /* ST_SWEEP: the grid of all combinations of the axes, the last varying fastest */
  const char *name;
  SweepAxis *axes;
  int naxes;
  Stmt **body; /* reports only */
  int nbody;
  const char *to_file;
  /* ST_SAMPLE: draws of an uncertain block's inputs (its axes), `size` base points */
  Decl *uncertain;
  Decl
      *self; /* the sample as a name (D_SAMPLE); ST_CLAIM: the claim; ST_PLOT: the plot; ST_LATEX */
  SampleMethod method;
  IrExpr *size;
  /* ST_REPORT: reads a sample's draws (so is computed at merge time when sharded) */
  int uses_sample;
};

typedef struct {
  const char *path;
  unsigned char sha256[32];
} InputFile;

typedef struct {
  Decl **decls;
  int ndecls, capdecls;
  Stmt **stmts;
  int nstmts, capstmts;
  InputFile *inputs;
  int ninputs, capinputs;
  double seed;
  int has_seed;
  /* program_find's index: open addressing on the names of decls[0..name_indexed), each slot
   * a decl's index + 1 (0: empty); rebuilt when the REPL drops declarations */
  int *name_slot;
  int name_cap, name_indexed;
  int nfield_slots; /* fields declared so far: Field.slot numbers them */
} Program;

/* A built-in function callable from edsl: one row of its family's table (registry.c lists
 * the families). The checker resolves a call to its row once and keeps the row in the IR;
 * evaluation calls fn with the evaluated arguments: 0, or -1 with the failure recorded. */
struct Eval;
struct Value;
typedef int (*BuiltinFn)(struct Eval *ev, const IrExpr *e, const struct Value *a,
                         struct Value *out);
/* A row's rule beyond its argument types (units, shapes), run by the checker once the call's
 * arguments are lowered and the row's result type and unit are set: 0, or -1 with the message
 * in msg and the argument it is about in *arg (left -1: the whole call). It may set e's type
 * and unit. */
typedef int (*BuiltinCheck)(IrExpr *e, char *msg, size_t len, int *arg);
/* The series of a built-in result that is a path (game_path, ...): its variable and each
 * series by name, with units as RD_NONE or RD_TIME. */
enum { PATH_MAX_SERIES = 6 };
typedef struct {
  const char *var;
  int var_rd;
  int n;
  const char *names[PATH_MAX_SERIES];
  int rd[PATH_MAX_SERIES];
} PathShape;
struct Builtin {
  const char *name;
  int nargs;          /* -1: variadic */
  Type args[4];       /* expected argument types (T_ERROR: any numeric) */
  const char *help;   /* one line for :help and the docs */
  Type rtype;         /* result type; 0 (T_ERROR): worked out case by case in compile.c */
  int rdim;           /* result unit, an RD_* code */
  BuiltinFn fn;       /* its evaluation */
  BuiltinCheck check; /* NULL: the types and rdim say all */
};
/* RD_LAZY: fn evaluates the arguments it needs itself (if), and check sets the unit */
enum { RD_NONE = 0, RD_TIME, RD_RATE, RD_ARG0, RD_WORKLOAD_Q, RD_UNC /* uncertain.c */, RD_LAZY };

Decl *program_find(const Program *p, const char *name);
/* Drops the declarations from ndecls on (the REPL, after a failed input). */
void program_truncate(Program *p, int ndecls);
/* "constant", "table", "learning_curve", ...: a declaration's kind as the language names it. */
const char *decl_kind_name(DeclKind k);
/* The field of a block by its path (the checker), or by its id (the evaluator), or NULL. */
Field *decl_field(Decl *d, const char *path);
Field *decl_field_scan(Decl *d, FieldId id);
static inline Field *decl_field_id(Decl *d, FieldId id) {
  if (d->by_id) /* a layer reads a dozen fields at every point of a sweep */
    return (int)id >= d->by_id_first && (int)id < d->by_id_first + d->by_id_n
               ? d->by_id[id - d->by_id_first]
               : NULL;
  return decl_field_scan(d, id);
}
/* Value of a constant expression (numbers, units, + - * / ^); *ok = 0 when not constant. */
double ir_const_eval(const IrExpr *e, int *ok);
void ir_dump(const Program *p, FILE *out);
const char *regime_name(int sym);

#endif
