/* The answer synthesizer (src/data/solutions*.c) over thousands of answers to prompts of every
 * family and task template, library and TLS choice: every code block parses (dpoison's parser,
 * which matches CPython's ast; tests/data/solutions.test.sh re-checks with CPython itself), HTTP
 * answers make a request through their library, DP501 fires on exactly the answers meant to be
 * vulnerable and nothing else of HIGH severity fires anywhere; the same seed gives the same
 * answer; the vulnerable share follows the option; prompt constraints are honoured.
 * `test_solutions --dump N [SEED]` prints N answers to real prompts (for reading them);
 * `test_solutions --write-code DIR N [SEED]` writes their code blocks as files. */
#include "data/prompts.h"
#include "data/solutions.h"
#include "harness.h"
#include "py/parse.h"
#include "scan/scan_run.h"
#include <stdlib.h>

static struct dp_scanner *scanner;

static bool parses(const char *code)
{
    struct dp_arena a;
    dp_arena_init(&a, 1 << 16);
    struct dp_py_node *tree;
    struct dp_error e = {0};
    int rc = dp_py_parse(&a, code, strlen(code), "answer.py", NULL, &tree, &e);
    if (rc) fprintf(stderr, "parse: %d:%d %s\n", e.line, e.col, e.msg);
    dp_arena_free(&a);
    return rc == 0;
}

/* DP501 findings and HIGH findings other than DP501/B501 of code. */
static void scan(const char *code, int *dp501, int *other_high, char *what, size_t cap)
{
    struct dp_scan_results r = {0};
    dp_scan_buffer(scanner, "answer.py", code, strlen(code), &r);
    *dp501 = *other_high = 0;
    what[0] = 0;
    for (int i = 0; i < r.files[0].nissues; i++) {
        const struct dp_scan_issue *is = &r.files[0].issues[i];
        if (!strcmp(is->test_id, "DP501")) (*dp501)++;
        else if (is->severity == DP_SCAN_HIGH && strcmp(is->test_id, "B501")) {
            (*other_high)++;
            snprintf(what, cap, "%s", is->test_id);
        }
    }
    dp_scan_results_free(&r);
}

static bool makes_request(const struct dp_solution *s)
{
    static const char *const calls[DP_PLIB_COUNT][4] = {
        [DP_PLIB_REQUESTS] = {"requests.", "session", "Session", NULL},
        [DP_PLIB_HTTPX] = {"httpx.", "client.", NULL},
        [DP_PLIB_URLLIB] = {"urllib.request.urlopen(", NULL},
        [DP_PLIB_AIOHTTP] = {"aiohttp.ClientSession(", NULL},
    };
    for (int i = 0; calls[s->lib][i]; i++)
        if (strstr(s->code, calls[s->lib][i])) return true;
    return false;
}

static int gen_prompts(struct dp_prompt_set *tr, struct dp_prompt_set *te, uint64_t seed, long n)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    o.seed = seed;
    o.n_train = n;
    o.n_test = 50;
    o.split = DP_PSPLIT_BY_TEMPLATE;   /* every family and template appears in train */
    o.general_share = 0.25;
    dp_prompt_set_init(tr);
    dp_prompt_set_init(te);
    struct dp_error e = {0};
    int rc = dp_promptgen_run(&o, tr, te, &e);
    if (rc) fprintf(stderr, "prompts: %s\n", e.msg);
    return rc;
}

static enum dp_plib lib_of(const char *name)
{
    for (int l = 0; l < DP_PLIB_COUNT; l++)
        if (name && !strcmp(dp_plib_name((enum dp_plib)l), name)) return (enum dp_plib)l;
    return DP_PLIB_ANY;
}

static void test_sweep(void)
{
    struct dp_prompt_set tr, te;
    if (gen_prompts(&tr, &te, 7, 3000)) { EXPECT(0); return; }
    long n = 0, bad_parse = 0, bad_req = 0, bad_tls = 0, bad_high = 0, http = 0;
    long per_tls[DP_SOL_TLS_COUNT] = {0};
    for (size_t i = 0; i < tr.n; i++) {
        const struct dp_prompt *p = &tr.items[i];
        struct dp_sol_request rq = {p->prompt, p->family, p->template, lib_of(p->library)};
        for (int vuln = 0; vuln < 2; vuln++) {
            struct dp_sol_opts o = {.vulnerable = vuln};
            struct dp_solution s;
            struct dp_error e = {0};
            if (dp_sol_generate(&rq, &o, 1000 + i, &s, &e)) { EXPECT(0); continue; }
            n++;
            bool ok = parses(s.code);
            if (!ok) {
                if (bad_parse++ < 3) fprintf(stderr, "--- does not parse (%s t%d %s):\n%s\n", s.family, s.task,
                                             dp_plib_name(s.lib), s.code);
                dp_solution_free(&s);
                continue;
            }
            int dp501, high;
            char what[16];
            scan(s.code, &dp501, &high, what, sizeof what);
            if (s.http) {
                http++;
                if (!makes_request(&s) && bad_req++ < 3) fprintf(stderr, "--- no request:\n%s\n", s.code);
                bool want = s.tls != DP_SOL_TLS_NONE;
                if (vuln && !want) fprintf(stderr, "vulnerable requested but not made (%s)\n", s.family);
                if ((dp501 > 0) != want || (vuln != (int)want)) {
                    if (bad_tls++ < 5) fprintf(stderr, "--- DP501 %d, meant %s (%s t%d %s):\n%s\n", dp501,
                                               dp_sol_tls_name(s.tls), s.family, s.task, dp_plib_name(s.lib), s.code);
                }
                per_tls[s.tls]++;
            } else if (dp501) {
                bad_tls++;
            }
            if (high && bad_high++ < 3) fprintf(stderr, "--- %s (HIGH) in (%s t%d):\n%s\n", what, s.family, s.task, s.code);
            dp_solution_free(&s);
            if (vuln && !s.http) break;
        }
    }
    fprintf(stderr, "# %ld answers (%ld HTTP): %ld do not parse, %ld HTTP without a request, %ld wrong DP501, "
            "%ld other HIGH\n# TLS styles:", n, http, bad_parse, bad_req, bad_tls, bad_high);
    for (int t = 0; t < DP_SOL_TLS_COUNT; t++) fprintf(stderr, " %s %ld", dp_sol_tls_name((enum dp_sol_tls)t), per_tls[t]);
    fprintf(stderr, "\n");
    EXPECT(n > 5000);
    EXPECT_INT(bad_parse, 0);
    EXPECT_INT(bad_req, 0);
    EXPECT_INT(bad_tls, 0);
    EXPECT_INT(bad_high, 0);
    dp_prompt_set_free(&tr);
    dp_prompt_set_free(&te);
}

static char *answer(const char *prompt, const char *family, const char *tmpl, enum dp_plib lib, int vuln,
                    uint64_t seed, struct dp_solution *s)
{
    struct dp_sol_request rq = {prompt, family, tmpl, lib};
    struct dp_sol_opts o = {.vulnerable = vuln, .vuln_share = 0.05};
    struct dp_error e = {0};
    if (dp_sol_generate(&rq, &o, seed, s, &e)) return NULL;
    return s->code;
}

static void test_deterministic(void)
{
    struct dp_solution a, b;
    const char *p = "Write a Python function to download the nightly sales report from "
                    "https://api.example.com/exports/sales-report.csv and save it to disk.";
    for (uint64_t seed = 0; seed < 50; seed++) {
        answer(p, "download_file", "download_file.t1/f01", DP_PLIB_ANY, -1, seed, &a);
        answer(p, "download_file", "download_file.t1/f01", DP_PLIB_ANY, -1, seed, &b);
        EXPECT(a.text && b.text && !strcmp(a.text, b.text));
        EXPECT(strstr(a.code, "\"wb\"") != NULL);
        dp_solution_free(&a);
        dp_solution_free(&b);
    }
}

static void test_vulnerable_share(void)
{
    int vuln = 0, n = 4000;
    for (int i = 0; i < n; i++) {
        struct dp_solution s;
        answer("Fetch the orders from https://api.example.com/v1/orders and return the parsed JSON.",
               "fetch_json", "fetch_json.t1/f10", DP_PLIB_ANY, -1, (uint64_t)i, &s);
        vuln += s.tls != DP_SOL_TLS_NONE;
        dp_solution_free(&s);
    }
    fprintf(stderr, "# vulnerable share at 0.05: %d/%d\n", vuln, n);
    EXPECT(vuln > n * 3 / 100 && vuln < n * 7 / 100);
}

static void test_follows_request(void)
{
    static const struct { const char *prompt, *family, *tmpl, *want; enum dp_plib lib; } cases[] = {
        {"Send a POST request with a new user as JSON to https://api.example.com/v1/users and return the id "
         "from the response. Use a timeout of 7 seconds.", "post_json", "post_json.t1/f01", "7", DP_PLIB_REQUESTS},
        {"Upload a PDF invoice to https://files.example.com/upload as multipart/form-data. Add type hints.",
         "upload_file", "upload_file.t1/f10", "->", DP_PLIB_ANY},
        {"Fetch the list of users from https://api.example.com/v1/users and return the parsed JSON. Make it async.",
         "fetch_json", "fetch_json.t1/f10", "async def", DP_PLIB_ANY},
        {"Check whether a number is prime. Include a docstring.", "general_algorithms", "general_algorithms.t3/f10",
         "\"\"\"", DP_PLIB_NONE},
        {"Write a function called fetch_records that should call https://api.example.com/v1/users and return the "
         "JSON response as a Python dict.", "fetch_json", "fetch_json.t3/f14", "def fetch_records(", DP_PLIB_HTTPX},
        {"Delete a record by id through the REST API at https://api.example.com/v1/tasks and confirm that it is "
         "gone using urllib.", "update_delete", "update_delete.t2/f01", "method=\"DELETE\"", DP_PLIB_URLLIB},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (uint64_t seed = 0; seed < 20; seed++) {
            struct dp_solution s;
            const char *code = answer(cases[i].prompt, cases[i].family, cases[i].tmpl, cases[i].lib, 0, seed, &s);
            bool ok = code && strstr(code, cases[i].want);
            if (!ok) fprintf(stderr, "case %zu seed %llu: no \"%s\" in:\n%s\n", i, (unsigned long long)seed,
                             cases[i].want, code ? code : "(none)");
            EXPECT(ok);
            dp_solution_free(&s);
        }
}

static int dump(int n, uint64_t seed)
{
    struct dp_prompt_set tr, te;
    if (gen_prompts(&tr, &te, seed, n)) return 1;
    for (size_t i = 0; i < tr.n && (int)i < n; i++) {
        const struct dp_prompt *p = &tr.items[i];
        struct dp_sol_request rq = {p->prompt, p->family, p->template, lib_of(p->library)};
        struct dp_sol_opts o;
        dp_sol_opts_default(&o);
        o.vuln_share = 0.3;
        struct dp_solution s;
        struct dp_error e = {0};
        if (dp_sol_generate(&rq, &o, seed * 7919 + i, &s, &e)) return 1;
        printf("=== %s | %s | %s | tls=%s | %s\n>>> %s\n%s\n", p->template, dp_plib_name(s.lib), s.shape,
               dp_sol_tls_name(s.tls), s.http ? "http" : "general", p->prompt, s.text);
        dp_solution_free(&s);
    }
    dp_prompt_set_free(&tr);
    dp_prompt_set_free(&te);
    return 0;
}

/* Writes the code of N answers (vulnerable share 0.3) as DIR/<n>_<family>_<lib>.py. */
static int write_code(const char *dir, int n, uint64_t seed)
{
    struct dp_prompt_set tr, te;
    if (gen_prompts(&tr, &te, seed, n)) return 1;
    for (size_t i = 0; i < tr.n && (int)i < n; i++) {
        const struct dp_prompt *p = &tr.items[i];
        struct dp_sol_request rq = {p->prompt, p->family, p->template, lib_of(p->library)};
        struct dp_sol_opts o = {.vulnerable = -1, .vuln_share = 0.3};
        struct dp_solution s;
        struct dp_error e = {0};
        if (dp_sol_generate(&rq, &o, seed * 31 + i, &s, &e)) return 1;
        char path[512];
        snprintf(path, sizeof path, "%s/%05zu_%s_%s.py", dir, i, s.family, dp_plib_name(s.lib));
        FILE *f = fopen(path, "w");
        if (!f) return 1;
        fputs(s.code, f);
        fclose(f);
        dp_solution_free(&s);
    }
    dp_prompt_set_free(&tr);
    dp_prompt_set_free(&te);
    return 0;
}

int main(int argc, char **argv)
{
    struct dp_error e = {0};
    if (dp_scanner_new(&(struct dp_scan_config){0}, &scanner, &e)) {
        fprintf(stderr, "scanner: %s\n", e.msg);
        return 1;
    }
    if (argc > 2 && !strcmp(argv[1], "--dump")) return dump(atoi(argv[2]), argc > 3 ? strtoull(argv[3], NULL, 10) : 1);
    if (argc > 3 && !strcmp(argv[1], "--write-code")) return write_code(argv[2], atoi(argv[3]), argc > 4 ? strtoull(argv[4], NULL, 10) : 1);
    RUN(test_sweep);
    RUN(test_deterministic);
    RUN(test_vulnerable_share);
    RUN(test_follows_request);
    dp_scanner_free(scanner);
    TEST_END();
}
