/* Writing what training produced: the model as a Hugging Face safetensors file in the source
 * dtype (masters rounded to nearest even, or LoRA merged into the frozen weights), a PEFT adapter
 * folder, and fp32 dumps of parameters and gradients for tests. */
#include "model/qwen_train.h"
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "nn/safetensors.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Converts n fp32 values to dtype dt (F32, F16, BF16) into a new malloc'd buffer. */
static void *convert_out(const float *src, size_t n, enum dp_dtype dt)
{
    if (dt == DP_DTYPE_F32) {
        float *o = dp_xmalloc(n * 4 + 1);
        memcpy(o, src, n * 4);
        return o;
    }
    uint16_t *o = dp_xmalloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++) o[i] = dt == DP_DTYPE_BF16 ? dp_f32_to_bf16(src[i]) : dp_f32_to_f16(src[i]);
    return o;
}

/* The adapter of the HF weight name ("model.layers.L.self_attn.q_proj.weight"), or NULL. */
static const struct dp_qt_lora *lora_for(const struct dp_qt *m, const char *name)
{
    int l, n = 0;
    char mod[32];
    if (sscanf(name, "model.layers.%d.%*[a-z_].%31[a-z_].weight%n", &l, mod, &n) != 2 || name[n] != 0) return NULL;
    if (l < 0 || l >= m->cfg.L) return NULL;
    for (int k = 0; k < DP_LORA_COUNT; k++)
        if (strcmp(mod, dp_lora_target_names[k]) == 0) return m->layers[l].lora[k];
    return NULL;
}

/* W (fp32, [N, K]) += scale B A. */
static void merge(float *W, const struct dp_qt_lora *a)
{
    for (int n = 0; n < a->N; n++) {
        float *w = W + (size_t)n * a->K;
        for (int r = 0; r < a->r; r++) dp_axpy(w, a->scale * a->B[(size_t)n * a->r + r], a->A + (size_t)r * a->K, a->K);
    }
}

int dp_qt_export(const struct dp_qt *m, const char *path, struct dp_error *e)
{
    struct dp_st st;
    int rc = dp_st_open(&st, m->dir, e);
    if (rc) return rc;
    struct dp_st_wtensor *w = dp_xcalloc(st.ntensors + 1, sizeof *w);
    void **owned = dp_xcalloc(st.ntensors + 1, sizeof *owned);
    for (size_t i = 0; i < st.ntensors; i++) {
        const struct dp_st_tensor *t = &st.tensors[i];
        w[i].name = t->name;
        w[i].dtype = t->dtype;
        w[i].ndim = t->ndim;
        memcpy(w[i].shape, t->shape, sizeof t->shape);
        w[i].data = t->data;   /* unchanged: the source bytes */
        const float *src = NULL;
        float *tmp = NULL;
        if (!m->lora) {
            const struct dp_qt_param *p = dp_qt_find(m, t->name);
            if (!p && m->cfg.tied && strcmp(t->name, "lm_head.weight") == 0) p = dp_qt_find(m, "model.embed_tokens.weight");
            if (p && (size_t)t->numel == p->numel && dp_dtype_is_float(t->dtype)) src = m->params + p->off;
        } else {
            const struct dp_qt_lora *a = lora_for(m, t->name);
            if (a && dp_dtype_is_float(t->dtype) && (size_t)t->numel == (size_t)a->N * a->K) {
                tmp = dp_xmalloc((size_t)t->numel * 4);
                dp_convert_to_f32(tmp, t->data, t->dtype, (size_t)t->numel);
                merge(tmp, a);
                src = tmp;
            }
        }
        if (src) w[i].data = owned[i] = convert_out(src, (size_t)t->numel, t->dtype);
        free(tmp);
    }
    const char *meta[] = {"format", "pt"};
    rc = dp_st_write(path, w, st.ntensors, meta, 1, e);
    for (size_t i = 0; i < st.ntensors; i++) free(owned[i]);
    free(owned);
    free(w);
    dp_st_close(&st);
    return rc;
}

int dp_qt_export_adapter(const struct dp_qt *m, const char *dir, struct dp_error *e)
{
    if (!m->lora) return dp_error_set(e, DP_EINVAL, dir, 0, 0, "no adapter: the model was fully fine-tuned");
    int rc = dp_mkdirs(dir, e);
    if (rc) return rc;
    struct dp_st_wtensor *w = dp_xcalloc((size_t)m->ntab + 1, sizeof *w);
    for (int i = 0; i < m->ntab; i++) {
        const struct dp_qt_param *p = &m->tab[i];
        w[i] = (struct dp_st_wtensor){p->name, DP_DTYPE_F32, 2, {p->shape[0], p->shape[1]}, m->params + p->off};
    }
    char path[1200];
    const char *meta[] = {"format", "pt"};
    snprintf(path, sizeof path, "%s/adapter_model.safetensors", dir);
    rc = dp_st_write(path, w, (size_t)m->ntab, meta, 1, e);
    free(w);
    if (rc) return rc;
    struct dp_sbuf b = {0};
    struct dp_jw j;
    dp_jw_init(&j, &b, 2);
    dp_jw_obj_begin(&j);
    dp_jw_key(&j, "base_model_name_or_path");
    dp_jw_str(&j, m->dir);
    dp_jw_key(&j, "bias");
    dp_jw_str(&j, "none");
    dp_jw_key(&j, "fan_in_fan_out");
    dp_jw_bool(&j, false);
    dp_jw_key(&j, "inference_mode");
    dp_jw_bool(&j, true);
    dp_jw_key(&j, "init_lora_weights");
    dp_jw_bool(&j, true);
    dp_jw_key(&j, "lora_alpha");
    dp_jw_num(&j, m->o.lora_alpha);
    dp_jw_key(&j, "lora_dropout");
    dp_jw_num(&j, 0.0);
    dp_jw_key(&j, "modules_to_save");
    dp_jw_null(&j);
    dp_jw_key(&j, "peft_type");
    dp_jw_str(&j, "LORA");
    dp_jw_key(&j, "r");
    dp_jw_int(&j, m->o.lora_rank);
    dp_jw_key(&j, "target_modules");
    dp_jw_arr_begin(&j);
    for (int k = 0; k < DP_LORA_COUNT; k++)
        if (m->o.lora_targets & (1u << k)) dp_jw_str(&j, dp_lora_target_names[k]);
    dp_jw_arr_end(&j);
    dp_jw_key(&j, "task_type");
    dp_jw_str(&j, "CAUSAL_LM");
    dp_jw_key(&j, "use_rslora");
    dp_jw_bool(&j, false);
    dp_jw_obj_end(&j);
    dp_sbuf_putc(&b, '\n');
    snprintf(path, sizeof path, "%s/adapter_config.json", dir);
    rc = dp_file_write_atomic(path, b.p, b.n, e);
    dp_sbuf_free(&b);
    return rc;
}

int dp_qt_dump(const struct dp_qt *m, const char *path, bool grads, struct dp_error *e)
{
    int n = m->ntab * (grads ? 2 : 1);
    struct dp_st_wtensor *w = dp_xcalloc((size_t)n + 1, sizeof *w);
    char (*names)[128] = dp_xcalloc((size_t)n + 1, sizeof *names);
    for (int i = 0; i < n; i++) {
        const struct dp_qt_param *p = &m->tab[i % m->ntab];
        bool g = i >= m->ntab;
        snprintf(names[i], sizeof names[i], "%s%s", g ? "grad:" : "", p->name);
        w[i] = (struct dp_st_wtensor){names[i], DP_DTYPE_F32, p->ndim, {p->shape[0], p->shape[1]},
                                      (g ? m->grads : m->params) + p->off};
    }
    int rc = dp_st_write(path, w, (size_t)n, NULL, 0, e);
    free(names);
    free(w);
    return rc;
}
