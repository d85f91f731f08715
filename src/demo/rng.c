#include "util/common.h"

#include "demo/demo_internal.h"

/* xoshiro256** (Blackman & Vigna), state filled by splitmix64: fast, and the same sequence on
 * every platform, which byte-identical demo files need. */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t rng_next(struct demo_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint32_t rng_below(struct demo_rng *r, uint32_t n)
{
    /* Lemire's multiply-shift; the bias (n / 2^32) is irrelevant here. */
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

bool rng_ppm(struct demo_rng *r, uint32_t ppm)
{
    return rng_below(r, 1000000) < ppm;
}

size_t rng_cum(struct demo_rng *r, const uint32_t *cum, size_t n)
{
    uint32_t x = rng_below(r, cum[n - 1]);
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

uint32_t rate_scaled(uint32_t ppm, double scale)
{
    double v = (double)ppm * scale + 0.5;
    return v >= DEMO_RATE_CAP ? DEMO_RATE_CAP : (uint32_t)v;
}
