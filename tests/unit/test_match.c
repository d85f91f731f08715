#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <unistd.h>

#include "core/idcard.h"
#include "domain/match.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "link/linker.h"
#include "ingest/import.h"
#include "store/store.h"

#include "testutil.h"

/*
 * match_run on small registers imported with import_file: every test gets a fresh database
 * (struct tu_fx).
 * The run is as of 2026-09-15: school year 2026, cutoff 2026-08-31, band 6..15.
 */
#define AS_OF 20260915

static int group_setup(void **state)
{
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    return 0;
}

static void make_id(char out[19], int ymd, int sequence)
{
    snprintf(out, 19, "140521%08d%03d", ymd, sequence);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

static int run(struct tu_fx *fx, const char *actor, struct match_result *res, struct outcome *o)
{
    struct match_options opt = {.as_of = AS_OF, .actor = actor};
    struct school_calendar def = SCHOOL_CALENDAR_DEFAULT;
    opt.cal = def;
    outcome_reset(o);
    return match_run(fx->s, &opt, res, o);
}

static void run_ok(struct tu_fx *fx, struct match_result *res)
{
    struct outcome o = OUTCOME_INIT;
    if (run(fx, "test", res, &o) != 0)
        fail_msg("match_run: %s", o.msg.buf);
    assert_int_equal(o.kind, OUT_OK);
    assert_true(res->run_id > 0);
    outcome_release(&o);
}

/* What a child (by name, in the run's register) got in run `run_id`: 1 found, 0 not. */
static int entry_of(struct tu_fx *fx, int64_t run_id, const char *name, struct run_status_entry *e,
                    struct buf *detail)
{
    struct run_info ri;
    struct outcome o = OUTCOME_INIT;
    if (run_info_load(fx->s, run_id, &ri, &o) < 0)
        fail_msg("run_info_load: %s", o.msg.buf);
    outcome_release(&o);
    char b[24];
    snprintf(b, sizeof(b), "%lld", (long long)ri.population_batch);
    const char *p[] = {b, name};
    int64_t rec = 0;
    if (store_int(fx->s,
                  "SELECT coalesce(min(id), 0) FROM record WHERE batch_id = $1 AND name = $2", 2, p,
                  &rec) < 0 ||
        !rec)
        return 0;
    int rc = run_child_status(fx->s, &ri, rec, e, detail);
    assert_true(rc >= 0);
    return rc;
}

/* The status a child (by name) got in run `run_id`. */
static char *status_of(struct tu_fx *fx, int64_t run_id, const char *name)
{
    struct run_status_entry e;
    struct buf d = BUF_INIT;
    int rc = entry_of(fx, run_id, name, &e, &d);
    buf_release(&d);
    return rc == 1 ? xstrdup(status_key(e.st)) : NULL;
}

static char *detail_of(struct tu_fx *fx, int64_t run_id, const char *name)
{
    struct run_status_entry e;
    struct buf d = BUF_INIT;
    int rc = entry_of(fx, run_id, name, &e, &d);
    char *out = rc == 1 ? xstrdup(d.buf) : NULL;
    buf_release(&d);
    return out;
}

/* The school name of the record a child's status rests on. */
static char *school_of(struct tu_fx *fx, int64_t run_id, const char *name)
{
    struct run_status_entry e;
    struct buf d = BUF_INIT;
    int rc = entry_of(fx, run_id, name, &e, &d);
    buf_release(&d);
    if (rc != 1 || !e.school_record)
        return NULL;
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)e.school_record);
    return tu_text(fx->s, "SELECT school_name FROM record WHERE id = $1", r, NULL);
}

struct tally {
    long n, by[ST__COUNT];
    int64_t last;
    bool ordered;
};

static int tally_one(void *arg, const struct run_status_entry *e)
{
    struct tally *t = arg;
    t->ordered = t->ordered && e->record_id > t->last;
    t->last = e->record_id;
    t->n++;
    t->by[e->st]++;
    return 0;
}

static void status_is(struct tu_fx *fx, int64_t run_id, const char *name, const char *expect)
{
    char *st = status_of(fx, run_id, name);
    char got[64];
    snprintf(got, sizeof(got), "%s", st ? st : "(none)");
    free(st);
    if (strcmp(got, expect))
        fail_msg("%s: status %s, expected %s", name, got, expect);
}

/* ---- the fixture county ---- */

struct child {
    const char *name;
    int birth;
    const char *reg;    /* 户籍状态 */
    const char *expect; /* status key */
};

static const struct child children[] = {
    {"甲", 20180101, "迁出", "inactive"}, /* has an active 学籍 too */
    {"乙", 20210301, "正常", "not_yet_school_age"},
    {"丙", 20180501, "正常", "enrolled"},
    {"丁", 20170501, "正常", "enrolled_elsewhere"},
    {"戊", 20090501, "正常", "beyond_age"},
    {"己", 20110501, "正常", "completed"},
    {"庚", 20160501, "正常", "suspended"},
    {"辛", 20130501, "正常", "dropped_out"},
    {"壬", 20150501, "正常", "not_enrolled"},
    {"癸", 20180601, "正常", "enrolled"},     /* 转出 then 在读 */
    {"子", 20180701, "", "enrolled"},         /* 在读 then 转出; blank status is normal */
    {"丑", 20170801, "正常", "not_enrolled"}, /* 转出 only */
    {"卯", 20100501, "正常", "enrolled"},     /* 16, but still in school */
    {"巳", 20160901, "死亡", "inactive"},
};

static void child_id(const char *name, char out[19])
{
    for (size_t i = 0; i < ARRAY_SIZE(children); i++)
        if (!strcmp(children[i].name, name)) {
            make_id(out, children[i].birth, 101 + 2 * (int)i);
            return;
        }
    fail_msg("no child %s", name);
}

static void load_county(struct tu_fx *fx)
{
    struct buf pop = BUF_INIT, enr = BUF_INIT, out = BUF_INIT;
    char id[19];

    buf_adds(&pop, "姓名,身份证号,出生日期,户籍状态\n");
    for (size_t i = 0; i < ARRAY_SIZE(children); i++) {
        child_id(children[i].name, id);
        buf_addf(&pop, "%s,%s,%d,%s\n", children[i].name, id, children[i].birth, children[i].reg);
    }
    /* a child without a usable ID cannot be linked */
    buf_adds(&pop, "辰,,2015-03-03,正常\n");
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop.buf);

    static const struct {
        const char *name, *school, *grade, *status;
    } rows[] = {
        {"甲", "龙港一小", "二年级", "在读"}, {"丙", "龙港一小", "三年级", "在读"},
        {"己", "龙港中学", "九年级", "毕业"}, {"庚", "郑庄小学", "五年级", "休学"},
        {"辛", "龙港中学", "七年级", "辍学"}, {"癸", "甲校", "三年级", "转出"},
        {"癸", "乙校", "三年级", "在读"},     {"子", "丙校", "三年级", "在读"},
        {"子", "丁校", "三年级", "转出"},     {"丑", "戊校", "四年级", "转出"},
        {"卯", "龙港中学", "九年级", "在读"},
    };
    buf_adds(&enr, "姓名,身份证号,学校名称,年级,学籍状态\n");
    for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
        child_id(rows[i].name, id);
        buf_addf(&enr, "%s,%s,%s,%s,%s\n", rows[i].name, id, rows[i].school, rows[i].grade,
                 rows[i].status);
    }
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr.buf);

    child_id("丁", id);
    buf_addf(&out, "姓名,身份证号,学校名称,学校所在地区\n丁,%s,太原市第五中学,山西省太原市\n", id);
    tu_import_text(fx, KIND_OUTSIDE, "out.csv", out.buf);
    buf_release(&pop);
    buf_release(&enr);
    buf_release(&out);
}

/* ---- tests ---- */

/* Import a 户籍 list and a 学籍 list written as CSV text, and free the texts. */
static void import_lists(struct tu_fx *fx, struct buf *pop, struct buf *enr)
{
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop->buf);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr->buf);
    buf_release(pop);
    buf_release(enr);
}

static void test_statuses(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    struct match_result res;
    run_ok(fx, &res);

    for (size_t i = 0; i < ARRAY_SIZE(children); i++)
        status_is(fx, res.run_id, children[i].name, children[i].expect);
    status_is(fx, res.run_id, "辰", "not_enrolled");

    assert_int_equal(res.school_year, 2026);
    assert_int_equal(res.cutoff, 20260831);
    assert_int_equal(res.population, 15);
    assert_int_equal(res.counts[ST_ENROLLED], 4);
    assert_int_equal(res.counts[ST_ENROLLED_ELSEWHERE], 1);
    assert_int_equal(res.counts[ST_NOT_ENROLLED], 3);
    assert_int_equal(res.counts[ST_DROPPED_OUT], 1);
    assert_int_equal(res.counts[ST_SUSPENDED], 1);
    assert_int_equal(res.counts[ST_COMPLETED], 1);
    assert_int_equal(res.counts[ST_NOT_YET], 1);
    assert_int_equal(res.counts[ST_BEYOND], 1);
    assert_int_equal(res.counts[ST_INACTIVE], 2);
    /* 甲 丙 丁 己 庚 辛 丑 卯 once, 癸 and 子 twice */
    assert_int_equal(res.links, 12);
    assert_true(res.population_batch > 0 && res.enrollment_batch > 0 && res.outside_batch > 0);

    char rid[24];
    snprintf(rid, sizeof(rid), "%lld", (long long)res.run_id);
    /* all twelve are exact-ID links: implied by the IDs, not stored row by row */
    assert_int_equal(res.by_method[LKM_ID_EXACT], 12);
    assert_int_equal(res.review, 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM link WHERE run_id = $1", rid), 0);
    /* every child in the compact store, in record order; rows only for those to act on */
    struct tally ty = {.ordered = true};
    assert_int_equal(run_status_each(fx->s, res.run_id, tally_one, &ty), 0);
    assert_int_equal(ty.n, 15);
    assert_true(ty.ordered);
    assert_int_equal(ty.by[ST_ENROLLED], 4);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM child_status WHERE run_id = $1", rid),
                     ty.by[ST_NOT_ENROLLED] + ty.by[ST_DROPPED_OUT] + ty.by[ST_SUSPENDED] +
                         ty.by[ST_PENDING_REVIEW]);
    /* each row carries its register record's township (here none: test_township_on_rows) */
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM child_status cs JOIN record r"
                            " ON r.id = cs.record_id WHERE cs.run_id = $1"
                            " AND cs.township_code IS NOT DISTINCT FROM r.township_code",
                            rid),
                     tu_int(fx->s, "SELECT count(*) FROM child_status WHERE run_id = $1", rid));
    /* and the counts by township add up to the same */
    assert_int_equal(tu_int(fx->s, "SELECT sum(n) FROM run_count WHERE run_id = $1", rid), 15);
    assert_int_equal(
        tu_int(fx->s, "SELECT sum(n) FROM run_count WHERE run_id = $1 AND status = 'enrolled'",
               rid),
        4);

    /* the stored counts add up to the population, with the links by method and the model */
    char *counts = tu_text(fx->s, "SELECT counts FROM match_run WHERE id = $1", rid, NULL);
    assert_non_null(counts);
    assert_non_null(
        strstr(counts,
               "{\"enrolled\":4,\"enrolled_elsewhere\":1,\"not_enrolled\":3,"
               "\"dropped_out\":1,\"suspended\":1,\"pending_review\":0,\"completed\":1,"
               "\"not_yet_school_age\":1,\"beyond_age\":1,\"inactive\":2,"
               "\"enrolled_nonlocal\":0,\"population\":15,\"links\":{\"id_exact\":12,\"id_typo\":0,"
               "\"fuzzy\":0,\"reviewed\":0},\"review\":0,\"model\":{"));
    free(counts);
    long sum = 0;
    for (int s = 0; s < ST__COUNT; s++)
        sum += res.counts[s];
    assert_int_equal(sum, res.population);

    /* the 在读 record decides, whichever comes first */
    char *school = school_of(fx, res.run_id, "癸");
    assert_non_null(school);
    assert_string_equal(school, "乙校");
    free(school);
    school = school_of(fx, res.run_id, "子");
    assert_non_null(school);
    assert_string_equal(school, "丙校");
    free(school);

    /* age and expected grade on the cutoff */
    struct run_status_entry e;
    struct buf dt = BUF_INIT;
    assert_int_equal(entry_of(fx, res.run_id, "丙", &e, &dt), 1);
    assert_int_equal(e.age, 8);
    assert_int_equal(e.grade, 3);
    buf_release(&dt);

    char *d = detail_of(fx, res.run_id, "丙");
    assert_string_equal(d, "在龙港一小就读三年级，学籍状态在读");
    free(d);
    d = detail_of(fx, res.run_id, "丁");
    assert_non_null(strstr(d, "太原市第五中学（山西省太原市）"));
    free(d);
    d = detail_of(fx, res.run_id, "丑");
    assert_non_null(strstr(d, "转出"));
    free(d);
    d = detail_of(fx, res.run_id, "甲");
    assert_non_null(strstr(d, "迁出"));
    free(d);
    d = detail_of(fx, res.run_id, "辰");
    assert_non_null(strstr(d, "没有可用的身份证号"));
    free(d);
}

/* Everything a run stored, as one string. */
static char *run_snapshot(struct tu_fx *fx, int64_t run_id)
{
    char rid[24];
    snprintf(rid, sizeof(rid), "%lld", (long long)run_id);
    char *a = tu_text(fx->s,
                      "SELECT group_concat(x, '|') FROM (SELECT record_id || ',' || status || ','"
                      " || coalesce(age, '') || ',' || coalesce(expected_grade, '') || ',' ||"
                      " coalesce(school_record, '') || ',' || detail AS x FROM child_status"
                      " WHERE run_id = $1 UNION ALL SELECT first_record || ',' || hex(data)"
                      " FROM run_status WHERE run_id = $1 UNION ALL SELECT township_code ||"
                      " township || status || n FROM run_count WHERE run_id = $1 ORDER BY 1)",
                      rid, NULL);
    char *b = tu_text(fx->s,
                      "SELECT coalesce(group_concat(x, '|'), '') FROM (SELECT population_record"
                      " || ',' || other_record || ',' || explanation AS x FROM link"
                      " WHERE run_id = $1 UNION ALL SELECT population_record || ',' ||"
                      " other_record || ',' || decision FROM candidate WHERE run_id = $1"
                      " ORDER BY 1)",
                      rid, NULL);
    char *c = tu_text(fx->s,
                      "SELECT as_of || cutoff || population_batch || enrollment_batch || counts"
                      " FROM match_run WHERE id = $1",
                      rid, NULL);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    char *all = xstrfmt("%s\n%s\n%s", a, b, c);
    free(a);
    free(b);
    free(c);
    return all;
}

static void test_later_run_keeps_earlier(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    struct match_result r1, r2, r3;
    run_ok(fx, &r1);
    char *before = run_snapshot(fx, r1.run_id);
    assert_int_equal(r1.previous_run, 0); /* the first run: nothing to compare with */
    struct buf said = BUF_INIT;
    match_describe(&r1, &said);
    assert_null(strstr(said.buf, "更新的名单"));
    assert_null(strstr(said.buf, "没有导入新的名单"));

    /* a new 学籍 snapshot in which 壬 is now at school */
    char id[19];
    child_id("壬", id);
    struct buf enr = BUF_INIT;
    buf_addf(&enr, "姓名,身份证号,学校名称,年级,学籍状态\n壬,%s,龙港二小,六年级,在读\n", id);
    tu_import_text(fx, KIND_ENROLLMENT, "enr2.csv", enr.buf);
    run_ok(fx, &r2);
    assert_true(r2.run_id > r1.run_id);
    assert_true(r2.enrollment_batch > r1.enrollment_batch);
    assert_int_equal(r2.population_batch, r1.population_batch);
    status_is(fx, r2.run_id, "壬", "enrolled");
    status_is(fx, r2.run_id, "丙", "not_enrolled"); /* no longer in the latest 学籍 */
    status_is(fx, r1.run_id, "壬", "not_enrolled");
    /* what changed since run 1: the 学籍 list, and the run says which */
    assert_int_equal(r2.previous_run, r1.run_id);
    assert_int_equal(r2.lists_new, 1u << KIND_ENROLLMENT);
    buf_reset(&said);
    match_describe(&r2, &said);
    char *which = xstrfmt("与第 %lld 次比对相比，更新的名单：学籍名单（第 %lld 批）",
                          (long long)r1.run_id, (long long)r2.enrollment_batch);
    assert_non_null(strstr(said.buf, which));
    assert_null(strstr(said.buf, "没有导入新的名单"));
    free(which);

    /* the same inputs again: a new run, the old ones untouched; it says no list changed */
    run_ok(fx, &r3);
    assert_true(r3.run_id > r2.run_id);
    assert_int_equal(r3.previous_run, r2.run_id);
    assert_int_equal(r3.lists_new, 0);
    buf_reset(&said);
    match_describe(&r3, &said);
    which = xstrfmt("自第 %lld 次比对以来没有导入新的名单", (long long)r2.run_id);
    assert_non_null(strstr(said.buf, which));
    free(which);
    buf_release(&said);

    char *after = run_snapshot(fx, r1.run_id);
    assert_string_equal(after, before);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM match_run", NULL), 3);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'match'", NULL), 3);
    free(before);
    free(after);
    buf_release(&enr);
}

static void test_missing_batches(void **state)
{
    struct tu_fx *fx = *state;
    struct match_result res;
    struct outcome o = OUTCOME_INIT;

    assert_int_equal(run(fx, "test", &res, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_non_null(strstr(o.msg.buf, "户籍"));
    assert_int_equal(res.population_batch, 0); /* what the front end's hint goes by */

    char id[19];
    make_id(id, 20180101, 101);
    char *pop = xstrfmt("姓名,身份证号\n甲,%s\n", id);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop);
    free(pop);
    assert_int_equal(run(fx, "test", &res, &o), -1);
    assert_int_equal(o.kind, OUT_INVALID);
    assert_non_null(strstr(o.msg.buf, "学籍"));
    assert_null(strstr(o.msg.buf, "enrollment")); /* the list by name, not by key */
    assert_true(res.population_batch > 0);
    assert_int_equal(res.enrollment_batch, 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM match_run", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM child_status", NULL), 0);
    outcome_release(&o);
}

/* Without an outside list the run still works; nobody is enrolled elsewhere. */
static void test_no_outside_list(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19];
    make_id(a, 20180101, 101);
    make_id(b, 20170101, 103);
    char *pop = xstrfmt("姓名,身份证号\n甲,%s\n乙,%s\n", a, b);
    char *enr = xstrfmt("姓名,身份证号,学校名称,学籍状态\n甲,%s,龙港一小,在读\n", a);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr);
    struct match_result res;
    run_ok(fx, &res);
    assert_int_equal(res.outside_batch, 0);
    assert_int_equal(res.population, 2);
    assert_int_equal(res.counts[ST_ENROLLED], 1);
    assert_int_equal(res.counts[ST_NOT_ENROLLED], 1);
    assert_int_equal(res.links, 1);
    status_is(fx, res.run_id, "乙", "not_enrolled");
    free(pop);
    free(enr);
}

/*
 * A baby born after the cutoff (2026-09-05, cutoff 2026-08-31, as of 2026-09-15) is on the
 * police register; age_on() gives -1 for them, which decide() reads as "birth unknown", so the
 * baby comes out as not_enrolled (an out-of-school child) instead of not_yet_school_age.
 */
static void test_born_after_cutoff(void **state)
{
    struct tu_fx *fx = *state;
    char baby[19], pupil[19];
    make_id(baby, 20260905, 101);
    make_id(pupil, 20180101, 103);
    char *pop = xstrfmt("姓名,身份证号\n婴儿,%s\n学生,%s\n", baby, pupil);
    char *enr = xstrfmt("姓名,身份证号,学校名称,学籍状态\n学生,%s,龙港一小,在读\n", pupil);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr);
    free(pop);
    free(enr);
    struct match_result res;
    run_ok(fx, &res);
    status_is(fx, res.run_id, "学生", "enrolled");
    status_is(fx, res.run_id, "婴儿", "not_yet_school_age");
    assert_int_equal(res.counts[ST_NOT_ENROLLED], 0);
}

/* match_options.actor is optional like import's: a NULL actor must not fail the run. */
static void test_no_actor(void **state)
{
    struct tu_fx *fx = *state;
    char a[19];
    make_id(a, 20180101, 101);
    char *pop = xstrfmt("姓名,身份证号\n甲,%s\n", a);
    char *enr = xstrfmt("姓名,身份证号,学校名称,学籍状态\n甲,%s,龙港一小,在读\n", a);
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr);
    free(pop);
    free(enr);
    struct match_result res;
    struct outcome o = OUTCOME_INIT;
    int rc = run(fx, NULL, &res, &o);
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", o.msg.buf);
    outcome_release(&o);
    if (rc != 0)
        fail_msg("match_run without an actor failed: %s", msg);
    assert_int_equal(res.counts[ST_ENROLLED], 1);
}

/*
 * Two children nobody can tell apart from a record without an ID: the record waits for a
 * clerk. A record saying 在读 keeps them both off the out-of-school list meanwhile (a desk check
 * before a door knock); one saying 辍学 would leave its child out of school even when accepted,
 * so it keeps nobody off the list.
 */
static void test_review_holds_only_records_in_school(void **state)
{
    struct tu_fx *fx = *state;
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    buf_adds(&pop, "姓名,身份证号,出生日期,性别\n");
    buf_adds(&enr, "姓名,身份证号,出生日期,性别,学籍状态,学校名称\n");
    static const char *const given[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    for (int i = 0; i < 40; i++) {
        char id[19];
        int birth = 20140101 + (i % 12) * 100 + i % 28;
        make_id(id, birth, 101 + 2 * i);
        char date[16];
        snprintf(date, sizeof(date), "%04d-%02d-%02d", birth / 10000, birth / 100 % 100,
                 birth % 100);
        buf_addf(&pop, "孙%s%s,%s,%s,男\n", given[i % 10], given[i / 10], id, date);
        buf_addf(&enr, "孙%s%s,%s,%s,男,在读,龙港小学\n", given[i % 10], given[i / 10], id, date);
    }
    char a[19], b[19], c[19], d[19];
    make_id(a, 20150505, 201);
    make_id(b, 20150505, 203);
    make_id(c, 20160606, 205);
    make_id(d, 20160606, 207);
    buf_addf(&pop, "张伟,%s,2015-05-05,男\n张伟,%s,2015-05-05,男\n", a, b);
    buf_addf(&pop, "李强,%s,2016-06-06,男\n李强,%s,2016-06-06,男\n", c, d);
    buf_adds(&enr, "张伟,,2015-05-05,男,在读,龙港小学\n李强,,2016-06-06,男,辍学,龙港小学\n");
    import_lists(fx, &pop, &enr);
    struct match_result res;
    run_ok(fx, &res);
    assert_int_equal(res.review, 2);
    assert_int_equal(res.counts[ST_PENDING_REVIEW], 2);
    char *st = status_of(fx, res.run_id, "张伟");
    assert_string_equal(st, "pending_review");
    free(st);
    st = status_of(fx, res.run_id, "李强");
    assert_string_equal(st, "not_enrolled");
    free(st);
    /* the record in review may be a register child's: not a pupil without 户籍 (yet) */
    assert_int_equal(res.counts[ST_ENROLLED_NONLOCAL], 0);
}

/* The status of the 学籍 record of `name` (a pupil in no register here), its ID's origin and
 * township: "enrolled_nonlocal|local|140521100" */
static char *pupil_of(struct tu_fx *fx, int64_t run_id, const char *name)
{
    char r[24];
    snprintf(r, sizeof(r), "%lld", (long long)run_id);
    return tu_text(fx->s,
                   "SELECT cs.status || '|' || np.id_origin || '|' || np.township_code"
                   " FROM child_status cs JOIN record e ON e.id = cs.record_id"
                   " JOIN nonlocal_pupil np ON np.run_id = cs.run_id AND np.record_id = e.id"
                   " WHERE cs.run_id = $1 AND e.name = $2",
                   r, name);
}

/* A run's child_status row carries the township of the child's register record, the key of a
 * township's list; a pupil in no register here has none there (nonlocal_pupil's is used). */
static void test_township_on_rows(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19], c[19];
    make_id(a, 20180101, 111);
    make_id(b, 20170202, 113);
    make_id(c, 20180303, 115);
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    buf_addf(&pop,
             "姓名,身份证号,出生日期,乡镇\n赵一,%s,2018-01-01,龙港镇\n"
             "钱二,%s,2017-02-02,郑庄镇\n",
             a, b);
    buf_addf(&enr,
             "姓名,身份证号,出生日期,学校名称,年级,学籍状态\n"
             "孙三,%s,2018-03-03,龙港一小,三年级,在读\n",
             c);
    import_lists(fx, &pop, &enr);
    struct match_result res;
    run_ok(fx, &res);
    assert_int_equal(res.counts[ST_NOT_ENROLLED], 2);
    char rid[24];
    snprintf(rid, sizeof(rid), "%lld", (long long)res.run_id);
    char *t =
        tu_text(fx->s,
                "SELECT group_concat(x, ';') FROM (SELECT r.name || '|' || cs.status || '|' ||"
                " coalesce(cs.township_code, '-') || '|' || coalesce(r.township_code, '-')"
                " AS x FROM child_status cs JOIN record r ON r.id = cs.record_id"
                " WHERE cs.run_id = $1 ORDER BY r.name) y",
                rid, NULL);
    assert_non_null(t);
    assert_string_equal(t, "孙三|enrolled_nonlocal|-|-;赵一|not_enrolled|140521100|140521100;"
                           "钱二|not_enrolled|140521102|140521102");
    free(t);
}

/*
 * Active 学籍 records that match nobody in the register are pupils of the county all the same
 * (随迁子女, or children the police do not know): kept with the status enrolled_nonlocal, in the
 * township of their school, with where their ID comes from; not the ones who left (转出, 辍学).
 */
static void test_unmatched_pupils_kept(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19], local[19], other[19], gone[19];
    make_id(a, 20180101, 101);
    make_id(b, 20170202, 103);
    make_id(local, 20180303, 105);
    snprintf(other, sizeof(other), "11010120180404%03d", 107);
    other[17] = id_check_char(other);
    other[18] = '\0';
    make_id(gone, 20160505, 109);
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    buf_addf(&pop,
             "姓名,身份证号,出生日期,乡镇\n赵一,%s,2018-01-01,龙港镇\n钱二,%s,2017-02-02,"
             "郑庄镇\n",
             a, b);
    buf_addf(&enr,
             "姓名,身份证号,出生日期,学校名称,年级,学籍状态\n"
             "赵一,%s,2018-01-01,龙港一小,三年级,在读\n"
             "钱二,%s,2017-02-02,郑庄小学,四年级,在读\n"
             "孙三,%s,2018-03-03,龙港一小,三年级,在读\n"
             "李四,%s,2018-04-04,龙港一小,三年级,在读\n"
             "周五,,2018-05-05,山村小学,二年级,在读\n"
             "吴六,%s,2016-05-05,郑庄小学,五年级,转出\n",
             a, b, local, other, gone);
    import_lists(fx, &pop, &enr);
    struct match_result res;
    run_ok(fx, &res);
    assert_int_equal(res.population, 2);
    assert_int_equal(res.counts[ST_ENROLLED], 2);
    assert_int_equal(res.counts[ST_ENROLLED_NONLOCAL], 3);

    /* the ID of this county, another county's, none; the township of the school's pupils
     * (龙港一小: 赵一 of 龙港镇), or none when no pupil of the school is on the register */
    char *p = pupil_of(fx, res.run_id, "孙三");
    assert_string_equal(p, "enrolled_nonlocal|local|140521100");
    free(p);
    p = pupil_of(fx, res.run_id, "李四");
    assert_string_equal(p, "enrolled_nonlocal|other|140521100");
    free(p);
    p = pupil_of(fx, res.run_id, "周五");
    assert_string_equal(p, "enrolled_nonlocal|none|");
    free(p);
    assert_null(pupil_of(fx, res.run_id, "吴六"));

    char rid[24];
    snprintf(rid, sizeof(rid), "%lld", (long long)res.run_id);
    /* counted by township beside the register's children */
    assert_int_equal(tu_int(fx->s,
                            "SELECT sum(n) FROM run_count WHERE run_id = $1"
                            " AND status = 'enrolled_nonlocal' AND township_code = '140521100'",
                            rid),
                     2);
    assert_int_equal(tu_int(fx->s, "SELECT sum(n) FROM run_count WHERE run_id = $1", rid), 5);

    /* one such pupil read like a child of the run: status, age, school, the explanation */
    int64_t rec = tu_int(fx->s, "SELECT id FROM record WHERE name = '孙三' AND $1 <> ''", rid);
    struct run_info ri;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(run_info_load(fx->s, res.run_id, &ri, &o), 0);
    struct run_status_entry e;
    struct buf d = BUF_INIT;
    assert_int_equal(run_child_status(fx->s, &ri, rec, &e, &d), 1);
    assert_int_equal(e.st, ST_ENROLLED_NONLOCAL);
    assert_int_equal(e.age, 8);
    assert_int_equal(e.school_record, rec);
    assert_non_null(strstr(d.buf, "在龙港一小就读三年级"));
    assert_non_null(strstr(d.buf, "学籍身份证号属本县"));
    buf_release(&d);
    outcome_release(&o);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_statuses),
        T(test_later_run_keeps_earlier),
        T(test_missing_batches),
        T(test_no_outside_list),
        T(test_born_after_cutoff),
        T(test_no_actor),
        T(test_review_holds_only_records_in_school),
        T(test_unmatched_pupils_kept),
        T(test_township_on_rows),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
