/* edsl fmt: files in the canonical layout (comments kept), printed, rewritten or checked. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "claims.h"
#include "cli.h"
#include "driver.h"
#include "plot.h"
#include "predict.h"
#include "schema.h"
#include "shard.h"
#include "version.h"

typedef struct {
  const char *text;
  size_t len;
} Bytes;

static int write_bytes(FILE *f, void *arg);

/* --write replaces the file the path names (through a symbolic link, which stays) and keeps
 * its permissions (the atomic temporary has the umask's). */
static int rewrite(const char *path, Bytes *b, char *err, size_t errlen) {
  char real[PATH_MAX];
  struct stat st;
  if (!realpath(path, real) || stat(real, &st) != 0) {
    snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    return -1;
  }
  if (write_atomic(real, write_bytes, b, err, errlen))
    return -1;
  if (chmod(real, st.st_mode & 07777) != 0) {
    snprintf(err, errlen, "cannot keep the permissions of '%s': %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

static int write_bytes(FILE *f, void *arg) {
  const Bytes *b = arg;
  return fwrite(b->text, 1, b->len, f) == b->len ? 0 : -1;
}

/* fmt: each file parsed, laid out canonically and checked to have the same tokens. Output to
 * stdout is all or nothing; --write replaces only the files that change, atomically. */
int cmd_fmt(const Options *o) {
  if (!o->nfiles)
    return usage("fmt needs FILE");
  if (o->nsets || o->seed_text || o->fmt_given || o->outdir || o->threads || o->shard_n ||
      o->time_limit > 0 || o->max_edges || o->data || o->as_of || o->json || o->digits || o->strict)
    return usage("fmt takes FILE... and --write or --check");
  if (o->write && o->check_only)
    return usage("give fmt --write or --check, not both");
  Sources src = {0};
  Diag d = {.src = &src, .out = stderr, .max_errors = 50};
  char *all = NULL;
  size_t all_len = 0;
  FILE *m = open_memstream(&all, &all_len);
  int rc = EXIT_OK;
  for (int i = 0; i < o->nfiles; i++) {
    int id = sources_load(&src, o->files[i]);
    if (id < 0) {
      fprintf(stderr, "edsl: cannot read '%s': %s\n", o->files[i], sources_strerror(errno));
      rc = EXIT_INPUT;
      continue;
    }
    char *text;
    size_t len;
    if (edsl_format(&d, id, unit_is_name, &text, &len)) {
      rc = EXIT_INPUT;
      continue;
    }
    const SourceFile *f = &src.files[id];
    int changed = len != f->len || memcmp(text, f->text, len);
    char err[512];
    Bytes b = {text, len};
    if (o->check_only && changed) {
      fprintf(m, "%s\n", o->files[i]);
      rc = rc ? rc : EXIT_INPUT;
    } else if (o->write && changed && rewrite(o->files[i], &b, err, sizeof err)) {
      fprintf(stderr, "edsl: %s\n", err);
      rc = EXIT_INPUT;
    } else if (!o->write && !o->check_only)
      fwrite(text, 1, len, m);
    free(text);
  }
  fclose(m);
  if (o->check_only || rc == EXIT_OK)
    fwrite(all, 1, all_len, stdout);
  free(all);
  sources_free(&src);
  return rc;
}
