/* HTTP answers, second part: the dispatch from family to writer, and the writers for paginate,
 * retry_backoff, auth_headers, scrape_page, update_delete and concurrent_fetch. */
#include "data/solutions_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes a helper definition into a buffer (for unit.pre): emit with L() between begin and end. */
static struct dp_sbuf *pre_begin(struct sol *s, struct dp_sbuf *buf, int *saved)
{
    *saved = s->ind;
    s->ind = 0;
    s->out = buf;
    return buf;
}

static const char *pre_end(struct sol *s, struct dp_sbuf *buf, int saved)
{
    s->out = &s->body;
    s->ind = saved;
    const char *r = sol_fmt(s, "%s", buf->p ? buf->p : "");
    dp_sbuf_free(buf);
    return r;
}

static void sleep_for(struct sol *s, const char *secs)
{
    if (s->is_async) { sol_import(s, IMP_ASYNCIO); L("await asyncio.sleep(%s)", secs); }
    else { sol_import(s, IMP_TIME); L("time.sleep(%s)", secs); }
}

/* ---------------------------------------------------------------- paginate */

static void b_page_next(struct sol *s, const struct unit *u)
{
    (void)u;
    L("results = []");
    L("next_url = url");
    int b = lib_client_open(s);
    L("while next_url:");
    sol_in(s);
    int b2 = sol_send(s, "get", "next_url", NULL);
    lib_raise(s);
    L("page = %s", lib_json(s));
    sol_close(s, b2);
    L("results.extend(page.get(\"results\", []))");
    L("next_url = page.get(\"next\")");
    sol_out(s);
    sol_close(s, b);
    L("return results");
    s->notes |= NOTE_PAGES;
}

static void b_page_num(struct sol *s, const struct unit *u)
{
    (void)u;
    L("items = []");
    L("page = 1");
    int b = lib_client_open(s);
    L("while True:");
    sol_in(s);
    L("params = {\"page\": page, \"per_page\": per_page}");
    int b2 = sol_send(s, "get", "url", &(struct hreq){.params = "params"});
    lib_raise(s);
    L("batch = %s", lib_json(s));
    sol_close(s, b2);
    L("if not batch:");
    L("    break");
    L("items.extend(batch)");
    L("page += 1");
    sol_out(s);
    sol_close(s, b);
    L("return items");
    s->notes |= NOTE_PAGES;
}

static void b_page_cursor(struct sol *s, const struct unit *u)
{
    (void)u;
    L("cursor = None");
    int b = lib_client_open(s);
    L("while True:");
    sol_in(s);
    L("params = {\"cursor\": cursor} if cursor else {}");
    int b2 = sol_send(s, "get", "url", &(struct hreq){.params = "params"});
    lib_raise(s);
    L("data = %s", lib_json(s));
    sol_close(s, b2);
    L("for item in data.get(\"items\", []):");
    L("    yield item");
    L("cursor = data.get(\"next_cursor\")");
    L("if not cursor:");
    L("    break");
    sol_out(s);
    sol_close(s, b);
    s->notes |= NOTE_PAGES;
}

static void fam_paginate(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    const char *pp = sol_slot(s, "per_page", false, PICK("50", "100"));
    struct unit u = {.fname = PICK("fetch_all", "collect_items", "fetch_all_pages"), .cls = "ApiClient",
                     .p = {{"url", "str", NULL, url}, {"per_page", "int", pp, NULL}}, .np = 2,
                     .ret = "list_dict", .body = b_page_num, .show = "print(f\"Fetched {len(%s)} items\")",
                     .doc = "Collect the items of every page of a paginated endpoint."};
    if (s->k == 0) { u.np = 1; u.body = b_page_next; u.doc = "Follow the \\\"next\\\" links and collect every result."; }
    if (s->k == 2) {
        u = (struct unit){.fname = PICK("iter_items", "iter_pages", "stream_items"), .p = {{"url", "str", NULL, url}},
                          .np = 1, .body = b_page_cursor, .generator = true, .no_class = true,
                          .doc = "Yield the items of a cursor-paginated endpoint one by one."};
        s->errors = ERR_NONE;
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- retry_backoff */

static const char *timeout_errors(struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_AIOHTTP: sol_import(s, IMP_ASYNCIO); return "(asyncio.TimeoutError, aiohttp.ClientConnectionError)";
    case DP_PLIB_URLLIB: sol_import(s, IMP_URLLIB_ERROR); return "(urllib.error.URLError, TimeoutError)";
    case DP_PLIB_HTTPX: return "(httpx.TimeoutException, httpx.ConnectError)";
    default: return "(requests.exceptions.Timeout, requests.exceptions.ConnectionError)";
    }
}

static void b_retry_adapter(struct sol *s, const struct unit *u)
{
    (void)u;
    sol_from_import(s, "from requests.adapters import HTTPAdapter");
    sol_from_import(s, "from urllib3.util.retry import Retry");
    L("retry = Retry(total=retries, backoff_factor=backoff, status_forcelist=[429, 500, 502, 503, 504])");
    L("adapter = HTTPAdapter(max_retries=retry)");
    L("with requests.Session() as session:");
    sol_in(s);
    s->session = true;
    s->sess = "session";
    if (s->tls == DP_SOL_TLS_SESSION) L("session.verify = False");
    L("session.mount(\"https://\", adapter)");
    L("session.mount(\"http://\", adapter)");
    sol_send(s, "get", "url", NULL);
    lib_raise(s);
    L("return %s", lib_json(s));
    sol_out(s);
    s->notes |= NOTE_BACKOFF;
}

static void b_retry_loop(struct sol *s, const struct unit *u)
{
    (void)u;
    int b = lib_client_open(s);
    L("for attempt in range(1, retries + 1):");
    sol_in(s);
    L("try:");
    sol_in(s);
    int b2 = sol_send(s, "get", "url", NULL);
    if (s->k == 1 && s->lib != DP_PLIB_URLLIB) {
        L("if %s in (429, 500, 502, 503, 504) and attempt < retries:", lib_status(s));
        sol_in(s);
        L("delay = backoff * 2 ** (attempt - 1)");
        sleep_for(s, "delay");
        L("continue");
        sol_out(s);
    }
    lib_raise(s);
    L("return %s", lib_json(s));
    sol_close(s, b2);
    sol_out(s);
    L("except %s as exc:", s->k == 3 ? timeout_errors(s) : lib_error(s));
    sol_in(s);
    L("if attempt == retries:");
    L("    raise");
    L("delay = backoff * 2 ** (attempt - 1)");
    L("print(f\"Attempt {attempt} failed ({exc}); retrying in {delay:.1f}s\")");
    sleep_for(s, "delay");
    sol_out(s);
    sol_out(s);
    sol_close(s, b);
    L("raise RuntimeError(f\"Giving up on {url} after {retries} attempts\")");
    s->notes |= NOTE_BACKOFF;
}

static void b_retry_use(struct sol *s, const struct unit *u)
{
    (void)u;
    const char *aw = s->is_async ? "await " : "";
    L("%sdef do_request():", s->is_async ? "async " : "");
    sol_in(s);
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", NULL);
    lib_raise(s);
    L("return %s", lib_json(s));
    sol_close(s, b);
    sol_out(s);
    sol_blank(s);
    L("return %swith_retries(do_request)", aw);
}

static void fam_retry(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    const char *n = sol_slot(s, "retries", false, PICK("3", "5"));
    s->errors = ERR_NONE;
    struct unit u = {.fname = PICK("get_with_retry", "fetch_with_backoff", "request_retry"), .no_class = true,
                     .p = {{"url", "str", NULL, url}, {"retries", "int", n, NULL}, {"backoff", "float", "1.0", NULL}},
                     .np = 3, .ret = "json", .body = b_retry_loop,
                     .doc = "GET url, retrying with exponential backoff when it fails."};
    if (s->lib == DP_PLIB_REQUESTS && s->k < 2 && sol_chance(s, 0.35)) u.body = b_retry_adapter;
    if (s->k == 2) {
        struct dp_sbuf buf = {0};
        int saved;
        pre_begin(s, &buf, &saved);
        sol_import(s, IMP_RANDOM);
        L("%sdef with_retries(func, attempts=4, base_delay=0.5):", s->is_async ? "async " : "");
        sol_in(s);
        if (s->doc) L("\"\"\"Call func, retrying with jittered exponential backoff.\"\"\"");
        L("for attempt in range(attempts):");
        sol_in(s);
        L("try:");
        L("    return %sfunc()", s->is_async ? "await " : "");
        L("except %s:", lib_error(s));
        sol_in(s);
        L("if attempt == attempts - 1:");
        L("    raise");
        L("delay = base_delay * 2 ** attempt");
        sleep_for(s, "delay + random.uniform(0, delay)");
        s->ind = 0;
        u = (struct unit){.fname = PICK("fetch_resource", "get_items", "fetch_with_retries"), .no_class = true,
                          .p = {{"url", "str", NULL, url}}, .np = 1, .ret = "json", .body = b_retry_use,
                          .doc = "Fetch the resource through the retry wrapper.", .pre = pre_end(s, &buf, saved)};
        s->notes |= NOTE_BACKOFF;
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- auth_headers */

static void b_auth(struct sol *s, const struct unit *u)
{
    (void)u;
    if (s->k <= 1) sol_import(s, IMP_OS);
    struct hreq q = {.headers = "headers"};
    switch (s->k) {
    case 1:
        L("api_key = os.environ[\"API_KEY\"]");
        L("headers = {\"X-API-Key\": api_key, \"Accept\": \"application/json\"}");
        break;
    case 2:
        q.headers = NULL;
        if (s->lib == DP_PLIB_URLLIB) {
            sol_import(s, IMP_BASE64);
            L("credentials = base64.b64encode(f\"{username}:{password}\".encode()).decode()");
            L("headers = {\"Authorization\": f\"Basic {credentials}\"}");
            q.headers = "headers";
        } else if (s->lib == DP_PLIB_AIOHTTP) {
            q.auth = "aiohttp.BasicAuth(username, password)";
        } else if (s->lib == DP_PLIB_REQUESTS && sol_chance(s, 0.5)) {
            sol_from_import(s, "from requests.auth import HTTPBasicAuth");
            q.auth = "HTTPBasicAuth(username, password)";
        } else {
            q.auth = "(username, password)";
        }
        break;
    case 3:
        sol_import(s, IMP_JSON);
        L("with open(config_path, encoding=\"utf-8\") as fh:");
        L("    token = json.load(fh)[\"api_token\"]");
        L("headers = {\"Authorization\": f\"Bearer {token}\"}");
        break;
    default:
        L("token = os.environ.get(\"API_TOKEN\")");
        L("if not token:");
        L("    raise RuntimeError(\"Set the API_TOKEN environment variable\")");
        L("headers = {\"Authorization\": f\"Bearer {token}\", \"Accept\": \"application/json\"}");
        break;
    }
    bool handle401 = s->k == 3;
    if (handle401 && s->lib == DP_PLIB_URLLIB) {
        sol_import(s, IMP_URLLIB_ERROR);
        L("try:");
        sol_in(s);
        int b = sol_send(s, "get", "url", &q);
        L("return %s", lib_json(s));
        sol_close(s, b);
        sol_out(s);
        L("except urllib.error.HTTPError as err:");
        L("    if err.code == 401:");
        L("        raise PermissionError(\"The API token was rejected (401)\") from err");
        L("    raise");
        return;
    }
    sol_try(s);
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &q);
    if (handle401) {
        L("if %s == 401:", lib_status(s));
        L("    raise PermissionError(\"The API token was rejected (401)\")");
    }
    lib_raise(s);
    L("data = %s", lib_json(s));
    sol_close(s, b);
    sol_except(s, "call the API");
    L("return data");
}

static void fam_auth(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    struct unit u = {.fname = PICK("get_authenticated", "call_api", "fetch_protected"), .cls = "ApiClient",
                     .p = {{"url", "str", NULL, url}}, .np = 1, .ret = "json", .body = b_auth,
                     .ret_opt = s->errors == ERR_RETURN_NONE, .doc = "Call the API with credentials and return the JSON."};
    if (s->k == 2) {
        u.p[1] = (struct param){"username", "str", NULL, "\"admin\""};
        u.p[2] = (struct param){"password", "str", NULL, "os.environ[\"API_PASSWORD\"]"};
        u.np = 3;
    } else if (s->k == 3) {
        u.p[1] = (struct param){"config_path", "str", "\"config.json\"", NULL};
        u.np = 2;
    }
    s->notes |= NOTE_ENV;
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- scrape_page */

static void extract(struct sol *s, const char *html, const char *out, const char *what)
{
    bool bs4 = s->lib != DP_PLIB_AIOHTTP && !(s->want & WANT_STDLIB) && sol_chance(s, 0.45);
    const char *tag = strstr(what, "link") ? "a" : strstr(what, "image") ? "img" : strstr(what, "paragraph") ? "p"
                    : strstr(what, "job") ? "h3" : "h2";
    if (bs4) {
        sol_from_import(s, "from bs4 import BeautifulSoup");
        L("soup = BeautifulSoup(%s, \"html.parser\")", html);
        if (!strcmp(tag, "a")) L("%s = [a[\"href\"] for a in soup.find_all(\"a\", href=True)]", out);
        else if (!strcmp(tag, "img")) L("%s = [img[\"src\"] for img in soup.find_all(\"img\", src=True)]", out);
        else L("%s = [el.get_text(strip=True) for el in soup.find_all(\"%s\")]", out, tag);
        return;
    }
    sol_import(s, IMP_RE);
    if (!strcmp(tag, "a")) L("%s = re.findall(r'href=[\"\\'](.*?)[\"\\']', %s)", out, html);
    else if (!strcmp(tag, "img")) L("%s = re.findall(r'<img[^>]+src=[\"\\'](.*?)[\"\\']', %s)", out, html);
    else {
        L("raw = re.findall(r\"<%s[^>]*>(.*?)</%s>\", %s, re.S | re.I)", tag, tag, html);
        L("%s = [re.sub(r\"<[^>]+>\", \"\", item).strip() for item in raw]", out);
    }
}

static void b_scrape(struct sol *s, const struct unit *u)
{
    (void)u;
    if (s->k == 3) {
        sol_import(s, IMP_RE);
        L("results = []");
        int b = lib_client_open(s);
        L("for url in urls:");
        sol_in(s);
        int b2 = sol_send(s, "get", "url", &(struct hreq){.headers = "HEADERS"});
        lib_raise(s);
        L("html = %s", lib_text(s));
        sol_close(s, b2);
        L("title = re.search(r\"<title[^>]*>(.*?)</title>\", html, re.S | re.I)");
        L("desc = re.search(r'<meta[^>]+name=[\"\\']description[\"\\'][^>]+content=[\"\\'](.*?)[\"\\']', html, re.I)");
        L("results.append({\"url\": url, \"title\": title.group(1).strip() if title else \"\",");
        L("                \"description\": desc.group(1) if desc else \"\"})");
        sol_out(s);
        sol_close(s, b);
        L("return results");
        return;
    }
    int b = lib_client_open(s);
    b += sol_send(s, "get", "url", &(struct hreq){.headers = "HEADERS"});
    lib_raise(s);
    L("html = %s", lib_text(s));
    sol_close(s, b);
    if (s->k == 2) {
        sol_import(s, IMP_URLLIB_PARSE);
        extract(s, "html", "links", "link");
        L("return [urllib.parse.urljoin(url, link) for link in links if link.lower().endswith(\".pdf\")]");
        return;
    }
    extract(s, "html", "items", sol_slot(s, "page_item", false, "headline"));
    if (s->k == 1) {
        sol_import(s, IMP_CSV);
        L("with open(csv_path, \"w\", newline=\"\", encoding=\"utf-8\") as fh:");
        L("    writer = csv.writer(fh)");
        L("    writer.writerow([\"item\"])");
        L("    writer.writerows([item] for item in items)");
    }
    L("return items");
}

static void fam_scrape(struct sol *s)
{
    const char *site = sol_slot(s, "site_url", false, "https://news.example.com");
    if (!s->url[0]) snprintf(s->url, sizeof s->url, "%s", site);
    const char *url = sol_fmt(s, "\"%s\"", s->url);
    s->out = &s->head;
    L("HEADERS = {\"User-Agent\": \"Mozilla/5.0 (compatible; %s)\"}", PICK("scraper/1.0", "example-bot/0.1", "my-script"));
    s->out = &s->body;
    struct unit u = {.fname = PICK("scrape", "extract_items", "parse_page"), .p = {{"url", "str", NULL, url}},
                     .np = 1, .ret = "list_str", .body = b_scrape, .no_class = true,
                     .doc = "Download the page and extract the items from its HTML."};
    if (s->k == 1) { u.p[1] = (struct param){"csv_path", "str", "\"items.csv\"", NULL}; u.np = 2; }
    if (s->k == 2) u.doc = "Return the absolute URLs of every PDF the page links to.";
    if (s->k == 3) {
        u.p[0] = (struct param){"urls", "list_str", NULL, sol_fmt(s, "[\"%s\", \"https://www.example.org\"]", s->url)};
        u.ret = "list_dict";
        u.doc = "Get the title and the meta description of each page.";
    }
    s->errors = ERR_NONE;
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- update_delete */

static void b_update(struct sol *s, const struct unit *u)
{
    (void)u;
    if (s->k == 3) {
        L("deleted = []");
        int b = lib_client_open(s);
        L("for item_id in ids:");
        sol_in(s);
        int b2 = sol_send(s, "delete", "f\"{url}/{item_id}\"", NULL);
        lib_raise(s);
        sol_close(s, b2);
        L("deleted.append(item_id)");
        sol_out(s);
        sol_close(s, b);
        L("return deleted");
        return;
    }
    L("endpoint = f\"{url}/{item_id}\"");
    sol_try(s);
    int b = lib_client_open(s);
    if (s->k == 1) {
        int b2 = sol_send(s, "delete", "endpoint", NULL);
        lib_raise(s);
        sol_close(s, b2);
        if (s->lib == DP_PLIB_URLLIB) {
            sol_import(s, IMP_URLLIB_ERROR);
            L("try:");
            sol_in(s);
            int b3 = sol_send(s, "get", "endpoint", NULL);
            L("return False");
            sol_close(s, b3);
            sol_out(s);
            L("except urllib.error.HTTPError as err:");
            L("    return err.code == 404");
        } else {
            int b3 = sol_send(s, "get", "endpoint", NULL);
            L("gone = %s == 404", lib_status(s));
            sol_close(s, b3);
            L("return gone");
        }
        sol_close(s, b);
        sol_except(s, "delete the record");
        return;
    }
    struct hreq q = {.json = s->k == 2 ? "changes" : sol_fmt(s, "{\"%s\": value}", u->p[3].name)};
    b += sol_send(s, s->k == 2 ? "patch" : "put", "endpoint", &q);
    lib_raise(s);
    L("result = %s", lib_json(s));
    sol_close(s, b);
    sol_except(s, "update the record");
    L("return result");
}

static void fam_update(struct sol *s)
{
    const char *url = sol_fmt(s, "\"%s\"", sol_url(s));
    const char *field = sol_slot(s, "field", false, "status");
    char key[32];
    snprintf(key, sizeof key, "%s", field);
    for (char *c = key; *c; c++) if (*c == ' ') *c = '_';
    if (!strcmp(key, "email_address")) snprintf(key, sizeof key, "email");
    struct unit u = {.fname = PICK("update_record", "patch_item", "update_item"), .cls = "ApiClient",
                     .p = {{"url", "str", NULL, url}, {"item_id", "int", NULL, "42"}}, .np = 3, .ret = "json",
                     .body = b_update, .ret_opt = s->errors == ERR_RETURN_NONE,
                     .doc = "Update one record through the REST API."};
    u.p[2] = (struct param){"value", "str", NULL, "\"done\""};
    u.p[3] = (struct param){sol_fmt(s, "%s", key), NULL, NULL, NULL};
    if (s->k == 1) {
        u = (struct unit){.fname = PICK("delete_record", "remove_item"), .cls = "ApiClient", .body = b_update,
                          .p = {{"url", "str", NULL, url}, {"item_id", "int", NULL, "42"}}, .np = 2, .ret = "bool",
                          .ret_opt = s->errors == ERR_RETURN_NONE, .doc = "Delete a record and check that it is gone."};
    } else if (s->k == 2) {
        u.p[2] = (struct param){"changes", "dict", NULL, "{\"status\": \"closed\"}"};
        u.doc = "Send only the changed fields with a PATCH request.";
    } else if (s->k == 3) {
        u = (struct unit){.fname = PICK("delete_many", "archive_items"), .body = b_update, .no_class = true,
                          .p = {{"url", "str", NULL, url}, {"ids", "list_int", NULL, "[101, 102, 103]"}}, .np = 2,
                          .ret = "list_int", .doc = "Send a DELETE request for each id."};
    }
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- concurrent_fetch */

static void b_many_async(struct sol *s, const struct unit *u)
{
    (void)u;
    sol_import(s, IMP_ASYNCIO);
    if (s->k == 2) {
        L("semaphore = asyncio.Semaphore(limit)");
        sol_blank(s);
        L("async def bounded(%s, item_id):", s->sess);
        L("    async with semaphore:");
        L("        return await fetch_one(%s, f\"{url}/{item_id}\")", s->sess);
        sol_blank(s);
    }
    int b = lib_client_open(s);
    if (s->k == 2) L("results = await asyncio.gather(*(bounded(%s, i) for i in ids))", s->sess);
    else L("results = await asyncio.gather(*(fetch_one(%s, url) for url in urls))", s->sess);
    sol_close(s, b);
    if (s->k == 1) {
        L("merged = []");
        L("for part in results:");
        L("    merged.extend(part if isinstance(part, list) else [part])");
        L("return merged");
    } else {
        L("return dict(zip(%s, results))", s->k == 2 ? "ids" : "urls");
    }
}

static void b_many_threads(struct sol *s, const struct unit *u)
{
    (void)u;
    sol_from_import(s, "from concurrent.futures import ThreadPoolExecutor");
    const char *workers = s->k == 2 ? "limit" : PICK("8", "10", "len(urls) or 1");
    if (s->k == 2) {
        L("urls = [f\"{url}/{item_id}\" for item_id in ids]");
        workers = "limit";
    }
    L("with ThreadPoolExecutor(max_workers=%s) as pool:", workers);
    L("    results = list(pool.map(fetch_one, urls))");
    if (s->k == 1) {
        L("merged = []");
        L("for part in results:");
        L("    merged.extend(part if isinstance(part, list) else [part])");
        L("return merged");
    } else {
        L("return dict(zip(%s, results))", s->k == 2 ? "ids" : "urls");
    }
}

/* fetch_one(url) (threads) or fetch_one(session, url) (asyncio): what one request gives back. */
static const char *fetch_one(struct sol *s)
{
    struct dp_sbuf buf = {0};
    int saved;
    pre_begin(s, &buf, &saved);
    bool json = s->k == 1 || s->k == 2, check = s->k == 3;
    if (s->is_async) L("async def fetch_one(%s, url):", s->sess);
    else L("def fetch_one(url):");
    sol_in(s);
    if (check) {
        L("try:");
        sol_in(s);
    }
    struct hreq q = {0};
    if (check && s->lib == DP_PLIB_AIOHTTP) q.timeout = 0;
    int b = sol_send(s, "get", "url", &q);
    if (json) {
        lib_raise(s);
        L("return %s", lib_json(s));
    } else if (check) {
        L("return %s < 400", lib_status(s));
    } else {
        L("return %s", lib_status(s));
    }
    sol_close(s, b);
    if (check) {
        sol_out(s);
        L("except %s:", s->lib == DP_PLIB_AIOHTTP ? "(aiohttp.ClientError, asyncio.TimeoutError)" : lib_error(s));
        L("    return False");
    }
    s->ind = 0;
    return pre_end(s, &buf, saved);
}

static void fam_concurrent(struct sol *s)
{
    sol_no_params(s);
    if (s->lib == DP_PLIB_HTTPX && !s->is_async && sol_chance(s, 0.5)) s->is_async = s->session = true;
    if (!s->is_async) {
        s->session = false;
        if (s->tls == DP_SOL_TLS_SESSION) s->tls = DP_SOL_TLS_KW_FALSE;
    }
    if (s->k == 3) {
        s->timeout = atoi(sol_slot(s, "secs", false, "5"));
        snprintf(s->timeout_expr, sizeof s->timeout_expr, "%d", s->timeout);
        s->timeout_param = s->consts = false;
    }
    s->errors = ERR_NONE;
    s->shape = s->shape == SHAPE_CLASS ? SHAPE_FUNC : s->shape;
    const char *urls = "[\"https://www.example.com\", \"https://www.example.org\", \"https://www.example.net\"]";
    struct unit u = {.fname = PICK("fetch_all", "check_urls", "gather_results"), .no_class = true,
                     .p = {{"urls", "list_str", NULL, urls}}, .np = 1, .ret = "dict",
                     .body = s->is_async ? b_many_async : b_many_threads,
                     .doc = "Request all the URLs concurrently."};
    if (s->k == 1) { u.ret = "list_dict"; u.doc = "Fetch the JSON of every endpoint in parallel and merge it."; }
    if (s->k == 2) {
        u.p[0] = (struct param){"url", "str", NULL, sol_fmt(s, "\"%s\"", sol_url(s))};
        u.p[1] = (struct param){"ids", "list_int", NULL, "[1, 2, 3, 4, 5]"};
        u.p[2] = (struct param){"limit", "int", sol_slot(s, "n", false, "5"), NULL};
        u.np = 3;
        u.doc = "Query the endpoint for every id, with at most limit requests in flight.";
    }
    if (s->k == 3) u.doc = "Report which websites answer within the timeout.";
    u.pre = fetch_one(s);
    s->notes |= NOTE_ASYNC * s->is_async;
    sol_unit(s, &u);
}

/* ---------------------------------------------------------------- dispatch */

void sol_http(struct sol *s)
{
    static const struct { const char *id; void (*fn)(struct sol *); } fams[] = {
        {"fetch_json", NULL}, {"download_file", NULL}, {"post_json", NULL}, {"post_form", NULL},
        {"upload_file", NULL}, {"paginate", fam_paginate}, {"retry_backoff", fam_retry},
        {"auth_headers", fam_auth}, {"scrape_page", fam_scrape}, {"update_delete", fam_update},
        {"concurrent_fetch", fam_concurrent}, {"api_client_class", fam_client}, {"oauth_token", fam_oauth},
        {"cookies_session", fam_cookies}, {"rate_limit", fam_rate}, {"query_params", fam_query},
        {"health_check", fam_health}, {"webhook", fam_webhook}, {"monitor_poll", fam_poll},
        {"graphql_query", fam_graphql}, {"cli_tool", fam_cli},
    };
    for (size_t i = 0; i < sizeof fams / sizeof fams[0]; i++)
        if (!strcmp(s->family, fams[i].id) && fams[i].fn) { fams[i].fn(s); return; }
    sol_http_basic(s);
}
