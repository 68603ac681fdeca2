/* Loads ARPACK-NG and CHOLMOD on first use (see sparse_libs.h). */
#include "sparse_libs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static ec_sparse_api api;
static char failure[200];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
  /* the sonames of the libraries found at build time (CMakeLists.txt) */
  void *arpack = dlopen(EDSL_ARPACK_SONAME, RTLD_NOW | RTLD_LOCAL);
  void *cholmod = arpack ? dlopen(EDSL_CHOLMOD_SONAME, RTLD_NOW | RTLD_LOCAL) : NULL;
  if (!arpack || !cholmod) {
    const char *e = dlerror();
    snprintf(failure, sizeof failure, "%s could not be loaded (%s)",
             arpack ? EDSL_CHOLMOD_SONAME : EDSL_ARPACK_SONAME, e ? e : "unknown error");
    return;
  }
#define EC_SPARSE_LOAD(lib, name)                                                                  \
  if (!failure[0] && !(*(void **)&api.name = dlsym(lib, #name)))                                   \
    snprintf(failure, sizeof failure, "%s has no function %s", #lib, #name);
  EC_SPARSE_FUNCTIONS(EC_SPARSE_LOAD)
#undef EC_SPARSE_LOAD
}

const ec_sparse_api *ec_sparse_api_get(ec_error *err) {
  pthread_once(&once, load);
  if (!failure[0])
    return &api;
  snprintf(err->msg, sizeof err->msg, "the sparse network solvers need ARPACK and CHOLMOD: %s",
           failure);
  return NULL;
}
