/* Sampling semantics, checked against values worked out from transformers' logits processors:
 * repetition penalty (divide positive, multiply negative, once per distinct id), temperature,
 * top-k keeping ties, top-p keeping at least one token, and draw frequencies. */
#include "harness.h"
#include "model/sample.h"
#include <math.h>

static void test_penalty_and_greedy(void)
{
    struct dp_sampler s = {0};
    struct dp_rng r;
    dp_rng_seed(&r, 1);
    float lg[4] = {2, -2, 1.5f, 0};
    int32_t seen[] = {0, 1, 0, 0};
    struct dp_sample_params p = {.greedy = true, .repetition_penalty = 2};
    EXPECT_INT(dp_sample(&s, lg, 4, seen, 4, &p, &r), 2);   /* 2/2 = 1 < 1.5 */
    EXPECT(lg[0] == 1.0f && lg[1] == -4.0f && lg[2] == 1.5f);
    float lg2[3] = {1, 3, 3};   /* ties: the first, as torch.argmax */
    p.repetition_penalty = 1;
    EXPECT_INT(dp_sample(&s, lg2, 3, NULL, 0, &p, &r), 1);
    dp_sampler_free(&s);
}

/* Frequencies of n draws from logits lg (copied each time). */
static void draw(const float *lg0, int V, const struct dp_sample_params *p, int n, double *freq)
{
    struct dp_sampler s = {0};
    struct dp_rng r;
    dp_rng_seed(&r, 99);
    float lg[16];
    for (int i = 0; i < V; i++) freq[i] = 0;
    for (int k = 0; k < n; k++) {
        memcpy(lg, lg0, (size_t)V * 4);
        freq[dp_sample(&s, lg, V, NULL, 0, p, &r)] += 1.0 / n;
    }
    dp_sampler_free(&s);
}

static void test_top_p(void)
{
    float lg[3] = {logf(0.5f), logf(0.3f), logf(0.2f)};
    double f[3];
    /* ascending probs .2 .3 .5, cumulative .2 .5 1; top_p .75 removes cum <= .25: only the .2 */
    struct dp_sample_params p = {.temperature = 1, .top_p = 0.75f, .repetition_penalty = 1};
    draw(lg, 3, &p, 40000, f);
    EXPECT(fabs(f[0] - 0.625) < 0.01 && fabs(f[1] - 0.375) < 0.01 && f[2] == 0);
    p.top_p = 0.1f;   /* removes .2 and .3 (cum .5 <= .9): only the top token */
    draw(lg, 3, &p, 1000, f);
    EXPECT(fabs(f[0] - 1) < 1e-9);
    p.top_p = 1.0f;
    draw(lg, 3, &p, 40000, f);
    EXPECT(fabs(f[0] - 0.5) < 0.01 && fabs(f[1] - 0.3) < 0.01 && fabs(f[2] - 0.2) < 0.01);
}

static void test_top_k_and_temperature(void)
{
    float lg[5] = {1, 3, 2, 3, 0};
    double f[5];
    struct dp_sample_params p = {.temperature = 1, .top_k = 2, .top_p = 1, .repetition_penalty = 1};
    draw(lg, 5, &p, 20000, f);   /* ties at the threshold are kept: {1, 3} */
    EXPECT(f[0] == 0 && f[2] == 0 && f[4] == 0 && fabs(f[1] - 0.5) < 0.02);
    p.top_k = 3;   /* threshold 2: {1, 2, 3}, probs e^3, e^2, e^3 */
    draw(lg, 5, &p, 40000, f);
    double z = 2 * exp(3) + exp(2);
    EXPECT(fabs(f[2] - exp(2) / z) < 0.01 && f[0] == 0);
    p.temperature = 0.5f;   /* logits doubled: e^6, e^4, e^6 */
    draw(lg, 5, &p, 40000, f);
    z = 2 * exp(6) + exp(4);
    EXPECT(fabs(f[2] - exp(4) / z) < 0.01);
    p.temperature = 0;   /* greedy */
    draw(lg, 5, &p, 10, f);
    EXPECT(fabs(f[1] - 1) < 1e-9);
}

static void test_reproducible(void)
{
    float lg0[8] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f}, lg[8];
    struct dp_sample_params p = {.temperature = 0.7f, .top_k = 5, .top_p = 0.9f, .repetition_penalty = 1.1f};
    struct dp_sampler s = {0};
    int32_t seq[2][20];
    for (int run = 0; run < 2; run++) {
        struct dp_rng r;
        dp_rng_seed(&r, 1234);
        for (int i = 0; i < 20; i++) {
            memcpy(lg, lg0, sizeof lg);
            seq[run][i] = dp_sample(&s, lg, 8, seq[run], i, &p, &r);
        }
    }
    EXPECT(!memcmp(seq[0], seq[1], sizeof seq[0]));
    dp_sampler_free(&s);
}

int main(void)
{
    RUN(test_penalty_and_greedy);
    RUN(test_top_p);
    RUN(test_top_k_and_temperature);
    RUN(test_reproducible);
    TEST_END();
}
