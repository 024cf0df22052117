/* Packing, transposes and the scaled/accumulating product for training (see mm_train.h). The
 * panel layouts are the ones nn/matmul.h documents; packers split panels across the pool's
 * threads, so each destination byte is written by one thread in a fixed order. */
#include "nn/mm_train.h"
#include <assert.h>
#include <string.h>
#include <sys/mman.h>

/* Zeroed anonymous memory, page aligned, huge pages requested for large blocks. */
static void *big_alloc(size_t n)
{
    void *p = mmap(NULL, n ? n : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
    if (n >= ((size_t)4 << 20)) madvise(p, n, MADV_HUGEPAGE);
#endif
    return p;
}

static void big_free(void *p, size_t n)
{
    if (p) munmap(p, n ? n : 1);
}

/* ================================================================ scratch */

void *dp_scratch_get(struct dp_scratch *s, size_t n)
{
    if (n <= s->n) return s->p;
    big_free(s->p, s->n);
    s->n = 0;
    s->p = big_alloc(n);
    if (s->p) s->n = n;
    return s->p;
}

void dp_scratch_free(struct dp_scratch *s)
{
    big_free(s->p, s->n);
    s->p = NULL;
    s->n = 0;
}

enum dp_dtype dp_mm_storage(enum dp_prec prec)
{
    return prec == DP_PREC_BF16 && dp_matmul_has_bf16() ? DP_DTYPE_BF16 : DP_DTYPE_F32;
}

int dp_wmat_alloc(struct dp_wmat *w, int N, int K, enum dp_dtype dt)
{
    size_t nb = dp_wmat_bytes(N, K, dt);
    void *mem = big_alloc(nb);
    dp_wmat_init(w, mem, N, K, dt);
    return mem ? 0 : -1;
}

void dp_wmat_free(struct dp_wmat *w)
{
    if (w->data) big_free(w->data, dp_wmat_bytes(w->N, w->K, w->dtype));
    memset(w, 0, sizeof *w);
}

struct dp_wmat dp_wmat_rows(const struct dp_wmat *w, int p0, int p1)
{
    struct dp_wmat v = *w;
    v.data = (unsigned char *)w->data + (size_t)p0 * w->panel_bytes;
    int n1 = p1 * DP_PANEL < w->N ? p1 * DP_PANEL : w->N;
    v.N = n1 - p0 * DP_PANEL;
    v.npanels = p1 - p0;
    return v;
}

struct dp_wmat dp_wmat_cols(const struct dp_wmat *w, int k0, int nk)
{
    assert(k0 % 16 == 0 && k0 + nk <= w->K);
    struct dp_wmat v = *w;
    v.data = (unsigned char *)w->data + (w->dtype == DP_DTYPE_BF16 ? (size_t)k0 * 32 : (size_t)k0 * 64);
    v.K = nk;
    v.K2 = nk + (nk & 1);
    return v;
}

#if defined(__x86_64__)
#include <immintrin.h>
#define T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#define TBF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16")))
/* out[c][r] = in[r][c] for a 16 x 16 block, in registers (unpack, then two lane shuffles). */
T512 static void tr16_avx(const float *in, int ld, float *out, int ldo)
{
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(in + (size_t)i * ld);
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {   /* r[4i + k]: column 4L + k of rows 4i..4i+3, lane L */
        __m512d a = _mm512_castps_pd(t[4 * i]), b = _mm512_castps_pd(t[4 * i + 1]);
        __m512d c = _mm512_castps_pd(t[4 * i + 2]), d = _mm512_castps_pd(t[4 * i + 3]);
        r[4 * i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int k = 0; k < 4; k++) {
        t[k] = _mm512_shuffle_f32x4(r[k], r[4 + k], 0x88);
        t[4 + k] = _mm512_shuffle_f32x4(r[k], r[4 + k], 0xdd);
        t[8 + k] = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0x88);
        t[12 + k] = _mm512_shuffle_f32x4(r[8 + k], r[12 + k], 0xdd);
    }
    for (int k = 0; k < 4; k++) {
        r[k] = _mm512_shuffle_f32x4(t[k], t[8 + k], 0x88);
        r[8 + k] = _mm512_shuffle_f32x4(t[k], t[8 + k], 0xdd);
        r[4 + k] = _mm512_shuffle_f32x4(t[4 + k], t[12 + k], 0x88);
        r[12 + k] = _mm512_shuffle_f32x4(t[4 + k], t[12 + k], 0xdd);
    }
    for (int i = 0; i < 16; i++) _mm512_storeu_ps(out + (size_t)i * ldo, r[i]);
}

/* Panel rows [n0, n0 + 16) x k in [k0, k0 + 32) of fp32 src, as bf16 pairs: each row converts to 16
 * 32-bit words (pairs k, k + 1), then the 16 x 16 words are transposed into [kp][c]. */
TBF16 static void pack_bf16_block(const float *src, int ld, uint16_t *d)
{
    float w[256];
    for (int c = 0; c < 16; c++) {
        const float *r = src + (size_t)c * ld;
        __m512bh h = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(r + 16), _mm512_loadu_ps(r));
        _mm512_storeu_ps(w + 16 * c, (__m512)h);
    }
    tr16_avx(w, 16, (float *)d, 16);
}

/* Rows 2rp, 2rp + 1 of src (16 columns each) into one 64-byte group of bf16 pairs. */
TBF16 static void pack_bf16_pair(const float *r0, const float *r1, uint16_t *d)
{
    const __m512i idx = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7, 22, 6,
                                         21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    __m512bh h = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(r1), _mm512_loadu_ps(r0));
    _mm512_storeu_si512((void *)d, _mm512_permutexvar_epi16(idx, (__m512i)h));
}
#endif

/* ================================================================ packers */

struct pack_job {
    struct dp_wmat *w;
    const struct dp_wmat *srcw;
    const float *src;
    int ld, avx, bf16;
};

/* Element (n, k) of a packed matrix's storage, as a pointer. */
static inline float *f32_at(const struct dp_wmat *w, int n, int k)
{
    return (float *)((unsigned char *)w->data + (size_t)(n / DP_PANEL) * w->panel_bytes) +
           (size_t)k * DP_PANEL + n % DP_PANEL;
}

static inline uint16_t *bf16_at(const struct dp_wmat *w, int n, int k)
{
    return (uint16_t *)((unsigned char *)w->data + (size_t)(n / DP_PANEL) * w->panel_bytes) +
           ((size_t)(k >> 1) * DP_PANEL + n % DP_PANEL) * 2 + (k & 1);
}

/* Panel p of w from src rows (src[n][k] at src + n * ld + k). */
static void pack_panel(const struct pack_job *j, int p)
{
    const struct dp_wmat *w = j->w;
    int n0 = p * DP_PANEL, n1 = n0 + DP_PANEL < w->N ? n0 + DP_PANEL : w->N, kf = 0;
    const float *base = j->src + (size_t)n0 * j->ld;
    if (w->dtype == DP_DTYPE_F32) {
        float *d = f32_at(w, n0, 0);
#if defined(__x86_64__)
        if (j->avx && n1 - n0 == 16)   /* whole 16 x 16 blocks transposed in registers */
            for (; kf + 16 <= w->K; kf += 16) tr16_avx(base + kf, j->ld, d + (size_t)kf * DP_PANEL, DP_PANEL);
#endif
        for (int n = n0; n < n1; n++) {
            const float *s = j->src + (size_t)n * j->ld;
            for (int k = kf; k < w->K; k++) d[(size_t)k * DP_PANEL + (n - n0)] = s[k];
        }
    } else {
        uint16_t *d = bf16_at(w, n0, 0);
#if defined(__x86_64__)
        if (j->bf16 && n1 - n0 == 16)
            for (; kf + 32 <= w->K; kf += 32) pack_bf16_block(base + kf, j->ld, d + (size_t)kf * DP_PANEL);
#endif
        for (int n = n0; n < n1; n++) {
            const float *s = j->src + (size_t)n * j->ld;
            for (int k = kf; k < w->K; k++)
                d[((size_t)(k >> 1) * DP_PANEL + (n - n0)) * 2 + (k & 1)] = dp_f32_to_bf16(s[k]);
            if (w->K & 1) d[((size_t)(w->K >> 1) * DP_PANEL + (n - n0)) * 2 + 1] = 0;   /* pad */
        }
    }
}

/* Rows [r0, r1) of src [R, K] (r0 even) into every panel of w = src^T ([K, R]): element (k, r) =
 * src[r][k]. Reading row by row keeps the source sequential; each panel gets a contiguous run. */
static void pack_rows_t(const struct pack_job *j, int r0, int r1)
{
    const struct dp_wmat *w = j->w;
    int R = w->K;
    for (int p = 0; p < w->npanels; p++) {
        int k0 = p * DP_PANEL, nc = w->N - k0 < DP_PANEL ? w->N - k0 : DP_PANEL;
        if (w->dtype == DP_DTYPE_F32) {
            float *d = f32_at(w, k0, 0);
            for (int r = r0; r < r1; r++) memcpy(d + (size_t)r * DP_PANEL, j->src + (size_t)r * j->ld + k0, (size_t)nc * 4);
            continue;
        }
        uint16_t *d = bf16_at(w, k0, 0);
        int r = r0;
#if defined(__x86_64__)
        if (j->bf16 && nc == 16)
            for (; r + 2 <= r1; r += 2)
                pack_bf16_pair(j->src + (size_t)r * j->ld + k0, j->src + (size_t)(r + 1) * j->ld + k0,
                               d + (size_t)r * DP_PANEL);
#endif
        for (; r < r1; r++) {
            const float *s = j->src + (size_t)r * j->ld + k0;
            uint16_t *o = d + (size_t)(r >> 1) * DP_PANEL * 2 + (r & 1);
            for (int c = 0; c < nc; c++) o[2 * c] = dp_f32_to_bf16(s[c]);
        }
        if ((R & 1) && r1 == R) {   /* the pad half of the last pair */
            uint16_t *o = d + (size_t)(R >> 1) * DP_PANEL * 2 + 1;
            for (int c = 0; c < DP_PANEL; c++) o[2 * c] = 0;
        }
    }
}

/* Panel p of w ([K, N]) from the packed src ([N, K]): w(k, n) = src(n, k). */
static void pack_panel_tw(const struct pack_job *j, int p)
{
    const struct dp_wmat *w = j->w, *s = j->srcw;
    int k0 = p * DP_PANEL, k1 = k0 + DP_PANEL < w->N ? k0 + DP_PANEL : w->N;
    for (int n = 0; n < s->N; n++)
        for (int k = k0; k < k1; k++) {
            if (w->dtype == DP_DTYPE_F32) {
                float v = s->dtype == DP_DTYPE_F32 ? *f32_at(s, n, k) : dp_bf16_to_f32(*bf16_at(s, n, k));
                *f32_at(w, k, n) = v;
            } else {
                *bf16_at(w, k, n) = s->dtype == DP_DTYPE_BF16 ? *bf16_at(s, n, k) : dp_f32_to_bf16(*f32_at(s, n, k));
            }
        }
}

enum { PK_ROWS, PK_T, PK_TW };
struct pack_run {
    struct pack_job j;
    int kind;
};

static void pack_worker(void *ctx, int tid, int nth)
{
    const struct pack_run *r = ctx;
    long lo, hi;
    if (r->kind == PK_T) {   /* split by blocks of 32 source rows */
        int R = r->j.w->K;
        dp_pool_split((R + 31) / 32, tid, nth, &lo, &hi);
        if (lo < hi) pack_rows_t(&r->j, (int)lo * 32, hi * 32 < R ? (int)hi * 32 : R);
        return;
    }
    dp_pool_split(r->j.w->npanels, tid, nth, &lo, &hi);
    for (long p = lo; p < hi; p++) {
        if (r->kind == PK_ROWS) pack_panel(&r->j, (int)p);
        else pack_panel_tw(&r->j, (int)p);
    }
}

static void run_pack(struct dp_pool *pool, struct pack_run *r)
{
    long work = (long)r->j.w->N * r->j.w->K;
    dp_pool_run(work < 65536 ? NULL : pool, pack_worker, r);
}

void dp_pack_f32(struct dp_pool *pool, struct dp_wmat *w, const float *src, int ld)
{
    struct pack_run r = {{w, NULL, src, ld, dp_matmul_has_avx512(), dp_matmul_has_bf16()}, PK_ROWS};
    run_pack(pool, &r);
}

void dp_pack_f32_t(struct dp_pool *pool, struct dp_wmat *w, const float *src, int ld)
{
    struct pack_run r = {{w, NULL, src, ld, dp_matmul_has_avx512(), dp_matmul_has_bf16()}, PK_T};
    run_pack(pool, &r);
}

void dp_pack_transpose_wmat(struct dp_pool *pool, struct dp_wmat *w, const struct dp_wmat *src)
{
    assert(w->N == src->K && w->K == src->N);
    struct pack_run r = {{w, src, NULL, 0, 0, 0}, PK_TW};
    run_pack(pool, &r);
}

/* ================================================================ transpose, product */

struct tr_job {
    float *out;
    const float *in;
    int R, C, ld, avx;
};


static void tr_worker(void *ctx, int tid, int nth)
{
    const struct tr_job *j = ctx;
    long lo, hi;
    dp_pool_split((j->C + 15) / 16, tid, nth, &lo, &hi);
    for (long cb = lo * 16; cb < hi * 16 && cb < j->C; cb += 16) {
        int ce = cb + 16 < j->C ? (int)cb + 16 : j->C;
        for (int r0 = 0; r0 < j->R; r0 += 16) {
            int re = r0 + 16 < j->R ? r0 + 16 : j->R;
#if defined(__x86_64__)
            if (j->avx && ce - cb == 16 && re - r0 == 16) {
                tr16_avx(j->in + (size_t)r0 * j->ld + cb, j->ld, j->out + (size_t)cb * j->R + r0, j->R);
                continue;
            }
#endif
            for (int c = (int)cb; c < ce; c++)
                for (int r = r0; r < re; r++) j->out[(size_t)c * j->R + r] = j->in[(size_t)r * j->ld + c];
        }
    }
}

void dp_transpose(struct dp_pool *pool, float *out, const float *in, int R, int C, int ld)
{
    struct tr_job j = {out, in, R, C, ld, dp_matmul_has_avx512()};
    dp_pool_run((long)R * C < 65536 ? NULL : pool, tr_worker, &j);
}

struct acc_job {
    float *out;
    const float *tmp;
    int ldo, M, N;
    bool acc;
    float alpha;
};

static void acc_worker(void *ctx, int tid, int nth)
{
    const struct acc_job *j = ctx;
    long lo, hi;
    dp_pool_split(j->M, tid, nth, &lo, &hi);
    for (long m = lo; m < hi; m++) {
        float *o = j->out + (size_t)m * j->ldo;
        const float *t = j->tmp + (size_t)m * j->N;
        if (j->acc)
            for (int n = 0; n < j->N; n++) o[n] += j->alpha * t[n];
        else
            for (int n = 0; n < j->N; n++) o[n] = j->alpha * t[n];
    }
}

static size_t al64(size_t n) { return (n + 63) & ~(size_t)63; }

void dp_mm(struct dp_pool *pool, float *out, int ldo, bool acc, float alpha, const float *x,
           const struct dp_wmat *w, const float *bias, int M, enum dp_prec prec, struct dp_scratch *s)
{
    if (M <= 0) return;
    bool direct = !acc && alpha == 1.0f && ldo == w->N;
    size_t xb = w->dtype == DP_DTYPE_BF16 ? al64(dp_matmul_scratch(M, w->K)) : 0;
    size_t tb = direct ? 0 : al64((size_t)M * w->N * sizeof(float));
    unsigned char *mem = dp_scratch_get(s, xb + tb + 64);
    assert(mem);
    uint16_t *xbf = xb ? (uint16_t *)mem : NULL;
    float *tmp = direct ? out : (float *)(mem + xb);
    dp_matmul_forward(pool, tmp, x, w, bias, M, prec, xbf);
    if (direct) return;
    struct acc_job j = {out, tmp, ldo, M, w->N, acc, alpha};
    dp_pool_run((long)M * w->N < 65536 ? NULL : pool, acc_worker, &j);
}
