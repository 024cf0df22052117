/* B201 flask_debug_true (Bandit 1.9.4, plugins/app_debug.py).
 * What it does: in a file that imports anything containing "flask", flags a call whose
 * qualified name ends in ".run" with debug=True, at the line of the value (HIGH/MEDIUM, CWE-94).
 * Why it is bad: Flask's debug mode enables the Werkzeug debugger, which executes arbitrary
 * code sent from the browser.
 * Example:
 *     app.run(debug=True)     # B201
 *     app.run(debug=False)    # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B201 = {
    "B201", "flask_debug_true", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *const true_value[] = {"True", NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx);
    size_t n = strlen(qual);
    if (!dp_scan_is_module_imported_like(ctx, "flask")) return;
    if (n < 4 || strcmp(qual + n - 4, ".run") != 0) return;
    if (dp_plug_kw_check(ctx->node, "debug", true_value) > 0)
        dp_plug_report(ctx, &dp_rule_B201, dp_plug_kw_lineno(ctx->node, "debug"), DP_SCAN_HIGH,
                       DP_SCAN_MEDIUM, 94,
                       "A Flask app appears to be run with debug=True, which exposes the Werkzeug "
                       "debugger and allows the execution of arbitrary code.");
}
