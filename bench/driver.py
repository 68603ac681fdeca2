"""edsl's benchmarks against a Python/SciPy peer, timed in one run on one machine.

Run through bench/run (which builds edsl and installs the peer's packages). Writes the table
to bench/RESULTS.md and prints it. Times are medians of repeated runs; every edsl figure is
set beside the peer doing the same work, and the two are checked to give the same numbers.
"""
import csv
import filecmp
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EDSL = os.path.join(ROOT, "build-bench", "edsl")
LIMIT = os.path.join(ROOT, "build-bench", "edsl_limit")  # bench/limit.c
PY = "/usr/bin/python3"  # Debian's, with python3-scipy
PEER = os.path.join(ROOT, "bench", "peer")
TMP = tempfile.mkdtemp(prefix="edsl-bench-")


def run(cmd, stdin=None, cwd=ROOT):
    p = subprocess.run(cmd, input=stdin, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("bench: %s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr[:2000]))
    return p.stdout


def run_pair(a, b):
    """Two commands at once (each its own process): the machine's own two-core speed-up, with
    nothing shared between them, is what two threads of one run are measured against."""
    ps = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
          for c in (a, b)]
    for c, p in zip((a, b), ps):
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit("bench: %s failed (%d): %s" % (" ".join(c), p.returncode, err[:2000]))


def vs_peer(t_peer, t_edsl, digits=0):
    """edsl against the peer in words that hold either way: "12x faster" or "2.9x slower"."""
    r = t_peer / t_edsl
    if r >= 1:
        return "%.*fx faster" % (digits, r)
    return "%.1fx slower" % (1 / r)


def timed(cmd, repeat, stdin=None):
    """Median wall time of `repeat` runs, and the last run's output."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = run(cmd, stdin)
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def peak_rss_mb(cmd):
    """Peak resident memory of one run, measured in a fresh child so that earlier runs do not
    count."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(run([PY, "-c", code] + cmd)) / 1024.0


def max_rel(pairs):
    return max(abs(a - b) / max(abs(b), 1e-300) for a, b in pairs)


rows = []  # (benchmark, edsl, limit, peer, edsl/limit, edsl vs peer, target, check)


def bench_baseline():
    t_e, out = timed([EDSL, "run", "scenarios/baseline.edsl", "--format", "json"], 21)
    t_p, pout = timed([PY, os.path.join(PEER, "baseline.py")], 5)
    e = {k: v["value"] for k, v in json.loads(out)["results"].items()}
    p = json.loads(pout)
    exact = [k for k in p if not k.startswith("alpha_ci")]
    dev = max_rel([(e[k], p[k]) for k in exact])
    ci = max(abs(e[k] - p[k]) for k in ("alpha_ci_lo", "alpha_ci_hi"))
    rows.append(("baseline scenario, end to end", "%.1f ms" % (1e3 * t_e), "", "%.0f ms" % (1e3 * t_p),
                 "", vs_peer(t_p, t_e), ">= 40x the peer",
                 "%d reports agree to %.1e; bootstrap CI (other RNG) within %.4f"
                 % (len(exact), dev, ci)))


def sweep_csv(path):
    with open(path) as f:
        lines = [l for l in f if not l.startswith("#")]
    r = list(csv.reader(lines))
    return [tuple(float(x) for x in row) for row in r[1:]]


def fresh(*paths):
    """Removes a run's outputs before it is timed, so that every run writes new files: ext4
    writes a file back at once when a rename or a truncation replaces another (auto_da_alloc),
    8 ms for the sweep's 6 MB, a cost of the file system, not of the program; it would fall on
    edsl and the limit alike, and on the serial part of a 2-thread run."""
    for p in paths:
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)


def interleaved(cmds, repeat, outputs):
    """Wall times of each command over `repeat` rounds, the commands taking turns in each
    round so that a change of load touches all of them alike: a list per command. A tuple of
    two commands is run as a pair, at once. outputs[i]: the paths command i writes, removed
    before each of its runs (fresh)."""
    times = [[] for _ in cmds]
    for _ in range(repeat):
        for i, c in enumerate(cmds):
            fresh(*outputs[i])
            t = time.perf_counter()
            if isinstance(c, tuple):
                run_pair(*c)
            else:
                run(c)
            times[i].append(time.perf_counter() - t)
    return times


def speedup(t1, t2):
    """Two threads against one, as the median ratio and as the ratio of the best runs: on a
    shared machine a run on two cores is slowed whenever either is taken, a run on one core
    only when its own is, so the best runs say what the program does with two free cores."""
    return statistics.median(t1) / statistics.median(t2), min(t1) / min(t2)


def instructions(cmd):
    """Instructions a command executes (valgrind's callgrind): unlike seconds, the same on a
    loaded machine as on an idle one; None without valgrind."""
    if not shutil.which("valgrind"):
        return None
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                       cwd=ROOT, capture_output=True, text=True)
    m = re.search(r"Collected : (\d+)", p.stderr)
    if p.returncode != 0 or not m:
        sys.exit("bench: callgrind of %s failed: %s" % (" ".join(cmd), p.stderr[-2000:]))
    return int(m.group(1))


def bench_sweep():
    out1, out2 = os.path.join(TMP, "s1"), os.path.join(TMP, "s2")
    lim_csv = os.path.join(TMP, "limit_grid.csv")
    one = [EDSL, "run", "bench/sweep.edsl", "--threads", "1", "--out"]
    sa, sb = os.path.join(TMP, "sa"), os.path.join(TMP, "sb")
    t1s, t2s, tls, pairs = interleaved(
        [one + [out1], [EDSL, "run", "bench/sweep.edsl", "--out", out2, "--threads", "2"],
         [LIMIT, "sweep", lim_csv], (one + [sa], one + [sb])], 21,
        [[out1], [out2], [lim_csv], [sa, sb]])
    t1, t2, tl = (statistics.median(t) for t in (t1s, t2s, tls))
    grid1, grid2 = (open(os.path.join(o, "grid.csv"), "rb").read() for o in (out1, out2))
    same = grid1 == grid2
    as_limit = grid1 == open(lim_csv, "rb").read()
    peer_csv = os.path.join(TMP, "peer_grid.csv")
    t = time.perf_counter()
    with open(peer_csv, "w") as f:
        subprocess.run([PY, os.path.join(PEER, "sweep.py")], stdout=f, check=True, cwd=PEER)
    t_p = time.perf_counter() - t
    e, p = sweep_csv(os.path.join(out2, "grid.csv")), sweep_csv(peer_csv)
    assert len(e) == len(p) == 100000, (len(e), len(p))
    dev = max_rel([(a[3], b[3]) for a, b in zip(e, p)])
    rows.append(("sweep, 10^5 points (alpha x N x S_T), 1 thread, CSV written",
                 "%.3f s" % t1, "%.3f s" % tl, "%.1f s" % t_p, "%.2fx" % (t1 / tl),
                 vs_peer(t_p, t1), "<= 1.2x the limit",
                 "edsl's file and the limit's are %s; 100000 T* agree with the peer to %.1e"
                 % ("byte-identical" if as_limit else "DIFFERENT", dev)))
    ie = instructions(one + [os.path.join(TMP, "si")])
    il = instructions([LIMIT, "sweep", os.path.join(TMP, "limit_si.csv")])
    if ie:
        rows.append(("same sweep, instructions executed (callgrind)", "%.0f per point" % (ie / 1e5),
                     "%.0f per point" % (il / 1e5), "", "%.2fx" % (ie / il), "",
                     "<= 1.2x the limit", "a count, not a time: free of the machine's load"))
    rows.append(("same sweep, 2 threads", "%.3f s" % t2, "", "", "", vs_peer(t_p, t2),
                 ">= 1.8x 1 thread", "%s, %s output; %s"
                 % (speed_words(t1s, t2s), "identical" if same else "DIFFERENT",
                    ceiling(t1s, pairs))))
    # ten times the points: the run's serial start (parse, 3 ms) weighs a tenth as much
    big = os.path.join(TMP, "sweep_1e6.edsl")
    open(big, "w").write(open(os.path.join(ROOT, "bench", "sweep.edsl")).read()
                         .replace("range(0.12, 0.32, 100)", "range(0.12, 0.32, 1000)")
                         .replace('"../scenarios/', '"%s/scenarios/' % ROOT))
    b1, b2 = os.path.join(TMP, "b1"), os.path.join(TMP, "b2")
    t1s, t2s = interleaved([[EDSL, "run", big, "--out", b1, "--threads", "1"],
                            [EDSL, "run", big, "--out", b2, "--threads", "2"]], 5, [[b1], [b2]])
    same = filecmp.cmp(os.path.join(b1, "grid.csv"), os.path.join(b2, "grid.csv"), shallow=False)
    rows.append(("same sweep at 10^6 points (alpha x 1000), 2 threads",
                 "%.2f s" % statistics.median(t2s), "", "", "", "", ">= 1.8x 1 thread",
                 "%s, %s output; 1 thread: %.2f s" % (speed_words(t1s, t2s),
                                                     "identical" if same else "DIFFERENT",
                                                     statistics.median(t1s))))


def bench_repl():
    k = 1000
    load = ":load scenarios/baseline.edsl\n"
    lines = "".join("report t%d = crossing_time(baseline, nash)\n" % i for i in range(k))
    env_cmd = [EDSL, "repl"]
    t0, _ = timed(env_cmd, 5, load)
    t1, out = timed(env_cmd, 5, load + lines)
    per = (t1 - t0) / k
    t_p = float(run([PY, os.path.join(PEER, "repl_line.py")], cwd=PEER))
    rows.append(("REPL: one `report` line", "%.3f ms" % (1e3 * per), "", "%.3f ms" % (1e3 * t_p),
                 "", vs_peer(t_p, per), "< 10 ms",
                 "%d lines after :load, minus the :load alone" % k))


def write_parse_inputs(n_lines):
    """The same declarations as an edsl file and as a Python module."""
    e, p = [], []
    i = 0
    while len(e) < n_lines:
        e += ["# market %d of the parse benchmark" % i,
              "c_%d = %d.5 USD/GB" % (i, i % 50 + 1),
              "market m_%d {" % i,
              "  firms = %d" % (i % 9 + 2),
              "  demand {",
              "    a = 1",
              "    b = 1",
              "  }",
              "  discount = 5 %/year",
              "  x0 = 0.5",
              "}"]
        p += ["# market %d of the parse benchmark" % i,
              "c_%d = %d.5  # USD/GB" % (i, i % 50 + 1),
              "m_%d = dict(" % i,
              "  firms=%d," % (i % 9 + 2),
              "  demand=dict(",
              "    a=1,",
              "    b=1,",
              "  ),",
              "  discount=0.05,  # per year",
              "  x0=0.5,",
              ")"]
        i += 1
    ef, pf = os.path.join(TMP, "big.edsl"), os.path.join(TMP, "big.py")
    open(ef, "w").write("\n".join(e[:n_lines]) + "\n")
    open(pf, "w").write("\n".join(p[:n_lines]) + "\n")
    return ef, pf


def bench_parse():
    ef, pf = write_parse_inputs(10000)
    size = os.path.getsize(ef)
    t_e, _ = timed([EDSL, "check", ef], 5)
    t_start, _ = timed([EDSL, "--version"], 5)
    t_p = statistics.median(float(run([PY, os.path.join(PEER, "parse.py"), pf])) for _ in range(5))
    t_parse = max(t_e - t_start, 1e-9)
    rows.append(("parse + check a 10,000-line file (%.0f KB)" % (size / 1024),
                 "%.1f ms (%.1f MB/s)" % (1e3 * t_e, size / t_e / 1e6), "",
                 "%.1f ms" % (1e3 * t_p), "", "%.1fx" % (t_p / t_e), ">= 1 MB/s",
                 "without process start-up: %.1f MB/s; peer: Python's compile() of the same "
                 "declarations" % (size / t_parse / 1e6)))


def bench_memory():
    sizes = [(20, 500), (200, 500), (2000, 500)]  # alpha points x S_T points
    rss = []
    for na, ns in sizes:
        f = os.path.join(TMP, "mem%d.edsl" % (na * ns))
        open(f, "w").write(
            'import "%s/scenarios/alpha_sensitivity.edsl"\n'
            "sweep grid = packaging.alpha in range(0.12, 0.32, %d), "
            "hardware.continuation.S_T in range(0, 0.01, %d) {\n"
            "  report T = crossing_time(hw, nash)\n} to \"grid.csv\"\n" % (ROOT, na, ns))
        rss.append((na * ns, peak_rss_mb([EDSL, "run", f, "--out", os.path.join(TMP, "m")])))
    rows.append(("peak memory of a streamed sweep", ", ".join(
        "%.1f MB at %.0e points" % (m, n) for n, m in rss), "", "", "", "", "flat in size",
        "largest / smallest = %.2f" % (rss[-1][1] / rss[0][1])))


def speed_words(t1s, t2s):
    med, best = speedup(t1s, t2s)
    return "%.2fx the speed of 1 thread (median of %d runs; %.2fx best against best)" % (
        med, len(t1s), best)


def ceiling(t1s, pairs):
    """The machine's own two-core speed-up: two independent 1-thread runs at once."""
    med, best = speedup(t1s, pairs)
    return ("two 1-thread runs at once do %.2fx the work of one per second (%.2fx best against "
            "best): the machine's own two-core ceiling" % (2 * med, 2 * best))


def bench_uncertainty():
    out1, out2 = os.path.join(TMP, "u1"), os.path.join(TMP, "u2")
    cmd = [EDSL, "run", "bench/uncertainty.edsl", "--format", "json", "--out"]
    run(cmd + [out2, "--threads", "2"])  # the draws the limit reads
    draws = os.path.join(out2, "draws.csv")
    lim_csv = os.path.join(TMP, "limit_draws.csv")
    # edsl on 1 and 2 threads and the limit take turns in each round (a drift of the
    # machine's speed touches all three alike)
    times, lims, pairs = [[], []], [], []
    keep = os.path.join(TMP, "draws_in.csv")  # the limit's input, out of edsl's way
    shutil.copyfile(draws, keep)
    draws = keep
    for _ in range(13):
        for i, (o, th) in enumerate(((out1, "1"), (out2, "2"))):
            fresh(o)
            t = time.perf_counter()
            run(cmd + [o, "--threads", th])
            times[i].append(time.perf_counter() - t)
        fresh(lim_csv)
        lims.append(run([LIMIT, "mc", draws, lim_csv]).split())
        fresh(*(os.path.join(TMP, o) for o in ("ua", "ub")))
        t = time.perf_counter()
        run_pair(*(cmd + [os.path.join(TMP, o), "--threads", "1"] for o in ("ua", "ub")))
        pairs.append(time.perf_counter() - t)
    t1, t2 = statistics.median(times[0]), statistics.median(times[1])
    e = {k: v["value"] for k, v in
         json.load(open(os.path.join(out2, "uncertainty.json")))["results"].items()
         if "value" in v}
    p = json.loads(run([PY, os.path.join(PEER, "uncertainty.py"), draws], cwd=PEER))
    keys = ["T_star_nash_q05", "T_star_nash_q50", "T_star_nash_q95", "P_cross_before"]
    dev = max_rel([(e[k], p[k]) for k in keys])
    # the limit: the same draws' T*N, file and summaries (drawing them is not counted)
    tl = statistics.median(float(l[0]) for l in lims)
    lq = [float(x) for x in lims[-1][2:6]]
    ldev = max_rel(list(zip([e[k] for k in keys], lq)))
    rows.append(("uncertainty: 10^6 Monte Carlo draws of the game (T*N, quantiles, P), 1 thread",
                 "%.2f s" % t1, "%.2f s" % tl, "%.0f s" % p["seconds"], "%.2fx" % (t1 / tl),
                 vs_peer(p["seconds"], t1), "<= 1.5x the limit",
                 "%d draws: each T*N agrees with the peer to %.1e; quantiles and P to %.1e "
                 "(peer), %.1e (limit); the limit does not draw, edsl does"
                 % (p["draws"], p["max_rel_dev"], dev, ldev)))
    rows.append(("same, 2 threads", "%.2f s" % t2, "", "", "", vs_peer(p["seconds"], t2),
                 ">= 1.8x 1 thread", "%s; %s" % (speed_words(times[0], times[1]),
                                                  ceiling(times[0], pairs))))


def bench_language():
    """User-written models against built-ins and SciPy: a closed form as a user function, a
    dynamics path, a calibration."""
    cb, cu = os.path.join(TMP, "cb"), os.path.join(TMP, "cu")
    t_b, _ = timed([EDSL, "run", "bench/closed_builtin.edsl", "--out", cb], 3)
    t_u, _ = timed([EDSL, "run", "bench/closed_user.edsl", "--out", cu], 3)
    b, u = sweep_csv(os.path.join(cb, "closed.csv")), sweep_csv(os.path.join(cu, "closed.csv"))
    assert len(b) == len(u) == 100000, (len(b), len(u))
    dev = max_rel([(x[2], y[2]) for x, y in zip(u, b)])
    rows.append(("sweep of 10^5 points of a closed form (S_max): user function vs built-in",
                 "%.2f s (user fn)" % t_u, "", "%.2f s (built-in)" % t_b, "",
                 "%.2fx the built-in's time" % (t_u / t_b), "<= 3x",
                 "100000 values agree to %s" % ("all printed digits" if dev == 0
                                                else "%.1e" % dev)))
    t_e, out = timed([EDSL, "run", "bench/dynamics.edsl", "--format", "csv"], 5)
    t_p, pout = timed([PY, os.path.join(PEER, "dynamics.py")], 3)
    e = [tuple(float(x) for x in l.split(",")) for l in out.splitlines()
         if l and l[0].isdigit()]
    p = [tuple(float(x) for x in l.split(",")) for l in pout.splitlines() if l]
    assert len(e) == len(p) == 20001, (len(e), len(p))
    dev = max(abs(a - b) / max(abs(b), 1e-12) for x, y in zip(e, p) for a, b in zip(x, y))
    rows.append(("dynamics path: Lotka-Volterra, 200 years at 20001 points, end to end",
                 "%.0f ms" % (1e3 * t_e), "", "%.0f ms" % (1e3 * t_p), "",
                 vs_peer(t_p, t_e, 1), ">= 20x",
                 "RK8(9) vs DOP853 at rtol 1e-10: 60003 values agree to %.1e" % dev))
    t_c, out = timed([EDSL, "run", "bench/calibrate.edsl", "--format", "json"], 11)
    t_p, pout = timed([PY, os.path.join(PEER, "calibrate.py")], 3)
    r = json.loads(out)["results"]
    got = [r["r"]["value"], r["x0"]["value"], r["S"]["value"]]
    want = [float(x) for x in pout.split()]
    rows.append(("calibrate: r, x0, S of the game from 3 printed figures, end to end",
                 "%.1f ms" % (1e3 * t_c), "", "%.0f ms" % (1e3 * t_p), "",
                 vs_peer(t_p, t_c), "< 50 ms",
                 "the three values agree to %.1e (SciPy least_squares)"
                 % max_rel(list(zip(got, want)))))


def bench_scaling():
    run([PY, os.path.join(ROOT, "bench", "scaling.py"), EDSL, os.path.join(TMP, "scaling.md")])


def main():
    load_start = os.getloadavg()
    machine = run(["sh", "-c", "nproc; grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"]).split("\n")
    version = run([EDSL, "--version"]).split("\n")[0].strip()
    scipy = run([PY, "-c", "import scipy, numpy, sys; print('Python %s, SciPy %s, NumPy %s' % "
                 "(sys.version.split()[0], scipy.__version__, numpy.__version__))"]).strip()
    for b in (bench_baseline, bench_sweep, bench_repl, bench_parse, bench_memory,
              bench_uncertainty, bench_language, bench_scaling):
        print("bench: %s" % b.__name__[6:], file=sys.stderr)
        b()
    head = ["benchmark", "edsl", "limit (C, the core direct)", "peer (Python/SciPy)",
            "edsl / limit", "edsl vs peer", "target", "check"]
    table = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    load_end = os.getloadavg()
    text = ("# Benchmarks\n\nMeasured with `./bench/run` (all figures from one run, on one "
            "machine: %s cores,%s; load average over 1 minute %.2f at the start, %.2f at the "
            "end).\n%s, built with CMAKE_BUILD_TYPE=Release; peer: %s (scripts in "
            "`bench/peer/`: closed forms and one brentq per point, NumPy where it helps); "
            "limit: `bench/limit.c`, the numeric core's closed forms called directly on one "
            "core, writing its rows with edsl's formatter.\nThe two sides of each ratio are "
            "timed in turns within one run (medians of 3 to 21 runs), each run writing its files "
            "anew into an emptied directory (replacing a file makes ext4 write it back at once, "
            "a cost of the file system that would fall on both sides); the check column "
            "compares the numbers.\n\n" % (machine[0], machine[1], load_start[0], load_end[0],
                                           version, scipy)
            + "\n".join(table) + "\n")
    scaling = os.path.join(TMP, "scaling.md")
    if os.path.exists(scaling):
        text += "\n" + open(scaling).read()
    open(os.path.join(ROOT, "bench", "RESULTS.md"), "w").write(text)
    print(text)


main()
