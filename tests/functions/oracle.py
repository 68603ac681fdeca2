#!/usr/bin/env python3
"""Derives the expected values of tests/functions.test independently of edsl: closed forms
evaluated in Python, NumPy's least squares and eigenvalues, SciPy's root finders and
statistics. It writes the file; the file is what the suite checks (tests/functions/run.py),
so a numeric change in edsl touches one line there. Rerun after adding a case:
/usr/bin/python3 tests/functions/oracle.py > tests/functions.test (needs NumPy, SciPy)"""
import math
import os

import numpy as np
from scipy import integrate, optimize, stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PREAMBLE = """\
market m {
  firms = 5
  demand { a = 1; b = 1 }
  discount = 5 %/year
  x0 = 0.5
  continuation { S_T = 0.2; S_I = 0.05 / year; delta = 30 %/year }
}
scenario s { market = m }

learning_curve fitted {
  Q = [1, 2, 4, 8, 16]
  c = [10, 8.1, 6.5, 5.3, 4.2]
  fit = ols
}
learning_curve blocky {
  Q = [1, 2, 4, 8, 16]
  c = [10, 8.1, 6.5, 5.3, 4.2]
  bootstrap = 10000
}
learning_curve kinked {
  Q = [1, 1.41421, 2, 2.82843, 4, 5.65685, 8, 11.3137, 16, 22.6274, 32, 45.2548, 64, 90.5097]
  c = [100, 93.7631, 88.3343, 83.3977, 79.2022, 58.5385, 43.5827, 31.309, 22.888, 17.0548,
       15.4625, 14.1609, 12.5666, 11.3116]
}
learning_curve given { alpha = 0.3; c0 = 10 }
learning_curve tiny_alpha { alpha = 1e-20; c0 = 10 }

workload w {
  rho = 0.5
  J = 4
  Q = 2
  c = 10 * Q^(-0.3)
  T_dist = 0.1 + 0.2 * c / 10
  T_star = 0.4
}

mesh mm {
  N = 100; beta = 0.03; v = 1; D = 2
  J = 4; rho = 0.5; c_bar = 0.01; M = 10; c_cent = 1
  settlement { degree = 10; query_rate = 2 / second; capacity = 1000 / second }
}

# the complete graph K_50 (Erdos-Renyi with p = 1): every measure has a closed form
mesh kn {
  N = 50; beta = 0.03; v = 1; D = 2; J = 4; rho = 0.5
  network { model = erdos_renyi; nodes = 50; mean_degree = 49 }
}
mesh pq { N = 50; beta = 0.03; v = 1; D = 2; J = 4; rho = 0.5; potts { q = 20; K = 6 } }
mesh p2 { N = 50; beta = 0.03; v = 1; D = 2; J = 4; rho = 0.5; potts { q = 2; K = 3 } }

growth gg {
  delta_g = 0.4 / year; f = 0.3; lambda = 1; phi_0 = 0.6; beta_auto = 0.2; gamma_J = 0.5
  delta = 0.1 / year; C_0 = 1; J = 20; J_max = 200; h = 0.5 year; rho = 0.5
  alpha_ext = 0.3; alpha_crit = 0.5
  variety { eta_J = 0.05 / year; f_J = 0.2; phi_J = 0.5; p_viable = 0.01 }
  saturation { a = 0.02 / year }
  baumol { g_C = 0.3 / year; g_Z = 0.02 / year; beta_0 = 0.5; kappa = 0.1 / year
           price_ratio_0 = 2 }
}
growth tk {
  delta_g = 0.4 / year; f = 0.3; lambda = 1; phi_0 = 0.8; beta_auto = 0.6; gamma_J = 0.5
  delta = 0.1 / year; C_0 = 1; J = 20; J_max = 200
}
growth rs {
  raf { types = 50; food_types = 5; reaction_count = 200; beta_t = 0.01 }
  catalytic { M = [[0, 1, 0], [0, 0, 1], [1, 0.5, 0]]; phi_0 = 0.1 }
}

cycle cy {
  alpha = 0.18; rho = -2.0; K = 0.71; N = 8
  phi = 0.5; r = 0.05; delta = 0.10; c0_over_c_star = 1000
  printed = 52 year
}
cycle cy2 {
  alpha = 0.25; rho = -1.0; K = 0.5; N = 10
  phi = 0.5; r = 0.05; delta = 0.10; c0_over_c_star = 1000
}

growth gb {
  baumol { g_C = 0.3 / year; g_Z = 0.02 / year; beta_0 = 0.5; kappa = 0.1 / year; rho = -0.5
           ratio_0 = 1.5 }
}
table prices_csv(year: year, price: USD/GB, stack_tb: TB, note: text) from "tests/csv/prices.csv"
table rx(name: text, inputs: text, catalysts: text, outputs: text) {
  "r1", "a + b", "c", "c"
  "r2", "c + a", "b", "d"
  "r3", "d + e", "a", "f"
}
growth dr { raf { food = "a b"; reactions = rx } }
cycle fo {
  alpha = 0.18; rho = -2.0; K = 0.71; N = 8; phi = 0.5; r = 0.05; delta = 0.10
  fold {
    beta = 2; mu = 1.5; I = 0.25; T_star = 1.2; T = 0
    K_eff = K * max(0, 1 - fold.T / fold.T_star)
  }
}

# the two-period model (004 App. A) at three thresholds
market t1 {
  firms = 5
  demand { a = 1; b = 1 }
  discount = 5 %/year; x0 = 0.5
  two_period { c1 = 0.5; beta = 0.95; alpha = 0.23; Qbar = 0.4; delta = 0.5; pi2 = 0.0625 }
}
scenario tp1 { market = t1 }
scenario tp2 = tp1 with { market.two_period.Qbar = 0.3 }
scenario tp3 = tp1 with { market.two_period.Qbar = 0.2 }

# user functions (language, not builtins): checked at each call with the arguments' units
fn wright_cost(c0, alpha, Q) = c0 * Q^(-alpha)
fn half_life(rate) = log(2) / rate
fn gap(sc) = crossing_time(sc, coop) - crossing_time(sc, nash)
workload w2 {
  rho = 0.5; J = 4; Q = 2
  c = wright_cost(10, 0.3, Q)
  T_dist = 0.1 + 0.2 * c / 10
  T_star = 0.4
}

# adoption and dual convergence on a market with a Wright threshold
market mt {
  firms = 5
  demand { a = 1; b = 1 }
  discount = 5 %/year
  threshold { curve = given; c_now = 12; c_star = 4; Q_now = 1 }
  continuation { S_T = 0.2; S_I = 0.05 / year; delta = 30 %/year }
}
adoption ad {
  beta0 = 0.5 / year; gamma = 2; kappa = 0.3 / year; mu = 0.1 / year; lambda = 0.1 / year
  s0 = 0.01
}
progress pr { rate = 10 %/year; alpha_algo = 0.08 }
adoption ad_e {
  beta0 = 0.5 / year; gamma = 2; kappa = 0.3 / year; mu = 0.1 / year; lambda = 0.1 / year
  ecosystem { E0 = 1; E_max = 10; eta_E = 0.2 / year; gamma_E = 0.5 }
}
scenario sa_e { market = mt; adoption = ad_e }
market mc {
  firms = 5
  demand { a = 1; b = 1 }
  discount = 5 %/year
  x0 = 0.5
  continuation { S_T = 0.2; S_I = 0.05 / year; delta = 30 %/year }
  capacity { q_bar = 0.12 / year; lag = 2 year }
}
scenario sc { market = mc }
scenario sa { market = mt; adoption = ad }
market ma {
  firms = 5
  demand { a = 1; b = 1 }
  discount = 5 %/year
  x0 = 0.5
  continuation { S_T = 0.2; S_I = 0.05 / year; delta = 30 %/year }
  asymmetric { epsilon = 0.05; S_j = 0.3 }
}
scenario sx { market = ma }
scenario sd { market = mt; adoption = ad; progress = pr }

# samples: plain numbers drawn into fields that nothing else reads
cycle draws_of { alpha = 0.2; rho = 0; K = 0; N = 2; phi = 0; r = 0; delta = 0 }
uncertain ui { draws_of.K = uniform(0, 1); draws_of.phi = uniform(0, 1) }
sample lh = lhs(ui, 100) { report y = draws_of.K + 2 * draws_of.phi }
sample sb = saltelli(ui, 8192) { report y = draws_of.K + 2 * draws_of.phi }
uncertain ud {
  draws_of.K = normal(1, 0.5); draws_of.phi = lognormal(2, 0.3)
  draws_of.alpha = triangular(0, 0.5, 1); draws_of.N = beta(2, 2, 0, 10)
  draws_of.r = from_fit(fitted)
}
sample ld = lhs(ud, 100) { report one = 1 }
learning_curve fb {
  Q = [1, 2, 4, 8, 16]
  c = [10, 8.1, 6.5, 5.3, 4.2]
  fit = ols
  bootstrap = 20000
}
uncertain ub { draws_of.delta = bootstrap(fb) }
sample lb = lhs(ub, 200) { report one = 1 }

# random systems: thresholds by simulation
mesh msp {
  N = 100; beta = 0.03; v = 1; D = 2; J = 4; rho = 0.5
  specialization {
    agents = 1000; steps = 60; record_every = 10; n = 2; xi = 4; phi = 1
    theta_min = 1; theta_max = 100; theta0_lo = 40; theta0_hi = 60; s0 = 50
    delta = 1; work = 6; quit = 0.2
  }
}
growth rp { raf { types = 30; food_types = 5; reaction_count = 150; beta_t = 0.001; trials = 2000 } }
cycle cq { crisis { level = 0.25 } }

# dynamics: Bass diffusion, and the harmonic oscillator in a plain variable with a stop
bass_p = 0.03 / year
bass_q = 0.38 / year
dynamics bass {
  until = 10 year
  state { s = 0 }
  rate { s = (bass_p + bass_q * s) * (1 - s) }
  event { half = s >= 0.5 }
}
dynamics osc {
  variable = "tau"
  until = 10
  state { x = 1; v = 0 }
  rate { x = v; v = -x }
  stop = x <= -0.5
}
# solvers over user functions of one variable
fn solve_cubic(x) = x^3 - x - 2
fn solve_gauss(x) = exp(-x^2 / 2)
fn solve_quartic(x) = x^4 - 3 * x^3 + 2
fn solve_decay(t) = 0.3 / year * exp(-0.3 / year * t)

# calibrate: r, x0 and S of the N = 5 game from the welfare loss and both crossing times
cal_r = 5 %/year
cal_x0 = 0.5
cal_S = 0.1
market mcal {
  firms = 5
  demand { a = 1; b = 1 }
  discount = cal_r
  x0 = cal_x0
  continuation { S_T = cal_S }
}
scenario scal { market = mcal }
calibrate cal {
  unknown { cal_r = [0.1 %/year, 20 %/year]; cal_x0 = [0.01, 10]; cal_S = [0, 5] }
  target {
    loss = welfare_loss(scal) == 0.341
    Tn = crossing_time(scal, nash) == 3.8 year
    Tc = crossing_time(scal, coop) == 18.3 year
  }
}
dynamics rob {
  variable = "x"
  until = 40
  method = "msbdf"
  rtol = 1e-8
  atol = 1e-14
  state { a = 1; b = 0; c = 0 }
  rate { a = -0.04 * a + 1e4 * b * c
         b = 0.04 * a - 1e4 * b * c - 3e7 * b^2
         c = 3e7 * b^2 }
}
"""

cases = []


def case(expr, value, source, tol=None, unit=None):
    cases.append((expr, value, source, tol, unit))


def err(expr, text, source):
    cases.append((expr, ("error", text), source, None, None))


# ---- math
case("exp(1)", math.e, "closed form")
case("log(10)", math.log(10), "closed form")
case("sin(1)", math.sin(1), "closed form")
case("cos(1)", math.cos(1), "closed form")
case("sqrt(2)", math.sqrt(2), "closed form")
case("abs(-3.5)", 3.5, "closed form")
case("min(2, 3)", 2, "closed form")
case("max(2, 3)", 3, "closed form")
case("sum([1, 2, 3.5])", 6.5, "closed form")
case("mean([1, 2, 3.5])", 6.5 / 3, "closed form")
case("cumsum([1, 2, 3])", [1, 3, 6], "closed form")
err("cumsum([1e308, 1e308])", "overflow: cumsum passes the range of a double at element 2",
    "the running total leaves the doubles")
err("sum([1e308, 1e308])", "overflow: sum passes the range", "the total leaves the doubles")
case("mean([1e308, 1e308, 1e308])", 1e308, "a mean in range though the sum is not")
case("if(2 > 1, 10 year, 20 year)", 10, "the condition holds: the first branch", unit="year")
case("if(1 > 2, 1 / 0, 5)", 5, "only the branch taken is evaluated (1/0 is not)")
err("if(1 > 2, 1 year, 5)", "unit mismatch", "both branches in one unit")
case("range(0, 1, 5)", [0, 0.25, 0.5, 0.75, 1], "closed form")
err("log(-1)", "log", "log of a negative number has no real value")

# ---- uncertainty summaries
x = [1, 2, 3, 4, 10]
case("sd([1, 2, 3, 4, 10])", float(np.std(x, ddof=1)), "NumPy std, ddof = 1")
case("quantile([1, 2, 3, 4, 10], 0.3)", float(np.quantile(x, 0.3)),
     "NumPy quantile, linear (R's type 7)")

# ---- the game: closed forms of the market
N, a, b, r, x0, S_T, S_I, dl = 5, 1, 1, 0.05, 0.5, 0.2, 0.05, 0.30
case("x0(s)", x0, "the market's x0")
case("continuation_value(s)", S_T + S_I / (N * (r + dl)), "S = S_T + S_I/(N(r + delta))")
case("S_max(s)", a * a / (r * b * (N + 1) ** 2), "a^2/(r b (N+1)^2)")

# The game by integrating the HJB equations with SciPy (not edsl's closed form in L): Nash
# V' = (A - u)/(2 N^2), u = sqrt(B^2 + 4 N^2 k V), Q = (B + u)/(2 N b (N+1)); cooperative
# V' = (a - w)/N, w = sqrt(4 b N r V), Q = w/(2 b); V(0) = S, T* = int_0^x0 dx/Q.
Sc = S_T + S_I / (N * (r + dl))
A_, B_, k_ = a * (N * N + 1), a * (N * N - 1), r * b * (N + 1) ** 2


def game_V(V):
    u = math.sqrt(B_ * B_ + 4 * N * N * k_ * V)
    return (A_ - u) / (2 * N * N), (B_ + u) / (2 * N * b * (N + 1))


def game(nash):
    def Vp(V):
        if nash:
            u = math.sqrt(B_ * B_ + 4 * N * N * k_ * V)
            return (A_ - u) / (2 * N * N), (B_ + u) / (2 * N * b * (N + 1))
        w = math.sqrt(4 * b * N * r * V)
        return (a - w) / N, w / (2 * b)

    def rhs(x, y):
        dV, Qx = Vp(y[0])
        return [dV, 1 / Qx]

    sol = integrate.solve_ivp(rhs, [0, x0], [Sc, 0], method="DOP853", rtol=1e-13, atol=1e-15)
    V, T = sol.y[0, -1], sol.y[1, -1]
    return V, T, Vp(V)[1]


VN, TN, QN = game(True)
VC, TC, QC = game(False)
case("crossing_time(s, nash)", TN, "SciPy DOP853 on the Nash HJB ODE", tol=1e-9, unit="year")
case("crossing_time(s, coop)", TC, "SciPy DOP853 on the cooperative HJB ODE", tol=1e-9,
     unit="year")
case("acceleration(s)", 1 - TN / TC, "1 - T*N/T*C from the two integrations", tol=1e-8)
case("Q_ratio(s)", QN / QC, "Q^N/Q^C at x0 from the two integrations", tol=1e-9)
case("welfare_loss(s)", 1 - VN / VC, "1 - V^N/V^C at x0 from the two integrations", tol=1e-8)
case("value(s, coop)", VC, "V^C(x0) by SciPy DOP853", tol=1e-9)
case("output(s, nash)", QN, "Q^N(x0) by SciPy DOP853", tol=1e-9)
case("firm_output(s, nash)", QN / N, "Q^N(x0)/N by SciPy DOP853", tol=1e-9)
err("value(s, leader)", "unknown name 'leader'", "the second argument is a regime, nash or coop")

# ---- adoption (eqs. 15, 19, 23) and dual convergence on the threshold market mt: Wright's law
# through (Q_now, c_now) gives Qbar = Q_now (c_now/c*)^(1/alpha); the game is the same HJB
# integration from x0 = Qbar - Q_now; before parity beta = lambda, so the share follows
# ds/dt = lambda gamma s(1 - s) - (kappa + mu) s (integrated by SciPy)
al_g, Q_now, c_now, c_st = 0.3, 1.0, 12.0, 4.0
Qbar = Q_now * (c_now / c_st) ** (1 / al_g)
x0t = Qbar - Q_now
b0, gam, kap, mu_, lam = 0.5, 2.0, 0.3, 0.1, 0.1
Qbar_star = Qbar * (1 - (kap + mu_) / (b0 * gam * c_st) + lam / (b0 * c_st)) ** (-1 / al_g)


def nash_V(V):
    u = math.sqrt(B_ * B_ + 4 * N * N * k_ * V)
    return (A_ - u) / (2 * N * N), (B_ + u) / (2 * N * b * (N + 1))


sol = integrate.solve_ivp(lambda x, y: [nash_V(y[0])[0], 1 / nash_V(y[0])[1]], [0, x0t],
                          [Sc, 0], method="DOP853", rtol=1e-13, atol=1e-15, dense_output=True)
T_hw = sol.y[1, -1]
Q_cross = nash_V(Sc)[1]
T_R0 = T_hw + (Qbar_star - Qbar) / Q_cross
case("x0(sa)", x0t, "Q_now ((c_now/c*)^(1/alpha) - 1)", tol=1e-12)
case("Qbar(sa)", Qbar, "Q_now (c_now/c*)^(1/alpha)", tol=1e-12)
case("Qbar_star(sa)", Qbar_star, "eq. 23: Qbar (1 - (kappa+mu)/(beta0 gamma c*) + lambda/(beta0 c*))^(-1/alpha)",
     tol=1e-12)
case("R0_parity(sa)", lam * gam / (kap + mu_), "eq. 19: lambda gamma/(kappa + mu)")
case("T_hardware(sa)", T_hw, "the Nash crossing date by SciPy DOP853", tol=1e-9, unit="year")
case("T_R0(sa)", T_R0, "T* + (Qbar* - Qbar)/Q_cross with kappa fixed", tol=1e-9, unit="year")
case("lag(sa)", T_R0 - T_hw, "(Qbar* - Qbar)/Q_cross", tol=1e-9, unit="year")
case("kappa_at(sa, 2 year)", kap, "kappa is fixed", unit="1/year")
case("R0_at(sa, 2 year)", lam * gam / (kap + mu_), "before parity beta = lambda")
sh = integrate.solve_ivp(lambda t, y: [lam * gam * y[0] * (1 - y[0]) - (kap + mu_) * y[0]],
                         [0, 2], [0.01], method="DOP853", rtol=1e-13, atol=1e-16)
case("share(sa, 2 year)", sh.y[0, -1], "SciPy DOP853 on eq. 15 with beta = lambda", tol=1e-9)

# ---- built-in results as paths: the game's V, q, Q against x (the HJB integration above with
# dense output), the same against time (x(t) from T(x) = T* - t by brentq), and the adoption
# layer's Q(t), c(t)/c*, kappa, R0 and s(t) on the Nash path of mt
def game_dense(nash, x_end):
    def Vp(V):
        if nash:
            return nash_V(V)
        w = math.sqrt(4 * b * N * r * V)
        return (a - w) / N, w / (2 * b)

    return integrate.solve_ivp(lambda x, y: [Vp(y[0])[0], 1 / Vp(y[0])[1]], [0, x_end], [Sc, 0],
                               method="DOP853", rtol=1e-13, atol=1e-15, dense_output=True), Vp


gN, VpN = game_dense(True, x0)
gC, VpC = game_dense(False, x0)
case("at(game_path(s, nash).V, 0.2)", gN.sol(0.2)[0], "V^N(0.2) by SciPy DOP853", tol=1e-9)
case("at(game_path(s, coop).Q, 0.3)", VpC(gC.sol(0.3)[0])[1], "Q^C(0.3) by SciPy DOP853", tol=1e-9)
case("final(game_path(s, nash).q)", QN / N, "q^N(x0) by SciPy DOP853", tol=1e-9)
case("first_time(game_path(s, coop).V, %.17g)" % gC.sol(0.25)[0], 0.25,
     "the x at which V^C reaches its value at x = 0.25", tol=1e-8)
t_half = TN - gN.sol(0.25)[1]
case("at(crossing_path(s, nash).x, %.17g year)" % t_half, 0.25,
     "x at the time T*N - T(0.25), T(x) by SciPy DOP853", tol=1e-8)
x_at_1 = optimize.brentq(lambda x: gC.sol(x)[1] - (TC - 1), 0, x0, xtol=1e-15)
case("at(crossing_path(s, coop).x, 1 year)", x_at_1, "brentq on T^C(x) = T*C - 1 year", tol=1e-8)
case("at(crossing_path(s, coop).Q, 1 year)", VpC(gC.sol(x_at_1)[0])[1],
     "Q^C at that x by SciPy DOP853", tol=1e-8)
case("final(crossing_path(s, nash).V)", Sc, "V(0) = S at the crossing", tol=1e-12)
case("first_time(crossing_path(s, nash).x, 0.1)", TN - gN.sol(0.1)[1],
     "T*N - T(0.1) by SciPy DOP853", tol=1e-8, unit="year")
gA = integrate.solve_ivp(lambda x, y: [nash_V(y[0])[0], 1 / nash_V(y[0])[1]], [0, x0t], [Sc, 0],
                         method="DOP853", rtol=1e-13, atol=1e-15, dense_output=True)
x_a1 = optimize.brentq(lambda x: gA.sol(x)[1] - (T_hw - 1), 0, x0t, xtol=1e-13)
Q_a1 = Q_now + x0t - x_a1
case("at(adoption_path(sa).Q, 1 year)", Q_a1, "Q_now + x0 - x(1 year), x(t) by brentq on T(x)",
     tol=1e-9)
case("at(adoption_path(sa).c_rel, 1 year)", (Q_a1 / Qbar) ** -al_g, "Wright's law: (Q/Qbar)^-alpha",
     tol=1e-9)
case("at(adoption_path(sa).kappa, 1 year)", kap, "kappa is fixed", unit="1/year")
Q_a2 = Qbar + Q_cross * 1.0
c_a2 = c_st * (Q_a2 / Qbar) ** -al_g
case("at(adoption_path(sa).R0, %.17g year)" % (T_hw + 1), (b0 * (c_st - c_a2) + lam) * gam / (kap + mu_),
     "a year after parity: Q = Qbar + Q_cross, beta = beta0 (c* - c) + lambda (eq. 19)", tol=1e-9)
case("at(adoption_path(sa).s, 2 year)", sh.y[0, -1], "SciPy DOP853 on eq. 15 with beta = lambda",
     tol=1e-9)
case("mean(values(game_path(s, coop).V))", sum(gC.sol(x0 * i / 100)[0] for i in range(101)) / 101,
     "V^C at 101 points of [0, x0] by SciPy DOP853, averaged", tol=1e-9)
err("at(game_path(s, nash), 0.1)", "reads one series", "a path of three series needs one named")
err("game_path(s, nash).W", "has no series 'W'", "the series are V, q and Q")
err("at(game_path(s, nash).V, 2)", "outside the path", "x runs from 0 to x0 = 0.5")
case("alpha_eff(sd)", 0.3 + 0.08, "alpha_hw + alpha_algo (eq. 25)")
case("R0_E0(sa_e)", lam * gam / (kap + mu_), "eq. 71 at E0: kappa(E0) = kappa0, beta = lambda at parity")
case("R0_Emax(sa_e)", lam * gam / (kap * (1 / 10) ** 0.5 + mu_),
     "eq. 71 with eq. 67: kappa(E_max) = kappa0 (E0/E_max)^gamma_E")
dts, shs = [0, 1, 2, 3], [0.1, 0.15, 0.2, 0.22]
case("implied_R0([0, 1, 2, 3] * 1 year, [0.1, 0.15, 0.2, 0.22], 0.5 / year)",
     [1 + ((shs[i + 1] - shs[i]) / 1) / (0.5 * shs[i] * (1 - shs[i])) for i in range(3)],
     "003 eq. 17 with forward differences at each interval's start")
case("Qbar_eff(sd, 3 year)", Qbar * math.exp(-0.1 * 3), "Qbar e^(-rate t)", tol=1e-12)
case("coordination_gap(sd)", Qbar - Qbar_star, "Qbar_eff(t0) - Qbar*", tol=1e-12)
case("production_gap(sd)", Qbar_star - Q_now, "Qbar* - Q_now", tol=1e-12)
case("T_dual_eq26(3, 6, 1e300)", 2, "T_indep -> inf: the harmonic T_hw T_algo/(T_hw + T_algo)")


# T*_dual: dx/dt = dQbar_eff/dt - Q(V(x)), V(x) from the HJB integration in x
def dual_rhs(t, y):
    x = max(y[0], 0.0)
    V = sol.sol(min(x, x0t))[0]
    return [-0.1 * Qbar * math.exp(-0.1 * t) - nash_V(V)[1]]


hit = lambda t, y: y[0]
hit.terminal, hit.direction = True, -1
du = integrate.solve_ivp(dual_rhs, [0, 1e4], [x0t], method="DOP853", rtol=1e-12, atol=1e-12,
                         events=hit, dense_output=True)
case("T_star_dual(sd, nash)", du.t_events[0][0], "SciPy DOP853 to x = 0 with Qbar_eff falling",
     tol=1e-7, unit="year")
case("at(dual_path(sd, nash).x, 1 year)", du.sol(1.0)[0], "the same integration at t = 1 year",
     tol=1e-8)
case("first_time(dual_path(sd, nash).x, %.17g)" % du.sol(2.0)[0], 2.0,
     "the t at which that integration's x is its value at 2 years", tol=1e-7, unit="year")
case("at(dual_path(sd, nash).Qbar_eff, 0.5 year)", Qbar * math.exp(-0.1 * 0.5), "Qbar e^(-rate t)",
     tol=1e-12)
case("final(dual_path(sd, nash).x)", 0, "x = 0 at T*_dual")

# capacity: each firm produces min(q(x), q_bar) until the lag, then q(x); V(x) from the Nash
# HJB integration in x (dense output), the time to x = 0 by SciPy with an event
gsol = integrate.solve_ivp(lambda x, y: [game_V(y[0])[0]], [0, x0], [Sc], method="DOP853",
                           rtol=1e-13, atol=1e-15, dense_output=True)


def cap_rhs(t, y):
    V = gsol.sol(min(max(y[0], 0.0), x0))[0]
    q = game_V(V)[1] / N
    return [-N * (min(q, 0.12) if t < 2 else q)]


at0 = lambda t, y: y[0]
at0.terminal, at0.direction = True, -1
cp = integrate.solve_ivp(cap_rhs, [0, 2], [x0], method="DOP853", rtol=1e-12, atol=1e-14, events=at0)
T_cap = cp.t_events[0][0] if cp.t_events[0].size else None
if T_cap is None:
    cp2 = integrate.solve_ivp(cap_rhs, [2, 1e3], [cp.y[0, -1]], method="DOP853", rtol=1e-12,
                              atol=1e-14, events=at0)
    T_cap = cp2.t_events[0][0]
case("crossing_time_capacity(sc)", T_cap, "SciPy DOP853 on dx/dt = -N min(q(x), q_bar), then -Q(x)",
     tol=1e-7, unit="year")
case("crossing_delay(sc)", T_cap - TN, "T* with capacity minus T* without", tol=1e-6, unit="year")

# the asymmetric game (Corollaries 2*/4): firm 1 with cost advantage eps and continuation value
# S_1 against N - 1 symmetric rivals. Firm i chooses q_i to maximize (a_i - b Q) q_i - V_i'(x) Q
# (x, the distance to the crossing, falls at rate Q): its first-order conditions are solved as a
# linear system by NumPy, the co-states V' so that r V equals the maximized payoffs by SciPy's
# root (continued from the symmetric co-state), and V, T* are integrated in x by SciPy DOP853.
def asym(eps, S1, S, x0):
    a1 = a
    FOC = np.array([[2 * b, (N - 1) * b], [b, N * b]])

    def outputs(p):
        return np.linalg.solve(FOC, [a1 - p[0], a - p[1]])

    def payoffs(p):
        q1, q2 = outputs(p)
        Q = q1 + (N - 1) * q2
        return np.array([(a1 - b * Q) * q1 - p[0] * Q, (a - b * Q) * q2 - p[1] * Q]), Q

    state = {"p": np.full(2, game_V(S)[0])}

    def costate(V):
        sol = optimize.root(lambda p: payoffs(p)[0] - r * np.asarray(V), state["p"],
                            method="hybr", options={"xtol": 1e-14})
        assert np.max(np.abs(payoffs(sol.x)[0] - r * np.asarray(V))) < 1e-13
        state["p"] = sol.x
        return sol.x

    for th in np.linspace(0, 1, 33)[1:]:
        a1 = a + th * eps
        costate([S + th * (S1 - S), S])
    a1 = a + eps

    def rhs(x, y):
        p = costate(y[:2])
        return [p[0], p[1], 1 / payoffs(p)[1]]

    sol = integrate.solve_ivp(rhs, [0, x0], [S1, S, 0], method="DOP853", rtol=1e-12, atol=1e-14)
    V = sol.y[:, -1]
    q1, q2 = outputs(costate(V[:2]))
    return q1, q2, q1 + (N - 1) * q2, V[2], V[0], V[1]


q1x, q2x, Qx, Tx, V1x, V2x = asym(0.05, 0.3, Sc, x0)
src = "the asymmetric HJB system from the firms' payoffs (NumPy, SciPy root and DOP853)"
case("leader_output(sx)", q1x, src, tol=1e-8)
case("rival_output(sx)", q2x, src, tol=1e-8)
case("asym_output(sx)", Qx, src, tol=1e-8)
case("asym_crossing_time(sx)", Tx, src, tol=1e-8, unit="year")
case("leader_value(sx)", V1x, src, tol=1e-8)
case("rival_value(sx)", V2x, src, tol=1e-8)
case("asym_crossing_time(s)", TN, "no advantage (epsilon = 0, S_j = S): the symmetric Nash T*",
     tol=1e-8, unit="year")

# calibrate: SciPy's fsolve on the three targets, each side by the HJB integration in x with
# SciPy DOP853 (as above, at the trial r, x0 and S)
def game_at(r_, x0_, S_, nash):
    A2, B2, k2 = a * (N * N + 1), a * (N * N - 1), r_ * b * (N + 1) ** 2

    def Vp(V):
        if nash:
            u = math.sqrt(B2 * B2 + 4 * N * N * k2 * V)
            return (A2 - u) / (2 * N * N), (B2 + u) / (2 * N * b * (N + 1))
        w = math.sqrt(4 * b * N * r_ * V)
        return (a - w) / N, w / (2 * b)

    sol = integrate.solve_ivp(lambda x, y: [Vp(y[0])[0], 1 / Vp(y[0])[1]], [0, x0_], [S_, 0],
                              method="DOP853", rtol=1e-12, atol=1e-14)
    return sol.y[0, -1], sol.y[1, -1]


def cal_F(v):
    VN_, TN_ = game_at(*v, True)
    VC_, TC_ = game_at(*v, False)
    return [1 - VN_ / VC_ - 0.341, TN_ - 3.8, TC_ - 18.3]


cal_sol = optimize.fsolve(cal_F, [0.008, 3.0, 0.4], xtol=1e-13)
case("cal.cal_r", float(cal_sol[0]), "SciPy fsolve on the three targets", tol=1e-7,
     unit="1/year")
case("cal.cal_x0", float(cal_sol[1]), "SciPy fsolve on the three targets", tol=1e-7)
case("cal.cal_S", float(cal_sol[2]), "SciPy fsolve on the three targets", tol=1e-7)

# ---- learning curves: OLS of ln c on ln Q
Q = np.array([1, 2, 4, 8, 16.0])
c = np.array([10, 8.1, 6.5, 5.3, 4.2])


def ols(q, cc):
    X = np.vstack([np.ones_like(q), np.log(q)]).T
    beta, res, *_ = np.linalg.lstsq(X, np.log(cc), rcond=None)
    resid = np.log(cc) - X @ beta
    n = len(q)
    s2 = resid @ resid / (n - 2)
    cov = s2 * np.linalg.inv(X.T @ X)
    ss_tot = np.sum((np.log(cc) - np.log(cc).mean()) ** 2)
    return -beta[1], math.sqrt(cov[1, 1]), 1 - resid @ resid / ss_tot


al, se, r2 = ols(Q, c)
loo = [ols(np.delete(Q, i), np.delete(c, i))[0] for i in range(len(Q))]
case("alpha(fitted)", al, "NumPy least squares of ln c on ln Q")
case("alpha_se(fitted)", se, "OLS standard error from NumPy")
case("r_squared(fitted)", r2, "1 - SS_res/SS_tot")
case("n_obs(fitted)", 5, "five observations")
case("alpha_loo_min(fitted)", min(loo), "NumPy least squares leaving one out")
case("alpha_loo_max(fitted)", max(loo), "NumPy least squares leaving one out")
X_fit = np.vstack([np.ones_like(Q), np.log(Q)]).T
beta_fit = np.linalg.lstsq(X_fit, np.log(c), rcond=None)[0]
case("c0(fitted)", math.exp(beta_fit[0]), "exp of NumPy's intercept of ln c on ln Q", tol=1e-12)
case("fitted(fitted)", list(np.exp(X_fit @ beta_fit)), "exp of NumPy's fitted ln c", tol=1e-12)
case("residuals(fitted)", list(np.log(c) - X_fit @ beta_fit), "NumPy's residuals of ln c",
     tol=[1e-9] * 5)
case("cost(fitted, 32)", math.exp(beta_fit[0] + beta_fit[1] * math.log(32)),
     "NumPy's fitted line at ln 32", tol=1e-12)
case("cost(fitted, [32, 64])", [math.exp(beta_fit[0] + beta_fit[1] * math.log(q)) for q in (32, 64)],
     "NumPy's fitted line at ln 32 and ln 64", tol=1e-12)
def newey_west_se(q, cc, lags):
    """The HAC sandwich (X'X)^-1 S (X'X)^-1 in matrix form, Bartlett weights, no
    small-sample correction (statsmodels' OLS cov_type="HAC")."""
    X = np.vstack([np.ones_like(q), np.log(q)]).T
    y = np.log(cc)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    g = X * (y - X @ beta)[:, None]
    S = g.T @ g
    for l in range(1, lags + 1):
        G = g[l:].T @ g[:-l]
        S += (1 - l / (lags + 1)) * (G + G.T)
    B = np.linalg.inv(X.T @ X)
    return math.sqrt((B @ S @ B)[1, 1])


case("alpha_se_nw(fitted, 0)", newey_west_se(Q, c, 0), "White's sandwich in NumPy (no lags)")
case("alpha_se_nw(fitted, 2)", newey_west_se(Q, c, 2), "the Newey-West sandwich in NumPy, 2 lags",
     tol=1e-10)
err("alpha_se_nw(fitted, 5)", "fewer lags than observations", "5 lags of 5 observations")
def block_bootstrap_quantiles(q, cc, block):
    """The moving-block bootstrap's exact distribution for five points: every choice of block
    starts, equally likely, each resample cut to n; its 2.5% and 97.5% quantiles (the atoms
    where the cumulative probability passes them)."""
    import itertools
    n = len(q)
    starts = range(n - block + 1)
    nb = -(-n // block)
    atoms = []
    for ch in itertools.product(starts, repeat=nb):
        idx = [s0 + k for s0 in ch for k in range(block)][:n]
        atoms.append(ols(q[idx], cc[idx])[0])
    atoms.sort()
    m = len(atoms)
    return atoms[math.ceil(0.025 * m) - 1], atoms[math.ceil(0.975 * m) - 1]


blo, bhi = block_bootstrap_quantiles(Q, c, 2)
case("alpha_ci_block_lo(blocky, 2)", blo,
     "the exact moving-block distribution (64 resamples of blocks of 2), its 2.5% atom",
     tol=1e-9)
case("alpha_ci_block_hi(blocky, 2)", bhi,
     "the exact moving-block distribution (64 resamples of blocks of 2), its 97.5% atom",
     tol=1e-9)
err("alpha_ci_block_lo(fitted, 2)", "has no bootstrap", "the curve sets no resamples")
def bai_perron_brute(q, cc, m, h):
    """Every placement of m breaks with segments of h or more, each segment fitted by NumPy
    least squares: the placement with the least total SSR, and its regimes' alphas."""
    import itertools
    n = len(q)
    x, y = np.log(q), np.log(cc)
    def fit(a, b):
        X = np.vstack([np.ones(b - a), x[a:b]]).T
        beta = np.linalg.lstsq(X, y[a:b], rcond=None)[0]
        r = y[a:b] - X @ beta
        return r @ r, -beta[1]
    best = None
    for br in itertools.combinations(range(h, n - h + 1), m):
        cuts = (0,) + br + (n,)
        if any(cuts[i + 1] - cuts[i] < h for i in range(m + 1)):
            continue
        fits = [fit(cuts[i], cuts[i + 1]) for i in range(m + 1)]
        ssr = sum(f[0] for f in fits)
        if best is None or ssr < best[0]:
            best = (ssr, br, [f[1] for f in fits])
    return [b + 1 for b in best[1]], best[2]


Q_k = np.array([1, 1.41421, 2, 2.82843, 4, 5.65685, 8, 11.3137, 16, 22.6274, 32, 45.2548, 64,
                90.5097])
c_k = np.array([100, 93.7631, 88.3343, 83.3977, 79.2022, 58.5385, 43.5827, 31.309, 22.888,
                17.0548, 15.4625, 14.1609, 12.5666, 11.3116])
for m_k, h_k in ((1, 3), (2, 3), (3, 2)):
    starts_k, alphas_k = bai_perron_brute(Q_k, c_k, m_k, h_k)
    case("break_starts(kinked, %d, %d)" % (m_k, h_k), [float(v) for v in starts_k],
         "every placement of %d breaks (segments >= %d) fitted by NumPy: the least SSR" % (m_k, h_k))
    case("regime_alphas(kinked, %d, %d)" % (m_k, h_k), alphas_k,
         "NumPy least squares on the regimes of the least-SSR placement",
         tol=[1e-10] * (m_k + 1))
err("break_starts(kinked, 7, 2)", "need (breaks + 1) x segment <= n", "8 segments of 2 > 14")


def least_ssr(q, cc, m, h):
    """The least total SSR over every placement of m breaks (m = 0: one OLS fit)."""
    import itertools
    n = len(q)
    x, y = np.log(q), np.log(cc)
    def ssr(a, b):
        X = np.vstack([np.ones(b - a), x[a:b]]).T
        r = y[a:b] - X @ np.linalg.lstsq(X, y[a:b], rcond=None)[0]
        return r @ r
    out = None
    for br in itertools.combinations(range(h, n - h + 1), m):
        cuts = (0,) + br + (n,)
        if any(cuts[i + 1] - cuts[i] < h for i in range(m + 1)):
            continue
        v = sum(ssr(cuts[i], cuts[i + 1]) for i in range(m + 1))
        out = v if out is None else min(out, v)
    return out


n_k = len(Q_k)
for m_k, h_k in ((1, 3), (2, 3), (3, 2)):
    s0, sm = least_ssr(Q_k, c_k, 0, h_k), least_ssr(Q_k, c_k, m_k, h_k)
    case("sup_F(kinked, %d, %d)" % (m_k, h_k),
         (s0 - sm) / (2 * m_k) / (sm / (n_k - 2 * (m_k + 1))),
         "F of 0 against %d breaks from the least SSRs over every placement (NumPy)" % m_k,
         tol=1e-8)
for M, h_k in ((3, 3), (4, 2), (0, 2)):
    bic = [math.log(least_ssr(Q_k, c_k, k, h_k) / n_k) + (3 * k + 2) * math.log(n_k) / n_k
           for k in range(M + 1)]
    case("break_count(kinked, %d, %d)" % (M, h_k), float(int(np.argmin(bic))),
         "the BIC ln(SSR/n) + (3m+2) ln(n)/n over m = 0..%d, SSRs by every placement" % M)
err("sup_F(kinked, 0, 2)", "from 1 to 20", "sup_F compares 0 breaks with m >= 1")
case("[1, 2, 3] > 1 and [1, 2, 3] < 3", [0.0, 1.0, 0.0], "and, element by element")
case("[1, 2, 3] > 2 or [1, 2, 3] < 2", [1.0, 0.0, 1.0], "or, element by element")
case("[1, 2, 3] > 1 and true", [0.0, 1.0, 1.0], "a list of conditions and one condition")
err("[1, 2] and [1 USD, 2 USD]", "lists of conditions", "a list in USD is not a condition")
err("break_count(kinked, 7, 2)", "need (breaks + 1) x segment <= n", "8 segments of 2 > 14")
case("alpha_recursive(fitted)", [None, None] + [ols(Q[:k], c[:k])[0] for k in (3, 4, 5)],
     "NumPy least squares on the first k observations (NA below 3)",
     tol=[0, 0, 1e-12, 1e-12, 1e-12])
case("cost(given, 2)", 10 * 2 ** -0.3, "c0 2^-alpha with the given alpha = 0.3, c0 = 10")
err("cost(given, 0)", "needs Q > 0", "Wright's law at Q = 0 is infinite")

# the pairs bootstrap of the OLS alpha: with five points the bootstrap distribution is exact,
# the 5^5 equally likely resamples (those with every Q equal identify no slope and are left
# out). edsl draws 20000 of them: its quantile must lie between the exact quantiles at
# p -/+ 5 sd of a sample proportion, sqrt(p(1-p)/20000); its mean within 5 sd of the draws'
# mean plus one LHS stratum's width.
rs_idx = np.array(np.meshgrid(*[range(5)] * 5, indexing="ij")).reshape(5, -1).T
bx, by = np.log(Q)[rs_idx], np.log(c)[rs_idx]
keep = bx.std(1) > 0
bx, by = bx[keep], by[keep]
bxc, byc = bx - bx.mean(1, keepdims=True), by - by.mean(1, keepdims=True)
boot = np.sort(-(bxc * byc).sum(1) / (bxc ** 2).sum(1))


def boot_q(p):
    return float(boot[min(len(boot) - 1, max(0, math.ceil(p * len(boot)) - 1))])


for name, p in (("alpha_ci_lo", 0.025), ("alpha_ci_hi", 0.975)):
    sp_ = 5 * math.sqrt(p * (1 - p) / 20000)
    want = boot_q(p)
    tol = max(abs(boot_q(p - sp_) - want), abs(boot_q(p + sp_) - want), 1e-9 * want) / want
    case("%s(fb)" % name, want, "the exact bootstrap quantile, p = %g, of 3120 resamples" % p,
         tol=float("%.2g" % (tol * 1.05)))
m_tol = (5 * boot.std() / math.sqrt(20000) + (boot[-1] - boot[0]) / 200) / boot.mean()
case("mean(lb.draws_of.delta)", float(boot.mean()),
     "bootstrap(fb) drawn by LHS: the exact bootstrap mean", tol=float("%.2g" % m_tol))
case("cost_per_doubling(given)", 1 - 2 ** -0.3, "1 - 2^-alpha")
case("cost_per_doubling(tiny_alpha)", 1e-20 * math.log(2),
     "1 - 2^-alpha = alpha ln 2 (1 - alpha ln 2 / 2 + ...): alpha ln 2 to 1e-20")
case("alpha(given)", 0.3, "the curve's alpha")

# ---- workloads (eq. 1, Theorem 6, eq. 10)
rho, J, Qw, Ts = 0.5, 4, 2, 0.4
K = (1 - rho) * (J - 1) / J
Td = 0.1 + 0.2 * Qw ** -0.3
case("K(w)", K, "(1 - rho)(J - 1)/J")
case("K_eff(w, 0.1)", K * (1 - 0.1 / Ts), "K (1 - T/T*)")
case("K_eff(w, 0.5)", 0, "K (1 - T/T*)^+ past T*")
case("distributable(w)", True, "T_dist(2) = 0.262 < T* = 0.4")
case("Q_star(w)", optimize.brentq(lambda q: 0.1 + 0.2 * q ** -0.3 - Ts, 1e-6, 10, xtol=1e-15),
     "SciPy brentq on T_dist(Q) = T*", tol=1e-9)
case("S_T_curvature(w, 0.05)", K * (Td - 0.05) / Ts, "K (T_dist - T_cent)/T*")

# ---- the two-period model from its primitives (eq. 59 with the crossing penalty, as
# docs/models.md states them): each firm's payoff (a - bQ - c1) q_i + beta (pi2 + alpha c1 Q)/N,
# the second term times (1 - delta) when Q >= Qbar; symmetric Nash equilibria as fixed points
# of numerically maximized best responses (SciPy bounded minimizer on each side of Qbar, the
# limit at Qbar counting), the cartel by maximizing the joint payoff on each side
def tp_model(N=5, a=1, b=1, c1=0.5, beta=0.95, alpha=0.23, Qbar=0.4, delta=0.5):
    pi2 = (a - c1) ** 2 / (4 * b)
    def payoff(qi, Qo, below=None):
        Q = qi + Qo
        cross = (Q >= Qbar) if below is None else (not below)
        return (a - b * Q - c1) * qi + beta * (pi2 + alpha * c1 * Q) / N * (1 - delta * cross)
    def best(Qo):
        # the no-cross side: sup over [0, Qbar - Qo) (the limit at the boundary counts)
        cands = []
        hi = Qbar - Qo
        if hi > 0:
            r = optimize.minimize_scalar(lambda q: -payoff(q, Qo, below=True), bounds=(0, hi),
                                         method="bounded", options={"xatol": 1e-13})
            cands.append((payoff(r.x, Qo, below=True), r.x, hi - r.x < 1e-9))
        lo = max(hi, 0)
        r = optimize.minimize_scalar(lambda q: -payoff(q, Qo, below=False), bounds=(lo, lo + 2 * a / b),
                                     method="bounded", options={"xatol": 1e-13})
        cands.append((payoff(r.x, Qo, below=False), r.x, False))
        return max(cands)
    # symmetric equilibria: q with best((N-1) q) = q, scanning q and refining
    eqs = []
    grid = np.linspace(1e-6, 0.2, 4001)
    h = [best((N - 1) * q)[1] - q for q in grid]
    for i in range(len(grid) - 1):
        if h[i] == 0 or h[i] * h[i + 1] < 0:
            f = lambda q: best((N - 1) * q)[1] - q
            try:
                q = optimize.brentq(f, grid[i], grid[i + 1], xtol=1e-14)
            except ValueError:
                continue
            v, qb, at_boundary = best((N - 1) * q)
            if abs(qb - q) < 1e-7:
                eqs.append((q * N, v))
    # the corner: every firm at Qbar/N, its best response the sup at the boundary
    qc = Qbar / N
    v, qb, at_boundary = best((N - 1) * qc)
    if at_boundary and abs(qb - qc) < 1e-7:
        eqs.append((Qbar, v))
    # dedupe
    out = []
    for Q, v in sorted(eqs):
        if not out or abs(out[-1][0] - Q) > 1e-6:
            out.append((Q, v))
    # cartel
    def joint(Q, below):
        return N * payoff(Q / N, Q * (N - 1) / N, below)
    r1 = optimize.minimize_scalar(lambda Q: -joint(Q, True), bounds=(0, Qbar), method="bounded",
                                  options={"xatol": 1e-13})
    r2 = optimize.minimize_scalar(lambda Q: -joint(Q, False), bounds=(Qbar, 2 * a / b), method="bounded",
                                  options={"xatol": 1e-13})
    coop = max((joint(r1.x, True), r1.x, False), (joint(r2.x, False), r2.x, True))
    return out, coop, pi2


eq1, co1, _ = tp_model(Qbar=0.4)
eq2, _, _ = tp_model(Qbar=0.3)
eq3, _, _ = tp_model(Qbar=0.2)
QN1, PN1 = eq1[0]
QC1, PC1 = co1[1], co1[0] / 5
case("tp_equilibria(tp1)", len(eq1), "fixed points of the best responses at Qbar = 0.4")
case("tp_equilibria(tp2)", len(eq2), "at Qbar = 0.3 holding at Qbar and crossing are both equilibria")
case("tp_output(tp1, nash)", QN1, "the one equilibrium: every firm at Qbar/N (the corner)", tol=1e-7)
case("tp_output(tp1, coop)", QC1, "the cartel's joint optimum", tol=1e-7)
case("tp_output(tp2, nash)", max(eq2, key=lambda e: e[1])[0], "of the two, the one the firms prefer",
     tol=1e-7)
case("tp_crosses(tp1, nash)", False, "the corner stays below Qbar")
case("tp_crosses(tp3, nash)", eq3[0][0] >= 0.2 and len(eq3) == 1, "at Qbar = 0.2 Nash crosses")
case("tp_profit(tp1, nash)", PN1, "the payoff's limit at the corner", tol=1e-7)
case("tp_profit(tp1, coop)", PC1, "per firm at the cartel's optimum", tol=1e-7)
case("tp_Q_ratio(tp1)", QN1 / QC1, "Q^N/Q^C from the two maximizations", tol=1e-7)
num61 = 1 - 0.5 + 0.95 * 0.23 * 0.5 / 5
num62 = 1 - 0.5 + 0.95 * 0.23 * 0.5
case("tp_Q_ratio_printed(tp1)", num61 / num62, "eq. 61 over eq. 62 as printed")
case("tp_Q_ratio_approx(tp1)", 1 + 4 * 0.95 * 0.23 * 0.5 / (5 * 0.5), "eq. 63 as printed")
dCS = 0.5 * (QN1 ** 2 - QC1 ** 2)
case("tp_delta_CS(tp1)", dCS, "eq. 64: b/2 (Q^N^2 - Q^C^2)", tol=1e-6)
case("tp_delta_W(tp1)", dCS - 5 * (PC1 - PN1), "eq. 65: Delta CS - N (Pi^C - Pi^N)", tol=1e-6)

# ---- user functions: the same closed forms written in the language
case("wright_cost(10 USD, 0.3, 8)", 10 * 8 ** -0.3, "c0 Q^-alpha", unit="USD")
case("wright_cost(10, 0.3, [1, 2, 4])", [10 * q ** -0.3 for q in (1, 2, 4)], "c0 Q^-alpha at each Q")
case("half_life(10 %/year)", math.log(2) / 0.1, "ln 2/rate", unit="year")
case("gap(s)", TC - TN, "T*C - T*N from the two HJB integrations", tol=1e-8, unit="year")
case("S_T_curvature(w2, 0.05)", K * (Td - 0.05) / Ts, "a workload whose c is a user function")

# ---- mesh (eqs. 28, 30, 31; Theorem 3; §5.6)
R0 = 100 * 0.03 * 1 / 2


def giant(R):
    return optimize.brentq(lambda S: S - 1 + math.exp(-R * S), 1e-12, 1, xtol=1e-15) if R > 1 else 0


S = giant(R0)
case("R0_mesh(mm)", R0, "N beta v / D")
case("S_inf(mm)", S, "SciPy brentq on S = 1 - exp(-R0 S)", tol=1e-10)
case("S_inf_near(mm)", 2 * (R0 - 1) / R0 ** 2, "2(R0 - 1)/R0^2")
case("giant_component(2)", giant(2), "SciPy brentq on S = 1 - exp(-2 S)", tol=1e-10)
case("giant_component(0.8)", 0, "no giant component below R0 = 1")
case("diversity_premium(mm)", 4 ** ((1 - 0.5) / 0.5), "J^((1 - rho)/rho)")
case("C_eff([1, 2, 3], 0.5)", (1 + math.sqrt(2) + math.sqrt(3)) ** 2, "(sum C_j^rho)^(1/rho)")
case("C_mesh(mm)", 4 * S * 100 * 0.01, "J^((1-rho)/rho) S_inf N c_bar", tol=1e-10)
case("C_cent(mm)", 4 * 10 * 1, "J^((1-rho)/rho) M c_cent")
Nstar = optimize.brentq(lambda n: n * giant(n * 0.03 / 2) * 0.01 - 10, 67, 1e7, xtol=1e-12)
case("N_star(mm)", Nstar, "SciPy brentq on N S_inf(N beta v/D) c_bar = M c_cent", tol=1e-8)
case("settlement_required(mm)", 100 * 10 * 2 * 365.25 * 86400,
     "N <k> x query rate: 2000 per second, in per year (a Julian year)", unit="1/year")
case("settlement_binds(mm)", True, "2000/s > 1000/s")

# the complete graph K_n, n = 50: Laplacian L = n I - 1 1^T, so lambda2 = n and every
# disagreement decays as e^(-n t); degrees all n - 1; one component holding every node
n_ = 50
case("lambda2(kn)", n_, "the Laplacian of K_n: eigenvalue n on every vector orthogonal to 1",
     tol=1e-9)
case("components(kn)", 1, "K_n is connected")
case("giant_measured(kn)", 1, "K_n is connected")
case("mean_degree(kn)", n_ - 1, "every node has n - 1 neighbours")
case("degree_k2(kn)", (n_ - 1) ** 2, "<k^2> = (n-1)^2")
case("epidemic_threshold(kn)", 1 / (n_ - 1), "<k>/<k^2>")
case("top_share(kn, 5)", 5 / n_, "equal degrees: 5 nodes hold 5/n of the link ends")
case("giant_mean_field(kn)", 1, "a regular degree distribution: u = u^(k-1) gives u = 0, S = 1")
case("disagreement(kn, 0.01)", math.exp(-n_ * 0.01), "e^(-n t)", tol=1e-9)
case("decay_rate(kn, 0.01)", n_, "n, at every t", tol=1e-9)
case("at(diffusion_path(kn, 0.05).disagreement, 0.01)", math.exp(-n_ * 0.01), "e^(-n t) on the path",
     tol=1e-9)
case("final(diffusion_path(kn, 0.02).decay_rate)", n_, "n, at every t", tol=1e-9)
case("first_time(diffusion_path(kn, 0.1).disagreement, 0.5)", math.log(2) / n_,
     "e^(-n t) = 1/2 at t = ln 2 / n", tol=1e-8)
err("diffusion_path(kn, 0)", "must be finite and > 0", "the path needs a span of time")
case("sum(values(diffusion_path(kn, 0.04).disagreement))",
     sum(math.exp(-n_ * 0.04 * i / 100) for i in range(101)), "e^(-n t) at 101 points of [0, 0.04]",
     tol=1e-9)

# the mean-field q-state Potts model (F. Y. Wu, Rev. Mod. Phys. 54, 1982): for q > 2 a first-order
# transition at K_c = 2 (q-1) ln(q-1)/(q-2) where the order parameter jumps to (q-2)/(q-1);
# q = 2 is the Ising model with coupling K/2: continuous at K_c = 2, order m = tanh(K m/2)
case("potts_K_c(pq)", 2 * 19 / 18 * math.log(19), "2 (q-1) ln(q-1)/(q-2), q = 20", tol=1e-12)
case("potts_jump(pq)", 18 / 19, "(q-2)/(q-1)", tol=1e-12)
case("potts_order(pq)", 0, "K = 6 below K_c = 6.216: disordered")
case("potts_K_c(p2)", 2, "q = 2: K_c = 2")
case("potts_jump(p2)", 0, "q = 2: continuous")
case("potts_order(p2)", optimize.brentq(lambda m: m - math.tanh(1.5 * m), 0.1, 1, xtol=1e-15),
     "SciPy brentq on m = tanh(K m/2), K = 3", tol=1e-9)

# the threshold model (eqs. 32-33, the rules docs/models.md states) simulated independently
# with NumPy: 30 runs of its 1000 agents give each result's mean and run-to-run sd; edsl's one
# seeded run must lie within 5 sd (of the difference of a run and the mean of 30).
def spec_sim(seed, A=1000, J=4, steps=60, rec=10, n=2, xi=4, phi=1, tmin=1, tmax=100, lo=40,
             hi=60, s0=50, delta=1, work=6, quit=0.2, sat=0.9):
    rng = np.random.default_rng(seed)
    th = rng.uniform(lo, hi, (A, J))
    s = np.full(J, float(s0))
    busy = np.full(A, -1)
    rows = np.arange(A)
    index = []

    def measure():
        cap = (tmax - th) / (tmax - tmin)
        best = np.argmin(th, axis=1)
        cb = cap[rows, best]
        others = cap.copy()
        others[rows, best] = -np.inf
        spec = (cb >= sat) & (others.max(1) <= 1 - sat)
        idx = np.mean(cb - (cap.sum(1) - cb) / (J - 1))
        return float(idx), float(spec.mean()), len(set(best[spec])), float(np.mean(best + 1))

    for step in range(steps + 1):
        if step % rec == 0:
            index.append(measure()[0])
        if step == steps:
            break
        busy[(busy >= 0) & (rng.random(A) < quit)] = -1
        P = 1 / (1 + (th / s) ** n) if np.all(s > 0) else np.where(
            s > 0, 1 / (1 + (th / np.maximum(s, 1e-300)) ** n), 0)
        order = np.argsort(rng.random((A, J)), axis=1)  # an idle agent meets tasks in random order
        takes = rng.random((A, J)) < np.take_along_axis(P, order, 1)
        first = np.argmax(takes, 1)
        start = (busy < 0) & takes.any(1)
        busy[start] = order[start, first[start]]
        on = np.zeros((A, J), bool)
        working = busy >= 0
        on[rows[working], busy[working]] = True
        th = np.where(on, np.maximum(tmin, th - xi), np.minimum(tmax, th + phi))
        s = np.maximum(0, s + delta - work * np.bincount(busy[working], minlength=J) / A)
    return (index,) + measure()[1:]


runs = [spec_sim(k) for k in range(30)]
grow = math.sqrt(1 + 1 / 30)


def spec_case(expr, vals, source):
    vals = np.array(vals, dtype=float)
    mean, sd = vals.mean(0), vals.std(0, ddof=1)
    tol = [float("%.2g" % t) for t in np.atleast_1d(5 * sd * grow / np.abs(mean))]
    if mean.ndim:
        case(expr, [float(v) for v in mean], source, tol=tol)
    else:
        case(expr, float(mean), source, tol=tol[0] if tol[0] > 0 else None)


spec_case("specialization_index(msp)", [r_[0] for r_ in runs],
          "the index every 10 steps to 60: NumPy simulation, mean of 30 runs")
spec_case("share_specialized(msp)", [r_[1] for r_ in runs], "NumPy simulation, mean of 30 runs")
spec_case("tasks_covered(msp)", [r_[2] for r_ in runs], "NumPy simulation: every run covers all 4")
spec_case("mean(dominant_task(msp))", [r_[3] for r_ in runs],
          "NumPy simulation: the mean dominant task (1..4), mean of 30 runs")

# ---- growth (eqs. 41, 40, 46, 42, 66, 49-52, 54, 47)
phi_eff = 0.6 / (1 - 0.2 * 0.6)
Phi = 1 + phi_eff - 1
case("phi_eff(gg)", phi_eff, "phi_0/(1 - beta_auto phi_0)")
case("growth_exponent(gg)", Phi, "lambda + phi_eff - 1")
case("C_steady(gg)", (0.4 * 0.3 * 200 ** 0.5 / 0.1) ** (1 / (1 - Phi)),
     "(delta_g f^lambda J_max^gamma_J/delta)^(1/(1-Phi))")
case("C_max(gg)", 200 ** ((1 - 0.5) / 0.5) / (0.5 * 0.1), "J_max^((1-rho)/rho)/(h delta)")
case("saturation_level(gg)", 1 / (0.5 * 0.1) - 1 / (0.5 * 0.02 * 20), "1/(h delta) - 1/(h a J)")
case("saturation_ceiling(gg)", 1 / (0.5 * 0.1), "1/(h delta)")
k = 0.05 * 0.01 / 2
case("T_recomb(gg)", math.log(20 / 19) / k, "ln(J_0/(J_0 - 1))/k, k = eta_J p_viable/2",
     unit="year")
case("J_recomb(gg, 10 year)", 1 / (1 - (19 / 20) * math.exp(k * 10)),
     "1/(1 - A e^(k t)), A = (J_0 - 1)/J_0")


def D(rho, J):
    return (J - 1) / J * (1 - rho ** (1 / (1 - rho)))


case("D(0.5, 4)", D(0.5, 4), "(J-1)/J (1 - rho^(1/(1-rho)))")
err("D(1.5, 4)", "rho", "D is defined for 0 <= rho < 1")
case("alpha_eff(gg)", 0.3 + 0.7 * D(0.5, 20), "alpha_ext + (1 - alpha_ext) D(rho, J)")
case("collapse_avoided(gg)", True, "alpha_eff = 0.799 > alpha_crit = 0.5")
case("J_min(gg)", next(j for j in range(1, 100) if 0.3 + 0.7 * D(0.5, j) > 0.5),
     "smallest whole J with alpha_eff > alpha_crit")
case("price_ratio(gg, 10 year)", 2 * math.exp(0.28 * 10), "p0 e^((g_C - g_Z) t)")
case("price_doubling(gg)", math.log(2) / 0.28, "ln 2/(g_C - g_Z)", unit="year")
phi_tk = 0.8 / (1 - 0.6 * 0.8)
Phi_tk = phi_tk
A_tk = 0.4 * 0.3 * 20 ** 0.5
case("T_singularity(tk)", 1 / ((Phi_tk - 1) * A_tk), "C_0^(1-Phi)/((Phi-1) delta_g f^lambda J^gamma_J)",
     unit="year")
case("T_singularity_exact(tk)", math.log(A_tk / (A_tk - 0.1)) / ((Phi_tk - 1) * 0.1),
     "ln(a/(a - delta C_0^(1-Phi)))/((Phi - 1) delta)", unit="year")
case("regime(tk)", "c: singularity", "Phi = 1.54 > 1 (Theorem 4)")

# eq. 40 with variety (eq. 43) and the collapse gate open (alpha_eff > alpha_crit for J >= 2),
# integrated by SciPy; eq. 45 from the integrated state
def gg_rhs(t, y):
    C, Jv = y
    dC = 0.4 * 0.3 * C ** phi_eff * Jv ** 0.5 - 0.1 * C
    dJ = 0.05 * 0.2 * C ** 0.5 * (200 - Jv)
    return [dC, dJ]


gp = integrate.solve_ivp(gg_rhs, [0, 5], [1, 20], method="DOP853", rtol=1e-13, atol=1e-14)
C5, J5 = gp.y[:, -1]
case("capability(gg, 5 year)", C5, "SciPy DOP853 on eqs. 40 and 43", tol=1e-9)
case("variety(gg, 5 year)", J5, "SciPy DOP853 on eqs. 40 and 43", tol=1e-9)
case("variety_growth(gg, 5 year)", gg_rhs(5, [C5, J5])[1] / J5 / 0.5,
     "eq. 45: (1/rho)(dJ/dt)/J on the integrated path", tol=1e-9, unit="1/year")
case("T_blowup(tk)", math.log(A_tk / (A_tk - 0.1)) / ((Phi_tk - 1) * 0.1),
     "J fixed (no variety): the Bernoulli equation's blow-up time", tol=1e-6, unit="year")
sp_ = integrate.solve_ivp(lambda t, y: [0.02 * 20 * y[0] / (1 + 0.5 * 0.02 * 20 * y[0]) - 0.1 * y[0]],
                          [0, 10], [1], method="DOP853", rtol=1e-13, atol=1e-14)
case("saturation_path(gg, 10 year)", sp_.y[0, -1],
     "SciPy DOP853 on eq. 42, symmetric: dC/dt = aJC/(1 + h aJC) - delta C", tol=1e-9)


# Baumol, CES with rho = -0.5: C_1 = r_0 e^(g_C t), C_2 = e^(g_Z t),
# beta(t) = 1 - (1 - beta_0) e^(-kappa t); d/dt of (1/rho) ln(beta C_1^rho + (1-beta) C_2^rho)
def baumol(t, rho=-0.5, gC=0.3, gZ=0.02, b0=0.5, kp=0.1, r0=1.5):
    be = 1 - (1 - b0) * math.exp(-kp * t)
    dbe = kp * (1 - b0) * math.exp(-kp * t)
    c1, c2 = (r0 * math.exp(gC * t)) ** rho, math.exp(gZ * t) ** rho
    den = be * c1 + (1 - be) * c2
    g = (dbe * (c1 - c2) + be * rho * gC * c1 + (1 - be) * rho * gZ * c2) / den / rho
    return g, (1 - be) * c2 / den


case("baumol_growth_ces(gb, 4 year)", baumol(4)[0], "the derivative of ln C_eff in closed form",
     tol=1e-10, unit="1/year")
case("cost_share_Z(gb, 4 year)", baumol(4)[1], "(1-beta) C_2^rho/(beta C_1^rho + (1-beta) C_2^rho)",
     tol=1e-12)


# eq. 53 as printed is d ln C_eff/dt for C_eff = C_1^beta C_2^(1-beta): the derivative of
# beta ln C_1 + (1 - beta) ln C_2 by a five-point central difference (h = 1e-3 year)
def ln_ceff(t, gC=0.3, gZ=0.02, b0=0.5, kp=0.1, r0=1.5):
    be = 1 - (1 - b0) * math.exp(-kp * t)
    return be * (math.log(r0) + gC * t) + (1 - be) * gZ * t


h_ = 1e-3
g53 = (-ln_ceff(4 + 2 * h_) + 8 * ln_ceff(4 + h_) - 8 * ln_ceff(4 - h_) + ln_ceff(4 - 2 * h_)) / (
    12 * h_)
case("baumol_growth(gb, 4 year)", g53, "numerical d ln C_eff/dt, Cobb-Douglas (eq. 53)", tol=1e-9,
     unit="1/year")

# ---- the fold (eq. 58): beta I = mu K_eff(T) with K_eff = K (1 - T/T*)^+ falling in T
case("fold_investment(fo)", 1.5 * 0.71 / 2, "max of mu K_eff/beta, at T = 0")
case("fold_T_fin(fo)", 0, "the maximum sits at the boundary T = 0")
case("T_fin_equilibria(fo)", [1.2 * (1 - 2 * 0.25 / (1.5 * 0.71))],
     "the one root of beta I = mu K (1 - T/T*)", tol=1e-9)

# ---- reaction systems (eq. 38, Prop. 8, Prop. 9)
case("raf_size(dr)", 2, "by hand: r3 needs e, which nothing makes; r1 and r2 remain")
case("raf_members(dr)", "r1 r2", "by hand, as above")
Mc = np.array([[0, 1, 0], [0, 0, 1], [1, 0.5, 0]])
cat = integrate.solve_ivp(lambda t, y: Mc @ y - 0.1 * y, [0, 5], [1, 1, 1], method="DOP853",
                          rtol=1e-13, atol=1e-14)
c5 = cat.y[:, -1]
case("catalytic_shares(rs, 5)", list(c5 / c5.sum()), "SciPy DOP853 on dc/dt = M c - phi_0 c",
     tol=1e-9)
case("catalytic_rate(rs, 5)", float(np.sum(Mc @ c5 - 0.1 * c5) / c5.sum()),
     "d ln(sum c)/dt from the integrated state (t a plain number)", tol=1e-9)
case("survivors(rs, 5)", 3, "every share stays above 1e-6")
case("N_auto_eq38(rs)", math.log(200) / 0.01, "ln|R|/beta_t")
case("N_auto_proof(rs)", math.log(1 - 1 / 50) / math.log(1 - 0.01), "ln(1 - 1/J)/ln(1 - beta_t)")


# random reaction systems (Prop. 8) simulated independently: each of 150 reactions has two
# distinct reactants among 30 types and a product among the 25 non-food ones; type t catalyzes
# reaction r when u_rt < p(N) = 1 - (1 - beta_t)^N. Each system's threshold N (the smallest with
# a RAF, Hordijk-Steel reduction written here in NumPy) by bisection; 20000 systems give the
# distribution. edsl draws 2000: its shares must lie within 5 sd of a binomial share, its median
# between the simulated quantiles at 1/2 -/+ 5 sd.
def has_raf(ins, out, cat, food, J):
    keep = np.ones(len(out), bool)
    while True:
        cl = np.zeros(J, bool)
        cl[:food] = True
        while True:
            new = cl.copy()
            new[out[keep & cl[ins].all(1)]] = True
            if (new == cl).all():
                break
            cl = new
        ok = keep & cl[ins].all(1) & (cat & cl[None, :]).any(1)
        if (ok == keep).all():
            return keep.any()
        keep = ok


def raf_threshold(rng, J=30, F=5, R=150, bt=0.001):
    ins = np.array([rng.choice(J, 2, replace=False) for _ in range(R)])
    out = rng.integers(F, J, R)
    u = rng.random((R, J))

    def raf_at(N):
        return has_raf(ins, out, u < -math.expm1(N * math.log1p(-bt)), F, J)

    if not has_raf(ins, out, u < 2, F, J):
        return math.inf
    lo, hi = 0, 1
    while not raf_at(hi):
        hi *= 2
    while lo < hi:
        mid = (lo + hi) // 2
        if raf_at(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


rng_ = np.random.default_rng(2026)
Nth = np.sort([raf_threshold(rng_) for _ in range(20000)])
for Nq in (15, 60):
    P_ = float(np.mean(Nth <= Nq))
    sd_ = math.sqrt(P_ * (1 - P_) * (1 / 2000 + 1 / 20000))
    case("raf_probability(rp, %d)" % Nq, P_, "share of 20000 simulated systems with a RAF at N = %d"
         % Nq, tol=float("%.2g" % (5 * sd_ / P_)))
med = float(np.quantile(Nth, 0.5, method="inverted_cdf"))
sd_ = 5 * math.sqrt(0.25 / 2000)
spread = max(abs(np.quantile(Nth, 0.5 - sd_, method="inverted_cdf") - med),
             abs(np.quantile(Nth, 0.5 + sd_, method="inverted_cdf") - med))
case("N_auto(rp)", med, "the median threshold of 20000 simulated systems",
     tol=float("%.2g" % (spread / med)))
M = np.array([[0, 1, 0], [0, 0, 1], [1, 0.5, 0]])
ev, evec = np.linalg.eig(M)
i = int(np.argmax(ev.real))
v = np.abs(evec[:, i].real)
case("pf_eigenvalue(rs)", float(ev[i].real), "NumPy eigenvalues", tol=1e-10)
case("pf_vector(rs)", list(v / v.sum()), "NumPy eigenvector, summing to 1", tol=1e-9)
case("pf_support(rs)", 3, "every type is on the cycle")

# ---- cycles (eqs. 55-57)


def tau(al, N, phi=0.5, rd=0.15, ratio=1000):
    return (1 / al) * math.log(ratio) / (1 + (N - 1) * al * phi / rd)


case("tau(cy)", tau(0.18, 8), "(1/alpha) ln(c0/c*)/(1 + (N-1) alpha phi/(r + delta))",
     unit="year")
case("amplitude(cy)", 0.71 * 7 / 8 * 0.09 / (0.15 - 0.09), "K (N-1)/N alpha phi/(r + delta - alpha phi)")
case("compression(cy, cy2)", tau(0.25, 10) / tau(0.18, 8), "eq. 57: tau_2/tau_1")
case("c_ratio_needed(cy)", math.exp(52 * 0.18 * (1 + 7 * 0.18 * 0.5 / 0.15)),
     "ln(c0/c*) at which eq. 55 gives 52 years", tol=1e-9)


# the crisis sequence (§15.4): correlation robustness degrades as (1 - theta)^2, superadditivity
# as (1 - theta), strategic independence persists until K_eff = 0 (theta = 1); each fails when
# its strength falls below the level s = 0.25, found by SciPy brentq on strength - s
def fails(strength):
    return optimize.brentq(lambda th: strength(th) - 0.25, 0, 1, xtol=1e-15)


case("crisis_theta(cq, 1)", fails(lambda th: (1 - th) ** 2), "(1 - theta)^2 = 1/4", tol=1e-12)
case("crisis_theta(cq, 2)", fails(lambda th: 1 - th), "(1 - theta) = 1/4", tol=1e-12)
case("crisis_theta(cq, 3)", 1, "K_eff = K (1 - theta) = 0")
case("crisis_order(cq)", "financial -> production -> governance",
     "thresholds 0.5 < 0.75 < 1: the roles in the order they fail")
err("crisis_theta(cq, 4)", "must be 1 (correlation robustness)", "three roles")
case("kendall_tau([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])",
     float(stats.kendalltau([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]).statistic), "SciPy kendalltau")
# Kendall's test: up to 9 pairs exact over every ordering (SciPy's exact test, no ties), else
# SciPy's tie-corrected normal approximation
case("kendall_p([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])",
     float(stats.kendalltau([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], method="exact").pvalue),
     "SciPy kendalltau, exact")
kx = [1, 2, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10]
ky = [2, 1, 3, 3, 5, 4, 7, 6, 9, 8, 10, 10]
case("kendall_p(%s, %s)" % (kx, ky),
     float(stats.kendalltau(kx, ky, method="asymptotic").pvalue),
     "SciPy kendalltau, asymptotic with ties", tol=1e-9)
err("kendall_p([1, 1, 1], [1, 2, 3])", "a series is constant", "tau-b undefined")


# ---- dynamics blocks: Bass diffusion against its closed form
# s(t) = (1 - e)/(1 + (q/p) e), e = exp(-(p + q) t); s = 1/2 at t = ln(2 + q/p)/(p + q)
bp, bq = 0.03, 0.38


def bass_s(t):
    e = math.exp(-(bp + bq) * t)
    return (1 - e) / (1 + bq / bp * e)


case("at(bass.s, 10 year)", bass_s(10), "Bass's closed form at t = 10", tol=1e-9)
case("at(bass.s, 2.5 year)", bass_s(2.5), "Bass's closed form at t = 2.5", tol=1e-9)
case("final(bass.s)", bass_s(10), "the closed form at the end, t = 10", tol=1e-9)
case("first_time(bass.s, 0.25)",
     optimize.brentq(lambda t: bass_s(t) - 0.25, 0, 10, xtol=1e-14), "brentq on the closed form",
     tol=1e-9, unit="year")
case("bass.half", math.log(2 + bq / bp) / (bp + bq), "ln(2 + q/p)/(p + q)", tol=1e-9, unit="year")
err("at(bass.s, 11 year)", "outside the integration", "the path ends at 10 years")
err("at(bass.s, 5)", "unit mismatch", "the variable is a time")
# x'' = -x from x = 1: x = cos(tau), v = -sin(tau); the stop x <= -1/2 at tau = 2 pi/3
case("at(osc.x, 2)", math.cos(2), "cos(2)", tol=1e-9)
case("first_time(osc.v, -0.5)", math.pi / 6, "-sin(tau) = -1/2 first at pi/6", tol=1e-9)
case("final(osc.v)", -math.sin(2 * math.pi / 3), "-sin(2 pi/3): the stop ends it", tol=1e-8)
err("final(osc)", "one series", "osc has two states")
# Robertson's stiff kinetics by SciPy's Radau (implicit), against edsl's BDF ("msbdf")
rob = integrate.solve_ivp(lambda t, y: [-0.04 * y[0] + 1e4 * y[1] * y[2],
                                        0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] ** 2,
                                        3e7 * y[1] ** 2], [0, 40], [1, 0, 0], method="Radau",
                          rtol=1e-12, atol=1e-16)
case("final(rob.a)", float(rob.y[0, -1]), "SciPy Radau on Robertson's system", tol=1e-6)
case("final(rob.b)", float(rob.y[1, -1]), "SciPy Radau on Robertson's system", tol=1e-5)


# ---- solvers: SciPy's brentq, the normal CDF, the quartic's stationary point x = 9/4
case("root(solve_cubic, 1, 2)", optimize.brentq(lambda x: x ** 3 - x - 2, 1, 2, xtol=1e-15),
     "SciPy brentq on x^3 - x - 2", tol=1e-12)
case("integrate(solve_gauss, -1.96, 1.96)",
     math.sqrt(2 * math.pi) * (stats.norm.cdf(1.96) - stats.norm.cdf(-1.96)),
     "sqrt(2 pi) (Phi(1.96) - Phi(-1.96)) by SciPy", tol=1e-10)
case("integrate(solve_decay, 0 year, 10 year)", 1 - math.exp(-3), "1 - e^(-3): a plain number",
     tol=1e-10, unit="")
case("integrate(solve_gauss, 1.5, 1.5)", 0.0, "an empty interval")


def csv_missing():
    """is_na of the price column of tests/csv/prices.csv, read by Python's csv module."""
    import csv
    rows = csv.DictReader(open(os.path.join(ROOT, "tests/csv/prices.csv"), encoding="utf-8-sig",
                               newline=""))
    return [1.0 if r["price"].strip() in ("", "NA") else 0.0 for r in rows]


case("is_na(prices_csv.price)", csv_missing(), "Python's csv module: the NA and empty cells")
case("is_na([1, 2, 3])", [0.0, 0.0, 0.0], "no value of a literal list is missing")
case("minimize(solve_quartic, 0, 4)", 9 / 4, "f' = 4x^3 - 9x^2 = 0 at 9/4", tol=1e-7)
case("minimize(solve_quartic, 3, 4)", 3, "f rises on [3, 4]: the end is the answer")
err("root(solve_cubic, 2, 3)", "no sign change", "f > 0 on [2, 3]")
err("root(exp, 0, 1)", "name of a function of one variable", "a builtin is not a user function")
err("integrate(solve_decay, 0, 1)", "needs a number with no unit", "t is a time: plain bounds make exp(t / year) wrong")

# ---- samples: Latin hypercube strata put exactly half the draws below each median; Sobol
# indices of y = x1 + 2 x2 with independent uniforms are 1/5 and 4/5 (Saltelli estimates)
case("draws(lh)", 100, "the sample's size")
case("failed(lh)", 0, "no draw can fail")
case("P(lh.draws_of.K < 0.5)", 0.5, "LHS: 50 of 100 strata below the median of uniform(0, 1)")
case("P(ld.draws_of.K < 1)", 0.5, "LHS: half below the median of normal(1, 0.5)")
case("P(ld.draws_of.phi < 2)", 0.5, "LHS: half below the median of lognormal(2, 0.3)")
case("P(ld.draws_of.alpha < 0.5)", 0.5, "LHS: half below the median of triangular(0, 0.5, 1)")
case("P(ld.draws_of.N < 5)", 0.5, "LHS: half below the median of beta(2, 2, 0, 10)")
case("P(ld.draws_of.r < alpha(fitted))", 0.5, "LHS: half below alpha, from_fit's mean")
case("sobol_first(sb.y, sb.draws_of.K)", 0.2, "Var(x1)/Var(y) = (1/12)/(5/12)", tol=0.05)
case("sobol_total(sb.y, sb.draws_of.phi)", 0.8, "Var(2 x2)/Var(y) = (4/12)/(5/12)", tol=0.05)


def sobol_sampling_quantiles(N=8192, R=2000):
    """The 2.5% and 97.5% quantiles of the S1(x1) and ST(x2) estimators of y = x1 + 2 x2 over
    R independent pseudo-random Saltelli designs of N base points (NumPy): what a bootstrap
    interval of one design estimates."""
    rng = np.random.default_rng(2026)
    s1, st = [], []
    for _ in range(R):
        A, B = rng.random((N, 2)), rng.random((N, 2))
        f = lambda X: X[:, 0] + 2 * X[:, 1]
        fA, fB = f(A), f(B)
        AB0, AB1 = A.copy(), A.copy()
        AB0[:, 0], AB1[:, 1] = B[:, 0], B[:, 1]
        V = np.concatenate([fA, fB]).var(ddof=1)
        s1.append((fB * (f(AB0) - fA)).mean() / V)
        st.append(((fA - f(AB1)) ** 2).mean() / 2 / V)
    return np.quantile(s1, [0.025, 0.975]), np.quantile(st, [0.025, 0.975])


(s1_lo, s1_hi), (st_lo, st_hi) = sobol_sampling_quantiles()
src = "the %s quantile of the %s estimator over 2000 NumPy Saltelli designs of 8192 points"
case("sobol_first_ci_lo(sb.y, sb.draws_of.K)", s1_lo, src % ("2.5%", "S1"), tol=0.03)
case("sobol_first_ci_hi(sb.y, sb.draws_of.K)", s1_hi, src % ("97.5%", "S1"), tol=0.03)
case("sobol_total_ci_lo(sb.y, sb.draws_of.phi)", st_lo, src % ("2.5%", "ST"), tol=0.005)
case("sobol_total_ci_hi(sb.y, sb.draws_of.phi)", st_hi, src % ("97.5%", "ST"), tol=0.005)


def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"%s"' % v
    if isinstance(v, list):
        return "[" + ", ".join(fmt(x) for x in v) + "]"
    return repr(float(v))


print("""# Function tests as data, in the shape of jq's tests/jq.test. Written by
# tests/functions/oracle.py, which derives every expected value independently of edsl;
# checked by tests/functions/run.py. A case is a comment saying where its value comes from,
# the expression, and its expected value: a number (relative tolerance 1e-12 unless `~ TOL`
# follows; a list may give `~ [TOL, ...]`, one for each element), a list, true/false, a
# "string", null (a missing value, NA) inside a list, or `error: TEXT` for a diagnostic containing TEXT;
# `unit: U` after a value checks the unit too. Cases end at a blank line. The preamble
# declares the blocks every case may name (the distributions appear only there: the P cases
# check the draws they define), and a few user functions (`fn`), checked the same way. A builtin without a case is listed in
# tests/functions/uncovered.txt, which may only shrink.
""")
print("%preamble")
print(PREAMBLE.rstrip())
print("%end")
for expr, value, source, tol, unit in cases:
    print()
    print("# " + source)
    print(expr)
    if isinstance(value, tuple):
        print("error: " + value[1])
    else:
        line = fmt(value)
        if isinstance(tol, list):
            line += " ~ [" + ", ".join("%g" % t for t in tol) + "]"
        elif tol:
            line += " ~ %g" % tol
        if unit:
            line += " unit: " + unit
        print(line)
