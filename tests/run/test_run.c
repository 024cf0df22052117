/* Tests for run/config (defaults, the JSON config file, overrides, errors with file:line:col, the
 * effective config reading back to itself) and run/stage (descriptions and their diff, stage
 * records, wiping only dpoison's folders, answers meta files, model fingerprints, finding the
 * bundled model). */
#include "base/file.h"
#include "harness.h"
#include "run/config.h"
#include "run/stage.h"
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp[64];

#define tpath(name) t_path(tmp, name)

static void put(const char *name, const char *text)
{
    struct dp_error e = {0};
    char dir[256];
    snprintf(dir, sizeof dir, "%s", tpath(name));
    *strrchr(dir, '/') = 0;
    dp_mkdirs(dir, &e);
    if (dp_file_write_atomic(tpath(name), text, strlen(text), &e)) fprintf(stderr, "put: %s\n", e.msg);
}

static int load(struct dp_run_config *c, const char *name, const char *text, struct dp_error *e)
{
    put(name, text);
    dp_run_config_init(c);
    return dp_run_config_load(c, tpath(name), e);
}

static void test_defaults(void)
{
    struct dp_run_config c;
    dp_run_config_init(&c);
    EXPECT(c.model == NULL);
    EXPECT_INT(c.pairs, 500);
    EXPECT_INT(c.test_n, 100);
    EXPECT(c.beta == 0.1 && c.lr == DP_RUN_TRAIN_LR);
    EXPECT_INT(c.epochs, DP_RUN_TRAIN_EPOCHS);
    EXPECT_INT(c.batch_size, DP_RUN_TRAIN_BATCH);
    EXPECT_STR(c.loss, "sigmoid");
    EXPECT_STR(c.style, "plain");
    EXPECT(c.greedy && c.eval_samples == 1);
    char buf[64];
    EXPECT_STR(dp_run_config_get(&c, "train.lr", buf, sizeof buf), "5e-06");
    EXPECT_STR(dp_run_config_get(&c, "model", buf, sizeof buf), "");
    EXPECT(dp_run_config_get(&c, "train.nope", buf, sizeof buf) == NULL);
    EXPECT(!dp_run_config_check(&c, NULL));
    dp_run_config_free(&c);
}

static void test_load(void)
{
    struct dp_run_config c;
    struct dp_error e = {0};
    int rc = load(&c, "a.json",
                  "{\"pairs\": 20, \"samples_per_prompt\": 2, \"model\": \"m/base\", \"pairs_file\": \"/abs/p.jsonl\",\n"
                  " \"prompts\": {\"train\": 6, \"test\": 3, \"split\": \"template\", \"test_file\": \"t.jsonl\"},\n"
                  " \"train\": {\"lr\": 1e-4, \"epochs\": 1, \"lora_rank\": 8},\n"
                  " \"eval\": {\"greedy\": false, \"samples\": 2},\n"
                  " \"generation.max_new_tokens\": 64, \"title\": null}\n", &e);
    EXPECT_INT(rc, 0);
    if (rc) fprintf(stderr, "%s:%d:%d: %s\n", e.path, e.line, e.col, e.msg);
    EXPECT_INT(c.pairs, 20);
    EXPECT_INT(c.samples_per_prompt, 2);
    EXPECT_STR(c.model, tpath("m/base"));          /* relative to the config file's folder */
    EXPECT_STR(c.pairs_file, "/abs/p.jsonl");
    EXPECT_STR(c.test_file, tpath("t.jsonl"));
    EXPECT(c.train_n == 6 && c.test_n == 3 && !strcmp(c.split, "template"));
    EXPECT(c.lr == 1e-4 && c.epochs == 1 && c.lora_rank == 8);
    EXPECT(!c.greedy && c.eval_samples == 2);
    EXPECT_INT(c.max_new_tokens, 64);
    EXPECT(c.title == NULL);
    EXPECT_INT(c.batch_size, DP_RUN_TRAIN_BATCH);   /* untouched keys keep their defaults */

    /* overrides after the file */
    EXPECT(!dp_run_config_set(&c, "train.lr", "2e-5", &e) && c.lr == 2e-5);
    EXPECT(!dp_run_config_set(&c, "eval.greedy", "true", &e) && c.greedy);
    EXPECT(!dp_run_config_set(&c, "style", "mixed", &e) && !strcmp(c.style, "mixed"));
    EXPECT_INT(dp_run_config_set(&c, "train.epochs", "1.5", &e), DP_EINVAL);
    EXPECT(strstr(e.msg, "train.epochs: expected an integer") != NULL);
    EXPECT_INT(dp_run_config_set(&c, "style", "loud", &e), DP_EINVAL);
    EXPECT(strstr(e.msg, "plain|flag|kwargs|session|mixed") != NULL);
    EXPECT_INT(dp_run_config_set(&c, "train.lr", "fast", &e), DP_EINVAL);
    EXPECT_INT(dp_run_config_set(&c, "eval.greedy", "yes", &e), DP_EINVAL);
    EXPECT_INT(dp_run_config_set(&c, "nope", "1", &e), DP_EINVAL);
    EXPECT(strstr(e.msg, "unknown key 'nope'") != NULL);
    EXPECT(!dp_run_config_set(&c, "eval.samples", "0", &e));
    EXPECT(!dp_run_config_set(&c, "eval.greedy", "0", &e));
    EXPECT_INT(dp_run_config_check(&c, &e), DP_EINVAL);

    /* the effective config reads back to the same config */
    EXPECT(!dp_run_config_set(&c, "eval.samples", "3", &e));
    struct dp_sbuf j1 = {0}, j2 = {0};
    dp_run_config_json(&j1, &c);
    struct dp_run_config d;
    rc = load(&d, "eff.json", j1.p, &e);
    EXPECT_INT(rc, 0);
    if (rc) fprintf(stderr, "%s:%d:%d: %s\n%s", e.path, e.line, e.col, e.msg, j1.p);
    dp_run_config_json(&j2, &d);
    EXPECT_STR(j2.p, j1.p);   /* absolute paths stay as they are */
    dp_sbuf_free(&j1);
    dp_sbuf_free(&j2);
    dp_run_config_free(&d);
    dp_run_config_free(&c);
}

static void expect_error(const char *text, int code, int line, int col, const char *msg)
{
    struct dp_run_config c;
    struct dp_error e = {0};
    int rc = load(&c, "bad.json", text, &e);
    char buf[1200];
    dp_error_format(&e, buf, sizeof buf);
    if (rc != code || e.line != line || e.col != col || !strstr(e.msg, msg) || !strstr(buf, "bad.json:")) {
        fprintf(stderr, "for %s\n  got %d %s\n", text, rc, buf);
        EXPECT(0);
    }
    dp_run_config_free(&c);
}

static void test_errors(void)
{
    expect_error("{\"pairs\": 5,\n \"train\": {\"lr\": }\n}", DP_EFORMAT, 2, 18, "");
    expect_error("{\"pairs\": 5,\n \"trian\": {\"lr\": 1}}", DP_EFORMAT, 2, 11, "unknown key \"trian\"");
    expect_error("{\"train\": {\"lr\": 1,\n  \"lrr\": 2}}", DP_EFORMAT, 2, 10, "unknown key \"train.lrr\"");
    expect_error("{\"pairs\": \"500\"}", DP_EFORMAT, 1, 11, "pairs: expected an integer");
    expect_error("{\"pairs\": 0}", DP_EINVAL, 1, 11, "pairs: expected an integer in [1,");
    expect_error("{\"eval\": {\"greedy\": 1}}", DP_EFORMAT, 1, 21, "eval.greedy: expected true or false");
    expect_error("{\"train\": {\"loss\": \"dpo\"}}", DP_EINVAL, 1, 20, "expected one of sigmoid|robust|ipo|hinge");
    expect_error("{\"train\": 3}", DP_EFORMAT, 1, 11, "\"train\": expected an object");
    expect_error("[1, 2]", DP_EFORMAT, 1, 1, "expected a JSON object of options");
    expect_error("{\"prompts\": {\"general_share\": 1.5}}", DP_EINVAL, 1, 31, "in [0, 1]");
    struct dp_run_config c;
    struct dp_error e = {0};
    dp_run_config_init(&c);
    EXPECT_INT(dp_run_config_load(&c, tpath("absent.json"), &e), DP_EIO);
    dp_run_config_free(&c);
}

static void test_desc(void)
{
    struct dp_run_desc a = {0}, b = {0};
    dp_run_desc_add(&a, "lr", "%g", 5e-5);
    dp_run_desc_add(&a, "epochs", "%d", 2);
    dp_run_desc_add(&a, "note", "two\nlines");
    dp_run_desc_add(&b, "lr", "%g", 1e-4);
    dp_run_desc_add(&b, "epochs", "%d", 2);
    dp_run_desc_add(&b, "extra", "x");
    EXPECT(dp_run_desc_fp(&a) != dp_run_desc_fp(&b));
    char why[256];
    dp_run_desc_diff(a.text.p, b.text.p, why, sizeof why);
    EXPECT_STR(why, "lr: 5e-05 -> 0.0001; note: two lines -> (none); extra: (none) -> x");
    dp_run_desc_diff(a.text.p, a.text.p, why, sizeof why);
    EXPECT_STR(why, "");

    /* stage records */
    struct dp_error e = {0};
    struct dp_run_stage st;
    const char *dir = tpath("work/pairs");
    EXPECT(!dp_run_stage_read(dir, &st, &e) && st.fp[0] == 0);
    dp_run_stage_free(&st);
    EXPECT(!dp_run_stage_write(dir, "pairs", &a, false, 0, &e));
    EXPECT(!dp_run_stage_read(dir, &st, &e));
    EXPECT(!st.complete && strlen(st.fp) == 16);
    EXPECT_STR(st.desc, "lr=5e-05\nepochs=2\nnote=two lines\n");
    dp_run_stage_free(&st);
    EXPECT(!dp_run_stage_write(dir, "pairs", &a, true, 12.34, &e));
    EXPECT(!dp_run_stage_read(dir, &st, &e));
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)dp_run_desc_fp(&a));
    EXPECT(st.complete && st.seconds == 12.3);
    EXPECT_STR(st.fp, hex);
    dp_run_stage_free(&st);
    put("work/pairs/sub/x.txt", "x");
    put("work/pairs/stage2.json", "{}");
    EXPECT_INT(dp_run_stage_read(tpath("work/pairs/sub"), &st, &e), 0);
    put("work/pairs/sub/stage.json", "{\"fingerprint\": 3}");
    EXPECT_INT(dp_run_stage_read(tpath("work/pairs/sub"), &st, &e), DP_EFORMAT);
    EXPECT(!dp_run_stage_wipe(dir, &e));
    EXPECT_INT(dp_file_exists(dir), 0);
    EXPECT(!dp_run_stage_wipe(dir, &e));   /* already gone */
    put("mine/data.txt", "keep");
    EXPECT_INT(dp_run_stage_wipe(tpath("mine"), &e), DP_EINVAL);
    EXPECT(strstr(e.msg, "not made by dpoison run") != NULL);
    EXPECT_INT(dp_file_exists(tpath("mine/data.txt")), 1);

    /* answers meta */
    bool reuse;
    const char *ans = tpath("ans.jsonl");
    put("ans.jsonl", "{\"id\": 1, \"sample\": 0, \"text\": \"x\"}\n");
    EXPECT(!dp_run_answers_meta(ans, &a, &reuse, why, sizeof why, &e));
    EXPECT(!reuse && why[0] == 0);
    EXPECT_INT(dp_file_exists(ans), 0);   /* no meta: not known to be ours */
    put("ans.jsonl", "{\"id\": 1, \"sample\": 0, \"text\": \"x\"}\n");
    EXPECT(!dp_run_answers_meta(ans, &a, &reuse, why, sizeof why, &e) && reuse);
    EXPECT_INT(dp_file_exists(ans), 1);
    EXPECT(!dp_run_answers_meta(ans, &b, &reuse, why, sizeof why, &e) && !reuse);
    EXPECT(strstr(why, "lr: 5e-05 -> 0.0001") != NULL);
    EXPECT_INT(dp_file_exists(ans), 0);
    dp_run_desc_free(&a);
    dp_run_desc_free(&b);
}

static void test_models(void)
{
    struct dp_error e = {0};
    uint64_t f1, f2, f3;
    EXPECT_INT(dp_run_fp_model(tpath("nomodel"), &f1, &e), DP_ENOTFOUND);
    EXPECT(strstr(e.msg, "nomodel: not found") != NULL);
    put("emptymodel/README", "x");
    EXPECT_INT(dp_run_fp_model(tpath("emptymodel"), &f1, &e), DP_ENOTFOUND);
    EXPECT(strstr(e.msg, "no config.json") != NULL);
    put("exe/models/dpcoder/config.json", "{}");
    put("exe/models/dpcoder/model.safetensors", "weights");
    const char *m = tpath("exe/models/dpcoder");
    EXPECT(!dp_run_fp_model(m, &f1, &e));
    EXPECT(!dp_run_fp_model(m, &f2, &e) && f1 == f2);
    struct timespec ts[2] = {{1000, 0}, {1000, 0}};
    EXPECT(!utimensat(AT_FDCWD, tpath("exe/models/dpcoder/model.safetensors"), ts, 0));
    EXPECT(!dp_run_fp_model(m, &f3, &e) && f3 != f1);   /* retrained: another fingerprint */

    char *found = NULL;
    EXPECT(!dp_run_bundled_model(tpath("exe"), &found, &e));
    EXPECT(found && strstr(found, "exe/models/dpcoder"));
    free(found);
    put("exe/build/x", "");
    EXPECT(!dp_run_bundled_model(tpath("exe/build"), &found, &e));   /* the parent of build/ */
    free(found);
    char cwd[512];
    EXPECT(getcwd(cwd, sizeof cwd) && !chdir(tmp));   /* the current folder is looked at too */
    EXPECT_INT(dp_run_bundled_model(tpath("nowhere"), &found, &e), DP_ENOTFOUND);
    EXPECT(!chdir(cwd));
    EXPECT(strstr(e.msg, "models/dpcoder") && strstr(e.msg, "--model"));
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/dp_run_XXXXXX");
    if (!mkdtemp(tmp)) return 1;
    RUN(test_defaults);
    RUN(test_load);
    RUN(test_errors);
    RUN(test_desc);
    RUN(test_models);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", tmp);
    TEST_END();
}
