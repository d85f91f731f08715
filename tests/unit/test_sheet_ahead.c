#include "util/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>
#include <xlsxwriter.h>

#include "ingest/sheet.h"

#include "testutil.h"

/*
 * Reading ahead (src/ingest/sheet_ahead.c): every row a sheet gives on a thread of its own is
 * the row it gives without one — numbers, kinds, texts, lengths, values — over several batches
 * (1,024 rows each), and so are the end, an error after good rows, progress and the expanded
 * bytes; closing or selecting in the middle stops the thread (the sanitizer build sees leaks
 * and races).
 */

/* Every row from here to the end or failure, one line each with all a cell holds; the last
 * line says how it ended (and the message). `skip` rows are read first without reading ahead. */
static void dump(const char *path, bool ahead, long skip, struct buf *out, double *progress_at_end,
                 uint64_t *expanded)
{
    struct sheet_reader *r = tu_sheet_open(path);
    struct buf err = BUF_INIT;
    const struct row *row;
    double last = 0;
    int rc;
    buf_reset(out);
    for (long i = 0; i < skip; i++)
        assert_int_equal(sheet_next_row(r, &row, &err), 1);
    if (ahead)
        assert_int_equal(sheet_read_ahead(r, &err), 0);
    while ((rc = sheet_next_row(r, &row, &err)) == 1) {
        buf_addf(out, "%ld:", row->number);
        for (size_t i = 0; i < row->ncells; i++) {
            const struct cell *c = &row->cells[i];
            assert_int_equal(strlen(c->text), c->len);
            buf_addf(out, " %d/%s/%zu/%.17g", c->kind, c->text, c->len, c->number);
        }
        buf_addch(out, '\n');
        double p = sheet_progress(r);
        assert_true(p >= last && p <= 1); /* only grows */
        last = p;
    }
    buf_addf(out, "end %d %s\n", rc, rc < 0 ? err.buf : "");
    /* the same answer again */
    buf_reset(&err);
    assert_int_equal(sheet_next_row(r, &row, &err), rc);
    if (rc < 0)
        assert_non_null(strstr(out->buf, err.buf));
    *progress_at_end = sheet_progress(r);
    *expanded = sheet_expanded(r);
    sheet_close(r);
    buf_release(&err);
}

static void same_both_ways(const char *path, long skip)
{
    struct buf plain = BUF_INIT, ahead = BUF_INIT;
    double p1, p2;
    uint64_t e1, e2;
    dump(path, false, skip, &plain, &p1, &e1);
    dump(path, true, skip, &ahead, &p2, &e2);
    assert_string_equal(plain.buf, ahead.buf);
    assert_true(p1 == p2);
    assert_true(e1 == e2);
    buf_release(&plain);
    buf_release(&ahead);
}

static void test_csv_many_batches(void **state)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "姓名,身份证号,备注\n");
    for (int i = 0; i < 5000; i++) {
        if (i % 97 == 0)
            buf_adds(&b, "\n"); /* an empty row keeps its number */
        buf_addf(&b, "儿童%d,14052120150304%04d,\"引号,逗号\"\n", i, i);
    }
    char *p = tu_write(tu_dir, "many.csv", b.buf, b.len);
    same_both_ways(p, 0);
    same_both_ways(p, 3); /* the header scan reads a few rows before */
    buf_release(&b);
    free(p);
}

static void test_csv_big_rows(void **state)
{
    /* rows of 60 KB: a batch is sent by its text (4 MiB), long before 1,024 rows */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 300; i++) {
        buf_addf(&b, "%d,", i);
        for (int k = 0; k < 20000; k++)
            buf_adds(&b, "字");
        buf_addch(&b, '\n');
    }
    char *p = tu_write(tu_dir, "big.csv", b.buf, b.len);
    same_both_ways(p, 0);
    buf_release(&b);
    free(p);
}

static void test_csv_error_after_rows(void **state)
{
    struct buf b = BUF_INIT;
    long line = 0;
    while (b.len < 1536 * 1024)
        buf_addf(&b, "张三,%ld\n", ++line);
    buf_adds(&b, "bad,\xC0\xAF\n");
    char *p = tu_write(tu_dir, "bad.csv", b.buf, b.len);
    struct buf out = BUF_INIT;
    double pr;
    uint64_t ex;
    dump(p, true, 0, &out, &pr, &ex);
    char *where = xstrfmt("第 %ld 行", line + 1);
    assert_non_null(strstr(out.buf, where));
    assert_non_null(strstr(out.buf, "end -1"));
    same_both_ways(p, 0);
    free(where);
    buf_release(&out);
    buf_release(&b);
    free(p);
}

static void test_xlsx_many_batches(void **state)
{
    char *p = tu_path(tu_dir, "many.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "学籍");
    lxw_format *ymd = workbook_add_format(wb);
    format_set_num_format(ymd, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    for (int i = 1; i <= 3000; i++) {
        lxw_datetime d = {2015, 1 + i % 12, 1 + i % 28, 0, 0, 0};
        char name[32];
        snprintf(name, sizeof(name), "学生%d", i % 700); /* shared strings used again */
        if (i % 211 == 0)
            continue; /* a missing row */
        worksheet_write_string(ws, (lxw_row_t)i, 0, name, NULL);
        worksheet_write_number(ws, (lxw_row_t)i, 1, i * 1.25, NULL);
        worksheet_write_datetime(ws, (lxw_row_t)i, 2, &d, ymd);
        if (i % 3 == 0)
            worksheet_write_boolean(ws, (lxw_row_t)i, 4, i % 2, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    same_both_ways(p, 0);
    same_both_ways(p, 2);
    free(p);
}

static void test_stopped_by_close_and_select(void **state)
{
    struct buf b = BUF_INIT, err = BUF_INIT;
    for (int i = 0; i < 10000; i++)
        buf_addf(&b, "%d,行\n", i);
    char *p = tu_write(tu_dir, "stop.csv", b.buf, b.len);
    const struct row *row;

    /* closed after one row, and before any */
    struct sheet_reader *r = tu_sheet_open(p);
    assert_int_equal(sheet_read_ahead(r, &err), 0);
    assert_int_equal(sheet_next_row(r, &row, &err), 1);
    sheet_close(r);
    r = tu_sheet_open(p);
    assert_int_equal(sheet_read_ahead(r, &err), 0);
    sheet_close(r);

    /* a select rewinds: the first row again, read on this thread */
    r = tu_sheet_open(p);
    assert_int_equal(sheet_read_ahead(r, &err), 0);
    for (int i = 0; i < 2000; i++)
        assert_int_equal(sheet_next_row(r, &row, &err), 1);
    assert_int_equal(row->number, 2000);
    assert_int_equal(sheet_select(r, 0, &err), 0);
    assert_int_equal(sheet_next_row(r, &row, &err), 1);
    assert_int_equal(row->number, 1);
    assert_string_equal(row->cells[0].text, "0");
    sheet_close(r);
    buf_release(&b);
    buf_release(&err);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_many_batches),
        cmocka_unit_test(test_csv_big_rows),
        cmocka_unit_test(test_csv_error_after_rows),
        cmocka_unit_test(test_xlsx_many_batches),
        cmocka_unit_test(test_stopped_by_close_and_select),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
