/* B104 hardcoded_bind_all_interfaces (Bandit 1.9.4, plugins/general_bind_all_interfaces.py).
 * What it does: flags every string literal that is exactly "0.0.0.0" (MEDIUM/MEDIUM,
 * CWE-605), wherever it appears except a docstring or bare string statement.
 * Why it is bad: binding a server to all interfaces exposes it on every network the host is
 * on, not just the one intended.
 * Example:
 *     sock.bind(("0.0.0.0", 8080))    # B104
 *     app.run(host="::")              # not flagged: only the IPv4 spelling is matched */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B104 = {
    "B104", "hardcoded_bind_all_interfaces", {DP_SCAN_STR, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (!dp_plug_str_visit(ctx)) return;
    const struct dp_py_const *c = &ctx->node->v.Constant.value;
    if (c->n == 7 && memcmp(c->s, "0.0.0.0", 7) == 0)
        dp_plug_report(ctx, &dp_rule_B104, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 605,
                       "Possible binding to all interfaces.");
}
