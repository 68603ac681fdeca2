"""Peer of bench/calibrate.edsl: the N = 5 game's r, x0 and S from the welfare loss 0.341 and
T* of 3.8 (Nash) and 18.3 years (cooperative), by SciPy's least_squares (trust region, with
the same bounds as edsl's) on the HJB equations integrated in x with DOP853 (the best a SciPy
user would write without edsl's closed form); a point where the model is undefined counts as a
large residual, as in edsl.
Prints r, x0, S."""
import math

from scipy import integrate, optimize

N, a, b = 5, 1.0, 1.0


def game(r, x0, S, nash):
    A, B, k = a * (N * N + 1), a * (N * N - 1), r * b * (N + 1) ** 2

    def rhs(x, y):
        V = max(y[0], 0.0)
        if nash:
            u = math.sqrt(B * B + 4 * N * N * k * V)
            return [(A - u) / (2 * N * N), 2 * N * b * (N + 1) / (B + u)]
        w = math.sqrt(4 * b * N * r * V)
        return [(a - w) / N, 2 * b / w]

    sol = integrate.solve_ivp(rhs, [0, x0], [S, 0], method="DOP853", rtol=1e-11, atol=1e-13)
    return sol.y[0, -1], sol.y[1, -1]


def F(v):
    r, x0, S = v
    try:
        VN, TN = game(r, x0, S, True)
        VC, TC = game(r, x0, S, False)
    except (ValueError, ZeroDivisionError):
        return [1e10] * 3
    return [(1 - VN / VC - 0.341) / 0.341, (TN - 3.8) / 3.8, (TC - 18.3) / 18.3]


fit = optimize.least_squares(F, [0.05, 0.5, 0.1], bounds=([0.001, 0.01, 0], [0.2, 10, 5]),
                             xtol=1e-14, ftol=1e-14, gtol=1e-14)
print("%.12g %.12g %.12g" % tuple(fit.x))
