#ifndef BAOXUE_ATRISK_H
#define BAOXUE_ATRISK_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct json_t;
struct vocab;

/*
 * 预警名单 (issue 16): the children still at school most likely to drop out, by a transparent
 * score — the sum of the weights of named factors, each weight a county setting — and the
 * pairing (结对) of a teacher with such a child. docs/casework.md "预警名单和结对".
 *
 * A child "still at school" is a register child the latest cross-check found at a school of
 * the county (ST_ENROLLED); its school and grade are its 学籍 record's. The factors:
 *   previous_case  曾失学辍学立案: the child has a case (一人一案), whatever its state
 *   group          重点群体: a priority-group list linked the child (domain/groups.c)
 *   over_age       超龄: older than its 学籍 grade by atrisk_overage_years or more (grade g is
 *                  for children of g + 5 on the cutoff)
 *   away_family    13–15 岁且父母外出务工: aged 13 to 15 on the cutoff and on the left-behind
 *                  register (its parents work away)
 *   illness        长期或严重疾病: an entry of the 疾病台帐 flagged chronic or serious, open
 *                  today (casework/wellbeing.h)
 *   absence        本学期旷课: the school days of this term (the county calendar's, from its
 *                  first school day to today) the child's 学籍 record has a 旷课 of the
 *                  attendance table (casework/attendance.h), days no school day (a closure
 *                  since, a changed calendar) left out; atrisk_weight_absence points a day, at
 *                  most atrisk_absence_cap (0: no cap)
 * A child is listed when its score reaches atrisk_threshold.
 */
enum atrisk_factor {
    RISK_PREVIOUS_CASE,
    RISK_GROUP,
    RISK_OVER_AGE,
    RISK_AWAY_FAMILY,
    RISK_ILLNESS,
    RISK_ABSENCE,
    RISK__COUNT
};
extern const struct vocab atrisk_factors;

/* The settings (atrisk_*): the threshold and each factor's weight, 0 turning a factor off. */
struct atrisk_settings {
    int threshold;
    int overage_years;
    int absence_cap; /* the absence factor's points at most (0: no cap) */
    int weight[RISK__COUNT];
};
int atrisk_settings_load(struct store *s, struct atrisk_settings *as, struct outcome *o);

/* What the score is made of, for one child. */
struct atrisk_facts {
    int age;                /* on the cutoff; -1 unknown */
    int grade;              /* the 学籍 grade 1..9; 0 unknown */
    unsigned groups;        /* 1u << enum priority_group */
    int64_t case_id;        /* the child's case, 0 none */
    int64_t illness_id;     /* an open chronic or serious illness of the 疾病台帐, 0 none */
    const char *case_state; /* its state key ("open", "returned", "closed") */
    int absent_days;        /* school days of 旷课 this term */
    int absent_last;        /* ymd of the last of them (0 none) */
};

struct atrisk_score {
    int total;
    int n; /* factors present, in enum order */
    struct {
        enum atrisk_factor factor;
        int weight;
        char detail[160]; /* "脱贫户、留守儿童", "七年级，15 岁（超龄 2 岁）" */
    } f[RISK__COUNT];
};
/* The score of `x` under `as` (a factor of weight 0 is left out). */
void atrisk_score(const struct atrisk_settings *as, const struct atrisk_facts *x,
                  struct atrisk_score *out);
/* "曾立案（案件 3，劝返复学）15 分；重点群体（脱贫户）15 分" */
void atrisk_explain(const struct atrisk_score *sc, struct buf *out);

struct atrisk_filter {
    const char *township; /* code or name; NULL all the scope reaches */
    bool full;            /* full ID numbers (the caller audits) */
};
/*
 * The 预警名单 of the latest cross-check: every child still at school whose score reaches the
 * threshold, within the scope (a school its pupils, a township the children of its register
 * township, the county all), by township, school, then score (highest first), with the
 * factors, the score and the paired teacher (`sc` NULL: the command line, the county). -1
 * with the outcome (OUT_NO_RUN, OUT_FORBIDDEN
 * for a role without the list, OUT_INVALID for a township not of the county).
 */
int atrisk_table(struct store *s, const struct scope *sc, const struct atrisk_filter *f,
                 struct report_table *t, struct outcome *o);

/*
 * The child record's part for population record `record_id` of the latest cross-check:
 * "at_risk": {in_school, score, threshold, listed, factors: [{key, label, weight, detail}],
 * pairing: {id, teacher, teacher_id, since, note, paired_by} | null, may_pair} set into root
 * ("at_risk": null when the record is not in the latest cross-check). 0, or -1 on a store
 * error.
 */
int atrisk_child_json(struct store *s, const struct scope *sc, int64_t record_id,
                      struct json_t *root);

struct pair_input {
    const char *teacher; /* 结对教师: a registry number or an exact name */
    const char *since;   /* 结对日期: today when blank */
    const char *note;
};
/*
 * Pair a teacher with the child of population record `record_id` (the latest cross-check),
 * ending the child's current pairing if any: the school of the child's 学籍 record or the
 * county (a township reads, does not pair). An event on the child's timeline and an audit row.
 */
int atrisk_pair(struct store *s, const struct scope *sc, int64_t record_id,
                const struct pair_input *in, const char *actor, struct buf *msg, struct outcome *o);
/* End the child's current pairing (OUT_INVALID when there is none). */
int atrisk_unpair(struct store *s, const struct scope *sc, int64_t record_id, const char *note,
                  const char *actor, struct buf *msg, struct outcome *o);

#endif
