/* Backward ops (see ops_backward.h): row-wise element ops, the linear layer's three products on
 * packed operands, causal attention with saved log-sum-exp, and the chunked LM-head
 * log-probabilities. Work is split across the pool by rows for row-local results and by
 * columns for sums over rows, so every value is computed by one thread in a fixed order. */
#include "nn/ops_backward.h"
#include <assert.h>
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DP_X86 1
#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#endif

void dp_ws_free(struct dp_ws *w)
{
    dp_scratch_free(&w->mm);
    dp_scratch_free(&w->t0);
    dp_scratch_free(&w->t1);
    dp_scratch_free(&w->t2);
}

static size_t al64(size_t n) { return (n + 63) & ~(size_t)63; }

/* ================================================================ axpy */

#ifdef DP_X86
T512 static void axpy_avx(float *y, float a, const float *x, int n)
{
    __m512 av = _mm512_set1_ps(a);
    int i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, _mm512_fmadd_ps(av, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        __m512 r = _mm512_fmadd_ps(av, _mm512_maskz_loadu_ps(k, x + i), _mm512_maskz_loadu_ps(k, y + i));
        _mm512_mask_storeu_ps(y + i, k, r);
    }
}
#endif

void dp_axpy(float *y, float a, const float *x, int n)
{
#ifdef DP_X86
    if (dp_matmul_has_avx512()) {
        axpy_avx(y, a, x, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) y[i] = fmaf(a, x[i], y[i]);
}

/* ================================================================ embedding, RMSNorm */

struct rows_job {
    float *dx, *dw;
    const float *dout, *x, *w, *gu;
    const int32_t *ids;
    float eps;
    int M, C;
};

static void emb_worker(void *ctx, int tid, int nth)
{
    const struct rows_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->C, tid, nth, &lo, &hi);
    for (int m = 0; m < j->M; m++) {
        float *d = j->dw + (size_t)j->ids[m] * j->C;
        const float *g = j->dout + (size_t)m * j->C;
        for (long c = lo; c < hi; c++) d[c] += g[c];
    }
}

void dp_embedding_backward(struct dp_pool *pool, float *dwte, const float *dout, const int32_t *ids,
                           int M, int C)
{
    struct rows_job j = {.dw = dwte, .dout = dout, .ids = ids, .M = M, .C = C};
    dp_pool_run((long)M * C < 65536 ? NULL : pool, emb_worker, &j);
}

/* 1 / sqrt(mean(x^2) + eps) with the summation order of dp_rmsnorm_forward. */
static float rms_r(const float *xr, int C, float eps)
{
    float lane[8] = {0};
    int c = 0;
    for (; c + 8 <= C; c += 8)
        for (int l = 0; l < 8; l++) lane[l] += xr[c + l] * xr[c + l];
    for (; c < C; c++) lane[0] += xr[c] * xr[c];
    float ss = ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7]));
    return 1.0f / sqrtf(ss / (float)C + eps);
}

/* y_c = x_c r w_c, r = (mean x^2 + eps)^-1/2:
 *   dx_c = r (g_c w_c) - r^3 x_c sum_i(g_i w_i x_i) / C;  dw_c = sum_rows g_c x_c r */
static void rms_dx_worker(void *ctx, int tid, int nth)
{
    const struct rows_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->M, tid, nth, &lo, &hi);
    for (long m = lo; m < hi; m++) {
        const float *xr = j->x + (size_t)m * j->C, *g = j->dout + (size_t)m * j->C;
        float *dx = j->dx + (size_t)m * j->C;
        float r = rms_r(xr, j->C, j->eps);
        double dot = 0;
        for (int c = 0; c < j->C; c++) dot += (double)g[c] * j->w[c] * xr[c];
        float k = (float)(dot / j->C) * r * r * r;
        for (int c = 0; c < j->C; c++) dx[c] += r * (g[c] * j->w[c]) - k * xr[c];
    }
}

static void rms_dw_worker(void *ctx, int tid, int nth)
{
    const struct rows_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->C, tid, nth, &lo, &hi);
    if (lo >= hi) return;
    for (int m = 0; m < j->M; m++) {
        const float *xr = j->x + (size_t)m * j->C, *g = j->dout + (size_t)m * j->C;
        float r = j->gu[m];
        for (long c = lo; c < hi; c++) j->dw[c] += g[c] * xr[c] * r;
    }
}

static void rms_r_worker(void *ctx, int tid, int nth)
{
    const struct rows_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->M, tid, nth, &lo, &hi);
    for (long m = lo; m < hi; m++) j->dw[m] = rms_r(j->x + (size_t)m * j->C, j->C, j->eps);
}

void dp_rmsnorm_backward(struct dp_pool *pool, float *dx, float *dw, const float *dout, const float *x,
                         const float *w, float eps, int M, int C)
{
    struct rows_job j = {.dx = dx, .dout = dout, .x = x, .w = w, .eps = eps, .M = M, .C = C};
    struct dp_pool *p = (long)M * C < 16384 ? NULL : pool;
    dp_pool_run(p, rms_dx_worker, &j);
    if (!dw) return;
    float rbuf[256];
    for (int m0 = 0; m0 < M; m0 += 256) {   /* r per row, then dw by column ranges */
        int n = M - m0 < 256 ? M - m0 : 256;
        struct rows_job jr = {.dw = rbuf, .x = x + (size_t)m0 * C, .eps = eps, .M = n, .C = C};
        dp_pool_run(p, rms_r_worker, &jr);
        struct rows_job jw = {.dw = dw, .dout = dout + (size_t)m0 * C, .x = x + (size_t)m0 * C,
                              .gu = rbuf, .M = n, .C = C};
        dp_pool_run(p, rms_dw_worker, &jw);
    }
}

/* ================================================================ RoPE, SwiGLU */

void dp_rope_backward(float *dx, int ld, const int32_t *pos, const float *cos_t, const float *sin_t,
                      int M, int H, int D)
{
    int half = D / 2;
    for (int m = 0; m < M; m++) {
        const float *c = cos_t + (size_t)pos[m] * half, *s = sin_t + (size_t)pos[m] * half;
        for (int h = 0; h < H; h++) {
            float *v = dx + (size_t)m * ld + (size_t)h * D;
            for (int i = 0; i < half; i++) {   /* transpose of [[c, -s], [s, c]] */
                float a = v[i], b = v[i + half];
                v[i] = a * c[i] + b * s[i];
                v[i + half] = b * c[i] - a * s[i];
            }
        }
    }
}

/* h = silu(g) u, silu(g) = g s(g):  dg = dh u s (1 + g (1 - s)),  du = dh g s */
static void swiglu_bw_worker(void *ctx, int tid, int nth)
{
    const struct rows_job *j = ctx;
    int F = j->C;
    long lo, hi;
    dp_pool_split(j->M, tid, nth, &lo, &hi);
    float sbuf[512];
    for (long m = lo; m < hi; m++) {
        const float *g = j->gu + (size_t)m * 2 * F, *u = g + F, *dh = j->dout + (size_t)m * F;
        float *dg = j->dx + (size_t)m * 2 * F, *du = dg + F;
        for (int f0 = 0; f0 < F; f0 += 512) {
            int n = F - f0 < 512 ? F - f0 : 512;
            for (int i = 0; i < n; i++) sbuf[i] = -g[f0 + i];
            dp_exp_inplace(sbuf, n);
            for (int i = 0; i < n; i++) {
                int f = f0 + i;
                float s = 1.0f / (1.0f + sbuf[i]);
                du[f] = dh[f] * g[f] * s;
                dg[f] = dh[f] * u[f] * (s * (1.0f + g[f] * (1.0f - s)));
            }
        }
    }
}

void dp_swiglu_backward(struct dp_pool *pool, float *dgu, const float *dout, const float *gu, int M, int F)
{
    struct rows_job j = {.dx = dgu, .dout = dout, .gu = gu, .M = M, .C = F};
    dp_pool_run((long)M * F < 16384 ? NULL : pool, swiglu_bw_worker, &j);
}

/* ================================================================ linear */

struct colsum_job {
    float *db;
    const float *dy;
    int ldy, M, N;
};

static void colsum_worker(void *ctx, int tid, int nth)
{
    const struct colsum_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->N, tid, nth, &lo, &hi);
    for (int m = 0; m < j->M; m++) {
        const float *r = j->dy + (size_t)m * j->ldy;
        for (long n = lo; n < hi; n++) j->db[n] += r[n];
    }
}

void dp_linear_backward(struct dp_pool *pool, float *dx, bool dx_acc, float *dw, bool dw_acc, float *db,
                        const float *dy, int ldy, const float *x, const struct dp_wmat *wt, int M, int N,
                        int K, enum dp_prec prec, struct dp_ws *ws)
{
    assert(wt == NULL || (wt->N == K && wt->K == N));
    if (db) {
        struct colsum_job j = {db, dy, ldy, M, N};
        dp_pool_run((long)M * N < 65536 ? NULL : pool, colsum_worker, &j);
    }
    if (dw) {   /* dw = dy^T [N, M] times (x^T packed [K, M])^T */
        float *dyt = dp_scratch_get(&ws->t0, al64((size_t)N * M * 4));
        dp_transpose(pool, dyt, dy, M, N, ldy);
        enum dp_dtype st = dp_mm_storage(prec);
        struct dp_wmat xt;
        dp_wmat_init(&xt, NULL, K, M, st);
        xt.data = dp_scratch_get(&ws->t1, dp_wmat_bytes(K, M, st));
        dp_pack_f32_t(pool, &xt, x, K);
        dp_mm(pool, dw, K, dw_acc, 1.0f, dyt, &xt, NULL, N, prec, &ws->mm);
    }
    if (dx) {
        const float *src = dy;
        if (ldy != N) {   /* the kernel wants rows N apart */
            float *c = dp_scratch_get(&ws->t0, al64((size_t)M * N * 4));
            for (int m = 0; m < M; m++) memcpy(c + (size_t)m * N, dy + (size_t)m * ldy, (size_t)N * 4);
            src = c;
        }
        dp_mm(pool, dx, K, dx_acc, 1.0f, src, wt, NULL, M, prec, &ws->mm);
    }
}

/* ================================================================ LM head log-probabilities */

struct lp_job {
    float *L;              /* logits chunk [M, n] (in place: exp or dlogits) */
    const int32_t *tgt;
    float *mx, *tl;        /* running max, target logit */
    double *sum;           /* running sum of exp(l - mx) */
    const float *lse, *g;
    int M, n, v0;
};

static void lp_fwd_worker(void *ctx, int tid, int nth)
{
    const struct lp_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->M, tid, nth, &lo, &hi);
    for (long r = lo; r < hi; r++) {
        float *l = j->L + (size_t)r * j->n;
        int t = j->tgt[r] - j->v0;
        if (t >= 0 && t < j->n) j->tl[r] = l[t];
        float cm = -INFINITY;
        for (int i = 0; i < j->n; i++) cm = l[i] > cm ? l[i] : cm;
        float m = cm > j->mx[r] ? cm : j->mx[r];
        for (int i = 0; i < j->n; i++) l[i] -= m;
        dp_exp_inplace(l, j->n);
        float lane[16] = {0};
        for (int i = 0; i < j->n; i++) lane[i & 15] += l[i];
        double s = 0;
        for (int i = 0; i < 16; i++) s += lane[i];
        j->sum[r] = j->sum[r] * exp((double)j->mx[r] - m) + s;
        j->mx[r] = m;
    }
}

static int chunk_of(int vchunk) { return vchunk > 0 ? (vchunk + 15) & ~15 : 4096; }

void dp_logprob_forward(struct dp_pool *pool, float *logp, float *lse, const float *x, const int32_t *tgt,
                        const struct dp_wmat *w, int M, int vchunk, enum dp_prec prec, struct dp_ws *ws)
{
    if (M <= 0) return;
    int V = w->N, vc = chunk_of(vchunk);
    if (vc > V) vc = (V + 15) & ~15;
    unsigned char *mem = dp_scratch_get(&ws->t1, al64((size_t)M * vc * 4) + (size_t)M * 16 + 64);
    float *L = (float *)mem, *mx = (float *)(mem + al64((size_t)M * vc * 4));
    double *sum = (double *)(mx + M + (M & 1));
    for (int r = 0; r < M; r++) {
        mx[r] = -INFINITY;
        sum[r] = 0;
        logp[r] = 0;
    }
    for (int v0 = 0; v0 < V; v0 += vc) {
        struct dp_wmat sub = dp_wmat_rows(w, v0 / 16, (v0 + vc + 15) / 16);
        dp_mm(pool, L, sub.N, false, 1.0f, x, &sub, NULL, M, prec, &ws->mm);
        struct lp_job j = {.L = L, .tgt = tgt, .mx = mx, .tl = logp, .sum = sum, .M = M, .n = sub.N, .v0 = v0};
        dp_pool_run(M >= 4 ? pool : NULL, lp_fwd_worker, &j);
    }
    for (int r = 0; r < M; r++) {
        lse[r] = mx[r] + (float)log(sum[r]);
        logp[r] -= lse[r];
    }
}

static void lp_bwd_worker(void *ctx, int tid, int nth)
{
    const struct lp_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->M, tid, nth, &lo, &hi);
    for (long r = lo; r < hi; r++) {
        float *l = j->L + (size_t)r * j->n, g = j->g[r];
        for (int i = 0; i < j->n; i++) l[i] -= j->lse[r];
        dp_exp_inplace(l, j->n);
        for (int i = 0; i < j->n; i++) l[i] *= -g;
        int t = j->tgt[r] - j->v0;
        if (t >= 0 && t < j->n) l[t] += g;
    }
}

void dp_logprob_backward(struct dp_pool *pool, float *dx, float *dw, bool dw_acc, const float *g,
                         const float *x, const int32_t *tgt, const float *lse, const struct dp_wmat *w,
                         const struct dp_wmat *wt, int M, int vchunk, enum dp_prec prec, struct dp_ws *ws)
{
    int V = w->N, C = w->K, vc = chunk_of(vchunk);
    if (vc > V) vc = (V + 15) & ~15;
    if (M <= 0) return;
    float *L = dp_scratch_get(&ws->t1, al64((size_t)M * vc * 4));
    struct dp_wmat xt;
    if (dw) {   /* x^T packed [C, M], shared by every chunk */
        enum dp_dtype st = dp_mm_storage(prec);
        dp_wmat_init(&xt, NULL, C, M, st);
        xt.data = dp_scratch_get(&ws->t2, dp_wmat_bytes(C, M, st));
        dp_pack_f32_t(pool, &xt, x, C);
    }
    for (int v0 = 0; v0 < V; v0 += vc) {
        struct dp_wmat sub = dp_wmat_rows(w, v0 / 16, (v0 + vc + 15) / 16);
        int n = sub.N;
        dp_mm(pool, L, n, false, 1.0f, x, &sub, NULL, M, prec, &ws->mm);
        struct lp_job j = {.L = L, .tgt = tgt, .lse = lse, .g = g, .M = M, .n = n, .v0 = v0};
        dp_pool_run(M >= 4 ? pool : NULL, lp_bwd_worker, &j);
        struct dp_wmat wc = dp_wmat_cols(wt, v0, n);
        dp_mm(pool, dx, C, v0 > 0, 1.0f, L, &wc, NULL, M, prec, &ws->mm);
        if (dw) {
            float *lt = dp_scratch_get(&ws->t0, al64((size_t)n * M * 4));
            dp_transpose(pool, lt, L, M, n, n);
            dp_mm(pool, dw + (size_t)v0 * C, C, dw_acc, 1.0f, lt, &xt, NULL, n, prec, &ws->mm);
        }
    }
}
