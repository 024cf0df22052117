/* B108 hardcoded_tmp_directory (Bandit 1.9.4, plugins/general_hardcoded_tmp.py).
 * What it does: flags string literals starting with /tmp, /var/tmp or /dev/shm (Bandit's
 * default tmp_dirs; MEDIUM/MEDIUM, CWE-377). String pieces of f-strings count too.
 * Why it is bad: fixed paths in shared temporary directories invite symlink and race attacks;
 * tempfile.mkstemp / TemporaryDirectory create unpredictable, private names.
 * Example:
 *     open("/tmp/report.txt", "w")       # B108
 *     f"/var/tmp/{name}.lock"            # B108 (the "/var/tmp/" piece)
 *     tempfile.mkstemp()                 # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B108 = {
    "B108", "hardcoded_tmp_directory", {DP_SCAN_STR, -1, -1, -1}, check, true, NULL};

static const char *const tmp_dirs[] = {"/tmp", "/var/tmp", "/dev/shm", NULL};

static void check(struct dp_scan_ctx *ctx)
{
    if (!dp_plug_str_visit(ctx)) return;
    const struct dp_py_const *c = &ctx->node->v.Constant.value;
    for (const char *const *d = tmp_dirs; *d; d++) {
        size_t n = strlen(*d);
        if (c->n >= n && memcmp(c->s, *d, n) == 0) {
            dp_plug_report(ctx, &dp_rule_B108, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 377,
                           "Probable insecure usage of temp file/directory.");
            return;
        }
    }
}
