#!/bin/sh
# Uncertainty through the language, each number against an independent computation: sampled
# quantiles against exact ones, Latin-hypercube strata, Ishigami's Sobol indices against their
# closed form, copula correlation, "from a fit", failed draws, and the same bytes for any
# number of threads and shards. Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
PY=/usr/bin/python3 # Debian's, with NumPy (python3-scipy)
[ -x $PY ] || PY=python3
D=tests/uncertainty
val() { sed -n "s/^$1,\([^,]*\),.*/\1/p" "$2"; } # NAME FILE: a scalar of a CSV output
# within A B TOL: |A - B| <= TOL * |B| (relative), or absolute when B is 0
within() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d;
  s = b < 0 ? -b : b; exit !(a != "" && d <= t * (s > 0 ? s : 1)) }'; }

# 1. T*N falls as alpha rises, so its p-quantile under alpha ~ normal(0.23, 0.03) is T*N at
#    alpha's (1 - p)-quantile: each one a single --set run. LHS within 0.1 %, Monte Carlo 2 %.
"$EDSL" run $D/quantiles.edsl --format csv >"$TMP/q.csv" || no "quantiles run"
for p in 05 50 95; do
  a=$(python3 -c "from statistics import NormalDist as N; print(repr(0.23 + 0.03 * N().inv_cdf(1 - 0.$p)))")
  printf 'import "scenarios/alpha_sensitivity.edsl"\nreport T = crossing_time(hw, nash)\n' >"$TMP/one.edsl"
  exact=$("$EDSL" run "$TMP/one.edsl" --format csv --set "packaging.alpha=$a" | sed -n 's/^T,\([^,]*\),.*/\1/p')
  within "$(val lhs_q$p "$TMP/q.csv")" "$exact" 0.001 && ok || no "LHS q$p $(val lhs_q$p "$TMP/q.csv") vs exact $exact"
  within "$(val mc_q$p "$TMP/q.csv")" "$exact" 0.02 && ok || no "MC q$p $(val mc_q$p "$TMP/q.csv") vs exact $exact"
done

# 2. Latin hypercube: each of the 100 strata of each axis holds exactly one draw.
"$EDSL" run $D/strata.edsl --out "$TMP/st" >/dev/null || no "strata run"
python3 - "$TMP/st/strata.csv" <<'EOF' && ok || no "LHS strata"
import csv, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))][1:]
a = sorted(int((float(r[0]) - 0.1) / 0.2 * 100) for r in rows)
s = sorted(int(float(r[1]) / 0.1 * 100) for r in rows)
sys.exit(0 if a == list(range(100)) and s == list(range(100)) else 1)
EOF

# 3. Ishigami (a = 7, b = 0.1): first-order and total indices within 0.01 of the closed form,
#    its mean 3.5 and variance within 1 %.
"$EDSL" run $D/ishigami.edsl --format csv --out "$TMP/ish" >/dev/null || no "Ishigami run"
cp "$TMP/ish/ishigami.results.csv" "$TMP/ish.csv"
python3 - "$TMP/ish.csv" <<'EOF' && ok || no "Ishigami indices"
import math, sys
got = {}
for line in open(sys.argv[1]):
    f = line.strip().split(',')
    if len(f) >= 2 and f[0] and not line.startswith('#'):
        try: got[f[0]] = float(f[1])
        except ValueError: pass
a, b, pi = 7.0, 0.1, math.pi
V1 = 0.5 * (1 + b * pi**4 / 5) ** 2
V2 = a * a / 8
V13 = b * b * pi**8 * (1 / 18 - 1 / 50)
V = V1 + V2 + V13
want = {'S1': V1 / V, 'S2': V2 / V, 'S3': 0.0, 'ST1': (V1 + V13) / V, 'ST2': V2 / V, 'ST3': V13 / V}
bad = [k for k, w in want.items() if abs(got[k] - w) > 0.01]
bad += [] if abs(got['mean_f'] - a / 2) < 0.02 else ['mean_f']
bad += [] if abs(got['var_f'] / V - 1) < 0.01 else ['var_f']
for k in bad: print('  %s: got %s' % (k, got.get(k)), file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

#    Their 95% bootstrap intervals, recomputed by NumPy from the draws (its own resamples of
#    the base rows, 20,000 of them): each end within a fifth of the interval's width, and
#    each interval holds its estimate.
$PY - "$TMP/ish.csv" "$TMP/ish/ishigami_draws.csv" <<'EOF' && ok || no "Sobol bootstrap intervals"
import sys
import numpy as np
got = {}
for line in open(sys.argv[1]):
    f = line.strip().split(',')
    if len(f) >= 2 and f[0] and not line.startswith('#'):
        try: got[f[0]] = float(f[1])
        except ValueError: pass
y = np.loadtxt([l for l in open(sys.argv[2]) if not l.startswith('#')][1:], delimiter=',')[:, 3]
k = 3
blk = y.reshape(-1, k + 2)
fA, fB, fAB = blk[:, 0], blk[:, 1], blk[:, 2:]
n = len(fA)
rng = np.random.default_rng(7)
bad = []
for name, i, first in [('S1', 0, 1), ('S3', 2, 1), ('ST2', 1, 0), ('ST3', 2, 0)]:
    est = []
    for chunk in range(20):
        idx = rng.integers(0, n, size=(1000, n))
        A, B, C = fA[idx], fB[idx], fAB[:, i][idx]
        V = np.concatenate([A, B], axis=1).var(axis=1, ddof=1)
        est.append((B * (C - A)).mean(axis=1) / V if first else ((A - C) ** 2).mean(axis=1) / 2 / V)
    lo, hi = np.quantile(np.concatenate(est), [0.025, 0.975])
    w = hi - lo
    if abs(got[name + '_lo'] - lo) > w / 5 or abs(got[name + '_hi'] - hi) > w / 5 or \
       not got[name + '_lo'] <= got[name] <= got[name + '_hi']:
        bad.append('%s: edsl [%g, %g] around %g, NumPy [%g, %g]' %
                   (name, got[name + '_lo'], got[name + '_hi'], got[name], lo, hi))
for b in bad: print('  ' + b, file=sys.stderr)
sys.exit(1 if bad else 0)
EOF

# 4. The copula's correlation of two normal inputs (-0.6 +- 0.02) and alpha from its fit: the
#    draws' mean and sd are the fit's alpha and standard error (1 %, 2 %).
"$EDSL" run $D/correlation.edsl --format csv --out "$TMP/co" >/dev/null || no "correlation run"
python3 - "$TMP/co/correlation_draws.csv" <<'EOF' && ok || no "copula correlation -0.6"
import csv, statistics, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))][1:]
x = [float(r[0]) for r in rows]; y = [float(r[1]) for r in rows]
sys.exit(0 if abs(statistics.correlation(x, y) + 0.6) < 0.02 else 1)
EOF
"$EDSL" run $D/correlation.edsl --format csv >"$TMP/co.csv"
within "$(val a_mean "$TMP/co.csv")" "$(val fit_alpha "$TMP/co.csv")" 0.01 && ok || no "mean of from_fit draws"
within "$(val a_sd "$TMP/co.csv")" "$(val fit_se "$TMP/co.csv")" 0.02 && ok || no "sd of from_fit draws"

# 5. Bootstrap draws: the 2.5 % and 97.5 % quantiles of the sampled alpha are the fit's
#    bootstrap interval (the same resamples), as scenarios/uncertainty.edsl reports them.
"$EDSL" run scenarios/uncertainty.edsl --format csv >"$TMP/u.csv" || no "uncertainty scenario"
"$EDSL" run scenarios/baseline.edsl --format csv >"$TMP/b.csv" || no "baseline"
within "$(val alpha_q025 "$TMP/u.csv")" "$(val alpha_ci_lo "$TMP/b.csv")" 0.005 && ok || no "alpha q2.5 = CI lo"
within "$(val alpha_q975 "$TMP/u.csv")" "$(val alpha_ci_hi "$TMP/b.csv")" 0.005 && ok || no "alpha q97.5 = CI hi"

# 6. Failed draws: counted, NA in the file, left out of the summaries, and warned about.
"$EDSL" run $D/failing.edsl --format csv --out "$TMP/f1" 2>"$TMP/f.err" >/dev/null || no "failing run"
nf=$(val nf "$TMP/f1/failing.results.csv")
na=$(grep -c ',NA,NA$' "$TMP/f1/failing_draws.csv")
[ "$na" -gt 0 ] && [ "$na" = "$nf" ] && ok || no "NA rows ($na) = failed count ($nf)"
grep -q "warning: $na of the 3000 draws of sample 'mc' failed" "$TMP/f.err" && ok || no "failed draws warned about"

# 7. The same bytes for any number of threads, and from shards merged (failed draws included).
for f in failing quantiles; do
  for fmt in table csv json; do
    "$EDSL" run $D/$f.edsl --format $fmt --threads 1 >"$TMP/$f.1.$fmt" 2>/dev/null
    "$EDSL" run $D/$f.edsl --format $fmt --threads 3 >"$TMP/$f.3.$fmt" 2>/dev/null
    cmp -s "$TMP/$f.1.$fmt" "$TMP/$f.3.$fmt" && ok || no "$f $fmt: 1 and 3 threads differ"
    rm -rf "$TMP/sh"; mkdir "$TMP/sh"
    printf '1\n2\n3\n' | xargs -P 3 -I {} "$EDSL" run $D/$f.edsl --format $fmt --shard {}/3 \
      --out "$TMP/sh" 2>/dev/null || no "$f shards ran ($fmt)"
    "$EDSL" merge "$TMP"/sh/*.json >"$TMP/$f.m.$fmt" || no "$f merge ($fmt)"
    cmp -s "$TMP/$f.1.$fmt" "$TMP/$f.m.$fmt" && ok || no "$f $fmt: merged shards differ"
  done
done
"$EDSL" run $D/failing.edsl --shard 1/2 >"$TMP/p1.json" 2>/dev/null && \
  "$EDSL" run $D/failing.edsl --shard 2/2 >"$TMP/p2.json" 2>/dev/null || no "shards to stdout"
"$EDSL" merge "$TMP/p1.json" "$TMP/p2.json" --out "$TMP/mo" || no "merge --out"
"$EDSL" run $D/failing.edsl --out "$TMP/f2" 2>/dev/null >/dev/null
cmp -s "$TMP/f2/failing_draws.csv" "$TMP/mo/failing_draws.csv" && cmp -s "$TMP/f2/failing.txt" "$TMP/mo/failing.txt" \
  && ok || no "merged --out files differ from the unsharded run"
# A scenario edited between the shards and the merge: the summaries cannot be trusted.
cp $D/failing.edsl "$TMP/edit.edsl"
sed -i 's|"../../scenarios/|"'"$PWD"'/scenarios/|' "$TMP/edit.edsl"
"$EDSL" run "$TMP/edit.edsl" --shard 1/2 >"$TMP/e1.json" 2>/dev/null
"$EDSL" run "$TMP/edit.edsl" --shard 2/2 >"$TMP/e2.json" 2>/dev/null
echo "# edited" >>"$TMP/edit.edsl"
"$EDSL" merge "$TMP/e1.json" "$TMP/e2.json" >/dev/null 2>"$TMP/e.err" && no "merge of an edited scenario succeeded"
grep -q "has changed since the shards ran" "$TMP/e.err" && ok || no "edited scenario named"

# An uncertain block declared in an imported file (checked once, whatever the import depth).
printf 'import "%s/scenarios/uncertainty.edsl"\nsample s = lhs(inputs, 50) {\n  report T = crossing_time(hw, nash)\n}\nreport m = quantile(s.T, 0.5)\n' \
  "$PWD" >"$TMP/imp.edsl"
"$EDSL" run "$TMP/imp.edsl" --format csv >"$TMP/imp.csv" && [ -n "$(val m "$TMP/imp.csv")" ] \
  && ok || no "sample of an imported uncertain block"

# A sample whose file has the main output's name under --out is refused, not overwritten.
sed 's/to "correlation_draws.csv"/to "clash.results.csv"/; s|"../../scenarios/|"'"$PWD"'/scenarios/|' \
  $D/correlation.edsl >"$TMP/clash.edsl"
"$EDSL" run "$TMP/clash.edsl" --format csv --out "$TMP/cl" >/dev/null 2>"$TMP/cl.err" \
  && no "a file clashing with the main output was accepted"
grep -q "'the main output' and 'c' would both write 'clash.results.csv' under --out" "$TMP/cl.err" && [ ! -e "$TMP/cl/clash.results.csv" ] \
  && ok || no "clash named, nothing written"

echo "uncertainty: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
