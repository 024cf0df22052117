/* Next-token choice with Hugging Face transformers' semantics: the repetition penalty on every
 * token already in the sequence (prompt included), then temperature, top-k (ties with the k-th
 * value kept), top-p (drop the least likely tokens while their cumulative probability stays
 * <= 1 - top_p, keeping at least one), then a draw; or greedy argmax after the penalty. */
#ifndef DP_MODEL_SAMPLE_H
#define DP_MODEL_SAMPLE_H
#include <stdbool.h>
#include <stdint.h>
#include "base/rng.h"

struct dp_sample_params {
    bool greedy;               /* argmax (transformers' do_sample=False) */
    float temperature;         /* > 0; <= 0 means greedy */
    int top_k;                 /* 0: off */
    float top_p;               /* 1: off */
    float repetition_penalty;  /* 1: off */
};

/* Scratch for one sampler (one thread). Zero-initialize; free with dp_sampler_free. */
struct dp_sampler {
    uint8_t *mark;             /* [V] */
    int32_t *idx;              /* candidates */
    float *val;
    int cap, V;
};
void dp_sampler_free(struct dp_sampler *s);

/* The next token from logits[V] (changed in place: penalty and temperature applied, the latter
 * only to the top-k survivors). seen[n]:
 * the ids of the sequence so far. r: the sequence's own stream (one draw per call when sampling,
 * none when greedy). */
int32_t dp_sample(struct dp_sampler *s, float *logits, int V, const int32_t *seen, int nseen,
                  const struct dp_sample_params *p, struct dp_rng *r);

#endif
