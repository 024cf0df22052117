/* B504 ssl_with_no_version (Bandit 1.9.4, plugins/insecure_ssl_tls.py).
 * What it does: flags ssl.wrap_socket(...) without a literal ssl_version keyword
 * (LOW/MEDIUM, CWE-327); a non-literal value (a call) counts as missing, as in Bandit.
 * Why it is bad: the default protocol negotiation of old Pythons allowed SSLv2/v3.
 * Example:
 *     ssl.wrap_socket(sock)                                      # B504
 *     ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)  # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B504 = {
    "B504", "ssl_with_no_version", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *const no_values[] = {NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (strcmp(dp_plug_qual(ctx), "ssl.wrap_socket") != 0) return;
    if (dp_plug_kw_check(ctx->node, "ssl_version", no_values) < 0)
        dp_plug_report(ctx, &dp_rule_B504, dp_plug_kw_lineno(ctx->node, "ssl_version"), DP_SCAN_LOW,
                       DP_SCAN_MEDIUM, 327,
                       "ssl.wrap_socket call with no SSL/TLS protocol version specified, the "
                       "default SSLv23 could be insecure, possible security issue.");
}
