/* DPO losses as TRL's DPOTrainer defines them (dpo_loss, with concatenated_forward's IPO
 * length normalisation and the RPO NLL term), on summed sequence log-probabilities, with their
 * exact gradients and TRL's metrics. Computed in double. Not: the other TRL loss types. */
#ifndef DP_TRAIN_LOSSES_H
#define DP_TRAIN_LOSSES_H
#include <stdbool.h>
#include "base/error.h"

enum dp_dpo_loss { DP_LOSS_SIGMOID, DP_LOSS_ROBUST, DP_LOSS_IPO, DP_LOSS_HINGE, DP_LOSS_COUNT };
extern const char *const dp_dpo_loss_names[DP_LOSS_COUNT];   /* "sigmoid", "robust", "ipo", "hinge" */
int dp_dpo_loss_parse(const char *s);                        /* -1 when unknown */

struct dp_dpo_cfg {
    enum dp_dpo_loss type;
    double beta;              /* 0.1 */
    double label_smoothing;   /* cDPO / robust epsilon in [0, 0.5) */
    double rpo_alpha;         /* weight of the NLL term on chosen; used when rpo */
    bool rpo;
};

/* TRL's logged metrics of one batch (means over its pairs). */
struct dp_dpo_out {
    double loss;              /* mean over pairs, plus rpo_alpha * nll */
    double rewards_chosen, rewards_rejected, accuracy, margin;
    double logps_chosen, logps_rejected;   /* mean (IPO: per-token mean) log-probabilities */
    double nll;               /* mean NLL per chosen token (RPO) */
};

/* B pairs: pc/pr policy and rc/rr reference summed log-probabilities of chosen and rejected
 * completions, nc/nr their token counts. z = (pc - pr) - (rc - rr) (IPO: per-token means):
 *   sigmoid: -(1-e) logsig(beta z) - e logsig(-beta z)
 *   robust:  (-(1-e) logsig(beta z) + e logsig(-beta z)) / (1 - 2e)
 *   hinge:   relu(1 - beta z)
 *   ipo:     (z - 1 / (2 beta))^2
 * loss = mean over pairs (+ rpo_alpha * sum(-pc) / sum(nc) with RPO). g (when not NULL) gets
 * scale * dloss/dpc in g[0..B) and scale * dloss/dpr in g[B..2B) (chosen then rejected, as the
 * batch is laid out). DP_EINVAL for a bad configuration or an IPO completion of 0 tokens. */
int dp_dpo_loss(const struct dp_dpo_cfg *c, int B, const double *pc, const double *pr, const int *nc,
                const int *nr, const double *rc, const double *rr, double scale, double *g,
                struct dp_dpo_out *out, struct dp_error *e);

#endif
