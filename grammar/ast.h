/* The syntax tree of an .edsl file: syntax only, every node carries its source span.
 * Nodes live in an arena owned by the compilation; nothing here knows about numbers'
 * meaning, units or GSL. */
#ifndef EDSL_AST_H
#define EDSL_AST_H

#include <stddef.h>

#include "diag.h"

/* The longest name (identifier) a file may use. */
#define MAX_NAME_LEN 255

typedef enum {
  /* expressions */
  E_NUM,    /* num; s = "%" when written as a percentage */
  E_STR,    /* s */
  E_BOOL,   /* num = 0 or 1 */
  E_INF,    /* the literal inf */
  E_IDENT,  /* s */
  E_MEMBER, /* a.s */
  E_BIN,    /* a op b; op in + - * / ^ < <= > >= == != & | */
  E_UNARY,  /* op a; op in - ! */
  E_CALL,   /* s(kids...) */
  E_NAMED,  /* s = a, inside call arguments */
  E_LIST,   /* [kids...] */
  E_NUMROW, /* a table row of number literals: nums[0 .. op), no kids */
  /* block items */
  I_ASSIGN, /* path (kids: E_IDENT segments joined in s) = a */
  I_BLOCK,  /* s { kids } */
  /* statements */
  S_IMPORT,   /* s = path */
  S_CONST,    /* s = a; a dotted s (market.firms = 10) overrides a block field everywhere */
  S_BLOCK,    /* kind (op = keyword token) name s { kids } */
  S_TABLE,    /* s, a = E_LIST of column specs I_ASSIGN, rows: kids E_LIST or E_NUMROW */
  S_SCENARIO, /* s { kids }; b = base E_IDENT when "= base with" */
  S_REPORT,   /* kids: E_NAMED */
  S_SWEEP,    /* s = name (may be NULL), a = axes (E_LIST of E_NAMED: a = path E_IDENT
                 dotted in s, b = domain), kids = body statements, c = E_STR file or NULL */
  S_SAMPLE,   /* s = name, a = design (E_CALL: method(uncertain, n)), kids = body statements,
                 c = E_STR file or NULL */
  S_FUNC,     /* fn s(kids: E_IDENT parameters) = a */
  S_PROGRAM   /* kids: statements */
} NodeKind;

typedef struct Node Node;
struct Node {
  NodeKind kind;
  Span span;
  Span extent; /* a statement's whole text, first token to last (span may be its name) */
  int op;      /* operator, or the block keyword for S_BLOCK */
  double num;
  const char *s;
  Node *a, *b, *c;
  Node **kids;
  int nkids, cap; /* cap: of kids, or of nums (E_NUMROW) */
  double *nums;   /* E_NUMROW */
};

typedef struct Arena Arena;
Arena *arena_new(void);
void arena_free(Arena *a);
/* Forgets every allocation and keeps one chunk of memory for the next ones. */
void arena_reset(Arena *a);
void *arena_alloc(Arena *a, size_t n);
/* Gives back p, n bytes, if it is the newest allocation; returns whether it was. */
int arena_release_top(Arena *a, void *p, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);

Node *node_new(Arena *ar, NodeKind kind, Span span);
void node_push(Arena *ar, Node *parent, Node *kid);
Span span_join(Span a, Span b);

/* Block keywords (S_BLOCK op). */
typedef enum {
  BK_LEARNING_CURVE,
  BK_MARKET,
  BK_WORKLOAD,
  BK_ADOPTION,
  BK_MESH,
  BK_GROWTH,
  BK_CYCLE,
  BK_PREDICTION,
  BK_PLOT,
  BK_PROGRESS,
  BK_UNCERTAIN,
  BK_CLAIM,
  BK_DYNAMICS,
  BK_CALIBRATE,
  BK_LATEX
} BlockKind;
const char *block_kind_name(int bk);

/* Parses source file `file` (registered in d->src). Syntax errors go to d; the returned
 * program holds what could be recovered. `incomplete` is set when the text ends inside an
 * open bracket, brace or string (the REPL asks for another line). */
Node *edsl_parse(Arena *ar, Diag *d, int file, int *incomplete);
/* The file's text as one expression (the REPL's bare input), or NULL after errors. */
Node *edsl_parse_expr(Arena *ar, Diag *d, int file, int *incomplete);

/* A token as written, for the formatter: type is the parser's token number (COMMENT and
 * NEWLINE included), text points into the source file. */
typedef struct {
  const char *text;
  unsigned len; /* a source file is at most SOURCE_MAX_BYTES */
  int type;
  int line;
} LayoutToken;
/* Every token of the file, comments and newlines included; malloc'd, *ntokens long. */
LayoutToken *edsl_lex_layout(Arena *ar, Diag *d, int file, int *ntokens);
/* The canonical layout of a file (format.c): 0 with *text malloc'd, or -1 when the file
 * does not parse (the diagnostics are in d). Comments and line breaks are kept. is_unit
 * says whether a name is a unit (the interpreter knows them): '/' between units is tight. */
int edsl_format(Diag *d, int file, int (*is_unit)(const char *name, size_t len), char **text,
                size_t *len);

/* Prints the tree (debug aid, `edsl dump-ast`). */
void ast_print(const Node *n, int indent);

#endif
