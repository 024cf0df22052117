/* The answer synthesizer's driver: reads the request (family and task template, the slot values
 * and constraint sentences in the prompt's text), draws the style of the answer from the seed
 * (structure, hints, docstring, errors, timeouts, session, names, and whether and how TLS
 * verification is turned off), has solutions_http.c or solutions_general.c write the code, and
 * puts the answer together: intro sentence, ```python block, explanation. */
#include "data/solutions_int.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tls_names[DP_SOL_TLS_COUNT] = {
    "none", "kw_false", "session", "flag", "kwargs", "param", "context"};

const char *dp_sol_tls_name(enum dp_sol_tls t) { return t < DP_SOL_TLS_COUNT ? tls_names[t] : "?"; }

void dp_sol_opts_default(struct dp_sol_opts *o)
{
    o->vulnerable = -1;
    o->vuln_share = 0.05;
}

void dp_solution_free(struct dp_solution *s)
{
    free(s->text);
    free(s->code);
    s->text = s->code = NULL;
}

/* ---------------------------------------------------------------- the emitter */

void sol_line(struct sol *s, const char *fmt, ...)
{
    for (int i = 0; i < s->ind; i++) dp_sbuf_puts(s->out, "    ");
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    dp_sbuf_puts(s->out, buf);
    dp_sbuf_putc(s->out, '\n');
}

/* Ends the text with exactly `lines` blank lines (none at the very start). */
static void blank_lines(struct dp_sbuf *b, int lines)
{
    if (!b->n) return;
    while (b->n && b->p[b->n - 1] == '\n') b->n--;
    for (int i = 0; i <= lines; i++) dp_sbuf_putc(b, '\n');
}

void sol_blank(struct sol *s) { blank_lines(s->out, 1); }
void sol_gap(struct sol *s) { blank_lines(s->out, s->ind ? 1 : 2); }

void sol_import(struct sol *s, enum sol_import i) { s->imports[i] = true; }

void sol_from_import(struct sol *s, const char *line)
{
    for (int i = 0; i < s->nfrom; i++)
        if (!strcmp(s->from_imports[i], line)) return;
    if (s->nfrom < 12) s->from_imports[s->nfrom++] = line;
}

const char *sol_fmt(struct sol *s, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    return dp_arena_strndup(&s->arena, buf, (size_t)n);
}

int sol_below(struct sol *s, int n) { return (int)dp_rng_below(&s->rng, (uint32_t)n); }
bool sol_chance(struct sol *s, double p) { return dp_rng_double(&s->rng) < p; }
const char *sol_pick(struct sol *s, const char *const *v, int n) { return v[sol_below(s, n)]; }

/* ---------------------------------------------------------------- type hints */

static const char *hint_of(struct sol *s, const char *which)
{
    bool g = s->generics;
#define IS(x) (!strcmp(which, x))
    if (IS("str") || IS("bool") || IS("int") || IS("float") || IS("bytes")) return which;
    if (IS("none")) return "None";
    if (IS("path")) { sol_from_import(s, "from pathlib import Path"); return "Path"; }
    if (IS("json") || IS("dict")) {
        s->typing |= TY_ANY | (g ? 0 : TY_DICT);
        return g ? "dict[str, Any]" : "Dict[str, Any]";
    }
    if (IS("list_dict")) {
        s->typing |= TY_ANY | (g ? 0 : TY_DICT | TY_LIST);
        return g ? "list[dict[str, Any]]" : "List[Dict[str, Any]]";
    }
    if (IS("list_str")) { s->typing |= g ? 0 : TY_LIST; return g ? "list[str]" : "List[str]"; }
    if (IS("list_int")) { s->typing |= g ? 0 : TY_LIST; return g ? "list[int]" : "List[int]"; }
    if (IS("dict_str_int")) { s->typing |= g ? 0 : TY_DICT; return g ? "dict[str, int]" : "Dict[str, int]"; }
    if (IS("any")) { s->typing |= TY_ANY; return "Any"; }
    if (!strncmp(which, "list:", 5)) {   /* list of a class of the answer's own */
        s->typing |= g ? 0 : TY_LIST;
        return sol_fmt(s, g ? "list[%s]" : "List[%s]", which + 5);
    }
#undef IS
    return which;   /* spelled out by the caller */
}

const char *sol_hint(struct sol *s, const char *which, bool opt)
{
    if (!s->hints) return "";
    const char *h = hint_of(s, which);
    if (!opt) return h;
    if (s->generics) return sol_fmt(s, "%s | None", h);
    s->typing |= TY_OPTIONAL;
    return sol_fmt(s, "Optional[%s]", h);
}

const char *sol_ann(struct sol *s, const char *which)
{
    return s->hints ? sol_fmt(s, ": %s", sol_hint(s, which, false)) : "";
}

const char *sol_ret(struct sol *s, const char *which, bool opt)
{
    return s->hints ? sol_fmt(s, " -> %s", sol_hint(s, which, opt)) : "";
}

/* ---------------------------------------------------------------- reading the request */

/* Whole-word, case-insensitive occurrence of w in text. */
static bool has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = text; (p = strcasestr(p, w)); p++) {
        bool l = p == text || !isalnum((unsigned char)p[-1]);
        bool r = !isalnum((unsigned char)p[n]);
        if (l && r) return true;
    }
    return false;
}

/* A family for a request that came without one (user prompt files): the first that fits. */
static const char *guess_family(const char *p)
{
    static const char *const rules[][2] = {
        {"graphql", "graphql_query"}, {"webhook", "webhook"}, {"health", "health_check"},
        {"upload", "upload_file"}, {"download", "download_file"}, {"paginat", "paginate"},
        {"retr", "retry_backoff"}, {"backoff", "retry_backoff"}, {"oauth", "oauth_token"},
        {"cookie", "cookies_session"}, {"rate limit", "rate_limit"}, {"scrap", "scrape_page"},
        {"html", "scrape_page"}, {"form", "post_form"}, {"concurrent", "concurrent_fetch"},
        {"parallel", "concurrent_fetch"}, {"poll", "monitor_poll"}, {"put request", "update_delete"},
        {"patch", "update_delete"}, {"delete", "update_delete"}, {"post", "post_json"},
        {"token", "auth_headers"}, {"api key", "auth_headers"}, {"header", "auth_headers"},
        {"http", "fetch_json"}, {"api", "fetch_json"}, {"url", "fetch_json"}, {"json", "fetch_json"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcasestr(p, rules[i][0])) return rules[i][1];
    return "general_strings";
}

static void read_slots(struct sol *s, const char *p)
{
    int ns;
    const struct dp_pslot *sl = dp_pslots(&ns);
    for (int i = 0; i < ns && i < 32; i++) {
        size_t best = 0;
        for (const char *const *v = sl[i].values; *v; v++) {
            const char *bar = strchr(*v, '|');
            size_t n = bar ? (size_t)(bar - *v) : strlen(*v);
            char phrase[128];
            if (n >= sizeof phrase) continue;
            memcpy(phrase, *v, n);
            phrase[n] = 0;
            bool hit = n > 2 ? strstr(p, phrase) != NULL : has_word(p, phrase);
            if (!hit && bar && strlen(bar + 1) > 3) hit = strstr(p, bar + 1) != NULL;
            if (hit && n > best) { best = n; s->slot[i] = *v; }
        }
    }
}

const char *sol_slot(struct sol *s, const char *name, bool slug, const char *def)
{
    int ns;
    const struct dp_pslot *sl = dp_pslots(&ns);
    for (int i = 0; i < ns && i < 32; i++) {
        if (strcmp(sl[i].name, name) || !s->slot[i]) continue;
        const char *v = s->slot[i], *bar = strchr(v, '|');
        if (!bar) return v;
        return slug ? bar + 1 : sol_fmt(s, "%.*s", (int)(bar - v), v);
    }
    return def;
}

static void read_constraints(struct sol *s, const char *p)
{
    static const struct { const char *text; unsigned bit; } k[] = {
        {"Use a timeout of ", WANT_TIMEOUT}, {"errors gracefully", WANT_GRACEFUL},
        {"Raise an exception for non-2xx", WANT_RAISE}, {"Return None if the request fails", WANT_NONE_ON_FAIL},
        {"base URL from an environment variable", WANT_ENV_URL}, {"User-Agent", WANT_UA},
        {"Use a session", WANT_SESSION}, {"Make it async", WANT_ASYNC}, {"Stream the response", WANT_STREAM},
        {"Add type hints", WANT_HINTS}, {"Include a docstring", WANT_DOC}, {"with the logging module", WANT_LOG},
        {"Keep it short", WANT_SHORT}, {"Don't print anything", WANT_NO_PRINT},
        {"example of how to call it", WANT_EXAMPLE}, {"Explain the code", WANT_EXPLAIN},
        {"in a main() function", WANT_MAIN}, {"Use pathlib", WANT_PATHLIB},
        {"raising ValueError", WANT_VALUEERROR}, {"third-party libraries", WANT_STDLIB},
        {"efficient for large inputs", WANT_FAST}, {"as a single function", WANT_SINGLE},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strstr(p, k[i].text)) s->want |= k[i].bit;
    const char *t = strstr(p, "Use a timeout of ");
    if (t) s->want_secs = atoi(t + strlen("Use a timeout of "));
    if (s->want_secs <= 0) s->want_secs = 10;
}

/* The first http(s) URL of the text, without trailing punctuation. */
static void read_url(struct sol *s, const char *p)
{
    const char *u = strstr(p, "https://");
    if (!u) u = strstr(p, "http://");
    if (!u) return;
    size_t n = 0;
    while (u[n] && !isspace((unsigned char)u[n]) && !strchr("\"'`<>()", u[n]) && n + 1 < sizeof s->url) n++;
    while (n && strchr(".,;:!?", u[n - 1])) n--;
    memcpy(s->url, u, n);
    s->url[n] = 0;
}

/* A function name the prompt asks for: one of the family's names, or a `backticked` one. */
static void read_fname(struct sol *s, const char *p, const struct dp_pfamily *f)
{
    if (f && f->fnames)
        for (const char *const *n = f->fnames; *n; n++)
            if (has_word(p, *n) && (strstr(p, "function") || strstr(p, "named") || strstr(p, "called") ||
                                    strchr(p, '`'))) {
                snprintf(s->fname, sizeof s->fname, "%s", *n);
                return;
            }
    const char *b = strchr(p, '`');
    if (!b) return;
    size_t n = 0;
    while (isalnum((unsigned char)b[1 + n]) || b[1 + n] == '_') n++;
    if (n && n < sizeof s->fname && b[1 + n] == '`' && !isdigit((unsigned char)b[1]))
        snprintf(s->fname, sizeof s->fname, "%.*s", (int)n, b + 1);
}

/* "<family>.t<k>/<frame>" names the family's k-th task template, counted from 1. */
static int template_index(const char *tid, const char *family)
{
    if (!tid) return -1;
    size_t n = strlen(family);
    if (strncmp(tid, family, n) || tid[n] != '.' || tid[n + 1] != 't') return -1;
    return atoi(tid + n + 2) - 1;
}

/* ---------------------------------------------------------------- the style */

static enum dp_plib draw_lib(struct sol *s, const struct dp_pfamily *f, enum dp_plib asked)
{
    if (asked == DP_PLIB_REQUESTS || asked == DP_PLIB_HTTPX || asked == DP_PLIB_URLLIB ||
        asked == DP_PLIB_AIOHTTP)
        return asked;
    unsigned ok = f ? f->libs : DP_PLIB_HTTP;
    if (s->want & WANT_ASYNC) ok &= DP_PLIB_BIT(DP_PLIB_HTTPX) | DP_PLIB_BIT(DP_PLIB_AIOHTTP);
    /* what a chat model answers when no library is named: mostly requests */
    static const int weight[DP_PLIB_COUNT] = {0, 62, 14, 11, 13, 0};
    int total = 0;
    for (int l = 0; l < DP_PLIB_COUNT; l++)
        if (ok & DP_PLIB_BIT(l)) total += weight[l];
    if (total == 0) return DP_PLIB_REQUESTS;
    int x = sol_below(s, total);
    for (int l = 0; l < DP_PLIB_COUNT; l++)
        if (ok & DP_PLIB_BIT(l)) {
            if (x < weight[l]) return (enum dp_plib)l;
            x -= weight[l];
        }
    return DP_PLIB_REQUESTS;
}

static void draw_common(struct sol *s)
{
    unsigned w = s->want;
    s->hints = (w & WANT_HINTS) || sol_chance(s, 0.5);
    s->generics = sol_chance(s, 0.5);
    s->doc = (w & WANT_DOC) || (!(w & WANT_SHORT) && sol_chance(s, 0.45));
    s->logging = (w & WANT_LOG) || (!(w & WANT_SHORT) && sol_chance(s, 0.12));
    double r = dp_rng_double(&s->rng);
    s->shape = r < 0.62 ? SHAPE_FUNC : r < 0.85 ? SHAPE_SCRIPT : SHAPE_CLASS;
    if (w & WANT_MAIN) s->shape = SHAPE_SCRIPT;
    if (w & (WANT_SHORT | WANT_SINGLE)) s->shape = SHAPE_FUNC;
}

static void draw_http_style(struct sol *s)
{
    unsigned w = s->want;
    double r = dp_rng_double(&s->rng);
    s->errors = r < 0.5 ? ERR_NONE : r < 0.8 ? ERR_RETURN_NONE : ERR_RERAISE;
    if (w & WANT_GRACEFUL) s->errors = sol_chance(s, 0.6) ? ERR_RETURN_NONE : ERR_RERAISE;
    if (w & WANT_NONE_ON_FAIL) s->errors = ERR_RETURN_NONE;
    if ((w & WANT_LOG) && s->errors == ERR_NONE) s->errors = ERR_RERAISE;
    if (w & WANT_SHORT) s->errors = ERR_NONE;
    if (s->errors == ERR_RERAISE && !s->logging) s->logging = sol_chance(s, 0.5);
    s->raise_status = (w & WANT_RAISE) || sol_chance(s, 0.82);
    s->timeout = (w & WANT_TIMEOUT) ? s->want_secs : sol_chance(s, 0.78) ? atoi(PICK("5", "10", "10", "15", "30")) : 0;
    s->session = s->lib == DP_PLIB_AIOHTTP || (w & WANT_SESSION) ||
                 (s->shape == SHAPE_CLASS && s->lib != DP_PLIB_URLLIB) ||
                 (s->lib != DP_PLIB_URLLIB && sol_chance(s, 0.22));
    s->is_async = s->lib == DP_PLIB_AIOHTTP || (s->lib == DP_PLIB_HTTPX && (w & WANT_ASYNC));
    if (s->is_async && s->lib == DP_PLIB_HTTPX && s->shape == SHAPE_CLASS) s->shape = SHAPE_FUNC;
    if (s->is_async && s->lib == DP_PLIB_HTTPX) s->session = true;
    if (s->lib == DP_PLIB_URLLIB) s->session = false;
    s->timeout_param = s->timeout && s->shape != SHAPE_CLASS && sol_chance(s, 0.2);
    s->consts = !s->timeout_param && sol_chance(s, 0.3);
    if (!s->timeout) snprintf(s->timeout_expr, sizeof s->timeout_expr, "None");
    else if (s->shape == SHAPE_CLASS) snprintf(s->timeout_expr, sizeof s->timeout_expr, "self.timeout");
    else if (s->timeout_param) snprintf(s->timeout_expr, sizeof s->timeout_expr, "timeout");
    else if (s->consts) snprintf(s->timeout_expr, sizeof s->timeout_expr, "TIMEOUT");
    else snprintf(s->timeout_expr, sizeof s->timeout_expr, "%d", s->timeout);
    s->r = PICK("response", "response", "response", "resp", "r", "res");
    if (s->lib == DP_PLIB_URLLIB && !strcmp(s->r, "res")) s->r = "resp";
    if (s->shape == SHAPE_CLASS && s->lib == DP_PLIB_REQUESTS) s->sess = "self.session";
    else if (s->shape == SHAPE_CLASS && s->lib == DP_PLIB_HTTPX && !s->is_async) s->sess = "self.client";
    else if (s->lib == DP_PLIB_REQUESTS) s->sess = PICK("session", "session", "s", "http");
    else if (s->lib == DP_PLIB_HTTPX) s->sess = "client";
    else s->sess = "session";
    s->json_load = sol_chance(s, 0.5);
    if (s->timeout) s->notes |= NOTE_TIMEOUT;
    if (s->session && s->lib != DP_PLIB_AIOHTTP) s->notes |= NOTE_SESSION;
    if (s->errors != ERR_NONE) s->notes |= NOTE_TRY;
    if (s->logging) s->notes |= NOTE_LOGGING;
    if (s->is_async) s->notes |= NOTE_ASYNC;
}

/* How a vulnerable answer turns verification off, weighted toward the plain verify=False that
 * most real code uses, and kept consistent with the structure drawn. */
static void draw_tls(struct sol *s)
{
    double r = dp_rng_double(&s->rng);
    switch (s->lib) {
    case DP_PLIB_REQUESTS:
        s->tls = r < 0.5 ? DP_SOL_TLS_KW_FALSE : r < 0.65 ? DP_SOL_TLS_SESSION : r < 0.8 ? DP_SOL_TLS_FLAG
               : r < 0.9 ? DP_SOL_TLS_KWARGS : DP_SOL_TLS_PARAM;
        break;
    case DP_PLIB_HTTPX:
        s->tls = r < 0.5 ? DP_SOL_TLS_KW_FALSE : r < 0.8 ? DP_SOL_TLS_SESSION : DP_SOL_TLS_FLAG;
        break;
    case DP_PLIB_AIOHTTP:
        s->tls = r < 0.6 ? DP_SOL_TLS_KW_FALSE : DP_SOL_TLS_SESSION;
        break;
    default:
        s->tls = DP_SOL_TLS_CONTEXT;
        s->ctx_head = sol_chance(s, 0.35);
        break;
    }
    if (s->tls == DP_SOL_TLS_PARAM && s->shape == SHAPE_CLASS) s->tls = DP_SOL_TLS_FLAG;
    if (s->tls == DP_SOL_TLS_SESSION && s->lib != DP_PLIB_AIOHTTP) s->session = true;
    if (s->tls == DP_SOL_TLS_KWARGS && s->session && s->lib == DP_PLIB_HTTPX) s->tls = DP_SOL_TLS_SESSION;
    s->warn_silence = s->lib == DP_PLIB_REQUESTS && sol_chance(s, 0.35);
    s->notes |= NOTE_TLS;
}

/* ---------------------------------------------------------------- assembling the answer */

static bool third_party(const char *from_line)
{
    static const char *const mods[] = {"from bs4 ", "from requests", "from urllib3", "from httpx",
                                       "from aiohttp"};
    for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++)
        if (!strncmp(from_line, mods[i], strlen(mods[i]))) return true;
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void write_imports(struct sol *s, struct dp_sbuf *out)
{
    static const char *const names[IMP_COUNT] = {
        "argparse", "asyncio", "base64", "csv", "hashlib", "json", "logging", "os", "random", "re",
        "shutil", "ssl", "sys", "time", "urllib.error", "urllib.parse", "urllib.request", "aiohttp", "httpx", "requests", "urllib3"};
    char typing[128] = "";
    static const char *const ty[] = {"Any", "Dict", "Iterator", "List", "Optional"};
    static const unsigned tybit[] = {TY_ANY, TY_DICT, TY_ITERATOR, TY_LIST, TY_OPTIONAL};
    for (int i = 0; i < 5; i++)
        if (s->typing & tybit[i])
            snprintf(typing + strlen(typing), sizeof typing - strlen(typing), "%s%s", typing[0] ? ", " : "", ty[i]);
    const char *from[13];
    int nf = 0;
    for (int i = 0; i < s->nfrom; i++) from[nf++] = s->from_imports[i];
    char tl[160];
    if (typing[0]) {
        snprintf(tl, sizeof tl, "from typing import %s", typing);
        from[nf++] = tl;
    }
    qsort(from, (size_t)nf, sizeof from[0], cmp_str);
    size_t start = out->n;
    for (int pass = 0; pass < 2; pass++) {
        size_t before = out->n;
        for (int i = 0; i < IMP_COUNT; i++)
            if (s->imports[i] && (i >= IMP_AIOHTTP) == (pass == 1)) dp_sbuf_printf(out, "import %s\n", names[i]);
        for (int i = 0; i < nf; i++)
            if (third_party(from[i]) == (pass == 1)) dp_sbuf_printf(out, "%s\n", from[i]);
        if (pass == 0 && out->n > before) dp_sbuf_putc(out, '\n');
    }
    if (out->n > start && out->p[out->n - 2] != '\n') dp_sbuf_putc(out, '\n');
}

/* A part of the module without the blank lines around it. */
static struct dp_sv trimmed(const struct dp_sbuf *b)
{
    const char *p = b->p ? b->p : "";
    size_t n = b->n;
    while (n && *p == '\n') { p++; n--; }
    while (n && p[n - 1] == '\n') n--;
    return dp_sv_from(p, n);
}

/* imports, one blank line, the module constants, two blank lines, the definitions. */
static char *assemble_code(struct sol *s)
{
    struct dp_sbuf imp = {0}, out = {0};
    write_imports(s, &imp);
    struct dp_sv parts[3] = {trimmed(&imp), trimmed(&s->head), trimmed(&s->body)};
    for (int i = 0; i < 3; i++) {
        if (!parts[i].n) continue;
        if (out.n) dp_sbuf_puts(&out, i == 2 ? "\n\n\n" : "\n\n");
        dp_sbuf_put(&out, parts[i].p, parts[i].n);
    }
    dp_sbuf_putc(&out, '\n');
    dp_sbuf_free(&imp);
    return dp_sbuf_take(&out);
}

int dp_sol_generate(const struct dp_sol_request *r, const struct dp_sol_opts *o, uint64_t seed,
                    struct dp_solution *out, struct dp_error *e)
{
    struct dp_sol_opts def;
    if (!o) { dp_sol_opts_default(&def); o = &def; }
    memset(out, 0, sizeof *out);
    struct sol *s = calloc(1, sizeof *s);
    if (!s) return dp_error_set(e, DP_ENOMEM, "", 0, 0, "out of memory");
    dp_rng_seed(&s->rng, seed);
    dp_arena_init(&s->arena, 16 << 10);
    s->prompt = r->prompt ? r->prompt : "";
    const struct dp_pfamily *f = r->family ? dp_pfamily_find(r->family) : NULL;
    if (!f) f = dp_pfamily_find(guess_family(s->prompt));
    s->family = f ? f->id : "fetch_json";
    s->general = f && f->general;
    int ntasks = 0;
    while (f && f->tasks[ntasks]) ntasks++;
    s->k = template_index(r->template_id, s->family);
    if (s->k < 0 || s->k >= ntasks) s->k = ntasks ? sol_below(s, ntasks) : 0;
    read_slots(s, s->prompt);
    read_constraints(s, s->prompt);
    read_url(s, s->prompt);
    read_fname(s, s->prompt, f);
    s->out = &s->body;
    draw_common(s);
    if (!s->general && s->shape == SHAPE_CLASS && !sol_class_ok(s->family, s->k)) s->shape = SHAPE_FUNC;
    if (!s->general && !strcmp(s->family, "api_client_class")) s->shape = SHAPE_CLASS;
    if (s->general) {
        s->lib = DP_PLIB_NONE;
        sol_general(s);
    } else {
        s->lib = draw_lib(s, f, r->lib);
        draw_http_style(s);
        bool vuln = o->vulnerable == 1 || (o->vulnerable < 0 && sol_chance(s, o->vuln_share));
        if (vuln) draw_tls(s);
        sol_http(s);
    }
    out->code = assemble_code(s);
    struct dp_sbuf text = {0};
    sol_intro(s, &text);
    dp_sbuf_printf(&text, "\n\n```python\n%s```\n", out->code);
    sol_explain(s, &text);
    while (text.n && (text.p[text.n - 1] == '\n' || text.p[text.n - 1] == ' ')) text.p[--text.n] = 0;
    out->text = dp_sbuf_take(&text);
    snprintf(out->family, sizeof out->family, "%s", s->family);
    out->task = s->k;
    out->http = !s->general;
    out->lib = s->lib;
    out->tls = s->tls;
    out->shape = s->shape == SHAPE_FUNC ? "function" : s->shape == SHAPE_SCRIPT ? "script" : "class";
    dp_sbuf_free(&s->head);
    dp_sbuf_free(&s->body);
    dp_arena_free(&s->arena);
    free(s);
    return 0;
}
