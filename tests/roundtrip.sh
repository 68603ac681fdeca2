#!/bin/sh
# Every number in CSV and JSON output reads back as the double edsl computed: checked against
# the shard file of the same run, which carries each double as a C99 hexadecimal float ("%a",
# exact). Also: --digits sets the table format's digits and nothing else. Needs $EDSL and $TMP.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }

for sc in scenarios/baseline.edsl scenarios/alpha_sensitivity.edsl scenarios/comparative_statics.edsl \
          scenarios/mesh.edsl scenarios/dual_convergence.edsl tests/sweep/failing.edsl; do
  "$EDSL" run "$sc" --format json >"$TMP/r.json" 2>/dev/null &&
    "$EDSL" run "$sc" --format csv >"$TMP/r.csv" 2>/dev/null &&
    "$EDSL" run "$sc" --shard 1/1 >"$TMP/r.shard" 2>/dev/null || { no "$sc runs"; continue; }
  python3 - "$TMP/r.json" "$TMP/r.csv" "$TMP/r.shard" <<'PY' && ok || no "$sc: csv and json round-trip every double"
import csv, json, math, sys
out, shard = json.load(open(sys.argv[1]))["results"], json.load(open(sys.argv[3]))["results"]
lines = [l for l in open(sys.argv[2]) if not l.startswith("#")]
def exact(v):
    return None if v is None else float.fromhex(v)
def same(a, b):
    return (a is None and b is None) or (a is not None and b is not None and
                                          (a == b or (math.isinf(a) and a == b)))
def cell(text):
    return None if text == "NA" else float(text)
checked, bad = 0, []
scalars = {}
for l in csv.reader(lines):
    if len(l) == 3 and l != ["name", "value", "unit"]:
        scalars[l[0]] = l[1]
for r in shard:
    name = r["name"]
    if r.get("type") == "number":
        want = exact(r["value"])
        got_json = out[name]["value"]
        got_json = None if got_json is None else float(got_json) if not isinstance(got_json, str) else float(got_json)
        for got in (got_json, cell(scalars[name])):
            checked += 1
            if not same(got, want):
                bad.append((name, got, want))
    elif "rows" in r and "rows" in out.get(name, {}):
        for row_s, row_j in zip(r["rows"], out[name]["rows"]):
            for s, j in zip(row_s, row_j):
                checked += 1
                if not same(None if j is None else float(j), exact(s)):
                    bad.append((name, j, s))
for b in bad[:5]:
    print("  mismatch", b)
sys.exit(1 if bad or checked == 0 else 0)
PY
done

# A double that needs all 17 digits, and one that needs 1: both exact, the second short.
cat >"$TMP/d.edsl" <<'X'
report third = 1 / 3, tenth = 0.1, big = 2^60 + 0, tiny = 1e-300 / 7
X
"$EDSL" run "$TMP/d.edsl" --format csv >"$TMP/d.csv" || no "digits file runs"
grep -q '^third,0.3333333333333333,$' "$TMP/d.csv" && grep -q '^tenth,0.1,$' "$TMP/d.csv" \
  && ok || no "csv writes the shortest text that round-trips"
"$EDSL" run "$TMP/d.edsl" --format table --digits 3 >"$TMP/d.txt" || no "--digits 3"
grep -q '^third  0.333$' "$TMP/d.txt" && ok || no "--digits 3 sets the table's digits"
"$EDSL" run "$TMP/d.edsl" --format table >"$TMP/d10.txt"
grep -q '^third  0.3333333333$' "$TMP/d10.txt" && ok || no "the table keeps 10 digits by default"
"$EDSL" run "$TMP/d.edsl" --format csv --digits 3 | grep -q '^third,0.3333333333333333,$' \
  && ok || no "--digits leaves csv exact"
for bad in 0 18 x -1; do
  "$EDSL" run "$TMP/d.edsl" --digits $bad >/dev/null 2>"$TMP/e"; [ $? -eq 2 ] && ok || no "--digits $bad is a usage error"
done
# a shard remembers --digits, and the merge writes what the unsharded run would
"$EDSL" run "$TMP/d.edsl" --digits 4 --shard 1/1 >"$TMP/d.shard"
"$EDSL" run "$TMP/d.edsl" --digits 4 >"$TMP/d4.txt"
"$EDSL" merge "$TMP/d.shard" | cmp -s - "$TMP/d4.txt" && ok || no "merge keeps --digits"

echo "roundtrip: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
