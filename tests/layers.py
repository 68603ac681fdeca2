#!/usr/bin/env python3
"""The interpreter as layers: the module graph of interp/ has no cycle, the numeric core
includes nothing of the interpreter or the front end, and the grammar knows nothing of GSL
or the interpreter. A module is a header and the sources that implement it. Two graphs are
checked: includes (A -> B when a file of A includes B's header) and, given the directories
of the built objects, symbols as the linker sees them (A -> B when an object of A uses a
symbol an object of B defines, read with nm). Run from the repository root:
layers.py [OBJDIR...]; prints the modules in layer order (each uses only those before it)."""
import os
import re
import subprocess
import sys

# Files whose module is not their own name: the evaluator's internal header, the LaTeX
# writer of report.h, the registry of builtins.h, the session of driver.h, the compiler's
# files by job (its fields are lowered lazily, so lowering and block checks call each other),
# the evaluator's by job (a field's value is an expression, and an expression reads fields),
# the command line's files, one per command, and the REPL's loop (its session is workspace's).
MODULE_OF = {"eval_internal.h": "eval", "report_latex.c": "report", "report_lines.c": "report", "atomic.c": "report", "registry.c": "builtins",
             "session.c": "driver", "checker.h": "compile", "lower_expr.c": "compile", "lower_fn.c": "compile",
             "check_blocks.c": "compile", "check_plot.c": "compile", "check_latex.c": "compile", "check_dynamics.c": "compile", "check_calibrate.c": "compile", "dynamics.h": "dynamics_layer", "calibrate.h": "calibrate_layer", "lower_stmt.c": "compile", "cli.h": "main", "cli.c": "main",
             "cmd_run.c": "main", "cmd_reproduce.c": "main", "cmd_predictions.c": "main",
             "cmd_fmt.c": "main", "cmd_tex.c": "main", "plot_draw.c": "plot", "scenario.c": "eval", "fields.c": "eval",
             "repl.c": "main", "repl_print.c": "workspace"}


def module(path):
    name = os.path.basename(path)
    if path.startswith("interp/core/"):
        return "core"
    return MODULE_OF.get(name, os.path.splitext(name)[0])


def includes(path):
    return re.findall(r'^\s*#\s*include\s+"([^"]+)"', open(path).read(), re.M)


files = sorted("interp/" + f for f in os.listdir("interp") if f.endswith((".c", ".h")))
core = sorted("interp/core/" + f for f in os.listdir("interp/core") if f.endswith((".c", ".h")))
grammar = sorted("grammar/" + f for f in os.listdir("grammar") if f.endswith((".c", ".h", ".l", ".y")))
fails = []

graph = {}
for f in files + core:
    a = module(f)
    graph.setdefault(a, set())
    for inc in includes(f):
        target = os.path.normpath(os.path.join(os.path.dirname(f), inc))
        if not target.startswith("interp/") or not os.path.exists(target):
            continue  # generated headers, the grammar's
        b = module(target)
        if b != a:
            graph[a].add(b)

def symbol_graph(objdirs):
    """module -> modules whose symbols it uses, from nm over the objects of objdirs."""
    defined, used = {}, {}
    for d in objdirs:
        for root, _, names in os.walk(d):
            for n in names:
                if not n.endswith(".c.o"):
                    continue
                src = n[:-2]
                m = module(src) if root.find("core") < 0 else "core"
                out = subprocess.run(["nm", os.path.join(root, n)], capture_output=True,
                                     text=True, check=True).stdout
                for line in out.splitlines():
                    parts = line.split()
                    if len(parts) == 3 and parts[1] in "TDRB":
                        defined[parts[2]] = m
                    elif len(parts) == 2 and parts[0] == "U":
                        used.setdefault(m, set()).add(parts[1])
    g = {}
    for m, syms in used.items():
        g.setdefault(m, set())
        for sym in syms:
            if sym in defined and defined[sym] != m:
                g[m].add(defined[sym])
    for m in set(defined.values()):
        g.setdefault(m, set())
    return g


# Tarjan's strongly connected components: any of more than one module is a cycle.
index, low, stack, on, sccs = {}, {}, [], set(), []


def strong(v, counter=[0]):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(graph.get(v, ())):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        sccs.append(comp)


def cycles(g, what):
    global graph
    graph = g
    index.clear(), low.clear(), stack.clear(), on.clear(), sccs.clear()
    for v in sorted(g):
        if v not in index:
            strong(v)
    for comp in sccs:
        if len(comp) > 1:
            ring = sorted(comp)
            why = ["%s -> %s" % (a, b) for a in ring for b in sorted(g[a]) if b in comp]
            fails.append("%s: a cycle of %d modules: %s" % (what, len(ring), ", ".join(why)))
    return list(sccs)


sys.setrecursionlimit(10000)
include_graph = graph
order = cycles(include_graph, "includes")
if len(sys.argv) > 1:
    sym = symbol_graph(sys.argv[1:])
    order = cycles(sym, "symbols")
    print("symbols: %d modules, %d arrows" % (len(sym), sum(len(v) for v in sym.values())))
graph = include_graph

for f in core:
    for inc in includes(f):
        if not os.path.exists(os.path.join("interp/core", inc)):
            fails.append("%s includes %s: the core includes only itself" % (f, inc))
for f in grammar:
    for m in re.findall(r'^\s*#\s*include\s+[<"]([^>"]+)[>"]', open(f).read(), re.M):
        if m.startswith("gsl/") or "interp" in m or m in ("eval.h", "compile.h", "ir.h"):
            fails.append("%s includes %s: the grammar knows nothing of GSL or the interpreter"
                         % (f, m))

for msg in fails:
    print("FAIL:", msg)
if not fails:
    # layer order: sccs come out in reverse topological order (dependencies first)
    print("layers, lowest first:", " < ".join(c[0] for c in order))
print("layers: %d modules, %d arrows, %d failed" %
      (len(graph), sum(len(v) for v in graph.values()), len(fails)))
sys.exit(1 if fails else 0)
