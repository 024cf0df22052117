/* B704 markupsafe_markup_xss (Bandit 1.9.4, plugins/markupsafe_markup_xss.py).
 * What it does: flags markupsafe.Markup(x) / flask.Markup(x) whose first argument is not a
 * constant (MEDIUM/HIGH, CWE-79). Bandit's extend_markup_names and allowed_calls options are
 * empty by default and not configurable here.
 * Why it is bad: Markup marks its argument as safe HTML; untrusted data in it is XSS.
 * Example:
 *     Markup(f"<b>{name}</b>")     # B704: Potential XSS with ``markupsafe.Markup`` detected...
 *     Markup("<b>static</b>")       # fine
 *     Markup.escape(name)           # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B704 = {
    "B704", "markupsafe_markup_xss", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx);
    const struct dp_py_node *call = ctx->node;
    if (strcmp(qual, "markupsafe.Markup") != 0 && strcmp(qual, "flask.Markup") != 0) return;
    if (!call->v.Call.args.n || call->v.Call.args.items[0]->kind == DP_PY_Constant) return;
    struct dp_sbuf text = {0};
    dp_sbuf_printf(&text, "Potential XSS with ``%s`` detected. Do not use ``%s`` on untrusted data.",
                   qual, dp_plug_name(ctx));
    dp_plug_report(ctx, &dp_rule_B704, 0, DP_SCAN_MEDIUM, DP_SCAN_HIGH, 79, text.p);
    dp_sbuf_free(&text);
}
