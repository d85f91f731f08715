#include "util/common.h"

#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "ingest/sheet.h"

#include "testutil.h"

/* Every test writes real files into one mkdtemp directory (tu_dir) and reads them back. */

/* Convert UTF-8 to `to` with iconv, as a department's Excel would have saved it. */
static void convert(struct buf *out, const char *to, const char *s, size_t len)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    char *in = (char *)s;
    size_t inleft = len;

    assert_true(cd != (iconv_t)-1);
    buf_grow(out, len * 4 + 16);
    char *o = out->buf + out->len;
    size_t oleft = out->alloc - out->len - 1;
    assert_int_not_equal(iconv(cd, &in, &inleft, &o, &oleft), (size_t)-1);
    buf_setlen(out, (size_t)(o - out->buf));
    iconv_close(cd);
}

static void open_fails(const char *path, const char *expect)
{
    struct sheet_reader *r = NULL;
    struct buf err = BUF_INIT;
    assert_int_equal(sheet_open(&r, path, &err), -1);
    assert_null(r);
    if (!strstr(err.buf, expect))
        fail_msg("message \"%s\" lacks \"%s\"", err.buf, expect);
    buf_release(&err);
}

static const struct row *next(struct sheet_reader *r, long number)
{
    const struct row *row = NULL;
    struct buf err = BUF_INIT;
    int rc = sheet_next_row(r, &row, &err);
    if (rc != 1)
        fail_msg("expected row %ld, got %d: %s", number, rc, err.buf);
    buf_release(&err);
    assert_int_equal(row->number, number);
    return row;
}

static void at_end(struct sheet_reader *r)
{
    const struct row *row;
    struct buf err = BUF_INIT;
    int rc = sheet_next_row(r, &row, &err);
    if (rc != 0)
        fail_msg("expected the end, got %d (row %ld) %s", rc, rc == 1 ? row->number : 0L, err.buf);
    buf_release(&err);
}

/* Read to the failure; the message must contain every `expect`. Returns rows read before. */
static long fails_later(struct sheet_reader *r, const char *expect1, const char *expect2)
{
    const struct row *row;
    struct buf err = BUF_INIT;
    long rows = 0;
    int rc;

    while ((rc = sheet_next_row(r, &row, &err)) == 1)
        rows++;
    assert_int_equal(rc, -1);
    if (!strstr(err.buf, expect1) || (expect2 && !strstr(err.buf, expect2)))
        fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err.buf, expect1, expect2 ? expect2 : "");
    /* a failed reader keeps failing */
    assert_int_equal(sheet_next_row(r, &row, &err), -1);
    buf_release(&err);
    return rows;
}

static void cell_is(const struct row *row, size_t i, enum cell_kind kind, const char *text)
{
    if (i >= row->ncells)
        fail_msg("row %ld has %zu cells, wanted cell %zu", row->number, row->ncells, i);
    if (row->cells[i].kind != kind || strcmp(row->cells[i].text, text))
        fail_msg("row %ld cell %zu: kind %d \"%s\", wanted kind %d \"%s\"", row->number, i,
                 row->cells[i].kind, row->cells[i].text, kind, text);
    assert_int_equal(row->cells[i].len, strlen(text));
}

static void cells_are(const struct row *row, size_t n, ...)
{
    va_list ap;
    assert_int_equal(row->ncells, n);
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        cell_is(row, i, *row->cells[i].text ? CELL_TEXT : CELL_EMPTY, va_arg(ap, const char *));
    va_end(ap);
}

/* ---------------------------------------------------------------- CSV */

static void test_csv_utf8(void **state)
{
    char *p = tu_write_str(tu_dir, "utf8.csv",
                           "姓名,身份证号,出生日期\n张三,11010519491231002X,2015-03-04\n"
                           "\n李四,,\n,  x  ,\n");
    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row;

    assert_string_equal(sheet_format(r), "csv");
    assert_string_equal(sheet_encoding(r), "UTF-8");
    assert_int_equal(sheet_count(r), 1);
    assert_string_equal(sheet_name(r, 0), "utf8");
    cells_are(next(r, 1), 3, "姓名", "身份证号", "出生日期");
    cells_are(next(r, 2), 3, "张三", "11010519491231002X", "2015-03-04");
    assert_int_equal(next(r, 3)->ncells, 0);
    cells_are(next(r, 4), 1, "李四");
    row = next(r, 5);
    cells_are(row, 2, "", "  x  ");
    assert_int_equal(row->cells[0].kind, CELL_EMPTY);
    at_end(r);
    assert_true(sheet_progress(r) == 1.0);
    sheet_close(r);
    free(p);
}

static void test_csv_bom_crlf(void **state)
{
    char *p = tu_write_str(tu_dir, "bom.csv", "\xEF\xBB\xBF姓名,年龄\r\n王五,7\r\n\r\n赵六,8");
    struct sheet_reader *r = tu_sheet_open(p);

    assert_string_equal(sheet_encoding(r), "UTF-8 (BOM)");
    cells_are(next(r, 1), 2, "姓名", "年龄");
    cells_are(next(r, 2), 2, "王五", "7");
    assert_int_equal(next(r, 3)->ncells, 0);
    cells_are(next(r, 4), 2, "赵六", "8");
    at_end(r);
    /* select rewinds, past the BOM */
    struct buf err = BUF_INIT;
    assert_int_equal(sheet_select(r, 0, &err), 0);
    cells_are(next(r, 1), 2, "姓名", "年龄");
    assert_int_equal(sheet_select(r, 1, &err), -1);
    buf_release(&err);
    sheet_close(r);
    free(p);
}

static void test_csv_gb18030(void **state)
{
    const char *text =
        "姓名,民族,住址\r\n欧阳娜娜,汉族,沁水县龙港镇\r\n买买提·艾力,维吾尔族,€㐀\r\n";
    struct buf gb = BUF_INIT;
    convert(&gb, "GB18030", text, strlen(text));
    assert_false(memmem(gb.buf, gb.len, "姓名", strlen("姓名"))); /* really converted */
    char *p = tu_write(tu_dir, "gb.csv", gb.buf, gb.len);
    struct sheet_reader *r = tu_sheet_open(p);

    assert_string_equal(sheet_encoding(r), "GB18030");
    cells_are(next(r, 1), 3, "姓名", "民族", "住址");
    cells_are(next(r, 2), 3, "欧阳娜娜", "汉族", "沁水县龙港镇");
    cells_are(next(r, 3), 3, "买买提·艾力", "维吾尔族", "€㐀");
    at_end(r);
    sheet_close(r);
    buf_release(&gb);
    free(p);
}

static void test_csv_utf16_tab(void **state)
{
    const char *text = "姓名\t性别\t备注\n张三\t男\t有,逗号\n李四\t女\t\n";
    struct buf le = BUF_INIT, be = BUF_INIT;
    buf_add(&le, "\xFF\xFE", 2);
    convert(&le, "UTF-16LE", text, strlen(text));
    buf_add(&be, "\xFE\xFF", 2);
    convert(&be, "UTF-16BE", text, strlen(text));
    char *p1 = tu_write(tu_dir, "le.txt", le.buf, le.len);
    char *p2 = tu_write(tu_dir, "be.txt", be.buf, be.len);

    for (int k = 0; k < 2; k++) {
        struct sheet_reader *r = tu_sheet_open(k ? p2 : p1);
        assert_string_equal(sheet_encoding(r), k ? "UTF-16BE" : "UTF-16LE");
        cells_are(next(r, 1), 3, "姓名", "性别", "备注");
        cells_are(next(r, 2), 3, "张三", "男", "有,逗号");
        cells_are(next(r, 3), 2, "李四", "女");
        at_end(r);
        sheet_close(r);
    }
    buf_release(&le);
    buf_release(&be);
    free(p1);
    free(p2);
}

static void test_csv_quotes(void **state)
{
    char *p = tu_write_str(tu_dir, "quotes.csv",
                           "a,b\r\n\"x\r\ny\",\"he said \"\"hi\"\"\"\r\n"
                           "\"\",plain\"q\r\n\"a,b\",\"2\nlines\n\"\r\nlast,row");
    struct sheet_reader *r = tu_sheet_open(p);

    cells_are(next(r, 1), 2, "a", "b");
    cells_are(next(r, 2), 2, "x\r\ny", "he said \"hi\"");
    /* Row numbers are records, as Excel numbers its rows, not physical lines. */
    cells_are(next(r, 3), 2, "", "plain\"q");
    cells_are(next(r, 4), 2, "a,b", "2\nlines\n");
    cells_are(next(r, 5), 2, "last", "row");
    at_end(r);
    sheet_close(r);
    free(p);
}

static void test_csv_semicolon_cr(void **state)
{
    char *p = tu_write_str(tu_dir, "semi.csv", "姓名;年龄\r张三;7\r\r李四;8,5\r");
    struct sheet_reader *r = tu_sheet_open(p);

    cells_are(next(r, 1), 2, "姓名", "年龄");
    cells_are(next(r, 2), 2, "张三", "7");
    assert_int_equal(next(r, 3)->ncells, 0);
    cells_are(next(r, 4), 2, "李四", "8,5");
    at_end(r);
    sheet_close(r);
    free(p);
}

/*
 * A file whose 1 MiB chunk boundary falls inside a multibyte character: `unit` is one
 * character in the file's encoding; lines are 100 characters and a newline, and the padding
 * line in front puts a character start at offset 1 MiB - 1.
 */
static struct buf split_file(const char *unit, size_t ulen, long *nlines, bool *padded)
{
    struct buf b = BUF_INIT;
    size_t line = 100 * ulen + 1, target = 1024 * 1024 - 1, pad = target % line;

    if (pad) {
        buf_addchars(&b, 'p', pad - 1);
        buf_addch(&b, '\n');
    }
    *nlines = pad ? 1 : 0;
    *padded = pad != 0;
    while (b.len < 3 * 1024 * 1024) {
        for (int i = 0; i < 100; i++)
            buf_add(&b, unit, ulen);
        buf_addch(&b, '\n');
        ++*nlines;
    }
    return b;
}

static void check_split(const char *name, const char *unit, size_t ulen, const char *enc)
{
    long lines, n = 0;
    bool padded;
    struct buf b = split_file(unit, ulen, &lines, &padded), want = BUF_INIT;
    char *p = tu_write(tu_dir, name, b.buf, b.len);
    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row;
    struct buf err = BUF_INIT;
    int rc;

    for (int i = 0; i < 100; i++)
        buf_adds(&want, "中");
    assert_string_equal(sheet_encoding(r), enc);
    while ((rc = sheet_next_row(r, &row, &err)) == 1) {
        n++;
        assert_int_equal(row->number, n);
        if (n == 1 && padded)
            continue;
        assert_int_equal(row->ncells, 1);
        assert_string_equal(row->cells[0].text, want.buf);
    }
    if (rc)
        fail_msg("%s", err.buf);
    assert_int_equal(n, lines);
    sheet_close(r);
    buf_release(&b);
    buf_release(&want);
    buf_release(&err);
    free(p);
}

static void test_csv_chunk_boundaries(void **state)
{
    check_split("split-gb.csv", "\xD6\xD0", 2, "GB18030"); /* 中 in GB18030 */
    check_split("split-u8.csv", "中", 3, "UTF-8");
}

static void test_csv_utf8_invalid_later(void **state)
{
    struct buf b = BUF_INIT;
    long line = 0;
    while (b.len < 1536 * 1024)
        buf_addf(&b, "张三,%ld\n", ++line);
    buf_adds(&b, "bad,\xC0\xAF\n"); /* line + 1 */
    char *p = tu_write(tu_dir, "badutf8.csv", b.buf, b.len);
    struct sheet_reader *r = tu_sheet_open(p);
    char *where = xstrfmt("第 %ld 行", line + 1);

    assert_string_equal(sheet_encoding(r), "UTF-8");
    assert_int_equal(fails_later(r, where, "UTF-8"), line);
    sheet_close(r);
    buf_release(&b);
    free(where);
    free(p);
}

static void test_csv_unclosed_quote(void **state)
{
    char *p = tu_write_str(tu_dir, "unclosed.csv", "a,b\n1,\"abc\n2,3\n");
    struct sheet_reader *r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "第 2 行第 2 列", "引号"), 1);
    sheet_close(r);
    free(p);
}

static void test_csv_long_cell(void **state)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "姓名,备注\n张三,");
    buf_addchars(&b, 'A', SHEET_MAX_CELL_BYTES + 1);
    buf_adds(&b, "\n");
    char *p = tu_write(tu_dir, "long.csv", b.buf, b.len);
    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row;
    struct buf err = BUF_INIT;

    next(r, 1);
    assert_int_equal(sheet_next_row(r, &row, &err), -1);
    assert_string_equal(
        err.buf,
        "CSV 文件第 2 行第 2 列：单元格超过 128 KiB 的上限（比 Excel 一个单元格能容纳的还多）");
    sheet_close(r);
    buf_release(&b);
    buf_release(&err);
    free(p);
}

static void test_csv_50mb_line(void **state)
{
    struct buf b = BUF_INIT;
    char *p;
    struct sheet_reader *r;

    /* one 50 MB line without a delimiter: the cell limit */
    buf_addchars(&b, '1', 50u << 20);
    p = tu_write(tu_dir, "line1.csv", b.buf, b.len);
    r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "第 1 行第 1 列", "单元格超过"), 0);
    sheet_close(r);
    unlink(p);
    free(p);

    /* one 50 MB line of 100 KiB cells: the row limit (1 MiB) */
    buf_reset(&b);
    while (b.len < (50u << 20)) {
        buf_addchars(&b, '2', 100 * 1024);
        buf_addch(&b, ',');
    }
    p = tu_write(tu_dir, "line2.csv", b.buf, b.len);
    r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "第 1 行", "这一行超过 1 MiB"), 0);
    sheet_close(r);
    unlink(p);
    free(p);
    buf_release(&b);
}

static void test_csv_50mb_column(void **state)
{
    struct buf b = BUF_INIT;
    long lines = 0, n = 0;
    const struct row *row;
    struct buf err = BUF_INIT;
    double last = 0;
    int rc;

    buf_adds(&b, "身份证号\n");
    lines = 1;
    while (b.len < (50u << 20)) {
        buf_adds(&b, "11010519491231002X\n");
        lines++;
    }
    char *p = tu_write(tu_dir, "column.csv", b.buf, b.len);
    buf_release(&b);
    struct sheet_reader *r = tu_sheet_open(p);
    while ((rc = sheet_next_row(r, &row, &err)) == 1) {
        n++;
        assert_int_equal(row->number, n);
        assert_int_equal(row->ncells, 1);
        if (n > 1)
            assert_int_equal(row->cells[0].len, 18);
        assert_true(sheet_progress(r) >= last);
        last = sheet_progress(r);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, lines);
    assert_true(last == 1.0);
    sheet_close(r);
    buf_release(&err);
    unlink(p);
    free(p);
}

static void test_csv_columns(void **state)
{
    struct buf b = BUF_INIT;
    for (int i = 0; i < 10000; i++)
        buf_addf(&b, "%sc%d", i ? "," : "", i);
    buf_addch(&b, '\n');
    for (int i = 0; i < 10000; i++)
        buf_addf(&b, "%s%d", i ? "," : "", i);
    buf_addch(&b, '\n');
    char *p = tu_write(tu_dir, "wide.csv", b.buf, b.len);
    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row = next(r, 1);
    assert_int_equal(row->ncells, 10000);
    cell_is(row, 9999, CELL_TEXT, "c9999");
    row = next(r, 2);
    assert_int_equal(row->ncells, 10000);
    cell_is(row, 0, CELL_TEXT, "0");
    cell_is(row, 9999, CELL_TEXT, "9999");
    at_end(r);
    sheet_close(r);
    free(p);

    buf_reset(&b);
    buf_addchars(&b, ',', SHEET_MAX_COLUMNS);
    buf_adds(&b, "x\n");
    p = tu_write(tu_dir, "too-wide.csv", b.buf, b.len);
    r = tu_sheet_open(p);
    fails_later(r, "第 1 行第 16385 列", "超过 16384 列");
    sheet_close(r);
    free(p);
    buf_release(&b);
}

static void test_not_a_sheet(void **state)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0,   0, 0,
                                        0x0D, 'I', 'H', 'D', 'R',  0,    0,    0,    1,   0, 0,
                                        0,    1,   8,   6,   0,    0,    0,    0x1F, 0x15};
    static const unsigned char elf[] = {0x7F, 'E', 'L', 'F', 2, 1, 1,    0, 0, 0, 0, 0,
                                        0,    0,   0,   0,   3, 0, 0x3E, 0, 1, 0, 0, 0};
    struct buf ctrl = BUF_INIT;
    char *p;

    p = tu_write(tu_dir, "image.png", png, sizeof(png));
    open_fails(p, "文件不是可识别的电子表格（xlsx、xls 或 csv）");
    free(p);
    p = tu_write(tu_dir, "program", elf, sizeof(elf));
    open_fails(p, "文件不是可识别的电子表格（xlsx、xls 或 csv）");
    free(p);
    for (int i = 0; i < 4096; i++)
        buf_addch(&ctrl, 1 + i % 8);
    p = tu_write(tu_dir, "ctrl.csv", ctrl.buf, ctrl.len);
    open_fails(p, "文件不是可识别的电子表格（xlsx、xls 或 csv）");
    free(p);
    buf_release(&ctrl);
    p = tu_write_str(tu_dir, "export.xls",
                     "\r\n<html><body><table><tr><td>姓名</td></tr></table></body></html>");
    open_fails(p, "网页（HTML）");
    free(p);
    p = tu_write_str(tu_dir, "export2.xls",
                     "<?xml version=\"1.0\"?>\n<Workbook xmlns="
                     "\"urn:schemas-microsoft-com:office:spreadsheet\"/>");
    open_fails(p, "XML");
    free(p);
    p = tu_write(tu_dir, "empty.csv", "", 0);
    open_fails(p, "文件是空的");
    free(p);
    p = tu_path(tu_dir, "does-not-exist.csv");
    open_fails(p, "无法打开文件");
    free(p);
}

/* ---------------------------------------------------------------- XLSX */

static void make_zip(const char *path, const char *const *parts, size_t n)
{
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(z);
    for (size_t i = 0; i < n; i += 2) {
        zip_source_t *src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, parts[i], src, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG  "http://schemas.openxmlformats.org/package/2006/relationships"

static char *write_xlsxwriter(void)
{
    char *p = tu_path(tu_dir, "writer.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Sheet2");
    lxw_format *title = workbook_add_format(wb);
    lxw_format *ymd = workbook_add_format(wb);
    lxw_format *cn = workbook_add_format(wb);
    lxw_format *dt = workbook_add_format(wb);
    lxw_format *money = workbook_add_format(wb);
    lxw_datetime d1 = {2015, 3, 4, 0, 0, 0}, d2 = {2015, 3, 4, 8, 30, 0};

    format_set_bold(title);
    format_set_num_format(ymd, "yyyy-mm-dd");
    format_set_num_format(cn, "yyyy\"年\"m\"月\"d\"日\"");
    format_set_num_format(dt, "yyyy-mm-dd hh:mm");
    format_set_num_format(money, "#,##0.00_);[Red](#,##0.00)");
    worksheet_merge_range(ws, 0, 0, 0, 4, "沁水县2026年适龄儿童花名册", title);
    worksheet_write_string(ws, 1, 0, "姓名", NULL);
    worksheet_write_string(ws, 1, 1, "身份证号", NULL);
    worksheet_write_string(ws, 1, 2, "出生日期", NULL);
    worksheet_write_string(ws, 1, 3, "年龄", NULL);
    worksheet_write_string(ws, 1, 4, "备注", NULL);
    worksheet_write_string(ws, 2, 0, "张三", NULL);
    worksheet_write_number(ws, 2, 1, 140521201503041234.0, NULL);
    worksheet_write_datetime(ws, 2, 2, &d1, ymd);
    worksheet_write_number(ws, 2, 3, 7, NULL);
    worksheet_write_string(ws, 3, 0, "张三", NULL); /* shared string used twice */
    worksheet_write_string(ws, 3, 1, "14052120150304123X", NULL);
    worksheet_write_datetime(ws, 3, 2, &d1, cn);
    worksheet_write_number(ws, 3, 3, 8.5, money);
    worksheet_write_string(ws, 6, 4, "备注", NULL); /* sparse: rows 5, 6 missing, E7 only */
    worksheet_write_boolean(ws, 7, 0, 1, NULL);
    worksheet_write_datetime(ws, 7, 1, &d2, dt);
    worksheet_write_number(ws, 7, 2, 0.1, NULL);
    worksheet_write_number(ws, 7, 3, -3, NULL);
    worksheet_write_number(ws, 7, 4, 1234567890123456.0, NULL);
    worksheet_write_string(ws2, 0, 0, "第二页", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return p;
}

static void test_xlsx_writer(void **state)
{
    char *p = write_xlsxwriter();
    struct sheet_reader *r = tu_sheet_open(p);
    struct buf err = BUF_INIT;
    const struct row *row;

    assert_string_equal(sheet_format(r), "xlsx");
    assert_int_equal(sheet_count(r), 2);
    assert_string_equal(sheet_name(r, 0), "花名册");
    assert_string_equal(sheet_name(r, 1), "Sheet2");
    assert_int_equal(sheet_selected(r), 0);

    row = next(r, 1);
    assert_int_equal(row->ncells, 1); /* the merged title: the other cells are empty */
    cell_is(row, 0, CELL_TEXT, "沁水县2026年适龄儿童花名册");
    cells_are(next(r, 2), 5, "姓名", "身份证号", "出生日期", "年龄", "备注");
    row = next(r, 3);
    assert_int_equal(row->ncells, 4);
    cell_is(row, 0, CELL_TEXT, "张三");
    cell_is(row, 1, CELL_NUMBER, "1.40521201503041E+17");
    cell_is(row, 2, CELL_DATE, "2015-03-04");
    assert_true(row->cells[2].number == 42067);
    cell_is(row, 3, CELL_NUMBER, "7");
    row = next(r, 4);
    cell_is(row, 0, CELL_TEXT, "张三");
    cell_is(row, 1, CELL_TEXT, "14052120150304123X");
    cell_is(row, 2, CELL_DATE, "2015-03-04");
    cell_is(row, 3, CELL_NUMBER, "8.5");
    assert_int_equal(next(r, 5)->ncells, 0);
    assert_int_equal(next(r, 6)->ncells, 0);
    row = next(r, 7);
    assert_int_equal(row->ncells, 5);
    for (int i = 0; i < 4; i++)
        cell_is(row, (size_t)i, CELL_EMPTY, "");
    cell_is(row, 4, CELL_TEXT, "备注");
    row = next(r, 8);
    cell_is(row, 0, CELL_BOOL, "TRUE");
    cell_is(row, 1, CELL_DATE, "2015-03-04 08:30:00");
    cell_is(row, 2, CELL_NUMBER, "0.1");
    cell_is(row, 3, CELL_NUMBER, "-3");
    cell_is(row, 4, CELL_NUMBER, "1.23456789012346E+15");
    at_end(r);
    assert_true(sheet_progress(r) == 1.0);

    assert_int_equal(sheet_select(r, 1, &err), 0);
    assert_int_equal(sheet_selected(r), 1);
    cells_are(next(r, 1), 1, "第二页");
    at_end(r);
    assert_int_equal(sheet_select(r, 0, &err), 0);
    cell_is(next(r, 1), 0, CELL_TEXT, "沁水县2026年适龄儿童花名册");
    assert_int_equal(sheet_select(r, 2, &err), -1);
    sheet_close(r);
    buf_release(&err);
    free(p);
}

static void test_xlsx_wide_inline(void **state)
{
    /* constant_memory mode writes inline strings */
    char *p = tu_path(tu_dir, "wide.xlsx");
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tu_dir};
    lxw_workbook *wb = workbook_new_opt(p, &opt);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    char name[16];

    for (int c = 0; c < 10000; c++) {
        snprintf(name, sizeof(name), "列%d", c);
        worksheet_write_string(ws, 0, (lxw_col_t)c, name, NULL);
    }
    for (int c = 0; c < 10000; c++)
        worksheet_write_number(ws, 1, (lxw_col_t)c, c, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row = next(r, 1);
    assert_int_equal(row->ncells, 10000);
    cell_is(row, 0, CELL_TEXT, "列0");
    cell_is(row, 9999, CELL_TEXT, "列9999");
    row = next(r, 2);
    assert_int_equal(row->ncells, 10000);
    cell_is(row, 9999, CELL_NUMBER, "9999");
    at_end(r);
    sheet_close(r);
    free(p);
}

static void test_xlsx_handmade(void **state)
{
    /* prefixed namespace, absolute relationship target, inline strings, no styles.xml and
     * no sharedStrings.xml, cells without r, a row without r, _x000D_ escapes */
    static const char *const parts[] = {
        "[Content_Types].xml",
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        "_rels/.rels",
        "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
        "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
        "xl/workbook.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<x:workbook xmlns:x=\"" NS_MAIN
        "\" xmlns:r=\"" NS_REL "\"><x:sheets><x:sheet name=\"数据\" sheetId=\"1\" "
        "r:id=\"rId7\"/></x:sheets></x:workbook>",
        "xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId7\" Type=\"" NS_REL
        "/worksheet\" Target=\"/xl/worksheets/data.xml\"/></Relationships>",
        "xl/worksheets/data.xml",
        "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
        "<x:row r=\"2\"><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>王</x:t><x:r><x:t>小明"
        "</x:t></x:r><x:rPh sb=\"0\" eb=\"1\"><x:t>ワン</x:t></x:rPh></x:is></x:c>"
        "<x:c t=\"n\"><x:v>12.5</x:v></x:c><x:c t=\"b\"><x:v>0</x:v></x:c>"
        "<x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"str\"><x:f>A1</x:f>"
        "<x:v>公式_x000D_结果</x:v></x:c></x:row>\n"
        "<x:row><x:c r=\"A3\"><x:v>1E+16</x:v></x:c><x:c r=\"C3\" t=\"d\">"
        "<x:v>2015-03-04T00:00:00</x:v></x:c><x:c r=\"D3\" s=\"3\"/></x:row>"
        "</x:sheetData></x:worksheet>",
    };
    char *p = tu_path(tu_dir, "handmade.xlsx");
    make_zip(p, parts, ARRAY_SIZE(parts));
    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row;

    assert_int_equal(sheet_count(r), 1);
    assert_string_equal(sheet_name(r, 0), "数据");
    assert_int_equal(next(r, 1)->ncells, 0);
    row = next(r, 2);
    assert_int_equal(row->ncells, 6);
    cell_is(row, 0, CELL_EMPTY, "");
    cell_is(row, 1, CELL_TEXT, "王小明");
    cell_is(row, 2, CELL_NUMBER, "12.5");
    cell_is(row, 3, CELL_BOOL, "FALSE");
    cell_is(row, 4, CELL_ERROR, "#N/A");
    cell_is(row, 5, CELL_TEXT, "公式\r结果");
    row = next(r, 3);
    assert_int_equal(row->ncells, 3);
    cell_is(row, 0, CELL_NUMBER, "1E+16");
    cell_is(row, 1, CELL_EMPTY, "");
    cell_is(row, 2, CELL_DATE, "2015-03-04");
    at_end(r);
    sheet_close(r);
    free(p);
}

static const char styled_sheet[] =
    "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>40605</v></c><c r=\"B2\" s=\"2\"><v>40605</v></c>"
    "<c r=\"C2\" s=\"3\"><v>40605.5</v></c><c r=\"D2\" s=\"4\"><v>40605</v></c>"
    "<c r=\"E2\" s=\"5\"><v>40605</v></c><c r=\"F2\" s=\"0\"><v>40605</v></c>"
    "<c r=\"G2\" s=\"6\"><v>40605</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c></row>";

static void styled_parts(const char **parts, const char *sheet)
{
    static const char *const fixed[] = {
        "xl/workbook.xml",
        "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><workbookPr date1904=\"1\"/>"
        "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
        "xl/_rels/workbook.xml.rels",
        "<Relationships xmlns=\"" NS_PKG "\"><Relationship Id=\"rId1\" Type=\"" NS_REL
        "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" NS_REL
        "/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId3\" Type=\"" NS_REL
        "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>",
        "xl/styles.xml",
        "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"3\">"
        "<numFmt numFmtId=\"176\" formatCode=\"[$-F800]dddd, mmmm dd, yyyy\"/>"
        "<numFmt numFmtId=\"177\" formatCode=\"#,##0.00_);[Red](#,##0.00)\"/>"
        "<numFmt numFmtId=\"178\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
        "</numFmts><cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
        "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"176\"/><xf numFmtId=\"177\"/>"
        "<xf numFmtId=\"22\"/><xf numFmtId=\"178\"/><xf numFmtId=\"58\"/>"
        "<xf numFmtId=\"49\"/></cellXfs></styleSheet>",
        "xl/sharedStrings.xml",
        "<sst xmlns=\"" NS_MAIN "\" count=\"3\" uniqueCount=\"3\"><si><t>姓名</t></si>"
        "<si><r><rPr><b/></rPr><t xml:space=\"preserve\">出生 </t></r><r><t>日期</t></r>"
        "<rPh sb=\"0\" eb=\"2\"><t>しゅっしょう</t></rPh></si><si><t>制表人：</t></si></sst>",
    };
    for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
        parts[i] = fixed[i];
    parts[ARRAY_SIZE(fixed)] = "xl/worksheets/sheet1.xml";
    parts[ARRAY_SIZE(fixed) + 1] = sheet;
}

static void test_xlsx_styles_1904(void **state)
{
    const char *parts[10];
    char *sheet = xstrfmt("%s</sheetData></worksheet>", styled_sheet);
    char *p = tu_path(tu_dir, "styled.xlsx");
    const struct row *row;

    styled_parts(parts, sheet);
    make_zip(p, parts, ARRAY_SIZE(parts));
    struct sheet_reader *r = tu_sheet_open(p);
    cells_are(next(r, 1), 2, "姓名", "出生 日期");
    row = next(r, 2);
    assert_int_equal(row->ncells, 7);
    cell_is(row, 0, CELL_DATE, "2015-03-04"); /* 1904 system: 40605 */
    cell_is(row, 1, CELL_NUMBER, "40605");    /* a money format is no date */
    cell_is(row, 2, CELL_DATE, "2015-03-04 12:00:00");
    cell_is(row, 3, CELL_DATE, "2015-03-04");
    cell_is(row, 4, CELL_DATE, "2015-03-04");
    cell_is(row, 5, CELL_NUMBER, "40605");
    cell_is(row, 6, CELL_NUMBER, "40605"); /* 49 is the text format "@" */
    cells_are(next(r, 3), 1, "制表人：");
    at_end(r);
    sheet_close(r);
    free(sheet);
    free(p);
}

static void test_xlsx_corrupt(void **state)
{
    const char *parts[10];
    /* the worksheet XML stops in the middle of row 3 */
    char *sheet = xstrndup(styled_sheet, strlen(styled_sheet) - 20);
    char *p = tu_path(tu_dir, "cut.xlsx");
    struct sheet_reader *r;

    styled_parts(parts, sheet);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "xlsx 文件的工作表“Sheet1”第 3 行", "损坏"), 2);
    sheet_close(r);
    free(sheet);
    free(p);

    /* a shared string index out of range */
    sheet = xstrfmt("<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"4\">"
                    "<c r=\"C4\" t=\"s\"><v>99</v></c></row></sheetData></worksheet>");
    p = tu_path(tu_dir, "badsst.xlsx");
    styled_parts(parts, sheet);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "工作表“Sheet1”第 4 行 C 列", "共享字符串"), 0);
    sheet_close(r);
    free(sheet);
    free(p);

    /* a cell beyond column XFD */
    sheet = xstrfmt("<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                    "<c r=\"XFE1\"><v>1</v></c></row></sheetData></worksheet>");
    p = tu_path(tu_dir, "widecell.xlsx");
    styled_parts(parts, sheet);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    fails_later(r, "第 1 行", "超过 16384 列");
    sheet_close(r);
    free(sheet);
    free(p);
}

static void test_xlsx_truncated(void **state)
{
    char *full = write_xlsxwriter();
    struct buf b = BUF_INIT;

    tu_read(full, &b);
    char *p = tu_write(tu_dir, "half.xlsx", b.buf, b.len / 2);
    open_fails(p, "xlsx 文件已损坏或不完整");
    free(p);
    /* the second half only: no zip magic, binary */
    p = tu_write(tu_dir, "tail.xlsx", b.buf + b.len / 2, b.len - b.len / 2);
    open_fails(p, "文件不是可识别的电子表格");
    free(p);
    buf_release(&b);
    free(full);
}

static void test_zip_not_workbook(void **state)
{
    static const char *const parts[] = {"word/document.xml", "<document/>", "readme.txt", "hi"};
    char *p = tu_path(tu_dir, "notexcel.xlsx");
    make_zip(p, parts, ARRAY_SIZE(parts));
    open_fails(p, "不是 Excel 工作簿");
    free(p);
}

static void test_xlsx_many_rows(void **state)
{
    /* enough rows for many XML chunks, shared strings, every 7th row missing */
    char *p = tu_path(tu_dir, "many.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    char text[32];
    long n = 0;

    for (int i = 0; i < 20000; i++) {
        if (i % 7 == 3)
            continue;
        snprintf(text, sizeof(text), "姓名%d", i % 1000);
        worksheet_write_string(ws, (lxw_row_t)i, 0, text, NULL);
        worksheet_write_number(ws, (lxw_row_t)i, 2, i, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row;
    struct buf err = BUF_INIT;
    double last = 0;
    int rc;
    while ((rc = sheet_next_row(r, &row, &err)) == 1) {
        long i = n++;
        assert_int_equal(row->number, n);
        assert_true(sheet_progress(r) >= last);
        last = sheet_progress(r);
        if (i % 7 == 3) {
            assert_int_equal(row->ncells, 0);
            continue;
        }
        snprintf(text, sizeof(text), "姓名%ld", i % 1000);
        assert_int_equal(row->ncells, 3);
        cell_is(row, 0, CELL_TEXT, text);
        cell_is(row, 1, CELL_EMPTY, "");
        snprintf(text, sizeof(text), "%ld", i);
        cell_is(row, 2, CELL_NUMBER, text);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, 20000);
    sheet_close(r);
    buf_release(&err);
    free(p);
}

static void test_xlsx_long_cells(void **state)
{
    const char *parts[10];
    struct buf big = BUF_INIT, sheet = BUF_INIT;
    char *p;
    struct sheet_reader *r;

    buf_addchars(&big, 'A', SHEET_MAX_CELL_BYTES + 1);
    /* an over-long inline string in B2 */
    buf_addf(&sheet,
             "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\">"
             "<v>0</v></c></row><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>%s</t></is>"
             "</c></row></sheetData></worksheet>",
             big.buf);
    p = tu_path(tu_dir, "longinline.xlsx");
    styled_parts(parts, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "工作表“Sheet1”第 2 行 B 列", "单元格超过 128 KiB"), 1);
    sheet_close(r);
    free(p);

    /* a row of many cells that together pass the row limit */
    buf_reset(&sheet);
    buf_adds(&sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">");
    big.len = 100 * 1024;
    big.buf[big.len] = '\0';
    for (int i = 0; i < 100; i++)
        buf_addf(&sheet, "<c t=\"inlineStr\"><is><t>%s</t></is></c>", big.buf);
    buf_adds(&sheet, "</row></sheetData></worksheet>");
    p = tu_path(tu_dir, "longrow.xlsx");
    styled_parts(parts, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    assert_int_equal(fails_later(r, "第 1 行", "这一行超过 1 MiB"), 0);
    sheet_close(r);
    free(p);
    buf_release(&big);
    buf_release(&sheet);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (uint64_t)st.st_size;
}

/* styled_parts with the shared strings replaced (parts[6], parts[7]). */
static void parts_with_sst(const char **parts, const char *sst, const char *sheet)
{
    styled_parts(parts, sheet);
    assert_string_equal(parts[6], "xl/sharedStrings.xml");
    parts[7] = sst;
}

/* Read every row; the reader must fail, with each `expect` in the message. */
static void read_fails(struct sheet_reader *r, const char *const *expect, size_t n)
{
    const struct row *row;
    struct buf err = BUF_INIT;
    int rc;
    while ((rc = sheet_next_row(r, &row, &err)) == 1)
        ;
    assert_int_equal(rc, -1);
    for (size_t i = 0; i < n; i++)
        if (!strstr(err.buf, expect[i]))
            fail_msg("message \"%s\" lacks \"%s\"", err.buf, expect[i]);
    buf_release(&err);
}

/*
 * One long shared string referenced by thousands of cells: a few kilobytes of file that
 * expand to hundreds of megabytes. The reader stops once the text it handed out passes the
 * budget, long before the rows are read, with a message that says why.
 */
static void test_xlsx_shared_string_bomb(void **state)
{
    const char *parts[10];
    struct buf sst = BUF_INIT, sheet = BUF_INIT;
    char *p = tu_path(tu_dir, "sstbomb.xlsx");
    struct sheet_reader *r;

    buf_adds(&sst, "<sst xmlns=\"" NS_MAIN "\"><si><t>姓名</t></si><si><t>");
    buf_addchars(&sst, 'A', 100 * 1024); /* under the cell limit */
    buf_adds(&sst, "</t></si></sst>");
    buf_adds(&sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
                     "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>");
    for (int i = 2; i <= 20000; i++)
        buf_addf(&sheet, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>1</v></c></row>", i, i);
    buf_adds(&sheet, "</sheetData></worksheet>");
    parts_with_sst(parts, sst.buf, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    /* 20,000 rows of XML deflate to more than 1 MiB / 20: the budget is 20 times the file */
    assert_true(sheet_expand_budget(r) > SHEET_EXPAND_FLOOR);
    assert_true(sheet_expand_budget(r) == file_size(p) * SHEET_EXPAND_RATIO);
    static const char *const expect[] = {"工作表“Sheet1”第", "展开后却超过", "文件大小的 20 倍",
                                         "同一段长文字被大量单元格引用", "另存为 CSV"};
    read_fails(r, expect, ARRAY_SIZE(expect));
    assert_true(sheet_expanded(r) <= sheet_expand_budget(r) + 100 * 1024);
    sheet_close(r);
    free(p);

    /* with fewer rows the file is small, and a small file may expand to the floor */
    buf_reset(&sheet);
    buf_adds(&sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
    for (int i = 1; i <= 40; i++)
        buf_addf(&sheet, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>1</v></c></row>", i, i);
    buf_adds(&sheet, "</sheetData></worksheet>");
    p = tu_path(tu_dir, "sstforty.xlsx");
    parts_with_sst(parts, sst.buf, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    assert_true(sheet_expand_budget(r) == SHEET_EXPAND_FLOOR);
    static const char *const expect_floor[] = {"第 11 行", "展开后却超过 1.0 MB 的上限",
                                               "小文件最多展开到这么多"};
    read_fails(r, expect_floor, ARRAY_SIZE(expect_floor));
    sheet_close(r);
    free(p);

    /* the same string in ten rows is within the budget: what a real file might do */
    buf_reset(&sheet);
    buf_adds(&sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
    for (int i = 1; i <= 10; i++)
        buf_addf(&sheet, "<row r=\"%d\"><c r=\"A%d\" t=\"s\"><v>1</v></c></row>", i, i);
    buf_adds(&sheet, "</sheetData></worksheet>");
    p = tu_path(tu_dir, "sstten.xlsx");
    parts_with_sst(parts, sst.buf, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    r = tu_sheet_open(p);
    for (int i = 1; i <= 10; i++)
        assert_int_equal(next(r, i)->cells[0].len, 100 * 1024);
    at_end(r);
    assert_int_equal(sheet_expanded(r), 10 * 100 * 1024);
    sheet_close(r);
    free(p);
    buf_release(&sst);
    buf_release(&sheet);
}

/* A worksheet that deflates 1000 to 1: refused from the zip directory, before it is read. */
static void test_xlsx_zip_bomb(void **state)
{
    const char *parts[10];
    struct buf sheet = BUF_INIT;
    char *p = tu_path(tu_dir, "zipbomb.xlsx");

    buf_adds(&sheet, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                     "<c r=\"A1\" t=\"s\"><v>0</v></c></row>");
    buf_addchars(&sheet, ' ', 70u << 20);
    buf_adds(&sheet, "</sheetData></worksheet>");
    styled_parts(parts, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    open_fails(p, "解压后却超过 64 MB（文件大小的 100 倍）");
    open_fails(p, "压缩炸弹");
    buf_release(&sheet);
    free(p);
}

/* Entity expansion and external entities need a DTD; OOXML parts never have one. */
static void test_xlsx_dtd(void **state)
{
    const char *parts[10];
    static const char laughs[] = "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY a \"aaaaaaaaaa\">"
                                 "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c "
                                 "\"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                                 "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                                 "<sst xmlns=\"" NS_MAIN "\"><si><t>&d;</t></si></sst>";
    char *p = tu_path(tu_dir, "laughs.xlsx");
    parts_with_sst(parts, laughs, styled_sheet);
    make_zip(p, parts, ARRAY_SIZE(parts));
    open_fails(p, "xlsx 文件的共享字符串表（sharedStrings.xml）含有 DTD");
    free(p);

    static const char xxe[] = "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY e SYSTEM "
                              "\"file:///etc/passwd\">]><worksheet xmlns=\"" NS_MAIN "\">"
                              "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t>"
                              "</is></c></row></sheetData></worksheet>";
    p = tu_path(tu_dir, "xxe.xlsx");
    styled_parts(parts, xxe);
    make_zip(p, parts, ARRAY_SIZE(parts));
    struct sheet_reader *r = tu_sheet_open(p);
    static const char *const expect[] = {"xlsx 文件的工作表含有 DTD", "恶意构造"};
    read_fails(r, expect, ARRAY_SIZE(expect));
    sheet_close(r);
    free(p);
}

static void test_xlsx_deep_nesting(void **state)
{
    const char *parts[10];
    struct buf sheet = BUF_INIT;
    char *p = tu_path(tu_dir, "deep.xlsx");

    buf_adds(&sheet,
             "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
             "<c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\">");
    for (int i = 0; i < 100000; i++)
        buf_adds(&sheet, "<is>");
    buf_adds(&sheet, "</c></row></sheetData></worksheet>");
    styled_parts(parts, sheet.buf);
    make_zip(p, parts, ARRAY_SIZE(parts));
    struct sheet_reader *r = tu_sheet_open(p);
    static const char *const expect[] = {"嵌套超过 64 层"};
    read_fails(r, expect, ARRAY_SIZE(expect));
    sheet_close(r);
    buf_release(&sheet);
    free(p);
}

/* A damaged part is named in Chinese, with the shared string where it breaks: not expat's
 * English, nor the XML's line number (an Excel part is one line: "第 1 行" said nothing). */
static void test_xlsx_bad_bytes_in_shared_strings(void **state)
{
    const char *parts[10];
    static const char sst[] = "<sst xmlns=\"" NS_MAIN "\"><si><t>姓名</t></si><si><t>张\xff三</t>"
                              "</si></sst>";
    char *p = tu_path(tu_dir, "badsstbytes.xlsx");
    struct sheet_reader *r = NULL;
    struct buf err = BUF_INIT;

    parts_with_sst(parts, sst, styled_sheet);
    make_zip(p, parts, ARRAY_SIZE(parts));
    assert_int_equal(sheet_open(&r, p, &err), -1);
    assert_string_equal(err.buf, "xlsx 文件已损坏：共享字符串表（sharedStrings.xml）的第 2 个字符串"
                                 "含有 XML 中不允许的字符或不是 UTF-8 的字节");
    buf_release(&err);
    free(p);
}

/* A UTF-8 file with one damaged byte is still UTF-8, and the damage is where it is. */
static void test_csv_utf8_one_bad_byte(void **state)
{
    char *p = tu_write_str(tu_dir, "onebad.csv",
                           "姓名,民族,住址\n张三,汉族,郑庄镇\n李四,回族,端氏镇\n王五,汉族,嘉峰镇\n"
                           "赵\x80六,汉族,龙港镇\n");
    struct sheet_reader *r = tu_sheet_open(p);
    assert_string_equal(sheet_encoding(r), "UTF-8");
    assert_int_equal(fails_later(r, "CSV 文件第 5 行", "不能按 UTF-8 解码"), 4);
    sheet_close(r);
    free(p);
}

static void test_csv_gb18030_invalid(void **state)
{
    const char *text = "姓名,民族\n张三,汉族\n";
    struct buf gb = BUF_INIT;
    convert(&gb, "GB18030", text, strlen(text));
    buf_adds(&gb, "x,\x81\x20\n"); /* 0x81 0x20 is no GB18030 sequence */
    char *p = tu_write(tu_dir, "badgb.csv", gb.buf, gb.len);
    struct sheet_reader *r = tu_sheet_open(p);
    assert_string_equal(sheet_encoding(r), "GB18030");
    assert_int_equal(fails_later(r, "CSV 文件第 3 行", "GB18030"), 2);
    sheet_close(r);
    buf_release(&gb);
    free(p);
}

/* ---------------------------------------------------------------- XLS */

static void test_xls(void **state)
{
    static const char script[] =
        "use strict; use warnings; use utf8;\n"
        "use Spreadsheet::WriteExcel;\n"
        "my $wb = Spreadsheet::WriteExcel->new($ARGV[0]) or die;\n"
        "my $ws = $wb->add_worksheet('花名册');\n"
        "my $df = $wb->add_format(num_format => 'yyyy-mm-dd');\n"
        "my $dt = $wb->add_format(num_format => 'yyyy-mm-dd hh:mm');\n"
        "$ws->write_string(0, $_, (qw(姓名 出生日期 年龄 身份证号 登记时间))[$_]) for 0..4;\n"
        "$ws->write_string(1, 0, '张三');\n"
        "$ws->write_date_time(1, 1, '2015-03-04T', $df);\n"
        "$ws->write_number(1, 2, 7);\n"
        "$ws->write_number(1, 3, 140521201503041234);\n"
        "$ws->write_date_time(1, 4, '2015-03-04T08:30:00', $dt);\n"
        "$ws->write_number(3, 2, 8.5);\n"
        "$ws->write_string(3, 3, '14052120150304123X');\n"
        "my $ws2 = $wb->add_worksheet('第二页');\n"
        "$ws2->write_string(0, 0, '二');\n"
        "$wb->close() or die;\n";
    char *pl = tu_write_str(tu_dir, "make.pl", script);
    char *p = tu_path(tu_dir, "old.xls");
    char *cmd = xstrfmt("perl '%s' '%s'", pl, p);
    struct buf err = BUF_INIT;
    const struct row *row;

    assert_int_equal(system(cmd), 0);
    struct sheet_reader *r = tu_sheet_open(p);
    assert_string_equal(sheet_format(r), "xls");
    assert_int_equal(sheet_count(r), 2);
    assert_string_equal(sheet_name(r, 0), "花名册");
    assert_string_equal(sheet_name(r, 1), "第二页");
    cells_are(next(r, 1), 5, "姓名", "出生日期", "年龄", "身份证号", "登记时间");
    row = next(r, 2);
    assert_int_equal(row->ncells, 5);
    cell_is(row, 0, CELL_TEXT, "张三");
    cell_is(row, 1, CELL_DATE, "2015-03-04");
    assert_true(row->cells[1].number == 42067);
    cell_is(row, 2, CELL_NUMBER, "7");
    cell_is(row, 3, CELL_NUMBER, "1.40521201503041E+17");
    cell_is(row, 4, CELL_DATE, "2015-03-04 08:30:00");
    assert_int_equal(next(r, 3)->ncells, 0);
    row = next(r, 4);
    assert_int_equal(row->ncells, 4);
    cell_is(row, 0, CELL_EMPTY, "");
    cell_is(row, 2, CELL_NUMBER, "8.5");
    cell_is(row, 3, CELL_TEXT, "14052120150304123X");
    at_end(r);
    assert_int_equal(sheet_select(r, 1, &err), 0);
    cells_are(next(r, 1), 1, "二");
    at_end(r);
    sheet_close(r);

    /* an OLE header with nothing behind it */
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0};
    char *bad = tu_write(tu_dir, "bad.xls", ole, sizeof(ole));
    open_fails(bad, "xls 文件无法读取");
    free(bad);
    buf_release(&err);
    free(cmd);
    free(pl);
    free(p);
}

/* ---------------------------------------------------------------- numbers */

static void test_numbers(void **state)
{
    /* through a hand-made sheet, so that the public interface is what is tested */
    static const double v[] = {0,      -0.0,      7, -3, 0.1, 1e15 - 1, 1e15, 140521201503041234.0,
                               1.5e-7, 123456.789};
    static const char *const want[] = {"0",       "0",
                                       "7",       "-3",
                                       "0.1",     "999999999999999",
                                       "1E+15",   "1.40521201503041E+17",
                                       "1.5E-07", "123456.789"};
    struct buf xml = BUF_INIT;
    buf_adds(&xml, "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">");
    for (size_t i = 0; i < ARRAY_SIZE(v); i++)
        buf_addf(&xml, "<c><v>%.17g</v></c>", v[i]);
    buf_adds(&xml, "</row></sheetData></worksheet>");
    const char *parts[] = {"xl/workbook.xml",
                           "<workbook xmlns=\"" NS_MAIN
                           "\"><sheets><sheet name=\"S\"/></sheets></workbook>",
                           "xl/worksheets/sheet1.xml", xml.buf};
    char *p = tu_path(tu_dir, "numbers.xlsx");
    make_zip(p, parts, ARRAY_SIZE(parts));
    struct sheet_reader *r = tu_sheet_open(p);
    const struct row *row = next(r, 1);
    assert_int_equal(row->ncells, ARRAY_SIZE(v));
    for (size_t i = 0; i < ARRAY_SIZE(v); i++)
        cell_is(row, i, CELL_NUMBER, want[i]);
    at_end(r);
    sheet_close(r);
    buf_release(&xml);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_utf8),
        cmocka_unit_test(test_csv_bom_crlf),
        cmocka_unit_test(test_csv_gb18030),
        cmocka_unit_test(test_csv_utf16_tab),
        cmocka_unit_test(test_csv_quotes),
        cmocka_unit_test(test_csv_semicolon_cr),
        cmocka_unit_test(test_csv_chunk_boundaries),
        cmocka_unit_test(test_csv_utf8_invalid_later),
        cmocka_unit_test(test_csv_unclosed_quote),
        cmocka_unit_test(test_csv_gb18030_invalid),
        cmocka_unit_test(test_csv_long_cell),
        cmocka_unit_test(test_csv_50mb_line),
        cmocka_unit_test(test_csv_50mb_column),
        cmocka_unit_test(test_csv_columns),
        cmocka_unit_test(test_not_a_sheet),
        cmocka_unit_test(test_xlsx_writer),
        cmocka_unit_test(test_xlsx_wide_inline),
        cmocka_unit_test(test_xlsx_handmade),
        cmocka_unit_test(test_xlsx_styles_1904),
        cmocka_unit_test(test_xlsx_corrupt),
        cmocka_unit_test(test_xlsx_many_rows),
        cmocka_unit_test(test_xlsx_long_cells),
        cmocka_unit_test(test_xlsx_shared_string_bomb),
        cmocka_unit_test(test_xlsx_zip_bomb),
        cmocka_unit_test(test_xlsx_dtd),
        cmocka_unit_test(test_xlsx_deep_nesting),
        cmocka_unit_test(test_xlsx_bad_bytes_in_shared_strings),
        cmocka_unit_test(test_csv_utf8_one_bad_byte),
        cmocka_unit_test(test_xlsx_truncated),
        cmocka_unit_test(test_zip_not_workbook),
        cmocka_unit_test(test_xls),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
