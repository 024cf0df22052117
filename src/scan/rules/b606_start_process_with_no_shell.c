/* B606 start_process_with_no_shell (Bandit 1.9.4, plugins/injection_shell.py).
 * What it does: flags os.exec*, os.spawn* and os.startfile calls (LOW/MEDIUM, CWE-78).
 * Why it is bad: no shell is involved, but the program run and its arguments must be trusted.
 * Example:
 *     os.execvp(prog, args)    # B606 */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B606 = {
    "B606", "start_process_with_no_shell", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (dp_plug_in(dp_plug_qual(ctx), dp_plug_shell_no_shell))
        dp_plug_report(ctx, &dp_rule_B606, 0, DP_SCAN_LOW, DP_SCAN_MEDIUM, 78,
                       "Starting a process without a shell.");
}
