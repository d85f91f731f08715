/* The indicators' formulas on hand-computed cohorts (report/indicators.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ingest/field.h"
#include "report/indicators.h"
#include "util/common.h"

#define NEAR(a, b) assert_true((a) > (b)-1e-9 && (a) < (b) + 1e-9)

static void test_rate(void **state)
{
    (void)state;
    NEAR(ind_rate(1, 4), 25.0);
    NEAR(ind_rate(0, 3), 0.0);
    NEAR(ind_rate(3, 0), IND_NONE);
    NEAR(ind_rate(5, -1), IND_NONE);
}

/* 入学率: 98 of 100 school-age children enrolled (送教上门 counted by the caller into enrolled);
 * 辍学率: 3 of 150 pupils at the start of the year; 按时核查: 7 of 8 due tasks; 劝返: 3 of 4
 * confirmed cases returned after 10, 20 and 33 days. */
static void test_unit_rates(void **state)
{
    (void)state;
    struct ind_unit u;
    memset(&u, 0, sizeof(u));
    u.c.school_age = 100;
    u.c.enrolled = 98;
    u.c.year_start = 150;
    u.c.dropped = 3;
    u.c.tasks_due = 8;
    u.c.verified_on_time = 7;
    u.c.confirmed = 4;
    u.c.returned = 3;
    u.c.return_days = 10 + 20 + 33;
    ind_unit_rates(&u);
    NEAR(u.r.enrollment, 98.0);
    NEAR(u.r.dropout, 2.0);
    NEAR(u.r.verified_on_time, 87.5);
    NEAR(u.r.returned, 75.0);
    NEAR(u.r.avg_return_days, 21.0);
    NEAR(u.r.retention, IND_NONE); /* no cohort */

    struct ind_unit sum;
    memset(&sum, 0, sizeof(sum));
    ind_counts_add(&sum.c, &u.c);
    ind_counts_add(&sum.c, &u.c);
    ind_unit_rates(&sum);
    assert_int_equal(sum.c.school_age, 200);
    NEAR(sum.r.enrollment, 98.0);
    NEAR(sum.r.avg_return_days, 21.0);
}

static void test_fate(void **state)
{
    (void)state;
    /* still listed: kept whatever the grade */
    assert_int_equal(ind_fate_of(3, 1, true, ENR_ACTIVE, false, false), FATE_KEPT);
    assert_int_equal(ind_fate_of(3, 1, true, ENR_SUSPENDED, false, false), FATE_KEPT);
    assert_int_equal(ind_fate_of(9, 0, true, ENR_GRADUATED, false, false), FATE_KEPT);
    /* 学籍 says 辍学: lost, unless the county found the child in school elsewhere */
    assert_int_equal(ind_fate_of(7, 1, true, ENR_DROPPED_OUT, false, false), FATE_LOST);
    assert_int_equal(ind_fate_of(7, 1, true, ENR_DROPPED_OUT, true, false), FATE_MOVED_OUT);
    /* 转出, 死亡 leave the base */
    assert_int_equal(ind_fate_of(5, 1, true, ENR_TRANSFERRED, false, false), FATE_MOVED_OUT);
    assert_int_equal(ind_fate_of(5, 1, true, ENR_DECEASED, false, false), FATE_DIED);
    assert_int_equal(ind_fate_of(5, 1, false, 0, false, true), FATE_DIED);
    /* gone from the list: completed past grade 9, moved when known elsewhere, else lost */
    assert_int_equal(ind_fate_of(9, 1, false, 0, false, false), FATE_COMPLETED);
    assert_int_equal(ind_fate_of(8, 1, false, 0, false, false), FATE_LOST);
    assert_int_equal(ind_fate_of(8, 1, false, 0, true, false), FATE_MOVED_OUT);
}

/*
 * A cohort of 10 pupils in the base snapshot: 6 still listed, 1 graduated and gone (grade 9 a
 * year before), 1 dropped out, 1 transferred out, 1 died; 2 pupils joined, one of them still
 * enrolled. Base = 10 − 1 − 1 + 2 = 10; kept = 6 + 1 + 1 = 8: 80 %.
 */
static void test_cohort(void **state)
{
    (void)state;
    struct ind_unit u;
    memset(&u, 0, sizeof(u));
    for (int i = 0; i < 6; i++)
        ind_cohort_add(&u.c, ind_fate_of(4, 1, true, ENR_ACTIVE, false, false));
    ind_cohort_add(&u.c, ind_fate_of(9, 1, false, 0, false, false));
    ind_cohort_add(&u.c, ind_fate_of(6, 1, true, ENR_DROPPED_OUT, false, false));
    ind_cohort_add(&u.c, ind_fate_of(6, 1, true, ENR_TRANSFERRED, false, false));
    ind_cohort_add(&u.c, ind_fate_of(6, 1, false, 0, false, true));
    ind_cohort_join(&u.c, true);
    ind_cohort_join(&u.c, false);
    ind_unit_rates(&u);
    assert_int_equal(u.c.cohort_base, 10);
    assert_int_equal(u.c.cohort_kept, 8);
    assert_int_equal(u.c.moved_out, 1);
    assert_int_equal(u.c.died, 1);
    assert_int_equal(u.c.moved_in, 2);
    NEAR(u.r.retention, 80.0);
}

static void test_as_of(void **state)
{
    (void)state;
    struct outcome o = OUTCOME_INIT;
    int d = 0;
    assert_int_equal(indicators_as_of(NULL, 20261207, &d, &o), 0);
    assert_int_equal(d, 20261207);
    assert_int_equal(indicators_as_of("2026-12", 20261207, &d, &o), 0);
    assert_int_equal(d, 20261207); /* the current month: today */
    assert_int_equal(indicators_as_of("2026-02", 20261207, &d, &o), 0);
    assert_int_equal(d, 20260228);
    assert_int_equal(indicators_as_of("2024-02", 20261207, &d, &o), 0);
    assert_int_equal(d, 20240229);
    assert_int_equal(indicators_as_of("2026-11", 20261207, &d, &o), 0);
    assert_int_equal(d, 20261130);
    assert_int_equal(indicators_as_of("2027-01", 20261207, &d, &o), -1);
    outcome_release(&o);
    o = (struct outcome)OUTCOME_INIT;
    assert_int_equal(indicators_as_of("十一月", 20261207, &d, &o), -1);
    outcome_release(&o);
}

static struct ind_unit unit(const char *code, double enroll, double retain, double drop,
                            long dropped, long overdue)
{
    struct ind_unit u;
    memset(&u, 0, sizeof(u));
    snprintf(u.code, sizeof(u.code), "%s", code);
    u.r.enrollment = enroll;
    u.r.retention = retain;
    u.r.dropout = drop;
    u.r.verified_on_time = IND_NONE;
    u.r.returned = IND_NONE;
    u.c.dropped = dropped;
    u.c.overdue_tasks = overdue;
    return u;
}

/*
 * A: 99 / 95 / 1.0 % (2 dropped) / 0 overdue → ranks 2, 1, 2, 1 → mean 1.5
 * B: 100 / 90 / 0.5 % (1) / 3 overdue        → ranks 1, 2, 1, 3 → mean 1.75
 * C: 98 / 90 / 3.0 % (6) / 1 overdue         → ranks 3, 2, 3, 2 → mean 2.5, 辍学高发 (≥ 2 %, ≥ 3)
 */
static void test_rank(void **state)
{
    (void)state;
    struct ind_unit u[3] = {unit("A", 99, 95, 1.0, 2, 0), unit("B", 100, 90, 0.5, 1, 3),
                            unit("C", 98, 90, 3.0, 6, 1)};
    struct ind_flag_rule rule = {2.0, 3};
    struct ind_ranked r[3];
    ind_rank(u, 3, &rule, r);
    assert_string_equal(r[0].u->code, "A");
    assert_string_equal(r[1].u->code, "B");
    assert_string_equal(r[2].u->code, "C");
    assert_int_equal(r[0].order, 1);
    assert_int_equal(r[2].order, 3);
    assert_int_equal(r[0].rank[IM_ENROLLMENT], 2);
    assert_int_equal(r[1].rank[IM_RETENTION], 2);
    assert_int_equal(r[2].rank[IM_RETENTION], 2); /* a tie shares the rank */
    assert_int_equal(r[0].rank[IM_VERIFIED], 0);  /* no value: no rank */
    NEAR(r[0].mean_rank, 1.5);
    NEAR(r[1].mean_rank, 1.75);
    NEAR(r[2].mean_rank, 2.5);
    assert_false(r[0].high_dropout);
    assert_false(r[1].high_dropout);
    assert_true(r[2].high_dropout);
    /* the minimum count: 6 dropped is not enough at 10 */
    struct ind_flag_rule strict = {2.0, 10};
    assert_false(ind_high_dropout(&u[2], &strict));
    assert_string_equal(ind_measure_label(IM_DROPOUT), "辍学率");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate),  cmocka_unit_test(test_unit_rates),
        cmocka_unit_test(test_fate),  cmocka_unit_test(test_cohort),
        cmocka_unit_test(test_as_of), cmocka_unit_test(test_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
