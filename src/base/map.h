/* Hash map from byte-string keys to pointers (open addressing, FNV-1a).
 * Keys are NOT copied: the caller keeps them alive (typically in an arena) for the map's life. */
#ifndef DP_BASE_MAP_H
#define DP_BASE_MAP_H
#include <stddef.h>
#include <stdint.h>

struct dp_map_slot {
    const char *key;   /* NULL: empty slot */
    size_t keylen;
    uint64_t hash;
    void *val;
};

struct dp_map {
    struct dp_map_slot *slots;  /* owned */
    size_t cap;                 /* power of two, or 0 */
    size_t len;
};

uint64_t dp_hash_bytes(const void *p, size_t n);
void dp_map_init(struct dp_map *m);
void dp_map_free(struct dp_map *m);
/* Address of the value stored under key, or NULL when absent. Valid until the next put. */
void **dp_map_get(const struct dp_map *m, const char *key, size_t n);
/* Inserts or replaces; returns 1 when the key is new, 0 when replaced. */
int dp_map_put(struct dp_map *m, const char *key, size_t n, void *val);
/* Iteration: for (size_t i = 0; i < m->cap; i++) if (m->slots[i].key) ... */

#endif
