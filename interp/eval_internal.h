/* Internals of the evaluator (eval.c) shared with the statement layer (program.c) and the
 * builtin families that read block fields and scenarios. */
#ifndef EDSL_EVAL_INTERNAL_H
#define EDSL_EVAL_INTERNAL_H

#include "core/edsl_core.h"
#include "eval.h"
#include "schema.h"

/* Memo of learning-curve fits, held by value so that sweep workers each own a copy. */
enum { FIT_MEMO_SLOTS = 4, FIT_MEMO_MAX_OBS = 64 };
typedef struct {
  int used, n;
  double boot;
  unsigned long seed;
  double q[FIT_MEMO_MAX_OBS], c[FIT_MEMO_MAX_OBS];
  ec_fit fit;
} FitMemo;

/* The draws of one sample, as the reports after it read them. */
typedef struct SampleData SampleData;
struct SampleData {
  const Decl *decl;
  long nrows;
  int ncols;           /* its uncertain inputs, then its reports */
  const double *cells; /* row-major; a failed draw has NaN in every report column */
  long failed;
  long nbase; /* saltelli: rows come in blocks of k + 2 (A, B, AB_1..AB_k) per base point */
  int k;
  double **col;     /* per column, the successful draws, as read */
  ec_order **order; /* per column, a copy of them for quantiles' order statistics */
  long ncol_ok;
  SampleData *next;
};

#define FC_MAX_LOG 64 /* axis reads logged at one point of a sweep */

struct Eval {
  const Program *p;
  Arena *ar;
  unsigned long seed;
  const Override *sweep[64];
  int nsweep;
  const Override *scn[MAX_SCENARIO_OVERRIDES];
  int nscn;
  Span span;
  char msg[800];
  EvalStatus status;
  EvalOptions opt;
  double deadline;      /* CLOCK_MONOTONIC seconds, 0: none */
  double list_cells;    /* numbers in the lists computed so far (they stay in the arena) */
  const Decl *set_decl; /* the --set overrides, looked up once per evaluation */
  FitMemo fit_memo[FIT_MEMO_SLOTS];
  int fit_memo_next;
  int hard_stop;       /* a failure no draw of a sample may tolerate (the time limit) */
  Diag *diag;          /* for warnings */
  SampleData *samples; /* computed (or merged) samples, in ar */
  const Value *frame;  /* the arguments of the user function being evaluated (IR_PARAM) */
  int solve_depth;     /* integrations, calibrations and solvers running, nested */
  int depth;           /* eval's recursion, and the frame where it began: the stack it */
  char *stack_top;     /* may use is bounded (eval.c) */
  double solve_work;   /* evaluations of rates, targets, functions since the outermost began */
  /* computes a sample the evaluation has not met (a REPL line after it): program.c's
   * eval_sample_private, set by its entry points so that eval.c needs nothing above it */
  int (*sample_private)(Eval *ev, const Stmt *s, double **cells, long *nrows, int *ncols,
                        long *nbase);
  /* the value of a block's member that a layer computes (IR_EVENT, IR_CALIB): program.c's
   * eval_member, set likewise */
  int (*member)(Eval *ev, const IrExpr *e, Value *out);
  /* A sweep worker's fields that no point changes, computed once (eval.c's ev_field_get):
   * taint counts the values read that a point sets; a field read without one is invariant.
   * Valid while the overrides are the worker's axes (nsweep == fc_base) and one set of
   * scenario overrides (fc_key); fc_base < 0: no cache. */
  Value *fc_val;
  unsigned char *fc_state; /* per Field.slot: FC_UNKNOWN, FC_CACHED, ... (below) */
  int fc_n, fc_base;
  unsigned long taint;
  /* The scenario overrides active when the cache was filled (a hash of the stack): another
   * set empties it, and fc_gen counts the emptyings, so that a value computed across one
   * (a field whose expression evaluates another scenario) is not kept. */
  unsigned long fc_key, fc_gen;
  /* A field that varies is a function of the axis values it reads: fc_memo keeps its last
   * value with them, so that a grid's inner axes do not recompute what reads only outer ones.
   * dep_axis/dep_val log the axes read at this point (dep_full: more than the log holds). */
  struct FieldMemo *fc_memo;
  struct EvPlan **fc_plan; /* per slot: a read plan (ev_field_nums), made when first used */
  int dep_axis[FC_MAX_LOG];
  double dep_val[FC_MAX_LOG];
  int ndep, dep_full;
};

/* The axes one field's memo may depend on. */
#define FC_MEMO_DEPS 4
typedef struct FieldMemo {
  int valid, n;
  int axis[FC_MEMO_DEPS];
  double val[FC_MEMO_DEPS];
  Value v;
} FieldMemo;

enum {
  FC_UNKNOWN,
  FC_CACHED,
  FC_VARIES,
  FC_INVARIANT, /* but not cached: a list, a text */
  FC_AXIS       /* a sweep axis overrides it: fc_memo[slot].axis[0] is the axis */
};

int eval(Eval *ev, const IrExpr *e, Value *out);
/* The --time-limit check (sets hard_stop when it fails); the clock is eval.h's ev_now_seconds. */
int ev_check_deadline(Eval *ev, Span sp);
/* The most numbers the lists computed in one run (or one point of a sweep) may hold. */
#define EVAL_MAX_LIST_CELLS 2.5e8
/* Points the calling thread's core cancellation hook at ev's deadline (none: removes it). */
void ev_install_cancel(Eval *ev);
/* Solvers nest (a dynamics path inside a calibration's target): their evaluations together
 * are bounded, so a chain of nested solvers cannot run without end. ev_solve_enter/leave
 * bracket one solve; ev_solve_tick counts one evaluation (and checks --time-limit). */
void ev_solve_enter(Eval *ev);
void ev_solve_leave(Eval *ev);
int ev_solve_tick(Eval *ev, Span sp);
Value ev_num(double v, Dim d);
int ev_fail(Eval *ev, EvalStatus st, Span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The one mapping from the core's status to the evaluator's: EC_EDOM (parameters outside
 * the model's domain) is EV_DOMAIN, exit status 1; a solver that fails or a value beyond
 * double precision is EV_NUMERIC, exit status 3. */
int ev_core_fail(Eval *ev, Span sp, ec_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A core failure about block d: "<kind> '<name>': <the core's message>", mapped as above. */
int ev_block_fail(Eval *ev, Span sp, const Decl *d, ec_status st, const ec_error *err);
/* Argument k of a call as a regime (nash or coop), else an error at that argument. */
int ev_regime_arg(Eval *ev, const IrExpr *e, const Value *a, int k, ec_regime *r);
/* "market", "growth", ...: a block's type as messages name it. */
const char *ev_kind(const Decl *d);
/* Block fields are read by their schema id (block_fields.def), never by name. */
/* A block field through the override stacks: 1 found, 0 unset, -1 failed. */
int ev_field_get(Eval *ev, Decl *d, FieldId id, Value *out, Span sp);
/* A text field's value, or fallback when it is not set (claims, plots). */
const char *ev_field_text(Eval *ev, Decl *d, FieldId id, Span sp, const char *fallback);
/* A finite number: 1 found, 0 unset (an error when required & 1), -1 failed; required & 2
 * also admits infinities. */
int ev_field_num(Eval *ev, Decl *d, FieldId id, double *out, Span sp, int required);
/* One of the fields a layer reads from a block at every point: its id, and ev_field_num's
 * `required`. */
typedef struct {
  FieldId id;
  int required;
} EvRead;
#define EV_PLAN_MAX 8
/* Reads n (<= EV_PLAN_MAX) numbers of d as n calls of ev_field_num would, in order (has[i]:
 * each one's 1 or 0; out[i] untouched where 0), stopping at the first failure (-1). A sweep
 * worker keeps in `slot` (a plan slot of d's: Decl.plan_slot + PLAN_*) which of them are
 * constants, axes, memos or unset while its cache holds, so later points skip the lookups. */
int ev_field_nums(Eval *ev, Decl *d, int slot, const EvRead *reads, int n, double *out, int *has,
                  Span sp);
/* The expression overriding d's field id (F_NONE: the parameter d), or NULL (fields.c);
 * *axis: the sweep override's index, else -1. */
const IrExpr *ev_override(Eval *ev, const Decl *d, FieldId id, int *axis);
/* An optional true/false field: 1 true, 0 false or unset, -1 failed. */
int ev_field_flag(Eval *ev, Decl *d, FieldId id, Span sp);
/* A value a layer derives from a block's fields (a market's x0 from its threshold), kept in
 * memo slot `slot` (Decl.derived_slot) by a sweep worker as a field's value is: computed once
 * if no point's value reaches it, else again only when the axes it read change. 0 or -1. */
int ev_slot_value(Eval *ev, int slot, int (*compute)(Eval *ev, void *ctx, Value *out), void *ctx,
                  Value *out);
/* Block fields for the layers: a number with the schema's default (none: required), or with
 * a default the layer works out (ev_param_or); a whole number in the schema's range; a symbol
 * with a default. 0, or -1 (failed, ev->status set). */
int ev_param(Eval *ev, Decl *d, FieldId id, double *v, Span sp);
int ev_param_or(Eval *ev, Decl *d, FieldId id, double *v, double dflt, Span sp);
int ev_count(Eval *ev, Decl *d, FieldId id, size_t *out, Span sp);
int ev_count_or(Eval *ev, Decl *d, FieldId id, size_t *out, double dflt, Span sp);
int ev_sym(Eval *ev, Decl *d, FieldId id, int dflt, int *out, Span sp);
int ev_curve_alpha(Eval *ev, Decl *d, double *alpha, Span sp);
/* with_bootstrap 0: alpha and its OLS statistics only, whatever the curve's bootstrap. */
int ev_curve_fit(Eval *ev, Decl *d, ec_fit *fit, Span sp, int with_bootstrap);
/* The same fit, and the observations it used (after `where` and missing values) with the
 * curve's resamples: gathered once for both. */
int ev_curve_fit_data(Eval *ev, Decl *d, ec_fit *fit, Span sp, int with_bootstrap, double **q,
                      double **c, int *n, double *boot);
/* ---- scenarios as the layers read them (scenario.c) ---- */
Decl *ev_scenario_market(Eval *ev, Decl *scn, Span sp);
/* Pushes a scenario's overrides (its base's first); returns how many to pop from ev->nscn. */
int ev_push_scenario(Eval *ev, Decl *scn);
int ev_scenario_game(Eval *ev, Decl *scn, ec_game *g, double *x0, Span sp);
/* A market's number of firms N: a whole number from 1 to 10^6, else an error naming it. */
int ev_market_firms(Eval *ev, const Decl *m, double N, Span sp);
/* Where a field is written in its block (for errors about its value), else fallback. */
Span ev_field_span(Decl *d, FieldId id, Span fallback);
/* The block a scenario names in a field (adoption, progress), through its bases; NULL, or
 * (ev_scenario_block) an error saying the scenario lacks it. */
Decl *ev_scenario_block_opt(Decl *scn, FieldId field);
Decl *ev_scenario_block(Eval *ev, Decl *scn, FieldId id, Span sp);
/* The crossing threshold of a scenario's market: Q_now, Qbar = Q_now + x0, the curve's alpha
 * and c*; why names the caller in the error when the market declares no threshold block. */
typedef struct {
  double Q_now, Qbar, alpha, c_star;
  Dim c_dim;
} EvThreshold;
int ev_scenario_threshold(Eval *ev, Decl *scn, ec_game *g, double *x0, EvThreshold *t,
                          const char *why, Span sp);
/* The adoption model of a scenario and the equilibrium path it is driven by. */
int ev_scenario_adoption(Eval *ev, Decl *scn, ec_adoption *m, ec_path *p, double *horizon, Span sp);
/* Dual convergence's inputs: the game at the Wright threshold (x0, Qbar) and the scenario's
 * progress block (its event arrays in the arena). */
int ev_scenario_dual(Eval *ev, Decl *scn, ec_game *g, double *x0, double *Qbar, ec_progress *pr,
                     Span sp);
/* Knowledge diffusion on a mesh's network (eq. 34) to t: disagreement and decay rate
 * (mesh_layer.c; the seeded network and start are the same at every t). */
int ev_mesh_diffusion(Eval *ev, Decl *d, double t, double *dis, double *rate, Span sp);

/* The curve's data as fitted (after `where`), and its bootstrap resamples. */
int ev_curve_data(Eval *ev, Decl *d, double **q, double **c, int *n, double *boot, Span sp);

/* ---- the draws of samples (eval.c) ---- */
/* The draws of sample d: computed now (through ev->sample_private) if this evaluation has
 * not met its statement. */
const SampleData *ev_sample(Eval *ev, const Decl *d, Span sp);
/* Records a sample's cells for the reports after it (cells must outlive ev's evaluation). */
SampleData *ev_sample_record(Eval *ev, const Decl *d, const double *cells, long nrows, int ncols,
                             long nbase);
/* One column of a sample's successful draws (IR_SAMPLE). */
int unc_column(Eval *ev, const IrExpr *e, Value *out);

#endif
