/* Python parser, core: errors with CPython's positions, node and list helpers, the entry point
 * (file -> Module) and the depth limit. Statements are in parse_stmt.c, expressions in
 * parse_expr.c and parse_atom.c, strings in parse_str.c, match patterns in parse_pattern.c. */
#include "base/unicode.h"
#include "py/parse.h"
#include "py/parse_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- errors */

void *pp_error_at(struct pp *p, int line, int col_byte, const char *cls, const char *fmt, ...)
{
    if (p->failed) return NULL;
    p->failed = true;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* CPython's parser reports the column in bytes (its tokenizer in characters) */
    dp_error_set(p->e, DP_ESYNTAX, p->path, line, col_byte + 1, "%s: %s", cls, msg);
    return NULL;
}


void *pp_error_tok(struct pp *p, const struct dp_py_tok *t, const char *fmt, ...)
{
    if (p->failed) return NULL;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pp_error_at(p, t->line, t->col, "SyntaxError", "%s", msg);
}

void *pp_error_node(struct pp *p, const struct dp_py_node *n, const char *fmt, ...)
{
    if (p->failed) return NULL;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pp_error_at(p, n->lineno, n->col_offset, "SyntaxError", "%s", msg);
}

void *pp_error_far(struct pp *p, const char *msg)
{
    int far = p->far > p->pos ? p->far : p->pos;
    struct dp_py_tok *t = &p->t[far < p->n ? far : p->n - 1];
    return pp_error_tok(p, t, "%s", msg);
}

void *pp_syntax_error(struct pp *p)
{
    if (p->failed) return NULL;
    int far = p->far > p->pos ? p->far : p->pos;
    struct dp_py_tok *t = &p->t[far < p->n ? far : p->n - 1];
    if (t->type == DP_PY_TOK_INDENT)
        return pp_error_at(p, t->line, t->end_col - 1, "IndentationError", "unexpected indent");
    if (t->type == DP_PY_TOK_END || (t->type == DP_PY_TOK_DEDENT && t->start >= p->whole->len))
        return pp_error_tok(p, t, "invalid syntax");
    return pp_error_tok(p, t, "invalid syntax");
}

bool pp_expect_failed(struct pp *p, int op)
{
    if (op == DP_PY_OP_COLON) pp_error_at(p, pp_prev(p)->end_line, pp_prev(p)->end_col, "SyntaxError", "expected ':'");
    pp_syntax_error(p);
    return false;
}

bool pp_too_deep(struct pp *p)
{
    pp_error_tok(p, pp_tok(p), "too many nested expressions or statements");
    return false;
}

/* ---------------------------------------------------------------- nodes */

void pp_span(struct dp_py_node *n, const struct dp_py_node *a, const struct dp_py_node *b)
{
    n->lineno = a->lineno;
    n->col_offset = a->col_offset;
    n->end_lineno = b->end_lineno;
    n->end_col_offset = b->end_col_offset;
}

const char *pp_ident_nfkc(struct pp *p, const struct dp_py_tok *t)
{
    /* PEP 3131: identifiers are NFKC-normalized */
    struct dp_sbuf b = {0};
    dp_unicode_nfkc(&b, p->whole->src + t->start, t->end - t->start);
    const char *r = dp_arena_strndup(p->a, b.p, b.n);
    dp_sbuf_free(&b);
    return r;
}

void pp_grow_stack(struct pp *p)
{
    p->capstk = p->capstk ? p->capstk * 2 : 256;
    p->stk = dp_xrealloc(p->stk, (size_t)p->capstk * sizeof *p->stk);
}

struct dp_py_list pp_list1(struct pp *p, struct dp_py_node *n)
{
    struct dp_py_list l = {dp_arena_alloc_raw(p->a, sizeof *l.items), 1};
    l.items[0] = n;
    return l;
}


/* ---------------------------------------------------------------- entry */

/* CPython refuses trees nested deeper than about 3000 nodes (RecursionError while building the
 * ast objects); so do we, iteratively, so that every recursive consumer of the tree is safe. */
#define MAX_TREE_DEPTH 2990

struct depth_walk {
    struct dp_py_node **stk;
    int *lvl;
    int n, cap;
    int cur;
};

static void depth_push(struct dp_py_node *c, void *ud)
{
    struct depth_walk *w = ud;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 1024;
        w->stk = dp_xrealloc(w->stk, (size_t)w->cap * sizeof *w->stk);
        w->lvl = dp_xrealloc(w->lvl, (size_t)w->cap * sizeof *w->lvl);
    }
    w->stk[w->n] = c;
    w->lvl[w->n++] = w->cur + 1;
}

static const struct dp_py_node *too_deep(struct dp_py_node *root)
{
    struct depth_walk w = {0};
    const struct dp_py_node *bad = NULL;
    w.cur = 0;
    depth_push(root, &w);
    while (w.n > 0 && !bad) {
        struct dp_py_node *n = w.stk[--w.n];
        w.cur = w.lvl[w.n];
        if (w.cur > MAX_TREE_DEPTH) bad = n;
        else dp_py_node_children(n, depth_push, &w);
    }
    free(w.stk);
    free(w.lvl);
    return bad;
}

int dp_py_parse(struct dp_arena *a, const char *src, size_t n, const char *path,
                const struct dp_py_parse_opts *opts, struct dp_py_node **out, struct dp_error *e)
{
    struct pp p = {.a = a, .path = path ? path : "<unknown>", .e = e};
    *out = NULL;
    int version = opts && opts->feature_version ? opts->feature_version : 311;
    int r = dp_py_lex_heap(a, src, n, p.path, version, &p.lx, e);
    if (r) return r;
    p.whole = &p.lx;
    p.t = p.lx.toks;
    p.n = p.lx.n;
    p.max_depth = opts && opts->max_depth > 0 ? opts->max_depth : 200;
    p.version = opts && opts->feature_version ? opts->feature_version : 311;
    struct dp_py_node *mod = pp_node(&p, DP_PY_Module, &p.t[0]);
    int m = pp_mark(&p);
    while (!pp_is_type(&p, DP_PY_TOK_END)) {
        if (pp_is_type(&p, DP_PY_TOK_NEWLINE)) { p.pos++; continue; }
        if (!pp_statement(&p)) break;
    }
    free(p.lx.toks);
    if (p.failed) {
        free(p.stk);
        if (!p.e || p.e->code == 0) dp_error_set(e, DP_ESYNTAX, p.path, 1, 1, "SyntaxError: invalid syntax");
        return DP_ESYNTAX;
    }
    mod->v.Module.body = pp_list(&p, m);
    free(p.stk);
    /* between two nesting levels the grammar adds at most a few nodes besides left-nested
     * chains, so small files of ordinary code skip the walk */
    const struct dp_py_node *bad = (p.deepest + 1) * (p.longest + 8) < MAX_TREE_DEPTH ? NULL : too_deep(mod);
    if (bad)
        return dp_error_set(e, DP_ESYNTAX, p.path, bad->lineno, bad->col_offset + 1,
                            "RecursionError: maximum recursion depth exceeded during ast construction");
    *out = mod;
    return 0;
}
