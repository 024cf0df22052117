#!/usr/bin/python3
"""Writes tests/py/golden/literals.txt: literal values and reprs as CPython 3.11 computes them.

Run from the repo root with Debian's interpreter (the oracle, not pyenv's):
    /usr/bin/python3 tools/ref/gen_literal_golden.py > tests/py/golden/literals.txt

One case per line, three tab-separated fields: KIND, INPUT, EXPECTED. Fields are UTF-8 with
'%', tab, CR, LF and other ASCII control bytes written as %XX. EXPECTED is repr() of the value
(what ast.dump prints) or "!" followed by the SyntaxError message. Kinds:
  s  body of a str literal (between the quotes)    b  body of a bytes literal
  n  a NUMBER token                                f  16 hex digits: bits of a double, repr(float)
  j  16 hex digits: bits of a double x, repr(complex(0, x))
"""
import ast
import io
import math
import os
import random
import struct
import sys
import tokenize
import unicodedata
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_unicode import aliases  # noqa: E402

warnings.simplefilter("ignore")
rng = random.Random(20240611)
out = []


def enc(s):
    return "".join("%%%02X" % ord(c) if c == "%" or ord(c) < 0x20 or c == "\x7f" else c
                   for c in s)


def emit(kind, inp, expected):
    out.append("%s\t%s\t%s" % (kind, enc(inp), enc(expected)))


def literal(prefix, body):
    """The repr of prefix'body' (quotes chosen so the tokenizer sees one STRING), or !error."""
    for q in ("'", '"', "'''", '"""'):
        src = prefix + q + body + q
        try:
            toks = list(tokenize.generate_tokens(io.StringIO(src).readline))
        except (tokenize.TokenError, SyntaxError):
            continue
        if toks[0].type != tokenize.STRING or toks[0].string != src:
            continue
        try:
            tree = ast.parse(src)
        except SyntaxError as e:
            return "!" + e.msg
        return repr(tree.body[0].value.value)
    raise ValueError("cannot quote %r" % body)


def s(body):
    emit("s", body, literal("", body))


def b(body):
    emit("b", body, literal("b", body))


def n(tok):
    try:
        tree = ast.parse(tok)
    except SyntaxError as e:
        emit("n", tok, "!" + e.msg)
        return
    node = tree.body[0].value
    assert isinstance(node, ast.Constant), tok
    emit("n", tok, repr(node.value))


def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def f(x):
    emit("f", bits(x), repr(x))


def j(x):
    emit("j", bits(x), repr(complex(0, x)))


def fbits(u):
    return struct.unpack("<d", struct.pack("<Q", u))[0]


def escapes():
    for e in ["\\\\", "\\'", '\\"', "\\a", "\\b", "\\f", "\\n", "\\r", "\\t", "\\v", "a\\\nb"]:
        s(e)
        b(e)
    octal = ["\\0", "\\7", "\\07", "\\077", "\\0777", "\\377", "\\400", "\\777", "\\8", "\\9",
             "\\18", "\\1234", "x\\101y", "\\0\\00\\000"]
    hexes = ["\\x41", "\\xff", "\\xFF", "\\x4g", "\\x", "\\x4", "\\xg", "ab\\x4", "\\x00\\x7f",
             "\\x80\\x9f\\xa0\\xad"]
    unis = ["\\u00e9", "\\u12", "\\uD800", "\\udfff", "\\ud83d\\ude00", "\\U0001F600",
            "\\U00110000", "\\UFFFFFFFF", "\\U0010ffff", "\\U1234", "\\u", "\\U", "\\uzzzz",
            "\\u0041\\U00000042", "\\u2028\\u2029\\u200b\\ufeff\\ue000\\uffff\\U000e0001"]
    names = ["\\N{LATIN SMALL LETTER A}", "\\N{latin small letter a}", "\\N{Latin Small Letter A}",
             "\\N{}", "\\N", "\\Nx", "\\N{foo}", "\\N{LATIN SMALL LETTER A", "\\N{\u00e4}",
             "\u00e4\\N{", "x\\N{EM DASH}y", "\\N{HANGUL SYLLABLE GA}", "\\N{hangul syllable GA}",
             "\\N{HANGUL SYLLABLE ga}", "\\N{HANGUL SYLLABLE A}", "\\N{HANGUL SYLLABLE GGAGG}",
             "\\N{HANGUL SYLLABLE }", "\\N{HANGUL SYLLABLE GAX}", "\\N{HANGUL SYLLABLE HIH}",
             "\\N{CJK UNIFIED IDEOGRAPH-4E00}", "\\N{CJK UNIFIED IDEOGRAPH-04E00}",
             "\\N{CJK UNIFIED IDEOGRAPH-4e00}", "\\N{cjk unified ideograph-4E00}",
             "\\N{CJK UNIFIED IDEOGRAPH-3134A}", "\\N{CJK UNIFIED IDEOGRAPH-3134B}",
             "\\N{CJK UNIFIED IDEOGRAPH-2A6DF}", "\\N{CJK UNIFIED IDEOGRAPH-2A6E0}",
             "\\N{CJK UNIFIED IDEOGRAPH-4E0}", "\\N{CJK UNIFIED IDEOGRAPH-004E00}",
             "\\N{CJK COMPATIBILITY IDEOGRAPH-F900}", "\\N{cjk compatibility ideograph-f900}",
             "\\N{TANGUT IDEOGRAPH-17000}", "\\N{KHITAN SMALL SCRIPT CHARACTER-18B00}",
             "\\N{NUSHU CHARACTER-1B170}", "\\N{NBSP}", "\\N{nbsp}", "\\N{NULL}", "\\N{BOM}",
             "\\N{LATIN CAPITAL LETTER A WITH MACRON AND GRAVE}", "\\N{SPACE}", "\\N{ SPACE}",
             "\\N{SPACE }", "\\N{LATIN  SMALL LETTER A}", "\\N{LINE FEED}", "\\N{LF}",
             "\\N{ZERO WIDTH SPACE}", "\\N{AAAA}", "\\N{ZZZZ}", "\\N{A}", "\\N{ZWJ}",
             "\\N{GRINNING FACE}", "\\N{VARIATION SELECTOR-256}", "\\N{VS256}", "\\N{A-B}"]
    misc = ["\\d", "\\w", "\\z", "\\q", "\\ ", "\\{", "\\}", "\\%", "\\\u00e4",
            "\\\\\u00e4", "\u00e4\\x4g", "\u00e4\u00e4\\u12", "\U0001f600\\x", "\u00e4\\\u00e4\\x",
            "\\\u00e4\\x", "\\\\\\x", "\\\\x", "caf\u00e9 \u4e00 \U0001f600", "\\N{EM DASH}\\d",
            "", "a\\\\b", "\\\\", "\u00e9\\N{}", "\\\U0001f600\\N{x}"]
    for e in octal + hexes + unis + names + misc:
        s(e)
    for e in octal + hexes + unis + names[:6] + misc[:9] + ["\\\\\\x", "\\\\x", ""]:
        b(e)
    for e in ["\u00e4", "a\u00e9", "\\x41\u00ff"]:
        b(e)


def quotes():
    for body in ["a\"b", "a\\'b", "a\\'b\"c", "'", '"', "\\'\\'", '""', "\\'\"", "x\\'\\\"",
                 "it\\'s", 'say "hi"', "\\\"'\\\""]:
        s(body)
        b(body)


def printable():
    cps = set()
    prev = True
    for c in range(0x110000):
        p = chr(c).isprintable()
        if p != prev:
            cps.update((c - 1, c, c + 1))
        prev = p
    cps.update(rng.randrange(0x110000) for _ in range(1500))
    for c in sorted(x for x in cps if 0 <= x < 0x110000):
        s("\\U%08x" % c)
    # raw characters of many categories (no surrogates: they cannot be in source text)
    by_cat = {}
    for c in range(0x80, 0x110000):
        if 0xD800 <= c < 0xE000:
            continue
        by_cat.setdefault(unicodedata.category(chr(c)), []).append(c)
    for cat in sorted(by_cat):
        pool = by_cat[cat]
        pick = [pool[0], pool[-1]] + rng.sample(pool, min(6, len(pool)))
        s("x" + "".join(chr(c) for c in pick) + "\\t")


def unicode_names():
    names = []
    for c in range(0x110000):
        nm = unicodedata.name(chr(c), None)
        if nm:
            names.append(nm)
    for nm in names[::24]:
        s("\\N{%s}" % nm)
    for nm in rng.sample(names, 150):
        s("\\N{%s}" % nm.lower())
        s("\\N{%s}" % "".join(ch.lower() if rng.random() < 0.5 else ch for ch in nm))
        s("\\N{%s}" % nm[:-1])
        s("\\N{%sA}" % nm)
    for nm in sorted(aliases()):
        s("\\N{%s}" % nm)
        s("\\N{%s}" % nm.lower())


def ints():
    toks = ["0", "00", "0_0", "000_000", "1", "7", "9_9", "1_000_000", "0x0", "0X_F", "0o17",
            "0O_7", "0b1", "0B_1_0", "0x00ff", "0o0000", "9223372036854775807",
            "9223372036854775808", "18446744073709551615", "18446744073709551616",
            "0x7fffffffffffffff", "0x8000000000000000", "0xffffffffffffffff",
            "0x10000000000000000", "0" * 5000, "1_" * 2500 + "1", "1" * 4300, "1" * 4301,
            "1_" * 4300 + "1", "0x" + "f" * 3000, "0b" + "1" * 2000, "0o" + "7" * 1000]
    for t in toks:
        n(t)
    for _ in range(400):
        v = rng.getrandbits(rng.choice([8, 32, 63, 64, 65, 128, 400, 665, 700]))
        base = rng.choice([2, 8, 10, 16])
        txt = {2: bin, 8: oct, 10: str, 16: hex}[base](v)
        if base != 10 and rng.random() < 0.3:
            txt = txt[:2] + "0" * rng.randrange(4) + txt[2:]
        if rng.random() < 0.3:
            txt = txt[:2] + "".join(ch + ("_" if rng.random() < 0.2 and i < len(txt) - 3 else "")
                                    for i, ch in enumerate(txt[2:]))
        if rng.random() < 0.2:
            txt = txt.upper()
        n(txt)
    for _ in range(40):
        n("".join(rng.choice("123456789")) + "".join(rng.choice("0123456789")
                                                       for _ in range(199)))
    bad = ["0x", "0o", "0b", "0x_", "0xg", "0o9", "0o18", "0b2", "0b1_2", "01", "00_1", "0_7",
           "1e", "1e+", "1e_5", "1.5_", "1._5", "1.e", "0x1j", "0b1_", "0o_", "1__0j", "1_.5",
           "1.5j5", "0x1_", "0b", "09", "1__0"]
    for t in bad:
        n(t)


def float_tokens():
    toks = ["0.0", "0.", ".0", "1.", ".5", "1e5", "1E5", "1e+5", "1e-5", "1_0.5e1_0", "0777.5",
            "0777e1", "0777j", "00.5", "1e400", "1e-400", "1e308", "1.7976931348623157e308",
            "1.7976931348623159e308", "4.9e-324", "2.4e-324", "2.5e-324", "1.5j", "2j", "1e20j",
            "1e400j", "0j", "0J", "00j", "1_0j", "10.j", ".5j", "1e-5j", "1e16j", "1e15j",
            "123456789012345678901234567890.5", "0." + "0" * 400 + "1", "1" * 500 + ".5",
            "3.14159265358979323846264338327950288", "0.1", "0.2", "0.3", "1.1", "2.675",
            "9007199254740993", "9007199254740993.0", "1" * 4400 + ".0", "1" * 4400 + "j"]
    for t in toks:
        n(t)
    for _ in range(1500):
        x = fbits(rng.getrandbits(63))
        if math.isnan(x) or math.isinf(x):
            continue
        form = rng.choice(["%.17g", "%.20e", "%r", "%.3g", "%.25f", "%.12e"])
        t = form % x if form != "%r" else repr(x)
        if "inf" in t or "nan" in t:
            continue
        if rng.random() < 0.3:
            t += rng.choice("jJ")
        n(t)


def floats():
    specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 0.1, 0.5, 1.5, 2.0, 10.0,
                1e15, 1e16, 1e17, 1e-4, 1e-5, 9999999999999998.0, 1e16 - 2, 1e15 + 0.5,
                123456789012345.6, 0.0001, 0.00001, 0.00009999999999999999, 5e-324, 2.5e-323,
                2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
                math.pi, math.e, 1 / 3, 2 / 3, 100.0, 1e22, 1e23, 9007199254740992.0,
                9007199254740994.0, 4503599627370496.5, 0.3, 1.1, 123.0, 1e100, 1e-100]
    for x in specials:
        f(x)
        f(-x)
        j(x)
    for base in (1e15, 1e16, 1e-4, 1e-5, 1e17, 1e-3, 1e22, 1e23):
        x = y = base
        for _ in range(12):
            x = math.nextafter(x, math.inf)
            y = math.nextafter(y, 0)
            f(x)
            f(y)
            j(x)
    for e in range(-1074, 1024):          # every power of two: dtoa's asymmetric case
        f(math.ldexp(1.0, e))
    for _ in range(3000):
        f(fbits(rng.getrandbits(64)))
    for _ in range(600):                   # subnormals
        f(fbits(rng.getrandbits(rng.choice([4, 20, 52]))))
    for _ in range(600):                   # round numbers
        f(rng.randrange(1, 100000) * 10.0 ** rng.randrange(-30, 30))
    for _ in range(400):
        f(float(rng.randrange(1, 10 ** rng.randrange(1, 19))))
    for _ in range(600):
        x = fbits(rng.getrandbits(63))
        j(x)
        j(rng.randrange(1, 1000) * 10.0 ** rng.randrange(-8, 22))


def main():
    assert sys.version_info[:2] == (3, 11), sys.version
    escapes()
    quotes()
    printable()
    unicode_names()
    ints()
    float_tokens()
    floats()
    sys.stdout.write("# GENERATED by tools/ref/gen_literal_golden.py (CPython %s); do not edit.\n"
                     % sys.version.split()[0])
    sys.stdout.write("# KIND<TAB>INPUT<TAB>EXPECTED, %XX-escaped; see the script for kinds.\n")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
