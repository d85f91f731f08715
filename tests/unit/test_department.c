/* domain/department.c: the vocabulary of partner departments and what each may upload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "domain/department.h"
#include "util/common.h"

static void test_parse(void **state)
{
    (void)state;
    const struct department *police = department_parse("公安");
    assert_non_null(police);
    assert_string_equal(police->key, "police");
    assert_ptr_equal(department_parse("police"), police);
    assert_ptr_equal(department_parse("公安局"), police);
    assert_ptr_equal(department_parse("县公安局（户籍）"), police);
    assert_ptr_equal(department_find("police"), police);
    assert_string_equal(department_parse("民政局")->key, "civil_affairs");
    assert_null(department_parse("交警"));
    assert_null(department_parse(""));
    assert_null(department_parse(NULL));
    assert_null(department_find("公安")); /* stored values are keys */
    /* every key is ASCII and unique, every name found by itself */
    for (unsigned i = 0; i < departments_count; i++) {
        assert_ptr_equal(department_find(departments[i].key), &departments[i]);
        assert_ptr_equal(department_parse(departments[i].name), &departments[i]);
        for (const char *p = departments[i].key; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
    }
}

static void test_uploads(void **state)
{
    (void)state;
    assert_true(department_may_upload("police", KIND_POPULATION));
    assert_false(department_may_upload("police", KIND_ENROLLMENT));
    assert_false(department_may_upload("police", KIND_OUTSIDE));
    assert_false(department_may_upload("civil_affairs", KIND_POPULATION));
    assert_false(department_may_upload("县局户政科", KIND_POPULATION));
    /* no department uploads the bureau's own lists */
    for (unsigned i = 0; i < departments_count; i++)
        assert_false(departments[i].kinds & ((1u << KIND_ENROLLMENT) | (1u << KIND_OUTSIDE)));
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(department_check_upload("police", KIND_POPULATION, &o), 0);
    assert_int_equal(department_check_upload("police", KIND_ENROLLMENT, &o), -1);
    assert_string_equal(o.msg.buf, "县公安局（户籍）的账号不能上传学籍名单；本部门可上传：户籍");
    assert_int_equal(o.kind, OUT_FORBIDDEN);
    outcome_reset(&o);
    assert_int_equal(department_check_upload("civil_affairs", KIND_POPULATION, &o), -1);
    assert_string_equal(o.msg.buf,
                        "县民政局的账号不能上传户籍名单；本部门可上传：低保特困孤儿、留守儿童");
    outcome_reset(&o);
    /* each group list is its department's (issue 15) */
    assert_true(department_may_upload("rural_revitalization", KIND_POVERTY));
    assert_true(department_may_upload("civil_affairs", KIND_WELFARE));
    assert_true(department_may_upload("civil_affairs", KIND_LEFT_BEHIND));
    assert_true(department_may_upload("womens_federation", KIND_LEFT_BEHIND));
    assert_true(department_may_upload("disabled_persons", KIND_DISABILITY));
    assert_true(department_may_upload("student_aid", KIND_AID));
    assert_true(department_may_upload("finance", KIND_AID));
    assert_false(department_may_upload("finance", KIND_POVERTY));
    assert_false(department_may_upload("disabled_persons", KIND_WELFARE));
    assert_int_equal(department_check_upload("", KIND_POPULATION, &o), -1);
    assert_non_null(strstr(o.msg.buf, "还没有指定所属部门"));
    outcome_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_uploads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
