#!/bin/sh
# Sweeps across threads, shards and machines: grids, --threads, --shard/merge, streaming into
# --out, and interrupted runs. Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
G=tests/sweep/grid.edsl

# The grid's rows are its axes' combinations, the last axis fastest: row 1 + 2*20+1*5+3 is
# (alpha 0.2, N 3, S_T 0.03), and it equals the single run with those three values set.
"$EDSL" run $G --format csv --threads 1 >"$TMP/t1.csv" || no "grid run"
[ "$(grep -c '^0\.' "$TMP/t1.csv")" -eq 120 ] && ok || no "6 x 4 x 5 = 120 rows"
row=$(grep '^0.2,3,0.03,' "$TMP/t1.csv" | cut -d, -f4)
[ "$(awk -F, '/^0\./ { if (++n == 49) print $1 "," $2 "," $3 }' "$TMP/t1.csv")" = "0.2,3,0.03" ] \
  && ok || no "row 49 is alpha 0.2, N 3, S_T 0.03"
one=$("$EDSL" run $G --format csv --set packaging.alpha=0.2 --set hardware.firms=3 \
      --set hardware.continuation.S_T=0.03 | sed -n 's/^T_base,\([^,]*\),.*/\1/p')
[ -n "$row" ] && [ "$row" = "$one" ] && ok || no "grid row ($row) equals the --set run ($one)"

# The same bytes for any number of threads.
for t in 2 3 8; do
  "$EDSL" run $G --format csv --threads $t >"$TMP/t$t.csv"
  cmp -s "$TMP/t1.csv" "$TMP/t$t.csv" && ok || no "--threads $t output differs from --threads 1"
done

# Four shards through xargs -P, merged: exactly the unsharded bytes, in every format.
for fmt in table csv json; do
  "$EDSL" run $G --format $fmt >"$TMP/full.$fmt"
  rm -rf "$TMP/sh"; mkdir "$TMP/sh"
  printf '1\n2\n3\n4\n' | xargs -P 4 -I {} "$EDSL" run $G --format $fmt --shard {}/4 --out "$TMP/sh" \
    || no "shards ran ($fmt)"
  [ "$(ls "$TMP/sh" | wc -l)" -eq 4 ] && ok || no "four shard files ($fmt)"
  "$EDSL" merge "$TMP"/sh/*.json >"$TMP/merged.$fmt" || no "merge ($fmt)"
  cmp -s "$TMP/full.$fmt" "$TMP/merged.$fmt" && ok || no "merged $fmt differs from the unsharded run"
done
# ... also with --out: the sweep's own file and the main file, byte for byte.
"$EDSL" run $G --out "$TMP/o1" || no "run --out"
"$EDSL" run $G --shard 1/2 >"$TMP/p1.json" && "$EDSL" run $G --shard 2/2 >"$TMP/p2.json" \
  || no "shards to stdout"
"$EDSL" merge "$TMP/p2.json" "$TMP/p1.json" --out "$TMP/o2" || no "merge --out"
diff -r "$TMP/o1" "$TMP/o2" >/dev/null && ok || no "merge --out differs from run --out"
[ -f "$TMP/o1/grid.csv" ] && [ "$(grep -c '^0\.' "$TMP/o1/grid.csv")" -eq 120 ] && ok \
  || no "the sweep streams its 120 rows into --out/grid.csv"
grep -q '^120 rows in grid.csv$' "$TMP/o1/grid.txt" && ok || no "the main output names the sweep file"
# More shards than rows: some shards are empty, the merge is still exact.
for k in $(seq 1 7); do "$EDSL" run scenarios/alpha_sensitivity.edsl --shard $k/7 >"$TMP/a$k.json"; done
"$EDSL" merge "$TMP"/a?.json >"$TMP/a.txt" && "$EDSL" run scenarios/alpha_sensitivity.edsl >"$TMP/b.txt"
cmp -s "$TMP/a.txt" "$TMP/b.txt" && ok || no "7 shards of a 6-row sweep merge exactly"

# A sweep whose points fail: NA in every format (null in JSON), counted and warned about with
# the first failing point; the other rows equal their own runs; shards merge exactly;
# --strict stops at the first failing point (exit 1: S < 0 is outside the game's domain) and
# writes nothing.
F=tests/sweep/failing.edsl
"$EDSL" run $F --format csv >"$TMP/f.csv" 2>"$TMP/f.err" || no "a sweep with failing points runs"
[ "$(grep -c ',NA,NA$' "$TMP/f.csv")" -eq 5 ] && ok || no "5 failing points are NA"
grep -q '^# table grid: 5 of 15 points failed (NA)$' "$TMP/f.csv" && ok || no "csv counts the failed points"
grep -q "warning: 5 of the 15 points of sweep 'grid' failed and are NA in its results; the first, m.continuation.S_T = -1, m.firms = 1: .*S = -0.714286" "$TMP/f.err" \
  && ok || no "the warning names the first failing point and its error"
one=$("$EDSL" run $F --format csv --set m.continuation.S_T=0.5 --set m.firms=20 2>/dev/null \
      | grep '^0.5,20,')
[ -n "$one" ] && grep -qx "$one" "$TMP/f.csv" && ok || no "a good row equals its own run"
"$EDSL" run $F --format json 2>/dev/null >"$TMP/f.json"
python3 - "$TMP/f.json" <<'PY' && ok || no "json: null for NA, failed = 5"
import json, sys
g = json.load(open(sys.argv[1]))["results"]["grid"]
nulls = sum(1 for row in g["rows"] if row[2] is None and row[3] is None)
sys.exit(0 if nulls == 5 and g["failed"] == 5 else 1)
PY
"$EDSL" run $F --format table 2>/dev/null | grep -q '^5 of 15 points failed (NA)$' && ok || no "table counts the failed points"
for fmt in table csv json; do
  "$EDSL" run $F --format $fmt >"$TMP/ffull.$fmt" 2>/dev/null
  rm -rf "$TMP/fsh"; mkdir "$TMP/fsh"
  for k in 1 2 3; do "$EDSL" run $F --format $fmt --shard $k/3 --out "$TMP/fsh" 2>/dev/null; done
  "$EDSL" merge "$TMP"/fsh/*.json >"$TMP/fmerged.$fmt" || no "merge of failing shards ($fmt)"
  cmp -s "$TMP/ffull.$fmt" "$TMP/fmerged.$fmt" && ok || no "merged $fmt with failed points differs"
done
rm -rf "$TMP/fo"
"$EDSL" run $F --out "$TMP/fo" 2>/dev/null && [ "$(grep -c ',NA,NA$' "$TMP/fo/grid.csv")" -eq 5 ] \
  && grep -q '^5 of 15 points failed (NA)$' "$TMP/fo/failing.txt" && ok || no "the streamed file has the NA rows"
rm -rf "$TMP/fs"
"$EDSL" run $F --strict --out "$TMP/fs" >/dev/null 2>"$TMP/e"; rc=$?
[ $rc -eq 1 ] && grep -q "error: .*\[in sweep 'grid' at m.continuation.S_T = -1, m.firms = 1\]" "$TMP/e" \
  && [ -z "$(ls -A "$TMP/fs" 2>/dev/null)" ] && ok || no "--strict stops at the first failing point (exit $rc), no file"

# Merge refuses what is not one complete run.
"$EDSL" merge "$TMP/p1.json" >/dev/null 2>"$TMP/e"; [ $? -eq 1 ] && grep -q 'shard 2/2 is missing' "$TMP/e" && ok || no "a missing shard is named"
"$EDSL" merge "$TMP/p1.json" "$TMP/p1.json" >/dev/null 2>"$TMP/e"; grep -q 'given twice' "$TMP/e" && ok || no "a repeated shard is refused"
"$EDSL" run $G --shard 2/2 --seed 9 >"$TMP/p9.json"
"$EDSL" merge "$TMP/p1.json" "$TMP/p9.json" >/dev/null 2>"$TMP/e"; grep -q 'different run' "$TMP/e" && ok || no "shards of different runs are refused"
echo '{"x": 1}' >"$TMP/junk.json"
"$EDSL" merge "$TMP/junk.json" >/dev/null 2>"$TMP/e"; [ $? -eq 1 ] && grep -q 'not an edsl shard file' "$TMP/e" && ok || no "a foreign JSON file is refused"
head -c 100 "$TMP/p1.json" >"$TMP/cut.json"
"$EDSL" merge "$TMP/cut.json" "$TMP/p2.json" >/dev/null 2>"$TMP/e"; [ $? -eq 1 ] && grep -q 'not readable as JSON' "$TMP/e" && ok || no "a truncated shard is refused"
sed 's/"0x[0-9a-f.]*p[-+][0-9]*"/"bogus"/' "$TMP/p2.json" >"$TMP/bad.json"
"$EDSL" merge "$TMP/p1.json" "$TMP/bad.json" >/dev/null 2>"$TMP/e"; [ $? -eq 1 ] && ok || no "a corrupted number is refused"
sed '0,/"0x[0-9a-f.]*p[-+][0-9]*"/s//"0x1p+1024"/' "$TMP/p2.json" >"$TMP/over.json"
"$EDSL" merge "$TMP/p1.json" "$TMP/over.json" >/dev/null 2>"$TMP/e"; [ $? -eq 1 ] && grep -q 'overflows' "$TMP/e" && ok || no "a number that overflows is refused, not read as inf"
sed 's/"grid.csv"/"..\/escape.csv"/' "$TMP/p2.json" >"$TMP/esc.json"
"$EDSL" merge "$TMP/p1.json" "$TMP/esc.json" --out "$TMP/esc" >/dev/null 2>"$TMP/e"; [ $? -eq 1 ] && grep -q 'not a plain file name' "$TMP/e" && [ ! -e "$TMP/escape.csv" ] && ok || no "a shard cannot make merge write outside --out"
for bad in 0/4 5/4 4 a/b 1/0; do
  "$EDSL" run $G --shard $bad >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "--shard $bad is a usage error"
done
"$EDSL" run $G --threads 0 >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "--threads 0 is a usage error"
"$EDSL" merge "$TMP/p1.json" "$TMP/p2.json" --format csv >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "merge --format is a usage error (run fixed the format)"
"$EDSL" merge >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "merge without files is a usage error"

# An interrupted run leaves no file behind, not even a temporary. (The import resolves through
# the edsl home, the source tree.)
cat >"$TMP/long.edsl" <<'EOS'
import "tests/sweep/grid.edsl"
sweep long = packaging.alpha in range(0.12, 0.32, 3000), hardware.continuation.S_T in range(0, 0.04, 3000) {
  report T = crossing_time(hw, nash)
} to "long.csv"
EOS
mkdir "$TMP/int"
for sig in INT TERM; do
  # started from Python with default signal dispositions (sh starts background jobs with
  # SIGINT ignored, and edsl leaves an ignored signal ignored, as nohup expects)
  rc=$(python3 -c '
import signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.SIG_DFL)
p = subprocess.Popen(sys.argv[1:4] + ["--out", sys.argv[4], "--threads", "1"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
p.send_signal(getattr(signal, "SIG" + sys.argv[5]))
print(p.wait())' "$EDSL" run "$TMP/long.edsl" "$TMP/int" $sig)
  [ "$rc" -lt 0 ] && ok || no "SIG$sig did not end the run (exit $rc)"
  [ -z "$(ls -A "$TMP/int")" ] && ok || no "SIG$sig left files: $(ls -A "$TMP/int")"
done
# A time limit is an error that names the limit, and leaves no file either.
"$EDSL" run "$TMP/long.edsl" --out "$TMP/int" --time-limit 0.5 >/dev/null 2>"$TMP/e"; rc=$?
[ $rc -eq 3 ] && grep -q 'time limit of 0.5 s' "$TMP/e" && ok || no "--time-limit stops the run (exit $rc)"
[ -z "$(ls -A "$TMP/int")" ] && ok || no "a timed-out run left files"

echo "shard: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
