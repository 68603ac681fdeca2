/* edsl fmt: the canonical layout of a scenario file.
 *
 * The formatter works on the token stream of the lexer in layout mode, so every comment is
 * kept and the file's line structure is the author's (newlines end statements in edsl; the
 * formatter never joins or splits lines). What it decides:
 *   - indentation: two spaces per open brace; a statement continued on the next line is
 *     indented four more (a report list aligns under its first name), two more per bracket;
 *   - spacing inside a line: one space around binary operators and after commas, none
 *     inside brackets, around '^' and '.', or after a unary minus; '/' between two unit
 *     names is written tight (USD/GB, %/year);
 *   - data tables: cells aligned in columns, numbers to the right, text to the left;
 *   - trailing comments of consecutive lines aligned, two spaces after the longest code;
 *   - at most one blank line in a row, none after '{' or before '}', one newline at the end.
 * The result is checked: its tokens must be the input's tokens, or nothing is written. */
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "parser.h"

typedef struct {
  int indent;
  const char *code; /* "" for a comment-only line */
  char *comment;    /* the comment, trailing spaces removed, or NULL */
  int blank_before;
  int table; /* > 0: a row of this data table, with cells */
  char **cells;
  int *right; /* cell is a number: aligned to the right */
  int ncells;
} OutLine;

typedef struct {
  char *s;
  size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
  }
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void buf_spaces(Buf *b, int n) {
  for (int i = 0; i < n; i++)
    buf_add(b, " ", 1);
}

/* The lexer's rule: a newline after one of these ends a statement. */
static int can_end(int t) {
  return t == NUMBER || t == IDENT || t == STRING || t == ')' || t == ']' || t == '}' || t == '%' ||
         t == INF || t == TRUE || t == FALSE || t == BLOCKKW;
}

static int is_closer(int t) {
  return t == '}' || t == ')' || t == ']';
}

/* '/' between units (USD/GB, 30 %/year) is written tight, elsewhere with spaces.
 * prev_unit: the token before the '/' is a unit name or '%'; next must be a unit name. */
static int (*unit_name)(const char *name, size_t len);

static int tight_slash(int prev_unit, const LayoutToken *next) {
  return prev_unit && next && next->type == IDENT && unit_name && unit_name(next->text, next->len);
}

/* Whether a space goes between prev and cur; prev_unary: prev is a unary minus or '!'. */
static int space_between(const LayoutToken *prev, const LayoutToken *cur, const LayoutToken *next,
                         int prev_unary, int prev_tight, int prev_unit) {
  int c = cur->type, p = prev->type;
  if (c == '.' && p == NUMBER) /* "1 .x" written "1.x" would lex as the number "1." */
    return 1;
  if (c == ',' || c == SEMI || c == ')' || c == ']' || c == '.' || c == ':')
    return 0;
  if (p == '(' || p == '[' || p == '.' || prev_unary)
    return 0;
  if (c == '(' && p == IDENT)
    return 0;
  if (c == '^' || p == '^')
    return 0;
  if (c == '/')
    return !tight_slash(prev_unit, next);
  if (p == '/')
    return !prev_tight;
  if (c == '}' && p == '{')
    return 0;
  return 1;
}

static char *comment_text(Arena *la, const LayoutToken *t) {
  size_t n = t->len;
  while (n > 0 && (t->text[n - 1] == ' ' || t->text[n - 1] == '\t' || t->text[n - 1] == '\r'))
    n--;
  return arena_strndup(la, t->text, n);
}

enum { MAX_OPEN = 256 };

typedef struct {
  const LayoutToken *prev; /* the last code token, across lines */
  int prev_unary, prev_tight, prev_unit;
  /* output column after each open bracket of the lines so far, -1 when the bracket ends its
   * line (the next lines hang); brackets past MAX_OPEN hang */
  int open_col[MAX_OPEN], nopen;
  int brace, paren;
  int in_stmt, stmt_is_report;
  int pending_table, table_brace, table_id;
} State;

/* Writes tokens [a, b) of one line into out with canonical spacing, updating the state;
 * col0 is the output column of out's first byte (-1: not known, a table cell). */
static void emit_tokens(State *st, const LayoutToken *t, int a, int b, Buf *out, int col0) {
  for (int i = a; i < b; i++) {
    const LayoutToken *cur = &t[i], *next = i + 1 < b ? &t[i + 1] : NULL;
    if (i > a && space_between(st->prev, cur, next, st->prev_unary, st->prev_tight, st->prev_unit))
      buf_add(out, " ", 1);
    buf_add(out, cur->text, cur->len);
    int c = cur->type, p = st->prev ? st->prev->type : 0;
    if (c == '(' || c == '[') {
      if (st->nopen < MAX_OPEN)
        st->open_col[st->nopen] = next && col0 >= 0 ? col0 + (int)out->len : -1;
      st->nopen++;
    } else if ((c == ')' || c == ']') && st->nopen > 0)
      st->nopen--;
    int unary = (c == '-' && (!st->prev || !can_end(p))) || (c == NOT && cur->len == 1);
    st->prev_tight = c == '/' && tight_slash(st->prev_unit, next);
    st->prev_unit = c == '%' || (c == IDENT && p != '.' && (!next || next->type != '.') &&
                                 unit_name && unit_name(cur->text, cur->len));
    st->prev_unary = unary;
    st->prev = cur;
  }
}

/* Updates depths, statement and table state for the tokens [a, b) of a line. */
static void track(State *st, const LayoutToken *t, int a, int b) {
  for (int i = a; i < b; i++) {
    int c = t[i].type;
    if (c == '(' || c == '[')
      st->paren++;
    else if ((c == ')' || c == ']') && st->paren > 0)
      st->paren--;
    else if (c == TABLE)
      st->pending_table = 1;
    else if (c == STRING && st->paren == 0) /* table NAME(...) from "data.csv": no rows */
      st->pending_table = 0;
    else if (c == '{') {
      st->brace++;
      if (st->pending_table) {
        st->pending_table = 0;
        st->table_brace = st->brace;
        st->table_id++;
      }
    } else if (c == '}' && st->brace > 0) {
      if (st->brace == st->table_brace)
        st->table_brace = -1;
      st->brace--;
    }
    if (c == '{' || c == '}' || c == SEMI)
      st->in_stmt = 0;
    else {
      if (!st->in_stmt)
        st->stmt_is_report = c == REPORT;
      st->in_stmt = 1;
    }
  }
}

static int line_indent(const State *st, const LayoutToken *first) {
  int b = st->brace, p = st->paren;
  if (first && first->type == '}' && b > 0)
    b--;
  int closer = first && (first->type == ')' || first->type == ']') && p > 0;
  /* inside a bracket that has content on its own line: align with that content (a closer
   * goes under its bracket) */
  int k = st->nopen - 1;
  if (p > 0 && k >= 0 && k < MAX_OPEN && st->open_col[k] >= 0)
    return st->open_col[k] - closer;
  p -= closer;
  int indent = 2 * b;
  if (st->in_stmt) {
    if (first && is_closer(first->type) && first->type != '}' && p == 0)
      indent += st->stmt_is_report ? 7 : 0;
    else if (st->stmt_is_report) /* the next name under the first; an expression's rest +4 */
      indent += 7 + (st->prev && st->prev->type != ',' ? 4 : 0) + 2 * (p > 0 ? p - 1 : 0);
    else
      indent += 4 + 2 * (p > 0 ? p - 1 : 0);
  }
  return indent;
}

/* A table row: its cells split at the commas outside brackets. The lines' text lives in one
 * arena (la), each string its exact size: a large table is mostly these. */
static void row_cells(State *st, const LayoutToken *t, int a, int b, OutLine *ol, Arena *la) {
  int cap = 0, depth = 0, start = a;
  for (int i = a; i <= b; i++)
    cap += i == b || (t[i].type == ',');
  ol->cells = arena_alloc(la, (size_t)cap * sizeof *ol->cells);
  ol->right = arena_alloc(la, (size_t)cap * sizeof *ol->right);
  Buf cell = {0};
  for (int i = a; i <= b; i++) {
    if (i < b && (t[i].type == '(' || t[i].type == '['))
      depth++;
    else if (i < b && (t[i].type == ')' || t[i].type == ']'))
      depth--;
    if (i == b || (t[i].type == ',' && depth == 0)) {
      cell.len = 0;
      if (cell.s)
        cell.s[0] = '\0';
      emit_tokens(st, t, start, i, &cell, -1);
      char *c = arena_strndup(la, cell.s, cell.len);
      ol->right[ol->ncells] = strchr("0123456789.-", c[0]) != NULL && c[0];
      ol->cells[ol->ncells++] = c;
      if (i < b) { /* the comma */
        st->prev = &t[i];
        st->prev_unary = st->prev_tight = 0;
      }
      start = i + 1;
    }
  }
  free(cell.s);
}

/* Aligns the cells of table id, whose rows are among lines [from, to). */
static void align_table(OutLine *lines, int from, int to, int id, Arena *la) {
  int maxc = 0;
  for (int i = from; i < to; i++)
    if (lines[i].table == id && lines[i].ncells > maxc)
      maxc = lines[i].ncells;
  int *w = calloc((size_t)maxc + 1, sizeof *w);
  for (int i = from; i < to; i++)
    if (lines[i].table == id)
      for (int j = 0; j < lines[i].ncells; j++) {
        int l = (int)strlen(lines[i].cells[j]) + (j + 1 < lines[i].ncells);
        if (l > w[j])
          w[j] = l;
      }
  Buf b = {0};
  for (int i = from; i < to; i++) {
    OutLine *ol = &lines[i];
    if (ol->table != id)
      continue;
    b.len = 0;
    for (int j = 0; j < ol->ncells; j++) {
      int last = j + 1 == ol->ncells, l = (int)strlen(ol->cells[j]) + !last;
      if (j)
        buf_add(&b, " ", 1);
      if (ol->right[j])
        buf_spaces(&b, w[j] - l);
      buf_add(&b, ol->cells[j], strlen(ol->cells[j]));
      if (!last)
        buf_add(&b, ",", 1);
      if (!ol->right[j] && !last)
        buf_spaces(&b, w[j] - l);
    }
    ol->code = arena_strndup(la, b.s, b.len);
  }
  free(b.s);
  free(w);
}

/* Trailing comments of consecutive code lines start in one column. */
static void align_comments(OutLine *lines, int n, FILE *out) {
  int *col = calloc((size_t)n + 1, sizeof *col);
  for (int i = 0; i < n;) {
    if (!lines[i].code[0] || !lines[i].comment) {
      i++;
      continue;
    }
    int j = i + 1, c = 0;
    while (j < n && lines[j].code[0] && lines[j].comment && !lines[j].blank_before)
      j++;
    for (int k = i; k < j; k++) {
      int end = lines[k].indent + (int)strlen(lines[k].code);
      if (end > c)
        c = end;
    }
    for (int k = i; k < j; k++)
      col[k] = c + 2;
    i = j;
  }
  for (int i = 0; i < n; i++) {
    const OutLine *ol = &lines[i];
    if (ol->blank_before)
      fputc('\n', out);
    if (ol->code[0] || ol->comment)
      fprintf(out, "%*s", ol->indent, "");
    fputs(ol->code, out);
    if (ol->comment && ol->code[0])
      fprintf(out, "%*s", col[i] - ol->indent - (int)strlen(ol->code), "");
    if (ol->comment)
      fputs(ol->comment, out);
    fputc('\n', out);
  }
  free(col);
}

static int only_newlines(const LayoutToken *t, int i, int n) {
  while (i < n && t[i].type == NEWLINE)
    i++;
  return i == n;
}

/* The tokens that carry meaning, newlines collapsed: a formatted file must have the same. */
static int same_tokens(const LayoutToken *a, int na, const LayoutToken *b, int nb) {
  int i = 0, j = 0;
  for (;;) {
    while (i < na && a[i].type == NEWLINE && (i == 0 || a[i - 1].type == NEWLINE))
      i++;
    while (j < nb && b[j].type == NEWLINE && (j == 0 || b[j - 1].type == NEWLINE))
      j++;
    /* newlines at the end of the file do not count */
    int ea = only_newlines(a, i, na), eb = only_newlines(b, j, nb);
    if (ea || eb)
      return ea && eb;
    if (a[i].type != b[j].type)
      return 0;
    size_t la = a[i].len, lb = b[j].len;
    if (a[i].type == COMMENT) {
      while (la && strchr(" \t\r", a[i].text[la - 1]))
        la--;
      while (lb && strchr(" \t\r", b[j].text[lb - 1]))
        lb--;
    }
    if (la != lb || memcmp(a[i].text, b[j].text, la))
      return 0;
    i++;
    j++;
  }
}

int edsl_format(Diag *d, int file, int (*is_unit)(const char *, size_t), char **out_text,
                size_t *out_len) {
  unit_name = is_unit;
  /* The language takes any byte in strings and comments; a formatter that keeps them must
   * treat text as C strings, so a NUL byte is refused with its place. */
  const SourceFile *f = &d->src->files[file];
  const char *nul = memchr(f->text, '\0', f->len);
  if (nul) {
    Span sp = {file, 1, 1, 1, 1};
    for (const char *p = f->text; p < nul; p++)
      if (*p == '\n')
        sp.first_line++, sp.first_column = 1;
      else
        sp.first_column++;
    sp.last_line = sp.first_line;
    sp.last_column = sp.first_column;
    diag_error(d, sp, "a NUL byte: fmt formats text files only (remove the byte)");
    return -1;
  }
  /* parsed only to refuse a file with errors: the tree is not kept (the layout is lexical) */
  Arena *parsed = arena_new();
  int errors_before = d->nerrors;
  edsl_parse(parsed, d, file, NULL);
  arena_free(parsed);
  if (d->nerrors > errors_before)
    return -1;
  Arena *ar = arena_new(), *la = arena_new();
  int n;
  LayoutToken *t = edsl_lex_layout(ar, d, file, &n);
  OutLine *lines = NULL;
  int nlines = 0, cap = 0, blank_pending = 0;
  Buf code = {0}; /* one line's text, reused */
  State st = {.table_brace = -1};
  for (int i = 0; i < n;) {
    int a = i;
    while (i < n && t[i].type != NEWLINE)
      i++;
    int b = i; /* tokens [a, b) then maybe a NEWLINE at i */
    if (i < n)
      i++;
    const LayoutToken *comment = b > a && t[b - 1].type == COMMENT ? &t[b - 1] : NULL;
    int code_end = comment ? b - 1 : b;
    if (code_end == a && !comment) { /* a blank line */
      blank_pending = 1;
      continue;
    }
    const LayoutToken *first = code_end > a ? &t[a] : NULL;
    if (!st.in_stmt && first) /* a new statement: a leading '-' is unary */
      st.prev = NULL;
    if (nlines == cap)
      lines = realloc(lines, (size_t)(cap = cap ? 2 * cap : 64) * sizeof *lines);
    OutLine *ol = &lines[nlines];
    memset(ol, 0, sizeof *ol);
    ol->indent = line_indent(&st, first);
    ol->comment = comment ? comment_text(la, comment) : NULL;
    const OutLine *last = nlines ? &lines[nlines - 1] : NULL;
    size_t ll = last ? strlen(last->code) : 0;
    ol->blank_before = blank_pending && last && !(ll && last->code[ll - 1] == '{') &&
                       !(first && first->type == '}');
    blank_pending = 0;
    int is_row = first && st.table_brace == st.brace && st.paren == 0 && first->type != '}';
    if (is_row) {
      int depth = 0, closed = 1;
      for (int k = a; k < code_end; k++) {
        depth += t[k].type == '(' || t[k].type == '[';
        depth -= t[k].type == ')' || t[k].type == ']';
        closed &= t[k].type != '}';
      }
      is_row = depth == 0 && closed;
    }
    if (is_row) {
      ol->table = st.table_id;
      row_cells(&st, t, a, code_end, ol, la);
      ol->code = "";
    } else {
      code.len = 0;
      if (code.s)
        code.s[0] = '\0';
      emit_tokens(&st, t, a, code_end, &code, ol->indent);
      ol->code = arena_strndup(la, code.s, code.len);
    }
    track(&st, t, a, code_end);
    if (st.paren == 0 && st.prev && (can_end(st.prev->type) || st.prev->type == '{'))
      st.in_stmt = 0;
    nlines++;
  }
  free(code.s);
  /* each table's rows lie between its first and last line: one pass finds them */
  int *first = malloc(((size_t)st.table_id + 1) * sizeof *first),
      *last = malloc(((size_t)st.table_id + 1) * sizeof *last);
  for (int id = 0; id <= st.table_id; id++)
    first[id] = -1;
  for (int i = 0; i < nlines; i++)
    if (lines[i].table) {
      if (first[lines[i].table] < 0)
        first[lines[i].table] = i;
      last[lines[i].table] = i;
    }
  for (int id = 1; id <= st.table_id; id++)
    if (first[id] >= 0)
      align_table(lines, first[id], last[id] + 1, id, la);
  free(first);
  free(last);
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  align_comments(lines, nlines, m);
  fclose(m);
  free(lines);
  arena_free(la);

  /* The check: the formatted text has the input's tokens, comments and line breaks. */
  int id = sources_add(d->src, d->src->files[file].path, text, len);
  int m2;
  LayoutToken *t2 = edsl_lex_layout(ar, d, id, &m2);
  int same = same_tokens(t, n, t2, m2);
  free(t2);
  free(t);
  arena_free(ar);
  if (!same) {
    Span none = {-1, 0, 0, 0, 0};
    diag_error(d, none,
               "internal error: formatting '%s' would change its tokens; the file is left as "
               "it is (please report this)",
               d->src->files[file].path);
    free(text);
    return -1;
  }
  *out_text = text;
  *out_len = len;
  return 0;
}
