/* Syntax-aware text edits for the injector: a call's argument list is read from the tokens
 * (top-level commas, `**` items, a trailing comma, where the closing parenthesis sits), so a
 * keyword lands in the right place for one-line and one-argument-per-line layouts with comments;
 * statements are inserted with their block's indentation; edits are applied in offset order. */
#include "data/inject_int.h"
#include <stdlib.h>
#include <string.h>

size_t inj_off(const struct inj *st, int line, int col)
{
    if (line < 1) return 0;
    if (line > st->nlines) return st->n;
    size_t o = st->ls[line] + (size_t)col;
    return o > st->n ? st->n : o;
}

static int line_of(const struct inj *st, size_t off)
{
    int lo = 1, hi = st->nlines;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (st->ls[mid] <= off) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

static bool first_on_line(const struct inj *st, size_t off)
{
    for (size_t i = st->ls[line_of(st, off)]; i < off; i++)
        if (st->src[i] != ' ' && st->src[i] != '\t') return false;
    return true;
}

static const char *indent_of(struct inj *st, size_t off)
{
    size_t s = st->ls[line_of(st, off)], e = s;
    while (e < st->n && (st->src[e] == ' ' || st->src[e] == '\t')) e++;
    return dp_arena_strndup(st->a, st->src + s, e - s);
}

static size_t line_end(const struct inj *st, size_t off)
{
    const char *nl = memchr(st->src + off, '\n', st->n - off);
    return nl ? (size_t)(nl - st->src) : st->n;
}

/* Index of the first token starting at or after off. */
static int tok_from(const struct inj *st, size_t off)
{
    int lo = 0, hi = st->ntoks;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (st->toks[mid].start < off) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

void inj_new_unit(struct inj *st) { st->unit++; }

static void add_edit(struct inj *st, size_t at, size_t del, const char *text, bool expect,
                     const struct dp_py_node *about)
{
    struct inj_edit_list *l = &st->ed;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = dp_xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct dp_inject_edit){at, del, dp_arena_strndup(st->a, text, strlen(text)), expect,
                                           st->unit, about ? about->lineno : 0, about ? about->end_lineno : 0};
}

/* ---- call argument lists -------------------------------------------------------------------- */

struct arglist {
    size_t open, close;           /* offsets of the call's ( and ) */
    int nitems;
    size_t first_start, last_start, last_end;   /* first item's start; last item's first/last byte */
    int starstar;                 /* index of the first ** item, or -1 */
    size_t starstar_start;
    bool trailing_comma;
    size_t comma;                 /* offset of the trailing comma */
};

static const char *read_args(const struct inj *st, const struct dp_py_node *call, struct arglist *al)
{
    memset(al, 0, sizeof *al);
    al->starstar = -1;
    const struct dp_py_node *f = call->v.Call.func;
    size_t fe = inj_off(st, f->end_lineno, f->end_col_offset);
    size_t ce = inj_off(st, call->end_lineno, call->end_col_offset);
    int i = tok_from(st, fe);
    while (i < st->ntoks && st->toks[i].type == DP_PY_TOK_OP && st->toks[i].op == DP_PY_OP_RPAR) i++;
    if (i >= st->ntoks || st->toks[i].op != DP_PY_OP_LPAR || ce == 0 || st->src[ce - 1] != ')')
        return "cannot find the call's parentheses";
    al->open = st->toks[i].start;
    al->close = ce - 1;
    int depth = 0;
    bool in_item = false, last_comma = false;
    for (i++; i < st->ntoks && st->toks[i].start < al->close; i++) {
        const struct dp_py_tok *t = &st->toks[i];
        if (t->type == DP_PY_TOK_OP && depth == 0 && t->op == DP_PY_OP_COMMA) {
            in_item = false;
            last_comma = true;
            al->comma = t->start;
            continue;
        }
        if (!in_item) {   /* a new top-level item starts */
            in_item = true;
            if (al->nitems == 0) al->first_start = t->start;
            al->last_start = t->start;
            if (al->starstar < 0 && depth == 0 && t->type == DP_PY_TOK_OP && t->op == DP_PY_OP_DOUBLESTAR) {
                al->starstar = al->nitems;
                al->starstar_start = t->start;
            }
            al->nitems++;
        }
        last_comma = false;
        al->last_end = t->end;
        if (t->type == DP_PY_TOK_OP) {
            if (t->op == DP_PY_OP_LPAR || t->op == DP_PY_OP_LSQB || t->op == DP_PY_OP_LBRACE) depth++;
            else if (t->op == DP_PY_OP_RPAR || t->op == DP_PY_OP_RSQB || t->op == DP_PY_OP_RBRACE) depth--;
        }
    }
    al->trailing_comma = last_comma && al->nitems > 0;
    if (depth != 0 || al->nitems != call->v.Call.args.n + call->v.Call.keywords.n)
        return "cannot read the call's arguments";
    if (call->v.Call.args.n == 1 && call->v.Call.args.items[0]->kind == DP_PY_GeneratorExp &&
        inj_off(st, call->v.Call.args.items[0]->lineno, call->v.Call.args.items[0]->col_offset) == al->open)
        return "the only argument is an unparenthesized generator expression";
    return NULL;
}

const char *inj_call_add_arg(struct inj *st, const struct dp_py_node *call, const char *text,
                             bool before_starstar, bool expect)
{
    struct arglist al;
    const char *why = read_args(st, call, &al);
    if (why) return why;
    struct dp_sbuf b = {0};
    if (al.nitems == 0) {                          /* f() -> f(verify=False) */
        add_edit(st, al.open + 1, 0, text, expect, call);
    } else if (before_starstar && al.starstar >= 0) {   /* f(a, **kw) -> f(a, verify=False, **kw) */
        if (first_on_line(st, al.starstar_start) && line_of(st, al.starstar_start) > line_of(st, al.open))
            dp_sbuf_printf(&b, "%s,\n%s", text, indent_of(st, al.starstar_start));
        else
            dp_sbuf_printf(&b, "%s, ", text);
        add_edit(st, al.starstar_start, 0, b.p, expect, call);
    } else {
        /* One argument per line: the last item starts its line and ) is on a later line. */
        bool vertical = first_on_line(st, al.last_start) && line_of(st, al.close) > line_of(st, al.last_end);
        const char *ind = indent_of(st, al.last_start);
        if (al.trailing_comma && vertical) {       /* "    b=2,\n)" -> "    b=2,\n    verify=False,\n)" */
            dp_sbuf_printf(&b, "\n%s%s,", ind, text);
            add_edit(st, line_end(st, al.comma), 0, b.p, expect, call);
        } else if (al.trailing_comma) {            /* f(a, b,) -> f(a, b, verify=False,) */
            dp_sbuf_printf(&b, " %s,", text);
            add_edit(st, al.comma + 1, 0, b.p, expect, call);
        } else if (vertical) {                     /* "    b=2  # c\n)" -> "    b=2,  # c\n    verify=False\n)" */
            add_edit(st, al.last_end, 0, ",", expect, call);
            dp_sbuf_printf(&b, "\n%s%s", ind, text);
            add_edit(st, line_end(st, al.last_end), 0, b.p, expect, call);
        } else {                                   /* f(a, b) -> f(a, b, verify=False) */
            dp_sbuf_printf(&b, ", %s", text);
            add_edit(st, al.last_end, 0, b.p, expect, call);
        }
    }
    dp_sbuf_free(&b);
    return NULL;
}

const char *inj_call_set_kw(struct inj *st, const struct dp_py_node *call,
                            const struct dp_py_node *kw, const char *text, bool expect)
{
    const struct dp_py_node *v = kw->v.keyword.value;
    size_t s = inj_off(st, v->lineno, v->col_offset), e = inj_off(st, v->end_lineno, v->end_col_offset);
    if (e <= s) return "cannot locate the keyword's value";
    add_edit(st, s, e - s, text, expect, call);
    return NULL;
}

/* ---- statements ----------------------------------------------------------------------------- */

const char *inj_stmt_after(struct inj *st, const struct dp_py_node *stmt, const char *text, bool expect)
{
    size_t s = inj_off(st, stmt->lineno, stmt->col_offset);
    size_t e = inj_off(st, stmt->end_lineno, stmt->end_col_offset);
    if (!first_on_line(st, s)) return "the statement does not start its line";
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "\n%s%s", indent_of(st, s), text);
    add_edit(st, line_end(st, e), 0, b.p, expect, NULL);
    dp_sbuf_free(&b);
    return NULL;
}

const char *inj_stmt_before(struct inj *st, const struct dp_py_node *body0, const char *text, bool expect)
{
    size_t s = inj_off(st, body0->lineno, body0->col_offset);
    if (!first_on_line(st, s)) return "the block is on the same line as its header";
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "%s%s\n", indent_of(st, s), text);
    add_edit(st, st->ls[line_of(st, s)], 0, b.p, expect, NULL);
    dp_sbuf_free(&b);
    return NULL;
}

void inj_module_lines(struct inj *st, const char *lines, bool expect)
{
    if (st->anchor) {
        size_t e = line_end(st, inj_off(st, st->anchor->end_lineno, st->anchor->end_col_offset));
        if (e < st->n) {
            add_edit(st, e + 1, 0, lines, expect, NULL);
        } else {
            struct dp_sbuf b = {0};
            dp_sbuf_printf(&b, "\n%s", lines);
            add_edit(st, e, 0, b.p, expect, NULL);
            dp_sbuf_free(&b);
        }
        return;
    }
    const struct dp_py_list *body = &st->module->v.Module.body;
    size_t at = body->n ? st->ls[body->items[0]->lineno] : 0;
    add_edit(st, at, 0, lines, expect, NULL);
}

/* ---- applying ------------------------------------------------------------------------------- */

int inj_apply(struct inj *st, char **out, size_t *outlen, struct dp_error *e)
{
    struct inj_edit_list *l = &st->ed;
    /* Stable insertion sort by offset: edits at one offset stay in the order they were made
     * (`import ssl` before the definitions that use it). There are only a few per answer. */
    for (int i = 1; i < l->n; i++) {
        struct dp_inject_edit x = l->v[i];
        int j = i;
        while (j > 0 && l->v[j - 1].at > x.at) { l->v[j] = l->v[j - 1]; j--; }
        l->v[j] = x;
    }
    struct dp_sbuf b = {0};
    size_t pos = 0;
    for (int i = 0; i < l->n; i++) {
        const struct dp_inject_edit *ed = &l->v[i];
        if (ed->at < pos) {
            dp_sbuf_free(&b);
            return dp_error_set(e, DP_EINVAL, "<answer>", 0, 0, "overlapping edits at byte %zu", ed->at);
        }
        dp_sbuf_put(&b, st->src + pos, ed->at - pos);
        dp_sbuf_puts(&b, ed->text);
        pos = ed->at + ed->del;
    }
    dp_sbuf_put(&b, st->src + pos, st->n - pos);
    *outlen = b.n;
    *out = dp_sbuf_take(&b);
    return 0;
}
