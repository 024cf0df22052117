/* AdamW and gradient-norm helpers (see adamw.h). The per-element arithmetic follows torch's
 * single-tensor AdamW in fp32 with the scalar factors computed in double; the AVX-512 loop does
 * the same IEEE operations in the same order (no contraction), so it gives the scalar loop's
 * bits. */
#include "train/adamw.h"
#include "nn/matmul.h"
#include <math.h>
#include <stdlib.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define DP_X86 1
#define T512 __attribute__((target("avx512f,avx512dq")))
#endif

struct adam_job {
    const struct dp_adamw *o;
    float *p, *m, *v;
    const float *g;
    size_t n;
    float decay_mul, b1, omb1, b2, omb2, step_size, bc2_sqrt, eps, s;
    double *part;
};

#ifdef DP_X86
T512 static size_t adam_avx(const struct adam_job *j, size_t a, size_t b)
{
    const __m512 dm = _mm512_set1_ps(j->decay_mul), gs = _mm512_set1_ps(j->s), b1 = _mm512_set1_ps(j->b1);
    const __m512 o1 = _mm512_set1_ps(j->omb1), b2 = _mm512_set1_ps(j->b2), o2 = _mm512_set1_ps(j->omb2);
    const __m512 bc = _mm512_set1_ps(j->bc2_sqrt), ep = _mm512_set1_ps(j->eps), st = _mm512_set1_ps(j->step_size);
    size_t i = a;
    for (; i + 16 <= b; i += 16) {
        __m512 p = _mm512_mul_ps(_mm512_loadu_ps(j->p + i), dm), g = _mm512_mul_ps(_mm512_loadu_ps(j->g + i), gs);
        __m512 m = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(j->m + i), b1), _mm512_mul_ps(o1, g));
        __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(j->v + i), b2), _mm512_mul_ps(o2, _mm512_mul_ps(g, g)));
        __m512 den = _mm512_add_ps(_mm512_div_ps(_mm512_sqrt_ps(v), bc), ep);
        _mm512_storeu_ps(j->p + i, _mm512_sub_ps(p, _mm512_mul_ps(st, _mm512_div_ps(m, den))));
        _mm512_storeu_ps(j->m + i, m);
        _mm512_storeu_ps(j->v + i, v);
    }
    return i;
}
#endif

static void adam_worker(void *ctx, int tid, int nth)
{
    const struct adam_job *j = ctx;
    long lo, hi;
    dp_pool_split((long)((j->n + 1023) / 1024), tid, nth, &lo, &hi);
    size_t a = (size_t)lo * 1024, b = (size_t)hi * 1024 < j->n ? (size_t)hi * 1024 : j->n;
#ifdef DP_X86
    if (dp_matmul_has_avx512()) a = adam_avx(j, a, b);
#endif
    for (size_t i = a; i < b; i++) {
        float p = j->p[i] * j->decay_mul, g = j->g[i] * j->s;
        float m = j->m[i] * j->b1 + j->omb1 * g;
        float v = j->v[i] * j->b2 + j->omb2 * (g * g);
        float denom = sqrtf(v) / j->bc2_sqrt + j->eps;
        j->p[i] = p - j->step_size * (m / denom);
        j->m[i] = m;
        j->v[i] = v;
    }
}

void dp_adamw_step(struct dp_pool *pool, const struct dp_adamw *o, float *p, const float *g, float gscale,
                   float *m, float *v, size_t n, double lr, long t, bool decay)
{
    struct adam_job j = {.o = o, .p = p, .m = m, .v = v, .g = g, .n = n, .s = gscale};
    j.decay_mul = (float)(1.0 - lr * (decay ? o->weight_decay : 0.0));
    j.b1 = (float)o->beta1, j.omb1 = (float)(1.0 - o->beta1);
    j.b2 = (float)o->beta2, j.omb2 = (float)(1.0 - o->beta2);
    j.step_size = (float)(lr / (1.0 - pow(o->beta1, (double)t)));
    j.bc2_sqrt = (float)sqrt(1.0 - pow(o->beta2, (double)t));
    j.eps = (float)o->eps;
    dp_pool_run(n < 65536 ? NULL : pool, adam_worker, &j);
}

#define BLK 4096

#ifdef DP_X86
/* sum of g^2 over [a, b) in 16 double lanes, then lanes added in a fixed order */
T512 static double sumsq_avx(const float *g, size_t a, size_t b)
{
    __m512d s0 = _mm512_setzero_pd(), s1 = s0;
    size_t i = a;
    for (; i + 16 <= b; i += 16) {
        __m512 x = _mm512_loadu_ps(g + i);
        __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(x));
        __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
        s0 = _mm512_fmadd_pd(lo, lo, s0);
        s1 = _mm512_fmadd_pd(hi, hi, s1);
    }
    double s = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
    for (; i < b; i++) s += (double)g[i] * g[i];
    return s;
}
#endif

static void sumsq_worker(void *ctx, int tid, int nth)
{
    const struct adam_job *j = ctx;
    long nb = (long)((j->n + BLK - 1) / BLK), lo, hi;
    dp_pool_split(nb, tid, nth, &lo, &hi);
    for (long k = lo; k < hi; k++) {
        size_t a = (size_t)k * BLK, b = a + BLK < j->n ? a + BLK : j->n;
        double s = 0;
#ifdef DP_X86
        if (dp_matmul_has_avx512()) {
            j->part[k] = sumsq_avx(j->g, a, b);
            continue;
        }
#endif
        for (size_t i = a; i < b; i++) s += (double)j->g[i] * j->g[i];
        j->part[k] = s;
    }
}

double dp_grad_sumsq(struct dp_pool *pool, const float *g, size_t n)
{
    long nb = (long)((n + BLK - 1) / BLK);
    double stack[256], *part = nb <= 256 ? stack : malloc((size_t)nb * sizeof *part);
    struct adam_job j = {.g = g, .n = n, .part = part};
    dp_pool_run(nb < 4 ? NULL : pool, sumsq_worker, &j);
    double s = 0;
    for (long k = 0; k < nb; k++) s += part[k];
    if (part != stack) free(part);
    return s;
}
