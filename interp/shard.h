/* Shards: one machine's part of a run (`edsl run --shard K/N`) and their merge back into the
 * exact output of the unsharded run (`edsl merge`).
 *
 * A shard file is JSON holding everything the output is made from: the provenance, the
 * requested format, every scalar result, and a contiguous range of the rows of every sweep.
 * Numbers are C99 hexadecimal floats ("%a"), so they round-trip bit for bit. */
#ifndef EDSL_SHARD_H
#define EDSL_SHARD_H

#include "report.h"

typedef struct {
  int k, n;
  Format fmt;
  int digits;           /* --digits of the run (0: the default) */
  const char *scenario; /* the file as given on the command line */
} ShardInfo;

int shard_write(FILE *out, const ShardInfo *info, const Provenance *pv, const Results *res);

/* The merge of shard files: the unsharded run's results with its provenance. All memory is
 * owned by ar (and res, freed with results_free). */
typedef struct {
  ShardInfo info;
  Program prog; /* only its inputs are set: the provenance needs nothing more */
  const char **overrides;
  int noverrides;
  unsigned long seed;
  Results res;
} Merged;

/* Reads and checks n shard files (same version, input, overrides, seed, format and N; each of
 * 1..N exactly once; sweeps contiguous) and merges them. Returns 0, or -1 with a message. */
int shard_merge(const char **paths, int n, Arena *ar, Merged *m, char *err, size_t errlen);

#endif
