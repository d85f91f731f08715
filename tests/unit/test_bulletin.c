#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <jansson.h>
#include <sys/stat.h>

#include "render/bulletin.h"
#include "report/bulletin.h"

#include "testutil.h"

/* ---- numbering ---- */

static void test_next_number(void **state)
{
    (void)state;
    assert_int_equal(bulletin_next_number(NULL, 0), 1);
    const int one[] = {1};
    assert_int_equal(bulletin_next_number(one, 1), 2);
    /* the next after the highest, whatever the order they were read in */
    const int some[] = {3, 1, 12, 2};
    assert_int_equal(bulletin_next_number(some, 4), 13);
    /* a gap (a number taken by hand in another system) is not filled */
    const int gap[] = {1, 5};
    assert_int_equal(bulletin_next_number(gap, 2), 6);
}

static void test_doc_number(void **state)
{
    (void)state;
    char out[64];
    bulletin_doc_number("沁教通", 2026, 12, out, sizeof(out));
    assert_string_equal(out, "沁教通〔2026〕12号");
    bulletin_doc_number("", 2027, 1, out, sizeof(out));
    assert_string_equal(out, "〔2027〕1号");
}

static void test_office_default(void **state)
{
    (void)state;
    char office[64], prefix[32];
    bulletin_office_default("沁县", office, sizeof(office), prefix, sizeof(prefix));
    assert_string_equal(office, "沁县教育局");
    assert_string_equal(prefix, "沁教通");
    bulletin_office_default("沁水县", office, sizeof(office), prefix, sizeof(prefix));
    assert_string_equal(office, "沁水县教育局");
    assert_string_equal(prefix, "沁教通");
    bulletin_office_default(NULL, office, sizeof(office), prefix, sizeof(prefix));
    assert_string_equal(office, "县教育局");
}

static void test_term_parse(void **state)
{
    (void)state;
    int y = 0;
    bool autumn = false;
    assert_int_equal(bulletin_term_parse("2026秋", &y, &autumn), 0);
    assert_int_equal(y, 2026);
    assert_true(autumn);
    assert_int_equal(bulletin_term_parse("2027年春季学期", &y, &autumn), 0);
    assert_int_equal(y, 2027);
    assert_false(autumn);
    assert_int_equal(bulletin_term_parse("2026-autumn", &y, &autumn), 0);
    assert_true(autumn);
    assert_int_equal(bulletin_term_parse("2026", &y, &autumn), -1);
    assert_int_equal(bulletin_term_parse("秋", &y, &autumn), -1);
    assert_int_equal(bulletin_term_parse(NULL, &y, &autumn), -1);
}

/* ---- the PDF ---- */

static void pdf_text(const char *path, struct buf *out)
{
    char *cmd = xstrfmt("pdftotext -q -layout -enc UTF-8 '%s' -", path);
    FILE *p = popen(cmd, "r");
    char chunk[4096];
    size_t n;
    assert_non_null(p);
    buf_reset(out);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_add(out, chunk, n);
    assert_int_equal(pclose(p), 0);
    free(cmd);
}

static void test_render(void **state)
{
    (void)state;
    json_t *rows = json_array();
    const char *const names[] = {"郑庄镇", "端氏镇", "嘉峰镇"};
    json_t *bars = json_array();
    for (int i = 0; i < 3; i++) {
        char num[4];
        snprintf(num, sizeof(num), "%d", i + 1);
        json_array_append_new(rows, json_pack("[s,s,s]", num, names[i], "1.00%"));
        json_array_append_new(bars, json_pack("{s:s, s:f, s:s}", "label", names[i], "value",
                                              1.0 + i, "text", "1.00%"));
    }
    json_t *c =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:[{s:s}, {s:s}, {s:{s:s, s:[s,s,s], s:o}}, "
                  "{s:{s:s, s:o}}]}]}",
                  "office", "沁县教育局", "doc_number", "沁教通〔2026〕3号", "title",
                  "关于2026年10月控辍保学工作情况的通报", "addressee", "各乡（镇）人民政府：",
                  "date_text", "2026年11月20日", "sections", "heading", "一、基本情况", "parts",
                  "p", "截至2026年10月31日，全县入学率99.50%。", "h2", "（一）各乡镇排名", "table",
                  "caption", "表1 各乡镇排名", "columns", "名次", "乡镇", "辍学率", "rows", rows,
                  "chart", "caption", "图1 各乡镇辍学率", "bars", bars);
    assert_non_null(c);
    char *path = tu_path(tu_dir, "通报.pdf");
    struct buf err = BUF_INIT, text = BUF_INIT;
    assert_int_equal(bulletin_render_pdf(c, path, &err), 0);
    pdf_text(path, &text);
    assert_non_null(strstr(text.buf, "沁教通〔2026〕3号"));
    assert_non_null(strstr(text.buf, "关于2026年10月控辍保学工作情况的通报"));
    /* the table's rows in their order, each on its own line */
    const char *b = strstr(text.buf, "端氏镇"), *d = strstr(text.buf, "嘉峰镇");
    assert_non_null(b);
    assert_non_null(d);
    assert_true(strstr(text.buf, "郑庄镇") < b && b < d);
    /* the same content gives the same text */
    struct buf again = BUF_INIT;
    char *path2 = tu_path(tu_dir, "again.pdf");
    assert_int_equal(bulletin_render_pdf(c, path2, &err), 0);
    pdf_text(path2, &again);
    assert_string_equal(text.buf, again.buf);
    buf_release(&again);
    buf_release(&text);
    buf_release(&err);
    free(path);
    free(path2);
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_next_number),    cmocka_unit_test(test_doc_number),
        cmocka_unit_test(test_office_default), cmocka_unit_test(test_term_parse),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
