/* report/counties_kept.c: the month a kept table of the counties is about, and a kept table read
 * back with when and by whom it was computed (the computation itself needs counties sharing a
 * PostgreSQL database: tests/cli/test_province.py). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>

#include "core/date.h"
#include "domain/job.h"
#include "report/counties_kept.h"
#include "store/store.h"

#include "testutil.h"

static void month_is(const char *month, const char *key, int as_of)
{
    int today = ymd_make(2026, 12, 7), got = 0;
    char k[8] = "";
    struct outcome o = OUTCOME_INIT;
    if (counties_month(month, today, k, &got, &o) < 0)
        fail_msg("counties_month(%s): %s", month ? month : "NULL", o.msg.buf);
    assert_string_equal(k, key);
    assert_int_equal(got, as_of);
    outcome_release(&o);
}

static void month_refused(const char *month, const char *why)
{
    int today = ymd_make(2026, 12, 7), got = 0;
    char k[8] = "";
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(counties_month(month, today, k, &got, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_string_equal(o.field, "month");
    if (!strstr(o.msg.buf, why))
        fail_msg("counties_month(%s): “%s” does not say “%s”", month, o.msg.buf, why);
    outcome_release(&o);
}

static void test_month(void **state)
{
    (void)state;
    /* none: this month, today's indicators */
    month_is(NULL, "2026-12", ymd_make(2026, 12, 7));
    month_is("", "2026-12", ymd_make(2026, 12, 7));
    month_is("2026-12", "2026-12", ymd_make(2026, 12, 7));
    /* a past month: its last day, however it is written */
    month_is("2026-11", "2026-11", ymd_make(2026, 11, 30));
    month_is("2026年2月", "2026-02", ymd_make(2026, 2, 28));
    month_is("2024/02", "2024-02", ymd_make(2024, 2, 29));
    month_refused("2027-01", "还没有到");
    month_refused("2026-11-15", "不是某一天");
    month_refused("十一月", "不是年月");
    month_refused("2026-13", "不是年月");
}

static const char *frozen_text =
    "{\"columns\": [\"name\", \"code\", \"school_age\"],"
    " \"rows\": [[\"沁水县\", \"140521\", \"1200\"], [\"合计\", null, \"1200\"]],"
    " \"totals\": true, \"caption\": \"山西省晋城市各县控辍保学指标和排名\", \"subtitle\": null,"
    " \"notes\": [\"合计行的比率由人数相加后计算。\"],"
    " \"meta\": [[\"as_of\", \"2026-11-30\", \"text\"], [\"area\", \"1405\", \"text\"]]}";

static void keep_row(struct store *s, const char *content)
{
    const char *p[] = {"1405", "2026-11", "2026-11-30", "1764900000", "shanxi", content};
    assert_int_equal(store_run(s,
                               "INSERT INTO province_table (area, month, as_of, computed_at,"
                               " computed_by, content) VALUES ($1, $2, $3, $4, $5, $6)",
                               6, p),
                     0);
}

static void test_read_kept(void **state)
{
    struct tu_fx *fx = *state;
    struct report_table t;
    struct counties_kept k;
    struct outcome o = OUTCOME_INIT;
    /* nothing kept yet: said so, in Chinese, with what to do */
    assert_int_equal(counties_kept_read(fx->s, "1405", "2026-11", &t, &k, &o), 0);
    assert_int_equal(o.kind, OUT_NOT_FOUND);
    assert_non_null(strstr(o.msg.buf, "山西省晋城市2026年11月的各县指标还没有计算"));
    assert_non_null(strstr(o.msg.buf, "请先计算"));
    outcome_release(&o);

    keep_row(fx->s, frozen_text);
    assert_int_equal(counties_kept_read(fx->s, "1405", "2026-11", &t, &k, &o), 1);
    assert_string_equal(k.as_of, "2026-11-30");
    assert_string_equal(k.computed_by, "shanxi");
    assert_int_equal(k.computed_at, 1764900000);
    assert_int_equal(k.job, 0);
    json_t *j = table_to_json(&t);
    assert_string_equal(json_string_value(json_object_get(j, "caption")),
                        "山西省晋城市各县控辍保学指标和排名");
    json_t *rows = json_object_get(j, "counties");
    assert_int_equal(json_array_size(rows), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "school_age")),
                     1200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "totals"), "name")),
                        "合计");
    /* what the screen says of it: the month, when and by whom; no job (the command line) */
    assert_string_equal(json_string_value(json_object_get(j, "month")), "2026-11");
    assert_int_equal(json_integer_value(json_object_get(j, "computed_at")), 1764900000);
    assert_string_equal(json_string_value(json_object_get(j, "computed_by")), "shanxi");
    assert_null(json_object_get(j, "job"));
    json_decref(j);
    table_release(&t);
    /* another area or month is not this one */
    assert_int_equal(counties_kept_read(fx->s, "14", "2026-11", &t, &k, &o), 0);
    outcome_release(&o);
    assert_int_equal(counties_kept_read(fx->s, "1405", "2026-10", &t, &k, &o), 0);
    outcome_release(&o);

    /* computed by a job: the job named */
    json_t *params = json_object();
    const struct scope sc = {.user = "shanxi"};
    int64_t job = job_create(fx->s, JOB_MATCH, &sc, params, NULL, 0);
    json_decref(params);
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)job);
    const char *p[] = {id};
    assert_int_equal(
        store_run(fx->s, "UPDATE province_table SET job_id = CAST($1 AS BIGINT)", 1, p), 0);
    assert_int_equal(counties_kept_read(fx->s, "1405", "2026-11", &t, &k, &o), 1);
    assert_int_equal(k.job, job);
    j = table_to_json(&t);
    assert_int_equal(json_integer_value(json_object_get(j, "job")), job);
    json_decref(j);
    table_release(&t);

    /* a kept table that cannot be read is an error that says to compute it again */
    assert_int_equal(store_run(fx->s, "UPDATE province_table SET content = 'not json'", 0, NULL),
                     0);
    assert_int_equal(counties_kept_read(fx->s, "1405", "2026-11", &t, &k, &o), -1);
    assert_int_equal(o.kind, OUT_ERROR);
    assert_non_null(strstr(o.msg.buf, "请重新计算"));
    outcome_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_month),
        cmocka_unit_test_setup_teardown(test_read_kept, tu_fx_setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
