/* Cross-entropy training data (see lm.h): pretraining blocks and SFT conversations. */
#include "train/lm.h"
#include "base/file.h"
#include "base/json.h"
#include "train/checkpoint.h"
#include "tok/chat.h"
#include "train/data.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IM_END "<|im_end|>"

void dp_lm_data_free(struct dp_lm_data *d)
{
    free(d->v);
    free(d->ids);
    free(d->mask);
    memset(d, 0, sizeof *d);
}

uint64_t dp_lm_data_fingerprint(const struct dp_lm_data *d, uint64_t h)
{
    for (int i = 0; i < d->n; i++) {
        const struct dp_lm_seq *s = &d->v[i];
        int hdr[2] = {s->len, s->plen};
        h = dp_fnv(h, hdr, sizeof hdr);
        h = dp_fnv(h, s->ids, sizeof *s->ids * (size_t)s->len);
        if (s->mask) h = dp_fnv(h, s->mask, (size_t)s->len);
    }
    return h;
}

/* ---------------------------------------------------------------- pretraining */

int dp_lm_pretrain_load(const char *const *paths, int npaths, struct dp_tok *tok, int block, long max_tokens,
                        struct dp_lm_data *out, struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    if (block < 2) return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "block size must be at least 2 tokens");
    if (npaths < 1) return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "no input files");
    struct dp_tok_ids all = {0};
    int rc = 0;
    for (int i = 0; !rc && i < npaths && (max_tokens <= 0 || (long)all.n < max_tokens); i++) {
        char *text;
        size_t n;
        if ((rc = dp_file_read(paths[i], &text, &n, e))) break;
        rc = dp_tok_encode(tok, text, n, true, &all, e);
        if (rc && e && !e->path[0]) snprintf(e->path, sizeof e->path, "%s", paths[i]);
        free(text);
    }
    if (!rc && max_tokens > 0 && (long)all.n > max_tokens) all.n = (size_t)max_tokens;
    long nb = rc ? 0 : (long)(all.n / (size_t)block);
    if (!rc && nb < 1)
        rc = dp_error_set(e, DP_EFORMAT, paths[0], 0, 0, "%zu tokens: not one block of %d", all.n, block);
    if (!rc && nb > 0x7fffffff) rc = dp_error_set(e, DP_ERANGE, paths[0], 0, 0, "too many blocks");
    if (rc) {
        dp_tok_ids_free(&all);
        return rc;
    }
    out->ids = all.v;
    out->n = (int)nb;
    out->v = dp_xmalloc(sizeof *out->v * (size_t)nb);
    for (int b = 0; b < out->n; b++)
        out->v[b] = (struct dp_lm_seq){all.v + (size_t)b * (size_t)block, NULL, block, 0, b + 1};
    out->tokens = nb * block;
    out->labels = nb * (block - 1);
    out->leftover = (long)all.n - out->tokens;
    return 0;
}

/* ---------------------------------------------------------------- SFT records */

void dp_sft_opts_default(struct dp_sft_opts *o)
{
    o->max_length = 1024;
    o->system = DP_CHAT_QWEN_SYSTEM;
}

struct segs {
    struct dp_sft_seg *v;
    int n, cap;
};

static void seg(struct dp_arena *a, struct segs *s, const char *p, size_t n, bool loss)
{
    if (n == 0) return;
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 8;
        struct dp_sft_seg *v = dp_arena_alloc(a, sizeof *v * (size_t)cap);
        if (s->n) memcpy(v, s->v, sizeof *v * (size_t)s->n);
        s->v = v, s->cap = cap;
    }
    s->v[s->n++] = (struct dp_sft_seg){dp_arena_strndup(a, p, n), loss};
}

/* The conversation rendered with the template; each assistant turn's content and <|im_end|>
 * carry the loss, everything else (system, user turns, role headers, newlines) does not. */
static int conversation(struct dp_arena *a, const struct dp_chat_msg *m, size_t n, const struct dp_sft_opts *o,
                        const char *path, int lineno, struct segs *s, struct dp_error *e)
{
    struct dp_sbuf full = {0}, pre = {0};
    dp_chat_render(&full, m, n, o->system, false);
    size_t at = 0;
    int rc = 0, turns = 0;
    for (size_t k = 0; !rc && k < n; k++) {
        if (strcmp(m[k].role, "assistant") != 0) continue;
        if (k == 0) {
            rc = dp_error_set(e, DP_EFORMAT, path, lineno, 1, "the conversation starts with an assistant turn");
            break;
        }
        pre.n = 0;
        dp_chat_render(&pre, m, k, o->system, true);
        size_t lc = strlen(m[k].content), le = strlen(IM_END);
        if (pre.n < at || pre.n + lc + le > full.n || memcmp(full.p, pre.p, pre.n) != 0 ||
            memcmp(full.p + pre.n, m[k].content, lc) != 0 || memcmp(full.p + pre.n + lc, IM_END, le) != 0) {
            rc = dp_error_set(e, DP_EFORMAT, path, lineno, 1, "assistant turn %zu does not render as ChatML", k);
            break;
        }
        seg(a, s, full.p + at, pre.n - at, false);
        seg(a, s, full.p + pre.n, lc + le, true);
        at = pre.n + lc + le;
        turns++;
    }
    if (!rc && turns == 0) rc = dp_error_set(e, DP_EFORMAT, path, lineno, 1, "no assistant turn to learn from");
    if (!rc) seg(a, s, full.p + at, full.n - at, false);
    dp_sbuf_free(&full);
    dp_sbuf_free(&pre);
    return rc;
}

static int as_msgs(struct dp_arena *a, const struct dp_json *v, const char *role, const char *path, const char *key,
                   struct dp_chat_msg **m, size_t *n, struct dp_error *e)
{
    if (v->type == DP_JSON_ARR) return dp_train_msgs(a, v, path, key, m, n, e);
    *m = dp_arena_alloc(a, sizeof **m);
    **m = (struct dp_chat_msg){role, v->str};
    *n = 1;
    return 0;
}

static int parse_sft(struct dp_arena *a, const char *line, size_t n, const char *path, const struct dp_sft_opts *o,
                     struct segs *s, struct dp_error *e)
{
    struct dp_json *j;
    int rc = dp_json_parse(a, line, n, path, &j, e);
    if (rc) return rc;
    if (j->type != DP_JSON_OBJ) return dp_error_set(e, DP_EFORMAT, path, 1, j->col, "a record must be a JSON object");
    const struct dp_json *mj = dp_json_get(j, "messages"), *pj = dp_json_get(j, "prompt"),
                         *cj = dp_json_get(j, "completion"), *tj = dp_json_get(j, "text");
    if (mj && mj->type == DP_JSON_ARR) {
        struct dp_chat_msg *m;
        size_t k;
        if ((rc = dp_train_msgs(a, mj, path, "messages", &m, &k, e))) return rc;
        return conversation(a, m, k, o, path, 1, s, e);
    }
    bool str = pj && cj && pj->type == DP_JSON_STR && cj->type == DP_JSON_STR;
    bool conv = pj && cj && pj->type == DP_JSON_ARR && cj->type == DP_JSON_ARR;
    if (str || conv) {
        struct dp_chat_msg *pm, *cm;
        size_t np, nc;
        if ((rc = as_msgs(a, pj, "user", path, "prompt", &pm, &np, e)) ||
            (rc = as_msgs(a, cj, "assistant", path, "completion", &cm, &nc, e)))
            return rc;
        struct dp_chat_msg *m = dp_arena_alloc(a, sizeof *m * (np + nc));
        memcpy(m, pm, sizeof *m * np);
        memcpy(m + np, cm, sizeof *m * nc);
        return conversation(a, m, np + nc, o, path, 1, s, e);
    }
    if (tj && tj->type == DP_JSON_STR) {
        seg(a, s, tj->str, strlen(tj->str), true);
        return 0;
    }
    return dp_error_set(e, DP_EFORMAT, path, 1, 1,
                        "a record needs \"messages\" (a list), \"prompt\" and \"completion\" (both strings or "
                        "both lists), or \"text\"");
}

int dp_sft_parse(struct dp_arena *a, const char *line, size_t n, const char *path, int lineno,
                 const struct dp_sft_opts *o, struct dp_sft_seg **segs, int *nsegs, struct dp_error *e)
{
    struct segs s = {0};
    int rc = parse_sft(a, line, n, path, o, &s, e);
    if (rc && e) e->line = e->line > 0 ? e->line + lineno - 1 : lineno;   /* positions within the line */
    *segs = s.v, *nsegs = s.n;
    return rc;
}

/* ---------------------------------------------------------------- SFT tokenizing */

struct grow {
    struct dp_tok_ids ids;
    uint8_t *mask;
    size_t mcap;
};

static int add_conv(struct dp_tok *tok, const struct dp_sft_seg *sg, int ns, const struct dp_sft_opts *o,
                    int lineno, struct grow *g, struct dp_lm_data *out, int *cap, struct dp_error *e)
{
    size_t start = g->ids.n;
    int rc = 0;
    for (int i = 0; !rc && i < ns; i++) {
        size_t before = g->ids.n;
        rc = dp_tok_encode(tok, sg[i].text, strlen(sg[i].text), true, &g->ids, e);
        if (g->mcap < g->ids.n) {
            g->mcap = g->ids.n * 2 + 1024;
            g->mask = dp_xrealloc(g->mask, g->mcap);
        }
        memset(g->mask + before, sg[i].loss, g->ids.n - before);
    }
    if (rc) {
        if (e) e->line = lineno;
        return rc;
    }
    size_t len = g->ids.n - start;
    if (o->max_length > 0 && len > (size_t)o->max_length) {
        len = (size_t)o->max_length;
        g->ids.n = start + len;
        out->truncated++;
    }
    long labels = 0;
    for (size_t t = 1; t < len; t++) labels += g->mask[start + t] != 0;
    if (labels == 0 || len > 0x7fffffff) {
        g->ids.n = start;
        out->dropped++;
        return 0;
    }
    if (out->n == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        out->v = dp_xrealloc(out->v, sizeof *out->v * (size_t)*cap);
    }
    /* offsets for now: the buffers may still move */
    out->v[out->n++] = (struct dp_lm_seq){(const int32_t *)(uintptr_t)start, NULL, (int)len, 0, lineno};
    out->tokens += (long)len;
    out->labels += labels;
    return 0;
}

int dp_lm_sft_load(const char *path, struct dp_tok *tok, const struct dp_sft_opts *o, struct dp_lm_data *out,
                   struct dp_error *e)
{
    memset(out, 0, sizeof *out);
    char *text;
    size_t n;
    int rc = dp_file_read(path, &text, &n, e);
    if (rc) return rc;
    struct dp_arena a;
    dp_arena_init(&a, 1 << 16);
    struct grow g = {0};
    int cap = 0;
    struct dp_lines it;
    struct dp_line ln;
    dp_lines_init(&it, text, n);
    while (!rc && dp_lines_next(&it, &ln)) {
        struct dp_sft_seg *sg;
        int ns;
        rc = dp_sft_parse(&a, ln.s, ln.len, path, ln.lineno, o, &sg, &ns, e);
        if (!rc) rc = add_conv(tok, sg, ns, o, ln.lineno, &g, out, &cap, e);
        dp_arena_reset(&a);
    }
    dp_arena_free(&a);
    free(text);
    if (!rc && out->n == 0)
        rc = dp_error_set(e, DP_EFORMAT, path, 0, 0, "no usable conversations (%d without an assistant token)",
                          out->dropped);
    out->ids = g.ids.v, out->mask = g.mask;
    if (rc) {
        dp_lm_data_free(out);
        return rc;
    }
    for (int k = 0; k < out->n; k++) {
        size_t off = (size_t)(uintptr_t)out->v[k].ids;
        out->v[k].ids = out->ids + off, out->v[k].mask = out->mask + off;
    }
    return 0;
}

/* ---------------------------------------------------------------- micro-batches */

static void layout(const struct dp_lm_seq *const *seqs, int k, const int32_t **ids, const uint8_t **mask, int *len,
                   int *plen)
{
    for (int i = 0; i < k; i++)
        ids[i] = seqs[i]->ids, mask[i] = seqs[i]->mask, len[i] = seqs[i]->len, plen[i] = seqs[i]->plen;
}

int dp_lm_micro(struct dp_qt *m, const struct dp_lm_seq *const *seqs, int k, double scale, double *loss,
                long *labels, struct dp_error *e)
{
    const int32_t **ids = dp_xmalloc(sizeof *ids * (size_t)k);
    const uint8_t **mask = dp_xmalloc(sizeof *mask * (size_t)k);
    int *len = dp_xmalloc(sizeof *len * 3 * (size_t)k), *plen = len + k, *nt = plen + k;
    double *lp = dp_xmalloc(sizeof *lp * 2 * (size_t)k), *g = lp + k;
    layout(seqs, k, ids, mask, len, plen);
    struct dp_qt_batch b = {k, ids, len, plen, mask};
    int rc = dp_qt_forward(m, &b, true, lp, nt, e);
    long nl = 0;
    double sum = 0;
    for (int i = 0; !rc && i < k; i++) nl += nt[i], sum += lp[i];
    if (loss) *loss = nl ? -sum / (double)nl : 0;
    if (labels) *labels = nl;
    if (!rc && nl) {
        for (int i = 0; i < k; i++) g[i] = -scale / (double)nl;
        dp_qt_backward(m, g);
    }
    free(ids), free(mask), free(len), free(lp);
    return rc;
}

int dp_lm_eval(struct dp_qt *m, const struct dp_lm_seq *seqs, int n, int B, double *loss, struct dp_error *e)
{
    const int32_t **ids = dp_xmalloc(sizeof *ids * (size_t)B);
    const uint8_t **mask = dp_xmalloc(sizeof *mask * (size_t)B);
    const struct dp_lm_seq **pp = dp_xmalloc(sizeof *pp * (size_t)B);
    int *len = dp_xmalloc(sizeof *len * 3 * (size_t)B), *plen = len + B, *nt = plen + B;
    double *lp = dp_xmalloc(sizeof *lp * (size_t)B), sum = 0;
    long nl = 0;
    int rc = 0;
    for (int i0 = 0; !rc && i0 < n; i0 += B) {
        int k = n - i0 < B ? n - i0 : B;
        for (int i = 0; i < k; i++) pp[i] = &seqs[i0 + i];
        layout(pp, k, ids, mask, len, plen);
        struct dp_qt_batch b = {k, ids, len, plen, mask};
        rc = dp_qt_forward(m, &b, false, lp, nt, e);
        for (int i = 0; !rc && i < k; i++) nl += nt[i], sum += lp[i];
    }
    *loss = nl ? -sum / (double)nl : 0;
    free(ids), free(mask), free(pp), free(len), free(lp);
    return rc;
}
