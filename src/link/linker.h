#ifndef BAOXUE_LINKER_H
#define BAOXUE_LINKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link/name.h"

/*
 * Record linkage of the population register against school records (学籍 and 外出就读), in
 * memory, in four stages:
 *
 *   0. exact ID: the normalised ID links most records; an exact link is only held back (sent to
 *      review) when the name disagrees and a better-named child shares the birth date and
 *      surname (a twin), or the name disagrees entirely;
 *   1. ID typo: a record whose ID failed its check digit (or names nobody) is compared with the
 *      children whose IDs are one substitution or one neighbour swap away;
 *   2. blocking: records still unlinked are compared with the children sharing their birth date
 *      and surname, birth date and sex, or folded name and birth year;
 *   3. scoring and assignment: Fellegi–Sunter weights per field level, with m estimated from
 *      exact-ID pairs and u from random pairs of this very data; each record goes to its best
 *      child only when that child is clearly better than the second best; three bands: accept,
 *      review, reject.
 *
 * A record never links to two children. A child may hold several records (a transfer leaves an
 * old 转出 record and a new 在读 one).
 */

enum lk_field { LK_ID, LK_NAME, LK_BIRTH, LK_SEX, LK__FIELDS };

enum lk_id_level { LKI_EXACT, LKI_TYPO, LKI_DIFFERENT, LKI_MISSING, LKI__LEVELS };
enum lk_birth_level { LKB_EXACT, LKB_CLOSE, LKB_DIFFERENT, LKB_MISSING, LKB__LEVELS };
enum lk_sex_level { LKS_AGREE, LKS_DIFFERENT, LKS_MISSING, LKS__LEVELS };

#define LK_MAX_LEVELS 8

enum lk_id_state { LK_ID_NONE, LK_ID_VALID, LK_ID_BAD_CHECK };

/* One record as the linker sees it. `name` points into the caller's arena. */
struct lk_rec {
    int64_t rec_id;
    uint64_t key;     /* id_pack() of the normalised ID, 0 when none */
    const char *name; /* normalised name (NUL-terminated), "" when none */
    int32_t birth;    /* yyyymmdd, 0 when unknown */
    uint8_t sex;      /* 1, 2, 0 unknown */
    uint8_t id_state; /* enum lk_id_state */
    uint8_t kind;     /* caller's tag (学籍 / 外出) */
};

enum lk_method {
    LKM_NONE,
    LKM_ID_EXACT,
    LKM_ID_TYPO,
    LKM_FUZZY,
    LKM_REVIEWED, /* a clerk accepted the pair */
};

enum lk_decision { LKD_ACCEPT, LKD_REVIEW, LKD_REJECT };

/* Thresholds in bits (log2 likelihood ratios); settings link_accept, link_review, link_margin. */
struct lk_params {
    double accept;       /* total weight at or above which a pair may be accepted */
    double review;       /* total weight at or above which a pair goes to clerical review */
    double margin;       /* the best child must beat the second best by this much */
    uint64_t seed;       /* random pair sampling for u (deterministic) */
    size_t parallel_min; /* two threads from this many records (or candidate pairs) on */
};

/* The bands' defaults (settings link_accept, link_review, link_margin; docs/linkage.md). */
#define LK_ACCEPT_DEFAULT 12.0
#define LK_REVIEW_DEFAULT 6.0
#define LK_MARGIN_DEFAULT 6.0

/* clang-format off */
#define LK_PARAMS_DEFAULT {LK_ACCEPT_DEFAULT, LK_REVIEW_DEFAULT, LK_MARGIN_DEFAULT, \
                           0x9E3779B97F4A7C15ull, 10000}
/* clang-format on */

/* The estimated model: per field and level, m, u and the weight log2(m/u). */
struct lk_model {
    double m[LK__FIELDS][LK_MAX_LEVELS];
    double u[LK__FIELDS][LK_MAX_LEVELS];
    double w[LK__FIELDS][LK_MAX_LEVELS];
    long m_pairs, u_pairs; /* how many pairs each estimate rests on */
};

/* A scored pair, kept for explanation and review. */
struct lk_pair {
    uint32_t pop, other;
    uint8_t level[LK__FIELDS];
    double weight[LK__FIELDS];
    double total;
    double second;    /* the second best total for this record (or -inf) */
    uint8_t decision; /* enum lk_decision */
    uint8_t reason;   /* enum lk_reason */
};

enum lk_reason {
    LKR_ACCEPTED,            /* above the accept threshold and clearly better than the second */
    LKR_TYPO_ACCEPTED,       /* ID one typo away, name, birth date and sex agree */
    LKR_EXACT_KEPT,          /* exact ID, name good enough */
    LKR_CLOSE_SECOND,        /* good, but another child is nearly as good */
    LKR_BELOW_ACCEPT,        /* between the review and accept thresholds */
    LKR_BELOW_REVIEW,        /* too weak */
    LKR_IDS_DISAGREE,        /* both IDs valid and far apart: two different people */
    LKR_EXACT_NAME_CONFLICT, /* exact ID but the name belongs to another child / disagrees */
    LKR_TAKEN,               /* this record went to another child */
    LKR_DECIDED_ACCEPT,      /* a clerk's earlier decision */
    LKR_DECIDED_REJECT,
};

struct lk_result {
    int32_t *match;        /* per other record: population index, or -1 */
    uint8_t *method;       /* per other record: enum lk_method */
    float *score;          /* per other record: total weight of the accepted pair */
    struct lk_pair *pairs; /* per scored record, together and best first: the best, the
                              runner-up and any in review */
    size_t npairs, pairs_alloc;
    struct lk_model model;
    long counts[5]; /* links by method */
    long review;    /* records waiting in the review band */
};

/*
 * Optional: a clerk's earlier decision on a pair, looked up by the caller (by a key that
 * survives snapshots). Return 1 accept, -1 reject, 0 none. Called from two threads at once:
 * it must only read shared state.
 */
typedef int (*lk_decided_fn)(void *ctx, uint32_t pop, uint32_t other);

int linker_run(const struct lk_rec *pop, size_t npop, const struct lk_rec *other, size_t nother,
               const struct lk_params *params, lk_decided_fn decided, void *decided_ctx,
               struct lk_result *res);
void lk_result_release(struct lk_result *res);

/* Levels of one pair (for explain), with the model's weights. */
void linker_compare(const struct lk_model *model, const struct lk_rec *p, const struct lk_rec *o,
                    const struct name_info *pn, const struct name_info *on, double name_tf_u,
                    struct lk_pair *out);

const char *lk_field_label(enum lk_field f);            /* "身份证号" */
const char *lk_level_key(enum lk_field f, int level);   /* "typo" */
const char *lk_level_label(enum lk_field f, int level); /* "相差一位（录入错误）" */
int lk_levels(enum lk_field f);
const char *lk_method_key(enum lk_method m);   /* "id_typo" */
const char *lk_method_label(enum lk_method m); /* "身份证号录错一位" */
const char *lk_reason_label(enum lk_reason r);
const char *lk_decision_key(enum lk_decision d); /* "review" */

/* True when two 18-character IDs are one substitution or one neighbour swap apart. */
bool id_one_typo(const char *a, const char *b);

#endif
