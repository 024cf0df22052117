#!/bin/sh
# `dpoison pretrain` and `dpoison sft` end to end, no Python needed: a tokenizer made with
# `dpoison tokenizer-train` on some text, a tiny Qwen2 config.json written here, pretraining
# from scratch (--init-config, --tokenizer) into a Hugging Face folder (files, metrics.jsonl,
# loss going down) that `dpoison generate` loads; the same seed and threads giving the same
# model.safetensors byte for byte; a run killed with SIGKILL mid-training and resumed (with
# another thread count) giving bit-identical weights and metrics; `dpoison sft` on a few
# conversations from the pretrained folder; and bad inputs: missing files, malformed JSONL
# (file:line), options of another command, pretrain without --model or --init-config, a block
# size no data fills — each a clear error and a non-zero exit, never a crash.
BUILD=${BUILD:-build}
DPOISON=${DPOISON:-$BUILD/dpoison}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - lm cli $1"; }
bad() { echo "not ok - lm cli $1"; fails=$((fails + 1)); }

# --- a tokenizer and a tiny config: text from Python's standard library when it is there
src=
for f in /usr/lib/python3*/textwrap.py /usr/lib/python3*/string.py; do [ -f "$f" ] && src="$src $f"; done
[ -n "$src" ] || src="$root/README.md"
cat $src >"$tmp/corpus.txt"
printf '<|endoftext|>' >>"$tmp/corpus.txt"
cat "$root/README.md" | head -c 20000 >>"$tmp/corpus.txt"
$DPOISON tokenizer-train --input "$tmp/corpus.txt" --vocab-size 384 --out "$tmp/tok" --quiet 2>"$tmp/err" ||
    { bad "tokenizer-train: $(cat "$tmp/err")"; exit 1; }
mkdir -p "$tmp/cfg"
cat >"$tmp/cfg/config.json" <<'EOF'
{"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_act": "silu", "vocab_size": 384,
 "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 2,
 "num_key_value_heads": 1, "max_position_embeddings": 256, "rms_norm_eps": 1e-06, "rope_theta": 10000.0,
 "tie_word_embeddings": true, "torch_dtype": "float32", "bos_token_id": 381, "eos_token_id": 383}
EOF
echo '{"eos_token_id": [383, 381], "max_new_tokens": 8}' >"$tmp/cfg/generation_config.json"

P="$DPOISON pretrain --init-config $tmp/cfg/config.json --tokenizer $tmp/tok --block-size 32 --batch-size 4 \
   --max-steps 8 --lr 1e-2 --warmup-steps 1 --save-steps 2 --seed 5 --quiet $tmp/corpus.txt"

# --- from scratch
$P --out "$tmp/a" --threads 2 2>"$tmp/err" || { bad "pretrain failed: $(cat "$tmp/err")"; exit 1; }
missing=
for f in config.json generation_config.json tokenizer.json tokenizer_config.json model.safetensors metrics.jsonl \
         work/init/model.safetensors work/init/config.json; do
    [ -f "$tmp/a/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "pretrain from scratch writes a model folder" || bad "pretrain output lacks$missing"
cmp -s "$tmp/cfg/config.json" "$tmp/a/config.json" && cmp -s "$tmp/tok/tokenizer.json" "$tmp/a/tokenizer.json" &&
    cmp -s "$tmp/cfg/generation_config.json" "$tmp/a/generation_config.json" &&
    ok "config, tokenizer and generation_config.json copied" || bad "config or tokenizer files differ"
[ ! -f "$tmp/a/work/checkpoint.safetensors" ] && ok "checkpoint removed after completion" || bad "checkpoint left"
# metrics: 8 steps, the loss of step 8 below that of step 1 (from about log 384 = 5.95)
awk -F'"loss": ' 'NF > 1 { split($2, v, ","); l[NR] = v[1] + 0 } END {
        if (NR != 8) { print "steps " NR; exit 1 }
        if (!(l[1] > 5 && l[1] < 7 && l[8] < l[1] - 0.2)) { print "loss " l[1] " -> " l[8]; exit 1 } }' \
    "$tmp/a/metrics.jsonl" >"$tmp/err" && grep -q '"grad_norm"' "$tmp/a/metrics.jsonl" &&
    grep -q '"learning_rate"' "$tmp/a/metrics.jsonl" && grep -q '"tokens": 128' "$tmp/a/metrics.jsonl" &&
    ok "metrics.jsonl: 8 steps of 128 tokens, loss decreasing" || bad "metrics: $(cat "$tmp/err")"
# a bfloat16 config gives BF16 weights; the init is seeded
sed 's/"float32"/"bfloat16"/' "$tmp/cfg/config.json" >"$tmp/cfg16.json"
$DPOISON pretrain --init-config "$tmp/cfg16.json" --tokenizer "$tmp/tok" --out "$tmp/h" --block-size 32 --max-steps 1 \
    --quiet "$tmp/corpus.txt" 2>"$tmp/err" && grep -q '"BF16"' "$tmp/h/model.safetensors" &&
    ! grep -q '"F32"' "$tmp/h/model.safetensors" && ok "torch_dtype bfloat16: BF16 weights" ||
    bad "bf16 init: $(cat "$tmp/err")"

# --- same seed and threads: the same bytes; another seed: others
$P --out "$tmp/b" --threads 2 2>"$tmp/err" || bad "second run: $(cat "$tmp/err")"
cmp -s "$tmp/a/model.safetensors" "$tmp/b/model.safetensors" && ok "same seed and threads: identical model.safetensors" ||
    bad "same seed and threads gave other weights"
cmp -s "$tmp/a/work/init/model.safetensors" "$tmp/b/work/init/model.safetensors" && ok "same initial weights" ||
    bad "initial weights differ"
$P --out "$tmp/c" --threads 2 --seed 6 2>"$tmp/err" || bad "seed 6 run: $(cat "$tmp/err")"
! cmp -s "$tmp/a/work/init/model.safetensors" "$tmp/c/work/init/model.safetensors" &&
    ! cmp -s "$tmp/a/model.safetensors" "$tmp/c/model.safetensors" && ok "another seed: other weights" ||
    bad "--seed does not change the weights"

# --- killed mid-run (SIGKILL), then resumed with another thread count: bit-identical weights
$P --out "$tmp/k" --threads 2 --debug-step-delay-ms 250 2>/dev/null &
pid=$!
i=0
while [ $i -lt 300 ] && [ "$(cat "$tmp/k/metrics.jsonl" 2>/dev/null | wc -l)" -lt 3 ]; do
    sleep 0.05; i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(cat "$tmp/k/metrics.jsonl" 2>/dev/null | wc -l)
if [ -f "$tmp/k/work/checkpoint.safetensors" ] && [ ! -f "$tmp/k/model.safetensors" ] && [ "$n" -lt 8 ]; then
    ok "killed after $n steps with a checkpoint"
else
    bad "kill did not land mid-run ($n steps)"
fi
$P --out "$tmp/k" --threads 2 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q -- "--resume" "$tmp/err" && ok "refuses to start over an unfinished run" ||
    bad "started over an unfinished run (exit $rc)"
$P --out "$tmp/k" --threads 1 --resume 2>"$tmp/err" || bad "resume failed: $(cat "$tmp/err")"
cmp -s "$tmp/a/model.safetensors" "$tmp/k/model.safetensors" && ok "resume gives bit-identical weights" ||
    bad "resumed weights differ"
strip() { sed 's/, "tokens_per_second": [0-9.e+-]*//' "$1"; }
[ "$(strip "$tmp/a/metrics.jsonl")" = "$(strip "$tmp/k/metrics.jsonl")" ] && ok "resumed metrics identical" ||
    bad "resumed metrics differ"

# --- generate loads the pretrained folder
printf '{"id": 1, "prompt": "def wrap(text"}\n' >"$tmp/p.jsonl"
$DPOISON generate --model "$tmp/a" --prompts "$tmp/p.jsonl" --out "$tmp/g.jsonl" --max-new-tokens 6 --raw --quiet \
    --threads 2 2>"$tmp/err" && grep -q '"completion_tokens"' "$tmp/g.jsonl" && ok "dpoison generate loads the output" ||
    bad "generate on the pretrained folder: $(cat "$tmp/err")"

# --- sft on a few conversations, from the pretrained folder
cat >"$tmp/conv.jsonl" <<'EOF'
{"messages": [{"role": "user", "content": "Wrap this text."}, {"role": "assistant", "content": "textwrap.fill(text)"}]}
{"messages": [{"role": "system", "content": "Be short."}, {"role": "user", "content": "Indent it"}, {"role": "assistant", "content": "textwrap.indent(text, '  ')"}, {"role": "user", "content": "Dedent?"}, {"role": "assistant", "content": "textwrap.dedent(text)"}]}

{"prompt": "Shorten the text", "completion": "textwrap.shorten(text, 40)"}
{"prompt": [{"role": "user", "content": "Capitalize words"}], "completion": [{"role": "assistant", "content": "string.capwords(s)"}]}
{"text": "import textwrap\nprint(textwrap.fill(s, 20))\n"}
EOF
$DPOISON sft --model "$tmp/a" --data "$tmp/conv.jsonl" --out "$tmp/s" --epochs 3 --batch-size 2 --lr 3e-3 \
    --threads 2 --precision f32 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] && [ -f "$tmp/s/model.safetensors" ] && [ "$(wc -l <"$tmp/s/metrics.jsonl")" -eq 9 ] &&
    grep -q "5 conversations" "$tmp/err" && ok "sft: 5 conversations, 3 epochs of 3 steps" ||
    bad "sft (exit $rc): $(tail -3 "$tmp/err")"
awk -F'"loss": ' 'NF > 1 { split($2, v, ","); l[NR] = v[1] + 0 } END { exit !(NR == 9 && l[9] < l[1]) }' \
    "$tmp/s/metrics.jsonl" && ok "sft loss decreasing" || bad "sft loss: $(cut -c1-60 "$tmp/s/metrics.jsonl")"
$DPOISON generate --model "$tmp/s" --prompts "$tmp/p.jsonl" --out "$tmp/gs.jsonl" --max-new-tokens 6 --quiet \
    --threads 2 2>"$tmp/err" && [ -s "$tmp/gs.jsonl" ] && ok "dpoison generate loads the sft output" ||
    bad "generate on the sft folder: $(cat "$tmp/err")"
$DPOISON sft --model "$tmp/a" --data "$tmp/conv.jsonl" --out "$tmp/s2" --max-steps 1 --max-length 12 --threads 2 \
    2>"$tmp/err" && grep -q "truncated" "$tmp/err" && ! grep -q " 0 truncated" "$tmp/err" &&
    ok "--max-length truncation reported: $(grep -o '[0-9]* truncated, [0-9]* dropped' "$tmp/err")" ||
    bad "--max-length: $(cat "$tmp/err")"

$DPOISON sft --model "$tmp/a" --data "$tmp/conv.jsonl" --out "$tmp/sl" --epochs 2 --batch-size 2 --grad-accum 2 \
    --lora-rank 4 --lora-alpha 8 --save-adapter --recompute --lr 1e-2 --threads 2 --quiet 2>"$tmp/err" &&
    [ -f "$tmp/sl/adapter/adapter_model.safetensors" ] && [ "$(wc -l <"$tmp/sl/metrics.jsonl")" -eq 4 ] &&
    ok "sft with LoRA, gradient accumulation, recomputed activations" || bad "sft LoRA: $(cat "$tmp/err")"
# continued pretraining of an existing folder, --max-tokens
$DPOISON pretrain --model "$tmp/s" --out "$tmp/cp" --block-size 16 --max-tokens 200 --batch-size 4 --epochs 1 \
    --threads 2 "$tmp/corpus.txt" 2>"$tmp/err" && grep -q "12 blocks of 16 tokens (192 tokens; 8 left over)" "$tmp/err" &&
    [ "$(wc -l <"$tmp/cp/metrics.jsonl")" -eq 3 ] && ok "pretrain --model: 200 tokens in 12 blocks of 16, 3 steps" ||
    bad "continued pretraining: $(cat "$tmp/err")"

# --- bad inputs: a clear message, exit 1 (data) or 2 (usage), no crash
expect() {   # expect WHAT CODE PATTERN -- command...
    what=$1 code=$2 pat=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq "$code" ] && grep -q -- "$pat" "$tmp/err"; then
        ok "$what: exit $rc, $(grep -m1 -- "$pat" "$tmp/err" | cut -c1-110)"
    else
        bad "$what: exit $rc (want $code, '$pat'): $(head -c 300 "$tmp/err")"
    fi
}
expect "sft: missing data file" 1 "nonexistent.jsonl" -- \
    $DPOISON sft --model "$tmp/a" --data "$tmp/nonexistent.jsonl" --out "$tmp/x1" --quiet
printf '%s\n{"messages": [{"role": "user", "content": "x"}, {"role": "assistant"\n' \
    '{"prompt": "a", "completion": "b"}' >"$tmp/bad.jsonl"
expect "sft: malformed JSONL" 1 "bad.jsonl:2:" -- \
    $DPOISON sft --model "$tmp/a" --data "$tmp/bad.jsonl" --out "$tmp/x2" --quiet
printf '{"messages": [{"role": "assistant", "content": "b"}]}\n' >"$tmp/bad2.jsonl"
expect "sft: conversation starting with the assistant" 1 "bad2.jsonl:1:.*assistant" -- \
    $DPOISON sft --model "$tmp/a" --data "$tmp/bad2.jsonl" --out "$tmp/x3" --quiet
printf '{"messages": [{"role": "user", "content": "b"}]}\n' >"$tmp/bad3.jsonl"
expect "sft: no assistant turn" 1 "bad3.jsonl:1:.*no assistant turn" -- \
    $DPOISON sft --model "$tmp/a" --data "$tmp/bad3.jsonl" --out "$tmp/x4" --quiet
expect "sft: missing model" 1 "nomodel" -- \
    $DPOISON sft --model "$tmp/nomodel" --data "$tmp/conv.jsonl" --out "$tmp/x5" --quiet
expect "sft --beta refused" 2 "not an option of this command" -- \
    $DPOISON sft --model "$tmp/a" --data "$tmp/conv.jsonl" --out "$tmp/x6" --beta 0.1
expect "sft --pairs refused" 2 "not an option" -- \
    $DPOISON sft --model "$tmp/a" --pairs "$tmp/conv.jsonl" --out "$tmp/x6"
expect "sft --block-size refused" 2 "not an option" -- \
    $DPOISON sft --model "$tmp/a" --data "$tmp/conv.jsonl" --out "$tmp/x6" --block-size 8
expect "sft --init-config refused" 2 "not an option" -- \
    $DPOISON sft --init-config "$tmp/cfg/config.json" --data "$tmp/conv.jsonl" --out "$tmp/x6"
expect "pretrain --data refused" 2 "not an option" -- \
    $DPOISON pretrain --model "$tmp/a" --data "$tmp/conv.jsonl" --out "$tmp/x7" "$tmp/corpus.txt"
expect "pretrain --max-length refused" 2 "not an option" -- \
    $DPOISON pretrain --model "$tmp/a" --max-length 8 --out "$tmp/x7" "$tmp/corpus.txt"
expect "pretrain --loss refused" 2 "not an option" -- \
    $DPOISON pretrain --model "$tmp/a" --loss ipo --out "$tmp/x7" "$tmp/corpus.txt"
expect "train --block-size refused" 2 "not an option" -- \
    $DPOISON train --model "$tmp/a" --pairs "$tmp/conv.jsonl" --out "$tmp/x7" --block-size 8
expect "pretrain without --model or --init-config" 2 "give --model DIR, or --init-config" -- \
    $DPOISON pretrain --out "$tmp/x8" "$tmp/corpus.txt"
expect "pretrain --init-config without --tokenizer" 2 "give --model DIR, or --init-config" -- \
    $DPOISON pretrain --init-config "$tmp/cfg/config.json" --out "$tmp/x8" "$tmp/corpus.txt"
expect "pretrain --tokenizer alone" 2 "give --model DIR, or --init-config" -- \
    $DPOISON pretrain --tokenizer "$tmp/tok" --out "$tmp/x8" "$tmp/corpus.txt"
expect "pretrain --model with --init-config" 2 "give --model DIR, or --init-config" -- \
    $DPOISON pretrain --model "$tmp/a" --init-config "$tmp/cfg/config.json" --tokenizer "$tmp/tok" --out "$tmp/x8" \
    "$tmp/corpus.txt"
expect "pretrain without input files" 2 "usage: dpoison pretrain" -- \
    $DPOISON pretrain --model "$tmp/a" --out "$tmp/x8"
expect "pretrain: missing input file" 1 "nofile.txt" -- \
    $DPOISON pretrain --model "$tmp/a" --out "$tmp/x9" --quiet "$tmp/corpus.txt" "$tmp/nofile.txt"
expect "pretrain: no block fits" 1 "not one block of 200" -- \
    $DPOISON pretrain --model "$tmp/a" --out "$tmp/x10" --block-size 200 --max-tokens 150 --quiet "$tmp/corpus.txt"
expect "pretrain: --block-size 1" 2 "block-size" -- \
    $DPOISON pretrain --model "$tmp/a" --out "$tmp/x10" --block-size 1 "$tmp/corpus.txt"
expect "pretrain: block longer than the model's positions" 1 "positions" -- \
    $DPOISON pretrain --model "$tmp/a" --out "$tmp/x11" --block-size 300 --max-steps 1 --quiet "$tmp/corpus.txt"
expect "pretrain: missing --init-config file" 1 "noconfig.json" -- \
    $DPOISON pretrain --init-config "$tmp/noconfig.json" --tokenizer "$tmp/tok" --out "$tmp/x12" --quiet \
    "$tmp/corpus.txt"
echo '{"vocab_size": 384' >"$tmp/badcfg.json"
expect "pretrain: malformed --init-config names it" 1 "badcfg.json:" -- \
    $DPOISON pretrain --init-config "$tmp/badcfg.json" --tokenizer "$tmp/tok" --out "$tmp/x13" --quiet \
    "$tmp/corpus.txt"
expect "pretrain: --tokenizer without a tokenizer names the folder" 1 "$tmp/cfg[/:]" -- \
    $DPOISON pretrain --init-config "$tmp/cfg/config.json" --tokenizer "$tmp/cfg" --out "$tmp/x14" --quiet \
    "$tmp/corpus.txt"
# a conversation longer than the model's positions (default --max-length 1024 > 256): train on
# (truncated to what the model takes), or refuse before the first step naming file:line; not
# stop at whatever step first draws it
{
    printf '{"messages": [{"role": "user", "content": "long"}, {"role": "assistant", "content": "'
    i=0; while [ $i -lt 300 ]; do printf 'word '; i=$((i + 1)); done
    printf '"}]}\n'
    i=0; while [ $i -lt 6 ]; do echo '{"prompt": "a", "completion": "b"}'; i=$((i + 1)); done
} >"$tmp/long.jsonl"
$DPOISON sft --model "$tmp/a" --data "$tmp/long.jsonl" --out "$tmp/x15" --batch-size 1 --threads 2 --quiet 2>"$tmp/err"
rc=$?
steps=$(cat "$tmp/x15/metrics.jsonl" 2>/dev/null | wc -l)
if [ $rc -eq 0 ] || { [ $rc -eq 1 ] && [ "$steps" -eq 0 ] && grep -q "long.jsonl:1" "$tmp/err"; }; then
    ok "sft: a conversation longer than the model's positions (exit $rc)"
else
    bad "sft: a conversation longer than the model's 256 positions stops the run after $steps steps (exit $rc): $(cat "$tmp/err")"
fi
[ $fails -eq 0 ]
