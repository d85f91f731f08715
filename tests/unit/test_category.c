/* ingest/category: the priority groups, the lists' categories, the disability certificate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/idcard.h"
#include "ingest/category.h"

static void cert_is(const char *text, const char *id, int category, int level)
{
    char got[19];
    int c = 0, l = 0;
    assert_int_equal(disability_cert_parse(text, strlen(text), got, &c, &l), 0);
    assert_string_equal(got, id);
    assert_int_equal(c, category);
    assert_int_equal(l, level);
}

static void cert_refused(const char *text)
{
    char got[19];
    int c = 0, l = 0;
    if (!disability_cert_parse(text, strlen(text), got, &c, &l))
        fail_msg("\"%s\" read as a certificate (%s, %d, %d)", text, got, c, l);
}

static void test_cert(void **state)
{
    (void)state;
    /* the holder's ID, then category 1–7, then grade 1–4 */
    cert_is("14052120150303002X42", "14052120150303002X", 4, 2);
    cert_is("14052120150303002x42", "14052120150303002X", 4, 2);
    cert_is(" 140521 20150303 0021 71 ", "140521201503030021", 7, 1);
    /* a replaced card prints B1 after it */
    cert_is("14052120150303002171B1", "140521201503030021", 7, 1);
    /* the 18-character ID alone is not a certificate */
    cert_refused("140521201503030021");
    /* a category outside 1–7, a grade outside 1–4 */
    cert_refused("14052120150303002181");
    cert_refused("14052120150303002105");
    cert_refused("14052120150303002145");
    /* X only as the ID's check character */
    cert_refused("1405212015030300X142");
    cert_refused("");
    cert_refused("14052120150303002142B");
    cert_refused("140521201503030021420000000");
}

static void test_category_groups(void **state)
{
    (void)state;
    const struct vocab *pov = kind_categories(KIND_POVERTY);
    const struct vocab *wel = kind_categories(KIND_WELFARE);
    assert_non_null(pov);
    assert_non_null(wel);
    assert_null(kind_categories(KIND_AID));
    assert_null(kind_categories(KIND_POPULATION));
    /* the lists' words, as written */
    assert_string_equal(pov->words[vocab_parse(pov, "边缘户")].key, "marginal");
    assert_string_equal(pov->words[vocab_parse(pov, "脱贫不稳定户")].key, "unstable");
    assert_string_equal(wel->words[vocab_parse(wel, "农村低保")].key, "rural_dibao");
    assert_string_equal(wel->words[vocab_parse(wel, "散居孤儿")].key, "orphan_scattered");
    assert_int_equal(vocab_parse(wel, "脱贫户"), -1);
    /* and the group each gives the child */
    assert_int_equal(category_group(KIND_POVERTY, "poverty"), GRP_POVERTY);
    assert_int_equal(category_group(KIND_POVERTY, "sudden"), GRP_MONITORED);
    assert_int_equal(category_group(KIND_WELFARE, "urban_dibao"), GRP_DIBAO);
    assert_int_equal(category_group(KIND_WELFARE, "tekun"), GRP_TEKUN);
    assert_int_equal(category_group(KIND_WELFARE, "orphan_central"), GRP_ORPHAN);
    assert_int_equal(category_group(KIND_WELFARE, "de_facto"), GRP_DE_FACTO);
    assert_int_equal(category_group(KIND_DISABILITY, "5"), GRP_DISABLED);
    assert_int_equal(category_group(KIND_LEFT_BEHIND, "grandparents"), GRP_LEFT_BEHIND);
    /* a list without the column: the list says the group, except 民政's, which has several */
    assert_int_equal(category_group(KIND_POVERTY, NULL), GRP_POVERTY);
    assert_int_equal(category_group(KIND_DISABILITY, ""), GRP_DISABLED);
    assert_int_equal(category_group(KIND_LEFT_BEHIND, NULL), GRP_LEFT_BEHIND);
    assert_int_equal(category_group(KIND_WELFARE, NULL), -1);
    assert_int_equal(category_group(KIND_AID, NULL), -1);
    /* every category's group is a group */
    for (int k = 0; k < KIND__COUNT; k++) {
        const struct vocab *v = kind_categories((enum import_kind)k);
        for (size_t i = 0; v && i < v->n; i++)
            assert_true(v->words[i].flags < GRP__COUNT);
    }
    assert_int_equal(priority_groups.n, GRP__COUNT);
}

static void test_levels(void **state)
{
    (void)state;
    assert_string_equal(disability_levels.words[vocab_parse(&disability_levels, "一级")].key, "1");
    assert_string_equal(disability_levels.words[vocab_parse(&disability_levels, "4级")].key, "4");
    assert_int_equal(vocab_parse(&disability_levels, "五级"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cert),
        cmocka_unit_test(test_category_groups),
        cmocka_unit_test(test_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
