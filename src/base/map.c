/* Hash map from borrowed byte-string keys to pointers: open addressing with linear probing,
 * FNV-1a 64 hashes, doubling at 70% load. There is no deletion, so no tombstones. */
#include "base/map.h"
#include "base/arena.h"
#include <stdlib.h>
#include <string.h>

uint64_t dp_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void dp_map_init(struct dp_map *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->len = 0;
}

void dp_map_free(struct dp_map *m)
{
    free(m->slots);
    dp_map_init(m);
}

/* Index of the slot holding key, or of the empty slot where it would go. cap > 0. */
static size_t map_find(const struct dp_map *m, const char *key, size_t n, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    for (;;) {
        const struct dp_map_slot *s = &m->slots[i];
        if (!s->key) return i;
        if (s->hash == h && s->keylen == n && (n == 0 || memcmp(s->key, key, n) == 0)) return i;
        i = (i + 1) & mask;
    }
}

static void map_grow(struct dp_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    struct dp_map_slot *old = m->slots;
    size_t oldcap = m->cap;
    m->slots = dp_xcalloc(cap, sizeof *m->slots);
    m->cap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key) continue;
        size_t j = (size_t)old[i].hash & (cap - 1);
        while (m->slots[j].key) j = (j + 1) & (cap - 1);
        m->slots[j] = old[i];
    }
    free(old);
}

void **dp_map_get(const struct dp_map *m, const char *key, size_t n)
{
    if (!m->cap) return NULL;
    if (!key) key = "";
    size_t i = map_find(m, key, n, dp_hash_bytes(key, n));
    return m->slots[i].key ? &m->slots[i].val : NULL;
}

int dp_map_put(struct dp_map *m, const char *key, size_t n, void *val)
{
    if (!key) key = "";   /* a NULL key pointer would read as an empty slot */
    /* grow before the insert that would pass 70% load */
    if ((m->len + 1) * 10 > m->cap * 7) map_grow(m);
    uint64_t h = dp_hash_bytes(key, n);
    size_t i = map_find(m, key, n, h);
    struct dp_map_slot *s = &m->slots[i];
    if (s->key) {
        s->val = val;
        return 0;
    }
    s->key = key;
    s->keylen = n;
    s->hash = h;
    s->val = val;
    m->len++;
    return 1;
}
