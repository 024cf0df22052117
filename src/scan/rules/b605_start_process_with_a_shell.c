/* B605 start_process_with_a_shell (Bandit 1.9.4, plugins/injection_shell.py).
 * What it does: flags calls that always go through a shell (os.system, os.popen*,
 * popen2.*, commands.getoutput/getstatusoutput, subprocess.getoutput/getstatusoutput) with at
 * least one argument: LOW when the command is a plain string literal, HIGH otherwise; HIGH
 * confidence, CWE-78.
 * Why it is bad: the command string is parsed by /bin/sh.
 * Example:
 *     os.system("rm -rf " + path)   # B605 HIGH
 *     os.system("clear")            # B605 LOW (and B607: partial path) */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B605 = {
    "B605", "start_process_with_a_shell", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node;
    if (!dp_plug_in(dp_plug_qual(ctx), dp_plug_shell_shell) || dp_plug_nargs(call) == 0) return;
    if (dp_plug_is_str(call->v.Call.args.items[0]))
        dp_plug_report(ctx, &dp_rule_B605, 0, DP_SCAN_LOW, DP_SCAN_HIGH, 78,
                       "Starting a process with a shell: Seems safe, but may be changed in the "
                       "future, consider rewriting without shell");
    else
        dp_plug_report(ctx, &dp_rule_B605, 0, DP_SCAN_HIGH, DP_SCAN_HIGH, 78,
                       "Starting a process with a shell, possible injection detected, security "
                       "issue.");
}
