/* Evaluation of the IR: reports, sweeps and the calls into the numeric core. */
#ifndef EDSL_EVAL_H
#define EDSL_EVAL_H

#include "ir.h"

#include <signal.h>

typedef struct Value {
  Type type;
  Dim dim;
  double num;
  const char *str;
  int sym;
  Decl *decl;
  double *vec;
  int n;
  const struct PathFn *pf; /* a built-in's path (T_PATH with no decl): dynamics.h */
} Value;

/* How a table is set in LaTeX, from a latex block (latex_block.c). */
typedef struct {
  const char *name, *caption, *label;
  int digits, decimals;    /* decimals >= 0: that many after the point; else digits significant */
  int units;               /* units in the header */
  double width;            /* pt the table must fit */
  const char **col_labels; /* per column, LaTeX; NULL where the column's name */
  const char **row_labels; /* a comparison's rows */
  Dim *row_dims;
  Span span;
} TexStyle;

/* One named result: a scalar, or a table (sweeps, lists). */
typedef struct {
  const char *name;
  int is_table;
  Value v;
  int ncols, nrows;
  const char **cols;
  Dim *dims;
  double *cells; /* row-major; NULL when the rows went to a sink */
  /* sweeps */
  int is_sweep;
  const char *file; /* the sweep's `to` file, or NULL */
  long first_row;   /* of this shard's slice */
  long total_rows;  /* of the whole grid */
  int streamed;     /* its rows are in its file already (cells kept for the reports) */
  int deferred;     /* a summary of samples, computed by the merge of shards */
  int is_sample;    /* draws of a sample: printed as a count, written to its file */
  long failed;      /* points of a sweep, draws of a sample that failed (NA) */
  /* plots: columns x, then the lines; file is the base name of FILE.svg and FILE.png */
  int is_plot;
  const char *title, *xlabel, *ylabel;
  int log_x, log_y;
  int style; /* PlotStyle (plot_spec.h) */
  int band;  /* columns band, band + 1: a shaded band's low and high (0: none) */
  const char *band_label;
  const char *legend;   /* gnuplot's `set key` arguments; "" for none */
  unsigned formats;     /* PLOT_SVG | PLOT_PNG | ... */
  double width, height; /* centimetres */
  /* LaTeX: the style of a latex block; a comparison (rows x scenarios) is for LaTeX only, its
   * values also results of their own, NAME.ROW.SCENARIO, which LaTeX's reports leave out */
  const TexStyle *tex;
  int latex_only, not_in_latex;
} Result;

/* A printed number, edsl's value of it and the verdict (claims.c). Strings point into the
 * program's arena, except error. */
/* The verdicts (claims.c defines each in words, for the report's header): a model result at
 * stated inputs; one at an input solved for (calibrated) that was not itself a target; a
 * target of that fit (not evidence for the model); arithmetic on printed inputs; not
 * reproducible, with a reason. */
typedef enum {
  CLAIM_REPRODUCED,
  CLAIM_CALIBRATED,
  CLAIM_FITTED,
  CLAIM_ARITHMETIC,
  CLAIM_NOT_REPRODUCIBLE,
  CLAIM_NVERDICTS
} ClaimVerdict;
typedef struct {
  const char *name, *source, *calibrated, *note, *reason, *fix;
  char *error; /* the value's evaluation failed (a reasoned claim): its message, malloc'd */
  double *paper, *value; /* malloc'd; value NULL when there is none */
  int npaper, nvalue, paper_is_list, value_is_list;
  Dim dim;
  double tolerance; /* absolute (in dim), or relative when rel */
  int rel, has_tolerance;
  double deviation; /* largest |value - paper| (relative: divided by |paper|) */
  ClaimVerdict verdict;
} ClaimResult;

typedef struct {
  Result *items;
  int n, cap;
  ClaimResult *claims;
  int nclaims, capclaims;
  int claims_skipped; /* a sharded run leaves claims to unsharded runs */
  int plots_skipped;  /* and plots */
} Results;

/* EV_CLAIM: a claim that does not hold and gives no reason, or gives one but holds.
 * EV_DOMAIN: parameters outside a model's domain (the core's EC_EDOM): an input error for
 * the exit status, but one of a point, so a sweep or sample keeps the point as NA. */
typedef enum { EV_OK = 0, EV_INPUT = 1, EV_NUMERIC = 3, EV_CLAIM = 4, EV_DOMAIN = 5 } EvalStatus;

/* Where the rows of a sweep with a `to` file go as they are computed, so that memory stays
 * flat in the size of the sweep. */
typedef struct {
  void *ctx;
  /* r carries the name, columns, units, file and row counts, no cells; returns a handle, or
   * NULL with a message in err */
  void *(*open)(void *ctx, const Result *r, char *err, size_t errlen);
  /* renders one row of r->ncols values into buf (at most cap bytes); called from the sweep's
   * worker threads, so it must touch no shared state; returns the length */
  size_t (*format_row)(int ncols, const double *row, char *buf, size_t cap);
  /* appends rendered rows, in order */
  int (*write)(void *handle, const char *text, size_t len);
  /* commit: 1 keeps the output, 0 discards it; returns 0 or -1 with a message in err */
  int (*close)(void *handle, int commit, char *err, size_t errlen);
} SweepSink;

/* Room for one rendered cell of a streamed row (17 significant digits, an exponent and a
 * separator). */
#define SWEEP_CELL_TEXT 32

typedef struct {
  long max_sweep_points;            /* points of one sweep, all axes together */
  long max_bootstrap;               /* resamples of one fit */
  double time_limit;                /* seconds of wall time for one eval_program; 0: none */
  int threads;                      /* workers for sweeps; the output does not depend on it */
  int shard_k, shard_n;             /* evaluate rows [P(k-1)/n, Pk/n) of every P-point sweep */
  const SweepSink *sink;            /* for sweeps with a `to` file; NULL keeps rows in memory */
  int defer_samples;                /* sharded: reports that read samples are left to the merge */
  const Results *provided;          /* the merge: samples' rows come from these results */
  long max_network_edges;           /* largest mesh network generated (memory bound) */
  double max_mesh_work;             /* agent-task-steps of a specialization run, node-steps of a
                                       diffusion (time bound) */
  double max_solve_work;            /* evaluations of rates, targets and solver functions in one
                                       solve, the solves nested in it included */
  int strict;                       /* a point of a sweep or sample that fails numerically stops the
                                       run (default: it is NA, counted and warned about) */
  volatile sig_atomic_t *interrupt; /* set asynchronously (Ctrl-C in the REPL): the run stops
                                       where it checks its time limit; NULL: never */
  /* Called on the main thread after each chunk of a sweep's or sample's rows (done of total)
   * and at its end (done == total); NULL: none. The CLI draws progress on stderr with it. */
  void (*progress)(void *ctx, const char *kind, const char *name, long done, long total);
  void *progress_ctx;
} EvalOptions;

#define EVAL_MAX_SWEEP_POINTS 10000000L
#define EVAL_MAX_BOOTSTRAP 10000000L
/* 5e7 edges: about 1.2 GB with the edge list and compressed rows */
#define EVAL_MAX_NETWORK_EDGES 50000000L
#define EVAL_MAX_MESH_WORK 1e11
#define EVAL_MAX_SOLVE_WORK 1e8
/* The fewest bootstrap resamples a 95% percentile interval is computed from. */
#define EVAL_MIN_BOOTSTRAP 200
#define EVAL_MAX_THREADS 64
/* The defaults of the CLI: one thread, no time limit, the whole of every sweep. */
EvalOptions eval_default_options(void);
/* CLOCK_MONOTONIC seconds: the clock of --time-limit, and of the CLI's progress. */
double ev_now_seconds(void);

typedef struct Eval Eval; /* struct Eval is eval_internal.h's */
Eval *eval_new(const Program *p, Arena *ar, unsigned long seed);
void eval_set_options(Eval *ev, const EvalOptions *opt);
void results_free(Results *r);
/* Appends x (its arrays now the results'). */
void results_push(Results *r, Result x);
/* Frees what a claim's result owns (its values and error message). */
void claim_free(ClaimResult *c);

#endif
