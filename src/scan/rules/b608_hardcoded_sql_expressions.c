/* B608 hardcoded_sql_expressions (Bandit 1.9.4, plugins/injection_sql.py).
 * What it does: flags a string literal that looks like SQL (select..from, delete from,
 * insert into..values, update..set; any case) when it is built into a query: an operand of
 * a binary operation ("..." + x, "..." % x), the receiver of .format()/.replace(), or the
 * first literal piece of an f-string. MEDIUM severity, CWE-89; MEDIUM confidence when the
 * result goes straight into a call named execute/executemany (and not via .replace), LOW
 * otherwise.
 * Why it is bad: values formatted into SQL text allow SQL injection; use parameters.
 * Example:
 *     cur.execute("SELECT * FROM t WHERE id = %s" % uid)   # B608 MEDIUM/MEDIUM
 *     q = f"DELETE FROM t WHERE id = {uid}"                 # B608 MEDIUM/LOW
 *     cur.execute("SELECT * FROM t WHERE id = %s", (uid,)) # fine
 * Quirk kept (utils.concat_string): for a string inside a chain of binary operations the
 * text tested is that string plus the string operands outside its own operation, joined
 * by spaces; "SELECT *" + " FROM t" + x is therefore not flagged. */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B608 = {
    "B608", "hardcoded_sql_expressions", {DP_SCAN_STR, -1, -1, -1}, check, true, NULL};

/* concat_string's _get: the str leaves of n in order, skipping the subtree `stop`. */
static void collect(struct dp_sbuf *out, const struct dp_py_node *n, const struct dp_py_node *stop)
{
    if (n == stop) return;
    const struct dp_py_node *side[2] = {n->v.BinOp.left, n->v.BinOp.right};
    for (int i = 0; i < 2; i++) {
        if (side[i]->kind == DP_PY_BinOp) collect(out, side[i], stop);
        else if (dp_plug_is_str(side[i])) {
            dp_sbuf_putc(out, ' ');
            dp_sbuf_put(out, side[i]->v.Constant.value.s, side[i]->v.Constant.value.n);
        }
    }
}

static const char *called_name(const struct dp_py_node *call)
{
    const struct dp_py_node *f = call->v.Call.func;
    return f->kind == DP_PY_Attribute ? f->v.Attribute.attr : f->kind == DP_PY_Name ? f->v.Name.id : "";
}

static void check(struct dp_scan_ctx *ctx)
{
    if (!dp_plug_str_visit(ctx)) return;
    const struct dp_py_node *node = ctx->node, *p = dp_plug_up(ctx, 1), *wrapper = NULL;
    const struct dp_py_const *c = &node->v.Constant.value;
    struct dp_sbuf stmt = {0};
    bool replace = false;
    if (p->kind == DP_PY_BinOp) {
        int up = 1;
        while (dp_plug_up(ctx, up + 1) && dp_plug_up(ctx, up + 1)->kind == DP_PY_BinOp) up++;
        dp_sbuf_put(&stmt, c->s, c->n);
        collect(&stmt, dp_plug_up(ctx, up), p);
        wrapper = dp_plug_up(ctx, up + 1);
    } else if (p->kind == DP_PY_Attribute && (strcmp(p->v.Attribute.attr, "format") == 0 ||
                                              strcmp(p->v.Attribute.attr, "replace") == 0)) {
        dp_sbuf_put(&stmt, c->s, c->n);
        wrapper = dp_plug_up(ctx, 3);
        replace = p->v.Attribute.attr[0] == 'r';
    } else if (p->kind == DP_PY_JoinedStr) {
        const struct dp_py_list *vals = &p->v.JoinedStr.values;
        const struct dp_py_node *first = NULL;
        for (int i = 0; i < vals->n && !first; i++)
            if (dp_plug_is_str(vals->items[i])) first = vals->items[i];
        if (first == node) {
            for (int i = 0; i < vals->n; i++)
                if (dp_plug_is_str(vals->items[i]))
                    dp_sbuf_put(&stmt, vals->items[i]->v.Constant.value.s, vals->items[i]->v.Constant.value.n);
            wrapper = dp_plug_up(ctx, 2);
        }
    }
    if (stmt.n && dp_plug_sql_like(stmt.p, stmt.n)) {
        bool execute = wrapper && wrapper->kind == DP_PY_Call &&
                       (strcmp(called_name(wrapper), "execute") == 0 ||
                        strcmp(called_name(wrapper), "executemany") == 0);
        dp_plug_report(ctx, &dp_rule_B608, 0, DP_SCAN_MEDIUM,
                       execute && !replace ? DP_SCAN_MEDIUM : DP_SCAN_LOW, 89,
                       "Possible SQL injection vector through string-based query construction.");
    }
    dp_sbuf_free(&stmt);
}
