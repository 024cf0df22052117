/* The DP5xx TLS analysis: an abstract interpretation of one module's AST that finds every way
 * the code turns off certificate or hostname verification (requests, httpx, aiohttp, urllib3,
 * ssl, urllib, pycurl, httplib2, tornado, websocket-client, the environment), seeing through
 * aliases, variables, **kwargs, sessions, partials and star imports. It is not Bandit's B501:
 * the rule IDs, texts and semantics are dpoison's own (docs/tls-rules.md). */
#ifndef DP_SCAN_TLS_TLS_H
#define DP_SCAN_TLS_TLS_H
#include <stddef.h>
#include "py/ast.h"

struct dp_scan_ctx;

/* The rule IDs of the family. */
enum dp_tls_rule {
    DP_TLS_DP501,   /* certificate verification disabled */
    DP_TLS_DP502,   /* hostname verification disabled (certificates still checked) */
    DP_TLS_DP503,   /* TLS warnings silenced (InsecureRequestWarning) */
    DP_TLS_DP504,   /* verification disabled through environment variables */
    DP_TLS_DP505,   /* a context that does not verify by default used for a client connection */
    DP_TLS_RULE_COUNT
};

/* Static description of a rule (IDs, names, severities as enum dp_scan_level values). */
struct dp_tls_rule_info {
    const char *id, *name;
    int severity, cwe;
    const char *what;   /* issue text prefix */
};
const struct dp_tls_rule_info *dp_tls_rule_info(enum dp_tls_rule r);

/* One finding. Every string is owned by the analysis and valid only during the emit callback. */
struct dp_tls_finding {
    enum dp_tls_rule rule;
    int severity, confidence, cwe;         /* enum dp_scan_level values; CWE id */
    const struct dp_py_node *node;         /* where: a Call, an assignment statement, ... */
    const char *text;                      /* issue text */
    const char *resolved;                  /* "requests.Session.get", "ssl.SSLContext.verify_mode" */
    const char *evidence;                  /* "s = requests.Session() (line 3); s.verify = False (line 4)" */
};
typedef void (*dp_tls_emit_fn)(const struct dp_tls_finding *f, void *ud);

/* Analyses module (a Module node parsed from src[0..n)) and calls emit once per finding, in
 * (line, column, rule) order. src is only read (for evidence snippets); nothing is kept after
 * the call returns. */
void dp_tls_analyze(const struct dp_py_node *module, const char *src, size_t n,
                    dp_tls_emit_fn emit, void *ud);

/* Scanner entry point: runs dp_tls_analyze on module (ctx->src as source) and reports each
 * finding through dp_scan_report_dp with the rule objects dp_rule_DP501 ... dp_rule_DP505. */
void dp_scan_tls(struct dp_scan_ctx *ctx, const struct dp_py_node *module);

#endif
