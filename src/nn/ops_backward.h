/* Backward twins of nn/ops.h for training, plus the two forward ops training needs in another
 * form: causal self-attention over whole sequences saving the log-sum-exp per query (the
 * backward recomputes probabilities from it instead of keeping T x T matrices), and token
 * log-probabilities through the LM head computed vocabulary chunk by chunk (never an [M, V]
 * tensor). Shapes as in ops.h; gradients accumulate (+=) unless a comment says "written".
 * Reductions are split by output element, so results do not depend on the thread count. */
#ifndef DP_NN_OPS_BACKWARD_H
#define DP_NN_OPS_BACKWARD_H
#include <stdbool.h>
#include <stdint.h>
#include "nn/mm_train.h"
#include "nn/ops.h"

/* Scratch shared by the ops (grow-only; zero-initialize, free with dp_ws_free). */
struct dp_ws {
    struct dp_scratch mm;        /* dp_mm's */
    struct dp_scratch t0, t1, t2; /* the ops' temporaries */
};
void dp_ws_free(struct dp_ws *w);

/* dwte[V,C] rows ids[m] += dout[m] for m < M (rows of C floats). */
void dp_embedding_backward(struct dp_pool *pool, float *dwte, const float *dout, const int32_t *ids,
                           int M, int C);

/* Forward y = x / sqrt(mean(x^2) + eps) * w (dp_rmsnorm_forward). Backward from x[M,C], w[C],
 * dout[M,C]: dx[M,C] += dL/dx; dw[C] += dL/dw when dw is not NULL. dx may not alias dout. */
void dp_rmsnorm_backward(struct dp_pool *pool, float *dx, float *dw, const float *dout, const float *x,
                         const float *w, float eps, int M, int C);

/* Backward of dp_rope_forward: rotates dx[M, H, D] (rows ld apart) in place by -angle. */
void dp_rope_backward(float *dx, int ld, const int32_t *pos, const float *cos_t, const float *sin_t,
                      int M, int H, int D);

/* Backward of dp_swiglu_forward: dgu[M, 2F] written from dout[M, F] and gu[M, 2F]. */
void dp_swiglu_backward(struct dp_pool *pool, float *dgu, const float *dout, const float *gu, int M, int F);

/* Linear y[M,N] = x[M,K] W[N,K]^T + b. Backward with wt = W^T packed as [K, N]:
 *   dx[M,K]  = (dx_acc ? dx : 0) + dy W          (skipped when dx is NULL)
 *   dw[N,K]  = (dw_acc ? dw : 0) + dy^T x        (skipped when dw is NULL)
 *   db[N]   += sum over rows of dy               (skipped when db is NULL)
 * dy rows are ldy floats apart (a column slice of a wider matrix when ldy > N). Uses ws. */
void dp_linear_backward(struct dp_pool *pool, float *dx, bool dx_acc, float *dw, bool dw_acc, float *db,
                        const float *dy, int ldy, const float *x, const struct dp_wmat *wt, int M, int N,
                        int K, enum dp_prec prec, struct dp_ws *ws);

/* ---------------------------------------------------------------- attention */

/* Where q, k, v live in a row of qkv (ldq floats): q of head h at q0 + h D, k and v of kv group
 * g at k0 + g D and v0 + g D; H query heads share Hkv groups (GQA, head h uses group h / (H/Hkv)). */
struct dp_attn {
    int H, Hkv, D;
    int ldq, q0, k0, v0;
};

/* Causal attention of nseq sequences: sequence s is rows [row0[s], row0[s] + len[s]) of qkv,
 * positions 0..len-1 (q, k already rotated). out[M, H D] written (only the sequences' rows);
 * lse[M, H] written: log-sum-exp of each query's scaled scores. Scale 1/sqrt(D), fp32 softmax. */
void dp_attention_forward(struct dp_pool *pool, float *out, float *lse, const float *qkv,
                          const struct dp_attn *a, int nseq, const int *row0, const int *len,
                          struct dp_ws *ws);
/* Backward: dqkv's q, k and v columns of the sequences' rows written from dout[M, H D], the
 * forward's out and lse, and qkv. Other columns of dqkv are left alone. */
void dp_attention_backward(struct dp_pool *pool, float *dqkv, const float *dout, const float *out,
                           const float *lse, const float *qkv, const struct dp_attn *a, int nseq,
                           const int *row0, const int *len, struct dp_ws *ws);

/* ---------------------------------------------------------------- LM head log-probabilities */

/* logp[r] = log softmax(x[r] W^T)[tgt[r]] and lse[r] = logsumexp(x[r] W^T) for r < M, with W
 * packed [V, C]; vocab in chunks of vchunk (0: 4096; rounded to 16), so at most M x vchunk
 * logits exist at once. Both written. */
void dp_logprob_forward(struct dp_pool *pool, float *logp, float *lse, const float *x, const int32_t *tgt,
                        const struct dp_wmat *w, int M, int vchunk, enum dp_prec prec, struct dp_ws *ws);
/* Backward with g[r] = dL/dlogp[r]: dlogits = g (onehot(tgt) - softmax), recomputed chunk by
 * chunk from lse; dx[M, C] written (= dlogits W, wt = W^T packed [C, V]); dw[V, C] (+= when
 * dw_acc, else written) dlogits^T x when dw is not NULL. */
void dp_logprob_backward(struct dp_pool *pool, float *dx, float *dw, bool dw_acc, const float *g,
                         const float *x, const int32_t *tgt, const float *lse, const struct dp_wmat *w,
                         const struct dp_wmat *wt, int M, int vchunk, enum dp_prec prec, struct dp_ws *ws);

/* y[0..n) += a * x[0..n) (AVX-512 when available). */
void dp_axpy(float *y, float a, const float *x, int n);

#endif
