/* The process's team of worker threads (pool.h). Between jobs a worker spins for a while
 * before it sleeps: a chunk of a sweep takes milliseconds, and a woken thread can wait up to
 * a scheduler tick (4 ms) before it runs, which is also why OpenMP runtimes spin (Intel's
 * for 200 ms by default). For the same reason a new worker starts on a processor other than
 * its creator's: Linux puts a new thread beside its creator, and while the creator computes
 * the thread waits for the load balancer (measured: 3.8 ms, against 0.1 ms when placed). */
#define _GNU_SOURCE /* pthread_attr_setaffinity_np, sched_getcpu */
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <time.h>

enum { POOL_MAX = 64 };
/* how long an idle worker spins before it sleeps, in nanoseconds */
#define POOL_SPIN_NS 50000000LL
/* how long the caller spins for the last worker of a job before it sleeps */
#define POOL_TAIL_NS 1000000LL

static struct {
  pthread_mutex_t mu;
  pthread_cond_t work, done;
  pthread_t tid[POOL_MAX];
  int nworkers; /* started: workers 1 .. nworkers */
  unsigned gen; /* bumped (atomic) to publish a job: fn, arg, n */
  PoolFn fn;
  void *arg;
  int n;              /* takers of the job: the caller and workers 1 .. n - 1 */
  int remaining;      /* atomic: workers yet to finish (or pass over) the job */
  long long spin_end; /* atomic: idle workers spin until this time, then sleep */
  int busy;           /* atomic: a job holds the team */
  int caller_waits;   /* under mu: the caller sleeps on done */
  int stop;           /* under mu, and read atomically: the process exits */
} P = {.mu = PTHREAD_MUTEX_INITIALIZER,
       .work = PTHREAD_COND_INITIALIZER,
       .done = PTHREAD_COND_INITIALIZER};

static long long now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* One turn of a spin: every 64th gives the processor away, so that a team larger than the
 * machine (more --threads than cores) does not spin in the way of the takers working. */
static void cpu_relax(unsigned k) {
  if (k % 64 == 0)
    sched_yield();
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/* Keeps the idle workers spinning for POOL_SPIN_NS from now. */
static void spin_on(void) {
  __atomic_store_n(&P.spin_end, now_ns() + POOL_SPIN_NS, __ATOMIC_RELAXED);
}

/* Waits until a job newer than seen is published (its generation), or the team stops (-1). */
static long wait_job(unsigned seen) {
  for (unsigned k = 0;; k++) {
    unsigned g = __atomic_load_n(&P.gen, __ATOMIC_ACQUIRE);
    if (g != seen)
      return g;
    if (__atomic_load_n(&P.stop, __ATOMIC_RELAXED))
      return -1;
    if (k % 64 || now_ns() < __atomic_load_n(&P.spin_end, __ATOMIC_RELAXED)) {
      cpu_relax(k);
      continue;
    }
    pthread_mutex_lock(&P.mu);
    while (__atomic_load_n(&P.gen, __ATOMIC_ACQUIRE) == seen && !P.stop &&
           now_ns() >= __atomic_load_n(&P.spin_end, __ATOMIC_RELAXED))
      pthread_cond_wait(&P.work, &P.mu);
    pthread_mutex_unlock(&P.mu);
  }
}

typedef struct {
  int id;
  unsigned seen; /* the generation when it was created: a job published later is its own */
#ifdef __linux__
  cpu_set_t allowed; /* the creator's processors: the worker's again once it runs */
  int placed;
#endif
} WorkerStart;

static WorkerStart starts[POOL_MAX];

static void *worker(void *arg) {
  const WorkerStart *ws = arg;
  int id = ws->id;
  unsigned seen = ws->seen;
#ifdef __linux__
  if (ws->placed) /* placed to start at once; from here the scheduler is free to move it */
    pthread_setaffinity_np(pthread_self(), sizeof ws->allowed, &ws->allowed);
#endif
  for (;;) {
    long g = wait_job(seen);
    if (g < 0)
      return NULL;
    seen = (unsigned)g;
    /* every worker answers every job, the ones past its takers too: so none can read the
     * next job's fields for this one */
    if (id < P.n)
      P.fn(P.arg, id);
    if (__atomic_sub_fetch(&P.remaining, 1, __ATOMIC_ACQ_REL) == 0) {
      pthread_mutex_lock(&P.mu);
      if (P.caller_waits)
        pthread_cond_signal(&P.done);
      pthread_mutex_unlock(&P.mu);
    }
  }
}

/* Where worker id starts: the id-th of the creator's processors after the one it runs on,
 * so that none starts beside the creator (when there is another processor). */
static void place(WorkerStart *ws, pthread_attr_t *attr) {
#ifdef __linux__
  ws->placed = 0;
  int here = sched_getcpu();
  if (here < 0 || sched_getaffinity(0, sizeof ws->allowed, &ws->allowed) != 0 ||
      CPU_COUNT(&ws->allowed) < 2)
    return;
  int others = CPU_COUNT(&ws->allowed) - !!CPU_ISSET(here, &ws->allowed), k = (ws->id - 1) % others;
  for (int c = 1; c <= CPU_SETSIZE; c++) {
    int cpu = (here + c) % CPU_SETSIZE;
    if (cpu != here && CPU_ISSET(cpu, &ws->allowed) && k-- == 0) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu, &one);
      ws->placed = pthread_attr_setaffinity_np(attr, sizeof one, &one) == 0;
      return;
    }
  }
#else
  (void)ws;
  (void)attr;
#endif
}

/* A worker evaluates as deep as the main thread may (eval's depth bound assumes 8 MB). */
static int start_thread(pthread_t *t, void *(*fn)(void *), void *arg, WorkerStart *ws) {
  pthread_attr_t attr;
  int have_attr = pthread_attr_init(&attr) == 0;
  if (have_attr)
    pthread_attr_setstacksize(&attr, (size_t)16 << 20);
  if (have_attr && ws)
    place(ws, &attr);
  int rc = pthread_create(t, have_attr ? &attr : NULL, fn, arg);
  if (have_attr)
    pthread_attr_destroy(&attr);
  return rc;
}

/* A child of fork has none of the parent's threads (an embedding program's
 * multiprocessing forks): its team starts empty and free. */
static void after_fork_child(void) {
  pthread_mutex_init(&P.mu, NULL);
  pthread_cond_init(&P.work, NULL);
  pthread_cond_init(&P.done, NULL);
  P.nworkers = 0;
  P.busy = 0;
  P.caller_waits = 0;
  P.stop = 0;
}

/* Grows the team to n - 1 workers (fewer if threads cannot be made). Holds the team. */
static void grow(int n) {
  static int atfork;
  if (!atfork)
    atfork = pthread_atfork(NULL, NULL, after_fork_child) == 0;
  if (n > POOL_MAX)
    n = POOL_MAX;
  spin_on();
  while (P.nworkers < n - 1) {
    int id = P.nworkers + 1;
    starts[id] = (WorkerStart){.id = id, .seen = __atomic_load_n(&P.gen, __ATOMIC_RELAXED)};
    if (start_thread(&P.tid[id], worker, &starts[id], &starts[id]) != 0)
      break;
    P.nworkers = id;
  }
}

void pool_rest(void) {
  __atomic_store_n(&P.spin_end, 0, __ATOMIC_RELAXED);
}

void pool_warm(int n) {
  if (__atomic_exchange_n(&P.busy, 1, __ATOMIC_ACQUIRE))
    return; /* a job runs: the team is awake */
  grow(n);
  pthread_mutex_lock(&P.mu);
  pthread_cond_broadcast(&P.work); /* sleepers spin again */
  pthread_mutex_unlock(&P.mu);
  __atomic_store_n(&P.busy, 0, __ATOMIC_RELEASE);
}

typedef struct {
  PoolFn fn;
  void *arg;
  int id;
} Private;

static void *private_worker(void *arg) {
  Private *p = arg;
  p->fn(p->arg, p->id);
  return NULL;
}

/* A job when the team is taken: threads of its own, joined at the end. */
static int run_private(int n, PoolFn fn, void *arg) {
  pthread_t tid[POOL_MAX];
  Private p[POOL_MAX];
  int started = 1;
  for (int t = 1; t < n && t < POOL_MAX; t++) {
    p[t] = (Private){fn, arg, t};
    if (start_thread(&tid[t], private_worker, &p[t], NULL) != 0)
      break;
    started = t + 1;
  }
  fn(arg, 0);
  for (int t = 1; t < started; t++)
    pthread_join(tid[t], NULL);
  return started;
}

int pool_run(int n, PoolFn fn, void *arg) {
  if (n <= 1) {
    fn(arg, 0);
    return 1;
  }
  if (__atomic_exchange_n(&P.busy, 1, __ATOMIC_ACQUIRE))
    return run_private(n, fn, arg);
  grow(n);
  int m = n < P.nworkers + 1 ? n : P.nworkers + 1;
  P.fn = fn;
  P.arg = arg;
  P.n = m;
  __atomic_store_n(&P.remaining, P.nworkers, __ATOMIC_RELAXED);
  __atomic_add_fetch(&P.gen, 1, __ATOMIC_RELEASE);
  pthread_mutex_lock(&P.mu);
  pthread_cond_broadcast(&P.work);
  pthread_mutex_unlock(&P.mu);
  fn(arg, 0);
  long long tail_end = now_ns() + POOL_TAIL_NS;
  for (unsigned k = 0; __atomic_load_n(&P.remaining, __ATOMIC_ACQUIRE);) {
    if (++k % 64 || now_ns() < tail_end) {
      cpu_relax(k);
      continue;
    }
    pthread_mutex_lock(&P.mu);
    P.caller_waits = 1;
    while (__atomic_load_n(&P.remaining, __ATOMIC_ACQUIRE))
      pthread_cond_wait(&P.done, &P.mu);
    P.caller_waits = 0;
    pthread_mutex_unlock(&P.mu);
  }
  spin_on(); /* the next chunk comes soon */
  __atomic_store_n(&P.busy, 0, __ATOMIC_RELEASE);
  return m;
}

/* At exit (and when a program unloads libedsl) the workers stop and are joined: none may
 * outlive the code it runs. */
__attribute__((destructor)) static void pool_stop(void) {
  pthread_mutex_lock(&P.mu);
  __atomic_store_n(&P.stop, 1, __ATOMIC_RELAXED);
  pthread_cond_broadcast(&P.work);
  pthread_mutex_unlock(&P.mu);
  for (int t = 1; t <= P.nworkers; t++)
    pthread_join(P.tid[t], NULL);
  P.nworkers = 0;
}
