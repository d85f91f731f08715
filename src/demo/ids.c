#include "util/common.h"

#include <assert.h>

#include "core/date.h"
#include "core/idcard.h"
#include "demo/demo_internal.h"

/*
 * The demo county's resident IDs: unique per (county code, birth day, sequence number), odd
 * sequence numbers for boys and even ones for girls, twins on consecutive numbers, and — for
 * the 随迁 pupils of the linkage benchmark — an ID issued right next to a given one.
 */

/* real county codes children's IDs were issued under, when not this county's */
static const char *const other_counties[] = {"140502", "140581", "140522", "410526",
                                             "130104", "140524", "140525", "140302"};

void ids_init(struct id_alloc *a, const char *county, long day0, long ndays)
{
    static_assert(ARRAY_SIZE(other_counties) + 1 <= ARRAY_SIZE(a->codes), "county codes");
    a->ncodes = 0;
    snprintf(a->codes[a->ncodes++], 7, "%s", county);
    for (size_t i = 0; i < ARRAY_SIZE(other_counties); i++)
        if (strcmp(other_counties[i], county) != 0)
            snprintf(a->codes[a->ncodes++], 7, "%s", other_counties[i]);
    a->day0 = day0;
    a->ndays = ndays;
    a->used = xcalloc(a->ncodes * (size_t)ndays * 16, sizeof(uint64_t));
    a->counts = xcalloc(a->ncodes * (size_t)ndays * 2, sizeof(uint16_t));
}

void ids_release(struct id_alloc *a)
{
    free(a->used);
    free(a->counts);
}

static uint64_t *ids_bits(struct id_alloc *a, size_t code, long day)
{
    return a->used + (code * (size_t)a->ndays + (size_t)(day - a->day0)) * 16;
}

static uint16_t *ids_counts(struct id_alloc *a, size_t code, long day)
{
    return a->counts + (code * (size_t)a->ndays + (size_t)(day - a->day0)) * 2;
}

static bool bit_get(const uint64_t *b, int s)
{
    return (b[s >> 6] >> (s & 63)) & 1;
}

static void bit_set(uint64_t *b, int s)
{
    b[s >> 6] |= 1ULL << (s & 63);
}

static void make_id(char *out19, const char *code, int ymd, int seq)
{
    memcpy(out19, code, 6);
    for (int i = 13; i >= 6; i--, ymd /= 10)
        out19[i] = (char)('0' + ymd % 10);
    for (int i = 16; i >= 14; i--, seq /= 10)
        out19[i] = (char)('0' + seq % 10);
    out19[17] = id_check_char(out19);
    out19[18] = '\0';
}

/* Sequence numbers: 1..999, odd for a boy, even for a girl. */
static int seq_random(struct demo_rng *r, int sex)
{
    return sex == 1 ? 1 + 2 * (int)rng_below(r, 500) : 2 + 2 * (int)rng_below(r, 499);
}

void ids_issue(struct id_alloc *a, struct demo_rng *r, size_t code, int ymd, int sex, char *id1,
               int sex2, char *id2)
{
    long day = ymd_to_days(ymd);
    size_t spill = rng_below(r, (uint32_t)(a->ncodes - 1));
    for (size_t k = 0; k < a->ncodes; k++) {
        /* a full day spills over to the other codes, starting at a random one */
        size_t c = k == 0 ? code : 1 + (spill + k) % (a->ncodes - 1);
        uint64_t *bits = ids_bits(a, c, day);
        uint16_t *cnt = ids_counts(a, c, day);
        if (cnt[sex - 1] >= 499 || (id2 && cnt[sex2 - 1] >= 497))
            continue;
        int s = seq_random(r, sex);
        for (int tries = 0; tries < 500; tries++, s += 2) {
            if (s > 999)
                s -= sex == 1 ? 1000 : 998;
            if (bit_get(bits, s))
                continue;
            if (!id2) {
                bit_set(bits, s);
                cnt[sex - 1]++;
                make_id(id1, a->codes[c], ymd, s);
                return;
            }
            int s2 = s + (sex2 == sex ? 2 : 1);
            if (s2 > 999 || s % 10 + (s2 - s) > 9 || bit_get(bits, s2))
                continue;
            bit_set(bits, s);
            bit_set(bits, s2);
            cnt[sex - 1]++;
            cnt[sex2 - 1]++;
            make_id(id1, a->codes[c], ymd, s);
            make_id(id2, a->codes[c], ymd, s2);
            return;
        }
    }
    die("演示县：身份证号顺序码已用尽（儿童人数过多）");
}

bool ids_issue_next_to(struct id_alloc *a, const char *near, int sex, char *out19)
{
    size_t c = 0;
    while (c < a->ncodes && memcmp(a->codes[c], near, 6) != 0)
        c++;
    int ymd = 0, seq = 0;
    for (int i = 6; i < 14; i++)
        ymd = ymd * 10 + (near[i] - '0');
    for (int i = 14; i < 17; i++)
        seq = seq * 10 + (near[i] - '0');
    long day = ymd_to_days(ymd);
    if (c == a->ncodes || day < a->day0 || day >= a->day0 + a->ndays)
        return false;
    uint64_t *bits = ids_bits(a, c, day);
    /* the nearest free number of this sex whose digits differ from the given one in one place */
    static const int steps[] = {1, -1, 2, -2, 3, -3, 4, -4};
    for (size_t k = 0; k < ARRAY_SIZE(steps); k++) {
        int s = seq + steps[k];
        if (s < 1 || s > 999 || (s % 2 ? 1 : 2) != sex || s / 10 != seq / 10 || bit_get(bits, s))
            continue;
        bit_set(bits, s);
        ids_counts(a, c, day)[sex - 1]++;
        make_id(out19, a->codes[c], ymd, s);
        return true;
    }
    return false;
}
