/*
 * 适龄儿童台账 (docs/reports.md): every school-age child of a run, with its status, school, and
 * what casework knows of it.
 */
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "core/words.h"
#include "core/date.h"
#include "core/division.h"
#include "core/schoolyear.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* ============================================================================================
 * 适龄儿童台账
 */

static const struct table_col school_age_cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"expected_grade", "应读年级", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"status", "状态代码", COL_KEY}, /* JSON only: people read 就学状态 */
    {"status_label", "就学状态", COL_TEXT},
    {"school", "就读学校", COL_TEXT},
    {"grade", "年级", COL_TEXT},
    {"verification", "核查情况", COL_TEXT},
    {"case", "帮扶（案件）情况", COL_TEXT},
    {"township_code", "乡镇代码", COL_TEXT},
    {"record_id", "记录编号", COL_INT},
};

/* A child someone has verified or has a case for, by child key. */
struct cw_child {
    char *key;
    char *verification, *casetext;
};

static int cw_cmp(const void *a, const void *b)
{
    return strcmp(((const struct cw_child *)a)->key, ((const struct cw_child *)b)->key);
}

static int cw_load(struct store *s, struct cw_child **out, size_t *n)
{
    struct stmt *q = store_prepare(
        s, "SELECT c.child_key, coalesce(t.id, 0), coalesce(t.state, ''),"
           " coalesce(t.outcome, ''), coalesce(t.outcome_sub, ''), coalesce(t.flagged_run, 0),"
           " coalesce(f.id, 0), coalesce(f.state, ''), coalesce(f.reason, ''),"
           " coalesce(f.outcome, '')"
           " FROM child c"
           " LEFT JOIN verify_task t ON t.id = (SELECT max(t2.id) FROM verify_task t2"
           "  WHERE t2.child_id = c.id)"
           " LEFT JOIN case_file f ON f.child_id = c.id"
           " WHERE t.id IS NOT NULL OR f.id IS NOT NULL");
    if (!q)
        return -1;
    int rc;
    size_t alloc = 0;
    struct buf v = BUF_INIT;
    *n = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        struct cw_child *c = &(*out)[(*n)++];
        c->key = xstrdup(stmt_text(q, 0));
        buf_reset(&v);
        if (stmt_int(q, 1)) {
            const char *st = stmt_text(q, 2), *oc = stmt_text(q, 3), *sub = stmt_text(q, 4);
            if (*oc && strcmp(st, "open"))
                buf_addf(&v, "%s：%s%s%s", vocab_label(&task_states, st),
                         vocab_label(&verify_outcomes, oc), *sub ? "：" : "",
                         vocab_label(&registration_problems, sub));
            else
                buf_adds(&v, vocab_label(&task_states, st));
            if (stmt_int(q, 5))
                buf_addf(&v, "（第 %lld 次比对仍不在校，结论待复核）", (long long)stmt_int(q, 5));
            buf_addf(&v, "（任务 %lld）", (long long)stmt_int(q, 1));
        }
        c->verification = xstrdup(v.buf);
        buf_reset(&v);
        if (stmt_int(q, 6)) {
            const char *st = stmt_text(q, 7);
            buf_addf(&v, "%s", vocab_label(&case_states, st));
            if (strcmp(st, "open") && *stmt_text(q, 9))
                buf_addf(&v, "：%s", vocab_label(&case_outcomes, stmt_text(q, 9)));
            buf_addf(&v, "（案件 %lld，%s）", (long long)stmt_int(q, 6),
                     vocab_label(&case_reasons, stmt_text(q, 8)));
        }
        c->casetext = xstrdup(v.buf);
    }
    buf_release(&v);
    stmt_finalize(q);
    if (*n)
        qsort(*out, *n, sizeof(**out), cw_cmp);
    return rc < 0 ? -1 : 0;
}

static void cw_release(struct cw_child *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].key);
        free(c[i].verification);
        free(c[i].casetext);
    }
    free(c);
}

struct school_age_ctx {
    struct store *s;
    const struct report_options *opt;
    struct view view;
    struct report_table *t;
    struct stmt *pop, *school;
    struct cw_child *cw;
    size_t ncw;
    int64_t population_batch;
    const char *tcode, *tname; /* --township: by official code, or the name as imported */
    struct report_group grp;   /* --group */
    struct run_status_entry *chunk;
    size_t n;
    long count[ST__COUNT];
    long rows;
    struct buf key, text;
};

/*
 * The entries of one chunk (in record order) joined with their population records, read as
 * one range of record ids; the school record of each child is one lookup by primary key.
 */
static int school_age_flush(struct school_age_ctx *c)
{
    if (!c->n)
        return 0;
    struct stmt *q = c->pop;
    stmt_reset(q); /* clears the bindings too */
    stmt_bind_int(q, 1, c->chunk[0].record_id);
    stmt_bind_int(q, 2, c->chunk[c->n - 1].record_id);
    stmt_bind_int(q, 3, c->population_batch);
    stmt_bind_str(q, 4, c->tcode);
    stmt_bind_str(q, 5, c->tname);
    size_t i = 0;
    int rc;
    struct report_table *t = c->t;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        while (i < c->n && c->chunk[i].record_id < id)
            i++;
        if (i == c->n)
            break;
        if (c->chunk[i].record_id != id)
            continue;
        const struct run_status_entry *e = &c->chunk[i++];
        c->count[e->st]++;
        table_add_row(t);
        table_setf(t, 0, "%ld", ++c->rows);
        table_set(t, 1, *stmt_text(q, 2) ? stmt_text(q, 2) : "（未填乡镇）");
        table_set(t, 2, stmt_text(q, 3));
        table_set(t, 3, stmt_text(q, 4));
        table_set(t, 4, gender_label((int)stmt_int(q, 5)));
        ledger_set_person(t, &c->view, (struct person_cols){5, 6, 8, 10}, stmt_text(q, 6), e->age,
                          stmt_text(q, 7), stmt_text(q, 9), &c->text);
        table_set(t, 7, e->grade >= 1 && e->grade <= 9 ? grade_name(e->grade) : "");
        table_set(t, 9, stmt_text(q, 8));
        table_set(t, 11, status_key(e->st));
        table_set(t, 12, status_label(e->st));
        child_key(stmt_is_null(q, 10) ? NULL : stmt_text(q, 10), (int)stmt_int(q, 11),
                  stmt_text(q, 12), stmt_text(q, 6), (int)stmt_int(q, 5), &c->key);
        table_set(t, 17, stmt_text(q, 1));
        table_setf(t, 18, "%lld", (long long)id);
        if (e->school_record) {
            struct stmt *sq = c->school;
            stmt_reset(sq);
            stmt_bind_int(sq, 1, e->school_record);
            int r2 = stmt_step(sq);
            if (r2 < 0) {
                rc = -1;
                break;
            }
            if (r2 == 1) {
                enum import_kind kind = KIND_ENROLLMENT;
                kind_parse(stmt_text(sq, 0), &kind);
                buf_reset(&c->text);
                school_display(&c->text, kind, stmt_text(sq, 1), stmt_text(sq, 2));
                table_set(t, 13, c->text.buf);
                int g = (int)stmt_int(sq, 3);
                table_set(t, 14, g >= 1 && g <= 12 ? grade_name(g) : "");
            }
        }
        struct cw_child want = {.key = c->key.buf};
        const struct cw_child *hit =
            c->ncw ? bsearch(&want, c->cw, c->ncw, sizeof(*c->cw), cw_cmp) : NULL;
        if (hit) {
            table_set(t, 15, hit->verification);
            table_set(t, 16, hit->casetext);
        }
    }
    c->n = 0;
    return rc < 0 ? -1 : 0;
}

static int school_age_entry(void *arg, const struct run_status_entry *e)
{
    struct school_age_ctx *c = arg;
    if (!status_is_school_age(e->st) || (c->opt->status >= 0 && (int)e->st != c->opt->status) ||
        !report_group_has(&c->grp, e->record_id))
        return 0;
    c->chunk[c->n++] = *e;
    return c->n == RUN_STATUS_CHUNK ? school_age_flush(c) : 0;
}

/*
 * After the register's children, the pupils of the county's schools who are in no register
 * here (在读，非本县户籍): by the township they are counted in (the 学籍 record's, else the
 * school's), their school and grade.
 */
static int school_age_nonlocal(struct school_age_ctx *c, int64_t run_id)
{
    struct stmt *q = store_prepare(
        c->s, "SELECT r.id, np.township_code, np.township, coalesce(r.name, ''),"
              " coalesce(r.gender, 0), coalesce(r.birth_date, ''),"
              " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''),"
              " coalesce(r.phone, ''), coalesce(r.school_name, ''), coalesce(r.grade, 0),"
              " cs.age, coalesce(cs.expected_grade, 0)"
              " FROM nonlocal_pupil np JOIN record r ON r.id = np.record_id"
              " JOIN child_status cs ON cs.run_id = np.run_id AND cs.record_id = np.record_id"
              " WHERE np.run_id = $1 AND (CAST($2 AS TEXT) IS NULL OR np.township_code = $2)"
              " AND (CAST($3 AS TEXT) IS NULL OR np.township = $3)"
              " ORDER BY np.township_code = '', np.township_code, r.school_name, r.grade, r.id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run_id);
    stmt_bind_str(q, 2, c->tcode);
    stmt_bind_str(q, 3, c->tname);
    struct report_table *t = c->t;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        c->count[ST_ENROLLED_NONLOCAL]++;
        table_add_row(t);
        table_setf(t, 0, "%ld", ++c->rows);
        table_set(t, 1, *stmt_text(q, 2) ? stmt_text(q, 2) : "（未填乡镇）");
        table_set(t, 3, stmt_text(q, 3));
        table_set(t, 4, gender_label((int)stmt_int(q, 4)));
        ledger_set_person(t, &c->view, (struct person_cols){5, 6, 8, 10}, stmt_text(q, 5),
                          stmt_is_null(q, 11) ? -1 : (int)stmt_int(q, 11), stmt_text(q, 6),
                          stmt_text(q, 8), &c->text);
        int eg = (int)stmt_int(q, 12), g = (int)stmt_int(q, 10);
        table_set(t, 7, eg >= 1 && eg <= 9 ? grade_name(eg) : "");
        table_set(t, 9, stmt_text(q, 7));
        table_set(t, 11, status_key(ST_ENROLLED_NONLOCAL));
        table_set(t, 12, status_label(ST_ENROLLED_NONLOCAL));
        table_set(t, 13, stmt_text(q, 9));
        table_set(t, 14, g >= 1 && g <= 12 ? grade_name(g) : "");
        table_set(t, 17, stmt_text(q, 1));
        table_setf(t, 18, "%lld", (long long)stmt_int(q, 0));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int report_ledger_school_age(struct store *s, const struct report_options *opt,
                             struct report_table *t, struct outcome *o)
{
    struct run_info ri;
    if (run_info_load(s, opt->run_id, &ri, o) < 0)
        return -1;
    if (opt->status >= 0 && !status_is_school_age((enum child_status)opt->status) &&
        !status_is_nonlocal((enum child_status)opt->status)) {
        failed_at(o, OUT_INVALID, "status",
                  "状态“%s”不在适龄儿童台账的范围（台账只列义务教育年龄段的儿童）",
                  status_label((enum child_status)opt->status));
        return -1;
    }
    const char *tcode = NULL, *tname = NULL;
    const struct township *tw =
        opt->township && ri.county[0] ? division_find_township(ri.county, opt->township) : NULL;
    if (tw)
        tcode = tw->code;
    else
        tname = opt->township;
    struct school_age_ctx c = {.s = s, .opt = opt, .view = view_make(opt->full, ri.cutoff), .t = t};
    if (report_group_arg(opt, &c.grp, o) < 0 || report_group_load(s, ri.id, &c.grp, o) < 0)
        return -1;
    table_init_view(t, "适龄儿童台账", "children", school_age_cols, ARRAY_SIZE(school_age_cols),
                    &c.view);
    c.pop = store_prepare(
        s, "SELECT id, coalesce(township_code, ''), coalesce(township, ''),"
           " coalesce(village, ''), coalesce(name, ''), coalesce(gender, 0),"
           " coalesce(birth_date, ''), coalesce(id_number, id_raw, ''), coalesce(guardian, ''),"
           " coalesce(phone, ''), id_number, id_flags, coalesce(name_key, '')"
           " FROM record WHERE id >= $1 AND id <= $2 AND batch_id = $3"
           " AND (CAST($4 AS TEXT) IS NULL OR township_code = $4) AND (CAST($5 AS TEXT) IS NULL OR "
           "township = $5)"
           " ORDER BY id");
    c.school = store_prepare(s, "SELECT b.kind, coalesce(r.school_name, ''),"
                                " coalesce(r.school_region, ''), coalesce(r.grade, 0)"
                                " FROM record r JOIN batch b ON b.id = r.batch_id WHERE r.id = $1");
    int rc = -1;
    if (c.pop && c.school && cw_load(s, &c.cw, &c.ncw) == 0) {
        c.population_batch = ri.population_batch;
        c.tcode = tcode;
        c.tname = tname;
        c.chunk = xcalloc(RUN_STATUS_CHUNK, sizeof(*c.chunk));
        buf_init(&c.key, 0);
        buf_init(&c.text, 0);
        char county[7], gcap[64], what[128];
        const char *cname = ledger_county_name(s, county);
        snprintf(what, sizeof(what), "适龄儿童台账%s", report_group_caption(&c.grp, gcap));
        ledger_caption(t, cname, tw ? tw->name : tname, what, "数据截至", date_or_zero(ri.as_of),
                       date_today());
        rc = run_status_each(s, ri.id, school_age_entry, &c);
        if (rc == 0)
            rc = school_age_flush(&c);
        /* the pupils in no register here are in no group: the group lists link to the register */
        if (rc == 0 && !c.grp.key &&
            (opt->status < 0 || status_is_nonlocal((enum child_status)opt->status)))
            rc = school_age_nonlocal(&c, ri.id);
        free(c.chunk);
        buf_release(&c.key);
        buf_release(&c.text);
    }
    stmt_finalize(c.pop);
    stmt_finalize(c.school);
    cw_release(c.cw, c.ncw);
    report_group_release(&c.grp);
    if (rc != 0) {
        failed(o, OUT_ERROR, "%s", rc == -2 ? "比对结果数据已损坏，请重新比对" : store_errmsg(s));
        table_release(t);
        return -1;
    }
    /* 入学率 is the register's children's; the pupils in no register here are counted apart */
    long enrolled = 0, nonlocal = c.count[ST_ENROLLED_NONLOCAL], registered = c.rows - nonlocal;
    for (int k = 0; k < ST__COUNT; k++)
        if (status_counts_enrolled((enum child_status)k))
            enrolled += c.count[k];
    table_add_totals(t);
    table_set(t, 1, "合计");
    table_setf(t, 3, "%ld 人", c.rows);
    struct buf b = BUF_INIT;
    buf_adds(&b, "其中：");
    for (int k = 0; k < ST__COUNT; k++)
        if (status_is_school_age((enum child_status)k) || status_is_nonlocal((enum child_status)k))
            buf_addf(&b, "%s%s %ld 人", k ? "，" : "", status_label((enum child_status)k),
                     c.count[k]);
    buf_adds(&b, "。");
    table_note(t, "%s", b.buf);
    if (registered > 0)
        table_note(t,
                   "入学率 %.2f%%（户籍适龄儿童中在校、外出就读、休学和已完成义务教育的 %ld 人 ÷ "
                   "户籍适龄儿童 %ld 人）",
                   100.0 * (double)enrolled / (double)registered, enrolled, registered);
    if (nonlocal)
        table_note(t,
                   "另列“%s”的学生 %ld 人（本县学校在读、户籍名单中没有），计入在校学生，不计入"
                   "户籍适龄儿童的入学率。",
                   status_label(ST_ENROLLED_NONLOCAL), nonlocal);
    table_note_view(t, &c.view, true);
    ledger_signature_note(t);
    buf_release(&b);
    char sy[16], runs[24];
    report_run_meta(t, &ri, c.rows, !opt->full, sy, runs);
    report_group_meta(t, &c.grp);
    buf_addf(&t->footer, "\n适龄儿童 %ld 人", registered);
    if (nonlocal)
        buf_addf(&t->footer, "，另有“%s” %ld 人", status_label(ST_ENROLLED_NONLOCAL), nonlocal);
    buf_addf(&t->footer, "（比对第 %s 次，截至 %s，%s 学年）%s\n", runs, ri.as_of, sy,
             opt->full ? "" : "。身份证号和电话已遮盖，不列出生日期（列年龄）");
    return 0;
}
