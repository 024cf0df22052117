/* Expression evaluation for the TLS analysis: every expression is visited once, in Python's
 * order, and mapped to an abstract value. Constants fold the way evasive code relies on
 * (not True, 0 * 1, 'a' == 'b', x if c else False); attributes resolve through library names,
 * objects and local classes. Calls are handed to tls_call.c. */
#include "scan/tls/tls_int.h"
#include <string.h>

/* ---- objects --------------------------------------------------------------------------------- */

struct tls_obj *tls_obj_at(struct tls_state *st, const struct dp_py_node *site, const char *type)
{
    void **p = dp_map_get(&st->objsite, (const char *)&site, sizeof site);
    if (p) return *p;
    struct tls_obj *o = dp_arena_alloc(&st->a, sizeof *o);
    o->type = type;
    o->site = site;
    o->ev = st->stmt ? tls_ev_push(st, NULL, st->stmt) : NULL;
    o->next_all = st->objs;
    st->objs = o;
    const struct dp_py_node **key = dp_arena_alloc(&st->a, sizeof *key);
    *key = site;
    dp_map_put(&st->objsite, (const char *)key, sizeof *key, o);
    return o;
}

const struct tls_val *tls_obj_val(struct tls_state *st, struct tls_obj *o)
{
    struct tls_val *v = tls_val_new(st, TV_OBJ);
    v->obj = o;
    v->ev = o->ev;
    return v;
}

static struct tls_attr *find_attr(const struct tls_obj *o, const char *name)
{
    for (struct tls_attr *a = o->attrs; a; a = a->next)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}

const struct tls_val *tls_obj_getattr(const struct tls_obj *o, const char *name)
{
    for (int guard = 0; o && guard < 16; guard++) {
        const struct tls_attr *a = find_attr(o, name);
        if (a) return a->v_out ? a->v_out : a->v_in;
        /* an instance also has what its local base classes' methods stored */
        o = o->cls && o->cls->base_cls ? o->cls->base_cls->inst : NULL;
    }
    return NULL;
}

bool tls_in_own_method(const struct tls_state *st, const struct tls_obj *o)
{
    if (!o->cls) return true;
    for (const struct tls_scope *s = st->cur; s; s = s->parent)
        if (s->kind == TS_FUNC) {
            for (const struct tls_class *c = s->fn ? s->fn->cls : NULL; c; c = c->base_cls)
                if (c == o->cls) return true;
            return false;
        }
    return false;
}

void tls_obj_setattr(struct tls_state *st, struct tls_obj *o, const char *name, const struct tls_val *v)
{
    struct tls_attr *a = find_attr(o, name);
    if (!a) {
        a = dp_arena_alloc(&st->a, sizeof *a);
        a->name = name;
        a->next = o->attrs;
        o->attrs = a;
    }
    /* attributes are flow-insensitive: a store joins with what was stored before */
    if (tls_in_own_method(st, o)) a->v_in = tls_join(st, a->v_in, v);
    else a->v_out = tls_join(st, a->v_out, v);
}

static const struct tls_val *class_attr(struct tls_class *c, const char *name)
{
    for (int guard = 0; c && guard < 16; c = c->base_cls, guard++) {
        const struct tls_val *v = tls_scope_get(c->scope, name);
        if (v) return v;
    }
    return NULL;
}

/* ---- attributes ------------------------------------------------------------------------------ */

static const struct tls_val *uattr(struct tls_state *st, const char *attr,
                                   const struct dp_py_node *recv, const struct tls_ev *ev)
{
    struct tls_val *u = tls_val_new(st, TV_UATTR);
    u->s = attr;
    u->recv = recv;   /* its text is made (call_uattr) only if a check needs it */
    u->ev = ev;
    return u;
}

static const struct tls_val *attr1(struct tls_state *st, const struct tls_val *b, const char *attr,
                                   const struct dp_py_node *recv)
{
    switch (b->kind) {
    case TV_QNAME: {
        if (!strncmp(b->s, "builtins.", 9)) return uattr(st, attr, recv, b->ev);
        const char *qn = tls_canon(st, tls_strcat(st, b->s, ".", attr));
        struct tls_val *v = tls_val_copy(st, tls_qname(st, qn));
        v->ev = b->ev;
        return v;
    }
    case TV_OBJ: {
        struct tls_obj *o = b->obj;
        const struct tls_val *a = tls_obj_getattr(o, attr);
        if (a) return a;
        a = o->cls ? class_attr(o->cls, attr) : NULL;
        if (a && a->kind == TV_FUNC) {
            struct tls_val *m = tls_val_copy(st, a);
            m->obj = o;
            m->ev = b->ev;
            return m;
        }
        if (a) return a;
        if (!o->type) return uattr(st, attr, recv, b->ev);
        struct tls_val *v = tls_val_copy(st, tls_qname(st, tls_canon(st, tls_strcat(st, o->type, ".", attr))));
        if (v->kind == TV_QNAME) v->obj = o;
        v->ev = b->ev;
        return v;
    }
    case TV_CLASS: {
        const struct tls_val *a = class_attr(b->cls, attr);
        return a ? a : tls_unknown();
    }
    case TV_CONST:
        if (b->ck == TC_NONE) return NULL;   /* None.x raises: that path goes no further */
        return uattr(st, attr, recv, b->ev);
    default:
        /* x.CERT_NONE, x.PROTOCOL_TLS_CLIENT: ssl's names, whatever x turned out to be */
        if (!strncmp(attr, "CERT_", 5) || !strncmp(attr, "PROTOCOL_", 9)) {
            const struct tls_val *k = tls_qname(st, tls_strcat(st, "ssl.", attr, NULL));
            if (k->kind == TV_CONST) return k;
        }
        return uattr(st, attr, recv, b->kind == TV_UNKNOWN ? NULL : b->ev);
    }
}

const struct tls_val *tls_attr(struct tls_state *st, const struct tls_val *base, const char *attr,
                               const struct dp_py_node *recv)
{
    const struct tls_val *const *xs, *one, *r = NULL;
    int n = tls_alts(base, &xs, &one);
    for (int i = 0; i < n; i++) r = tls_join(st, r, attr1(st, xs[i], attr, recv));
    return r ? r : tls_unknown();
}

/* ---- operators ------------------------------------------------------------------------------- */

static bool is_num(const struct tls_val *v)
{
    return v->kind == TV_CONST && (v->ck == TC_BOOL || v->ck == TC_INT);
}

static const struct tls_val *unary1(struct tls_state *st, int op, const struct tls_val *v)
{
    if (op == DP_PY_NOT) {
        int t = tls_truth(v);
        return t < 0 ? tls_unknown() : tls_const_bool(st, !t);
    }
    if (!is_num(v) || (op == DP_PY_USUB && v->i == INT64_MIN)) return tls_unknown();
    int64_t i = v->i;
    return tls_const_int(st, op == DP_PY_USUB ? -i : op == DP_PY_INVERT ? ~i : i, NULL);
}

/* Applies a one-argument transfer function to every alternative. */
static const struct tls_val *map1(struct tls_state *st, const struct tls_val *v, int op,
                                  const struct tls_val *(*fn)(struct tls_state *, int,
                                                              const struct tls_val *))
{
    const struct tls_val *const *xs, *one, *r = NULL;
    int n = tls_alts(v, &xs, &one);
    for (int i = 0; i < n; i++) {
        const struct tls_val *x = fn(st, op, xs[i]);
        if (x->kind != TV_UNKNOWN && xs[i]->ev) {
            struct tls_val *c = tls_val_copy(st, x);
            c->ev = xs[i]->ev;
            x = c;
        }
        r = tls_join(st, r, x);
    }
    return r;
}

static const struct tls_val *binop(struct tls_state *st, int op, const struct tls_val *a,
                                   const struct tls_val *b)
{
    if (is_num(a) && is_num(b)) {
        int64_t x = a->i, y = b->i, r;
        bool ovf;
        switch (op) {   /* an overflow leaves the int64 range: not a value we track */
        case DP_PY_ADD: ovf = __builtin_add_overflow(x, y, &r); break;
        case DP_PY_SUB: ovf = __builtin_sub_overflow(x, y, &r); break;
        case DP_PY_MULT: ovf = __builtin_mul_overflow(x, y, &r); break;
        case DP_PY_BITAND: r = x & y, ovf = false; break;
        case DP_PY_BITOR: r = x | y, ovf = false; break;
        case DP_PY_BITXOR: r = x ^ y, ovf = false; break;
        case DP_PY_FLOORDIV: case DP_PY_MOD:
            if (y == 0 || (x == INT64_MIN && y == -1)) return tls_unknown();
            r = x % y;
            if (r != 0 && (r < 0) != (y < 0)) r += y;   /* Python's modulo takes the divisor's sign */
            ovf = false;
            if (op == DP_PY_FLOORDIV) {
                ovf = __builtin_sub_overflow(x, r, &r);
                r /= y;
            }
            break;
        default: return tls_unknown();
        }
        return ovf ? tls_unknown() : tls_const_int(st, r, NULL);
    }
    if (a->kind == TV_CONST && b->kind == TV_CONST && a->ck == TC_STR && b->ck == TC_STR &&
        op == DP_PY_ADD)
        return tls_const_str(st, tls_strcat(st, a->s, b->s, NULL));
    if (op == DP_PY_BITOR && a->kind == TV_DICT && b->kind == TV_DICT) {
        const struct tls_val *d = a;
        for (int i = 0; i < b->dict->n; i++) d = tls_dict_set(st, d, b->dict->keys[i], b->dict->vals[i]);
        return d;
    }
    return tls_unknown();
}

static int cmp_consts(int op, const struct tls_val *a, const struct tls_val *b)
{
    if (a->kind != TV_CONST || b->kind != TV_CONST) return -1;
    int c;
    if (is_num(a) && is_num(b)) c = a->i < b->i ? -1 : a->i > b->i;
    else if (a->ck == TC_STR && b->ck == TC_STR) c = strcmp(a->s, b->s);
    else if (a->ck == TC_NONE || b->ck == TC_NONE) c = a->ck == b->ck ? 0 : 2;
    else return -1;
    switch (op) {
    case DP_PY_EQ: case DP_PY_IS: return c == 0;
    case DP_PY_NOTEQ: case DP_PY_ISNOT: return c != 0;
    case DP_PY_LT: return c != 2 && c < 0;
    case DP_PY_LTE: return c != 2 && c <= 0;
    case DP_PY_GT: return c != 2 && c > 0;
    case DP_PY_GTE: return c != 2 && c >= 0;
    default: return -1;
    }
}

static const struct tls_val *compare(struct tls_state *st, const struct dp_py_node *e)
{
    const struct tls_val *left = tls_eval(st, e->v.Compare.left);
    int result = 1;
    for (int i = 0; i < e->v.Compare.comparators.n; i++) {
        const struct tls_val *right = tls_eval(st, e->v.Compare.comparators.items[i]);
        int c = cmp_consts(e->v.Compare.ops.items[i], left, right);
        if (c < 0) result = -1;
        else if (c == 0 && result == 1) result = 0;
        left = right;
    }
    return result < 0 ? tls_unknown() : tls_const_bool(st, result);
}

static const struct tls_val *boolop(struct tls_state *st, const struct dp_py_node *e)
{
    const struct dp_py_list *l = &e->v.BoolOp.values;
    const struct tls_val *r = NULL;
    bool decided = false;
    for (int i = 0; i < l->n; i++) {
        const struct tls_val *v = tls_eval(st, l->items[i]);
        if (decided) continue;
        if (!r) { r = v; continue; }
        int t = tls_truth(r);
        bool stop = e->v.BoolOp.op == DP_PY_AND ? t == 0 : t == 1;
        bool next = e->v.BoolOp.op == DP_PY_AND ? t == 1 : t == 0;
        if (stop) decided = true;
        else if (next) r = v;
        else r = tls_join(st, r, v);
    }
    return r ? r : tls_unknown();
}

/* A dict display: entries appended in order (a repeated key's last entry wins on lookup). */
static const struct tls_val *dict_display(struct tls_state *st, const struct dp_py_node *e)
{
    struct tls_dict *d = dp_arena_alloc(&st->a, sizeof *d);
    int cap = e->v.Dict.values.n + 1;
    d->keys = dp_arena_alloc(&st->a, (size_t)cap * sizeof *d->keys);
    d->vals = dp_arena_alloc(&st->a, (size_t)cap * sizeof *d->vals);
    for (int i = 0; i < e->v.Dict.values.n; i++) {
        const struct dp_py_node *kn = e->v.Dict.keys.items[i];
        const struct tls_val *k = kn ? tls_eval(st, kn) : NULL;
        const struct tls_val *v = tls_eval(st, e->v.Dict.values.items[i]);
        if (!kn && v->kind == TV_DICT && v->dict->n) {   /* {**other}: splice its entries */
            cap += v->dict->n;
            const char **nk = dp_arena_alloc(&st->a, (size_t)cap * sizeof *nk);
            const struct tls_val **nv = dp_arena_alloc(&st->a, (size_t)cap * sizeof *nv);
            memcpy(nk, d->keys, (size_t)d->n * sizeof *nk);
            memcpy(nv, d->vals, (size_t)d->n * sizeof *nv);
            memcpy(nk + d->n, v->dict->keys, (size_t)v->dict->n * sizeof *nk);
            memcpy(nv + d->n, v->dict->vals, (size_t)v->dict->n * sizeof *nv);
            d->keys = nk, d->vals = nv, d->n += v->dict->n;
        }
        if (!kn) {
            if (v->kind != TV_DICT || v->dict->open) d->open = true;
            continue;
        }
        if (k->kind != TV_CONST || k->ck != TC_STR) {
            d->open = true;
            continue;
        }
        if (v->kind != TV_UNKNOWN && !v->node) {
            struct tls_val *c = tls_val_copy(st, v);
            c->node = e->v.Dict.values.items[i];
            v = c;
        }
        d->keys[d->n] = k->s;
        d->vals[d->n++] = v;
    }
    struct tls_val *r = tls_val_new(st, TV_DICT);
    r->dict = d;
    r->node = e;
    return r;
}

static const struct tls_val *joined_str(struct tls_state *st, const struct dp_py_node *e)
{
    const char *acc = "";
    bool known = true;
    for (int i = 0; i < e->v.JoinedStr.values.n; i++) {
        const struct tls_val *v = tls_eval(st, e->v.JoinedStr.values.items[i]);
        if (v->kind == TV_CONST && v->ck == TC_STR) acc = tls_strcat(st, acc, v->s, NULL);
        else known = false;
    }
    return known ? tls_const_str(st, acc) : tls_unknown();
}

/* ---- comprehensions and the generic walk ----------------------------------------------------- */

static void bind_unknown_targets(struct tls_state *st, const struct dp_py_node *t)
{
    if (t->kind == DP_PY_Name) tls_bind(st, t->v.Name.id, tls_unknown());
    else if (t->kind == DP_PY_Starred) bind_unknown_targets(st, t->v.Starred.value);
    else if (t->kind == DP_PY_Tuple || t->kind == DP_PY_List) {
        const struct dp_py_list *l = t->kind == DP_PY_Tuple ? &t->v.Tuple.elts : &t->v.List.elts;
        for (int i = 0; i < l->n; i++) bind_unknown_targets(st, l->items[i]);
    } else {
        tls_eval(st, t);
    }
}

static const struct tls_val *comprehension(struct tls_state *st, const struct dp_py_node *e,
                                           const struct dp_py_list *gens,
                                           const struct dp_py_node *elt,
                                           const struct dp_py_node *elt2)
{
    struct tls_scope *saved = st->cur;
    struct tls_scope *s = tls_scope_new(st, TS_COMP, saved);
    for (int i = 0; i < gens->n; i++) {
        const struct dp_py_node *g = gens->items[i];
        tls_eval(st, g->v.comprehension.iter);   /* the first one runs in the enclosing scope */
        st->cur = s;
        bind_unknown_targets(st, g->v.comprehension.target);
        for (int j = 0; j < g->v.comprehension.ifs.n; j++) tls_eval(st, g->v.comprehension.ifs.items[j]);
    }
    st->cur = s;
    tls_eval(st, elt);
    if (elt2) tls_eval(st, elt2);
    st->cur = saved;
    (void)e;
    return tls_unknown();
}

static void eval_child(struct dp_py_node *c, void *ud) { tls_eval(ud, c); }

static const struct tls_val *seq(struct tls_state *st, const struct dp_py_list *l)
{
    bool star = false;
    const struct tls_val **elts = dp_arena_alloc(&st->a, (size_t)(l->n + 1) * sizeof *elts);
    for (int i = 0; i < l->n; i++) {
        elts[i] = tls_eval(st, l->items[i]);
        star |= l->items[i]->kind == DP_PY_Starred;
    }
    struct tls_val *v = tls_val_new(st, TV_CONST);
    v->ck = star ? TC_OTHER : TC_SEQ;
    v->i = star ? -1 : l->n;
    if (!star) v->alts = elts, v->nalts = l->n;
    return v;
}

/* A lambda: its defaults run now, its body later (like a def). */
static const struct tls_val *lambda_value(struct tls_state *st, const struct dp_py_node *e)
{
    struct tls_func *fn = dp_arena_alloc(&st->a, sizeof *fn);
    fn->def = e;
    struct tls_scope *p = st->cur;
    while (p->kind == TS_CLASS || p->kind == TS_COMP) p = p->parent;
    fn->parent = p;
    const struct dp_py_node *a = e->v.Lambda.args;
    for (int i = 0; i < a->v.arguments.defaults.n; i++) tls_eval(st, a->v.arguments.defaults.items[i]);
    for (int i = 0; i < a->v.arguments.kw_defaults.n; i++)
        if (a->v.arguments.kw_defaults.items[i]) tls_eval(st, a->v.arguments.kw_defaults.items[i]);
    tls_defer(st, fn);
    struct tls_val *v = tls_val_new(st, TV_FUNC);
    v->fn = fn;
    return v;
}

static const struct tls_val *eval_kind(struct tls_state *st, const struct dp_py_node *e)
{
    switch (e->kind) {
    case DP_PY_Constant: return tls_from_const(st, e);
    case DP_PY_Name: return tls_lookup(st, e->v.Name.id);
    case DP_PY_Attribute:
        return tls_attr(st, tls_eval(st, e->v.Attribute.value), e->v.Attribute.attr, e->v.Attribute.value);
    case DP_PY_Call: return tls_call(st, e);
    case DP_PY_UnaryOp: return map1(st, tls_eval(st, e->v.UnaryOp.operand), e->v.UnaryOp.op, unary1);
    case DP_PY_BinOp: {
        const struct tls_val *a = tls_eval(st, e->v.BinOp.left), *b = tls_eval(st, e->v.BinOp.right);
        return binop(st, e->v.BinOp.op, a, b);
    }
    case DP_PY_BoolOp: return boolop(st, e);
    case DP_PY_Compare: return compare(st, e);
    case DP_PY_IfExp: {
        int t = tls_truth(tls_eval(st, e->v.IfExp.test));
        const struct tls_val *a = tls_eval(st, e->v.IfExp.body), *b = tls_eval(st, e->v.IfExp.orelse);
        return t == 1 ? a : t == 0 ? b : tls_join(st, a, b);
    }
    case DP_PY_Dict: return dict_display(st, e);
    case DP_PY_JoinedStr: return joined_str(st, e);
    case DP_PY_List: return seq(st, &e->v.List.elts);
    case DP_PY_Tuple: return seq(st, &e->v.Tuple.elts);
    case DP_PY_Set: return seq(st, &e->v.Set.elts);
    case DP_PY_Starred: return tls_eval(st, e->v.Starred.value);
    case DP_PY_Subscript: {
        const struct tls_val *b = tls_eval(st, e->v.Subscript.value);
        const struct tls_val *k = tls_eval(st, e->v.Subscript.slice);
        const struct tls_val *r = k->kind == TV_CONST && k->ck == TC_STR ? tls_dict_get(b, k->s) : NULL;
        if (k->kind == TV_CONST && (k->ck == TC_INT || k->ck == TC_BOOL) && b->kind == TV_CONST &&
            b->ck == TC_SEQ && b->alts) {   /* [False][0], (True, False)[-1] */
            int64_t i = k->i < 0 ? k->i + b->nalts : k->i;
            if (i >= 0 && i < b->nalts) r = b->alts[i];
        }
        return r ? r : tls_unknown();
    }
    case DP_PY_NamedExpr: {
        const struct tls_val *v = tls_eval(st, e->v.NamedExpr.value);
        struct tls_scope *saved = st->cur;
        while (st->cur->kind == TS_COMP && st->cur->parent) st->cur = st->cur->parent;
        if (e->v.NamedExpr.target->kind == DP_PY_Name)
            tls_bind(st, e->v.NamedExpr.target->v.Name.id, tls_with_ev(st, v, e));
        st->cur = saved;
        return v;
    }
    case DP_PY_Lambda: return lambda_value(st, e);
    case DP_PY_ListComp: return comprehension(st, e, &e->v.ListComp.generators, e->v.ListComp.elt, NULL);
    case DP_PY_SetComp: return comprehension(st, e, &e->v.SetComp.generators, e->v.SetComp.elt, NULL);
    case DP_PY_GeneratorExp:
        return comprehension(st, e, &e->v.GeneratorExp.generators, e->v.GeneratorExp.elt, NULL);
    case DP_PY_DictComp:
        return comprehension(st, e, &e->v.DictComp.generators, e->v.DictComp.key, e->v.DictComp.value);
    default:
        dp_py_node_children((struct dp_py_node *)e, eval_child, st);
        return tls_unknown();
    }
}

const struct tls_val *tls_eval(struct tls_state *st, const struct dp_py_node *e)
{
    if (!e) return tls_unknown();
    if (st->depth > 300) return tls_unknown();
    st->depth++;
    const struct tls_val *v = eval_kind(st, e);
    st->depth--;
    return v;
}
