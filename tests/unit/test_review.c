#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <unistd.h>

#include "core/idcard.h"
#include "domain/match.h"
#include "domain/review.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/import.h"
#include "render/table.h"
#include "store/store.h"

#include "testutil.h"

/*
 * domain/review: the clerical review queue of the latest run, one pair side by side, and a
 * clerk's decision, stored by pair key so that it survives new snapshots and takes effect at
 * the next run. Every test gets a fresh database; the county has two pairs of namesakes born
 * the same day (张伟 and 李强) whose 学籍 records carry no ID: the linker cannot tell which
 * child each record is, so each record's pairs wait in the queue.
 */

static void make_id(char out[19], int ymd, int sequence)
{
    snprintf(out, 19, "140521%08d%03d", ymd, sequence);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

/* ---- the library calls, in one place (their signatures change with the error convention) -- */

/* 0 after rc 0, else the exit code the outcome maps to; the outcome released. */
static int code_of(int rc, struct outcome *o)
{
    int code = rc < 0 ? outcome_exit(o->kind) : 0;
    outcome_release(o);
    return code;
}

/* review_list into t: 0, or the exit code of the refusal (t untouched). */
static int queue(struct tu_fx *fx, bool all, bool full, struct report_table *t)
{
    struct outcome o = OUTCOME_INIT;
    return code_of(review_list(fx->s, all, full, t, &o), &o);
}

/* review_decide: 0, or the exit code of the refusal. */
static int decide(struct tu_fx *fx, int64_t candidate, bool accept, const char *note)
{
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = review_decide(fx->s, candidate, accept, "clerk", note, &msg, &o);
    if (rc == 0)
        assert_true(msg.len > 0);
    else
        assert_true(o.msg.len > 0);
    buf_release(&msg);
    return code_of(rc, &o);
}

static json_t *pair_json(struct tu_fx *fx, int64_t candidate, bool full, int *code)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = review_get(fx->s, candidate, full, &o);
    *code = code_of(j ? 0 : -1, &o);
    return j;
}

static int pair_text(struct tu_fx *fx, int64_t candidate, bool full, struct buf *out)
{
    struct outcome o = OUTCOME_INIT;
    return code_of(review_show(fx->s, candidate, full, out, &o), &o);
}

/* The status key a child (by population record) got in the latest run. */
static char *status_of(struct tu_fx *fx, int64_t record)
{
    struct run_info ri;
    struct buf detail = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    if (run_info_load(fx->s, 0, &ri, &o) < 0)
        fail_msg("run_info_load: %s", o.msg.buf);
    struct run_status_entry e;
    assert_int_equal(run_child_status(fx->s, &ri, record, &e, &detail), 1);
    outcome_release(&o);
    buf_release(&detail);
    return xstrdup(status_key(e.st));
}

/* ---- the county ---- */

static char zhang[2][19], li[2][19];

/* The register, and the 学籍 list with `enr_extra` appended (a later export) unless `pop_too`
 * is false: the 学籍 list alone. */
static void load_lists(struct tu_fx *fx, bool pop_too, const char *enr_extra)
{
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    buf_adds(&pop, "姓名,身份证号,出生日期,性别\n");
    buf_adds(&enr, "姓名,身份证号,出生日期,性别,学籍状态,学校名称\n");
    /* enough children linked by ID for the model to learn from */
    static const char *const given[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    for (int i = 0; i < 40; i++) {
        char id[19], date[16];
        int birth = 20140101 + (i % 12) * 100 + i % 28;
        make_id(id, birth, 101 + 2 * i);
        snprintf(date, sizeof(date), "%04d-%02d-%02d", birth / 10000, birth / 100 % 100,
                 birth % 100);
        buf_addf(&pop, "孙%s%s,%s,%s,男\n", given[i % 10], given[i / 10], id, date);
        buf_addf(&enr, "孙%s%s,%s,%s,男,在读,龙港小学\n", given[i % 10], given[i / 10], id, date);
    }
    make_id(zhang[0], 20150505, 201);
    make_id(zhang[1], 20150505, 203);
    make_id(li[0], 20160606, 205);
    make_id(li[1], 20160606, 207);
    buf_addf(&pop, "张伟,%s,2015-05-05,男\n张伟,%s,2015-05-05,男\n", zhang[0], zhang[1]);
    buf_addf(&pop, "李强,%s,2016-06-06,男\n李强,%s,2016-06-06,男\n", li[0], li[1]);
    buf_adds(&enr, "张伟,,2015-05-05,男,在读,龙港小学\n李强,,2016-06-06,男,在读,郑庄小学\n");
    if (enr_extra)
        buf_adds(&enr, enr_extra);
    if (pop_too)
        tu_import_text(fx, KIND_POPULATION, "pop.csv", pop.buf);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr.buf);
    buf_release(&pop);
    buf_release(&enr);
}

static void load_county(struct tu_fx *fx)
{
    load_lists(fx, true, NULL);
}

/* The population record of the child with this ID in the latest population list. */
static int64_t child_record(struct tu_fx *fx, const char *id)
{
    return tu_int(fx->s,
                  "SELECT max(r.id) FROM record r JOIN batch b ON b.id = r.batch_id"
                  " WHERE b.kind = 'population' AND r.id_number = $1",
                  id);
}

/* The candidate of the latest run pairing the child with ID `id` in review. */
static int64_t candidate_of(struct tu_fx *fx, const char *id)
{
    int64_t c = tu_int(fx->s,
                       "SELECT coalesce(max(c.id), 0) FROM candidate c"
                       " JOIN record p ON p.id = c.population_record"
                       " WHERE c.run_id = (SELECT max(id) FROM match_run)"
                       " AND c.decision = 'review' AND p.id_number = $1",
                       id);
    assert_true(c > 0);
    return c;
}

static int64_t in_review(struct tu_fx *fx)
{
    return tu_int(fx->s,
                  "SELECT count(*) FROM candidate WHERE decision = 'review'"
                  " AND run_id = (SELECT max(id) FROM match_run)",
                  NULL);
}

/* ---- tests ---- */

static void test_no_run_no_queue(void **state)
{
    struct tu_fx *fx = *state;
    struct report_table t;
    assert_int_equal(queue(fx, false, false, &t), EXIT_INPUT);
}

/* The queue is the run's pairs in review, masked unless full is asked for. */
static void test_queue_lists_the_pairs_in_review(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    tu_match(fx, 20260915);
    int64_t n = in_review(fx);
    assert_true(n >= 4); /* each record with both namesakes */
    struct report_table t;
    assert_int_equal(queue(fx, false, false, &t), 0);
    assert_int_equal(t.nrows, (size_t)n);
    json_t *j = table_to_json(&t);
    json_t *rows = json_object_get(j, "pairs");
    size_t i;
    json_t *r;
    int zhangs = 0, lis = 0;
    json_array_foreach(rows, i, r)
    {
        const char *name = json_string_value(json_object_get(r, "child_name"));
        const char *shown = json_string_value(json_object_get(r, "child_id_number"));
        zhangs += !strcmp(name, "张伟");
        lis += !strcmp(name, "李强");
        /* masked: no ID in full, no birth date column */
        assert_string_not_equal(shown, zhang[0]);
        assert_string_not_equal(shown, zhang[1]);
        assert_string_not_equal(shown, li[0]);
        assert_string_not_equal(shown, li[1]);
        assert_null(strstr(shown, "20150505"));
        assert_null(json_object_get(r, "child_birth_date"));
        assert_true(json_is_integer(json_object_get(r, "child_age")) ||
                    json_is_string(json_object_get(r, "child_age")));
        assert_string_equal(json_string_value(json_object_get(r, "decision")), "待复核");
    }
    assert_true(zhangs >= 2 && lis >= 2);
    json_decref(j);
    table_release(&t);
    /* full: the IDs as they are */
    assert_int_equal(queue(fx, false, true, &t), 0);
    j = table_to_json(&t);
    bool seen = false;
    json_array_foreach(json_object_get(j, "pairs"), i, r)
    {
        const char *shown = json_string_value(json_object_get(r, "child_id_number"));
        seen |= !strcmp(shown, zhang[0]) || !strcmp(shown, zhang[1]);
        assert_non_null(json_string_value(json_object_get(r, "child_birth_date")));
    }
    assert_true(seen);
    json_decref(j);
    table_release(&t);
}

/* A decision leaves the queue (it stays in `all`), is audited, and can be changed. */
static void test_decide(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t run = tu_match(fx, 20260915);
    int64_t n = in_review(fx);
    int64_t c = candidate_of(fx, zhang[0]);
    char cid[24];
    snprintf(cid, sizeof(cid), "%lld", (long long)c);
    assert_int_equal(decide(fx, c, true, "看了学籍照片"), 0);
    char *row = tu_text(fx->s,
                        "SELECT d.decision || '|' || d.decided_by || '|' || d.note || '|' ||"
                        " d.first_run FROM review_decision d JOIN candidate c"
                        " ON c.pair_key = d.pair_key WHERE c.id = CAST($1 AS BIGINT)",
                        cid, NULL);
    char expect[64];
    snprintf(expect, sizeof(expect), "accept|clerk|看了学籍照片|%lld", (long long)run);
    assert_string_equal(row, expect);
    free(row);
    char target[32];
    snprintf(target, sizeof(target), "candidate:%lld", (long long)c);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM audit WHERE action = 'review' AND target = $1"
                            " AND actor = 'clerk'",
                            target),
                     1);
    /* out of the queue; still in the whole review band, with the clerk's verdict */
    struct report_table t;
    assert_int_equal(queue(fx, false, false, &t), 0);
    assert_int_equal(t.nrows, (size_t)(n - 1));
    table_release(&t);
    assert_int_equal(queue(fx, true, false, &t), 0);
    assert_int_equal(t.nrows, (size_t)n);
    json_t *j = table_to_json(&t);
    size_t i;
    json_t *r;
    int decided = 0;
    json_array_foreach(json_object_get(j, "pairs"), i, r)
    {
        if (json_integer_value(json_object_get(r, "candidate_id")) == c) {
            assert_string_equal(json_string_value(json_object_get(r, "decision")), "同一人");
            decided++;
        }
    }
    assert_int_equal(decided, 1);
    json_decref(j);
    table_release(&t);
    /* changed: still one decision for the pair, now the other way */
    assert_int_equal(decide(fx, c, false, NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM review_decision", NULL), 1);
    row = tu_text(fx->s, "SELECT decision FROM review_decision", NULL, NULL);
    assert_string_equal(row, "reject");
    free(row);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'review'", NULL), 2);
    /* a pair that does not exist: refused, nothing written */
    assert_int_equal(decide(fx, 999999, true, NULL), EXIT_INPUT);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM review_decision", NULL), 1);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'review'", NULL), 2);
}

/*
 * A decision is kept by pair key: a later 学籍 export (new records, new ids) brings the same
 * pairs, and the next run applies it — the accepted child linked by review, the rejected pair
 * out of the competition.
 */
static void test_decisions_survive_new_snapshots(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    tu_match(fx, 20260915);
    char *st = status_of(fx, child_record(fx, zhang[0]));
    assert_string_equal(st, "pending_review");
    free(st);
    int64_t cz = candidate_of(fx, zhang[0]);
    int64_t cl = candidate_of(fx, li[0]);
    assert_int_equal(decide(fx, cz, true, NULL), 0);  /* this 张伟 is the pupil */
    assert_int_equal(decide(fx, cl, false, NULL), 0); /* this 李强 is not */
    /* the next export of the 学籍 list (one more pupil): new record ids, the same pairs */
    char extra[19];
    make_id(extra, 20140303, 301);
    char row[128];
    snprintf(row, sizeof(row), "赵六,%s,2014-03-03,男,在读,龙港小学\n", extra);
    load_lists(fx, false, row);
    tu_match(fx, 20260915);
    /* 张伟: linked by the review, at school; the record no longer waits for anyone */
    st = status_of(fx, child_record(fx, zhang[0]));
    assert_string_equal(st, "enrolled");
    free(st);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM link l JOIN record p"
                            " ON p.id = l.population_record WHERE l.method = 'reviewed'"
                            " AND l.run_id = (SELECT max(id) FROM match_run) AND p.id_number = $1",
                            zhang[0]),
                     1);
    st = status_of(fx, child_record(fx, zhang[1]));
    assert_string_not_equal(st, "pending_review");
    free(st);
    /* 李强: the rejected pair is on record as the clerk's, and competes no more */
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM candidate c JOIN record p"
                            " ON p.id = c.population_record"
                            " WHERE c.run_id = (SELECT max(id) FROM match_run)"
                            " AND p.id_number = $1 AND c.decision = 'review'",
                            li[0]),
                     0);
    /* the queue of the new run holds neither decided pair */
    struct report_table t;
    assert_int_equal(queue(fx, false, true, &t), 0);
    json_t *j = table_to_json(&t);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(j, "pairs"), i, r)
    {
        const char *shown = json_string_value(json_object_get(r, "child_id_number"));
        assert_string_not_equal(shown, zhang[0]);
        assert_string_not_equal(shown, li[0]);
    }
    json_decref(j);
    table_release(&t);
}

/* One pair side by side: the four fields with their levels, masked or full. */
static void test_one_pair(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t run = tu_match(fx, 20260915);
    int64_t c = candidate_of(fx, zhang[1]);
    int code;
    json_t *j = pair_json(fx, c, false, &code);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), c);
    assert_int_equal(json_integer_value(json_object_get(j, "run_id")), run);
    assert_string_equal(json_string_value(json_object_get(j, "decision")), "review");
    assert_true(json_is_null(json_object_get(j, "review")));
    json_t *fields = json_object_get(j, "fields");
    assert_int_equal(json_array_size(fields), 4);
    static const char *const keys[] = {"id_number", "name", "birth_date", "gender"};
    for (size_t f = 0; f < 4; f++) {
        json_t *fo = json_array_get(fields, f);
        assert_string_equal(json_string_value(json_object_get(fo, "key")), keys[f]);
        assert_non_null(json_string_value(json_object_get(fo, "level_label")));
    }
    /* the names agree, the record has no ID */
    assert_false(json_is_true(json_object_get(json_array_get(fields, 1), "differs")));
    json_t *pop = json_object_get(j, "population");
    assert_string_equal(json_string_value(json_object_get(pop, "name")), "张伟");
    assert_string_not_equal(json_string_value(json_object_get(pop, "id_number")), zhang[1]);
    assert_true(json_is_null(json_object_get(pop, "birth_date")));
    assert_int_equal(json_integer_value(json_object_get(pop, "age")), 11);
    json_decref(j);
    j = pair_json(fx, c, true, &code);
    pop = json_object_get(j, "population");
    assert_string_equal(json_string_value(json_object_get(pop, "id_number")), zhang[1]);
    assert_string_equal(json_string_value(json_object_get(pop, "birth_date")), "2015-05-05");
    json_decref(j);
    /* the clerk's verdict shows once given */
    assert_int_equal(decide(fx, c, false, "不是同一人"), 0);
    j = pair_json(fx, c, false, &code);
    json_t *rv = json_object_get(j, "review");
    assert_string_equal(json_string_value(json_object_get(rv, "decision")), "reject");
    assert_string_equal(json_string_value(json_object_get(rv, "decided_by")), "clerk");
    assert_string_equal(json_string_value(json_object_get(rv, "note")), "不是同一人");
    json_decref(j);
    /* as text for a terminal */
    struct buf out = BUF_INIT;
    assert_int_equal(pair_text(fx, c, false, &out), 0);
    assert_non_null(strstr(out.buf, "张伟"));
    assert_null(strstr(out.buf, zhang[1]));
    assert_non_null(strstr(out.buf, "龙港小学"));
    buf_reset(&out);
    assert_int_equal(pair_text(fx, c, true, &out), 0);
    assert_non_null(strstr(out.buf, zhang[1]));
    buf_release(&out);
    /* no such pair */
    assert_null(pair_json(fx, 999999, false, &code));
    assert_int_equal(code, EXIT_INPUT);
    struct buf none = BUF_INIT;
    assert_int_equal(pair_text(fx, 999999, false, &none), EXIT_INPUT);
    assert_int_equal(none.len, 0);
    buf_release(&none);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_no_run_no_queue), T(test_queue_lists_the_pairs_in_review),
        T(test_decide),          T(test_decisions_survive_new_snapshots),
        T(test_one_pair),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
