/* One DPO micro-batch on the training graph (chosen and rejected completions of B pairs
 * forwarded together, as TRL's concatenated_forward does; loss; backward), and the optimizer
 * step over every trainable tensor (global-norm clipping, AdamW with weight decay on the
 * tensors HF decays). */
#ifndef DP_TRAIN_DPO_H
#define DP_TRAIN_DPO_H
#include <stdint.h>
#include "model/qwen_train.h"
#include "train/adamw.h"
#include "train/losses.h"

/* A tokenized preference pair: full sequences (prompt then completion) and where the
 * completion starts in each. */
struct dp_pair {
    int32_t *chosen, *rejected;   /* owned by whoever built the pair */
    int nc, nr;                   /* tokens */
    int pc, pr;                   /* prompt tokens at the start of each */
    int line;                     /* source line (1-based), for messages */
};

/* Forward and backward of pairs[0..B) with reference log-probabilities ref_c/ref_r (sums over
 * the same completion tokens). The loss is scaled by `scale` (1 / gradient-accumulation steps)
 * before its gradient accumulates into m->grads. logp_c/logp_r (may be NULL) receive the
 * policy's summed log-probabilities, ntok (may be NULL, [2B]) the completion token counts. */
int dp_dpo_micro(struct dp_qt *m, const struct dp_pair *const *pairs, int B, const double *ref_c,
                 const double *ref_r, const struct dp_dpo_cfg *c, double scale, struct dp_dpo_out *out,
                 double *logp_c, double *logp_r, struct dp_error *e);
/* Summed log-probabilities of each pair's chosen and rejected completions (no gradients), in
 * batches of up to B pairs: the reference pass. */
int dp_dpo_logps(struct dp_qt *m, const struct dp_pair *pairs, int n, int B, double *ref_c, double *ref_r,
                 struct dp_error *e);

/* Optimizer state: AdamW moments over the flat parameter buffer. */
struct dp_optim {
    struct dp_adamw adam;
    double max_grad_norm;   /* <= 0: no clipping */
    float *m, *v;           /* [nparams], owned (dp_optim_free) */
    size_t n;
    long t;                 /* steps taken */
};
int dp_optim_init(struct dp_optim *o, const struct dp_qt *m, struct dp_error *e);
void dp_optim_free(struct dp_optim *o);
/* Clips the gradients to max_grad_norm (torch's clip_grad_norm_), then one AdamW step at lr
 * over every tensor of m's table. *grad_norm: the norm before clipping. DP_ERANGE (nothing
 * changed) when the norm is not finite. */
int dp_optim_step(struct dp_optim *o, struct dp_qt *m, double lr, double *grad_norm, struct dp_error *e);

#endif
