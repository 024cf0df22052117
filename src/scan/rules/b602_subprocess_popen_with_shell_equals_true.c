/* B602 subprocess_popen_with_shell_equals_true (Bandit 1.9.4, plugins/injection_shell.py).
 * What it does: flags subprocess.Popen/call/check_call/check_output/run with a truthy
 * `shell` keyword (see dp_plug_has_shell) and at least one positional argument, at the line
 * of the shell value: LOW severity when the command is a plain string literal, HIGH otherwise;
 * HIGH confidence, CWE-78.
 * Why it is bad: the command line goes through /bin/sh, so anything interpolated into it can
 * inject shell syntax.
 * Example:
 *     subprocess.run("ls " + d, shell=True)    # B602 HIGH
 *     subprocess.run("ls -l", shell=True)      # B602 LOW
 *     subprocess.run(["ls", d])                # B603 instead */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B602 = {
    "B602", "subprocess_popen_with_shell_equals_true", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node;
    if (!dp_plug_in(dp_plug_qual(ctx), dp_plug_shell_subprocess) || !dp_plug_has_shell(call) ||
        dp_plug_nargs(call) == 0)
        return;
    int line = dp_plug_kw_lineno(call, "shell");
    if (dp_plug_is_str(call->v.Call.args.items[0]))
        dp_plug_report(ctx, &dp_rule_B602, line, DP_SCAN_LOW, DP_SCAN_HIGH, 78,
                       "subprocess call with shell=True seems safe, but may be changed in the "
                       "future, consider rewriting without shell");
    else
        dp_plug_report(ctx, &dp_rule_B602, line, DP_SCAN_HIGH, DP_SCAN_HIGH, 78,
                       "subprocess call with shell=True identified, security issue.");
}
