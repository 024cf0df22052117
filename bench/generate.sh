#!/bin/sh
# Inference speed and memory: dpoison (bench/gen_bench.c against build/libdpoison.a) and the
# PyTorch reference (bench/gen_torch.py, BF16) in the same run, on a random-weight model of the
# full Qwen2.5-0.5B shape (24 layers, BF16 weights, built once into $BENCH_MODEL by
# tools/ref/qwen_make_random.py): prefill tokens/s for a 512-token prompt, decode tokens/s at
# batch 1, decode throughput at batch 16, peak RSS; then the ratios and the issue's targets
# (batch-1 decode >= 75% of the ~58 tok/s bandwidth bound, prefill >= 600 tok/s, batch 16 >= 8x
# batch 1, peak RSS < 1.5 GB). The read bandwidth over the weights is measured in the same run:
# the batch-1 bound on the machine as it is now (other jobs share the memory bus and the CPUs).
# So is the peak of the arithmetic the products use (bench/peak.h): the script prints what it
# allows and the share of it that each target needs.
# Usage: sh bench/generate.sh [THREADS] (default: all CPUs).
# BENCH_PREC=f32 times dpoison's exact fp32 mode instead of BF16 dot products; NO_TORCH=1 skips
# PyTorch.
set -e
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
THREADS=${1:-$(nproc)}
BENCH_MODEL=${BENCH_MODEL:-build/bench-qwen0.5b}
PREC=${BENCH_PREC:-bf16}
make -s build/bench/gen_bench
if [ ! -f "$BENCH_MODEL/model.safetensors" ]; then
    echo "building the random 0.5B model in $BENCH_MODEL ..." >&2
    "$PY" tools/ref/qwen_make_random.py "$BENCH_MODEL" --config 0.5b --dtype bf16 >&2
fi
echo "machine: $(nproc) CPUs, $THREADS threads; load average $(cut -d' ' -f1-3 /proc/loadavg)"
build/bench/gen_bench "$BENCH_MODEL" --threads "$THREADS" --prec "$PREC" --prompt 512 --steps 32 --batch 16 >build/gen_bench.out
if [ -z "$NO_TORCH" ]; then
    "$PY" bench/gen_torch.py "$BENCH_MODEL" --threads "$THREADS" --dtype bf16 --prompt 512 --steps 16 --batch 16 >build/gen_torch.out
else
    : >build/gen_torch.out
fi
"$PY" - build/gen_bench.out build/gen_torch.out "$PREC" <<'PYEOF'
import sys
def load(f):
    d = {}
    for line in open(f):
        k, v = line.split()
        d[k] = float(v)
    return d
d, t, prec = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
bound = 58.0
rows = [("load (s)", "load_s"), ("prefill 512 (tok/s)", "prefill_tok_s"),
        ("decode batch 1 (tok/s)", "decode1_tok_s"), ("decode batch 16 (tok/s)", "decode16_tok_s"),
        ("peak RSS (MB)", "peak_rss_mb")]
print(f"{'':26}{'dpoison ' + prec:>14}{'PyTorch bf16':>14}{'ratio':>9}")
for name, k in rows:
    tv = t.get(k)
    r = f"{d[k] / tv:8.2f}x" if tv else ""
    print(f"{name:26}{d[k]:14.1f}{tv if tv is not None else float('nan'):14.1f}{r:>9}")
b1, b16 = d["decode1_tok_s"], d["decode16_tok_s"]
print(f"dpoison per CPU-second over the threads (what an idle machine would give when other jobs "
      f"share the CPUs): prefill {d['prefill_tok_s_cpu']:.0f}, decode batch 1 {d['decode1_tok_s_cpu']:.1f}, "
      f"batch 16 {d['decode16_tok_s_cpu']:.1f} tok/s")
if "read_gb_s" in d:   # the machine's bandwidth now (other jobs share it): what batch 1 can reach
    now = d["read_gb_s"] * 1e3 / d["weights_mb"]
    print(f"read bandwidth over the weights in this run {d['read_gb_s']:.1f} GB/s ({d['weights_mb']:.0f} MB per "
          f"decode step): batch-1 bound now {now:.1f} tok/s, decode reaches {100 * b1 / now:.0f}% of it")
pk = d.get("peak_gflops", 0)
if pk:   # what the arithmetic allows, the weights' matrix products alone (attention, norms not counted)
    lf, hf, P = d["layer_mflop_tok"] * 1e6, d["head_mflop_tok"] * 1e6, d["prompt_tokens"]
    fp, fd = lf + hf / P, lf + hf   # flops per token: prefill (one row of logits), decode
    print(f"measured {prec} product peak {pk:.0f} GFLOP/s; at that peak the matrix products alone allow "
          f"prefill {pk * 1e9 / fp:.0f} tok/s and decode {pk * 1e9 / fd:.0f} tok/s at any batch size "
          f"({pk * 1e9 / fd / b1:.1f}x batch 1)")
    p0, p1 = d.get("peak_gflops_first", pk), d.get("peak_gflops_last", pk)
    if min(p0, p1) < 0.9 * pk:
        print(f"note: the peak moved during the run ({p0:.0f} GFLOP/s before, {p1:.0f} after): other jobs "
              f"share the cores, so the shares below are uncertain")
    print(f"share of the peak the products run at: prefill {100 * d['prefill_tok_s'] * fp / (pk * 1e9):.0f}%, "
          f"batch 16 {100 * b16 * fd / (pk * 1e9):.0f}%; the targets would need prefill "
          f"{100 * 600 * fp / (pk * 1e9):.0f}%, batch 16 {100 * 8 * b1 * fd / (pk * 1e9):.0f}% (8x batch 1 as "
          f"measured now; {100 * 8 * bound * fd / (pk * 1e9):.0f}% at the ~{bound:.0f} tok/s of a quiet machine)")
for what, key in (("prefill", "prefill"), ("a batch-16 decode step", "decode16")):
    parts = [(k, d.get(f"prof_{key}_{k}_ms")) for k in ("products", "head", "attn", "rows")]
    if all(v is not None for _, v in parts):
        print(f"where the time of {what} goes (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in parts))
checks = [
    (f"batch-1 decode {b1:.1f} tok/s = {100 * b1 / bound:.0f}% of the ~{bound:.0f} tok/s bandwidth bound", b1 >= 0.75 * bound, ">= 75%"),
    (f"prefill {d['prefill_tok_s']:.0f} tok/s", d["prefill_tok_s"] >= 600, ">= 600"),
    (f"batch-16 throughput {b16 / b1:.1f}x batch 1", b16 >= 8 * b1, ">= 8x"),
    (f"peak RSS {d['peak_rss_mb']:.0f} MB", d["peak_rss_mb"] < 1536, "< 1.5 GB"),
]
for text, ok, target in checks:
    print(f"{'MET ' if ok else 'MISS'} {text} (target {target})")
PYEOF
