#!/bin/sh
# schema: every golden JSON output validates against docs/output.schema.json (JSON Schema
# 2020-12, python3-jsonschema), and so does each NAME.provenance.json an --out run writes
# (against its $defs/provenance_file); a document that breaks the schema is refused. Needs
# $EDSL and $TMP.
set -u
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
if ! $PY -c 'import jsonschema' 2>/dev/null; then
  echo "SKIP: python3-jsonschema not installed"; exit 0
fi
"$EDSL" run scenarios/plots.edsl --format csv --out "$TMP/p" >/dev/null 2>&1 || { echo "FAIL: run"; exit 1; }
"$EDSL" run scenarios/alpha_sensitivity.edsl --format json --out "$TMP/a" >/dev/null 2>&1 || { echo "FAIL: run"; exit 1; }
$PY - tests/golden/*.json "$TMP/a/alpha_sensitivity.json" -- "$TMP/p/plots.provenance.json" \
  "$TMP/a/alpha_sensitivity.provenance.json" <<'PY'
import copy, json, sys
import jsonschema
schema = json.load(open("docs/output.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
run = jsonschema.Draft202012Validator(schema)
prov = jsonschema.Draft202012Validator({"$ref": "#/$defs/provenance_file", "$defs": schema["$defs"]})
args = sys.argv[1:]
split = args.index("--")
fails = 0
for f in args[:split]:
    for e in run.iter_errors(json.load(open(f))):
        fails += 1
        print("FAIL:", f, "/".join(map(str, e.absolute_path)), e.message[:200])
for f in args[split + 1:]:
    for e in prov.iter_errors(json.load(open(f))):
        fails += 1
        print("FAIL:", f, "/".join(map(str, e.absolute_path)), e.message[:200])
# the schema can fail: a result of no known shape, a missing format_version
doc = json.load(open(args[0]))
bad = copy.deepcopy(doc); bad["results"]["x"] = {"value": 1}
bad2 = copy.deepcopy(doc); del bad2["format_version"]
for b in (bad, bad2):
    if run.is_valid(b):
        fails += 1
        print("FAIL: the schema accepts a broken document")
print("schema:", split, "outputs,", len(args) - split - 1, "provenance files,", fails, "failed")
sys.exit(1 if fails else 0)
PY
