/* Python tokenizer (see lex.h). The source is first normalized (BOM, newlines, a latin-1 coding
 * cookie), then scanned once into a token array the parser can back up in freely. Indentation
 * uses CPython's rule: tabs to multiples of 8, checked against tab size 1 for TabError. */
#include "py/lex.h"
#include "py/source.h"
#include "base/unicode.h"
#include "py/repr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INDENT 100
#define MAX_PAREN 200

struct lx {
    struct dp_arena *a;
    const char *s;            /* normalized source */
    size_t n, pos;
    const char *path;
    struct dp_error *e;
    struct dp_py_lexer_out *out;
    struct dp_py_tok *toks;   /* malloc'd while growing, copied to the arena at the end */
    int ntok, captok;
    int line;
    const uint32_t *ls;       /* line starts */
    int nlines;
    int depth;                /* bracket depth */
    char pstack[MAX_PAREN];
    int pline[MAX_PAREN], pcol[MAX_PAREN];
    int ind[MAX_INDENT + 1], altind[MAX_INDENT + 1], nind;
    int version;              /* 311: f-strings end at their first closing quote; 312: PEP 701 */
    int *hint;                /* line_of's cache (points at hint_store) */
    int cur_line;             /* push_tok's line cursor and the start of the next line */
    uint32_t next_ls;
    int hint_store;
    bool failed;
};

static const char *const op_strs[DP_PY_OP_COUNT] = {
    "", "(", ")", "[", "]", "{", "}", ":", ",", ";", "+", "-", "*", "/", "|", "&", "<", ">", "=",
    ".", "%", "==", "!=", "<=", ">=", "~", "^", "<<", ">>", "**", "+=", "-=", "*=", "/=", "%=",
    "&=", "|=", "^=", "<<=", ">>=", "**=", "//", "//=", "@", "@=", "->", "...", ":=", "!",
};

static const char *const kw_strs[] = {
    "", "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
    "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
    "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
    "while", "with", "yield", "", "match", "case", "type", "_",
};
static const unsigned char kw_len[] = {   /* strlen of each kw_strs entry */
    0, 5, 4, 4, 3, 2, 6, 5, 5, 5, 5, 8, 3, 3, 4, 4, 6, 7, 3, 4, 6, 2, 6, 2, 2, 6, 8, 3, 2, 4, 5, 6,
    3, 5, 4, 5, 0, 5, 4, 4, 1,
};
_Static_assert(sizeof kw_len == sizeof kw_strs / sizeof kw_strs[0], "one length per keyword");

const char *dp_py_op_str(int op) { return op > 0 && op < DP_PY_OP_COUNT ? op_strs[op] : "?"; }
const char *dp_py_kw_str(int kw) { return kw > 0 && kw <= DP_PY_KW__ ? kw_strs[kw] : ""; }

static int kw_lookup(const char *p, size_t n)
{
    /* a perfect hash of the keywords (first char, last char, length), found by a search */
    static const uint8_t by_hash[128] = {
        [3] = DP_PY_KW_except, [5] = DP_PY_KW_global, [7] = DP_PY_KW_for, [9] = DP_PY_KW_if, [13] =
        DP_PY_KW_pass, [23] = DP_PY_KW_type, [26] = DP_PY_KW_return, [27] = DP_PY_KW_async, [28] =
        DP_PY_KW_and, [32] = DP_PY_KW_finally, [33] = DP_PY_KW_in, [37] = DP_PY_KW_lambda, [41] =
        DP_PY_KW_None, [48] = DP_PY_KW_is, [55] = DP_PY_KW_import, [58] = DP_PY_KW_case, [62] =
        DP_PY_KW_continue, [63] = DP_PY_KW_while, [64] = DP_PY_KW_break, [66] = DP_PY_KW_False, [70]
        = DP_PY_KW_match, [71] = DP_PY_KW_with, [72] = DP_PY_KW_as, [73] = DP_PY_KW_def, [78] =
        DP_PY_KW_await, [79] = DP_PY_KW_assert, [82] = DP_PY_KW_try, [84] = DP_PY_KW_else, [86] =
        DP_PY_KW_yield, [87] = DP_PY_KW_elif, [91] = DP_PY_KW_del, [98] = DP_PY_KW_nonlocal, [101] =
        DP_PY_KW_class, [113] = DP_PY_KW__, [117] = DP_PY_KW_not, [119] = DP_PY_KW_True, [121] =
        DP_PY_KW_from, [123] = DP_PY_KW_or, [126] = DP_PY_KW_raise
    };
    if (n < 1 || n > 8) return DP_PY_KW_NONE;
    int k = by_hash[((unsigned char)p[0] * 13u + (unsigned char)p[n - 1] * 3u + (unsigned)n) % 128u];
    return k && kw_len[k] == n && memcmp(kw_strs[k], p, n) == 0 ? k : DP_PY_KW_NONE;
}

int dp_py_char_col(const struct dp_py_lexer_out *lx, int line, uint32_t off)
{
    if (line < 1 || line > lx->nlines) return 1;
    uint32_t s = lx->line_start[line];
    int col = 1;
    for (uint32_t i = s; i < off && i < lx->len; i++)
        if (((unsigned char)lx->src[i] & 0xC0) != 0x80) col++;
    return col;
}

static int line_of(const struct lx *x, size_t off)
{
    int lo = 1, hi = x->nlines;
    /* tokens come in order: try the hint's line and the next few first */
    int h = x->hint[0];
    if (h >= 1 && h <= x->nlines && x->ls[h] <= off) {
        for (int k = 0; k < 4 && h <= x->nlines; k++, h++)
            if (h == x->nlines || x->ls[h + 1] > off) { x->hint[0] = h; return h; }
        lo = h;
    }
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (x->ls[mid] <= off) lo = mid; else hi = mid - 1;
    }
    x->hint[0] = lo;
    return lo;
}

/* Error at byte offset off (line found from it). */
static int lx_error_at(struct lx *x, size_t off, const char *cls, const char *fmt, const char *arg)
{
    if (x->failed) return DP_ESYNTAX;
    x->failed = true;
    int line = line_of(x, off);
    char msg[400];
    snprintf(msg, sizeof msg, fmt, arg);
    struct dp_py_lexer_out tmp = {.src = x->s, .len = x->n, .line_start = x->ls, .nlines = x->nlines};
    if (!x->hint) x->hint = &x->hint_store;
    dp_error_set(x->e, DP_ESYNTAX, x->path, line, dp_py_char_col(&tmp, line, (uint32_t)off),
                 "%s: %s", cls, msg);
    return DP_ESYNTAX;
}

static inline __attribute__((always_inline)) void push_tok(struct lx *x, int type, size_t start, size_t end)
{
    if (x->ntok == x->captok) {   /* rare: the estimate in lx_start was short */
        int cap = x->captok ? x->captok * 2 : 256;
        struct dp_py_tok *t = dp_arena_alloc_raw(x->a, (size_t)cap * sizeof *t);
        if (x->ntok) memcpy(t, x->toks, (size_t)x->ntok * sizeof *t);
        x->toks = t;
        x->captok = cap;
    }
    struct dp_py_tok *t = &x->toks[x->ntok++];
    t->type = (uint8_t)type;
    t->op = t->kw = t->strflags = 0;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    /* tokens arrive in source order: a line cursor moves forward */
    if (start >= x->next_ls || start < x->ls[x->cur_line]) {
        int h = start < x->ls[x->cur_line] ? line_of(x, start) : x->cur_line;
        while (h < x->nlines && x->ls[h + 1] <= start) h++;
        x->cur_line = h;
        x->next_ls = h < x->nlines ? x->ls[h + 1] : UINT32_MAX;
    }
    t->line = x->cur_line;
    t->col = (int)(start - x->ls[x->cur_line]);
    /* only strings can end on another line (a NEWLINE's '\n' is on its own line) */
    t->end_line = type == DP_PY_TOK_STRING ? line_of(x, end - 1) : t->line;
    t->end_col = (int)(end - x->ls[t->end_line]);
}

/* character classes: 1 identifier start (ASCII letters, '_', any non-ASCII byte), 2 digit */
#define CC(c) ((((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '_' || (c) >= 0x80) ? 1 \
               : ((c) >= '0' && (c) <= '9') ? 2 : 0)
#define CC4(c) CC(c), CC(c + 1), CC(c + 2), CC(c + 3)
#define CC16(c) CC4(c), CC4(c + 4), CC4(c + 8), CC4(c + 12)
#define CC64(c) CC16(c), CC16(c + 16), CC16(c + 32), CC16(c + 48)
static const unsigned char cclass[256] = {CC64(0), CC64(64), CC64(128), CC64(192)};
/* bytes a string scan must look at: quotes, backslash, newline, braces, NUL */
#define SP(c) ((c) == '\'' || (c) == '"' || (c) == '\\' || (c) == '\n' || (c) == '{' || (c) == '}' || (c) == 0)
#define SP4(c) SP(c), SP(c + 1), SP(c + 2), SP(c + 3)
#define SP16(c) SP4(c), SP4(c + 4), SP4(c + 8), SP4(c + 12)
#define SP64(c) SP16(c), SP16(c + 16), SP16(c + 32), SP16(c + 48)
static const unsigned char strspecial[256] = {SP64(0), SP64(64), SP64(128), SP64(192)};
static bool is_id_start(unsigned char c) { return cclass[c] == 1; }
static bool is_id_char(unsigned char c) { return cclass[c] != 0; }

/* ---------------------------------------------------------------- UTF-8 */

/* "(unicode error) 'utf-8' codec can't decode byte 0xf6 in position 3: invalid start byte" at
 * 1-based byte column col of line line */
static int utf8_error(struct lx *x, int line, int col, const unsigned char *data, size_t at, size_t len,
                      const char *why)
{
    if (x->failed) return DP_ESYNTAX;
    x->failed = true;
    if (len == 1)
        return dp_error_set(x->e, DP_ESYNTAX, x->path, line, col,
                            "SyntaxError: (unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                            data[at], at, why);
    return dp_error_set(x->e, DP_ESYNTAX, x->path, line, col,
                        "SyntaxError: (unicode error) 'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                        at, at + len - 1, why);
}

/* ---------------------------------------------------------------- strings */

static int scan_string(struct lx *x, size_t qpos, int flags);

/* Inside an f-string replacement field, starting after '{'; stops after the matching '}'. */
static int scan_fexpr(struct lx *x, char q, bool triple, int nest)
{
    int depth = 0;
    if (nest > MAX_PAREN) return lx_error_at(x, x->pos, "SyntaxError", "%s", "f-string: expressions nested too deeply");
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
        if (is_id_start(c)) {
            size_t st = x->pos;
            while (x->pos < x->n && is_id_char((unsigned char)x->s[x->pos])) x->pos++;
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
    char q = x->s[qpos];
    bool triple = qpos + 2 < x->n && x->s[qpos + 1] == q && x->s[qpos + 2] == q;
    x->pos = qpos + (triple ? 3 : 1);
    for (;;) {
        /* skip the plain characters; the source ends with a NUL, so the scan stops there */
        const unsigned char *s = (const unsigned char *)x->s;
        while (!strspecial[s[x->pos]]) x->pos++;
        if (x->pos >= x->n) return -1;
        char c = x->s[x->pos];
        if (c == q) {
            if (!triple) { x->pos++; return 0; }
            if (x->pos + 2 < x->n && x->s[x->pos + 1] == q && x->s[x->pos + 2] == q) {
                x->pos += 3;
                return 0;
            }
        } else if (c == '\n' && !triple) {
            return -1;
        } else if (c == '\\') {
            if (x->pos + 1 >= x->n) return -1;
            /* in an f-string a backslash does not hide a brace */
            if ((flags & DP_PY_STR_F) && (x->s[x->pos + 1] == '{' || x->s[x->pos + 1] == '}')) {
                x->pos++;
                continue;
            }
            x->pos++;
            /* \N{NAME} in a non-raw f-string is an escape, not a replacement field */
            if ((flags & DP_PY_STR_F) && !(flags & DP_PY_STR_RAW) && x->s[x->pos] == 'N' &&
                x->pos + 1 < x->n && x->s[x->pos + 1] == '{') {
                while (x->pos < x->n && x->s[x->pos] != '}' && x->s[x->pos] != q && x->s[x->pos] != '\n') x->pos++;
                if (x->pos < x->n && x->s[x->pos] == '}') x->pos++;
                continue;
            }
        } else if (c == '{' && (flags & DP_PY_STR_F) && x->version >= 312) {
            if (x->pos + 1 < x->n && x->s[x->pos + 1] == '{') {
                x->pos += 2;
                continue;
            }
            x->pos++;
            int r = scan_fexpr(x, q, triple, 0);
            if (r) return r;
            continue;
        }
        x->pos++;
    }
}

static int lex_string(struct lx *x, size_t start, size_t qpos, int flags)
{
    char q = x->s[qpos];
    bool triple = qpos + 2 < x->n && x->s[qpos + 1] == q && x->s[qpos + 2] == q;
    int r = scan_string(x, qpos, flags);
    if (r == DP_ESYNTAX || x->failed) return DP_ESYNTAX;
    if (r) {
        int det = line_of(x, x->pos >= x->n ? x->n - 1 : x->pos);
        char buf[64];
        snprintf(buf, sizeof buf, "%d", det);
        if (flags & DP_PY_STR_F)
            return lx_error_at(x, start, "SyntaxError", triple
                ? "unterminated triple-quoted string literal (detected at line %s)"
                : "unterminated string literal (detected at line %s)", buf);
        return lx_error_at(x, start, "SyntaxError", triple
            ? "unterminated triple-quoted string literal (detected at line %s)"
            : "unterminated string literal (detected at line %s)", buf);
    }
    /* the text between the quotes must be UTF-8: CPython 3.11 reports a bad byte just past
     * the token, 3.12 at its start; the position counts from the opening quote */
    size_t body = qpos + (triple ? 3 : 1), bend = x->pos - (triple ? 3 : 1), at, len;
    const char *why;
    const unsigned char *u = (const unsigned char *)x->s + body;
    if (bend > body && dp_py_utf8_problem(u, bend - body, &at, &len, &why)) {
        push_tok(x, DP_PY_TOK_STRING, start, x->pos);
        const struct dp_py_tok *t = &x->toks[x->ntok - 1];
        if (x->version >= 312) return utf8_error(x, t->line, t->col + 1, u, at, len, why);
        return utf8_error(x, t->end_line, t->end_col + 1, u, at, len, why);
    }
    push_tok(x, DP_PY_TOK_STRING, start, x->pos);
    x->toks[x->ntok - 1].strflags = (uint8_t)(flags | (triple ? DP_PY_STR_TRIPLE : 0));
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
    if (x->pos >= x->n || !is_id_start((unsigned char)x->s[x->pos])) return 0;
    static const char *const ok[] = {"and", "else", "for", "if", "in", "is", "not", "or"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t k = strlen(ok[i]);
        if (x->pos + k <= x->n && memcmp(x->s + x->pos, ok[i], k) == 0 &&
            (x->pos + k >= x->n || !is_id_char((unsigned char)x->s[x->pos + k])))
            return 0;
    }
    return lx_error_at(x, start, "SyntaxError", "invalid %s literal", kind);
}

static int lex_number(struct lx *x)
{
    size_t start = x->pos;
    const char *s = x->s;
    if (s[x->pos] == '0' && x->pos + 1 < x->n && strchr("xXoObB", s[x->pos + 1]) && s[x->pos + 1]) {
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
        if (verify_end(x, start + 1, name)) return DP_ESYNTAX;
        push_tok(x, DP_PY_TOK_NUMBER, start, x->pos);
        return 0;
    }
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
    if (verify_end(x, start, imag ? "imaginary" : "decimal")) return DP_ESYNTAX;
    push_tok(x, DP_PY_TOK_NUMBER, start, x->pos);
    return 0;
}

/* ---------------------------------------------------------------- operators */

/* longest operator at p (avail bytes), or 0 */
static int match_op(const char *p, size_t avail)
{
    char c1 = avail > 1 ? p[1] : 0, c2 = avail > 2 ? p[2] : 0;
    bool eq = c1 == '=';
    switch (p[0]) {
    case '(': return DP_PY_OP_LPAR;
    case ')': return DP_PY_OP_RPAR;
    case '[': return DP_PY_OP_LSQB;
    case ']': return DP_PY_OP_RSQB;
    case '{': return DP_PY_OP_LBRACE;
    case '}': return DP_PY_OP_RBRACE;
    case ',': return DP_PY_OP_COMMA;
    case ';': return DP_PY_OP_SEMI;
    case '~': return DP_PY_OP_TILDE;
    case ':': return eq ? DP_PY_OP_COLONEQUAL : DP_PY_OP_COLON;
    case '+': return eq ? DP_PY_OP_PLUSEQUAL : DP_PY_OP_PLUS;
    case '%': return eq ? DP_PY_OP_PERCENTEQUAL : DP_PY_OP_PERCENT;
    case '&': return eq ? DP_PY_OP_AMPEREQUAL : DP_PY_OP_AMPER;
    case '|': return eq ? DP_PY_OP_VBAREQUAL : DP_PY_OP_VBAR;
    case '^': return eq ? DP_PY_OP_CIRCUMFLEXEQUAL : DP_PY_OP_CIRCUMFLEX;
    case '@': return eq ? DP_PY_OP_ATEQUAL : DP_PY_OP_AT;
    case '=': return eq ? DP_PY_OP_EQEQUAL : DP_PY_OP_EQUAL;
    case '!': return eq ? DP_PY_OP_NOTEQUAL : DP_PY_OP_EXCLAMATION;
    case '-': return eq ? DP_PY_OP_MINEQUAL : c1 == '>' ? DP_PY_OP_RARROW : DP_PY_OP_MINUS;
    case '.': return c1 == '.' && c2 == '.' ? DP_PY_OP_ELLIPSIS : DP_PY_OP_DOT;
    case '*':
        if (c1 == '*') return c2 == '=' ? DP_PY_OP_DOUBLESTAREQUAL : DP_PY_OP_DOUBLESTAR;
        return eq ? DP_PY_OP_STAREQUAL : DP_PY_OP_STAR;
    case '/':
        if (c1 == '/') return c2 == '=' ? DP_PY_OP_DOUBLESLASHEQUAL : DP_PY_OP_DOUBLESLASH;
        return eq ? DP_PY_OP_SLASHEQUAL : DP_PY_OP_SLASH;
    case '<':
        if (c1 == '<') return c2 == '=' ? DP_PY_OP_LEFTSHIFTEQUAL : DP_PY_OP_LEFTSHIFT;
        return eq ? DP_PY_OP_LESSEQUAL : DP_PY_OP_LESS;
    case '>':
        if (c1 == '>') return c2 == '=' ? DP_PY_OP_RIGHTSHIFTEQUAL : DP_PY_OP_RIGHTSHIFT;
        return eq ? DP_PY_OP_GREATEREQUAL : DP_PY_OP_GREATER;
    default: return 0;
    }
}

static int lex_op(struct lx *x)
{
    size_t start = x->pos;
    int op = match_op(x->s + x->pos, x->n - x->pos);
    if (op == DP_PY_OP_LESS && x->pos + 1 < x->n && x->s[x->pos + 1] == '>') {
        /* '<>' is a token (PEP 401) that no rule accepts */
        x->pos += 2;
        push_tok(x, DP_PY_TOK_OP, start, x->pos);
        return 0;
    }
    if (!op) {
        unsigned char c = (unsigned char)x->s[x->pos];
        char buf[16];
        if (c < 0x80 && c >= 0x20) {
            snprintf(buf, sizeof buf, "%c", c);
            if (c == '$' || c == '?' || c == '`')
                return lx_error_at(x, start, "SyntaxError", "%s", "invalid syntax");
            return lx_error_at(x, start, "SyntaxError", "invalid character '%s'", buf);
        }
        snprintf(buf, sizeof buf, "U+%04X", c);
        return lx_error_at(x, start, "SyntaxError", "invalid non-printable character %s", buf);
    }
    x->pos += strlen(op_strs[op]);
    char c = x->s[start];
    if (op == DP_PY_OP_LPAR || op == DP_PY_OP_LSQB || op == DP_PY_OP_LBRACE) {
        if (x->depth >= MAX_PAREN) return lx_error_at(x, start, "SyntaxError", "%s", "too many nested parentheses");
        x->pstack[x->depth] = c;
        x->pline[x->depth] = line_of(x, start);
        x->pcol[x->depth] = (int)start;
        x->depth++;
    } else if (op == DP_PY_OP_RPAR || op == DP_PY_OP_RSQB || op == DP_PY_OP_RBRACE) {
        char buf[8] = {c, '\'', 0};
        if (x->depth == 0) return lx_error_at(x, start, "SyntaxError", "unmatched '%s", buf);
        char open = x->pstack[x->depth - 1];
        char want = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (c != want) {
            char msg[160];
            int oline = x->pline[x->depth - 1];
            if (oline != line_of(x, start))
                snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open, oline);
            else
                snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
            return lx_error_at(x, start, "SyntaxError", "%s", msg);
        }
        x->depth--;
    }
    push_tok(x, DP_PY_TOK_OP, start, x->pos);
    x->toks[x->ntok - 1].op = (uint8_t)op;
    return 0;
}

/* ---------------------------------------------------------------- lines */

/* At the beginning of a logical line: measure indentation, skip blank lines, emit
 * INDENT/DEDENT. Returns 1 when the end of input was reached. */
static int lex_indent(struct lx *x)
{
    for (;;) {
        int col = 0, alt = 0;
        size_t st = x->pos;
        while (x->pos < x->n) {
            char c = x->s[x->pos];
            if (c == ' ') { col++; alt++; }
            else if (c == '\t') { col = (col / 8 + 1) * 8; alt++; }
            else if (c == '\f') { col = alt = 0; }
            else break;
            x->pos++;
        }
        if (x->pos >= x->n) return 1;
        char c = x->s[x->pos];
        if (c == '#' || c == '\n' || (c == '\\' && x->pos + 1 < x->n && x->s[x->pos + 1] == '\n' && false)) {
            while (x->pos < x->n && x->s[x->pos] != '\n') x->pos++;
            if (x->pos < x->n) x->pos++;
            continue;
        }
        int top = x->ind[x->nind], atop = x->altind[x->nind];
        if (col == top) {
            if (alt != atop) return lx_error_at(x, st, "TabError", "%s", "inconsistent use of tabs and spaces in indentation");
        } else if (col > top) {
            if (x->nind >= MAX_INDENT) return lx_error_at(x, x->pos, "IndentationError", "%s", "too many levels of indentation");
            if (alt <= atop) return lx_error_at(x, st, "TabError", "%s", "inconsistent use of tabs and spaces in indentation");
            x->nind++;
            x->ind[x->nind] = col;
            x->altind[x->nind] = alt;
            push_tok(x, DP_PY_TOK_INDENT, st, x->pos);
        } else {
            while (x->nind > 0 && col < x->ind[x->nind]) {
                x->nind--;
                push_tok(x, DP_PY_TOK_DEDENT, x->pos, x->pos);
            }
            if (col != x->ind[x->nind]) {
                const char *eol = memchr(x->s + x->pos, '\n', x->n - x->pos);
                return lx_error_at(x, eol ? (size_t)(eol - x->s) : x->n, "IndentationError", "%s",
                                   "unindent does not match any outer indentation level");
            }
            if (alt != x->altind[x->nind])
                return lx_error_at(x, st, "TabError", "%s", "inconsistent use of tabs and spaces in indentation");
        }
        return 0;
    }
}

static int lex_name(struct lx *x)
{
    size_t start = x->pos;
    unsigned char any = 0;
    const unsigned char *s = (const unsigned char *)x->s;   /* NUL-terminated */
    size_t i = x->pos;
    while (cclass[s[i]]) any |= s[i++];
    x->pos = i < x->n ? i : x->n;
    size_t len = x->pos - start;
    if (x->pos < x->n && (x->s[x->pos] == '\'' || x->s[x->pos] == '"') && len <= 2) {
        int fl = 0;
        bool ok = true;
        for (size_t i = start; i < x->pos; i++) {
            char c = (char)(x->s[i] | 0x20);
            int b = c == 'r' ? DP_PY_STR_RAW : c == 'b' ? DP_PY_STR_BYTES : c == 'f' ? DP_PY_STR_F
                  : c == 'u' ? DP_PY_STR_U : 0;
            if (!b || (fl & b)) ok = false;
            fl |= b;
        }
        if ((fl & DP_PY_STR_U) && len > 1) ok = false;
        if ((fl & DP_PY_STR_BYTES) && (fl & DP_PY_STR_F)) ok = false;
        if (ok) return lex_string(x, start, x->pos, fl);
    }
    /* identifiers beyond ASCII: valid UTF-8, and each character XID */
    size_t at, blen;
    const char *why;
    if ((any & 0x80) && dp_py_utf8_problem((const unsigned char *)x->s + start, x->pos - start, &at, &blen, &why)) {
        int line = line_of(x, start);
        return utf8_error(x, line, (int)(start + at - x->ls[line]) + 1, (const unsigned char *)x->s + start, at,
                          blen, why);
    }
    for (size_t i = start; (any & 0x80) && i < x->pos; i++) {
        unsigned char c = (unsigned char)x->s[i];
        if (c < 0x80) continue;
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        uint32_t cp = 0;
        if (k == 2) cp = ((uint32_t)(c & 0x1F) << 6) | (x->s[i + 1] & 0x3F);
        else if (k == 3) cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(x->s[i + 1] & 0x3F) << 6) | (x->s[i + 2] & 0x3F);
        else if (k == 4) cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(x->s[i + 1] & 0x3F) << 12) | ((uint32_t)(x->s[i + 2] & 0x3F) << 6) | (x->s[i + 3] & 0x3F);
        bool ok = i == start ? dp_unicode_xid_start(cp) : dp_unicode_xid_continue(cp);
        if (!ok) {
            char buf[80], ch[8] = {0};
            memcpy(ch, x->s + i, k);
            if (dp_py_isprintable(cp)) {
                snprintf(buf, sizeof buf, "'%s' (U+%04X)", ch, cp);
                return lx_error_at(x, i, "SyntaxError", "invalid character %s", buf);
            }
            snprintf(buf, sizeof buf, "U+%04X", cp);
            return lx_error_at(x, i, "SyntaxError", "invalid non-printable character %s", buf);
        }
        i += k - 1;
    }
    push_tok(x, DP_PY_TOK_NAME, start, x->pos);
    x->toks[x->ntok - 1].kw = (uint8_t)kw_lookup(x->s + start, len);
    x->toks[x->ntok - 1].strflags = (any & 0x80) ? DP_PY_NAME_NONASCII : 0;
    return 0;
}

/* ---------------------------------------------------------------- driver */

static int lex_loop(struct lx *x, bool toplevel)
{
    bool atbol = toplevel;
    for (;;) {
        if (atbol) {
            atbol = false;
            if (lex_indent(x) == 1 || x->failed) {
                if (x->failed) return DP_ESYNTAX;
                break;
            }
        }
        while (x->s[x->pos] == ' ') x->pos++;   /* the text ends with a NUL: no bound check */
        while (x->s[x->pos] == '\t' || x->s[x->pos] == '\f' || x->s[x->pos] == ' ') x->pos++;
        if (x->pos >= x->n) break;
        unsigned char c = (unsigned char)x->s[x->pos];
        if (c == '#') {
            const char *nl = memchr(x->s + x->pos, '\n', x->n - x->pos);
            x->pos = nl ? (size_t)(nl - x->s) : x->n;
            continue;
        }
        if (c == '\n') {
            if (x->depth == 0 && toplevel) {
                push_tok(x, DP_PY_TOK_NEWLINE, x->pos, x->pos + 1);
                atbol = true;
            }
            x->pos++;
            continue;
        }
        if (c == '\\') {
            if (x->pos + 1 < x->n && x->s[x->pos + 1] == '\n') {
                x->pos += 2;
                if (x->pos >= x->n) return lx_error_at(x, x->pos - 1, "SyntaxError", "%s", "unexpected EOF while parsing");
                continue;
            }
            return lx_error_at(x, x->pos + 1, "SyntaxError", "%s", "unexpected character after line continuation character");
        }
        int r;
        if (c == 0) r = lx_error_at(x, x->pos, "SyntaxError", "%s", "source code cannot contain null bytes");
        else if (is_id_start(c)) r = lex_name(x);
        else if ((c >= '0' && c <= '9') || (c == '.' && x->pos + 1 < x->n && x->s[x->pos + 1] >= '0' && x->s[x->pos + 1] <= '9'))
            r = lex_number(x);
        else if (c == '\'' || c == '"') r = lex_string(x, x->pos, x->pos, 0);
        else r = lex_op(x);
        if (r) return r;
    }
    if (toplevel && x->depth > 0) {
        char buf[4] = {x->pstack[x->depth - 1], '\'', 0};
        return lx_error_at(x, (size_t)x->pcol[x->depth - 1], "SyntaxError", "'%s was never closed", buf);
    }
    if (toplevel) {
        if (x->ntok > 0 && x->toks[x->ntok - 1].type != DP_PY_TOK_NEWLINE)
            push_tok(x, DP_PY_TOK_NEWLINE, x->n, x->n);
        while (x->nind > 0) {
            x->nind--;
            push_tok(x, DP_PY_TOK_DEDENT, x->n, x->n);
        }
    }
    push_tok(x, DP_PY_TOK_END, x->pos, x->pos);
    return 0;
}

/* Decodes the source and finds the line starts. */
static int normalize(struct dp_arena *a, const char *src, size_t n, const char *path,
                     struct dp_py_lexer_out *o, struct dp_error *e)
{
    char *d;
    size_t k;
    int r = dp_py_source_decode(a, src, n, path, &d, &k, e);
    if (r) return r;
    o->src = d;
    o->len = k;
    /* one pass; room for a line per byte is reserved but only the pages used are touched */
    uint32_t *ls = dp_arena_alloc_raw(a, (k + 3) * sizeof *ls);
    int L = 1;
    ls[0] = ls[1] = 0;
    for (const char *q = d; (q = memchr(q, '\n', (size_t)(d + k - q))) != NULL; q++)
        ls[++L] = (uint32_t)(q - d + 1);
    o->line_start = ls;
    o->nlines = L;
    return 0;
}


/* Token storage comes from the arena, sized from the source length (about one token per five
 * bytes in real code) so that it rarely has to grow. */
static void lx_start(struct lx *x, size_t len)
{
    x->captok = (int)(len / 5 + 64);
    x->toks = dp_arena_alloc_raw(x->a, (size_t)x->captok * sizeof *x->toks);
}

static void lx_finish(struct lx *x, struct dp_py_lexer_out *out)
{
    out->toks = x->toks;
    out->n = x->ntok;
}

int dp_py_lex(struct dp_arena *a, const char *src, size_t n, const char *path, int version,
              struct dp_py_lexer_out *out, struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    int r = normalize(a, src, n, path, out, e);
    if (r) return r;
    out->version = version;
    struct lx x = {.a = a, .s = out->src, .n = out->len, .path = path, .e = e, .out = out,
                   .ls = out->line_start, .nlines = out->nlines, .version = version};
    x.hint = &x.hint_store;
    x.cur_line = 1;
    lx_start(&x, x.n);
    r = lex_loop(&x, true);
    if (r) return r;
    lx_finish(&x, out);
    return 0;
}

int dp_py_lex_range(struct dp_arena *a, const struct dp_py_lexer_out *whole, uint32_t start,
                    uint32_t end, const char *path, struct dp_py_lexer_out *out,
                    struct dp_error *e)
{
    *out = *whole;
    out->toks = NULL;
    out->n = 0;
    struct lx x = {.a = a, .s = whole->src, .n = end, .pos = start, .path = path, .e = e,
                   .out = out, .ls = whole->line_start, .nlines = whole->nlines,
                   .version = whole->version};
    x.hint = &x.hint_store;
    x.cur_line = 1;
    x.depth = 1;
    x.pstack[0] = '(';
    lx_start(&x, end - start);
    int r = lex_loop(&x, false);
    if (!r && x.depth != 1) {
        /* an unclosed bracket inside an f-string field */
        r = lx_error_at(&x, (size_t)x.pcol[x.depth - 1], "SyntaxError", "%s", "f-string: expecting '}'");
    }
    if (r) return r;
    lx_finish(&x, out);
    return 0;
}
