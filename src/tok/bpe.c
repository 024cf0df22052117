/* Byte-level BPE: the GPT-2 byte <-> unicode table, the merge table (pair of ids -> rank and
 * merged id) and the merge loop of HF tokenizers' word.rs (a min-heap on (rank, position),
 * stale entries skipped), with a cache of piece -> ids. Works on raw bytes: tokenizer.json's
 * spellings are translated to bytes once, at load. */
#include "tok/tok_int.h"
#include <stdlib.h>
#include <string.h>

#define CACHE_MAX_PIECE 256      /* longer pieces are rarely seen twice (HF uses the same bound) */
#define CACHE_MAX_ENTRIES 50000  /* or CACHE_MAX_BYTES: then the cache starts over, so */
#define CACHE_MAX_BYTES (32u << 20) /* memory stays bounded in a long-running process */

void tok_byte_tables(uint32_t b2cp[256], int16_t cp2b[TOK_CP_LIMIT])
{
    unsigned extra = 0;
    for (int i = 0; i < TOK_CP_LIMIT; i++) cp2b[i] = -1;
    for (unsigned b = 0; b < 256; b++) {
        bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        b2cp[b] = printable ? b : 256 + extra++;
        cp2b[b2cp[b]] = (int16_t)b;
    }
}

/* ---------------------------------------------------------------- merge table */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

void tok_merges_init(struct dp_tok *t, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 16) cap *= 2;
    t->merges = dp_xmalloc(cap * sizeof *t->merges);
    for (size_t i = 0; i < cap; i++) t->merges[i].key = TOK_NO_KEY;
    t->merges_cap = cap;
}

static size_t merge_slot(const struct dp_tok *t, uint64_t key)
{
    size_t mask = t->merges_cap - 1, i = (size_t)mix64(key) & mask;
    while (t->merges[i].key != TOK_NO_KEY && t->merges[i].key != key) i = (i + 1) & mask;
    return i;
}

void tok_merges_put(struct dp_tok *t, int32_t a, int32_t b, uint32_t rank, int32_t new_id)
{
    uint64_t key = (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
    struct tok_merge *m = &t->merges[merge_slot(t, key)];   /* cap >= 2n: never full */
    m->key = key;
    m->rank = rank;
    m->new_id = new_id;
}

const struct tok_merge *tok_merges_get(const struct dp_tok *t, int32_t a, int32_t b)
{
    uint64_t key = (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
    const struct tok_merge *m = &t->merges[merge_slot(t, key)];
    return m->key == key ? m : NULL;
}

/* ---------------------------------------------------------------- heap on (rank, pos) */

static bool ent_less(const struct tok_heap_ent *x, const struct tok_heap_ent *y)
{
    return x->rank != y->rank ? x->rank < y->rank : x->pos < y->pos;
}

static void heap_push(struct tok_heap_ent *h, size_t *n, struct tok_heap_ent e)
{
    size_t i = (*n)++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!ent_less(&e, &h[p])) break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static struct tok_heap_ent heap_pop(struct tok_heap_ent *h, size_t *n)
{
    struct tok_heap_ent top = h[0], last = h[--*n];
    size_t i = 0, len = *n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= len) break;
        if (c + 1 < len && ent_less(&h[c + 1], &h[c])) c++;
        if (!ent_less(&h[c], &last)) break;
        h[i] = h[c];
        i = c;
    }
    if (len) h[i] = last;
    return top;
}

static void push_pair(const struct dp_tok *t, struct tok_heap_ent *h, size_t *nh,
                      const struct tok_sym *syms, int32_t pos)
{
    const struct tok_merge *m = tok_merges_get(t, syms[pos].id, syms[syms[pos].next].id);
    if (m) heap_push(h, nh, (struct tok_heap_ent){m->rank, (uint32_t)pos, m->new_id});
}

/* ---------------------------------------------------------------- merging one piece */

static void bpe_merge(struct dp_tok *t, const unsigned char *s, size_t n, struct dp_tok_ids *out)
{
    if (n + 1 > t->work_cap) {
        size_t cap = 2 * n + 64;
        free(t->syms);
        free(t->heap);
        t->syms = dp_xmalloc(cap * sizeof *t->syms);
        t->heap = dp_xmalloc(3 * cap * sizeof *t->heap);   /* n initial + at most 2 per merge */
        t->work_cap = cap;
    }
    struct tok_sym *syms = t->syms;
    int32_t len = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t id = t->byte_id[s[i]];
        if (id < 0) continue;   /* HF drops characters with no token when there is no unk */
        syms[len] = (struct tok_sym){id, len - 1, len + 1, false};
        len++;
    }
    if (len == 0) return;
    syms[len - 1].next = -1;
    size_t nh = 0;
    for (int32_t i = 0; i + 1 < len; i++) push_pair(t, t->heap, &nh, syms, i);
    while (nh) {
        struct tok_heap_ent top = heap_pop(t->heap, &nh);
        struct tok_sym *l = &syms[top.pos];
        if (l->dead || l->next < 0) continue;
        const struct tok_merge *m = tok_merges_get(t, l->id, syms[l->next].id);
        if (!m || m->new_id != top.new_id) continue;   /* stale: a neighbour changed */
        struct tok_sym *r = &syms[l->next];
        l->id = top.new_id;
        r->dead = true;
        l->next = r->next;
        if (l->next >= 0) syms[l->next].prev = (int32_t)top.pos;
        if (l->prev >= 0) push_pair(t, t->heap, &nh, syms, l->prev);
        if (l->next >= 0) push_pair(t, t->heap, &nh, syms, (int32_t)top.pos);
    }
    for (int32_t i = 0; i >= 0; i = syms[i].next) dp_tok_ids_push(out, syms[i].id);
}

void tok_cache_clear(struct dp_tok *t)
{
    dp_map_free(&t->cache);
    dp_arena_free(&t->cache_arena);
    dp_map_init(&t->cache);
    dp_arena_init(&t->cache_arena, 1 << 20);
}

void tok_bpe_piece(struct dp_tok *t, const unsigned char *s, size_t n, struct dp_tok_ids *out)
{
    if (n == 0) return;
    if (t->ignore_merges) {
        void **v = dp_map_get(&t->bytes_to_id, (const char *)s, n);
        if (v) { dp_tok_ids_push(out, (int32_t)((intptr_t)*v - 1)); return; }
    }
    if (n == 1) {
        if (t->byte_id[s[0]] >= 0) dp_tok_ids_push(out, t->byte_id[s[0]]);
        return;
    }
    bool cacheable = n < CACHE_MAX_PIECE;
    if (cacheable) {
        void **v = dp_map_get(&t->cache, (const char *)s, n);
        if (v) {
            const struct tok_cached *c = *v;
            for (uint32_t i = 0; i < c->n; i++) dp_tok_ids_push(out, c->ids[i]);
            return;
        }
    }
    size_t start = out->n;
    bpe_merge(t, s, n, out);
    if (!cacheable) return;
    if (t->cache.len >= CACHE_MAX_ENTRIES || t->cache_arena.used >= CACHE_MAX_BYTES)
        tok_cache_clear(t);
    size_t k = out->n - start;
    struct tok_cached *c = dp_arena_alloc(&t->cache_arena, sizeof *c + k * sizeof(int32_t));
    c->n = (uint32_t)k;
    if (k) memcpy(c->ids, out->v + start, k * sizeof(int32_t));
    dp_map_put(&t->cache, dp_arena_strndup(&t->cache_arena, (const char *)s, n), n, c);
}
