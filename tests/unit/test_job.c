/* domain/job.c: the job lease of several servers on one database — the claim (once, the oldest
 * a server may run), an import held by the server that has its file, the renewal, and the
 * jobs of a server that is gone marked failed with what was saved; the jobs about an area's
 * topic (the province's table of a month): one at a time, and who above the county sees them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>

#include "domain/job.h"

#include "testutil.h"

#define A "host-a:100:1700000000"
#define B "host-b:200:1700000000"

static const struct scope county = {.user = "county"};
static const char *const phases[JOB__COUNT] = {"正在导入", "正在比对", "正在计算各县指标"};

static int64_t new_job(struct store *s, enum job_kind kind, const char *owner, int64_t lease)
{
    json_t *params = json_object();
    int64_t id = job_create(s, kind, &county, params, owner, lease);
    json_decref(params);
    assert_true(id > 0);
    return id;
}

static char *column(struct store *s, const char *col, int64_t id)
{
    char sql[128], p[24];
    snprintf(sql, sizeof(sql), "SELECT %s FROM job WHERE id = CAST($1 AS BIGINT)", col);
    snprintf(p, sizeof(p), "%lld", (long long)id);
    return tu_text(s, sql, p, NULL);
}

static void assert_column(struct store *s, const char *col, int64_t id, const char *want)
{
    char *got = column(s, col, id);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_claim_once_oldest_first(void **state)
{
    struct tu_fx *fx = *state;
    int64_t now = 2000000000;
    int64_t first = new_job(fx->s, JOB_MATCH, NULL, 0);
    int64_t second = new_job(fx->s, JOB_MATCH, NULL, 0);
    assert_int_equal(job_claim(fx->s, A, now + 30, phases), first);
    assert_column(fx->s, "state", first, "running");
    assert_column(fx->s, "owner", first, A);
    assert_column(fx->s, "lease_until", first, "2000000030");
    assert_column(fx->s, "phase", first, "正在比对");
    /* the other server takes the next one: never the one already claimed */
    assert_int_equal(job_claim(fx->s, B, now + 30, phases), second);
    assert_column(fx->s, "owner", second, B);
    assert_int_equal(job_claim(fx->s, A, now + 30, phases), 0);
    assert_int_equal(job_claim(fx->s, B, now + 30, phases), 0);
    assert_column(fx->s, "owner", first, A);
}

static void test_claim_from_two_connections(void **state)
{
    /* two servers' connections, one queued job: one claim wins, the other finds none */
    struct tu_fx *fx = *state;
    struct store *other = NULL;
    struct buf err = BUF_INIT;
    assert_int_equal(store_open_peer(fx->s, &other, &err), 0);
    int64_t id = new_job(fx->s, JOB_MATCH, NULL, 0);
    int64_t won_a = job_claim(fx->s, A, 2000000030, phases);
    int64_t won_b = job_claim(other, B, 2000000030, phases);
    assert_int_equal(won_a, id);
    assert_int_equal(won_b, 0);
    assert_column(fx->s, "owner", id, A);
    store_close(other);
    buf_release(&err);
}

static void test_held_import_only_for_its_server(void **state)
{
    struct tu_fx *fx = *state;
    /* an import uploaded to A: its file is on A's disk */
    int64_t imp = new_job(fx->s, JOB_IMPORT, A, 2000000030);
    assert_int_equal(job_claim(fx->s, B, 2000000030, phases), 0);
    int64_t ids[4];
    assert_int_equal(job_held_queued(fx->s, A, ids, 4), 1);
    assert_int_equal(ids[0], imp);
    assert_int_equal(job_held_queued(fx->s, B, ids, 4), 0);
    assert_int_equal(job_claim(fx->s, A, 2000000060, phases), imp);
    assert_column(fx->s, "lease_until", imp, "2000000060");
    assert_column(fx->s, "phase", imp, "正在导入");
    assert_int_equal(job_held_queued(fx->s, A, ids, 4), 0);
}

static bool never_gone(const char *owner, void *ctx)
{
    (void)owner, (void)ctx;
    return false;
}

static bool b_gone(const char *owner, void *ctx)
{
    (void)ctx;
    return !strcmp(owner, B);
}

static void test_reap_expired_leases(void **state)
{
    struct tu_fx *fx = *state;
    int64_t now = 2000000000;
    int64_t match = new_job(fx->s, JOB_MATCH, NULL, 0);
    int64_t saved = new_job(fx->s, JOB_MATCH, NULL, 0);
    int64_t imp = new_job(fx->s, JOB_IMPORT, B, now - 100);
    int64_t held = new_job(fx->s, JOB_IMPORT, B, now - 100);
    int64_t mine = new_job(fx->s, JOB_MATCH, NULL, 0);
    int64_t alive = new_job(fx->s, JOB_MATCH, NULL, 0);
    /* B claims its jobs under leases that end before now; A's and another's are still valid */
    assert_int_equal(job_claim(fx->s, B, now - 10, phases), match);
    assert_int_equal(job_claim(fx->s, B, now - 10, phases), saved);
    assert_int_equal(job_saved_run(fx->s, saved, 7), 0);
    assert_int_equal(job_claim(fx->s, B, now - 10, phases), imp);
    assert_int_equal(job_claim(fx->s, A, now - 10, phases), mine); /* A's own: never reaped by A */
    assert_int_equal(job_claim(fx->s, "host-c:3:1", now + 30, phases), alive);
    assert_int_equal(job_renew(fx->s, B, now - 5), 0);
    assert_column(fx->s, "lease_until", held, "1999999995");

    long n = job_reap(fx->s, A, now, never_gone, NULL, "服务器已停止", "未运行");
    assert_int_equal(n, 4);
    assert_column(fx->s, "state", match, "failed");
    assert_column(fx->s, "error", match, "服务器已停止：本次比对未保存，请重新比对");
    assert_column(
        fx->s, "error", saved,
        "服务器已停止：第 7 次比对的结果已保存，但其后的核查任务未生成完毕（再比对一次即可生成）");
    assert_column(fx->s, "error", imp, "服务器已停止：本次导入未保存（名单没有改变），请重新上传");
    assert_column(fx->s, "error", held, "未运行");
    assert_column(fx->s, "state", held, "failed");
    assert_column(fx->s, "state", mine, "running");
    assert_column(fx->s, "state", alive, "running");
    /* a second look finds nothing more; a finished job is never touched */
    assert_int_equal(job_reap(fx->s, A, now, never_gone, NULL, "x", "y"), 0);
    json_t *result = json_object();
    assert_int_equal(job_done(fx->s, mine, result), 0);
    json_decref(result);
    assert_int_equal(job_reap(fx->s, B, now + 1000, never_gone, NULL, "x", "y"), 1);
    assert_column(fx->s, "state", mine, "done");
}

static void test_reap_renewed_and_gone(void **state)
{
    struct tu_fx *fx = *state;
    int64_t now = 2000000000;
    int64_t id = new_job(fx->s, JOB_MATCH, NULL, 0);
    assert_int_equal(job_claim(fx->s, B, now - 10, phases), id);
    /* B renews (or reports progress) before A looks: nothing to do */
    assert_int_equal(job_progress(fx->s, id, 0.5, "正在比对", now + 30), 0);
    assert_int_equal(job_reap(fx->s, A, now, never_gone, NULL, "x", "y"), 0);
    assert_column(fx->s, "state", id, "running");
    /* B's process is known gone (a process of this host that no longer exists): at once */
    assert_int_equal(job_reap(fx->s, A, now, b_gone, NULL, "服务器已停止", "y"), 1);
    assert_column(fx->s, "state", id, "failed");
    /* a running job with no owner (left before leases existed) is nobody's: failed */
    assert_int_equal(
        store_run(fx->s,
                  "INSERT INTO job (kind, state, who, created_at, phase) VALUES ('import',"
                  " 'running', 'county', 1, '正在导入')",
                  0, NULL),
        0);
    assert_int_equal(job_reap(fx->s, A, now, never_gone, NULL, "服务器已停止", "y"), 1);
    /* while a free queued job is anybody's to claim */
    int64_t q = new_job(fx->s, JOB_MATCH, NULL, 0);
    assert_int_equal(job_reap(fx->s, A, now, never_gone, NULL, "x", "y"), 0);
    assert_column(fx->s, "state", q, "queued");
}

static void test_kind_keys(void **state)
{
    (void)state;
    for (int k = 0; k < JOB__COUNT; k++)
        assert_int_equal(job_kind_parse(job_kind_key((enum job_kind)k)), k);
    assert_string_equal(job_kind_key(JOB_PROVINCE), "province_indicators");
    assert_int_equal(job_kind_parse("nonesuch"), -1);
    assert_int_equal(job_kind_parse(NULL), -1);
}

static int64_t about(struct store *s, enum job_kind kind, const char *area, const char *topic,
                     bool *created)
{
    json_t *params = json_object();
    int64_t id = job_create_about(s, kind, &county, params, area, topic, created);
    json_decref(params);
    assert_true(id > 0);
    return id;
}

/* One queued or running job per kind, area and topic (the province's table of a month): a
 * second ask gets the first; another month, another area or a finished first starts anew. On
 * SQLite with a cross-check's kind (its CHECK keeps the province's kind to PostgreSQL, where
 * the province's own kind is asked too). */
static void test_one_job_per_topic(void **state)
{
    struct tu_fx *fx = *state;
    enum job_kind kinds[] = {JOB_MATCH, JOB_PROVINCE};
    for (size_t i = 0; i < (tu_pg() ? 2u : 1u); i++) {
        enum job_kind kind = kinds[i];
        bool created = false;
        int64_t first = about(fx->s, kind, "1405", "2026-11", &created);
        assert_true(created);
        assert_column(fx->s, "area", first, "1405");
        assert_column(fx->s, "topic", first, "2026-11");
        assert_column(fx->s, "kind", first, job_kind_key(kind));
        assert_int_equal(about(fx->s, kind, "1405", "2026-11", &created), first);
        assert_false(created);
        /* running still holds it */
        assert_int_equal(job_claim(fx->s, A, 2000000030, phases), first);
        assert_column(fx->s, "phase", first, phases[kind]);
        assert_int_equal(about(fx->s, kind, "1405", "2026-11", &created), first);
        assert_false(created);
        /* another month, another area: jobs of their own */
        int64_t other_month = about(fx->s, kind, "1405", "2026-10", &created);
        assert_true(created);
        int64_t other_area = about(fx->s, kind, "14", "2026-11", &created);
        assert_true(created);
        assert_true(other_month != first && other_area != first && other_month != other_area);
        /* a job without a topic is never one of them */
        int64_t plain = new_job(fx->s, kind, NULL, 0);
        assert_true(plain != first);
        /* once it ends, the next ask starts a new one */
        json_t *result = json_object();
        assert_int_equal(job_done(fx->s, first, result), 0);
        json_decref(result);
        int64_t again = about(fx->s, kind, "1405", "2026-11", &created);
        assert_true(created);
        assert_true(again != first);
        /* leave nothing queued for the next kind's claims */
        for (int64_t id = first; id <= again + 1; id++)
            job_fail(fx->s, id, "测试结束");
    }
}

/* A province's or a city's account sees the jobs about its area or a part of it (another
 * account's computation of its counties' table), nothing else of anyone's; admin and county see
 * every job, as before. */
static void test_area_accounts_see_their_area(void **state)
{
    struct tu_fx *fx = *state;
    bool created;
    int64_t city = about(fx->s, JOB_MATCH, "1405", "2026-11", &created);
    int64_t county_of_it = about(fx->s, JOB_MATCH, "140521", "2026-11", &created);
    int64_t province = about(fx->s, JOB_MATCH, "14", "2026-11", &created);
    int64_t other = about(fx->s, JOB_MATCH, "1406", "2026-11", &created);
    int64_t plain = new_job(fx->s, JOB_MATCH, NULL, 0);
    const struct scope shanxi = {
        .user_id = 9001, .user = "shanxi", .role = ROLE_PROVINCE, .area = "14"};
    const struct scope jincheng = {
        .user_id = 9002, .user = "jincheng", .role = ROLE_CITY, .area = "1405"};
    const struct scope township = {
        .user_id = 9003, .user = "zz", .role = ROLE_TOWNSHIP, .township = "140521100"};
    const struct scope admin = {.user_id = 9004, .user = "admin", .role = ROLE_ADMIN};
    struct {
        const struct scope *sc;
        int64_t id;
        bool sees;
    } cases[] = {
        {&shanxi, city, true},
        {&shanxi, county_of_it, true},
        {&shanxi, province, true},
        {&shanxi, other, true},
        {&shanxi, plain, false},
        {&jincheng, city, true},
        {&jincheng, county_of_it, true},
        {&jincheng, province, false},
        {&jincheng, other, false},
        {&jincheng, plain, false},
        {&township, city, false},
        {&township, plain, false},
        {&admin, city, true},
        {&admin, plain, true},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct outcome o = OUTCOME_INIT;
        json_t *j = job_get(fx->s, cases[i].sc, cases[i].id, &o);
        if (cases[i].sees != (j != NULL))
            fail_msg("case %zu: %s sees job %lld: %d", i, cases[i].sc->user, (long long)cases[i].id,
                     j != NULL);
        if (j) {
            assert_int_equal(json_integer_value(json_object_get(j, "id")), cases[i].id);
            const char *area = json_string_value(json_object_get(j, "area"));
            if (cases[i].id == plain)
                assert_true(json_is_null(json_object_get(j, "area")));
            else
                assert_non_null(area);
        } else {
            assert_int_equal(o.kind, OUT_NOT_FOUND);
        }
        json_decref(j);
        outcome_release(&o);
    }
    /* the list: the city's own two, newest first */
    json_t *l = job_list(fx->s, &jincheng, 100);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
                     county_of_it);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "id")), city);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "topic")),
                        "2026-11");
    json_decref(l);
    l = job_list(fx->s, &township, 100);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
    json_decref(l);
    l = job_list(fx->s, &shanxi, 100);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 4);
    json_decref(l);
}

/* The province's table computed by a server that is gone: failed, saying nothing was kept
 * (PostgreSQL: only there may a job be of this kind). */
static void test_reap_province_table(void **state)
{
    struct tu_fx *fx = *state;
    if (!tu_pg())
        skip();
    int64_t now = 2000000000;
    bool created;
    int64_t id = about(fx->s, JOB_PROVINCE, "14", "2026-11", &created);
    assert_int_equal(job_claim(fx->s, B, now - 10, phases), id);
    assert_column(fx->s, "phase", id, "正在计算各县指标");
    assert_int_equal(job_reap(fx->s, A, now, never_gone, NULL, "服务器已停止", "未运行"), 1);
    assert_column(fx->s, "error", id, "服务器已停止：本次各县指标没有算完，没有保存，请重新计算");
    /* and the area's month is free for a new computation */
    assert_true(about(fx->s, JOB_PROVINCE, "14", "2026-11", &created) != id);
    assert_true(created);
    /* a job's kind read back as it was made */
    enum job_kind kind = JOB_IMPORT;
    json_t *params = NULL;
    assert_int_equal(job_params(fx->s, id, &kind, &params), 0);
    assert_int_equal(kind, JOB_PROVINCE);
    json_decref(params);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_claim_once_oldest_first, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_claim_from_two_connections, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_held_import_only_for_its_server, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_reap_expired_leases, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_reap_renewed_and_gone, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test(test_kind_keys),
        cmocka_unit_test_setup_teardown(test_one_job_per_topic, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_area_accounts_see_their_area, tu_fx_setup,
                                        tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_reap_province_table, tu_fx_setup, tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
