"""Peer of bench/dynamics.edsl: Lotka-Volterra by SciPy's solve_ivp (DOP853, rtol 1e-10,
atol 1e-12) at 20001 points, written as CSV (t, prey, pred) on stdout."""
import sys

import numpy as np
from scipy.integrate import solve_ivp


def rhs(t, y):
    prey, pred = y
    return [1.1 * prey - 0.4 * prey * pred, 0.1 * prey * pred - 0.4 * pred]


t = np.linspace(0, 200, 20001)
sol = solve_ivp(rhs, [0, 200], [10, 5], method="DOP853", t_eval=t, rtol=1e-10, atol=1e-12)
out = sys.stdout
for i in range(len(t)):
    out.write("%.10g,%.10g,%.10g\n" % (sol.t[i], sol.y[0, i], sol.y[1, i]))
