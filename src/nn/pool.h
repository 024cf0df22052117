/* A small persistent thread pool for the tensor kernels: n threads (the caller is thread 0),
 * one job at a time, workers spin briefly on a generation counter before yielding and sleeping so the
 * hundreds of short parallel regions of a decode step cost microseconds, not syscalls. */
#ifndef DP_NN_POOL_H
#define DP_NN_POOL_H

struct dp_pool;

/* fn(ctx, tid, nthreads) is called once on every thread, tid 0 on the caller. */
typedef void (*dp_pool_fn)(void *ctx, int tid, int nthreads);

/* A pool of nthreads >= 1 threads (nthreads - 1 workers). Owned by the caller: dp_pool_free.
 * Aborts when threads cannot be created (not an input error). */
struct dp_pool *dp_pool_create(int nthreads);
void dp_pool_free(struct dp_pool *p);
int dp_pool_size(const struct dp_pool *p);
/* Runs fn on all threads and waits for them. p may be NULL: fn(ctx, 0, 1) on the caller. */
void dp_pool_run(struct dp_pool *p, dp_pool_fn fn, void *ctx);
/* The share [*lo, *hi) of [0, n) that thread tid of nthreads takes (contiguous, balanced). */
void dp_pool_split(long n, int tid, int nthreads, long *lo, long *hi);
/* Number of online CPUs (at least 1). */
int dp_cpu_count(void);

#endif
