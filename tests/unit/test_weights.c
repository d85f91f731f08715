/* The model's estimates (link/weights.c): m from labelled pairs and the IDs' states, u from
 * random pairs, u_same from pairs of children born the same day, the outsider line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <math.h>

#include "core/idcard.h"
#include "link/weights.h"

#define N    2000
#define MAXR (2 * N + 2000)

static struct lk_rec pop[MAXR], oth[MAXR];
static char pop_names[MAXR][16], oth_names[MAXR][16];
static int32_t exact[MAXR];
static size_t npop, noth;

static uint64_t key_of(int birth, int seq, const char *county)
{
    char id[19];
    snprintf(id, sizeof(id), "%s%08d%03d", county, birth, seq % 1000);
    id[17] = id_check_char(id);
    id[18] = '\0';
    return id_pack(id);
}

static size_t add_pop(int birth, int seq, const char *name)
{
    size_t i = npop++;
    snprintf(pop_names[i], sizeof(pop_names[i]), "%s", name);
    pop[i] = (struct lk_rec){.key = key_of(birth, seq, "140521"),
                             .name = pop_names[i],
                             .birth = birth,
                             .sex = (uint8_t)(seq % 2 ? 1 : 2),
                             .id_state = LK_ID_VALID};
    return i;
}

static size_t add_oth(uint64_t key, uint8_t st, const char *name, int birth, int sex, int32_t ex)
{
    size_t i = noth++;
    snprintf(oth_names[i], sizeof(oth_names[i]), "%s", name);
    oth[i] = (struct lk_rec){
        .key = key, .name = oth_names[i], .birth = birth, .sex = (uint8_t)sex, .id_state = st};
    exact[i] = ex;
    return i;
}

/* Children born over 200 days, a tenth of them twins (neighbouring sequence numbers), each with
 * a clean record; `outsiders` records with valid IDs of another county; `bad` records mistyped. */
static void build(int outsiders, int bad)
{
    static const char *const names[] = {"王伟", "李娜", "张敏", "刘洋", "陈静", "杨帆",
                                        "赵磊", "黄勇", "周杰", "吴涛", "徐明", "孙超"};
    npop = noth = 0;
    for (int i = 0; i < N; i++) {
        /* child i%10 == 1 is the twin of child i-1: the same day, the next number */
        int d = i % 10 == 1 ? i - 1 : i;
        int birth = 20150101 + (d % 200) / 28 * 100 + (d % 28);
        /* children born the same day otherwise differ in two digits: 001, 111, 221 … */
        int seq = 1 + 110 * (i / 200) + 2 * (i % 10 == 1);
        char name[16];
        snprintf(name, sizeof(name), "%s%d", names[i % 12], i / 12);
        size_t p = add_pop(birth, seq, name);
        add_oth(pop[p].key, LK_ID_VALID, name, birth, pop[p].sex, (int32_t)p);
    }
    for (int i = 0; i < outsiders; i++)
        add_oth(key_of(20150101 + i % 28, i, "410526"), LK_ID_VALID, "外地生", 20150101 + i % 28, 1,
                -1);
    for (int i = 0; i < bad; i++) {
        char id[19];
        id_unpack(pop[i * 7].key, id);
        id[15] = id[15] == '9' ? '8' : (char)(id[15] + 1);
        add_oth(id_pack(id), LK_ID_BAD_CHECK, pop_names[i * 7], pop[i * 7].birth, pop[i * 7].sex,
                -1);
    }
}

static void estimate(const struct lk_typo_stats *ts, struct lk_model *m)
{
    lk_model_estimate(pop, npop, oth, noth, exact, ts, 12345, m);
}

static void test_twins_show_among_children_born_the_same_day(void **state)
{
    (void)state;
    static struct lk_model m;
    struct lk_typo_stats ts = {0, 0, 0, 0};
    build(0, 0);
    estimate(&ts, &m);
    assert_true(m.m_pairs > 1000 && m.u_pairs > 1000 && m.same_pairs > 1000);
    /* a valid ID a digit from a child's: about never among random pairs, often among children
     * born the same day (every twin) */
    assert_true(m.id_u_same[LK_ID_VALID][LKI_NEAR] > 0.005);
    assert_true(m.id_u_same[LK_ID_VALID][LKI_NEAR] > 10 * m.id_u[LK_ID_VALID][LKI_NEAR]);
    /* the same child: the ID exact; a sibling's ID never seen among labelled pairs */
    assert_true(m.id_m[LK_ID_VALID][LKI_EXACT] > 0.99);
    assert_true(m.id_w_same[LK_ID_VALID][LKI_NEAR] < -5);
    /* birth dates have one u; the other fields two */
    for (int l = 0; l < LKB__LEVELS; l++)
        assert_true(m.u_same[LK_BIRTH][l] == m.u[LK_BIRTH][l]);
    /* no records from elsewhere: the outsider line at nothing */
    assert_true(m.outside_share < 0.01);
    assert_true(m.outsider == 0);
}

/* A mistyped ID's level is split by where the slips fell; its weight among children born the
 * same day is what the neighbouring numbers there make of it. */
static void test_mistyped_ids(void **state)
{
    (void)state;
    static struct lk_model m;
    build(0, 40);
    struct lk_typo_stats ts = {.birth = 10, .rest = 30, .found = 40, .copies = 0};
    estimate(&ts, &m);
    const double *mb = m.id_m[LK_ID_BAD_CHECK];
    assert_true(fabs(mb[LKI_NEAR] / mb[LKI_BIRTH_TYPO] - (30.5 / 10.5)) < 0.2);
    /* one slip from nobody is no evidence about the child's own ID: the floor */
    assert_true(mb[LKI_DIFFERENT] < 0.02);
    /* u_same of a slip near: as often as a neighbouring number (twins) among same-day pairs */
    assert_true(fabs(m.id_u_same[LK_ID_BAD_CHECK][LKI_NEAR] - m.id_u_same[LK_ID_VALID][LKI_NEAR]) <
                0.005);
    assert_true(m.id_w_same[LK_ID_BAD_CHECK][LKI_NEAR] > 0);
    assert_true(m.id_w[LK_ID_BAD_CHECK][LKI_NEAR] > m.id_w_same[LK_ID_BAD_CHECK][LKI_NEAR] + 3);
}

/* Pupils registered elsewhere: the share of valid IDs naming nobody sets the outsider line. */
static void test_outsider_line(void **state)
{
    (void)state;
    static struct lk_model m;
    struct lk_typo_stats ts = {0, 0, 0, 0};
    build(1000, 0);
    estimate(&ts, &m);
    double p = (1000 + 0.5) / (N + 1000 + 1.0);
    assert_true(fabs(m.outside_share - p) < 1e-9);
    assert_true(fabs(m.outsider - round(log2((double)N * p / (1 - p)) * 10) / 10) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_twins_show_among_children_born_the_same_day),
        cmocka_unit_test(test_mistyped_ids),
        cmocka_unit_test(test_outsider_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
