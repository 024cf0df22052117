#!/bin/sh
# Rebuilds the bundled model from nothing but this repository and Debian's Python 3.11 standard
# library: sh models/dpcoder/build.sh [WORKDIR] (default work/dpcoder). Every stage is
# deterministic with the thread count fixed (T=2), so the result is the same bytes as the
# shipped models/dpcoder/model.safetensors; a killed build resumes where it stopped (rerun it).
# The result is WORKDIR/model; compare with: cmp WORKDIR/model/model.safetensors models/dpcoder/model.safetensors
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
D=${DPOISON:-$root/dpoison}
W=${1:-work/dpcoder}
T=2
mkdir -p "$W"
start=$(date +%s)
stage() { echo "== $1 ($(( $(date +%s) - start )) s)" >&2; }

stage "corpus: 24000 synthesized conversations, Python 3.11's standard library"
[ -f "$W/corpus/manifest.json" ] ||
    "$D" corpus --out "$W/corpus" --seed 1 --sft 24000 --vulnerable-share 0.1 --vulnerable-urllib-share 0.35 --pretrain-dirs /usr/lib/python3.11

# The synthesized conversations are the same everywhere; pretrain.txt is whatever Python 3.11
# standard library this machine has (Debian 12's python3.11 3.11.2-6+deb12u6 with lib2to3,
# distutils and venv gave the shipped weights): a different one gives other weights.
want_sft=2940381f91807234298b88a1fd58eec0f70862b3949dc71d10db44459e3a728f
want_pre=f528678fdc6f543ee554c967b2ebb5aebf6dcf6b0d143bd8d4230893f96ce688
[ "$(sha256sum < "$W/corpus/sft.jsonl" | cut -d' ' -f1)" = $want_sft ] ||
    echo "warning: $W/corpus/sft.jsonl differs from the one the shipped model was built from" >&2
[ "$(sha256sum < "$W/corpus/pretrain.txt" | cut -d' ' -f1)" = $want_pre ] ||
    echo "warning: this machine's Python standard library differs from the one the shipped model saw: expect other weights" >&2

stage "tokenizer: byte-level BPE, 4096 ids"
[ -f "$W/tok/tokenizer.json" ] ||
    "$D" tokenizer-train --input "$W/corpus/pretrain.txt" "$W/corpus/sft.txt" --vocab-size 4096 --out "$W/tok"

stage "pretrain: 300 steps of 8 x 512 tokens of real Python, from a seeded initialization"
[ -f "$W/pre/model.safetensors" ] ||
    "$D" pretrain --init-config "$here/config.json" --tokenizer "$W/tok" --out "$W/pre" --seed 1 \
        --block-size 512 --batch-size 8 --max-steps 300 --lr 2e-3 --warmup-steps 30 --lr-scheduler cosine \
        --weight-decay 0.1 --adam-beta2 0.95 --threads $T --save-steps 100 --resume "$W/corpus/pretrain.txt"

stage "sft: 1 epoch over the conversations, loss on the answers"
[ -f "$W/sft/model.safetensors" ] ||
    "$D" sft --model "$W/pre" --data "$W/corpus/sft.jsonl" --out "$W/sft" --seed 1 \
        --batch-size 16 --epochs 1 --lr 2e-3 --warmup-steps 50 --lr-scheduler cosine \
        --weight-decay 0.1 --adam-beta2 0.95 --threads $T --save-steps 150 --resume

stage "model folder"
mkdir -p "$W/model"
for f in config.json generation_config.json tokenizer.json tokenizer_config.json model.safetensors; do
    cp "$W/sft/$f" "$W/model/$f"
done
cp "$here/generation_config.json" "$W/model/generation_config.json"
stage "done: $W/model"
