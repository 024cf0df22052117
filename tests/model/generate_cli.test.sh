#!/bin/sh
# `dpoison generate` end to end on a random micro Qwen2 model with the tiny test tokenizer
# (tests/tok/tiny): JSONL prompt/messages records and plain lines, record fields, resume after a
# kill (torn last line), results independent of --batch-size/--threads, greedy samples equal,
# and one-line errors naming file:line. Skips when /usr/bin/python3 lacks torch.
DPOISON=${DPOISON:-build/dpoison}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - generate cli # skip: no torch for $PY"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - generate $1"; }
bad() { echo "not ok - generate $1"; fails=$((fails + 1)); }

"$PY" "$root/tools/ref/qwen_make_random.py" "$tmp/m" --config micro --dtype bf16 --vocab 532 \
    --stop 525,523 --tokenizer "$root/tests/tok/tiny" --std 0.05 >/dev/null || { bad "model setup"; exit 1; }
cat >"$tmp/p.jsonl" <<'JEOF'
{"id": "a", "prompt": "Write a function that fetches a URL."}
{"id": 7, "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}]}

plain text prompt here
JEOF
G="$DPOISON generate --model $tmp/m --prompts $tmp/p.jsonl --max-new-tokens 12 --quiet"

$G --out "$tmp/a.jsonl" --samples 2 2>"$tmp/err" || { bad "first run failed: $(cat "$tmp/err")"; exit 1; }
"$PY" - "$tmp/a.jsonl" <<'PYEOF' && ok "records and fields" || bad "records and fields"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
keys = sorted((str(r["id"]), r["sample"]) for r in recs)
assert keys == [("4", 0), ("4", 1), ("7", 0), ("7", 1), ("a", 0), ("a", 1)], keys
for r in recs:
    assert set(r) == {"id", "sample", "text", "prompt_tokens", "completion_tokens", "finish_reason"}, r
    assert isinstance(r["text"], str) and r["prompt_tokens"] > 10
    assert r["finish_reason"] in ("stop", "length")
    assert (r["finish_reason"] == "length") == (r["completion_tokens"] == 12), r
PYEOF

cp "$tmp/a.jsonl" "$tmp/before"
$G --out "$tmp/a.jsonl" --samples 2 2>/dev/null
cmp -s "$tmp/a.jsonl" "$tmp/before" && ok "rerun adds nothing" || bad "rerun adds nothing"

head -n 2 "$tmp/before" >"$tmp/r.jsonl"
printf '{"id":"a","sample":1,"te' >>"$tmp/r.jsonl"   # a run killed mid-record
$G --out "$tmp/r.jsonl" --samples 2 2>/dev/null
[ "$(sort "$tmp/r.jsonl")" = "$(sort "$tmp/before")" ] && ok "resume after a torn line" || bad "resume after a torn line"

$G --out "$tmp/b1.jsonl" --samples 2 --batch-size 1 --threads 1 2>/dev/null
$G --out "$tmp/b4.jsonl" --samples 2 --batch-size 4 --threads 2 2>/dev/null
[ "$(sort "$tmp/b1.jsonl")" = "$(sort "$tmp/before")" ] && [ "$(sort "$tmp/b4.jsonl")" = "$(sort "$tmp/before")" ] \
    && ok "independent of batch size and threads" || bad "independent of batch size and threads"

$G --out "$tmp/g.jsonl" --samples 2 --greedy --precision f32 2>/dev/null
"$PY" - "$tmp/g.jsonl" <<'PYEOF' && ok "greedy samples agree" || bad "greedy samples agree"
import json, sys
by = {}
for l in open(sys.argv[1]):
    r = json.loads(l); by.setdefault(str(r["id"]), set()).add(r["text"])
assert len(by) == 3 and all(len(v) == 1 for v in by.values()), by
PYEOF

printf '{"id": 1, "prompt": "x"}\n{"id": 2, "prompt": }\n' >"$tmp/badp.jsonl"
$DPOISON generate --model "$tmp/m" --prompts "$tmp/badp.jsonl" --out "$tmp/x.jsonl" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && grep -q "badp.jsonl:2:" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ] \
    && ok "bad prompt line: one-line error" || bad "bad prompt line: $(cat "$tmp/err")"
$G --out "$tmp/x.jsonl" --raw 2>"$tmp/err"
grep -q 'p.jsonl:2:1: --raw takes "prompt" records' "$tmp/err" && ok "--raw refuses messages" || bad "--raw refuses messages: $(cat "$tmp/err")"
$DPOISON generate --model "$tmp/nope" --prompts "$tmp/p.jsonl" --out "$tmp/x.jsonl" 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "nope" "$tmp/err" && ok "missing model" || bad "missing model: $(cat "$tmp/err")"
[ $fails -eq 0 ]
