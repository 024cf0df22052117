#!/usr/bin/python3
"""Writes tests/base/golden/unicode_norm.txt, the oracle for tests/base/test_unicode.c, from
CPython 3.11's unicodedata (Unicode 14.0).

Run from the repo root with Debian's interpreter (the oracle, not pyenv's):
    /usr/bin/python3 tools/ref/gen_unicode_norm_golden.py > tests/base/golden/unicode_norm.txt

Lines (code points in hex, space-separated):
    n <input>;<NFC>;<NFKC>;<is NFC> <is NFKC>            '=' for an output equal to the input
    r <property> <first> <last>                           a range of code points with <property>
The n lines cover every code point (Hangul syllables aside: one in 97) with a decomposition or
a nonzero combining class, then seeded random strings: Latin with scrambled combining marks,
Hangul syllables and jamo, CJK compatibility ideographs, fullwidth and halfwidth forms,
ligatures, Greek with tonos, Arabic presentation forms and harakat, emoji sequences, Indic and
other composition pairs, long runs of marks. The r lines give, for every code point but the
surrogates, is_normalized false for NFC (not_nfc) and NFKC (not_nfkc), and
str.isidentifier() of ch (xid_start) and of 'a' + ch (xid_continue).
"""
import random
import unicodedata

N_RANDOM = 3000
SEED = 20240614


def hexs(s):
    return " ".join("%04X" % ord(c) for c in s)


def line(s):
    nfc, nfkc = unicodedata.normalize("NFC", s), unicodedata.normalize("NFKC", s)
    isc, isk = unicodedata.is_normalized("NFC", s), unicodedata.is_normalized("NFKC", s)
    assert isc == (nfc == s) and isk == (nfkc == s)
    return "n %s;%s;%s;%d %d" % (hexs(s), "=" if nfc == s else hexs(nfc),
                                 "=" if nfkc == s else hexs(nfkc), isc, isk)


def chars(*ranges):
    out = []
    for r in ranges:
        lo, hi = (r, r) if isinstance(r, int) else r
        out.extend(chr(c) for c in range(lo, hi + 1) if unicodedata.category(chr(c)) != "Cn")
    return out


def all_chars():
    return [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def interesting(chs):
    """Code points with a decomposition or a nonzero combining class, and composition seconds."""
    out = []
    for ch in chs:
        if (unicodedata.combining(ch) or unicodedata.normalize("NFKD", ch) != ch
                or not unicodedata.is_normalized("NFC", "\u1100" + ch)  # Hangul V, T
                or unicodedata.normalize("NFC", "a" + ch) != "a" + ch):
            out.append(ch)
    return out


MARKS = chars((0x300, 0x36F), 0x1AB0, (0x1DC0, 0x1DCA), (0x20D0, 0x20DC), 0x0591, 0x05B0,
              0x05B4, 0x05BC, 0x05C1, 0x05C2, 0x0F71, 0x0F72, 0x0F74, 0x0F80, 0x093C, 0x0E38,
              0x0E48, 0x3099, 0x309A, 0x0345, 0x0670, 0x0654, 0x0655)
LATIN = list("aeiouyAEIOUYcCnNsSzZgGkKlLrRwWhHxXtT") + chars(0xE9, 0xC7, 0xF8, 0xC5, 0x17F,
                                                             0x1EA1, 0x01B0, 0x0227, 0x00E6)
GREEK = chars(0x0386, (0x0388, 0x038F), (0x0391, 0x03A9), (0x03AC, 0x03CE), 0x0387, 0x00B7,
              (0x1F00, 0x1FFE), 0x03D2, 0x03D3, 0x037E, 0x0374)
GREEK_MARKS = chars(0x0300, 0x0301, 0x0308, 0x0313, 0x0314, 0x0342, 0x0345, 0x0344, 0x0340,
                    0x0341, 0x0343)
HANGUL = chars((0xAC00, 0xD7A3))
JAMO = chars((0x1100, 0x1112), (0x1161, 0x1175), (0x11A7, 0x11C2), 0x115F, 0x1160, 0x1113,
             0x1176, 0x11C3, (0x3131, 0x318E), (0xFFA0, 0xFFDC))
CJK_COMPAT = chars((0xF900, 0xFAD9), (0x2F800, 0x2FA1D), (0x2F00, 0x2FD5), (0x3300, 0x33FF))
FULLWIDTH = chars((0xFF01, 0xFF64), (0xFF65, 0xFF9F), (0x30A0, 0x30FF), (0x3040, 0x309F))
LIGATURES = chars((0xFB00, 0xFB06), (0xFB13, 0xFB17), 0x0132, 0x0133, 0x01C4, 0x01C6, 0x01C7,
                  0x01F1, 0x2160, 0x2169, 0x2460, 0x2474, 0x00BD, 0x2153, 0x00B2, 0x2075,
                  0x212B, 0x2126, 0x212A, 0x2103, 0x2109, 0x3392, 0x1D400, 0x1D7CE)
ARABIC = chars((0xFB50, 0xFDFF), (0xFE70, 0xFEFC), (0x0621, 0x064A), (0x064B, 0x0655),
               0x0670, 0x0622, 0x0627, 0x0648, 0x064A, 0x06D5, 0x06C1, 0x06D2)
EMOJI = chars((0x1F600, 0x1F64F), (0x1F3FB, 0x1F3FF), (0x1F1E6, 0x1F1FF), 0x200D, 0xFE0F,
              0xFE0E, 0x20E3, 0x2764, 0x1F468, 0x1F469, 0x1F466, 0x1F9D1, 0x1F91D, 0x2640,
              0x2642, 0xE0067, 0xE007F, 0x1F3F4)
PAIRS = chars(0x0915, 0x0916, 0x0917, 0x091C, 0x0921, 0x0922, 0x092B, 0x092F, 0x093C, 0x0928,
              0x0930, 0x0933, 0x09C7, 0x09BE, 0x09D7, 0x09A1, 0x09BC, 0x0B47, 0x0B3E, 0x0B56,
              0x0B57, 0x0B92, 0x0BD7, 0x0BC6, 0x0BBE, 0x0C46, 0x0C56, 0x0CBF, 0x0CC6, 0x0CD5,
              0x0CD6, 0x0CC2, 0x0D46, 0x0D3E, 0x0D57, 0x0DD9, 0x0DCA, 0x0DCF, 0x0DDF, 0x1025,
              0x102E, 0x1B05, 0x1B35, 0x1B3A, 0x11099, 0x110BA, 0x11131, 0x11127, 0x11347,
              0x1133E, 0x11357, 0x114B9, 0x114BA, 0x114B0, 0x115B8, 0x115AF, 0x11935, 0x11930,
              0x0F40, 0x0FB5, 0x0F71, 0x0F72, 0x0F80, 0x0F73, 0x0F75, 0x0F81, 0x0FB2, 0x0FB3,
              0x1D157, 0x1D158, 0x1D165, 0x1D16E, 0x1D15E, 0x2ADC, 0x2ADD, 0x0338, 0x003D,
              0x003C, 0x2260, 0x05D9, 0x05B4, 0x05E9, 0x05C1, 0x05BC, 0x30AB, 0x3099, 0x309B)
ASCII = list("abcxyz ,.-_019 ")


def scrambled(rng, bases, marks, lo, hi):
    s = [rng.choice(bases)] + [rng.choice(marks) for _ in range(rng.randint(lo, hi))]
    tail = s[1:]
    rng.shuffle(tail)
    return "".join([s[0]] + tail)


def chunk(rng, pool):
    kind = rng.randrange(12)
    if kind == 0:
        return scrambled(rng, LATIN, MARKS, 1, 5)
    if kind == 1:
        return scrambled(rng, GREEK, GREEK_MARKS, 0, 3)
    if kind == 2:
        return "".join(rng.choice(HANGUL + JAMO + JAMO) for _ in range(rng.randint(1, 6)))
    if kind == 3:
        return "".join(rng.choice(CJK_COMPAT) for _ in range(rng.randint(1, 3)))
    if kind == 4:
        return "".join(rng.choice(FULLWIDTH) for _ in range(rng.randint(1, 5)))
    if kind == 5:
        return "".join(rng.choice(LIGATURES) for _ in range(rng.randint(1, 3)))
    if kind == 6:
        return "".join(rng.choice(ARABIC) for _ in range(rng.randint(1, 5)))
    if kind == 7:
        return "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 5)))
    if kind == 8:
        return "".join(rng.choice(PAIRS) for _ in range(rng.randint(2, 5)))
    if kind == 9:
        return "".join(rng.choice(pool) for _ in range(rng.randint(1, 6)))
    if kind == 10 and rng.random() < 0.2:
        return scrambled(rng, LATIN + GREEK, MARKS + GREEK_MARKS, 33, 70)  # counting-sort path
    return "".join(rng.choice(ASCII) for _ in range(rng.randint(1, 4)))


def ranges(pred, chs):
    out = []
    for ch in chs:
        if pred(ch):
            c = ord(ch)
            if out and out[-1][1] == c - 1:
                out[-1][1] = c
            else:
                out.append([c, c])
    return out


def main():
    assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
    for text in __doc__.strip().split("\n"):
        print(("# " + text).rstrip())
    everything = all_chars()
    pool = interesting(everything)
    for ch in pool:
        c = ord(ch)
        if 0xAC00 <= c <= 0xD7A3 and (c - 0xAC00) % 97:
            continue
        print(line(ch))
    rng = random.Random(SEED)
    for _ in range(N_RANDOM):
        print(line("".join(chunk(rng, pool) for _ in range(rng.randint(1, 4)))))
    props = (("not_nfc", lambda ch: not unicodedata.is_normalized("NFC", ch)),
             ("not_nfkc", lambda ch: not unicodedata.is_normalized("NFKC", ch)),
             ("xid_start", lambda ch: ch.isidentifier()),
             ("xid_continue", lambda ch: ("a" + ch).isidentifier()))
    for name, pred in props:
        for lo, hi in ranges(pred, everything):
            print("r %s %04X %04X" % (name, lo, hi))


if __name__ == "__main__":
    main()
