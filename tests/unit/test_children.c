#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <unistd.h>

#include "casework/casework.h"
#include "core/idcard.h"
#include "domain/children.h"
#include "domain/match.h"
#include "domain/status.h"
#include "ingest/import.h"
#include "render/table.h"
#include "report/reports.h"
#include "store/store.h"

#include "testutil.h"

/*
 * domain/children: the children of the latest run read through a scope, with its filters,
 * pages and the masked view, and one child's record. Every test gets a fresh database with the
 * county below imported and matched as of 2026-09-15 (school year 2026, cutoff 2026-08-31).
 *
 *   郑庄镇 (140521102)  王一 东村 enrolled (郑庄小学 S1)    王二 东村 not_enrolled
 *                      王三 西村 not_enrolled              王四 西村 dropped_out (郑庄中学 S2)
 *   龙港镇 (140521100)  李一 南村 enrolled (龙港小学 S3)    李二 南村 not_enrolled
 *                      李三 北村 dropped_out (龙港中学 S4) 李四 南村 not_yet_school_age
 */

#define ZHENGZHUANG "140521102"
#define LONGGANG    "140521100"

static const struct kid {
    const char *name, *birth, *township, *village;
    const char *school, *code, *status; /* the 学籍 row, NULL none */
} kids[] = {
    {"王一", "2015-03-04", "郑庄镇", "东村", "郑庄小学", "S1", "在读"},
    {"王二", "2016-04-05", "郑庄镇", "东村", NULL, NULL, NULL},
    {"王三", "2014-05-06", "郑庄镇", "西村", NULL, NULL, NULL},
    {"王四", "2013-06-07", "郑庄镇", "西村", "郑庄中学", "S2", "辍学"},
    {"李一", "2015-07-08", "龙港镇", "南村", "龙港小学", "S3", "在读"},
    {"李二", "2016-08-09", "龙港镇", "南村", NULL, NULL, NULL},
    {"李三", "2012-09-10", "龙港镇", "北村", "龙港中学", "S4", "辍学"},
    {"李四", "2021-01-01", "龙港镇", "南村", NULL, NULL, NULL},
};

static void kid_id(size_t i, char out[19])
{
    int y, m, d;
    char digits[64];
    sscanf(kids[i].birth, "%d-%d-%d", &y, &m, &d);
    snprintf(digits, sizeof(digits), "140521%04d%02d%02d%03d", y, m, d, 101 + 2 * (int)i);
    memcpy(out, digits, 17);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

/* ---- the library calls, in one place (their signatures change with the error convention) -- */

static void run_casework(struct tu_fx *fx, int64_t run_id)
{
    struct casework_summary cw;
    struct outcome o = OUTCOME_INIT;
    if (casework_after_match(fx->s, run_id, "test", &cw, &o) != 0)
        fail_msg("casework_after_match: %s", o.msg.buf);
    outcome_release(&o);
}

/* The outcome's kind, its message copied to err. */
static enum outcome_kind took(struct outcome *o, struct buf *err)
{
    enum outcome_kind kind = o->kind;
    if (err && o->msg.len)
        buf_add(err, o->msg.buf, o->msg.len);
    outcome_release(o);
    return kind;
}

/* children_list: OUT_OK and the page in *out, or the refusal's kind (message in err). */
static enum outcome_kind list(struct tu_fx *fx, const struct scope *sc,
                              const struct child_query *cq, json_t **out, struct buf *err)
{
    struct buf text = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    buf_reset(err);
    *out = NULL;
    if (children_list(fx->s, sc, cq, &text, &o) == 0) {
        assert_int_equal(o.kind, OUT_OK);
        json_error_t je;
        *out = json_loadb(text.buf, text.len, 0, &je);
        if (!*out)
            fail_msg("children_list wrote no JSON: %s (%s)", je.text, text.buf);
    } else {
        assert_int_not_equal(o.kind, OUT_OK);
        assert_true(o.msg.len > 0);
    }
    buf_release(&text);
    return took(&o, err);
}

static json_t *get(struct tu_fx *fx, const struct scope *sc, int64_t id, bool full,
                   enum outcome_kind *kind, struct buf *err)
{
    struct outcome o = OUTCOME_INIT;
    buf_reset(err);
    json_t *j = child_get(fx->s, sc, id, full, &o);
    *kind = took(&o, err);
    return j;
}

static bool reach(struct tu_fx *fx, const struct scope *sc, int64_t id, enum outcome_kind *kind)
{
    struct outcome o = OUTCOME_INIT;
    bool ok = child_reach(fx->s, sc, id, &o);
    *kind = took(&o, NULL);
    return ok;
}

static json_t *filters(struct tu_fx *fx, const struct scope *sc, enum outcome_kind *kind)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = children_filters(fx->s, sc, &o);
    *kind = took(&o, NULL);
    return j;
}

/* children_table: 0 and the table, or -1 (*refused: the input, not the store). */
static int export(struct tu_fx *fx, const struct scope *sc, const struct child_query *cq,
                  struct report_table *t, bool *refused)
{
    struct outcome o = OUTCOME_INIT;
    int rc = children_table(fx->s, sc, cq, "测试", t, &o);
    *refused = rc < 0 && o.kind == OUT_INVALID;
    outcome_release(&o);
    return rc;
}

/* ---- the county ---- */

static const struct scope county = {.user_id = 1, .user = "county", .role = ROLE_COUNTY};
static const struct scope supervisor = {.user_id = 2, .user = "sup", .role = ROLE_SUPERVISOR};
static const struct scope zhengzhuang = {
    .user_id = 3, .user = "zz", .role = ROLE_TOWNSHIP, .township = ZHENGZHUANG};
static const struct scope school_s2 = {
    .user_id = 4, .user = "s2", .role = ROLE_SCHOOL, .school = "S2", .school_name = "郑庄中学"};
static const struct scope police = {
    .user_id = 5, .user = "pol", .role = ROLE_DEPARTMENT, .department = "police"};

static int64_t load_county(struct tu_fx *fx)
{
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0);
    struct buf pop = BUF_INIT, enr = BUF_INIT;
    char id[19];
    buf_adds(&pop, "姓名,性别,身份证号,出生日期,乡镇,村,户籍状态,联系电话\n");
    buf_adds(&enr, "学校名称,学校标识码,年级,姓名,身份证件号,学籍状态\n");
    for (size_t i = 0; i < ARRAY_SIZE(kids); i++) {
        kid_id(i, id);
        buf_addf(&pop, "%s,男,%s,%s,%s,%s,正常,1380000%04zu\n", kids[i].name, id, kids[i].birth,
                 kids[i].township, kids[i].village, i);
        if (kids[i].school)
            buf_addf(&enr, "%s,%s,三年级,%s,%s,%s\n", kids[i].school, kids[i].code, kids[i].name,
                     id, kids[i].status);
    }
    tu_import_text(fx, KIND_POPULATION, "pop.csv", pop.buf);
    tu_import_text(fx, KIND_ENROLLMENT, "enr.csv", enr.buf);
    buf_release(&pop);
    buf_release(&enr);
    return tu_match(fx, 20260915);
}

/* The population record of a child, by name. */
static int64_t record_of(struct tu_fx *fx, const char *name)
{
    int64_t id = tu_int(fx->s,
                        "SELECT coalesce(min(r.id), 0) FROM record r JOIN batch b"
                        " ON b.id = r.batch_id WHERE b.kind = 'population' AND r.name = $1",
                        name);
    assert_true(id > 0);
    return id;
}

static struct child_query query(int status)
{
    return (struct child_query){.status = status, .page = 1, .per_page = 50};
}

/* "王二,王三" — the names of a page, in its order; *total the list's total. */
static char *names_of(json_t *page, int64_t *total)
{
    struct buf b = BUF_INIT;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(page, "items"), i, it)
        buf_addf(&b, "%s%s", b.len ? "," : "", json_string_value(json_object_get(it, "name")));
    if (total)
        *total = json_integer_value(json_object_get(page, "total"));
    return buf_detach(&b, NULL);
}

/* The list for sc and cq must be `expect` (names in order) with `expect_total`. */
static void list_is(struct tu_fx *fx, const struct scope *sc, const struct child_query *cq,
                    const char *expect, int64_t expect_total)
{
    struct buf err = BUF_INIT;
    json_t *page;
    enum outcome_kind o = list(fx, sc, cq, &page, &err);
    if (o != OUT_OK)
        fail_msg("children_list refused (%d): %s", (int)o, err.buf);
    int64_t total = -1;
    char *got = names_of(page, &total);
    if (strcmp(got, expect) || total != expect_total)
        fail_msg("children_list: [%s] total %lld, expected [%s] total %lld", got, (long long)total,
                 expect, (long long)expect_total);
    free(got);
    json_decref(page);
    buf_release(&err);
}

static enum outcome_kind refused(struct tu_fx *fx, const struct scope *sc,
                                 const struct child_query *cq)
{
    struct buf err = BUF_INIT;
    json_t *page;
    enum outcome_kind o = list(fx, sc, cq, &page, &err);
    json_decref(page);
    buf_release(&err);
    return o;
}

/* ---- tests ---- */

static void test_no_run_yet(void **state)
{
    struct tu_fx *fx = *state;
    struct child_query cq = query(-1);
    assert_int_equal(refused(fx, &county, &cq), OUT_NO_RUN);
    enum outcome_kind o;
    assert_null(filters(fx, &county, &o));
    assert_int_equal(o, OUT_NO_RUN);
    assert_false(reach(fx, &county, 1, &o));
    assert_int_equal(o, OUT_NO_RUN);
}

/* Each scope sees its own children, and nothing tells it that others exist. */
static void test_scope_narrows_the_list(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    struct child_query cq = query(CHILD_SET_SUSPECTED);
    list_is(fx, &county, &cq, "王二,王三,王四,李二,李三", 5);
    list_is(fx, &supervisor, &cq, "王二,王三,王四,李二,李三", 5);
    list_is(fx, &zhengzhuang, &cq, "王二,王三,王四", 3);
    list_is(fx, &school_s2, &cq, "王四", 1);
    /* a department reads only the runs of the lists it uploaded: none here */
    list_is(fx, &police, &cq, "", 0);
    /* a township asking for another township's children gets none */
    cq.township = LONGGANG;
    list_is(fx, &zhengzhuang, &cq, "", 0);
    list_is(fx, &county, &cq, "李二,李三", 2);
    /* the walk over every status, in register order */
    cq = query(-1);
    list_is(fx, &county, &cq, "王一,王二,王三,王四,李一,李二,李三,李四", 8);
    list_is(fx, &zhengzhuang, &cq, "王一,王二,王三,王四", 4);
    list_is(fx, &school_s2, &cq, "王四", 1);
    /* a role without the list */
    struct scope nobody = county;
    nobody.role = ROLE__COUNT;
    assert_int_equal(refused(fx, &nobody, &cq), OUT_FORBIDDEN);
}

static void test_filters(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    struct child_query cq = query(ST_NOT_ENROLLED);
    list_is(fx, &county, &cq, "王二,王三,李二", 3);
    cq = query(ST_DROPPED_OUT);
    list_is(fx, &county, &cq, "王四,李三", 2);
    cq = query(ST_ENROLLED); /* a status without rows: the walk */
    list_is(fx, &county, &cq, "王一,李一", 2);
    cq = query(ST_NOT_YET);
    list_is(fx, &county, &cq, "李四", 1);
    cq = query(CHILD_SET_SCHOOL_AGE);
    list_is(fx, &county, &cq, "王一,王二,王三,王四,李一,李二,李三", 7);
    /* village, on both kinds of list */
    cq = query(CHILD_SET_SUSPECTED);
    cq.village = "西村";
    list_is(fx, &county, &cq, "王三,王四", 2);
    cq = query(-1);
    cq.village = "南村";
    list_is(fx, &county, &cq, "李一,李二,李四", 3);
    /* the deciding record's school */
    cq = query(CHILD_SET_SUSPECTED);
    cq.school = "S4";
    list_is(fx, &county, &cq, "李三", 1);
    cq = query(ST_ENROLLED);
    cq.school = "S1";
    list_is(fx, &county, &cq, "王一", 1);
    /* search: part of a name, an ID's last four, a whole ID (for who may see full IDs) */
    cq = query(CHILD_SET_SUSPECTED);
    cq.q = "王";
    list_is(fx, &county, &cq, "王二,王三,王四", 3);
    cq.q = "%"; /* taken literally */
    list_is(fx, &county, &cq, "", 0);
    char id[19];
    kid_id(2, id); /* 王三 */
    cq.q = id + 14;
    list_is(fx, &county, &cq, "王三", 1);
    cq = query(-1);
    cq.q = id + 14;
    list_is(fx, &county, &cq, "王三", 1);
    cq.q = id;
    list_is(fx, &county, &cq, "王三", 1);
    assert_int_equal(refused(fx, &supervisor, &cq), OUT_INVALID);
    assert_int_equal(refused(fx, &zhengzhuang, &cq), OUT_INVALID);
}

static void test_pages_and_sorts(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    /* pages of 2 over the five suspected children: the total on every page */
    struct child_query cq = query(CHILD_SET_SUSPECTED);
    cq.per_page = 2;
    const char *pages[] = {"王二,王三", "王四,李二", "李三", ""};
    for (int p = 0; p < 4; p++) {
        cq.page = p + 1;
        list_is(fx, &county, &cq, pages[p], 5);
    }
    /* the same over the walk */
    cq = query(-1);
    cq.per_page = 3;
    const char *walk[] = {"王一,王二,王三", "王四,李一,李二", "李三,李四", ""};
    for (int p = 0; p < 4; p++) {
        cq.page = p + 1;
        list_is(fx, &county, &cq, walk[p], 8);
    }
    /* and over a walk with a filter, whose total is counted while walking */
    cq = query(-1);
    cq.per_page = 1;
    cq.page = 2;
    cq.village = "东村";
    list_is(fx, &county, &cq, "王二", 2);
    /* sorts of the lists with rows; the walk is in register order only */
    cq = query(CHILD_SET_SUSPECTED);
    cq.sort = "age"; /* youngest first: 王二 李二 (9), 王三 (12), 王四 (13), 李三 (13) */
    list_is(fx, &county, &cq, "王二,李二,王三,王四,李三", 5);
    cq.sort = "-age";
    list_is(fx, &county, &cq, "王四,李三,王三,王二,李二", 5);
    cq.sort = "village";
    list_is(fx, &county, &cq, "李三,李二,王二,王三,王四", 5);
    cq.sort = "status";
    list_is(fx, &county, &cq, "王四,李三,王二,王三,李二", 5);
    cq.sort = "id_number";
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
    cq = query(-1);
    cq.sort = "age";
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
    /* pages the list does not give */
    cq = query(-1);
    cq.page = 0;
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
    cq = query(-1);
    cq.per_page = 0;
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
    cq.per_page = CHILDREN_PER_PAGE_MAX + 1;
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
    cq.per_page = CHILDREN_PER_PAGE_MAX;
    list_is(fx, &county, &cq, "王一,王二,王三,王四,李一,李二,李三,李四", 8);
}

/* The casework filters apply to the lists of suspected children only. */
static void test_casework_filters(void **state)
{
    struct tu_fx *fx = *state;
    int64_t run = load_county(fx);
    struct child_query cq = query(CHILD_SET_SUSPECTED);
    cq.stage = "verify_open";
    list_is(fx, &county, &cq, "", 0); /* no task yet */
    run_casework(fx, run);
    list_is(fx, &county, &cq, "王二,王三,王四,李二,李三", 5);
    list_is(fx, &zhengzhuang, &cq, "王二,王三,王四", 3);
    cq.stage = "case_open";
    list_is(fx, &county, &cq, "", 0);
    /* overdue: no task is past its deadline today, all are some weeks on */
    cq = query(CHILD_SET_SUSPECTED);
    cq.overdue = true;
    list_is(fx, &county, &cq, "", 0);
    setenv("BAOXUE_TODAY", "2027-06-01", 1);
    list_is(fx, &county, &cq, "王二,王三,王四,李二,李三", 5);
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    cq = query(ST_ENROLLED);
    cq.stage = "verify_open";
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
    cq = query(-1);
    cq.overdue = true;
    assert_int_equal(refused(fx, &county, &cq), OUT_INVALID);
}

/* A list is a masked view: no full ID, no birth date, the age on the cutoff. */
static void test_the_list_is_masked(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t audits = tu_int(fx->s, "SELECT count(*) FROM audit", NULL);
    struct child_query lists[] = {query(CHILD_SET_SUSPECTED), query(-1)};
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
        struct buf err = BUF_INIT;
        json_t *page;
        assert_int_equal(list(fx, &county, &lists[l], &page, &err), OUT_OK);
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(page, "items"), i, it)
        {
            const char *name = json_string_value(json_object_get(it, "name"));
            size_t k = 0;
            while (strcmp(kids[k].name, name))
                k++;
            char id[19];
            kid_id(k, id);
            const char *shown = json_string_value(json_object_get(it, "id_number"));
            assert_non_null(shown);
            assert_string_not_equal(shown, id);
            /* no birth digits */
            char ymd[9];
            memcpy(ymd, id + 6, 8);
            ymd[8] = '\0';
            assert_null(strstr(shown, ymd));
            assert_true(json_is_null(json_object_get(it, "birth_date")));
            assert_true(json_is_integer(json_object_get(it, "age")));
            assert_non_null(json_string_value(json_object_get(it, "status_label")));
        }
        json_decref(page);
        buf_release(&err);
    }
    /* reading a list is no full read */
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit", NULL), audits);
}

static void test_one_child(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    int64_t wang4 = record_of(fx, "王四"), li2 = record_of(fx, "李二");
    char id[19];
    kid_id(3, id);
    struct buf err = BUF_INIT;
    enum outcome_kind o;
    /* masked: the ID masked, no birth date, the phone's middle hidden; not audited */
    int64_t audits = tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'read_full'", NULL);
    json_t *c = get(fx, &zhengzhuang, wang4, false, &o, &err);
    assert_non_null(c);
    assert_int_equal(o, OUT_OK);
    json_t *p = json_object_get(c, "person");
    assert_string_equal(json_string_value(json_object_get(p, "name")), "王四");
    assert_string_not_equal(json_string_value(json_object_get(p, "id_number")), id);
    assert_true(json_is_null(json_object_get(p, "birth_date")));
    assert_string_not_equal(json_string_value(json_object_get(p, "phone")), "13800000003");
    assert_true(json_is_true(json_object_get(c, "masked")));
    assert_string_equal(json_string_value(json_object_get(c, "status")), "dropped_out");
    assert_int_equal(json_integer_value(json_object_get(c, "age")), 13);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(c, "school"), "school_name")),
        "郑庄中学");
    assert_true(json_array_size(json_object_get(c, "sources")) >= 2);
    json_decref(c);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'read_full'", NULL),
                     audits);
    /* full, for who may: the whole ID and birth date, audited */
    c = get(fx, &county, wang4, true, &o, &err);
    assert_non_null(c);
    p = json_object_get(c, "person");
    assert_string_equal(json_string_value(json_object_get(p, "id_number")), id);
    assert_string_equal(json_string_value(json_object_get(p, "birth_date")), "2013-06-07");
    assert_string_equal(json_string_value(json_object_get(p, "phone")), "13800000003");
    assert_true(json_is_false(json_object_get(c, "masked")));
    json_decref(c);
    char target[32];
    snprintf(target, sizeof(target), "record:%lld", (long long)wang4);
    assert_int_equal(tu_int(fx->s,
                            "SELECT count(*) FROM audit WHERE action = 'read_full' AND target = $1"
                            " AND actor = 'county'",
                            target),
                     1);
    /* full, for who may not: refused, nothing read */
    assert_null(get(fx, &zhengzhuang, wang4, true, &o, &err));
    assert_int_equal(o, OUT_FORBIDDEN);
    assert_null(get(fx, &supervisor, wang4, true, &o, &err));
    assert_int_equal(o, OUT_FORBIDDEN);
    /* outside the scope, as an unknown one: not found */
    assert_null(get(fx, &zhengzhuang, li2, false, &o, &err));
    assert_int_equal(o, OUT_NOT_FOUND);
    assert_null(get(fx, &school_s2, record_of(fx, "王三"), false, &o, &err));
    assert_int_equal(o, OUT_NOT_FOUND);
    assert_null(get(fx, &county, 999999, false, &o, &err));
    assert_int_equal(o, OUT_NOT_FOUND);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'read_full'", NULL),
                     audits + 1);
    /* child_reach says the same, without reading */
    assert_true(reach(fx, &zhengzhuang, wang4, &o));
    assert_false(reach(fx, &zhengzhuang, li2, &o));
    assert_int_equal(o, OUT_NOT_FOUND);
    assert_true(reach(fx, &school_s2, wang4, &o));
    assert_false(reach(fx, &police, wang4, &o));
    assert_int_equal(o, OUT_NOT_FOUND);
    buf_release(&err);
}

/* The filter choices: the scope's townships with their villages, and schools. */
static void test_filter_choices(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    enum outcome_kind o;
    json_t *j = filters(fx, &county, &o);
    assert_non_null(j);
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(
        text, "{\"groups\":[{\"key\":\"poverty\",\"label\":\"脱贫户\"},{\"key\":"
              "\"monitored\",\"label\":\"防返贫监测对象\"},{\"key\":\"dibao\",\"label\":"
              "\"低保\"},{\"key\":\"tekun\",\"label\":\"特困供养\"},{\"key\":\"orphan\","
              "\"label\":\"孤儿\"},{\"key\":\"de_facto\",\"label\":\"事实无人抚养儿童\"},"
              "{\"key\":\"disabled\",\"label\":\"残疾儿童\"},{\"key\":\"left_behind\","
              "\"label\":\"留守儿童\"}],"
              "\"schools\":[{\"code\":\"S1\",\"name\":\"郑庄小学\"},{\"code\":\"S2\",\"name\":"
              "\"郑庄中学\"},{\"code\":\"S3\",\"name\":\"龙港小学\"},{\"code\":\"S4\",\"name\":"
              "\"龙港中学\"}],\"townships\":[{\"code\":\"140521100\",\"name\":\"龙港镇\","
              "\"villages\":[\"北村\",\"南村\"]},{\"code\":\"140521102\",\"name\":\"郑庄镇\","
              "\"villages\":[\"东村\",\"西村\"]}]}");
    free(text);
    json_decref(j);
    j = filters(fx, &zhengzhuang, &o);
    assert_int_equal(json_array_size(json_object_get(j, "townships")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "townships"), 0), "code")),
                        ZHENGZHUANG);
    json_decref(j);
    j = filters(fx, &school_s2, &o);
    assert_int_equal(json_array_size(json_object_get(j, "schools")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(j, "schools"), 0), "code")),
                        "S2");
    json_decref(j);
    j = filters(fx, &police, &o);
    assert_int_equal(o, OUT_OK);
    assert_int_equal(json_array_size(json_object_get(j, "townships")), 0);
    assert_int_equal(json_array_size(json_object_get(j, "schools")), 0);
    json_decref(j);
}

/* The export: every child the list shows, in its order, masked. */
static void test_export(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    struct child_query cq = query(CHILD_SET_SUSPECTED);
    cq.per_page = 1; /* ignored: every page */
    struct report_table t;
    bool no;
    assert_int_equal(export(fx, &zhengzhuang, &cq, &t, &no), 0);
    assert_int_equal(t.nrows, 3);
    json_t *j = table_to_json(&t);
    json_t *rows = json_object_get(j, "children");
    assert_int_equal(json_array_size(rows), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "name")),
                        "王四");
    char id[19];
    kid_id(3, id);
    assert_string_not_equal(
        json_string_value(json_object_get(json_array_get(rows, 2), "id_number")), id);
    assert_null(json_object_get(json_array_get(rows, 0), "birth_date"));
    json_decref(j);
    table_release(&t);
    cq.sort = "bogus";
    assert_int_equal(export(fx, &county, &cq, &t, &no), -1);
    assert_true(no);
}

/* Three children on 乡村振兴's list (issue 15): 王二 (not enrolled) and 李一 (enrolled) of a
 * 脱贫户, 李二 (not enrolled) of a 边缘易致贫户 (防返贫监测对象); matched again. */
static void load_groups(struct tu_fx *fx)
{
    static const struct {
        size_t kid;
        const char *category;
    } members[] = {{1, "脱贫户"}, {4, "脱贫户"}, {5, "边缘易致贫户"}};
    struct buf pov = BUF_INIT;
    char id[19];
    buf_adds(&pov, "户编号,乡镇,行政村,户主姓名,户主证件号码,姓名,证件号码,与户主关系,出生日期,"
                   "脱贫属性\n");
    for (size_t i = 0; i < ARRAY_SIZE(members); i++) {
        const struct kid *k = &kids[members[i].kid];
        kid_id(members[i].kid, id);
        buf_addf(&pov, "H%zu,%s,%s,户主%zu,,%s,%s,之子,%s,%s\n", i, k->township, k->village, i,
                 k->name, id, k->birth, members[i].category);
    }
    tu_import_text(fx, KIND_POVERTY, "pov.csv", pov.buf);
    buf_release(&pov);
    tu_match(fx, 20260915);
}

static void test_group_filter(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    load_groups(fx);
    /* a status without rows (the walk), the whole list, and the suspected set (SQL) */
    struct child_query cq = query(-1);
    cq.group = "poverty";
    list_is(fx, &county, &cq, "王二,李一", 2);
    cq.group = "脱贫户"; /* its Chinese name too */
    list_is(fx, &county, &cq, "王二,李一", 2);
    cq = query(ST_ENROLLED);
    cq.group = "poverty";
    list_is(fx, &county, &cq, "李一", 1);
    cq = query(CHILD_SET_SUSPECTED);
    cq.group = "monitored";
    list_is(fx, &county, &cq, "李二", 1);
    cq.group = "disabled";
    list_is(fx, &county, &cq, "", 0);
    /* the suspected of the priority groups first, then the others in register order */
    cq = query(CHILD_SET_SUSPECTED);
    list_is(fx, &county, &cq, "王二,李二,王三,王四,李三", 5);
    /* with the township of the scope */
    cq = query(-1);
    cq.group = "poverty";
    list_is(fx, &zhengzhuang, &cq, "王二", 1);
    /* each item names its groups */
    json_t *page;
    struct buf err = BUF_INIT;
    assert_int_equal(list(fx, &county, &cq, &page, &err), OUT_OK);
    json_t *g = json_object_get(json_array_get(json_object_get(page, "items"), 0), "groups");
    assert_int_equal(json_array_size(g), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(g, 0), "label")),
                        "脱贫户");
    json_decref(page);
    /* an unknown group is refused in Chinese */
    cq.group = "外星人";
    assert_int_equal(list(fx, &county, &cq, &page, &err), OUT_INVALID);
    assert_non_null(strstr(err.buf, "不是有效的重点群体"));
    buf_release(&err);
    /* a department of 乡村振兴: the children of its groups only; 残联: none of these */
    static const struct scope rural = {.user_id = 9,
                                       .user = "rural",
                                       .role = ROLE_DEPARTMENT,
                                       .department = "rural_revitalization"};
    static const struct scope disabled = {
        .user_id = 10, .user = "dis", .role = ROLE_DEPARTMENT, .department = "disabled_persons"};
    cq = query(-1);
    list_is(fx, &rural, &cq, "王二,李一,李二", 3);
    cq.group = "dibao";
    list_is(fx, &rural, &cq, "", 0);
    cq = query(-1);
    list_is(fx, &disabled, &cq, "", 0);
}

/* The column of one group and township of report groups-status, by the column's key. */
static long gs_cell(const struct report_table *t, const char *group, const char *township,
                    const char *key)
{
    json_t *j = table_to_json(t);
    size_t i;
    json_t *r;
    long n = -1;
    json_array_foreach(json_object_get(j, "rows"), i, r)
    {
        if (!strcmp(json_string_value(json_object_get(r, "group_key")), group) &&
            !strcmp(json_string_value(json_object_get(r, "township")), township))
            n = (long)json_integer_value(json_object_get(r, key));
    }
    if (!strcmp(group, "") && !strcmp(township, "total"))
        n = (long)json_integer_value(json_object_get(json_object_get(j, "totals"), key));
    json_decref(j);
    return n;
}

static void test_groups_status_counts(void **state)
{
    struct tu_fx *fx = *state;
    load_county(fx);
    load_groups(fx);
    struct report_options ro = REPORT_OPTIONS_INIT;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(report_groups_status(fx->s, &ro, &t, &o), 0);
    assert_int_equal(gs_cell(&t, "poverty", "郑庄镇", "school_age"), 1);
    assert_int_equal(gs_cell(&t, "poverty", "郑庄镇", "suspected"), 1);
    assert_int_equal(gs_cell(&t, "poverty", "龙港镇", "in_school"), 1);
    assert_int_equal(gs_cell(&t, "poverty", "全县", "school_age"), 2);
    assert_int_equal(gs_cell(&t, "monitored", "龙港镇", "suspected"), 1);
    assert_int_equal(gs_cell(&t, "", "total", "school_age"), 3);
    assert_int_equal(gs_cell(&t, "", "total", "suspected"), 2);
    table_release(&t);
    /* one group; one township; a department's own groups (masking: no names in this table) */
    ro.group = "monitored";
    assert_int_equal(report_groups_status(fx->s, &ro, &t, &o), 0);
    assert_int_equal(gs_cell(&t, "poverty", "郑庄镇", "school_age"), -1);
    assert_int_equal(gs_cell(&t, "", "total", "school_age"), 1);
    table_release(&t);
    ro.group = NULL;
    ro.township = ZHENGZHUANG;
    assert_int_equal(report_groups_status(fx->s, &ro, &t, &o), 0);
    assert_int_equal(gs_cell(&t, "", "total", "school_age"), 1);
    table_release(&t);
    ro.township = NULL;
    ro.groups = 1u << 6; /* 残疾儿童 only: none here */
    assert_int_equal(report_groups_status(fx->s, &ro, &t, &o), 0);
    assert_int_equal(gs_cell(&t, "", "total", "school_age"), 0);
    table_release(&t);
    ro.groups = 0;
    ro.school = "S3"; /* 龙港小学: 李一 */
    assert_int_equal(report_groups_status(fx->s, &ro, &t, &o), 0);
    assert_int_equal(gs_cell(&t, "", "total", "school_age"), 1);
    assert_int_equal(gs_cell(&t, "poverty", "龙港镇", "in_school"), 1);
    table_release(&t);
    outcome_release(&o);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_no_run_yet),      T(test_scope_narrows_the_list), T(test_filters),
        T(test_pages_and_sorts), T(test_casework_filters),       T(test_the_list_is_masked),
        T(test_one_child),       T(test_filter_choices),         T(test_export),
        T(test_group_filter),    T(test_groups_status_counts),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
