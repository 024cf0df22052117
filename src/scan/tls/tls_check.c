/* The TLS checks: a call against the sink table (verify=False and its kin), SSL contexts
 * (origin, verify_mode / check_hostname stores, contexts reaching clients), pycurl handles,
 * attribute stores on sessions, the environment, and warning filters. Findings on objects are
 * decided once the whole module is seen, so that check_hostname=False followed by
 * verify_mode=CERT_NONE is one DP501, not a DP502 and a DP501. */
#include "scan/tls/tls_int.h"
#include "scan/scan.h"
#include <string.h>
#include <strings.h>

static const char *what(enum dp_tls_rule r) { return dp_tls_rule_info(r)->what; }

static int conf_of(int r, int conf) { return r == 2 ? conf : DP_SCAN_MEDIUM; }

static const char *arg_text(struct tls_state *st, const struct tls_arg *a, const char *kw)
{
    const char *v = a->vnode ? tls_snip(st, a->vnode) : "?";
    if (a->via) return tls_printf(st, "**%s with %s=%s", a->via, kw, v);
    if (!a->kw) return v;
    return tls_printf(st, "%s=%s", kw, v);
}

bool tls_session_like(const char *recv)
{
    const char *d = strrchr(recv, '.');
    const char *last = d ? d + 1 : recv;
    size_t n = strlen(last);
    for (const char *p = last; *p; p++)
        if (!strncasecmp(p, "session", 7)) return true;
    return !strcmp(last, "sess") || !strncmp(last, "sess_", 5) ||
           (n > 5 && !strcmp(last + n - 5, "_sess"));
}

/* ---- SSL contexts ---------------------------------------------------------------------------- */

static bool names_client_auth(const struct tls_arg *a)
{
    if (!a) return false;
    const struct tls_val *v = a->v;
    const char *n = v->kind == TV_QNAME ? v->s : v->kind == TV_UATTR ? v->s : NULL;
    if (!n) return false;
    size_t k = strlen(n);
    return k >= 11 && !strcmp(n + k - 11, "CLIENT_AUTH");
}

static enum tls_origin ssl_origin(const char *qn, const struct tls_args *args)
{
    if (!strcmp(qn, "ssl.SSLContext")) {
        const struct tls_arg *p = tls_arg_find(args, "protocol", 0);
        if (!p) return args->star || args->open_kw ? TO_UNKNOWN : TO_GENERIC;
        if (p->v->kind == TV_CONST && p->v->ck == TC_INT)
            return p->v->i == 16 ? TO_CLIENT : p->v->i == 17 ? TO_SERVER : TO_GENERIC;
        /* SSLContext(version if version else PROTOCOL_TLS_SERVER): built for serving */
        const struct tls_val *const *xs, *one;
        int n = tls_alts(p->v, &xs, &one), server = 0, client = 0;
        for (int i = 0; i < n; i++)
            if (xs[i]->kind == TV_CONST && xs[i]->ck == TC_INT) server += xs[i]->i == 17, client += xs[i]->i == 16;
        return server && !client ? TO_SERVER : TO_UNKNOWN;
    }
    if (!strcmp(qn, "ssl.create_default_context") || !strcmp(qn, "ssl._create_default_https_context"))
        return names_client_auth(tls_arg_find(args, "purpose", 0)) ? TO_SERVER : TO_CLIENT;
    if (strstr(qn, "create_urllib3_context")) {
        const struct tls_arg *c = tls_arg_find(args, "cert_reqs", 1);
        return c && tls_test(c->v, tls_pred_cert_none) ? TO_UNVERIFIED : TO_CLIENT;
    }
    /* ssl._create_unverified_context / _create_stdlib_context: CERT_NONE unless told otherwise */
    const struct tls_arg *c = tls_arg_find(args, "cert_reqs", -1);
    if (names_client_auth(tls_arg_find(args, "purpose", -1))) return TO_SERVER;
    if (c && c->v->kind == TV_CONST && !tls_test(c->v, tls_pred_cert_none)) return TO_CLIENT;
    return TO_UNVERIFIED;
}

void tls_ssl_ctor(struct tls_state *st, struct tls_obj *o, const char *qn, const struct tls_args *args,
                  const struct dp_py_node *call)
{
    if (!o->inited) o->origin = (uint8_t)ssl_origin(qn, args);
    o->inited = true;
    if (o->origin == TO_UNVERIFIED && !strstr(qn, "create_urllib3_context"))
        tls_report(st, DP_TLS_DP501, DP_SCAN_HIGH, call, qn,
                   tls_printf(st, "%s: %s() builds a context that does not check certificates",
                              what(DP_TLS_DP501), qn),
                   NULL, NULL, NULL);
}

/* A context seen serving (server_side=True, an asyncio server): CERT_NONE there only means
 * that clients need no certificate. */
static void mark_server(struct tls_obj *o)
{
    if (o->type && !strcmp(o->type, "ssl.SSLContext") &&
        (o->origin == TO_GENERIC || o->origin == TO_UNKNOWN))
        o->origin = TO_SERVER;
}

/* A context handed to a client: remembered for DP505 when it does not verify by default. */
static void ctx_sink(struct tls_state *st, const struct tls_val *v, const struct dp_py_node *call,
                     const char *name, const struct tls_ev *fev)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(v, &xs, &one);
    for (int i = 0; i < n; i++) {
        struct tls_obj *o = xs[i]->kind == TV_OBJ ? xs[i]->obj : NULL;
        if (!o || !o->type || strcmp(o->type, "ssl.SSLContext") != 0 || o->sink) continue;
        if (o->origin != TO_GENERIC) continue;
        o->sink = call;
        o->sink_name = name;
        o->sink_ev = tls_ev_cat(st, xs[i]->ev, fev);
    }
}

static void sslopt(struct tls_state *st, const struct tls_arg *a, const struct dp_py_node *call,
                   const char *name, int conf, const struct tls_ev *fev)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(a->v, &xs, &one);
    for (int i = 0; i < n; i++) {
        const struct tls_val *cr = tls_dict_get(xs[i], "cert_reqs"), *ch = tls_dict_get(xs[i], "check_hostname");
        const struct tls_val *cx = tls_dict_get(xs[i], "context");
        const struct tls_ev *ev = tls_ev_cat(st, xs[i]->ev, fev);
        int r = cr ? tls_test(cr, tls_pred_cert_none) : 0;
        if (r) {
            tls_report(st, DP_TLS_DP501, conf_of(r, conf), call, name,
                       tls_printf(st, "%s: %s(sslopt with cert_reqs=%s)", what(DP_TLS_DP501), name,
                                  cr->node ? tls_snip(st, cr->node) : "CERT_NONE"),
                       tls_val_ev(st, cr), ev, NULL);
            continue;
        }
        r = ch ? tls_test(ch, tls_pred_falsy) : 0;
        if (r)
            tls_report(st, DP_TLS_DP502, conf_of(r, conf), call, name,
                       tls_printf(st, "%s: %s(sslopt with check_hostname=%s)", what(DP_TLS_DP502),
                                  name, ch->node ? tls_snip(st, ch->node) : "False"),
                       tls_val_ev(st, ch), ev, NULL);
        if (cx) ctx_sink(st, cx, call, name, ev);
    }
}

void tls_check_call(struct tls_state *st, const char *qn, struct tls_obj *self,
                    const struct tls_args *args, const struct dp_py_node *call, int conf,
                    const char *shown, const struct tls_ev *fev)
{
    int n;
    const struct tls_sink *s = tls_sinks(&n);
    const char *name = shown ? shown : qn;
    (void)self;
    for (int i = 0; i < n; i++) {
        if (s[i].callable[0] != qn[0] || strcmp(s[i].callable, qn) != 0) continue;
        const struct tls_arg *a = tls_arg_find(args, s[i].kw, s[i].pos);
        if (!a || a->done) continue;
        int r = 0;
        switch (s[i].chk) {
        case TK_FALSY: r = tls_test(a->v, tls_pred_falsy); break;
        case TK_TRUTHY: r = tls_test(a->v, tls_pred_truthy); break;
        case TK_CERT_NONE: r = tls_test(a->v, tls_pred_cert_none); break;
        case TK_CTX: ctx_sink(st, a->v, call, name, fev); continue;
        case TK_SSLOPT: sslopt(st, a, call, name, conf, fev); continue;
        case TK_ENV: tls_check_env_dict(st, a->v, call, name); continue;
        default: continue;
        }
        if (!r) continue;
        tls_report(st, (enum dp_tls_rule)s[i].rule, conf_of(r, conf), call, name,
                   tls_printf(st, "%s: %s(%s)", what((enum dp_tls_rule)s[i].rule), name,
                              arg_text(st, a, s[i].kw)),
                   tls_val_ev(st, a->v), fev, NULL);
    }
}

/* ---- warnings (DP503) ------------------------------------------------------------------------ */

static bool irw_family(struct tls_state *st, const struct tls_arg *a, bool any_warning)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(a->v, &xs, &one);
    for (int i = 0; i < n; i++) {
        const char *q = xs[i]->kind == TV_QNAME || xs[i]->kind == TV_UATTR ? xs[i]->s : NULL;
        if (!q) continue;
        const char *d = strrchr(q, '.');
        const char *last = d ? d + 1 : q;
        if (!strcmp(last, "InsecureRequestWarning")) return true;
        if (!strncmp(q, "urllib3.", 8) && (!strcmp(last, "SecurityWarning") || !strcmp(last, "HTTPWarning")))
            return true;
        if (any_warning && !strcmp(q, "builtins.Warning")) return true;
    }
    return a->vnode && strstr(tls_snip(st, a->vnode), "InsecureRequestWarning");
}

static void dp503(struct tls_state *st, const char *qn, const struct tls_args *args,
                  const struct dp_py_node *call, const struct tls_ev *fev)
{
    const char *why = NULL;
    if (!strcmp(qn, "urllib3.disable_warnings")) {
        const struct tls_arg *c = tls_arg_find(args, "category", 0);
        if (!c && !args->star && !args->open_kw) why = "all urllib3 warnings";
        else if (c && irw_family(st, c, true)) why = tls_snip(st, c->vnode);
    } else {
        bool simple = !strcmp(qn, "warnings.simplefilter");
        const struct tls_arg *act = tls_arg_find(args, "action", 0);
        const struct tls_arg *cat = tls_arg_find(args, "category", simple ? 1 : 2);
        const struct tls_arg *msg = simple ? NULL : tls_arg_find(args, "message", 1);
        if (!act || act->v->kind != TV_CONST || act->v->ck != TC_STR || strcmp(act->v->s, "ignore") != 0)
            return;
        if (cat && irw_family(st, cat, false)) why = tls_snip(st, cat->vnode);
        else if (msg && msg->v->kind == TV_CONST && msg->v->ck == TC_STR &&
                 (strstr(msg->v->s, "Unverified HTTPS") || strstr(msg->v->s, "InsecureRequestWarning")))
            why = tls_snip(st, msg->vnode);
    }
    if (why)
        tls_report(st, DP_TLS_DP503, DP_SCAN_HIGH, call, qn,
                   tls_printf(st, "%s: %s() ignores %s", what(DP_TLS_DP503), qn, why), fev, NULL, NULL);
}

/* ---- environment (DP504) --------------------------------------------------------------------- */

static bool str_is(const struct tls_val *v, const char *s)
{
    return v->kind == TV_CONST && v->ck == TC_STR && !strcmp(v->s, s);
}
static bool pred_zero(const struct tls_val *v)
{
    return str_is(v, "0") || (v->kind == TV_CONST && (v->ck == TC_INT || v->ck == TC_BOOL) && v->i == 0);
}
static bool pred_empty(const struct tls_val *v) { return str_is(v, ""); }
static bool pred_yes(const struct tls_val *v)
{
    return str_is(v, "1") || str_is(v, "true") || str_is(v, "True") || str_is(v, "yes") ||
           (v->kind == TV_CONST && (v->ck == TC_INT || v->ck == TC_BOOL) && v->i == 1);
}
static bool pred_warn(const struct tls_val *v)
{
    return v->kind == TV_CONST && v->ck == TC_STR && strstr(v->s, "ignore") &&
           (strstr(v->s, "Unverified HTTPS") || strstr(v->s, "InsecureRequestWarning"));
}

void tls_check_env(struct tls_state *st, const char *key, const struct tls_val *v,
                   const struct dp_py_node *at, const char *how)
{
    static const struct { const char *key; bool (*pred)(const struct tls_val *); uint8_t rule; } env[] = {
        {"PYTHONHTTPSVERIFY", pred_zero, DP_TLS_DP504},
        {"CURL_CA_BUNDLE", pred_empty, DP_TLS_DP504},
        {"REQUESTS_CA_BUNDLE", pred_empty, DP_TLS_DP504},
        {"NODE_TLS_REJECT_UNAUTHORIZED", pred_zero, DP_TLS_DP504},
        {"GIT_SSL_NO_VERIFY", pred_yes, DP_TLS_DP504},
        {"PYTHONWARNINGS", pred_warn, DP_TLS_DP503},
    };
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        if (strcmp(env[i].key, key) != 0) continue;
        int r = tls_test(v, env[i].pred);
        if (!r) return;
        const char *shown = v->kind == TV_CONST && v->ck == TC_STR ? tls_printf(st, "'%s'", v->s)
                            : v->node ? tls_snip(st, v->node) : "0";
        tls_report(st, (enum dp_tls_rule)env[i].rule, conf_of(r, DP_SCAN_HIGH), at, how,
                   tls_printf(st, "%s: %s=%s via %s", what((enum dp_tls_rule)env[i].rule), key, shown, how),
                   tls_val_ev(st, v), NULL, NULL);
        return;
    }
}

void tls_check_env_dict(struct tls_state *st, const struct tls_val *d, const struct dp_py_node *at,
                        const char *how)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(d, &xs, &one);
    for (int i = 0; i < n; i++) {
        if (xs[i]->kind != TV_DICT) continue;
        for (int j = 0; j < xs[i]->dict->n; j++) {
            const struct tls_val *v = xs[i]->dict->vals[j];
            if (xs[i]->ev && v->kind != TV_UNKNOWN) {
                struct tls_val *c = tls_val_copy(st, v);
                c->ev = tls_ev_cat(st, v->ev, xs[i]->ev);
                v = c;
            }
            tls_check_env(st, xs[i]->dict->keys[j], v, at, how);
        }
    }
}

/* ---- pycurl ---------------------------------------------------------------------------------- */

static struct tls_obj *receiver_obj(struct tls_state *st, struct tls_obj *self,
                                    const struct dp_py_node *recv, const struct dp_py_node *site,
                                    const char *type)
{
    if (self) return self;
    if (recv && recv->kind == DP_PY_Name) {
        const struct tls_val *v = tls_lookup(st, recv->v.Name.id);
        if (v->kind == TV_OBJ && v->obj->type && !strcmp(v->obj->type, type)) return v->obj;
        struct tls_obj *o = tls_obj_at(st, site, type);
        o->ev = NULL;
        tls_rebind(st, recv->v.Name.id, tls_obj_val(st, o));
        return o;
    }
    if (recv && recv->kind == DP_PY_Attribute && recv->v.Attribute.value->kind == DP_PY_Name) {
        const struct tls_val *b = tls_lookup(st, recv->v.Attribute.value->v.Name.id);
        if (b->kind == TV_OBJ) {
            const struct tls_val *v = tls_obj_getattr(b->obj, recv->v.Attribute.attr);
            if (v && v->kind == TV_OBJ && v->obj->type && !strcmp(v->obj->type, type)) return v->obj;
            struct tls_obj *o = tls_obj_at(st, site, type);
            o->ev = NULL;
            tls_obj_setattr(st, b->obj, recv->v.Attribute.attr, tls_obj_val(st, o));
            return o;
        }
    }
    struct tls_obj *o = tls_obj_at(st, site, type);
    o->ev = NULL;
    return o;
}

static void setopt(struct tls_state *st, struct tls_obj *self, const struct tls_args *args,
                   const struct dp_py_node *call, const struct dp_py_node *recv,
                   const struct tls_ev *fev)
{
    const struct tls_arg *opt = tls_arg_find(args, NULL, 0), *val = tls_arg_find(args, NULL, 1);
    if (!opt || !val || opt->v->kind != TV_CONST || opt->v->ck != TC_INT) return;
    const char *nm = opt->v->name;
    bool typed = self && self->type && !strcmp(self->type, "pycurl.Curl");
    if (!nm && !typed) return;
    int64_t k = opt->v->i;
    bool peer = k == 64 || k == 248, host = k == 81 || k == 249;
    if (!peer && !host) return;
    int r = tls_test(val->v, tls_pred_falsy);
    if (!r) return;
    struct tls_obj *o = receiver_obj(st, typed ? self : NULL, recv, call, "pycurl.Curl");
    const char *text = tls_printf(st, "%s: pycurl setopt(%s, %s)", what(peer ? DP_TLS_DP501 : DP_TLS_DP502),
                                  tls_snip(st, opt->vnode), tls_snip(st, val->vnode));
    const struct tls_ev *ev = tls_ev_cat(st, tls_val_ev(st, val->v), fev);
    if (peer && !o->peer_off) {
        o->peer_off = call, o->peer_ev = ev, o->peer_what = text;
        o->peer_conf = (uint8_t)conf_of(r, DP_SCAN_HIGH);
    } else if (host && !o->host_off) {
        o->host_off = call, o->host_ev = ev, o->host_what = text;
        o->host_conf = (uint8_t)conf_of(r, DP_SCAN_HIGH);
    }
}

bool tls_check_special(struct tls_state *st, const char *qn, struct tls_obj *self,
                       const struct tls_args *args, const struct dp_py_node *call,
                       const struct dp_py_node *recv, const struct tls_ev *fev, int conf)
{
    (void)conf;
    char c0 = qn[0];   /* the names below differ in their first letters: a cheap filter */
    if ((c0 == 'u' || c0 == 'w') && (!strcmp(qn, "urllib3.disable_warnings") || !strcmp(qn, "warnings.filterwarnings") ||
        !strcmp(qn, "warnings.simplefilter"))) {
        dp503(st, qn, args, call, fev);
        return true;
    }
    if (c0 == 'o' && (!strcmp(qn, "os.putenv") || !strcmp(qn, "os.environ.setdefault") ||
        !strcmp(qn, "os.environ.__setitem__"))) {
        const struct tls_arg *k = tls_arg_find(args, NULL, 0), *v = tls_arg_find(args, NULL, 1);
        if (k && v && k->v->kind == TV_CONST && k->v->ck == TC_STR) tls_check_env(st, k->v->s, v->v, call, qn);
        return true;
    }
    if (c0 == 'o' && !strcmp(qn, "os.environ.update")) {
        const struct tls_arg *d = tls_arg_find(args, NULL, 0);
        if (d) tls_check_env_dict(st, d->v, call, qn);
        for (int i = 0; i < args->n; i++)
            if (args->a[i].kw) tls_check_env(st, args->a[i].kw, args->a[i].v, call, qn);
        return true;
    }
    if ((c0 == 'p' || c0 == '?') && (!strcmp(qn, "pycurl.Curl.setopt") || !strcmp(qn, "?.setopt"))) {
        setopt(st, self, args, call, recv, fev);
        return true;
    }
    if (c0 == 's' && self && self->type && !strcmp(self->type, "ssl.SSLContext") &&
        (!strcmp(qn, "ssl.SSLContext.wrap_socket") || !strcmp(qn, "ssl.SSLContext.wrap_bio"))) {
        const struct tls_arg *h = tls_arg_find(args, "server_hostname", -1);
        const struct tls_arg *srv = tls_arg_find(args, "server_side", -1);
        if (srv && tls_truth(srv->v) == 1) {
            mark_server(self);
        } else if (h && !tls_is_none(h->v)) {
            struct tls_val ov = {.kind = TV_OBJ, .obj = self, .ev = self->ev};
            ctx_sink(st, &ov, call, qn, fev);
        }
        return true;
    }
    if (c0 == 's' && !strcmp(qn, "ssl.wrap_socket")) {
        const struct tls_arg *c = tls_arg_find(args, "cert_reqs", 4), *srv = tls_arg_find(args, "server_side", 3);
        if (srv && tls_truth(srv->v) != 0) return true;   /* a server not asking for client certificates */
        if (!c && !args->star && !args->open_kw)
            tls_report(st, DP_TLS_DP505, DP_SCAN_MEDIUM, call, qn,
                       tls_printf(st, "%s: ssl.wrap_socket() without cert_reqs uses CERT_NONE",
                                  what(DP_TLS_DP505)), fev, NULL, NULL);
        return false;
    }
    const char *last = strrchr(qn, '.') ? strrchr(qn, '.') + 1 : qn;
    if ((last[0] == 'c' || last[0] == 's') &&
        (!strcmp(last, "create_server") || !strcmp(last, "start_server") || !strcmp(last, "start_unix_server"))) {
        const struct tls_arg *c = tls_arg_find(args, "ssl", -1);   /* asyncio servers */
        const struct tls_val *const *xs, *one;
        int n = c ? tls_alts(c->v, &xs, &one) : 0;
        for (int i = 0; i < n; i++)
            if (xs[i]->kind == TV_OBJ) mark_server(xs[i]->obj);
        return false;
    }
    return false;
}

/* ---- stores ---------------------------------------------------------------------------------- */

static void ctx_store(struct tls_state *st, struct tls_obj *o, const char *attr, const struct tls_val *v,
                      const struct dp_py_node *vnode, const struct dp_py_node *at)
{
    const char *text = tls_printf(st, "ssl.SSLContext.%s = %s", attr, vnode ? tls_snip(st, vnode) : "?");
    if (!strcmp(attr, "verify_mode")) {
        int r = tls_test(v, tls_pred_cert_none);
        if (r && !o->peer_off) {
            o->peer_off = at, o->peer_ev = tls_val_ev(st, v), o->peer_conf = (uint8_t)conf_of(r, DP_SCAN_HIGH);
            o->peer_what = tls_printf(st, "%s: %s", what(DP_TLS_DP501), text);
        } else if (!r && v->kind == TV_CONST && (v->ck == TC_INT) && v->i > 0) {
            o->verify_on = true;
        }
    } else if (!strcmp(attr, "check_hostname")) {
        int r = tls_test(v, tls_pred_falsy);
        if (r && !o->host_off) {
            o->host_off = at, o->host_ev = tls_val_ev(st, v), o->host_conf = (uint8_t)conf_of(r, DP_SCAN_HIGH);
            o->host_what = tls_printf(st, "%s: %s", what(DP_TLS_DP502), text);
        }
    }
}

static void obj_store(struct tls_state *st, const struct tls_val *ov, const char *attr,
                      const struct tls_val *v, const struct dp_py_node *vnode, const struct dp_py_node *at)
{
    struct tls_obj *o = ov->obj;
    const char *t = o->type ? o->type : "";
    if (!strcmp(t, "ssl.SSLContext")) ctx_store(st, o, attr, v, vnode, at);
    int r = 0;
    enum dp_tls_rule rule = DP_TLS_DP501;
    if (!strcmp(t, "requests.Session") && !strcmp(attr, "verify")) r = tls_test(v, tls_pred_falsy);
    if (!strcmp(t, "httplib2.Http") && !strcmp(attr, "disable_ssl_certificate_validation"))
        r = tls_test(v, tls_pred_truthy);
    if (r) {
        const char *res = tls_strcat(st, t, ".", attr);
        tls_report(st, rule, conf_of(r, DP_SCAN_HIGH), at, res,
                   tls_printf(st, "%s: %s = %s", what(rule), res, vnode ? tls_snip(st, vnode) : "?"),
                   ov->ev, tls_val_ev(st, v), NULL);
    }
    tls_obj_setattr(st, o, attr, tls_with_ev(st, v, at));
}

void tls_store_attr(struct tls_state *st, const struct tls_val *recv,
                    const struct dp_py_node *recv_node, const char *attr, const struct tls_val *v,
                    const struct dp_py_node *vnode, const struct dp_py_node *at)
{
    const struct tls_val *const *xs, *one;
    int n = tls_alts(recv, &xs, &one);
    bool ctx_attr = !strcmp(attr, "verify_mode") || !strcmp(attr, "check_hostname");
    bool some_obj = false;   /* a known object among the alternatives: no guessing for the rest */
    for (int i = 0; i < n; i++) some_obj |= xs[i]->kind == TV_OBJ;
    for (int i = 0; i < n; i++) {
        const struct tls_val *r = xs[i];
        if (r->kind == TV_QNAME && !strcmp(r->s, "ssl") &&
            (!strcmp(attr, "_create_default_https_context") || !strcmp(attr, "create_default_context"))) {
            const struct tls_val *const *ys, *yone;
            int m = tls_alts(v, &ys, &yone);
            for (int j = 0; j < m; j++)
                if (ys[j]->kind == TV_QNAME && (!strcmp(ys[j]->s, "ssl._create_unverified_context") ||
                                                !strcmp(ys[j]->s, "ssl._create_stdlib_context"))) {
                    const char *res = tls_strcat(st, "ssl.", attr, NULL);
                    tls_report(st, DP_TLS_DP501, m == 1 ? DP_SCAN_HIGH : DP_SCAN_MEDIUM, at, res,
                               tls_printf(st, "%s: %s = %s makes every default HTTPS context unverified",
                                          what(DP_TLS_DP501), res, ys[j]->s),
                               tls_val_ev(st, v), NULL, NULL);
                    break;
                }
        } else if (r->kind == TV_OBJ) {
            obj_store(st, r, attr, v, vnode, at);
        } else if (some_obj) {
            continue;
        } else if (ctx_attr && r->kind != TV_QNAME && r->kind != TV_CLASS) {
            struct tls_obj *o = receiver_obj(st, NULL, recv_node, at, "ssl.SSLContext");
            if (!o->inited) o->inited = true, o->origin = TO_UNKNOWN;
            struct tls_val ov = {.kind = TV_OBJ, .obj = o, .ev = o->ev};
            obj_store(st, &ov, attr, v, vnode, at);
        } else if (!strcmp(attr, "verify") && recv_node && tls_session_like(tls_snip(st, recv_node))) {
            int t = tls_test(v, tls_pred_falsy);
            const char *res = tls_strcat(st, tls_snip(st, recv_node), ".verify", NULL);
            if (t)
                tls_report(st, DP_TLS_DP501, DP_SCAN_MEDIUM, at, res,
                           tls_printf(st, "%s: %s = %s", what(DP_TLS_DP501), res, vnode ? tls_snip(st, vnode) : "?"),
                           tls_val_ev(st, v), NULL, NULL);
        }
    }
}

void tls_store_subscript(struct tls_state *st, const struct dp_py_node *target,
                         const struct tls_val *v, const struct dp_py_node *vnode,
                         const struct dp_py_node *at)
{
    const struct dp_py_node *rn = target->v.Subscript.value;
    const struct tls_val *recv = tls_eval(st, rn);
    const struct tls_val *key = tls_eval(st, target->v.Subscript.slice);
    if (key->kind != TV_CONST || key->ck != TC_STR) return;
    const struct tls_val *const *xs, *one;
    int n = tls_alts(recv, &xs, &one);
    for (int i = 0; i < n; i++)
        if (xs[i]->kind == TV_QNAME && !strcmp(xs[i]->s, "os.environ")) {
            tls_check_env(st, key->s, v, at, "os.environ");
            return;
        }
    if (rn->kind != DP_PY_Name || (recv->kind != TV_DICT && recv->kind != TV_UNKNOWN)) return;
    const struct tls_val *vv = v;
    if (v->kind != TV_UNKNOWN && !v->node) {
        struct tls_val *c = tls_val_copy(st, v);
        c->node = vnode;
        vv = c;
    }
    tls_rebind(st, rn->v.Name.id, tls_with_ev(st, tls_dict_set(st, recv, key->s, vv), at));
}

/* ---- deferred object findings ---------------------------------------------------------------- */

void tls_check_objects(struct tls_state *st)
{
    for (struct tls_obj *o = st->objs; o; o = o->next_all) {
        const char *t = o->type ? o->type : "";
        if (!strcmp(t, "pycurl.Curl")) {
            if (o->peer_off)
                tls_report(st, DP_TLS_DP501, o->peer_conf, o->peer_off, "pycurl.Curl.setopt", o->peer_what,
                           o->ev, o->host_off ? tls_ev_push(st, o->host_ev, o->host_off) : NULL, o->peer_ev);
            else if (o->host_off)
                tls_report(st, DP_TLS_DP502, o->host_conf, o->host_off, "pycurl.Curl.setopt", o->host_what,
                           o->ev, o->host_ev, NULL);
            continue;
        }
        if (strcmp(t, "ssl.SSLContext") != 0 || o->origin == TO_SERVER || o->origin == TO_UNVERIFIED)
            continue;
        if (o->peer_off) {
            int conf = o->origin == TO_UNKNOWN && !o->host_off ? DP_SCAN_MEDIUM : o->peer_conf;
            tls_report(st, DP_TLS_DP501, conf, o->peer_off, "ssl.SSLContext.verify_mode", o->peer_what,
                       o->ev, o->host_off ? tls_ev_push(st, o->host_ev, o->host_off) : NULL, o->peer_ev);
        } else if (o->host_off && o->origin != TO_GENERIC) {
            int conf = o->origin == TO_UNKNOWN ? DP_SCAN_MEDIUM : o->host_conf;
            tls_report(st, DP_TLS_DP502, conf, o->host_off, "ssl.SSLContext.check_hostname", o->host_what,
                       o->ev, o->host_ev, NULL);
        } else if (o->origin == TO_GENERIC && o->sink && !o->verify_on) {
            tls_report(st, DP_TLS_DP505, DP_SCAN_MEDIUM, o->sink, o->sink_name,
                       tls_printf(st, "%s: %s gets an ssl.SSLContext that was never set to verify",
                                  what(DP_TLS_DP505), o->sink_name),
                       o->ev, o->sink_ev, NULL);
        }
    }
}
