/* The prose around the code: an opening sentence in the manner of a chat model ("Here's a
 * function that ..."), and a short explanation after the block built from what the code does
 * (timeouts, sessions, streaming, retries, error handling, ...). */
#include "data/solutions_int.h"
#include <stdio.h>
#include <string.h>

static const char *what_it_does(const char *family)
{
    static const char *const t[][2] = {
        {"fetch_json", "fetches JSON data from an API"}, {"download_file", "downloads a file and saves it to disk"},
        {"post_json", "sends a JSON POST request"}, {"post_form", "submits form-encoded data"},
        {"upload_file", "uploads a file as multipart/form-data"}, {"paginate", "walks through every page of a paginated API"},
        {"retry_backoff", "retries failed requests with exponential backoff"}, {"auth_headers", "calls an authenticated API"},
        {"scrape_page", "downloads a web page and extracts data from its HTML"},
        {"update_delete", "updates or deletes records through a REST API"},
        {"concurrent_fetch", "makes many requests concurrently"}, {"api_client_class", "wraps the API in a reusable client class"},
        {"oauth_token", "gets an OAuth2 access token and uses it"}, {"cookies_session", "logs in and keeps the session cookies"},
        {"rate_limit", "stays within the API's rate limit"}, {"query_params", "sends a request with query parameters"},
        {"health_check", "checks whether a service is healthy"}, {"webhook", "sends a notification to a webhook"},
        {"monitor_poll", "polls an endpoint until the result is ready"}, {"graphql_query", "sends a GraphQL request over HTTP"},
        {"cli_tool", "works as a small command-line HTTP tool"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(t[i][0], family)) return t[i][1];
    return "does what you asked";
}

static const char *lib_words(const struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_REQUESTS: return "the `requests` library";
    case DP_PLIB_HTTPX: return "`httpx`";
    case DP_PLIB_URLLIB: return "`urllib.request` from the standard library";
    case DP_PLIB_AIOHTTP: return "`aiohttp` and `asyncio`";
    default: return "plain Python";
    }
}

/* The family's task template with its {slots} filled from the prompt (general tasks). */
static const char *task_text(struct sol *s)
{
    const struct dp_pfamily *f = dp_pfamily_find(s->family);
    if (!f) return "solve this";
    const char *t = f->tasks[s->k];
    char buf[512];
    size_t n = 0;
    for (const char *p = t; *p && n < sizeof buf - 16; p++) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                const char *v = sol_slot(s, "n", false, "5");
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", v);
                p = e;
                continue;
            }
        }
        buf[n++] = *p;
    }
    buf[n] = 0;
    return sol_fmt(s, "%s", buf);
}

void sol_intro(struct sol *s, struct dp_sbuf *out)
{
    const char *unit = s->shape == SHAPE_CLASS ? "class" : s->shape == SHAPE_SCRIPT ? "script" : "function";
    if (s->general) {
        const char *t = task_text(s);
        switch (sol_below(s, 4)) {
        case 0: dp_sbuf_printf(out, "Here's a Python %s to %s:", unit, t); break;
        case 1: dp_sbuf_printf(out, "Sure! Below is a straightforward way to %s.", t); break;
        case 2: dp_sbuf_printf(out, "You can %s with a few lines of Python:", t); break;
        default: dp_sbuf_printf(out, "Certainly! This %s shows how to %s.", unit, t); break;
        }
        return;
    }
    const char *w = what_it_does(s->family), *lib = lib_words(s);
    switch (sol_below(s, 5)) {
    case 0: dp_sbuf_printf(out, "Here's a Python %s that %s using %s:", unit, w, lib); break;
    case 1: dp_sbuf_printf(out, "You can do this with %s. The following %s %s.", lib, unit, w); break;
    case 2: dp_sbuf_printf(out, "Sure! Below is a %s that %s.", unit, w); break;
    case 3: dp_sbuf_printf(out, "Certainly! Here's an example that %s with %s.", w, lib); break;
    default: dp_sbuf_printf(out, "Here is one way to do it with %s:", lib); break;
    }
}

static const char *tls_words(const struct sol *s)
{
    switch (s->lib) {
    case DP_PLIB_AIOHTTP: return "`ssl=False` skips certificate verification, which is handy for servers with self-signed certificates.";
    case DP_PLIB_URLLIB: return "The SSL context does not verify certificates, so it also works with self-signed certificates.";
    default: return "`verify=False` turns off certificate verification, so it also works with self-signed certificates.";
    }
}

void sol_explain(struct sol *s, struct dp_sbuf *out)
{
    static const struct { unsigned bit; const char *text; } notes[] = {
        {NOTE_TIMEOUT, "The `timeout` makes sure the call cannot hang forever if the server stops answering."},
        {NOTE_RAISE, "`raise_for_status()` turns 4xx and 5xx responses into exceptions instead of failing silently."},
        {NOTE_SESSION, "A session reuses the underlying connection (and keeps cookies and headers) across requests."},
        {NOTE_STREAM, "The body is read in chunks, so large files never have to fit in memory."},
        {NOTE_TRY, "Network errors are caught and reported instead of crashing the program."},
        {NOTE_LOGGING, "Failures go through the `logging` module, so they end up wherever your logs go."},
        {NOTE_ASYNC, "With `asyncio` the requests run concurrently without threads."},
        {NOTE_BACKOFF, "Each retry waits longer than the previous one (exponential backoff), which gives the server time to recover."},
        {NOTE_PAGES, "The loop stops as soon as the API has no more pages to give."},
        {NOTE_ENV, "Credentials come from the environment instead of being hard-coded in the script."},
    };
    const char *said[12];
    int n = 0;
    for (size_t i = 0; i < sizeof notes / sizeof notes[0] && n < 4; i++)
        if ((s->notes & notes[i].bit) && sol_chance(s, 0.75)) said[n++] = notes[i].text;
    if ((s->notes & NOTE_TLS) && sol_chance(s, 0.5)) said[n++] = tls_words(s);
    if (s->general || n == 0) {
        said[n++] = s->general ? PICK("It only uses the standard library.", "The logic is kept in one small function so it is easy to test.",
                                      "Edge cases such as empty input are handled explicitly.")
                               : "The response is checked before its data is used.";
    }
    dp_sbuf_putc(out, '\n');
    int style = sol_below(s, 3);
    if (style == 0) dp_sbuf_puts(out, "### Explanation\n\n");
    else if (style == 1) dp_sbuf_puts(out, "**How it works:**\n\n");
    for (int i = 0; i < n; i++) {
        if (style == 2) dp_sbuf_printf(out, "%s%s", i ? " " : "", said[i]);
        else dp_sbuf_printf(out, "- %s\n", said[i]);
    }
    if (style == 2) dp_sbuf_putc(out, '\n');
    if (!s->general && s->lib != DP_PLIB_URLLIB && sol_chance(s, 0.35))
        dp_sbuf_printf(out, "\nInstall the dependency with `pip install %s` if you don't have it yet.\n",
                       s->lib == DP_PLIB_HTTPX ? "httpx" : s->lib == DP_PLIB_AIOHTTP ? "aiohttp" : "requests");
}
