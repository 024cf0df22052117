/* B502 ssl_with_bad_version (Bandit 1.9.4, plugins/insecure_ssl_tls.py).
 * What it does: flags a known-broken protocol constant (PROTOCOL_SSLv2, SSLv2_METHOD,
 * SSLv23_METHOD, PROTOCOL_SSLv3, PROTOCOL_TLSv1, SSLv3_METHOD, TLSv1_METHOD,
 * PROTOCOL_TLSv1_1, TLSv1_1_METHOD; matched by attribute or bare name) passed as
 *   - ssl.wrap_socket(ssl_version=...): HIGH/HIGH;
 *   - pyOpenSSL.SSL.Context(method=...): HIGH/HIGH;
 *   - method= or ssl_version= of any other call: MEDIUM/MEDIUM;
 * at the line of the keyword's value. CWE-327.
 * Why it is bad: SSLv2/v3 and TLS 1.0/1.1 have practical attacks (DROWN, POODLE, BEAST).
 * Example:
 *     ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)   # B502 HIGH
 *     SSL.Context(method=SSL.SSLv2_METHOD)                     # B502 MEDIUM (not pyOpenSSL.*)
 *     ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLS_CLIENT)   # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B502 = {
    "B502", "ssl_with_bad_version", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node;
    const char *qual = dp_plug_qual(ctx);
    const char *const *bad = dp_plug_bad_ssl_versions;
    if (strcmp(qual, "ssl.wrap_socket") == 0) {
        if (dp_plug_kw_check(call, "ssl_version", bad) > 0)
            dp_plug_report(ctx, &dp_rule_B502, dp_plug_kw_lineno(call, "ssl_version"), DP_SCAN_HIGH,
                           DP_SCAN_HIGH, 327,
                           "ssl.wrap_socket call with insecure SSL/TLS protocol version "
                           "identified, security issue.");
    } else if (strcmp(qual, "pyOpenSSL.SSL.Context") == 0) {
        if (dp_plug_kw_check(call, "method", bad) > 0)
            dp_plug_report(ctx, &dp_rule_B502, dp_plug_kw_lineno(call, "method"), DP_SCAN_HIGH,
                           DP_SCAN_HIGH, 327,
                           "SSL.Context call with insecure SSL/TLS protocol version identified, "
                           "security issue.");
    } else if (dp_plug_kw_check(call, "method", bad) > 0 ||
               dp_plug_kw_check(call, "ssl_version", bad) > 0) {
        int line = dp_plug_kw_lineno(call, "method");
        if (!line) line = dp_plug_kw_lineno(call, "ssl_version");
        dp_plug_report(ctx, &dp_rule_B502, line, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 327,
                       "Function call with insecure SSL/TLS protocol identified, possible "
                       "security issue.");
    }
}
