#!/bin/sh
# Parity of dpoison's next-token cross-entropy (`dpoison pretrain`, `dpoison sft`) with an
# independent PyTorch reference (tools/ref/lm_ref.py over train_ref.py's float64 Qwen2) on a
# random micro Qwen2 (f32; ragged shapes, GQA, untied head), full fine-tuning with exact fp32
# products: for SFT-like sequences with label masks (ragged, one without a mask) and
# pretraining-like blocks without masks, the mean loss, the label count and every parameter's
# gradient to relative error 1e-4 (loss 1e-5), with kept and with recomputed activations (and
# threads); and the weights after 4 AdamW steps on the SFT batch (betas 0.9/0.95, weight decay,
# clipping, warmup + cosine) to 1e-5, or no farther from float64 than PyTorch's own fp32 run is.
# Skips when /usr/bin/python3 lacks torch.
BUILD=${BUILD:-build}
PY=/usr/bin/python3
T=$BUILD/tests/train/test_lm_parity
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - lm parity # skip: no torch for $PY"
    exit 0
fi
[ -x "$T" ] || { echo "not ok - lm parity: $T not built"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
"$PY" "$root/tools/ref/qwen_make_random.py" "$tmp/m" --config micro --dtype f32 --seed 4 --std 0.1 >/dev/null ||
    { echo "not ok - lm parity: qwen_make_random.py failed"; exit 1; }
"$PY" "$root/tools/ref/lm_ref.py" batch "$tmp/m" "$tmp/batch.json" --seed 7 ||
    { echo "not ok - lm parity: lm_ref.py batch failed"; exit 1; }
mkdir -p "$tmp/c"
"$T" "$tmp/m" "$tmp/batch.json" "$tmp/c" || { echo "not ok - lm parity: test_lm_parity failed"; exit 1; }
"$PY" "$root/tools/ref/lm_ref.py" check "$tmp/m" "$tmp/batch.json" "$tmp/c"
