/* B113 request_without_timeout (Bandit 1.9.4, plugins/request_without_timeout.py).
 * What it does: flags requests.<verb>(...) (get, options, head, post, put, patch, delete)
 * without a literal `timeout`, and requests/httpx calls (httpx also request, stream, Client,
 * AsyncClient) with `timeout=None`. MEDIUM/LOW, CWE-400. The name's first dotted part must be
 * exactly "requests" or "httpx" after import-alias resolution.
 * Why it is bad: without a timeout a stalled server hangs the client forever.
 * Example:
 *     requests.get(url)                       # B113: Call to requests without timeout
 *     httpx.Client(timeout=None)              # B113: Call to httpx with timeout set to None
 *     requests.get(url, timeout=5)            # fine
 * Quirk kept: timeout=<a call or a subscript> reads as missing (Bandit's literal is None). */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B113 = {
    "B113", "request_without_timeout", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *const http_verbs[] = {
    "get", "options", "head", "post", "put", "patch", "delete", NULL};
static const char *const httpx_extra[] = {"request", "stream", "Client", "AsyncClient", NULL};
static const char *const none_value[] = {"None", NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx), *name = dp_plug_name(ctx);
    bool req = dp_plug_qual_first_is(qual, "requests") && dp_plug_in(name, http_verbs);
    bool hx = dp_plug_qual_first_is(qual, "httpx") &&
              (dp_plug_in(name, http_verbs) || dp_plug_in(name, httpx_extra));
    if (req && dp_plug_kw_check(ctx->node, "timeout", none_value) < 0) {
        dp_plug_report(ctx, &dp_rule_B113, 0, DP_SCAN_MEDIUM, DP_SCAN_LOW, 400,
                       "Call to requests without timeout");
        return;
    }
    if ((req || hx) && dp_plug_kw_check(ctx->node, "timeout", none_value) > 0)
        dp_plug_report(ctx, &dp_rule_B113, 0, DP_SCAN_MEDIUM, DP_SCAN_LOW, 400,
                       req ? "Call to requests with timeout set to None"
                           : "Call to httpx with timeout set to None");
}
