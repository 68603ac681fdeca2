#!/bin/sh
# dynamics blocks through the CLI, against closed forms of s' = -k s (tests/dynamics/decay.edsl):
# an event that does not happen (inf, with a warning naming the end), a path cut by its stop
# (the stop is its last row), --set and a sweep reaching the rates, the same bytes twice.
# Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
F=tests/dynamics/decay.edsl
"$EDSL" run $F --format json >"$TMP/d.json" 2>"$TMP/d.err" || no "decay run"
grep -q "event 'tenth' of dynamics 'd' does not happen before t = 10 (the end)" "$TMP/d.err" && ok ||
  no "the warning of an event that does not happen: $(cat "$TMP/d.err")"
python3 - "$TMP/d.json" <<'PY' && ok || no "decay values"
import json, math, sys
r = json.load(open(sys.argv[1]))["results"]
bad = []
if abs(r["s5"]["value"] - math.exp(-1)) > 1e-9: bad.append("s5")
if r["never"]["value"] != "inf": bad.append("never: %r" % r["never"]["value"])  # JSON has no inf
rows = r["path"]["rows"]
ts = [row[0] for row in rows]
# points 0, 1, 2, 3 years, then the stop at ln 2 / 0.2 = 3.4657 years
if ts[:4] != [0, 1, 2, 3] or len(rows) != 5 or abs(ts[4] - math.log(2) / 0.2) > 1e-9: bad.append("path t %r" % ts)
if abs(rows[4][1] - 0.5) > 1e-9: bad.append("stop value %r" % rows[4][1])
if any(abs(row[1] - math.exp(-0.2 * row[0])) > 1e-9 for row in rows): bad.append("path s")
sk = r["sk"]["rows"]
if any(abs(row[1] - math.exp(-row[0] * 5)) > 1e-9 for row in sk): bad.append("sweep %r" % sk)
for b in bad: print("  " + b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
v=$("$EDSL" run $F --format csv --set 'k=0.4 / year' 2>/dev/null | sed -n 's/^s5,\([^,]*\),.*/\1/p')
python3 -c "import math,sys; sys.exit(abs(float('$v') - math.exp(-2)) > 1e-9)" && ok || no "--set k: $v"
"$EDSL" run $F --format json >"$TMP/d2.json" 2>/dev/null
cmp -s "$TMP/d.json" "$TMP/d2.json" && ok || no "two runs differ"
echo "dynamics: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
