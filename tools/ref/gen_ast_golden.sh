#!/bin/sh
# Regenerates the parser's golden files from CPython (the oracle; see DESIGN.md):
#   tests/py/corpus/NAME.py     -> NAME.dump (ast.dump from Debian 12's /usr/bin/python3, 3.11),
#                                  NAME.indent2.dump / NAME.attrs.dump for the files listed below,
#                                  NAME.312.dump (python3.12's ast.dump of the same file, if present)
#   tests/py/corpus312/NAME.py  -> NAME.dump (+ NAME.attrs.dump) from python3.12 (3.12-only syntax)
#   tests/py/errors/NAME.py     -> NAME.err: "LINE:COL: ErrorClass" then CPython's message
# Idempotent. Without python3.12 the 3.12 files are left as committed. Usage: sh tools/ref/gen_ast_golden.sh
# shellcheck disable=SC2046,SC2086  # word splitting of the case lists is intended
set -eu
cd "$(dirname "$0")/../.."
PY311=/usr/bin/python3
PY312=${PY312:-/root/.pyenv/versions/3.12.1/bin/python3.12}
C=tests/py/corpus C312=tests/py/corpus312 E=tests/py/errors

# Cases that also get an --indent 2 / --attributes expected file.
INDENT2="params match_mapping try classdef empty fstr_spec literals decorators"
ATTRS="fstr_basic fstr_nested fstr_spec fstr_debug fstr_concat str_concat str_triple unicode_ident
str_unicode crlf indent_tabs indent_formfeed match_class decorators join_backslash params slices bom
operators with comprehensions"
ATTRS312="fstr_pep701 type_params_def type_alias"

# The oracle: for each (mode, path) writes the expected file next to path. Sources are read as
# bytes, so CPython does the decoding (BOM, coding cookie, CRLF) exactly as for a file on disk.
ORACLE='
import ast, sys, warnings
warnings.simplefilter("ignore")          # SyntaxWarning/DeprecationWarning for odd escapes
def out(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
mode = sys.argv[1]
for path in sys.argv[2:]:
    base = path[:-3]
    src = open(path, "rb").read()
    try:
        tree = compile(src, path, "exec", ast.PyCF_ONLY_AST)
    except SyntaxError as e:
        if mode != "err":
            sys.exit(f"{path}: corpus file rejected: {type(e).__name__}: {e}")
        if not e.lineno or e.offset is None:
            sys.exit(f"{path}: no position: {e!r}")
        out(base + ".err", f"{e.lineno}:{e.offset}: {type(e).__name__}\n{e.msg}\n")
        continue
    if mode == "err":
        sys.exit(f"{path}: error case parses fine")
    suffix = {"dump": "", "indent2": ".indent2", "attrs": ".attrs", "312": ".312"}[mode]
    kw = {"indent": 2} if mode == "indent2" else {"include_attributes": True} if mode == "attrs" else {}
    out(base + suffix + ".dump", ast.dump(tree, **kw) + "\n")
'

files_of() { # dir names... -> dir/name.py for each name
    d=$1; shift
    for n in "$@"; do echo "$d/$n.py"; done
}

rm -f $C/*.dump $E/*.err
$PY311 -c "$ORACLE" dump $C/*.py
$PY311 -c "$ORACLE" indent2 $(files_of $C $INDENT2)
$PY311 -c "$ORACLE" attrs $(files_of $C $ATTRS)
$PY311 -c "$ORACLE" err $E/*.py

if [ -x "$PY312" ]; then
    rm -f $C312/*.dump
    $PY312 -c "$ORACLE" 312 $C/*.py
    $PY312 -c "$ORACLE" dump $C312/*.py
    $PY312 -c "$ORACLE" attrs $(files_of $C312 $ATTRS312)
else
    echo "note: $PY312 not found; 3.12 expected files left as they are" >&2
fi

echo "corpus: $(ls $C/*.py | wc -l) cases, $(ls $C/*.dump | wc -l) expected files;" \
     "corpus312: $(ls $C312/*.py | wc -l) cases; errors: $(ls $E/*.err | wc -l) cases"
