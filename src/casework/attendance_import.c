/*
 * Importing a school's attendance sheet (casework/attendance.h): one row per absence, or a
 * class's month grid. The sheet is read by ingest/sheet.h; the pupils are found in the roster
 * (the current 学籍 list, and the children returned to the school) by 学籍号, ID number, or
 * name within the class (or the school, when the name is unique there). One transaction: every
 * row that names a pupil on a school day lands, the others are rejected with the reason.
 */
#include "casework/attendance.h"

#include "casework/attendance_impl.h"
#include "casework/warning.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "domain/scope.h"
#include "ingest/field.h"
#include "ingest/import_impl.h"
#include "ingest/sheet.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/csvout.h"
#include "util/intern.h"
#include "util/outfile.h"
#include "util/progress.h"
#include "util/xmalloc.h"

/* The roster as an index: 学籍号, ID, name in a class, name in a school. */
struct index {
    struct intern keys;
    int64_t *who; /* per key: the pupil's index, -2 two pupils have it */
    size_t nwho, awho;
    struct pupil *roster;
    size_t n;
};

static void index_put(struct index *x, const char *key, int64_t i)
{
    uint32_t k = intern_add(&x->keys, key);
    if (k >= x->nwho) {
        ALLOC_GROW(x->who, (size_t)k + 1, x->awho);
        while (x->nwho <= k)
            x->who[x->nwho++] = -1;
    }
    x->who[k] = x->who[k] == -1 ? i : -2;
}

static int64_t index_get(struct index *x, const char *key)
{
    uint32_t k = intern_add(&x->keys, key);
    return k < x->nwho ? x->who[k] : -1;
}

static void index_build(struct index *x)
{
    struct buf k = BUF_INIT;
    char cl[32];
    for (size_t i = 0; i < x->n; i++) {
        const struct pupil *p = &x->roster[i];
        if (*p->student_no) {
            buf_reset(&k);
            buf_addf(&k, "S:%s", p->student_no);
            index_put(x, k.buf, (int64_t)i);
        }
        if (!strncmp(p->key, "I:", 2))
            index_put(x, p->key, (int64_t)i);
        class_norm(p->klass, cl);
        buf_reset(&k);
        buf_addf(&k, "N:%s\x1f%d\x1f%s\x1f%s", p->school, p->grade, cl, p->name);
        index_put(x, k.buf, (int64_t)i);
        buf_reset(&k);
        buf_addf(&k, "C:%s\x1f%s\x1f%s", p->school, cl, p->name);
        index_put(x, k.buf, (int64_t)i);
        buf_reset(&k);
        buf_addf(&k, "M:%s\x1f%s", p->school, p->name);
        index_put(x, k.buf, (int64_t)i);
    }
    buf_release(&k);
}

/* The school calendars met so far (a county's sheet may name many schools). */
struct calendars {
    struct intern codes;
    struct term_calendar *cal;
    size_t n, alloc;
};

static const struct term_calendar *calendar_of(struct store *s, struct calendars *c,
                                               const char *school, struct outcome *o)
{
    uint32_t k = intern_add(&c->codes, school);
    if (k < c->n)
        return &c->cal[k];
    ALLOC_GROW(c->cal, (size_t)k + 1, c->alloc);
    if (attendance_calendar(s, school, &c->cal[k], o) < 0)
        return NULL;
    c->n = k + 1;
    return &c->cal[k];
}

struct import_run {
    struct store *s;
    const struct scope *sc;
    const struct attendance_import_options *opt;
    struct attendance_import_summary *sum;
    struct index x;
    struct calendars cals;
    char school[32], school_name[128];         /* the sheet's school, "" when rows name theirs */
    char row_school[32], row_school_text[128]; /* the last row's school column, looked up */
    int col[A__COUNT];
    int day_cols[32]; /* a grid: the column of day d, -1 none */
    int month;        /* yyyymm from the title, 0 none */
    int title_grade;
    char title_class[32];
    int64_t import_id;
    char now[32];
    struct stmt *get, *put;
    struct buf rejects; /* the rejects CSV */
    struct buf key;
    bool grid;
    const struct pupil **touched; /* the pupils given an absence (repeats), for the warnings */
    size_t ntouched, touched_alloc;
};

static const char *cell(const struct row *r, int c)
{
    return c >= 0 && (size_t)c < r->ncells ? r->cells[c].text : "";
}

static int reject(struct import_run *ir, const struct row *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int reject(struct import_run *ir, const struct row *r, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    ir->sum->rows_rejected++;
    json_t *raw = json_array();
    for (size_t i = 0; i < r->ncells; i++) {
        size_t n = r->cells[i].len > 200 ? 200 : r->cells[i].len;
        json_array_append_new(raw, json_stringn_nocheck(r->cells[i].text, n));
    }
    char *text = json_dumps(raw, JSON_COMPACT);
    json_decref(raw);
    struct stmt *q = store_prepare(ir->s, "INSERT INTO attendance_reject (import_id, row_no,"
                                          " reason, raw) VALUES ($1, $2, $3, $4)");
    int rc = -1;
    if (q) {
        stmt_bind_int(q, 1, ir->import_id);
        stmt_bind_int(q, 2, r->number);
        stmt_bind_str(q, 3, why);
        stmt_bind_str(q, 4, text ? text : "[]");
        rc = stmt_step(q) < 0 ? -1 : 0;
        stmt_finalize(q);
    }
    if (ir->opt->rejects_path) {
        char no[24];
        snprintf(no, sizeof(no), "%ld", r->number);
        csv_field(&ir->rejects, no, strlen(no), true);
        csv_field(&ir->rejects, why, strlen(why), false);
        for (size_t i = 0; i < r->ncells; i++)
            csv_field(&ir->rejects, r->cells[i].text, r->cells[i].len, false);
        buf_adds(&ir->rejects, "\r\n");
    }
    free(text);
    return rc;
}

/* The pupil a row names; NULL with the reason in why. */
static const struct pupil *row_pupil(struct import_run *ir, const struct row *r, char *why,
                                     size_t wsize)
{
    const char *school = ir->school;
    if (!*school && ir->col[A_SCHOOL] >= 0) {
        /* the row's school, by its code or name (the last one looked up is kept) */
        const char *t = cell(r, ir->col[A_SCHOOL]);
        if (*t && strcmp(t, ir->row_school_text)) {
            char name[128];
            struct outcome so = OUTCOME_INIT;
            if (att_school(ir->s, NULL, t, ir->row_school, name, &so) < 0)
                ir->row_school[0] = '\0';
            outcome_release(&so);
            snprintf(ir->row_school_text, sizeof(ir->row_school_text), "%s", t);
        }
        school = *t ? ir->row_school : "";
    }
    const char *no = cell(r, ir->col[A_NO]), *id = cell(r, ir->col[A_ID]),
               *name = cell(r, ir->col[A_NAME]);
    int64_t i = -1;
    if (*no) {
        buf_reset(&ir->key);
        buf_addf(&ir->key, "S:%s", no);
        i = index_get(&ir->x, ir->key.buf);
    }
    if (i < 0 && *id) {
        struct resident_id rid;
        id_normalize(id, strlen(id), &rid);
        if (*rid.id) {
            buf_reset(&ir->key);
            buf_addf(&ir->key, "I:%s", rid.id);
            i = index_get(&ir->x, ir->key.buf);
        }
    }
    if (i < 0 && *name && *school) {
        const char *ct = ir->col[A_CLASS] >= 0 ? cell(r, ir->col[A_CLASS]) : ir->title_class;
        char cl[32] = "";
        if (*ct)
            class_norm(ct, cl);
        int grade = ir->col[A_GRADE] >= 0
                        ? grade_parse(cell(r, ir->col[A_GRADE]), strlen(cell(r, ir->col[A_GRADE])))
                        : 0;
        if (!grade && *ct)
            grade = grade_in(ct);
        if (!grade)
            grade = ir->title_grade;
        buf_reset(&ir->key);
        if (*cl && grade)
            buf_addf(&ir->key, "N:%s\x1f%d\x1f%s\x1f%s", school, grade, cl, name);
        else if (*cl)
            buf_addf(&ir->key, "C:%s\x1f%s\x1f%s", school, cl, name);
        else
            buf_addf(&ir->key, "M:%s\x1f%s", school, name);
        i = index_get(&ir->x, ir->key.buf);
        if (i == -2) {
            snprintf(why, wsize, "%s有不止一名叫“%s”的学生，请写学籍号", *cl ? "这个班" : "本校",
                     name);
            return NULL;
        }
    }
    if (i < 0) {
        if (!*no && !*id && !*name)
            snprintf(why, wsize, "没有写学生（学籍号、身份证号或姓名）");
        else if (!*no && !*id && !*school)
            snprintf(why, wsize, "只写了姓名，表中又没有学校：请写学籍号或身份证号");
        else
            snprintf(why, wsize, "%s没有这名学生（%s%s），不在当前学籍名单中，也不是劝返到校的儿童",
                     *ir->school_name ? ir->school_name : "学校", *no ? "学籍号 " : "",
                     *no     ? no
                     : *name ? name
                             : "");
        return NULL;
    }
    return &ir->x.roster[i];
}

static int put(struct import_run *ir, const struct pupil *p, int ymd, enum absence_kind kind,
               const char *note)
{
    char day[11];
    date_format(ymd, day);
    stmt_reset(ir->get);
    stmt_bind_str(ir->get, 1, p->key);
    stmt_bind_str(ir->get, 2, day);
    int rc = stmt_step(ir->get);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        ir->sum->replaced++;
        char target[AUDIT_TARGET_SIZE], detail[256];
        const struct word *w = vocab_find(&absence_kinds, stmt_text(ir->get, 0));
        audit_target(target, OBJ_RECORD, p->record_id);
        snprintf(detail, sizeof(detail), "%s 的考勤由“%s”改为“%s”（考勤表导入第 %lld 次）", day,
                 w ? w->label : stmt_text(ir->get, 0), absence_kinds.words[kind].label,
                 (long long)ir->import_id);
        if (audit_record(ir->s, ir->opt->actor, ir->sc ? ir->sc->origin : "cli",
                         "attendance_replace", target, detail) < 0)
            return -1;
    }
    struct stmt *q = ir->put;
    stmt_reset(q);
    stmt_bind_str(q, 1, p->key);
    stmt_bind_str(q, 2, day);
    stmt_bind_str(q, 3, absence_kinds.words[kind].key);
    stmt_bind_str(q, 4, note && *note ? note : NULL);
    stmt_bind_str(q, 5, p->school);
    if (p->grade)
        stmt_bind_int(q, 6, p->grade);
    else
        stmt_bind_null(q, 6);
    stmt_bind_str(q, 7, *p->klass ? p->klass : NULL);
    stmt_bind_int(q, 8, p->record_id);
    stmt_bind_int(q, 9, ir->import_id);
    stmt_bind_str(q, 10, ir->opt->actor && *ir->opt->actor ? ir->opt->actor : "unknown");
    stmt_bind_str(q, 11, ir->now);
    if (stmt_step(q) < 0)
        return -1;
    ir->sum->absences++;
    if (!ir->ntouched || ir->touched[ir->ntouched - 1] != p) {
        ALLOC_GROW(ir->touched, ir->ntouched + 1, ir->touched_alloc);
        ir->touched[ir->ntouched++] = p;
    }
    return 0;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return (x > y) - (x < y);
}

/* The early warnings of the pupils the sheet gave absences (all of them, in one pass, when
 * they are many). */
static int refresh_warnings(struct import_run *ir, struct outcome *o)
{
    if (!ir->ntouched)
        return 0;
    qsort(ir->touched, ir->ntouched, sizeof(*ir->touched), cmp_ptr);
    size_t n = 0;
    for (size_t i = 0; i < ir->ntouched; i++)
        if (!n || ir->touched[n - 1] != ir->touched[i])
            ir->touched[n++] = ir->touched[i];
    const char **keys = NULL;
    if (n <= WARNING_REFRESH_KEYS_MAX) {
        keys = xcalloc(n, sizeof(*keys));
        for (size_t i = 0; i < n; i++)
            keys[i] = ir->touched[i]->key;
    }
    struct warning_refresh_summary ws;
    int rc = warnings_refresh(ir->s, keys, n, date_today(), ir->opt->actor, &ws, o);
    free(keys);
    ir->sum->warnings_opened = ws.opened;
    ir->sum->warning_tasks = ws.tasks;
    return rc;
}

/* A date cell: a date's text, or an Excel serial; or a day of the title's month. */
static int cell_date(const struct import_run *ir, const struct cell *c, int *ymd)
{
    if (!c->len)
        return -1;
    if ((c->kind == CELL_NUMBER || c->kind == CELL_DATE) && c->number > 20000 && c->number < 80000)
        return date_from_excel(c->number, false, ymd);
    if (date_parse(c->text, c->len, ymd) == 0)
        return 0;
    int d = day_col(c->text, c->len);
    if (d && ir->month) {
        *ymd = ir->month * 100 + d;
        return ymd_valid(*ymd) ? 0 : -1;
    }
    /* "11月3日" in the title's year */
    const char *m = strstr(c->text, "月");
    if (m && ir->month) {
        int mm = atol(c->text), dd = atol(m + 3);
        *ymd = (ir->month / 100) * 10000 + mm * 100 + dd;
        return ymd_valid(*ymd) ? 0 : -1;
    }
    return -1;
}

static const struct term_calendar *pupil_calendar(struct import_run *ir, const struct pupil *p,
                                                  struct outcome *o)
{
    return calendar_of(ir->s, &ir->cals, p->school, o);
}

static int row_absence(struct import_run *ir, const struct row *r, struct outcome *o)
{
    char why[512];
    const struct pupil *p = row_pupil(ir, r, why, sizeof(why));
    if (!p)
        return reject(ir, r, "%s", why);
    int ymd;
    int dc = ir->col[A_DATE];
    if (dc < 0 || (size_t)dc >= r->ncells || cell_date(ir, &r->cells[dc], &ymd) < 0)
        return reject(ir, r, "日期“%s”无法识别，应写成 2026-11-03", cell(r, dc));
    int kind = vocab_parse(&absence_kinds, cell(r, ir->col[A_KIND]));
    if (kind < 0)
        return reject(ir, r, "类型“%s”无法识别，应为事假、病假、旷课或迟到早退",
                      cell(r, ir->col[A_KIND]));
    const struct term_calendar *cal = pupil_calendar(ir, p, o);
    if (!cal)
        return -2;
    enum school_day sd = term_day(cal, ymd);
    if (sd != SD_SCHOOL) {
        char day[11];
        date_format(ymd, day);
        return reject(ir, r, "%s 不是上课日：%s", day, term_day_reason(sd));
    }
    if (ymd > date_today())
        return reject(ir, r, "日期 %d-%02d-%02d 在今天之后", ymd_year(ymd), ymd_month(ymd),
                      ymd_day(ymd));
    return put(ir, p, ymd, (enum absence_kind)kind, cell(r, ir->col[A_NOTE]));
}

static int row_grid(struct import_run *ir, const struct row *r, struct outcome *o)
{
    int month = ir->month;
    if (ir->col[A_MONTH] >= 0) {
        const char *m = cell(r, ir->col[A_MONTH]);
        if (*m && date_parse_month(m, strlen(m), &month) < 0)
            return reject(ir, r, "月份“%s”无法识别，应写成 2026-11 或 2026年11月", m);
    }
    /* a row of the grid with no mark at all and no pupil is a note or a blank */
    char why[512];
    const struct pupil *p = row_pupil(ir, r, why, sizeof(why));
    if (!p)
        return reject(ir, r, "%s", why);
    if (!month)
        return reject(ir, r,
                      "不知道是哪个月的考勤：表头上方的标题应写明月份（如“2026年11月”），"
                      "或加一列“月份”");
    const struct term_calendar *cal = pupil_calendar(ir, p, o);
    if (!cal)
        return -2;
    /* every cell is checked before any lands, so that a row is whole or rejected */
    int kinds[32] = {0};
    for (int d = 1; d <= 31; d++) {
        kinds[d] = -1;
        if (ir->day_cols[d] < 0)
            continue;
        const char *t = cell(r, ir->day_cols[d]);
        int kind;
        int m = grid_mark(t, &kind);
        if (m < 0)
            return reject(ir, r, "%d 日的标记“%s”无法识别，应为 ✓（出勤）、事、病、旷、迟", d, t);
        if (m == 0) {
            ir->sum->present_marks += *t != '\0';
            continue;
        }
        int ymd = month * 100 + d;
        if (!ymd_valid(ymd))
            return reject(ir, r, "%d 月没有 %d 日", month % 100, d);
        enum school_day sd = term_day(cal, ymd);
        if (sd != SD_SCHOOL)
            return reject(ir, r, "%d 月 %d 日不是上课日：%s", month % 100, d, term_day_reason(sd));
        if (ymd > date_today())
            return reject(ir, r, "%d 月 %d 日在今天之后", month % 100, d);
        kinds[d] = kind;
    }
    for (int d = 1; d <= 31; d++)
        if (kinds[d] >= 0 && put(ir, p, month * 100 + d, (enum absence_kind)kinds[d], NULL) < 0)
            return -1;
    return 0;
}

/* The title above the header: "2026年11月 七年级(2)班考勤表". */
static void title_read(struct import_run *ir, const struct row *r)
{
    for (size_t i = 0; i < r->ncells; i++) {
        const char *t = r->cells[i].text;
        const char *y = strstr(t, "年");
        if (!ir->month && y && y - t >= 4) {
            int ym;
            const char *m = strstr(y, "月");
            if (m && date_parse_month(y - 4, (size_t)(m + 3 - (y - 4)), &ym) == 0)
                ir->month = ym;
        }
        const char *g = strstr(t, "年级");
        if (!ir->title_grade && g) {
            /* the grade's word just before 年级 (one character: 七) */
            const char *start = g - 3 >= t ? g - 3 : t;
            ir->title_grade = grade_parse(start, (size_t)(g - start) + strlen("年级"));
            const char *ban = strstr(g, "班");
            if (ban) {
                char part[32];
                snprintf(part, sizeof(part), "%.*s", (int)(ban - g), g);
                class_norm(part, ir->title_class);
            }
        }
    }
}

/* Find the header in the first rows: 1 found (ir->col, ir->grid, ir->day_cols set), 0 not. */
static int header_find(struct import_run *ir, struct sheet_reader *sr, struct buf *err)
{
    struct buf k = BUF_INIT;
    const struct row *r;
    int rc;
    for (int n = 0; n < 30 && (rc = sheet_next_row(sr, &r, err)) == 1; n++) {
        ir->sum->rows_read++;
        int col[A__COUNT], days = 0, dcols[32];
        for (int c = 0; c < A__COUNT; c++)
            col[c] = -1;
        for (int d = 0; d < 32; d++)
            dcols[d] = -1;
        for (size_t i = 0; i < r->ncells; i++) {
            int c = acol_of(r->cells[i].text, r->cells[i].len, &k);
            if (c >= 0 && col[c] < 0)
                col[c] = (int)i;
            int d = day_col(r->cells[i].text, r->cells[i].len);
            if (d && dcols[d] < 0) {
                dcols[d] = (int)i;
                days++;
            }
        }
        bool person = col[A_NAME] >= 0 || col[A_NO] >= 0 || col[A_ID] >= 0;
        if (person && col[A_DATE] >= 0 && col[A_KIND] >= 0) {
            memcpy(ir->col, col, sizeof(col));
            ir->grid = false;
            buf_release(&k);
            return 1;
        }
        if (person && days >= 20) {
            memcpy(ir->col, col, sizeof(col));
            memcpy(ir->day_cols, dcols, sizeof(dcols));
            ir->grid = true;
            buf_release(&k);
            return 1;
        }
        title_read(ir, r);
    }
    buf_release(&k);
    return rc < 0 ? -1 : 0;
}

int attendance_import(struct store *s, const struct scope *sc,
                      const struct attendance_import_options *opt,
                      struct attendance_import_summary *sum, struct outcome *o)
{
    memset(sum, 0, sizeof(*sum));
    if (att_may_write(sc, o) < 0)
        return -1;
    struct import_run ir;
    memset(&ir, 0, sizeof(ir));
    ir.s = s;
    ir.sc = sc;
    ir.opt = opt;
    ir.sum = sum;
    intern_init(&ir.x.keys);
    intern_init(&ir.cals.codes);
    const char *shown = opt->name ? opt->name : opt->path;
    if ((sc && sc->role == ROLE_SCHOOL) || (opt->school && *opt->school)) {
        if (att_school(s, sc, opt->school, ir.school, ir.school_name, o) < 0)
            return -1;
    }
    struct buf err = BUF_INIT;
    char sha[65];
    off_t size;
    struct sheet_reader *sr = NULL;
    int rc = -1;
    if (import_file_sha256(opt->path, shown, sha, &size, &err) < 0) {
        failed(o, OUT_INVALID, "%s", err.buf);
        goto out;
    }
    if (!opt->force && !opt->dry_run) {
        int64_t earlier = 0;
        const char *p[] = {sha};
        if (store_int(s,
                      "SELECT coalesce(max(id), 0) FROM attendance_import"
                      " WHERE file_sha256 = $1",
                      1, p, &earlier) < 0) {
            fail_store(s, o);
            goto out;
        }
        if (earlier) {
            failed_at(o, OUT_INVALID, "force",
                      "这份考勤表已经导入过（第 %lld 次考勤导入）；确需再次导入请选择“再次导入”",
                      (long long)earlier);
            goto out;
        }
    }
    if (sheet_open(&sr, opt->path, &err) < 0) {
        failed(o, OUT_INVALID, "%s", err.buf);
        goto out;
    }
    int found = header_find(&ir, sr, &err);
    if (found < 0) {
        failed(o, OUT_INVALID, "%s", err.buf);
        goto out;
    }
    if (!found) {
        failed(o, OUT_INVALID,
               "%s 不像考勤表：没有找到表头。每行一条缺勤的表须有“日期”“类型”和学生（学籍号、"
               "身份证号或姓名）列；班级月考勤表须有“姓名”列和 1 到 31 日的日期列",
               shown);
        goto out;
    }
    snprintf(sum->shape, sizeof(sum->shape), "%s", ir.grid ? "grid" : "rows");
    if (attendance_roster(s, *ir.school ? ir.school : NULL, 0, NULL, &ir.x.roster, &ir.x.n, o) < 0)
        goto out;
    index_build(&ir.x);
    date_now_text(ir.now, sizeof(ir.now));
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    struct stmt *q = store_prepare(s, "INSERT INTO attendance_import (file_name, file_sha256,"
                                      " shape, school_code, imported_by, imported_at, rows_read,"
                                      " absences, replaced, rows_rejected)"
                                      " VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0) RETURNING id");
    if (q) {
        const char *base = strrchr(shown, '/');
        stmt_bind_str(q, 1, base ? base + 1 : shown);
        stmt_bind_str(q, 2, sha);
        stmt_bind_str(q, 3, sum->shape);
        stmt_bind_str(q, 4, *ir.school ? ir.school : NULL);
        stmt_bind_str(q, 5, opt->actor && *opt->actor ? opt->actor : "unknown");
        stmt_bind_str(q, 6, ir.now);
        ir.import_id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
        stmt_finalize(q);
    }
    ir.get = store_prepare(s, "SELECT kind FROM attendance WHERE pupil_key = $1 AND on_date = $2");
    ir.put = store_prepare(
        s, "INSERT INTO attendance (pupil_key, on_date, kind, note, school_code, grade, class,"
           " record_id, import_id, recorded_by, recorded_at)"
           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
           " ON CONFLICT (pupil_key, on_date) DO UPDATE SET kind = excluded.kind,"
           " note = excluded.note, school_code = excluded.school_code, grade = excluded.grade,"
           " class = excluded.class, record_id = excluded.record_id,"
           " import_id = excluded.import_id, recorded_by = excluded.recorded_by,"
           " recorded_at = excluded.recorded_at");
    if (!ir.import_id || !ir.get || !ir.put) {
        fail_store(s, o);
        goto rollback;
    }
    const struct row *r;
    int got;
    struct buf k = BUF_INIT;
    /* the rows below the header parsed on a thread of their own where that pays (here when
     * it does not, or when no thread starts) */
    if (sheet_ahead_pays(sr))
        (void)sheet_read_ahead(sr, &k);
    buf_reset(&k);
    while ((got = sheet_next_row(sr, &r, &err)) == 1) {
        sum->rows_read++;
        bool blank = true;
        for (size_t i = 0; i < r->ncells && blank; i++)
            blank = r->cells[i].len == 0;
        if (blank)
            continue;
        /* a repeated header, or a note under the table (制表人, 合计) */
        const char *first = r->ncells ? r->cells[0].text : "";
        if (acol_of(first, strlen(first), &k) >= 0 || strstr(first, "制表") ||
            strstr(first, "合计") || strstr(first, "说明") || strstr(first, "班主任签"))
            continue;
        int x = ir.grid ? row_grid(&ir, r, o) : row_absence(&ir, r, o);
        if (x == -2)
            goto rollback_k;
        if (x < 0) {
            fail_store(s, o);
            goto rollback_k;
        }
        if ((sum->rows_read & 1023) == 0)
            progress_report(opt->report, false, sheet_progress(sr) * 0.95, "读取第 %ld 行",
                            sum->rows_read);
    }
    if (got < 0) {
        failed(o, OUT_INVALID, "%s", err.buf);
        goto rollback_k;
    }
    buf_release(&k);
    char idt[24], a[24], b[24], c[24], d[24];
    snprintf(idt, sizeof(idt), "%lld", (long long)ir.import_id);
    snprintf(a, sizeof(a), "%ld", sum->rows_read);
    snprintf(b, sizeof(b), "%ld", sum->absences);
    snprintf(c, sizeof(c), "%ld", sum->replaced);
    snprintf(d, sizeof(d), "%ld", sum->rows_rejected);
    const char *p[] = {idt, a, b, c, d};
    char target[AUDIT_TARGET_SIZE], detail[512];
    if (*ir.school)
        audit_target_name(target, OBJ_SCHOOL, ir.school);
    else
        snprintf(target, sizeof(target), "%s", "");
    /* prose, like the snapshots' imports: which import and what it did; the file's name is
     * the import's (attendance_import), not the audit line's (it may be in English letters) */
    snprintf(detail, sizeof(detail), "第 %lld 次导入考勤表：缺勤 %ld 条，改记 %ld 条，拒绝 %ld 行",
             (long long)ir.import_id, sum->absences, sum->replaced, sum->rows_rejected);
    if (store_run(s,
                  "UPDATE attendance_import SET rows_read = CAST($2 AS BIGINT),"
                  " absences = CAST($3 AS BIGINT), replaced = CAST($4 AS BIGINT),"
                  " rows_rejected = CAST($5 AS BIGINT) WHERE id = CAST($1 AS BIGINT)",
                  5, p) < 0 ||
        audit_record(s, opt->actor, sc ? sc->origin : "cli", "attendance_import",
                     *target ? target : NULL, detail) < 0) {
        fail_store(s, o);
        goto rollback;
    }
    stmt_finalize(ir.get);
    stmt_finalize(ir.put);
    ir.get = ir.put = NULL;
    if (refresh_warnings(&ir, o) < 0)
        goto rollback;
    if (opt->dry_run) {
        store_rollback(s);
        sum->import_id = 0;
    } else if (store_commit(s) < 0) {
        fail_store(s, o);
        goto rollback;
    } else {
        sum->import_id = ir.import_id;
    }
    progress_report(opt->report, true, 1, "完成");
    if (opt->rejects_path && sum->rows_rejected) {
        struct outfile f;
        if (outfile_open(&f, opt->rejects_path, &err) == 0) {
            fputs("\xEF\xBB\xBF行号,原因,原始内容\r\n", f.fp);
            fwrite(ir.rejects.buf, 1, ir.rejects.len, f.fp);
            outfile_commit(&f, &err);
        }
    }
    rc = 0;
    goto out;
rollback_k:
    buf_release(&k);
rollback:
    if (ir.get)
        stmt_finalize(ir.get);
    if (ir.put)
        stmt_finalize(ir.put);
    store_rollback(s);
out:
    if (sr)
        sheet_close(sr);
    attendance_roster_free(ir.x.roster, ir.x.n);
    intern_release(&ir.x.keys);
    free(ir.x.who);
    for (size_t i = 0; i < ir.cals.n; i++)
        term_calendar_release(&ir.cals.cal[i]);
    free(ir.cals.cal);
    intern_release(&ir.cals.codes);
    buf_release(&ir.rejects);
    buf_release(&ir.key);
    free(ir.touched);
    buf_release(&err);
    return rc;
}
