/* B603 subprocess_without_shell_equals_true (Bandit 1.9.4, plugins/injection_shell.py).
 * What it does: flags subprocess.Popen/call/check_call/check_output/run without a truthy
 * `shell` keyword (LOW/HIGH, CWE-78), at the line of the shell value when there is one.
 * Why it is bad: no shell injection, but the executed program and its arguments still need
 * to be trusted.
 * Example:
 *     subprocess.run(["git", "pull"])              # B603
 *     subprocess.run(cmd, shell=False)             # B603 */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B603 = {
    "B603", "subprocess_without_shell_equals_true", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (dp_plug_in(dp_plug_qual(ctx), dp_plug_shell_subprocess) && !dp_plug_has_shell(ctx->node))
        dp_plug_report(ctx, &dp_rule_B603, dp_plug_kw_lineno(ctx->node, "shell"), DP_SCAN_LOW,
                       DP_SCAN_HIGH, 78, "subprocess call - check for execution of untrusted input.");
}
