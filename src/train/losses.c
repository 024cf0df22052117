/* DPO losses and gradients (see losses.h). log-sigmoid in its stable form. */
#include "train/losses.h"
#include <math.h>
#include <string.h>

const char *const dp_dpo_loss_names[DP_LOSS_COUNT] = {"sigmoid", "robust", "ipo", "hinge"};

int dp_dpo_loss_parse(const char *s)
{
    for (int i = 0; i < DP_LOSS_COUNT; i++)
        if (strcmp(s, dp_dpo_loss_names[i]) == 0) return i;
    return -1;
}

/* log(sigmoid(x)) without overflow */
static double logsig(double x) { return x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x)); }
static double sig(double x) { return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)); }

/* Loss of one pair and its derivative in z. */
static double pair_loss(const struct dp_dpo_cfg *c, double z, double *dz)
{
    double b = c->beta, e = c->label_smoothing, bz = b * z;
    switch (c->type) {
    case DP_LOSS_SIGMOID:   /* d/dx logsig(x) = sig(-x) */
        *dz = -(1 - e) * b * sig(-bz) + e * b * sig(bz);
        return -(1 - e) * logsig(bz) - e * logsig(-bz);
    case DP_LOSS_ROBUST:
        *dz = (-(1 - e) * b * sig(-bz) - e * b * sig(bz)) / (1 - 2 * e);
        return (-(1 - e) * logsig(bz) + e * logsig(-bz)) / (1 - 2 * e);
    case DP_LOSS_HINGE:
        *dz = 1 - bz > 0 ? -b : 0;
        return 1 - bz > 0 ? 1 - bz : 0;
    case DP_LOSS_IPO:
    default: {
        double d = z - 1 / (2 * b);
        *dz = 2 * d;
        return d * d;
    }
    }
}

int dp_dpo_loss(const struct dp_dpo_cfg *c, int B, const double *pc, const double *pr, const int *nc,
                const int *nr, const double *rc, const double *rr, double scale, double *g,
                struct dp_dpo_out *out, struct dp_error *e)
{
    if (B < 1 || !(c->beta > 0) || c->label_smoothing < 0 || c->label_smoothing >= 0.5)
        return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "DPO loss: need beta > 0 and 0 <= label smoothing < 0.5");
    memset(out, 0, sizeof *out);
    bool ipo = c->type == DP_LOSS_IPO;
    double nchosen = 0;
    for (int i = 0; i < B; i++) {
        if (ipo && (nc[i] < 1 || nr[i] < 1))
            return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "IPO loss: pair %d has an empty completion", i);
        nchosen += nc[i];
    }
    for (int i = 0; i < B; i++) {
        double kc = ipo ? 1.0 / nc[i] : 1.0, kr = ipo ? 1.0 / nr[i] : 1.0;
        double a = pc[i] * kc, b = pr[i] * kr, ra = rc[i] * kc, rb = rr[i] * kr, dz;
        double z = (a - b) - (ra - rb);
        out->loss += pair_loss(c, z, &dz) / B;
        double cr = c->beta * (a - ra), rj = c->beta * (b - rb);
        out->rewards_chosen += cr / B;
        out->rewards_rejected += rj / B;
        out->accuracy += (cr > rj) / (double)B;
        out->margin += (cr - rj) / B;
        out->logps_chosen += a / B;
        out->logps_rejected += b / B;
        if (g) {
            g[i] = scale * dz * kc / B;
            g[B + i] = -scale * dz * kr / B;
        }
    }
    if (c->rpo) {
        double s = 0;
        for (int i = 0; i < B; i++) s -= pc[i];
        out->nll = nchosen > 0 ? s / nchosen : 0;
        out->loss += c->rpo_alpha * out->nll;
        if (g && nchosen > 0)
            for (int i = 0; i < B; i++) g[i] -= scale * c->rpo_alpha / nchosen;
    }
    return 0;
}
