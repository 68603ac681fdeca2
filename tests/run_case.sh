#!/bin/sh
# One CTest case. Run from the repository root.
#   golden BIN FILE FMT   run FILE in format FMT, compare with tests/golden/NAME.FMT
#   rerun  BIN FILE       two runs give byte-identical JSON
#   error  BIN FILE       bad input: stderr equals FILE's .expected, exit code as its "# exit:"
#   repl   BIN FILE.in    piped session, stdout equals FILE.out line by line
#   cli    BIN SCRIPT     shell script of CLI checks (BIN in $EDSL)
# UPDATE=1 rewrites the expected files instead of comparing (then review with git diff).
# EDSL_VALGRIND=1 runs BIN under valgrind's memcheck: any memory error or definite leak fails.
set -u
mode=$1 bin=$2 file=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "${EDSL_VALGRIND:-}" = 1 ]; then
  printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s" "$@"\n' \
    "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" >"$tmp/edsl-valgrind"
  chmod +x "$tmp/edsl-valgrind"
  bin=$tmp/edsl-valgrind
fi
name=$(basename "$file" | sed 's/\.[^.]*$//')
case $file in scenarios/paper/*) name=paper_$name ;; esac  # beside scenarios/ of the same name

compare() { # expected actual
  if [ "${UPDATE:-}" = 1 ]; then cp "$2" "$1"; echo "updated $1"; return 0; fi
  if ! cmp -s "$1" "$2"; then
    echo "FAIL: output differs from $1"; diff -u "$1" "$2" | head -40
    echo "to accept: UPDATE=1 ctest -R '$name'"
    return 1
  fi
}

case $mode in
golden)
  fmt=$4
  "$bin" run "$file" --format "$fmt" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ $rc -eq 0 ] || { echo "FAIL: exit $rc"; cat "$tmp/err"; exit 1; }
  [ -s "$tmp/err" ] && { echo "FAIL: unexpected stderr"; cat "$tmp/err"; exit 1; }
  if [ "$fmt" = json ]; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || { echo "FAIL: invalid JSON"; exit 1; }
  fi
  # the source's revision (git describe) changes with every commit: goldens hold a placeholder
  sed -i 's/"edsl_revision": "[^"]*"/"edsl_revision": "@REVISION@"/' "$tmp/out"
  compare "tests/golden/$name.$fmt" "$tmp/out" || exit 1
  # Files written under --out (a sample's draws go only there): their bytes, by hash.
  if [ "$fmt" = csv ] && grep -q '} to "' "$file"; then
    "$bin" run "$file" --out "$tmp/o" >/dev/null 2>"$tmp/err" || { echo "FAIL: --out run"; cat "$tmp/err"; exit 1; }
    sed -i 's/"edsl_revision": "[^"]*"/"edsl_revision": "@REVISION@"/' "$tmp/o/$name.provenance.json"
    (cd "$tmp/o" && for f in *; do [ "$f" = "$name.txt" ] || sha256sum "$f"; done) >"$tmp/files"
    compare "tests/golden/$name.files" "$tmp/files"
  fi ;;
rerun)
  "$bin" run "$file" --format json >"$tmp/a" && "$bin" run "$file" --format json >"$tmp/b" || exit 1
  cmp "$tmp/a" "$tmp/b" || { echo "FAIL: reruns differ"; exit 1; } ;;
error)
  want=$(sed -n 's/^# exit: *\([0-9]*\).*/\1/p' "$file" | head -1)
  [ -n "$want" ] || { echo "FAIL: $file has no '# exit:' line"; exit 1; }
  args=$(sed -n 's/^# args: *//p' "$file" | head -1)
  # shellcheck disable=SC2086
  "$bin" run "$file" $args >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ "$rc" -eq "$want" ] || { echo "FAIL: exit $rc, want $want"; cat "$tmp/err"; exit 1; }
  [ -s "$tmp/out" ] && { echo "FAIL: output on stdout for bad input"; cat "$tmp/out"; exit 1; }
  grep -qi 'nan' "$tmp/err" && grep -q 'value' "$tmp/err" && { echo "FAIL: NaN reported as a value"; exit 1; }
  compare "${file%.edsl}.expected" "$tmp/err" ;;
repl)
  EDSL_HISTORY="$tmp/hist" "$bin" repl <"$file" >"$tmp/out" 2>&1; rc=$?
  [ $rc -eq 0 ] || { echo "FAIL: repl exit $rc"; cat "$tmp/out"; exit 1; }
  compare "${file%.in}.out" "$tmp/out" ;;
cli)
  EDSL="$bin" TMP="$tmp" sh "$file" ;;
*) echo "unknown mode $mode"; exit 2 ;;
esac
