#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int sources_push(Sources *s, char *path, char *text, size_t len) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    s->files = realloc(s->files, s->cap * sizeof *s->files);
  }
  s->files[s->n] = (SourceFile){path, text, len};
  return s->n++;
}

/* fd, opened non-blocking, as a stream that blocks (a FIFO's reader waits for its writer). */
static FILE *blocking_stream(int fd) {
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0)
    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  FILE *f = fdopen(fd, "rb");
  if (!f)
    close(fd);
  return f;
}

FILE *fopen_regular(const char *path) {
  /* Non-blocking, so that opening a FIFO with no writer returns at once; then only regular
   * files: a device such as /dev/zero or a FIFO would hang or never end. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int dir = S_ISDIR(st.st_mode);
    close(fd);
    errno = dir ? EISDIR : EINVAL;
    return NULL;
  }
  return blocking_stream(fd);
}

/* A scenario's text: "-" is standard input; a pipe or a FIFO is read as it comes, once its
 * first bytes arrive within SOURCE_FIFO_WAIT_MS (a FIFO nobody writes to is an error, not a
 * hang); a directory or a device is refused. */
static FILE *open_source(const char *path, int *is_stdin) {
  *is_stdin = !strcmp(path, "-");
  if (*is_stdin)
    return stdin;
  /* (a FIFO is opened once: a writer that came and went between two opens would be lost) */
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISFIFO(st.st_mode))
    return fopen_regular(path);
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
    if (fd >= 0)
      close(fd);
    errno = fd < 0 ? errno : EINVAL;
    return NULL;
  }
  struct pollfd p = {fd, POLLIN, 0};
  int ready = poll(&p, 1, SOURCE_FIFO_WAIT_MS);
  if (ready <= 0) {
    int err = ready == 0 ? ETIMEDOUT : errno;
    close(fd);
    errno = err;
    return NULL;
  }
  return blocking_stream(fd);
}

int sources_load(Sources *s, const char *path) {
  int is_stdin;
  FILE *f = open_source(path, &is_stdin);
  if (!f)
    return -1;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap + 1);
  size_t got;
  while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len > SOURCE_MAX_BYTES) {
      if (!is_stdin)
        fclose(f);
      free(buf);
      errno = EFBIG;
      return -1;
    }
    if (len == cap)
      buf = realloc(buf, (cap *= 2) + 1);
  }
  int err = ferror(f);
  if (!is_stdin)
    fclose(f);
  if (err) {
    free(buf);
    errno = EIO;
    return -1;
  }
  buf[len] = 0;
  return sources_push(s, strdup(path), buf, len);
}

const char *sources_strerror(int err) {
  return err == EINVAL      ? "not a regular file"
         : err == EFBIG     ? "larger than the 64 MiB a scenario file may have"
         : err == ETIMEDOUT ? "a FIFO nothing was written to within 2 seconds"
                            : strerror(err);
}

int sources_add(Sources *s, const char *name, const char *text, size_t len) {
  char *t = malloc(len + 1);
  memcpy(t, text, len);
  t[len] = 0;
  return sources_push(s, strdup(name), t, len);
}

void sources_free(Sources *s) {
  for (int i = 0; i < s->n; i++) {
    free(s->files[i].path);
    free(s->files[i].text);
  }
  free(s->files);
  s->files = NULL;
  s->n = s->cap = 0;
}

/* Prints line `line` of the file and a caret run under columns [c0, c1]. Bytes that are not
 * printable ASCII are shown as '?' so the caret stays aligned. */
static void show_line(Diag *d, const SourceFile *f, int line, int c0, int c1) {
  const char *p = f->text, *end = f->text + f->len;
  for (int l = 1; l < line && p < end; p++)
    if (*p == '\n')
      l++;
  const char *e = p;
  while (e < end && *e != '\n')
    e++;
  /* A long line is shown as a window around the error, marked with "..." */
  int skip = 0;
  if (c0 > 120 && e - p > 200) {
    skip = c0 - 80;
    if (skip > e - p)
      skip = (int)(e - p);
    p += skip;
    c0 -= skip - 3;
    c1 -= skip - 3;
  }
  if (e - p > 200)
    e = p + 200;
  fputs(skip ? "    ..." : "    ", d->out);
  for (const char *q = p; q < e; q++)
    fputc(*q == '\t'                                            ? ' '
          : ((unsigned char)*q < 32 || (unsigned char)*q > 126) ? '?'
                                                                : *q,
          d->out);
  fputs("\n    ", d->out);
  int width = (int)(e - p) + (skip ? 3 : 0);
  if (c0 < 1)
    c0 = 1;
  if (c1 < c0)
    c1 = c0;
  for (int i = 1; i < c0; i++)
    fputc(' ', d->out);
  for (int i = c0; i <= c1 && (i <= width || i == c0); i++)
    fputc(i == c0 ? '^' : '~', d->out);
  fputc('\n', d->out);
}

/* The longest message shown: a message quoting a 3 MB name or string keeps its ends. */
enum { DIAG_MSG_MAX = 600, DIAG_MSG_TAIL = 120 };

__attribute__((format(printf, 4, 0))) static void vreport(Diag *d, Span sp, const char *kind,
                                                          const char *fmt, va_list ap) {
  const SourceFile *f =
      (sp.file >= 0 && d->src && sp.file < d->src->n) ? &d->src->files[sp.file] : NULL;
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(NULL, 0, fmt, again);
  va_end(again);
  if (n < 0)
    return;
  char *msg = malloc((size_t)n + 1);
  if (!msg)
    return;
  vsnprintf(msg, (size_t)n + 1, fmt, ap);
  if (n > DIAG_MSG_MAX) { /* keep the head and the tail, marked */
    size_t head = DIAG_MSG_MAX - DIAG_MSG_TAIL - 5;
    memcpy(msg + head, " ... ", 5);
    memmove(msg + head + 5, msg + n - DIAG_MSG_TAIL, DIAG_MSG_TAIL + 1);
  }
  if (d->sink) {
    d->sink(d->sink_ctx, kind, f ? f->path : NULL, sp, msg);
    free(msg);
    return;
  }
  FILE *out = d->out ? d->out : stderr;
  d->out = out;
  if (f)
    fprintf(out, "%s:%d:%d: %s: %s\n", f->path, sp.first_line, sp.first_column, kind, msg);
  else
    fprintf(out, "edsl: %s: %s\n", kind, msg);
  free(msg);
  if (f && sp.first_line > 0)
    show_line(d, f, sp.first_line, sp.first_column,
              sp.last_line == sp.first_line ? sp.last_column : 1 << 20);
}

void diag_error(Diag *d, Span sp, const char *fmt, ...) {
  d->nerrors++;
  if (d->max_errors && d->nerrors > d->max_errors)
    return;
  va_list ap;
  va_start(ap, fmt);
  vreport(d, sp, "error", fmt, ap);
  va_end(ap);
}

void diag_note(Diag *d, Span sp, const char *fmt, ...) {
  if (d->max_errors && d->nerrors > d->max_errors)
    return;
  va_list ap;
  va_start(ap, fmt);
  vreport(d, sp, "note", fmt, ap);
  va_end(ap);
}

void diag_warning(Diag *d, Span sp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(d, sp, "warning", fmt, ap);
  va_end(ap);
}
