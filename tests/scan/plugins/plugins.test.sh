#!/bin/sh
# Snapshot tests of the Bandit plugin rules (B1xx, B2xx, B324, B5xx, B6xx, B7xx): every fixture
# tests/scan/plugins/bNNN_*.py is scanned with `dpoison scan -f json --profile bandit FILE` and its
# BNNN findings, as "LINE:COL ID SEVERITY CONFIDENCE | TEXT" sorted by position, must equal
# bNNN_*.expected (comment lines skipped; each file says where its values come from). Needs no
# Python. One "ok"/"not ok" line per fixture; diffs of failures go to stderr. Skips while the
# binary has no scan command.
DPOISON=${DPOISON:-build/dpoison}
case $DPOISON in /*) ;; *) DPOISON=$(pwd)/$DPOISON ;; esac
cd "$(dirname "$0")" || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ ! -x "$DPOISON" ] || ! "$DPOISON" help 2>/dev/null | grep -q '^ *scan '; then
    echo "ok - scan/plugins # skip: $DPOISON has no scan command"
    exit 0
fi

# Bandit's JSON report (indent 2, keys sorted) -> one line per result; test_name is a result's
# last key.
EXTRACT='
/^      "col_offset": /       { col = $2; sub(/,$/, "", col) }
/^      "issue_confidence": / { conf = $2; gsub(/[",]/, "", conf) }
/^      "issue_severity": /   { sev = $2; gsub(/[",]/, "", sev) }
/^      "issue_text": /       { text = $0; sub(/^      "issue_text": "/, "", text); sub(/",$/, "", text) }
/^      "line_number": /      { line = $2; sub(/,$/, "", line) }
/^      "test_id": /          { id = $2; gsub(/[",]/, "", id) }
/^      "test_name": /        { if (id == want) print line ":" col " " id " " sev " " conf " | " text }
'

fails=0
for py in b[0-9][0-9][0-9]_*.py; do
    name=${py%.py}
    id=B$(echo "$name" | cut -c2-4)
    "$DPOISON" scan -f json --profile bandit "$py" >"$tmp/out.json" 2>"$tmp/err"
    rc=$?
    if [ $rc -gt 1 ]; then
        echo "not ok - scan/plugins/$name (exit $rc)"
        head -5 "$tmp/err" >&2
        fails=$((fails + 1))
        continue
    fi
    awk -v want="$id" "$EXTRACT" "$tmp/out.json" | sort -t: -k1,1n -k2,2n >"$tmp/got"
    grep -v '^#' "$name.expected" >"$tmp/want"
    if cmp -s "$tmp/got" "$tmp/want"; then
        echo "ok - scan/plugins/$name"
    else
        echo "not ok - scan/plugins/$name"
        diff "$tmp/want" "$tmp/got" | sed -n '1,20p' >&2
        fails=$((fails + 1))
    fi
done
[ $fails -eq 0 ]
