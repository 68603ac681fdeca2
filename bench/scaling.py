"""How edsl's cost grows with its input: each case run at 4-5 sizes, its time (less the start-up
of an empty run) and peak memory fitted as c n^k by least squares on log-log, k reported with
the command that measures it. Run by bench/driver.py (bench/run); writes a Markdown section.

usage: scaling.py EDSL OUT.md"""
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

EDSL, OUT = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="edsl-scaling-")


def market(n):
    return "".join("market m%d { firms = %d; demand { a = 1; b = 1 }; discount = 5 %%/year; "
                   "x0 = 0.5 }\nscenario s%d { market = m%d }\n" % (i, i % 9 + 2, i, i)
                   for i in range(n)) + "report T = crossing_time(s0, nash)\n"


def fit_rows(n):
    rows = "".join("  %d, %.6g\n" % (i + 1, 100 * (i + 1) ** -0.3 * (1 + 0.01 * (i % 7)))
                   for i in range(n))
    return ("table t(Q: GB, c: USD/GB) {\n" + rows + "}\nlearning_curve k {\n  Q = t.Q\n"
            "  c = t.c\n  fit = ols\n}\nreport lo = alpha_loo_min(k), hi = alpha_loo_max(k)\n")


def kendall(n):
    rows = "".join("  %d, %d\n" % (i, (i * 7919) % n) for i in range(n))
    return "table d(x: 1, y: 1) {\n" + rows + "}\nreport tau = kendall_tau(d.x, d.y)\n"


def raf_chain(n):
    rows = "".join('  "r%d", "t%d", "t0", "t%d"\n' % (i, i - 1, i) for i in range(n, 0, -1))
    return ("table ops(name: text, inputs: text, catalysts: text, outputs: text) {\n" + rows +
            "}\ngrowth g {\n  raf {\n    food = \"t0\"\n    reactions = ops\n  }\n}\n"
            "report s = raf_size(g)\n")


def raf_drawn(n):
    return ("growth g {\n  raf {\n    types = %d\n    food_types = raf.types / 5\n"
            "    reaction_count = 5 * raf.types\n    beta_t = 0.0005\n    N = 20\n"
            "    trials = 10\n  }\n}\nreport p = raf_probability(g, 20)\n" % n)


def mesh(n, report, links=1):
    return ("mesh m {\n  network {\n    model = barabasi_albert\n    nodes = %d\n    links = %d\n"
            "  }\n}\nreport x = %s\n" % (n, links, report))


def table_file(n):
    return ("table big(x: USD, y: GB, z: 1) {\n" +
            "".join("  %d.25, %d.5, %d\n" % (i, i % 1000, i % 7) for i in range(n)) +
            "}\nreport s = sum(big.x)\n")


def repl_lines(n):
    return "x = 2\n" + "".join("x * %d\n" % i for i in range(n))


# name, generator, sizes, command (FILE is the generated file), how the input is measured
# ("bytes": a data file, whose memory is set against its size; "n": a model's parameter)
CASES = [
    ("check: n markets and scenarios", market, [5000, 10000, 20000, 40000], ["check"], "n"),
    ("learning-curve fit, leave-one-out range, n rows", fit_rows, [20000, 40000, 80000, 160000],
     ["run"], "bytes"),
    ("kendall_tau of n pairs", kendall, [25000, 50000, 100000, 200000], ["run"], "bytes"),
    ("RAF closure: a chain of n reactions listed last first", raf_chain,
     [5000, 10000, 20000, 40000], ["run"], "bytes"),
    ("raf_probability: drawn systems of n types (5n reactions)", raf_drawn, [40, 80, 160, 320],
     ["run"], "n"),
    ("lambda2: Barabasi-Albert, one link per node, n nodes", lambda n: mesh(n, "lambda2(m)"),
     [32000, 64000, 128000, 256000], ["run"], "n"),
    ("lambda2: Barabasi-Albert, three links per node, n nodes",
     lambda n: mesh(n, "lambda2(m)", 3), [4000, 8000, 16000, 32000], ["run"], "n"),
    ("disagreement(m, 2): Barabasi-Albert, one link per node, n nodes",
     lambda n: mesh(n, "disagreement(m, 2)"), [32000, 64000, 128000, 256000], ["run"], "n"),
    ("disagreement(m, 50): Barabasi-Albert, three links per node, n nodes",
     lambda n: mesh(n, "disagreement(m, 50)", 3), [4000, 8000, 16000, 32000], ["run"], "n"),
    ("REPL: n expression lines", repl_lines, [10000, 20000, 40000, 80000], ["repl"], "n"),
    ("check: a table of n rows", table_file, [50000, 100000, 200000, 400000], ["check"], "bytes"),
    ("fmt: a table of n rows", table_file, [50000, 100000, 200000, 400000], ["fmt"], "bytes"),
]


def measure(cmd, stdin_path):
    """Wall seconds (median of 3) and peak resident MB of one run."""
    code = ("import resource, subprocess, sys, time; f = open(sys.argv[1]) if sys.argv[1] != '-' "
            "else subprocess.DEVNULL; t = time.perf_counter(); "
            "subprocess.run(sys.argv[2:], stdin=f, stdout=subprocess.DEVNULL, "
            "stderr=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    runs = []
    for _ in range(3):
        p = subprocess.run([sys.executable, "-c", code, stdin_path or "-"] + cmd,
                           capture_output=True, text=True, check=True)
        t, rss = p.stdout.split()
        runs.append((float(t), int(rss) / 1024.0))
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def slope(xs, ys):
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = statistics.mean(lx), statistics.mean(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


empty = os.path.join(TMP, "empty.edsl")
open(empty, "w").write("x = 1\n")
t0, _ = measure([EDSL, "check", empty], None)
lines = ["## How cost grows with input size",
         "",
         "`bench/scaling.py` (run by `./bench/run`): each case at 4 sizes, time the median of 3 "
         "runs less an empty run's start-up (%.1f ms), peak memory the largest of the 3; k is "
         "the least-squares slope of log cost on log size (1: linear; n log n fits as about "
         "1.1). The suite's growth guards (`tests/hostile.sh`) fail a 4x larger input taking "
         "over 10x longer." % (1e3 * t0),
         "",
         "| case | sizes | seconds | peak MB | k (time) | k (memory) | memory / input | command |",
         "|---|---|---|---|---|---|---|---|"]
for name, gen, sizes, verb, measure_by in CASES:
    times, mems, inputs = [], [], []
    for n in sizes:
        path = os.path.join(TMP, "case_%d.edsl" % n)
        open(path, "w").write(gen(n))
        cmd = [EDSL] + verb + ([] if verb == ["repl"] else [path])
        t, m = measure(cmd, path if verb == ["repl"] else None)
        times.append(max(t - t0, 1e-4))
        mems.append(m)
        inputs.append(os.path.getsize(path))
    xs = inputs if measure_by == "bytes" else sizes
    k_t, k_m = slope(xs, times), slope(xs, mems)
    ratio = ("%.0fx the file" % (mems[-1] / (inputs[-1] / 2 ** 20)) if measure_by == "bytes"
             else "")
    shown = "edsl %s FILE" % verb[0] if verb != ["repl"] else "edsl repl < FILE"
    lines.append("| %s | %s | %s | %s | %.2f | %.2f | %s | `%s` |"
                 % (name, ", ".join("%g" % s for s in sizes),
                    ", ".join("%.3g" % t for t in times), ", ".join("%.0f" % m for m in mems),
                    k_t, k_m, ratio, shown))
    print("scaling: %-60s k = %.2f" % (name, k_t), file=sys.stderr)
lines += ["",
          "Where k is above 1.1, or memory more than a small multiple of the file, the reason:",
          "",
          "- `lambda2` and diffusion on a graph with three links per node: each solve is a "
          "conjugate-gradient run of a fixed number of steps (its Cholesky factor would fill "
          "in), so the work is linear; the time grows faster once the Krylov vectors "
          "(20 x n doubles) leave the cache.",
          "- `fmt` keeps every token of the file twice (the input's, and the output's to check "
          "that they are the same) and each table cell as a string: about 25x the file. "
          "`check` of a table: a row of number literals is one node with its values (about "
          "12x the file, with the source text and the columns).",
          "- `raf_probability` and `N_auto` draw every (type, reaction) pair of a system of n types "
          "and 5n reactions: 5n^2 pairs, the model's own size (k near 2 is its input's growth), "
          "bounded at 5e7 pairs with an error."]
open(OUT, "w").write("\n".join(lines) + "\n")
