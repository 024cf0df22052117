#!/bin/sh
# Parity of `dpoison scan --profile bandit` with Bandit on real code no one here wrote: Debian 12's
# Python 3.11 standard library (/usr/lib/python3.11). Against Bandit 1.9.4's frozen output
# (../shared/oracle/bandit-1.9.4-stdlib.json): the (filename, line_number, test_id) sets must be
# equal except for the differences listed in docs/bandit-parity.md, each with its reason; for the
# findings both have, every JSON field (code, columns, line range, texts, URLs) and the metrics must
# be equal too, and so must the order of the results. Against Debian's bandit 1.6.2 run live (in CI,
# or with DPOISON_BANDIT_LIVE=1): the differences are printed by test id and each test id must be
# explained in the doc (1.6.2 -> 1.9.4 changes); unexplained ones fail.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIB=${STDLIB:-/usr/lib/python3.11}
ORACLE=${ORACLE:-$ROOT/../shared/oracle/bandit-1.9.4-stdlib.json}
DOC=$ROOT/docs/bandit-parity.md
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -d "$LIB" ] || [ ! -f "$ORACLE" ]; then
    echo "ok - scan stdlib parity # skip ($LIB or $ORACLE missing)"
    exit 0
fi
(cd "$LIB" && "$DPOISON" scan -r . -f json --profile bandit -o "$tmp/dp.json")
rc=$?
if [ $rc -gt 1 ] || [ ! -s "$tmp/dp.json" ]; then
    echo "not ok - scan stdlib parity: dpoison exited $rc"
    exit 1
fi

python3 - "$ORACLE" "$tmp/dp.json" "$DOC" <<'PY'
import collections, json, re, sys
oracle, got, doc = sys.argv[1:4]
o, d = json.load(open(oracle)), json.load(open(got))
def norm(f): return f[2:] if f.startswith("./") else f
for r in d["results"]:
    r["filename"] = norm(r["filename"])
d["metrics"] = {norm(k): v for k, v in d["metrics"].items()}
key = lambda r: (r["filename"], r["line_number"], r["test_id"])
O = collections.Counter(map(key, o["results"]))
D = collections.Counter(map(key, d["results"]))
missing, extra = O - D, D - O

# documented differences: table rows "| file | line | test | missing/extra | reason |" after the
# "<!-- oracle-diffs -->" marker, up to the next blank line
text = open(doc, encoding="utf-8").read()
documented = collections.Counter()
sect = text.split("<!-- oracle-diffs -->", 1)[1].split("\n\n", 1)[0] if "<!-- oracle-diffs -->" in text else ""
for line in sect.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 5 and cells[1].isdigit() and cells[4]:
        documented[(cells[3], (cells[0], int(cells[1]), cells[2]))] += 1
actual = collections.Counter()
for k, n in missing.items(): actual[("missing", k)] += n
for k, n in extra.items(): actual[("extra", k)] += n
matched = sum((O & D).values())
print(f"# oracle {sum(O.values())}, dpoison {sum(D.values())}: matched {matched}, "
      f"missing {sum(missing.values())}, extra {sum(extra.values())}", file=sys.stderr)
undoc, stale = actual - documented, documented - actual
for (kind, k), n in sorted(undoc.items()):
    print(f"#   undocumented {kind}: {k[0]}:{k[1]} {k[2]}", file=sys.stderr)
for (kind, k), n in sorted(stale.items()):
    print(f"#   documented but not seen ({kind}): {k[0]}:{k[1]} {k[2]}", file=sys.stderr)
ok = not undoc and not stale
print(("ok" if ok else "not ok") + f" - scan stdlib parity: (file, line, test) sets equal but for "
      f"{sum(actual.values())} documented differences ({matched} matched)")

# every field of the common findings, in the same order, and the metrics
od = collections.defaultdict(list)
for r in o["results"]: od[key(r)].append(r)
bad = collections.Counter()
for r in d["results"]:
    if od.get(key(r)):
        a = od[key(r)].pop(0)
        for f in a:
            if a[f] != r.get(f):
                bad[f] += 1
                if bad[f] <= 3: print(f"#   {f} differs at {key(r)}: {a[f]!r} != {r.get(f)!r}", file=sys.stderr)
print(("ok" if not bad else "not ok") + f" - scan stdlib parity: all fields of common findings equal {dict(bad)}")
common = lambda res, other: [key(r) for r in res if key(r) in other]
same_order = common(o["results"], D) == common(d["results"], O)
print(("ok" if same_order else "not ok") + " - scan stdlib parity: results in Bandit's order")
mbad = [k for k in o["metrics"] if k != "_totals" and o["metrics"][k] != d["metrics"].get(k)]
tot_ok = not actual and o["metrics"]["_totals"] == d["metrics"]["_totals"]
print(("ok" if not mbad and (tot_ok or actual) else "not ok") +
      f" - scan stdlib parity: metrics per file{' and _totals' if tot_ok else ''} equal ({len(mbad)} differ)")
for k in mbad[:5]: print(f"#   metrics {k}: {o['metrics'][k]} != {d['metrics'].get(k)}", file=sys.stderr)
PY

# Debian's bandit 1.6.2, live: differences by test id, each explained in the doc
if [ "${CI:-}" != true ] && [ "${DPOISON_BANDIT_LIVE:-}" != 1 ]; then
    echo "ok - scan vs live bandit 1.6.2 # skip (runs in CI, or with DPOISON_BANDIT_LIVE=1)"
    exit 0
fi
if ! command -v bandit >/dev/null 2>&1; then
    echo "ok - scan vs live bandit 1.6.2 # skip (bandit not installed)"
    exit 0
fi
(cd "$LIB" && bandit -r . -f json -q -o "$tmp/b162.json" >/dev/null 2>&1)
python3 - "$tmp/b162.json" "$tmp/dp.json" "$DOC" <<'PY'
import collections, json, sys
b, d, doc = sys.argv[1:4]
b, d = json.load(open(b)), json.load(open(d))
def norm(f): return f[2:] if f.startswith("./") else f
key = lambda r: (norm(r["filename"]), r["line_number"], r["test_id"])
B = collections.Counter(map(key, b["results"]))
D = collections.Counter(map(key, d["results"]))
only_b = collections.Counter(k[2] for k in (B - D).elements())
only_d = collections.Counter(k[2] for k in (D - B).elements())
text = open(doc, encoding="utf-8").read()
sect = text.split("<!-- bandit162-diffs -->", 1)[1].split("\n\n", 1)[0] if "<!-- bandit162-diffs -->" in text else ""
explained = set()
for line in sect.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) >= 3 and cells[0].startswith("B") and cells[2]:
        explained.add((cells[0], cells[1]))
print(f"# bandit 1.6.2: {sum(B.values())} findings, dpoison: {sum(D.values())}; "
      f"same {sum((B & D).values())}", file=sys.stderr)
unexplained = []
for side, c in (("1.6.2 only", only_b), ("dpoison only", only_d)):
    for t, n in sorted(c.items()):
        tag = "" if (t, side) in explained else "  UNEXPLAINED"
        if tag: unexplained.append((t, side))
        print(f"#   {side:12} {t}: {n}{tag}", file=sys.stderr)
print(("ok" if not unexplained else "not ok") +
      f" - scan vs live bandit 1.6.2: every differing test id explained ({len(unexplained)} not)")
PY
