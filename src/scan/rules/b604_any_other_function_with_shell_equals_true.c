/* B604 any_other_function_with_shell_equals_true (Bandit 1.9.4, plugins/injection_shell.py).
 * What it does: flags any call outside the subprocess list (see B602) with a truthy `shell`
 * keyword, at the line of the value (MEDIUM/LOW, CWE-78): wrappers that pass it on.
 * Why it is bad: such helpers usually hand the string to a shell.
 * Example:
 *     utils.execute(cmd, shell=True)     # B604
 *     run_cmd(cmd, shell=flag)           # B604 (a variable counts as true) */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B604 = {
    "B604", "any_other_function_with_shell_equals_true", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (!dp_plug_in(dp_plug_qual(ctx), dp_plug_shell_subprocess) && dp_plug_has_shell(ctx->node))
        dp_plug_report(ctx, &dp_rule_B604, dp_plug_kw_lineno(ctx->node, "shell"), DP_SCAN_MEDIUM,
                       DP_SCAN_LOW, 78,
                       "Function call with shell=True parameter identified, possible security "
                       "issue.");
}
