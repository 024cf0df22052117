/* B106 hardcoded_password_funcarg (Bandit 1.9.4, plugins/general_hardcoded_password.py).
 * What it does: flags a call passing a string literal to a keyword argument with a
 * password-like name (see B105; LOW/MEDIUM, CWE-259), at the line of that string. The first
 * such keyword wins.
 * Why it is bad: the credential is hard-coded in source.
 * Example:
 *     connect(user="app", password="hunter2")   # B106: Possible hardcoded password: 'hunter2'
 *     connect(password=os.environ["DB_PW"])      # fine
 * Quirk kept: a `**"..."` string before the match makes Bandit's test fail (no finding). */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B106 = {
    "B106", "hardcoded_password_funcarg", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_list *kws = &ctx->node->v.Call.keywords;
    for (int i = 0; i < kws->n; i++) {
        const struct dp_py_node *kw = kws->items[i], *v = kw->v.keyword.value;
        if (!dp_plug_is_str(v)) continue;
        if (!kw->v.keyword.arg) return;   /* re.search(None) raises in Bandit */
        if (!dp_plug_password_name(kw->v.keyword.arg, strlen(kw->v.keyword.arg))) continue;
        struct dp_sbuf text = {0};
        dp_sbuf_puts(&text, "Possible hardcoded password: '");
        dp_sbuf_put(&text, v->v.Constant.value.s, v->v.Constant.value.n);
        dp_sbuf_puts(&text, "'");
        dp_plug_report(ctx, &dp_rule_B106, v->lineno, DP_SCAN_LOW, DP_SCAN_MEDIUM, 259, text.p);
        dp_sbuf_free(&text);
        return;
    }
}
