/* Forward ops of a decoder-only transformer (Qwen2/Llama family), fp32, on flat row-major
 * buffers. Shapes use M rows (tokens), C model width, H/Hkv query/key-value heads of size D,
 * F MLP width, V vocabulary, T tokens of one sequence. Each op works row by row with a fixed
 * order of operations, so a row's result never depends on the other rows of the batch. The
 * training engine adds *_backward twins next to these. */
#ifndef DP_NN_OPS_H
#define DP_NN_OPS_H
#include <stdint.h>
#include "nn/matmul.h"

/* out[M,C] = rows ids[M] of the packed table W[V,C] (widened to fp32). */
void dp_embedding_forward(float *out, const int32_t *ids, const struct dp_wmat *wte, int M);

/* out[M,C] = x[M,C] / sqrt(mean(x^2) + eps) * w[C], as HF's Qwen2RMSNorm (fp32).
 * out may alias x. */
void dp_rmsnorm_forward(float *out, const float *x, const float *w, float eps, int M, int C);

/* x[M,C] += y[M,C] */
void dp_add_forward(float *x, const float *y, int M, int C);

/* RoPE tables: cos_t, sin_t [T, D/2] for positions 0..T-1, frequencies theta^(-2i/D), computed
 * in fp32 as HF computes them (inv_freq, then position * inv_freq). */
void dp_rope_table(float *cos_t, float *sin_t, int T, int D, double theta);
/* Rotates x[M, H, D] in place (HF rotate_half convention: pairs (i, i + D/2)); row m is at
 * position pos[m]; rows are ld floats apart (heads of a row are contiguous). */
void dp_rope_forward(float *x, int ld, const int32_t *pos, const float *cos_t, const float *sin_t,
                     int M, int H, int D);

/* out[M,F] = silu(gu[M, 0:F]) * gu[M, F:2F]   (gate and up projections side by side) */
void dp_swiglu_forward(float *out, const float *gu, int M, int F);

/* Causal attention of one query head over one sequence's cache. T queries at positions
 * pos0 .. pos0+T-1; query t attends to keys 0 .. pos0+t.
 *   q    [T, *] rows ldq floats apart, the head's D values at the start of each row
 *   kt   [Tcap/16, D, 16]  keys of the head's kv group, transposed in blocks of 16 positions:
 *        key j, element d at kt[(j / 16) * D * 16 + d * 16 + j % 16]
 *   v    [Tcap, D]  values of the group
 *   out  [T, *] rows ldo floats apart; D values written per row
 *   p    scratch of 2 Tcap floats (the probabilities of two queries)
 * Tcap is a multiple of 16. Scores are scaled by 1/sqrt(D); softmax in fp32. */
void dp_attention_head_forward(float *out, int ldo, const float *q, int ldq, const float *kt,
                               const float *v, int pos0, int T, int D, int Tcap, float *p);

/* In place: x[n] = exp(x[n]) (vectorized; about 1 ulp). */
void dp_exp_inplace(float *x, int n);

#endif
