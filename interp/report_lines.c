/* Text every writer (report.c, report_latex.c) shares: the provenance lines and the line
 * that says where a plot was drawn. */
#include "report.h"

#include "plot_spec.h"

#include <stdio.h>

#include "version.h"

void report_sha256_hex(const unsigned char *h, char *out) {
  for (int i = 0; i < 32; i++)
    sprintf(out + 2 * i, "%02x", h[i]);
}

void report_provenance_lines(FILE *out, const Provenance *pv, const char *prefix) {
  char h[65];
  fprintf(out, "%sedsl %s\n", prefix, EDSL_VERSION);
  for (int i = 0; i < pv->prog->ninputs; i++) {
    report_sha256_hex(pv->prog->inputs[i].sha256, h);
    fprintf(out, "%sinput %s sha256:%s\n", prefix, pv->prog->inputs[i].path, h);
  }
  fprintf(out, "%sseed %lu\n", prefix, pv->seed);
  for (int i = 0; i < pv->noverrides; i++)
    fprintf(out, "%sset %s\n", prefix, pv->overrides[i]);
}

void report_provenance_comment(FILE *out, const Provenance *pv) {
  report_provenance_lines(out, pv, "# ");
}

/* A plot's files: drawn under --out (apart), else where they would go. */
void report_plot_line(char *buf, size_t n, const Result *r, int apart) {
  char what[80], files[1100];
  int lines = r->ncols - 1 - (r->band ? 2 : 0);
  if (r->style == PLOT_BOXES)
    snprintf(what, sizeof what, "a histogram of %d bins", r->nrows);
  else
    snprintf(what, sizeof what, "%d line%s of %d points%s", lines, lines == 1 ? "" : "s", r->nrows,
             r->band ? " with a band" : "");
  plot_file_list(r->file, r->formats, files, sizeof files);
  snprintf(buf, n, apart ? "%s, drawn to %s" : "%s; run with --out DIR to draw %s", what, files);
}
