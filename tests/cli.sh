#!/bin/sh
# CLI contract: exit codes, options, provenance, atomic --out files. Needs $EDSL and $TMP.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
expect_exit() { # code, args...
  want=$1; shift
  "$EDSL" "$@" >"$TMP/o" 2>"$TMP/e"; rc=$?
  [ "$rc" -eq "$want" ] && ok || no "edsl $* exited $rc, want $want: $(head -3 "$TMP/e")"
}
expect_exit 0 --version
grep -q '^edsl [0-9]' "$TMP/o" && ok || no "--version prints 'edsl X.Y.Z'"
expect_exit 0 --help
grep -q 'dump-ir' "$TMP/o" && ok || no "--help lists dump-ir"
expect_exit 2
expect_exit 2 frobnicate
expect_exit 2 run
expect_exit 2 run scenarios/baseline.edsl --format xml
expect_exit 2 run scenarios/baseline.edsl --seed -4
expect_exit 2 run scenarios/baseline.edsl --bogus
expect_exit 1 run does/not/exist.edsl
expect_exit 0 check scenarios/baseline.edsl
[ ! -s "$TMP/o" ] && ok || no "check prints nothing on success"
expect_exit 0 dump-ir scenarios/baseline.edsl
grep -q 'market inference' "$TMP/o" && grep -q '(field inference.demand.a)' "$TMP/o" && ok || no "dump-ir shows the market and resolved field references"
# --set overrides are applied and recorded in the provenance
expect_exit 0 run scenarios/baseline.edsl --set inference.firms=10 --format json
grep -q '"inference.firms=10"' "$TMP/o" && ok || no "override recorded in provenance"
n10=$(grep -A1 '"T_star_nash"' "$TMP/o" | sed -n 's/.*"value": \(.*\),/\1/p')
"$EDSL" run scenarios/baseline.edsl --format json >"$TMP/base.json"
n5=$(grep -A1 '"T_star_nash"' "$TMP/base.json" | sed -n 's/.*"value": \(.*\),/\1/p')
awk -v a="$n10" -v b="$n5" 'BEGIN { exit !(a < b) }' && ok || no "more firms cross sooner ($n10 vs $n5)"
expect_exit 0 run scenarios/baseline.edsl --set "inference.discount=0.5 %/month" --format csv
grep -q '^# set inference.discount=0.5 %/month' "$TMP/o" && ok || no "csv provenance lists --set"
expect_exit 1 run scenarios/baseline.edsl --set inference.discount=3
expect_exit 1 run scenarios/baseline.edsl --set inference.nonesuch=3
expect_exit 1 run scenarios/baseline.edsl --set firms
# one mapping from the core's status: parameters outside the model's domain exit 1, a value
# beyond double precision exits 3; both name the parameters
expect_exit 1 run scenarios/baseline.edsl --set inference.continuation.S_T=-5
grep -q 'S = -4.92063' "$TMP/e" && ok || no "domain error names S"
expect_exit 3 run scenarios/baseline.edsl --set inference.x0=1.7e308
grep -q 'not representable in double precision (N = 5, a = 1, b = 1, r = 0.05' "$TMP/e" && ok || no "overflow names the parameters"
# S above the Nash steady state (the memo's high S) has a regular solution
expect_exit 0 run scenarios/baseline.edsl --set inference.continuation.S_T=5
# the seed changes the bootstrap and is recorded
expect_exit 0 run scenarios/baseline.edsl --seed 7 --format json
grep -q '"seed": 7' "$TMP/o" && ok || no "seed recorded"
cmp -s "$TMP/o" "$TMP/base.json" && no "seed 7 gave the seed-42 output" || ok
# --out writes files atomically and leaves no temporaries
expect_exit 0 run scenarios/alpha_sensitivity.edsl --out "$TMP/out" --format json
[ -f "$TMP/out/alpha_sensitivity.json" ] && [ -f "$TMP/out/alpha_sensitivity.csv" ] && ok || no "--out files written"
[ -z "$(ls -A "$TMP/out" | grep '^\.')" ] && ok || no "no temporary files left in --out"
[ ! -s "$TMP/o" ] && ok || no "--out writes nothing to stdout"
head -1 "$TMP/out/alpha_sensitivity.csv" | grep -q '^packaging.alpha,x0,T_star_nash,' && ok || no "sweep file: a plain header first, no comment lines"
grep -q '^#' "$TMP/out/alpha_sensitivity.csv" && no "a comment line in a CSV file" || ok
python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
assert p["format_version"] == 1 and p["provenance"]["seed"] == 42
f = {e["file"]: e for e in p["files"]}
assert f["alpha_sensitivity.csv"]["units"][2] == "year", f
assert f["alpha_sensitivity.csv"]["columns"][0] == "packaging.alpha"
' "$TMP/out/alpha_sensitivity.provenance.json" && ok || no "provenance beside the files, with units"
# dump-ir names every kind of block (it once read past its table for mesh, growth, cycle)
"$EDSL" dump-ir scenarios/cycles.edsl | grep -q '^cycle railroads' && ok || no "dump-ir names cycle blocks"
"$EDSL" dump-ir scenarios/paper/growth.edsl | grep -q '^claim price_doubling' && ok || no "dump-ir names claims"
"$EDSL" dump-ir scenarios/paper/predictions_smirl_c_2026.edsl | grep -q '^prediction c_p1' && ok || no "dump-ir names predictions"
# a claim's exit status is 4 and --help says so
"$EDSL" --help | grep -q "4 a claim" && ok || no "--help documents exit status 4"
# T* far from crossing (it froze at 598.08 years once V reached its steady state to double
# precision): the alpha-sensitivity market at alpha = 0.08 and 0.07 against the asymmetric
# game's independent RK8(9) integration at epsilon = 0, and the baseline at x0 = 1000, 2000
cat >"$TMP/far.edsl" <<X
import "$PWD/scenarios/alpha_sensitivity.edsl"
report T = crossing_time(hw, nash), T_asym = asym_crossing_time(hw)
X
for a in 0.08:774.54 0.07:3696.09; do
  expect_exit 0 run "$TMP/far.edsl" --set packaging.alpha=${a%%:*} --format csv
  python3 - "$TMP/o" "${a#*:}" <<'PY' && ok || no "T* at alpha ${a%%:*} is ${a#*:} years"
import sys
v = {l.split(",")[0]: float(l.split(",")[1]) for l in open(sys.argv[1])
     if "," in l and not l.startswith(("#", "name"))}
want = float(sys.argv[2])
sys.exit(0 if abs(v["T"] - want) < 0.005 and abs(v["T"] / v["T_asym"] - 1) < 1e-9 else 1)
PY
done
for x in 1000:1200.58:2014.37 2000:2400.58:4014.37; do
  set -- $(echo "$x" | tr ':' ' ')
  expect_exit 0 run scenarios/baseline.edsl --set inference.x0=$1 --format csv
  awk -F, -v n="$2" -v c="$3" '$1 == "T_star_nash" { tn = $2 } $1 == "T_star_coop" { tc = $2 }
      END { d1 = tn - n; d2 = tc - c; exit !(d1 * d1 < 2.5e-5 && d2 * d2 < 2.5e-5) }' "$TMP/o" \
    && ok || no "baseline at x0 = $1: T* $2 and $3 years"
done
# a release dated at t0: coordination_gap = Qbar_eff(t0) - Qbar*, and the two gaps sum to the
# distance after the release, Qbar_eff(t0) - Q_now (they ignored it and summed to x0)
expect_exit 0 run tests/sweep/release_at_t0.edsl --format csv
python3 - "$TMP/o" <<'PY' && ok || no "the gaps count a release at t0"
import sys
v = {l.split(",")[0]: float(l.split(",")[1]) for l in open(sys.argv[1])
     if not l.startswith("#") and not l.startswith("name") and "," in l}
q = v["Qbar_eff_0"]
ok = (abs(q - 0.5 * (v["x0"] + v["Q_now"])) <= 1e-15 * q and
      v["coordination_gap"] == q - v["Qbar_star"] and
      abs(v["coordination_gap"] + v["production_gap"] - (q - v["Q_now"])) <= 1e-12 * v["Qbar_star"])
sys.exit(0 if ok else 1)
PY
# --list-builtins prints the registry: as many rows as :funcs, each with a family, and JSON
expect_exit 0 --list-builtins
n_list=$(wc -l <"$TMP/o")
n_funcs=$(echo ":funcs" | "$EDSL" repl 2>/dev/null | grep -c '^  [A-Za-z_]')
[ "$n_list" -ge 150 ] && [ "$n_list" = "$n_funcs" ] && ok || no "--list-builtins lists $n_list rows, :funcs $n_funcs"
expect_exit 0 --list-builtins --json
python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))
ok = all(r["family"] and r["help"].startswith(r["name"] + "(") and len(r["args"]) >= 0 for r in rows)
sys.exit(0 if ok and len(rows) == int(sys.argv[2]) else 1)' "$TMP/o" "$n_list" && ok || no "--list-builtins --json"
expect_exit 2 --list-builtins --yaml
# On a shared machine: standard input and FIFOs are scenarios too; files honour the umask;
# the default worker count follows the CPUs the process may use and the batch system's caps.
printf 'report x = 1 + 1\n' | "$EDSL" run - --format csv 2>"$TMP/e" | grep -q '^x,2,' && ok ||
  no "run - reads standard input: $(cat "$TMP/e")"
printf 'import "baseline.edsl"\nreport n = inference.firms\n' >"$TMP/imp_in.edsl"
(cd scenarios && "$EDSL" run - --format csv <"$TMP/imp_in.edsl" 2>"$TMP/e") | grep -q '^n,5,' && ok ||
  no "run - imports relative to the current directory: $(cat "$TMP/e")"
rm -rf "$TMP/sin"
printf 'report x = 1\n' | "$EDSL" run - --out "$TMP/sin" >/dev/null 2>&1 && [ -f "$TMP/sin/stdin.txt" ] &&
  ok || no "run - --out names its files stdin.*"
mkfifo "$TMP/in.fifo"
(printf 'report y = 3\n' >"$TMP/in.fifo") &
timeout 10 "$EDSL" run "$TMP/in.fifo" --format csv 2>"$TMP/e" | grep -q '^y,3,' && ok ||
  no "a FIFO with a writer is read: $(cat "$TMP/e")"
wait
yes | head -c 70000000 | "$EDSL" run - >/dev/null 2>"$TMP/e"; rc=$?
[ $rc -eq 1 ] && grep -q '64 MiB' "$TMP/e" && ok || no "endless standard input: exit $rc, $(cat "$TMP/e")"
for mask in 022 077; do
  rm -rf "$TMP/um"
  (umask $mask && "$EDSL" run scenarios/baseline.edsl --format csv --out "$TMP/um" >/dev/null 2>&1)
  want=$([ $mask = 022 ] && echo "-rw-r--r--" || echo "-rw-------")
  modes=$(ls -l "$TMP/um" | awk 'NR > 1 {print $1}' | sort -u)
  [ "$modes" = "$want" ] && ok || no "umask $mask: files are $modes, want $want"
done
threads_here() { "$@" "$EDSL" --help | sed -n 's/^ *\([0-9]*\)); the output is the same.*/\1/p'; }
[ "$(SLURM_CPUS_PER_TASK=1 threads_here env)" = 1 ] && ok || no "SLURM_CPUS_PER_TASK=1 caps the workers"
[ "$(OMP_NUM_THREADS=1 threads_here env)" = 1 ] && ok || no "OMP_NUM_THREADS=1 caps the workers"
[ "$(SLURM_CPUS_PER_TASK=x threads_here env)" = "$(threads_here env)" ] && ok ||
  no "a malformed SLURM_CPUS_PER_TASK is ignored"
if command -v taskset >/dev/null 2>&1; then
  [ "$(threads_here taskset -c 0)" = 1 ] && ok || no "taskset -c 0: one worker by default"
fi
# Progress: on stderr with --progress, never in the output; none by default off a terminal.
rm -rf "$TMP/pg1" "$TMP/pg2"
"$EDSL" run bench/sweep.edsl --out "$TMP/pg1" --progress >/dev/null 2>"$TMP/e" &&
  grep -q '^edsl: sweep grid: 100000 of 100000 (100%)' "$TMP/e" && ok ||
  no "--progress: $(tail -2 "$TMP/e")"
"$EDSL" run bench/sweep.edsl --out "$TMP/pg2" >/dev/null 2>"$TMP/e" && [ ! -s "$TMP/e" ] &&
  cmp -s "$TMP/pg1/grid.csv" "$TMP/pg2/grid.csv" && ok ||
  no "without a terminal no progress shows, and the output is the same: $(head -2 "$TMP/e")"
expect_exit 2 run scenarios/baseline.edsl --progress --quiet
expect_exit 2 check scenarios/baseline.edsl --progress
echo "cli: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
