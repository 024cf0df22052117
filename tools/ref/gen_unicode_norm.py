#!/usr/bin/python3
"""Generates src/base/unicode_tables_norm.c from CPython 3.11's unicodedata (Unicode 14.0).

Run from the repo root with Debian's interpreter (the oracle, not pyenv's):
    /usr/bin/python3 tools/ref/gen_unicode_norm.py > src/base/unicode_tables_norm.c

Everything is derived from unicodedata itself, not from UCD files: combining classes from
combining(), full decompositions from normalize('NFD'/'NFKD') of each code point (Hangul
syllables are left to code), composition pairs from the one-level canonical decompositions of
length 2 that NFC maps back to the composite (this drops the composition exclusions), quick-check
No from NFC(c) != c, Maybe from being the second half of a pair, and XID_Start / XID_Continue
from str.isidentifier() (so XID_Start includes '_', as Python's identifier rule does).
Layouts and bit assignments must match src/base/unicode_norm.h.
"""
import sys
import unicodedata

NCP = 0x110000
S_BASE, L_BASE, V_BASE, T_BASE = 0xAC00, 0x1100, 0x1161, 0x11A7
L_COUNT, V_COUNT, T_COUNT, S_COUNT = 19, 21, 28, 11172

# Property bits (see unicode_norm.h).
QC_YES, QC_MAYBE, QC_NO = 0, 1, 2
NFC_QC_SHIFT, NFKC_QC_SHIFT = 8, 10
XID_START, XID_CONTINUE, HAS_DECOMP, COMBINES_BACK = 1 << 12, 1 << 13, 1 << 14, 1 << 15

SHIFT1, SHIFT2 = 12, 5   # three-level tries: top[c >> 12], mid[.. (c >> 5) & 127], leaf[.. c & 31]
COMP_BITS = 12           # composition hash table: 2**COMP_BITS slots, linear probing
LEN_BITS = 5                       # decomposition entry: offset << LEN_BITS | length


def is_hangul_syllable(c):
    return S_BASE <= c < S_BASE + S_COUNT


def comp_hash(a, b):
    h = ((a * 0x9E3779B1) & 0xFFFFFFFF) ^ ((b * 0x85EBCA6B) & 0xFFFFFFFF)
    return h >> (32 - COMP_BITS)


def collect():
    """Per code point: properties, canonical and compatibility decompositions; the pairs."""
    ccc = [0] * NCP
    nfd, nfkd = {}, {}
    pairs = {}
    for c in range(NCP):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        ccc[c] = unicodedata.combining(ch)
        if is_hangul_syllable(c):
            continue
        d, k = unicodedata.normalize("NFD", ch), unicodedata.normalize("NFKD", ch)
        if d != ch:
            nfd[c] = [ord(x) for x in d]
        if k != ch:
            nfkd[c] = [ord(x) for x in k]
        raw = unicodedata.decomposition(ch)
        if raw and not raw.startswith("<"):
            parts = [int(x, 16) for x in raw.split()]
            if len(parts) == 2 and unicodedata.normalize("NFC", chr(parts[0]) + chr(parts[1])) == ch:
                pairs[(parts[0], parts[1])] = c
    return ccc, nfd, nfkd, pairs


def properties(ccc, nfd, nfkd, pairs):
    second = {b for (_, b) in pairs}
    second.update(range(V_BASE, V_BASE + V_COUNT))
    second.update(range(T_BASE + 1, T_BASE + T_COUNT))
    props = [0] * NCP
    for c in range(NCP):
        if 0xD800 <= c <= 0xDFFF:
            continue
        ch = chr(c)
        v = ccc[c]
        for form, shift in (("NFC", NFC_QC_SHIFT), ("NFKC", NFKC_QC_SHIFT)):
            if unicodedata.normalize(form, ch) != ch:
                qc = QC_NO
            elif c in second:
                qc = QC_MAYBE
            else:
                qc = QC_YES
            assert unicodedata.is_normalized(form, ch) == (qc != QC_NO), (form, hex(c))
            v |= qc << shift
        if c in second:
            v |= COMBINES_BACK
        if ch.isidentifier():
            v |= XID_START
        if ("a" + ch).isidentifier():
            v |= XID_CONTINUE
        if c in nfd or c in nfkd:
            v |= HAS_DECOMP
        props[c] = v
    check_boundaries(props, ccc, nfd, nfkd)
    return props


def check_boundaries(props, ccc, nfd, nfkd):
    """The C code treats a starter with quick-check Yes as a segment boundary: nothing before
    it can reorder or compose across it. Check that its own decomposition cannot start with a
    character that combines backwards (which would break that)."""
    for c in range(NCP):
        for table, shift in ((nfd, NFC_QC_SHIFT), (nfkd, NFKC_QC_SHIFT)):
            if ccc[c] or (props[c] >> shift) & 3 != QC_YES or c not in table:
                continue
            first = table[c][0]
            assert ccc[first] == 0 and not props[first] & COMBINES_BACK, hex(c)


def trie2(values, shift):
    """Two-level lookup: stage1[c >> shift] is a block number, stage2[block << shift | low]."""
    size, blocks, stage1, stage2 = 1 << shift, {}, [], []
    for base in range(0, len(values), size):
        blk = tuple(values[base:base + size])
        if blk not in blocks:
            blocks[blk] = len(blocks)
            stage2.extend(blk)
        stage1.append(blocks[blk])
    return stage1, stage2


def trie3(values):
    """Three-level lookup: top[c >> SHIFT1] is a mid block number; mid holds leaf block offsets
    (pre-shifted); leaf holds the values. Returns (top, mid, leaf)."""
    mid, leaf = trie2(values, SHIFT2)
    top, mid2 = trie2(mid, SHIFT1 - SHIFT2)
    assert max(top) < 256 and len(leaf) < 65536
    return top, [b << SHIFT2 for b in mid2], leaf


def decomp_tables(nfd, nfkd):
    """Index per code point (0: none) into parallel canon/compat arrays of packed pool slices."""
    pool, where = [], {}

    def slice_of(seq):
        if seq is None:
            return 0
        key = tuple(seq)
        if key not in where:
            where[key] = len(pool)
            pool.extend(seq)
        assert 0 < len(seq) < (1 << LEN_BITS)
        return where[key] << LEN_BITS | len(seq)

    index, canon, compat = [0] * NCP, [0], [0]
    for c in sorted(set(nfd) | set(nfkd)):
        index[c] = len(canon)
        canon.append(slice_of(nfd.get(c)))
        compat.append(slice_of(nfkd.get(c, nfd.get(c))))
    assert len(canon) < 65536 and len(pool) << LEN_BITS < 2**32
    return index, canon, compat, pool


def comp_table(pairs):
    slots = [None] * (1 << COMP_BITS)
    longest = 0
    for (a, b), c in sorted(pairs.items()):
        h, probes = comp_hash(a, b), 1
        while slots[h] is not None:
            h, probes = (h + 1) & ((1 << COMP_BITS) - 1), probes + 1
        slots[h] = (a, b, c)
        longest = max(longest, probes)
    assert len(pairs) * 2 < len(slots)
    return slots, longest


def emit_array(w, ctype, name, values, per_line=24):
    w("const %s %s[%d] = {\n" % (ctype, name, len(values)))
    for i in range(0, len(values), per_line):
        w(",".join(str(v) for v in values[i:i + per_line]) + ",\n")
    w("};\n\n")


def ctype_for(values):
    m = max(values)
    return "uint8_t" if m < 256 else "uint16_t" if m < 65536 else "uint32_t"


def main():
    assert unicodedata.unidata_version == "14.0.0", unicodedata.unidata_version
    ccc, nfd, nfkd, pairs = collect()
    props = properties(ccc, nfd, nfkd, pairs)

    # Properties: records (distinct 16-bit values) behind a three-level trie of record numbers.
    recs = sorted(set(props))
    rec_of = {v: i for i, v in enumerate(recs)}
    assert len(recs) < 256
    top, mid, leaf = trie3([rec_of[v] for v in props])
    dindex, canon, compat, pool = decomp_tables(nfd, nfkd)
    dtop, dmid, dleaf = trie3(dindex)
    slots, longest = comp_table(pairs)

    w = sys.stdout.write
    w("/* GENERATED by tools/ref/gen_unicode_norm.py from CPython 3.11.2's unicodedata (Unicode %s);\n"
      " * do not edit. Regenerate: /usr/bin/python3 tools/ref/gen_unicode_norm.py > "
      "src/base/unicode_tables_norm.c\n"
      " * Property records and tries, decomposition slices, the composition hash table\n"
      " * (layouts in src/base/unicode_norm.h). %d records, %d decompositions, %d pairs\n"
      " * (longest probe %d). */\n"
      % (unicodedata.unidata_version, len(recs), len(canon) - 1, len(pairs), longest))
    w('#include "base/unicode_norm.h"\n\n')
    for name, val in (("DP_UNI_SHIFT1", SHIFT1), ("DP_UNI_SHIFT2", SHIFT2),
                      ("DP_UNI_COMP_BITS", COMP_BITS),
                      ("DP_UNI_LEN_BITS", LEN_BITS), ("DP_UNI_NFC_QC_SHIFT", NFC_QC_SHIFT),
                      ("DP_UNI_NFKC_QC_SHIFT", NFKC_QC_SHIFT), ("DP_UNI_XID_START", XID_START),
                      ("DP_UNI_XID_CONTINUE", XID_CONTINUE), ("DP_UNI_HAS_DECOMP", HAS_DECOMP),
                      ("DP_UNI_COMBINES_BACK", COMBINES_BACK)):
        w('_Static_assert(%s == %d, "regenerate src/base/unicode_tables_norm.c");\n' % (name, val))
    w("\n")

    emit_array(w, "uint16_t", "dp_uni_prop_rec", recs, 16)
    emit_array(w, "uint8_t", "dp_uni_prop_top", top, 32)
    emit_array(w, "uint16_t", "dp_uni_prop_mid", mid)
    emit_array(w, "uint8_t", "dp_uni_prop_leaf", leaf, 32)
    emit_array(w, "uint8_t", "dp_uni_dec_top", dtop, 32)
    emit_array(w, "uint16_t", "dp_uni_dec_mid", dmid)
    emit_array(w, "uint16_t", "dp_uni_dec_leaf", dleaf)
    emit_array(w, "uint32_t", "dp_uni_dec_canon", canon, 12)
    emit_array(w, "uint32_t", "dp_uni_dec_compat", compat, 12)
    emit_array(w, "uint32_t", "dp_uni_dec_pool", pool, 14)
    w("const struct dp_uni_pair dp_uni_comp[%d] = {\n" % len(slots))
    for i in range(0, len(slots), 8):
        w(",".join("{%d,%d,%d}" % s if s else "{0,0,0}" for s in slots[i:i + 8]) + ",\n")
    w("};\n")
    for name, arr in (("top", top), ("mid", mid), ("leaf", leaf), ("dtop", dtop), ("dmid", dmid),
                      ("dleaf", dleaf), ("pool", pool)):
        sys.stderr.write("%s: %d entries (max %d)\n" % (name, len(arr), max(arr)))


if __name__ == "__main__":
    main()
