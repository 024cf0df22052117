/* Thread pool: a job is published by bumping an atomic generation; workers spin on it for a
 * while (a decode step runs ~200 parallel regions, each tens of microseconds) and then sleep on
 * a condition variable. Completion is an atomic countdown the caller spins on. Both sides fall
 * back to sched_yield after a short spin, so that more threads than free CPUs (a busy machine)
 * costs time slices rather than whole scheduler ticks. */
#include "nn/pool.h"
#include "base/arena.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SPIN_ITERS 2000       /* pause loops before yielding the CPU */
#define YIELD_ITERS 20000     /* sched_yield loops before sleeping */

struct dp_pool {
    int n;
    pthread_t *th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_uint gen;         /* bumped once per job */
    atomic_int pending;      /* workers still running the current job */
    atomic_int sleepers;
    atomic_int stop;
    dp_pool_fn fn;
    void *ctx;
};

struct worker_arg { struct dp_pool *p; int tid; };

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
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
        p->fn(p->ctx, tid, p->n);
        atomic_fetch_sub_explicit(&p->pending, 1, memory_order_release);
    }
}

struct dp_pool *dp_pool_create(int nthreads)
{
    struct dp_pool *p = dp_xcalloc(1, sizeof *p);
    p->n = nthreads < 1 ? 1 : nthreads;
    p->th = dp_xcalloc((size_t)p->n, sizeof *p->th);
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

static void publish(struct dp_pool *p)
{
    atomic_fetch_add(&p->gen, 1);   /* seq_cst on both sides: a sleeper or the waker sees the other */
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
    atomic_fetch_add(&p->gen, 1);
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 1; i < p->n; i++) pthread_join(p->th[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->th);
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
    publish(p);
    fn(ctx, 0, p->n);
    for (int spins = 0; atomic_load_explicit(&p->pending, memory_order_acquire) > 0; spins++) {
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
