/* Packed-weight matmul kernels: a portable scalar version and AVX-512 ones (fp32 FMA with fp32
 * or exactly widened bf16 weights; AVX-512 BF16 dot products), chosen at run time with
 * __builtin_cpu_supports. Register tiles of MR rows x NV panels accumulate over the whole K, so
 * each output's arithmetic is fixed by K alone (see matmul.h on batch invariance). Threads take
 * pieces of the panels (dp_pool_run_range: their own share front to back, then what the others
 * have left); within a piece rows are blocked so a group of panels stays in L2 while the rows
 * stream by. */
#include "nn/matmul.h"
#include <assert.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DP_X86 1
#endif

#define NRV 3        /* panels per register tile */
#define MB 96        /* rows per block */
#define GRAIN_BYTES ((size_t)64 << 10)   /* weights per piece of work for one or two rows */

enum mm_mode { MODE_F32W, MODE_BF16W, MODE_BF16X };   /* fp32 W; bf16 W exact; bf16 dot */

/* ================================================================ packing */

size_t dp_wmat_bytes(int N, int K, enum dp_dtype dt)
{
    size_t np = ((size_t)N + DP_PANEL - 1) / DP_PANEL;
    size_t pb = dt == DP_DTYPE_BF16 ? (size_t)(K + (K & 1)) * 32 : (size_t)K * 64;
    return np * pb;
}

enum dp_dtype dp_wmat_dtype_for(enum dp_dtype src)
{
    return src == DP_DTYPE_BF16 ? DP_DTYPE_BF16 : DP_DTYPE_F32;
}

void dp_wmat_init(struct dp_wmat *w, void *mem, int N, int K, enum dp_dtype dt)
{
    assert(dt == DP_DTYPE_F32 || dt == DP_DTYPE_BF16);
    w->data = mem;
    w->dtype = dt;
    w->N = N;
    w->K = K;
    w->K2 = K + (K & 1);
    w->npanels = (N + DP_PANEL - 1) / DP_PANEL;
    w->panel_bytes = dt == DP_DTYPE_BF16 ? (size_t)w->K2 * 32 : (size_t)K * 64;
}

void dp_wmat_pack_rows(struct dp_wmat *w, int n0, int nrows, const void *src, enum dp_dtype sdt)
{
    assert(n0 >= 0 && n0 + nrows <= w->N);
    assert(w->dtype == DP_DTYPE_F32 || sdt == DP_DTYPE_BF16);
    const unsigned char *s = src;
    for (int r = 0; r < nrows; r++) {
        int n = n0 + r, p = n / DP_PANEL, c = n % DP_PANEL;
        unsigned char *pan = (unsigned char *)w->data + (size_t)p * w->panel_bytes;
        if (w->dtype == DP_DTYPE_BF16) {
            uint16_t *d = (uint16_t *)pan;
            const unsigned char *row = s + (size_t)r * w->K * 2;
            for (int k = 0; k < w->K; k++)
                memcpy(&d[((size_t)(k >> 1) * DP_PANEL + c) * 2 + (k & 1)], row + 2 * (size_t)k, 2);
        } else {
            float *d = (float *)pan;
            size_t base = (size_t)r * w->K;
            for (int k = 0; k < w->K; k++) d[(size_t)k * DP_PANEL + c] = dp_load_f32(s, sdt, base + k);
        }
    }
}

void dp_wmat_get_row(const struct dp_wmat *w, int n, float *out)
{
    int p = n / DP_PANEL, c = n % DP_PANEL;
    const unsigned char *pan = (const unsigned char *)w->data + (size_t)p * w->panel_bytes;
    if (w->dtype == DP_DTYPE_BF16) {
        const uint16_t *d = (const uint16_t *)pan;
        for (int k = 0; k < w->K; k++)
            out[k] = dp_bf16_to_f32(d[((size_t)(k >> 1) * DP_PANEL + c) * 2 + (k & 1)]);
    } else {
        const float *d = (const float *)pan;
        for (int k = 0; k < w->K; k++) out[k] = d[(size_t)k * DP_PANEL + c];
    }
}

/* ================================================================ the job */

struct mm_job {
    float *out;
    const float *x;
    uint16_t *xbf;           /* MODE_BF16X: x rounded to bf16, rows K2 apart */
    const struct dp_wmat *w;
    const float *bias;
    int M, mode, use_avx;
};

/* ================================================================ scalar kernels */

static void kern_scalar(const struct mm_job *j, int m0, int mr, int p0, int np)
{
    const struct dp_wmat *w = j->w;
    int K = w->K, KP = w->K2 / 2;
    for (int m = m0; m < m0 + mr; m++)
        for (int p = p0; p < p0 + np; p++) {
            const unsigned char *pan = (const unsigned char *)w->data + (size_t)p * w->panel_bytes;
            for (int c = 0; c < DP_PANEL; c++) {
                int n = p * DP_PANEL + c;
                if (n >= w->N) break;
                float acc = 0;
                if (j->mode == MODE_F32W) {
                    const float *x = j->x + (size_t)m * K, *d = (const float *)pan;
                    for (int k = 0; k < K; k++) acc += x[k] * d[(size_t)k * DP_PANEL + c];
                } else if (j->mode == MODE_BF16W) {
                    const float *x = j->x + (size_t)m * K;
                    const uint16_t *d = (const uint16_t *)pan;
                    for (int k = 0; k < K; k++)
                        acc += x[k] * dp_bf16_to_f32(d[((size_t)(k >> 1) * DP_PANEL + c) * 2 + (k & 1)]);
                } else {   /* as vdpbf16ps: odd product first; bf16 products are exact in fp32 */
                    const uint16_t *x = j->xbf + (size_t)m * w->K2, *d = (const uint16_t *)pan;
                    for (int kp = 0; kp < KP; kp++) {
                        const uint16_t *q = &d[((size_t)kp * DP_PANEL + c) * 2];
                        acc = acc + dp_bf16_to_f32(x[2 * kp + 1]) * dp_bf16_to_f32(q[1]);
                        acc = acc + dp_bf16_to_f32(x[2 * kp]) * dp_bf16_to_f32(q[0]);
                    }
                }
                j->out[(size_t)m * w->N + n] = acc + (j->bias ? j->bias[n] : 0.0f);
            }
        }
}

/* ================================================================ AVX-512 kernels */
#ifdef DP_X86
#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#define TBF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16")))
#define INL inline __attribute__((always_inline))

/* Adds the bias and stores the MR x NV tile (columns past N masked off). */
#define STORE_TILE()                                                                            \
    for (int m = 0; m < MR; m++)                                                                \
        for (int v = 0; v < NV; v++) {                                                          \
            int n = n0 + v * DP_PANEL;                                                          \
            if (n >= N) continue;                                                               \
            __mmask16 k = N - n >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (N - n)) - 1);   \
            __m512 r = acc[m][v];                                                               \
            if (bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(k, bias + n));                 \
            _mm512_mask_storeu_ps(out + (size_t)m * N + n, k, r);                               \
        }

T512 static INL void tile_f32w(const int MR, const int NV, const float *x, int K,
                               const unsigned char *wp, size_t pb, float *out, int N, int n0,
                               const float *bias, const unsigned char *pf)
{
    __m512 acc[8][NRV];
#pragma GCC unroll 8
    for (int m = 0; m < MR; m++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) acc[m][v] = _mm512_setzero_ps();
    for (int k = 0; k < K; k++) {
        __m512 wv[NRV];
        if (pf) {   /* the next panels, one line per panel and step: 64 bytes = 16 floats */
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) _mm_prefetch((const char *)(pf + v * pb + (size_t)k * 64), _MM_HINT_T1);
        }
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) wv[v] = _mm512_load_ps((const float *)(wp + v * pb) + (size_t)k * 16);
#pragma GCC unroll 8
        for (int m = 0; m < MR; m++) {
            __m512 a = _mm512_set1_ps(x[(size_t)m * K + k]);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) acc[m][v] = _mm512_fmadd_ps(a, wv[v], acc[m][v]);
        }
    }
    STORE_TILE()
}

T512 static INL void tile_bf16w(const int MR, const int NV, const float *x, int K,
                                const unsigned char *wp, size_t pb, float *out, int N, int n0,
                                const float *bias, const unsigned char *pf)
{
    __m512 acc[8][NRV];
    const __m512i hi = _mm512_set1_epi32((int)0xffff0000u);
#pragma GCC unroll 8
    for (int m = 0; m < MR; m++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) acc[m][v] = _mm512_setzero_ps();
    int KP = K / 2;
    for (int kp = 0; kp <= KP; kp++) {
        if (kp == KP && !(K & 1)) break;
        __m512 we[NRV], wo[NRV];
        if (pf) {
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) _mm_prefetch((const char *)(pf + v * pb + (size_t)kp * 64), _MM_HINT_T1);
        }
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            __m512i t = _mm512_load_si512((const void *)(wp + v * pb + (size_t)kp * 64));
            we[v] = _mm512_castsi512_ps(_mm512_slli_epi32(t, 16));
            wo[v] = _mm512_castsi512_ps(_mm512_and_si512(t, hi));
        }
#pragma GCC unroll 8
        for (int m = 0; m < MR; m++) {
            const float *xr = x + (size_t)m * K + 2 * kp;
            __m512 a0 = _mm512_set1_ps(xr[0]);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) acc[m][v] = _mm512_fmadd_ps(a0, we[v], acc[m][v]);
            if (kp < KP) {
                __m512 a1 = _mm512_set1_ps(xr[1]);
#pragma GCC unroll 3
                for (int v = 0; v < NV; v++) acc[m][v] = _mm512_fmadd_ps(a1, wo[v], acc[m][v]);
            }
        }
    }
    STORE_TILE()
}

TBF16 static INL void tile_bf16x(const int MR, const int NV, const uint16_t *xb, int K2,
                                 const unsigned char *wp, size_t pb, float *out, int N, int n0,
                                 const float *bias, const unsigned char *pf)
{
    __m512 acc[8][NRV];
#pragma GCC unroll 8
    for (int m = 0; m < MR; m++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) acc[m][v] = _mm512_setzero_ps();
    const uint32_t *x32 = (const uint32_t *)xb;
    size_t ld = (size_t)K2 / 2;
    for (int kp = 0; kp < K2 / 2; kp++) {
        __m512bh wv[NRV];
        if (pf) {
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) _mm_prefetch((const char *)(pf + v * pb + (size_t)kp * 64), _MM_HINT_T1);
        }
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
            wv[v] = (__m512bh)_mm512_load_si512((const void *)(wp + v * pb + (size_t)kp * 64));
#pragma GCC unroll 8
        for (int m = 0; m < MR; m++) {
            __m512bh a = (__m512bh)_mm512_set1_epi32((int)x32[(size_t)m * ld + kp]);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) acc[m][v] = _mm512_dpbf16_ps(acc[m][v], a, wv[v]);
        }
    }
    STORE_TILE()
}

/* Dispatch from run-time (mr, nv) to the compile-time tile shapes. */
#define TILE_ARGS xarg, karg, wp, pb, out, N, n0, bias, pf
#define TILE_ROW(fn, r)                                                                         \
    case (r) * 4 + 1: fn(r, 1, TILE_ARGS); break;                                               \
    case (r) * 4 + 2: fn(r, 2, TILE_ARGS); break;                                               \
    case (r) * 4 + 3: fn(r, 3, TILE_ARGS); break;
#define TILE_ROWS6(fn) TILE_ROW(fn, 1) TILE_ROW(fn, 2) TILE_ROW(fn, 3) TILE_ROW(fn, 4)        \
    TILE_ROW(fn, 5) TILE_ROW(fn, 6)

T512 static void run_f32w(int mr, int nv, const float *xarg, int karg, const unsigned char *wp,
                          size_t pb, float *out, int N, int n0, const float *bias,
                          const unsigned char *pf)
{
    switch (mr * 4 + nv) { TILE_ROWS6(tile_f32w) default: assert(0); }
}

T512 static void run_bf16w(int mr, int nv, const float *xarg, int karg, const unsigned char *wp,
                           size_t pb, float *out, int N, int n0, const float *bias,
                           const unsigned char *pf)
{
    switch (mr * 4 + nv) { TILE_ROWS6(tile_bf16w) default: assert(0); }
}

TBF16 static void run_bf16x(int mr, int nv, const uint16_t *xarg, int karg, const unsigned char *wp,
                            size_t pb, float *out, int N, int n0, const float *bias,
                            const unsigned char *pf)
{
    switch (mr * 4 + nv) { TILE_ROWS6(tile_bf16x) TILE_ROW(tile_bf16x, 7) TILE_ROW(tile_bf16x, 8) default: assert(0); }
}

/* Rows [m0, m1) of x rounded to bf16 (nearest even) into xbf, zero-padded to K2. */
TBF16 static void convert_rows_bf16(const float *x, uint16_t *xbf, int K, int K2, long m0, long m1)
{
    for (long m = m0; m < m1; m++) {
        const float *s = x + (size_t)m * K;
        uint16_t *d = xbf + (size_t)m * K2;
        for (int k = 0; k < K; k += 16) {
            __mmask16 msk = K - k >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (K - k)) - 1);
            __m256bh h = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(msk, s + k));
            _mm256_mask_storeu_epi16(d + k, msk, (__m256i)h);
        }
        if (K2 > K) d[K] = 0;
    }
}
#endif /* DP_X86 */

int dp_matmul_has_avx512(void)
{
#ifdef DP_X86
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
#else
    return 0;
#endif
}

int dp_matmul_has_bf16(void)
{
#ifdef DP_X86
    return dp_matmul_has_avx512() && __builtin_cpu_supports("avx512bf16");
#else
    return 0;
#endif
}

/* ================================================================ driver */

/* One register tile: rows [m0, m0 + mr) x panels [p, p + nv). pf: the panels to prefetch into L2
 * meanwhile (the next group, while the first tile of a row block streams this one), or NULL. */
static void mm_tile(const struct mm_job *j, int m0, int mr, int p, int nv, const unsigned char *pf)
{
#ifdef DP_X86
    if (j->use_avx) {
        const struct dp_wmat *w = j->w;
        const unsigned char *wp = (const unsigned char *)w->data + (size_t)p * w->panel_bytes;
        float *out = j->out + (size_t)m0 * w->N;
        int n0 = p * DP_PANEL;
        if (j->mode == MODE_F32W)
            run_f32w(mr, nv, j->x + (size_t)m0 * w->K, w->K, wp, w->panel_bytes, out, w->N, n0, j->bias, pf);
        else if (j->mode == MODE_BF16W)
            run_bf16w(mr, nv, j->x + (size_t)m0 * w->K, w->K, wp, w->panel_bytes, out, w->N, n0, j->bias, pf);
        else
            run_bf16x(mr, nv, j->xbf + (size_t)m0 * w->K2, w->K2, wp, w->panel_bytes, out, w->N, n0,
                      j->bias, pf);
        return;
    }
#endif
    (void)pf;
    kern_scalar(j, m0, mr, p, nv);
}

/* Panels [p0, p1) for every row. */
static void mm_range(const struct mm_job *j, long p0, long p1)
{
    int mrmax = j->mode == MODE_BF16X ? 8 : 6;
    for (int mb = 0; mb < j->M; mb += MB) {
        int me = mb + MB < j->M ? mb + MB : j->M;
        /* One or two rows are bound by memory: one panel at a time reads the weights as one
         * sequential stream (three interleaved 28 KB streams defeat the prefetchers). */
        int step = me - mb <= 2 ? 1 : NRV;
        for (long p = p0; p < p1; p += step) {
            int nv = p1 - p < step ? (int)(p1 - p) : step;
            /* the next group, when it is a full one (the prefetch walks NV panels); only when several
             * row tiles share the panels: a lone tile streams well on the hardware prefetcher */
            const unsigned char *next = step == NRV && p + NRV + NRV <= j->w->npanels
                ? (const unsigned char *)j->w->data + (size_t)(p + NRV) * j->w->panel_bytes : NULL;
            for (int m = mb; m < me; m += mrmax) {
                int mr = me - m < mrmax ? me - m : mrmax;
                mm_tile(j, m, mr, (int)p, nv, m == mb && me - mb > mrmax ? next : NULL);
            }
        }
    }
}

static void mm_piece(void *ctx, long p0, long p1, int tid)
{
    mm_range(ctx, p0, p1);
}

#ifdef DP_X86
static void cvt_piece(void *ctx, long m0, long m1, int tid)
{
    const struct mm_job *j = ctx;
    convert_rows_bf16(j->x, j->xbf, j->w->K, j->w->K2, m0, m1);
}
#endif

size_t dp_matmul_scratch(int M, int K)
{
    return ((size_t)M * (size_t)(K + (K & 1)) * 2 + 63) & ~(size_t)63;
}

void dp_matmul_forward(struct dp_pool *pool, float *out, const float *x, const struct dp_wmat *w,
                       const float *bias, int M, enum dp_prec prec, uint16_t *xbf)
{
    if (M <= 0) return;
    struct mm_job j = {.out = out, .x = x, .xbf = xbf, .w = w, .bias = bias, .M = M,
                       .use_avx = dp_matmul_has_avx512()};
    j.mode = w->dtype == DP_DTYPE_F32 ? MODE_F32W : MODE_BF16W;
#ifdef DP_X86
    if (j.mode == MODE_BF16W && prec == DP_PREC_BF16 && dp_matmul_has_bf16()) {
        assert(xbf);
        j.mode = MODE_BF16X;
        if (M >= 16) dp_pool_run_range(pool, M, M >= 64 ? 16 : 4, cvt_piece, &j);
        else cvt_piece(&j, 0, M, 0);
    }
#else
    (void)prec;
#endif
    if (M * (long)w->N * w->K < 32768) {
        mm_range(&j, 0, w->npanels);
        return;
    }
    /* Threads take pieces of their dp_pool_split share of the panels front to back (one sequential
     * stream each, as a static split) and then help the others. One or two rows are bound by
     * reading the weights: pieces of about GRAIN_BYTES. More rows are bound by the dot products:
     * two register groups of panels per piece, which stay in L2 while the row blocks pass. */
    long g = NRV * 2;
    if (M <= 2) {
        g = (long)(GRAIN_BYTES / w->panel_bytes);
        if (g < 1) g = 1;
    }
    dp_pool_run_range(pool, w->npanels, g, mm_piece, &j);
}
