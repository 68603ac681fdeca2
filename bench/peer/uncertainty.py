"""Peer of `edsl run bench/uncertainty.edsl`: T*N of the same draws (alpha, S_T read from
edsl's draws.csv), then numpy's quantiles (linear, R's type 7) and P(T*N < 5 years). Prints
JSON: the per-draw maximum relative difference to edsl's T*N, the summaries, and the time of
the computation (reading the CSV is not timed). With a second argument K, every K-th draw."""
import json
import math
import sys
import time

import numpy as np

from game import Game, continuation_value

path = sys.argv[1]
step = int(sys.argv[2]) if len(sys.argv) > 2 else 1
with open(path) as f:
    lines = [l for l in f if not l.startswith("#")][1:]  # provenance comments, then the header
rows = np.loadtxt(lines, delimiter=",")[::step]
N, a, b, r, delta = 5, 1.0, 1.0, 0.05, 0.30
c_now, c_star, Q_now = 12.0, 5.0, 0.0114
S_I = N * a * a / (b * (N + 1) ** 2)
t = time.perf_counter()
T = np.empty(len(rows))
for i, (alpha, S_T, _) in enumerate(rows):
    x0 = Q_now * math.expm1(math.log(c_now / c_star) / alpha)
    T[i] = Game(N, a, b, r, continuation_value(S_T, S_I, N, r, delta)).T_star(True, x0)
q05, q50, q95 = np.quantile(T, [0.05, 0.5, 0.95])
p = float(np.mean(T < 5.0))
elapsed = time.perf_counter() - t
dev = float(np.max(np.abs(T - rows[:, 2]) / np.abs(T)))
print(json.dumps({"draws": len(rows), "seconds": elapsed, "max_rel_dev": dev,
                  "T_star_nash_q05": q05, "T_star_nash_q50": q50, "T_star_nash_q95": q95,
                  "P_cross_before": p}))
