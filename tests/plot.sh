#!/bin/sh
# plot: gnuplot draws each plot of scenarios/plots.edsl into NAME.svg and NAME.png under
# --out; the SVG is well-formed XML with the title and axis labels (units included), the PNG
# has PNG's signature and is 800x500; a second run gives the same bytes; without --out nothing
# is drawn; a sharded run says it draws no plot. Needs $EDSL and $TMP.
set -u
fails=0
no() { fails=$((fails+1)); echo "FAIL: $*"; }
if ! command -v gnuplot >/dev/null 2>&1; then
  echo "SKIP: gnuplot not installed (Debian: gnuplot-nox)"; exit 0
fi
"$EDSL" run scenarios/plots.edsl --out "$TMP/a" >/dev/null 2>"$TMP/e" || no "run --out: $(cat "$TMP/e")"
"$EDSL" run scenarios/plots.edsl --out "$TMP/b" >/dev/null 2>"$TMP/e" || no "second run: $(cat "$TMP/e")"
for f in share_path R0_path giant_component value_paths; do
  for ext in svg png; do
    [ -s "$TMP/a/$f.$ext" ] || no "$f.$ext not written"
    cmp -s "$TMP/a/$f.$ext" "$TMP/b/$f.$ext" || no "$f.$ext differs between two runs"
  done
  python3 - "$TMP/a/$f.svg" "$TMP/a/$f.png" <<'PY' || no "$f: invalid SVG or PNG"
import struct, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
text = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
png = open(sys.argv[2], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "PNG signature"
w, h = struct.unpack(">II", png[16:24])
assert (w, h) == (800, 500), (w, h)
checks = {"share_path": ["Distributed share s(t)", "t (year)", "share", "s(t)"],
          "R0_path": ["R0(t)", "t (year)", "threshold R0 = 1"],
          "giant_component": ["Giant component S", "R0"],
          "value_paths": ["Per-firm value V(x), baseline", "distance to crossing x", "Nash",
                          "cooperative"]}
name = sys.argv[1].rsplit("/", 1)[1][:-4]
for want in checks[name]:
    assert want in text, (name, want, text[:300])
PY
done
ls "$TMP/a" | grep -q '^\.' && no "temporary files left in the output directory"
# No --out: nothing drawn, the output says how.
(cd "$TMP" && "$EDSL" run "$OLDPWD/scenarios/plots.edsl" >"$TMP/o" 2>&1) || no "run without --out"
grep -q 'run with --out DIR to draw share_path.svg and share_path.png' "$TMP/o" || no "no --out: says how to draw"
ls "$TMP"/*.svg >/dev/null 2>&1 && no "a plot drawn without --out"
# Sharded: plots are drawn by unsharded runs only (the shard holds no plot, draws none).
"$EDSL" run scenarios/plots.edsl --shard 1/2 --out "$TMP/sh" >/dev/null 2>"$TMP/e" || no "sharded run: $(cat "$TMP/e")"
ls "$TMP/sh" | grep -q 'svg\|png' && no "a shard drew a plot"
# A plot's data are in the JSON output.
"$EDSL" run scenarios/plots.edsl --format json >"$TMP/j" && python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"]["giant_component_vs_R0"]
assert r["columns"] == ["x", "S"] and r["plot"] == ["giant_component.svg", "giant_component.png"]
assert len(r["rows"]) == 71 and r["rows"][0][0] == 0.5 and r["rows"][0][1] == 0
S = r["rows"][-1][1]; import math
assert abs(S - (1 - math.exp(-4 * S))) < 1e-9, S   # eq. 28 at R0 = 4
' "$TMP/j" || no "JSON holds the plot data, and S solves eq. 28"
# A plot of two paths without x: the first path's 101 points from 0 to x0; each line ends at
# the regime's V(x0) and starts at S, where the two regimes meet (V(0) = S).
python3 -c '
import json, sys
res = json.load(open(sys.argv[1]))["results"]
r = res["value_paths"]
assert r["columns"] == ["x", "Nash", "cooperative"], r["columns"]
x = [row[0] for row in r["rows"]]
assert len(x) == 101 and x[0] == 0 and x[-1] == 0.5 and abs(x[1] - 0.005) < 1e-15, x[:3]
assert r["rows"][0][1] == r["rows"][0][2], r["rows"][0]
assert abs(r["rows"][-1][1] - res["V_nash_x0"]["value"]) < 1e-12
assert abs(r["rows"][-1][2] - res["V_coop_x0"]["value"]) < 1e-12
' "$TMP/j" || no "a plot of paths: x, the lines and their ends"
# gnuplot missing: a clear error, no file left behind.
mkdir -p "$TMP/nogp"
PATH="$TMP/nogp" "$EDSL" run scenarios/plots.edsl --out "$TMP/c" >/dev/null 2>"$TMP/e"; rc=$?
[ $rc -eq 1 ] && grep -q 'gnuplot' "$TMP/e" || no "no gnuplot: exit $rc, $(cat "$TMP/e")"
ls "$TMP/c" 2>/dev/null | grep -q 'svg\|png\|^\.' && no "no gnuplot: files left in --out"
echo "plot: $fails failed"
[ "$fails" -eq 0 ]
