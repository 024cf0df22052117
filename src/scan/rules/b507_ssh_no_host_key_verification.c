/* B507 ssh_no_host_key_verification (Bandit 1.9.4, plugins/ssh_no_host_key_verification.py).
 * What it does: in a file importing anything containing "paramiko", flags
 * <x>.set_missing_host_key_policy(P) where P is AutoAddPolicy or WarningPolicy: a name, an
 * attribute, or a call of either (HIGH/MEDIUM, CWE-295).
 * Why it is bad: an unknown host key is accepted silently, so a man in the middle is trusted.
 * Example:
 *     client.set_missing_host_key_policy(paramiko.AutoAddPolicy())   # B507
 *     client.set_missing_host_key_policy(paramiko.RejectPolicy())    # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B507 = {
    "B507", "ssh_no_host_key_verification", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *policy_name(const struct dp_py_node *a)
{
    if (a->kind == DP_PY_Call) a = a->v.Call.func;
    if (a->kind == DP_PY_Attribute) return a->v.Attribute.attr;
    if (a->kind == DP_PY_Name) return a->v.Name.id;
    return NULL;
}

static void check(struct dp_scan_ctx *ctx)
{
    static const char *const trusting[] = {"AutoAddPolicy", "WarningPolicy", NULL};
    const struct dp_py_node *call = ctx->node;
    if (!dp_scan_is_module_imported_like(ctx, "paramiko")) return;
    if (strcmp(dp_plug_name(ctx), "set_missing_host_key_policy") != 0 || !call->v.Call.args.n) return;
    const char *p = policy_name(call->v.Call.args.items[0]);
    if (p && dp_plug_in(p, trusting))
        dp_plug_report(ctx, &dp_rule_B507, dp_plug_kw_lineno(call, "set_missing_host_key_policy"),
                       DP_SCAN_HIGH, DP_SCAN_MEDIUM, 295,
                       "Paramiko call with policy set to automatically trust the unknown host "
                       "key.");
}
