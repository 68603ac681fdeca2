#!/bin/sh
# The growth and cycle layers through the language, each against an independent computation
# in Python (SciPy quadrature, NumPy eigenvectors, brute force over subsets of reactions,
# SciPy's Kendall tau): blow-up times, the Perron-Frobenius vector, the maximal RAF, Table 18's
# consistency, Baumol growth rates, Table 22's statistics; then seeded runs byte for byte.
# Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
PY=/usr/bin/python3
[ -x $PY ] || PY=python3

"$EDSL" run tests/growth/props.edsl --format csv >"$TMP/p.csv" || no "props run"
"$EDSL" run scenarios/growth.edsl --format json >"$TMP/g.json" || no "growth run"
"$EDSL" run scenarios/collapse.edsl --format json >"$TMP/c.json" || no "collapse run"
"$EDSL" run scenarios/cycles.edsl --format json >"$TMP/y.json" || no "cycles run"
"$EDSL" run scenarios/baumol.edsl --format json >"$TMP/b.json" || no "baumol run"

$PY - "$TMP/p.csv" <<'PY' && ok || no "blow-up: finite iff phi_eff > 1, and equal to the quadrature of dt = dC/(a C^Phi - delta C)"
import csv, math, sys
from scipy.integrate import quad
lines = open(sys.argv[1]).read().split('\n')
def table(name):
    i = lines.index('# table ' + name) + 2
    j = i
    while j < len(lines) and lines[j] and not lines[j].startswith('#'): j += 1
    return list(csv.reader(lines[i:j]))
bad = []
a = 0.4 * 0.3 * 20 ** 0.5
for beta, phi, Tb, Tx in table('blowup'):
    phi, Tb = float(phi), float(Tb)
    if (Tb != math.inf) != (phi > 1 + 1e-12): bad.append(('finite iff phi > 1', beta, phi, Tb))
    if phi > 1 + 1e-9:
        # t = int dC/(a C^phi - delta C) from C_0 = 1 to inf; in u = C^(1-phi), u from 1 to 0:
        # int_0^1 du/((phi - 1)(a - delta u))
        T, _ = quad(lambda u: 1 / ((phi - 1) * (a - 0.05 * u)), 0, 1, epsabs=0, epsrel=1e-13)
        if abs(Tb / T - 1) > 1e-6: bad.append(('quadrature', beta, Tb, T))
        if abs(float(Tx) / T - 1) > 1e-6: bad.append(('exact', beta, Tx, T))
P = [float(r[1]) for r in table('raf')]
if any(b < a for a, b in zip(P, P[1:])) or P[0] > 0.5 or P[-1] < 0.9: bad.append(('P(RAF) rises', P))
for b in bad: print(b)
sys.exit(1 if bad else 0)
PY

$PY - "$TMP/g.json" <<'PY' && ok || no "Perron-Frobenius vector and catalytic shares against numpy"
import json, sys
import numpy as np
r = {k: x['value'] if 'value' in x else [row[0] for row in x['rows']] for k, x in json.load(open(sys.argv[1]))['results'].items()}
M = np.array([[0, 0, 1, 0, 0], [1, 0, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0.5]])
w, V = np.linalg.eig(M)
k = int(np.argmax(w.real)); v = np.abs(V[:, k].real); v /= v.sum()
ok = abs(r['pf_eigenvalue'] - w[k].real) < 1e-9 and max(abs(np.array(r['pf_vector']) - v)) < 1e-9
ok &= max(abs(np.array(r['shares_t60']) - v)) < 1e-9 and abs(r['growth_rate_t60'] - (1 - 0.2)) < 1e-9
# eq. 42 integrated to 1000 years reaches Lemma 2's level 1/(h delta) - 1/(h a J) = 15
ok &= abs(r['saturation_1000y'] - 15) < 1e-6 and abs(r['saturation_level'] - 15) < 1e-9
sys.exit(0 if ok else 1)
PY

$PY - "$TMP/g.json" <<'PY' && ok || no "maximal RAF of the declared system against brute force"
import json, sys, itertools
r = {k: x['value'] if 'value' in x else [row[0] for row in x['rows']] for k, x in json.load(open(sys.argv[1]))['results'].items()}
rx = [("ft_medical", "base_llm", "evaluator", "medical"), ("ft_legal", "base_llm", "evaluator", "legal"),
      ("train_evaluator", "base_llm base_vision", "synthetic_data", "evaluator"),
      ("synthesize", "medical legal", "evaluator", "synthetic_data"),
      ("combine", "medical legal", "meta_learner", "med_legal"),
      ("meta_learn", "med_legal evaluator", "base_llm", "meta_learner"),
      ("ft_robotics", "base_vision", "robot_data", "robotics")]
food = {"base_llm", "base_vision"}
union = set()
for n in range(1, len(rx) + 1):
    for S in itertools.combinations(range(len(rx)), n):
        cl = set(food); grew = True
        while grew:
            grew = False
            for i in S:
                if set(rx[i][1].split()) <= cl and not set(rx[i][3].split()) <= cl:
                    cl |= set(rx[i][3].split()); grew = True
        if all(set(rx[i][1].split()) <= cl and set(rx[i][2].split()) & cl for i in S):
            union |= set(S)
want = " ".join(rx[i][0] for i in sorted(union))
sys.exit(0 if r['raf_members'] == want and r['raf_size'] == len(union) else 1)
PY

$PY - "$TMP/c.json" <<'PY' && ok || no "Table 18: eq. 52 where defined; no D(rho) gives its rho < 0 columns"
import json, math, sys
t = json.load(open(sys.argv[1]))['results']['table18_defined']
rows = t['rows']
def jmin(rho, ext, crit=0.5):   # smallest J with alpha_eff > alpha_crit, by search
    x = rho ** (1 / (1 - rho))
    for J in range(1, 10 ** 6):
        if ext + (1 - ext) * (J - 1) / J * (1 - x) > crit: return J
    return math.inf
bad = []
for row in rows:
    ext, rho, J = row
    if jmin(rho, ext) != J: bad.append((ext, rho, J, jmin(rho, ext)))
# the printed rho < 0 columns: each cell J bounds f = 1 - rho^(1/(1-rho)) by
# need J/(J-1) < f <= need (J-1)/(J-2), need = (alpha_crit - alpha_ext)/(1 - alpha_ext);
# the four rows of every column leave no f
printed = {-1.0: [2, 3, 5, 7], -0.5: [3, 5, 9, 14], -0.25: [4, 8, 18, 31]}
for rho, col in printed.items():
    lo, hi = -math.inf, math.inf
    for ext, J in zip([0.5, 0.3, 0.1, 0.0], col):
        need = (0.5 - ext) / (1 - ext)
        lo = max(lo, need * J / (J - 1))
        hi = min(hi, need * (J - 1) / (J - 2) if J > 2 else math.inf)
    if lo < hi: bad.append(('a D reproduces the column', rho, lo, hi))
for b in bad: print(b)
sys.exit(1 if bad else 0)
PY

$PY - "$TMP/y.json" <<'PY' && ok || no "cycles: eq. 55 and Table 22's statistics against Python"
import json, math, sys
from scipy.stats import kendalltau
r = {k: x['value'] if 'value' in x else [row[0] for row in x['rows']] for k, x in json.load(open(sys.argv[1]))['results'].items()}
cyc = {'railroads': (0.18, 8), 'electrification': (0.22, 12), 'telephony': (0.20, 5), 'internet': (0.30, 20), 'ai': (0.35, 8)}
ok = True
for name, (a, N) in cyc.items():
    tau = math.log(1000) / a / (1 + (N - 1) * a * 0.5 / 0.15)
    ok &= abs(r['tau_' + name] - tau) < 1e-9 * tau
p, act = [52, 42, 44, 18], [50, 40, 40, 20]
ok &= abs(r['MAE_printed'] - 2.5) < 1e-12
ok &= abs(r['kendall_alpha_actual'] - kendalltau([0.18, 0.22, 0.20, 0.30], act).statistic) < 1e-9  # 10 digits printed
m = sum(act) / 4
ok &= abs(r['R2_printed'] - (1 - sum((x - y) ** 2 for x, y in zip(p, act)) / sum((y - m) ** 2 for y in act))) < 1e-9
sys.exit(0 if ok else 1)
PY

$PY - "$TMP/b.json" "$TMP/p.csv" <<'PY' && ok || no "Baumol growth rates against a numerical derivative of ln C_eff"
import json, math, sys
r = {k: x['value'] if 'value' in x else [row[0] for row in x['rows']] for k, x in json.load(open(sys.argv[1]))['results'].items()}
def lnC(t, rho, kappa=0.1, b0=0.3, gC=0.5, gZ=0.15):
    beta = 1 - (1 - b0) * math.exp(-kappa * t)
    l1, l2 = gC * t, gZ * t
    if rho == 0: return beta * l1 + (1 - beta) * l2
    return math.log(beta * math.exp(rho * l1) + (1 - beta) * math.exp(rho * l2)) / rho
def g(t, rho, h=1e-4): return (lnC(t + h, rho) - lnC(t - h, rho)) / (2 * h)
ok = abs(r['g_ces_10y'] - g(10, -0.5)) < 1e-7 and abs(r['g_eq53_10y'] - g(10, 0)) < 1e-7
lines = open(sys.argv[2]).read().split('\n')
i = lines.index('# table baumol') + 2
for l in lines[i:i + 3]:
    rho, g5, g53 = map(float, l.split(','))
    ok &= abs(g5 - g(5, rho)) < 1e-7 and abs(g53 - g(5, 0)) < 1e-7
ok &= abs(r['price_doubling'] / (math.log(2) / 0.35) - 1) < 1e-9 and abs(r['price_ratio_10y'] / math.exp(3.5) - 1) < 1e-9
sys.exit(0 if ok else 1)
PY

# seeded runs repeat byte for byte, across threads too; another seed draws other systems
"$EDSL" run scenarios/growth.edsl --format json >"$TMP/g2.json" || no "rerun"
cmp -s "$TMP/g.json" "$TMP/g2.json" && ok || no "same seed, same bytes"
"$EDSL" run scenarios/growth.edsl --format json --threads 2 >"$TMP/g3.json" || no "threads run"
cmp -s "$TMP/g.json" "$TMP/g3.json" && ok || no "threads change the bytes"
"$EDSL" run tests/growth/props.edsl --format csv --seed 7 >"$TMP/p7.csv" || no "seed 7"
[ "$(grep -A12 '# table raf' "$TMP/p.csv")" != "$(grep -A12 '# table raf' "$TMP/p7.csv")" ] && ok || no "seed changes the drawn systems"
[ "$(grep -A22 '# table blowup' "$TMP/p.csv")" = "$(grep -A22 '# table blowup' "$TMP/p7.csv")" ] && ok || no "seed leaves the growth law alone"

echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
