/* Next-token cross-entropy training on a model (src/train/lm.h; src/model/qwen_init.c), no
 * Python needed (the data side is in test_lm.c):
 *   - dp_lm_micro / dp_lm_eval on a random micro Qwen2 written by dp_qwen_init_random: the loss
 *     is -sum(logp)/count of dp_qt_forward, per position, masked positions neither count nor
 *     change anything, central differences of the masked loss, scale and accumulation, a few
 *     SGD and AdamW steps lower the loss.
 *   - dp_qwen_init_random: same bytes for a seed, norms 1, biases 0, std close to the one asked,
 *     BF16 = rounded F32, tied heads, loadable for training. */
#include "harness.h"
#include "base/file.h"
#include "base/rng.h"
#include "model/qwen_init.h"
#include "model/qwen_train.h"
#include "nn/dtype.h"
#include "nn/safetensors.h"
#include "train/dpo.h"
#include "train/lm.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/dp_test_lm_model_XXXXXX";

#define tmp_path(name) t_path(tmpdir, name)

/* ---------------------------------------------------------------- a random micro model */

/* Writes dir/config.json (float32) and, through dp_qwen_init_random, dir/model.safetensors. */
static int make_model(const char *dir, int V, int C, int L, int H, int Hkv, int F, bool tied, uint64_t seed,
                      float std, enum dp_dtype dt)
{
    char path[700], cfg[1024];
    struct dp_error e = {0};
    if (dp_mkdirs(dir, &e)) return -1;
    int n = snprintf(cfg, sizeof cfg,
                     "{\"architectures\": [\"Qwen2ForCausalLM\"], \"model_type\": \"qwen2\", \"hidden_act\": \"silu\","
                     " \"vocab_size\": %d, \"hidden_size\": %d, \"intermediate_size\": %d, \"num_hidden_layers\": %d,"
                     " \"num_attention_heads\": %d, \"num_key_value_heads\": %d, \"max_position_embeddings\": 128,"
                     " \"rms_norm_eps\": 1e-06, \"rope_theta\": 10000.0, \"tie_word_embeddings\": %s,"
                     " \"torch_dtype\": \"%s\", \"bos_token_id\": 1, \"eos_token_id\": 2}\n",
                     V, C, F, L, H, Hkv, tied ? "true" : "false", dt == DP_DTYPE_BF16 ? "bfloat16" : "float32");
    snprintf(path, sizeof path, "%s/config.json", dir);
    if (dp_file_write_atomic(path, cfg, (size_t)n, &e)) return -1;
    struct dp_qwen_config c;
    if (dp_qwen_config_load(&c, dir, &e)) return fprintf(stderr, "  %s\n", e.msg), -1;
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    int rc = dp_qwen_init_random(&c, path, seed, std, dt, &e);
    if (rc) fprintf(stderr, "  %s\n", e.msg);
    return rc;
}

enum { V = 61, NS = 3 };
static int32_t sq_ids[NS][16];
static uint8_t sq_mask[NS][16];
static const int sq_len[NS] = {11, 7, 14};

static void make_batch(struct dp_lm_seq *s, const struct dp_lm_seq **p)
{
    struct dp_rng r;
    dp_rng_seed(&r, 17);
    for (int i = 0; i < NS; i++) {
        for (int t = 0; t < sq_len[i]; t++) {
            sq_ids[i][t] = (int32_t)dp_rng_below(&r, V);
            sq_mask[i][t] = (uint8_t)(i == 1 ? 1 : (t * 7 + i) % 3 != 0);   /* SFT-like holes */
        }
        sq_mask[0][sq_len[0] - 1] = 0;   /* the last token of sequence 0: no loss */
        s[i] = (struct dp_lm_seq){sq_ids[i], i == 1 ? NULL : sq_mask[i], sq_len[i], 0, i + 1};
        p[i] = &s[i];
    }
}

static long mask_count(const struct dp_lm_seq *s, int k)
{
    long n = 0;
    for (int i = 0; i < k; i++)
        for (int t = 1; t < s[i].len; t++) n += !s[i].mask || s[i].mask[t];
    return n;
}

/* log p(ids[t] | ids[<t]) of sequence s at position t alone (a one-hot mask). */
static double logp_at(struct dp_qt *m, const struct dp_lm_seq *s, int t)
{
    uint8_t one[16] = {0};
    one[t] = 1;
    const int32_t *ids[1] = {s->ids};
    const uint8_t *mk[1] = {one};
    int len[1] = {s->len}, plen[1] = {0}, nt[1];
    double lp[1];
    struct dp_qt_batch b = {1, ids, len, plen, mk};
    struct dp_error e;
    if (dp_qt_forward(m, &b, false, lp, nt, &e) || nt[0] != 1) return NAN;
    return lp[0];
}

static double max_abs(const float *v, size_t n)
{
    double r = 0;
    for (size_t i = 0; i < n; i++) r = fmax(r, fabs(v[i]));
    return r;
}

static void test_lm_micro(void)
{
    const char *dir = tmp_path("micro");
    EXPECT(make_model(dir, V, 32, 2, 4, 2, 40, false, 5, 0.25f, DP_DTYPE_F32) == 0);
    struct dp_qt_opts qo = {.prec = DP_PREC_F32, .vchunk = 16};
    struct dp_qt m;
    struct dp_error e = {0};
    int rc = dp_qt_load(&m, dir, &qo, NULL, &e);
    EXPECT_INT(rc, 0);
    if (rc) return fprintf(stderr, "  %s\n", e.msg), (void)0;
    struct dp_lm_seq s[NS];
    const struct dp_lm_seq *p[NS];
    make_batch(s, p);
    long want = mask_count(s, NS);

    /* the loss is -sum(logp) / count of dp_qt_forward over the same batch */
    const int32_t *ids[NS];
    const uint8_t *mk[NS];
    int len[NS], plen[NS] = {0}, nt[NS];
    double lp[NS];
    for (int i = 0; i < NS; i++) ids[i] = s[i].ids, mk[i] = s[i].mask, len[i] = s[i].len;
    struct dp_qt_batch b = {NS, ids, len, plen, mk};
    EXPECT(dp_qt_forward(&m, &b, false, lp, nt, &e) == 0);
    EXPECT_INT(nt[0] + nt[1] + nt[2], want);
    EXPECT_INT(nt[1], s[1].len - 1);
    double ref = -(lp[0] + lp[1] + lp[2]) / (double)want, loss = 0;
    long labels = 0;
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss, &labels, &e) == 0);
    EXPECT_INT(labels, want);
    printf("# micro: loss %.6f over %ld labels (log V = %.4f)\n", loss, labels, log((double)V));
    EXPECT(fabs(loss - ref) <= 1e-12 * fabs(ref));
    EXPECT(loss > 1 && loss < 3 * log((double)V));
    float *g1 = dp_xmalloc(m.nparams * 4);
    memcpy(g1, m.grads, m.nparams * 4);
    double gmax = max_abs(g1, m.nparams);
    EXPECT(gmax > 0 && isfinite(gmax));

    /* ... which is the mean of log p at each labeled position alone */
    double sum = 0;
    long cnt = 0;
    for (int i = 0; i < NS; i++)
        for (int t = 1; t < s[i].len; t++)
            if (!s[i].mask || s[i].mask[t]) sum += logp_at(&m, &s[i], t), cnt++;
    EXPECT_INT(cnt, want);
    EXPECT(fabs(-sum / (double)cnt - loss) <= 1e-6 * loss);

    /* a masked position changes nothing: another target id at the last (masked) token of
       sequence 0 gives the same loss and the same gradients */
    int32_t keep = sq_ids[0][s[0].len - 1];
    sq_ids[0][s[0].len - 1] = (keep + 13) % V;
    double loss2;
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss2, NULL, &e) == 0);
    EXPECT(loss2 == loss);
    double dg = 0;
    for (size_t k = 0; k < m.nparams; k++) dg = fmax(dg, fabs(m.grads[k] - g1[k]));
    EXPECT(dg <= 1e-6 * gmax);
    sq_ids[0][s[0].len - 1] = keep;
    /* unmasking a position changes the loss by its own term */
    int t0 = 0;
    while (sq_mask[2][t0] || t0 == 0) t0++;
    double l_t0 = logp_at(&m, &s[2], t0);
    sq_mask[2][t0] = 1;
    EXPECT(dp_lm_micro(&m, p, NS, 0.0, &loss2, &labels, &e) == 0);
    EXPECT_INT(labels, want + 1);
    EXPECT(fabs(loss2 - (loss * (double)want - l_t0) / (double)(want + 1)) <= 1e-6 * loss);
    sq_mask[2][t0] = 0;

    /* scale: two half-weighted micro-batches accumulate to one full one */
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 0.5, NULL, NULL, &e) == 0);
    EXPECT(dp_lm_micro(&m, p, NS, 0.5, NULL, NULL, &e) == 0);
    dg = 0;
    for (size_t k = 0; k < m.nparams; k++) dg = fmax(dg, fabs(m.grads[k] - g1[k]));
    EXPECT(dg <= 1e-5 * gmax);

    /* a batch without labels: loss 0, no backward */
    uint8_t none[16] = {0};
    struct dp_lm_seq z = {sq_ids[2], none, s[2].len, 0, 9};
    const struct dp_lm_seq *pz[1] = {&z};
    dp_qt_zero_grad(&m);
    loss2 = -1, labels = -1;
    EXPECT(dp_lm_micro(&m, pz, 1, 1.0, &loss2, &labels, &e) == 0);
    EXPECT(loss2 == 0 && labels == 0 && m.fresh);
    /* plen: positions before it carry no loss even when the mask says so */
    struct dp_lm_seq q = s[1];
    q.plen = 4;
    const struct dp_lm_seq *pq[1] = {&q};
    EXPECT(dp_lm_micro(&m, pq, 1, 0.0, &loss2, &labels, &e) == 0);
    EXPECT_INT(labels, s[1].len - 4);

    /* an id outside the vocabulary: an error, not a crash */
    sq_ids[1][2] = V + 3;
    EXPECT(dp_lm_micro(&m, p, NS, 1.0, &loss2, NULL, &e) == DP_ERANGE);
    sq_ids[1][2] = 5;

    /* dp_lm_eval: the token-weighted mean over batches of any size */
    dp_qt_zero_grad(&m);
    EXPECT(dp_lm_micro(&m, p, NS, 0.0, &loss, NULL, &e) == 0);
    for (int B = 1; B <= 4; B++) {
        double ev = -1;
        EXPECT(dp_lm_eval(&m, s, NS, B, &ev, &e) == 0);
        EXPECT(fabs(ev - loss) <= 1e-9 * loss);
    }
    free(g1);
    dp_qt_free(&m);
}

/* Loads the micro model that test_lm_micro wrote and runs one micro-batch of make_batch's
 * sequences, leaving its gradients in m. */
static int load_and_step(struct dp_qt *m, struct dp_lm_seq *s, const struct dp_lm_seq **p, double *loss,
                         struct dp_error *e)
{
    struct dp_qt_opts qo = {.prec = DP_PREC_F32, .vchunk = 16};
    int rc = dp_qt_load(m, tmp_path("micro"), &qo, NULL, e);
    if (rc) return rc;
    make_batch(s, p);
    dp_qt_zero_grad(m);
    return dp_lm_micro(m, p, NS, 1.0, loss, NULL, e);
}

/* Central differences of the masked mean loss on sampled elements of every tensor. */
static void test_lm_grad(void)
{
    struct dp_qt m;
    struct dp_error e = {0};
    struct dp_lm_seq s[NS];
    const struct dp_lm_seq *p[NS];
    double loss;
    EXPECT(load_and_step(&m, s, p, &loss, &e) == 0);
    float *g = dp_xmalloc(m.nparams * 4);
    memcpy(g, m.grads, m.nparams * 4);
    struct dp_rng r;
    dp_rng_seed(&r, 3);
    double worst = 0;
    const char *wname = "";
    for (int i = 0; i < m.ntab; i++) {
        const struct dp_qt_param *pp = &m.tab[i];
        double gm = max_abs(g + pp->off, pp->numel), tw = 0;
        for (int k = 0; k < 4; k++) {
            size_t j = pp->off + dp_rng_below(&r, (uint32_t)pp->numel);
            float v = m.params[j], h = 1e-2f;
            double lp, lm;
            m.params[j] = v + h, dp_qt_params_changed(&m);
            dp_lm_eval(&m, s, NS, NS, &lp, &e);
            m.params[j] = v - h, dp_qt_params_changed(&m);
            dp_lm_eval(&m, s, NS, NS, &lm, &e);
            m.params[j] = v, dp_qt_params_changed(&m);
            double num = (lp - lm) / (2.0 * h);
            tw = fmax(tw, fabs(num - g[j]) / fmax(fabs(g[j]), fmax(0.1 * gm, 1e-5)));
        }
        if (tw > worst) worst = tw, wname = pp->name;
    }
    printf("# masked cross-entropy vs central differences: max err %.2e (%s)\n", worst, wname);
    EXPECT(worst < 2e-2);
    free(g);
    dp_qt_free(&m);
}

/* A few optimizer steps on one batch lower its loss: plain SGD, then AdamW. */
static void test_lm_steps(void)
{
    struct dp_qt m;
    struct dp_error e = {0};
    struct dp_lm_seq s[NS];
    const struct dp_lm_seq *p[NS];
    double l0 = 0, l = 0, prev;
    EXPECT(load_and_step(&m, s, p, &l0, &e) == 0);
    prev = l0;
    int down = 0;
    for (int k = 0; k < 5; k++) {   /* the gradient of the loss just computed */
        for (size_t j = 0; j < m.nparams; j++) m.params[j] -= 0.5f * m.grads[j];
        dp_qt_params_changed(&m);
        dp_qt_zero_grad(&m);
        EXPECT(dp_lm_micro(&m, p, NS, 1.0, &l, NULL, &e) == 0);
        down += l < prev;
        prev = l;
    }
    printf("# SGD: loss %.4f -> %.4f\n", l0, l);
    EXPECT_INT(down, 5);
    EXPECT(l < l0 - 0.05);
    dp_qt_free(&m);

    struct dp_qt_opts qo = {.prec = DP_PREC_F32, .vchunk = 16};
    EXPECT(dp_qt_load(&m, tmp_path("micro"), &qo, NULL, &e) == 0);
    struct dp_optim opt = {.adam = {0.9, 0.999, 1e-8, 0.01}, .max_grad_norm = 1.0};
    EXPECT(dp_optim_init(&opt, &m, &e) == 0);
    double gn = 0;
    for (int k = 0; k < 8; k++) {
        dp_qt_zero_grad(&m);
        EXPECT(dp_lm_micro(&m, p, NS, 1.0, &l, NULL, &e) == 0);
        if (k == 0) EXPECT(l == l0);
        EXPECT(dp_optim_step(&opt, &m, 1e-2, &gn, &e) == 0);
    }
    EXPECT(dp_lm_eval(&m, s, NS, 2, &l, &e) == 0);
    printf("# AdamW: loss %.4f -> %.4f after 8 steps\n", l0, l);
    EXPECT(l < 0.7 * l0);
    dp_optim_free(&opt);
    dp_qt_free(&m);
}

/* ---------------------------------------------------------------- dp_qwen_init_random */

static bool same_file(const char *a, const char *b)
{
    char *x, *y;
    size_t nx, ny;
    struct dp_error e;
    if (dp_file_read(a, &x, &nx, &e)) return false;
    if (dp_file_read(b, &y, &ny, &e)) return free(x), false;
    bool r = nx == ny && memcmp(x, y, nx) == 0;
    free(x), free(y);
    return r;
}

static float f32_at(const struct dp_st_tensor *t, int64_t i)
{
    float f;
    uint16_t h;
    if (t->dtype == DP_DTYPE_F32) return memcpy(&f, (const char *)t->data + 4 * i, 4), f;
    memcpy(&h, (const char *)t->data + 2 * i, 2);
    return dp_bf16_to_f32(h);
}

static void test_init_random(void)
{
    char a[700], b[700], c[700];
    snprintf(a, sizeof a, "%s/init_a", tmpdir);
    snprintf(b, sizeof b, "%s/init_b", tmpdir);
    snprintf(c, sizeof c, "%s/init_c", tmpdir);
    const int L = 3, C = 24, H = 4, Hkv = 2, F = 40, Vv = 70;
    const float std = 0.02f;
    EXPECT(make_model(a, Vv, C, L, H, Hkv, F, false, 7, std, DP_DTYPE_F32) == 0);
    EXPECT(make_model(b, Vv, C, L, H, Hkv, F, false, 7, std, DP_DTYPE_F32) == 0);
    EXPECT(make_model(c, Vv, C, L, H, Hkv, F, false, 8, std, DP_DTYPE_F32) == 0);
    char fa[800], fb[800], fc[800];
    snprintf(fa, sizeof fa, "%s/model.safetensors", a);
    snprintf(fb, sizeof fb, "%s/model.safetensors", b);
    snprintf(fc, sizeof fc, "%s/model.safetensors", c);
    EXPECT(same_file(fa, fb));    /* a seed gives the same bytes */
    EXPECT(!same_file(fa, fc));   /* another seed others */
    struct dp_st st;
    struct dp_error e = {0};
    EXPECT(dp_st_open(&st, fa, &e) == 0);
    EXPECT_INT(st.ntensors, 12 * L + 3);
    double s1 = 0, s2 = 0, cnt = 0;
    int norms = 0, biases = 0, bad = 0;
    for (size_t i = 0; i < st.ntensors; i++) {
        const struct dp_st_tensor *t = &st.tensors[i];
        EXPECT(t->dtype == DP_DTYPE_F32);
        if (strstr(t->name, "norm.weight")) {
            norms++;
            for (int64_t k = 0; k < t->numel; k++) bad += f32_at(t, k) != 1.0f;
            EXPECT(t->ndim == 1 && t->shape[0] == C);
        } else if (strstr(t->name, ".bias")) {
            biases++;
            for (int64_t k = 0; k < t->numel; k++) bad += f32_at(t, k) != 0.0f;
        } else {
            double t1 = 0, t2 = 0;
            for (int64_t k = 0; k < t->numel; k++) t1 += f32_at(t, k), t2 += (double)f32_at(t, k) * f32_at(t, k);
            double sd = sqrt(t2 / (double)t->numel);
            if (fabs(sd / std - 1) > 0.25) fprintf(stderr, "  %s: std %g\n", t->name, sd), bad++;
            s1 += t1, s2 += t2, cnt += (double)t->numel;
        }
    }
    EXPECT_INT(norms, 2 * L + 1);
    EXPECT_INT(biases, 3 * L);
    EXPECT_INT(bad, 0);
    double mean = s1 / cnt, sd = sqrt(s2 / cnt - mean * mean);
    printf("# init: %.0f weights, mean %.2e, std %.5f (asked %.3f)\n", cnt, mean, sd, std);
    EXPECT(fabs(sd / std - 1) < 0.03);
    EXPECT(fabs(mean) < 4 * std / sqrt(cnt));
    /* shapes as Hugging Face names them; each tensor its own stream */
    const struct dp_st_tensor *tt;
    int64_t want[2] = {(int64_t)H * (C / H), C};
    EXPECT(dp_st_require(&st, "model.layers.2.self_attn.q_proj.weight", 2, want, &tt, &e) == 0);
    int64_t wk[2] = {(int64_t)Hkv * (C / H), C}, wd[2] = {C, F}, we[2] = {Vv, C};
    EXPECT(dp_st_require(&st, "model.layers.0.self_attn.v_proj.weight", 2, wk, &tt, &e) == 0);
    EXPECT(dp_st_require(&st, "model.layers.1.mlp.down_proj.weight", 2, wd, &tt, &e) == 0);
    EXPECT(dp_st_require(&st, "lm_head.weight", 2, we, &tt, &e) == 0);
    const struct dp_st_tensor *q0 = dp_st_get(&st, "model.layers.0.self_attn.q_proj.weight"),
                              *q1 = dp_st_get(&st, "model.layers.1.self_attn.q_proj.weight");
    EXPECT(q0 && q1 && memcmp(q0->data, q1->data, q0->nbytes) != 0);
    /* BF16: the F32 values rounded */
    EXPECT(make_model(b, Vv, C, L, H, Hkv, F, false, 7, std, DP_DTYPE_BF16) == 0);
    struct dp_st sb;
    EXPECT(dp_st_open(&sb, fb, &e) == 0);
    EXPECT_INT(sb.ntensors, st.ntensors);
    bad = 0;
    for (size_t i = 0; i < st.ntensors && i < sb.ntensors; i++) {
        const struct dp_st_tensor *x = &st.tensors[i], *y = dp_st_get(&sb, x->name);
        if (!y || y->dtype != DP_DTYPE_BF16 || y->numel != x->numel) {
            bad++;
            continue;
        }
        for (int64_t k = 0; k < x->numel; k++) {
            uint16_t h;
            memcpy(&h, (const char *)y->data + 2 * k, 2);
            bad += h != dp_f32_to_bf16(f32_at(x, k));
        }
    }
    EXPECT_INT(bad, 0);
    dp_st_close(&sb);
    dp_st_close(&st);
    /* tied: no lm_head; loads for training, the masters equal the file */
    EXPECT(make_model(c, Vv, C, 2, 2, 1, F, true, 9, 0.1f, DP_DTYPE_F32) == 0);
    EXPECT(dp_st_open(&st, fc, &e) == 0);
    EXPECT_INT(st.ntensors, 12 * 2 + 2);
    EXPECT(dp_st_get(&st, "lm_head.weight") == NULL);
    struct dp_qt_opts qo = {.prec = DP_PREC_F32};
    struct dp_qt m;
    EXPECT(dp_qt_load(&m, c, &qo, NULL, &e) == 0);
    const struct dp_qt_param *pe = dp_qt_find(&m, "model.embed_tokens.weight");
    const struct dp_st_tensor *te = dp_st_get(&st, "model.embed_tokens.weight");
    EXPECT(pe && te && pe->numel == (size_t)te->numel && memcmp(m.params + pe->off, te->data, te->nbytes) == 0);
    dp_qt_free(&m);
    dp_st_close(&st);
    /* F16 is refused */
    struct dp_qwen_config cfg;
    EXPECT(dp_qwen_config_load(&cfg, c, &e) == 0);
    EXPECT(dp_qwen_init_random(&cfg, fc, 1, 0.02f, DP_DTYPE_F16, &e) == DP_EINVAL);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("not ok - setup: no temporary folder\n");
        return 1;
    }
    RUN(test_lm_micro);
    RUN(test_lm_grad);
    RUN(test_lm_steps);
    RUN(test_init_random);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    TEST_END();
}
