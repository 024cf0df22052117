/* B501 request_with_no_cert_validation (Bandit 1.9.4, plugins/crypto_request_no_cert_validation.py).
 * What it does: flags requests.<verb>(...) and httpx calls (see B113 for the names) passing
 * verify=False, at the line of the value; HIGH/HIGH, CWE-295. Bandit compares the keyword's
 * literal with the string "False", so verify='False' (a CA-bundle path to requests) is
 * flagged too, while verify=0 or a variable is not: dpoison's DP501 sees through those.
 * Why it is bad: without certificate checks any network attacker can impersonate the server.
 * Example:
 *     requests.get(url, verify=False)     # B501: Call to requests with verify=False ...
 *     httpx.Client(verify=False)          # B501: Call to httpx with verify=False ...
 *     requests.get(url, verify=True)      # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B501 = {
    "B501", "request_with_no_cert_validation", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *const http_verbs[] = {
    "get", "options", "head", "post", "put", "patch", "delete", NULL};
static const char *const httpx_extra[] = {"request", "stream", "Client", "AsyncClient", NULL};
static const char *const false_value[] = {"False", NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx), *name = dp_plug_name(ctx);
    bool req = dp_plug_qual_first_is(qual, "requests") && dp_plug_in(name, http_verbs);
    bool hx = dp_plug_qual_first_is(qual, "httpx") &&
              (dp_plug_in(name, http_verbs) || dp_plug_in(name, httpx_extra));
    if ((req || hx) && dp_plug_kw_check(ctx->node, "verify", false_value) > 0)
        dp_plug_report(ctx, &dp_rule_B501, dp_plug_kw_lineno(ctx->node, "verify"), DP_SCAN_HIGH,
                       DP_SCAN_HIGH, 295,
                       req ? "Call to requests with verify=False disabling SSL certificate "
                             "checks, security issue."
                           : "Call to httpx with verify=False disabling SSL certificate checks, "
                             "security issue.");
}
