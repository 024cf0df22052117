/* B702 use_of_mako_templates (Bandit 1.9.4, plugins/mako_templates.py).
 * What it does: flags a call whose qualified name has a "mako" part and ends in Template
 * (MEDIUM/HIGH, CWE-80).
 * Why it is bad: Mako does not escape expressions by default, so templates are open to XSS
 * unless every expression is filtered.
 * Example:
 *     mako.template.Template("<p>${name}</p>")    # B702 */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B702 = {
    "B702", "use_of_mako_templates", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx);
    if (dp_plug_qual_has_part(qual, "mako") && strcmp(dp_plug_qual_last(qual), "Template") == 0)
        dp_plug_report(ctx, &dp_rule_B702, 0, DP_SCAN_MEDIUM, DP_SCAN_HIGH, 80,
                       "Mako templates allow HTML/JS rendering by default and are inherently open "
                       "to XSS attacks. Ensure variables in all templates are properly sanitized "
                       "via the 'n', 'h' or 'x' flags (depending on context). For example, to HTML "
                       "escape the variable 'data' do ${ data |h }.");
}
