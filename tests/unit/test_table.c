#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <unistd.h>
#include <zip.h>

#include "core/view.h"
#include "core/words.h"
#include "render/table.h"
#include "util/csvout.h"
#include "util/utf8.h"

#include "testutil.h"

/* ---- csv_field ---- */

static void field_is(const char *text, bool first, const char *expect)
{
    struct buf b = BUF_INIT;
    char got[256];
    csv_field(&b, text, text ? strlen(text) : 0, first);
    snprintf(got, sizeof(got), "%s", b.buf);
    buf_release(&b); /* before any failure, so that a failing case leaks nothing */
    if (strcmp(got, expect))
        fail_msg("csv_field(\"%s\") = [%s], expected [%s]", text ? text : "(null)", got, expect);
}

static void test_csv_field_plain(void **state)
{
    field_is("abc", true, "abc");
    field_is("abc", false, ",abc");
    field_is("张三", true, "张三");
    field_is("", true, "");
    field_is("", false, ",");
    field_is(NULL, true, "");
    field_is(NULL, false, ",");
    field_is("140521201503041236", true, "140521201503041236");
    field_is("a b;c\td", true, "a b;c\td");
}

static void test_csv_field_quoting(void **state)
{
    field_is("a,b", true, "\"a,b\"");
    field_is("say \"hi\"", true, "\"say \"\"hi\"\"\"");
    field_is("\"", true, "\"\"\"\"");
    field_is("line1\nline2", true, "\"line1\nline2\"");
    field_is("line1\r\nline2", false, ",\"line1\r\nline2\"");
    field_is("cr\r", true, "\"cr\r\"");
}

static void test_csv_field_formula(void **state)
{
    field_is("=1+1", true, "\"'=1+1\"");
    field_is("+86 138", true, "\"'+86 138\"");
    field_is("@SUM(A1)", true, "\"'@SUM(A1)\"");
    field_is("-x", true, "\"'-x\"");
    field_is("-cmd|' /C calc'!A0", true, "\"'-cmd|' /C calc'!A0\"");
    field_is("=HYPERLINK(\"http://x\",\"y\")", false,
             ",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    /* a negative number and a lone dash stay as they are */
    field_is("-5", true, "-5");
    field_is("-", true, "-");
    field_is("a=b", true, "a=b");
}

/*
 * Only a plain negative number may keep its leading '-': Excel evaluates "-2+3+cmd|…" as a
 * formula just like "=2+3+cmd|…", so a digit after the dash is not enough to make it safe.
 */
static void test_csv_field_formula_after_minus_digit(void **state)
{
    field_is("-3.5", true, "-3.5");
    field_is("-2+3+cmd|' /C calc'!A0", true, "\"'-2+3+cmd|' /C calc'!A0\"");
    field_is("-1+HYPERLINK(\"http://x\")", true, "\"'-1+HYPERLINK(\"\"http://x\"\")\"");
}

static void test_csv_field_len(void **state)
{
    struct buf b = BUF_INIT;
    csv_field(&b, "abc,def", 3, true); /* only "abc" */
    assert_string_equal(b.buf, "abc");
    csv_field(&b, "x\0y", 3, false); /* binary-safe: the NUL is copied */
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.buf, "abc,x\0y", 7);
    buf_release(&b);
}

/* ---- table fixtures ---- */

static const struct table_col cols4[] = {
    {"name", "姓名", COL_TEXT},
    {"school", "学校", COL_TEXT},
    {"age", "年龄", COL_INT},
    {"detail", "说明", COL_TEXT},
};

static void fill4(struct report_table *t)
{
    table_init(t, "适龄未入学儿童名单", "children", cols4, ARRAY_SIZE(cols4));
    table_add_row(t);
    table_set(t, 0, "张三");
    table_set(t, 1, "沁水县龙港镇第一小学");
    table_set(t, 2, "8");
    table_set(t, 3, "在读");
    table_add_row(t);
    table_set(t, 0, "Li Si");
    table_set(t, 1, "ABC");
    table_setf(t, 2, "%d", 12);
    table_set(t, 3, "x");
    table_add_row(t);
    table_set(t, 0, "阿依古丽·买买提");
    /* school left unset: an empty cell */
    table_set(t, 2, "");
    table_set(t, 3, "户籍中没有可用的身份证号");
    table_add_row(t);
    table_set(t, 0, "ｗｉｄｅ"); /* full-width letters are 2 columns each */
    table_set(t, 1, "a");
    table_set(t, 2, "100");
    table_set(t, 1, "b"); /* set twice: the later value wins */
    table_set(t, 3, "");
}

static int render_to(const struct report_table *t, enum report_format fmt, const char *name,
                     struct buf *out)
{
    char *p = tu_path(tu_dir, name);
    struct buf err = BUF_INIT;
    int rc = table_render(t, fmt, p, &err);
    if (rc != 0)
        fail_msg("table_render(%s): %s", name, err.buf);
    tu_read(p, out);
    unlink(p);
    buf_release(&err);
    free(p);
    return rc;
}

/* ---- CSV ---- */

static void test_csv_render(void **state)
{
    struct report_table t;
    struct buf out = BUF_INIT;
    fill4(&t);
    render_to(&t, FMT_CSV, "t.csv", &out);
    const char *expect = "\xEF\xBB\xBF"
                         "姓名,学校,年龄,说明\r\n"
                         "张三,沁水县龙港镇第一小学,8,在读\r\n"
                         "Li Si,ABC,12,x\r\n"
                         "阿依古丽·买买提,,,户籍中没有可用的身份证号\r\n"
                         "ｗｉｄｅ,b,100,\r\n";
    assert_string_equal(out.buf, expect);
    table_release(&t);
    buf_release(&out);
}

static void test_csv_render_hostile_cells(void **state)
{
    static const struct table_col c2[] = {{"a", "甲,乙", COL_TEXT}, {"b", "=B", COL_TEXT}};
    struct report_table t;
    struct buf out = BUF_INIT;
    table_init(&t, NULL, "rows", c2, 2);
    table_add_row(&t);
    table_set(&t, 0, "=cmd|' /C calc'!A0");
    table_set(&t, 1, "两行\n文字");
    render_to(&t, FMT_CSV, "h.csv", &out);
    assert_string_equal(out.buf, "\xEF\xBB\xBF\"甲,乙\",\"'=B\"\r\n"
                                 "\"'=cmd|' /C calc'!A0\",\"两行\n文字\"\r\n");
    table_release(&t);
    buf_release(&out);
}

/* The columns for programs (a vocabulary's key, a flag) are in JSON only: the terminal, CSV and
 * XLSX show the labels people read, the JSON carries both (issue 12: no screen parses a label). */
static void test_key_columns_json_only(void **state)
{
    static const struct table_col c[] = {
        {"key", "状态", COL_KEY},   {"name", "姓名", COL_TEXT}, {"state", "状态", COL_TEXT},
        {"late", "逾期", COL_FLAG}, {"days", "天数", COL_INT},  {"state_key", "状态", COL_KEY}};
    struct report_table t;
    struct buf out = BUF_INIT, xml = BUF_INIT;
    table_init(&t, "核查任务", "tasks", c, ARRAY_SIZE(c));
    table_add_row(&t);
    table_set(&t, 0, "open");
    table_set(&t, 1, "张三");
    table_set(&t, 2, "待核查");
    table_set(&t, 3, "1");
    table_set(&t, 4, "3");
    table_set(&t, 5, "open");
    render_to(&t, FMT_CSV, "k.csv", &out);
    assert_string_equal(out.buf, "\xEF\xBB\xBF姓名,状态,天数\r\n张三,待核查,3\r\n");
    render_to(&t, FMT_TABLE, "k.txt", &out);
    assert_string_equal(out.buf,
                        "核查任务\n姓名  状态    天数\n----  ------  ----\n张三  待核查     3\n");
    render_to(&t, FMT_JSON, "k.json", &out);
    json_t *j = json_loads(out.buf, 0, NULL), *row = json_array_get(json_object_get(j, "tasks"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "key")), "open");
    assert_string_equal(json_string_value(json_object_get(row, "state")), "待核查");
    assert_true(json_is_true(json_object_get(row, "late")));
    json_decref(j);
    table_set(&t, 3, "0");
    j = table_to_json(&t);
    assert_true(
        json_is_false(json_object_get(json_array_get(json_object_get(j, "tasks"), 0), "late")));
    json_decref(j);
    char *p = tu_path(tu_dir, "k.xlsx");
    struct buf err = BUF_INIT;
    assert_int_equal(table_render(&t, FMT_XLSX, p, &err), 0);
    int zerr = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    tu_zip_read(z, "xl/worksheets/sheet1.xml", &xml);
    assert_non_null(strstr(xml.buf, "<autoFilter ref=\"A1:C2\"")); /* three columns */
    assert_null(strstr(xml.buf, "r=\"D1\""));
    zip_close(z);
    unlink(p);
    free(p);
    table_release(&t);
    buf_release(&out);
    buf_release(&xml);
    buf_release(&err);
}

/* A table of children read through a view: a masked one leaves the birth date out (the column
 * and what was set in it), a full one keeps it; the caller numbers the columns the same way. */
static void test_view_leaves_birth_out(void **state)
{
    static const struct table_col cols[] = {{"name", "姓名", COL_TEXT},
                                            {"birth_date", "出生日期", COL_BIRTH},
                                            {"age", "年龄", COL_INT},
                                            {"id_number", "身份证号", COL_TEXT}};
    const struct view masked = view_make(false, 20260831), full = view_make(true, 20260831);
    struct report_table t;
    struct buf out = BUF_INIT;
    for (int pass = 0; pass < 2; pass++) {
        table_init_view(&t, NULL, "children", cols, 4, pass ? &full : &masked);
        table_add_row(&t);
        table_set(&t, 0, "张三");
        table_set(&t, 1, "2015-03-04");
        table_setf(&t, 2, "%d", 11);
        table_set(&t, 3, pass ? "14052120150304024X" : "140521********024X");
        buf_reset(&out);
        render_to(&t, FMT_CSV, "v.csv", &out);
        assert_string_equal(out.buf, pass ? "\xEF\xBB\xBF姓名,出生日期,年龄,身份证号\r\n"
                                            "张三,2015-03-04,11,14052120150304024X\r\n"
                                          : "\xEF\xBB\xBF姓名,年龄,身份证号\r\n"
                                            "张三,11,140521********024X\r\n");
        buf_reset(&out);
        render_to(&t, FMT_JSON, "v.json", &out);
        assert_true((strstr(out.buf, "2015-03-04") != NULL) == (pass == 1));
        assert_true((strstr(out.buf, "birth_date") != NULL) == (pass == 1));
        buf_reset(&out);
        render_to(&t, FMT_TABLE, "v.txt", &out);
        assert_true((strstr(out.buf, "出生日期") != NULL) == (pass == 1));
        table_release(&t);
    }
    buf_release(&out);
}

/* ---- terminal table ---- */

/* Split `b` into lines (without '\n'); returns the count. */
static size_t split_lines(struct buf *b, char **lines, size_t max)
{
    size_t n = 0;
    char *p = b->buf;
    while (*p && n < max) {
        char *nl = strchr(p, '\n');
        assert_non_null(nl); /* every line ends with a newline */
        *nl = '\0';
        lines[n++] = p;
        p = nl + 1;
    }
    return n;
}

static void test_terminal_alignment(void **state)
{
    struct report_table t;
    struct buf out = BUF_INIT;
    fill4(&t);
    buf_adds(&t.footer, "共 4 人\n");
    render_to(&t, FMT_TABLE, "t.txt", &out);

    char *lines[16];
    size_t n = split_lines(&out, lines, ARRAY_SIZE(lines));
    assert_int_equal(n, 1 + 2 + 4 + 1); /* title, header, rule, 4 rows, footer */
    assert_string_equal(lines[0], "适龄未入学儿童名单");
    assert_string_equal(lines[7], "共 4 人");

    /* the last column's text of each line: label, rule, cells */
    const char *last[] = {"说明", NULL, "在读", "x", "户籍中没有可用的身份证号", ""};
    size_t prefix_w = 0;
    for (size_t i = 1; i <= 6; i++) {
        char *line = lines[i];
        size_t len = strlen(line);
        assert_true(len == 0 || line[len - 1] != ' ' || i == 6); /* no trailing padding */
        size_t cut;
        if (last[i - 1]) {
            size_t ll = strlen(last[i - 1]);
            assert_true(len >= ll);
            assert_memory_equal(line + len - ll, last[i - 1], ll);
            cut = len - ll;
        } else {
            /* the rule: dashes as wide as the widest cell of the last column */
            size_t dashes = 0;
            while (dashes < len && line[len - 1 - dashes] == '-')
                dashes++;
            assert_int_equal(
                dashes, utf8_width("户籍中没有可用的身份证号", strlen("户籍中没有可用的身份证号")));
            cut = len - dashes;
        }
        size_t w = utf8_width(line, cut);
        if (i == 1)
            prefix_w = w;
        else if (w != prefix_w)
            fail_msg("line %zu [%s] reaches the last column at width %zu, header at %zu", i, line,
                     w, prefix_w);
    }
    /* 姓名 column: widest is "阿依古丽·买买提" (7 CJK + middle dot = 15); 学校: 20; 年龄: 4 */
    assert_int_equal(prefix_w, (15 + 2) + (20 + 2) + (4 + 2));

    /* the INT column is right-aligned: "   8" ends where the column ends */
    size_t w8 = utf8_width(lines[3], (size_t)(strstr(lines[3], "8  在读") - lines[3]) + 1);
    assert_int_equal(w8, 15 + 2 + 20 + 2 + 4);
    /* text is left-aligned: the school starts right after the name column */
    size_t ws = utf8_width(lines[3], (size_t)(strstr(lines[3], "沁水县") - lines[3]));
    assert_int_equal(ws, 15 + 2);
    table_release(&t);
    buf_release(&out);
}

static void test_terminal_no_rows(void **state)
{
    struct report_table t;
    struct buf out = BUF_INIT;
    table_init(&t, NULL, "children", cols4, ARRAY_SIZE(cols4));
    render_to(&t, FMT_TABLE, "empty.txt", &out);
    assert_string_equal(out.buf, "姓名  学校  年龄  说明\n"
                                 "----  ----  ----  ----\n");
    table_release(&t);
    buf_release(&out);
}

/* ---- JSON ---- */

static void test_json_shape(void **state)
{
    struct report_table t;
    struct buf out = BUF_INIT;
    fill4(&t);
    table_meta(&t, "as_of", "2026-09-15", META_TEXT);
    table_meta(&t, "school_year", "2026", META_INT);
    table_meta(&t, "full", "false", META_BOOL);
    table_meta(&t, "masked", "true", META_BOOL);
    table_meta(&t, "county", "140521", META_TEXT); /* digits, but text: stays a string */
    render_to(&t, FMT_JSON, "t.json", &out);
    assert_true(out.len > 0 && out.buf[out.len - 1] == '\n');

    json_error_t jerr;
    json_t *root = json_loads(out.buf, 0, &jerr);
    if (!root)
        fail_msg("invalid JSON: %s", jerr.text);
    assert_true(json_is_object(root));

    /* meta keys first, in the order given, then the rows */
    static const char *const order[] = {"as_of",  "school_year", "full",
                                        "masked", "county",      "children"};
    const char *pos[ARRAY_SIZE(order)];
    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        char *quoted = xstrfmt("\"%s\":", order[i]);
        pos[i] = strstr(out.buf, quoted);
        assert_non_null(pos[i]);
        free(quoted);
    }
    for (size_t i = 1; i < ARRAY_SIZE(order); i++)
        if (pos[i - 1] >= pos[i])
            fail_msg("\"%s\" does not come before \"%s\"", order[i - 1], order[i]);
    assert_int_equal(json_object_size(root), 6);

    assert_string_equal(json_string_value(json_object_get(root, "as_of")), "2026-09-15");
    json_t *sy = json_object_get(root, "school_year");
    assert_true(json_is_integer(sy));
    assert_int_equal(json_integer_value(sy), 2026);
    assert_true(json_is_false(json_object_get(root, "full")));
    assert_true(json_is_true(json_object_get(root, "masked")));
    assert_true(json_is_string(json_object_get(root, "county")));

    json_t *rows = json_object_get(root, "children");
    assert_true(json_is_array(rows));
    assert_int_equal(json_array_size(rows), 4);
    json_t *r0 = json_array_get(rows, 0);
    assert_int_equal(json_object_size(r0), 4);
    assert_string_equal(json_string_value(json_object_get(r0, "name")), "张三");
    assert_true(json_is_integer(json_object_get(r0, "age")));
    assert_int_equal(json_integer_value(json_object_get(r0, "age")), 8);
    json_t *r2 = json_array_get(rows, 2);
    assert_true(json_is_null(json_object_get(r2, "age"))); /* empty COL_INT: null */
    assert_string_equal(json_string_value(json_object_get(r2, "school")), ""); /* TEXT: "" */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 3), "age")), 100);
    json_decref(root);
    table_release(&t);
    buf_release(&out);
}

static void test_json_empty_rows(void **state)
{
    struct report_table t;
    struct buf out = BUF_INIT;
    table_init(&t, NULL, "students", cols4, ARRAY_SIZE(cols4));
    render_to(&t, FMT_JSON, "e.json", &out);
    json_t *root = json_loads(out.buf, 0, NULL);
    assert_non_null(root);
    assert_int_equal(json_object_size(root), 1);
    assert_true(json_is_array(json_object_get(root, "students")));
    assert_int_equal(json_array_size(json_object_get(root, "students")), 0);
    json_decref(root);
    table_release(&t);
    buf_release(&out);
}

/* A COL_WORDS column: people read the labels joined by "、" (terminal, CSV), programs an array
 * of {"key", "label"} with the table's vocabulary; a label it does not know has a null key. */
static void test_words_column(void **state)
{
    static const struct word w[] = {{"poverty", "脱贫户", NULL, 0, TONE_NONE},
                                    {"dibao", "低保", NULL, 0, TONE_NONE}};
    static const struct vocab v = {"重点群体", w, 2};
    static const struct table_col cols[] = {{"name", "姓名", COL_TEXT},
                                            {"groups", "重点群体", COL_WORDS}};
    struct report_table t;
    table_init(&t, NULL, "tasks", cols, ARRAY_SIZE(cols));
    t.words = &v;
    table_add_row(&t);
    table_set(&t, 0, "王二");
    table_set(&t, 1, "脱贫户、低保");
    table_add_row(&t);
    table_set(&t, 0, "李二");
    table_add_row(&t);
    table_set(&t, 0, "张三");
    table_set(&t, 1, "五保");
    json_t *j = table_to_json(&t);
    char *text = json_dumps(json_object_get(j, "tasks"), JSON_COMPACT);
    assert_string_equal(text,
                        "[{\"name\":\"王二\",\"groups\":[{\"key\":\"poverty\",\"label\":"
                        "\"脱贫户\"},{\"key\":\"dibao\",\"label\":\"低保\"}]},"
                        "{\"name\":\"李二\",\"groups\":[]},"
                        "{\"name\":\"张三\",\"groups\":[{\"key\":null,\"label\":\"五保\"}]}]");
    free(text);
    json_decref(j);
    struct buf out = BUF_INIT;
    render_to(&t, FMT_CSV, "w.csv", &out);
    assert_non_null(strstr(out.buf, "王二,脱贫户、低保"));
    buf_release(&out);
    table_release(&t);
}

/* ---- XLSX ---- */

static void test_xlsx(void **state)
{
    struct report_table t;
    struct buf err = BUF_INIT, xml = BUF_INIT;
    char *p = tu_path(tu_dir, "t.xlsx");
    fill4(&t);
    assert_int_equal(table_render(&t, FMT_XLSX, p, &err), 0);

    int zerr = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    assert_true(zip_name_locate(z, "xl/worksheets/sheet1.xml", 0) >= 0);
    assert_true(zip_name_locate(z, "xl/workbook.xml", 0) >= 0);
    tu_zip_read(z, "xl/worksheets/sheet1.xml", &xml);
    /* the header row is frozen */
    assert_non_null(strstr(xml.buf, "<pane ySplit=\"1\""));
    assert_non_null(strstr(xml.buf, "state=\"frozen\""));
    assert_non_null(strstr(xml.buf, "<autoFilter ref=\"A1:D5\""));
    assert_non_null(strstr(xml.buf, "沁水县龙港镇第一小学"));
    zip_close(z);
    table_release(&t);
    buf_release(&xml);
    buf_release(&err);
    unlink(p);
    free(p);
}

/* fill4 as a form to send upward: caption, subtitle, totals row, notes */
static void fill_form(struct report_table *t)
{
    fill4(t);
    table_caption(t, "沁水县适龄儿童台账", "填报单位：沁水县教育局　　制表日期：2026年11月15日");
    table_add_totals(t);
    table_set(t, 0, "合计");
    table_set(t, 2, "120");
    table_note(t, "其中：本县在读 %d 人。", 3);
    table_note(t, "填表人：");
}

static void test_form_xlsx(void **state)
{
    struct report_table t;
    struct buf err = BUF_INIT, xml = BUF_INIT, wb = BUF_INIT;
    char *p = tu_path(tu_dir, "form.xlsx");
    fill_form(&t);
    assert_int_equal(table_data_rows(&t), 4);
    assert_int_equal(table_render(&t, FMT_XLSX, p, &err), 0);
    int zerr = 0;
    zip_t *z = zip_open(p, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    tu_zip_read(z, "xl/worksheets/sheet1.xml", &xml);
    tu_zip_read(z, "xl/workbook.xml", &wb);
    zip_close(z);
    /* caption and subtitle merged over the four columns, the header on row 3 frozen */
    assert_non_null(strstr(xml.buf, "<mergeCell ref=\"A1:D1\"/>"));
    assert_non_null(strstr(xml.buf, "<mergeCell ref=\"A2:D2\"/>"));
    assert_non_null(strstr(xml.buf, "沁水县适龄儿童台账"));
    assert_non_null(strstr(xml.buf, "<pane ySplit=\"3\""));
    /* the filter covers the data rows, not the totals row (row 8) */
    assert_non_null(strstr(xml.buf, "<autoFilter ref=\"A3:D7\""));
    assert_non_null(strstr(xml.buf, "<row r=\"8\""));
    assert_non_null(strstr(xml.buf, "合计"));
    /* a blank row, then the notes */
    assert_null(strstr(xml.buf, "<row r=\"9\""));
    assert_non_null(strstr(xml.buf, "<row r=\"10\""));
    assert_non_null(strstr(xml.buf, "其中：本县在读 3 人。"));
    assert_non_null(strstr(xml.buf, "orientation=\"landscape\""));
    /* the sheet is named after the report, the header repeats on printed pages */
    assert_non_null(strstr(wb.buf, "name=\"适龄未入学儿童名单\""));
    assert_non_null(strstr(wb.buf, "_xlnm.Print_Titles"));
    table_release(&t);
    buf_release(&xml);
    buf_release(&wb);
    buf_release(&err);
    unlink(p);
    free(p);
}

static void test_form_json_and_text(void **state)
{
    struct report_table t;
    struct buf out = BUF_INIT, err = BUF_INIT;
    char *p = tu_path(tu_dir, "form.json");
    fill_form(&t);
    assert_int_equal(table_render(&t, FMT_JSON, p, &err), 0);
    tu_read(p, &out);
    json_error_t je;
    json_t *root = json_loads(out.buf, 0, &je);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "caption")), "沁水县适龄儿童台账");
    assert_non_null(json_object_get(root, "subtitle"));
    /* the totals are not a row */
    assert_int_equal(json_array_size(json_object_get(root, "children")), 4);
    json_t *tot = json_object_get(root, "totals");
    assert_string_equal(json_string_value(json_object_get(tot, "name")), "合计");
    assert_int_equal(json_integer_value(json_object_get(tot, "age")), 120);
    assert_int_equal(json_array_size(json_object_get(root, "notes")), 2);
    json_decref(root);
    /* csv: header, rows, totals; no caption */
    assert_int_equal(table_render(&t, FMT_CSV, p, &err), 0);
    tu_read(p, &out);
    assert_null(strstr(out.buf, "沁水县适龄儿童台账"));
    assert_non_null(strstr(out.buf, "\r\n合计,,120,\r\n"));
    /* terminal: caption, subtitle, a rule above the totals, the notes */
    assert_int_equal(table_render(&t, FMT_TABLE, p, &err), 0);
    tu_read(p, &out);
    assert_true(
        !strncmp(out.buf, "沁水县适龄儿童台账\n填报单位", strlen("沁水县适龄儿童台账\n填报单位")));
    assert_non_null(strstr(out.buf, "\n其中：本县在读 3 人。\n填表人：\n"));
    table_release(&t);
    buf_release(&out);
    buf_release(&err);
    unlink(p);
    free(p);
}

static void test_xlsx_needs_a_path(void **state)
{
    struct report_table t;
    struct buf err = BUF_INIT;
    fill4(&t);
    assert_int_equal(table_render(&t, FMT_XLSX, NULL, &err), -1);
    assert_non_null(strstr(err.buf, "-o"));
    buf_reset(&err);
    assert_int_equal(table_render(&t, FMT_XLSX, "-", &err), -1);
    assert_non_null(strstr(err.buf, "xlsx"));
    table_release(&t);
    buf_release(&err);
}

static void test_unwritable_path(void **state)
{
    struct report_table t;
    struct buf err = BUF_INIT;
    char *p = tu_path(tu_dir, "no/such/dir/out.csv");
    fill4(&t);
    assert_int_equal(table_render(&t, FMT_CSV, p, &err), -1);
    assert_non_null(strstr(err.buf, p));
    buf_reset(&err);
    free(p);
    p = tu_path(tu_dir, "no/such/dir/out.xlsx");
    assert_int_equal(table_render(&t, FMT_XLSX, p, &err), -1);
    assert_true(err.len > 0);
    table_release(&t);
    buf_release(&err);
    free(p);
}

/* ---- formats ---- */

static void test_format_parse(void **state)
{
    enum report_format f = FMT_JSON;
    assert_int_equal(report_format_parse("table", &f), 0);
    assert_int_equal(f, FMT_TABLE);
    assert_int_equal(report_format_parse("csv", &f), 0);
    assert_int_equal(f, FMT_CSV);
    assert_int_equal(report_format_parse("xlsx", &f), 0);
    assert_int_equal(f, FMT_XLSX);
    assert_int_equal(report_format_parse("json", &f), 0);
    assert_int_equal(f, FMT_JSON);
    f = FMT_CSV;
    assert_int_equal(report_format_parse("xls", &f), -1);
    assert_int_equal(report_format_parse("", &f), -1);
    assert_int_equal(report_format_parse("docx", &f), -1);
    assert_int_equal(f, FMT_CSV);
    assert_int_equal(report_format_parse("pdf", &f), 0);
    assert_int_equal(f, FMT_PDF);
}

static void test_format_from_path(void **state)
{
    enum report_format f = FMT_TABLE;
    assert_int_equal(report_format_from_path("名单.csv", &f), 0);
    assert_int_equal(f, FMT_CSV);
    assert_int_equal(report_format_from_path("/tmp/out/名单.XLSX", &f), 0);
    assert_int_equal(f, FMT_XLSX);
    assert_int_equal(report_format_from_path("r.json", &f), 0);
    assert_int_equal(f, FMT_JSON);
    assert_int_equal(report_format_from_path("r.txt", &f), 0);
    assert_int_equal(f, FMT_TABLE);
    assert_int_equal(report_format_from_path("a.tar.csv", &f), 0);
    assert_int_equal(f, FMT_CSV);
    f = FMT_JSON;
    assert_int_equal(report_format_from_path("noext", &f), -1);
    assert_int_equal(report_format_from_path("r.docx", &f), -1);
    assert_int_equal(report_format_from_path("r.csv.bak", &f), -1);
    assert_int_equal(report_format_from_path("-", &f), -1);
    assert_int_equal(report_format_from_path(NULL, &f), -1);
    assert_int_equal(f, FMT_JSON);
    assert_int_equal(report_format_from_path("走访清单.PDF", &f), 0);
    assert_int_equal(f, FMT_PDF);
}

/* A table prints only with its printed form; the PDF appears whole, one page per group. */
static void test_pdf(void **state)
{
    struct report_table t;
    struct buf err = BUF_INIT;
    char *p = tu_path(tu_dir, "printed.pdf");
    fill4(&t);
    assert_int_equal(table_render(&t, FMT_PDF, p, &err), -1);
    assert_non_null(strstr(err.buf, "PDF"));
    assert_int_equal(access(p, F_OK), -1);
    static const struct table_pdf_col pc[] = {{"name", 2}, {"school", 3}, {"detail", 2}};
    static const struct table_pdf form = {pc, ARRAY_SIZE(pc), "detail", 12, "签名："};
    t.pdf = &form;
    buf_reset(&err);
    assert_int_equal(table_render(&t, FMT_PDF, "-", &err), -1);
    assert_non_null(strstr(err.buf, "-o"));
    buf_reset(&err);
    assert_int_equal(table_render(&t, FMT_PDF, p, &err), 0);
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    char head[5] = "";
    assert_int_equal(fread(head, 1, 4, fp), 4);
    fclose(fp);
    assert_string_equal(head, "%PDF");
    /* four groups of the detail column: four pages, each numbered of four */
    char *cmd = xstrfmt("pdftotext -layout '%s' - 2>/dev/null | grep -c '共 4 页'", p);
    FILE *pp = popen(cmd, "r");
    char line[16] = "";
    assert_non_null(fgets(line, sizeof(line), pp));
    pclose(pp);
    assert_int_equal(strtol(line, NULL, 10), 4);
    free(cmd);
    free(p);
    table_release(&t);
    buf_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_words_column),
        cmocka_unit_test(test_csv_field_plain),
        cmocka_unit_test(test_csv_field_quoting),
        cmocka_unit_test(test_csv_field_formula),
        cmocka_unit_test(test_csv_field_formula_after_minus_digit),
        cmocka_unit_test(test_csv_field_len),
        cmocka_unit_test(test_csv_render),
        cmocka_unit_test(test_csv_render_hostile_cells),
        cmocka_unit_test(test_key_columns_json_only),
        cmocka_unit_test(test_view_leaves_birth_out),
        cmocka_unit_test(test_terminal_alignment),
        cmocka_unit_test(test_terminal_no_rows),
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_json_empty_rows),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_form_xlsx),
        cmocka_unit_test(test_form_json_and_text),
        cmocka_unit_test(test_xlsx_needs_a_path),
        cmocka_unit_test(test_unwritable_path),
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_format_from_path),
        cmocka_unit_test(test_pdf),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
