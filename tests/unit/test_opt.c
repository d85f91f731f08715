/* Options as data (cli/opt.c): parsing argv by the rows, and the usage the rows write. The
 * refusals (unknown option, missing or bad value) exit the process: tests/cli checks them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include "cli/opt.h"
#include "util/utf8.h"

static const char *const usage[] = {"baoxue tasks [选项]", NULL};

static void test_options_anywhere_and_in_every_form(void **state)
{
    (void)state;
    const char *township = NULL, *out = NULL;
    bool overdue = false;
    long limit = 0;
    int date = 0;
    struct opt_list people = {0};
    const struct opt opts[] = {
        OPT_STRING('t', "township", &township, "乡镇", "只看这个乡镇"),
        OPT_STRING('o', "output", &out, "文件", "写入文件"),
        OPT_BOOL(0, "overdue", &overdue, "只看已逾期的事项"),
        OPT_LONG(0, "limit", &limit, "条数", "至多列出多少条", 1, 1000),
        OPT_DATE(0, "date", &date, "截至这一天"),
        OPT_LIST(0, "person", &people, "人员", "只看这些人"),
        OPT_END(),
    };
    char *argv[] = {"tasks",     "甲",           "--township=郑庄镇",
                    "--overdue", "-o",           "x.xlsx",
                    "乙",        "--limit",      "20",
                    "--date",    "2026年3月4日", "--person",
                    "王五",      "--person",     "赵六",
                    "--",        "--不是选项",   NULL};
    int argc = opt_parse(17, argv, opts, usage, 0);
    assert_int_equal(argc, 4);
    assert_string_equal(argv[0], "tasks");
    assert_string_equal(argv[1], "甲");
    assert_string_equal(argv[2], "乙");
    assert_string_equal(argv[3], "--不是选项");
    assert_null(argv[4]);
    assert_string_equal(township, "郑庄镇");
    assert_string_equal(out, "x.xlsx");
    assert_true(overdue);
    assert_int_equal(limit, 20);
    assert_int_equal(date, 20260304);
    assert_int_equal(people.n, 2);
    assert_string_equal(people.v[1], "赵六");
    opt_list_release(&people);
}

static int sub_list(int argc, char **argv)
{
    (void)argv;
    return argc;
}

static void test_a_subcommand_takes_the_rest(void **state)
{
    (void)state;
    const char *db = NULL;
    opt_subcommand_fn fn = NULL;
    const struct opt common[] = {OPT_STRING(0, "db", &db, "路径", "数据库"), OPT_END()};
    const struct opt opts[] = {
        OPT_SUBCOMMAND("list", &fn, sub_list, "列出"),
        OPT_INCLUDE(common),
        OPT_END(),
    };
    char *argv[] = {"case", "--db", "县.db", "list", "--state", "all", NULL};
    int argc = opt_parse(6, argv, opts, usage, 0);
    assert_ptr_equal(fn, sub_list);
    assert_string_equal(db, "县.db");
    assert_int_equal(argc, 3);
    assert_string_equal(argv[0], "list");
    assert_string_equal(argv[1], "--state");
    /* no subcommand given: none chosen */
    char *none[] = {"case", NULL};
    assert_int_equal(opt_parse(1, none, opts, usage, 0), 1);
    assert_null(fn);
}

static void test_unknown_options_kept_when_asked(void **state)
{
    (void)state;
    bool full = false;
    const struct opt opts[] = {OPT_BOOL(0, "full", &full, "完整"), OPT_END()};
    char *argv[] = {"x", "--method", "家访", "--full", NULL};
    int argc = opt_parse(4, argv, opts, usage, OPT_KEEP_UNKNOWN);
    assert_true(full);
    assert_int_equal(argc, 3);
    assert_string_equal(argv[1], "--method");
    assert_string_equal(argv[2], "家访");
}

static void test_usage_lists_every_row_aligned(void **state)
{
    (void)state;
    const char *t = NULL;
    bool b = false;
    const struct opt common[] = {OPT_STRING(0, "db", &t, "路径", "数据库文件"), OPT_END()};
    const struct opt opts[] = {
        OPT_GROUP("筛选"),
        OPT_STRING('t', "township", &t, "乡镇", "只看这个乡镇"),
        OPT_BOOL(0, "overdue", &b, "只看已逾期的事项"),
        OPT_INCLUDE(common),
        OPT_END(),
    };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    opt_usage(f, opts, usage);
    fclose(f);
    assert_non_null(strstr(text, "用法：baoxue tasks [选项]\n"));
    assert_non_null(strstr(text, "筛选\n"));
    assert_non_null(strstr(text, "  -t, --township 乡镇"));
    assert_non_null(strstr(text, "只看已逾期的事项\n"));
    assert_non_null(strstr(text, "  --db 路径"));
    /* the help of every row starts in the same column */
    const char *a = strstr(text, "只看这个乡镇"), *la = a;
    while (la > text && la[-1] != '\n')
        la--;
    const char *c = strstr(text, "数据库文件"), *lc = c;
    while (lc > text && lc[-1] != '\n')
        lc--;
    /* byte offsets differ with the Chinese value names; the display columns do not */
    assert_int_equal(utf8_width(la, (size_t)(a - la)), 28);
    assert_int_equal(utf8_width(lc, (size_t)(c - lc)), 28);
    free(text);
}

static void test_attached_short_value(void **state)
{
    (void)state;
    const char *out = NULL;
    bool full = false;
    const struct opt opts[] = {
        OPT_STRING('o', "output", &out, "文件", "写入文件"),
        OPT_BOOL('f', "full", &full, "完整"),
        OPT_END(),
    };
    char *argv[] = {"report", "-o名单.xlsx", "summary", "-f", NULL};
    int argc = opt_parse(4, argv, opts, usage, 0);
    assert_int_equal(argc, 2);
    assert_string_equal(out, "名单.xlsx");
    assert_true(full);
}

static void test_description_after_the_forms(void **state)
{
    (void)state;
    bool b = false;
    const struct opt opts[] = {OPT_BOOL(0, "overdue", &b, "只看已逾期的事项"), OPT_END()};
    static const char *const described[] = {"baoxue tasks [选项]", "baoxue tasks verify", "",
                                            "列出到期的事项。", NULL};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    opt_usage(f, opts, described);
    fclose(f);
    assert_string_equal(text, "用法：baoxue tasks [选项]\n"
                              "      baoxue tasks verify\n"
                              "\n"
                              "列出到期的事项。\n"
                              "\n"
                              "选项：\n"
                              "  --overdue                 只看已逾期的事项\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_anywhere_and_in_every_form),
        cmocka_unit_test(test_a_subcommand_takes_the_rest),
        cmocka_unit_test(test_unknown_options_kept_when_asked),
        cmocka_unit_test(test_usage_lists_every_row_aligned),
        cmocka_unit_test(test_attached_short_value),
        cmocka_unit_test(test_description_after_the_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
