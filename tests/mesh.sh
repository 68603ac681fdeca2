#!/bin/sh
# The mesh layer through the language: properties (S_inf = 0 iff R0 <= 1, the premium falls in
# rho, lambda2 > 0 iff connected), the dense eigen-solve against the sparse one, the papers'
# printed numbers (Lemma 1's table, §5.6's throughput), the ER giant component against eq. 28,
# and seeded runs byte for byte. Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
D=tests/mesh

"$EDSL" run $D/props.edsl --format csv >"$TMP/p.csv" || no "props run"
python3 - "$TMP/p.csv" <<'PY' && ok || no "properties"
import csv, sys
lines = open(sys.argv[1]).read().split('\n')
def table(name):  # the rows after '# table NAME' and its header
    i = lines.index('# table ' + name) + 2
    j = i
    while j < len(lines) and lines[j] and not lines[j].startswith('#'): j += 1
    return list(csv.reader(lines[i:j]))
bad = []
g = table('giant')
assert len(g) == 29, len(g)
for _, R0, S in g:
    R0, S = float(R0), float(S)
    if (S == 0) != (R0 <= 1 + 1e-12): bad.append(('S_inf = 0 iff R0 <= 1', R0, S))
p = [float(r[1]) for r in table('premium')]
if any(b >= a for a, b in zip(p, p[1:])) or abs(p[-1] - 1) > 1e-12: bad.append(('premium', p))
c = table('connectivity')
conn = sum(1 for r in c if r[1] == '1')
for _, comps, l2 in c:
    if (float(l2) > 1e-9) != (comps == '1'): bad.append(('lambda2 > 0 iff connected', comps, l2))
if not (3 <= conn <= 37): bad.append(('both cases seen', conn))
for b in bad: print(b)
sys.exit(1 if bad else 0)
PY

# dense against sparse on one network: 1e-8 relative
dense=$("$EDSL" run $D/solvers.edsl --format csv | sed -n 's/^lambda2,\([^,]*\).*/\1/p')
sparse=$("$EDSL" run $D/solvers.edsl --format csv --set ba.network.eigen=sparse | sed -n 's/^lambda2,\([^,]*\).*/\1/p')
awk -v a="$dense" -v b="$sparse" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 1e-8 * a) }' \
  && ok || no "dense $dense vs sparse $sparse"

# the scenario: printed numbers and the giant component of G(n, 1.5/n)
"$EDSL" run scenarios/mesh.edsl --format csv >"$TMP/m.csv" || no "mesh run"
python3 - "$TMP/m.csv" <<'PY' && ok || no "mesh scenario numbers"
import csv, math, sys
rows = [r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))]
v = {r[0]: r[1] for r in rows if len(r) >= 2}
bad = []
def near(name, want, tol):  # CSV carries 10 significant digits
    got = float(v[name])
    if abs(got - want) > max(tol, 1e-9 * abs(want)): bad.append((name, got, want, tol))
# eq. 28 at R0 = 1.5 by fixed-point iteration (independent of the Brent solve)
S = 1.0
for _ in range(2000): S = 1 - math.exp(-1.5 * S)
near('S_inf', S, 1e-12)
near('giant_eq28_er', S, 1e-12)
near('giant_measured_er', S, 0.01)      # 1e5 nodes: sampling error ~ 0.003
near('giant_mean_field_er', S, 0.01)
near('settlement_tps', 1e6 * 10 / 60, 1e-6)   # §5.6: "approximately 1.7e5 TPS"
near('diversity_premium', 20, 1e-12)
near('potts_K_c', 2 * 19 * math.log(19) / 18, 1e-9)
near('potts_jump', 18 / 19, 1e-7)
# N*: N S(N r) c_bar = M c_cent, solved here by bisection
r, target = 3e-7 / 0.2, 1000 / 0.01
def giant(R0):
    if R0 <= 1: return 0.0
    lo, hi = 1e-12, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if 1 - math.exp(-R0 * mid) - mid > 0 else (lo, mid)
    return lo
lo, hi = 1 / r, 1e9
for _ in range(200):
    mid = (lo + hi) / 2
    lo, hi = (mid, hi) if mid * giant(mid * r) < target else (lo, mid)
near('N_star', lo, 1e-6 * lo)
# the decay rate of du/dt = -L u falls toward lambda2 and stays above it
l2, r2, r10 = float(v['lambda2']), float(v['decay_rate_t2']), float(v['decay_rate_t10'])
if not (r2 > r10 >= l2 * (1 - 1e-6)): bad.append(('decay toward lambda2', r2, r10, l2))
if not float(v['disagreement_t2']) <= math.exp(-l2 * 2): bad.append(('eq. 35 bound',))
for b in bad: print(b)
sys.exit(1 if bad else 0)
PY
python3 - "$TMP/m.csv" <<'PY' && ok || no "Lemma 1 table"
import sys
lines = open(sys.argv[1]).read().split('\n')
i = lines.index('# table premium_table') + 2
got = [float(l.split(',')[1]) for l in lines[i:i + 3]]
want = [20, 20 ** (1 / 3), 20 ** (1 / 9)]          # printed: 20, 2.7, 1.4
sys.exit(0 if all(abs(a - b) < 1e-9 * b for a, b in zip(got, want)) else 1)
PY

# seeded runs repeat byte for byte; another seed gives other networks and agents
"$EDSL" run scenarios/specialization.edsl --format json >"$TMP/a.json" || no "run a"
"$EDSL" run scenarios/specialization.edsl --format json >"$TMP/b.json" || no "run b"
cmp -s "$TMP/a.json" "$TMP/b.json" && ok || no "same seed, same bytes"
"$EDSL" run scenarios/specialization.edsl --format json --seed 7 >"$TMP/c.json" || no "run c"
cmp -s "$TMP/a.json" "$TMP/c.json" && no "another seed, same agents" || ok
"$EDSL" run scenarios/mesh.edsl --format csv --seed 7 >"$TMP/m7.csv" || no "mesh seed 7"
[ "$(sed -n 's/^lambda2,//p' "$TMP/m.csv")" != "$(sed -n 's/^lambda2,//p' "$TMP/m7.csv")" ] && ok || no "seed changes the network"
[ "$(sed -n 's/^S_inf,//p' "$TMP/m.csv")" = "$(sed -n 's/^S_inf,//p' "$TMP/m7.csv")" ] && ok || no "seed leaves S_inf alone"
# threads do not change a sweep of seeded networks
"$EDSL" run $D/props.edsl --format csv --threads 2 >"$TMP/p2.csv" || no "props threads"
cmp -s "$TMP/p.csv" "$TMP/p2.csv" && ok || no "threads change the bytes"

# --max-network-edges bounds memory with a clear error
printf 'mesh m {\n  network {\n    model = barabasi_albert\n    nodes = 1000\n    links = 3\n  }\n}\nreport k = mean_degree(m)\n' >"$TMP/big.edsl"
"$EDSL" run "$TMP/big.edsl" --max-network-edges 100 2>"$TMP/big.err" >/dev/null; rc=$?
[ $rc -eq 1 ] && grep -q "the limit is 100 edges" "$TMP/big.err" && ok || no "edge limit (exit $rc)"

echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
