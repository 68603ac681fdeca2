#!/usr/bin/env bash
# Installs dependencies, builds (plain and ASan+UBSan) and runs every test through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDSL_ASAN=ON
cmake --build build -j"$(nproc)"
cd build && ctest --output-on-failure -j"$(nproc)"
