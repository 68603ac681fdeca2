#!/bin/sh
# Runs one libFuzzer harness for a bounded time on a corpus seeded (tests/fuzz/seeds.py) from
# scenarios/, stdlib/ and tests/, cut at statements and with numbers moved to their edges, with
# the keyword dictionary. Usage: run.sh FUZZER SECONDS [extra libFuzzer flags]
# Any crash, leak, timeout or memory blow-up fails the run and leaves its input in
# build-fuzz/artifacts/ (make it a regression test in tests/errors/).
set -eu
fuzzer=$1 seconds=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
name=$(basename "$fuzzer")
work=$(dirname "$fuzzer")/fuzz-work/$name
mkdir -p "$work/corpus" "$work/artifacts"
python3 "$root/tests/fuzz/seeds.py" "$root" "$work/corpus" 2048
cd "$root"   # imports in the inputs resolve against the repository
exec "$fuzzer" "$work/corpus" -dict="$root/tests/fuzz/edsl.dict" -max_total_time="$seconds" \
  -timeout=10 -rss_limit_mb=2048 -max_len=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@"
