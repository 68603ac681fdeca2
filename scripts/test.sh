#!/usr/bin/env bash
# Installs dependencies, builds (plain and ASan+UBSan, warnings as errors) and runs every test
# through CTest, builds Release and runs its unit, golden and error tests, then
# builds the libFuzzer harnesses with clang and runs each for a bounded time
# (EDSL_FUZZ_SECONDS, default 60), and runs the sweep/shard tests under ThreadSanitizer.
# The editor modes are tested with Vim, Emacs and vscode-textmate, installed here.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh clang libclang-rt-14-dev python3-scipy python3-pandas python3-jsonschema r-base-core texlive-latex-base texlive-latex-recommended \
                  vim emacs-nox groff-base parallel slurm-wlm debhelper dpkg-dev
# The VS Code grammar's test tokenizes with vscode-textmate + vscode-oniguruma (npm registry).
command -v npm >/dev/null 2>&1 || ./scripts/deps.sh nodejs npm
npm ci --prefix editors/vscode --ignore-scripts --no-audit --no-fund
# The tree-sitter CLI for the editors test: trixie's, unpacked in a private directory
# (scripts/tree-sitter.sh); without it (no network) that test is skipped.
if ts_bin=$(./scripts/tree-sitter.sh 2>/dev/null); then export PATH="$ts_bin:$PATH"; fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEDSL_ASAN=ON -DEDSL_WERROR=ON
cmake --build build -j"$(nproc)"
(cd build && ctest --output-on-failure -j"$(nproc)")
# The Debian package builds, installs and runs (as root: dpkg -i).
if [ "$(id -u)" -eq 0 ]; then sh tests/package.sh; fi
# The optimized build a packager makes (-O3: other warnings, other inlining) builds without
# a warning and gives the same numbers, byte for byte.
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DEDSL_ASAN=OFF -DEDSL_WERROR=ON
cmake --build build-release -j"$(nproc)"
(cd build-release && ctest --output-on-failure -j"$(nproc)" -R '^(unit|golden|error)\.')
for bt in Debug MinSizeRel None; do # every build type compiles without a warning
  cmake -S . -B "build-$bt" -DCMAKE_BUILD_TYPE="$bt" -DEDSL_ASAN=OFF -DEDSL_WERROR=ON >/dev/null
  cmake --build "build-$bt" -j"$(nproc)" --target edsl test_game >/dev/null
done
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DEDSL_FUZZ=ON -DEDSL_WERROR=ON \
      -DEDSL_FUZZ_SECONDS="${EDSL_FUZZ_SECONDS:-60}"
cmake --build build-fuzz -j"$(nproc)" --target fuzz_parse fuzz_eval edsl_tsan test_pool_tsan
cd build-fuzz && ctest --output-on-failure
