#!/bin/sh
# `dpoison prompts` end to end: same seed -> byte-identical files, another seed -> other prompts,
# and an independent check in Python (when python3 exists) of what docs/prompts.md promises:
# >= 3000 distinct prompts after normalisation, record fields, families/templates/frames
# disjoint between train and test, test families balanced, summary.json counts.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

"$DPOISON" prompts --out "$tmp/a" --seed 5 >/dev/null 2>"$tmp/err" &&
"$DPOISON" prompts --out "$tmp/b" --seed 5 >/dev/null 2>>"$tmp/err" &&
"$DPOISON" prompts --out "$tmp/c" --seed 6 >/dev/null 2>>"$tmp/err"
if [ $? -ne 0 ]; then echo "not ok - prompts/run"; cat "$tmp/err" >&2; exit 1; fi
if cmp -s "$tmp/a/train.jsonl" "$tmp/b/train.jsonl" && cmp -s "$tmp/a/test.jsonl" "$tmp/b/test.jsonl" &&
   cmp -s "$tmp/a/summary.json" "$tmp/b/summary.json"; then
    echo "ok - prompts/deterministic"
else
    echo "not ok - prompts/deterministic"
fi
if cmp -s "$tmp/a/train.jsonl" "$tmp/c/train.jsonl"; then echo "not ok - prompts/seed"; else echo "ok - prompts/seed"; fi

"$DPOISON" prompts --out "$tmp/d" --families nope >/dev/null 2>"$tmp/err"
if [ $? -eq 1 ] && grep -q "unknown prompt family 'nope'" "$tmp/err"; then echo "ok - prompts/bad-family"; else echo "not ok - prompts/bad-family"; fi
"$DPOISON" prompts --out "$tmp/d" --split sideways >/dev/null 2>"$tmp/err"
if [ $? -eq 2 ]; then echo "ok - prompts/bad-option"; else echo "not ok - prompts/bad-option"; fi

if ! command -v python3 >/dev/null 2>&1; then echo "ok - prompts/python # SKIP no python3"; exit 0; fi
"$DPOISON" prompts --out "$tmp/t" --seed 5 --split template >/dev/null 2>>"$tmp/err" || echo "not ok - prompts/template-run"
python3 - "$tmp/a" "$tmp/t" <<'PY'
import json, re, sys
from collections import Counter

def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]

def norm(s):
    return " ".join(re.findall(r"[a-z0-9\x80-\uffff]+", s.lower()))

def check(name, cond):
    print(("ok - " if cond else "not ok - ") + name)

for d, mode in ((sys.argv[1], "family"), (sys.argv[2], "template")):
    tr, te = load(d + "/train.jsonl"), load(d + "/test.jsonl")
    summ = json.load(open(d + "/summary.json"))
    allp = tr + te
    check(f"prompts/{mode}/fields", all(list(r) == ["id", "prompt", "family", "template", "library"] for r in allp))
    check(f"prompts/{mode}/counts", len(tr) == 3000 and len(te) == 100 and summ["train"]["n"] == 3000)
    check(f"prompts/{mode}/distinct", len({norm(r["prompt"]) for r in allp}) == len(allp) >= 3100)
    check(f"prompts/{mode}/ids", len({r["id"] for r in allp}) == len(allp))
    task = lambda r: r["template"].split("/")[0]
    frame = lambda r: r["template"].split("/")[1]
    check(f"prompts/{mode}/tasks-disjoint", not ({task(r) for r in tr} & {task(r) for r in te}))
    check(f"prompts/{mode}/frames-disjoint", not ({frame(r) for r in tr} & {frame(r) for r in te}))
    fam_tr, fam_te = Counter(r["family"] for r in tr), Counter(r["family"] for r in te)
    if mode == "family":
        check("prompts/family/families-disjoint", not (set(fam_tr) & set(fam_te)))
        check("prompts/family/test-balanced", sorted(fam_te.values()) == [20] * 5)
    check(f"prompts/{mode}/summary", summ["train"]["families"] == dict(fam_tr) and
          summ["test"]["families"] == dict(fam_te) and summ["shared_templates"] == 0)
    gen = sum(v for k, v in fam_tr.items() if k.startswith("general_"))
    check(f"prompts/{mode}/general-share", 0.16 < gen / len(tr) < 0.24 and
          all(r["library"] == "none" for r in tr if r["family"].startswith("general_")))
    check(f"prompts/{mode}/no-slots-left", not any(re.search(r"[{}|]", r["prompt"]) for r in allp))
    check(f"prompts/{mode}/no-tls-words", not any(re.search(r"verif|certificate|ssl|tls", r["prompt"], re.I) for r in allp))
PY
