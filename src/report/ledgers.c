/*
 * The three ledgers (适龄儿童台账, 疑似失学辍学台账, 失学辍学台账) and the county's monthly report
 * (docs/reports.md). They only read: a run's statuses (run_status), the records, and the
 * casework tables.
 */
#include "report/reports.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/date.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* The columns of a ledger that identify a child. */
struct person_cols {
    size_t birth, age, id, phone;
};

/* A child's birth date, age, ID and phone as the view shows them; `age` -1 computes it from
 * the date (on the view's cutoff). */
static void set_person(struct report_table *t, const struct view *v, struct person_cols c,
                       const char *date, int age, const char *idn, const char *tel,
                       struct buf *scratch)
{
    char m[VIEW_ID_SIZE];
    table_set(t, c.birth, view_birth(v, date));
    if (age < 0)
        age = view_age(v, date);
    if (age >= 0)
        table_setf(t, c.age, "%d", age);
    view_id(v, idn, m);
    table_set(t, c.id, m);
    buf_reset(scratch);
    view_phone(v, tel, scratch);
    table_set(t, c.phone, scratch->buf);
}

/* The county's code (setting) and name for captions: "沁水县", or "本县" when unknown. */
static const char *county_name(struct store *s, char county[7])
{
    struct buf v = BUF_INIT;
    county[0] = '\0';
    if (store_get_setting(s, "county", &v) == 1 && v.len == 6)
        memcpy(county, v.buf, 7);
    buf_release(&v);
    const char *n = county[0] ? division_county_name(county) : NULL;
    return n ? n : "本县";
}

/*
 * --township for the casework ledgers: the official code (or NULL for the county) and its
 * name for the caption. -1 (OUT_INVALID) when it is not a township of the county.
 */
static int township_arg(struct store *s, const char *arg, char code[10], const char **name,
                        struct outcome *o)
{
    code[0] = '\0';
    *name = NULL;
    if (!arg)
        return 0;
    if (casework_township(s, arg, code, name) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", arg);
    return 0;
}

/* "沁水县郑庄镇" + what; the subtitle: unit, data date, drawing date. */
static void caption(struct report_table *t, const char *county, const char *township,
                    const char *what, const char *data_date_label, int data_date, int drawn)
{
    struct buf c = BUF_INIT, sub = BUF_INIT;
    char d1[24], d2[24];
    buf_addf(&c, "%s%s%s", county, township ? township : "", what);
    date_format_cn(data_date, d1, sizeof(d1));
    date_format_cn(drawn, d2, sizeof(d2));
    buf_addf(&sub, "填报单位：%s教育局（控辍保学办）　　%s：%s　　制表日期：%s", county,
             data_date_label, d1, d2);
    table_caption(t, c.buf, sub.buf);
    buf_release(&c);
    buf_release(&sub);
}

static void signature_note(struct report_table *t)
{
    table_note(t, "填表人：　　　　　　审核人：　　　　　　单位负责人：　　　　　　联系电话：");
}

/* "learning,work" → "学习困难/厌学、外出打工" */
static void reasons_label(const char *keys, struct buf *out)
{
    const char *p = keys;
    while (p && *p) {
        const char *c = strchr(p, ',');
        char k[32];
        snprintf(k, sizeof(k), "%.*s", (int)(c ? (size_t)(c - p) : strlen(p)), p);
        buf_addf(out, "%s%s", p == keys ? "" : "、", vocab_label(&case_reasons, k));
        p = c ? c + 1 : NULL;
    }
}

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
    {"status", "状态代码", COL_TEXT},
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
        set_person(t, &c->view, (struct person_cols){5, 6, 8, 10}, stmt_text(q, 6), e->age,
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
    if (!status_is_school_age(e->st) || (c->opt->status >= 0 && (int)e->st != c->opt->status))
        return 0;
    c->chunk[c->n++] = *e;
    return c->n == RUN_STATUS_CHUNK ? school_age_flush(c) : 0;
}

int report_ledger_school_age(struct store *s, const struct report_options *opt,
                             struct report_table *t, struct outcome *o)
{
    struct run_info ri;
    if (run_info_load(s, opt->run_id, &ri, o) < 0)
        return -1;
    if (opt->status >= 0 && !status_is_school_age((enum child_status)opt->status)) {
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
        char county[7];
        const char *cname = county_name(s, county);
        caption(t, cname, tw ? tw->name : tname, "适龄儿童台账", "数据截至", date_or_zero(ri.as_of),
                date_today());
        rc = run_status_each(s, ri.id, school_age_entry, &c);
        if (rc == 0)
            rc = school_age_flush(&c);
        free(c.chunk);
        buf_release(&c.key);
        buf_release(&c.text);
    }
    stmt_finalize(c.pop);
    stmt_finalize(c.school);
    cw_release(c.cw, c.ncw);
    if (rc != 0) {
        failed(o, OUT_ERROR, "%s", rc == -2 ? "比对结果数据已损坏，请重新比对" : store_errmsg(s));
        table_release(t);
        return -1;
    }
    long enrolled = 0;
    for (int k = 0; k < ST__COUNT; k++)
        if (status_counts_enrolled((enum child_status)k))
            enrolled += c.count[k];
    table_add_totals(t);
    table_set(t, 1, "合计");
    table_setf(t, 3, "%ld 人", c.rows);
    struct buf b = BUF_INIT;
    buf_adds(&b, "其中：");
    for (int k = 0; k < ST__COUNT; k++)
        if (status_is_school_age((enum child_status)k))
            buf_addf(&b, "%s%s %ld 人", k ? "，" : "", status_label((enum child_status)k),
                     c.count[k]);
    buf_adds(&b, "。");
    table_note(t, "%s", b.buf);
    if (c.rows)
        table_note(
            t, "入学率 %.2f%%（在校、外出就读、休学和已完成义务教育的 %ld 人 ÷ 适龄儿童 %ld 人）",
            100.0 * (double)enrolled / (double)c.rows, enrolled, c.rows);
    table_note_view(t, &c.view, true);
    signature_note(t);
    buf_release(&b);
    char sy[16], runs[24];
    report_run_meta(t, &ri, c.rows, !opt->full, sy, runs);
    buf_addf(&t->footer, "\n适龄儿童 %ld 人（比对第 %s 次，截至 %s，%s 学年）%s\n", c.rows, runs,
             ri.as_of, sy,
             opt->full ? ""
                       : "。身份证号和电话已遮盖，不列出生日期（列年龄）；需要完整信息请加 "
                         "--full（将记入审计日志）");
    return 0;
}

/* ============================================================================================
 * 疑似失学辍学台账
 */

static const struct table_col suspected_cols[] = {
    {"seq", "序号", COL_INT},
    {"task_id", "任务编号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"suspected", "疑似情形", COL_TEXT},
    {"run_id", "发现于比对", COL_INT},
    {"opened_on", "建立日期", COL_TEXT},
    {"deadline", "核查截止", COL_TEXT},
    {"days_left", "剩余天数", COL_INT},
    {"state", "核查状态", COL_TEXT},
    {"outcome", "核查结论", COL_TEXT},
    {"verified_on", "核查日期", COL_TEXT},
    {"verified_by", "核查人", COL_TEXT},
    {"school", "就读学校", COL_TEXT},
    {"assignees", "责任人", COL_TEXT},
    {"flag", "提示", COL_TEXT},
    {"case_id", "案件编号", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
};

int report_ledger_suspected(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o)
{
    char code[10];
    const char *tname;
    if (township_arg(s, opt->township, code, &tname, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT v.id, coalesce(v.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
           " coalesce(r.gender, 0), coalesce(r.birth_date, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''),"
           " coalesce(r.phone, ''), v.suspected, v.run_id, v.opened_on, v.deadline, v.state,"
           " coalesce(v.outcome, ''), coalesce(v.outcome_sub, ''), coalesce(v.verified_on, ''),"
           " coalesce(v.verified_by, 0), coalesce(v.school, ''), coalesce(v.flagged_run, 0),"
           " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0),"
           " coalesce(v.township_code, '')"
           " FROM verify_task v JOIN record r ON r.id = v.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR v.township_code = $1)"
           " ORDER BY v.run_id DESC, v.township_code IS NOT NULL, v.township_code, v.id");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, code[0] ? code : NULL);
    char county[7];
    const char *cname = county_name(s, county);
    int today = date_today();
    struct view v;
    if (run_view(s, opt->full, &v) < 0) {
        stmt_finalize(q);
        return fail_store(s, o);
    }
    table_init_view(t, "疑似失学辍学台账", "tasks", suspected_cols, ARRAY_SIZE(suspected_cols), &v);
    caption(t, cname, tname, "疑似失学辍学台账", "数据截至", today, today);
    long n_open = 0, n_outreach = 0, n_closed = 0, n_late = 0, n_case = 0, n_school = 0,
         n_flagged = 0;
    int rc;
    struct buf b = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%zu", t->nrows);
        table_setf(t, 1, "%lld", (long long)id);
        table_set(t, 2, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 3, stmt_text(q, 2));
        table_set(t, 4, stmt_text(q, 3));
        table_set(t, 5, gender_label((int)stmt_int(q, 4)));
        set_person(t, &v, (struct person_cols){6, 7, 8, 10}, stmt_text(q, 5), -1, stmt_text(q, 6),
                   stmt_text(q, 8), &b);
        table_set(t, 9, stmt_text(q, 7));
        int st = status_parse(stmt_text(q, 9));
        table_set(t, 11, st >= 0 ? status_label((enum child_status)st) : "");
        table_setf(t, 12, "%lld", (long long)stmt_int(q, 10));
        table_set(t, 13, stmt_text(q, 11));
        table_set(t, 14, stmt_text(q, 12));
        const char *state = stmt_text(q, 13);
        bool closed = !strcmp(state, "closed");
        long left = days_between(today, date_or_zero(stmt_text(q, 12)));
        if (!closed)
            table_setf(t, 15, "%ld", left);
        table_setf(t, 16, "%s%s", vocab_label(&task_states, state),
                   !closed && left < 0 ? "（逾期）" : "");
        n_open += !strcmp(state, "open");
        n_outreach += !strcmp(state, "outreach");
        n_closed += closed;
        n_late += !closed && left < 0;
        const char *oc = stmt_text(q, 14);
        table_setf(t, 17, "%s%s%s", vocab_label(&verify_outcomes, oc),
                   *stmt_text(q, 15) ? "：" : "",
                   vocab_label(&registration_problems, stmt_text(q, 15)));
        if (closed) {
            int w = vocab_parse(&verify_outcomes, oc);
            n_school += w >= 0 && (verify_outcomes.words[w].flags & VO_CLAIMS_SCHOOL);
        }
        table_set(t, 18, stmt_text(q, 16));
        buf_reset(&b);
        if (stmt_int(q, 17))
            people_describe(s, stmt_int(q, 17), &b);
        table_set(t, 19, b.buf);
        table_set(t, 20, stmt_text(q, 18));
        buf_reset(&b);
        casework_assignees(s, id, 0, &b);
        table_set(t, 21, b.buf);
        if (stmt_int(q, 19)) {
            n_flagged++;
            table_setf(t, 22, "第 %lld 次比对仍不在校，结论待复核", (long long)stmt_int(q, 19));
        }
        if (stmt_int(q, 20)) {
            n_case++;
            table_setf(t, 23, "%lld", (long long)stmt_int(q, 20));
        }
        table_set(t, 24, stmt_text(q, 21));
    }
    stmt_finalize(q);
    if (rc < 0) {
        buf_release(&b);
        table_release(t);
        return fail_store(s, o);
    }
    long total = (long)t->nrows;
    table_add_totals(t);
    table_set(t, 2, "合计");
    table_setf(t, 4, "%ld 人", total);
    table_note(
        t,
        "其中：待核查 %ld 人（逾期 %ld 人），外联保学 %ld 人，已办结 %ld 人（确认失学辍学并立案 "
        "%ld 人，核实在校或就读 %ld 人，其他情形 %ld 人）；核查结论与后来的比对不符、待复核 "
        "%ld 人。",
        n_open, n_late, n_outreach, n_closed, n_case, n_school, n_closed - n_case - n_school,
        n_flagged);
    table_note(t, "剩余天数为负数的，表示已逾期的天数。");
    table_note_view(t, &v, true);
    signature_note(t);
    buf_release(&b);
    char ns[24];
    snprintf(ns, sizeof(ns), "%ld", total);
    table_meta(t, "total", ns, META_INT);
    table_meta(t, "masked", opt->full ? "false" : "true", META_BOOL);
    buf_addf(&t->footer, "\n共 %ld 人%s\n", total,
             opt->full ? ""
                       : "。身份证号和电话已遮盖，不列出生日期（列年龄）；需要完整信息请加 "
                         "--full（将记入审计日志）");
    return 0;
}

/* ============================================================================================
 * 失学辍学台账（一人一案）
 */

static const struct table_col dropout_cols[] = {
    {"seq", "序号", COL_INT},
    {"case_id", "案件编号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"reason", "主要原因", COL_TEXT},
    {"other_reasons", "其他原因", COL_TEXT},
    {"opened_on", "立案日期", COL_TEXT},
    {"days_open", "立案天数", COL_INT},
    {"attempts", "劝返次数", COL_INT},
    {"last_attempt", "最近劝返", COL_TEXT},
    {"ladder", "依法控辍", COL_TEXT},
    {"state", "状态", COL_TEXT},
    {"outcome", "劝返结果", COL_TEXT},
    {"outcome_on", "结果日期", COL_TEXT},
    {"follow_ups_done", "已回访", COL_INT},
    {"follow_ups_required", "应回访", COL_INT},
    {"closed_on", "销号日期", COL_TEXT},
    {"township_official", "乡镇包保干部", COL_TEXT},
    {"village_cadre", "村干部", COL_TEXT},
    {"teacher", "结对教师", COL_TEXT},
    {"reopened", "重新打开次数", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
};

int report_ledger_dropout(struct store *s, const struct report_options *opt, struct report_table *t,
                          struct outcome *o)
{
    char code[10];
    const char *tname;
    if (township_arg(s, opt->township, code, &tname, o) < 0)
        return -1;
    struct casework_settings cs;
    if (casework_settings_load(s, &cs, o) < 0)
        return -1;
    struct stmt *q = store_prepare(
        s, "SELECT c.id, coalesce(c.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
           " coalesce(r.gender, 0), coalesce(r.birth_date, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''),"
           " coalesce(r.phone, ''), coalesce(c.reason, ''), coalesce(c.other_reasons, ''),"
           " c.opened_on, c.state, c.ladder, coalesce(c.outcome, ''), coalesce(c.outcome_on, ''),"
           " coalesce(c.outcome_school, ''), coalesce(c.outcome_grade, ''),"
           " coalesce(c.closed_on, ''), c.reopened, coalesce(c.township_code, ''),"
           " (SELECT count(*) FROM attempt a WHERE a.case_id = c.id AND a.corrects IS NULL),"
           " coalesce((SELECT max(a.on_date) FROM attempt a WHERE a.case_id = c.id), '')"
           " FROM case_file c JOIN record r ON r.id = c.record_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
           " ORDER BY c.township_code IS NOT NULL, c.township_code, c.id");
    struct stmt *who = store_prepare(
        s, "SELECT a.role, p.name, p.active FROM assignment a JOIN person p ON p.id = a.person_id"
           " WHERE a.id IN (SELECT max(id) FROM assignment WHERE case_id = $1 GROUP BY role)");
    if (!q || !who) {
        stmt_finalize(q);
        stmt_finalize(who);
        casework_settings_release(&cs);
        return fail_store(s, o);
    }
    stmt_bind_str(q, 1, code[0] ? code : NULL);
    char county[7];
    const char *cname = county_name(s, county);
    int today = date_today();
    struct view v;
    if (run_view(s, opt->full, &v) < 0) {
        stmt_finalize(q);
        stmt_finalize(who);
        casework_settings_release(&cs);
        return fail_store(s, o);
    }
    table_init_view(t, "失学辍学台账", "cases", dropout_cols, ARRAY_SIZE(dropout_cols), &v);
    caption(t, cname, tname, "失学辍学台账（一人一案）", "数据截至", today, today);
    long by_state[3] = {0}, by_reason[16] = {0}, attempts = 0;
    int rc;
    struct buf b = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        table_add_row(t);
        table_setf(t, 0, "%zu", t->nrows);
        table_setf(t, 1, "%lld", (long long)id);
        table_set(t, 2, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 3, stmt_text(q, 2));
        table_set(t, 4, stmt_text(q, 3));
        table_set(t, 5, gender_label((int)stmt_int(q, 4)));
        set_person(t, &v, (struct person_cols){6, 7, 8, 10}, stmt_text(q, 5), -1, stmt_text(q, 6),
                   stmt_text(q, 8), &b);
        table_set(t, 9, stmt_text(q, 7));
        const char *reason = stmt_text(q, 9);
        table_set(t, 11, vocab_label(&case_reasons, reason));
        int rk = vocab_parse(&case_reasons, reason);
        if (rk >= 0 && rk < 16)
            by_reason[rk]++;
        buf_reset(&b);
        reasons_label(stmt_text(q, 10), &b);
        table_set(t, 12, b.buf);
        int opened = date_or_zero(stmt_text(q, 11));
        table_set(t, 13, stmt_text(q, 11));
        const char *state = stmt_text(q, 12);
        bool closed = !strcmp(state, "closed"), open = !strcmp(state, "open");
        int closed_on = date_or_zero(stmt_text(q, 18));
        if (opened)
            table_setf(t, 14, "%ld", days_between(opened, closed && closed_on ? closed_on : today));
        int64_t n_att = stmt_int(q, 21);
        attempts += (long)n_att;
        table_setf(t, 15, "%lld", (long long)n_att);
        table_set(t, 16, stmt_text(q, 22));
        int step = (int)stmt_int(q, 13);
        table_set(t, 17, step >= 1 && step <= 4 ? ladder_steps.words[step - 1].label : "");
        table_set(t, 18, vocab_label(&case_states, state));
        by_state[open ? 0 : closed ? 2 : 1]++;
        if (!open) { /* a reopened case keeps its last outcome, which no longer holds */
            buf_reset(&b);
            buf_adds(&b, vocab_label(&case_outcomes, stmt_text(q, 14)));
            if (*stmt_text(q, 16))
                buf_addf(&b, "，%s", stmt_text(q, 16));
            if (*stmt_text(q, 17))
                buf_addf(&b, " %s", stmt_text(q, 17));
            table_set(t, 19, b.buf);
            table_set(t, 20, stmt_text(q, 15));
            int outcome_on = date_or_zero(stmt_text(q, 15));
            int *dates = NULL;
            size_t nd = 0;
            if (case_followup_dates(s, id, outcome_on, &dates, &nd) < 0) {
                free(dates);
                rc = -1;
                break;
            }
            int next;
            table_setf(t, 21, "%d", followup_progress(&cs, outcome_on, dates, nd, &next));
            table_setf(t, 22, "%d", cs.followup_count);
            free(dates);
        }
        table_set(t, 23, stmt_text(q, 18));
        stmt_reset(who);
        stmt_bind_int(who, 1, id);
        int r2;
        while ((r2 = stmt_step(who)) == 1) {
            int k = vocab_parse(&assignee_roles, stmt_text(who, 0));
            if (k >= 0)
                table_setf(t, 24 + (size_t)k, "%s%s", stmt_text(who, 1),
                           stmt_int(who, 2) ? "" : "[已停用]");
        }
        if (r2 < 0) {
            rc = -1;
            break;
        }
        table_setf(t, 27, "%lld", (long long)stmt_int(q, 19));
        table_set(t, 28, stmt_text(q, 20));
    }
    stmt_finalize(q);
    stmt_finalize(who);
    casework_settings_release(&cs);
    if (rc < 0) {
        buf_release(&b);
        table_release(t);
        return fail_store(s, o);
    }
    long total = (long)t->nrows;
    table_add_totals(t);
    table_set(t, 2, "合计");
    table_setf(t, 4, "%ld 人", total);
    table_setf(t, 15, "%ld", attempts);
    table_note(t, "其中：劝返中 %ld 人，已返校巩固回访中 %ld 人，已销号 %ld 人。", by_state[0],
               by_state[1], by_state[2]);
    buf_reset(&b);
    for (size_t k = 0; k < case_reasons.n && k < 16; k++)
        buf_addf(&b, "%s%s %ld 人", k ? "，" : "", case_reasons.words[k].label, by_reason[k]);
    table_note(t, "按主要原因：%s。", b.buf);
    table_note(t, "劝返次数不含更正记录；立案天数算到销号日期，未销号的算到制表日期。");
    table_note_view(t, &v, true);
    signature_note(t);
    buf_release(&b);
    char ns[24];
    snprintf(ns, sizeof(ns), "%ld", total);
    table_meta(t, "total", ns, META_INT);
    table_meta(t, "masked", opt->full ? "false" : "true", META_BOOL);
    buf_addf(&t->footer, "\n共 %ld 件%s\n", total,
             opt->full ? ""
                       : "。身份证号和电话已遮盖，不列出生日期（列年龄）；需要完整信息请加 "
                         "--full（将记入审计日志）");
    return 0;
}

/* ============================================================================================
 * 控辍保学工作月报
 */

int monthly_period_start(int date)
{
    int y = ymd_year(date), m = ymd_month(date) - 1, d = ymd_day(date);
    if (m == 0) {
        m = 12;
        y--;
    }
    while (d > 28 && !date_valid(y, m, d))
        d--;
    return days_to_ymd(ymd_to_days(ymd_make(y, m, d)) + 1);
}

#define N_REASONS 7 /* case_reasons, in their order */

struct mrow {
    char code[10];
    char name[96];
    long school_age, enrolled;
    long new_tasks, verified, pending, new_cases, reopened, returned, closed, still_out;
    long reason[N_REASONS];
};

struct monthly {
    struct mrow *r;
    size_t n, alloc;
    const char *filter_code; /* --township: only this one */
};

/* The row of a township (by code; by name when the data has no code); NULL when filtered. */
static struct mrow *mrow_of(struct monthly *m, const char *code, const char *name)
{
    if (m->filter_code && strcmp(code, m->filter_code))
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (*code ? !strcmp(m->r[i].code, code) : !*m->r[i].code && !strcmp(m->r[i].name, name))
            return &m->r[i];
    ALLOC_GROW(m->r, m->n + 1, m->alloc);
    struct mrow *r = &m->r[m->n++];
    memset(r, 0, sizeof(*r));
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->name, sizeof(r->name), "%s", *name ? name : "（未填乡镇）");
    return r;
}

static const struct table_col monthly_cols[] = {
    {"township", "乡镇", COL_TEXT},
    {"school_age", "适龄儿童", COL_INT},
    {"enrolled", "在校（含外出就读）", COL_INT},
    {"enrolment_rate", "入学率", COL_TEXT},
    {"new_suspected", "新增疑似", COL_INT},
    {"verified", "核查办结", COL_INT},
    {"pending", "待核查", COL_INT},
    {"new_cases", "新增失学辍学", COL_INT},
    {"reopened", "重新打开", COL_INT},
    {"returned", "劝返复学", COL_INT},
    {"closed", "销号", COL_INT},
    {"still_out", "仍失学辍学", COL_INT},
    {"reason_learning", "其中学习困难/厌学", COL_INT},
    {"reason_work", "其中外出打工", COL_INT},
    {"reason_marriage", "其中早婚早育", COL_INT},
    {"reason_religion", "其中信教", COL_INT},
    {"reason_illness", "其中疾病残疾", COL_INT},
    {"reason_poverty", "其中家庭经济困难", COL_INT},
    {"reason_other", "其中其他", COL_INT},
    {"township_code", "乡镇代码", COL_TEXT},
};

static void monthly_row(struct report_table *t, const struct mrow *r, bool have_run)
{
    long v[] = {r->new_tasks, r->verified, r->pending, r->new_cases,
                r->reopened,  r->returned, r->closed,  r->still_out};
    table_set(t, 0, r->name);
    if (have_run) {
        table_setf(t, 1, "%ld", r->school_age);
        table_setf(t, 2, "%ld", r->enrolled);
        if (r->school_age)
            table_setf(t, 3, "%.2f%%", 100.0 * (double)r->enrolled / (double)r->school_age);
    }
    for (size_t k = 0; k < ARRAY_SIZE(v); k++)
        table_setf(t, 4 + k, "%ld", v[k]);
    for (size_t k = 0; k < N_REASONS; k++)
        table_setf(t, 12 + k, "%ld", r->reason[k]);
    table_set(t, 19, r->code);
}

/* Runs `sql` with $1/$2 bound to two dates and hands every row to fn. */
static int monthly_query(struct store *s, const char *sql, const char *d1, const char *d2,
                         void (*fn)(struct monthly *m, struct stmt *q), struct monthly *m)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q)
        return -1;
    stmt_bind_str(q, 1, d1);
    if (d2)
        stmt_bind_str(q, 2, d2);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        fn(m, q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static void add_new_tasks(struct monthly *m, struct stmt *q)
{
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (r)
        r->new_tasks += (long)stmt_int(q, 2);
}

static void add_events(struct monthly *m, struct stmt *q)
{
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (!r)
        return;
    const char *kind = stmt_text(q, 2);
    long n = (long)stmt_int(q, 3);
    if (!strcmp(kind, "verified"))
        r->verified += n;
    else if (!strcmp(kind, "case_opened"))
        r->new_cases += n;
    else if (!strcmp(kind, "reopened"))
        r->reopened += n;
    else if (!strcmp(kind, "resolved"))
        r->returned += n;
    else if (!strcmp(kind, "closed"))
        r->closed += n;
}

static void add_pending(struct monthly *m, struct stmt *q)
{
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (r)
        r->pending += (long)stmt_int(q, 2);
}

static void add_run_count(struct monthly *m, struct stmt *q)
{
    int st = status_parse(stmt_text(q, 2));
    if (st < 0 || !status_is_school_age((enum child_status)st))
        return;
    struct mrow *r = mrow_of(m, stmt_text(q, 0), stmt_text(q, 1));
    if (!r)
        return;
    r->school_age += (long)stmt_int(q, 3);
    if (status_counts_enrolled((enum child_status)st))
        r->enrolled += (long)stmt_int(q, 3);
}

/* A case is out of school on a date when its last open/reopen/resolve/close event on or before
 * that date opened it: the events are the history, case_file only the state of today. */
static int add_still_out(struct store *s, struct monthly *m, const char *date)
{
    struct stmt *q = store_prepare(
        s, "SELECT e.case_id, e.kind, coalesce(c.township_code, ''), coalesce(c.township, ''),"
           " coalesce(c.reason, '') FROM event e JOIN case_file c ON c.id = e.case_id"
           " WHERE e.kind IN ('case_opened', 'reopened', 'resolved', 'closed')"
           " AND e.on_date <= $1 ORDER BY e.case_id, e.on_date, e.id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, date);
    int rc;
    int64_t cur = 0;
    bool out = false;
    char code[10] = "", name[96] = "", reason[32] = "";
#define FLUSH_CASE()                                                                               \
    do {                                                                                           \
        struct mrow *r_ = cur && out ? mrow_of(m, code, name) : NULL;                              \
        if (r_) {                                                                                  \
            r_->still_out++;                                                                       \
            int k_ = vocab_parse(&case_reasons, reason);                                           \
            r_->reason[k_ >= 0 && k_ < N_REASONS ? k_ : N_REASONS - 1]++;                          \
        }                                                                                          \
    } while (0)
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        if (id != cur) {
            FLUSH_CASE();
            cur = id;
            snprintf(code, sizeof(code), "%s", stmt_text(q, 2));
            snprintf(name, sizeof(name), "%s", stmt_text(q, 3));
            snprintf(reason, sizeof(reason), "%s", stmt_text(q, 4));
        }
        const char *kind = stmt_text(q, 1);
        out = !strcmp(kind, "case_opened") || !strcmp(kind, "reopened");
    }
    if (rc == 0)
        FLUSH_CASE();
#undef FLUSH_CASE
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int report_monthly(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o)
{
    char code[10];
    const char *tname;
    if (township_arg(s, opt->township, code, &tname, o) < 0)
        return -1;
    int today = date_today();
    /* by default the report being compiled: the first 15th on or after today */
    int month = opt->month;
    if (!month) {
        int y = ymd_year(today), mo = ymd_month(today);
        if (ymd_day(today) > 15 && ++mo > 12) {
            mo = 1;
            y++;
        }
        month = ymd_make(y, mo, 1);
    }
    int date = opt->date ? opt->date : ymd_make(ymd_year(month), ymd_month(month), 15);
    int start = monthly_period_start(date);
    char d_start[11], d_end[11], d_cn[24], s_cn[24];
    date_format(start, d_start);
    date_format(date, d_end);
    date_format_cn(date, d_cn, sizeof(d_cn));
    date_format_cn(start, s_cn, sizeof(s_cn));

    struct monthly m = {.filter_code = code[0] ? code : NULL};
    char county[7];
    const char *cname = county_name(s, county);
    size_t ntw = 0;
    const struct township *tw = county[0] ? division_townships(county, &ntw) : NULL;
    for (size_t i = 0; i < ntw; i++) /* every township has its row, with or without events */
        mrow_of(&m, tw[i].code, tw[i].name);

    /* the enrolment rate: the latest run made on or before the report date */
    int64_t run = 0;
    const char *p[] = {d_end};
    int ret = store_int(s,
                        "SELECT coalesce(max(id), 0) FROM match_run"
                        " WHERE finished_at IS NOT NULL AND as_of <= $1",
                        1, p, &run);
    struct run_info ri;
    memset(&ri, 0, sizeof(ri));
    if (ret == 0 && run && run_info_load(s, run, &ri, o) < 0) {
        free(m.r);
        return -1;
    }
    char runs[24];
    snprintf(runs, sizeof(runs), "%lld", (long long)run);
    if (ret == 0 && run)
        ret = monthly_query(s,
                            "SELECT township_code, township, status, sum(n) FROM run_count"
                            " WHERE run_id = $1 GROUP BY 1, 2, 3",
                            runs, NULL, add_run_count, &m);
    if (ret == 0)
        ret = monthly_query(s,
                            "SELECT coalesce(township_code, ''), coalesce(township, ''), count(*)"
                            " FROM verify_task WHERE opened_on >= $1 AND opened_on <= $2"
                            " GROUP BY 1, 2",
                            d_start, d_end, add_new_tasks, &m);
    if (ret == 0)
        ret = monthly_query(
            s,
            "SELECT coalesce(c.township_code, t.township_code, ''),"
            " coalesce(c.township, t.township, ''), e.kind,"
            " count(DISTINCT CASE WHEN e.kind = 'verified' THEN e.task_id ELSE e.case_id END)"
            " FROM event e LEFT JOIN verify_task t ON t.id = e.task_id"
            " LEFT JOIN case_file c ON c.id = e.case_id"
            " WHERE e.on_date >= $1 AND e.on_date <= $2"
            " AND e.kind IN ('verified', 'case_opened', 'reopened', 'resolved', 'closed')"
            " GROUP BY 1, 2, 3",
            d_start, d_end, add_events, &m);
    if (ret == 0)
        ret = monthly_query(s,
                            "SELECT coalesce(t.township_code, ''), coalesce(t.township, ''),"
                            " count(*) FROM verify_task t WHERE t.opened_on <= $1"
                            " AND NOT EXISTS (SELECT 1 FROM event e WHERE e.task_id = t.id"
                            "  AND e.kind = 'verified' AND e.on_date <= $1)"
                            " GROUP BY 1, 2",
                            d_end, NULL, add_pending, &m);
    if (ret == 0)
        ret = add_still_out(s, &m, d_end);
    if (ret < 0) {
        free(m.r);
        return fail_store(s, o);
    }

    struct buf what = BUF_INIT;
    buf_addf(&what, "控辍保学工作月报（%d年%d月）", ymd_year(month), ymd_month(month));
    table_init(t, "控辍保学月报", "townships", monthly_cols, ARRAY_SIZE(monthly_cols));
    caption(t, cname, tname, what.buf, "截至", date, date);
    buf_release(&what);
    struct mrow sum;
    memset(&sum, 0, sizeof(sum));
    for (size_t i = 0; i < m.n; i++) {
        const struct mrow *r = &m.r[i];
        table_add_row(t);
        monthly_row(t, r, run != 0);
        sum.school_age += r->school_age;
        sum.enrolled += r->enrolled;
        sum.new_tasks += r->new_tasks;
        sum.verified += r->verified;
        sum.pending += r->pending;
        sum.new_cases += r->new_cases;
        sum.reopened += r->reopened;
        sum.returned += r->returned;
        sum.closed += r->closed;
        sum.still_out += r->still_out;
        for (size_t k = 0; k < N_REASONS; k++)
            sum.reason[k] += r->reason[k];
    }
    free(m.r);
    snprintf(sum.name, sizeof(sum.name), "%s", code[0] ? "合计" : "全县合计");
    snprintf(sum.code, sizeof(sum.code), "%s", code[0] ? code : county);
    table_add_totals(t);
    monthly_row(t, &sum, run != 0);

    table_note(t, "统计期：%s至%s。“待核查”“仍失学辍学”及其原因为截至%s的人数。", s_cn, d_cn, d_cn);
    if (run)
        table_note(t,
                   "适龄儿童和入学率取自第 %lld 次比对（截至 %s）：入学率 =（本县在读 + 外出就读 + "
                   "休学 + 已完成义务教育）÷ 义务教育年龄段儿童。",
                   (long long)run, ri.as_of);
    else
        table_note(t, "截至%s还没有比对结果，适龄儿童和入学率空缺。", d_cn);
    table_note(t, "劝返复学含复学、送教上门、特殊教育学校、职业教育安置等劝返结果；销号须巩固回访"
                  "合格并经审批。");
    if (date > today) {
        char t_cn[24];
        date_format_cn(today, t_cn, sizeof(t_cn));
        table_note(t, "报表日期晚于今天（%s），数字只到今天为止。", t_cn);
    }
    signature_note(t);
    char mon[24];
    snprintf(mon, sizeof(mon), "%04d-%02d", ymd_year(month), ymd_month(month));
    table_meta(t, "month", mon, META_TEXT);
    table_meta(t, "period_start", d_start, META_TEXT);
    table_meta(t, "report_date", d_end, META_TEXT);
    table_meta(t, "run_id", runs, META_INT);
    buf_addf(&t->footer, "\n统计期 %s 至 %s（报表日期为每月 15 日，可用 --date 改）。\n", d_start,
             d_end);
    return 0;
}
