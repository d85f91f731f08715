/*
 * The linker: exact ID, ID typos, blocking, Fellegi–Sunter scoring with m/u estimated from the
 * data, one-to-one assignment with a margin, three bands. See linker.h for the stages. This
 * file holds the run, its stages 0 (exact IDs) and 1 (ID typos), and the order of the stages;
 * linker_impl.h lists the files of the others.
 */
#include "link/linker_impl.h"

#include "core/idcard.h"
#include "link/weights.h"
#include "util/common.h"

static int cmp_cand(const void *x, const void *y)
{
    const struct cand *a = x, *b = y;
    if (a->other != b->other)
        return a->other < b->other ? -1 : 1;
    return a->pop < b->pop ? -1 : a->pop > b->pop;
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
    linker_par_range(j->noth, part, &lo, &hi);
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
                agree = linker_name_agrees(level);
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
    linker_par2(exact_part, &ej, noth, params->parallel_min);
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
            linker_link_other(res, (uint32_t)i, exact[i], LKM_ID_EXACT, 0);
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

    /* Stage 2: blocks. */
    uint64_t *name_hash = linker_block(pop, npop, oth, noth, pending, params->parallel_min, &cands,
                                       &ncands, &cands_alloc);
    if (ncands)
        qsort(cands, ncands, sizeof(*cands), cmp_cand);

    /* Stage 3: term frequencies of the candidates' names, counted over the whole register,
     * then scoring and assignment. */
    struct tf tf;
    linker_tf_count(&tf, cands, ncands, name_hash, npop, params->parallel_min);
    free(name_hash);
    linker_score(pop, oth, params, decided, decided_ctx, &tf, cands, ncands, pending, exact, linked,
                 res);
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
