#ifndef BAOXUE_CASEWORK_H
#define BAOXUE_CASEWORK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/deadline.h"
#include "domain/scope.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Casework after a cross-check (docs/casework.md): verification tasks (核查) for suspected
 * children, cases (一人一案) for confirmed ones, deadlines, and the history of each child.
 */

/* Settings (table `setting`), with the county defaults. */
struct casework_settings {
    int verify_days;          /* casework_verify_days: a verification task's deadline */
    int review_days;          /* casework_review_days: working days from the run that put a pair in
                                 the review queue to the review's deadline */
    int first_visit_days;     /* casework_first_visit_days: first visit after a case opens */
    int ladder_days;          /* casework_ladder_days: default deadline of a ladder step */
    int followup_months;      /* casework_followup_months: interval of follow-ups */
    int followup_count;       /* casework_followup_count: follow-ups before a case may close */
    struct holidays holidays; /* school_holidays */
};
/*
 * A verification task (suspected dropout) for the child of population record `record_id`
 * opened outside a cross-check — by the attendance rules (warning.h) — in run `run_id`, the
 * latest: the child's row made or kept, the township's task assigned from the registry like a
 * run's, `why` the whole reason on its timeline. Inside the caller's transaction; *task its
 * number. 0, or -1 (store error).
 */
int casework_task_open(struct store *s, const struct casework_settings *cs, int64_t run_id,
                       int64_t record_id, const char *why, int today, const char *actor,
                       int64_t *task);
int casework_settings_load(struct store *s, struct casework_settings *cs, struct outcome *o);
void casework_settings_release(struct casework_settings *cs);

/*
 * The key a child keeps across snapshots (record ids change with every import): "I:" and the
 * ID when it is a valid one, else "N:" name key / birth date / sex.
 */
void child_key(const char *id_number, int id_flags, const char *name_key, const char *birth,
               int gender, struct buf *out);
/* casework's child (table child) of the register record `record_id`: its id, 0 when it has
 * none yet, -1 on a store error. With `create` the row is made (or its last run and record
 * moved to `run_id` and `record_id`), inside the caller's transaction. */
int64_t casework_child_row(struct store *s, int64_t record_id, int64_t run_id, bool create);
/* child_key of the record alias `r` in SQL (79: the unusable ID flags; a valid ID's check
 * digit is right, so its flags say it). test_casework checks the two agree. */
#define CHILD_KEY_SQL(r)                                                                           \
    "CASE WHEN length(" r ".id_number) = 18 AND (" r ".id_flags & 79) = 0 THEN 'I:' || " r         \
    ".id_number ELSE 'N:' || coalesce(" r ".name_key, '') || '/' || coalesce(" r                   \
    ".birth_date, '') || '/' || CAST(coalesce(" r ".gender, 0) AS TEXT) END"

struct casework_summary {
    long out_of_school;  /* children not_enrolled or dropped_out in the run */
    long tasks_created;  /* newly suspected children */
    long cases_reopened; /* returned or closed cases whose child is out of school again */
    long claims_flagged; /* verified as at school, still out of school in this run */
    long already_open;   /* already under an open task or case */
    /* children this run finds at school (enrolled, or enrolled elsewhere) */
    long tasks_closed;         /* open or outreach tasks closed: 已在校注册学籍 by the run */
    long cases_found_enrolled; /* open or returned cases: an event, never closed by a run */
    long flags_cleared;        /* flagged claims of schooling this run confirms */
    long deferrals_expired;    /* of tasks_created: deferred entry of an earlier school year */
    long outcomes_stand;       /* still out of school, but their claim of schooling or case outcome
                                  was recorded after the run's school lists: neither flagged nor
                                  reopened (field work outranks a stale list) */
};

struct school_calendar;
/*
 * The school year a deferred entry (延缓入学) recorded on `verified_on` holds for: the school
 * year of the run that raised the task, or that of the verification date when later (a
 * deferral approved after the new school year began). A run of a later school year asks again.
 */
int deferral_school_year(const struct school_calendar *cal, int task_run_year, int verified_on);

/*
 * After a successful cross-check: a verification task for every newly suspected child (and
 * for a deferred child still not enrolled in a later school year), cases reopened, claims of
 * schooling contradicted by this run flagged; open tasks of children this run finds at school
 * closed (已在校注册学籍, verifier the system), open and returned cases of such children noted
 * in their history. One transaction with an audit row; idempotent for a run.
 */
int casework_after_match(struct store *s, int64_t run_id, const char *actor,
                         struct casework_summary *out, struct outcome *o);
/* What casework_after_match did, as a person reads it (a line or three). */
void casework_describe(const struct casework_summary *cw, struct buf *out);

/* ---- verification ---- */

struct verify_filter {
    const char *township;
    unsigned school_ties;             /* TIE_* bits: only tasks tied so (to the school, or
                                         TIE_REGISTRATION: 户籍问题 outcomes) */
    const char *school, *school_name; /* with school_ties: the school's code and name */
    int64_t user_id;                  /* with TIE_VILLAGE: the village account's id */
    const char *state;       /* NULL: open and outreach; "all", "open", "outreach", "closed",
                                "flagged" */
    const char *groups_seen; /* the priority groups the reader sees, ",poverty,dibao," (a
                                department its own: scope_groups); NULL every group */
    const char *group;       /* only the tasks of one priority group's children (its key or
                                label: GROUP_CHILD_SQL, domain/groups.h); NULL all */
    bool full;
};
int verify_list(struct store *s, const struct verify_filter *f, struct report_table *t,
                struct outcome *o);
int verify_show(struct store *s, int64_t task_id, bool full, struct buf *out, struct outcome *o);

struct verify_input {
    const char *outcome, *subkind, *date, *by, *note, *school, *evidence;
    const char *reason, *other_reasons; /* 确认失学辍学: the case's reasons */
};
int verify_record(struct store *s, int64_t task_id, const struct verify_input *in,
                  const char *actor, struct buf *msg, struct outcome *o);

/* ---- assignment (tasks and cases) ---- */

struct assign_input {
    const char *township, *village, *teacher; /* people (number or name); NULL: unchanged */
    const char *reason;
};
/* case_id 0: task `task_id`; else the case. Earlier assignments stay in the history. */
int casework_assign(struct store *s, int64_t task_id, int64_t case_id,
                    const struct assign_input *in, const char *actor, struct buf *msg,
                    struct outcome *o);

/* ---- what is due ---- */

struct tasks_filter {
    const char *township;
    const char *person;
    bool overdue;
    bool review; /* also the review queue's pairs (for a role with PERM_REVIEW), each due
                    casework_review_days working days after the run that first queued it */
    bool by_due; /* by due date only; by default the items of priority-group children first */
    /* issue 17: a department's or a school's 待办, only its joint meetings' decisions
     * (department: its key) or its interviews' commitments (school: its code) */
    bool only_accountability;
    const char *department, *school;
};
/* 待办 as a worklist: one row per item with the people assigned to it joined (责任人) and the
 * child's priority groups (重点群体); the items of priority-group children first (issue 15),
 * then most urgent first (due_order). */
int tasks_list(struct store *s, const struct tasks_filter *f, struct report_table *t,
               struct outcome *o);
/* The worklist's order of two items (<0, 0, >0): the earlier due date first (so the most
 * overdue lead, then the soonest due), then the township's code, then the item's number
 * ("案件 3" before "案件 12"). */
int due_order(int due_a, const char *tcode_a, const char *ref_a, int due_b, const char *tcode_b,
              const char *ref_b);

/*
 * The township (9-digit code, "" when none) of verification task, case or person `id`, for
 * the scope check of the front ends (domain/scope.h). 1 found, 0 no such object, -1 error.
 */
int casework_region(struct store *s, enum scope_object what, int64_t id, char township[10]);

/*
 * The ties (domain/scope.h) of task or case `id`: its township, and when `school` is given
 * (a school account's code, with its name) the TIE_* bits that tie it to that school, and
 * TIE_VILLAGE when the child's record is in a village of account `user_id` (a village account;
 * 0 none), TIE_ASSIGNED when that account's person is assigned to it now. 1 found, 0 no such
 * object, -1 error. The same conditions filter the lists (TIES_FILTER_SQL).
 */
int casework_ties(struct store *s, enum scope_object what, int64_t id, const char *school,
                  const char *school_name, int64_t user_id, struct object_ties *t);

/* The name of the school with 学籍 code `code` in the latest 学籍 list ("" when not there):
 * how cases (复学 to it) and the people registry (its teachers) name it. 1, 0, or -1. */
int casework_school_name(struct store *s, const char *code, char *name, size_t size);

/* SQL: the TIE_* conditions for a task (alias v) or case (alias c), the school's code in
 * parameter S and name in N. */
#define TIE_SCHOOL_RECORD_SQL(a, S)                                                                \
    "EXISTS (SELECT 1 FROM child_status cs JOIN record sr ON sr.id = cs.school_record"             \
    " WHERE cs.run_id = " a ".run_id AND cs.record_id = " a ".record_id AND sr.school_code = " S   \
    ")"
#define TIE_RETURNED_TO_SQL(N)  "c.outcome_school = " N
#define TIE_REGISTRATION_SQL(a) a ".outcome = 'registration'"
#define TIE_TEACHER_SQL(col, a, N)                                                                 \
    "EXISTS (SELECT 1 FROM assignment ta JOIN person tp ON tp.id = ta.person_id"                   \
    " WHERE ta." col " = " a ".id AND ta.role = 'teacher' AND tp.org_kind = 'school'"              \
    " AND tp.org = " N ")"
/* The child's record (of task or case alias a) is in a village of village account U, in the
 * account's township. */
#define TIE_VILLAGE_SQL(a, U)                                                                      \
    "EXISTS (SELECT 1 FROM record vr JOIN app_user vu ON vu.id = CAST(" U " AS BIGINT)"            \
    " JOIN user_village uv ON uv.user_id = vu.id AND uv.village = vr.village"                      \
    " WHERE vr.id = " a ".record_id AND vu.role = 'village' AND " a                                \
    ".township_code = vu.township_code)"
/* The person of account U is assigned now (the latest assignment of its role) to the task or
 * case of alias a, `col` naming the assignment's column (task_id, case_id). */
#define TIE_ASSIGNED_SQL(col, a, U)                                                                \
    "EXISTS (SELECT 1 FROM assignment aa JOIN app_user au ON au.person_id = aa.person_id"          \
    " WHERE au.id = CAST(" U " AS BIGINT) AND aa." col " = " a ".id AND aa.id = (SELECT"           \
    " max(ab.id) FROM assignment ab WHERE ab." col " = aa." col " AND ab.role = aa.role))"
/* A list's condition: bits B (0: no restriction) any of which admits a row. */
#define TIES_FILTER_SQL(B, tie1, tie2, tie4, tie8, tie16)                                          \
    "(CAST(" B " AS INTEGER) = 0 OR ((CAST(" B " AS INTEGER) & 1) <> 0 AND " tie1 ")"              \
    " OR ((CAST(" B " AS INTEGER) & 2) <> 0 AND " tie2 ") OR ((CAST(" B " AS INTEGER) & 4) <> 0"   \
    " AND " tie4 ") OR ((CAST(" B " AS INTEGER) & 8) <> 0 AND " tie8 ")"                           \
    " OR ((CAST(" B " AS INTEGER) & 16) <> 0 AND " tie16 "))"

/* ---- helpers shared by the casework modules ---- */

/* A list's --group: the priority group's key in *key (NULL when `text` is NULL or empty); -1
 * with OUT_INVALID naming the groups there are. */
int casework_group_arg(const char *text, const char **key, struct outcome *o);

/* A date field: "" / NULL → today; else parsed, not after today, not before `not_before`
 * (0: no bound). -1 with the outcome OUT_INVALID naming the field by its label `what` (and
 * `field`, its key). */
int casework_date(const char *what, const char *field, const char *text, int not_before, int *ymd,
                  struct outcome *o);
struct vocab;
/* OUT_INVALID for a word not in vocabulary `v` (core/words.h): `lead`, then what the
 * vocabulary holds; returns -1. */
int casework_vocab_refused(struct outcome *o, const char *field, const char *lead,
                           const struct vocab *v, const char *text);
/* The current assignees of a task or case as "王五（乡镇包保干部）、李四（村干部）". */
int casework_assignees(struct store *s, int64_t task_id, int64_t case_id, struct buf *out);
/* The child's header for show: name, sex, birth, ID (masked unless full), address. */
int casework_child_header(struct store *s, int64_t child_id, int64_t record_id, bool full,
                          struct buf *out);

/*
 * The priority groups (issue 15) of the children of the casework: a child's groups are those
 * its record has in the child's latest run (child.last_run and last_record, group_member), so a
 * task opened by an older run shows what the newest group lists say. Read once for a whole
 * list: the children that have any group, sorted by child id, each with its groups as bits
 * 1u << enum priority_group (ingest/category.h).
 */
struct child_groups {
    int64_t *child;
    unsigned *bits;
    size_t n, alloc;
};
int child_groups_load(struct store *s, struct child_groups *g);
/* One child's groups, as bits. */
int child_groups_one(struct store *s, int64_t child_id, unsigned *bits);
void child_groups_release(struct child_groups *g);
/* The child's groups among those `seen` (",poverty,dibao,": the keys a reader sees, as the
 * children list's; NULL every group), as bits; 0 when none. */
unsigned child_groups_of(const struct child_groups *g, int64_t child_id, const char *seen);
/* "脱贫户、低保": the groups' labels in the vocabulary's order (a COL_WORDS cell). */
void groups_labels(unsigned bits, struct buf *out);
/* The same rule in SQL: child id `child` has a group among `seen` (a text parameter as above,
 * NULL every group). A list ordered by it DESC has the priority children first. */
#define CHILD_IN_GROUPS_SQL(child, seen)                                                           \
    "EXISTS (SELECT 1 FROM child gch JOIN group_member ggm ON ggm.run_id = gch.last_run"           \
    " AND ggm.record_id = gch.last_record WHERE gch.id = " child " AND (CAST(" seen " AS TEXT)"    \
    " IS NULL OR " seen " LIKE '%,' || ggm.grp || ',%'))"

#endif
