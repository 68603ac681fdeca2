#!/bin/sh
# `edsl predictions`: each verdict rule on synthetic observations (tests/predictions/), the
# as-of date cutting the data, the papers' predictions against stdlib's observations, and
# bad data tables. Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0
no() { fails=$((fails+1)); echo "FAIL: $*"; }
P=tests/predictions/fixture.edsl D=tests/predictions/data.edsl
verdict() { # as_of name -> "verdict date"
  "$EDSL" predictions $P --data $D --as-of "$1" --format csv | awk -F, -v n="$2" '$2 == n { print $3, $4 }'
}
# the event: confirmed at 2027.5; before that open
[ "$(verdict 2027.9 event)" = "confirmed 2027.5" ] || no "event confirmed: $(verdict 2027.9 event)"
[ "$(verdict 2027 event)" = "open 2027" ] || no "event open before its observation: $(verdict 2027 event)"
# the deadline with no evidence against: refuted when the window closes, at its end
[ "$(verdict 2028 deadline)" = "open 2028" ] || no "deadline open: $(verdict 2028 deadline)"
[ "$(verdict 2030 deadline)" = "refuted 2029" ] || no "deadline refuted at 2029: $(verdict 2030 deadline)"
# throughout: refuted at the first observation outside [0.18, 0.28]
[ "$(verdict 2028 persist)" = "open 2028" ] || no "persist open: $(verdict 2028 persist)"
[ "$(verdict 2030 persist)" = "refuted 2029" ] || no "persist refuted: $(verdict 2030 persist)"
# evidence against on another quantity: share 0.15 < 20 % at 2027
[ "$(verdict 2030 other)" = "refuted 2027" ] || no "other refuted by share: $(verdict 2030 other)"
[ "$(verdict 2026.9 other)" = "open 2026.9" ] || no "other open: $(verdict 2026.9 other)"
# the default as-of is the latest observation; same input, same bytes
"$EDSL" predictions $P --data $D >"$TMP/a" && "$EDSL" predictions $P --data $D >"$TMP/b" || no "run"
cmp -s "$TMP/a" "$TMP/b" || no "two runs differ"
grep -q '^# as of 2029$' "$TMP/a" || no "default as-of is the latest date"
grep -q '^# input tests/predictions/data.edsl sha256:' "$TMP/a" || no "data file in provenance"
"$EDSL" predictions $P --data $D --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["predictions"]) == 4 and d["provenance"]["as_of"] == 2029' ||
  no "JSON output"
# the papers' predictions against what the papers report: 10 and 16, all open as of 2026
for f in c j; do
  n=$("$EDSL" predictions scenarios/paper/predictions_smirl_${f}_2026.edsl --data stdlib/data/observations.edsl --format csv | grep -c ',open,')
  want=10; [ $f = j ] && want=16
  [ "$n" = "$want" ] || no "smirl_${f}: $n open predictions, expected $want"
done
# bad data tables and usage
printf 'table observations(date: year, quantity: text, value: GB) {\n  2026, "x", 1\n}\n' >"$TMP/unit.edsl"
"$EDSL" predictions $P --data "$TMP/unit.edsl" 2>"$TMP/err"; [ $? -eq 1 ] || no "value with a unit accepted"
grep -q "needs a column 'value' of plain numbers" "$TMP/err" || no "value-unit message: $(cat "$TMP/err")"
printf 'table obs(date: year, quantity: text, value: 1) {\n  2026, "x", 1\n}\n' >"$TMP/name.edsl"
"$EDSL" predictions $P --data "$TMP/name.edsl" 2>"$TMP/err"; [ $? -eq 1 ] || no "missing observations table accepted"
grep -q "must declare table observations" "$TMP/err" || no "missing-table message"
"$EDSL" predictions $P 2>/dev/null; [ $? -eq 2 ] || no "--data missing is not a usage error"
"$EDSL" predictions $P --data $D --as-of soon 2>/dev/null; [ $? -eq 2 ] || no "bad --as-of accepted"
"$EDSL" run $P --data $D 2>/dev/null; [ $? -eq 2 ] || no "--data accepted by run"
[ $fails -eq 0 ] && echo "predictions: all checks passed"
exit $fails
