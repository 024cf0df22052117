/* The Qwen2 training graph (see qwen_train.h): activations carved from one mapping, the layer
 * forward (saving what its backward needs, or only its input in recompute mode), the LM head on
 * completion rows only, and the backward in reverse. LoRA adapters run as two small linears
 * beside the frozen one: y += scale (x A^T) B^T. */
#include "model/qwen_train.h"
#include "model/qwen_train_int.h"
#include "base/arena.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ================================================================ activations */

struct dp_qt_acts {
    int capM, capMc, nslot;
    float *x;                        /* [L + 1, M, C] layer inputs (x[L]: the final hidden) */
    float *qkv, *att, *lse, *x1, *gu, *u;   /* per slot: [M,Q] [M,HD] [M,H] [M,C] [M,2F] [7,M,r] */
    float *xn, *h, *proj, *dres, *dqkv, *datt, *dgu, *dh, *dxn, *dys, *du;
    float *cx, *cxn, *clogp, *clse, *cg, *cdx, *cdn;   /* completion rows [Mc, C] or [Mc] */
    int32_t *ids, *pos, *crow, *ctgt;
    int *row0, *len, *cseq;
    int M, Mc, nseq, trained;
    void *mem;
    size_t bytes;
};

static size_t al64(size_t n) { return (n + 63) & ~(size_t)63; }

void dp_qt_acts_free(struct dp_qt *m)
{
    if (!m->acts) return;
    munmap(m->acts->mem, m->acts->bytes);
    free(m->acts);
    m->acts = NULL;
}

/* (Re)allocates for M rows, Mc completion rows, nseq sequences; slots: L when keeping. */
static int acts_reserve(struct dp_qt *m, int M, int Mc, int nseq, int nslot)
{
    struct dp_qt_acts *a = m->acts;
    if (a && a->capM >= M && a->capMc >= Mc && a->nslot >= nslot && a->capM >= nseq) return 0;
    dp_qt_acts_free(m);
    const struct dp_qwen_config *c = &m->cfg;
    size_t Mx = (size_t)(M + M / 4 + 16), Mcx = (size_t)(Mc + Mc / 4 + 16);
    size_t C = c->C, Q = (size_t)(c->H + 2 * c->Hkv) * c->D, HD = (size_t)c->H * c->D, F = c->F;
    size_t r = m->lora ? (size_t)m->o.lora_rank : 0;
    size_t wide = 2 * F > Q ? 2 * F : Q;
    size_t sizes[] = {
        (c->L + 1) * Mx * C * 4, nslot * Mx * Q * 4, nslot * Mx * HD * 4, nslot * Mx * c->H * 4,
        nslot * Mx * C * 4, nslot * Mx * 2 * F * 4, nslot * DP_LORA_COUNT * Mx * (r ? r : 1) * 4,
        Mx * C * 4, Mx * F * 4, Mx * C * 4, Mx * C * 4, Mx * Q * 4, Mx * HD * 4, Mx * 2 * F * 4, Mx * F * 4,
        Mx * C * 4, Mx * wide * 4, Mx * (r ? r : 1) * 4,
        Mcx * C * 4, Mcx * C * 4, Mcx * 4, Mcx * 4, Mcx * 4, Mcx * C * 4, Mcx * C * 4,
        Mx * 4, Mx * 4, Mcx * 4, Mcx * 4, Mx * 4, Mx * 4, Mcx * 4,
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) total += al64(sizes[i]);
    void *mem = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) return -1;
#ifdef MADV_HUGEPAGE
    madvise(mem, total, MADV_HUGEPAGE);
#endif
    a = dp_xcalloc(1, sizeof *a);
    a->mem = mem, a->bytes = total;
    a->capM = (int)Mx, a->capMc = (int)Mcx, a->nslot = nslot;
    void **ptr[] = {
        (void **)&a->x, (void **)&a->qkv, (void **)&a->att, (void **)&a->lse, (void **)&a->x1, (void **)&a->gu,
        (void **)&a->u, (void **)&a->xn, (void **)&a->h, (void **)&a->proj, (void **)&a->dres,
        (void **)&a->dqkv, (void **)&a->datt, (void **)&a->dgu, (void **)&a->dh, (void **)&a->dxn,
        (void **)&a->dys, (void **)&a->du, (void **)&a->cx, (void **)&a->cxn, (void **)&a->clogp,
        (void **)&a->clse, (void **)&a->cg, (void **)&a->cdx, (void **)&a->cdn, (void **)&a->ids,
        (void **)&a->pos, (void **)&a->crow, (void **)&a->ctgt, (void **)&a->row0, (void **)&a->len,
        (void **)&a->cseq,
    };
    unsigned char *p = mem;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        *ptr[i] = p;
        p += al64(sizes[i]);
    }
    m->acts = a;
    return 0;
}

/* Per-slot views of one layer's saved tensors. */
struct slot { float *x0, *x2, *qkv, *att, *lse, *x1, *gu, *u; };

static struct slot slot_of(const struct dp_qt *m, int l, int s)
{
    const struct dp_qwen_config *c = &m->cfg;
    const struct dp_qt_acts *a = m->acts;
    size_t M = (size_t)a->capM, Q = (size_t)(c->H + 2 * c->Hkv) * c->D, HD = (size_t)c->H * c->D;
    size_t r = m->lora ? (size_t)m->o.lora_rank : 1;
    struct slot v = {
        a->x + (size_t)l * M * c->C, a->x + (size_t)(l + 1) * M * c->C, a->qkv + s * M * Q, a->att + s * M * HD,
        a->lse + s * M * c->H, a->x1 + s * M * c->C, a->gu + s * M * 2 * c->F, a->u + s * DP_LORA_COUNT * M * r,
    };
    return v;
}

/* ================================================================ row-parallel element ops */

enum { RO_NORM, RO_ROPE, RO_ROPE_BW, RO_SWIGLU, RO_ADD };
struct rowop {
    int op, M, C, ld, H, D;
    float *out;
    const float *in, *w, *cs, *sn;
    const int32_t *pos;
    float eps;
};

static void rowop_worker(void *ctx, int tid, int nth)
{
    const struct rowop *r = ctx;
    long lo, hi;
    dp_pool_split(r->M, tid, nth, &lo, &hi);
    int n = (int)(hi - lo);
    if (n <= 0) return;
    switch (r->op) {
    case RO_NORM:
        dp_rmsnorm_forward(r->out + lo * r->C, r->in + lo * r->C, r->w, r->eps, n, r->C);
        break;
    case RO_ROPE:
        dp_rope_forward(r->out + lo * r->ld, r->ld, r->pos + lo, r->cs, r->sn, n, r->H, r->D);
        break;
    case RO_ROPE_BW:
        dp_rope_backward(r->out + lo * r->ld, r->ld, r->pos + lo, r->cs, r->sn, n, r->H, r->D);
        break;
    case RO_SWIGLU:
        dp_swiglu_forward(r->out + lo * r->C, r->in + lo * 2 * r->C, n, r->C);
        break;
    case RO_ADD:
        dp_add_forward(r->out + lo * r->C, r->in + lo * r->C, n, r->C);
        break;
    }
}

static void rows(struct dp_pool *pool, struct rowop r)
{
    dp_pool_run(r.M >= 8 ? pool : NULL, rowop_worker, &r);
}

static void norm(struct dp_qt *m, float *out, const float *x, const float *w, int M)
{
    rows(m->pool, (struct rowop){.op = RO_NORM, .M = M, .C = m->cfg.C, .out = out, .in = x, .w = w, .eps = m->cfg.eps});
}

static void rope(struct dp_qt *m, float *qkv, int M, bool bw)
{
    const struct dp_qwen_config *c = &m->cfg;
    int Q = (c->H + 2 * c->Hkv) * c->D, op = bw ? RO_ROPE_BW : RO_ROPE;
    struct rowop r = {.op = op, .M = M, .ld = Q, .H = c->H, .D = c->D, .out = qkv, .cs = m->cos_t,
                      .sn = m->sin_t, .pos = m->acts->pos};
    rows(m->pool, r);
    r.out = qkv + c->H * c->D;
    r.H = c->Hkv;
    rows(m->pool, r);
}

/* ================================================================ LoRA */

/* y[:, col : col + N] (rows ldy apart) += scale (x A^T) B^T; u[M, r] = x A^T kept. */
static void lora_fwd(struct dp_qt *m, const struct dp_qt_lora *a, const float *x, float *y, int ldy, float *u, int M)
{
    dp_mm(m->pool, u, a->r, false, 1.0f, x, &a->pa, NULL, M, m->o.prec, &m->ws.mm);
    dp_mm(m->pool, y + a->col, ldy, true, a->scale, u, &a->pb, NULL, M, m->o.prec, &m->ws.mm);
}

/* From dy (the fused output's gradient, rows ldy apart): dB += scale dy^T u, dA += du^T x,
 * dx += du A with du = scale dy B. */
static void lora_bwd(struct dp_qt *m, const struct dp_qt_lora *a, const float *dy, int ldy, const float *x,
                     float *dx, const float *u, int M)
{
    float *dys = m->acts->dys, *du = m->acts->du;
    for (int r = 0; r < M; r++) {
        const float *s = dy + (size_t)r * ldy + a->col;
        float *d = dys + (size_t)r * a->N;
        for (int n = 0; n < a->N; n++) d[n] = a->scale * s[n];
    }
    dp_linear_backward(m->pool, du, false, a->dB, true, NULL, dys, a->N, u, &a->pbt, M, a->N, a->r, m->o.prec, &m->ws);
    dp_linear_backward(m->pool, dx, true, a->dA, true, NULL, du, a->r, x, &a->pat, M, a->r, a->K, m->o.prec, &m->ws);
}

static float *u_of(const struct dp_qt *m, const struct slot *s, int k)
{
    return s->u + (size_t)k * m->acts->capM * (m->lora ? m->o.lora_rank : 1);
}

/* ================================================================ layer forward, backward */

static void layer_forward(struct dp_qt *m, int l, const struct slot *s)
{
    const struct dp_qwen_config *c = &m->cfg;
    struct dp_qt_acts *a = m->acts;
    const struct dp_qt_layer *y = &m->layers[l];
    int M = a->M, Q = (c->H + 2 * c->Hkv) * c->D, HD = c->H * c->D;
    enum dp_prec pr = m->o.prec;
    struct dp_attn at = {c->H, c->Hkv, c->D, Q, 0, HD, HD + c->Hkv * c->D};
    dp_qt_pack_layer(m, l, false);
    norm(m, a->xn, s->x0, y->ln1, M);
    dp_mm(m->pool, s->qkv, Q, false, 1.0f, a->xn, &y->qkv, y->bqkv, M, pr, &m->ws.mm);
    for (int k = DP_LORA_Q; k <= DP_LORA_V; k++)
        if (y->lora[k]) lora_fwd(m, y->lora[k], a->xn, s->qkv, Q, u_of(m, s, k), M);
    rope(m, s->qkv, M, false);
    dp_attention_forward(m->pool, s->att, s->lse, s->qkv, &at, a->nseq, a->row0, a->len, &m->ws);
    dp_mm(m->pool, a->proj, c->C, false, 1.0f, s->att, &y->o, NULL, M, pr, &m->ws.mm);
    if (y->lora[DP_LORA_O]) lora_fwd(m, y->lora[DP_LORA_O], s->att, a->proj, c->C, u_of(m, s, DP_LORA_O), M);
    memcpy(s->x1, s->x0, (size_t)M * c->C * 4);
    rows(m->pool, (struct rowop){.op = RO_ADD, .M = M, .C = c->C, .out = s->x1, .in = a->proj});
    norm(m, a->xn, s->x1, y->ln2, M);
    dp_mm(m->pool, s->gu, 2 * c->F, false, 1.0f, a->xn, &y->gu, NULL, M, pr, &m->ws.mm);
    for (int k = DP_LORA_GATE; k <= DP_LORA_UP; k++)
        if (y->lora[k]) lora_fwd(m, y->lora[k], a->xn, s->gu, 2 * c->F, u_of(m, s, k), M);
    rows(m->pool, (struct rowop){.op = RO_SWIGLU, .M = M, .C = c->F, .out = a->h, .in = s->gu});
    dp_mm(m->pool, a->proj, c->C, false, 1.0f, a->h, &y->down, NULL, M, pr, &m->ws.mm);
    if (y->lora[DP_LORA_DOWN]) lora_fwd(m, y->lora[DP_LORA_DOWN], a->h, a->proj, c->C, u_of(m, s, DP_LORA_DOWN), M);
    memcpy(s->x2, s->x1, (size_t)M * c->C * 4);
    rows(m->pool, (struct rowop){.op = RO_ADD, .M = M, .C = c->C, .out = s->x2, .in = a->proj});
}

/* a->dres: gradient of the layer's output on entry, of its input on return. */
static void layer_backward(struct dp_qt *m, int l, const struct slot *s)
{
    const struct dp_qwen_config *c = &m->cfg;
    struct dp_qt_acts *a = m->acts;
    struct dp_qt_layer *y = &m->layers[l];
    int M = a->M, Q = (c->H + 2 * c->Hkv) * c->D, HD = c->H * c->D, F = c->F;
    enum dp_prec pr = m->o.prec;
    bool acc = !m->fresh;
    struct dp_pool *pool = m->pool;
    struct dp_attn at = {c->H, c->Hkv, c->D, Q, 0, HD, HD + c->Hkv * c->D};
    dp_qt_pack_layer(m, l, true);
    /* MLP: x2 = x1 + down(swiglu(gu(norm2(x1)))) */
    norm(m, a->xn, s->x1, y->ln2, M);
    rows(pool, (struct rowop){.op = RO_SWIGLU, .M = M, .C = F, .out = a->h, .in = s->gu});
    dp_linear_backward(pool, a->dh, false, y->dWdown, acc, NULL, a->dres, c->C, a->h, &y->down_t, M, c->C, F, pr, &m->ws);
    if (y->lora[DP_LORA_DOWN]) lora_bwd(m, y->lora[DP_LORA_DOWN], a->dres, c->C, a->h, a->dh, u_of(m, s, DP_LORA_DOWN), M);
    dp_swiglu_backward(pool, a->dgu, a->dh, s->gu, M, F);
    dp_linear_backward(pool, a->dxn, false, y->dWgu, acc, NULL, a->dgu, 2 * F, a->xn, &y->gu_t, M, 2 * F, c->C, pr, &m->ws);
    for (int k = DP_LORA_GATE; k <= DP_LORA_UP; k++)
        if (y->lora[k]) lora_bwd(m, y->lora[k], a->dgu, 2 * F, a->xn, a->dxn, u_of(m, s, k), M);
    dp_rmsnorm_backward(pool, a->dres, y->dln2, a->dxn, s->x1, y->ln2, c->eps, M, c->C);
    /* attention: x1 = x0 + o(attn(rope(qkv(norm1(x0))))) */
    dp_linear_backward(pool, a->datt, false, y->dWo, acc, NULL, a->dres, c->C, s->att, &y->o_t, M, c->C, HD, pr, &m->ws);
    if (y->lora[DP_LORA_O]) lora_bwd(m, y->lora[DP_LORA_O], a->dres, c->C, s->att, a->datt, u_of(m, s, DP_LORA_O), M);
    dp_attention_backward(pool, a->dqkv, a->datt, s->att, s->lse, s->qkv, &at, a->nseq, a->row0, a->len, &m->ws);
    rope(m, a->dqkv, M, true);
    norm(m, a->xn, s->x0, y->ln1, M);
    dp_linear_backward(pool, a->dxn, false, y->dWqkv, acc, y->dbqkv, a->dqkv, Q, a->xn, &y->qkv_t, M, Q, c->C, pr, &m->ws);
    for (int k = DP_LORA_Q; k <= DP_LORA_V; k++)
        if (y->lora[k]) lora_bwd(m, y->lora[k], a->dqkv, Q, a->xn, a->dxn, u_of(m, s, k), M);
    dp_rmsnorm_backward(pool, a->dres, y->dln1, a->dxn, s->x0, y->ln1, c->eps, M, c->C);
}

/* ================================================================ forward, backward */

static int ensure_rope(struct dp_qt *m, int T)
{
    if (T <= m->tcap) return 0;
    int cap = T < 256 ? 256 : T;
    if (cap > m->cfg.max_pos && m->cfg.max_pos > 0) cap = m->cfg.max_pos;
    size_t n = (size_t)cap * m->cfg.D / 2;
    free(m->cos_t);
    free(m->sin_t);
    m->cos_t = dp_xmalloc(n * 4);
    m->sin_t = dp_xmalloc(n * 4);
    dp_rope_table(m->cos_t, m->sin_t, cap, m->cfg.D, m->cfg.theta);
    m->tcap = cap;
    return 0;
}

static int check_batch(const struct dp_qt *m, const struct dp_qt_batch *b, int *M, int *Mc, int *T,
                       struct dp_error *e)
{
    *M = *Mc = *T = 0;
    if (b->nseq < 1) return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "empty batch");
    for (int s = 0; s < b->nseq; s++) {
        if (b->len[s] < 1) return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "sequence %d is empty", s);
        if (m->cfg.max_pos > 0 && b->len[s] > m->cfg.max_pos)
            return dp_error_set(e, DP_ERANGE, NULL, 0, 0, "sequence %d: %d tokens, more than the model's %d positions",
                                s, b->len[s], m->cfg.max_pos);
        for (int t = 0; t < b->len[s]; t++)
            if (b->ids[s][t] < 0 || b->ids[s][t] >= m->cfg.V)
                return dp_error_set(e, DP_ERANGE, NULL, 0, 0, "sequence %d: token id %d outside the vocabulary (%d)",
                                    s, b->ids[s][t], m->cfg.V);
        int p = b->plen[s] > 1 ? b->plen[s] : 1;
        const uint8_t *mk = b->mask ? b->mask[s] : NULL;
        if (mk)
            for (int t = p; t < b->len[s]; t++) *Mc += mk[t] != 0;
        else
            *Mc += b->len[s] > p ? b->len[s] - p : 0;
        *M += b->len[s];
        *T = b->len[s] > *T ? b->len[s] : *T;
    }
    return 0;
}

int dp_qt_forward(struct dp_qt *m, const struct dp_qt_batch *b, bool train, double *logp, int *ntok,
                  struct dp_error *e)
{
    const struct dp_qwen_config *c = &m->cfg;
    int M, Mc, T;
    int rc = check_batch(m, b, &M, &Mc, &T, e);
    if (rc) return rc;
    if (acts_reserve(m, M, Mc, b->nseq, train && !m->o.recompute ? c->L : 1))
        return dp_error_set(e, DP_ENOMEM, NULL, 0, 0, "cannot allocate activations for %d tokens", M);
    ensure_rope(m, T);
    dp_qt_repack(m);
    struct dp_qt_acts *a = m->acts;
    a->M = M, a->Mc = Mc, a->nseq = b->nseq, a->trained = train;
    int r = 0, k = 0;
    for (int s = 0; s < b->nseq; s++) {
        a->row0[s] = r, a->len[s] = b->len[s];
        int p = b->plen[s] > 1 ? b->plen[s] : 1;
        const uint8_t *mk = b->mask ? b->mask[s] : NULL;
        for (int t = 0; t < b->len[s]; t++, r++) {
            a->ids[r] = b->ids[s][t];
            a->pos[r] = t;
            if (t >= p && (!mk || mk[t])) a->crow[k] = r - 1, a->ctgt[k] = b->ids[s][t], a->cseq[k++] = s;
        }
    }
    for (int i = 0; i < M; i++) {   /* LoRA with a tied head: the packed rows hold the table exactly */
        if (m->embed) memcpy(a->x + (size_t)i * c->C, m->embed + (size_t)a->ids[i] * c->C, (size_t)c->C * 4);
        else dp_wmat_get_row(&m->lm_p, a->ids[i], a->x + (size_t)i * c->C);
    }
    for (int l = 0; l < c->L; l++) {
        struct slot s = slot_of(m, l, train && !m->o.recompute ? l : 0);
        layer_forward(m, l, &s);
    }
    const float *xl = a->x + (size_t)c->L * a->capM * c->C;
    for (int i = 0; i < Mc; i++) memcpy(a->cx + (size_t)i * c->C, xl + (size_t)a->crow[i] * c->C, (size_t)c->C * 4);
    norm(m, a->cxn, a->cx, m->norm, Mc);
    dp_logprob_forward(m->pool, a->clogp, a->clse, a->cxn, a->ctgt, &m->lm_p, Mc, m->o.vchunk, m->o.prec, &m->ws);
    for (int s = 0; s < b->nseq; s++) logp[s] = 0, ntok[s] = 0;
    for (int i = 0; i < Mc; i++) logp[a->cseq[i]] += a->clogp[i], ntok[a->cseq[i]]++;
    return 0;
}

void dp_qt_backward(struct dp_qt *m, const double *g)
{
    const struct dp_qwen_config *c = &m->cfg;
    struct dp_qt_acts *a = m->acts;
    if (!a || !a->trained) return;
    int M = a->M, Mc = a->Mc;
    for (int i = 0; i < Mc; i++) a->cg[i] = (float)g[a->cseq[i]];
    float *dlm = m->lora ? NULL : m->dlm;
    dp_logprob_backward(m->pool, a->cdx, dlm, !m->fresh, a->cg, a->cxn, a->ctgt, a->clse, &m->lm_p, &m->lm_t, Mc,
                        m->o.vchunk, m->o.prec, &m->ws);
    memset(a->cdn, 0, (size_t)Mc * c->C * 4);
    dp_rmsnorm_backward(m->pool, a->cdn, m->lora ? NULL : m->dnorm, a->cdx, a->cx, m->norm, c->eps, Mc, c->C);
    memset(a->dres, 0, (size_t)M * c->C * 4);
    for (int i = 0; i < Mc; i++) {
        float *d = a->dres + (size_t)a->crow[i] * c->C;
        const float *s = a->cdn + (size_t)i * c->C;
        for (int j = 0; j < c->C; j++) d[j] += s[j];
    }
    for (int l = c->L - 1; l >= 0; l--) {
        struct slot s = slot_of(m, l, m->o.recompute ? 0 : l);
        if (m->o.recompute) layer_forward(m, l, &s);
        layer_backward(m, l, &s);
    }
    if (!m->lora) dp_embedding_backward(m->pool, m->dembed, a->dres, a->ids, M, c->C);
    m->fresh = false;
    a->trained = 0;
}
