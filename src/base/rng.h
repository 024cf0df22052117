/* Seeded pseudo-random numbers (xoshiro256**, seeded through splitmix64): reproducible streams. */
#ifndef DP_BASE_RNG_H
#define DP_BASE_RNG_H
#include <stdint.h>

struct dp_rng { uint64_t s[4]; };

void dp_rng_seed(struct dp_rng *r, uint64_t seed);
uint64_t dp_rng_u64(struct dp_rng *r);
uint32_t dp_rng_below(struct dp_rng *r, uint32_t n);   /* uniform in [0, n), unbiased; n > 0 */
double dp_rng_double(struct dp_rng *r);                /* uniform in [0, 1), 53 bits */
float dp_rng_float(struct dp_rng *r);                  /* uniform in [0, 1), 24 bits */
double dp_rng_normal(struct dp_rng *r);                /* standard normal (Box-Muller) */
/* A new independent stream derived from r's seed and an index (for per-sample streams). */
void dp_rng_fork(const struct dp_rng *r, uint64_t index, struct dp_rng *out);

#endif
