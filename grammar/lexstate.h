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
  Span str_start;
  char *buf;
  size_t buf_len, buf_cap;
};

void lexstate_putc(struct LexState *ls, char c);

#endif
