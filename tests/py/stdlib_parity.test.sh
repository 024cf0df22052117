#!/bin/sh
# Parity of `dpoison ast` with CPython's ast.dump on real code no one here wrote: every .py file
# of Debian 12's Python 3.11 standard library (/usr/lib/python3.11, 668 files) against
# /usr/bin/python3, computed live; and, where pyenv's python3.12 exists, its standard library
# (site-packages excluded; test folders reported on their own line) with --feature-version 3.12.
# Files CPython rejects must be rejected with the same "LINE:COL: ErrorClass". Each part skips
# with "ok - ... # skip" when its interpreter or folder is missing.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
PY311=/usr/bin/python3 LIB311=/usr/lib/python3.11
PY312=${PY312:-/root/.pyenv/versions/3.12.1/bin/python3.12}
LIB312=${LIB312:-/root/.pyenv/versions/3.12.1/lib/python3.12}
LIMIT=${PARITY_TIMEOUT:-300}   # seconds for one dpoison run over a whole file set
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0

# oracle LIST EXP ERRS [--attributes]: python's ast.dump of every file in LIST, as `dpoison ast` prints several
# files ("==> PATH <==" then the one-line dump) into EXP; rejected files as
# "PATH<TAB>LINE:COL: ErrorClass<TAB>message" lines into ERRS.
ORACLE='
import ast, sys, warnings
warnings.simplefilter("ignore")
paths = open(sys.argv[1], encoding="utf-8").read().splitlines()
attrs = "--attributes" in sys.argv[4:]
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as out, \
     open(sys.argv[3], "w", encoding="utf-8", newline="\n") as errs:
    for p in paths:
        src = open(p, "rb").read()
        try:
            tree = compile(src, p, "exec", ast.PyCF_ONLY_AST)
        except SyntaxError as e:
            errs.write(f"{p}\t{e.lineno}:{e.offset}: {type(e).__name__}\t{e.msg}\n")
            continue
        out.write(f"==> {p} <==\n{ast.dump(tree, include_attributes=attrs)}\n")
'

# compare LABEL LIST EXP ERRS GOT GOTERR RC: prints the ok/not ok line and details on stderr.
COMPARE='
import sys
label, listf, expf, errf, gotf, goterrf, rc = sys.argv[1:8]
rc = int(rc)
paths = open(listf, encoding="utf-8").read().splitlines()
def split(fname):
    d, cur = {}, None
    with open(fname, encoding="utf-8", errors="surrogateescape", newline="\n") as f:
        for line in f:
            line = line[:-1] if line.endswith("\n") else line
            if line.startswith("==> ") and line.endswith(" <=="):
                cur = line[4:-4]; d[cur] = ""
            elif cur is not None:
                d[cur] = line if d[cur] == "" else d[cur] + "\n" + line
    return d
exp, got = split(expf), split(gotf)
errs = {}
for line in open(errf, encoding="utf-8"):
    p, where, msg = line.rstrip("\n").split("\t", 2)
    errs[p] = (where, msg)
goterr = open(goterrf, encoding="utf-8", errors="replace").read().splitlines()
bad = []
for p in paths:
    if p in errs:
        # CPython gives no position (0:-1) for encoding problems found before tokenizing;
        # dpoison then prints "PATH: ErrorClass: ..." without one
        where = errs[p][0]
        want = p + ":" + where if not where.startswith("0:-1: ") else p + ": " + where[6:] + ":"
        if not any(l.startswith(want) for l in goterr) or got.get(p, ""):
            bad.append((p, "want error " + errs[p][0] + " (" + errs[p][1] + "); dpoison: " +
                        next((l for l in goterr if l.startswith(p + ":")), "no error line")))
    elif p not in got:
        bad.append((p, "no output (" + next((l for l in goterr if l.startswith(p + ":")),
                                             "crash or missing header?") + ")"))
    elif got[p] != exp[p]:
        a, b = exp[p], got[p]
        i = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
        lo = max(0, i - 60)
        bad.append((p, f"differs at char {i}:\n    want: ...{a[lo:i + 60]}...\n    got:  ...{b[lo:i + 60]}..."))
want_rc = 1 if errs else 0
n, total = len(paths) - len(bad), len(paths)
if not bad and rc == want_rc:
    print(f"ok - {label} parity {n}/{total}")
    sys.exit(0)
print(f"not ok - {label} parity {n}/{total}" + ("" if rc == want_rc else f" (exit {rc}, want {want_rc})"))
for k, (p, why) in enumerate(bad):
    if k < 3:
        print(f"# {p}: {why}", file=sys.stderr)
    elif k < 50:
        print(f"# {p}", file=sys.stderr)
if len(bad) > 50:
    print(f"# ... and {len(bad) - 50} more", file=sys.stderr)
sys.exit(1)
'

# parity LABEL PYTHON LIST [dpoison options]: one oracle run and one dpoison run over LIST.
parity() {
    label=$1 py=$2 list=$3
    shift 3
    d=$tmp/$(echo "$label" | tr ' ' '_')
    mkdir -p "$d"
    if ! "$py" -c "$ORACLE" "$list" "$d/exp" "$d/errs" "$@"; then
        echo "not ok - $label parity: oracle $py failed"
        return
    fi
    # shellcheck disable=SC2046
    timeout "$LIMIT" "$DPOISON" ast "$@" $(cat "$list") >"$d/got" 2>"$d/goterr"
    rc=$?
    [ $rc -eq 124 ] && echo "# $label: dpoison ran past ${LIMIT}s" >&2
    "$py" -c "$COMPARE" "$label" "$list" "$d/exp" "$d/errs" "$d/got" "$d/goterr" $rc
}

# Runs parity in the background (two cores: the oracles dominate); finish prints in order.
parts=""
start() {
    n=$(($(echo "$parts" | wc -w) + 1))
    parts="$parts $n"
    (parity "$@" >"$tmp/part$n.out" 2>"$tmp/part$n.err") &
}
finish() {
    wait
    for n in $parts; do
        cat "$tmp/part$n.out"
        cat "$tmp/part$n.err" >&2
        grep -q '^not ok' "$tmp/part$n.out" && fails=$((fails + 1))
    done
}

if [ ! -x "$DPOISON" ]; then
    echo "not ok - stdlib parity: $DPOISON not found"
    exit 1
fi

if [ -d "$LIB311" ] && [ -x "$PY311" ]; then
    find "$LIB311" -name '*.py' | LC_ALL=C sort >"$tmp/list311"
    start "stdlib 3.11" "$PY311" "$tmp/list311"
    # the same with every node's lineno, col_offset, end_lineno, end_col_offset
    start "stdlib 3.11 positions" "$PY311" "$tmp/list311" --attributes
else
    echo "ok - stdlib 3.11 parity # skip $LIB311 or $PY311 missing"
fi

if [ -d "$LIB312" ] && [ -x "$PY312" ]; then
    find "$LIB312" -name '*.py' -not -path "$LIB312/site-packages/*" | LC_ALL=C sort >"$tmp/all312"
    grep -E '/(test|tests|idle_test)/' "$tmp/all312" >"$tmp/tests312"
    grep -v -E '/(test|tests|idle_test)/' "$tmp/all312" >"$tmp/list312"
    start "stdlib 3.12" "$PY312" "$tmp/list312" --feature-version 3.12
    start "stdlib 3.12 test folders" "$PY312" "$tmp/tests312" --feature-version 3.12
else
    echo "ok - stdlib 3.12 parity # skip $PY312 not here"
fi
finish
[ $fails -eq 0 ]
