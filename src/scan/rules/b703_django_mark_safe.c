/* B703 django_mark_safe (Bandit 1.9.4, plugins/django_xss.py).
 * What it does: in a file importing anything containing "django.utils.safestring", flags
 * mark_safe / SafeText / SafeUnicode / SafeString / SafeBytes calls whose argument is not a
 * string literal unless Bandit's small data-flow check proves it built from literals
 * (MEDIUM/HIGH, CWE-80). The check follows a Name through earlier assignments in the
 * enclosing function (or module) body, including nested if/for/while/try/with blocks, and
 * accepts "...".format(...) or "..." % (...) whose arguments are themselves proven; a
 * parameter of the enclosing function is never proven.
 * Why it is bad: mark_safe turns off Django's autoescaping for that value: XSS.
 * Example:
 *     mark_safe(request.GET["q"])               # B703
 *     html = "<b>%s</b>" % "x"; mark_safe(html) # not flagged (proven literal)
 * Quirks kept: Bandit's test raises (so reports nothing) on `with` items without a plain name
 * target, on tuple targets holding non-names or assigned a non-tuple, on runaway recursion,
 * and on a call without arguments. */
#include <stdlib.h>
#include <string.h>
#include "base/arena.h"
#include "scan/rules/plugin_util.h"

static void check(struct dp_scan_ctx *ctx);

const struct dp_scan_rule dp_rule_B703 = {
    "B703", "django_mark_safe", {DP_PY_Call, -1, -1, -1}, check, true, NULL};

struct vec { const struct dp_py_node **items; int n, cap; };

static void vec_push(struct vec *v, const struct dp_py_node *n)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = dp_xrealloc(v->items, (size_t)v->cap * sizeof *v->items);
    }
    v->items[v->n++] = n;
}

/* What DeepAssignation.is_assigned returns: False, one node, or a list of nodes. */
struct assigned { int kind; const struct dp_py_node *node; struct vec list; };   /* kind: 0, 1, 2 */

struct state { int depth; bool err; };   /* err: Bandit's test raised */

static const char *name_of(const struct dp_py_node *n) { return n->kind == DP_PY_Name ? n->v.Name.id : NULL; }

static void is_assigned(struct state *st, const char *var, const struct dp_py_node *node, struct assigned *out);

/* is_assigned_in: the truthy results of items, lists flattened, appended to out->list. */
static void assigned_in(struct state *st, const char *var, const struct dp_py_list *items, struct assigned *out)
{
    out->kind = 2;
    for (int i = 0; i < items->n && !st->err; i++) {
        struct assigned a = {0};
        is_assigned(st, var, items->items[i], &a);
        if (a.kind == 1) vec_push(&out->list, a.node);
        for (int k = 0; k < a.list.n; k++) vec_push(&out->list, a.list.items[k]);
        free(a.list.items);
    }
}

static void assign_target(struct state *st, const char *var, const struct dp_py_node *node, struct assigned *out)
{
    const struct dp_py_node *t = node->v.Assign.targets.items[0], *value = node->v.Assign.value;
    if (t->kind == DP_PY_Name) {
        if (strcmp(t->v.Name.id, var) == 0) { out->kind = 1; out->node = value; }
        return;
    }
    if (t->kind != DP_PY_Tuple) return;
    for (int pos = 0; pos < t->v.Tuple.elts.n; pos++) {
        const char *id = name_of(t->v.Tuple.elts.items[pos]);
        if (!id) { st->err = true; return; }          /* name.id: AttributeError */
        if (strcmp(id, var) != 0) continue;
        const struct dp_py_list *vals = value->kind == DP_PY_Tuple ? &value->v.Tuple.elts
                                      : value->kind == DP_PY_List ? &value->v.List.elts : NULL;
        if (!vals || pos >= vals->n) { st->err = true; return; }   /* .elts[pos] raises */
        out->kind = 1;
        out->node = vals->items[pos];
        return;
    }
}

static void is_assigned(struct state *st, const char *var, const struct dp_py_node *node, struct assigned *out)
{
    switch (node->kind) {
    case DP_PY_FunctionDef: assigned_in(st, var, &node->v.FunctionDef.body, out); return;
    case DP_PY_With:
        for (int i = 0; i < node->v.With.items.n && !st->err; i++) {
            const struct dp_py_node *ov = node->v.With.items.items[i]->v.withitem.optional_vars;
            if (!ov || !name_of(ov)) { st->err = true; return; }   /* optional_vars.id raises */
            free(out->list.items);
            memset(out, 0, sizeof *out);
            if (strcmp(ov->v.Name.id, var) == 0) { out->kind = 1; out->node = node; }
            else assigned_in(st, var, &node->v.With.body, out);
        }
        return;
    case DP_PY_Try:
        assigned_in(st, var, &node->v.Try.body, out);
        assigned_in(st, var, &node->v.Try.handlers, out);
        assigned_in(st, var, &node->v.Try.orelse, out);
        assigned_in(st, var, &node->v.Try.finalbody, out);
        return;
    case DP_PY_ExceptHandler: assigned_in(st, var, &node->v.ExceptHandler.body, out); return;
    case DP_PY_If:
        assigned_in(st, var, &node->v.If.body, out);
        assigned_in(st, var, &node->v.If.orelse, out);
        return;
    case DP_PY_For:
        assigned_in(st, var, &node->v.For.body, out);
        assigned_in(st, var, &node->v.For.orelse, out);
        return;
    case DP_PY_While:
        assigned_in(st, var, &node->v.While.body, out);
        assigned_in(st, var, &node->v.While.orelse, out);
        return;
    case DP_PY_AugAssign:
        if (node->v.AugAssign.target->kind == DP_PY_Name && strcmp(node->v.AugAssign.target->v.Name.id, var) == 0) {
            out->kind = 1;
            out->node = node->v.AugAssign.value;
        }
        return;
    case DP_PY_Assign:
        if (node->v.Assign.targets.n) assign_target(st, var, node, out);
        return;
    default: return;   /* Expr (its value is never a statement) and the rest: False */
    }
}

static bool evaluate_call(struct state *st, const struct dp_py_node *call, const struct dp_py_node *parent);

static const struct dp_py_list *body_of(const struct dp_py_node *p)
{
    return p->kind == DP_PY_FunctionDef ? &p->v.FunctionDef.body : &p->v.Module.body;
}

static bool is_param(const struct dp_py_node *parent, const char *id)
{
    if (parent->kind != DP_PY_FunctionDef) return false;
    const struct dp_py_list *args = &parent->v.FunctionDef.args->v.arguments.args;
    for (int i = 0; i < args->n; i++)
        if (strcmp(args->items[i]->v.arg.arg, id) == 0) return true;
    return false;
}

static bool evaluate_var(struct state *st, const struct dp_py_node *var, const struct dp_py_node *parent, int until)
{
    bool secure = false;
    if (var->kind != DP_PY_Name || st->err) return false;
    if (is_param(parent, var->v.Name.id)) return false;
    if (++st->depth > 200) { st->err = true; return false; }   /* RecursionError in Bandit */
    const struct dp_py_list *body = body_of(parent);
    for (int i = 0; i < body->n && !st->err; i++) {
        const struct dp_py_node *node = body->items[i];
        if (node->lineno >= until) break;
        struct assigned to = {0};
        is_assigned(st, var->v.Name.id, node, &to);
        if (st->err || (to.kind == 2 && to.list.n == 0) || to.kind == 0) { free(to.list.items); continue; }
        bool stop = false;
        if (to.kind == 1) {
            const struct dp_py_node *t = to.node;
            if (dp_plug_is_str(t)) secure = true;
            else if (t->kind == DP_PY_Name) secure = evaluate_var(st, t, parent, t->lineno);
            else if (t->kind == DP_PY_Call) secure = evaluate_call(st, t, parent);
            else { secure = false; stop = true; }
        } else {
            int ok = 0;
            for (int k = 0; k < to.list.n && !st->err; k++) {
                const struct dp_py_node *t = to.list.items[k];
                if (dp_plug_is_str(t)) ok++;
                else if (t->kind == DP_PY_Name && evaluate_var(st, t, parent, node->lineno)) ok++;
                else break;
            }
            secure = ok == to.list.n;
            stop = !secure;
        }
        free(to.list.items);
        if (stop) break;
    }
    st->depth--;
    return secure && !st->err;
}

/* evaluate_call on "fmt".format(args...) without keywords; args grows with starred literals. */
static bool evaluate_format(struct state *st, const struct dp_py_list *args0, int lineno,
                            const struct dp_py_node *parent)
{
    struct vec args = {0};
    int ok = 0;
    if (++st->depth > 200) { st->err = true; return false; }
    for (int i = 0; i < args0->n; i++) vec_push(&args, args0->items[i]);
    for (int i = 0; i < args.n && !st->err; i++) {
        const struct dp_py_node *a = args.items[i];
        if (dp_plug_is_str(a)) ok++;
        else if (a->kind == DP_PY_Name) { if (evaluate_var(st, a, parent, lineno)) ok++; else break; }
        else if (a->kind == DP_PY_Call) { if (evaluate_call(st, a, parent)) ok++; else break; }
        else if (a->kind == DP_PY_Starred && (a->v.Starred.value->kind == DP_PY_List ||
                                              a->v.Starred.value->kind == DP_PY_Tuple)) {
            const struct dp_py_list *e = a->v.Starred.value->kind == DP_PY_List
                                         ? &a->v.Starred.value->v.List.elts : &a->v.Starred.value->v.Tuple.elts;
            for (int k = 0; k < e->n; k++) vec_push(&args, e->items[k]);
            ok++;
        } else break;
    }
    bool secure = ok == args.n;
    free(args.items);
    st->depth--;
    return secure && !st->err;
}

static bool evaluate_call(struct state *st, const struct dp_py_node *call, const struct dp_py_node *parent)
{
    const struct dp_py_node *f = call->v.Call.func;
    if (f->kind != DP_PY_Attribute || !dp_plug_is_str(f->v.Attribute.value) ||
        strcmp(f->v.Attribute.attr, "format") != 0 || call->v.Call.keywords.n)
        return false;
    return evaluate_format(st, &call->v.Call.args, call->lineno, parent);
}

static void check(struct dp_scan_ctx *ctx)
{
    static const char *const affected[] = {"mark_safe", "SafeText", "SafeUnicode", "SafeString",
                                           "SafeBytes", NULL};
    const struct dp_py_node *call = ctx->node, *parent = NULL, *x;
    struct state st = {0, false};
    bool secure = false;
    if (!dp_scan_is_module_imported_like(ctx, "django.utils.safestring") ||
        !dp_plug_in(dp_plug_name(ctx), affected) || !call->v.Call.args.n)
        return;   /* no argument: node.args[0] raises IndexError */
    x = call->v.Call.args.items[0];
    if (dp_plug_is_str(x)) return;
    for (int up = 1; (parent = dp_plug_up(ctx, up)) != NULL; up++)
        if (parent->kind == DP_PY_Module || parent->kind == DP_PY_FunctionDef) break;
    if (!parent) return;
    if (x->kind == DP_PY_Name) {
        if (!is_param(parent, x->v.Name.id)) secure = evaluate_var(&st, x, parent, call->lineno);
    } else if (x->kind == DP_PY_Call) {
        secure = evaluate_call(&st, x, parent);
    } else if (x->kind == DP_PY_BinOp && x->v.BinOp.op == DP_PY_MOD && dp_plug_is_str(x->v.BinOp.left)) {
        const struct dp_py_node *r = x->v.BinOp.right;   /* transform2call: "fmt" % r as "fmt".format(...) */
        struct dp_py_list one = {(struct dp_py_node **)&r, 1};
        secure = evaluate_format(&st, r->kind == DP_PY_Tuple ? &r->v.Tuple.elts : &one, x->lineno, parent);
    }
    if (st.err) return;
    if (!secure)
        dp_plug_report(ctx, &dp_rule_B703, 0, DP_SCAN_MEDIUM, DP_SCAN_HIGH, 80,
                       "Potential XSS on mark_safe function.");
}
