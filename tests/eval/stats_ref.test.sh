#!/bin/sh
# Re-derives the statistics golden numbers (tests/eval/stats_golden.txt) with exact arithmetic in
# Python (tools/ref/stats_ref.py --quick: all but the Fisher tables with n > 20000, which take
# minutes) and checks they are unchanged. Skipped when python3 is missing.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v python3 >/dev/null 2>&1; then echo "ok - stats_ref # SKIP no python3"; exit 0; fi
if python3 tools/ref/stats_ref.py --quick; then echo "ok - stats_ref"; else echo "not ok - stats_ref"; fi
