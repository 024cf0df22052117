/* HTTP answers, third part: api_client_class, oauth_token, cookies_session, rate_limit,
 * query_params, and the families the experiment holds out for testing by default (health_check,
 * webhook, monitor_poll, graphql_query, cli_tool), which --split template trains on. */
#include "data/solutions_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pause_for(struct sol *s, const char *secs)
{
    if (s->is_async) { sol_import(s, IMP_ASYNCIO); L("await asyncio.sleep(%s)", secs); }
    else { sol_import(s, IMP_TIME); L("time.sleep(%s)", secs); }
}

static const char *helper(struct sol *s, struct dp_sbuf *buf, int saved)
{
    s->out = &s->body;
    s->ind = saved;
    const char *r = sol_fmt(s, "%s", buf->p ? buf->p : "");
    dp_sbuf_free(buf);
    return r;
}

/* ---------------------------------------------------------------- api_client_class */

static void client_request(struct sol *s)
{
    const char *aw = s->is_async ? "await " : "";
    L("%sdef _request(self, method%s, path%s, **kwargs)%s:", s->is_async ? "async " : "", s->hints ? ": str" : "",
      s->hints ? ": str" : "", sol_ret(s, "any", false));
    sol_in(s);
    L("url = f\"{self.base_url}/{path.lstrip('/')}\"");
    if (s->tls == DP_SOL_TLS_KWARGS) L("kwargs.setdefault(\"verify\", False)");
    if (s->lib == DP_PLIB_AIOHTTP) {
        sol_import(s, IMP_AIOHTTP);
        const char *conn = s->tls == DP_SOL_TLS_SESSION ? ", connector=aiohttp.TCPConnector(ssl=False)" : "";
        L("async with aiohttp.ClientSession(headers=self.headers, timeout=aiohttp.ClientTimeout(total=self.timeout)%s) as session:", conn);
        L("    async with session.request(method, url%s, **kwargs) as response:", s->tls == DP_SOL_TLS_KW_FALSE ? ", ssl=False" : "");
        L("        response.raise_for_status()");
        L("        return await response.json() if response.content_length else None");
    } else {
        const char *v = s->lib == DP_PLIB_REQUESTS && s->tls == DP_SOL_TLS_KW_FALSE ? ", verify=False"
                      : s->lib == DP_PLIB_REQUESTS && s->tls == DP_SOL_TLS_FLAG ? ", verify=VERIFY_SSL" : "";
        const char *obj = s->lib == DP_PLIB_REQUESTS ? "self.session" : "self.client";
        L("response = %s%s.request(method, url%s%s, **kwargs)", aw, obj,
          s->lib == DP_PLIB_REQUESTS ? ", timeout=self.timeout" : "", v);
        if (sol_chance(s, 0.5) || s->k == 3) {
            L("try:");
            L("    response.raise_for_status()");
            L("except %s as exc:", s->lib == DP_PLIB_REQUESTS ? "requests.HTTPError" : "httpx.HTTPStatusError");
            L("    raise ApiError(f\"{method} {url} failed: {response.status_code}\") from exc");
        } else {
            L("response.raise_for_status()");
        }
        L("return response.json() if response.content else None");
    }
    sol_out(s);
}

void fam_client(struct sol *s)
{
    const char *res = sol_slot(s, "resource", true, "items");
    if (strchr(res, '/')) res = "items";
    char one[40];
    snprintf(one, sizeof one, "%s", res);
    size_t n = strlen(one);
    if (n > 1 && one[n - 1] == 's') one[n - 1] = 0;
    const char *cls = s->fname[0] >= 'A' && s->fname[0] <= 'Z' ? s->fname : PICK("ApiClient", "Client", "RestClient");
    char base[200];
    snprintf(base, sizeof base, "https://%s/%s", sol_slot(s, "host", false, "api.example.com"), sol_slot(s, "ver", false, "v1"));
    s->out = &s->head;
    lib_tls_head(s);
    s->out = &s->body;
    bool err_class = s->lib != DP_PLIB_AIOHTTP;
    if (err_class) {
        L("class ApiError(Exception):");
        L("    \"\"\"Raised when the API answers with an error status.\"\"\"");
        sol_gap(s);
    }
    L("class %s:", cls);
    sol_in(s);
    if (s->doc) L("\"\"\"Client for the %s endpoints of the API.\"\"\"", res);
    sol_blank(s);
    L("def __init__(self, base_url%s, token%s, timeout%s)%s:", s->hints ? ": str" : "",
      s->hints ? sol_fmt(s, ": %s = None", sol_hint(s, "str", true)) : "=None", s->hints ? ": float = 10.0" : "=10.0",
      s->hints ? " -> None" : "");
    sol_in(s);
    L("self.base_url = base_url.rstrip(\"/\")");
    L("self.timeout = timeout");
    s->timeout = 10;
    snprintf(s->timeout_expr, sizeof s->timeout_expr, "self.timeout");
    if (s->lib == DP_PLIB_AIOHTTP) {
        L("self.headers = {\"Accept\": \"application/json\"}");
        L("if token:");
        L("    self.headers[\"Authorization\"] = f\"Bearer {token}\"");
    } else {
        lib_client_init(s);
        const char *obj = s->lib == DP_PLIB_REQUESTS ? "self.session" : "self.client";
        L("%s.headers.update({\"Accept\": \"application/json\"})", obj);
        L("if token:");
        L("    %s.headers[\"Authorization\"] = f\"Bearer {token}\"", obj);
    }
    sol_out(s);
    sol_blank(s);
    client_request(s);
    const char *a = s->is_async ? "async " : "", *aw = s->is_async ? "await " : "";
    const char *names[3][2] = {{"list", "list_%s"}, {"get", "get_%s"}, {"create", "create_%s"}};
    if (s->k == 2) { names[0][1] = "get_all"; names[1][1] = "get_one"; names[2][0] = "delete"; names[2][1] = "delete"; }
    sol_blank(s);
    L("%sdef %s(self)%s:", a, sol_fmt(s, names[0][1], res), sol_ret(s, "list_dict", false));
    L("    return %sself._request(\"GET\", \"/%s\")", aw, res);
    sol_blank(s);
    L("%sdef %s(self, %s_id%s)%s:", a, sol_fmt(s, names[1][1], one), one, s->hints ? ": int" : "", sol_ret(s, "json", false));
    L("    return %sself._request(\"GET\", f\"/%s/{%s_id}\")", aw, res, one);
    sol_blank(s);
    if (s->k == 2) {
        L("%sdef delete(self, %s_id%s)%s:", a, one, s->hints ? ": int" : "", sol_ret(s, "none", false));
        L("    %sself._request(\"DELETE\", f\"/%s/{%s_id}\")", aw, res, one);
    } else {
        L("%sdef create_%s(self, data%s)%s:", a, one, s->hints ? sol_fmt(s, ": %s", sol_hint(s, "dict", false)) : "",
          sol_ret(s, "json", false));
        L("    return %sself._request(\"POST\", \"/%s\", json=data)", aw, res);
    }
    sol_out(s);
    sol_gap(s);
    L("if __name__ == \"__main__\":");
    sol_in(s);
    sol_import(s, IMP_OS);
    L("client = %s(\"%s\", token=os.environ.get(\"API_TOKEN\"))", cls, base);
    if (s->is_async) {
        sol_import(s, IMP_ASYNCIO);
        L("print(asyncio.run(client.%s()))", sol_fmt(s, names[0][1], res));
    } else {
        L("for item in client.%s():", sol_fmt(s, names[0][1], res));
        L("    print(item)");
    }
    sol_out(s);
    s->notes |= NOTE_SESSION;
}

/* ---------------------------------------------------------------- oauth_token */

static void b_oauth(struct sol *s, const struct unit *u)
{
    (void)u;
    int b = lib_client_open(s);
    if (s->is_async) L("token = await get_token(%s, token_url, client_id, client_secret)", s->sess);
    else L("token = get_token(token_url, client_id, client_secret)");
    L("headers = {\"Authorization\": f\"Bearer {token}\"}");
    b += sol_send(s, "get", "url", &(struct hreq){.headers = "headers"});
    lib_raise(s);
    L("return %s", lib_json(s));
    sol_close(s, b);
}

void fam_oauth(struct sol *s)
{
    if (strstr(s->url, "token")) s->url[0] = 0;   /* the prompt named the token endpoint */
    sol_no_params(s);
    if (!strcmp(s->fname, "get_token")) s->fname[0] = 0;   /* that is the helper's name */
    const char *host = sol_slot(s, "host", false, "api.example.com");
    const char *dot = strchr(host, '.');
    const char *token_url = sol_fmt(s, "\"https://auth.%s/%s\"", dot ? dot + 1 : host, sol_slot(s, "token_path", false, "oauth/token"));
    struct dp_sbuf buf = {0};
    int saved = s->ind;
    bool session = s->session;
    s->out = &buf;
    s->ind = 0;
    s->session = s->is_async;
    bool cache = s->k == 2;
    if (cache) sol_import(s, IMP_TIME);
    if (cache) {
        L("_token = {\"value\": None, \"expires_at\": 0.0}");
        sol_gap(s);
    }
    if (s->is_async) L("async def get_token(%s, token_url, client_id, client_secret):", s->sess);
    else L("def get_token(token_url, client_id, client_secret):");
    sol_in(s);
    if (s->doc) L("\"\"\"Get an access token with the OAuth2 client credentials flow.\"\"\"");
    if (cache) {
        L("if _token[\"value\"] and time.time() < _token[\"expires_at\"] - 30:");
        L("    return _token[\"value\"]");
    }
    L("data = {\"grant_type\": \"client_credentials\", \"client_id\": client_id, \"client_secret\": client_secret}");
    int b = sol_send(s, "post", "token_url", &(struct hreq){.data = "data"});
    lib_raise(s);
    L("payload = %s", lib_json(s));
    sol_close(s, b);
    if (cache) {
        L("_token[\"value\"] = payload[\"access_token\"]");
        L("_token[\"expires_at\"] = time.time() + payload.get(\"expires_in\", 3600)");
        L("return _token[\"value\"]");
    } else {
        L("return payload[\"access_token\"]");
    }
    s->session = session;
    const char *pre = helper(s, &buf, saved);
    struct unit u = {.fname = PICK("call_with_token", "fetch_protected", "authorized_get"), .no_class = true,
                     .p = {{"url", "str", NULL, sol_fmt(s, "\"%s\"", sol_url(s))}, {"token_url", "str", NULL, token_url},
                           {"client_id", "str", NULL, "os.environ[\"CLIENT_ID\"]"},
                           {"client_secret", "str", NULL, "os.environ[\"CLIENT_SECRET\"]"}},
                     .np = 4, .ret = "json", .body = b_oauth, .pre = pre,
                     .doc = "Get a token, then call the API with it."};
    s->errors = ERR_NONE;
    s->shape = s->shape == SHAPE_CLASS ? SHAPE_FUNC : s->shape;
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- cookies_session */

static void b_cookies(struct sol *s, const struct unit *u)
{
    (void)u;
    const char *r = s->r;
    if (s->k == 3) {
        sol_import(s, IMP_OS);
        sol_import(s, IMP_JSON);
    }
    int b = lib_client_open(s);
    if (s->k == 3) {
        if (s->lib == DP_PLIB_AIOHTTP) {
            L("if os.path.exists(cookie_file):");
            L("    %s.cookie_jar.load(cookie_file)", s->sess);
            L("else:");
        } else {
            L("if os.path.exists(cookie_file):");
            L("    with open(cookie_file, encoding=\"utf-8\") as fh:");
            L("        %s.cookies.update(json.load(fh))", s->sess);
            L("else:");
        }
        sol_in(s);
    }
    int b2 = sol_send(s, "post", "login_url", &(struct hreq){.data = "{\"username\": username, \"password\": password}"});
    lib_raise(s);
    sol_close(s, b2);
    if (s->k == 3) {
        if (s->lib == DP_PLIB_AIOHTTP) L("%s.cookie_jar.save(cookie_file)", s->sess);
        else {
            L("with open(cookie_file, \"w\", encoding=\"utf-8\") as fh:");
            L("    json.dump(dict(%s.cookies), fh)", s->sess);
        }
        sol_out(s);
    }
    s->r = PICK("page", "resp", "result");
    if (s->k == 1) {
        L("pages = {}");
        L("for path in paths:");
        sol_in(s);
        int b3 = sol_send(s, "get", "f\"{base_url}{path}\"", NULL);
        lib_raise(s);
        L("pages[path] = %s", lib_text(s));
        sol_close(s, b3);
        sol_out(s);
        sol_close(s, b);
        L("return pages");
    } else {
        int b3 = sol_send(s, "get", "page_url", NULL);
        lib_raise(s);
        if (s->k == 2) {
            L("with open(output_path, \"w\", encoding=\"utf-8\", newline=\"\") as fh:");
            L("    fh.write(%s)", lib_text(s));
            L("return output_path");
        } else {
            L("return %s", lib_text(s));
        }
        sol_close(s, b3);
        sol_close(s, b);
    }
    s->r = r;
}

void fam_cookies(struct sol *s)
{
    const char *site = sol_slot(s, "site_url", false, "https://portal.example.com");
    s->session = true;
    if (s->lib == DP_PLIB_HTTPX || s->lib == DP_PLIB_REQUESTS) s->sess = s->lib == DP_PLIB_HTTPX ? "client" : "session";
    s->shape = s->shape == SHAPE_CLASS ? SHAPE_FUNC : s->shape;
    s->errors = ERR_NONE;
    struct unit u = {.fname = PICK("login_and_fetch", "fetch_export", "get_page"), .no_class = true, .body = b_cookies,
                     .p = {{"login_url", "str", NULL, sol_fmt(s, "\"%s/login\"", site)},
                           {"page_url", "str", NULL, sol_fmt(s, "\"%s/account\"", site)},
                           {"username", "str", NULL, "\"alice\""}, {"password", "str", NULL, "os.environ[\"SITE_PASSWORD\"]"}},
                     .np = 4, .ret = "str", .doc = "Log in with a session and fetch a page that needs its cookie."};
    if (s->k == 1) {
        u.p[1] = (struct param){"base_url", "str", NULL, sol_fmt(s, "\"%s\"", site)};
        u.p[4] = (struct param){"paths", "list_str", NULL, "[\"/dashboard\", \"/settings\"]"};
        u.np = 5;
        u.ret = "dict";
    } else if (s->k == 2) {
        u.p[1].example = sol_fmt(s, "\"%s/export.csv\"", site);
        u.p[4] = (struct param){"output_path", "str", "\"export.csv\"", NULL};
        u.np = 5;
    } else if (s->k == 3) {
        u.p[4] = (struct param){"cookie_file", "str", "\"cookies.json\"", NULL};
        u.np = 5;
    }
    s->notes |= NOTE_SESSION;
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- rate_limit */

static void b_rate(struct sol *s, const struct unit *u)
{
    (void)u;
    sol_import(s, IMP_TIME);
    if (s->k == 1) {
        int b = lib_client_open(s);
        L("for _ in range(max_attempts):");
        sol_in(s);
        if (s->lib == DP_PLIB_URLLIB) {
            sol_import(s, IMP_URLLIB_ERROR);
            L("try:");
            sol_in(s);
            int b2 = sol_send(s, "get", "url", NULL);
            L("return %s", lib_json(s));
            sol_close(s, b2);
            sol_out(s);
            L("except urllib.error.HTTPError as err:");
            L("    if err.code != 429:");
            L("        raise");
            L("    wait = float(err.headers.get(\"Retry-After\", \"1\"))");
        } else {
            int b2 = sol_send(s, "get", "url", NULL);
            L("if %s != 429:", lib_status(s));
            sol_in(s);
            lib_raise(s);
            L("return %s", lib_json(s));
            sol_out(s);
            L("wait = float(%s.headers.get(\"Retry-After\", \"1\"))", s->r);
            sol_close(s, b2);
        }
        L("print(f\"Rate limited; waiting {wait:.0f}s\")");
        pause_for(s, "wait");
        sol_out(s);
        sol_close(s, b);
        L("raise RuntimeError(\"Still rate limited after several attempts\")");
        return;
    }
    L("results = []");
    if (s->k != 2) L("interval = %s", s->k == 3 ? "60.0 / per_minute" : "1.0 / per_second");
    int b = lib_client_open(s);
    L("for %s in %s:", s->k == 3 ? "item_id" : "url", s->k == 3 ? "ids" : "urls");
    sol_in(s);
    if (s->k != 2) L("started = time.monotonic()");
    int b2 = sol_send(s, "get", s->k == 3 ? "f\"{url}/{item_id}\"" : "url", NULL);
    lib_raise(s);
    L("results.append(%s)", lib_json(s));
    if (s->k == 2) {
        L("remaining = int(%s.headers.get(\"X-RateLimit-Remaining\", \"1\"))", s->r);
        L("reset_at = float(%s.headers.get(\"X-RateLimit-Reset\", \"0\"))", s->r);
    }
    sol_close(s, b2);
    if (s->k == 2) {
        L("if remaining == 0:");
        sol_in(s);
        pause_for(s, "max(reset_at - time.time(), 0)");
        sol_out(s);
    } else {
        L("elapsed = time.monotonic() - started");
        L("if elapsed < interval:");
        sol_in(s);
        pause_for(s, "interval - elapsed");
        sol_out(s);
    }
    sol_out(s);
    sol_close(s, b);
    L("return results");
}

void fam_rate(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    const char *n = sol_slot(s, "n", false, "5");
    const char *urls = sol_fmt(s, "[f\"%s/{i}\" for i in range(1, 21)]", sol_url(s));
    struct unit u = {.fname = PICK("fetch_throttled", "rate_limited_get", "fetch_all"), .no_class = true, .body = b_rate,
                     .p = {{"urls", "list_str", NULL, urls}, {"per_second", "float", n, NULL}}, .np = 2,
                     .ret = "list_dict", .doc = "Fetch the URLs without going over the rate limit."};
    if (s->k == 1) {
        u.p[0] = (struct param){"url", "str", NULL, url};
        u.p[1] = (struct param){"max_attempts", "int", "5", NULL};
        u.ret = "json";
        u.doc = "GET url, waiting as long as Retry-After says whenever the API answers 429.";
    } else if (s->k == 2) {
        u.np = 1;
        u.doc = "Fetch the URLs, pausing when the rate-limit headers say the quota is used up.";
    } else if (s->k == 3) {
        u.p[0] = (struct param){"url", "str", NULL, url};
        u.p[1] = (struct param){"ids", "list_int", NULL, "[1, 2, 3]"};
        u.p[2] = (struct param){"per_minute", "int", n, NULL};
        u.np = 3;
    }
    s->errors = ERR_NONE;
    sol_unit(s, &u);
}
