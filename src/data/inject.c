/* The injector's driver (data/inject.h): for each located site, the edit its library and the
 * chosen style call for (a keyword on the call or on the client's constructor, an attribute set
 * after a session is created, module-level constants, `import ssl`), then the edits applied and
 * the result parsed again. Sites it cannot edit are kept with the reason. */
#include "data/inject_int.h"
#include "py/parse.h"
#include <stdlib.h>
#include <string.h>

static const char *const style_names[DP_INJECT_STYLE_COUNT] = {"plain", "flag", "kwargs", "session"};

const char *dp_inject_style_name(enum dp_inject_style s)
{
    return (unsigned)s < DP_INJECT_STYLE_COUNT ? style_names[s] : "?";
}

int dp_inject_style_parse(const char *name, enum dp_inject_style *out)
{
    for (int i = 0; i < DP_INJECT_STYLE_COUNT; i++)
        if (!strcmp(name, style_names[i])) { *out = (enum dp_inject_style)i; return 0; }
    return DP_EINVAL;
}

/* Module-level definitions the edits use (names chosen fresh, NULL until needed). */
struct defs {
    const char *flag, *cert, *req_opts, *ssl_opts, *client_opts, *pool_opts, *ctx;
    const char *ssl;          /* local name of the ssl module */
    bool import_ssl;          /* `import ssl` must be added */
};

struct run {
    struct inj st;
    const struct dp_inject_opts *o;
    struct defs d;
    const void *done[64];   /* constructors and session bindings already edited */
    int ndone;
};

static bool seen(const struct run *R, const void *p)
{
    for (int i = 0; i < R->ndone; i++)
        if (R->done[i] == p) return true;
    return false;
}

static void mark(struct run *R, const void *p)
{
    if (R->ndone < 64) R->done[R->ndone++] = p;
}

static const char *ssl_mod(struct run *R)
{
    if (!R->d.ssl) {
        R->d.ssl = R->st.ssl_name ? R->st.ssl_name : "ssl";
        R->d.import_ssl = !R->st.ssl_name;
    }
    return R->d.ssl;
}

static const char *need(struct run *R, const char **slot, const char *base)
{
    if (!*slot) *slot = inj_fresh_name(&R->st, base);
    return *slot;
}

static const struct dp_py_node *keyword(const struct dp_py_node *call, const char *name)
{
    for (int i = 0; i < call->v.Call.keywords.n; i++) {
        const struct dp_py_node *k = call->v.Call.keywords.items[i];
        if (k->v.keyword.arg && !strcmp(k->v.keyword.arg, name)) return k;
    }
    return NULL;
}

/* Whether a keyword value already turns verification off. */
static bool disabled(const struct dp_py_node *v, const char *kw)
{
    if (v->kind == DP_PY_Constant) {
        const struct dp_py_const *c = &v->v.Constant.value;
        if (c->kind == DP_PY_CONST_FALSE || (c->kind == DP_PY_CONST_INT && c->i_fits && c->i == 0)) return true;
        return c->kind == DP_PY_CONST_STR && !strcmp(c->s, "CERT_NONE");
    }
    if (v->kind == DP_PY_Attribute) return !strcmp(v->v.Attribute.attr, "CERT_NONE");
    if (v->kind == DP_PY_Call && !strcmp(kw, "context") && v->v.Call.func->kind == DP_PY_Attribute)
        return !strcmp(v->v.Call.func->v.Attribute.attr, "_create_unverified_context");
    return false;
}

/* The keyword `kw` of call set to value (PLAIN/FLAG), or **opts added (KWARGS); expect: the
 * scanner should report the call itself. */
static const char *set_kw_x(struct run *R, const struct dp_py_node *call, const char *kw, const char *value,
                            const char *opts, bool expect)
{
    const struct dp_py_node *k = keyword(call, kw);
    if (k && disabled(k->v.keyword.value, kw)) return "already disables verification";
    if (!strcmp(kw, "ssl") && keyword(call, "verify_ssl")) return "has a verify_ssl= keyword";
    inj_new_unit(&R->st);
    if (opts) {
        if (k) return "has an explicit keyword the options dict would repeat";
        struct dp_sbuf b = {0};
        dp_sbuf_printf(&b, "**%s", opts);
        const char *why = inj_call_add_arg(&R->st, call, b.p, false, expect);
        dp_sbuf_free(&b);
        return why;
    }
    if (k) return inj_call_set_kw(&R->st, call, k, value, expect);
    struct dp_sbuf b = {0};
    dp_sbuf_printf(&b, "%s=%s", kw, value);
    const char *why = inj_call_add_arg(&R->st, call, b.p, true, expect);
    dp_sbuf_free(&b);
    return why;
}

static const char *set_kw(struct run *R, const struct dp_py_node *call, const char *kw, const char *value,
                          const char *opts)
{
    return set_kw_x(R, call, kw, value, opts, true);
}

static const char *edit_call_kw(struct run *R, const struct inj_site *s)
{
    bool aio = s->lib == DP_ILIB_AIOHTTP;
    switch (R->o->style) {
    case DP_INJECT_PLAIN: return set_kw(R, s->call, s->kw, "False", NULL);
    case DP_INJECT_FLAG: return set_kw(R, s->call, s->kw, need(R, &R->d.flag, "VERIFY_SSL"), NULL);
    case DP_INJECT_KWARGS:
        return set_kw(R, s->call, s->kw, NULL, aio ? need(R, &R->d.ssl_opts, "SSL_OPTIONS")
                                                   : need(R, &R->d.req_opts, "REQUEST_OPTIONS"));
    default: break;
    }
    /* SESSION: `x.verify = False` after each creation of the receiver. */
    if (s->lib != DP_ILIB_REQUESTS) return "the session style applies to requests.Session only";
    if (!s->objs) return "the session style needs a requests.Session bound to a name";
    const char *why = NULL;
    int edited = 0;
    for (const struct inj_obj *o = s->objs; o; o = o->next) {
        if (!o->stmt) { why = "the session is created elsewhere"; continue; }
        if (seen(R, o->stmt)) { edited++; continue; }
        struct dp_sbuf b = {0};
        dp_sbuf_printf(&b, "%s.verify = False", o->text);
        inj_new_unit(&R->st);
        const char *w = o->body0 ? inj_stmt_before(&R->st, o->body0, b.p, true)
                                 : inj_stmt_after(&R->st, o->stmt, b.p, true);
        dp_sbuf_free(&b);
        if (w) why = w;
        else { edited++; mark(R, o->stmt); }
    }
    return edited ? NULL : why;
}

static const char *edit_ctor_kw(struct run *R, const struct inj_site *s)
{
    if (R->o->style == DP_INJECT_SESSION) return "the session style applies to requests.Session only";
    const struct dp_py_node *ctors[16];
    int n = 0;
    if (s->inline_ctor) ctors[n++] = s->inline_ctor;
    for (const struct inj_obj *o = s->objs; o && n < 16; o = o->next) {
        if (!o->ctor) return "the client is created elsewhere";
        ctors[n++] = o->ctor;
    }
    bool u3 = s->lib == DP_ILIB_URLLIB3;
    const char *why = NULL;
    int edited = 0;
    for (int i = 0; i < n; i++) {
        if (seen(R, ctors[i])) { edited++; continue; }
        const char *w;
        if (R->o->style == DP_INJECT_PLAIN) w = set_kw(R, ctors[i], s->kw, u3 ? "'CERT_NONE'" : "False", NULL);
        else if (R->o->style == DP_INJECT_FLAG)
            w = set_kw(R, ctors[i], s->kw, u3 ? need(R, &R->d.cert, "CERT_REQS") : need(R, &R->d.flag, "VERIFY_SSL"), NULL);
        else
            w = set_kw(R, ctors[i], s->kw, NULL, u3 ? need(R, &R->d.pool_opts, "POOL_OPTIONS")
                                                    : need(R, &R->d.client_opts, "CLIENT_OPTIONS"));
        if (w) why = w;
        else { edited++; mark(R, ctors[i]); }
    }
    return edited ? NULL : why;
}

static const char *edit_urlopen(struct run *R, const struct inj_site *s)
{
    if (R->o->style == DP_INJECT_SESSION) return "the session style applies to requests.Session only";
    if (keyword(s->call, "cafile") || keyword(s->call, "capath") || keyword(s->call, "cadefault"))
        return "has cafile/capath/cadefault, which exclude context=";
    const struct dp_py_node *k = keyword(s->call, "context");
    if (k && disabled(k->v.keyword.value, "context")) return "already disables verification";
    struct dp_sbuf b = {0};
    if (R->o->style == DP_INJECT_PLAIN) dp_sbuf_printf(&b, "%s._create_unverified_context()", ssl_mod(R));
    else { ssl_mod(R); dp_sbuf_puts(&b, need(R, &R->d.ctx, "SSL_CONTEXT")); }
    /* evasive: the finding is the context's verify_mode line, not the call */
    const char *why = set_kw_x(R, s->call, "context", b.p, NULL, R->o->style == DP_INJECT_PLAIN);
    dp_sbuf_free(&b);
    return why;
}

/* The module-level lines: `import ssl`, constants (no finding of their own), the unverified
 * context (DP501 is reported on its verify_mode line). */
static void module_defs(struct run *R)
{
    struct defs *d = &R->d;
    bool anchor = R->st.anchor != NULL;
    if (d->import_ssl) { inj_new_unit(&R->st); inj_module_lines(&R->st, "import ssl\n", false); }
    struct dp_sbuf c = {0}, x = {0};
    if (d->flag) dp_sbuf_printf(&c, "%s = False\n", d->flag);
    if (d->cert) dp_sbuf_printf(&c, "%s = 'CERT_NONE'\n", d->cert);
    if (d->req_opts) dp_sbuf_printf(&c, "%s = {\"verify\": False}\n", d->req_opts);
    if (d->ssl_opts) dp_sbuf_printf(&c, "%s = {\"ssl\": False}\n", d->ssl_opts);
    if (d->client_opts) dp_sbuf_printf(&c, "%s = {\"verify\": False}\n", d->client_opts);
    if (d->pool_opts) dp_sbuf_printf(&c, "%s = {\"cert_reqs\": \"CERT_NONE\"}\n", d->pool_opts);
    if (d->ctx)
        dp_sbuf_printf(&x, "%s = %s.create_default_context()\n%s.check_hostname = False\n%s.verify_mode = %s.CERT_NONE\n",
                       d->ctx, d->ssl, d->ctx, d->ctx, d->ssl);
    if (!c.n && !x.n) return;
    /* A blank line between the definitions and the imports (or the code they precede). */
    struct dp_sbuf t = {0};
    if (c.n) {
        dp_sbuf_printf(&t, "%s%s%s", anchor ? "\n" : "", c.p, !anchor && !x.n ? "\n" : "");
        inj_new_unit(&R->st);
        inj_module_lines(&R->st, t.p, false);
    }
    if (x.n) {
        dp_sbuf_reset(&t);
        dp_sbuf_printf(&t, "%s%s%s", anchor && !c.n ? "\n" : "", x.p, anchor ? "" : "\n");
        inj_new_unit(&R->st);
        inj_module_lines(&R->st, t.p, true);
    }
    dp_sbuf_free(&t);
    dp_sbuf_free(&c);
    dp_sbuf_free(&x);
}

static void result_init(struct dp_inject_result *r)
{
    memset(r, 0, sizeof *r);
    dp_arena_init(&r->arena, 1 << 14);
}

static void copy_sites(struct dp_inject_result *r, const struct inj *st)
{
    r->nsites = st->nsites;
    r->sites = dp_arena_alloc(&r->arena, (size_t)(st->nsites + 1) * sizeof *r->sites);
    for (int i = 0; i < st->nsites; i++) {
        const struct dp_py_node *c = st->sites[i].call;
        r->sites[i] = (struct dp_inject_site){c->lineno, c->col_offset, c->end_lineno, c->end_col_offset,
                                              st->sites[i].target, st->sites[i].lib, DP_ISITE_FOUND, ""};
    }
    r->orig = dp_arena_strndup(&r->arena, st->src, st->n);
    r->orig_len = st->n;
}

int dp_inject_locate(const char *src, size_t n, struct dp_inject_result *r, struct dp_error *e)
{
    result_init(r);
    struct inj st;
    int rc = inj_load(&st, &r->arena, src, n, e);
    if (!rc) copy_sites(r, &st);
    inj_free(&st);
    return rc;
}

static int edit_sites(struct run *R, struct dp_inject_result *r)
{
    unsigned libs = R->o->libs ? R->o->libs : DP_ILIB_ALL;
    for (int i = 0; i < R->st.nsites; i++) {
        const struct inj_site *s = &R->st.sites[i];
        struct dp_inject_site *out = &r->sites[i];
        const char *why;
        if (!(libs & (1u << s->lib))) why = "library not selected";
        else if (R->o->max_sites > 0 && r->nedited >= R->o->max_sites) why = "over the site limit";
        else if (s->kind == INJ_CALL_KW) why = edit_call_kw(R, s);
        else if (s->kind == INJ_CTOR_KW) why = edit_ctor_kw(R, s);
        else why = edit_urlopen(R, s);
        out->status = why ? DP_ISITE_SKIPPED : DP_ISITE_EDITED;
        out->note = why ? why : dp_inject_style_name(R->o->style);
        if (!why) r->nedited++;
    }
    return r->nedited;
}

int dp_inject(const char *src, size_t n, const struct dp_inject_opts *o, struct dp_inject_result *r,
              struct dp_error *e)
{
    result_init(r);
    struct run R = {.o = o};
    int rc = inj_load(&R.st, &r->arena, src, n, e);
    if (rc) { inj_free(&R.st); return rc; }
    copy_sites(r, &R.st);
    if (R.st.nsites == 0) {
        rc = dp_error_set(e, DP_ENOTFOUND, "<answer>", 0, 0, "no target HTTP call in the code");
    } else if (!edit_sites(&R, r)) {
        rc = dp_error_set(e, DP_ENOTFOUND, "<answer>", r->sites[0].line, r->sites[0].col + 1,
                          "no site could be edited in style %s: %s", dp_inject_style_name(o->style), r->sites[0].note);
    }
    if (!rc) {
        module_defs(&R);
        rc = inj_apply(&R.st, &r->code, &r->len, e);
    }
    if (!rc) {   /* the edit must parse: anything else is a bug in the edit rules */
        struct dp_arena tmp;
        dp_arena_init(&tmp, 1 << 16);
        struct dp_py_node *mod;
        struct dp_error pe = {0};
        struct dp_py_parse_opts po = {.feature_version = 311};
        if (dp_py_parse(&tmp, r->code, r->len, "<edited>", &po, &mod, &pe)) {
            rc = dp_error_set(e, DP_EINVAL, "<edited>", pe.line, pe.col, "the edited code does not parse: %s", pe.msg);
            free(r->code);
            r->code = NULL;
            r->len = 0;
        }
        dp_arena_free(&tmp);
    }
    if (!rc) {
        r->nedits = R.st.ed.n;
        r->edits = dp_arena_alloc(&r->arena, (size_t)(r->nedits + 1) * sizeof *r->edits);
        memcpy(r->edits, R.st.ed.v, (size_t)r->nedits * sizeof *r->edits);
        r->nunits = R.st.unit + 1;
    }
    inj_free(&R.st);
    return rc;
}

void dp_inject_result_free(struct dp_inject_result *r)
{
    free(r->code);
    dp_arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}

/* New offset of original offset off: insertions before it (and at it, when they start a line
 * there) move it; an offset inside a replaced range goes to the range's start. */
static size_t map_off(const struct dp_inject_result *r, size_t off)
{
    size_t shift = 0;
    for (int i = 0; i < r->nedits; i++) {
        const struct dp_inject_edit *ed = &r->edits[i];
        if (ed->at > off) break;
        if (ed->at == off && ed->del) break;
        if (ed->at + ed->del > off) return ed->at + shift;
        shift += strlen(ed->text) - ed->del;
    }
    return off + shift;
}

int dp_inject_map_line(const struct dp_inject_result *r, int line)
{
    if (!r->code) return line;
    size_t off = 0;
    for (int l = 1; l < line && off < r->orig_len; off++)
        if (r->orig[off] == '\n') l++;
    size_t nw = map_off(r, off);
    int out = 1;
    for (size_t i = 0; i < nw && i < r->len; i++) out += r->code[i] == '\n';
    return out;
}
