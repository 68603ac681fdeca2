#!/bin/sh
# --format latex: booktabs tables with provenance, special characters escaped, and (when a
# LaTeX engine is installed) every scenario's tables compile in a document. Needs $EDSL, $TMP.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }

"$EDSL" run scenarios/baseline.edsl --format latex --set inference.firms=10 >"$TMP/b.tex" 2>"$TMP/e" \
  && ok || no "baseline in latex: $(cat "$TMP/e")"
grep -q '^% edsl [0-9]' "$TMP/b.tex" && grep -q '^% input scenarios/baseline.edsl sha256:' "$TMP/b.tex" \
  && grep -q '^% seed 42$' "$TMP/b.tex" && grep -q '^% set inference.firms=10$' "$TMP/b.tex" \
  && ok || no "provenance comment (version, input hash, seed, override)"
grep -q '^T\\_star\\_nash & \$' "$TMP/b.tex" && ok || no "underscores escaped in names"
n_top=$(grep -c '^\\toprule$' "$TMP/b.tex"); n_bot=$(grep -c '^\\bottomrule$' "$TMP/b.tex")
[ "$n_top" -gt 0 ] && [ "$n_top" = "$n_bot" ] && ok || no "every table has toprule and bottomrule"

# A sweep: one column per swept value and result, units in a second header row.
"$EDSL" run scenarios/alpha_sensitivity.edsl --format latex >"$TMP/s.tex" 2>"$TMP/e" && ok || no "sweep in latex"
grep -q '^\\begin{tabular}{r*}' "$TMP/s.tex" && ok || no "a sweep's columns are right-aligned"

# Exponents as powers of ten, percent and other specials escaped.
cat >"$TMP/x.edsl" <<'X'
report tiny_num = 1.5e-7
report big_num = 2e12
report percent_x = 25 %
X
"$EDSL" run "$TMP/x.edsl" --format latex >"$TMP/x.tex" 2>"$TMP/e" && ok || no "specials: $(cat "$TMP/e")"
grep -q 'tiny\\_num & \$1.5\\times10^{-7}\$' "$TMP/x.tex" && ok || no "1.5e-07 as 1.5 x 10^-7: $(grep tiny "$TMP/x.tex")"
grep -q 'big\\_num & \$2\\times10^{12}\$' "$TMP/x.tex" && ok || no "2e12 as 2 x 10^12: $(grep big "$TMP/x.tex")"

# --out writes NAME.tex atomically beside the other formats' names.
"$EDSL" run scenarios/baseline.edsl --format latex --out "$TMP/o" >/dev/null 2>&1 && [ -s "$TMP/o/baseline.tex" ] \
  && ok || no "--out writes baseline.tex"
"$EDSL" predictions scenarios/paper/predictions_smirl_c_2026.edsl --data stdlib/data/observations.edsl \
  --format latex >/dev/null 2>&1; [ $? -eq 2 ] && ok || no "predictions refuse --format latex (usage error)"

# Compile every scenario's tables in one document, when a LaTeX engine is installed.
if command -v pdflatex >/dev/null 2>&1 && kpsewhich booktabs.sty >/dev/null 2>&1; then
  { printf '\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n'
    for f in scenarios/*.edsl scenarios/paper/*.edsl; do
      n=$(basename "$f" .edsl)
      "$EDSL" run "$f" --format latex >"$TMP/$n.tex" 2>"$TMP/e" || no "$f in latex: $(head -3 "$TMP/e")"
      printf '\\input{%s}\n\\clearpage\n' "$TMP/$n.tex"
    done
    # every LaTeX special, a blank line and a tab in a reported string: it compiles, and
    # \\input{...} in it is text, not a command
    printf 'report s = "a\\"b\\\\c & 50%% $x$ #1 _u_ {b} ~ ^ \\\\input{/etc/passwd}\\n\\nz\\t"\n' >"$TMP/hostile.edsl"
    "$EDSL" run "$TMP/hostile.edsl" --format latex >"$TMP/hostile.tex" 2>"$TMP/e" || no "hostile string in latex: $(head -3 "$TMP/e")"
    printf '\\input{%s}\n' "$TMP/hostile.tex"
    printf '\\end{document}\n'; } >"$TMP/all.tex"
  (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error all.tex >latex.log 2>&1) \
    && [ -s "$TMP/all.pdf" ] && ok || { no "pdflatex failed"; grep -A5 '^!' "$TMP/latex.log" | head -20; }
  grep -q 'Undefined control' "$TMP/latex.log" && no "undefined control sequence" || ok
  grep -q 'textbackslash{}input\\{/etc/passwd\\}' "$TMP/hostile.tex" && ok ||
    no "\\input in a string is escaped: $(grep input "$TMP/hostile.tex")"
else
  echo "SKIP: pdflatex with booktabs not installed (Debian: texlive-latex-base texlive-latex-recommended)"
fi
echo "latex: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
