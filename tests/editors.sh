#!/bin/sh
# The editor modes of editors/, one part per CTest case; a part whose editor or tool is not
# installed exits 77 (skipped). Run from the repository root; needs $EDSL for fmt.
#   words        every mode's keyword and unit lists equal the lexer's and the unit table's
#   vim          syntax groups of the fixture (golden), indentation equals edsl fmt's,
#                ftplugin settings (commentstring)
#   emacs        byte-compiles without warnings; faces of the fixture (golden); indentation
#                equals edsl fmt's; comment-region
#   vscode       the TextMate grammar tokenizes the fixture to its golden scopes with
#                vscode-textmate + vscode-oniguruma; no invalid token in any valid file
#   tree-sitter  (node) the grammar's rules and the queries' nodes are consistent; (CLI)
#                grammar generates; corpus tests pass; every valid .edsl file parses
#                with no ERROR node; the highlight captures of the fixture equal
#                editors/test/highlight.tree-sitter; tree-sitter highlight colours it
#                (scripts/tree-sitter.sh provides the CLI)
# UPDATE=1 rewrites the golden files editors/test/highlight.{vim,emacs,vscode}.
set -u
part=$1
fails=0
no() { fails=$((fails+1)); echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fixture=editors/test/highlight.edsl

golden() { # name actual
  if [ "${UPDATE:-}" = 1 ]; then cp "$2" "editors/test/highlight.$1"; echo "updated highlight.$1"; return; fi
  cmp -s "editors/test/highlight.$1" "$2" || { no "$1 highlighting differs from editors/test/highlight.$1"; diff -u "editors/test/highlight.$1" "$2" | head -30; }
}

# The files that compile: their canonical layout (edsl fmt) is what indentation must give.
formatted_files() {
  mkdir -p "$tmp/fmt"
  for f in $(find scenarios stdlib bench editors/test tests -name '*.edsl' | sort); do
    "$EDSL" check "$f" >/dev/null 2>&1 || continue
    out=$tmp/fmt/$(echo "$f" | tr / _)
    "$EDSL" fmt "$f" >"$out" 2>/dev/null || no "fmt $f"
    echo "$out"
  done >"$tmp/fmt.list"
  [ "$(wc -l <"$tmp/fmt.list")" -gt 100 ] || no "fewer than 100 valid .edsl files found"
}

# The fixture without indentation: the modes must put it back as edsl fmt writes it (the
# rows of its table start at the brace's level, as their numbers are as wide).
sed 's/^[ \t]*//' "$fixture" >"$tmp/flat.edsl"

case $part in
words)
  # lexer.l's keyword table and units.c's unit table against each mode's lists
  lex_words=$(python3 - <<'PY'
import re
src = open("grammar/lexer.l").read()
print(" ".join(sorted(re.findall(r'\{"([a-z_]+)", [A-Z]+, [A-Z_0-9]+\}', src))))
PY
)
  units=$(python3 - <<'PY'
import re
src = open("interp/units.c").read()
print(" ".join(sorted(re.findall(r'^\s*\{"([A-Za-z]+)", [^,]+, D\(', src, re.M))))
PY
)
  [ "$(echo "$lex_words" | wc -w)" -ge 27 ] || no "read only $(echo "$lex_words" | wc -w) keywords from lexer.l"
  [ "$(echo "$units" | wc -w)" -ge 13 ] || no "read only $(echo "$units" | wc -w) units from units.c"
  for w in $lex_words; do
    grep -qw "$w" editors/vim/syntax/edsl.vim || no "vim syntax lacks keyword $w"
    grep -q "\"$w\"" editors/emacs/edsl-mode.el || no "emacs mode lacks keyword $w"
    grep -q "$w" editors/vscode/syntaxes/edsl.tmLanguage.json || no "vscode grammar lacks keyword $w"
    grep -q "'$w'" editors/tree-sitter/grammar.js || no "tree-sitter grammar lacks keyword $w"
  done
  for u in $units; do
    grep -qw "$u" editors/vim/syntax/edsl.vim || no "vim syntax lacks unit $u"
    grep -q "\"$u\"" editors/emacs/edsl-mode.el || no "emacs mode lacks unit $u"
    grep -q "$u" editors/vscode/syntaxes/edsl.tmLanguage.json || no "vscode grammar lacks unit $u"
    grep -qw "$u" editors/tree-sitter/queries/highlights.scm || no "tree-sitter highlights lack unit $u"
  done
  ;;
vim)
  command -v vim >/dev/null 2>&1 || skip "vim not installed"
  formatted_files
  vim -Nu NONE -i NONE -es --cmd 'set rtp^=editors/vim' -S editors/test/vim-test.vim \
    -c "call EdslFaces('$fixture', '$tmp/faces')" \
    -c "call EdslSettings('$fixture', '$tmp/settings')" \
    -c "call EdslIndentCheck('$tmp/fmt.list', '$tmp/indent')" \
    -c "call EdslReindent('$tmp/flat.edsl', '$tmp/reindented')" -c 'qa!' || no "vim exited $?"
  golden vim "$tmp/faces"
  grep -qx 'commentstring=# %s' "$tmp/settings" && grep -qx 'filetype=edsl' "$tmp/settings" \
    || { no "ftplugin settings"; cat "$tmp/settings"; }
  tail -1 "$tmp/indent"
  grep -q ' 0 of [0-9]* lines differ' "$tmp/indent" || { no "vim indentation differs from edsl fmt"; head -20 "$tmp/indent"; }
  cmp -s "$tmp/reindented" "$fixture" || { no "vim re-indents the flattened fixture differently"; diff "$fixture" "$tmp/reindented" | head; }
  ;;
emacs)
  command -v emacs >/dev/null 2>&1 || skip "emacs not installed"
  formatted_files
  cp editors/emacs/edsl-mode.el "$tmp/"
  emacs -Q --batch --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile "$tmp/edsl-mode.el" \
    >"$tmp/compile" 2>&1 || { no "edsl-mode.el does not byte-compile without warnings"; cat "$tmp/compile"; }
  grep -i 'warning' "$tmp/compile" && no "byte-compilation printed a warning"
  t="emacs -Q --batch -l editors/test/emacs-test.el"
  $t -f edsl-test-faces "$fixture" >"$tmp/faces" 2>"$tmp/err" || { no "faces"; cat "$tmp/err"; }
  golden emacs "$tmp/faces"
  # shellcheck disable=SC2046
  $t -f edsl-test-indent $(cat "$tmp/fmt.list") >"$tmp/indent" 2>"$tmp/err" \
    || { no "emacs indentation differs from edsl fmt"; head -20 "$tmp/indent"; }
  tail -1 "$tmp/indent"
  $t -f edsl-test-reindent "$tmp/flat.edsl" >"$tmp/reindented" 2>"$tmp/err"
  cmp -s "$tmp/reindented" "$fixture" || { no "emacs re-indents the flattened fixture differently"; diff "$fixture" "$tmp/reindented" | head; }
  $t -f edsl-test-comment >"$tmp/out" 2>&1 || { no "comment-region"; cat "$tmp/out"; }
  ;;
vscode)
  [ -d editors/vscode/node_modules/vscode-textmate ] && [ -d editors/vscode/node_modules/vscode-oniguruma ] \
    || skip "vscode-textmate/vscode-oniguruma not installed (npm ci --prefix editors/vscode)"
  command -v node >/dev/null 2>&1 || skip "node not installed"
  node editors/vscode/test/tokenize.js "$fixture" >"$tmp/tokens" || no "tokenize.js failed"
  golden vscode "$tmp/tokens"
  # every file that compiles tokenizes without an invalid.* scope; a bad escape does not
  files=$(for f in $(find scenarios stdlib bench editors/test tests -name '*.edsl' | sort); do
            "$EDSL" check "$f" >/dev/null 2>&1 && echo "$f"; done)
  # shellcheck disable=SC2086
  node editors/vscode/test/tokenize.js --clean $files | tail -1
  # shellcheck disable=SC2086
  node editors/vscode/test/tokenize.js --clean $files >/dev/null || no "an invalid token in a valid file"
  node editors/vscode/test/tokenize.js --clean tests/errors/lex_bad_escape.edsl >/dev/null \
    && no "the bad escape of tests/errors/lex_bad_escape.edsl is not marked invalid"
  node -e 'JSON.parse(require("fs").readFileSync("editors/vscode/language-configuration.json"))' \
    || no "language-configuration.json is not JSON"
  ;;
tree-sitter)
  # Without the CLI: the grammar loads, references only defined rules, and the highlight
  # queries name only its nodes and fields. Then, with the CLI, the real tests.
  if command -v node >/dev/null 2>&1; then
    (cd editors/tree-sitter && node test/check-grammar.js grammar.js queries/highlights.scm) \
      || no "grammar.js or highlights.scm is inconsistent"
    [ $fails -eq 0 ] || exit 1
  fi
  command -v tree-sitter >/dev/null 2>&1 || skip "tree-sitter CLI not installed"
  cp -r editors/tree-sitter "$tmp/ts"
  (cd "$tmp/ts" && tree-sitter generate) >"$tmp/gen" 2>&1 || { no "tree-sitter generate"; cat "$tmp/gen"; }
  (cd "$tmp/ts" && tree-sitter test) >"$tmp/test" 2>&1 || { no "tree-sitter test (corpus)"; tail -30 "$tmp/test"; }
  files=$(for f in $(find scenarios stdlib bench editors/test tests -name '*.edsl' | sort); do
            "$EDSL" check "$f" >/dev/null 2>&1 && echo "$(pwd)/$f"; done)
  n=0
  for f in $files; do
    n=$((n+1))
    (cd "$tmp/ts" && tree-sitter parse --quiet "$f") >"$tmp/parse" 2>&1 || { no "$f has an ERROR or MISSING node"; head -5 "$tmp/parse"; }
  done
  echo "$n files parsed"
  root=$(pwd)
  # The highlight queries' captures on the fixture, against its golden, as the other modes'.
  (cd "$tmp/ts" && tree-sitter query queries/highlights.scm "$root/$fixture") 2>/dev/null |
    sed -n 's/^ *capture: [0-9]* - \([^,]*\), start: (\([0-9]*\), \([0-9]*\)), end: (\([0-9]*\), \([0-9]*\)), text: `\(.*\)`$/\2:\3-\4:\5 \1 \6/p' \
    >"$tmp/captures"
  [ "$(wc -l <"$tmp/captures")" -gt 50 ] || no "the highlight queries capture $(wc -l <"$tmp/captures") tokens of the fixture"
  golden tree-sitter "$tmp/captures"
  # `tree-sitter highlight` through a configuration that names the grammar's directory and a
  # colour for each capture: the fixture comes out coloured, with no language missing.
  mkdir -p "$tmp/parsers"
  cp -r "$tmp/ts" "$tmp/parsers/tree-sitter-edsl"
  theme=$(cut -d' ' -f2 "$tmp/captures" | sort -u | awk '{printf "%s\"%s\": %d", (NR > 1 ? ", " : ""), $1, NR % 7 + 1}')
  printf '{"parser-directories": ["%s"], "theme": {%s}}\n' "$tmp/parsers" "$theme" >"$tmp/config.json"
  (cd "$tmp" && tree-sitter highlight --config-path "$tmp/config.json" "$root/$fixture") >"$tmp/hl" 2>"$tmp/hl.err" ||
    no "tree-sitter highlight: $(cat "$tmp/hl.err")"
  grep -q 'No language found' "$tmp/hl.err" "$tmp/hl" && no "tree-sitter highlight finds no grammar: $(head -3 "$tmp/hl.err")"
  [ "$(grep -c "$(printf '\033')\[" "$tmp/hl")" -gt 20 ] || no "tree-sitter highlight colours nothing"
  ;;
*) echo "usage: editors.sh words|vim|emacs|vscode|tree-sitter"; exit 2 ;;
esac
[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "editors $part: ok"
