/*
 * Attendance read: the list of absences, a school's days by class, the class teacher's day,
 * and what the early-warning rules read — a pupil's absences and its streaks of school days
 * (casework/attendance.h).
 */
#include "casework/attendance.h"

#include "casework/attendance_impl.h"
#include "casework/casework.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "domain/scope.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* Which schools' absences the scope reads: *school one (a school account's own, or the one
 * asked for), *township its pupils' (a township). -1 with OUT_FORBIDDEN for other roles. */
static int read_reach(struct store *s, const struct scope *sc, const char *asked, char code[32],
                      const char **township, struct outcome *o)
{
    *code = '\0';
    *township = NULL;
    char name[128];
    if (sc && sc->role == ROLE_SCHOOL)
        return att_school(s, sc, asked, code, name, o);
    if (sc && sc->role == ROLE_TOWNSHIP)
        *township = sc->township ? sc->township : "";
    else if (sc && sc->role != ROLE_ADMIN && sc->role != ROLE_COUNTY && sc->role != ROLE_SUPERVISOR)
        return failed(o, OUT_FORBIDDEN, "考勤由学校和教育局查看，您的账号不能查看");
    if (asked && *asked)
        return att_school(s, NULL, asked, code, name, o);
    return 0;
}

/* The child key of the pupil `text` names (学籍号, 身份证号 or record number): 1, 0, -1. */
static int pupil_key(struct store *s, const char *text, struct buf *key)
{
    int64_t batch;
    if (att_enrollment_batch(s, &batch) < 0)
        return -1;
    struct resident_id id;
    id_normalize(text, strlen(text), &id);
    char *end;
    long long num = strtoll(text, &end, 10);
    struct stmt *q = store_prepare(
        s, "SELECT " CHILD_KEY_SQL("r") " FROM record r"
                                        " WHERE (r.batch_id = $1 AND (r.student_no = $2"
                                        " OR r.id_number = $3)) OR r.id = $4 LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    stmt_bind_str(q, 2, text);
    stmt_bind_str(q, 3, *id.id ? id.id : text);
    stmt_bind_int(q, 4, *end == '\0' && strlen(text) < 12 ? num : -1);
    int rc = stmt_step(q);
    if (rc == 1)
        buf_adds(key, stmt_text(q, 0));
    stmt_finalize(q);
    if (rc == 0 && *id.id) { /* a child no 学籍 record names: its key by the ID */
        buf_addf(key, "I:%s", id.id);
        rc = 1;
    }
    return rc;
}

static const struct table_col list_cols[] = {
    {"date", "日期", COL_TEXT},
    {"school", "学校", COL_TEXT},
    {"school_code", "学校标识码", COL_TEXT},
    {"grade", "年级", COL_INT},
    {"class", "班级", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"student_no", "学籍号", COL_TEXT},
    {"kind_label", "类型", COL_TEXT},
    {"kind", "类型代码", COL_KEY},
    {"note", "原因", COL_TEXT},
    {"recorded_by", "记录人", COL_TEXT},
    {"source", "来源", COL_TEXT},
    {"record_id", "记录编号", COL_INT},
};
enum {
    L_DATE,
    L_SCHOOL,
    L_CODE,
    L_GRADE,
    L_CLASS,
    L_NAME,
    L_NO,
    L_LABEL,
    L_KIND,
    L_NOTE,
    L_BY,
    L_SOURCE,
    L_RECORD
};

#define LIST_MAX 100000

int attendance_list(struct store *s, const struct scope *sc, const struct attendance_filter *f,
                    struct report_table *t, struct outcome *o)
{
    table_init(t, "考勤记录", "absences", list_cols, ARRAY_SIZE(list_cols));
    char code[32];
    const char *township;
    if (read_reach(s, sc, f->school, code, &township, o) < 0)
        return -1;
    int kind = -1;
    if (f->kind && *f->kind && (kind = att_kind(f->kind, o)) < 0)
        return -1;
    int to = f->to ? f->to : date_today();
    int from = f->from;
    if (!from) {
        struct term_calendar cal;
        if (attendance_calendar(s, code, &cal, o) < 0)
            return -1;
        from = term_first_day(&cal, to);
        term_calendar_release(&cal);
        if (!from)
            from = days_to_ymd(ymd_to_days(to) - 30);
    }
    if (from > to)
        return failed_at(o, OUT_INVALID, "from", "开始日期晚于结束日期");
    struct buf key = BUF_INIT;
    if (f->pupil && *f->pupil) {
        int rc = pupil_key(s, f->pupil, &key);
        if (rc < 0) {
            buf_release(&key);
            return fail_store(s, o);
        }
        if (rc == 0) {
            buf_release(&key);
            return failed_at(o, OUT_NOT_FOUND, "pupil", "当前学籍名单中没有学生“%s”", f->pupil);
        }
    }
    /* a township reads the absences of the children its 户籍 list registers */
    int64_t population = 0;
    long prow;
    if (township && import_current(s, KIND_POPULATION, 0, &population, &prow) < 0) {
        buf_release(&key);
        return fail_store(s, o);
    }
    char a[11], b[11];
    date_format(from, a);
    date_format(to, b);
    struct stmt *q = store_prepare(
        s, "SELECT a.on_date, coalesce(r.school_name, ''), a.school_code, coalesce(a.grade, 0),"
           " coalesce(a.class, ''), coalesce(r.name, ''), coalesce(r.student_no, ''), a.kind,"
           " coalesce(a.note, ''), a.recorded_by, coalesce(a.import_id, 0),"
           " coalesce(a.record_id, 0)"
           " FROM attendance a LEFT JOIN record r ON r.id = a.record_id"
           " WHERE a.on_date >= $1 AND a.on_date <= $2"
           /* a school's own: by the index (school_code, on_date), not a scan */
           " AND a.school_code >= coalesce(CAST($3 AS TEXT), '')"
           " AND a.school_code <= coalesce(CAST($3 AS TEXT), '\xef\xbf\xbf')"
           " AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM record pr"
           "  WHERE pr.batch_id = $9 AND pr.township_code = $4"
           "  AND pr.id_number = substr(a.pupil_key, 3) AND a.pupil_key LIKE 'I:%'))"
           " AND ($5 = 0 OR a.grade = $5)"
           " AND (CAST($6 AS TEXT) IS NULL OR a.class = $6)"
           " AND (CAST($7 AS TEXT) IS NULL OR a.kind = $7)"
           " AND (CAST($8 AS TEXT) IS NULL OR a.pupil_key = $8)"
           " ORDER BY a.on_date DESC, a.school_code, a.grade, a.class, r.name, a.id"
           " LIMIT 100000");
    if (!q) {
        buf_release(&key);
        return fail_store(s, o);
    }
    stmt_bind_str(q, 1, a);
    stmt_bind_str(q, 2, b);
    stmt_bind_str(q, 3, *code ? code : NULL);
    stmt_bind_str(q, 4, township);
    stmt_bind_int(q, 5, (int64_t)f->grade);
    stmt_bind_str(q, 6, f->klass && *f->klass ? f->klass : NULL);
    stmt_bind_str(q, 7, kind >= 0 ? absence_kinds.words[kind].key : NULL);
    stmt_bind_str(q, 8, key.len ? key.buf : NULL);
    stmt_bind_int(q, 9, population);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_set(t, L_DATE, stmt_text(q, 0));
        table_set(t, L_SCHOOL, *stmt_text(q, 1) ? stmt_text(q, 1) : stmt_text(q, 2));
        table_set(t, L_CODE, stmt_text(q, 2));
        if (stmt_int(q, 3))
            table_setf(t, L_GRADE, "%lld", (long long)stmt_int(q, 3));
        table_set(t, L_CLASS, stmt_text(q, 4));
        table_set(t, L_NAME, stmt_text(q, 5));
        table_set(t, L_NO, stmt_text(q, 6));
        const struct word *w = vocab_find(&absence_kinds, stmt_text(q, 7));
        table_set(t, L_LABEL, w ? w->label : stmt_text(q, 7));
        table_set(t, L_KIND, stmt_text(q, 7));
        table_set(t, L_NOTE, stmt_text(q, 8));
        table_set(t, L_BY, stmt_text(q, 9));
        if (stmt_int(q, 10))
            table_setf(t, L_SOURCE, "考勤表导入（第 %lld 次）", (long long)stmt_int(q, 10));
        else
            table_set(t, L_SOURCE, "账号记录");
        table_setf(t, L_RECORD, "%lld", (long long)stmt_int(q, 11));
    }
    stmt_finalize(q);
    buf_release(&key);
    if (rc < 0)
        return fail_store(s, o);
    table_meta(t, "from", a, META_TEXT);
    table_meta(t, "to", b, META_TEXT);
    if (t->nrows >= LIST_MAX)
        table_note(t, "只列出前 %d 条，请按学校、班级或日期缩小范围", LIST_MAX);
    return 0;
}

/* ---- a school by day and class ---- */

static const struct table_col class_cols[] = {
    {"date", "日期", COL_TEXT},
    {"grade", "年级", COL_INT},
    {"class", "班级", COL_TEXT},
    {"pupils", "学生数", COL_INT},
    {"personal", "事假", COL_INT},
    {"sick", "病假", COL_INT},
    {"unexcused", "旷课", COL_INT},
    {"late", "迟到早退", COL_INT},
    {"recorded", "有记录的学生", COL_INT},
};

struct klass {
    int grade;
    char name[32];
    long pupils;
};

int attendance_by_class(struct store *s, const struct scope *sc, const struct attendance_filter *f,
                        struct report_table *t, struct outcome *o)
{
    table_init(t, "各班考勤", "days", class_cols, ARRAY_SIZE(class_cols));
    char code[32];
    const char *township;
    if (read_reach(s, sc, f->school, code, &township, o) < 0)
        return -1;
    if (!*code)
        return failed_at(o, OUT_INVALID, "school", "请选择学校");
    int to = f->to ? f->to : date_today();
    int from = f->from ? f->from : days_to_ymd(ymd_to_days(to) - 6);
    if (from > to || days_between(from, to) > 62)
        return failed_at(o, OUT_INVALID, "from", "日期范围应在两个月之内，开始日期不晚于结束日期");
    struct pupil *roster;
    size_t nr;
    if (attendance_roster(s, code, (int)f->grade, f->klass, &roster, &nr, o) < 0)
        return -1;
    struct klass *k = NULL;
    size_t nk = 0, ka = 0;
    for (size_t i = 0; i < nr; i++) {
        if (!nk || k[nk - 1].grade != roster[i].grade || strcmp(k[nk - 1].name, roster[i].klass)) {
            ALLOC_GROW(k, nk + 1, ka);
            k[nk].grade = roster[i].grade;
            snprintf(k[nk].name, sizeof(k[nk].name), "%s", roster[i].klass);
            k[nk++].pupils = 0;
        }
        k[nk - 1].pupils++;
    }
    attendance_roster_free(roster, nr);
    struct term_calendar cal;
    if (attendance_calendar(s, code, &cal, o) < 0) {
        free(k);
        return -1;
    }
    char a[11], b[11];
    date_format(from, a);
    date_format(to, b);
    struct stmt *q = store_prepare(s, "SELECT on_date, coalesce(grade, 0), coalesce(class, ''),"
                                      " kind, count(*) FROM attendance WHERE school_code = $1"
                                      " AND on_date >= $2 AND on_date <= $3"
                                      " GROUP BY on_date, grade, class, kind");
    int rc = -1;
    size_t ndays = (size_t)days_between(from, to) + 1;
    long *cnt = xcalloc(ndays * (nk ? nk : 1) * AB__COUNT, sizeof(long));
    if (q) {
        stmt_bind_str(q, 1, code);
        stmt_bind_str(q, 2, a);
        stmt_bind_str(q, 3, b);
        while ((rc = stmt_step(q)) == 1) {
            long d = days_between(from, date_or_zero(stmt_text(q, 0)));
            int kind = vocab_parse(&absence_kinds, stmt_text(q, 3));
            for (size_t i = 0; i < nk && kind >= 0 && d >= 0 && (size_t)d < ndays; i++)
                if (k[i].grade == stmt_int(q, 1) && !strcmp(k[i].name, stmt_text(q, 2)))
                    cnt[((size_t)d * nk + i) * AB__COUNT + (size_t)kind] += stmt_int(q, 4);
        }
        stmt_finalize(q);
    }
    if (rc < 0) {
        fail_store(s, o);
    } else {
        for (long d = (long)ndays - 1; d >= 0; d--) {
            int day = days_to_ymd(ymd_to_days(from) + d);
            if (!term_is_school_day(&cal, day))
                continue;
            char ds[11];
            date_format(day, ds);
            for (size_t i = 0; i < nk; i++) {
                long *c = &cnt[((size_t)d * nk + i) * AB__COUNT], sum = 0;
                table_add_row(t);
                table_set(t, 0, ds);
                if (k[i].grade)
                    table_setf(t, 1, "%d", k[i].grade);
                table_set(t, 2, k[i].name);
                table_setf(t, 3, "%ld", k[i].pupils);
                for (int j = 0; j < AB__COUNT; j++) {
                    table_setf(t, 4 + (size_t)j, "%ld", c[j]);
                    sum += c[j];
                }
                table_setf(t, 8, "%ld", sum);
            }
        }
        table_meta(t, "school", code, META_TEXT);
        table_meta(t, "from", a, META_TEXT);
        table_meta(t, "to", b, META_TEXT);
        rc = 0;
    }
    free(cnt);
    free(k);
    term_calendar_release(&cal);
    return rc;
}

/* ---- the class teacher's day ---- */

json_t *attendance_class_day(struct store *s, const struct scope *sc, const char *school, int grade,
                             const char *klass, int day, struct outcome *o)
{
    char code[32], name[128];
    if (sc && !role_records_attendance(sc->role)) {
        failed(o, OUT_FORBIDDEN, "班级考勤由学校（班主任）记录，您的账号不能查看");
        return NULL;
    }
    if (att_school(s, sc, school, code, name, o) < 0)
        return NULL;
    if (!day)
        day = date_today();
    struct term_calendar cal;
    if (attendance_calendar(s, code, &cal, o) < 0)
        return NULL;
    enum school_day sd = term_day(&cal, day);
    term_calendar_release(&cal);
    struct pupil *all;
    size_t n;
    if (attendance_roster(s, code, 0, NULL, &all, &n, o) < 0)
        return NULL;
    char ds[11];
    date_format(day, ds);
    json_t *grades = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *g =
            json_array_size(grades) ? json_array_get(grades, json_array_size(grades) - 1) : NULL;
        if (!g || json_integer_value(json_object_get(g, "grade")) != all[i].grade) {
            g = json_pack("{s:i, s:s, s:[]}", "grade", all[i].grade, "label",
                          all[i].grade ? grade_name(all[i].grade) : "未填年级", "classes");
            json_array_append_new(grades, g);
        }
        json_t *cl = json_object_get(g, "classes");
        size_t m = json_array_size(cl);
        if (!m || strcmp(json_string_value(json_array_get(cl, m - 1)), all[i].klass))
            json_array_append_new(cl, json_string(all[i].klass));
    }
    json_t *pupils = json_array();
    struct stmt *q = store_prepare(s, "SELECT kind, coalesce(note, '') FROM attendance"
                                      " WHERE pupil_key = $1 AND on_date = $2");
    int rc = q ? 0 : -1;
    for (size_t i = 0; q && rc >= 0 && i < n; i++) {
        /* the pupils of one grade (and class) only: a whole school is no roll call */
        if (!grade || all[i].grade != grade || (klass && *klass && strcmp(all[i].klass, klass)))
            continue;
        stmt_reset(q);
        stmt_bind_str(q, 1, all[i].key);
        stmt_bind_str(q, 2, ds);
        rc = stmt_step(q);
        json_t *p =
            json_pack("{s:I, s:s, s:s, s:i, s:s, s:b}", "record_id", (json_int_t)all[i].record_id,
                      "name", all[i].name, "student_no", all[i].student_no, "grade", all[i].grade,
                      "class", all[i].klass, "returned", all[i].returned);
        json_object_set_new(p, "kind", rc == 1 ? json_string(stmt_text(q, 0)) : json_null());
        json_object_set_new(p, "note", json_string(rc == 1 ? stmt_text(q, 1) : ""));
        /* what the screen sends back: the 学籍号, else the record's number */
        if (*all[i].student_no)
            json_object_set_new(p, "ref", json_string(all[i].student_no));
        else
            json_object_set_new(p, "ref", json_sprintf("%lld", (long long)all[i].record_id));
        json_array_append_new(pupils, p);
    }
    if (q)
        stmt_finalize(q);
    attendance_roster_free(all, n);
    if (rc < 0) {
        json_decref(grades);
        json_decref(pupils);
        fail_store(s, o);
        return NULL;
    }
    return json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:o}", "school", code, "school_name", name,
                     "date", ds, "school_day", sd == SD_SCHOOL, "reason", term_day_reason(sd),
                     "grades", grades, "pupils", pupils);
}

/* ---- what the early-warning rules read ---- */

int attendance_absences(struct store *s, const char *pupil_key, int from, int to,
                        struct absence_day **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t alloc = 0;
    char a[11], b[11];
    date_format(from, a);
    date_format(to, b);
    struct stmt *q = store_prepare(s, "SELECT on_date, kind, school_code FROM attendance"
                                      " WHERE pupil_key = $1 AND on_date >= $2 AND on_date <= $3"
                                      " ORDER BY on_date");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, pupil_key);
    stmt_bind_str(q, 2, a);
    stmt_bind_str(q, 3, b);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int k = vocab_parse(&absence_kinds, stmt_text(q, 1));
        if (k < 0)
            continue;
        ALLOC_GROW(*out, *n + 1, alloc);
        struct absence_day *d = &(*out)[(*n)++];
        d->ymd = date_or_zero(stmt_text(q, 0));
        d->kind = (enum absence_kind)k;
        snprintf(d->school, sizeof(d->school), "%s", stmt_text(q, 2));
    }
    stmt_finalize(q);
    if (rc < 0) {
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

size_t absence_streaks(const struct term_calendar *cal, const struct absence_day *a, size_t n,
                       enum absence_kind kind, int from, int to, struct absence_streak *out)
{
    size_t ns = 0, i = 0;
    struct absence_streak cur = {0, 0, 0};
    for (long d = ymd_to_days(from), e = ymd_to_days(to); d <= e; d++) {
        int day = days_to_ymd(d);
        while (i < n && a[i].ymd < day)
            i++;
        if (!term_is_school_day(cal, day))
            continue; /* neither breaks nor lengthens */
        bool hit = i < n && a[i].ymd == day && a[i].kind == kind;
        if (hit) {
            if (!cur.days)
                cur.first = day;
            cur.last = day;
            cur.days++;
        } else if (cur.days) {
            out[ns++] = cur;
            cur.days = 0;
        }
    }
    if (cur.days)
        out[ns++] = cur;
    return ns;
}

int attendance_streaks(struct store *s, const struct term_calendar *cal, const char *pupil_key,
                       enum absence_kind kind, int from, int to, struct absence_streak **out,
                       size_t *n)
{
    struct absence_day *a;
    size_t na;
    *out = NULL;
    *n = 0;
    if (attendance_absences(s, pupil_key, from, to, &a, &na) < 0)
        return -1;
    /* a streak is at most as many as the absences of the kind */
    *out = xcalloc(na ? na : 1, sizeof(**out));
    *n = absence_streaks(cal, a, na, kind, from, to, *out);
    free(a);
    return 0;
}

/* ---- the calendar as a table ---- */

static const struct table_col day_cols[] = {
    {"date", "日期", COL_TEXT},           {"weekday", "星期", COL_TEXT},
    {"school_day", "上课日", COL_FLAG},   {"school_day_label", "是否上课", COL_TEXT},
    {"reason", "不上课的原因", COL_TEXT},
};

int attendance_days(struct store *s, const struct scope *sc, const char *school, int from, int to,
                    struct report_table *t, struct outcome *o)
{
    static const char *const wd[] = {"一", "二", "三", "四", "五", "六", "日"};
    table_init(t, "上课日", "days", day_cols, ARRAY_SIZE(day_cols));
    if (sc && !role_reads_attendance(sc->role))
        return failed(o, OUT_FORBIDDEN, "考勤由学校和教育局查看，您的账号不能查看");
    char code[32] = "", name[128];
    if (school && *school && att_school(s, NULL, school, code, name, o) < 0)
        return -1;
    if (sc && sc->role == ROLE_SCHOOL && att_school(s, sc, school, code, name, o) < 0)
        return -1;
    if (!to)
        to = date_today();
    if (!from)
        from = days_to_ymd(ymd_to_days(to) - 13);
    if (from > to || days_between(from, to) > 400)
        return failed_at(o, OUT_INVALID, "from", "日期范围应在 400 天之内，开始日期不晚于结束日期");
    struct term_calendar cal;
    if (attendance_calendar(s, code, &cal, o) < 0)
        return -1;
    long n = 0;
    for (long d = ymd_to_days(from), e = ymd_to_days(to); d <= e; d++) {
        int day = days_to_ymd(d);
        enum school_day sd = term_day(&cal, day);
        char ds[11];
        date_format(day, ds);
        table_add_row(t);
        table_set(t, 0, ds);
        table_setf(t, 1, "星期%s", wd[weekday_of(day)]);
        table_set(t, 2, sd == SD_SCHOOL ? "1" : "0");
        table_set(t, 3, sd == SD_SCHOOL ? "上课" : "不上课");
        table_set(t, 4, term_day_reason(sd));
        n += sd == SD_SCHOOL;
    }
    term_calendar_release(&cal);
    char num[24];
    snprintf(num, sizeof(num), "%ld", n);
    table_meta(t, "school_days", num, META_INT);
    table_note(t, "%s共 %ld 个上课日", *code ? "这所学校在这段时间" : "全县在这段时间", n);
    return 0;
}
