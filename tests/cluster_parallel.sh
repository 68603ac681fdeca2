#!/bin/sh
# The README's GNU parallel recipe, run as written: eight shards of a sweep through
# `parallel`, then `edsl merge`; the merged files equal the unsharded run's, byte for byte.
# Skipped (77) without GNU parallel; scripts/test.sh installs it. Needs $EDSL and $TMP.
set -u
command -v parallel >/dev/null 2>&1 && parallel --version 2>/dev/null | grep -q 'GNU parallel' || {
  echo "GNU parallel is not installed: skipped"
  exit 77
}
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
mkdir -p "$TMP/bin" "$TMP/work"
ln -sf "$(cd "$(dirname "$EDSL")" && pwd)/$(basename "$EDSL")" "$TMP/bin/edsl"
cp tests/sweep/cache.edsl "$TMP/work/scenario.edsl"
cd "$TMP/work" || exit 1
PATH=$TMP/bin:$PATH
export PATH
edsl run scenario.edsl --out full/ >/dev/null 2>&1 || no "the unsharded run"
# the README's two commands (parallel's citation notice goes to stderr)
parallel edsl run scenario.edsl --shard {}/8 --out shards/ ::: $(seq 1 8) 2>"$TMP/e" >/dev/null ||
  no "parallel: $(tail -3 "$TMP/e")"
[ "$(ls shards | grep -c '^scenario\.shard-[1-8]-of-8\.json$')" -eq 8 ] && ok || no "eight shard files: $(ls shards)"
edsl merge shards/scenario.shard-*-of-8.json --out results/ >/dev/null 2>"$TMP/e" || no "merge: $(cat "$TMP/e")"
diff -r full results >/dev/null && ok || no "the merged files differ from the unsharded run's: $(diff -r full results | head -5)"
echo "cluster_parallel: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
