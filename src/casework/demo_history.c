/* The demo county's history: two earlier 学籍 exports and their cross-checks
 * (casework/demo_history.h). */
#include "casework/demo_history.h"

#include "core/date.h"
#include "core/schoolyear.h"
#include "domain/match.h"
#include "ingest/field.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/csvout.h"
#include "util/outfile.h"

static const char *const header[] = {"学校标识码",   "学校名称",   "年级",    "班级",
                                     "全国学籍号",   "姓名",       "性别",    "出生日期",
                                     "身份证件类型", "身份证件号", "学籍状态"};

/* The current list as it stood earlier: `shift` grades lower (1: the spring term before), every
 * pupil active; those below grade 1 then are left out. */
static int write_earlier(struct store *s, int64_t batch, int shift, struct buf *text, long *rows)
{
    buf_adds(text, "\xEF\xBB\xBF");
    for (size_t k = 0; k < ARRAY_SIZE(header); k++)
        csv_field(text, header[k], strlen(header[k]), k == 0);
    buf_adds(text, "\r\n");
    struct stmt *q = store_prepare(
        s, "SELECT school_code, coalesce(school_name, ''), coalesce(grade, 0),"
           " coalesce(grade_text, ''), coalesce(class, ''), coalesce(student_no, ''),"
           " coalesce(name, ''), coalesce(gender, 0), coalesce(birth_date, ''),"
           " coalesce(id_raw, id_number, ''), coalesce(enroll_status, 'active')"
           " FROM record WHERE batch_id = $1 AND school_code IS NOT NULL ORDER BY row_no");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int grade = (int)stmt_int(q, 2);
        enum enroll_status st = enroll_status_from_key(stmt_text(q, 10));
        if (st == ENR_GRADUATED) { /* in grade 9 the spring before; gone by September */
            if (!shift)
                continue;
            grade += shift;
        }
        if (grade - shift < 1 || grade - shift > 9)
            continue;
        const char *cells[ARRAY_SIZE(header)] = {
            stmt_text(q, 0),
            stmt_text(q, 1),
            shift || !*stmt_text(q, 3) ? grade_name(grade - shift) : stmt_text(q, 3),
            stmt_text(q, 4),
            stmt_text(q, 5),
            stmt_text(q, 6),
            gender_label((int)stmt_int(q, 7)),
            stmt_text(q, 8),
            *stmt_text(q, 9) ? "居民身份证" : "",
            stmt_text(q, 9),
            enroll_status_label(ENR_ACTIVE),
        };
        for (size_t k = 0; k < ARRAY_SIZE(cells); k++)
            csv_field(text, cells[k], strlen(cells[k]), k == 0);
        buf_adds(text, "\r\n");
        (*rows)++;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int import_path(struct store *s, const char *path, const char *actor, struct outcome *o)
{
    struct import_options io = {
        .kind = KIND_ENROLLMENT, .path = path, .actor = actor, .force = true};
    struct import_summary sum;
    int rc = import_file(s, &io, &sum, o);
    import_summary_release(&sum);
    return rc;
}

/* Writes and imports the earlier list, then cross-checks on `date`. */
static int earlier(struct store *s, const char *dir, const char *file, int64_t batch, int shift,
                   int date, const char *actor, long *rows, struct outcome *o)
{
    struct buf text = BUF_INIT, path = BUF_INIT, err = BUF_INIT;
    int rc = write_earlier(s, batch, shift, &text, rows);
    if (rc < 0) {
        fail_store(s, o);
    } else {
        buf_addf(&path, "%s/%s", dir, file);
        struct outfile f;
        rc = outfile_open(&f, path.buf, &err);
        if (rc == 0) {
            fwrite(text.buf, 1, text.len, f.fp);
            rc = outfile_commit(&f, &err);
        }
        if (rc < 0)
            failed(o, OUT_ERROR, "%s", err.buf);
    }
    if (rc == 0)
        rc = import_path(s, path.buf, actor, o);
    if (rc == 0) {
        struct match_options mo = {.as_of = date, .actor = actor};
        struct match_result mr;
        rc = calendar_load(s, &mo.cal) < 0 ? fail_store(s, o) : match_run(s, &mo, &mr, o);
    }
    buf_release(&text);
    buf_release(&path);
    buf_release(&err);
    return rc;
}

int demo_history(struct store *s, const char *dir, const char *current_path, const char *actor,
                 int as_of, struct demo_history_summary *out, struct outcome *o)
{
    memset(out, 0, sizeof(*out));
    struct school_calendar cal;
    if (calendar_load(s, &cal) < 0)
        return fail_store(s, o);
    int64_t batch;
    long rows;
    if (import_current(s, KIND_ENROLLMENT, 0, &batch, &rows) < 0)
        return fail_store(s, o);
    if (!batch)
        return 0;
    int sy = school_year_of(&cal, as_of);
    /* the spring term of the school year before: in calendar year sy */
    out->spring_date = ymd_make(sy, 4, 15);
    if (out->spring_date >= as_of)
        out->spring_date = ymd_make(sy - 1, 4, 15);
    if (earlier(s, dir, "学籍数据（春季学期）.csv", batch, 1, out->spring_date, actor,
                &out->spring_rows, o) < 0)
        return -1;
    out->runs++;
    int sept = ymd_make(sy, 9, 15);
    if (sept < as_of) {
        out->september_date = sept;
        if (earlier(s, dir, "学籍数据（秋季开学）.csv", batch, 0, sept, actor, &out->september_rows,
                    o) < 0)
            return -1;
        out->runs++;
    }
    /* this term's export again: the newest snapshot, as the clerk imports it */
    return import_path(s, current_path, actor, o);
}
