/* Random initialization of a Qwen2 model (see qwen_init.h). */
#include "model/qwen_init.h"
#include "base/arena.h"
#include "base/rng.h"
#include "nn/safetensors.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fill { NORMAL, ZERO, ONE };

struct spec {
    char name[96];
    int ndim;
    int64_t shape[2];
    enum fill fill;
};

static int specs(const struct dp_qwen_config *c, struct spec *s)
{
    int n = 0, q = c->H * c->D, kv = c->Hkv * c->D;
#define T(fmt, arg, nd, a, b, f) \
    (snprintf(s[n].name, sizeof s[n].name, fmt, arg), s[n].ndim = nd, s[n].shape[0] = a, s[n].shape[1] = b, \
     s[n++].fill = f)
    T("model.embed_tokens.weight%s", "", 2, c->V, c->C, NORMAL);
    for (int l = 0; l < c->L; l++) {
        char p[40];
        snprintf(p, sizeof p, "model.layers.%d.", l);
        T("%sinput_layernorm.weight", p, 1, c->C, 0, ONE);
        T("%sself_attn.q_proj.weight", p, 2, q, c->C, NORMAL);
        T("%sself_attn.q_proj.bias", p, 1, q, 0, ZERO);
        T("%sself_attn.k_proj.weight", p, 2, kv, c->C, NORMAL);
        T("%sself_attn.k_proj.bias", p, 1, kv, 0, ZERO);
        T("%sself_attn.v_proj.weight", p, 2, kv, c->C, NORMAL);
        T("%sself_attn.v_proj.bias", p, 1, kv, 0, ZERO);
        T("%sself_attn.o_proj.weight", p, 2, c->C, q, NORMAL);
        T("%spost_attention_layernorm.weight", p, 1, c->C, 0, ONE);
        T("%smlp.gate_proj.weight", p, 2, c->F, c->C, NORMAL);
        T("%smlp.up_proj.weight", p, 2, c->F, c->C, NORMAL);
        T("%smlp.down_proj.weight", p, 2, c->C, c->F, NORMAL);
    }
    T("model.norm.weight%s", "", 1, c->C, 0, ONE);
    if (!c->tied) T("lm_head.weight%s", "", 2, c->V, c->C, NORMAL);
#undef T
    return n;
}

int dp_qwen_init_random(const struct dp_qwen_config *c, const char *path, uint64_t seed, float std,
                        enum dp_dtype dtype, struct dp_error *e)
{
    if (dtype != DP_DTYPE_F32 && dtype != DP_DTYPE_BF16)
        return dp_error_set(e, DP_EINVAL, path, 0, 0, "initial weights are written as F32 or BF16");
    struct spec *s = dp_xmalloc(sizeof *s * (size_t)(12 * c->L + 3));
    int n = specs(c, s);
    struct dp_st_wtensor *w = dp_xmalloc(sizeof *w * (size_t)n);
    void **bufs = dp_xmalloc(sizeof *bufs * (size_t)n);
    struct dp_rng base, g;
    dp_rng_seed(&base, seed);
    for (int i = 0; i < n; i++) {
        size_t numel = (size_t)s[i].shape[0] * (size_t)(s[i].ndim == 2 ? s[i].shape[1] : 1);
        float *f = dp_xmalloc(sizeof *f * numel);
        dp_rng_fork(&base, (uint64_t)i, &g);   /* one stream per tensor */
        for (size_t k = 0; k < numel; k++)
            f[k] = s[i].fill == NORMAL ? (float)(dp_rng_normal(&g) * std) : s[i].fill == ONE ? 1.0f : 0.0f;
        if (dtype == DP_DTYPE_BF16) {
            uint16_t *h = dp_xmalloc(sizeof *h * numel);
            for (size_t k = 0; k < numel; k++) h[k] = dp_f32_to_bf16(f[k]);
            free(f);
            bufs[i] = h;
        } else {
            bufs[i] = f;
        }
        w[i] = (struct dp_st_wtensor){s[i].name, dtype, s[i].ndim, {s[i].shape[0], s[i].shape[1]}, bufs[i]};
    }
    static const char *const meta[] = {"format", "pt"};
    int rc = dp_st_write(path, w, (size_t)n, meta, 1, e);
    for (int i = 0; i < n; i++) free(bufs[i]);
    free(bufs), free(w), free(s);
    return rc;
}
