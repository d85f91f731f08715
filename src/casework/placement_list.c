/* Children with disabilities, read: the child record's placement and visits, the 送教上门 list
 * with each month's check, and what 待办 owes (placement.h). */
#include "casework/placement.h"

#include <jansson.h>

#include "casework/casework.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/words.h"
#include "domain/run.h"
#include "store/store.h"
#include "util/common.h"

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD");
}

static json_t *month_json(const struct send_minimum *m, const struct send_month *sm, int ymd,
                          int today)
{
    char month[16], due[11], hours[16];
    snprintf(month, sizeof(month), "%04d-%02d", ymd_year(ymd), ymd_month(ymd));
    int last = month_last_day(ymd);
    date_format(last, due);
    tenths_format(sm->tenths, hours);
    bool is_short = send_month_short(m, sm);
    return json_pack("{s:s, s:i, s:s, s:i, s:i, s:b, s:s, s:b}", "month", month, "visits",
                     sm->visits, "hours", hours, "min_visits", m->visits, "min_hours", m->hours,
                     "short", is_short, "due", due, "overdue", is_short && last < today);
}

int placement_child_json(struct store *s, const struct scope *sc, int64_t child_id,
                         const char *township_code, json_t *root)
{
    json_object_set_new(root, "placement", json_null());
    json_object_set_new(root, "visits", json_array());
    json_object_set_new(root, "send_month", json_null());
    char school[32] = "";
    int rc = 0;
    struct send_minimum m;
    struct outcome o = OUTCOME_INIT;
    if (send_minimum_load(s, &m, &o) < 0) {
        outcome_release(&o);
        return -1;
    }
    int today = date_today();
    if (child_id) {
        struct stmt *q = store_prepare(
            s, "SELECT kind, coalesce(school, ''), coalesce(school_name, ''),"
               " coalesce(approved_by, ''), coalesce(approval_no, ''), coalesce(approved_on, ''),"
               " coalesce(ends_on, ''), since, coalesce(note, ''), set_by, set_at"
               " FROM placement WHERE child_id = $1");
        if (!q)
            return -1;
        stmt_bind_int(q, 1, child_id);
        rc = stmt_step(q);
        bool home = false;
        int since = 0;
        if (rc == 1) {
            const char *kind = stmt_text(q, 0);
            home = !strcmp(kind, "home_teaching");
            since = date_or_zero(stmt_text(q, 7));
            snprintf(school, sizeof(school), "%s", stmt_text(q, 1));
            json_object_set_new(
                root, "placement",
                json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "kind",
                          jstr(kind), "kind_label", vocab_label(&placement_kinds, kind), "school",
                          jstr(stmt_text(q, 1)), "school_name", jstr(stmt_text(q, 2)),
                          "approved_by", jstr(stmt_text(q, 3)), "approval_no",
                          jstr(stmt_text(q, 4)), "approved_on", jstr(stmt_text(q, 5)), "ends_on",
                          jstr(stmt_text(q, 6)), "since", jstr(stmt_text(q, 7)), "note",
                          jstr(stmt_text(q, 8)), "set_by", jstr(stmt_text(q, 9)), "set_at",
                          jstr(stmt_text(q, 10))));
        }
        stmt_finalize(q);
        if (rc < 0)
            return -1;
        struct stmt *v = store_prepare(
            s, "SELECT v.id, v.on_date, v.teachers, v.tenths, v.content, coalesce(v.corrects, 0),"
               " coalesce((SELECT max(x.id) FROM send_visit x WHERE x.corrects = v.id), 0),"
               " coalesce(v.reason, ''), v.recorded_by, v.recorded_at FROM send_visit v"
               " WHERE v.child_id = $1 ORDER BY v.on_date DESC, v.id DESC");
        if (!v)
            return -1;
        stmt_bind_int(v, 1, child_id);
        while ((rc = stmt_step(v)) == 1) {
            char hours[16];
            tenths_format((int)stmt_int(v, 3), hours);
            json_array_append_new(
                json_object_get(root, "visits"),
                json_pack("{s:I, s:o, s:o, s:s, s:o, s:I, s:I, s:o, s:o, s:o}", "id",
                          (json_int_t)stmt_int(v, 0), "on_date", jstr(stmt_text(v, 1)), "teachers",
                          jstr(stmt_text(v, 2)), "hours", hours, "content", jstr(stmt_text(v, 4)),
                          "corrects", (json_int_t)stmt_int(v, 5), "corrected_by",
                          (json_int_t)stmt_int(v, 6), "reason", jstr(stmt_text(v, 7)),
                          "recorded_by", jstr(stmt_text(v, 8)), "recorded_at",
                          jstr(stmt_text(v, 9))));
        }
        stmt_finalize(v);
        if (rc < 0)
            return -1;
        if (home) {
            struct send_month sm;
            if (send_month_load(s, child_id, today, &sm) < 0)
                return -1;
            json_t *mj = month_json(&m, &sm, today, today);
            json_object_set_new(mj, "checked", json_boolean(send_month_checked(since, today)));
            json_object_set_new(root, "send_month", mj);
        }
    }
    /* what the account may do here (the server checks again) */
    bool may_set = sc && scope_placement_allows(sc, township_code, school, ACT_WRITE) == OUT_OK &&
                   role_has(sc->role, PERM_WRITE);
    bool may_visit = sc && *school &&
                     scope_placement_allows(sc, township_code, school, ACT_ATTEMPT) == OUT_OK &&
                     role_has(sc->role, PERM_WRITE);
    json_object_set_new(root, "may_place", json_boolean(may_set));
    json_object_set_new(root, "may_send_visit", json_boolean(may_visit));
    return 0;
}

int64_t placement_latest_record(struct store *s, int64_t batch, const char *key)
{
    struct stmt *q;
    if (!strncmp(key, "I:", 2)) {
        q = store_prepare(s, "SELECT min(id) FROM record WHERE id_number = $1 AND batch_id = $2");
        if (!q)
            return 0;
        stmt_bind_str(q, 1, key + 2);
    } else {
        /* N:name key/birth/sex: the name key never holds a slash */
        const char *a = key + 2, *b = strchr(a, '/'), *c = b ? strchr(b + 1, '/') : NULL;
        if (!c)
            return 0;
        q = store_prepare(s, "SELECT min(id) FROM record WHERE batch_id = $2 AND name_key = $1"
                             " AND birth_date = $3 AND coalesce(gender, 0) = $4");
        if (!q)
            return 0;
        stmt_bind_text(q, 1, a, (size_t)(b - a));
        stmt_bind_text(q, 3, b + 1, (size_t)(c - b - 1));
        stmt_bind_int(q, 4, strtol(c + 1, NULL, 10));
    }
    stmt_bind_int(q, 2, batch);
    int64_t id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    return id;
}

static const struct table_col list_cols[] = {
    {"township", "乡镇", COL_TEXT},        {"name", "姓名", COL_TEXT},
    {"school", "送教学校", COL_TEXT},      {"since", "安置日期", COL_TEXT},
    {"visits", "本月送教次数", COL_INT},   {"hours", "本月课时", COL_TEXT},
    {"minimum", "每月最低要求", COL_TEXT}, {"due", "截止日期", COL_TEXT},
    {"status", "状态", COL_TEXT},          {"record_id", "记录编号", COL_KEY},
    {"short", "未达标", COL_KEY},
};

int placement_list(struct store *s, const struct scope *sc, const struct placement_filter *f,
                   struct report_table *t, struct outcome *o)
{
    char code[10] = "";
    const char *tname;
    if (f->township && *f->township && casework_township(s, f->township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
    const char *school = NULL;
    if (sc) {
        switch (sc->role) {
        case ROLE_ADMIN:
        case ROLE_COUNTY:
        case ROLE_SUPERVISOR:
            break;
        case ROLE_TOWNSHIP:
            if (*code && strcmp(code, sc->township ? sc->township : ""))
                return failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
            snprintf(code, sizeof(code), "%s", sc->township ? sc->township : "-");
            break;
        case ROLE_SCHOOL:
            school = sc->school && *sc->school ? sc->school : "-";
            break;
        default:
            return failed(o, OUT_FORBIDDEN, "您的账号无权查看送教上门");
        }
    }
    struct send_minimum m;
    if (send_minimum_load(s, &m, o) < 0)
        return -1;
    struct run_info ri = {0};
    struct outcome none = OUTCOME_INIT;
    if (run_info_load(s, 0, &ri, &none) < 0)
        ri.population_batch = 0; /* no run yet: nothing links */
    outcome_release(&none);
    int today = date_today(), ymd = f->month ? f->month : today;
    int last = month_last_day(ymd);
    struct stmt *q = store_prepare(
        s, "SELECT p.child_id, coalesce(p.township, ''), coalesce(r.name, ''),"
           " coalesce(p.school_name, ''), p.since, ch.child_key FROM placement p"
           " JOIN child ch ON ch.id = p.child_id JOIN record r ON r.id = p.record_id"
           " WHERE p.kind = 'home_teaching' AND (CAST($1 AS TEXT) IS NULL OR p.township_code = $1)"
           " AND (CAST($2 AS TEXT) IS NULL OR p.school = $2)"
           " ORDER BY p.township_code, r.name, p.child_id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, *code ? code : NULL);
    stmt_bind_str(q, 2, school);
    char title[96], minimum[48];
    snprintf(title, sizeof(title), "送教上门（%04d 年 %d 月）", ymd_year(ymd), ymd_month(ymd));
    snprintf(minimum, sizeof(minimum), "%d 次、%d 课时", m.visits, m.hours);
    table_init(t, title, "children", list_cols, ARRAY_SIZE(list_cols));
    int rc;
    long n = 0, behind = 0;
    while ((rc = stmt_step(q)) == 1) {
        int64_t child = stmt_int(q, 0);
        int since = date_or_zero(stmt_text(q, 4));
        struct send_month sm;
        if (send_month_load(s, child, ymd, &sm) < 0) {
            rc = -1;
            break;
        }
        char hours[16], due[11];
        tenths_format(sm.tenths, hours);
        date_format(last, due);
        bool checked = send_month_checked(since, ymd), is_short = send_month_short(&m, &sm);
        table_add_row(t);
        table_set(t, 0, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 1, stmt_text(q, 2));
        table_set(t, 2, stmt_text(q, 3));
        table_set(t, 3, stmt_text(q, 4));
        table_setf(t, 4, "%d", sm.visits);
        table_set(t, 5, hours);
        table_set(t, 6, minimum);
        table_set(t, 7, due);
        if (!checked)
            table_set(t, 8, is_short ? "当月安置，不考核" : "已达标");
        else if (!is_short)
            table_set(t, 8, "已达标");
        else if (last < today)
            table_setf(t, 8, "未达标（逾期 %ld 天）", days_between(last, today));
        else
            table_set(t, 8, "未达标");
        table_setf(t, 9, "%lld",
                   (long long)(ri.population_batch ? placement_latest_record(s, ri.population_batch,
                                                                             stmt_text(q, 5))
                                                   : 0));
        table_set(t, 10, checked && is_short ? (last < today ? "overdue" : "short") : "");
        n++;
        behind += checked && is_short;
    }
    stmt_finalize(q);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    char month[16];
    snprintf(month, sizeof(month), "%04d-%02d", ymd_year(ymd), ymd_month(ymd));
    table_meta(t, "month", month, META_TEXT);
    table_meta(t, "min_visits", minimum, META_TEXT);
    buf_addf(&t->footer, "\n%s：送教上门 %ld 人，未达到每月 %s 的 %ld 人。\n", month, n, minimum,
             behind);
    return 0;
}

int send_due_each(struct store *s, const char *township_code,
                  void (*fn)(void *ctx, const struct send_due *d), void *ctx)
{
    struct send_minimum m;
    struct outcome o = OUTCOME_INIT;
    if (send_minimum_load(s, &m, &o) < 0) {
        outcome_release(&o);
        return -1;
    }
    struct stmt *q = store_prepare(
        s, "SELECT p.child_id, coalesce(r.name, ''), coalesce(p.township_code, ''),"
           " coalesce(p.township, ''), coalesce(p.school_name, ''), p.since, ch.child_key,"
           " p.record_id FROM placement p JOIN record r ON r.id = p.record_id"
           " JOIN child ch ON ch.id = p.child_id WHERE p.kind = 'home_teaching'"
           " AND (CAST($1 AS TEXT) IS NULL OR p.township_code = $1) ORDER BY p.child_id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township_code && *township_code ? township_code : NULL);
    struct run_info ri = {0};
    if (run_info_load(s, 0, &ri, &o) < 0)
        ri.population_batch = 0;
    outcome_release(&o);
    int today = date_today(), rc;
    /* this month (due its last day), and the month before when it ended short (overdue) */
    int months[2] = {days_to_ymd(ymd_to_days(month_first_day(today)) - 1), today};
    while ((rc = stmt_step(q)) == 1) {
        int since = date_or_zero(stmt_text(q, 5));
        for (int i = 0; i < 2; i++) {
            struct send_month sm;
            if (!send_month_checked(since, months[i]))
                continue;
            if (send_month_load(s, stmt_int(q, 0), months[i], &sm) < 0) {
                stmt_finalize(q);
                return -1;
            }
            if (!send_month_short(&m, &sm))
                continue;
            char what[160], hours[16];
            tenths_format(sm.tenths, hours);
            snprintf(what, sizeof(what),
                     "送教上门：%d 月已送教 %d 次 %s 课时（每月至少 %d 次 %d 课时）",
                     ymd_month(months[i]), sm.visits, hours, m.visits, m.hours);
            int64_t rec = ri.population_batch
                              ? placement_latest_record(s, ri.population_batch, stmt_text(q, 6))
                              : 0;
            struct send_due d = {stmt_int(q, 0),
                                 rec ? rec : stmt_int(q, 7),
                                 stmt_text(q, 1),
                                 stmt_text(q, 2),
                                 stmt_text(q, 3),
                                 stmt_text(q, 4),
                                 what,
                                 month_last_day(months[i])};
            fn(ctx, &d);
        }
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}
