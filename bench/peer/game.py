"""The crossing game and Wright's-law fit as a Python/SciPy user would write them: the
closed forms of x(V) and T(V) (docs/models.md), one brentq for V(x0) per point, numpy for
the OLS fit, leave-one-out range and pairs bootstrap. The peer of edsl in bench/ (a user
integrating 1/Q(x) with quad around a brentq at every node would be ~8x slower: not the
best a SciPy user writes)."""
import math

import numpy as np
from scipy.optimize import brentq


class Game:
    def __init__(self, N, a, b, r, S):
        self.N, self.a, self.b, self.r, self.S = N, a, b, r, S

    def V_inf(self, nash):
        N, a, b, r = self.N, self.a, self.b, self.r
        return a * a / (r * b * (N + 1) ** 2) if nash else a * a / (4 * b * N * r)

    def u(self, V):  # Nash
        N, a, b, r = self.N, self.a, self.b, self.r
        return math.sqrt((a * (N * N - 1)) ** 2 + 4 * N * N * r * b * (N + 1) ** 2 * V)

    def w(self, V):  # cooperative
        return math.sqrt(4 * self.b * self.N * self.r * V)

    def Q_of_V(self, nash, V):
        N, a, b = self.N, self.a, self.b
        if nash:
            return (a * (N * N - 1) + self.u(V)) / (2 * N * b * (N + 1))
        return self.w(V) / (2 * b)

    def x_of_V(self, nash, V):
        N, a, b, r, S = self.N, self.a, self.b, self.r, self.S
        if V <= S:
            return 0.0
        if nash:
            k = r * b * (N + 1) ** 2
            A = a * (N * N + 1)
            u0, u = self.u(S), self.u(V)
            gap = A - u
            if gap <= 0:
                return math.inf
            return (-(u - u0) + A * math.log((A - u0) / gap)) / k
        w0, w = self.w(S), self.w(V)
        gap = a - w
        if gap <= 0:
            return math.inf
        return (-(w - w0) + a * math.log((a - w0) / gap)) / (2 * b * r)

    def V_of_x(self, nash, x):
        if x == 0:
            return self.S
        hi = self.V_inf(nash) * (1 - 1e-12)
        if self.x_of_V(nash, hi) <= x:
            return hi
        return brentq(lambda V: self.x_of_V(nash, V) - x, self.S, hi, xtol=1e-15, rtol=1e-15)

    def T_star(self, nash, x0):
        """T* in closed form at V(x0): with u the regime's square root (u(V) or w(V)),
        T = (top log((top - u0)/(top - u)) - B log((B + u)/(B + u0))) / kt."""
        N, a, r = self.N, self.a, self.r
        V = self.V_of_x(nash, x0)
        if nash:
            top, B, kt = a * (N * N + 1), a * (N * N - 1), a * N * r * (N + 1)
            u0, u = self.u(self.S), self.u(V)
        else:
            top, B, kt = a, 0.0, a * r
            u0, u = self.w(self.S), self.w(V)
        T = top * math.log((top - u0) / (top - u))
        if B > 0:
            T -= B * math.log((B + u) / (B + u0))
        return T / kt

    def summary(self, x0):
        Tn, Tc = self.T_star(True, x0), self.T_star(False, x0)
        Vn, Vc = self.V_of_x(True, x0), self.V_of_x(False, x0)
        return {"T_star_nash": Tn, "T_star_coop": Tc, "acceleration": 1 - Tn / Tc,
                "Q_ratio": self.Q_of_V(True, Vn) / self.Q_of_V(False, Vc),
                "welfare_loss": 1 - Vn / Vc}


def continuation_value(S_T, S_I, N, r, delta):
    return S_T + S_I / (N * (r + delta))


def ols_alpha(x, y):
    slope, intercept = np.polyfit(x, y, 1)
    return -slope


def wright_fit(Q, c, resamples, seed):
    x, y = np.log(Q), np.log(c)
    n = len(x)
    X = np.vstack([np.ones(n), x]).T
    beta, ssr, _, _ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    s2 = resid @ resid / (n - 2)
    se = math.sqrt(s2 / np.sum((x - x.mean()) ** 2))
    r2 = 1 - resid @ resid / np.sum((y - y.mean()) ** 2)
    loo = [ols_alpha(np.delete(x, k), np.delete(y, k)) for k in range(n)]
    # pairs bootstrap, vectorised; degenerate resamples (all x equal) are redrawn
    rng = np.random.default_rng(seed)
    draws = []
    while len(draws) < resamples:
        idx = rng.integers(0, n, size=(resamples, n))
        bx, by = x[idx], y[idx]
        mx, my = bx.mean(axis=1), by.mean(axis=1)
        sxx = ((bx - mx[:, None]) ** 2).sum(axis=1)
        ok = sxx > 0
        sxy = ((bx - mx[:, None]) * (by - my[:, None])).sum(axis=1)
        draws.extend((-sxy[ok] / sxx[ok]).tolist())
    draws = np.array(draws[:resamples])
    return {"alpha": -beta[1], "alpha_se": se, "alpha_r2": r2, "alpha_n": n,
            "alpha_loo_min": min(loo), "alpha_loo_max": max(loo),
            "alpha_ci_lo": np.quantile(draws, 0.025), "alpha_ci_hi": np.quantile(draws, 0.975),
            "cost_per_doubling": 1 - 2 ** (beta[1])}
