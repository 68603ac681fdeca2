#!/bin/sh
# The mesh's sparse eigensolver and diffusion from several sweep threads: the same bytes as
# one thread (ARPACK keeps state in Fortran SAVE variables; its calls take turns). Run under
# ThreadSanitizer too (tsan.mesh_threads). Needs $EDSL and $TMP; run from the repository root.
set -u
passes=0 fails=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
"$EDSL" run tests/mesh/threads.edsl --threads 1 >"$TMP/t1" 2>"$TMP/e1" || no "1 thread: $(cat "$TMP/e1")"
for t in 2 4; do
  "$EDSL" run tests/mesh/threads.edsl --threads $t >"$TMP/t$t" 2>"$TMP/e$t" ||
    no "$t threads: $(cat "$TMP/e$t")"
  cmp -s "$TMP/t1" "$TMP/t$t" && ok || no "$t threads differ from 1: $(diff "$TMP/t1" "$TMP/t$t" | head -5)"
done
[ "$(grep -c '^ *[0-9]' "$TMP/t1")" -eq 16 ] && ok || no "16 sweep rows expected: $(cat "$TMP/t1")"
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
