/*
 * The weights of the linkage model, estimated from the run's own data (docs/linkage.md):
 *
 *   m  — how often the same child shows a level: from pairs linked by an exact, valid ID
 *        (labelled true matches); for the ID itself, from what the records' IDs are;
 *   u  — how often two different children show a level: from random register × record pairs
 *        (almost all non-matches); used when the birth dates do not agree;
 *   u_same — the same between children born the same day: from records linked by an exact ID
 *        to one child, paired with another child of the register born that day (labelled
 *        non-matches); used for the ID, name and sex when the birth dates agree. The ID
 *        repeats the birth date, so "the ID's other digits are close" and "the birth date is
 *        the same" are not independent evidence; twins' IDs are a digit apart and their names
 *        alike, which random pairs never show.
 *
 * The ID's tables are per state of the record's ID (valid, mistyped, stored as a number): a
 * level means something else for each (linker.h).
 */
#include "link/weights.h"

#include <math.h>
#include <pthread.h>

#include "core/idcard.h"
#include "util/common.h"

#define M_SAMPLE    20000
#define U_SAMPLE    100000
#define SAME_SAMPLE 60000
#define SAME_POOL   262144 /* register children bucketed by birth date for u_same */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint64_t rng_next(uint64_t *s)
{
    *s += 0x9E3779B97F4A7C15ull;
    return mix64(*s);
}

static void levels_of(const struct lk_rec *p, const struct lk_rec *o, struct lk_pair *pr)
{
    static const struct lk_model flat; /* zero weights: only the levels are wanted here */
    struct name_info a, b;
    name_info_make(&a, p->name, strlen(p->name));
    name_info_make(&b, o->name, strlen(o->name));
    linker_compare(&flat, p, o, &a, &b, 0, pr);
}

/* The ID's level alone (no names to compare: cheaper, for the per-state samples). */
static int id_level_of(const struct lk_rec *p, const struct lk_rec *o)
{
    static const struct lk_model flat;
    static const struct name_info none;
    struct lk_rec a = *p, b = *o;
    struct lk_pair pr;
    a.name = b.name = "";
    linker_compare(&flat, &a, &b, &none, &none, 0, &pr);
    return pr.level[LK_ID];
}

/* Laplace-smoothed shares of counts (+0.5 each), so that an unseen level stays finite. */
static void shares(const double *count, int levels, double *out)
{
    double total = 0;
    for (int l = 0; l < levels; l++)
        total += count[l];
    for (int l = 0; l < levels; l++)
        out[l] = (count[l] + 0.5) / (total + 0.5 * levels);
}

struct by_birth {
    int32_t birth;
    uint32_t idx;
};

static int cmp_by_birth(const void *x, const void *y)
{
    const struct by_birth *a = x, *b = y;
    if (a->birth != b->birth)
        return a->birth < b->birth ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The register children of the pool born on `birth`, as [*lo, *hi). */
static void bucket(const struct by_birth *pool, size_t n, int32_t birth, size_t *lo, size_t *hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (pool[mid].birth < birth)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < n && pool[a].birth == birth)
        a++;
    *hi = a;
}

/* Whether the record's ID, stored as a number, would keep a first fifteen digits that agree
 * with the child's (the fifteenth rounded by the sixteenth). */
static bool prefix_agrees_truncated(const char *full_of_record, const char *child)
{
    uint64_t x = 0, y = 0;
    for (int i = 0; i < 15; i++) {
        x = x * 10 + (uint64_t)(full_of_record[i] - '0');
        y = y * 10 + (uint64_t)(child[i] - '0');
    }
    x += full_of_record[15] >= '5';
    return x == y || x == y + 1;
}

/* The indexes of the records of one ID state, for sampling. */
static size_t of_state(const struct lk_rec *oth, size_t noth, uint8_t st, uint32_t **out)
{
    size_t n = 0, alloc = 0;
    *out = NULL;
    for (size_t i = 0; i < noth; i++)
        if (oth[i].id_state == st) {
            ALLOC_GROW(*out, n + 1, alloc);
            (*out)[n++] = (uint32_t)i;
        }
    return n;
}

/* u of the ID between random children, by the record's state: each state sampled on its own,
 * the ID's level alone. */
static void id_u_counts(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth,
                        size_t noth, uint64_t *seed, double uc[LK_ID_STATES][LK_MAX_LEVELS])
{
    for (int st = LK_ID_VALID; st <= LK_ID_TRUNCATED; st++) {
        uint32_t *idx;
        size_t n = of_state(oth, noth, (uint8_t)st, &idx);
        size_t want = n && npop ? U_SAMPLE / 8 : 0;
        for (size_t k = 0; k < want; k++) {
            const struct lk_rec *p = &pop[rng_next(seed) % npop];
            const struct lk_rec *o = &oth[idx[rng_next(seed) % n]];
            int l = id_level_of(p, o);
            if (l != LKI_MISSING)
                uc[st][l]++;
        }
        free(idx);
    }
}

/* m, u and u_same of the ID per state of the record's ID, and the outsider line. */
static void estimate_id(size_t npop, const struct lk_rec *oth, size_t noth, const int32_t *exact,
                        const struct lk_typo_stats *ts,
                        const double uc[LK_ID_STATES][LK_MAX_LEVELS],
                        const double same[LKI__LEVELS], double q_prefix, struct lk_model *model)
{
    double mc[LK_ID_STATES][LK_MAX_LEVELS] = {{0}};
    long nvalid = 0, ntrunc = 0, nexact = 0, nowhere = 0;
    for (size_t i = 0; i < noth; i++) {
        nexact += exact[i] >= 0;
        nvalid += oth[i].id_state == LK_ID_VALID;
        ntrunc += oth[i].id_state == LK_ID_TRUNCATED;
        nowhere += oth[i].id_state == LK_ID_VALID && exact[i] < 0;
    }
    /*
     * m. A valid ID is the child's own, or (a copy from the wrong line of the household
     * booklet) a sibling's. A mistyped ID is one slip from the child's, the slip in the birth
     * digits or elsewhere as the records with a single register child one slip away show. An
     * ID stored as a number keeps the first fifteen digits. A mistyped ID one slip from nobody
     * is most often a pupil's from elsewhere, so it says nothing of how often a child's own ID
     * is further off: that, like someone else's valid ID, stays at the smoothing floor.
     */
    double birth_share = (ts->birth + 0.5) / (ts->birth + ts->rest + 1.0);
    mc[LK_ID_VALID][LKI_EXACT] = (double)(nexact - ts->copies);
    mc[LK_ID_VALID][LKI_NEAR] = (double)ts->copies;
    mc[LK_ID_BAD_CHECK][LKI_BIRTH_TYPO] = (double)ts->found * birth_share;
    mc[LK_ID_BAD_CHECK][LKI_NEAR] = (double)ts->found * (1 - birth_share);
    mc[LK_ID_TRUNCATED][LKI_PARTIAL] = (double)ntrunc;

    /* u_same: the labelled same-day pairs carry valid IDs; a mistyped ID there is one slip
     * from the other child as often as the valid one is a sibling's number, and a truncated
     * one keeps fifteen digits the other child shares as often as the pairs' prefixes agree */
    double sc[LK_ID_STATES][LK_MAX_LEVELS] = {{0}};
    double nsame = 0;
    for (int l = 0; l < LKI__LEVELS; l++)
        if (l != LKI_MISSING)
            nsame += same[l];
    memcpy(sc[LK_ID_VALID], same, sizeof(double) * LKI__LEVELS);
    sc[LK_ID_VALID][LKI_MISSING] = 0;
    sc[LK_ID_BAD_CHECK][LKI_NEAR] = same[LKI_NEAR];
    sc[LK_ID_BAD_CHECK][LKI_DIFFERENT] = nsame - same[LKI_NEAR];
    sc[LK_ID_TRUNCATED][LKI_PARTIAL] = q_prefix * nsame;
    sc[LK_ID_TRUNCATED][LKI_DIFFERENT] = (1 - q_prefix) * nsame;

    for (int st = 0; st < LK_ID_STATES; st++) {
        shares(mc[st], LKI__LEVELS, model->id_m[st]);
        shares(uc[st], LKI__LEVELS, model->id_u[st]);
        shares(sc[st], LKI__LEVELS, model->id_u_same[st]);
        for (int l = 0; l < LKI__LEVELS; l++) {
            bool none = l == LKI_MISSING || st == LK_ID_NONE;
            model->id_w[st][l] = none ? 0 : log2(model->id_m[st][l] / model->id_u[st][l]);
            model->id_w_same[st][l] = none ? 0 : log2(model->id_m[st][l] / model->id_u_same[st][l]);
        }
    }
    /* a record whose valid ID names nobody here belongs to a pupil registered elsewhere */
    double p = (nowhere + 0.5) / (nvalid + 1.0);
    model->outside_share = p;
    /* to a tenth, as shown and as decided */
    model->outsider = npop ? round(fmax(0, log2((double)npop * p / (1 - p))) * 10) / 10 : 0;
}

/* The samples of pairs born the same day and of the ID per state: the second core's share. */
struct same_job {
    const struct lk_rec *pop, *oth;
    size_t npop, noth;
    const int32_t *exact;
    size_t nexact;
    uint64_t seed;
    double sc[LK__FIELDS][LK_MAX_LEVELS];
    double id_uc[LK_ID_STATES][LK_MAX_LEVELS];
    long sn, near_prefix;
};

/*
 * u_same: a record linked by its exact ID to child Z, against another register child born the
 * same day. The register children (or an even sample of them) are sorted by birth date once; a
 * record's birth date finds its bucket by binary search.
 */
static void *same_day_samples(void *arg)
{
    struct same_job *j = arg;
    const struct lk_rec *pop = j->pop, *oth = j->oth;
    size_t npop = j->npop, noth = j->noth;
    uint64_t s = j->seed;
    struct lk_pair pr;
    size_t npool = npop < SAME_POOL ? npop : SAME_POOL, np = 0;
    struct by_birth *pool = xmalloc((npool ? npool : 1) * sizeof(*pool));
    for (size_t k = 0; k < npool; k++) {
        size_t i = npop <= SAME_POOL ? k : (size_t)((double)k * (double)npop / (double)npool);
        if (pop[i].birth)
            pool[np++] = (struct by_birth){pop[i].birth, (uint32_t)i};
    }
    qsort(pool, np, sizeof(*pool), cmp_by_birth);
    size_t want = j->nexact && np ? SAME_SAMPLE : 0;
    for (size_t k = 0, tries = 0; k < want && tries < 4 * SAME_SAMPLE; tries++) {
        size_t r = rng_next(&s) % noth;
        if (j->exact[r] < 0 || !oth[r].birth || oth[r].id_state != LK_ID_VALID)
            continue;
        size_t lo, hi;
        bucket(pool, np, oth[r].birth, &lo, &hi);
        if (hi - lo < 1 || (hi - lo == 1 && pool[lo].idx == (uint32_t)j->exact[r]))
            continue;
        uint32_t x;
        do
            x = pool[lo + rng_next(&s) % (hi - lo)].idx;
        while (x == (uint32_t)j->exact[r]);
        k++;
        levels_of(&pop[x], &oth[r], &pr);
        for (int f = 0; f < LK__FIELDS; f++)
            if (f != LK_BIRTH)
                j->sc[f][pr.level[f]]++;
        if (pop[x].key && oth[r].key) {
            char a[19], b[19];
            id_unpack(oth[r].key, a);
            id_unpack(pop[x].key, b);
            j->near_prefix += prefix_agrees_truncated(a, b);
        }
        j->sn++;
    }
    free(pool);
    id_u_counts(pop, npop, oth, noth, &s, j->id_uc);
    return NULL;
}

void lk_model_estimate(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth, size_t noth,
                       const int32_t *exact, const struct lk_typo_stats *ts, uint64_t seed,
                       struct lk_model *model)
{
    double mc[LK__FIELDS][LK_MAX_LEVELS] = {{0}}, uc[LK__FIELDS][LK_MAX_LEVELS] = {{0}};
    long mn = 0, un = 0;
    struct lk_pair pr;

    size_t nexact = 0;
    for (size_t i = 0; i < noth; i++)
        nexact += exact[i] >= 0;
    /* the same-day and per-state samples on a second core, from a stream of their own: the
     * result does not depend on whether it ran at the same time */
    struct same_job sj = {pop,   oth,   npop, noth, exact, nexact, seed ^ 0xD1B54A32D192ED03ull,
                          {{0}}, {{0}}, 0,    0};
    pthread_t th;
    bool threaded = pthread_create(&th, NULL, same_day_samples, &sj) == 0;

    /* m: pairs linked by an exact, valid ID are true matches; sample them evenly. */
    size_t step = nexact > M_SAMPLE ? nexact / M_SAMPLE : 1, seen = 0;
    for (size_t i = 0; i < noth; i++) {
        if (exact[i] < 0 || seen++ % step)
            continue;
        levels_of(&pop[exact[i]], &oth[i], &pr);
        for (int f = LK_NAME; f < LK__FIELDS; f++)
            mc[f][pr.level[f]]++;
        mn++;
    }

    /* u: random pairs are, with overwhelming probability, different children. */
    uint64_t s = seed;
    size_t want = npop && noth ? U_SAMPLE : 0;
    for (size_t k = 0; k < want; k++) {
        const struct lk_rec *p = &pop[rng_next(&s) % npop];
        const struct lk_rec *o = &oth[rng_next(&s) % noth];
        levels_of(p, o, &pr);
        for (int f = LK_NAME; f < LK__FIELDS; f++)
            uc[f][pr.level[f]]++;
        un++;
    }
    if (threaded)
        pthread_join(th, NULL);
    else
        same_day_samples(&sj);

    memset(model, 0, sizeof(*model));
    model->m_pairs = mn;
    model->u_pairs = un;
    model->same_pairs = sj.sn;
    for (int f = LK_NAME; f < LK__FIELDS; f++) {
        int L = lk_levels((enum lk_field)f), missing = L - 1;
        shares(mc[f], L, model->m[f]);
        shares(uc[f], L, model->u[f]);
        if (f != LK_BIRTH)
            shares(sj.sc[f], L, model->u_same[f]);
        else
            memcpy(model->u_same[f], model->u[f], sizeof(model->u[f]));
        for (int l = 0; l < L; l++) {
            model->w[f][l] = l == missing ? 0.0 : log2(model->m[f][l] / model->u[f][l]);
            model->w_same[f][l] = l == missing ? 0.0 : log2(model->m[f][l] / model->u_same[f][l]);
        }
    }
    estimate_id(npop, oth, noth, exact, ts, sj.id_uc, sj.sc[LK_ID],
                (sj.near_prefix + 0.5) / (sj.sn + 1.0), model);
}
