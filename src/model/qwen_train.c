/* Qwen2 training model: the parameter table (HF names for full fine-tuning, PEFT names for
 * LoRA), loading a folder into fp32 masters or a frozen packed base, LoRA initialization,
 * packing the masters for the matmul kernels, and writing models, adapters and dumps. The graph
 * itself (forward, backward) is in qwen_train_graph.c. */
#include "model/qwen_train.h"
#include "model/qwen_train_int.h"
#include "base/arena.h"
#include "base/file.h"
#include "base/json.h"
#include "base/rng.h"
#include "nn/safetensors.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

const char *const dp_lora_target_names[DP_LORA_COUNT] = {
    "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};
static const char *const lora_short[DP_LORA_COUNT] = {"q", "k", "v", "o", "gate", "up", "down"};

int dp_lora_targets_parse(const char *s, unsigned *out, char *bad, int nbad)
{
    *out = 0;
    while (*s) {
        const char *c = strchr(s, ',');
        size_t n = c ? (size_t)(c - s) : strlen(s);
        int found = n == 3 && memcmp(s, "all", 3) == 0;
        if (found) *out = (1u << DP_LORA_COUNT) - 1;
        for (int i = 0; i < DP_LORA_COUNT && !found; i++)
            if ((strlen(lora_short[i]) == n && memcmp(s, lora_short[i], n) == 0) ||
                (strlen(dp_lora_target_names[i]) == n && memcmp(s, dp_lora_target_names[i], n) == 0)) {
                *out |= 1u << i;
                found = 1;
            }
        if (!found && n) {
            snprintf(bad, (size_t)nbad, "%.*s", (int)n, s);
            return -1;
        }
        s += n + (c != NULL);
    }
    return 0;
}

/* ---------------------------------------------------------------- big buffers */

static float *falloc(size_t n)
{
    void *p = mmap(NULL, n * 4 + 64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
#ifdef MADV_HUGEPAGE
    if (n * 4 >= ((size_t)4 << 20)) madvise(p, n * 4 + 64, MADV_HUGEPAGE);
#endif
    return p;
}

static void ffree(float *p, size_t n)
{
    if (p) munmap(p, n * 4 + 64);
}

/* ---------------------------------------------------------------- parameter table */

struct tab {
    struct dp_qt_param *v;
    int n, cap;
    size_t total;
};

/* Appends a tensor; pad: start the next one 64-byte aligned (false inside fused groups, which
 * must be contiguous: q/k/v weights and biases, gate/up). */
static size_t tab_addp(struct tab *t, const char *name, int ndim, int64_t d0, int64_t d1, bool decay, bool pad)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->v = dp_xrealloc(t->v, (size_t)t->cap * sizeof *t->v);
    }
    struct dp_qt_param *p = &t->v[t->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->ndim = ndim;
    p->shape[0] = d0;
    p->shape[1] = ndim > 1 ? d1 : 0;
    p->numel = (size_t)d0 * (ndim > 1 ? (size_t)d1 : 1);
    p->off = t->total;
    p->decay = decay;
    t->total += pad ? (p->numel + 15) & ~(size_t)15 : p->numel;
    return p->off;
}

static size_t tab_add(struct tab *t, const char *name, int ndim, int64_t d0, int64_t d1, bool decay)
{
    return tab_addp(t, name, ndim, d0, d1, decay, true);
}

const struct dp_qt_param *dp_qt_find(const struct dp_qt *m, const char *name)
{
    for (int i = 0; i < m->ntab; i++)
        if (strcmp(m->tab[i].name, name) == 0) return &m->tab[i];
    return NULL;
}

/* Offsets of a layer's HF tensors, in the order that makes q/k/v and gate/up contiguous. */
struct layer_off { size_t ln1, q, k, v, qb, kb, vb, o, ln2, gate, up, down; };

static void add_layer(struct tab *t, const struct dp_qwen_config *c, int l, struct layer_off *o)
{
    char n[112];
    int HD = c->H * c->D, KD = c->Hkv * c->D;
#define P(field, suffix, nd, d0, d1, dec, pad) \
    (snprintf(n, sizeof n, "model.layers.%d.%s", l, suffix), o->field = tab_addp(t, n, nd, d0, d1, dec, pad))
    P(ln1, "input_layernorm.weight", 1, c->C, 0, false, true);
    P(q, "self_attn.q_proj.weight", 2, HD, c->C, true, false);
    P(k, "self_attn.k_proj.weight", 2, KD, c->C, true, false);
    P(v, "self_attn.v_proj.weight", 2, KD, c->C, true, true);
    P(qb, "self_attn.q_proj.bias", 1, HD, 0, false, false);
    P(kb, "self_attn.k_proj.bias", 1, KD, 0, false, false);
    P(vb, "self_attn.v_proj.bias", 1, KD, 0, false, true);
    P(o, "self_attn.o_proj.weight", 2, c->C, HD, true, true);
    P(ln2, "post_attention_layernorm.weight", 1, c->C, 0, false, true);
    P(gate, "mlp.gate_proj.weight", 2, c->F, c->C, true, false);
    P(up, "mlp.up_proj.weight", 2, c->F, c->C, true, true);
    P(down, "mlp.down_proj.weight", 2, c->C, c->F, true, true);
#undef P
}

/* ---------------------------------------------------------------- loading */

/* Converts the tensor name (shape checked) into dst as fp32. */
static int load_into(const struct dp_st *st, const char *name, int ndim, int64_t d0, int64_t d1, float *dst,
                     struct dp_error *e)
{
    int64_t shape[2] = {d0, d1};
    const struct dp_st_tensor *t;
    int rc = dp_st_require(st, name, ndim, shape, &t, e);
    if (rc) return rc;
    dp_convert_to_f32(dst, t->data, t->dtype, (size_t)t->numel);
    dp_st_release(st, t);   /* the file's pages need not stay resident beside the copy */
    return 0;
}

/* LoRA: packs of every layer (the frozen base, packed once). Full fine-tuning: one shared set
 * of forward packs and one of backward packs, filled per layer just before use (masters change
 * every step, so nothing is lost by packing late, and memory stays at one layer's worth). */
static int alloc_packs(struct dp_qt *m)
{
    const struct dp_qwen_config *c = &m->cfg;
    enum dp_dtype st = dp_mm_storage(m->o.prec);
    int Q = (c->H + 2 * c->Hkv) * c->D, HD = c->H * c->D, rc = 0;
    for (int l = 0; l < c->L; l++) {
        struct dp_qt_layer *y = &m->layers[l];
        if (!m->lora && l > 0) {
            struct dp_qt_layer *y0 = &m->layers[0];
            y->qkv = y0->qkv, y->qkv_t = y0->qkv_t, y->o = y0->o, y->o_t = y0->o_t;
            y->gu = y0->gu, y->gu_t = y0->gu_t, y->down = y0->down, y->down_t = y0->down_t;
            continue;
        }
        rc |= dp_wmat_alloc(&y->qkv, Q, c->C, st) | dp_wmat_alloc(&y->qkv_t, c->C, Q, st);
        rc |= dp_wmat_alloc(&y->o, c->C, HD, st) | dp_wmat_alloc(&y->o_t, HD, c->C, st);
        rc |= dp_wmat_alloc(&y->gu, 2 * c->F, c->C, st) | dp_wmat_alloc(&y->gu_t, c->C, 2 * c->F, st);
        rc |= dp_wmat_alloc(&y->down, c->C, c->F, st) | dp_wmat_alloc(&y->down_t, c->F, c->C, st);
    }
    rc |= dp_wmat_alloc(&m->lm_p, c->V, c->C, st) | dp_wmat_alloc(&m->lm_t, c->C, c->V, st);
    for (int i = 0; i < m->nlora; i++) {
        struct dp_qt_lora *a = &m->loras[i];
        rc |= dp_wmat_alloc(&a->pa, a->r, a->K, st) | dp_wmat_alloc(&a->pat, a->K, a->r, st);
        rc |= dp_wmat_alloc(&a->pb, a->N, a->r, st) | dp_wmat_alloc(&a->pbt, a->r, a->N, st);
    }
    m->packed_fwd = m->packed_bwd = -1;
    return rc;
}

static void pack_both(struct dp_pool *pool, struct dp_wmat *w, struct dp_wmat *wt, const float *src, int ld)
{
    dp_pack_f32(pool, w, src, ld);
    dp_pack_f32_t(pool, wt, src, ld);
}

/* Full fine-tuning: every HF tensor is a trainable fp32 master. */
static int load_full(struct dp_qt *m, const struct dp_st *st, struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    struct tab t = {0};
    struct layer_off *lo = dp_xcalloc((size_t)c->L, sizeof *lo);
    size_t emb = tab_add(&t, "model.embed_tokens.weight", 2, c->V, c->C, true);
    for (int l = 0; l < c->L; l++) add_layer(&t, c, l, &lo[l]);
    size_t nrm = tab_add(&t, "model.norm.weight", 1, c->C, 0, false);
    size_t lmh = c->tied ? emb : tab_add(&t, "lm_head.weight", 2, c->V, c->C, true);
    m->tab = t.v;
    m->ntab = t.n;
    m->nparams = t.total;
    m->params = falloc(t.total);
    m->grads = falloc(t.total);
    int rc = 0;
    if (!m->params || !m->grads)
        rc = dp_error_set(e, DP_ENOMEM, m->dir, 0, 0, "cannot allocate %zu MB for parameters and gradients",
                          t.total * 8 >> 20);
    for (int i = 0; !rc && i < m->ntab; i++) {
        const struct dp_qt_param *p = &m->tab[i];
        rc = load_into(st, p->name, p->ndim, p->shape[0], p->shape[1], m->params + p->off, e);
    }
    if (!rc) {
        float *P = m->params, *G = m->grads;
        m->embed = P + emb, m->norm = P + nrm, m->lm = P + lmh;
        m->dembed = G + emb, m->dnorm = G + nrm, m->dlm = G + lmh;
        for (int l = 0; l < c->L; l++) {
            struct dp_qt_layer *y = &m->layers[l];
            const struct layer_off *o = &lo[l];
            y->ln1 = P + o->ln1, y->ln2 = P + o->ln2, y->bqkv = P + o->qb;
            y->Wqkv = P + o->q, y->Wo = P + o->o, y->Wgu = P + o->gate, y->Wdown = P + o->down;
            y->dln1 = G + o->ln1, y->dln2 = G + o->ln2, y->dbqkv = G + o->qb;
            y->dWqkv = G + o->q, y->dWo = G + o->o, y->dWgu = G + o->gate, y->dWdown = G + o->down;
        }
    }
    free(lo);
    return rc;
}

/* Converts the fused parts of a layer matrix into tmp and packs W and W^T. */
static int pack_frozen(struct dp_qt *m, const struct dp_st *st, int l, const char *const *parts, int np,
                       const int *rows, int cols, struct dp_wmat *w, struct dp_wmat *wt, float *tmp,
                       struct dp_error *e)
{
    char n[112];
    size_t off = 0;
    for (int i = 0; i < np; i++) {
        snprintf(n, sizeof n, "model.layers.%d.%s", l, parts[i]);
        int rc = load_into(st, n, 2, rows[i], cols, tmp + off, e);
        if (rc) return rc;
        off += (size_t)rows[i] * cols;
    }
    pack_both(m->pool, w, wt, tmp, cols);
    return 0;
}

/* LoRA: the base is frozen (fp32 vectors and embedding, packed matrices); A and B train. */
static int load_lora(struct dp_qt *m, const struct dp_st *st, struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    int HD = c->H * c->D, KD = c->Hkv * c->D, Q = HD + 2 * KD, r = m->o.lora_rank;
    /* frozen fp32: embed (unless a tied head's packed rows hold it exactly), per layer ln1, ln2,
     * bqkv, then norm */
    bool own_embed = !(c->tied && (dp_mm_storage(m->o.prec) == DP_DTYPE_F32 || m->src_dtype == DP_DTYPE_BF16));
    size_t ne = own_embed ? (size_t)c->V * c->C : 0;
    size_t per = (size_t)2 * c->C + Q, nf = ne + per * c->L + c->C;
    m->frozen = falloc(nf);
    m->nfrozen = nf;
    if (!m->frozen) return dp_error_set(e, DP_ENOMEM, m->dir, 0, 0, "cannot allocate the frozen weights");
    float *f = m->frozen;
    m->embed = own_embed ? f : NULL;
    int rc = own_embed ? load_into(st, "model.embed_tokens.weight", 2, c->V, c->C, f, e) : 0;
    f += ne;
    char n[112];
    for (int l = 0; !rc && l < c->L; l++, f += per) {
        struct dp_qt_layer *y = &m->layers[l];
        y->ln1 = f, y->ln2 = f + c->C, y->bqkv = f + 2 * c->C;
        const char *vec[] = {"input_layernorm.weight", "post_attention_layernorm.weight", "self_attn.q_proj.bias",
                             "self_attn.k_proj.bias", "self_attn.v_proj.bias"};
        int len[] = {c->C, c->C, HD, KD, KD};
        float *dst[] = {y->ln1, y->ln2, y->bqkv, y->bqkv + HD, y->bqkv + HD + KD};
        for (int i = 0; !rc && i < 5; i++) {
            snprintf(n, sizeof n, "model.layers.%d.%s", l, vec[i]);
            rc = load_into(st, n, 1, len[i], 0, dst[i], e);
        }
    }
    m->norm = f;
    if (!rc) rc = load_into(st, "model.norm.weight", 1, c->C, 0, f, e);
    /* adapters: a table of A/B pairs per (layer, target) */
    struct tab t = {0};
    int Nof[DP_LORA_COUNT] = {HD, KD, KD, c->C, c->F, c->F, c->C};
    int Kof[DP_LORA_COUNT] = {c->C, c->C, c->C, HD, c->C, c->C, c->F};
    int colof[DP_LORA_COUNT] = {0, HD, HD + KD, 0, 0, c->F, 0};
    m->loras = dp_xcalloc((size_t)c->L * DP_LORA_COUNT, sizeof *m->loras);
    size_t *offs = dp_xcalloc((size_t)c->L * DP_LORA_COUNT * 2, sizeof *offs);
    for (int l = 0; l < c->L; l++)
        for (int k = 0; k < DP_LORA_COUNT; k++) {
            if (!(m->o.lora_targets & (1u << k))) continue;
            const char *grp = k <= DP_LORA_O ? "self_attn" : "mlp";
            struct dp_qt_lora *a = &m->loras[m->nlora];
            a->N = Nof[k], a->K = Kof[k], a->r = r, a->col = colof[k];
            a->scale = m->o.lora_alpha / (float)r;
            snprintf(n, sizeof n, "base_model.model.model.layers.%d.%s.%s.lora_A.weight", l, grp, dp_lora_target_names[k]);
            offs[2 * m->nlora] = tab_add(&t, n, 2, r, a->K, true);
            snprintf(n, sizeof n, "base_model.model.model.layers.%d.%s.%s.lora_B.weight", l, grp, dp_lora_target_names[k]);
            offs[2 * m->nlora + 1] = tab_add(&t, n, 2, a->N, r, true);
            m->layers[l].lora[k] = a;
            m->nlora++;
        }
    m->tab = t.v, m->ntab = t.n, m->nparams = t.total;
    m->params = falloc(t.total + 16);
    m->grads = falloc(t.total + 16);
    if (!rc && (!m->params || !m->grads)) rc = dp_error_set(e, DP_ENOMEM, m->dir, 0, 0, "cannot allocate adapters");
    struct dp_rng rng;
    dp_rng_seed(&rng, m->o.seed);
    for (int i = 0; !rc && i < m->nlora; i++) {
        struct dp_qt_lora *a = &m->loras[i];
        a->A = m->params + offs[2 * i], a->B = m->params + offs[2 * i + 1];
        a->dA = m->grads + offs[2 * i], a->dB = m->grads + offs[2 * i + 1];
        float bound = 1.0f / sqrtf((float)a->K);   /* kaiming_uniform(a = sqrt(5)) */
        for (size_t j = 0; j < (size_t)a->r * a->K; j++) a->A[j] = (2.0f * dp_rng_float(&rng) - 1.0f) * bound;
        for (size_t j = 0; j < (size_t)a->N * a->r; j++)
            a->B[j] = m->o.lora_b_std > 0 ? (float)dp_rng_normal(&rng) * m->o.lora_b_std : 0.0f;
    }
    free(offs);
    return rc;
}

/* LoRA: packs the frozen matrices once (through an fp32 temporary). */
static int pack_base(struct dp_qt *m, const struct dp_st *st, struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    int HD = c->H * c->D, KD = c->Hkv * c->D;
    size_t big = (size_t)c->V * c->C, lay = (size_t)(HD + 2 * KD) * c->C;
    if ((size_t)2 * c->F * c->C > lay) lay = (size_t)2 * c->F * c->C;
    size_t ntmp = c->tied && m->embed ? lay : (big > lay ? big : lay);
    float *tmp = falloc(ntmp);
    if (!tmp) return dp_error_set(e, DP_ENOMEM, m->dir, 0, 0, "cannot allocate a packing buffer");
    int rc = 0;
    for (int l = 0; !rc && l < c->L; l++) {
        struct dp_qt_layer *y = &m->layers[l];
        const char *qkv[] = {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight"};
        const char *o[] = {"self_attn.o_proj.weight"}, *gu[] = {"mlp.gate_proj.weight", "mlp.up_proj.weight"};
        const char *dn[] = {"mlp.down_proj.weight"};
        int rq[] = {HD, KD, KD}, ro[] = {c->C}, rg[] = {c->F, c->F}, rd[] = {c->C};
        rc = pack_frozen(m, st, l, qkv, 3, rq, c->C, &y->qkv, &y->qkv_t, tmp, e);
        if (!rc) rc = pack_frozen(m, st, l, o, 1, ro, HD, &y->o, &y->o_t, tmp, e);
        if (!rc) rc = pack_frozen(m, st, l, gu, 2, rg, c->C, &y->gu, &y->gu_t, tmp, e);
        if (!rc) rc = pack_frozen(m, st, l, dn, 1, rd, c->F, &y->down, &y->down_t, tmp, e);
    }
    if (!rc && c->tied && m->embed) {
        pack_both(m->pool, &m->lm_p, &m->lm_t, m->embed, c->C);
    } else if (!rc) {
        rc = load_into(st, c->tied ? "model.embed_tokens.weight" : "lm_head.weight", 2, c->V, c->C, tmp, e);
        if (!rc) pack_both(m->pool, &m->lm_p, &m->lm_t, tmp, c->C);
    }
    ffree(tmp, ntmp);
    return rc;
}

int dp_qt_load(struct dp_qt *m, const char *dir, const struct dp_qt_opts *o, struct dp_pool *pool,
               struct dp_error *e)
{
    memset(m, 0, sizeof *m);
    m->o = *o;
    m->pool = pool;
    m->lora = o->lora_rank > 0;
    snprintf(m->dir, sizeof m->dir, "%s", dir);
    int rc = dp_qwen_config_load(&m->cfg, dir, e);
    if (rc) return rc;
    if (m->lora && (o->lora_targets == 0 || o->lora_alpha <= 0))
        return dp_error_set(e, DP_EINVAL, dir, 0, 0, "LoRA needs target modules and a positive alpha");
    struct dp_st st;
    if ((rc = dp_st_open(&st, dir, e))) return rc;
    const struct dp_st_tensor *emb = dp_st_get(&st, "model.embed_tokens.weight");
    m->src_dtype = emb ? emb->dtype : DP_DTYPE_F32;
    m->layers = dp_xcalloc((size_t)m->cfg.L, sizeof *m->layers);
    rc = m->lora ? load_lora(m, &st, e) : load_full(m, &st, e);
    if (!rc && alloc_packs(m))
        rc = dp_error_set(e, DP_ENOMEM, dir, 0, 0, "cannot allocate packed weights");
    if (!rc && m->lora) rc = pack_base(m, &st, e);
    dp_st_close(&st);
    if (rc) {
        dp_qt_free(m);
        return rc;
    }
    m->dirty = true;
    dp_qt_zero_grad(m);
    return 0;
}

void dp_qt_free(struct dp_qt *m)
{
    dp_qt_acts_free(m);
    for (int l = 0; m->layers && l < (m->lora ? m->cfg.L : 1); l++) {   /* full: one shared set */
        struct dp_qt_layer *y = &m->layers[l];
        struct dp_wmat *w[] = {&y->qkv, &y->qkv_t, &y->o, &y->o_t, &y->gu, &y->gu_t, &y->down, &y->down_t};
        for (int i = 0; i < 8; i++) dp_wmat_free(w[i]);
    }
    for (int i = 0; i < m->nlora; i++) {
        dp_wmat_free(&m->loras[i].pa), dp_wmat_free(&m->loras[i].pat);
        dp_wmat_free(&m->loras[i].pb), dp_wmat_free(&m->loras[i].pbt);
    }
    dp_wmat_free(&m->lm_p);
    dp_wmat_free(&m->lm_t);
    ffree(m->params, m->nparams + (m->lora ? 16 : 0));
    ffree(m->grads, m->nparams + (m->lora ? 16 : 0));
    ffree(m->frozen, m->nfrozen);
    free(m->cos_t);
    free(m->sin_t);
    free(m->tab);
    free(m->layers);
    free(m->loras);
    dp_ws_free(&m->ws);
    memset(m, 0, sizeof *m);
}

void dp_qt_zero_grad(struct dp_qt *m)
{
    /* matrices are written by the next backward (fresh); vectors and adapters accumulate */
    const struct dp_qwen_config *c = &m->cfg;
    if (m->lora) {
        memset(m->grads, 0, m->nparams * 4);
    } else {
        for (int i = 0; i < m->ntab; i++)
            if (m->tab[i].ndim == 1) memset(m->grads + m->tab[i].off, 0, m->tab[i].numel * 4);
        if (!c->tied) memset(m->dembed, 0, (size_t)c->V * c->C * 4);
    }
    m->fresh = true;
}

void dp_qt_params_changed(struct dp_qt *m)
{
    m->dirty = true;
    m->packed_fwd = m->packed_bwd = -1;
}

void dp_qt_pack_layer(struct dp_qt *m, int l, bool bwd)
{
    const struct dp_qwen_config *c = &m->cfg;
    struct dp_qt_layer *y = &m->layers[l];
    if (m->lora || (bwd ? m->packed_bwd : m->packed_fwd) == l) return;
    int HD = c->H * c->D;
    struct { struct dp_wmat *w, *wt; const float *src; int ld; } mats[] = {
        {&y->qkv, &y->qkv_t, y->Wqkv, c->C}, {&y->o, &y->o_t, y->Wo, HD},
        {&y->gu, &y->gu_t, y->Wgu, c->C}, {&y->down, &y->down_t, y->Wdown, c->F},
    };
    for (int i = 0; i < 4; i++) {
        if (bwd) dp_pack_f32_t(m->pool, mats[i].wt, mats[i].src, mats[i].ld);
        else dp_pack_f32(m->pool, mats[i].w, mats[i].src, mats[i].ld);
    }
    if (bwd) m->packed_bwd = l;
    else m->packed_fwd = l;
}

void dp_qt_repack(struct dp_qt *m)
{
    const struct dp_qwen_config *c = &m->cfg;
    if (!m->dirty) return;
    if (!m->lora) pack_both(m->pool, &m->lm_p, &m->lm_t, m->lm, c->C);   /* layers: dp_qt_pack_layer */
    for (int i = 0; i < m->nlora; i++) {
        struct dp_qt_lora *a = &m->loras[i];
        pack_both(m->pool, &a->pa, &a->pat, a->A, a->K);
        pack_both(m->pool, &a->pb, &a->pbt, a->B, a->r);
    }
    m->dirty = false;
}
