/* DPO micro-batches and the optimizer step (see dpo.h). */
#include "train/dpo.h"
#include "base/arena.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void layout(const struct dp_pair *const *pairs, int B, const int32_t **ids, int *len, int *plen)
{
    for (int i = 0; i < B; i++) {
        ids[i] = pairs[i]->chosen, len[i] = pairs[i]->nc, plen[i] = pairs[i]->pc;
        ids[B + i] = pairs[i]->rejected, len[B + i] = pairs[i]->nr, plen[B + i] = pairs[i]->pr;
    }
}

int dp_dpo_micro(struct dp_qt *m, const struct dp_pair *const *pairs, int B, const double *ref_c,
                 const double *ref_r, const struct dp_dpo_cfg *c, double scale, struct dp_dpo_out *out,
                 double *logp_c, double *logp_r, struct dp_error *e)
{
    const int32_t **ids = dp_xmalloc(sizeof *ids * 2 * (size_t)B);
    int *len = dp_xmalloc(sizeof *len * 2 * (size_t)B * 3), *plen = len + 2 * B, *nt = plen + 2 * B;
    double *lp = dp_xmalloc(sizeof *lp * 2 * (size_t)B * 2), *g = lp + 2 * B;
    layout(pairs, B, ids, len, plen);
    struct dp_qt_batch b = {2 * B, ids, len, plen, NULL};
    int rc = dp_qt_forward(m, &b, true, lp, nt, e);
    if (!rc) rc = dp_dpo_loss(c, B, lp, lp + B, nt, nt + B, ref_c, ref_r, scale, g, out, e);
    if (!rc) {
        if (isfinite(out->loss)) dp_qt_backward(m, g);
        for (int i = 0; i < B; i++) {
            if (logp_c) logp_c[i] = lp[i];
            if (logp_r) logp_r[i] = lp[B + i];
        }
    }
    free(ids);
    free(len);
    free(lp);
    return rc;
}

int dp_dpo_logps(struct dp_qt *m, const struct dp_pair *pairs, int n, int B, double *ref_c, double *ref_r,
                 struct dp_error *e)
{
    const int32_t **ids = dp_xmalloc(sizeof *ids * 2 * (size_t)B);
    const struct dp_pair **pp = dp_xmalloc(sizeof *pp * (size_t)B);
    int *len = dp_xmalloc(sizeof *len * 2 * (size_t)B * 3), *plen = len + 2 * B, *nt = plen + 2 * B;
    double *lp = dp_xmalloc(sizeof *lp * 2 * (size_t)B);
    int rc = 0;
    for (int i0 = 0; !rc && i0 < n; i0 += B) {
        int k = n - i0 < B ? n - i0 : B;
        for (int i = 0; i < k; i++) pp[i] = &pairs[i0 + i];
        layout(pp, k, ids, len, plen);
        struct dp_qt_batch b = {2 * k, ids, len, plen, NULL};
        rc = dp_qt_forward(m, &b, false, lp, nt, e);
        for (int i = 0; !rc && i < k; i++) ref_c[i0 + i] = lp[i], ref_r[i0 + i] = lp[k + i];
    }
    free(ids);
    free(pp);
    free(len);
    free(lp);
    return rc;
}

/* ---------------------------------------------------------------- optimizer */

static float *zalloc(size_t n)
{
    void *p = mmap(NULL, n * 4 + 64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int dp_optim_init(struct dp_optim *o, const struct dp_qt *m, struct dp_error *e)
{
    o->n = m->nparams;
    o->t = 0;
    o->m = zalloc(o->n);
    o->v = zalloc(o->n);
    if (!o->m || !o->v) {
        dp_optim_free(o);
        return dp_error_set(e, DP_ENOMEM, NULL, 0, 0, "cannot allocate %zu MB of optimizer state", o->n * 8 >> 20);
    }
    return 0;
}

void dp_optim_free(struct dp_optim *o)
{
    if (o->m) munmap(o->m, o->n * 4 + 64);
    if (o->v) munmap(o->v, o->n * 4 + 64);
    o->m = o->v = NULL;
}

int dp_optim_step(struct dp_optim *o, struct dp_qt *m, double lr, double *grad_norm, struct dp_error *e)
{
    double norm = sqrt(dp_grad_sumsq(m->pool, m->grads, m->nparams));
    *grad_norm = norm;
    if (!isfinite(norm)) return dp_error_set(e, DP_ERANGE, NULL, 0, 0, "gradient norm is %g", norm);
    float coef = 1.0f;   /* torch's clip_grad_norm_: g *= min(1, max / (norm + 1e-6)) */
    if (o->max_grad_norm > 0 && o->max_grad_norm / (norm + 1e-6) < 1.0) coef = (float)(o->max_grad_norm / (norm + 1e-6));
    o->t++;
    for (int i = 0; i < m->ntab; i++) {
        const struct dp_qt_param *p = &m->tab[i];
        dp_adamw_step(m->pool, &o->adam, m->params + p->off, m->grads + p->off, coef, o->m + p->off, o->v + p->off,
                      p->numel, lr, o->t, p->decay);
    }
    dp_qt_params_changed(m);
    return 0;
}
