/* dpoison's side of bench/generate.sh: loads a model folder and measures, on random token ids,
 * prefill tokens/s for a P-token prompt, decode tokens/s at batch 1, and decode throughput at
 * batch B (each sequence after a short prompt), each the best of a few runs, then peak RSS.
 * Built by make (build/bench/gen_bench). Prints one "key value" per line:
 * - keys ending in _cpu divide by the process CPU time over the thread count instead of wall
 *   time, an estimate of the rate on an idle machine when other jobs share the CPUs (the pool's
 *   threads spin while they wait);
 * - read_gb_s: the read bandwidth over the weights with the same threads (a batch-1 decode step
 *   reads every weight once: its bound is read_gb_s over weights_mb);
 * - peak_gflops: the peak of the arithmetic the products use (BF16 dot products, or FP32 FMAs
 *   with --prec f32; peak.h). It and the bandwidth are measured before the runs and after them,
 *   the higher kept: other jobs move both (peak_gflops_first, _last);
 * - layer_mflop_tok, head_mflop_tok: the matrix products' work per token in the layers and in the
 *   LM head, from which the script derives what the peak allows;
 * - prof_{prefill,decodeB}_{products,head,attn,rows}_ms: where the time of one more prefill and
 *   of one decode step at batch B goes (dp_qwen_state.prof), timed in runs of their own.
 * usage: gen_bench MODEL [--threads N] [--prec bf16|f32] [--prompt P] [--steps S] [--batch B] */
#include "base/log.h"
#include "base/rng.h"
#include "model/qwen.h"
#include "peak.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(const struct dp_error *e)
{
    char buf[1200];
    dp_error_format(e, buf, sizeof buf);
    fprintf(stderr, "gen_bench: %s\n", buf);
    exit(1);
}

/* The first index of the largest value (the harness's token choice, as torch.argmax): the maximum
 * over 16 lanes (a loop the compiler vectorizes), then its first position. */
static int argmax(const float *x, int n)
{
    float lane[16];
    for (int l = 0; l < 16; l++) lane[l] = x[0];
    int i = 0;
    for (; i + 16 <= n; i += 16)
        for (int l = 0; l < 16; l++) lane[l] = x[i + l] > lane[l] ? x[i + l] : lane[l];
    float mx = lane[0];
    for (int l = 1; l < 16; l++) mx = lane[l] > mx ? lane[l] : mx;
    for (; i < n; i++) mx = x[i] > mx ? x[i] : mx;
    for (i = 0; i < n; i++)
        if (x[i] == mx) return i;
    return 0;
}

/* Read bandwidth over the weights with the pool's threads (what a batch-1 decode step streams):
 * pieces of 1 MB xor-reduced in 64-byte vectors. */
typedef uint64_t v8u64 __attribute__((vector_size(64)));
struct bw_job { const unsigned char *p; size_t n; v8u64 acc[64]; };

static void bw_piece(void *ctx, long lo, long hi, int tid)
{
    struct bw_job *j = ctx;
    v8u64 a = {0}, b = {0};
    size_t end = (size_t)hi << 20 < j->n ? (size_t)hi << 20 : j->n;
    for (size_t o = (size_t)lo << 20; o + 128 <= end; o += 128) {
        v8u64 x, y;
        memcpy(&x, j->p + o, 64);
        memcpy(&y, j->p + o + 64, 64);
        a ^= x;
        b ^= y;
    }
    j->acc[tid & 63] ^= a ^ b;
}

static double weight_bandwidth(const struct dp_qwen *m, struct dp_pool *pool)
{
    struct bw_job j = {.p = m->mem, .n = m->mem_bytes};
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = dp_now();
        dp_pool_run_range(pool, (long)((j.n + (1 << 20) - 1) >> 20), 1, bw_piece, &j);
        double dt = dp_now() - t0;
        if (dt < best) best = dt;
    }
    return (double)j.n / best;
}

/* Decodes steps tokens in B slots after a short prompt each; returns tokens/s of the decode
 * (and per CPU second over the threads in *cpu_rate). */
static double decode(const struct dp_qwen *m, struct dp_qwen_state *s, struct dp_pool *pool,
                     enum dp_prec prec, int B, int steps, struct dp_rng *r, double *cpu_rate)
{
    struct dp_error e = {0};
    int V = m->cfg.V, plen = 16;
    int *slot = malloc(sizeof(int) * B), *nt = malloc(sizeof(int) * B);
    int32_t *tok = malloc(sizeof(int32_t) * B * plen);
    float *lg = malloc((size_t)B * V * 4);
    for (int b = 0; b < B; b++) {
        slot[b] = b;
        nt[b] = plen;
        dp_qwen_state_reset(s, b);
    }
    for (int i = 0; i < B * plen; i++) tok[i] = (int32_t)dp_rng_below(r, (uint32_t)V);
    if (dp_qwen_forward(m, s, pool, prec, B, slot, nt, tok, lg, false, &e)) die(&e);
    if (s->prof) memset(s->prof, 0, DP_QPROF_N * sizeof *s->prof);   /* the steps' profile only */
    double t0 = dp_now(), c0 = cpu_now();
    for (int st = 0; st < steps; st++) {
        for (int b = 0; b < B; b++) {
            nt[b] = 1;
            tok[b] = argmax(lg + (size_t)b * V, V);
        }
        if (dp_qwen_forward(m, s, pool, prec, B, slot, nt, tok, lg, false, &e)) die(&e);
    }
    double dt = dp_now() - t0, dc = (cpu_now() - c0) / dp_pool_size(pool);
    free(slot), free(nt), free(tok), free(lg);
    if (cpu_rate) *cpu_rate = (double)B * steps / dc;
    return (double)B * steps / dt;
}

/* The best of three decode runs (rate and CPU rate each): other jobs on the machine only ever
 * slow a run down. */
static double best_decode(const struct dp_qwen *m, struct dp_qwen_state *s, struct dp_pool *pool,
                          enum dp_prec prec, int B, int steps, struct dp_rng *r, double *cpu_rate)
{
    double best = 0, c;
    *cpu_rate = 0;
    for (int rep = 0; rep < 3; rep++) {
        double v = decode(m, s, pool, prec, B, steps, r, &c);
        best = v > best ? v : best;
        *cpu_rate = c > *cpu_rate ? c : *cpu_rate;
    }
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_bench MODEL [--threads N] [--prec bf16|f32] [--prompt P] [--steps S] [--batch B]\n");
        return 2;
    }
    int threads = dp_cpu_count(), P = 512, steps = 64, B = 16;
    enum dp_prec prec = DP_PREC_BF16;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--threads")) threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--prec")) prec = strcmp(argv[i + 1], "f32") ? DP_PREC_BF16 : DP_PREC_F32;
        else if (!strcmp(argv[i], "--prompt")) P = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--steps")) steps = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) B = atoi(argv[i + 1]);
    }
    struct dp_error e = {0};
    struct dp_pool *pool = dp_pool_create(threads);
    struct dp_qwen m;
    double t0 = dp_now();
    if (dp_qwen_load(&m, argv[1], pool, &e)) die(&e);
    printf("load_s %.2f\n", dp_now() - t0);
    if (getenv("GEN_BENCH_RSS")) {   /* peak after loading, for diagnosis */
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        fprintf(stderr, "rss after load: peak %.0f MB\n", ru.ru_maxrss / 1024.0);
    }
    /* the machine's peak and bandwidth, again at the end: other jobs move them */
    double peak0 = bench_peak(pool, prec == DP_PREC_BF16), bw0 = weight_bandwidth(&m, pool);
    struct dp_qwen_state s;
    int ctx = P > 16 + steps ? P : 16 + steps;
    if (dp_qwen_state_init(&s, &m, B, ctx + 16, 512, threads, &e)) die(&e);
    struct dp_rng r;
    dp_rng_seed(&r, 1);
    int32_t *ids = malloc(sizeof(int32_t) * P);
    for (int i = 0; i < P; i++) ids[i] = (int32_t)dp_rng_below(&r, (uint32_t)m.cfg.V);
    float *lg = malloc((size_t)m.cfg.V * 4);
    int slot = 0;
    double best = 1e30, bestc = 1e30, c1, c16;
    for (int rep = 0; rep < 3; rep++) {   /* the first run also touches the buffers */
        dp_qwen_state_reset(&s, 0);
        t0 = dp_now();
        double c0 = cpu_now();
        if (dp_qwen_forward(&m, &s, pool, prec, 1, &slot, &P, ids, lg, false, &e)) die(&e);
        double dt = dp_now() - t0, dc = (cpu_now() - c0) / threads;
        if (rep && dt < best) best = dt;
        if (rep && dc < bestc) bestc = dc;
    }
    decode(&m, &s, pool, prec, 1, 4, &r, NULL);   /* warm */
    double d1 = best_decode(&m, &s, pool, prec, 1, steps, &r, &c1);
    double dB = best_decode(&m, &s, pool, prec, B, steps, &r, &c16);
    double bw = weight_bandwidth(&m, pool);
    bw = bw > bw0 ? bw : bw0;
    /* the profiles, in runs of their own so that their clock reads cost the rates nothing */
    static const char *part[DP_QPROF_N] = {"products", "head", "attn", "rows"};
    double prof[DP_QPROF_N] = {0};
    s.prof = prof;
    dp_qwen_state_reset(&s, 0);
    if (dp_qwen_forward(&m, &s, pool, prec, 1, &slot, &P, ids, lg, false, &e)) die(&e);
    for (int i = 0; i < DP_QPROF_N; i++) printf("prof_prefill_%s_ms %.2f\n", part[i], prof[i] * 1e3);
    decode(&m, &s, pool, prec, B, steps, &r, NULL);
    s.prof = NULL;
    for (int i = 0; i < DP_QPROF_N; i++) printf("prof_decode%d_%s_ms %.2f\n", B, part[i], prof[i] * 1e3 / steps);
    printf("prompt_tokens %d\n", P);
    printf("prefill_tok_s %.1f\n", P / best);
    printf("decode1_tok_s %.2f\n", d1);
    printf("decode%d_tok_s %.2f\n", B, dB);
    printf("prefill_tok_s_cpu %.1f\n", P / bestc);
    printf("decode1_tok_s_cpu %.2f\n", c1);
    printf("decode%d_tok_s_cpu %.2f\n", B, c16);
    printf("weights_mb %.3f\n", m.mem_bytes / 1048576.0);
    printf("read_gb_s %.1f\n", bw / 1e9);
    double lf = 0;
    for (int l = 0; l < m.cfg.L; l++) {
        const struct dp_qwen_layer *ly = &m.layers[l];
        lf += 2.0 * ((double)ly->qkv.N * ly->qkv.K + (double)ly->o.N * ly->o.K +
                     (double)ly->gu.N * ly->gu.K + (double)ly->down.N * ly->down.K);
    }
    printf("layer_mflop_tok %.6g\n", lf / 1e6);
    printf("head_mflop_tok %.6g\n", 2.0 * m.lm_head.N * m.lm_head.K / 1e6);
    double peak1 = bench_peak(pool, prec == DP_PREC_BF16);
    printf("peak_gflops %.1f\n", peak0 > peak1 ? peak0 : peak1);
    printf("peak_gflops_first %.1f\npeak_gflops_last %.1f\n", peak0, peak1);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mb %.0f\n", ru.ru_maxrss / 1024.0);
    free(ids), free(lg);
    dp_qwen_state_free(&s);
    dp_qwen_free(&m);
    dp_pool_free(pool);
    return 0;
}
