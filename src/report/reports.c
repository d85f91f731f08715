#include "report/reports.h"

#include <pthread.h>

#include "core/date.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* Resolve --township to a code (official) or a literal name as imported. */
static void township_filter(const struct run_info *ri, const char *arg, const char **code,
                            const char **name)
{
    *code = *name = NULL;
    if (!arg)
        return;
    const struct township *t = ri->county[0] ? division_find_township(ri->county, arg) : NULL;
    if (t)
        *code = t->code;
    else
        *name = arg;
}

/*
 * The common start of a report over one run: find the run, resolve --township, set up the
 * table and prepare `sql`, whose $1 is the run and $2/$3 the township code/name filters.
 */
static struct stmt *open_report(struct store *s, const struct report_options *opt,
                                struct run_info *ri, const char *sql, struct outcome *o)
{
    if (run_info_load(s, opt->run_id, ri, o) < 0)
        return NULL;
    const char *tcode, *tname;
    township_filter(ri, opt->township, &tcode, &tname);
    struct stmt *q = store_prepare(s, sql);
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, ri->id);
    stmt_bind_str(q, 2, tcode);
    stmt_bind_str(q, 3, tname);
    return q;
}

void report_run_meta(struct report_table *t, const struct run_info *ri, long total, int masked,
                     char sy[16], char runs[24])
{
    char ns[24];
    snprintf(sy, 16, "%d-%d", ri->school_year, ri->school_year + 1);
    snprintf(runs, 24, "%lld", (long long)ri->id);
    snprintf(ns, sizeof(ns), "%ld", total);
    table_meta(t, "as_of", ri->as_of, META_TEXT);
    table_meta(t, "school_year", sy, META_TEXT);
    table_meta(t, "run_id", runs, META_INT);
    table_meta(t, "total", ns, META_INT);
    if (masked >= 0)
        table_meta(t, "masked", masked ? "true" : "false", META_BOOL);
}

static const struct table_col oos_cols[] = {
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
    {"status", "状态", COL_TEXT},
    {"status_label", "状态说明", COL_TEXT},
    {"detail", "情况", COL_TEXT},
    {"groups", "重点群体", COL_LIST},
    {"township_code", "乡镇代码", COL_TEXT},
    {"record_id", "记录编号", COL_INT},
};

int report_out_of_school(struct store *s, const struct report_options *opt, struct report_table *t,
                         struct outcome *o)
{
    struct run_info ri;
    struct report_group grp;
    if (report_group_arg(opt, &grp, o) < 0)
        return -1;
    struct stmt *q = open_report(
        s, opt, &ri,
        "SELECT r.id, coalesce(r.township, ''), coalesce(r.village, ''), coalesce(r.name, ''),"
        " coalesce(r.gender, 0), coalesce(r.birth_date, ''), cs.age, cs.expected_grade,"
        " coalesce(r.id_number, r.id_raw, ''), coalesce(r.guardian, ''), coalesce(r.phone, ''),"
        " cs.status, cs.detail, coalesce(r.township_code, '')"
        " FROM child_status cs JOIN record r ON r.id = cs.record_id"
        /* a child whose only school record waits for a clerk may be out of school too */
        " WHERE cs.run_id = $1 AND cs.status IN ('not_enrolled', 'dropped_out', 'pending_review')"
        "  AND (CAST($2 AS TEXT) IS NULL OR r.township_code = $2)"
        "  AND (CAST($3 AS TEXT) IS NULL OR r.township = $3)"
        "  AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM group_member gf"
        "   WHERE gf.run_id = $1 AND gf.record_id = r.id AND gf.grp = $4))"
        /* by age, then register order: in a masked list a rank among children of one age
         * would tell their birthdays apart (core/view.h) */
        " ORDER BY r.township_code IS NULL, r.township_code, r.township,"
        /* in each township the priority groups' children first (issue 15) */
        "  EXISTS (SELECT 1 FROM group_member gm WHERE gm.run_id = $1"
        "   AND gm.record_id = r.id) DESC, r.village, cs.age DESC, r.id",
        o);
    if (!q)
        return -1;
    stmt_bind_str(q, 4, grp.key);
    struct stmt *gq = store_prepare(s, "SELECT DISTINCT grp FROM group_member"
                                       " WHERE run_id = $1 AND record_id = $2");
    if (!gq) {
        stmt_finalize(q);
        return fail_store(s, o);
    }
    struct view v = view_make(opt->full, ri.cutoff);
    table_init_view(t, "适龄儿童未在校名单（疑似失学辍学）", "children", oos_cols,
                    ARRAY_SIZE(oos_cols), &v);
    int rc;
    long n = 0, pending = 0; /* pending: how many wait for a clerk (the JSON's pending_review) */
    struct buf b = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_setf(t, 0, "%ld", ++n);
        table_set(t, 1, *stmt_text(q, 1) ? stmt_text(q, 1) : "（未填乡镇）");
        table_set(t, 2, stmt_text(q, 2));
        table_set(t, 3, stmt_text(q, 3));
        table_set(t, 4, gender_label((int)stmt_int(q, 4)));
        table_set(t, 5, stmt_text(q, 5));
        if (!stmt_is_null(q, 6))
            table_setf(t, 6, "%lld", (long long)stmt_int(q, 6));
        int g = (int)stmt_int(q, 7);
        table_set(t, 7, g >= 1 && g <= 9 ? grade_name(g) : "");
        char m[VIEW_ID_SIZE];
        view_id(&v, stmt_text(q, 8), m);
        table_set(t, 8, m);
        table_set(t, 9, stmt_text(q, 9));
        buf_reset(&b);
        view_phone(&v, stmt_text(q, 10), &b);
        table_set(t, 10, b.buf);
        int st = status_parse(stmt_text(q, 11));
        pending += st == ST_PENDING_REVIEW;
        table_set(t, 11, stmt_text(q, 11));
        table_set(t, 12, st >= 0 ? status_label((enum child_status)st) : "");
        table_set(t, 13, stmt_text(q, 12));
        /* why the child comes first: its groups, in the vocabulary's order */
        bool in[GRP__COUNT] = {false};
        stmt_reset(gq);
        stmt_bind_int(gq, 1, ri.id);
        stmt_bind_int(gq, 2, stmt_int(q, 0));
        int grc;
        while ((grc = stmt_step(gq)) == 1) {
            int k = vocab_parse(&priority_groups, stmt_text(gq, 0));
            if (k >= 0)
                in[k] = true;
        }
        if (grc < 0) {
            rc = -1;
            break;
        }
        buf_reset(&b);
        for (int k = 0; k < GRP__COUNT; k++)
            if (in[k])
                buf_addf(&b, "%s%s", b.len ? "、" : "", priority_groups.words[k].label);
        table_set(t, 14, b.buf);
        table_set(t, 15, stmt_text(q, 13));
        table_setf(t, 16, "%lld", (long long)stmt_int(q, 0));
    }
    buf_release(&b);
    stmt_finalize(gq);
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        table_release(t);
        return -1;
    }
    char sy[16], runs[24], gcap[64];
    report_run_meta(t, &ri, n, !opt->full, sy, runs);
    report_group_meta(t, &grp);
    table_note_view(t, &v, true);
    char pn[24];
    snprintf(pn, sizeof(pn), "%ld", pending);
    table_meta(t, "pending_review", pn, META_INT);
    buf_addf(&t->footer,
             "\n共 %ld 名适龄儿童不在校或待复核%s（比对第 %s 次，截至 %s，%s 学年）%s\n", n,
             report_group_caption(&grp, gcap), runs, ri.as_of, sy,
             opt->full ? "" : "。身份证号和电话已遮盖，不列出生日期（列年龄）");
    if (pending)
        buf_addf(&t->footer,
                 "其中 %ld 名状态为“待复核”：有疑似属于本人的学籍或外出就读记录等待人工复核，"
                 "复核为同一人的，下次比对后按该记录判定。\n",
                 pending);
    return 0;
}

/* Summary columns: the township, then one per status (its key and label, in the vocabulary's
 * order, which is enum child_status's), then the total. */
static struct table_col summary_cols[2 + ST__COUNT + 1] = {
    {"township_code", "乡镇代码", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    [2 + ST__COUNT] = {"total", "合计", COL_INT},
};
static pthread_once_t summary_cols_once = PTHREAD_ONCE_INIT;

static void summary_cols_fill(void)
{
    for (int k = 0; k < ST__COUNT; k++)
        summary_cols[2 + k] = (struct table_col){status_key((enum child_status)k),
                                                 status_label((enum child_status)k), COL_INT};
}

int report_summary(struct store *s, const struct report_options *opt, struct report_table *t,
                   struct outcome *o)
{
    struct run_info ri;
    struct stmt *q =
        open_report(s, opt, &ri,
                    "SELECT township_code, township, status, sum(n) FROM run_count"
                    " WHERE run_id = $1 AND (CAST($2 AS TEXT) IS NULL OR township_code = $2)"
                    "  AND (CAST($3 AS TEXT) IS NULL OR township = $3)"
                    " GROUP BY 1, 2, 3 ORDER BY township_code = '', 1, 2",
                    o);
    if (!q)
        return -1;
    pthread_once(&summary_cols_once, summary_cols_fill);
    table_init(t, "适龄儿童状态汇总", "townships", summary_cols, ARRAY_SIZE(summary_cols));
    long county[ST__COUNT] = {0}, row[ST__COUNT] = {0}, total = 0;
    char cur_code[16] = "", cur_name[256] = "";
    bool have = false;
    int rc;
#define FLUSH_ROW()                                                                                \
    do {                                                                                           \
        long sum_ = 0;                                                                             \
        table_add_row(t);                                                                          \
        table_set(t, 0, cur_code);                                                                 \
        table_set(t, 1, *cur_name ? cur_name : "（未填乡镇）");                                    \
        for (int k = 0; k < ST__COUNT; k++) {                                                      \
            table_setf(t, 2 + (size_t)k, "%ld", row[k]);                                           \
            sum_ += status_is_nonlocal((enum child_status)k) ? 0 : row[k];                         \
        }                                                                                          \
        table_setf(t, 2 + ST__COUNT, "%ld", sum_);                                                 \
        memset(row, 0, sizeof(row));                                                               \
    } while (0)
    while ((rc = stmt_step(q)) == 1) {
        const char *code = stmt_text(q, 0), *name = stmt_text(q, 1);
        if (have && (strcmp(code, cur_code) || (!*code && strcmp(name, cur_name))))
            FLUSH_ROW();
        have = true;
        snprintf(cur_code, sizeof(cur_code), "%s", code);
        snprintf(cur_name, sizeof(cur_name), "%s", name);
        int st = status_parse(stmt_text(q, 2));
        if (st >= 0) {
            row[st] += (long)stmt_int(q, 3);
            county[st] += (long)stmt_int(q, 3);
            /* 合计 is the register's children: the pupils in no register here are beside */
            if (!status_is_nonlocal((enum child_status)st))
                total += (long)stmt_int(q, 3);
        }
    }
    if (have)
        FLUSH_ROW();
#undef FLUSH_ROW
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        table_release(t);
        return -1;
    }
    table_add_row(t);
    table_set(t, 0, opt->township ? "" : ri.county);
    table_set(t, 1, opt->township ? "小计" : "全县合计");
    for (int k = 0; k < ST__COUNT; k++)
        table_setf(t, 2 + (size_t)k, "%ld", county[k]);
    table_setf(t, 2 + ST__COUNT, "%ld", total);

    int64_t imported = 0;
    char pb[24];
    snprintf(pb, sizeof(pb), "%lld", (long long)ri.population_batch);
    const char *p[] = {pb};
    if (store_int(s, "SELECT rows_imported FROM batch WHERE id = $1", 1, p, &imported) < 0) {
        fail_store(s, o);
        table_release(t);
        return -1;
    }
    char sy[16], runs[24], imp[24];
    snprintf(imp, sizeof(imp), "%lld", (long long)imported);
    report_run_meta(t, &ri, total, -1, sy, runs);
    table_meta(t, "population_batch", pb, META_INT);
    table_meta(t, "population_imported", imp, META_INT);
    const char *cname = ri.county[0] ? division_county_name(ri.county) : NULL;
    buf_addf(&t->footer, "\n%s%s%s 学年，截至 %s（比对第 %s 次）。\n", cname ? cname : "",
             cname ? "，" : "", sy, ri.as_of, runs);
    /* the pupils in no register here are counted beside the register's children */
    long nonlocal = county[ST_ENROLLED_NONLOCAL], registered = total;
    char nl[24];
    snprintf(nl, sizeof(nl), "%ld", nonlocal);
    table_meta(t, "enrolled_nonlocal", nl, META_INT);
    if (!opt->township)
        buf_addf(&t->footer, "户籍儿童各状态合计 %ld 人，%s导入的户籍人数 %lld 人（第 %s 批）。\n",
                 registered, registered == imported ? "等于" : "【不等于】", (long long)imported,
                 pb);
    else
        buf_addf(&t->footer, "本乡镇户籍儿童各状态合计 %ld 人（全县导入的户籍人数 %lld 人）。\n",
                 registered, (long long)imported);
    if (nonlocal)
        buf_addf(&t->footer,
                 "另有“%s” %ld 人（学籍在本县学校、户籍名单中没有，按学校所在乡镇计），"
                 "列在其栏，不计入合计；其中需公安核查的：baoxue report unregistered-pupils\n",
                 status_label(ST_ENROLLED_NONLOCAL), nonlocal);
    buf_adds(&t->footer, "适龄未入学、辍学和待复核的名单：baoxue report out-of-school\n");
    return 0;
}

static const struct table_col children_cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"expected_grade", "应读年级", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"status", "状态", COL_TEXT},
    {"status_label", "状态说明", COL_TEXT},
    {"school", "学校", COL_TEXT},
    {"grade", "年级", COL_TEXT},
    {"detail", "情况", COL_TEXT},
    {"township_code", "乡镇代码", COL_TEXT},
    {"record_id", "记录编号", COL_INT},
    {"school_record", "学籍记录编号", COL_INT},
};

struct children_ctx {
    struct store *s;
    const struct report_options *opt;
    const struct run_info *ri;
    const char *tcode, *tname;
    struct report_group grp; /* --group */
    struct view view;
    struct report_table *t;
    struct stmt *q, *qd;
    struct buf school, detail;
    long n;
};

static int child_row(void *arg, const struct run_status_entry *e)
{
    struct children_ctx *c = arg;
    if ((c->opt->status >= 0 && (int)e->st != c->opt->status) ||
        !report_group_has(&c->grp, e->record_id))
        return 0;
    struct stmt *q = c->q;
    stmt_reset(q);
    stmt_bind_int(q, 1, e->record_id);
    stmt_bind_int(q, 2, e->school_record);
    int rc = stmt_step(q);
    if (rc != 1)
        return rc < 0 ? -1 : 0;
    const char *tcode = stmt_text(q, 0), *tname = stmt_text(q, 1);
    if ((c->tcode && strcmp(tcode, c->tcode)) || (c->tname && strcmp(tname, c->tname)))
        return 0;
    struct report_table *t = c->t;
    table_add_row(t);
    table_setf(t, 0, "%ld", ++c->n);
    table_set(t, 1, *tname ? tname : "（未填乡镇）");
    table_set(t, 2, stmt_text(q, 2));
    table_set(t, 3, stmt_text(q, 3));
    table_set(t, 4, gender_label((int)stmt_int(q, 4)));
    table_set(t, 5, stmt_text(q, 5));
    if (e->age >= 0)
        table_setf(t, 6, "%d", e->age);
    table_set(t, 7, e->grade >= 1 && e->grade <= 9 ? grade_name(e->grade) : "");
    const char *idn = stmt_text(q, 6);
    char m[VIEW_ID_SIZE];
    view_id(&c->view, idn, m);
    table_set(t, 8, m);
    table_set(t, 9, status_key(e->st));
    table_set(t, 10, status_label(e->st));
    buf_reset(&c->school);
    if (e->school_record && !stmt_is_null(q, 10)) {
        enum import_kind kind = KIND_ENROLLMENT;
        kind_parse(stmt_text(q, 10), &kind);
        school_display(&c->school, kind, stmt_text(q, 11), stmt_text(q, 12));
        int g = (int)stmt_int(q, 13);
        table_set(t, 12, g >= 1 && g <= 12 ? grade_name(g) : "");
    }
    table_set(t, 11, c->school.buf);
    /* the explanation: stored for the children someone acts on, written for the others */
    buf_reset(&c->detail);
    if (status_has_row(e->st)) {
        stmt_reset(c->qd);
        stmt_bind_int(c->qd, 1, c->ri->id);
        stmt_bind_int(c->qd, 2, e->record_id);
        if ((rc = stmt_step(c->qd)) < 0)
            return -1;
        if (rc == 1)
            buf_adds(&c->detail, stmt_text(c->qd, 0));
    }
    if (!c->detail.len) {
        struct status_facts f = {.st = e->st,
                                 .age = e->age,
                                 .grade = e->grade,
                                 .cutoff = c->ri->cutoff,
                                 .reg = (int)stmt_int(q, 7),
                                 .school = c->school.buf,
                                 .school_grade = (int)stmt_int(q, 13),
                                 .school_state = (int)stmt_int(q, 14),
                                 .method = e->method,
                                 .has_id = *idn != '\0',
                                 .bad_check = (stmt_int(q, 8) & ID_BAD_CHECK) != 0};
        status_describe(&f, &c->detail);
    }
    table_set(t, 13, c->detail.buf);
    table_set(t, 14, tcode);
    table_setf(t, 15, "%lld", (long long)e->record_id);
    if (e->school_record)
        table_setf(t, 16, "%lld", (long long)e->school_record);
    return 0;
}

/* Stored states are keys ("normal", "active"): as SQL CASE lists, in enum order. */
#define REG_CASE                                                                                   \
    "CASE p.reg_status WHEN 'moved_out' THEN 1 WHEN 'deceased' THEN 2 WHEN 'cancelled' THEN 3"     \
    " WHEN 'unknown' THEN 4 ELSE 0 END"
#define ENR_CASE                                                                                   \
    "CASE r.enroll_status WHEN 'active' THEN 0 WHEN 'suspended' THEN 1 WHEN 'transferred'"         \
    " THEN 2 WHEN 'dropped_out' THEN 3 WHEN 'graduated' THEN 4 WHEN 'deceased' THEN 5 ELSE 6 END"

int report_children(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o)
{
    struct run_info ri;
    if (run_info_load(s, opt->run_id, &ri, o) < 0)
        return -1;
    struct children_ctx c = {
        .s = s, .opt = opt, .ri = &ri, .view = view_make(opt->full, ri.cutoff), .t = t};
    township_filter(&ri, opt->township, &c.tcode, &c.tname);
    if (report_group_arg(opt, &c.grp, o) < 0 || report_group_load(s, ri.id, &c.grp, o) < 0)
        return -1;
    c.q = store_prepare(
        s, "SELECT coalesce(p.township_code, ''), coalesce(p.township, ''),"
           " coalesce(p.village, ''), coalesce(p.name, ''), coalesce(p.gender, 0),"
           " coalesce(p.birth_date, ''), coalesce(p.id_number, p.id_raw, ''), " REG_CASE ","
           " p.id_flags, coalesce(p.id_number, ''), b.kind, coalesce(r.school_name, ''),"
           " coalesce(r.school_region, ''), coalesce(r.grade, 0), " ENR_CASE
           " FROM record p LEFT JOIN record r ON r.id = $2"
           " LEFT JOIN batch b ON b.id = r.batch_id WHERE p.id = $1");
    c.qd = store_prepare(s, "SELECT detail FROM child_status WHERE run_id = $1 AND record_id = $2");
    if (!c.q || !c.qd) {
        fail_store(s, o);
        stmt_finalize(c.q);
        stmt_finalize(c.qd);
        report_group_release(&c.grp);
        return -1;
    }
    buf_init(&c.school, 0);
    buf_init(&c.detail, 0);
    table_init_view(t, "儿童状态清单", "children", children_cols, ARRAY_SIZE(children_cols),
                    &c.view);
    int rc = run_status_each(s, ri.id, child_row, &c);
    stmt_finalize(c.q);
    stmt_finalize(c.qd);
    buf_release(&c.school);
    buf_release(&c.detail);
    if (rc != 0) {
        failed(o, OUT_ERROR, "%s", rc == -2 ? "比对结果数据已损坏，请重新比对" : store_errmsg(s));
        table_release(t);
        report_group_release(&c.grp);
        return -1;
    }
    char sy[16], runs[24], gcap[64];
    report_run_meta(t, &ri, c.n, !opt->full, sy, runs);
    report_group_meta(t, &c.grp);
    table_note_view(t, &c.view, false);
    buf_addf(&t->footer, "\n共 %ld 名儿童%s（比对第 %s 次，截至 %s，%s 学年）%s\n", c.n,
             report_group_caption(&c.grp, gcap), runs, ri.as_of, sy,
             opt->full ? "" : "。身份证号已遮盖，不列出生日期（列年龄）");
    report_group_release(&c.grp);
    return 0;
}
