/* The families of built-in functions, in the order they are listed. */
#include "builtins.h"

#include <jansson.h>
#include <string.h>

static const BuiltinFamily *const families[] = {
    &builtins_game,     &builtins_curve, &builtins_adoption,  &builtins_dual,
    &builtins_workload, &builtins_mesh,  &builtins_growth,    &builtins_raf,
    &builtins_cycle,    &builtins_math,  &builtins_uncertain, &builtins_dynamics,
    &builtins_solve,    &builtins_paths,
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

static const char *unit_rule(int rdim) {
  static const char *names[] = {"none",     "time", "rate", "first argument", "workload output",
                                "uncertain"};
  return rdim >= 0 && rdim < (int)(sizeof names / sizeof *names) ? names[rdim] : "?";
}

/* An argument's type as the signature shows it: T_ERROR stands for any number. */
static const char *arg_name(Type t) {
  return t == T_ERROR ? "number" : type_name(t);
}

int builtin_list(FILE *out, int json) {
  if (!json) {
    for (int f = 0; f < NFAMILIES; f++)
      for (int i = 0; i < families[f]->n; i++)
        fprintf(out, "%-9s %s\n", families[f]->name, families[f]->rows[i].help);
    return 0;
  }
  json_t *all = json_array();
  for (int f = 0; f < NFAMILIES; f++)
    for (int i = 0; i < families[f]->n; i++) {
      const Builtin *b = &families[f]->rows[i];
      json_t *o = json_object(), *args = json_array();
      for (int k = 0; k < b->nargs && k < 4; k++)
        json_array_append_new(args, json_string(arg_name(b->args[k])));
      json_object_set_new(o, "name", json_string(b->name));
      json_object_set_new(o, "family", json_string(families[f]->name));
      json_object_set_new(o, "args", args);
      json_object_set_new(o, "result", b->rtype ? json_string(type_name(b->rtype)) : json_null());
      json_object_set_new(o, "unit", json_string(unit_rule(b->rdim)));
      json_object_set_new(o, "help", json_string(b->help));
      json_array_append_new(all, o);
    }
  int rc = json_dumpf(all, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(all);
  return rc;
}
