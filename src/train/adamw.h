/* AdamW as torch.optim.AdamW computes it (decoupled weight decay applied to the parameter
 * first, bias-corrected moments, eps added after the square root), over flat fp32 buffers, and
 * the global gradient norm with clipping. Per-element work, split across the pool. */
#ifndef DP_TRAIN_ADAMW_H
#define DP_TRAIN_ADAMW_H
#include <stdbool.h>
#include <stddef.h>
#include "nn/pool.h"

struct dp_adamw {
    double beta1, beta2, eps, weight_decay;   /* 0.9, 0.999, 1e-8, 0.0 (HF's defaults) */
};

/* One step t (1-based) at learning rate lr on p[n] with gradient gscale * g (gscale: the
 * clipping coefficient, fused here to save a pass over memory) and moments m, v (zeroed before
 * step 1); decay: whether weight decay applies to this tensor. */
void dp_adamw_step(struct dp_pool *pool, const struct dp_adamw *o, float *p, const float *g, float gscale,
                   float *m, float *v, size_t n, double lr, long t, bool decay);

/* sqrt(sum g^2) in double over g[n] (partial sums per fixed block: thread-count invariant). */
double dp_grad_sumsq(struct dp_pool *pool, const float *g, size_t n);

#endif
