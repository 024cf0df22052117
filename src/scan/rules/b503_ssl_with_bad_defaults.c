/* B503 ssl_with_bad_defaults (Bandit 1.9.4, plugins/insecure_ssl_tls.py).
 * What it does: flags a `def` whose positional parameter defaults include an attribute
 * naming a broken protocol (the B502 list), e.g. ssl.PROTOCOL_SSLv3; MEDIUM/MEDIUM, CWE-327.
 * Bandit reads only the attribute name (function_def_defaults_qual), so a bare name default,
 * a keyword-only default or an `async def` is not checked.
 * Why it is bad: every caller that relies on the default speaks a broken protocol.
 * Example:
 *     def connect(host, proto=ssl.PROTOCOL_TLSv1): ...    # B503
 *     def connect(host, proto=ssl.PROTOCOL_TLS_CLIENT): ...   # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B503 = {
    "B503", "ssl_with_bad_defaults", {DP_PY_FunctionDef, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_list *defs = &ctx->node->v.FunctionDef.args->v.arguments.defaults;
    for (int i = 0; i < defs->n; i++) {
        const struct dp_py_node *d = defs->items[i];
        if (d->kind == DP_PY_Attribute && dp_plug_in(d->v.Attribute.attr, dp_plug_bad_ssl_versions)) {
            dp_plug_report(ctx, &dp_rule_B503, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 327,
                           "Function definition identified with insecure SSL/TLS protocol "
                           "version by default, possible security issue.");
            return;
        }
    }
}
