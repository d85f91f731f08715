#ifndef BAOXUE_REPORTS_H
#define BAOXUE_REPORTS_H

#include <stdbool.h>
#include <stdint.h>

#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct scope;

struct report_options {
    const char *township;      /* code or name filter, NULL for the county */
    bool full;                 /* full ID and phone numbers instead of masked ones */
    int64_t run_id;            /* 0: the latest cross-check */
    int status;                /* children: only this enum child_status; -1 all (the default) */
    int month;                 /* monthly: the first day (ymd) of the month; 0 the current one */
    int date;                  /* monthly: the report date (ymd); 0 the 15th of the month */
    const char *village;       /* visit-sheet: one village (record.village), NULL all */
    const struct scope *scope; /* the server's account (whose contact reads are its own and
                                  audited); NULL on the command line */
    const char *group;         /* one priority group (its key or label), NULL all: the lists
                                  and ledgers (RT_GROUPS) and groups-status */
    unsigned groups;           /* groups-status: 1u << enum priority_group the reader may see
                                  (scope_groups), 0 all */
    const char *school;        /* groups-status: only this school's pupils (a school's account);
                                  separation: the school asked for (RT_SCHOOL) */
    const char *by;            /* ranking: "township" (default) or "school" (RT_BY) */
};
#define REPORT_OPTIONS_INIT                                                                        \
    {                                                                                              \
        NULL, false, 0, -1, 0, 0, NULL, NULL, NULL, 0, NULL, NULL                                  \
    }

/* Fill `t` with the named report. -1 with the outcome (OUT_NO_RUN before the first
 * cross-check, OUT_INVALID for a township not of the county, OUT_ERROR). */
int report_out_of_school(struct store *s, const struct report_options *opt, struct report_table *t,
                         struct outcome *o);
int report_summary(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o);

/* Every child of the run's register with status, school and explanation (儿童状态清单). */
int report_children(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o);

/*
 * The three ledgers and the monthly report (docs/reports.md), each with a caption, a
 * subtitle, a totals row and notes, ready to be sent upward as xlsx.
 *   适龄儿童台账: every child of the run in the compulsory band (status_is_school_age), with
 *     school, or the verification and case of those who have them; --township, --status.
 *   疑似失学辍学台账: every verification task, the latest run's first.
 *   失学辍学台账: every case, with reasons, attempts, ladder, people, days open, follow-ups.
 *   月报: for the month ending on the report date (the 15th): new, verified, cases, returned,
 *     closed, still out by reason, per township and the county, with the enrolment rate.
 */
int report_ledger_school_age(struct store *s, const struct report_options *opt,
                             struct report_table *t, struct outcome *o);
int report_ledger_suspected(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o);
int report_ledger_dropout(struct store *s, const struct report_options *opt, struct report_table *t,
                          struct outcome *o);
int report_monthly(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o);
/*
 * The indicators (issue 17, report/indicators.h; docs/reports.md): 控辍保学指标 per township (or
 * per priority group with --group), JSON {"as_of", "county", "townships", "schools", "groups"};
 * its month-by-month trend (the last 12 months); the ranking of townships or schools
 * (--by school) with the 辍学高发 flag. As of the month's end (--month), today by default.
 */
int report_indicators(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o);
int report_indicators_trend(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o);
int report_ranking(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o);
/*
 * What the county sends the police (report/feedback.c):
 *   有学籍无户籍学生核查名单: the run's pupils in no register here whose 学籍 ID is of this
 *     county or who have none (possible unregistered children); --township (by the school's).
 *   户籍核查反馈表: every verification outcome 户籍问题 and that list, with what was found, by
 *     whom and when; --township.
 */
int report_unregistered_pupils(struct store *s, const struct report_options *opt,
                               struct report_table *t, struct outcome *o);
int report_registration_feedback(struct store *s, const struct report_options *opt,
                                 struct report_table *t, struct outcome *o);
/*
 * 走访清单 (report/visits.c): every open verification task and case in 劝返 of the township
 * (--township) or one village (--village), by village and due date, with the guardian's phone
 * and the address for who may read them (opt->scope's ACT_CONTACT, each read audited; all with
 * full) and blank boxes for the outcome, the date and the signature. It prints (t->pdf).
 */
int report_visit_sheet(struct store *s, const struct report_options *opt, struct report_table *t,
                       struct outcome *o);

/*
 * 重点群体 (report/groups.c): every school-age child of the run in a priority group, with its
 * groups, status and how it was linked (--township); and the group rows that matched nobody on
 * the register, or more than one child (groups-unmatched).
 */
int report_groups(struct store *s, const struct report_options *opt, struct report_table *t,
                  struct outcome *o);
int report_groups_unmatched(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o);
/* 重点群体在校情况 (report/groups_status.c): each group's school-age children by township, in
 * school here / elsewhere / 送教上门 / suspected / confirmed out; --township, --group. */
int report_groups_status(struct store *s, const struct report_options *opt, struct report_table *t,
                         struct outcome *o);

/*
 * 残疾儿童安置登记册 (report/disability.c, issue 15): every school-age child of the latest run
 * with a verification outcome 送教上门/因病因残 or a placement (casework/placement.h): the
 * placement, school, approval's end date, this month's 送教上门 visits and hours. Scoped by
 * opt->scope (a township its own, a school the children placed with it); masked IDs.
 */
int report_disability(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o);

/*
 * 应助尽助核查表 (report/aid.c, domain/aid.c): the priority-group pupils in school here without
 * aid this school year, by school, and the year's payments to children not in school, outside
 * the county or found nowhere (--township; a school account sees its own school's).
 */
int report_aid_gaps(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o);

/*
 * 留守儿童关爱联系情况 (report/care.c): the run's left-behind pupils of the county's schools,
 * by school, with their last care contact and whether they had one in the month (--month; the
 * current one), the children without one counted per school (--township; a school its own).
 */
int report_left_behind_care(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o);

/* The statistical period of a monthly report dated `date`: from the day after the same day
 * of the previous month through `date` (2026-11-15 → 2026-10-16 … 2026-11-15). */
int monthly_period_start(int date);

/* 预警名单 (issue 16): casework/atrisk.h's list, scoped by opt->scope (a school its pupils). */
/* 考勤预警 (casework/warning.h): every attendance warning, the most urgent first. */
int report_warnings(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o);
int report_at_risk(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o);

/*
 * The metadata every report over a run carries: as_of, school_year, run_id, total and (when
 * masked is 0 or 1) masked. sy and runs receive the school year ("2026-2027") and the run
 * number for the footer.
 */
struct run_info;
void report_run_meta(struct report_table *t, const struct run_info *ri, long total, int masked,
                     char sy[16], char runs[24]);

/*
 * A report narrowed to one priority group (--group, ?group=; report/group_filter.c): the
 * group's key and label, and the records of the run in it (by the group rows linked to them,
 * domain/groups.c), sorted. A child is in the group by its register record in that run; a
 * task or a case by the child's record in the last cross-check that found it out of school
 * (child.last_run, last_record: GROUP_CHILD_SQL in domain/groups.h).
 */
struct report_group {
    const char *key;   /* NULL: the report is not narrowed */
    const char *label; /* "脱贫户" */
    int64_t *records;  /* report_group_load: the run's records in the group, ascending */
    size_t n;
};
/* Parse opt->group into g (key NULL when there is none). -1 (OUT_INVALID, naming the groups
 * there are) for a word that is no priority group. */
int report_group_arg(const struct report_options *opt, struct report_group *g, struct outcome *o);
/* Load the records of run `run` in g's group (nothing when g is not narrowed). -1 with the
 * store's message. */
int report_group_load(struct store *s, int64_t run, struct report_group *g, struct outcome *o);
/* True when g is not narrowed or `record` is in its group. */
bool report_group_has(const struct report_group *g, int64_t record);
void report_group_release(struct report_group *g);
/* The JSON's "group" (the key) when narrowed. */
void report_group_meta(struct report_table *t, const struct report_group *g);
/* "（重点群体：脱贫户）" after a caption when narrowed, "" otherwise: into `out` (64 bytes). */
const char *report_group_caption(const struct report_group *g, char out[64]);

#endif
