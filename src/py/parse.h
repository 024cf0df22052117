/* Python source -> AST (py/ast.h): a hand-written tokenizer and recursive-descent parser for
 * Python 3.12 syntax that builds the tree CPython's ast.parse builds. Rejected input gets a
 * SyntaxError (or IndentationError / TabError) with CPython's line and column. */
#ifndef DP_PY_PARSE_H
#define DP_PY_PARSE_H
#include <stddef.h>
#include "base/arena.h"
#include "base/error.h"
#include "py/ast.h"

struct dp_py_parse_opts {
    int feature_version;   /* 311 (default when 0) or 312: which ast.dump field set is meant */
    int max_depth;         /* nesting limit (0: 200, like CPython's parser stack limit) */
};

/* Parses src[0..n) (need not be NUL-terminated). The tree and its strings live in arena a; the
 * caller frees them with dp_arena_free. On a syntax error returns DP_ESYNTAX with e->path = path,
 * e->line/e->col = CPython's SyntaxError lineno/offset (1-based, offset in characters) and
 * e->msg = "SyntaxError: reason" (or "IndentationError: ...", "TabError: ..."). */
int dp_py_parse(struct dp_arena *a, const char *src, size_t n, const char *path,
                const struct dp_py_parse_opts *opts, struct dp_py_node **out, struct dp_error *e);

#endif
