#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <unistd.h>

#include "casework/people.h"
#include "render/table.h"
#include "store/store.h"

#include "testutil.h"

/*
 * casework/people: the registry of the people who verify, persuade and teach. Adding,
 * changing, deactivating, finding one by number or name, importing a sheet, listing. Every
 * refusal changes nothing. Every test gets a fresh database of county 140521 (沁水县).
 */

/* ---- the library calls, in one place (their signatures change with the error convention) -- */

/* people_add: 0 and *id, or the exit code of the refusal (its message in err when given). */
static int add(struct tu_fx *fx, const struct person_input *in, int64_t *id, struct buf *err)
{
    struct outcome o = OUTCOME_INIT;
    int64_t got = 0;
    int rc = people_add(fx->s, in, "clerk", &got, &o);
    if (rc == 0) {
        assert_int_equal(o.kind, OUT_OK);
        assert_true(got > 0);
    } else {
        assert_true(o.msg.len > 0);
    }
    if (id)
        *id = got;
    if (err) {
        buf_reset(err);
        buf_adds(err, o.msg.len ? o.msg.buf : "");
    }
    int code = rc < 0 ? outcome_exit(o.kind) : 0;
    outcome_release(&o);
    return code;
}

static int edit(struct tu_fx *fx, int64_t id, const struct person_input *in)
{
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = people_edit(fx->s, id, in, "clerk", &msg, &o);
    assert_true(rc == 0 ? msg.len > 0 : o.msg.len > 0);
    int code = rc < 0 ? outcome_exit(o.kind) : 0;
    buf_release(&msg);
    outcome_release(&o);
    return code;
}

static int deactivate(struct tu_fx *fx, int64_t id)
{
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = people_deactivate(fx->s, id, "clerk", &msg, &o);
    assert_true(rc == 0 ? msg.len > 0 : o.msg.len > 0);
    int code = rc < 0 ? outcome_exit(o.kind) : 0;
    buf_release(&msg);
    outcome_release(&o);
    return code;
}

/* people_resolve: the id, or -(exit code) when refused. */
static int64_t resolve(struct tu_fx *fx, const char *text)
{
    struct outcome o = OUTCOME_INIT;
    int64_t id = 0;
    int rc = people_resolve(fx->s, "责任人", "assignee", text, &id, &o);
    if (rc < 0)
        assert_true(o.msg.len > 0);
    int code = rc < 0 ? outcome_exit(o.kind) : 0;
    outcome_release(&o);
    return rc < 0 ? -code : id;
}

/* people_import of a CSV text: 0 and the summary, or the exit code (message in err). */
static int import_sheet(struct tu_fx *fx, const char *text, struct people_import_summary *sum,
                        struct buf *err)
{
    char *p = tu_write_str(fx->dir, "people.csv", text);
    struct outcome o = OUTCOME_INIT;
    buf_reset(err);
    int rc = people_import(fx->s, p, "clerk", sum, &o);
    if (o.msg.len)
        buf_adds(err, o.msg.buf);
    int code = rc < 0 ? outcome_exit(o.kind) : 0;
    outcome_release(&o);
    unlink(p);
    free(p);
    return code;
}

static int list(struct tu_fx *fx, const struct people_filter *f, struct report_table *t)
{
    struct outcome o = OUTCOME_INIT;
    int rc = people_list(fx->s, f, t, &o);
    int code = rc < 0 ? outcome_exit(o.kind) : 0;
    outcome_release(&o);
    return code;
}

/* ---- helpers ---- */

static void county(struct tu_fx *fx)
{
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0);
}

static int64_t people(struct tu_fx *fx)
{
    return tu_int(fx->s, "SELECT count(*) FROM person", NULL);
}

static int64_t audits(struct tu_fx *fx, const char *action)
{
    return tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = $1", action);
}

/* "name|phone|org|org_kind|township_code|role|active" of person id. */
static char *row_of(struct tu_fx *fx, int64_t id)
{
    char n[24];
    snprintf(n, sizeof(n), "%lld", (long long)id);
    return tu_text(fx->s,
                   "SELECT name || '|' || coalesce(phone, '') || '|' || org || '|' || org_kind"
                   " || '|' || coalesce(township_code, '') || '|' || role || '|' || active"
                   " FROM person WHERE id = CAST($1 AS BIGINT)",
                   n, NULL);
}

static void row_is(struct tu_fx *fx, int64_t id, const char *expect)
{
    char *r = row_of(fx, id);
    if (!r || strcmp(r, expect))
        fail_msg("person %lld: %s, expected %s", (long long)id, r ? r : "(none)", expect);
    free(r);
}

static const struct person_input wang = {"王五", "13800001234", "郑庄镇人民政府",
                                         NULL,   "郑庄镇",      "包保干部"};

/* ---- tests ---- */

static void test_add(void **state)
{
    struct tu_fx *fx = *state;
    county(fx);
    int64_t id;
    assert_int_equal(add(fx, &wang, &id, NULL), 0);
    /* the unit's kind guessed from its name, the township resolved to its code */
    row_is(fx, id, "王五|13800001234|郑庄镇人民政府|township|140521102|包保干部|1");
    char target[32];
    snprintf(target, sizeof(target), "person:%lld", (long long)id);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM audit WHERE action = 'person_add'"
                            " AND target = $1 AND actor = 'clerk'",
                            target),
                     1);
    /* names are normalised (full-width letters, surrounding spaces); the kind may be given */
    struct person_input t = {" 李老师 ", NULL, "郑庄中心小学", "学校", NULL, "结对教师"};
    assert_int_equal(add(fx, &t, &id, NULL), 0);
    row_is(fx, id, "李老师||郑庄中心小学|school||结对教师|1");
    struct person_input c = {"赵局", "0356-1234567", "沁水县教育局", NULL, NULL, "股长"};
    assert_int_equal(add(fx, &c, &id, NULL), 0);
    row_is(fx, id, "赵局|0356-1234567|沁水县教育局|county||股长|1");
    struct person_input v = {"钱六", NULL, "东村村委会", NULL, "郑庄镇", "村干部"};
    assert_int_equal(add(fx, &v, &id, NULL), 0);
    row_is(fx, id, "钱六||东村村委会|village|140521102|村干部|1");
}

/* Every refusal names what is wrong and writes nothing. */
static void test_add_refused(void **state)
{
    struct tu_fx *fx = *state;
    struct buf err = BUF_INIT;
    /* no county set: no township can be named */
    assert_int_equal(add(fx, &wang, NULL, &err), EXIT_INPUT);
    assert_non_null(strstr(err.buf, "郑庄镇"));
    county(fx);
    const struct person_input bad[] = {
        {NULL, NULL, "郑庄镇人民政府", NULL, "郑庄镇", "包保干部"},        /* no name */
        {"王五", NULL, NULL, NULL, "郑庄镇", "包保干部"},                  /* no unit */
        {"王五", NULL, "郑庄镇人民政府", NULL, "郑庄镇", NULL},            /* no role */
        {"  ", NULL, "郑庄镇人民政府", NULL, "郑庄镇", "包保干部"},        /* a blank name */
        {"王五", "12345", "郑庄镇人民政府", NULL, "郑庄镇", "包保干部"},   /* short phone */
        {"王五", "138-abc", "郑庄镇人民政府", NULL, "郑庄镇", "包保干部"}, /* letters */
        {"王五", NULL, "郑庄镇人民政府", NULL, "太原市", "包保干部"},      /* not our township */
        {"王五", NULL, "郑庄镇人民政府", NULL, NULL, "包保干部"}, /* a township's, no township */
        {"钱六", NULL, "东村村委会", NULL, NULL, "村干部"},       /* a village's, no township */
        {"王五", NULL, "郑庄镇人民政府", "星球", "郑庄镇", "包保干部"},   /* unknown kind */
        {"王\x01五", NULL, "郑庄镇人民政府", NULL, "郑庄镇", "包保干部"}, /* control character */
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        if (add(fx, &bad[i], NULL, &err) != EXIT_INPUT)
            fail_msg("case %zu was not refused", i);
        assert_true(err.len > 0);
    }
    assert_int_equal(people(fx), 0);
    assert_int_equal(audits(fx, "person_add"), 0);
    /* several faults are all named at once */
    struct person_input two = {"王五", "1", "郑庄镇人民政府", NULL, "太原市", "包保干部"};
    assert_int_equal(add(fx, &two, NULL, &err), EXIT_INPUT);
    assert_non_null(strstr(err.buf, "电话"));
    assert_non_null(strstr(err.buf, "太原市"));
    /* the same name in the same unit is one person */
    int64_t id;
    assert_int_equal(add(fx, &wang, &id, NULL), 0);
    struct person_input again = wang;
    again.phone = "13900000000";
    assert_int_equal(add(fx, &again, NULL, &err), EXIT_INPUT);
    assert_int_equal(people(fx), 1);
    row_is(fx, id, "王五|13800001234|郑庄镇人民政府|township|140521102|包保干部|1");
    /* …but the same name in another unit is another */
    again.org = "龙港镇人民政府";
    again.township = "龙港镇";
    assert_int_equal(add(fx, &again, NULL, NULL), 0);
    assert_int_equal(people(fx), 2);
    buf_release(&err);
}

static void test_edit(void **state)
{
    struct tu_fx *fx = *state;
    county(fx);
    int64_t id, other;
    assert_int_equal(add(fx, &wang, &id, NULL), 0);
    /* only the fields given change */
    struct person_input ch = {.phone = "13900009999", .role = "副镇长"};
    assert_int_equal(edit(fx, id, &ch), 0);
    row_is(fx, id, "王五|13900009999|郑庄镇人民政府|township|140521102|副镇长|1");
    /* the audit says which fields, never their values */
    char *d = tu_text(fx->s, "SELECT detail FROM audit WHERE action = 'person_edit'", NULL, NULL);
    assert_string_equal(d, "修改了电话、职务");
    free(d);
    /* a phone given empty is removed; a township moved */
    ch = (struct person_input){.phone = "", .township = "龙港镇"};
    assert_int_equal(edit(fx, id, &ch), 0);
    row_is(fx, id, "王五||郑庄镇人民政府|township|140521100|副镇长|1");
    /* refused: nothing to change, a bad value, an unknown person, a duplicate */
    ch = (struct person_input){0};
    assert_int_equal(edit(fx, id, &ch), EXIT_INPUT);
    ch = (struct person_input){.phone = "12"};
    assert_int_equal(edit(fx, id, &ch), EXIT_INPUT);
    ch = (struct person_input){.org = ""};
    assert_int_equal(edit(fx, id, &ch), EXIT_INPUT);
    ch = (struct person_input){.org_kind = "星球"};
    assert_int_equal(edit(fx, id, &ch), EXIT_INPUT);
    ch = (struct person_input){.role = "校长"};
    assert_int_equal(edit(fx, 999, &ch), EXIT_INPUT);
    struct person_input li = {"李四", NULL, "郑庄镇人民政府", NULL, "郑庄镇", "干事"};
    assert_int_equal(add(fx, &li, &other, NULL), 0);
    ch = (struct person_input){.name = "王五"};
    assert_int_equal(edit(fx, other, &ch), EXIT_INPUT);
    row_is(fx, id, "王五||郑庄镇人民政府|township|140521100|副镇长|1");
    row_is(fx, other, "李四||郑庄镇人民政府|township|140521102|干事|1");
    assert_int_equal(audits(fx, "person_edit"), 2);
}

static void test_deactivate_and_resolve(void **state)
{
    struct tu_fx *fx = *state;
    county(fx);
    int64_t id, twin, other;
    assert_int_equal(add(fx, &wang, &id, NULL), 0);
    struct person_input li = {"李四", NULL, "龙港镇人民政府", NULL, "龙港镇", "干事"};
    assert_int_equal(add(fx, &li, &other, NULL), 0);
    /* by number and by name (normalised as names are stored) */
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)id);
    assert_int_equal(resolve(fx, num), id);
    assert_int_equal(resolve(fx, "王五"), id);
    assert_int_equal(resolve(fx, " 王五 "), id);
    assert_int_equal(resolve(fx, "李四"), other);
    assert_int_equal(resolve(fx, "赵六"), -EXIT_INPUT);
    assert_int_equal(resolve(fx, ""), -EXIT_INPUT);
    assert_int_equal(resolve(fx, NULL), -EXIT_INPUT);
    assert_int_equal(resolve(fx, "999"), -EXIT_INPUT);
    /* two active people of one name: only the number says which */
    struct person_input w2 = wang;
    w2.org = "龙港镇人民政府";
    w2.township = "龙港镇";
    assert_int_equal(add(fx, &w2, &twin, NULL), 0);
    assert_int_equal(resolve(fx, "王五"), -EXIT_INPUT);
    /* deactivated: kept, no longer found, not deactivated twice */
    assert_int_equal(deactivate(fx, twin), 0);
    row_is(fx, twin, "王五|13800001234|龙港镇人民政府|township|140521100|包保干部|0");
    assert_int_equal(resolve(fx, "王五"), id);
    assert_int_equal(deactivate(fx, id), 0);
    assert_int_equal(resolve(fx, "王五"), -EXIT_INPUT);
    assert_int_equal(resolve(fx, num), -EXIT_INPUT);
    assert_int_equal(deactivate(fx, id), EXIT_INPUT);
    assert_int_equal(deactivate(fx, 999), EXIT_INPUT);
    assert_int_equal(audits(fx, "person_deactivate"), 2);
    assert_int_equal(people(fx), 3);
    /* described for messages and timelines */
    struct buf d = BUF_INIT;
    assert_int_equal(people_describe(fx->s, other, &d), 0);
    assert_string_equal(d.buf, "李四（龙港镇人民政府 干事）");
    assert_int_equal(people_describe(fx->s, 999, &d), -1);
    buf_release(&d);
}

static void test_import(void **state)
{
    struct tu_fx *fx = *state;
    county(fx);
    struct people_import_summary sum;
    struct buf err = BUF_INIT;
    const char *sheet = "沁水县控辍保学人员名册\n"
                        "姓名,联系电话,工作单位,职务,乡镇\n"
                        "王五,13800001234,郑庄镇人民政府,包保干部,郑庄镇\n"
                        "钱六,,东村村委会,村干部,郑庄镇\n"
                        ",,,,\n"
                        "李老师,13900002222,郑庄中心小学,结对教师,\n"
                        "制表：张三,,,,\n";
    assert_int_equal(import_sheet(fx, sheet, &sum, &err), 0);
    assert_int_equal(sum.rows, 3);
    assert_int_equal(sum.added, 3);
    assert_int_equal(sum.existing, 0);
    assert_int_equal(sum.skipped, 2);
    row_is(fx, resolve(fx, "钱六"), "钱六||东村村委会|village|140521102|村干部|1");
    row_is(fx, resolve(fx, "李老师"), "李老师|13900002222|郑庄中心小学|school||结对教师|1");
    assert_int_equal(audits(fx, "people_import"), 1);
    /* the same sheet again: everyone is there already */
    assert_int_equal(import_sheet(fx, sheet, &sum, &err), 0);
    assert_int_equal(sum.added, 0);
    assert_int_equal(sum.existing, 3);
    assert_int_equal(people(fx), 3);
}

/* One bad row refuses the whole sheet, naming every bad row; nothing is written. */
static void test_import_rows_refused(void **state)
{
    struct tu_fx *fx = *state;
    county(fx);
    struct people_import_summary sum;
    struct buf err = BUF_INIT;
    const char *sheet = "姓名,电话,单位,职务,乡镇\n"
                        "王五,13800001234,郑庄镇人民政府,包保干部,郑庄镇\n"
                        "赵六,12,郑庄镇人民政府,干事,郑庄镇\n"
                        "孙七,,郑庄镇人民政府,,郑庄镇\n"
                        "周八,,某镇人民政府,干事,火星镇\n";
    assert_int_equal(import_sheet(fx, sheet, &sum, &err), EXIT_INPUT);
    assert_non_null(strstr(err.buf, "第 3 行"));
    assert_non_null(strstr(err.buf, "第 4 行"));
    assert_non_null(strstr(err.buf, "第 5 行"));
    assert_null(strstr(err.buf, "第 2 行"));
    assert_int_equal(people(fx), 0);
    assert_int_equal(audits(fx, "people_import"), 0);
    /* a sheet without the registry's header */
    assert_int_equal(import_sheet(fx, "甲,乙\n1,2\n", &sum, &err), EXIT_INPUT);
    assert_int_equal(people(fx), 0);
    buf_release(&err);
}

static void test_list(void **state)
{
    struct tu_fx *fx = *state;
    county(fx);
    int64_t a, b, c;
    assert_int_equal(add(fx, &wang, &a, NULL), 0);
    struct person_input li = {"李四", "13912345678", "龙港镇人民政府", NULL, "龙港镇", "干事"};
    assert_int_equal(add(fx, &li, &b, NULL), 0);
    struct person_input zh = {"赵局", NULL, "沁水县教育局", NULL, NULL, "股长"};
    assert_int_equal(add(fx, &zh, &c, NULL), 0);
    assert_int_equal(deactivate(fx, b), 0);
    struct report_table t;
    struct people_filter f = {0};
    assert_int_equal(list(fx, &f, &t), 0);
    assert_int_equal(t.nrows, 2); /* the deactivated one left out */
    json_t *j = table_to_json(&t);
    json_t *rows = json_object_get(j, "people");
    /* the county's staff (no township) first, then township by township */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "赵局");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "name")),
                        "王五");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "township")),
                        "郑庄镇");
    const char *phone = json_string_value(json_object_get(json_array_get(rows, 1), "phone"));
    assert_string_not_equal(phone, "13800001234");
    assert_memory_equal(phone, "138", 3);
    json_decref(j);
    table_release(&t);
    f.all = true;
    f.full = true;
    assert_int_equal(list(fx, &f, &t), 0);
    assert_int_equal(t.nrows, 3);
    j = table_to_json(&t);
    rows = json_object_get(j, "people");
    /* 赵局, 李四 (龙港镇 140521100), 王五 (郑庄镇 140521102) */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "phone")),
                        "13800001234");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "active")),
                        "已停用");
    json_decref(j);
    table_release(&t);
    f = (struct people_filter){.township = "郑庄镇", .all = true};
    assert_int_equal(list(fx, &f, &t), 0);
    assert_int_equal(t.nrows, 1);
    table_release(&t);
    f.township = "火星镇";
    assert_int_equal(list(fx, &f, &t), EXIT_INPUT);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_add),    T(test_add_refused),         T(test_edit), T(test_deactivate_and_resolve),
        T(test_import), T(test_import_rows_refused), T(test_list),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
