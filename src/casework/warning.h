#ifndef BAOXUE_WARNING_H
#define BAOXUE_WARNING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casework/attendance.h"
#include "core/schoolcal.h"
#include "domain/scope.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;
struct vocab;

/*
 * Early warnings of the attendance (考勤预警, issue 16; docs/casework.md "考勤预警"). The rules,
 * each number a county setting (warning_*), only school days of the pupil's school counting
 * (core/schoolcal.h) and 病假/事假 never:
 *
 *   absent   连续旷课: a run of consecutive unexcused school days (attendance_streaks) of
 *            warning_streak_days (3) or more → a warning to the class teacher (level 0); at
 *            warning_task_days (7) → suspected dropout: a verification task for the child's
 *            township, the absences its evidence (level 1); at warning_dropout_days (20) → the
 *            school must mark the 学籍 辍学 (level 2; the task and 人籍分离 say so). One warning
 *            per run: a run that grows updates its warning.
 *   monthly  当月累计旷课: warning_month_days (10) or more unexcused school days in a calendar
 *            month, unless every one of them lies in a run that has its own warning.
 *   sick     长期病假: a run of consecutive 病假 school days longer than warning_sick_days (15) →
 *            a wellbeing follow-up (疾病台帐), not a dropout warning.
 *
 * A warning's state is set by people: new → contacted (the teacher reached the family: who,
 * when, what was said) → resolved (the outcome), or escalated (passed to the township by the
 * school). An unanswered warning (still new) escalates by itself: past its deadline
 * (warning_head_days working days after it opened) to the school head, past township_due
 * (warning_township_days) to the township — computed when it is read, so that no clock has to
 * run. A warning that reaches level 1 is escalated to the township with its task.
 */
enum warning_kind { WK_ABSENT, WK_MONTHLY, WK_SICK, WK__COUNT };
extern const struct vocab warning_kinds;  /* 连续旷课, 当月累计旷课, 长期病假 */
extern const struct vocab warning_states; /* 新预警, 已联系家长, 已解除, 已上报 */

struct warning_rules {
    int streak_days, task_days, dropout_days, month_days, sick_days, head_days, township_days;
};
#define WARNING_RULES_DEFAULT                                                                      \
    {                                                                                              \
        3, 7, 20, 10, 15, 1, 3                                                                     \
    }
int warning_rules_load(struct store *s, struct warning_rules *r, struct outcome *o);

/* One finding of the rules for one pupil. */
struct warning_finding {
    enum warning_kind kind;
    int first, last; /* ymd: the run's first and last school day; monthly: the month's first
                        unexcused day's month (first = yyyymm01) and its last unexcused day */
    int days;        /* school days in the run; monthly: unexcused school days in the month */
    int level;       /* absent: 0 warning, 1 suspected dropout (task), 2 学籍 must say 辍学 */
};
/* The school days of a calendar over [from, to], numbered: two days are consecutive school
 * days when their numbers differ by one (what a run of absences is, in O(1) a day). */
struct school_days {
    int from, to;
    long base; /* ymd_to_days(from) */
    int *ord;  /* per day of [from, to]: its school day number, -1 when no school day */
};
void school_days_build(struct school_days *d, const struct term_calendar *cal, int from, int to);
void school_days_release(struct school_days *d);
/*
 * The findings of the rules for one pupil's absences `a` (n of them, in date order; 旷课 and
 * 病假 read, the rest ignored) on the school days `d`, in the order absent runs, months, sick
 * runs. `out` has room for 2 * n + 1 findings; their number returned.
 */
size_t warning_findings(const struct warning_rules *r, const struct school_days *d,
                        const struct absence_day *a, size_t n, struct warning_finding *out);

struct warning_refresh_summary {
    long pupils, opened, updated, withdrawn, reopened, tasks;
};
/*
 * Apply the rules to the term's attendance (from the first school day of the term today is in
 * to today) and bring the warnings up to date: open the new ones, grow the runs that grew,
 * open a verification task for a run reaching warning_task_days, reopen a resolved warning
 * whose pupil was absent again after it, and withdraw (resolve, saying why) a warning a
 * corrected attendance no longer supports. `keys` (n of them) the pupils whose attendance
 * changed; NULL every pupil of the term. Inside the caller's transaction. 0, or -1 with the
 * outcome.
 */
#define WARNING_REFRESH_KEYS_MAX 2000 /* more pupils than this: one pass over all of them */
int warnings_refresh(struct store *s, const char *const *keys, size_t n, int today,
                     const char *actor, struct warning_refresh_summary *sum, struct outcome *o);
/* The same for every pupil in a transaction of its own (`baoxue warnings refresh`: after the
 * settings or the calendar changed). */
int warnings_refresh_all(struct store *s, int today, const char *actor,
                         struct warning_refresh_summary *sum, struct outcome *o);
/* The same for the pupils of school `school` with an absence this term (its closed days
 * changed). */
int warnings_refresh_school(struct store *s, const char *school, int today, const char *actor,
                            struct warning_refresh_summary *sum, struct outcome *o);
void warning_refresh_describe(const struct warning_refresh_summary *sum, struct buf *out);

/* ---- people act on a warning (warning_act.c) ---- */

struct warning_input {
    const char *person;  /* 联系人 / 处理人: who reached the family (default: the account) */
    const char *on;      /* 日期: today when blank */
    const char *outcome; /* 结果: what the family said / how it ended (required) */
};
/* 已联系家长: the class teacher reached the family. A school its own pupils' warnings, the
 * county any. */
int warning_contact(struct store *s, const struct scope *sc, int64_t id,
                    const struct warning_input *in, const char *actor, struct buf *msg,
                    struct outcome *o);
/* 解除: the pupil is back or the absence is explained (the outcome says how). */
int warning_resolve(struct store *s, const struct scope *sc, int64_t id,
                    const struct warning_input *in, const char *actor, struct buf *msg,
                    struct outcome *o);
/* 上报乡镇: the school passes the warning to the township (the family will not listen, it
 * cannot be reached); the township answers it with contact or resolve too. */
int warning_escalate(struct store *s, const struct scope *sc, int64_t id,
                     const struct warning_input *in, const char *actor, struct buf *msg,
                     struct outcome *o);

/* ---- reading (warning_list.c) ---- */

struct warning_filter {
    const char *school;   /* code or name; a school account's own */
    const char *township; /* code or name; a township account's own */
    const char *state;    /* a state word ("new", "escalated", "open": not resolved); NULL any */
    const char *kind;     /* a kind word; NULL any */
    bool full;            /* whole ID numbers (audited by the caller) */
    int today;            /* 0: today */
};
/*
 * The warnings the scope reaches, the most urgent first (escalated to the township, to the
 * head, new, contacted; then level and days): a school its pupils', a township the warnings
 * escalated to it of the children it registers (and of pupils of its schools), the county and
 * supervisors all. Meta as_of. 0, or -1 with the outcome.
 */
int warning_table(struct store *s, const struct scope *sc, const struct warning_filter *f,
                  struct report_table *t, struct outcome *o);
/* The warnings of the child of population record `record_id` (its 学籍 key), newest first,
 * each with its history: set into root as "warnings" (an array; empty when none). */
int warning_child_json(struct store *s, const struct scope *sc, int64_t record_id, json_t *root);
/* One warning with its history, for the board's detail; NULL with the outcome. */
json_t *warning_json(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);
/* The warning behind verification task `task` ("" when none): its evidence in a sentence. */
int warning_task_evidence(struct store *s, int64_t task, struct buf *out);

/* A warning the township holds (passed up, or unanswered past township_due), for 待办. */
struct warning_due {
    int64_t id, child_record;
    char tcode[10], township[64], name[64], what[96];
    int due; /* ymd: township_due */
};
/* Call fn for each unresolved warning held by the township `tcode` (NULL or "": every
 * township's). 0, or -1 (store error). */
int warning_due_each(struct store *s, const char *tcode,
                     void (*fn)(void *ctx, const struct warning_due *d), void *ctx);

/* The effective state of a warning on `today`: its stored state, or escalated (to the head or
 * the township) when it is still new past its deadline or township_due. *to "head",
 * "township" or "". */
const char *warning_effective(const char *state, const char *escalated_to, const char *deadline,
                              const char *township_due, int today, const char **to);

#endif
