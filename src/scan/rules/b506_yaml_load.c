/* B506 yaml_load (Bandit 1.9.4, plugins/yaml_load.py).
 * What it does: in a file that does `import yaml`, flags a call whose qualified name has a
 * "yaml" part and ends in "load" unless the loader is SafeLoader or CSafeLoader (Loader=
 * keyword or second positional argument, by attribute or bare name); MEDIUM/HIGH, CWE-20.
 * Why it is bad: yaml.load with the full loader constructs arbitrary Python objects, which
 * runs code chosen by whoever wrote the document.
 * Example:
 *     yaml.load(data)                          # B506
 *     yaml.load(data, Loader=yaml.SafeLoader)  # fine
 *     yaml.safe_load(data)                     # fine */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B506 = {
    "B506", "yaml_load", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static const char *const safe_loaders[] = {"SafeLoader", "CSafeLoader", NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx);
    if (!dp_scan_is_module_imported_exact(ctx, "yaml")) return;
    if (!dp_plug_qual_has_part(qual, "yaml") || strcmp(dp_plug_qual_last(qual), "load") != 0) return;
    if (dp_plug_kw_check(ctx->node, "Loader", safe_loaders) > 0) return;
    if (dp_plug_lit_in(dp_plug_arg_at(ctx->node, 1), safe_loaders)) return;
    dp_plug_report(ctx, &dp_rule_B506, 0, DP_SCAN_MEDIUM, DP_SCAN_HIGH, 20,
                   "Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider "
                   "yaml.safe_load().");
}
