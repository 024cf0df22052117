/* Unicode normalization (NFC, NFKC) and the XID identifier classes, over the tables that
 * tools/ref/gen_unicode_norm.py generates into unicode_tables_norm.c. Text is scanned with the
 * quick-check properties; only the segments quick-check cannot pass (between two starters that
 * nothing composes or reorders across) are decomposed, reordered and recomposed. ASCII runs and
 * text already in the form are copied through in bulk. */
#include "base/unicode.h"
#include "base/arena.h"
#include "base/unicode_norm.h"
#include "base/utf8.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

enum {
    HANGUL_S = 0xAC00, HANGUL_L = 0x1100, HANGUL_V = 0x1161, HANGUL_T = 0x11A7,
    HANGUL_LN = 19, HANGUL_VN = 21, HANGUL_TN = 28, HANGUL_SN = 19 * 21 * 28
};

/* ---------------------------------------------------------------- decoding */

/* Decodes one sequence at s[0..n) with s[0] >= 0x80; returns its length, or 0 when it is not
 * valid UTF-8 (the rules of dp_utf8_decode, with the 2- and 3-byte forms inlined). */
static inline size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (s[1] & 0xC0) != 0x80) return 0;
        *cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return 3;
    }
    return dp_utf8_decode(s, n, cp);
}

/* End of the ASCII run that starts at s[i], eight bytes at a time. */
static inline size_t ascii_run_end(const unsigned char *s, size_t i, size_t n)
{
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) break;
        i += 8;
    }
    while (i < n && s[i] < 0x80) i++;
    return i;
}

static inline unsigned qc_of(uint16_t props, unsigned shift) { return (props >> shift) & 3u; }

/* ---------------------------------------------------------------- code point buffer */

/* Packed code points: bits 0-20 the code point, 21-28 its combining class, bit 29 set when it
 * can compose with a preceding starter. */
#define PK_CP(x) ((x) & 0x1FFFFFu)
#define PK_CCC(x) (((x) >> 21) & 0xFFu)
#define PK_BACK (1u << 29)

struct cpbuf {
    uint32_t *p;          /* local or malloc'd */
    size_t n, cap;
    uint32_t local[128];
};

static void cpbuf_init(struct cpbuf *b)
{
    b->p = b->local;
    b->n = 0;
    b->cap = sizeof b->local / sizeof b->local[0];
}

static void cpbuf_free(struct cpbuf *b)
{
    if (b->p != b->local) free(b->p);
    cpbuf_init(b);
}

static void cpbuf_reserve(struct cpbuf *b, size_t need)
{
    if (need <= b->cap) return;
    size_t cap = b->cap * 2;
    while (cap < need) cap *= 2;
    if (b->p == b->local) {
        uint32_t *p = dp_xmalloc(cap * sizeof *p);
        memcpy(p, b->local, b->n * sizeof *p);
        b->p = p;
    } else {
        b->p = dp_xrealloc(b->p, cap * sizeof *b->p);
    }
    b->cap = cap;
}

static inline uint32_t pack_props(uint32_t cp, uint16_t props)
{
    return cp | (uint32_t)(props & 0xFFu) << 21 | ((props & DP_UNI_COMBINES_BACK) ? PK_BACK : 0);
}

static inline uint32_t pack(uint32_t cp) { return pack_props(cp, dp_uni_props(cp)); }

/* ---------------------------------------------------------------- decompose, reorder, compose */

/* Appends the full canonical (compat: compatibility) decomposition of cp. */
static void decompose_cp(struct cpbuf *b, uint32_t cp, bool compat)
{
    cpbuf_reserve(b, b->n + (1u << DP_UNI_LEN_BITS));
    uint32_t *w = b->p + b->n;
    if (cp - HANGUL_S < (uint32_t)HANGUL_SN) {
        uint32_t s = cp - HANGUL_S, t = s % HANGUL_TN;
        *w++ = pack(HANGUL_L + s / (HANGUL_VN * HANGUL_TN));
        *w++ = pack(HANGUL_V + (s % (HANGUL_VN * HANGUL_TN)) / HANGUL_TN);
        if (t) *w++ = pack(HANGUL_T + t);
        b->n = (size_t)(w - b->p);
        return;
    }
    uint16_t props = dp_uni_props(cp);
    if (props & DP_UNI_HAS_DECOMP) {
        unsigned k = dp_uni_dec_index(cp);
        uint32_t e = compat ? dp_uni_dec_compat[k] : dp_uni_dec_canon[k];
        if (e) {
            const uint32_t *src = dp_uni_dec_pool + (e >> DP_UNI_LEN_BITS);
            for (uint32_t i = 0, len = e & ((1u << DP_UNI_LEN_BITS) - 1); i < len; i++)
                *w++ = pack(src[i]);
            b->n = (size_t)(w - b->p);
            return;
        }
    }
    *w = pack_props(cp, props);
    b->n++;
}

/* Stable sort of b->p[lo..hi) (all non-starters) by combining class: insertion sort for short
 * runs, counting sort (linear) for long ones so hostile input cannot go quadratic. */
static void sort_run(struct cpbuf *b, size_t lo, size_t hi)
{
    uint32_t *p = b->p;
    if (hi - lo <= 32) {
        for (size_t i = lo + 1; i < hi; i++) {
            uint32_t x = p[i];
            size_t j = i;
            for (; j > lo && PK_CCC(p[j - 1]) > PK_CCC(x); j--) p[j] = p[j - 1];
            p[j] = x;
        }
        return;
    }
    size_t len = hi - lo, count[257] = {0};
    cpbuf_reserve(b, b->n + len);
    p = b->p;
    uint32_t *tmp = p + b->n;
    for (size_t i = lo; i < hi; i++) count[PK_CCC(p[i]) + 1]++;
    for (size_t c = 1; c < 257; c++) count[c] += count[c - 1];
    for (size_t i = lo; i < hi; i++) tmp[count[PK_CCC(p[i])]++] = p[i];
    memcpy(p + lo, tmp, len * sizeof *p);
}

/* Canonical ordering: each maximal run of non-starters sorted by combining class. */
static void reorder(struct cpbuf *b)
{
    size_t i = 0;
    while (i < b->n) {
        if (PK_CCC(b->p[i]) == 0) {
            i++;
            continue;
        }
        size_t j = i + 1;
        bool sorted = true;
        for (; j < b->n && PK_CCC(b->p[j]); j++)
            if (PK_CCC(b->p[j]) < PK_CCC(b->p[j - 1])) sorted = false;
        if (!sorted) sort_run(b, i, j);
        i = j;
    }
}

/* The primary composite of a + b, or 0 when they do not compose. */
static uint32_t compose_pair(uint32_t a, uint32_t b)
{
    if (a - HANGUL_L < (uint32_t)HANGUL_LN && b - HANGUL_V < (uint32_t)HANGUL_VN)
        return HANGUL_S + ((a - HANGUL_L) * HANGUL_VN + (b - HANGUL_V)) * HANGUL_TN;
    if (a - HANGUL_S < (uint32_t)HANGUL_SN && (a - HANGUL_S) % HANGUL_TN == 0 &&
        b - (HANGUL_T + 1) < (uint32_t)(HANGUL_TN - 1))
        return a + (b - HANGUL_T);
    const uint32_t mask = (1u << DP_UNI_COMP_BITS) - 1;
    for (uint32_t h = dp_uni_comp_hash(a, b);; h = (h + 1) & mask) {
        const struct dp_uni_pair *e = &dp_uni_comp[h];
        if (e->first == 0) return 0;
        if (e->first == a && e->second == b) return e->composite;
    }
}

/* Canonical composition in place (UAX #15): a character composes with the last starter when
 * nothing between them is a starter or has a combining class >= its own. */
static void compose(struct cpbuf *b)
{
    uint32_t *p = b->p;
    if (b->n == 0) return;
    size_t starter = 0, out = 1;
    unsigned last = PK_CCC(p[0]) ? 256 : 0;   /* 256: no starter yet, nothing composes */
    for (size_t i = 1; i < b->n; i++) {
        uint32_t x = p[i];
        unsigned ccc = PK_CCC(x);
        if ((x & PK_BACK) && (last == 0 || last < ccc)) {
            uint32_t c = compose_pair(PK_CP(p[starter]), PK_CP(x));
            if (c) {
                p[starter] = pack(c);
                continue;
            }
        }
        if (ccc == 0) starter = out;
        last = ccc;
        p[out++] = x;
    }
    b->n = out;
}

/* Appends the normalization of s[0..n) (valid UTF-8, a whole segment) to out; buf is scratch. */
static void normalize_segment(struct dp_sbuf *out, struct cpbuf *buf, const unsigned char *s,
                              size_t n, bool compat)
{
    buf->n = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = s[i];
        size_t len = 1;
        if (cp >= 0x80) len = decode(s + i, n - i, &cp);
        assert(len > 0);
        decompose_cp(buf, cp, compat);
        i += len;
    }
    reorder(buf);
    compose(buf);
    dp_sbuf_reserve(out, buf->n * 4);
    char *w = out->p + out->n;
    for (size_t i = 0; i < buf->n; i++) w += dp_utf8_encode(PK_CP(buf->p[i]), w);
    out->n = (size_t)(w - out->p);
    out->p[out->n] = 0;
}

/* ---------------------------------------------------------------- scanning */

/* End of the segment that needs work: up to the next character that is a starter and passes
 * quick-check (nothing before it can compose with it or reorder past it), ASCII, or an invalid
 * byte. */
static size_t segment_end(const unsigned char *s, size_t j, size_t n, unsigned shift)
{
    while (j < n && s[j] >= 0x80) {
        uint32_t cp;
        size_t len = decode(s + j, n - j, &cp);
        if (!len) break;
        uint16_t props = dp_uni_props(cp);
        if ((props & 0xFFu) == 0 && qc_of(props, shift) == DP_UNI_QC_YES) break;
        j += len;
    }
    return j;
}

/* Normalizes s[0..n) into out, or with out NULL only checks: returns false at the first
 * segment whose normalization differs from the input. Invalid bytes pass through and act as
 * starters that compose with nothing. */
static bool normalize(struct dp_sbuf *out, const char *s, size_t n, bool compat)
{
    const unsigned char *u = (const unsigned char *)s;
    const unsigned shift = compat ? DP_UNI_NFKC_QC_SHIFT : DP_UNI_NFC_QC_SHIFT;
    size_t i = 0, done = 0, bound = 0;   /* done: input copied out so far; bound: last boundary */
    unsigned last = 0;                   /* combining class of the previous character */
    bool same = true;
    struct cpbuf buf;
    struct dp_sbuf tmp = {0};
    cpbuf_init(&buf);
    while (i < n) {
        if (u[i] < 0x80) {
            i = ascii_run_end(u, i, n);
            bound = i - 1;
            last = 0;
            continue;
        }
        uint32_t cp;
        size_t len = decode(u + i, n - i, &cp);
        if (len == 0) {
            bound = ++i;
            last = 0;
            continue;
        }
        uint16_t props = dp_uni_props(cp);
        unsigned ccc = props & 0xFFu;
        if (qc_of(props, shift) == DP_UNI_QC_YES && (ccc == 0 || ccc >= last)) {
            if (ccc == 0) bound = i;
            last = ccc;
            i += len;
            continue;
        }
        size_t end = segment_end(u, i + len, n, shift);
        if (out) {
            dp_sbuf_put(out, s + done, bound - done);
            normalize_segment(out, &buf, u + bound, end - bound, compat);
        } else {
            dp_sbuf_reset(&tmp);
            normalize_segment(&tmp, &buf, u + bound, end - bound, compat);
            if (tmp.n != end - bound || memcmp(tmp.p, s + bound, tmp.n) != 0) {
                same = false;
                break;
            }
        }
        done = bound = i = end;
        last = 0;
    }
    if (out && done < n) dp_sbuf_put(out, s + done, n - done);
    cpbuf_free(&buf);
    dp_sbuf_free(&tmp);
    return same;
}

/* ---------------------------------------------------------------- API */

void dp_unicode_nfc(struct dp_sbuf *out, const char *s, size_t n) { normalize(out, s, n, false); }
void dp_unicode_nfkc(struct dp_sbuf *out, const char *s, size_t n) { normalize(out, s, n, true); }
bool dp_unicode_is_nfc(const char *s, size_t n) { return normalize(NULL, s, n, false); }
bool dp_unicode_is_nfkc(const char *s, size_t n) { return normalize(NULL, s, n, true); }

bool dp_unicode_xid_start(uint32_t cp)
{
    return cp <= 0x10FFFF && (dp_uni_props(cp) & DP_UNI_XID_START);
}

bool dp_unicode_xid_continue(uint32_t cp)
{
    return cp <= 0x10FFFF && (dp_uni_props(cp) & DP_UNI_XID_CONTINUE);
}
