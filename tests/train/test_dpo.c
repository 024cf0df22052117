/* Gradient checks of the training stack: every DPO loss (sigmoid with label smoothing, robust,
 * IPO, hinge, RPO term) against central differences in double; the whole Qwen2 training graph
 * (full fine-tuning with kept and recomputed activations, tied and untied heads; LoRA on all
 * seven targets) against central differences on sampled elements of every parameter tensor of
 * a tiny random model written by the test; AdamW and the schedules on hand-computed values.
 * With arguments it is the C side of tests/train/train_parity.test.sh (see parity_main). */
#include "harness.h"
#include "base/file.h"
#include "base/rng.h"
#include "model/qwen_train.h"
#include "nn/safetensors.h"
#include "train/adamw.h"
#include "train/losses.h"
#include "train/schedule.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int parity_main(int argc, char **argv);

/* ---------------------------------------------------------------- losses */

static void check_loss(struct dp_dpo_cfg c, const char *what)
{
    enum { B = 3 };
    double pc[B] = {-12.5, -30.1, -7.2}, pr[B] = {-14.0, -25.3, -7.9}, rc[B] = {-13.1, -28.0, -6.0},
           rr[B] = {-13.5, -27.2, -8.8}, g[2 * B];
    int nc[B] = {5, 11, 3}, nr[B] = {6, 9, 4};
    struct dp_dpo_out o;
    EXPECT(dp_dpo_loss(&c, B, pc, pr, nc, nr, rc, rr, 0.5, g, &o, NULL) == 0);
    double worst = 0, h = 1e-5;
    for (int k = 0; k < 2 * B; k++) {
        double *x = k < B ? &pc[k] : &pr[k - B], v = *x, lp, lm;
        *x = v + h;
        dp_dpo_loss(&c, B, pc, pr, nc, nr, rc, rr, 1, NULL, &o, NULL);
        lp = o.loss;
        *x = v - h;
        dp_dpo_loss(&c, B, pc, pr, nc, nr, rc, rr, 1, NULL, &o, NULL);
        lm = o.loss;
        *x = v;
        double num = 0.5 * (lp - lm) / (2 * h), err = fabs(num - g[k]) / fmax(fabs(num), 1e-3);
        worst = err > worst ? err : worst;
    }
    printf("# loss %-24s loss %.6f  max rel err %.2e\n", what, o.loss, worst);
    EXPECT(worst < 1e-6);
}

static void test_losses(void)
{
    struct dp_dpo_cfg c = {.type = DP_LOSS_SIGMOID, .beta = 0.1};
    check_loss(c, "sigmoid");
    c.label_smoothing = 0.2;
    check_loss(c, "sigmoid cDPO 0.2");
    c.type = DP_LOSS_ROBUST;
    check_loss(c, "robust 0.2");
    c.label_smoothing = 0;
    c.type = DP_LOSS_IPO;
    c.beta = 0.5;
    check_loss(c, "ipo");
    c.type = DP_LOSS_HINGE;
    c.beta = 0.1;
    check_loss(c, "hinge");
    c.type = DP_LOSS_SIGMOID;
    c.rpo = true;
    c.rpo_alpha = 0.7;
    check_loss(c, "sigmoid + rpo 0.7");
    /* values: z = 0 gives log 2; metrics */
    double p[1] = {-3}, r[1] = {-4};
    int n[1] = {2};
    struct dp_dpo_out o;
    struct dp_dpo_cfg s = {.type = DP_LOSS_SIGMOID, .beta = 0.1};
    dp_dpo_loss(&s, 1, p, r, n, n, p, r, 1, NULL, &o, NULL);
    EXPECT(fabs(o.loss - log(2.0)) < 1e-12 && o.accuracy == 0 && o.margin == 0);
    EXPECT(fabs(o.logps_chosen + 3) < 1e-12 && fabs(o.logps_rejected + 4) < 1e-12);
    s.label_smoothing = 0.5;
    EXPECT(dp_dpo_loss(&s, 1, p, r, n, n, p, r, 1, NULL, &o, NULL) == DP_EINVAL);
}

/* ---------------------------------------------------------------- optimizer, schedule */

static void test_adamw_schedule(void)
{
    struct dp_adamw o = {0.9, 0.999, 1e-8, 0.1};
    float p[2] = {1.0f, -2.0f}, g[2] = {0.5f, -1e-3f}, m[2] = {0}, v[2] = {0};
    dp_adamw_step(NULL, &o, p, g, 1.0f, m, v, 2, 1e-2, 1, true);
    /* step 1: m/(1-b1) = g, sqrt(v/(1-b2)) = |g|: p = p (1 - lr wd) - lr sign(g) */
    EXPECT(fabs(p[0] - (1.0 * (1 - 1e-3) - 1e-2)) < 1e-6);
    EXPECT(fabs(p[1] - (-2.0 * (1 - 1e-3) + 1e-2 * 1e-3 / (1e-3 + 1e-8))) < 1e-6);
    EXPECT(fabs(dp_sched_lr(DP_SCHED_LINEAR, 1.0, 0, 10, 2) - 0.0) < 1e-12);
    EXPECT(fabs(dp_sched_lr(DP_SCHED_LINEAR, 1.0, 1, 10, 2) - 0.5) < 1e-12);
    EXPECT(fabs(dp_sched_lr(DP_SCHED_LINEAR, 1.0, 6, 10, 2) - 0.5) < 1e-12);
    EXPECT(fabs(dp_sched_lr(DP_SCHED_COSINE, 1.0, 6, 10, 2) - 0.5) < 1e-12);
    EXPECT(fabs(dp_sched_lr(DP_SCHED_COSINE, 1.0, 2, 10, 2) - 1.0) < 1e-12);
    EXPECT(fabs(dp_sched_lr(DP_SCHED_CONSTANT, 1.0, 9, 10, 0) - 1.0) < 1e-12);
    /* the vector loop gives the scalar formula's bits (37 elements: two vectors and a tail) */
    float P[37], G[37], Mo[37], Vo[37], P2[37], M2[37], V2[37];
    for (int i = 0; i < 37; i++) {
        P[i] = P2[i] = 0.1f * (float)(i - 18), G[i] = 0.01f * (float)((i * 7) % 11 - 5);
        Mo[i] = M2[i] = 0.001f * (float)i, Vo[i] = V2[i] = 1e-5f * (float)(i % 5);
    }
    dp_adamw_step(NULL, &o, P, G, 0.5f, Mo, Vo, 37, 3e-3, 4, true);
    float dm = (float)(1.0 - 3e-3 * 0.1), st = (float)(3e-3 / (1.0 - pow(0.9, 4))), bc = (float)sqrt(1.0 - pow(0.999, 4));
    int same = 1;
    for (int i = 0; i < 37; i++) {
        float p = P2[i] * dm, g = G[i] * 0.5f;
        float m = M2[i] * 0.9f + (float)(1.0 - 0.9) * g, v = V2[i] * 0.999f + (float)(1.0 - 0.999) * (g * g);
        float den = sqrtf(v) / bc + 1e-8f;
        same &= P[i] == p - st * (m / den) && Mo[i] == m && Vo[i] == v;
    }
    EXPECT(same);
    float big[5000];
    for (int i = 0; i < 5000; i++) big[i] = (float)(i % 7) - 3.0f;
    double s = 0;
    for (int i = 0; i < 5000; i++) s += (double)big[i] * big[i];
    EXPECT(fabs(dp_grad_sumsq(NULL, big, 5000) - s) < 1e-9);
}

/* ---------------------------------------------------------------- a tiny model */

/* Writes DIR/config.json and DIR/model.safetensors (F32, N(0, sd)). */
static int make_model(const char *dir, bool tied, uint64_t seed)
{
    const int V = 40, C = 16, L = 2, H = 4, Hkv = 2, D = 4, F = 24;
    char path[512], cfg[1024];
    struct dp_error e;
    if (dp_mkdirs(dir, &e)) return -1;
    int n = snprintf(cfg, sizeof cfg,
                     "{\"architectures\": [\"Qwen2ForCausalLM\"], \"model_type\": \"qwen2\", \"hidden_act\": \"silu\","
                     " \"vocab_size\": %d, \"hidden_size\": %d, \"intermediate_size\": %d, \"num_hidden_layers\": %d,"
                     " \"num_attention_heads\": %d, \"num_key_value_heads\": %d, \"max_position_embeddings\": 64,"
                     " \"rms_norm_eps\": 1e-05, \"rope_theta\": 10000.0, \"tie_word_embeddings\": %s,"
                     " \"torch_dtype\": \"float32\", \"eos_token_id\": 2}\n",
                     V, C, F, L, H, Hkv, tied ? "true" : "false");
    snprintf(path, sizeof path, "%s/config.json", dir);
    if (dp_file_write_atomic(path, cfg, (size_t)n, &e)) return -1;
    struct dp_st_wtensor t[64];
    char names[64][96];
    float *bufs[64];
    int nt = 0;
    struct dp_rng r;
    dp_rng_seed(&r, seed);
#define T(nm, d0, d1, mean, sd) do {                                                         \
        snprintf(names[nt], sizeof names[nt], "%s", nm);                                    \
        int64_t cnt = (int64_t)(d0) * (((d1) != 0) ? (d1) : 1);                                    \
        bufs[nt] = dp_xmalloc((size_t)cnt * 4);                                             \
        for (int64_t i = 0; i < cnt; i++) bufs[nt][i] = (float)((mean) + (sd) * dp_rng_normal(&r)); \
        t[nt] = (struct dp_st_wtensor){names[nt], DP_DTYPE_F32, ((d1) != 0) ? 2 : 1, {(d0), (d1)}, bufs[nt]}; \
        nt++;                                                                               \
    } while (0)
    T("model.embed_tokens.weight", V, C, 0, 0.5);
    for (int l = 0; l < L; l++) {
        char p[96];
#define LT(sfx, d0, d1, mean, sd) do { snprintf(p, sizeof p, "model.layers.%d.%s", l, sfx); T(p, d0, d1, mean, sd); } while (0)
        LT("input_layernorm.weight", C, 0, 1, 0.2);
        LT("self_attn.q_proj.weight", H * D, C, 0, 0.3);
        LT("self_attn.q_proj.bias", H * D, 0, 0, 0.2);
        LT("self_attn.k_proj.weight", Hkv * D, C, 0, 0.3);
        LT("self_attn.k_proj.bias", Hkv * D, 0, 0, 0.2);
        LT("self_attn.v_proj.weight", Hkv * D, C, 0, 0.3);
        LT("self_attn.v_proj.bias", Hkv * D, 0, 0, 0.2);
        LT("self_attn.o_proj.weight", C, H * D, 0, 0.3);
        LT("post_attention_layernorm.weight", C, 0, 1, 0.2);
        LT("mlp.gate_proj.weight", F, C, 0, 0.3);
        LT("mlp.up_proj.weight", F, C, 0, 0.3);
        LT("mlp.down_proj.weight", C, F, 0, 0.3);
#undef LT
    }
    T("model.norm.weight", C, 0, 1, 0.2);
    if (!tied) T("lm_head.weight", V, C, 0, 0.5);
#undef T
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    int rc = dp_st_write(path, t, (size_t)nt, NULL, 0, &e);
    for (int i = 0; i < nt; i++) free(bufs[i]);
    return rc;
}

static const int32_t s0[] = {1, 5, 9, 3, 3, 17, 39, 0}, s1[] = {4, 4, 12, 30, 2}, s2[] = {7, 1, 8, 2, 6, 11, 13, 21, 38};
static const int32_t *const seqs[] = {s0, s1, s2};
static const int lens[] = {8, 5, 9}, plens[] = {3, 1, 4};
static const double gs[] = {0.7, -1.3, 0.4};

static double model_loss(struct dp_qt *m)
{
    struct dp_qt_batch b = {3, seqs, lens, plens, NULL};
    double lp[3];
    int nt[3];
    struct dp_error e;
    if (dp_qt_forward(m, &b, false, lp, nt, &e)) return NAN;
    return gs[0] * lp[0] + gs[1] * lp[1] + gs[2] * lp[2];
}

/* Central differences on up to 12 sampled elements of every parameter tensor. */
static double check_model(struct dp_qt *m, const char *what)
{
    struct dp_qt_batch b = {3, seqs, lens, plens, NULL};
    double lp[3], worst = 0;
    int nt[3];
    struct dp_error e;
    struct dp_rng r;
    dp_rng_seed(&r, 99);
    dp_qt_zero_grad(m);
    EXPECT(dp_qt_forward(m, &b, true, lp, nt, &e) == 0);
    EXPECT(nt[0] == 5 && nt[1] == 4 && nt[2] == 5);
    dp_qt_backward(m, gs);
    float *g = dp_xmalloc(m->nparams * 4);
    memcpy(g, m->grads, m->nparams * 4);
    const char *wname = "";
    for (int i = 0; i < m->ntab; i++) {
        const struct dp_qt_param *p = &m->tab[i];
        double gmax = 0, tw = 0;
        for (size_t k = 0; k < p->numel; k++) gmax = fmax(gmax, fabs(g[p->off + k]));
        for (int s = 0; s < 12; s++) {
            size_t k = p->off + dp_rng_below(&r, (uint32_t)p->numel);
            float v = m->params[k], h = 1e-2f;
            m->params[k] = v + h;
            dp_qt_params_changed(m);
            double lp1 = model_loss(m);
            m->params[k] = v - h;
            dp_qt_params_changed(m);
            double lm1 = model_loss(m);
            m->params[k] = v;
            dp_qt_params_changed(m);
            double num = (lp1 - lm1) / (2.0 * h), an = g[k];
            double err = fabs(num - an) / fmax(fabs(an), fmax(0.1 * gmax, 1e-4));
            tw = fmax(tw, err);
        }
        if (tw > worst) worst = tw, wname = p->name;
    }
    printf("# %-34s max err %.2e (%s)\n", what, worst, wname);
    free(g);
    return worst;
}

static void test_model_full(void)
{
    char dir[] = "/tmp/dp_test_dpo_XXXXXX";
    EXPECT(mkdtemp(dir) != NULL);
    struct dp_pool *pool = NULL;   /* tiny jobs: threads would only add wake-up latency */
    for (int tied = 0; tied < 2; tied++) {
        EXPECT(make_model(dir, tied, 5 + tied) == 0);
        for (int rec = 0; rec < 2; rec++) {
            struct dp_qt_opts o = {.prec = DP_PREC_F32, .recompute = rec, .vchunk = 16};
            struct dp_qt m;
            struct dp_error e;
            int rc = dp_qt_load(&m, dir, &o, pool, &e);
            EXPECT(rc == 0);
            if (rc) {
                fprintf(stderr, "%s\n", e.msg);
                continue;
            }
            char what[64];
            snprintf(what, sizeof what, "full %s %s", tied ? "tied" : "untied", rec ? "recompute" : "kept");
            EXPECT(check_model(&m, what) < 2e-2);
            dp_qt_free(&m);
        }
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    EXPECT(system(cmd) == 0);
}

static void test_model_lora(void)
{
    char dir[] = "/tmp/dp_test_dpo_XXXXXX";
    EXPECT(mkdtemp(dir) != NULL);
    EXPECT(make_model(dir, false, 11) == 0);
    struct dp_pool *pool = dp_pool_create(2);   /* once with threads */
    struct dp_qt_opts o = {.prec = DP_PREC_F32, .lora_rank = 3, .lora_alpha = 6, .lora_targets = 0x7f,
                           .seed = 3, .lora_b_std = 0.3f};
    struct dp_qt m;
    struct dp_error e;
    EXPECT(dp_qt_load(&m, dir, &o, pool, &e) == 0);
    EXPECT(m.ntab == 2 * 7 * 2);
    EXPECT(check_model(&m, "lora r3 all targets") < 2e-2);
    dp_qt_free(&m);
    o.recompute = true;
    o.lora_targets = (1u << DP_LORA_Q) | (1u << DP_LORA_DOWN);
    EXPECT(dp_qt_load(&m, dir, &o, pool, &e) == 0);
    EXPECT(check_model(&m, "lora q,down recompute") < 2e-2);
    dp_qt_free(&m);
    /* tied head: the embedding rows come from the packed head */
    EXPECT(make_model(dir, true, 12) == 0);
    o.recompute = false;
    o.lora_targets = (1u << DP_LORA_V) | (1u << DP_LORA_UP);
    EXPECT(dp_qt_load(&m, dir, &o, pool, &e) == 0);
    EXPECT(m.embed == NULL);
    EXPECT(check_model(&m, "lora v,up tied") < 2e-2);
    dp_qt_free(&m);
    dp_pool_free(pool);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    EXPECT(system(cmd) == 0);
}

int main(int argc, char **argv)
{
    if (argc > 1) return parity_main(argc, argv);
    RUN(test_losses);
    RUN(test_adamw_schedule);
    RUN(test_model_full);
    RUN(test_model_lora);
    TEST_END();
}

int parity_main(int argc, char **argv)
{
    fprintf(stderr, "usage: test_dpo (no arguments)\n");
    return argc > 0 ? 2 : 2;
}
