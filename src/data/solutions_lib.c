/* One HTTP request in the idiom of each client library the prompts name: requests, httpx (sync
 * and AsyncClient), urllib.request and aiohttp; sessions and clients; and where each way of
 * disabling certificate verification goes (enum dp_sol_tls). Everything is written through the
 * emitter of solutions.c. */
#include "data/solutions_int.h"
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- arguments */

struct kw {
    char b[1024];
    size_t n;
};

static void kw_add(struct kw *k, const char *name, const char *val)
{
    if (!val) return;
    int w = name ? snprintf(k->b + k->n, sizeof k->b - k->n, "%s%s=%s", k->n ? ", " : "", name, val)
                 : snprintf(k->b + k->n, sizeof k->b - k->n, "%s%s", k->n ? ", " : "", val);
    if (w > 0 && (size_t)w < sizeof k->b - k->n) k->n += (size_t)w;
}

static const char *tmo(struct sol *s, const struct hreq *q)
{
    if (q->timeout) return sol_fmt(s, "%d", q->timeout);
    return s->timeout ? s->timeout_expr : NULL;
}

/* The expression a verify= argument gets for the TLS choice (NULL: none on the call). */
static const char *verify_value(const struct sol *s)
{
    switch (s->tls) {
    case DP_SOL_TLS_KW_FALSE: case DP_SOL_TLS_SESSION: return "False";
    case DP_SOL_TLS_FLAG: return "VERIFY_SSL";
    case DP_SOL_TLS_PARAM: return "verify";
    default: return NULL;
    }
}

/* ---------------------------------------------------------------- clients */

void lib_tls_head(struct sol *s)
{
    if (s->tls == DP_SOL_TLS_NONE) return;
    if (s->tls == DP_SOL_TLS_FLAG) {
        if (sol_chance(s, 0.4)) L("# Set to True once the server has a valid certificate.");
        L("VERIFY_SSL = False");
    }
    if (s->lib == DP_PLIB_URLLIB && s->ctx_head) {
        sol_import(s, IMP_SSL);
        if (sol_chance(s, 0.5)) {
            L("SSL_CONTEXT = ssl._create_unverified_context()");
        } else {
            L("SSL_CONTEXT = ssl.create_default_context()");
            L("SSL_CONTEXT.check_hostname = False");
            L("SSL_CONTEXT.verify_mode = ssl.CERT_NONE");
        }
    }
    if (s->warn_silence && s->lib == DP_PLIB_REQUESTS) {
        sol_import(s, IMP_URLLIB3);
        L("urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)");
    }
}

static void urllib_ctx_local(struct sol *s, const char *var)
{
    sol_import(s, IMP_SSL);
    if (sol_chance(s, 0.3)) L("# The server uses a self-signed certificate.");
    if (sol_chance(s, 0.55)) {
        L("%s = ssl._create_unverified_context()", var);
    } else {
        L("%s = ssl.create_default_context()", var);
        L("%s.check_hostname = False", var);
        L("%s.verify_mode = ssl.CERT_NONE", var);
    }
}

static const char *session_args(struct sol *s, bool in_init)
{
    struct kw k = {0};
    if (s->lib == DP_PLIB_HTTPX) {
        if (s->timeout) kw_add(&k, "timeout", s->timeout_expr);
        kw_add(&k, "verify", verify_value(s));
    } else if (s->lib == DP_PLIB_AIOHTTP) {
        if (s->timeout)
            kw_add(&k, "timeout", sol_fmt(s, "aiohttp.ClientTimeout(total=%s)",
                                          in_init ? "self.timeout" : s->timeout_expr));
        if (s->tls == DP_SOL_TLS_SESSION) kw_add(&k, "connector", "aiohttp.TCPConnector(ssl=False)");
    }
    return sol_fmt(s, "%s", k.b);
}

int lib_client_open(struct sol *s)
{
    if (s->lib == DP_PLIB_URLLIB) {
        if (s->tls != DP_SOL_TLS_NONE && !s->ctx_head && s->shape != SHAPE_CLASS && !s->ctx_ready) {
            urllib_ctx_local(s, "ctx");
            s->ctx_ready = true;
        }
        return 0;
    }
    if (s->lib == DP_PLIB_AIOHTTP) {
        sol_import(s, IMP_AIOHTTP);
        L("async with aiohttp.ClientSession(%s) as %s:", session_args(s, s->shape == SHAPE_CLASS), s->sess);
        sol_in(s);
        return 1;
    }
    if (!s->session || s->shape == SHAPE_CLASS) return 0;
    if (s->lib == DP_PLIB_HTTPX) {
        sol_import(s, IMP_HTTPX);
        L("%s httpx.%s(%s) as %s:", s->is_async ? "async with" : "with",
          s->is_async ? "AsyncClient" : "Client", session_args(s, false), s->sess);
        sol_in(s);
        return 1;
    }
    sol_import(s, IMP_REQUESTS);
    int blocks = 0;
    if (sol_chance(s, 0.6)) {
        L("with requests.Session() as %s:", s->sess);
        sol_in(s);
        blocks = 1;
    } else {
        L("%s = requests.Session()", s->sess);
    }
    if (s->tls == DP_SOL_TLS_SESSION) L("%s.verify = False", s->sess);
    if (sol_chance(s, 0.3)) L("%s.headers.update({\"Accept\": \"application/json\"})", s->sess);
    return blocks;
}

void lib_client_init(struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_REQUESTS:
        sol_import(s, IMP_REQUESTS);
        L("self.session = requests.Session()");
        if (s->tls == DP_SOL_TLS_SESSION) L("self.session.verify = False");
        break;
    case DP_PLIB_HTTPX:
        sol_import(s, IMP_HTTPX);
        L("self.client = httpx.Client(%s)", session_args(s, false));
        break;
    case DP_PLIB_URLLIB:
        if (s->tls != DP_SOL_TLS_NONE && !s->ctx_head) urllib_ctx_local(s, "self.context");
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- requests and httpx */

static int send_requests_like(struct sol *s, const struct hreq *q, bool httpx)
{
    struct kw k = {0};
    const char *recv = s->session ? s->sess : httpx ? "httpx" : "requests";
    sol_import(s, httpx ? IMP_HTTPX : IMP_REQUESTS);
    if (httpx && q->stream) kw_add(&k, NULL, sol_fmt(s, "\"%s\"", q->method[0] == 'g' ? "GET" : "POST"));
    kw_add(&k, NULL, q->url);
    kw_add(&k, "params", q->params);
    kw_add(&k, "headers", q->headers);
    kw_add(&k, "json", q->json);
    kw_add(&k, "data", q->data);
    if (q->files && sol_chance(s, 0.5)) {
        kw_add(&k, "files", sol_fmt(s, "{\"file\": %s}", q->files));
    } else if (q->files) {
        sol_import(s, IMP_OS);
        kw_add(&k, "files", sol_fmt(s, "{\"file\": (os.path.basename(%s), %s)}", q->fpath, q->files));
    }
    kw_add(&k, "auth", q->auth);
    if (q->stream && !httpx) kw_add(&k, "stream", "True");
    bool module_call = !s->session;
    if (s->tls == DP_SOL_TLS_KWARGS) {
        const char *t = tmo(s, q);
        if (t) L("options = {\"timeout\": %s, \"verify\": False}", t);
        else L("options = {\"verify\": False}");
        kw_add(&k, NULL, "**options");
    } else {
        if (!(httpx && s->session)) kw_add(&k, "timeout", tmo(s, q));
        /* httpx takes verify= on its module functions and on Client(), not on client methods */
        if ((!httpx || module_call) && s->tls != DP_SOL_TLS_SESSION) kw_add(&k, "verify", verify_value(s));
    }
    const char *aw = s->is_async ? "await " : "";
    if (q->stream && httpx) {
        L("%s %s.stream(%s) as %s:", s->is_async ? "async with" : "with", recv, k.b, s->r);
        sol_in(s);
        return 1;
    }
    if (q->stream && sol_chance(s, 0.6)) {
        L("with %s.%s(%s) as %s:", recv, q->method, k.b, s->r);
        sol_in(s);
        return 1;
    }
    L("%s = %s%s.%s(%s)", s->r, aw, recv, q->method, k.b);
    return 0;
}

/* ---------------------------------------------------------------- urllib */

static int send_urllib(struct sol *s, const struct hreq *q)
{
    sol_import(s, IMP_URLLIB_REQUEST);
    const char *url = q->url, *body = NULL, *hdr = q->headers;
    const char *params = q->params ? q->params : q->files ? q->data : NULL;   /* upload fields go in the query */
    if (params) {
        sol_import(s, IMP_URLLIB_PARSE);
        L("query = urllib.parse.urlencode(%s)", params);
        L("full_url = f\"{%s}?{query}\"", q->url);
        url = "full_url";
    }
    if (q->json) {
        sol_import(s, IMP_JSON);
        L("body = json.dumps(%s).encode(\"utf-8\")", q->json);
        body = "body";
        if (hdr) L("request_headers = {**%s, \"Content-Type\": \"application/json\"}", hdr);
        else L("request_headers = {\"Content-Type\": \"application/json\"}");
        hdr = "request_headers";
    } else if (q->data && !q->files) {
        sol_import(s, IMP_URLLIB_PARSE);
        L("body = urllib.parse.urlencode(%s).encode(\"utf-8\")", q->data);
        body = "body";
    } else if (q->files) {
        L("body = %s.read()", q->files);
        body = "body";
        if (hdr) L("request_headers = {**%s, \"Content-Type\": \"application/octet-stream\"}", hdr);
        else L("request_headers = {\"Content-Type\": \"application/octet-stream\"}");
        hdr = "request_headers";
    }
    const char *target = url;
    bool is_get = !strcmp(q->method, "get");
    if (body || hdr || !is_get) {
        struct kw k = {0};
        kw_add(&k, NULL, url);
        kw_add(&k, "data", body);
        kw_add(&k, "headers", hdr);
        if (!is_get || (body && sol_chance(s, 0.5))) {
            char up[16];
            size_t i = 0;
            for (; q->method[i] && i < sizeof up - 1; i++) up[i] = (char)(q->method[i] - 32);
            up[i] = 0;
            kw_add(&k, "method", sol_fmt(s, "\"%s\"", up));
        }
        const char *rq = PICK("req", "request");
        L("%s = urllib.request.Request(%s)", rq, k.b);
        target = rq;
    }
    struct kw k = {0};
    kw_add(&k, NULL, target);
    kw_add(&k, "timeout", tmo(s, q));
    if (s->tls != DP_SOL_TLS_NONE) {
        sol_import(s, IMP_SSL);
        kw_add(&k, "context", s->ctx_head ? "SSL_CONTEXT" : s->shape == SHAPE_CLASS ? "self.context"
                              : s->ctx_ready ? "ctx" : "ssl._create_unverified_context()");
    }
    L("with urllib.request.urlopen(%s) as %s:", k.b, s->r);
    sol_in(s);
    return 1;
}

/* ---------------------------------------------------------------- aiohttp */

static int send_aiohttp(struct sol *s, const struct hreq *q)
{
    struct kw k = {0};
    kw_add(&k, NULL, q->url);
    kw_add(&k, "params", q->params);
    kw_add(&k, "headers", q->headers);
    kw_add(&k, "json", q->json);
    if (q->files) {
        L("form = aiohttp.FormData()");
        if (q->data) {
            L("for key, value in %s.items():", q->data);
            L("    form.add_field(key, str(value))");
        }
        L("form.add_field(\"file\", %s, filename=os.path.basename(%s))", q->files, q->fpath);
        sol_import(s, IMP_OS);
        kw_add(&k, "data", "form");
    } else {
        kw_add(&k, "data", q->data);
    }
    kw_add(&k, "auth", q->auth);
    if (q->timeout) kw_add(&k, "timeout", sol_fmt(s, "aiohttp.ClientTimeout(total=%d)", q->timeout));
    if (s->tls == DP_SOL_TLS_KW_FALSE) kw_add(&k, "ssl", "False");
    L("async with %s.%s(%s) as %s:", s->sess, q->method, k.b, s->r);
    sol_in(s);
    return 1;
}

int lib_send(struct sol *s, const struct hreq *q)
{
    switch (s->lib) {
    case DP_PLIB_URLLIB: return send_urllib(s, q);
    case DP_PLIB_AIOHTTP: return send_aiohttp(s, q);
    case DP_PLIB_HTTPX: return send_requests_like(s, q, true);
    default: return send_requests_like(s, q, false);
    }
}

/* ---------------------------------------------------------------- responses */

void lib_raise(struct sol *s)
{
    if (s->lib == DP_PLIB_URLLIB) return;   /* urlopen raises HTTPError for 4xx and 5xx itself */
    if (s->raise_status) {
        L("%s.raise_for_status()", s->r);
        s->notes |= NOTE_RAISE;
        return;
    }
    L("if %s >= 400:", lib_status(s));
    sol_in(s);
    L("raise RuntimeError(f\"Request failed with status {%s}\")", lib_status(s));
    sol_out(s);
}

const char *lib_json(struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_AIOHTTP: return sol_fmt(s, "await %s.json()", s->r);
    case DP_PLIB_URLLIB:
        sol_import(s, IMP_JSON);
        return s->json_load ? sol_fmt(s, "json.load(%s)", s->r)
                            : sol_fmt(s, "json.loads(%s.read().decode(\"utf-8\"))", s->r);
    default: return sol_fmt(s, "%s.json()", s->r);
    }
}

const char *lib_text(struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_AIOHTTP: return sol_fmt(s, "await %s.text()", s->r);
    case DP_PLIB_URLLIB: return sol_fmt(s, "%s.read().decode(\"utf-8\", errors=\"replace\")", s->r);
    default: return sol_fmt(s, "%s.text", s->r);
    }
}

const char *lib_status(struct sol *s)
{
    bool code = s->lib == DP_PLIB_REQUESTS || s->lib == DP_PLIB_HTTPX;
    return sol_fmt(s, "%s.%s", s->r, code ? "status_code" : "status");
}

void lib_chunks(struct sol *s, const char *var)
{
    switch (s->lib) {
    case DP_PLIB_AIOHTTP:
        L("async for %s in %s.content.iter_chunked(8192):", var, s->r);
        break;
    case DP_PLIB_URLLIB:
        if (sol_chance(s, 0.5)) L("while %s := %s.read(8192):", var, s->r);
        else L("for %s in iter(lambda: %s.read(8192), b\"\"):", var, s->r);
        break;
    case DP_PLIB_HTTPX:
        L("%s %s in %s.%s():", s->is_async ? "async for" : "for", var, s->r,
          s->is_async ? "aiter_bytes" : "iter_bytes");
        break;
    default:
        L("for %s in %s.iter_content(chunk_size=%s):", var, s->r, PICK("8192", "1024 * 64", "65536"));
        break;
    }
    sol_in(s);
}

const char *lib_error(struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_AIOHTTP: return "aiohttp.ClientError";
    case DP_PLIB_URLLIB: sol_import(s, IMP_URLLIB_ERROR); return "urllib.error.URLError";
    case DP_PLIB_HTTPX: return "httpx.HTTPError";
    default: return PICK("requests.exceptions.RequestException", "requests.RequestException");
    }
}
