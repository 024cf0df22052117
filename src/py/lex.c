/* Python tokenizer (see lex.h). The source is first normalized (BOM, newlines, a coding cookie)
 * and its line starts found in the same pass (py/source.c), then scanned once into a token
 * array the parser can back up in freely. The scan keeps its cursor in locals and handles the
 * common tokens inline; rarer ones (prefixed or non-ASCII names, numbers with a tail, changes
 * of indentation, errors) go to helpers. Indentation uses CPython's rule: tabs to multiples of
 * 8, checked against tab size 1 for TabError. Strings and numbers: lex_lit.c. */
#include "py/lex_int.h"
#include "py/source.h"
#include "base/unicode.h"
#include "py/repr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static const char *const op_strs[DP_PY_OP_COUNT] = {
    "", "(", ")", "[", "]", "{", "}", ":", ",", ";", "+", "-", "*", "/", "|", "&", "<", ">", "=",
    ".", "%", "==", "!=", "<=", ">=", "~", "^", "<<", ">>", "**", "+=", "-=", "*=", "/=", "%=",
    "&=", "|=", "^=", "<<=", ">>=", "**=", "//", "//=", "@", "@=", "->", "...", ":=", "!",
};
static const unsigned char op_len[DP_PY_OP_COUNT] = {
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 2, 3, 1, 2, 2, 3, 2, 1,
};

/* zero-padded to 8 bytes so that a keyword compares as one word */
static const char kw_strs[][9] = {
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

/* p[0..n) is a name in the padded source text (8 bytes from p can be read) */
static inline int kw_lookup(const unsigned char *p, size_t n)
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
    /* the lengths of the keywords that start with each letter: most names are rejected here */
    static const uint16_t lens[128] = {
        ['F'] = 1 << 5, ['N'] = 1 << 4, ['T'] = 1 << 4, ['_'] = 1 << 1,
        ['a'] = 1 << 2 | 1 << 3 | 1 << 5 | 1 << 6, ['b'] = 1 << 5, ['c'] = 1 << 4 | 1 << 5 | 1 << 8,
        ['d'] = 1 << 3, ['e'] = 1 << 4 | 1 << 6, ['f'] = 1 << 3 | 1 << 4 | 1 << 7, ['g'] = 1 << 6,
        ['i'] = 1 << 2 | 1 << 6, ['l'] = 1 << 6, ['m'] = 1 << 5, ['n'] = 1 << 3 | 1 << 8,
        ['o'] = 1 << 2, ['p'] = 1 << 4, ['r'] = 1 << 5 | 1 << 6, ['t'] = 1 << 3 | 1 << 4,
        ['w'] = 1 << 4 | 1 << 5, ['y'] = 1 << 5,
    };
    if (n > 8 || p[0] >= 128 || !(lens[p[0]] >> n & 1)) return DP_PY_KW_NONE;
    int k = by_hash[(p[0] * 13u + p[n - 1] * 3u + (unsigned)n) % 128u];
    if (!k || kw_len[k] != n) return DP_PY_KW_NONE;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w, want;
    memcpy(&w, p, 8);
    memcpy(&want, kw_strs[k], 8);
    return ((w ^ want) & (~0ull >> (64 - 8 * n))) == 0 ? k : DP_PY_KW_NONE;
#else
    return memcmp(kw_strs[k], p, n) == 0 ? k : DP_PY_KW_NONE;
#endif
}

/* ---------------------------------------------------------------- tables */

/* character classes: 1 identifier start (ASCII letters, '_', any non-ASCII byte), 2 digit */
#define CC(c) ((((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '_' || (c) >= 0x80) ? 1 \
               : ((c) >= '0' && (c) <= '9') ? 2 : 0)
#define CC4(c) CC(c), CC(c + 1), CC(c + 2), CC(c + 3)
#define CC16(c) CC4(c), CC4(c + 4), CC4(c + 8), CC4(c + 12)
#define CC64(c) CC16(c), CC16(c + 16), CC16(c + 32), CC16(c + 48)
const unsigned char lx_cclass[256] = {CC64(0), CC64(64), CC64(128), CC64(192)};

#if !defined(__SSE2__)
/* ASCII identifier characters (the inline name scan without SSE2) */
#define ID(c) ((((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || (c) == '_' || ((c) >= '0' && (c) <= '9')) ? 1 : 0)
#define ID4(c) ID(c), ID(c + 1), ID(c + 2), ID(c + 3)
#define ID16(c) ID4(c), ID4(c + 4), ID4(c + 8), ID4(c + 12)
#define ID64(c) ID16(c), ID16(c + 16), ID16(c + 32), ID16(c + 48)
static const unsigned char idchar[256] = {ID64(0), ID64(64), ID64(128), ID64(192)};
#endif

/* case labels for the main loop's dispatch, which switches on the byte itself (one jump
 * table; an operator's code is specialized for its first character) */
#define CASE_LOWER case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g': case 'h': \
    case 'i': case 'j': case 'k': case 'l': case 'm': case 'n': case 'o': case 'p': case 'q': \
    case 'r': case 's': case 't': case 'u': case 'v': case 'w': case 'x': case 'y': case 'z'
#define CASE_UPPER case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': case 'G': case 'H': \
    case 'I': case 'J': case 'K': case 'L': case 'M': case 'N': case 'O': case 'P': case 'Q': \
    case 'R': case 'S': case 'T': case 'U': case 'V': case 'W': case 'X': case 'Y': case 'Z'
#define CASE_DIGIT case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': \
    case '8': case '9'

/* ---------------------------------------------------------------- operators */

/* longest operator starting with c, c1, c2 (0 past the end of the text), or 0 */
static inline __attribute__((always_inline)) int match_op(unsigned char c, unsigned char c1, unsigned char c2)
{
    bool eq = c1 == '=';
    switch (c) {
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

/* ---------------------------------------------------------------- names */

/* A name the inline scan does not take: non-ASCII, or a possible string prefix. */
static int lex_name(struct lx *x)
{
    size_t start = x->pos;
    unsigned char any = 0;
    const unsigned char *s = (const unsigned char *)x->s;   /* NUL-terminated */
    size_t i = x->pos;
    while (lx_cclass[s[i]]) any |= s[i++];
    x->pos = i < x->n ? i : x->n;
    size_t len = x->pos - start;
    lx_grow(x, 1);
    if (x->pos < x->n && (x->s[x->pos] == '\'' || x->s[x->pos] == '"') && len <= 2) {
        int fl = 0;
        bool ok = true;
        for (size_t k = start; k < x->pos; k++) {
            char c = (char)(x->s[k] | 0x20);
            int b = c == 'r' ? DP_PY_STR_RAW : c == 'b' ? DP_PY_STR_BYTES : c == 'f' ? DP_PY_STR_F
                  : c == 'u' ? DP_PY_STR_U : 0;
            if (!b || (fl & b)) ok = false;
            fl |= b;
        }
        if ((fl & DP_PY_STR_U) && len > 1) ok = false;
        if ((fl & DP_PY_STR_BYTES) && (fl & DP_PY_STR_F)) ok = false;
        if (ok) {
            int r = lx_string(x, start, x->pos, fl, &fl);
            if (r) return r;
            lx_push(x, DP_PY_TOK_STRING, start, x->pos)->strflags = (uint8_t)fl;
            return 0;
        }
    }
    /* identifiers beyond ASCII: valid UTF-8, and each character XID */
    size_t at, blen;
    const char *why;
    if ((any & 0x80) && !x->utf8_ok &&
        dp_py_utf8_problem((const unsigned char *)x->s + start, x->pos - start, &at, &blen, &why)) {
        int line = lx_line_of(x, start);
        return lx_utf8_error(x, line, (int)(start + at - x->ls[line]) + 1, (const unsigned char *)x->s + start, at,
                             blen, why);
    }
    for (size_t k = start; (any & 0x80) && k < x->pos; k++) {
        unsigned char c = (unsigned char)x->s[k];
        if (c < 0x80) continue;
        size_t nb = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        uint32_t cp = 0;
        if (nb == 2) cp = ((uint32_t)(c & 0x1F) << 6) | (x->s[k + 1] & 0x3F);
        else if (nb == 3) cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(x->s[k + 1] & 0x3F) << 6) | (x->s[k + 2] & 0x3F);
        else if (nb == 4) cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(x->s[k + 1] & 0x3F) << 12) | ((uint32_t)(x->s[k + 2] & 0x3F) << 6) | (x->s[k + 3] & 0x3F);
        bool ok = k == start ? dp_unicode_xid_start(cp) : dp_unicode_xid_continue(cp);
        if (!ok) {
            char buf[80], ch[8] = {0};
            memcpy(ch, x->s + k, nb);
            if (dp_py_isprintable(cp)) {
                snprintf(buf, sizeof buf, "'%s' (U+%04X)", ch, cp);
                return lx_error_at(x, k, "SyntaxError", "invalid character %s", buf);
            }
            snprintf(buf, sizeof buf, "U+%04X", cp);
            return lx_error_at(x, k, "SyntaxError", "invalid non-printable character %s", buf);
        }
        k += nb - 1;
    }
    struct dp_py_tok *t = lx_push(x, DP_PY_TOK_NAME, start, x->pos);
    t->kw = (uint8_t)kw_lookup(s + start, len);
    t->strflags = (any & 0x80) ? DP_PY_NAME_NONASCII : 0;
    return 0;
}

/* ---------------------------------------------------------------- driver */

/* blanks between tokens */
#define BL(c) ((c) == ' ' || (c) == '\t' || (c) == '\f')
#define BL4(c) BL(c), BL(c + 1), BL(c + 2), BL(c + 3)
#define BL16(c) BL4(c), BL4(c + 4), BL4(c + 8), BL4(c + 12)
#define BL64(c) BL16(c), BL16(c + 16), BL16(c + 32), BL16(c + 48)
static const unsigned char blank[256] = {BL64(0), BL64(64), BL64(128), BL64(192)};

/* bytes after a name that need a closer look: non-ASCII (the name goes on), quotes (a prefix) */
#define NS(c) ((c) >= 0x80 || (c) == '\'' || (c) == '"')
#define NS4(c) NS(c), NS(c + 1), NS(c + 2), NS(c + 3)
#define NS16(c) NS4(c), NS4(c + 4), NS4(c + 8), NS4(c + 12)
#define NS64(c) NS16(c), NS16(c + 16), NS16(c + 32), NS16(c + 48)
static const unsigned char namestop[256] = {NS64(0), NS64(64), NS64(128), NS64(192)};

/* The end of the ASCII identifier characters from s[i], 16 bytes at a time (the text is padded
 * with zeros, which end any name). */
static inline size_t scan_ident(const unsigned char *s, size_t i)
{
#if defined(__SSE2__)
    const __m128i lower = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'), z = _mm_set1_epi8(25);
    const __m128i d0 = _mm_set1_epi8('0'), d9 = _mm_set1_epi8(9), us = _mm_set1_epi8('_');
    for (;;) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* x in [lo, lo + k] as unsigned bytes: max(x - lo, k) == k */
        __m128i l = _mm_sub_epi8(_mm_or_si128(v, lower), a);
        __m128i d = _mm_sub_epi8(v, d0);
        __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(l, z), z),
                                               _mm_cmpeq_epi8(_mm_max_epu8(d, d9), d9)),
                                  _mm_cmpeq_epi8(v, us));
        unsigned m = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
        if (m) return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#else
    while (idchar[s[i]]) i++;
    return i;
#endif
}

/* The main loop's line cursor: the line holding the scan position, its start and the next
 * line's. Tokens come in source order, so it only moves forward. */
struct cursor {
    int line;
    uint32_t cur, next;
};

static inline void cursor_seek(struct cursor *c, const uint32_t *ls, int nlines, size_t off)
{
    if (off < c->next) return;
    do c->line++; while (c->line < nlines && ls[c->line + 1] <= off);
    c->cur = ls[c->line];
    c->next = c->line < nlines ? ls[c->line + 1] : UINT32_MAX;
}

static inline struct dp_py_tok *emit(struct dp_py_tok *t, int type, size_t start, size_t end,
                                     const struct cursor *c)
{
    t->type = (uint8_t)type;
    t->op = t->kw = t->strflags = 0;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->line = c->line;
    t->col = (int)((uint32_t)start - c->cur);
    t->end_line = c->line;
    t->end_col = (int)((uint32_t)end - c->cur);
    return t;
}

/* Where a logical line starts: blank and comment-only lines, then the indentation, in spaces,
 * of the line that follows, with INDENT or DEDENT tokens where it changes. Tabs, form feeds,
 * inconsistencies and the end of the text go to lx_indent. Returns 0, 1 at the end of the text
 * or DP_ESYNTAX. */
static inline int indentation(struct lx *x, const unsigned char *s, size_t *ppos,
                              struct dp_py_tok **pt, struct dp_py_tok **ptlim, struct cursor *cur)
{
    size_t pos = *ppos;
    for (;;) {
        size_t st = pos;
        pos = lx_skip_spaces(s, pos);
        unsigned char c = s[pos];
        if (c == '#' || c == '\n') {   /* a line without tokens */
            const unsigned char *nl = c == '\n' ? s + pos : memchr(s + pos, '\n', x->n - pos);
            if (!nl) { pos = st; break; }
            pos = (size_t)(nl - s) + 1;
            cursor_seek(cur, x->ls, x->nlines, pos);
            continue;
        }
        if (pos >= x->n || c == '\t' || c == '\f') { pos = st; break; }
        int col = (int)(pos - st), k = x->nind;
        if (col == x->ind[k] && col == x->altind[k]) {   /* the same level: no token */
            *ppos = pos;
            return 0;
        }
        if (col > x->ind[k]) {
            if (k >= LX_MAX_INDENT || col <= x->altind[k]) { pos = st; break; }
            x->nind = ++k;
            x->ind[k] = x->altind[k] = col;
            emit((*pt)++, DP_PY_TOK_INDENT, st, pos, cur);   /* the line's room comes after */
            *ppos = pos;
            return 0;
        }
        while (k > 0 && col < x->ind[k]) k--;
        if (col != x->ind[k] || col != x->altind[k]) { pos = st; break; }
        if (*ptlim - *pt < x->nind - k + 3) {
            x->ntok = (int)(*pt - x->toks);
            lx_grow(x, x->nind - k + 3);
            *pt = x->toks + x->ntok;
            *ptlim = x->toks + x->captok;
        }
        for (; x->nind > k; x->nind--) emit((*pt)++, DP_PY_TOK_DEDENT, pos, pos, cur);
        *ppos = pos;
        return 0;
    }
    /* anything else, from the start of the line the fast path stopped at */
    x->pos = pos;
    x->ntok = (int)(*pt - x->toks);
    x->hint = cur->line;
    int r = lx_indent(x);
    if (x->failed) return DP_ESYNTAX;
    *ppos = x->pos;
    *pt = x->toks + x->ntok;
    *ptlim = x->toks + x->captok;
    cursor_seek(cur, x->ls, x->nlines, x->pos);
    return r;
}

/* The scan, one physical line at a time: indentation where a logical line starts, room for as
 * many tokens as the line has bytes (each token takes at least one), then the tokens. Helpers
 * that work on x get the cursor handed over (SAVE) and back (LOAD); one that may have crossed
 * a line ends the line's inner loop. toplevel: a file (NEWLINE, INDENT, DEDENT and a NUL at
 * the end) rather than an f-string field (a range that ends at x->n). */
static inline __attribute__((always_inline)) int lex_run(struct lx *x, const bool toplevel)
{
    const unsigned char *s = (const unsigned char *)x->s;
    const size_t n = x->n;
    const uint32_t *ls = x->ls;
    const int nlines = x->nlines;
    size_t pos = x->pos;
    struct dp_py_tok *t = x->toks + x->ntok, *tlim = x->toks + x->captok;
    struct cursor cur;
    cur.line = lx_line_of(x, pos);
    cur.cur = ls[cur.line];
    cur.next = cur.line < nlines ? ls[cur.line + 1] : UINT32_MAX;
    bool bol = toplevel;
    int r;
#define SAVE() (x->pos = pos, x->ntok = (int)(t - x->toks), x->hint = cur.line)
#define LOAD() (pos = x->pos, t = x->toks + x->ntok, tlim = x->toks + x->captok)
    /* an operator's code for its first character; the text ends with zeros, a range at n */
#define OP_AT(ch)                                                                             \
        o = match_op(ch, toplevel || pos + 1 < n ? s[pos + 1] : 0,                            \
                     toplevel || pos + 2 < n ? s[pos + 2] : 0);                               \
        goto op
#define OP(ch) case ch: OP_AT(ch)
    for (;;) {
        if (bol) {
            bol = false;
            r = indentation(x, s, &pos, &t, &tlim, &cur);
            if (r < 0) return r;
            if (r == 1) goto done;
        }
        size_t room = (cur.next < n ? cur.next : n) - pos + 3;
        if ((size_t)(tlim - t) < room) {
            SAVE();
            lx_grow(x, (int)room);
            LOAD();
        }
        for (;;) {
            unsigned char c = s[pos];   /* the text ends with a NUL: no bound check */
            while (blank[c]) c = s[++pos];
            if (!toplevel && pos >= n) goto done;
            size_t st = pos;
            int o;
            switch (c) {
            CASE_LOWER: CASE_UPPER: case '_': {
                size_t i = scan_ident(s, pos + 1);
                unsigned char d = s[i];
                /* a toplevel text ends with a newline: a name never reaches its end */
                if (namestop[d] && (d >= 0x80 || i - pos <= 2)) goto name;
                if (!toplevel && i >= n) goto name;
                emit(t++, DP_PY_TOK_NAME, st, i, &cur)->kw = (uint8_t)kw_lookup(s + st, i - st);
                pos = i;
                continue;
            }
            name:
                SAVE();
                r = lex_name(x);
                if (r) return r;
                LOAD();
                cursor_seek(&cur, ls, nlines, pos);   /* a prefixed string may span lines */
                goto next_line;
            CASE_DIGIT: {
                size_t i = pos + 1;
                while ((unsigned)(s[i] - '0') < 10u) i++;
                unsigned char d = s[i];
                /* a plain decimal int; anything else (a tail, leading zeros) is checked in full */
                if (i >= n || d == '.' || lx_is_id_start(d) || (c == '0' && i > pos + 1)) goto number;
                emit(t++, DP_PY_TOK_NUMBER, st, i, &cur);
                pos = i;
                continue;
            }
            case '.':
                if (pos + 1 < n && s[pos + 1] >= '0' && s[pos + 1] <= '9') goto number;
                OP_AT('.');
            number:
                SAVE();
                r = lx_number(x);
                if (r) return r;
                pos = x->pos;
                emit(t++, DP_PY_TOK_NUMBER, st, pos, &cur);
                continue;
            case '\'': case '"': {
#if defined(__SSE2__)
                /* the common literal: no prefix, one line, no escape; the first quote, backslash
                 * or newline after the opening quote tells (the text ends with a newline) */
                if (s[pos + 1] != c && x->utf8_ok) {
                    const __m128i q = _mm_set1_epi8((char)c), bs = _mm_set1_epi8('\\');
                    const __m128i nl = _mm_set1_epi8('\n');
                    size_t e = pos + 1;
                    for (;;) {
                        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + e));
                        unsigned bits = (unsigned)_mm_movemask_epi8(
                            _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_or_si128(_mm_cmpeq_epi8(v, bs),
                                                                            _mm_cmpeq_epi8(v, nl))));
                        if (bits) { e += (size_t)__builtin_ctz(bits) + 1; break; }
                        e += 16;
                    }
                    if (s[e - 1] == c && e <= n) {
                        emit(t++, DP_PY_TOK_STRING, st, e, &cur);
                        pos = e;
                        continue;
                    }
                }
#endif
                int fl;
                SAVE();
                r = lx_string(x, st, st, 0, &fl);
                if (r) return r;
                pos = x->pos;
                struct dp_py_tok *tk = emit(t++, DP_PY_TOK_STRING, st, pos, &cur);
                tk->strflags = (uint8_t)fl;
                if (pos > cur.next) {   /* it spans lines: it ends on the line after it */
                    cursor_seek(&cur, ls, nlines, pos);
                    tk->end_line = cur.line;
                    tk->end_col = (int)(pos - cur.cur);
                    goto next_line;
                }
                continue;
            }
            case '\n':
                if (x->depth == 0 && toplevel) {
                    emit(t++, DP_PY_TOK_NEWLINE, st, st + 1, &cur);
                    bol = true;
                }
                pos++;
                cursor_seek(&cur, ls, nlines, pos);
                goto next_line;
            case '#': {
                const unsigned char *nl = memchr(s + pos, '\n', n - pos);
                pos = nl ? (size_t)(nl - s) : n;
                continue;
            }
            case '\\':
                if (pos + 1 < n && s[pos + 1] == '\n') {
                    pos += 2;
                    if (pos >= n) return lx_error_at(x, pos - 1, "SyntaxError", "%s", "unexpected EOF while parsing");
                    cursor_seek(&cur, ls, nlines, pos);
                    goto next_line;
                }
                return lx_error_at(x, pos + 1, "SyntaxError", "%s", "unexpected character after line continuation character");
            case 0:
                if (pos >= n) goto done;   /* the end of the text */
                return lx_error_at(x, pos, "SyntaxError", "%s", "source code cannot contain null bytes");
            case '(': case '[': case '{':
                if (x->depth >= LX_MAX_PAREN) return lx_error_at(x, st, "SyntaxError", "%s", "too many nested parentheses");
                x->pstack[x->depth] = (char)c;
                x->pcol[x->depth++] = (uint32_t)st;
                emit(t++, DP_PY_TOK_OP, st, st + 1, &cur)->op =
                    c == '(' ? DP_PY_OP_LPAR : c == '[' ? DP_PY_OP_LSQB : DP_PY_OP_LBRACE;
                pos++;
                continue;
            case ')': case ']': case '}': {
                char open = x->depth ? x->pstack[x->depth - 1] : 0;
                if ((c == ')' && open != '(') || (c == ']' && open != '[') || (c == '}' && open != '{')) {
                    SAVE();
                    return lx_bad_close(x);
                }
                x->depth--;
                emit(t++, DP_PY_TOK_OP, st, st + 1, &cur)->op =
                    c == ')' ? DP_PY_OP_RPAR : c == ']' ? DP_PY_OP_RSQB : DP_PY_OP_RBRACE;
                pos++;
                continue;
            }
            OP(','); OP(';'); OP('~'); OP(':'); OP('+'); OP('%'); OP('&'); OP('|'); OP('^');
            OP('@'); OP('='); OP('!'); OP('-'); OP('*'); OP('/'); OP('<'); OP('>');
            op: {
                if (o == DP_PY_OP_LESS && pos + 1 < n && s[pos + 1] == '>') {
                    /* '<>' is a token (PEP 401) that no rule accepts */
                    emit(t++, DP_PY_TOK_OP, st, st + 2, &cur);
                    pos += 2;
                    continue;
                }
                pos += op_len[o];
                emit(t++, DP_PY_TOK_OP, st, pos, &cur)->op = (uint8_t)o;
                continue;
            }
            default:
                if (c >= 0x80) goto name;
                SAVE();
                return lx_bad_char(x);
            }
        }
    next_line:;
    }
done:
#undef SAVE
#undef LOAD
#undef OP
#undef OP_AT
    x->pos = pos;
    x->ntok = (int)(t - x->toks);
    x->hint = cur.line;
    if (toplevel && x->depth > 0) {
        char buf[4] = {x->pstack[x->depth - 1], '\'', 0};
        return lx_error_at(x, (size_t)x->pcol[x->depth - 1], "SyntaxError", "'%s was never closed", buf);
    }
    lx_grow(x, x->nind + 2);
    if (toplevel) {
        if (x->ntok > 0 && x->toks[x->ntok - 1].type != DP_PY_TOK_NEWLINE)
            lx_push(x, DP_PY_TOK_NEWLINE, x->n, x->n);
        while (x->nind > 0) {
            x->nind--;
            lx_push(x, DP_PY_TOK_DEDENT, x->n, x->n);
        }
    }
    lx_push(x, DP_PY_TOK_END, x->pos, x->pos);
    return 0;
}

static int lex_file(struct lx *x) { return lex_run(x, true); }
static int lex_field(struct lx *x) { return lex_run(x, false); }

/* Token storage comes from the arena (or the heap), sized from the source length (about one
 * token per eight bytes in real code, one per four in tables of numbers) so that it rarely has
 * to grow. */
static void lx_start(struct lx *x, size_t len)
{
    x->captok = (int)(len / 4 + 64);
    x->toks = x->heap ? dp_xmalloc((size_t)x->captok * sizeof *x->toks)
                      : dp_arena_alloc_raw(x->a, (size_t)x->captok * sizeof *x->toks);
}

static int lex_text(struct dp_arena *a, const char *src, size_t n, const char *path, int version,
                    bool heap, struct dp_py_lexer_out *out, struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    struct dp_py_text text;
    int r = dp_py_source_prepare(a, src, n, path, &text, e);
    if (r) return r;
    out->src = text.s;
    out->len = text.len;
    out->line_start = text.line_start;
    out->nlines = text.nlines;
    out->utf8_ok = text.utf8_ok;
    out->version = version;
    struct lx x = {.a = a, .s = out->src, .n = out->len, .path = path, .e = e,
                   .ls = out->line_start, .nlines = out->nlines, .version = version,
                   .utf8_ok = text.utf8_ok, .heap = heap};
    lx_start(&x, x.n);
    r = lex_file(&x);
    if (r) {
        if (heap) free(x.toks);
        return r;
    }
    out->toks = x.toks;
    out->n = x.ntok;
    return 0;
}

int dp_py_lex(struct dp_arena *a, const char *src, size_t n, const char *path, int version,
              struct dp_py_lexer_out *out, struct dp_error *e)
{
    return lex_text(a, src, n, path, version, false, out, e);
}

int dp_py_lex_heap(struct dp_arena *a, const char *src, size_t n, const char *path, int version,
                   struct dp_py_lexer_out *out, struct dp_error *e)
{
    return lex_text(a, src, n, path, version, true, out, e);
}

int dp_py_lex_range(struct dp_arena *a, const struct dp_py_lexer_out *whole, uint32_t start,
                    uint32_t end, const char *path, struct dp_py_lexer_out *out,
                    struct dp_error *e)
{
    *out = *whole;
    out->toks = NULL;
    out->n = 0;
    struct lx x = {.a = a, .s = whole->src, .n = end, .pos = start, .path = path, .e = e,
                   .ls = whole->line_start, .nlines = whole->nlines,
                   .version = whole->version, .utf8_ok = whole->utf8_ok};
    x.depth = 1;
    x.pstack[0] = '(';
    lx_start(&x, end - start);
    int r = lex_field(&x);
    if (!r && x.depth != 1) {
        /* an unclosed bracket inside an f-string field */
        r = lx_error_at(&x, (size_t)x.pcol[x.depth - 1], "SyntaxError", "%s", "f-string: expecting '}'");
    }
    if (r) return r;
    out->toks = x.toks;
    out->n = x.ntok;
    return 0;
}
