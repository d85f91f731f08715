/*
 * What the county sends the police (issue 13, docs/reports.md): the pupils of its schools whom
 * the register does not know although their ID is of this county or they have none (有学籍无
 * 户籍学生核查名单), and the 户籍核查反馈表 — those pupils and every verification outcome of kind
 * 户籍问题 (空挂户, 双重户籍, 证件错误, 查无此人), with what was found, by whom and when. They
 * only read: the latest run's nonlocal_pupil rows and the verification tasks.
 */
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "core/date.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "domain/run.h"
#include "domain/status.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"

/* The pupils of the police's list in the run: ID of this county, or none; $1 the run, $2 the
 * township code (NULL the county). In township order (the unknown last), school, grade. */
#define POLICE_SQL                                                                                 \
    "SELECT r.id, np.township_code, np.township, coalesce(r.school_name, ''),"                     \
    " coalesce(r.grade, 0), coalesce(r.class, ''), coalesce(r.name, ''), coalesce(r.gender, 0),"   \
    " coalesce(r.birth_date, ''), coalesce(r.id_number, r.id_raw, ''), np.id_origin, cs.detail,"   \
    " coalesce(r.guardian, ''), coalesce(r.phone, '')"                                             \
    " FROM nonlocal_pupil np JOIN record r ON r.id = np.record_id"                                 \
    " JOIN child_status cs ON cs.run_id = np.run_id AND cs.record_id = np.record_id"               \
    " WHERE np.run_id = $1 AND np.id_origin IN ('local', 'none')"                                  \
    " AND (CAST($2 AS TEXT) IS NULL OR np.township_code = $2)"                                     \
    " ORDER BY np.township_code = '', np.township_code, r.school_name, r.grade, r.id"

static int origin_of(const char *key)
{
    for (int k = NONLOCAL_OTHER; k <= NONLOCAL_NONE; k++)
        if (!strcmp(key, nonlocal_id_key((enum nonlocal_id)k)))
            return k;
    return NONLOCAL_OTHER;
}

/* The run and --township: the latest run, the township's code and name. */
static int open_police(struct store *s, const struct report_options *opt, struct run_info *ri,
                       char tcode[10], const char **tname, struct outcome *o)
{
    if (run_info_load(s, opt->run_id, ri, o) < 0)
        return -1;
    return ledger_township_arg(s, opt->township, tcode, tname, o);
}

/* ============================================================================================
 * 有学籍无户籍学生核查名单
 */

static const struct table_col pupil_cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇（按学校）", COL_TEXT},
    {"school", "就读学校", COL_TEXT},
    {"grade", "年级", COL_TEXT},
    {"class", "班级", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "学籍中的身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"id_origin", "身份证号情况", COL_TEXT},
    {"detail", "情况", COL_TEXT},
    {"township_code", "乡镇代码", COL_TEXT},
    {"record_id", "学籍记录编号", COL_INT},
};

int report_unregistered_pupils(struct store *s, const struct report_options *opt,
                               struct report_table *t, struct outcome *o)
{
    struct run_info ri;
    char tcode[10];
    const char *tname;
    if (open_police(s, opt, &ri, tcode, &tname, o) < 0)
        return -1;
    struct stmt *q = store_prepare(s, POLICE_SQL);
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_str(q, 2, *tcode ? tcode : NULL);
    struct view v = view_make(opt->full, ri.cutoff);
    table_init_view(t, "有学籍无户籍学生核查名单", "pupils", pupil_cols, ARRAY_SIZE(pupil_cols),
                    &v);
    char county[7];
    const char *cname = ledger_county_name(s, county);
    ledger_caption(t, cname, tname, "有学籍无户籍学生核查名单（送公安机关）", "数据截至",
                   date_or_zero(ri.as_of), date_today());
    long n = 0, by[3] = {0};
    int rc;
    struct buf b = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        int origin = origin_of(stmt_text(q, 10));
        by[origin]++;
        table_add_row(t);
        table_setf(t, 0, "%ld", ++n);
        table_set(t, 1, *stmt_text(q, 2) ? stmt_text(q, 2) : "（无法确定）");
        table_set(t, 2, stmt_text(q, 3));
        int g = (int)stmt_int(q, 4);
        table_set(t, 3, g >= 1 && g <= 12 ? grade_name(g) : "");
        table_set(t, 4, stmt_text(q, 5));
        table_set(t, 5, stmt_text(q, 6));
        table_set(t, 6, gender_label((int)stmt_int(q, 7)));
        ledger_set_person(t, &v, (struct person_cols){7, 8, 9, 11}, stmt_text(q, 8), -1,
                          stmt_text(q, 9), stmt_text(q, 13), &b);
        table_set(t, 10, stmt_text(q, 12));
        table_set(t, 12, nonlocal_id_label((enum nonlocal_id)origin));
        table_set(t, 13, stmt_text(q, 11));
        table_set(t, 14, stmt_text(q, 1));
        table_setf(t, 15, "%lld", (long long)stmt_int(q, 0));
    }
    buf_release(&b);
    stmt_finalize(q);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    table_add_totals(t);
    table_set(t, 1, "合计");
    table_setf(t, 5, "%ld 人", n);
    table_note(
        t,
        "本县学校在读、但户籍名单中没有的学生，其中学籍身份证号属本县 %ld 人、没有可用的身份证号 "
        "%ld 人：可能未落户或户籍信息有误，请公安机关核查。外县身份证号的随迁子女不列入。",
        by[NONLOCAL_LOCAL], by[NONLOCAL_NONE]);
    table_note(t, "乡镇按学籍名单所填乡镇，未填的按学校（学校多数户籍学生所在的乡镇）。");
    table_note_view(t, &v, true);
    ledger_signature_note(t);
    char sy[16], runs[24];
    report_run_meta(t, &ri, n, !opt->full, sy, runs);
    buf_addf(&t->footer, "\n共 %ld 人需公安核查户籍（比对第 %s 次，截至 %s，%s 学年）\n", n, runs,
             ri.as_of, sy);
    return 0;
}

/* ============================================================================================
 * 户籍核查反馈表
 */

static const struct table_col feedback_cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）/学校", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"birth_date", "出生日期", COL_BIRTH},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"problem", "问题类型", COL_TEXT},
    {"found", "核查发现", COL_TEXT},
    {"source", "来源", COL_TEXT},
    {"by", "核查人", COL_TEXT},
    {"on", "核查日期", COL_TEXT},
    {"reference", "编号", COL_TEXT},
    {"township_code", "乡镇代码", COL_TEXT},
};

int report_registration_feedback(struct store *s, const struct report_options *opt,
                                 struct report_table *t, struct outcome *o)
{
    struct run_info ri;
    char tcode[10];
    const char *tname;
    if (open_police(s, opt, &ri, tcode, &tname, o) < 0)
        return -1;
    /* the verification outcomes 户籍问题 (a task of an earlier run too: it stays the police's
     * until they answer), then the latest run's pupils of the police's list */
    struct stmt *q = store_prepare(
        s,
        "SELECT t.id, coalesce(t.township_code, ''), coalesce(t.township, ''),"
        " coalesce(r.village, ''), coalesce(r.name, ''), coalesce(r.gender, 0),"
        " coalesce(r.birth_date, ''), coalesce(r.id_number, r.id_raw, ''),"
        " coalesce(r.guardian, ''), coalesce(r.phone, ''), t.outcome_sub, coalesce(t.note, ''),"
        " coalesce(t.evidence, ''), coalesce(p.name, ''), coalesce(p.org, ''),"
        " coalesce(t.verified_on, '')"
        " FROM verify_task t JOIN record r ON r.id = t.record_id"
        " LEFT JOIN person p ON p.id = t.verified_by"
        " WHERE t.outcome = 'registration' AND (CAST($1 AS TEXT) IS NULL OR t.township_code = $1)"
        " ORDER BY t.township_code IS NULL, t.township_code, t.verified_on, t.id");
    struct stmt *pq = q ? store_prepare(s, POLICE_SQL) : NULL;
    if (!pq) {
        stmt_finalize(q);
        return fail_store(s, o);
    }
    stmt_bind_str(q, 1, *tcode ? tcode : NULL);
    stmt_bind_int(pq, 1, ri.id);
    stmt_bind_str(pq, 2, *tcode ? tcode : NULL);
    struct view v = view_make(opt->full, ri.cutoff);
    table_init_view(t, "户籍核查反馈表", "items", feedback_cols, ARRAY_SIZE(feedback_cols), &v);
    char county[7];
    const char *cname = ledger_county_name(s, county);
    ledger_caption(t, cname, tname, "户籍核查反馈表（送公安机关）", "数据截至",
                   date_or_zero(ri.as_of), date_today());
    long n = 0, found = 0, pupils = 0;
    int rc;
    struct buf b = BUF_INIT;
    while ((rc = stmt_step(q)) == 1) {
        table_add_row(t);
        table_setf(t, 0, "%ld", ++n);
        found++;
        table_set(t, 1, *stmt_text(q, 2) ? stmt_text(q, 2) : "（未填乡镇）");
        table_set(t, 2, stmt_text(q, 3));
        table_set(t, 3, stmt_text(q, 4));
        table_set(t, 4, gender_label((int)stmt_int(q, 5)));
        ledger_set_person(t, &v, (struct person_cols){5, 6, 7, 9}, stmt_text(q, 6), -1,
                          stmt_text(q, 7), stmt_text(q, 9), &b);
        table_set(t, 8, stmt_text(q, 8));
        table_set(t, 10, vocab_label(&registration_problems, stmt_text(q, 10)));
        buf_reset(&b);
        buf_adds(&b, stmt_text(q, 11));
        if (*stmt_text(q, 12))
            buf_addf(&b, "%s证明材料：%s", b.len ? "；" : "", stmt_text(q, 12));
        table_set(t, 11, b.buf);
        table_set(t, 12, "乡镇入户核查");
        buf_reset(&b);
        if (*stmt_text(q, 13))
            buf_addf(&b, "%s（%s）", stmt_text(q, 13), stmt_text(q, 14));
        table_set(t, 13, b.buf);
        table_set(t, 14, stmt_text(q, 15));
        table_setf(t, 15, "核查任务 %lld", (long long)stmt_int(q, 0));
        table_set(t, 16, stmt_text(q, 1));
    }
    char run_by[64];
    snprintf(run_by, sizeof(run_by), "县教育局学籍比对（第 %lld 次）", (long long)ri.id);
    int prc = rc;
    while (rc == 0 && (prc = stmt_step(pq)) == 1) {
        int origin = origin_of(stmt_text(pq, 10));
        table_add_row(t);
        table_setf(t, 0, "%ld", ++n);
        pupils++;
        table_set(t, 1, *stmt_text(pq, 2) ? stmt_text(pq, 2) : "（无法确定）");
        table_set(t, 2, stmt_text(pq, 3));
        table_set(t, 3, stmt_text(pq, 6));
        table_set(t, 4, gender_label((int)stmt_int(pq, 7)));
        ledger_set_person(t, &v, (struct person_cols){5, 6, 7, 9}, stmt_text(pq, 8), -1,
                          stmt_text(pq, 9), stmt_text(pq, 13), &b);
        table_set(t, 8, stmt_text(pq, 12));
        buf_reset(&b);
        buf_addf(&b, "有学籍无户籍（%s）", nonlocal_id_label((enum nonlocal_id)origin));
        table_set(t, 10, b.buf);
        table_set(t, 11, stmt_text(pq, 11));
        table_set(t, 12, "学籍与户籍比对");
        table_set(t, 13, run_by);
        table_set(t, 14, ri.as_of);
        table_setf(t, 15, "学籍记录 %lld", (long long)stmt_int(pq, 0));
        table_set(t, 16, stmt_text(pq, 1));
    }
    buf_release(&b);
    stmt_finalize(q);
    stmt_finalize(pq);
    if (rc < 0 || prc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    table_add_totals(t);
    table_set(t, 1, "合计");
    table_setf(t, 3, "%ld 人", n);
    table_note(t, "乡镇入户核查发现的户籍问题 %ld 人，学籍比对发现的有学籍无户籍学生 %ld 人。",
               found, pupils);
    table_note(t, "请公安机关逐人核实处理，并将处理结果反馈县教育局（控辍保学办）。");
    table_note_view(t, &v, true);
    ledger_signature_note(t);
    char sy[16], runs[24];
    report_run_meta(t, &ri, n, !opt->full, sy, runs);
    buf_addf(&t->footer, "\n共 %ld 人：入户核查 %ld 人，学籍比对 %ld 人（比对第 %s 次，截至 %s）\n",
             n, found, pupils, runs, ri.as_of);
    return 0;
}
