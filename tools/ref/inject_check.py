#!/usr/bin/env python3
"""Independent check of the injection corpus (tests/data/inject) with CPython's ast module.

For every NAME.STYLE.expected that is an edit (not "error: ..."):
  1. it parses;
  2. with the injected constructs taken out of both trees, its AST equals the original's: the
     edit changed nothing else (keywords verify/ssl/cert_reqs/context, **NAME of an injected dict,
     new module-level definitions, `import ssl`, `X.verify = False` statements);
  3. every keyword the edit added or changed has the style's form (plain: False / 'CERT_NONE' /
     ssl._create_unverified_context(); flag: a new constant; kwargs: **a new dict); every new
     statement is one the style writes; module constants are defined before the first function;
  4. at least one call or statement was injected.
Prints "ok - inject/NAME.STYLE" / "not ok - ..." lines (TAP-like), exit 1 on any failure.
"""
import ast
import copy
import glob
import os
import sys

KW = {"verify", "ssl", "cert_reqs", "context"}
CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "inject")


def d(node):
    return ast.dump(node)


def const_defs(tree, orig_names):
    """Module-level definitions the edit added: name -> value node."""
    out = {}
    for st in tree.body:
        if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
            name = st.targets[0].id
            if name not in orig_names:
                out[name] = st.value
    return out


def is_new_stmt(st, new_names, style):
    """A statement the injector writes (module definitions, import ssl, x.verify = False)."""
    if isinstance(st, ast.Import) and [a.name for a in st.names] == ["ssl"] and not st.names[0].asname:
        return "import"
    if isinstance(st, ast.Assign) and len(st.targets) == 1:
        t, v = st.targets[0], st.value
        if isinstance(t, ast.Name) and t.id in new_names:
            return "def"
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in new_names:
            return "def"   # SSL_CONTEXT.check_hostname / .verify_mode
        if style == "session" and isinstance(t, ast.Attribute) and t.attr == "verify" and \
                isinstance(v, ast.Constant) and v.value is False:
            return "session"
    return None


def strip(tree, new_names, style, record):
    """Removes injected constructs in place; records per remaining Call its removed keywords."""
    class T(ast.NodeTransformer):
        def generic_visit(self, node):
            for field, value in ast.iter_fields(node):
                if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                    kept = []
                    for st in value:
                        kind = is_new_stmt(st, new_names, style)
                        if kind:
                            record.setdefault("stmts", []).append((kind, st))
                        else:
                            kept.append(st)
                    setattr(node, field, kept or value[:0])
            return super().generic_visit(node)

        def visit_Call(self, node):
            self.generic_visit(node)
            removed, kept = [], []
            for k in node.keywords:
                starred_new = k.arg is None and isinstance(k.value, ast.Name) and k.value.id in new_names
                (removed if k.arg in KW or starred_new else kept).append(k)
            node.keywords = kept
            record.setdefault("calls", []).append(removed)
            return node
    T().visit(tree)


def allowed_kw(k, style, defs):
    v = k.value
    if style == "plain":
        if k.arg in ("verify", "ssl"):
            return isinstance(v, ast.Constant) and v.value is False
        if k.arg == "cert_reqs":
            return isinstance(v, ast.Constant) and v.value == "CERT_NONE"
        if k.arg == "context":
            return isinstance(v, ast.Call) and isinstance(v.func, ast.Attribute) and \
                v.func.attr == "_create_unverified_context" and not v.args
        return False
    if k.arg is None:   # **NAME: a new dict {"verify": False} / {"ssl": False} / {"cert_reqs": "CERT_NONE"}
        dv = defs.get(v.id)
        return style == "kwargs" and isinstance(dv, ast.Dict) and len(dv.keys) == 1 and \
            dv.keys[0].value in ("verify", "ssl", "cert_reqs") and dv.values[0].value in (False, "CERT_NONE")
    if not isinstance(v, ast.Name) or v.id not in defs:
        return False
    dv = defs[v.id]
    if k.arg == "context":   # an SSLContext built by ssl.create_default_context()
        return isinstance(dv, ast.Call) and isinstance(dv.func, ast.Attribute) and dv.func.attr == "create_default_context"
    return style == "flag" and isinstance(dv, ast.Constant) and dv.value in (False, "CERT_NONE")


def check(orig_src, exp_src, style):
    orig, exp = ast.parse(orig_src), ast.parse(exp_src)
    orig_names = {n.id for n in ast.walk(orig) if isinstance(n, ast.Name)} | \
                 {a.asname or a.name.split(".")[0] for n in ast.walk(orig) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    defs = const_defs(exp, orig_names)
    new_names = set(defs)
    ro, re_ = {}, {}
    o2, e2 = copy.deepcopy(orig), copy.deepcopy(exp)
    strip(o2, set(), style, ro)
    strip(e2, new_names, style, re_)
    if d(o2) != d(e2):
        return "the edit changed more than the injected constructs"
    changed = 0
    for ko, ke in zip(ro.get("calls", []), re_.get("calls", [])):
        before = {k.arg: d(k.value) for k in ko}
        for k in ke:
            if k.arg is not None and before.get(k.arg) == d(k.value):
                continue
            if not allowed_kw(k, style, defs):
                return f"keyword {k.arg}={ast.unparse(k.value)} is not a {style} injection"
            changed += 1
    stmts = re_.get("stmts", [])
    for kind, st in stmts:
        if kind == "session":
            changed += 1
        elif kind == "def" and style == "plain":
            return f"plain style added a definition: {ast.unparse(st)}"
    first_def = min((st.lineno for st in exp.body if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))), default=10**9)
    for st in exp.body:
        if isinstance(st, ast.Assign) and isinstance(st.targets[0], ast.Name) and st.targets[0].id in new_names \
                and st.lineno > first_def:
            return f"{st.targets[0].id} is defined after the first function"
    if not changed:
        return "nothing was injected"
    return None


def main():
    bad = 0
    for exp_path in sorted(glob.glob(os.path.join(CORPUS, "*.expected"))):
        base = os.path.basename(exp_path)[:-len(".expected")]
        name, style = base.rsplit(".", 1)
        with open(os.path.join(CORPUS, name + ".py"), "rb") as f:
            orig_src = f.read()
        with open(exp_path, "rb") as f:
            exp_src = f.read()
        if exp_src.startswith(b"error: "):
            continue
        try:
            why = check(orig_src, exp_src, style)
        except SyntaxError as e:
            why = f"does not parse: {e}"
        print(("ok - " if not why else "not ok - ") + f"inject/{base}" + (f" # {why}" if why else ""))
        bad += bool(why)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
