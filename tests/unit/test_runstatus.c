#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "domain/runstatus.h"
#include "store/store.h"

#include "testutil.h"

static void test_entry_round_trip(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    struct run_status_entry in[] = {
        {1, 0, ST_NOT_ENROLLED, 7, 2, 0},
        {(int64_t)1 << 40, 123456789012, ST_ENROLLED, 15, 9, 3},
        {42, 7, ST_INACTIVE, -1, 0, 1},
        {43, 0, ST_NOT_YET, 300, 0, 0}, /* an age beyond a byte reads back as unknown */
    };
    for (size_t i = 0; i < ARRAY_SIZE(in); i++)
        run_status_encode_entry(&b, &in[i]);
    assert_int_equal(b.len, 20 * ARRAY_SIZE(in));
    for (size_t i = 0; i < ARRAY_SIZE(in); i++) {
        struct run_status_entry e;
        assert_int_equal(run_status_decode(b.buf, b.len, i, &e), 0);
        assert_int_equal(e.record_id, in[i].record_id);
        assert_int_equal(e.school_record, in[i].school_record);
        assert_int_equal(e.st, in[i].st);
        assert_int_equal(e.age, i == 3 ? -1 : in[i].age);
        assert_int_equal(e.grade, in[i].grade);
        assert_int_equal(e.method, in[i].method);
    }
    struct run_status_entry e;
    /* out of range, a length that is not whole entries, a status byte no enum has */
    assert_int_equal(run_status_decode(b.buf, b.len, ARRAY_SIZE(in), &e), -1);
    assert_int_equal(run_status_decode(b.buf, b.len - 1, 0, &e), -1);
    b.buf[16] = (char)ST__COUNT;
    assert_int_equal(run_status_decode(b.buf, b.len, 0, &e), -1);
    buf_release(&b);
}

struct seen {
    long n;
    int64_t last;
    bool ordered;
    long stop_at;
};

static int count_entry(void *arg, const struct run_status_entry *e)
{
    struct seen *s = arg;
    s->ordered = s->ordered && e->record_id > s->last && e->age == (int)(e->record_id % 20);
    s->last = e->record_id;
    s->n++;
    return s->stop_at && s->n == s->stop_at ? 7 : 0;
}

static void write_run(struct store *s, int64_t run, long n)
{
    assert_int_equal(store_begin(s), 0);
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run);
    const char *p[] = {r};
    assert_int_equal(store_run(s,
                               "INSERT INTO batch (id, kind, file_name, file_sha256, file_size,"
                               " format, header_row, columns, imported_at, rows_read,"
                               " rows_imported, rows_flagged, rows_rejected, rows_skipped,"
                               " flag_counts) VALUES ($1, 'population', 'f', 'h', 0, 'csv', 1,"
                               " '[]', 'now', 0, 0, 0, 0, 0, '{}')",
                               1, p),
                     0);
    assert_int_equal(store_run(s,
                               "INSERT INTO match_run (id, started_at, as_of, school_year, cutoff,"
                               " population_batch) VALUES ($1, 'now', '2026-11-20', 2026,"
                               " '2026-08-31', $1)",
                               1, p),
                     0);
    struct run_status_writer w;
    assert_int_equal(run_status_writer_begin(&w, s, NULL, run), 0);
    for (long i = 1; i <= n; i++) {
        /* record ids with gaps: every third id is not in the run */
        int64_t id = i + i / 2;
        struct run_status_entry e = {
            id, id * 10, (enum child_status)(id % ST__COUNT), (int)(id % 20), 3, 1};
        assert_int_equal(run_status_writer_add(&w, &e), 0);
    }
    assert_int_equal(run_status_writer_end(&w), 0);
    run_status_writer_release(&w);
    assert_int_equal(store_commit(s), 0);
}

static void test_chunks_get_and_each(void **state)
{
    struct tu_fx *fx = *state;
    long n = 3 * RUN_STATUS_CHUNK + 17;
    write_run(fx->s, 1, n);
    write_run(fx->s, 2, 5);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM run_status WHERE run_id = 1", NULL), 4);

    /* every child is found, across chunk edges; ids in the gaps and outside are not */
    for (long i = 1; i <= n; i++) {
        int64_t id = i + i / 2;
        struct run_status_entry e;
        assert_int_equal(run_status_get(fx->s, 1, id, &e), 1);
        assert_int_equal(e.record_id, id);
        assert_int_equal(e.school_record, id * 10);
        assert_int_equal(e.st, id % ST__COUNT);
    }
    struct run_status_entry e;
    assert_int_equal(run_status_get(fx->s, 1, 3, &e), 1);
    assert_int_equal(run_status_get(fx->s, 1, 2, &e), 0); /* 2 is a gap: i=1→1, i=2→3 */
    assert_int_equal(run_status_get(fx->s, 1, 0, &e), 0);
    assert_int_equal(run_status_get(fx->s, 1, n * 2, &e), 0);
    assert_int_equal(run_status_get(fx->s, 3, 1, &e), 0); /* no such run */

    struct seen sn = {.ordered = true};
    assert_int_equal(run_status_each(fx->s, 1, count_entry, &sn), 0);
    assert_int_equal(sn.n, n);
    assert_true(sn.ordered);
    /* the callback's non-zero return stops the walk and is returned */
    struct seen stop = {.ordered = true, .stop_at = RUN_STATUS_CHUNK + 1};
    assert_int_equal(run_status_each(fx->s, 1, count_entry, &stop), 7);
    assert_int_equal(stop.n, RUN_STATUS_CHUNK + 1);

    /* a damaged chunk is said, not read as children */
    assert_int_equal(store_exec(fx->s, "UPDATE run_status SET data = substr(data, 1, 30)"
                                       " WHERE run_id = 2"),
                     0);
    struct seen dmg = {.ordered = true};
    assert_int_equal(run_status_each(fx->s, 2, count_entry, &dmg), -2);
}

/* The cursor answers as run_status_get does, in order, backwards, across chunks and gaps. */
static void test_cursor_answers_as_get(void **state)
{
    struct tu_fx *fx = *state;
    long n = 2 * RUN_STATUS_CHUNK + 5;
    write_run(fx->s, 1, n);
    write_run(fx->s, 2, 5);
    int64_t top = n + n / 2 + 3;
    struct run_status_cursor c;
    run_status_cursor_init(&c, fx->s, 1);
    /* which ids the run has (write_run: i + i / 2), and each one's entry as written */
    char *in = calloc((size_t)top + 1, 1);
    for (long i = 1; i <= n; i++)
        in[i + i / 2] = 1;
    /* every id forwards, then every id backwards: found exactly when written, as written */
    for (int pass = 0; pass < 2; pass++)
        for (int64_t k = 0; k <= top; k++) {
            int64_t id = pass ? top - k : k;
            struct run_status_entry b;
            int gb = run_status_cursor_get(&c, id, &b);
            assert_int_equal(gb, in[id]);
            if (gb == 1) {
                assert_int_equal(b.record_id, id);
                assert_int_equal(b.school_record, id * 10);
                assert_int_equal(b.st, id % ST__COUNT);
                assert_int_equal(b.age, id % 20);
            }
        }
    free(in);
    /* jumps between chunks: the same entry as run_status_get's */
    const int64_t jumps[] = {5, top - 4, 7, RUN_STATUS_CHUNK + 1, 4, top - 1, 2};
    for (size_t j = 0; j < ARRAY_SIZE(jumps); j++) {
        struct run_status_entry a, b;
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        int ga = run_status_get(fx->s, 1, jumps[j], &a);
        assert_int_equal(run_status_cursor_get(&c, jumps[j], &b), ga);
        assert_memory_equal(&a, &b, sizeof(a));
    }
    struct run_status_entry e;
    assert_int_equal(run_status_cursor_get(&c, 1, &e), 1);
    assert_int_equal(run_status_cursor_get(&c, n, &e), 1);
    assert_int_equal(run_status_cursor_get(&c, 2, &e), 0);
    run_status_cursor_release(&c);
    /* another run's cursor reads that run; a run that does not exist has nobody */
    run_status_cursor_init(&c, fx->s, 2);
    assert_int_equal(run_status_cursor_get(&c, 3, &e), 1);
    assert_int_equal(run_status_cursor_get(&c, 100, &e), 0);
    run_status_cursor_release(&c);
    run_status_cursor_init(&c, fx->s, 3);
    assert_int_equal(run_status_cursor_get(&c, 1, &e), 0);
    run_status_cursor_release(&c);
}

/* A run from before the compact store: every child has a child_status row. */
static void test_legacy_run_reads_child_status(void **state)
{
    struct tu_fx *fx = *state;
    write_run(fx->s, 1, 0);
    assert_int_equal(store_exec(fx->s, "INSERT INTO record (id, batch_id, row_no) VALUES"
                                       " (10, 1, 1), (11, 1, 2);"
                                       "INSERT INTO child_status (run_id, record_id, status, age,"
                                       " expected_grade, school_record, detail) VALUES"
                                       " (1, 10, 'enrolled', 8, 3, NULL, 'x'),"
                                       " (1, 11, 'not_enrolled', 9, 4, NULL, 'y')"),
                     0);
    struct run_status_entry e;
    assert_int_equal(run_status_get(fx->s, 1, 11, &e), 1);
    assert_int_equal(e.st, ST_NOT_ENROLLED);
    assert_int_equal(e.age, 9);
    assert_int_equal(run_status_get(fx->s, 1, 12, &e), 0);
    struct seen sn = {.ordered = true};
    assert_int_equal(run_status_each(fx->s, 1, count_entry, &sn), 0);
    assert_int_equal(sn.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_round_trip),
        cmocka_unit_test_setup_teardown(test_chunks_get_and_each, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_cursor_answers_as_get, tu_fx_setup, tu_fx_teardown),
        cmocka_unit_test_setup_teardown(test_legacy_run_reads_child_status, tu_fx_setup,
                                        tu_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
