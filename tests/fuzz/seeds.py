#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus into DIR from the repository's own edsl: every scenario,
stdlib file, error case and REPL session, cut at top-level statements into pieces that fit
the fuzzers' input size (a cut file is a valid file; a truncated one mostly is not), and for
each piece a variant whose numbers are moved to the edges hostile input goes to (0, -1,
huge, tiny, subnormal, long digit strings). Deterministic: the same tree gives the same seeds.

Usage: seeds.py ROOT DIR [MAX_LEN]"""
import glob
import hashlib
import os
import random
import re
import sys

EDGES = ["0", "-1", "1", "2", "1e308", "1e-308", "5e-324", "-0", "1e-12", "0.999999999999",
         "1e6", "123456789012345678901234567890", "100 %", "-10 %", "0.5"]
NUMBER = re.compile(r"(?<![\w.])\d+(\.\d+)?([eE][-+]?\d+)?(?![\w.])")


def statements(text):
    """Top-level statements: a line at bracket depth 0 that is not a comment starts one."""
    out, cur, depth = [], [], 0
    for line in text.splitlines(keepends=True):
        bare = re.sub(r'"[^"\n]*"|#.*', "", line)
        if depth == 0 and cur and bare.strip() and not line[0].isspace():
            out.append("".join(cur))
            cur = []
        cur.append(line)
        depth = max(0, depth + sum(bare.count(c) for c in "{[(") - sum(bare.count(c) for c in "}])"))
    if cur:
        out.append("".join(cur))
    return out


def pieces(text, max_len):
    if len(text.encode()) <= max_len:
        return [text]
    out, cur = [], ""
    for s in statements(text):
        if cur and len((cur + s).encode()) > max_len:
            out.append(cur)
            cur = ""
        cur += s
    if cur:
        out.append(cur)
    return [p for p in out if len(p.encode()) <= max_len] or [text.encode()[:max_len].decode("utf-8", "ignore")]


def main():
    root, outdir = sys.argv[1], sys.argv[2]
    max_len = int(sys.argv[3]) if len(sys.argv) > 3 else 2048
    files = []
    for pat in ["scenarios/*.edsl", "scenarios/paper/*.edsl", "stdlib/*/*.edsl",
                "tests/errors/*.edsl", "tests/repl/*.in", "tests/fuzz/regress/*"]:
        files += sorted(glob.glob(os.path.join(root, pat)))
    os.makedirs(outdir, exist_ok=True)
    n = 0
    for f in files:
        text = open(f, encoding="utf-8", errors="replace").read()
        rng = random.Random(os.path.relpath(f, root))
        for i, p in enumerate(pieces(text, max_len)):
            variants = [p, NUMBER.sub(lambda m: rng.choice(EDGES), p)]
            for v in variants:
                data = v.encode()
                name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
                with open(os.path.join(outdir, name), "wb") as out:
                    out.write(data)
                n += 1
    print("seeds: %d pieces of %d files in %s" % (n, len(files), outdir))


main()
