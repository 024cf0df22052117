/* Python literal values as CPython 3.11 computes them: the escapes of str and bytes literals
 * (Objects/unicodeobject.c's unicode-escape decoder, Objects/bytesobject.c's bytes decoder),
 * \N{} name lookup (Modules/unicodedata.c), and NUMBER tokens (int of any size, float, imag).
 * It does not tokenize: callers hand it the body of one literal or one NUMBER token.
 * Error messages that carry positions are built into the spare capacity of `out` (str/bytes)
 * or into the arena (numbers); see report_escape_error. */
#include "py/literal.h"
#include "py/unicode_tables.h"
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* UTF-8 helpers (strict decoding as CPython's tokenizer; encoding allows lone surrogates).  */

static void put_cp(struct dp_sbuf *out, uint32_t cp)
{
    char b[4];
    size_t k;
    if (cp < 0x80) {
        b[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    dp_sbuf_put(out, b, k);
}

/* Length of the valid UTF-8 sequence at s[0..n) (s[0] >= 0x80), or 0 when it is invalid;
 * *bad gets the offset of the first offending byte (n when the sequence is cut short). */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t k;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) k = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        *bad = 0;
        return 0;
    }
    for (size_t i = 1; i < k; i++) {
        if (i >= n) { *bad = n; return 0; }
        if (s[i] < (i == 1 ? lo : 0x80) || s[i] > (i == 1 ? hi : 0xBF)) { *bad = i; return 0; }
    }
    return k;
}

/* ------------------------------------------------------------------------------------------ */
/* Error reporting                                                                            */

/* The message goes after out's NUL terminator, in capacity out owns, so no allocator is needed
 * and nothing mutable is global: *reason stays valid until out is next written to or freed.
 * out->n is restored to base, undoing any partial output. */
static int report(struct dp_sbuf *out, size_t base, const char **reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int report(struct dp_sbuf *out, size_t base, const char **reason, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t len = k < 0 ? 0 : (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1;
    out->n = base;
    dp_sbuf_reserve(out, len + 2);
    out->p[base] = '\0';
    memcpy(out->p + base + 1, tmp, len);
    out->p[base + 1 + len] = '\0';
    *reason = out->p + base + 1;
    return -1;
}

/* CPython rewrites a str literal before decoding: each non-ASCII character becomes a 10-byte
 * "\UXXXXXXXX" and a backslash before a non-ASCII character (or at the very end) gets a
 * "u005c" added, and the error positions it reports are offsets into that rewritten text.
 * Returns the rewritten offset of original offset o. */
static size_t rewritten_pos(const char *s, size_t n, size_t o)
{
    size_t i = 0, v = 0, bad;
    while (i < o) {
        if (s[i] == '\\') {
            v++;
            i++;
            if (i >= n || (s[i] & 0x80)) v += 5;
            if (i >= o) break;
        }
        if (s[i] & 0x80) {
            size_t k = utf8_seq((const unsigned char *)s + i, n - i, &bad);
            v += 10;
            i += k ? k : 1;
        } else {
            v++;
            i++;
        }
    }
    return v;
}

static int escape_error(struct dp_sbuf *out, size_t base, const char *s, size_t n, size_t start,
                        size_t end, size_t *bad_off, const char **reason, const char *msg)
{
    *bad_off = start;
    return report(out, base, reason,
                  "(unicode error) 'unicodeescape' codec can't decode bytes in position "
                  "%zu-%zu: %s", rewritten_pos(s, n, start), rewritten_pos(s, n, end) - 1, msg);
}

/* Invalid UTF-8 inside a literal: unreachable from CPython (its tokenizer rejects the file
 * first), reported in the words of its strict UTF-8 decoder, positions relative to the run of
 * non-ASCII bytes it would have decoded. */
static int utf8_error(struct dp_sbuf *out, size_t base, const char *s, size_t n, size_t i,
                      size_t *bad_off, const char **reason)
{
    size_t run = i, bad;
    while (run > 0 && (s[run - 1] & 0x80)) run--;
    size_t end = i;
    while (end < n && (s[end] & 0x80)) end++;
    *bad_off = i;
    utf8_seq((const unsigned char *)s + i, end - i, &bad);
    if (bad == 0)
        return report(out, base, reason, "(unicode error) 'utf-8' codec can't decode byte 0x%02x "
                      "in position %zu: invalid start byte", (unsigned char)s[i], i - run);
    if (i + bad < end)
        return report(out, base, reason, "(unicode error) 'utf-8' codec can't decode byte 0x%02x "
                      "in position %zu: invalid continuation byte", (unsigned char)s[i], i - run);
    return report(out, base, reason, "(unicode error) 'utf-8' codec can't decode bytes in "
                  "position %zu-%zu: unexpected end of data", i - run, end - run - 1);
}

/* ------------------------------------------------------------------------------------------ */
/* \N{NAME}                                                                                   */

/* CPython's find_syllable: the longest (first on ties) jamo name that s starts with. */
static size_t find_syllable(const char *s, size_t n, const char *const *tab, int count, int *pos)
{
    long best = -1;
    for (int i = 0; i < count; i++) {
        size_t k = strlen(tab[i]);
        if ((long)k <= best) continue;
        if (k <= n && memcmp(s, tab[i], k) == 0) {
            best = (long)k;
            *pos = i;
        }
    }
    return best < 0 ? 0 : (size_t)best;
}

static long hangul_lookup(const char *s, size_t n)
{
    int l = -1, v = -1, t = -1;
    size_t i = find_syllable(s, n, dp_uni_jamo_l, 19, &l);
    i += find_syllable(s + i, n - i, dp_uni_jamo_v, 21, &v);
    i += find_syllable(s + i, n - i, dp_uni_jamo_t, 28, &t);
    if (l < 0 || v < 0 || t < 0 || i != n) return -1;
    return 0xAC00 + ((long)l * 21 + v) * 28 + t;
}

/* Four or five hex digits, uppercase only (CPython's is_unified_ideograph path). */
static long cjk_lookup(const char *s, size_t n)
{
    if (n != 4 && n != 5) return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') v = v * 16 + (uint32_t)(c - '0');
        else if (c >= 'A' && c <= 'F') v = v * 16 + (uint32_t)(c - 'A' + 10);
        else return -1;
    }
    for (size_t r = 0; r < dp_uni_cjk_count; r++)
        if (v >= dp_uni_cjk[r][0] && v <= dp_uni_cjk[r][1]) return (long)v;
    return -1;
}

/* Compares key with the first name of block b. */
static int cmp_block_head(const char *key, size_t b)
{
    const unsigned char *p = (const unsigned char *)dp_uni_name_blocks[b] + 1;
    size_t i = 0;
    for (; p[i] && p[i] < 0x80; i++) {
        if (!key[i]) return -1;
        if ((unsigned char)key[i] != p[i]) return (unsigned char)key[i] < p[i] ? -1 : 1;
    }
    return key[i] ? 1 : 0;
}

long dp_py_unicode_lookup(const char *name, size_t n)
{
    if (n >= 16 && memcmp(name, "HANGUL SYLLABLE ", 16) == 0)
        return hangul_lookup(name + 16, n - 16);
    if (n >= 22 && memcmp(name, "CJK UNIFIED IDEOGRAPH-", 22) == 0)
        return cjk_lookup(name + 22, n - 22);
    char key[128], buf[128];
    if (n == 0 || n >= sizeof key) return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == 0 || c >= 0x80) return -1;
        key[i] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    key[n] = '\0';
    size_t nblocks = (dp_uni_name_count + DP_UNI_NAME_BLOCK - 1) / DP_UNI_NAME_BLOCK;
    size_t lo = 0, hi = nblocks;   /* the last block whose head is <= key */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_block_head(key, mid) >= 0) lo = mid;
        else hi = mid;
    }
    const unsigned char *p = (const unsigned char *)dp_uni_name_blocks[lo];
    for (size_t idx = 0; *p; idx++) {
        size_t len = *p++ & 0x7F;
        while (*p && *p < 0x80 && len < sizeof buf - 1) buf[len++] = (char)*p++;
        buf[len] = '\0';
        int c = strcmp(buf, key);
        if (c == 0) return (long)dp_uni_name_cps[lo * DP_UNI_NAME_BLOCK + idx];
        if (c > 0) break;
    }
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* str and bytes escapes                                                                      */

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The escape character after a backslash for the one-letter escapes, or -1. */
static int simple_escape(unsigned char c)
{
    switch (c) {
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return -1;
    }
}

/* \ooo: up to three octal digits from s[*i] (the first already known to be one). */
static uint32_t octal_escape(const char *s, size_t n, size_t *i)
{
    uint32_t v = (uint32_t)(s[(*i)++] - '0');
    for (int k = 0; k < 2 && *i < n && s[*i] >= '0' && s[*i] <= '7'; k++)
        v = v * 8 + (uint32_t)(s[(*i)++] - '0');
    return v;
}

/* \N{...} with s[*i] just after the N. Returns the code point, or -1 with *msg set and *i at
 * the offset CPython's decoder stops at. */
static long name_escape(const char *s, size_t n, size_t *i, const char **msg)
{
    *msg = "malformed \\N character escape";
    if (*i >= n || s[*i] != '{') return -1;
    size_t start = ++*i, j = start;
    while (j < n && s[j] != '}') j++;
    *i = j;
    if (j >= n || j == start) return -1;
    *i = j + 1;
    long cp = dp_py_unicode_lookup(s + start, j - start);
    if (cp < 0) *msg = "unknown Unicode character name";
    return cp;
}

int dp_py_unescape_str(struct dp_sbuf *out, const char *s, size_t n, size_t *bad_off,
                       const char **reason)
{
    size_t base = out->n, i = 0, bad;
    dp_sbuf_reserve(out, n);
    out->p[base] = '\0';   /* NUL-terminated even when nothing is appended */
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c != '\\') {
            size_t k = 1;
            if (c >= 0x80 && !(k = utf8_seq((const unsigned char *)s + i, n - i, &bad)))
                return utf8_error(out, base, s, n, i, bad_off, reason);
            while (i + k < n && s[i + k] != '\\' && !(s[i + k] & 0x80)) k++;
            dp_sbuf_put(out, s + i, k);
            i += k;
            continue;
        }
        size_t start = i++;
        if (i >= n) {                 /* CPython turns a final backslash into \u005c */
            dp_sbuf_putc(out, '\\');
            break;
        }
        c = (unsigned char)s[i];
        int e = simple_escape(c);
        if (e >= 0) {
            dp_sbuf_putc(out, (char)e);
            i++;
        } else if (c == '\n') {
            i++;
        } else if (c >= '0' && c <= '7') {
            put_cp(out, octal_escape(s, n, &i));
        } else if (c == 'x' || c == 'u' || c == 'U') {
            int count = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            const char *msg = c == 'x' ? "truncated \\xXX escape"
                            : c == 'u' ? "truncated \\uXXXX escape"
                                       : "truncated \\UXXXXXXXX escape";
            uint32_t v = 0;
            i++;
            for (; count > 0; count--, i++) {
                int h = i < n ? hexval((unsigned char)s[i]) : -1;
                if (h < 0) return escape_error(out, base, s, n, start, i, bad_off, reason, msg);
                v = v * 16 + (uint32_t)h;
            }
            if (v > 0x10FFFF)
                return escape_error(out, base, s, n, start, i, bad_off, reason,
                                    "illegal Unicode character");
            put_cp(out, v);
        } else if (c == 'N') {
            const char *msg;
            i++;
            long cp = name_escape(s, n, &i, &msg);
            if (cp < 0) return escape_error(out, base, s, n, start, i, bad_off, reason, msg);
            put_cp(out, (uint32_t)cp);
        } else {
            dp_sbuf_putc(out, '\\');  /* unknown escape: kept; the character is copied next */
        }
    }
    return 0;
}

int dp_py_unescape_bytes(struct dp_sbuf *out, const char *s, size_t n, size_t *bad_off,
                         const char **reason)
{
    size_t base = out->n, i = 0;
    for (size_t k = 0; k < n; k++) {
        if ((unsigned char)s[k] >= 0x80) {
            *bad_off = k;
            *reason = "bytes can only contain ASCII literal characters";
            return -1;
        }
    }
    dp_sbuf_reserve(out, n);
    out->p[base] = '\0';
    while (i < n) {
        char c = s[i];
        if (c != '\\') {
            size_t k = i;
            while (k < n && s[k] != '\\') k++;
            dp_sbuf_put(out, s + i, k - i);
            i = k;
            continue;
        }
        size_t start = i++;
        if (i >= n) {
            *bad_off = start;
            *reason = "(value error) Trailing \\ in string";
            out->n = base;
            out->p[base] = '\0';
            return -1;
        }
        c = s[i];
        int e = simple_escape((unsigned char)c);
        if (e >= 0) {
            dp_sbuf_putc(out, (char)e);
            i++;
        } else if (c == '\n') {
            i++;
        } else if (c >= '0' && c <= '7') {
            dp_sbuf_putc(out, (char)(unsigned char)(octal_escape(s, n, &i) & 0xFF));
        } else if (c == 'x') {
            int d1 = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int d2 = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (d1 < 0 || d2 < 0) {
                *bad_off = start;
                return report(out, base, reason,
                              "(value error) invalid \\x escape at position %zu", start);
            }
            dp_sbuf_putc(out, (char)(d1 * 16 + d2));
            i += 3;
        } else {
            dp_sbuf_putc(out, '\\');  /* unknown escape (\u, \N, \d ...): kept as is */
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Numbers                                                                                    */

#define MAX_STR_DIGITS 4300   /* sys.get_int_max_str_digits() default in 3.11 */

/* Checks the digits of a 0x/0o/0b literal after the prefix, as the 3.11 tokenizer does:
 * (["_"] digit)+ and nothing after. Returns NULL or the tokenizer's message. */
static const char *check_radix(struct dp_arena *a, const char *s, size_t n, int base,
                               const char *what)
{
    size_t i = 0;
    char *msg;
    do {
        if (i < n && s[i] == '_') i++;
        int d = i < n ? hexval((unsigned char)s[i]) : -1;
        if (d < 0 || d >= base) goto bad;
        while (i < n && (d = hexval((unsigned char)s[i])) >= 0 && d < base) i++;
    } while (i < n && s[i] == '_');
    if (i == n) return NULL;
bad:
    if (base != 16 && i < n && s[i] >= '0' && s[i] <= '9') {
        msg = dp_arena_alloc(a, 48);
        snprintf(msg, 48, "invalid digit '%c' in %s literal", s[i], what);
        return msg;
    }
    msg = dp_arena_alloc(a, 48);
    snprintf(msg, 48, "invalid %s literal", what);
    return msg;
}

/* digitpart: digit (["_"] digit)*. Returns the end offset, or (size_t)-1 for a "_" that is not
 * followed by a digit. */
static size_t digitpart(const char *s, size_t n, size_t i)
{
    while (i < n) {
        if (s[i] >= '0' && s[i] <= '9') i++;
        else if (s[i] == '_' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') i++;
        else if (s[i] == '_') return (size_t)-1;
        else break;
    }
    return i;
}

/* Checks a decimal int / float / imaginary token. *kind gets INT, FLOAT or COMPLEX. */
static const char *check_decimal(const char *s, size_t n, enum dp_py_const_kind *kind)
{
    static const char *const bad = "invalid decimal literal";
    size_t i = 0;
    bool digits = false, zeros_only = true;
    *kind = DP_PY_CONST_INT;
    if (i < n && s[i] >= '0' && s[i] <= '9') {
        size_t j = digitpart(s, n, i);
        if (j == (size_t)-1) return bad;
        for (size_t k = i; k < j; k++) if (s[k] != '0' && s[k] != '_') zeros_only = false;
        digits = true;
        i = j;
    }
    if (i < n && s[i] == '.') {
        *kind = DP_PY_CONST_FLOAT;
        i++;
        if (i < n && s[i] >= '0' && s[i] <= '9') {
            size_t j = digitpart(s, n, i);
            if (j == (size_t)-1) return bad;
            i = j;
            digits = true;
        }
    }
    if (!digits) return bad;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        *kind = DP_PY_CONST_FLOAT;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= n || s[i] < '0' || s[i] > '9') return bad;
        size_t j = digitpart(s, n, i);
        if (j == (size_t)-1) return bad;
        i = j;
    }
    if (i < n && (s[i] == 'j' || s[i] == 'J')) {
        *kind = DP_PY_CONST_COMPLEX;
        if (++i != n) return "invalid imaginary literal";
    }
    if (i != n) return bad;
    if (*kind == DP_PY_CONST_INT && s[0] == '0' && !zeros_only)
        return "leading zeros in decimal integer literals are not permitted; "
               "use an 0o prefix for octal integers";
    return NULL;
}

/* Decimal digits of the value of digits[0..n) (no underscores) in base 2, 8 or 16, via base 1e9
 * limbs, several input digits per pass. Returned string is arena-owned. */
static char *radix_to_decimal(struct dp_arena *a, const char *d, size_t n, int bits)
{
    int per = bits == 4 ? 7 : bits == 3 ? 9 : 28;   /* input digits per pass: mul <= 2^28 */
    size_t cap = n * (size_t)bits / 29 + 2, used = 0;
    uint32_t *limb = dp_xcalloc(cap, sizeof *limb);
    size_t i = 0;
    while (i < n) {
        size_t take = i == 0 && n % (size_t)per ? n % (size_t)per : (size_t)per;
        uint64_t mul = (uint64_t)1 << (bits * (int)take), carry = 0;
        for (size_t k = 0; k < take; k++)
            carry = (carry << bits) | (uint64_t)hexval((unsigned char)d[i + k]);
        i += take;
        for (size_t k = 0; k < used; k++) {
            uint64_t t = (uint64_t)limb[k] * mul + carry;
            limb[k] = (uint32_t)(t % 1000000000u);
            carry = t / 1000000000u;
        }
        while (carry) {
            assert(used < cap);
            limb[used++] = (uint32_t)(carry % 1000000000u);
            carry /= 1000000000u;
        }
    }
    char *s = dp_arena_alloc(a, used * 9 + 2);
    if (used == 0) {
        s[0] = '0';
    } else {
        size_t len = (size_t)sprintf(s, "%u", limb[used - 1]);
        for (size_t k = used - 1; k-- > 0;) len += (size_t)sprintf(s + len, "%09u", limb[k]);
    }
    free(limb);
    return s;
}

/* s[0..n) without underscores, NUL-terminated; malloc'd, the caller frees. */
static char *strip_underscores(const char *s, size_t n, size_t *len)
{
    char *d = dp_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_') d[k++] = s[i];
    d[k] = '\0';
    *len = k;
    return d;
}

static void set_int_value(struct dp_py_const *c)
{
    static const char int64_max[] = "9223372036854775807";
    c->n = strlen(c->s);
    c->i_fits = c->n < 19 || (c->n == 19 && strcmp(c->s, int64_max) <= 0);
    c->i = 0;
    if (c->i_fits)
        for (size_t k = 0; k < c->n; k++) c->i = c->i * 10 + (c->s[k] - '0');
}

static int parse_radix(struct dp_arena *a, const char *s, size_t n, struct dp_py_const *c,
                       const char **reason)
{
    char p = (char)(s[1] | 0x20);
    int base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
    const char *what = p == 'x' ? "hexadecimal" : p == 'o' ? "octal" : "binary";
    const char *msg = check_radix(a, s + 2, n - 2, base, what);
    if (msg) {
        *reason = msg;
        return -1;
    }
    size_t len, z = 0;
    char *d = strip_underscores(s + 2, n - 2, &len);
    while (z < len && d[z] == '0') z++;
    c->kind = DP_PY_CONST_INT;
    c->s = radix_to_decimal(a, d + z, len - z, base == 16 ? 4 : base == 8 ? 3 : 1);
    free(d);
    set_int_value(c);
    return 0;
}

/* An int that fits 64 bits, written without underscores: plain decimal digits without leading
 * zeros, or 0x/0o/0b digits. Sets c as the general path would and returns true; false when the
 * token is anything else (the general path then decides). */
static bool small_int(struct dp_arena *a, const char *s, size_t n, struct dp_py_const *c)
{
    uint64_t v = 0;
    char radix = n >= 3 && s[0] == '0' ? (char)(s[1] | 0x20) : 0;
    int bits = radix == 'x' ? 4 : radix == 'o' ? 3 : radix == 'b' ? 1 : 0;
    if (bits) {
        for (size_t i = 2; i < n; i++) {
            int d = hexval((unsigned char)s[i]);
            if (d < 0 || d >= 1 << bits || v > UINT64_MAX >> bits) return false;
            v = v << bits | (uint64_t)d;
        }
    } else {
        if (n > 18 || (s[0] == '0' && n > 1)) return false;
        for (size_t i = 0; i < n; i++) {
            if (s[i] < '0' || s[i] > '9') return false;
            v = v * 10 + (uint64_t)(s[i] - '0');
        }
    }
    char buf[24];
    size_t k = sizeof buf;
    do buf[--k] = (char)('0' + v % 10); while ((v /= 10) != 0);
    c->kind = DP_PY_CONST_INT;
    c->s = dp_arena_strndup(a, buf + k, sizeof buf - k);
    c->n = sizeof buf - k;
    c->i_fits = c->n < 19 || (c->n == 19 && strcmp(c->s, "9223372036854775807") <= 0);
    if (c->i_fits)
        for (size_t i = 0; i < c->n; i++) c->i = c->i * 10 + (c->s[i] - '0');
    return true;
}

int dp_py_number_parse(struct dp_arena *a, const char *s, size_t n, struct dp_py_const *c,
                       const char **reason)
{
    memset(c, 0, sizeof *c);
    if (n > 0 && small_int(a, s, n, c)) return 0;
    if (n >= 2 && s[0] == '0' && s[1] && strchr("xXoObB", s[1]))
        return parse_radix(a, s, n, c, reason);
    enum dp_py_const_kind kind;
    const char *msg = check_decimal(s, n, &kind);
    if (msg) {
        *reason = msg;
        return -1;
    }
    size_t len;
    char *d = strip_underscores(s, n, &len);
    c->kind = kind;
    if (kind == DP_PY_CONST_INT) {
        size_t z = 0;
        while (z + 1 < len && d[z] == '0') z++;
        if (d[0] != '0' && len > MAX_STR_DIGITS) {
            char *m = dp_arena_alloc(a, 256);
            snprintf(m, 256, "Exceeds the limit (%d digits) for integer string conversion: "
                     "value has %zu digits; use sys.set_int_max_str_digits() to increase the "
                     "limit - Consider hexadecimal for huge integer literals to avoid decimal "
                     "conversion limits.", MAX_STR_DIGITS, len);
            free(d);
            *reason = m;
            return -1;
        }
        c->s = dp_arena_strndup(a, d + z, len - z);
        set_int_value(c);
    } else {
        if (kind == DP_PY_CONST_COMPLEX) d[len - 1] = '\0';
        c->f = strtod(d, NULL);   /* correctly rounded; overflow gives inf like CPython */
    }
    free(d);
    return 0;
}
