#!/bin/sh
# readers: the CSV files `--format csv --out DIR` writes are read with default options by
# pandas.read_csv and R's read.csv: the header's plain names, every row, numbers as numbers,
# NA as missing; the units and the provenance are in NAME.provenance.json, which names every
# file. Needs $EDSL and $TMP; pandas (python3-pandas) and R (r-base-core) when present.
set -u
fails=0
no() { fails=$((fails+1)); echo "FAIL: $*"; }
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
# A failing point (NA in the sweep) and a table with text, with the scenarios that write
# sweeps, samples and plots.
cat >"$TMP/na.edsl" <<EDSL
import "$PWD/scenarios/baseline.edsl"
sweep firms_na = inference.x0 in [-1, 0.5, 0.6] { report T = crossing_time(baseline, nash) }
table mixed(name: text, v: USD) {
  "a, with comma", 1.5
  "b \"quoted\"", 2
}
report v = mixed.v, T5 = crossing_time(baseline, nash)
EDSL
for s in scenarios/alpha_sensitivity.edsl scenarios/plots.edsl "$TMP/na.edsl"; do
  n=$(basename "$s" .edsl)
  rm -rf "$TMP/$n"
  "$EDSL" run "$s" --format csv --out "$TMP/$n" >/dev/null 2>"$TMP/e" || { no "$n: $(cat "$TMP/e")"; continue; }
  [ -s "$TMP/$n/$n.provenance.json" ] || no "$n: no provenance file"
  grep -l '^#' "$TMP/$n"/*.csv && no "$n: comment lines in a CSV file"
  if $PY -c 'import pandas' 2>/dev/null; then
    $PY - "$TMP/$n" "$n" <<'PY' || no "$n: pandas"
import json, math, os, sys
import pandas as pd
d, n = sys.argv[1], sys.argv[2]
prov = json.load(open(os.path.join(d, n + ".provenance.json")))
assert prov["format_version"] == 1
files = {e["file"]: e for e in prov["files"]}
csvs = sorted(f for f in os.listdir(d) if f.endswith(".csv"))
assert set(csvs) <= set(files), set(csvs) - set(files)
for f in csvs:
    e = files[f]
    df = pd.read_csv(os.path.join(d, f))
    assert list(df.columns) == e["columns"], (f, list(df.columns), e["columns"])
    if e["result"] is None:
        assert list(df.columns) == ["name", "value", "unit"]
        continue
    assert len(df) == e["rows"], (f, len(df), e["rows"])
    for c in df.columns:
        assert df[c].dtype.kind in "fi", (f, c, df[c].dtype)
print("pandas:", n, len(csvs), "files")
PY
  fi
  if command -v Rscript >/dev/null 2>&1; then
    Rscript --vanilla - "$TMP/$n" <<'R' >"$TMP/r.out" 2>&1 || no "$n: R read.csv: $(cat "$TMP/r.out")"
d <- commandArgs(trailingOnly = TRUE)[1]
for (f in list.files(d, pattern = "\\.csv$", full.names = TRUE)) {
  x <- read.csv(f)
  lines <- length(readLines(f))
  if (nrow(x) != lines - 1) stop(paste(f, ": read.csv read", nrow(x), "rows of", lines - 1))
  if (!grepl("\\.(results|claims)\\.csv$", f) && !all(sapply(x, is.numeric)))
    stop(paste(f, ": a column read as text:", paste(colnames(x), collapse = " ")))
}
R
  fi
done
# NA: the failed point is empty to pandas (NaN) and NA to R; the text column keeps its comma
# and quotes.
if $PY -c 'import pandas' 2>/dev/null; then
  $PY - "$TMP/na" <<'PY' || no "NA and text through pandas"
import sys
import pandas as pd
d = sys.argv[1]
s = pd.read_csv(d + "/firms_na.csv")
assert s["T"].isna().tolist() == [True, False, False], s
r = pd.read_csv(d + "/na.results.csv")
assert r.set_index("name").loc["T5", "unit"] == "year", r
PY
fi
if command -v Rscript >/dev/null 2>&1; then
  Rscript --vanilla -e 'x <- read.csv(commandArgs(TRUE)[1]); stopifnot(identical(is.na(x$T), c(TRUE, FALSE, FALSE)), is.numeric(x$inference.x0))' "$TMP/na/firms_na.csv" >"$TMP/r.out" 2>&1 || no "NA through R: $(cat "$TMP/r.out")"
fi
echo "readers: $fails failed"
[ "$fails" -eq 0 ]
