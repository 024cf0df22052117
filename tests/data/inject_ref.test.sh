#!/bin/sh
# Re-checks the injection corpus (tests/data/inject/*.expected) against CPython's ast module with
# tools/ref/inject_check.py: each edit parses, changes nothing but the injected constructs, and
# writes them in its style's form. Skipped when python3 is missing.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v python3 >/dev/null 2>&1; then echo "ok - inject_ref # SKIP no python3"; exit 0; fi
python3 tools/ref/inject_check.py
