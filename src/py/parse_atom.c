/* Python parser, atoms: names, numbers, displays (tuple, list, dict, set and their
 * comprehensions), calls with CPython's argument-order errors, subscripts and slices, and the
 * trailers of a primary. Operators and lambdas: parse_expr.c. */
#include "py/literal.h"
#include "py/parse_int.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- comprehensions */

/* for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+ */
static bool for_if_clauses(struct pp *p, struct dp_py_list *out)
{
    int m = pp_mark(p);
    while (pp_is_kw(p, DP_PY_KW_for) || (pp_is_kw(p, DP_PY_KW_async) && pp_peek(p, 1)->kw == DP_PY_KW_for)) {
        struct dp_py_node *c = pp_node(p, DP_PY_comprehension, pp_tok(p));
        if (pp_accept_kw(p, DP_PY_KW_async)) c->v.comprehension.is_async = 1;
        p->pos++;
        c->v.comprehension.target = pp_star_targets(p, DP_PY_CTX_STORE);
        if (!c->v.comprehension.target) { p->nstk = m; return false; }
        if (!pp_accept_kw(p, DP_PY_KW_in)) { p->nstk = m; pp_syntax_error(p); return false; }
        c->v.comprehension.iter = pp_disjunction(p);
        if (!c->v.comprehension.iter) { p->nstk = m; return false; }
        int mi = pp_mark(p);
        while (pp_accept_kw(p, DP_PY_KW_if)) {
            struct dp_py_node *cond = pp_disjunction(p);
            if (!cond) { p->nstk = m; return false; }
            pp_push(p, cond);
        }
        c->v.comprehension.ifs = pp_list(p, mi);
        pp_push(p, c);
    }
    *out = pp_list(p, m);
    return true;
}

static bool at_for(struct pp *p)
{
    return pp_is_kw(p, DP_PY_KW_for) || (pp_is_kw(p, DP_PY_KW_async) && pp_peek(p, 1)->kw == DP_PY_KW_for);
}

/* ---------------------------------------------------------------- atoms */

static struct dp_py_node *constant(struct pp *p, struct dp_py_tok *t, int ck)
{
    struct dp_py_node *n = pp_node(p, DP_PY_Constant, t);
    n->v.Constant.value.kind = (enum dp_py_const_kind)ck;
    p->pos++;
    return n;
}

/* '(' ... ')': tuple, group, generator expression, or yield */
static struct dp_py_node *paren_atom(struct pp *p, struct dp_py_tok *st)
{
    p->pos++;
    if (pp_accept_op(p, DP_PY_OP_RPAR)) {
        int m = pp_mark(p);
        return pp_make_tuple(p, m, st, DP_PY_CTX_LOAD);
    }
    if (pp_is_kw(p, DP_PY_KW_yield)) {
        struct dp_py_node *y = pp_yield_expr(p);
        if (!y || !pp_expect_op(p, DP_PY_OP_RPAR)) return NULL;
        return y;
    }
    struct dp_py_node *e = pp_star_named_expression(p);
    if (!e || !pp_check_comma(p, e)) return NULL;
    if (at_for(p)) {
        struct dp_py_node *g = pp_node(p, DP_PY_GeneratorExp, st);
        g->v.GeneratorExp.elt = e;
        if (!for_if_clauses(p, &g->v.GeneratorExp.generators) || !pp_expect_op(p, DP_PY_OP_RPAR)) return NULL;
        pp_end(p, g);
        return g;
    }
    if (pp_is_op(p, DP_PY_OP_COMMA)) {
        int m = pp_mark(p);
        pp_push(p, e);
        while (pp_accept_op(p, DP_PY_OP_COMMA)) {
            if (pp_is_op(p, DP_PY_OP_RPAR)) break;
            struct dp_py_node *x = pp_star_named_expression(p);
            if (!x || !pp_check_comma(p, x)) { p->nstk = m; return NULL; }
            pp_push(p, x);
        }
        if (!pp_expect_op(p, DP_PY_OP_RPAR)) { p->nstk = m; return NULL; }
        return pp_make_tuple(p, m, st, DP_PY_CTX_LOAD);
    }
    if (!pp_expect_op(p, DP_PY_OP_RPAR)) return NULL;
    if (e->kind == DP_PY_Starred) return pp_error_node(p, e, "cannot use starred expression here");
    return e;
}

static struct dp_py_node *list_atom(struct pp *p, struct dp_py_tok *st)
{
    p->pos++;
    int m = pp_mark(p);
    if (!pp_is_op(p, DP_PY_OP_RSQB)) {
        struct dp_py_node *e = pp_star_named_expression(p);
        if (!e || !pp_check_comma(p, e)) return NULL;
        if (at_for(p)) {
            struct dp_py_node *c = pp_node(p, DP_PY_ListComp, st);
            c->v.ListComp.elt = e;
            if (!for_if_clauses(p, &c->v.ListComp.generators) || !pp_expect_op(p, DP_PY_OP_RSQB)) return NULL;
            pp_end(p, c);
            return c;
        }
        pp_push(p, e);
        while (pp_accept_op(p, DP_PY_OP_COMMA)) {
            if (pp_is_op(p, DP_PY_OP_RSQB)) break;
            struct dp_py_node *x = pp_star_named_expression(p);
            if (!x || !pp_check_comma(p, x)) { p->nstk = m; return NULL; }
            pp_push(p, x);
        }
    }
    if (!pp_expect_op(p, DP_PY_OP_RSQB)) { p->nstk = m; return NULL; }
    struct dp_py_node *n = pp_node(p, DP_PY_List, st);
    n->v.List.elts = pp_list(p, m);
    pp_end(p, n);
    return n;
}

/* '{' ... '}': dict, set, dict/set comprehension */
static struct dp_py_node *brace_atom(struct pp *p, struct dp_py_tok *st)
{
    p->pos++;
    if (pp_accept_op(p, DP_PY_OP_RBRACE)) {
        struct dp_py_node *n = pp_node(p, DP_PY_Dict, st);
        pp_end(p, n);
        return n;
    }
    int mk = pp_mark(p);
    struct dp_py_node *first_key = NULL, *first;
    bool is_dict;
    if (pp_is_op(p, DP_PY_OP_DOUBLESTAR)) {
        struct dp_py_tok *dst = pp_tok(p);
        p->pos++;
        first = pp_bitwise_or(p);
        if (!first) return NULL;
        if (at_for(p)) return pp_error_tok(p, dst, "dict unpacking cannot be used in dict comprehension");
        is_dict = true;
    } else {
        first = pp_star_named_expression(p);
        if (!first || !pp_check_comma(p, first)) return NULL;
        is_dict = pp_is_op(p, DP_PY_OP_COLON);
        if (is_dict) {
            struct dp_py_tok *colon = pp_tok(p);
            p->pos++;
            first_key = first;
            if (pp_is_op(p, DP_PY_OP_RBRACE) || pp_is_op(p, DP_PY_OP_COMMA))
                return pp_error_tok(p, colon, "expression expected after dictionary key and ':'");
            first = pp_expression(p);
            if (!first || !pp_check_comma(p, first)) return NULL;
            if (at_for(p)) {
                struct dp_py_node *c = pp_node(p, DP_PY_DictComp, st);
                c->v.DictComp.key = first_key;
                c->v.DictComp.value = first;
                if (!for_if_clauses(p, &c->v.DictComp.generators) || !pp_expect_op(p, DP_PY_OP_RBRACE)) return NULL;
                pp_end(p, c);
                return c;
            }
        } else if (at_for(p)) {
            struct dp_py_node *c = pp_node(p, DP_PY_SetComp, st);
            c->v.SetComp.elt = first;
            if (!for_if_clauses(p, &c->v.SetComp.generators) || !pp_expect_op(p, DP_PY_OP_RBRACE)) return NULL;
            pp_end(p, c);
            return c;
        }
    }
    if (!is_dict) {
        pp_push(p, first);
        while (pp_accept_op(p, DP_PY_OP_COMMA)) {
            if (pp_is_op(p, DP_PY_OP_RBRACE)) break;
            struct dp_py_node *x = pp_star_named_expression(p);
            if (!x || !pp_check_comma(p, x)) { p->nstk = mk; return NULL; }
            pp_push(p, x);
        }
        if (!pp_expect_op(p, DP_PY_OP_RBRACE)) { p->nstk = mk; return NULL; }
        struct dp_py_node *n = pp_node(p, DP_PY_Set, st);
        n->v.Set.elts = pp_list(p, mk);
        pp_end(p, n);
        return n;
    }
    /* dict: keys and values interleaved on the stack, split at the end */
    pp_push(p, first_key);
    pp_push(p, first);
    while (pp_accept_op(p, DP_PY_OP_COMMA)) {
        if (pp_is_op(p, DP_PY_OP_RBRACE)) break;
        struct dp_py_node *k = NULL, *v;
        if (pp_accept_op(p, DP_PY_OP_DOUBLESTAR)) {
            v = pp_bitwise_or(p);
        } else {
            k = pp_expression(p);
            if (!k || !pp_check_comma(p, k)) { p->nstk = mk; return NULL; }
            struct dp_py_tok *colon = pp_tok(p);
            if (!pp_expect_op(p, DP_PY_OP_COLON)) { p->nstk = mk; return NULL; }
            if (pp_is_op(p, DP_PY_OP_RBRACE) || pp_is_op(p, DP_PY_OP_COMMA)) {
                p->nstk = mk;
                return pp_error_tok(p, colon, "expression expected after dictionary key and ':'");
            }
            v = pp_expression(p);
        }
        if (!v || !pp_check_comma(p, v)) { p->nstk = mk; return NULL; }
        pp_push(p, k);
        pp_push(p, v);
    }
    if (!pp_expect_op(p, DP_PY_OP_RBRACE)) { p->nstk = mk; return NULL; }
    struct dp_py_node *n = pp_node(p, DP_PY_Dict, st);
    int cnt = (pp_mark(p) - mk) / 2;
    struct dp_py_node **items = p->stk + mk;
    n->v.Dict.keys.n = n->v.Dict.values.n = cnt;
    n->v.Dict.keys.items = dp_arena_alloc(p->a, (size_t)cnt * sizeof(void *));
    n->v.Dict.values.items = dp_arena_alloc(p->a, (size_t)cnt * sizeof(void *));
    for (int i = 0; i < cnt; i++) {
        n->v.Dict.keys.items[i] = items[2 * i];
        n->v.Dict.values.items[i] = items[2 * i + 1];
    }
    p->nstk = mk;
    pp_end(p, n);
    return n;
}

static struct dp_py_node *atom(struct pp *p);

/* Fast path: a lone name, number or string followed by a token that ends any expression is
 * the whole expression; most leaves of real code are like that, and this skips the fifteen
 * levels of the precedence ladder. Returns NULL (without an error) when it does not apply. */
struct dp_py_node *pp_simple_atom(struct pp *p)
{
    const struct dp_py_tok *t = &p->t[p->pos], *nx = &p->t[p->pos + 1 < p->n ? p->pos + 1 : p->pos];
    if (t->type == DP_PY_TOK_NAME) {
        if (t->kw != DP_PY_KW_NONE && t->kw < DP_PY_KW_SOFT &&
            t->kw != DP_PY_KW_None && t->kw != DP_PY_KW_True && t->kw != DP_PY_KW_False)
            return NULL;
    } else if (t->type != DP_PY_TOK_NUMBER && t->type != DP_PY_TOK_STRING) {
        return NULL;
    }
    return pp_ends_expr(nx) ? atom(p) : NULL;
}

/* every atom but a name */
static struct dp_py_node *other_atom(struct pp *p, struct dp_py_tok *t)
{
    switch (t->type) {
    case DP_PY_TOK_NAME:
        switch (t->kw) {
        case DP_PY_KW_None: return constant(p, t, DP_PY_CONST_NONE);
        case DP_PY_KW_True: return constant(p, t, DP_PY_CONST_TRUE);
        case DP_PY_KW_False: return constant(p, t, DP_PY_CONST_FALSE);
        default: return pp_syntax_error(p);
        }
    case DP_PY_TOK_NUMBER: {
        struct dp_py_node *n = pp_node(p, DP_PY_Constant, t);
        const char *why = NULL;
        if (dp_py_number_parse(p->a, p->whole->src + t->start, t->end - t->start, &n->v.Constant.value, &why))
            return pp_error_tok(p, t, "%s", why ? why : "invalid number literal");
        p->pos++;
        return n;
    }
    case DP_PY_TOK_STRING: return pp_strings(p);
    case DP_PY_TOK_OP:
        switch (t->op) {
        case DP_PY_OP_LPAR: return paren_atom(p, t);
        case DP_PY_OP_LSQB: return list_atom(p, t);
        case DP_PY_OP_LBRACE: return brace_atom(p, t);
        case DP_PY_OP_ELLIPSIS: return constant(p, t, DP_PY_CONST_ELLIPSIS);
        default: break;
        }
        /* fall through */
    default:
        return pp_syntax_error(p);
    }
}

/* atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple, group, genexp | list,
 *       listcomp | dict, set, dictcomp, setcomp | '...' */
static struct dp_py_node *atom(struct pp *p)
{
    struct dp_py_tok *t = pp_tok(p);
    if (t->type == DP_PY_TOK_NAME && (t->kw == DP_PY_KW_NONE || t->kw > DP_PY_KW_SOFT))
        return pp_name_at(p, t, DP_PY_CTX_LOAD);
    return other_atom(p, t);
}

/* ---------------------------------------------------------------- calls and subscripts */

/* args after '(' up to and including ')': positional, *args, keyword=, **kwargs, a bare genexp */
int pp_call_args(struct pp *p, struct dp_py_node *call)
{
    struct dp_py_tok *open = pp_prev(p);
    int ma = pp_mark(p);
    int nargs = 0;
    struct dp_py_node *kws[512];
    struct dp_py_node **kw = kws;
    int nkw = 0, capkw = 512;
    bool seen_kw = false, seen_kwunpack = false;
    int rc = -1;
    struct dp_py_tok *first_arg = pp_tok(p);
    while (!pp_is_op(p, DP_PY_OP_RPAR)) {
        struct dp_py_tok *it = pp_tok(p);
        struct dp_py_node *k = NULL;
        if (pp_accept_op(p, DP_PY_OP_STAR)) {
            struct dp_py_node *s = pp_node(p, DP_PY_Starred, it);
            s->v.Starred.value = pp_expression(p);
            if (!s->v.Starred.value) goto out;
            pp_end(p, s);
            if (seen_kwunpack) { pp_error_tok(p, first_arg, "iterable argument unpacking follows keyword argument unpacking"); goto out; }
            pp_push(p, s);
            nargs++;
        } else if (pp_accept_op(p, DP_PY_OP_DOUBLESTAR)) {
            k = pp_node(p, DP_PY_keyword, it);
            k->v.keyword.value = pp_expression(p);
            if (!k->v.keyword.value) goto out;
            pp_end(p, k);
            seen_kwunpack = true;
        } else if (pp_is_name(p) && pp_peek(p, 1)->type == DP_PY_TOK_OP && pp_peek(p, 1)->op == DP_PY_OP_EQUAL) {
            k = pp_node(p, DP_PY_keyword, it);
            k->v.keyword.arg = pp_ident(p, it);
            p->pos += 2;
            k->v.keyword.value = pp_expression(p);
            if (!k->v.keyword.value) goto out;
            pp_end(p, k);
            seen_kw = true;
        } else {
            /* most arguments are a lone name or literal: what named_expression would make */
            struct dp_py_node *e = pp_simple_atom(p);
            if (!e && !p->failed) e = pp_named_expression(p);
            if (!e || !pp_check_comma(p, e)) goto out;
            bool gen = at_for(p);
            if (gen && p->class_args) { pp_syntax_error(p); goto out; }
            if (gen) {
                struct dp_py_node *g = pp_node(p, DP_PY_GeneratorExp, open);
                g->v.GeneratorExp.elt = e;
                if (!for_if_clauses(p, &g->v.GeneratorExp.generators)) goto out;
                bool alone = nargs == 0 && nkw == 0 && pp_is_op(p, DP_PY_OP_RPAR);
                if (!alone && !(nargs == 0 && nkw == 0 && pp_is_op(p, DP_PY_OP_COMMA) && pp_peek(p, 1)->type == DP_PY_TOK_OP && pp_peek(p, 1)->op == DP_PY_OP_RPAR)) {
                    pp_error_at(p, e->lineno, e->col_offset, "SyntaxError", "Generator expression must be parenthesized");
                    goto out;
                }
                if (!alone) p->pos++;
                pp_end(p, g);
                g->end_lineno = pp_tok(p)->end_line;
                g->end_col_offset = pp_tok(p)->end_col;
                e = g;
            } else if (pp_is_op(p, DP_PY_OP_EQUAL)) {
                pp_error_node(p, e, "expression cannot contain assignment, perhaps you meant \"==\"?");
                goto out;
            }
            if (seen_kwunpack) { pp_error_far(p, "positional argument follows keyword argument unpacking"); goto out; }
            if (seen_kw) { pp_error_far(p, "positional argument follows keyword argument"); goto out; }
            pp_push(p, e);
            nargs++;
        }
        if (k) {
            if (nkw == capkw) {
                capkw *= 2;
                struct dp_py_node **nk = dp_xmalloc((size_t)capkw * sizeof *nk);
                memcpy(nk, kw, (size_t)nkw * sizeof *nk);
                if (kw != kws) free(kw);
                kw = nk;
            }
            kw[nkw++] = k;
        }
        if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
    }
    if (!pp_expect_op(p, DP_PY_OP_RPAR)) goto out;
    call->v.Call.args = pp_list(p, ma);
    call->v.Call.keywords.n = nkw;
    if (nkw) {
        call->v.Call.keywords.items = dp_arena_alloc(p->a, (size_t)nkw * sizeof(void *));
        memcpy(call->v.Call.keywords.items, kw, (size_t)nkw * sizeof(void *));
    }
    rc = 0;
out:
    if (rc) p->nstk = ma;
    if (kw != kws) free(kw);
    return rc;
}

/* slice: [expression] ':' [expression] [':' [expression]] | named_expression | starred */
static struct dp_py_node *slice_item(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *lower = NULL;
    if (pp_is_op(p, DP_PY_OP_STAR)) {
        p->pos++;
        struct dp_py_node *s = pp_node(p, DP_PY_Starred, st);
        s->v.Starred.value = pp_bitwise_or(p);
        if (!s->v.Starred.value) return NULL;
        pp_end(p, s);
        return s;
    }
    if (!pp_is_op(p, DP_PY_OP_COLON)) {
        lower = pp_named_expression(p);
        if (!lower) return NULL;
        if (!pp_is_op(p, DP_PY_OP_COLON)) return lower;
    }
    struct dp_py_node *n = pp_node(p, DP_PY_Slice, st);
    n->v.Slice.lower = lower;
    p->pos++;   /* ':' */
    if (!pp_is_op(p, DP_PY_OP_COLON) && !pp_is_op(p, DP_PY_OP_COMMA) && !pp_is_op(p, DP_PY_OP_RSQB)) {
        n->v.Slice.upper = pp_expression(p);
        if (!n->v.Slice.upper) return NULL;
    }
    if (pp_accept_op(p, DP_PY_OP_COLON)) {
        if (!pp_is_op(p, DP_PY_OP_COMMA) && !pp_is_op(p, DP_PY_OP_RSQB)) {
            n->v.Slice.step = pp_expression(p);
            if (!n->v.Slice.step) return NULL;
        }
    }
    pp_end(p, n);
    return n;
}

static struct dp_py_node *slices(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *first = slice_item(p);
    if (!first) return NULL;
    /* a lone starred item still makes a tuple: a[*b] is a[(*b,)] */
    if (!pp_is_op(p, DP_PY_OP_COMMA) && first->kind != DP_PY_Starred) return first;
    int m = pp_mark(p);
    pp_push(p, first);
    while (pp_accept_op(p, DP_PY_OP_COMMA)) {
        if (pp_is_op(p, DP_PY_OP_RSQB)) break;
        struct dp_py_node *x = slice_item(p);
        if (!x) { p->nstk = m; return NULL; }
        pp_push(p, x);
    }
    return pp_make_tuple(p, m, st, DP_PY_CTX_LOAD);
}

/* primary: atom ('.' NAME | '(' args ')' | '[' slices ']')* */
struct dp_py_node *pp_primary(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = atom(p);
    int chain = 0;
    while (e) {
        pp_chain(p, ++chain);
        struct dp_py_tok *t = pp_tok(p);
        if (t->type != DP_PY_TOK_OP) break;
        if (t->op == DP_PY_OP_DOT) {
            p->pos++;
            if (!pp_is_name(p)) return pp_syntax_error(p);
            struct dp_py_node *n = pp_node(p, DP_PY_Attribute, pp_tok(p));
            n->v.Attribute.value = e;
            n->v.Attribute.attr = pp_ident(p, pp_tok(p));
            p->pos++;
            pp_start_end(p, n, st);
            e = n;
        } else if (t->op == DP_PY_OP_LPAR) {
            p->pos++;
            struct dp_py_node *n = pp_node(p, DP_PY_Call, t);
            n->v.Call.func = e;
            if (pp_call_args(p, n)) return NULL;
            pp_start_end(p, n, st);
            e = n;
        } else if (t->op == DP_PY_OP_LSQB) {
            p->pos++;
            struct dp_py_node *n = pp_node(p, DP_PY_Subscript, t);
            n->v.Subscript.value = e;
            n->v.Subscript.slice = slices(p);
            if (!n->v.Subscript.slice || !pp_expect_op(p, DP_PY_OP_RSQB)) return NULL;
            pp_start_end(p, n, st);
            e = n;
        } else {
            break;
        }
    }
    return e;
}

