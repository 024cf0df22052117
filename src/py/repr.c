/* Python's repr() of constants, byte for byte as CPython 3.11 prints them in ast.dump:
 * str (Objects/unicodeobject.c unicode_repr), bytes (PyBytes_Repr), float and complex
 * (Python/pystrtod.c format_float_short in 'r' mode). Floats use the shortest digit string
 * that reads back to the same double, found with printf/strtod instead of David Gay's dtoa. */
#include "py/repr.h"
#include "py/unicode_tables.h"
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool dp_py_isprintable(uint32_t cp)
{
    size_t lo = 0, hi = dp_uni_nonprint_count;
    if (cp > 0x10FFFF) return false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < dp_uni_nonprint[mid][0]) hi = mid;
        else if (cp > dp_uni_nonprint[mid][1]) lo = mid + 1;
        else return false;
    }
    return true;
}

/* Decodes one code point from UTF-8 that may hold lone surrogates as 3-byte sequences.
 * A byte that starts no valid sequence decodes as U+DC80..U+DCFF (like surrogateescape), so
 * it still shows up in the repr as \udcXX. Returns the bytes consumed. */
static size_t decode_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t k = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    uint32_t v = k == 1 ? c : k == 2 ? c & 0x1Fu : k == 3 ? c & 0x0Fu : c & 0x07u;
    if (k == 0 || k > n) goto bad;
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80) goto bad;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if ((k == 3 && v < 0x800) || (k == 4 && (v < 0x10000 || v > 0x10FFFF))) goto bad;
    *cp = v;
    return k;
bad:
    *cp = 0xDC00u + c;
    return 1;
}

/* CPython's quote choice for str and bytes: ' unless the text has ' and no ". */
static char pick_quote(const char *s, size_t n)
{
    bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    return sq && !dq ? '"' : '\'';
}

void dp_py_repr_str(struct dp_sbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char quote = pick_quote(s, n);
    dp_sbuf_reserve(out, n + 2);
    dp_sbuf_putc(out, quote);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = decode_cp((const unsigned char *)s + i, n - i, &cp);
        if (cp == (uint32_t)quote || cp == '\\') {
            dp_sbuf_putc(out, '\\');
            dp_sbuf_putc(out, (char)cp);
        } else if (cp == '\t') {
            dp_sbuf_puts(out, "\\t");
        } else if (cp == '\n') {
            dp_sbuf_puts(out, "\\n");
        } else if (cp == '\r') {
            dp_sbuf_puts(out, "\\r");
        } else if (cp < ' ' || cp == 0x7F) {
            char e[4] = {'\\', 'x', hex[cp >> 4], hex[cp & 15]};
            dp_sbuf_put(out, e, 4);
        } else if (cp < 0x7F || dp_py_isprintable(cp)) {
            dp_sbuf_put(out, s + i, k);
        } else if (cp <= 0xFF) {
            dp_sbuf_printf(out, "\\x%02" PRIx32, cp);
        } else if (cp <= 0xFFFF) {
            dp_sbuf_printf(out, "\\u%04" PRIx32, cp);
        } else {
            dp_sbuf_printf(out, "\\U%08" PRIx32, cp);
        }
        i += k;
    }
    dp_sbuf_putc(out, quote);
}

void dp_py_repr_bytes(struct dp_sbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    char quote = pick_quote(s, n);
    dp_sbuf_reserve(out, n + 3);
    dp_sbuf_putc(out, 'b');
    dp_sbuf_putc(out, quote);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == (unsigned char)quote || c == '\\') {
            dp_sbuf_putc(out, '\\');
            dp_sbuf_putc(out, (char)c);
        } else if (c == '\t') {
            dp_sbuf_puts(out, "\\t");
        } else if (c == '\n') {
            dp_sbuf_puts(out, "\\n");
        } else if (c == '\r') {
            dp_sbuf_puts(out, "\\r");
        } else if (c < ' ' || c >= 0x7F) {
            char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            dp_sbuf_put(out, e, 4);
        } else {
            dp_sbuf_putc(out, (char)c);
        }
    }
    dp_sbuf_putc(out, quote);
}

/* Reads "d.ddde[+-]XX" (as printed by %.*e) into digits without trailing zeros and the dtoa
 * decimal point position: v = 0.DIGITS * 10^decpt. */
static void split_e(const char *buf, char *digits, int *decpt)
{
    size_t nd = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = '\0';
    *decpt = atoi(p + 1) + 1;
}

/* The next p-digit decimal above digits[0..p) * 10^exp, printed back in %e form. */
static void bump_up(const char *buf, char *next, size_t size)
{
    char d[24];
    int decpt;
    size_t nd = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') d[nd++] = *p;
    decpt = atoi(p + 1) + 1;
    size_t k = nd;
    while (k > 0 && d[k - 1] == '9') d[--k] = '0';
    if (k == 0) {               /* 9.99 -> 10.0: one more power of ten */
        d[0] = '1';
        decpt++;
    } else {
        d[k - 1]++;
    }
    d[nd] = '\0';
    snprintf(next, size, "%c.%se%d", d[0], nd > 1 ? d + 1 : "0", decpt - 1);
}

/* Shortest digits that round-trip (v finite and > 0), as dtoa mode 0 gives them: the nearest
 * p-digit decimal for the smallest p that works. At a power of two the interval of values
 * reading back to v is twice as wide above v as below, so the next p-digit decimal up may
 * round-trip while the nearest (below) does not; that one is tried too. */
static void shortest_digits(double v, char *digits, int *decpt)
{
    char buf[48], up[48];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, v);
        if (strtod(buf, NULL) == v) {
            split_e(buf, digits, decpt);
            return;
        }
        bump_up(buf, up, sizeof up);
        if (strtod(up, NULL) == v) {
            split_e(up, digits, decpt);
            return;
        }
    }
    snprintf(buf, sizeof buf, "%.16e", v);
    split_e(buf, digits, decpt);
}

/* format_float_short for 'r': exponent form when decpt <= -4 or decpt > 16; add_dot_0 is
 * float's Py_DTSF_ADD_DOT_0 (complex omits it: '2j' not '2.0j'). */
static void format_repr(struct dp_sbuf *out, double v, bool add_dot_0)
{
    if (isnan(v)) {
        dp_sbuf_puts(out, "nan");
        return;
    }
    if (signbit(v)) dp_sbuf_putc(out, '-');
    v = fabs(v);
    if (isinf(v)) {
        dp_sbuf_puts(out, "inf");
        return;
    }
    char digits[24];
    int decpt;
    if (v == 0) {
        strcpy(digits, "0");
        decpt = 1;
    } else {
        shortest_digits(v, digits, &decpt);
    }
    int nd = (int)strlen(digits);
    if (decpt <= -4 || decpt > 16) {
        dp_sbuf_putc(out, digits[0]);
        if (nd > 1) {
            dp_sbuf_putc(out, '.');
            dp_sbuf_puts(out, digits + 1);
        }
        int e = decpt - 1;
        dp_sbuf_printf(out, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (decpt <= 0) {
        dp_sbuf_puts(out, "0.");
        for (int k = 0; k < -decpt; k++) dp_sbuf_putc(out, '0');
        dp_sbuf_puts(out, digits);
    } else if (decpt < nd) {
        dp_sbuf_put(out, digits, (size_t)decpt);
        dp_sbuf_putc(out, '.');
        dp_sbuf_puts(out, digits + decpt);
    } else {
        dp_sbuf_puts(out, digits);
        for (int k = nd; k < decpt; k++) dp_sbuf_putc(out, '0');
        if (add_dot_0) dp_sbuf_puts(out, ".0");
    }
}

void dp_py_repr_float(struct dp_sbuf *out, double v) { format_repr(out, v, true); }

void dp_py_repr_imag(struct dp_sbuf *out, double imag)
{
    format_repr(out, imag, false);
    dp_sbuf_putc(out, 'j');
}

void dp_py_repr_const(struct dp_sbuf *out, const struct dp_py_const *c)
{
    switch (c->kind) {
    case DP_PY_CONST_NONE: dp_sbuf_puts(out, "None"); break;
    case DP_PY_CONST_TRUE: dp_sbuf_puts(out, "True"); break;
    case DP_PY_CONST_FALSE: dp_sbuf_puts(out, "False"); break;
    case DP_PY_CONST_ELLIPSIS: dp_sbuf_puts(out, "Ellipsis"); break;
    case DP_PY_CONST_INT:
        if (c->s) dp_sbuf_put(out, c->s, c->n ? c->n : strlen(c->s));
        else dp_sbuf_printf(out, "%" PRId64, c->i);
        break;
    case DP_PY_CONST_FLOAT: dp_py_repr_float(out, c->f); break;
    case DP_PY_CONST_COMPLEX: dp_py_repr_imag(out, c->f); break;
    case DP_PY_CONST_STR: dp_py_repr_str(out, c->s ? c->s : "", c->s ? c->n : 0); break;
    case DP_PY_CONST_BYTES: dp_py_repr_bytes(out, c->s ? c->s : "", c->s ? c->n : 0); break;
    }
}
