#ifndef BAOXUE_STATUS_H
#define BAOXUE_STATUS_H

#include <stdbool.h>

/* The one status every child of the population register gets in a cross-check run; and the
 * status of the county's pupils who are in no register here (ST_ENROLLED_NONLOCAL). */
enum child_status {
    ST_ENROLLED,           /* active 学籍 in the county */
    ST_ENROLLED_ELSEWHERE, /* on the list of this county's children enrolled elsewhere */
    ST_NOT_ENROLLED,       /* school age, no active school record anywhere */
    ST_DROPPED_OUT,        /* latest 学籍 says 辍学, no active record */
    ST_SUSPENDED,          /* 休学 (approved suspension) */
    ST_PENDING_REVIEW,     /* no certain school record, but one awaits a clerk's review */
    ST_COMPLETED,          /* 学籍 says 毕业: compulsory education completed */
    ST_NOT_YET,            /* younger than the band on the cutoff date */
    ST_BEYOND,             /* older than the band and not in grade <= 9 */
    ST_INACTIVE,           /* registration 迁出 / 死亡 / 注销 */
    /* Not a child of the register: an active 学籍 record of a county school that matched
     * nobody in it (随迁子女, or a child the police register does not know). Last, because run
     * chunks store the number: the order of the others never changes. */
    ST_ENROLLED_NONLOCAL,
    ST__COUNT
};

/* The vocabulary (core/words.h): word i is enum child_status i. */
struct vocab;
extern const struct vocab child_statuses;
const char *status_key(enum child_status s);   /* "not_enrolled" */
const char *status_label(enum child_status s); /* "适龄未入学" */
/* Its key, label or another spelling ("辍学", "dropped_out"); -1 when none. */
int status_parse(const char *text);
/* Counted as out of school (the ledger of children to find): not_enrolled, dropped_out. A
 * child waiting for review (pending_review) is listed with them on the out-of-school list and
 * the 疑似 ledger, but is not counted as out of school until a clerk decides. */
static inline int status_is_out_of_school(enum child_status s)
{
    return s == ST_NOT_ENROLLED || s == ST_DROPPED_OUT;
}

/*
 * The children of the register's compulsory age band who belong in the 适龄儿童台账: everyone
 * decided on by school records (in school, elsewhere, suspended, completed, waiting for review)
 * or missing from them; not the younger, the older and the inactive registrations, nor the
 * pupils who are in no register here (the ledger lists them after, apart: status_is_nonlocal).
 */
static inline int status_is_school_age(enum child_status s)
{
    return s != ST_NOT_YET && s != ST_BEYOND && s != ST_INACTIVE && s != ST_ENROLLED_NONLOCAL;
}
/* Counted as enrolled in 入学率 (of the register's children): in school here or elsewhere,
 * suspended (still on a school's roll), or compulsory education completed. */
static inline int status_counts_enrolled(enum child_status s)
{
    return s == ST_ENROLLED || s == ST_ENROLLED_ELSEWHERE || s == ST_SUSPENDED || s == ST_COMPLETED;
}
/* A pupil of the county's schools who is no child of the register (the run's school population
 * beside the register's children): counted in the school population, never looked for. */
static inline int status_is_nonlocal(enum child_status s)
{
    return s == ST_ENROLLED_NONLOCAL;
}

/*
 * Children with these statuses get a child_status row with the written explanation (someone
 * has to act on them: find, review, watch); every child's status is in run_status besides.
 */
static inline int status_has_row(enum child_status s)
{
    return s == ST_NOT_ENROLLED || s == ST_DROPPED_OUT || s == ST_PENDING_REVIEW ||
           s == ST_SUSPENDED || s == ST_ENROLLED_NONLOCAL;
}

/* What a status's explanation is written from (see status_describe). */
struct status_facts {
    enum child_status st;
    int age, grade;     /* age on the cutoff (-1 unknown), expected grade */
    int cutoff;         /* ymd */
    int reg;            /* enum reg_status of the registration */
    const char *school; /* the deciding school record's school ("" none) */
    int school_grade;   /* its grade, 0 unknown */
    int school_state;   /* its enum enroll_status */
    int method;         /* enum lk_method of its link */
    bool has_id;        /* the register has a usable ID */
    bool bad_check;     /* the register's ID fails its check digit */
    int id_origin;      /* ST_ENROLLED_NONLOCAL: enum nonlocal_id of the pupil's ID */
};

/* Where a pupil without 户籍 here comes from, by their 学籍 ID (the police's list: local, none). */
enum nonlocal_id {
    NONLOCAL_OTHER, /* a valid ID of another county: 随迁子女 */
    NONLOCAL_LOCAL, /* an ID with this county's code: a child the register should know */
    NONLOCAL_NONE,  /* no usable ID: possibly a child never registered */
};
const char *nonlocal_id_key(enum nonlocal_id k);   /* "local" */
const char *nonlocal_id_label(enum nonlocal_id k); /* "身份证号属本县" */

/* The one-sentence Chinese explanation of a child's status (the 情况 column). */
struct buf;
void status_describe(const struct status_facts *f, struct buf *out);

#endif
