#ifndef BAOXUE_PLACEMENT_H
#define BAOXUE_PLACEMENT_H

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
 * Children with disabilities (issue 15, docs/casework.md "安置和送教上门"): a child's placement
 * (安置方式) — 随班就读, 特殊教育学校 or 送教上门 at a school (for 送教上门 the school that sends
 * the teachers), or 缓学/免学 with its approval (义务教育法第十一条: who approved, the document,
 * its date and end date) — and the log of the 送教上门 visits, checked each month against the
 * county's minimum. A child is kept by the child key like tasks and cases (its `child` row is
 * made when a placement is first set); the front ends name it by its record in the latest
 * cross-check, as the child record does.
 */

/* The placements (core/words.h form): regular, special_school, home_teaching, deferred,
 * exempt. */
extern const struct vocab placement_kinds;

/* The monthly minimum of 送教上门 (settings send_teach_visits, send_teach_hours). */
struct send_minimum {
    int visits, hours;
};
int send_minimum_load(struct store *s, struct send_minimum *m, struct outcome *o);

/* What one month of visits came to: visits in force (a corrected record counts once, as its
 * correction says) and lesson hours in tenths. */
struct send_month {
    int visits, tenths;
};
/* Below the minimum? */
bool send_month_short(const struct send_minimum *m, const struct send_month *sm);
/* The first and last day of the month of `ymd`. */
int month_first_day(int ymd);
int month_last_day(int ymd);
/* The month of `ymd` is checked for a placement since `since`: the placement held the whole
 * month (began on or before its first day). */
bool send_month_checked(int since, int ymd);
/* The visits in force of child `child_id` in the month of `ymd`. 0, or -1 on a store error. */
int send_month_load(struct store *s, int64_t child_id, int ymd, struct send_month *out);
/* "2.5" for 25 tenths, "4" for 40. */
void tenths_format(int tenths, char out[16]);
/* Lesson hours as typed ("2", "1.5", "1.5课时") in tenths, 1..240; -1 when not such a number. */
int tenths_parse(const char *text);

struct placement_input {
    const char *kind, *school, *since, *approved_by, *approval_no, *approved_on, *ends_on, *note;
};
/*
 * Set or change the placement of the child whose record (in the latest cross-check) is
 * `record_id`, within the scope's reach (scope_placement_allows, ACT_WRITE). A change is an
 * event on the child's timeline and an audit row, in one transaction.
 */
int placement_set(struct store *s, const struct scope *sc, int64_t record_id,
                  const struct placement_input *in, const char *actor, struct buf *msg,
                  struct outcome *o);

struct send_visit_input {
    const char *date, *teachers, *hours, *content, *corrects, *reason;
};
/*
 * Log a 送教上门 visit of the child placed 送教上门 (ACT_ATTEMPT: the county, the township, the
 * school that sends the teachers), or correct one (`corrects`, with `reason`: the original is
 * kept, the correction is in force).
 */
int placement_visit(struct store *s, const struct scope *sc, int64_t record_id,
                    const struct send_visit_input *in, const char *actor, struct buf *msg,
                    struct outcome *o);

/*
 * The child record's part: {"placement": {kind, kind_label, school, school_name, since,
 * approved_by, approval_no, approved_on, ends_on, note, set_by, set_at} | null, "visits":
 * [{id, on_date, teachers, hours, content, corrects, corrected_by, reason, recorded_by,
 * recorded_at}], "month": {month, visits, hours, min_visits, min_hours, short, due, overdue}
 * | null, "may_set", "may_visit"} set into `root` for child `child_id` (0: none yet).
 */
int placement_child_json(struct store *s, const struct scope *sc, int64_t child_id,
                         const char *township_code, struct json_t *root);

/* The record of the child with key `key` (casework.h child_key) in population batch `batch`:
 * its id, 0 when the batch has none (or on a store error). */
int64_t placement_latest_record(struct store *s, int64_t batch, const char *key);

struct placement_filter {
    const char *township; /* code or name; NULL all the scope reaches */
    int month;            /* any day of the month; 0 this month */
};
/*
 * 送教上门: every child placed 送教上门 that the scope reaches (the county all, a township its
 * own, a school those it sends teachers to), with the month's visits and hours against the
 * minimum, due on the month's last day.
 */
int placement_list(struct store *s, const struct scope *sc, const struct placement_filter *f,
                   struct report_table *t, struct outcome *o);

/*
 * The children placed 送教上门 short of the minimum in the current month (due its last day)
 * and in the month before (overdue), for 待办: fn per item with the child's name, township
 * (code, name), the school that sends the teachers, the item's text and due date. 0, or -1
 * on a store error.
 */
struct send_due {
    int64_t child_id, record_id; /* the child's record in the latest run, else the one its
                                    placement was set from */
    const char *name, *tcode, *township, *school_name, *what;
    int due;
};
int send_due_each(struct store *s, const char *township_code,
                  void (*fn)(void *ctx, const struct send_due *d), void *ctx);

#endif
