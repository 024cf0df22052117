/* Matrix products the training engine needs on top of nn/matmul.h: packing fp32 matrices (and
 * their transposes) into the kernels' panel layout in F32 or BF16 storage, transposes, and a
 * product that scales and accumulates into a strided output. Backward products are forward
 * products with transposed operands:
 *   dX[M,K] = dY[M,N] W[N,K]   ->  x = dY,    W' = W^T packed as [K, N]
 *   dW[N,K] = dY^T[N,M] X[M,K] ->  x = dY^T,  W' = X^T packed as [K, M]
 * Not: a general BLAS. */
#ifndef DP_NN_MM_TRAIN_H
#define DP_NN_MM_TRAIN_H
#include <stdbool.h>
#include <stddef.h>
#include "nn/matmul.h"

/* A grow-only scratch buffer reused across calls (64-byte aligned, huge pages when large).
 * Zero-initialize; free with dp_scratch_free. */
struct dp_scratch {
    void *p;
    size_t n;
};
/* At least n bytes of p's memory (contents undefined after growing). NULL when out of memory. */
void *dp_scratch_get(struct dp_scratch *s, size_t n);
void dp_scratch_free(struct dp_scratch *s);

/* Storage of packed matrices for a compute precision: F32 keeps fp32 arithmetic exact to the
 * master weights; BF16 rounds the weights to bf16 for the AVX-512 BF16 dot products (when the
 * CPU has them; otherwise F32). */
enum dp_dtype dp_mm_storage(enum dp_prec prec);

/* w (initialized [N, K], zeroed memory) <- rows of src [N, K], row stride ld floats, converted
 * to w's storage (bf16: round to nearest even). Runs on pool. */
void dp_pack_f32(struct dp_pool *pool, struct dp_wmat *w, const float *src, int ld);
/* w (initialized [K, R]) <- the transpose of src [R, K] (row stride ld): w's row k is column k of
 * src. Padding past R (bf16 pairs) is zeroed. */
void dp_pack_f32_t(struct dp_pool *pool, struct dp_wmat *w, const float *src, int ld);
/* w (initialized [K, N]) <- the transpose of the matrix packed in src ([N, K], same storage):
 * for frozen weights packed once, W^T without an fp32 copy. */
void dp_pack_transpose_wmat(struct dp_pool *pool, struct dp_wmat *w, const struct dp_wmat *src);

/* out[C, R] (row stride R) = in[R, C] (row stride ld)^T. */
void dp_transpose(struct dp_pool *pool, float *out, const float *in, int R, int C, int ld);

/* out[M, N] (row stride ldo) = (acc ? out : 0) + alpha * (x[M, K] @ W^T + bias), with x's rows
 * K apart. Uses s for the kernel's bf16 copy of x and, unless the product can be written in
 * place (no acc, alpha 1, ldo == N), for a temporary [M, N]. */
void dp_mm(struct dp_pool *pool, float *out, int ldo, bool acc, float alpha, const float *x,
           const struct dp_wmat *w, const float *bias, int M, enum dp_prec prec, struct dp_scratch *s);

/* Views of packed matrices: output rows (panels) [p0 * 16, min(N, p1 * 16)) and inner columns
 * [k0, k0 + nk) (k0 a multiple of 16). */
struct dp_wmat dp_wmat_rows(const struct dp_wmat *w, int p0, int p1);
struct dp_wmat dp_wmat_cols(const struct dp_wmat *w, int k0, int nk);

/* Allocates (zeroed, mmap) and initializes an [N, K] matrix of storage dt; NULL data on failure.
 * Free with dp_wmat_free. */
int dp_wmat_alloc(struct dp_wmat *w, int N, int K, enum dp_dtype dt);
void dp_wmat_free(struct dp_wmat *w);

#endif
