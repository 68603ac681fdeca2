/* Builtins of reaction systems and catalytic matrices (004 §13, Appendix B): RAF sets of a
 * declared or random system, N_auto, and the Perron-Frobenius analysis of a catalytic matrix,
 * from a `growth` block's raf and catalytic fields, handed to the numeric core. Random
 * reaction systems draw from a stream seeded by the run's seed and the block's name. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "eval_internal.h"
#include "uncertain.h"
#include "unit_rules.h"

/* Each row of the family is its operation: the row's index in raf_rows, an id. */
typedef enum {
  G_RAF_SIZE,
  G_RAF_MEMBERS,
  G_RAF_PROBABILITY,
  G_N_AUTO,
  G_N_AUTO_EQ38,
  G_N_AUTO_PROOF,
  G_PF_EIGENVALUE,
  G_PF_VECTOR,
  G_PF_SUPPORT,
  G_CATALYTIC_SHARES,
  G_CATALYTIC_RATE,
  G_SURVIVORS,
  RAF_COUNT
} RafOp;

static int raf_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out);

static const Builtin raf_rows[] = {
    {"raf_size",
     1,
     {T_GROWTH},
     "raf_size(growth): reactions in the maximal RAF (0: none)",
     T_NUM,
     RD_NONE,
     raf_builtin,
     NULL},
    {"raf_members",
     1,
     {T_GROWTH},
     "raf_members(growth): the maximal RAF's reactions, by name",
     T_STR,
     RD_NONE,
     raf_builtin,
     NULL},
    {"raf_probability",
     2,
     {T_GROWTH, T_ERROR},
     "raf_probability(growth, N): share of drawn systems with a RAF at p(N)",
     T_NUM,
     RD_NONE,
     raf_builtin,
     builtin_check_plain1},
    {"N_auto",
     1,
     {T_GROWTH},
     "N_auto(growth): smallest N at which half the drawn systems have a RAF (Prop. 8)",
     T_NUM,
     RD_NONE,
     raf_builtin,
     NULL},
    {"N_auto_eq38",
     1,
     {T_GROWTH},
     "N_auto_eq38(growth): ln|R|/beta_t, eq. 38 without its constant",
     T_NUM,
     RD_NONE,
     raf_builtin,
     NULL},
    {"N_auto_proof",
     1,
     {T_GROWTH},
     "N_auto_proof(growth): ln(1 - 1/J)/ln(1 - beta_t), Prop. 8's proof",
     T_NUM,
     RD_NONE,
     raf_builtin,
     NULL},
    {"pf_eigenvalue",
     1,
     {T_GROWTH},
     "pf_eigenvalue(growth): lambda_1 of the catalytic matrix (Prop. 9)",
     T_NUM,
     RD_NONE,
     raf_builtin,
     NULL},
    {"pf_vector",
     1,
     {T_GROWTH},
     "pf_vector(growth): the Perron-Frobenius vector, summing to 1",
     T_VEC,
     RD_NONE,
     raf_builtin,
     NULL},
    {"pf_support",
     1,
     {T_GROWTH},
     "pf_support(growth): types with a positive Perron-Frobenius component",
     T_NUM,
     RD_NONE,
     raf_builtin,
     NULL},
    {"catalytic_shares",
     2,
     {T_GROWTH, T_ERROR},
     "catalytic_shares(growth, t): c_i(t)/sum c under catalytic.form",
     T_VEC,
     RD_NONE,
     raf_builtin,
     builtin_check_plain1},
    {"catalytic_rate",
     2,
     {T_GROWTH, T_ERROR},
     "catalytic_rate(growth, t): d ln(sum c)/dt at t (-> lambda_1 - phi_0)",
     T_NUM,
     RD_NONE,
     raf_builtin,
     builtin_check_plain1},
    {"survivors",
     2,
     {T_GROWTH, T_ERROR},
     "survivors(growth, t): types with share above 1e-6 at t",
     T_NUM,
     RD_NONE,
     raf_builtin,
     builtin_check_plain1},
};
_Static_assert(sizeof raf_rows / sizeof *raf_rows == RAF_COUNT, "one id a row");
BUILTIN_FAMILY(builtins_raf, "raf", raf_rows);

static RafOp raf_op(const IrExpr *e) {
  return (RafOp)(e->fn - raf_rows);
}

/* ---- reaction systems -------------------------------------------------------------------- */

typedef struct {
  const char **names; /* type names (declared systems) */
  size_t ntypes, cap;
  size_t *slot, nslot; /* names hashed: slot holds index + 1, 0 empty; nslot a power of 2 */
  unsigned char *food;
  size_t *in_off, *in, *out_off, *out, *cat_off, *cat;
  size_t nin, nout, ncat;
  const char **rx_names;
  ec_reaction_system s;
} Declared;

static void declared_free(Declared *x) {
  free(x->names), free(x->food), free(x->in_off), free(x->in), free(x->out_off), free(x->out);
  free(x->cat_off), free(x->cat), free(x->rx_names), free(x->slot);
}

static size_t name_hash(const char *p, size_t len) {
  size_t h = 1469598103934665603u; /* FNV-1a */
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)p[i]) * 1099511628211u;
  return h;
}

/* The index of type `name` (len bytes), added when new: hashed, so a system of many types is
 * read in linear time (a scan of the types made 20,000 reactions take 3 s). */
static size_t type_index(Declared *x, const char *name, size_t len, Arena *ar) {
  if (2 * (x->ntypes + 1) > x->nslot) {
    size_t ns = x->nslot ? 2 * x->nslot : 64, *t = calloc(ns, sizeof *t);
    if (!t) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
    for (size_t i = 0; i < x->ntypes; i++) {
      size_t j = name_hash(x->names[i], strlen(x->names[i])) & (ns - 1);
      while (t[j])
        j = (j + 1) & (ns - 1);
      t[j] = i + 1;
    }
    free(x->slot);
    x->slot = t;
    x->nslot = ns;
  }
  size_t j = name_hash(name, len) & (x->nslot - 1);
  for (; x->slot[j]; j = (j + 1) & (x->nslot - 1)) {
    const char *n = x->names[x->slot[j] - 1];
    if (strncmp(n, name, len) == 0 && n[len] == 0)
      return x->slot[j] - 1;
  }
  if (x->ntypes == x->cap) {
    x->cap = x->cap ? 2 * x->cap : 16;
    x->names = realloc(x->names, x->cap * sizeof *x->names);
  }
  char *s = arena_alloc(ar, len + 1);
  memcpy(s, name, len);
  s[len] = 0;
  x->names[x->ntypes] = s;
  x->slot[j] = x->ntypes + 1;
  return x->ntypes++;
}

/* Splits "a + b c" into type indices appended to *list (grown by realloc). */
static size_t parse_types(Declared *x, const char *text, size_t **list, size_t *n, size_t *cap,
                          Arena *ar) {
  size_t added = 0;
  for (const char *p = text; *p;) {
    while (*p && (isspace((unsigned char)*p) || *p == '+' || *p == ','))
      p++;
    const char *q = p;
    while (*q && !isspace((unsigned char)*q) && *q != '+' && *q != ',')
      q++;
    if (q == p)
      break;
    if (*n == *cap) {
      *cap = *cap ? 2 * *cap : 64;
      *list = realloc(*list, *cap * sizeof **list);
    }
    (*list)[(*n)++] = type_index(x, p, (size_t)(q - p), ar);
    added++;
    p = q;
  }
  return added;
}

static int column(const Decl *t, const char *name) {
  for (int j = 0; j < t->ncols; j++)
    if (!strcmp(t->colnames[j], name) && t->coltext[j])
      return j;
  return -1;
}

static int declared_system(Eval *ev, Decl *d, Declared *x, Span sp) {
  memset(x, 0, sizeof *x);
  Value food, rx;
  if (ev_field_get(ev, d, F_GROWTH_raf_food, &food, sp) < 0 ||
      ev_field_get(ev, d, F_GROWTH_raf_reactions, &rx, sp) < 0)
    return -1;
  const Decl *t = rx.decl;
  int ci = column(t, "inputs"), cc = column(t, "catalysts"), co = column(t, "outputs"),
      cn = column(t, "name");
  size_t R = (size_t)t->nrows, capi = 0, capo = 0, capc = 0, nfood = 0, capf = 0;
  size_t *foodlist = NULL;
  x->in_off = malloc((R + 1) * sizeof *x->in_off);
  x->out_off = malloc((R + 1) * sizeof *x->out_off);
  x->cat_off = malloc((R + 1) * sizeof *x->cat_off);
  x->rx_names = malloc((R + 1) * sizeof *x->rx_names);
  parse_types(x, food.str, &foodlist, &nfood, &capf, ev->ar);
  if (nfood == 0) {
    free(foodlist);
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': raf.food names no types", d->name);
  }
  for (size_t r = 0; r < R; r++) {
    x->in_off[r] = x->nin, x->out_off[r] = x->nout, x->cat_off[r] = x->ncat;
    size_t ni = parse_types(x, t->text[ci][r], &x->in, &x->nin, &capi, ev->ar);
    size_t nc = parse_types(x, t->text[cc][r], &x->cat, &x->ncat, &capc, ev->ar);
    size_t no = parse_types(x, t->text[co][r], &x->out, &x->nout, &capo, ev->ar);
    if (cn >= 0)
      x->rx_names[r] = t->text[cn][r];
    else {
      char *s = arena_alloc(ev->ar, 24);
      snprintf(s, 24, "r%zu", r + 1);
      x->rx_names[r] = s;
    }
    if (!ni || !no || !nc) {
      free(foodlist);
      return ev_fail(ev, EV_INPUT, sp,
                     "growth '%s': reaction %s (row %zu of table '%s') has no %s; each reaction "
                     "needs inputs, catalysts and outputs",
                     d->name, x->rx_names[r], r + 1, t->name,
                     !ni   ? "inputs"
                     : !nc ? "catalysts"
                           : "outputs");
    }
  }
  x->in_off[R] = x->nin, x->out_off[R] = x->nout, x->cat_off[R] = x->ncat;
  x->food = calloc(x->ntypes + 1, 1);
  for (size_t i = 0; i < nfood; i++)
    x->food[foodlist[i]] = 1;
  free(foodlist);
  x->s = (ec_reaction_system){x->ntypes,  R,      x->food,    x->in_off, x->in,
                              x->out_off, x->out, x->cat_off, x->cat};
  return 0;
}

static int random_spec(Eval *ev, Decl *d, ec_raf_random *m, Span sp) {
  return ev_count(ev, d, F_GROWTH_raf_types, &m->ntypes, sp) ||
                 ev_count(ev, d, F_GROWTH_raf_food_types, &m->nfood, sp) ||
                 ev_count(ev, d, F_GROWTH_raf_reaction_count, &m->nreactions, sp) ||
                 ev_count(ev, d, F_GROWTH_raf_inputs, &m->inputs, sp)
             ? -1
             : 0;
}

/* p from raf.catalysis, else from p(N) = 1 - (1 - beta_t)^N */
static int catalysis(Eval *ev, Decl *d, double N, double *p, double *beta_t, Span sp) {
  *beta_t = NAN;
  if (decl_field_id(d, F_GROWTH_raf_beta_t)) {
    if (ev_param(ev, d, F_GROWTH_raf_beta_t, beta_t, sp))
      return -1;
    if (!(*beta_t > 0 && *beta_t < 1))
      return ev_fail(ev, EV_INPUT, sp, "growth '%s': raf.beta_t = %g must be in (0, 1)", d->name,
                     *beta_t);
  }
  if (isnan(N) && decl_field_id(d, F_GROWTH_raf_catalysis))
    return ev_param(ev, d, F_GROWTH_raf_catalysis, p, sp);
  if (isnan(N) && ev_param(ev, d, F_GROWTH_raf_N, &N, sp))
    return -1;
  if (isnan(*beta_t))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': give raf.catalysis, or raf.beta_t (and raf.N) for p(N) = 1 - "
                   "(1 - beta_t)^N",
                   d->name);
  if (!(N >= 0) || !isfinite(N))
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': the mesh size N = %g must be >= 0", d->name, N);
  *p = -expm1(N * log1p(-*beta_t));
  return 0;
}

static int work_bound(Eval *ev, Decl *d, const ec_raf_random *m, size_t trials, Span sp) {
  double w = (double)trials * (double)m->ntypes * (double)m->nreactions *
             (1 + log2((double)m->ntypes * (double)m->nreactions));
  if (w > ev->opt.max_mesh_work)
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': %zu random systems of %zu types x %zu reactions take about %.3g "
                   "steps, over the limit of %g",
                   d->name, trials, m->ntypes, m->nreactions, w, ev->opt.max_mesh_work);
  return 0;
}

/* The smallest whole N at which each of the trials has a RAF (inf: never), sorted. */
static int trial_thresholds(Eval *ev, Decl *d, double beta_t, double **Ns, size_t *trials,
                            Span sp) {
  ec_raf_random m;
  if (random_spec(ev, d, &m, sp) || ev_count(ev, d, F_GROWTH_raf_trials, trials, sp) ||
      work_bound(ev, d, &m, *trials, sp))
    return -1;
  char name[300];
  snprintf(name, sizeof name, "%s.raf", d->name);
  unsigned long base = ev_stream_seed(ev->seed, name);
  double *v = arena_alloc(ev->ar, *trials * sizeof *v);
  for (size_t i = 0; i < *trials; i++) {
    double p;
    ec_error err;
    if (ev_block_fail(ev, sp, d, ec_raf_random_threshold(&m, ec_trial_seed(base, i), &p, &err),
                      &err))
      return -1;
    /* a RAF at N iff p(N) > p*, i.e. N > ln(1 - p*)/ln(1 - beta_t) */
    v[i] = !isfinite(p) || p >= 1 ? INFINITY : floor(log1p(-p) / log1p(-beta_t)) + 1;
  }
  for (size_t i = 1; i < *trials; i++) /* insertion sort: trials are few */
    for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
      double s = v[j];
      v[j] = v[j - 1], v[j - 1] = s;
    }
  *Ns = v;
  return 0;
}

static int raf_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  const char *f = e->fn->name;
  RafOp op = raf_op(e);
  Span sp = e->span;
  ec_error err;
  int declared = decl_field_id(d, F_GROWTH_raf_reactions) != NULL;
  if (!declared && !decl_field_id(d, F_GROWTH_raf_types))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s' has no reaction system: add raf { food; reactions } or raf { "
                   "types; food_types; reaction_count; catalysis | beta_t, N }",
                   d->name);
  if ((op == G_RAF_SIZE) || (op == G_RAF_MEMBERS)) {
    size_t size = 0;
    if (declared) {
      Declared x;
      if (declared_system(ev, d, &x, sp)) {
        declared_free(&x);
        return -1;
      }
      unsigned char *keep = malloc(x.s.nreactions + 1);
      ec_status st = ec_raf_max(&x.s, keep, &size, &err);
      if (st == EC_OK && op == G_RAF_MEMBERS) {
        size_t len = 1;
        for (size_t r = 0; r < x.s.nreactions; r++)
          len += keep[r] ? strlen(x.rx_names[r]) + 1 : 0;
        char *s = arena_alloc(ev->ar, len + 8);
        s[0] = 0;
        for (size_t r = 0; r < x.s.nreactions; r++)
          if (keep[r])
            strcat(strcat(s, s[0] ? " " : ""), x.rx_names[r]);
        out->str = size ? s : "none";
      }
      free(keep);
      declared_free(&x);
      if (ev_block_fail(ev, sp, d, st, &err))
        return -1;
    } else {
      if (op == G_RAF_MEMBERS)
        return ev_fail(ev, EV_INPUT, sp,
                       "growth '%s': raf_members names the reactions of a declared system; a "
                       "random one has only raf_size",
                       d->name);
      ec_raf_random m;
      double p, bt;
      if (random_spec(ev, d, &m, sp) || catalysis(ev, d, NAN, &p, &bt, sp) ||
          work_bound(ev, d, &m, 1, sp))
        return -1;
      char name[300];
      snprintf(name, sizeof name, "%s.raf", d->name);
      if (ev_block_fail(ev, sp, d,
                        ec_raf_random_size(&m, ev_stream_seed(ev->seed, name), p, &size, &err),
                        &err))
        return -1;
    }
    out->num = (double)size;
    return 1;
  }
  if (declared)
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s': %s draws random systems (raf { types; food_types; "
                   "reaction_count; beta_t }), and this raf block declares its reactions",
                   d->name, f);
  double bt, p, R;
  if (ev_param(ev, d, F_GROWTH_raf_beta_t, &bt, sp) ||
      ev_param(ev, d, F_GROWTH_raf_reaction_count, &R, sp) || catalysis(ev, d, 0, &p, &bt, sp))
    return -1;
  if (op == G_N_AUTO_EQ38) {
    out->num = log(R) / bt;
    return 1;
  }
  if (op == G_N_AUTO_PROOF) {
    double J;
    if (ev_param(ev, d, F_GROWTH_raf_types, &J, sp))
      return -1;
    out->num = log1p(-1 / J) / log1p(-bt);
    return 1;
  }
  double *Ns;
  size_t trials;
  if (trial_thresholds(ev, d, bt, &Ns, &trials, sp))
    return -1;
  if (op == G_N_AUTO) {
    out->num = Ns[(trials + 1) / 2 - 1]; /* half the systems have a RAF from here on */
    return 1;
  }
  double N = a[1].num;
  if (!(N >= 0) || !isfinite(N))
    return ev_fail(ev, EV_INPUT, e->args[1]->span, "raf_probability: N = %g must be >= 0", N);
  size_t k = 0;
  while (k < trials && Ns[k] <= N)
    k++;
  out->num = (double)k / (double)trials;
  return 1;
}

/* ---- catalytic matrix ------------------------------------------------------------------------ */

static int catalytic_matrix(Eval *ev, Decl *d, double **M, size_t *n, Span sp) {
  Value v;
  int r = ev_field_get(ev, d, F_GROWTH_catalytic_M, &v, sp);
  if (r < 0)
    return -1;
  if (r) {
    size_t k = (size_t)llround(sqrt((double)v.n));
    if (k * k != (size_t)v.n || k == 0)
      return ev_fail(ev, EV_INPUT, sp,
                     "growth '%s': catalytic.M must be a square matrix [[..], ..], got %d entries",
                     d->name, v.n);
    *M = arena_alloc(ev->ar, (size_t)v.n * sizeof **M);
    memcpy(*M, v.vec, (size_t)v.n * sizeof **M);
    *n = k;
    return 0;
  }
  if (!decl_field_id(d, F_GROWTH_raf_reactions))
    return ev_fail(ev, EV_INPUT, sp,
                   "growth '%s' has no catalytic matrix: give catalytic.M, or declare raf { food; "
                   "reactions } to take M_ij = 1 where type j catalyzes a reaction making type i",
                   d->name);
  Declared x;
  if (declared_system(ev, d, &x, sp)) {
    declared_free(&x);
    return -1;
  }
  size_t J = x.ntypes;
  *M = arena_alloc(ev->ar, J * J * sizeof **M);
  memset(*M, 0, J * J * sizeof **M);
  for (size_t rr = 0; rr < x.s.nreactions; rr++)
    for (size_t o = x.out_off[rr]; o < x.out_off[rr + 1]; o++)
      for (size_t c = x.cat_off[rr]; c < x.cat_off[rr + 1]; c++)
        (*M)[x.out[o] * J + x.cat[c]] = 1;
  *n = J;
  declared_free(&x);
  return 0;
}

static int catalytic_call(Eval *ev, const IrExpr *e, Decl *d, const Value *a, Value *out) {
  RafOp op = raf_op(e);
  Span sp = e->span;
  double *M = NULL;
  size_t n = 0;
  ec_error err;
  if (catalytic_matrix(ev, d, &M, &n, sp))
    return -1;
  if (n > 2000)
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': %zu catalytic types; at most 2000", d->name, n);
  double *v = arena_alloc(ev->ar, n * sizeof *v);
  if ((op == G_PF_EIGENVALUE || op == G_PF_VECTOR || op == G_PF_SUPPORT)) {
    double lam;
    if (ev_block_fail(ev, sp, d, ec_perron(M, n, &lam, v, &err), &err))
      return -1;
    if (op == G_PF_EIGENVALUE)
      out->num = lam;
    else if (op == G_PF_VECTOR)
      out->vec = v, out->n = (int)n;
    else {
      size_t k = 0;
      for (size_t i = 0; i < n; i++)
        k += v[i] > 0;
      out->num = (double)k;
    }
    return 1;
  }
  double phi0, t = a[1].num;
  int form;
  Value c0;
  if (ev_param(ev, d, F_GROWTH_catalytic_phi_0, &phi0, sp) ||
      ev_sym(ev, d, F_GROWTH_catalytic_form, SYM_JAIN_KRISHNA, &form, sp))
    return -1;
  int hc = ev_field_get(ev, d, F_GROWTH_catalytic_c0, &c0, sp);
  if (hc < 0)
    return -1;
  if (hc && (size_t)c0.n != n)
    return ev_fail(ev, EV_INPUT, sp, "growth '%s': catalytic.c0 has %d values for %zu types",
                   d->name, c0.n, n);
  double *start = arena_alloc(ev->ar, n * sizeof *start), rate;
  for (size_t i = 0; i < n; i++)
    start[i] = hc ? c0.vec[i] : 1;
  if (ev_block_fail(ev, sp, d,
                    ec_catalytic_run(M, n, phi0, start, t,
                                     form == SYM_PRINTED ? EC_JK_PRINTED : EC_JK_LINEAR, v, &rate,
                                     &err),
                    &err))
    return -1;
  if (op == G_CATALYTIC_SHARES)
    out->vec = v, out->n = (int)n;
  else if (op == G_CATALYTIC_RATE)
    out->num = rate;
  else {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      k += v[i] > 1e-6;
    out->num = (double)k;
  }
  return 1;
}

static int raf_builtin(Eval *ev, const IrExpr *e, const Value *a, Value *out) {
  Decl *d = a[0].decl;
  int r =
      raf_op(e) <= G_N_AUTO_PROOF ? raf_call(ev, e, d, a, out) : catalytic_call(ev, e, d, a, out);
  return r < 0 ? -1 : 0;
}
