"""Peer of one REPL `report` line: in a running Python session with the model loaded, one
call of the Nash crossing time of the baseline market. Prints seconds per call."""
import timeit

from game import Game, continuation_value

N, a, b, r, delta = 5, 1.0, 1.0, 0.05, 0.30
S = continuation_value(0.0, N * a * a / (b * (N + 1) ** 2), N, r, delta)
n = 200
print(timeit.timeit(lambda: Game(N, a, b, r, S).T_star(True, 0.5), number=n) / n)
