/* B105 hardcoded_password_string (Bandit 1.9.4, plugins/general_hardcoded_password.py).
 * What it does: flags a string literal (LOW/MEDIUM, CWE-259) that is
 *   - assigned to a name or attribute that looks like a password  (password = "x", o.token = "x"),
 *   - a password-like dict key with a constant value               ({"secret": 1} -> '1'),
 *   - a password-like subscript assigned a string                   (d["pwd"] = "x", reported at the key),
 *   - compared with a password-like name or attribute on the left   (if token == "x").
 * "Password-like": pas+wo?r?d, pass, passphrase, pwd, token, secret, secrete, alone or between
 * underscores, any case. The text quotes the value: "Possible hardcoded password: 'x'".
 * Why it is bad: credentials in source end up in every copy of the code and its history.
 * Example:
 *     DB_PASSWORD = "hunter2"     # B105
 *     password: str = "hunter2"   # not flagged: Bandit 1.9.4 skips annotated assignments
 *     if "x" == password: ...     # not flagged: only a name on the left is checked */
#include <string.h>
#include "py/repr.h"
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B105 = {
    "B105", "hardcoded_password_string", {DP_SCAN_STR, -1, -1, -1}, check, true, NULL};

static bool pw(const char *s) { return dp_plug_password_name(s, strlen(s)); }

static bool pw_target(const struct dp_py_node *t)
{
    return (t->kind == DP_PY_Name && pw(t->v.Name.id)) ||
           (t->kind == DP_PY_Attribute && pw(t->v.Attribute.attr));
}

static void report(struct dp_scan_ctx *ctx, const struct dp_py_node *value)
{
    const struct dp_py_const *c = &value->v.Constant.value;
    struct dp_sbuf text = {0};
    dp_sbuf_puts(&text, "Possible hardcoded password: '");
    if (c->kind == DP_PY_CONST_STR) dp_sbuf_put(&text, c->s, c->n);
    else dp_py_repr_const(&text, c);   /* str() of a non-str constant is its repr */
    dp_sbuf_puts(&text, "'");
    dp_plug_report(ctx, &dp_rule_B105, 0, DP_SCAN_LOW, DP_SCAN_MEDIUM, 259, text.p);
    dp_sbuf_free(&text);
}

static void check(struct dp_scan_ctx *ctx)
{
    if (!dp_plug_str_visit(ctx)) return;
    const struct dp_py_node *node = ctx->node, *p = dp_plug_up(ctx, 1);
    const struct dp_py_const *s = &node->v.Constant.value;
    if (p->kind == DP_PY_Assign) {
        for (int i = 0; i < p->v.Assign.targets.n; i++)
            if (pw_target(p->v.Assign.targets.items[i])) { report(ctx, node); return; }
    } else if (p->kind == DP_PY_Dict) {
        const struct dp_py_list *keys = &p->v.Dict.keys;
        for (int i = 0; i < keys->n; i++) {
            if (keys->items[i] != node) continue;
            const struct dp_py_node *v = p->v.Dict.values.items[i];
            if (dp_plug_password_name(s->s, s->n) && v->kind == DP_PY_Constant) report(ctx, v);
            return;
        }
    } else if (p->kind == DP_PY_Subscript) {
        const struct dp_py_node *a = dp_plug_up(ctx, 2);
        if (dp_plug_password_name(s->s, s->n) && a && a->kind == DP_PY_Assign &&
            dp_plug_is_str(a->v.Assign.value))
            report(ctx, a->v.Assign.value);
    } else if (p->kind == DP_PY_Compare) {
        const struct dp_py_node *first = p->v.Compare.comparators.items[0];
        if (pw_target(p->v.Compare.left) && dp_plug_is_str(first)) report(ctx, first);
    }
}
