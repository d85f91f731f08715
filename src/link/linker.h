#ifndef BAOXUE_LINKER_H
#define BAOXUE_LINKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "link/name.h"
#include "util/buf.h"

/*
 * Record linkage of the population register against school records (学籍 and 外出就读), in
 * memory, in four stages:
 *
 *   0. exact ID: the normalised ID links most records; an exact link is only held back (scored)
 *      when the name disagrees, or only sounds alike while a twin (born the same day, the
 *      neighbouring number, no record of their own) bears it exactly;
 *   1. ID typo: a record whose ID failed its check digit (or was stored as a number) is
 *      compared with the children whose IDs are one substitution or one neighbour swap away;
 *   2. blocking: records still unlinked are compared with the children sharing their birth date
 *      and surname, their folded name and birth year, or their pinyin name and birth year;
 *   3. scoring and assignment: Fellegi–Sunter weights per field level (link/levels.c), with m
 *      and u estimated from this very data (link/weights.c); each record goes to its best child
 *      only when that child is clearly likelier than the second best and than a pupil registered
 *      elsewhere; three bands: accept, review, reject; every pair's reason recorded
 *      (link/reasons.c writes it out).
 *
 * A record never links to two children. A child may hold several records (a transfer leaves an
 * old 转出 record and a new 在读 one). docs/linkage.md explains every rule.
 */

enum lk_field { LK_ID, LK_NAME, LK_BIRTH, LK_SEX, LK__FIELDS };

/*
 * The ID compared as two parts: the eight birth-date digits, which the birth date field already
 * compares, and the rest (region, sequence number, check character), which is what tells two
 * children born the same day apart (docs/linkage.md).
 */
enum lk_id_level {
    LKI_EXACT,      /* the whole ID */
    LKI_BIRTH_TYPO, /* one typing slip that touches the birth digits; the rest is the same */
    LKI_NEAR,       /* the birth digits the same, the rest one character apart (a slip in the
                       sequence or check digits), or one digit apart with its check character
                       (a child born the same day with the neighbouring sequence number) */
    LKI_PARTIAL,    /* an ID stored as a number lost its last three digits; the first fifteen
                       agree (the fifteenth rounded) */
    LKI_DIFFERENT,
    LKI_MISSING,
    LKI__LEVELS
};
enum lk_birth_level { LKB_EXACT, LKB_CLOSE, LKB_DIFFERENT, LKB_MISSING, LKB__LEVELS };
enum lk_sex_level { LKS_AGREE, LKS_DIFFERENT, LKS_MISSING, LKS__LEVELS };

#define LK_MAX_LEVELS 8

enum lk_id_state {
    LK_ID_NONE,
    LK_ID_VALID,
    LK_ID_BAD_CHECK, /* mistyped, malformed or an impossible birth date */
    LK_ID_TRUNCATED, /* stored as a number: the last three digits lost (ID_PRECISION_LOST) */
};

/* The state of an ID from its normalised text being present and its enum id_flag bits. */
uint8_t lk_id_state(bool has_id, int id_flags);

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

#define LK_ID_STATES 4

/*
 * The estimated model: per field and level, m (how often the same child shows the level), u
 * (how often two different children do) and the weight log2(m/u). Two u: `u` from random pairs,
 * used when the birth dates differ or one is missing, and `u_same` from pairs of different
 * children born the same day, used for the other fields when the birth dates agree — twins and
 * children born the same day share the birth digits of their IDs, their IDs are a digit or two
 * apart and their names often alike, so agreement there says less than between strangers.
 *
 * The ID's levels mean different things for a valid ID, a mistyped one and one stored as a
 * number (one slip from a child is a mistake's trace for a mistyped ID, and a sibling's number
 * for a valid one): its tables are per state of the record's ID, id_*[enum lk_id_state][level]
 * (the [LK_ID] rows of the others stay unused).
 *
 * `outsider`: how a pair must score to be likelier than "the record belongs to no child of this
 * register" (a pupil registered elsewhere, 随迁): log2(n × p / (1 − p)) for a register of n
 * children and a share p of records whose valid ID names nobody in it.
 */
struct lk_model {
    double m[LK__FIELDS][LK_MAX_LEVELS];
    double u[LK__FIELDS][LK_MAX_LEVELS];
    double w[LK__FIELDS][LK_MAX_LEVELS];
    double u_same[LK__FIELDS][LK_MAX_LEVELS];
    double w_same[LK__FIELDS][LK_MAX_LEVELS];
    double id_m[LK_ID_STATES][LK_MAX_LEVELS];
    double id_u[LK_ID_STATES][LK_MAX_LEVELS];
    double id_w[LK_ID_STATES][LK_MAX_LEVELS];
    double id_u_same[LK_ID_STATES][LK_MAX_LEVELS];
    double id_w_same[LK_ID_STATES][LK_MAX_LEVELS];
    double outside_share, outsider;
    long m_pairs, u_pairs, same_pairs; /* how many pairs each estimate rests on */
};

const char *lk_id_state_key(enum lk_id_state s);   /* "bad_check" */
const char *lk_id_state_label(enum lk_id_state s); /* "校验位不对（录错）" */

/* Why a scored pair ended as it did: the explanation is written from this and the numbers. */
enum lk_reason {
    LKR_EXACT,             /* exact ID, the name agrees: linked before any scoring */
    LKR_ACCEPTED,          /* at least the accept line and ahead of the runner-up by the margin */
    LKR_TYPO_ACCEPTED,     /* the same, with an ID one slip away and name, birth, sex agreeing */
    LKR_EXACT_KEPT,        /* exact ID, the name a slip away and no other child fits better */
    LKR_BELOW_REVIEW,      /* below the review line */
    LKR_BELOW_ACCEPT,      /* between the review and accept lines */
    LKR_CLOSE_SECOND,      /* at least the accept line, but the runner-up within the margin */
    LKR_IDS_DISAGREE,      /* both IDs valid and different: two people */
    LKR_BIRTH_CONTRADICTS, /* would be accepted, but the birth dates differ */
    LKR_SEX_CONTRADICTS,   /* would be accepted, but the sexes differ */
    LKR_TYPO_UNCONFIRMED,  /* would be accepted on an ID one slip away, but name, birth date
                              and sex do not all agree */
    LKR_EXACT_NAME_DIFFERENT, /* exact ID, the name disagrees, no other child fits better */
    LKR_EXACT_NAME_CONFLICT,  /* exact ID of this child, but the name is another child's */
    LKR_NAME_OTHER_ID,        /* the name (and birth date) are this child's, the ID another's */
    LKR_NAME_SEX_OTHER_ID,    /* name, birth date and the record's sex are this child's, the ID
                                 another's of the other sex: accepted */
    LKR_OUTSIDER_CLOSE,       /* at least the accept line, but not clearly likelier than a pupil
                                 registered elsewhere (model.outsider) */
    LKR_TAKEN,                /* the record went to the best child */
    LKR_OUTRANKED,            /* another child scored higher by at least the margin */
    LKR_NEAR_RUNNER_UP,       /* within the margin of a best pair that waits: waits too */
    LKR_DECIDED_ACCEPT,       /* a clerk's earlier decision */
    LKR_DECIDED_REJECT,
    LKR__COUNT
};

/* A scored pair, kept for explanation and review. */
struct lk_pair {
    uint32_t pop, other;
    uint8_t level[LK__FIELDS];
    double weight[LK__FIELDS]; /* rounded to 0.1, as shown */
    double total;              /* the sum of the shown weights */
    double second;    /* for the best pair the runner-up's total, for the others the best's (or
                         -inf when there is none) */
    double outsider;  /* the model's outsider line the pair was measured against */
    uint8_t id_state; /* whose ID state weighed the ID (enum lk_id_state) */
    uint8_t same_day; /* the birth dates agree: ID, name and sex weighed by u_same */
    uint8_t decision; /* enum lk_decision */
    uint8_t reason;   /* enum lk_reason */
    uint8_t holds;    /* in review and the record is at least as likely this child's as anyone's:
                         the child waits for the clerk instead of being listed */
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

/* Levels of one pair with the model's weights (link/levels.c); name_tf_u is the share of the
 * register carrying the child's name (0: no term frequency). */
void linker_compare(const struct lk_model *model, const struct lk_rec *p, const struct lk_rec *o,
                    const struct name_info *pn, const struct name_info *on, double name_tf_u,
                    struct lk_pair *out);

const char *lk_field_label(enum lk_field f);          /* "身份证号" */
const char *lk_level_key(enum lk_field f, int level); /* "near" */
const char *lk_level_label(enum lk_field f, int level); /* "出生日期段相同，其余差一位" */
int lk_level_from_key(enum lk_field f, const char *key); /* -1 when unknown */
int lk_levels(enum lk_field f);
const char *lk_method_key(enum lk_method m);     /* "id_typo" */
const char *lk_method_label(enum lk_method m);   /* "身份证号录错一位" */
const char *lk_decision_key(enum lk_decision d); /* "review" */
const char *lk_reason_key(enum lk_reason r);     /* "outranked" */
int lk_reason_from_key(const char *key);         /* -1 when unknown */

/* True when a >= b, allowing for the rounding of the shown numbers. */
static inline bool lk_at_least(double a, double b)
{
    return a >= b - 1e-9;
}

/*
 * The sentence explaining why a pair ended as it did, written from its reason and its numbers
 * only (total, second, the thresholds), so that it never contradicts them (link/reasons.c).
 */
void lk_reason_text(const struct lk_pair *pr, const struct lk_params *params, struct buf *out);

/* True when two 18-character IDs are one substitution or one neighbour swap apart. */
bool id_one_typo(const char *a, const char *b);

#endif
