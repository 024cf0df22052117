/* Name tables of the TLS analysis: scope bindings, a function's locals and its global/nonlocal
 * declarations. Open addressing with linear probing over arena memory, keyed by a name whose
 * hash is computed once per lookup (struct tls_key) and reused through the whole scope chain;
 * a branch's copy of the bindings is one memcpy. No deletion, and nothing to free: the tables
 * live and die with the analysis's arena. Iteration order carries no meaning. */
#include "scan/tls/tls_int.h"
#include <string.h>

struct tls_key tls_key_of(const char *name)
{
    if (!name) name = "";
    uint32_t h = 2166136261u;
    const unsigned char *p = (const unsigned char *)name;
    for (; *p; p++) h = (h ^ *p) * 16777619u;
    return (struct tls_key){name, (uint32_t)(p - (const unsigned char *)name), h};
}

struct tls_env *tls_env_new(struct tls_state *st)
{
    return dp_arena_alloc(&st->a, sizeof(struct tls_env));
}

struct tls_env *tls_env_copy(struct tls_state *st, const struct tls_env *e)
{
    struct tls_env *c = dp_arena_alloc_raw(&st->a, sizeof *c);
    *c = *e;
    if (e->cap) {
        c->slots = dp_arena_alloc_raw(&st->a, (size_t)e->cap * sizeof *c->slots);
        memcpy(c->slots, e->slots, (size_t)e->cap * sizeof *c->slots);
    }
    return c;
}

/* Slot of k, or the empty slot where it would go. cap > 0. */
static struct tls_env_slot *env_slot(const struct tls_env *e, const struct tls_key *k)
{
    uint32_t mask = e->cap - 1, i = k->hash & mask;
    for (;;) {
        struct tls_env_slot *s = &e->slots[i];
        if (!s->key) return s;
        if (s->hash == k->hash && s->len == k->len && (s->key == k->s || !memcmp(s->key, k->s, k->len)))
            return s;
        i = (i + 1) & mask;
    }
}

const void **tls_env_find(const struct tls_env *e, const struct tls_key *k)
{
    if (!e || !e->len) return NULL;
    struct tls_env_slot *s = env_slot(e, k);
    return s->key ? &s->val : NULL;
}

static void env_grow(struct tls_state *st, struct tls_env *e)
{
    uint32_t cap = e->cap ? e->cap * 2 : 8;
    struct tls_env_slot *old = e->slots;
    uint32_t oldcap = e->cap;
    e->slots = dp_arena_alloc(&st->a, (size_t)cap * sizeof *e->slots);
    e->cap = cap;
    for (uint32_t i = 0; i < oldcap; i++) {
        if (!old[i].key) continue;
        uint32_t j = old[i].hash & (cap - 1);
        while (e->slots[j].key) j = (j + 1) & (cap - 1);
        e->slots[j] = old[i];
    }
}

void tls_env_put(struct tls_state *st, struct tls_env *e, const struct tls_key *k, const void *val)
{
    if ((e->len + 1) * 4 > e->cap * 3) env_grow(st, e);
    struct tls_env_slot *s = env_slot(e, k);
    if (!s->key) {
        s->key = k->s;
        s->len = k->len;
        s->hash = k->hash;
        e->len++;
    }
    s->val = val;
}

void tls_env_join(struct tls_state *st, struct tls_env *a, const struct tls_env *b)
{
    for (uint32_t i = 0; i < b->cap; i++) {
        const struct tls_env_slot *s = &b->slots[i];
        if (!s->key) continue;
        struct tls_key k = {s->key, s->len, s->hash};
        const void **va = tls_env_find(a, &k);
        if (!va) tls_env_put(st, a, &k, s->val);
        else if (*va != s->val) *va = tls_join(st, *va, s->val);
    }
}
