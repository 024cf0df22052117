#!/bin/sh
# Parity of dpoison's Qwen2 forward pass with an independent PyTorch reference
# (tests/model/qwen_ref.py) on random-weight models built by tools/ref/qwen_make_random.py:
# the real 0.5B shapes with 2 layers (BF16), a ragged micro config (F32, untied head, sharded)
# and micro2 (F16, tied, head dim 24). For each: logits max abs error <= 1e-4 over a 64-token
# input, an identical 32-token greedy continuation, and batched == alone bitwise. The BF16
# dot-product mode is reported (looser by design). Under sanitizers (BUILD=*asan*) the 0.5B
# model is skipped. Skips when /usr/bin/python3 lacks torch.
BUILD=${BUILD:-build}
PY=/usr/bin/python3
T=$BUILD/tests/model/test_qwen
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - qwen parity # skip: no torch for $PY"
    exit 0
fi
if [ ! -x "$T" ]; then
    echo "not ok - qwen parity: $T not built"
    exit 1
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

# check NAME DIR VOCAB [make_random options]
check() {
    name=$1 dir=$tmp/$1 vocab=$2
    shift 2
    if ! "$PY" "$root/tools/ref/qwen_make_random.py" "$dir" "$@" --seed 7 --std 0.05 >"$tmp/mk.err" 2>&1; then
        echo "not ok - qwen parity $name: qwen_make_random.py failed"; cat "$tmp/mk.err" >&2
        fails=$((fails + 1)); return
    fi
    ids=$("$PY" -c "import random; r = random.Random(3); print(' '.join(str(r.randrange($vocab)) for _ in range(64)))")
    "$PY" "$here/qwen_ref.py" "$dir" --ids "$ids" --logits "$tmp/ref.f32" --greedy 32 >"$tmp/ref.txt" || {
        echo "not ok - qwen parity $name: reference failed"; fails=$((fails + 1)); return; }
    "$T" logits "$dir" "$ids" "$tmp/got.f32" && "$T" logits "$dir" "$ids" "$tmp/got16.f32" bf16 &&
        "$T" greedy "$dir" "$ids" 32 >"$tmp/got.txt" || {
        echo "not ok - qwen parity $name: test_qwen failed"; fails=$((fails + 1)); return; }
    "$PY" - "$name" "$tmp/ref.f32" "$tmp/got.f32" "$tmp/got16.f32" <<'PYEOF' || fails=$((fails + 1))
import sys, numpy as np
name, ref, got, got16 = sys.argv[1:5]
r, g, g16 = (np.fromfile(f, dtype=np.float32) for f in (ref, got, got16))
if r.shape != g.shape or r.shape != g16.shape:
    print(f"not ok - qwen parity {name} logits: sizes {r.shape} {g.shape} {g16.shape}"); sys.exit(1)
err, err16, scale = float(np.abs(r - g).max()), float(np.abs(r - g16).max()), float(np.abs(r).max())
print(f"# {name}: max |logit| {scale:.3g}; fp32 max abs err {err:.3g}; bf16-dot mode {err16:.3g}", file=sys.stderr)
print(f"{'ok' if err <= 1e-4 else 'not ok'} - qwen parity {name} logits (max abs err {err:.2g} <= 1e-4)")
sys.exit(0 if err <= 1e-4 else 1)
PYEOF
    if cmp -s "$tmp/ref.txt" "$tmp/got.txt"; then
        echo "ok - qwen parity $name greedy 32 tokens identical"
    else
        echo "not ok - qwen parity $name greedy 32 tokens"; fails=$((fails + 1))
        echo "# ref: $(cat "$tmp/ref.txt")" >&2; echo "# got: $(cat "$tmp/got.txt")" >&2
    fi
    "$T" batch "$dir" "$ids" || fails=$((fails + 1))
}

check micro 300 --config micro --dtype f32 --shards 3
check micro2 260 --config micro2 --dtype f16
case $BUILD in
*asan*) echo "ok - qwen parity 0.5b-2layers # skip under sanitizers" ;;
*) check 0.5b-2layers 151936 --config 0.5b --layers 2 --dtype bf16 ;;
esac
[ $fails -eq 0 ]
