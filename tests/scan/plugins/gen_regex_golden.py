"""Freezes Python's own answers for Bandit 1.9.4's two name/SQL regexes into regex_golden.json,
the oracle of test_plugin_regex.c: RE_CANDIDATES (general_hardcoded_password.py) on every
identifier and string, and SIMPLE_SQL_RE (injection_sql.py) on every string, taken from the
Python 3.11 standard library, keeping the matches and the near misses (strings holding one of the
patterns' words), plus hand-written edge cases (Unicode case folding, \\s, a final newline).
Run: python3 tests/scan/plugins/gen_regex_golden.py /usr/lib/python3.11 > tests/scan/plugins/regex_golden.json"""
import ast
import json
import os
import re
import sys

RE_WORDS = "(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)"
RE_CANDIDATES = re.compile("(^{0}$|_{0}_|^{0}_|_{0}$)".format(RE_WORDS), re.IGNORECASE)
SIMPLE_SQL_RE = re.compile(
    r"(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s)",
    re.IGNORECASE | re.DOTALL)
WORDS = re.compile(r"pas|pwd|token|secret|select|from|delete|insert|into|values|update|set",
                   re.IGNORECASE)

EDGE = [
    "password", "PASSWORD", "Password\n", "password\n\n", "\npassword", "pasword", "passssword",
    "paswd", "passwd", "passwrd", "passwod", "pass", "passphrase", "pass_phrase", "xpassword",
    "password_x", "x_password", "x_password_y", "x__token__", "_token", "token_", "tok_en",
    "secret", "secrete", "secretes", "my_secret", "pwd", "a_pwd_b", "pas\u017fword",
    "to\u212aen", "TO\u212aEN", "sec\u0280et", "select * from t", "SELECT\tx\tFROM\ny",
    "select x from", "selectx from y ", "delete  from x", "delete\u00a0from t",
    "d\u0130lete from t", "\u0130NSERT INTO t VALUES(1)", "\u0131nsert into t values (1)",
    "insert into t values", "insert into t values(", "insert into t\nvalues\n",
    "update t set x", "update t set x=1", "UPDATE\u2003t\u2003SET\u2003x", "upd ate t set ",
    "select\u2028a\u2028from\u2028b", "\u017fELECT a FROM b ", "select a from\u3000b",
    "insert\u1680into x values ", "select\x1ca from\x1fb", "select\x85a from\x85b", "",
]


def strings(root):
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            try:
                tree = ast.parse(open(os.path.join(dirpath, name), "rb").read())
            except (SyntaxError, ValueError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield node.value
                elif isinstance(node, ast.Name):
                    yield node.id
                elif isinstance(node, ast.Attribute):
                    yield node.attr
                elif isinstance(node, ast.arg):
                    yield node.arg


def main():
    seen, rows = set(), []
    for s in EDGE + sorted(set(strings(sys.argv[1]))):
        if s in seen or not (s in EDGE or WORDS.search(s)) or len(s) > 240:
            continue
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:   # lone surrogates: not representable in the golden file
            continue
        seen.add(s)
        rows.append([s, bool(RE_CANDIDATES.search(s)), bool(SIMPLE_SQL_RE.search(s))])
    out = sys.stdout
    out.write("[\n")
    out.write(",\n".join(json.dumps(r) for r in rows))
    out.write("\n]\n")


main()
