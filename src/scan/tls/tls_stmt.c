/* Statements for the TLS analysis: assignments bind values (with the statement as evidence),
 * branches run on copies of the bindings and join, loops run once and join with "not run",
 * with-blocks bind what __enter__ returns, classes collect their methods and the attributes
 * their methods store on self. Function bodies run after the module body (their globals are
 * then final), __init__ first, with parameters bound to defaults and call-site arguments. */
#include "scan/tls/tls_int.h"
#include <string.h>

static void exec_stmt(struct tls_state *st, const struct dp_py_node *s);

void tls_exec_body(struct tls_state *st, const struct dp_py_list *body)
{
    for (int i = 0; i < body->n; i++) exec_stmt(st, body->items[i]);
}

/* ---- assignment ------------------------------------------------------------------------------ */

static bool has_starred(const struct dp_py_list *l)
{
    for (int i = 0; i < l->n; i++)
        if (l->items[i]->kind == DP_PY_Starred) return true;
    return false;
}


static void assign(struct tls_state *st, const struct dp_py_node *t, const struct tls_val *v,
                   const struct dp_py_node *vnode, const struct dp_py_node *at)
{
    switch (t->kind) {
    case DP_PY_Name: tls_bind(st, t->v.Name.id, tls_with_ev(st, v, at)); break;
    case DP_PY_Attribute: {
        const struct dp_py_node *rn = t->v.Attribute.value;
        tls_store_attr(st, tls_eval(st, rn), rn, t->v.Attribute.attr, v, vnode, at);
        break;
    }
    case DP_PY_Subscript: tls_store_subscript(st, t, v, vnode, at); break;
    case DP_PY_Starred: assign(st, t->v.Starred.value, tls_unknown(), NULL, at); break;
    case DP_PY_Tuple: case DP_PY_List: {
        const struct dp_py_list *l = t->kind == DP_PY_Tuple ? &t->v.Tuple.elts : &t->v.List.elts;
        bool known = v->kind == TV_CONST && v->ck == TC_SEQ && v->alts && v->nalts == l->n && !has_starred(l);
        for (int i = 0; i < l->n; i++) assign(st, l->items[i], known ? v->alts[i] : tls_unknown(), NULL, at);
        break;
    }
    default: tls_eval(st, t); break;
    }
}

static const struct dp_py_list *seq_elts(const struct dp_py_node *n)
{
    if (n->kind == DP_PY_Tuple) return &n->v.Tuple.elts;
    if (n->kind == DP_PY_List) return &n->v.List.elts;
    return NULL;
}

static void exec_assign(struct tls_state *st, const struct dp_py_node *s)
{
    const struct dp_py_list *ts = &s->v.Assign.targets;
    const struct dp_py_node *val = s->v.Assign.value;
    const struct dp_py_list *tl = ts->n == 1 ? seq_elts(ts->items[0]) : NULL, *vl = seq_elts(val);
    if (tl && vl && tl->n == vl->n && !has_starred(tl) && !has_starred(vl)) {
        /* a, b = x, y: pairwise */
        const struct tls_val **vs = dp_arena_alloc(&st->a, (size_t)(vl->n + 1) * sizeof *vs);
        for (int i = 0; i < vl->n; i++) vs[i] = tls_eval(st, vl->items[i]);
        for (int i = 0; i < tl->n; i++) assign(st, tl->items[i], vs[i], vl->items[i], s);
        return;
    }
    const struct tls_val *v = tls_eval(st, val);
    for (int i = 0; i < ts->n; i++) assign(st, ts->items[i], v, val, s);
}

static void exec_augassign(struct tls_state *st, const struct dp_py_node *s)
{
    const struct dp_py_node *t = s->v.AugAssign.target;
    const struct tls_val *rhs = tls_eval(st, s->v.AugAssign.value);
    if (t->kind == DP_PY_Name) {
        const struct tls_val *cur = tls_lookup(st, t->v.Name.id);
        const struct tls_val *nv = tls_unknown();
        if (s->v.AugAssign.op == DP_PY_BITOR && cur->kind == TV_DICT && rhs->kind == TV_DICT) {
            nv = cur;
            for (int i = 0; i < rhs->dict->n; i++) nv = tls_dict_set(st, nv, rhs->dict->keys[i], rhs->dict->vals[i]);
        }
        tls_bind(st, t->v.Name.id, tls_with_ev(st, nv, s));
        return;
    }
    const struct tls_val *recv = tls_eval(st, t);
    if (s->v.AugAssign.op == DP_PY_BITOR && recv->kind == TV_QNAME && !strcmp(recv->s, "os.environ"))
        tls_check_env_dict(st, rhs, s, "os.environ");
}

/* ---- branches -------------------------------------------------------------------------------- */

/* Runs body on a copy of the current bindings and returns that copy. */
static struct tls_env *run_copy(struct tls_state *st, const struct dp_py_list *body)
{
    struct tls_scope *sc = st->cur;
    struct tls_env *save = sc->env;
    sc->env = tls_env_copy(st, save);
    tls_exec_body(st, body);
    struct tls_env *out = sc->env;
    sc->env = save;
    return out;
}

static void exec_if(struct tls_state *st, const struct dp_py_node *s)
{
    tls_eval(st, s->v.If.test);
    struct tls_env *b = run_copy(st, &s->v.If.body);
    tls_exec_body(st, &s->v.If.orelse);
    tls_env_join(st, st->cur->env, b);
}

static void exec_loop(struct tls_state *st, const struct dp_py_node *target,
                      const struct dp_py_list *body, const struct dp_py_list *orelse)
{
    struct tls_scope *sc = st->cur;
    struct tls_env *save = sc->env;
    sc->env = tls_env_copy(st, save);
    if (target) assign(st, target, tls_unknown(), NULL, st->stmt);
    tls_exec_body(st, body);
    struct tls_env *out = sc->env;
    sc->env = save;
    tls_env_join(st, save, out);
    tls_exec_body(st, orelse);
}

static void exec_try(struct tls_state *st, const struct dp_py_list *body, const struct dp_py_list *handlers,
                     const struct dp_py_list *orelse, const struct dp_py_list *finalbody)
{
    tls_exec_body(st, body);
    for (int i = 0; i < handlers->n; i++) {
        const struct dp_py_node *h = handlers->items[i];
        st->stmt = h;
        if (h->v.ExceptHandler.type) tls_eval(st, h->v.ExceptHandler.type);
        struct tls_scope *sc = st->cur;
        struct tls_env *save = sc->env;
        sc->env = tls_env_copy(st, save);
        if (h->v.ExceptHandler.name) tls_bind(st, h->v.ExceptHandler.name, tls_unknown());
        tls_exec_body(st, &h->v.ExceptHandler.body);
        struct tls_env *out = sc->env;
        sc->env = save;
        tls_env_join(st, save, out);
    }
    tls_exec_body(st, orelse);
    tls_exec_body(st, finalbody);
}

static void bind_pattern(struct tls_state *st, struct dp_py_node *p);
static void bind_pattern_child(struct dp_py_node *c, void *ud) { bind_pattern(ud, c); }

static void bind_pattern(struct tls_state *st, struct dp_py_node *p)
{
    const char *name = NULL;
    switch (p->kind) {
    case DP_PY_MatchAs: name = p->v.MatchAs.name; break;
    case DP_PY_MatchStar: name = p->v.MatchStar.name; break;
    case DP_PY_MatchMapping: name = p->v.MatchMapping.rest; break;
    case DP_PY_MatchValue: tls_eval(st, p->v.MatchValue.value); return;
    default: break;
    }
    if (name) tls_bind(st, name, tls_unknown());
    if (dp_py_kind_category(p->kind) == DP_PY_CAT_PATTERN)
        dp_py_node_children(p, bind_pattern_child, st);
}

static void exec_match(struct tls_state *st, const struct dp_py_node *s)
{
    tls_eval(st, s->v.Match.subject);
    struct tls_scope *sc = st->cur;
    struct tls_env *save = sc->env, *acc = NULL;
    for (int i = 0; i < s->v.Match.cases.n; i++) {
        const struct dp_py_node *c = s->v.Match.cases.items[i];
        sc->env = tls_env_copy(st, save);
        bind_pattern(st, c->v.match_case.pattern);
        if (c->v.match_case.guard) tls_eval(st, c->v.match_case.guard);
        tls_exec_body(st, &c->v.match_case.body);
        if (acc) tls_env_join(st, acc, sc->env);
        else acc = sc->env;
    }
    sc->env = save;
    if (acc) tls_env_join(st, save, acc);
}

static void exec_with(struct tls_state *st, const struct dp_py_node *s, const struct dp_py_list *items,
                      const struct dp_py_list *body)
{
    for (int i = 0; i < items->n; i++) {
        const struct dp_py_node *it = items->items[i];
        const struct tls_val *v = tls_eval(st, it->v.withitem.context_expr);
        /* the clients we follow return themselves from __enter__ */
        if (v->kind != TV_OBJ) v = tls_unknown();
        if (it->v.withitem.optional_vars) assign(st, it->v.withitem.optional_vars, v, NULL, s);
    }
    tls_exec_body(st, body);
}

/* ---- functions and classes ------------------------------------------------------------------- */

static bool decorated(const struct dp_py_list *decos, const char *name)
{
    for (int i = 0; i < decos->n; i++) {
        const struct dp_py_node *d = decos->items[i];
        if (d->kind == DP_PY_Name && !strcmp(d->v.Name.id, name)) return true;
    }
    return false;
}

/* The client type a parameter annotation names (`session: requests.Session`, Optional[...],
 * X | None), or NULL. */
static const char *annot_type(struct tls_state *st, const struct dp_py_node *an, int depth)
{
    if (!an || depth > 4) return NULL;
    switch (an->kind) {
    case DP_PY_Subscript: return annot_type(st, an->v.Subscript.slice, depth + 1);
    case DP_PY_Tuple:
        for (int i = 0; i < an->v.Tuple.elts.n; i++) {
            const char *t = annot_type(st, an->v.Tuple.elts.items[i], depth + 1);
            if (t) return t;
        }
        return NULL;
    case DP_PY_BinOp: {
        const char *t = annot_type(st, an->v.BinOp.left, depth + 1);
        return t ? t : annot_type(st, an->v.BinOp.right, depth + 1);
    }
    case DP_PY_Name: case DP_PY_Attribute: {
        const struct tls_val *v = tls_eval(st, an);
        return v->kind == TV_QNAME ? tls_ctor_type(v->s) : NULL;
    }
    default: return NULL;
    }
}

/* The parameters of a def: names, annotated client types, defaults (evaluated now, in the
 * enclosing scope, with the def line as their evidence). */
static void def_params(struct tls_state *st, struct tls_func *fn, const struct dp_py_node *s,
                       const struct dp_py_node *args)
{
    const struct dp_py_list *po = &args->v.arguments.posonlyargs, *pa = &args->v.arguments.args,
                            *ko = &args->v.arguments.kwonlyargs, *df = &args->v.arguments.defaults,
                            *kd = &args->v.arguments.kw_defaults;
    int npos = po->n + pa->n;
    fn->nparams = npos + ko->n;
    fn->pnames = dp_arena_alloc(&st->a, (size_t)(fn->nparams + 1) * sizeof *fn->pnames);
    fn->pvals = dp_arena_alloc(&st->a, (size_t)(fn->nparams + 1) * sizeof *fn->pvals);
    for (int i = 0; i < fn->nparams; i++) {
        const struct dp_py_node *a = i < po->n ? po->items[i] : i < npos ? pa->items[i - po->n]
                                                                         : ko->items[i - npos];
        fn->pnames[i] = a->v.arg.arg;
        const char *type = annot_type(st, a->v.arg.annotation, 0);
        if (type) {   /* an annotated client: the object a caller passes */
            struct tls_obj *o = tls_obj_at(st, a, type);
            o->inited = true;
            o->ev = tls_ev_push(st, NULL, s);
            fn->pvals[i] = tls_obj_val(st, o);
        }
    }
    for (int i = 0; i < df->n; i++) {
        const struct tls_val *d = tls_eval(st, df->items[i]);
        int k = npos - df->n + i;
        if (k >= 0) fn->pvals[k] = tls_join(st, fn->pvals[k], tls_with_ev(st, d, s));
    }
    for (int i = 0; i < kd->n; i++)
        if (kd->items[i])
            fn->pvals[npos + i] = tls_join(st, fn->pvals[npos + i], tls_with_ev(st, tls_eval(st, kd->items[i]), s));
    if (args->v.arguments.vararg) fn->vararg = args->v.arguments.vararg->v.arg.arg;
    if (args->v.arguments.kwarg) fn->kwarg = args->v.arguments.kwarg->v.arg.arg;
}

static void exec_def(struct tls_state *st, const struct dp_py_node *s)
{
    bool async = s->kind == DP_PY_AsyncFunctionDef;
    const char *name = async ? s->v.AsyncFunctionDef.name : s->v.FunctionDef.name;
    const struct dp_py_node *args = async ? s->v.AsyncFunctionDef.args : s->v.FunctionDef.args;
    const struct dp_py_list *decos = async ? &s->v.AsyncFunctionDef.decorator_list
                                           : &s->v.FunctionDef.decorator_list;
    for (int i = 0; i < decos->n; i++) tls_eval(st, decos->items[i]);
    struct tls_func *fn = dp_arena_alloc(&st->a, sizeof *fn);
    fn->def = s;
    struct tls_scope *p = st->cur;
    if (p->kind == TS_CLASS) fn->cls = p->cls;
    while (p->kind == TS_CLASS || p->kind == TS_COMP) p = p->parent;
    fn->parent = p;
    fn->is_static = decorated(decos, "staticmethod");
    fn->is_classmethod = decorated(decos, "classmethod");
    def_params(st, fn, s, args);
    struct tls_val *v = tls_val_new(st, TV_FUNC);
    v->fn = fn;
    tls_bind(st, name, v);
    if (!fn->cls) {
        tls_defer(st, fn);
        return;
    }
    struct tls_class *c = fn->cls;
    if (c->nmethods == c->capmethods) {
        c->capmethods = c->capmethods ? c->capmethods * 2 : 8;
        struct tls_func **m = dp_arena_alloc(&st->a, (size_t)c->capmethods * sizeof *m);
        if (c->nmethods) memcpy(m, c->methods, (size_t)c->nmethods * sizeof *m);
        c->methods = m;
    }
    c->methods[c->nmethods++] = fn;
}

static const char *known_base(const struct tls_val *b, struct tls_class **local)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(b, &xs, &one);
    for (int i = 0; i < n; i++) {
        if (xs[i]->kind == TV_QNAME && tls_ctor_type(xs[i]->s)) return tls_ctor_type(xs[i]->s);
        if (xs[i]->kind == TV_CLASS) {
            *local = xs[i]->cls;
            return xs[i]->cls->base_type;
        }
    }
    return NULL;
}

static bool is_init(const struct tls_func *f)
{
    const char *n = f->def->kind == DP_PY_FunctionDef ? f->def->v.FunctionDef.name
                                                      : f->def->v.AsyncFunctionDef.name;
    return !strcmp(n, "__init__") || !strcmp(n, "__new__") || !strcmp(n, "setUp") ||
           !strcmp(n, "__post_init__");
}

static void exec_class(struct tls_state *st, const struct dp_py_node *s)
{
    struct tls_class *c = dp_arena_alloc(&st->a, sizeof *c);
    c->name = s->v.ClassDef.name;
    for (int i = 0; i < s->v.ClassDef.decorator_list.n; i++) tls_eval(st, s->v.ClassDef.decorator_list.items[i]);
    for (int i = 0; i < s->v.ClassDef.bases.n; i++) {
        const struct tls_val *b = tls_eval(st, s->v.ClassDef.bases.items[i]);
        struct tls_class *local = NULL;
        const char *t = known_base(b, &local);
        if (t && !c->base_type) c->base_type = t;
        if (local && !c->base_cls) c->base_cls = local;
    }
    for (int i = 0; i < s->v.ClassDef.keywords.n; i++)
        tls_eval(st, s->v.ClassDef.keywords.items[i]->v.keyword.value);
    c->scope = tls_scope_new(st, TS_CLASS, st->cur);
    c->scope->cls = c;
    c->inst = tls_obj_at(st, s, c->base_type);
    c->inst->cls = c;
    c->inst->ev = c->base_type ? tls_ev_push(st, NULL, s) : NULL;   /* "class S(requests.Session)" */
    struct tls_scope *saved = st->cur;
    st->cur = c->scope;
    tls_exec_body(st, &s->v.ClassDef.body);
    st->cur = saved;
    struct tls_val *v = tls_val_new(st, TV_CLASS);
    v->cls = c;
    tls_bind(st, c->name, v);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < c->nmethods; i++)
            if (is_init(c->methods[i]) == (pass == 0)) tls_defer(st, c->methods[i]);
}

/* ---- the statement switch -------------------------------------------------------------------- */

static void eval_child(struct dp_py_node *c, void *ud) { tls_eval(ud, c); }

static void exec_stmt(struct tls_state *st, const struct dp_py_node *s)
{
    st->stmt = s;
    switch (s->kind) {
    case DP_PY_Expr: tls_eval(st, s->v.Expr.value); break;
    case DP_PY_Assign: exec_assign(st, s); break;
    case DP_PY_AnnAssign:
        if (s->v.AnnAssign.value)
            assign(st, s->v.AnnAssign.target, tls_eval(st, s->v.AnnAssign.value), s->v.AnnAssign.value, s);
        break;
    case DP_PY_AugAssign: exec_augassign(st, s); break;
    case DP_PY_Return: tls_eval(st, s->v.Return.value); break;
    case DP_PY_Delete:
        for (int i = 0; i < s->v.Delete.targets.n; i++) {
            const struct dp_py_node *t = s->v.Delete.targets.items[i];
            if (t->kind == DP_PY_Name) tls_bind(st, t->v.Name.id, tls_unknown());
            else tls_eval(st, t);
        }
        break;
    case DP_PY_If: exec_if(st, s); break;
    case DP_PY_For: case DP_PY_AsyncFor: {
        bool a = s->kind == DP_PY_AsyncFor;
        tls_eval(st, a ? s->v.AsyncFor.iter : s->v.For.iter);
        exec_loop(st, a ? s->v.AsyncFor.target : s->v.For.target, a ? &s->v.AsyncFor.body : &s->v.For.body,
                  a ? &s->v.AsyncFor.orelse : &s->v.For.orelse);
        break;
    }
    case DP_PY_While:
        tls_eval(st, s->v.While.test);
        exec_loop(st, NULL, &s->v.While.body, &s->v.While.orelse);
        break;
    case DP_PY_With: exec_with(st, s, &s->v.With.items, &s->v.With.body); break;
    case DP_PY_AsyncWith: exec_with(st, s, &s->v.AsyncWith.items, &s->v.AsyncWith.body); break;
    case DP_PY_Try:
        exec_try(st, &s->v.Try.body, &s->v.Try.handlers, &s->v.Try.orelse, &s->v.Try.finalbody);
        break;
    case DP_PY_TryStar:
        exec_try(st, &s->v.TryStar.body, &s->v.TryStar.handlers, &s->v.TryStar.orelse,
                 &s->v.TryStar.finalbody);
        break;
    case DP_PY_Match: exec_match(st, s); break;
    case DP_PY_FunctionDef: case DP_PY_AsyncFunctionDef: exec_def(st, s); break;
    case DP_PY_ClassDef: exec_class(st, s); break;
    case DP_PY_Import: case DP_PY_ImportFrom: tls_import(st, s); break;
    case DP_PY_Global: case DP_PY_Nonlocal: case DP_PY_Pass: case DP_PY_Break: case DP_PY_Continue:
        break;
    default: dp_py_node_children((struct dp_py_node *)s, eval_child, st); break;
    }
}

/* ---- deferred function bodies ---------------------------------------------------------------- */

void tls_defer(struct tls_state *st, struct tls_func *fn)
{
    if (st->nqueue == st->capqueue) {
        st->capqueue = st->capqueue ? st->capqueue * 2 : 32;
        st->queue = dp_xrealloc(st->queue, (size_t)st->capqueue * sizeof *st->queue);
    }
    st->queue[st->nqueue++] = fn;
}

void tls_func_callsite(struct tls_state *st, struct tls_func *fn, bool bound,
                       const struct tls_args *args, const struct dp_py_node *call)
{
    if (fn->analyzed || fn->def->kind == DP_PY_Lambda) return;
    const struct dp_py_node *a = fn->def->kind == DP_PY_FunctionDef ? fn->def->v.FunctionDef.args
                                                                     : fn->def->v.AsyncFunctionDef.args;
    int npos = a->v.arguments.posonlyargs.n + a->v.arguments.args.n;
    int skip = bound && fn->cls && !fn->is_static ? 1 : 0;
    for (int i = 0, k = 0; i < args->n; i++) {
        const struct tls_arg *x = &args->a[i];
        int p = -1;
        if (!x->kw) {
            if (k >= args->npos) continue;
            p = skip + k++;
            if (p >= npos) continue;
        } else {
            for (int j = a->v.arguments.posonlyargs.n; j < fn->nparams && p < 0; j++)
                if (!strcmp(fn->pnames[j], x->kw)) p = j;
        }
        const struct tls_val *v = tls_with_ev(st, x->v, call);
        if (p >= 0) fn->pvals[p] = tls_join(st, fn->pvals[p], v);
        else if (x->kw && fn->kwarg) {
            struct tls_val tmp = {.kind = TV_DICT, .dict = fn->kwsite};
            const struct tls_val *prev = fn->kwsite ? tls_dict_get(&tmp, x->kw) : NULL;
            fn->kwsite = tls_dict_set(st, fn->kwsite ? &tmp : NULL, x->kw, tls_join(st, prev, v))->dict;
        }
    }
}

static void analyze(struct tls_state *st, struct tls_func *fn)
{
    struct tls_scope *s = tls_scope_new(st, TS_FUNC, fn->parent);
    s->fn = fn;
    s->cls = fn->cls;
    tls_scope_collect_locals(st, s, fn->def);
    struct tls_scope *saved = st->cur;
    const struct dp_py_node *saved_stmt = st->stmt;
    st->cur = s;
    st->stmt = fn->def;
    bool lambda = fn->def->kind == DP_PY_Lambda;
    const struct dp_py_node *args = lambda ? fn->def->v.Lambda.args
                                    : fn->def->kind == DP_PY_FunctionDef ? fn->def->v.FunctionDef.args
                                                                          : fn->def->v.AsyncFunctionDef.args;
    for (int i = 0; i < fn->nparams; i++) {
        const struct tls_val *v = tls_join(st, fn->pvals[i], tls_unknown());
        if (i == 0 && fn->cls && !fn->is_static)
            v = fn->is_classmethod ? tls_unknown() : tls_obj_val(st, fn->cls->inst);
        tls_bind(st, fn->pnames[i], v);
    }
    if (lambda) {
        const struct dp_py_list *ls[3] = {&args->v.arguments.posonlyargs, &args->v.arguments.args,
                                          &args->v.arguments.kwonlyargs};
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < ls[k]->n; i++) tls_bind(st, ls[k]->items[i]->v.arg.arg, tls_unknown());
    }
    if (fn->vararg) tls_bind(st, fn->vararg, tls_unknown());
    if (fn->kwarg) {
        struct tls_val *d = tls_val_new(st, TV_DICT);
        d->dict = dp_arena_alloc(&st->a, sizeof *d->dict);
        if (fn->kwsite) {
            /* other callers may pass other values: every call-site value is a may-be */
            *d->dict = *fn->kwsite;
            const struct tls_val **vals = dp_arena_alloc(&st->a, (size_t)d->dict->n * sizeof *vals + 1);
            for (int i = 0; i < d->dict->n; i++) vals[i] = tls_join(st, d->dict->vals[i], tls_unknown());
            d->dict->vals = vals;
        }
        d->dict->open = true;
        tls_bind(st, fn->kwarg, d);
    }
    fn->analyzed = true;
    if (lambda) tls_eval(st, fn->def->v.Lambda.body);
    else tls_exec_body(st, fn->def->kind == DP_PY_FunctionDef ? &fn->def->v.FunctionDef.body
                                                               : &fn->def->v.AsyncFunctionDef.body);
    st->cur = saved;
    st->stmt = saved_stmt;
}

void tls_run_deferred(struct tls_state *st)
{
    while (st->qhead < st->nqueue) analyze(st, st->queue[st->qhead++]);
}
