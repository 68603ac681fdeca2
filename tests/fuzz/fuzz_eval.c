/* libFuzzer harness: parse, check and evaluate arbitrary bytes, then print the results in
 * every format. Work per input is bounded (sweep size, bootstrap resamples, a time limit) so
 * that a slow input is a finding about edsl's guards, not about the input's ambition. */
#include <stdint.h>
#include <stdio.h>

#include "driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *devnull;
  if (!devnull)
    devnull = fopen("/dev/null", "w");
  Session s;
  session_init(&s);
  s.diag.out = devnull;
  s.diag.max_errors = 5;
  int id = sources_add(&s.src, "fuzz.edsl", (const char *)data, size);
  compile_source(s.comp, id);
  if (!s.diag.nerrors) {
    EvalOptions o = eval_default_options();
    /* small bounds: an input finds its bugs at a few points as well as at many, and the
     * fuzzer runs thousands of inputs a second instead of tens */
    o.max_sweep_points = 64;
    o.max_bootstrap = EVAL_MIN_BOOTSTRAP;
    o.time_limit = 0.25;
    o.max_network_edges = 2000; /* graph generation is bounded by size, not time */
    o.max_mesh_work = 1e5;
    o.max_solve_work = 2e4;
    Eval *ev = eval_new(&s.prog, s.ar, s.prog.has_seed ? (unsigned long)s.prog.seed : 1);
    eval_set_options(ev, &o);
    Results res = {0};
    if (eval_program(ev, 0, &res, &s.diag) == EV_OK) {
      Provenance pv = {&s.prog, NULL, 0, 1, 0};
      for (Format f = FMT_TABLE; f <= FMT_JSON; f++)
        report_write(devnull, f, &pv, &res, f == FMT_CSV);
    }
    results_free(&res);
  }
  session_free(&s);
  return 0;
}
