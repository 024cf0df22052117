/* The machine's arithmetic peaks, measured: what the benchmarks hold their matrix products
 * against. bench_peak(pool, bf16) runs 12 independent accumulator chains of AVX-512 FP32 FMAs
 * (2 flops per lane) or BF16 dot products (vdpbf16ps: 4 flops per fp32 lane) on every thread of
 * the pool and returns GFLOP/s: the best of 10 short runs, after a first one that is not
 * counted, so that other load on the machine counts as little as possible. 0 where the
 * instructions are missing. Header-only: each bench is one C file. */
#ifndef DP_BENCH_PEAK_H
#define DP_BENCH_PEAK_H
#include "base/log.h"
#include "nn/matmul.h"
#include "nn/pool.h"

#if defined(__x86_64__)
#include <immintrin.h>
struct peak_job { int bf16; long iters; float sink; };

__attribute__((target("avx512f"))) static float peak_fma_loop(long iters)
{
    __m512 a[12], x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
    for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps((float)i);
    for (long k = 0; k < iters; k++)
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) a[i] = _mm512_fmadd_ps(a[i], x, y);
    __m512 s = a[0];
    for (int i = 1; i < 12; i++) s = _mm512_add_ps(s, a[i]);
    return _mm512_reduce_add_ps(s);
}

__attribute__((target("avx512f,avx512bf16"))) static float peak_dpbf16_loop(long iters)
{
    __m512 a[12];
    __m512bh x = (__m512bh)_mm512_set1_epi16(0x3f80), y = (__m512bh)_mm512_set1_epi16(0x3f80);
    for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps((float)i);
    for (long k = 0; k < iters; k++)
#pragma GCC unroll 12
        for (int i = 0; i < 12; i++) a[i] = _mm512_dpbf16_ps(a[i], x, y);
    __m512 s = a[0];
    for (int i = 1; i < 12; i++) s = _mm512_add_ps(s, a[i]);
    return _mm512_reduce_add_ps(s);
}

static void peak_worker(void *ctx, int tid, int nth)
{
    struct peak_job *j = ctx;
    float v = j->bf16 ? peak_dpbf16_loop(j->iters) : peak_fma_loop(j->iters);
    (void)nth;
    if (tid == 0) j->sink = v;
}
#endif

static double bench_peak(struct dp_pool *pool, int bf16)
{
#if defined(__x86_64__)
    if (bf16 ? !dp_matmul_has_bf16() : !dp_matmul_has_avx512()) return 0;
    double best = 0;
    for (int r = 0; r <= 10; r++) {   /* run 0 wakes the threads and the clocks: not counted */
        struct peak_job j = {bf16, 2000000, 0};
        double t = dp_now();
        dp_pool_run(pool, peak_worker, &j);
        t = dp_now() - t;
        double g = (double)j.iters * 12 * 16 * (bf16 ? 4 : 2) * dp_pool_size(pool) / t / 1e9;
        if (r) best = g > best ? g : best;
    }
    return best;
#else
    (void)pool, (void)bf16;
    return 0;
#endif
}
#endif
