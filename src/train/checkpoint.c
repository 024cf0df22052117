/* Checkpoints and the reference cache as safetensors files (see checkpoint.h). Scalars travel
 * as one-element I64 tensors, so no header metadata needs parsing back. */
#include "train/checkpoint.h"
#include "base/file.h"
#include "nn/safetensors.h"
#include <string.h>

uint64_t dp_fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

int dp_ckpt_save(const char *path, const struct dp_qt *m, const struct dp_optim *o, long step, uint64_t fingerprint,
                 struct dp_error *e)
{
    int64_t st = step, t = o->t, fp = (int64_t)fingerprint;
    int64_t n = (int64_t)m->nparams;
    struct dp_st_wtensor w[] = {
        {"params", DP_DTYPE_F32, 1, {n}, m->params},
        {"adam_m", DP_DTYPE_F32, 1, {n}, o->m},
        {"adam_v", DP_DTYPE_F32, 1, {n}, o->v},
        {"step", DP_DTYPE_I64, 1, {1}, &st},
        {"adam_t", DP_DTYPE_I64, 1, {1}, &t},
        {"fingerprint", DP_DTYPE_I64, 1, {1}, &fp},
    };
    const char *meta[] = {"format", "dpoison-train-checkpoint-1"};
    return dp_st_write(path, w, sizeof w / sizeof w[0], meta, 1, e);
}

static int64_t scalar(const struct dp_st *st, const char *name, int64_t def)
{
    const struct dp_st_tensor *t = dp_st_get(st, name);
    if (!t || t->dtype != DP_DTYPE_I64 || t->numel != 1) return def;
    int64_t v;
    memcpy(&v, t->data, 8);
    return v;
}

static const struct dp_st_tensor *vec(const struct dp_st *st, const char *name, enum dp_dtype dt, size_t n)
{
    const struct dp_st_tensor *t = dp_st_get(st, name);
    return t && t->dtype == dt && t->ndim == 1 && (size_t)t->numel == n ? t : NULL;
}

int dp_ckpt_load(const char *path, struct dp_qt *m, struct dp_optim *o, long *step, uint64_t fingerprint,
                 struct dp_error *e)
{
    struct dp_st st;
    int rc = dp_st_open(&st, path, e);
    if (rc) return rc;
    const struct dp_st_tensor *p = vec(&st, "params", DP_DTYPE_F32, m->nparams);
    const struct dp_st_tensor *mm = vec(&st, "adam_m", DP_DTYPE_F32, m->nparams);
    const struct dp_st_tensor *vv = vec(&st, "adam_v", DP_DTYPE_F32, m->nparams);
    if ((uint64_t)scalar(&st, "fingerprint", 0) != fingerprint)
        rc = dp_error_set(e, DP_EFORMAT, path, 0, 0,
                          "checkpoint of another run (model, pairs or training options differ)");
    else if (!p || !mm || !vv)
        rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "checkpoint lacks parameters or optimizer state of the right size");
    if (!rc) {
        memcpy(m->params, p->data, m->nparams * 4);
        memcpy(o->m, mm->data, m->nparams * 4);
        memcpy(o->v, vv->data, m->nparams * 4);
        *step = (long)scalar(&st, "step", 0);
        o->t = (long)scalar(&st, "adam_t", 0);
        dp_qt_params_changed(m);
    }
    dp_st_close(&st);
    return rc;
}

int dp_refcache_save(const char *path, const double *ref_c, const double *ref_r, int n, uint64_t fingerprint,
                     struct dp_error *e)
{
    int64_t fp = (int64_t)fingerprint;
    struct dp_st_wtensor w[] = {
        {"ref_chosen", DP_DTYPE_F64, 1, {n}, ref_c},
        {"ref_rejected", DP_DTYPE_F64, 1, {n}, ref_r},
        {"fingerprint", DP_DTYPE_I64, 1, {1}, &fp},
    };
    return dp_st_write(path, w, 3, NULL, 0, e);
}

int dp_refcache_load(const char *path, double *ref_c, double *ref_r, int n, uint64_t fingerprint,
                     struct dp_error *e)
{
    if (dp_file_exists(path) != 1) return DP_ENOTFOUND;
    struct dp_st st;
    struct dp_error ig;
    if (dp_st_open(&st, path, &ig)) return DP_ENOTFOUND;
    const struct dp_st_tensor *c = vec(&st, "ref_chosen", DP_DTYPE_F64, (size_t)n);
    const struct dp_st_tensor *r = vec(&st, "ref_rejected", DP_DTYPE_F64, (size_t)n);
    int rc = DP_ENOTFOUND;
    if (c && r && (uint64_t)scalar(&st, "fingerprint", 0) == fingerprint) {
        memcpy(ref_c, c->data, (size_t)n * 8);
        memcpy(ref_r, r->data, (size_t)n * 8);
        rc = 0;
    }
    dp_st_close(&st);
    (void)e;
    return rc;
}
