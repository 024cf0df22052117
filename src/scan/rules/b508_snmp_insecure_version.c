/* B508 snmp_insecure_version (Bandit 1.9.4, plugins/snmp_security_check.py,
 * snmp_insecure_version_check).
 * What it does: flags pysnmp.hlapi.CommunityData(..., mpModel=0 or 1), i.e. SNMPv1/v2c
 * (MEDIUM/HIGH, CWE-319).
 * Why it is bad: SNMPv1/v2c send the community string and all data in clear text.
 * Example:
 *     CommunityData("public", mpModel=0)   # B508 (with from pysnmp.hlapi import CommunityData)
 *     UsmUserData("user", "authkey", "privkey")   # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B508 = {
    "B508", "snmp_insecure_version_check", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (strcmp(dp_plug_qual(ctx), "pysnmp.hlapi.CommunityData") != 0) return;
    struct dp_plug_lit v = dp_plug_kw_value(ctx->node, "mpModel");
    if (dp_plug_lit_num_eq(v, 0) || dp_plug_lit_num_eq(v, 1))
        dp_plug_report(ctx, &dp_rule_B508, dp_plug_kw_lineno(ctx->node, "CommunityData"),
                       DP_SCAN_MEDIUM, DP_SCAN_HIGH, 319,
                       "The use of SNMPv1 and SNMPv2 is insecure. You should use SNMPv3 if able.");
}
