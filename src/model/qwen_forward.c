/* Qwen2 inference: the state (a KV cache of several slots in small pages that fill as it grows,
 * activation buffers carved from one huge-page mapping) and the forward pass. A call's tokens, from any number of slots, are
 * packed into passes of at most mtok rows: the matmuls see all rows at once, attention runs per
 * (slot, head) against that slot's cache. */
#include "model/qwen.h"
#include "base/arena.h"
#include "base/log.h"
#include "nn/ops.h"
#include <stdlib.h>
#include <string.h>

static size_t al64(size_t n) { return (n + 63) & ~(size_t)63; }

int dp_qwen_state_init(struct dp_qwen_state *s, const struct dp_qwen *m, int nslots, int tcap,
                       int mtok, int nthreads, struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    memset(s, 0, sizeof *s);
    if (nslots < 1 || tcap < 1 || mtok < 1 || nthreads < 1)
        return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "state: slots, context and rows must be >= 1");
    tcap = (tcap + 15) & ~15;
    s->nslots = nslots;
    s->tcap = tcap;
    s->mtok = mtok;
    s->nthreads = nthreads;
    size_t Q = (size_t)(c->H + 2 * c->Hkv) * c->D, HD = (size_t)c->H * c->D;
    size_t rows = (size_t)(mtok > nslots ? mtok : nslots);
    size_t kmax = (size_t)c->C;
    if ((size_t)c->F > kmax) kmax = (size_t)c->F;
    if (HD > kmax) kmax = HD;
    size_t cache = (size_t)c->L * nslots * c->Hkv * tcap * c->D * 4;
    size_t sizes[] = {
        al64((size_t)nslots * 4), al64((size_t)tcap * c->D / 2 * 4),
        al64((size_t)tcap * c->D / 2 * 4), al64((size_t)mtok * c->C * 4), al64((size_t)mtok * c->C * 4),
        al64((size_t)mtok * Q * 4), al64((size_t)mtok * HD * 4), al64((size_t)mtok * 2 * c->F * 4),
        al64((size_t)mtok * c->F * 4), al64((size_t)mtok * c->C * 4), al64(rows * c->C * 4),
        al64((size_t)nthreads * 2 * tcap * 4), dp_matmul_scratch((int)rows, (int)kmax),
        al64((size_t)mtok * 4), al64((size_t)mtok * 4),
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) total += sizes[i];
    s->mem = dp_big_alloc(total, true);
    s->kv_mem = dp_big_alloc(2 * cache, false);
    if (!s->mem || !s->kv_mem) {
        dp_qwen_state_free(s);
        return dp_error_set(e, DP_ENOMEM, NULL, 0, 0, "cannot reserve %zu MB for the KV cache", (total + 2 * cache) >> 20);
    }
    s->mem_bytes = total;
    s->kv_bytes = 2 * cache;
    s->kt = s->kv_mem;
    s->v = (float *)((unsigned char *)s->kv_mem + cache);
    unsigned char *p = s->mem;
    void **ptrs[] = {
        (void **)&s->len, (void **)&s->cos_t, (void **)&s->sin_t,
        (void **)&s->x, (void **)&s->xn, (void **)&s->qkv, (void **)&s->att, (void **)&s->gu,
        (void **)&s->h, (void **)&s->proj, (void **)&s->last, (void **)&s->attp, (void **)&s->xbf,
        (void **)&s->pos, (void **)&s->ids,
    };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        *ptrs[i] = p;
        p += sizes[i];
    }
    dp_rope_table(s->cos_t, s->sin_t, tcap, c->D, c->theta);
    return 0;
}

void dp_qwen_state_free(struct dp_qwen_state *s)
{
    dp_big_free(s->mem, s->mem_bytes);
    dp_big_free(s->kv_mem, s->kv_bytes);
    memset(s, 0, sizeof *s);
}

void dp_qwen_state_reset(struct dp_qwen_state *s, int slot) { s->len[slot] = 0; }

/* Cache of (layer, slot, group): keys [tcap/16, D, 16] and values [tcap, D]. */
static float *kt_at(const struct dp_qwen_state *s, const struct dp_qwen_config *c, int l, int slot, int g)
{
    return s->kt + (((size_t)l * s->nslots + slot) * c->Hkv + g) * (size_t)s->tcap * c->D;
}

static float *v_at(const struct dp_qwen_state *s, const struct dp_qwen_config *c, int l, int slot, int g)
{
    return s->v + (((size_t)l * s->nslots + slot) * c->Hkv + g) * (size_t)s->tcap * c->D;
}

void dp_qwen_state_copy(struct dp_qwen_state *s, const struct dp_qwen *m, int dst, int src, int n)
{
    const struct dp_qwen_config *c = &m->cfg;
    size_t kn = (size_t)((n + 15) / 16) * 16 * c->D, vn = (size_t)n * c->D;
    for (int l = 0; l < c->L; l++)
        for (int g = 0; g < c->Hkv; g++) {
            memcpy(kt_at(s, c, l, dst, g), kt_at(s, c, l, src, g), kn * 4);
            memcpy(v_at(s, c, l, dst, g), v_at(s, c, l, src, g), vn * 4);
        }
    s->len[dst] = n;
}

/* ---------------------------------------------------------------- one pass */

struct sub { int slot, pos0, row0, T, is_last; };   /* is_last: holds its entry's last token */

struct pass {
    const struct dp_qwen *m;
    struct dp_qwen_state *s;
    const struct sub *subs;
    int nsub, M, layer;
    int op;                /* row op */
    const float *w;        /* row op weight */
};

enum { OP_NORM, OP_ADD_NORM, OP_ADD, OP_SWIGLU, OP_ROPE };   /* OP_ADD*: x += proj first */

static void store_kv(const struct pass *ps, int si)
{
    const struct dp_qwen_config *c = &ps->m->cfg;
    const struct sub *sb = &ps->subs[si];
    int Q = (c->H + 2 * c->Hkv) * c->D, HD = c->H * c->D, D = c->D;
    for (int t = 0; t < sb->T; t++) {
        const float *row = ps->s->qkv + (size_t)(sb->row0 + t) * Q;
        int p = sb->pos0 + t;
        for (int g = 0; g < c->Hkv; g++) {
            float *kt = kt_at(ps->s, c, ps->layer, sb->slot, g) + (size_t)(p >> 4) * D * 16 + (p & 15);
            const float *k = row + HD + g * D, *v = row + HD + c->Hkv * D + g * D;
            for (int d = 0; d < D; d++) kt[d * 16] = k[d];
            memcpy(v_at(ps->s, c, ps->layer, sb->slot, g) + (size_t)p * D, v, (size_t)D * 4);
        }
    }
}

/* Rows [lo, hi) of the pass through the current row op. */
static void rows_piece(void *ctx, long lo, long hi, int tid)
{
    struct pass *ps = ctx;
    const struct dp_qwen_config *c = &ps->m->cfg;
    struct dp_qwen_state *s = ps->s;
    int n = (int)(hi - lo);
    if (ps->op == OP_ROPE) {   /* rows of q and k rotated */
        int Q = (c->H + 2 * c->Hkv) * c->D;
        float *q = s->qkv + (size_t)lo * Q;
        dp_rope_forward(q, Q, s->pos + lo, s->cos_t, s->sin_t, n, c->H, c->D);
        dp_rope_forward(q + c->H * c->D, Q, s->pos + lo, s->cos_t, s->sin_t, n, c->Hkv, c->D);
    } else if (ps->op == OP_SWIGLU) {
        dp_swiglu_forward(s->h + (size_t)lo * c->F, s->gu + (size_t)lo * 2 * c->F, n, c->F);
    } else {
        float *x = s->x + (size_t)lo * c->C;
        if (ps->op != OP_NORM) dp_add_forward(x, s->proj + (size_t)lo * c->C, n, c->C);
        if (ps->op != OP_ADD) dp_rmsnorm_forward(s->xn + (size_t)lo * c->C, x, ps->w, c->eps, n, c->C);
    }
}

static void rows_op(struct dp_pool *pool, struct pass *ps, int op, const float *w)
{
    ps->op = op;
    ps->w = w;
    if (ps->M >= 8) dp_pool_run_range(pool, ps->M, ps->M >= 64 ? 16 : 4, rows_piece, ps);
    else rows_piece(ps, 0, ps->M, 0);   /* small: not worth a dispatch */
}

/* Attention jobs [lo, hi): job j is head j % H of sub j / H. */
static void attn_piece(void *ctx, long lo, long hi, int tid)
{
    struct pass *ps = ctx;
    const struct dp_qwen_config *c = &ps->m->cfg;
    struct dp_qwen_state *s = ps->s;
    int Q = (c->H + 2 * c->Hkv) * c->D, HD = c->H * c->D, grp = c->H / c->Hkv;
    for (long j = lo; j < hi; j++) {
        const struct sub *sb = &ps->subs[j / c->H];
        int h = (int)(j % c->H), g = h / grp;
        dp_attention_head_forward(s->att + (size_t)sb->row0 * HD + h * c->D, HD,
                                  s->qkv + (size_t)sb->row0 * Q + h * c->D, Q,
                                  kt_at(s, c, ps->layer, sb->slot, g), v_at(s, c, ps->layer, sb->slot, g),
                                  sb->pos0, sb->T, c->D, s->tcap, s->attp + (size_t)tid * 2 * s->tcap);
    }
}

/* Runs the statement, adding its time to part of s->prof when the state keeps a profile. */
#define TIMED(s, part, ...)                                                                     \
    do {                                                                                        \
        double t_ = (s)->prof ? dp_now() : 0;                                                   \
        __VA_ARGS__;                                                                            \
        if ((s)->prof) (s)->prof[part] += dp_now() - t_;                                        \
    } while (0)

static void run_pass(const struct dp_qwen *m, struct dp_qwen_state *s, struct dp_pool *pool,
                     enum dp_prec prec, const struct sub *subs, int nsub, int M)
{
    const struct dp_qwen_config *c = &m->cfg;
    struct pass ps = {.m = m, .s = s, .subs = subs, .nsub = nsub, .M = M};
    long work = 0;   /* query-key pairs of attention over the heads: below a few thousand, one
                      * thread is faster */
    for (int i = 0; i < nsub; i++) work += (long)subs[i].T * (subs[i].pos0 + subs[i].T);
    work *= c->H;
    long njobs = (long)nsub * c->H;
    enum { P = DP_QPROF_PRODUCTS, A = DP_QPROF_ATTN, R = DP_QPROF_ROWS };
    TIMED(s, R, dp_embedding_forward(s->x, s->ids, &m->embed, M));
    if (c->L > 0) TIMED(s, R, rows_op(pool, &ps, OP_NORM, m->layers[0].ln1));
    for (int l = 0; l < c->L; l++) {
        const struct dp_qwen_layer *ly = &m->layers[l];
        ps.layer = l;
        TIMED(s, P, dp_matmul_forward(pool, s->qkv, s->xn, &ly->qkv, ly->qkv_bias, M, prec, s->xbf));
        TIMED(s, A, {
            rows_op(pool, &ps, OP_ROPE, NULL);
            for (int i = 0; i < nsub; i++) store_kv(&ps, i);
            dp_pool_run_range(work > 4096 ? pool : NULL, njobs, 1, attn_piece, &ps);
        });
        TIMED(s, P, dp_matmul_forward(pool, s->proj, s->att, &ly->o, NULL, M, prec, s->xbf));
        TIMED(s, R, rows_op(pool, &ps, OP_ADD_NORM, ly->ln2));
        TIMED(s, P, dp_matmul_forward(pool, s->gu, s->xn, &ly->gu, NULL, M, prec, s->xbf));
        TIMED(s, R, rows_op(pool, &ps, OP_SWIGLU, NULL));
        TIMED(s, P, dp_matmul_forward(pool, s->proj, s->h, &ly->down, NULL, M, prec, s->xbf));
        /* the residual, and the next layer's input norm */
        if (l + 1 < c->L) TIMED(s, R, rows_op(pool, &ps, OP_ADD_NORM, m->layers[l + 1].ln1));
        else TIMED(s, R, rows_op(pool, &ps, OP_ADD, NULL));
    }
}

/* ---------------------------------------------------------------- the call */

static int check_call(const struct dp_qwen *m, const struct dp_qwen_state *s, int n, const int *slot,
                      const int *ntok, const int32_t *tok, struct dp_error *e)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        if (slot[i] < 0 || slot[i] >= s->nslots || ntok[i] < 1)
            return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "forward: bad slot %d or token count %d", slot[i], ntok[i]);
        for (int k = 0; k < i; k++)
            if (slot[k] == slot[i]) return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "forward: slot %d given twice", slot[i]);
        if ((long)s->len[slot[i]] + ntok[i] > s->tcap)
            return dp_error_set(e, DP_ERANGE, NULL, 0, 0, "sequence in slot %d would exceed the context of %d tokens",
                                slot[i], s->tcap);
        total += ntok[i];
    }
    for (long i = 0; i < total; i++)
        if (tok[i] < 0 || tok[i] >= m->cfg.V)
            return dp_error_set(e, DP_ERANGE, NULL, 0, 0, "token id %d outside the vocabulary (%d)", tok[i], m->cfg.V);
    return 0;
}

int dp_qwen_forward(const struct dp_qwen *m, struct dp_qwen_state *s, struct dp_pool *pool,
                    enum dp_prec prec, int n, const int *slot, const int *ntok, const int32_t *tok,
                    float *logits, bool all_logits, struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    int rc = check_call(m, s, n, slot, ntok, tok, e);
    if (rc || n == 0) return rc;
    struct sub local[16];   /* no allocation for a decode step of up to 16 sequences */
    struct sub *subs = n <= 16 ? local : dp_xmalloc((size_t)n * sizeof *subs);
    long row = 0;   /* rows of the whole call done */
    int ei = 0, eo = 0;   /* cursor: entry, tokens of it done */
    while (ei < n) {
        int M = 0, nsub = 0;
        long row0 = row;
        while (ei < n && M < s->mtok) {
            int take = ntok[ei] - eo < s->mtok - M ? ntok[ei] - eo : s->mtok - M;
            struct sub *sb = &subs[nsub++];
            sb->slot = slot[ei];
            sb->pos0 = s->len[slot[ei]];
            sb->row0 = M;
            sb->T = take;
            sb->is_last = 0;
            for (int t = 0; t < take; t++) {
                s->ids[M + t] = tok[row + t];
                s->pos[M + t] = sb->pos0 + t;
            }
            M += take;
            row += take;
            eo += take;
            if (eo == ntok[ei]) {
                sb->is_last = 1;
                ei++;
                eo = 0;
            }
        }
        run_pass(m, s, pool, prec, subs, nsub, M);
        for (int i = 0; i < nsub; i++) s->len[subs[i].slot] += subs[i].T;
        if (all_logits) {
            TIMED(s, DP_QPROF_HEAD, {
                dp_rmsnorm_forward(s->last, s->x, m->norm, c->eps, M, c->C);
                dp_matmul_forward(pool, logits + (size_t)row0 * c->V, s->last, &m->lm_head, NULL, M, prec, s->xbf);
            });
        } else {
            /* entries finished in this pass are the last ones counted so far */
            int fin = 0;
            for (int i = 0; i < nsub; i++) fin += subs[i].is_last;
            int k = ei - fin;
            for (int i = 0; i < nsub; i++)
                if (subs[i].is_last) {
                    const struct sub *sb = &subs[i];
                    dp_rmsnorm_forward(s->last + (size_t)k * c->C, s->x + (size_t)(sb->row0 + sb->T - 1) * c->C,
                                       m->norm, c->eps, 1, c->C);
                    k++;
                }
        }
    }
    if (!all_logits) TIMED(s, DP_QPROF_HEAD, dp_matmul_forward(pool, logits, s->last, &m->lm_head, NULL, n, prec, s->xbf));
    if (subs != local) free(subs);
    return 0;
}
