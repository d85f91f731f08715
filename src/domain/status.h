#ifndef BAOXUE_STATUS_H
#define BAOXUE_STATUS_H

/* The one status every child of the population register gets in a cross-check run. */
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
    ST__COUNT
};

const char *status_key(enum child_status s);   /* "not_enrolled" */
const char *status_label(enum child_status s); /* "适龄未入学" */
int status_parse(const char *key);             /* -1 when unknown */
/* Counted as out of school (the ledger of children to find): not_enrolled, dropped_out. */
static inline int status_is_out_of_school(enum child_status s)
{
    return s == ST_NOT_ENROLLED || s == ST_DROPPED_OUT;
}

#endif
