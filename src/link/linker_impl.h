#ifndef BAOXUE_LINKER_IMPL_H
#define BAOXUE_LINKER_IMPL_H

#include "link/idindex.h"
#include "link/linker.h"

/*
 * What the files of the linker share (linker.h says what it does, stage by stage):
 *
 *   linker.c        the run: stage 0 (exact IDs, a twin's ID copied from the wrong line),
 *                   stage 1 (the children an ID typo away), the stages in order, the result
 *   linker_index.c  the tools the stages share: a hash map of 64-bit keys, work split over
 *                   two cores, the register's IDs (with its rare duplicated IDs)
 *   linker_block.c  stage 2: the blocks a record is compared within, collected from the register
 *   linker_score.c  stage 3: term frequencies, each candidate pair scored, the best child per
 *                   record chosen with its margin, the bands and every pair's reason
 */

/* ---- linker_index.c ---- */

/* A small open-addressing hash map: 64-bit key -> 32-bit value. */
struct u64map {
    uint64_t *keys; /* 0 = empty; callers never use key 0 */
    uint32_t *vals;
    size_t cap, n;
};

/* The slot of `key`, inserting it with value `def` when absent. */
uint32_t *u64map_slot(struct u64map *m, uint64_t key, uint32_t def);
uint32_t *u64map_find(const struct u64map *m, uint64_t key);
void u64map_release(struct u64map *m);
/* FNV-1a of a string, never 0. */
uint64_t linker_hash_str(const char *s);

/*
 * Run fn(ctx, part, 0 or 1) on two threads when there are `n` >= `min` items worth it, else
 * both parts on this one. Every use splits its work so that the result does not depend on
 * whether the parts ran at the same time.
 */
void linker_par2(void (*fn)(void *ctx, int part), void *ctx, size_t n, size_t min);
/* [lo, hi) of part 0 or 1 of n items */
void linker_par_range(size_t n, int part, size_t *lo, size_t *hi);

/* The register's IDs: a hash map, with the rare duplicated IDs in a sorted side index. */
#define POP_DUP UINT32_MAX

/* Two halves by one bit of the key's hash, each built by a core of its own. */
struct pop_ids {
    struct u64map map[2];    /* key -> register index, or POP_DUP */
    struct id_index dups[2]; /* every (key, index) of a duplicated key */
    const struct lk_rec *pop;
    size_t npop;
};

void pop_ids_build(struct pop_ids *pi, const struct lk_rec *pop, size_t npop, size_t parallel_min);
/* The register children with `key`: their count, and the indexes in out[0..max). */
size_t pop_ids_find(const struct pop_ids *pi, uint64_t key, uint32_t *out, size_t max);
void pop_ids_release(struct pop_ids *pi);

/* ---- candidates ---- */

/* A pair to score: a school record and a register child. */
struct cand {
    uint32_t other, pop;
};

/* ---- linker_block.c ---- */

/*
 * Stage 2: append to *cands (n of alloc) the register children in the blocks of every record
 * still pending (pending[i] != 0), leaving out blocks too large to say anything. Returns each
 * register child's name hash (linker_hash_str, npop entries, the caller frees it), which the
 * term frequencies count.
 */
uint64_t *linker_block(const struct lk_rec *pop, size_t npop, const struct lk_rec *oth, size_t noth,
                       const uint8_t *pending, size_t parallel_min, struct cand **cands,
                       size_t *ncands, size_t *cands_alloc);

/* ---- linker_score.c ---- */

/* Whether a name level counts as the same name: the same, a variant or the same pinyin. */
bool linker_name_agrees(int level);
/* Link school record `other` to register child `pop` by method m. */
void linker_link_other(struct lk_result *res, uint32_t other, int32_t pop, enum lk_method m,
                       double score);

/* Name counts of the register, for term-frequency weights of exactly agreeing names. */
struct tf {
    struct u64map counts;
    size_t npop;
};

/* The term frequencies of the candidates' names (cands[0..ncands)), counted over the whole
 * register from its children's name hashes; tf->counts released by the caller. */
void linker_tf_count(struct tf *tf, const struct cand *cands, size_t ncands,
                     const uint64_t *name_hash, size_t npop, size_t parallel_min);
/*
 * Stage 3: score and decide every record among cands (sorted by record, then child), on two
 * cores: matches, methods and scores into res's arrays, the pairs kept and the counts added.
 * `exact` is each record's sole child by ID (-1), `pending` 2 where that link is doubtful,
 * `linked` which children hold an exact-ID record.
 */
void linker_score(const struct lk_rec *pop, const struct lk_rec *oth,
                  const struct lk_params *params, lk_decided_fn decided, void *decided_ctx,
                  const struct tf *tf, const struct cand *cands, size_t ncands,
                  const uint8_t *pending, const int32_t *exact, const uint8_t *linked,
                  struct lk_result *res);

#endif
