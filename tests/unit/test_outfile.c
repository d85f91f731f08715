#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <dirent.h>
#include <unistd.h>

#include "util/outfile.h"

#include "testutil.h"

/* Entries of the test directory, "." and ".." aside. */
static int entries(void)
{
    DIR *d = opendir(tu_dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* Nothing at the path, nor beside it, until the file is complete and committed. */
static void test_commit(void **state)
{
    char *p = tu_path(tu_dir, "拒绝.csv");
    struct outfile f;
    struct buf err = BUF_INIT, got = BUF_INIT;

    assert_int_equal(entries(), 0);
    assert_int_equal(outfile_open(&f, p, &err), 0);
    fputs("行号,原因\n", f.fp);
    assert_int_equal(entries(), 0);
    assert_int_equal(access(p, F_OK), -1);
    assert_int_equal(outfile_commit(&f, &err), 0);
    assert_null(f.fp);
    tu_read(p, &got);
    assert_string_equal(got.buf, "行号,原因\n");
    assert_int_equal(entries(), 1);

    /* again: the new file replaces the old one, and nothing else is left */
    assert_int_equal(outfile_open(&f, p, &err), 0);
    fputs("新的\n", f.fp);
    assert_int_equal(outfile_commit(&f, &err), 0);
    buf_reset(&got);
    tu_read(p, &got);
    assert_string_equal(got.buf, "新的\n");
    assert_int_equal(entries(), 1);
    unlink(p);
    buf_release(&got);
    buf_release(&err);
    free(p);
}

static void test_abort(void **state)
{
    char *p = tu_path(tu_dir, "a.csv");
    struct outfile f;
    struct buf err = BUF_INIT;

    assert_int_equal(outfile_open(&f, p, &err), 0);
    fputs("half", f.fp);
    outfile_abort(&f);
    outfile_abort(&f); /* twice is harmless */
    assert_int_equal(entries(), 0);
    buf_release(&err);
    free(p);
}

static void test_unwritable(void **state)
{
    char *p = tu_path(tu_dir, "没有这个目录/a.csv");
    struct outfile f;
    struct buf err = BUF_INIT;

    assert_int_equal(outfile_open(&f, p, &err), -1);
    assert_non_null(strstr(err.buf, "无法写入文件“"));
    assert_non_null(strstr(err.buf, "没有这个目录/a.csv"));
    assert_null(f.fp);
    buf_release(&err);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_unwritable),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
