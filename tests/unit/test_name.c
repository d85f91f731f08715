#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "link/name.h"

static struct name_info make(const char *s)
{
    struct name_info ni;
    name_info_make(&ni, s, strlen(s));
    return ni;
}

static enum name_level cmp(const char *a, const char *b)
{
    struct name_info x = make(a), y = make(b);
    enum name_level l = name_compare(&x, &y);

    /* the comparison is symmetric */
    assert_int_equal(name_compare(&y, &x), l);
    return l;
}

#define assert_level(a, b, level) assert_string_equal(name_level_key(cmp(a, b)), #level)

static const char *pinyin_of(const char *s, char *out, size_t outlen)
{
    struct name_info ni = make(s);
    name_pinyin_text(&ni, out, outlen);
    return out;
}

static const char *py(uint16_t id)
{
    return pinyin_syllable(id);
}

static void test_exact(void **state)
{
    assert_level("张三", "张三", exact);
    assert_level("张三", " 张 三 ", exact);
    assert_level("张三", "张\u3000三", exact);       /* ideographic space */
    assert_level("张三", "\u00a0张\t三\r\n", exact); /* NBSP, tab, line end */
    assert_level("张三", "\u200b张\ufeff三", exact); /* zero-width space, BOM */
    assert_level("曾晓明", "曾晓明", exact);
}

static void test_variant(void **state)
{
    assert_int_equal(hanzi_fold(U'張'), U'张');
    assert_int_equal(hanzi_fold(U'陳'), U'陈');
    assert_int_equal(hanzi_fold(U'銘'), U'铭');
    assert_int_equal(hanzi_fold(U'张'), U'张');
    assert_int_equal(hanzi_fold('A'), 'A');
    assert_level("张伟", "張偉", variant);
    assert_level("陈铭", "陳銘", variant);
    assert_level("陈铭", "陳铭", variant);
    /* a compatibility ideograph and a Kangxi radical fold to the unified ideograph */
    assert_int_equal(hanzi_fold(0xF9C4), U'龙'); /* 龍 U+F9C4 */
    assert_int_equal(hanzi_fold(0x2F9E), U'车'); /* ⾞ KANGXI RADICAL CART */
    /* full-width letters and case */
    assert_level("John", "JOHN", variant);
    assert_level("John", "Ｊｏｈｎ", variant);
}

static void test_kept_apart(void **state)
{
    /* t2s writes 乾 as 干 and the surname 於 as 于; simplified names keep them apart */
    assert_int_equal(hanzi_fold(U'乾'), U'乾');
    assert_int_equal(hanzi_fold(U'於'), U'於');
    assert_level("李乾", "李干", surname);
}

static void test_pinyin(void **state)
{
    assert_level("张晓明", "张小明", pinyin);
    assert_level("陈铭", "陈明", pinyin);
    assert_level("陳銘", "陈明", pinyin); /* variant and sound together */
    assert_level("李丽", "李莉", pinyin);
    assert_level("李丽", "黎莉", pinyin); /* the surname misheard too */
    assert_string_equal(py(hanzi_pinyin(U'晓')), "xiao");
    assert_int_equal(hanzi_pinyin(U'晓'), hanzi_pinyin(U'小'));
    assert_int_equal(hanzi_pinyin(U'铭'), hanzi_pinyin(U'明'));
    /* a traditional character reads as its simplified form */
    assert_int_equal(hanzi_pinyin(U'曉'), hanzi_pinyin(U'晓'));
    /* ü is not u: 吕 and 卢 are different surnames */
    assert_string_equal(py(hanzi_pinyin(U'吕')), "lü");
    assert_string_equal(py(hanzi_pinyin(U'卢')), "lu");
    assert_level("吕丽", "卢丽", different);
    assert_level("吕小丽", "卢小丽", one_char);
}

static void test_li_li_is_not_li_ming(void **state)
{
    /* the example: one string distance cannot tell these apart, the levels can */
    assert_level("李丽", "李莉", pinyin);
    assert_level("李丽", "李明", surname);
}

static void test_one_char(void **state)
{
    assert_level("张晓明", "张晓红", one_char);
    assert_level("张小明", "张晓红", one_char); /* one the same sound, one different */
    assert_level("张小明", "李小明", one_char);
    assert_level("李明", "李小明", one_char); /* dropped */
    assert_level("王小明", "小明", one_char);
    assert_level("欧阳明", "欧阳锋", one_char);
    assert_level("张小明", "张明小", surname); /* two positions differ */
    assert_level("李明", "李小红", surname);
    /* two-character names: a different given name is a different person */
    assert_level("李丽", "李明", surname);
    assert_level("李丽", "王丽", different);
    assert_level("丽", "莉", pinyin);
    assert_level("丽", "明", different);
}

static void test_surname_and_different(void **state)
{
    assert_level("王小明", "王大伟", surname);
    assert_level("欧阳明华", "欧阳建国", surname);
    assert_level("歐陽明華", "欧阳建国", surname);
    assert_level("欧阳明华", "欧建国", different); /* 欧 is not 欧阳 */
    assert_level("李丽", "王明", different);
    assert_level("李丽", "黎明", different); /* the same sound is not the same family */
}

static void test_missing(void **state)
{
    assert_level("", "张三", missing);
    assert_level(" · ", "张三", missing);
    assert_level("", "", missing);
}

static void test_surname_readings(void **state)
{
    struct {
        uint32_t cp;
        const char *surname, *ordinary;
    } cases[] = {
        {U'单', "shan", "dan"}, {U'曾', "zeng", "ceng"}, {U'解', "xie", "jie"},
        {U'仇', "qiu", "chou"}, {U'区', "ou", "qu"},     {U'朴', "piao", "pu"},
        {U'查', "zha", "cha"},  {U'盖', "ge", "gai"},    {U'缪', "miao", "mou"},
        {U'覃', "qin", "tan"},  {U'單', "shan", "dan"},
    };
    char buf[64];

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_string_equal(py(hanzi_surname_pinyin(cases[i].cp)), cases[i].surname);
        assert_string_equal(py(hanzi_pinyin(cases[i].cp)), cases[i].ordinary);
    }
    /* a character without a surname reading has its ordinary one */
    assert_int_equal(hanzi_surname_pinyin(U'李'), hanzi_pinyin(U'李'));

    /* only the surname position takes the surname reading */
    assert_string_equal(pinyin_of("单小明", buf, sizeof(buf)), "shan xiao ming");
    assert_string_equal(pinyin_of("李单", buf, sizeof(buf)), "li dan");
    assert_string_equal(pinyin_of("曾晓明", buf, sizeof(buf)), "zeng xiao ming");
    assert_string_equal(pinyin_of("解放", buf, sizeof(buf)), "xie fang");
    assert_string_equal(pinyin_of("仇明", buf, sizeof(buf)), "qiu ming");
    assert_string_equal(pinyin_of("單小明", buf, sizeof(buf)), "shan xiao ming");

    /* homophone surnames typed from the sound */
    assert_level("单小明", "善小明", pinyin);
    assert_level("曾小明", "增小明", pinyin);
    assert_level("解小明", "谢小明", pinyin);
    assert_level("仇小明", "求小明", pinyin);

    /* readings that hold only inside a compound surname */
    assert_string_equal(pinyin_of("万俟卨", buf, sizeof(buf)), "mo qi xie");
    assert_string_equal(pinyin_of("尉迟恭", buf, sizeof(buf)), "yu chi gong");
    assert_string_equal(pinyin_of("长孙无忌", buf, sizeof(buf)), "zhang sun wu ji");
    assert_string_equal(pinyin_of("澹台灭明", buf, sizeof(buf)), "tan tai mie ming");
    assert_string_equal(pinyin_of("夹谷明", buf, sizeof(buf)), "jia gu ming");
    assert_string_equal(py(hanzi_surname_pinyin(U'长')), "chang");
    assert_string_equal(py(hanzi_surname_pinyin(U'万')), "wan");
}

static void test_compound_surnames(void **state)
{
    struct name_info ni;

    ni = make("欧阳娜娜");
    assert_int_equal(ni.surname_n, 2);
    ni = make("歐陽娜娜");
    assert_int_equal(ni.surname_n, 2);
    ni = make("司马光");
    assert_int_equal(ni.surname_n, 2);
    ni = make("欧阳"); /* two characters: surname 欧, given name 阳 */
    assert_int_equal(ni.surname_n, 1);
    ni = make("张三");
    assert_int_equal(ni.surname_n, 1);
    ni = make("John");
    assert_int_equal(ni.surname_n, 0);
}

/* 𬱖 U+2CC56 (extension E) is the simplified form of 頔 U+9814: OpenCC t2s maps 頔 to it. */
static void test_outside_bmp(void **state)
{
    struct name_info a = make("王𬱖"), b = make("王頔");

    assert_int_equal(hanzi_fold(0x9814), 0x2CC56);
    assert_int_equal(hanzi_fold(0x2CC56), 0x2CC56);
    assert_string_equal(py(hanzi_pinyin(0x2CC56)), "di");
    assert_string_equal(py(hanzi_pinyin(0x9814)), "di");
    assert_int_equal(a.n, 2);
    assert_int_equal(a.raw[1], 0x2CC56);
    assert_int_equal(b.fold[1], 0x2CC56);
    assert_int_equal(name_compare(&a, &b), NAME_VARIANT);
    assert_level("王𬱖", "王迪", pinyin);
    assert_level("王𬱖", "王𬱖", exact);
    /* 赵孟頫's 頫 folds to 𫖯 U+2B5AF (extension C), read fu */
    assert_int_equal(hanzi_fold(0x982B), 0x2B5AF);
    assert_string_equal(py(hanzi_pinyin(0x2B5AF)), "fu");
    assert_level("赵孟頫", "赵孟𫖯", variant);
    /* extension B: 𠀀 U+20000 has a reading, 𠮷 U+20BB7 (a Japanese name character) none */
    assert_string_equal(py(hanzi_pinyin(0x20000)), "he");
    assert_int_equal(hanzi_pinyin(0x20BB7), 0);
    assert_level("𠮷田", "𠮷田", exact);
    assert_level("𠮷田", "吉田", different); /* a variant t2s does not know */
}

static void test_minority_names(void **state)
{
    static const char *const forms[] = {
        "阿依古丽·买买提",      "阿依古丽买买提",     "阿依古丽.买买提",  "阿依古丽 · 买买提",
        "阿依古丽•买买提",      "阿依古丽・买买提",   "阿依古丽．买买提", "阿依古丽。买买提",
        "阿依古丽\u2027买买提", " 阿依古丽　买买提 ",
    };
    struct name_info first = make(forms[0]);

    assert_int_equal(first.n, 7);
    assert_int_equal(first.surname_n, 0);
    for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
        struct name_info ni = make(forms[i]);
        assert_int_equal(name_compare(&first, &ni), NAME_EXACT);
        assert_int_equal(ni.surname_n, 0);
        /* with or without the dot, the same readings */
        assert_memory_equal(ni.py, first.py, sizeof(ni.py));
    }
    assert_level("阿依古丽·买买提", "阿依古丽·买买江", one_char);
    assert_level("阿依古丽·买买提", "阿依古丽·买买提江", one_char);
    /* no surname: sharing a first character 阿 says nothing */
    assert_level("阿依古丽·买买提", "阿不都·热合曼", different);
    assert_level("艾力·买买", "艾力·吐尔", different);
    /* a dot after a single character is a stray, not a minority name */
    assert_int_equal(make("张.三").surname_n, 1);
    assert_level("张.三", "张三", exact);
}

static void test_truncated(void **state)
{
    /* 20 characters */
    const char *longname = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸";
    const char *first16 = "一二三四五六七八九十甲乙丙丁戊己";
    struct name_info a = make(longname), b = make(first16);

    assert_int_equal(a.n, NAME_MAX_CHARS);
    assert_true(a.truncated);
    assert_int_equal(b.n, NAME_MAX_CHARS);
    assert_false(b.truncated);
    assert_int_equal(a.raw[15], U'己');
    assert_int_equal(name_compare(&a, &b), NAME_ONE_CHAR);
    assert_level(longname, longname, exact);
    assert_level(longname, "一二三四五六七八九十甲乙丙丁戊己庚", exact); /* both cut */
    assert_level(longname, "一二三四五六七八九十甲乙丙丁戊", different);
}

static void test_pinyin_text(void **state)
{
    char buf[64];

    assert_string_equal(pinyin_of("吕丽", buf, sizeof(buf)), "lü li");
    assert_string_equal(pinyin_of("阿依古丽·买买提", buf, sizeof(buf)), "a yi gu li mai mai ti");
    assert_string_equal(pinyin_of("李John", buf, sizeof(buf)), "li John");
    assert_string_equal(pinyin_of("John李", buf, sizeof(buf)), "John li");
    assert_string_equal(pinyin_of("", buf, sizeof(buf)), "");
    /* pieces that do not fit are left out whole */
    assert_string_equal(pinyin_of("曾晓明", buf, 10), "zeng xiao");
    assert_string_equal(pinyin_of("曾晓明", buf, 9), "zeng");
    assert_string_equal(pinyin_of("吕", buf, 3), ""); /* "lü" takes 3 bytes and the NUL */
    assert_string_equal(pinyin_of("吕", buf, 4), "lü");
    buf[0] = 'x';
    pinyin_of("吕", buf, 0);
    assert_int_equal(buf[0], 'x');
}

static void test_syllables(void **state)
{
    uint16_t id = pinyin_syllable_id("xiao");

    assert_true(id > 0);
    assert_string_equal(pinyin_syllable(id), "xiao");
    assert_int_equal(hanzi_pinyin(U'小'), id);
    assert_int_equal(pinyin_syllable_id("xyz"), 0);
    assert_int_equal(pinyin_syllable_id(""), 0);
    assert_string_equal(pinyin_syllable(0), "");
    assert_string_equal(pinyin_syllable(60000), "");
    assert_int_equal(hanzi_pinyin('a'), 0);
    assert_int_equal(hanzi_pinyin(0x10FFFF), 0);
}

static void test_bad_input(void **state)
{
    struct name_info ni;

    /* invalid UTF-8 is kept as U+FFFD, never read past the end */
    name_info_make(&ni, "\xe5\xbc", 2);
    assert_int_equal(ni.n, 2);
    assert_int_equal(ni.raw[0], 0xFFFD);
    name_info_make(&ni, "张三", 3); /* cut inside the second character */
    assert_int_equal(ni.n, 1);
    assert_int_equal(ni.raw[0], U'张');
    name_info_make(&ni, NULL, 0);
    assert_int_equal(ni.n, 0);
}

static void test_level_names(void **state)
{
    static const char *const keys[] = {"exact",   "variant",   "pinyin", "one_char",
                                       "surname", "different", "missing"};
    static const char *const labels[] = {"完全相同", "繁简/异体相同", "拼音相同", "一字之差",
                                         "仅姓相同", "不同",          "缺失"};

    for (int l = 0; l < NAME__LEVELS; l++) {
        assert_string_equal(name_level_key((enum name_level)l), keys[l]);
        assert_string_equal(name_level_label((enum name_level)l), labels[l]);
    }
    assert_string_equal(name_level_key(NAME__LEVELS), "");
    assert_string_equal(name_level_label(NAME__LEVELS), "");
}

static bool spells(const char *name, const char *typed)
{
    struct name_info ni;
    char q[NAME_SPELLING_MAX + 1];
    name_info_make(&ni, name, strlen(name));
    return name_spelling_query(typed, q) && name_spelling_matches(&ni, q);
}

static void test_spelling_search(void **state)
{
    (void)state;
    /* the whole reading, the initials, a mix, a prefix, the given name alone, any case */
    assert_true(spells("王宁佳", "wangningjia"));
    assert_true(spells("王宁佳", "wnj"));
    assert_true(spells("王宁佳", "WNJ"));
    assert_true(spells("王宁佳", "wangnj"));
    assert_true(spells("王宁佳", "wningjia"));
    assert_true(spells("王宁佳", "wang ning jia"));
    assert_true(spells("王宁佳", "wang"));
    assert_true(spells("王宁佳", "nj"));
    assert_true(spells("王宁佳", "ningjia"));
    /* the surname's own reading: 单 is shan, 曾 zeng; a compound surname */
    assert_true(spells("单小明", "shanxm"));
    assert_false(spells("单小明", "danxm"));
    assert_true(spells("欧阳娜娜", "oynn"));
    /* ü typed as v or u */
    assert_true(spells("吕芳", "lvfang"));
    assert_true(spells("吕芳", "lufang"));
    /* not the reading, not in order, not from the middle of a syllable */
    assert_false(spells("王宁佳", "wjn"));
    assert_false(spells("王宁佳", "ang"));
    assert_false(spells("王宁佳", "wangningjiax"));
    assert_false(spells("王宁佳", "jia"));
    assert_false(spells("李明", "wnj"));
    /* what is not a spelling: digits, Chinese, nothing */
    char q[NAME_SPELLING_MAX + 1];
    assert_false(name_spelling_query("123X", q));
    assert_false(name_spelling_query("王", q));
    assert_false(name_spelling_query("", q));
    assert_false(name_spelling_query("  ", q));
    assert_true(name_spelling_query("Wang'Ning", q));
    assert_string_equal(q, "wangning");
    /* a long run of one-letter prefixes ends quickly (each state tried once) */
    assert_false(spells("啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊啊", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact),
        cmocka_unit_test(test_variant),
        cmocka_unit_test(test_kept_apart),
        cmocka_unit_test(test_pinyin),
        cmocka_unit_test(test_li_li_is_not_li_ming),
        cmocka_unit_test(test_one_char),
        cmocka_unit_test(test_surname_and_different),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_surname_readings),
        cmocka_unit_test(test_compound_surnames),
        cmocka_unit_test(test_outside_bmp),
        cmocka_unit_test(test_minority_names),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_pinyin_text),
        cmocka_unit_test(test_syllables),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_level_names),
        cmocka_unit_test(test_spelling_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
