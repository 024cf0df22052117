/* B614 pytorch_load (Bandit 1.9.4, plugins/pytorch_load.py).
 * What it does: in a file that does `import torch` (exactly), flags torch.load(...) and
 * torch.serialization.load(...) unless weights_only=True (MEDIUM/HIGH, CWE-502).
 * Why it is bad: torch.load unpickles, and a pickle runs arbitrary code when loaded.
 * Example:
 *     torch.load("model.pt")                      # B614
 *     torch.load("model.pt", weights_only=True)   # fine
 *     torch.jit.load("model.pt")                  # not flagged (TorchScript, not pickle) */
#include <string.h>
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B614 = {
    "B614", "pytorch_load", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

static void check(struct dp_scan_ctx *ctx)
{
    static const char *const true_value[] = {"True", NULL};
    const char *qual = dp_plug_qual(ctx);
    if (!dp_scan_is_module_imported_exact(ctx, "torch")) return;
    if (strcmp(qual, "torch.load") != 0 && strcmp(qual, "torch.serialization.load") != 0) return;
    if (dp_plug_kw_check(ctx->node, "weights_only", true_value) > 0) return;
    dp_plug_report(ctx, &dp_rule_B614, dp_plug_kw_lineno(ctx->node, "load"), DP_SCAN_MEDIUM,
                   DP_SCAN_HIGH, 502, "Use of unsafe PyTorch load");
}
