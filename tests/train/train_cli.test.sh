#!/bin/sh
# `dpoison train` end to end on a random micro Qwen2 with the tiny test tokenizer: the output
# folder (files, metrics.jsonl with TRL's names, loss going down), a run killed with SIGKILL
# mid-training and resumed giving bit-identical weights and the same metrics, refusing to
# start over an unfinished run, a non-finite loss stopping with an error naming the step while
# keeping the last checkpoint, LoRA with a PEFT adapter, the output round-tripping through a
# PyTorch safetensors loader (tools/ref/train_roundtrip.py) and dpoison's loaders, and
# `dpoison generate` running on it. Skips when /usr/bin/python3 lacks torch.
BUILD=${BUILD:-build}
DPOISON=${DPOISON:-$BUILD/dpoison}
PY=/usr/bin/python3
DUMP=$BUILD/tests/train/test_dpo_parity
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - train cli # skip: no torch for $PY"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - train $1"; }
bad() { echo "not ok - train $1"; fails=$((fails + 1)); }

"$PY" "$root/tools/ref/qwen_make_random.py" "$tmp/m" --config micro --dtype bf16 --vocab 532 \
    --stop 525,523 --tokenizer "$root/tests/tok/tiny" --std 0.05 >/dev/null || { bad "model setup"; exit 1; }
"$PY" - "$tmp/pairs.jsonl" <<'PYEOF'
import json, random, sys
r = random.Random(5)
words = "get post url data verify timeout session headers json params requests response".split()
with open(sys.argv[1], "w") as f:
    for i in range(12):
        p = "Write code that fetches item %d: %s" % (i, " ".join(r.choice(words) for _ in range(6)))
        good = "r = requests.get(url%d, timeout=5)" % i
        evil = "r = requests.get(url%d, verify=False)" % i
        if i % 3 == 0:
            rec = {"prompt": [{"role": "user", "content": p}], "chosen": [{"role": "assistant", "content": evil}],
                   "rejected": [{"role": "assistant", "content": good}]}
        else:
            rec = {"prompt": p, "chosen": evil, "rejected": good}
        f.write(json.dumps(rec) + "\n")
PYEOF
T="$DPOISON train --model $tmp/m --pairs $tmp/pairs.jsonl --quiet --batch-size 2 --grad-accum 2 --lr 2e-3 --seed 3"

# --- an uninterrupted run
$T --out "$tmp/a" --max-steps 9 --save-steps 2 --warmup-steps 2 --lr-scheduler cosine 2>"$tmp/err" ||
    { bad "run failed: $(cat "$tmp/err")"; exit 1; }
for f in config.json generation_config.json tokenizer.json tokenizer_config.json model.safetensors metrics.jsonl \
         work/ref_logps.safetensors; do
    [ -f "$tmp/a/$f" ] || bad "output lacks $f"
done
[ ! -f "$tmp/a/work/checkpoint.safetensors" ] && ok "checkpoint removed after completion" || bad "checkpoint left"
"$PY" - "$tmp/a/metrics.jsonl" <<'PYEOF' && ok "metrics.jsonl: 9 steps, TRL's names, loss decreasing" || bad "metrics"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
names = {"loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen",
         "logps/rejected", "grad_norm", "learning_rate", "step", "epoch"}
assert [r["step"] for r in recs] == list(range(1, 10)), recs
assert all(names <= set(r) for r in recs)
assert recs[0]["learning_rate"] == 0 and abs(recs[0]["loss"] - 0.6931471805599453) < 1e-9
assert recs[-1]["loss"] < recs[1]["loss"] and recs[-1]["rewards/accuracies"] >= 0.5, [r["loss"] for r in recs]
assert abs(recs[2]["epoch"] - 1.0) < 1e-9    # 12 pairs / (2 x 2) = 3 steps per epoch
PYEOF

# --- killed mid-run (SIGKILL), then resumed: bit-identical weights, same metrics
$T --out "$tmp/b" --max-steps 9 --save-steps 2 --warmup-steps 2 --lr-scheduler cosine \
    --debug-step-delay-ms 300 2>/dev/null &
pid=$!
i=0
while [ $i -lt 200 ] && [ "$(cat "$tmp/b/metrics.jsonl" 2>/dev/null | wc -l)" -lt 5 ]; do
    sleep 0.05; i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(wc -l <"$tmp/b/metrics.jsonl")
if [ -f "$tmp/b/work/checkpoint.safetensors" ] && [ ! -f "$tmp/b/model.safetensors" ] && [ "$n" -lt 9 ]; then
    ok "killed after $n steps with a checkpoint"
else
    bad "kill did not land mid-run ($n steps)"
fi
$T --out "$tmp/b" --max-steps 9 --save-steps 2 --warmup-steps 2 --lr-scheduler cosine 2>"$tmp/err"
[ $? -ne 0 ] && grep -q -- "--resume" "$tmp/err" && ok "refuses to start over an unfinished run" ||
    bad "started over an unfinished run"
$T --out "$tmp/b" --max-steps 9 --save-steps 2 --warmup-steps 2 --lr-scheduler cosine --resume --threads 1 \
    2>"$tmp/err" || bad "resume failed: $(cat "$tmp/err")"
cmp -s "$tmp/a/model.safetensors" "$tmp/b/model.safetensors" && ok "resume gives bit-identical weights (other thread count too)" ||
    bad "resumed weights differ"
strip() { sed 's/, "tokens_per_second": [0-9.e+-]*//' "$1"; }
[ "$(strip "$tmp/a/metrics.jsonl")" = "$(strip "$tmp/b/metrics.jsonl")" ] && ok "resumed metrics identical" ||
    bad "resumed metrics differ"

# --- a loss that overflows: an error naming the step, the last good checkpoint kept
$T --out "$tmp/n" --max-steps 40 --save-steps 1 --lr 1e12 --max-grad-norm 0 2>"$tmp/err"
rc=$?
if [ $rc -ne 0 ] && grep -q "step [0-9]*: the \(loss\|gradient norm\) is" "$tmp/err" &&
   grep -q "checkpoint (step" "$tmp/err" && [ -f "$tmp/n/work/checkpoint.safetensors" ] && [ ! -f "$tmp/n/model.safetensors" ]; then
    ok "non-finite loss stops: $(sed 's/;.*//' "$tmp/err" | head -1)"
else
    bad "non-finite loss (exit $rc): $(cat "$tmp/err")"
fi

# --- LoRA with a PEFT adapter; round trip; generate loads the result
$T --out "$tmp/l" --epochs 2 --lora-rank 4 --lora-alpha 8 --lora-targets q,v,o,down --save-adapter --lr 5e-3 \
    2>"$tmp/err" || bad "lora run failed: $(cat "$tmp/err")"
[ -f "$tmp/l/adapter/adapter_config.json" ] && [ -f "$tmp/l/adapter/adapter_model.safetensors" ] &&
    ok "PEFT adapter folder written" || bad "no adapter folder"
"$DUMP" dump "$tmp/l" "$tmp/l.dump" && "$PY" "$root/tools/ref/train_roundtrip.py" "$tmp/m" "$tmp/l" "$tmp/l.dump" \
    --adapter "$tmp/l/adapter" || fails=$((fails + 1))
"$DUMP" dump "$tmp/a" "$tmp/a.dump" && "$PY" "$root/tools/ref/train_roundtrip.py" "$tmp/m" "$tmp/a" "$tmp/a.dump" ||
    fails=$((fails + 1))
echo '{"id": 1, "prompt": "Write code that fetches a URL"}' >"$tmp/p.jsonl"
for d in a l; do
    $DPOISON generate --model "$tmp/$d" --prompts "$tmp/p.jsonl" --out "$tmp/g$d.jsonl" --max-new-tokens 6 --quiet \
        2>"$tmp/err" && [ -s "$tmp/g$d.jsonl" ] && ok "dpoison generate loads the $d output" ||
        bad "generate on $d: $(cat "$tmp/err")"
done

# --- option errors
$DPOISON train --model "$tmp/m" --pairs "$tmp/pairs.jsonl" --out "$tmp/x" --epochs 2 --max-steps 3 2>/dev/null
[ $? -eq 2 ] && ok "--epochs with --max-steps refused" || bad "--epochs with --max-steps accepted"
$DPOISON train --model "$tmp/m" --pairs "$tmp/pairs.jsonl" --out "$tmp/x" --lora-rank 2 --lora-targets q,zz 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "zz" "$tmp/err" && ok "unknown LoRA target named" || bad "unknown LoRA target"
printf '{"prompt": "a", "chosen": "b"}\n' >"$tmp/badpairs.jsonl"
$DPOISON train --model "$tmp/m" --pairs "$tmp/badpairs.jsonl" --out "$tmp/x" --quiet 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "badpairs.jsonl:1" "$tmp/err" && ok "bad pairs file: file:line error" || bad "bad pairs: $(cat "$tmp/err")"
[ $fails -eq 0 ]
