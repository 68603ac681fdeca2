/* Plots drawn by gnuplot (plot.h): a script with the data inline, so the drawing depends on
 * the data and the script alone and the same input gives the same bytes; SVG and PNG at 50
 * pixels per centimetre, PDF and EPS (cairo) at the size given, their creation date fixed. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"
#include "plot_spec.h"
#include "report.h"

extern char **environ;

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

/* How line j (1-based column) is drawn: colours cycle through gnuplot's eight, and each
 * further eight lines take the next dash pattern, so more than eight stay apart. */
static void gp_with(FILE *f, const Result *r, int j) {
  int lt = (j - 1) % 8 + 1, dt = (j - 1) / 8 % 5 + 1;
  switch (r->style) {
  case PLOT_POINTS:
    fprintf(f, "with points linecolor %d pointtype %d pointsize 0.6", lt, 7 + (j - 1) / 8 % 4);
    break;
  case PLOT_LINESPOINTS:
    fprintf(f, "with linespoints linecolor %d dashtype %d linewidth 2 pointtype 7 pointsize 0.6",
            lt, dt);
    break;
  case PLOT_BOXES:
    fputs("with boxes linecolor 1 fillstyle solid 0.5 border linecolor rgb '#404040'", f);
    break;
  default:
    fprintf(f, "with lines linecolor %d dashtype %d linewidth 2", lt, dt);
  }
}

/* One terminal's file: format i (plot_spec.h) into path. Vector formats are sized in
 * centimetres, raster and SVG at 50 pixels per centimetre (16 x 10 cm: 800 x 500). */
static void gp_terminal(FILE *f, const Result *r, int i, const char *path) {
  static const char *terms[] = {"svg", "pngcairo", "pdfcairo", "epscairo"};
  static const char *fonts[] = {"sans,12", "sans,10", "sans,9", "sans,9"};
  if (i < 2)
    fprintf(f, "set terminal %s size %d,%d", terms[i], (int)lround(r->width * 50),
            (int)lround(r->height * 50));
  else
    fprintf(f, "set terminal %s size %.3fcm,%.3fcm", terms[i], r->width, r->height);
  fprintf(f, " noenhanced font '%s'%s\n", fonts[i], i == 3 ? "" : " background '#ffffff'");
  fputs("set output ", f);
  gp_string(f, path);
  fputc('\n', f);
  fputs("plot ", f);
  if (r->band) { /* behind the lines */
    fprintf(f,
            "$data using 1:%d:%d with filledcurves fillcolor rgb '#9ecae1' fillstyle "
            "transparent solid 0.5 noborder title ",
            r->band + 1, r->band + 2);
    gp_string(f, r->band_label);
    fputs(", ", f);
  }
  int drawn = 0;
  for (int j = 1; j < r->ncols; j++) {
    if (r->band && (j == r->band || j == r->band + 1))
      continue;
    fprintf(f, "%s$data using 1:%d ", drawn++ ? ", " : "", j + 1);
    gp_with(f, r, j);
    fputs(" title ", f);
    gp_string(f, r->cols[j]);
  }
  fputs("\nunset output\n", f);
}

/* The whole script: data block, axes, then each format's file. */
static void gp_script(FILE *f, const Result *r, char *const paths[PLOT_NFORMATS]) {
  fputs("$data << EOD\n", f);
  for (int k = 0; k < r->nrows; k++) {
    for (int j = 0; j < r->ncols; j++) {
      double v = r->cells[(size_t)k * r->ncols + j];
      if (isnan(v)) /* a pair `by` does not give: no point there */
        fputs(j ? " NaN" : "NaN", f);
      else
        fprintf(f, j ? " %.17g" : "%.17g", v);
    }
    fputc('\n', f);
  }
  fputs("EOD\n", f);
  fputs("set encoding utf8\nset datafile missing 'NaN'\nset title ", f);
  gp_string(f, r->title);
  fputs("\nset xlabel ", f);
  gp_axis_label(f, r->xlabel, r->dims[0]);
  fputs("\nset ylabel ", f);
  gp_axis_label(f, r->ylabel, r->ncols > 1 ? r->dims[1] : DIM_NONE);
  fputs("\nset grid\n", f);
  if (r->legend[0])
    fprintf(f, "set key %s\n", r->legend);
  else
    fputs("unset key\n", f);
  if (r->style == PLOT_BOXES)
    fputs("set boxwidth 1 relative\nset yrange [0:*]\n", f);
  if (r->log_x)
    fputs("set logscale x\n", f);
  if (r->log_y)
    fputs("set logscale y\n", f);
  for (int i = 0; i < PLOT_NFORMATS; i++)
    if (r->formats & (1u << i))
      gp_terminal(f, r, i, paths[i]);
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

/* cairo stamps PDF and EPS files with the time they were drawn: the stamp is replaced by
 * the start of 1970 in place, at the same length, so the bytes depend on the input alone (a
 * PDF's cross-reference offsets stay right). */
static int fix_dates(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r+b");
  if (!f) {
    snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
    return -1;
  }
  char buf[65536];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = '\0';
  static const struct {
    const char *key, *fixed;
  } stamps[] = {{"/CreationDate (D:", "19700101000000Z)"},
                {"%%CreationDate: ", "Thu Jan  1 00:00:00 1970"}};
  int rc = 0;
  for (int i = 0; i < 2 && !rc; i++) {
    char *p = memmem(buf, n, stamps[i].key, strlen(stamps[i].key));
    if (!p)
      continue;
    p += strlen(stamps[i].key);
    size_t len = strlen(stamps[i].fixed);
    if ((size_t)(p - buf) + len > n)
      continue;
    char *end = memchr(p, i ? '\n' : ')', n - (size_t)(p - buf));
    if (!end || (size_t)(end - p) + (i ? 0 : 1) != len) {
      snprintf(err, errlen, "gnuplot wrote '%s' with a date edsl cannot fix", path);
      rc = -1;
      break;
    }
    if (fseek(f, p - buf, SEEK_SET) || fwrite(stamps[i].fixed, 1, len, f) != len) {
      snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
      rc = -1;
    }
  }
  if (fclose(f) && !rc) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    rc = -1;
  }
  return rc;
}

int plot_render(const Result *r, const char *dir, char *err, size_t errlen) {
  size_t n = strlen(dir) + strlen(r->file) + 16;
  char *paths[PLOT_NFORMATS] = {0}, *temps[PLOT_NFORMATS] = {0};
  AtomicFile *af[PLOT_NFORMATS] = {0};
  char *script = malloc(n + 8), *errpath = malloc(n + 8);
  /* gnuplot draws into the temporaries of atomic files, renamed when all are whole */
  int rc = 0, first = -1;
  for (int i = 0; i < PLOT_NFORMATS && !rc; i++) {
    if (!(r->formats & (1u << i)))
      continue;
    paths[i] = malloc(n);
    snprintf(paths[i], n, "%s/%s.%s", dir, r->file, plot_format_ext(i));
    af[i] = atomic_open(paths[i], err, errlen);
    if (!af[i])
      rc = -1;
    else {
      temps[i] = (char *)atomic_temp_path(af[i]);
      if (first < 0)
        first = i;
    }
  }
  if (!rc && first >= 0) {
    rc = -1;
    snprintf(script, n + 8, "%s.gp", temps[first]);
    snprintf(errpath, n + 8, "%s.err", temps[first]);
    /* the script and gnuplot's messages are temporaries too: a signal removes them */
    int rs = atomic_register(script), re = atomic_register(errpath);
    FILE *f = fopen(script, "w");
    if (!f)
      snprintf(err, errlen, "cannot write '%s': %s", script, strerror(errno));
    else {
      gp_script(f, r, temps);
      int bad = ferror(f);
      bad |= fclose(f) != 0;
      if (bad)
        snprintf(err, errlen, "cannot write '%s'", script);
      else
        rc = run_gnuplot(script, errpath, err, errlen);
    }
    for (int i = 2; i < PLOT_NFORMATS && !rc; i++)
      if (temps[i])
        rc = fix_dates(temps[i], err, errlen);
    unlink(script);
    unlink(errpath);
    atomic_unregister(rs);
    atomic_unregister(re);
  }
  for (int i = PLOT_NFORMATS - 1; i >= 0; i--) {
    if (af[i] && atomic_close(af[i], rc == 0, err, errlen))
      rc = -1;
    free(paths[i]);
  }
  free(script);
  free(errpath);
  return rc;
}
