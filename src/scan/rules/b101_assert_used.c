/* B101 assert_used (Bandit 1.9.4, plugins/asserts.py).
 * What it does: flags every `assert` statement (LOW severity, HIGH confidence, CWE-703).
 * Why it is bad: `python -O` compiles asserts away, so a check written as an assert (an
 * access control, an input validation) silently disappears from optimised byte code.
 * Example:
 *     assert user.is_admin, "forbidden"     # B101
 *     if not user.is_admin: raise PermissionError("forbidden")   # fine
 * Bandit's `assert_used.skips` file globs are not configurable here (the default is empty). */
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B101 = {
    "B101", "assert_used", {DP_PY_Assert, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    dp_plug_report(ctx, &dp_rule_B101, 0, DP_SCAN_LOW, DP_SCAN_HIGH, 703,
                   "Use of assert detected. The enclosed code will be removed when compiling to "
                   "optimised byte code.");
}
