/* Qwen2 model: loading errors (missing tensor, wrong shape, mixed dtypes, bad config), and
 * bitwise batch invariance of the forward pass on a small random model written here. With
 * arguments it is the dpoison side of tests/model/qwen_parity.test.sh:
 *   test_qwen logits DIR "IDS" OUT [f32|bf16]   raw fp32 logits of every position
 *   test_qwen greedy DIR "IDS" N [f32|bf16]     "greedy: ..." (argmax, no stop ids)
 *   test_qwen batch DIR "IDS"                    ok/not ok lines: batched == alone, bitwise */
#include "harness.h"
#include "base/file.h"
#include "base/rng.h"
#include "model/generate.h"
#include "model/qwen.h"
#include "nn/safetensors.h"
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static int parse_ids(const char *s, int32_t *ids, int cap)
{
    int n = 0;
    char *end;
    while (n < cap) {
        long v = strtol(s, &end, 10);
        if (end == s) break;
        ids[n++] = (int32_t)v;
        s = end;
    }
    return n;
}

static void die(const struct dp_error *e)
{
    char buf[1200];
    dp_error_format(e, buf, sizeof buf);
    fprintf(stderr, "test_qwen: %s\n", buf);
    exit(2);
}

/* All-position logits [n, V] of ids in one call (slot 0 of a fresh state). */
static float *all_logits(const struct dp_qwen *m, struct dp_pool *pool, const int32_t *ids, int n,
                         enum dp_prec prec, int mtok)
{
    struct dp_qwen_state s;
    struct dp_error e = {0};
    if (dp_qwen_state_init(&s, m, 1, n + 16, mtok, dp_pool_size(pool), &e)) die(&e);
    float *lg = dp_xmalloc((size_t)n * m->cfg.V * 4);
    int slot = 0;
    if (dp_qwen_forward(m, &s, pool, prec, 1, &slot, &n, ids, lg, true, &e)) die(&e);
    dp_qwen_state_free(&s);
    return lg;
}

static int argmax(const float *x, int n)
{
    int b = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[b]) b = i;
    return b;
}

/* The sequence fed in pieces of 1..9 tokens in slot 2, alongside two other sequences, through
 * passes of 7 rows, with 3 threads: every piece's last logits must equal the one-call row. */
static int batch_invariance(const struct dp_qwen *m, const int32_t *ids, int n, enum dp_prec prec)
{
    struct dp_pool *p1 = dp_pool_create(1), *p3 = dp_pool_create(3);
    float *ref = all_logits(m, p1, ids, n, prec, 4096);
    int V = m->cfg.V, ok = 1;
    struct dp_qwen_state s;
    struct dp_error e = {0};
    if (dp_qwen_state_init(&s, m, 4, 2 * n + 32, 7, 3, &e)) die(&e);
    float *lg = dp_xmalloc((size_t)3 * V * 4);
    struct dp_rng r;
    dp_rng_seed(&r, 5);
    int done = 0;
    while (done < n && ok) {
        int piece = 1 + (int)dp_rng_below(&r, 9);
        if (piece > n - done) piece = n - done;
        int32_t tok[64];
        int slot[3] = {0, 2, 3}, nt[3] = {1 + (int)dp_rng_below(&r, 3), piece, 1};
        int k = 0;
        for (int i = 0; i < nt[0]; i++) tok[k++] = (int32_t)dp_rng_below(&r, (uint32_t)V);
        for (int i = 0; i < piece; i++) tok[k++] = ids[done + i];
        tok[k++] = (int32_t)dp_rng_below(&r, (uint32_t)V);
        if (dp_qwen_forward(m, &s, p3, prec, 3, slot, nt, tok, lg, false, &e)) die(&e);
        done += piece;
        if (memcmp(lg + V, ref + (size_t)(done - 1) * V, (size_t)V * 4)) {
            fprintf(stderr, "position %d: batched logits differ from the one-call ones\n", done - 1);
            ok = 0;
        }
        if (s.len[2] + 8 > s.tcap / 2) {   /* keep the neighbours short */
            dp_qwen_state_reset(&s, 0);
            dp_qwen_state_reset(&s, 3);
        }
    }
    /* a copied prefix continues exactly like the original */
    if (ok && n > 2) {
        dp_qwen_state_copy(&s, m, 1, 2, n - 1);
        int slot = 1, one = 1;
        if (dp_qwen_forward(m, &s, p1, prec, 1, &slot, &one, &ids[n - 1], lg, false, &e)) die(&e);
        if (memcmp(lg, ref + (size_t)(n - 1) * V, (size_t)V * 4)) {
            fprintf(stderr, "copied slot: logits differ\n");
            ok = 0;
        }
    }
    free(lg);
    free(ref);
    dp_qwen_state_free(&s);
    dp_pool_free(p1);
    dp_pool_free(p3);
    return ok;
}

/* ================================================================ driver mode */

static int driver(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: test_qwen logits|greedy|batch DIR IDS [OUT|N] [f32|bf16]\n");
        return 2;
    }
    struct dp_error e = {0};
    struct dp_pool *pool = dp_pool_create(dp_cpu_count());
    struct dp_qwen m;
    if (dp_qwen_load(&m, argv[2], pool, &e)) die(&e);
    static int32_t ids[8192];
    int n = parse_ids(argv[3], ids, 4096);
    enum dp_prec prec = argc > 5 && !strcmp(argv[5], "bf16") ? DP_PREC_BF16 : DP_PREC_F32;
    int rc = 0;
    if (!strcmp(argv[1], "logits") && argc > 4) {
        float *lg = all_logits(&m, pool, ids, n, prec, 4096);
        if (dp_file_write_atomic(argv[4], lg, (size_t)n * m.cfg.V * 4, &e)) die(&e);
        free(lg);
    } else if (!strcmp(argv[1], "greedy") && argc > 4) {
        int steps = atoi(argv[4]);
        struct dp_qwen_state s;
        if (dp_qwen_state_init(&s, &m, 1, n + steps + 16, 512, dp_pool_size(pool), &e)) die(&e);
        float *lg = dp_xmalloc((size_t)m.cfg.V * 4);
        int slot = 0, cnt = n;
        printf("greedy:");
        for (int i = 0; i < steps; i++) {
            if (dp_qwen_forward(&m, &s, pool, prec, 1, &slot, &cnt, ids, lg, false, &e)) die(&e);
            ids[0] = argmax(lg, m.cfg.V);
            cnt = 1;
            printf(" %d", ids[0]);
        }
        printf("\n");
        free(lg);
        dp_qwen_state_free(&s);
    } else if (!strcmp(argv[1], "batch")) {
        for (int p = 0; p < 2; p++) {
            int ok = batch_invariance(&m, ids, n, p ? DP_PREC_BF16 : DP_PREC_F32);
            const char *base = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
            printf("%s - batched == alone, bitwise (%s, %s)\n", ok ? "ok" : "not ok", base, p ? "bf16" : "f32");
            rc |= !ok;
        }
    } else {
        fprintf(stderr, "test_qwen: unknown mode '%s'\n", argv[1]);
        rc = 2;
    }
    dp_qwen_free(&m);
    dp_pool_free(pool);
    return rc;
}

/* ================================================================ unit tests */

static char dir[256];

/* Writes a small model: C=32, H=4, Hkv=2 (D=8), F=40, V=70, 2 layers, untied; skip: a tensor
 * to leave out; bad: a tensor to give a wrong shape; dt16: a tensor stored as BF16. */
static void write_model(const char *skip, const char *bad, const char *dt16, const char *cfg_extra)
{
    struct dp_error e = {0};
    char path[512], names[40][96];
    static float data[70 * 40 * 2];
    static uint16_t data16[70 * 40 * 2];
    struct dp_rng r;
    dp_rng_seed(&r, 1);
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
        data[i] = (float)dp_rng_normal(&r) * 0.2f;
        data16[i] = dp_f32_to_bf16(data[i]);
    }
    struct dp_st_wtensor t[40];
    int n = 0;
    struct { const char *name; int r, c; } spec[] = {
        {"model.embed_tokens.weight", 70, 32}, {"lm_head.weight", 70, 32}, {"model.norm.weight", 32, 0},
    };
    struct { const char *name; int r, c; } lspec[] = {
        {"input_layernorm.weight", 32, 0}, {"self_attn.q_proj.weight", 32, 32}, {"self_attn.q_proj.bias", 32, 0},
        {"self_attn.k_proj.weight", 16, 32}, {"self_attn.k_proj.bias", 16, 0}, {"self_attn.v_proj.weight", 16, 32},
        {"self_attn.v_proj.bias", 16, 0}, {"self_attn.o_proj.weight", 32, 32},
        {"post_attention_layernorm.weight", 32, 0}, {"mlp.gate_proj.weight", 40, 32},
        {"mlp.up_proj.weight", 40, 32}, {"mlp.down_proj.weight", 32, 40},
    };
    for (int i = 0; i < 3 + 2 * 12; i++) {
        const char *nm;
        int rr, cc;
        if (i < 3) {
            nm = spec[i].name, rr = spec[i].r, cc = spec[i].c;
            snprintf(names[n], sizeof names[n], "%s", nm);
        } else {
            int l = (i - 3) / 12, k = (i - 3) % 12;
            rr = lspec[k].r, cc = lspec[k].c;
            snprintf(names[n], sizeof names[n], "model.layers.%d.%s", l, lspec[k].name);
        }
        if (skip && !strcmp(names[n], skip)) continue;
        int is16 = dt16 && !strcmp(names[n], dt16);
        t[n] = (struct dp_st_wtensor){.name = names[n], .dtype = is16 ? DP_DTYPE_BF16 : DP_DTYPE_F32,
                                      .ndim = cc ? 2 : 1, .shape = {rr, cc}, .data = is16 ? (void *)data16 : (void *)data};
        if (bad && !strcmp(names[n], bad)) t[n].shape[0]++;
        n++;
    }
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    EXPECT_INT(dp_st_write(path, t, (size_t)n, NULL, 0, &e), 0);
    char cfg[1024];
    snprintf(cfg, sizeof cfg, "{\"model_type\": \"qwen2\", \"vocab_size\": 70, \"hidden_size\": 32, "
             "\"intermediate_size\": 40, \"num_hidden_layers\": 2, \"num_attention_heads\": 4, "
             "\"num_key_value_heads\": 2, \"rms_norm_eps\": 1e-6, \"rope_theta\": 10000.0, "
             "\"tie_word_embeddings\": false%s}", cfg_extra ? cfg_extra : "");
    snprintf(path, sizeof path, "%s/config.json", dir);
    EXPECT_INT(dp_file_write_atomic(path, cfg, strlen(cfg), &e), 0);
}

static const char *load_msg(void)
{
    static char buf[1200];
    struct dp_qwen m;
    struct dp_error e = {0};
    if (dp_qwen_load(&m, dir, NULL, &e)) {
        dp_error_format(&e, buf, sizeof buf);
        return buf;
    }
    dp_qwen_free(&m);
    return "";
}

static void test_load_errors(void)
{
    write_model(NULL, NULL, NULL, NULL);
    EXPECT_STR(load_msg(), "");
    write_model("model.layers.1.self_attn.k_proj.bias", NULL, NULL, NULL);
    EXPECT(strstr(load_msg(), "tensor 'model.layers.1.self_attn.k_proj.bias': missing"));
    write_model(NULL, "model.layers.0.mlp.up_proj.weight", NULL, NULL);
    EXPECT(strstr(load_msg(), "model.safetensors: tensor 'model.layers.0.mlp.up_proj.weight': shape [41, 32], expected [40, 32]"));
    write_model(NULL, NULL, "model.layers.0.mlp.up_proj.weight", NULL);
    EXPECT(strstr(load_msg(), "mixed dtypes"));
    write_model(NULL, NULL, NULL, ", \"rope_scaling\": {\"type\": \"yarn\"}");
    EXPECT(strstr(load_msg(), "config.json:1:") && strstr(load_msg(), "rope_scaling"));
    write_model(NULL, NULL, NULL, ", \"num_key_value_heads\": 3");
    EXPECT(strstr(load_msg(), "not a multiple of num_key_value_heads"));
    write_model(NULL, NULL, NULL, ", \"hidden_size\": \"32\"");
    EXPECT(strstr(load_msg(), "'hidden_size': expected an integer"));
}

static void test_forward_invariance(void)
{
    write_model(NULL, NULL, NULL, NULL);
    struct dp_qwen m;
    struct dp_error e = {0};
    EXPECT_INT(dp_qwen_load(&m, dir, NULL, &e), 0);
    int32_t ids[40];
    for (int i = 0; i < 40; i++) ids[i] = (i * 37 + 11) % 70;
    EXPECT(batch_invariance(&m, ids, 40, DP_PREC_F32));
    EXPECT(batch_invariance(&m, ids, 40, DP_PREC_BF16));
    /* the time profile fills every part and leaves the logits as they are */
    float plg[2][70];
    double prof[DP_QPROF_N] = {0};
    for (int k = 0; k < 2; k++) {
        struct dp_qwen_state ps;
        EXPECT_INT(dp_qwen_state_init(&ps, &m, 1, 16, 8, 1, &e), 0);
        ps.prof = k ? prof : NULL;
        int slot = 0, nt = 12;
        EXPECT_INT(dp_qwen_forward(&m, &ps, NULL, DP_PREC_F32, 1, &slot, &nt, ids, plg[k], false, &e), 0);
        dp_qwen_state_free(&ps);
    }
    EXPECT(!memcmp(plg[0], plg[1], sizeof plg[0]));
    for (int i = 0; i < DP_QPROF_N; i++) EXPECT(prof[i] > 0);
    /* errors: context overflow, id out of range, slot twice; nothing changes */
    struct dp_qwen_state s;
    EXPECT_INT(dp_qwen_state_init(&s, &m, 2, 16, 8, 1, &e), 0);
    float lg[2 * 70];
    int slot[2] = {0, 0}, nt[2] = {17, 1};
    EXPECT_INT(dp_qwen_forward(&m, &s, NULL, DP_PREC_F32, 1, slot, nt, ids, lg, false, &e), DP_ERANGE);
    int32_t badid = 70;
    nt[0] = 1;
    EXPECT_INT(dp_qwen_forward(&m, &s, NULL, DP_PREC_F32, 1, slot, nt, &badid, lg, false, &e), DP_ERANGE);
    EXPECT_INT(dp_qwen_forward(&m, &s, NULL, DP_PREC_F32, 2, slot, nt, ids, lg, false, &e), DP_EINVAL);
    EXPECT_INT(s.len[0], 0);
    dp_qwen_state_free(&s);
    dp_qwen_free(&m);
}

static void test_gen_config(void)
{
    struct dp_qwen_config c = {.n_eos = 1, .eos = {151645}};
    struct dp_gen_config g;
    struct dp_error e = {0};
    dp_gen_config_default(&g, &c);
    EXPECT(!g.do_sample && g.top_k == 50 && g.top_p == 1.0f && g.temperature == 1.0f && g.n_eos == 1);
    const char *qwen = "{\"bos_token_id\": 151643, \"pad_token_id\": 151643, \"do_sample\": true,\n"
                       " \"eos_token_id\": [151645, 151643], \"repetition_penalty\": 1.05,\n"
                       " \"temperature\": 0.7, \"top_p\": 0.8, \"top_k\": 20}";
    EXPECT_INT(dp_gen_config_parse(&g, qwen, strlen(qwen), "g.json", &e), 0);
    EXPECT(g.do_sample && g.top_k == 20 && g.n_eos == 2 && g.eos[1] == 151643 && g.pad == 151643);
    EXPECT(fabsf(g.temperature - 0.7f) < 1e-7f && fabsf(g.repetition_penalty - 1.05f) < 1e-7f);
    EXPECT_INT(g.max_new_tokens, -1);
    const char *bad = "{\"top_p\": 1.5}";
    EXPECT_INT(dp_gen_config_parse(&g, bad, strlen(bad), "g.json", &e), DP_EFORMAT);
    EXPECT(!strcmp(e.path, "g.json") && e.line == 1 && e.col == 11 && strstr(e.msg, "'top_p'"));
}

/* dp_generate: per-job outputs do not depend on batch size, pass budget or neighbours. */
struct gen_out { int32_t ids[15][16]; int n[15], why[15]; };

static int collect(void *ud, const struct dp_gen_job *job, const int32_t *ids, int n, enum dp_finish why)
{
    struct gen_out *o = ud;
    int j = (int)(intptr_t)job->user;
    memcpy(o->ids[j], ids, (size_t)n * 4);
    o->n[j] = n;
    o->why[j] = why;
    return 0;
}

static void test_generate_invariance(void)
{
    write_model(NULL, NULL, NULL, NULL);
    struct dp_qwen m;
    struct dp_error e = {0};
    EXPECT_INT(dp_qwen_load(&m, dir, NULL, &e), 0);
    static int32_t prompts[5][20];
    struct dp_gen_job jobs[15];
    for (int p = 0; p < 5; p++) {
        for (int i = 0; i < 4 + 3 * p; i++) prompts[p][i] = (p * 13 + i * 7) % 70;
        for (int k = 0; k < 3; k++)
            jobs[3 * p + k] = (struct dp_gen_job){prompts[p], 4 + 3 * p, 1000 + 3 * p + k, (void *)(intptr_t)(3 * p + k)};
    }
    int32_t stop[] = {5};
    struct dp_gen_opts o = {.sample = {.temperature = 0.8f, .top_k = 10, .top_p = 0.9f, .repetition_penalty = 1.1f},
                            .max_new_tokens = 12, .stop = stop, .nstop = 1, .batch = 1, .prec = DP_PREC_F32};
    static struct gen_out a, b, c;
    struct dp_pool *pool = dp_pool_create(2);
    EXPECT_INT(dp_generate(&m, NULL, &o, jobs, 15, collect, &a, &e), 0);
    o.batch = 4;
    o.prefill_tokens = 5;
    EXPECT_INT(dp_generate(&m, pool, &o, jobs, 15, collect, &b, &e), 0);
    o.batch = 15;
    EXPECT_INT(dp_generate(&m, pool, &o, jobs + 3, 12, collect, &c, &e), 0);
    int stops = 0;
    for (int j = 0; j < 15; j++) {
        EXPECT(a.n[j] == b.n[j] && !memcmp(a.ids[j], b.ids[j], (size_t)a.n[j] * 4) && a.why[j] == b.why[j]);
        if (j >= 3) EXPECT(a.n[j] == c.n[j] && !memcmp(a.ids[j], c.ids[j], (size_t)a.n[j] * 4));
        EXPECT(a.n[j] <= 12 && (a.why[j] == DP_FINISH_LENGTH) == (a.n[j] == 12));
        stops += a.why[j] == DP_FINISH_STOP;
    }
    EXPECT(a.n[0] != a.n[1] || memcmp(a.ids[0], a.ids[1], (size_t)a.n[0] * 4));   /* samples differ */
    fprintf(stderr, "# generate: %d of 15 jobs stopped on the stop id\n", stops);
    dp_pool_free(pool);
    dp_qwen_free(&m);
}

int main(int argc, char **argv)
{
    if (argc > 1) return driver(argc, argv);
    snprintf(dir, sizeof dir, "/tmp/dp_qwen_test.%d", (int)getpid());
    struct dp_error e = {0};
    dp_mkdirs(dir, &e);
    RUN(test_load_errors);
    RUN(test_forward_invariance);
    RUN(test_generate_invariance);
    RUN(test_gen_config);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) return 1;
    TEST_END();
}
