/* Locating injection sites: normalise and parse the answer, resolve import aliases (`import
 * requests as rq`, `from httpx import Client`, star imports), bind client objects to names per
 * scope (assignments, `with ... as`, annotated parameters, `self.x`), and list the calls of the
 * target HTTP APIs with how each is edited. No control flow: a name's bindings in its scope are
 * all considered, and a receiver whose bindings disagree on the class is not a site. */
#include "data/inject_int.h"
#include "py/parse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- knowledge tables ----------------------------------------------------------------------- */

struct inj_fn { const char *qual, *canon; enum dp_inject_lib lib; enum inj_kind kind; const char *kw; };
static const struct inj_fn fns[] = {
#define RQ(m) {"requests." m, "requests." m, DP_ILIB_REQUESTS, INJ_CALL_KW, "verify"}, \
              {"requests.api." m, "requests." m, DP_ILIB_REQUESTS, INJ_CALL_KW, "verify"}
    RQ("get"), RQ("post"), RQ("put"), RQ("patch"), RQ("delete"), RQ("head"), RQ("options"), RQ("request"),
#undef RQ
#define HX(m) {"httpx." m, "httpx." m, DP_ILIB_HTTPX, INJ_CALL_KW, "verify"}
    HX("get"), HX("post"), HX("put"), HX("patch"), HX("delete"), HX("head"), HX("options"),
    HX("request"), HX("stream"),
#undef HX
    {"aiohttp.request", "aiohttp.request", DP_ILIB_AIOHTTP, INJ_CALL_KW, "ssl"},
    {"urllib.request.urlopen", "urllib.request.urlopen", DP_ILIB_URLLIB, INJ_URLOPEN, "context"},
};

struct inj_cls { const char *qual, *canon; };
static const struct inj_cls classes[] = {
    {"requests.Session", "requests.Session"}, {"requests.session", "requests.Session"},
    {"requests.sessions.Session", "requests.Session"}, {"requests.sessions.session", "requests.Session"},
    {"httpx.Client", "httpx.Client"}, {"httpx.AsyncClient", "httpx.AsyncClient"},
    {"aiohttp.ClientSession", "aiohttp.ClientSession"},
    {"aiohttp.client.ClientSession", "aiohttp.ClientSession"},
    {"urllib3.PoolManager", "urllib3.PoolManager"}, {"urllib3.ProxyManager", "urllib3.ProxyManager"},
    {"urllib3.poolmanager.PoolManager", "urllib3.PoolManager"},
};

static const char *const rq_methods[] = {"get", "post", "put", "patch", "delete", "head", "options", "request", NULL};
static const char *const hx_methods[] = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream", NULL};
static const char *const aio_methods[] = {"get", "post", "put", "patch", "delete", "head", "options", "request", "ws_connect", NULL};
static const char *const u3_methods[] = {"request", "urlopen", "request_encode_url", "request_encode_body", NULL};

static const struct inj_fn *find_fn(const char *q)
{
    for (size_t i = 0; q && i < sizeof fns / sizeof fns[0]; i++)
        if (!strcmp(fns[i].qual, q)) return &fns[i];
    return NULL;
}

static const char *find_cls(const char *q)
{
    for (size_t i = 0; q && i < sizeof classes / sizeof classes[0]; i++)
        if (!strcmp(classes[i].qual, q)) return classes[i].canon;
    return NULL;
}

static bool in_list(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (!strcmp(*l, s)) return true;
    return false;
}

/* ---- text ----------------------------------------------------------------------------------- */

/* BOM dropped, \r\n and \r -> \n: the text CPython's positions refer to. */
static char *normalise(struct dp_arena *a, const char *src, size_t n, size_t *outn)
{
    if (n >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3)) { src += 3; n -= 3; }
    char *o = dp_arena_alloc_raw(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (src[i] == '\r') {
            o[k++] = '\n';
            if (i + 1 < n && src[i + 1] == '\n') i++;
        } else {
            o[k++] = src[i];
        }
    }
    o[k] = 0;
    *outn = k;
    return o;
}

static void line_starts(struct inj *st)
{
    int lines = 1;
    for (size_t i = 0; i < st->n; i++) lines += st->src[i] == '\n';
    st->ls = dp_arena_alloc(st->a, (size_t)(lines + 2) * sizeof *st->ls);
    int l = 1;
    st->ls[1] = 0;
    for (size_t i = 0; i < st->n; i++)
        if (st->src[i] == '\n') st->ls[++l] = (uint32_t)(i + 1);
    st->nlines = l;
    st->ls[l + 1] = (uint32_t)st->n;
}

/* ---- names ---------------------------------------------------------------------------------- */

static void put_name(struct inj *st, const char *s)
{
    if (s) dp_map_put(&st->names, s, strlen(s), (void *)1);
}

static void collect_names(struct dp_py_node *n, void *ud)
{
    struct inj *st = ud;
    switch (n->kind) {
    case DP_PY_Name: put_name(st, n->v.Name.id); break;
    case DP_PY_Attribute: put_name(st, n->v.Attribute.attr); break;
    case DP_PY_FunctionDef: put_name(st, n->v.FunctionDef.name); break;
    case DP_PY_AsyncFunctionDef: put_name(st, n->v.AsyncFunctionDef.name); break;
    case DP_PY_ClassDef: put_name(st, n->v.ClassDef.name); break;
    case DP_PY_arg: put_name(st, n->v.arg.arg); break;
    case DP_PY_keyword: put_name(st, n->v.keyword.arg); break;
    case DP_PY_alias: put_name(st, n->v.alias.name); put_name(st, n->v.alias.asname); break;
    default: break;
    }
    dp_py_node_children(n, collect_names, st);
}

const char *inj_fresh_name(struct inj *st, const char *base)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%s", base);
    for (int k = 2; dp_map_get(&st->names, buf, strlen(buf)); k++) snprintf(buf, sizeof buf, "%s_%d", base, k);
    char *s = dp_arena_strndup(st->a, buf, strlen(buf));
    put_name(st, s);
    return s;
}

/* ---- imports -------------------------------------------------------------------------------- */

static void add_alias(struct inj *st, const char *local, const char *qual)
{
    dp_map_put(&st->alias, local, strlen(local), (void *)qual);
}

static void collect_imports(struct dp_py_node *n, void *ud)
{
    struct inj *st = ud;
    if (n->kind == DP_PY_Import) {
        for (int i = 0; i < n->v.Import.names.n; i++) {
            const struct dp_py_node *al = n->v.Import.names.items[i];
            const char *name = al->v.alias.name, *as = al->v.alias.asname;
            if (as) { add_alias(st, as, name); continue; }
            const char *dot = strchr(name, '.');
            char *top = dp_arena_strndup(st->a, name, dot ? (size_t)(dot - name) : strlen(name));
            add_alias(st, top, top);
        }
    } else if (n->kind == DP_PY_ImportFrom && n->v.ImportFrom.level == 0 && n->v.ImportFrom.module) {
        const char *mod = n->v.ImportFrom.module;
        for (int i = 0; i < n->v.ImportFrom.names.n; i++) {
            const struct dp_py_node *al = n->v.ImportFrom.names.items[i];
            if (!strcmp(al->v.alias.name, "*")) {
                if (st->nstar < 8) st->star[st->nstar++] = mod;
                continue;
            }
            struct dp_sbuf b = {0};
            dp_sbuf_printf(&b, "%s.%s", mod, al->v.alias.name);
            char *q = dp_arena_strndup(st->a, b.p, b.n);
            dp_sbuf_free(&b);
            add_alias(st, al->v.alias.asname ? al->v.alias.asname : al->v.alias.name, q);
        }
    }
    dp_py_node_children(n, collect_imports, st);
}

/* The leading block of module-level imports (after a docstring): where module-level lines go. */
static void find_anchor(struct inj *st)
{
    const struct dp_py_list *body = &st->module->v.Module.body;
    int i = 0;
    if (body->n && body->items[0]->kind == DP_PY_Expr && body->items[0]->v.Expr.value->kind == DP_PY_Constant &&
        body->items[0]->v.Expr.value->v.Constant.value.kind == DP_PY_CONST_STR)
        st->anchor = body->items[i++];
    for (; i < body->n; i++) {
        const struct dp_py_node *s = body->items[i];
        if (s->kind != DP_PY_Import && s->kind != DP_PY_ImportFrom) break;
        st->anchor = s;
        if (s->kind != DP_PY_Import) continue;
        for (int k = 0; k < s->v.Import.names.n; k++) {
            const struct dp_py_node *al = s->v.Import.names.items[k];
            if (!strcmp(al->v.alias.name, "ssl")) st->ssl_name = al->v.alias.asname ? al->v.alias.asname : "ssl";
        }
    }
}

/* The dotted name an expression stands for through the imports, or NULL. */
static const char *qualname(struct inj *st, const struct dp_py_node *e)
{
    if (e->kind == DP_PY_Name) {
        void **v = dp_map_get(&st->alias, e->v.Name.id, strlen(e->v.Name.id));
        if (v) return *v;
        for (int i = 0; i < st->nstar; i++) {
            struct dp_sbuf b = {0};
            dp_sbuf_printf(&b, "%s.%s", st->star[i], e->v.Name.id);
            const char *hit = find_fn(b.p) ? find_fn(b.p)->qual : find_cls(b.p) ? b.p : NULL;
            char *q = hit ? dp_arena_strndup(st->a, b.p, b.n) : NULL;
            dp_sbuf_free(&b);
            if (q) return q;
        }
        return NULL;
    }
    if (e->kind != DP_PY_Attribute) return NULL;
    const char *base = qualname(st, e->v.Attribute.value);
    if (!base) return NULL;
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "%s.%s", base, e->v.Attribute.attr);
    char *q = dp_arena_strndup(st->a, b.p, b.n);
    dp_sbuf_free(&b);
    return q;
}

/* "a" or "a.b.c" for a Name or an Attribute chain of names; NULL otherwise. */
static bool expr_text(const struct dp_py_node *e, struct dp_sbuf *b)
{
    if (e->kind == DP_PY_Name) { dp_sbuf_puts(b, e->v.Name.id); return true; }
    if (e->kind != DP_PY_Attribute || !expr_text(e->v.Attribute.value, b)) return false;
    dp_sbuf_printf(b, ".%s", e->v.Attribute.attr);
    return true;
}

/* ---- scoped bindings ------------------------------------------------------------------------ */

struct walk {
    struct inj *st;
    const struct dp_py_node *scopes[64];
    int nscopes;
};

static bool is_scope(const struct dp_py_node *n)
{
    return n->kind == DP_PY_FunctionDef || n->kind == DP_PY_AsyncFunctionDef ||
           n->kind == DP_PY_ClassDef || n->kind == DP_PY_Lambda;
}

/* The key of text bound in scope: names live in their scope, self.x in the class, other chains
 * in the module. */
static const char *obj_key(struct walk *w, const char *text, const struct dp_py_node *scope)
{
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "%p|%s", (const void *)scope, text);
    char *k = dp_arena_strndup(w->st->a, b.p, b.n);
    dp_sbuf_free(&b);
    return k;
}

static const struct dp_py_node *class_scope(struct walk *w)
{
    for (int i = w->nscopes - 1; i >= 0; i--)
        if (w->scopes[i]->kind == DP_PY_ClassDef) return w->scopes[i];
    return NULL;
}

/* Where a binding of text made in the current scope (or in scope `own`) lives. */
static const struct dp_py_node *bind_scope(struct walk *w, const char *text, const struct dp_py_node *own)
{
    if (!strchr(text, '.')) return own;
    if (!strncmp(text, "self.", 5) || !strncmp(text, "cls.", 4)) return class_scope(w);
    return NULL;
}

static void bind(struct walk *w, const struct dp_py_node *target, const char *cls, const struct dp_py_node *ctor,
                 const struct dp_py_node *stmt, const struct dp_py_node *body0, const struct dp_py_node *own)
{
    struct dp_sbuf b = {0};
    if (!cls || !expr_text(target, &b)) { dp_sbuf_free(&b); return; }
    struct inj_obj *o = dp_arena_alloc(w->st->a, sizeof *o);
    *o = (struct inj_obj){cls, ctor, stmt, body0, dp_arena_strndup(w->st->a, b.p, b.n), NULL};
    const char *key = obj_key(w, o->text, bind_scope(w, o->text, own));
    void **v = dp_map_get(&w->st->objs, key, strlen(key));
    if (v) { o->next = *v; *v = o; }
    else dp_map_put(&w->st->objs, key, strlen(key), o);
    dp_sbuf_free(&b);
}

static const char *ctor_class(struct inj *st, const struct dp_py_node *e)
{
    return e && e->kind == DP_PY_Call ? find_cls(qualname(st, e->v.Call.func)) : NULL;
}

static void bind_args(struct walk *w, const struct dp_py_node *fn)
{
    const struct dp_py_node *args = fn->kind == DP_PY_FunctionDef ? fn->v.FunctionDef.args : fn->v.AsyncFunctionDef.args;
    const struct dp_py_list *lists[3] = {&args->v.arguments.posonlyargs, &args->v.arguments.args,
                                         &args->v.arguments.kwonlyargs};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->n; i++) {
            const struct dp_py_node *a = lists[l]->items[i];
            const char *cls = a->v.arg.annotation ? find_cls(qualname(w->st, a->v.arg.annotation)) : NULL;
            if (!cls) continue;
            struct dp_py_node name = {.kind = DP_PY_Name};
            name.v.Name.id = a->v.arg.arg;
            bind(w, &name, cls, NULL, NULL, NULL, fn);
        }
}

static void bind_visit(struct dp_py_node *n, void *ud)
{
    struct walk *w = ud;
    const struct dp_py_node *own = w->nscopes ? w->scopes[w->nscopes - 1] : NULL;
    if (n->kind == DP_PY_Assign) {
        const char *cls = ctor_class(w->st, n->v.Assign.value);
        for (int i = 0; cls && i < n->v.Assign.targets.n; i++)
            bind(w, n->v.Assign.targets.items[i], cls, n->v.Assign.value, n, NULL, own);
    } else if (n->kind == DP_PY_AnnAssign) {
        const char *cls = ctor_class(w->st, n->v.AnnAssign.value);
        if (!cls && !n->v.AnnAssign.value) cls = find_cls(qualname(w->st, n->v.AnnAssign.annotation));
        bind(w, n->v.AnnAssign.target, cls, n->v.AnnAssign.value, n, NULL, own);
    } else if (n->kind == DP_PY_With || n->kind == DP_PY_AsyncWith) {
        const struct dp_py_list *items = n->kind == DP_PY_With ? &n->v.With.items : &n->v.AsyncWith.items;
        const struct dp_py_list *body = n->kind == DP_PY_With ? &n->v.With.body : &n->v.AsyncWith.body;
        for (int i = 0; i < items->n; i++) {
            const struct dp_py_node *it = items->items[i];
            if (it->v.withitem.optional_vars)
                bind(w, it->v.withitem.optional_vars, ctor_class(w->st, it->v.withitem.context_expr),
                     it->v.withitem.context_expr, n, body->n ? body->items[0] : NULL, own);
        }
    } else if (n->kind == DP_PY_FunctionDef || n->kind == DP_PY_AsyncFunctionDef) {
        bind_args(w, n);
    }
    bool scope = is_scope(n) && w->nscopes < 64;
    if (scope) w->scopes[w->nscopes++] = n;
    dp_py_node_children(n, bind_visit, w);
    if (scope) w->nscopes--;
}

/* The bindings of a receiver expression seen from the current scope, or NULL. */
static struct inj_obj *lookup(struct walk *w, const struct dp_py_node *recv)
{
    struct dp_sbuf b = {0};
    struct inj_obj *found = NULL;
    if (expr_text(recv, &b)) {
        const char *text = b.p;
        if (strchr(text, '.')) {
            const char *key = obj_key(w, text, bind_scope(w, text, NULL));
            void **v = dp_map_get(&w->st->objs, key, strlen(key));
            found = v ? *v : NULL;
        } else {
            for (int i = w->nscopes; i >= 0 && !found; i--) {
                const struct dp_py_node *sc = i ? w->scopes[i - 1] : NULL;
                if (sc && sc->kind == DP_PY_ClassDef && i != w->nscopes) continue;
                const char *key = obj_key(w, text, sc);
                void **v = dp_map_get(&w->st->objs, key, strlen(key));
                found = v ? *v : NULL;
            }
        }
    }
    dp_sbuf_free(&b);
    for (struct inj_obj *o = found; o; o = o->next)   /* bindings must agree on the class */
        if (strcmp(o->cls, found->cls)) return NULL;
    return found;
}

/* ---- sites ---------------------------------------------------------------------------------- */

static void add_site(struct inj *st, const struct inj_site *s)
{
    if (st->nsites == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 16;
        st->sites = dp_xrealloc(st->sites, (size_t)st->cap * sizeof *st->sites);
    }
    st->sites[st->nsites++] = *s;
}

static void method_site(struct walk *w, const struct dp_py_node *call)
{
    const struct dp_py_node *func = call->v.Call.func, *recv = func->v.Attribute.value;
    const char *m = func->v.Attribute.attr, *cls = NULL;
    struct inj_site s = {.call = call};
    if (recv->kind == DP_PY_Call) {
        cls = ctor_class(w->st, recv);
        s.inline_ctor = recv;
    } else if ((s.objs = lookup(w, recv))) {
        cls = s.objs->cls;
    }
    if (!cls) return;
    if (!strcmp(cls, "requests.Session") && in_list(rq_methods, m)) {
        s.kind = INJ_CALL_KW, s.lib = DP_ILIB_REQUESTS, s.kw = "verify";
    } else if (!strncmp(cls, "httpx.", 6) && in_list(hx_methods, m)) {
        s.kind = INJ_CTOR_KW, s.lib = DP_ILIB_HTTPX, s.kw = "verify";
    } else if (!strcmp(cls, "aiohttp.ClientSession") && in_list(aio_methods, m)) {
        s.kind = INJ_CALL_KW, s.lib = DP_ILIB_AIOHTTP, s.kw = "ssl";
    } else if (!strncmp(cls, "urllib3.", 8) && in_list(u3_methods, m)) {
        s.kind = INJ_CTOR_KW, s.lib = DP_ILIB_URLLIB3, s.kw = "cert_reqs";
    } else {
        return;
    }
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "%s.%s", cls, m);
    s.target = dp_arena_strndup(w->st->a, b.p, b.n);
    dp_sbuf_free(&b);
    add_site(w->st, &s);
}

static void call_visit(struct dp_py_node *n, void *ud)
{
    struct walk *w = ud;
    if (n->kind == DP_PY_Call) {
        const struct inj_fn *f = find_fn(qualname(w->st, n->v.Call.func));
        if (f) {
            struct inj_site s = {.call = n, .kind = f->kind, .lib = f->lib, .target = f->canon, .kw = f->kw};
            add_site(w->st, &s);
        } else if (n->v.Call.func->kind == DP_PY_Attribute) {
            method_site(w, n);
        }
    }
    bool scope = is_scope(n) && w->nscopes < 64;
    if (scope) w->scopes[w->nscopes++] = n;
    dp_py_node_children(n, call_visit, w);
    if (scope) w->nscopes--;
}

static int site_cmp(const void *x, const void *y)
{
    const struct dp_py_node *a = ((const struct inj_site *)x)->call, *b = ((const struct inj_site *)y)->call;
    if (a->lineno != b->lineno) return a->lineno < b->lineno ? -1 : 1;
    return a->col_offset < b->col_offset ? -1 : a->col_offset > b->col_offset;
}

int inj_load(struct inj *st, struct dp_arena *a, const char *src, size_t n, struct dp_error *e)
{
    memset(st, 0, sizeof *st);
    st->a = a;
    dp_map_init(&st->alias);
    dp_map_init(&st->objs);
    dp_map_init(&st->names);
    char *text = normalise(a, src, n, &st->n);
    st->src = text;
    line_starts(st);
    struct dp_py_parse_opts po = {.feature_version = 311};
    int rc = dp_py_parse(a, st->src, st->n, "<answer>", &po, &st->module, e);
    if (rc) return rc;
    struct dp_py_lexer_out lx;
    rc = dp_py_lex(a, st->src, st->n, "<answer>", 311, &lx, e);
    if (rc) return rc;
    /* A coding cookie can make the tokenizer's text differ from the bytes we edit. */
    if (lx.len < st->n || memcmp(lx.src, st->src, st->n))
        return dp_error_set(e, DP_EFORMAT, "<answer>", 0, 0, "the source needs decoding (coding cookie)");
    st->toks = lx.toks;
    st->ntoks = lx.n;
    collect_names(st->module, st);
    collect_imports(st->module, st);
    find_anchor(st);
    struct walk w = {.st = st};
    bind_visit(st->module, &w);
    w.nscopes = 0;
    call_visit(st->module, &w);
    if (st->nsites > 1) qsort(st->sites, (size_t)st->nsites, sizeof *st->sites, site_cmp);
    return 0;
}

void inj_free(struct inj *st)
{
    dp_map_free(&st->alias);
    dp_map_free(&st->objs);
    dp_map_free(&st->names);
    free(st->sites);
    free(st->ed.v);
    memset(st, 0, sizeof *st);
}
