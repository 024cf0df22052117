/* Sampling (see sample.h). The logits processors run in transformers' order
 * (RepetitionPenalty, Temperature, TopK, TopP); top-k finds its threshold with a size-k heap so
 * a 152k vocabulary costs one pass; top-p sorts only the surviving candidates. */
#include "model/sample.h"
#include "base/arena.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void dp_sampler_free(struct dp_sampler *s)
{
    free(s->mark);
    free(s->idx);
    free(s->val);
    memset(s, 0, sizeof *s);
}

static void ensure(struct dp_sampler *s, int V)
{
    if (s->V != V) {
        free(s->mark);
        s->mark = dp_xcalloc((size_t)V, 1);
        s->V = V;
    }
    if (s->cap < V) {
        s->idx = dp_xrealloc(s->idx, (size_t)V * sizeof *s->idx);
        s->val = dp_xrealloc(s->val, (size_t)V * sizeof *s->val);
        s->cap = V;
    }
}

static void repetition_penalty(struct dp_sampler *s, float *lg, const int32_t *seen, int n, float pen)
{
    for (int i = 0; i < n; i++) {
        int32_t t = seen[i];
        if (t < 0 || t >= s->V || s->mark[t]) continue;
        s->mark[t] = 1;
        lg[t] = lg[t] < 0 ? lg[t] * pen : lg[t] / pen;
    }
    for (int i = 0; i < n; i++)
        if (seen[i] >= 0 && seen[i] < s->V) s->mark[seen[i]] = 0;
}

static int32_t argmax(const float *x, int n)
{
    int32_t b = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[b]) b = i;
    return b;
}

/* The k-th largest of x[0..n) (k <= n) with a min-heap of size k in h. */
static float kth_largest(const float *x, int n, int k, float *h)
{
    int sz = 0;
    for (int i = 0; i < n; i++) {
        float v = x[i];
        if (sz < k) {   /* sift up */
            int j = sz++;
            while (j > 0 && h[(j - 1) / 2] > v) { h[j] = h[(j - 1) / 2]; j = (j - 1) / 2; }
            h[j] = v;
        } else if (v > h[0]) {   /* replace the root, sift down */
            int j = 0;
            for (;;) {
                int c = 2 * j + 1;
                if (c >= k) break;
                if (c + 1 < k && h[c + 1] < h[c]) c++;
                if (h[c] >= v) break;
                h[j] = h[c];
                j = c;
            }
            h[j] = v;
        }
    }
    return h[0];
}

/* Ascending by value, then by index (a total order, so results are reproducible). */
static int cmp_cand(const void *a, const void *b, void *ctx)
{
    const float *val = ctx;
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    if (val[x] != val[y]) return val[x] < val[y] ? -1 : 1;
    return x < y ? 1 : x > y ? -1 : 0;   /* equal values: the larger index counts as smaller */
}

int32_t dp_sample(struct dp_sampler *s, float *lg, int V, const int32_t *seen, int nseen,
                  const struct dp_sample_params *p, struct dp_rng *r)
{
    ensure(s, V);
    if (p->repetition_penalty != 1.0f) repetition_penalty(s, lg, seen, nseen, p->repetition_penalty);
    if (p->greedy || p->temperature <= 0) return argmax(lg, V);
    /* candidates: top-k survivors (all when off). Dividing by the temperature keeps the order,
     * so only the survivors are divided, with the same values transformers computes. */
    int n = 0;
    if (p->top_k > 0 && p->top_k < V) {
        float thr = kth_largest(lg, V, p->top_k, s->val);
        for (int i = 0; i < V; i++)
            if (lg[i] >= thr) s->idx[n++] = i;
    } else {
        for (int i = 0; i < V; i++)
            if (lg[i] > -INFINITY) s->idx[n++] = i;
    }
    if (p->temperature != 1.0f)
        for (int i = 0; i < n; i++) lg[s->idx[i]] /= p->temperature;
    if (n == 0) return argmax(lg, V);
    qsort_r(s->idx, (size_t)n, sizeof *s->idx, cmp_cand, lg);   /* ascending */
    float mx = lg[s->idx[n - 1]];
    double sum = 0;
    for (int i = 0; i < n; i++) sum += s->val[i] = expf(lg[s->idx[i]] - mx);
    int first = 0;   /* top-p: drop from the low end while cum <= 1 - top_p */
    if (p->top_p < 1.0f) {
        float cum = 0, lim = 1.0f - p->top_p;
        while (first < n - 1) {
            cum += (float)(s->val[first] / sum);
            if (cum > lim) break;
            first++;
        }
    }
    double tot = 0;
    for (int i = first; i < n; i++) tot += s->val[i];
    double u = dp_rng_double(r) * tot, acc = 0;
    for (int i = n - 1; i >= first; i--) {   /* most likely first */
        acc += s->val[i];
        if (u < acc) return s->idx[i];
    }
    return s->idx[n - 1];
}
