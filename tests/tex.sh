#!/bin/sh
# edsl tex: the model of every shipped scenario and stdlib model as LaTeX equations; the
# papers' symbols where a reader looks for them; dynamics as d state / dt; user functions;
# --out writes NAME.model.tex; and (with a LaTeX engine) all of them compile in one document
# with amsmath, beside a latex-format results table. Needs $EDSL and $TMP.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
"$EDSL" tex scenarios/baseline.edsl >"$TMP/b.tex" 2>"$TMP/e" && [ ! -s "$TMP/e" ] && ok || no "baseline: $(cat "$TMP/e")"
grep -q '^% input scenarios/baseline.edsl sha256:' "$TMP/b.tex" && ok || no "provenance"
grep -q '^N &= 5 && \\text{firms} \\\\$' "$TMP/b.tex" && ok || no "firms as N: $(grep firms "$TMP/b.tex")"
grep -q '^\\delta &= 30\\%/\\mathrm{year}' "$TMP/b.tex" && ok || no "delta with its unit"
grep -q 'S_{I} &= \\frac{N \\, {a}^{2}}{b \\, {\\left(N + 1\\right)}^{2}}/\\mathrm{year}' "$TMP/b.tex" && ok ||
  no "a block's own fields by their symbols: $(grep S_{I} "$TMP/b.tex")"
EDSL_HOME=. "$EDSL" tex stdlib/models/bass.edsl >"$TMP/bass.tex" 2>"$TMP/e" && ok || no "bass: $(cat "$TMP/e")"
grep -q '\\frac{ds}{dt} &= ' "$TMP/bass.tex" && ok || no "a rate as ds/dt: $(grep rate "$TMP/bass.tex")"
grep -q '^s(t_0) &= 0' "$TMP/bass.tex" && ok || no "an initial value"
"$EDSL" tex scenarios/compare.edsl >"$TMP/c.tex" && grep -q '\\operatorname{T\\_nash}\\left(s\\right) &= \\operatorname{crossing\\_time}\\left(s, \\mathit{nash}\\right)' "$TMP/c.tex" \
  && ok || no "a user function: $(grep T\\\\_nash "$TMP/c.tex" | head -2)"
"$EDSL" tex scenarios/baseline.edsl --out "$TMP/o" && [ -s "$TMP/o/baseline.model.tex" ] && cmp -s "$TMP/o/baseline.model.tex" "$TMP/b.tex" \
  && ok || no "--out writes baseline.model.tex"
"$EDSL" tex scenarios/baseline.edsl --set inference.firms=3 >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "tex takes no --set (usage)"
"$EDSL" tex tests/errors/plot_options.edsl >/dev/null 2>&1; [ $? -eq 1 ] && ok || no "a file that does not compile: exit 1"
if command -v pdflatex >/dev/null 2>&1; then
  { printf '\\documentclass{article}\n\\usepackage{amsmath,booktabs,dcolumn}\n\\begin{document}\n'
    for f in scenarios/*.edsl scenarios/paper/*.edsl stdlib/models/*.edsl; do
      n=$(echo "$f" | tr '/' '_')
      EDSL_HOME=. "$EDSL" tex "$f" >"$TMP/$n.tex" 2>"$TMP/e" || no "$f: $(head -3 "$TMP/e")"
      printf '\\section*{%s}\n\\input{%s}\n\\clearpage\n' "$(echo "$f" | sed 's/_/\\_/g')" "$TMP/$n.tex"
    done
    "$EDSL" run scenarios/compare.edsl --format latex >"$TMP/results.tex" 2>/dev/null
    printf '\\input{%s}\n\\end{document}\n' "$TMP/results.tex"; } >"$TMP/all.tex"
  (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error all.tex >latex.log 2>&1) \
    && [ -s "$TMP/all.pdf" ] && ok || { no "pdflatex failed"; grep -A5 '^!' "$TMP/latex.log" | head -20; }
  grep -q 'Undefined control' "$TMP/all.log" && no "undefined control sequence" || ok
else
  echo "SKIP: pdflatex not installed"
fi
echo "tex: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
