/* Continuous-batching generation loop (see generate.h). Each step feeds every busy slot: one
 * token for slots that decode, a chunk of the prompt for slots that prefill (decodes first, then
 * prefill chunks up to the pass budget), then samples for the slots whose prompt is complete. */
#include "model/generate.h"
#include "base/arena.h"
#include <stdlib.h>
#include <string.h>

const char *dp_finish_name(enum dp_finish f) { return f == DP_FINISH_STOP ? "stop" : "length"; }

struct gslot {
    int job;          /* -1: free */
    int fed;          /* prompt tokens in the cache */
    int32_t *seq;     /* prompt + generated, for the repetition penalty */
    int nseq, ngen;
    struct dp_rng rng;
};

struct gen {
    const struct dp_qwen *m;
    struct dp_pool *pool;
    const struct dp_gen_opts *o;
    const struct dp_gen_job *jobs;
    int njobs, next;
    struct dp_qwen_state st;
    struct gslot *slots;
    int *eslot, *entok, *eprefill;   /* entries of one step */
    int32_t *etok;
    float *logits;
    int32_t *picked;       /* [batch] the token sampled for each entry */
    int *tosample, nsample;
    struct dp_sampler *samplers;   /* one per thread */
};

static int is_stop(const struct dp_gen_opts *o, int32_t t)
{
    for (int i = 0; i < o->nstop; i++)
        if (o->stop[i] == t) return 1;
    return 0;
}

static int same_prompt(const struct dp_gen_job *a, const struct dp_gen_job *b)
{
    return a->nprompt == b->nprompt &&
           (a->prompt == b->prompt || !memcmp(a->prompt, b->prompt, (size_t)a->nprompt * 4));
}

/* Starts jobs in free slots. A job whose prompt another slot is still prefilling waits for it, so
 * that it can copy the cached prefix. */
static void fill_slots(struct gen *g)
{
    for (int i = 0; i < g->o->batch && g->next < g->njobs; i++) {
        struct gslot *sl = &g->slots[i];
        if (sl->job >= 0) continue;
        const struct dp_gen_job *jb = &g->jobs[g->next];
        int donor = -1;
        for (int k = 0; k < g->o->batch; k++) {
            const struct gslot *o = &g->slots[k];
            if (o->job < 0 || !same_prompt(&g->jobs[o->job], jb)) continue;
            if (o->fed < jb->nprompt) return;   /* still prefilling: wait */
            donor = k;
        }
        sl->job = g->next++;
        sl->nseq = jb->nprompt;
        sl->ngen = 0;
        sl->seq = dp_xrealloc(sl->seq, (size_t)(jb->nprompt + g->o->max_new_tokens + 1) * sizeof *sl->seq);
        memcpy(sl->seq, jb->prompt, (size_t)jb->nprompt * sizeof *sl->seq);
        dp_rng_seed(&sl->rng, jb->seed);
        dp_qwen_state_reset(&g->st, i);
        sl->fed = 0;
        if (donor >= 0 && jb->nprompt > 1) {
            dp_qwen_state_copy(&g->st, g->m, i, donor, jb->nprompt - 1);
            sl->fed = jb->nprompt - 1;
        }
    }
}

/* Builds the step's entries; returns their number. */
static int plan_step(struct gen *g)
{
    int n = 0, ntok = 0, budget = g->st.mtok;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < g->o->batch; i++) {
            struct gslot *sl = &g->slots[i];
            if (sl->job < 0) continue;
            int np = g->jobs[sl->job].nprompt, prefill = sl->fed < np;
            if (prefill != pass) continue;
            int take = prefill ? np - sl->fed : 1;
            if (prefill && take > budget - ntok) take = budget - ntok;
            if (take <= 0) continue;
            g->eslot[n] = i;
            g->entok[n] = take;
            g->eprefill[n] = prefill;
            memcpy(g->etok + ntok, prefill ? sl->seq + sl->fed : sl->seq + sl->nseq - 1,
                   (size_t)take * sizeof *g->etok);
            ntok += take;
            n++;
        }
    return n;
}

static int finish(struct gen *g, struct gslot *sl, enum dp_finish why, dp_gen_done_fn done, void *ud)
{
    const struct dp_gen_job *jb = &g->jobs[sl->job];
    sl->job = -1;
    return done(ud, jb, sl->seq + jb->nprompt, sl->ngen, why);
}

/* Samples the entries listed in tosample, spread over the threads (each job has its own stream,
 * so who samples what does not matter). */
static void sample_piece(void *ctx, long lo, long hi, int tid)
{
    struct gen *g = ctx;
    int V = g->m->cfg.V;
    for (long i = lo; i < hi; i++) {
        int k = g->tosample[i];
        struct gslot *sl = &g->slots[g->eslot[k]];
        g->picked[k] = dp_sample(&g->samplers[tid], g->logits + (size_t)k * V, V, sl->seq, sl->nseq,
                                 &g->o->sample, &sl->rng);
    }
}

static int run_step(struct gen *g, int n, dp_gen_done_fn done, void *ud, struct dp_error *e)
{
    int rc = dp_qwen_forward(g->m, &g->st, g->pool, g->o->prec, n, g->eslot, g->entok, g->etok,
                             g->logits, false, e);
    if (rc) return rc;
    g->nsample = 0;
    for (int k = 0; k < n; k++) {
        struct gslot *sl = &g->slots[g->eslot[k]];
        if (g->eprefill[k]) sl->fed += g->entok[k];
        if (sl->fed >= g->jobs[sl->job].nprompt) g->tosample[g->nsample++] = k;
    }
    dp_pool_run_range(g->nsample > 1 ? g->pool : NULL, g->nsample, 1, sample_piece, g);
    for (int i = 0; i < g->nsample; i++) {
        int k = g->tosample[i];
        struct gslot *sl = &g->slots[g->eslot[k]];
        int32_t t = g->picked[k];
        if (is_stop(g->o, t)) {
            rc = finish(g, sl, DP_FINISH_STOP, done, ud);
        } else {
            sl->seq[sl->nseq++] = t;
            sl->ngen++;
            if (sl->ngen >= g->o->max_new_tokens) rc = finish(g, sl, DP_FINISH_LENGTH, done, ud);
        }
        if (rc) return rc;
    }
    return 0;
}

int dp_generate(const struct dp_qwen *m, struct dp_pool *pool, const struct dp_gen_opts *o,
                const struct dp_gen_job *jobs, int njobs, dp_gen_done_fn done, void *ud,
                struct dp_error *e)
{
    if (o->batch < 1 || o->max_new_tokens < 1)
        return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "generate: batch and max_new_tokens must be >= 1");
    int maxp = 1;
    for (int j = 0; j < njobs; j++) {
        if (jobs[j].nprompt < 1) return dp_error_set(e, DP_EINVAL, NULL, 0, 0, "generate: job %d has an empty prompt", j);
        if (jobs[j].nprompt > maxp) maxp = jobs[j].nprompt;
    }
    if (njobs == 0) return 0;
    if ((long)maxp + o->max_new_tokens > m->cfg.max_pos)
        return dp_error_set(e, DP_ERANGE, NULL, 0, 0,
                            "a prompt of %d tokens plus %d new ones exceeds the model's context of %d "
                            "(max_position_embeddings)", maxp, o->max_new_tokens, m->cfg.max_pos);
    struct gen g = {.m = m, .pool = pool, .o = o, .jobs = jobs, .njobs = njobs};
    int mtok = o->prefill_tokens > 0 ? o->prefill_tokens : 512;
    if (mtok < o->batch) mtok = o->batch;
    int rc = dp_qwen_state_init(&g.st, m, o->batch, maxp + o->max_new_tokens + 1, mtok, dp_pool_size(pool), e);
    if (rc) return rc;
    g.slots = dp_xcalloc((size_t)o->batch, sizeof *g.slots);
    for (int i = 0; i < o->batch; i++) g.slots[i].job = -1;
    g.eslot = dp_xmalloc((size_t)o->batch * sizeof(int));
    g.entok = dp_xmalloc((size_t)o->batch * sizeof(int));
    g.eprefill = dp_xmalloc((size_t)o->batch * sizeof(int));
    g.etok = dp_xmalloc((size_t)(mtok + o->batch) * sizeof(int32_t));
    g.logits = dp_xmalloc((size_t)o->batch * m->cfg.V * sizeof(float));
    g.picked = dp_xmalloc((size_t)o->batch * sizeof(int32_t));
    g.tosample = dp_xmalloc((size_t)o->batch * sizeof(int));
    g.samplers = dp_xcalloc((size_t)dp_pool_size(pool), sizeof *g.samplers);
    for (;;) {
        fill_slots(&g);
        int n = plan_step(&g);
        if (n == 0) break;
        if ((rc = run_step(&g, n, done, ud, e))) break;
    }
    for (int i = 0; i < o->batch; i++) free(g.slots[i].seq);
    free(g.slots), free(g.eslot), free(g.entok), free(g.eprefill), free(g.etok), free(g.logits);
    free(g.picked), free(g.tosample);
    for (int i = 0; i < dp_pool_size(pool); i++) dp_sampler_free(&g.samplers[i]);
    free(g.samplers);
    dp_qwen_state_free(&g.st);
    return rc;
}
