/* B607 start_process_with_partial_path (Bandit 1.9.4, plugins/injection_shell.py).
 * What it does: for any process-starting call of B602-B606 (subprocess, shell and no-shell
 * lists), flags a first argument (or first element of a list literal) that is a string
 * literal not starting with '/', '\\', '.' or a drive letter and colon (LOW/HIGH, CWE-78).
 * Why it is bad: the program is looked up on PATH, which an attacker may control.
 * Example:
 *     subprocess.Popen(["ls", "-l"])        # B607 (and B603)
 *     subprocess.Popen(["/bin/ls", "-l"])   # B603 only */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B607 = {
    "B607", "start_process_with_partial_path", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

/* full_path_match = ^(?:[A-Za-z](?=\:)|[\\\/\.]) */
static bool full_path(const char *s, size_t n)
{
    if (n >= 2 && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) && s[1] == ':')
        return true;
    return n >= 1 && (s[0] == '\\' || s[0] == '/' || s[0] == '.');
}

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node, *a;
    const char *qual = dp_plug_qual(ctx);
    if (dp_plug_nargs(call) == 0) return;
    if (!dp_plug_in(qual, dp_plug_shell_subprocess) && !dp_plug_in(qual, dp_plug_shell_shell) &&
        !dp_plug_in(qual, dp_plug_shell_no_shell))
        return;
    a = call->v.Call.args.items[0];
    if (a->kind == DP_PY_List && a->v.List.elts.n > 0) a = a->v.List.elts.items[0];
    if (dp_plug_is_str(a) && !full_path(a->v.Constant.value.s, a->v.Constant.value.n))
        dp_plug_report(ctx, &dp_rule_B607, 0, DP_SCAN_LOW, DP_SCAN_HIGH, 78,
                       "Starting a process with a partial executable path");
}
