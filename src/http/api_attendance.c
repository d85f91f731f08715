/* The attendance reads (issue 16, casework/attendance.h): the absences, a school by day and
 * class, the class teacher's day, and the school days. Recording is the action rows'
 * (verb/rows_attendance.c). */
#include "casework/attendance.h"
#include "casework/warning.h"
#include "core/date.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"

/* A date argument: blank → 0. False after answering 400. */
static bool arg_date(struct request *r, const char *name, int *ymd)
{
    const char *t;
    *ymd = 0;
    if (!arg_text(r, name, 32, &t))
        return false;
    if (t && *t && date_parse(t, strlen(t), ymd) < 0) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", name, "日期应写作 2026-11-20");
        return false;
    }
    return true;
}

static bool filter_args(struct request *r, struct attendance_filter *f)
{
    int64_t grade;
    if (!arg_text(r, "school", 128, &f->school) || !arg_int(r, "grade", 0, 12, &grade) ||
        !arg_text(r, "class", 32, &f->klass) || !arg_text(r, "pupil", 40, &f->pupil) ||
        !arg_text(r, "kind", 32, &f->kind) || !arg_date(r, "from", &f->from) ||
        !arg_date(r, "to", &f->to))
        return false;
    f->grade = (long)grade;
    return true;
}

void attendance_list_h(struct request *r)
{
    struct attendance_filter f = {0};
    struct paging pg;
    if (!filter_args(r, &f) || !arg_paging(r, &pg))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = attendance_list(r->store, &r->scope, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

void attendance_classes_h(struct request *r)
{
    struct attendance_filter f = {0};
    struct paging pg;
    if (!filter_args(r, &f) || !arg_paging(r, &pg))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = attendance_by_class(r->store, &r->scope, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

void attendance_class_day_h(struct request *r)
{
    const char *school, *klass;
    int64_t grade;
    int day;
    if (!arg_text(r, "school", 128, &school) || !arg_int(r, "grade", 0, 12, &grade) ||
        !arg_text(r, "class", 32, &klass) || !arg_date(r, "date", &day))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = attendance_class_day(r->store, &r->scope, school, (int)grade, klass, day, &o);
    reply_read(r, j, &o);
}

void attendance_days_h(struct request *r)
{
    const char *school;
    int from, to;
    if (!arg_text(r, "school", 128, &school) || !arg_date(r, "from", &from) ||
        !arg_date(r, "to", &to))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = attendance_days(r->store, &r->scope, school, from, to, &t, &o);
    reply_table(r, rc, &t, &o);
}

/* ---- the early warnings (casework/warning.h) ---- */

void warnings_h(struct request *r)
{
    struct warning_filter f = {0};
    struct paging pg;
    if (!arg_text(r, "school", 128, &f.school) || !arg_text(r, "township", 64, &f.township) ||
        !arg_text(r, "state", 32, &f.state) || !arg_text(r, "kind", 32, &f.kind) ||
        !arg_full(r, &f.full) || !arg_paging(r, &pg))
        return;
    if (!f.state)
        f.state = "open"; /* the board: what still needs someone; state=all for every one */
    if (f.full && !audit_full(r, "考勤预警（完整身份证号）", NULL))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = warning_table(r->store, &r->scope, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

void warning_h(struct request *r)
{
    int64_t id = path_id(r);
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这条考勤预警");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    json_t *j = warning_json(r->store, &r->scope, id, &o);
    reply_read(r, j, &o);
}
