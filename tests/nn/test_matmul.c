/* Packed matmul: every kernel (fp32 weights, bf16 weights widened, bf16 dot products) against a
 * double-precision loop, on shapes with ragged N and odd K; bitwise batch invariance (a row's
 * result is the same alone, in any batch, with 1 or 3 threads); pack/get_row round trip; the
 * thread pool (per-thread jobs, and ranges shared out with stealing from a stalled worker). */
#include "harness.h"
#include "base/arena.h"
#include "base/rng.h"
#include "nn/matmul.h"
#include <math.h>
#include <stdlib.h>
#include <time.h>

struct mm_case {
    int N, K;
    enum dp_dtype src;
    struct dp_wmat w;
    void *mem;
    void *raw;      /* source rows [N, K] */
    float *bias;
};

static void make_case(struct mm_case *c, int N, int K, enum dp_dtype src, struct dp_rng *r)
{
    c->N = N;
    c->K = K;
    c->src = src;
    size_t es = dp_dtype_size(src);
    c->raw = dp_xmalloc((size_t)N * K * es);
    for (size_t i = 0; i < (size_t)N * K; i++) {
        float v = (float)dp_rng_normal(r) * 0.5f;
        if (src == DP_DTYPE_F32) memcpy((char *)c->raw + 4 * i, &v, 4);
        else {
            uint16_t h = src == DP_DTYPE_BF16 ? dp_f32_to_bf16(v) : dp_f32_to_f16(v);
            memcpy((char *)c->raw + 2 * i, &h, 2);
        }
    }
    enum dp_dtype dt = dp_wmat_dtype_for(src);
    size_t nb = dp_wmat_bytes(N, K, dt);
    c->mem = aligned_alloc(64, nb);
    memset(c->mem, 0, nb);
    dp_wmat_init(&c->w, c->mem, N, K, dt);
    int half = N / 2;   /* two calls, as fused q/k/v are packed */
    dp_wmat_pack_rows(&c->w, 0, half, c->raw, src);
    dp_wmat_pack_rows(&c->w, half, N - half, (char *)c->raw + (size_t)half * K * es, src);
    c->bias = dp_xmalloc((size_t)N * sizeof(float));
    for (int n = 0; n < N; n++) c->bias[n] = (float)dp_rng_normal(r);
}

static void free_case(struct mm_case *c)
{
    free(c->raw);
    free(c->mem);
    free(c->bias);
}

/* max |got - ref| / (1 + |ref|) over out[M,N], ref in double from x (rounded to bf16 first when
 * round_x). */
static double check(const struct mm_case *c, const float *x, const float *out, int M, int round_x)
{
    double worst = 0;
    for (int m = 0; m < M; m++)
        for (int n = 0; n < c->N; n++) {
            double ref = c->bias[n];
            for (int k = 0; k < c->K; k++) {
                float xv = x[(size_t)m * c->K + k];
                if (round_x) xv = dp_bf16_to_f32(dp_f32_to_bf16(xv));
                ref += (double)xv * dp_load_f32(c->raw, c->src, (size_t)n * c->K + k);
            }
            double err = fabs(out[(size_t)m * c->N + n] - ref) / (1 + fabs(ref));
            if (err > worst) worst = err;
        }
    return worst;
}

static void run_shapes(enum dp_dtype src, enum dp_prec prec, double tol, int round_x)
{
    static const int shapes[][2] = {{1, 1}, {17, 5}, {40, 64}, {50, 33}, {100, 96}, {33, 130}};
    struct dp_rng r;
    dp_rng_seed(&r, 42);
    struct dp_pool *pool = dp_pool_create(3);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        struct mm_case c;
        make_case(&c, shapes[s][0], shapes[s][1], src, &r);
        int M = 13;
        float *x = dp_xmalloc((size_t)M * c.K * 4), *out = dp_xmalloc((size_t)M * c.N * 4);
        float *one = dp_xmalloc((size_t)c.N * 4);
        for (size_t i = 0; i < (size_t)M * c.K; i++) x[i] = (float)dp_rng_normal(&r);
        uint16_t *xbf = aligned_alloc(64, dp_matmul_scratch(M, c.K));
        dp_matmul_forward(pool, out, x, &c.w, c.bias, M, prec, xbf);
        double err = check(&c, x, out, M, round_x);
        if (err > tol) {
            fprintf(stderr, "N=%d K=%d %s prec %d: error %g\n", c.N, c.K, dp_dtype_name(src), prec, err);
            EXPECT(0);
        }
        for (int m = 0; m < M; m++) {   /* each row alone, single-threaded: bitwise equal */
            dp_matmul_forward(NULL, one, x + (size_t)m * c.K, &c.w, c.bias, 1, prec, xbf);
            if (memcmp(one, out + (size_t)m * c.N, (size_t)c.N * 4)) {
                fprintf(stderr, "N=%d K=%d row %d differs alone\n", c.N, c.K, m);
                EXPECT(0);
                break;
            }
        }
        free(x); free(out); free(one); free(xbf);
        free_case(&c);
    }
    dp_pool_free(pool);
}

static void test_f32_weights(void) { run_shapes(DP_DTYPE_F32, DP_PREC_F32, 1e-5, 0); }
static void test_f16_weights(void) { run_shapes(DP_DTYPE_F16, DP_PREC_BF16, 1e-5, 0); }
static void test_bf16_weights_exact(void) { run_shapes(DP_DTYPE_BF16, DP_PREC_F32, 1e-5, 0); }
static void test_bf16_weights_bf16_dot(void)
{
    run_shapes(DP_DTYPE_BF16, DP_PREC_BF16, dp_matmul_has_bf16() ? 1e-5 : 1e-5,
               dp_matmul_has_bf16());
}

static void test_get_row(void)
{
    struct dp_rng r;
    dp_rng_seed(&r, 7);
    struct mm_case c;
    make_case(&c, 37, 11, DP_DTYPE_BF16, &r);
    float row[11];
    dp_wmat_get_row(&c.w, 36, row);
    for (int k = 0; k < 11; k++) EXPECT(row[k] == dp_load_f32(c.raw, DP_DTYPE_BF16, 36 * 11 + k));
    free_case(&c);
}

static void add_one(void *ctx, int tid, int n) { __atomic_fetch_add((int *)ctx, tid + 1, __ATOMIC_SEQ_CST); }

static void test_pool(void)
{
    struct dp_pool *p = dp_pool_create(4);
    int sum = 0;
    for (int i = 0; i < 1000; i++) dp_pool_run(p, add_one, &sum);
    EXPECT_INT(sum, 10000);
    dp_pool_free(p);
    long lo, hi, tot = 0;
    for (int t = 0; t < 3; t++) { dp_pool_split(10, t, 3, &lo, &hi); tot += hi - lo; }
    EXPECT_INT(tot, 10);
}

/* dp_pool_run_range: every unit run exactly once, in pieces of at most grain, on any thread count
 * (more threads than CPUs makes workers late, so the others steal their shares). */
struct range_ctx { int *hits; long grain; int bad; int slow_tid; };

static void mark(void *ctx, long lo, long hi, int tid)
{
    struct range_ctx *r = ctx;
    if (hi <= lo || hi - lo > r->grain) __atomic_store_n(&r->bad, 1, __ATOMIC_RELAXED);
    if (tid == r->slow_tid) {   /* a worker that stalls mid-piece: the caller steals the rest */
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    for (long i = lo; i < hi; i++) __atomic_fetch_add(&r->hits[i], 1, __ATOMIC_RELAXED);
}

static void test_pool_range(void)
{
    struct dp_rng rng;
    dp_rng_seed(&rng, 5);
    static const int nth[] = {1, 2, 3, 5};
    for (size_t t = 0; t < sizeof nth / sizeof nth[0]; t++) {
        struct dp_pool *p = dp_pool_create(nth[t]);
        for (int it = 0; it < 300; it++) {
            long n = 1 + (long)dp_rng_below(&rng, 3000);
            struct range_ctx r = {dp_xcalloc((size_t)n, sizeof(int)), 1 + (long)dp_rng_below(&rng, 40), 0,
                                  it % 50 == 7 ? nth[t] - 1 : -1};
            if (r.slow_tid == 0) r.slow_tid = -1;
            dp_pool_run_range(p, n, r.grain, mark, &r);
            int ok = !r.bad;
            for (long i = 0; i < n; i++) ok &= r.hits[i] == 1;
            if (!ok) {
                fprintf(stderr, "range: %d threads, n %ld, grain %ld: a unit not run exactly once\n",
                        nth[t], n, r.grain);
                EXPECT(0);
            }
            free(r.hits);
            if (it % 3 == 0) {   /* per-thread jobs interleaved with range jobs */
                int sum = 0;
                dp_pool_run(p, add_one, &sum);
                EXPECT_INT(sum, nth[t] * (nth[t] + 1) / 2);
            }
        }
        dp_pool_free(p);
    }
    int hits[10] = {0};   /* no pool: the caller alone */
    struct range_ctx r = {hits, 3, 0, -1};
    dp_pool_run_range(NULL, 10, 3, mark, &r);
    for (int i = 0; i < 10; i++) EXPECT_INT(hits[i], 1);
}

int main(void)
{
    RUN(test_pool);
    RUN(test_pool_range);
    RUN(test_f32_weights);
    RUN(test_f16_weights);
    RUN(test_bf16_weights_exact);
    RUN(test_bf16_weights_bf16_dot);
    RUN(test_get_row);
    TEST_END();
}
