#!/bin/sh
# The models of stdlib/models, written in the language, against independent values: each file
# reports X beside X_ref (a built-in computed another way, or a closed form) and every pair
# must agree to 1e-9 (relative). Needs $EDSL and $TMP; run from the repository root.
set -u
fails=0 passes=0
ok() { passes=$((passes+1)); }
no() { fails=$((fails+1)); echo "FAIL: $*"; }
for f in stdlib/models/*.edsl; do
  EDSL_HOME=. "$EDSL" run "$f" --format json >"$TMP/m.json" 2>"$TMP/m.err" || { no "$f does not run: $(cat "$TMP/m.err")"; continue; }
  python3 - "$TMP/m.json" "$f" <<'PY' && ok || no "$f"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
pairs = [k[:-4] for k in r if k.endswith("_ref")]
bad = []
for k in pairs:
    a, b = r[k]["value"], r[k + "_ref"]["value"]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b)) or abs(a - b) > 1e-9 * max(abs(b), 1e-300):
        bad.append("%s = %r, %s_ref = %r" % (k, a, k, b))
for m in bad:
    print("  " + m, file=sys.stderr)
sys.exit(1 if bad or not pairs else 0)
PY
done
echo "stdlib: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
