#!/bin/sh
# Golden tests for `dpoison ast` against files frozen from CPython by tools/ref/gen_ast_golden.sh:
# tests/py/corpus (3.11 dumps, --indent 2 / --attributes / 3.12 variants), tests/py/corpus312
# (3.12-only syntax, --feature-version 3.12) and tests/py/errors (exit status 1 and
# "PATH:LINE:COL: ErrorClass:" on stderr). Needs no Python. One "ok"/"not ok" line per case;
# details of failures go to stderr.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
cd "$(dirname "$0")/../.." || exit 1
C=tests/py/corpus C312=tests/py/corpus312 E=tests/py/errors
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

if [ ! -x "$DPOISON" ]; then
    echo "not ok - ast/binary: $DPOISON not found"
    exit 1
fi

# Shows where got and want first differ: a unified diff for multi-line files, else ~120
# characters around the first differing byte (dumps are one long line).
show_diff() { # got want
    if [ "$(wc -l <"$2")" -gt 1 ]; then
        diff -u "$2" "$1" | sed -n '3,22p' | cut -c1-300 >&2
        return
    fi
    at=$(cmp "$1" "$2" 2>&1 | sed -n 's/.*differ: [a-z]* \([0-9][0-9]*\),.*/\1/p')
    [ -n "$at" ] || at=$(cmp "$1" "$2" 2>&1 | sed -n 's/.*EOF on .* after [a-z]* \([0-9][0-9]*\).*/\1/p')
    [ -n "$at" ] || at=1
    from=$((at > 60 ? at - 60 : 0))
    printf '  at byte %s\n  want: ...%s...\n  got:  ...%s...\n' "$at" \
        "$(dd if="$2" bs=1 skip=$from count=120 2>/dev/null | tr '\n' '|')" \
        "$(dd if="$1" bs=1 skip=$from count=120 2>/dev/null | tr '\n' '|')" >&2
}

# check NAME WANT [dpoison ast options...] FILE: exit 0, stdout == WANT.
check() {
    name=$1 want=$2
    shift 2
    "$DPOISON" ast "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$want"; then
        echo "ok - $name"
    else
        echo "not ok - $name"; fails=$((fails + 1))
        echo "# $name: dpoison ast $* -> exit $rc; want $want" >&2
        head -3 "$tmp/err" >&2
        show_diff "$tmp/out" "$want"
    fi
}

# --- corpus: 3.11 dumps and their variants -------------------------------------------------
for py in $C/*.py; do
    n=${py%.py}
    b=$(basename "$n")
    check "ast/$b" "$n.dump" "$py"
    [ -f "$n.indent2.dump" ] && check "ast/$b.indent2" "$n.indent2.dump" --indent 2 "$py"
    [ -f "$n.attrs.dump" ] && check "ast/$b.attrs" "$n.attrs.dump" --attributes "$py"
    [ -f "$n.312.dump" ] && check "ast/$b.312" "$n.312.dump" --feature-version 3.12 "$py"
done

# --- corpus312: 3.12-only syntax -----------------------------------------------------------
for py in $C312/*.py; do
    n=${py%.py}
    b=$(basename "$n")
    [ -f "$n.dump" ] && check "ast312/$b" "$n.dump" --feature-version 3.12 "$py"
    [ -f "$n.attrs.dump" ] && check "ast312/$b.attrs" "$n.attrs.dump" --feature-version 3.12 --attributes "$py"
done

# --- errors: exit 1 and "PATH:LINE:COL: ErrorClass:" ----------------------------------------
same_msg=0 nerr=0
for py in $E/*.py; do
    n=${py%.py}
    b=$(basename "$n")
    [ -f "$n.err" ] || { echo "not ok - ast/err/$b: $n.err missing"; fails=$((fails + 1)); continue; }
    where=$(sed -n 1p "$n.err")     # "LINE:COL: ErrorClass"
    msg=$(sed -n 2p "$n.err")
    nerr=$((nerr + 1))
    "$DPOISON" ast "$py" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 1 ] && grep -F -q -e "$py:$where:" "$tmp/err"; then
        echo "ok - ast/err/$b"
        grep -F -x -q -e "$py:$where: $msg" "$tmp/err" && same_msg=$((same_msg + 1))
    else
        echo "not ok - ast/err/$b"; fails=$((fails + 1))
        printf '# ast/err/%s: exit %s (want 1); want "%s:%s: %s"; got:\n' "$b" $rc "$py" "$where" "$msg" >&2
        head -3 "$tmp/err" >&2
    fi
done
echo "# error messages identical to CPython's: $same_msg/$nerr (informational)"

# --- CLI contract: several files, stdin, --parse-only --------------------------------------
multi="$C/literals.py $C/empty.py $C/lambda.py"
: >"$tmp/want"
for f in $multi; do
    printf '==> %s <==\n' "$f" >>"$tmp/want"
    cat "${f%.py}.dump" >>"$tmp/want"
done
# shellcheck disable=SC2086
check "ast/cli-several-files" "$tmp/want" $multi

check "ast/cli-stdin" "$C/operators.dump" - <"$C/operators.py"

# A failing file in the middle: exit 1, its error on stderr, the other two dumped after their headers.
"$DPOISON" ast "$C/lambda.py" "$E/missing_colon_if.py" "$C/operators.py" >"$tmp/out" 2>"$tmp/err"
rc=$?
ok=1
[ $rc -eq 1 ] || ok=0
grep -q "^$E/missing_colon_if.py:[0-9]*:[0-9]*: SyntaxError: " "$tmp/err" || ok=0   # position: ast/err/*
for f in "$C/lambda.py" "$C/operators.py"; do
    awk -v h="==> $f <==" 'p == h { print; exit } { p = $0 }' "$tmp/out" >"$tmp/got"
    cmp -s "$tmp/got" "${f%.py}.dump" || ok=0
done
if [ $ok -eq 1 ]; then echo "ok - ast/cli-error-continues"; else
    echo "not ok - ast/cli-error-continues"; fails=$((fails + 1))
    echo "# exit $rc (want 1); stderr:" >&2
    head -3 "$tmp/err" >&2
fi

# --parse-only: silent on stdout, "parsed N files, M errors" on stderr.
total=$(ls $C/*.py | wc -l | tr -d ' ')
# shellcheck disable=SC2046
"$DPOISON" ast --parse-only $C/*.py >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ ! -s "$tmp/out" ] && grep -q -x "parsed $total files, 0 errors" "$tmp/err"; then
    echo "ok - ast/cli-parse-only"
else
    echo "not ok - ast/cli-parse-only"; fails=$((fails + 1))
    printf '# exit %s, stdout %s bytes, want "parsed %s files, 0 errors"; stderr:\n' \
        $rc "$(wc -c <"$tmp/out")" "$total" >&2
    tail -3 "$tmp/err" >&2
fi
bad="$E/unexpected_indent.py $E/tab_error.py $E/unterminated_triple.py"
# shellcheck disable=SC2046,SC2086
"$DPOISON" ast --parse-only $C/*.py $bad >"$tmp/out" 2>"$tmp/err"
rc=$?
# N counts either every file named or the ones that parsed; both readings of the contract pass.
if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] &&
   grep -q -x -e "parsed $((total + 3)) files, 3 errors" -e "parsed $total files, 3 errors" "$tmp/err" &&
   [ "$(grep -c ': \(Syntax\|Indentation\|Tab\)Error: ' "$tmp/err")" -eq 3 ]; then
    echo "ok - ast/cli-parse-only-errors"
else
    echo "not ok - ast/cli-parse-only-errors"; fails=$((fails + 1))
    echo "# exit $rc (want 1), want 3 error lines and \"parsed N files, 3 errors\"; stderr:" >&2
    tail -5 "$tmp/err" >&2
fi
[ $fails -eq 0 ]
