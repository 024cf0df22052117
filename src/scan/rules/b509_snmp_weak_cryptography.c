/* B509 snmp_weak_cryptography (Bandit 1.9.4, plugins/snmp_security_check.py,
 * snmp_crypto_check).
 * What it does: flags pysnmp.hlapi.UsmUserData(...) with fewer than three positional
 * arguments, i.e. without a privacy (encryption) key (MEDIUM/HIGH, CWE-319).
 * Why it is bad: noAuthNoPriv and authNoPriv SNMPv3 traffic is not encrypted.
 * Example:
 *     UsmUserData("user", "authkey")              # B509
 *     UsmUserData("user", "authkey", "privkey")   # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B509 = {
    "B509", "snmp_crypto_check", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (strcmp(dp_plug_qual(ctx), "pysnmp.hlapi.UsmUserData") == 0 && dp_plug_nargs(ctx->node) < 3)
        dp_plug_report(ctx, &dp_rule_B509, dp_plug_kw_lineno(ctx->node, "UsmUserData"),
                       DP_SCAN_MEDIUM, DP_SCAN_HIGH, 319,
                       "You should not use SNMPv3 without encryption. noAuthNoPriv & authNoPriv "
                       "is insecure");
}
