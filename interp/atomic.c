/* Output files written whole or not at all (report.h): a temporary beside the destination,
 * renamed into place when complete, removed on a signal. */
#include "report.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- atomic output files ---------------------------------------------------------------
 * Every output is written to a temporary file beside its destination and renamed into place
 * when complete. The temporaries in flight are registered so that SIGINT, SIGTERM or SIGHUP
 * removes them before the process dies: an interrupted run leaves no partial file. */

enum { MAX_PENDING = 128 };
static char pending[MAX_PENDING][PATH_MAX];
static volatile sig_atomic_t pending_used[MAX_PENDING];
/* With commits deferred, a finished file waits (still a temporary) for atomic_finish: a run
 * that fails later leaves none of its files. */
static int defer_commits;
static char *deferred_dest[MAX_PENDING];
/* A child drawing into the temporaries (gnuplot): killed and reaped on a signal. */
static volatile pid_t child_pid;

static void on_signal(int sig) {
  pid_t child = child_pid;
  if (child > 0) {
    kill(child, SIGKILL); /* async-signal-safe, as are waitpid and unlink */
    waitpid(child, NULL, 0);
  }
  for (int i = 0; i < MAX_PENDING; i++)
    if (pending_used[i])
      unlink(pending[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

void atomic_set_child(pid_t pid) {
  child_pid = pid;
}

int atomic_register(const char *path) {
  for (int i = 0; i < MAX_PENDING; i++)
    if (!pending_used[i] && strlen(path) < PATH_MAX) {
      snprintf(pending[i], PATH_MAX, "%s", path);
      pending_used[i] = 1;
      return i;
    }
  return -1;
}

void atomic_unregister(int slot) {
  if (slot >= 0)
    pending_used[slot] = 0;
}

void atomic_defer_commits(void) {
  defer_commits = 1;
}

int atomic_finish(int ok, char *err, size_t errlen) {
  int rc = 0;
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  for (int i = 0; i < MAX_PENDING; i++) {
    if (!deferred_dest[i])
      continue;
    if (ok && rc == 0 && rename(pending[i], deferred_dest[i]) != 0) {
      snprintf(err, errlen, "cannot write '%s': %s", deferred_dest[i], strerror(errno));
      rc = -1;
    }
    if (!ok || rc != 0)
      unlink(pending[i]);
    free(deferred_dest[i]);
    deferred_dest[i] = NULL;
    pending_used[i] = 0;
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  return rc;
}

void atomic_install_signal_cleanup(void) {
  /* every signal whose default ends the process, so that none leaves a temporary */
  static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGUSR1,
                             SIGUSR2, SIGPIPE, SIGALRM, SIGXCPU, SIGXFSZ};
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
    /* a signal the caller ignores (nohup, a background job) stays ignored */
    if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(sigs[i], &sa, NULL);
}

struct AtomicFile {
  char *path;
  FILE *f;
  int slot;
};

AtomicFile *atomic_open(const char *path, char *err, size_t errlen) {
  size_t l = strlen(path);
  if (l + 16 > PATH_MAX) {
    snprintf(err, errlen, "the path '%s' is too long", path);
    return NULL;
  }
  int slot = -1;
  for (int i = 0; i < MAX_PENDING && slot < 0; i++)
    if (!pending_used[i])
      slot = i;
  if (slot < 0) {
    snprintf(err, errlen, "too many output files open at once (at '%s')", path);
    return NULL;
  }
  const char *slash = strrchr(path, '/');
  int dl = slash ? (int)(slash - path + 1) : 0;
  snprintf(pending[slot], PATH_MAX, "%.*s.%s.XXXXXX", dl, path, path + dl);
  /* block the signals while the temporary comes into being and is registered */
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  int fd = mkstemp(pending[slot]);
  if (fd >= 0)
    pending_used[slot] = 1;
  sigprocmask(SIG_SETMASK, &old, NULL);
  if (fd < 0) {
    snprintf(err, errlen, "cannot create a file beside '%s': %s", path, strerror(errno));
    return NULL;
  }
  /* mkstemp makes it 0600; the file it becomes is the user's, as any file they create is */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) {
    snprintf(err, errlen, "cannot set the permissions of a file beside '%s': %s", path,
             strerror(errno));
    close(fd);
    unlink(pending[slot]);
    pending_used[slot] = 0;
    return NULL;
  }
  AtomicFile *a = malloc(sizeof *a);
  a->path = strdup(path);
  a->f = fdopen(fd, "w");
  a->slot = slot;
  return a;
}

FILE *atomic_stream(AtomicFile *a) {
  return a->f;
}

const char *atomic_temp_path(const AtomicFile *a) {
  return pending[a->slot];
}

int atomic_close(AtomicFile *a, int commit, char *err, size_t errlen) {
  int rc = commit ? 0 : -1;
  if (fflush(a->f) != 0 || ferror(a->f))
    rc = -1;
  if (fclose(a->f) != 0)
    rc = -1;
  sigset_t all, old;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, &old);
  if (rc == 0 && defer_commits) { /* whole: it waits for atomic_finish */
    deferred_dest[a->slot] = a->path;
    a->path = NULL;
  } else {
    if (rc == 0 && rename(pending[a->slot], a->path) != 0)
      rc = -1;
    if (rc != 0) {
      if (commit)
        snprintf(err, errlen, "cannot write '%s': %s", a->path, strerror(errno));
      unlink(pending[a->slot]);
    }
    pending_used[a->slot] = 0;
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  free(a->path);
  free(a);
  return commit ? rc : 0;
}

int write_atomic(const char *path, int (*fn)(FILE *, void *), void *arg, char *err, size_t errlen) {
  AtomicFile *a = atomic_open(path, err, errlen);
  if (!a)
    return -1;
  int rc = fn(a->f, arg);
  if (rc != 0)
    snprintf(err, errlen, "cannot write '%s'", path);
  return atomic_close(a, rc == 0, err, errlen) || rc ? -1 : 0;
}
