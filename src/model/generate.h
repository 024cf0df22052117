/* Batched generation over token ids (no tokenizer here): a queue of jobs (one sample of one
 * prompt each) runs through a fixed number of KV-cache slots with continuous batching: a slot
 * that finishes takes the next job at once, new prompts are prefilled in the same passes as the
 * other slots decode, and samples of one prompt copy its cached prefix instead of recomputing it.
 * Each job draws from its own seeded stream and every row's arithmetic is independent of its
 * neighbours, so a job's output does not depend on the batch size or on the other jobs. */
#ifndef DP_MODEL_GENERATE_H
#define DP_MODEL_GENERATE_H
#include <stdint.h>
#include "model/qwen.h"
#include "model/sample.h"

enum dp_finish { DP_FINISH_STOP, DP_FINISH_LENGTH };
const char *dp_finish_name(enum dp_finish f);   /* "stop", "length" */

struct dp_gen_job {
    const int32_t *prompt;     /* borrowed until the job's callback has run */
    int nprompt;               /* >= 1 */
    uint64_t seed;             /* the job's stream */
    void *user;
};

struct dp_gen_opts {
    struct dp_sample_params sample;
    int max_new_tokens;        /* >= 1 */
    const int32_t *stop;       /* stop ids: generation ends after one, which is not returned */
    int nstop;
    int batch;                 /* KV-cache slots (concurrent sequences) */
    int prefill_tokens;        /* tokens per forward pass (0: 512) */
    enum dp_prec prec;
};

/* Called on the calling thread when a job ends: its generated ids (stop id excluded). A
 * non-zero return stops generation and is returned by dp_generate. */
typedef int (*dp_gen_done_fn)(void *ud, const struct dp_gen_job *job, const int32_t *ids, int n,
                              enum dp_finish why);

/* Runs jobs[0..njobs) (in order of start; they finish in any order). Samples of one prompt
 * should be adjacent and share the prompt pointer to share its prefill. */
int dp_generate(const struct dp_qwen *m, struct dp_pool *pool, const struct dp_gen_opts *o,
                const struct dp_gen_job *jobs, int njobs, dp_gen_done_fn done, void *ud,
                struct dp_error *e);

#endif
