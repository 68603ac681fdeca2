#!/usr/bin/env bash
# Installs dependencies, builds, and runs the baseline scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDSL_ASAN=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/edsl run scenarios/baseline.edsl "$@"
