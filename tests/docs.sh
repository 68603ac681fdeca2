#!/bin/sh
# The documentation: its examples run (tests/docs.py: the tutorial's files and commands
# with their printed output, the man page's EXAMPLES), the language reference names every
# block field, function and unit the interpreter knows, and the man page every command
# and option of `edsl --help` (and is free of groff warnings when groff is installed).
# Needs $EDSL.
set -u
fails=0
no() { fails=$((fails+1)); echo "FAIL: $*"; }

python3 tests/docs.py "$EDSL" README.md docs/tutorial.md docs/language.md docs/models.md \
  editors/README.md docs/edsl.1 || no "documentation examples"
[ "$(grep -c '^```console' docs/tutorial.md)" -ge 5 ] || no "the tutorial lost its examples"

# Every function of the interpreter (the registry: edsl --list-builtins), written as a call.
"$EDSL" --list-builtins --json | python3 -c 'import json, sys
for n in sorted({b["name"] for b in json.load(sys.stdin)}): print(n)' >"$TMP/funcs"
[ "$(wc -l <"$TMP/funcs")" -ge 150 ] || no "read only $(wc -l <"$TMP/funcs") functions from the registry"
for f in $(cat "$TMP/funcs"); do
  grep -q "\`$f(" docs/language.md || no "docs/language.md does not name the function $f(...)"
done
# Every field of every block (the schema: edsl --list-fields), every unit, every block keyword.
"$EDSL" --list-fields --json >"$TMP/fields"
FIELDS="$TMP/fields" python3 - <<'PY' || no "docs/language.md misses fields, units or blocks"
import json, os, re, sys
fields = [f["path"] for f in json.load(open(os.environ["FIELDS"]))]
units = re.findall(r'^\s*\{"([A-Za-z]+)", [^,]+, D\(', open("interp/units.c").read(), re.M)
blocks = re.findall(r'\{"([a-z_]+)", BLOCKKW, BK_', open("grammar/lexer.l").read())
doc = open("docs/language.md").read()
missing = [f for f in fields if not re.search(r"\b%s\b" % re.escape(f.split(".")[-1]), doc)]
missing += ["unit " + u for u in units if "`%s`" % u not in doc]
missing += ["block " + b for b in blocks
            if not re.search(r"(`%s( NAME|`)|^%s NAME)" % (b, b), doc, re.M)]
if len(fields) < 150 or len(units) < 13 or len(blocks) < 12:
    sys.exit("read too few fields, units or blocks")
for m in missing:
    print("  missing:", m)
sys.exit(1 if missing else 0)
PY

# The man page: every command and option of --help.
"$EDSL" --help >"$TMP/help" 2>&1
for opt in $(grep -o -- '--[a-z][a-z-]*' "$TMP/help" | sort -u); do
  esc=$(echo "$opt" | sed 's/-/\\\\-/g')
  grep -q -- "$esc" docs/edsl.1 || no "docs/edsl.1 does not document $opt"
done
for cmd in run merge reproduce predictions check dump-ir fmt repl; do
  esc=$(echo "$cmd" | sed 's/-/\\\\-/g')
  grep -q "^\.B edsl $esc\$\|^\.B edsl $esc " docs/edsl.1 || no "docs/edsl.1 synopsis lacks 'edsl $cmd'"
done
if command -v groff >/dev/null 2>&1; then
  groff -man -ww -z docs/edsl.1 >"$TMP/groff" 2>&1 || no "groff fails on docs/edsl.1"
  [ -s "$TMP/groff" ] && { no "groff warns on docs/edsl.1"; cat "$TMP/groff"; }
fi
[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "docs: ok"
