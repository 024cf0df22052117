/* B615 huggingface_unsafe_download (Bandit 1.9.4, plugins/huggingface_unsafe_download.py).
 * What it does: in a file importing anything containing transformers, datasets or
 * huggingface_hub, flags downloads from the Hugging Face Hub not pinned to a commit:
 * *.from_pretrained (name must contain a "transformers" part), load_dataset ("datasets"),
 * hf_hub_download / snapshot_download / repository_id ("huggingface_hub"), unless revision=
 * or commit_id= is a non-literal expression or a literal of at least 7 hex digits (quotes
 * stripped), or the first argument is a literal local path ("./", "../", "/").
 * MEDIUM/HIGH, CWE-494, text "Unsafe Hugging Face Hub download without revision pinning in
 * <func>()".
 * Why it is bad: a branch or tag can be moved to point at malicious weights or code.
 * Example:
 *     AutoModel.from_pretrained("org/model")                     # B615
 *     AutoModel.from_pretrained("org/model", revision="main")    # B615
 *     AutoModel.from_pretrained("org/model", revision="5d0f2e8a7f1b")   # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B615 = {
    "B615", "huggingface_unsafe_download", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static bool pinned(struct dp_plug_lit rev)
{
    const char *s = rev.s;
    size_t n = rev.n;
    if (rev.kind != DP_PLUG_LIT_STR) return false;
    while (n && (s[0] == '"' || s[0] == '\'')) { s++; n--; }   /* str.strip("\"'") */
    while (n && (s[n - 1] == '"' || s[n - 1] == '\'')) n--;
    if (n < 7) return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]) || s[i] == '\0') return false;
    return true;
}

static void check(struct dp_scan_ctx *ctx)
{
    static const struct { const char *func, *module; } unsafe[] = {
        {"from_pretrained", "transformers"}, {"load_dataset", "datasets"},
        {"hf_hub_download", "huggingface_hub"}, {"snapshot_download", "huggingface_hub"},
        {"repository_id", "huggingface_hub"}};
    const struct dp_py_node *call = ctx->node;
    const char *qual = dp_plug_qual(ctx), *func = dp_plug_qual_last(qual);
    size_t i;
    if (!dp_scan_is_module_imported_like(ctx, "transformers") &&
        !dp_scan_is_module_imported_like(ctx, "datasets") &&
        !dp_scan_is_module_imported_like(ctx, "huggingface_hub"))
        return;
    for (i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
        if (strcmp(func, unsafe[i].func) == 0) break;
    if (i == sizeof unsafe / sizeof unsafe[0] || !dp_plug_qual_has_part(qual, unsafe[i].module)) return;
    for (int k = 0; k < call->v.Call.keywords.n; k++) {
        const struct dp_py_node *kw = call->v.Call.keywords.items[k];
        const char *arg = kw->v.keyword.arg;
        if (arg && (strcmp(arg, "revision") == 0 || strcmp(arg, "commit_id") == 0) &&
            kw->v.keyword.value->kind != DP_PY_Constant)
            return;   /* a variable: cannot tell, Bandit stays silent */
    }
    struct dp_plug_lit rev = dp_plug_kw_value(call, "revision");
    if (!dp_plug_lit_truthy(rev)) rev = dp_plug_kw_value(call, "commit_id");
    if (pinned(rev)) return;
    struct dp_plug_lit first = dp_plug_arg_at(call, 0);
    if (first.kind == DP_PLUG_LIT_STR &&
        ((first.n >= 2 && memcmp(first.s, "./", 2) == 0) || (first.n >= 1 && first.s[0] == '/') ||
         (first.n >= 3 && memcmp(first.s, "../", 3) == 0)))
        return;
    struct dp_sbuf text = {0};
    dp_sbuf_printf(&text, "Unsafe Hugging Face Hub download without revision pinning in %s()", func);
    dp_plug_report(ctx, &dp_rule_B615, dp_plug_kw_lineno(call, func), DP_SCAN_MEDIUM, DP_SCAN_HIGH,
                   494, text.p);
    dp_sbuf_free(&text);
}
