#!/usr/bin/env python3
"""Runs the examples of the documentation (docs/*.md, README.md, docs/edsl.1).

In Markdown:
  ```edsl file=NAME.edsl     the block is written to NAME.edsl in the example directory;
  ```edsl                    a block without a file is checked on its own (edsl check);
  ```console                 lines starting with '$ ' are commands, the lines up to the
                             next command their expected output (stdout and stderr). A
                             line '...' stands for any lines; a command's exit status must
                             be 0 unless its output ends with '[exit N]'.
In the man page, the commands of EXAMPLES run as a smoke test (exit status 0).

Every document has its own directory, where `scenarios`, `stdlib` and `tests` link to the
repository's and `edsl` is on PATH; blocks and commands run in the order they appear.
Usage: docs.py EDSL FILE...
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^```(\S*)(.*)$")


def blocks(text):
    """(kind, attrs, lines, line number) of each fenced block."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m and m.group(1):
            start = i + 1
            j = start
            while j < len(lines) and lines[j] != "```":
                j += 1
            attrs = dict(re.findall(r"(\w+)=(\S+)", m.group(2)))
            yield m.group(1), attrs, lines[start:j], start
            i = j + 1
        else:
            i += 1


def matches(want, got):
    """want may contain '...' lines, each standing for any (possibly no) lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[k:]) for k in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])


def run(cmd, cwd, env):
    p = subprocess.run(cmd, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    out = p.stdout.decode("utf-8", "replace").rstrip("\n")
    return p.returncode, out.split("\n") if out else []


def main():
    edsl = os.path.abspath(sys.argv[1])
    root = os.getcwd()
    failures = examples = 0
    for doc in sys.argv[2:]:
        work = tempfile.mkdtemp(prefix="edsl-docs-")
        bindir = os.path.join(work, ".bin")
        os.mkdir(bindir)
        os.symlink(edsl, os.path.join(bindir, "edsl"))
        for d in ("scenarios", "stdlib", "tests"):
            os.symlink(os.path.join(root, d), os.path.join(work, d))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"],
                   EDSL_HOME=root, LC_ALL="C")
        text = open(doc, encoding="utf-8").read()

        def fail(line, msg):
            nonlocal failures
            failures += 1
            print(f"FAIL {doc}:{line}: {msg}")

        if doc.endswith(".1"):
            section = None
            for n, line in enumerate(text.split("\n"), 1):
                if line.startswith(".SH"):
                    section = line[3:].strip().strip('"')
                elif section == "EXAMPLES" and line.startswith("$ "):
                    examples += 1
                    cmd = line[2:].replace("\\-", "-").replace("\\(aq", "'")
                    rc, out = run(cmd, work, env)
                    if rc != 0:
                        fail(n, f"'{cmd}' exited {rc}:\n  " + "\n  ".join(out[:10]))
            shutil.rmtree(work)
            continue

        for kind, attrs, body, line in blocks(text):
            if kind == "edsl":
                examples += 1
                name = attrs.get("file")
                path = os.path.join(work, name or f".block{line}.edsl")
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(body) + "\n")
                if name is None:
                    rc, out = run(f"edsl check {path}", work, env)
                    if rc != 0:
                        fail(line, "block does not check:\n  " + "\n  ".join(out[:10]))
            elif kind == "console":
                cmd, want, cmd_line = None, [], line
                for k, l in enumerate(body + ["$ "]):
                    if l.startswith("$ ") or k == len(body):
                        if cmd:
                            examples += 1
                            status = 0
                            if want and re.fullmatch(r"\[exit \d+\]", want[-1]):
                                status = int(want.pop()[6:-1])
                            rc, got = run(cmd, work, env)
                            if rc != status:
                                fail(cmd_line, f"'{cmd}' exited {rc}, expected {status}:\n  "
                                     + "\n  ".join(got[:10]))
                            elif not matches(want, got):
                                missing = [w for w in want if w != "..." and w not in got]
                                detail = (f"\n  want: {missing[0]}\n  (not in the output)"
                                          if missing else "\n  the lines are out of order")
                                fail(cmd_line, f"output of '{cmd}' differs:{detail}\n  got:\n    "
                                     + "\n    ".join(got[:40]))
                        cmd, want, cmd_line = l[2:], [], line + k
                    else:
                        want.append(l)
        shutil.rmtree(work)
    print(f"{examples} examples in {len(sys.argv) - 2} documents, {failures} failures")
    sys.exit(1 if failures else 0)


main()
