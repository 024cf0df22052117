/* Python parser, statements: simple statements (expressions, assignments with CPython's error
 * messages, imports, del, global, type aliases) and compound ones (if, while, for, with, try,
 * def, class, decorators) with their indented blocks. Match statements: parse_pattern.c. */
#include "py/parse_int.h"
#include <stdlib.h>
#include <string.h>

static struct dp_py_idlist idlist_from(struct pp *p, const char **names, int n)
{
    struct dp_py_idlist l = {NULL, n};
    if (n) {
        l.items = dp_arena_alloc(p->a, (size_t)n * sizeof *l.items);
        memcpy(l.items, names, (size_t)n * sizeof *names);
    }
    return l;
}

/* ---------------------------------------------------------------- simple statements */


/* dotted_name: NAME ('.' NAME)* */
static const char *dotted_name(struct pp *p)
{
    if (!pp_is_name(p)) return pp_syntax_error(p);
    uint32_t s = pp_tok(p)->start, e = pp_tok(p)->end;
    p->pos++;
    char buf[4096];
    size_t k = 0;
    size_t len = e - s;
    if (len >= sizeof buf) return pp_error_tok(p, pp_prev(p), "name too long");
    memcpy(buf, p->whole->src + s, len);
    k = len;
    while (pp_is_op(p, DP_PY_OP_DOT) && pp_peek(p, 1)->type == DP_PY_TOK_NAME) {
        p->pos++;
        struct dp_py_tok *t = pp_tok(p);
        if (!pp_is_name(p)) return pp_syntax_error(p);
        size_t l = t->end - t->start;
        if (k + 1 + l >= sizeof buf) return pp_error_tok(p, t, "name too long");
        buf[k++] = '.';
        memcpy(buf + k, p->whole->src + t->start, l);
        k += l;
        p->pos++;
    }
    if (pp_is_op(p, DP_PY_OP_DOT)) { p->pos++; return pp_syntax_error(p); }
    return dp_arena_strndup(p->a, buf, k);
}

static struct dp_py_node *alias_node(struct pp *p, bool dotted)
{
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *n = pp_node(p, DP_PY_alias, st);
    n->v.alias.name = dotted ? dotted_name(p) : (pp_is_name(p) ? pp_ident(p, pp_tok(p)) : pp_syntax_error(p));
    if (!n->v.alias.name) return NULL;
    if (!dotted) p->pos++;
    if (pp_accept_kw(p, DP_PY_KW_as)) {
        if (!pp_is_name(p)) return pp_syntax_error(p);
        n->v.alias.asname = pp_ident(p, pp_tok(p));
        p->pos++;
    }
    pp_end(p, n);
    return n;
}

/* import_name: 'import' dotted_as_names */
static struct dp_py_node *import_name(struct pp *p, struct dp_py_node *n)
{
    int m = pp_mark(p);
    do {
        struct dp_py_node *a = alias_node(p, true);
        if (!a) return NULL;
        pp_push(p, a);
    } while (pp_accept_op(p, DP_PY_OP_COMMA));
    n->v.Import.names = pp_list(p, m);
    return n;
}

/* import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
 *            | 'from' ('.' | '...')+ 'import' import_from_targets */
static struct dp_py_node *import_from(struct pp *p, struct dp_py_node *n)
{
    int level = 0;
    for (;;) {
        if (pp_accept_op(p, DP_PY_OP_DOT)) level++;
        else if (pp_accept_op(p, DP_PY_OP_ELLIPSIS)) level += 3;
        else break;
    }
    if (!pp_is_kw(p, DP_PY_KW_import)) {
        n->v.ImportFrom.module = dotted_name(p);
        if (!n->v.ImportFrom.module) return NULL;
    } else if (level == 0) {
        return pp_syntax_error(p);
    }
    if (!pp_accept_kw(p, DP_PY_KW_import)) return pp_syntax_error(p);
    n->v.ImportFrom.level = level;
    int m = pp_mark(p);
    if (pp_is_op(p, DP_PY_OP_STAR)) {
        struct dp_py_node *a = pp_node(p, DP_PY_alias, pp_tok(p));
        a->v.alias.name = "*";
        p->pos++;
        pp_push(p, a);
    } else {
        bool paren = pp_accept_op(p, DP_PY_OP_LPAR);
        do {
            if (paren && pp_is_op(p, DP_PY_OP_RPAR) && pp_mark(p) > m) break;
            struct dp_py_node *a = alias_node(p, false);
            if (!a) return NULL;
            pp_push(p, a);
        } while (pp_accept_op(p, DP_PY_OP_COMMA));
        if (paren && !pp_expect_op(p, DP_PY_OP_RPAR)) return NULL;
        if (!paren && pp_prev(p)->type == DP_PY_TOK_OP && pp_prev(p)->op == DP_PY_OP_COMMA)
            return pp_error_tok(p, pp_prev(p), "trailing comma not allowed without surrounding parentheses");
    }
    n->v.ImportFrom.names = pp_list(p, m);
    return n;
}

static struct dp_py_node *names_stmt(struct pp *p, struct dp_py_node *n, struct dp_py_idlist *out)
{
    const char *names[256];
    const char **big = NULL;
    int k = 0, cap = 256;
    const char **buf = names;
    do {
        if (!pp_is_name(p)) { free(big); return pp_syntax_error(p); }
        if (k == cap) {
            cap *= 2;
            const char **nb = dp_xmalloc((size_t)cap * sizeof *nb);
            memcpy(nb, buf, (size_t)k * sizeof *nb);
            free(big);
            big = nb;
            buf = nb;
        }
        buf[k++] = pp_ident(p, pp_tok(p));
        p->pos++;
    } while (pp_accept_op(p, DP_PY_OP_COMMA));
    *out = idlist_from(p, buf, k);
    free(big);
    return n;
}

static bool is_augassign(int op)
{
    return op == DP_PY_OP_PLUSEQUAL || op == DP_PY_OP_MINEQUAL || op == DP_PY_OP_STAREQUAL ||
           op == DP_PY_OP_SLASHEQUAL || op == DP_PY_OP_PERCENTEQUAL || op == DP_PY_OP_AMPEREQUAL ||
           op == DP_PY_OP_VBAREQUAL || op == DP_PY_OP_CIRCUMFLEXEQUAL || op == DP_PY_OP_LEFTSHIFTEQUAL ||
           op == DP_PY_OP_RIGHTSHIFTEQUAL || op == DP_PY_OP_DOUBLESTAREQUAL ||
           op == DP_PY_OP_DOUBLESLASHEQUAL || op == DP_PY_OP_ATEQUAL;
}

static int augassign_binop(int op)
{
    switch (op) {
    case DP_PY_OP_PLUSEQUAL: return DP_PY_ADD;
    case DP_PY_OP_MINEQUAL: return DP_PY_SUB;
    case DP_PY_OP_STAREQUAL: return DP_PY_MULT;
    case DP_PY_OP_ATEQUAL: return DP_PY_MATMULT;
    case DP_PY_OP_SLASHEQUAL: return DP_PY_DIV;
    case DP_PY_OP_PERCENTEQUAL: return DP_PY_MOD;
    case DP_PY_OP_DOUBLESTAREQUAL: return DP_PY_POW;
    case DP_PY_OP_LEFTSHIFTEQUAL: return DP_PY_LSHIFT;
    case DP_PY_OP_RIGHTSHIFTEQUAL: return DP_PY_RSHIFT;
    case DP_PY_OP_VBAREQUAL: return DP_PY_BITOR;
    case DP_PY_OP_CIRCUMFLEXEQUAL: return DP_PY_BITXOR;
    case DP_PY_OP_AMPEREQUAL: return DP_PY_BITAND;
    default: return DP_PY_FLOORDIV;
    }
}

/* right-hand side of an assignment: yield_expr | star_expressions */
static struct dp_py_node *assign_rhs(struct pp *p)
{
    if (pp_is_kw(p, DP_PY_KW_yield)) return pp_yield_expr(p);
    return pp_star_expressions(p);
}

/* CPython's invalid_named_expression, tried where a named expression could start (the statement
 * start and after each top-level comma of the first target): `A = B` followed by anything but
 * '=' or ':=' gets a "Maybe you meant '=='" message. Returns true when it reported. */
static bool maybe_meant_eq(struct pp *p, int at)
{
    int save = p->pos, savefar = p->far, m = pp_mark(p);
    p->pos = at;
    struct dp_py_tok *st = pp_tok(p);
    struct dp_py_node *a = pp_bitwise_or(p), *b = NULL;
    bool hit = false;
    if (a && pp_accept_op(p, DP_PY_OP_EQUAL)) {
        b = pp_bitwise_or(p);
        hit = b && !pp_is_op(p, DP_PY_OP_EQUAL) && !pp_is_op(p, DP_PY_OP_COLONEQUAL);
    }
    p->failed = false;
    p->pos = save;
    p->far = savefar;
    p->nstk = m;
    if (!hit) return false;
    bool single_name = a->kind == DP_PY_Name && a->end_col_offset - a->col_offset == (int)(st->end - st->start) &&
                       st->type == DP_PY_TOK_NAME;
    if (single_name) {
        pp_error_node(p, a, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        return true;
    }
    int k = a->kind;
    bool excluded = k == DP_PY_List || k == DP_PY_Tuple || k == DP_PY_GeneratorExp ||
                    (k == DP_PY_Constant && (a->v.Constant.value.kind == DP_PY_CONST_TRUE ||
                     a->v.Constant.value.kind == DP_PY_CONST_FALSE || a->v.Constant.value.kind == DP_PY_CONST_NONE));
    if (excluded) return false;
    pp_error_node(p, a, "cannot assign to %s here. Maybe you meant '==' instead of '='?", pp_expr_name(a));
    return true;
}

static void *assign_error(struct pp *p, int stmt_pos, struct dp_py_node *first, struct dp_py_node *bad_target)
{
    if (maybe_meant_eq(p, stmt_pos)) return NULL;
    if (first->kind == DP_PY_Tuple && p->t[stmt_pos].type != DP_PY_TOK_OP) {
        /* after each top-level comma of an unparenthesized first target */
        for (int i = 1; i < first->v.Tuple.elts.n; i++) {
            const struct dp_py_node *el = first->v.Tuple.elts.items[i];
            for (int j = stmt_pos; j < p->n && p->t[j].line <= el->lineno; j++)
                if (p->t[j].line == el->lineno && p->t[j].col == el->col_offset) {
                    if (maybe_meant_eq(p, j)) return NULL;
                    break;
                }
        }
    }
    return pp_set_ctx(p, bad_target, DP_PY_CTX_STORE, true);
}

/* expression statement, assignment, augmented or annotated assignment */
static struct dp_py_node *expr_stmt(struct pp *p)
{
    struct dp_py_tok *st = pp_tok(p);
    int stmt_pos = p->pos;
    bool paren_start = st->type == DP_PY_TOK_OP && st->op == DP_PY_OP_LPAR;
    struct dp_py_node *first = pp_is_kw(p, DP_PY_KW_yield) ? pp_yield_expr(p) : pp_star_expressions(p);
    if (!first) return NULL;
    struct dp_py_tok *t = pp_tok(p);
    if (first->kind == DP_PY_Name && (first->v.Name.id[0] == 'p' || first->v.Name.id[0] == 'e') &&
        (!strcmp(first->v.Name.id, "print") || !strcmp(first->v.Name.id, "exec")) &&
        pp_starts_expr(p) && !(t->type == DP_PY_TOK_OP && t->op == DP_PY_OP_STAR))
        return pp_error_node(p, first, "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                             first->v.Name.id, first->v.Name.id);
    if (t->type == DP_PY_TOK_OP && t->op == DP_PY_OP_COLON) {
        /* annassign: target ':' expression ['=' annotated_rhs] */
        struct dp_py_node *n = pp_node(p, DP_PY_AnnAssign, st);
        int k = first->kind;
        if (k == DP_PY_Tuple && !paren_start)
            return pp_error_node(p, first, "only single target (not tuple) can be annotated");
        if (k == DP_PY_List) return pp_error_node(p, first, "only single target (not list) can be annotated");
        if (k == DP_PY_Tuple) return pp_error_node(p, first, "only single target (not tuple) can be annotated");
        if (k != DP_PY_Name && k != DP_PY_Attribute && k != DP_PY_Subscript)
            return pp_error_node(p, first, "illegal target for annotation");
        p->pos++;
        n->v.AnnAssign.target = pp_set_ctx(p, first, DP_PY_CTX_STORE, true);
        n->v.AnnAssign.simple = k == DP_PY_Name && !paren_start;
        n->v.AnnAssign.annotation = pp_expression(p);
        if (!n->v.AnnAssign.annotation) return NULL;
        if (pp_accept_op(p, DP_PY_OP_EQUAL)) {
            n->v.AnnAssign.value = assign_rhs(p);
            if (!n->v.AnnAssign.value) return NULL;
        }
        pp_end(p, n);
        return n;
    }
    if (t->type == DP_PY_TOK_OP && is_augassign(t->op)) {
        struct dp_py_node *n = pp_node(p, DP_PY_AugAssign, st);
        int k = first->kind;
        if (k != DP_PY_Name && k != DP_PY_Attribute && k != DP_PY_Subscript)
            return pp_error_node(p, first, "'%s' is an illegal expression for augmented assignment", pp_expr_name(first));
        n->v.AugAssign.target = pp_set_ctx(p, first, DP_PY_CTX_STORE, true);
        n->v.AugAssign.op = (uint8_t)augassign_binop(t->op);
        p->pos++;
        n->v.AugAssign.value = assign_rhs(p);
        if (!n->v.AugAssign.value) return NULL;
        pp_end(p, n);
        return n;
    }
    if (t->type == DP_PY_TOK_OP && t->op == DP_PY_OP_EQUAL) {
        struct dp_py_node *n = pp_node(p, DP_PY_Assign, st);
        int m = pp_mark(p);
        struct dp_py_node *cur = first;
        while (pp_accept_op(p, DP_PY_OP_EQUAL)) {
            if (cur->kind == DP_PY_Yield || cur->kind == DP_PY_YieldFrom)
                return pp_error_node(p, cur, "assignment to yield expression not possible");
            struct dp_py_node *tg = pp_set_ctx(p, cur, DP_PY_CTX_STORE, false);
            if (!tg) { p->nstk = m; return assign_error(p, stmt_pos, first, cur); }
            pp_push(p, tg);
            cur = assign_rhs(p);
            if (!cur) { p->nstk = m; return NULL; }
        }
        n->v.Assign.targets = pp_list(p, m);
        n->v.Assign.value = cur;
        pp_end(p, n);
        return n;
    }
    struct dp_py_node *n = pp_node(p, DP_PY_Expr, st);
    n->v.Expr.value = first;
    pp_end(p, n);
    return n;
}

/* del_stmt: 'del' del_targets */
static struct dp_py_node *del_stmt(struct pp *p, struct dp_py_node *n)
{
    int m = pp_mark(p);
    do {
        if (pp_is_type(p, DP_PY_TOK_NEWLINE) || pp_is_op(p, DP_PY_OP_SEMI)) break;
        struct dp_py_node *e = pp_bitwise_or(p);
        if (!e) return NULL;
        struct dp_py_node *t = pp_set_ctx(p, e, DP_PY_CTX_DEL, true);
        if (!t) return NULL;
        pp_push(p, t);
    } while (pp_accept_op(p, DP_PY_OP_COMMA));
    if (pp_mark(p) == m) return pp_syntax_error(p);
    n->v.Delete.targets = pp_list(p, m);
    return n;
}

/* type_alias (3.12): "type" NAME [type_params] '=' expression */
static struct dp_py_node *type_alias(struct pp *p)
{
    struct dp_py_node *n = pp_node(p, DP_PY_TypeAlias, pp_tok(p));
    p->pos++;
    n->v.TypeAlias.name = pp_name(p, DP_PY_CTX_STORE);
    if (!n->v.TypeAlias.name) return NULL;
    if (pp_is_op(p, DP_PY_OP_LSQB)) n->v.TypeAlias.type_params = pp_type_params(p);
    if (p->failed || !pp_expect_op(p, DP_PY_OP_EQUAL)) return NULL;
    n->v.TypeAlias.value = pp_expression(p);
    if (!n->v.TypeAlias.value) return NULL;
    pp_end(p, n);
    return n;
}

static struct dp_py_node *simple_stmt(struct pp *p)
{
    struct dp_py_tok *t = pp_tok(p);
    if (t->type != DP_PY_TOK_NAME || t->kw == DP_PY_KW_NONE || t->kw > DP_PY_KW_SOFT) {
        if (t->type == DP_PY_TOK_NAME && t->kw == DP_PY_KW_type && pp_peek(p, 1)->type == DP_PY_TOK_NAME &&
            pp_peek(p, 2)->type == DP_PY_TOK_OP && (pp_peek(p, 2)->op == DP_PY_OP_EQUAL || pp_peek(p, 2)->op == DP_PY_OP_LSQB))
            return type_alias(p);
        return expr_stmt(p);
    }
    struct dp_py_node *n;
    switch (t->kw) {
    case DP_PY_KW_pass: n = pp_node(p, DP_PY_Pass, t); p->pos++; return n;
    case DP_PY_KW_break: n = pp_node(p, DP_PY_Break, t); p->pos++; return n;
    case DP_PY_KW_continue: n = pp_node(p, DP_PY_Continue, t); p->pos++; return n;
    case DP_PY_KW_return:
        n = pp_node(p, DP_PY_Return, t);
        p->pos++;
        if (!pp_is_type(p, DP_PY_TOK_NEWLINE) && !pp_is_op(p, DP_PY_OP_SEMI)) {
            n->v.Return.value = pp_star_expressions(p);
            if (!n->v.Return.value) return NULL;
        }
        break;
    case DP_PY_KW_raise:
        n = pp_node(p, DP_PY_Raise, t);
        p->pos++;
        if (!pp_is_type(p, DP_PY_TOK_NEWLINE) && !pp_is_op(p, DP_PY_OP_SEMI)) {
            n->v.Raise.exc = pp_expression(p);
            if (!n->v.Raise.exc) return NULL;
            if (pp_accept_kw(p, DP_PY_KW_from)) {
                n->v.Raise.cause = pp_expression(p);
                if (!n->v.Raise.cause) return NULL;
            }
        }
        break;
    case DP_PY_KW_global:
    case DP_PY_KW_nonlocal:
        n = pp_node(p, t->kw == DP_PY_KW_global ? DP_PY_Global : DP_PY_Nonlocal, t);
        p->pos++;
        if (!names_stmt(p, n, t->kw == DP_PY_KW_global ? &n->v.Global.names : &n->v.Nonlocal.names)) return NULL;
        break;
    case DP_PY_KW_del:
        n = pp_node(p, DP_PY_Delete, t);
        p->pos++;
        if (!del_stmt(p, n)) return NULL;
        break;
    case DP_PY_KW_assert:
        n = pp_node(p, DP_PY_Assert, t);
        p->pos++;
        n->v.Assert.test = pp_expression(p);
        if (!n->v.Assert.test) return NULL;
        if (pp_accept_op(p, DP_PY_OP_COMMA)) {
            n->v.Assert.msg = pp_expression(p);
            if (!n->v.Assert.msg) return NULL;
        }
        break;
    case DP_PY_KW_import:
        n = pp_node(p, DP_PY_Import, t);
        p->pos++;
        if (!import_name(p, n)) return NULL;
        break;
    case DP_PY_KW_from:
        n = pp_node(p, DP_PY_ImportFrom, t);
        p->pos++;
        if (!import_from(p, n)) return NULL;
        break;
    default:
        return expr_stmt(p);
    }
    pp_end(p, n);
    return n;
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE — pushes onto the scratch stack */
static bool simple_stmts(struct pp *p)
{
    for (;;) {
        struct dp_py_node *s = simple_stmt(p);
        if (!s) return false;
        pp_push(p, s);
        if (pp_accept_op(p, DP_PY_OP_SEMI)) {
            if (pp_is_type(p, DP_PY_TOK_NEWLINE)) break;
            continue;
        }
        break;
    }
    if (!pp_is_type(p, DP_PY_TOK_NEWLINE)) {
        pp_syntax_error(p);
        return false;
    }
    p->pos++;
    return true;
}

/* ---------------------------------------------------------------- compound statements */

/* block: NEWLINE INDENT statements DEDENT | simple_stmts */
struct dp_py_list pp_block(struct pp *p, const char *what, int line)
{
    struct dp_py_list none = {NULL, 0};
    int m = pp_mark(p);
    if (pp_is_type(p, DP_PY_TOK_NEWLINE)) {
        p->pos++;
        if (!pp_is_type(p, DP_PY_TOK_INDENT)) {
            struct dp_py_tok *t = pp_tok(p);
            if (t->type == DP_PY_TOK_END || t->type == DP_PY_TOK_DEDENT) t = pp_prev(p);
            pp_error_at(p, t->line, t->col, "IndentationError", "expected an indented block after %s on line %d", what, line);
            return none;
        }
        p->pos++;
        while (!pp_is_type(p, DP_PY_TOK_DEDENT) && !pp_is_type(p, DP_PY_TOK_END)) {
            if (!pp_statement(p)) { p->nstk = m; return none; }
        }
        if (pp_is_type(p, DP_PY_TOK_DEDENT)) p->pos++;
        return pp_list(p, m);
    }
    if (!simple_stmts(p)) { p->nstk = m; return none; }
    return pp_list(p, m);
}

static void end_from_body(struct dp_py_node *n, struct dp_py_list body)
{
    if (body.n > 0) {
        n->end_lineno = body.items[body.n - 1]->end_lineno;
        n->end_col_offset = body.items[body.n - 1]->end_col_offset;
    }
}

/* ':' block, for the statement whose keyword token is kw ("'if' statement", ...) */
static bool colon_block(struct pp *p, struct dp_py_list *body, const char *what, const struct dp_py_tok *kw)
{
    if (!pp_expect_op(p, DP_PY_OP_COLON)) return false;
    *body = pp_block(p, what, kw->line);
    return !p->failed;
}

/* if_stmt: 'if' named_expression ':' block (elif_stmt | else_block)?
 * An elif is an If nested in the orelse of the one before; built in a loop, not by recursion,
 * so that long elif chains cannot exhaust the stack. */
static struct dp_py_node *if_stmt(struct pp *p)
{
    struct dp_py_node *first = NULL, *prev = NULL;
    int chain = 0;
    do {
        struct dp_py_tok *kw = pp_tok(p);
        struct dp_py_node *n = pp_node(p, DP_PY_If, kw);
        p->pos++;
        n->v.If.test = pp_named_expression(p);
        if (!n->v.If.test || !colon_block(p, &n->v.If.body, kw->kw == DP_PY_KW_elif ? "'elif' statement" : "'if' statement", kw))
            return NULL;
        end_from_body(n, n->v.If.body);
        if (prev) prev->v.If.orelse = pp_list1(p, n);
        else first = n;
        prev = n;
        pp_chain(p, ++chain);
    } while (pp_is_kw(p, DP_PY_KW_elif));
    if (pp_is_kw(p, DP_PY_KW_else)) {
        struct dp_py_tok *ek = pp_tok(p);
        p->pos++;
        if (!colon_block(p, &prev->v.If.orelse, "'else' statement", ek)) return NULL;
        end_from_body(prev, prev->v.If.orelse);
    }
    /* each If ends where its last orelse ends */
    for (struct dp_py_node *n = first; n != prev; n = n->v.If.orelse.items[0]) {
        n->end_lineno = prev->end_lineno;
        n->end_col_offset = prev->end_col_offset;
    }
    return first;
}

static bool else_block(struct pp *p, struct dp_py_node *n, struct dp_py_list *orelse)
{
    if (pp_is_kw(p, DP_PY_KW_else)) {
        struct dp_py_tok *ek = pp_tok(p);
        p->pos++;
        if (!colon_block(p, orelse, "'else' statement", ek)) return false;
        end_from_body(n, *orelse);
    }
    return true;
}

static struct dp_py_node *while_stmt(struct pp *p)
{
    struct dp_py_tok *kw = pp_tok(p);
    struct dp_py_node *n = pp_node(p, DP_PY_While, kw);
    p->pos++;
    n->v.While.test = pp_named_expression(p);
    if (!n->v.While.test || !colon_block(p, &n->v.While.body, "'while' statement", kw)) return NULL;
    end_from_body(n, n->v.While.body);
    return else_block(p, n, &n->v.While.orelse) ? n : NULL;
}

/* for_stmt: ['async'] 'for' star_targets 'in' star_expressions ':' block [else_block] */
static struct dp_py_node *for_stmt(struct pp *p, struct dp_py_tok *st, bool is_async)
{
    struct dp_py_node *n = pp_node(p, is_async ? DP_PY_AsyncFor : DP_PY_For, st);
    p->pos++;
    n->v.For.target = pp_star_targets(p, DP_PY_CTX_STORE);
    if (!n->v.For.target) return NULL;
    if (!pp_accept_kw(p, DP_PY_KW_in)) return pp_syntax_error(p);
    n->v.For.iter = pp_star_expressions(p);
    if (!n->v.For.iter || !colon_block(p, &n->v.For.body, "'for' statement", st)) return NULL;
    end_from_body(n, n->v.For.body);
    return else_block(p, n, &n->v.For.orelse) ? n : NULL;
}

/* with_item: expression ['as' star_target] */
static struct dp_py_node *with_item(struct pp *p)
{
    struct dp_py_node *w = pp_node(p, DP_PY_withitem, pp_tok(p));
    w->v.withitem.context_expr = pp_expression(p);
    if (!w->v.withitem.context_expr) return NULL;
    if (pp_accept_kw(p, DP_PY_KW_as)) {
        w->v.withitem.optional_vars = pp_star_target(p, DP_PY_CTX_STORE);
        if (!w->v.withitem.optional_vars) return NULL;
        struct dp_py_tok *t = pp_tok(p);
        if (!(t->type == DP_PY_TOK_OP && (t->op == DP_PY_OP_COMMA || t->op == DP_PY_OP_COLON || t->op == DP_PY_OP_RPAR)))
            return pp_syntax_error(p);
    }
    return w;
}

/* with_stmt: ['async'] 'with' ( '(' ','.with_item+ ','? ')' | ','.with_item+ ) ':' block */
static struct dp_py_node *with_stmt(struct pp *p, struct dp_py_tok *st, bool is_async)
{
    struct dp_py_node *n = pp_node(p, is_async ? DP_PY_AsyncWith : DP_PY_With, st);
    p->pos++;
    int m = pp_mark(p);
    if (pp_is_op(p, DP_PY_OP_LPAR)) {
        /* try the parenthesized form first; fall back to an expression that starts with '(' */
        int save = p->pos, savefar = p->far;
        p->pos++;
        bool ok = true;
        while (ok && !pp_is_op(p, DP_PY_OP_RPAR)) {
            struct dp_py_node *w = with_item(p);
            if (!w) { ok = false; break; }
            pp_push(p, w);
            if (!pp_accept_op(p, DP_PY_OP_COMMA)) break;
        }
        if (ok && pp_mark(p) > m && pp_accept_op(p, DP_PY_OP_RPAR) && pp_is_op(p, DP_PY_OP_COLON)) {
            n->v.With.items = pp_list(p, m);
        } else {
            p->nstk = m;
            p->failed = false;
            p->pos = save;
            p->far = savefar;
        }
    }
    if (!n->v.With.items.n) {
        do {
            struct dp_py_node *w = with_item(p);
            if (!w) return NULL;
            pp_push(p, w);
        } while (pp_accept_op(p, DP_PY_OP_COMMA));
        n->v.With.items = pp_list(p, m);
    }
    if (!colon_block(p, &n->v.With.body, "'with' statement", st)) return NULL;
    end_from_body(n, n->v.With.body);
    return n;
}

/* try_stmt: 'try' ':' block (finally_block | except_block+ [else] [finally] | except_star_block+ ...) */
static struct dp_py_node *try_stmt(struct pp *p)
{
    struct dp_py_tok *kw = pp_tok(p);
    struct dp_py_node *n = pp_node(p, DP_PY_Try, kw);
    p->pos++;
    if (!colon_block(p, &n->v.Try.body, "'try' statement", kw)) return NULL;
    end_from_body(n, n->v.Try.body);
    int m = pp_mark(p);
    int star = -1;
    while (pp_is_kw(p, DP_PY_KW_except)) {
        struct dp_py_tok *ek = pp_tok(p);
        struct dp_py_node *h = pp_node(p, DP_PY_ExceptHandler, ek);
        p->pos++;
        bool is_star = pp_accept_op(p, DP_PY_OP_STAR);
        if (star >= 0 && star != is_star) {
            p->nstk = m;
            return pp_error_tok(p, ek, "cannot have both 'except' and 'except*' on the same 'try'");
        }
        star = is_star;
        if (!pp_is_op(p, DP_PY_OP_COLON)) {
            struct dp_py_node *ty = pp_expression(p);
            if (!ty) { p->nstk = m; return NULL; }
            if (pp_is_op(p, DP_PY_OP_COMMA)) {
                /* except A, B: is an error unless parenthesized */
                p->nstk = m;
                return pp_error_node(p, ty, "multiple exception types must be parenthesized");
            }
            h->v.ExceptHandler.type = ty;
            if (pp_accept_kw(p, DP_PY_KW_as)) {
                if (!pp_is_name(p)) { p->nstk = m; return pp_syntax_error(p); }
                h->v.ExceptHandler.name = pp_ident(p, pp_tok(p));
                p->pos++;
            }
        } else if (is_star) {
            p->nstk = m;
            return pp_error_tok(p, pp_tok(p), "expected one or more exception types");
        }
        if (!colon_block(p, &h->v.ExceptHandler.body, is_star ? "'except*' statement" : "'except' statement", ek)) { p->nstk = m; return NULL; }
        end_from_body(h, h->v.ExceptHandler.body);
        end_from_body(n, h->v.ExceptHandler.body);
        pp_push(p, h);
    }
    n->v.Try.handlers = pp_list(p, m);
    if (star == 1) n->kind = DP_PY_TryStar;
    if (n->v.Try.handlers.n > 0 && !else_block(p, n, &n->v.Try.orelse)) return NULL;
    if (pp_is_kw(p, DP_PY_KW_finally)) {
        struct dp_py_tok *fk = pp_tok(p);
        p->pos++;
        if (!colon_block(p, &n->v.Try.finalbody, "'finally' statement", fk)) return NULL;
        end_from_body(n, n->v.Try.finalbody);
    } else if (n->v.Try.handlers.n == 0) {
        return pp_error_tok(p, pp_tok(p), "expected 'except' or 'finally' block");
    }
    return n;
}

/* function_def: decorators? ['async'] 'def' NAME [type_params] '(' params ')' ['->' expression] ':' block */
static struct dp_py_node *func_def(struct pp *p, struct dp_py_tok *st, bool is_async, struct dp_py_list decos)
{
    struct dp_py_node *n = pp_node(p, is_async ? DP_PY_AsyncFunctionDef : DP_PY_FunctionDef, st);
    p->pos++;
    if (!pp_is_name(p)) return pp_syntax_error(p);
    n->v.FunctionDef.name = pp_ident(p, pp_tok(p));
    p->pos++;
    if (pp_is_op(p, DP_PY_OP_LSQB)) {
        n->v.FunctionDef.type_params = pp_type_params(p);
        if (p->failed) return NULL;
    }
    if (!pp_expect_op(p, DP_PY_OP_LPAR)) return NULL;
    n->v.FunctionDef.args = pp_params(p, false);
    if (!n->v.FunctionDef.args || !pp_expect_op(p, DP_PY_OP_RPAR)) return NULL;
    if (pp_accept_op(p, DP_PY_OP_RARROW)) {
        n->v.FunctionDef.returns = pp_expression(p);
        if (!n->v.FunctionDef.returns) return NULL;
    }
    n->v.FunctionDef.decorator_list = decos;
    if (!colon_block(p, &n->v.FunctionDef.body, "function definition", st)) return NULL;
    end_from_body(n, n->v.FunctionDef.body);
    return n;
}

/* class_def: decorators? 'class' NAME [type_params] ['(' [arguments] ')'] ':' block */
static struct dp_py_node *class_def(struct pp *p, struct dp_py_tok *st, struct dp_py_list decos)
{
    struct dp_py_node *n = pp_node(p, DP_PY_ClassDef, st);
    p->pos++;
    if (!pp_is_name(p)) return pp_syntax_error(p);
    n->v.ClassDef.name = pp_ident(p, pp_tok(p));
    p->pos++;
    if (pp_is_op(p, DP_PY_OP_LSQB)) {
        n->v.ClassDef.type_params = pp_type_params(p);
        if (p->failed) return NULL;
    }
    if (pp_accept_op(p, DP_PY_OP_LPAR)) {
        struct dp_py_node call = {0};
        p->class_args = true;
        int r = pp_call_args(p, &call);
        p->class_args = false;
        if (r) return NULL;
        n->v.ClassDef.bases = call.v.Call.args;
        n->v.ClassDef.keywords = call.v.Call.keywords;
    }
    n->v.ClassDef.decorator_list = decos;
    if (!colon_block(p, &n->v.ClassDef.body, "class definition", st)) return NULL;
    end_from_body(n, n->v.ClassDef.body);
    return n;
}

static struct dp_py_node *decorated(struct pp *p)
{
    int m = pp_mark(p);
    while (pp_accept_op(p, DP_PY_OP_AT)) {
        struct dp_py_node *d = pp_named_expression(p);
        if (!d) { p->nstk = m; return NULL; }
        if (!pp_is_type(p, DP_PY_TOK_NEWLINE)) { p->nstk = m; return pp_syntax_error(p); }
        p->pos++;
        pp_push(p, d);
    }
    struct dp_py_list decos = pp_list(p, m);
    struct dp_py_tok *t = pp_tok(p);
    if (pp_is_kw(p, DP_PY_KW_def)) return func_def(p, t, false, decos);
    if (pp_is_kw(p, DP_PY_KW_class)) return class_def(p, t, decos);
    if (pp_is_kw(p, DP_PY_KW_async) && pp_peek(p, 1)->kw == DP_PY_KW_def) {
        p->pos++;
        return func_def(p, t, true, decos);
    }
    return pp_syntax_error(p);
}

static struct dp_py_node *compound_stmt(struct pp *p, bool *handled)
{
    struct dp_py_tok *t = pp_tok(p);
    *handled = true;
    if (t->type == DP_PY_TOK_OP && t->op == DP_PY_OP_AT) return decorated(p);
    if (t->type != DP_PY_TOK_NAME) { *handled = false; return NULL; }
    struct dp_py_list none = {NULL, 0};
    switch (t->kw) {
    case DP_PY_KW_if: return if_stmt(p);
    case DP_PY_KW_while: return while_stmt(p);
    case DP_PY_KW_for: return for_stmt(p, t, false);
    case DP_PY_KW_with: return with_stmt(p, t, false);
    case DP_PY_KW_try: return try_stmt(p);
    case DP_PY_KW_def: return func_def(p, t, false, none);
    case DP_PY_KW_class: return class_def(p, t, none);
    case DP_PY_KW_async: {
        struct dp_py_tok *nx = pp_peek(p, 1);
        p->pos++;
        if (nx->kw == DP_PY_KW_def) return func_def(p, t, true, none);
        if (nx->kw == DP_PY_KW_for) return for_stmt(p, t, true);
        if (nx->kw == DP_PY_KW_with) return with_stmt(p, t, true);
        return pp_syntax_error(p);
    }
    case DP_PY_KW_match: {
        struct dp_py_node *m = pp_match_stmt(p);
        if (m || p->failed) return m;
        *handled = false;   /* not a match statement: 'match' is a plain name here */
        return NULL;
    }
    default:
        *handled = false;
        return NULL;
    }
}

/* statement: compound_stmt | simple_stmts — pushes what it parsed onto the scratch stack */
struct dp_py_node *pp_statement(struct pp *p)
{
    if (!pp_enter(p)) return NULL;
    struct dp_py_tok *t = pp_tok(p);
    /* a compound statement starts with a keyword (hard or 'match') or '@' */
    if ((t->type == DP_PY_TOK_NAME && t->kw != DP_PY_KW_NONE) || t->type == DP_PY_TOK_OP) {
        bool handled;
        struct dp_py_node *s = compound_stmt(p, &handled);
        if (handled) {
            pp_leave(p);
            if (s) pp_push(p, s);
            return s;
        }
        t = pp_tok(p);
    }
    if (t->type == DP_PY_TOK_INDENT) {
        pp_leave(p);
        return pp_error_at(p, t->line, t->end_col - 1, "IndentationError", "unexpected indent");
    }
    int m = pp_mark(p);
    bool ok = simple_stmts(p);
    pp_leave(p);
    return ok && pp_mark(p) > m ? p->stk[pp_mark(p) - 1] : NULL;
}

