#!/bin/sh
# DPO training speed: one optimizer step (2 pairs of 256 tokens: chosen and rejected forwarded
# together, sigmoid loss, backward, AdamW) on a random-weight model of the Qwen2.5-0.5B shape,
# dpoison (bench/train_bench.c against build/libdpoison.a; fp32 products and bf16 products with
# fp32 accumulation and fp32 master weights; full fine-tuning, and LoRA r16 on all targets) and
# the PyTorch reference (tools/ref/train_ref.py bench: FP32, and BF16 autocast with FP32 master
# weights; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for that process, and OpenBLAS rather
# than Debian's reference BLAS when libopenblas0-pthread is installed: torch's FP32 matrix
# products go through libblas.so.3, which is the unoptimized reference implementation unless
# OpenBLAS provides it) in the same run.
# Prints tokens/s, the ratios, dpoison's achieved GFLOP/s against the peaks measured here, and
# peak RSS. Usage: sh bench/train.sh [THREADS]   (default: all CPUs)
#   LAYERS=24 (default; fewer for a quick look), TOKENS=256, PAIRS=2, STEPS=2 (timed after one
#   warm-up step; the best is kept), NO_TORCH=1 skips PyTorch, NO_LORA=1 skips LoRA.
# Memory: unless NO_MEM=1, one more step each of full DPO and of LoRA r16 with PAIRS pairs of
#   MEM_TOKENS=512 tokens, bf16 products, activations recomputed, AdamW state included, checks
#   their peak RSS against the targets (full under 10 GB, LoRA under 3 GB).
set -e
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
THREADS=${1:-$(nproc)}
LAYERS=${LAYERS:-24}
TOKENS=${TOKENS:-256}
PAIRS=${PAIRS:-2}
STEPS=${STEPS:-2}
MODEL=${BENCH_MODEL:-build/bench-qwen0.5b-L$LAYERS}
make -s build/bench/train_bench
if [ ! -f "$MODEL/model.safetensors" ]; then
    echo "building a random 0.5B-shape model with $LAYERS layers in $MODEL ..." >&2
    "$PY" tools/ref/qwen_make_random.py "$MODEL" --config 0.5b --layers "$LAYERS" --dtype bf16 >&2
fi
out=build/train_bench.out
echo "machine: $(nproc) CPUs, $THREADS threads; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "model: 0.5B shape, $LAYERS layers; step: $PAIRS pairs x $TOKENS tokens (x2: chosen and rejected)"
build/bench/train_bench --peak --threads "$THREADS" >$out
run() {   # NAME ARGS...: dpoison step, keys prefixed with NAME_
    name=$1; shift
    build/bench/train_bench "$MODEL" --threads "$THREADS" --pairs "$PAIRS" --tokens "$TOKENS" --steps "$STEPS" "$@" \
        2>>build/train_bench.log | sed "s/^dpoison_/${name}_/" >>$out
}
run c_f32 --prec f32
run c_bf16 --prec bf16
[ -n "$NO_LORA" ] || run c_lora_bf16 --prec bf16 --lora 16
if [ -z "$NO_MEM" ]; then
    MT=${MEM_TOKENS:-512}
    echo "memory: $PAIRS pairs x $MT tokens, one step each after a warm-up, activations recomputed"
    run m_full --prec bf16 --recompute --steps 1 --tokens "$MT"
    run m_lora --prec bf16 --recompute --steps 1 --tokens "$MT" --lora 16
fi
if [ -z "$NO_TORCH" ]; then
    ob=/usr/lib/x86_64-linux-gnu/openblas-pthread
    if [ -f $ob/libblas.so.3 ]; then
        blas="LD_LIBRARY_PATH=$ob${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        echo "PyTorch FP32 products: OpenBLAS ($ob)"
    else
        blas="DP_BLAS=reference"
        echo "PyTorch FP32 products: Debian's reference BLAS (apt-get install libopenblas0-pthread for a fair FP32 run)"
    fi
    for dt in f32 bf16; do
        env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$blas" "$PY" tools/ref/train_ref.py bench "$MODEL" --pairs "$PAIRS" \
            --tokens "$TOKENS" --threads "$THREADS" --dtype $dt --steps "$STEPS" >>$out
    done
fi
"$PY" - $out <<'PYEOF'
import sys
d = {}
for line in open(sys.argv[1]):
    k, v = line.split()
    d[k] = float(v)
pf, pb = d.get("peak_f32_gflops"), d.get("peak_bf16_gflops")
print(f"measured peaks: FP32 FMA {pf:.0f} GFLOP/s, BF16 dot products {pb or 0:.0f} GFLOP/s")
rows = [("dpoison full, fp32 products", "c_f32", pf), ("dpoison full, bf16 products", "c_bf16", pb),
        ("dpoison LoRA r16, bf16 products", "c_lora_bf16", pb),
        ("PyTorch FP32", "torch_f32", None), ("PyTorch BF16 autocast", "torch_bf16", None)]
print(f"{'':34}{'tok/s':>9}{'step s':>9}{'GFLOP/s':>9}{'of peak':>9}{'RSS MB':>9}")
for name, k, peak in rows:
    if k + "_tok_s" not in d:
        continue
    g = d.get(k + "_gflops")
    print(f"{name:34}{d[k + '_tok_s']:9.1f}{d[k + '_step_s']:9.2f}" +
          (f"{g:9.0f}{100 * g / peak:8.0f}%" if g and peak else f"{'':18}") +
          f"{d.get(k + '_peak_rss_mb', float('nan')):9.0f}")
tf, tb = d.get("torch_f32_tok_s"), d.get("torch_bf16_tok_s")
for name, k in (("fp32 products", "c_f32"), ("bf16 products", "c_bf16")):
    if tf and k + "_tok_s" in d:
        r1, r2 = d[k + "_tok_s"] / tf, d[k + "_tok_s"] / tb
        print(f"dpoison full ({name}): {r1:.2f}x PyTorch FP32, {r2:.2f}x PyTorch BF16 autocast")
for name, k, target in (("full DPO", "m_full", 10), ("LoRA r16", "m_lora", 3)):
    if k + "_peak_rss_mb" in d:
        gb = d[k + "_peak_rss_mb"] * 1048576 / 1e9
        print(f"{'MET ' if gb < target else 'MISS'} {name}, memory run: peak RSS {gb:.2f} GB "
              f"(target under {target} GB), {d[k + '_step_s']:.1f} s per step")
if tf and "c_bf16_tok_s" in d:
    ok1, ok2 = d["c_bf16_tok_s"] >= 2 * tf, d["c_bf16_tok_s"] > tb
    print(f"{'MET ' if ok1 else 'MISS'} at least 2x PyTorch FP32 (best dpoison mode)")
    print(f"{'MET ' if ok2 else 'MISS'} ahead of PyTorch BF16 autocast")
PYEOF
