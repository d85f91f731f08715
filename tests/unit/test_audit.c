#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <pthread.h>

#include "store/audit.h"
#include "store/store.h"

#include "testutil.h"

/*
 * store/audit: the append-only, chained audit trail. Every test has a fresh database (struct
 * tu_fx), on SQLite, and on PostgreSQL in the .pg variant: the chain is computed by each
 * dialect's own SQL (SQLite's function, PostgreSQL's trigger), and both must agree with
 * audit_verify.
 */

static int64_t count_rows(struct tu_fx *fx)
{
    return tu_int(fx->s, "SELECT count(*) FROM audit", NULL);
}

/* Column `col` of the row with sequence number `seq` (free it). */
static char *col_at(struct tu_fx *fx, const char *col, int seq)
{
    char sql[128], n[16];
    snprintf(sql, sizeof(sql), "SELECT %s FROM audit WHERE seq = CAST($1 AS BIGINT)", col);
    snprintf(n, sizeof(n), "%d", seq);
    return tu_text(fx->s, sql, n, NULL);
}

/* Let rows be changed and deleted behind the trail's back, as someone with the database file
 * could: drop the triggers that refuse it. */
static void drop_guards(struct tu_fx *fx)
{
    if (tu_pg()) {
        assert_int_equal(store_exec(fx->s, "DROP TRIGGER audit_append_only ON audit"), 0);
    } else {
        assert_int_equal(store_exec(fx->s, "DROP TRIGGER audit_append_only"), 0);
        assert_int_equal(store_exec(fx->s, "DROP TRIGGER audit_no_delete"), 0);
    }
}

/* n rows: actor a<i>, action act<i % 2>, target t<i> (none for the last) */
static void write_rows(struct tu_fx *fx, int n)
{
    for (int i = 1; i <= n; i++) {
        char actor[16], action[16], target[16];
        snprintf(actor, sizeof(actor), "a%d", i);
        snprintf(action, sizeof(action), "act%d", i % 2);
        snprintf(target, sizeof(target), "t%d", i);
        assert_int_equal(
            audit_record(fx->s, actor, "cli", action, i == n ? NULL : target, "detail"), 0);
    }
}

static void test_record_stores_who_what_where(void **state)
{
    struct tu_fx *fx = *state;
    audit_set_origin(NULL);
    assert_int_equal(audit_record(fx->s, "wang", "api 10.0.0.7", "read_full", "record:12", "child"),
                     0);
    /* library callers pass origin NULL: the thread's; an unnamed actor is still someone */
    assert_int_equal(audit_record(fx->s, NULL, NULL, "import", NULL, NULL), 0);
    assert_int_equal(audit_record(fx->s, "", NULL, "match", "", "x"), 0);
    assert_int_equal(count_rows(fx), 3);
    char *r = tu_text(fx->s,
                      "SELECT actor || '|' || origin || '|' || action || '|' || target || '|' ||"
                      " detail FROM audit WHERE seq = 1",
                      NULL, NULL);
    assert_string_equal(r, "wang|api 10.0.0.7|read_full|record:12|child");
    free(r);
    r = tu_text(fx->s,
                "SELECT actor || '|' || origin || '|' || action || '|' ||"
                " coalesce(target, '(null)') || '|' || coalesce(detail, '(null)')"
                " FROM audit WHERE seq = 2",
                NULL, NULL);
    assert_string_equal(r, "unknown|cli|import|(null)|(null)");
    free(r);
    r = col_at(fx, "actor", 3);
    assert_string_equal(r, "unknown");
    free(r);
    /* seq counts 1, 2, 3; at is a timestamp */
    assert_int_equal(tu_int(fx->s, "SELECT sum(seq) FROM audit", NULL), 6);
    r = col_at(fx, "at", 1);
    assert_int_equal(strlen(r), strlen("2026-11-20 14:00:00"));
    assert_int_equal(r[4], '-');
    assert_int_equal(r[10], ' ');
    free(r);
}

struct origin_probe {
    const char *seen_before, *seen_after;
};

static void *other_thread(void *arg)
{
    struct origin_probe *p = arg;
    p->seen_before = audit_origin();
    audit_set_origin("api 192.0.2.1");
    p->seen_after = audit_origin();
    return NULL;
}

/* Each thread has its own origin: a request's address never leaks into another thread. */
static void test_origin_is_the_threads(void **state)
{
    struct tu_fx *fx = *state;
    audit_set_origin(NULL);
    assert_string_equal(audit_origin(), "cli");
    audit_set_origin("api 10.0.0.7");
    assert_string_equal(audit_origin(), "api 10.0.0.7");
    struct origin_probe p = {NULL, NULL};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, other_thread, &p), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_string_equal(p.seen_before, "cli");
    assert_string_equal(p.seen_after, "api 192.0.2.1");
    /* this thread's is unchanged by the other's */
    assert_string_equal(audit_origin(), "api 10.0.0.7");
    assert_int_equal(audit_record(fx->s, "li", NULL, "login", NULL, NULL), 0);
    char *o = col_at(fx, "origin", 1);
    assert_string_equal(o, "api 10.0.0.7");
    free(o);
    /* an explicit origin wins over the thread's */
    assert_int_equal(audit_record(fx->s, "li", "cli", "logout", NULL, NULL), 0);
    o = col_at(fx, "origin", 2);
    assert_string_equal(o, "cli");
    free(o);
    audit_set_origin(NULL);
    assert_string_equal(audit_origin(), "cli");
}

/* Written inside the caller's transaction: rolled back with it, and no gap left in seq. */
static void test_record_rolls_back_with_the_caller(void **state)
{
    struct tu_fx *fx = *state;
    assert_int_equal(store_begin(fx->s), 0);
    assert_int_equal(audit_record(fx->s, "wang", "cli", "import", NULL, NULL), 0);
    store_rollback(fx->s);
    assert_int_equal(count_rows(fx), 0);
    assert_int_equal(audit_record(fx->s, "wang", "cli", "import", NULL, NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT seq FROM audit", NULL), 1);
    struct audit_check c;
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.first_bad, 0);
}

static void test_chain_verifies_and_head_matches(void **state)
{
    struct tu_fx *fx = *state;
    struct audit_check c;
    int64_t seq = -1;
    char hash[65] = "x";
    /* the empty trail */
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.rows, 0);
    assert_int_equal(c.first_bad, 0);
    assert_int_equal(audit_head(fx->s, &seq, hash), 0);
    assert_int_equal(seq, 0);
    assert_string_equal(hash, "");

    write_rows(fx, 5);
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.rows, 5);
    assert_int_equal(c.first_bad, 0);
    assert_int_equal(c.missing, 0);
    assert_int_equal(c.last_seq, 5);
    assert_int_equal(strlen(c.last_hash), 64);
    for (const char *p = c.last_hash; *p; p++)
        assert_non_null(strchr("0123456789abcdef", *p));
    assert_int_equal(audit_head(fx->s, &seq, hash), 0);
    assert_int_equal(seq, 5);
    assert_string_equal(hash, c.last_hash);
    /* every link differs: each hash covers the one before it */
    assert_int_equal(tu_int(fx->s, "SELECT count(DISTINCT hash) FROM audit", NULL), 5);
    /* the head moves with the next row */
    assert_int_equal(audit_record(fx->s, "z", "cli", "login", NULL, NULL), 0);
    assert_int_equal(audit_head(fx->s, &seq, hash), 0);
    assert_int_equal(seq, 6);
    assert_string_not_equal(hash, c.last_hash);
}

/* The schema refuses to change or delete a row. */
static void test_trail_is_append_only(void **state)
{
    struct tu_fx *fx = *state;
    write_rows(fx, 2);
    assert_int_equal(store_exec(fx->s, "UPDATE audit SET detail = 'changed' WHERE seq = 1"), -1);
    assert_int_equal(store_exec(fx->s, "DELETE FROM audit WHERE seq = 2"), -1);
    assert_int_equal(count_rows(fx), 2);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE detail = 'changed'", NULL), 0);
}

/* A row changed behind the triggers' back breaks its link; later rows still hold. */
static void test_verify_finds_a_changed_row(void **state)
{
    struct tu_fx *fx = *state;
    write_rows(fx, 5);
    drop_guards(fx);
    assert_int_equal(store_exec(fx->s, "UPDATE audit SET detail = 'forged' WHERE seq = 3"), 0);
    struct audit_check c;
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.rows, 5);
    assert_int_equal(c.first_bad, 3);
    assert_int_equal(c.missing, 0);
    assert_int_equal(c.bad_id, tu_int(fx->s, "SELECT id FROM audit WHERE seq = 3", NULL));
    assert_int_equal(c.last_seq, 5);
    /* an actor rewritten is caught the same way */
    assert_int_equal(store_exec(fx->s, "UPDATE audit SET detail = 'detail' WHERE seq = 3"), 0);
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.first_bad, 0);
    assert_int_equal(store_exec(fx->s, "UPDATE audit SET actor = 'someone' WHERE seq = 2"), 0);
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.first_bad, 2);
}

/* A row deleted behind the triggers' back is a gap in seq, counted. */
static void test_verify_finds_deleted_rows(void **state)
{
    struct tu_fx *fx = *state;
    write_rows(fx, 6);
    drop_guards(fx);
    assert_int_equal(store_exec(fx->s, "DELETE FROM audit WHERE seq IN (2, 3)"), 0);
    struct audit_check c;
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.rows, 4);
    assert_int_equal(c.first_bad, 4);
    assert_int_equal(c.missing, 2);
    assert_int_equal(c.bad_id, tu_int(fx->s, "SELECT id FROM audit WHERE seq = 4", NULL));
    /* the first rows deleted: a gap from 1 */
    assert_int_equal(store_exec(fx->s, "DELETE FROM audit WHERE seq < 6"), 0);
    assert_int_equal(audit_verify(fx->s, &c), 0);
    assert_int_equal(c.first_bad, 6);
    assert_int_equal(c.missing, 5);
}

/* The ids of a page of audit_list, newest first, as "5,4,3"; the total in *total. */
static char *page_ids(struct tu_fx *fx, const struct audit_query *q, int64_t *total)
{
    json_t *j = audit_list(fx->s, q);
    assert_non_null(j);
    *total = json_integer_value(json_object_get(j, "total"));
    assert_int_equal(json_integer_value(json_object_get(j, "page")), q->page);
    assert_int_equal(json_integer_value(json_object_get(j, "per_page")), q->per_page);
    struct buf out = BUF_INIT;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it)
    {
        /* every field is there; the seq of the row in place of its id (ids may start anywhere) */
        assert_true(json_is_string(json_object_get(it, "at")));
        assert_true(json_is_string(json_object_get(it, "actor")));
        assert_true(json_is_string(json_object_get(it, "origin")));
        assert_true(json_is_string(json_object_get(it, "action")));
        char id[24];
        snprintf(id, sizeof(id), "%lld", (long long)json_integer_value(json_object_get(it, "id")));
        buf_addf(
            &out, "%s%lld", out.len ? "," : "",
            (long long)tu_int(fx->s, "SELECT seq FROM audit WHERE id = CAST($1 AS BIGINT)", id));
    }
    json_decref(j);
    return buf_detach(&out, NULL);
}

static void ids_are(struct tu_fx *fx, const struct audit_query *q, const char *expect,
                    int64_t expect_total)
{
    int64_t total = -1;
    char *got = page_ids(fx, q, &total);
    if (strcmp(got, expect) || total != expect_total)
        fail_msg("audit_list: %s (total %lld), expected %s (total %lld)", got, (long long)total,
                 expect, (long long)expect_total);
    free(got);
}

static void test_list_filters_and_pages(void **state)
{
    struct tu_fx *fx = *state;
    write_rows(fx, 5); /* actions: 1 act1, 2 act0, 3 act1, 4 act0, 5 act1; row 5 no target */
    struct audit_query q = {.page = 1, .per_page = 10};
    ids_are(fx, &q, "5,4,3,2,1", 5);
    /* paging keeps the total */
    q.per_page = 2;
    ids_are(fx, &q, "5,4", 5);
    q.page = 2;
    ids_are(fx, &q, "3,2", 5);
    q.page = 3;
    ids_are(fx, &q, "1", 5);
    q.page = 4;
    ids_are(fx, &q, "", 5);
    /* each filter, and "" meaning any */
    q = (struct audit_query){.page = 1, .per_page = 10, .action = "act1"};
    ids_are(fx, &q, "5,3,1", 3);
    q.actor = "a3";
    ids_are(fx, &q, "3", 1);
    q.actor = "a2"; /* a2's row is act0 */
    ids_are(fx, &q, "", 0);
    q = (struct audit_query){.page = 1, .per_page = 10, .actor = "", .action = "", .target = "t2"};
    ids_are(fx, &q, "2", 1);
    /* the row without a target has a JSON null */
    q = (struct audit_query){.page = 1, .per_page = 1};
    json_t *j = audit_list(fx->s, &q);
    json_t *first = json_array_get(json_object_get(j, "items"), 0);
    assert_true(json_is_null(json_object_get(first, "target")));
    assert_string_equal(json_string_value(json_object_get(first, "detail")), "detail");
    json_decref(j);
}

/* since and until compare with the time as text; a date as until takes in that whole day. */
static void test_list_by_time(void **state)
{
    struct tu_fx *fx = *state;
    write_rows(fx, 3);
    char *at = col_at(fx, "min(at)", 1); /* seq = 1 is the first; min() over one row */
    char day[11];
    snprintf(day, sizeof(day), "%.10s", at);
    /* a day long before and one long after: compared as text, as the filter does */
    const char *prev = "1999-01-01", *next = "9999-12-31";
    struct audit_query q = {.page = 1, .per_page = 10, .since = day};
    ids_are(fx, &q, "3,2,1", 3);
    q = (struct audit_query){.page = 1, .per_page = 10, .until = day};
    ids_are(fx, &q, "3,2,1", 3); /* the whole day, though every row is later than its 00:00 */
    q = (struct audit_query){.page = 1, .per_page = 10, .until = prev};
    ids_are(fx, &q, "", 0);
    q = (struct audit_query){.page = 1, .per_page = 10, .since = next};
    ids_are(fx, &q, "", 0);
    q = (struct audit_query){.page = 1, .per_page = 10, .since = day, .until = next};
    ids_are(fx, &q, "3,2,1", 3);
    /* to the second: a row at exactly `until` is in */
    q = (struct audit_query){.page = 1, .per_page = 10, .since = at, .until = at, .actor = "a1"};
    ids_are(fx, &q, "1", 1);
    free(at);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_record_stores_who_what_where),
        T(test_origin_is_the_threads),
        T(test_record_rolls_back_with_the_caller),
        T(test_chain_verifies_and_head_matches),
        T(test_trail_is_append_only),
        T(test_verify_finds_a_changed_row),
        T(test_verify_finds_deleted_rows),
        T(test_list_filters_and_pages),
        T(test_list_by_time),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
