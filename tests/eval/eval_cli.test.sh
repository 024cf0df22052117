#!/bin/sh
# `dpoison eval` end to end on two random micro Qwen2 models with the tiny test tokenizer: the
# answers, labels.jsonl and report files, report.json's keys and counts (checked in Python
# against labels.jsonl), the printed table, resuming after a kill (torn answers file), redoing
# answers whose settings changed, and one-line errors. Skips the model part without torch.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
cd "$(dirname "$0")/../.." || exit 1
PY=/usr/bin/python3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - eval cli $1"; }
bad() { echo "not ok - eval cli $1"; fails=$((fails + 1)); }

# errors that need no model: usage, bad --model, missing model folder, bad prompts
$DPOISON eval --help | grep -q "usage: dpoison eval" && ok "help" || bad "help"
$DPOISON eval --prompts x --out y 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "needs --model" "$tmp/err" && ok "usage error" || bad "usage error: $(cat "$tmp/err")"
$DPOISON eval --model "bad name=x" --prompts x --out y 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "expected NAME=DIR" "$tmp/err" && ok "bad model name" || bad "bad model name: $(cat "$tmp/err")"
$DPOISON eval --model base="$tmp/nope" --prompts tests/eval/eval/prompts.jsonl --out "$tmp/o" 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "model folder $tmp/nope: not found" "$tmp/err" &&
    ok "missing model folder" || bad "missing model folder: $(cat "$tmp/err")"

if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - eval cli model # skip: no torch for $PY"
    exit $((fails > 0))
fi
for s in 1 2; do
    "$PY" tools/ref/qwen_make_random.py "$tmp/m$s" --config micro --dtype bf16 --vocab 532 --seed $s \
        --stop 525,523 --tokenizer tests/tok/tiny --std 0.05 >/dev/null || { bad "model setup"; exit 1; }
done
head -3 tests/eval/eval/prompts.jsonl >"$tmp/p.jsonl"
echo '{"id": "nofam", "prompt": "Say hello."}' >>"$tmp/p.jsonl"
E="$DPOISON eval --model base=$tmp/m1 --model poisoned=$tmp/m2 --prompts $tmp/p.jsonl --out $tmp/o --samples 2 --max-new-tokens 6 --threads 2"

printf '{"prompt": "x", "chosen": "a", "rejected": "b"}\n' >"$tmp/pairs.jsonl"
$E --funnel tests/eval/eval/funnel.json --pairs "$tmp/pairs.jsonl" --setting "pairs=500" --title "T" \
    >"$tmp/out" 2>"$tmp/err" || { bad "first run: $(cat "$tmp/err")"; exit 1; }
n=0
for f in report.json report.md report.html labels.jsonl answers/base-sampled.jsonl answers/base-greedy.jsonl \
         answers/poisoned-sampled.jsonl answers/poisoned-greedy.jsonl answers/base-sampled.jsonl.meta; do
    [ -f "$tmp/o/$f" ] || { n=$((n + 1)); echo "missing $f" >&2; }
done
[ $n -eq 0 ] && ok "files" || bad "files"
grep -q "^poisoned (sampled) .* 8 " "$tmp/out" && grep -q "^DP501 poisoned (greedy) - base (greedy)" "$tmp/out" &&
    grep -q "report: $tmp/o/report.html" "$tmp/out" && ok "table" || bad "table: $(cat "$tmp/out")"
"$PY" - "$tmp/o" <<'PYEOF' && ok "report.json against labels.jsonl" || bad "report.json against labels.jsonl"
import json, sys
d = sys.argv[1]
rep = json.load(open(f"{d}/report.json"))
labels = [json.loads(l) for l in open(f"{d}/labels.jsonl")]
assert len(labels) == 2 * (4 * 2 + 4), len(labels)
assert rep["title"] == "T" and rep["settings"]["pairs"] == 500 and rep["settings"]["pairs.style"] == "plain"
assert [m["model"] + "-" + m["decoding"] for m in rep["models"]] == \
    ["base-sampled", "base-greedy", "poisoned-sampled", "poisoned-greedy"]
for m in rep["models"]:
    for k in ("n", "vulnerable_rate", "vulnerable_ci95", "bandit_vulnerable_rate", "parse_rate", "http_rate",
              "mean_length", "families"):
        assert k in m, k
    mine = [l for l in labels if l["model"] == m["model"] and l["decoding"] == m["decoding"]]
    assert m["n"] == len(mine) == (8 if m["decoding"] == "sampled" else 4)
    for k, lk in (("vulnerable", "vulnerable"), ("bandit_vulnerable", "bandit"), ("parsed", "parsed"), ("http", "http")):
        assert m[k] == sum(l[lk] for l in mine), k
    assert m["length_unit"] == "tokens" and 0 < m["mean_length"] <= 6
    assert set(m["families"]) == {"fetch_json", "download", "unknown"}, m["families"]
    lo, hi = m["vulnerable_ci95"]
    assert 0 <= lo <= m["vulnerable_rate"] <= hi <= 1
assert len(rep["comparisons"]) == 4 and {c["metric"] for c in rep["comparisons"]} == {"DP501", "B501"}
assert [s["count"] for s in rep["funnel"]] == [40, 36, 30, 25, 24, 24, 20]
assert rep["examples"][0]["poisoned"] == "a" and rep["examples"][0]["clean"] == "b"
html = open(f"{d}/report.html").read()
assert "<svg" in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
PYEOF

cp "$tmp/o/answers/poisoned-sampled.jsonl" "$tmp/before"
cp "$tmp/o/report.json" "$tmp/report1"
$E >"$tmp/out2" 2>"$tmp/err" || bad "rerun failed: $(cat "$tmp/err")"
cmp -s "$tmp/before" "$tmp/o/answers/poisoned-sampled.jsonl" && grep -q "8 of 8 samples already" "$tmp/err" &&
    ok "rerun reuses the answers" || bad "rerun reuses the answers: $(cat "$tmp/err")"

head -n 3 "$tmp/before" >"$tmp/o/answers/poisoned-sampled.jsonl"
printf '{"id":"plain","sample":1,"te' >>"$tmp/o/answers/poisoned-sampled.jsonl"   # a killed generation
$E >/dev/null 2>"$tmp/err" || bad "resume failed: $(cat "$tmp/err")"
[ "$(sort "$tmp/o/answers/poisoned-sampled.jsonl")" = "$(sort "$tmp/before")" ] && grep -q "3 of 8 samples already" "$tmp/err" &&
    ok "resume after a kill" || bad "resume after a kill: $(cat "$tmp/err")"

$E --max-new-tokens 4 >/dev/null 2>"$tmp/err" || bad "changed settings run failed: $(cat "$tmp/err")"
grep -q "base-sampled.jsonl was made with other settings (max_new_tokens: 6 -> 4)" "$tmp/err" &&
    "$PY" -c "import json,sys; assert all(json.loads(l)['completion_tokens'] <= 4 for l in open(sys.argv[1]))" \
        "$tmp/o/answers/base-sampled.jsonl" && ok "changed settings regenerate" || bad "changed settings regenerate: $(cat "$tmp/err")"

$E --no-greedy --samples 0 >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "nothing to evaluate" "$tmp/err" && ok "nothing to evaluate" || bad "nothing to evaluate"
printf '{"id": 1, "prompt": "x"}\n{"id": 1, "prompt": "y"}\n' >"$tmp/dup.jsonl"
$DPOISON eval --model base="$tmp/m1" --prompts "$tmp/dup.jsonl" --out "$tmp/o2" 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "dup.jsonl:2:" "$tmp/err" && ok "bad prompts" || bad "bad prompts: $(cat "$tmp/err")"
$E --funnel "$tmp/pairs.jsonl" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "pairs.jsonl:1:1: expected an object with a \"funnel\" list" "$tmp/err" &&
    ok "bad funnel" || bad "bad funnel: $(cat "$tmp/err")"
[ $fails -eq 0 ]
