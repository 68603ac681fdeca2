#include "csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of the well-formed UTF-8 sequence at s (RFC 3629), 0 when it is not one. */
static int utf8_len(const unsigned char *s, size_t left) {
  unsigned c = s[0];
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (!len || (size_t)len > left)
    return 0;
  unsigned cp = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80)
      return 0;
    cp = cp << 6 | (s[k] & 0x3F);
  }
  static const unsigned least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

typedef struct {
  CsvField *f;
  size_t n, cap;
  CsvRecord *r;
  size_t nr, capr;
  char *buf; /* the field being read, unescaped */
  size_t blen, bcap;
} Builder;

static int grow(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap * 2 : 64;
  while (c < need)
    c *= 2;
  void *q = realloc(*p, c * size);
  if (!q)
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

static int put(Builder *b, char ch) {
  if (grow((void **)&b->buf, &b->bcap, b->blen + 2, 1))
    return -1;
  b->buf[b->blen++] = ch;
  return 0;
}

/* Appends the UTF-8 character at text[*i] to the field and moves past it; -1 when the bytes
 * there are not UTF-8 (edsl aborts on running out of memory, as its arena does). */
static int take(Builder *b, const char *text, size_t len, size_t *i) {
  int u = utf8_len((const unsigned char *)text + *i, len - *i);
  if (!u)
    return -1;
  for (int k = 0; k < u; k++)
    if (put(b, text[*i + k])) {
      fputs("edsl: out of memory\n", stderr);
      exit(3);
    }
  *i += (size_t)u;
  return 0;
}

int csv_parse(const char *text, size_t len, Arena *ar, Csv *out, int *line, int *col, char *msg,
              size_t msglen) {
  Builder b = {0};
  size_t i = 0;
  int ln = 1;
  const char *line_start = text;
  if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) /* a byte order mark (Excel writes one) */
    i = 3;
  int rc = 0;
  size_t rec_first = 0;
  int rec_line = 1;
#define FAIL(L, C, ...)                                                                            \
  do {                                                                                             \
    *line = (L), *col = (C);                                                                       \
    snprintf(msg, msglen, __VA_ARGS__);                                                            \
    rc = -1;                                                                                       \
    goto done;                                                                                     \
  } while (0)
  while (i <= len) {
    /* one field */
    int fline = ln, fcol = (int)(text + i - line_start) + 1;
    int quoted = i < len && text[i] == '"';
    b.blen = 0;
    if (quoted) {
      i++;
      for (;;) {
        if (i >= len)
          FAIL(fline, fcol, "a quoted field is not closed (a \" opened here has no match)");
        if (text[i] == '"') {
          if (i + 1 < len && text[i + 1] == '"') {
            if (put(&b, '"'))
              FAIL(fline, fcol, "out of memory");
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] == '\n')
          ln++, line_start = text + i + 1;
        if (take(&b, text, len, &i))
          FAIL(ln, (int)(text + i - line_start) + 1, "byte 0x%02x is not UTF-8",
               (unsigned char)text[i]);
      }
      if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
        FAIL(ln, (int)(text + i - line_start) + 1,
             "text after a closing quote; a field is either all in quotes or has none");
    } else {
      while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"')
          FAIL(ln, (int)(text + i - line_start) + 1,
               "a quote inside an unquoted field; put the whole field in quotes and double the "
               "quote (\"\")");
        if (take(&b, text, len, &i))
          FAIL(ln, (int)(text + i - line_start) + 1, "byte 0x%02x is not UTF-8",
               (unsigned char)text[i]);
      }
    }
    if (b.n - rec_first >= CSV_MAX_FIELDS)
      FAIL(fline, fcol, "more than %d fields in one record", CSV_MAX_FIELDS);
    if (grow((void **)&b.f, &b.cap, b.n + 1, sizeof *b.f))
      FAIL(fline, fcol, "out of memory");
    int width = fline == ln ? (int)(text + i - line_start) + 1 - fcol : 1;
    b.f[b.n++] = (CsvField){
        arena_strndup(ar, b.buf, b.blen), b.blen, fline, fcol, width > 0 ? width : 1, quoted};
    /* what ends the field: a comma (another field), a line break or the end (the record) */
    if (i < len && text[i] == ',') {
      i++;
      continue;
    }
    if (i < len && text[i] == '\r') {
      if (i + 1 < len && text[i + 1] != '\n')
        FAIL(ln, (int)(text + i - line_start) + 1, "a carriage return not followed by a line feed");
      i++;
    }
    /* a blank line (one empty unquoted field) is no record */
    int blank = b.n - rec_first == 1 && !quoted && b.f[rec_first].len == 0;
    if (blank)
      b.n = rec_first;
    else {
      if (grow((void **)&b.r, &b.capr, b.nr + 1, sizeof *b.r))
        FAIL(fline, fcol, "out of memory");
      b.r[b.nr++] = (CsvRecord){NULL, (int)(b.n - rec_first), rec_line};
      /* fields are placed once all are read (b.f moves as it grows) */
      b.r[b.nr - 1].fields = (CsvField *)(uintptr_t)rec_first;
    }
    if (i >= len)
      break;
    i++; /* the line feed */
    ln++;
    line_start = text + i;
    rec_first = b.n;
    rec_line = ln;
    if (i == len)
      break;
  }
  {
    CsvField *all = arena_alloc(ar, (b.n + 1) * sizeof *all);
    if (b.n)
      memcpy(all, b.f, b.n * sizeof *all);
    out->records = arena_alloc(ar, (b.nr + 1) * sizeof *out->records);
    for (size_t r = 0; r < b.nr; r++) {
      out->records[r] = b.r[r];
      out->records[r].fields = all + (uintptr_t)b.r[r].fields;
    }
    out->n = (int)b.nr;
  }
done:
#undef FAIL
  free(b.f);
  free(b.r);
  free(b.buf);
  return rc;
}
