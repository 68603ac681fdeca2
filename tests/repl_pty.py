#!/usr/bin/env python3
"""The REPL driven through a pseudo-terminal, as a user at a terminal drives it: completion,
Ctrl-C at the prompt, in an open block and during a 10^6-point sweep, :reload after an edit,
:save round-tripping to the same results, history kept in EDSL_HISTORY, Ctrl-D leaving.

usage: repl_pty.py EDSL SOURCE_DIR"""
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
import time

EDSL, SRC = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Repl:
    def __init__(self, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(SRC)
            os.execve(EDSL, [EDSL, "repl"], env)
        self.buf = b""

    def read_until(self, pattern, timeout=20.0):
        """Output up to and including pattern (a regex on bytes), or None at the timeout."""
        end = time.time() + timeout
        rx = re.compile(pattern)
        while True:
            m = rx.search(self.buf)
            if m:
                out, self.buf = self.buf[: m.end()], self.buf[m.end():]
                return out.decode("utf-8", "replace")
            left = end - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return None
                if not data:
                    return None
                self.buf += data

    def send(self, text):
        os.write(self.fd, text.encode())

    def line(self, text, timeout=20.0):
        """Sends a line; returns what it printed before the next prompt."""
        self.drain()
        self.send(text + "\r")
        return self.read_until(rb"\n\r?edsl> ", timeout)

    def drain(self):
        """Forgets what was printed so far (the echo of edited lines)."""
        while self.read_until(rb"\A[\s\S]+", 0.3) is not None:
            pass
        self.buf = b""

    def wait(self):
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


tmp = tempfile.mkdtemp(prefix="edsl-pty-")
env = dict(os.environ, EDSL_HISTORY=os.path.join(tmp, "history"), TERM="dumb", INPUTRC="/dev/null")
r = Repl(env)
check(r.read_until(rb"edsl> ") is not None, "the prompt appears")

# completion: commands, names, builtins with their signatures, fields after a dot
r.send(":relo\t")
check(r.read_until(rb":reload ") is not None, "Tab completes a command")
r.send("\x15")  # Ctrl-U: clear the line
out = r.line(":load scenarios/baseline.edsl")
check(out is not None and "loaded scenarios/baseline.edsl" in out, ":load runs the file")
r.send("crossing_ti\t")
check(r.read_until(rb"crossing_ti\x07?me") is not None, "Tab completes a built-in")
r.send("\x15")
r.send("crossing_\t\t")
out = r.read_until(rb"crossing_time\(scenario, nash\|coop\)")
check(out is not None, "a second Tab lists built-ins with their signatures")
r.send("\x15")
r.send("inference.fir\t")
check(r.read_until(rb"inference\.firms") is not None, "Tab completes a block's field after the dot")
r.send("\x15")
r.send(":load scenarios/baseli\t")
check(r.read_until(rb"baseline\.edsl") is not None, "Tab completes a file name after :load")
r.send("\x15")
r.read_until(rb"edsl> ", 1)

# Ctrl-C leaves an open block and keeps the session
r.send("market m {\r")
check(r.read_until(rb"\.\.\. ") is not None, "an open block shows the continuation prompt")
r.send("\x03")
check(r.read_until(rb"edsl> ") is not None, "Ctrl-C in an open block returns to the prompt")
out = r.line("crossing_time(baseline, nash)")
check(out is not None and "0.6207717434 year" in out, "the session is intact after Ctrl-C")
r.send("market m {\r")
r.read_until(rb"\.\.\. ")
out = r.line(":cancel")
check(out is not None and "cancelled" in out, ":cancel leaves an open block")

# Ctrl-C during a 10^6-point sweep: back at the prompt within a second, session intact
r.send("sweep big = inference.discount in range(1 %/year, 10 %/year, 1000000) {\r")
r.read_until(rb"\.\.\. ")
r.send("  report Tn = crossing_time(baseline, nash), Tc = crossing_time(baseline, coop), "
       "W = welfare_loss(baseline)\r")
r.read_until(rb"\.\.\. ")
r.send("}\r")
time.sleep(0.6)
t0 = time.time()
r.send("\x03")
out = r.read_until(rb"edsl> ", 10)
dt = time.time() - t0
check(out is not None and "interrupted" in out, "Ctrl-C stops the sweep (said: interrupted)")
check(dt < 1.0, "the prompt is back within a second of Ctrl-C (%.3f s)" % dt)
out = r.line("welfare_loss(baseline)")
check(out is not None and "0.3409559246" in out, "the session is intact after the interrupted sweep")
out = r.line("big")
check(out is not None and "unknown name 'big'" in out, "the interrupted sweep is not kept")

# :reload after an edit says what changed and uses it
model = os.path.join(tmp, "model.edsl")
with open(model, "w") as f:
    f.write("a = 1 USD\nb = a * 2\nc = 7\n")
out = r.line(":load " + model)
check(out is not None and "loaded" in out, ":load a file")
with open(model, "w") as f:
    f.write("a = 5 USD\nb = a * 2\nd = 1\n")
out = r.line(":reload")
check(out is not None and re.search(r"changed: a\b", out) and "added: d" in out
      and "removed: c" in out, ":reload says what changed, was added and removed")
out = r.line("b")
check(out is not None and "10 USD" in out, "after :reload the session uses the edit")

# :save round-trips to the same results
r.line(":reset")
r.line(":load scenarios/baseline.edsl")
r.line("inference.firms = 10")
out = r.line("report T10 = crossing_time(baseline, nash)")
m = re.search(r"T10 = (\S+ year)", out or "")
check(m is not None, "a report prints its value")
out = r.line("T10 * 2")
check(out is not None and "1.109351895 year" in out, "a report's result is a name")
saved = os.path.join(tmp, "saved.edsl")
out = r.line(":save " + saved)
check(out is not None and "saved" in out, ":save writes the session")
run = subprocess.run([EDSL, "run", saved], cwd=SRC, capture_output=True, text=True)
line = [l for l in run.stdout.splitlines() if l.startswith("T10")]
check(run.returncode == 0 and m is not None and line and line[0].split(None, 1)[1] == m.group(1),
      "edsl run of the saved file gives the session's result")
fmt = subprocess.run([EDSL, "fmt", "--check", saved], capture_output=True, text=True)
check(fmt.returncode == 0, "the saved file is formatted")

# Ctrl-D on an empty line leaves; history is kept
r.send("\x04")
code = r.wait()
check(code == 0, "Ctrl-D on an empty line leaves with status 0")
hist = open(env["EDSL_HISTORY"]).read()
check("crossing_time(baseline, nash)" in hist and ":reload" in hist, "history is kept in EDSL_HISTORY")

sys.exit(1 if failures else 0)
