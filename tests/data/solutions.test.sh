#!/bin/sh
# The synthesized answers against CPython (outside oracle): 3000 answers to real prompts of every
# family (tests/data/test_solutions --write-code) must compile with CPython 3.11; pyflakes (Debian's
# python3-pyflakes, when installed) must find no undefined name, redefinition or syntax problem in
# any of them; and the general answers that touch no file, argument or stream must run their
# example to the end. Prints "ok - ..." lines; "# skip" when an oracle is missing.
BUILD=${BUILD:-build}
GEN=$BUILD/tests/data/test_solutions
PY=${PYTHON:-python3}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
if [ ! -x "$GEN" ]; then
    echo "not ok - synthesized answers: $GEN not built"
    exit 1
fi
mkdir "$tmp/code" "$tmp/run"
"$GEN" --write-code "$tmp/code" 3000 5 || { echo "not ok - synthesized answers written"; exit 1; }

"$PY" - "$tmp/code" <<'PYEOF' || fails=$((fails + 1))
import glob, sys
files = sorted(glob.glob(sys.argv[1] + "/*.py"))
bad = []
for f in files:
    try:
        compile(open(f, encoding="utf-8").read(), f, "exec")
    except SyntaxError as ex:
        bad.append(f"{f}: {ex}")
print(("ok" if not bad and files else "not ok") + f" - synthesized answers compile with CPython {len(files) - len(bad)}/{len(files)}")
for b in bad[:5]:
    print("# " + b)
sys.exit(1 if bad or not files else 0)
PYEOF

if /usr/bin/python3 -c 'import pyflakes' 2>/dev/null; then
    /usr/bin/python3 -m pyflakes "$tmp/code" >"$tmp/flakes" 2>&1
    grep -E "undefined name|redefinition of|syntax|invalid|unable to detect" "$tmp/flakes" >"$tmp/flakes.bad"
    n=$(wc -l <"$tmp/flakes.bad")
    if [ "$n" -eq 0 ]; then
        echo "ok - pyflakes finds no undefined name or redefinition in 3000 answers"
    else
        echo "not ok - pyflakes finds $n problems in the answers"
        head -5 "$tmp/flakes.bad" | sed 's/^/# /'
        fails=$((fails + 1))
    fi
else
    echo "ok - pyflakes check # skip python3-pyflakes not installed"
fi

# general answers that need no files, arguments or input: run their examples
ran=0
bad=0
for f in "$tmp"/code/*_none.py; do
    grep -qE 'open\(|os\.|sys\.argv|sys\.stdin|argparse|Path\(' "$f" && continue
    [ $ran -ge 120 ] && break
    ran=$((ran + 1))
    if ! (cd "$tmp/run" && timeout 10 "$PY" "$f" >/dev/null 2>"$tmp/err"); then
        bad=$((bad + 1))
        [ $bad -le 3 ] && { echo "# $f:"; tail -3 "$tmp/err" | sed 's/^/#   /'; }
    fi
done
if [ $bad -eq 0 ] && [ $ran -gt 50 ]; then
    echo "ok - general answers run their examples with CPython $ran/$ran"
else
    echo "not ok - general answers run their examples with CPython $((ran - bad))/$ran"
    fails=$((fails + 1))
fi
[ $fails -eq 0 ]
