/*
 * domain/groups.c: the priority groups' rows linked to the register's children in a
 * cross-check — by ID (exact, one slip), by household (IDs; the guardian's name where the
 * register has no IDs), by name + birth + township; twins, a year-and-month birth, a row two
 * children fit, a row nobody fits, an adult skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/review.h"
#include "ingest/import.h"
#include "testutil.h"
#include "util/buf.h"

static int group_setup(void **state)
{
    (void)state;
    setenv("BAOXUE_TODAY", "2026-11-20", 1);
    return 0;
}

/* How the group row named `name` of the run was linked: "id", "household", "name_birth",
 * "uncertain", "none" (kept, nobody), "skipped" (no row); and the register child's name. */
static void linked(struct tu_fx *fx, int64_t run, const char *name, const char *how,
                   const char *child)
{
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    char *v = tu_text(fx->s,
                      "SELECT coalesce(m.matched_by, CASE WHEN m.uncertain = 1 THEN 'uncertain'"
                      " ELSE 'none' END) || '/' || coalesce(c.name, '-')"
                      " FROM group_member m JOIN record g ON g.id = m.group_record"
                      " LEFT JOIN record c ON c.id = m.record_id"
                      " WHERE m.run_id = $1 AND g.name = $2",
                      r, name);
    char want[128];
    snprintf(want, sizeof(want), "%s/%s", how, child ? child : "-");
    if (!strcmp(how, "skipped")) {
        if (v)
            fail_msg("%s: expected no row, got %s", name, v);
    } else if (!v || strcmp(v, want)) {
        fail_msg("%s: expected %s, got %s", name, want, v ? v : "no row");
    }
    free(v);
}

static void test_paths(void **state)
{
    struct tu_fx *fx = *state;
    char head[19], li[19], a[19], b[19], twin1[19], twin2[19], z1[19], z2[19], c[19], bad[19];
    tu_make_id(head, "140521", 19800101, 101);
    tu_make_id(li, "140521", 19820202, 103);
    tu_make_id(a, "140521", 20150304, 11);
    tu_make_id(b, "140521", 20160510, 13);
    tu_make_id(twin1, "140521", 20170202, 15);
    tu_make_id(twin2, "140521", 20170202, 17);
    tu_make_id(z1, "140521", 20150909, 23);
    tu_make_id(z2, "140521", 20150909, 25);
    tu_make_id(c, "140521", 20130101, 21);
    /* one digit of the sequence mistyped: the check digit no longer fits */
    memcpy(bad, c, 19);
    bad[15] = bad[15] == '9' ? '8' : (char)(bad[15] + 1);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户主身份证号,户籍状态\n"
             "王一,男,%s,2015-03-04,郑庄镇,东村,王大山,%s,正常\n"
             "王二,男,%s,2016-05-10,郑庄镇,东村,王大山,%s,正常\n"
             "李明,男,%s,2017-02-02,郑庄镇,西村,李四,%s,正常\n"
             "李亮,男,%s,2017-02-02,郑庄镇,西村,李四,%s,正常\n"
             "张伟,男,%s,2015-09-09,郑庄镇,东村,张父,,正常\n"
             "张伟,男,%s,2015-09-09,郑庄镇,南村,张叔,,正常\n"
             "陈红,女,%s,2013-01-01,端氏镇,端氏村,陈六,,正常\n"
             "刘小草,女,,2014-07-07,端氏镇,北村,刘大,,正常\n"
             "赵丽,女,,2014-06-06,端氏镇,端氏村,赵某,,正常\n",
             a, head, b, head, twin1, li, twin2, li, z1, z2, c);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    char e[19];
    tu_make_id(e, "140521", 20100101, 31);
    buf_addf(&csv,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "某校,六年级,某生,男,2010-01-01,%s,在读\n",
             e);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
             "在校生状况,脱贫属性\n"
             "H1,郑庄镇,东村,王大山,%s,王大山,%s,户主,1980-01-01,,脱贫户\n"
             "H1,郑庄镇,东村,王大山,%s,王一,%s,之子,2015-03-04,,脱贫户\n"
             "H1,郑庄镇,东村,王大山,%s,王二,,之子,2016年5月,,脱贫户\n"
             "H2,郑庄镇,西村,李四,%s,李亮,,之子,2017-02,,脱贫户\n"
             "H2,郑庄镇,西村,李四,%s,李明,,之子,2017-02,,脱贫户\n"
             "H4,端氏镇,端氏村,陈六,,陈红,%s,之女,2013-01-01,,脱贫户\n"
             "H5,郑庄镇,东村,张七,,张伟,,之子,2015-09,,脱贫户\n"
             "H6,端氏镇,北村,刘大,,刘小草,,之女,2014-07,,脱贫户\n"
             "H7,端氏镇,端氏村,赵五,,赵丽,,之女,2014-06-06,,脱贫户\n"
             "H8,郑庄镇,北村,孙八,,孙无,,之子,2016-01-01,,脱贫户\n",
             head, head, head, a, head, li, li, bad);
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_release(&csv);
    int64_t run = tu_match(fx, 20261120);
    linked(fx, run, "王一", "id", "王一");
    linked(fx, run, "陈红", "id", "陈红");        /* one slip in the ID, the name agrees */
    linked(fx, run, "王二", "household", "王二"); /* head's ID, 2016年5月 */
    linked(fx, run, "李明", "household", "李明"); /* twins: each to their own */
    linked(fx, run, "李亮", "household", "李亮");
    /* no household IDs on the register: the guardian's name, the village, name and birth */
    linked(fx, run, "刘小草", "household", "刘小草");
    linked(fx, run, "赵丽", "name_birth", "赵丽"); /* 赵五 is not the register's 赵某 */
    linked(fx, run, "张伟", "uncertain", NULL);    /* two children fit */
    linked(fx, run, "孙无", "none", NULL);         /* nobody: kept as a finding */
    linked(fx, run, "王大山", "skipped", NULL);    /* an adult */
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    char *d = tu_text(fx->s,
                      "SELECT m.detail FROM group_member m JOIN record g ON g.id = m.group_record"
                      " WHERE m.run_id = $1 AND g.name = '刘小草'",
                      r, NULL);
    assert_non_null(d);
    assert_non_null(strstr(d, "监护人姓名"));
    free(d);
    d = tu_text(fx->s,
                "SELECT m.grp FROM group_member m JOIN record g ON g.id = m.group_record"
                " WHERE m.run_id = $1 AND g.name = '李明'",
                r, NULL);
    assert_string_equal(d, "poverty");
    free(d);
}

/* The rules of "Issue 15 (group matching recall)": a 小名 with the exact ID, a twin's copied
 * ID, a 低保 member without birth by its household (the head's ID, or the ID or name of the
 * guardian listed as another member), siblings whose names sound alike, a 留守 row without
 * township by name + full birth, a slip in the ID with a 小名, a birth from a mistyped ID. */
static void test_recall_rules(void **state)
{
    struct tu_fx *fx = *state;
    char g1[19], g2[19], g3[19], grand[19], wm[19], t1[19], t2[19], d1[19], d2[19], k1[19], k2[19],
        l1[19], s1[19], slip[19], far[19], farbad[19];
    tu_make_id(g1, "140521", 19850101, 101);    /* 王刚: guardian of 王明 */
    tu_make_id(g2, "140521", 19860202, 103);    /* 李四: guardian of the twins */
    tu_make_id(g3, "140521", 19870303, 105);    /* 陈父: guardian of 陈东凯, 低保 head */
    tu_make_id(grand, "140521", 19600404, 107); /* 赵爷: 低保 head, grandfather */
    tu_make_id(wm, "140521", 19880505, 109);    /* 赵父: guardian of 赵小花, a member */
    tu_make_id(t1, "140521", 20170202, 15);
    tu_make_id(t2, "140521", 20170202, 17);
    tu_make_id(d1, "140521", 20150304, 11);
    tu_make_id(d2, "140521", 20160606, 21);
    tu_make_id(k1, "140521", 20140707, 23);
    tu_make_id(k2, "140521", 20120808, 25);
    tu_make_id(l1, "140521", 20130909, 27);
    tu_make_id(s1, "140521", 20141010, 29);
    tu_make_id(far, "140521", 20111111, 31);
    /* 王晓 born 2014-10-10: the row has a slip in the ID's sequence and the 小名 王小晓 */
    memcpy(slip, s1, 19);
    slip[15] = slip[15] == '9' ? '8' : (char)(slip[15] + 1);
    /* 周远 born 2011-11-11; the list's ID has the year mistyped (2001): an adult's birth */
    memcpy(farbad, far, 19);
    farbad[8] = '0';
    farbad[9] = '1';
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,监护人身份证号,户籍状态\n"
             "王明,男,%s,2015-03-04,郑庄镇,东村,王刚,%s,正常\n"
             "李明,男,%s,2017-02-02,郑庄镇,西村,李四,%s,正常\n"
             "李亮,男,%s,2017-02-02,郑庄镇,西村,李四,%s,正常\n"
             "陈东凯,男,%s,2016-06-06,端氏镇,北村,陈父,%s,正常\n"
             "赵小花,女,%s,2014-07-07,端氏镇,南村,赵父,%s,正常\n"
             "康家明,男,%s,2012-08-08,端氏镇,宋家村,康母,,正常\n"
             "康家铭,男,%s,2013-09-09,端氏镇,宋家村,康母,,正常\n"
             "王晓,男,%s,2014-10-10,郑庄镇,西村,王伯,,正常\n"
             "周远,男,%s,2011-11-11,郑庄镇,南村,周父,,正常\n",
             d1, g1, t1, g2, t2, g2, d2, g3, k1, wm, k2, l1, s1, far);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "某校,六年级,某生,男,2010-01-01,%s,在读\n",
             d2);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
             "在校生状况,脱贫属性\n"
             "H1,郑庄镇,东村,王刚,%s,王小明,%s,之子,2015-03-04,,脱贫户\n"
             "H2,郑庄镇,西村,李四,%s,李亮,%s,之子,2017-02-02,,脱贫户\n"
             "H3,郑庄镇,西村,王伯,,王小晓,%s,之子,2014-10-10,,脱贫户\n"
             "H4,郑庄镇,南村,周父,,周远,%s,之子,2001-11-11,,脱贫户\n",
             g1, d1, g2, t1, slip, farbad);
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "户主姓名,户主身份证号,保障类别,成员姓名,成员身份证号,与户主关系,月保障金额,乡镇,村\n"
             "陈父,%s,农村低保,陈东凯,,子女,900,端氏镇,北村\n"
             "赵爷,%s,农村低保,赵父,%s,子女,900,端氏镇,南村\n"
             "赵爷,%s,农村低保,赵小花,,孙子女,900,端氏镇,南村\n"
             "康母,,农村低保,康家明,,子女,900,端氏镇,宋家村\n",
             g3, grand, wm, grand);
    tu_import_text(fx, KIND_WELFARE, "welfare.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv, "姓名,身份证号,性别,出生日期,就读学校,监护类型,受委托监护人姓名\n"
                   "李明,,男,2017-02-02,某校,祖辈监护,李奶奶\n");
    tu_import_text(fx, KIND_LEFT_BEHIND, "left.csv", csv.buf);
    buf_release(&csv);
    int64_t run = tu_match(fx, 20261120);
    linked(fx, run, "王小明", "id", "王明");          /* the exact, valid ID; a 小名 */
    linked(fx, run, "李亮", "household", "李亮");     /* the twin 李明's ID copied */
    linked(fx, run, "陈东凯", "household", "陈东凯"); /* no birth: the head's ID, the name */
    linked(fx, run, "赵小花", "household", "赵小花"); /* the guardian listed as a member */
    linked(fx, run, "康家明", "household", "康家明"); /* not 康家铭, same in pinyin */
    linked(fx, run, "王小晓", "id", "王晓");          /* a slip and a 小名; the guardian agrees */
    linked(fx, run, "周远", "id", "周远");            /* the ID's slip made him look an adult */
    linked(fx, run, "李明", "name_birth", "李明");    /* 留守, no township: name + full birth */
}

/* An uncertain row goes to the review queue (table candidate, one pair per child it fits); a
 * clerk's pick links it at the next cross-check, and "none" (each candidate rejected) leaves
 * it unlinked and out of the queue. */
static void test_review_decision(void **state)
{
    struct tu_fx *fx = *state;
    char z1[19], z2[19], e[19];
    tu_make_id(z1, "140521", 20150909, 23);
    tu_make_id(z2, "140521", 20150909, 25);
    tu_make_id(e, "140521", 20100101, 31);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户籍状态\n"
             "张伟,男,%s,2015-09-09,郑庄镇,东村,张父,正常\n"
             "张伟,男,%s,2015-09-09,郑庄镇,南村,张叔,正常\n"
             "刘洋,男,%s,2010-01-01,郑庄镇,南村,刘父,正常\n",
             z1, z2, e);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "某校,六年级,刘洋,男,2010-01-01,%s,在读\n",
             e);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_adds(&csv, "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
                   "在校生状况,脱贫属性\n"
                   "H5,郑庄镇,北村,张七,,张伟,,之子,2015-09,,脱贫户\n"
                   "H6,郑庄镇,西村,刘八,,刘洋,,之子,2010-01-01,,脱贫户\n");
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_release(&csv);
    int64_t run = tu_match(fx, 20261120);
    linked(fx, run, "张伟", "uncertain", NULL);
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    char *n = tu_text(fx->s,
                      "SELECT count(*) FROM candidate c JOIN record g ON g.id = c.other_record"
                      " WHERE c.run_id = $1 AND g.name = $2 AND c.decision = 'review'",
                      r, "张伟");
    assert_string_equal(n, "2");
    free(n);
    /* the clerk: the row is the 南村 child's */
    char *cid = tu_text(fx->s,
                        "SELECT c.id FROM candidate c JOIN record p ON p.id = c.population_record"
                        " WHERE c.run_id = $1 AND p.village = $2 AND c.pair_key LIKE '%#G:%'",
                        r, "南村");
    assert_non_null(cid);
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(review_decide(fx->s, atoll(cid), true, "clerk", NULL, &msg, &o), 0);
    free(cid);
    run = tu_match(fx, 20261120);
    linked(fx, run, "张伟", "name_birth", "张伟");
    snprintf(r, sizeof(r), "%lld", (long long)run);
    n = tu_text(fx->s,
                "SELECT p.village || '/' || (SELECT count(*) FROM candidate c WHERE c.run_id = $1)"
                " FROM group_member m JOIN record p ON p.id = m.record_id"
                " JOIN record g ON g.id = m.group_record WHERE m.run_id = $1 AND g.name = $2",
                r, "张伟");
    assert_string_equal(n, "南村/0");
    free(n);
    /* changed mind: neither child (each rejected) — unlinked, not uncertain, out of the queue */
    char *ids = tu_text(fx->s,
                        "SELECT min(c.id) || ',' || max(c.id) FROM candidate c"
                        " WHERE c.pair_key LIKE '%#G:%'",
                        NULL, NULL);
    assert_non_null(ids);
    int64_t a = atoll(ids), b = atoll(strchr(ids, ',') + 1);
    free(ids);
    assert_int_equal(review_decide(fx->s, a, false, "clerk", NULL, &msg, &o), 0);
    assert_int_equal(review_decide(fx->s, b, false, "clerk", NULL, &msg, &o), 0);
    buf_release(&msg);
    outcome_release(&o);
    run = tu_match(fx, 20261120);
    linked(fx, run, "张伟", "none", NULL);
}

/* The rules of "Issue 15 (group matching families)", read off bench/groups_families.py: twins
 * whose names sound alike told apart by the characters on the name + birth path; a child the
 * register lacks, with a valid ID of its own, never linked to a register child of the same
 * name and birth (it goes to the review queue); a 留守 row (no township, no village) by the
 * register's 监护人 and the full birth date, a 小名 too; twins a 小名 fits both of: review; a
 * row whose township cell is empty by name, birth and village. */
static void test_family_rules(void **state)
{
    struct tu_fx *fx = *state;
    char t1[19], t2[19], q1[19], other[19], s1[19], z1[19], z2[19], f1[19], h1[19], h2[19], e[19];
    tu_make_id(t1, "140521", 20160303, 11);
    tu_make_id(t2, "140521", 20160303, 13);
    tu_make_id(q1, "140521", 20150505, 15);
    tu_make_id(other, "140521", 20150505, 57); /* valid, in no register here */
    tu_make_id(s1, "140521", 20140404, 17);
    tu_make_id(z1, "140521", 20130303, 19);
    tu_make_id(z2, "140521", 20130303, 21);
    tu_make_id(f1, "140521", 20120202, 23);
    tu_make_id(h1, "140521", 20150101, 25);
    tu_make_id(h2, "140521", 20150101, 27);
    tu_make_id(e, "140521", 20100101, 31);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,性别,公民身份号码,出生日期,乡镇,村,监护人,户籍状态\n"
             "冯文,男,%s,2012-02-02,郑庄镇,西村,冯父,正常\n"
             "郑思雨,女,%s,2015-01-01,端氏镇,东村,郑父,正常\n"
             "郑思语,女,%s,2015-01-01,端氏镇,东村,郑父,正常\n"
             "赵思雨,女,%s,2016-03-03,郑庄镇,东村,赵父,正常\n"
             "赵思语,女,%s,2016-03-03,郑庄镇,东村,赵父,正常\n"
             "钱明,男,%s,2015-05-05,郑庄镇,南村,钱父,正常\n"
             "孙红,女,%s,2014-04-04,端氏镇,北村,孙奶奶,正常\n"
             "周明,男,%s,2013-03-03,端氏镇,南村,周父,正常\n"
             "周亮,男,%s,2013-03-03,端氏镇,南村,周父,正常\n",
             f1, h1, h2, t1, t2, q1, s1, z1, z2);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "学校名称,年级,姓名,性别,出生日期,身份证件号,学籍状态\n"
             "某校,六年级,某生,男,2010-01-01,%s,在读\n",
             e);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", csv.buf);
    buf_reset(&csv);
    buf_addf(&csv,
             "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
             "在校生状况,脱贫属性\n"
             "H1,郑庄镇,北村,赵爷,,赵思雨,,之孙女,2016-03-03,,脱贫户\n"
             "H2,郑庄镇,西村,吴某,,钱明,%s,之子,2015-05-05,,脱贫户\n"
             "H3,,西村,冯爷,,冯文,,之孙子,2012-02-02,,脱贫户\n",
             other);
    tu_import_text(fx, KIND_POVERTY, "poverty.csv", csv.buf);
    buf_reset(&csv);
    buf_adds(&csv, "姓名,身份证号,性别,出生日期,就读学校,监护类型,受委托监护人姓名\n"
                   "孙小红,,女,2014-04-04,某校,祖辈监护,孙奶奶\n"
                   "周小明,,男,2013-03-03,某校,单亲监护,周父\n"
                   "郑思雨,,女,2015-01-01,某校,单亲监护,郑父\n");
    tu_import_text(fx, KIND_LEFT_BEHIND, "left.csv", csv.buf);
    buf_release(&csv);
    int64_t run = tu_match(fx, 20261120);
    linked(fx, run, "赵思雨", "name_birth", "赵思雨"); /* not her twin 赵思语 */
    linked(fx, run, "钱明", "uncertain", NULL);        /* another child's valid ID */
    linked(fx, run, "孙小红", "household", "孙红");    /* the guardian, the birth, a 小名 */
    linked(fx, run, "周小明", "uncertain", NULL);      /* both twins fit the 小名 */
    linked(fx, run, "冯文", "name_birth", "冯文");     /* no township: the village */
    linked(fx, run, "郑思雨", "household", "郑思雨");  /* 留守 twins named alike */
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    char *n = tu_text(fx->s,
                      "SELECT count(*) FROM candidate c JOIN record g ON g.id = c.other_record"
                      " WHERE c.run_id = $1 AND g.name = $2 AND c.decision = 'review'",
                      r, "钱明");
    assert_string_equal(n, "1");
    free(n);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {T(test_paths), T(test_recall_rules), T(test_review_decision),
                                       T(test_family_rules)};
#undef T
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
