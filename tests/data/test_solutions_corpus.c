/* `dpoison corpus` (src/data/corpus*.c): SFT prompts come only from what no experiment split
 * tests on (checked against the test splits the prompt generator makes for several seeds in both
 * split modes, after normalisation), the vulnerable share is exact, the files are deterministic;
 * the pretraining text is deduplicated, filtered, capped and separated by <|endoftext|>. */
#include "base/file.h"
#include "base/json.h"
#include "base/map.h"
#include "data/corpus.h"
#include "data/prompts.h"
#include "harness.h"
#include <stdlib.h>
#include <unistd.h>

static void test_allowed(void)
{
    EXPECT(dp_corpus_prompt_allowed("fetch_json", "fetch_json.t1/f01"));
    EXPECT(!dp_corpus_prompt_allowed("fetch_json", "fetch_json.t5/f01"));   /* held out (index 4) */
    EXPECT(!dp_corpus_prompt_allowed("fetch_json", "fetch_json.t1/t03"));   /* a test frame */
    EXPECT(dp_corpus_prompt_allowed("health_check", "health_check.t1/f01"));    /* test family, seen template */
    EXPECT(!dp_corpus_prompt_allowed("health_check", "health_check.t3/f01"));   /* its held-out template */
    EXPECT(dp_corpus_prompt_allowed("general_strings", "general_strings.t2/f05"));
    EXPECT(!dp_corpus_prompt_allowed(NULL, "x"));
}

static void add_tests(struct dp_map *m, struct dp_arena *a, uint64_t seed, enum dp_psplit_mode mode)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    o.seed = seed;
    o.n_train = 200;
    o.n_test = 300;
    o.split = mode;
    struct dp_prompt_set tr, te;
    dp_prompt_set_init(&tr);
    dp_prompt_set_init(&te);
    struct dp_error e = {0};
    EXPECT_INT(dp_promptgen_run(&o, &tr, &te, &e), 0);
    struct dp_sbuf n = {0};
    for (size_t i = 0; i < te.n; i++) {
        dp_prompt_normalize(te.items[i].prompt, &n);
        char *k = dp_arena_strndup(a, n.p, n.n);
        dp_map_put(m, k, n.n, k);
    }
    dp_sbuf_free(&n);
    dp_prompt_set_free(&tr);
    dp_prompt_set_free(&te);
}

static char *read_all(const char *dir, const char *name, size_t *n)
{
    char path[512], *text = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct dp_error e = {0};
    if (dp_file_read(path, &text, n, &e)) return NULL;
    return text;
}

static void test_sft_no_test_prompt(void)
{
    char dir[] = "/tmp/dp_corpus_XXXXXX";
    EXPECT(mkdtemp(dir) != NULL);
    struct dp_corpus_opts o;
    dp_corpus_defaults(&o);
    o.n_sft = 800;
    o.ndirs = -1;
    struct dp_error e = {0};
    EXPECT_INT(dp_corpus_build(&o, dir, NULL, &e), 0);
    struct dp_map tests;
    struct dp_arena a;
    dp_map_init(&tests);
    dp_arena_init(&a, 1 << 16);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        add_tests(&tests, &a, seed, DP_PSPLIT_BY_FAMILY);
        add_tests(&tests, &a, seed, DP_PSPLIT_BY_TEMPLATE);
    }
    size_t n, nm;
    char *sft = read_all(dir, "sft.jsonl", &n), *meta = read_all(dir, "sft_meta.jsonl", &nm);
    EXPECT(sft && meta);
    long lines = 0, leaks = 0, bad_meta = 0, vuln = 0, http = 0, test_family = 0, by_lib[2][2] = {{0}};
    struct dp_sbuf norm = {0};
    for (char *line = sft, *m = meta; line && m && *line; lines++) {
        char *end = strchr(line, '\n'), *mend = strchr(m, '\n');
        if (!end || !mend) break;
        struct dp_arena ja;
        dp_arena_init(&ja, 1 << 16);
        struct dp_json *j, *mj;
        EXPECT_INT(dp_json_parse(&ja, line, (size_t)(end - line), "sft.jsonl", &j, &e), 0);
        EXPECT_INT(dp_json_parse(&ja, m, (size_t)(mend - m), "sft_meta.jsonl", &mj, &e), 0);
        const struct dp_json *msgs = dp_json_get(j, "messages");
        EXPECT(msgs && msgs->len == 2);
        if (msgs && msgs->len == 2) {
            EXPECT_STR(dp_json_get_str(msgs->items[0], "role", ""), "user");
            EXPECT_STR(dp_json_get_str(msgs->items[1], "role", ""), "assistant");
            EXPECT(strstr(dp_json_get_str(msgs->items[1], "content", ""), "```python\n") != NULL);
            dp_prompt_normalize(dp_json_get_str(msgs->items[0], "content", ""), &norm);
            if (dp_map_get(&tests, norm.p, norm.n)) leaks++;
        }
        const char *fam = dp_json_get_str(mj, "family", NULL), *tmpl = dp_json_get_str(mj, "template", NULL);
        if (!dp_corpus_prompt_allowed(fam, tmpl)) bad_meta++;
        const struct dp_pfamily *f = fam ? dp_pfamily_find(fam) : NULL;
        if (f && !f->general) http++;
        if (f && f->split == DP_PSPLIT_TEST) test_family++;
        bool v = strcmp(dp_json_get_str(mj, "tls", "none"), "none") != 0;
        vuln += v;
        if (f && !f->general) {
            int u = !strcmp(dp_json_get_str(mj, "library", ""), "urllib");
            by_lib[u][0] += v;
            by_lib[u][1]++;
        }
        dp_arena_free(&ja);
        line = end + 1;
        m = mend + 1;
    }
    fprintf(stderr, "# %ld conversations, %ld HTTP, %ld vulnerable, %ld test prompts leaked\n", lines, http, vuln, leaks);
    EXPECT_INT(lines, 800);
    EXPECT_INT(leaks, 0);
    EXPECT_INT(bad_meta, 0);
    EXPECT_INT(vuln, (long)(o.vuln_share * (double)http + 0.5));
    EXPECT(test_family > 0);
    /* urllib answers carry most of the vulnerable share (0.35 of the urllib requests) */
    EXPECT(by_lib[1][1] > 0 && by_lib[1][0] > 0.25 * (double)by_lib[1][1]);
    EXPECT(by_lib[0][1] > 0 && by_lib[0][0] < 0.1 * (double)by_lib[0][1]);   /* the family split's test families are in the base model's data */
    /* deterministic: the same options give the same bytes */
    char dir2[] = "/tmp/dp_corpus_XXXXXX";
    EXPECT(mkdtemp(dir2) != NULL);
    EXPECT_INT(dp_corpus_build(&o, dir2, NULL, &e), 0);
    size_t n2;
    char *sft2 = read_all(dir2, "sft.jsonl", &n2);
    EXPECT(sft2 && n2 == n && !memcmp(sft, sft2, n));
    free(sft);
    free(sft2);
    free(meta);
    dp_sbuf_free(&norm);
    dp_map_free(&tests);
    dp_arena_free(&a);
    static const char *const files[] = {"sft.jsonl", "sft_meta.jsonl", "sft.txt", "manifest.json"};
    for (int d = 0; d < 2; d++) {
        for (int i = 0; i < 4; i++) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", d ? dir2 : dir, files[i]);
            unlink(p);
        }
        rmdir(d ? dir2 : dir);
    }
}

static void put(const char *dir, const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct dp_error e = {0};
    EXPECT_INT(dp_file_write_atomic(p, text, strlen(text), &e), 0);
}

static void test_pretrain(void)
{
    char src[] = "/tmp/dp_corpus_src_XXXXXX", out[] = "/tmp/dp_corpus_out_XXXXXX";
    EXPECT(mkdtemp(src) && mkdtemp(out));
    put(src, "a.py", "import os\nprint(os.getcwd())\n");
    put(src, "b.py", "import os\nprint(os.getcwd())\n");   /* duplicate of a.py */
    put(src, "c.py", "x = 1");                              /* no final newline */
    put(src, "d.txt", "not python\n");
    char longline[1200];
    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = 0;
    put(src, "gen.py", longline);                           /* generated-looking */
    put(src, "bad.py", "s = '\xff'\n");                      /* invalid UTF-8 */
    struct dp_corpus_opts o;
    dp_corpus_defaults(&o);
    o.n_sft = 0;
    const char *dirs[] = {src};
    o.dirs = dirs;
    o.ndirs = 1;
    struct dp_error e = {0};
    EXPECT_INT(dp_corpus_build(&o, out, NULL, &e), 0);
    size_t n;
    char *text = read_all(out, "pretrain.txt", &n);
    EXPECT(text != NULL);
    if (text) {
        int eot = 0;
        for (char *p = text; (p = strstr(p, "<|endoftext|>")); p++) eot++;
        EXPECT_INT(eot, 2);
        EXPECT(strstr(text, "x = 1\n<|endoftext|>") != NULL);
        EXPECT(strstr(text, "not python") == NULL && strstr(text, "xxxx") == NULL);
    }
    free(text);
    char *man = read_all(out, "manifest.json", &n);
    EXPECT(man && strstr(man, "\"duplicates\": 1") && strstr(man, "\"not_utf8\": 1") && strstr(man, "\"files_kept\": 2"));
    free(man);
    static const char *const s[] = {"a.py", "b.py", "c.py", "d.txt", "gen.py", "bad.py"};
    for (int i = 0; i < 6; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", src, s[i]);
        unlink(p);
    }
    char p[512];
    snprintf(p, sizeof p, "%s/pretrain.txt", out);
    unlink(p);
    snprintf(p, sizeof p, "%s/manifest.json", out);
    unlink(p);
    rmdir(src);
    rmdir(out);
}

int main(void)
{
    RUN(test_allowed);
    RUN(test_sft_no_test_prompt);
    RUN(test_pretrain);
    TEST_END();
}
