/* Causal self-attention for training (see ops_backward.h): per (sequence, head) the forward
 * keeps only the log-sum-exp of each query; the backward, per (sequence, kv group), recomputes
 * the probabilities and accumulates the group's dK and dV over its query heads, so no two
 * threads write the same value. Keys and values are transposed into [D, Tp] rows so scores
 * are vectors over keys; AVX-512 versions of the three inner loops when D is a multiple of 16,
 * portable loops otherwise. Scores are summed over d in the same order in both passes. */
#include "nn/ops_backward.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DP_X86 1
#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#define INL inline __attribute__((always_inline))
#endif

static size_t al64(size_t n) { return (n + 63) & ~(size_t)63; }

struct attn_job {
    float *out, *lse, *dqkv;
    const float *qkv, *dout, *fout, *flse;
    const struct dp_attn *a;
    int nseq, njobs, Tp, avx;
    const int *row0, *len;
    float *scratch;
    size_t per_thread;     /* floats of scratch per thread */
    long next;
};

/* kt[d][j] = row j's D values at col (keys or values of a group), rows Tp floats. */
static void load_t(float *kt, const float *qkv, int ldq, int col, int T, int Tp, int D)
{
    for (int j = 0; j < T; j++) {
        const float *k = qkv + (size_t)j * ldq + col;
        for (int d = 0; d < D; d++) kt[(size_t)d * Tp + j] = k[d];
    }
}

/* ================================================================ inner loops */

/* s[0..n) = scale * sum_d q[d] kt[d][j], sequential over d. */
static void scores_c(float *s, const float *q, const float *kt, int Tp, int D, int n, float scale)
{
    memset(s, 0, (size_t)n * 4);
    for (int d = 0; d < D; d++)
        for (int j = 0; j < n; j++) s[j] = fmaf(q[d], kt[(size_t)d * Tp + j], s[j]);
    for (int j = 0; j < n; j++) s[j] *= scale;
}

/* o[0..D) = sum_j p[j] v_j (rows ldq apart) */
static void wsum_c(float *o, const float *p, const float *v, int ldq, int D, int n)
{
    memset(o, 0, (size_t)D * 4);
    for (int j = 0; j < n; j++)
        for (int d = 0; d < D; d++) o[d] = fmaf(p[j], v[(size_t)j * ldq + d], o[d]);
}

/* For keys j < n: ds = p (dp - delta) scale; dq += ds k_j; dk_j += ds q; dv_j += p go. */
static void bwd_c(float *dq, float *dk, float *dv, const float *p, const float *dp, float delta, float scale,
                  const float *k, int ldq, const float *q, const float *go, int D, int n)
{
    for (int j = 0; j < n; j++) {
        float ds = p[j] * (dp[j] - delta) * scale;
        for (int d = 0; d < D; d++) {
            dq[d] = fmaf(ds, k[(size_t)j * ldq + d], dq[d]);
            dk[(size_t)j * D + d] = fmaf(ds, q[d], dk[(size_t)j * D + d]);
            dv[(size_t)j * D + d] = fmaf(p[j], go[d], dv[(size_t)j * D + d]);
        }
    }
}

#ifdef DP_X86
T512 static void scores_avx(float *s, const float *q, const float *kt, int Tp, int D, int n, float scale)
{
    const __m512 sc = _mm512_set1_ps(scale);
    for (int j0 = 0; j0 < n; j0 += 64) {   /* Tp is a multiple of 64: whole blocks are readable */
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        for (int d = 0; d < D; d++) {
            __m512 qd = _mm512_set1_ps(q[d]);
            const float *r = kt + (size_t)d * Tp + j0;
            a0 = _mm512_fmadd_ps(qd, _mm512_loadu_ps(r), a0);
            a1 = _mm512_fmadd_ps(qd, _mm512_loadu_ps(r + 16), a1);
            a2 = _mm512_fmadd_ps(qd, _mm512_loadu_ps(r + 32), a2);
            a3 = _mm512_fmadd_ps(qd, _mm512_loadu_ps(r + 48), a3);
        }
        __m512 acc[4] = {a0, a1, a2, a3};
        for (int b = 0; b < 4; b++) {
            int j = j0 + 16 * b;
            if (j >= n) break;
            __mmask16 m = n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
            _mm512_mask_storeu_ps(s + j, m, _mm512_mul_ps(acc[b], sc));
        }
    }
}

T512 static INL void wsum_avx_d(const int DV, float *o, const float *p, const float *v, int ldq, int n)
{
    __m512 acc[16];
    for (int i = 0; i < DV; i++) acc[i] = _mm512_setzero_ps();
    for (int j = 0; j < n; j++) {
        __m512 pj = _mm512_set1_ps(p[j]);
        const float *vr = v + (size_t)j * ldq;
        for (int i = 0; i < DV; i++) acc[i] = _mm512_fmadd_ps(pj, _mm512_loadu_ps(vr + 16 * i), acc[i]);
    }
    for (int i = 0; i < DV; i++) _mm512_storeu_ps(o + 16 * i, acc[i]);
}

T512 static INL void bwd_avx_d(const int DV, float *dq, float *dk, float *dv, const float *p, const float *dp,
                               float delta, float scale, const float *k, int ldq, const float *q, const float *go,
                               int n)
{
    __m512 aq[16], qv[16], gv[16];
    for (int i = 0; i < DV; i++) {
        aq[i] = _mm512_loadu_ps(dq + 16 * i);
        qv[i] = _mm512_loadu_ps(q + 16 * i);
        gv[i] = _mm512_loadu_ps(go + 16 * i);
    }
    for (int j = 0; j < n; j++) {
        float dsf = p[j] * (dp[j] - delta) * scale;
        __m512 ds = _mm512_set1_ps(dsf), pj = _mm512_set1_ps(p[j]);
        const float *kr = k + (size_t)j * ldq;
        float *dkr = dk + (size_t)j * DV * 16, *dvr = dv + (size_t)j * DV * 16;
        for (int i = 0; i < DV; i++) {
            aq[i] = _mm512_fmadd_ps(ds, _mm512_loadu_ps(kr + 16 * i), aq[i]);
            _mm512_storeu_ps(dkr + 16 * i, _mm512_fmadd_ps(ds, qv[i], _mm512_loadu_ps(dkr + 16 * i)));
            _mm512_storeu_ps(dvr + 16 * i, _mm512_fmadd_ps(pj, gv[i], _mm512_loadu_ps(dvr + 16 * i)));
        }
    }
    for (int i = 0; i < DV; i++) _mm512_storeu_ps(dq + 16 * i, aq[i]);
}

T512 static void wsum_avx(float *o, const float *p, const float *v, int ldq, int D, int n)
{
    if (D == 64) wsum_avx_d(4, o, p, v, ldq, n);
    else if (D == 128) wsum_avx_d(8, o, p, v, ldq, n);
    else wsum_avx_d(D / 16, o, p, v, ldq, n);
}

T512 static void bwd_avx(float *dq, float *dk, float *dv, const float *p, const float *dp, float delta, float scale,
                         const float *k, int ldq, const float *q, const float *go, int D, int n)
{
    if (D == 64) bwd_avx_d(4, dq, dk, dv, p, dp, delta, scale, k, ldq, q, go, n);
    else if (D == 128) bwd_avx_d(8, dq, dk, dv, p, dp, delta, scale, k, ldq, q, go, n);
    else bwd_avx_d(D / 16, dq, dk, dv, p, dp, delta, scale, k, ldq, q, go, n);
}
#endif

static void scores(const struct attn_job *jb, float *s, const float *q, const float *kt, int D, int n, float scale)
{
#ifdef DP_X86
    if (jb->avx) {
        scores_avx(s, q, kt, jb->Tp, D, n, scale);
        return;
    }
#endif
    scores_c(s, q, kt, jb->Tp, D, n, scale);
}

/* ================================================================ forward */

static void attn_fwd_one(const struct attn_job *jb, int s, int h, float *buf)
{
    const struct dp_attn *a = jb->a;
    int T = jb->len[s], D = a->D, HD = a->H * D, g = h / (a->H / a->Hkv);
    const float *base = jb->qkv + (size_t)jb->row0[s] * a->ldq;
    float *kt = buf, *p = buf + (size_t)D * jb->Tp, scale = 1.0f / sqrtf((float)D);
    load_t(kt, base, a->ldq, a->k0 + g * D, T, jb->Tp, D);
    for (int t = 0; t < T; t++) {
        int n = t + 1;
        scores(jb, p, base + (size_t)t * a->ldq + a->q0 + h * D, kt, D, n, scale);
        float mx = -INFINITY;
        for (int j = 0; j < n; j++) mx = p[j] > mx ? p[j] : mx;
        for (int j = 0; j < n; j++) p[j] -= mx;
        dp_exp_inplace(p, n);
        double sum = 0;
        for (int j = 0; j < n; j++) sum += p[j];
        float inv = (float)(1.0 / sum);
        for (int j = 0; j < n; j++) p[j] *= inv;
        size_t row = (size_t)jb->row0[s] + t;
        float *o = jb->out + row * HD + (size_t)h * D;
        const float *v = base + a->v0 + g * D;
#ifdef DP_X86
        if (jb->avx) wsum_avx(o, p, v, a->ldq, D, n);
        else
#endif
            wsum_c(o, p, v, a->ldq, D, n);
        jb->lse[row * a->H + h] = mx + (float)log(sum);
    }
}

static void attn_fwd_worker(void *ctx, int tid, int nth)
{
    struct attn_job *jb = ctx;
    float *buf = jb->scratch + (size_t)tid * jb->per_thread;
    for (;;) {
        long i = __atomic_fetch_add(&jb->next, 1, __ATOMIC_RELAXED);
        if (i >= jb->njobs) break;
        attn_fwd_one(jb, (int)(i / jb->a->H), (int)(i % jb->a->H), buf);
    }
}

static void init_job(struct attn_job *jb, const struct dp_attn *a, int nseq, const int *row0, const int *len)
{
    int T = 1;
    for (int s = 0; s < nseq; s++) T = len[s] > T ? len[s] : T;
    jb->a = a, jb->nseq = nseq, jb->row0 = row0, jb->len = len;
    jb->Tp = (T + 63) & ~63;
#ifdef DP_X86
    jb->avx = dp_matmul_has_avx512() && a->D % 16 == 0 && a->D <= 256;
#endif
}

void dp_attention_forward(struct dp_pool *pool, float *out, float *lse, const float *qkv,
                          const struct dp_attn *a, int nseq, const int *row0, const int *len,
                          struct dp_ws *ws)
{
    struct attn_job jb = {.out = out, .lse = lse, .qkv = qkv, .njobs = nseq * a->H};
    init_job(&jb, a, nseq, row0, len);
    int nth = pool ? dp_pool_size(pool) : 1;
    jb.per_thread = al64((size_t)(a->D + 1) * jb.Tp * 4) / 4;
    jb.scratch = dp_scratch_get(&ws->t0, jb.per_thread * 4 * nth);
    dp_pool_run(jb.njobs > 1 ? pool : NULL, attn_fwd_worker, &jb);
}

/* ================================================================ backward */

/* One (sequence, kv group): every head of the group, then the group's dk, dv written. */
static void attn_bwd_one(const struct attn_job *jb, int s, int g, float *buf)
{
    const struct dp_attn *a = jb->a;
    int T = jb->len[s], D = a->D, HD = a->H * D, rep = a->H / a->Hkv, Tp = jb->Tp;
    size_t r0 = (size_t)jb->row0[s];
    const float *base = jb->qkv + r0 * a->ldq, *kb = base + a->k0 + g * D;
    float *kt = buf, *vt = kt + (size_t)D * Tp, *dk = vt + (size_t)D * Tp, *dv = dk + (size_t)T * D;
    float *p = dv + (size_t)T * D, *dp = p + Tp, scale = 1.0f / sqrtf((float)D);
    load_t(kt, base, a->ldq, a->k0 + g * D, T, Tp, D);
    load_t(vt, base, a->ldq, a->v0 + g * D, T, Tp, D);
    memset(dk, 0, (size_t)T * D * 4 * 2);
    for (int h = g * rep; h < (g + 1) * rep; h++)
        for (int t = 0; t < T; t++) {
            int n = t + 1;
            const float *q = base + (size_t)t * a->ldq + a->q0 + h * D;
            const float *go = jb->dout + (r0 + t) * HD + (size_t)h * D, *o = jb->fout + (r0 + t) * HD + (size_t)h * D;
            float lse = jb->flse[(r0 + t) * a->H + h];
            scores(jb, p, q, kt, D, n, scale);
            for (int j = 0; j < n; j++) p[j] -= lse;
            dp_exp_inplace(p, n);
            float delta = 0;
            for (int d = 0; d < D; d++) delta += go[d] * o[d];
            scores(jb, dp, go, vt, D, n, 1.0f);
            float *dq = jb->dqkv + (r0 + t) * a->ldq + a->q0 + h * D;
            memset(dq, 0, (size_t)D * 4);
#ifdef DP_X86
            if (jb->avx) bwd_avx(dq, dk, dv, p, dp, delta, scale, kb, a->ldq, q, go, D, n);
            else
#endif
                bwd_c(dq, dk, dv, p, dp, delta, scale, kb, a->ldq, q, go, D, n);
        }
    for (int t = 0; t < T; t++) {
        float *row = jb->dqkv + (r0 + t) * a->ldq;
        memcpy(row + a->k0 + g * D, dk + (size_t)t * D, (size_t)D * 4);
        memcpy(row + a->v0 + g * D, dv + (size_t)t * D, (size_t)D * 4);
    }
}

static void attn_bwd_worker(void *ctx, int tid, int nth)
{
    struct attn_job *jb = ctx;
    float *buf = jb->scratch + (size_t)tid * jb->per_thread;
    for (;;) {
        long i = __atomic_fetch_add(&jb->next, 1, __ATOMIC_RELAXED);
        if (i >= jb->njobs) break;
        attn_bwd_one(jb, (int)(i / jb->a->Hkv), (int)(i % jb->a->Hkv), buf);
    }
}

void dp_attention_backward(struct dp_pool *pool, float *dqkv, const float *dout, const float *out,
                           const float *lse, const float *qkv, const struct dp_attn *a, int nseq,
                           const int *row0, const int *len, struct dp_ws *ws)
{
    struct attn_job jb = {.dqkv = dqkv, .qkv = qkv, .dout = dout, .fout = out, .flse = lse,
                          .njobs = nseq * a->Hkv};
    init_job(&jb, a, nseq, row0, len);
    int nth = pool ? dp_pool_size(pool) : 1;
    jb.per_thread = al64(((size_t)4 * a->D * jb.Tp + 2 * (size_t)jb.Tp) * 4) / 4;
    jb.scratch = dp_scratch_get(&ws->t0, jb.per_thread * 4 * nth);
    dp_pool_run(jb.njobs > 1 ? pool : NULL, attn_bwd_worker, &jb);
}
