/* Source decoding before tokenizing (see source.h): CPython reads the coding cookie from the
 * first two lines (PEP 263), refuses unknown encodings, and translates \r\n and \r to \n. Not
 * here: validation of UTF-8 itself, which the tokenizer reports with a position. */
#include "py/source.h"
#include <stdbool.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The cookie's encoding name (lowercased, at most cap-1 chars) or "" when there is none. */
static void find_cookie(const char *s, size_t n, char *enc, size_t cap)
{
    enc[0] = 0;
    size_t i = 0;
    for (int line = 0; line < 2 && i < n; line++) {
        size_t e = i;
        while (e < n && s[e] != '\n' && s[e] != '\r') e++;
        size_t j = i;
        while (j < e && (s[j] == ' ' || s[j] == '\t' || s[j] == '\f')) j++;
        if (j < e && s[j] == '#') {
            /* regex ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) */
            for (size_t k = j; k + 7 <= e; k++) {
                if (memcmp(s + k, "coding", 6) != 0 || (s[k + 6] != ':' && s[k + 6] != '=')) continue;
                size_t v = k + 7, m = 0;
                while (v < e && (s[v] == ' ' || s[v] == '\t')) v++;
                while (v < e && m + 1 < cap) {
                    char c = s[v];
                    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == '_' || c == '-' || c == '.';
                    if (!word) break;
                    enc[m++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                    v++;
                }
                enc[m] = 0;
                if (m) return;
            }
        } else if (j < e) {
            return;   /* a line of code: no cookie on the next line either */
        }
        i = e + (e + 1 < n && s[e] == '\r' && s[e + 1] == '\n' ? 2 : 1);
    }
}

/* CPython's get_normal_name: "utf-8" and "latin-1" families. */
static const char *normal_name(const char *enc)
{
    if (!strncmp(enc, "utf-8", 5) && (enc[5] == 0 || enc[5] == '-')) return "utf-8";
    static const char *const l1[] = {"latin-1", "iso-8859-1", "iso-latin-1"};
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(l1[i]);
        if (!strncmp(enc, l1[i], k) && (enc[k] == 0 || enc[k] == '-')) return "iso-8859-1";
    }
    return enc;
}

/* -2: UTF-8; -1: ASCII-only codec; >= 0: dp_py_codecs index; -3: unknown */
static int codec_of(const char *enc)
{
    char norm[64];
    size_t m = 0;
    bool sep = false;
    for (const char *c = enc; *c && m + 1 < sizeof norm; c++) {
        bool keep = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.';
        if (keep) {
            if (sep && m) norm[m++] = '_';
            norm[m++] = *c;
            sep = false;
        } else {
            sep = true;
        }
    }
    norm[m] = 0;
    if (!strcmp(norm, "utf_8") || !strcmp(norm, "utf8") || !strcmp(norm, "u8") || !strcmp(norm, "utf") ||
        !strcmp(norm, "cp65001") || !strcmp(norm, "utf8_ucs2") || !strcmp(norm, "utf8_ucs4"))
        return -2;
    for (const struct dp_py_codec_alias *a = dp_py_codec_aliases; a->name; a++)
        if (!strcmp(a->name, norm)) return a->codec;
    return -3;
}

static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) { d[0] = (char)cp; return 1; }
    if (cp < 0x800) { d[0] = (char)(0xC0 | (cp >> 6)); d[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    d[0] = (char)(0xE0 | (cp >> 12));
    d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* The codec of src: -2 UTF-8, -1 a codec decoded only when the text is pure ASCII, >= 0 an index
 * into dp_py_codecs. A UTF-8 BOM is skipped (*src, *n move past it); enc gets the cookie. */
static int pick_codec(const char **src, size_t *n, const char *path, char *enc, size_t cap,
                      int *codec, struct dp_error *e)
{
    bool bom = *n >= 3 && memcmp(*src, "\xEF\xBB\xBF", 3) == 0;
    if (bom) { *src += 3; *n -= 3; }
    find_cookie(*src, *n, enc, cap);
    *codec = -2;
    if (enc[0]) {
        const char *nn = normal_name(enc);
        if (bom && strcmp(nn, "utf-8") != 0)
            return dp_error_set(e, DP_ESYNTAX, path, 0, 0, "SyntaxError: encoding problem: %s with BOM", enc);
        *codec = codec_of(nn);
        if (*codec == -3)
            return dp_error_set(e, DP_ESYNTAX, path, 0, 0, "SyntaxError: unknown encoding: %s", enc);
    }
    return 0;
}

/* Room for the decoded text: a single-byte codec's characters take up to 3 bytes in UTF-8; then
 * a final newline, the NUL and 16 zero bytes of padding (word-at-a-time readers). */
static size_t decoded_cap(size_t n, int codec) { return (codec >= 0 ? n * 3 : n) + 2 + 16; }

/* src[0..n) decoded into d (decoded_cap bytes), newlines translated, a final one added. */
static int transcode(const char *src, size_t n, int codec, const char *enc, const char *path,
                     char *d, size_t *outlen, struct dp_error *e)
{
    const struct dp_py_codec *cd = codec >= 0 ? &dp_py_codecs[codec] : NULL;
    size_t k = 0;
    if (!cd && !memchr(src, '\r', n)) {   /* the common case: nothing to translate */
        memcpy(d, src, n);
        k = n;
    } else {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)src[i];
            if (c == '\r') {
                d[k++] = '\n';
                if (i + 1 < n && src[i + 1] == '\n') i++;
            } else if (cd && c >= 0x80) {
                uint32_t cp = cd->high[c - 0x80];
                if (cp == 0xFFFF)
                    return dp_error_set(e, DP_ESYNTAX, path, 0, 0,
                                        "SyntaxError: (unicode error) '%s' codec can't decode byte 0x%02x",
                                        cd->name, c);
                k += put_utf8(d + k, cp);
            } else {
                d[k++] = (char)c;
            }
        }
    }
    if (codec == -1) {
        for (size_t i = 0; i < k; i++)
            if ((unsigned char)d[i] >= 0x80)
                return dp_error_set(e, DP_ESYNTAX, path, 0, 0,
                                    "SyntaxError: encoding %s is supported for ASCII text only", enc);
    }
    if (k > 0 && d[k - 1] != '\n') d[k++] = '\n';
    memset(d + k, 0, 16);
    *outlen = k;
    return 0;
}

int dp_py_source_decode(struct dp_arena *a, const char *src, size_t n, const char *path,
                        char **out, size_t *outlen, struct dp_error *e)
{
    char enc[64];
    int codec;
    int r = pick_codec(&src, &n, path, enc, sizeof enc, &codec, e);
    if (r) return r;
    char *d = dp_arena_alloc_raw(a, decoded_cap(n, codec));
    r = transcode(src, n, codec, enc, path, d, outlen, e);
    if (r) return r;
    *out = d;
    return 0;
}

/* ---------------------------------------------------------------- text with line starts */

/* Line-start table: ls[1] = 0 and one entry after each '\n'; grown by doubling in the arena. */
struct lines {
    uint32_t *ls;
    size_t n, cap;   /* ls[1..n] used */
};

static void lines_init(struct dp_arena *a, struct lines *l, size_t textlen)
{
    l->cap = textlen / 16 + 64;   /* real code has 30-40 bytes a line */
    l->ls = dp_arena_alloc_raw(a, (l->cap + 2) * sizeof *l->ls);
    l->ls[0] = l->ls[1] = 0;
    l->n = 1;
}

static void lines_grow(struct dp_arena *a, struct lines *l, size_t more)
{
    size_t cap = l->cap * 2 > l->n + more ? l->cap * 2 : l->n + more;
    uint32_t *ls = dp_arena_alloc_raw(a, (cap + 2) * sizeof *ls);
    memcpy(ls, l->ls, (l->n + 1) * sizeof *ls);
    l->ls = ls;
    l->cap = cap;
}

static inline void lines_reserve(struct dp_arena *a, struct lines *l, size_t more)
{
    if (l->n + more > l->cap) lines_grow(a, l, more);
}

static void lines_scan(struct dp_arena *a, struct lines *l, const char *d, size_t k)
{
    for (const char *q = d; (q = memchr(q, '\n', (size_t)(d + k - q))) != NULL; q++) {
        lines_reserve(a, l, 1);
        l->ls[++l->n] = (uint32_t)(q - d + 1);
    }
}

/* UTF-8 source without a '\r': copies src to d, finding the line starts and whether any byte is
 * non-ASCII on the way, 16 bytes at a time. Returns false (d and l then undefined) at a '\r'. */
static bool copy_scan(struct dp_arena *a, const char *src, size_t n, char *d, struct lines *l,
                      bool *ascii)
{
    size_t i = 0;
    unsigned char high = 0;
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    __m128i hi = _mm_setzero_si128();
    for (; i + 64 <= n; i += 64) {
        const __m128i *p = (const __m128i *)(const void *)(src + i);
        __m128i v0 = _mm_loadu_si128(p), v1 = _mm_loadu_si128(p + 1);
        __m128i v2 = _mm_loadu_si128(p + 2), v3 = _mm_loadu_si128(p + 3);
        __m128i *q = (__m128i *)(void *)(d + i);
        _mm_storeu_si128(q, v0);
        _mm_storeu_si128(q + 1, v1);
        _mm_storeu_si128(q + 2, v2);
        _mm_storeu_si128(q + 3, v3);
        hi = _mm_or_si128(hi, _mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3)));
        __m128i r = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, cr), _mm_cmpeq_epi8(v1, cr)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v2, cr), _mm_cmpeq_epi8(v3, cr)));
        if (_mm_movemask_epi8(r)) return false;
        uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v0, nl)) |
                     (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v1, nl)) << 16 |
                     (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v2, nl)) << 32 |
                     (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v3, nl)) << 48;
        if (!m) continue;
        lines_reserve(a, l, 64);
        uint32_t *ls = l->ls;
        size_t L = l->n;
        do {
            ls[++L] = (uint32_t)(i + (size_t)__builtin_ctzll(m) + 1);
            m &= m - 1;
        } while (m);
        l->n = L;
    }
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        _mm_storeu_si128((__m128i *)(void *)(d + i), v);
        hi = _mm_or_si128(hi, v);
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr))) return false;
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        if (!m) continue;
        lines_reserve(a, l, 16);
        uint32_t *ls = l->ls;
        size_t L = l->n;
        do {
            ls[++L] = (uint32_t)(i + (size_t)__builtin_ctz(m) + 1);
            m &= m - 1;
        } while (m);
        l->n = L;
    }
    high = (unsigned char)(_mm_movemask_epi8(hi) ? 0x80 : 0);
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (c == '\r') return false;
        d[i] = (char)c;
        high |= c;
        if (c == '\n') {
            lines_reserve(a, l, 1);
            l->ls[++l->n] = (uint32_t)(i + 1);
        }
    }
    *ascii = !(high & 0x80);
    return true;
}

int dp_py_source_prepare(struct dp_arena *a, const char *src, size_t n, const char *path,
                         struct dp_py_text *t, struct dp_error *e)
{
    char enc[64];
    int codec;
    int r = pick_codec(&src, &n, path, enc, sizeof enc, &codec, e);
    if (r) return r;
    char *d = dp_arena_alloc_raw(a, decoded_cap(n, codec));
    struct lines l;
    lines_init(a, &l, n);
    size_t k = n;
    bool ascii = false;
    if (codec != -2 || !copy_scan(a, src, n, d, &l, &ascii)) {
        r = transcode(src, n, codec, enc, path, d, &k, e);
        if (r) return r;
        lines_init(a, &l, k);
        lines_scan(a, &l, d, k);
    } else {
        if (k > 0 && d[k - 1] != '\n') {
            d[k++] = '\n';
            lines_reserve(a, &l, 1);
            l.ls[++l.n] = (uint32_t)k;
        }
        memset(d + k, 0, 16);
    }
    size_t at, len;
    const char *why;
    t->s = d;
    t->len = k;
    t->line_start = l.ls;
    t->nlines = (int)l.n;
    t->utf8_ok = ascii || !dp_py_utf8_problem((const unsigned char *)d, k, &at, &len, &why);
    return 0;
}

/* The first invalid UTF-8 sequence in s[0..n), as CPython's decoder describes it: its offset,
 * its length and the reason. Returns false when s is valid. */
bool dp_py_utf8_problem(const unsigned char *s, size_t n, size_t *at, size_t *len, const char **why)
{
    for (size_t i = 0; i < n;) {
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, s + i, 8), (w & 0x8080808080808080ull) == 0)) {
            i += 8;   /* eight ASCII bytes at once */
            continue;
        }
        unsigned char c = s[i];
        if (c < 0x80) { i++; continue; }
        size_t need = c < 0xC2 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF5 ? 3 : 0;
        *at = i;
        if (!need) { *len = 1; *why = "invalid start byte"; return true; }
        unsigned char lo = 0x80, hi = 0xBF;   /* the second byte's range excludes overlongs and surrogates */
        if (c == 0xE0) lo = 0xA0;
        else if (c == 0xED) hi = 0x9F;
        else if (c == 0xF0) lo = 0x90;
        else if (c == 0xF4) hi = 0x8F;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n) { *len = k; *why = "unexpected end of data"; return true; }
            unsigned char d = s[i + k];
            bool ok = k == 1 ? (d >= lo && d <= hi) : (d >= 0x80 && d <= 0xBF);
            if (!ok) { *len = k; *why = "invalid continuation byte"; return true; }
        }
        i += need + 1;
    }
    return false;
}
