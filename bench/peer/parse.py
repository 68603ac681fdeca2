"""Peer of `edsl check` on bench's 10,000-line file: Python compiling the same declarations
written as a Python module (the file is made by bench/driver.py). Prints seconds."""
import sys
import time

src = open(sys.argv[1]).read()
t = time.perf_counter()
compile(src, sys.argv[1], "exec")
print(time.perf_counter() - t)
