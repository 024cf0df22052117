/* B612 logging_config_insecure_listen (Bandit 1.9.4, plugins/logging_config_insecure_listen.py).
 * What it does: flags logging.config.listen(...) without a `verify` keyword (MEDIUM/HIGH,
 * CWE-94).
 * Why it is bad: the listener accepts logging configurations from the network and applies
 * them with eval-like power; without verify any local client can run code.
 * Example:
 *     logging.config.listen(9999)                     # B612
 *     logging.config.listen(9999, verify=check_sig)   # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B612 = {
    "B612", "logging_config_insecure_listen", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (strcmp(dp_plug_qual(ctx), "logging.config.listen") == 0 && !dp_plug_kw_present(ctx->node, "verify"))
        dp_plug_report(ctx, &dp_rule_B612, 0, DP_SCAN_MEDIUM, DP_SCAN_HIGH, 94,
                       "Use of insecure logging.config.listen detected.");
}
