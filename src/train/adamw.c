/* AdamW and gradient-norm helpers (see adamw.h). The per-element arithmetic follows torch's
 * single-tensor AdamW in fp32 with the scalar factors computed in double. */
#include "train/adamw.h"
#include <math.h>
#include <stdlib.h>

struct adam_job {
    const struct dp_adamw *o;
    float *p, *m, *v, *g2;
    const float *g;
    size_t n;
    float decay_mul, b1, omb1, b2, omb2, step_size, bc2_sqrt, eps, s;
    double *part;
};

static void adam_worker(void *ctx, int tid, int nth)
{
    const struct adam_job *j = ctx;
    long lo, hi;
    dp_pool_split((long)((j->n + 1023) / 1024), tid, nth, &lo, &hi);
    size_t a = (size_t)lo * 1024, b = (size_t)hi * 1024 < j->n ? (size_t)hi * 1024 : j->n;
    for (size_t i = a; i < b; i++) {
        float p = j->p[i] * j->decay_mul, g = j->g[i];
        float m = j->m[i] * j->b1 + j->omb1 * g;
        float v = j->v[i] * j->b2 + j->omb2 * (g * g);
        float denom = sqrtf(v) / j->bc2_sqrt + j->eps;
        j->p[i] = p - j->step_size * (m / denom);
        j->m[i] = m;
        j->v[i] = v;
    }
}

void dp_adamw_step(struct dp_pool *pool, const struct dp_adamw *o, float *p, const float *g, float *m,
                   float *v, size_t n, double lr, long t, bool decay)
{
    struct adam_job j = {.o = o, .p = p, .m = m, .v = v, .g = g, .n = n};
    j.decay_mul = (float)(1.0 - lr * (decay ? o->weight_decay : 0.0));
    j.b1 = (float)o->beta1, j.omb1 = (float)(1.0 - o->beta1);
    j.b2 = (float)o->beta2, j.omb2 = (float)(1.0 - o->beta2);
    j.step_size = (float)(lr / (1.0 - pow(o->beta1, (double)t)));
    j.bc2_sqrt = (float)sqrt(1.0 - pow(o->beta2, (double)t));
    j.eps = (float)o->eps;
    dp_pool_run(n < 65536 ? NULL : pool, adam_worker, &j);
}

#define BLK 4096

static void sumsq_worker(void *ctx, int tid, int nth)
{
    const struct adam_job *j = ctx;
    long nb = (long)((j->n + BLK - 1) / BLK), lo, hi;
    dp_pool_split(nb, tid, nth, &lo, &hi);
    for (long k = lo; k < hi; k++) {
        size_t a = (size_t)k * BLK, b = a + BLK < j->n ? a + BLK : j->n;
        double s = 0;
        for (size_t i = a; i < b; i++) s += (double)j->g[i] * j->g[i];
        j->part[k] = s;
    }
}

double dp_grad_sumsq(struct dp_pool *pool, const float *g, size_t n)
{
    long nb = (long)((n + BLK - 1) / BLK);
    double stack[256], *part = nb <= 256 ? stack : malloc((size_t)nb * sizeof *part);
    struct adam_job j = {.g = g, .n = n, .part = part};
    dp_pool_run(nb < 4 ? NULL : pool, sumsq_worker, &j);
    double s = 0;
    for (long k = 0; k < nb; k++) s += part[k];
    if (part != stack) free(part);
    return s;
}

static void scale_worker(void *ctx, int tid, int nth)
{
    const struct adam_job *j = ctx;
    long lo, hi;
    dp_pool_split((long)j->n, tid, nth, &lo, &hi);
    for (long i = lo; i < hi; i++) j->g2[i] *= j->s;
}

void dp_grad_scale(struct dp_pool *pool, float *g, size_t n, float s)
{
    struct adam_job j = {.g2 = g, .n = n, .s = s};
    dp_pool_run(n < 65536 ? NULL : pool, scale_worker, &j);
}
