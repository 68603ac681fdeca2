/* The syntax tree's expressions as LaTeX math (tex.c), for `edsl tex`: syntax only; which
 * names are units, and the symbols of fields, the caller gives through TexNames. */
#ifndef EDSL_TEX_H
#define EDSL_TEX_H

#include <stdio.h>

#include "ast.h"

typedef struct {
  /* whether name is a unit (set upright: \mathrm{year}) */
  int (*unit)(const char *name, void *ctx);
  /* writes name's symbol and returns 1, or returns 0 for the default (tex_symbol) */
  int (*symbol)(FILE *out, const char *name, void *ctx);
  void *ctx;
} TexNames;

/* n as LaTeX math, without the surrounding $ (names: NULL for the defaults). */
void tex_expr(FILE *out, const Node *n, const TexNames *names);
/* A name as a symbol: alpha -> \alpha, S_T -> S_{T}, c0 -> c_{0}, Qbar -> \bar{Q}, c_now ->
 * c_{\mathrm{now}}, a longer word in \mathit. */
void tex_symbol(FILE *out, const char *name);
/* A dotted path as \mathrm{block.group}.symbol (a plain name as tex_symbol). */
void tex_path(FILE *out, const char *path);
/* Text with LaTeX's special characters escaped (for \text{} and \texttt{}). */
void tex_escape(FILE *out, const char *s);

#endif
