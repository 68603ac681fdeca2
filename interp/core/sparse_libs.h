/* ARPACK-NG and CHOLMOD, opened the first time a sparse network solve needs them. With the
 * LAPACK, BLAS, gfortran and ordering libraries they pull in they are 13 shared libraries,
 * whose loading more than doubled the start-up of every run (2.7 to 6.1 ms of CPU) though
 * only the Fiedler value and diffusion of large networks use them. */
#ifndef EDSL_SPARSE_LIBS_H
#define EDSL_SPARSE_LIBS_H

#include <arpack/arpack.h>
#include <suitesparse/cholmod.h>

#include "edsl_core.h"

/* Each function the core calls, by its library name. */
#define EC_SPARSE_FUNCTIONS(X)                                                                     \
  X(arpack, dsaupd_c)                                                                              \
  X(arpack, dseupd_c)                                                                              \
  X(cholmod, cholmod_start)                                                                        \
  X(cholmod, cholmod_finish)                                                                       \
  X(cholmod, cholmod_allocate_sparse)                                                              \
  X(cholmod, cholmod_free_sparse)                                                                  \
  X(cholmod, cholmod_analyze)                                                                      \
  X(cholmod, cholmod_analyze_p)                                                                    \
  X(cholmod, cholmod_factorize)                                                                    \
  X(cholmod, cholmod_free_factor)                                                                  \
  X(cholmod, cholmod_zeros)                                                                        \
  X(cholmod, cholmod_free_dense)                                                                   \
  X(cholmod, cholmod_solve2)

typedef struct {
#define EC_SPARSE_FIELD(lib, name) __typeof__(name) *name;
  EC_SPARSE_FUNCTIONS(EC_SPARSE_FIELD)
#undef EC_SPARSE_FIELD
} ec_sparse_api;

/* The functions, loaded once (thread-safe); NULL with err naming the library that could not
 * be opened. */
const ec_sparse_api *ec_sparse_api_get(ec_error *err);

#endif
