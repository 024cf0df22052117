/* B107 hardcoded_password_default (Bandit 1.9.4, plugins/general_hardcoded_password.py).
 * What it does: flags a `def` whose positional parameter with a password-like name (see B105)
 * defaults to a string literal (LOW/MEDIUM, CWE-259), reported at the def. Bandit pairs
 * args.args with args.defaults padded on the left, so defaults of positional-only parameters
 * shift the pairing; keyword-only parameters and `async def` are not checked.
 * Why it is bad: the default is a credential hard-coded in source.
 * Example:
 *     def login(user, password="admin"): ...    # B107
 *     def login(user, password=None): ...       # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B107 = {
    "B107", "hardcoded_password_default", {DP_PY_FunctionDef, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *a = ctx->node->v.FunctionDef.args;
    const struct dp_py_list *args = &a->v.arguments.args, *defs = &a->v.arguments.defaults;
    int pad = args->n > defs->n ? args->n - defs->n : 0;
    int pairs = args->n < pad + defs->n ? args->n : pad + defs->n;   /* zip() stops early */
    for (int i = pad; i < pairs; i++) {
        const struct dp_py_node *key = args->items[i], *val = defs->items[i - pad];
        if (!dp_plug_is_str(val) || !dp_plug_password_name(key->v.arg.arg, strlen(key->v.arg.arg)))
            continue;
        struct dp_sbuf text = {0};
        dp_sbuf_puts(&text, "Possible hardcoded password: '");
        dp_sbuf_put(&text, val->v.Constant.value.s, val->v.Constant.value.n);
        dp_sbuf_puts(&text, "'");
        dp_plug_report(ctx, &dp_rule_B107, 0, DP_SCAN_LOW, DP_SCAN_MEDIUM, 259, text.p);
        dp_sbuf_free(&text);
        return;
    }
}
