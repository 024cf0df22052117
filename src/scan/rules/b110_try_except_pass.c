/* B110 try_except_pass (Bandit 1.9.4, plugins/try_except_pass.py).
 * What it does: flags an except clause whose whole body is `pass` when it catches everything:
 * a bare `except:` or `except Exception:` (the name exactly; Bandit's default
 * check_typed_exception=False skips other types). LOW/HIGH, CWE-703.
 * Why it is bad: swallowing every error hides failures, including security-relevant ones.
 * Example:
 *     try: do() \n except Exception: pass     # B110
 *     try: do() \n except KeyError: pass      # not flagged */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B110 = {
    "B110", "try_except_pass", {DP_PY_ExceptHandler, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *h = ctx->node, *t = h->v.ExceptHandler.type;
    if (h->v.ExceptHandler.body.n != 1) return;
    if (t && !(t->kind == DP_PY_Name && strcmp(t->v.Name.id, "Exception") == 0)) return;
    if (h->v.ExceptHandler.body.items[0]->kind == DP_PY_Pass)
        dp_plug_report(ctx, &dp_rule_B110, 0, DP_SCAN_LOW, DP_SCAN_HIGH, 703,
                       "Try, Except, Pass detected.");
}
