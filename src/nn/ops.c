/* Transformer forward ops (see ops.h): portable loops plus AVX-512 versions of the two that
 * cost time outside the matmuls (attention and the SwiGLU exp), selected at run time. Each
 * row's arithmetic is the same whichever rows share the call. */
#include "nn/ops.h"
#include <math.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DP_X86 1
#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#define INL inline __attribute__((always_inline))
#endif

/* ================================================================ simple row ops */

void dp_embedding_forward(float *out, const int32_t *ids, const struct dp_wmat *wte, int M)
{
    for (int m = 0; m < M; m++) dp_wmat_get_row(wte, ids[m], out + (size_t)m * wte->K);
}

void dp_rmsnorm_forward(float *out, const float *x, const float *w, float eps, int M, int C)
{
    for (int m = 0; m < M; m++) {
        const float *xr = x + (size_t)m * C;
        float *o = out + (size_t)m * C;
        float lane[8] = {0};   /* 8 partial sums: vectorizable, order fixed by C */
        int c = 0;
        for (; c + 8 <= C; c += 8)
            for (int l = 0; l < 8; l++) lane[l] += xr[c + l] * xr[c + l];
        for (; c < C; c++) lane[0] += xr[c] * xr[c];
        float ss = ((lane[0] + lane[4]) + (lane[1] + lane[5])) + ((lane[2] + lane[6]) + (lane[3] + lane[7]));
        float r = 1.0f / sqrtf(ss / (float)C + eps);
        for (c = 0; c < C; c++) o[c] = (xr[c] * r) * w[c];
    }
}

void dp_add_forward(float *x, const float *y, int M, int C)
{
    size_t n = (size_t)M * C;
    for (size_t i = 0; i < n; i++) x[i] += y[i];
}

void dp_rope_table(float *cos_t, float *sin_t, int T, int D, double theta)
{
    int half = D / 2;
    for (int i = 0; i < half; i++) {
        float inv = 1.0f / powf((float)theta, (float)(2 * i) / (float)D);
        for (int t = 0; t < T; t++) {
            float f = (float)t * inv;
            cos_t[(size_t)t * half + i] = cosf(f);
            sin_t[(size_t)t * half + i] = sinf(f);
        }
    }
}

void dp_rope_forward(float *x, int ld, const int32_t *pos, const float *cos_t, const float *sin_t,
                     int M, int H, int D)
{
    int half = D / 2;
    for (int m = 0; m < M; m++) {
        const float *c = cos_t + (size_t)pos[m] * half, *s = sin_t + (size_t)pos[m] * half;
        for (int h = 0; h < H; h++) {
            float *v = x + (size_t)m * ld + (size_t)h * D;
            for (int i = 0; i < half; i++) {
                float a = v[i], b = v[i + half];
                v[i] = a * c[i] - b * s[i];
                v[i + half] = b * c[i] + a * s[i];
            }
        }
    }
}

/* ================================================================ exp, SwiGLU */

#ifdef DP_X86
/* exp(x) for 16 lanes: Cephes' expf (range reduction by ln 2, degree-6 polynomial), ~1 ulp. */
T512 static INL __m512 exp512(__m512 x)
{
    x = _mm512_min_ps(x, _mm512_set1_ps(88.3762626647949f));
    x = _mm512_max_ps(x, _mm512_set1_ps(-103.972f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r);
    p = _mm512_add_ps(p, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

T512 static void exp_avx(float *x, int n)
{
    for (int i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, k, exp512(_mm512_maskz_loadu_ps(k, x + i)));
    }
}

T512 static void swiglu_avx(float *out, const float *gu, int M, int F)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    for (int m = 0; m < M; m++) {
        const float *g = gu + (size_t)m * 2 * F, *u = g + F;
        float *o = out + (size_t)m * F;
        for (int i = 0; i < F; i += 16) {
            __mmask16 k = F - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (F - i)) - 1);
            __m512 gv = _mm512_maskz_loadu_ps(k, g + i);
            __m512 e = exp512(_mm512_sub_ps(_mm512_setzero_ps(), gv));
            __m512 s = _mm512_div_ps(gv, _mm512_add_ps(one, e));
            _mm512_mask_storeu_ps(o + i, k, _mm512_mul_ps(s, _mm512_maskz_loadu_ps(k, u + i)));
        }
    }
}
#endif

static int has_avx512(void)
{
    return dp_matmul_has_avx512();
}

void dp_exp_inplace(float *x, int n)
{
#ifdef DP_X86
    if (has_avx512()) {
        exp_avx(x, n);
        return;
    }
#endif
    for (int i = 0; i < n; i++) x[i] = expf(x[i]);
}

void dp_swiglu_forward(float *out, const float *gu, int M, int F)
{
#ifdef DP_X86
    if (has_avx512()) {
        swiglu_avx(out, gu, M, F);
        return;
    }
#endif
    for (int m = 0; m < M; m++) {
        const float *g = gu + (size_t)m * 2 * F, *u = g + F;
        for (int i = 0; i < F; i++) out[(size_t)m * F + i] = g[i] / (1.0f + expf(-g[i])) * u[i];
    }
}

/* ================================================================ attention */

/* Softmax of s[0..n) in place: exp(s - max) / sum; the sum in 16 strided partial sums. */
static void softmax_row(float *s, int n)
{
    float mx = -INFINITY;
    for (int j = 0; j < n; j++) mx = s[j] > mx ? s[j] : mx;
    for (int j = 0; j < n; j++) s[j] -= mx;
    dp_exp_inplace(s, n);
    float lane[16] = {0};
    for (int j = 0; j < n; j++) lane[j & 15] += s[j];
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) lane[l] += lane[l + w];
    float inv = 1.0f / lane[0];
    for (int j = 0; j < n; j++) s[j] *= inv;
}

static void attn_scalar(float *out, int ldo, const float *q, int ldq, const float *kt,
                        const float *v, int pos0, int T, int D, int Tcap, float *p)
{
    float scale = 1.0f / sqrtf((float)D);
    for (int t = 0; t < T; t++) {
        int nk = pos0 + t + 1;
        const float *qr = q + (size_t)t * ldq;
        for (int j = 0; j < nk; j++) {
            float acc = 0;
            for (int d = 0; d < D; d++) acc += qr[d] * kt[(size_t)(j >> 4) * D * 16 + d * 16 + (j & 15)];
            p[j] = acc * scale;
        }
        softmax_row(p, nk);
        float *o = out + (size_t)t * ldo;
        for (int d = 0; d < D; d++) {
            float acc = 0;
            for (int j = 0; j < nk; j++) acc += p[j] * v[(size_t)j * D + d];
            o[d] = acc;
        }
    }
}

#ifdef DP_X86
/* Scores of keys [j0, j0 + 16*NB) for query qr: sequential over d per key. */
T512 static INL void scores_block(const int NB, const float *qr, const float *kt, int D, int Tcap,
                                  int j0, float scale, float *p)
{
    __m512 acc[8];
#pragma GCC unroll 8
    for (int b = 0; b < NB; b++) acc[b] = _mm512_setzero_ps();
    for (int d = 0; d < D; d++) {
        __m512 qd = _mm512_set1_ps(qr[d]);
        const float *row = kt + (size_t)j0 * D + d * 16;   /* block j0/16, row d */
#pragma GCC unroll 8
        for (int b = 0; b < NB; b++)
            acc[b] = _mm512_fmadd_ps(qd, _mm512_loadu_ps(row + (size_t)b * D * 16), acc[b]);
    }
#pragma GCC unroll 8
    for (int b = 0; b < NB; b++) _mm512_storeu_ps(p + j0 + 16 * b, _mm512_mul_ps(acc[b], _mm512_set1_ps(scale)));
}

/* The same for two queries at once (keys loaded once): each score's arithmetic is unchanged. */
T512 static INL void scores_block2(const int NB, const float *q0, const float *q1, const float *kt,
                                   int D, int j0, float scale, float *p0, float *p1)
{
    __m512 a[8], b[8];
#pragma GCC unroll 8
    for (int k = 0; k < NB; k++) a[k] = b[k] = _mm512_setzero_ps();
    for (int d = 0; d < D; d++) {
        __m512 x0 = _mm512_set1_ps(q0[d]), x1 = _mm512_set1_ps(q1[d]);
        const float *row = kt + (size_t)j0 * D + d * 16;
#pragma GCC unroll 8
        for (int k = 0; k < NB; k++) {
            __m512 kv = _mm512_loadu_ps(row + (size_t)k * D * 16);
            a[k] = _mm512_fmadd_ps(x0, kv, a[k]);
            b[k] = _mm512_fmadd_ps(x1, kv, b[k]);
        }
    }
#pragma GCC unroll 8
    for (int k = 0; k < NB; k++) {
        _mm512_storeu_ps(p0 + j0 + 16 * k, _mm512_mul_ps(a[k], _mm512_set1_ps(scale)));
        _mm512_storeu_ps(p1 + j0 + 16 * k, _mm512_mul_ps(b[k], _mm512_set1_ps(scale)));
    }
}

/* softmax_row with vectors: the same operations in the same order, so the same bits. */
T512 static void softmax_avx(float *s, int n)
{
    __m512 mv = _mm512_set1_ps(-INFINITY);
    for (int j = 0; j < n; j += 16) {
        __mmask16 k = n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
        mv = _mm512_max_ps(mv, _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), k, s + j));
    }
    __m512 mx = _mm512_set1_ps(_mm512_reduce_max_ps(mv)), acc = _mm512_setzero_ps();
    for (int j = 0; j < n; j += 16) {
        __mmask16 k = n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
        __m512 e = exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, s + j), mx));
        e = _mm512_maskz_mov_ps(k, e);
        _mm512_mask_storeu_ps(s + j, k, e);
        acc = _mm512_add_ps(acc, e);
    }
    float lane[16];
    _mm512_storeu_ps(lane, acc);
    for (int w = 8; w >= 1; w /= 2)
        for (int l = 0; l < w; l++) lane[l] += lane[l + w];
    __m512 inv = _mm512_set1_ps(1.0f / lane[0]);
    for (int j = 0; j < n; j += 16) {
        __mmask16 k = n - j >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - j)) - 1);
        _mm512_mask_storeu_ps(s + j, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, s + j), inv));
    }
}

/* out[d] = sum_j p[j] v[j][d], even and odd j in separate accumulators, added at the end. */
T512 static INL void weighted_sum(const int DV, const float *p, const float *v, int nk, float *o)
{
    __m512 a0[8], a1[8];
#pragma GCC unroll 8
    for (int i = 0; i < DV; i++) a0[i] = a1[i] = _mm512_setzero_ps();
    int j = 0;
    for (; j + 2 <= nk; j += 2) {
        __m512 p0 = _mm512_set1_ps(p[j]), p1 = _mm512_set1_ps(p[j + 1]);
        const float *v0 = v + (size_t)j * DV * 16, *v1 = v0 + DV * 16;
#pragma GCC unroll 8
        for (int i = 0; i < DV; i++) {
            a0[i] = _mm512_fmadd_ps(p0, _mm512_loadu_ps(v0 + 16 * i), a0[i]);
            a1[i] = _mm512_fmadd_ps(p1, _mm512_loadu_ps(v1 + 16 * i), a1[i]);
        }
    }
    if (j < nk) {
        __m512 p0 = _mm512_set1_ps(p[j]);
        const float *v0 = v + (size_t)j * DV * 16;
#pragma GCC unroll 8
        for (int i = 0; i < DV; i++) a0[i] = _mm512_fmadd_ps(p0, _mm512_loadu_ps(v0 + 16 * i), a0[i]);
    }
#pragma GCC unroll 8
    for (int i = 0; i < DV; i++) _mm512_storeu_ps(o + 16 * i, _mm512_add_ps(a0[i], a1[i]));
}

/* weighted_sum for queries t (nk keys) and t + 1 (nk + 1 keys) at once, each value row loaded
 * once for both: every output's sum runs in the same order as weighted_sum's, so the same bits. */
T512 static INL void weighted_sum2(const int DV, const float *p0, const float *p1, const float *v,
                                   int nk, float *o0, float *o1)
{
    __m512 a0[4], a1[4], b0[4], b1[4];
#pragma GCC unroll 4
    for (int i = 0; i < DV; i++) a0[i] = a1[i] = b0[i] = b1[i] = _mm512_setzero_ps();
    int j = 0;
    for (; j + 2 <= nk; j += 2) {
        __m512 x0 = _mm512_set1_ps(p0[j]), x1 = _mm512_set1_ps(p0[j + 1]);
        __m512 y0 = _mm512_set1_ps(p1[j]), y1 = _mm512_set1_ps(p1[j + 1]);
        const float *v0 = v + (size_t)j * DV * 16, *v1 = v0 + DV * 16;
#pragma GCC unroll 4
        for (int i = 0; i < DV; i++) {
            __m512 w0 = _mm512_loadu_ps(v0 + 16 * i), w1 = _mm512_loadu_ps(v1 + 16 * i);
            a0[i] = _mm512_fmadd_ps(x0, w0, a0[i]);
            a1[i] = _mm512_fmadd_ps(x1, w1, a1[i]);
            b0[i] = _mm512_fmadd_ps(y0, w0, b0[i]);
            b1[i] = _mm512_fmadd_ps(y1, w1, b1[i]);
        }
    }
    const float *vj = v + (size_t)j * DV * 16;
    if (j < nk) {   /* nk odd: query t's last key, which opens query t + 1's last pair */
        __m512 x0 = _mm512_set1_ps(p0[j]), y0 = _mm512_set1_ps(p1[j]), y1 = _mm512_set1_ps(p1[j + 1]);
#pragma GCC unroll 4
        for (int i = 0; i < DV; i++) {
            __m512 w0 = _mm512_loadu_ps(vj + 16 * i);
            a0[i] = _mm512_fmadd_ps(x0, w0, a0[i]);
            b0[i] = _mm512_fmadd_ps(y0, w0, b0[i]);
            b1[i] = _mm512_fmadd_ps(y1, _mm512_loadu_ps(vj + DV * 16 + 16 * i), b1[i]);
        }
    } else {        /* nk even: query t + 1's last key alone */
        __m512 y0 = _mm512_set1_ps(p1[j]);
#pragma GCC unroll 4
        for (int i = 0; i < DV; i++) b0[i] = _mm512_fmadd_ps(y0, _mm512_loadu_ps(vj + 16 * i), b0[i]);
    }
#pragma GCC unroll 4
    for (int i = 0; i < DV; i++) {
        _mm512_storeu_ps(o0 + 16 * i, _mm512_add_ps(a0[i], a1[i]));
        _mm512_storeu_ps(o1 + 16 * i, _mm512_add_ps(b0[i], b1[i]));
    }
}

T512 static INL void attn_avx_d(const int DV, float *out, int ldo, const float *q, int ldq,
                                const float *kt, const float *v, int pos0, int T, int Tcap, float *p)
{
    int D = DV * 16;
    float scale = 1.0f / sqrtf((float)D), *p1 = p + Tcap;
    for (int t = 0; t < T; t++) {
        int nk = pos0 + t + 1, nb = (nk + 15) / 16, b = 0;
        const float *qr = q + (size_t)t * ldq;
        if (t + 1 < T) {   /* queries t and t + 1 together; t + 1 may need one more block */
            int nb1 = (nk + 16) / 16;
            const float *qr1 = qr + ldq;
            for (; b + 8 <= nb1; b += 8) scores_block2(8, qr, qr1, kt, D, 16 * b, scale, p, p1);
            for (; b < nb1; b++) scores_block2(1, qr, qr1, kt, D, 16 * b, scale, p, p1);
            softmax_avx(p, nk);
            softmax_avx(p1, nk + 1);
            if (DV <= 4) {
                weighted_sum2(DV <= 4 ? DV : 4, p, p1, v, nk, out + (size_t)t * ldo, out + (size_t)(t + 1) * ldo);
            } else {
                weighted_sum(DV, p, v, nk, out + (size_t)t * ldo);
                weighted_sum(DV, p1, v, nk + 1, out + (size_t)(t + 1) * ldo);
            }
            t++;
            continue;
        }
        for (; b + 8 <= nb; b += 8) scores_block(8, qr, kt, D, Tcap, 16 * b, scale, p);
        for (; b < nb; b++) scores_block(1, qr, kt, D, Tcap, 16 * b, scale, p);
        softmax_avx(p, nk);
        weighted_sum(DV, p, v, nk, out + (size_t)t * ldo);
    }
}

/* One instance per head size (16 floats per DV) keeps the accumulators in registers. */
#define ATTN_INSTANCE(dv)                                                                       \
    T512 static void attn_avx_##dv(float *out, int ldo, const float *q, int ldq, const float *kt, \
                                   const float *v, int pos0, int T, int Tcap, float *p)          \
    {                                                                                           \
        attn_avx_d(dv, out, ldo, q, ldq, kt, v, pos0, T, Tcap, p);                              \
    }
ATTN_INSTANCE(1)
ATTN_INSTANCE(2)
ATTN_INSTANCE(3)
ATTN_INSTANCE(4)
ATTN_INSTANCE(5)
ATTN_INSTANCE(6)
ATTN_INSTANCE(7)
ATTN_INSTANCE(8)

typedef void (*attn_fn)(float *, int, const float *, int, const float *, const float *, int, int,
                        int, float *);
static const attn_fn attn_by_dv[9] = {NULL, attn_avx_1, attn_avx_2, attn_avx_3, attn_avx_4,
                                      attn_avx_5, attn_avx_6, attn_avx_7, attn_avx_8};
#endif

void dp_attention_head_forward(float *out, int ldo, const float *q, int ldq, const float *kt,
                               const float *v, int pos0, int T, int D, int Tcap, float *p)
{
#ifdef DP_X86
    if (has_avx512() && D % 16 == 0 && D <= 128) {   /* Qwen2: 64 or 128 */
        attn_by_dv[D / 16](out, ldo, q, ldq, kt, v, pos0, T, Tcap, p);
        return;
    }
#endif
    attn_scalar(out, ldo, q, ldq, kt, v, pos0, T, D, Tcap, p);
}
