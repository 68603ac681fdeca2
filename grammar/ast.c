#include "ast.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bump allocator: a compilation's nodes, strings and IR die together. */
typedef struct Chunk {
  struct Chunk *next;
  size_t used, cap;
  max_align_t data[];
} Chunk;

struct Arena {
  Chunk *head;
};

Arena *arena_new(void) {
  return calloc(1, sizeof(Arena));
}

void arena_free(Arena *a) {
  if (!a)
    return;
  for (Chunk *c = a->head, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  free(a);
}

void arena_reset(Arena *a) {
  if (!a->head)
    return;
  /* keep the newest (and largest) chunk for reuse: a sweep resets once per point */
  for (Chunk *c = a->head->next, *n; c; c = n) {
    n = c->next;
    free(c);
  }
  a->head->next = NULL;
  a->head->used = 0;
}

void *arena_alloc(Arena *a, size_t n) {
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  if (!a->head || a->head->cap - a->head->used < n) {
    /* chunks grow from 4 KiB to 1 MiB: small inputs stay small, large ones take few mallocs */
    size_t grow = a->head ? a->head->cap * 2 : 4096;
    size_t cap = grow > (1u << 20) ? (1u << 20) : grow;
    if (cap < n)
      cap = n;
    Chunk *c = malloc(sizeof(Chunk) + cap);
    if (!c) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  void *p = (char *)a->head->data + a->head->used;
  a->head->used += n;
  memset(p, 0, n);
  return p;
}

int arena_release_top(Arena *a, void *p, size_t n) {
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  Chunk *c = a->head;
  if (!c || c->used < n || (char *)c->data + c->used - n != (char *)p)
    return 0;
  c->used -= n;
  return 1;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  if (n) /* s may be NULL when empty (a string token with no characters yet) */
    memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(Arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

Node *node_new(Arena *ar, NodeKind kind, Span span) {
  Node *n = arena_alloc(ar, sizeof *n);
  n->kind = kind;
  n->span = span;
  return n;
}

void node_push(Arena *ar, Node *parent, Node *kid) {
  if (!kid)
    return;
  if (parent->nkids == parent->cap) {
    int cap = parent->cap ? parent->cap * 2 : 4;
    Node **k = arena_alloc(ar, cap * sizeof *k);
    if (parent->nkids)
      memcpy(k, parent->kids, parent->nkids * sizeof *k);
    parent->kids = k;
    parent->cap = cap;
  }
  parent->kids[parent->nkids++] = kid;
}

Span span_join(Span a, Span b) {
  Span s = a;
  s.last_line = b.last_line;
  s.last_column = b.last_column;
  return s;
}

const char *block_kind_name(int bk) {
  static const char *names[] = {"learning_curve", "market", "workload",   "adoption",  "mesh",
                                "growth",         "cycle",  "prediction", "plot",      "progress",
                                "uncertain",      "claim",  "dynamics",   "calibrate", "latex"};
  return bk >= 0 && bk < (int)(sizeof names / sizeof *names) ? names[bk] : "?";
}

static const char *kind_name(NodeKind k) {
  static const char *names[] = {"num",    "str",    "bool",   "inf",    "ident", "member",
                                "bin",    "unary",  "call",   "named",  "list",  "assign",
                                "block",  "import", "const",  "decl",   "table", "scenario",
                                "report", "sweep",  "sample", "program"};
  return names[k];
}

void ast_print(const Node *n, int indent) {
  if (!n)
    return;
  printf("%*s%s", indent, "", kind_name(n->kind));
  if (n->kind == S_BLOCK)
    printf(" %s", block_kind_name(n->op));
  else if (n->op)
    printf(" '%c'", n->op);
  if (n->s)
    printf(" \"%s\"", n->s);
  if (n->kind == E_NUM || n->kind == E_BOOL)
    printf(" %.17g", n->num);
  printf(" @%d:%d\n", n->span.first_line, n->span.first_column);
  ast_print(n->a, indent + 2);
  ast_print(n->b, indent + 2);
  ast_print(n->c, indent + 2);
  for (int i = 0; i < n->nkids; i++)
    ast_print(n->kids[i], indent + 2);
}
