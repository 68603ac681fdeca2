#!/bin/sh
# Top-level parameters are varied as block fields are (--set NAME=VALUE, a scenario's
# override, a sweep axis, an uncertain input): each run must equal the same model with the
# value written into the block (tests/params/direct.edsl --set m.discount=...). Needs $EDSL and
# $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
D=tests/params
val() { sed -n "s/^$1,\([^,]*\),.*/\1/p" "$2"; } # NAME FILE: a scalar of a CSV output
direct() { "$EDSL" run $D/direct.edsl --format csv --set "m.discount=$1" | sed -n 's/^T,\([^,]*\),.*/\1/p'; }
same() { [ -n "$1" ] && [ "$1" = "$2" ] && ok || no "$3: $1 vs $2"; }

"$EDSL" run $D/params.edsl --format csv >"$TMP/p.csv" || no "params run"
same "$(val T "$TMP/p.csv")" "$(direct '5 %/year')" "the parameter's own value"
same "$(val T_hi "$TMP/p.csv")" "$(direct '10 %/year')" "a scenario's override of r"
same "$(val k_year "$TMP/p.csv")" "0.1" "k = 2 r follows r"
"$EDSL" run $D/params.edsl --format csv --set 'r=10 %/year' >"$TMP/p10.csv" || no "--set run"
same "$(val T "$TMP/p10.csv")" "$(direct '10 %/year')" "--set r"
same "$(val k_year "$TMP/p10.csv")" "0.2" "k follows --set r"
same "$(val T_hi "$TMP/p10.csv")" "$(direct '10 %/year')" "the scenario's override over --set"
# the sweep's rows: r, then T
rows=$(sed -n '/^r (1\/year),T (year)/,/^$/p' "$TMP/p.csv" | sed -n '2,3p' | cut -d, -f2 | tr '\n' ' ')
same "$rows" "$(direct '2 %/year') $(direct '10 %/year') " "the sweep over r"
# a sweep point wins over --set, as it does for a block field
rows=$("$EDSL" run $D/params.edsl --format csv --set 'r=7 %/year' |
  sed -n '/^r (1\/year),T (year)/,/^$/p' | sed -n '2,3p' | cut -d, -f2 | tr '\n' ' ')
same "$rows" "$(direct '2 %/year') $(direct '10 %/year') " "the sweep over --set"
# LHS: exactly half of 40 draws of uniform(2 %, 8 %) fall below its median
same "$(val below "$TMP/p.csv")" "0.5" "the sample draws r"

echo "params: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
