#!/usr/bin/env python3
"""Runs tests/functions.test (see its header) against EDSL: every value case as one report
of one file, every error case as a file of its own. Then the coverage of the registry
(edsl --list-builtins): a builtin with no case must be listed in tests/functions/uncovered.txt,
and a listed one that has a case must leave the list. Run from the repository root:
run.py EDSL [TESTFILE]."""
import json
import math
import os
import re
import subprocess
import sys
import tempfile

edsl = sys.argv[1]
path = sys.argv[2] if len(sys.argv) > 2 else "tests/functions.test"
text = open(path).read()
pre = re.search(r"^%preamble\n(.*?)^%end\n", text, re.M | re.S)
preamble = pre.group(1)
cases = []
for block in re.split(r"\n\s*\n", text[pre.end():]):
    lines = [l for l in block.strip().split("\n") if l and not l.startswith("#")]
    if not lines:
        continue
    if len(lines) != 2:
        sys.exit("%s: a case is an expression and its value, got: %r" % (path, lines))
    cases.append((lines[0], lines[1]))

fails = []
tmp = tempfile.mkdtemp()


def run(src):
    f = os.path.join(tmp, "case.edsl")
    with open(f, "w") as out:
        out.write(src)
    return subprocess.run([edsl, "run", f, "--format", "json"], capture_output=True, text=True)


def parse_expected(s):
    unit = None
    m = re.search(r"\s+unit:\s*(\S+)$", s)
    if m:
        unit, s = m.group(1), s[:m.start()]
    tol = 1e-12
    m = re.search(r"\s+~\s*(\[[^]]*\]|\S+)$", s)
    if m:  # one tolerance, or a list of them, one for each element of a list value
        tol, s = json.loads(m.group(1)), s[:m.start()]
    return json.loads(s), tol, unit


def close(got, want, tol):
    if want is None:  # a missing value (NA): null in edsl's JSON
        return got is None
    if isinstance(want, bool):
        return got in (want, 1.0 if want else 0.0)
    if isinstance(want, str):
        return got == want
    if got is None:
        return False
    return abs(got - want) <= tol * max(abs(want), 1e-300) or got == want


values = [(i, e, v) for i, (e, v) in enumerate(cases) if not v.startswith("error:")]
src = preamble + "".join("report f%d = %s\n" % (i, e) for i, e, _ in values)
p = run(src)
if p.returncode != 0:
    fails.append("the value cases do not run (exit %d):\n%s" % (p.returncode, p.stderr))
else:
    results = json.loads(p.stdout)["results"]
    for i, expr, v in values:
        want, tol, unit = parse_expected(v)
        r = results["f%d" % i]
        if "rows" in r:
            got = [row[0] for row in r["rows"]]
            gunit = r["units"][0]
            tols = tol if isinstance(tol, list) else [tol] * len(want)
            ok = isinstance(want, list) and len(got) == len(want) == len(tols) and all(
                close(g, w, t) for g, w, t in zip(got, want, tols))
        else:
            got, gunit = r["value"], r.get("unit", "")
            ok = not isinstance(want, list) and not isinstance(tol, list) and close(
                got, want, tol)
        if unit is not None and gunit != unit:
            ok = False
        if not ok:
            fails.append("%s = %r %s, want %s" % (expr, got, gunit, v))
for expr, v in cases:
    if not v.startswith("error:"):
        continue
    want = v[len("error:"):].strip()
    p = run(preamble + "report f = %s\n" % expr)
    if p.returncode == 0 or want not in p.stderr:
        fails.append("%s: want an error containing %r, got exit %d: %s" %
                     (expr, want, p.returncode, p.stderr.strip()[:300]))

# coverage of the registry
names = sorted({b["name"] for b in json.loads(subprocess.run(
    [edsl, "--list-builtins", "--json"], capture_output=True, text=True, check=True).stdout)})
# a case's expression names the builtin, or the preamble does (the distributions: they define
# the uncertain inputs whose draws the P(...) cases check)
covered = {n for n in names if any(re.search(r"\b%s\(" % re.escape(n), e)
                                   for e in [c[0] for c in cases] + [preamble])}
listed_path = os.path.join(os.path.dirname(path), "functions", "uncovered.txt")
listed = {l.strip() for l in open(listed_path) if l.strip() and not l.startswith("#")}
for n in names:
    if n not in covered and n not in listed:
        fails.append("builtin %s has no case in %s" % (n, path))
    if n in covered and n in listed:
        fails.append("builtin %s has a case: take it off %s" % (n, listed_path))
for n in sorted(listed - set(names)):
    fails.append("%s lists %s, which is no builtin" % (listed_path, n))
for f in fails:
    print("FAIL:", f)
print("functions: %d cases, %d of %d builtins covered, %d failed" %
      (len(cases), len(covered), len(names), len(fails)))
sys.exit(1 if fails else 0)
