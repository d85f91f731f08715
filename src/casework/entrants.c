/*
 * 招生入学 (casework/entrants.h): the cohort rule, the 学区 rows and a school's applications.
 */
#include "casework/entrants.h"

#include "casework/people.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "domain/match.h"
#include "ingest/import.h"
#include "ingest/sheet.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* ---- the cohort ---- */

int entrant_cohort(const struct school_calendar *cal, int birth_ymd)
{
    if (birth_ymd <= 0)
        return 0;
    /* the child is min_age on the cutoff of one school year: the one min_age years after
     * the birth year, or the year after when born after the cutoff's day of the year */
    int sy = birth_ymd / 10000 + cal->min_age;
    for (int k = sy - 1; k <= sy + 1; k++)
        if (age_on(birth_ymd, school_cutoff(cal, k)) == cal->min_age)
            return k;
    return 0;
}

bool entrant_in_cohort(const struct school_calendar *cal, int birth_ymd, int sy)
{
    return birth_ymd > 0 && age_on(birth_ymd, school_cutoff(cal, sy)) == cal->min_age;
}

int entrant_next_year(const struct school_calendar *cal, int today)
{
    return school_year_of(cal, today) + 1;
}

/* ---- shared ---- */

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* A school of the current 学籍 list by its code or name. */
static int school_of(struct store *s, const char *text, char code[32], char name[128],
                     struct outcome *o)
{
    int64_t batch;
    long rows;
    if (import_current(s, KIND_ENROLLMENT, 0, &batch, &rows) < 0)
        return fail_store(s, o);
    if (!batch)
        return failed_at(o, OUT_INVALID, "school", "还没有导入学籍名单，不知道有哪些学校");
    struct stmt *q = store_prepare(s, "SELECT school_code, coalesce(school_name, '')"
                                      " FROM record WHERE batch_id = $1"
                                      " AND (school_code = $2 OR school_name = $2)"
                                      " AND school_code IS NOT NULL LIMIT 1");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, batch);
    stmt_bind_str(q, 2, text);
    int rc = stmt_step(q);
    if (rc == 1) {
        snprintf(code, 32, "%s", stmt_text(q, 0));
        snprintf(name, 128, "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed_at(o, OUT_INVALID, "school", "当前学籍名单中没有学校“%s”", text);
    return 0;
}

static int county_only(const struct scope *sc, struct outcome *o)
{
    if (!sc || role_edits_catchment(sc->role))
        return 0;
    return failed(o, OUT_FORBIDDEN, "学区由县教育局划定，您的账号不能修改");
}

static int township_of(struct store *s, const char *text, char code[10], const char **name,
                       struct outcome *o)
{
    if (blank(text))
        return failed_at(o, OUT_INVALID, "township", "请写明乡镇（名称或区划代码）");
    if (casework_township(s, text, code, name) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", text);
    return 0;
}

static int put_row(struct store *s, const char *township, const char *village, const char *code,
                   const char *name, const char *actor)
{
    char now[32];
    date_now_text(now, sizeof(now));
    const char *p[] = {township, village, code, name, actor, now};
    if (store_run(s, "DELETE FROM catchment WHERE township_code = $1 AND village = $2", 2, p) < 0)
        return -1;
    return store_run(s,
                     "INSERT INTO catchment (township_code, village, school_code, school_name,"
                     " set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6)",
                     6, p);
}

static int audit_school(struct store *s, const struct scope *sc, const char *actor,
                        const char *action, const char *code, const char *detail)
{
    char target[AUDIT_TARGET_SIZE];
    audit_target_name(target, OBJ_SCHOOL, code);
    return audit_record(s, actor, sc && sc->origin ? sc->origin : "cli", action, target, detail);
}

/* ---- 学区 ---- */

int catchment_set(struct store *s, const struct scope *sc, const struct catchment_input *in,
                  const char *actor, struct buf *msg, struct outcome *o)
{
    if (county_only(sc, o) < 0)
        return -1;
    char tcode[10], code[32], name[128];
    const char *tname = NULL;
    if (township_of(s, in->township, tcode, &tname, o) < 0)
        return -1;
    if (blank(in->village))
        return failed_at(o, OUT_INVALID, "village", "请写明村（社区），按户籍名单的写法");
    if (blank(in->school))
        return failed_at(o, OUT_INVALID, "school", "请写明学校（学籍中的学校标识码或名称）");
    if (school_of(s, in->school, code, name, o) < 0)
        return -1;
    struct buf d = BUF_INIT;
    buf_addf(&d, "%s %s", tcode, in->village);
    int bad = store_begin(s) < 0 || put_row(s, tcode, in->village, code, name, actor) < 0 ||
              audit_school(s, sc, actor, "catchment_set", code, d.buf) < 0 || store_commit(s) < 0;
    buf_release(&d);
    if (bad) {
        int rc = fail_store(s, o);
        store_rollback(s);
        return rc;
    }
    buf_addf(msg, "学区已设置：%s%s 划入 %s", tname ? tname : tcode, in->village,
             *name ? name : code);
    return 0;
}

int catchment_remove(struct store *s, const struct scope *sc, const struct catchment_input *in,
                     const char *actor, struct buf *msg, struct outcome *o)
{
    if (county_only(sc, o) < 0)
        return -1;
    char tcode[10];
    const char *tname = NULL;
    if (township_of(s, in->township, tcode, &tname, o) < 0)
        return -1;
    if (blank(in->village))
        return failed_at(o, OUT_INVALID, "village", "请写明村（社区），按户籍名单的写法");
    int64_t n = 0;
    const char *p[] = {tcode, in->village};
    if (store_int(s, "SELECT count(*) FROM catchment WHERE township_code = $1 AND village = $2", 2,
                  p, &n) < 0)
        return fail_store(s, o);
    if (!n)
        return failed_at(o, OUT_NOT_FOUND, "village", "%s%s 没有划定学区", tname ? tname : tcode,
                         in->village);
    struct buf d = BUF_INIT;
    buf_addf(&d, "%s %s", tcode, in->village);
    int bad =
        store_begin(s) < 0 ||
        store_run(s, "DELETE FROM catchment WHERE township_code = $1 AND village = $2", 2, p) < 0 ||
        audit_record(s, actor, sc && sc->origin ? sc->origin : "cli", "catchment_remove", NULL,
                     d.buf) < 0 ||
        store_commit(s) < 0;
    buf_release(&d);
    if (bad) {
        int rc = fail_store(s, o);
        store_rollback(s);
        return rc;
    }
    buf_addf(msg, "已取消 %s%s 的学区，该村儿童列为“未划学区”", tname ? tname : tcode, in->village);
    return 0;
}

/* The column of a header cell naming one of the sheet's fields (-1 none). */
static int header_col(const struct row *r, const char *const *labels)
{
    for (size_t c = 0; c < r->ncells; c++)
        for (size_t i = 0; labels[i]; i++)
            if (r->cells[c].kind != CELL_EMPTY && strstr(r->cells[c].text, labels[i]))
                return (int)c;
    return -1;
}

static const char *cell_text(const struct row *r, int c)
{
    return c >= 0 && (size_t)c < r->ncells ? r->cells[c].text : "";
}

struct crow {
    char township[10];
    char *village;
    char code[32];
    char name[128];
};

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *t = xstrdup(s);
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r' || t[n - 1] == '\n'))
        t[--n] = '\0';
    return t;
}

int catchment_import(struct store *s, const struct scope *sc, const char *path, const char *actor,
                     struct buf *msg, struct outcome *o)
{
    if (county_only(sc, o) < 0)
        return -1;
    static const char *const tl[] = {"乡镇", "镇", NULL};
    static const char *const vl[] = {"村", "社区", NULL};
    static const char *const sl[] = {"学校", NULL};
    struct sheet_reader *r = NULL;
    struct buf err = BUF_INIT;
    if (sheet_open(&r, path, &err) < 0) {
        failed(o, OUT_INVALID, "%s", err.buf ? err.buf : "文件不是可识别的电子表格");
        buf_release(&err);
        return -1;
    }
    struct crow *rows = NULL;
    size_t n = 0, alloc = 0;
    int tc = -1, vc = -1, sc_ = -1, rc = 0;
    const struct row *row;
    int got;
    while (rc == 0 && (got = sheet_next_row(r, &row, &err)) == 1) {
        if (!row->ncells)
            continue;
        if (sc_ < 0) {
            /* the header: the first row naming the three; a school column first, so that a
             * cell "学校" is not taken for the village's */
            int s3 = header_col(row, sl);
            int t3 = header_col(row, tl), v3 = -1;
            for (size_t c = 0; c < row->ncells; c++)
                if ((int)c != t3 && (int)c != s3 &&
                    header_col(&(struct row){0, 1, &row->cells[c]}, vl) == 0)
                    v3 = (int)c;
            if (s3 >= 0 && t3 >= 0 && v3 >= 0) {
                tc = t3, vc = v3, sc_ = s3;
            } else if (row->number > 10) {
                rc = failed(o, OUT_INVALID,
                            "前 10 行中没有找到表头：须有“乡镇”“村（社区）”“学校”三列");
            }
            continue;
        }
        char *t = trimmed(cell_text(row, tc)), *v = trimmed(cell_text(row, vc)),
             *sch = trimmed(cell_text(row, sc_));
        if (!*t && !*v && !*sch) {
            free(t), free(v), free(sch);
            continue;
        }
        ALLOC_GROW(rows, n + 1, alloc);
        struct crow *x = &rows[n];
        memset(x, 0, sizeof(*x));
        const char *tname;
        struct outcome o2 = OUTCOME_INIT;
        if (!*t || !*v || !*sch)
            rc = failed(o, OUT_INVALID, "学区表第 %ld 行：乡镇、村（社区）、学校都要填写",
                        row->number);
        else if (casework_township(s, t, x->township, &tname) < 0)
            rc = failed(o, OUT_INVALID, "学区表第 %ld 行：乡镇“%s”不是本县的乡镇", row->number, t);
        else if (school_of(s, sch, x->code, x->name, &o2) < 0)
            rc = failed(o, o2.kind == OUT_ERROR ? OUT_ERROR : OUT_INVALID, "学区表第 %ld 行：%s",
                        row->number, o2.msg.buf ? o2.msg.buf : "学校不对");
        outcome_release(&o2);
        x->village = v;
        n++;
        free(t), free(sch);
    }
    if (rc == 0 && got < 0)
        rc = failed(o, OUT_INVALID, "%s", err.buf ? err.buf : "读取学区表失败");
    if (rc == 0 && sc_ < 0)
        rc = failed(o, OUT_INVALID, "学区表中没有找到表头：须有“乡镇”“村（社区）”“学校”三列");
    if (rc == 0 && !n)
        rc = failed(o, OUT_INVALID, "学区表中没有数据行");
    sheet_close(r);
    buf_release(&err);
    if (rc == 0) {
        if (store_begin(s) < 0)
            rc = fail_store(s, o);
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (put_row(s, rows[i].township, rows[i].village, rows[i].code, rows[i].name, actor) <
                0)
                rc = fail_store(s, o);
        char d[32];
        snprintf(d, sizeof(d), "%zu 行", n);
        if (rc == 0 && (audit_record(s, actor, sc && sc->origin ? sc->origin : "cli",
                                     "catchment_import", NULL, d) < 0 ||
                        store_commit(s) < 0))
            rc = fail_store(s, o);
        if (rc < 0)
            store_rollback(s);
    }
    if (rc == 0)
        buf_addf(msg, "学区表已导入：%zu 个村（社区）划定了学校", n);
    for (size_t i = 0; i < n; i++)
        free(rows[i].village);
    free(rows);
    return rc;
}

/* ---- applications ---- */

static int yes_no(const char *s)
{
    if (blank(s))
        return 0;
    if (!strcmp(s, "是") || !strcmp(s, "true") || !strcmp(s, "1") || !strcmp(s, "yes"))
        return 1;
    if (!strcmp(s, "否") || !strcmp(s, "false") || !strcmp(s, "0") || !strcmp(s, "no"))
        return 0;
    return -1;
}

int entrant_apply(struct store *s, const struct scope *sc, const struct entrant_input *in,
                  const char *actor, int64_t *id, struct buf *msg, struct outcome *o)
{
    if (sc && !role_records_entrants(sc->role))
        return failed(o, OUT_FORBIDDEN, "入学登记由学校录入，县教育局可以代录；您的账号不能录入");
    const char *school = in->school;
    if (sc && sc->role == ROLE_SCHOOL) {
        if (!sc->school || !*sc->school)
            return failed(o, OUT_FORBIDDEN, "这个学校账号没有设置学校，不能录入入学登记");
        if (!blank(school) && strcmp(school, sc->school) &&
            !(sc->school_name && !strcmp(school, sc->school_name)))
            return failed_at(o, OUT_FORBIDDEN, "school", "学校账号只能为本校录入入学登记");
        school = sc->school;
    }
    if (blank(school))
        return failed_at(o, OUT_INVALID, "school", "请写明学校（学籍中的学校标识码或名称）");
    if (blank(in->name))
        return failed_at(o, OUT_INVALID, "name", "请写明儿童姓名");
    char code[32], name[128];
    if (school_of(s, school, code, name, o) < 0)
        return -1;
    char idn[19] = "";
    int birth = 0;
    if (!blank(in->id_number)) {
        struct resident_id rid;
        int flags = id_normalize(in->id_number, strlen(in->id_number), &rid);
        if (flags & (ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH))
            return failed_at(o, OUT_INVALID, "id_number", "身份证号“%s”不是有效的18位身份证号",
                             in->id_number);
        snprintf(idn, sizeof(idn), "%s", rid.id);
        birth = rid.birth_ymd;
    }
    if (!blank(in->birth)) {
        int b;
        if (date_parse(in->birth, strlen(in->birth), &b) < 0)
            return failed_at(o, OUT_INVALID, "birth", "出生日期“%s”不是日期", in->birth);
        if (birth && b != birth)
            return failed_at(o, OUT_INVALID, "birth", "出生日期与身份证号中的不一致");
        birth = b;
    }
    if (!birth)
        return failed_at(o, OUT_INVALID, "birth", "没有身份证号时请写明出生日期");
    if (birth > date_today())
        return failed_at(o, OUT_INVALID, "birth", "出生日期不能晚于今天");
    int migrant = yes_no(in->migrant);
    if (migrant < 0)
        return failed_at(o, OUT_INVALID, "migrant", "随迁子女应填“是”或“否”");
    char tcode[10] = "";
    const char *tname = NULL;
    if (!blank(in->township) && township_of(s, in->township, tcode, &tname, o) < 0)
        return -1;
    if (!*tcode) {
        /* the township of the school's catchment, when the county drew one */
        struct stmt *q = store_prepare(s, "SELECT township_code FROM catchment"
                                          " WHERE school_code = $1 GROUP BY township_code"
                                          " ORDER BY count(*) DESC, township_code LIMIT 1");
        if (!q)
            return fail_store(s, o);
        stmt_bind_str(q, 1, code);
        int rc = stmt_step(q);
        if (rc == 1)
            snprintf(tcode, sizeof(tcode), "%s", stmt_text(q, 0));
        stmt_finalize(q);
        if (rc < 0)
            return fail_store(s, o);
    }
    char bd[11], now[32];
    date_format(birth, bd);
    date_now_text(now, sizeof(now));
    struct school_calendar cal = SCHOOL_CALENDAR_DEFAULT;
    if (calendar_load(s, &cal) < 0)
        return fail_store(s, o);
    const char *p[] = {code,
                       name,
                       in->name,
                       *idn ? idn : NULL,
                       bd,
                       blank(in->guardian) ? NULL : in->guardian,
                       blank(in->phone) ? NULL : in->phone,
                       blank(in->address) ? NULL : in->address,
                       migrant ? "1" : "0",
                       blank(in->hukou) ? NULL : in->hukou,
                       *tcode ? tcode : NULL,
                       blank(in->village) ? NULL : in->village,
                       actor,
                       now};
    if (store_begin(s) < 0)
        return fail_store(s, o);
    struct stmt *q = store_prepare(
        s, "INSERT INTO entrant_application (school_code, school_name, name, id_number,"
           " birth_date, guardian, phone, address, migrant, hukou_place, township_code,"
           " village, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
           " $9, $10, $11, $12, $13, $14) RETURNING id");
    if (!q) {
        int e = fail_store(s, o);
        store_rollback(s);
        return e;
    }
    for (int i = 0; i < 14; i++)
        if (i == 8)
            stmt_bind_int(q, 9, migrant);
        else
            stmt_bind_str(q, i + 1, p[i]);
    int rc = stmt_step(q);
    if (rc == 1)
        *id = stmt_int(q, 0);
    stmt_finalize(q);
    char d[40];
    snprintf(d, sizeof(d), "登记编号 %lld", (long long)*id);
    if (rc != 1 || audit_school(s, sc, actor, "entrant_apply", code, d) < 0 ||
        store_commit(s) < 0) {
        int e = fail_store(s, o);
        store_rollback(s);
        return e;
    }
    buf_addf(msg, "已登记入学申请（编号 %lld）：%s，%s，入学年份 %d 年秋季%s", (long long)*id,
             in->name, *name ? name : code, entrant_cohort(&cal, birth),
             migrant ? "，随迁子女" : "");
    return 0;
}
