#!/bin/sh
# edsl check --json: for every error case and every scenario, the JSON diagnostics say what
# the text diagnostics say (severity, file, line, column, message, notes after their error),
# with the same exit status; usage errors for --json elsewhere. Needs $EDSL and $TMP.
set -u
fails=0
for f in tests/errors/*.edsl scenarios/*.edsl scenarios/paper/*.edsl stdlib/*.edsl stdlib/*/*.edsl; do
  "$EDSL" check "$f" >/dev/null 2>"$TMP/text"; rt=$?
  "$EDSL" check "$f" --json >"$TMP/json" 2>"$TMP/err"; rj=$?
  [ "$rt" = "$rj" ] || { echo "FAIL: $f: check exits $rt, check --json $rj"; fails=$((fails+1)); continue; }
  [ -s "$TMP/err" ] && { echo "FAIL: $f: check --json wrote to stderr: $(head -2 "$TMP/err")"; fails=$((fails+1)); }
  python3 - "$TMP/text" "$TMP/json" "$rt" "$f" <<'PY' || fails=$((fails+1))
import json, re, sys
text, js, rc, name = open(sys.argv[1]).read().splitlines(), json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
want = []
for line in text:
    m = re.match(r"^(.+?):(\d+):(\d+): (error|warning|note): (.*)$", line)
    if m:
        want.append((m[4], m[1], int(m[2]), int(m[3]), m[5]))
        continue
    m = re.match(r"^edsl: (error|warning|note): (.*)$", line)
    if m:
        want.append((m[1], None, None, None, m[2]))
got = []
for d in js["diagnostics"]:
    got.append((d["severity"], d["file"], d["line"], d["column"], d["message"]))
    assert d["severity"] != "note"
    for n in d.get("notes", []):
        got.append((n["severity"], n["file"], n["line"], n["column"], n["message"]))
        assert n["severity"] == "note"
errs = sum(1 for d in js["diagnostics"] if d["severity"] == "error")
ok = got == want and js["ok"] == (rc == 0) and (rc == 0) == (errs == 0) and js["file"] == name
ok = ok and all(d["end_line"] is None or (d["end_line"], d["end_column"]) >= (d["line"], d["column"]) for d in js["diagnostics"])
if not ok:
    print("FAIL:", name)
    print("  text:", want[:3])
    print("  json:", got[:3])
sys.exit(0 if ok else 1)
PY
done
"$EDSL" run scenarios/baseline.edsl --json >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: run --json is not a usage error"; fails=$((fails+1)); }
"$EDSL" dump-ir scenarios/baseline.edsl --json >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: dump-ir --json is not a usage error"; fails=$((fails+1)); }
# A --set override's error is located in the override's text.
"$EDSL" check scenarios/baseline.edsl --set inference.firms=abc --json >"$TMP/j"; [ $? -eq 1 ] \
  && python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["diagnostics"][0]; sys.exit(0 if d["file"].startswith("--set") else 1)' "$TMP/j" \
  || { echo "FAIL: --set error not located in the override: $(cat "$TMP/j")"; fails=$((fails+1)); }
echo "check --json: $fails failed"
[ "$fails" -eq 0 ]
