#!/bin/sh
# plot: gnuplot draws each plot of scenarios/plots.edsl into NAME.svg and NAME.png under
# --out; the SVG is well-formed XML with the title and axis labels (units included), the PNG
# has PNG's signature and is 800x500; a second run gives the same bytes; without --out nothing
# is drawn; a sharded run says it draws no plot. Needs $EDSL and $TMP.
set -u
fails=0
PY=/usr/bin/python3 # Debian's, with NumPy
[ -x $PY ] || PY=python3
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
# PDF and EPS at the size given, PNG and SVG at 50 pixels per cm; the same bytes twice.
for f in crossing_by_firms.pdf crossing_by_firms.eps crossing_by_firms.svg T_nash_hist.pdf \
         T_nash_hist.png T_nash_density.pdf T_nash_density.svg; do
  [ -s "$TMP/a/$f" ] || no "$f not written"
  cmp -s "$TMP/a/$f" "$TMP/b/$f" || no "$f differs between two runs"
done
for f in T_nash_hist.svg T_nash_density.png crossing_by_firms.png; do
  [ -e "$TMP/a/$f" ] && no "$f drawn though its plot's formats leave it out"
done
$PY - "$TMP/a" <<'PY' || no "PDF/EPS: sizes, dates"
import re, sys
d = sys.argv[1]
pdf = open(d + "/crossing_by_firms.pdf", "rb").read()
assert pdf.startswith(b"%PDF-"), pdf[:8]
box = [float(v) for v in re.search(rb"/MediaBox \[\s*([-\d. ]+)\]", pdf).group(1).split()]
assert abs(box[2] - 12 / 2.54 * 72) < 1 and abs(box[3] - 8 / 2.54 * 72) < 1, box  # 12 x 8 cm
assert b"D:19700101000000Z" in pdf, "the PDF's creation date is fixed"
eps = open(d + "/crossing_by_firms.eps", "rb").read()
assert eps.startswith(b"%!PS-Adobe-3.0 EPSF-3.0"), eps[:30]
bb = [int(v) for v in re.search(rb"%%BoundingBox: (\d+) (\d+) (\d+) (\d+)", eps).groups()]
assert abs(bb[2] - 340) <= 1 and abs(bb[3] - 227) <= 1, bb
assert b"%%CreationDate: Thu Jan  1 00:00:00 1970" in eps
hist = open(d + "/T_nash_hist.pdf", "rb").read()
assert abs(float(re.search(rb"/MediaBox \[\s*[-\d.]+ [-\d.]+ ([\d.]+)", hist).group(1)) - 16 / 2.54 * 72) < 1
PY
# The data of the new plots against NumPy: the sweep's rows as lines by N, the histogram as
# numpy.histogram of the sample's draws, the density as the kernel sum written out in NumPy.
"$EDSL" run scenarios/plots.edsl --format json >"$TMP/j2" || no "json run"
$PY - "$TMP/j2" "$TMP/a/T_draws.csv" <<'PY' || no "plot data against NumPy"
import csv, json, sys
import numpy as np
res = json.load(open(sys.argv[1]))["results"]
sweep = res["T_by_firms"]
p = res["crossing_by_firms"]
assert p["columns"] == ["x", "N = 2", "N = 3", "N = 5", "N = 10"], p["columns"]
assert p["plot"] == ["crossing_by_firms.svg", "crossing_by_firms.pdf", "crossing_by_firms.eps"], p["plot"]
assert len(p["rows"]) == 9
want = {(row[0], row[1]): row[2] for row in sweep["rows"]}
for row in p["rows"]:
    for j, n in enumerate([2, 3, 5, 10]):
        assert row[j + 1] == want[(n, row[0])], (row, n)
rows = [r for r in csv.reader(l for l in open(sys.argv[2]) if not l.startswith("#"))]
col = [c.split(" (")[0] for c in rows[0]].index("T_nash")
T = np.array([float(r[col]) for r in rows[1:]])
assert len(T) == 4000
h = res["T_nash_hist"]
counts, edges = np.histogram(T, bins=25)
assert [r[1] for r in h["rows"]] == counts.tolist(), "histogram counts"
assert np.allclose([r[0] for r in h["rows"]], (edges[:-1] + edges[1:]) / 2, rtol=1e-14, atol=0)
den = res["T_nash_density"]
sd = T.std(ddof=1)
q75, q25 = np.percentile(T, [75, 25])
bw = 0.9 * min(sd, (q75 - q25) / 1.34) * len(T) ** -0.2
grid = np.linspace(T.min() - 3 * bw, T.max() + 3 * bw, 512)
f = np.exp(-0.5 * ((grid[:, None] - T[None, :]) / bw) ** 2).sum(1) / (len(T) * bw * np.sqrt(2 * np.pi))
got = np.array([r[1] for r in den["rows"]])
assert np.allclose([r[0] for r in den["rows"]], grid, rtol=1e-12, atol=1e-15)
assert np.max(np.abs(got - f)) < 1e-10 * f.max(), np.max(np.abs(got - f))
assert abs(np.trapz(got, grid) - 1) < 1e-3
assert den["units"][1] == "1/year", den["units"]
PY
# The band: y drawn again at each draw of the sample; at t = 5 its quantiles are NumPy's
# (linear, R's type 7) of the sample's own s5 = share(edge_ai, 5 year) column.
$PY - "$TMP/j2" "$TMP/a/gamma_draws.csv" <<'PY' || no "the band against NumPy's quantiles of the draws"
import csv, json, sys
import numpy as np
r = json.load(open(sys.argv[1]))["results"]["share_band"]
assert r["columns"] == ["x", "s(t), gamma = 1", "q0.05", "q0.95"], r["columns"]
rows = {round(row[0], 9): row for row in r["rows"]}
rd = list(csv.reader(open(sys.argv[2])))
s5 = np.array([float(x[rd[0].index("s5")]) for x in rd[1:]])
assert len(s5) == 200
lo, hi = np.percentile(s5, [5, 95])
row = rows[5.0]
assert abs(row[2] - lo) < 1e-12 * max(1, lo) and abs(row[3] - hi) < 1e-12 * max(1, hi), (row, lo, hi)
assert row[2] < row[1] < row[3], row
assert rows[0.0][2] == rows[0.0][3], "at t = 0 every draw starts at s0"
PY
[ -s "$TMP/a/share_band.pdf" ] && cmp -s "$TMP/a/share_band.pdf" "$TMP/b/share_band.pdf" || no "share_band.pdf drawn, the same twice"
# Above 65,536 values the density is summed over the values binned onto 16,384 points: within
# 1e-4 of the exact sum's peak. Values far from 0, with two modes.
cat >"$TMP/dens.edsl" <<'EDSL'
v = 1e6 + 3 * sin(range(0, 5000, 100001)) + 0.001 * range(0, 5000, 100001)
report values = v
plot dens { density = v; formats = "svg" }
EDSL
"$EDSL" run "$TMP/dens.edsl" --format json >"$TMP/dj" 2>"$TMP/e" || no "binned density: $(cat "$TMP/e")"
$PY - "$TMP/dj" <<'PY' || no "binned density against the exact sum"
import json, sys
import numpy as np
res = json.load(open(sys.argv[1]))["results"]
v = np.array([r[0] for r in res["values"]["rows"]])
assert len(v) == 100001
sd = v.std(ddof=1); q75, q25 = np.percentile(v, [75, 25])
bw = 0.9 * min(sd, (q75 - q25) / 1.34) * len(v) ** -0.2
grid = np.linspace(v.min() - 3 * bw, v.max() + 3 * bw, 512)
f = np.zeros(512)
for i in range(0, len(v), 5000):
    f += np.exp(-0.5 * ((grid[:, None] - v[None, i:i + 5000]) / bw) ** 2).sum(1)
f /= len(v) * bw * np.sqrt(2 * np.pi)
got = np.array([r[1] for r in res["dens"]["rows"]])
err = np.max(np.abs(got - f)) / f.max()
assert err < 1e-4, err
PY
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
