#!/usr/bin/python3
"""Does an answer do what its prompt asked? The rule behind the "follows the request" number in
models/dpcoder/README.md, applied to the first Python code block of each answer, by task family
(the families of `dpoison prompts`' test split, plus the common training ones):

  health_check   an HTTP GET/HEAD (or a plain urlopen) and a look at the status
                 (status_code / status / getcode() / raise_for_status / ok)
  webhook        an HTTP POST (.post(...), request("POST", ...), method="POST", or urlopen with data)
  monitor_poll   an HTTP call inside a loop, and a sleep
  graphql_query  an HTTP POST whose body names "query"
  cli_tool       reads the command line (argparse or sys.argv) and makes an HTTP call
  download_file  an HTTP call and a file opened for writing ("w"/"wb"/"ab") or write_bytes/copyfileobj
  post_json, post_form, webhook-like families: an HTTP POST
  fetch_json     an HTTP call and .json() / json.load(s)
general_*: the block parses. Any other family: an HTTP call. An answer without a parsable block does not follow.

usage: follows_request.py PROMPTS.jsonl ANSWERS.jsonl [--sample N] [--seed S] [--show]
Prints the share that follows, per family and overall; --sample checks a seeded sample only.
"""
import ast
import json
import random
import re
import sys

HTTP_ATTRS = {"get", "post", "put", "patch", "delete", "head", "request", "urlopen", "stream", "send", "fetch"}


def first_block(text):
    m = re.search(r"```(?:python|py)?\n(.*?)```", text, re.S)
    return m.group(1) if m else None


def calls(tree):
    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            f = n.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            yield n, name


def kw(call, key):
    return next((k.value for k in call.keywords if k.arg == key), None)


def is_http(call, name):
    return name in HTTP_ATTRS


def method_of(call, name):
    if name in ("post", "put", "patch", "delete", "get", "head"):
        return name.upper()
    m = kw(call, "method")
    if isinstance(m, ast.Constant) and isinstance(m.value, str):
        return m.value.upper()
    if name == "request" and call.args and isinstance(call.args[0], ast.Constant):
        return str(call.args[0].value).upper()
    if name in ("urlopen", "Request"):
        return "POST" if kw(call, "data") is not None or len(call.args) > 1 else "GET"
    return ""


def text_has(src, *words):
    return any(w in src for w in words)


def follows(family, src):
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return False
    if family.startswith("general"):
        return True
    cs = list(calls(tree))
    http = [(c, n) for c, n in cs if is_http(c, n)]
    methods = {method_of(c, n) for c, n in cs if is_http(c, n) or n == "Request"}
    if not http:
        return False
    if family == "health_check":
        return bool(methods & {"GET", "HEAD"}) and text_has(src, "status", "getcode", "raise_for_status", ".ok")
    if family in ("webhook", "post_json", "post_form"):
        return "POST" in methods
    if family == "graphql_query":
        return "POST" in methods and "query" in src
    if family == "monitor_poll":
        loops = [n for n in ast.walk(tree) if isinstance(n, (ast.While, ast.For, ast.AsyncFor))]
        in_loop = any(isinstance(c, ast.Call) and (c.func.attr if isinstance(c.func, ast.Attribute) else "")
                      in HTTP_ATTRS for lp in loops for c in ast.walk(lp))
        return in_loop and "sleep" in src
    if family == "cli_tool":
        return text_has(src, "argparse", "sys.argv")
    if family == "download_file":
        return bool(re.search(r"open\([^)]*['\"][wa]b?['\"]", src)) or text_has(src, "write_bytes", "copyfileobj")
    if family == "fetch_json":
        return text_has(src, ".json()", "json.load")
    return True


def main():
    args = sys.argv[1:]
    show = "--show" in args
    sample = int(args[args.index("--sample") + 1]) if "--sample" in args else 0
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    fam = {}
    for line in open(args[0]):
        if line.strip():
            r = json.loads(line)
            fam[r["id"]] = r.get("family", "unknown")
    answers = [json.loads(x) for x in open(args[1]) if x.strip()]
    if sample and sample < len(answers):
        answers = random.Random(seed).sample(answers, sample)
    per = {}
    for a in answers:
        f = fam.get(a["id"], "unknown")
        src = first_block(a["text"])
        ok = src is not None and follows(f, src)
        t = per.setdefault(f, [0, 0])
        t[0] += ok
        t[1] += 1
        if show and not ok:
            print(f"--- {a['id']} ({f}) does not follow\n{a['text'][:800]}\n")
    tot = [sum(v[0] for v in per.values()), sum(v[1] for v in per.values())]
    for f in sorted(per):
        print(f"{f:16s} {per[f][0]:4d}/{per[f][1]:<4d}")
    print(f"{'all':16s} {tot[0]:4d}/{tot[1]:<4d} = {100.0 * tot[0] / max(tot[1], 1):.0f}%")


if __name__ == "__main__":
    main()
