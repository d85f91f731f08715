#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "casework/case.h"
#include "casework/casework.h"
#include "core/deadline.h"
#include "casework/event.h"
#include "core/words.h"
#include "core/date.h"
#include "core/idcard.h"
#include "domain/match.h"
#include "ingest/import.h"
#include "core/schoolyear.h"

#include "testutil.h"

#include <unistd.h>

/* ---- deadlines ---- */

static void test_days_across_month_and_year_ends(void **state)
{
    assert_int_equal(deadline_days(NULL, 20261120, 10), 20261130);
    assert_int_equal(deadline_days(NULL, 20261125, 10), 20261205); /* November has 30 days */
    assert_int_equal(deadline_days(NULL, 20261228, 10), 20270107); /* year end */
    assert_int_equal(deadline_days(NULL, 20270131, 3), 20270203);
    assert_int_equal(deadline_days(NULL, 20270226, 3), 20270301); /* 2027: no Feb 29 */
    assert_int_equal(deadline_days(NULL, 20280226, 3), 20280229); /* leap year */
    assert_int_equal(deadline_days(NULL, 20280227, 3), 20280301);
    assert_int_equal(deadline_days(NULL, 20261120, 0), 20261120);
    assert_int_equal(days_between(20261231, 20270101), 1);
    assert_int_equal(days_between(20280228, 20280301), 2);
    assert_int_equal(days_between(20270301, 20270228), -1);
}

/* Working days: Monday to Friday after the start; a weekend start counts from the Monday. */
static void test_working_days_skip_weekends(void **state)
{
    assert_int_equal(deadline_working_days(20261116, 5), 20261123); /* Mon → next Mon */
    assert_int_equal(deadline_working_days(20261120, 1), 20261123); /* Fri → Mon */
    assert_int_equal(deadline_working_days(20261120, 5), 20261127); /* Fri → next Fri */
    assert_int_equal(deadline_working_days(20261121, 1), 20261123); /* Sat → Mon */
    assert_int_equal(deadline_working_days(20261122, 5), 20261127); /* Sun → Fri */
    assert_int_equal(deadline_working_days(20261228, 5), 20270104); /* across the year end */
    assert_int_equal(deadline_working_days(20261120, 0), 20261120);
    assert_int_equal(deadline_working_days(20260915, 10), 20260929); /* two weeks */
}

static void test_months_clamp_to_month_end(void **state)
{
    assert_int_equal(deadline_months(NULL, 20270131, 1), 20270228);
    assert_int_equal(deadline_months(NULL, 20280131, 1), 20280229); /* leap day */
    assert_int_equal(deadline_months(NULL, 20261130, 3), 20270228);
    assert_int_equal(deadline_months(NULL, 20261120, 1), 20261220);
    assert_int_equal(deadline_months(NULL, 20261220, 1), 20270120); /* year end */
    assert_int_equal(deadline_months(NULL, 20261215, 12), 20271215);
    assert_int_equal(deadline_months(NULL, 20280229, 12), 20290228);
}

static void test_holidays_move_the_deadline_after_them(void **state)
{
    struct holidays h = HOLIDAYS_INIT;
    struct buf err = BUF_INIT;
    assert_int_equal(holidays_parse(&h, "2027-01-20..2027-02-25, 2027-07-10..2027-08-31", &err), 0);
    assert_int_equal(h.n, 2);
    /* lands inside the winter holiday: the first day after it */
    assert_int_equal(deadline_days(&h, 20270115, 10), 20270226);
    /* lands on its first and last day: still moved */
    assert_int_equal(deadline_days(&h, 20270110, 10), 20270226);
    assert_int_equal(deadline_days(&h, 20270215, 10), 20270226);
    /* lands the day before or after: unchanged (holiday days before it still count) */
    assert_int_equal(deadline_days(&h, 20270109, 10), 20270119);
    assert_int_equal(deadline_days(&h, 20270216, 10), 20270226);
    /* the summer holiday ends on a month end */
    assert_int_equal(deadline_days(&h, 20270801, 10), 20270901);
    /* follow-up months landing in a holiday */
    assert_int_equal(deadline_months(&h, 20261220, 1), 20270226);
    holidays_release(&h);

    /* touching ranges: moved past both */
    assert_int_equal(holidays_parse(&h, "2027-01-01..2027-01-10，2027-01-11..2027-01-15", &err), 0);
    assert_int_equal(deadline_days(&h, 20261230, 3), 20270116);
    holidays_release(&h);

    /* a holiday over a leap day and a year end */
    assert_int_equal(holidays_parse(&h, "2027-12-25..2028-01-02;2028-02-28..2028-03-01", &err), 0);
    assert_int_equal(deadline_days(&h, 20271220, 11), 20280103);
    assert_int_equal(deadline_days(&h, 20280226, 3), 20280302);
    holidays_release(&h);

    assert_int_equal(holidays_parse(&h, "", &err), 0);
    assert_int_equal(h.n, 0);
    assert_int_equal(deadline_days(&h, 20270115, 10), 20270125);
    holidays_release(&h);
    buf_release(&err);
}

static void test_bad_holidays_are_refused(void **state)
{
    const char *bad[] = {"2027-01-20", "2027-02-25..2027-01-20", "2027-01-20..", "寒假",
                         "2027-02-30..2027-03-01"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct holidays h = HOLIDAYS_INIT;
        struct buf err = BUF_INIT;
        assert_int_equal(holidays_parse(&h, bad[i], &err), -1);
        assert_non_null(strstr(err.buf, "学校假期中的"));
        assert_null(strstr(err.buf, "school_holidays")); /* the field's label, not its key */
        holidays_release(&h);
        buf_release(&err);
    }
}

/* ---- words ---- */

static void test_outcomes_reasons_methods_parse(void **state)
{
    assert_string_equal(verify_outcomes.words[vocab_parse(&verify_outcomes, "确认失学辍学")].key,
                        "out_of_school");
    assert_string_equal(verify_outcomes.words[vocab_parse(&verify_outcomes, " 辍学 ")].key,
                        "out_of_school");
    assert_string_equal(verify_outcomes.words[vocab_parse(&verify_outcomes, "registered")].key,
                        "registered");
    assert_string_equal(verify_outcomes.words[vocab_parse(&verify_outcomes, "REGISTERED")].key,
                        "registered");
    assert_string_equal(verify_outcomes.words[vocab_parse(&verify_outcomes, "因病因残")].key,
                        "home_teaching");
    int u = vocab_parse(&verify_outcomes, "随父母外出无法联系");
    assert_true(verify_outcomes.words[u].flags & VO_KEEPS_OPEN);
    int r = vocab_parse(&verify_outcomes, "省外就读");
    assert_true(verify_outcomes.words[r].flags & VO_CLAIMS_SCHOOL);
    assert_int_equal(vocab_parse(&verify_outcomes, "在家"), -1);
    assert_int_equal(vocab_parse(&verify_outcomes, ""), -1);
    assert_int_equal(vocab_parse(&verify_outcomes, NULL), -1);
    assert_string_equal(
        registration_problems.words[vocab_parse(&registration_problems, "空挂户")].key, "hollow");
    assert_string_equal(case_reasons.words[vocab_parse(&case_reasons, "厌学")].key, "learning");
    assert_string_equal(case_reasons.words[vocab_parse(&case_reasons, "学习困难/厌学")].key,
                        "learning");
    assert_string_equal(case_reasons.words[vocab_parse(&case_reasons, "其它")].key, "other");
    assert_string_equal(attempt_methods.words[vocab_parse(&attempt_methods, "家访")].key,
                        "home_visit");
    assert_string_equal(attempt_methods.words[vocab_parse(&attempt_methods, "视频")].key, "video");
    assert_string_equal(attempt_methods.words[vocab_parse(&attempt_methods, "微信")].key,
                        "message");
    /* the methods in person are exactly those the SQL of the first-visit rule lists */
    for (size_t i = 0; i < attempt_methods.n; i++) {
        char quoted[48];
        snprintf(quoted, sizeof(quoted), "'%s'", attempt_methods.words[i].key);
        bool listed = strstr(ATTEMPT_IN_PERSON_SQL, quoted) != NULL;
        if (listed != !!(attempt_methods.words[i].flags & AM_IN_PERSON))
            fail_msg("%s: in person %d, in ATTEMPT_IN_PERSON_SQL %d", attempt_methods.words[i].key,
                     !!(attempt_methods.words[i].flags & AM_IN_PERSON), listed);
    }
    assert_false(attempt_methods.words[vocab_parse(&attempt_methods, "电话")].flags & AM_IN_PERSON);
    assert_true(attempt_methods.words[vocab_parse(&attempt_methods, "入户")].flags & AM_IN_PERSON);
    assert_string_equal(attempt_methods.words[vocab_parse(&attempt_methods, "约谈家长")].key,
                        "parent_interview");
    /* full-width ASCII folds */
    assert_string_equal(attempt_methods.words[vocab_parse(&attempt_methods, "ｐｈｏｎｅ")].key,
                        "phone");
    assert_string_equal(case_outcomes.words[vocab_parse(&case_outcomes, "复学")].key, "returned");
    assert_string_equal(case_outcomes.words[vocab_parse(&case_outcomes, "特殊学校")].key,
                        "special_school");
    assert_string_equal(vocab_label(&case_outcomes, "returned"), "复学");
    assert_string_equal(vocab_label(&case_outcomes, "nonsense"), "");

    struct buf err = BUF_INIT;
    vocab_error(&attempt_methods, "飞鸽传书", &err);
    assert_non_null(strstr(err.buf, "“飞鸽传书”不是有效的劝返方式"));
    assert_non_null(strstr(err.buf, "入户走访"));
    assert_null(strstr(err.buf, "home_visit")); /* labels a person reads, not keys */
    buf_reset(&err);
    vocab_error(&case_reasons, NULL, &err);
    assert_non_null(strstr(err.buf, "缺少辍学原因"));
    buf_release(&err);
}

static void test_ladder_goes_in_order(void **state)
{
    struct buf err = BUF_INIT;
    assert_int_equal(ladder_check(0, 1, &err), 0);
    assert_int_equal(ladder_check(1, 2, &err), 0);
    assert_int_equal(ladder_check(2, 2, &err), 0); /* a further entry of the same step */
    assert_int_equal(ladder_check(3, 4, &err), 0);
    assert_int_equal(err.len, 0);
    assert_int_equal(ladder_check(0, 3, &err), -1);
    assert_non_null(strstr(err.buf, "不能跳过步骤"));
    assert_non_null(strstr(err.buf, "宣传教育"));
    buf_reset(&err);
    assert_int_equal(ladder_check(1, 3, &err), -1);
    assert_non_null(strstr(err.buf, "必须先完成第 2 步“书面通知/责令限期改正”"));
    buf_reset(&err);
    assert_int_equal(ladder_check(3, 1, &err), -1);
    assert_non_null(strstr(err.buf, "不能退回"));
    buf_reset(&err);
    assert_int_equal(ladder_check(4, 5, &err), -1);
    assert_int_equal(ladder_check(0, 0, &err), -1);
    buf_release(&err);
}

/* ---- follow-ups ---- */

static void test_followups_and_closing(void **state)
{
    struct casework_settings cs = {.verify_days = 10,
                                   .first_visit_days = 3,
                                   .ladder_days = 15,
                                   .followup_months = 1,
                                   .followup_count = 3,
                                   .holidays = HOLIDAYS_INIT};
    struct buf err = BUF_INIT;
    int next;
    /* returned 2026-11-30: due 12-30, 2027-01-30, 2027-02-28 (clamped) */
    assert_int_equal(followup_due(&cs, 20261130, 3), 20270228);
    assert_int_equal(followup_progress(&cs, 20261130, NULL, 0, &next), 0);
    assert_int_equal(next, 20261230);
    /* three visits in the first week count once: the others are too early */
    int early[] = {20261201, 20261223, 20261224};
    assert_int_equal(followup_progress(&cs, 20261130, early, 3, &next), 1);
    assert_int_equal(next, 20270130);
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(followup_close_check(&cs, 20261130, early, 3, &o), -1);
    assert_non_null(strstr(o.msg.buf, "已完成 1 次"));
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_release(&o);
    /* up to 7 days early counts; order of the dates does not matter */
    int ok[] = {20270221, 20261223, 20270125};
    assert_int_equal(followup_progress(&cs, 20261130, ok, 3, &next), 3);
    assert_int_equal(next, 0);
    assert_int_equal(followup_close_check(&cs, 20261130, ok, 3, &o), 0);
    /* a later visit can stand for an overdue one */
    int late[] = {20270115, 20270201, 20270301};
    assert_int_equal(followup_progress(&cs, 20261130, late, 3, &next), 3);
    /* a holiday moves the due date and with it the window */
    assert_int_equal(holidays_parse(&cs.holidays, "2027-01-20..2027-02-25", &err), 0);
    assert_int_equal(followup_due(&cs, 20261130, 2), 20270226);
    int hol[] = {20261230, 20270125};
    assert_int_equal(followup_progress(&cs, 20261130, hol, 2, &next), 1);
    assert_int_equal(next, 20270226);
    casework_settings_release(&cs);
    buf_release(&err);
}

/* ---- identity and timeline ---- */

static void test_deferral_holds_for_one_school_year(void **state)
{
    const struct school_calendar cal = SCHOOL_CALENDAR_DEFAULT;
    /* raised by a run of 2026-2027 and verified in it: that school year */
    assert_int_equal(deferral_school_year(&cal, 2026, 20261120), 2026);
    assert_int_equal(deferral_school_year(&cal, 2026, 20270831), 2026);
    /* verified after the next school year began: that one */
    assert_int_equal(deferral_school_year(&cal, 2026, 20270901), 2027);
    /* a verification date before the run's year (cannot happen) never shortens it */
    assert_int_equal(deferral_school_year(&cal, 2026, 20260101), 2026);
    assert_int_equal(deferral_school_year(&cal, 2026, 0), 2026);
    /* a county whose school year starts in March */
    const struct school_calendar march = {301, 228, 6, 15};
    assert_int_equal(deferral_school_year(&march, 2026, 20270315), 2027);
}

/* ---- after a cross-check ---- */

static void match_and_casework(struct tu_fx *fx, int as_of, struct casework_summary *cw)
{
    int64_t run_id = tu_match(fx, as_of);
    struct outcome o = OUTCOME_INIT;
    if (casework_after_match(fx->s, run_id, "test", cw, &o) != 0)
        fail_msg("casework_after_match: %s", o.msg.buf);
    /* idempotent for a run: a second call changes nothing */
    int64_t events = tu_int(fx->s, "SELECT count(*) FROM event", NULL);
    struct casework_summary again;
    assert_int_equal(casework_after_match(fx->s, run_id, "test", &again, &o), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM event", NULL), events);
    assert_int_equal(again.tasks_created + again.tasks_closed + again.cases_found_enrolled +
                         again.flags_cleared + again.cases_reopened + again.claims_flagged,
                     0);
    outcome_release(&o);
}

/* The county's register of two children of 郑庄镇, 王伟 (ID a) and 李娜 (ID b), imported as of
 * 2026-11-20; *pop keeps its text. */
static void two_children(struct tu_fx *fx, char a[19], char b[19], struct buf *pop)
{
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0);
    snprintf(a, 19, "14052120150304101");
    a[17] = id_check_char(a);
    a[18] = '\0';
    snprintf(b, 19, "14052120150506102");
    b[17] = id_check_char(b);
    b[18] = '\0';
    buf_addf(pop,
             "姓名,性别,身份证号,出生日期,乡镇,户籍状态\n王伟,男,%s,2015-03-04,郑庄镇,正常\n"
             "李娜,女,%s,2015-05-06,郑庄镇,正常\n",
             a, b);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop->buf);
}

static void test_a_later_run_closes_tasks_and_notes_cases(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19];
    struct buf t = BUF_INIT;
    two_children(fx, a, b, &t);
    tu_import_text(
        fx, KIND_ENROLLMENT, "enr.csv",
        "学校名称,姓名,性别,出生日期,身份证件号,学籍状态\n郑庄中心小学,张三,男,2015-01-01,,在读\n");
    struct casework_summary cw;
    match_and_casework(fx, 20261120, &cw);
    assert_int_equal(cw.tasks_created, 2);
    assert_int_equal(cw.tasks_closed, 0);
    /* 李娜's task becomes a case */
    assert_int_equal(store_exec(fx->s,
                                "INSERT INTO person (name, org, org_kind, role, created_at)"
                                " VALUES ('王五', '郑庄镇人民政府', 'township', '包保干部', 'x')"),
                     0);
    struct verify_input in = {.outcome = "确认失学辍学", .by = "王五", .reason = "厌学"};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t task_b = tu_int(fx->s,
                            "SELECT v.id FROM verify_task v JOIN child c ON c.id = v.child_id"
                            " WHERE c.child_key = 'I:' || $1",
                            b);
    if (verify_record(fx->s, task_b, &in, "test", &msg, &o) != 0)
        fail_msg("verify_record: %s", o.msg.buf);
    /* both at school in the next 学籍 export */
    buf_reset(&t);
    buf_addf(&t,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "郑庄中心小学,五年级,王伟,男,2015-03-04,%s,在读\n"
             "郑庄中心小学,五年级,李娜,女,2015-05-06,%s,在读\n",
             a, b);
    tu_import_text(fx, KIND_ENROLLMENT, "enr2.csv", t.buf);
    setenv("BAOXUE_TODAY", "2026-11-25", 1);
    match_and_casework(fx, 20261125, &cw);
    assert_int_equal(cw.out_of_school, 0);
    assert_int_equal(cw.tasks_closed, 1);
    assert_int_equal(cw.cases_found_enrolled, 1);
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)task_b);
    char *v = tu_text(fx->s,
                      "SELECT state || '|' || outcome || '|' || school || '|' || evidence"
                      " || '|' || coalesce(verified_by, 'system') FROM verify_task WHERE id <> $1",
                      num, NULL);
    assert_string_equal(v, "closed|registered|郑庄中心小学 五年级|第 2 次比对|system");
    free(v);
    v = tu_text(fx->s, "SELECT state FROM case_file", NULL, NULL);
    assert_string_equal(v, "open"); /* never closed by a run */
    free(v);
    assert_int_equal(
        tu_int(fx->s, "SELECT count(*) FROM event WHERE kind = 'found_enrolled'", NULL), 1);
    buf_release(&t);
    buf_release(&msg);
    outcome_release(&o);
}

/*
 * Field work outranks a stale list: a claim of schooling recorded after the run's school lists
 * is flagged by no run of the same lists (nor of a new register alone), only after a newer
 * 学籍 list; a case's outcome likewise reopens the case only then.
 */
static void test_an_outcome_stands_until_a_newer_list(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19];
    struct buf pop = BUF_INIT;
    two_children(fx, a, b, &pop);
    static const char enr[] = "学校名称,姓名,性别,出生日期,身份证件号,学籍状态\n"
                              "郑庄中心小学,张三,男,2015-01-01,,在读\n";
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr);
    struct casework_summary cw;
    match_and_casework(fx, 20261120, &cw);
    assert_int_equal(cw.tasks_created, 2);
    assert_int_equal(store_exec(fx->s,
                                "INSERT INTO person (name, org, org_kind, role, created_at)"
                                " VALUES ('王五', '郑庄镇人民政府', 'township', '包保干部', 'x')"),
                     0);
    /* 王伟 is said to be at school; 李娜's case ends with 复学 */
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t task_a = tu_int(fx->s,
                            "SELECT v.id FROM verify_task v JOIN child c ON c.id = v.child_id"
                            " WHERE c.child_key = 'I:' || $1",
                            a);
    int64_t task_b = tu_int(fx->s,
                            "SELECT v.id FROM verify_task v JOIN child c ON c.id = v.child_id"
                            " WHERE c.child_key = 'I:' || $1",
                            b);
    struct verify_input claim = {.outcome = "已在校注册学籍",
                                 .by = "王五",
                                 .school = "郑庄中心小学",
                                 .evidence = "在读证明"};
    struct verify_input confirm = {.outcome = "确认失学辍学", .by = "王五", .reason = "厌学"};
    if (verify_record(fx->s, task_a, &claim, "test", &msg, &o) != 0 ||
        verify_record(fx->s, task_b, &confirm, "test", &msg, &o) != 0)
        fail_msg("verify_record: %s", o.msg.buf);
    int64_t case_b = tu_int(fx->s, "SELECT id FROM case_file", NULL);
    struct attempt_input visit = {.method = "家访", .people = "王五", .result = "同意返校"};
    struct resolve_input back = {.outcome = "复学", .school = "郑庄中心小学", .grade = "五年级"};
    if (case_attempt(fx->s, case_b, &visit, "test", &msg, &o) != 0 ||
        case_resolve(fx->s, case_b, &back, "test", &msg, &o) != 0)
        fail_msg("case: %s", o.msg.buf);
    /* the same lists again */
    match_and_casework(fx, 20261120, &cw);
    assert_int_equal(cw.claims_flagged, 0);
    assert_int_equal(cw.cases_reopened, 0);
    assert_int_equal(cw.outcomes_stand, 2);
    /* a new register alone */
    buf_addf(&pop, "新生,男,,2019-01-01,郑庄镇,正常\n");
    tu_import_text(fx, KIND_POPULATION, "pop2.csv", pop.buf);
    match_and_casework(fx, 20261120, &cw);
    assert_int_equal(cw.claims_flagged, 0);
    assert_int_equal(cw.cases_reopened, 0);
    assert_int_equal(cw.outcomes_stand, 2);
    /* a newer 学籍 list still without them */
    tu_import_text(
        fx, KIND_ENROLLMENT, "enr2.csv",
        "学校名称,姓名,性别,出生日期,身份证件号,学籍状态\n"
        "郑庄中心小学,张三,男,2015-01-01,,在读\n郑庄中心小学,李四,男,2015-01-02,,在读\n");
    match_and_casework(fx, 20261120, &cw);
    assert_int_equal(cw.claims_flagged, 1);
    assert_int_equal(cw.cases_reopened, 1);
    assert_int_equal(cw.outcomes_stand, 0);
    buf_release(&pop);
    buf_release(&msg);
    outcome_release(&o);
}

static void test_child_key(void **state)
{
    struct buf k = BUF_INIT;
    child_key("11010519491231002X", 0, "zhangsan", "1949-12-31", 2, &k);
    assert_string_equal(k.buf, "I:11010519491231002X");
    /* a mistyped ID is not a key: name, birth date and sex are */
    child_key("110105194912310021", 4, "张三", "1949-12-31", 2, &k);
    assert_string_equal(k.buf, "N:张三/1949-12-31/2");
    child_key(NULL, 1, "张三", NULL, 0, &k);
    assert_string_equal(k.buf, "N:张三//0");
    buf_release(&k);
}

static void test_timeline_render(void **state)
{
    struct timeline tl = {0};
    struct buf out = BUF_INIT;
    timeline_render(&tl, &out);
    assert_non_null(strstr(out.buf, "（暂无记录）"));
    buf_reset(&out);
    ALLOC_GROW(tl.e, 2, tl.alloc);
    tl.n = 2;
    memset(tl.e, 0, 2 * sizeof(*tl.e));
    snprintf(tl.e[0].on_date, 11, "2026-11-20");
    snprintf(tl.e[0].at, 20, "2026-11-20 09:01:02");
    snprintf(tl.e[0].actor, 64, "wang");
    snprintf(tl.e[0].kind, 24, "task_opened");
    tl.e[0].text = xstrdup("建立核查任务 1");
    snprintf(tl.e[1].on_date, 11, "2026-11-22");
    snprintf(tl.e[1].at, 20, "2026-11-23 10:00:00");
    snprintf(tl.e[1].actor, 64, "li");
    snprintf(tl.e[1].kind, 24, "attempt");
    tl.e[1].text = xstrdup("劝返记录 #1：家访");
    timeline_render(&tl, &out);
    assert_string_equal(
        out.buf,
        "经办时间线：\n"
        "  2026-11-20  疑似失学  建立核查任务 1（记录人 wang，录入于 2026-11-20 09:01）\n"
        "  2026-11-22  劝返      劝返记录 #1：家访（记录人 li，录入于 2026-11-23 10:00）\n");
    assert_string_equal(event_kind_label("closed"), "销号");
    assert_string_equal(event_kind_label("unknown_kind"), "unknown_kind");
    timeline_release(&tl);
    buf_release(&out);
}

/* The history tables refuse changes (append-only), in the schema itself. */
static void test_history_is_append_only(void **state)
{
    struct tu_fx *fx = *state;
    assert_int_equal(store_exec(fx->s, "UPDATE event SET text = 'x'"), 0); /* no rows: fine */
    assert_int_equal(
        store_exec(fx->s, "INSERT INTO person (name, org, org_kind, role, created_at)"
                          " VALUES ('王五', '郑庄镇人民政府', 'township', '包保干部', 'now')"),
        0);
    /* a real history row (foreign keys off: no child or run needed to test the trigger) */
    assert_int_equal(store_exec(fx->s, "PRAGMA foreign_keys = OFF"), 0);
    assert_int_equal(store_exec(fx->s,
                                "INSERT INTO event (child_id, kind, on_date, at, actor, text)"
                                " VALUES (1, 'attempt', '2026-11-20', 'now', 'a', 't')"),
                     0);
    assert_int_equal(store_exec(fx->s, "UPDATE event SET text = 'changed'"), -1);
    assert_int_equal(store_exec(fx->s, "DELETE FROM event"), -1);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM event WHERE text = 't'", NULL), 1);
    assert_int_equal(store_exec(fx->s, "PRAGMA foreign_keys = ON"), 0);
    /* an unknown unit kind is refused by the schema */
    assert_int_equal(store_exec(fx->s, "INSERT INTO person (name, org, org_kind, role, created_at)"
                                       " VALUES ('李四', '某村', 'planet', '村干部', 'now')"),
                     -1);
}

/* CHILD_KEY_SQL reads a stored record as child_key does: a valid ID, a mistyped one, none. */
static void test_child_key_sql(void **state)
{
    struct tu_fx *fx = *state;
    char good[19], bad[19];
    tu_make_id(good, "140521", 20150303, 21);
    tu_make_id(bad, "140521", 20160404, 32);
    bad[17] = bad[17] == '1' ? '2' : '1';
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,身份证号,性别,出生日期\n张一,%s,女,2015-03-03\n张二,%s,男,2016-04-04\n"
             "张三,,男,2017-05-05\n张四,,,\n",
             good, bad);
    tu_import_text(fx, KIND_POPULATION, "keys.csv", csv.buf);
    buf_release(&csv);
    struct stmt *q = store_prepare(
        fx->s, "SELECT coalesce(id_number, ''), id_flags,"
               " coalesce(name_key, ''), coalesce(birth_date, ''),"
               " coalesce(gender, 0), " CHILD_KEY_SQL("r") " FROM record r ORDER BY id");
    assert_non_null(q);
    int n = 0;
    struct buf want = BUF_INIT;
    while (stmt_step(q) == 1) {
        const char *birth = stmt_text(q, 3);
        child_key(*stmt_text(q, 0) ? stmt_text(q, 0) : NULL, (int)stmt_int(q, 1), stmt_text(q, 2),
                  *birth ? birth : NULL, (int)stmt_int(q, 4), &want);
        assert_string_equal(stmt_text(q, 5), want.buf);
        n++;
    }
    stmt_finalize(q);
    buf_release(&want);
    assert_int_equal(n, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_across_month_and_year_ends),
        cmocka_unit_test(test_working_days_skip_weekends),
        cmocka_unit_test(test_months_clamp_to_month_end),
        cmocka_unit_test(test_holidays_move_the_deadline_after_them),
        cmocka_unit_test(test_bad_holidays_are_refused),
        cmocka_unit_test(test_outcomes_reasons_methods_parse),
        cmocka_unit_test(test_ladder_goes_in_order),
        cmocka_unit_test(test_followups_and_closing),
        cmocka_unit_test(test_deferral_holds_for_one_school_year),
        cmocka_unit_test(test_child_key),
        cmocka_unit_test_setup_teardown(test_child_key_sql, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_an_outcome_stands_until_a_newer_list, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_a_later_run_closes_tasks_and_notes_cases, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test(test_timeline_render),
        cmocka_unit_test_setup_teardown(test_history_is_append_only, tu_fx_setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
