#!/bin/sh
# Parity of dpoison's DPO training with an independent PyTorch reference (tools/ref/train_ref.py,
# float64) on a random micro Qwen2 (ragged shapes, GQA, untied head): for full fine-tuning and
# for LoRA on all seven targets, the loss, TRL's metrics and every parameter's gradient for six
# loss configurations (sigmoid, cDPO, robust, IPO, hinge, RPO) to relative error 1e-4, and the
# weights after 5 AdamW steps (weight decay, clipping, warmup/linear or cosine schedule,
# 2-step gradient accumulation) to 1e-5. Skips when /usr/bin/python3 lacks torch.
BUILD=${BUILD:-build}
PY=/usr/bin/python3
T=$BUILD/tests/train/test_dpo_parity
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - train parity # skip: no torch for $PY"
    exit 0
fi
[ -x "$T" ] || { echo "not ok - train parity: $T not built"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
"$PY" "$root/tools/ref/qwen_make_random.py" "$tmp/m" --config micro --dtype f32 --seed 3 --std 0.1 >/dev/null ||
    { echo "not ok - train parity: qwen_make_random.py failed"; exit 1; }
for mode in full lora; do
    flag=; [ $mode = lora ] && flag=--lora
    mkdir -p "$tmp/$mode"
    "$PY" "$root/tools/ref/train_ref.py" batch "$tmp/m" "$tmp/$mode.json" --pairs 4 --seed 11 $flag ||
        { echo "not ok - train parity $mode: batch"; fails=$((fails + 1)); continue; }
    "$T" "$tmp/m" "$tmp/$mode.json" "$tmp/$mode" $( [ $mode = lora ] && echo lora ) ||
        { echo "not ok - train parity $mode: test_dpo_parity failed"; fails=$((fails + 1)); continue; }
    "$PY" "$root/tools/ref/train_ref.py" check "$tmp/m" "$tmp/$mode.json" "$tmp/$mode" $flag || fails=$((fails + 1))
done
[ $fails -eq 0 ]
