/* ast.dump(): the text CPython's ast.dump(tree, indent=..., include_attributes=...) prints,
 * following its _format() rules: optional fields that are None are left out, and with an indent
 * a node whose arguments are all "simple" and at most three stays on one line. */
#include "py/dump.h"
#include "py/ast_meta.h"
#include "py/repr.h"
#include <stdlib.h>
#include <string.h>

struct dumper {
    const struct dp_py_dump_opts *o;
};

static bool fmt_node(struct dumper *d, struct dp_sbuf *out, const struct dp_py_node *n, int level);

static void put_prefix(struct dumper *d, struct dp_sbuf *out, int level, bool sep)
{
    if (d->o->indent < 0) {
        if (sep) dp_sbuf_put(out, ", ", 2);
        return;
    }
    dp_sbuf_puts(out, sep ? ",\n" : "\n");
    for (int i = 0; i < d->o->indent * level; i++) dp_sbuf_putc(out, ' ');
}

static bool fmt_list(struct dumper *d, struct dp_sbuf *out, const struct dp_py_list *l, int level)
{
    if (l->n == 0) { dp_sbuf_puts(out, "[]"); return true; }
    level++;
    dp_sbuf_putc(out, '[');
    for (int i = 0; i < l->n; i++) {
        put_prefix(d, out, level, i > 0);
        if (l->items[i]) fmt_node(d, out, l->items[i], level);
        else dp_sbuf_puts(out, "None");
    }
    dp_sbuf_putc(out, ']');
    return false;
}

/* A list of simple values (identifiers, comparison operators). */
static bool fmt_simple_list(struct dumper *d, struct dp_sbuf *out, int n, int level,
                            const char *const *strs, const uint8_t *ops)
{
    if (n == 0) { dp_sbuf_puts(out, "[]"); return true; }
    level++;
    dp_sbuf_putc(out, '[');
    for (int i = 0; i < n; i++) {
        put_prefix(d, out, level, i > 0);
        if (strs) dp_py_repr_str(out, strs[i], strlen(strs[i]));
        else dp_sbuf_printf(out, "%s()", dp_py_cmpop_name(ops[i]));
    }
    dp_sbuf_putc(out, ']');
    return false;
}

/* Formats one field value; returns -1 when the field is omitted, else its simplicity. */
static int fmt_field(struct dumper *d, struct dp_sbuf *out, const struct dp_py_node *n,
                     const struct dp_py_field *f, int level)
{
    const char *base = (const char *)n + f->offset;
    switch (f->type) {
    case DP_PY_FT_T_NODE:
    case DP_PY_FT_T_OPT: {
        const struct dp_py_node *c = *(struct dp_py_node *const *)base;
        if (!c) {
            if (f->type == DP_PY_FT_T_OPT) return -1;
            dp_sbuf_puts(out, "None");
            return 1;
        }
        return fmt_node(d, out, c, level);
    }
    case DP_PY_FT_T_LIST: return fmt_list(d, out, (const struct dp_py_list *)base, level);
    case DP_PY_FT_T_IDENT:
    case DP_PY_FT_T_OPTID: {
        const char *s = *(const char *const *)base;
        if (!s) {
            if (f->type == DP_PY_FT_T_OPTID) return -1;
            dp_sbuf_puts(out, "None");
            return 1;
        }
        dp_py_repr_str(out, s, strlen(s));
        return 1;
    }
    case DP_PY_FT_T_IDLIST: {
        const struct dp_py_idlist *l = (const struct dp_py_idlist *)base;
        return fmt_simple_list(d, out, l->n, level, l->items, NULL);
    }
    case DP_PY_FT_T_CMPOPS: {
        const struct dp_py_cmpops *l = (const struct dp_py_cmpops *)base;
        return fmt_simple_list(d, out, l->n, level, NULL, l->items);
    }
    case DP_PY_FT_T_CONST: dp_py_repr_const(out, (const struct dp_py_const *)base); return 1;
    case DP_PY_FT_T_INT: dp_sbuf_printf(out, "%d", *(const int *)base); return 1;
    case DP_PY_FT_T_CTX: dp_sbuf_printf(out, "%s()", dp_py_ctx_name(*(const uint8_t *)base)); return 1;
    case DP_PY_FT_T_BOOLOP: dp_sbuf_printf(out, "%s()", dp_py_boolop_name(*(const uint8_t *)base)); return 1;
    case DP_PY_FT_T_BINOP: dp_sbuf_printf(out, "%s()", dp_py_binop_name(*(const uint8_t *)base)); return 1;
    case DP_PY_FT_T_UNOP: dp_sbuf_printf(out, "%s()", dp_py_unop_name(*(const uint8_t *)base)); return 1;
    }
    return -1;
}

static bool fmt_node(struct dumper *d, struct dp_sbuf *out, const struct dp_py_node *n, int level)
{
    const struct dp_py_kind_info *k = dp_py_kind_info(n->kind);
    level++;
    /* arguments go to scratch buffers first: with an indent, the layout depends on them */
    struct dp_sbuf args[16];
    int nargs = 0;
    bool allsimple = true;
    for (int i = 0; i < k->nfields; i++) {
        const struct dp_py_field *f = &k->fields[i];
        if (f->since312 && d->o->feature_version < 312) continue;
        struct dp_sbuf *a = &args[nargs];
        memset(a, 0, sizeof *a);
        dp_sbuf_printf(a, "%s=", f->name);
        int s = fmt_field(d, a, n, f, level);
        if (s < 0) { dp_sbuf_free(a); continue; }
        allsimple = allsimple && s;
        nargs++;
    }
    if (d->o->include_attributes && dp_py_kind_has_position(n->kind)) {
        const int v[4] = {n->lineno, n->col_offset, n->end_lineno, n->end_col_offset};
        static const char *const names[4] = {"lineno", "col_offset", "end_lineno", "end_col_offset"};
        for (int i = 0; i < 4; i++) {
            memset(&args[nargs], 0, sizeof args[nargs]);
            dp_sbuf_printf(&args[nargs++], "%s=%d", names[i], v[i]);
        }
    }
    dp_sbuf_puts(out, k->name);
    dp_sbuf_putc(out, '(');
    bool oneline = d->o->indent < 0 || (allsimple && nargs <= 3);
    for (int i = 0; i < nargs; i++) {
        if (oneline) { if (i) dp_sbuf_put(out, ", ", 2); }
        else put_prefix(d, out, level, i > 0);
        dp_sbuf_put(out, args[i].p, args[i].n);
        dp_sbuf_free(&args[i]);
    }
    dp_sbuf_putc(out, ')');
    return oneline && nargs == 0;
}

void dp_py_dump(struct dp_sbuf *out, const struct dp_py_node *root, const struct dp_py_dump_opts *o)
{
    struct dp_py_dump_opts def = {.indent = -1, .feature_version = 311};
    struct dumper d = {o ? o : &def};
    fmt_node(&d, out, root, 0);
}
