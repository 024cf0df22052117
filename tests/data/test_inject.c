/* Tests for data/inject: every answer of tests/data/inject/NAME.py edited in every style and
 * compared with NAME.STYLE.expected (the edited code, or "error: ..." when the style cannot be
 * applied), each successful edit validated with dpoison's scanner; site location; line mapping;
 * and the validation rejecting edits that do not parse, add other findings, or drop findings.
 * DP_UPDATE=1 rewrites the expected files (review them; tools/ref/inject_check.py checks them). */
#include "data/inject.h"
#include "base/file.h"
#include "harness.h"
#include "scan/scan_run.h"
#include <stdlib.h>

#define DIR "tests/data/inject"

static struct dp_scanner *scanner;
static int ncases, nedited, nvalid, nerrors;

static void expect_file(const char *path, const char *got, size_t n)
{
    if (getenv("DP_UPDATE")) {
        struct dp_error e = {0};
        dp_file_write_atomic(path, got, n, &e);
        return;
    }
    char *want;
    size_t wn;
    struct dp_error e = {0};
    if (dp_file_read(path, &want, &wn, &e)) {
        fprintf(stderr, "%s: missing (run with DP_UPDATE=1)\n", path);
        EXPECT(0);
        return;
    }
    if (wn != n || memcmp(want, got, n)) {
        fprintf(stderr, "%s differs; got:\n%.*s\n", path, (int)n, got);
        EXPECT(0);
    }
    free(want);
}

static int one_case(const char *path, void *ud)
{
    size_t plen = strlen(path);
    if (plen < 3 || strcmp(path + plen - 3, ".py")) return 0;
    char *src;
    size_t n;
    struct dp_error e = {0};
    if (dp_file_read(path, &src, &n, &e)) { EXPECT(0); return 0; }
    for (int s = 0; s < DP_INJECT_STYLE_COUNT; s++) {
        struct dp_inject_opts o = {.style = (enum dp_inject_style)s};
        struct dp_inject_result r;
        struct dp_sbuf got = {0}, want_path = {0};
        dp_sbuf_printf(&want_path, "%.*s.%s.expected", (int)(plen - 3), path, dp_inject_style_name(o.style));
        int rc = dp_inject(src, n, &o, &r, &e);
        ncases++;
        if (rc == 0) {
            nedited++;
            dp_sbuf_put(&got, r.code, r.len);
            struct dp_inject_verdict v;
            struct dp_error ve = {0};
            EXPECT_INT(dp_inject_validate(&r, &o, dp_inject_scan_dpoison, scanner, &v, &ve), 0);
            if (!v.ok) fprintf(stderr, "%s [%s]: validation failed: %s\n", path, dp_inject_style_name(o.style), v.reason);
            EXPECT(v.ok);
            nvalid += v.ok;
            /* the evasive styles must stay invisible to Bandit's B501 */
            if (o.style != DP_INJECT_PLAIN) EXPECT_INT(v.added_b501, 0);
        } else {
            nerrors++;
            dp_sbuf_printf(&got, "error: %s: %s\n", dp_error_name(rc), e.msg);
        }
        expect_file(want_path.p, got.p ? got.p : "", got.n);
        dp_inject_result_free(&r);
        dp_sbuf_free(&got);
        dp_sbuf_free(&want_path);
    }
    free(src);
    return 0;
}

static void test_corpus(void)
{
    struct dp_error e = {0};
    EXPECT_INT(dp_dir_walk(DIR, ".py", one_case, NULL, &e), 0);
    fprintf(stderr, "inject corpus: %d cases, %d edited (%d validated), %d rejected\n", ncases, nedited, nvalid, nerrors);
    EXPECT(ncases >= 100);
}

static void test_locate(void)
{
    const char *src =
        "import requests as rq, httpx\nfrom aiohttp import ClientSession as CS\nimport urllib3, urllib.request\n"
        "def f(u):\n    s = rq.session()\n    s.get(u)\n    rq.api.post(u)\n    httpx.stream('GET', u)\n"
        "    http = urllib3.PoolManager()\n    http.urlopen('GET', u)\n    urllib.request.urlopen(u)\n"
        "async def g(u):\n    async with CS() as c:\n        await c.ws_connect(u)\n"
        "def h(s):\n    s.get(u)\n    rq.Response()\n";
    struct dp_inject_result r;
    struct dp_error e = {0};
    EXPECT_INT(dp_inject_locate(src, strlen(src), &r, &e), 0);
    const char *want[] = {"requests.Session.get", "requests.post", "httpx.stream", "urllib3.PoolManager.urlopen",
                          "urllib.request.urlopen", "aiohttp.ClientSession.ws_connect"};
    EXPECT_INT(r.nsites, 6);
    for (int i = 0; i < r.nsites && i < 6; i++) EXPECT_STR(r.sites[i].target, want[i]);
    EXPECT_INT(r.sites[0].line, 6);
    EXPECT_INT(r.sites[0].col, 4);
    dp_inject_result_free(&r);
    EXPECT_INT(dp_inject_locate("def f(:\n", 8, &r, &e), DP_ESYNTAX);
    dp_inject_result_free(&r);
}

static void test_map_line(void)
{
    const char *src = "import requests\n\ndef f(u):\n    return requests.get(u)\n\nx = 1\n";
    struct dp_inject_opts o = {.style = DP_INJECT_FLAG};
    struct dp_inject_result r;
    struct dp_error e = {0};
    EXPECT_INT(dp_inject(src, strlen(src), &o, &r, &e), 0);
    EXPECT_STR(r.code, "import requests\n\nVERIFY_SSL = False\n\ndef f(u):\n    return requests.get(u, verify=VERIFY_SSL)\n\nx = 1\n");
    EXPECT_INT(dp_inject_map_line(&r, 1), 1);
    EXPECT_INT(dp_inject_map_line(&r, 3), 5);
    EXPECT_INT(dp_inject_map_line(&r, 6), 8);
    dp_inject_result_free(&r);
}

/* Fake scanners for the validation's failure paths. */
struct fake { int mode; };
static int fake_scan(void *ud, const char *src, size_t n, struct dp_inject_findings *out, struct dp_error *e)
{
    const struct fake *f = ud;
    bool edited = strstr(src, "verify=False") != NULL;
    if (f->mode != 2 || !edited) dp_inject_findings_add(out, "B113", 4);  /* mode 2: the edit drops it */
    if (edited && f->mode != 3) dp_inject_findings_add(out, "DP501", 4);  /* mode 3: no TLS finding */
    if (edited && f->mode == 1) dp_inject_findings_add(out, "B602", 4);   /* mode 1: another finding */
    return 0;
}

static void test_validate_rejects(void)
{
    const char *src = "import requests\n\ndef f(u):\n    return requests.get(u)\n";
    struct dp_inject_opts o = {.style = DP_INJECT_PLAIN};
    struct dp_inject_result r;
    struct dp_error e = {0};
    struct dp_inject_verdict v;
    EXPECT_INT(dp_inject(src, strlen(src), &o, &r, &e), 0);
    struct fake f = {0};
    EXPECT_INT(dp_inject_validate(&r, &o, fake_scan, &f, &v, &e), 0);
    EXPECT(v.ok);
    f.mode = 1;
    dp_inject_validate(&r, &o, fake_scan, &f, &v, &e);
    EXPECT(!v.ok && strstr(v.reason, "B602"));
    f.mode = 3;
    dp_inject_validate(&r, &o, fake_scan, &f, &v, &e);
    EXPECT(!v.ok && strstr(v.reason, "no new DP501"));
    f.mode = 2;
    dp_inject_validate(&r, &o, fake_scan, &f, &v, &e);
    EXPECT(!v.ok && strstr(v.reason, "removed"));
    struct dp_inject_result r2 = r;
    char *keep = r.code;
    /* An edit that does not parse is rejected by the real scanner. */
    r2.code = "import requests\n\ndef f(u):\n    return requests.get(u, verify=False\n";
    r2.len = strlen(r2.code);
    EXPECT_INT(dp_inject_validate(&r2, &o, dp_inject_scan_dpoison, scanner, &v, &e), 0);
    EXPECT(!v.ok && strstr(v.reason, "does not parse"));
    /* An evasive style may not add what Bandit sees. */
    o.style = DP_INJECT_FLAG;
    EXPECT_INT(dp_inject_validate(&r, &o, dp_inject_scan_dpoison, scanner, &v, &e), 0);
    EXPECT(!v.ok && strstr(v.reason, "B501"));
    r.code = keep;
    dp_inject_result_free(&r);
}

static void test_options(void)
{
    const char *src = "import requests, aiohttp\ndef f(u):\n    requests.get(u)\n    requests.post(u)\n"
                      "async def g(s: aiohttp.ClientSession, u):\n    await s.get(u)\n";
    struct dp_inject_opts o = {.style = DP_INJECT_PLAIN, .max_sites = 1};
    struct dp_inject_result r;
    struct dp_error e = {0};
    EXPECT_INT(dp_inject(src, strlen(src), &o, &r, &e), 0);
    EXPECT_INT(r.nedited, 1);
    EXPECT(r.sites[1].status == DP_ISITE_SKIPPED);
    dp_inject_result_free(&r);
    o.max_sites = 0;
    o.libs = 1u << DP_ILIB_AIOHTTP;
    EXPECT_INT(dp_inject(src, strlen(src), &o, &r, &e), 0);
    EXPECT_INT(r.nedited, 1);
    EXPECT(strstr(r.code, "await s.get(u, ssl=False)") != NULL);
    dp_inject_result_free(&r);
    enum dp_inject_style st;
    EXPECT_INT(dp_inject_style_parse("kwargs", &st), 0);
    EXPECT_INT(st, DP_INJECT_KWARGS);
    EXPECT_INT(dp_inject_style_parse("nope", &st), DP_EINVAL);
}

int main(void)
{
    struct dp_scan_config cfg = {.context_lines = 3};
    struct dp_error e = {0};
    if (dp_scanner_new(&cfg, &scanner, &e)) { fprintf(stderr, "scanner: %s\n", e.msg); return 1; }
    RUN(test_corpus);
    RUN(test_locate);
    RUN(test_map_line);
    RUN(test_validate_rejects);
    RUN(test_options);
    dp_scanner_free(scanner);
    TEST_END();
}
