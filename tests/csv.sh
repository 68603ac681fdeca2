#!/bin/sh
# Tables read from CSV files (`table NAME(...) from "FILE.csv"`): tests/csv/table.edsl's values
# against Python's csv module reading the same file and NumPy fitting the rows with no missing
# value; the file's SHA-256 in the provenance; the warning that says how many observations a
# fit left out; the same output for LF and CRLF line ends. Needs $EDSL and $TMP; run from the
# repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
PY=/usr/bin/python3 # Debian's, with NumPy (python3-scipy)
[ -x $PY ] || PY=python3

"$EDSL" run tests/csv/table.edsl --format json >"$TMP/t.json" 2>"$TMP/t.err" || no "run: $(cat "$TMP/t.err")"
$PY - "$TMP/t.json" tests/csv/prices.csv <<'PY' && ok || no "values against Python's csv and NumPy"
import csv, hashlib, json, math, sys
import numpy as np
r = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
num = lambda s: None if s.strip() in ("", "NA") else float(s)
year = [float(x["year"]) for x in rows]
price = [num(x["price"]) for x in rows]
stack = [None if num(x["stack_tb"]) is None else num(x["stack_tb"]) * 1000 for x in rows]
col = lambda k: [v[0] for v in r["results"][k]["rows"]]
bad = []
def same(name, got, want):
    if len(got) != len(want) or any((g is None) != (w is None) or (w is not None and abs(g - w) > 1e-12 * abs(w)) for g, w in zip(got, want)):
        bad.append("%s: got %s, want %s" % (name, got, want))
same("year", col("year"), year)
same("price", col("price"), price)
same("stack", col("stack"), stack)
same("missing", col("missing"), [1.0 if p is None else 0.0 for p in price])
same("doubled", col("doubled"), [None if p is None else 2 * p for p in price])
keep = [(y - 2015, math.log(p)) for y, p in zip(year, price) if p is not None]
slope = np.polyfit([k[0] for k in keep], [k[1] for k in keep], 1)[0]
same("alpha", [r["results"]["alpha"]["value"]], [-slope])
same("n", [r["results"]["n"]["value"]], [len(keep)])
if r["results"]["mean_price"]["value"] is not None:
    bad.append("mean of a list with a missing value is not missing")
if r["results"]["stack"]["units"] != ["GB"]:
    bad.append("a TB column is stored in GB: %s" % r["results"]["stack"]["units"])
ins = {i["path"]: i["sha256"] for i in r["provenance"]["inputs"]}
if ins.get("prices.csv") != hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest():
    bad.append("provenance: %s" % ins)
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
grep -q "warning: learning_curve 'hbm': 1 of 6 observations have a missing value" "$TMP/t.err" && ok ||
  no "the fit says how many observations it left out: $(cat "$TMP/t.err")"

# The same data inline, NA where the file has NA or an empty cell: the same numbers.
cat >"$TMP/inline.edsl" <<'EDSL'
table prices(year: year, price: USD/GB, stack_tb: TB, note: text) {
  2015, 120, 0.001, "first, with a comma"
  2016, 60, 0.004, "a \"quoted\" word"
  2018, 35, NA, "two lines"
  2020, 25, NA, ""
  2022, NA, 0.016, "plain"
  2024, 15, 0.024, "ete"
}
learning_curve hbm {
  Q = exp((prices.year - 2015 year) / 1 year)
  c = prices.price
}
report year = prices.year, price = prices.price, stack = prices.stack_tb,
       missing = is_na(prices.price), alpha = alpha(hbm), n = n_obs(hbm),
       mean_price = mean(prices.price), doubled = prices.price * 2
EDSL
"$EDSL" run "$TMP/inline.edsl" --format csv 2>"$TMP/ie" | grep -v '^#' >"$TMP/inline.out"
"$EDSL" run tests/csv/table.edsl --format csv 2>/dev/null | grep -v '^#' >"$TMP/file.out"
cmp -s "$TMP/inline.out" "$TMP/file.out" && ok || no "NA in an inline table: $(diff "$TMP/inline.out" "$TMP/file.out" | head -5)"
grep -q "1 of 6 observations have a missing value" "$TMP/ie" && ok || no "inline NA: the fit's warning"

# A user's 200-row file with NA and empty cells fits a learning curve in one line of edsl:
# alpha, its SE, n and c0 against NumPy least squares on the complete rows.
$PY - "$TMP" <<'PY' || no "a 200-row CSV with missing values"
import json, os, subprocess, sys
import numpy as np
tmp = sys.argv[1]
rng = np.random.default_rng(7)
q = np.cumsum(rng.uniform(1, 5, 200))
c = 80 * q ** -0.31 * np.exp(rng.normal(0, 0.05, 200))
with open(tmp + "/user.csv", "w") as f:
    f.write("period,cum_units,unit_cost\n")
    for i in range(200):
        qs = "NA" if i % 17 == 3 else "%.12g" % q[i]
        cs = "" if i % 23 == 5 else "%.12g" % c[i]
        f.write("%d,%s,%s\n" % (i + 1, qs, cs))
open(tmp + "/user.edsl", "w").write(
    'table d(cum_units: GB, unit_cost: USD/GB) from "user.csv"\n'
    'learning_curve fit { Q = d.cum_units; c = d.unit_cost }\n'
    'report a = alpha(fit), se = alpha_se(fit), n = n_obs(fit), c0 = c0(fit)\n')
out = subprocess.run([os.environ["EDSL"], "run", tmp + "/user.edsl", "--format", "json"],
                     capture_output=True, text=True)
assert out.returncode == 0, out.stderr
assert "observations have a missing value" in out.stderr, out.stderr
r = json.loads(out.stdout)["results"]
keep = np.array([i % 17 != 3 and i % 23 != 5 for i in range(200)])
x, y = np.log(q[keep]), np.log(c[keep])
X = np.vstack([np.ones(keep.sum()), x]).T
beta, res, *_ = np.linalg.lstsq(X, y, rcond=None)
sigma2 = res[0] / (keep.sum() - 2)
se = np.sqrt(sigma2 * np.linalg.inv(X.T @ X)[1, 1])
assert r["n"]["value"] == keep.sum(), (r["n"], keep.sum())
assert abs(r["a"]["value"] + beta[1]) < 1e-10, (r["a"], -beta[1])
assert abs(r["se"]["value"] - se) < 1e-10, (r["se"], se)
assert abs(r["c0"]["value"] - np.exp(beta[0])) < 1e-8 * np.exp(beta[0]), (r["c0"], np.exp(beta[0]))
PY

# LF instead of CRLF, no byte order mark: the same numbers (the provenance's hash aside)
mkdir -p "$TMP/lf"
sed 's/\r$//' tests/csv/prices.csv | sed '1s/^\xef\xbb\xbf//' >"$TMP/lf/prices.csv"
cp tests/csv/table.edsl "$TMP/lf/"
"$EDSL" run "$TMP/lf/table.edsl" --format csv 2>/dev/null | grep -v '^#' >"$TMP/lf.out"
"$EDSL" run tests/csv/table.edsl --format csv 2>/dev/null | grep -v '^#' >"$TMP/crlf.out"
cmp -s "$TMP/lf.out" "$TMP/crlf.out" && ok || no "LF and CRLF files read alike"

# A large file reads in linear time: 10^5 and 4 x 10^5 rows, best of three, ratio < 10
$PY - "$EDSL" "$TMP" <<'PY' && ok || no "growth of a CSV table"
import subprocess, sys, time
edsl, tmp = sys.argv[1:]
t = []
for n in (100000, 400000):
    with open("%s/big%d.csv" % (tmp, n), "w") as f:
        f.write("q,c,label\n")
        for i in range(n):
            f.write('%d,%g,"row %d, ok"\n' % (i + 1, 100 * (i + 1) ** -0.3, i))
    open("%s/big%d.edsl" % (tmp, n), "w").write(
        'table t(q: GB, c: USD/GB, label: text) from "big%d.csv"\n'
        'learning_curve k {\n  Q = t.q\n  c = t.c\n}\nreport a = alpha(k)\n' % n)
    best = 1e9
    for _ in range(3):
        t0 = time.perf_counter()
        p = subprocess.run([edsl, "run", "%s/big%d.edsl" % (tmp, n)], capture_output=True)
        best = min(best, time.perf_counter() - t0)
        if p.returncode:
            sys.exit("run failed: " + p.stderr.decode()[:300])
    t.append(best)
print("growth csv rows 10^5: %.3f s, 4x: %.3f s, ratio %.1f" % (t[0], t[1], t[1] / t[0]))
sys.exit(0 if t[1] / max(t[0], 1e-3) < 10 else 1)
PY
echo "csv: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
