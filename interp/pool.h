/* The worker threads of sweeps and samples: one team for the process, kept between jobs as
 * OpenMP keeps its team, instead of threads created and joined for every chunk of rows. */
#ifndef EDSL_POOL_H
#define EDSL_POOL_H

/* A job: fn(arg, 0) runs on the caller and fn(arg, t) on workers t = 1 .. n - 1 at once;
 * fn takes its work from a shared counter, so any number of takers finishes it. */
typedef void (*PoolFn)(void *arg, int worker);

/* Runs fn on up to n takers (the caller is one) and returns when all are done: the number
 * that took part. A team already busy (a sweep inside a sweep's row, or a second run of an
 * embedding program) gives the job threads of its own, created for it. */
int pool_run(int n, PoolFn fn, void *arg);

/* Starts the team's n - 1 workers now: a thread's first wake on an idle processor can take a
 * scheduler tick (4 ms on a virtual machine), so a run that will sweep starts them before it
 * parses. */
void pool_warm(int n);

/* The team may sleep now: the run has no job for it (a program without sweeps or samples). */
void pool_rest(void);

#endif
