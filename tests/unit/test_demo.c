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
    "户籍适龄儿童花名册.csv", "学籍数据.xlsx",     "外出就读学生名单.xlsx",  "ground_truth.csv",
    "truth_enrollment.csv",   "truth_outside.csv", "控辍保学责任人名册.csv",
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

    size_t rows = 0, lower_x = 0, spaced = 0, sex_digit = 0;
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
        assert_int_equal(nf, 12);
        rows++;
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
        if (split_csv(line, f, 16) != 12 || !(f[0][0] >= '1' && f[0][0] <= '9'))
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
        cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
