/* domain/job.c: the job lease of several servers on one database — the claim (once, the oldest
 * a server may run), an import held by the server that has its file, the renewal, and the
 * jobs of a server that is gone marked failed with what was saved. */
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
static const char *const phases[2] = {"正在导入", "正在比对"};

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
