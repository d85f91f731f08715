/*
 * The linker: exact ID, ID typos, blocking, Fellegi–Sunter scoring with m/u estimated from the
 * data, one-to-one assignment with a margin, three bands. See linker.h for the stages.
 */
#include "link/linker.h"

#include <math.h>
#include <pthread.h>

#include "core/idcard.h"
#include "link/idindex.h"
#include "link/weights.h"
#include "util/common.h"
#include "util/utf8.h"

/* ---- a small open-addressing hash map: 64-bit key -> 32-bit value ----------------------- */

struct u64map {
    uint64_t *keys; /* 0 = empty; callers never use key 0 */
    uint32_t *vals;
    size_t cap, n;
};

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static void u64map_grow(struct u64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = xcalloc(cap, sizeof(*keys));
    uint32_t *vals = xcalloc(cap, sizeof(*vals));
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t h = mix64(m->keys[i]) & (cap - 1);
        while (keys[h])
            h = (h + 1) & (cap - 1);
        keys[h] = m->keys[i];
        vals[h] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
}

/* The slot of `key`, inserting it with value `def` when absent. */
static uint32_t *u64map_slot(struct u64map *m, uint64_t key, uint32_t def)
{
    if ((m->n + 1) * 2 > m->cap)
        u64map_grow(m);
    size_t h = mix64(key) & (m->cap - 1);
    while (m->keys[h] && m->keys[h] != key)
        h = (h + 1) & (m->cap - 1);
    if (!m->keys[h]) {
        m->keys[h] = key;
        m->vals[h] = def;
        m->n++;
    }
    return &m->vals[h];
}

static uint32_t *u64map_find(const struct u64map *m, uint64_t key)
{
    if (!m->cap)
        return NULL;
    size_t h = mix64(key) & (m->cap - 1);
    while (m->keys[h]) {
        if (m->keys[h] == key)
            return &m->vals[h];
        h = (h + 1) & (m->cap - 1);
    }
    return NULL;
}

static void u64map_release(struct u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof(*m));
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h ? h : 1;
}

/* ---- two cores ----------------------------------------------------------------------------- */

/*
 * Run fn(ctx, part, 0 or 1) on two threads when there are `n` >= `min` items worth it, else
 * both parts on this one. Every use splits its work so that the result does not depend on
 * whether the parts ran at the same time.
 */
struct par_job {
    void (*fn)(void *ctx, int part);
    void *ctx;
    int part;
};

static void *par_main(void *arg)
{
    struct par_job *j = arg;
    j->fn(j->ctx, j->part);
    return NULL;
}

static void par2(void (*fn)(void *ctx, int part), void *ctx, size_t n, size_t min)
{
    struct par_job second = {fn, ctx, 1};
    pthread_t th;
    bool threaded = n >= min && pthread_create(&th, NULL, par_main, &second) == 0;
    fn(ctx, 0);
    if (threaded)
        pthread_join(th, NULL);
    else
        fn(ctx, 1);
}

/* [lo, hi) of part 0 or 1 of n items */
static void par_range(size_t n, int part, size_t *lo, size_t *hi)
{
    *lo = part ? n / 2 : 0;
    *hi = part ? n : n / 2;
}

/* ---- the register's IDs: a hash map, with the rare duplicated IDs in a sorted side index -- */

#define POP_DUP UINT32_MAX

/* Two halves by one bit of the key's hash, each built by a core of its own. */
struct pop_ids {
    struct u64map map[2];    /* key -> register index, or POP_DUP */
    struct id_index dups[2]; /* every (key, index) of a duplicated key */
    const struct lk_rec *pop;
    size_t npop;
};

static int pop_ids_half(uint64_t key)
{
    return (int)(mix64(key ^ 0x5bd1e995u) >> 63);
}

static void pop_ids_build_half(void *arg, int half)
{
    struct pop_ids *pi = arg;
    const struct lk_rec *pop = pi->pop;
    struct u64map *m = &pi->map[half];
    struct id_index *dups = &pi->dups[half];
    for (size_t i = 0; i < pi->npop; i++) {
        /* an ID stored as a number is not an ID: its last digits are zeros */
        if (!pop[i].key || pop[i].id_state == LK_ID_TRUNCATED || pop_ids_half(pop[i].key) != half)
            continue;
        uint32_t *v = u64map_slot(m, pop[i].key, (uint32_t)i);
        if (*v != (uint32_t)i && *v != POP_DUP) {
            id_index_add(dups, pop[i].key, *v);
            *v = POP_DUP;
        }
        if (*v == POP_DUP)
            id_index_add(dups, pop[i].key, (uint32_t)i);
    }
    id_index_sort(dups);
}

static void pop_ids_build(struct pop_ids *pi, const struct lk_rec *pop, size_t npop,
                          size_t parallel_min)
{
    memset(pi, 0, sizeof(*pi));
    pi->pop = pop;
    pi->npop = npop;
    par2(pop_ids_build_half, pi, npop, parallel_min);
}

/* The register children with `key`: their count, and the indexes in out[0..max). */
static size_t pop_ids_find(const struct pop_ids *pi, uint64_t key, uint32_t *out, size_t max)
{
    if (!key)
        return 0;
    int half = pop_ids_half(key);
    const uint32_t *v = u64map_find(&pi->map[half], key);
    if (!v)
        return 0;
    if (*v != POP_DUP) {
        out[0] = *v;
        return 1;
    }
    size_t first, n = id_index_find(&pi->dups[half], key, &first);
    for (size_t k = 0; k < n && k < max; k++)
        out[k] = pi->dups[half].v[first + k].idx;
    return n < max ? n : max;
}

static void pop_ids_release(struct pop_ids *pi)
{
    for (int h = 0; h < 2; h++) {
        u64map_release(&pi->map[h]);
        id_index_release(&pi->dups[h]);
    }
}

/* An ID ending in 000: perhaps a number's fifteen digits with a check digit that happens to
 * hold. */
static bool ends_000(uint64_t key)
{
    char id[19];
    id_unpack(key, id);
    return !memcmp(id + 15, "000", 3);
}

/* ---- blocking keys ------------------------------------------------------------------------ */

/* The pinyin of the surname (its first character, folded), 0 when none: equal for 张/張 and
 * for the homophones a clerk types by ear (章/张 are not: different syllables). */
static uint32_t surname_key(const char *name)
{
    unsigned cp;
    size_t len = strlen(name);
    if (!len || !utf8_decode(name, len, &cp))
        return 0;
    uint32_t f = hanzi_fold(cp);
    uint16_t py = hanzi_surname_pinyin(f);
    return py ? 0x100000u | py : f; /* no reading (Latin, rare): the character itself */
}

/* Hashes of the folded name and of its toneless pinyin, without dots and spaces. */
static void name_hashes(const char *name, uint64_t *folded, uint64_t *pinyin)
{
    uint64_t h = 1469598103934665603ull, hp = 1469598103934665603ull;
    size_t len = strlen(name), i = 0;
    bool first = true;
    while (i < len) {
        unsigned cp;
        i += utf8_decode(name + i, len - i, &cp);
        if (cp == ' ' || cp == 0xB7 || cp == 0x3000)
            continue;
        uint32_t f = hanzi_fold(cp);
        uint16_t py = first ? hanzi_surname_pinyin(f) : hanzi_pinyin(f);
        first = false;
        h = (h ^ f) * 1099511628211ull;
        hp = (hp ^ (py ? py : 0x200000u + f)) * 1099511628211ull;
    }
    *folded = h;
    *pinyin = hp;
}

/*
 * Blocks a record is compared within: birth date + sex + surname (pinyin), folded name + birth
 * year (a wrong birth date), pinyin name + birth year (a homophone and a wrong birth date).
 * Birth date + sex alone would put hundreds of children in one block at province scale. A
 * school record without a sex looks in both sexes' blocks.
 */
enum { BLOCK_KEYS = 4 };

static int block_keys(const struct lk_rec *r, bool any_sex, uint64_t out[BLOCK_KEYS])
{
    int n = 0;
    if (!r->name[0])
        return 0;
    uint32_t s = surname_key(r->name);
    if (r->birth && s) {
        uint64_t base = (1ull << 62) | ((uint64_t)r->birth << 23) | (s & 0x1FFFFF);
        if (r->sex || !any_sex) {
            out[n++] = base | ((uint64_t)r->sex << 21);
        } else {
            out[n++] = base | (1ull << 21);
            out[n++] = base | (2ull << 21);
        }
    }
    uint64_t hf, hp;
    name_hashes(r->name, &hf, &hp);
    uint64_t year = (uint64_t)(r->birth / 10000);
    out[n++] = (2ull << 62) | (year << 44) | (hf & ((1ull << 44) - 1));
    out[n++] = (3ull << 62) | (year << 44) | (hp & ((1ull << 44) - 1));
    return n;
}

/* ---- the run ------------------------------------------------------------------------------ */

static bool name_agrees(int level)
{
    return level <= NAME_PINYIN;
}

struct cand {
    uint32_t other, pop;
};

static int cmp_cand(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->other != b->other)
        return a->other < b->other ? -1 : 1;
    return a->pop < b->pop ? -1 : a->pop > b->pop;
}

static void add_pair(struct lk_result *res, const struct lk_pair *p)
{
    ALLOC_GROW(res->pairs, res->npairs + 1, res->pairs_alloc);
    res->pairs[res->npairs++] = *p;
}

static void link_other(struct lk_result *res, uint32_t other, int32_t pop, enum lk_method m,
                       double score)
{
    res->match[other] = pop;
    res->method[other] = (uint8_t)m;
    res->score[other] = (float)score;
    res->counts[m]++;
}

/* Name counts of the register, for term-frequency weights of exactly agreeing names. */
struct tf {
    struct u64map counts;
    size_t npop;
};

static double tf_u(const struct tf *tf, const char *name)
{
    uint32_t *c = u64map_find(&tf->counts, hash_str(name));
    size_t n = c && *c ? *c : 1;
    return (double)n / (double)(tf->npop ? tf->npop : 1);
}

static void score_pair(const struct lk_model *model, const struct tf *tf, const struct lk_rec *pop,
                       const struct lk_rec *oth, uint32_t pi, uint32_t oi, struct lk_pair *out)
{
    struct name_info a, b;
    name_info_make(&a, pop[pi].name, strlen(pop[pi].name));
    name_info_make(&b, oth[oi].name, strlen(oth[oi].name));
    memset(out, 0, sizeof(*out));
    out->pop = pi;
    out->other = oi;
    linker_compare(model, &pop[pi], &oth[oi], &a, &b, tf_u(tf, pop[pi].name), out);
    out->second = -INFINITY;
}

static int cmp_pair_desc(const void *x, const void *y)
{
    const struct lk_pair *a = x, *b = y;
    int ra = a->reason == LKR_DECIDED_REJECT, rb = b->reason == LKR_DECIDED_REJECT;
    if (ra != rb)
        return ra - rb;
    if (a->total != b->total)
        return a->total > b->total ? -1 : 1;
    return a->pop < b->pop ? -1 : a->pop > b->pop;
}

/* How far a total is ahead of another, to the tenth the explanation shows. */
static double lead(double total, double other)
{
    return round((total - other) * 10) / 10;
}

/*
 * A pair in review keeps its child off the out-of-school list while it waits only when the
 * record bears the child's name (the same, a variant or the same pinyin: a name is read out at
 * every roll call) and is at least as likely the child's as a pupil's registered elsewhere (the
 * callers add: and as anyone's of the register). Otherwise the child stays listed: a record
 * that may well be someone else's must not hide a child out of school.
 */
static void set(struct lk_pair *pr, enum lk_decision d, enum lk_reason r)
{
    pr->decision = (uint8_t)d;
    pr->reason = (uint8_t)r;
    pr->holds =
        d == LKD_REVIEW && name_agrees(pr->level[LK_NAME]) && lk_at_least(pr->total, pr->outsider);
}

/*
 * The bands, for the best candidate of one record that no clerk has decided, in a fixed order:
 * the first requirement it fails is its reason. `doubtful`: the record's exact ID names `bp`
 * but the names disagree (the only way such a pair is accepted is EXACT_KEPT).
 */
static void decide_best(const struct lk_params *params, const struct lk_rec *pop,
                        const struct lk_rec *oth, uint32_t oi, bool doubtful, bool better_named,
                        struct lk_pair *bp, struct lk_result *res)
{
    /* the best must be clearly likelier than the runner-up and than a pupil registered
     * elsewhere (the model's outsider line) */
    double rival = isfinite(bp->second) && bp->second > bp->outsider ? bp->second : bp->outsider;
    bool clear = lk_at_least(lead(bp->total, rival), params->margin);
    int idl = bp->level[LK_ID];
    /* Two valid IDs that differ are two people, whatever else agrees. */
    bool ids_disagree = idl != LKI_EXACT && idl != LKI_MISSING && idl != LKI_PARTIAL &&
                        pop[bp->pop].id_state == LK_ID_VALID && oth[oi].id_state == LK_ID_VALID;
    bool typo = (idl == LKI_BIRTH_TYPO || idl == LKI_NEAR) && !ids_disagree;
    if (doubtful) {
        /* exact ID, the name a slip away (not "different") and nobody in the block fits
         * better: keep it; otherwise a clerk looks */
        bool keep = bp->level[LK_NAME] < NAME_DIFFERENT && !better_named &&
                    lk_at_least(bp->total, params->accept) && clear &&
                    bp->level[LK_BIRTH] != LKB_DIFFERENT && bp->level[LK_SEX] != LKS_DIFFERENT;
        if (keep) {
            set(bp, LKD_ACCEPT, LKR_EXACT_KEPT);
            link_other(res, oi, (int32_t)bp->pop, LKM_ID_EXACT, bp->total);
        } else {
            set(bp, LKD_REVIEW, LKR_EXACT_NAME_DIFFERENT);
            res->review++;
        }
        return;
    }
    enum lk_reason why;
    if (!lk_at_least(bp->total, params->review)) {
        set(bp, LKD_REJECT, LKR_BELOW_REVIEW);
        return;
    }
    if (ids_disagree)
        why = LKR_IDS_DISAGREE;
    else if (!lk_at_least(bp->total, params->accept))
        why = LKR_BELOW_ACCEPT;
    else if (!clear)
        why = rival == bp->outsider ? LKR_OUTSIDER_CLOSE : LKR_CLOSE_SECOND;
    else if (bp->level[LK_BIRTH] == LKB_DIFFERENT)
        why = LKR_BIRTH_CONTRADICTS;
    else if (bp->level[LK_SEX] == LKS_DIFFERENT)
        why = LKR_SEX_CONTRADICTS;
    else if (typo && !(name_agrees(bp->level[LK_NAME]) &&
                       (bp->level[LK_BIRTH] == LKB_EXACT || bp->level[LK_BIRTH] == LKB_MISSING)))
        /* a mistyped ID is only trusted when name, birth date and sex all agree */
        why = LKR_TYPO_UNCONFIRMED;
    else {
        enum lk_method method = typo ? LKM_ID_TYPO : idl == LKI_EXACT ? LKM_ID_EXACT : LKM_FUZZY;
        /* LKM_ID_EXACT here: the register lists this ID twice and the rest decided */
        set(bp, LKD_ACCEPT, typo ? LKR_TYPO_ACCEPTED : LKR_ACCEPTED);
        link_other(res, oi, (int32_t)bp->pop, method, bp->total);
        return;
    }
    set(bp, LKD_REVIEW, why);
    res->review++;
}

/* One share of the scoring: a range of the candidate array that holds whole records. */
struct score_job {
    const struct lk_rec *pop, *oth;
    const struct lk_params *params;
    lk_decided_fn decided;
    void *decided_ctx;
    const struct tf *tf;
    const struct cand *cands;
    size_t begin, end;
    const uint8_t *pending;
    const int32_t *exact;
    const uint8_t *linked; /* per register child: holds an exact-ID record */
    struct lk_result res;  /* shares match/method/score with the caller; own pairs and counts */
};

static void swap_pairs(struct lk_pair *a, struct lk_pair *b)
{
    struct lk_pair t = *a;
    *a = *b;
    *b = t;
}

/*
 * A record whose exact ID names one child while its name disagrees: the child among the others
 * whose name agrees, born the same day, not of the other sex and without an exact-ID record of
 * their own (the sibling whose line of the household booklet was copied wrong), best name first,
 * then best total; -1 when none.
 */
static int name_child(const struct lk_pair *scored, size_t ns, int32_t exact, const uint8_t *linked)
{
    int best = -1;
    for (size_t k = 0; k < ns; k++) {
        const struct lk_pair *q = &scored[k];
        /* a child who holds a record of their own by its ID needs no second one */
        if ((int32_t)q->pop == exact || q->reason == LKR_DECIDED_REJECT || linked[q->pop] ||
            !name_agrees(q->level[LK_NAME]) || q->level[LK_BIRTH] != LKB_EXACT ||
            q->level[LK_SEX] == LKS_DIFFERENT)
            continue;
        if (best < 0 || q->level[LK_NAME] < scored[best].level[LK_NAME])
            best = (int)k; /* scored is best total first: ties keep the higher total */
    }
    return best;
}

static void *score_range(void *arg)
{
    struct score_job *j = arg;
    const struct lk_rec *pop = j->pop, *oth = j->oth;
    const struct lk_params *params = j->params;
    lk_decided_fn decided = j->decided;
    void *decided_ctx = j->decided_ctx;
    const struct cand *cands = j->cands;
    const uint8_t *pending = j->pending;
    const int32_t *exact = j->exact;
    struct lk_result *res = &j->res;
    const struct tf *tfp = j->tf;
    struct lk_pair *scored = NULL;
    size_t scored_alloc = 0;
    for (size_t c = j->begin; c < j->end;) {
        uint32_t oi = cands[c].other;
        size_t ns = 0;
        bool clerk_accept = false;
        for (; c < j->end && cands[c].other == oi; c++) {
            if (ns && scored[ns - 1].pop == cands[c].pop)
                continue; /* found by two routes */
            ALLOC_GROW(scored, ns + 1, scored_alloc);
            score_pair(&res->model, tfp, pop, oth, cands[c].pop, oi, &scored[ns]);
            int d = decided ? decided(decided_ctx, cands[c].pop, oi) : 0;
            if (d > 0)
                clerk_accept = true;
            else if (d < 0)
                /* a clerk said no: the pair stays on record but competes no more */
                set(&scored[ns], LKD_REJECT, LKR_DECIDED_REJECT);
            ns++;
        }
        /* Rank: clerk-rejected pairs last, then by total, best first. */
        qsort(scored, ns, sizeof(*scored), cmp_pair_desc);
        bool doubtful = pending[oi] == 2;
        int32_t ex = exact[oi];
        size_t ei = ns; /* the exact ID's child among the scored, for a doubtful record */
        for (size_t k = 0; doubtful && k < ns; k++)
            if ((int32_t)scored[k].pop == ex && scored[k].reason != LKR_DECIDED_REJECT)
                ei = k;
        int nc = -1;
        if (clerk_accept) {
            for (size_t k = 0; k < ns; k++)
                if (scored[k].reason != LKR_DECIDED_REJECT &&
                    decided(decided_ctx, scored[k].pop, oi) > 0) {
                    swap_pairs(&scored[0], &scored[k]);
                    break;
                }
        } else if (ei < ns && (nc = name_child(scored, ns, ex, j->linked)) >= 0) {
            /* the name's child is the record's best: it waits for the clerk, the ID's child
             * stays listed until then (docs/linkage.md) */
            swap_pairs(&scored[0], &scored[nc]);
            if (ei == 0)
                ei = (size_t)nc;
        } else if (ei < ns && ei > 0) {
            /* the ID names one child and no other's name fits: that child or nobody */
            swap_pairs(&scored[0], &scored[ei]);
            ei = 0;
        }
        struct lk_pair *bp = &scored[0];
        bp->second = ns > 1 && scored[1].reason != LKR_DECIDED_REJECT ? scored[1].total : -INFINITY;
        for (size_t k = 2; k < ns; k++)
            if (scored[k].reason != LKR_DECIDED_REJECT && scored[k].total > bp->second)
                bp->second = scored[k].total;
        if (clerk_accept) {
            set(bp, LKD_ACCEPT, LKR_DECIDED_ACCEPT);
            link_other(res, oi, (int32_t)bp->pop, LKM_REVIEWED, bp->total);
        } else if (nc >= 0) {
            set(bp, LKD_REVIEW, LKR_NAME_OTHER_ID);
            res->review++;
        } else if (bp->reason != LKR_DECIDED_REJECT) {
            /* another child the record could be: a closer name, a birth date and sex that
             * do not contradict it */
            bool better_named = false;
            for (size_t k = 1; doubtful && ei == 0 && k < ns; k++)
                better_named |= scored[k].level[LK_NAME] < bp->level[LK_NAME] &&
                                scored[k].level[LK_BIRTH] != LKB_DIFFERENT &&
                                scored[k].level[LK_SEX] != LKS_DIFFERENT &&
                                scored[k].reason != LKR_DECIDED_REJECT;
            decide_best(params, pop, oth, oi, doubtful && ei == 0, better_named, bp, res);
        }
        /* The rest: taken by the best, close enough to wait with it, or outranked. */
        for (size_t k = 1; k < ns; k++) {
            struct lk_pair *q = &scored[k];
            q->second = bp->total;
            if (q->reason == LKR_DECIDED_REJECT)
                continue;
            if (nc >= 0 && k == ei) {
                /* the ID's child of a record whose name is its sibling's: a clerk looks, but
                 * the record does not keep this child off the list meanwhile */
                set(q, LKD_REVIEW, LKR_EXACT_NAME_CONFLICT);
                q->holds = 0;
            } else if (bp->decision == LKD_ACCEPT) {
                set(q, LKD_REJECT, LKR_TAKEN);
            } else if (!lk_at_least(q->total, params->review)) {
                set(q, LKD_REJECT, LKR_BELOW_REVIEW);
            } else if (bp->decision == LKD_REVIEW &&
                       !lk_at_least(lead(bp->total, q->total), params->margin)) {
                set(q, LKD_REVIEW, LKR_NEAR_RUNNER_UP);
                /* only a child at least as likely as the best waits: a runner-up (a twin whose
                 * name only sounds like the name on the record) stays on the list */
                q->holds &= lk_at_least(q->total, bp->total);
            } else {
                set(q, LKD_REJECT, LKR_OUTRANKED);
            }
        }
        /* Keep the best and the runner-up it was measured against (for explanation), and
         * every pair in review. */
        for (size_t k = 0; k < ns; k++)
            if (k < 2 || scored[k].decision == LKD_REVIEW)
                add_pair(res, &scored[k]);
    }
    free(scored);
    return NULL;
}

/* Stage 0 over part of the school records: the register child with the same ID, and whether
 * the names agree enough to take it (pending 0) or not (2); no such child: pending 1. */
struct exact_job {
    const struct lk_rec *pop, *oth;
    size_t noth;
    const struct pop_ids *ix;
    int32_t *exact;
    uint8_t *pending;
};

/*
 * Whether a child born the same day with the neighbouring sequence number (a twin) carries a
 * name closer to the record's than `level`: twins named alike (思雨/思语), the record with the
 * ID of one and the name of the other, is the other's whose ID was copied from the wrong line.
 */
static int32_t sibling_named(const struct exact_job *j, uint32_t child, const struct name_info *rec,
                             int level)
{
    char id[19], alt[19];
    uint32_t found[2];
    struct name_info sn;
    id_unpack(j->pop[child].key, id);
    for (int pos = 14; pos < 17; pos++)
        for (char d = '0'; d <= '9'; d++) {
            if (d == id[pos])
                continue;
            memcpy(alt, id, 19);
            alt[pos] = d;
            alt[17] = id_check_char(alt);
            if (pop_ids_find(j->ix, id_pack(alt), found, 2) != 1)
                continue;
            const char *nm = j->pop[found[0]].name;
            name_info_make(&sn, nm, strlen(nm));
            if (sn.n && (int)name_compare(&sn, rec) < level)
                return (int32_t)found[0];
        }
    return -1;
}

static void exact_part(void *arg, int part)
{
    struct exact_job *j = arg;
    struct name_info a, b;
    uint32_t found[2];
    size_t lo, hi;
    par_range(j->noth, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        j->exact[i] = -1;
        size_t n = j->oth[i].id_state == LK_ID_TRUNCATED
                       ? 0
                       : pop_ids_find(j->ix, j->oth[i].key, found, 2);
        if (n == 1) {
            j->exact[i] = (int32_t)found[0];
            const char *pn = j->pop[found[0]].name, *on = j->oth[i].name;
            bool agree = !strcmp(pn, on) || !*pn || !*on;
            if (!agree) {
                name_info_make(&a, pn, strlen(pn));
                name_info_make(&b, on, strlen(on));
                int level = !a.n || !b.n ? NAME_EXACT : name_compare(&a, &b);
                agree = name_agrees(level);
                if (agree && level == NAME_PINYIN && sibling_named(j, found[0], &b, level) >= 0) {
                    j->pending[i] = 3; /* decided once every exact link is known */
                    continue;
                }
            }
            j->pending[i] = agree ? 0 : 2;
        } else {
            /* no child with this ID, or the register lists the ID twice: decide by the rest */
            j->pending[i] = 1;
        }
    }
}

/* The register's side of the blocks, over part of the register: the (block, child) pairs of
 * the blocks pending records want, and each child's name hash for the term frequencies. */
struct block_job {
    const struct lk_rec *pop;
    size_t npop;
    const struct u64map *want;
    uint64_t *name_hash;
    struct cand *bm[2];
    size_t nbm[2];
};

static void block_part(void *arg, int part)
{
    struct block_job *j = arg;
    size_t lo, hi, alloc = 0;
    par_range(j->npop, part, &lo, &hi);
    struct cand *bm = NULL;
    size_t nbm = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&j->pop[i], false, k);
        for (int b = 0; b < nk; b++) {
            uint32_t *blk = u64map_find(j->want, k[b]);
            if (blk) {
                ALLOC_GROW(bm, nbm + 1, alloc);
                bm[nbm++] = (struct cand){*blk, (uint32_t)i};
            }
        }
        j->name_hash[i] = hash_str(j->pop[i].name);
    }
    j->bm[part] = bm;
    j->nbm[part] = nbm;
}

/* Term frequencies over part of the register: how many children carry each wanted name. */
struct tf_job {
    const struct u64map *names;
    const uint64_t *name_hash;
    size_t npop;
    uint32_t *count[2]; /* per slot of names */
};

static void tf_part(void *arg, int part)
{
    struct tf_job *j = arg;
    size_t lo, hi;
    par_range(j->npop, part, &lo, &hi);
    uint32_t *count = xcalloc(j->names->cap ? j->names->cap : 1, sizeof(*count));
    for (size_t i = lo; i < hi; i++) {
        uint32_t *n = u64map_find(j->names, j->name_hash[i]);
        if (n)
            count[n - j->names->vals]++;
    }
    j->count[part] = count;
}

int linker_run(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth, size_t noth,
               const struct lk_params *params, lk_decided_fn decided, void *decided_ctx,
               struct lk_result *res)
{
    memset(res, 0, sizeof(*res));
    res->match = xmalloc((noth ? noth : 1) * sizeof(*res->match));
    res->method = xcalloc(noth ? noth : 1, sizeof(*res->method));
    res->score = xcalloc(noth ? noth : 1, sizeof(*res->score));
    for (size_t i = 0; i < noth; i++)
        res->match[i] = -1;

    /* Stage 0: exact IDs. `exact` holds the sole register child with the record's ID. */
    struct pop_ids ix;
    pop_ids_build(&ix, pop, npop, params->parallel_min);
    struct exact_job ej = {pop,
                           oth,
                           noth,
                           &ix,
                           xmalloc((noth ? noth : 1) * sizeof(int32_t)),
                           xcalloc(noth ? noth : 1, 1)};
    int32_t *exact = ej.exact;
    uint8_t *pending = ej.pending; /* 1: unlinked, 2: exact but doubtful */
    par2(exact_part, &ej, noth, params->parallel_min);
    /*
     * A record with one twin's ID and a name that sounds like it but is written as the other
     * twin's: the other twin's ID copied from the wrong line, or this twin's name misspelt into
     * the other's. A child has one 在读 record: when the other twin holds one of their own, the
     * name was misspelt (the link stands) — also when that record is as doubtful, the twins'
     * names swapped on both — otherwise a clerk decides.
     */
    struct lk_typo_stats ts = {0, 0, 0, 0};
    uint8_t *linked = xcalloc(npop ? npop : 1, 1); /* children holding an exact-ID record */
    for (size_t i = 0; i < noth; i++)
        if (exact[i] >= 0 && (!pending[i] || pending[i] == 3))
            linked[exact[i]] = 1;
    for (size_t i = 0; i < noth; i++) {
        if (pending[i] < 2)
            continue;
        struct name_info a, b;
        const char *pn = pop[exact[i]].name;
        name_info_make(&a, pn, strlen(pn));
        name_info_make(&b, oth[i].name, strlen(oth[i].name));
        int level = a.n && b.n ? (int)name_compare(&a, &b) : NAME_EXACT;
        int32_t sib = sibling_named(&ej, (uint32_t)exact[i], &b, level);
        /* how often a record carries a sibling's ID, for the model */
        ts.copies += sib >= 0 && !linked[sib];
        if (pending[i] == 3)
            pending[i] = sib >= 0 && !linked[sib] ? 2 : 0;
    }
    /* the records decided now hold their children; the doubtful ones do not */
    for (size_t i = 0; i < noth; i++)
        if (exact[i] >= 0 && pending[i] == 2)
            linked[exact[i]] = 0;
    for (size_t i = 0; i < noth; i++)
        if (exact[i] >= 0 && !pending[i])
            linked[exact[i]] = 1;
    for (size_t i = 0; i < noth; i++)
        if (exact[i] >= 0 && !pending[i])
            link_other(res, (uint32_t)i, exact[i], LKM_ID_EXACT, 0);
    enum { MAX_SAME_ID = 16 };
    uint32_t found[MAX_SAME_ID];

    /* Candidates for every pending record: ID neighbours, then blocks. */
    struct cand *cands = NULL;
    size_t ncands = 0, cands_alloc = 0;
    char id[19], alt[19];
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i] || !oth[i].key)
            continue;
        id_unpack(oth[i].key, id);
        /* The check digit catches every single substitution and neighbour swap, so a valid ID
         * has no valid neighbours: only a failed check is worth the search (an ID read as a
         * number's may be a real one ending in 000 with a slip). */
        size_t before = ncands;
        bool search = oth[i].id_state == LK_ID_BAD_CHECK || oth[i].id_state == LK_ID_TRUNCATED;
        for (int pos = 0; pos < 18 && search; pos++) {
            for (const char *c = "0123456789X"; *c; c++) {
                if (*c == id[pos] || (*c == 'X' && pos != 17))
                    continue;
                memcpy(alt, id, 19);
                alt[pos] = *c;
                if (!id_is_valid(alt))
                    continue;
                size_t n = pop_ids_find(&ix, id_pack(alt), found, MAX_SAME_ID);
                for (size_t k = 0; k < n; k++) {
                    ALLOC_GROW(cands, ncands + 1, cands_alloc);
                    cands[ncands++] = (struct cand){(uint32_t)i, found[k]};
                }
            }
            if (pos < 17 && id[pos] != id[pos + 1]) {
                memcpy(alt, id, 19);
                alt[pos] = id[pos + 1];
                alt[pos + 1] = id[pos];
                if (id_is_valid(alt)) {
                    size_t n = pop_ids_find(&ix, id_pack(alt), found, MAX_SAME_ID);
                    for (size_t k = 0; k < n; k++) {
                        ALLOC_GROW(cands, ncands + 1, cands_alloc);
                        cands[ncands++] = (struct cand){(uint32_t)i, found[k]};
                    }
                }
            }
        }
        ts.found += ncands > before && oth[i].id_state == LK_ID_BAD_CHECK;
        if (ncands == before + 1 && oth[i].id_state == LK_ID_BAD_CHECK) {
            /* one child one slip away: most likely the record's own; where the slip fell tells
             * the model how often slips hit the birth digits */
            char c[19];
            id_unpack(pop[cands[before].pop].key, c);
            bool in_birth = false;
            for (int k = 6; k <= 13; k++)
                in_birth |= c[k] != id[k];
            if (in_birth)
                ts.birth++;
            else
                ts.rest++;
        }
        /* the register's children with the very same ID (duplicates, or the doubtful one) */
        size_t n = pop_ids_find(&ix, oth[i].key, found, MAX_SAME_ID);
        for (size_t k = 0; k < n; k++) {
            ALLOC_GROW(cands, ncands + 1, cands_alloc);
            cands[ncands++] = (struct cand){(uint32_t)i, found[k]};
        }
    }

    lk_model_estimate(pop, npop, oth, noth, exact, &ts, params->seed, &res->model);

    /* Blocks: only the keys pending records need are collected from the register. */
    struct u64map want = {0};
    uint32_t nblocks = 0;
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i])
            continue;
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&oth[i], true, k);
        for (int j = 0; j < nk; j++)
            u64map_slot(&want, k[j], nblocks), nblocks = (uint32_t)want.n;
    }
    /* Members of each wanted block, as a CSR array: one pass over the register collects
     * (block, child) pairs, a counting sort groups them. */
    struct block_job bj = {
        pop, npop, &want, xmalloc((npop ? npop : 1) * sizeof(uint64_t)), {NULL, NULL}, {0, 0}};
    par2(block_part, &bj, npop, params->parallel_min);
    uint64_t *name_hash = bj.name_hash;
    size_t nbm = bj.nbm[0] + bj.nbm[1];
    uint32_t *bstart = xcalloc((size_t)nblocks + 1, sizeof(uint32_t));
    for (int t = 0; t < 2; t++)
        for (size_t m = 0; m < bj.nbm[t]; m++)
            bstart[bj.bm[t][m].other + 1]++;
    for (uint32_t bi = 0; bi < nblocks; bi++)
        bstart[bi + 1] += bstart[bi];
    uint32_t *bfill = xmalloc(((size_t)nblocks + 1) * sizeof(uint32_t));
    memcpy(bfill, bstart, ((size_t)nblocks + 1) * sizeof(uint32_t));
    uint32_t *bmember = xmalloc((nbm + 1) * sizeof(uint32_t));
    /* part 0 holds the lower register indexes: members stay in register order */
    for (int t = 0; t < 2; t++) {
        for (size_t m = 0; m < bj.nbm[t]; m++)
            bmember[bfill[bj.bm[t][m].other]++] = bj.bm[t][m].pop;
        free(bj.bm[t]);
    }
    free(bfill);
    /* A block this large says nothing (a very common name across a year): cap the work. */
    enum { BLOCK_CAP = 500 };
    for (size_t i = 0; i < noth; i++) {
        if (!pending[i])
            continue;
        uint64_t k[BLOCK_KEYS];
        int nk = block_keys(&oth[i], true, k);
        /* A record with a valid ID that names nobody can never be accepted for a child with
         * another valid ID (two valid IDs far apart are two people): such pairs are not worth
         * scoring. A doubtful exact ID still meets everyone: the twin must be found; so does
         * one ending in 000, which may be a number's fifteen digits. */
        bool valid = oth[i].id_state == LK_ID_VALID && pending[i] == 1 && !ends_000(oth[i].key);
        for (int j = 0; j < nk; j++) {
            uint32_t blk = *u64map_find(&want, k[j]);
            uint32_t size = bstart[blk + 1] - bstart[blk];
            if (size > BLOCK_CAP)
                continue;
            for (uint32_t m = bstart[blk]; m < bstart[blk + 1]; m++) {
                if (valid && pop[bmember[m]].id_state == LK_ID_VALID)
                    continue;
                ALLOC_GROW(cands, ncands + 1, cands_alloc);
                cands[ncands++] = (struct cand){(uint32_t)i, bmember[m]};
            }
        }
    }
    free(bstart);
    free(bmember);
    u64map_release(&want);
    if (ncands)
        qsort(cands, ncands, sizeof(*cands), cmp_cand);

    /* Term frequencies of the candidates' names, counted over the whole register. */
    struct tf tf = {{0}, npop};
    for (size_t c = 0; c < ncands; c++)
        u64map_slot(&tf.counts, name_hash[cands[c].pop], 0);
    {
        /* each core counts its half of the register into counts of its own, by slot */
        struct tf_job tj = {&tf.counts, name_hash, npop, {NULL, NULL}};
        par2(tf_part, &tj, npop, params->parallel_min);
        for (size_t k = 0; k < tf.counts.cap; k++)
            tf.counts.vals[k] = tj.count[0][k] + tj.count[1][k];
        free(tj.count[0]);
        free(tj.count[1]);
    }
    free(name_hash);

    /*
     * Score and decide, one pending record at a time, on both cores: the candidates are split
     * at a record boundary; each half writes its own records' matches and keeps its own pairs,
     * which are joined in order afterwards, so the result does not depend on the threads.
     */
    struct score_job jobs[2];
    size_t mid = ncands / 2;
    while (mid > 0 && mid < ncands && cands[mid].other == cands[mid - 1].other)
        mid++;
    for (int t = 0; t < 2; t++) {
        jobs[t] = (struct score_job){pop,   oth,    params,      decided,          decided_ctx,
                                     &tf,   cands,  t ? mid : 0, t ? ncands : mid, pending,
                                     exact, linked, {0}};
        jobs[t].res.match = res->match;
        jobs[t].res.method = res->method;
        jobs[t].res.score = res->score;
        jobs[t].res.model = res->model;
    }
    pthread_t th;
    bool threaded =
        ncands >= params->parallel_min && pthread_create(&th, NULL, score_range, &jobs[1]) == 0;
    score_range(&jobs[0]);
    if (threaded)
        pthread_join(th, NULL);
    else
        score_range(&jobs[1]);
    for (int t = 0; t < 2; t++) {
        for (size_t k = 0; k < jobs[t].res.npairs; k++)
            add_pair(res, &jobs[t].res.pairs[k]);
        free(jobs[t].res.pairs);
        for (int m = 0; m < 5; m++)
            res->counts[m] += jobs[t].res.counts[m];
        res->review += jobs[t].res.review;
    }
    free(cands);
    u64map_release(&tf.counts);
    free(pending);
    free(exact);
    free(linked);
    pop_ids_release(&ix);
    return 0;
}

void lk_result_release(struct lk_result *res)
{
    free(res->match);
    free(res->method);
    free(res->score);
    free(res->pairs);
    memset(res, 0, sizeof(*res));
}
