#!/usr/bin/env bash
# Runs the whole test suite once under valgrind's memcheck (the ASan+UBSan build runs in every
# test run; this is the independent second opinion). Unit tests directly, every other test
# through tests/run_case.sh with EDSL_VALGRIND=1. Slow: tens of minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh valgrind
cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDSL_ASAN=OFF >/dev/null
cmake --build build-valgrind -j"$(nproc)" >/dev/null
for t in test_core test_layers test_uncertainty; do
  valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "build-valgrind/$t" >/dev/null
  echo "valgrind: $t clean"
done
cd build-valgrind
EDSL_VALGRIND=1 ctest --output-on-failure -j"$(nproc)" -E '^unit\.' --timeout 1800
