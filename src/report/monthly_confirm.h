#ifndef BAOXUE_REPORT_MONTHLY_CONFIRM_H
#define BAOXUE_REPORT_MONTHLY_CONFIRM_H

#include <jansson.h>

#include "domain/scope.h"
#include "render/table.h"
#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * The monthly report's confirmation (issue 17, docs/reports.md): each township confirms its row
 * of a month's 控辍保学工作月报 (a named person; the figures freeze as confirmed), by day
 * monthly_confirm_day of the month after (domain/monthly_due.h); the county issues the month's
 * report once every township confirmed, and its table, xlsx and PDF are kept as issued. A
 * confirmation is set aside only by the county's 撤回 (with a reason, audited), never after the
 * month is issued. Months are written "2026-10"; absent, the month whose report date (the 15th)
 * came last (monthly_open_month).
 */

/* The live figures of month M's rows (report/monthly.c): an object {township code: {
 * township_code, township, school_age, enrolled (null before any cross-check), new_suspected,
 * verified, pending, new_cases, reopened, returned, closed, still_out, reason_*, run_id}}. */
json_t *monthly_figures(struct store *s, int month, const char *township_code, struct outcome *o);
/* The county's table of month M from frozen rows (an array of such objects). */
int monthly_table_frozen(struct store *s, int month, const json_t *rows, struct report_table *t,
                         struct outcome *o);

struct monthly_confirm_input {
    const char *month;
    const char *township; /* the county (and the command line) names it; a township's own */
    const char *person;   /* the named person who confirms */
    const char *note;
};
struct monthly_issue_input {
    const char *month;
    const char *note;
};
struct monthly_withdraw_input {
    const char *month;
    const char *township;
    const char *reason;
};

int monthly_confirm(struct store *s, const struct scope *sc, const struct monthly_confirm_input *in,
                    const char *actor, struct buf *msg, struct outcome *o);
int monthly_issue(struct store *s, const struct scope *sc, const struct monthly_issue_input *in,
                  const char *actor, struct buf *msg, struct outcome *o);
int monthly_withdraw(struct store *s, const struct scope *sc,
                     const struct monthly_withdraw_input *in, const char *actor, struct buf *msg,
                     struct outcome *o);

/*
 * The month's state for `sc` (NULL: the county): {month, report_date, deadline, overdue,
 * issued (null or {account, issued_at, note}), can_issue, confirmed, total, overdue_townships,
 * townships: [{code, name, state: confirmed|pending|overdue, person, account, confirmed_at,
 * note, figures (frozen when confirmed, live otherwise), frozen}]}; a township's scope sees
 * its own row. `month` as text (NULL: the open month).
 */
json_t *monthly_status(struct store *s, const struct scope *sc, const char *month,
                       struct outcome *o);

/* The issued report of `month`: the file as issued (FMT_XLSX, FMT_PDF) or its table's JSON
 * (FMT_JSON) in out, and its name ("沁水县控辍保学工作月报（2026年10月）"). OUT_NOT_FOUND when the
 * month is not issued. */
int monthly_issued(struct store *s, const char *month, enum report_format fmt, struct buf *out,
                   char *title, size_t title_size, struct outcome *o);

/* The month argument: text → ymd of its first day (NULL/"": the open month). */
int monthly_month_arg(const char *text, int *month, struct outcome *o);

#endif
