#!/bin/sh
# `dpoison tokenize` / `detokenize` as a user meets them, on the tiny test tokenizer: help,
# one line per file with --each, stdin, byte-exact round trips (invalid UTF-8 included), and a
# one-line error naming file and position for every kind of bad input, never a crash.
DPOISON=${DPOISON:-build/dpoison}
M=tests/tok/tiny
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

check() {   # check NAME COMMAND...: ok when the command succeeds
    name=$1
    shift
    if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fails=$((fails + 1)); fi
}

# expect_err NAME WANT_RC PATTERN COMMAND...: exits WANT_RC with one stderr line matching PATTERN
expect_err() {
    name=$1 want=$2 pat=$3
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq "$want" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$pat" "$tmp/err"; then
        echo "ok - $name"
    else
        echo "not ok - $name (exit $rc, stderr: $(head -c 300 "$tmp/err"))"
        fails=$((fails + 1))
    fi
}

check "tokenize --help" sh -c "'$DPOISON' tokenize --help | grep -q 'usage: dpoison tokenize'"
check "detokenize --help" sh -c "'$DPOISON' detokenize --help | grep -q 'usage: dpoison detokenize'"

printf 'def f(x):\r\n\treturn x  # caf\303\251 <|im_end|>\n' >"$tmp/a.txt"
printf '\377\376 bytes \344\270 cut <|endoftext|>' >"$tmp/b.txt"
: >"$tmp/empty.txt"
check "--each prints one line per file" sh -c \
    "[ \$('$DPOISON' tokenize --model $M --each $tmp/a.txt $tmp/empty.txt $tmp/b.txt | wc -l) -eq 3 ]"
check "stdin and a file give the same ids" sh -c \
    "'$DPOISON' tokenize --model $M - <$tmp/a.txt >$tmp/1 && '$DPOISON' tokenize --model $M/tokenizer.json $tmp/a.txt >$tmp/2 && cmp -s $tmp/1 $tmp/2"
for f in a b; do
    check "round trip is byte-exact ($f.txt)" sh -c \
        "'$DPOISON' tokenize --model $M $tmp/$f.txt | '$DPOISON' detokenize --model $M - | cmp -s - $tmp/$f.txt"
done
check "special tokens are single ids unless --no-special" sh -c \
    "'$DPOISON' tokenize --model $M $tmp/a.txt | grep -qw 525 && ! '$DPOISON' tokenize --no-special --model $M $tmp/a.txt | grep -qw 525"
check "--skip-special drops them on decoding" sh -c \
    "[ \"\$(echo 104 525 105 | '$DPOISON' detokenize --skip-special --model $M -)\" = hi ]"

expect_err "missing model folder" 1 "no-such-model.*cannot open" \
    "$DPOISON" tokenize --model "$tmp/no-such-model" "$tmp/a.txt"
expect_err "missing input file" 1 "no-such-file.txt" \
    "$DPOISON" tokenize --model $M "$tmp/no-such-file.txt"
printf '{"model": {"type": "BPE",\n  "vocab": {"a": 0' >"$tmp/trunc.json"
expect_err "truncated tokenizer.json: file:line:col" 1 "trunc.json:2:[0-9]*: " \
    "$DPOISON" tokenize --model "$tmp/trunc.json" "$tmp/a.txt"
printf '{\n "model": {"type": "Unigram", "vocab": []}}' >"$tmp/uni.json"
expect_err "unknown model type" 1 'uni.json:2:[0-9]*: unknown model type "Unigram"' \
    "$DPOISON" tokenize --model "$tmp/uni.json" "$tmp/a.txt"
mkdir -p "$tmp/m"
sed 's/"type": "NFC"/"type": "Precompiled"/' $M/tokenizer.json >"$tmp/m/tokenizer.json"
expect_err "unsupported normalizer, in a folder" 1 'm/tokenizer.json:[0-9]*:[0-9]*: unsupported normalizer' \
    "$DPOISON" tokenize --model "$tmp/m" "$tmp/a.txt"
cp $M/tokenizer.json "$tmp/m/tokenizer.json"
printf '{"eos_token": 5}' >"$tmp/m/tokenizer_config.json"
expect_err "bad tokenizer_config.json" 1 'tokenizer_config.json:1:[0-9]*: "eos_token"' \
    "$DPOISON" tokenize --model "$tmp/m" "$tmp/a.txt"
printf '1 2\n3 99999\n' >"$tmp/ids"
expect_err "detokenize: unknown id with line:col" 1 "ids:2:3: token id 99999" \
    "$DPOISON" detokenize --model $M "$tmp/ids"
printf '1 2x 3' >"$tmp/ids"
expect_err "detokenize: not a number" 1 "ids:1:3: expected a token id, got '2x'" \
    "$DPOISON" detokenize --model $M "$tmp/ids"
expect_err "tokenize without --each takes one file" 2 "one FILE" \
    "$DPOISON" tokenize --model $M "$tmp/a.txt" "$tmp/b.txt"
[ $fails -eq 0 ]
