/* Internal to the parser (parse.c state and errors, parse_stmt.c statements, parse_expr.c
 * operators and targets, parse_atom.c atoms and calls, parse_str.c strings and
 * f-strings, parse_pattern.c match patterns): the parser state and the helpers they share. */
#ifndef DP_PY_PARSE_INT_H
#define DP_PY_PARSE_INT_H
#include <stdbool.h>
#include "base/arena.h"
#include "base/error.h"
#include "py/ast.h"
#include "py/lex.h"

struct pp {
    struct dp_arena *a;
    struct dp_py_lexer_out lx;   /* this parser's tokens (a sub-parser for an f-string field has its own) */
    const struct dp_py_lexer_out *whole;  /* the file's lexer output (source, lines) */
    struct dp_py_tok *t;
    int n, pos, far;
    const char *path;
    struct dp_error *e;
    bool failed;
    int depth, max_depth;
    int version;
    struct dp_py_node ***stk;    /* scratch stack for building lists (shared with sub-parsers) */
    int *nstk, *capstk;
    int fdepth;                  /* f-string nesting */
    bool class_args;             /* parsing class bases: a bare generator expression is invalid */
    int *deepest, *longest;      /* max depth reached, longest left-nested chain (bound the tree depth) */
};

/* a left-nested chain (a.b.c, a+b+c, elif ...) reached length k */
static inline void pp_chain(struct pp *p, int k) { if (k > *p->longest) *p->longest = k; }

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
bool pp_starts_expr(struct pp *p);                     /* can the current token start an expression? */
/* "Perhaps you forgot a comma?" when another expression follows elem inside brackets */
bool pp_check_comma(struct pp *p, const struct dp_py_node *elem);          /* "invalid syntax" at the furthest token */
bool pp_expect_op(struct pp *p, int op);      /* consumes or reports */
bool pp_enter(struct pp *p);                  /* recursion guard; false (with an error) when too deep */
static inline void pp_leave(struct pp *p) { p->depth--; }

/* nodes */
struct dp_py_node *pp_node(struct pp *p, int kind, const struct dp_py_tok *start);
void pp_end(struct pp *p, struct dp_py_node *n);                  /* end = previous token's end */
void pp_span(struct dp_py_node *n, const struct dp_py_node *a, const struct dp_py_node *b);
/* start at token st, end at the previous token: CPython's rule for every composite node */
static inline void pp_start_end(struct pp *p, struct dp_py_node *n, const struct dp_py_tok *st)
{
    n->lineno = st->line;
    n->col_offset = st->col;
    pp_end(p, n);
}
const char *pp_ident(struct pp *p, const struct dp_py_tok *t);    /* arena copy of a NAME */
struct dp_py_node *pp_name(struct pp *p, int ctx);                /* NAME -> Name node */

/* list building on the scratch stack: int b = pp_mark(p); pp_push(p, x)...; list = pp_list(p, b) */
static inline int pp_mark(struct pp *p) { return *p->nstk; }
void pp_push(struct pp *p, struct dp_py_node *n);
struct dp_py_list pp_list(struct pp *p, int mark);
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
