/* Python parser, part 2: expressions — the precedence ladder from star_expressions down to atoms,
 * calls and subscripts, displays and comprehensions, lambdas and parameters, and the conversion
 * of expressions to assignment targets with CPython's error messages. */
#include "py/literal.h"
#include "py/parse_int.h"
#include <stdlib.h>
#include <string.h>

bool pp_check_comma_slow(struct pp *p, const struct dp_py_node *elem)
{
    struct dp_py_tok *t = pp_tok(p);
    if (!pp_starts_expr(p) || (t->type == DP_PY_TOK_NAME && t->kw == DP_PY_KW_not)) return true;
    if (t->type == DP_PY_TOK_OP && t->op != DP_PY_OP_ELLIPSIS && t->op != DP_PY_OP_LBRACE) return true;
    /* CPython exempts NAME STRING (a misspelt prefix) and a soft keyword at the start */
    const char *src = p->whole->src;
    for (int i = 0; i < p->pos; i++) {
        const struct dp_py_tok *s = &p->t[i];
        if (s->line == elem->lineno && s->col == elem->col_offset) {
            if (s->type == DP_PY_TOK_NAME && s->kw > DP_PY_KW_SOFT) return true;
            if (s->type == DP_PY_TOK_NAME && i + 1 < p->n && p->t[i + 1].type == DP_PY_TOK_STRING && i + 1 == p->pos) return true;
            break;
        }
    }
    (void)src;
    pp_error_node(p, elem, "invalid syntax. Perhaps you forgot a comma?");
    return false;
}

struct dp_py_node *pp_make_tuple(struct pp *p, int m, const struct dp_py_tok *st, int ctx)
{
    struct dp_py_node *n = pp_node(p, DP_PY_Tuple, st);
    n->v.Tuple.elts = pp_list(p, m);
    n->v.Tuple.ctx = (uint8_t)ctx;
    pp_end(p, n);
    return n;
}

/* ---------------------------------------------------------------- targets */

const char *pp_expr_name(const struct dp_py_node *e)
{
    switch (e->kind) {
    case DP_PY_Attribute: return "attribute";
    case DP_PY_Subscript: return "subscript";
    case DP_PY_Starred: return "starred";
    case DP_PY_Name: return "name";
    case DP_PY_List: return "list";
    case DP_PY_Tuple: return "tuple";
    case DP_PY_Lambda: return "lambda";
    case DP_PY_Call: return "function call";
    case DP_PY_BoolOp: case DP_PY_BinOp: case DP_PY_UnaryOp: return "expression";
    case DP_PY_GeneratorExp: return "generator expression";
    case DP_PY_Yield: case DP_PY_YieldFrom: return "yield expression";
    case DP_PY_Await: return "await expression";
    case DP_PY_ListComp: return "list comprehension";
    case DP_PY_SetComp: return "set comprehension";
    case DP_PY_DictComp: return "dict comprehension";
    case DP_PY_Dict: return "dict literal";
    case DP_PY_Set: return "set display";
    case DP_PY_JoinedStr: case DP_PY_FormattedValue: return "f-string expression";
    case DP_PY_Constant:
        switch (e->v.Constant.value.kind) {
        case DP_PY_CONST_NONE: return "None";
        case DP_PY_CONST_TRUE: return "True";
        case DP_PY_CONST_FALSE: return "False";
        case DP_PY_CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case DP_PY_Compare: return "comparison";
    case DP_PY_IfExp: return "conditional expression";
    case DP_PY_NamedExpr: return "named expression";
    default: return "expression";
    }
}

static const struct dp_py_node *invalid_target(const struct dp_py_node *e, int ctx)
{
    switch (e->kind) {
    case DP_PY_Name: case DP_PY_Attribute: case DP_PY_Subscript: return NULL;
    case DP_PY_Starred: return ctx == DP_PY_CTX_DEL ? e : invalid_target(e->v.Starred.value, ctx);
    case DP_PY_List: case DP_PY_Tuple: {
        const struct dp_py_list *l = e->kind == DP_PY_List ? &e->v.List.elts : &e->v.Tuple.elts;
        for (int i = 0; i < l->n; i++) {
            const struct dp_py_node *b = invalid_target(l->items[i], ctx);
            if (b) return b;
        }
        return NULL;
    }
    default: return e;
    }
}

static void set_ctx_rec(struct dp_py_node *e, int ctx)
{
    switch (e->kind) {
    case DP_PY_Name: e->v.Name.ctx = (uint8_t)ctx; break;
    case DP_PY_Attribute: e->v.Attribute.ctx = (uint8_t)ctx; break;
    case DP_PY_Subscript: e->v.Subscript.ctx = (uint8_t)ctx; break;
    case DP_PY_Starred: e->v.Starred.ctx = (uint8_t)ctx; set_ctx_rec(e->v.Starred.value, ctx); break;
    case DP_PY_List:
        e->v.List.ctx = (uint8_t)ctx;
        for (int i = 0; i < e->v.List.elts.n; i++) set_ctx_rec(e->v.List.elts.items[i], ctx);
        break;
    case DP_PY_Tuple:
        e->v.Tuple.ctx = (uint8_t)ctx;
        for (int i = 0; i < e->v.Tuple.elts.n; i++) set_ctx_rec(e->v.Tuple.elts.items[i], ctx);
        break;
    default: break;
    }
}

struct dp_py_node *pp_set_ctx(struct pp *p, struct dp_py_node *e, int ctx, bool report)
{
    const struct dp_py_node *bad = invalid_target(e, ctx);
    if (bad) {
        if (!report) return NULL;
        if (ctx == DP_PY_CTX_DEL) return pp_error_node(p, bad, "cannot delete %s", pp_expr_name(bad));
        return pp_error_node(p, bad, "cannot assign to %s", pp_expr_name(bad));
    }
    set_ctx_rec(e, ctx);
    return e;
}

/* star_target: ['*'] bitwise_or, as a target */
struct dp_py_node *pp_star_target(struct pp *p, int ctx)
{
    struct dp_py_tok *it = pp_tok(p);
    struct dp_py_node *e;
    if (pp_accept_op(p, DP_PY_OP_STAR)) {
        e = pp_node(p, DP_PY_Starred, it);
        e->v.Starred.value = pp_bitwise_or(p);
        if (!e->v.Starred.value) return NULL;
        pp_end(p, e);
    } else {
        e = pp_bitwise_or(p);
        if (!e) return NULL;
    }
    return pp_set_ctx(p, e, ctx, true);
}

/* star_targets: star_target (',' star_target)* [','] */
struct dp_py_node *pp_star_targets(struct pp *p, int ctx)
{
    struct dp_py_tok *st = pp_tok(p);
    int m = pp_mark(p);
    for (;;) {
        struct dp_py_node *e = pp_star_target(p, ctx);
        if (!e) { p->nstk = m; return NULL; }
        pp_push(p, e);
        if (!pp_is_op(p, DP_PY_OP_COMMA)) break;
        p->pos++;
        if (!pp_starts_expr(p)) break;
    }
    if (pp_mark(p) - m == 1 && !(pp_prev(p)->type == DP_PY_TOK_OP && pp_prev(p)->op == DP_PY_OP_COMMA)) {
        struct dp_py_node *e = p->stk[m];
        p->nstk = m;
        return e;
    }
    return pp_make_tuple(p, m, st, ctx);
}

/* ---------------------------------------------------------------- operators */

static struct dp_py_node *factor(struct pp *p);

static struct dp_py_node *power_rest(struct pp *p, const struct dp_py_tok *st, struct dp_py_node *e);

/* power: ['await'] primary ['**' factor] */
static struct dp_py_node *power(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e;
    if (pp_accept_kw(p, DP_PY_KW_await)) {
        e = pp_node(p, DP_PY_Await, st);
        e->v.Await.value = pp_primary(p);
        if (!e->v.Await.value) return NULL;
        pp_end(p, e);
    } else {
        e = pp_primary(p);
        if (!e) return NULL;
    }
    return power_rest(p, st, e);
}

/* ['**' factor] after the primary e that started at token st */
static struct dp_py_node *power_rest(struct pp *p, const struct dp_py_tok *st, struct dp_py_node *e)
{
    if (pp_accept_op(p, DP_PY_OP_DOUBLESTAR)) {
        struct dp_py_node *r = factor(p);
        if (!r) return NULL;
        struct dp_py_node *n = pp_node(p, DP_PY_BinOp, st);
        n->v.BinOp.left = e;
        n->v.BinOp.op = DP_PY_POW;
        n->v.BinOp.right = r;
        pp_start_end(p, n, st);
        return n;
    }
    return e;
}

/* factor: ('+' | '-' | '~') factor | power */
static struct dp_py_node *factor(struct pp *p)
{
    struct dp_py_tok *t = pp_tok(p);
    if (t->type == DP_PY_TOK_OP && (t->op == DP_PY_OP_PLUS || t->op == DP_PY_OP_MINUS || t->op == DP_PY_OP_TILDE)) {
        if (!pp_enter(p)) return NULL;
        p->pos++;
        struct dp_py_node *n = pp_node(p, DP_PY_UnaryOp, t);
        n->v.UnaryOp.op = t->op == DP_PY_OP_PLUS ? DP_PY_UADD : t->op == DP_PY_OP_MINUS ? DP_PY_USUB : DP_PY_INVERT;
        n->v.UnaryOp.operand = factor(p);
        pp_leave(p);
        if (!n->v.UnaryOp.operand) return NULL;
        pp_end(p, n);
        return n;
    }
    return power(p);
}

/* Binary operators by precedence climbing: level 0 '|', 1 '^', 2 '&', 3 shifts, 4 '+' '-',
 * 5 '*' '/' '//' '%' '@' (all left-associative); -1 when op is not a binary operator. */
static int binop_level(int op, int *binop)
{
    switch (op) {
    case DP_PY_OP_VBAR: *binop = DP_PY_BITOR; return 0;
    case DP_PY_OP_CIRCUMFLEX: *binop = DP_PY_BITXOR; return 1;
    case DP_PY_OP_AMPER: *binop = DP_PY_BITAND; return 2;
    case DP_PY_OP_LEFTSHIFT: *binop = DP_PY_LSHIFT; return 3;
    case DP_PY_OP_RIGHTSHIFT: *binop = DP_PY_RSHIFT; return 3;
    case DP_PY_OP_PLUS: *binop = DP_PY_ADD; return 4;
    case DP_PY_OP_MINUS: *binop = DP_PY_SUB; return 4;
    case DP_PY_OP_STAR: *binop = DP_PY_MULT; return 5;
    case DP_PY_OP_SLASH: *binop = DP_PY_DIV; return 5;
    case DP_PY_OP_DOUBLESLASH: *binop = DP_PY_FLOORDIV; return 5;
    case DP_PY_OP_PERCENT: *binop = DP_PY_MOD; return 5;
    case DP_PY_OP_AT: *binop = DP_PY_MATMULT; return 5;
    default: return -1;
    }
}

/* operand chain at levels >= min, the left operand already parsed (starting at token st) */
static struct dp_py_node *binary_rest(struct pp *p, struct dp_py_node *e, const struct dp_py_tok *st, int min)
{
    for (int chain = 1;; chain++) {
        pp_chain(p, chain);
        struct dp_py_tok *t = pp_tok(p);
        int op, level = t->type == DP_PY_TOK_OP ? binop_level(t->op, &op) : -1;
        if (level < min) return e;
        p->pos++;
        struct dp_py_tok *rst = pp_tok(p);
        struct dp_py_node *r = factor(p);
        if (!r) return NULL;
        /* tighter operators to the right bind first */
        for (;;) {
            struct dp_py_tok *u = pp_tok(p);
            int op2, l2 = u->type == DP_PY_TOK_OP ? binop_level(u->op, &op2) : -1;
            if (l2 <= level) break;
            r = binary_rest(p, r, rst, level + 1);
            if (!r) return NULL;
        }
        struct dp_py_node *n = pp_node(p, DP_PY_BinOp, t);
        n->v.BinOp.left = e;
        n->v.BinOp.op = (uint8_t)op;
        n->v.BinOp.right = r;
        pp_start_end(p, n, st);
        e = n;
    }
}

static struct dp_py_node *binary(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = factor(p);
    return e ? binary_rest(p, e, st, 0) : NULL;
}

struct dp_py_node *pp_bitwise_or(struct pp *p)
{
    if (!pp_enter(p)) return NULL;
    struct dp_py_node *e = binary(p);
    pp_leave(p);
    return e;
}

static int cmp_op(struct pp *p, int *ntok)
{
    struct dp_py_tok *t = pp_tok(p);
    *ntok = 1;
    if (t->type == DP_PY_TOK_OP) {
        switch (t->op) {
        case DP_PY_OP_EQEQUAL: return DP_PY_EQ;
        case DP_PY_OP_NOTEQUAL: return DP_PY_NOTEQ;
        case DP_PY_OP_LESS: return DP_PY_LT;
        case DP_PY_OP_LESSEQUAL: return DP_PY_LTE;
        case DP_PY_OP_GREATER: return DP_PY_GT;
        case DP_PY_OP_GREATEREQUAL: return DP_PY_GTE;
        default: return -1;
        }
    }
    if (t->type != DP_PY_TOK_NAME) return -1;
    if (t->kw == DP_PY_KW_in) return DP_PY_IN;
    if (t->kw == DP_PY_KW_not && pp_peek(p, 1)->kw == DP_PY_KW_in) { *ntok = 2; return DP_PY_NOTIN; }
    if (t->kw == DP_PY_KW_is) {
        if (pp_peek(p, 1)->kw == DP_PY_KW_not) { *ntok = 2; return DP_PY_ISNOT; }
        return DP_PY_IS;
    }
    return -1;
}

static struct dp_py_node *comparison_rest(struct pp *p, const struct dp_py_tok *st, struct dp_py_node *e);

/* comparison: bitwise_or (compare_op bitwise_or)* */
static struct dp_py_node *comparison(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = pp_bitwise_or(p);
    if (!e) return NULL;
    return comparison_rest(p, st, e);
}

/* the comparisons after e, which started at token st */
static struct dp_py_node *comparison_rest(struct pp *p, const struct dp_py_tok *st, struct dp_py_node *e)
{
    int k, op = cmp_op(p, &k);
    if (op < 0) return e;
    uint8_t ops[256];
    uint8_t *opv = ops;
    int nops = 0, cap = 256;
    int m = pp_mark(p);
    while (op >= 0) {
        p->pos += k;
        struct dp_py_node *r = pp_bitwise_or(p);
        if (!r) { p->nstk = m; if (opv != ops) free(opv); return NULL; }
        if (nops == cap) {
            cap *= 2;
            uint8_t *nv = dp_xmalloc((size_t)cap);
            memcpy(nv, opv, (size_t)nops);
            if (opv != ops) free(opv);
            opv = nv;
        }
        opv[nops++] = (uint8_t)op;
        pp_push(p, r);
        op = cmp_op(p, &k);
    }
    struct dp_py_node *n = pp_node(p, DP_PY_Compare, pp_tok(p));
    n->v.Compare.left = e;
    n->v.Compare.comparators = pp_list(p, m);
    n->v.Compare.ops.n = nops;
    n->v.Compare.ops.items = dp_arena_alloc(p->a, (size_t)nops);
    memcpy(n->v.Compare.ops.items, opv, (size_t)nops);
    if (opv != ops) free(opv);
    pp_start_end(p, n, st);
    return n;
}

/* inversion: 'not' inversion | comparison */
static struct dp_py_node *inversion(struct pp *p)
{
    struct dp_py_tok *t = pp_tok(p);
    if (t->type == DP_PY_TOK_NAME && t->kw == DP_PY_KW_not) {
        if (!pp_enter(p)) return NULL;
        p->pos++;
        struct dp_py_node *n = pp_node(p, DP_PY_UnaryOp, t);
        n->v.UnaryOp.op = DP_PY_NOT;
        n->v.UnaryOp.operand = inversion(p);
        pp_leave(p);
        if (!n->v.UnaryOp.operand) return NULL;
        pp_end(p, n);
        return n;
    }
    return comparison(p);
}

static struct dp_py_node *boolop_rest(struct pp *p, const struct dp_py_tok *st, struct dp_py_node *e, int kw);

/* disjunction: conjunction ('or' conjunction)*;  conjunction: inversion ('and' inversion)* */
static struct dp_py_node *boolop(struct pp *p, int kw)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = kw == DP_PY_KW_or ? boolop(p, DP_PY_KW_and) : inversion(p);
    return boolop_rest(p, st, e, kw);
}

/* the 'and' (kw) or 'or' operands after e, which started at token st */
static struct dp_py_node *boolop_rest(struct pp *p, const struct dp_py_tok *st, struct dp_py_node *e, int kw)
{
    if (!e || !pp_is_kw(p, kw)) return e;
    int m = pp_mark(p);
    pp_push(p, e);
    struct dp_py_node *last = e;
    while (pp_accept_kw(p, kw)) {
        last = kw == DP_PY_KW_or ? boolop(p, DP_PY_KW_and) : inversion(p);
        if (!last) { p->nstk = m; return NULL; }
        pp_push(p, last);
    }
    struct dp_py_node *n = pp_node(p, DP_PY_BoolOp, pp_tok(p));
    n->v.BoolOp.op = kw == DP_PY_KW_or ? DP_PY_OR : DP_PY_AND;
    n->v.BoolOp.values = pp_list(p, m);
    pp_start_end(p, n, st);
    return n;
}

/* Can t start a primary (an atom)? Then a disjunction starting at t climbs no ladder: the
 * primary is parsed first and each level above only looks for its operator after it. */
static bool starts_primary(const struct dp_py_tok *t)
{
    switch (t->type) {
    case DP_PY_TOK_NAME:
        return t->kw == DP_PY_KW_NONE || t->kw > DP_PY_KW_SOFT || t->kw == DP_PY_KW_None ||
               t->kw == DP_PY_KW_True || t->kw == DP_PY_KW_False;
    case DP_PY_TOK_NUMBER: case DP_PY_TOK_STRING: return true;
    case DP_PY_TOK_OP:
        return t->op == DP_PY_OP_LPAR || t->op == DP_PY_OP_LSQB || t->op == DP_PY_OP_LBRACE ||
               t->op == DP_PY_OP_ELLIPSIS;
    default: return false;
    }
}

struct dp_py_node *pp_disjunction(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    if (!starts_primary(st)) return boolop(p, DP_PY_KW_or);
    /* what boolop -> inversion -> comparison -> bitwise_or -> factor -> power would do */
    if (!pp_enter(p)) return NULL;
    struct dp_py_node *e = pp_primary(p);
    if (e && pp_ends_expr(pp_tok(p))) {   /* no operator follows: each level would pass e up */
        pp_chain(p, 1);
        pp_leave(p);
        return e;
    }
    if (e) e = power_rest(p, st, e);
    if (e) e = binary_rest(p, e, st, 0);
    pp_leave(p);
    if (e) e = comparison_rest(p, st, e);
    if (e) e = boolop_rest(p, st, e, DP_PY_KW_and);
    return boolop_rest(p, st, e, DP_PY_KW_or);
}

/* ---------------------------------------------------------------- lambda and parameters */

static struct dp_py_node *param(struct pp *p, bool lambda, bool star_annotation)
{
    if (!pp_is_name(p)) return pp_syntax_error(p);
    struct dp_py_node *a = pp_node(p, DP_PY_arg, pp_tok(p));
    a->v.arg.arg = pp_ident(p, pp_tok(p));
    p->pos++;
    if (!lambda && pp_accept_op(p, DP_PY_OP_COLON)) {
        struct dp_py_tok *st = pp_tok(p);
        if (star_annotation && pp_accept_op(p, DP_PY_OP_STAR)) {
            struct dp_py_node *s = pp_node(p, DP_PY_Starred, st);
            s->v.Starred.value = pp_expression(p);
            if (!s->v.Starred.value) return NULL;
            pp_end(p, s);
            a->v.arg.annotation = s;
        } else {
            a->v.arg.annotation = pp_expression(p);
            if (!a->v.arg.annotation) return NULL;
        }
    }
    pp_end(p, a);
    return a;
}

/* parameters of def (up to ')') or lambda (up to ':'); returns an arguments node */
struct dp_py_node *pp_params(struct pp *p, bool lambda)
{
    struct dp_py_node *n = pp_node(p, DP_PY_arguments, pp_tok(p));
    struct dp_py_arguments *A = &n->v.arguments;
    int close = lambda ? DP_PY_OP_COLON : DP_PY_OP_RPAR;
    int m = pp_mark(p);           /* positional params, then defaults */
    struct dp_py_node *pos[256], *defs[256], *kwo[256], *kwd[256];
    int npos = 0, ndef = 0, nkwo = 0, nposonly = 0;
    bool star = false, slash = false;
    (void)m;
    while (!pp_is_op(p, close)) {
        struct dp_py_tok *t = pp_tok(p);
        if (A->kwarg) return pp_error_tok(p, t, "arguments cannot follow var-keyword argument");
        if (pp_accept_op(p, DP_PY_OP_SLASH)) {
            if (slash) return pp_error_tok(p, t, "/ may appear only once");
            if (star) return pp_error_tok(p, t, "/ must be ahead of *");
            if (npos == 0) return pp_error_tok(p, t, "at least one argument must precede /");
            slash = true;
            nposonly = npos;
        } else if (pp_accept_op(p, DP_PY_OP_STAR)) {
            if (star) return pp_error_tok(p, t, "* argument may appear only once");
            star = true;
            if (pp_is_op(p, DP_PY_OP_COMMA) || pp_is_op(p, close)) {
                struct dp_py_tok *nx = pp_peek(p, 1);
                if (pp_is_op(p, close) || (nx->type == DP_PY_TOK_OP && (nx->op == close || nx->op == DP_PY_OP_DOUBLESTAR))) {
                    if (lambda) return pp_error_tok(p, pp_is_op(p, close) ? pp_tok(p) : nx, "named arguments must follow bare *");
                    return pp_error_tok(p, t, "named arguments must follow bare *");
                }
            } else {
                A->vararg = param(p, lambda, true);
                if (!A->vararg) return NULL;
                if (pp_is_op(p, DP_PY_OP_EQUAL)) return pp_error_tok(p, pp_tok(p), "var-positional argument cannot have default value");
            }
        } else if (pp_accept_op(p, DP_PY_OP_DOUBLESTAR)) {
            A->kwarg = param(p, lambda, false);
            if (!A->kwarg) return NULL;
            if (pp_is_op(p, DP_PY_OP_EQUAL)) return pp_error_tok(p, pp_tok(p), "var-keyword argument cannot have default value");
        } else {
            struct dp_py_node *a = param(p, lambda, false);
            if (!a) return NULL;
            struct dp_py_node *d = NULL;
            if (pp_accept_op(p, DP_PY_OP_EQUAL)) {
                d = pp_expression(p);
                if (!d) return NULL;
            }
            if (star) {
                if (nkwo >= 256) return pp_error_tok(p, t, "too many arguments");
                kwo[nkwo] = a;
                kwd[nkwo++] = d;
            } else {
                if (npos >= 256) return pp_error_tok(p, t, "too many arguments");
                if (!d && ndef > 0) return pp_error_node(p, a, "non-default argument follows default argument");
                pos[npos++] = a;
                if (d) defs[ndef++] = d;
            }
        }
        if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
    }
    if (!pp_is_op(p, close)) return pp_syntax_error(p);
    struct dp_py_node **buf;
#define COPY(field, src, cnt) do { A->field.n = (cnt); if (cnt) { buf = dp_arena_alloc(p->a, (size_t)(cnt) * sizeof *buf); \
        memcpy(buf, (src), (size_t)(cnt) * sizeof *buf); A->field.items = buf; } } while (0)
    COPY(posonlyargs, pos, nposonly);
    COPY(args, pos + nposonly, npos - nposonly);
    COPY(defaults, defs, ndef);
    COPY(kwonlyargs, kwo, nkwo);
    COPY(kw_defaults, kwd, nkwo);
#undef COPY
    return n;
}

/* lambdef: 'lambda' [lambda_params] ':' expression */
static struct dp_py_node *lambdef(struct pp *p)
{
    struct dp_py_node *n = pp_node(p, DP_PY_Lambda, pp_tok(p));
    p->pos++;
    n->v.Lambda.args = pp_params(p, true);
    if (!n->v.Lambda.args || !pp_expect_op(p, DP_PY_OP_COLON)) return NULL;
    n->v.Lambda.body = pp_expression(p);
    if (!n->v.Lambda.body) return NULL;
    pp_end(p, n);
    return n;
}

/* type_params (3.12): '[' (NAME [':' expression] | '*' NAME | '**' NAME) ,... ']' */
struct dp_py_list pp_type_params(struct pp *p)
{
    struct dp_py_list none = {NULL, 0};
    p->pos++;
    int m = pp_mark(p);
    while (!pp_is_op(p, DP_PY_OP_RSQB)) {
        struct dp_py_tok *st = pp_tok(p);
        int kind = pp_accept_op(p, DP_PY_OP_STAR) ? DP_PY_TypeVarTuple
                 : pp_accept_op(p, DP_PY_OP_DOUBLESTAR) ? DP_PY_ParamSpec : DP_PY_TypeVar;
        if (!pp_is_name(p)) { p->nstk = m; pp_syntax_error(p); return none; }
        struct dp_py_node *n = pp_node(p, kind, st);
        n->v.TypeVar.name = pp_ident(p, pp_tok(p));
        p->pos++;
        if (kind == DP_PY_TypeVar && pp_accept_op(p, DP_PY_OP_COLON)) {
            n->v.TypeVar.bound = pp_expression(p);
            if (!n->v.TypeVar.bound) { p->nstk = m; return none; }
        }
        pp_end(p, n);
        pp_push(p, n);
        if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
    }
    if (!pp_expect_op(p, DP_PY_OP_RSQB)) { p->nstk = m; return none; }
    return pp_list(p, m);
}

/* ---------------------------------------------------------------- expression entry points */

/* expression: disjunction ['if' disjunction 'else' expression] | lambdef */
struct dp_py_node *pp_expression(struct pp *p)
{
    struct dp_py_node *fast = pp_simple_atom(p);
    if (fast || p->failed) return fast;
    if (!pp_enter(p)) return NULL;
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *r;
    if (pp_is_kw(p, DP_PY_KW_lambda)) {
        r = lambdef(p);
    } else {
        r = pp_disjunction(p);
        if (r && pp_is_kw(p, DP_PY_KW_if)) {
            p->pos++;
            struct dp_py_node *n = pp_node(p, DP_PY_IfExp, pp_tok(p));
            n->v.IfExp.body = r;
            n->v.IfExp.test = pp_disjunction(p);
            if (!n->v.IfExp.test) { pp_leave(p); return NULL; }
            if (!pp_accept_kw(p, DP_PY_KW_else)) {
                pp_leave(p);
                return pp_error_at(p, r->lineno, r->col_offset, "SyntaxError", "expected 'else' after 'if' expression");
            }
            n->v.IfExp.orelse = pp_expression(p);
            if (!n->v.IfExp.orelse) { pp_leave(p); return NULL; }
            pp_start_end(p, n, st);
            r = n;
        }
    }
    pp_leave(p);
    return r;
}

/* named_expression: NAME ':=' expression | expression */
struct dp_py_node *pp_named_expression(struct pp *p)
{
    if (pp_is_name(p) && pp_peek(p, 1)->type == DP_PY_TOK_OP && pp_peek(p, 1)->op == DP_PY_OP_COLONEQUAL) {
        struct dp_py_tok *st = pp_tok(p);
        struct dp_py_node *n = pp_node(p, DP_PY_NamedExpr, st);
        n->v.NamedExpr.target = pp_name(p, DP_PY_CTX_STORE);
        p->pos++;
        n->v.NamedExpr.value = pp_expression(p);
        if (!n->v.NamedExpr.value) return NULL;
        pp_end(p, n);
        return n;
    }
    struct dp_py_node *e = pp_expression(p);
    if (e && pp_is_op(p, DP_PY_OP_COLONEQUAL))
        return pp_error_node(p, e, "cannot use assignment expressions with %s", pp_expr_name(e));
    return e;
}

/* star_expression: '*' bitwise_or | expression */
struct dp_py_node *pp_star_expression(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    if (pp_accept_op(p, DP_PY_OP_STAR)) {
        struct dp_py_node *n = pp_node(p, DP_PY_Starred, st);
        n->v.Starred.value = pp_bitwise_or(p);
        if (!n->v.Starred.value) return NULL;
        pp_end(p, n);
        return n;
    }
    return pp_expression(p);
}

/* star_named_expression: '*' bitwise_or | named_expression */
struct dp_py_node *pp_star_named_expression(struct pp *p)
{
    if (pp_is_op(p, DP_PY_OP_STAR)) return pp_star_expression(p);
    return pp_named_expression(p);
}

/* star_expressions: star_expression (',' star_expression)* [','] */
struct dp_py_node *pp_star_expressions(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = pp_star_expression(p);
    if (!e || !pp_is_op(p, DP_PY_OP_COMMA)) return e;
    int m = pp_mark(p);
    pp_push(p, e);
    while (pp_accept_op(p, DP_PY_OP_COMMA)) {
        if (!pp_starts_expr(p)) break;
        struct dp_py_node *x = pp_star_expression(p);
        if (!x) { p->nstk = m; return NULL; }
        pp_push(p, x);
    }
    return pp_make_tuple(p, m, st, DP_PY_CTX_LOAD);
}

/* yield_expr: 'yield' 'from' expression | 'yield' [star_expressions] */
struct dp_py_node *pp_yield_expr(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    p->pos++;
    if (pp_accept_kw(p, DP_PY_KW_from)) {
        struct dp_py_node *n = pp_node(p, DP_PY_YieldFrom, st);
        n->v.YieldFrom.value = pp_expression(p);
        if (!n->v.YieldFrom.value) return NULL;
        pp_end(p, n);
        return n;
    }
    struct dp_py_node *n = pp_node(p, DP_PY_Yield, st);
    if (pp_starts_expr(p)) {
        n->v.Yield.value = pp_star_expressions(p);
        if (!n->v.Yield.value) return NULL;
    }
    pp_end(p, n);
    return n;
}
