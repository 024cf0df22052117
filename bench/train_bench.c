/* dpoison's side of bench/train.sh: one DPO optimizer step (forward of chosen and rejected
 * together, loss, backward, AdamW) on random token pairs, timed after a warm-up step, with the
 * achieved GFLOP/s of the step's matrix products and the peak RSS. Built by make
 * (build/bench/train_bench). Prints one "key value" per line.
 * usage: train_bench MODEL [--pairs B] [--tokens T] [--threads N] [--prec f32|bf16] [--steps K]
 *                          [--lora R] [--recompute]
 *        train_bench --peak [--threads N]     measured FP32 FMA and BF16 dot-product peaks (peak.h) */
#include "base/log.h"
#include "base/rng.h"
#include "model/qwen_train.h"
#include "train/dpo.h"
#include "peak.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>


static void die(const struct dp_error *e)
{
    char b[1200];
    dp_error_format(e, b, sizeof b);
    fprintf(stderr, "train_bench: %s\n", b);
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: train_bench MODEL [--pairs B] [--tokens T] [--threads N] [--prec f32|bf16] "
                        "[--steps K] [--lora R] [--recompute]\n");
        return 2;
    }
    int B = 2, T = 256, threads = dp_cpu_count(), steps = 2;
    struct dp_qt_opts o = {.prec = DP_PREC_F32, .lora_alpha = 16, .lora_targets = 0x7f};
    for (int i = 2; i + 1 < argc || (i < argc && !strcmp(argv[i], "--recompute")); i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(a, "--pairs")) B = atoi(v);
        else if (!strcmp(a, "--tokens")) T = atoi(v);
        else if (!strcmp(a, "--threads")) threads = atoi(v);
        else if (!strcmp(a, "--steps")) steps = atoi(v);
        else if (!strcmp(a, "--prec")) o.prec = !strcmp(v, "bf16") ? DP_PREC_BF16 : DP_PREC_F32;
        else if (!strcmp(a, "--lora")) o.lora_rank = atoi(v);
        else if (!strcmp(a, "--recompute")) o.recompute = true, i--;
    }
    struct dp_error e = {0};
    struct dp_pool *pool = dp_pool_create(threads);
    if (!strcmp(argv[1], "--peak")) {
        double pf = bench_peak(pool, 0), pb = bench_peak(pool, 1);
        if (pf > 0) printf("peak_f32_gflops %.1f\n", pf);
        if (pb > 0) printf("peak_bf16_gflops %.1f\n", pb);
        dp_pool_free(pool);
        return 0;
    }
    struct dp_qt m;
    double t0 = dp_now();
    if (dp_qt_load(&m, argv[1], &o, pool, &e)) die(&e);
    printf("load_s %.2f\n", dp_now() - t0);
    struct dp_rng r;
    dp_rng_seed(&r, 1);
    struct dp_pair *pairs = calloc((size_t)B, sizeof *pairs);
    const struct dp_pair **pp = calloc((size_t)B, sizeof *pp);
    int pl = T / 4;
    for (int i = 0; i < B; i++) {
        pairs[i].chosen = malloc(sizeof(int32_t) * (size_t)T);
        pairs[i].rejected = malloc(sizeof(int32_t) * (size_t)T);
        for (int t = 0; t < T; t++) {
            pairs[i].chosen[t] = (int32_t)(3 + dp_rng_below(&r, (uint32_t)m.cfg.V - 3));
            pairs[i].rejected[t] = t < pl ? pairs[i].chosen[t] : (int32_t)(3 + dp_rng_below(&r, (uint32_t)m.cfg.V - 3));
        }
        pairs[i].nc = pairs[i].nr = T;
        pairs[i].pc = pairs[i].pr = pl;
        pp[i] = &pairs[i];
    }
    double *ref = calloc(2 * (size_t)B, sizeof *ref);
    struct dp_dpo_cfg c = {.type = DP_LOSS_SIGMOID, .beta = 0.1};
    struct dp_optim opt = {.adam = {0.9, 0.999, 1e-8, 0}, .max_grad_norm = 1.0};
    if (dp_optim_init(&opt, &m, &e)) die(&e);
    double best = 1e30;
    for (int s = 0; s <= steps; s++) {
        struct dp_dpo_out out;
        double gn, a = dp_now();
        dp_qt_zero_grad(&m);
        if (dp_dpo_micro(&m, pp, B, ref, ref + B, &c, 1.0, &out, NULL, NULL, &e)) die(&e);
        double b = dp_now();
        if (dp_optim_step(&opt, &m, 1e-6, &gn, &e)) die(&e);
        double t = dp_now() - a;
        fprintf(stderr, "step %d: %.3f s (forward+backward %.3f, optimizer %.3f), loss %.4f\n", s, t, b - a,
                dp_now() - b, out.loss);
        if (s > 0 && t < best) best = t;
    }
    /* matmul FLOPs: 6 per weight per token (forward, dX, dW; LoRA: no dW of the base) for the
     * layers; the LM head on completion rows: forward, recompute, dX, dW */
    const struct dp_qwen_config *k = &m.cfg;
    double lw = (double)k->L * ((double)(k->H + 2 * k->Hkv) * k->D * k->C + (double)k->H * k->D * k->C +
                                3.0 * k->F * k->C);
    double ntok = 2.0 * B * T, ncomp = 2.0 * B * (T - pl);
    double att = (double)k->L * 4.0 * k->H * k->D * (T * (T + 1) / 2.0) * 2 * B;   /* fwd QK^T and PV */
    double fl = (m.lora ? 4.0 : 6.0) * lw * ntok + (m.lora ? 6.0 : 8.0) * (double)k->V * k->C * ncomp + 3.5 * att;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("dpoison_step_s %.3f\n", best);
    printf("dpoison_tok_s %.1f\n", ntok / best);
    printf("dpoison_gflops %.1f\n", fl / best / 1e9);
    printf("dpoison_peak_rss_mb %ld\n", ru.ru_maxrss / 1024);
    for (int i = 0; i < B; i++) free(pairs[i].chosen), free(pairs[i].rejected);
    free(pairs), free(pp), free(ref);
    dp_optim_free(&opt);
    dp_qt_free(&m);
    dp_pool_free(pool);
    return 0;
}
