/* The team of worker threads (interp/pool.c): every item of a job is done exactly once, by
 * takers numbered below the job's count; jobs follow one another without a lost wake-up,
 * whether the workers spin or sleep between them; a job started from inside a job (the
 * team is taken) gets threads of its own. Run under ThreadSanitizer too (tsan.pool). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "pool.h"

enum { ITEMS = 20000, MAXT = 8 };

typedef struct {
  long next; /* the shared counter takers draw items from */
  long n_items;
  unsigned char done[ITEMS]; /* how often each item was done */
  int taker[ITEMS];          /* by whom */
  int n;                     /* takers asked for */
  int bad_taker;
  int nested; /* run a job of 2 from inside, on taker 0 */
  long nested_items;
} Job;

static void spin_work(int i) {
  volatile double x = i;
  for (int k = 0; k < 50; k++)
    x = x * 1.0000001 + 1e-9;
}

static void count_items(void *arg, int t) {
  Job *j = arg;
  if (t >= j->n)
    __atomic_store_n(&j->bad_taker, 1, __ATOMIC_RELAXED);
  for (;;) {
    long i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
    if (i >= j->n_items)
      break;
    spin_work((int)i);
    j->done[i]++;
    j->taker[i] = t;
  }
  if (t == 0 && j->nested) {
    Job *inner = calloc(1, sizeof *inner);
    inner->n_items = 1000;
    inner->n = 2;
    int m = pool_run(2, count_items, inner);
    long sum = 0;
    for (long i = 0; i < inner->n_items; i++)
      sum += inner->done[i];
    j->nested_items = m == 2 && !inner->bad_taker ? sum : -1;
    free(inner);
  }
}

/* Runs a job of n takers on n_items items and checks it. */
static void run_job(int n, long n_items, int nested, const char *what) {
  Job *j = calloc(1, sizeof *j);
  j->n = n;
  j->n_items = n_items;
  j->nested = nested;
  int m = pool_run(n, count_items, j);
  CHECK(m == n, "%s: %d takers asked for, %d took part", what, n, m);
  int once = 1;
  for (long i = 0; i < n_items; i++)
    once &= j->done[i] == 1 && j->taker[i] >= 0 && j->taker[i] < n;
  CHECK(once, "%s (%d takers): every item done once, by a taker below %d", what, n, n);
  CHECK(!j->bad_taker, "%s: a taker numbered %d or more ran", what, n);
  if (nested)
    CHECK(j->nested_items == 1000, "%s: the job inside the job did %ld of its 1000 items", what,
          j->nested_items);
  free(j);
}

static void sleep_ms(int ms) {
  struct timespec t = {0, ms * 1000000L};
  nanosleep(&t, NULL);
}

int main(void) {
  for (int n = 1; n <= MAXT; n++)
    run_job(n, ITEMS, 0, "one job");
  run_job(2, ITEMS, 0, "fewer takers than the team");
  /* many short jobs in a row: each hand-over of a job and its end */
  for (int k = 0; k < 3000; k++)
    run_job(1 + k % 4, 7, 0, "short jobs");
  /* past the spin: the workers sleep and are woken */
  sleep_ms(120);
  run_job(4, ITEMS, 0, "after the workers slept");
  pool_rest();
  sleep_ms(5);
  run_job(3, ITEMS, 0, "after pool_rest");
  pool_warm(4);
  run_job(4, ITEMS, 0, "after pool_warm");
  run_job(3, ITEMS, 1, "a job inside a job");
  run_job(1, ITEMS, 1, "a job inside a job of one taker");
  /* a forked child (Python's multiprocessing) has no workers: its team starts anew (not
   * under ThreadSanitizer, which cannot start threads after a multi-threaded fork; the plain
   * and ASan builds test it) */
#if defined(__SANITIZE_THREAD__)
#define POOL_TEST_FORK 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define POOL_TEST_FORK 0
#endif
#endif
#ifndef POOL_TEST_FORK
#define POOL_TEST_FORK 1
#endif
  if (!POOL_TEST_FORK)
    return TEST_SUMMARY();
  pid_t pid = fork();
  if (pid == 0) {
    alarm(20); /* a child waiting for the parent's workers would wait for ever */
    run_job(2, ITEMS, 0, "in a forked child");
    _exit(t_fail ? 1 : 0);
  }
  int status = -1;
  CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
        "a job in a forked child: status %d", status);
  run_job(2, ITEMS, 0, "in the parent after a fork");
  return TEST_SUMMARY();
}
