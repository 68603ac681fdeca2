"""Peer of `edsl run scenarios/baseline.edsl`: the same reports from the same data."""
import json
import sys

import numpy as np

from game import Game, continuation_value, wright_fit

# stdlib/data/hbm.edsl, years 2015-2024 (the scenario's `where`)
year = np.array([2015, 2016, 2018, 2020, 2022, 2024], dtype=float)
price = np.array([120, 60, 35, 25, 20, 15], dtype=float)

N, a, b, r, delta, x0 = 5, 1.0, 1.0, 0.05, 0.30, 0.5
S_I = N * a * a / (b * (N + 1) ** 2)
S = continuation_value(0.0, S_I, N, r, delta)
out = Game(N, a, b, r, S).summary(x0)
out["S"] = S
out.update(wright_fit(np.exp(year - 2015), price, 10000, 42))
json.dump({k: float(v) for k, v in out.items()}, sys.stdout, indent=1)
