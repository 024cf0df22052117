#!/bin/sh
# `dpoison scan` from the outside: exit codes, the four report formats (JSON keys and Bandit's
# formatting, the CSV header, a SARIF 2.1.0 sanity check of the required fields, the text
# layout), -o, -r and -x, -t/-s, severity and confidence filters, stdin, and output that does not
# depend on the thread count.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1
check() { if [ "$2" = 0 ]; then echo "ok - scan cli: $1"; else echo "not ok - scan cli: $1"; fi; }

mkdir -p proj/sub proj/.git proj/build
printf 'import pickle\nimport subprocess\n\n\ndef f(x):\n    assert x\n    return eval(x)\n' >proj/a.py
printf 'x = 1\n' >proj/clean.py
printf 'import telnetlib\n' >proj/sub/b.py
printf 'import ftplib\n' >proj/.git/hidden.py
printf 'import ftplib\n' >proj/build/gen.pyw
printf 'not python\n' >proj/notes.txt
printf 'def broken(:\n' >proj/sub/bad.py

# exit codes
"$DPOISON" scan proj/clean.py >/dev/null; check "exit 0 without findings" $?
"$DPOISON" scan proj/a.py >/dev/null; [ $? = 1 ]; check "exit 1 with findings" $?
"$DPOISON" scan --exit-zero proj/a.py >/dev/null; check "--exit-zero" $?
"$DPOISON" scan --no-such-option proj/a.py >/dev/null 2>&1; [ $? = 2 ]; check "exit 2 on a bad option" $?
"$DPOISON" scan -f yaml proj/a.py >/dev/null 2>&1; [ $? = 2 ]; check "exit 2 on an unknown format" $?
"$DPOISON" scan -lll proj/a.py >/dev/null; check "exit 0 when filters hide everything" $?

# JSON: Bandit's layout, file discovery (-r, default exclusions, *.pyw), errors[]
"$DPOISON" scan -r proj -f json --profile bandit >r.json
python3 - r.json <<'PY'
import json, sys
raw = open(sys.argv[1]).read()
d = json.loads(raw)
ok = json.dumps(d, sort_keys=True, indent=2, separators=(",", ": ")) == raw
print(("ok" if ok else "not ok") + " - scan cli: JSON formatted as json.dumps(sort_keys=True, indent=2)")
keys = ["code", "col_offset", "end_col_offset", "filename", "issue_confidence", "issue_cwe", "issue_severity",
        "issue_text", "line_number", "line_range", "more_info", "test_id", "test_name"]
ok = all(list(r) == keys for r in d["results"]) and list(d) == ["errors", "generated_at", "metrics", "results"]
print(("ok" if ok else "not ok") + " - scan cli: JSON keys as Bandit's")
files = sorted({r["filename"] for r in d["results"]})
ok = files == ["proj/a.py", "proj/build/gen.pyw", "proj/sub/b.py"]
print(("ok" if ok else "not ok") + f" - scan cli: -r keeps *.py and *.pyw, skips .git {files}")
ok = d["errors"] == [{"filename": "proj/sub/bad.py", "reason": "syntax error while parsing AST from file"}]
print(("ok" if ok else "not ok") + " - scan cli: unparsable file in errors[], scan goes on")
m = d["metrics"]
ok = "SEVERITY.LOW" not in m["proj/sub/bad.py"] and m["proj/sub/bad.py"]["loc"] == 1 and m["_totals"]["loc"] == 9
print(("ok" if ok else "not ok") + f" - scan cli: metrics {m['_totals']['loc']}")
import re
ok = re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["generated_at"]) is not None
print(("ok" if ok else "not ok") + " - scan cli: generated_at in ISO UTC")
PY

# -x: globs and substrings; an explicit -x replaces the default exclusions
"$DPOISON" scan -r proj -f json -x sub,'*.pyw' >x.json
python3 -c '
import json,sys; d=json.load(open("x.json")); f=sorted({r["filename"] for r in d["results"]})
print(("ok" if f==["proj/.git/hidden.py","proj/a.py"] else "not ok")+" - scan cli: -x by substring and glob %s" % f)'
"$DPOISON" scan proj -f json >d.json 2>warn.txt
grep -q 'Skipping directory (proj), use -r flag' warn.txt; check "a folder without -r is skipped with a warning" $?
"$DPOISON" scan proj/a.py -f json | grep -q '"filename": "./proj/a.py"'; check "explicit files reported as ./path" $?

# -t / -s and the severity / confidence filters
n() { python3 -c 'import json,sys; print(" ".join(sorted(r["test_id"] for r in json.load(sys.stdin)["results"])))'; }
[ "$("$DPOISON" scan proj/a.py -f json -t B307,B101 | n)" = "B101 B307" ]; check "-t" $?
[ "$("$DPOISON" scan proj/a.py -f json -s B001 | n)" = "B101" ]; check "-s B001 skips every blacklist" $?
[ "$("$DPOISON" scan proj/a.py -f json -ll | n)" = "B307" ]; check "-ll (medium and up)" $?
[ "$("$DPOISON" scan proj/a.py -f json --severity-level medium | n)" = "B307" ]; check "--severity-level" $?
printf 'import os\nos.execv(p, a)\n' >c.py   # B606: LOW severity, MEDIUM confidence
[ "$("$DPOISON" scan c.py -f json | n)" = "B606" ]; check "B606 found" $?
[ "$("$DPOISON" scan c.py -f json -ii | n)" = "B606" ]; check "-ii (medium confidence and up)" $?
[ "$("$DPOISON" scan c.py -f json -iii | n)" = "" ]; check "-iii" $?
[ "$("$DPOISON" scan c.py -f json --confidence-level high | n)" = "" ]; check "--confidence-level" $?
"$DPOISON" scan proj/a.py -f json -t B307,B307 -s B307 >/dev/null 2>&1; [ $? = 2 ]; check "-t and -s overlapping is an error" $?

# CSV
"$DPOISON" scan proj/a.py -f csv >r.csv
[ "$(head -1 r.csv)" = "$(printf 'filename,test_name,test_id,issue_severity,issue_confidence,issue_cwe,issue_text,line_number,col_offset,end_col_offset,line_range,more_info\r')" ]
check "CSV header" $?
python3 -c '
import csv; rows=list(csv.DictReader(open("r.csv", newline="")))
ok = len(rows)==4 and rows[0]["line_range"]=="[1]" and rows[0]["issue_cwe"].startswith("https://cwe.mitre.org/")
print(("ok" if ok else "not ok")+" - scan cli: CSV rows read back by Python'"'"'s csv")'

# SARIF 2.1.0: the fields the schema requires, and consistent rule indexes
"$DPOISON" scan -r proj -f sarif >r.sarif
python3 - r.sarif <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
errs = []
if s.get("version") != "2.1.0": errs.append("version")
if "sarif-2.1.0" not in s.get("$schema", ""): errs.append("$schema")
runs = s.get("runs")
if not isinstance(runs, list) or len(runs) != 1: errs.append("runs")
else:
    run = runs[0]
    drv = run.get("tool", {}).get("driver", {})
    if not isinstance(drv.get("name"), str): errs.append("driver.name")
    rules = drv.get("rules", [])
    for r in rules:
        if not isinstance(r.get("id"), str): errs.append("rule.id")
    res = run.get("results", [])
    if len(res) != 6: errs.append(f"{len(res)} results")
    for r in res:
        if not isinstance(r.get("message", {}).get("text"), str): errs.append("message.text")
        if r.get("level") not in ("none", "note", "warning", "error"): errs.append("level")
        if rules[r["ruleIndex"]]["id"] != r["ruleId"]: errs.append("ruleIndex")
        for loc in r.get("locations", []):
            pl = loc["physicalLocation"]
            if not pl["artifactLocation"]["uri"] or pl["artifactLocation"]["uri"].startswith("./"): errs.append("uri")
            reg = pl["region"]
            if reg["startLine"] < 1 or reg.get("startColumn", 1) < 1: errs.append("region")
            if reg.get("endLine", reg["startLine"]) < reg["startLine"]: errs.append("endLine")
    inv = run.get("invocations", [{}])[0]
    if not isinstance(inv.get("executionSuccessful"), bool): errs.append("executionSuccessful")
    if len(inv.get("toolExecutionNotifications", [])) != 1: errs.append("notifications")
print(("ok" if not errs else "not ok") + f" - scan cli: SARIF 2.1.0 required fields {errs}")
PY

# text
"$DPOISON" scan proj/a.py >r.txt
grep -q '^>> Issue: \[B307:blacklist\] Use of possibly insecure function - consider using safer ast.literal_eval.$' r.txt &&
    grep -q '^   Location: ./proj/a.py:7:11$' r.txt && grep -q "$(printf '^7\t    return eval(x)$')" r.txt &&
    grep -q '^Files skipped (0):$' r.txt
check "text report" $?

# -o writes atomically and prints nothing; stdin
"$DPOISON" scan proj/a.py -f json -o out.json >stdout.txt; [ $? = 1 ] && [ ! -s stdout.txt ] && [ -s out.json ]
check "-o FILE" $?
printf 'import pickle\n' | "$DPOISON" scan -f json - | grep -q '"filename": "<stdin>"'; check "stdin as -" $?
printf 'import pickle\n' | "$DPOISON" scan -f json - | grep -q '"code": "1 import pickle\\n"'; check "stdin code snippet" $?

# the same bytes whatever the thread count
for i in 1 2 3 4 5 6 7 8; do printf 'import pickle\neval(x%s)\n' "$i" >proj/sub/m$i.py; done
"$DPOISON" scan -r proj -f json -j 1 | grep -v generated_at >j1.json
"$DPOISON" scan -r proj -f json -j 4 | grep -v generated_at >j4.json
cmp -s j1.json j4.json; check "-j 1 and -j 4 give the same report" $?
