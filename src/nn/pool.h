/* A small persistent thread pool for the tensor kernels: n threads (the caller is thread 0),
 * one job at a time, workers spin briefly on a generation counter before yielding and sleeping so the
 * hundreds of short parallel regions of a decode step cost microseconds, not syscalls. Jobs are
 * either per-thread (dp_pool_run) or ranges shared out with stealing (dp_pool_run_range). */
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
/* fn(ctx, lo, hi, tid) over pieces [lo, hi) of at most grain units that together cover [0, n)
 * (n < 2^24), each piece run once, by thread tid. Each thread starts on its dp_pool_split share,
 * front to back, and when done takes the back half of what another has left; the caller returns
 * when every unit is done. On an idle machine that is the static split (one sequential stream per
 * thread); a thread that is not running (a busy machine) leaves its share to the others instead
 * of holding the call up. p may be NULL: all on the caller. */
typedef void (*dp_pool_range_fn)(void *ctx, long lo, long hi, int tid);
void dp_pool_run_range(struct dp_pool *p, long n, long grain, dp_pool_range_fn fn, void *ctx);
/* The share [*lo, *hi) of [0, n) that thread tid of nthreads takes (contiguous, balanced). */
void dp_pool_split(long n, int tid, int nthreads, long *lo, long *hi);
/* Number of online CPUs (at least 1). */
int dp_cpu_count(void);

#endif
