/* Calls in the TLS analysis: arguments with ** expansion, the builtins evasive code uses
 * (bool(0), int(False), dict(verify=False), getattr(requests, 'get'), super()), forwarders
 * that call a function for you (functools.partial, asyncio.to_thread, run_in_executor, submit,
 * threading.Thread), local functions and classes, dict mutation, and dispatch to the checks. */
#include "scan/tls/tls_int.h"
#include "scan/scan.h"
#include <stdlib.h>
#include <string.h>

/* ---- arguments ------------------------------------------------------------------------------- */

static struct tls_args *args_new(struct tls_state *st, int cap)
{
    struct tls_args *a = dp_arena_alloc(&st->a, sizeof *a);
    a->a = dp_arena_alloc(&st->a, (size_t)(cap > 0 ? cap : 1) * sizeof *a->a);
    return a;
}

static void args_add(struct tls_state *st, struct tls_args *a, int *cap, const char *kw,
                     const struct tls_val *v, const struct dp_py_node *vnode, const char *via)
{
    if (a->n == *cap) {
        *cap = *cap ? *cap * 2 : 4;
        struct tls_arg *na = dp_arena_alloc(&st->a, (size_t)*cap * sizeof *na);
        if (a->n) memcpy(na, a->a, (size_t)a->n * sizeof *na);
        a->a = na;
    }
    struct tls_arg *x = &a->a[a->n++];
    x->kw = kw;
    x->v = v;
    x->vnode = vnode;
    x->via = via;
    x->done = false;
    if (!kw && !a->star) a->npos++;
}

static void expand(struct tls_state *st, struct tls_args *a, int *cap, const struct tls_val *d,
                   const struct dp_py_node *node)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(d, &xs, &one);
    for (int i = 0; i < n; i++) {
        if (xs[i]->kind != TV_DICT) {
            a->open_kw = true;
            continue;
        }
        const char *via = tls_snip(st, node);
        for (int j = 0; j < xs[i]->dict->n; j++) {
            const struct tls_val *v = xs[i]->dict->vals[j];
            if (v->kind != TV_UNKNOWN && xs[i]->ev) {   /* keep how the dict was built */
                struct tls_val *c = tls_val_copy(st, v);
                c->ev = tls_ev_cat(st, v->ev, xs[i]->ev);
                v = c;
            }
            args_add(st, a, cap, xs[i]->dict->keys[j], v, v->node ? v->node : node, via);
        }
        if (xs[i]->dict->open || n > 1) a->open_kw = true;
    }
}

static struct tls_args *build_args(struct tls_state *st, const struct dp_py_node *call)
{
    const struct dp_py_list *pa = &call->v.Call.args, *kw = &call->v.Call.keywords;
    int cap = pa->n + kw->n + 2;
    struct tls_args *a = args_new(st, cap);
    for (int i = 0; i < pa->n; i++) {
        const struct dp_py_node *x = pa->items[i];
        if (x->kind == DP_PY_Starred) {
            tls_eval(st, x->v.Starred.value);
            a->star = true;
            continue;
        }
        args_add(st, a, &cap, NULL, tls_eval(st, x), x, NULL);
    }
    for (int i = 0; i < kw->n; i++) {
        const struct dp_py_node *k = kw->items[i];
        const struct tls_val *v = tls_eval(st, k->v.keyword.value);
        if (k->v.keyword.arg) args_add(st, a, &cap, k->v.keyword.arg, v, k->v.keyword.value, NULL);
        else expand(st, a, &cap, v, k->v.keyword.value);
    }
    return a;
}

const struct tls_arg *tls_arg_find(const struct tls_args *a, const char *kw, int pos)
{
    for (int i = a->n - 1; kw && i >= 0; i--)
        if (a->a[i].kw && !strcmp(a->a[i].kw, kw)) return &a->a[i];
    if (pos < 0 || pos >= a->npos) return NULL;
    for (int i = 0, k = 0; i < a->n; i++)
        if (!a->a[i].kw && k++ == pos) return &a->a[i];
    return NULL;
}

/* Positional arguments from skip on, keywords kept: what a forwarder passes to its target. */
static struct tls_args *args_shift(struct tls_state *st, const struct tls_args *a, int skip, bool done)
{
    struct tls_args *r = args_new(st, a->n);
    int k = 0;
    for (int i = 0; i < a->n; i++) {
        if (!a->a[i].kw && k++ < skip) continue;
        r->a[r->n] = a->a[i];
        r->a[r->n++].done |= done;
    }
    r->npos = a->npos > skip ? a->npos - skip : 0;
    r->star = a->star;
    r->open_kw = a->open_kw;
    return r;
}

static struct tls_args *args_merge(struct tls_state *st, const struct tls_args *b, const struct tls_args *a)
{
    struct tls_args *r = args_new(st, a->n + b->n);
    for (int i = 0; i < b->n; i++)
        if (!b->a[i].kw) r->a[r->n++] = b->a[i];
    for (int i = 0; i < a->n; i++)
        if (!a->a[i].kw) r->a[r->n++] = a->a[i];
    for (int i = 0; i < b->n; i++)
        if (b->a[i].kw) r->a[r->n++] = b->a[i];
    for (int i = 0; i < a->n; i++)
        if (a->a[i].kw) r->a[r->n++] = a->a[i];
    r->npos = b->star ? b->npos : b->npos + a->npos;
    r->star = a->star || b->star;
    r->open_kw = a->open_kw || b->open_kw;
    return r;
}

static const struct tls_val *none_val(struct tls_state *st)
{
    struct tls_val *v = tls_val_new(st, TV_CONST);
    v->ck = TC_NONE;
    return v;
}

/* v remembering the expression it came from (for messages about dict entries). */
static const struct tls_val *val_at(struct tls_state *st, const struct tls_val *v,
                                    const struct dp_py_node *vnode)
{
    if (v->kind == TV_UNKNOWN || v->node) return v;
    struct tls_val *c = tls_val_copy(st, v);
    c->node = vnode;
    return c;
}

/* ---- builtins -------------------------------------------------------------------------------- */

static const struct tls_val *with_ev_of(struct tls_state *st, const struct tls_val *r,
                                        const struct tls_val *from)
{
    if (r->kind == TV_UNKNOWN || !from->ev) return r;
    struct tls_val *c = tls_val_copy(st, r);
    c->ev = from->ev;
    return c;
}

static const struct tls_val *conv1(struct tls_state *st, const char *fn, const struct tls_val *x)
{
    if (!strcmp(fn, "bool")) {
        int t = tls_truth(x);
        return t < 0 ? tls_unknown() : tls_const_bool(st, t);
    }
    if (x->kind != TV_CONST) return tls_unknown();
    if (!strcmp(fn, "int")) {
        if (x->ck == TC_BOOL || x->ck == TC_INT) return tls_const_int(st, x->i, NULL);
        if (x->ck == TC_STR && x->s[0]) {
            char *end;
            long long k = strtoll(x->s, &end, 10);
            while (*end == ' ') end++;
            return *end ? tls_unknown() : tls_const_int(st, k, NULL);
        }
        return tls_unknown();
    }
    if (!strcmp(fn, "str")) {
        if (x->ck == TC_STR) return x;
        if (x->ck == TC_BOOL) return tls_const_str(st, x->i ? "True" : "False");
        if (x->ck == TC_NONE) return tls_const_str(st, "None");
        if (x->ck == TC_INT) return tls_const_str(st, tls_printf(st, "%lld", (long long)x->i));
        return tls_unknown();
    }
    if (!strcmp(fn, "float") && (x->ck == TC_BOOL || x->ck == TC_INT)) {
        struct tls_val *f = tls_val_new(st, TV_CONST);
        f->ck = TC_FLOAT;
        f->i = x->i != 0;
        return f;
    }
    return tls_unknown();
}

static const struct tls_val *convert(struct tls_state *st, const char *fn, const struct tls_args *a)
{
    const struct tls_arg *x = tls_arg_find(a, NULL, 0);
    if (!x) {
        if (a->n || a->star) return tls_unknown();
        if (!strcmp(fn, "bool")) return tls_const_bool(st, false);
        if (!strcmp(fn, "int")) return tls_const_int(st, 0, NULL);
        if (!strcmp(fn, "str")) return tls_const_str(st, "");
        return tls_unknown();
    }
    const struct tls_val *const *xs, *one, *r = NULL;
    int n = tls_alts(x->v, &xs, &one);
    for (int i = 0; i < n; i++) r = tls_join(st, r, with_ev_of(st, conv1(st, fn, xs[i]), xs[i]));
    return with_ev_of(st, r, x->v);
}

static const struct tls_val *dict_call(struct tls_state *st, const struct tls_args *a)
{
    const struct tls_arg *x = tls_arg_find(a, NULL, 0);
    const struct tls_val *d;
    if (x && x->v->kind == TV_DICT) {
        d = x->v;
    } else {
        struct tls_val *e = tls_val_new(st, TV_DICT);
        e->dict = dp_arena_alloc(&st->a, sizeof *e->dict);
        e->dict->open = x != NULL || a->star || a->open_kw;
        d = e;
    }
    for (int i = 0; i < a->n; i++)
        if (a->a[i].kw) d = tls_dict_set(st, d, a->a[i].kw, val_at(st, a->a[i].v, a->a[i].vnode));
    return a->open_kw ? tls_dict_reopen(st, d) : d;
}

static const struct tls_val *getattr_call(struct tls_state *st, const struct tls_args *a)
{
    const struct tls_arg *o = tls_arg_find(a, NULL, 0), *nm = tls_arg_find(a, NULL, 1);
    if (!o || !nm) return tls_unknown();
    if (nm->v->kind == TV_CONST && nm->v->ck == TC_STR) return tls_attr(st, o->v, nm->v->s, o->vnode);
    /* getattr(requests, method): any verb; they share the verification keyword */
    if (o->v->kind == TV_QNAME && (!strcmp(o->v->s, "requests") || !strcmp(o->v->s, "httpx")))
        return tls_attr(st, o->v, "request", o->vnode);
    if (o->v->kind == TV_OBJ && o->v->obj->type) return tls_attr(st, o->v, "request", o->vnode);
    return tls_unknown();
}

/* eval / ast.literal_eval / json.loads of a constant string spelling a constant. */
static const struct tls_val *literal_eval(struct tls_state *st, const struct tls_args *a)
{
    const struct tls_arg *x = tls_arg_find(a, NULL, 0);
    if (!x || x->v->kind != TV_CONST || x->v->ck != TC_STR) return tls_unknown();
    const char *s = x->v->s;
    while (*s == ' ') s++;
    static const struct { const char *text; int kind; int64_t v; } lits[] = {
        {"False", TC_BOOL, 0}, {"True", TC_BOOL, 1}, {"false", TC_BOOL, 0}, {"true", TC_BOOL, 1},
        {"0", TC_INT, 0}, {"1", TC_INT, 1}, {"None", TC_NONE, 0}, {"null", TC_NONE, 0},
        {"''", TC_STR, 0}, {"\"\"", TC_STR, 0},
    };
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        size_t n = strlen(lits[i].text);
        if (strncmp(s, lits[i].text, n) != 0 || (s[n] && s[n] != ' ')) continue;
        struct tls_val *v = tls_val_new(st, TV_CONST);
        v->ck = (uint8_t)lits[i].kind;
        v->i = lits[i].v;
        v->s = "";
        return with_ev_of(st, v, x->v);
    }
    return tls_unknown();
}

/* os.getenv(k, default), os.environ.get(k, default), unknown.get(k, default): the default is
 * what the code gets when the setting is absent. */
static const struct tls_val *get_default(struct tls_state *st, const struct tls_args *a)
{
    const struct tls_arg *d = tls_arg_find(a, "default", 1);
    if (!d || d->v->kind == TV_UNKNOWN) return tls_unknown();
    return tls_join(st, tls_unknown(), d->v);
}

static struct tls_func *enclosing_method(struct tls_state *st)
{
    for (struct tls_scope *s = st->cur; s; s = s->parent)
        if (s->kind == TS_FUNC) return s->fn && s->fn->cls ? s->fn : NULL;
    return NULL;
}

static const struct tls_val *builtin_call(struct tls_state *st, const char *fn,
                                          const struct tls_args *a, const struct dp_py_node *call)
{
    if (!strcmp(fn, "bool") || !strcmp(fn, "int") || !strcmp(fn, "str") || !strcmp(fn, "float"))
        return convert(st, fn, a);
    if (!strcmp(fn, "dict")) return dict_call(st, a);
    if (!strcmp(fn, "getattr")) return getattr_call(st, a);
    if (!strcmp(fn, "setattr")) {
        const struct tls_arg *o = tls_arg_find(a, NULL, 0), *nm = tls_arg_find(a, NULL, 1),
                             *v = tls_arg_find(a, NULL, 2);
        if (o && nm && v && nm->v->kind == TV_CONST && nm->v->ck == TC_STR)
            tls_store_attr(st, o->v, o->vnode, nm->v->s, v->v, v->vnode, call);
        return tls_unknown();
    }
    if (!strcmp(fn, "eval")) return literal_eval(st, a);
    if (!strcmp(fn, "super")) {
        struct tls_func *m = enclosing_method(st);
        if (!m || (!m->cls->base_type && !m->cls->base_cls)) return tls_unknown();
        struct tls_obj *o = tls_obj_at(st, call, m->cls->base_type);
        o->cls = m->cls->base_cls;
        o->ev = m->cls->inst->ev;   /* "class InsecureAdapter(HTTPAdapter)" */
        return tls_obj_val(st, o);
    }
    return tls_unknown();
}

/* ---- dispatch -------------------------------------------------------------------------------- */

static const struct tls_val *call1(struct tls_state *st, const struct tls_val *f,
                                   const struct tls_args *a, const struct dp_py_node *call,
                                   const struct dp_py_node *recv);

static const char *last_part(const char *qn)
{
    const char *d = strrchr(qn, '.');
    return d ? d + 1 : qn;
}

/* A forwarder: calls fn with the arguments that follow it. */
static bool forward(struct tls_state *st, const char *qn, const struct tls_args *a,
                    const struct dp_py_node *call)
{
    const char *last = last_part(qn);
    int fpos = -1;
    bool kw = true;
    char q0 = qn[0], l0 = last[0];   /* cheap filters: the names below start with these */
    if (q0 != 'a' && q0 != 't' && q0 != 's' && q0 != 'm' && l0 != 's' && l0 != 'r') return false;
    if ((q0 == 'a' && !strcmp(qn, "asyncio.to_thread")) || (l0 == 's' && !strcmp(last, "submit"))) fpos = 0;
    else if ((q0 == 'a' && !strcmp(qn, "anyio.to_thread.run_sync")) || (q0 == 't' && !strcmp(qn, "trio.to_thread.run_sync")) ||
             (q0 == 's' && !strcmp(qn, "starlette.concurrency.run_in_threadpool"))) fpos = 0, kw = false;
    else if (l0 == 'r' && !strcmp(last, "run_in_executor")) fpos = 1, kw = false;
    if (fpos >= 0) {
        const struct tls_arg *f = tls_arg_find(a, NULL, fpos);
        if (!f) return false;
        struct tls_args *rest = args_shift(st, a, fpos + 1, false);
        if (!kw) rest->n = rest->npos, rest->open_kw = false;
        call1(st, f->v, rest, call, NULL);
        return true;
    }
    if (!strcmp(qn, "threading.Thread") || !strcmp(qn, "multiprocessing.Process")) {
        const struct tls_arg *f = tls_arg_find(a, "target", -1), *k = tls_arg_find(a, "kwargs", -1);
        if (!f) return false;
        struct tls_args *rest = args_new(st, 4);
        int cap = 4;
        rest->star = true;
        if (k) expand(st, rest, &cap, k->v, k->vnode);
        call1(st, f->v, rest, call, NULL);
        return true;
    }
    return false;
}

static const struct tls_val *partial(struct tls_state *st, const struct tls_args *a,
                                     const struct dp_py_node *call)
{
    const struct tls_arg *f = tls_arg_find(a, NULL, 0);
    if (!f) return tls_unknown();
    struct tls_args *rest = args_shift(st, a, 1, false);
    call1(st, f->v, rest, call, NULL);
    const struct tls_val *const *xs, *one, *r = NULL;
    int n = tls_alts(f->v, &xs, &one);
    for (int i = 0; i < n; i++) {
        if (xs[i]->kind != TV_QNAME && xs[i]->kind != TV_FUNC) continue;
        struct tls_val *p = tls_val_copy(st, xs[i]);
        p->bound = args_shift(st, a, 1, true);
        if (xs[i]->bound) p->bound = args_merge(st, xs[i]->bound, p->bound);
        p->ev = tls_ev_push(st, xs[i]->ev, call);
        r = tls_join(st, r, p);
    }
    return r ? r : tls_unknown();
}

static const struct tls_val *call_qname(struct tls_state *st, const struct tls_val *f,
                                        const struct tls_args *a, const struct dp_py_node *call,
                                        const struct dp_py_node *recv)
{
    const char *qn = f->s;
    const char *last = last_part(qn);
    if (!strcmp(last, "import_module") || !strcmp(qn, "builtins.__import__")) {
        /* importlib.import_module("requests"), __import__("ssl") */
        const struct tls_arg *m = tls_arg_find(a, "name", 0);
        if (m && m->v->kind == TV_CONST && m->v->ck == TC_STR && m->v->s[0] && !strchr(m->v->s, ' '))
            return tls_qname(st, tls_canon(st, m->v->s));
        return tls_unknown();
    }
    if (!tls_known_root(qn)) {   /* not a library the tables know: only a forwarder can matter */
        forward(st, qn, a, call);
        return tls_unknown();
    }
    if (!strncmp(qn, "builtins.", 9)) return builtin_call(st, qn + 9, a, call);
    if (!strcmp(qn, "functools.partial") || !strcmp(qn, "functools.partialmethod")) return partial(st, a, call);
    if (!strcmp(qn, "ast.literal_eval") || !strcmp(qn, "json.loads")) return literal_eval(st, a);
    if (!strcmp(qn, "os.getenv") || !strcmp(qn, "os.environ.get")) return get_default(st, a);
    if (forward(st, qn, a, call)) return tls_unknown();
    if (tls_check_special(st, qn, f->obj, a, call, recv, f->ev, DP_SCAN_HIGH))
        return tls_unknown();
    tls_check_call(st, qn, f->obj, a, call, DP_SCAN_HIGH, NULL, f->ev);
    if (!strcmp(qn, "os.environ.copy")) return tls_dict_reopen(st, dict_call(st, args_new(st, 0)));
    const char *type = tls_ctor_type(qn);
    if (!type) return tls_unknown();
    struct tls_obj *o = tls_obj_at(st, call, type);
    if (!strcmp(type, "ssl.SSLContext")) tls_ssl_ctor(st, o, qn, a, call);
    return tls_obj_val(st, o);
}

static const struct tls_val *call_uattr(struct tls_state *st, const struct tls_val *f,
                                        const struct tls_args *a, const struct dp_py_node *call,
                                        const struct dp_py_node *recv)
{
    const char *attr = f->s;
    if (!strcmp(attr, "import_module")) {
        struct tls_val q = {.kind = TV_QNAME, .s = "?.import_module"};
        return call_qname(st, &q, a, call, recv);
    }
    if (forward(st, attr, a, call)) return tls_unknown();
    if (tls_check_special(st, tls_strcat(st, "?.", attr, NULL), NULL, a, call, recv, f->ev, DP_SCAN_MEDIUM))
        return tls_unknown();
    /* the receiver's text only matters to the checks below: made when one of them applies */
    bool verb = tls_is_http_verb(attr), ws = !strcmp(attr, "run_forever"), tor = !strcmp(attr, "fetch");
    bool get = !strcmp(attr, "get");
    if (!verb && !ws && !tor && !get) return tls_unknown();
    const char *recv_text = f->recv ? tls_snip(st, f->recv) : "?";
    const char *shown = tls_strcat(st, recv_text, ".", attr);
    if (verb && tls_session_like(recv_text)) {
        tls_check_call(st, tls_strcat(st, "requests.Session.", attr, NULL), NULL, a, call, DP_SCAN_MEDIUM,
                       shown, f->ev);
        tls_check_call(st, tls_strcat(st, "aiohttp.ClientSession.", attr, NULL), NULL, a, call,
                       DP_SCAN_MEDIUM, shown, f->ev);
    }
    /* keywords specific enough to name their library whatever the receiver */
    if (ws)
        tls_check_call(st, "websocket.WebSocketApp.run_forever", NULL, a, call, DP_SCAN_MEDIUM, shown, f->ev);
    if (tor)
        tls_check_call(st, "tornado.httpclient.AsyncHTTPClient.fetch", NULL, a, call, DP_SCAN_MEDIUM, shown, f->ev);
    if (get && !tls_session_like(recv_text) && a->npos == 2 && a->n == 2)
        return get_default(st, a);
    return tls_unknown();
}

static const struct tls_val *call1(struct tls_state *st, const struct tls_val *f,
                                   const struct tls_args *a, const struct dp_py_node *call,
                                   const struct dp_py_node *recv)
{
    const struct tls_val *const *xs, *one, *r = NULL;
    int n = tls_alts(f, &xs, &one);
    for (int i = 0; i < n; i++) {
        const struct tls_val *x = xs[i], *res = tls_unknown();
        const struct tls_args *m = x->bound ? args_merge(st, x->bound, a) : a;
        switch (x->kind) {
        case TV_QNAME: res = call_qname(st, x, m, call, recv); break;
        case TV_UATTR: res = call_uattr(st, x, m, call, recv); break;
        case TV_FUNC: tls_func_callsite(st, x->fn, x->obj != NULL, m, call); break;
        case TV_CLASS: {
            for (struct tls_class *c = x->cls; c; c = c->base_cls) {
                const struct tls_val *init = tls_scope_get(c->scope, "__init__");
                if (init && init->kind == TV_FUNC) {
                    tls_func_callsite(st, init->fn, true, m, call);
                    break;
                }
            }
            res = tls_obj_val(st, x->cls->inst);
            break;
        }
        default: break;
        }
        r = tls_join(st, r, res);
    }
    return r ? r : tls_unknown();
}

/* kw.update(...), kw.setdefault(k, v), kw.copy() on a name bound to a dict. */
static const struct tls_val *dict_method(struct tls_state *st, const struct dp_py_node *fnode,
                                         const struct tls_args *a, const struct dp_py_node *call)
{
    const struct dp_py_node *recv = fnode->v.Attribute.value;
    const char *m = fnode->v.Attribute.attr;
    if (recv->kind != DP_PY_Name) return NULL;
    const struct tls_val *d = tls_lookup(st, recv->v.Name.id);
    if (d->kind != TV_DICT) return NULL;
    if (!strcmp(m, "copy")) return d;
    if (!strcmp(m, "get")) {
        const struct tls_arg *k = tls_arg_find(a, NULL, 0), *dflt = tls_arg_find(a, NULL, 1);
        if (!k || k->v->kind != TV_CONST || k->v->ck != TC_STR) return NULL;
        const struct tls_val *v = tls_dict_get(d, k->v->s);
        if (v) return v;
        const struct tls_val *dv = dflt ? dflt->v : none_val(st);
        if (d->ev && dv->kind != TV_UNKNOWN) {   /* keep how the dict was built */
            struct tls_val *c = tls_val_copy(st, dv);
            c->ev = tls_ev_cat(st, dv->ev, d->ev);
            dv = c;
        }
        return d->dict->open ? tls_join(st, tls_unknown(), dv) : dv;
    }
    const struct tls_val *nd = d;
    if (!strcmp(m, "update")) {
        const struct tls_arg *x = tls_arg_find(a, NULL, 0);
        if (x && x->v->kind == TV_DICT)
            for (int i = 0; i < x->v->dict->n; i++)
                nd = tls_dict_set(st, nd, x->v->dict->keys[i], x->v->dict->vals[i]);
        for (int i = 0; i < a->n; i++)
            if (a->a[i].kw) nd = tls_dict_set(st, nd, a->a[i].kw, val_at(st, a->a[i].v, a->a[i].vnode));
    } else if (!strcmp(m, "setdefault") || !strcmp(m, "__setitem__")) {
        const struct tls_arg *k = tls_arg_find(a, NULL, 0), *v = tls_arg_find(a, NULL, 1);
        if (!k || k->v->kind != TV_CONST || k->v->ck != TC_STR) return NULL;
        if (m[0] == 's' && tls_dict_get(d, k->v->s)) return tls_unknown();
        nd = tls_dict_set(st, nd, k->v->s, v ? val_at(st, v->v, v->vnode) : tls_unknown());
    } else {
        return NULL;
    }
    tls_rebind(st, recv->v.Name.id, tls_with_ev(st, nd, st->stmt ? st->stmt : call));
    return tls_unknown();
}

const struct tls_val *tls_call(struct tls_state *st, const struct dp_py_node *call)
{
    const struct dp_py_node *fnode = call->v.Call.func;
    const struct tls_val *f = tls_eval(st, fnode);
    struct tls_args *a = build_args(st, call);
    if (fnode->kind == DP_PY_Attribute) {
        const struct tls_val *r = dict_method(st, fnode, a, call);
        if (r) return r;
    }
    return call1(st, f, a, call, fnode->kind == DP_PY_Attribute ? fnode->v.Attribute.value : NULL);
}
