/*
 * The priority groups' lists and the aid payments as they arrive (ingest/import_rows.c,
 * ingest/category.h): household-member rows whose child has no ID of its own, a certificate
 * number that stands in for the ID, year-and-month births, categories and amounts as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/import.h"
#include "ingest/rowflag.h"
#include "testutil.h"
#include "util/buf.h"

static int group_setup(void **state)
{
    (void)state;
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    return 0;
}

/* The text of `column` of the record at row `row` of the latest batch (NULL as "(null)"). */
static void column_is(struct tu_fx *fx, const char *column, int row, const char *expect)
{
    struct buf sql = BUF_INIT;
    char r[16];
    snprintf(r, sizeof(r), "%d", row);
    buf_addf(&sql,
             "SELECT coalesce(CAST(%s AS TEXT), '(null)') FROM record r LEFT JOIN group_detail g"
             " ON g.batch_id = r.batch_id AND g.row_no = r.row_no"
             " WHERE r.batch_id = (SELECT max(id) FROM batch) AND r.row_no = $1",
             column);
    char *v = tu_text(fx->s, sql.buf, r, NULL);
    if (!v || strcmp(v, expect))
        fail_msg("row %d, %s: expected \"%s\", got \"%s\"", row, column, expect, v ? v : "none");
    free(v);
    buf_release(&sql);
}

static int64_t flags_of(struct tu_fx *fx, int row)
{
    char r[16];
    snprintf(r, sizeof(r), "%d", row);
    return tu_int(fx->s,
                  "SELECT flags FROM record WHERE batch_id = (SELECT max(id) FROM batch)"
                  " AND row_no = $1",
                  r);
}

static void test_poverty_household(void **state)
{
    struct tu_fx *fx = *state;
    char head[19], child[19];
    tu_make_id(head, "140521", 19800101, 123);
    tu_make_id(child, "140521", 20150303, 22);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "沁水县防返贫监测对象家庭成员信息,,,,,,,,,\n"
             "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
             "在校生状况,脱贫属性\n"
             "H1,郑庄镇,东村,王大山,%s,王大山,%s,户主,1980-01-01,非在校生,脱贫户\n"
             "H1,郑庄镇,东村,王大山,%s,王小明,,之子,2014年5月,小学四年级,脱贫户\n"
             "H2,郑庄镇,西村,李四,%s,李花,%s,之女,2015-03-03,小学三年级,边缘户\n"
             "H3,郑庄镇,西村,赵五,1405211982,赵丽,,之女,2016-01-01,,神秘户\n",
             head, head, head, head, child);
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_release(&csv);
    /* the household: number, head, relation, on the record */
    column_is(fx, "r.household_no", 4, "H1");
    column_is(fx, "r.head_id", 4, head);
    column_is(fx, "r.head_name", 4, "王大山");
    column_is(fx, "r.relation", 4, "之子");
    /* no ID of its own: flagged as missing, and the birth kept as year and month */
    column_is(fx, "r.id_number", 4, "(null)");
    column_is(fx, "r.birth_date", 4, "2014-05");
    assert_true(flags_of(fx, 4) & RF_BIT(RF_ID_MISSING));
    assert_false(flags_of(fx, 4) & RF_BIT(RF_DATE_INVALID));
    /* the category by its key, the words as written kept beside it */
    column_is(fx, "g.category", 4, "poverty");
    column_is(fx, "g.category", 5, "marginal");
    column_is(fx, "g.category_text", 5, "边缘户");
    column_is(fx, "g.school_status", 5, "小学三年级");
    assert_int_equal(flags_of(fx, 5), 0);
    /* a category nobody writes, a head's ID cut short: flagged, the row still imported */
    column_is(fx, "g.category", 6, "(null)");
    assert_true(flags_of(fx, 6) & RF_BIT(RF_CATEGORY_UNKNOWN));
    assert_true(flags_of(fx, 6) & RF_BIT(RF_HEAD_ID_INVALID));
    column_is(fx, "r.head_id", 6, "1405211982");
}

static void test_welfare_head_only(void **state)
{
    struct tu_fx *fx = *state;
    char head[19], orphan[19], guardian[19];
    tu_make_id(head, "140521", 19790204, 311);
    tu_make_id(orphan, "140521", 20160707, 42);
    tu_make_id(guardian, "140521", 19550505, 17);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "户主姓名,户主身份证号,保障类别,成员姓名,成员身份证号,与户主关系,月保障金额,"
             "监护人身份证号,乡镇,村\n"
             "张强,%s,农村低保,张强,%s,户主,\"1,250.50\",,郑庄镇,东村\n"
             "张强,%s,农村低保,张小草,,之女,300元,,郑庄镇,东村\n"
             ",,散居孤儿,刘一,%s,,￥1200,%s,郑庄镇,南村\n"
             ",,五保,孙二,,,12.345,,郑庄镇,南村\n",
             head, head, head, orphan, guardian);
    tu_import_text(fx, KIND_WELFARE, "welfare.csv", csv.buf);
    buf_release(&csv);
    column_is(fx, "g.category", 2, "rural_dibao");
    column_is(fx, "g.amount_fen", 2, "125050");
    column_is(fx, "g.amount_fen", 3, "30000");
    column_is(fx, "r.head_id", 3, head);
    column_is(fx, "g.category", 4, "orphan_scattered");
    column_is(fx, "r.guardian_id", 4, guardian);
    column_is(fx, "g.amount_fen", 4, "120000");
    /* 五保 is 特困供养 by its older name; three decimals is no amount */
    column_is(fx, "g.category", 5, "tekun");
    column_is(fx, "g.amount_fen", 5, "(null)");
    assert_true(flags_of(fx, 5) & RF_BIT(RF_AMOUNT_INVALID));
}

static void test_disability_cert(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19], c[19];
    tu_make_id(a, "140521", 20140909, 55);
    tu_make_id(b, "140521", 20151010, 66);
    tu_make_id(c, "140521", 20161111, 77);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,残疾人证号,身份证号,残疾类别,残疾等级,监护人,联系电话,住址\n"
             "陈一,%s42,,肢体,二级,陈父,13900000001,郑庄镇东村\n"
             "陈二,%s51,%s,智力,一级,陈母,13900000002,郑庄镇东村\n"
             "陈三,%s71,%s,视力,三级,,,\n"
             "陈四,1234,,听力,五级,,,\n",
             a, b, b, c, a);
    tu_import_text(fx, KIND_DISABILITY, "disability.csv", csv.buf);
    buf_release(&csv);
    /* the certificate gives the ID, the category and the grade */
    column_is(fx, "r.id_number", 2, a);
    column_is(fx, "g.category", 2, "4");
    column_is(fx, "g.level", 2, "2");
    assert_false(flags_of(fx, 2) & RF_BIT(RF_ID_MISSING));
    assert_int_equal(flags_of(fx, 2), 0);
    column_is(fx, "g.category", 3, "5");
    assert_int_equal(flags_of(fx, 3), 0);
    /* a certificate of another ID, a category and grade it does not say */
    assert_true(flags_of(fx, 4) & RF_BIT(RF_CERT_MISMATCH));
    /* no certificate at all, a grade that does not exist */
    assert_true(flags_of(fx, 5) & RF_BIT(RF_CERT_INVALID));
    assert_true(flags_of(fx, 5) & RF_BIT(RF_LEVEL_INVALID));
    column_is(fx, "g.category", 5, "2");
}

static void test_aid_payments(void **state)
{
    struct tu_fx *fx = *state;
    char a[19];
    tu_make_id(a, "140521", 20140909, 55);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "学校,全国学籍号,身份证号,姓名,资助项目,金额（元）,学期,发放日期\n"
             "郑庄镇中心小学,G%s,%s,陈一,家庭经济困难寄宿生生活补助,500,2026年春季学期,"
             "2026-04-10\n"
             "郑庄镇中心小学,G%s,%s,陈一,农村义务教育学生营养改善计划,400.00,2026年春季学期,"
             "2026/5/20\n"
             "郑庄镇中心小学,,,陈二,营养改善计划,四百,2026年春季学期,五月\n",
             a, a, a, a);
    tu_import_text(fx, KIND_AID, "aid.csv", csv.buf);
    buf_release(&csv);
    /* a child paid twice is no duplicate */
    assert_int_equal(flags_of(fx, 2), 0);
    assert_int_equal(flags_of(fx, 3), 0);
    column_is(fx, "g.amount_fen", 3, "40000");
    column_is(fx, "g.paid_date", 3, "2026-05-20");
    column_is(fx, "g.aid_item", 2, "家庭经济困难寄宿生生活补助");
    column_is(fx, "g.term", 2, "2026年春季学期");
    column_is(fx, "r.school_name", 2, "郑庄镇中心小学");
    assert_true(flags_of(fx, 4) & RF_BIT(RF_AMOUNT_INVALID));
    assert_true(flags_of(fx, 4) & RF_BIT(RF_DATE_INVALID));
}

/* A welfare list of `n` members of category `category`, their IDs from `seq`. */
static int import_welfare(struct tu_fx *fx, const char *category, int n, int seq, int shrink,
                          struct outcome *o)
{
    struct buf csv = BUF_INIT;
    buf_adds(&csv, "姓名,身份证号,类别,乡镇\n");
    for (int i = 0; i < n; i++) {
        char id[19];
        tu_make_id(id, "140521", 20150101, seq + i);
        buf_addf(&csv, "儿童%d,%s,%s,郑庄镇\n", seq + i, id, category);
    }
    char *p = tu_write_str(fx->dir, "welfare.csv", csv.buf);
    buf_release(&csv);
    struct import_options opt = {
        .kind = KIND_WELFARE, .path = p, .actor = "test", .shrink_percent = shrink};
    struct import_summary sum;
    int rc = import_file(fx->s, &opt, &sum, o);
    import_summary_release(&sum);
    free(p);
    return rc;
}

/* 民政 sends its 低保 and its 孤儿 lists apart: the 孤儿 list replaces the last 孤儿 list only. */
static void test_group_snapshot(void **state)
{
    struct tu_fx *fx = *state;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(import_welfare(fx, "农村低保", 40, 100, 80, &o), 0);
    int64_t dibao = tu_int(fx->s, "SELECT max(id) FROM batch", NULL);
    /* 4 orphans after 40 低保 members: no shrink, the 低保 list stays current */
    assert_int_equal(import_welfare(fx, "社会散居孤儿", 4, 200, 80, &o), 0);
    int64_t orphans = tu_int(fx->s, "SELECT max(id) FROM batch", NULL);
    int64_t snap[GRP__COUNT];
    assert_int_equal(import_group_snapshot(fx->s, KIND_WELFARE, 0, snap), 0);
    assert_int_equal(snap[GRP_DIBAO], dibao);
    assert_int_equal(snap[GRP_ORPHAN], orphans);
    assert_int_equal(snap[GRP_TEKUN], 0);
    /* a 低保 list of 10 after one of 40 is a shrink of the 低保 list: refused, naming both */
    outcome_reset(&o);
    assert_int_equal(import_welfare(fx, "城市低保", 10, 300, 80, &o), -1);
    if (!strstr(o.msg.buf, "40") || !strstr(o.msg.buf, "10"))
        fail_msg("the refusal \"%s\" does not name both lists' sizes", o.msg.buf);
    /* a newer 低保 list of its size replaces the first, the orphans' list stays */
    outcome_reset(&o);
    assert_int_equal(import_welfare(fx, "城市低保", 38, 400, 80, &o), 0);
    int64_t dibao2 = tu_int(fx->s, "SELECT max(id) FROM batch", NULL);
    assert_int_equal(import_group_snapshot(fx->s, KIND_WELFARE, 0, snap), 0);
    assert_int_equal(snap[GRP_DIBAO], dibao2);
    assert_int_equal(snap[GRP_ORPHAN], orphans);
    outcome_release(&o);
}

/* A sheet without the columns that make it the kind asked for is refused, naming them. */
static void test_wrong_list(void **state)
{
    struct tu_fx *fx = *state;
    char *p = tu_write_str(fx->dir, "pop.csv", "姓名,身份证号,性别\n张三,,男\n");
    struct import_options opt = {.kind = KIND_AID, .path = p, .actor = "test"};
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(import_file(fx->s, &opt, &sum, &o), -1);
    if (!strstr(o.msg.buf, "资助项目") || !strstr(o.msg.buf, "金额"))
        fail_msg("message \"%s\" does not name the missing columns", o.msg.buf);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM group_detail", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record", NULL), 0);
    import_summary_release(&sum);
    outcome_release(&o);
    free(p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_poverty_household), T(test_welfare_head_only), T(test_disability_cert),
        T(test_aid_payments),      T(test_wrong_list),        T(test_group_snapshot),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
