/* B611 django_rawsql_used (Bandit 1.9.4, plugins/django_sql_injection.py).
 * What it does: in a file importing anything containing "django.db.models", flags calls
 * whose short name is RawSQL when the SQL (first argument, else sql=) is not a string
 * literal (MEDIUM/MEDIUM, CWE-89). Without either, Bandit's test fails: no finding.
 * Why it is bad: the SQL text is built from data.
 * Example:
 *     RawSQL("SELECT x FROM t WHERE id = %s" % uid, ())   # B611
 *     RawSQL("SELECT x FROM t WHERE id = %s", (uid,))      # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B611 = {
    "B611", "django_rawsql_used", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node, *sql;
    if (!dp_scan_is_module_imported_like(ctx, "django.db.models") ||
        strcmp(dp_plug_name(ctx), "RawSQL") != 0)
        return;
    if (call->v.Call.args.n) sql = call->v.Call.args.items[0];
    else {
        const struct dp_py_node *kw = dp_plug_kw_node(call, "sql");
        if (!kw) return;   /* kwargs["sql"] raises KeyError */
        sql = kw->v.keyword.value;
    }
    if (!dp_plug_is_str(sql))
        dp_plug_report(ctx, &dp_rule_B611, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 89,
                       "Use of RawSQL potential SQL attack vector.");
}
