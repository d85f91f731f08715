#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "ingest/field.h"

/* ---- header_key ---- */

static void key_is(const char *text, const char *expect)
{
    struct buf out = BUF_INIT;
    header_key(&out, text, strlen(text));
    if (strcmp(out.buf, expect))
        fail_msg("header_key(\"%s\") = \"%s\", expected \"%s\"", text, out.buf, expect);
    assert_int_equal(out.len, strlen(expect));
    buf_release(&out);
}

/* Stored keys read back to the states they were written from; anything else is the default. */
static void test_status_keys_round_trip(void **state)
{
    (void)state;
    for (int r = REG_NORMAL; r <= REG_UNKNOWN; r++)
        assert_int_equal(reg_status_from_key(reg_status_key((enum reg_status)r)), r);
    for (int e = ENR_ACTIVE; e <= ENR_UNKNOWN; e++)
        assert_int_equal(enroll_status_from_key(enroll_status_key((enum enroll_status)e)), e);
    assert_int_equal(reg_status_from_key(""), REG_NORMAL);
    assert_int_equal(reg_status_from_key("迁出"), REG_NORMAL); /* a word, not a key */
    assert_int_equal(enroll_status_from_key("Active"), ENR_UNKNOWN);
}

static void test_header_key_brackets(void **state)
{
    key_is("乡镇（街道）", "乡镇(街道)");
    key_is("村（社区）", "村(社区)");
    key_is("【学校】", "(学校)");
    key_is("[学校]", "(学校)");
    key_is("乡(镇、街道)", "乡(镇、街道)");
}

static void test_header_key_spaces(void **state)
{
    key_is(" 姓 名 ", "姓名");
    key_is("姓\u3000名", "姓名"); /* ideographic space */
    key_is("\t姓名\r\n", "姓名");
    key_is("出生\n日期", "出生日期"); /* a line break inside a wrapped header cell */
    key_is("", "");
    key_is("   ", "");
}

static void test_header_key_colon(void **state)
{
    key_is("姓名：", "姓名");
    key_is("姓名:", "姓名");
    key_is("姓名 ： ", "姓名");
    key_is("备注:说明", "备注:说明"); /* only a trailing colon goes */
    key_is("：", "");
}

static void test_header_key_haoma(void **state)
{
    key_is("身份证号码", "身份证号");
    key_is("公民身份号码", "公民身份号");
    key_is("身份证号码：", "身份证号");
    key_is("号码", "号");
    key_is("号码号码", "号号");
    key_is("手机号码备注", "手机号备注");
    key_is("身份证号", "身份证号");
}

static void test_header_key_required_marker(void **state)
{
    key_is("*姓名", "姓名");
    key_is("姓名*", "姓名");
    key_is("* 身份证号码 *", "身份证号");
    key_is("＊姓名", "姓名"); /* full-width asterisk folds to '*' */
}

static void test_header_key_fullwidth(void **state)
{
    key_is("ＩＤ", "ID");
    key_is("（ｎａｍｅ）", "(name)");
}

static void test_header_key_reuses_buffer(void **state)
{
    struct buf out = BUF_INIT;
    buf_adds(&out, "left over");
    header_key(&out, "姓名", strlen("姓名"));
    assert_string_equal(out.buf, "姓名");
    /* len is honoured: only the first 6 bytes ("姓名") of the text */
    header_key(&out, "姓名码", 6);
    assert_string_equal(out.buf, "姓名");
    buf_release(&out);
}

/* ---- header_field ---- */

static void field_is(enum import_kind k, const char *text, int expect)
{
    int got = header_field(k, text, strlen(text));
    if (got != expect)
        fail_msg("header_field(%s, \"%s\") = %d (%s), expected %d (%s)", kind_key(k), text, got,
                 got >= 0 ? field_key((enum field)got) : "-", expect,
                 expect >= 0 ? field_key((enum field)expect) : "-");
}

static void all_kinds(const char *text, int expect)
{
    field_is(KIND_POPULATION, text, expect);
    field_is(KIND_ENROLLMENT, text, expect);
    field_is(KIND_OUTSIDE, text, expect);
}

static void test_header_field_id(void **state)
{
    all_kinds("公民身份号码", F_ID_NUMBER);
    all_kinds("身份证号码", F_ID_NUMBER);
    all_kinds("身份证号", F_ID_NUMBER);
    all_kinds("证件号码", F_ID_NUMBER);
    all_kinds("身份证件号", F_ID_NUMBER);
    all_kinds("身份证件号码", F_ID_NUMBER);
    all_kinds("学生身份证号码", F_ID_NUMBER);
    all_kinds("*身份证号码：", F_ID_NUMBER);
    all_kinds("身份证件类型", F_ID_TYPE);
    /* a guardian's ID is not the child's: a 户籍 export's is the guardian's, a 学籍's nothing */
    field_is(KIND_POPULATION, "监护人身份证号码", F_GUARDIAN_ID);
    field_is(KIND_ENROLLMENT, "监护人身份证号码", -1);
    field_is(KIND_OUTSIDE, "监护人身份证号码", -1);
}

/* The headers of the priority groups' lists and the aid payments, as the departments write
 * them (../shared/docs/groups-and-warnings.md), and the columns each kind keeps to itself. */
static void test_header_field_groups(void **state)
{
    (void)state;
    /* 乡村振兴's household-member export */
    field_is(KIND_POVERTY, "户编号", F_HOUSEHOLD_NO);
    field_is(KIND_POVERTY, "户主姓名", F_HEAD_NAME);
    field_is(KIND_POVERTY, "户主证件号码", F_HEAD_ID);
    field_is(KIND_POVERTY, "证件号码", F_ID_NUMBER);
    field_is(KIND_POVERTY, "与户主关系", F_RELATION);
    field_is(KIND_POVERTY, "在校生状况", F_SCHOOL_STATUS);
    field_is(KIND_POVERTY, "脱贫属性", F_CATEGORY);
    field_is(KIND_POVERTY, "监测对象类别", F_CATEGORY);
    field_is(KIND_POVERTY, "行政村", F_VILLAGE);
    /* 民政: 低保 members and 孤儿 with their guardians */
    field_is(KIND_WELFARE, "户主身份证号", F_HEAD_ID);
    field_is(KIND_WELFARE, "保障类别", F_CATEGORY);
    field_is(KIND_WELFARE, "成员姓名", F_NAME);
    field_is(KIND_WELFARE, "成员身份证号", F_ID_NUMBER);
    field_is(KIND_WELFARE, "月保障金额", F_AMOUNT);
    field_is(KIND_WELFARE, "监护人身份证号", F_GUARDIAN_ID);
    field_is(KIND_WELFARE, "类别", F_CATEGORY);
    /* 残联 */
    field_is(KIND_DISABILITY, "残疾人证号", F_CERT_NO);
    field_is(KIND_DISABILITY, "残疾类别", F_CATEGORY);
    field_is(KIND_DISABILITY, "残疾等级", F_LEVEL);
    field_is(KIND_DISABILITY, "住址", F_ADDRESS);
    /* the left-behind register */
    field_is(KIND_LEFT_BEHIND, "父亲外出务工地点", F_FATHER_WORK);
    field_is(KIND_LEFT_BEHIND, "母亲外出务工地点", F_MOTHER_WORK);
    field_is(KIND_LEFT_BEHIND, "监护类型", F_CATEGORY);
    field_is(KIND_LEFT_BEHIND, "受委托监护人姓名", F_GUARDIAN);
    field_is(KIND_LEFT_BEHIND, "受委托监护人身份证号", F_GUARDIAN_ID);
    field_is(KIND_LEFT_BEHIND, "受委托监护人联系电话", F_PHONE);
    field_is(KIND_LEFT_BEHIND, "村（居）委会联系人", F_CONTACT);
    field_is(KIND_LEFT_BEHIND, "就读学校", F_SCHOOL_NAME);
    /* the aid payments */
    field_is(KIND_AID, "全国学籍号", F_STUDENT_NO);
    field_is(KIND_AID, "资助项目", F_AID_ITEM);
    field_is(KIND_AID, "金额（元）", F_AMOUNT);
    field_is(KIND_AID, "学期", F_TERM);
    field_is(KIND_AID, "发放日期", F_PAID_DATE);
    /* each list's own columns mean nothing in the others */
    field_is(KIND_POPULATION, "残疾人证号", -1);
    field_is(KIND_ENROLLMENT, "资助项目", -1);
    field_is(KIND_AID, "脱贫属性", -1);
    field_is(KIND_POVERTY, "金额", -1);
    /* a 户籍 export's household columns are read too (the household match uses them) */
    field_is(KIND_POPULATION, "户号", F_HOUSEHOLD_NO);
    field_is(KIND_POPULATION, "户主身份证号码", F_HEAD_ID);
    field_is(KIND_POPULATION, "与户主关系", F_RELATION);
}

static void test_header_field_place(void **state)
{
    all_kinds("乡镇（街道）", F_TOWNSHIP);
    all_kinds("乡镇(街道)", F_TOWNSHIP);
    all_kinds("乡（镇）", F_TOWNSHIP);
    all_kinds("乡镇", F_TOWNSHIP);
    all_kinds("村（社区）", F_VILLAGE);
    all_kinds("村/社区", F_VILLAGE);
    all_kinds("行政村", F_VILLAGE);
    all_kinds("户籍地址", F_ADDRESS);
    all_kinds("家庭住址", F_ADDRESS);
}

static void test_header_field_person(void **state)
{
    all_kinds(" 姓 名 ", F_NAME);
    all_kinds("学生姓名", F_NAME);
    all_kinds("性别", F_GENDER);
    all_kinds("民族", F_ETHNICITY);
    all_kinds("出生日期", F_BIRTH_DATE);
    all_kinds("出生年月", F_BIRTH_DATE);
    all_kinds("序号", F_SEQ);
    all_kinds("监护人", F_GUARDIAN);
    all_kinds("联系电话", F_PHONE);
    all_kinds("手机号码", F_PHONE);
    all_kinds("家长联系电话", F_PHONE);
    all_kinds("", -1);
    all_kinds("年龄", -1);
    all_kinds("备注", -1);
}

/*
 * "号码" is shortened to "号" before comparison, so every spelling that ends in 号码 must be
 * listed in its 号 form. "手机号码" works ("手机号" is listed), "电话号码" does not.
 */
static void test_header_field_phone_haoma(void **state)
{
    all_kinds("电话号码", F_PHONE);
    all_kinds("联系电话号码", F_PHONE);
}

static void test_header_field_status_by_kind(void **state)
{
    field_is(KIND_ENROLLMENT, "学籍状态", F_ENROLL_STATUS);
    field_is(KIND_POPULATION, "学籍状态", -1);
    field_is(KIND_OUTSIDE, "学籍状态", -1);
    field_is(KIND_POPULATION, "户籍状态", F_REG_STATUS);
    field_is(KIND_ENROLLMENT, "户籍状态", -1);
    field_is(KIND_OUTSIDE, "户籍状态", -1);
    /* a bare 状态 means the state of the list's own kind */
    field_is(KIND_POPULATION, "状态", F_REG_STATUS);
    field_is(KIND_ENROLLMENT, "状态", F_ENROLL_STATUS);
    field_is(KIND_OUTSIDE, "状态", -1);
}

static void test_header_field_school_by_kind(void **state)
{
    field_is(KIND_ENROLLMENT, "全国学籍号", F_STUDENT_NO);
    field_is(KIND_OUTSIDE, "学籍号", F_STUDENT_NO);
    field_is(KIND_POPULATION, "学籍号", -1);
    field_is(KIND_ENROLLMENT, "学校名称", F_SCHOOL_NAME);
    field_is(KIND_POPULATION, "学校名称", -1);
    field_is(KIND_OUTSIDE, "就读地区", F_SCHOOL_REGION);
    field_is(KIND_OUTSIDE, "学校所在地区（省市县）", F_SCHOOL_REGION);
    field_is(KIND_ENROLLMENT, "年级", F_GRADE);
    field_is(KIND_ENROLLMENT, "班级", F_CLASS);
    field_is(KIND_ENROLLMENT, "学校标识码", F_SCHOOL_CODE);
    field_is(KIND_POPULATION, "年级", -1);
}

/* Every field's label names it in every kind it belongs to, and nothing in the others. */
static void test_header_field_labels(void **state)
{
    for (int f = 0; f < F__COUNT; f++)
        for (int k = 0; k < KIND__COUNT; k++) {
            const char *label = field_label((enum field)f);
            if (field_in_kind((enum field)f, (enum import_kind)k))
                field_is((enum import_kind)k, label, f);
            else
                field_is((enum import_kind)k, label, -1);
        }
}

/* ---- field_parse, kind_parse ---- */

static void test_field_parse(void **state)
{
    enum field f = F__COUNT;
    assert_int_equal(field_parse("id_number", &f), 0);
    assert_int_equal(f, F_ID_NUMBER);
    assert_int_equal(field_parse("身份证号", &f), 0);
    assert_int_equal(f, F_ID_NUMBER);
    assert_int_equal(field_parse("身份证号码", &f), 0); /* the label, as header_key sees it */
    assert_int_equal(f, F_ID_NUMBER);
    assert_int_equal(field_parse("乡镇（街道）", &f), 0);
    assert_int_equal(f, F_TOWNSHIP);
    assert_int_equal(field_parse("enroll_status", &f), 0);
    assert_int_equal(f, F_ENROLL_STATUS);
    assert_int_equal(field_parse("姓名", &f), 0);
    assert_int_equal(f, F_NAME);

    f = F_SEQ;
    assert_int_equal(field_parse("nonsense", &f), -1);
    assert_int_equal(field_parse("", &f), -1);
    assert_int_equal(field_parse("ID_NUMBER", &f), -1); /* keys are exact */
    assert_int_equal(f, F_SEQ);

    for (int i = 0; i < F__COUNT; i++) {
        f = F__COUNT;
        assert_int_equal(field_parse(field_key((enum field)i), &f), 0);
        assert_int_equal(f, i);
        f = F__COUNT;
        assert_int_equal(field_parse(field_label((enum field)i), &f), 0);
        assert_int_equal(f, i);
    }
}

static void test_kind_parse(void **state)
{
    enum import_kind k = KIND__COUNT;
    assert_int_equal(kind_parse("population", &k), 0);
    assert_int_equal(k, KIND_POPULATION);
    assert_int_equal(kind_parse("户籍", &k), 0);
    assert_int_equal(k, KIND_POPULATION);
    assert_int_equal(kind_parse("enrollment", &k), 0);
    assert_int_equal(k, KIND_ENROLLMENT);
    assert_int_equal(kind_parse("学籍", &k), 0);
    assert_int_equal(k, KIND_ENROLLMENT);
    assert_int_equal(kind_parse("outside", &k), 0);
    assert_int_equal(k, KIND_OUTSIDE);
    assert_int_equal(kind_parse("外出就读", &k), 0);
    assert_int_equal(k, KIND_OUTSIDE);
    k = KIND_OUTSIDE;
    assert_int_equal(kind_parse("students", &k), -1);
    assert_int_equal(kind_parse("", &k), -1);
    assert_int_equal(kind_parse("Population", &k), -1);
    assert_int_equal(k, KIND_OUTSIDE);

    assert_string_equal(kind_key(KIND_ENROLLMENT), "enrollment");
    assert_string_equal(kind_label(KIND_POPULATION), "户籍");
}

/* ---- status words and gender ---- */

static enum reg_status reg(const char *s)
{
    return reg_status_parse(s, strlen(s));
}

static enum enroll_status enr(const char *s)
{
    return enroll_status_parse(s, strlen(s));
}

static int gender(const char *s)
{
    return gender_parse(s, strlen(s));
}

static void test_reg_status(void **state)
{
    assert_int_equal(reg("正常"), REG_NORMAL);
    assert_int_equal(reg(""), REG_NORMAL);
    assert_int_equal(reg("   "), REG_NORMAL);
    assert_int_equal(reg("\u3000正常\u3000"), REG_NORMAL);
    assert_int_equal(reg("正 常"), REG_NORMAL);
    assert_int_equal(reg("在户"), REG_NORMAL);
    assert_int_equal(reg("迁出"), REG_MOVED_OUT);
    assert_int_equal(reg("已迁出"), REG_MOVED_OUT);
    assert_int_equal(reg("死亡"), REG_DECEASED);
    assert_int_equal(reg("死亡注销"), REG_DECEASED);
    assert_int_equal(reg("注销"), REG_CANCELLED);
    assert_int_equal(reg("户口注销"), REG_CANCELLED);
    assert_int_equal(reg("xyz"), REG_UNKNOWN);
    assert_int_equal(reg("正常?"), REG_UNKNOWN);
    assert_int_equal(reg("在读"), REG_UNKNOWN);
    /* len is honoured */
    assert_int_equal(reg_status_parse("迁出去", strlen("迁出")), REG_MOVED_OUT);

    assert_string_equal(reg_status_key(REG_MOVED_OUT), "moved_out");
    assert_string_equal(reg_status_label(REG_DECEASED), "死亡");
    assert_string_equal(reg_status_key(REG_UNKNOWN), "unknown");
}

static void test_enroll_status(void **state)
{
    assert_int_equal(enr("在读"), ENR_ACTIVE);
    assert_int_equal(enr(" 在读 "), ENR_ACTIVE);
    assert_int_equal(enr("送教上门"), ENR_ACTIVE);
    assert_int_equal(enr("随班就读"), ENR_ACTIVE);
    assert_int_equal(enr("在籍"), ENR_ACTIVE);
    assert_int_equal(enr("休学"), ENR_SUSPENDED);
    assert_int_equal(enr("转出"), ENR_TRANSFERRED);
    assert_int_equal(enr("转学"), ENR_TRANSFERRED);
    assert_int_equal(enr("辍学"), ENR_DROPPED_OUT);
    assert_int_equal(enr("失学"), ENR_DROPPED_OUT);
    assert_int_equal(enr("毕业"), ENR_GRADUATED);
    assert_int_equal(enr("已毕业"), ENR_GRADUATED);
    assert_int_equal(enr("死亡"), ENR_DECEASED);
    assert_int_equal(enr(""), ENR_UNKNOWN);
    assert_int_equal(enr("  "), ENR_UNKNOWN);
    assert_int_equal(enr("xyz"), ENR_UNKNOWN);
    assert_int_equal(enr("迁出"), ENR_UNKNOWN);

    assert_string_equal(enroll_status_key(ENR_DROPPED_OUT), "dropped_out");
    assert_string_equal(enroll_status_label(ENR_SUSPENDED), "休学");
    assert_string_equal(enroll_status_key(ENR_UNKNOWN), "unknown");
}

static void test_gender(void **state)
{
    assert_int_equal(gender("男"), 1);
    assert_int_equal(gender("女"), 2);
    assert_int_equal(gender("1"), 1);
    assert_int_equal(gender("2"), 2);
    assert_int_equal(gender("M"), 1);
    assert_int_equal(gender("F"), 2);
    assert_int_equal(gender("m"), 1);
    assert_int_equal(gender("f"), 2);
    assert_int_equal(gender("男性"), 1);
    assert_int_equal(gender("女性"), 2);
    assert_int_equal(gender("male"), 1);
    assert_int_equal(gender("female"), 2);
    assert_int_equal(gender(" 男 "), 1);
    assert_int_equal(gender("１"), 1); /* full-width digit */
    assert_int_equal(gender("Ｆ"), 2);
    assert_int_equal(gender("0"), 0);
    assert_int_equal(gender("3"), 0);
    assert_int_equal(gender(""), 0);
    assert_int_equal(gender("未知"), 0);
    assert_int_equal(gender("男女"), 0);
    assert_int_equal(gender("12"), 0);

    assert_string_equal(gender_label(1), "男");
    assert_string_equal(gender_label(2), "女");
    assert_string_equal(gender_label(0), "");
}

/* Each kind's required columns, by what a header maps. */
static void test_kind_required(void **state)
{
    int col[F__COUNT];
    const struct kind_column *cols;
    struct buf label = BUF_INIT;

    for (int f = 0; f < F__COUNT; f++)
        col[f] = -1;
    col[F_NAME] = 0;
    col[F_ID_NUMBER] = 1;
    /* a 户籍 header: a register of people, not a school list */
    assert_int_equal(kind_missing(KIND_POPULATION, col), 0);
    assert_int_equal(kind_missing(KIND_ENROLLMENT, col), (1u << 2) | (1u << 3));
    assert_int_equal(kind_missing(KIND_OUTSIDE, col), 1u << 2);
    /* a 学籍 list may name its students by the 学籍号 and its school by the code */
    col[F_ID_NUMBER] = -1;
    col[F_STUDENT_NO] = 1;
    col[F_SCHOOL_CODE] = 2;
    col[F_ENROLL_STATUS] = 3;
    assert_int_equal(kind_missing(KIND_ENROLLMENT, col), 0);
    assert_int_equal(kind_missing(KIND_POPULATION, col), 1u << 1);
    col[F_NAME] = -1;
    assert_int_equal(kind_missing(KIND_ENROLLMENT, col), 1u);

    assert_int_equal(kind_required(KIND_ENROLLMENT, &cols), 4);
    kind_column_label(&label, &cols[1]);
    assert_string_equal(label.buf, "身份证号（或全国学籍号）");
    buf_reset(&label);
    kind_column_label(&label, &cols[2]);
    assert_string_equal(label.buf, "学校名称（或学校标识码）");
    /* every kind names the person first: 姓名, then the ID */
    for (int k = 0; k < KIND__COUNT; k++) {
        assert_true(kind_required((enum import_kind)k, &cols) >= 2);
        assert_int_equal(cols[0].field, F_NAME);
        assert_int_equal(cols[1].field, F_ID_NUMBER);
        for (size_t i = 0; i < kind_required((enum import_kind)k, &cols); i++)
            assert_true(field_in_kind(cols[i].field, (enum import_kind)k));
    }
    buf_release(&label);
}

/* Field lengths: counted in characters of the normalised text, as stored. */
static void test_field_overlong(void **state)
{
    struct buf s = BUF_INIT, scratch = BUF_INIT;

    assert_int_equal(field_max_chars(F_NAME), 50);
    assert_int_equal(field_max_chars(F_SEQ), 0);
    for (int i = 0; i < 50; i++)
        buf_adds(&s, "阿");
    assert_int_equal(field_overlong(F_NAME, s.buf, s.len, &scratch), 0);
    buf_adds(&s, "   \t"); /* spaces do not count: they are not stored */
    assert_int_equal(field_overlong(F_NAME, s.buf, s.len, &scratch), 0);
    buf_adds(&s, "古");
    assert_int_equal(field_overlong(F_NAME, s.buf, s.len, &scratch), 51);
    /* no limit for a column that is not stored */
    assert_int_equal(field_overlong(F_SEQ, s.buf, s.len, &scratch), 0);
    /* an address of 200 characters is one; of 201, not */
    buf_reset(&s);
    for (int i = 0; i < 200; i++)
        buf_adds(&s, "村");
    assert_int_equal(field_overlong(F_ADDRESS, s.buf, s.len, &scratch), 0);
    buf_adds(&s, "村");
    assert_int_equal(field_overlong(F_ADDRESS, s.buf, s.len, &scratch), 201);
    /* every stored field has a limit */
    static const enum field stored[] = {
        F_NAME,        F_GENDER,        F_ETHNICITY, F_ID_NUMBER, F_BIRTH_DATE, F_ADDRESS,
        F_TOWNSHIP,    F_VILLAGE,       F_GUARDIAN,  F_PHONE,     F_REG_STATUS, F_SCHOOL_CODE,
        F_SCHOOL_NAME, F_SCHOOL_REGION, F_GRADE,     F_CLASS,     F_STUDENT_NO, F_ENROLL_STATUS};
    for (size_t i = 0; i < ARRAY_SIZE(stored); i++)
        assert_true(field_max_chars(stored[i]) >= 10);
    buf_release(&s);
    buf_release(&scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_keys_round_trip),
        cmocka_unit_test(test_header_key_brackets),
        cmocka_unit_test(test_header_key_spaces),
        cmocka_unit_test(test_header_key_colon),
        cmocka_unit_test(test_header_key_haoma),
        cmocka_unit_test(test_header_key_required_marker),
        cmocka_unit_test(test_header_key_fullwidth),
        cmocka_unit_test(test_header_key_reuses_buffer),
        cmocka_unit_test(test_header_field_id),
        cmocka_unit_test(test_header_field_groups),
        cmocka_unit_test(test_header_field_place),
        cmocka_unit_test(test_header_field_person),
        cmocka_unit_test(test_header_field_phone_haoma),
        cmocka_unit_test(test_header_field_status_by_kind),
        cmocka_unit_test(test_header_field_school_by_kind),
        cmocka_unit_test(test_header_field_labels),
        cmocka_unit_test(test_field_parse),
        cmocka_unit_test(test_kind_parse),
        cmocka_unit_test(test_reg_status),
        cmocka_unit_test(test_enroll_status),
        cmocka_unit_test(test_gender),
        cmocka_unit_test(test_kind_required),
        cmocka_unit_test(test_field_overlong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
