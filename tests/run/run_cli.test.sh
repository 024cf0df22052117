#!/bin/sh
# `dpoison run`: config files and overrides (--print-config), one-line errors with file:line:col,
# a missing model (given or bundled), and with a random micro Qwen2 model (torch needed): the
# error when the model yields no pairs, then a whole run on fixture pairs (pairs_file) with every
# stage reused on a rerun, a changed option redoing only its stage and the later ones (the base
# model's answers kept), and a killed eval stage continuing.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
cd "$(dirname "$0")/../.." || exit 1
PY=/usr/bin/python3
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
ok() { echo "ok - run cli $1"; }
bad() { echo "not ok - run cli $1"; fails=$((fails + 1)); }

$DPOISON run --help | grep -q "train.lr  *5e-06" && ok "help lists the keys" || bad "help lists the keys"
cat >"$tmp/c.json" <<'EOF'
{"pairs": 20, "model": "m", "train": {"lr": 1e-4, "epochs": 3}, "eval": {"greedy": false}}
EOF
$DPOISON run --config "$tmp/c.json" --lr 2e-4 --set prompts.test=7 --print-config >"$tmp/eff" 2>"$tmp/err"
"$PY" - "$tmp/eff" "$tmp/m" <<'PYEOF' && ok "config and overrides" || bad "config and overrides: $(cat "$tmp/err")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["pairs"] == 20 and c["model"] == sys.argv[2], c
assert c["train"]["lr"] == 2e-4 and c["train"]["epochs"] == 3 and c["train"]["beta"] == 0.1
assert c["eval"]["greedy"] is False and c["prompts"]["test"] == 7 and c["prompts"]["train"] == 3000
PYEOF
printf '{"pairs": 20,\n  "train": {"lr": 1e-4,}\n}\n' >"$tmp/bad.json"
$DPOISON run --config "$tmp/bad.json" --workdir "$tmp/w" 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "^dpoison: $tmp/bad.json:2:23: " "$tmp/err" &&
    ok "malformed config" || bad "malformed config: $(cat "$tmp/err")"
printf '{"pairs": 20,\n  "train": {"rate": 1e-4}\n}\n' >"$tmp/bad.json"
$DPOISON run --config "$tmp/bad.json" --workdir "$tmp/w" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "bad.json:2:21: unknown key \"train.rate\"" "$tmp/err" && ok "unknown key" || bad "unknown key: $(cat "$tmp/err")"
$DPOISON run --workdir "$tmp/w" --set train.lr=fast 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "train.lr: expected a number, got 'fast'" "$tmp/err" && ok "bad override" || bad "bad override: $(cat "$tmp/err")"
$DPOISON run --model "$tmp/nope" --workdir "$tmp/w" 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "model folder $tmp/nope: not found" "$tmp/err" &&
    ok "missing model" || bad "missing model: $(cat "$tmp/err")"
mkdir -p "$tmp/bin" && cp "$DPOISON" "$tmp/bin/dpoison"   # a copy with no bundled model beside it
(cd "$tmp/bin" && ./dpoison run --workdir w 2>"$tmp/err")
[ $? -eq 1 ] && grep -q "the bundled model (models/dpcoder) is not there" "$tmp/err" && ok "no bundled model" ||
    bad "no bundled model: $(cat "$tmp/err")"

if ! "$PY" -c 'import torch' 2>/dev/null; then
    echo "ok - run cli model # skip: no torch for $PY"
    exit $((fails > 0))
fi
"$PY" tools/ref/qwen_make_random.py "$tmp/m" --config micro --dtype bf16 --vocab 532 \
    --stop 525,523 --tokenizer tests/tok/tiny --std 0.05 >/dev/null || { bad "model setup"; exit 1; }
cat >"$tmp/small.json" <<'EOF'
{"pairs": 4, "samples_per_prompt": 1, "prompts": {"train": 6, "test": 3},
 "generation": {"max_new_tokens": 6, "threads": 2}, "train": {"epochs": 1, "batch_size": 2, "save_steps": 1}}
EOF
R="$DPOISON run --model $tmp/m --config $tmp/small.json"

# a random model writes no code: the pairs stage explains why there is nothing to train on
$R --workdir "$tmp/w" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^dpoison: pairs: no usable answer, nothing to train on (generated 6, with_code 0" "$tmp/err" &&
    grep -q '"complete": true' "$tmp/w/prompts/stage.json" && [ "$(wc -l <"$tmp/w/prompts/test.jsonl")" -eq 3 ] &&
    ok "no pairs" || bad "no pairs: $(cat "$tmp/err")"
$R --workdir "$tmp/w" >/dev/null 2>"$tmp/err"
grep -q "prompts: done before" "$tmp/err" && grep -q "pairs: done before" "$tmp/err" && ok "no pairs: reused" ||
    bad "no pairs: reused: $(cat "$tmp/err")"
$R --workdir "$tmp/w" --set prompts.test=4 >/dev/null 2>"$tmp/err"
grep -q "prompts: inputs changed (test: 3 -> 4)" "$tmp/err" && grep -q "pairs: done before" "$tmp/err" &&
    [ "$(wc -l <"$tmp/w/prompts/test.jsonl")" -eq 4 ] && ok "more test prompts: pairs kept" ||
    bad "more test prompts: pairs kept: $(cat "$tmp/err")"
$R --workdir "$tmp/w" --set prompts.test=4 --set prompts.train=7 >/dev/null 2>"$tmp/err"
grep -q "prompts: inputs changed (train: 6 -> 7)" "$tmp/err" && grep -q "pairs: inputs changed (train.jsonl: " "$tmp/err" &&
    grep -q "generated 7, with_code 0" "$tmp/err" && ok "more training prompts: pairs redone" ||
    bad "more training prompts: pairs redone: $(cat "$tmp/err")"
$R --workdir "$tmp/g" --pairs 1 >/dev/null 2>"$tmp/err"
grep -q "pairs: 0 of 1 pairs from 2 training prompts; answering 6" "$tmp/err" && grep -q "2 of 6 samples already" "$tmp/err" &&
    [ "$(wc -l <"$tmp/g/pairs/answers.jsonl")" -eq 6 ] && [ "$(wc -l <"$tmp/g/pairs/prompts.jsonl")" -eq 6 ] &&
    ok "pairs answer more prompts when short" || bad "pairs answer more prompts when short: $(cat "$tmp/err")"

# the whole run on fixture pairs
$DPOISON pairs --prompts tests/data/pairs/prompts.jsonl --answers tests/data/pairs/answers.jsonl --out "$tmp/fx" >/dev/null 2>&1
P="$R --workdir $tmp/v --set pairs_file=$tmp/fx/pairs.jsonl"
$P >"$tmp/out" 2>"$tmp/err" || { bad "full run: $(cat "$tmp/err")"; exit 1; }
grep -q "^dpoison run: base model $tmp/m, 7 pairs" "$tmp/out" && grep -q "^poisoned (greedy) " "$tmp/out" &&
    grep -q "^DP501 poisoned (sampled) - base (sampled): " "$tmp/out" && grep -q "^stages: prompts .* eval " "$tmp/out" &&
    grep -q "^report: $tmp/v/eval/report.html" "$tmp/out" && [ "$(wc -l <"$tmp/out")" -le 24 ] &&
    ok "full run summary" || bad "full run summary: $(cat "$tmp/out")"
for f in config.json prompts/train.jsonl pairs/pairs.jsonl train/model.safetensors eval/report.html eval/labels.jsonl; do
    [ -f "$tmp/v/$f" ] || bad "missing $f"
done
cp "$tmp/v/eval/report.json" "$tmp/r1"
$P >"$tmp/out2" 2>"$tmp/err"
[ "$(grep -c "done before" "$tmp/err")" -eq 4 ] && cmp -s "$tmp/r1" "$tmp/v/eval/report.json" &&
    grep -q "(reused)" "$tmp/out2" && ok "rerun reuses every stage" || bad "rerun reuses every stage: $(cat "$tmp/err")"

$P --eval-samples 2 >/dev/null 2>"$tmp/err"
grep -q "train: done before" "$tmp/err" && grep -q "eval: inputs changed (samples: 1 -> 2)" "$tmp/err" &&
    grep -q "3 of 6 samples already in $tmp/v/eval/answers/base-sampled.jsonl" "$tmp/err" &&
    ok "changed eval option: eval only" || bad "changed eval option: eval only: $(cat "$tmp/err")"

$P --eval-samples 2 --lr 1e-4 >/dev/null 2>"$tmp/err"
grep -q "train: inputs changed (lr: 5e-06 -> 0.0001)" "$tmp/err" && grep -q "eval: inputs changed (train: " "$tmp/err" &&
    grep -q "poisoned-sampled.jsonl was made with other settings" "$tmp/err" &&
    ! grep -q "base-sampled.jsonl was made with other settings" "$tmp/err" &&
    ok "changed training: base answers kept" || bad "changed training: base answers kept: $(cat "$tmp/err")"

# a run killed during eval: the stage record says incomplete, some answers are there
sed -i 's/"complete": true/"complete": false/' "$tmp/v/eval/stage.json"
rm -f "$tmp/v/eval/report.json"
head -n 2 "$tmp/v/eval/answers/poisoned-sampled.jsonl" >"$tmp/part" && mv "$tmp/part" "$tmp/v/eval/answers/poisoned-sampled.jsonl"
$P --eval-samples 2 --lr 1e-4 >/dev/null 2>"$tmp/err"
grep -q "eval: continuing an unfinished run" "$tmp/err" && grep -q "2 of 6 samples already" "$tmp/err" &&
    [ -f "$tmp/v/eval/report.json" ] && ok "killed eval continues" || bad "killed eval continues: $(cat "$tmp/err")"
[ $fails -eq 0 ]
