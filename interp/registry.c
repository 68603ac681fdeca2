/* The families of built-in functions, in the order they are listed. */
#include "builtins.h"

#include <string.h>

static const BuiltinFamily *const families[] = {
    &builtins_game,   &builtins_curve, &builtins_layers,    &builtins_mesh,
    &builtins_growth, &builtins_math,  &builtins_uncertain,
};
enum { NFAMILIES = sizeof families / sizeof *families };

const BuiltinFamily *const *builtin_families(int *n) {
  *n = NFAMILIES;
  return families;
}

const BuiltinFamily *builtin_family(const Builtin *fn) {
  for (int f = 0; f < NFAMILIES; f++)
    if (fn >= families[f]->rows && fn < families[f]->rows + families[f]->n)
      return families[f];
  return NULL;
}

/* Rows of one name are searched from `from` on, family by family. */
static const Builtin *find(const char *name, int family, const Builtin *from) {
  for (int f = family; f < NFAMILIES; f++) {
    const Builtin *b = f == family && from ? from : families[f]->rows;
    for (const Builtin *end = families[f]->rows + families[f]->n; b < end; b++)
      if (!strcmp(b->name, name))
        return b;
  }
  return NULL;
}

const Builtin *builtin_lookup(const char *name) {
  return find(name, 0, NULL);
}

const Builtin *builtin_next(const Builtin *fn) {
  const BuiltinFamily *fam = builtin_family(fn);
  int f = 0;
  while (families[f] != fam)
    f++;
  return find(fn->name, f, fn + 1);
}
