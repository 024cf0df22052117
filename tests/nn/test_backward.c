/* Finite-difference gradient checks for every backward op of nn/ops_backward.h: embedding,
 * RMSNorm, linear with bias (dx, dW, db; strided dy; accumulate flags), RoPE, GQA causal
 * attention over packed sequences, SwiGLU, residual add, LM-head log-probabilities in vocab
 * chunks. Each check: loss = sum(out * R) in double, central differences (eps 1e-2) on sampled
 * elements of every input, max error |num - ana| / max(|ana|, 0.1 max|grad|) <= 1e-2. Also the
 * BF16 product mode against F32, and thread-count invariance of the attention backward. */
#include "harness.h"
#include "base/arena.h"
#include "base/rng.h"
#include "nn/ops_backward.h"
#include <math.h>
#include <stdlib.h>

#define EPS 1e-2f
#define TOL 1e-2

static struct dp_rng rng;

static float *rnd(int n, float sd)
{
    float *p = dp_xmalloc((size_t)n * 4);
    for (int i = 0; i < n; i++) p[i] = (float)dp_rng_normal(&rng) * sd;
    return p;
}

static float *zeros(int n) { return dp_xcalloc((size_t)n, 4); }

static double dotr(const float *out, const float *R, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)out[i] * R[i];
    return s;
}

typedef double (*loss_fn)(void *ctx);

/* Max scaled error of grad[0..n) against central differences of f over param (all elements
 * when n <= 64, else 64 sampled). */
static double fd(void *ctx, loss_fn f, float *param, const float *grad, int n, const char *what)
{
    double gmax = 0, worst = 0;
    for (int i = 0; i < n; i++) gmax = fabs(grad[i]) > gmax ? fabs(grad[i]) : gmax;
    for (int s = 0; s < (n <= 64 ? n : 64); s++) {
        int i = n <= 64 ? s : (int)dp_rng_below(&rng, (uint32_t)n);
        float v = param[i];
        param[i] = v + EPS;
        double lp = f(ctx);
        param[i] = v - EPS;
        double lm = f(ctx);
        param[i] = v;
        double num = (lp - lm) / (2.0 * EPS), an = grad[i];
        double den = fabs(an) > 0.1 * gmax ? fabs(an) : 0.1 * gmax;
        double err = den > 0 ? fabs(num - an) / den : fabs(num);
        if (err > worst) worst = err;
    }
    printf("# %-28s max err %.2e (max |grad| %.3g)\n", what, worst, gmax);
    return worst;
}

/* ---------------------------------------------------------------- RMSNorm */

struct rms_ctx { int M, C; float *x, *w, *out, *R; };

static double rms_loss(void *c)
{
    struct rms_ctx *k = c;
    dp_rmsnorm_forward(k->out, k->x, k->w, 1e-5f, k->M, k->C);
    return dotr(k->out, k->R, (size_t)k->M * k->C);
}

static void test_rmsnorm(void)
{
    struct rms_ctx k = {.M = 5, .C = 37};
    int n = k.M * k.C;
    k.x = rnd(n, 1.0f);
    k.w = rnd(k.C, 0.5f);
    for (int c = 0; c < k.C; c++) k.w[c] += 1.0f;
    k.out = zeros(n);
    k.R = rnd(n, 1.0f);
    float *dx = zeros(n), *dw = zeros(k.C);
    struct dp_pool *pool = dp_pool_create(2);
    dp_rmsnorm_backward(pool, dx, dw, k.R, k.x, k.w, 1e-5f, k.M, k.C);
    EXPECT(fd(&k, rms_loss, k.x, dx, n, "rmsnorm dx") < TOL);
    EXPECT(fd(&k, rms_loss, k.w, dw, k.C, "rmsnorm dw") < TOL);
    dp_pool_free(pool);
    free(k.x), free(k.w), free(k.out), free(k.R), free(dx), free(dw);
}

/* ---------------------------------------------------------------- embedding */

struct emb_ctx { int V, C, M; float *W, *out, *R; int32_t *ids; };

static double emb_loss(void *c)
{
    struct emb_ctx *k = c;
    struct dp_wmat w;
    dp_wmat_alloc(&w, k->V, k->C, DP_DTYPE_F32);
    dp_pack_f32(NULL, &w, k->W, k->C);
    dp_embedding_forward(k->out, k->ids, &w, k->M);
    dp_wmat_free(&w);
    return dotr(k->out, k->R, (size_t)k->M * k->C);
}

static void test_embedding(void)
{
    struct emb_ctx k = {.V = 11, .C = 7, .M = 9};
    k.W = rnd(k.V * k.C, 1.0f);
    k.out = zeros(k.M * k.C);
    k.R = rnd(k.M * k.C, 1.0f);
    int32_t ids[9] = {3, 0, 3, 10, 5, 3, 1, 0, 9};
    k.ids = ids;
    float *dW = zeros(k.V * k.C);
    dp_embedding_backward(NULL, dW, k.R, ids, k.M, k.C);
    EXPECT(fd(&k, emb_loss, k.W, dW, k.V * k.C, "embedding dW") < TOL);
    free(k.W), free(k.out), free(k.R), free(dW);
}

/* ---------------------------------------------------------------- linear */

struct lin_ctx { int M, N, K; float *x, *W, *b, *out, *R; };

static double lin_loss(void *c)
{
    struct lin_ctx *k = c;
    struct dp_wmat w;
    struct dp_scratch s = {0};
    dp_wmat_alloc(&w, k->N, k->K, DP_DTYPE_F32);
    dp_pack_f32(NULL, &w, k->W, k->K);
    dp_mm(NULL, k->out, k->N, false, 1.0f, k->x, &w, k->b, k->M, DP_PREC_F32, &s);
    dp_wmat_free(&w);
    dp_scratch_free(&s);
    return dotr(k->out, k->R, (size_t)k->M * k->N);
}

static void test_linear(void)
{
    struct lin_ctx k = {.M = 6, .N = 19, .K = 23};
    k.x = rnd(k.M * k.K, 1.0f);
    k.W = rnd(k.N * k.K, 0.3f);
    k.b = rnd(k.N, 0.3f);
    k.out = zeros(k.M * k.N);
    int ldy = k.N + 5;   /* dy as a column slice of a wider matrix */
    float *wide = rnd(k.M * ldy, 1.0f);
    k.R = zeros(k.M * k.N);
    for (int m = 0; m < k.M; m++) memcpy(k.R + m * k.N, wide + m * ldy + 3, (size_t)k.N * 4);
    struct dp_pool *pool = dp_pool_create(2);
    struct dp_ws ws = {0};
    struct dp_wmat wt;
    dp_wmat_alloc(&wt, k.K, k.N, DP_DTYPE_F32);
    dp_pack_f32_t(pool, &wt, k.W, k.K);
    float *dx = rnd(k.M * k.K, 1.0f), *dW = rnd(k.N * k.K, 1.0f), *db = zeros(k.N);
    float *dx0 = dp_xmalloc((size_t)k.M * k.K * 4), *dW0 = dp_xmalloc((size_t)k.N * k.K * 4);
    memcpy(dx0, dx, (size_t)k.M * k.K * 4);
    memcpy(dW0, dW, (size_t)k.N * k.K * 4);
    /* accumulate into the random starting values, then subtract them */
    dp_linear_backward(pool, dx, true, dW, true, db, wide + 3, ldy, k.x, &wt, k.M, k.N, k.K, DP_PREC_F32, &ws);
    for (int i = 0; i < k.M * k.K; i++) dx[i] -= dx0[i];
    for (int i = 0; i < k.N * k.K; i++) dW[i] -= dW0[i];
    EXPECT(fd(&k, lin_loss, k.x, dx, k.M * k.K, "linear dx (accumulated)") < TOL);
    EXPECT(fd(&k, lin_loss, k.W, dW, k.N * k.K, "linear dW (accumulated)") < TOL);
    EXPECT(fd(&k, lin_loss, k.b, db, k.N, "linear db") < TOL);
    /* written (not accumulated) outputs equal the accumulated increments */
    float *dx2 = rnd(k.M * k.K, 1.0f), *dW2 = rnd(k.N * k.K, 1.0f);
    dp_linear_backward(pool, dx2, false, dW2, false, NULL, k.R, k.N, k.x, &wt, k.M, k.N, k.K, DP_PREC_F32, &ws);
    double d = 0;
    for (int i = 0; i < k.M * k.K; i++) d = fmax(d, fabs(dx2[i] - dx[i]));
    for (int i = 0; i < k.N * k.K; i++) d = fmax(d, fabs(dW2[i] - dW[i]));
    EXPECT(d < 1e-4);
    /* BF16 products (when the CPU has them) stay close to F32 */
    if (dp_mm_storage(DP_PREC_BF16) == DP_DTYPE_BF16) {
        struct dp_wmat wtb;
        dp_wmat_alloc(&wtb, k.K, k.N, DP_DTYPE_BF16);
        dp_pack_f32_t(pool, &wtb, k.W, k.K);
        float *dx3 = zeros(k.M * k.K), *dW3 = zeros(k.N * k.K);
        dp_linear_backward(pool, dx3, false, dW3, false, NULL, k.R, k.N, k.x, &wtb, k.M, k.N, k.K, DP_PREC_BF16, &ws);
        double e = 0, sc = 0;
        for (int i = 0; i < k.M * k.K; i++) e = fmax(e, fabs(dx3[i] - dx[i])), sc = fmax(sc, fabs(dx[i]));
        for (int i = 0; i < k.N * k.K; i++) e = fmax(e, fabs(dW3[i] - dW[i])), sc = fmax(sc, fabs(dW[i]));
        printf("# linear bf16 vs f32: max abs diff %.2e of max %.3g\n", e, sc);
        EXPECT(e < 2e-2 * sc);
        dp_wmat_free(&wtb);
        free(dx3), free(dW3);
    }
    dp_wmat_free(&wt);
    dp_ws_free(&ws);
    dp_pool_free(pool);
    free(k.x), free(k.W), free(k.b), free(k.out), free(k.R), free(wide), free(dx), free(dW), free(db);
    free(dx0), free(dW0), free(dx2), free(dW2);
}

/* ---------------------------------------------------------------- RoPE */

struct rope_ctx { int M, H, D, ld; float *x, *out, *R, *cs, *sn; int32_t *pos; };

static double rope_loss(void *c)
{
    struct rope_ctx *k = c;
    memcpy(k->out, k->x, (size_t)k->M * k->ld * 4);
    dp_rope_forward(k->out, k->ld, k->pos, k->cs, k->sn, k->M, k->H, k->D);
    return dotr(k->out, k->R, (size_t)k->M * k->ld);
}

static void test_rope(void)
{
    struct rope_ctx k = {.M = 4, .H = 3, .D = 8, .ld = 3 * 8 + 4};
    int n = k.M * k.ld;
    k.x = rnd(n, 1.0f);
    k.out = zeros(n);
    k.R = rnd(n, 1.0f);
    for (int m = 0; m < k.M; m++)
        for (int i = k.H * k.D; i < k.ld; i++) k.R[m * k.ld + i] = 0;   /* not rotated: not in the loss */
    k.cs = zeros(64 * k.D / 2);
    k.sn = zeros(64 * k.D / 2);
    dp_rope_table(k.cs, k.sn, 64, k.D, 10000.0);
    int32_t pos[4] = {0, 5, 17, 63};
    k.pos = pos;
    float *dx = dp_xmalloc((size_t)n * 4);
    memcpy(dx, k.R, (size_t)n * 4);
    dp_rope_backward(dx, k.ld, pos, k.cs, k.sn, k.M, k.H, k.D);
    EXPECT(fd(&k, rope_loss, k.x, dx, n, "rope dx") < TOL);
    free(k.x), free(k.out), free(k.R), free(k.cs), free(k.sn), free(dx);
}

/* ---------------------------------------------------------------- SwiGLU, add */

struct sw_ctx { int M, F; float *gu, *out, *R; };

static double sw_loss(void *c)
{
    struct sw_ctx *k = c;
    dp_swiglu_forward(k->out, k->gu, k->M, k->F);
    return dotr(k->out, k->R, (size_t)k->M * k->F);
}

static void test_swiglu(void)
{
    struct sw_ctx k = {.M = 3, .F = 21};
    k.gu = rnd(k.M * 2 * k.F, 2.0f);
    k.out = zeros(k.M * k.F);
    k.R = rnd(k.M * k.F, 1.0f);
    float *dgu = zeros(k.M * 2 * k.F);
    dp_swiglu_backward(NULL, dgu, k.R, k.gu, k.M, k.F);
    EXPECT(fd(&k, sw_loss, k.gu, dgu, k.M * 2 * k.F, "swiglu dgu") < TOL);
    free(k.gu), free(k.out), free(k.R), free(dgu);
}

struct add_ctx { int n; float *x, *y, *out, *R; };

static double add_loss(void *c)
{
    struct add_ctx *k = c;
    memcpy(k->out, k->x, (size_t)k->n * 4);
    dp_add_forward(k->out, k->y, 1, k->n);
    return dotr(k->out, k->R, (size_t)k->n);
}

static void test_residual_add(void)
{
    struct add_ctx k = {.n = 13};
    k.x = rnd(k.n, 1.0f), k.y = rnd(k.n, 1.0f), k.out = zeros(k.n), k.R = rnd(k.n, 1.0f);
    /* y = x + f: the gradient reaches both branches unchanged */
    EXPECT(fd(&k, add_loss, k.x, k.R, k.n, "residual add dx") < TOL);
    EXPECT(fd(&k, add_loss, k.y, k.R, k.n, "residual add dy") < TOL);
    free(k.x), free(k.y), free(k.out), free(k.R);
}

/* ---------------------------------------------------------------- attention */

struct at_ctx {
    struct dp_attn a;
    int M, nseq, row0[3], len[3];
    float *qkv, *out, *lse, *R;
    struct dp_ws ws;
};

static double at_loss(void *c)
{
    struct at_ctx *k = c;
    dp_attention_forward(NULL, k->out, k->lse, k->qkv, &k->a, k->nseq, k->row0, k->len, &k->ws);
    return dotr(k->out, k->R, (size_t)k->M * k->a.H * k->a.D);
}

/* H heads of D over Hkv groups; 3 sequences (the middle one a single token). */
static void check_attention(int H, int Hkv, int D, int T, const char *what)
{
    struct at_ctx k = {.a = {H, Hkv, D, 0, 0, 0, 0}, .M = 2 * T + 1, .nseq = 3, .row0 = {0, T, T + 1},
                       .len = {T, 1, T}};
    k.a.q0 = 0;
    k.a.k0 = k.a.H * k.a.D;
    k.a.v0 = k.a.k0 + k.a.Hkv * k.a.D;
    k.a.ldq = k.a.v0 + k.a.Hkv * k.a.D + 3;
    int HD = k.a.H * k.a.D;
    k.qkv = rnd(k.M * k.a.ldq, 1.0f);
    k.out = zeros(k.M * HD);
    k.lse = zeros(k.M * k.a.H);
    k.R = rnd(k.M * HD, 1.0f);
    at_loss(&k);
    float *dqkv = zeros(k.M * k.a.ldq);
    struct dp_pool *pool = dp_pool_create(2);
    dp_attention_backward(pool, dqkv, k.R, k.out, k.lse, k.qkv, &k.a, k.nseq, k.row0, k.len, &k.ws);
    char name[96];
    snprintf(name, sizeof name, "attention %s (sampled)", what);
    EXPECT(fd(&k, at_loss, k.qkv, dqkv, k.M * k.a.ldq, name) < TOL);
    /* every q/k/v element of the single-token sequence and of the last row */
    double worst = 0;
    int rows[2] = {T, 2 * T};
    for (int i = 0; i < 2; i++) {
        int r = rows[i];
        snprintf(name, sizeof name, "attention %s row %d", what, r);
        double e = fd(&k, at_loss, k.qkv + r * k.a.ldq, dqkv + r * k.a.ldq, k.a.ldq - 3, name);
        worst = e > worst ? e : worst;
    }
    EXPECT(worst < TOL);
    /* one thread gives the same bits (fresh out/lse: fd left perturbed ones) */
    at_loss(&k);
    memset(dqkv, 0, (size_t)k.M * k.a.ldq * 4);
    dp_attention_backward(pool, dqkv, k.R, k.out, k.lse, k.qkv, &k.a, k.nseq, k.row0, k.len, &k.ws);
    float *d1 = zeros(k.M * k.a.ldq);
    dp_attention_backward(NULL, d1, k.R, k.out, k.lse, k.qkv, &k.a, k.nseq, k.row0, k.len, &k.ws);
    EXPECT(memcmp(d1, dqkv, (size_t)k.M * k.a.ldq * 4) == 0);
    dp_pool_free(pool);
    dp_ws_free(&k.ws);
    free(k.qkv), free(k.out), free(k.lse), free(k.R), free(dqkv), free(d1);
}

static void test_attention(void)
{
    check_attention(4, 2, 8, 6, "D8 GQA 2:1");      /* portable loops */
    check_attention(2, 1, 16, 70, "D16 GQA 2:1");   /* AVX-512 loops (when present), > 64 keys */
    check_attention(3, 3, 32, 9, "D32 MHA");
}

/* ---------------------------------------------------------------- log-probabilities */

struct lp_ctx { int M, V, C; float *x, *W, *g, *logp, *lse; int32_t *tgt; struct dp_ws ws; };

static double lp_loss(void *c)
{
    struct lp_ctx *k = c;
    struct dp_wmat w;
    dp_wmat_alloc(&w, k->V, k->C, DP_DTYPE_F32);
    dp_pack_f32(NULL, &w, k->W, k->C);
    dp_logprob_forward(NULL, k->logp, k->lse, k->x, k->tgt, &w, k->M, 16, DP_PREC_F32, &k->ws);
    dp_wmat_free(&w);
    return dotr(k->logp, k->g, (size_t)k->M);
}

static void test_logprob(void)
{
    struct lp_ctx k = {.M = 7, .V = 53, .C = 12};
    k.x = rnd(k.M * k.C, 1.0f);
    k.W = rnd(k.V * k.C, 0.5f);
    k.g = rnd(k.M, 1.0f);
    k.logp = zeros(k.M);
    k.lse = zeros(k.M);
    int32_t tgt[7] = {0, 52, 16, 17, 31, 5, 48};
    k.tgt = tgt;
    lp_loss(&k);
    /* against a direct double-precision log-softmax */
    double e = 0;
    for (int r = 0; r < k.M; r++) {
        double mx = -1e300, l[64];
        for (int v = 0; v < k.V; v++) {
            l[v] = 0;
            for (int c = 0; c < k.C; c++) l[v] += (double)k.x[r * k.C + c] * k.W[v * k.C + c];
            mx = l[v] > mx ? l[v] : mx;
        }
        double s = 0;
        for (int v = 0; v < k.V; v++) s += exp(l[v] - mx);
        e = fmax(e, fabs(l[tgt[r]] - mx - log(s) - k.logp[r]));
    }
    printf("# logprob forward vs double: %.2e\n", e);
    EXPECT(e < 1e-5);
    struct dp_wmat w, wt;
    struct dp_pool *pool = dp_pool_create(2);
    dp_wmat_alloc(&w, k.V, k.C, DP_DTYPE_F32);
    dp_wmat_alloc(&wt, k.C, k.V, DP_DTYPE_F32);
    dp_pack_f32(pool, &w, k.W, k.C);
    dp_pack_f32_t(pool, &wt, k.W, k.C);
    float *dx = zeros(k.M * k.C), *dW = zeros(k.V * k.C);
    dp_logprob_backward(pool, dx, dW, false, k.g, k.x, tgt, k.lse, &w, &wt, k.M, 16, DP_PREC_F32, &k.ws);
    EXPECT(fd(&k, lp_loss, k.x, dx, k.M * k.C, "logprob dx") < TOL);
    EXPECT(fd(&k, lp_loss, k.W, dW, k.V * k.C, "logprob dW") < TOL);
    /* chunking does not change the result beyond rounding (fresh lse: fd left a perturbed one) */
    lp_loss(&k);
    memset(dx, 0, (size_t)k.M * k.C * 4);
    dp_logprob_backward(pool, dx, dW, false, k.g, k.x, tgt, k.lse, &w, &wt, k.M, 16, DP_PREC_F32, &k.ws);
    float *dx2 = zeros(k.M * k.C), *dW2 = zeros(k.V * k.C);
    dp_logprob_backward(pool, dx2, dW2, false, k.g, k.x, tgt, k.lse, &w, &wt, k.M, 0, DP_PREC_F32, &k.ws);
    double d = 0;
    for (int i = 0; i < k.M * k.C; i++) d = fmax(d, fabs(dx2[i] - dx[i]));
    for (int i = 0; i < k.V * k.C; i++) d = fmax(d, fabs(dW2[i] - dW[i]));
    printf("# logprob one chunk vs chunks of 16: %.2e\n", d);
    EXPECT(d < 1e-5);
    dp_wmat_free(&w);
    dp_wmat_free(&wt);
    dp_pool_free(pool);
    dp_ws_free(&k.ws);
    free(k.x), free(k.W), free(k.g), free(k.logp), free(k.lse), free(dx), free(dW), free(dx2), free(dW2);
}

/* Transposes of ragged shapes and strided sources against the definition. */
static void test_transpose(void)
{
    int shapes[][3] = {{16, 16, 16}, {37, 50, 53}, {5, 3, 3}, {64, 33, 40}, {1, 17, 17}};
    struct dp_pool *pool = dp_pool_create(2);
    for (int i = 0; i < 5; i++) {
        int R = shapes[i][0], C = shapes[i][1], ld = shapes[i][2];
        float *in = rnd(R * ld, 1.0f), *out = zeros(R * C);
        dp_transpose(i & 1 ? pool : NULL, out, in, R, C, ld);
        int bad = 0;
        for (int r = 0; r < R; r++)
            for (int c = 0; c < C; c++) bad += out[(size_t)c * R + r] != in[(size_t)r * ld + c];
        EXPECT_INT(bad, 0);
        free(in), free(out);
    }
    dp_pool_free(pool);
}

/* Packers (vector and scalar paths: whole and partial panels, odd K) read back by the kernels'
 * own row accessor, against the definition (bf16: round to nearest even). */
static void test_pack(void)
{
    int N = 37, K = 71;
    float *W = rnd(N * (K + 2), 1.0f), *row = zeros(N > K ? N : K);
    struct dp_pool *pool = dp_pool_create(2);
    for (int bf = 0; bf < 2; bf++) {
        enum dp_dtype dt = bf ? DP_DTYPE_BF16 : DP_DTYPE_F32;
        struct dp_wmat w, wt;
        dp_wmat_alloc(&w, N, K, dt);
        dp_wmat_alloc(&wt, K, N, dt);
        dp_pack_f32(pool, &w, W, K + 2);
        dp_pack_f32_t(pool, &wt, W, K + 2);
        int bad = 0;
        for (int n = 0; n < N; n++) {
            dp_wmat_get_row(&w, n, row);
            for (int k = 0; k < K; k++) {
                float v = W[n * (K + 2) + k];
                bad += row[k] != (bf ? dp_bf16_to_f32(dp_f32_to_bf16(v)) : v);
            }
        }
        for (int k = 0; k < K; k++) {
            dp_wmat_get_row(&wt, k, row);
            for (int n = 0; n < N; n++) {
                float v = W[n * (K + 2) + k];
                bad += row[n] != (bf ? dp_bf16_to_f32(dp_f32_to_bf16(v)) : v);
            }
        }
        EXPECT_INT(bad, 0);
        dp_wmat_free(&w);
        dp_wmat_free(&wt);
    }
    dp_pool_free(pool);
    free(W), free(row);
}

int main(void)
{
    RUN(test_transpose);
    RUN(test_pack);
    dp_rng_seed(&rng, 1234);
    RUN(test_rmsnorm);
    RUN(test_embedding);
    RUN(test_linear);
    RUN(test_rope);
    RUN(test_swiglu);
    RUN(test_residual_add);
    RUN(test_attention);
    RUN(test_logprob);
    TEST_END();
}
