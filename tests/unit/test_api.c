/* libedsl's API (edsl.h): a scenario from a file and from text, overrides, a seed, the
 * results as JSON and as numbers, diagnostics of compiling and of running, misuse. The
 * crossing time it gives is the CLI's (its closed form is test_game's). Run from the
 * repository root. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "edsl.h"

static const char *M = "market m {\n  firms = 5\n  demand {\n    a = 1\n    b = 1\n  }\n"
                       "  discount = 5 %/year\n  x0 = 0.5\n}\nscenario s {\n  market = m\n}\n";

int main(void) {
  CHECK(edsl_version() && strchr(edsl_version(), '.'), "a version");
  /* the baseline from its file: imports found, results as JSON and numbers */
  edsl_session *s = edsl_open();
  CHECK(edsl_load_file(s, "scenarios/baseline.edsl") == 0, "load: %s", edsl_diagnostics_json(s));
  CHECK(edsl_run(s) == 0, "run: %s", edsl_diagnostics_json(s));
  double t = 0, q = 0;
  CHECK(edsl_result_number(s, "T_star_nash", &t) == 1 && fabs(t - 0.620771743) < 1e-8,
        "T_star_nash = %.10g", t);
  CHECK(edsl_result_number(s, "no_such_result", &q) == 0, "an unknown name is 0");
  const char *j = edsl_results_json(s);
  CHECK(j && strstr(j, "\"T_star_nash\"") && strstr(j, "\"results\""), "JSON results");
  CHECK(edsl_run(s) != 0, "a second run is refused");
  edsl_close(s);
  /* text, with an override: firms = 2 crosses later than 5 */
  char text[1024];
  snprintf(text, sizeof text, "%sreport T = crossing_time(s, nash)\n", M);
  s = edsl_open();
  CHECK(edsl_load_text(s, "inline.edsl", text) == 0, "load text: %s", edsl_diagnostics_json(s));
  CHECK(edsl_set(s, "m.firms=2") == 0, "set: %s", edsl_diagnostics_json(s));
  CHECK(edsl_run(s) == 0 && edsl_result_number(s, "T", &q) == 1 && q > t, "T(N = 2) = %g", q);
  CHECK(edsl_set(s, "m.firms=3") != 0, "set after the run is refused");
  edsl_close(s);
  /* a compile error: located, with its message */
  s = edsl_open();
  CHECK(edsl_load_text(s, "bad.edsl", "report x = 1 +\n") != 0, "a syntax error");
  const char *d = edsl_diagnostics_json(s);
  CHECK(strstr(d, "\"file\":\"bad.edsl\"") && strstr(d, "\"line\":") &&
            strstr(d, "\"severity\":\"error\""),
        "a located diagnostic: %s", d);
  CHECK(edsl_run(s) == 1 && edsl_results_json(s) == NULL, "no results after an error");
  edsl_close(s);
  /* a run-time error: exit status and diagnostic */
  snprintf(text, sizeof text, "%sreport T = crossing_time(s, nash)\n", M);
  s = edsl_open();
  edsl_load_text(s, "err.edsl", text);
  CHECK(edsl_set(s, "m.firms=2.5") == 0, "set");
  CHECK(edsl_run(s) == 1, "a run-time error is status 1");
  CHECK(strstr(edsl_diagnostics_json(s), "whole number") != NULL, "it says why: %s",
        edsl_diagnostics_json(s));
  edsl_close(s);
  /* a seed changes the draws, the same seed gives the same bytes */
  const char *U =
      "seed = 3\nx = 0.5\nuncertain u {\n  x = uniform(0, 1)\n}\nsample d = montecarlo(u, 50) {\n"
      "  report y = x\n}\nreport m = mean(d.y)\n";
  double m1 = 0, m2 = 0, m3 = 0;
  for (int k = 0; k < 3; k++) {
    s = edsl_open();
    edsl_load_text(s, "u.edsl", U);
    if (k == 2)
      edsl_set_seed(s, 4);
    CHECK(edsl_run(s) == 0, "sample: %s", edsl_diagnostics_json(s));
    edsl_result_number(s, "m", k == 0 ? &m1 : k == 1 ? &m2 : &m3);
    edsl_close(s);
  }
  CHECK(m1 == m2 && m1 != m3, "seeded: %g %g %g", m1, m2, m3);
  /* misuse is a diagnostic, not a crash */
  s = edsl_open();
  CHECK(edsl_run(s) != 0 && edsl_set(s, "x=1") != 0, "run or set before a scenario");
  CHECK(edsl_load_file(s, "does/not/exist.edsl") != 0, "a missing file");
  CHECK(edsl_load_text(s, "x.edsl", NULL) != 0 && edsl_load_file(s, NULL) != 0 &&
            edsl_set(s, NULL) != 0,
        "NULL arguments are diagnostics");
  CHECK(edsl_load_text(s, "again.edsl", "report x = 1\n") != 0, "one scenario a session");
  edsl_close(s);
  edsl_close(NULL);
  return TEST_SUMMARY();
}
