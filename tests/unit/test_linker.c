/* The linker (link/linker.c): exact IDs, ID typos, blocking, bands, one-to-one, twins. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <math.h>

#include "core/idcard.h"
#include "link/linker.h"

/*
 * A synthetic register of N children, each with one clean 学籍 record (exact ID, same name,
 * birth date and sex), so that the model has true pairs to learn m from; the cases under
 * test are appended after them.
 */
#define N      3000
#define MAXREC (N + 2048)

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

/* ---- twins: same birth date, neighbouring sequence numbers (issue 13) ------------------- */

/* The pairs of record r, and the one of child p (NULL when not kept). */
static const struct lk_pair *pair_of(const struct lk_result *res, size_t r, size_t p)
{
    for (size_t k = 0; k < res->npairs; k++)
        if (res->pairs[k].other == r && res->pairs[k].pop == p)
            return &res->pairs[k];
    return NULL;
}

/*
 * Twins born the same day with neighbouring sequence numbers, named as parents name twins
 * (a character shared, or sounding alike), each with a clean record; and some records whose
 * IDs were mistyped: the model learns from them what twins and slips look like.
 */
static void add_twin_population(struct world *w, int pairs)
{
    static const char *const alike[][2] = {{"欣", "馨"}, {"轩", "萱"}, {"琪", "琦"}, {"涵", "晗"},
                                           {"宇", "雨"}, {"辰", "晨"}, {"杰", "洁"}, {"怡", "宜"}};
    for (int i = 0; i < pairs; i++) {
        char na[32], nb[32];
        int birth = 20160101 + (i % 12) * 100 + i % 28;
        const char *sn = surnames[i % 16];
        if (i % 2)
            snprintf(na, sizeof(na), "%s思%s", sn, alike[i % 8][0]),
                snprintf(nb, sizeof(nb), "%s思%s", sn, alike[i % 8][1]);
        else
            snprintf(na, sizeof(na), "%s子%s", sn, given[i % 25]),
                snprintf(nb, sizeof(nb), "%s子%s", sn, given[(i + 7) % 25]);
        size_t a = add_pop(w, na, birth, 500 + 2 * i), b = add_pop(w, nb, birth, 501 + 2 * i);
        add_oth(w, na, birth, w->pop[a].sex, w->pop[a].key, LK_ID_VALID);
        add_oth(w, nb, birth, w->pop[b].sex, w->pop[b].key, LK_ID_VALID);
    }
    /* records whose names were typed by ear (晓/小, 明/铭): about one in a hundred */
    static const char *const heard[][2] = {{"晓明", "小铭"}, {"丽娜", "莉娜"}, {"俊杰", "骏杰"},
                                           {"思琪", "思琦"}, {"雨涵", "雨晗"}, {"浩宇", "昊宇"}};
    for (int i = 0; i < 36; i++) {
        char na[32], nr[32];
        int birth = 20130101 + (i % 12) * 100 + i % 28;
        snprintf(na, sizeof(na), "%s%s", surnames[i % 16], heard[i % 6][0]);
        snprintf(nr, sizeof(nr), "%s%s", surnames[i % 16], heard[i % 6][1]);
        size_t c = add_pop(w, na, birth, 800 + i);
        add_oth(w, nr, birth, w->pop[c].sex, w->pop[c].key, LK_ID_VALID);
    }
    /* one record in a hundred of the ordinary children with a slip in its sequence digit */
    for (size_t p = 0; p < N; p += 100) {
        char id[19];
        id_unpack(w->pop[p].key, id);
        id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1);
        add_oth(w, w->pop_names[p], w->pop[p].birth, w->pop[p].sex, id_pack(id), LK_ID_BAD_CHECK);
    }
}

/* A twin pair of the world: A absent, B at school; returns A, B in *a, *b. */
static void add_twins(struct world *w, const char *na, const char *nb, int birth, int seqa,
                      int seqb, size_t *a, size_t *b)
{
    *a = add_pop(w, na, birth, seqa);
    *b = add_pop(w, nb, birth, seqb);
}

/* B's record carries A's valid ID under B's name: the wrong line of the household booklet.
 * Neither twin is guessed; B (whose name it is) waits for the clerk, A stays on the list. */
static void test_twin_copied_id_name_child_waits(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t a, b;
    add_twins(&w, "韩子涵", "韩子轩", 20150304, 11, 13, &a, &b);
    size_t r = add_oth(&w, "韩子轩", 20150304, 1, w.pop[a].key, LK_ID_VALID);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], -1);
    const struct lk_pair *pa = pair_of(&res, r, a), *pb = pair_of(&res, r, b);
    assert_non_null(pa);
    assert_non_null(pb);
    assert_int_equal(pb->decision, LKD_REVIEW);
    assert_int_equal(pb->reason, LKR_NAME_OTHER_ID);
    assert_true(pb->holds);
    assert_int_equal(pa->decision, LKD_REVIEW);
    assert_int_equal(pa->reason, LKR_EXACT_NAME_CONFLICT);
    assert_false(pa->holds);
    lk_result_release(&res);

    /* twins of different sex: the record's 性别 column is the name's twin's (女), the ID's
     * sex digit the other's — two fields against one copied ID: the name's twin is linked,
     * the ID's twin stays listed */
    build_world(&w);
    add_twins(&w, "韩子涵", "韩子萱", 20150304, 11, 12, &a, &b);
    r = add_oth(&w, "韩子萱", 20150304, 2, w.pop[a].key, LK_ID_VALID);
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], (int32_t)b);
    assert_int_equal(pair_of(&res, r, b)->reason, LKR_NAME_SEX_OTHER_ID);
    assert_int_equal(pair_of(&res, r, a)->decision, LKD_REJECT);
    assert_int_equal(pair_of(&res, r, a)->reason, LKR_TAKEN);
    lk_result_release(&res);
    /* …but the same record with the ID's twin's sex (or none) is not decided by the name alone */
    build_world(&w);
    add_twins(&w, "韩子涵", "韩子萱", 20150304, 11, 12, &a, &b);
    r = add_oth(&w, "韩子萱", 20150304, 0, w.pop[a].key, LK_ID_VALID);
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], -1);
    assert_int_equal(pair_of(&res, r, b)->reason, LKR_NAME_OTHER_ID);
    lk_result_release(&res);

    /* twins named alike (思雨/思语): the exact stage does not take the ID's twin on a name
     * that only sounds like theirs while the other twin bears it exactly */
    build_world(&w);
    add_twins(&w, "韩思雨", "韩思语", 20150304, 11, 13, &a, &b);
    r = add_oth(&w, "韩思语", 20150304, 1, w.pop[a].key, LK_ID_VALID);
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], -1);
    assert_true(pair_of(&res, r, b)->holds);
    assert_false(pair_of(&res, r, a)->holds);
    lk_result_release(&res);

    /* …unless that twin holds a record of their own: then the name was misspelt */
    build_world(&w);
    add_twins(&w, "韩思雨", "韩思语", 20150304, 11, 13, &a, &b);
    r = add_oth(&w, "韩思语", 20150304, 1, w.pop[a].key, LK_ID_VALID);
    add_oth(&w, "韩思语", 20150304, 1, w.pop[b].key, LK_ID_VALID);
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], (int32_t)a);
    assert_int_equal(res.method[r], LKM_ID_EXACT);
    lk_result_release(&res);
}

/* B's record: one slip in the sequence digit, landing one digit from A's ID too; the names
 * sound alike. The name is exactly B's: B, automatically. */
static void test_twin_slip_with_names_alike_goes_to_the_named_twin(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    add_twin_population(&w, 150);
    size_t a, b;
    add_twins(&w, "韩欣", "韩馨", 20150304, 11, 13, &a, &b);
    char ida[19], idb[19], typed[19];
    id_unpack(w.pop[a].key, ida);
    id_unpack(w.pop[b].key, idb);
    memcpy(typed, ida, 17); /* A's sequence digit, B's check character */
    typed[17] = idb[17];
    typed[18] = '\0';
    size_t r = add_oth(&w, "韩馨", 20150304, 1, id_pack(typed), LK_ID_BAD_CHECK);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], (int32_t)b);
    assert_int_equal(res.method[r], LKM_ID_TYPO);
    lk_result_release(&res);
}

/* B's ID typed into a number cell: fifteen digits left, the same for both twins. The name
 * decides, as it would without any ID. */
static void test_twin_lost_digits_goes_to_the_named_twin(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    size_t a, b;
    add_twins(&w, "韩子涵", "韩子轩", 20150304, 12, 13, &a, &b);
    char idb[19];
    id_unpack(w.pop[b].key, idb);
    memcpy(idb + 15, "000", 3);
    size_t r = add_oth(&w, "韩子轩", 20150304, 0, id_pack(idb), LK_ID_TRUNCATED);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_int_equal(res.match[r], (int32_t)b);
    const struct lk_pair *pb = pair_of(&res, r, b);
    assert_int_equal(pb->level[LK_ID], LKI_PARTIAL);
    assert_int_equal(pair_of(&res, r, a)->level[LK_ID], LKI_PARTIAL);
    lk_result_release(&res);
}

/* The model: among children born the same day a neighbouring sequence number is common (every
 * twin pair has one), among random pairs it is not; a valid ID one digit from the child's is a
 * sibling's, a mistyped one the child's own with a slip. */
static void test_near_ids_weighed_within_the_birth_date(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    add_twin_population(&w, 150);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    const struct lk_model *m = &res.model;
    assert_true(m->same_pairs > 1000);
    /* twins make a near ID far likelier between children born the same day */
    assert_true(m->id_u_same[LK_ID_VALID][LKI_NEAR] > 100 * m->id_u[LK_ID_VALID][LKI_NEAR]);
    /* a valid ID one digit off is a sibling's: strong evidence against */
    assert_true(m->id_w_same[LK_ID_VALID][LKI_NEAR] < -3);
    /* a mistyped ID one slip off weighs less among children born the same day than among
     * strangers, where the birth date has not already been matched */
    assert_true(m->id_w_same[LK_ID_BAD_CHECK][LKI_NEAR] < m->id_w[LK_ID_BAD_CHECK][LKI_NEAR] - 3);
    lk_result_release(&res);
}

/*
 * Pupils registered elsewhere (valid IDs naming nobody) are a third of the records: a record
 * without an ID whose name is a register child's and whose birth date is a slip away is not
 * linked to that child — it could as well be such a pupil's.
 */
static void test_pupils_from_elsewhere_are_not_pulled(void **state)
{
    (void)state;
    static struct world w;
    build_world(&w);
    for (int i = 0; i < 1500; i++) {
        char id[19];
        snprintf(id, sizeof(id), "410526%08d%03d", 20120101 + (i % 12) * 100 + i % 28, i % 1000);
        id[17] = id_check_char(id);
        id[18] = '\0';
        add_oth(&w, "外地生", 20120101, 1, id_pack(id), LK_ID_VALID);
    }
    size_t c = add_pop(&w, "欧阳晓岚", 20140505, 41);
    size_t r = add_oth(&w, "欧阳晓岚", 20140506, 1, 0, LK_ID_NONE);
    struct lk_result res;
    run(&w, &res, NULL, NULL);
    assert_true(res.model.outside_share > 0.2);
    assert_true(res.model.outsider > 8);
    assert_int_equal(res.match[r], -1);
    const struct lk_pair *pr = pair_of(&res, r, c);
    assert_non_null(pr);
    assert_true(pr->total >= 6); /* the name and the sex agree: worth a clerk's look */
    lk_result_release(&res);
}

/* ---- every decision path, and its sentence against its numbers -------------------------- */

static bool has(const char *s, const char *needle)
{
    return strstr(s, needle) != NULL;
}

/* The sentence of a pair says nothing its numbers contradict. */
static void check_sentence(const struct lk_pair *pr, const struct lk_params *lp)
{
    struct buf t = BUF_INIT;
    lk_reason_text(pr, lp, &t);
    const char *s = t.buf;
    char num[64];
    if (pr->reason == LKR_TAKEN) {
        snprintf(num, sizeof(num), "其总分 %.1f，此对 %.1f", pr->second, pr->total);
        if (!has(s, num))
            fail_msg("%s: %s", num, s);
    } else if (has(s, "总分 ")) {
        snprintf(num, sizeof(num), "总分 %.1f", pr->total);
        if (!has(s, num))
            fail_msg("%s: %s", num, s);
        bool ge_accept = lk_at_least(pr->total, lp->accept);
        bool ge_review = lk_at_least(pr->total, lp->review);
        if (has(s, "达到采纳线") != ge_accept || has(s, "低于复核线") != !ge_review ||
            has(s, "之间") != (ge_review && !ge_accept))
            fail_msg("total %.1f (lines %.1f, %.1f): %s", pr->total, lp->review, lp->accept, s);
    }
    /* "高 d 分" with d as the numbers give it, and the margin judged on that d */
    const char *hi = strstr(s, "高 ");
    if (hi && pr->reason != LKR_TAKEN) {
        double d = strtod(hi + strlen("高 "), NULL);
        bool behind = pr->reason == LKR_OUTRANKED || pr->reason == LKR_NEAR_RUNNER_UP;
        bool outsider = !behind && (!isfinite(pr->second) || pr->outsider > pr->second);
        double rival = behind ? pr->total : outsider ? pr->outsider : pr->second;
        double want = behind ? pr->second - pr->total : pr->total - rival;
        if (fabs(d - round(want * 10) / 10) > 1e-6)
            fail_msg("lead %.1f, the numbers say %.1f: %s", d, want, s);
        if (has(s, "达到差距线") != lk_at_least(d, lp->margin) ||
            has(s, "不到差距线") == lk_at_least(d, lp->margin))
            fail_msg("lead %.1f against margin %.1f: %s", d, lp->margin, s);
    }
    /* the conclusion matches the decision */
    switch (pr->decision) {
    case LKD_ACCEPT:
        assert_false(has(s, "不采纳") || (has(s, "复核") && !has(s, "人工复核确认")));
        break;
    case LKD_REVIEW:
        assert_true(has(s, "人工复核") || has(s, "待人工复核"));
        assert_false(has(s, "不采纳"));
        break;
    default:
        assert_true(has(s, "不采纳") || has(s, "不是同一人"));
        break;
    }
    buf_release(&t);
}

struct seen {
    bool reason[LKR__COUNT];
};

static void check_all(const struct lk_result *res, const struct lk_params *lp, struct seen *seen)
{
    for (size_t k = 0; k < res->npairs; k++) {
        check_sentence(&res->pairs[k], lp);
        seen->reason[res->pairs[k].reason] = true;
    }
}

static int decided_any(void *ctx, uint32_t pop, uint32_t other)
{
    const struct verdicts *v = ctx;
    for (; v->verdict; v++)
        if (v->pop == pop && v->other == other)
            return v->verdict;
    return 0;
}

static void test_every_decision_has_a_true_sentence(void **state)
{
    (void)state;
    static struct world w;
    struct seen seen = {{false}};
    struct lk_result res;
    char id[19];
    build_world(&w);
    /* accepted: no ID, the rest agrees; exact kept: the name one character off */
    size_t c = add_pop(&w, "欧阳晓岚", 20140505, 41);
    add_oth(&w, "欧阳晓岚", 20140505, 1, 0, LK_ID_NONE);
    c = add_pop(&w, "司马子轩", 20130303, 43);
    add_oth(&w, "司马子涵", 20130303, 1, w.pop[c].key, LK_ID_VALID);
    /* typo accepted; typo unconfirmed (one character off); sex contradicts */
    c = add_pop(&w, "上官雨桐", 20120202, 45);
    id_unpack(w.pop[c].key, id);
    id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1);
    add_oth(&w, "上官雨桐", 20120202, 1, id_pack(id), LK_ID_BAD_CHECK);
    c = add_pop(&w, "诸葛一诺", 20110101, 47);
    id_unpack(w.pop[c].key, id);
    id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1);
    add_oth(&w, "诸葛一鸣", 20110101, 1, id_pack(id), LK_ID_BAD_CHECK);
    c = add_pop(&w, "令狐浩然", 20100606, 49);
    id_unpack(w.pop[c].key, id);
    id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1);
    add_oth(&w, "令狐浩然", 20100606, 2, id_pack(id), LK_ID_BAD_CHECK);
    /* below the review line; between the lines (a birth date a slip away, a homophone) */
    add_oth(&w, "尉迟某某", 20170707, 1, 0, LK_ID_NONE);
    add_pop(&w, "尉迟小明", 20170707, 51);
    c = add_pop(&w, "尉迟晓东", 20160606, 53);
    add_oth(&w, "尉迟小东", 20160607, 1, 0, LK_ID_NONE);
    /* close second and the runner-up waiting with it: two children nobody can tell apart */
    add_pop(&w, "张伟", 20140505, 55);
    add_pop(&w, "张伟", 20140505, 57);
    add_oth(&w, "张伟", 20140505, 1, 0, LK_ID_NONE);
    /* the name's twin and the ID's twin */
    size_t a, b;
    add_twins(&w, "韩子涵", "韩子轩", 20150304, 11, 13, &a, &b);
    add_oth(&w, "韩子轩", 20150304, 1, w.pop[a].key, LK_ID_VALID);
    /* the same with twins of different sex, the record's 性别 the name's twin's */
    add_twins(&w, "郝一帆", "郝一菲", 20150305, 15, 16, &a, &b);
    add_oth(&w, "郝一菲", 20150305, 2, w.pop[a].key, LK_ID_VALID);
    /* exact ID, a name nothing like it — and the child whose name it is, born the same day,
     * holds a record of their own: outranked by the ID's child */
    c = add_pop(&w, "皇甫明", 20090909, 59);
    add_oth(&w, "钱多多", 20090909, 1, w.pop[c].key, LK_ID_VALID);
    c = add_pop(&w, "钱多多", 20090909, 61);
    add_oth(&w, "钱多多", 20090909, 1, w.pop[c].key, LK_ID_VALID);
    /* birth date contradicts a strong pair */
    c = add_pop(&w, "端木晨阳", 20140808, 61);
    id_unpack(w.pop[c].key, id);
    id[8] = id[8] == '9' ? '8' : (char)(id[8] + 1);
    add_oth(&w, "端木晨阳", 20110303, 1, id_pack(id), LK_ID_BAD_CHECK);
    /* a clerk's decisions, both ways, and an ID the clerk rejected: the rest decides */
    size_t p1 = add_pop(&w, "赵四", 20120909, 63);
    add_pop(&w, "赵四", 20120909, 65);
    size_t r1 = add_oth(&w, "赵四", 20120909, 1, 0, LK_ID_NONE);
    size_t p2 = add_pop(&w, "慕容雪", 20130101, 66);
    size_t r2 = add_oth(&w, "慕容雪", 20130101, 2, 0, LK_ID_NONE);
    size_t p3 = add_pop(&w, "公孙策", 20150505, 67);
    size_t q3 = add_pop(&w, "公孙笑", 20150505, 69);
    size_t r3 = add_oth(&w, "公孙笑", 20150505, 1, w.pop[p3].key, LK_ID_VALID);
    (void)q3;
    struct verdicts v[] = {{(uint32_t)p1, (uint32_t)r1, 1},
                           {(uint32_t)p2, (uint32_t)r2, -1},
                           {(uint32_t)p3, (uint32_t)r3, -1},
                           {0, 0, 0}};
    /* the default lines, and others: a sentence holds whatever the lines are */
    struct lk_params lp = LK_PARAMS_DEFAULT, low = LK_PARAMS_DEFAULT;
    low.accept = 9.5;
    low.review = 4.25;
    low.margin = 3;
    assert_int_equal(linker_run(w.pop, w.npop, w.oth, w.noth, &lp, decided_any, v, &res), 0);
    check_all(&res, &lp, &seen);
    lk_result_release(&res);
    assert_int_equal(linker_run(w.pop, w.npop, w.oth, w.noth, &low, decided_any, v, &res), 0);
    check_all(&res, &low, &seen);
    lk_result_release(&res);

    /* a record whose best lost to another by the margin; and pupils from elsewhere */
    build_world(&w);
    for (int i = 0; i < 1500; i++) {
        snprintf(id, sizeof(id), "410526%08d%03d", 20120101 + (i % 12) * 100 + i % 28, i % 1000);
        id[17] = id_check_char(id);
        id[18] = '\0';
        add_oth(&w, "外地生", 20120101, 1, id_pack(id), LK_ID_VALID);
    }
    c = add_pop(&w, "欧阳子轩", 20140505, 71);
    id_unpack(w.pop[c].key, id);
    memcpy(id + 15, "000", 3);
    add_oth(&w, "欧阳子轩", 20140506, 1, id_pack(id), LK_ID_TRUNCATED);
    c = add_pop(&w, "东方不败", 20120303, 73);
    add_pop(&w, "东方不拜", 20120303, 75);
    id_unpack(w.pop[c].key, id);
    id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1);
    add_oth(&w, "东方必胜", 20120303, 1, id_pack(id), LK_ID_BAD_CHECK);
    run(&w, &res, NULL, NULL);
    check_all(&res, &lp, &seen);
    lk_result_release(&res);

    /* the sentence of an exact link */
    struct lk_pair ex = {.reason = LKR_EXACT, .decision = LKD_ACCEPT, .total = 3.1};
    check_sentence(&ex, &lp);

    for (int r = 0; r < LKR__COUNT; r++)
        if (r != LKR_EXACT && !seen.reason[r])
            fail_msg("no scenario reached the reason %s", lk_reason_key((enum lk_reason)r));
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
        cmocka_unit_test(test_twin_copied_id_name_child_waits),
        cmocka_unit_test(test_twin_slip_with_names_alike_goes_to_the_named_twin),
        cmocka_unit_test(test_twin_lost_digits_goes_to_the_named_twin),
        cmocka_unit_test(test_near_ids_weighed_within_the_birth_date),
        cmocka_unit_test(test_pupils_from_elsewhere_are_not_pulled),
        cmocka_unit_test(test_every_decision_has_a_true_sentence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
