/* Python tokenizer: source bytes -> a flat array of tokens (NAME, NUMBER, STRING, OP, NEWLINE,
 * INDENT, DEDENT, ENDMARKER) with CPython's positions. An f-string is one STRING token (its
 * replacement fields are split by the parser, py/parse_str.c); nested quotes are allowed as in
 * Python 3.12. Not here: literal values (py/literal.c) and grammar (py/parse*.c). */
#ifndef DP_PY_LEX_H
#define DP_PY_LEX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

enum dp_py_tok_type {
    DP_PY_TOK_END, DP_PY_TOK_NAME, DP_PY_TOK_NUMBER, DP_PY_TOK_STRING, DP_PY_TOK_OP,
    DP_PY_TOK_NEWLINE, DP_PY_TOK_INDENT, DP_PY_TOK_DEDENT
};

/* Operators and delimiters; order matters only for the name table in lex.c. */
enum dp_py_op {
    DP_PY_OP_NONE,
    DP_PY_OP_LPAR, DP_PY_OP_RPAR, DP_PY_OP_LSQB, DP_PY_OP_RSQB, DP_PY_OP_LBRACE, DP_PY_OP_RBRACE,
    DP_PY_OP_COLON, DP_PY_OP_COMMA, DP_PY_OP_SEMI, DP_PY_OP_PLUS, DP_PY_OP_MINUS, DP_PY_OP_STAR,
    DP_PY_OP_SLASH, DP_PY_OP_VBAR, DP_PY_OP_AMPER, DP_PY_OP_LESS, DP_PY_OP_GREATER,
    DP_PY_OP_EQUAL, DP_PY_OP_DOT, DP_PY_OP_PERCENT, DP_PY_OP_EQEQUAL, DP_PY_OP_NOTEQUAL,
    DP_PY_OP_LESSEQUAL, DP_PY_OP_GREATEREQUAL, DP_PY_OP_TILDE, DP_PY_OP_CIRCUMFLEX,
    DP_PY_OP_LEFTSHIFT, DP_PY_OP_RIGHTSHIFT, DP_PY_OP_DOUBLESTAR, DP_PY_OP_PLUSEQUAL,
    DP_PY_OP_MINEQUAL, DP_PY_OP_STAREQUAL, DP_PY_OP_SLASHEQUAL, DP_PY_OP_PERCENTEQUAL,
    DP_PY_OP_AMPEREQUAL, DP_PY_OP_VBAREQUAL, DP_PY_OP_CIRCUMFLEXEQUAL, DP_PY_OP_LEFTSHIFTEQUAL,
    DP_PY_OP_RIGHTSHIFTEQUAL, DP_PY_OP_DOUBLESTAREQUAL, DP_PY_OP_DOUBLESLASH,
    DP_PY_OP_DOUBLESLASHEQUAL, DP_PY_OP_AT, DP_PY_OP_ATEQUAL, DP_PY_OP_RARROW,
    DP_PY_OP_ELLIPSIS, DP_PY_OP_COLONEQUAL, DP_PY_OP_EXCLAMATION,
    DP_PY_OP_COUNT
};

/* Keywords (hard) and soft keywords; a NAME token carries one of these or DP_PY_KW_NONE. */
enum dp_py_kw {
    DP_PY_KW_NONE,
    DP_PY_KW_False, DP_PY_KW_None, DP_PY_KW_True, DP_PY_KW_and, DP_PY_KW_as, DP_PY_KW_assert,
    DP_PY_KW_async, DP_PY_KW_await, DP_PY_KW_break, DP_PY_KW_class, DP_PY_KW_continue,
    DP_PY_KW_def, DP_PY_KW_del, DP_PY_KW_elif, DP_PY_KW_else, DP_PY_KW_except,
    DP_PY_KW_finally, DP_PY_KW_for, DP_PY_KW_from, DP_PY_KW_global, DP_PY_KW_if,
    DP_PY_KW_import, DP_PY_KW_in, DP_PY_KW_is, DP_PY_KW_lambda, DP_PY_KW_nonlocal,
    DP_PY_KW_not, DP_PY_KW_or, DP_PY_KW_pass, DP_PY_KW_raise, DP_PY_KW_return, DP_PY_KW_try,
    DP_PY_KW_while, DP_PY_KW_with, DP_PY_KW_yield,
    DP_PY_KW_SOFT,   /* below: soft keywords, also valid names */
    DP_PY_KW_match, DP_PY_KW_case, DP_PY_KW_type, DP_PY_KW__
};

enum dp_py_strflag {
    DP_PY_STR_RAW = 1, DP_PY_STR_BYTES = 2, DP_PY_STR_F = 4, DP_PY_STR_U = 8,
    DP_PY_STR_TRIPLE = 16,
    DP_PY_NAME_NONASCII = 32   /* on NAME tokens: the name has non-ASCII characters (NFKC applies) */
};

struct dp_py_tok {
    uint8_t type;         /* enum dp_py_tok_type */
    uint8_t op;           /* enum dp_py_op for OP tokens */
    uint8_t kw;           /* enum dp_py_kw for NAME tokens */
    uint8_t strflags;     /* enum dp_py_strflag for STRING tokens */
    uint32_t start, end;  /* byte span in the (normalized) source */
    int line, col;        /* start: 1-based line, 0-based byte column */
    int end_line, end_col;
    uint32_t spare_;      /* pads a token to 32 bytes: the parser indexes tokens by shifting */
};

struct dp_py_lexer_out {
    struct dp_py_tok *toks;  /* arena-owned */
    int n;
    const char *src;         /* normalized source: \r\n and \r -> \n, BOM dropped, ends with \n */
    size_t len;
    const uint32_t *line_start;  /* byte offset of each line's start; [0] unused, [1] = 0 */
    int nlines;
    int version;             /* 311 or 312: f-string tokenization rules */
    bool utf8_ok;            /* src is valid UTF-8 throughout */
};

/* Tokenizes src[0..n). On error returns DP_ESYNTAX with e filled (line, 1-based col in
 * characters, "SyntaxError: ..." / "IndentationError: ..." / "TabError: ..."). */
int dp_py_lex(struct dp_arena *a, const char *src, size_t n, const char *path, int version,
              struct dp_py_lexer_out *out, struct dp_error *e);

/* Like dp_py_lex, but out->toks is malloc'd and the caller frees it (everything else stays in
 * the arena): a parser that drops its tokens when done reuses that memory for the next file
 * instead of growing the arena by several times the source size. Freed here on error. */
int dp_py_lex_heap(struct dp_arena *a, const char *src, size_t n, const char *path, int version,
                   struct dp_py_lexer_out *out, struct dp_error *e);

/* Tokenizes an expression embedded in an f-string: src[start..end) of an already normalized
 * source, as if inside parentheses (newlines are ignored), positions relative to that source.
 * Appends no NEWLINE/INDENT tokens; ends with ENDMARKER. */
int dp_py_lex_range(struct dp_arena *a, const struct dp_py_lexer_out *whole, uint32_t start,
                    uint32_t end, const char *path, struct dp_py_lexer_out *out,
                    struct dp_error *e);

/* 1-based character column of byte offset off on line `line` (for error messages). */
int dp_py_char_col(const struct dp_py_lexer_out *lx, int line, uint32_t off);
const char *dp_py_op_str(int op);
const char *dp_py_kw_str(int kw);

#endif
