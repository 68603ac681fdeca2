#define _GNU_SOURCE /* dladdr */
/* The files a scenario reads besides itself (imports, a table's CSV file): where a name
 * leads, and what the provenance records of each (its name as written and its SHA-256). */
#include "checker.h"

#include <dlfcn.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The data directory beside an installed binary: dir/rel, if it holds stdlib/ (into out). */
static const char *beside(const char *dir, const char *rel, char *out) {
  char data[PATH_MAX + 80], probe[PATH_MAX + 96];
  snprintf(data, sizeof data, "%s/%s", dir, rel);
  snprintf(probe, sizeof probe, "%s/stdlib", data);
  return access(probe, R_OK) == 0 && realpath(data, out) ? out : NULL;
}

/* Where imports not beside their file are looked for: $EDSL_HOME; else the data directory of
 * the tree this code is installed in (from libedsl's own directory, lib/ -> ../share/edsl,
 * when it is the shared library; else from the executable's, bin/ -> ../share/edsl), so that
 * an installed or moved tree needs no variable; else the source tree it was built from (a
 * build that is not installed). */
const char *edsl_home(const char **why) {
  static char found[PATH_MAX];
  const char *h = getenv("EDSL_HOME");
  if (h && *h) {
    *why = "$EDSL_HOME";
    return h;
  }
  char dir[PATH_MAX];
  Dl_info info;
  const char *rel = EDSL_DATA_REL;
  ssize_t n = -1;
  if (dladdr((void *)edsl_home, &info) && info.dli_fname && strstr(info.dli_fname, ".so") &&
      strlen(info.dli_fname) < sizeof dir) { /* libedsl, in a program that embeds it */
    snprintf(dir, sizeof dir, "%s", info.dli_fname);
    n = (ssize_t)strlen(dir);
    rel = EDSL_LIB_DATA_REL;
  } else if ((n = readlink("/proc/self/exe", dir, sizeof dir - 1)) > 0)
    dir[n] = 0;
  char *slash = n > 0 ? strrchr(dir, '/') : NULL;
  if (slash) {
    *slash = 0;
    if (beside(dir, rel, found)) {
      *why = "the installation";
      return found;
    }
  }
  *why = "the source tree";
  return EDSL_HOME;
}

static const char *home_dir(void) {
  const char *why;
  return edsl_home(&why);
}

int resolve_input(Compiler *c, const char *name, const char *ext, Span sp, const char *what,
                  const char *verb, char *cand, size_t ncand, char *canon) {
  const char *cur = c->d->src->files[sp.file].path;
  /* only files of the kind named: anything else (/etc/passwd) would be read and its lines
   * quoted back in the errors */
  size_t len = strlen(name), elen = strlen(ext);
  if (len <= elen || strcmp(name + len - elen, ext) != 0) {
    diag_error(c->d, sp, "%s takes a file named NAME%s", what, ext);
    return -1;
  }
  const char *slash = strrchr(cur, '/');
  if (name[0] == '/')
    snprintf(cand, ncand, "%s", name);
  else
    snprintf(cand, ncand, "%.*s%s", slash ? (int)(slash - cur + 1) : 0, cur, name);
  if (access(cand, R_OK) != 0 && name[0] != '/')
    snprintf(cand, ncand, "%s/%s", home_dir(), name);
  if (!realpath(cand, canon)) {
    diag_error(c->d, sp,
               "cannot %s \"%s\": no such file (looked beside '%s' and in the edsl home, "
               "$EDSL_HOME)",
               verb, name, cur);
    return -1;
  }
  size_t clen = strlen(canon);
  if (clen <= elen || strcmp(canon + clen - elen, ext) != 0) {
    /* a link named NAME.edsl to another file would have its lines quoted back, too */
    diag_error(c->d, sp, "\"%s\" leads to a file not named NAME%s; %s takes those only", name, ext,
               what);
    return -1;
  }
  return 0;
}

void record_input(Compiler *c, const char *shown, const SourceFile *f) {
  GROW(c->p->inputs, c->p->ninputs, c->p->capinputs);
  InputFile *in = &c->p->inputs[c->p->ninputs++];
  in->path = arena_strdup(c->ar, shown);
  struct sha256_ctx h;
  sha256_init(&h);
  sha256_update(&h, f->len, (const uint8_t *)f->text);
  sha256_digest(&h, SHA256_DIGEST_SIZE, in->sha256);
}
