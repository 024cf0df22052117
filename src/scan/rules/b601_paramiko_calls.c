/* B601 paramiko_calls (Bandit 1.9.4, plugins/injection_paramiko.py).
 * What it does: in a file importing anything containing "paramiko", flags every call whose
 * short name is exec_command (MEDIUM/MEDIUM, CWE-78).
 * Why it is bad: the command runs in the remote user's shell; unsanitised input is shell
 * injection on the remote host.
 * Example:
 *     client.exec_command("ls " + path)   # B601 */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B601 = {
    "B601", "paramiko_calls", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (dp_scan_is_module_imported_like(ctx, "paramiko") && strcmp(dp_plug_name(ctx), "exec_command") == 0)
        dp_plug_report(ctx, &dp_rule_B601, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 78,
                       "Possible shell injection via Paramiko call, check inputs are properly "
                       "sanitized.");
}
