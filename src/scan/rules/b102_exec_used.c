/* B102 exec_used (Bandit 1.9.4, plugins/exec.py).
 * What it does: flags calls whose qualified name is exactly `exec` (MEDIUM/HIGH, CWE-78).
 * Why it is bad: exec runs arbitrary Python source; any attacker influence on the string is
 * code execution.
 * Example:
 *     exec(request.args["code"])   # B102
 *     builtins.exec(src)           # not flagged: Bandit matches the bare name only */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B102 = {
    "B102", "exec_used", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (strcmp(dp_plug_qual(ctx), "exec") == 0)
        dp_plug_report(ctx, &dp_rule_B102, 0, DP_SCAN_MEDIUM, DP_SCAN_HIGH, 78,
                       "Use of exec detected.");
}
