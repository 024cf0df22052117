/* Reproducible pseudo-random streams: xoshiro256** (Blackman & Vigna) seeded through
 * splitmix64, Lemire's unbiased bounded integers, Box-Muller normals. Not for cryptography. */
#include "base/rng.h"
#include <math.h>

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void dp_rng_seed(struct dp_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
    /* splitmix64 is a bijection on distinct counters, so the state is never all zero */
}

uint64_t dp_rng_u64(struct dp_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Lemire, "Fast Random Integer Generation in an Interval" (2019): multiply-shift with a
 * rejection step that removes the bias. */
uint32_t dp_rng_below(struct dp_rng *r, uint32_t n)
{
    if (n == 0) return 0;
    uint64_t m = (dp_rng_u64(r) >> 32) * (uint64_t)n;
    uint32_t lo = (uint32_t)m;
    if (lo < n) {
        uint32_t t = (uint32_t)(-n) % n;
        while (lo < t) {
            m = (dp_rng_u64(r) >> 32) * (uint64_t)n;
            lo = (uint32_t)m;
        }
    }
    return (uint32_t)(m >> 32);
}

double dp_rng_double(struct dp_rng *r) { return (double)(dp_rng_u64(r) >> 11) * 0x1.0p-53; }

float dp_rng_float(struct dp_rng *r) { return (float)(dp_rng_u64(r) >> 40) * 0x1.0p-24f; }

double dp_rng_normal(struct dp_rng *r)
{
    double u1 = 1.0 - dp_rng_double(r);   /* (0, 1]: log stays finite */
    double u2 = dp_rng_double(r);
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

void dp_rng_fork(const struct dp_rng *r, uint64_t index, struct dp_rng *out)
{
    /* Mixing the state with index times an odd constant keeps distinct indices distinct;
     * splitmix64 then spreads the result over a fresh state. */
    uint64_t x = r->s[0] ^ rotl(r->s[1], 17) ^ rotl(r->s[2], 31) ^ rotl(r->s[3], 47);
    x ^= index * 0xd1b54a32d192ed03ull;
    dp_rng_seed(out, splitmix64(&x));
}
