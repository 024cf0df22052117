/* The merge loop of Hugging Face tokenizers' BpeTrainer (models/bpe/trainer.rs), step for step:
 * pair counts over the counted words, a max-heap of (count, pair, word positions) whose stale
 * entries are re-pushed with their fresh count when popped, ties to the smallest (left id,
 * right id), merges applied left to right without overlap in the words the entry lists, and
 * the merge list saved with a repeated pair kept at its last rank only (HF's HashMap does the
 * same). Byte tokens come first, ordered by their byte-level code point (GPT-2's byte order). */
#include "tok/tok_int.h"
#include "tok/train_int.h"
#include <stdlib.h>
#include <string.h>

#define NO_PAIR UINT64_MAX

static uint64_t pair_key(int32_t a, int32_t b) { return (uint64_t)(uint32_t)a << 32 | (uint32_t)b; }

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

struct u32vec {
    uint32_t *v;
    uint32_t n, cap;
};

/* A pair's running count; round/wtu: its entry in this round's where-to-update list. */
struct pair_rec {
    uint64_t key;
    int64_t count;
    uint32_t round, wtu;
};

struct wtu_ent {
    uint64_t pair;
    struct u32vec pos;   /* word indexes, ascending, no repeats */
};

struct heap_ent {
    uint64_t count, pair;
    uint32_t *pos;       /* owned */
    uint32_t npos;
};

struct bpe {
    struct dp_tok_trainer *tr;
    int32_t *syms;       /* every word's symbols, word w at syms[off[w] .. off[w] + len[w]) */
    size_t *off;
    uint32_t *len;
    struct pair_rec *pairs;      /* open addressing, cap a power of two, at most half full */
    size_t pcap, plen;
    struct wtu_ent *wtu;
    size_t nwtu, wtu_cap;
    uint32_t round;
    struct heap_ent *heap;
    size_t nheap, heap_cap;
    struct dp_map tok_ix;        /* token bytes -> (void *)(id + 1) */
    struct train_merge *raw;     /* every merge made, repeats included */
    size_t nraw, raw_cap;
};

/* ---------------------------------------------------------------- pair counts */

static struct pair_rec *pair_slot(struct pair_rec *p, size_t cap, uint64_t key)
{
    size_t mask = cap - 1, i = (size_t)mix64(key) & mask;
    while (p[i].key != NO_PAIR && p[i].key != key) i = (i + 1) & mask;
    return &p[i];
}

static void pairs_grow(struct bpe *B)
{
    size_t ncap = B->pcap ? B->pcap * 2 : 1 << 16;
    struct pair_rec *np = dp_xmalloc(ncap * sizeof *np);
    for (size_t i = 0; i < ncap; i++) np[i].key = NO_PAIR;
    for (size_t i = 0; i < B->pcap; i++)
        if (B->pairs[i].key != NO_PAIR) *pair_slot(np, ncap, B->pairs[i].key) = B->pairs[i];
    free(B->pairs);
    B->pairs = np;
    B->pcap = ncap;
}

/* The record of key, created with count 0 when absent. Valid until the next call. */
static struct pair_rec *pair_get(struct bpe *B, uint64_t key)
{
    if (2 * (B->plen + 1) > B->pcap) pairs_grow(B);
    struct pair_rec *r = pair_slot(B->pairs, B->pcap, key);
    if (r->key == NO_PAIR) {
        *r = (struct pair_rec){.key = key, .round = UINT32_MAX};
        B->plen++;
    }
    return r;
}

static void vec_push(struct u32vec *v, uint32_t x)
{
    if (v->n && v->v[v->n - 1] == x) return;   /* words are visited in order: repeats are adjacent */
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 4;
        v->v = dp_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = x;
}

/* HF's (pair, change) for word w: count += change * the word's count; a pair that gains an
 * occurrence is queued with w among its positions. */
static void change(struct bpe *B, int32_t a, int32_t b, int delta, uint32_t w)
{
    struct pair_rec *r = pair_get(B, pair_key(a, b));
    r->count += delta * (int64_t)B->tr->words[w].count;
    if (delta <= 0) return;
    if (r->round != B->round) {
        if (B->nwtu == B->wtu_cap) {
            B->wtu_cap = B->wtu_cap ? B->wtu_cap * 2 : 1024;
            B->wtu = dp_xrealloc(B->wtu, B->wtu_cap * sizeof *B->wtu);
        }
        r->round = B->round;
        r->wtu = (uint32_t)B->nwtu;
        B->wtu[B->nwtu++] = (struct wtu_ent){.pair = r->key};
    }
    vec_push(&B->wtu[r->wtu].pos, w);
}

/* ---------------------------------------------------------------- the queue */

static bool before(const struct heap_ent *x, const struct heap_ent *y)
{
    return x->count != y->count ? x->count > y->count : x->pair < y->pair;
}

static void heap_push(struct bpe *B, struct heap_ent h)
{
    if (B->nheap == B->heap_cap) {
        B->heap_cap = B->heap_cap ? B->heap_cap * 2 : 1024;
        B->heap = dp_xrealloc(B->heap, B->heap_cap * sizeof *B->heap);
    }
    size_t i = B->nheap++;
    while (i > 0 && before(&h, &B->heap[(i - 1) / 2])) {
        B->heap[i] = B->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    B->heap[i] = h;
}

static struct heap_ent heap_pop(struct bpe *B)
{
    struct heap_ent top = B->heap[0], last = B->heap[--B->nheap];
    size_t i = 0, n = B->nheap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && before(&B->heap[c + 1], &B->heap[c])) c++;
        if (!before(&B->heap[c], &last)) break;
        B->heap[i] = B->heap[c];
        i = c;
    }
    if (n) B->heap[i] = last;
    return top;
}

/* This round's where-to-update list into the queue (pairs still counted), in first-seen order. */
static void flush_wtu(struct bpe *B)
{
    for (size_t i = 0; i < B->nwtu; i++) {
        struct wtu_ent *w = &B->wtu[i];
        int64_t c = pair_slot(B->pairs, B->pcap, w->pair)->count;
        if (c > 0) heap_push(B, (struct heap_ent){(uint64_t)c, w->pair, w->pos.v, w->pos.n});
        else free(w->pos.v);
    }
    B->nwtu = 0;
}

/* ---------------------------------------------------------------- vocabulary */

static int32_t add_token(struct bpe *B, const char *s, size_t n)
{
    struct dp_tok_trainer *tr = B->tr;
    void **v = dp_map_get(&B->tok_ix, s, n);
    if (v) return (int32_t)((uintptr_t)*v - 1);
    if (tr->ntoks == tr->toks_cap) {
        tr->toks_cap = tr->toks_cap ? tr->toks_cap * 2 : 1024;
        tr->toks = dp_xrealloc(tr->toks, tr->toks_cap * sizeof *tr->toks);
    }
    char *k = dp_arena_strndup(&tr->arena, s, n);
    tr->toks[tr->ntoks] = (struct train_tok){k, (uint32_t)n};
    dp_map_put(&B->tok_ix, k, n, (void *)(uintptr_t)(tr->ntoks + 1));
    return (int32_t)tr->ntoks++;
}

/* HF's compute_alphabet: the byte tokens (all 256, or those seen), sorted by code point. */
static void add_alphabet(struct bpe *B, int32_t byte_id[256])
{
    struct dp_tok_trainer *tr = B->tr;
    bool seen[256] = {0};
    for (size_t w = 0; w < tr->nwords; w++)
        for (uint32_t i = 0; i < tr->words[w].len; i++) seen[(unsigned char)tr->words[w].bytes[i]] = true;
    uint32_t b2cp[256];
    int16_t cp2b[TOK_CP_LIMIT];
    tok_byte_tables(b2cp, cp2b);
    for (int cp = 0; cp < TOK_CP_LIMIT; cp++) {
        int b = cp2b[cp];
        if (b < 0 || (tr->o.seen_alphabet && !seen[b])) continue;
        char c = (char)b;
        byte_id[b] = add_token(B, &c, 1);
    }
}

/* ---------------------------------------------------------------- merging */

/* HF's Word::merge: every (a, b) left to right, no overlaps, with the pair changes around it. */
static void merge_word(struct bpe *B, uint32_t w, int32_t a, int32_t b, int32_t id)
{
    int32_t *s = B->syms + B->off[w];
    uint32_t n = B->len[w], out = 0, i = 0;
    while (i < n) {
        if (i + 1 < n && s[i] == a && s[i + 1] == b) {
            if (out > 0) {
                change(B, s[out - 1], a, -1, w);
                change(B, s[out - 1], id, 1, w);
            }
            if (i + 2 < n) {
                change(B, b, s[i + 2], -1, w);
                change(B, id, s[i + 2], 1, w);
            }
            s[out++] = id;
            i += 2;
        } else {
            s[out++] = s[i++];
        }
    }
    B->len[w] = out;
}

static void setup_words(struct bpe *B, const int32_t byte_id[256])
{
    struct dp_tok_trainer *tr = B->tr;
    size_t total = 0;
    B->off = dp_xmalloc((tr->nwords + 1) * sizeof *B->off);
    B->len = dp_xmalloc((tr->nwords + 1) * sizeof *B->len);
    for (size_t w = 0; w < tr->nwords; w++) {
        B->off[w] = total;
        total += tr->words[w].len;
    }
    B->syms = dp_xmalloc((total + 1) * sizeof *B->syms);
    B->round = 0;
    for (size_t w = 0; w < tr->nwords; w++) {
        int32_t *s = B->syms + B->off[w];
        uint32_t n = 0;
        for (uint32_t i = 0; i < tr->words[w].len; i++) {
            int32_t id = byte_id[(unsigned char)tr->words[w].bytes[i]];
            if (id >= 0) s[n++] = id;   /* HF drops characters outside the alphabet */
        }
        B->len[w] = n;
        for (uint32_t i = 0; i + 1 < n; i++) change(B, s[i], s[i + 1], 1, (uint32_t)w);
    }
    flush_wtu(B);
}

/* One step of HF's loop: 1 merged, 0 stale entry re-queued, -1 done. */
static int step(struct bpe *B)
{
    struct dp_tok_trainer *tr = B->tr;
    if (B->nheap == 0) return -1;
    struct heap_ent top = heap_pop(B);
    int64_t cur = pair_slot(B->pairs, B->pcap, top.pair)->count;
    if (cur < 0) cur = 0;
    if (top.count != (uint64_t)cur) {
        top.count = (uint64_t)cur;
        heap_push(B, top);
        return 0;
    }
    if (top.count < 1 || tr->o.min_frequency > top.count) {
        free(top.pos);
        return -1;
    }
    int32_t a = (int32_t)(top.pair >> 32), b = (int32_t)(uint32_t)top.pair;
    size_t na = tr->toks[a].len, nb = tr->toks[b].len;
    char *cat = dp_xmalloc(na + nb);
    memcpy(cat, tr->toks[a].bytes, na);
    memcpy(cat + na, tr->toks[b].bytes, nb);
    int32_t id = add_token(B, cat, na + nb);
    free(cat);
    if (B->nraw == B->raw_cap) {
        B->raw_cap = B->raw_cap ? B->raw_cap * 2 : 1024;
        B->raw = dp_xrealloc(B->raw, B->raw_cap * sizeof *B->raw);
    }
    B->raw[B->nraw++] = (struct train_merge){a, b, id};
    B->round++;
    for (uint32_t i = 0; i < top.npos; i++) merge_word(B, top.pos[i], a, b, id);
    free(top.pos);
    flush_wtu(B);
    return 1;
}

/* Keeps each pair's last merge only, as HF's merges HashMap keeps the last rank it was given. */
static void final_merges(struct bpe *B)
{
    struct dp_tok_trainer *tr = B->tr;
    struct pair_rec *last = NULL;
    size_t cap = 16;
    while (cap < 2 * B->nraw + 16) cap *= 2;
    last = dp_xmalloc(cap * sizeof *last);
    for (size_t i = 0; i < cap; i++) last[i].key = NO_PAIR;
    for (size_t i = 0; i < B->nraw; i++) {
        struct pair_rec *r = pair_slot(last, cap, pair_key(B->raw[i].a, B->raw[i].b));
        r->key = pair_key(B->raw[i].a, B->raw[i].b);
        r->wtu = (uint32_t)i;
    }
    tr->merges = dp_xmalloc((B->nraw + 1) * sizeof *tr->merges);
    tr->nmerges = 0;
    for (size_t i = 0; i < B->nraw; i++)
        if (pair_slot(last, cap, pair_key(B->raw[i].a, B->raw[i].b))->wtu == i)
            tr->merges[tr->nmerges++] = B->raw[i];
    free(last);
}

int tok_train_bpe(struct dp_tok_trainer *tr, struct dp_error *e)
{
    (void)e;
    struct bpe B = {.tr = tr};
    dp_map_init(&B.tok_ix);
    int32_t byte_id[256];
    for (int i = 0; i < 256; i++) byte_id[i] = -1;
    add_alphabet(&B, byte_id);
    setup_words(&B, byte_id);
    size_t target = tr->o.vocab_size - TRAIN_NSPECIAL;
    while (tr->ntoks < target && step(&B) >= 0) {}
    final_merges(&B);
    for (size_t i = 0; i < B.nheap; i++) free(B.heap[i].pos);
    for (size_t i = 0; i < B.nwtu; i++) free(B.wtu[i].pos.v);
    free(B.heap);
    free(B.wtu);
    free(B.pairs);
    free(B.syms);
    free(B.off);
    free(B.len);
    free(B.raw);
    dp_map_free(&B.tok_ix);
    return 0;
}
