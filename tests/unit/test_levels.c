/* Comparison levels of one pair (link/levels.c): the ID as birth digits and the rest, IDs
 * stored as numbers, the same-day weights, the shown rounding. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <math.h>

#include "core/idcard.h"
#include "link/linker.h"

static void make_id(char out[19], int birth, int seq)
{
    snprintf(out, 19, "140521%08d%03d", birth, seq);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

static struct lk_rec rec(const char *id, uint8_t state, const char *name, int birth, int sex)
{
    return (struct lk_rec){.key = id ? id_pack(id) : 0,
                           .name = name,
                           .birth = birth,
                           .sex = (uint8_t)sex,
                           .id_state = id ? state : LK_ID_NONE};
}

static struct lk_pair compare(const struct lk_model *m, struct lk_rec p, struct lk_rec o)
{
    struct name_info a, b;
    struct lk_pair pr;
    name_info_make(&a, p.name, strlen(p.name));
    name_info_make(&b, o.name, strlen(o.name));
    linker_compare(m, &p, &o, &a, &b, 0, &pr);
    return pr;
}

static int id_level_of(const char *child, uint8_t cs, const char *record, uint8_t rs)
{
    static const struct lk_model flat;
    return compare(&flat, rec(child, cs, "王明", 20150304, 1), rec(record, rs, "王明", 20150304, 1))
        .level[LK_ID];
}

static void test_id_levels(void **state)
{
    (void)state;
    char a[19], b[19], t[19];
    make_id(a, 20150304, 11);
    make_id(b, 20150304, 13); /* a twin: the sequence digit and the check character differ */
    assert_int_equal(id_level_of(a, LK_ID_VALID, a, LK_ID_VALID), LKI_EXACT);
    /* a sibling's valid number: near, not different */
    assert_int_equal(id_level_of(a, LK_ID_VALID, b, LK_ID_VALID), LKI_NEAR);
    /* one slip in the rest: near; in the birth digits: birth_typo */
    memcpy(t, a, 19);
    t[15] = t[15] == '9' ? '8' : (char)(t[15] + 1);
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_BAD_CHECK), LKI_NEAR);
    memcpy(t, a, 19);
    t[12] = t[12] == '0' ? '1' : '0';
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_BAD_CHECK), LKI_BIRTH_TYPO);
    /* neighbours swapped across the birth digits and the sequence: birth_typo */
    memcpy(t, a, 19);
    char c = t[13];
    t[13] = t[14];
    t[14] = c;
    if (strcmp(t, a))
        assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_BAD_CHECK), LKI_BIRTH_TYPO);
    /* the twin trap: the other twin's first 17 with one's own check: near both */
    memcpy(t, a, 17);
    t[17] = b[17];
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_BAD_CHECK), LKI_NEAR);
    assert_int_equal(id_level_of(b, LK_ID_VALID, t, LK_ID_BAD_CHECK), LKI_NEAR);
    /* two valid numbers of different days: different */
    make_id(t, 20150305, 11);
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_VALID), LKI_DIFFERENT);
    /* no ID on either side */
    assert_int_equal(id_level_of(NULL, 0, a, LK_ID_VALID), LKI_MISSING);
    assert_int_equal(id_level_of(a, LK_ID_VALID, NULL, 0), LKI_MISSING);
}

/* Stored as a number: fifteen digits, the last rounded; the rest unknown, not different. */
static void test_truncated_ids(void **state)
{
    (void)state;
    char a[19], t[19];
    make_id(a, 20150304, 457); /* …0304457c: 15 digits …03044, the 16th a 5 rounds up */
    memcpy(t, a, 19);
    memcpy(t + 15, "000", 3);
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_TRUNCATED), LKI_PARTIAL);
    t[14]++; /* rounded up */
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_TRUNCATED), LKI_PARTIAL);
    t[14]++; /* two more: not a rounding */
    assert_int_equal(id_level_of(a, LK_ID_VALID, t, LK_ID_TRUNCATED), LKI_DIFFERENT);
    /* the register's ID the truncated one, the record's full: the same comparison */
    memcpy(t, a, 19);
    memcpy(t + 15, "000", 3);
    assert_int_equal(id_level_of(t, LK_ID_TRUNCATED, a, LK_ID_VALID), LKI_PARTIAL);
    /* a real ID ending in 000 with a slip reads as a number's: still one slip */
    char z[19];
    make_id(z, 20150304, 100);
    if (!memcmp(z + 15, "000", 3)) {
        memcpy(t, z, 19);
        t[3] = t[3] == '9' ? '8' : (char)(t[3] + 1);
        assert_int_equal(id_level_of(z, LK_ID_VALID, t, LK_ID_TRUNCATED), LKI_NEAR);
    }
    /* one in eleven numbers' 000 happens to make a valid check: still compared as a number */
    bool found = false;
    for (int seq = 100; seq < 999 && !found; seq++) {
        char full[19];
        make_id(full, 20150304, seq);
        memcpy(t, full, 19);
        memcpy(t + 15, "000", 3);
        if (id_check_char(t) != '0' || full[15] >= '5' || !strcmp(t, full))
            continue;
        static const struct lk_model flat;
        struct lk_pair pr = compare(&flat, rec(full, LK_ID_VALID, "王明", 20150304, 1),
                                    rec(t, LK_ID_VALID, "王明", 20150304, 1));
        assert_int_equal(pr.level[LK_ID], LKI_PARTIAL);
        assert_int_equal(pr.id_state, LK_ID_TRUNCATED);
        found = true;
    }
    assert_true(found);
    assert_int_equal(lk_id_state(true, ID_BAD_CHECK | ID_PRECISION_LOST), LK_ID_TRUNCATED);
    assert_int_equal(lk_id_state(true, ID_BAD_CHECK), LK_ID_BAD_CHECK);
    assert_int_equal(lk_id_state(true, ID_BAD_FORMAT), LK_ID_BAD_CHECK);
    assert_int_equal(lk_id_state(true, ID_CONVERTED_15), LK_ID_VALID);
    assert_int_equal(lk_id_state(false, ID_EMPTY), LK_ID_NONE);
}

/* Weights: u_same when the birth dates agree, per ID state for the ID; shown to a tenth and the
 * total the sum of what is shown. */
static void test_weights_and_rounding(void **state)
{
    (void)state;
    static struct lk_model m;
    memset(&m, 0, sizeof(m));
    m.w[LK_NAME][NAME_EXACT] = 10.04;
    m.w_same[LK_NAME][NAME_EXACT] = 7.06;
    m.w[LK_BIRTH][LKB_EXACT] = 11.66;
    m.w[LK_BIRTH][LKB_CLOSE] = -1.44;
    m.w[LK_SEX][LKS_AGREE] = 1.04;
    m.w_same[LK_SEX][LKS_AGREE] = 0.96;
    m.id_w[LK_ID_BAD_CHECK][LKI_NEAR] = 13.97;
    m.id_w_same[LK_ID_BAD_CHECK][LKI_NEAR] = 3.71;
    m.id_w_same[LK_ID_VALID][LKI_NEAR] = -9.8;
    m.outsider = 9.2;
    char a[19], t[19], b[19];
    make_id(a, 20150304, 11);
    memcpy(t, a, 19);
    t[15] = t[15] == '9' ? '8' : (char)(t[15] + 1);
    struct lk_pair pr = compare(&m, rec(a, LK_ID_VALID, "王明", 20150304, 1),
                                rec(t, LK_ID_BAD_CHECK, "王明", 20150304, 1));
    assert_true(pr.same_day);
    assert_int_equal(pr.id_state, LK_ID_BAD_CHECK);
    assert_true(pr.weight[LK_ID] == 3.7 && pr.weight[LK_NAME] == 7.1);
    assert_true(pr.weight[LK_BIRTH] == 11.7 && pr.weight[LK_SEX] == 1.0);
    assert_true(fabs(pr.total - 23.5) < 1e-9);
    assert_true(pr.outsider == 9.2);
    /* a birth date a slip away: the random pairs' u, the ID's state the record's */
    pr = compare(&m, rec(a, LK_ID_VALID, "王明", 20150304, 1),
                 rec(t, LK_ID_BAD_CHECK, "王明", 20150305, 1));
    assert_false(pr.same_day);
    assert_true(pr.weight[LK_ID] == 14.0 && pr.weight[LK_NAME] == 10.0);
    assert_true(fabs(pr.total - (14.0 + 10.0 - 1.4 + 1.0)) < 1e-9);
    /* the register's ID mistyped, the record's valid: weighed as a mistyped ID */
    make_id(b, 20150304, 13);
    memcpy(t, b, 19);
    t[17] = a[17];
    pr = compare(&m, rec(t, LK_ID_BAD_CHECK, "王明", 20150304, 1),
                 rec(a, LK_ID_VALID, "王明", 20150304, 1));
    assert_int_equal(pr.level[LK_ID], LKI_NEAR);
    assert_int_equal(pr.id_state, LK_ID_BAD_CHECK);
    /* a sibling's valid number: the valid state's (negative) weight */
    pr = compare(&m, rec(a, LK_ID_VALID, "王明", 20150304, 1),
                 rec(b, LK_ID_VALID, "王明", 20150304, 1));
    assert_true(pr.weight[LK_ID] == -9.8);
}

static void test_level_keys(void **state)
{
    (void)state;
    for (int f = 0; f < LK__FIELDS; f++)
        for (int l = 0; l < lk_levels((enum lk_field)f); l++) {
            assert_int_equal(lk_level_from_key((enum lk_field)f, lk_level_key((enum lk_field)f, l)),
                             l);
            assert_true(*lk_level_label((enum lk_field)f, l));
        }
    assert_int_equal(lk_level_from_key(LK_ID, "typo"), -1); /* a level of older runs */
    assert_int_equal(lk_level_from_key(LK_ID, NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_levels),
        cmocka_unit_test(test_truncated_ids),
        cmocka_unit_test(test_weights_and_rounding),
        cmocka_unit_test(test_level_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
