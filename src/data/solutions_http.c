/* HTTP answers: the unit machinery (one function, or a method of a client class, with its
 * docstring, error handling, module constants and usage example, in the structure drawn) and
 * the writers of the first families (fetch_json, download_file, post_json, post_form,
 * upload_file, paginate); the others are in solutions_http2.c and solutions_http3.c. */
#include "data/solutions_int.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- helpers for writers */

const char *sol_url(struct sol *s)
{
    if (!s->url[0])
        snprintf(s->url, sizeof s->url, "https://%s/%s/%s", sol_slot(s, "host", false, "api.example.com"),
                 sol_slot(s, "ver", false, "v1"), sol_slot(s, "resource", true, "items"));
    return s->url;
}

int sol_send(struct sol *s, const char *method, const char *url, const struct hreq *more)
{
    struct hreq q = {0};
    if (more) q = *more;
    if ((s->want & WANT_UA) && !q.headers) {   /* "Set a custom User-Agent header." */
        if (!s->ua_done) {
            struct dp_sbuf *out = s->out;
            int ind = s->ind;
            s->out = &s->head;
            s->ind = 0;
            L("HEADERS = {\"User-Agent\": \"%s\"}", PICK("my-app/1.0", "example-client/0.1", "python-script/1.0"));
            s->out = out;
            s->ind = ind;
            s->ua_done = true;
        }
        q.headers = "HEADERS";
    }
    q.method = method;
    q.url = url;
    return lib_send(s, &q);
}

void sol_close(struct sol *s, int blocks)
{
    if (blocks && s->out->n >= 2 && s->out->p[s->out->n - 2] == ':') L("pass");   /* never an empty block */
    s->ind -= blocks;
}

void sol_no_params(struct sol *s)
{
    if (s->tls == DP_SOL_TLS_PARAM) s->tls = DP_SOL_TLS_FLAG;
    if (s->timeout_param) {
        s->timeout_param = false;
        snprintf(s->timeout_expr, sizeof s->timeout_expr, "%d", s->timeout);
    }
}

void sol_return(struct sol *s, const char *expr)
{
    if (s->in_generator) L("return");
    else L("return %s", expr);
}

void sol_say(struct sol *s, const char *body)
{
    if (s->logging && sol_chance(s, 0.3)) L("logger.info(f\"%s\")", body);
    else L("print(f\"%s\")", body);
}

void sol_try(struct sol *s)
{
    if (s->errors == ERR_NONE) return;
    L("try:");
    sol_in(s);
}

void sol_except(struct sol *s, const char *what)
{
    if (s->errors == ERR_NONE) return;
    sol_out(s);
    const char *exc = lib_error(s);
    if (s->lib == DP_PLIB_AIOHTTP && sol_chance(s, 0.4)) {
        sol_import(s, IMP_ASYNCIO);
        exc = sol_fmt(s, "(%s, asyncio.TimeoutError)", exc);
    }
    L("except %s as exc:", exc);
    sol_in(s);
    if (s->logging) L("logger.error(\"Failed to %s: %%s\", exc)", what);
    else L("print(f\"Failed to %s: {exc}\")", what);
    if (s->errors == ERR_RETURN_NONE) sol_return(s, "None");
    else L("raise");
    sol_out(s);
}

/* ---------------------------------------------------------------- the unit */

bool sol_class_ok(const char *family, int k)
{
    static const char *const ok[] = {"fetch_json", "post_json", "auth_headers", "update_delete",
                                     "query_params", "api_client_class", "health_check", "post_form"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!strcmp(family, ok[i]))
            return !(k == 3 && (!strcmp(family, "update_delete") || !strcmp(family, "fetch_json"))) &&
                   !(k == 1 && !strcmp(family, "health_check"));
    return !strcmp(family, "paginate") && k != 2;
}

static const char *upper(struct sol *s, const char *name)
{
    char b[64];
    size_t i = 0;
    for (; name[i] && i < sizeof b - 1; i++) b[i] = (char)toupper((unsigned char)name[i]);
    b[i] = 0;
    if (!strcmp(b, "URL")) return PICK("URL", "API_URL", "ENDPOINT");
    return sol_fmt(s, "%s", b);
}

/* The parameter list; consts: the constant names stand for the example values (SCRIPT). */
static const char *params_of(struct sol *s, const struct unit *u, bool self)
{
    struct dp_sbuf b = {0};
    if (self) dp_sbuf_puts(&b, "self");
    for (int i = 0; i < u->np; i++) {
        const struct param *p = &u->p[i];
        if (b.n) dp_sbuf_puts(&b, ", ");
        dp_sbuf_puts(&b, p->name);
        if (s->hints && p->hint) dp_sbuf_printf(&b, ": %s", sol_hint(s, p->hint, false));
        if (p->def) dp_sbuf_printf(&b, s->hints && p->hint ? " = %s" : "=%s", p->def);
    }
    if (!self && s->timeout_param)
        dp_sbuf_printf(&b, "%s%s%s", b.n ? ", " : "", s->hints ? "timeout: float = " : "timeout=",
                       sol_fmt(s, "%d", s->timeout));
    if (!self && s->tls == DP_SOL_TLS_PARAM)
        dp_sbuf_printf(&b, "%s%s", b.n ? ", " : "", s->hints ? "verify: bool = False" : "verify=False");
    const char *r = sol_fmt(s, "%s", b.p ? b.p : "");
    dp_sbuf_free(&b);
    return r;
}

static void docstring(struct sol *s, const struct unit *u)
{
    if (!s->doc || !u->doc) return;
    if (u->np == 0 || sol_chance(s, 0.6)) {
        L("\"\"\"%s\"\"\"", u->doc);
        return;
    }
    L("\"\"\"%s", u->doc);
    sol_blank(s);
    L("Args:");
    for (int i = 0; i < u->np; i++) {
        char words[64];
        snprintf(words, sizeof words, "%s", u->p[i].name);
        for (char *c = words; *c; c++) if (*c == '_') *c = ' ';
        L("    %s: %s", u->p[i].name, !strcmp(u->p[i].name, "url") ? "The URL to request." : sol_fmt(s, "The %s.", words));
    }
    if (u->ret) {
        sol_blank(s);
        L("Returns:");
        L("    %s", u->ret_opt ? "The result, or None if the request failed." : "The result.");
    }
    L("\"\"\"");
}

static void args_call(struct sol *s, const struct unit *u, const char *consts[6], struct dp_sbuf *b)
{
    for (int i = 0; i < u->np; i++) {
        if (i) dp_sbuf_puts(b, ", ");
        const char *v = u->p[i].example ? u->p[i].example : u->p[i].def ? u->p[i].def : "None";
        if (!consts && strstr(v, "os.")) sol_import(s, IMP_OS);
        dp_sbuf_puts(b, consts ? consts[i] : v);
    }
}

static void show(struct sol *s, const struct unit *u, const char *call)
{
    bool quiet = s->want & WANT_NO_PRINT;
    if (u->generator) {
        L("%s item in %s:", s->is_async ? "async for" : "for", call);
        L("    print(item)");
    } else if (!u->ret || (u->show && !u->show[0])) {
        L("%s%s", s->is_async && s->shape != SHAPE_SCRIPT ? "" : "", call);
    } else {
        const char *v = PICK("result", "data", "result");
        if (quiet) {
            L("%s", call);
            return;
        }
        L("%s = %s", v, call);
        L(u->show ? u->show : "print(%s)", v);
    }
}

static void write_class(struct sol *s, const struct unit *u, const char *fname)
{
    const char *cls = s->cls[0] ? s->cls : u->cls ? u->cls : "ApiClient";
    L("class %s:", cls);
    sol_in(s);
    if (s->doc) L("\"\"\"%s\"\"\"", PICK("A small client for the API.", "Thin wrapper around the HTTP API.", "Client that reuses one connection pool."));
    sol_blank(s);
    if (s->timeout) L("def __init__(self, timeout%s%d)%s:", s->hints ? ": float = " : "=", s->timeout, s->hints ? " -> None" : "");
    else L("def __init__(self)%s:", s->hints ? " -> None" : "");
    sol_in(s);
    size_t before = s->out->n;
    if (s->timeout) L("self.timeout = timeout");
    lib_client_init(s);
    if (s->out->n == before) L("self.headers = {\"Accept\": \"application/json\"}");
    sol_out(s);
    sol_blank(s);
    L("%sdef %s(%s)%s:", s->is_async ? "async " : "", fname, params_of(s, u, true),
      u->ret ? sol_ret(s, u->ret, u->ret_opt) : sol_ret(s, "none", false));
    sol_in(s);
    docstring(s, u);
    u->body(s, u);
    sol_out(s);
    if (s->lib == DP_PLIB_REQUESTS || (s->lib == DP_PLIB_HTTPX && !s->is_async)) {
        sol_blank(s);
        L("def close(self)%s:", s->hints ? " -> None" : "");
        L("    self.%s.close()", s->lib == DP_PLIB_REQUESTS ? "session" : "client");
    }
    sol_out(s);
    sol_gap(s);
    L("if __name__ == \"__main__\":");
    sol_in(s);
    if (s->logging) L("logging.basicConfig(level=logging.INFO)");
    const char *obj = PICK("client", "api", "service");
    L("%s = %s()", obj, cls);
    struct dp_sbuf a = {0};
    args_call(s, u, NULL, &a);
    const char *call = sol_fmt(s, "%s.%s(%s)", obj, fname, a.p ? a.p : "");
    if (s->is_async) call = sol_fmt(s, "asyncio.run(%s)", call), sol_import(s, IMP_ASYNCIO);
    dp_sbuf_free(&a);
    if (u->generator) L("print(list(%s))", call);
    else show(s, u, call);
    sol_out(s);
}

void sol_unit(struct sol *s, const struct unit *u)
{
    const char *fname = s->fname[0] && islower((unsigned char)s->fname[0]) && strcmp(s->fname, "main")
                        ? s->fname : u->fname;
    if (s->shape == SHAPE_CLASS && u->no_class) {   /* a writer that cannot be a method */
        s->shape = SHAPE_FUNC;
        snprintf(s->timeout_expr, sizeof s->timeout_expr, "%d", s->timeout);
        if (s->lib == DP_PLIB_REQUESTS) s->sess = "session";
        if (s->lib == DP_PLIB_HTTPX) s->sess = "client";
    }
    s->out = &s->head;
    if (s->consts && s->timeout) L("TIMEOUT = %d%s", s->timeout, sol_chance(s, 0.3) ? "  # seconds" : "");
    if (s->logging) {
        sol_import(s, IMP_LOGGING);
        L("logger = logging.getLogger(__name__)");
    }
    lib_tls_head(s);
    const char *consts[6] = {0};
    if (s->shape == SHAPE_SCRIPT)
        for (int i = 0; i < u->np; i++) {
            consts[i] = upper(s, u->p[i].name);
            const char *v = u->p[i].example ? u->p[i].example : u->p[i].def ? u->p[i].def : "None";
            if (strstr(v, "os.")) sol_import(s, IMP_OS);
            L("%s = %s", consts[i], v);
        }
    s->out = &s->body;
    if (u->pre) {
        dp_sbuf_puts(s->out, u->pre);
        sol_gap(s);
    }
    if (s->shape == SHAPE_CLASS) { write_class(s, u, fname); return; }
    s->in_generator = u->generator;
    const char *ret = u->ret ? sol_ret(s, u->ret, u->ret_opt) : sol_ret(s, "none", false);
    if (u->generator) ret = s->hints && !s->is_async ? sol_fmt(s, " -> Iterator[%s]", sol_hint(s, "json", false)) : "";
    if (u->generator && s->hints && !s->is_async) s->typing |= TY_ITERATOR;
    L("%sdef %s(%s)%s:", s->is_async ? "async " : "", fname, params_of(s, u, false), ret);
    sol_in(s);
    docstring(s, u);
    u->body(s, u);
    sol_out(s);
    s->in_generator = false;
    sol_gap(s);
    bool script = s->shape == SHAPE_SCRIPT;
    if (!script && (s->want & WANT_NO_PRINT) && !(s->want & WANT_EXAMPLE)) return;
    if (!script && !(s->want & WANT_EXAMPLE) && sol_chance(s, 0.25)) return;
    struct dp_sbuf a = {0};
    args_call(s, u, script ? consts : NULL, &a);
    const char *call = sol_fmt(s, "%s%s(%s)", s->is_async && !u->generator ? "await " : "", fname, a.p ? a.p : "");
    dp_sbuf_free(&a);
    if (script) {
        L("%sdef main()%s:", s->is_async ? "async " : "", s->hints ? " -> None" : "");
        sol_in(s);
        if (s->logging) L("logging.basicConfig(level=logging.INFO)");
        show(s, u, call);
        sol_out(s);
        sol_gap(s);
        L("if __name__ == \"__main__\":");
        if (s->is_async) sol_import(s, IMP_ASYNCIO);
        L(s->is_async ? "    asyncio.run(main())" : "    main()");
        return;
    }
    L("if __name__ == \"__main__\":");
    sol_in(s);
    if (s->logging) L("logging.basicConfig(level=logging.INFO)");
    if (s->is_async) sol_import(s, IMP_ASYNCIO);
    if (s->is_async && !u->generator) {
        call = sol_fmt(s, "asyncio.run(%s)", call + 6);
    } else if (s->is_async) {
        L("async def demo()%s:", s->hints ? " -> None" : "");
        sol_in(s);
        show(s, u, call);
        sol_out(s);
        sol_blank(s);
        L("asyncio.run(demo())");
        sol_out(s);
        return;
    }
    show(s, u, call);
    sol_out(s);
}

/* ---------------------------------------------------------------- shared bits of writers */

/* Headers of the request itself: none (a User-Agent the prompt asks for comes from sol_send). */
static const char *ua_headers(struct sol *s)
{
    (void)s;
    return NULL;
}

static const char *url_example(struct sol *s, const char *url)
{
    if (!(s->want & WANT_ENV_URL)) return sol_fmt(s, "\"%s\"", url);
    s->notes |= NOTE_ENV;
    return sol_fmt(s, "os.environ.get(\"API_URL\", \"%s\")", url);
}

static void write_chunks(struct sol *s, const char *dest, bool progress)
{
    if (s->lib == DP_PLIB_URLLIB && !progress && sol_chance(s, 0.5)) {
        sol_import(s, IMP_SHUTIL);
        L("with open(%s, \"wb\") as fh:", dest);
        L("    shutil.copyfileobj(%s, fh)", s->r);
        return;
    }
    if (progress) {
        L("total = int(%s.headers.get(\"Content-Length\", 0))", s->r);
        L("done = 0");
    }
    L("with open(%s, \"wb\") as fh:", dest);
    sol_in(s);
    lib_chunks(s, "chunk");
    L("fh.write(chunk)");
    if (progress) {
        L("done += len(chunk)");
        L("if total:");
        L("    print(f\"\\r{done * 100 // total}%% ({done}/{total} bytes)\", end=\"\", flush=True)");
    }
    sol_out(s);
    sol_out(s);
    if (progress) L("print()");
    s->notes |= NOTE_STREAM;
}

static const char *payload_example(struct sol *s)
{
    const char *p = sol_slot(s, "payload", false, "");
    if (strstr(p, "user")) return "{\"name\": \"Ada Lovelace\", \"email\": \"ada@example.com\"}";
    if (strstr(p, "ticket")) return "{\"subject\": \"Printer offline\", \"priority\": \"high\"}";
    if (strstr(p, "order")) return "{\"customer_id\": 42, \"items\": [{\"sku\": \"A-1\", \"qty\": 2}, {\"sku\": \"B-7\", \"qty\": 1}]}";
    if (strstr(p, "comment")) return "{\"post_id\": 7, \"body\": \"Great write-up!\"}";
    if (strstr(p, "event")) return "{\"title\": \"Team sync\", \"start\": \"2024-05-06T10:00:00Z\"}";
    if (strstr(p, "product")) return "{\"name\": \"Desk lamp\", \"price\": 39.9}";
    if (strstr(p, "task")) return "{\"title\": \"Write report\", \"done\": False}";
    if (strstr(p, "refund")) return "{\"order_id\": 1001, \"reason\": \"damaged\"}";
    return PICK("{\"name\": \"example\", \"value\": 42}", "{\"title\": \"Hello\", \"body\": \"First post\"}");
}

/* ---------------------------------------------------------------- fetch_json */

static void b_fetch(struct sol *s, const struct unit *u)
{
    sol_try(s);
    int b = lib_client_open(s);
    struct hreq q = {.headers = ua_headers(s)};
    if (u->np > 1 && !strcmp(u->p[1].name, "params")) q.params = "params";
    b += sol_send(s, "get", "url", &q);
    lib_raise(s);
    bool direct = s->errors == ERR_NONE && sol_chance(s, 0.5);
    if (direct) {
        sol_return(s, lib_json(s));
        sol_close(s, b);
        return;
    }
    L("data = %s", lib_json(s));
    sol_close(s, b);
    sol_except(s, "fetch data");
    L("return data");
}

static void b_fetch_field(struct sol *s, const struct unit *u)
{
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &(struct hreq){.headers = ua_headers(s)});
    lib_raise(s);
    L("data = %s", lib_json(s));
    sol_close(s, b);
    L("items = data[\"items\"] if isinstance(data, dict) else data");
    L("for item in items:");
    L("    print(item.get(\"%s\"))", u->p[1].def);
}

static void b_fetch_objects(struct sol *s, const struct unit *u)
{
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &(struct hreq){.headers = ua_headers(s)});
    lib_raise(s);
    L("data = %s", lib_json(s));
    sol_close(s, b);
    L("return [%s(id=item[\"id\"], name=item.get(\"name\", \"\")) for item in data]", u->cls);
}

static void b_fetch_save(struct sol *s, const struct unit *u)
{
    sol_import(s, IMP_JSON);
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &(struct hreq){.headers = ua_headers(s)});
    lib_raise(s);
    L("data = %s", lib_json(s));
    sol_close(s, b);
    L("with open(path, \"w\", encoding=\"utf-8\") as fh:");
    L("    json.dump(data, fh, indent=2)");
    L("return len(data)");
}

static void fam_fetch(struct sol *s)
{
    const char *url = url_example(s, sol_url(s));
    const char *res = sol_slot(s, "resource", true, "items");
    struct unit u = {.fname = PICK("fetch_json", "get_json", "fetch_data"), .cls = "ApiClient",
                     .p = {{"url", "str", NULL, url}}, .np = 1, .ret = "json", .body = b_fetch,
                     .doc = "Fetch JSON from the URL and return it as Python data."};
    u.ret_opt = s->errors == ERR_RETURN_NONE;
    if (s->k == 0 && s->lib != DP_PLIB_URLLIB && sol_chance(s, 0.3)) {
        u.p[1] = (struct param){"params", "dict", "None", "{\"limit\": 50}"};
        u.np = 2;
        if (s->hints) u.p[1].def = "None";
        u.p[1].hint = NULL;
    }
    if (s->k == 1) {
        const char *f = sol_slot(s, "field", false, "name");
        char key[32];
        snprintf(key, sizeof key, "%s", f);
        for (char *c = key; *c; c++) if (*c == ' ') { *c = 0; break; }
        u = (struct unit){.fname = PICK("print_fields", "show_items", "list_values"), .body = b_fetch_field,
                          .p = {{"url", "str", NULL, url}, {"field", "str", sol_fmt(s, "\"%s\"", key), NULL}},
                          .np = 1, .doc = "Print one field of every item the API returns."};
        u.p[1].def = sol_fmt(s, "%s", key);
    } else if (s->k == 3) {
        char cls[40] = "Record";
        size_t n = strlen(res);
        if (n > 1 && n < sizeof cls && !strchr(res, '/')) {
            snprintf(cls, sizeof cls, "%s", res);
            cls[0] = (char)toupper((unsigned char)cls[0]);
            if (cls[n - 1] == 's') cls[n - 1] = 0;
        }
        sol_from_import(s, "from dataclasses import dataclass");
        u = (struct unit){.fname = PICK("load_items", "fetch_records", "load_objects"), .body = b_fetch_objects,
                          .p = {{"url", "str", NULL, url}}, .np = 1, .ret = sol_fmt(s, "list:%s", cls),
                          .doc = "Load the records from the endpoint as dataclass objects.",
                          .cls = sol_fmt(s, "%s", cls), .no_class = true,
                          .pre = sol_fmt(s, "@dataclass\nclass %s:\n    id: int\n    name: str\n", cls)};
    } else if (s->k == 4) {
        u = (struct unit){.fname = PICK("save_json", "download_json", "fetch_and_save"), .body = b_fetch_save,
                          .p = {{"url", "str", NULL, url}, {"path", "str", sol_fmt(s, "\"%s.json\"", res), NULL}},
                          .np = 2, .ret = "int", .show = "print(f\"Saved {%s} records\")",
                          .doc = "Fetch the records and save them to a JSON file."};
        u.p[1].example = u.p[1].def;
        if (strchr(res, '/')) u.p[1].def = u.p[1].example = "\"data.json\"";
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- download_file */

static void b_download(struct sol *s, const struct unit *u)
{
    bool folder = !strcmp(u->p[1].name, "folder"), progress = s->k == 1;
    const char *dest = u->p[1].name;
    if (folder) {
        sol_import(s, IMP_OS);
        sol_import(s, IMP_URLLIB_PARSE);
        L("filename = os.path.basename(urllib.parse.urlparse(url).path) or \"download.bin\"");
        L("os.makedirs(folder, exist_ok=True)");
        L("dest = os.path.join(folder, filename)");
        dest = "dest";
    }
    sol_try(s);
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &(struct hreq){.stream = true, .headers = ua_headers(s)});
    lib_raise(s);
    write_chunks(s, dest, progress);
    sol_close(s, b);
    sol_except(s, "download the file");
    L("return %s", dest);
}

static void b_download_list(struct sol *s, const struct unit *u)
{
    sol_import(s, IMP_OS);
    sol_import(s, IMP_URLLIB_PARSE);
    L("with open(urls_file, encoding=\"utf-8\") as fh:");
    L("    urls = [line.strip() for line in fh if line.strip()]");
    L("os.makedirs(folder, exist_ok=True)");
    L("saved = []");
    int b = lib_client_open(s);
    L("for url in urls:");
    sol_in(s);
    L("filename = os.path.basename(urllib.parse.urlparse(url).path) or \"index.html\"");
    L("dest = os.path.join(folder, filename)");
    int b2 = sol_send(s, "get", "url", &(struct hreq){.stream = true});
    lib_raise(s);
    write_chunks(s, "dest", false);
    sol_close(s, b2);
    L("saved.append(dest)");
    sol_out(s);
    sol_close(s, b);
    L("return saved");
}

static void b_download_etag(struct sol *s, const struct unit *u)
{
    sol_import(s, IMP_OS);
    L("etag_path = dest + \".etag\"");
    L("headers = {}");
    L("if os.path.exists(etag_path):");
    L("    with open(etag_path, encoding=\"utf-8\") as fh:");
    L("        headers[\"If-None-Match\"] = fh.read().strip()");
    int b = lib_client_open(s);
    bool urllib = s->lib == DP_PLIB_URLLIB;
    if (urllib) {
        sol_import(s, IMP_URLLIB_ERROR);
        L("try:");
        sol_in(s);
    }
    int b2 = sol_send(s, "get", "url", &(struct hreq){.stream = true, .headers = "headers"});
    if (!urllib) {
        L("if %s == 304:", lib_status(s));
        L("    return False");
    }
    lib_raise(s);
    write_chunks(s, "dest", false);
    L("etag = %s.headers.get(\"ETag\")", s->r);
    sol_close(s, b2);
    if (urllib) {
        sol_out(s);
        L("except urllib.error.HTTPError as err:");
        L("    if err.code == 304:");
        L("        return False");
        L("    raise");
    }
    sol_close(s, b);
    L("if etag:");
    L("    with open(etag_path, \"w\", encoding=\"utf-8\") as fh:");
    L("        fh.write(etag)");
    L("return True");
}

static void fam_download(struct sol *s)
{
    const char *file = sol_slot(s, "file", true, "files/report.pdf");
    if (!s->url[0]) snprintf(s->url, sizeof s->url, "https://%s/%s", sol_slot(s, "host", false, "files.example.com"), file);
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    const char *url = url_example(s, s->url), *dest = sol_fmt(s, "\"%s\"", base);
    const char *dn = PICK("dest", "output_path", "filename", "save_path");
    struct unit u = {.fname = PICK("download_file", "fetch_file", "save_url"), .body = b_download,
                     .p = {{"url", "str", NULL, url}, {dn, "str", NULL, dest}}, .np = 2, .ret = "str",
                     .doc = "Download the file at url and save it to disk.", .no_class = true,
                     .show = "print(f\"Saved to {%s}\")", .ret_opt = s->errors == ERR_RETURN_NONE};
    if (s->k == 1) u.doc = "Download a large file in chunks, printing the progress.";
    if (s->k == 2) {
        u.p[1] = (struct param){"folder", "str", NULL, PICK("\"downloads\"", "\"data\"", "\".\"")};
        u.doc = "Download url into folder, keeping the file name from the URL.";
    } else if (s->k == 3) {
        u = (struct unit){.fname = PICK("download_all", "download_from_list", "fetch_files"), .body = b_download_list,
                          .p = {{"urls_file", "str", NULL, "\"urls.txt\""}, {"folder", "str", "\"downloads\"", "\"downloads\""}},
                          .np = 2, .ret = "list_str", .doc = "Download every URL listed in urls_file into folder.",
                          .no_class = true, .show = "print(f\"Downloaded {len(%s)} files\")"};
    } else if (s->k == 4) {
        u = (struct unit){.fname = PICK("download_if_changed", "sync_file", "fetch_if_modified"), .body = b_download_etag,
                          .p = {{"url", "str", NULL, url}, {"dest", "str", NULL, dest}}, .np = 2, .ret = "bool",
                          .doc = "Download url to dest unless the server says it has not changed (ETag).",
                          .no_class = true, .show = "print(\"updated\" if %s else \"unchanged\")"};
        s->errors = ERR_NONE;
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- post_json and post_form */

static void b_post(struct sol *s, const struct unit *u)
{
    bool form = !strcmp(s->family, "post_form");
    const char *body = u->p[1].name;
    if (form && s->k == 0) { L("data = {\"username\": username, \"password\": password}"); body = "data"; }
    if (form && s->k == 3) { L("data = {\"name\": name, \"email\": email, \"message\": message}"); body = "data"; }
    struct hreq q = {.headers = ua_headers(s)};
    if (form) q.data = body; else q.json = body;
    bool validation = !form && s->k == 1;
    if (validation && s->lib == DP_PLIB_URLLIB) {
        sol_import(s, IMP_URLLIB_ERROR);
        sol_import(s, IMP_JSON);
        L("try:");
        sol_in(s);
        int b = sol_send(s, "post", "url", &q);
        L("return %s", lib_json(s));
        sol_close(s, b);
        sol_out(s);
        L("except urllib.error.HTTPError as err:");
        L("    if err.code in (400, 422):");
        L("        print(f\"Validation failed: {err.read().decode('utf-8')}\")");
        L("        return None");
        L("    raise");
        return;
    }
    sol_try(s);
    int b = lib_client_open(s);
    b += sol_send(s, "post", "url", &q);
    if (validation) {
        L("if %s in (400, 422):", lib_status(s));
        L("    print(f\"Validation failed: {%s}\")", lib_json(s));
        L("    return None");
    }
    if (!form && s->k == 2) {
        L("print(f\"Status: {%s}\")", lib_status(s));
        L("print(%s)", lib_text(s));
        sol_close(s, b);
        sol_except(s, "post the data");
        return;
    }
    lib_raise(s);
    if (form && s->k == 1) L("result = %s", lib_text(s));
    else if (form && s->k == 2) L("result = %s == 200 and \"thank you\" in (%s).lower()", lib_status(s), lib_text(s));
    else if (form) L("result = %s", lib_status(s));
    else if (s->k == 0) L("result = (%s)[\"id\"]", lib_json(s));
    else L("result = %s", lib_json(s));
    sol_close(s, b);
    sol_except(s, form ? "submit the form" : "post the data");
    L("return result");
}

static void fam_post(struct sol *s)
{
    bool form = !strcmp(s->family, "post_form");
    const char *url = sol_slot(s, "site_url", false, NULL);
    if (!s->url[0] && url) snprintf(s->url, sizeof s->url, "%s/%s", url, form ? "submit" : "api");
    url = url_example(s, sol_url(s));
    struct unit u = {.fname = form ? PICK("submit_form", "post_form") : PICK("create_item", "post_payload", "submit_record"),
                     .cls = "ApiClient", .p = {{"url", "str", NULL, url}}, .np = 2, .body = b_post,
                     .ret = "json", .ret_opt = s->errors == ERR_RETURN_NONE || (!form && s->k == 1),
                     .doc = form ? "Submit the form fields to url." : "POST the payload as JSON and return the response."};
    if (!form) {
        u.p[1] = (struct param){"payload", "dict", NULL, payload_example(s)};
        if (s->k == 0) { u.ret = "any"; u.doc = "Create the record and return the id the API gives it."; }
        if (s->k == 2) { u.ret = NULL; u.doc = "POST the payload and print the status and the response."; }
    } else if (s->k == 0) {
        u.p[1] = (struct param){"username", "str", NULL, "\"alice\""};
        u.p[2] = (struct param){"password", "str", NULL, "os.environ[\"FORM_PASSWORD\"]"};
        u.np = 3;
        u.ret = "int";
        u.show = "print(f\"Status: {%s}\")";
    } else if (s->k == 3) {
        u.p[1] = (struct param){"name", "str", NULL, "\"Ada\""};
        u.p[2] = (struct param){"email", "str", NULL, "\"ada@example.com\""};
        u.p[3] = (struct param){"message", "str", NULL, "\"Hello there!\""};
        u.np = 4;
        u.ret = "int";
    } else {
        u.p[1] = (struct param){"fields", "dict", NULL, "{\"name\": \"Ada\", \"email\": \"ada@example.com\"}"};
        u.ret = s->k == 1 ? "str" : "bool";
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- upload_file */

static void b_upload(struct sol *s, const struct unit *u)
{
    bool many = s->k == 1, meta = s->k == 2;
    sol_try(s);
    int b = lib_client_open(s);
    if (many) {
        sol_import(s, IMP_OS);
        L("results = {}");
        L("for name in sorted(os.listdir(folder)):");
        sol_in(s);
        L("if not name.lower().endswith((\".png\", \".jpg\", \".jpeg\", \".gif\")):");
        L("    continue");
        L("file_path = os.path.join(folder, name)");
    }
    L("with open(file_path, \"rb\") as fh:");
    sol_in(s);
    int b2 = sol_send(s, s->lib == DP_PLIB_URLLIB && sol_chance(s, 0.3) ? "put" : "post", "url",
                      &(struct hreq){.files = "fh", .fpath = "file_path", .data = meta ? "metadata" : NULL,
                                     .timeout = s->timeout ? 0 : 60});
    lib_raise(s);
    if (many) L("results[name] = %s", lib_status(s));
    else if (s->k == 3) L("result = (%s)[\"url\"]", lib_json(s));
    else L("result = %s", lib_json(s));
    sol_close(s, b2);
    sol_out(s);
    if (many) sol_out(s);
    sol_close(s, b);
    sol_except(s, "upload");
    L("return %s", many ? "results" : "result");
}

static void fam_upload(struct sol *s)
{
    const char *file = sol_slot(s, "file", true, "report.pdf");
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    if (!s->url[0]) snprintf(s->url, sizeof s->url, "https://%s/upload", sol_slot(s, "host", false, "files.example.com"));
    const char *url = url_example(s, s->url);
    struct unit u = {.fname = PICK("upload_file", "send_file", "upload"), .body = b_upload, .no_class = true,
                     .p = {{"url", "str", NULL, url}, {"file_path", "str", NULL, sol_fmt(s, "\"%s\"", base)}},
                     .np = 2, .ret = "json", .ret_opt = s->errors == ERR_RETURN_NONE,
                     .doc = "Upload a file to url as multipart/form-data."};
    if (s->k == 1) {
        u.p[1] = (struct param){"folder", "str", NULL, "\"images\""};
        u.ret = "dict_str_int";
        u.doc = "Upload every image in folder, one request per file.";
    } else if (s->k == 2) {
        u.p[2] = (struct param){"metadata", "dict", NULL, "{\"title\": \"Quarterly report\", \"tags\": \"finance\"}"};
        u.np = 3;
        u.doc = "Upload a file together with some metadata fields.";
    } else if (s->k == 3) {
        u.ret = "str";
        u.doc = "Upload a file and return the URL where it is stored.";
    }
    sol_unit(s, &u);
}

void sol_http_basic(struct sol *s)
{
    if (!strcmp(s->family, "download_file")) fam_download(s);
    else if (!strcmp(s->family, "post_json") || !strcmp(s->family, "post_form")) fam_post(s);
    else if (!strcmp(s->family, "upload_file")) fam_upload(s);
    else fam_fetch(s);
}
