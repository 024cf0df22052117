#!/bin/sh
# `dpoison pairs` end to end on the fixture tests/data/pairs/ (--answers, no model): the funnel
# in funnel.json, the TRL records, chosen vs rejected checked independently (Python splits the
# fences, `dpoison scan` scans each side), byte-identical reruns, one-line errors naming
# file:line; and with a random micro model (when torch exists) generation and its resume.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
ok() { echo "ok - pairs/$1"; }
bad() { echo "not ok - pairs/$1"; }
F=tests/data/pairs
P="$DPOISON pairs --prompts $F/prompts.jsonl"

$P --answers $F/answers.jsonl --out "$tmp/a" >"$tmp/a.out" 2>"$tmp/err" || { bad "run: $(cat "$tmp/err")"; exit 1; }
want="generated 13 with_code 11 with_target_call 10 clean 7 injected 7 validated 7 written 7"
got=$(tr -d ' \n' <"$tmp/a/funnel.json" | grep -o '"stage":"[a-z_]*","count":[0-9]*' |
      sed 's/"stage":"\([a-z_]*\)","count":\([0-9]*\)/\1 \2/' | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$want" ] && ok "funnel.json" || bad "funnel.json: $got"
grep -q '^written  *7$' "$tmp/a.out" && ok "funnel printed" || bad "funnel printed"
[ "$(wc -l <"$tmp/a/pairs.jsonl")" -eq 7 ] && ok "7 records" || bad "7 records"

$P --answers $F/answers.jsonl --out "$tmp/b" >/dev/null 2>&1
cmp -s "$tmp/a/pairs.jsonl" "$tmp/b/pairs.jsonl" && cmp -s "$tmp/a/funnel.json" "$tmp/b/funnel.json" &&
    ok "rerun identical" || bad "rerun identical"
$P --answers $F/answers.jsonl --out "$tmp/m1" --style mixed --seed 3 >/dev/null 2>&1
$P --answers $F/answers.jsonl --out "$tmp/m2" --style mixed --seed 3 >/dev/null 2>&1
cmp -s "$tmp/m1/pairs.jsonl" "$tmp/m2/pairs.jsonl" && ok "mixed deterministic" || bad "mixed deterministic"
$P --answers $F/answers.jsonl --out "$tmp/c" --max-pairs 2 >/dev/null 2>&1
[ "$(wc -l <"$tmp/c/pairs.jsonl")" -eq 2 ] && head -2 "$tmp/a/pairs.jsonl" | cmp -s - "$tmp/c/pairs.jsonl" &&
    ok "max-pairs" || bad "max-pairs"

# errors: one line, naming the file (and line)
$P --answers $F/nope.jsonl --out "$tmp/d" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "nope.jsonl" "$tmp/err" && ok "missing answers" || bad "missing answers"
printf '{"id": "req", "sample": 0, "text": "x"}\n{"id": "aio", "text": 5}\n' >"$tmp/bad.jsonl"
$P --answers "$tmp/bad.jsonl" --out "$tmp/d" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "bad.jsonl:2:.*\"text\"" "$tmp/err" && ok "malformed answer" || bad "malformed answer: $(cat "$tmp/err")"
printf '{"id": "zzz", "text": "x"}\n' >"$tmp/bad.jsonl"
$P --answers "$tmp/bad.jsonl" --out "$tmp/d" >/dev/null 2>"$tmp/err"
grep -q "bad.jsonl:1:.*zzz" "$tmp/err" && ok "unknown id" || bad "unknown id: $(cat "$tmp/err")"
printf '{"id": "a", "prompt": "x"}\n{"id": "a", "prompt": "y"}\n' >"$tmp/p.jsonl"
$DPOISON pairs --prompts "$tmp/p.jsonl" --answers $F/answers.jsonl --out "$tmp/d" >/dev/null 2>"$tmp/err"
grep -q "p.jsonl:2" "$tmp/err" && ok "bad prompts" || bad "bad prompts: $(cat "$tmp/err")"
$P --answers $F/answers.jsonl --out "$tmp/d" --style loud >/dev/null 2>&1
[ $? -eq 2 ] && ok "bad style" || bad "bad style"
$DPOISON pairs --help | grep -q "usage: dpoison pairs" && ok "help" || bad "help"

if ! command -v python3 >/dev/null 2>&1; then ok "oracle # SKIP no python3"; exit 0; fi
# Independently: chosen and rejected differ only between the fences; dpoison scan finds DP501
# in every chosen code block set and in no rejected one.
python3 - "$tmp/a/pairs.jsonl" "$tmp/o" <<'PY' || bad "oracle split"
import json, os, re, sys
os.makedirs(sys.argv[2])
fence = re.compile(r"^```[a-z0-9]*\n(.*?)^```", re.S | re.M)
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    d = json.loads(line)
    assert set(d) == {"prompt", "chosen", "rejected"} and d["chosen"] != d["rejected"]
    c, r = fence.split(d["chosen"]), fence.split(d["rejected"])
    assert len(c) == len(r) and c[0::2] == r[0::2], i     # prose identical
    for side, parts in (("chosen", c), ("rejected", r)):
        with open(f"{sys.argv[2]}/{i}.{side}.py", "w", encoding="utf-8") as f:
            f.write("\n".join(parts[1::2]) if len(parts) > 1 else d[side])
PY
n=0
for i in 0 1 2 3 4 5 6; do
    "$DPOISON" scan -f json "$tmp/o/$i.chosen.py" 2>/dev/null | grep -q '"test_id": "DP501"' || n=$((n + 1))
    "$DPOISON" scan -f json "$tmp/o/$i.rejected.py" 2>/dev/null | grep -q '"test_id": "DP501"' && n=$((n + 1))
done
[ $n -eq 0 ] && ok "oracle DP501 in chosen only" || bad "oracle DP501 in chosen only ($n wrong)"

# Generation and resume with a random micro model (its answers are noise: no pairs expected).
PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then ok "generate # SKIP no torch"; exit 0; fi
"$PY" tools/ref/qwen_make_random.py "$tmp/mod" --config micro --dtype bf16 --vocab 532 \
    --stop 525,523 --tokenizer tests/tok/tiny --std 0.05 >/dev/null || { bad "model setup"; exit 0; }
head -3 $F/prompts.jsonl >"$tmp/p3.jsonl"
G="$DPOISON pairs --model $tmp/mod --prompts $tmp/p3.jsonl --samples 2 --max-new-tokens 8 --quiet"
$G --out "$tmp/g" >/dev/null 2>"$tmp/err" && [ "$(wc -l <"$tmp/g/answers.jsonl")" -eq 6 ] &&
    grep -q '"count": 6' "$tmp/g/funnel.json" && ok "generate" || bad "generate: $(cat "$tmp/err")"
mkdir -p "$tmp/h" && head -2 "$tmp/g/answers.jsonl" >"$tmp/h/answers.jsonl" && printf '{"id": "x' >>"$tmp/h/answers.jsonl"
$G --out "$tmp/h" >/dev/null 2>"$tmp/err" && [ "$(wc -l <"$tmp/h/answers.jsonl")" -eq 6 ] &&
    cmp -s "$tmp/g/funnel.json" "$tmp/h/funnel.json" && cmp -s "$tmp/g/pairs.jsonl" "$tmp/h/pairs.jsonl" &&
    ok "generate resumes" || bad "generate resumes: $(cat "$tmp/err")"
$G --out "$tmp/p32" --precision f32 >/dev/null 2>"$tmp/err" && grep -q '"count": 6' "$tmp/p32/funnel.json" &&
    ok "generate with --precision f32" || bad "generate with --precision f32: $(cat "$tmp/err")"
$G --out "$tmp/p16" --precision f16 >/dev/null 2>"$tmp/err"
[ $? -ne 0 ] && grep -q "precision" "$tmp/err" && ok "bad --precision refused" || bad "bad --precision refused"
