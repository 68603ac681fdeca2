/* State shared between the flex scanner and the bison parser. */
#ifndef EDSL_LEXSTATE_H
#define EDSL_LEXSTATE_H

#include "ast.h"

struct LexState {
  Arena *arena;
  Diag *diag;
  int file;
  int line, col;
  int depth;        /* open ( and [: newlines inside them do not end statements */
  int braces;       /* open { (for the REPL's continuation prompt) */
  int last_can_end; /* last token may end a statement */
  int incomplete;   /* input ended inside brackets or a string */
  int layout;       /* edsl fmt: report comments and newlines as tokens */
  int start;        /* a token to return first (the parser's START_EXPR), or 0 */
  size_t offset;    /* bytes consumed */
  size_t tok_start; /* offset of the current token (of the opening quote, for a string) */
  size_t str_off;
  Span str_start;
  char *buf;
  size_t buf_len, buf_cap;
};

void lexstate_putc(struct LexState *ls, char c);

#endif
