/* render/table_freeze.c: a table kept as JSON and made again renders, in every format, what it
 * rendered when it was kept; columns added or dropped since are tolerated. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <unistd.h>

#include "render/table.h"

#include "testutil.h"

static const struct table_col cols[] = {
    {"order", "综合排名", COL_INT},    {"name", "县", COL_TEXT},
    {"rate", "入学率（%）", COL_REAL}, {"towns", "乡镇", COL_LIST},
    {"code", "区划代码", COL_TEXT},    {"flag", "辍学高发（是否）", COL_FLAG},
};

static void fill(struct report_table *t)
{
    table_init(t, "各县控辍保学指标和排名", "counties", cols, ARRAY_SIZE(cols));
    table_caption(t, "山西省晋城市各县控辍保学指标和排名", "范围：山西省晋城市 2 个县");
    table_add_row(t);
    table_set(t, 0, "1");
    table_set(t, 1, "沁水县");
    table_set(t, 2, "98.50"); /* the text as set: "98.50", not the number 98.5 */
    table_set(t, 3, "郑庄镇、龙港镇");
    table_set(t, 4, "140521");
    table_set(t, 5, "1");
    table_add_row(t);
    /* order and rate never set: empty, null in JSON */
    table_set(t, 1, "阳城县");
    table_set(t, 4, "140522");
    table_set(t, 5, "0");
    table_add_totals(t);
    table_set(t, 1, "合计");
    table_set(t, 2, "97.25");
    table_note(t, "合计行的比率由人数相加后计算。");
    table_note(t, "%d 个县截至这一天还没有比对，不参加排名。", 1);
    table_meta(t, "as_of", "2026-11-30", META_TEXT);
    table_meta(t, "ranked_counties", "2", META_INT);
    table_meta(t, "ranked", "true", META_BOOL);
    table_json_set(t, "extra", json_pack("{s:i}", "n", 7));
}

/* The table rendered in `fmt`, as text. */
static void rendered(const struct report_table *t, enum report_format fmt, struct buf *out)
{
    char *p = tu_path(tu_dir, fmt == FMT_JSON ? "t.json" : fmt == FMT_CSV ? "t.csv" : "t.txt");
    struct buf err = BUF_INIT;
    assert_int_equal(table_render(t, fmt, p, &err), 0);
    tu_read(p, out);
    unlink(p);
    free(p);
    buf_release(&err);
}

/* A trip through the text a database keeps. */
static json_t *kept(const struct report_table *t)
{
    json_t *frozen = table_freeze(t);
    char *text = json_dumps(frozen, JSON_COMPACT);
    json_decref(frozen);
    json_t *back = json_loads(text, 0, NULL);
    free(text);
    assert_non_null(back);
    return back;
}

static void test_same_table_again(void **state)
{
    (void)state;
    struct report_table t, again;
    fill(&t);
    json_t *frozen = kept(&t);
    assert_int_equal(
        table_thaw(&again, "各县控辍保学指标和排名", "counties", cols, ARRAY_SIZE(cols), frozen),
        0);
    json_decref(frozen);
    assert_int_equal(again.nrows, 3);
    assert_true(again.has_totals);
    assert_int_equal(again.nnotes, 2);
    assert_string_equal(table_meta_value(&again, "as_of"), "2026-11-30");
    enum report_format fmts[] = {FMT_JSON, FMT_CSV, FMT_TABLE};
    for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
        struct buf a = BUF_INIT, b = BUF_INIT;
        rendered(&t, fmts[i], &a);
        rendered(&again, fmts[i], &b);
        assert_string_equal(a.buf, b.buf);
        buf_release(&a);
        buf_release(&b);
    }
    /* the JSON's types as they were: a rate, a flag, a number of metadata, the extra member */
    json_t *j = table_to_json(&again);
    json_t *first = json_array_get(json_object_get(j, "counties"), 0);
    assert_true(json_is_real(json_object_get(first, "rate")));
    assert_true(json_is_true(json_object_get(first, "flag")));
    assert_true(
        json_is_null(json_object_get(json_array_get(json_object_get(j, "counties"), 1), "order")));
    assert_int_equal(json_integer_value(json_object_get(j, "ranked_counties")), 2);
    assert_true(json_is_true(json_object_get(j, "ranked")));
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "extra"), "n")), 7);
    json_decref(j);
    table_release(&t);
    table_release(&again);
}

static void test_columns_changed_since(void **state)
{
    (void)state;
    struct report_table t, again;
    fill(&t);
    json_t *frozen = kept(&t);
    /* today's columns: rate dropped, a new one, the others in another order */
    static const struct table_col now[] = {
        {"code", "区划代码", COL_TEXT},
        {"name", "县", COL_TEXT},
        {"new_measure", "新指标", COL_INT},
    };
    assert_int_equal(table_thaw(&again, "x", "counties", now, ARRAY_SIZE(now), frozen), 0);
    json_decref(frozen);
    json_t *j = table_to_json(&again);
    json_t *first = json_array_get(json_object_get(j, "counties"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "code")), "140521");
    assert_string_equal(json_string_value(json_object_get(first, "name")), "沁水县");
    assert_true(json_is_null(json_object_get(first, "new_measure")));
    assert_null(json_object_get(first, "rate"));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "totals"), "name")),
                        "合计");
    json_decref(j);
    table_release(&t);
    table_release(&again);
}

static void test_not_a_kept_table(void **state)
{
    (void)state;
    struct report_table t;
    json_t *bad = json_pack("{s:s}", "rows", "no");
    assert_int_equal(table_thaw(&t, "x", "counties", cols, ARRAY_SIZE(cols), bad), -1);
    assert_int_equal(t.nrows, 0);
    table_release(&t);
    json_decref(bad);
    assert_int_equal(table_thaw(&t, "x", "counties", cols, ARRAY_SIZE(cols), NULL), -1);
    table_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_table_again),
        cmocka_unit_test(test_columns_changed_since),
        cmocka_unit_test(test_not_a_kept_table),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
