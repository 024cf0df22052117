/* Internal to the tokenizer (lex.c: driver, names, operators, indentation; lex_lit.c: strings,
 * f-string fields and numbers): the tokenizer state and the helpers the two files share. The
 * hot loop in lex.c keeps its cursor in locals and pushes tokens itself; the helpers here work
 * on struct lx and push with lx_push (a few tokens: indentation, prefixed strings). */
#ifndef DP_PY_LEX_INT_H
#define DP_PY_LEX_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "py/lex.h"

#define LX_MAX_INDENT 100
#define LX_MAX_PAREN 200

struct lx {
    struct dp_arena *a;
    const char *s;            /* normalized source, NUL-terminated, 16 zero bytes of padding */
    size_t n, pos;
    const char *path;
    struct dp_error *e;
    struct dp_py_tok *toks;   /* arena-owned (or malloc'd); grown when the estimate is short */
    int ntok, captok;
    const uint32_t *ls;       /* line starts */
    int nlines;
    int depth;                /* bracket depth */
    char pstack[LX_MAX_PAREN];
    uint32_t pcol[LX_MAX_PAREN];   /* offset of each open bracket */
    int ind[LX_MAX_INDENT + 1], altind[LX_MAX_INDENT + 1], nind;
    int version;              /* 311: f-strings end at their first closing quote; 312: PEP 701 */
    int hint;                 /* lx_line_of's cache: the line found last */
    bool utf8_ok;             /* the whole text is valid UTF-8: no token needs checking */
    bool heap;                /* toks is malloc'd (dp_py_lex_heap), not arena-owned */
    bool failed;
};

/* character classes: 1 identifier start (ASCII letters, '_', any non-ASCII byte), 2 digit */
extern const unsigned char lx_cclass[256];
static inline bool lx_is_id_start(unsigned char c) { return lx_cclass[c] == 1; }
static inline bool lx_is_id_char(unsigned char c) { return lx_cclass[c] != 0; }

/* The end of a run of spaces at s[pos] (indentation: often 4 to 12 of them); the text ends with
 * a NUL and padding, so whole words can be read. */
static inline size_t lx_skip_spaces(const unsigned char *s, size_t pos)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (;;) {
        uint64_t w;
        memcpy(&w, s + pos, 8);
        w ^= 0x2020202020202020ull;
        if (w) return pos + (size_t)__builtin_ctzll(w) / 8;
        pos += 8;
    }
#else
    while (s[pos] == ' ') pos++;
    return pos;
#endif
}

int lx_line_of(struct lx *x, size_t off);   /* 1-based line of byte offset off */
/* Error at byte offset off: sets e (column in characters) and returns DP_ESYNTAX. */
int lx_error_at(struct lx *x, size_t off, const char *cls, const char *fmt, const char *arg);
/* "(unicode error) 'utf-8' codec can't decode ..." at 1-based byte column col of line */
int lx_utf8_error(struct lx *x, int line, int col, const unsigned char *data, size_t at, size_t len,
                  const char *why);
void lx_grow(struct lx *x, int more);    /* room for `more` tokens after x->ntok */
/* Appends a token (room must exist), line and columns found with lx_line_of. */
struct dp_py_tok *lx_push(struct lx *x, int type, size_t start, size_t end);

/* lex_aux.c: a byte at x->pos that starts no token, a closing bracket that matches nothing open;
 * both return DP_ESYNTAX. At the start of a logical line: indentation (INDENT/DEDENT pushed),
 * blank and comment-only lines skipped; returns 1 at the end of the text. */
int lx_bad_char(struct lx *x);
int lx_bad_close(struct lx *x);
int lx_indent(struct lx *x);

/* lex_lit.c. A string literal whose prefix starts at start and opening quote is at qpos: scans
 * it (x->pos ends after the closing quote), checks its text is UTF-8 and sets *flags to the
 * token's strflags. The caller pushes the token. Returns 0 or DP_ESYNTAX. */
int lx_string(struct lx *x, size_t start, size_t qpos, int flags, int *outflags);
/* A number at x->pos (a digit, or '.' and a digit): x->pos ends after it; the caller pushes. */
int lx_number(struct lx *x);

#endif
