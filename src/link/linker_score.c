/*
 * The linker's stage 3, scoring and assignment: each candidate pair compared field by field
 * (link/levels.c) with the names' term frequencies; per record the best child, measured against
 * the runner-up and a pupil registered elsewhere, a clerk's earlier decision applied, the twin
 * whose name the record bears preferred to the ID's child; the accept/review/reject bands and
 * every pair's reason; run on two cores split at a record boundary.
 */
#include "link/linker_impl.h"

#include <math.h>
#include <pthread.h>

#include "util/common.h"

bool linker_name_agrees(int level)
{
    return level <= NAME_PINYIN;
}

static void add_pair(struct lk_result *res, const struct lk_pair *p)
{
    ALLOC_GROW(res->pairs, res->npairs + 1, res->pairs_alloc);
    res->pairs[res->npairs++] = *p;
}

void linker_link_other(struct lk_result *res, uint32_t other, int32_t pop, enum lk_method m,
                       double score)
{
    res->match[other] = pop;
    res->method[other] = (uint8_t)m;
    res->score[other] = (float)score;
    res->counts[m]++;
}

static double tf_u(const struct tf *tf, const char *name)
{
    uint32_t *c = u64map_find(&tf->counts, linker_hash_str(name));
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
    pr->holds = d == LKD_REVIEW && linker_name_agrees(pr->level[LK_NAME]) &&
                lk_at_least(pr->total, pr->outsider);
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
            linker_link_other(res, oi, (int32_t)bp->pop, LKM_ID_EXACT, bp->total);
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
    else if (typo && !(linker_name_agrees(bp->level[LK_NAME]) &&
                       (bp->level[LK_BIRTH] == LKB_EXACT || bp->level[LK_BIRTH] == LKB_MISSING)))
        /* a mistyped ID is only trusted when name, birth date and sex all agree */
        why = LKR_TYPO_UNCONFIRMED;
    else {
        enum lk_method method = typo ? LKM_ID_TYPO : idl == LKI_EXACT ? LKM_ID_EXACT : LKM_FUZZY;
        /* LKM_ID_EXACT here: the register lists this ID twice and the rest decided */
        set(bp, LKD_ACCEPT, typo ? LKR_TYPO_ACCEPTED : LKR_ACCEPTED);
        linker_link_other(res, oi, (int32_t)bp->pop, method, bp->total);
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
            !linker_name_agrees(q->level[LK_NAME]) || q->level[LK_BIRTH] != LKB_EXACT ||
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
            linker_link_other(res, oi, (int32_t)bp->pop, LKM_REVIEWED, bp->total);
        } else if (nc >= 0 && bp->level[LK_SEX] == LKS_AGREE &&
                   scored[ei].level[LK_SEX] == LKS_DIFFERENT) {
            /* twins of different sex: the record's own 性别 column names the name's twin too,
             * against the sex digit of the ID: two fields against one copied ID */
            set(bp, LKD_ACCEPT, LKR_NAME_SEX_OTHER_ID);
            linker_link_other(res, oi, (int32_t)bp->pop, LKM_FUZZY, bp->total);
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
            if (nc >= 0 && k == ei && bp->decision == LKD_ACCEPT) {
                set(q, LKD_REJECT, LKR_TAKEN);
            } else if (nc >= 0 && k == ei) {
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
    linker_par_range(j->npop, part, &lo, &hi);
    uint32_t *count = xcalloc(j->names->cap ? j->names->cap : 1, sizeof(*count));
    for (size_t i = lo; i < hi; i++) {
        uint32_t *n = u64map_find(j->names, j->name_hash[i]);
        if (n)
            count[n - j->names->vals]++;
    }
    j->count[part] = count;
}

void linker_tf_count(struct tf *tf, const struct cand *cands, size_t ncands,
                     const uint64_t *name_hash, size_t npop, size_t parallel_min)
{
    *tf = (struct tf){{0}, npop};
    for (size_t c = 0; c < ncands; c++)
        u64map_slot(&tf->counts, name_hash[cands[c].pop], 0);
    {
        /* each core counts its half of the register into counts of its own, by slot */
        struct tf_job tj = {&tf->counts, name_hash, npop, {NULL, NULL}};
        linker_par2(tf_part, &tj, npop, parallel_min);
        for (size_t k = 0; k < tf->counts.cap; k++)
            tf->counts.vals[k] = tj.count[0][k] + tj.count[1][k];
        free(tj.count[0]);
        free(tj.count[1]);
    }
}

void linker_score(const struct lk_rec *pop, const struct lk_rec *oth,
                  const struct lk_params *params, lk_decided_fn decided, void *decided_ctx,
                  const struct tf *tf, const struct cand *cands, size_t ncands,
                  const uint8_t *pending, const int32_t *exact, const uint8_t *linked,
                  struct lk_result *res)
{
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
                                     tf,    cands,  t ? mid : 0, t ? ncands : mid, pending,
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
}
