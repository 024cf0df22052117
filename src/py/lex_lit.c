/* Tokenizer, literals (see lex_int.h): the extent of string literals (triple quotes, escapes,
 * PEP 701 f-strings whose fields may hold any string) with CPython's "unterminated" errors, and
 * of numbers with its "invalid ... literal" errors. Values are computed later (py/literal.c). */
#include "py/lex_int.h"
#include "py/source.h"
#include <stdio.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---------------------------------------------------------------- strings */

/* The first i' in [i, n) where s[i'] is a, b, c or d; n when there is none. String bodies are
 * most of the text of real code (docstrings), so 16 bytes are looked at a time. */
static size_t find_any4(const unsigned char *s, size_t i, size_t n, unsigned char a,
                        unsigned char b, unsigned char c, unsigned char d)
{
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
#endif
    while (i < n && s[i] != a && s[i] != b && s[i] != c && s[i] != d) i++;
    return i;
}

static int scan_string(struct lx *x, size_t qpos, int flags);

/* Inside an f-string replacement field, starting after '{'; stops after the matching '}'. */
static int scan_fexpr(struct lx *x, char q, bool triple, int nest)
{
    int depth = 0;
    if (nest > LX_MAX_PAREN) return lx_error_at(x, x->pos, "SyntaxError", "%s", "f-string: expressions nested too deeply");
    for (;;) {
        if (x->pos >= x->n) return -1;
        unsigned char c = (unsigned char)x->s[x->pos];
        if (c == '#') {   /* PEP 701: a comment runs to the end of the line */
            while (x->pos < x->n && x->s[x->pos] != '\n') x->pos++;
            continue;
        }
        if (c == '\'' || c == '"') {   /* PEP 701: any string, even with the same quotes */
            if (scan_string(x, x->pos, 0)) return x->failed ? DP_ESYNTAX : -1;
            continue;
        }
        if (lx_is_id_start(c)) {
            size_t st = x->pos;
            while (x->pos < x->n && lx_is_id_char((unsigned char)x->s[x->pos])) x->pos++;
            size_t len = x->pos - st;
            if (len <= 3 && x->pos < x->n && (x->s[x->pos] == '\'' || x->s[x->pos] == '"')) {
                int fl = 0;
                bool ok = true;
                for (size_t i = st; i < x->pos; i++) {
                    char ch = (char)(x->s[i] | 0x20);
                    int b = ch == 'r' ? DP_PY_STR_RAW : ch == 'b' ? DP_PY_STR_BYTES : ch == 'f' ? DP_PY_STR_F : ch == 'u' ? DP_PY_STR_U : 0;
                    if (!b || (fl & b)) ok = false;
                    fl |= b;
                }
                if (ok) {
                    if (scan_string(x, x->pos, fl)) return x->failed ? DP_ESYNTAX : -1;
                }
            }
            continue;
        }
        if (c == '(' || c == '[' || c == '{') depth++;
        else if ((c == ')' || c == ']') && depth > 0) depth--;
        else if (c == '}') {
            if (depth == 0) { x->pos++; return 0; }
            depth--;
        } else if (c == '!' && depth == 0 && x->pos + 1 < x->n && x->s[x->pos + 1] != '=') {
            x->pos++;
            continue;
        } else if (c == ':' && depth == 0) {
            x->pos++;
            /* format spec: literal text with nested fields, up to the closing '}' */
            for (;;) {
                if (x->pos >= x->n) return -1;
                char d = x->s[x->pos];
                if (d == '\n' && !triple) return -1;
                if (d == q && !triple) return -1;
                if (triple && d == q && x->pos + 2 < x->n && x->s[x->pos + 1] == q && x->s[x->pos + 2] == q)
                    return -1;
                if (d == '{') {
                    x->pos++;
                    int r = scan_fexpr(x, q, triple, nest + 1);
                    if (r) return r;
                    continue;
                }
                if (d == '}') { x->pos++; return 0; }
                if (d == '\\' && x->pos + 1 < x->n) x->pos++;
                x->pos++;
            }
        } else if (c == '\\' && x->pos + 1 < x->n) {
            x->pos++;
        }
        x->pos++;
    }
}

/* Scans a string literal whose opening quote is at qpos; leaves x->pos after the closing quote.
 * Returns 0, or -1 when unterminated (the caller reports it) or DP_ESYNTAX. */
static int scan_string(struct lx *x, size_t qpos, int flags)
{
    const unsigned char *s = (const unsigned char *)x->s;
    unsigned char q = s[qpos];
    bool triple = qpos + 2 < x->n && s[qpos + 1] == q && s[qpos + 2] == q;
    /* the bytes that matter: the quote, a backslash, a newline that ends a one-line string, and
     * a brace that opens a field of a 3.12 f-string; any other byte is text */
    unsigned char nl = triple ? q : '\n';
    unsigned char brace = (flags & DP_PY_STR_F) && x->version >= 312 ? '{' : q;
    x->pos = qpos + (triple ? 3 : 1);
    for (;;) {
        x->pos = find_any4(s, x->pos, x->n, q, '\\', nl, brace);
        if (x->pos >= x->n) return -1;
        unsigned char c = s[x->pos];
        if (c == q) {
            if (!triple) { x->pos++; return 0; }
            if (x->pos + 2 < x->n && s[x->pos + 1] == q && s[x->pos + 2] == q) {
                x->pos += 3;
                return 0;
            }
        } else if (c == '\n') {
            return -1;
        } else if (c == '\\') {
            if (x->pos + 1 >= x->n) return -1;
            /* in an f-string a backslash does not hide a brace */
            if ((flags & DP_PY_STR_F) && (s[x->pos + 1] == '{' || s[x->pos + 1] == '}')) {
                x->pos++;
                continue;
            }
            x->pos++;
            /* \N{NAME} in a non-raw f-string is an escape, not a replacement field */
            if ((flags & DP_PY_STR_F) && !(flags & DP_PY_STR_RAW) && s[x->pos] == 'N' &&
                x->pos + 1 < x->n && s[x->pos + 1] == '{') {
                while (x->pos < x->n && s[x->pos] != '}' && s[x->pos] != q && s[x->pos] != '\n') x->pos++;
                if (x->pos < x->n && s[x->pos] == '}') x->pos++;
                continue;
            }
        } else {   /* '{' of a 3.12 f-string */
            if (x->pos + 1 < x->n && s[x->pos + 1] == '{') {
                x->pos += 2;
                continue;
            }
            x->pos++;
            int r = scan_fexpr(x, (char)q, triple, 0);
            if (r) return r;
            continue;
        }
        x->pos++;
    }
}

int lx_string(struct lx *x, size_t start, size_t qpos, int flags, int *outflags)
{
    char q = x->s[qpos];
    bool triple = qpos + 2 < x->n && x->s[qpos + 1] == q && x->s[qpos + 2] == q;
    int r = scan_string(x, qpos, flags);
    if (r == DP_ESYNTAX || x->failed) return DP_ESYNTAX;
    if (r) {
        int det = lx_line_of(x, x->pos >= x->n ? x->n - 1 : x->pos);
        char buf[64];
        snprintf(buf, sizeof buf, "%d", det);
        return lx_error_at(x, start, "SyntaxError", triple
            ? "unterminated triple-quoted string literal (detected at line %s)"
            : "unterminated string literal (detected at line %s)", buf);
    }
    *outflags = flags | (triple ? DP_PY_STR_TRIPLE : 0);
    if (x->utf8_ok) return 0;
    /* the text between the quotes must be UTF-8: CPython 3.11 reports a bad byte just past
     * the token, 3.12 at its start; the position counts from the opening quote */
    size_t body = qpos + (triple ? 3 : 1), bend = x->pos - (triple ? 3 : 1), at, len;
    const char *why;
    const unsigned char *u = (const unsigned char *)x->s + body;
    if (bend > body && dp_py_utf8_problem(u, bend - body, &at, &len, &why)) {
        int line = lx_line_of(x, start), end_line = lx_line_of(x, x->pos - 1);
        if (x->version >= 312) return lx_utf8_error(x, line, (int)(start - x->ls[line]) + 1, u, at, len, why);
        return lx_utf8_error(x, end_line, (int)(x->pos - x->ls[end_line]) + 1, u, at, len, why);
    }
    return 0;
}

/* ---------------------------------------------------------------- numbers */

static bool digit_in(char c, int base)
{
    if (base == 16) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    if (base == 8) return c >= '0' && c <= '7';
    if (base == 2) return c == '0' || c == '1';
    return c >= '0' && c <= '9';
}

/* digits with single underscores between them; returns false on a misplaced underscore */
static bool scan_digits(struct lx *x, int base)
{
    while (x->pos < x->n) {
        char c = x->s[x->pos];
        if (digit_in(c, base)) { x->pos++; continue; }
        if (c == '_') {
            if (x->pos + 1 < x->n && digit_in(x->s[x->pos + 1], base)) { x->pos += 2; continue; }
            x->pos++;
            return false;
        }
        break;
    }
    return true;
}

/* CPython 3.11 allows a number directly followed by some keywords (with a warning). */
static int verify_end(struct lx *x, size_t start, const char *kind)
{
    if (x->pos >= x->n || !lx_is_id_start((unsigned char)x->s[x->pos])) return 0;
    static const char *const ok[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t k = strlen(ok[i]);
        if (x->pos + k <= x->n && memcmp(x->s + x->pos, ok[i], k) == 0 &&
            (x->pos + k >= x->n || !lx_is_id_char((unsigned char)x->s[x->pos + k])))
            return 0;
    }
    return lx_error_at(x, start, "SyntaxError", "invalid %s literal", kind);
}

static int radix_number(struct lx *x, size_t start)
{
    const char *s = x->s;
    char k = (char)(s[x->pos + 1] | 0x20);
    int base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
    const char *name = k == 'x' ? "hexadecimal" : k == 'o' ? "octal" : "binary";
    x->pos += 2;
    if (x->pos < x->n && s[x->pos] == '_') x->pos++;
    if (x->pos >= x->n || !digit_in(s[x->pos], base)) {
        if (x->pos < x->n && base != 16 && s[x->pos] >= '0' && s[x->pos] <= '9') {
            char d[2] = {s[x->pos], 0};
            return lx_error_at(x, x->pos, "SyntaxError",
                               base == 8 ? "invalid digit '%s' in octal literal" : "invalid digit '%s' in binary literal", d);
        }
        return lx_error_at(x, start + 1, "SyntaxError", "invalid %s literal", name);
    }
    if (!scan_digits(x, base)) return lx_error_at(x, start + 1, "SyntaxError", "invalid %s literal", name);
    if (x->pos < x->n && base != 16 && s[x->pos] >= '0' && s[x->pos] <= '9') {
        char d[2] = {s[x->pos], 0};
        return lx_error_at(x, x->pos, "SyntaxError",
                           base == 8 ? "invalid digit '%s' in octal literal" : "invalid digit '%s' in binary literal", d);
    }
    return verify_end(x, start + 1, name) ? DP_ESYNTAX : 0;
}

int lx_number(struct lx *x)
{
    size_t start = x->pos;
    const char *s = x->s;
    if (s[x->pos] == '0' && x->pos + 1 < x->n && s[x->pos + 1] && strchr("xXoObB", s[x->pos + 1]))
        return radix_number(x, start);
    bool isfloat = false;
    if (s[x->pos] != '.') {
        if (!scan_digits(x, 10)) return lx_error_at(x, x->pos - 1, "SyntaxError", "%s", "invalid decimal literal");
    }
    if (x->pos < x->n && s[x->pos] == '.') {
        isfloat = true;
        x->pos++;
        if (x->pos < x->n && s[x->pos] >= '0' && s[x->pos] <= '9')
            if (!scan_digits(x, 10)) return lx_error_at(x, x->pos - 1, "SyntaxError", "%s", "invalid decimal literal");
    }
    if (x->pos < x->n && (s[x->pos] | 0x20) == 'e') {
        size_t save = x->pos;
        x->pos++;
        if (x->pos < x->n && (s[x->pos] == '+' || s[x->pos] == '-')) x->pos++;
        if (x->pos >= x->n || !(s[x->pos] >= '0' && s[x->pos] <= '9')) {
            x->pos = save;
            return lx_error_at(x, start, "SyntaxError", "%s", "invalid decimal literal");
        }
        if (!scan_digits(x, 10)) return lx_error_at(x, x->pos - 1, "SyntaxError", "%s", "invalid decimal literal");
        isfloat = true;
    }
    bool imag = false;
    if (x->pos < x->n && (s[x->pos] | 0x20) == 'j') { x->pos++; imag = true; }
    if (!isfloat && !imag && s[start] == '0') {
        for (size_t i = start; i < x->pos; i++)
            if (s[i] != '0' && s[i] != '_')
                return lx_error_at(x, start, "SyntaxError", "%s",
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
    }
    return verify_end(x, start, imag ? "imaginary" : "decimal") ? DP_ESYNTAX : 0;
}
