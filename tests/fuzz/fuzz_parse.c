/* libFuzzer harness: the lexer, the parser and the diagnostic printer on arbitrary bytes. */
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  Arena *ar = arena_new();
  Sources src = {0};
  Diag d = {.src = &src, .max_errors = 50, .out = devnull};
  int id = sources_add(&src, "fuzz.edsl", (const char *)data, size);
  int incomplete;
  edsl_parse(ar, &d, id, &incomplete);
  sources_free(&src);
  arena_free(ar);
  return 0;
}
