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
grep -q '^\\begin{tabular}{@{}\(D{.}{.}{[-0-9.]*}\)*@{}}$' "$TMP/s.tex" && ok || no "a sweep's columns are aligned on the decimal point: $(grep tabular "$TMP/s.tex" | head -2)"
grep -q '^0.1200 & ' "$TMP/s.tex" && ok || no "a sweep's numbers to 4 significant digits by default: $(grep '^0.12' "$TMP/s.tex")"

# A latex block: the comparison of three scenarios (rows: functions of one scenario) and a
# sweep's table, with digits, LaTeX labels, units; the values are the reports' own.
"$EDSL" run scenarios/compare.edsl --format latex >"$TMP/c.tex" 2>"$TMP/e" && [ ! -s "$TMP/e" ] && ok || no "compare: $(cat "$TMP/e")"
grep -q '^\\label{tab:counterfactuals}$' "$TMP/c.tex" && grep -q '^\\caption{Crossing times: the baseline and two counterfactuals}$' "$TMP/c.tex" \
  && ok || no "caption and label as given"
grep -q '^ & \\multicolumn{1}{c}{Baseline} & \\multicolumn{1}{c}{\$S_T = 0.2\$} & \\multicolumn{1}{c}{\$N = 2\$} \\\\$' "$TMP/c.tex" \
  && ok || no "scenario columns with LaTeX labels: $(grep Baseline "$TMP/c.tex")"
"$EDSL" run scenarios/compare.edsl --format json >"$TMP/c.json" && python3 - "$TMP/c.json" "$TMP/c.tex" <<'PY' && ok || no "the comparison's cells are the values, to 3 digits"
import json, re, sys
r = json.load(open(sys.argv[1]))["results"]
tex = open(sys.argv[2]).read()
rows = {"T_nash": r"\$T\^\*_N\$ \(year\)", "T_coop": r"\$T\^\*_C\$ \(year\)", "loss": "welfare loss"}
for fn, pat in rows.items():
    line = re.search("^" + pat + " & (.*) \\\\\\\\$", tex, re.M).group(1).split(" & ")
    for cell, scn in zip(line, ["baseline", "training_value", "duopoly"]):
        v = r["counterfactuals.%s.%s" % (fn, scn)]["value"]
        assert cell == "%s" % ("%#.3g" % v).rstrip("."), (fn, scn, cell, v)
assert "counterfactuals" not in r, "the comparison itself is LaTeX's"
PY
grep -q '^10 & 0.55 & 3.54 \\\\$' "$TMP/c.tex" && ok || no "whole numbers as such, decimals = 2: $(grep '^10 ' "$TMP/c.tex")"
# A table of reports with their own labels; they leave the general table of reports.
grep -q '^\$\\alpha\$ (HBM packaging) & 0.210 \\\\$' "$TMP/c.tex" && ok || no "a table of reports: $(grep HBM "$TMP/c.tex")"
grep -q '^alpha\\_hbm' "$TMP/c.tex" && no "a report set by a latex block is in the general table too" || ok
# Too wide: the warning and LaTeX agree (two-column article, \columnwidth 241 pt).
sed 's/  digits = 3/  digits = 12/; s|import "baseline.edsl"|import "'"$PWD"'/scenarios/baseline.edsl"|' scenarios/compare.edsl >"$TMP/wide.edsl"
"$EDSL" run "$TMP/wide.edsl" --format latex >"$TMP/wide.tex" 2>"$TMP/we"
grep -q "warning: latex 'counterfactuals': the table is about [0-9]* pt wide, more than its width of 241 pt" "$TMP/we" && ok || no "a table too wide is said: $(cat "$TMP/we")"

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
  # the comparison in a two-column article: no overfull box; the too-wide one: one
  for f in c wide; do
    printf '\\documentclass[twocolumn]{article}\n\\usepackage{booktabs,dcolumn}\n\\begin{document}\n\\input{%s}\nText.\n\\end{document}\n' "$TMP/$f.tex" >"$TMP/two_$f.tex"
    (cd "$TMP" && pdflatex -interaction=nonstopmode -halt-on-error "two_$f.tex" >/dev/null 2>&1) || no "two-column $f: pdflatex failed"
  done
  grep -q 'Overfull' "$TMP/two_c.log" && no "the comparison is overfull in a two-column article" || ok
  grep -q 'Overfull' "$TMP/two_wide.log" && ok || no "the too-wide table is not overfull: the warning was wrong"
  { printf '\\documentclass{article}\n\\usepackage{booktabs,dcolumn}\n\\begin{document}\n'
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
