/* The linker (link/linker.c): exact IDs, ID typos, blocking, bands, one-to-one, twins. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "core/idcard.h"
#include "link/linker.h"

/*
 * A synthetic register of N children, each with one clean 学籍 record (exact ID, same name,
 * birth date and sex), so that the model has true pairs to learn m from; the cases under
 * test are appended after them.
 */
#define N      3000
#define MAXREC (N + 512)

struct world {
    struct lk_rec pop[MAXREC], oth[MAXREC];
    char pop_names[MAXREC][32], oth_names[MAXREC][32];
    size_t npop, noth;
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
                                       "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"};
static const char *const given[] = {
    "伟", "芳", "娜", "敏",   "静", "丽", "强",   "磊",   "军",   "洋",   "勇",   "艳",  "杰",
    "涛", "明", "超", "秀英", "华", "慧", "建国", "子轩", "梓涵", "浩然", "雨桐", "一诺"};

static uint64_t seed = 12345;
static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

/* A valid ID for a birth date and a sequence number (odd male, even female). */
static uint64_t make_id(int birth, int seq)
{
    char id[19];
    snprintf(id, sizeof(id), "140521%08d%03d", birth, seq % 1000);
    id[17] = id_check_char(id);
    id[18] = '\0';
    return id_pack(id);
}

static size_t add_pop(struct world *w, const char *name, int birth, int seq)
{
    assert_true(w->npop < MAXREC);
    size_t i = w->npop++;
    snprintf(w->pop_names[i], sizeof(w->pop_names[i]), "%s", name);
    w->pop[i] = (struct lk_rec){.rec_id = (int64_t)i + 1,
                                .key = make_id(birth, seq),
                                .name = w->pop_names[i],
                                .birth = birth,
                                .sex = (uint8_t)(seq % 2 ? 1 : 2),
                                .id_state = LK_ID_VALID};
    return i;
}

static size_t add_oth(struct world *w, const char *name, int birth, int sex, uint64_t key,
                      uint8_t id_state)
{
    assert_true(w->noth < MAXREC);
    size_t i = w->noth++;
    snprintf(w->oth_names[i], sizeof(w->oth_names[i]), "%s", name);
    w->oth[i] = (struct lk_rec){.rec_id = (int64_t)i + 100001,
                                .key = key,
                                .name = w->oth_names[i],
                                .birth = birth,
                                .sex = (uint8_t)sex,
                                .id_state = id_state};
    return i;
}

static void build_world(struct world *w)
{
    memset(w, 0, sizeof(*w));
    seed = 12345;
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof(name), "%s%s", surnames[rnd() % ARRAY_SIZE(surnames)],
                 given[rnd() % ARRAY_SIZE(given)]);
        int birth = 20100000 + (int)(rnd() % 8) * 10000 + (int)(rnd() % 12 + 1) * 100 +
                    (int)(rnd() % 28 + 1);
        size_t p = add_pop(w, name, birth, 100 + i);
        add_oth(w, name, birth, w->pop[p].sex, w->pop[p].key, LK_ID_VALID);
    }
}

static void run(struct world *w, struct lk_result *res, lk_decided_fn fn, void *ctx)
{
    struct lk_params params = LK_PARAMS_DEFAULT;
    assert_int_equal(linker_run(w->pop, w->npop, w->oth, w->noth, &params, fn, ctx, res), 0);
}

static void test_id_one_typo(void **state)
{
    (void)state;
    assert_true(id_one_typo("11010519491231002X", "11010519491231003X"));  /* substitution */
    assert_true(id_one_typo("11010519491231002X", "11010519491213002X"));  /* neighbours */
    assert_false(id_one_typo("11010519491231002X", "11010519491231002X")); /* equal */
    assert_false(id_one_typo("11010519491231002X", "11010519491231013X")); /* two apart */
    assert_true(id_one_typo("11010519491231002X", "11010519491321002X"));  /* swap 2,3 */
    assert_false(id_one_typo("11010519491231002X", "11010519491245002X")); /* not a swap */
}

static void test_clean_records_link_exactly(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(res.match[i], (int32_t)i);
        assert_int_equal(res.method[i], LKM_ID_EXACT);
    }
    assert_int_equal(res.counts[LKM_ID_EXACT], N);
    assert_int_equal(res.review, 0);
    /* the model learnt what agreement means */
    assert_true(res.model.w[LK_NAME][NAME_EXACT] > 5);
    assert_true(res.model.w[LK_NAME][NAME_DIFFERENT] < -3);
    assert_true(res.model.w[LK_BIRTH][LKB_EXACT] > 5);
    assert_true(res.model.w[LK_BIRTH][LKB_DIFFERENT] < 0);
    assert_true(res.model.m_pairs > 1000 && res.model.u_pairs > 1000);
    lk_result_release(&res);
}

/* Twins: A is absent, B is at school; B's record carries an ID one digit from both. */
static void test_twin_typo_goes_to_the_named_twin(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t a = add_pop(&w, "韩晓明", 20150304, 11);
    size_t b = add_pop(&w, "韩晓亮", 20150304, 13);
    char ida[19], idb[19], typed[19];
    id_unpack(w.pop[a].key, ida);
    id_unpack(w.pop[b].key, idb);
    /* A's first 17 characters with B's check character: one from A (check), one from B (seq) */
    memcpy(typed, ida, 17);
    typed[17] = idb[17];
    typed[18] = '\0';
    assert_true(id_one_typo(typed, ida) && id_one_typo(typed, idb));
    size_t r = add_oth(&w, "韩晓亮", 20150304, 1, id_pack(typed), LK_ID_BAD_CHECK);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], (int32_t)b);
    assert_int_equal(res.method[r], LKM_ID_TYPO);
    lk_result_release(&res);
}

/* A record without an ID links on name, birth date and sex; the twin is not taken. */
static void test_no_id_links_by_name_not_to_twin(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    add_pop(&w, "欧阳子涵", 20160101, 21);
    size_t b = add_pop(&w, "欧阳子轩", 20160101, 23);
    size_t r = add_oth(&w, "欧阳子轩", 20160101, 1, 0, LK_ID_NONE);
    /* a homophone and a traditional character, no ID either */
    size_t c = add_pop(&w, "陈晓铭", 20130709, 31);
    size_t r2 = add_oth(&w, "陳小明", 20130709, 1, 0, LK_ID_NONE);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], (int32_t)b);
    assert_int_equal(res.method[r], LKM_FUZZY);
    assert_int_equal(res.match[r2], (int32_t)c);
    lk_result_release(&res);
}

/* Two children nobody can tell apart from the record: never guess, send it to review. */
static void test_ambiguous_goes_to_review(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    add_pop(&w, "张伟", 20140505, 41);
    add_pop(&w, "张伟", 20140505, 43);
    size_t r = add_oth(&w, "张伟", 20140505, 1, 0, LK_ID_NONE);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], -1);
    assert_true(res.review >= 1);
    int in_review = 0;
    for (size_t k = 0; k < res.npairs; k++)
        if (res.pairs[k].other == r && res.pairs[k].decision == LKD_REVIEW)
            in_review++;
    assert_int_equal(in_review, 2);
    lk_result_release(&res);
}

/* An ID one typo away is not trusted when the name says it is someone else. */
static void test_typo_with_other_name_is_not_linked(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t a = add_pop(&w, "赵子龙", 20120808, 51);
    char id[19];
    id_unpack(w.pop[a].key, id);
    id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1); /* one substitution */
    size_t r = add_oth(&w, "钱多多", 20120808, 1, id_pack(id), LK_ID_BAD_CHECK);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], -1);
    lk_result_release(&res);
}

/* The exact ID names the absent twin but the record carries the other twin's name. */
static void test_exact_id_with_twins_name_is_held_back(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t a = add_pop(&w, "孙悦", 20170202, 62);
    add_pop(&w, "孙琪", 20170202, 64);
    size_t r = add_oth(&w, "孙琪", 20170202, 2, w.pop[a].key, LK_ID_VALID);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_true(res.match[r] != (int32_t)a);
    lk_result_release(&res);
}

/* A clerk's decisions win over the scores, both ways. */
struct verdicts {
    uint32_t pop, other;
    int verdict;
};

static int decided(void *ctx, uint32_t pop, uint32_t other)
{
    const struct verdicts *v = ctx;
    return v->pop == pop && v->other == other ? v->verdict : 0;
}

static void test_clerk_decisions(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t p1 = add_pop(&w, "张伟", 20140505, 41);
    add_pop(&w, "张伟", 20140505, 43);
    size_t r = add_oth(&w, "张伟", 20140505, 1, 0, LK_ID_NONE);
    struct verdicts v = {(uint32_t)p1, (uint32_t)r, 1};
    struct lk_result res;
    run(&w, &res, decided, &v);
    assert_int_equal(res.match[r], (int32_t)p1);
    assert_int_equal(res.method[r], LKM_REVIEWED);
    lk_result_release(&res);

    /* a rejected pair never links, even when it scores well */
    static struct world w2;
    build_world(&w2);
    size_t q = add_pop(&w2, "欧阳娜娜", 20150601, 71);
    size_t r2 = add_oth(&w2, "欧阳娜娜", 20150601, 1, 0, LK_ID_NONE);
    struct verdicts v2 = {(uint32_t)q, (uint32_t)r2, -1};
    run(&w2, &res, decided, &v2);
    assert_int_equal(res.match[r2], -1);
    lk_result_release(&res);
}

/* A record never links to two children: every other record has at most one match. */
static void test_one_record_one_child(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t a = add_pop(&w, "刘洋", 20110303, 81);
    /* the register lists the same ID twice (双重户籍) with the same person */
    size_t b = w.npop++;
    w.pop[b] = w.pop[a];
    w.pop[b].rec_id = (int64_t)b + 1;
    size_t r = add_oth(&w, "刘洋", 20110303, 1, w.pop[a].key, LK_ID_VALID);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    /* identical twins in the register: nobody can say which; not linked to both, not guessed */
    assert_int_equal(res.match[r], -1);
    assert_true(res.review >= 1);
    lk_result_release(&res);
}

/* Two threads or one: the same links, the same pairs in the same order. */
static void test_threads_change_nothing(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    /* a few hundred records that need scoring: no IDs, some homophones */
    for (int i = 0; i < 300; i++) {
        size_t p = (size_t)(rnd() % N);
        char name[32];
        memcpy(name, w.pop_names[p], sizeof(name));
        add_oth(&w, name, w.pop[p].birth, w.pop[p].sex, 0, LK_ID_NONE);
    }
    struct lk_params one = LK_PARAMS_DEFAULT, two = LK_PARAMS_DEFAULT;
    one.parallel_min = SIZE_MAX;
    two.parallel_min = 0;
    struct lk_result a, b;
    assert_int_equal(linker_run(w.pop, w.npop, w.oth, w.noth, &one, NULL, NULL, &a), 0);
    assert_int_equal(linker_run(w.pop, w.npop, w.oth, w.noth, &two, NULL, NULL, &b), 0);
    assert_memory_equal(a.match, b.match, w.noth * sizeof(*a.match));
    assert_memory_equal(a.method, b.method, w.noth * sizeof(*a.method));
    assert_int_equal(a.npairs, b.npairs);
    assert_true(a.npairs > 300);
    for (size_t k = 0; k < a.npairs; k++) {
        assert_int_equal(a.pairs[k].pop, b.pairs[k].pop);
        assert_int_equal(a.pairs[k].other, b.pairs[k].other);
        assert_int_equal(a.pairs[k].decision, b.pairs[k].decision);
        assert_true(a.pairs[k].total == b.pairs[k].total);
    }
    assert_memory_equal(a.counts, b.counts, sizeof(a.counts));
    assert_int_equal(a.review, b.review);
    lk_result_release(&a);
    lk_result_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_one_typo),
        cmocka_unit_test(test_clean_records_link_exactly),
        cmocka_unit_test(test_twin_typo_goes_to_the_named_twin),
        cmocka_unit_test(test_no_id_links_by_name_not_to_twin),
        cmocka_unit_test(test_ambiguous_goes_to_review),
        cmocka_unit_test(test_typo_with_other_name_is_not_linked),
        cmocka_unit_test(test_exact_id_with_twins_name_is_held_back),
        cmocka_unit_test(test_clerk_decisions),
        cmocka_unit_test(test_one_record_one_child),
        cmocka_unit_test(test_threads_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
