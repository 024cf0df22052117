/* B202 tarfile_unsafe_members (Bandit 1.9.4, plugins/tarfile_unsafe_members.py).
 * What it does: in a file that does `import tarfile`, flags calls whose short name contains
 * "extractall" (CWE-22) unless they pass filter="data":
 *   - no `members` keyword: HIGH/HIGH "tarfile.extractall used without any validation...";
 *   - members=f(...) with a plain function name: LOW/LOW, naming the function;
 *   - any other members value: MEDIUM/MEDIUM, naming it.
 * Why it is bad: archive members with absolute paths or ".." escape the target directory.
 * Example:
 *     tar.extractall(path)                              # B202 HIGH
 *     tar.extractall(path, members=safe_members(tar))   # B202 LOW
 *     tar.extractall(path, filter="data")               # fine
 * Quirks kept: members=obj.method(...) makes Bandit's test fail (no finding); the texts'
 * unbalanced ")" is Bandit's; a non-name members value prints as "<ast.Kind object>" where
 * Python prints an object address. */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B202 = {
    "B202", "tarfile_unsafe_members", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const struct dp_py_node *call = ctx->node;
    if (!dp_scan_is_module_imported_exact(ctx, "tarfile") || !strstr(dp_plug_name(ctx), "extractall"))
        return;
    const struct dp_py_node *filter = dp_plug_kw_node(call, "filter");
    if (filter) {   /* Bandit looks at the first "filter" keyword */
        for (int i = 0; i < call->v.Call.keywords.n; i++) {
            const struct dp_py_node *kw = call->v.Call.keywords.items[i];
            if (!kw->v.keyword.arg || strcmp(kw->v.keyword.arg, "filter") != 0) continue;
            const struct dp_py_const *c = &kw->v.keyword.value->v.Constant.value;
            if (kw->v.keyword.value->kind == DP_PY_Constant && c->kind == DP_PY_CONST_STR &&
                c->n == 4 && memcmp(c->s, "data", 4) == 0)
                return;
            break;
        }
    }
    if (!dp_plug_kw_present(call, "members")) {
        dp_plug_report(ctx, &dp_rule_B202, 0, DP_SCAN_HIGH, DP_SCAN_HIGH, 22,
                       "tarfile.extractall used without any validation. Please check and "
                       "discard dangerous members.");
        return;
    }
    const struct dp_py_node *m = NULL;   /* Bandit reads the first "members" keyword */
    for (int i = 0; i < call->v.Call.keywords.n && !m; i++) {
        const struct dp_py_node *kw = call->v.Call.keywords.items[i];
        if (kw->v.keyword.arg && strcmp(kw->v.keyword.arg, "members") == 0) m = kw->v.keyword.value;
    }
    struct dp_sbuf text = {0};
    if (m->kind == DP_PY_Call) {
        const struct dp_py_node *f = m->v.Call.func;
        if (f->kind != DP_PY_Name) return;   /* arg.func.id raises AttributeError in Bandit */
        dp_sbuf_printf(&text, "Usage of tarfile.extractall(members=function(tarfile)). Make sure "
                       "your function properly discards dangerous members {'Function': '%s'}).",
                       f->v.Name.id);
        dp_plug_report(ctx, &dp_rule_B202, 0, DP_SCAN_LOW, DP_SCAN_LOW, 22, text.p);
    } else {
        dp_sbuf_puts(&text, "Found tarfile.extractall(members=?) but couldn't identify the type of "
                     "members. Check if the members were properly validated {'Other': ");
        if (m->kind == DP_PY_Name) dp_sbuf_printf(&text, "'%s'", m->v.Name.id);
        else dp_sbuf_printf(&text, "<ast.%s object>", dp_py_kind_name(m->kind));
        dp_sbuf_puts(&text, "}).");
        dp_plug_report(ctx, &dp_rule_B202, 0, DP_SCAN_MEDIUM, DP_SCAN_MEDIUM, 22, text.p);
    }
    dp_sbuf_free(&text);
}
