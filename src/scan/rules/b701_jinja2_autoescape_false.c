/* B701 jinja2_autoescape_false (Bandit 1.9.4, plugins/jinja2_templates.py).
 * What it does: for a call whose qualified name has a "jinja2" part and ends in Environment,
 * looks at the first `autoescape` keyword found walking the call breadth-first (its own
 * keywords before those of nested calls), CWE-94:
 *   - autoescape=False: HIGH/HIGH "Using jinja2 templates with autoescape=False is dangerous...";
 *   - autoescape=True or autoescape=select_autoescape(...) (a bare name): fine;
 *   - anything else (a variable, jinja2.select_autoescape(...)): HIGH/MEDIUM;
 *   - no autoescape keyword at all: HIGH/HIGH "By default, jinja2 sets autoescape to False...".
 * Why it is bad: templates render untrusted data as HTML without escaping: XSS.
 * Example:
 *     jinja2.Environment(loader=loader)                     # B701 (default is off)
 *     jinja2.Environment(autoescape=select_autoescape())    # fine */
#include <stdlib.h>
#include <string.h>
#include "base/arena.h"
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B701 = {
    "B701", "jinja2_autoescape_false", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

struct queue { struct dp_py_node **items; int n, cap; };

static void push(struct dp_py_node *child, void *ud)
{
    struct queue *q = ud;
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 64;
        q->items = dp_xrealloc(q->items, (size_t)q->cap * sizeof *q->items);
    }
    q->items[q->n++] = child;
}

/* ast.walk order: the first keyword named autoescape in the subtree of call, or NULL. */
static const struct dp_py_node *first_autoescape(const struct dp_py_node *call)
{
    struct queue q = {0};
    const struct dp_py_node *found = NULL;
    push((struct dp_py_node *)call, &q);
    for (int i = 0; i < q.n && !found; i++) {
        struct dp_py_node *n = q.items[i];
        if (n->kind == DP_PY_keyword && n->v.keyword.arg && strcmp(n->v.keyword.arg, "autoescape") == 0)
            found = n;
        else dp_py_node_children(n, push, &q);
    }
    free(q.items);
    return found;
}

static bool const_is(const struct dp_py_node *v, enum dp_py_const_kind k)
{
    return v->kind == DP_PY_Constant && v->v.Constant.value.kind == k;
}

static void check(struct dp_scan_ctx *ctx)
{
    const char *qual = dp_plug_qual(ctx);
    if (!dp_plug_qual_has_part(qual, "jinja2") || strcmp(dp_plug_qual_last(qual), "Environment") != 0)
        return;
    const struct dp_py_node *kw = first_autoescape(ctx->node);
    if (!kw) {
        dp_plug_report(ctx, &dp_rule_B701, 0, DP_SCAN_HIGH, DP_SCAN_HIGH, 94,
                       "By default, jinja2 sets autoescape to False. Consider using "
                       "autoescape=True or use the select_autoescape function to mitigate XSS "
                       "vulnerabilities.");
        return;
    }
    const struct dp_py_node *v = kw->v.keyword.value;
    if (const_is(v, DP_PY_CONST_FALSE)) {
        dp_plug_report(ctx, &dp_rule_B701, 0, DP_SCAN_HIGH, DP_SCAN_HIGH, 94,
                       "Using jinja2 templates with autoescape=False is dangerous and can lead to "
                       "XSS. Use autoescape=True or use the select_autoescape function to "
                       "mitigate XSS vulnerabilities.");
        return;
    }
    if (const_is(v, DP_PY_CONST_TRUE)) return;
    if (v->kind == DP_PY_Call && v->v.Call.func->kind == DP_PY_Name &&
        strcmp(v->v.Call.func->v.Name.id, "select_autoescape") == 0)
        return;
    dp_plug_report(ctx, &dp_rule_B701, 0, DP_SCAN_HIGH, DP_SCAN_MEDIUM, 94,
                   "Using jinja2 templates with autoescape=False is dangerous and can lead to "
                   "XSS. Ensure autoescape=True or use the select_autoescape function to "
                   "mitigate XSS vulnerabilities.");
}
