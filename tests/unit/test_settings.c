#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "casework/casework.h"
#include "domain/match.h"
#include "domain/settings.h"
#include "link/linker.h"
#include "store/store.h"

#include "testutil.h"

/* ---- the registry ---- */

static char *checked(const char *key, const char *value)
{
    const struct setting_def *d = setting_find(key);
    assert_non_null(d);
    struct buf norm = BUF_INIT, err = BUF_INIT;
    char *out = NULL;
    if (setting_check(d, value, &norm, &err) == 0) {
        assert_int_equal(err.len, 0);
        out = xstrdup(norm.buf);
    } else {
        assert_true(err.len > 0); /* a refusal always says why */
    }
    buf_release(&norm);
    buf_release(&err);
    return out;
}

#define assert_checked(key, value, want)                                                           \
    do {                                                                                           \
        char *got_ = checked(key, value);                                                          \
        assert_non_null(got_);                                                                     \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)
#define assert_refused(key, value) assert_null(checked(key, value))

static void test_every_key_is_registered_once_with_a_label(void **state)
{
    static const char *const read[] = {
        "county",
        "year_start_mmdd",
        "cutoff_mmdd",
        "min_age",
        "max_age",
        "link_accept",
        "link_review",
        "link_margin",
        "casework_verify_days",
        "casework_review_days",
        "casework_first_visit_days",
        "casework_ladder_days",
        "casework_followup_months",
        "casework_followup_count",
        "school_holidays",
        "demo",
    };
    for (size_t i = 0; i < ARRAY_SIZE(read); i++)
        assert_non_null(setting_find(read[i]));
    assert_null(setting_find("nonsense"));
    for (size_t i = 0; i < setting_ndefs; i++) {
        const struct setting_def *d = &setting_defs[i];
        assert_ptr_equal(setting_find(d->key), d);
        assert_true(strlen(d->label) > 0 && strlen(d->range) > 0);
        /* a default must pass its own check */
        if (*d->def) {
            char *v = checked(d->key, d->def);
            assert_non_null(v);
            free(v);
        }
    }
}

static void test_values_are_checked_and_normalised(void **state)
{
    assert_checked("casework_verify_days", " 7 ", "7");
    assert_checked("casework_verify_days", "１４", "14"); /* full-width digits */
    assert_refused("casework_verify_days", "0");
    assert_refused("casework_verify_days", "367");
    assert_refused("casework_verify_days", "7天");
    assert_refused("casework_verify_days", "");
    assert_refused("casework_followup_count", "13");
    assert_checked("cutoff_mmdd", "0831", "831");
    assert_checked("cutoff_mmdd", "8-31", "831");
    assert_checked("cutoff_mmdd", "12月31日", "1231");
    assert_checked("cutoff_mmdd", "0229", "229");
    assert_refused("cutoff_mmdd", "0230");
    assert_refused("cutoff_mmdd", "1301");
    assert_refused("cutoff_mmdd", "8-");
    assert_checked("link_accept", "12.5", "12.5");
    assert_refused("link_accept", "nan");
    assert_refused("link_accept", "inf");
    assert_refused("link_accept", "0x10");
    assert_refused("link_accept", "61");
    assert_refused("min_age", "10");
    assert_checked("county", "140521", "140521");
    assert_refused("county", "999999");
    assert_refused("county", "14052");
    /* holidays go through the deadline parser and are stored in one form */
    assert_checked("school_holidays", "2027-01-20..2027-02-25， 2027/7/10..2027.8.31",
                   "2027-01-20..2027-02-25,2027-07-10..2027-08-31");
    assert_checked("school_holidays", "", "");
    assert_refused("school_holidays", "2027-02-25..2027-01-20");
    assert_refused("school_holidays", "寒假");
}

/* ---- loading, and the defaults are the ones the code uses ---- */

static void test_defaults_come_from_the_registry(void **state)
{
    struct tu_fx *fx = *state;
    struct school_calendar cal, def = SCHOOL_CALENDAR_DEFAULT;
    assert_int_equal(calendar_load(fx->s, &cal), 0);
    assert_memory_equal(&cal, &def, sizeof(cal));
    struct lk_params lp, ldef = LK_PARAMS_DEFAULT;
    assert_int_equal(link_params_load(fx->s, &lp), 0);
    assert_true(lp.accept == ldef.accept && lp.review == ldef.review && lp.margin == ldef.margin);
    struct casework_settings cs;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(casework_settings_load(fx->s, &cs, &o), 0);
    assert_int_equal(cs.verify_days, 10);
    assert_int_equal(cs.first_visit_days, 3);
    assert_int_equal(cs.ladder_days, 15);
    assert_int_equal(cs.followup_months, 1);
    assert_int_equal(cs.followup_count, 3);
    assert_int_equal(cs.holidays.n, 0);
    casework_settings_release(&cs);

    /* a stored value is used; an invalid one (written around baoxue) is refused by name */
    assert_int_equal(store_set_setting(fx->s, "casework_verify_days", "7"), 0);
    assert_int_equal(store_set_setting(fx->s, "cutoff_mmdd", "1231"), 0);
    assert_int_equal(casework_settings_load(fx->s, &cs, &o), 0);
    assert_int_equal(cs.verify_days, 7);
    casework_settings_release(&cs);
    assert_int_equal(calendar_load(fx->s, &cal), 0);
    assert_int_equal(cal.cutoff_mmdd, 1231);
    assert_int_equal(store_set_setting(fx->s, "casework_verify_days", "0"), 0);
    assert_int_equal(casework_settings_load(fx->s, &cs, &o), -1);
    assert_int_equal(o.kind, OUT_ERROR); /* the stored configuration, not the request */
    assert_non_null(strstr(o.msg.buf, "核查期限（天）"));
    assert_non_null(strstr(o.msg.buf, "系统设置"));
    assert_null(strstr(o.msg.buf, "casework_verify_days")); /* by its label, not its key */
    casework_settings_release(&cs);
    assert_int_equal(store_set_setting(fx->s, "min_age", "x"), 0);
    assert_int_equal(calendar_load(fx->s, &cal), -1);
    assert_non_null(strstr(store_errmsg(fx->s), "义务教育起始年龄"));
    outcome_release(&o);
}

/* ---- set and unset ---- */

static int64_t audits(struct tu_fx *fx)
{
    return tu_int(fx->s, "SELECT count(*) FROM audit WHERE action LIKE 'setting_%'", NULL);
}

static int set(struct tu_fx *fx, const char *key, const char *value, struct outcome *o)
{
    struct buf msg = BUF_INIT;
    outcome_reset(o);
    int rc = settings_set(fx->s, key, value, "tester", &msg, o);
    assert_int_equal(outcome_exit(o->kind), rc == 0 ? EXIT_OK : EXIT_INPUT);
    if (rc < 0 && strcmp(key, "nonsense"))
        assert_null(strstr(o->msg.buf, key)); /* a setting is named by its label */
    buf_release(&msg);
    return rc;
}

static void test_set_refuses_and_writes_nothing(void **state)
{
    struct tu_fx *fx = *state;
    struct outcome o = OUTCOME_INIT;
    const char *const bad[][3] = {
        {"nonsense", "1", "没有名为"},
        {"casework_verify_days", "0", "超出有效范围"},
        {"link_review", "12", "人工复核分数线须低于自动关联分数线"},
        {"link_accept", "6", "人工复核分数线须低于自动关联分数线"},
        {"link_accept", "20", NULL}, /* valid, then review may rise below it */
        {"link_review", "15", NULL},
        {"link_accept", "15", "人工复核分数线须低于自动关联分数线"},
        {"max_age", "9", "超出有效范围"},
        {"demo", "1", "由程序维护"},
        {"school_holidays", "2027-02-30..2027-03-01", "学校假期"},
    };
    int64_t rows = tu_int(fx->s, "SELECT count(*) FROM setting", NULL);
    int64_t n = audits(fx);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        int rc = set(fx, bad[i][0], bad[i][1], &o);
        if (!bad[i][2]) {
            assert_int_equal(rc, 0);
            rows++;
            n++;
            continue;
        }
        assert_int_equal(rc, -1);
        if (!strstr(o.msg.buf, bad[i][2]))
            fail_msg("%s=%s: %s", bad[i][0], bad[i][1], o.msg.buf);
        assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM setting", NULL), rows);
        assert_int_equal(audits(fx), n);
    }
    outcome_release(&o);
}

static void test_changes_are_audited_old_and_new(void **state)
{
    struct tu_fx *fx = *state;
    struct outcome err = OUTCOME_INIT;
    struct buf v = BUF_INIT;
    assert_int_equal(set(fx, "casework_verify_days", "７", &err), 0);
    assert_int_equal(settings_get(fx->s, "casework_verify_days", &v, &err), 0);
    assert_string_equal(v.buf, "7");
    char *d = tu_text(fx->s, "SELECT detail || '|' || actor FROM audit ORDER BY id DESC LIMIT 1",
                      NULL, NULL);
    assert_string_equal(d, "10 → 7（原为默认）|tester");
    free(d);
    /* the same value again changes nothing and is not audited */
    int64_t n = audits(fx);
    assert_int_equal(set(fx, "casework_verify_days", "7", &err), 0);
    assert_int_equal(audits(fx), n);
    assert_int_equal(set(fx, "casework_verify_days", NULL, &err), 0); /* unset */
    assert_int_equal(audits(fx), n + 1);
    d = tu_text(fx->s, "SELECT action || '|' || detail FROM audit ORDER BY id DESC LIMIT 1", NULL,
                NULL);
    assert_string_equal(d, "setting_unset|7 → 10（恢复默认）");
    free(d);
    assert_int_equal(settings_get(fx->s, "casework_verify_days", &v, &err), 0);
    assert_string_equal(v.buf, "10");
    assert_int_equal(settings_get(fx->s, "nonsense", &v, &err), -1);
    assert_int_equal(err.kind, OUT_NOT_FOUND);

    /* the county is frozen once data was imported */
    assert_int_equal(set(fx, "county", "140521", &err), 0);
    assert_int_equal(set(fx, "county", "140522", &err), 0);
    assert_int_equal(store_exec(fx->s, "INSERT INTO batch (kind, file_name, file_sha256,"
                                       " file_size, format, header_row, columns, imported_at,"
                                       " rows_read, rows_imported, rows_flagged, rows_rejected,"
                                       " rows_skipped, flag_counts) VALUES ('population', 'a',"
                                       " 'h', 1, 'csv', 1, '[]', 'now', 0, 0, 0, 0, 0, '{}')"),
                     0);
    assert_int_equal(set(fx, "county", "140521", &err), -1);
    assert_non_null(strstr(err.msg.buf, "不能更改"));
    assert_int_equal(set(fx, "county", NULL, &err), -1);

    struct report_table t;
    outcome_reset(&err);
    assert_int_equal(settings_list(fx->s, &t, &err), 0);
    assert_int_equal(t.nrows, setting_ndefs);
    table_release(&t);
    outcome_release(&err);
    buf_release(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_is_registered_once_with_a_label),
        cmocka_unit_test(test_values_are_checked_and_normalised),
        cmocka_unit_test_setup_teardown(test_defaults_come_from_the_registry, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_set_refuses_and_writes_nothing, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_changes_are_audited_old_and_new, tu_fx_setup,
                                        tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
