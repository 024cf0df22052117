/* Arena allocator and the aborting malloc wrappers. */
#include "base/arena.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dp_arena_block {
    struct dp_arena_block *next;
    size_t cap, len;
    _Alignas(16) unsigned char data[];
};

static void oom(size_t n)
{
    fprintf(stderr, "dpoison: out of memory (%zu bytes)\n", n);
    abort();
}

void *dp_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *dp_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom(n * size);
    return p;
}

void *dp_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *dp_xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = dp_xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

void dp_arena_init(struct dp_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->used = 0;
    a->cur = a->end = NULL;
}

void *dp_arena_alloc(struct dp_arena *a, size_t n)
{
    void *p = dp_arena_alloc_raw(a, n);
    memset(p, 0, n);
    return p;
}

/* The head block's free space is [a->cur, a->end); b->len of the head is only brought up to
 * date here, when a new block is needed. */
void *dp_arena_alloc_slow(struct dp_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct dp_arena_block *b = a->head;
    if (b) b->len = (size_t)(a->cur - b->data);
    if (!b || b->cap - b->len < n) {
        size_t cap = n > a->block_size ? n : a->block_size;
        if (cap > SIZE_MAX - sizeof *b) oom(cap);
        b = malloc(sizeof *b + cap);
        if (!b) oom(cap);
        b->cap = cap;
        b->len = 0;
        /* keep a partly used head in front when the new block is a one-off big one */
        if (a->head && cap == n && a->head->cap - a->head->len > 256) {
            b->next = a->head->next;
            a->head->next = b;
            b->len = n;
            a->used += n;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->len;
    b->len += n;
    a->used += n;
    a->cur = b->data + b->len;
    a->end = b->data + b->cap;
    return p;
}

char *dp_arena_strndup(struct dp_arena *a, const char *s, size_t n)
{
    char *p = dp_arena_alloc_raw(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void dp_arena_reset(struct dp_arena *a)
{
    struct dp_arena_block *keep = NULL, *b = a->head;
    while (b) {
        struct dp_arena_block *n = b->next;
        if (!keep && b->cap == a->block_size) keep = b;
        else free(b);
        b = n;
    }
    if (keep) {
        keep->next = NULL;
        keep->len = 0;
    }
    a->head = keep;
    a->used = 0;
    a->cur = keep ? keep->data : NULL;
    a->end = keep ? keep->data + keep->cap : NULL;
}

void dp_arena_free(struct dp_arena *a)
{
    struct dp_arena_block *b = a->head;
    while (b) {
        struct dp_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->used = 0;
    a->cur = a->end = NULL;
}
