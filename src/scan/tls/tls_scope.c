/* Scopes and name resolution for the TLS analysis, following Python's rules: a function's
 * locals are every name it binds anywhere in its body (so a parameter called `requests` hides
 * the module), global/nonlocal declarations, class bodies invisible to their methods, imports
 * with aliases, and star imports of known libraries. Bindings are flow-sensitive maps that the
 * statement walker copies and joins at branches. */
#include "scan/tls/tls_int.h"
#include "base/arena.h"
#include <stdlib.h>
#include <string.h>

static const struct tls_val *env_val(const struct tls_env *e, const struct tls_key *k)
{
    const void **p = tls_env_find(e, k);
    return p ? *p : NULL;
}

struct tls_scope *tls_scope_new(struct tls_state *st, enum tls_sk kind, struct tls_scope *parent)
{
    struct tls_scope *s = dp_arena_alloc(&st->a, sizeof *s);
    s->kind = (uint8_t)kind;
    s->parent = parent;
    s->env = tls_env_new(st);
    return s;
}

/* ---- local names of a function --------------------------------------------------------------- */

/* What a def binds: a pure function of the def node, so both passes share it. */
struct tls_locals { struct tls_env *locals, *globals; };

struct collect { struct tls_state *st; struct tls_locals *l; };

static void add_local(struct collect *c, const char *name)
{
    if (!name) return;
    if (!c->l->locals) c->l->locals = tls_env_new(c->st);
    struct tls_key k = tls_key_of(name);
    tls_env_put(c->st, c->l->locals, &k, (void *)1);
}

static void add_decl(struct collect *c, const struct dp_py_idlist *ids, uintptr_t what)
{
    if (!c->l->globals) c->l->globals = tls_env_new(c->st);
    for (int i = 0; i < ids->n; i++) {
        struct tls_key k = tls_key_of(ids->items[i]);
        tls_env_put(c->st, c->l->globals, &k, (void *)what);
    }
}

static void collect_node(struct dp_py_node *n, void *ud)
{
    struct collect *c = ud;
    switch (n->kind) {
    case DP_PY_FunctionDef: add_local(c, n->v.FunctionDef.name); return;
    case DP_PY_AsyncFunctionDef: add_local(c, n->v.AsyncFunctionDef.name); return;
    case DP_PY_ClassDef: add_local(c, n->v.ClassDef.name); return;
    case DP_PY_Lambda: case DP_PY_ListComp: case DP_PY_SetComp: case DP_PY_DictComp:
    case DP_PY_GeneratorExp:
        return;
    case DP_PY_Name:
        if (n->v.Name.ctx != DP_PY_CTX_LOAD) add_local(c, n->v.Name.id);
        return;
    case DP_PY_Constant:
        return;
    case DP_PY_Global: add_decl(c, &n->v.Global.names, 1); return;
    case DP_PY_Nonlocal: add_decl(c, &n->v.Nonlocal.names, 2); return;
    case DP_PY_alias: {
        const char *as = n->v.alias.asname, *nm = n->v.alias.name;
        if (as) add_local(c, as);
        else if (strcmp(nm, "*") != 0) {
            const char *dot = strchr(nm, '.');
            add_local(c, dot ? dp_arena_strndup(&c->st->a, nm, (size_t)(dot - nm)) : nm);
        }
        return;
    }
    case DP_PY_ExceptHandler: add_local(c, n->v.ExceptHandler.name); break;
    case DP_PY_MatchAs: add_local(c, n->v.MatchAs.name); break;
    case DP_PY_MatchStar: add_local(c, n->v.MatchStar.name); break;
    case DP_PY_MatchMapping: add_local(c, n->v.MatchMapping.rest); break;
    default: break;
    }
    dp_py_node_children(n, collect_node, c);
}

static void add_params(struct collect *c, const struct dp_py_node *args)
{
    const struct dp_py_list *ls[3] = {&args->v.arguments.posonlyargs, &args->v.arguments.args,
                                      &args->v.arguments.kwonlyargs};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < ls[k]->n; i++) add_local(c, ls[k]->items[i]->v.arg.arg);
    if (args->v.arguments.vararg) add_local(c, args->v.arguments.vararg->v.arg.arg);
    if (args->v.arguments.kwarg) add_local(c, args->v.arguments.kwarg->v.arg.arg);
}

static void collect_locals(struct tls_state *st, struct tls_locals *l, const struct dp_py_node *def)
{
    struct collect c = {st, l};
    if (def->kind == DP_PY_Lambda) {
        add_params(&c, def->v.Lambda.args);
        return;
    }
    const struct dp_py_node *args = def->kind == DP_PY_FunctionDef ? def->v.FunctionDef.args
                                                                   : def->v.AsyncFunctionDef.args;
    const struct dp_py_list *body = def->kind == DP_PY_FunctionDef ? &def->v.FunctionDef.body
                                                                   : &def->v.AsyncFunctionDef.body;
    add_params(&c, args);
    for (int i = 0; i < body->n; i++) collect_node(body->items[i], &c);
}

void tls_scope_collect_locals(struct tls_state *st, struct tls_scope *s, const struct dp_py_node *def)
{
    void **p = dp_map_get(&st->deflocals, (const char *)&def, sizeof def);
    struct tls_locals *l = p ? *p : NULL;
    if (!l) {
        l = dp_arena_alloc(&st->a, sizeof *l);
        collect_locals(st, l, def);
        const struct dp_py_node **key = dp_arena_alloc(&st->a, sizeof *key);
        *key = def;
        dp_map_put(&st->deflocals, (const char *)key, sizeof *key, l);
    }
    s->locals = l->locals;
    s->globals = l->globals;
}

/* ---- lookup and binding ---------------------------------------------------------------------- */

static const struct tls_val *builtin(struct tls_state *st, const char *name)
{
    static const char *const known[] = {"bool", "int", "str", "float", "dict", "getattr", "setattr",
                                        "super", "Warning", "list", "tuple", "set", "bytes", "eval",
                                        "__import__"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i][0] == name[0] && !strcmp(known[i], name))
            return tls_qname(st, tls_strcat(st, "builtins.", name, NULL));
    return tls_unknown();
}

static const struct tls_val *module_lookup(struct tls_state *st, const struct tls_key *k)
{
    struct tls_scope *m = st->module;
    const struct tls_val *v = env_val(m->env, k);
    if (v) return v;
    const char *name = k->s;
    for (int i = m->nstars - 1; i >= 0; i--)
        if (m->star_known[i] && tls_tables_knows(m->stars[i], name)) {
            const char *qn = tls_canon(st, tls_strcat(st, m->stars[i], ".", name));
            struct tls_val *q = tls_val_copy(st, tls_qname(st, qn));
            q->ev = m->star_ev[i];
            return q;
        }
    return builtin(st, name);
}

static uintptr_t decl_of(const struct tls_scope *s, const struct tls_key *k)
{
    const void **p = s->globals ? tls_env_find(s->globals, k) : NULL;
    return p ? (uintptr_t)*p : 0;
}

/* The scope whose binding of name a lookup from cur finds (NULL: module fallbacks). */
static struct tls_scope *owner(struct tls_state *st, const struct tls_key *k, bool *unbound_local)
{
    *unbound_local = false;
    for (struct tls_scope *s = st->cur; s; s = s->parent) {
        if (s->kind == TS_MODULE) return s;
        if (s->kind == TS_CLASS && s != st->cur) continue;
        if (s->kind == TS_FUNC) {
            uintptr_t d = decl_of(s, k);
            if (d == 1) return st->module;
            if (d == 2) continue;
        }
        if (env_val(s->env, k)) return s;
        if (s->kind == TS_FUNC && s->locals && tls_env_find(s->locals, k)) {
            *unbound_local = true;
            return s;
        }
    }
    return st->module;
}

const struct tls_val *tls_lookup(struct tls_state *st, const char *name)
{
    bool unbound;
    struct tls_key k = tls_key_of(name);
    struct tls_scope *s = owner(st, &k, &unbound);
    if (unbound) return tls_unknown();
    if (s->kind == TS_MODULE) return module_lookup(st, &k);
    return env_val(s->env, &k);
}

void tls_bind(struct tls_state *st, const char *name, const struct tls_val *v)
{
    struct tls_scope *s = st->cur;
    struct tls_key k = tls_key_of(name);
    uintptr_t d = s->kind == TS_FUNC ? decl_of(s, &k) : 0;
    if (d) {
        bool unbound;
        struct tls_scope *o = d == 1 ? st->module : owner(st, &k, &unbound);
        /* the order of a function's run against the module's is unknown: keep both */
        tls_env_put(st, o->env, &k, tls_join(st, env_val(o->env, &k), v));
        return;
    }
    tls_env_put(st, s->env, &k, v);
}

void tls_rebind(struct tls_state *st, const char *name, const struct tls_val *v)
{
    bool unbound;
    struct tls_key k = tls_key_of(name);
    struct tls_scope *s = owner(st, &k, &unbound);
    tls_env_put(st, s->env, &k, v);
}

const struct tls_val *tls_scope_get(const struct tls_scope *s, const char *name)
{
    struct tls_key k = tls_key_of(name);
    return env_val(s->env, &k);
}

/* ---- imports --------------------------------------------------------------------------------- */

static void add_star(struct tls_state *st, const char *mod, const struct dp_py_node *stmt)
{
    struct tls_scope *m = st->module;
    const char **stars = dp_arena_alloc(&st->a, (size_t)(m->nstars + 1) * sizeof *stars);
    const struct tls_ev **evs = dp_arena_alloc(&st->a, (size_t)(m->nstars + 1) * sizeof *evs);
    if (m->nstars) {
        memcpy(stars, m->stars, (size_t)m->nstars * sizeof *stars);
        memcpy(evs, m->star_ev, (size_t)m->nstars * sizeof *evs);
    }
    bool *known = dp_arena_alloc(&st->a, (size_t)(m->nstars + 1) * sizeof *known);
    if (m->nstars) {
        memcpy(known, m->star_known, (size_t)m->nstars * sizeof *known);
    }
    stars[m->nstars] = mod;
    evs[m->nstars] = tls_ev_push(st, NULL, stmt);
    known[m->nstars] = tls_tables_knows_module(mod);
    m->stars = stars;
    m->star_ev = evs;
    m->star_known = known;
    m->nstars++;
}

void tls_import(struct tls_state *st, const struct dp_py_node *stmt)
{
    if (stmt->kind == DP_PY_Import) {
        const struct dp_py_list *l = &stmt->v.Import.names;
        for (int i = 0; i < l->n; i++) {
            const struct dp_py_node *al = l->items[i];
            const char *nm = al->v.alias.name, *as = al->v.alias.asname;
            if (as) {
                tls_bind(st, as, tls_with_ev(st, tls_qname(st, tls_canon(st, nm)), stmt));
            } else {
                const char *dot = strchr(nm, '.');
                const char *first = dot ? dp_arena_strndup(&st->a, nm, (size_t)(dot - nm)) : nm;
                tls_bind(st, first, tls_qname(st, tls_canon(st, first)));
            }
        }
        return;
    }
    const char *mod = stmt->v.ImportFrom.module;
    const struct dp_py_list *l = &stmt->v.ImportFrom.names;
    for (int i = 0; i < l->n; i++) {
        const struct dp_py_node *al = l->items[i];
        const char *nm = al->v.alias.name, *as = al->v.alias.asname;
        if (!strcmp(nm, "*")) {
            if (mod && stmt->v.ImportFrom.level == 0) add_star(st, tls_canon(st, mod), stmt);
            continue;
        }
        const char *bound = as ? as : nm;
        if (!mod || stmt->v.ImportFrom.level > 0) {
            tls_bind(st, bound, tls_unknown());
            continue;
        }
        const struct tls_val *v = tls_qname(st, tls_canon(st, tls_strcat(st, mod, ".", nm)));
        tls_bind(st, bound, as ? tls_with_ev(st, v, stmt) : v);
    }
}
