#!/bin/sh
# The committed fuzz dictionary is the language's words as the registry and the sources list
# them now (regenerate: python3 tests/fuzz/make_dict.py build/edsl). Usage: dict_current.sh EDSL
set -u
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
python3 tests/fuzz/make_dict.py "$1" "$tmp" || exit 1
cmp -s tests/fuzz/edsl.dict "$tmp" || { echo "FAIL: tests/fuzz/edsl.dict is stale"; diff tests/fuzz/edsl.dict "$tmp" | head; exit 1; }
echo "fuzz dictionary: current ($(grep -c '^"' "$tmp") words)"
