#!/bin/sh
# edsl fmt: a golden file shows the rules; then every .edsl file in the repository is
# formatted and must (1) be a fixed point of fmt, (2) keep its comments, and (3) compile to
# the same IR (dump-ir), or to the same diagnostics for the error cases. Files that do not
# parse are refused and left as they are. Needs $EDSL and $TMP.
set -u
fails=0 files=0
no() { fails=$((fails+1)); echo "FAIL: $*"; }

"$EDSL" fmt tests/fmt/messy.edsl >"$TMP/messy" 2>"$TMP/e" || no "fmt messy.edsl: $(cat "$TMP/e")"
if [ "${UPDATE:-}" = 1 ]; then cp "$TMP/messy" tests/fmt/messy.expected; fi
cmp -s "$TMP/messy" tests/fmt/messy.expected || { no "messy.edsl differs from messy.expected"; diff -u tests/fmt/messy.expected "$TMP/messy" | head -30; }

# A mirror of the repository's .edsl files, formatted in place, so that imports resolve alike.
list=$(find scenarios stdlib tests bench -name '*.edsl' | sort)
for f in $list; do mkdir -p "$TMP/tree/$(dirname "$f")"; cp "$f" "$TMP/tree/$f"; done
for f in $(find scenarios stdlib tests -name '*.csv'); do # the data tables read (from "x.csv")
  mkdir -p "$TMP/tree/$(dirname "$f")"; cp "$f" "$TMP/tree/$f"
done
comments() { # the comments of a file, in order, outside strings
  python3 -c '
import sys
for line in open(sys.argv[1], encoding="latin-1"):
    q = False
    for i, ch in enumerate(line):
        if ch == "\"" and (i == 0 or line[i-1] != "\\"): q = not q
        elif ch == "#" and not q: print(line[i:].rstrip()); break' "$1"
}
for f in $list; do
  files=$((files+1))
  if ! "$EDSL" fmt "$f" >"$TMP/out" 2>"$TMP/err"; then
    # refused: it must not parse, and --write must leave it alone
    [ -s "$TMP/out" ] && no "$f: fmt failed and still printed"
    "$EDSL" check "$f" 2>&1 | grep -q 'error' || no "$f: fmt refused a file that check accepts: $(head -2 "$TMP/err")"
    "$EDSL" fmt --write "$TMP/tree/$f" >/dev/null 2>&1
    cmp -s "$f" "$TMP/tree/$f" || no "$f: fmt --write changed a file it could not parse"
    continue
  fi
  "$EDSL" fmt --write "$TMP/tree/$f" 2>"$TMP/err" || no "$f: fmt --write: $(head -2 "$TMP/err")"
  cmp -s "$TMP/out" "$TMP/tree/$f" || no "$f: fmt --write differs from fmt's output"
  "$EDSL" fmt "$TMP/tree/$f" >"$TMP/again" 2>/dev/null && cmp -s "$TMP/out" "$TMP/again" || no "$f: fmt is not idempotent"
  "$EDSL" fmt --check "$TMP/tree/$f" >/dev/null || no "$f: fmt --check rejects fmt's output"
  comments "$f" >"$TMP/c1"; comments "$TMP/out" >"$TMP/c2"
  cmp -s "$TMP/c1" "$TMP/c2" || no "$f: comments changed"
done
# Same IR: dump-ir of each original and formatted file (run from each tree's root).
for f in $list; do
  [ -s "$TMP/tree/$f" ] || continue
  "$EDSL" dump-ir "$f" >"$TMP/ir1" 2>"$TMP/e1"; r1=$?
  (cd "$TMP/tree" && "$EDSL" dump-ir "$f") >"$TMP/ir2" 2>"$TMP/e2"; r2=$?
  [ "$r1" = "$r2" ] || { no "$f: dump-ir exits $r1, formatted $r2"; continue; }
  cmp -s "$TMP/ir1" "$TMP/ir2" || { no "$f: formatted file has another IR"; diff "$TMP/ir1" "$TMP/ir2" | head -6; }
  # diagnostics: same messages (columns move with spacing, lines with removed blank lines)
  sed -n 's/^[^ ]*:[0-9]*:[0-9]*: //p' "$TMP/e1" >"$TMP/m1"; sed -n 's/^[^ ]*:[0-9]*:[0-9]*: //p' "$TMP/e2" >"$TMP/m2"
  cmp -s "$TMP/m1" "$TMP/m2" || no "$f: formatted file gives other diagnostics"
done

# --check lists unformatted files and exits 1; --write and --check together is a usage error.
"$EDSL" fmt --check tests/fmt/messy.edsl >"$TMP/o"; [ $? -eq 1 ] && grep -qx 'tests/fmt/messy.edsl' "$TMP/o" \
  || no "fmt --check lists an unformatted file with exit 1"
"$EDSL" fmt --check --write tests/fmt/messy.edsl >/dev/null 2>&1; [ $? -eq 2 ] || no "--check --write is a usage error"
"$EDSL" fmt >/dev/null 2>&1; [ $? -eq 2 ] || no "fmt without FILE is a usage error"
"$EDSL" run scenarios/baseline.edsl --write >/dev/null 2>&1; [ $? -eq 2 ] || no "run --write is a usage error"
# A file with a syntax error: refused with a located diagnostic, nothing printed.
printf 'market m {\n  firms = = 5\n}\n' >"$TMP/bad.edsl"
"$EDSL" fmt "$TMP/bad.edsl" >"$TMP/o" 2>"$TMP/e"; [ $? -eq 1 ] && [ ! -s "$TMP/o" ] && grep -q 'bad.edsl:2:11: error' "$TMP/e" \
  || no "a syntax error is refused with its location: $(cat "$TMP/e")"
# CRLF line ends and a missing final newline are normalized.
printf 'seed = 1\r\nreport x = 1   # one\r\n' >"$TMP/crlf.edsl"
"$EDSL" fmt "$TMP/crlf.edsl" >"$TMP/o" && printf 'seed = 1\nreport x = 1  # one\n' | cmp -s - "$TMP/o" || no "CRLF normalized"
# Every file edsl ships (scenarios, the stdlib, the benchmarks) is in fmt's layout.
# shellcheck disable=SC2046
"$EDSL" fmt --check $(find scenarios stdlib bench -name '*.edsl' | sort) >"$TMP/unformatted"
[ ! -s "$TMP/unformatted" ] || no "not in fmt's layout (edsl fmt --write them): $(tr '\n' ' ' <"$TMP/unformatted")"
echo "fmt: $files files, $fails failed"
[ "$fails" -eq 0 ]
