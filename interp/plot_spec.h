/* The options of a plot block written as text (style, legend, formats), read in one place by
 * the checker, which reports a bad one where it is written, and by the drawing. */
#ifndef EDSL_PLOT_SPEC_H
#define EDSL_PLOT_SPEC_H

#include <stddef.h>

typedef enum { PLOT_LINES, PLOT_POINTS, PLOT_LINESPOINTS, PLOT_BOXES } PlotStyle;
enum { PLOT_SVG = 1, PLOT_PNG = 2, PLOT_PDF = 4, PLOT_EPS = 8, PLOT_NFORMATS = 4 };

/* The style named by text, or -1 (boxes are a histogram's, not a choice). */
int plot_style(const char *text);
/* gnuplot's `set key` arguments for a legend placement, "" for none, or NULL if unknown. */
const char *plot_legend(const char *text);
/* The formats named by text (words among svg png pdf eps, separated by spaces or commas) as
 * a mask of PLOT_*, or 0 with bad set to the first unknown word (at most badlen bytes). */
unsigned plot_formats(const char *text, char *bad, size_t badlen);
/* The extension of format i (0 <= i < PLOT_NFORMATS), and its bit. */
const char *plot_format_ext(int i);
/* "F.svg and F.png", "F.pdf, F.eps and F.svg": the files of the formats, into buf. */
void plot_file_list(const char *file, unsigned formats, char *buf, size_t n);
/* What the user may write for each option, for diagnostics. */
extern const char *const plot_style_choices, *const plot_legend_choices;

#endif
