#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "util/common.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/date.h"
#include "core/idcard.h"
#include "demo/demo.h"
#include "util/utf8.h"

#include "testutil.h"

#define N_CHILDREN 2000
#define N_SCALE    10000 /* children of the runs that compare error scales */
#define AS_OF      20260915

static char *tmpdir;

/* ---- helpers ---- */

static char *path_in(const char *dir, const char *name)
{
    return xstrfmt("%s/%s/%s", tmpdir, dir, name);
}

static void read_zip_member(const char *path, const char *member, struct buf *out)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    tu_zip_read(z, member, out);
    zip_close(z);
}

static size_t count_lines(const struct buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->buf[i] == '\n';
    return n;
}

/*
 * needle in [p, end), or NULL. Not strstr or memmem: under AddressSanitizer their interceptors
 * check the whole rest of the haystack on every call, which makes scanning a sheet quadratic.
 */
static const char *find_in(const char *p, const char *end, const char *needle)
{
    size_t nl = strlen(needle);
    for (; p && p + nl <= end; p++)
        if (*p == *needle && !memcmp(p, needle, nl))
            return p;
    return NULL;
}

static size_t count_substr(const struct buf *b, const char *needle)
{
    size_t n = 0, nl = strlen(needle);
    const char *p = b->buf, *end = b->buf + b->len;
    while ((p = find_in(p, end, needle)) != NULL) {
        n++;
        p += nl;
    }
    return n;
}

/* errors < 0: leave the field unset (the default scale, 1) */
static int generate_n(const char *dir, long children, uint64_t seed, double errors,
                      struct demo_result *res)
{
    char *out = xstrfmt("%s/%s", tmpdir, dir);
    struct demo_options opt = {.out_dir = out,
                               .children = children,
                               .seed = seed,
                               .as_of_ymd = AS_OF,
                               .county = "140521",
                               .errors = errors < 0 ? 0 : errors,
                               .errors_set = errors >= 0};
    struct outcome o = OUTCOME_INIT;
    int ret = demo_generate(&opt, res, &o);
    if (ret)
        fprintf(stderr, "demo_generate: %s\n", o.msg.buf);
    outcome_release(&o);
    free(out);
    return ret;
}

static int generate(const char *dir, uint64_t seed, struct demo_result *res)
{
    return generate_n(dir, N_CHILDREN, seed, -1, res);
}

/* Split a line at commas into at most `max` fields (in place). */
static size_t split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == ',') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    }
    return n;
}

static void gb18030_to_utf8(const struct buf *in, struct buf *out, bool *ok)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    buf_reset(out);
    buf_grow(out, in->len * 2 + 16);
    char *ip = in->buf, *op = out->buf;
    size_t il = in->len, ol = out->alloc - 1;
    *ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0;
    buf_setlen(out, (size_t)(op - out->buf));
    iconv_close(cd);
}

/* ---- the ground truth, parsed ---- */

struct truth_child {
    char id[19];
    char birth[11];
    char status[24];
    char kase[48]; /* the error family's case of the child, "" for none */
    long row;
};

static struct truth_child *load_truth_n(const char *dir, size_t max, size_t *n)
{
    struct buf b = BUF_INIT;
    char *p = path_in(dir, "ground_truth.csv");
    tu_read(p, &b);
    free(p);
    struct truth_child *t = xcalloc(max + 1, sizeof(*t));
    size_t k = 0;
    char *save = NULL;
    char *line = strtok_r(b.buf, "\n", &save);
    assert_string_equal(line, "key,true_id,name,birth_date,township_code,village,true_status,"
                              "enrollment_row,case");
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[10];
        assert_int_equal(split_csv(line, f, 10), 9);
        assert_true(k < max);
        assert_int_equal(strtol(f[0], NULL, 10), (long)k + 1);
        snprintf(t[k].id, sizeof(t[k].id), "%s", f[1]);
        snprintf(t[k].birth, sizeof(t[k].birth), "%s", f[3]);
        snprintf(t[k].status, sizeof(t[k].status), "%s", f[6]);
        t[k].row = *f[7] ? strtol(f[7], NULL, 10) : 0;
        snprintf(t[k].kase, sizeof(t[k].kase), "%s", f[8]);
        k++;
    }
    buf_release(&b);
    *n = k;
    return t;
}

static struct truth_child *load_truth(const char *dir, size_t *n)
{
    return load_truth_n(dir, N_CHILDREN, n);
}

/* Text of column `col` (a letter) of each sheet row: cells[r] for sheet row r (1-based). */
static char **sheet_column(const struct buf *xml, char col, size_t *nrows)
{
    size_t cap = count_substr(xml, "<row ") + 2;
    char **cells = xcalloc(cap + 1, sizeof(*cells));
    const char *p = xml->buf, *doc_end = xml->buf + xml->len;
    char tag[32];
    *nrows = 0;
    while ((p = find_in(p, doc_end, "<row r=\"")) != NULL) {
        long r = strtol(p + 8, NULL, 10);
        const char *end = find_in(p, doc_end, "</row>");
        assert_non_null(end);
        assert_true(r > 0 && (size_t)r <= cap);
        snprintf(tag, sizeof(tag), "<c r=\"%c%ld\"", col, r);
        const char *c = find_in(p, end, tag);
        const char *cend = find_in(c, end, "</c>");
        if (c && cend) {
            const char *t = find_in(c, cend, "<t");
            const char *v = find_in(c, cend, "<v>");
            if (t) {
                t = find_in(t, cend, ">") + 1;
                const char *te = find_in(t, cend, "</t>");
                cells[r] = xstrndup(t, (size_t)(te - t));
            } else if (v) { /* a number: the date serial */
                v += 3;
                cells[r] = xstrndup(v, (size_t)(find_in(v, cend, "</v>") - v));
            }
        }
        if ((size_t)r > *nrows)
            *nrows = (size_t)r;
        p = end;
    }
    return cells;
}

static void free_column(char **cells, size_t n)
{
    for (size_t i = 0; i <= n; i++)
        free(cells[i]);
    free(cells);
}

static int id_distance(const char *a, const char *b)
{
    int d = 0;
    for (int i = 0; i < 18; i++)
        d += a[i] != b[i];
    return d;
}

/* ---- fixtures ---- */

/* a, b: the same seed; c: another; z: errors 0 (clean); s1, s3: errors 1 and 3, larger */
static struct demo_result res_a, res_b, res_c, res_z, res_s1, res_s3;

static int setup(void **state)
{
    tmpdir = tu_tmpdir("baoxue-demo");
    if (!tmpdir)
        return -1;
    if (generate("a", 7, &res_a) || generate("b", 7, &res_b) || generate("c", 8, &res_c) ||
        generate_n("z", N_CHILDREN, 7, 0, &res_z) || generate_n("s1", N_SCALE, 5, 1, &res_s1) ||
        generate_n("s3", N_SCALE, 5, 3, &res_s3))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    demo_result_release(&res_a);
    demo_result_release(&res_b);
    demo_result_release(&res_c);
    demo_result_release(&res_z);
    demo_result_release(&res_s1);
    demo_result_release(&res_s3);
    int rc = tu_rmtree(tmpdir);
    free(tmpdir);
    return rc;
}

/* ---- tests ---- */

static const char *const all_files[] = {
    "户籍适龄儿童花名册.csv",    "学籍数据.xlsx",
    "外出就读学生名单.xlsx",     "ground_truth.csv",
    "truth_enrollment.csv",      "truth_outside.csv",
    "控辍保学责任人名册.csv",    "防返贫监测对象家庭成员信息.xlsx",
    "低保特困保障对象名册.csv",  "孤儿和事实无人抚养儿童名册.xlsx",
    "残疾人基本信息.xlsx",       "农村留守儿童信息登记表.xlsx",
    "学生资助资金发放明细.xlsx", "truth_groups.csv",
    "truth_group_findings.csv",
};

static void test_same_seed_same_bytes(void **state)
{
    struct buf x = BUF_INIT, y = BUF_INIT;
    for (size_t i = 0; i < ARRAY_SIZE(all_files); i++) {
        char *pa = path_in("a", all_files[i]), *pb = path_in("b", all_files[i]);
        tu_read(pa, &x);
        tu_read(pb, &y);
        assert_true(x.len > 0);
        assert_int_equal(x.len, y.len);
        assert_memory_equal(x.buf, y.buf, x.len);
        free(pa);
        free(pb);
    }
    buf_release(&x);
    buf_release(&y);
}

static void test_other_seed_differs(void **state)
{
    struct buf x = BUF_INIT, y = BUF_INIT;
    const char *names[] = {"户籍适龄儿童花名册.csv", "ground_truth.csv", "控辍保学责任人名册.csv"};
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        char *pa = path_in("a", names[i]), *pc = path_in("c", names[i]);
        tu_read(pa, &x);
        tu_read(pc, &y);
        assert_true(x.len != y.len || memcmp(x.buf, y.buf, x.len) != 0);
        free(pa);
        free(pc);
    }
    buf_release(&x);
    buf_release(&y);
}

static void test_paths_and_counts(void **state)
{
    struct buf b = BUF_INIT;
    char *p;

    assert_int_equal(res_a.population_rows, N_CHILDREN);
    assert_non_null(strstr(res_a.registry_path, "控辍保学责任人名册.csv"));
    assert_true(res_a.registry_rows > 0);
    assert_non_null(strstr(res_a.population_path, "户籍适龄儿童花名册.csv"));
    assert_non_null(strstr(res_a.enrollment_path, "学籍数据.xlsx"));
    assert_non_null(strstr(res_a.outside_path, "外出就读学生名单.xlsx"));
    assert_non_null(strstr(res_a.truth_path, "ground_truth.csv"));
    /* most children of compulsory age are registered somewhere */
    assert_true(res_a.enrollment_rows > N_CHILDREN * 7 / 10);
    assert_true(res_a.enrollment_rows < N_CHILDREN);
    assert_true(res_a.outside_rows > 10 && res_a.outside_rows < N_CHILDREN / 10);

    tu_read(res_a.truth_path, &b);
    assert_int_equal(count_lines(&b), N_CHILDREN + 1);

    p = path_in("a", "truth_enrollment.csv");
    tu_read(p, &b);
    free(p);
    assert_int_equal(count_lines(&b), (size_t)res_a.enrollment_rows + 1);
    /* some rows are 借读 and 随迁 pupils, not in the register: an empty key, and their case */
    size_t borrowed = count_substr(&b, ",,unregistered:");
    assert_true(borrowed > 0);
    assert_true(borrowed < (size_t)res_a.enrollment_rows / 10);

    p = path_in("a", "truth_outside.csv");
    tu_read(p, &b);
    free(p);
    assert_int_equal(count_lines(&b), (size_t)res_a.outside_rows + 1);

    /* title + header + data rows in the 学籍 sheet */
    read_zip_member(res_a.enrollment_path, "xl/worksheets/sheet1.xml", &b);
    assert_int_equal(count_substr(&b, "<row "), (size_t)res_a.enrollment_rows + 2);
    assert_non_null(strstr(b.buf, "<mergeCell ref=\"A1:K1\"/>"));
    assert_non_null(strstr(b.buf, "沁水县中小学生学籍信息（导出日期：2026年9月15日）"));
    /* stamped with the day of the list, not the clock, so that reruns are byte-identical */
    read_zip_member(res_a.enrollment_path, "docProps/core.xml", &b);
    assert_non_null(strstr(b.buf, "2026-09-15T09:00:00Z"));
    /* header + data + footer in the 外出就读 sheet */
    read_zip_member(res_a.outside_path, "xl/worksheets/sheet1.xml", &b);
    assert_int_equal(count_substr(&b, "<row "), (size_t)res_a.outside_rows + 2);
    buf_release(&b);
}

static void test_population_file(void **state)
{
    struct buf raw = BUF_INIT, text = BUF_INIT;
    bool ok = false;

    tu_read(res_a.population_path, &raw);
    /* GB18030, as Excel on Chinese Windows saves a CSV: not UTF-8, but converts cleanly */
    assert_false(utf8_valid(raw.buf, raw.len, false));
    gb18030_to_utf8(&raw, &text, &ok);
    assert_true(ok);
    assert_true(utf8_valid(text.buf, text.len, false));

    char *save = NULL;
    char *line = strtok_r(text.buf, "\n", &save);
    assert_true(
        !strncmp(line, "沁水县公安局户籍适龄儿童花名册", strlen("沁水县公安局户籍适龄儿童花名册")));
    line = strtok_r(NULL, "\n", &save);
    assert_true(!strncmp(line, ",,,,", 4)); /* the blank row */
    line = strtok_r(NULL, "\n", &save);
    assert_true(!strncmp(line, "序号,姓名,性别,民族,公民身份号码,出生日期", 20));
    assert_non_null(strstr(line, ",监护人,监护人身份证号,联系电话,"));

    size_t rows = 0, lower_x = 0, spaced = 0, sex_digit = 0, guardian_ids = 0;
    bool footer = false;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[16];
        size_t nf = split_csv(line, f, 16);
        if (!strncmp(f[0], "合计：", strlen("合计："))) {
            char *want = xstrfmt("合计：%d人", N_CHILDREN);
            assert_string_equal(f[0], want);
            free(want);
            footer = true;
            continue;
        }
        if (!*f[0] || !strncmp(f[0], "制表人", strlen("制表人")))
            continue;
        assert_int_equal(nf, 13);
        rows++;
        /* the 监护人's ID where the township's police station exports it: a valid adult's */
        if (*f[10]) {
            assert_true(id_is_valid(f[10]));
            assert_true(strncmp(f[10] + 6, "2006", 4) < 0);
            guardian_ids++;
        }
        assert_int_equal(strtol(f[0], NULL, 10), (long)rows);
        struct resident_id id;
        lower_x += strchr(f[4], 'x') != NULL;
        spaced += strchr(f[4], ' ') != NULL;
        sex_digit += !strcmp(f[2], "1") || !strcmp(f[2], "2");
        int flags = id_normalize(f[4], strlen(f[4]), &id);
        assert_int_equal(flags & (ID_EMPTY | ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH), 0);
        assert_true(id_is_valid(id.id));
    }
    assert_int_equal(rows, N_CHILDREN);
    /* some townships' rows carry it, not all */
    assert_true(guardian_ids > N_CHILDREN / 5 && guardian_ids < N_CHILDREN * 9 / 10);
    assert_true(footer);
    assert_true(sex_digit > 0);
    (void)lower_x;
    (void)spaced;
    buf_release(&raw);
    buf_release(&text);
}

static void test_truth_proportions(void **state)
{
    size_t n;
    struct truth_child *t = load_truth("a", &n);
    long cnt[8] = {0};
    static const char *const names[] = {
        "enrolled",  "enrolled_elsewhere", "not_enrolled", "dropped_out",
        "suspended", "not_yet_school_age", "beyond_age",   "inactive"};
    assert_int_equal(n, N_CHILDREN);
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < ARRAY_SIZE(names) && strcmp(t[i].status, names[k]) != 0)
            k++;
        assert_true(k < ARRAY_SIZE(names));
        cnt[k]++;
        assert_true(id_is_valid(t[i].id));
        if (!strcmp(t[i].status, "enrolled") || !strcmp(t[i].status, "dropped_out") ||
            !strcmp(t[i].status, "suspended"))
            assert_true(t[i].row > 0 && t[i].row <= res_a.enrollment_rows);
        if (!strcmp(t[i].status, "not_enrolled") || !strcmp(t[i].status, "enrolled_elsewhere") ||
            !strcmp(t[i].status, "not_yet_school_age"))
            assert_int_equal(t[i].row, 0);
    }
    long band = cnt[0] + cnt[1] + cnt[2] + cnt[3] + cnt[4];
    /* in-band rates: enrolled ~96%, elsewhere 2.5%, not enrolled 0.7%, dropped 0.5%,
     * suspended 0.3% (loose: 2,000 children) */
    assert_true(cnt[0] * 100 > band * 90);
    assert_true(cnt[1] * 1000 > band * 10 && cnt[1] * 1000 < band * 45);
    assert_true(cnt[2] > 0 && cnt[2] * 1000 < band * 25);
    assert_true(cnt[3] * 1000 < band * 20);
    assert_true(cnt[4] * 1000 < band * 15);
    assert_true(cnt[5] * 100 > N_CHILDREN * 4 && cnt[5] * 100 < N_CHILDREN * 15);
    assert_true(cnt[6] * 100 > N_CHILDREN * 2 && cnt[6] * 100 < N_CHILDREN * 10);
    assert_true(cnt[7] * 100 > N_CHILDREN * 1 && cnt[7] * 100 < N_CHILDREN * 6);
    assert_int_equal(res_a.truth_out_of_school, cnt[2] + cnt[3]);
    free(t);
}

/* The 学籍 rows of a run against its truth. */
struct enrol_stats {
    size_t linked, exact, typo, missing, traps, birth_off;
    size_t number, broken, copies; /* number cells, unusable ID cells, a twin's ID */
};

/*
 * Typed IDs point near the real ones, and the twin trap is there (twin B's typed ID is one
 * digit from both twins, check digit failing, twin A out).
 */
static void enrol_stats(const char *dir, const struct demo_result *res, size_t max_children,
                        struct enrol_stats *st)
{
    size_t n, nrows, nbirth;
    struct truth_child *t = load_truth_n(dir, max_children, &n);
    struct buf xml = BUF_INIT, map = BUF_INIT;
    read_zip_member(res->enrollment_path, "xl/worksheets/sheet1.xml", &xml);
    char **ids = sheet_column(&xml, 'J', &nrows);
    char **births = sheet_column(&xml, 'H', &nbirth);
    assert_int_equal(nrows, (size_t)res->enrollment_rows + 2);
    assert_int_equal(nbirth, nrows);

    /* which register child each data row belongs to */
    long *key = xcalloc((size_t)res->enrollment_rows + 1, sizeof(*key));
    const char **kase = xcalloc((size_t)res->enrollment_rows + 1, sizeof(*kase));
    char *p = path_in(dir, "truth_enrollment.csv");
    tu_read(p, &map);
    free(p);
    char *save = NULL;
    char *line = strtok_r(map.buf, "\n", &save);
    assert_string_equal(line, "row,key,case");
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[4];
        assert_int_equal(split_csv(line, f, 4), 3);
        long row = strtol(f[0], NULL, 10);
        assert_true(row >= 1 && row <= res->enrollment_rows);
        key[row] = *f[1] ? strtol(f[1], NULL, 10) : 0;
        kase[row] = f[2];
    }

    memset(st, 0, sizeof(*st));
    for (long row = 1; row <= res->enrollment_rows; row++) {
        const char *cell = ids[row + 2];
        if (!key[row])
            continue;
        st->linked++;
        const struct truth_child *c = &t[key[row] - 1];
        /* the 出生日期 cell: an Excel serial (days since 1899-12-30) */
        assert_non_null(births[row + 2]);
        int ymd = days_to_ymd(strtol(births[row + 2], NULL, 10) - 25569);
        char iso[16];
        snprintf(iso, sizeof(iso), "%04d-%02d-%02d", ymd_year(ymd), ymd_month(ymd), ymd_day(ymd));
        st->birth_off += strcmp(iso, c->birth) != 0;
        if (!cell) {
            st->missing++;
            continue;
        }
        struct resident_id id;
        id_normalize(cell, strlen(cell), &id);
        if (strstr(kase[row], ":number")) {
            /* a number cell, shown as a sheet shows it: fifteen significant digits, region and
             * birth date among them */
            char shown[32];
            snprintf(shown, sizeof(shown), "%.15G", strtod(cell, NULL));
            id_normalize(shown, strlen(shown), &id);
            assert_true(id.flags & ID_PRECISION_LOST);
            assert_memory_equal(id.id, c->id, 12);
            st->number++;
            continue;
        }
        if (strstr(kase[row], ":broken_g")) {
            assert_true(id.flags & (ID_BAD_FORMAT | ID_EMPTY));
            st->broken++;
            continue;
        }
        assert_int_equal(strlen(id.id), 18);
        if (!strcmp(id.id, c->id)) {
            st->exact++;
            continue;
        }
        if (strstr(kase[row], "twin_copy")) {
            /* the other twin's ID: valid, born the same day */
            assert_true(id_is_valid(id.id));
            assert_memory_equal(id.id, c->id, 14);
            st->copies++;
            continue;
        }
        /* a mistyped ID: one substitution or one swap of neighbours, check digit failing */
        assert_false(id_is_valid(id.id));
        assert_true(id_distance(id.id, c->id) <= 2);
        st->typo++;
        if (strcmp(c->status, "enrolled") != 0 || c->row != row || id_distance(id.id, c->id) != 1)
            continue;
        for (size_t k = 0; k < n; k++) {
            if (!strcmp(t[k].status, "not_enrolled") && !strcmp(t[k].birth, c->birth) &&
                id_distance(id.id, t[k].id) == 1 && !memcmp(id.id, t[k].id, 17))
                st->traps++;
        }
    }

    free(key);
    free(kase);
    free_column(ids, nrows);
    free_column(births, nbirth);
    buf_release(&xml);
    buf_release(&map);
    free(t);
}

static void test_enrollment_ids_and_twin_trap(void **state)
{
    struct enrol_stats st;
    enrol_stats("a", &res_a, N_CHILDREN, &st);
    assert_true(st.exact > st.linked * 95 / 100);
    assert_true(st.typo > st.traps);
    assert_true(st.traps >= 3);
}

/* errors = 0: no mistyped or missing IDs and no wrong birth dates; only the twin traps stay. */
static void test_errors_zero_is_clean(void **state)
{
    struct enrol_stats st;
    enrol_stats("z", &res_z, N_CHILDREN, &st);
    assert_true(st.linked > N_CHILDREN / 2);
    assert_int_equal(st.missing, 0);
    assert_int_equal(st.birth_off, 0);
    assert_true(st.traps >= 3);
    assert_int_equal(st.typo, st.traps);
    assert_int_equal(st.exact + st.typo, st.linked);

    /* the register: no lower-case x, spaces, apostrophes or 1/2 for 性别 (the date forms stay) */
    struct buf raw = BUF_INIT, text = BUF_INIT;
    bool ok = false;
    tu_read(res_z.population_path, &raw);
    gb18030_to_utf8(&raw, &text, &ok);
    assert_true(ok);
    char *save = NULL;
    char *line = strtok_r(text.buf, "\n", &save);
    size_t rows = 0, slash = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[16];
        if (split_csv(line, f, 16) != 13 || !(f[0][0] >= '1' && f[0][0] <= '9'))
            continue;
        rows++;
        assert_null(strchr(f[4], 'x'));
        assert_null(strchr(f[4], ' '));
        assert_null(strchr(f[4], '\''));
        assert_true(!strcmp(f[2], "男") || !strcmp(f[2], "女"));
        slash += strchr(f[5], '/') != NULL;
    }
    assert_int_equal(rows, N_CHILDREN);
    assert_true(slash > 0);
    buf_release(&raw);
    buf_release(&text);
}

/* errors = 3: about three times the mistyped and missing IDs of errors = 1, same seed. */
static void test_errors_scale(void **state)
{
    struct enrol_stats s1, s3;
    enrol_stats("s1", &res_s1, N_SCALE, &s1);
    enrol_stats("s3", &res_s3, N_SCALE, &s3);
    size_t typo1 = s1.typo - s1.traps, typo3 = s3.typo - s3.traps;
    /* ~1.05% at errors 1 (typos alone and with a traditional character) */
    assert_true(typo1 * 1000 > s1.linked * 7 && typo1 * 1000 < s1.linked * 15);
    assert_true(typo3 * 10 > typo1 * 22 && typo3 * 10 < typo1 * 38);
    assert_true(s3.missing * 10 > s1.missing * 20 && s3.missing * 10 < s1.missing * 40);
    assert_true(s3.birth_off > s1.birth_off);
    /* more twin traps at higher scales, never fewer than 3 */
    assert_true(s1.traps >= 3);
    assert_true(s3.traps >= s1.traps);
}

/* ---- the priority-group lists ---- */

struct group_truth {
    char list[16], category[40], offer[16], kase[24];
    long row, key;
};

static struct group_truth *load_group_truth(const char *dir, size_t *n)
{
    struct buf b = BUF_INIT;
    char *p = path_in(dir, "truth_groups.csv");
    tu_read(p, &b);
    free(p);
    struct group_truth *t = xcalloc(count_lines(&b) + 1, sizeof(*t));
    size_t k = 0;
    char *save = NULL;
    char *line = strtok_r(b.buf, "\n", &save);
    assert_string_equal(line, "list,row,key,category,offer,case");
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[8];
        /* an empty key and case: strtok_r does not merge empty fields of split_csv */
        assert_int_equal(split_csv(line, f, 8), 6);
        snprintf(t[k].list, sizeof(t[k].list), "%s", f[0]);
        t[k].row = strtol(f[1], NULL, 10);
        t[k].key = *f[2] ? strtol(f[2], NULL, 10) : 0;
        snprintf(t[k].category, sizeof(t[k].category), "%s", f[3]);
        snprintf(t[k].offer, sizeof(t[k].offer), "%s", f[4]);
        snprintf(t[k].kase, sizeof(t[k].kase), "%s", f[5]);
        k++;
    }
    buf_release(&b);
    *n = k;
    return t;
}

/* Column `col` of a group list's sheet. */
static char **group_column(const char *file, char col, size_t *nrows)
{
    struct buf xml = BUF_INIT;
    char *p = path_in("a", file);
    read_zip_member(p, "xl/worksheets/sheet1.xml", &xml);
    free(p);
    char **cells = sheet_column(&xml, col, nrows);
    buf_release(&xml);
    return cells;
}

/* The 户籍 file's 监护人身份证号 of each register child (1-based key), "" when not given. */
static char (*population_guardians(void))[19]
{
    struct buf raw = BUF_INIT, text = BUF_INIT;
    bool ok = false;
    char(*g)[19] = xcalloc(N_CHILDREN + 1, sizeof(*g));
    tu_read(res_a.population_path, &raw);
    gb18030_to_utf8(&raw, &text, &ok);
    char *save = NULL;
    char *line = strtok_r(text.buf, "\n", &save);
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[16];
        if (split_csv(line, f, 16) != 13 || !(f[0][0] >= '1' && f[0][0] <= '9'))
            continue;
        long key = strtol(f[0], NULL, 10);
        assert_true(key >= 1 && key <= N_CHILDREN);
        snprintf(g[key], 19, "%s", f[10]);
    }
    buf_release(&raw);
    buf_release(&text);
    return g;
}

static void test_group_lists(void **state)
{
    size_t n, nt, nrows;
    struct truth_child *t = load_truth("a", &nt);
    struct group_truth *g = load_group_truth("a", &n);
    char(*guardian)[19] = population_guardians();
    long per_list[6] = {0}, offers[5] = {0}, poor_left = 0, not_in_register = 0;
    static const char *const lists[] = {"poverty",    "welfare",     "orphan",
                                        "disability", "left_behind", "aid"};
    static const char *const offer_keys[] = {"id", "id_typo", "household_id", "household_name",
                                             "name_birth"};
    bool *poor = xcalloc(N_CHILDREN + 1, 1);

    /* the poverty list: title row, header, then one row per member; the head's ID always right */
    char **hh = group_column("防返贫监测对象家庭成员信息.xlsx", 'A', &nrows);
    char **head_id = group_column("防返贫监测对象家庭成员信息.xlsx", 'E', &nrows);
    char **id = group_column("防返贫监测对象家庭成员信息.xlsx", 'G', &nrows);
    char **birth = group_column("防返贫监测对象家庭成员信息.xlsx", 'J', &nrows);
    assert_string_equal(id[2], "证件号码");
    for (size_t i = 0; i < n; i++) {
        size_t l = 0;
        while (l < ARRAY_SIZE(lists) && strcmp(g[i].list, lists[l]) != 0)
            l++;
        assert_true(l < ARRAY_SIZE(lists));
        per_list[l]++;
        assert_true(g[i].key >= 0 && g[i].key <= N_CHILDREN);
        if (g[i].key && l < 5) {
            size_t o = 0;
            while (o < ARRAY_SIZE(offer_keys) && strcmp(g[i].offer, offer_keys[o]) != 0)
                o++;
            assert_true(o < ARRAY_SIZE(offer_keys));
            offers[o]++;
        }
        if (l != 0)
            continue;
        size_t r = (size_t)g[i].row + 2;
        assert_true(r <= nrows);
        assert_true(id_is_valid(head_id[r]));
        if (!strcmp(g[i].kase, "not_in_register")) {
            not_in_register++;
            assert_int_equal(g[i].key, 0);
            continue;
        }
        if (!g[i].key) {
            assert_string_equal(g[i].offer, "adult");
            continue;
        }
        const struct truth_child *c = &t[g[i].key - 1];
        poor[g[i].key] = true;
        if (!strcmp(g[i].offer, "id"))
            assert_string_equal(id[r], c->id);
        else if (!strcmp(g[i].offer, "id_typo"))
            assert_true(id[r] && strcmp(id[r], c->id) != 0 && id_distance(id[r], c->id) <= 2);
        else
            assert_null(id[r]);
        /* year and month only, or the whole birth date */
        assert_true(!strncmp(birth[r], c->birth, strlen(birth[r])) &&
                    (strlen(birth[r]) == 7 || strlen(birth[r]) == 10));
        if (!strcmp(g[i].offer, "household_id")) {
            /* the 户籍 file's 监护人 is an adult of the same household, with the same ID */
            assert_true(*guardian[g[i].key]);
            bool found = false;
            for (size_t k = 3; k <= nrows; k++)
                found |=
                    hh[k] && !strcmp(hh[k], hh[r]) && id[k] && !strcmp(id[k], guardian[g[i].key]);
            assert_true(found);
        } else if (!strcmp(g[i].offer, "household_name")) {
            assert_false(*guardian[g[i].key]); /* the township's 户籍 rows carry no guardian ID */
        }
    }
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
        assert_true(per_list[l] > 0);
    for (size_t o = 0; o < 4; o++) /* name_birth only where a list has no guardian to match */
        assert_true(offers[o] > 0);
    assert_true(not_in_register >= 1);

    /* a 脱贫户 child who is also 留守 */
    for (size_t i = 0; i < n; i++)
        poor_left += !strcmp(g[i].list, "left_behind") && g[i].key && poor[g[i].key];
    assert_true(poor_left >= 1);

    /* 残疾人证号: the holder's ID, the category 1–7 and the grade 1–4 as the columns say */
    static const char *const kinds[] = {"视力", "听力", "言语", "肢体", "智力", "精神", "多重"};
    static const char *const grades[] = {"一级", "二级", "三级", "四级"};
    size_t nd;
    char **card = group_column("残疾人基本信息.xlsx", 'B', &nd);
    char **kind = group_column("残疾人基本信息.xlsx", 'C', &nd);
    char **grade = group_column("残疾人基本信息.xlsx", 'D', &nd);
    assert_string_equal(card[1], "残疾人证号");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(g[i].list, "disability") != 0)
            continue;
        size_t r = (size_t)g[i].row + 1;
        const char *cd = card[r];
        assert_int_equal(strlen(cd), 20);
        int k = cd[18] - '1', gr = cd[19] - '1';
        assert_true(k >= 0 && k < 7 && gr >= 0 && gr < 4);
        assert_string_equal(kind[r], kinds[k]);
        assert_string_equal(grade[r], grades[gr]);
        const char *true_id = t[g[i].key - 1].id;
        if (!strcmp(g[i].offer, "id"))
            assert_true(!strncasecmp(cd, true_id, 18));
        else
            assert_true(strncmp(cd, true_id, 18) != 0);
    }

    /* the findings: one child taught at home, in the disability list and enrolled; aid to
     * children not in school who are truly out; priority pupils without aid truly in school */
    struct buf b = BUF_INIT;
    char *p = path_in("a", "truth_group_findings.csv");
    tu_read(p, &b);
    free(p);
    size_t send_teach = 0, no_aid = 0, aid_out = 0;
    char *save = NULL;
    char *line = strtok_r(b.buf, "\n", &save);
    assert_string_equal(line, "finding,key,list,row");
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[6];
        assert_int_equal(split_csv(line, f, 6), 4);
        long key = *f[1] ? strtol(f[1], NULL, 10) : 0;
        const char *st = key ? t[key - 1].status : "";
        if (!strcmp(f[0], "send_teach")) {
            send_teach++;
            assert_string_equal(f[2], "disability");
            assert_string_equal(st, "enrolled");
        } else if (!strcmp(f[0], "no_aid")) {
            no_aid++;
            assert_string_equal(st, "enrolled");
        } else if (!strcmp(f[0], "not_in_school")) {
            aid_out++;
            assert_true(!strcmp(st, "not_enrolled") || !strcmp(st, "dropped_out"));
        } else if (!strcmp(f[0], "not_in_county")) {
            assert_string_equal(st, "enrolled_elsewhere");
        } else {
            assert_string_equal(f[0], "not_in_register");
            assert_int_equal(key, 0);
        }
    }
    assert_int_equal(send_teach, 1);
    assert_true(no_aid >= 1);
    assert_true(aid_out >= 1);

    /* 低保: GB18030 csv; a household listing only the head's ID, its members' IDs empty */
    struct buf text = BUF_INIT;
    bool ok = false;
    tu_read(res_a.group_paths[1], &b);
    assert_false(utf8_valid(b.buf, b.len, false));
    gb18030_to_utf8(&b, &text, &ok);
    assert_true(ok);
    save = NULL;
    line = strtok_r(text.buf, "\n", &save);
    assert_true(!strncmp(line,
                         "户主姓名,户主身份证号,保障类别,成员姓名,成员身份证号,与户主关系,"
                         "月保障金额,乡镇,村",
                         strlen("户主姓名,户主身份证号,保障类别,成员姓名,成员身份证号,与户主关系,"
                                "月保障金额,乡镇,村")));
    size_t row = 0, head_only_children = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *f[12];
        assert_int_equal(split_csv(line, f, 12), 9);
        row++;
        assert_true(id_is_valid(f[1]));
        for (size_t i = 0; i < n; i++)
            if (!strcmp(g[i].list, "welfare") && g[i].row == (long)row &&
                !strcmp(g[i].kase, "head_only") && g[i].key) {
                assert_string_equal(f[4], "");
                head_only_children++;
            }
    }
    assert_true(head_only_children >= 1);

    free_column(hh, nrows);
    free_column(head_id, nrows);
    free_column(id, nrows);
    free_column(birth, nrows);
    free_column(card, nd);
    free_column(kind, nd);
    free_column(grade, nd);
    buf_release(&b);
    buf_release(&text);
    free(poor);
    free(guardian);
    free(g);
    free(t);
}

static void test_bad_options(void **state)
{
    struct demo_result res;
    struct outcome o = OUTCOME_INIT;
    struct demo_options opt = {
        .out_dir = tmpdir, .children = 0, .seed = 1, .as_of_ymd = AS_OF, .county = "140521"};
    assert_int_equal(demo_generate(&opt, &res, &o), -1);
    assert_true(o.msg.len > 0);
    assert_int_equal(o.kind, OUT_INVALID);
    outcome_reset(&o);
    opt.children = 10;
    opt.county = "999999";
    assert_int_equal(demo_generate(&opt, &res, &o), -1);
    assert_non_null(strstr(o.msg.buf, "999999"));
    /* the error scale: 0..10 */
    static const double bad_errors[] = {-0.5, 10.001, 1e300, -1e-9};
    opt.county = "140521";
    for (size_t i = 0; i < ARRAY_SIZE(bad_errors); i++) {
        outcome_reset(&o);
        opt.errors = bad_errors[i];
        opt.errors_set = true;
        assert_int_equal(demo_generate(&opt, &res, &o), -1);
        assert_non_null(strstr(o.msg.buf, "错误率"));
    }
    outcome_reset(&o);
    opt.errors = NAN;
    assert_int_equal(demo_generate(&opt, &res, &o), -1);
    assert_non_null(strstr(o.msg.buf, "错误率"));
    outcome_release(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_other_seed_differs),
        cmocka_unit_test(test_paths_and_counts),
        cmocka_unit_test(test_population_file),
        cmocka_unit_test(test_truth_proportions),
        cmocka_unit_test(test_enrollment_ids_and_twin_trap),
        cmocka_unit_test(test_errors_zero_is_clean),
        cmocka_unit_test(test_errors_scale),
        cmocka_unit_test(test_group_lists),
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
