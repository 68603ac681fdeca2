/* The options of a plot block written as text: see plot_spec.h. */
#include "plot_spec.h"

#include <stdio.h>
#include <string.h>

const char *const plot_style_choices = "\"lines\", \"points\" or \"linespoints\"";
const char *const plot_legend_choices = "\"top left\", \"top right\", \"bottom left\", \"bottom "
                                        "right\", \"outside\", \"below\" or \"none\"";

int plot_style(const char *text) {
  static const char *names[] = {"lines", "points", "linespoints"};
  for (int i = 0; i < 3; i++)
    if (!strcmp(text, names[i]))
      return i;
  return -1;
}

const char *plot_legend(const char *text) {
  static const struct {
    const char *name, *key;
  } legends[] = {{"top left", "top left"},
                 {"top right", "top right"},
                 {"bottom left", "bottom left"},
                 {"bottom right", "bottom right"},
                 {"outside", "outside right top"},
                 {"below", "below"},
                 {"none", ""}};
  for (size_t i = 0; i < sizeof legends / sizeof *legends; i++)
    if (!strcmp(text, legends[i].name))
      return legends[i].key;
  return NULL;
}

static const char *const exts[PLOT_NFORMATS] = {"svg", "png", "pdf", "eps"};

const char *plot_format_ext(int i) {
  return exts[i];
}

unsigned plot_formats(const char *text, char *bad, size_t badlen) {
  unsigned mask = 0;
  const char *p = text;
  for (;;) {
    p += strspn(p, " ,");
    if (!*p)
      break;
    size_t n = strcspn(p, " ,");
    int found = -1;
    for (int i = 0; i < PLOT_NFORMATS; i++)
      if (strlen(exts[i]) == n && !strncmp(p, exts[i], n))
        found = i;
    if (found < 0) {
      if (badlen)
        snprintf(bad, badlen, "%.*s", n > 40 ? 40 : (int)n, p);
      return 0;
    }
    mask |= 1u << found;
    p += n;
  }
  if (!mask && badlen)
    snprintf(bad, badlen, "%s", "");
  return mask;
}

void plot_file_list(const char *file, unsigned formats, char *buf, size_t n) {
  int count = 0, total = 0;
  for (int i = 0; i < PLOT_NFORMATS; i++)
    total += (formats >> i) & 1;
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; i < PLOT_NFORMATS; i++) {
    if (!(formats & (1u << i)))
      continue;
    count++;
    const char *sep = count == 1 ? "" : count == total ? " and " : ", ";
    int w = snprintf(buf + len, len < n ? n - len : 0, "%s%s.%s", sep, file, exts[i]);
    len += w > 0 ? (size_t)w : 0;
  }
}
