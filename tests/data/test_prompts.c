/* Tests for data/prompts and data/prompts_io: determinism, distinctness, the train/test split
 * (families, task templates and frames disjoint), template expansion, counts and shares, the
 * prompt-file reader (JSONL, messages, text, errors) and the writer round trip. */
#include "data/prompts.h"
#include "base/file.h"
#include "base/map.h"
#include "harness.h"
#include <stdlib.h>
#include <unistd.h>

static int gen(struct dp_promptgen_opts *o, struct dp_prompt_set *tr, struct dp_prompt_set *te)
{
    struct dp_error e = {0};
    dp_prompt_set_init(tr);
    dp_prompt_set_init(te);
    int rc = dp_promptgen_run(o, tr, te, &e);
    if (rc) fprintf(stderr, "promptgen: %s\n", e.msg);
    return rc;
}

static void free2(struct dp_prompt_set *a, struct dp_prompt_set *b)
{
    dp_prompt_set_free(a);
    dp_prompt_set_free(b);
}

static void test_deterministic(void)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    struct dp_prompt_set a, at, b, bt, c, ct;
    EXPECT_INT(gen(&o, &a, &at), 0);
    EXPECT_INT(gen(&o, &b, &bt), 0);
    o.seed = 2;
    EXPECT_INT(gen(&o, &c, &ct), 0);
    EXPECT_INT(a.n, 3000);
    EXPECT_INT(at.n, 100);
    int same = 1, differ = 0;
    for (size_t i = 0; i < a.n; i++) {
        same &= !strcmp(a.items[i].prompt, b.items[i].prompt) && !strcmp(a.items[i].id, b.items[i].id);
        differ += strcmp(a.items[i].prompt, c.items[i].prompt) != 0;
    }
    EXPECT(same);
    EXPECT(differ > 2900);
    free2(&a, &at);
    free2(&b, &bt);
    free2(&c, &ct);
}

/* The part of "fam.tK/fNN" before or after the slash. */
static void split_template(const char *t, char *task, char *frame)
{
    const char *sl = strchr(t, '/');
    snprintf(task, 64, "%.*s", (int)(sl - t), t);
    snprintf(frame, 16, "%s", sl + 1);
}

static int shared(const struct dp_prompt_set *tr, const struct dp_prompt_set *te, int which)
{
    struct dp_map m;
    dp_map_init(&m);
    char task[64], frame[16];
    char (*keys)[64] = calloc(tr->n, 64);
    for (size_t i = 0; i < tr->n; i++) {
        split_template(tr->items[i].template, task, frame);
        snprintf(keys[i], 64, "%s", which == 0 ? tr->items[i].family : which == 1 ? task : frame);
        dp_map_put(&m, keys[i], strlen(keys[i]), (void *)1);
    }
    int n = 0;
    for (size_t i = 0; i < te->n; i++) {
        split_template(te->items[i].template, task, frame);
        const char *k = which == 0 ? te->items[i].family : which == 1 ? task : frame;
        if (dp_map_get(&m, k, strlen(k))) n++;
    }
    dp_map_free(&m);
    free(keys);
    return n;
}

static void test_split_disjoint(void)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    for (int mode = 0; mode < 2; mode++) {
        o.split = mode ? DP_PSPLIT_BY_TEMPLATE : DP_PSPLIT_BY_FAMILY;
        struct dp_prompt_set tr, te;
        EXPECT_INT(gen(&o, &tr, &te), 0);
        if (mode == 0) EXPECT_INT(shared(&tr, &te, 0), 0);   /* families */
        else EXPECT(shared(&tr, &te, 0) == (int)te.n);       /* template mode shares families */
        EXPECT_INT(shared(&tr, &te, 1), 0);                   /* task templates */
        EXPECT_INT(shared(&tr, &te, 2), 0);                   /* frames */
        for (size_t i = 0; i < te.n; i++) EXPECT(te.items[i].template[0] && !dp_pfamily_find(te.items[i].family)->general);
        free2(&tr, &te);
    }
}

static void test_distinct_and_expanded(void)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    o.n_train = 20000;
    o.n_test = 500;
    struct dp_prompt_set tr, te;
    EXPECT_INT(gen(&o, &tr, &te), 0);
    struct dp_map m;
    dp_map_init(&m);
    struct dp_sbuf norm = {0};
    struct dp_arena a;
    dp_arena_init(&a, 1 << 16);
    int dups = 0, braces = 0, lower = 0;
    for (int s = 0; s < 2; s++) {
        const struct dp_prompt_set *ps = s ? &te : &tr;
        for (size_t i = 0; i < ps->n; i++) {
            const char *p = ps->items[i].prompt;
            dp_prompt_normalize(p, &norm);
            if (!dp_map_put(&m, dp_arena_strndup(&a, norm.p, norm.n), norm.n, NULL)) dups++;
            if (strchr(p, '{') || strchr(p, '}') || strchr(p, '|')) braces++;
            if (p[0] >= 'a' && p[0] <= 'z') lower++;
        }
    }
    EXPECT_INT(dups, 0);
    EXPECT_INT(braces, 0);
    EXPECT_INT(lower, 0);
    dp_prompt_normalize("  Fetch, the USERS!  now ", &norm);
    EXPECT_STR(norm.p, "fetch the users now");
    dp_map_free(&m);
    dp_arena_free(&a);
    dp_sbuf_free(&norm);
    free2(&tr, &te);
}

static void test_shares(void)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    struct dp_prompt_set tr, te;
    EXPECT_INT(gen(&o, &tr, &te), 0);
    long general = 0, lib[DP_PLIB_COUNT] = {0};
    for (size_t i = 0; i < tr.n; i++) {
        const struct dp_pfamily *f = dp_pfamily_find(tr.items[i].family);
        EXPECT(f != NULL);
        if (f && f->general) { general++; EXPECT_STR(tr.items[i].library, "none"); }
        for (int l = 0; l < DP_PLIB_COUNT; l++) lib[l] += !strcmp(tr.items[i].library, dp_plib_name(l));
    }
    EXPECT(general > 520 && general < 680);   /* 20% of 3000, +- 4 sd */
    for (int l = 0; l < DP_PLIB_COUNT; l++) EXPECT(lib[l] > 100);
    /* test: round robin over the 5 held-out families */
    long per[5] = {0};
    const char *tf[5] = {"health_check", "webhook", "monitor_poll", "graphql_query", "cli_tool"};
    for (size_t i = 0; i < te.n; i++)
        for (int k = 0; k < 5; k++) per[k] += !strcmp(te.items[i].family, tf[k]);
    for (int k = 0; k < 5; k++) EXPECT_INT(per[k], 20);
    free2(&tr, &te);
}

static void test_errors(void)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    struct dp_prompt_set tr, te;
    struct dp_error e = {0};
    o.families = "nope";
    dp_prompt_set_init(&tr);
    dp_prompt_set_init(&te);
    EXPECT_INT(dp_promptgen_run(&o, &tr, &te, &e), DP_EINVAL);
    o.families = "fetch_json";   /* no test family */
    EXPECT_INT(dp_promptgen_run(&o, &tr, &te, &e), DP_EINVAL);
    o.families = "general_cli,health_check";
    o.general_share = 1;
    o.n_train = 20000;
    o.n_test = 10;
    o.max_dup_streak = 3;   /* the real limit (50000) takes seconds to reach */
    EXPECT_INT(dp_promptgen_run(&o, &tr, &te, &e), DP_ERANGE);
    EXPECT(strstr(e.msg, "distinct") != NULL);
    free2(&tr, &te);
}

static void test_write_roundtrip(void)
{
    struct dp_promptgen_opts o;
    dp_promptgen_defaults(&o);
    o.n_train = 300;
    o.n_test = 20;
    struct dp_prompt_set tr, te, back;
    EXPECT_INT(gen(&o, &tr, &te), 0);
    char dir[] = "/tmp/dp_prompts_XXXXXX";
    EXPECT(mkdtemp(dir) != NULL);
    struct dp_error e = {0};
    EXPECT_INT(dp_promptgen_write(dir, &o, &tr, &te, &e), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/train.jsonl", dir);
    dp_prompt_set_init(&back);
    EXPECT_INT(dp_prompts_read(&back, path, &e), 0);
    EXPECT_INT(back.n, tr.n);
    for (size_t i = 0; i < back.n && i < tr.n; i++) {
        EXPECT_STR(back.items[i].id, tr.items[i].id);
        EXPECT_STR(back.items[i].prompt, tr.items[i].prompt);
        EXPECT_STR(back.items[i].family, tr.items[i].family);
        EXPECT_STR(back.items[i].template, tr.items[i].template);
        EXPECT_STR(back.items[i].library, tr.items[i].library);
    }
    const char *names[] = {"train.jsonl", "test.jsonl", "summary.json"};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        EXPECT_INT(dp_file_exists(path), 1);
        unlink(path);
    }
    rmdir(dir);
    dp_prompt_set_free(&back);
    free2(&tr, &te);
}

static int parse(struct dp_prompt_set *s, const char *text, struct dp_error *e)
{
    dp_prompt_set_init(s);
    return dp_prompts_parse(s, text, strlen(text), "p.jsonl", e);
}

static void test_reader(void)
{
    struct dp_prompt_set s;
    struct dp_error e = {0};
    const char *text =
        "\xEF\xBB\xBF{\"id\": \"a\", \"prompt\": \"Fetch JSON\", \"family\": \"fetch_json\"}\r\n"
        "\n   \n"
        "{\"id\": 7, \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
        " {\"role\": \"user\", \"content\": \"Download a file\"}]}\n"
        "Write a health check in Python\n"
        "{\"prompt\": \"caf\\u00e9 \\\"quoted\\\"\"}";
    EXPECT_INT(parse(&s, text, &e), 0);
    EXPECT_INT(s.n, 4);
    if (s.n == 4) {
        EXPECT_STR(s.items[0].id, "a");
        EXPECT_STR(s.items[0].id_json, "\"a\"");
        EXPECT_STR(s.items[0].family, "fetch_json");
        EXPECT(s.items[0].library == NULL);
        EXPECT_STR(s.items[1].id, "7");
        EXPECT_STR(s.items[1].prompt, "Download a file");
        EXPECT_INT(s.items[1].nmsgs, 2);
        EXPECT_STR(s.items[1].msgs[0].content, "Be brief.");
        EXPECT_STR(s.items[2].prompt, "Write a health check in Python");
        EXPECT_STR(s.items[2].id, "5");
        EXPECT_INT(s.items[2].line, 5);
        EXPECT_STR(s.items[3].prompt, "caf\xc3\xa9 \"quoted\"");
        struct dp_sbuf b = {0};
        for (size_t i = 0; i < s.n; i++) dp_prompt_write_jsonl(&b, &s.items[i]);
        EXPECT_STR(b.p, "{\"id\": \"a\", \"prompt\": \"Fetch JSON\", \"family\": \"fetch_json\"}\n"
                        "{\"id\": 7, \"prompt\": \"Download a file\", \"messages\": [{\"role\": \"system\", "
                        "\"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Download a file\"}]}\n"
                        "{\"id\": 5, \"prompt\": \"Write a health check in Python\"}\n"
                        "{\"id\": 6, \"prompt\": \"caf\xc3\xa9 \\\"quoted\\\"\"}\n");
        struct dp_prompt_set s2;
        EXPECT_INT(parse(&s2, b.p, &e), 0);
        EXPECT_INT(s2.n, 4);
        dp_prompt_set_free(&s2);
        dp_sbuf_free(&b);
    }
    dp_prompt_set_free(&s);
}

static void reader_error(const char *text, int line, const char *what)
{
    struct dp_prompt_set s;
    struct dp_error e = {0};
    EXPECT_INT(parse(&s, text, &e), DP_EFORMAT);
    EXPECT_INT(e.line, line);
    if (!strstr(e.msg, what)) { fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", e.msg, what); EXPECT(0); }
    dp_prompt_set_free(&s);
}

static void test_reader_errors(void)
{
    reader_error("{\"id\": 1, \"prompt\": \"x\"}\n{\"id\": 1, \"prompt\": \"y\"}\n", 2, "duplicate");
    reader_error("ok\n{\"prompt\": \"x\",}\n", 2, "");
    reader_error("{\"id\": \"x\"}\n", 1, "\"prompt\"");
    reader_error("{\"messages\": [{\"role\": \"system\", \"content\": \"s\"}]}\n", 1, "no \"user\"");
    reader_error("{\"messages\": []}\n", 1, "non-empty");
    reader_error("{\"messages\": [{\"role\": \"user\"}]}\n", 1, "role");
    reader_error("fine\nbad \xff byte\n", 2, "UTF-8");
    reader_error("{\"prompt\": \"   \"}\n", 1, "empty");
    reader_error("{\"prompt\": \"x\", \"family\": 3}\n", 1, "family");
    reader_error("{\"prompt\": \"x\", \"id\": [1]}\n", 1, "id");
    reader_error("3\n{\"id\": 1, \"prompt\": \"x\"}\n", 2, "duplicate");
}

int main(void)
{
    RUN(test_deterministic);
    RUN(test_split_disjoint);
    RUN(test_distinct_and_expanded);
    RUN(test_shares);
    RUN(test_errors);
    RUN(test_write_roundtrip);
    RUN(test_reader);
    RUN(test_reader_errors);
    TEST_END();
}
