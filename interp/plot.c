/* Plots: the data of a `plot` block, evaluated where the block stands: lines of y against x
 * (lists, paths, a sweep's columns split by `by`, a band over a sample's draws), a histogram
 * or a kernel density. Their drawing is plot_draw.c's. */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dynamics.h"
#include "eval_internal.h"
#include "plot.h"
#include "plot_spec.h"

enum { MAX_LINES = 4 };
static const FieldId y_fields[MAX_LINES] = {F_PLOT_y, F_PLOT_y2, F_PLOT_y3, F_PLOT_y4};
static const FieldId label_fields[MAX_LINES] = {F_PLOT_label, F_PLOT_label2, F_PLOT_label3,
                                                F_PLOT_label4};

/* A line given as a path: its series at x (one series: the path's, or the one named). */
static int path_line(Eval *ev, Decl *d, Value *y, const Value *x, Span sp) {
  if (y->sym == 0 && (y->pf ? y->pf->shape->n : y->decl->dyn->nstates) > 1)
    return ev_fail(ev, EV_INPUT, sp,
                   "plot '%s': a line is one series of a path; name it, as in %s%s.%s", d->name,
                   y->pf ? y->pf->name : y->decl->name, y->pf ? "(...)" : "",
                   y->pf ? y->pf->shape->names[0] : y->decl->dyn->states[0].name);
  double *v = arena_alloc(ev->ar, (size_t)(x->n + 1) * sizeof *v);
  if (path_series_at(ev, y, x->vec, x->n, v, sp))
    return -1;
  Dim dim = y->dim;
  *y = ev_num(0, dim);
  y->type = T_VEC;
  y->vec = v;
  y->n = x->n;
  return 0;
}

/* Room for a plot's table of ncols columns and nrows rows. */
static void plot_table(Result *out, int ncols, int nrows) {
  out->is_table = out->is_plot = 1;
  out->ncols = ncols;
  out->nrows = nrows;
  out->total_rows = nrows;
  out->cols = malloc((size_t)ncols * sizeof *out->cols);
  out->dims = malloc((size_t)ncols * sizeof *out->dims);
  out->cells = malloc(((size_t)ncols * (size_t)nrows + 1) * sizeof *out->cells);
}

/* The name a list was read as (a sample's or sweep's column), else fallback. */
static const char *list_name(Decl *d, FieldId id, const char *fallback) {
  const Field *f = decl_field_id(d, id);
  return f && f->ir && f->ir->op == IR_SAMPLE ? f->ir->str : fallback;
}

/* Lines of y, one per distinct value of by (in the order met), against the distinct values
 * of x (sorted): a table with a column per value of by, NaN where a pair is not given. */
enum { MAX_BY_LINES = 100 };
static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int by_lines(Eval *ev, Decl *d, const Value *x, const Value *y, const Value *by, Span sp,
                    Result *out) {
  int n = x->n;
  if (by->n != n)
    return ev_fail(ev, EV_INPUT, sp, "plot '%s': by has %d values but x has %d", d->name, by->n, n);
  double level[MAX_BY_LINES];
  int nlevels = 0;
  int *li = arena_alloc(ev->ar, (size_t)n * sizeof *li);
  for (int k = 0; k < n; k++) {
    if (!isfinite(by->vec[k]))
      return ev_fail(ev, EV_NUMERIC, sp, "plot '%s': by[%d] = %g is not a number", d->name, k + 1,
                     by->vec[k]);
    int j = 0;
    while (j < nlevels && level[j] != by->vec[k])
      j++;
    if (j == nlevels) {
      if (nlevels == MAX_BY_LINES)
        return ev_fail(ev, EV_INPUT, sp,
                       "plot '%s': by has more than %d distinct values; a plot of more lines "
                       "cannot be read",
                       d->name, MAX_BY_LINES);
      level[nlevels++] = by->vec[k];
    }
    li[k] = j;
  }
  double *xs = arena_alloc(ev->ar, (size_t)n * sizeof *xs);
  memcpy(xs, x->vec, (size_t)n * sizeof *xs);
  qsort(xs, (size_t)n, sizeof *xs, cmp_double);
  int nx = 0;
  for (int k = 0; k < n; k++)
    if (!nx || xs[k] != xs[nx - 1])
      xs[nx++] = xs[k];
  plot_table(out, nlevels + 1, nx);
  for (size_t k = 0; k < (size_t)nx * (size_t)(nlevels + 1); k++)
    out->cells[k] = NAN;
  for (int r = 0; r < nx; r++)
    out->cells[(size_t)r * (nlevels + 1)] = xs[r];
  for (int k = 0; k < n; k++) {
    const double *at = bsearch(&x->vec[k], xs, (size_t)nx, sizeof *xs, cmp_double);
    double *cell = &out->cells[(size_t)(at - xs) * (nlevels + 1) + li[k] + 1];
    if (!isnan(*cell))
      return ev_fail(ev, EV_INPUT, sp, "plot '%s': two points at x = %g for by = %g", d->name,
                     x->vec[k], level[li[k]]);
    *cell = y->vec[k];
  }
  const char *name = ev_field_text(ev, d, F_PLOT_by_label, sp, list_name(d, F_PLOT_by, "by"));
  char u[64];
  dim_format(by->dim, u, sizeof u);
  for (int j = 0; j < nlevels; j++) {
    size_t len = strlen(name) + strlen(u) + 40;
    char *t = arena_alloc(ev->ar, len);
    snprintf(t, len, u[0] ? "%s = %.6g %s" : "%s = %.6g", name, level[j], u);
    out->cols[j + 1] = t;
    out->dims[j + 1] = y->dim;
  }
  return 0;
}

/* The band of y over the draws of sample sd's decl: y evaluated again with each successful
 * draw's inputs as overrides (as the sample's own reports are), then at each x the
 * quantiles p[0] and p[1] (R's type 7, GSL's) into lo and hi. A draw whose evaluation fails
 * numerically is left out and counted in a warning. */
static int band_quantiles(Eval *ev, const Stmt *s, const Value *x, const Decl *sample,
                          const double p[2], double *lo, double *hi) {
  Decl *d = s->self;
  const SampleData *sd = ev_sample(ev, sample, s->span);
  if (!sd)
    return -1;
  const Stmt *st = sample->sample;
  int k = st->naxes, n = x->n;
  if (ev->nsweep + k > (int)(sizeof ev->sweep / sizeof *ev->sweep))
    return ev_fail(ev, EV_INPUT, s->span,
                   "plot '%s': a band over %d inputs inside a sweep of %d "
                   "axes: too many overrides at once",
                   d->name, k, ev->nsweep);
  IrExpr *point = arena_alloc(ev->ar, (size_t)(k + 1) * sizeof *point);
  Override *ovr = arena_alloc(ev->ar, (size_t)(k + 1) * sizeof *ovr);
  int base = ev->nsweep;
  for (int a = 0; a < k; a++) {
    memset(&point[a], 0, sizeof point[a]);
    point[a].op = IR_NUM;
    point[a].type = T_NUM;
    point[a].dim = st->axes[a].dim;
    ovr[a] = (Override){st->axes[a].target, st->axes[a].id, st->axes[a].path, &point[a], s->span};
    ev->sweep[ev->nsweep++] = &ovr[a];
  }
  long used = 0, failed = 0;
  if ((double)sd->nrows * n > EVAL_MAX_LIST_CELLS) {
    ev->nsweep = base;
    return ev_fail(ev, EV_INPUT, s->span,
                   "plot '%s': a band of %ld draws at %d points holds %.3g numbers, more than "
                   "%.3g; give x fewer points or the sample fewer draws",
                   d->name, sd->nrows, n, (double)sd->nrows * n, EVAL_MAX_LIST_CELLS);
  }
  double *m = malloc(((size_t)sd->nrows * (size_t)n + 1) * sizeof *m);
  if (!m) {
    ev->nsweep = base;
    return ev_fail(ev, EV_INPUT, s->span, "plot '%s': out of memory for the band", d->name);
  }
  int rc = 0;
  char first[800] = "";
  for (long r = 0; r < sd->nrows && !rc; r++) {
    const double *row = sd->cells + r * sd->ncols;
    if (sd->ncols > k && isnan(row[k]))
      continue; /* a draw the sample itself could not evaluate */
    if (ev_check_deadline(ev, s->span)) {
      rc = -1;
      break;
    }
    for (int a = 0; a < k; a++)
      point[a].num = row[a];
    Value y;
    int got = ev_field_get(ev, d, F_PLOT_y, &y, s->span);
    if (got == 1 && y.type == T_PATH)
      got = path_line(ev, d, &y, x, s->span) ? -1 : 1;
    if (got == 1 && y.n != n)
      got = ev_fail(ev, EV_INPUT, s->span, "plot '%s': y has %d values at a draw but x has %d",
                    d->name, y.n, n);
    if (got != 1) {
      if (ev->hard_stop || (ev->status != EV_NUMERIC && ev->status != EV_DOMAIN)) {
        rc = -1;
        break;
      }
      if (!failed++)
        snprintf(first, sizeof first, "%s", ev->msg);
      ev->status = EV_OK;
      continue;
    }
    memcpy(m + used * n, y.vec, (size_t)n * sizeof *m);
    used++;
  }
  ev->nsweep = base;
  if (!rc && used < 2)
    rc = ev_fail(ev, EV_NUMERIC, s->span,
                 "plot '%s': the band needs two draws or more at which y can be evaluated; %ld "
                 "of sample '%s' could be%s%s",
                 d->name, used, sample->name, first[0] ? "; the first failure: " : "", first);
  if (!rc && failed && ev->diag)
    diag_warning(ev->diag, s->span,
                 "plot '%s': y could not be evaluated at %ld of the draws of sample '%s', which "
                 "the band leaves out; the first: %s",
                 d->name, failed, sample->name, first);
  double *col = rc ? NULL : malloc((size_t)used * sizeof *col);
  for (int i = 0; !rc && i < n; i++) {
    for (long r = 0; r < used; r++)
      col[r] = m[r * n + i];
    qsort(col, (size_t)used, sizeof *col, cmp_double);
    lo[i] = gsl_stats_quantile_from_sorted_data(col, 1, (size_t)used, p[0]);
    hi[i] = gsl_stats_quantile_from_sorted_data(col, 1, (size_t)used, p[1]);
  }
  free(col);
  free(m);
  return rc;
}

static int lines_plot(Eval *ev, const Stmt *s, Result *out) {
  Decl *d = s->self;
  Value x, y[MAX_LINES];
  int line[MAX_LINES]; /* which of y, y2, y3, y4 each drawn line is */
  int ny = 0;
  for (int i = 0; i < MAX_LINES; i++) {
    int r = ev_field_get(ev, d, y_fields[i], &y[ny], s->span);
    if (r < 0)
      return -1;
    if (r == 1)
      line[ny++] = i;
  }
  int rx = ev_field_get(ev, d, F_PLOT_x, &x, s->span);
  if (rx < 0)
    return -1;
  if (rx != 1) { /* x is the first path's own points */
    int j = 0;
    while (j < ny && y[j].type != T_PATH)
      j++;
    if (j == ny)
      return ev_fail(ev, EV_INPUT, s->span,
                     "plot '%s' has no x (only a path's line brings its own)", d->name);
    x = ev_num(0, path_var_dim_value(&y[j]));
    x.type = T_VEC;
    if (path_grid(ev, &y[j], s->span, &x.vec, &x.n))
      return -1;
  }
  if (x.n < 2)
    return ev_fail(ev, EV_INPUT, s->span, "plot '%s': x has %d value%s; a line needs two", d->name,
                   x.n, x.n == 1 ? "" : "s");
  Span yspan[MAX_LINES];
  for (int j = 0; j < ny; j++) {
    const Field *f = decl_field_id(d, y_fields[line[j]]);
    yspan[j] = f ? f->span : s->span;
    if (y[j].type == T_PATH && path_line(ev, d, &y[j], &x, yspan[j]))
      return -1;
  }
  for (int j = 0; j < ny; j++)
    if (y[j].n != x.n)
      return ev_fail(ev, EV_INPUT, yspan[j], "plot '%s': %s has %d values but x has %d", d->name,
                     field_spec_id(y_fields[line[j]])->path, y[j].n, x.n);
  /* every point drawn must be a finite number (and positive on a log axis) */
  for (int k = 0; k < x.n; k++) {
    if (!isfinite(x.vec[k]) || (out->log_x && x.vec[k] <= 0))
      return ev_fail(ev, EV_NUMERIC, s->span, "plot '%s': x[%d] = %g cannot be drawn%s", d->name,
                     k + 1, x.vec[k],
                     out->log_x && isfinite(x.vec[k]) ? " on a logarithmic axis" : "");
    for (int j = 0; j < ny; j++)
      if (!isfinite(y[j].vec[k]) || (out->log_y && y[j].vec[k] <= 0))
        return ev_fail(ev, EV_NUMERIC, yspan[j], "plot '%s': %s = %g at x = %g cannot be drawn%s",
                       d->name, field_spec_id(y_fields[line[j]])->path, y[j].vec[k], x.vec[k],
                       out->log_y && isfinite(y[j].vec[k]) ? " on a logarithmic axis" : "");
  }
  Value by;
  int rb = ev_field_get(ev, d, F_PLOT_by, &by, s->span);
  if (rb < 0)
    return -1;
  if (rb == 1) {
    if (by_lines(ev, d, &x, &y[0], &by, s->span, out))
      return -1;
  } else {
    Value band;
    int rband = ev_field_get(ev, d, F_PLOT_band, &band, s->span);
    if (rband < 0)
      return -1;
    double p[2] = {0.05, 0.95}, *lo = NULL, *hi = NULL;
    if (rband == 1) {
      Value pv;
      if (ev_field_get(ev, d, F_PLOT_band_p, &pv, s->span) == 1 && pv.n == 2)
        p[0] = pv.vec[0], p[1] = pv.vec[1];
      lo = arena_alloc(ev->ar, (size_t)x.n * sizeof *lo);
      hi = arena_alloc(ev->ar, (size_t)x.n * sizeof *hi);
      if (band_quantiles(ev, s, &x, band.decl, p, lo, hi))
        return -1;
    }
    int nb = rband == 1 ? 2 : 0;
    plot_table(out, ny + 1 + nb, x.n);
    for (int j = 0; j < ny; j++) {
      out->cols[j + 1] = ev_field_text(ev, d, label_fields[line[j]], s->span,
                                       field_spec_id(y_fields[line[j]])->path);
      out->dims[j + 1] = y[j].dim;
    }
    if (nb) {
      out->band = ny + 1;
      for (int b = 0; b < 2; b++) {
        char *t = arena_alloc(ev->ar, 32);
        snprintf(t, 32, "q%g", p[b]);
        out->cols[ny + 1 + b] = t;
        out->dims[ny + 1 + b] = y[0].dim;
      }
      size_t len = strlen(band.decl->name) + 64;
      char *bl = arena_alloc(ev->ar, len);
      snprintf(bl, len, "%g-%g %% over the draws of %s", 100 * p[0], 100 * p[1], band.decl->name);
      out->band_label = ev_field_text(ev, d, F_PLOT_band_label, s->span, bl);
    }
    for (int k = 0; k < x.n; k++) {
      out->cells[(size_t)k * out->ncols] = x.vec[k];
      for (int j = 0; j < ny; j++)
        out->cells[(size_t)k * out->ncols + j + 1] = y[j].vec[k];
      if (nb) {
        out->cells[(size_t)k * out->ncols + ny + 1] = lo[k];
        out->cells[(size_t)k * out->ncols + ny + 2] = hi[k];
      }
    }
  }
  out->cols[0] = "x";
  out->dims[0] = x.dim;
  out->xlabel = ev_field_text(ev, d, F_PLOT_xlabel, s->span, list_name(d, F_PLOT_x, "x"));
  out->ylabel = ev_field_text(ev, d, F_PLOT_ylabel, s->span,
                              out->ncols == 2 ? out->cols[1] : list_name(d, F_PLOT_y, "y"));
  const char *st = ev_field_text(ev, d, F_PLOT_style, s->span, "lines");
  out->style = plot_style(st) < 0 ? PLOT_LINES : plot_style(st);
  return 0;
}

/* The values a histogram or density is of: finite numbers, at least two. */
static int distribution_values(Eval *ev, Decl *d, FieldId id, Span sp, Value *v) {
  if (ev_field_get(ev, d, id, v, sp) < 0)
    return -1;
  const char *what = field_spec_id(id)->path;
  if (v->n < 2)
    return ev_fail(ev, EV_INPUT, sp, "plot '%s': %s has %d value%s; it needs two or more", d->name,
                   what, v->n, v->n == 1 ? "" : "s");
  for (int k = 0; k < v->n; k++)
    if (!isfinite(v->vec[k]))
      return ev_fail(ev, EV_NUMERIC, sp, "plot '%s': %s[%d] = %g is not a number to count", d->name,
                     what, k + 1, v->vec[k]);
  return 0;
}

/* Counts in `bins` equal bins from the least value to the greatest, the last bin closed
 * (as numpy.histogram: an index from the scaled value, corrected against the edges). */
static int hist_plot(Eval *ev, const Stmt *s, Result *out) {
  Decl *d = s->self;
  Value v;
  if (distribution_values(ev, d, F_PLOT_hist, s->span, &v))
    return -1;
  double lo = v.vec[0], hi = v.vec[0];
  for (int k = 1; k < v.n; k++) {
    lo = fmin(lo, v.vec[k]);
    hi = fmax(hi, v.vec[k]);
  }
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  if (out->log_x && lo <= 0)
    return ev_fail(ev, EV_NUMERIC, s->span,
                   "plot '%s': hist has %g, which a logarithmic x axis cannot show", d->name, lo);
  if (!isfinite(hi - lo))
    return ev_fail(ev, EV_NUMERIC, s->span,
                   "plot '%s': hist's values span from %g to %g, wider than a double holds",
                   d->name, lo, hi);
  double b;
  int r = ev_field_num(ev, d, F_PLOT_bins, &b, s->span, 0);
  if (r < 0)
    return -1;
  int bins = r == 1 ? (int)b : (int)ceil(log2((double)v.n)) + 1;
  double *edge = arena_alloc(ev->ar, (size_t)(bins + 1) * sizeof *edge);
  double step = (hi - lo) / bins;
  for (int i = 0; i < bins; i++)
    edge[i] = lo + i * step;
  edge[bins] = hi;
  plot_table(out, 2, bins);
  for (int i = 0; i < bins; i++) {
    out->cells[2 * i] = (edge[i] + edge[i + 1]) / 2;
    out->cells[2 * i + 1] = 0;
  }
  for (int k = 0; k < v.n; k++) {
    double t = v.vec[k];
    int i = (int)((t - lo) / (hi - lo) * bins);
    if (i >= bins)
      i = bins - 1;
    if (i > 0 && t < edge[i])
      i--;
    else if (i < bins - 1 && t >= edge[i + 1])
      i++;
    out->cells[2 * i + 1] += 1;
  }
  out->cols[0] = "x";
  out->dims[0] = v.dim;
  out->cols[1] = "count";
  out->dims[1] = DIM_NONE;
  out->xlabel = ev_field_text(ev, d, F_PLOT_xlabel, s->span, list_name(d, F_PLOT_hist, "x"));
  out->ylabel = ev_field_text(ev, d, F_PLOT_ylabel, s->span, "count");
  out->style = PLOT_BOXES;
  return 0;
}

enum { DENSITY_POINTS = 512, DENSITY_DIRECT = 65536, DENSITY_GRID = 16384 };

/* A Gaussian kernel density estimate at R density()'s defaults: bandwidth bw.nrd0 (0.9 min(sd,
 * IQR/1.34) n^-1/5), 512 points from min - 3h to max + 3h. Up to 65536 values the sum is
 * exact; beyond, the values are first binned linearly onto 16384 points (as R bins them). */
static int density_plot(Eval *ev, const Stmt *s, Result *out) {
  Decl *d = s->self;
  Value v;
  if (distribution_values(ev, d, F_PLOT_density, s->span, &v))
    return -1;
  int n = v.n;
  double *x = arena_alloc(ev->ar, (size_t)n * sizeof *x);
  memcpy(x, v.vec, (size_t)n * sizeof *x);
  qsort(x, (size_t)n, sizeof *x, cmp_double);
  double sd = gsl_stats_sd(x, 1, (size_t)n), /* two passes: no cancellation far from 0 */
      iqr = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.75) -
            gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, 0.25);
  double spread = fmin(sd, iqr / 1.34);
  if (!(spread > 0))
    spread = sd > 0 ? sd : fabs(x[0]) > 0 ? fabs(x[0]) : 1;
  double h = 0.9 * spread * pow(n, -0.2);
  double from = x[0] - 3 * h, to = x[n - 1] + 3 * h;
  if (!isfinite(sd) || !isfinite(h) || !(h > 0) || !isfinite(from) || !isfinite(to) ||
      !isfinite(to - from))
    return ev_fail(ev, EV_NUMERIC, s->span,
                   "plot '%s': the density's values (from %g to %g) spread wider than a double "
                   "holds, so no bandwidth can be computed",
                   d->name, x[0], x[n - 1]);
  const double *at = x, *w = NULL;
  int m = n;
  if (n > DENSITY_DIRECT) { /* linear binning: each value split between its two grid points */
    double *g = arena_alloc(ev->ar, DENSITY_GRID * sizeof *g);
    double *wt = arena_alloc(ev->ar, DENSITY_GRID * sizeof *wt);
    double dg = (to - from) / (DENSITY_GRID - 1);
    for (int j = 0; j < DENSITY_GRID; j++) {
      g[j] = from + j * dg;
      wt[j] = 0;
    }
    for (int k = 0; k < n; k++) {
      double pos = (x[k] - from) / dg;
      int j = (int)pos;
      if (j >= DENSITY_GRID - 1)
        j = DENSITY_GRID - 2;
      double f = pos - j;
      wt[j] += 1 - f;
      wt[j + 1] += f;
    }
    at = g;
    w = wt;
    m = DENSITY_GRID;
  }
  plot_table(out, 2, DENSITY_POINTS);
  double norm = 1 / (n * h * sqrt(2 * M_PI));
  for (int j = 0; j < DENSITY_POINTS; j++) {
    if ((j & 31) == 0 && ev_check_deadline(ev, s->span))
      return -1;
    double t = from + j * (to - from) / (DENSITY_POINTS - 1), sum = 0;
    for (int k = 0; k < m; k++) {
      double z = (t - at[k]) / h;
      if (z > -40 && z < 40)
        sum += (w ? w[k] : 1) * exp(-0.5 * z * z);
    }
    out->cells[2 * j] = t;
    out->cells[2 * j + 1] = sum * norm;
  }
  out->cols[0] = "x";
  out->dims[0] = v.dim;
  out->cols[1] = "density";
  out->dims[1] = dim_div(DIM_NONE, v.dim);
  out->xlabel = ev_field_text(ev, d, F_PLOT_xlabel, s->span, list_name(d, F_PLOT_density, "x"));
  out->ylabel = ev_field_text(ev, d, F_PLOT_ylabel, s->span, "density");
  out->style = PLOT_LINES;
  return 0;
}

int eval_plot(Eval *ev, const Stmt *s, Result *out) {
  Decl *d = s->self;
  memset(out, 0, sizeof *out);
  out->name = d->name;
  out->log_x = ev_field_flag(ev, d, F_PLOT_log_x, s->span) == 1;
  out->log_y = ev_field_flag(ev, d, F_PLOT_log_y, s->span) == 1;
  int rc = decl_field_id(d, F_PLOT_hist)      ? hist_plot(ev, s, out)
           : decl_field_id(d, F_PLOT_density) ? density_plot(ev, s, out)
                                              : lines_plot(ev, s, out);
  if (rc) {
    free(out->cols);
    free(out->dims);
    free(out->cells);
    memset(out, 0, sizeof *out);
    return -1;
  }
  out->file = ev_field_text(ev, d, F_PLOT_file, s->span, d->name);
  out->title = ev_field_text(ev, d, F_PLOT_title, s->span, d->name);
  /* a histogram's or a density's one series needs no legend */
  const char *dflt = out->style == PLOT_BOXES || !decl_field_id(d, F_PLOT_y) ? "none" : "top left";
  const char *key = plot_legend(ev_field_text(ev, d, F_PLOT_legend, s->span, dflt));
  out->legend = key ? key : "";
  out->formats = plot_formats(ev_field_text(ev, d, F_PLOT_formats, s->span, "svg png"), NULL, 0);
  if (!out->formats)
    out->formats = PLOT_SVG | PLOT_PNG;
  double w = 16, h = 10;
  if (ev_field_num(ev, d, F_PLOT_width, &w, s->span, 0) < 0 ||
      ev_field_num(ev, d, F_PLOT_height, &h, s->span, 0) < 0)
    return -1;
  out->width = w;
  out->height = h;
  return 0;
}
