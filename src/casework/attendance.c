/*
 * Attendance: the school calendar of a school, its roster, and recording and removing absences
 * and closures (casework/attendance.h). Reading is attendance_read.c, importing a sheet
 * attendance_import.c.
 */
#include "casework/attendance.h"

#include "casework/attendance_impl.h"
#include "casework/warning.h"
#include "casework/casework.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "domain/scope.h"
#include "domain/settings.h"
#include "ingest/import.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct word kind_words[AB__COUNT] = {
    [AB_PERSONAL] = {"personal", "事假", "事|请假|事假（家长请假）", 0, TONE_INFO},
    [AB_SICK] = {"sick", "病假", "病|病休", 0, TONE_WARN},
    [AB_UNEXCUSED] = {"unexcused", "旷课", "旷|无故缺勤|无故旷课|逃学", 0, TONE_BAD},
    [AB_LATE] = {"late", "迟到早退", "迟|迟到|早退|迟到/早退", 0, TONE_MUTED},
};
const struct vocab absence_kinds = {"缺勤类型", kind_words, AB__COUNT};

/* ---- the calendar ---- */

static const struct setting_field term_fields[] = {
    {"term_autumn_start", offsetof(struct term_calendar, autumn_start), SETTING_INT},
    {"term_autumn_end", offsetof(struct term_calendar, autumn_end), SETTING_INT},
    {"term_spring_start", offsetof(struct term_calendar, spring_start), SETTING_INT},
    {"term_spring_end", offsetof(struct term_calendar, spring_end), SETTING_INT},
};

int attendance_calendar(struct store *s, const char *school, struct term_calendar *cal,
                        struct outcome *o)
{
    *cal = (struct term_calendar)TERM_CALENDAR_INIT;
    if (settings_load(s, term_fields, ARRAY_SIZE(term_fields), cal) < 0)
        return fail_store(s, o);
    struct buf v = BUF_INIT, why = BUF_INIT;
    int rc = store_get_setting(s, "school_holidays", &v);
    if (rc == 1 && holidays_parse(&cal->holidays, v.buf, &why) < 0)
        rc = failed(o, OUT_ERROR, "设置“学校假期”的值无效：%s", why.buf);
    else if (rc < 0)
        fail_store(s, o);
    if (rc >= 0) {
        buf_reset(&v);
        rc = store_get_setting(s, "school_makeup_days", &v);
        if (rc == 1 && makeup_days_parse(&cal->makeup, v.buf, &why) < 0)
            rc = failed(o, OUT_ERROR, "设置“调休上课日”的值无效：%s", why.buf);
        else if (rc < 0)
            fail_store(s, o);
    }
    buf_release(&v);
    buf_release(&why);
    if (rc >= 0 && school && *school) {
        struct stmt *q = store_prepare(
            s, "SELECT first_day, last_day FROM school_closure WHERE school_code = $1");
        if (!q) {
            rc = fail_store(s, o);
        } else {
            stmt_bind_str(q, 1, school);
            while ((rc = stmt_step(q)) == 1) {
                ALLOC_GROW(cal->closed.r, cal->closed.n + 1, cal->closed.alloc);
                cal->closed.r[cal->closed.n].first = date_or_zero(stmt_text(q, 0));
                cal->closed.r[cal->closed.n].last = date_or_zero(stmt_text(q, 1));
                cal->closed.n++;
            }
            stmt_finalize(q);
            if (rc < 0)
                fail_store(s, o);
        }
    }
    if (rc < 0) {
        term_calendar_release(cal);
        return -1;
    }
    return 0;
}

/* ---- schools and pupils ---- */

int att_enrollment_batch(struct store *s, int64_t *batch)
{
    long rows;
    return import_current(s, KIND_ENROLLMENT, 0, batch, &rows);
}

int att_school(struct store *s, const struct scope *sc, const char *text, char code[32],
               char name[128], struct outcome *o)
{
    if (sc && sc->role == ROLE_SCHOOL) {
        if (!sc->school || !*sc->school)
            return failed(o, OUT_FORBIDDEN, "这个学校账号没有设置学校，不能记录考勤");
        if (text && *text && strcmp(text, sc->school) &&
            !(sc->school_name && !strcmp(text, sc->school_name)))
            return failed_at(o, OUT_FORBIDDEN, "school", "学校账号只能记录和查看本校的考勤");
        text = sc->school;
    }
    if (!text || !*text)
        return failed_at(o, OUT_INVALID, "school", "请写明学校（学籍中的学校标识码或名称）");
    int64_t batch;
    if (att_enrollment_batch(s, &batch) < 0)
        return fail_store(s, o);
    struct stmt *q = batch ? store_prepare(s, "SELECT school_code, coalesce(school_name, '')"
                                              " FROM record WHERE batch_id = $1"
                                              " AND (school_code = $2 OR school_name = $2)"
                                              " AND school_code IS NOT NULL LIMIT 1")
                           : NULL;
    if (batch && !q)
        return fail_store(s, o);
    int rc = 0;
    if (q) {
        stmt_bind_int(q, 1, batch);
        stmt_bind_str(q, 2, text);
        rc = stmt_step(q);
        if (rc == 1) {
            snprintf(code, 32, "%s", stmt_text(q, 0));
            snprintf(name, 128, "%s", stmt_text(q, 1));
        }
        stmt_finalize(q);
        if (rc < 0)
            return fail_store(s, o);
    }
    if (rc == 0)
        return failed_at(o, OUT_INVALID, "school", "当前学籍名单中没有学校“%s”", text);
    return 0;
}

/* May the scope write a school's attendance (it is the school's, or the county's)? */
int att_may_write(const struct scope *sc, struct outcome *o)
{
    if (!sc || role_records_attendance(sc->role))
        return 0;
    return failed(o, OUT_FORBIDDEN, "考勤由学校（班主任）记录，县教育局可以代录；您的账号不能记录");
}

static int pupil_cmp(const void *a_, const void *b_)
{
    const struct pupil *a = a_, *b = b_;
    if (a->grade != b->grade)
        return a->grade - b->grade;
    int c = strcmp(a->klass, b->klass);
    return c ? c : strcmp(a->name, b->name);
}

int attendance_roster(struct store *s, const char *school, int grade, const char *klass,
                      struct pupil **out, size_t *n, struct outcome *o)
{
    *out = NULL;
    *n = 0;
    size_t alloc = 0;
    int64_t batch;
    if (att_enrollment_batch(s, &batch) < 0)
        return fail_store(s, o);
    char name[128] = "";
    struct stmt *q = store_prepare(
        s,
        "SELECT " CHILD_KEY_SQL(
            "r") ", r.id, coalesce(r.name, ''), coalesce(r.grade, 0),"
                 " coalesce(r.class, ''), coalesce(r.student_no, ''), coalesce(r.school_name, '')"
                 ", coalesce(r.school_code, '')"
                 " FROM record r WHERE r.batch_id = $1 AND r.school_code IS NOT NULL"
                 " AND (CAST($2 AS TEXT) IS NULL OR r.school_code = $2)"
                 " AND coalesce(r.enroll_status, 'active') = 'active'");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, batch);
    stmt_bind_str(q, 2, school);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct pupil *p = &(*out)[(*n)++];
        memset(p, 0, sizeof(*p));
        p->key = xstrdup(stmt_text(q, 0));
        p->record_id = stmt_int(q, 1);
        p->name = xstrdup(stmt_text(q, 2));
        p->grade = (int)stmt_int(q, 3);
        snprintf(p->klass, sizeof(p->klass), "%s", stmt_text(q, 4));
        snprintf(p->student_no, sizeof(p->student_no), "%s", stmt_text(q, 5));
        snprintf(p->school, sizeof(p->school), "%s", stmt_text(q, 7));
        if (!*name)
            snprintf(name, sizeof(name), "%s", stmt_text(q, 6));
    }
    stmt_finalize(q);
    if (rc < 0)
        goto fail;
    /* the children a case returned to the school (its name), not on the 学籍 list yet */
    if (school && *name) {
        q = store_prepare(s, "SELECT ch.child_key, cf.record_id, coalesce(r.name, ''),"
                             " coalesce(cf.outcome_grade, '')"
                             " FROM case_file cf JOIN child ch ON ch.id = cf.child_id"
                             " JOIN record r ON r.id = cf.record_id"
                             " WHERE cf.outcome = 'returned' AND cf.outcome_school = $1");
        if (!q)
            goto fail;
        stmt_bind_str(q, 1, name);
        size_t listed = *n;
        while ((rc = stmt_step(q)) == 1) {
            bool known = false;
            for (size_t i = 0; i < listed && !known; i++)
                known = !strcmp((*out)[i].key, stmt_text(q, 0));
            if (known)
                continue;
            ALLOC_GROW(*out, *n + 1, alloc);
            struct pupil *p = &(*out)[(*n)++];
            memset(p, 0, sizeof(*p));
            p->key = xstrdup(stmt_text(q, 0));
            p->record_id = stmt_int(q, 1);
            p->name = xstrdup(stmt_text(q, 2));
            p->grade = grade_parse(stmt_text(q, 3), strlen(stmt_text(q, 3)));
            snprintf(p->school, sizeof(p->school), "%s", school);
            p->returned = true;
        }
        stmt_finalize(q);
        if (rc < 0)
            goto fail;
    }
    /* narrowed to the grade and class asked for */
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        struct pupil *p = &(*out)[i];
        if ((!grade || p->grade == grade) && (!klass || !*klass || !strcmp(p->klass, klass))) {
            (*out)[k++] = *p;
        } else {
            free(p->key);
            free(p->name);
        }
    }
    *n = k;
    qsort(*out, *n, sizeof(**out), pupil_cmp);
    return 0;
fail:
    attendance_roster_free(*out, *n);
    *out = NULL;
    *n = 0;
    return fail_store(s, o);
}

void attendance_roster_free(struct pupil *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].key);
        free(r[i].name);
    }
    free(r);
}

/* The pupil of the roster `text` names: 学籍号, 身份证号, or the record's number. NULL when
 * none. */
const struct pupil *att_find(const struct pupil *r, size_t n, const char *text)
{
    if (!text || !*text)
        return NULL;
    struct resident_id id;
    id_normalize(text, strlen(text), &id);
    char *end;
    long long num = strtoll(text, &end, 10);
    bool is_num = *end == '\0' && num > 0 && strlen(text) < 12;
    for (size_t i = 0; i < n; i++) {
        if (*r[i].student_no && !strcmp(r[i].student_no, text))
            return &r[i];
        if (*id.id && !strncmp(r[i].key, "I:", 2) && !strcmp(r[i].key + 2, id.id))
            return &r[i];
        if (is_num && r[i].record_id == num)
            return &r[i];
    }
    return NULL;
}

int att_kind(const char *text, struct outcome *o)
{
    int k = text && *text ? vocab_parse(&absence_kinds, text) : -1;
    if (k < 0)
        return casework_vocab_refused(o, "kind", NULL, &absence_kinds, text ? text : "");
    return k;
}

/* The day: a valid date, not in the future, and a school day of the school. */
int att_day(const struct term_calendar *cal, const char *text, int *ymd, struct outcome *o)
{
    if (casework_date("日期", "date", text, 0, ymd, o) < 0)
        return -1;
    enum school_day d = term_day(cal, *ymd);
    if (d != SD_SCHOOL) {
        char day[11];
        date_format(*ymd, day);
        return failed_at(o, OUT_INVALID, "date", "%s 不是这所学校的上课日：%s", day,
                         term_day_reason(d));
    }
    return 0;
}

/* Split `text` (changed in place) into its pupils: separated by lines, commas, semicolons or
 * spaces (ASCII or full-width). */
static bool is_sep(const char *p, size_t *len)
{
    *len = 1;
    if (*p == '\n' || *p == '\r' || *p == ',' || *p == ';' || *p == ' ' || *p == '\t')
        return true;
    *len = 3;
    return !strncmp(p, "，", 3) || !strncmp(p, "；", 3) || !strncmp(p, "　", 3);
}

static size_t split_pupils(char *text, char **v, size_t max)
{
    size_t n = 0, len;
    char *p = text;
    while (*p) {
        if (is_sep(p, &len)) {
            p += len;
            continue;
        }
        char *start = p;
        while (*p && !is_sep(p, &len))
            p++;
        bool end = !*p;
        if (!end) {
            size_t l = len;
            for (size_t j = 0; j < l; j++)
                p[j] = '\0';
            p += l;
        }
        if (n < max)
            v[n] = start;
        n++;
        if (end)
            break;
    }
    return n;
}

#define MAX_PUPILS 200

int att_put(struct store *s, const struct pupil *p, int ymd, enum absence_kind kind,
            const char *note, int64_t import_id, const char *actor, const char *now,
            const char *origin, int *replaced)
{
    char day[11];
    date_format(ymd, day);
    *replaced = 0;
    struct stmt *q = store_prepare(s, "SELECT kind FROM attendance WHERE pupil_key = $1"
                                      " AND on_date = $2");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, p->key);
    stmt_bind_str(q, 2, day);
    char old[16] = "";
    int rc = stmt_step(q);
    if (rc == 1)
        snprintf(old, sizeof(old), "%s", stmt_text(q, 0));
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        *replaced = 1;
        const struct word *w = vocab_find(&absence_kinds, old);
        char target[AUDIT_TARGET_SIZE], detail[256];
        audit_target(target, OBJ_RECORD, p->record_id);
        snprintf(detail, sizeof(detail), "%s 的考勤由“%s”改为“%s”", day, w ? w->label : old,
                 kind_words[kind].label);
        if (audit_record(s, actor, origin, "attendance_replace", target, detail) < 0)
            return -1;
    }
    q = store_prepare(
        s, "INSERT INTO attendance (pupil_key, on_date, kind, note, school_code, grade, class,"
           " record_id, import_id, recorded_by, recorded_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
           " ON CONFLICT (pupil_key, on_date) DO UPDATE SET kind = excluded.kind,"
           " note = excluded.note, school_code = excluded.school_code, grade = excluded.grade,"
           " class = excluded.class, record_id = excluded.record_id,"
           " import_id = excluded.import_id, recorded_by = excluded.recorded_by,"
           " recorded_at = excluded.recorded_at");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, p->key);
    stmt_bind_str(q, 2, day);
    stmt_bind_str(q, 3, kind_words[kind].key);
    stmt_bind_str(q, 4, note && *note ? note : NULL);
    stmt_bind_str(q, 5, p->school);
    if (p->grade)
        stmt_bind_int(q, 6, p->grade);
    else
        stmt_bind_null(q, 6);
    stmt_bind_str(q, 7, *p->klass ? p->klass : NULL);
    stmt_bind_int(q, 8, p->record_id);
    if (import_id)
        stmt_bind_int(q, 9, import_id);
    else
        stmt_bind_null(q, 9);
    stmt_bind_str(q, 10, actor && *actor ? actor : "unknown");
    stmt_bind_str(q, 11, now);
    rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* What the early-warning rules made of a change, appended to its message. */
static void warning_news(const struct warning_refresh_summary *ws, struct buf *msg)
{
    if (ws->opened)
        buf_addf(msg, "；新发出考勤预警 %ld 条（见预警处置）", ws->opened);
    if (ws->tasks)
        buf_addf(msg, "；%ld 名学生连续旷课达到疑似辍学，已报乡镇核查", ws->tasks);
    if (ws->withdrawn)
        buf_addf(msg, "；%ld 条考勤预警不再满足条件，已自动解除", ws->withdrawn);
}

int attendance_record(struct store *s, const struct scope *sc, const struct attendance_input *in,
                      const char *actor, struct buf *msg, json_t **result, struct outcome *o)
{
    if (att_may_write(sc, o) < 0)
        return -1;
    int kind = att_kind(in->kind, o);
    if (kind < 0)
        return -1;
    char code[32], name[128];
    if (att_school(s, sc, in->school, code, name, o) < 0)
        return -1;
    struct term_calendar cal;
    if (attendance_calendar(s, code, &cal, o) < 0)
        return -1;
    int ymd;
    int rc = att_day(&cal, in->date, &ymd, o);
    term_calendar_release(&cal);
    if (rc < 0)
        return -1;
    char *text = xstrdup(in->pupils ? in->pupils : "");
    char *who[MAX_PUPILS + 1];
    size_t nwho = split_pupils(text, who, MAX_PUPILS + 1);
    struct pupil *roster = NULL;
    size_t nr = 0;
    rc = -1;
    if (nwho == 0) {
        failed_at(o, OUT_INVALID, "pupils", "请写明缺勤的学生（学籍号、身份证号或记录编号）");
        goto out;
    }
    if (nwho > MAX_PUPILS) {
        failed_at(o, OUT_INVALID, "pupils", "一次最多记录 %d 名学生", MAX_PUPILS);
        goto out;
    }
    if (attendance_roster(s, code, 0, NULL, &roster, &nr, o) < 0)
        goto out;
    const struct pupil *found[MAX_PUPILS];
    for (size_t i = 0; i < nwho; i++) {
        if (!(found[i] = att_find(roster, nr, who[i]))) {
            failed_at(o, OUT_INVALID, "pupils",
                      "%s没有学生“%s”（不在当前学籍名单中，也不是劝返到本校的儿童），"
                      "没有记录任何考勤",
                      name, who[i]);
            goto out;
        }
    }
    char now[32];
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    int replaced = 0;
    for (size_t i = 0; i < nwho; i++) {
        int r;
        if (att_put(s, found[i], ymd, (enum absence_kind)kind, in->note, 0, actor, now,
                    sc ? sc->origin : "cli", &r) < 0) {
            fail_store(s, o);
            store_rollback(s);
            goto out;
        }
        replaced += r;
    }
    const char *keys[MAX_PUPILS];
    for (size_t i = 0; i < nwho; i++)
        keys[i] = found[i]->key;
    struct warning_refresh_summary ws;
    if (warnings_refresh(s, keys, nwho, date_today(), actor, &ws, o) < 0) {
        store_rollback(s);
        goto out;
    }
    char day[11], target[AUDIT_TARGET_SIZE], detail[256];
    date_format(ymd, day);
    audit_target_name(target, OBJ_SCHOOL, code);
    snprintf(detail, sizeof(detail), "%s 记录%s %zu 人（其中改记 %d 人）", day,
             kind_words[kind].label, nwho, replaced);
    if (audit_record(s, actor, sc ? sc->origin : "cli", "attendance_record", target, detail) < 0 ||
        store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        goto out;
    }
    buf_addf(msg, "已记录 %s %s %zu 名学生%s", day, kind_words[kind].label, nwho,
             replaced ? "（改记了已有的记录）" : "");
    warning_news(&ws, msg);
    if (result)
        *result =
            json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "school", code, "date", day, "kind",
                      kind_words[kind].key, "recorded", (int)nwho, "replaced", replaced,
                      "warnings_opened", (int)ws.opened, "warning_tasks", (int)ws.tasks);
    rc = 0;
out:
    attendance_roster_free(roster, nr);
    free(text);
    return rc;
}

int attendance_remove(struct store *s, const struct scope *sc,
                      const struct attendance_remove_input *in, const char *actor, struct buf *msg,
                      struct outcome *o)
{
    if (att_may_write(sc, o) < 0)
        return -1;
    char code[32], name[128];
    if (att_school(s, sc, in->school, code, name, o) < 0)
        return -1;
    int ymd;
    if (casework_date("日期", "date", in->date, 0, &ymd, o) < 0)
        return -1;
    char day[11];
    date_format(ymd, day);
    char *text = xstrdup(in->pupils ? in->pupils : "");
    char *who[MAX_PUPILS + 1];
    size_t nwho = split_pupils(text, who, MAX_PUPILS + 1);
    struct pupil *roster = NULL;
    size_t nr = 0;
    int rc = -1;
    long removed = 0;
    if (nwho == 0 || nwho > MAX_PUPILS) {
        failed_at(o, OUT_INVALID, "pupils", "请写明要撤销考勤记录的学生（一次最多 %d 名）",
                  MAX_PUPILS);
        goto out;
    }
    if (attendance_roster(s, code, 0, NULL, &roster, &nr, o) < 0)
        goto out;
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    const char *keys[MAX_PUPILS];
    for (size_t i = 0; i < nwho; i++) {
        const struct pupil *p = att_find(roster, nr, who[i]);
        if (p)
            keys[i] = p->key;
        if (!p) {
            store_rollback(s);
            failed_at(o, OUT_INVALID, "pupils", "%s没有学生“%s”，没有撤销任何记录", name, who[i]);
            goto out;
        }
        struct stmt *q = store_prepare(s, "DELETE FROM attendance WHERE pupil_key = $1"
                                          " AND on_date = $2 AND school_code = $3 RETURNING kind");
        int got = -1;
        char old[16] = "";
        if (q) {
            stmt_bind_str(q, 1, p->key);
            stmt_bind_str(q, 2, day);
            stmt_bind_str(q, 3, code);
            got = stmt_step(q);
            if (got == 1)
                snprintf(old, sizeof(old), "%s", stmt_text(q, 0));
            stmt_finalize(q);
        }
        if (got == 1) {
            const struct word *w = vocab_find(&absence_kinds, old);
            char target[AUDIT_TARGET_SIZE], detail[512];
            audit_target(target, OBJ_RECORD, p->record_id);
            snprintf(detail, sizeof(detail), "撤销 %s 的考勤记录“%s”%s%s", day, w ? w->label : old,
                     in->reason && *in->reason ? "：" : "", in->reason ? in->reason : "");
            if (audit_record(s, actor, sc ? sc->origin : "cli", "attendance_remove", target,
                             detail) < 0)
                got = -1;
            removed++;
        }
        if (got < 0) {
            fail_store(s, o);
            store_rollback(s);
            goto out;
        }
    }
    struct warning_refresh_summary ws = {0};
    if ((removed && warnings_refresh(s, keys, nwho, date_today(), actor, &ws, o) < 0) ||
        store_commit(s) < 0) {
        if (o->kind == OUT_OK)
            fail_store(s, o);
        store_rollback(s);
        goto out;
    }
    if (removed)
        buf_addf(msg, "已撤销 %s %ld 名学生的考勤记录", day, removed);
    else
        buf_addf(msg, "%s 这些学生没有考勤记录，没有可撤销的", day);
    warning_news(&ws, msg);
    rc = 0;
out:
    attendance_roster_free(roster, nr);
    free(text);
    return rc;
}

int attendance_close(struct store *s, const struct scope *sc, const struct closure_input *in,
                     const char *actor, int64_t *id, struct buf *msg, struct outcome *o)
{
    if (att_may_write(sc, o) < 0)
        return -1;
    char code[32], name[128];
    if (att_school(s, sc, in->school, code, name, o) < 0)
        return -1;
    int a, b;
    if (!in->from || date_parse(in->from, strlen(in->from), &a) < 0)
        return failed_at(o, OUT_INVALID, "from", "停课开始日期应写成 2026-11-20");
    if (!in->to || !*in->to)
        b = a;
    else if (date_parse(in->to, strlen(in->to), &b) < 0)
        return failed_at(o, OUT_INVALID, "to", "停课结束日期应写成 2026-11-20");
    if (b < a)
        return failed_at(o, OUT_INVALID, "to", "停课结束日期早于开始日期");
    if (days_between(a, b) > 200)
        return failed_at(o, OUT_INVALID, "to", "一次停课最长 200 天");
    if (!in->reason || !*in->reason)
        return failed_at(o, OUT_INVALID, "reason", "请写明停课原因");
    char fa[11], fb[11], now[32];
    date_format(a, fa);
    date_format(b, fb);
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0)
        return fail_store(s, o);
    struct stmt *q = store_prepare(s, "INSERT INTO school_closure (school_code, first_day,"
                                      " last_day, reason, set_by, set_at)"
                                      " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
    *id = 0;
    if (q) {
        stmt_bind_str(q, 1, code);
        stmt_bind_str(q, 2, fa);
        stmt_bind_str(q, 3, fb);
        stmt_bind_str(q, 4, in->reason);
        stmt_bind_str(q, 5, actor && *actor ? actor : "unknown");
        stmt_bind_str(q, 6, now);
        *id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    char target[AUDIT_TARGET_SIZE], detail[512];
    audit_target_name(target, OBJ_SCHOOL, code);
    snprintf(detail, sizeof(detail), "%s 停课 %s 至 %s：%s", name, fa, fb, in->reason);
    struct warning_refresh_summary ws = {0};
    if (*id <= 0 ||
        audit_record(s, actor, sc ? sc->origin : "cli", "school_closure", target, detail) < 0 ||
        warnings_refresh_school(s, code, date_today(), actor, &ws, o) < 0 || store_commit(s) < 0) {
        if (o->kind == OUT_OK)
            fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已登记%s停课 %s 至 %s（停课编号 %lld），这些天不计考勤", name, fa, fb,
             (long long)*id);
    warning_news(&ws, msg);
    return 0;
}

int attendance_reopen(struct store *s, const struct scope *sc, int64_t id, const char *actor,
                      struct buf *msg, struct outcome *o)
{
    if (att_may_write(sc, o) < 0)
        return -1;
    struct stmt *q = store_prepare(s, "SELECT school_code, first_day, last_day"
                                      " FROM school_closure WHERE id = $1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, id);
    char code[32] = "", fa[11] = "", fb[11] = "";
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(code, sizeof(code), "%s", stmt_text(q, 0));
        snprintf(fa, sizeof(fa), "%s", stmt_text(q, 1));
        snprintf(fb, sizeof(fb), "%s", stmt_text(q, 2));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0 || (sc && sc->role == ROLE_SCHOOL && (!sc->school || strcmp(sc->school, code))))
        return failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的停课登记", (long long)id);
    if (store_begin(s) < 0)
        return fail_store(s, o);
    char idt[24], target[AUDIT_TARGET_SIZE], detail[128];
    snprintf(idt, sizeof(idt), "%lld", (long long)id);
    const char *p[] = {idt};
    audit_target_name(target, OBJ_SCHOOL, code);
    snprintf(detail, sizeof(detail), "撤销停课 %s 至 %s（停课编号 %s）", fa, fb, idt);
    struct warning_refresh_summary ws = {0};
    if (store_run(s, "DELETE FROM school_closure WHERE id = CAST($1 AS BIGINT)", 1, p) < 0 ||
        audit_record(s, actor, sc ? sc->origin : "cli", "school_reopen", target, detail) < 0 ||
        warnings_refresh_school(s, code, date_today(), actor, &ws, o) < 0 || store_commit(s) < 0) {
        if (o->kind == OUT_OK)
            fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    buf_addf(msg, "已撤销停课 %s 至 %s，这些天重新计为上课日", fa, fb);
    warning_news(&ws, msg);
    return 0;
}
