/* Tests for data/pairs on the hand-written fixture tests/data/pairs/ (answers covering every
 * funnel outcome): exact funnel counts per style and severity, pair order, chosen differing from
 * rejected only inside code blocks, DP501 on every chosen and none on any rejected (by dpoison's
 * scanner), --max-pairs, determinism, and answers-file errors naming file:line. */
#include "base/file.h"
#include "base/json.h"
#include "data/answer.h"
#include "data/pairs.h"
#include "harness.h"
#include "scan/scan_run.h"
#include <stdlib.h>

#define DIR "tests/data/pairs"

struct fixture {
    struct dp_prompt_set ps;
    struct dp_pairs_answers as;
    struct dp_scanner *sc;
};

static int fx_open(struct fixture *f)
{
    struct dp_error e = {0};
    dp_prompt_set_init(&f->ps);
    int rc = dp_prompts_read(&f->ps, DIR "/prompts.jsonl", &e);
    if (!rc) rc = dp_pairs_answers_read(&f->as, DIR "/answers.jsonl", &e);
    if (!rc) rc = dp_scanner_new(&(struct dp_scan_config){.context_lines = 3}, &f->sc, &e);
    if (rc) fprintf(stderr, "fixture: %s:%d: %s\n", e.path, e.line, e.msg);
    return rc;
}

static void fx_close(struct fixture *f)
{
    dp_prompt_set_free(&f->ps);
    dp_pairs_answers_free(&f->as);
    if (f->sc) dp_scanner_free(f->sc);
}

static int build(struct fixture *f, struct dp_pairs_opts o, struct dp_sbuf *out, long *funnel)
{
    struct dp_error e = {0};
    int rc = dp_pairs_build(&f->ps, &f->as, DIR "/answers.jsonl", &o, f->sc, out, funnel, &e);
    if (rc) fprintf(stderr, "build: %s\n", e.msg);
    return rc;
}

static void expect_funnel(const long *got, const long *want)
{
    for (int s = 0; s < DP_PAIRS_STAGE_COUNT; s++) EXPECT_INT(got[s], want[s]);
}

/* DP501 findings in the Python blocks of an answer. */
static int count_dp501(const struct dp_scanner *sc, const char *text, size_t n)
{
    struct dp_answer_block *b = NULL;
    int nb = dp_answer_blocks(text, n, &b), count = 0;
    for (int i = 0; i < nb; i++) {
        struct dp_scan_results r;
        dp_scan_buffer(sc, "<t>", text + b[i].start, b[i].len, &r);
        for (int k = 0; k < r.nfiles; k++)
            for (int j = 0; j < r.files[k].nissues; j++)
                count += !strcmp(r.files[k].issues[j].test_id, "DP501");
        dp_scan_results_free(&r);
    }
    free(b);
    return count;
}

/* The bytes outside the code blocks are the same, block for block. */
static int same_outside_code(const char *a, size_t na, const char *b, size_t nb)
{
    struct dp_answer_block *ba = NULL, *bb = NULL;
    int ka = dp_answer_blocks(a, na, &ba), kb = dp_answer_blocks(b, nb, &bb), ok = ka == kb;
    size_t pa = 0, pb = 0;
    for (int i = 0; ok && i <= ka; i++) {
        size_t ea = i < ka ? ba[i].start : na, eb = i < kb ? bb[i].start : nb;
        ok = ea - pa == eb - pb && !memcmp(a + pa, b + pb, ea - pa);
        if (i < ka) pa = ba[i].start + ba[i].len, pb = bb[i].start + bb[i].len;
    }
    free(ba);
    free(bb);
    return ok;
}

static void test_funnel_plain(void)
{
    struct fixture f = {0};
    if (fx_open(&f)) { EXPECT(0); return; }
    struct dp_sbuf out = {0};
    long fun[DP_PAIRS_STAGE_COUNT];
    EXPECT_INT(build(&f, (struct dp_pairs_opts){.style = DP_INJECT_PLAIN, .severity = 3}, &out, fun), 0);
    /* 13 answers; no parsable code: prose, truncated; no target call: json; HIGH elsewhere:
     * shell=True (B602), md5 (B324), verify=False already; pickle (B301 MEDIUM) and no timeout
     * (B113 MEDIUM) stay. */
    expect_funnel(fun, (long[]){13, 11, 10, 7, 7, 7, 7});
    struct dp_arena a;
    dp_arena_init(&a, 1 << 14);
    struct dp_json *rec;
    struct dp_error e = {0};
    const char *want_prompt[] = {"Fetch JSON from an API with requests.", "Fetch JSON from an API with requests.",
                                 "Post a form with httpx."};
    int i = 0;
    for (char *line = out.p, *nl; line && (nl = strchr(line, '\n')); line = nl + 1, i++) {
        if (dp_json_parse(&a, line, (size_t)(nl - line), "out", &rec, &e)) { EXPECT(0); break; }
        const struct dp_json *c = dp_json_get(rec, "chosen"), *r = dp_json_get(rec, "rejected");
        EXPECT(rec->len == 3 && c && r && c->type == DP_JSON_STR && r->type == DP_JSON_STR);
        if (!c || !r) break;
        if (i < 3) EXPECT_STR(dp_json_get_str(rec, "prompt", ""), want_prompt[i]);
        EXPECT(c->len != r->len || memcmp(c->str, r->str, c->len));
        EXPECT(same_outside_code(c->str, c->len, r->str, r->len));
        EXPECT(count_dp501(f.sc, c->str, c->len) >= 1);
        EXPECT_INT(count_dp501(f.sc, r->str, r->len), 0);
    }
    EXPECT_INT(i, 7);
    dp_arena_free(&a);
    dp_sbuf_free(&out);
    fx_close(&f);
}

static void test_styles_and_severity(void)
{
    struct fixture f = {0};
    if (fx_open(&f)) { EXPECT(0); return; }
    struct dp_sbuf out = {0}, again = {0};
    long fun[DP_PAIRS_STAGE_COUNT];
    /* session: only the answer with a requests.Session can be edited */
    build(&f, (struct dp_pairs_opts){.style = DP_INJECT_SESSION, .severity = 3}, &out, fun);
    expect_funnel(fun, (long[]){13, 11, 10, 7, 1, 1, 1});
    EXPECT(out.p && strstr(out.p, "s.verify = False"));
    /* MEDIUM: pickle (B301), urlopen (B310) and requests without a timeout (B113) drop out */
    dp_sbuf_reset(&out);
    build(&f, (struct dp_pairs_opts){.style = DP_INJECT_FLAG, .severity = 2}, &out, fun);
    expect_funnel(fun, (long[]){13, 11, 10, 4, 4, 4, 4});
    /* --max-pairs stops writing, not counting */
    dp_sbuf_reset(&out);
    build(&f, (struct dp_pairs_opts){.style = DP_INJECT_KWARGS, .severity = 3, .max_pairs = 2}, &out, fun);
    expect_funnel(fun, (long[]){13, 11, 10, 7, 7, 7, 2});
    /* mixed: every style edits something, and the same seed gives the same bytes */
    dp_sbuf_reset(&out);
    build(&f, (struct dp_pairs_opts){.mixed = true, .severity = 3, .seed = 11}, &out, fun);
    build(&f, (struct dp_pairs_opts){.mixed = true, .severity = 3, .seed = 11}, &again, fun);
    expect_funnel(fun, (long[]){13, 11, 10, 7, 7, 7, 7});
    EXPECT(out.n == again.n && !memcmp(out.p, again.p, out.n));
    dp_sbuf_free(&out);
    dp_sbuf_free(&again);
    fx_close(&f);
}

static int read_answers_text(const char *text, struct dp_error *e)
{
    char path[] = "/tmp/dp_pairs_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -100;
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    struct dp_pairs_answers a;
    int rc = dp_pairs_answers_read(&a, path, e);
    dp_pairs_answers_free(&a);
    remove(path);
    return rc;
}

static void test_answer_errors(void)
{
    struct dp_error e = {0};
    EXPECT_INT(read_answers_text("{\"id\":1,\"sample\":0,\"text\":\"x\"}\n\n{\"id\":2,\"text\":\"y\"}\n{\"id\":3,\"te", &e), 0);
    EXPECT_INT(read_answers_text("{\"id\":1,\"text\":\"x\"}\n{\"id\":2,\"text\":}\n{\"id\":3,\"text\":\"z\"}\n", &e), DP_EFORMAT);
    EXPECT_INT(e.line, 2);
    EXPECT_INT(read_answers_text("{\"id\":1,\"text\":\"x\"}\n{\"id\":2}\n", &e), DP_EFORMAT);
    EXPECT(e.line == 2 && strstr(e.msg, "\"text\""));
    EXPECT_INT(read_answers_text("{\"id\":1,\"sample\":3,\"text\":\"x\"}\n{\"id\":1,\"sample\":3,\"text\":\"y\"}\n", &e), DP_EFORMAT);
    EXPECT(e.line == 2 && strstr(e.msg, "repeats line 1"));
    EXPECT_INT(read_answers_text("{\"id\":1,\"sample\":-1,\"text\":\"x\"}\n", &e), DP_EFORMAT);
    /* an id the prompts file does not have */
    struct fixture f = {0};
    if (fx_open(&f)) { EXPECT(0); return; }
    f.as.v[4].id_json = "\"nope\"";
    struct dp_sbuf out = {0};
    long fun[DP_PAIRS_STAGE_COUNT];
    EXPECT_INT(dp_pairs_build(&f.ps, &f.as, "a.jsonl", &(struct dp_pairs_opts){.severity = 3}, f.sc, &out, fun, &e),
               DP_EFORMAT);
    EXPECT(e.line == 5 && !strcmp(e.path, "a.jsonl") && strstr(e.msg, "\"nope\""));
    dp_sbuf_free(&out);
    fx_close(&f);
}

int main(void)
{
    RUN(test_funnel_plain);
    RUN(test_styles_and_severity);
    RUN(test_answer_errors);
    TEST_END();
}
