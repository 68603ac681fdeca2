#!/bin/sh
# Each point of a sweep whose workers cache the fields no axis reaches equals the model run at
# that point with --set (tests/sweep/cache.edsl), with 1 and 2 threads. Needs $EDSL and $TMP.
set -u
fails=0 passes=0
F=tests/sweep/cache.edsl
for threads in 1 2; do
  "$EDSL" run $F --out "$TMP/c$threads" --threads $threads >/dev/null || { echo "FAIL: run"; exit 1; }
  tail -n +2 "$TMP/c$threads/g.csv" | while IFS=, read -r k firms S_T a b c d e; do
    want=$(printf 'report a = crossing_time(s2, nash), b = crossing_time(s3, nash), c = m2.discount * year, d = crossing_time(s4, nash), e = crossing_time(s5, nash)\n' |
      cat $F - | sed '/^sweep g/,/to "g.csv"/d' >"$TMP/one.edsl"
      "$EDSL" run "$TMP/one.edsl" --format csv --set "k=$k" --set "m2.firms=$firms" \
        --set "m4.continuation.S_T=$S_T" |
        awk -F, '$1=="a"||$1=="b"||$1=="c"||$1=="d"||$1=="e"{printf "%s,", $2}')
    [ "$want" = "$a,$b,$c,$d,$e," ] ||
      echo "FAIL: k=$k firms=$firms S_T=$S_T threads=$threads: sweep $a,$b,$c,$d,$e vs run $want"
  done >>"$TMP/fails"
done
if [ -s "$TMP/fails" ]; then
  cat "$TMP/fails"
  exit 1
fi
echo "sweep_cache: 24 points agree with their runs"
