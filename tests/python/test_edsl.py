"""The Python package (python/edsl) on libedsl: results equal the CLI's JSON output, overrides
and seeds work, errors raise EdslError with edsl's located diagnostics, tables are rows (and
DataFrames when pandas is installed). Run by CTest with EDSL_LIB and PYTHONPATH set."""
import json
import os
import subprocess
import unittest

import edsl

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDSL = os.environ.get("EDSL_BIN", os.path.join(os.path.dirname(os.environ["EDSL_LIB"]), "edsl"))
M = ("market m {\n  firms = 5\n  demand {\n    a = 1\n    b = 1\n  }\n  discount = 5 %/year\n"
     "  x0 = 0.5\n}\nscenario s {\n  market = m\n}\nreport T = crossing_time(s, nash)\n")


def cli_json(*args):
    out = subprocess.run([EDSL, "run", *args, "--format", "json"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


class TestEdsl(unittest.TestCase):
    def test_baseline_as_the_cli(self):
        r = edsl.run(os.path.join(ROOT, "scenarios/baseline.edsl"))
        cli = cli_json("scenarios/baseline.edsl")["results"]
        for name, v in cli.items():
            if isinstance(v, dict) and "value" in v:
                self.assertEqual(r[name], v["value"], name)
        self.assertEqual(r.units["T_star_nash"], "year")
        self.assertIn("provenance", r.document)

    def test_overrides_and_seed(self):
        base = edsl.run_text(M)["T"]
        more = edsl.run_text(M, set={"m.firms": 10})["T"]
        self.assertLess(more, base)  # more firms cross sooner (Theorem 2)
        u = "x = 0.5\nuncertain u {\n  x = uniform(0, 1)\n}\nsample d = montecarlo(u, 40) {\n" \
            "  report y = x\n}\nreport m = mean(d.y)\n"
        self.assertEqual(edsl.run_text(u, seed=7)["m"], edsl.run_text(u, seed=7)["m"])
        self.assertNotEqual(edsl.run_text(u, seed=7)["m"], edsl.run_text(u, seed=8)["m"])

    def test_errors_are_located(self):
        with self.assertRaises(edsl.EdslError) as e:
            edsl.run_text("report x = 1 +\n", name="bad.edsl")
        d = e.exception.diagnostics[0]
        self.assertEqual((d["file"], d["severity"]), ("bad.edsl", "error"))
        self.assertTrue(d["line"] >= 1)
        self.assertIn("bad.edsl:", str(e.exception))
        with self.assertRaises(edsl.EdslError) as e:
            edsl.run_text(M, set={"m.firms": 2.5})
        self.assertEqual(e.exception.status, 1)
        self.assertIn("whole number", str(e.exception))
        with self.assertRaises(edsl.EdslError):
            edsl.run(os.path.join(ROOT, "does/not/exist.edsl"))

    def test_tables(self):
        r = edsl.run(os.path.join(ROOT, "scenarios/alpha_sensitivity.edsl"))
        t = r["alpha_table"]
        cli = cli_json("scenarios/alpha_sensitivity.edsl")["results"]["alpha_table"]
        try:
            import pandas
            self.assertIsInstance(t, pandas.DataFrame)
            rows = t.to_dict("records")
        except ImportError:
            rows = t
        self.assertEqual(len(rows), len(cli["rows"]))
        self.assertEqual([rows[0][c] for c in cli["columns"]], cli["rows"][0])
        self.assertEqual(r.units["alpha_table"]["T_star_nash"], "year")

    def test_version(self):
        self.assertEqual(edsl.version(), subprocess.run(
            [EDSL, "--version"], capture_output=True, text=True).stdout.split()[1])


if __name__ == "__main__":
    unittest.main()
