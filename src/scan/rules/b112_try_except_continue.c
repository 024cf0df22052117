/* B112 try_except_continue (Bandit 1.9.4, plugins/try_except_continue.py).
 * What it does: flags an except clause whose whole body is `continue` when it catches everything:
 * a bare `except:` or `except Exception:` (the name exactly; Bandit's default
 * check_typed_exception=False skips other types). LOW/HIGH, CWE-703.
 * Why it is bad: skipping a loop iteration on any error hides failures, including
 * security-relevant ones.
 * Example:
 *     try: do() \n except Exception: continue  # B112
 *     try: do() \n except KeyError: continue   # not flagged */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B112 = {
    "B112", "try_except_continue", {DP_PY_ExceptHandler, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *h = ctx->node, *t = h->v.ExceptHandler.type;
    if (h->v.ExceptHandler.body.n != 1) return;
    if (t && !(t->kind == DP_PY_Name && strcmp(t->v.Name.id, "Exception") == 0)) return;
    if (h->v.ExceptHandler.body.items[0]->kind == DP_PY_Continue)
        dp_plug_report(ctx, &dp_rule_B112, 0, DP_SCAN_LOW, DP_SCAN_HIGH, 703,
                       "Try, Except, Continue detected.");
}
