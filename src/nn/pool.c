/* Thread pool. A job is published by bumping an atomic generation; workers spin on it for a
 * while (a decode step runs ~100 parallel regions, each tens of microseconds) and then sleep on
 * a condition variable. Two kinds of job:
 *   - per-thread (dp_pool_run): fn runs once on every thread; the caller spins on an atomic
 *     countdown until every worker has run it;
 *   - range (dp_pool_run_range): each thread takes its share of [0, n) piece by piece and then
 *     steals from the others' shares; the caller waits for the units, not for the workers, so a
 *     worker that is descheduled (a busy machine) leaves its share to the threads that run.
 * Both sides fall back to sched_yield after a short spin, so that more threads than free CPUs
 * costs time slices rather than whole scheduler ticks. */
#include "nn/pool.h"
#include "base/arena.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SPIN_ITERS 2000       /* pause loops before yielding the CPU */
#define YIELD_ITERS 20000     /* sched_yield loops before sleeping */

/* A range job's per-thread word: job number (bits 48-63), first unclaimed unit (24-47), end of
 * the range (0-23). The owner claims pieces from the front, thieves take the back half; both by
 * compare-and-swap, so a thread that read the word of a job that has since ended cannot claim in
 * a later one, and whoever claims a piece has the job still current (it is not done without it). */
#define RW(job, lo, hi) (((uint64_t)(job) << 48) | ((uint64_t)(lo) << 24) | (uint64_t)(hi))
#define RW_JOB(c) ((unsigned)((c) >> 48))
#define RW_LO(c) ((long)(((c) >> 24) & 0xffffffu))
#define RW_HI(c) ((long)((c) & 0xffffffu))
#define RW_MAXN 0xffffffL

struct rslot {                 /* one cache line per thread */
    _Alignas(64) _Atomic uint64_t range;
    atomic_long done;          /* units this thread has finished in the current job */
};

struct dp_pool {
    int n;
    pthread_t *th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_uint gen;         /* bumped by 2 per job; low bit set: a per-thread job */
    atomic_int pending;      /* workers still running the current per-thread job */
    atomic_int sleepers;
    atomic_int stop;
    dp_pool_fn fn;           /* per-thread job */
    void *ctx;
    /* range job: its description, then one slot per thread */
    _Atomic(dp_pool_range_fn) rfn;
    _Atomic(void *) rctx;
    atomic_long grain;
    unsigned jobno;
    struct rslot *slots;
};

struct worker_arg { struct dp_pool *p; int tid; };

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Runs pieces of the current range job until none is left: from the front of the thread's own
 * range, then from the back half of the others'. */
static void run_range(struct dp_pool *p, int tid)
{
    struct rslot *me = &p->slots[tid];
    for (;;) {
        uint64_t c = atomic_load_explicit(&me->range, memory_order_acquire);
        while (RW_LO(c) < RW_HI(c)) {
            long g = atomic_load_explicit(&p->grain, memory_order_relaxed), lo = RW_LO(c);
            long k = RW_HI(c) - lo < g ? RW_HI(c) - lo : g;
            if (!atomic_compare_exchange_weak_explicit(&me->range, &c, c + ((uint64_t)k << 24),
                                                       memory_order_acq_rel, memory_order_acquire))
                continue;
            /* the job cannot end before this piece is done: its description is current */
            dp_pool_range_fn fn = atomic_load_explicit(&p->rfn, memory_order_relaxed);
            fn(atomic_load_explicit(&p->rctx, memory_order_relaxed), lo, lo + k, tid);
            atomic_store_explicit(&me->done, atomic_load_explicit(&me->done, memory_order_relaxed) + k,
                                  memory_order_release);
            c = atomic_load_explicit(&me->range, memory_order_acquire);
        }
        /* steal: the back half of the largest range left (all of it when small) */
        int best = -1;
        long left = 0;
        uint64_t bc = 0;
        for (int v = 0; v < p->n; v++) {
            uint64_t vc = atomic_load_explicit(&p->slots[v].range, memory_order_acquire);
            if (v != tid && RW_JOB(vc) == RW_JOB(c) && RW_HI(vc) - RW_LO(vc) > left) {
                best = v;
                left = RW_HI(vc) - RW_LO(vc);
                bc = vc;
            }
        }
        if (best < 0) return;
        long g = atomic_load_explicit(&p->grain, memory_order_relaxed);
        long mid = left <= 2 * g ? RW_LO(bc) : RW_HI(bc) - (left / 2 + g - 1) / g * g;
        if (mid < RW_LO(bc)) mid = RW_LO(bc);
        if (!atomic_compare_exchange_strong_explicit(&p->slots[best].range, &bc,
                                                     RW(RW_JOB(bc), RW_LO(bc), mid),
                                                     memory_order_acq_rel, memory_order_acquire))
            continue;
        /* [mid, hi) is ours: it becomes this thread's range, open to stealing in turn */
        atomic_store_explicit(&me->range, RW(RW_JOB(bc), mid, RW_HI(bc)), memory_order_release);
    }
}

static void *worker(void *arg)
{
    struct worker_arg *wa = arg;
    struct dp_pool *p = wa->p;
    int tid = wa->tid;
    free(wa);
    unsigned seen = 0;
    for (;;) {
        unsigned g;
        int spins = 0;
        while ((g = atomic_load_explicit(&p->gen, memory_order_acquire)) == seen) {
            if (++spins < SPIN_ITERS) {
                cpu_relax();
                continue;
            }
            if (spins < SPIN_ITERS + YIELD_ITERS) {   /* oversubscribed CPUs: let others run */
                sched_yield();
                continue;
            }
            pthread_mutex_lock(&p->mu);
            atomic_fetch_add(&p->sleepers, 1);
            while (atomic_load(&p->gen) == seen) pthread_cond_wait(&p->cv, &p->mu);
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->mu);
            spins = 0;
        }
        seen = g;
        if (atomic_load(&p->stop)) return NULL;
        if (g & 1) {   /* per-thread: current until every worker has counted down */
            p->fn(p->ctx, tid, p->n);
            atomic_fetch_sub_explicit(&p->pending, 1, memory_order_release);
        } else {
            run_range(p, tid);
        }
    }
}

struct dp_pool *dp_pool_create(int nthreads)
{
    struct dp_pool *p = dp_xcalloc(1, sizeof *p);
    p->n = nthreads < 1 ? 1 : nthreads;
    p->th = dp_xcalloc((size_t)p->n, sizeof *p->th);
    p->slots = aligned_alloc(64, (size_t)p->n * sizeof *p->slots);
    if (!p->slots) abort();
    for (int i = 0; i < p->n; i++) {
        atomic_init(&p->slots[i].range, 0);
        atomic_init(&p->slots[i].done, 0);
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int i = 1; i < p->n; i++) {
        struct worker_arg *wa = dp_xmalloc(sizeof *wa);
        wa->p = p;
        wa->tid = i;
        if (pthread_create(&p->th[i], NULL, worker, wa)) {
            fprintf(stderr, "dpoison: cannot create a thread\n");
            abort();
        }
    }
    return p;
}

/* Starts the next job: kind 1 per-thread, 0 range. */
static void publish(struct dp_pool *p, unsigned kind)
{
    unsigned g = atomic_load_explicit(&p->gen, memory_order_relaxed);
    atomic_store(&p->gen, ((g + 2) & ~1u) | kind);   /* seq_cst: a sleeper or the waker sees the other */
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->mu);
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

void dp_pool_free(struct dp_pool *p)
{
    if (!p) return;
    atomic_store(&p->stop, 1);
    pthread_mutex_lock(&p->mu);   /* a worker between its check and its wait holds mu */
    atomic_fetch_add(&p->gen, 2);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->n; i++) pthread_join(p->th[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->th);
    free(p->slots);
    free(p);
}

int dp_pool_size(const struct dp_pool *p) { return p ? p->n : 1; }

void dp_pool_run(struct dp_pool *p, dp_pool_fn fn, void *ctx)
{
    if (!p || p->n == 1) {
        fn(ctx, 0, 1);
        return;
    }
    p->fn = fn;
    p->ctx = ctx;
    atomic_store(&p->pending, p->n - 1);
    publish(p, 1);
    fn(ctx, 0, p->n);
    for (int spins = 0; atomic_load_explicit(&p->pending, memory_order_acquire) > 0; spins++) {
        if (spins < SPIN_ITERS) cpu_relax();
        else sched_yield();
    }
}

void dp_pool_run_range(struct dp_pool *p, long n, long grain, dp_pool_range_fn fn, void *ctx)
{
    if (n <= 0) return;
    if (grain < 1) grain = 1;
    if (!p || p->n == 1 || n <= grain) {
        for (long lo = 0; lo < n; lo += grain) fn(ctx, lo, lo + grain < n ? lo + grain : n, 0);
        return;
    }
    if (n > RW_MAXN) abort();   /* callers size their units */
    atomic_store_explicit(&p->rfn, fn, memory_order_relaxed);
    atomic_store_explicit(&p->rctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&p->grain, grain, memory_order_relaxed);
    unsigned job = ++p->jobno & 0xffffu;
    for (int t = 0; t < p->n; t++) {
        long lo, hi;
        dp_pool_split(n, t, p->n, &lo, &hi);
        atomic_store_explicit(&p->slots[t].done, 0, memory_order_relaxed);
        atomic_store_explicit(&p->slots[t].range, RW(job, lo, hi), memory_order_release);
    }
    publish(p, 0);
    run_range(p, 0);
    for (int spins = 0;; spins++) {
        long done = 0;
        for (int t = 0; t < p->n; t++) done += atomic_load_explicit(&p->slots[t].done, memory_order_acquire);
        if (done >= n) break;
        if (spins < SPIN_ITERS) cpu_relax();
        else sched_yield();
    }
}

void dp_pool_split(long n, int tid, int nthreads, long *lo, long *hi)
{
    *lo = n * tid / nthreads;
    *hi = n * (tid + 1) / nthreads;
}

int dp_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}
