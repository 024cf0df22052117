/* Matrix products with packed weights: y[M,N] = x[M,K] W[N,K]^T + b. Weights are repacked once
 * into 16-column panels (64-byte aligned) so the kernels stream them with aligned vector loads
 * and never reduce horizontally. Every output element is computed by one thread with the same
 * sequence of operations whatever M, the row's place in the batch, or the thread count: a row's
 * result never depends on what it is batched with. */
#ifndef DP_NN_MATMUL_H
#define DP_NN_MATMUL_H
#include <stddef.h>
#include <stdint.h>
#include "nn/dtype.h"
#include "nn/pool.h"

#define DP_PANEL 16   /* output columns per panel */

/* A packed weight matrix. Layout, panel p holding columns [16p, 16p+16) (zero past N):
 *   F32:  float    [K][16]          (k-major)
 *   BF16: uint16_t [K2/2][16][2]    (pairs of consecutive k, as vdpbf16ps takes them) */
struct dp_wmat {
    void *data;            /* borrowed: the caller owns the memory (see dp_wmat_bytes) */
    enum dp_dtype dtype;   /* DP_DTYPE_F32 or DP_DTYPE_BF16 */
    int N, K;
    int K2;                /* K rounded up to even */
    int npanels;           /* ceil(N / 16) */
    size_t panel_bytes;
};

/* Bytes of packed storage for an [N, K] matrix of storage dtype dt (a multiple of 64). */
size_t dp_wmat_bytes(int N, int K, enum dp_dtype dt);
/* Storage dtype for a source dtype: BF16 stays BF16; F32 and F16 become F32 (lossless). */
enum dp_dtype dp_wmat_dtype_for(enum dp_dtype src);
/* Points w at mem (64-byte aligned, dp_wmat_bytes(N, K, dt) bytes, zeroed by the caller). */
void dp_wmat_init(struct dp_wmat *w, void *mem, int N, int K, enum dp_dtype dt);
/* Packs rows [n0, n0 + nrows) from src: row-major [nrows, K] of dtype sdt (F32, F16, BF16;
 * unaligned is fine). BF16 storage needs a BF16 source. Several sources may fill one matrix
 * (fused q/k/v). */
void dp_wmat_pack_rows(struct dp_wmat *w, int n0, int nrows, const void *src, enum dp_dtype sdt);
/* Row n of W as fp32: out[K]. (Embedding lookups from a tied lm_head.) */
void dp_wmat_get_row(const struct dp_wmat *w, int n, float *out);

/* How matmuls with BF16 weights compute. F32: weights widened exactly, fp32 products and sums
 * (what PyTorch does with float32 activations). BF16: activations rounded to bf16 and
 * multiplied with AVX-512 BF16 dot products, sums in fp32 (as llama.cpp does): ~2x faster. */
enum dp_prec { DP_PREC_F32, DP_PREC_BF16 };

/* out[M,N] = x[M,K] @ W[N,K]^T (+ bias[N] when not NULL). Rows of x are K floats apart, rows of
 * out N floats apart. xbf: scratch of dp_matmul_scratch(M, K) bytes, 64-byte aligned, used only
 * with prec BF16 and BF16 weights (may be NULL otherwise). Runs on the pool's threads. */
void dp_matmul_forward(struct dp_pool *pool, float *out, const float *x, const struct dp_wmat *w,
                       const float *bias, int M, enum dp_prec prec, uint16_t *xbf);
size_t dp_matmul_scratch(int M, int K);
/* True when the AVX-512 (and BF16) kernels run on this CPU; the scalar fallback otherwise. */
int dp_matmul_has_avx512(void);
int dp_matmul_has_bf16(void);

#endif
