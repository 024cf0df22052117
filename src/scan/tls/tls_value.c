/* The TLS analysis's abstract values: constructors, truthiness as Python defines it, may-be
 * joins, dicts with known keys, and the evidence chains (source snippets with their lines) that
 * values carry from where they were bound to where a finding is reported. */
#include "scan/tls/tls_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "base/str.h"

const struct tls_val *tls_unknown(void)
{
    static const struct tls_val unknown = {.kind = TV_UNKNOWN};
    return &unknown;
}

struct tls_val *tls_val_new(struct tls_state *st, enum tls_vk kind)
{
    struct tls_val *v = dp_arena_alloc_raw(&st->a, sizeof *v);
    *v = (struct tls_val){.kind = (uint8_t)kind};
    return v;
}

struct tls_val *tls_val_copy(struct tls_state *st, const struct tls_val *v)
{
    struct tls_val *c = dp_arena_alloc_raw(&st->a, sizeof *c);
    *c = *v;
    return c;
}

const struct tls_val *tls_const_bool(struct tls_state *st, bool b)
{
    struct tls_val *v = tls_val_new(st, TV_CONST);
    v->ck = TC_BOOL;
    v->i = b;
    return v;
}

const struct tls_val *tls_const_int(struct tls_state *st, int64_t i, const char *name)
{
    struct tls_val *v = tls_val_new(st, TV_CONST);
    v->ck = TC_INT;
    v->i = i;
    v->name = name;
    return v;
}

const struct tls_val *tls_const_str(struct tls_state *st, const char *s)
{
    struct tls_val *v = tls_val_new(st, TV_CONST);
    v->ck = TC_STR;
    v->s = s;
    return v;
}

const struct tls_val *tls_qname(struct tls_state *st, const char *qn)
{
    int64_t k;
    if ((!strncmp(qn, "ssl.", 4) || !strncmp(qn, "pycurl.", 7)) && tls_const_lookup(qn, &k))
        return tls_const_int(st, k, qn);
    struct tls_val *v = tls_val_new(st, TV_QNAME);
    v->s = qn;
    return v;
}

const struct tls_val *tls_from_const(struct tls_state *st, const struct dp_py_node *c)
{
    const struct dp_py_const *k = &c->v.Constant.value;
    struct tls_val *v = tls_val_new(st, TV_CONST);
    switch (k->kind) {
    case DP_PY_CONST_NONE: v->ck = TC_NONE; break;
    case DP_PY_CONST_TRUE: v->ck = TC_BOOL; v->i = 1; break;
    case DP_PY_CONST_FALSE: v->ck = TC_BOOL; v->i = 0; break;
    case DP_PY_CONST_INT: v->ck = TC_INT; v->i = k->i_fits ? k->i : 1; break;
    case DP_PY_CONST_FLOAT: v->ck = TC_FLOAT; v->i = k->f != 0; break;
    case DP_PY_CONST_STR: v->ck = TC_STR; v->s = k->s ? k->s : ""; break;
    case DP_PY_CONST_BYTES: v->ck = TC_BYTES; v->i = (int64_t)k->n; break;
    case DP_PY_CONST_COMPLEX: v->ck = TC_OTHER; v->i = k->f != 0; break;
    default: v->ck = TC_OTHER; v->i = 1; break;
    }
    return v;
}

/* ---- evidence -------------------------------------------------------------------------------- */

static bool compound(int kind)
{
    switch (kind) {
    case DP_PY_If: case DP_PY_For: case DP_PY_AsyncFor: case DP_PY_While: case DP_PY_With:
    case DP_PY_AsyncWith: case DP_PY_Try: case DP_PY_TryStar: case DP_PY_FunctionDef:
    case DP_PY_AsyncFunctionDef: case DP_PY_ClassDef: case DP_PY_Match:
        return true;
    default:
        return false;
    }
}

/* Appends src[b, e) to out with comments dropped (quote-aware, one line at a time). */
static void put_code(struct dp_sbuf *out, const char *src, size_t b, size_t e)
{
    char q = 0;
    for (size_t i = b; i < e; i++) {
        char c = src[i];
        if (q) {
            if (c == '\\' && i + 1 < e) { dp_sbuf_putc(out, c); c = src[++i]; }
            else if (c == q) q = 0;
        } else if (c == '\'' || c == '"') {
            q = c;
        } else if (c == '#') {
            break;
        }
        dp_sbuf_putc(out, c);
    }
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

const char *tls_snip(struct tls_state *st, const struct dp_py_node *n)
{
    if (!n) return "";
    tls_index_lines(st);
    if (n->lineno < 1 || n->lineno > st->nlines) return "";
    bool header = compound(n->kind), multi = n->end_lineno > n->lineno && !header;
    int last = multi ? (n->end_lineno <= st->nlines ? n->end_lineno : st->nlines) : n->lineno;
    struct dp_sbuf b = {0};
    for (int ln = n->lineno; ln <= last && b.n < 400; ln++) {
        size_t ls = (size_t)st->line_off[ln], le = ls;
        while (le < st->n && st->src[le] != '\n' && st->src[le] != '\r') le++;
        size_t s = ln == n->lineno ? ls + (size_t)(n->col_offset > 0 ? n->col_offset : 0) : ls;
        size_t e = le;
        if (ln == n->end_lineno && !header && ls + (size_t)n->end_col_offset <= le) e = ls + (size_t)n->end_col_offset;
        if (s > e) s = e;
        if (ln > n->lineno) dp_sbuf_putc(&b, ' ');
        put_code(&b, st->src, s, e);
    }
    /* squeeze blanks, and none just inside brackets or before a comma */
    char *p = b.p ? b.p : "";
    size_t k = 0;
    for (size_t i = 0; i < b.n; i++) {
        char c = p[i];
        if (is_space(c)) {
            if (k == 0 || is_space(p[k - 1]) || strchr("([{", p[k - 1])) continue;
            size_t j = i;
            while (j < b.n && is_space(p[j])) j++;
            if (j < b.n && strchr(")]}", p[j]) && k > 0 && p[k - 1] == ',') k--;   /* "x,\n)" */
            if (j == b.n || strchr(")]},", p[j])) { i = j - 1; continue; }
            c = ' ';
        }
        p[k++] = c;
    }
    while (k > 0 && is_space(p[k - 1])) k--;
    if (header && k > 0 && p[k - 1] == ':') k--;
    while (k > 0 && is_space(p[k - 1])) k--;
    bool more = false;
    if (k > 100) {
        k = 100;
        while (k > 0 && ((unsigned char)p[k] & 0xC0) == 0x80) k--;
        more = true;
    }
    k = strnlen(p, k);   /* what "%.*s" would copy */
    char *r = dp_arena_alloc_raw(&st->a, k + (more ? 4 : 0) + 1);
    if (k) memcpy(r, p, k);
    if (more) memcpy(r + k, " ...", 4);
    r[k + (more ? 4 : 0)] = '\0';
    dp_sbuf_free(&b);
    return r;
}

const struct tls_ev *tls_ev_push(struct tls_state *st, const struct tls_ev *ev,
                                 const struct dp_py_node *node)
{
    if (!node) return ev;
    struct tls_ev *x = dp_arena_alloc_raw(&st->a, sizeof *x);
    *x = (struct tls_ev){.next = ev, .line = node->lineno, .node = node};
    return x;
}

const struct tls_val *tls_with_ev_text(struct tls_state *st, const struct tls_val *v, int line,
                                       const char *text)
{
    if (v->kind == TV_UNKNOWN) return v;
    struct tls_val *c = tls_val_copy(st, v);
    struct tls_ev *x = dp_arena_alloc(&st->a, sizeof *x);
    x->next = v->ev;
    x->line = line;
    x->text = text;
    c->ev = x;
    return c;
}

const struct tls_val *tls_with_ev(struct tls_state *st, const struct tls_val *v,
                                  const struct dp_py_node *node)
{
    if (v->kind == TV_UNKNOWN || !node) return v;
    struct tls_val *c = tls_val_copy(st, v);
    c->ev = tls_ev_push(st, v->ev, node);
    return c;
}

/* ---- joins and alternatives ------------------------------------------------------------------ */

int tls_alts(const struct tls_val *v, const struct tls_val *const **out, const struct tls_val **one)
{
    if (v->kind == TV_ALT) {
        *out = v->alts;
        return v->nalts;
    }
    *one = v;
    *out = one;
    return 1;
}

static int add_alt(const struct tls_val **buf, int n, const struct tls_val *v)
{
    const struct tls_val *const *xs, *one;
    int k = tls_alts(v, &xs, &one);
    for (int i = 0; i < k; i++) {
        bool dup = false;
        for (int j = 0; j < n && !dup; j++) dup = buf[j] == xs[i];
        if (!dup && n < TLS_MAX_ALTS) buf[n++] = xs[i];
    }
    return n;
}

const struct tls_val *tls_join(struct tls_state *st, const struct tls_val *a,
                               const struct tls_val *b)
{
    if (!a) return b;
    if (!b || a == b) return a;
    const struct tls_val *buf[TLS_MAX_ALTS];
    int n = add_alt(buf, 0, a);
    n = add_alt(buf, n, b);
    if (n == 1) return buf[0];
    struct tls_val *v = tls_val_new(st, TV_ALT);
    const struct tls_val **xs = dp_arena_alloc(&st->a, (size_t)n * sizeof *xs);
    memcpy(xs, buf, (size_t)n * sizeof *xs);
    v->alts = xs;
    v->nalts = n;
    return v;
}

bool tls_is_none(const struct tls_val *v) { return v->kind == TV_CONST && v->ck == TC_NONE; }

static int const_truth(const struct tls_val *v)
{
    switch (v->ck) {
    case TC_NONE: return 0;
    case TC_STR: return v->s[0] != '\0';
    case TC_OTHER: return v->i < 0 ? -1 : v->i != 0;
    default: return v->i != 0;
    }
}

int tls_truth(const struct tls_val *v)
{
    switch (v->kind) {
    case TV_CONST: return const_truth(v);
    case TV_DICT: return v->dict->n > 0 ? 1 : v->dict->open ? -1 : 0;
    case TV_OBJ: case TV_FUNC: case TV_CLASS: return 1;
    case TV_ALT: {
        int t = tls_truth(v->alts[0]);
        for (int i = 1; i < v->nalts; i++)
            if (tls_truth(v->alts[i]) != t) return -1;
        return t;
    }
    default: return -1;
    }
}

bool tls_pred_falsy(const struct tls_val *v) { return !tls_is_none(v) && tls_truth(v) == 0; }
bool tls_pred_truthy(const struct tls_val *v) { return tls_truth(v) == 1; }

bool tls_pred_cert_none(const struct tls_val *v)
{
    if (v->kind != TV_CONST) return false;
    if (v->ck == TC_BOOL || v->ck == TC_INT) return v->i == 0;
    if (v->ck == TC_STR) return !strcmp(v->s, "CERT_NONE") || !strcmp(v->s, "NONE");
    return false;
}

bool tls_is_cert_none(const struct tls_val *v) { return tls_test(v, tls_pred_cert_none) == 2; }

int tls_test(const struct tls_val *v, bool (*pred)(const struct tls_val *))
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(v, &xs, &one), k = 0;
    for (int i = 0; i < n; i++) k += pred(xs[i]);
    return k == 0 ? 0 : k == n ? 2 : 1;
}

/* ---- dicts ----------------------------------------------------------------------------------- */

const struct tls_val *tls_dict_get(const struct tls_val *d, const char *key)
{
    if (d->kind != TV_DICT) return NULL;
    for (int i = d->dict->n - 1; i >= 0; i--)
        if (!strcmp(d->dict->keys[i], key)) return d->dict->vals[i];
    return NULL;
}

const struct tls_val *tls_dict_set(struct tls_state *st, const struct tls_val *d, const char *key,
                                   const struct tls_val *v)
{
    const struct tls_dict *old = d && d->kind == TV_DICT ? d->dict : NULL;
    struct tls_dict *nd = dp_arena_alloc(&st->a, sizeof *nd);
    int cap = (old ? old->n : 0) + 1;
    nd->keys = dp_arena_alloc(&st->a, (size_t)cap * sizeof *nd->keys);
    nd->vals = dp_arena_alloc(&st->a, (size_t)cap * sizeof *nd->vals);
    nd->open = old ? old->open : true;
    for (int i = 0; old && i < old->n; i++) {
        if (!strcmp(old->keys[i], key)) continue;
        nd->keys[nd->n] = old->keys[i];
        nd->vals[nd->n++] = old->vals[i];
    }
    nd->keys[nd->n] = key;
    nd->vals[nd->n++] = v;
    struct tls_val *r = tls_val_new(st, TV_DICT);
    r->dict = nd;
    if (d) r->ev = d->ev;
    return r;
}

const struct tls_val *tls_dict_reopen(struct tls_state *st, const struct tls_val *d)
{
    struct tls_val *r = tls_val_new(st, TV_DICT);
    struct tls_dict *nd = dp_arena_alloc(&st->a, sizeof *nd);
    if (d && d->kind == TV_DICT) {
        *nd = *d->dict;
        r->ev = d->ev;
    }
    nd->open = true;
    r->dict = nd;
    return r;
}

const struct tls_ev *tls_ev_cat(struct tls_state *st, const struct tls_ev *a, const struct tls_ev *b)
{
    if (!a) return b;
    if (!b) return a;
    struct tls_ev *head = NULL, **tail = &head;
    for (const struct tls_ev *e = a; e; e = e->next) {
        struct tls_ev *x = dp_arena_alloc(&st->a, sizeof *x);
        x->line = e->line;
        x->text = e->text;
        x->node = e->node;
        *tail = x;
        tail = (struct tls_ev **)&x->next;
    }
    *tail = (struct tls_ev *)b;
    return head;
}

const struct tls_ev *tls_val_ev(struct tls_state *st, const struct tls_val *v)
{
    const struct tls_ev *ev = v->ev;
    if (v->kind == TV_ALT)
        for (int i = 0; i < v->nalts; i++) ev = tls_ev_cat(st, v->alts[i]->ev, ev);
    return ev;
}

/* ---- strings --------------------------------------------------------------------------------- */

char *tls_printf(struct tls_state *st, const char *fmt, ...)
{
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = dp_arena_alloc_raw(&st->a, (size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, aq);
    va_end(aq);
    return s;
}

char *tls_strcat(struct tls_state *st, const char *a, const char *b, const char *c)
{
    size_t na = a ? strlen(a) : 0, nb = b ? strlen(b) : 0, nc = c ? strlen(c) : 0;
    char *s = dp_arena_alloc_raw(&st->a, na + nb + nc + 1);
    if (na) memcpy(s, a, na);
    if (nb) memcpy(s + na, b, nb);
    if (nc) memcpy(s + na + nb, c, nc);
    s[na + nb + nc] = '\0';
    return s;
}
