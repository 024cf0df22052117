/* Internal to the parser (parse.c state and errors, parse_stmt.c statements, parse_expr.c
 * operators and targets, parse_atom.c atoms and calls, parse_str.c strings and
 * f-strings, parse_pattern.c match patterns): the parser state and the helpers they share. */
#ifndef DP_PY_PARSE_INT_H
#define DP_PY_PARSE_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "base/arena.h"
#include "base/error.h"
#include "py/ast.h"
#include "py/lex.h"

struct pp {
    struct dp_arena *a;
    struct dp_py_lexer_out lx;   /* this parser's tokens: the file's malloc'd (dp_py_parse frees them),
                                    an f-string field's sub-parser's in the arena */
    const struct dp_py_lexer_out *whole;  /* the file's lexer output (source, lines) */
    struct dp_py_tok *t;
    int n, pos, far;
    const char *path;
    struct dp_error *e;
    bool failed;
    int depth, max_depth;
    int version;
    struct dp_py_node **stk;     /* scratch stack for building lists (malloc'd; a sub-parser */
    int nstk, capstk;            /* for an f-string field hands it back, see pp_subparse_fexpr) */
    int fdepth;                  /* f-string nesting */
    bool class_args;             /* parsing class bases: a bare generator expression is invalid */
    int deepest, longest;        /* max depth reached, longest left-nested chain (bound the tree depth) */
};

/* a left-nested chain (a.b.c, a+b+c, elif ...) reached length k */
static inline void pp_chain(struct pp *p, int k) { if (k > p->longest) p->longest = k; }

/* tokens */
static inline struct dp_py_tok *pp_tok(struct pp *p)
{
    return &p->t[p->pos];   /* p->far is max(far, pos): pos is folded in when an error is reported */
}
static inline struct dp_py_tok *pp_peek(struct pp *p, int k)
{
    int i = p->pos + k < p->n ? p->pos + k : p->n - 1;
    if (i > p->far) p->far = i;
    return &p->t[i];
}
static inline bool pp_is_op(struct pp *p, int op) { struct dp_py_tok *t = pp_tok(p); return t->type == DP_PY_TOK_OP && t->op == op; }
static inline bool pp_is_kw(struct pp *p, int kw) { struct dp_py_tok *t = pp_tok(p); return t->type == DP_PY_TOK_NAME && t->kw == kw; }
static inline bool pp_is_type(struct pp *p, int type) { return pp_tok(p)->type == type; }
/* a NAME that is not a hard keyword */
static inline bool pp_is_name(struct pp *p) { struct dp_py_tok *t = pp_tok(p); return t->type == DP_PY_TOK_NAME && (t->kw == DP_PY_KW_NONE || t->kw > DP_PY_KW_SOFT); }
static inline bool pp_accept_op(struct pp *p, int op) { if (pp_is_op(p, op)) { p->pos++; return true; } return false; }
static inline bool pp_accept_kw(struct pp *p, int kw) { if (pp_is_kw(p, kw)) { p->pos++; return true; } return false; }
static inline struct dp_py_tok *pp_prev(struct pp *p) { return &p->t[p->pos > 0 ? p->pos - 1 : 0]; }

/* errors: the first one wins; every parse function returns NULL after an error */
void *pp_error_tok(struct pp *p, const struct dp_py_tok *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *pp_error_node(struct pp *p, const struct dp_py_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *pp_error_at(struct pp *p, int line, int col_byte, const char *cls, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void *pp_syntax_error(struct pp *p);
void *pp_error_far(struct pp *p, const char *msg);     /* msg at the furthest token read */
/* Does t end any expression (no operator of any level can follow)? */
static inline bool pp_ends_expr(const struct dp_py_tok *t)
{
    if (t->type == DP_PY_TOK_NEWLINE) return true;
    if (t->type != DP_PY_TOK_OP) return false;
    switch (t->op) {
    case DP_PY_OP_COMMA: case DP_PY_OP_RPAR: case DP_PY_OP_RSQB: case DP_PY_OP_RBRACE:
    case DP_PY_OP_COLON: case DP_PY_OP_EQUAL: case DP_PY_OP_SEMI:
        return true;
    default:
        return false;
    }
}
/* can the current token start an expression? */
static inline bool pp_starts_expr(struct pp *p)
{
    struct dp_py_tok *t = pp_tok(p);
    switch (t->type) {
    case DP_PY_TOK_NUMBER: case DP_PY_TOK_STRING: return true;
    case DP_PY_TOK_NAME:
        return t->kw == DP_PY_KW_NONE || t->kw > DP_PY_KW_SOFT || t->kw == DP_PY_KW_None ||
               t->kw == DP_PY_KW_True || t->kw == DP_PY_KW_False || t->kw == DP_PY_KW_not ||
               t->kw == DP_PY_KW_lambda || t->kw == DP_PY_KW_await;
    case DP_PY_TOK_OP:
        return t->op == DP_PY_OP_LPAR || t->op == DP_PY_OP_LSQB || t->op == DP_PY_OP_LBRACE ||
               t->op == DP_PY_OP_MINUS || t->op == DP_PY_OP_PLUS || t->op == DP_PY_OP_TILDE ||
               t->op == DP_PY_OP_STAR || t->op == DP_PY_OP_ELLIPSIS;
    default: return false;
    }
}
/* "Perhaps you forgot a comma?" when another expression follows elem inside brackets; an
 * operator (the usual ',' or closing bracket) never starts one that counts */
bool pp_check_comma_slow(struct pp *p, const struct dp_py_node *elem);
static inline bool pp_check_comma(struct pp *p, const struct dp_py_node *elem)
{
    struct dp_py_tok *t = pp_tok(p);
    if (t->type == DP_PY_TOK_OP && t->op != DP_PY_OP_ELLIPSIS && t->op != DP_PY_OP_LBRACE) return true;
    return pp_check_comma_slow(p, elem);
}
/* consumes op or reports */
bool pp_expect_failed(struct pp *p, int op);
static inline bool pp_expect_op(struct pp *p, int op) { return pp_accept_op(p, op) || pp_expect_failed(p, op); }
/* recursion guard; false (with an error) when too deep */
bool pp_too_deep(struct pp *p);
static inline bool pp_enter(struct pp *p)
{
    if (++p->depth > p->max_depth) return pp_too_deep(p);
    if (p->depth > p->deepest) p->deepest = p->depth;
    return true;
}
static inline void pp_leave(struct pp *p) { p->depth--; }

/* Each kind's node is only as big as its own fields (rounded to 16 bytes): a tree takes half
 * the memory of one made of full-size nodes. Code may read a node only through its kind's
 * member of v (or one with the same layout: For/AsyncFor, Try/TryStar, ...). The table is
 * here so that the size of a node of constant kind is a constant, and zeroing it a few stores. */
static const uint8_t pp_node_size[DP_PY_KIND_COUNT] = {
#define DP_NODE(K, CAT) [DP_PY_##K] = (uint8_t)((offsetof(struct dp_py_node, v) + sizeof(struct dp_py_##K) + 15) & ~(size_t)15),
#define DP_F(K, T, name)
#define DP_F312(K, T, name)
#define DP_END(K)
#include "py/ast.def"
#undef DP_NODE
#undef DP_F
#undef DP_F312
#undef DP_END
};

/* nodes: zeroed, sized for their kind, positioned at token start */
static inline struct dp_py_node *pp_node(struct pp *p, int kind, const struct dp_py_tok *start)
{
    size_t size = pp_node_size[kind];
    struct dp_py_node *n = dp_arena_alloc_raw(p->a, size);
    memset(n, 0, size);
    n->kind = (uint8_t)kind;
    n->lineno = start->line;
    n->col_offset = start->col;
    n->end_lineno = start->end_line;
    n->end_col_offset = start->end_col;
    return n;
}
/* end = previous token's end */
static inline void pp_end(struct pp *p, struct dp_py_node *n)
{
    const struct dp_py_tok *t = &p->t[p->pos > 0 ? p->pos - 1 : 0];
    n->end_lineno = t->end_line;
    n->end_col_offset = t->end_col;
}
void pp_span(struct dp_py_node *n, const struct dp_py_node *a, const struct dp_py_node *b);
/* start at token st, end at the previous token: CPython's rule for every composite node */
static inline void pp_start_end(struct pp *p, struct dp_py_node *n, const struct dp_py_tok *st)
{
    n->lineno = st->line;
    n->col_offset = st->col;
    pp_end(p, n);
}
const char *pp_ident_nfkc(struct pp *p, const struct dp_py_tok *t);
/* arena copy of a NAME (NFKC-normalized beyond ASCII) */
static inline const char *pp_ident(struct pp *p, const struct dp_py_tok *t)
{
    if (t->strflags & DP_PY_NAME_NONASCII) return pp_ident_nfkc(p, t);
    /* whole 16-byte chunks: the allocation is rounded up to them and the text is padded */
    const char *s = p->whole->src + t->start;
    size_t n = t->end - t->start;
    char *d = dp_arena_alloc_raw(p->a, n + 1);
    for (size_t i = 0; i <= n; i += 16) memcpy(d + i, s + i, 16);
    d[n] = 0;
    return d;
}
/* the NAME token t (the current one) -> Name node; an ASCII name's text shares its node's
 * allocation */
static inline struct dp_py_node *pp_name_at(struct pp *p, const struct dp_py_tok *t, int ctx)
{
    struct dp_py_node *n;
    if (t->strflags & DP_PY_NAME_NONASCII) {
        n = pp_node(p, DP_PY_Name, t);
        n->v.Name.id = pp_ident_nfkc(p, t);
    } else {
        size_t size = pp_node_size[DP_PY_Name], len = t->end - t->start;
        n = dp_arena_alloc_raw(p->a, size + len + 1);   /* rounded up to whole 16-byte chunks */
        /* every field is set below: no zeroing */
        n->kind = DP_PY_Name;
        n->lineno = t->line;
        n->col_offset = t->col;
        n->end_lineno = t->end_line;
        n->end_col_offset = t->end_col;
        char *d = (char *)n + size;
        const char *s = p->whole->src + t->start;   /* the text is padded */
        for (size_t i = 0; i <= len; i += 16) memcpy(d + i, s + i, 16);
        d[len] = 0;
        n->v.Name.id = d;
    }
    n->v.Name.ctx = (uint8_t)ctx;
    p->pos++;
    return n;
}
/* NAME -> Name node */
static inline struct dp_py_node *pp_name(struct pp *p, int ctx)
{
    if (!pp_is_name(p)) return pp_syntax_error(p);
    return pp_name_at(p, pp_tok(p), ctx);
}

/* list building on the scratch stack: int b = pp_mark(p); pp_push(p, x)...; list = pp_list(p, b) */
static inline int pp_mark(struct pp *p) { return p->nstk; }
void pp_grow_stack(struct pp *p);
static inline void pp_push(struct pp *p, struct dp_py_node *n)
{
    if (p->nstk == p->capstk) pp_grow_stack(p);
    p->stk[(p->nstk)++] = n;
}
static inline struct dp_py_list pp_list(struct pp *p, int mark)
{
    struct dp_py_list l = {NULL, p->nstk - mark};
    if (l.n > 0) {
        struct dp_py_node **from = p->stk + mark;
        l.items = dp_arena_alloc_raw(p->a, (size_t)l.n * sizeof *l.items);
        if (l.n <= 4)   /* most lists are short: no call */
            for (int i = 0; i < l.n; i++) l.items[i] = from[i];
        else
            memcpy(l.items, from, (size_t)l.n * sizeof *l.items);
    }
    p->nstk = mark;
    return l;
}
struct dp_py_list pp_list1(struct pp *p, struct dp_py_node *n);

/* expressions (parse_expr.c) */
struct dp_py_node *pp_expression(struct pp *p);
struct dp_py_node *pp_named_expression(struct pp *p);
struct dp_py_node *pp_star_expressions(struct pp *p);
struct dp_py_node *pp_star_expression(struct pp *p);
struct dp_py_node *pp_star_named_expression(struct pp *p);
struct dp_py_node *pp_disjunction(struct pp *p);
struct dp_py_node *pp_bitwise_or(struct pp *p);
struct dp_py_node *pp_yield_expr(struct pp *p);
struct dp_py_node *pp_star_targets(struct pp *p, int ctx);        /* for/comprehension targets */
struct dp_py_node *pp_star_target(struct pp *p, int ctx);         /* one target (with ... as) */
struct dp_py_node *pp_primary(struct pp *p);                      /* parse_atom.c */
struct dp_py_node *pp_simple_atom(struct pp *p);                  /* NULL when not a lone atom */
struct dp_py_node *pp_make_tuple(struct pp *p, int mark, const struct dp_py_tok *st, int ctx);
struct dp_py_node *pp_params(struct pp *p, bool lambda);          /* -> arguments node */
int pp_call_args(struct pp *p, struct dp_py_node *call);          /* after '(' up to ')' */
struct dp_py_list pp_type_params(struct pp *p);                   /* '[' ... ']' (3.12) */
/* Turns an expression into an assignment/del target (ctx Store or Del); NULL + error if invalid.
 * what: "assign" / "delete" ... for messages. */
struct dp_py_node *pp_set_ctx(struct pp *p, struct dp_py_node *e, int ctx, bool report);
const char *pp_expr_name(const struct dp_py_node *e);

/* strings (parse_str.c): consecutive STRING tokens at p->pos -> Constant or JoinedStr */
struct dp_py_node *pp_strings(struct pp *p);
/* a sub-parser over tokens of an f-string field */
struct dp_py_node *pp_subparse_fexpr(struct pp *p, uint32_t start, uint32_t end);

/* statements (parse_stmt.c) */
struct dp_py_node *pp_statement(struct pp *p);   /* pushes the statements it parsed */
/* what and line name the statement for "expected an indented block after ..." */
struct dp_py_list pp_block(struct pp *p, const char *what, int line);

/* patterns (parse_pattern.c): 'match' statement, p->pos at 'match' */
struct dp_py_node *pp_match_stmt(struct pp *p);

#endif
