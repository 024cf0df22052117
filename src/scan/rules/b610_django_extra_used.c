/* B610 django_extra_used (Bandit 1.9.4, plugins/django_sql_injection.py).
 * What it does: flags any call whose short name is `extra` (Django's QuerySet.extra) unless
 * `where` and `tables` are lists of string literals and `select` is a dict of string
 * literals (positional arguments map to select, where, params, tables, order_by,
 * select_params). MEDIUM/MEDIUM, CWE-89.
 * Why it is bad: extra() pastes its strings into the SQL; anything non-literal can inject.
 * Example:
 *     qs.extra(where=["id = %s" % uid])        # B610
 *     qs.extra(where=["id = 1"])               # not flagged
 *     qs.extra(select={"n": "COUNT(*)"})       # not flagged */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B610 = {
    "B610", "django_extra_used", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

/* keywords2dict plus the positional overrides: the value passed for `name`, or NULL. */
static const struct dp_py_node *arg_for(const struct dp_py_node *call, const char *name, int pos)
{
    if (call->v.Call.args.n > pos) return call->v.Call.args.items[pos];
    const struct dp_py_node *kw = dp_plug_kw_node(call, name);
    return kw ? kw->v.keyword.value : NULL;
}

static bool all_str(const struct dp_py_list *l)
{
    for (int i = 0; i < l->n; i++)
        if (!dp_plug_is_str(l->items[i])) return false;
    return true;
}

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node;
    if (strcmp(dp_plug_name(ctx), "extra") != 0) return;
    const struct dp_py_node *where = arg_for(call, "where", 1), *tables = arg_for(call, "tables", 3);
    const struct dp_py_node *select = arg_for(call, "select", 0);
    bool insecure = false;
    if (where) insecure = where->kind != DP_PY_List || !all_str(&where->v.List.elts);
    if (!insecure && tables) insecure = tables->kind != DP_PY_List || !all_str(&tables->v.List.elts);
    if (!insecure && select)
        insecure = select->kind != DP_PY_Dict || !all_str(&select->v.Dict.keys) ||
                   !all_str(&select->v.Dict.values);
    if (insecure)
        dp_plug_report(ctx, &dp_rule_B610, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 89,
                       "Use of extra potential SQL attack vector.");
}
