/* The demo county's 人籍分离 (casework/demo_separation.h). */
#include "casework/demo_separation.h"

#include "casework/attendance.h"
#include "casework/casework.h"
#include "core/date.h"
#include "ingest/field.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/csvout.h"
#include "util/outfile.h"
#include "util/xmalloc.h"

/* Two pupils of one school whose absences it recorded (事假 or 迟到早退: they come to school),
 * and a school other than theirs; 0 when the demo has none. */
static int pick_moved(struct store *s, int64_t batch, int64_t rec[2], char other[32],
                      char other_name[128])
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id, r.school_code FROM record r"
           " WHERE r.batch_id = $1 AND r.school_code IS NOT NULL"
           " AND coalesce(r.enroll_status, 'active') = 'active'"
           " AND EXISTS (SELECT 1 FROM attendance a WHERE a.pupil_key = " CHILD_KEY_SQL(
               "r") "  AND a.school_code = r.school_code AND a.kind IN ('personal', 'late'))"
                    " ORDER BY r.school_code, r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    char school[32] = "";
    int got = 0, rc;
    while (got < 2 && (rc = stmt_step(q)) == 1) {
        if (got == 1 && strcmp(school, stmt_text(q, 1)))
            got = 0; /* both of one school */
        snprintf(school, sizeof(school), "%s", stmt_text(q, 1));
        rec[got++] = stmt_int(q, 0);
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    if (got < 2)
        return 0;
    q = store_prepare(s, "SELECT school_code, max(coalesce(school_name, '')) FROM record"
                         " WHERE batch_id = $1 AND school_code IS NOT NULL AND school_code <> $2"
                         " GROUP BY school_code ORDER BY school_code LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    stmt_bind_str(q, 2, school);
    rc = stmt_step(q);
    if (rc == 1) {
        snprintf(other, 32, "%s", stmt_text(q, 0));
        snprintf(other_name, 128, "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    return rc;
}

static const char *const header[] = {"学校标识码",   "学校名称",   "年级",    "班级",
                                     "全国学籍号",   "姓名",       "性别",    "出生日期",
                                     "身份证件类型", "身份证件号", "学籍状态"};

/* The current 学籍 list written again, rec[0] and rec[1] transferred to `other`. (Not marked
 * 转出: a pupil out of every list would be a new suspected child at the next cross-check, which
 * the demo's casework does not expect.) */
static int write_export(struct store *s, int64_t batch, const int64_t rec[2], const char *other,
                        const char *other_name, struct buf *text, long *rows)
{
    for (size_t k = 0; k < ARRAY_SIZE(header); k++)
        csv_field(text, header[k], strlen(header[k]), k == 0);
    buf_adds(text, "\r\n");
    struct stmt *q = store_prepare(
        s, "SELECT id, school_code, coalesce(school_name, ''), coalesce(grade_text, ''),"
           " coalesce(class, ''), coalesce(student_no, ''), coalesce(name, ''),"
           " coalesce(gender, 0), coalesce(birth_date, ''), coalesce(id_raw, id_number, ''),"
           " coalesce(enroll_status, 'active')"
           " FROM record WHERE batch_id = $1 AND school_code IS NOT NULL ORDER BY row_no");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        const char *status = enroll_status_label(enroll_status_from_key(stmt_text(q, 10)));
        const char *cells[ARRAY_SIZE(header)] = {
            id == rec[0] || id == rec[1] ? other : stmt_text(q, 1),
            id == rec[0] || id == rec[1] ? other_name : stmt_text(q, 2),
            stmt_text(q, 3),
            stmt_text(q, 4),
            stmt_text(q, 5),
            stmt_text(q, 6),
            gender_label((int)stmt_int(q, 7)),
            stmt_text(q, 8),
            *stmt_text(q, 9) ? "居民身份证" : "",
            stmt_text(q, 9),
            status,
        };
        for (size_t k = 0; k < ARRAY_SIZE(cells); k++)
            csv_field(text, cells[k], strlen(cells[k]), k == 0);
        buf_adds(text, "\r\n");
        (*rows)++;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* A class teacher's note: a pupil of the first school absent (事假) on the last school day,
 * "已随父母到 <another school> 借读". */
static int teacher_note(struct store *s, const char *actor, int as_of, long *noted,
                        struct outcome *o)
{
    struct pupil *r;
    size_t n;
    if (attendance_roster(s, NULL, 0, NULL, &r, &n, o) < 0)
        return -1;
    int rc = 0;
    const struct pupil *p = NULL, *other = NULL;
    for (size_t i = n / 3; i < n && !p; i++)
        if (*r[i].student_no && r[i].grade >= 3)
            p = &r[i];
    for (size_t i = 0; p && i < n && !other; i++)
        if (strcmp(r[i].school, p->school))
            other = &r[i];
    struct term_calendar cal;
    if (p && other && attendance_calendar(s, p->school, &cal, o) == 0) {
        int day = term_is_school_day(&cal, as_of) ? as_of : term_prev_school_day(&cal, as_of);
        term_calendar_release(&cal);
        char ds[11], note[256];
        date_format(day, ds);
        struct stmt *q = store_prepare(s, "SELECT max(coalesce(school_name, '')) FROM record"
                                          " WHERE id = $1");
        char name[128] = "";
        if (q) {
            stmt_bind_int(q, 1, other->record_id);
            if (stmt_step(q) == 1)
                snprintf(name, sizeof(name), "%s", stmt_text(q, 0));
            stmt_finalize(q);
        }
        snprintf(note, sizeof(note), "已随父母到%s借读，家长来电请假", name);
        struct attendance_input in = {
            .school = p->school, .date = ds, .kind = "事假", .pupils = p->student_no, .note = note};
        struct buf msg = BUF_INIT;
        json_t *res = NULL;
        rc = attendance_record(s, NULL, &in, actor, &msg, &res, o);
        json_decref(res);
        buf_release(&msg);
        *noted += rc == 0;
    } else if (p && other) {
        rc = -1;
    }
    attendance_roster_free(r, n);
    return rc;
}

int demo_separation(struct store *s, const char *dir, const char *actor, int as_of,
                    struct demo_separation_summary *out, struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    if (teacher_note(s, actor, as_of, &out->noted, o) < 0)
        return -1;
    int64_t batch;
    long rows;
    if (import_current(s, KIND_ENROLLMENT, 0, &batch, &rows) < 0)
        return fail_store(s, o);
    int64_t rec[2] = {0, 0};
    char other[32] = "", other_name[128] = "";
    int rc = batch ? pick_moved(s, batch, rec, other, other_name) : 0;
    if (rc <= 0)
        return rc < 0 ? fail_store(s, o) : 0;
    struct buf text = BUF_INIT, path = BUF_INIT, err = BUF_INIT;
    buf_adds(&text, "\xEF\xBB\xBF");
    if (write_export(s, batch, rec, other, other_name, &text, &out->enrollment_rows) < 0) {
        buf_release(&text);
        return fail_store(s, o);
    }
    buf_addf(&path, "%s/学籍数据（变动后）.csv", dir);
    struct outfile f;
    rc = outfile_open(&f, path.buf, &err);
    if (rc == 0) {
        fwrite(text.buf, 1, text.len, f.fp);
        rc = outfile_commit(&f, &err);
    }
    if (rc < 0) {
        failed(o, OUT_ERROR, "%s", err.buf);
    } else {
        struct import_options io = {
            .kind = KIND_ENROLLMENT, .path = path.buf, .actor = actor, .force = true};
        struct import_summary sum;
        rc = import_file(s, &io, &sum, o);
        import_summary_release(&sum);
        out->moved = rc == 0 ? 2 : 0;
    }
    buf_release(&text);
    buf_release(&path);
    buf_release(&err);
    return rc;
}
