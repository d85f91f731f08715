#ifndef BAOXUE_AID_H
#define BAOXUE_AID_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/status.h"
#include "util/outcome.h"

struct store;
struct run_info;

/*
 * 应助尽助 (issue 15): the 学生资助 payments of the live aid lists, each linked to a child of a
 * run. Aid is not a group: its rows are linked here, when a report asks, against the run's own
 * register and 学籍 list — by the row's ID among the pupils and the register, else by the
 * 全国学籍号 (G + ID, or the pupil's own number), else by name and school among the run's
 * pupils — and then judged by the child's status in the run.
 */
enum aid_how { AID_BY_ID, AID_BY_STUDENT_NO, AID_BY_NAME_SCHOOL, AID_UNLINKED };
enum aid_verdict {
    AID_OK,            /* paid to a pupil of the county's schools */
    AID_NOT_IN_SCHOOL, /* the child is on the register but not in school */
    AID_NOT_IN_COUNTY, /* the child studies outside the county */
    AID_NOT_FOUND,     /* neither the register nor the 学籍 list knows the child */
};

struct aid_payment {
    int64_t record_id; /* the payment's row (record) */
    long row_no;       /* its row in the file */
    int64_t child;     /* the register's record, 0 none */
    int64_t pupil;     /* the run's 学籍 record, 0 none */
    enum aid_how how;
    enum aid_verdict verdict;
    enum child_status st; /* the child's status in the run (child != 0) */
    bool this_year;       /* paid in the run's school year */
};

struct aid_links {
    struct aid_payment *p;
    size_t n;
    int64_t *paid; /* the register's children paid in the run's school year, sorted */
    size_t npaid;
};

/* The school year (its first year: 2026 for 2026-2027) a payment belongs to, from its 学期
 * ("2026年秋季学期", "2027年春季学期", "2026-2027学年") or else its paid date (September on: that
 * year); 0 when neither says. */
int aid_school_year(const char *term, const char *paid_date);

/* Link every payment of the live aid lists to run `ri`. 0, or -1 with the outcome. */
int aid_link(struct store *s, const struct run_info *ri, struct aid_links *out, struct outcome *o);
void aid_links_release(struct aid_links *l);

/* Is the register's child `record_id` paid in the run's school year ? */
bool aid_child_paid(const struct aid_links *l, int64_t record_id);

const char *aid_how_label(enum aid_how h);
const char *aid_verdict_key(enum aid_verdict v);
const char *aid_verdict_label(enum aid_verdict v);

#endif
