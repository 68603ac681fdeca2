#!/usr/bin/env bash
# Installs dependencies, builds (plain and ASan+UBSan) and runs every test through CTest, then
# builds the libFuzzer harnesses with clang and runs each for a bounded time
# (EDSL_FUZZ_SECONDS, default 60), and runs the sweep/shard tests under ThreadSanitizer.
# The editor modes are tested with Vim, Emacs and vscode-textmate, installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh clang libclang-rt-14-dev python3-scipy texlive-latex-base texlive-latex-recommended \
                  vim emacs-nox groff-base
# The VS Code grammar's test tokenizes with vscode-textmate + vscode-oniguruma (npm registry).
command -v npm >/dev/null 2>&1 || ./scripts/deps.sh nodejs npm
npm ci --prefix editors/vscode --ignore-scripts --no-audit --no-fund
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDSL_ASAN=ON
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure -j"$(nproc)")
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DEDSL_FUZZ=ON \
      -DEDSL_FUZZ_SECONDS="${EDSL_FUZZ_SECONDS:-60}"
cmake --build build-fuzz -j"$(nproc)" --target fuzz_parse fuzz_eval edsl_tsan
cd build-fuzz && ctest --output-on-failure
