/* Loading a Qwen2 folder: config.json, then every tensor the config needs, checked by name,
 * dtype and shape, then packed into one huge-page buffer (q/k/v and gate/up fused). Source
 * pages are dropped from the mapping as soon as a tensor is packed, so peak memory stays near
 * the packed size rather than twice it. */
#include "model/qwen.h"
#include "base/arena.h"
#include "nn/safetensors.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_ALIGN ((size_t)2 << 20)

void *dp_big_alloc(size_t n, bool huge)
{
    if (n == 0) n = 1;
    size_t len = (n + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1);
    /* over-allocate to align to 2 MiB, then trim */
    unsigned char *p = mmap(NULL, len + HUGE_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    size_t lead = (HUGE_ALIGN - ((uintptr_t)p & (HUGE_ALIGN - 1))) & (HUGE_ALIGN - 1);
    if (lead) munmap(p, lead);
    if (HUGE_ALIGN - lead) munmap(p + lead + len, HUGE_ALIGN - lead);
    p += lead;
#ifdef MADV_HUGEPAGE
    if (huge) madvise(p, len, MADV_HUGEPAGE);
#endif
    return p;
}

void dp_big_free(void *p, size_t n)
{
    if (!p) return;
    if (n == 0) n = 1;
    munmap(p, (n + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1));
}

/* ---------------------------------------------------------------- the tensor plan */

/* One destination: a vector (fp32) or rows [n0, n0 + rows) of a packed matrix. */
struct pack_item {
    const struct dp_st_tensor *src;
    struct dp_wmat *w;     /* NULL: vector */
    float *vec;
    int n0;                /* destination row (matrix) or element (vector) */
    int r0, nrows;         /* matrix: the source rows this item packs */
};

#define PACK_ROWS 4096     /* rows per packing item: big tensors are packed (and their pages
                              dropped) piece by piece */

struct plan {
    struct pack_item *items;
    size_t n, cap;
    size_t bytes;          /* running total of the buffer */
};

static size_t align64(size_t n) { return (n + 63) & ~(size_t)63; }

static int need(const struct dp_st *st, const char *name, int ndim, int64_t d0, int64_t d1,
                const struct dp_st_tensor **t, struct dp_error *e)
{
    int64_t shape[2] = {d0, d1};
    return dp_st_require(st, name, ndim, shape, t, e);
}

static void add_item(struct plan *p, const struct dp_st_tensor *t, struct dp_wmat *w, float *vec, int n0)
{
    int rows = w ? (int)t->shape[0] : 1;
    for (int r0 = 0; r0 < rows; r0 += PACK_ROWS) {
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 64;
            p->items = dp_xrealloc(p->items, p->cap * sizeof *p->items);
        }
        int nr = rows - r0 < PACK_ROWS ? rows - r0 : PACK_ROWS;
        p->items[p->n++] = (struct pack_item){t, w, vec, n0, r0, nr};
    }
}

/* Reserves a vector of n floats: the offset is stored in the pointer until the buffer exists. */
static float *reserve_vec(struct plan *p, size_t n)
{
    size_t off = p->bytes;
    p->bytes += align64(n * 4);
    return (float *)(uintptr_t)(off + 1);
}

static void reserve_mat(struct plan *p, struct dp_wmat *w, int N, int K, enum dp_dtype dt)
{
    dp_wmat_init(w, (void *)(uintptr_t)(p->bytes + 1), N, K, dt);
    p->bytes += dp_wmat_bytes(N, K, dt);
}

static void *rebase(void *off, unsigned char *base) { return base + ((uintptr_t)off - 1); }

/* Builds the plan: checks every tensor and lays out the buffer. */
static int plan_model(struct dp_qwen *m, const struct dp_st *st, struct plan *p, struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    const struct dp_st_tensor *t;
    int rc = need(st, "model.embed_tokens.weight", 2, c->V, c->C, &t, e);
    if (rc) return rc;
    m->wdtype = dp_wmat_dtype_for(t->dtype);
    enum dp_dtype emb_dt = t->dtype;
    reserve_mat(p, &m->embed, c->V, c->C, m->wdtype);
    add_item(p, t, &m->embed, NULL, 0);
    m->layers = dp_xcalloc((size_t)c->L, sizeof *m->layers);
    int Q = (c->H + 2 * c->Hkv) * c->D, HD = c->H * c->D, KD = c->Hkv * c->D;
    char name[160];
    for (int l = 0; l < c->L; l++) {
        struct dp_qwen_layer *ly = &m->layers[l];
        struct { const char *suffix; int rows, cols, n0; struct dp_wmat *w; float **vec; } parts[] = {
            {"input_layernorm.weight", c->C, 0, 0, NULL, &ly->ln1},
            {"self_attn.q_proj.weight", HD, c->C, 0, &ly->qkv, NULL},
            {"self_attn.k_proj.weight", KD, c->C, HD, &ly->qkv, NULL},
            {"self_attn.v_proj.weight", KD, c->C, HD + KD, &ly->qkv, NULL},
            {"self_attn.q_proj.bias", HD, 0, 0, NULL, &ly->qkv_bias},
            {"self_attn.k_proj.bias", KD, 0, HD, NULL, &ly->qkv_bias},
            {"self_attn.v_proj.bias", KD, 0, HD + KD, NULL, &ly->qkv_bias},
            {"self_attn.o_proj.weight", c->C, HD, 0, &ly->o, NULL},
            {"post_attention_layernorm.weight", c->C, 0, 0, NULL, &ly->ln2},
            {"mlp.gate_proj.weight", c->F, c->C, 0, &ly->gu, NULL},
            {"mlp.up_proj.weight", c->F, c->C, c->F, &ly->gu, NULL},
            {"mlp.down_proj.weight", c->C, c->F, 0, &ly->down, NULL},
        };
        reserve_mat(p, &ly->qkv, Q, c->C, m->wdtype);
        reserve_mat(p, &ly->o, c->C, HD, m->wdtype);
        reserve_mat(p, &ly->gu, 2 * c->F, c->C, m->wdtype);
        reserve_mat(p, &ly->down, c->C, c->F, m->wdtype);
        ly->ln1 = reserve_vec(p, (size_t)c->C);
        ly->ln2 = reserve_vec(p, (size_t)c->C);
        ly->qkv_bias = reserve_vec(p, (size_t)Q);
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
            snprintf(name, sizeof name, "model.layers.%d.%s", l, parts[i].suffix);
            rc = need(st, name, parts[i].cols ? 2 : 1, parts[i].rows, parts[i].cols, &t, e);
            if (rc) return rc;
            if (parts[i].w && dp_wmat_dtype_for(t->dtype) != m->wdtype)
                return dp_error_set(e, DP_EFORMAT, t->file, 0, 0,
                                    "tensor '%s': dtype %s, but the embedding is %s (mixed dtypes)",
                                    name, dp_dtype_name(t->dtype), dp_dtype_name(emb_dt));
            if (parts[i].w) add_item(p, t, parts[i].w, NULL, parts[i].n0);
            else add_item(p, t, NULL, *parts[i].vec, parts[i].n0);
        }
    }
    if ((rc = need(st, "model.norm.weight", 1, c->C, 0, &t, e))) return rc;
    m->norm = reserve_vec(p, (size_t)c->C);
    add_item(p, t, NULL, m->norm, 0);
    if (c->tied) {
        m->lm_head = m->embed;
    } else {
        if ((rc = need(st, "lm_head.weight", 2, c->V, c->C, &t, e))) return rc;
        reserve_mat(p, &m->lm_head, c->V, c->C, m->wdtype);
        add_item(p, t, &m->lm_head, NULL, 0);
    }
    return 0;
}

/* ---------------------------------------------------------------- packing */

struct pack_job {
    struct plan *p;
    long next;             /* atomic: next item */
};

/* Drops the mapped source pages of p[0..n) (whole pages inside it) from this process. */
static void drop_pages(const void *p, size_t n)
{
    uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t a = ((uintptr_t)p + pg - 1) & ~(pg - 1), b = ((uintptr_t)p + n) & ~(pg - 1);
    if (b > a) madvise((void *)a, b - a, MADV_DONTNEED);
}

static void pack_worker(void *ctx, int tid, int nth)
{
    struct pack_job *j = ctx;
    for (;;) {
        long i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (i >= (long)j->p->n) break;
        const struct pack_item *it = &j->p->items[i];
        const struct dp_st_tensor *t = it->src;
        if (it->w) {
            size_t rb = (size_t)t->shape[1] * dp_dtype_size(t->dtype);
            const unsigned char *src = (const unsigned char *)t->data + (size_t)it->r0 * rb;
            dp_wmat_pack_rows(it->w, it->n0 + it->r0, it->nrows, src, t->dtype);
            drop_pages(src, (size_t)it->nrows * rb);
        } else {
            dp_convert_to_f32(it->vec + it->n0, t->data, t->dtype, (size_t)t->numel);
            drop_pages(t->data, t->nbytes);
        }
    }
}

int dp_qwen_load(struct dp_qwen *m, const char *dir, struct dp_pool *pool, struct dp_error *e)
{
    memset(m, 0, sizeof *m);
    int rc = dp_qwen_config_load(&m->cfg, dir, e);
    if (rc) return rc;
    struct dp_st st;
    if ((rc = dp_st_open(&st, dir, e))) return rc;
    struct plan p = {0};
    rc = plan_model(m, &st, &p, e);
    if (!rc) {
        m->mem_bytes = p.bytes;
        m->mem = dp_big_alloc(p.bytes, true);
        if (!m->mem) rc = dp_error_set(e, DP_ENOMEM, dir, 0, 0, "cannot allocate %zu MB for the weights", p.bytes >> 20);
    }
    if (!rc) {
        unsigned char *base = m->mem;
        struct dp_wmat *mats[] = {&m->embed, &m->lm_head};
        for (int i = 0; i < (m->cfg.tied ? 1 : 2); i++) mats[i]->data = rebase(mats[i]->data, base);
        if (m->cfg.tied) m->lm_head = m->embed;
        m->norm = rebase(m->norm, base);
        for (int l = 0; l < m->cfg.L; l++) {
            struct dp_qwen_layer *ly = &m->layers[l];
            ly->qkv.data = rebase(ly->qkv.data, base);
            ly->o.data = rebase(ly->o.data, base);
            ly->gu.data = rebase(ly->gu.data, base);
            ly->down.data = rebase(ly->down.data, base);
            ly->ln1 = rebase(ly->ln1, base);
            ly->ln2 = rebase(ly->ln2, base);
            ly->qkv_bias = rebase(ly->qkv_bias, base);
        }
        for (size_t i = 0; i < p.n; i++)
            if (p.items[i].vec) p.items[i].vec = rebase(p.items[i].vec, base);
        struct pack_job j = {&p, 0};
        dp_pool_run(pool, pack_worker, &j);
    }
    free(p.items);
    dp_st_close(&st);
    if (rc) dp_qwen_free(m);
    return rc;
}

void dp_qwen_free(struct dp_qwen *m)
{
    dp_big_free(m->mem, m->mem_bytes);
    free(m->layers);
    memset(m, 0, sizeof *m);
}
