/* libFuzzer harness: the lexer, the parser and the diagnostic printer on arbitrary bytes;
 * and for input that parses, the formatter: its output must be a fixed point of fmt. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A few unit names are enough to exercise the tight '/' rule. */
static int some_units(const char *name, size_t len) {
  return (len == 3 && !memcmp(name, "USD", 3)) || (len == 2 && !memcmp(name, "GB", 2)) ||
         (len == 4 && !memcmp(name, "year", 4));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  Arena *ar = arena_new();
  Sources src = {0};
  Diag d = {.src = &src, .max_errors = 5, .out = devnull}; /* 5 errors exercise the printer */
  int id = sources_add(&src, "fuzz.edsl", (const char *)data, size);
  int incomplete;
  edsl_parse(ar, &d, id, &incomplete);
  if (!d.nerrors) {
    char *once, *twice;
    size_t n1, n2;
    if (edsl_format(&d, id, some_units, &once, &n1) == 0) {
      int id2 = sources_add(&src, "once.edsl", once, n1);
      if (edsl_format(&d, id2, some_units, &twice, &n2) != 0 || n1 != n2 || memcmp(once, twice, n1))
        abort(); /* fmt is not idempotent, or its output does not parse */
      free(twice);
      free(once);
    } else if (!memchr(data, 0, size))
      abort(); /* a file that parses must format, unless it holds a NUL byte */
  }
  sources_free(&src);
  arena_free(ar);
  return 0;
}
