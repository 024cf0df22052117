/* The scanner's side of the TLS analysis: the DP501-DP505 rule objects the driver registers
 * (through rules.def) for -t/-s filtering and `# nosec DP501`, and dp_scan_tls, which the driver
 * calls once per module. The rules visit no node kind: all their work is in dp_scan_tls. */
#include "scan/scan.h"
#include "scan/tls/tls.h"

/* Never called: the rules register no node kind. */
static void tls_rule_noop(struct dp_scan_ctx *ctx) { (void)ctx; }

#define TLS_RULE(ID, NAME, ANCHOR) \
    const struct dp_scan_rule dp_rule_##ID = {.id = #ID, .name = NAME, .kinds = {-1, -1, -1, -1}, \
                                              .fn = tls_rule_noop, .bandit = false, \
                                              .more_info = "docs/tls-rules.md#" ANCHOR};
TLS_RULE(DP501, "tls_cert_verification_disabled", "dp501")
TLS_RULE(DP502, "tls_hostname_verification_disabled", "dp502")
TLS_RULE(DP503, "tls_insecure_warnings_silenced", "dp503")
TLS_RULE(DP504, "tls_verification_disabled_by_environment", "dp504")
TLS_RULE(DP505, "tls_context_unverified_by_default", "dp505")

static const struct dp_scan_rule *const tls_rules[DP_TLS_RULE_COUNT] = {
    &dp_rule_DP501, &dp_rule_DP502, &dp_rule_DP503, &dp_rule_DP504, &dp_rule_DP505,
};

static void tls_emit(const struct dp_tls_finding *f, void *ud)
{
    struct dp_scan_ctx *ctx = ud;
    dp_scan_report_dp(ctx, tls_rules[f->rule], f->node, f->severity, f->confidence, f->cwe, f->text,
                      f->resolved, f->evidence);
}

void dp_scan_tls(struct dp_scan_ctx *ctx, const struct dp_py_node *module)
{
    dp_tls_analyze(module, ctx->src ? ctx->src : "", ctx->src ? ctx->src_len : 0, tls_emit, ctx);
}
