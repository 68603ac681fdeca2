/* Plots: the data of a `plot` block (evaluated where the block stands), and its drawing by
 * gnuplot into SVG and PNG. gnuplot is a program from Debian (gnuplot-nox); edsl writes it a
 * script with the data inline, so the drawing depends on the data and the script alone and
 * the same input gives the same bytes. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dynamics.h"
#include "eval_internal.h"
#include "plot.h"
#include "report.h"

extern char **environ;

enum { MAX_LINES = 4 };
static const FieldId y_fields[MAX_LINES] = {F_PLOT_y, F_PLOT_y2, F_PLOT_y3, F_PLOT_y4};
static const FieldId label_fields[MAX_LINES] = {F_PLOT_label, F_PLOT_label2, F_PLOT_label3,
                                                F_PLOT_label4};

static int bool_field(Eval *ev, Decl *d, FieldId id, Span sp) {
  Value v;
  return ev_field_get(ev, d, id, &v, sp) == 1 && v.type == T_BOOL && v.num != 0;
}

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

int eval_plot(Eval *ev, const Stmt *s, Result *out) {
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
  int log_x = bool_field(ev, d, F_PLOT_log_x, s->span),
      log_y = bool_field(ev, d, F_PLOT_log_y, s->span);
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
    if (!isfinite(x.vec[k]) || (log_x && x.vec[k] <= 0))
      return ev_fail(ev, EV_NUMERIC, s->span, "plot '%s': x[%d] = %g cannot be drawn%s", d->name,
                     k + 1, x.vec[k], log_x && isfinite(x.vec[k]) ? " on a logarithmic axis" : "");
    for (int j = 0; j < ny; j++)
      if (!isfinite(y[j].vec[k]) || (log_y && y[j].vec[k] <= 0))
        return ev_fail(ev, EV_NUMERIC, yspan[j], "plot '%s': %s = %g at x = %g cannot be drawn%s",
                       d->name, field_spec_id(y_fields[line[j]])->path, y[j].vec[k], x.vec[k],
                       log_y && isfinite(y[j].vec[k]) ? " on a logarithmic axis" : "");
  }
  memset(out, 0, sizeof *out);
  out->name = d->name;
  out->is_table = out->is_plot = 1;
  out->ncols = ny + 1;
  out->nrows = x.n;
  out->total_rows = x.n;
  out->cols = malloc((size_t)out->ncols * sizeof *out->cols);
  out->dims = malloc((size_t)out->ncols * sizeof *out->dims);
  out->cells = malloc((size_t)out->ncols * (size_t)x.n * sizeof *out->cells);
  out->cols[0] = "x";
  out->dims[0] = x.dim;
  for (int j = 0; j < ny; j++) {
    out->cols[j + 1] = ev_field_text(ev, d, label_fields[line[j]], s->span,
                                     field_spec_id(y_fields[line[j]])->path);
    out->dims[j + 1] = y[j].dim;
  }
  for (int k = 0; k < x.n; k++) {
    out->cells[(size_t)k * out->ncols] = x.vec[k];
    for (int j = 0; j < ny; j++)
      out->cells[(size_t)k * out->ncols + j + 1] = y[j].vec[k];
  }
  out->file = ev_field_text(ev, d, F_PLOT_file, s->span, d->name);
  out->title = ev_field_text(ev, d, F_PLOT_title, s->span, d->name);
  out->xlabel = ev_field_text(ev, d, F_PLOT_xlabel, s->span, "x");
  out->ylabel = ev_field_text(ev, d, F_PLOT_ylabel, s->span, ny == 1 ? out->cols[1] : "y");
  out->log_x = log_x;
  out->log_y = log_y;
  return 0;
}

/* ---- drawing ------------------------------------------------------------------------- */

/* A gnuplot single-quoted string: '' stands for a quote; newlines and tabs become spaces. */
static void gp_string(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++)
    if (*s == '\'')
      fputs("''", f);
    else
      fputc(*s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s, f);
  fputc('\'', f);
}

/* "label (unit)", or the label alone for a plain number. */
static void gp_axis_label(FILE *f, const char *label, Dim d) {
  char u[64], *buf;
  dim_format(d, u, sizeof u);
  size_t n = strlen(label) + strlen(u) + 4;
  buf = malloc(n);
  snprintf(buf, n, u[0] ? "%s (%s)" : "%s", label, u);
  gp_string(f, buf);
  free(buf);
}

static void gp_terminal(FILE *f, const Result *r, const char *terminal, const char *font,
                        const char *path) {
  fprintf(f, "set terminal %s size 800,500 noenhanced font '%s' background '#ffffff'\n", terminal,
          font);
  fputs("set output ", f);
  gp_string(f, path);
  fputc('\n', f);
  fputs("plot ", f);
  for (int j = 1; j < r->ncols; j++) {
    fprintf(f, "%s$data using 1:%d with lines linewidth 2 title ", j > 1 ? ", " : "", j + 1);
    gp_string(f, r->cols[j]);
  }
  fputs("\nunset output\n", f);
}

/* The whole script: data block, axes, then the SVG and the PNG. */
static void gp_script(FILE *f, const Result *r, const char *svg, const char *png) {
  fputs("$data << EOD\n", f);
  for (int k = 0; k < r->nrows; k++) {
    for (int j = 0; j < r->ncols; j++)
      fprintf(f, j ? " %.17g" : "%.17g", r->cells[(size_t)k * r->ncols + j]);
    fputc('\n', f);
  }
  fputs("EOD\n", f);
  fputs("set encoding utf8\nset title ", f);
  gp_string(f, r->title);
  fputs("\nset xlabel ", f);
  gp_axis_label(f, r->xlabel, r->dims[0]);
  fputs("\nset ylabel ", f);
  gp_axis_label(f, r->ylabel, r->ncols > 1 ? r->dims[1] : DIM_NONE);
  fputs("\nset grid\nset key top left\n", f);
  if (r->log_x)
    fputs("set logscale x\n", f);
  if (r->log_y)
    fputs("set logscale y\n", f);
  gp_terminal(f, r, "svg", "sans,12", svg);
  gp_terminal(f, r, "pngcairo", "sans,10", png);
}

/* Runs gnuplot on script; its messages go to errpath. */
static int run_gnuplot(const char *script, const char *errpath, char *err, size_t errlen) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  char *argv[] = {"gnuplot", (char *)script, NULL};
  pid_t pid;
  int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    snprintf(err, errlen,
             "cannot run gnuplot (%s): plots need it installed (Debian: apt-get install "
             "gnuplot-nox)",
             strerror(rc));
    return -1;
  }
  int status;
  atomic_set_child(pid); /* a signal now kills and reaps it */
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      atomic_set_child(0);
      snprintf(err, errlen, "waiting for gnuplot: %s", strerror(errno));
      return -1;
    }
  atomic_set_child(0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return 0;
  char msg[400] = "";
  FILE *e = fopen(errpath, "r");
  if (e) {
    size_t n = fread(msg, 1, sizeof msg - 1, e);
    msg[n] = '\0';
    fclose(e);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    snprintf(err, errlen, "gnuplot is not installed (Debian: apt-get install gnuplot-nox)");
  else
    snprintf(err, errlen, "gnuplot failed: %s", msg[0] ? msg : "(no message)");
  return -1;
}

int plot_render(const Result *r, const char *dir, char *err, size_t errlen) {
  size_t n = strlen(dir) + strlen(r->file) + 16;
  char *svg = malloc(n), *png = malloc(n), *script = malloc(n + 8), *errpath = malloc(n + 8);
  snprintf(svg, n, "%s/%s.svg", dir, r->file);
  snprintf(png, n, "%s/%s.png", dir, r->file);
  /* gnuplot draws into the temporaries of two atomic files, renamed when both are whole */
  AtomicFile *as = atomic_open(svg, err, errlen), *ap = as ? atomic_open(png, err, errlen) : NULL;
  int rc = -1;
  if (as && ap) {
    snprintf(script, n + 8, "%s.gp", atomic_temp_path(as));
    snprintf(errpath, n + 8, "%s.err", atomic_temp_path(as));
    /* the script and gnuplot's messages are temporaries too: a signal removes them */
    int rs = atomic_register(script), re = atomic_register(errpath);
    FILE *f = fopen(script, "w");
    if (!f)
      snprintf(err, errlen, "cannot write '%s': %s", script, strerror(errno));
    else {
      gp_script(f, r, atomic_temp_path(as), atomic_temp_path(ap));
      int bad = ferror(f);
      bad |= fclose(f) != 0;
      if (bad)
        snprintf(err, errlen, "cannot write '%s'", script);
      else
        rc = run_gnuplot(script, errpath, err, errlen);
    }
    unlink(script);
    unlink(errpath);
    atomic_unregister(rs);
    atomic_unregister(re);
  }
  if (ap && atomic_close(ap, rc == 0, err, errlen))
    rc = -1;
  if (as && atomic_close(as, rc == 0, err, errlen))
    rc = -1;
  free(svg);
  free(png);
  free(script);
  free(errpath);
  return rc;
}
