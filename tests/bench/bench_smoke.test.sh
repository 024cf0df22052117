#!/bin/sh
# The benchmarks' C sides (built by make as $BUILD/bench/*) run and print every key that
# bench/generate.sh and bench/train.sh read: gen_bench on a random micro Qwen2 model, with the
# matrix products' work per token checked against the model's config.json; train_bench --peak
# and one DPO step. Speed is not checked here: the bench scripts measure it against PyTorch.
# Skips when /usr/bin/python3 lacks torch (the model maker needs it).
BUILD=${BUILD:-build}
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - bench smoke # skip: no torch for $PY"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
ok() { echo "ok - bench $1"; }
bad() { echo "not ok - bench $1"; }

"$PY" "$root/tools/ref/qwen_make_random.py" "$tmp/m" --config micro --dtype bf16 >/dev/null || { bad "model setup"; exit 1; }
"$BUILD/bench/gen_bench" "$tmp/m" --threads 2 --prompt 24 --steps 3 --batch 3 >"$tmp/g" 2>"$tmp/err" \
    && ok "gen_bench runs" || bad "gen_bench failed: $(head -3 "$tmp/err")"
missing=""
for k in load_s prompt_tokens prefill_tok_s decode1_tok_s decode3_tok_s prefill_tok_s_cpu \
         decode1_tok_s_cpu decode3_tok_s_cpu weights_mb read_gb_s layer_mflop_tok head_mflop_tok \
         peak_gflops peak_gflops_first peak_gflops_last peak_rss_mb \
         prof_prefill_products_ms prof_prefill_head_ms prof_prefill_attn_ms prof_prefill_rows_ms \
         prof_decode3_products_ms prof_decode3_head_ms prof_decode3_attn_ms prof_decode3_rows_ms; do
    grep -Eq "^$k [0-9][0-9.e+-]*\$" "$tmp/g" || missing="$missing $k"
done
[ -z "$missing" ] && ok "gen_bench keys" || bad "gen_bench keys missing or not numbers:$missing"
# the work per token, from config.json by an independent count
"$PY" - "$tmp/m/config.json" "$tmp/g" <<'PYEOF' && ok "work per token" || bad "work per token"
import json, sys
c = json.load(open(sys.argv[1]))
d = dict(line.split() for line in open(sys.argv[2]))
C, F, L, V = c["hidden_size"], c["intermediate_size"], c["num_hidden_layers"], c["vocab_size"]
D = C // c["num_attention_heads"]
q, kv = c["num_attention_heads"] * D, c["num_key_value_heads"] * D
layer = 2 * L * (C * (q + 2 * kv) + q * C + 2 * F * C + C * F)
want = (layer / 1e6, 2 * V * C / 1e6)
got = (float(d["layer_mflop_tok"]), float(d["head_mflop_tok"]))
ok = all(abs(g - w) <= 1e-5 * w for g, w in zip(got, want))
if not ok:
    print(f"got {got}, want {want}", file=sys.stderr)
sys.exit(0 if ok else 1)
PYEOF
"$BUILD/bench/train_bench" --peak --threads 2 >"$tmp/p" 2>"$tmp/err" || bad "train_bench --peak failed"
if grep -q avx512f /proc/cpuinfo; then
    grep -Eq '^peak_f32_gflops [0-9]' "$tmp/p" && ok "FP32 peak printed" || bad "no FP32 peak on an AVX-512 CPU"
else
    [ ! -s "$tmp/p" ] && ok "no peak without AVX-512" || bad "a peak printed without AVX-512"
fi
"$BUILD/bench/train_bench" "$tmp/m" --pairs 1 --tokens 16 --steps 1 --threads 2 >"$tmp/t" 2>"$tmp/err" \
    && grep -Eq '^dpoison_tok_s [0-9]' "$tmp/t" && grep -Eq '^dpoison_peak_rss_mb [0-9]' "$tmp/t" \
    && ok "train_bench step" || bad "train_bench step: $(head -3 "$tmp/err")"
