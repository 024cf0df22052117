/* Python parser, part 4: the match statement (PEP 634) and its patterns. 'match' is a soft
 * keyword: the statement is tried first and, when it does not fit, the caller parses the line as
 * an ordinary statement in which 'match' is a name. */
#include "py/parse_int.h"
#include <string.h>

static struct dp_py_node *pattern(struct pp *p);

static struct dp_py_node *pat_node(struct pp *p, int kind, const struct dp_py_tok *st)
{
    return pp_node(p, kind, st);
}

/* signed_number: NUMBER | '-' NUMBER;  complex_number: signed_real ('+'|'-') imaginary */
static struct dp_py_node *number_expr(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e;
    if (pp_is_op(p, DP_PY_OP_MINUS)) {
        p->pos++;
        if (!pp_is_type(p, DP_PY_TOK_NUMBER)) return pp_syntax_error(p);
        e = pp_node(p, DP_PY_UnaryOp, st);
        e->v.UnaryOp.op = DP_PY_USUB;
        e->v.UnaryOp.operand = pp_primary(p);
        if (!e->v.UnaryOp.operand) return NULL;
        pp_end(p, e);
    } else {
        e = pp_primary(p);
        if (!e) return NULL;
    }
    if (pp_is_op(p, DP_PY_OP_PLUS) || pp_is_op(p, DP_PY_OP_MINUS)) {
        struct dp_py_tok *opt = pp_tok(p);
        p->pos++;
        if (!pp_is_type(p, DP_PY_TOK_NUMBER)) return pp_syntax_error(p);
        struct dp_py_node *r = pp_primary(p);
        if (!r) return NULL;
        if (r->v.Constant.value.kind != DP_PY_CONST_COMPLEX)
            return pp_error_node(p, r, "imaginary number required in complex literal");
        struct dp_py_node *b = pp_node(p, DP_PY_BinOp, opt);
        b->v.BinOp.left = e;
        b->v.BinOp.op = opt->op == DP_PY_OP_PLUS ? DP_PY_ADD : DP_PY_SUB;
        b->v.BinOp.right = r;
        pp_start_end(p, b, st);
        e = b;
    }
    return e;
}

/* name_or_attr: NAME ('.' NAME)* */
static struct dp_py_node *name_or_attr(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = pp_name(p, DP_PY_CTX_LOAD);
    while (e && pp_is_op(p, DP_PY_OP_DOT)) {
        p->pos++;
        if (!pp_is_name(p)) return pp_syntax_error(p);
        struct dp_py_node *a = pp_node(p, DP_PY_Attribute, pp_tok(p));
        a->v.Attribute.value = e;
        a->v.Attribute.attr = pp_ident(p, pp_tok(p));
        p->pos++;
        pp_start_end(p, a, st);
        e = a;
    }
    return e;
}

/* star_pattern: '*' NAME | '*' '_'  — or a full pattern */
static struct dp_py_node *maybe_star_pattern(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    if (pp_accept_op(p, DP_PY_OP_STAR)) {
        struct dp_py_node *n = pat_node(p, DP_PY_MatchStar, st);
        if (!pp_is_name(p)) return pp_syntax_error(p);
        if (pp_tok(p)->kw != DP_PY_KW__) n->v.MatchStar.name = pp_ident(p, pp_tok(p));
        p->pos++;
        pp_end(p, n);
        return n;
    }
    return pattern(p);
}

/* sequence items up to the closing token; *had_comma tells whether a comma was seen */
static bool seq_items(struct pp *p, int close, int *m, bool *had_comma)
{
    *m = pp_mark(p);
    *had_comma = false;
    while (!pp_is_op(p, close)) {
        struct dp_py_node *x = maybe_star_pattern(p);
        if (!x) { p->nstk = *m; return false; }
        pp_push(p, x);
        if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
        *had_comma = true;
    }
    if (!pp_expect_op(p, close)) { p->nstk = *m; return false; }
    return true;
}

static struct dp_py_node *mapping_pattern(struct pp *p, struct dp_py_tok *st)
{
    p->pos++;
    struct dp_py_node *n = pat_node(p, DP_PY_MatchMapping, st);
    int m = pp_mark(p);
    while (!pp_is_op(p, DP_PY_OP_RBRACE)) {
        if (pp_accept_op(p, DP_PY_OP_DOUBLESTAR)) {
            if (!pp_is_name(p)) { p->nstk = m; return pp_syntax_error(p); }
            n->v.MatchMapping.rest = pp_ident(p, pp_tok(p));
            p->pos++;
            pp_accept_op(p, DP_PY_OP_COMMA);
            break;
        }
        struct dp_py_node *k;
        struct dp_py_tok *t = pp_tok(p);
        if (t->type == DP_PY_TOK_NUMBER || (t->type == DP_PY_TOK_OP && t->op == DP_PY_OP_MINUS)) k = number_expr(p);
        else if (t->type == DP_PY_TOK_STRING) k = pp_strings(p);
        else if (t->type == DP_PY_TOK_NAME && (t->kw == DP_PY_KW_None || t->kw == DP_PY_KW_True || t->kw == DP_PY_KW_False)) k = pp_primary(p);
        else if (pp_is_name(p)) k = name_or_attr(p);
        else k = pp_syntax_error(p);
        if (!k || !pp_expect_op(p, DP_PY_OP_COLON)) { p->nstk = m; return NULL; }
        struct dp_py_node *v = pattern(p);
        if (!v) { p->nstk = m; return NULL; }
        pp_push(p, k);
        pp_push(p, v);
        if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
    }
    if (!pp_expect_op(p, DP_PY_OP_RBRACE)) { p->nstk = m; return NULL; }
    int cnt = (pp_mark(p) - m) / 2;
    struct dp_py_node **items = cnt ? p->stk + m : NULL;
    n->v.MatchMapping.keys.n = n->v.MatchMapping.patterns.n = cnt;
    n->v.MatchMapping.keys.items = dp_arena_alloc(p->a, (size_t)cnt * sizeof(void *));
    n->v.MatchMapping.patterns.items = dp_arena_alloc(p->a, (size_t)cnt * sizeof(void *));
    for (int i = 0; i < cnt; i++) {
        n->v.MatchMapping.keys.items[i] = items[2 * i];
        n->v.MatchMapping.patterns.items[i] = items[2 * i + 1];
    }
    p->nstk = m;
    pp_end(p, n);
    return n;
}

/* class_pattern: name_or_attr '(' [patterns] [NAME '=' pattern, ...] ')' */
static struct dp_py_node *class_pattern(struct pp *p, struct dp_py_node *cls)
{
    struct dp_py_node *n = pat_node(p, DP_PY_MatchClass, pp_tok(p));
    n->v.MatchClass.cls = cls;
    p->pos++;
    int m = pp_mark(p);
    int npos = 0;
    const char *names[256];
    int nk = 0;
    while (!pp_is_op(p, DP_PY_OP_RPAR)) {
        if (pp_is_name(p) && pp_peek(p, 1)->type == DP_PY_TOK_OP && pp_peek(p, 1)->op == DP_PY_OP_EQUAL) {
            if (nk >= 256) { p->nstk = m; return pp_error_tok(p, pp_tok(p), "too many keyword patterns"); }
            names[nk++] = pp_ident(p, pp_tok(p));
            p->pos += 2;
            struct dp_py_node *v = pattern(p);
            if (!v) { p->nstk = m; return NULL; }
            pp_push(p, v);
        } else {
            if (nk > 0) {
                struct dp_py_node *v = pattern(p);
                p->nstk = m;
                if (!v) return NULL;
                return pp_error_node(p, v, "positional patterns follow keyword patterns");
            }
            struct dp_py_node *v = pattern(p);
            if (!v) { p->nstk = m; return NULL; }
            pp_push(p, v);
            npos++;
        }
        if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
    }
    if (!pp_expect_op(p, DP_PY_OP_RPAR)) { p->nstk = m; return NULL; }
    struct dp_py_node **items = npos + nk ? p->stk + m : NULL;
    struct dp_py_list pl = {NULL, npos}, kl = {NULL, nk};
    if (npos) { pl.items = dp_arena_alloc(p->a, (size_t)npos * sizeof(void *)); memcpy(pl.items, items, (size_t)npos * sizeof(void *)); }
    if (nk) { kl.items = dp_arena_alloc(p->a, (size_t)nk * sizeof(void *)); memcpy(kl.items, items + npos, (size_t)nk * sizeof(void *)); }
    p->nstk = m;
    n->v.MatchClass.patterns = pl;
    n->v.MatchClass.kwd_patterns = kl;
    n->v.MatchClass.kwd_attrs.n = nk;
    if (nk) {
        n->v.MatchClass.kwd_attrs.items = dp_arena_alloc(p->a, (size_t)nk * sizeof(char *));
        memcpy(n->v.MatchClass.kwd_attrs.items, names, (size_t)nk * sizeof(char *));
    }
    pp_span(n, cls, cls);
    pp_end(p, n);
    return n;
}

static struct dp_py_node *closed_pattern(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    if (!pp_enter(p)) return NULL;
    struct dp_py_node *r = NULL;
    if (st->type == DP_PY_TOK_NUMBER || (st->type == DP_PY_TOK_OP && st->op == DP_PY_OP_MINUS)) {
        struct dp_py_node *v = number_expr(p);
        if (v) { r = pat_node(p, DP_PY_MatchValue, st); r->v.MatchValue.value = v; pp_span(r, v, v); }
    } else if (st->type == DP_PY_TOK_STRING) {
        struct dp_py_node *v = pp_strings(p);
        if (v && v->kind == DP_PY_JoinedStr) v = pp_error_node(p, v, "patterns may only match literals and attribute lookups");
        if (v) { r = pat_node(p, DP_PY_MatchValue, st); r->v.MatchValue.value = v; pp_span(r, v, v); }
    } else if (st->type == DP_PY_TOK_NAME && (st->kw == DP_PY_KW_None || st->kw == DP_PY_KW_True || st->kw == DP_PY_KW_False)) {
        r = pat_node(p, DP_PY_MatchSingleton, st);
        r->v.MatchSingleton.value.kind = st->kw == DP_PY_KW_None ? DP_PY_CONST_NONE : st->kw == DP_PY_KW_True ? DP_PY_CONST_TRUE : DP_PY_CONST_FALSE;
        p->pos++;
    } else if (pp_is_name(p)) {
        bool dotted = pp_peek(p, 1)->type == DP_PY_TOK_OP && pp_peek(p, 1)->op == DP_PY_OP_DOT;
        if (!dotted && !(pp_peek(p, 1)->type == DP_PY_TOK_OP && pp_peek(p, 1)->op == DP_PY_OP_LPAR)) {
            r = pat_node(p, DP_PY_MatchAs, st);
            if (st->kw != DP_PY_KW__) r->v.MatchAs.name = pp_ident(p, st);
            p->pos++;
        } else {
            struct dp_py_node *v = name_or_attr(p);
            if (v && pp_is_op(p, DP_PY_OP_LPAR)) r = class_pattern(p, v);
            else if (v) { r = pat_node(p, DP_PY_MatchValue, st); r->v.MatchValue.value = v; pp_span(r, v, v); }
        }
    } else if (st->type == DP_PY_TOK_OP && st->op == DP_PY_OP_LPAR) {
        p->pos++;
        if (pp_is_op(p, DP_PY_OP_RPAR)) {
            p->pos++;
            r = pat_node(p, DP_PY_MatchSequence, st);
            pp_end(p, r);
        } else {
            int save = p->pos;
            struct dp_py_node *first = pp_is_op(p, DP_PY_OP_STAR) ? NULL : pattern(p);
            if (first && pp_accept_op(p, DP_PY_OP_RPAR)) {
                r = first;   /* group pattern */
            } else if (!p->failed) {
                p->pos = save;
                int m;
                bool comma;
                if (seq_items(p, DP_PY_OP_RPAR, &m, &comma)) {
                    r = pat_node(p, DP_PY_MatchSequence, st);
                    r->v.MatchSequence.patterns = pp_list(p, m);
                    pp_end(p, r);
                }
            }
        }
    } else if (st->type == DP_PY_TOK_OP && st->op == DP_PY_OP_LSQB) {
        p->pos++;
        int m;
        bool comma;
        if (seq_items(p, DP_PY_OP_RSQB, &m, &comma)) {
            r = pat_node(p, DP_PY_MatchSequence, st);
            r->v.MatchSequence.patterns = pp_list(p, m);
            pp_end(p, r);
        }
    } else if (st->type == DP_PY_TOK_OP && st->op == DP_PY_OP_LBRACE) {
        r = mapping_pattern(p, st);
    } else {
        r = pp_syntax_error(p);
    }
    pp_leave(p);
    return r;
}

/* pattern: or_pattern ['as' NAME] ;  or_pattern: '|'.closed_pattern+ */
static struct dp_py_node *pattern(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *first = closed_pattern(p);
    if (!first) return NULL;
    struct dp_py_node *r = first;
    if (pp_is_op(p, DP_PY_OP_VBAR)) {
        int m = pp_mark(p);
        pp_push(p, first);
        while (pp_accept_op(p, DP_PY_OP_VBAR)) {
            struct dp_py_node *x = closed_pattern(p);
            if (!x) { p->nstk = m; return NULL; }
            pp_push(p, x);
        }
        r = pat_node(p, DP_PY_MatchOr, st);
        r->v.MatchOr.patterns = pp_list(p, m);
        pp_end(p, r);
    }
    if (pp_accept_kw(p, DP_PY_KW_as)) {
        if (!pp_is_name(p)) return pp_syntax_error(p);
        if (pp_tok(p)->kw == DP_PY_KW__) return pp_error_tok(p, pp_tok(p), "cannot use '_' as a target");
        struct dp_py_node *a = pat_node(p, DP_PY_MatchAs, st);
        a->v.MatchAs.pattern = r;
        a->v.MatchAs.name = pp_ident(p, pp_tok(p));
        p->pos++;
        pp_end(p, a);
        r = a;
    }
    return r;
}

/* patterns: open_sequence_pattern | pattern */
static struct dp_py_node *patterns(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *first = maybe_star_pattern(p);
    if (!first) return NULL;
    if (!pp_is_op(p, DP_PY_OP_COMMA) && first->kind != DP_PY_MatchStar) return first;
    int m = pp_mark(p);
    pp_push(p, first);
    while (pp_accept_op(p, DP_PY_OP_COMMA)) {
        if (pp_is_op(p, DP_PY_OP_COLON) || pp_is_kw(p, DP_PY_KW_if)) break;
        struct dp_py_node *x = maybe_star_pattern(p);
        if (!x) { p->nstk = m; return NULL; }
        pp_push(p, x);
    }
    struct dp_py_node *n = pat_node(p, DP_PY_MatchSequence, st);
    n->v.MatchSequence.patterns = pp_list(p, m);
    pp_end(p, n);
    return n;
}

/* subject_expr: star_named_expression ',' star_named_expressions? | named_expression */
static struct dp_py_node *subject(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *e = pp_star_named_expression(p);
    if (!e || !pp_is_op(p, DP_PY_OP_COMMA)) {
        if (e && e->kind == DP_PY_Starred) return pp_syntax_error(p);
        return e;
    }
    int m = pp_mark(p);
    pp_push(p, e);
    while (pp_accept_op(p, DP_PY_OP_COMMA)) {
        if (pp_is_op(p, DP_PY_OP_COLON)) break;
        struct dp_py_node *x = pp_star_named_expression(p);
        if (!x) { p->nstk = m; return NULL; }
        pp_push(p, x);
    }
    struct dp_py_node *n = pp_node(p, DP_PY_Tuple, st);
    n->v.Tuple.elts = pp_list(p, m);
    pp_end(p, n);
    return n;
}

/* match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
 * Returns NULL with no error when the line is not a match statement. */
struct dp_py_node *pp_match_stmt(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    int save = p->pos, savefar = p->far, m = pp_mark(p);
    p->pos++;
    struct dp_py_node *subj = NULL;
    if (!pp_is_op(p, DP_PY_OP_COLON) && !pp_is_type(p, DP_PY_TOK_NEWLINE)) subj = subject(p);
    if (!subj || !pp_is_op(p, DP_PY_OP_COLON) || pp_peek(p, 1)->type != DP_PY_TOK_NEWLINE) {
        p->failed = false;
        p->pos = save;
        p->far = savefar;
        p->nstk = m;
        return NULL;
    }
    p->pos += 2;
    if (!pp_is_type(p, DP_PY_TOK_INDENT)) {
        struct dp_py_tok *t = pp_tok(p);
        return pp_error_at(p, t->line, t->col, "IndentationError", "expected an indented block after 'match' statement on line %d", st->line);
    }
    p->pos++;
    struct dp_py_node *n = pp_node(p, DP_PY_Match, st);
    n->v.Match.subject = subj;
    while (!pp_is_type(p, DP_PY_TOK_DEDENT) && !pp_is_type(p, DP_PY_TOK_END)) {
        if (!pp_is_kw(p, DP_PY_KW_case)) { p->nstk = m; return pp_syntax_error(p); }
        int case_line = pp_tok(p)->line;
        p->pos++;
        struct dp_py_node *c = pp_node(p, DP_PY_match_case, pp_tok(p));
        c->v.match_case.pattern = patterns(p);
        if (!c->v.match_case.pattern) { p->nstk = m; return NULL; }
        if (pp_accept_kw(p, DP_PY_KW_if)) {
            c->v.match_case.guard = pp_named_expression(p);
            if (!c->v.match_case.guard) { p->nstk = m; return NULL; }
        }
        if (!pp_expect_op(p, DP_PY_OP_COLON)) { p->nstk = m; return NULL; }
        c->v.match_case.body = pp_block(p, "'case' statement", case_line);
        if (p->failed) { p->nstk = m; return NULL; }
        struct dp_py_list b = c->v.match_case.body;
        if (b.n) { n->end_lineno = b.items[b.n - 1]->end_lineno; n->end_col_offset = b.items[b.n - 1]->end_col_offset; }
        pp_push(p, c);
    }
    if (pp_is_type(p, DP_PY_TOK_DEDENT)) p->pos++;
    n->v.Match.cases = pp_list(p, m);
    return n;
}
