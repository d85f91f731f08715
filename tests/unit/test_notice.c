#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "render/notice.h"

#include "testutil.h"

/* ---- helpers ---- */

static struct notice_fields sample(enum notice_kind kind)
{
    struct notice_fields f = {
        .kind = kind,
        .county = "沁水县",
        .authority = "沁水县郑庄镇人民政府",
        .doc_number = "郑政责改〔2026〕12号",
        .case_no = "QS-2026-0012",
        .child_name = "李小梅",
        .child_gender = "女",
        .child_birth = "2012-03-04",
        .child_id = "140521********1234",
        .guardian = "李建国",
        .guardian_address = "沁水县郑庄镇河头村二组15号",
        .school = "沁水县第二中学",
        .grade = "七年级",
        .issue_date = "2026-11-29",
        .deadline = "2026-12-15",
        .contact = "王老师 0356-7022123",
    };
    return f;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Number of entries in tu_dir: a failed render must leave no temporary file behind. */
static int dir_entries(void)
{
    DIR *dir = opendir(tu_dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(dir);
    while ((e = readdir(dir)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dir);
    return n;
}

/* The output of a command on the PDF at `path`, e.g. "pdftotext -q '%s' -". */
static void run_on(const char *cmd_fmt, const char *path, struct buf *out)
{
    char *cmd = xstrfmt(cmd_fmt, path);
    FILE *p = popen(cmd, "r");
    char chunk[4096];
    size_t n;
    assert_non_null(p);
    buf_reset(out);
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        buf_add(out, chunk, n);
    int status = pclose(p);
    if (status != 0)
        fail_msg("%s: status %d", cmd, status);
    free(cmd);
}

/* The text of the PDF with every space and line break removed: justified CJK lines come out
 * of pdftotext with spaces between characters, and a long name is broken across lines. */
static void pdf_text(const char *path, struct buf *out)
{
    struct buf raw = BUF_INIT;
    run_on("pdftotext -q -enc UTF-8 '%s' -", path, &raw);
    buf_reset(out);
    for (size_t i = 0; i < raw.len; i++)
        if (!strchr(" \t\r\n\f", raw.buf[i]))
            buf_addch(out, raw.buf[i]);
    buf_release(&raw);
}

static void assert_has(const struct buf *text, const char *what)
{
    if (!strstr(text->buf, what))
        fail_msg("the notice does not say \"%s\"", what);
}

/* one sheet: the notice and its 回执 */
static void assert_one_a4_sheet(const char *path)
{
    struct buf info = BUF_INIT;
    run_on("pdfinfo '%s'", path, &info);
    const char *pages = strstr(info.buf, "Pages:");
    assert_non_null(pages);
    assert_int_equal(strtol(pages + strlen("Pages:"), NULL, 10), 1);
    assert_non_null(strstr(info.buf, "595.276 x 841.89 pts (A4)"));
    assert_non_null(strstr(info.buf, "Title:           责令限期改正通知书") ||
                    strstr(info.buf, "Title:           劝返复学通知书"));
    buf_release(&info);
}

static void render_ok(const struct notice_fields *f, const char *path)
{
    struct buf err = BUF_INIT;
    if (notice_render_pdf(f, path, &err) != 0)
        fail_msg("notice_render_pdf: %s", err.buf);
    assert_int_equal(err.len, 0);
    buf_release(&err);

    struct buf pdf = BUF_INIT;
    tu_read(path, &pdf);
    assert_true(pdf.len > 1000);
    assert_memory_equal(pdf.buf, "%PDF-", 5);
    buf_release(&pdf);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600); /* a minor's personal data */
}

/* The render fails, says something, and leaves no file at `path` nor a temporary one. */
static void render_fails(const struct notice_fields *f, const char *path, const char *expect)
{
    struct buf err = BUF_INIT;
    int before = dir_entries();
    assert_int_equal(notice_render_pdf(f, path, &err), -1);
    if (!err.len || (expect && !strstr(err.buf, expect)))
        fail_msg("error message [%s], expected [%s]", err.buf, expect ? expect : "(any)");
    /* the message may reach a log: never the child's name */
    if (f->child_name && *f->child_name)
        assert_null(strstr(err.buf, f->child_name));
    buf_release(&err);
    assert_false(exists(path));
    assert_int_equal(dir_entries(), before);
}

/* ---- kinds ---- */

static void test_kinds(void **state)
{
    assert_string_equal(notice_kind_key(NOTICE_RETURN), "return");
    assert_string_equal(notice_kind_key(NOTICE_ORDER), "order");
    assert_string_equal(notice_kind_label(NOTICE_RETURN), "劝返复学通知书");
    assert_string_equal(notice_kind_label(NOTICE_ORDER), "责令限期改正通知书");
    assert_null(notice_kind_key(NOTICE__COUNT));
    assert_null(notice_kind_label(NOTICE__COUNT));
    assert_int_equal(notice_kind_parse("return"), NOTICE_RETURN);
    assert_int_equal(notice_kind_parse("ORDER"), NOTICE_ORDER);
    assert_int_equal(notice_kind_parse("劝返复学通知书"), NOTICE_RETURN);
    assert_int_equal(notice_kind_parse("《责令限期改正通知书》"), NOTICE_ORDER);
    assert_int_equal(notice_kind_parse("责令限期改正"), -1);
    assert_int_equal(notice_kind_parse("《》"), -1);
    assert_int_equal(notice_kind_parse("《"), -1);
    assert_int_equal(notice_kind_parse(""), -1);
    assert_int_equal(notice_kind_parse("returns"), -1);
    assert_int_equal(notice_kind_parse(NULL), -1);
}

/* ---- the two notices ---- */

static void test_return_notice(void **state)
{
    struct notice_fields f = sample(NOTICE_RETURN);
    char *path = tu_path(tu_dir, "劝返.pdf");
    struct buf text = BUF_INIT;
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "劝返复学通知书");
    assert_has(&text, "李建国（监护人）：");
    assert_has(&text, "李小梅（女，2012年3月4日出生，公民身份号码140521********1234）");
    assert_has(&text, "沁水县义务教育适龄儿童少年");
    assert_has(&text, "第五条");
    assert_has(&text, "第十一条");
    assert_has(&text, "于2026年12月15日前送子女到沁水县第二中学七年级复学");
    assert_has(&text, "沁水县郑庄镇人民政府2026年11月29日");
    assert_has(&text, "回执");
    assert_has(&text, "案件编号：QS-2026-0012");
    assert_has(&text, "家庭住址：沁水县郑庄镇河头村二组15号");
    assert_has(&text, "监护人（签名）");
    assert_has(&text, "郑政责改〔2026〕12号");
    buf_release(&text);

    assert_one_a4_sheet(path);

    /* without a deadline, school or grade the request still reads */
    f.deadline = NULL;
    f.school = NULL;
    f.grade = NULL;
    f.doc_number = NULL;
    f.contact = NULL;
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "尽快送子女返校复学");
    buf_release(&text);
    assert_int_equal(unlink(path), 0);
    free(path);
}

/* A masked notice (a township prints it without full IDs): the age on the cutoff stands where
 * the birth date would, and no date of birth is on the paper. */
static void test_masked_notice_has_the_age(void **state)
{
    struct notice_fields f = sample(NOTICE_RETURN);
    f.child_birth = NULL;
    f.child_age = "截至2026年8月31日 14 周岁";
    char *path = tu_path(tu_dir, "masked.pdf");
    struct buf text = BUF_INIT;
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "李小梅（女，截至2026年8月31日14周岁，公民身份号码140521********1234）");
    assert_null(strstr(text.buf, "出生"));
    assert_null(strstr(text.buf, "2012"));
    buf_release(&text);
    /* a birth date given wins: the age is for a notice without one */
    f.child_birth = "2012-03-04";
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "李小梅（女，2012年3月4日出生，公民身份号码140521********1234）");
    buf_release(&text);
    assert_int_equal(unlink(path), 0);
    free(path);
}

static void test_order_notice(void **state)
{
    struct notice_fields f = sample(NOTICE_ORDER);
    char *path = tu_path(tu_dir, "order.pdf");
    struct buf text = BUF_INIT;
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "责令限期改正通知书");
    assert_has(&text, "李建国（监护人）：");
    assert_has(&text, "李小梅");
    assert_has(&text, "沁水县");
    assert_has(&text, "《中华人民共和国义务教育法》第五条、第十一条");
    assert_has(&text, "第五十八条");
    assert_has(&text, "责令限期改正");
    assert_has(&text, "请于2026年12月15日前送子女到沁水县第二中学七年级复学。");
    assert_has(&text, "2026年11月29日");
    assert_has(&text, "《责令限期改正通知书》（郑政责改〔2026〕12号）");
    buf_release(&text);
    assert_one_a4_sheet(path);

    /* a second render replaces the first in one step */
    f.deadline = "2027-01-05";
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "请于2027年1月5日前");
    buf_release(&text);
    assert_int_equal(dir_entries(), 1);
    assert_int_equal(unlink(path), 0);
    free(path);
}

/* ---- hostile input ---- */

/* Every word pdftotext places lies within the text area (28 mm .. 184 mm from the left). */
static void assert_within_margins(const char *path)
{
    struct buf html = BUF_INIT;
    double left = 28 * 72 / 25.4, right = (28 + 156) * 72 / 25.4;
    int words = 0;
    run_on("pdftotext -q -bbox '%s' -", path, &html);
    for (const char *p = html.buf; (p = strstr(p, "<word xMin=\"")); p++) {
        double x0 = strtod(p + strlen("<word xMin=\""), NULL);
        const char *q = strstr(p, "xMax=\"");
        assert_non_null(q);
        double x1 = strtod(q + strlen("xMax=\""), NULL);
        if (x0 < left - 1 || x1 > right + 1)
            fail_msg("a word runs from %.1f to %.1f pt, outside %.1f..%.1f", x0, x1, left, right);
        words++;
    }
    assert_true(words > 50);
    buf_release(&html);
}

static void test_long_fields_wrap(void **state)
{
    struct notice_fields f = sample(NOTICE_ORDER);
    struct buf name = BUF_INIT, addr = BUF_INIT, auth = BUF_INIT, latin = BUF_INIT;
    for (int i = 0; i < 40; i++)
        buf_adds(&name, "欧阳");
    for (int i = 0; i < 60; i++)
        buf_adds(&addr, "河头村二组");
    for (int i = 0; i < 12; i++)
        buf_adds(&auth, "郑庄镇");
    buf_adds(&auth, "人民政府");
    for (int i = 0; i < 120; i++) /* no break opportunity at all */
        buf_addch(&latin, 'W');
    f.child_name = name.buf;
    f.guardian = latin.buf;
    f.guardian_address = addr.buf;
    f.authority = auth.buf;
    f.school = "沁水县第二中学（原沁水县郑庄镇中心学校、沁水县郑庄镇河头村小学合并）";

    char *path = tu_path(tu_dir, "long.pdf");
    struct buf text = BUF_INIT;
    render_ok(&f, path);
    assert_within_margins(path);
    pdf_text(path, &text);
    assert_has(&text, name.buf);
    assert_has(&text, latin.buf); /* broken across lines, but never with a hyphen */
    assert_has(&text, addr.buf);
    assert_has(&text, "请于2026年12月15日前送子女到");
    buf_release(&text);
    assert_int_equal(unlink(path), 0);

    f.kind = NOTICE_RETURN;
    render_ok(&f, path);
    assert_within_margins(path);
    assert_int_equal(unlink(path), 0);
    free(path);
    buf_release(&name);
    buf_release(&addr);
    buf_release(&auth);
    buf_release(&latin);
}

static void test_markup_and_control_characters(void **state)
{
    struct notice_fields f = sample(NOTICE_RETURN);
    f.child_name = "<b>张&amp;三</b>";
    f.guardian = "李 & 王 <i>";
    f.guardian_address = "河头村\n二组\t15号";
    f.contact = "王老师 <0356> & \"7022123\"";
    char *path = tu_path(tu_dir, "markup.pdf");
    struct buf text = BUF_INIT;
    render_ok(&f, path);
    pdf_text(path, &text);
    assert_has(&text, "<b>张&amp;三</b>（女");
    assert_has(&text, "李&王<i>（监护人）：");
    assert_has(&text, "河头村二组15号");
    assert_has(&text, "<0356>&\"7022123\"");
    buf_release(&text);
    assert_int_equal(unlink(path), 0);
    free(path);
}

static void test_required_fields(void **state)
{
    static const struct {
        size_t offset;
        const char *label;
    } required[] = {
        {offsetof(struct notice_fields, county), "县（市、区）名称"},
        {offsetof(struct notice_fields, authority), "发文机关"},
        {offsetof(struct notice_fields, child_name), "学生姓名"},
        {offsetof(struct notice_fields, guardian), "监护人姓名"},
        {offsetof(struct notice_fields, issue_date), "发文日期"},
    };
    static const char *const empty[] = {NULL, "", "   ", "\t\n"};
    char *path = tu_path(tu_dir, "missing.pdf");
    for (int kind = 0; kind < NOTICE__COUNT; kind++)
        for (size_t i = 0; i < ARRAY_SIZE(required); i++)
            for (size_t j = 0; j < ARRAY_SIZE(empty); j++) {
                struct notice_fields f = sample((enum notice_kind)kind);
                *(const char **)((char *)&f + required[i].offset) = empty[j];
                char *expect = xstrfmt("缺少必填项：%s", required[i].label);
                render_fails(&f, path, expect);
                free(expect);
            }

    /* a deadline is what an order is about; a 劝返 notice may go without */
    struct notice_fields f = sample(NOTICE_ORDER);
    f.deadline = NULL;
    render_fails(&f, path, "缺少必填项：改正期限（责令限期改正通知书）");
    f.deadline = " ";
    render_fails(&f, path, "缺少必填项：改正期限");
    free(path);
}

static void test_invalid_values(void **state)
{
    char *path = tu_path(tu_dir, "invalid.pdf");
    struct notice_fields f = sample(NOTICE_ORDER);
    f.deadline = "2026-02-30";
    render_fails(&f, path, "改正期限不是有效日期");
    f.deadline = "2026-11-29";
    render_fails(&f, path, "改正期限必须晚于发文日期");
    f = sample(NOTICE_ORDER);
    f.issue_date = "下周一";
    render_fails(&f, path, "发文日期不是有效日期");
    f = sample(NOTICE_RETURN);
    f.child_birth = "2012-13-01";
    render_fails(&f, path, "学生出生日期不是有效日期");
    f.child_birth = "2027-01-01";
    render_fails(&f, path, "学生出生日期必须早于发文日期");
    f = sample(NOTICE_RETURN);
    f.guardian = "\xe6\x9d\x8e\xff";
    render_fails(&f, path, "监护人姓名不是有效的 UTF-8 文本");
    f = sample(NOTICE_RETURN);
    char big[1200];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    f.guardian_address = big;
    render_fails(&f, path, "家庭住址过长");
    f = sample(NOTICE_RETURN);
    f.kind = NOTICE__COUNT;
    render_fails(&f, path, "通知书种类无效");
    /* other date forms departments write are read as dates */
    f = sample(NOTICE_ORDER);
    f.issue_date = "2026年11月29日";
    f.child_birth = "2012/3/4";
    render_ok(&f, path);
    assert_int_equal(unlink(path), 0);
    free(path);
}

static void test_unwritable_path(void **state)
{
    struct notice_fields f = sample(NOTICE_RETURN);
    struct buf err = BUF_INIT;
    assert_int_equal(notice_render_pdf(&f, "/nonexistent-baoxue-dir/notice.pdf", &err), -1);
    assert_non_null(strstr(err.buf, "无法创建文件 /nonexistent-baoxue-dir/notice.pdf"));
    buf_reset(&err);
    assert_int_equal(notice_render_pdf(&f, "", &err), -1);
    assert_string_equal(err.buf, "未指定输出文件");
    buf_reset(&err);
    assert_int_equal(notice_render_pdf(&f, NULL, &err), -1);
    buf_release(&err);

    /* the path is a directory: the PDF is written, the rename fails, nothing is left */
    char *sub = tu_path(tu_dir, "a-directory.pdf");
    assert_int_equal(mkdir(sub, 0700), 0);
    int before = dir_entries();
    buf_init(&err, 0);
    assert_int_equal(notice_render_pdf(&f, sub, &err), -1);
    assert_non_null(strstr(err.buf, "无法写入文件"));
    buf_release(&err);
    assert_int_equal(dir_entries(), before);
    assert_int_equal(rmdir(sub), 0);
    free(sub);

    /* a parent that is a regular file */
    char *file = tu_write_str(tu_dir, "plain", "x");
    char *under = tu_path(file, "notice.pdf");
    render_fails(&f, under, "无法创建文件");
    assert_int_equal(unlink(file), 0);
    free(under);
    free(file);
}

/* ---- no CJK font ---- */

/*
 * Fontconfig reads its configuration once per process, so the test runs itself again with
 * FONTCONFIG_FILE naming a configuration without any font directory; that child renders
 * (main, below) and must fail with the message about the missing font.
 */
static void test_no_cjk_font(void **state)
{
    char *cache = tu_path(tu_dir, "fc-cache");
    char *body = xstrfmt("<?xml version=\"1.0\"?>\n<fontconfig><dir>%s/no-fonts</dir>"
                         "<cachedir>%s</cachedir></fontconfig>\n",
                         tu_dir, cache);
    char *conf_path = tu_write_str(tu_dir, "fonts.conf", body);
    char *pdf = tu_path(tu_dir, "no-font.pdf");
    char *err_path = tu_path(tu_dir, "no-font.err");

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("FONTCONFIG_FILE", conf_path, 1);
        execl("/proc/self/exe", "test_notice", "--render-without-fonts", pdf, err_path,
              (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_false(exists(pdf));
    struct buf msg = BUF_INIT;
    tu_read(err_path, &msg);
    assert_non_null(strstr(msg.buf, "未找到中文字体"));
    assert_non_null(strstr(msg.buf, "fonts-noto-cjk"));
    buf_release(&msg);

    unlink(err_path);
    unlink(conf_path);
    if (exists(cache))
        tu_rmtree(cache);
    free(cache);
    free(body);
    free(conf_path);
    free(pdf);
    free(err_path);
}

/* The child of test_no_cjk_font: 0 when the render failed and left no file. */
static int render_without_fonts(const char *pdf, const char *err_path)
{
    struct notice_fields f = sample(NOTICE_ORDER);
    struct buf err = BUF_INIT;
    int rc = notice_render_pdf(&f, pdf, &err);
    FILE *out = fopen(err_path, "w");
    if (!out)
        return 2;
    fputs(err.buf, out);
    fclose(out);
    buf_release(&err);
    return rc == -1 && !exists(pdf) ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--render-without-fonts"))
        return render_without_fonts(argv[2], argv[3]);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_return_notice),
        cmocka_unit_test(test_masked_notice_has_the_age),
        cmocka_unit_test(test_order_notice),
        cmocka_unit_test(test_long_fields_wrap),
        cmocka_unit_test(test_markup_and_control_characters),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_invalid_values),
        cmocka_unit_test(test_unwritable_path),
        cmocka_unit_test(test_no_cjk_font),
    };
    return cmocka_run_group_tests(tests, tu_dir_setup, tu_dir_teardown);
}
