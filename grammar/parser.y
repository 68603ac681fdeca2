/* edsl grammar. Statements end at ';' or at a newline after a token that can end one (the
 * lexer inserts SEMI, Go style). Conflicts are fixed with precedence: %expect 0. */
%define api.pure full
%locations
%define parse.error detailed
%expect 0
%param {yyscan_t scanner}
%parse-param {struct ParseCtx *ctx}

%code requires {
#include "ast.h"
typedef void *yyscan_t;
#define YYLTYPE Span
#define YYLTYPE_IS_DECLARED 1
#define YYLTYPE_IS_TRIVIAL 1
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                    \
  do {                                                                                 \
    if (N) {                                                                           \
      (Cur).file = YYRHSLOC(Rhs, 1).file;                                              \
      (Cur).first_line = YYRHSLOC(Rhs, 1).first_line;                                  \
      (Cur).first_column = YYRHSLOC(Rhs, 1).first_column;                              \
      (Cur).last_line = YYRHSLOC(Rhs, N).last_line;                                    \
      (Cur).last_column = YYRHSLOC(Rhs, N).last_column;                                \
    } else {                                                                           \
      (Cur).file = YYRHSLOC(Rhs, 0).file;                                              \
      (Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line;                 \
      (Cur).first_column = (Cur).last_column = YYRHSLOC(Rhs, 0).last_column;           \
    }                                                                                  \
  } while (0)
struct ParseCtx {
  Arena *ar;
  Diag *diag;
  Node *program;
  Node *expr; /* edsl_parse_expr's */
};
}

%code provides {
int yylex(YYSTYPE *yylval, YYLTYPE *yylloc, yyscan_t scanner);
}

%code {
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct ParseCtx *ctx, const char *msg);
/* the scanner's tokens, after the token that selects the start symbol (START_EXPR) */
static int lex_first(YYSTYPE *v, YYLTYPE *l, yyscan_t scanner);
#define yylex lex_first
#define NEW(kind, loc) node_new(ctx->ar, (kind), (loc))
/* A dotted name has at most this many parts (block.group.field needs three): a longer chain
 * is refused where it passes the bound, before its text is built part by part. */
#define MAX_NAME_PARTS 32
static Node *bin(struct ParseCtx *ctx, int op, Node *l, Node *r, Span sp) {
  Node *n = node_new(ctx->ar, E_BIN, sp);
  n->op = op;
  n->a = l;
  n->b = r;
  return n;
}

/* A table cell that is a number literal, or its negation: its value, and its nodes given
 * back to the arena when they are the newest (a table is mostly literals; one node per cell
 * was most of a large table's memory). */
static int literal_cell(struct ParseCtx *ctx, Node *e, double *v) {
  Node *lit = e->kind == E_UNARY && e->op == '-' ? e->a : e;
  if (lit->kind != E_NUM || lit->s)
    return 0;
  *v = lit == e ? lit->num : -lit->num;
  if (arena_release_top(ctx->ar, e, sizeof *e) && lit != e)
    arena_release_top(ctx->ar, lit, sizeof *lit);
  return 1;
}

/* A table row: E_NUMROW while every cell is a literal, else E_LIST of the cells. */
static Node *row_cell(struct ParseCtx *ctx, Node *row, Node *e, Span sp) {
  if (row && row->kind == E_LIST) { /* already nodes: the cell keeps its own */
    row->span = sp;
    node_push(ctx->ar, row, e);
    return row;
  }
  double v;
  int lit = literal_cell(ctx, e, &v); /* may release e */
  if (!row)
    row = NEW(lit ? E_NUMROW : E_LIST, sp);
  row->span = sp;
  if (!lit) {
    if (row->kind == E_NUMROW) { /* back to nodes: the literals so far become E_NUM, placed
                                    at the row's start (check_blocks.c finds them again) */
      row->kind = E_LIST;
      int nlit = row->op;
      double *nums = row->nums;
      row->op = row->cap = 0;
      row->nums = NULL;
      for (int i = 0; i < nlit; i++) {
        Node *n = NEW(E_NUM, sp);
        n->num = nums[i];
        node_push(ctx->ar, row, n);
      }
    }
    node_push(ctx->ar, row, e);
    return row;
  }
  if (row->op == row->cap) {
    int cap = row->cap ? 2 * row->cap : 4;
    double *nums = arena_alloc(ctx->ar, (size_t)cap * sizeof *nums);
    if (row->op)
      memcpy(nums, row->nums, (size_t)row->op * sizeof *nums);
    row->nums = nums;
    row->cap = cap;
  }
  row->nums[row->op++] = v;
  return row;
}
}

%union {
  double num;
  const char *str;
  Node *node;
}

%token <num> NUMBER "number"
%token <str> IDENT "name"
%token <str> STRING "string"
%token <num> BLOCKKW "block keyword"
%token IMPORT "import" TABLE "table" SCENARIO "scenario" WITH "with" REPORT "report"
%token SWEEP "sweep" SAMPLE "sample" FN "fn" IN "in" TO "to" INF "inf" TRUE "true" FALSE "false"
%token LE "<=" GE ">=" EQ "==" NE "!=" AND "and" OR "or" NOT "not"
%token SEMI "end of line"
%token COMMENT "comment" NEWLINE "newline" /* only in layout mode (edsl fmt) */
%token START_EXPR "start of an expression" /* first, for edsl_parse_expr only */

%type <node> stmts stmt items body item path block_stmts rowbody expr primary postfix args arglist arg list
%type <node> named_list colspecs colspec rows row sweep_head sweep_axes params param_list
%type <str> name

%left OR
%left AND
%nonassoc '<' '>' LE GE EQ NE
%left '+' '-'
%left '*' '/'
%precedence UMINUS NOT
%right '^'

%%

program: stmts { ctx->program = $1; }
  | START_EXPR expr SEMI { ctx->expr = $2; }
  | START_EXPR expr { ctx->expr = $2; }
  ;

stmts: %empty { $$ = NEW(S_PROGRAM, @$); }
  | stmts SEMI { $$ = $1; }
  | stmts stmt SEMI { $$ = $1; $2->extent = @2; node_push(ctx->ar, $$, $2); }
  | stmts error SEMI { $$ = $1; yyerrok; }
  ;

block_stmts: stmts
  | stmts stmt { $$ = $1; $2->extent = @2; node_push(ctx->ar, $$, $2); }
  ;

stmt: IMPORT STRING { $$ = NEW(S_IMPORT, @$); $$->s = $2; }
  | IDENT '=' expr { $$ = NEW(S_CONST, @1); $$->s = $1; $$->a = $3; }
  | IDENT '.' path '=' expr {
      /* a global override of a block field, as --set gives one: S_CONST with a dotted name */
      $$ = NEW(S_CONST, @1); $$->a = $5;
      size_t l1 = strlen($1), l2 = strlen($3->s);
      char *s = arena_alloc(ctx->ar, l1 + l2 + 2);
      memcpy(s, $1, l1); s[l1] = '.'; memcpy(s + l1 + 1, $3->s, l2 + 1);
      $$->s = s;
    }
  | BLOCKKW name '{' body '}' {
      $$ = $4; $$->kind = S_BLOCK; $$->span = @2; $$->op = (int)$1; $$->s = $2;
      $$->c = NEW(E_IDENT, @1); /* keyword position for "not supported yet" errors */
    }
  | TABLE IDENT '(' colspecs ')' '{' rowbody '}' {
      $$ = $7; $$->kind = S_TABLE; $$->span = @2; $$->s = $2; $$->a = $4;
    }
  | TABLE IDENT '(' colspecs ')' IDENT STRING {
      /* `from` is a word only here: a name elsewhere */
      $$ = NEW(S_TABLE, @2); $$->s = $2; $$->a = $4;
      if (strcmp($6, "from") != 0)
        diag_error(ctx->diag, @6, "expected '{' and the rows, or from \"FILE.csv\"");
      else {
        $$->c = NEW(E_STR, @7); $$->c->s = $7;
      }
    }
  | SCENARIO IDENT '{' body '}' { $$ = $4; $$->kind = S_SCENARIO; $$->span = @2; $$->s = $2; }
  | SCENARIO IDENT '=' IDENT WITH '{' body '}' {
      $$ = $7; $$->kind = S_SCENARIO; $$->span = @2; $$->s = $2;
      $$->b = NEW(E_IDENT, @4); $$->b->s = $4;
    }
  | REPORT named_list { $$ = $2; $$->span = @1; }
  | FN IDENT '(' params ')' '=' expr {
      $$ = $4; $$->kind = S_FUNC; $$->span = @2; $$->s = $2; $$->a = $7;
    }
  | SWEEP sweep_head '{' block_stmts '}' {
      $$ = $4; $$->kind = S_SWEEP; $$->span = @1; $$->s = $2->s; $$->a = $2;
    }
  | SWEEP sweep_head '{' block_stmts '}' TO STRING {
      $$ = $4; $$->kind = S_SWEEP; $$->span = @1; $$->s = $2->s; $$->a = $2;
      $$->c = NEW(E_STR, @7); $$->c->s = $7;
    }
  | SAMPLE IDENT '=' expr '{' block_stmts '}' {
      $$ = $6; $$->kind = S_SAMPLE; $$->span = @2; $$->s = $2; $$->a = $4;
    }
  | SAMPLE IDENT '=' expr '{' block_stmts '}' TO STRING {
      $$ = $6; $$->kind = S_SAMPLE; $$->span = @2; $$->s = $2; $$->a = $4;
      $$->c = NEW(E_STR, @9); $$->c->s = $9;
    }
  ;

/* A user function's parameters: names, possibly none. */
params: %empty { $$ = NEW(S_FUNC, @$); }
  | param_list
  ;

param_list: IDENT { $$ = NEW(S_FUNC, @$); Node *p = NEW(E_IDENT, @1); p->s = $1; node_push(ctx->ar, $$, p); }
  | param_list ',' IDENT { $$ = $1; Node *p = NEW(E_IDENT, @3); p->s = $3; node_push(ctx->ar, $$, p); }
  ;

/* One axis or several: several make the grid of all their combinations. */
sweep_head: sweep_axes
  | IDENT '=' sweep_axes { $$ = $3; $$->s = $1; }
  ;

sweep_axes: path IN expr {
      $$ = NEW(E_LIST, @$); Node *n = NEW(E_NAMED, @$); n->a = $1; n->b = $3;
      node_push(ctx->ar, $$, n);
    }
  | sweep_axes ',' path IN expr {
      $$ = $1; Node *n = NEW(E_NAMED, @3); n->a = $3; n->b = $5; node_push(ctx->ar, $$, n);
    }
  ;

named_list: IDENT '=' expr {
      $$ = NEW(S_REPORT, @$); Node *n = NEW(E_NAMED, @1); n->s = $1; n->a = $3;
      node_push(ctx->ar, $$, n);
    }
  | named_list ',' IDENT '=' expr {
      $$ = $1; Node *n = NEW(E_NAMED, @3); n->s = $3; n->a = $5; node_push(ctx->ar, $$, n);
    }
  ;

body: items
  | items item { $$ = $1; node_push(ctx->ar, $$, $2); }
  ;

items: %empty { $$ = NEW(I_BLOCK, @$); }
  | items SEMI { $$ = $1; }
  | items item SEMI { $$ = $1; node_push(ctx->ar, $$, $2); }
  | items error SEMI { $$ = $1; yyerrok; }
  ;

item: path '=' expr { $$ = NEW(I_ASSIGN, @1); $$->s = $1->s; $$->a = $3; }
  | name '{' body '}' { $$ = $3; $$->span = @1; $$->s = $1; }
  ;

path: name { $$ = NEW(E_IDENT, @$); $$->s = $1; }
  | path '.' name {
      $$ = $1;
      if (++$$->num >= MAX_NAME_PARTS) {
        if ($$->num == MAX_NAME_PARTS)
          diag_error(ctx->diag, @3, "a dotted name of more than %d parts", MAX_NAME_PARTS);
      } else {
        $$->span = @$;
        size_t l1 = strlen($1->s), l2 = strlen($3);
        char *s = arena_alloc(ctx->ar, l1 + l2 + 2);
        memcpy(s, $1->s, l1); s[l1] = '.'; memcpy(s + l1 + 1, $3, l2 + 1);
        $$->s = s;
      }
    }
  ;

name: IDENT { $$ = $1; }
  | BLOCKKW { $$ = block_kind_name((int)$1); }
  ;

colspecs: colspec { $$ = NEW(E_LIST, @$); node_push(ctx->ar, $$, $1); }
  | colspecs ',' colspec { $$ = $1; node_push(ctx->ar, $$, $3); }
  ;

colspec: name ':' expr { $$ = NEW(I_ASSIGN, @1); $$->s = $1; $$->a = $3; }
  | name { $$ = NEW(I_ASSIGN, @1); $$->s = $1; $$->a = NULL; } /* no unit: compile.c says what to write */
  ;

rowbody: rows
  | rows row { $$ = $1; node_push(ctx->ar, $$, $2); }
  ;

rows: %empty { $$ = NEW(S_TABLE, @$); }
  | rows SEMI { $$ = $1; }
  | rows row SEMI { $$ = $1; node_push(ctx->ar, $$, $2); }
  | rows error SEMI { $$ = $1; yyerrok; }
  ;

row: expr { $$ = row_cell(ctx, NULL, $1, @$); }
  | row ',' expr { $$ = row_cell(ctx, $1, $3, @$); }
  ;

expr: postfix
  | expr OR expr { $$ = bin(ctx, '|', $1, $3, @$); }
  | expr AND expr { $$ = bin(ctx, '&', $1, $3, @$); }
  | expr '<' expr { $$ = bin(ctx, '<', $1, $3, @$); }
  | expr '>' expr { $$ = bin(ctx, '>', $1, $3, @$); }
  | expr LE expr { $$ = bin(ctx, 'l', $1, $3, @$); }
  | expr GE expr { $$ = bin(ctx, 'g', $1, $3, @$); }
  | expr EQ expr { $$ = bin(ctx, 'e', $1, $3, @$); }
  | expr NE expr { $$ = bin(ctx, 'n', $1, $3, @$); }
  | expr '+' expr { $$ = bin(ctx, '+', $1, $3, @$); }
  | expr '-' expr { $$ = bin(ctx, '-', $1, $3, @$); }
  | expr '*' expr { $$ = bin(ctx, '*', $1, $3, @$); }
  | expr '/' expr { $$ = bin(ctx, '/', $1, $3, @$); }
  | expr '^' expr { $$ = bin(ctx, '^', $1, $3, @$); }
  | '-' expr %prec UMINUS { $$ = NEW(E_UNARY, @$); $$->op = '-'; $$->a = $2; }
  | NOT expr { $$ = NEW(E_UNARY, @$); $$->op = '!'; $$->a = $2; }
  ;

postfix: primary
  | postfix '.' name {
      int parts = ($1->kind == E_MEMBER ? (int)$1->num : 1) + 1;
      if (parts > MAX_NAME_PARTS) {
        if (parts == MAX_NAME_PARTS + 1)
          diag_error(ctx->diag, @3, "a dotted name of more than %d parts", MAX_NAME_PARTS);
        $$ = $1;
        $$->num = parts;
      } else {
        $$ = NEW(E_MEMBER, @$); $$->a = $1; $$->s = $3; $$->num = parts;
      }
    }
  | IDENT '(' args ')' { $$ = $3; $$->kind = E_CALL; $$->span = @$; $$->s = $1; }
  ;

primary: NUMBER { $$ = NEW(E_NUM, @$); $$->num = $1; }
  | NUMBER IDENT { /* juxtaposed unit: 120 USD means 120 * USD */
      Node *n = NEW(E_NUM, @1); n->num = $1;
      Node *u = NEW(E_IDENT, @2); u->s = $2;
      $$ = bin(ctx, '*', n, u, @$);
    }
  | NUMBER '%' { $$ = NEW(E_NUM, @$); $$->num = $1 / 100.0; $$->s = "%"; }
  | STRING { $$ = NEW(E_STR, @$); $$->s = $1; }
  | TRUE { $$ = NEW(E_BOOL, @$); $$->num = 1; }
  | FALSE { $$ = NEW(E_BOOL, @$); $$->num = 0; }
  | INF { $$ = NEW(E_INF, @$); }
  | IDENT { $$ = NEW(E_IDENT, @$); $$->s = $1; }
  | '(' expr ')' { $$ = $2; }
  | '[' ']' { $$ = NEW(E_LIST, @$); }
  | '[' list ']' { $$ = $2; $$->span = @$; }
  | '[' list ',' ']' { $$ = $2; $$->span = @$; }
  ;

list: expr { $$ = NEW(E_LIST, @$); node_push(ctx->ar, $$, $1); }
  | list ',' expr { $$ = $1; node_push(ctx->ar, $$, $3); }
  ;

args: %empty { $$ = NEW(E_CALL, @$); }
  | arglist
  ;

arglist: arg { $$ = NEW(E_CALL, @$); node_push(ctx->ar, $$, $1); }
  | arglist ',' arg { $$ = $1; node_push(ctx->ar, $$, $3); }
  ;

arg: expr
  | IDENT '=' expr { $$ = NEW(E_NAMED, @1); $$->s = $1; $$->a = $3; }
  ;

%%

#include "lexstate.h"
#include "lexer.h"

#undef yylex
static int lex_first(YYSTYPE *v, YYLTYPE *l, yyscan_t scanner) {
  struct LexState *ls = yyget_extra(scanner);
  if (ls->start) {
    int t = ls->start;
    ls->start = 0;
    *l = (Span){ls->file, 1, 1, 1, 0};
    return t;
  }
  return yylex(v, l, scanner);
}

static void yyerror(YYLTYPE *loc, yyscan_t scanner, struct ParseCtx *ctx, const char *msg) {
  struct LexState *ls = yyget_extra(scanner);
  if (strncmp(msg, "syntax error, ", 14) == 0)
    msg += 14;
  if (strcmp(msg, "memory exhausted") == 0)
    msg = "the input nests too deeply here (the parser allows 10000 open levels); name the "
          "inner parts as constants";
  const char *hint = "";
  if (strstr(msg, "unexpected end of line") && strstr(msg, "expecting '{'"))
    hint = " (an opening brace must stand on the same line as its header)";
  else if (strstr(msg, "unexpected end of file"))
    ls->incomplete = 1;
  diag_error(ctx->diag, *loc, "%s%s", msg, hint);
}

void lexstate_putc(struct LexState *ls, char c) {
  if (ls->buf_len + 1 >= ls->buf_cap) {
    size_t cap = ls->buf_cap ? ls->buf_cap * 2 : 64;
    char *b = arena_alloc(ls->arena, cap);
    if (ls->buf_len)
      memcpy(b, ls->buf, ls->buf_len);
    ls->buf = b;
    ls->buf_cap = cap;
  }
  ls->buf[ls->buf_len++] = c;
}

/* The tokens of a file with its comments and newlines, for the formatter: the lexer in
 * layout mode reports both instead of skipping comments and turning newlines into SEMI. */
LayoutToken *edsl_lex_layout(Arena *ar, Diag *d, int file, int *ntokens) {
  struct LexState ls = {0};
  ls.arena = ar;
  ls.diag = d;
  ls.file = file;
  ls.line = ls.col = 1;
  ls.layout = 1;
  yyscan_t scanner;
  yylex_init_extra(&ls, &scanner);
  const SourceFile *f = &d->src->files[file];
  YY_BUFFER_STATE buf = yy_scan_bytes(f->text, (int)f->len, scanner);
  int n = 0, cap = 256;
  LayoutToken *t = malloc((size_t)cap * sizeof *t);
  YYSTYPE val;
  YYLTYPE loc;
  int type;
  while ((type = yylex(&val, &loc, scanner)) != 0) {
    if (n == cap)
      t = realloc(t, (size_t)(cap *= 2) * sizeof *t);
    t[n++] = (LayoutToken){.text = f->text + ls.tok_start,
                           .len = (unsigned)(ls.offset - ls.tok_start),
                           .type = type,
                           .line = loc.first_line};
  }
  yy_delete_buffer(buf, scanner);
  yylex_destroy(scanner);
  *ntokens = n;
  return t;
}

static Node *parse(Arena *ar, Diag *d, int file, int *incomplete, int start, Node **expr) {
  struct LexState ls = {0};
  ls.start = start;
  ls.arena = ar;
  ls.diag = d;
  ls.file = file;
  ls.line = ls.col = 1;
  yyscan_t scanner;
  yylex_init_extra(&ls, &scanner);
  const SourceFile *f = &d->src->files[file];
  YY_BUFFER_STATE buf = yy_scan_bytes(f->text, (int)f->len, scanner);
  struct ParseCtx ctx = {ar, d, NULL, NULL};
  yyparse(scanner, &ctx);
  yy_delete_buffer(buf, scanner);
  yylex_destroy(scanner);
  if (incomplete)
    *incomplete = ls.incomplete;
  if (expr)
    *expr = ctx.expr;
  if (!ctx.program) {
    Span sp = {file, 1, 1, 1, 1};
    ctx.program = node_new(ar, S_PROGRAM, sp);
  }
  return ctx.program;
}

Node *edsl_parse(Arena *ar, Diag *d, int file, int *incomplete) {
  return parse(ar, d, file, incomplete, 0, NULL);
}

Node *edsl_parse_expr(Arena *ar, Diag *d, int file, int *incomplete) {
  Node *e = NULL;
  parse(ar, d, file, incomplete, START_EXPR, &e);
  return e;
}
