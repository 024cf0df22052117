/* JSON (RFC 8259) reader into an arena DOM, and a streaming writer that formats like Python's
 * json.dumps. The reader is strict (no comments, trailing commas, NaN, leading zeros, raw
 * control characters or invalid UTF-8) except that lone \uD800-style escapes decode to 3-byte
 * generalized UTF-8 as Python keeps them. Columns count code points, as Python's json does.
 * Numbers go through strtod/snprintf, so the C locale's LC_NUMERIC must stay "C". */
#include "base/json.h"
#include "base/file.h"
#include "base/utf8.h"
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 1000

/* ================================================================ reader */

struct jmember {
    const char *key;   /* NULL inside arrays */
    size_t keylen;
    struct dp_json *v;
};

struct jparser {
    const unsigned char *s;
    size_t n, pos;
    const char *path;
    struct dp_arena *a;
    struct dp_error *e;
    int line;              /* line of pos */
    size_t line_start;     /* offset where that line begins */
    size_t cpos;           /* column cache: offset cpos on this line is column ccol */
    int ccol;
    struct jmember *stk;   /* members of all open containers, innermost last; malloc'd */
    size_t nstk, capstk;
};

/* Line and column (code points, 1-based) of offset off. Offsets on the current line use the
 * cache, which only moves forward, so locating every value costs O(n) in all. */
static void jp_where(struct jparser *p, size_t off, int *line, int *col)
{
    if (off >= p->line_start) {
        if (off < p->cpos) p->cpos = p->line_start, p->ccol = 1;
        size_t c = (size_t)p->ccol + dp_utf8_count(p->s + p->cpos, off - p->cpos);
        p->ccol = c > INT_MAX ? INT_MAX : (int)c;
        p->cpos = off;
        *line = p->line;
        *col = p->ccol;
        return;
    }
    int l = 1;   /* an earlier line: only on error paths, so a plain rescan is fine */
    size_t ls = 0;
    for (size_t i = 0; i < off; i++)
        if (p->s[i] == '\n') l++, ls = i + 1;
    size_t c = 1 + dp_utf8_count(p->s + ls, off - ls);
    *line = l;
    *col = c > INT_MAX ? INT_MAX : (int)c;
}

static int jp_fail(struct jparser *p, size_t off, const char *msg)
{
    int line, col;
    jp_where(p, off, &line, &col);
    return dp_error_set(p->e, DP_EFORMAT, p->path, line, col, "%s", msg);
}

static void jp_skip_ws(struct jparser *p)
{
    while (p->pos < p->n) {
        unsigned char c = p->s[p->pos];
        if (c == '\n') {
            if (p->line < INT_MAX) p->line++;
            p->line_start = p->cpos = p->pos + 1;
            p->ccol = 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        p->pos++;
    }
}

static struct dp_json *jp_new(struct jparser *p, enum dp_json_type t, size_t off)
{
    struct dp_json *v = dp_arena_alloc(p->a, sizeof *v);
    v->type = t;
    jp_where(p, off, &v->line, &v->col);
    return v;
}

static void jp_push(struct jparser *p, const char *key, size_t keylen, struct dp_json *v)
{
    if (p->nstk == p->capstk) {
        p->capstk = p->capstk ? p->capstk * 2 : 64;
        p->stk = dp_xrealloc(p->stk, p->capstk * sizeof *p->stk);
    }
    p->stk[p->nstk++] = (struct jmember){key, keylen, v};
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[i..i+4) below end, or -1. */
static long hex4(const unsigned char *s, size_t i, size_t end)
{
    if (end - i < 4) return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(s[i + k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

/* escape = '\' ( '"' | '\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u' 4HEXDIG )
 * Decodes the escape at s[*i] (the backslash) into out; returns bytes written or -1. */
static int jp_escape(struct jparser *p, size_t *i, size_t end, char *out)
{
    const unsigned char *s = p->s;
    size_t b = *i;
    switch (s[b + 1]) {
    case '"': *out = '"'; break;
    case '\\': *out = '\\'; break;
    case '/': *out = '/'; break;
    case 'b': *out = '\b'; break;
    case 'f': *out = '\f'; break;
    case 'n': *out = '\n'; break;
    case 'r': *out = '\r'; break;
    case 't': *out = '\t'; break;
    case 'u': {
        long cp = hex4(s, b + 2, end);
        if (cp < 0) return jp_fail(p, b, "invalid \\u escape: expected 4 hex digits"), -1;
        *i = b + 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && end - *i >= 6 && s[*i] == '\\' && s[*i + 1] == 'u') {
            long lo = hex4(s, *i + 2, end);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                *i += 6;
            }
        }
        /* a lone surrogate becomes a 3-byte generalized UTF-8 sequence */
        return (int)dp_utf8_encode((uint32_t)cp, out);
    }
    default: {
        char msg[64];
        unsigned char c = s[b + 1];
        if (c >= 0x20 && c < 0x7f) snprintf(msg, sizeof msg, "invalid escape '\\%c'", c);
        else snprintf(msg, sizeof msg, "invalid escape: '\\' followed by byte 0x%02x", c);
        jp_fail(p, b, msg);
        return -1;
    }
    }
    *i = b + 2;
    return 1;
}

/* string = '"' *char '"'; at p->pos (the quote). Decodes into the arena; *out is
 * NUL-terminated, *len its byte length. */
static int jp_string(struct jparser *p, const char **out, size_t *len)
{
    const unsigned char *s = p->s;
    size_t start = p->pos, end = start + 1;
    /* first pass: find the closing quote, the first control character, or the end */
    while (end < p->n && s[end] != '"' && s[end] >= 0x20) end += s[end] == '\\' ? 2 : 1;
    if (end > p->n) end = p->n;
    char *buf = dp_arena_alloc(p->a, end - start);
    size_t k = 0, i = start + 1;
    /* second pass: decode, reporting errors in file order */
    while (i < end) {
        unsigned char c = s[i];
        if (c == '\\') {
            if (i + 1 >= end) break;   /* backslash at the end of input */
            int w = jp_escape(p, &i, end, buf + k);
            if (w < 0) return DP_EFORMAT;
            k += (size_t)w;
        } else if (c < 0x80) {
            buf[k++] = (char)c;
            i++;
        } else {
            uint32_t cp;
            size_t w = dp_utf8_decode(s + i, end - i, &cp);
            if (!w) return jp_fail(p, i, "invalid UTF-8 in string");
            memcpy(buf + k, s + i, w);
            k += w;
            i += w;
        }
    }
    if (end >= p->n) return jp_fail(p, start, "unterminated string");
    if (s[end] != '"') {
        char msg[64];
        snprintf(msg, sizeof msg, "control character U+%04X in string", s[end]);
        return jp_fail(p, end, msg);
    }
    buf[k] = 0;
    *out = buf;
    *len = k;
    p->pos = end + 1;
    return 0;
}

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* number = [ '-' ] int [ frac ] [ exp ]; int = '0' / ( digit1-9 *DIGIT ) */
static int jp_number(struct jparser *p, struct dp_json **out)
{
    const unsigned char *s = p->s;
    size_t start = p->pos, i = start;
    if (s[i] == '-') i++;
    if (i >= p->n || !is_digit(s[i])) {
        if (i < p->n && s[i] == 'I') return jp_fail(p, start, "-Infinity is not valid JSON");
        return jp_fail(p, i, "expected a digit after '-'");
    }
    if (s[i] == '0' && i + 1 < p->n && is_digit(s[i + 1]))
        return jp_fail(p, start, "leading zeros are not allowed in numbers");
    while (i < p->n && is_digit(s[i])) i++;
    int integral = 1;
    if (i < p->n && s[i] == '.') {
        integral = 0;
        if (++i >= p->n || !is_digit(s[i])) return jp_fail(p, i, "expected a digit after '.'");
        while (i < p->n && is_digit(s[i])) i++;
    }
    if (i < p->n && (s[i] == 'e' || s[i] == 'E')) {
        integral = 0;
        i++;
        if (i < p->n && (s[i] == '+' || s[i] == '-')) i++;
        if (i >= p->n || !is_digit(s[i])) return jp_fail(p, i, "expected a digit in the exponent");
        while (i < p->n && is_digit(s[i])) i++;
    }
    size_t len = i - start;
    char small[64];
    char *tmp = len < sizeof small ? small : dp_xmalloc(len + 1);
    memcpy(tmp, s + start, len);
    tmp[len] = 0;
    double d = strtod(tmp, NULL);
    if (tmp != small) free(tmp);
    if (isinf(d)) return jp_fail(p, start, "number out of range");
    struct dp_json *v = jp_new(p, DP_JSON_NUM, start);
    v->num = d;
    if (integral) {
        /* accumulate as a negative number so INT64_MIN fits */
        int neg = s[start] == '-', ok = 1;
        int64_t acc = 0;
        for (size_t j = start + (size_t)neg; j < i && ok; j++) {
            int dg = s[j] - '0';
            if (acc < (INT64_MIN + dg) / 10) ok = 0;
            else acc = acc * 10 - dg;
        }
        if (ok && !neg && acc == INT64_MIN) ok = 0;
        if (ok) {
            v->is_int = true;
            v->i = neg ? acc : -acc;
        }
    }
    p->pos = i;
    *out = v;
    return 0;
}

static int jp_value(struct jparser *p, int depth, struct dp_json **out);

/* Moves the members pushed since base into arena arrays of v. */
static void jp_collect(struct jparser *p, size_t base, struct dp_json *v)
{
    size_t k = p->nstk - base;
    v->len = k;
    if (k) {
        v->items = dp_arena_alloc(p->a, k * sizeof *v->items);
        for (size_t j = 0; j < k; j++) v->items[j] = p->stk[base + j].v;
        if (v->type == DP_JSON_OBJ) {
            v->keys = dp_arena_alloc(p->a, k * sizeof *v->keys);
            v->keylens = dp_arena_alloc(p->a, k * sizeof *v->keylens);
            for (size_t j = 0; j < k; j++) {
                v->keys[j] = p->stk[base + j].key;
                v->keylens[j] = p->stk[base + j].keylen;
            }
        }
    }
    p->nstk = base;
}

/* The error after a member: a trailing comma is named as such, otherwise what was expected. */
static int jp_expected(struct jparser *p, const char *msg)
{
    if (p->pos >= p->n) {
        char m[96];
        snprintf(m, sizeof m, "unexpected end of input: %s", msg);
        return jp_fail(p, p->pos, m);
    }
    return jp_fail(p, p->pos, msg);
}

/* array = '[' [ value *( ',' value ) ] ']' */
static int jp_array(struct jparser *p, int depth, struct dp_json *v)
{
    size_t base = p->nstk;
    p->pos++;
    jp_skip_ws(p);
    if (p->pos < p->n && p->s[p->pos] == ']') {
        p->pos++;
        return 0;
    }
    for (;;) {
        struct dp_json *item;
        int rc = jp_value(p, depth, &item);
        if (rc) return rc;
        jp_push(p, NULL, 0, item);
        jp_skip_ws(p);
        if (p->pos < p->n && p->s[p->pos] == ']') break;
        if (p->pos >= p->n || p->s[p->pos] != ',') return jp_expected(p, "expected ',' or ']'");
        size_t comma = p->pos++;
        jp_skip_ws(p);
        if (p->pos < p->n && p->s[p->pos] == ']') return jp_fail(p, comma, "trailing comma before ']'");
    }
    p->pos++;
    jp_collect(p, base, v);
    return 0;
}

/* object = '{' [ member *( ',' member ) ] '}'; member = string ':' value */
static int jp_object(struct jparser *p, int depth, struct dp_json *v)
{
    size_t base = p->nstk;
    p->pos++;
    jp_skip_ws(p);
    if (p->pos < p->n && p->s[p->pos] == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (p->pos >= p->n || p->s[p->pos] != '"') return jp_expected(p, "expected a string key");
        const char *key;
        size_t keylen;
        int rc = jp_string(p, &key, &keylen);
        if (rc) return rc;
        jp_skip_ws(p);
        if (p->pos >= p->n || p->s[p->pos] != ':') return jp_expected(p, "expected ':' after key");
        p->pos++;
        struct dp_json *item;
        if ((rc = jp_value(p, depth, &item))) return rc;
        jp_push(p, key, keylen, item);
        jp_skip_ws(p);
        if (p->pos < p->n && p->s[p->pos] == '}') break;
        if (p->pos >= p->n || p->s[p->pos] != ',') return jp_expected(p, "expected ',' or '}'");
        size_t comma = p->pos++;
        jp_skip_ws(p);
        if (p->pos < p->n && p->s[p->pos] == '}') return jp_fail(p, comma, "trailing comma before '}'");
    }
    p->pos++;
    jp_collect(p, base, v);
    return 0;
}

/* What was found where a value should start. */
static int jp_bad_value(struct jparser *p)
{
    const unsigned char *s = p->s + p->pos;
    size_t left = p->n - p->pos;
    if (s[0] == '/' && left > 1 && (s[1] == '/' || s[1] == '*'))
        return jp_fail(p, p->pos, "comments are not allowed in JSON");
    if ((left >= 3 && memcmp(s, "NaN", 3) == 0) || (left >= 8 && memcmp(s, "Infinity", 8) == 0))
        return jp_fail(p, p->pos, "NaN and Infinity are not valid JSON");
    char msg[64];
    if (s[0] >= 0x21 && s[0] < 0x7f) snprintf(msg, sizeof msg, "expected a value, found '%c'", s[0]);
    else snprintf(msg, sizeof msg, "expected a value, found byte 0x%02x", s[0]);
    return jp_fail(p, p->pos, msg);
}

static int jp_literal(struct jparser *p, const char *word, struct dp_json *v)
{
    size_t k = strlen(word);
    if (p->n - p->pos < k || memcmp(p->s + p->pos, word, k) != 0) return jp_bad_value(p);
    p->pos += k;
    (void)v;
    return 0;
}

/* value = object / array / string / number / 'true' / 'false' / 'null' */
static int jp_value(struct jparser *p, int depth, struct dp_json **out)
{
    jp_skip_ws(p);
    if (p->pos >= p->n) return jp_fail(p, p->pos, "unexpected end of input: expected a value");
    size_t start = p->pos;
    struct dp_json *v = NULL;
    int rc;
    switch (p->s[start]) {
    case '{':
    case '[':
        if (depth >= JSON_MAX_DEPTH) return jp_fail(p, start, "nesting deeper than 1000 levels");
        v = jp_new(p, p->s[start] == '{' ? DP_JSON_OBJ : DP_JSON_ARR, start);
        rc = v->type == DP_JSON_OBJ ? jp_object(p, depth + 1, v) : jp_array(p, depth + 1, v);
        break;
    case '"':
        v = jp_new(p, DP_JSON_STR, start);
        rc = jp_string(p, &v->str, &v->len);
        break;
    case 't':
    case 'f':
        v = jp_new(p, DP_JSON_BOOL, start);
        v->b = p->s[start] == 't';
        rc = jp_literal(p, v->b ? "true" : "false", v);
        break;
    case 'n':
        v = jp_new(p, DP_JSON_NULL, start);
        rc = jp_literal(p, "null", v);
        break;
    default:
        if (p->s[start] == '-' || is_digit(p->s[start])) rc = jp_number(p, &v);
        else rc = jp_bad_value(p);
    }
    if (rc) return rc;
    *out = v;
    return 0;
}

int dp_json_parse(struct dp_arena *a, const char *text, size_t n, const char *path,
                  struct dp_json **out, struct dp_error *e)
{
    struct jparser p = {0};
    p.s = (const unsigned char *)(text ? text : "");
    p.n = text ? n : 0;
    p.path = path;
    p.a = a;
    p.e = e;
    p.line = p.ccol = 1;
    *out = NULL;
    if (p.n >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0) return jp_fail(&p, 0, "unexpected UTF-8 BOM");
    struct dp_json *v = NULL;
    int rc = jp_value(&p, 0, &v);
    if (rc == 0) {
        jp_skip_ws(&p);
        if (p.pos < p.n) rc = jp_fail(&p, p.pos, "extra data after the JSON value");
    }
    free(p.stk);
    if (rc == 0) *out = v;
    return rc;
}

/* ================================================================ lookups */

const struct dp_json *dp_json_get(const struct dp_json *obj, const char *key)
{
    if (!obj || obj->type != DP_JSON_OBJ) return NULL;
    size_t k = strlen(key);
    for (size_t i = obj->len; i-- > 0;)   /* the last duplicate wins, as in Python */
        if (obj->keylens[i] == k && memcmp(obj->keys[i], key, k) == 0) return obj->items[i];
    return NULL;
}

const char *dp_json_get_str(const struct dp_json *obj, const char *key, const char *def)
{
    const struct dp_json *v = dp_json_get(obj, key);
    return v && v->type == DP_JSON_STR ? v->str : def;
}

double dp_json_get_num(const struct dp_json *obj, const char *key, double def)
{
    const struct dp_json *v = dp_json_get(obj, key);
    return v && v->type == DP_JSON_NUM ? v->num : def;
}

/* Integers, and numbers such as 3.0 or 1e3 whose value is a whole int64. */
int64_t dp_json_get_int(const struct dp_json *obj, const char *key, int64_t def)
{
    const struct dp_json *v = dp_json_get(obj, key);
    if (!v || v->type != DP_JSON_NUM) return def;
    if (v->is_int) return v->i;
    if (v->num == floor(v->num) && v->num >= -0x1p63 && v->num < 0x1p63) return (int64_t)v->num;
    return def;
}

bool dp_json_get_bool(const struct dp_json *obj, const char *key, bool def)
{
    const struct dp_json *v = dp_json_get(obj, key);
    return v && v->type == DP_JSON_BOOL ? v->b : def;
}

/* ================================================================ writer */

/* Decodes one code point of generalized UTF-8 (3-byte surrogates accepted, as the reader
 * produces them). Returns bytes consumed; an invalid byte reads as U+FFFD, one byte long. */
static size_t jw_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t k = dp_utf8_decode(s, n, cp);
    if (k) return k;
    if (n >= 3 && s[0] == 0xED && s[1] >= 0xA0 && s[1] <= 0xBF && (s[2] & 0xC0) == 0x80) {
        *cp = 0xD000u | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *cp = 0xFFFD;
    return 1;
}

/* As json.dumps: \" \\ \n \r \t \b \f, other controls as \u00XX; with ascii, DEL and every
 * non-ASCII code point as \uXXXX (astral ones as surrogate pairs). Without ascii, UTF-8 passes
 * through, except surrogates (not representable in UTF-8: escaped) and invalid bytes (U+FFFD). */
void dp_json_escape(struct dp_sbuf *out, const char *s, size_t n, bool ascii)
{
    const unsigned char *u = (const unsigned char *)s;
    dp_sbuf_reserve(out, n + 2);
    dp_sbuf_putc(out, '"');
    size_t i = 0;
    while (i < n) {
        size_t run = i;   /* copy plain ASCII in runs */
        while (run < n && u[run] >= 0x20 && u[run] < 0x7f && u[run] != '"' && u[run] != '\\') run++;
        if (run > i) {
            dp_sbuf_put(out, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = u[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        }
        if (esc) {
            dp_sbuf_puts(out, esc);
            i++;
            continue;
        }
        if (c < 0x20 || (c == 0x7f && ascii)) {
            dp_sbuf_printf(out, "\\u%04x", c);
            i++;
            continue;
        }
        if (c == 0x7f) {
            dp_sbuf_putc(out, (char)c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = jw_decode(u + i, n - i, &cp);
        i += k;
        if (cp >= 0x10000 && ascii) {
            cp -= 0x10000;
            dp_sbuf_printf(out, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
        } else if (ascii || (cp >= 0xD800 && cp <= 0xDFFF)) {
            dp_sbuf_printf(out, "\\u%04x", cp);
        } else if (cp == 0xFFFD && k == 1) {
            dp_sbuf_puts(out, "\xEF\xBF\xBD");
        } else {
            dp_sbuf_put(out, s + i - k, k);
        }
    }
    dp_sbuf_putc(out, '"');
}

void dp_jw_init(struct dp_jw *w, struct dp_sbuf *out, int indent)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->indent = indent > 0 ? indent : 0;
    w->ascii = true;
}

/* Whether the innermost open container has no element yet. Past the depth that first[] covers
 * it is read off the output: a container with no element still ends in its opening bracket. */
static bool jw_first(const struct dp_jw *w)
{
    int d = w->depth;
    if (d < (int)(sizeof w->first / sizeof w->first[0])) return w->first[d];
    char last = w->out->n ? w->out->p[w->out->n - 1] : 0;
    return last == '[' || last == '{';
}

static void jw_newline(struct dp_jw *w)
{
    dp_sbuf_putc(w->out, '\n');
    size_t k = (size_t)w->indent * (size_t)w->depth;
    dp_sbuf_reserve(w->out, k);
    memset(w->out->p + w->out->n, ' ', k);
    w->out->n += k;
    w->out->p[w->out->n] = 0;
}

/* Separator and line break before an element (array item or object key). */
static void jw_before(struct dp_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    if (!jw_first(w)) dp_sbuf_puts(w->out, w->compact || w->indent ? "," : ", ");
    if (w->depth < (int)(sizeof w->first / sizeof w->first[0])) w->first[w->depth] = false;
    if (w->indent) jw_newline(w);
}

static void jw_open(struct dp_jw *w, char c)
{
    jw_before(w);
    dp_sbuf_putc(w->out, c);
    w->depth++;
    if (w->depth < (int)(sizeof w->first / sizeof w->first[0])) w->first[w->depth] = true;
}

static void jw_close(struct dp_jw *w, char c)
{
    bool empty = jw_first(w);
    if (w->depth > 0) w->depth--;
    if (!empty && w->indent) jw_newline(w);
    dp_sbuf_putc(w->out, c);
}

void dp_jw_obj_begin(struct dp_jw *w) { jw_open(w, '{'); }
void dp_jw_obj_end(struct dp_jw *w) { jw_close(w, '}'); }
void dp_jw_arr_begin(struct dp_jw *w) { jw_open(w, '['); }
void dp_jw_arr_end(struct dp_jw *w) { jw_close(w, ']'); }

void dp_jw_keyn(struct dp_jw *w, const char *key, size_t n)
{
    jw_before(w);
    dp_json_escape(w->out, key, n, w->ascii);
    dp_sbuf_puts(w->out, w->compact ? ":" : ": ");
    w->after_key = true;
}

void dp_jw_key(struct dp_jw *w, const char *key) { dp_jw_keyn(w, key, strlen(key)); }

void dp_jw_str(struct dp_jw *w, const char *s) { dp_jw_strn(w, s, strlen(s)); }

void dp_jw_strn(struct dp_jw *w, const char *s, size_t n)
{
    jw_before(w);
    dp_json_escape(w->out, s, n, w->ascii);
}

void dp_jw_int(struct dp_jw *w, int64_t v)
{
    jw_before(w);
    dp_sbuf_printf(w->out, "%lld", (long long)v);
}

/* Python's repr(float): the shortest digit string that reads back as v (nearest to v among
 * the shortest), in fixed notation when 1e-4 <= |v| < 1e16 (with ".0" when integral), else as
 * d.ddde+XX. The digits come from "%.*e" at growing precision; at each precision the
 * neighbours of the correctly rounded string are tried too, as the rounding interval of a
 * power of two is lopsided. */
static void fmt_repr_double(char *buf, size_t cap, double v)
{
    char digits[24];
    int exp10 = 0;
    double a = fabs(v);
    for (int prec = 0; prec <= 16; prec++) {
        char t[40];
        snprintf(t, sizeof t, "%.*e", prec, a);
        /* t = "d.ddde[+-]XX": mantissa m as an integer of prec+1 digits */
        unsigned long long m = 0;
        const char *q = t;
        for (; *q != 'e'; q++)
            if (*q != '.') m = m * 10 + (unsigned long long)(*q - '0');
        int ex = atoi(q + 1);
        unsigned long long cand[3] = {m, m - 1, m + 1};
        int found = -1;
        for (int c = 0; c < 3 && found < 0; c++) {   /* m first: it is the nearest */
            if (cand[c] == 0) continue;
            char r[48];
            snprintf(r, sizeof r, "%llue%d", cand[c], ex - prec);
            if (strtod(r, NULL) == a) found = c;
        }
        if (found < 0 && prec < 16) continue;
        if (found < 0) found = 0;   /* 17 digits always round-trip */
        snprintf(digits, sizeof digits, "%llu", cand[found]);
        exp10 = ex + (int)strlen(digits) - (prec + 1);   /* m+1 may gain a digit */
        break;
    }
    size_t nd = strlen(digits);
    while (nd > 1 && digits[nd - 1] == '0') digits[--nd] = 0;
    char *o = buf;
    char *end = buf + cap;
    if (signbit(v)) *o++ = '-';
    if (exp10 < -4 || exp10 >= 16) {
        *o++ = digits[0];
        if (nd > 1) o += snprintf(o, (size_t)(end - o), ".%s", digits + 1);
        snprintf(o, (size_t)(end - o), "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (exp10 >= 0) {
        for (int k = 0; k <= exp10; k++) *o++ = (size_t)k < nd ? digits[k] : '0';
        *o++ = '.';
        if ((size_t)exp10 + 1 < nd) o += snprintf(o, (size_t)(end - o), "%s", digits + exp10 + 1);
        else *o++ = '0';
        *o = 0;
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int k = -1; k > exp10; k--) *o++ = '0';
        snprintf(o, (size_t)(end - o), "%s", digits);
    }
}

void dp_jw_num(struct dp_jw *w, double v)
{
    jw_before(w);
    char buf[64];
    if (isnan(v)) snprintf(buf, sizeof buf, "NaN");
    else if (isinf(v)) snprintf(buf, sizeof buf, v > 0 ? "Infinity" : "-Infinity");
    else if (v == 0) snprintf(buf, sizeof buf, signbit(v) ? "-0.0" : "0.0");
    else fmt_repr_double(buf, sizeof buf, v);
    dp_sbuf_puts(w->out, buf);
}

void dp_jw_bool(struct dp_jw *w, bool v)
{
    jw_before(w);
    dp_sbuf_puts(w->out, v ? "true" : "false");
}

void dp_jw_null(struct dp_jw *w)
{
    jw_before(w);
    dp_sbuf_puts(w->out, "null");
}

void dp_jw_value(struct dp_jw *w, const struct dp_json *v)
{
    switch (v->type) {
    case DP_JSON_NULL: dp_jw_null(w); break;
    case DP_JSON_BOOL: dp_jw_bool(w, v->b); break;
    case DP_JSON_NUM:
        if (v->is_int) dp_jw_int(w, v->i);
        else dp_jw_num(w, v->num);
        break;
    case DP_JSON_STR: dp_jw_strn(w, v->str, v->len); break;
    case DP_JSON_ARR:
        dp_jw_arr_begin(w);
        for (size_t i = 0; i < v->len; i++) dp_jw_value(w, v->items[i]);
        dp_jw_arr_end(w);
        break;
    case DP_JSON_OBJ:
        dp_jw_obj_begin(w);
        for (size_t i = 0; i < v->len; i++) {
            dp_jw_keyn(w, v->keys[i], v->keylens[i]);
            dp_jw_value(w, v->items[i]);
        }
        dp_jw_obj_end(w);
        break;
    }
}

int dp_json_parse_file(struct dp_arena *a, const char *path, struct dp_json **out, struct dp_error *e)
{
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    rc = dp_json_parse(a, text, n, path, out, e);
    free(text);
    return rc;
}
