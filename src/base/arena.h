/* Arena: a bump allocator for short-lived trees (tokens, AST, JSON). Everything allocated
 * from an arena is freed at once by dp_arena_free; nothing is freed one by one. */
#ifndef DP_BASE_ARENA_H
#define DP_BASE_ARENA_H
#include <stddef.h>

struct dp_arena_block;
struct dp_arena {
    struct dp_arena_block *head;  /* newest block first */
    size_t block_size;            /* default size of a new block */
    size_t used;                  /* bytes handed out, for statistics */
    unsigned char *cur, *end;     /* free space of the head block (the inline fast path) */
};

void dp_arena_init(struct dp_arena *a, size_t block_size);
/* n bytes, zeroed, 16-byte aligned; owned by the arena. Aborts on out-of-memory. */
void *dp_arena_alloc(struct dp_arena *a, size_t n);
/* Copy of s[0..n) plus a NUL terminator, owned by the arena. */
char *dp_arena_strndup(struct dp_arena *a, const char *s, size_t n);
/* Like dp_arena_alloc but the memory is not zeroed (for buffers filled right away). */
void *dp_arena_alloc_slow(struct dp_arena *a, size_t n);
static inline void *dp_arena_alloc_raw(struct dp_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if ((size_t)(a->end - a->cur) >= n) {
        void *p = a->cur;
        a->cur += n;
        a->used += n;
        return p;
    }
    return dp_arena_alloc_slow(a, n);
}
/* Frees everything allocated so far but keeps one block for reuse (cheap per-file reuse). */
void dp_arena_reset(struct dp_arena *a);
void dp_arena_free(struct dp_arena *a);

/* Helpers that abort with a message on out-of-memory (OOM is not an input error). */
void *dp_xmalloc(size_t n);
void *dp_xcalloc(size_t n, size_t size);
void *dp_xrealloc(void *p, size_t n);
char *dp_xstrdup(const char *s);

#endif
