"""Peer of `edsl run bench/sweep.edsl`: the Nash crossing time over the same 100 x 20 x 50
grid of alpha x N x S_T, written to CSV. With an argument K, only every K-th point (for a
quick estimate; bench/run uses the whole grid)."""
import math
import sys

import numpy as np

from game import Game, continuation_value

step = int(sys.argv[1]) if len(sys.argv) > 1 else 1
a, b, r, delta = 1.0, 1.0, 0.05, 0.30
c_now, c_star, Q_now = 12.0, 5.0, 0.0114
out = sys.stdout
out.write("alpha,N,S_T,T_nash\n")
k = 0
for alpha in np.linspace(0.12, 0.32, 100):
    x0 = Q_now * math.expm1(math.log(c_now / c_star) / alpha)
    for N in range(1, 21):
        S_I = N * a * a / (b * (N + 1) ** 2)
        for S_T in np.linspace(0, 0.01, 50):
            k += 1
            if (k - 1) % step:
                continue
            S = continuation_value(S_T, S_I, N, r, delta)
            T = Game(N, a, b, r, S).T_star(True, x0)
            out.write("%.10g,%d,%.10g,%.10g\n" % (alpha, N, S_T, T))
