#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/common.h"

#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/idcard.h"
#include "ingest/import.h"
#include "store/store.h"

#include "testutil.h"

/*
 * import_file through its public API: every test gets a fresh SQLite database in a mkdtemp
 * directory of its own (struct tu_fx) and writes the sheets it imports there.
 */

static int group_setup(void **state)
{
    /* IDs are checked against "today": pin it so that the fixtures never age */
    setenv("BAOXUE_TODAY", "2026-09-15", 1);
    return 0;
}

/* A valid 18-digit ID: region, birth date, 3-digit sequence (odd: male), check character. */
static void make_id(char out[19], const char *region, int ymd, int sequence)
{
    snprintf(out, 19, "%.6s%08d%03d", region, ymd, sequence);
    out[17] = id_check_char(out);
    out[18] = '\0';
}

/* The same ID with a wrong check character. */
static void make_bad_check(char out[19], const char *region, int ymd, int sequence)
{
    make_id(out, region, ymd, sequence);
    out[17] = out[17] == '1' ? '2' : '1';
}

static int run_import(struct tu_fx *fx, enum import_kind kind, const char *path,
                      const struct column_map *maps, size_t nmaps, bool force,
                      struct import_summary *sum, struct outcome *o)
{
    struct import_options opt = {
        .kind = kind,
        .path = path,
        .maps = maps,
        .nmaps = nmaps,
        .force = force,
        .actor = "test",
    };
    outcome_reset(o);
    return import_file(fx->s, &opt, sum, o);
}

/* Import that must succeed; checks the row accounting that every import must satisfy. */
static void import_ok(struct tu_fx *fx, enum import_kind kind, const char *path,
                      const struct column_map *maps, size_t nmaps, struct import_summary *sum)
{
    struct outcome o = OUTCOME_INIT;
    if (run_import(fx, kind, path, maps, nmaps, false, sum, &o) != 0)
        fail_msg("import %s: %s", path, o.msg.buf);
    assert_int_equal(o.kind, OUT_OK);
    assert_true(sum->batch_id > 0);
    assert_int_equal(sum->rows_read, sum->rows_imported + sum->rows_rejected + sum->rows_title +
                                         sum->rows_blank + sum->rows_notes);
    outcome_release(&o);
}

/*
 * Import that must fail with `code`, the message containing `expect`; returns the hint for
 * the front end. The library's message never names a command-line option (the server's users
 * have none): the front end adds its own way to act on the hint.
 */
static enum import_hint import_fails(struct tu_fx *fx, enum import_kind kind, const char *path,
                                     const struct column_map *maps, size_t nmaps, bool force,
                                     int want_code, const char *expect)
{
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(run_import(fx, kind, path, maps, nmaps, force, &sum, &o), -1);
    assert_int_equal(outcome_exit(o.kind), want_code);
    assert_int_equal(sum.batch_id, 0);
    if (!strstr(o.msg.buf, expect))
        fail_msg("message \"%s\" lacks \"%s\"", o.msg.buf, expect);
    if (strstr(o.msg.buf, "--"))
        fail_msg("message \"%s\" names an option", o.msg.buf);
    enum import_hint hint = sum.hint;
    import_summary_release(&sum);
    outcome_release(&o);
    return hint;
}

static void text_is(struct tu_fx *fx, const char *sql, const char *param, const char *expect)
{
    char *v = tu_text(fx->s, sql, param, NULL);
    if (!expect) {
        if (v)
            fail_msg("%s [%s]: expected NULL, got \"%s\"", sql, param ? param : "", v);
    } else if (!v || strcmp(v, expect)) {
        fail_msg("%s [%s]: expected \"%s\", got \"%s\"", sql, param ? param : "", expect,
                 v ? v : "(null)");
    }
    free(v);
}

static void no_data(struct tu_fx *fx)
{
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM batch", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM reject", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'import'", NULL), 0);
}

/* ------------------------------------------------------------------ layout */

static void test_csv_layout(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19], id2[19], id3[19];
    make_id(id1, "140521", 20180305, 101);
    make_id(id2, "140521", 20170601, 202);
    make_id(id3, "140521", 20160101, 303);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "沁水县2026年适龄儿童名单,,,,\n"     /* 1 title */
             ",,,,\n"                             /* 2 blank above the header: a title row */
             "填报单位：龙港派出所,,,,\n"         /* 3 title */
             "序号,姓名,身份证号,性别,出生日期\n" /* 4 header */
             "1,张三,%s,男,2018-03-05\n"          /* 5 */
             ",,,,\n"                             /* 6 blank */
             "2,李 四,%s,女,2017/6/1\n"           /* 7 */
             "序号,姓名,身份证号,性别,出生日期\n" /* 8 repeated header */
             "3,王五,%s,男,\n"                    /* 9 */
             "4,,,男,\n"                          /* 10 rejected */
             "制表人：赵六,,,,\n"                 /* 11 note */
             "合计：3人,,,,\n",                   /* 12 total */
             id1, id2, id3);
    char *p = tu_write_str(fx->dir, "layout.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);

    assert_int_equal(sum.header_row, 4);
    assert_int_equal(sum.rows_read, 12);
    assert_int_equal(sum.rows_title, 4);
    assert_int_equal(sum.rows_blank, 1);
    assert_int_equal(sum.rows_notes, 3);
    assert_int_equal(sum.rows_imported, 3);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(sum.rows_flagged, 0);
    assert_string_equal(sum.format, "csv");
    assert_null(sum.sheet);

    char bid[24];
    snprintf(bid, sizeof(bid), "%lld", (long long)sum.batch_id);
    assert_int_equal(tu_int(fx->s, "SELECT rows_read FROM batch WHERE id = $1", bid), 12);
    assert_int_equal(tu_int(fx->s, "SELECT rows_imported FROM batch WHERE id = $1", bid), 3);
    assert_int_equal(tu_int(fx->s, "SELECT rows_rejected FROM batch WHERE id = $1", bid), 1);
    assert_int_equal(tu_int(fx->s, "SELECT rows_skipped FROM batch WHERE id = $1", bid), 8);
    assert_int_equal(tu_int(fx->s, "SELECT header_row FROM batch WHERE id = $1", bid), 4);
    text_is(fx, "SELECT kind FROM batch WHERE id = $1", bid, "population");
    text_is(fx, "SELECT file_name FROM batch WHERE id = $1", bid, strrchr(p, '/') + 1);
    text_is(fx, "SELECT imported_by FROM batch WHERE id = $1", bid, "test");

    /* the records keep their sheet row numbers; names lose stray spaces */
    text_is(fx, "SELECT group_concat(row_no || ':' || name, ' ') FROM record", NULL,
            "5:张三 7:李四 9:王五");
    text_is(fx, "SELECT birth_date FROM record WHERE row_no = 7", NULL, "2017-06-01");
    /* no birth date written: taken from the ID, and the gender too */
    text_is(fx, "SELECT birth_date FROM record WHERE row_no = 9", NULL, "2016-01-01");
    assert_int_equal(tu_int(fx->s, "SELECT gender FROM record WHERE row_no = 7", NULL), 2);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 5", NULL, id1);
    text_is(fx, "SELECT reg_status FROM record WHERE row_no = 5", NULL, "normal");

    /* the rejected row: its reason and its raw cells */
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM reject", NULL), 1);
    assert_int_equal(tu_int(fx->s, "SELECT row_no FROM reject", NULL), 10);
    text_is(fx, "SELECT reason FROM reject", NULL, "无法识别人员：身份证号和姓名均为空");
    char *raw = tu_text(fx->s, "SELECT raw FROM reject", NULL, NULL);
    assert_non_null(raw);
    assert_non_null(strstr(raw, "[\"4\",\"\",\"\",\"男\""));
    free(raw);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'import'", NULL), 1);

    import_summary_release(&sum);
    buf_release(&csv);
    free(p);
}

static void test_xlsx_layout(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19], id2[19];
    make_id(id1, "140521", 20180305, 101);
    make_id(id2, "140521", 20170601, 202);
    char *p = tu_path(fx->dir, "layout.xlsx");
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "花名册");
    lxw_format *ymd = workbook_add_format(wb);
    lxw_format *bold = workbook_add_format(wb);
    lxw_datetime d1 = {2018, 3, 5, 0, 0, 0};
    format_set_num_format(ymd, "yyyy-mm-dd");
    format_set_bold(bold);
    worksheet_merge_range(ws, 0, 0, 0, 4, "沁水县2026年适龄儿童花名册", bold);
    /* row 2 left empty */
    static const char *const head[] = {"序号", "姓名", "公民身份号码", "性别", "出生日期"};
    for (int c = 0; c < 5; c++)
        worksheet_write_string(ws, 2, (lxw_col_t)c, head[c], NULL);
    worksheet_write_number(ws, 3, 0, 1, NULL);
    worksheet_write_string(ws, 3, 1, "张三", NULL);
    worksheet_write_string(ws, 3, 2, id1, NULL);
    worksheet_write_string(ws, 3, 3, "男", NULL);
    worksheet_write_datetime(ws, 3, 4, &d1, ymd);
    worksheet_write_number(ws, 4, 0, 2, NULL);
    worksheet_write_string(ws, 4, 1, "李四", NULL);
    worksheet_write_string(ws, 4, 2, id2, NULL);
    worksheet_write_string(ws, 4, 3, "女", NULL);
    worksheet_write_string(ws, 4, 4, "2017年6月1日", NULL);
    /* row 6 empty */
    worksheet_write_string(ws, 6, 0, "制表人：赵六", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    assert_string_equal(sum.format, "xlsx");
    assert_non_null(sum.sheet);
    assert_string_equal(sum.sheet, "花名册");
    assert_int_equal(sum.header_row, 3);
    assert_int_equal(sum.rows_title, 3);
    assert_int_equal(sum.rows_imported, 2);
    assert_int_equal(sum.rows_rejected, 0);
    assert_int_equal(sum.rows_blank, 1);
    assert_int_equal(sum.rows_notes, 1);
    assert_int_equal(sum.rows_read, 7);
    assert_int_equal(sum.rows_flagged, 0);
    text_is(fx, "SELECT birth_date FROM record WHERE row_no = 4", NULL, "2018-03-05");
    text_is(fx, "SELECT birth_date FROM record WHERE row_no = 5", NULL, "2017-06-01");
    text_is(fx, "SELECT sheet FROM batch", NULL, "花名册");
    import_summary_release(&sum);
    free(p);
}

/* ------------------------------------------------------------------ rows */

static void test_flags(void **state)
{
    struct tu_fx *fx = *state;
    char a[19], b[19], c[19], d[19], e[19], i[19];
    make_id(a, "140521", 20180305, 101);
    make_bad_check(b, "140521", 20180401, 103);
    make_id(c, "140521", 20170601, 105);
    make_id(d, "140521", 20160707, 107);
    make_id(e, "140521", 20150815, 109);
    make_id(i, "140521", 20140101, 111);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,身份证号,性别,出生日期\n" /* 1 */
             "甲,%s,男,2018-03-05\n"         /* 2 clean */
             "乙,%s,男,2018-04-01\n"         /* 3 check digit */
             "丙,%s,男,2017-06-02\n"         /* 4 birth mismatch */
             "丁,%s,女,2016-07-07\n"         /* 5 sex mismatch */
             "戊,%s,男,2015-02-30\n"         /* 6 invalid date */
             "己,%s,男,2018-03-05\n"         /* 7 duplicate of row 2 */
             "庚,,男,2019-01-01\n"           /* 8 no ID */
             ",12345,男,\n"                  /* 9 rejected: no name, unusable ID */
             "辛,%s,未知,2014-01-01\n",      /* 10 gender not recognised */
             a, b, c, d, e, a, i);
    char *p = tu_write_str(fx->dir, "flags.csv", csv.buf);
    char *rej = tu_path(fx->dir, "rejects.csv");
    struct import_options opt = {
        .kind = KIND_POPULATION, .path = p, .rejects_path = rej, .actor = "clerk"};
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    if (import_file(fx->s, &opt, &sum, &o) != 0)
        fail_msg("import: %s", o.msg.buf);

    assert_int_equal(sum.rows_imported, 8);
    assert_int_equal(sum.rows_rejected, 1);
    assert_int_equal(sum.rows_flagged, 7);
    assert_int_equal(sum.rows_read, 10);
    long want[RF__COUNT] = {0};
    want[RF_ID_BAD_CHECK] = 1;
    want[RF_BIRTH_MISMATCH] = 1;
    want[RF_SEX_MISMATCH] = 1;
    want[RF_DATE_INVALID] = 1;
    want[RF_DUP_IN_FILE] = 1;
    want[RF_ID_MISSING] = 1;
    want[RF_GENDER_INVALID] = 1;
    for (int f = 0; f < RF__COUNT; f++)
        if (sum.flag_counts[f] != want[f])
            fail_msg("flag %s counted %ld, expected %ld", row_flag_key((enum row_flag)f),
                     sum.flag_counts[f], want[f]);

    static const struct {
        int row;
        unsigned flags;
    } rows[] = {
        {2, 0},
        {3, RF_BIT(RF_ID_BAD_CHECK)},
        {4, RF_BIT(RF_BIRTH_MISMATCH)},
        {5, RF_BIT(RF_SEX_MISMATCH)},
        {6, RF_BIT(RF_DATE_INVALID)},
        {7, RF_BIT(RF_DUP_IN_FILE)},
        {8, RF_BIT(RF_ID_MISSING)},
        {10, RF_BIT(RF_GENDER_INVALID)},
    };
    for (size_t k = 0; k < ARRAY_SIZE(rows); k++) {
        char rn[8];
        snprintf(rn, sizeof(rn), "%d", rows[k].row);
        int64_t got = tu_int(fx->s, "SELECT flags FROM record WHERE row_no = $1", rn);
        if (got != (int64_t)rows[k].flags)
            fail_msg("row %d: flags %lld, expected %u", rows[k].row, (long long)got, rows[k].flags);
    }
    /* the written date of birth is kept when it differs from the ID's; an impossible date is
     * replaced by the ID's; the ID's sex is kept when the written one is not recognised */
    text_is(fx, "SELECT birth_date FROM record WHERE row_no = 4", NULL, "2017-06-02");
    text_is(fx, "SELECT birth_date FROM record WHERE row_no = 6", NULL, "2015-08-15");
    assert_int_equal(tu_int(fx->s, "SELECT gender FROM record WHERE row_no = 10", NULL), 1);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 3", NULL, b);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 8", NULL, NULL);
    text_is(fx, "SELECT reason FROM reject", NULL, "无法识别人员：没有姓名，身份证号也不可用");
    assert_int_equal(tu_int(fx->s, "SELECT row_no FROM reject", NULL), 9);
    text_is(fx, "SELECT flag_counts FROM batch", NULL,
            "{\"birth_mismatch\":1,\"date_invalid\":1,\"dup_in_file\":1,\"gender_invalid\":1,"
            "\"id_bad_check\":1,\"id_missing\":1,\"sex_mismatch\":1}");
    assert_int_equal(tu_int(fx->s, "SELECT rows_flagged FROM batch", NULL), 7);

    /* --rejects: BOM, the header, one line per rejected or flagged row */
    FILE *f = fopen(rej, "rb");
    assert_non_null(f);
    char line[1024];
    int lines = 0;
    assert_non_null(fgets(line, sizeof(line), f));
    assert_string_equal(line, "\xEF\xBB\xBF行号,处理,原因,姓名,身份证号,性别,出生日期\r\n");
    while (fgets(line, sizeof(line), f))
        lines++;
    fclose(f);
    assert_int_equal(lines, 8);

    import_summary_release(&sum);
    outcome_release(&o);
    buf_release(&csv);
    free(rej);
    free(p);
}

/* ------------------------------------------------------------------ --map */

static void test_map(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19], id2[19];
    make_id(id1, "140521", 20180305, 101);
    make_id(id2, "140521", 20170601, 202);
    struct buf csv = BUF_INIT;
    buf_addf(&csv, "学生名字,证件编码,性别\n张三,%s,男\n李四,%s,女\n", id1, id2);
    char *p = tu_write_str(fx->dir, "odd.csv", csv.buf);

    /* without --map the header is not found */
    assert_int_equal(
        import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "指定各列对应的字段"),
        IMPORT_HINT_MAP);
    no_data(fx);

    /* the map's header is compared as header_key sees it (the colon goes) */
    static const struct column_map maps[] = {{"学生名字：", F_NAME}, {"证件编码", F_ID_NUMBER}};
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, maps, ARRAY_SIZE(maps), &sum);
    assert_int_equal(sum.header_row, 1);
    assert_int_equal(sum.rows_imported, 2);
    assert_non_null(strstr(sum.columns.buf, "学生名字→姓名"));
    assert_non_null(strstr(sum.columns.buf, "证件编码→身份证号"));
    char *both = xstrfmt("张三/%s 李四/%s", id1, id2);
    text_is(fx,
            "SELECT group_concat(name || '/' || id_number, ' ') FROM "
            "(SELECT * FROM record ORDER BY row_no)",
            NULL, both);
    free(both);
    import_summary_release(&sum);
    buf_release(&csv);
    free(p);
}

static void test_map_missing_header(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19];
    make_id(id1, "140521", 20180305, 101);
    struct buf csv = BUF_INIT;
    buf_addf(&csv, "姓名,身份证号\n张三,%s\n", id1);
    char *p = tu_write_str(fx->dir, "plain.csv", csv.buf);
    static const struct column_map maps[] = {{"家长称呼", F_GUARDIAN}};
    assert_int_equal(import_fails(fx, KIND_POPULATION, p, maps, 1, false, EXIT_INPUT, "“家长称呼”"),
                     IMPORT_HINT_MAP);
    no_data(fx);
    buf_release(&csv);
    free(p);
}

/* ------------------------------------------------------------------ duplicates */

static void test_duplicate_file(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19];
    make_id(id1, "140521", 20180305, 101);
    struct buf csv = BUF_INIT;
    buf_addf(&csv, "姓名,身份证号\n张三,%s\n", id1);
    char *p = tu_write_str(fx->dir, "once.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    import_summary_release(&sum);

    assert_int_equal(import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "导入过"),
                     IMPORT_HINT_FORCE);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM batch", NULL), 1);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record", NULL), 1);

    /* the same bytes under another name are the same file */
    char *copy = tu_write_str(fx->dir, "renamed.csv", csv.buf);
    assert_int_equal(import_fails(fx, KIND_POPULATION, copy, NULL, 0, false, EXIT_INPUT, "导入过"),
                     IMPORT_HINT_FORCE);

    struct outcome o2 = OUTCOME_INIT;
    assert_int_equal(run_import(fx, KIND_POPULATION, p, NULL, 0, true, &sum, &o2), 0);
    assert_int_equal(o2.kind, OUT_OK);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM batch", NULL), 2);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record", NULL), 2);
    assert_int_equal(tu_int(fx->s, "SELECT forced FROM batch ORDER BY id DESC LIMIT 1", NULL), 1);
    assert_int_equal(tu_int(fx->s, "SELECT forced FROM batch ORDER BY id LIMIT 1", NULL), 0);
    import_summary_release(&sum);
    outcome_release(&o2);
    buf_release(&csv);
    free(copy);
    free(p);
}

/* ------------------------------------------------------------------ townships */

static void test_county_inferred_townships(void **state)
{
    struct tu_fx *fx = *state;
    char id[6][19];
    for (int k = 0; k < 6; k++)
        make_id(id[k], "140521", 20160101 + k, 101 + 2 * k);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,身份证号,乡镇（街道）,户籍地址\n"
             "张三,%s,郑庄镇,\n"                           /* 2 exact */
             "李四,%s,龙港,\n"                             /* 3 without 镇 */
             "王五,%s,,山西省晋城市沁水县郑庄镇东村12号\n" /* 4 only in the address */
             "赵六,%s,不存在乡,\n"                         /* 5 not of this county */
             "孙七,%s,140521100,\n"                        /* 6 by code */
             "周八,%s, 郑庄镇 ,\n",                        /* 7 spaces */
             id[0], id[1], id[2], id[3], id[4], id[5]);
    char *p = tu_write_str(fx->dir, "towns.csv", csv.buf);
    struct buf v = BUF_INIT;
    assert_int_equal(store_get_setting(fx->s, "county", &v), 0);

    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    assert_true(sum.county_inferred);
    assert_string_equal(sum.county, "140521");
    assert_int_equal(store_get_setting(fx->s, "county", &v), 1);
    assert_string_equal(v.buf, "140521");

    static const struct {
        const char *row, *code, *name;
    } want[] = {
        {"2", "140521102", "郑庄镇"}, {"3", "140521100", "龙港镇"}, {"4", "140521102", "郑庄镇"},
        {"5", NULL, "不存在乡"},      {"6", "140521100", "龙港镇"}, {"7", "140521102", "郑庄镇"},
    };
    for (size_t k = 0; k < ARRAY_SIZE(want); k++) {
        text_is(fx, "SELECT township_code FROM record WHERE row_no = $1", want[k].row,
                want[k].code);
        text_is(fx, "SELECT township FROM record WHERE row_no = $1", want[k].row, want[k].name);
    }
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 5", NULL),
                     RF_BIT(RF_TOWNSHIP_UNKNOWN));
    assert_int_equal(sum.flag_counts[RF_TOWNSHIP_UNKNOWN], 1);
    assert_int_equal(sum.rows_flagged, 1);
    import_summary_release(&sum);
    buf_release(&v);
    buf_release(&csv);
    free(p);
}

static void test_county_setting_wins(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19];
    make_id(id1, "140521", 20160101, 101);
    assert_int_equal(store_set_setting(fx->s, "county", "140521"), 0);
    struct buf csv = BUF_INIT;
    /* no township column at all: the address still names one */
    buf_addf(&csv, "姓名,身份证号,住址\n张三,%s,沁水县龙港镇杏园社区\n", id1);
    char *p = tu_write_str(fx->dir, "addr.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    assert_false(sum.county_inferred);
    assert_string_equal(sum.county, "140521");
    text_is(fx, "SELECT township_code FROM record", NULL, "140521100");
    text_is(fx, "SELECT township FROM record", NULL, "龙港镇");
    import_summary_release(&sum);
    buf_release(&csv);
    free(p);
}

/* ------------------------------------------------------------------ 学籍 */

static void test_student_number(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19], id2[19], bad[19], id5[19];
    make_id(id1, "140521", 20180305, 101);
    make_id(id2, "140521", 20190405, 202);
    make_bad_check(bad, "140521", 20170101, 303);
    make_id(id5, "140521", 20170505, 505);
    struct buf csv = BUF_INIT;
    buf_addf(&csv,
             "姓名,身份证号,全国学籍号,学校名称,年级,学籍状态\n"
             "甲,,G%s,龙港一小,三年级,在读\n"                 /* 2 */
             "乙,,g%s,龙港一小,二年级,送教上门\n"             /* 3 lower-case g */
             "丙,,L123456789012345678,龙港一小,一年级,在读\n" /* 4 not an ID */
             "丁,,G%s,龙港一小,四年级,在读\n"                 /* 5 G + mistyped ID */
             "戊,%s,G%s,龙港一小,初一,休学\n"                 /* 6 the ID column wins */
             "己,%s,,龙港一小,,\n",                           /* 7 blank state */
             id1, id2, bad, id5, id1, id2);
    char *p = tu_write_str(fx->dir, "enr.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_ENROLLMENT, p, NULL, 0, &sum);
    assert_int_equal(sum.rows_imported, 6);
    assert_false(sum.county_inferred); /* only the population register sets the county */

    text_is(fx, "SELECT id_number FROM record WHERE row_no = 2", NULL, id1);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 3", NULL, id2);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 4", NULL, NULL);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 5", NULL, NULL);
    text_is(fx, "SELECT id_number FROM record WHERE row_no = 6", NULL, id5);
    char *g2 = xstrfmt("G%s", id2);
    text_is(fx, "SELECT student_no FROM record WHERE row_no = 3", NULL, g2);
    free(g2);
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 2", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 4", NULL),
                     RF_BIT(RF_ID_MISSING));
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 5", NULL),
                     RF_BIT(RF_ID_MISSING));
    /* the G number and row 6's ID name different children: no duplicate */
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 6", NULL), 0);
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 7", NULL),
                     RF_BIT(RF_DUP_IN_FILE) | RF_BIT(RF_STATUS_UNKNOWN));

    text_is(fx,
            "SELECT group_concat(enroll_status, ' ') FROM "
            "(SELECT * FROM record ORDER BY row_no)",
            NULL, "active active active active suspended active");
    text_is(fx,
            "SELECT group_concat(coalesce(grade, 0), ' ') FROM "
            "(SELECT * FROM record ORDER BY row_no)",
            NULL, "3 2 1 4 7 0");
    text_is(fx, "SELECT reg_status FROM record WHERE row_no = 2", NULL, NULL);
    import_summary_release(&sum);
    buf_release(&csv);
    free(p);
}

/*
 * import_options.actor is optional (the header does not require it; the HTTP front end or a
 * library caller may leave it NULL): the audit row must not make the whole import fail.
 */
static void test_no_actor(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19];
    make_id(id1, "140521", 20180305, 101);
    struct buf csv = BUF_INIT;
    buf_addf(&csv, "姓名,身份证号\n张三,%s\n", id1);
    char *p = tu_write_str(fx->dir, "anon.csv", csv.buf);
    struct import_options opt = {.kind = KIND_POPULATION, .path = p};
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    int rc = import_file(fx->s, &opt, &sum, &o);
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", o.msg.buf);
    import_summary_release(&sum);
    outcome_release(&o);
    buf_release(&csv);
    free(p);
    if (rc != 0)
        fail_msg("import without an actor failed: %s", msg);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record", NULL), 1);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM audit WHERE action = 'import'", NULL), 1);
}

/* ------------------------------------------------------------------ failures */

static char *write_big_xlsx(struct tu_fx *fx, const char *name, int nrows)
{
    char *p = tu_path(fx->dir, name);
    lxw_workbook *wb = workbook_new(p);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "身份证号", NULL);
    for (int r = 1; r <= nrows; r++) {
        char id[19], who[32];
        make_id(id, "140521", 20150101 + r % 28, 100 + r);
        snprintf(who, sizeof(who), "学生%d", r);
        worksheet_write_string(ws, (lxw_row_t)r, 0, who, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, id, NULL);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    return p;
}

static void test_fail_truncated_xlsx(void **state)
{
    struct tu_fx *fx = *state;
    char *full = write_big_xlsx(fx, "full.xlsx", 20);
    struct buf b = BUF_INIT;
    tu_read(full, &b);
    char *half = tu_write(fx->dir, "half.xlsx", b.buf, b.len / 2);
    import_fails(fx, KIND_POPULATION, half, NULL, 0, false, EXIT_INPUT, "half.xlsx");
    no_data(fx);
    buf_release(&b);
    free(half);
    free(full);
}

/* The worksheet XML breaks off after the header scan: rows were already written, then the
 * transaction must be rolled back. */
static void test_fail_midway_xlsx(void **state)
{
    struct tu_fx *fx = *state;
    char *p = write_big_xlsx(fx, "mid.xlsx", 300);
    int zerr = 0;
    zip_t *z = zip_open(p, 0, &zerr);
    assert_non_null(z);
    struct buf xml = BUF_INIT;
    tu_zip_read(z, "xl/worksheets/sheet1.xml", &xml);
    size_t keep = xml.len * 3 / 4;
    zip_source_t *src = zip_source_buffer(z, xml.buf, keep, 0);
    assert_non_null(src);
    assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", src, ZIP_FL_OVERWRITE) >= 0);
    assert_int_equal(zip_close(z), 0);
    buf_release(&xml);

    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "数据库未作任何改动");
    no_data(fx);
    free(p);
}

static void test_fail_csv_then_recover(void **state)
{
    struct tu_fx *fx = *state;
    struct buf csv = BUF_INIT;
    buf_adds(&csv, "姓名,身份证号\n");
    for (int r = 1; r <= 80; r++) {
        char id[19];
        make_id(id, "140521", 20150101 + r % 28, 100 + r);
        buf_addf(&csv, "学生%d,%s\n", r, id);
    }
    buf_adds(&csv, "坏行,\"140521\n"); /* a quote never closed */
    char *p = tu_write_str(fx->dir, "unclosed.csv", csv.buf);
    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "unclosed.csv");
    no_data(fx);

    /* the store is usable afterwards: no transaction was left open */
    char id1[19];
    make_id(id1, "140521", 20180305, 101);
    buf_reset(&csv);
    buf_addf(&csv, "姓名,身份证号\n张三,%s\n", id1);
    char *good = tu_write_str(fx->dir, "good.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, good, NULL, 0, &sum);
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record", NULL), 1);
    import_summary_release(&sum);
    buf_release(&csv);
    free(good);
    free(p);
}

static void test_fail_no_header_no_rows(void **state)
{
    struct tu_fx *fx = *state;
    char *p = tu_write_str(fx->dir, "nohead.csv", "名单\n甲,乙,丙\n1,2,3\n");
    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "表头");
    free(p);
    p = tu_write_str(fx->dir, "onlyhead.csv", "姓名,身份证号\n\n制表人：张三\n");
    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "没有可导入的数据行");
    free(p);
    /* a header without an ID column cannot be a population register */
    p = tu_write_str(fx->dir, "noid.csv", "姓名,性别\n张三,男\n");
    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "身份证号");
    free(p);
    p = tu_path(fx->dir, "absent.csv");
    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "不存在");
    free(p);
    no_data(fx);
}

/* ------------------------------------------------------------------ kinds and limits */

/*
 * Each kind's required columns define it: a 户籍 file offered as 学籍 (or 外出就读) names its
 * people but not their school or school status, and is refused with what is missing, before
 * a row is read. The dry run's preview says the same for the wizard.
 */
static void test_kind_required_columns(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19];
    make_id(id1, "140521", 20180305, 101);
    char *csv = xstrfmt("姓名,身份证号,性别,户籍地址,户籍状态\n张三,%s,男,郑庄镇,正常\n", id1);
    char *p = tu_write_str(fx->dir, "huji.csv", csv);

    import_fails(fx, KIND_ENROLLMENT, p, NULL, 0, false, EXIT_INPUT,
                 "第 1 行（表头）缺少学籍名单必需的列：学校名称（或学校标识码）、学籍状态。"
                 "这不像学籍名单（已识别的列：姓名、性别、身份证号、户籍地址）");
    assert_int_equal(import_fails(fx, KIND_OUTSIDE, p, NULL, 0, false, EXIT_INPUT,
                                  "缺少外出就读名单必需的列：学校名称（或学校标识码）"),
                     IMPORT_HINT_MAP);
    no_data(fx);

    /* the dry run keeps the preview, with the missing columns for the wizard */
    struct import_options opt = {
        .kind = KIND_ENROLLMENT, .path = p, .actor = "test", .dry_run = true, .preview = true};
    struct import_summary sum;
    struct outcome o = OUTCOME_INIT;
    assert_int_equal(import_file(fx->s, &opt, &sum, &o), -1);
    assert_non_null(sum.preview);
    char *missing = json_dumps(json_object_get(sum.preview, "missing"), JSON_COMPACT);
    assert_string_equal(missing, "[{\"label\":\"学校名称（或学校标识码）\",\"fields\":"
                                 "[\"school_name\",\"school_code\"]},{\"label\":\"学籍状态\","
                                 "\"fields\":[\"enroll_status\"]}]");
    free(missing);
    import_summary_release(&sum);
    outcome_release(&o);

    /* with a school and a status column it is a 学籍 list; the ID may be the 学籍号 */
    free(csv);
    csv = xstrfmt("姓名,全国学籍号,学校,学籍状态\n张三,G%s,龙港一小,在读\n", id1);
    free(p);
    p = tu_write_str(fx->dir, "xueji.csv", csv);
    import_ok(fx, KIND_ENROLLMENT, p, NULL, 0, &sum);
    assert_int_equal(sum.rows_imported, 1);
    import_summary_release(&sum);
    /* and a population register needs only the person */
    free(csv);
    csv = xstrfmt("姓名,身份证号\n张三,%s\n", id1);
    free(p);
    p = tu_write_str(fx->dir, "min.csv", csv);
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    import_summary_release(&sum);
    free(csv);
    free(p);
}

/*
 * Fields longer than any real one refuse their row, the reason kept with it and the raw
 * cells cut short in the reject table; control characters are dropped from what is stored and
 * the row is flagged. The other rows are imported.
 */
static void test_field_limits_and_controls(void **state)
{
    struct tu_fx *fx = *state;
    char id1[19], id2[19], id3[19], id4[19];
    make_id(id1, "140521", 20180305, 101);
    make_id(id2, "140521", 20180306, 102);
    make_id(id3, "140521", 20180307, 103);
    make_id(id4, "140521", 20180308, 104);
    struct buf csv = BUF_INIT, longname = BUF_INIT, addr = BUF_INIT;
    for (int i = 0; i < 20000; i++)
        buf_adds(&longname, "长");
    for (int i = 0; i < 201; i++)
        buf_adds(&addr, "村");
    buf_addf(&csv,
             "姓名,身份证号,户籍地址\n"
             "张三,%s,郑庄镇\n"              /* 2 */
             "%s,%s,郑庄镇\n"                /* 3 a 20,000-character name */
             "李\x01四\x1b[0m,%s,%s\n"       /* 4 controls in the name; a 201-character address */
             "王\xe2\x80\xae五,%s,端氏镇\n", /* 5 a direction override */
             id1, longname.buf, id2, id3, addr.buf, id4);
    char *p = tu_write_str(fx->dir, "limits.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    assert_int_equal(sum.rows_imported, 2);
    assert_int_equal(sum.rows_rejected, 2);
    assert_int_equal(sum.flag_counts[RF_CONTROL_CHARS], 1);
    text_is(fx, "SELECT reason FROM reject WHERE row_no = 3", NULL,
            "字段过长：姓名超过 50 个字的上限（这一格有 20000 个字）");
    text_is(fx, "SELECT reason FROM reject WHERE row_no = 4", NULL,
            "字段过长：户籍地址超过 200 个字的上限（这一格有 201 个字）");
    /* 200 characters of the name and an ellipsis: not 60 KB */
    assert_true(tu_int(fx->s, "SELECT length(raw) FROM reject WHERE row_no = 3", NULL) < 300);
    text_is(fx, "SELECT name FROM record WHERE row_no = 5", NULL, "王五");
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 5", NULL),
                     RF_BIT(RF_CONTROL_CHARS));
    assert_int_equal(tu_int(fx->s, "SELECT flags FROM record WHERE row_no = 2", NULL), 0);
    import_summary_release(&sum);

    /* a name of 50 characters is still a name (minority names run long) */
    buf_reset(&csv);
    buf_reset(&longname);
    for (int i = 0; i < 50; i++)
        buf_adds(&longname, i % 10 == 9 ? "·" : "阿");
    buf_addf(&csv, "姓名,身份证号\n%s,%s\n", longname.buf, id1);
    free(p);
    p = tu_write_str(fx->dir, "fifty.csv", csv.buf);
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    assert_int_equal(sum.rows_imported, 1);
    import_summary_release(&sum);
    buf_release(&csv);
    buf_release(&longname);
    buf_release(&addr);
    free(p);
}

/* ------------------------------------------------------------------ large imports */

/* The ID of row r of big_population_csv: 999 sequence numbers per birth date. */
static void big_id(char out[19], int r)
{
    int d = r / 999;
    make_id(out, "140521", (2010 + d / 336) * 10000 + (1 + d / 28 % 12) * 100 + 1 + d % 28,
            1 + r % 999);
}

/* A population CSV of n rows (r = 1..n) with distinct valid IDs and matching genders. */
static void big_population_csv(struct buf *csv, int n)
{
    buf_adds(csv, "序号,姓名,性别,身份证号,乡镇\n");
    for (int r = 1; r <= n; r++) {
        char id[19];
        big_id(id, r);
        buf_addf(csv, "%d,学生%d,%s,%s,郑庄镇\n", r, r, (1 + r % 999) % 2 ? "男" : "女", id);
    }
}

/* Past the threshold an import rebuilds the ID index instead of maintaining it: the rows and
 * the index come out exactly as from a small import. */
static void test_large_import_rebuilds_id_index(void **state)
{
    struct tu_fx *fx = *state;
    const int n = 120000;
    struct buf csv = BUF_INIT;
    big_population_csv(&csv, n);
    char *p = tu_write_str(fx->dir, "big.csv", csv.buf);
    struct import_summary sum;
    import_ok(fx, KIND_POPULATION, p, NULL, 0, &sum);
    assert_int_equal(sum.rows_imported, n);
    assert_int_equal(sum.rows_flagged, 0);
    import_summary_release(&sum);

    text_is(fx, "SELECT sql FROM sqlite_master WHERE name = 'record_id_number'", NULL,
            "CREATE INDEX record_id_number ON record (id_number)");
    text_is(fx, "PRAGMA integrity_check", NULL, "ok");
    text_is(fx, "PRAGMA journal_mode", NULL, "wal");
    assert_int_equal(tu_int(fx->s, "SELECT count(DISTINCT id_number) FROM record", NULL), n);
    /* row order is file order, and an ID finds its row through the index */
    assert_int_equal(tu_int(fx->s, "SELECT count(*) FROM record WHERE id <> row_no - 1", NULL), 0);
    char id[19];
    big_id(id, 77777);
    assert_int_equal(tu_int(fx->s, "SELECT row_no FROM record WHERE id_number = $1", id), 77778);
    text_is(fx, "SELECT name FROM record WHERE id_number = $1", id, "学生77777");
    text_is(fx, "SELECT township_code FROM record WHERE id_number = $1", id, "140521102");
    buf_release(&csv);
    free(p);
}

/* A large import that fails at its end leaves the previous state, index included. */
static void test_fail_large_csv_rolls_back(void **state)
{
    struct tu_fx *fx = *state;
    struct buf csv = BUF_INIT;
    big_population_csv(&csv, 110000);
    buf_adds(&csv, "110001,坏行,男,\"140521\n"); /* a quote never closed */
    char *p = tu_write_str(fx->dir, "bigbad.csv", csv.buf);
    import_fails(fx, KIND_POPULATION, p, NULL, 0, false, EXIT_INPUT, "数据库未作任何改动");
    no_data(fx);
    text_is(fx, "SELECT count(*) FROM sqlite_master WHERE name = 'record_id_number'", NULL, "1");
    text_is(fx, "PRAGMA integrity_check", NULL, "ok");
    text_is(fx, "PRAGMA journal_mode", NULL, "wal");
    buf_release(&csv);
    free(p);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, tu_fx_setup, tu_fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_csv_layout),
        T(test_xlsx_layout),
        T(test_flags),
        T(test_map),
        T(test_map_missing_header),
        T(test_duplicate_file),
        T(test_county_inferred_townships),
        T(test_county_setting_wins),
        T(test_student_number),
        T(test_no_actor),
        T(test_fail_truncated_xlsx),
        T(test_fail_midway_xlsx),
        T(test_fail_csv_then_recover),
        T(test_fail_no_header_no_rows),
        T(test_kind_required_columns),
        T(test_field_limits_and_controls),
        T(test_large_import_rebuilds_id_index),
        T(test_fail_large_csv_rolls_back),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
