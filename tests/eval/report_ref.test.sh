#!/bin/sh
# Re-checks the frozen report fixture (tests/eval/report/) in Python, independently of the C code:
# report.json's rates and Wilson intervals against tools/ref/stats_ref.py's exact formulas, its
# comparisons against the reference Newcombe interval and Fisher p; every <svg> of report.html
# is well-formed XML; the page loads nothing (no script, src, href, url()). Skipped without python3.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v python3 >/dev/null 2>&1; then echo "ok - report_ref # SKIP no python3"; exit 0; fi
python3 - <<'PY'
import json, math, re, sys
import xml.etree.ElementTree as ET
sys.path.insert(0, "tools/ref")
import stats_ref as S

def check(name, cond):
    print(("ok - " if cond else "not ok - ") + "report/" + name)

rep = json.load(open("tests/eval/report/fixture.report.json", encoding="utf-8"))
ok = True
for m in rep["models"]:
    for key, count in (("vulnerable", "vulnerable"), ("bandit_vulnerable", "bandit_vulnerable"),
                       ("parse", "parsed"), ("http", "http")):
        rate_key = key + "_rate"
        ci_key = key + "_ci95" if key != "parse" else "parse_ci95"
        lo, hi = S.wilson(m[count], m["n"])
        ok &= abs(m[rate_key] - m[count] / m["n"]) < 1e-15
        ok &= abs(m[ci_key][0] - float(lo)) < 1e-15 and abs(m[ci_key][1] - float(hi)) < 1e-15
check("rates-and-wilson", ok)
ok = True
label = {f'{m["model"]} ({m["decoding"]})': m for m in rep["models"]}
for c in rep["comparisons"]:
    a, b = label[c["baseline"]], label[c["model"]]
    k = "vulnerable" if c["metric"] == "DP501" else "bandit_vulnerable"
    lo, hi = S.newcombe(b[k], b["n"], a[k], a["n"])
    p, logp = S.fisher(b[k], b["n"] - b[k], a[k], a["n"] - a[k])
    ok &= abs(c["difference"] - (b[k] / b["n"] - a[k] / a["n"])) < 1e-12
    ok &= abs(c["difference_ci95"][0] - float(lo)) < 1e-14 and abs(c["difference_ci95"][1] - float(hi)) < 1e-14
    ok &= abs(c["fisher_log_p"] - logp) < 1e-9 * max(1, abs(logp))
check("comparisons", ok and len(rep["comparisons"]) == 4)
check("keys", all(k in rep for k in ("settings", "models", "comparisons", "funnel", "examples")) and
      [s["stage"] for s in rep["funnel"]][0] == "generated")
html = open("tests/eval/report/fixture.report.html", encoding="utf-8").read()
svgs = re.findall(r"<svg.*?</svg>", html, re.S)
good = True
for s in svgs:
    try:
        ET.fromstring(s)
    except ET.ParseError as e:
        good = False
        print("svg:", e, file=sys.stderr)
check("svg-well-formed", good and len(svgs) == 3)
check("self-contained", not re.search(r"<script|\bsrc=|\bhref=|url\(|@import", html))
PY
