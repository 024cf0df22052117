/* Tokenizer, the slow paths (see lex_int.h): line lookups and error messages with CPython's
 * positions, token storage that grows, changes of indentation (INDENT/DEDENT, blank and
 * comment-only lines, TabError) and bytes that start no token. The hot loop is in lex.c. */
#include "py/lex_int.h"
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- positions and errors */

int dp_py_char_col(const struct dp_py_lexer_out *lx, int line, uint32_t off)
{
    if (line < 1 || line > lx->nlines) return 1;
    uint32_t s = lx->line_start[line];
    int col = 1;
    for (uint32_t i = s; i < off && i < lx->len; i++)
        if (((unsigned char)lx->src[i] & 0xC0) != 0x80) col++;
    return col;
}

int lx_line_of(struct lx *x, size_t off)
{
    int lo = 1, hi = x->nlines;
    /* lookups come mostly in order: try the hint's line and the next few first */
    int h = x->hint;
    if (h >= 1 && h <= x->nlines && x->ls[h] <= off) {
        for (int k = 0; k < 8 && h <= x->nlines; k++, h++)
            if (h == x->nlines || x->ls[h + 1] > off) { x->hint = h; return h; }
        lo = h;
    }
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (x->ls[mid] <= off) lo = mid; else hi = mid - 1;
    }
    x->hint = lo;
    return lo;
}

int lx_error_at(struct lx *x, size_t off, const char *cls, const char *fmt, const char *arg)
{
    if (x->failed) return DP_ESYNTAX;
    x->failed = true;
    int line = lx_line_of(x, off);
    char msg[400];
    snprintf(msg, sizeof msg, fmt, arg);
    struct dp_py_lexer_out tmp = {.src = x->s, .len = x->n, .line_start = x->ls, .nlines = x->nlines};
    dp_error_set(x->e, DP_ESYNTAX, x->path, line, dp_py_char_col(&tmp, line, (uint32_t)off),
                 "%s: %s", cls, msg);
    return DP_ESYNTAX;
}

int lx_utf8_error(struct lx *x, int line, int col, const unsigned char *data, size_t at, size_t len,
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

/* ---------------------------------------------------------------- token storage */

void lx_grow(struct lx *x, int more)
{
    if (x->captok - x->ntok >= more) return;
    int cap = x->captok * 2 > x->ntok + more ? x->captok * 2 : x->ntok + more;
    struct dp_py_tok *t;
    if (x->heap) {
        t = dp_xrealloc(x->toks, (size_t)cap * sizeof *t);
    } else {
        t = dp_arena_alloc_raw(x->a, (size_t)cap * sizeof *t);
        if (x->ntok) memcpy(t, x->toks, (size_t)x->ntok * sizeof *t);
    }
    x->toks = t;
    x->captok = cap;
}

struct dp_py_tok *lx_push(struct lx *x, int type, size_t start, size_t end)
{
    struct dp_py_tok *t = &x->toks[x->ntok++];
    t->type = (uint8_t)type;
    t->op = t->kw = t->strflags = 0;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->line = lx_line_of(x, start);
    t->col = (int)(start - x->ls[t->line]);
    /* only strings can end on another line (a NEWLINE's '\n' is on its own line) */
    t->end_line = type == DP_PY_TOK_STRING ? lx_line_of(x, end - 1) : t->line;
    t->end_col = (int)(end - x->ls[t->end_line]);
    return t;
}

/* a token of one line, on the known line `line` */
static void push_on(struct lx *x, int type, size_t start, size_t end, int line)
{
    struct dp_py_tok *t = &x->toks[x->ntok++];
    t->type = (uint8_t)type;
    t->op = t->kw = t->strflags = 0;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->line = t->end_line = line;
    t->col = (int)(start - x->ls[line]);
    t->end_col = (int)(end - x->ls[line]);
}

/* a byte that starts no token */
int lx_bad_char(struct lx *x)
{
    unsigned char c = (unsigned char)x->s[x->pos];
    char buf[16];
    if (c < 0x80 && c >= 0x20) {
        snprintf(buf, sizeof buf, "%c", c);
        if (c == '$' || c == '?' || c == '`')
            return lx_error_at(x, x->pos, "SyntaxError", "%s", "invalid syntax");
        return lx_error_at(x, x->pos, "SyntaxError", "invalid character '%s'", buf);
    }
    snprintf(buf, sizeof buf, "U+%04X", c);
    return lx_error_at(x, x->pos, "SyntaxError", "invalid non-printable character %s", buf);
}

/* a closing bracket at x->pos with nothing or the wrong bracket open */
int lx_bad_close(struct lx *x)
{
    size_t start = x->pos;
    char c = x->s[start];
    char buf[8] = {c, '\'', 0};
    if (x->depth == 0) return lx_error_at(x, start, "SyntaxError", "unmatched '%s", buf);
    char open = x->pstack[x->depth - 1];
    char msg[160];
    int oline = lx_line_of(x, x->pcol[x->depth - 1]);
    if (oline != lx_line_of(x, start))
        snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d", c, open, oline);
    else
        snprintf(msg, sizeof msg, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
    return lx_error_at(x, start, "SyntaxError", "%s", msg);
}

/* ---------------------------------------------------------------- lines */

/* At the beginning of a logical line: measure indentation, skip blank lines, emit
 * INDENT/DEDENT. Returns 1 when the end of input was reached. x->hint is the line of x->pos. */
int lx_indent(struct lx *x)
{
    const unsigned char *s = (const unsigned char *)x->s;   /* NUL-terminated */
    size_t pos = x->pos;
    int line = x->hint;
    for (;;) {
        int col = 0, alt = 0;
        size_t st = pos;
        for (;;) {
            size_t sp = lx_skip_spaces(s, pos);
            col += (int)(sp - pos);
            alt += (int)(sp - pos);
            pos = sp;
            if (s[pos] == '\t') { col = (col / 8 + 1) * 8; alt++; }
            else if (s[pos] == '\f') { col = alt = 0; }
            else break;
            pos++;
        }
        x->pos = pos;
        if (pos >= x->n) return 1;
        if (s[pos] == '#' || s[pos] == '\n') {   /* a blank or comment-only line */
            const unsigned char *nl = memchr(s + pos, '\n', x->n - pos);
            pos = nl ? (size_t)(nl - s) + 1 : x->n;
            line++;
            continue;
        }
        int top = x->ind[x->nind], atop = x->altind[x->nind];
        if (col == top) {
            if (alt != atop) return lx_error_at(x, st, "TabError", "%s", "inconsistent use of tabs and spaces in indentation");
        } else if (col > top) {
            if (x->nind >= LX_MAX_INDENT) return lx_error_at(x, x->pos, "IndentationError", "%s", "too many levels of indentation");
            if (alt <= atop) return lx_error_at(x, st, "TabError", "%s", "inconsistent use of tabs and spaces in indentation");
            x->nind++;
            x->ind[x->nind] = col;
            x->altind[x->nind] = alt;
            lx_grow(x, 1);
            push_on(x, DP_PY_TOK_INDENT, st, x->pos, line);
        } else {
            lx_grow(x, x->nind);
            while (x->nind > 0 && col < x->ind[x->nind]) {
                x->nind--;
                push_on(x, DP_PY_TOK_DEDENT, x->pos, x->pos, line);
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
