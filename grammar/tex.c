/* Expressions of the syntax tree as LaTeX math (tex.h): fractions, powers, the usual
 * functions, conditions as cases, names as symbols in the papers' manner (alpha as \alpha,
 * S_T as S_{T}, c0 as c_{0}). Syntax only: which names are units or fields the caller says. */
#include "tex.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Text set in math mode's \text{} or \mathit{}: the ten specials escaped. */
void tex_escape(FILE *out, const char *s) {
  for (; *s; s++)
    switch (*s) {
    case '&':
    case '%':
    case '$':
    case '#':
    case '_':
    case '{':
    case '}':
      fputc('\\', out);
      fputc(*s, out);
      break;
    case '~':
      fputs("\\textasciitilde{}", out);
      break;
    case '^':
      fputs("\\textasciicircum{}", out);
      break;
    case '\\':
      fputs("\\textbackslash{}", out);
      break;
    case '\n':
    case '\t':
    case '\r':
      fputc(' ', out);
      break;
    default:
      fputc(*s, out);
    }
}

static const char *const greek[] = {"alpha", "beta",  "gamma", "delta",  "epsilon", "zeta",   "eta",
                                    "theta", "iota",  "kappa", "lambda", "mu",      "nu",     "xi",
                                    "pi",    "rho",   "sigma", "tau",    "upsilon", "phi",    "chi",
                                    "psi",   "omega", "Gamma", "Delta",  "Theta",   "Lambda", "Xi",
                                    "Pi",    "Sigma", "Phi",   "Psi",    "Omega"};

static int is_greek(const char *s, size_t n) {
  for (size_t i = 0; i < sizeof greek / sizeof *greek; i++)
    if (strlen(greek[i]) == n && !strncmp(greek[i], s, n))
      return 1;
  return 0;
}

/* One part of a symbol (no '_'): a Greek letter, a letter with trailing digits as a
 * subscript (c0), xbar as \bar{x}, one letter, or a word in \mathit. */
static void symbol_part(FILE *out, const char *s, size_t n) {
  if (n > 3 && !strncmp(s + n - 3, "bar", 3)) {
    fputs("\\bar{", out);
    symbol_part(out, s, n - 3);
    fputc('}', out);
    return;
  }
  size_t d = n;
  while (d > 1 && s[d - 1] >= '0' && s[d - 1] <= '9')
    d--;
  if (is_greek(s, d))
    fprintf(out, "\\%.*s", (int)d, s);
  else if (d == 1)
    fputc(s[0], out);
  else {
    fputs("\\mathit{", out);
    for (size_t i = 0; i < d; i++)
      fputc(s[i], out);
    fputc('}', out);
  }
  if (d < n)
    fprintf(out, "_{%.*s}", (int)(n - d), s + d);
}

void tex_symbol(FILE *out, const char *name) {
  const char *u = strchr(name, '_');
  if (!u || u == name || !u[1]) {
    if (u) { /* a leading or trailing '_': the name as a word */
      fputs("\\mathit{", out);
      tex_escape(out, name);
      fputc('}', out);
      return;
    }
    symbol_part(out, name, strlen(name));
    return;
  }
  size_t bn = (size_t)(u - name);
  symbol_part(out, name, bn);
  if (name[bn - 1] >= '0' && name[bn - 1] <= '9' && bn > 1)
    fputs("{}", out); /* c0_over: c_{0} has its subscript already */
  const char *sub = u + 1;
  size_t n = strlen(sub);
  fputs("_{", out);
  if (n == 1 || is_greek(sub, n) || strchr(sub, '_'))
    tex_symbol(out, sub);
  else {
    fputs("\\mathrm{", out);
    tex_escape(out, sub);
    fputc('}', out);
  }
  fputc('}', out);
}

void tex_path(FILE *out, const char *path) {
  const char *dot = strrchr(path, '.');
  if (!dot) {
    tex_symbol(out, path);
    return;
  }
  fputs("\\mathrm{", out); /* a block's field or a table's column: \mathrm{block}.symbol */
  for (const char *p = path; p < dot; p++)
    if (*p == '_')
      fputs("\\_", out);
    else
      fputc(*p, out);
  fputs("}.", out);
  tex_symbol(out, dot + 1);
}

/* Precedence: or 1, and 2, comparisons 3, + - 4, * / 5, unary 6, ^ 7, primary 8. */
static int prec(const Node *n) {
  if (n->kind == E_BIN)
    switch (n->op) {
    case '|':
      return 1;
    case '&':
      return 2;
    case '+':
    case '-':
      return 4;
    case '*':
    case '/':
      return 5;
    case '^':
      return 7;
    default:
      return 3;
    }
  if (n->kind == E_UNARY)
    return 6;
  return 8;
}

static void expr(FILE *out, const Node *n, const TexNames *nm);

/* The dotted name a chain of members spells (a.b.c), or 0. */
static int dotted(const Node *n, char *buf, size_t cap) {
  if (n->kind == E_IDENT)
    return snprintf(buf, cap, "%s", n->s) < (int)cap;
  if (n->kind != E_MEMBER || !dotted(n->a, buf, cap))
    return 0;
  size_t l = strlen(buf);
  return snprintf(buf + l, cap - l, ".%s", n->s) < (int)(cap - l);
}

static void sub(FILE *out, const Node *n, int least, const TexNames *nm) {
  int paren = prec(n) < least;
  if (paren)
    fputs("\\left(", out);
  expr(out, n, nm);
  if (paren)
    fputs("\\right)", out);
}

static void number(FILE *out, double v, int percent) {
  char b[64];
  snprintf(b, sizeof b, "%.10g", percent ? v * 100 : v);
  char *e = strchr(b, 'e');
  if (e) {
    *e = '\0';
    if (strcmp(b, "1"))
      fprintf(out, "%s \\times ", b);
    fprintf(out, "10^{%d}", atoi(e + 1));
  } else
    fputs(b, out);
  if (percent)
    fputs("\\%", out);
}

static int is_unit(const Node *n, const TexNames *nm) {
  return n->kind == E_IDENT && nm->unit && nm->unit(n->s, nm->ctx);
}

static void name(FILE *out, const char *s, const TexNames *nm) {
  if (nm->unit && nm->unit(s, nm->ctx)) {
    fputs("\\mathrm{", out);
    tex_escape(out, s);
    fputc('}', out);
    return;
  }
  if (nm->symbol && nm->symbol(out, s, nm->ctx))
    return;
  tex_path(out, s);
}

static void call(FILE *out, const Node *n, const TexNames *nm) {
  static const char *const ops[][2] = {{"exp", "\\exp"}, {"log", "\\ln"},  {"sin", "\\sin"},
                                       {"cos", "\\cos"}, {"min", "\\min"}, {"max", "\\max"}};
  const char *f = n->s;
  if (!strcmp(f, "sqrt") && n->nkids == 1) {
    fputs("\\sqrt{", out);
    expr(out, n->kids[0], nm);
    fputc('}', out);
    return;
  }
  if (!strcmp(f, "abs") && n->nkids == 1) {
    fputs("\\left|", out);
    expr(out, n->kids[0], nm);
    fputs("\\right|", out);
    return;
  }
  if (!strcmp(f, "if") && n->nkids == 3) {
    fputs("\\begin{cases} ", out);
    expr(out, n->kids[1], nm);
    fputs(" & \\text{if } ", out);
    expr(out, n->kids[0], nm);
    fputs(" \\\\ ", out);
    expr(out, n->kids[2], nm);
    fputs(" & \\text{otherwise} \\end{cases}", out);
    return;
  }
  const char *op = NULL;
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (!strcmp(f, ops[i][0]))
      op = ops[i][1];
  if (op)
    fputs(op, out);
  else {
    fputs("\\operatorname{", out);
    tex_escape(out, f);
    fputc('}', out);
  }
  fputs("\\left(", out);
  for (int i = 0; i < n->nkids; i++) {
    if (i)
      fputs(", ", out);
    const Node *k = n->kids[i];
    if (k->kind == E_NAMED) {
      tex_symbol(out, k->s);
      fputs(" = ", out);
      expr(out, k->a, nm);
    } else
      expr(out, k, nm);
  }
  fputs("\\right)", out);
}

/* A long list is shown by its ends: the data are in the file, the equation is for reading. */
enum { TEX_LIST_SHOWN = 6 };

static void expr(FILE *out, const Node *n, const TexNames *nm) {
  switch (n->kind) {
  case E_NUM:
    number(out, n->num, n->s && !strcmp(n->s, "%"));
    return;
  case E_STR:
    fputs("\\text{``", out);
    tex_escape(out, n->s);
    fputs("''}", out);
    return;
  case E_BOOL:
    fputs(n->num ? "\\text{true}" : "\\text{false}", out);
    return;
  case E_INF:
    fputs("\\infty", out);
    return;
  case E_IDENT:
    name(out, n->s, nm);
    return;
  case E_MEMBER: {
    char path[1024]; /* block.group.field: a name the caller may know */
    if (dotted(n, path, sizeof path)) {
      name(out, path, nm);
      return;
    }
    sub(out, n->a, 8, nm);
    fputs(".", out);
    tex_symbol(out, n->s);
    return;
  }
  case E_UNARY:
    fputs(n->op == '-' ? "-" : "\\lnot ", out);
    sub(out, n->a, 7, nm);
    return;
  case E_CALL:
    call(out, n, nm);
    return;
  case E_NAMED:
    tex_symbol(out, n->s);
    fputs(" = ", out);
    expr(out, n->a, nm);
    return;
  case E_LIST:
    fputs("\\left[", out);
    for (int i = 0; i < n->nkids; i++) {
      if (n->nkids > TEX_LIST_SHOWN && i == TEX_LIST_SHOWN / 2) {
        fputs(", \\ldots", out);
        i = n->nkids - TEX_LIST_SHOWN / 2;
      }
      if (i)
        fputs(", ", out);
      expr(out, n->kids[i], nm);
    }
    fputs("\\right]", out);
    return;
  case E_BIN:
    break;
  default:
    fputs("\\ldots", out);
    return;
  }
  int p = prec(n);
  switch (n->op) {
  case '/':
    if (is_unit(n->b, nm) && (n->a->kind == E_NUM || is_unit(n->a, nm) || n->a->kind == E_BIN)) {
      sub(out, n->a, 5, nm); /* a unit: 30 %/year, USD/GB, inline */
      fputc('/', out);
      name(out, n->b->s, nm);
      return;
    }
    fputs("\\frac{", out);
    expr(out, n->a, nm);
    fputs("}{", out);
    expr(out, n->b, nm);
    fputc('}', out);
    return;
  case '^':
    fputs("{", out);
    sub(out, n->a, 8, nm);
    fputs("}^{", out);
    expr(out, n->b, nm);
    fputc('}', out);
    return;
  case '*':
    sub(out, n->a, p, nm);
    fputs(is_unit(n->b, nm)                            ? "\\,"
          : n->a->kind == E_NUM && n->b->kind == E_NUM ? " \\times "
                                                       : " \\, ",
          out);
    sub(out, n->b, p + 1, nm);
    return;
  default:
    break;
  }
  static const struct {
    int op;
    const char *tex;
  } ops[] = {{'+', " + "},    {'-', " - "}, {'<', " < "},    {'>', " > "},      {'l', " \\le "},
             {'g', " \\ge "}, {'e', " = "}, {'n', " \\ne "}, {'&', " \\land "}, {'|', " \\lor "}};
  const char *t = " ? ";
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
    if (ops[i].op == n->op)
      t = ops[i].tex;
  sub(out, n->a, p, nm);
  fputs(t, out);
  sub(out, n->b, p + 1, nm);
}

void tex_expr(FILE *out, const Node *n, const TexNames *names) {
  static const TexNames none = {0};
  expr(out, n, names ? names : &none);
}
