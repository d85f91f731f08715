#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <unistd.h>

#include "casework/case.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/idcard.h"
#include "core/words.h"
#include "domain/match.h"
#include "domain/user.h"
#include "ingest/import.h"
#include "render/table.h"
#include "store/store.h"

#include "testutil.h"

/*
 * casework/tasks: what is due and overdue, one row per item with its current assignees joined,
 * most urgent first (due date, then township and number); and the region, ties and school name the
 * scope checks read. Every test gets a fresh database of county 140521, today 2026-09-15, with a
 * cross-check that suspects four children and raises a verification task for each:
 *
 *   郑庄镇 (140521102)  王二, 王三 (not enrolled), 王四 (dropped out of 郑庄中学, S2)
 *   龙港镇 (140521100)  李二 (not enrolled)
 *
 * and the people 王五 (郑庄镇 包保干部), 钱六 (郑庄镇 村干部), 李四 (龙港镇 包保干部).
 */

#define ZHENGZHUANG "140521102"
#define LONGGANG    "140521100"

/* ---- the library calls, in one place (their signatures change with the error convention) -- */

static void match_and_casework(struct tu_fx *fx)
{
    struct casework_summary cw;
    struct outcome o = OUTCOME_INIT;
    if (casework_after_match(fx->s, tu_match(fx, 20260915), "test", &cw, &o) != 0)
        fail_msg("casework_after_match: %s", o.msg.buf);
    assert_int_equal(cw.tasks_created, 4);
    outcome_release(&o);
}

static void add_person(struct tu_fx *fx, const char *name, const char *org, const char *township,
                       const char *role)
{
    struct person_input in = {name, NULL, org, NULL, township, role};
    struct outcome o = OUTCOME_INIT;
    int64_t id;
    if (people_add(fx->s, &in, "test", &id, &o) != 0)
        fail_msg("people_add %s: %s", name, o.msg.buf);
    outcome_release(&o);
}

static void assign(struct tu_fx *fx, int64_t task, const char *township, const char *village)
{
    struct assign_input in = {.township = township, .village = village};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    if (casework_assign(fx->s, task, 0, &in, "test", &msg, &o) != 0)
        fail_msg("casework_assign: %s", o.msg.buf);
    buf_release(&msg);
    outcome_release(&o);
}

/* The verification of a task as 确认失学辍学 by `by`: the task closes, a case opens. */
static void confirm(struct tu_fx *fx, int64_t task, const char *by)
{
    struct verify_input in = {.outcome = "确认失学辍学", .by = by, .reason = "厌学"};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    if (verify_record(fx->s, task, &in, "test", &msg, &o) != 0)
        fail_msg("verify_record: %s", o.msg.buf);
    buf_release(&msg);
    outcome_release(&o);
}

/* An attempt on case_id by `method`, correcting attempt `corrects` (0: none) for `reason`: its
 * number, or minus the exit code of its refusal (the message in *why when given). */
static int64_t attempt_by(struct tu_fx *fx, int64_t case_id, const char *method, int64_t corrects,
                          const char *reason, char **why)
{
    char num[24] = "";
    if (corrects)
        snprintf(num, sizeof(num), "%lld", (long long)corrects);
    struct attempt_input in = {.date = "2026-09-15",
                               .method = method,
                               .people = "李四、家长",
                               .result = "家长同意下周返校",
                               .corrects = corrects ? num : NULL,
                               .reason = reason};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t rc = case_attempt(fx->s, case_id, &in, "test", &msg, &o) == 0
                     ? tu_int(fx->s, "SELECT max(id) FROM attempt", NULL)
                     : -outcome_exit(o.kind);
    if (why)
        *why = xstrdup(o.msg.buf ? o.msg.buf : "");
    buf_release(&msg);
    outcome_release(&o);
    return rc;
}

static void attempt(struct tu_fx *fx, int64_t case_id)
{
    assert_true(attempt_by(fx, case_id, "家访", 0, NULL, NULL) > 0);
}

/* tasks_list: 0 and the rows as "township|person|item|ref|child|due|days|status" lines, or the
 * exit code of the refusal. */
static int due(struct tu_fx *fx, const struct tasks_filter *f, struct buf *rows)
{
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    buf_reset(rows);
    int rc = tasks_list(fx->s, f, &t, &o);
    int code = outcome_exit(o.kind);
    outcome_release(&o);
    if (rc < 0)
        return code;
    json_t *j = table_to_json(&t);
    size_t i;
    json_t *r;
    static const char *const keys[] = {"township", "person", "item", "ref",
                                       "child",    "due",    "days", "status"};
    json_array_foreach(json_object_get(j, "tasks"), i, r)
    {
        for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
            json_t *v = json_object_get(r, keys[k]);
            if (json_is_integer(v))
                buf_addf(rows, "%lld", (long long)json_integer_value(v));
            else
                buf_adds(rows, json_string_value(v) ? json_string_value(v) : "");
            buf_addch(rows, k + 1 < ARRAY_SIZE(keys) ? '|' : '\n');
        }
    }
    json_decref(j);
    table_release(&t);
    return 0;
}

/* ---- the county ---- */

static void make_id(char out[19], int ymd, int sequence)
{
    snprintf(out, 19, "140521%08d%03d", ymd, sequence);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

static void load_county(struct tu_fx *fx)
{
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0);
    char a[19], b[19], c[19], d[19], e[19];
    make_id(a, 20160405, 101);
    make_id(b, 20140506, 103);
    make_id(c, 20130607, 105);
    make_id(d, 20160809, 107);
    make_id(e, 20150708, 109);
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    buf_addf(&pop,
             "姓名,性别,身份证号,出生日期,乡镇,村,户籍状态\n"
             "王二,男,%s,2016-04-05,郑庄镇,东村,正常\n"
             "王三,男,%s,2014-05-06,郑庄镇,西村,正常\n"
             "王四,男,%s,2013-06-07,郑庄镇,西村,正常\n"
             "李二,男,%s,2016-08-09,龙港镇,南村,正常\n"
             "李一,男,%s,2015-07-08,龙港镇,南村,正常\n",
             a, b, c, d, e);
    buf_addf(&enr,
             "学校名称,学校标识码,年级,姓名,身份证件号,学籍状态\n"
             "郑庄中学,S2,七年级,王四,%s,辍学\n"
             "龙港小学,S3,五年级,李一,%s,在读\n",
             c, e);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop.buf);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr.buf);
    buf_release(&pop);
    buf_release(&enr);
    match_and_casework(fx);
    add_person(fx, "王五", "郑庄镇人民政府", "郑庄镇", "包保干部");
    add_person(fx, "钱六", "东村村委会", "郑庄镇", "村干部");
    add_person(fx, "李四", "龙港镇人民政府", "龙港镇", "包保干部");
}

/* The verification task of the child named `name`. */
static int64_t task_of(struct tu_fx *fx, const char *name)
{
    int64_t t = tu_int(fx->s,
                       "SELECT coalesce(max(v.id), 0) FROM verify_task v JOIN record r"
                       " ON r.id = v.record_id WHERE r.name = $1",
                       name);
    assert_true(t > 0);
    return t;
}

static void set_deadline(struct tu_fx *fx, const char *name, const char *date)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "UPDATE verify_task SET deadline = '%s' WHERE id = %lld", date,
             (long long)task_of(fx, name));
    assert_int_equal(store_exec(fx->s, sql), 0);
}

static void rows_are(struct tu_fx *fx, const struct tasks_filter *f, const char *expect)
{
    struct buf rows = BUF_INIT;
    assert_int_equal(due(fx, f, &rows), 0);
    if (strcmp(rows.buf, expect))
        fail_msg("tasks_list:\n%s\nexpected:\n%s", rows.buf, expect);
    buf_release(&rows);
}

/* The fixture's work: 王二 (东村) with 王五 and 钱六, 王三 with 王五, 王四 with nobody, due on
 * different days, in an order that is not the tasks' ids. */
static void assign_work(struct tu_fx *fx)
{
    assign(fx, task_of(fx, "王二"), "王五", "钱六");
    assign(fx, task_of(fx, "王三"), "王五", NULL);
    set_deadline(fx, "王二", "2026-09-20");
    set_deadline(fx, "王三", "2026-09-18");
    set_deadline(fx, "王四", "2026-09-15");
    set_deadline(fx, "李二", "2026-09-10");
}

/* ---- tests ---- */

/* By township (code), then person, then due date; one row per assignee; days and standing
 * counted from today. */
static void test_due_in_order(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    assign_work(fx);
    char r2[32], r3[32], r4[32], rl[32];
    snprintf(r2, sizeof(r2), "核查任务 %lld", (long long)task_of(fx, "王二"));
    snprintf(r3, sizeof(r3), "核查任务 %lld", (long long)task_of(fx, "王三"));
    snprintf(r4, sizeof(r4), "核查任务 %lld", (long long)task_of(fx, "王四"));
    snprintf(rl, sizeof(rl), "核查任务 %lld", (long long)task_of(fx, "李二"));
    struct buf expect = BUF_INIT;
    buf_addf(
        &expect,
        "龙港镇|（未指派）|核查（摸排）|%s|李二|2026-09-10|-5|逾期 5 天\n"
        "郑庄镇|（未指派）|核查（摸排）|%s|王四|2026-09-15|0|今天到期\n"
        "郑庄镇|王五（乡镇包保干部）|核查（摸排）|%s|王三|2026-09-18|3|未到期\n"
        "郑庄镇|王五（乡镇包保干部）、钱六（村干部）|核查（摸排）|%s|王二|2026-09-20|5|未到期\n",
        rl, r4, r3, r2);
    struct tasks_filter f = {0};
    rows_are(fx, &f, expect.buf);
    /* overdue: only what is past its date; the day itself is not */
    f.overdue = true;
    buf_reset(&expect);
    buf_addf(&expect, "龙港镇|（未指派）|核查（摸排）|%s|李二|2026-09-10|-5|逾期 5 天\n", rl);
    rows_are(fx, &f, expect.buf);
    /* two days later three more are overdue, and the order holds */
    setenv("BAOXUE_TODAY", "2026-09-19", 1);
    buf_reset(&expect);
    buf_addf(&expect,
             "龙港镇|（未指派）|核查（摸排）|%s|李二|2026-09-10|-9|逾期 9 天\n"
             "郑庄镇|（未指派）|核查（摸排）|%s|王四|2026-09-15|-4|逾期 4 天\n"
             "郑庄镇|王五（乡镇包保干部）|核查（摸排）|%s|王三|2026-09-18|-1|逾期 1 天\n",
             rl, r4, r3);
    rows_are(fx, &f, expect.buf);
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    buf_release(&expect);
}

static void test_filters(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    assign_work(fx);
    struct buf rows = BUF_INIT;
    /* a township, by name or code */
    struct tasks_filter f = {.township = "龙港镇"};
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_non_null(strstr(rows.buf, "李二"));
    assert_null(strstr(rows.buf, "王"));
    f.township = ZHENGZHUANG;
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_null(strstr(rows.buf, "李二"));
    assert_non_null(strstr(rows.buf, "王四"));
    /* a person's own rows, by name or number: unassigned work is nobody's */
    f = (struct tasks_filter){.person = "钱六"};
    assert_int_equal(due(fx, &f, &rows), 0);
    char r2[32];
    snprintf(r2, sizeof(r2), "核查任务 %lld", (long long)task_of(fx, "王二"));
    char expect[256];
    snprintf(
        expect, sizeof(expect),
        "郑庄镇|王五（乡镇包保干部）、钱六（村干部）|核查（摸排）|%s|王二|2026-09-20|5|未到期\n",
        r2);
    assert_string_equal(rows.buf, expect);
    char num[24];
    snprintf(num, sizeof(num), "%lld",
             (long long)tu_int(fx->s, "SELECT id FROM person WHERE name = $1", "王五"));
    f.person = num;
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_true(rows.len > 0);
    assert_null(strstr(rows.buf, "未指派")); /* every row is 王五's, with whoever shares it */
    for (char *line = rows.buf, *end; *line; line = end + 1) {
        end = strchr(line, '\n');
        *end = '\0';
        assert_non_null(strstr(line, "王五（乡镇包保干部）"));
    }
    /* what is not known is refused */
    f = (struct tasks_filter){.township = "火星镇"};
    assert_int_equal(due(fx, &f, &rows), EXIT_INPUT);
    f = (struct tasks_filter){.person = "赵九"};
    assert_int_equal(due(fx, &f, &rows), EXIT_INPUT);
    buf_release(&rows);
}

/* Closed tasks are done; a case's first visit is due once it opens. */
static void test_cases_and_closed_tasks(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    assign_work(fx);
    int64_t task = task_of(fx, "李二");
    confirm(fx, task, "李四");
    char tnum[24];
    snprintf(tnum, sizeof(tnum), "%lld", (long long)task);
    int64_t case_id =
        tu_int(fx->s, "SELECT id FROM case_file WHERE task_id = CAST($1 AS BIGINT)", tnum);
    assert_true(case_id > 0);
    char *first_visit = tu_text(fx->s,
                                "SELECT first_visit_due FROM case_file WHERE task_id ="
                                " CAST($1 AS BIGINT)",
                                tnum, NULL);
    struct buf rows = BUF_INIT;
    struct tasks_filter f = {.township = "龙港镇"};
    assert_int_equal(due(fx, &f, &rows), 0);
    char ref[32];
    snprintf(ref, sizeof(ref), "|案件 %lld|李二|%s|", (long long)case_id, first_visit);
    assert_non_null(strstr(rows.buf, ref));
    assert_non_null(strstr(rows.buf, "立案后首次走访"));
    assert_null(strstr(rows.buf, "核查任务")); /* the task is closed */
    free(first_visit);
    /* an attempt recorded: the first visit is no longer due */
    attempt(fx, case_id);
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_null(strstr(rows.buf, "立案后首次走访"));
    buf_release(&rows);
}

/* 立案后首次走访 is made only in person (入户走访, 当面约谈家长, 到校约谈): a phone call or a
 * video call does not make it, a correction counts as the correction says, and every reader —
 * 待办, the case's page, the dashboard's and the children list's overdue — uses the one rule. */
static void test_first_visit_in_person(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    assign_work(fx);
    int64_t task = task_of(fx, "李二");
    confirm(fx, task, "李四");
    int64_t case_id = tu_int(fx->s, "SELECT max(id) FROM case_file", NULL);
    struct buf rows = BUF_INIT;
    struct tasks_filter f = {.township = "龙港镇"};
    struct first_visit fv;
    /* a phone call and a video call: still owed */
    int64_t call = attempt_by(fx, case_id, "电话", 0, NULL, NULL);
    assert_true(call > 0);
    assert_true(attempt_by(fx, case_id, "微信视频", 0, NULL, NULL) > 0);
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_non_null(strstr(rows.buf, "立案后首次走访"));
    assert_int_equal(case_first_visit(fx->s, case_id, &fv), 0);
    assert_int_equal(fv.attempt, 0);
    assert_int_equal(fv.distant, 2);
    /* a home visit makes it */
    int64_t visit = attempt_by(fx, case_id, "入户走访", 0, NULL, NULL);
    assert_true(visit > 0);
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_null(strstr(rows.buf, "立案后首次走访"));
    assert_int_equal(case_first_visit(fx->s, case_id, &fv), 0);
    assert_int_equal(fv.attempt, visit);
    assert_string_equal(fv.method_label, "入户走访");
    /* a correction needs its reason, and corrects the latest record of a chain */
    char *why = NULL;
    assert_int_equal(attempt_by(fx, case_id, "电话", visit, NULL, &why), -EXIT_INPUT);
    assert_non_null(strstr(why, "更正原因"));
    free(why);
    assert_int_equal(attempt_by(fx, case_id, "电话", 0, "无", &why), -EXIT_INPUT);
    free(why);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM attempt", NULL), 3);
    /* the visit was in fact a call: the correction undoes the first visit, the record stays */
    int64_t fix = attempt_by(fx, case_id, "电话", visit, "记错了，实为电话联系", NULL);
    assert_true(fix > 0);
    assert_int_equal(attempt_by(fx, case_id, "电话", visit, "再改", &why), -EXIT_INPUT);
    assert_non_null(strstr(why, "已由"));
    free(why);
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_non_null(strstr(rows.buf, "立案后首次走访"));
    assert_int_equal(case_first_visit(fx->s, case_id, &fv), 0);
    assert_int_equal(fv.attempt, 0);
    assert_int_equal(fv.distant, 3);
    char vnum[24];
    snprintf(vnum, sizeof(vnum), "%lld", (long long)visit);
    char *kept =
        tu_text(fx->s, "SELECT method FROM attempt WHERE id = CAST($1 AS BIGINT)", vnum, NULL);
    assert_string_equal(kept, "home_visit");
    free(kept);
    char *reason =
        tu_text(fx->s, "SELECT reason FROM attempt WHERE corrects IS NOT NULL", NULL, NULL);
    assert_string_equal(reason, "记错了，实为电话联系");
    free(reason);
    /* the condition the dashboard and the children list count overdue cases by */
    assert_int_equal(
        tu_int(fx->s,
               "SELECT count(*) FROM case_file c WHERE c.first_visit_due < '2026-10-30'"
               " AND NOT " FIRST_VISIT_DONE_SQL("c"),
               NULL),
        1);
    /* an interview at school, face to face: made */
    assert_true(attempt_by(fx, case_id, "到校约谈", 0, NULL, NULL) > 0);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM case_file c WHERE NOT " FIRST_VISIT_DONE_SQL("c"),
                            NULL),
                     0);
    buf_release(&rows);
}

/* 待办's order: the earliest due first (the most overdue, then the soonest), a day's items by
 * township and then number, "案件 3" before "案件 12". */
static void test_due_order(void **state)
{
    (void)state;
    assert_true(due_order(20260901, "2", "案件 9", 20260902, "1", "案件 1") < 0);
    assert_true(due_order(20260905, "1", "案件 1", 20260901, "9", "案件 9") > 0);
    assert_true(due_order(20260901, "1", "案件 9", 20260901, "2", "案件 1") < 0);
    assert_true(due_order(20260901, "1", "案件 3", 20260901, "1", "案件 12") < 0);
    assert_true(due_order(20260901, "1", "核查任务 3", 20260901, "1", "案件 3") > 0);
    assert_int_equal(due_order(20260901, "1", "案件 3", 20260901, "1", "案件 3"), 0);
}

/* A pair of the review queue waiting for a clerk, in run `run`, under `key`: 李二 (龙港镇)
 * and the 学籍 record of 李一. Its id. */
static int64_t queue_pair(struct tu_fx *fx, int64_t run, const char *key)
{
    char sql[640];
    snprintf(sql, sizeof(sql),
             "INSERT INTO candidate (run_id, population_record, other_record, pair_key, score,"
             " levels, decision, reason) SELECT %lld, p.id, o.id, '%s', 12.5, '{}', 'review', 'x'"
             " FROM record p, record o JOIN batch b ON b.id = o.batch_id"
             " WHERE p.name = '李二' AND o.name = '李一' AND b.kind = 'enrollment'",
             (long long)run, key);
    assert_int_equal(store_exec(fx->s, sql), 0);
    return tu_int(fx->s, "SELECT max(id) FROM candidate", NULL);
}

/* The review queue's pairs are due for those who review: N working days (casework_review_days)
 * after the day of the run that first queued the pair; in the pair's township; nobody's. */
static void test_review_pairs(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx); /* run 1 on Tuesday 2026-09-15 */
    int64_t run1 = tu_int(fx->s, "SELECT max(id) FROM match_run", NULL);
    queue_pair(fx, run1, "P:A#R:B");
    /* the pair waits again in run 2, three days later: its day is still run 1's */
    setenv("BAOXUE_TODAY", "2026-09-18", 1);
    int64_t run2 = tu_match(fx, 20260918);
    int64_t pair = queue_pair(fx, run2, "P:A#R:B");
    char line[256];
    snprintf(line, sizeof(line),
             "龙港镇|县教育局（人工复核）|人工复核：是否同一名儿童（5 个工作日内）|候选记录对 "
             "%lld|李二|2026-09-22|4|未到期\n",
             (long long)pair);
    struct buf rows = BUF_INIT;
    struct tasks_filter f = {.review = true};
    assert_int_equal(due(fx, &f, &rows), 0);
    if (!strstr(rows.buf, line))
        fail_msg("no review item in:\n%s", rows.buf);
    /* only for those who review */
    f.review = false;
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_null(strstr(rows.buf, "人工复核"));
    /* in its township only; nobody's of the registry */
    struct tasks_filter town = {.review = true, .township = "郑庄镇"};
    assert_int_equal(due(fx, &town, &rows), 0);
    assert_null(strstr(rows.buf, "人工复核"));
    struct tasks_filter mine = {.review = true, .person = "李四"};
    assert_int_equal(due(fx, &mine, &rows), 0);
    assert_null(strstr(rows.buf, "人工复核"));
    /* overdue like any other item after the deadline, with the setting's working days */
    setenv("BAOXUE_TODAY", "2026-09-24", 1);
    struct tasks_filter late = {.review = true, .overdue = true};
    assert_int_equal(due(fx, &late, &rows), 0);
    assert_non_null(strstr(rows.buf, "|候选记录对"));
    assert_non_null(strstr(rows.buf, "|2026-09-22|-2|逾期 2 天\n"));
    assert_int_equal(store_set_setting(fx->s, "casework_review_days", "10"), 0);
    assert_int_equal(due(fx, &late, &rows), 0);
    assert_null(strstr(rows.buf, "人工复核"));
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_null(strstr(rows.buf, "人工复核")); /* (f.review is false) */
    f.review = true;
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_non_null(strstr(rows.buf, "（10 个工作日内）|候选记录对"));
    assert_non_null(strstr(rows.buf, "|2026-09-29|5|未到期\n"));
    /* decided: off the list */
    assert_int_equal(store_exec(fx->s, "INSERT INTO review_decision (pair_key, decision,"
                                       " decided_by, decided_at) VALUES ('P:A#R:B', 'reject',"
                                       " 'test', '2026-09-24 10:00:00')"),
                     0);
    assert_int_equal(due(fx, &f, &rows), 0);
    assert_null(strstr(rows.buf, "人工复核"));
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    buf_release(&rows);
}

/* The region and ties of tasks and people, and a school's name, for the scope checks. */
static void test_region_and_ties(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    char town[10] = "x";
    assert_int_equal(casework_region(fx->s, SCOPE_TASK, task_of(fx, "李二"), town), 1);
    assert_string_equal(town, LONGGANG);
    assert_int_equal(casework_region(fx->s, SCOPE_TASK, task_of(fx, "王三"), town), 1);
    assert_string_equal(town, ZHENGZHUANG);
    assert_int_equal(casework_region(fx->s, SCOPE_TASK, 99999, town), 0);
    assert_string_equal(town, "");
    int64_t qian = tu_int(fx->s, "SELECT id FROM person WHERE name = $1", "钱六");
    assert_int_equal(casework_region(fx->s, SCOPE_PERSON, qian, town), 1);
    assert_string_equal(town, ZHENGZHUANG);
    assert_int_equal(casework_region(fx->s, SCOPE_NONE, 1, town), 0);
    /* 王四 dropped out of S2: his task is tied to that school, nobody else's */
    struct object_ties t;
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王四"), "S2", "郑庄中学", 0, &t),
                     1);
    assert_string_equal(t.township, ZHENGZHUANG);
    assert_true(t.ties & TIE_SCHOOL_RECORD);
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王三"), "S2", "郑庄中学", 0, &t),
                     1);
    assert_false(t.ties & TIE_SCHOOL_RECORD);
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王四"), "S3", "龙港小学", 0, &t),
                     1);
    assert_false(t.ties & TIE_SCHOOL_RECORD);
    /* without a school, no school ties at all */
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王四"), NULL, NULL, 0, &t), 1);
    assert_int_equal(t.ties & TIES_SCHOOL, 0);
    char name[64];
    assert_int_equal(casework_school_name(fx->s, "S2", name, sizeof(name)), 1);
    assert_string_equal(name, "郑庄中学");
    assert_int_equal(casework_school_name(fx->s, "S9", name, sizeof(name)), 0);
    assert_string_equal(name, "");
    assert_int_equal(casework_school_name(fx->s, NULL, name, sizeof(name)), 0);
}

/* A village account of `township` over `villages`; its id. */
static int64_t village_account(struct tu_fx *fx, const char *name, const char *township,
                               const char *villages)
{
    struct user u = {.role = ROLE_VILLAGE};
    snprintf(u.name, sizeof(u.name), "%s", name);
    snprintf(u.township, sizeof(u.township), "%s", township);
    snprintf(u.villages, sizeof(u.villages), "%s", villages);
    struct outcome o = OUTCOME_INIT;
    if (user_add(fx->s, &u, "long-enough-1", "test", "test", &o) != 0)
        fail_msg("user_add %s: %s", name, o.msg.buf);
    outcome_release(&o);
    return tu_int(fx->s, "SELECT id FROM app_user WHERE name = $1", name);
}

/* The tasks of a village account's list (verify_list with its reach), names in order. */
static void village_list(struct tu_fx *fx, int64_t uid, struct buf *names)
{
    struct verify_filter f = {.school_ties = TIE_VILLAGE, .user_id = uid, .state = "all"};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    if (verify_list(fx->s, &f, &t, &o) != 0)
        fail_msg("verify_list: %s", o.msg.buf);
    for (size_t i = 0; i < t.nrows; i++)
        buf_addf(names, "%s%s", i ? "," : "", t.cells[i * t.ncols + 3]);
    table_release(&t);
    outcome_release(&o);
}

/* A village account reaches the tasks of its villages' children in its own township: not the
 * next village, not a village of the same name in another township. */
static void test_village_ties(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t east = village_account(fx, "dongcun", ZHENGZHUANG, "东村");
    int64_t both = village_account(fx, "liangcun", ZHENGZHUANG, "东村、西村");
    int64_t south = village_account(fx, "nancun", LONGGANG, "南村");
    struct object_ties t;
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王二"), NULL, NULL, east, &t),
                     1);
    assert_true(t.ties & TIE_VILLAGE);
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王三"), NULL, NULL, east, &t),
                     1);
    assert_false(t.ties & TIE_VILLAGE);
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "李二"), NULL, NULL, east, &t),
                     1);
    assert_false(t.ties & TIE_VILLAGE);
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "李二"), NULL, NULL, south, &t),
                     1);
    assert_true(t.ties & TIE_VILLAGE);
    /* without an account, no village tie */
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王二"), NULL, NULL, 0, &t), 1);
    assert_false(t.ties & TIE_VILLAGE);
    struct buf n = BUF_INIT;
    village_list(fx, east, &n);
    assert_string_equal(n.buf, "王二");
    buf_reset(&n);
    village_list(fx, both, &n);
    assert_string_equal(n.buf, "王二,王三,王四");
    buf_reset(&n);
    village_list(fx, south, &n);
    assert_string_equal(n.buf, "李二");
    /* a village of the same name in another township is another village: the township's
     * account is moved to 龙港镇 behind the library's back, and reaches nothing */
    buf_reset(&n);
    char uid[24];
    snprintf(uid, sizeof(uid), "%lld", (long long)east);
    const char *p[] = {LONGGANG, uid};
    assert_int_equal(
        store_run(fx->s, "UPDATE app_user SET township_code = $1 WHERE id = CAST($2 AS BIGINT)", 2,
                  p),
        0);
    village_list(fx, east, &n);
    assert_string_equal(n.buf, "");
    assert_int_equal(casework_ties(fx->s, SCOPE_TASK, task_of(fx, "王二"), NULL, NULL, east, &t),
                     1);
    assert_false(t.ties & TIE_VILLAGE);
    buf_release(&n);
    /* villages are those of the 户籍 list in the account's township */
    struct user u = {.role = ROLE_VILLAGE};
    snprintf(u.name, sizeof(u.name), "beicun");
    snprintf(u.township, sizeof(u.township), "%s", ZHENGZHUANG);
    snprintf(u.villages, sizeof(u.villages), "南村");
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(user_add(fx->s, &u, "long-enough-1", "test", "test", &o), -1);
    assert_string_equal(o.field, "villages");
    assert_non_null(strstr(o.msg.buf, "南村"));
    outcome_release(&o);
    snprintf(u.villages, sizeof(u.villages), "、 ");
    o = (struct outcome)OUTCOME_INIT;
    assert_int_equal(user_add(fx->s, &u, "long-enough-1", "test", "test", &o), -1);
    assert_string_equal(o.field, "villages");
    outcome_release(&o);
}

/* ---- priority groups first (issue 15) ---- */

/* The fixture's county after a poverty list names 王二 (脱贫户) and 王三 (边缘易致贫户, a
 * 防返贫监测对象) and a second cross-check reads it: the tasks stay, their children now have
 * groups. */
static void poverty_list(struct tu_fx *fx)
{
    char a[19], b[19];
    make_id(a, 20160405, 101);
    make_id(b, 20140506, 103);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
             "在校生状况,脱贫属性\n"
             "H1,郑庄镇,东村,王大山,,王二,%s,之子,2016-04-05,,脱贫户\n"
             "H2,郑庄镇,西村,王大海,,王三,%s,之子,2014-05-06,,边缘易致贫户\n",
             a, b);
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_release(&csv);
    struct casework_summary cw;
    struct outcome o = OUTCOME_INIT;
    if (casework_after_match(fx->s, tu_match(fx, 20260915), "test", &cw, &o) != 0)
        fail_msg("casework_after_match: %s", o.msg.buf);
    assert_int_equal(cw.tasks_created, 0);
    outcome_release(&o);
}

/* A list's rows as "child:key=label,key=label" lines (name_key names the child's member). */
static void groups_of_rows(const struct report_table *t, const char *name_key, struct buf *out)
{
    json_t *j = table_to_json(t);
    size_t i, k;
    json_t *r, *g;
    json_array_foreach(json_object_get(j, t->array_key), i, r)
    {
        buf_addf(out, "%s:", json_string_value(json_object_get(r, name_key)));
        json_array_foreach(json_object_get(r, "groups"), k, g)
        {
            buf_addf(out, "%s%s=%s", k ? "," : "", json_string_value(json_object_get(g, "key")),
                     json_string_value(json_object_get(g, "label")));
        }
        buf_addch(out, '\n');
    }
    json_decref(j);
}

/* 待办: the items of priority-group children first, each part by due date, each item with its
 * groups; by due date alone when asked. */
static void test_priority_first(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    assign_work(fx);
    poverty_list(fx);
    struct tasks_filter f = {0};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(tasks_list(fx->s, &f, &t, &o), 0);
    struct buf got = BUF_INIT;
    groups_of_rows(&t, "child", &got);
    assert_string_equal(got.buf, "王三:monitored=防返贫监测对象\n"
                                 "王二:poverty=脱贫户\n"
                                 "李二:\n"
                                 "王四:\n");
    assert_string_equal(table_meta_value(&t, "priority"), "2");
    /* people read the group's label in the 重点群体 column */
    assert_non_null(strstr(t.title, "重点群体"));
    table_release(&t);
    /* by due date only: the worklist's order of before */
    f.by_due = true;
    assert_int_equal(tasks_list(fx->s, &f, &t, &o), 0);
    buf_reset(&got);
    groups_of_rows(&t, "child", &got);
    assert_string_equal(got.buf, "李二:\n"
                                 "王四:\n"
                                 "王三:monitored=防返贫监测对象\n"
                                 "王二:poverty=脱贫户\n");
    table_release(&t);
    /* a case keeps its child's groups, and stays with the priority part: its first visit is
     * due on 09-18 like 王三's task, and a case comes before a task on one day */
    confirm(fx, task_of(fx, "王二"), "王五");
    f.by_due = false;
    assert_int_equal(tasks_list(fx->s, &f, &t, &o), 0);
    buf_reset(&got);
    groups_of_rows(&t, "child", &got);
    assert_string_equal(got.buf, "王二:poverty=脱贫户\n"
                                 "王三:monitored=防返贫监测对象\n"
                                 "李二:\n"
                                 "王四:\n");
    json_t *j = table_to_json(&t);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "tasks"), 0), "object")),
                        "case");
    json_decref(j);
    table_release(&t);
    buf_release(&got);
    outcome_release(&o);
}

/* The verification list: priority children first, each task with its groups; a reader who
 * sees no group (a department) gets neither the groups nor their order. The task's text says
 * why. */
static void test_verify_priority_first(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    assign_work(fx);
    poverty_list(fx);
    struct verify_filter f = {0};
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(verify_list(fx->s, &f, &t, &o), 0);
    struct buf got = BUF_INIT;
    groups_of_rows(&t, "name", &got);
    assert_string_equal(got.buf, "王三:monitored=防返贫监测对象\n"
                                 "王二:poverty=脱贫户\n"
                                 "李二:\n"
                                 "王四:\n");
    assert_string_equal(table_meta_value(&t, "priority"), "2");
    table_release(&t);
    f.groups_seen = ",";
    assert_int_equal(verify_list(fx->s, &f, &t, &o), 0);
    buf_reset(&got);
    groups_of_rows(&t, "name", &got);
    assert_string_equal(got.buf, "李二:\n"
                                 "王四:\n"
                                 "王三:\n"
                                 "王二:\n");
    table_release(&t);
    /* only the groups seen: 脱贫户 yes, 防返贫监测对象 no */
    f.groups_seen = ",poverty,";
    assert_int_equal(verify_list(fx->s, &f, &t, &o), 0);
    buf_reset(&got);
    groups_of_rows(&t, "name", &got);
    assert_string_equal(got.buf, "王二:poverty=脱贫户\n"
                                 "李二:\n"
                                 "王四:\n"
                                 "王三:\n");
    table_release(&t);
    buf_reset(&got);
    assert_int_equal(verify_show(fx->s, task_of(fx, "王二"), false, &got, &o), 0);
    assert_non_null(strstr(got.buf, "重点群体：脱贫户"));
    buf_reset(&got);
    assert_int_equal(verify_show(fx->s, task_of(fx, "李二"), false, &got, &o), 0);
    assert_null(strstr(got.buf, "重点群体"));
    buf_release(&got);
    outcome_release(&o);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_due_in_order),
        T(test_filters),
        T(test_cases_and_closed_tasks),
        T(test_first_visit_in_person),
        cmocka_unit_test(test_due_order),
        T(test_review_pairs),
        T(test_region_and_ties),
        T(test_village_ties),
        T(test_priority_first),
        T(test_verify_priority_first),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
