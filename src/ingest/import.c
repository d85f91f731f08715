/*
 * One import: find the sheet and its header row, map columns to fields, normalise and validate
 * every row, and write the batch, its records and its rejects in one transaction.
 */
#include "ingest/import.h"

#include <pthread.h>

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "store/audit.h"
#include "ingest/sheet.h"
#include "link/keys.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/common.h"
#include "util/csvout.h"
#include "util/outfile.h"
#include "util/progress.h"
#include "util/utf8.h"

#define HEADER_SCAN_ROWS 50
#define MAX_MAPS         64
/* A rejected row's cells are kept this long (characters) in the reject table. */
#define REJECT_CELL_CHARS 200
/* An import that reaches this many rows, and at least 1/8 of the records already stored,
 * stops maintaining the ID index row by row and rebuilds it before committing (see
 * docs/decisions.md). Random inserts into a B-tree of millions of IDs cost several times
 * what one sorted build over the whole table does; small imports keep the index as it is. */
#define ID_INDEX_REBUILD_ROWS 100000
/* Distinct township cells remembered with what they resolved to. */
#define TOWNSHIP_MEMO 32

/* A row kept while the header is searched for (sheet rows are only valid until the next). */
struct saved_row {
    struct row row;
};

static void save_row(struct saved_row *dst, const struct row *src)
{
    dst->row.number = src->number;
    dst->row.ncells = src->ncells;
    dst->row.cells = xcalloc(src->ncells ? src->ncells : 1, sizeof(struct cell));
    for (size_t i = 0; i < src->ncells; i++) {
        dst->row.cells[i] = src->cells[i];
        dst->row.cells[i].text = xstrndup(src->cells[i].text, src->cells[i].len);
    }
}

static void saved_rows_release(struct saved_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < rows[i].row.ncells; c++)
            free((char *)rows[i].row.cells[c].text);
        free(rows[i].row.cells);
    }
    free(rows);
}

static const char *cell_text(const struct row *r, int col, size_t *len)
{
    if (col < 0 || (size_t)col >= r->ncells) {
        *len = 0;
        return "";
    }
    *len = r->cells[col].len;
    return r->cells[col].text;
}

static bool row_is_blank(const struct row *r)
{
    for (size_t i = 0; i < r->ncells; i++) {
        const char *t = r->cells[i].text;
        for (size_t j = 0; j < r->cells[i].len; j++)
            if (t[j] != ' ' && t[j] != '\t' && t[j] != '\r' && t[j] != '\n')
                return false;
    }
    return true;
}

/* Score a row as a header: how many distinct fields of this kind it names. */
static int header_score(enum import_kind kind, const struct row *r,
                        const struct import_options *opt)
{
    bool seen[F__COUNT] = {0};
    int score = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        int f = header_field(kind, r->cells[i].text, r->cells[i].len);
        for (size_t m = 0; m < opt->nmaps && f < 0; m++) {
            struct buf a = BUF_INIT, b = BUF_INIT;
            header_key(&a, r->cells[i].text, r->cells[i].len);
            header_key(&b, opt->maps[m].header, strlen(opt->maps[m].header));
            if (a.len && !strcmp(a.buf, b.buf))
                f = (int)opt->maps[m].field;
            buf_release(&a);
            buf_release(&b);
        }
        if (f >= 0 && f != F_SEQ && !seen[f]) {
            seen[f] = true;
            score++;
        }
    }
    /* A header must name the person: a name or an ID column. */
    if (!seen[F_NAME] && !seen[F_ID_NUMBER])
        return 0;
    return score;
}

struct importer {
    struct store *s;
    const struct import_options *opt;
    struct import_summary *sum;
    int col[F__COUNT]; /* sheet column of each field, -1 when absent */
    size_t header_ncells;
    char **header_text; /* the header row's cells, for rejects and --rejects */
    struct stmt *ins_record, *ins_reject;
    struct store_writer *w;   /* executes the inserts on a second thread */
    long id_index_rebuild_at; /* rows_imported at which the ID index is dropped */
    bool id_index_dropped;
    FILE *rejects;
    /* duplicate IDs inside this file: open addressing over packed IDs */
    uint64_t *seen;
    size_t seen_cap, seen_n;
    const char *county; /* may be "" */
    struct buf t1, t2, t3, reasons, scratch, school, region, place;
    struct batch_keys keys; /* the linker's view of the batch, stored beside it */
    /* township cells seen (normalised) and what they resolved to: a sheet names a handful of
     * townships millions of times */
    struct {
        char *text;
        const struct township *tw;
    } memo[TOWNSHIP_MEMO];
    size_t nmemo;
};

static bool seen_add(struct importer *im, uint64_t key)
{
    if ((im->seen_n + 1) * 2 > im->seen_cap) {
        size_t cap = im->seen_cap ? im->seen_cap * 2 : 4096;
        uint64_t *n = xcalloc(cap, sizeof(uint64_t));
        for (size_t i = 0; i < im->seen_cap; i++) {
            if (!im->seen[i])
                continue;
            size_t h = (size_t)(im->seen[i] * 0x9E3779B97F4A7C15ull) & (cap - 1);
            while (n[h])
                h = (h + 1) & (cap - 1);
            n[h] = im->seen[i];
        }
        free(im->seen);
        im->seen = n;
        im->seen_cap = cap;
    }
    size_t h = (size_t)(key * 0x9E3779B97F4A7C15ull) & (im->seen_cap - 1);
    while (im->seen[h]) {
        if (im->seen[h] == key)
            return false;
        h = (h + 1) & (im->seen_cap - 1);
    }
    im->seen[h] = key;
    im->seen_n++;
    return true;
}

/* Words that open a note, signature or total line below (or above) the data. */
static bool is_note_row(const struct row *r, struct buf *t)
{
    static const char *const openers[] = {"制表",  "填表",     "填报",   "审核", "负责人",
                                          "合计",  "总计",     "小计",   "备注", "说明",
                                          "注：",  "注:",      "联系人", "打印", "日期：",
                                          "日期:", "单位",     "盖章",   "签字", "经办人",
                                          "统计",  "数据来源", "以上",   NULL};
    for (size_t i = 0; i < r->ncells; i++) {
        if (!r->cells[i].len)
            continue;
        buf_reset(t);
        utf8_norm_text(t, r->cells[i].text, r->cells[i].len);
        bool note = false;
        /* the first byte rules out almost every opener before a string compare: this runs
         * on every row, whose first cell is mostly a number */
        for (const char *const *w = openers; *w && !note; w++)
            note = t->buf[0] == (*w)[0] && !strncmp(t->buf, *w, strlen(*w));
        return note; /* judged on the first non-empty cell */
    }
    return false;
}

static void add_reason(struct importer *im, enum row_flag f)
{
    if (im->reasons.len)
        buf_adds(&im->reasons, "；");
    buf_adds(&im->reasons, row_flag_label(f));
}

/* A long cell cut after `max` characters, with "…": for the preview and the rejects table,
 * where a paragraph pasted into a name (or a hostile file's 100 KB one) helps nobody. */
static json_t *cut_cell(const char *t, size_t len, size_t max)
{
    size_t i = 0, chars = 0;
    while (i < len && chars < max) {
        i++;
        while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (i == len)
        return json_stringn(t, len);
    struct buf b = BUF_INIT;
    buf_add(&b, t, i);
    buf_adds(&b, "…");
    json_t *j = json_stringn(b.buf, b.len);
    buf_release(&b);
    return j;
}

/* A cell of the preview as the web UI may show it (and the job table keep): as a masked view
 * shows a raw cell (core/view.h), the birth-date column's whatever it holds; cut like a reject's.
 */
static json_t *masked_cell(const struct importer *im, size_t col, const char *t, size_t len)
{
    struct buf b = BUF_INIT;
    view_cell(t, len, im->col[F_BIRTH_DATE] >= 0 && (size_t)im->col[F_BIRTH_DATE] == col, &b);
    json_t *j = cut_cell(b.buf, b.len, PREVIEW_CELL_CHARS);
    buf_release(&b);
    return j;
}

static json_t *row_cells(const struct importer *im, const struct row *r)
{
    json_t *cells = json_array();
    for (size_t i = 0; i < im->header_ncells; i++) {
        size_t len;
        const char *t = cell_text(r, (int)i, &len);
        json_t *c = masked_cell(im, i, t, len);
        json_array_append_new(cells, c ? c : json_string(""));
    }
    return cells;
}

static void write_rejects_line(struct importer *im, const struct row *r, const char *what,
                               const char *reasons)
{
    json_t *problems = im->sum->preview ? json_object_get(im->sum->preview, "problems") : NULL;
    if (problems && json_array_size(problems) < PREVIEW_PROBLEMS)
        json_array_append_new(problems, json_pack("{s:I, s:s, s:s, s:o}", "row",
                                                  (json_int_t)r->number, "action", what, "reason",
                                                  reasons, "cells", row_cells(im, r)));
    if (!im->rejects)
        return;
    struct buf line = BUF_INIT;
    csv_field(&line, NULL, 0, true);
    buf_addf(&line, "%ld", r->number);
    csv_field(&line, what, strlen(what), false);
    csv_field(&line, reasons, strlen(reasons), false);
    for (size_t i = 0; i < im->header_ncells; i++) {
        size_t len;
        const char *t = cell_text(r, (int)i, &len);
        csv_field(&line, t, len, false);
    }
    buf_adds(&line, "\r\n");
    fwrite(line.buf, 1, line.len, im->rejects);
    buf_release(&line);
}

static int reject_row(struct importer *im, const struct row *r, const char *reason)
{
    json_t *raw = json_array();
    for (size_t i = 0; i < r->ncells; i++) {
        json_t *c = cut_cell(r->cells[i].text, r->cells[i].len, REJECT_CELL_CHARS);
        json_array_append_new(raw, c ? c : json_string(""));
    }
    char *raw_text = json_dumps(raw, JSON_COMPACT);
    json_decref(raw);
    writer_bind_int(im->w, 1, im->sum->batch_id);
    writer_bind_int(im->w, 2, r->number);
    writer_bind_str(im->w, 3, reason);
    writer_bind_str(im->w, 4, raw_text ? raw_text : "[]");
    free(raw_text);
    if (writer_step(im->w, im->ins_reject, r->number) < 0)
        return -1;
    im->sum->rows_rejected++;
    write_rejects_line(im, r, "拒绝", reason);
    return 0;
}

/* Bind normalised text of a field (NULL when empty). */
static void bind_norm_into(struct importer *im, int idx, const struct row *r, enum field f,
                           struct buf *into)
{
    size_t len;
    const char *t = cell_text(r, im->col[f], &len);
    buf_reset(into);
    utf8_norm_text(into, t, len);
    writer_bind_str(im->w, idx, into->buf);
}

static void bind_norm(struct importer *im, int idx, const struct row *r, enum field f)
{
    bind_norm_into(im, idx, r, f, &im->t3);
}

static const struct township *find_township_in(const char *county, const char *text)
{
    if (!county || !*county || !*text)
        return NULL;
    const struct township *t = division_find_township(county, text);
    if (t)
        return t;
    /* "沁水县郑庄镇某某村…": the township named inside an address */
    size_t n;
    const struct township *all = division_townships(county, &n);
    for (size_t i = 0; i < n; i++)
        if (strstr(text, all[i].name))
            return &all[i];
    return NULL;
}

/* What a township cell resolves to; the first TOWNSHIP_MEMO distinct texts are remembered. */
static const struct township *township_of_cell(struct importer *im, const char *text)
{
    if (!*text)
        return NULL;
    for (size_t i = 0; i < im->nmemo; i++)
        if (!strcmp(im->memo[i].text, text))
            return im->memo[i].tw;
    const struct township *tw = find_township_in(im->county, text);
    if (im->nmemo < TOWNSHIP_MEMO) {
        im->memo[im->nmemo].text = xstrdup(text);
        im->memo[im->nmemo].tw = tw;
        im->nmemo++;
    }
    return tw;
}

/*
 * The linker's view of the row, for batch_keys: the same values the cross-check would read
 * back from the record table, school text included (学籍: the school; 外出: school and region).
 */
static void add_keys(struct importer *im, const struct resident_id *rid, int birth, int gender,
                     int status, int grade)
{
    struct buf *school = &im->scratch;
    if (im->opt->kind == KIND_POPULATION)
        school = &im->place; /* a child's place: township code and name */
    else
        school_display(school, im->opt->kind, im->school.buf, im->region.buf);
    batch_keys_add(&im->keys, rid->id[0] ? id_pack(rid->id) : 0, rid->flags, im->t1.buf, birth,
                   gender, status, grade, school->buf);
}

/*
 * Fields longer than any real one (field_max_chars): their reasons into im->reasons, so that
 * the row is refused with them. Control characters are dropped by the normalisers as the
 * fields are stored; the row is flagged so that someone looks at where they came from.
 */
static bool fields_too_long(struct importer *im, const struct row *r, unsigned *flags)
{
    buf_reset(&im->reasons);
    for (int f = 0; f < F__COUNT; f++) {
        size_t len, n;
        const char *t = cell_text(r, im->col[f], &len);
        if (!len || !field_max_chars((enum field)f))
            continue;
        if (utf8_has_control(t, len))
            *flags |= RF_BIT(RF_CONTROL_CHARS);
        n = field_overlong((enum field)f, t, len, &im->scratch);
        if (n)
            buf_addf(&im->reasons, "%s%s超过 %u 个字的上限（这一格有 %zu 个字）",
                     im->reasons.len ? "；" : "", field_label((enum field)f),
                     field_max_chars((enum field)f), n);
    }
    return im->reasons.len > 0;
}

static int import_row(struct importer *im, const struct row *r)
{
    struct import_summary *sum = im->sum;
    unsigned flags = 0;
    size_t len;
    const char *t;

    if (fields_too_long(im, r, &flags)) {
        struct buf why = BUF_INIT;
        buf_addf(&why, "字段过长：%s", im->reasons.buf);
        int rc = reject_row(im, r, why.buf);
        buf_release(&why);
        return rc;
    }

    /* Identity: the ID, else (学籍) the national student number G + ID: the 学籍 system makes
     * it from the ID as entered, and it survives a sheet that emptied, truncated (a number
     * cell) or mangled the ID column. The explanation of a link says when it was used. */
    struct resident_id rid;
    t = cell_text(r, im->col[F_ID_NUMBER], &len);
    id_normalize(t, len, &rid);
    const char *id_raw = t;
    size_t id_raw_len = len;
    buf_reset(&im->t2);
    t = cell_text(r, im->col[F_STUDENT_NO], &len);
    utf8_norm_text(&im->t2, t, len);
    for (size_t i = 0; i < im->t2.len; i++)
        if (im->t2.buf[i] >= 'a' && im->t2.buf[i] <= 'z')
            im->t2.buf[i] = (char)(im->t2.buf[i] - 'a' + 'A');
    const int unusable = ID_EMPTY | ID_BAD_FORMAT | ID_BAD_CHECK | ID_BAD_BIRTH | ID_PRECISION_LOST;
    if ((rid.flags & unusable) && im->t2.len == 19 && im->t2.buf[0] == 'G') {
        struct resident_id from_no;
        id_normalize(im->t2.buf + 1, 18, &from_no);
        if (from_no.id[0] && !(from_no.flags & unusable))
            rid = from_no;
    }

    /* Names lose stray spaces ("张 三") and keep one middle dot in minority names. */
    buf_reset(&im->t1);
    t = cell_text(r, im->col[F_NAME], &len);
    utf8_norm_name(&im->t1, t, len);

    if ((rid.flags & (ID_EMPTY | ID_BAD_FORMAT | ID_PRECISION_LOST)) && im->t1.len == 0) {
        struct buf why = BUF_INIT;
        buf_adds(&why, (rid.flags & ID_EMPTY) ? "无法识别人员：身份证号和姓名均为空"
                                              : "无法识别人员：没有姓名，身份证号也不可用");
        int rc = reject_row(im, r, why.buf);
        buf_release(&why);
        return rc;
    }

    static const struct {
        int id_flag;
        enum row_flag row_flag;
    } id_flag_map[] = {
        {ID_EMPTY, RF_ID_MISSING},
        {ID_BAD_FORMAT, RF_ID_BAD_FORMAT},
        {ID_BAD_CHECK, RF_ID_BAD_CHECK},
        {ID_BAD_BIRTH, RF_ID_BAD_BIRTH},
        {ID_PRECISION_LOST, RF_ID_PRECISION_LOST},
        {ID_REGION_UNKNOWN, RF_ID_REGION_UNKNOWN},
    };
    /* an ID whose last digits were lost fails its check because of that, not of a typo */
    int id_flags = rid.flags & ID_PRECISION_LOST ? rid.flags & ~ID_BAD_CHECK : rid.flags;
    for (size_t i = 0; i < ARRAY_SIZE(id_flag_map); i++)
        if (id_flags & id_flag_map[i].id_flag)
            flags |= RF_BIT(id_flag_map[i].row_flag);
    if (im->t1.len == 0)
        flags |= RF_BIT(RF_NAME_MISSING);
    /* twins' IDs stored as numbers read the same: not a duplicate */
    if (rid.id[0] && !(rid.flags & ID_PRECISION_LOST) && !seen_add(im, id_pack(rid.id)))
        flags |= RF_BIT(RF_DUP_IN_FILE);

    /* Birth date: as written, checked against the ID; taken from the ID when missing. */
    int birth = 0;
    t = cell_text(r, im->col[F_BIRTH_DATE], &len);
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, t, len);
    if (im->t3.len) {
        if (date_parse(im->t3.buf, im->t3.len, &birth) < 0) {
            flags |= RF_BIT(RF_DATE_INVALID);
            birth = 0;
        }
    }
    bool id_birth_ok = rid.birth_ymd && !(rid.flags & (ID_BAD_BIRTH | ID_BAD_FORMAT));
    if (birth && id_birth_ok && birth != rid.birth_ymd)
        flags |= RF_BIT(RF_BIRTH_MISMATCH);
    if (!birth && id_birth_ok)
        birth = rid.birth_ymd;

    int gender = 0, key_status = ENR_ACTIVE;
    t = cell_text(r, im->col[F_GENDER], &len);
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, t, len);
    if (im->t3.len) {
        gender = gender_parse(im->t3.buf, im->t3.len);
        if (!gender)
            flags |= RF_BIT(RF_GENDER_INVALID);
    }
    if (gender && rid.sex && id_birth_ok && gender != rid.sex)
        flags |= RF_BIT(RF_SEX_MISMATCH);
    if (!gender && id_birth_ok)
        gender = rid.sex;

    writer_bind_int(im->w, 1, sum->batch_id);
    writer_bind_int(im->w, 2, r->number);
    writer_bind_str(im->w, 3, rid.id);
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, id_raw, id_raw_len);
    writer_bind_str(im->w, 4, im->t3.buf);
    writer_bind_int(im->w, 5, rid.flags);
    writer_bind_str(im->w, 6, im->t1.buf);
    /* the comparison key; variant folding comes with linkage */
    writer_bind_str(im->w, 7, im->t1.buf);
    if (gender)
        writer_bind_int(im->w, 8, gender);
    else
        writer_bind_null(im->w, 8);
    if (birth) {
        char d[11];
        date_format(birth, d);
        writer_bind_str(im->w, 9, d);
    } else {
        writer_bind_null(im->w, 9);
    }
    bind_norm(im, 10, r, F_ETHNICITY);
    bind_norm(im, 11, r, F_ADDRESS);

    /* Township: the official code and name when it is one of the county's. */
    t = cell_text(r, im->col[F_TOWNSHIP], &len);
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, t, len);
    const struct township *tw = township_of_cell(im, im->t3.buf);
    if (!tw && !im->t3.len) {
        size_t alen;
        const char *addr = cell_text(r, im->col[F_ADDRESS], &alen);
        buf_reset(&im->scratch);
        utf8_norm_text(&im->scratch, addr, alen);
        tw = find_township_in(im->county, im->scratch.buf);
    }
    if (!tw && im->t3.len && im->county[0] && im->opt->kind == KIND_POPULATION)
        flags |= RF_BIT(RF_TOWNSHIP_UNKNOWN);
    writer_bind_str(im->w, 12, tw ? tw->code : NULL);
    writer_bind_str(im->w, 13, tw ? tw->name : im->t3.buf);
    if (im->opt->kind == KIND_POPULATION)
        keys_place(&im->place, tw ? tw->code : "", tw ? tw->name : im->t3.buf);
    bind_norm(im, 14, r, F_VILLAGE);
    bind_norm(im, 15, r, F_GUARDIAN);
    bind_norm(im, 16, r, F_PHONE);

    if (im->opt->kind == KIND_POPULATION) {
        t = cell_text(r, im->col[F_REG_STATUS], &len);
        enum reg_status rs = reg_status_parse(t, len);
        if (rs == REG_UNKNOWN) {
            flags |= RF_BIT(RF_STATUS_UNKNOWN);
            rs = REG_NORMAL; /* counted in, so that nobody drops out of sight */
        }
        writer_bind_str(im->w, 17, reg_status_key(rs));
        key_status = (int)rs;
    } else {
        writer_bind_null(im->w, 17);
    }
    bind_norm(im, 18, r, F_SCHOOL_CODE);
    /* kept for the batch keys below */
    bind_norm_into(im, 19, r, F_SCHOOL_NAME, &im->school);
    bind_norm_into(im, 20, r, F_SCHOOL_REGION, &im->region);
    t = cell_text(r, im->col[F_GRADE], &len);
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, t, len);
    int grade = im->t3.len ? grade_parse(im->t3.buf, im->t3.len) : 0;
    if (im->t3.len && !grade)
        flags |= RF_BIT(RF_GRADE_INVALID);
    if (grade)
        writer_bind_int(im->w, 21, grade);
    else
        writer_bind_null(im->w, 21);
    writer_bind_str(im->w, 22, im->t3.buf);
    bind_norm(im, 23, r, F_CLASS);
    writer_bind_str(im->w, 24, im->t2.buf);
    if (im->opt->kind == KIND_ENROLLMENT) {
        t = cell_text(r, im->col[F_ENROLL_STATUS], &len);
        enum enroll_status es = enroll_status_parse(t, len);
        if (es == ENR_UNKNOWN) {
            /* A 学籍 export lists registered students; a blank or odd state reads as 在读
             * but is flagged so that a clerk looks at it. */
            flags |= RF_BIT(RF_STATUS_UNKNOWN);
            es = ENR_ACTIVE;
        }
        writer_bind_str(im->w, 25, enroll_status_key(es));
        key_status = (int)es;
    } else {
        writer_bind_str(im->w, 25, im->opt->kind == KIND_OUTSIDE ? "active" : NULL);
    }
    writer_bind_int(im->w, 26, flags);
    if (writer_step(im->w, im->ins_record, r->number) < 0)
        return -1;
    add_keys(im, &rid, birth, gender, key_status, grade);

    sum->rows_imported++;
    if (sum->rows_imported == im->id_index_rebuild_at) {
        if (writer_call(im->w, schema_drop_record_id_index, r->number) < 0)
            return -1;
        im->id_index_dropped = true;
    }
    /* A missing ID in 学籍/外出 is common (J/L numbers) but still worth a flag. */
    if (flags) {
        sum->rows_flagged++;
        buf_reset(&im->reasons);
        for (int f = 0; f < RF__COUNT; f++)
            if (flags & RF_BIT(f)) {
                sum->flag_counts[f]++;
                add_reason(im, (enum row_flag)f);
            }
        write_rejects_line(im, r, "标记", im->reasons.buf);
    }
    return 0;
}

/* The header row again (printed page by page): the name or ID cell holds its column's title. */
static bool is_repeated_header(const struct importer *im, const struct row *r)
{
    static const enum field keys[] = {F_NAME, F_ID_NUMBER};
    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        int c = im->col[keys[k]];
        size_t len;
        const char *t = cell_text(r, c, &len);
        if (c >= 0 && len && len == strlen(im->header_text[c]) &&
            !memcmp(t, im->header_text[c], len))
            return true;
    }
    return false;
}

static int handle_row(struct importer *im, const struct row *r)
{
    im->sum->rows_read++;
    if (row_is_blank(r)) {
        im->sum->rows_blank++;
        return 0;
    }
    /* notes and signatures, and a header repeated on every printed page */
    if (is_note_row(r, &im->scratch) || is_repeated_header(im, r)) {
        im->sum->rows_notes++;
        return 0;
    }
    return import_row(im, r);
}

/* The file as its sender knows it, for messages: an upload's own name, else the path. */
static const char *file_shown(const struct import_options *opt)
{
    return opt->name ? opt->name : opt->path;
}

static int file_sha256(const char *path, const char *shown, char hex[65], off_t *size,
                       struct buf *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        buf_addf(err, "无法读取文件“%s”：%s", shown, strerror(errno));
        return -1;
    }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char *chunk = xmalloc(1 << 20);
    size_t n;
    *size = 0;
    while ((n = fread(chunk, 1, 1 << 20, f)) > 0) {
        crypto_hash_sha256_update(&st, chunk, n);
        *size += (off_t)n;
    }
    int bad = ferror(f);
    fclose(f);
    free(chunk);
    if (bad) {
        buf_addf(err, "读取文件“%s”出错", shown);
        return -1;
    }
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, digest);
    sodium_bin2hex(hex, 65, digest, sizeof(digest));
    return 0;
}

/* The file's SHA-256 computed on a thread of its own while the rows are imported. */
struct hash_job {
    const char *path, *shown;
    char hex[65];
    off_t size;
    struct buf err;
    int rc;
    pthread_t th;
    bool started;
};

static void *hash_main(void *arg)
{
    struct hash_job *j = arg;
    j->rc = file_sha256(j->path, j->shown, j->hex, &j->size, &j->err);
    return NULL;
}

/* Wait for the hash: 0, or -1 with the reason in err. */
static int hash_join(struct hash_job *j, struct buf *err)
{
    if (!j->started)
        return 0;
    pthread_join(j->th, NULL);
    j->started = false;
    if (j->rc < 0)
        buf_adds(err, j->err.buf);
    return j->rc;
}

/* The kind's required columns the mapping lacks (bits of kind_required's), for the wizard. */
static json_t *missing_json(enum import_kind kind, unsigned missing)
{
    const struct kind_column *cols;
    size_t n = kind_required(kind, &cols);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        if (!(missing & (1u << i)))
            continue;
        struct buf label = BUF_INIT;
        json_t *keys = json_array();
        kind_column_label(&label, &cols[i]);
        json_array_append_new(keys, json_string(field_key(cols[i].field)));
        for (int f = 0; f < F__COUNT; f++)
            if (cols[i].alternatives & (1u << f))
                json_array_append_new(keys, json_string(field_key((enum field)f)));
        json_array_append_new(out, json_pack("{s:s, s:o}", "label", label.buf, "fields", keys));
        buf_release(&label);
    }
    return out;
}

/*
 * The refusal of a header without the columns that define its kind: which are missing, what
 * was recognised, what the kind needs. "…缺少学籍名单必需的列：学校名称（或学校标识码）、
 * 学籍状态。这不像学籍名单（已识别的列：姓名、身份证号、性别）…"
 */
static void missing_message(struct buf *err, const struct import_options *opt,
                            const struct importer *im, unsigned missing, const char *where,
                            long header_row)
{
    const struct kind_column *cols;
    size_t n = kind_required(opt->kind, &cols);
    const char *kind = kind_label(opt->kind);
    /* the first two columns name the person, as in every kind: with them present, the sheet is
     * a list of people of another kind */
    bool other_kind = !(missing & 3u) && n > 2;
    bool any = false;

    buf_addf(err, "文件“%s”%s第 %ld 行（表头）缺少%s名单必需的列", file_shown(opt), where,
             header_row, kind);
    for (size_t i = 0, k = 0; i < n; i++)
        if (missing & (1u << i)) {
            buf_adds(err, k++ ? "、" : "：");
            kind_column_label(err, &cols[i]);
        }
    if (other_kind)
        buf_addf(err, "。这不像%s名单", kind);
    buf_adds(err, "（已识别的列：");
    for (int f = 0; f < F__COUNT; f++)
        if (im->col[f] >= 0) {
            buf_addf(err, "%s%s", any ? "、" : "", field_label((enum field)f));
            any = true;
        }
    buf_addf(err, "%s）；%s名单必须有这些列：", any ? "" : "无", kind);
    for (size_t i = 0; i < n; i++) {
        buf_adds(err, i ? "、" : "");
        kind_column_label(err, &cols[i]);
    }
    buf_adds(err, "。请确认名单类型选对了，或为表头写法不同的列指定对应的字段");
}

/* Read up to HEADER_SCAN_ROWS rows of the selected sheet and find the header among them. */
static int scan_header(struct sheet_reader *rd, const struct import_options *opt,
                       struct saved_row **rows_out, size_t *nrows_out, long *header_idx,
                       struct buf *err)
{
    struct saved_row *rows = NULL;
    size_t n = 0, alloc = 0;
    int best = 0;
    long best_idx = -1;
    const struct row *r;
    int rc;
    while (n < HEADER_SCAN_ROWS && (rc = sheet_next_row(rd, &r, err)) == 1) {
        ALLOC_GROW(rows, n + 1, alloc);
        save_row(&rows[n], r);
        int score = header_score(opt->kind, r, opt);
        if (score > best) {
            best = score;
            best_idx = (long)n;
        }
        n++;
    }
    if (n < HEADER_SCAN_ROWS && rc < 0) {
        saved_rows_release(rows, n);
        return -1;
    }
    *rows_out = rows;
    *nrows_out = n;
    *header_idx = best >= 2 ? best_idx : -1;
    return 0;
}

static const char *sheet_label(struct sheet_reader *rd, struct buf *tmp)
{
    buf_reset(tmp);
    if (strcmp(sheet_format(rd), "csv"))
        buf_addf(tmp, "工作表“%s”", sheet_name(rd, sheet_selected(rd)));
    return tmp->buf;
}

static int choose_sheet(struct sheet_reader *rd, const struct import_options *opt,
                        struct saved_row **rows, size_t *nrows, long *hdr, struct buf *err)
{
    size_t count = sheet_count(rd);
    if (opt->sheet) {
        size_t idx = count;
        char *end;
        long num = strtol(opt->sheet, &end, 10);
        if (*opt->sheet && !*end && num >= 1 && (size_t)num <= count)
            idx = (size_t)num - 1;
        for (size_t i = 0; i < count && idx == count; i++)
            if (!strcmp(sheet_name(rd, i), opt->sheet))
                idx = i;
        if (idx == count) {
            buf_addf(err, "文件“%s”中没有工作表“%s”；现有工作表：", file_shown(opt), opt->sheet);
            for (size_t i = 0; i < count; i++)
                buf_addf(err, "%s%zu.%s", i ? "，" : "", i + 1, sheet_name(rd, i));
            return -1;
        }
        if (sheet_select(rd, idx, err) < 0 || scan_header(rd, opt, rows, nrows, hdr, err) < 0) {
            return -1;
        }
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        if (sheet_select(rd, i, err) < 0 || scan_header(rd, opt, rows, nrows, hdr, err) < 0) {
            return -1;
        }
        if (*hdr >= 0)
            return 0;
        saved_rows_release(*rows, *nrows);
        *rows = NULL;
        *nrows = 0;
    }
    /* Nothing found: report on the first sheet. */
    if (sheet_select(rd, 0, err) < 0 || scan_header(rd, opt, rows, nrows, hdr, err) < 0)
        return -1;
    return 0;
}

/* Pick the county the townships are resolved against; infer it from the IDs when unset. */
static void resolve_county(struct store *s, struct import_summary *sum, enum import_kind kind,
                           const struct saved_row *rows, size_t nrows, long hdr, int id_col)
{
    struct buf v = BUF_INIT;
    if (store_get_setting(s, "county", &v) == 1 && v.len == 6) {
        memcpy(sum->county, v.buf, 7);
        buf_release(&v);
        return;
    }
    buf_release(&v);
    if (kind != KIND_POPULATION || id_col < 0)
        return;
    /* the most common county code among the first valid IDs */
    char codes[HEADER_SCAN_ROWS][7];
    int counts[HEADER_SCAN_ROWS], distinct = 0;
    for (size_t i = (size_t)hdr + 1; i < nrows; i++) {
        size_t len;
        const char *t = cell_text(&rows[i].row, id_col, &len);
        struct resident_id rid;
        id_normalize(t, len, &rid);
        if (!rid.id[0] || (rid.flags & (ID_BAD_CHECK | ID_REGION_UNKNOWN)))
            continue;
        int k;
        for (k = 0; k < distinct && memcmp(codes[k], rid.id, 6); k++)
            ;
        if (k == distinct) {
            memcpy(codes[k], rid.id, 6);
            codes[k][6] = '\0';
            counts[k] = 0;
            distinct++;
        }
        counts[k]++;
    }
    int best = -1;
    for (int k = 0; k < distinct; k++)
        if (best < 0 || counts[k] > counts[best])
            best = k;
    size_t ntownships = 0;
    if (best >= 0)
        division_townships(codes[best], &ntownships);
    if (ntownships) {
        memcpy(sum->county, codes[best], 7);
        sum->county_inferred = true;
    }
}

/* Wait for the writer thread; after a failed write say which row. 0 or -1. */
static int finish_writes(struct importer *im, struct buf *err)
{
    long row;
    if (!im->w)
        return 0;
    int rc = store_writer_finish(im->w, &row);
    im->w = NULL;
    if (rc < 0)
        buf_addf(err, "写入第 %ld 行时出错：%s", row, store_errmsg(im->s));
    return rc;
}

static const char *const record_insert_sql =
    "INSERT INTO record (batch_id, row_no, id_number, id_raw, id_flags, name, name_key, gender,"
    " birth_date, ethnicity, address, township_code, township, village, guardian, phone,"
    " reg_status, school_code, school_name, school_region, grade, grade_text, class,"
    " student_no, enroll_status, flags)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22, $23, $24, $25, $26)";

/*
 * Store the batch's keys when its records got consecutive ids (one transaction, one writer:
 * they do), so that a cross-check can read them as one blob. Otherwise nothing is stored and
 * the cross-check reads the records.
 */
static int store_keys(struct store *s, struct importer *im, int64_t batch)
{
    char b[24];
    snprintf(b, sizeof(b), "%lld", (long long)batch);
    struct stmt *q =
        store_prepare(s, "SELECT min(id), max(id), count(*) FROM record WHERE batch_id = $1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, b);
    if (stmt_step(q) != 1) {
        stmt_finalize(q);
        return -1;
    }
    int64_t lo = stmt_int(q, 0), hi = stmt_int(q, 1), n = stmt_int(q, 2);
    stmt_finalize(q);
    if (n != (int64_t)im->keys.n || hi - lo + 1 != n)
        return 0;
    im->keys.first_id = lo;
    struct buf blob = BUF_INIT;
    batch_keys_encode(&im->keys, &blob);
    struct stmt *ins = store_prepare(s, "INSERT INTO batch_keys (batch_id, data) VALUES ($1, $2)");
    int rc = -1;
    if (ins) {
        stmt_bind_int(ins, 1, batch);
        stmt_bind_blob_ref(ins, 2, blob.buf, blob.len);
        rc = stmt_step(ins) < 0 ? -1 : 0;
        stmt_finalize(ins);
    }
    buf_release(&blob);
    return rc;
}

int import_file(struct store *s, const struct import_options *opt, struct import_summary *sum,
                struct outcome *o)
{
    struct buf err_text = BUF_INIT, *err = &err_text;
    enum outcome_kind kind = OUT_INVALID; /* what a failure is, as far as the import got */
    struct importer im = {0};
    struct sheet_reader *rd = NULL;
    struct saved_row *rows = NULL;
    size_t nrows = 0;
    long hdr = -1;
    int ret = -1;
    bool in_tx = false, in_bulk = false;
    struct outfile rejects_out = {0};
    struct buf where = BUF_INIT;
    char hash[65], now[32];
    off_t size;
    struct hash_job hj = {.path = opt->path, .shown = file_shown(opt)};
    buf_init(&hj.err, 0);

    memset(sum, 0, sizeof(*sum));
    buf_init(&sum->columns, 0);
    buf_init(&sum->ignored, 0);
    buf_init(&sum->warning, 0);
    for (int f = 0; f < F__COUNT; f++)
        im.col[f] = -1;
    buf_init(&im.t1, 0);
    buf_init(&im.t2, 0);
    buf_init(&im.t3, 0);
    buf_init(&im.reasons, 0);
    buf_init(&im.school, 0);
    buf_init(&im.region, 0);
    buf_init(&im.place, 0);
    batch_keys_init(&im.keys);
    buf_init(&im.scratch, 0);

    if (opt->nmaps > MAX_MAPS) {
        buf_addf(err, "列对应最多可指定 %d 个", MAX_MAPS);
        goto out;
    }
    struct stat stbuf;
    if (stat(opt->path, &stbuf) != 0 || !S_ISREG(stbuf.st_mode)) {
        buf_addf(err, "文件“%s”不存在或不是普通文件", file_shown(opt));
        goto out;
    }
    if (sodium_init() < 0) {
        buf_adds(err, "无法初始化加密库");
        kind = OUT_ERROR;
        goto out;
    }
    /*
     * The same file twice is almost always a mistake. Only a file the size of an earlier one
     * of its kind can be the same: that one is hashed before anything is read; any other is
     * hashed on a thread of its own while its rows are imported (a second off the critical
     * path of a 650 MB file).
     */
    int64_t same_size = 0;
    {
        char sz[24];
        snprintf(sz, sizeof(sz), "%lld", (long long)stbuf.st_size);
        const char *p[] = {kind_key(opt->kind), sz};
        if (store_int(s, "SELECT count(*) FROM batch WHERE kind = $1 AND file_size = $2", 2, p,
                      &same_size) < 0) {
            buf_adds(err, store_errmsg(s));
            kind = OUT_ERROR;
            goto out;
        }
    }
    bool hash_later = false;
    if (!same_size && pthread_create(&hj.th, NULL, hash_main, &hj) == 0) {
        hj.started = hash_later = true;
        size = stbuf.st_size;
        snprintf(hash, sizeof(hash), "%s", "pending");
    } else if (file_sha256(opt->path, file_shown(opt), hash, &size, err) < 0) {
        goto out;
    }
    if (same_size) {
        struct stmt *q = store_prepare(
            s, "SELECT id, imported_at FROM batch WHERE file_sha256 = $1 AND kind = $2 "
               "AND state <> 'rejected' ORDER BY id DESC LIMIT 1");
        if (!q) {
            buf_adds(err, store_errmsg(s));
            kind = OUT_ERROR;
            goto out;
        }
        stmt_bind_str(q, 1, hash);
        stmt_bind_str(q, 2, kind_key(opt->kind));
        int rc = stmt_step(q);
        if (rc == 1 && opt->dry_run)
            sum->same_as = stmt_int(q, 0);
        else if (rc == 1 && !opt->force) {
            buf_addf(err,
                     "文件“%s”已于 %s 作为第 %lld 批%s数据导入过，内容完全相同；如确需再次导入，"
                     "请选择再次导入",
                     file_shown(opt), stmt_text(q, 1), (long long)stmt_int(q, 0),
                     kind_label(opt->kind));
            sum->hint = IMPORT_HINT_FORCE;
            stmt_finalize(q);
            goto out;
        }
        stmt_finalize(q);
    }

    progress_report(opt->report, true, 0, "识别表头");
    if (sheet_open(&rd, opt->path, err) < 0) {
        struct buf m = BUF_INIT;
        buf_addf(&m, "文件“%s”：%s", file_shown(opt), err->buf);
        buf_reset(err);
        buf_add(err, m.buf, m.len);
        buf_release(&m);
        goto out;
    }
    if (choose_sheet(rd, opt, &rows, &nrows, &hdr, err) < 0) {
        struct buf m = BUF_INIT;
        buf_addf(&m, "文件“%s”：%s", file_shown(opt), err->buf);
        buf_reset(err);
        buf_add(err, m.buf, m.len);
        buf_release(&m);
        goto out;
    }
    if (hdr < 0) {
        buf_addf(err,
                 "文件“%s”%s：在前 %d "
                 "行中没有找到%s名单的表头（需要包含“姓名”或“身份证号”等列名的一行）。"
                 "如果表头写法特殊，请指定各列对应的字段",
                 file_shown(opt), sheet_label(rd, &where), HEADER_SCAN_ROWS, kind_label(opt->kind));
        sum->hint = IMPORT_HINT_MAP;
        goto out;
    }

    /* Map the header row's columns to fields: --map first, then recognised spellings. */
    const struct row *h = &rows[hdr].row;
    im.header_ncells = h->ncells;
    im.header_text = xcalloc(h->ncells ? h->ncells : 1, sizeof(char *));
    bool map_used[MAX_MAPS] = {0};
    for (size_t c = 0; c < h->ncells; c++) {
        im.header_text[c] = xstrndup(h->cells[c].text, h->cells[c].len);
        int f = -1;
        struct buf a = BUF_INIT, b = BUF_INIT;
        header_key(&a, h->cells[c].text, h->cells[c].len);
        for (size_t m = 0; m < opt->nmaps; m++) {
            header_key(&b, opt->maps[m].header, strlen(opt->maps[m].header));
            if (a.len && !strcmp(a.buf, b.buf)) {
                f = opt->maps[m].field == FIELD_IGNORE ? -2 : (int)opt->maps[m].field;
                map_used[m] = true;
                break;
            }
        }
        buf_release(&b);
        if (f == -1)
            f = header_field(opt->kind, h->cells[c].text, h->cells[c].len);
        if (f >= 0 && im.col[f] < 0) {
            im.col[f] = (int)c;
            buf_addf(&sum->columns, "%s%s→%s", sum->columns.len ? "，" : "", a.buf,
                     field_key((enum field)f));
        } else if (a.len) {
            buf_addf(&sum->ignored, "%s%s", sum->ignored.len ? "，" : "", a.buf);
        }
        buf_release(&a);
    }
    for (size_t m = 0; m < opt->nmaps; m++)
        if (!map_used[m]) {
            buf_addf(err, "文件“%s”%s第 %ld 行（表头）中没有指定了对应字段的列“%s”",
                     file_shown(opt), sheet_label(rd, &where), h->number, opt->maps[m].header);
            sum->hint = IMPORT_HINT_MAP;
            goto out;
        }
    unsigned missing = kind_missing(opt->kind, im.col);
    /* before the required columns are checked: a wizard shows the header it could not use */
    if (opt->preview) {
        json_t *header = json_array(), *fields = json_array(), *sample = json_array();
        json_t *choices = json_array();
        for (size_t c = 0; c < h->ncells; c++) {
            json_t *t = json_string(im.header_text[c]);
            json_array_append_new(header, t ? t : json_string(""));
            json_array_append_new(fields, json_null());
        }
        for (int f = 0; f < F__COUNT; f++) {
            if (im.col[f] >= 0)
                json_array_set_new(fields, (size_t)im.col[f],
                                   json_string(field_key((enum field)f)));
            if (field_in_kind((enum field)f, opt->kind))
                json_array_append_new(choices,
                                      json_pack("{s:s, s:s}", "key", field_key((enum field)f),
                                                "label", field_label((enum field)f)));
        }
        for (size_t i = (size_t)hdr + 1; i < nrows && json_array_size(sample) < PREVIEW_SAMPLE; i++)
            if (!row_is_blank(&rows[i].row))
                json_array_append_new(sample,
                                      json_pack("{s:I, s:o}", "row", (json_int_t)rows[i].row.number,
                                                "cells", row_cells(&im, &rows[i].row)));
        sum->preview =
            json_pack("{s:I, s:o, s:o, s:o, s:[], s:o, s:o}", "header_row", (json_int_t)h->number,
                      "header", header, "fields", fields, "sample", sample, "problems", "choices",
                      choices, "missing", missing_json(opt->kind, missing));
    }
    if (missing) {
        missing_message(err, opt, &im, missing, sheet_label(rd, &where), h->number);
        sum->hint = IMPORT_HINT_MAP;
        goto out;
    }

    snprintf(sum->format, sizeof(sum->format), "%s", sheet_format(rd));
    snprintf(sum->encoding, sizeof(sum->encoding), "%s", sheet_encoding(rd));
    sum->sheet =
        strcmp(sheet_format(rd), "csv") ? xstrdup(sheet_name(rd, sheet_selected(rd))) : NULL;
    sum->header_row = h->number;
    resolve_county(s, sum, opt->kind, rows, nrows, hdr, im.col[F_ID_NUMBER]);
    im.county = sum->county;

    if (opt->rejects_path) {
        /* An unnamed file until the import has committed: a failed or killed import leaves
         * none, and no list describes an import that did not happen. */
        if (outfile_open(&rejects_out, opt->rejects_path, err) < 0) {
            struct buf m = BUF_INIT;
            buf_addf(&m, "被拒绝和有标记的行的清单：%s", err->buf);
            buf_reset(err);
            buf_add(err, m.buf, m.len);
            buf_release(&m);
            goto out;
        }
        im.rejects = rejects_out.fp;
        struct buf line = BUF_INIT;
        buf_adds(&line, "\xEF\xBB\xBF");
        csv_field(&line, "行号", strlen("行号"), true);
        csv_field(&line, "处理", strlen("处理"), false);
        csv_field(&line, "原因", strlen("原因"), false);
        for (size_t c = 0; c < im.header_ncells; c++)
            csv_field(&line, im.header_text[c], strlen(im.header_text[c]), false);
        buf_adds(&line, "\r\n");
        fwrite(line.buf, 1, line.len, im.rejects);
        buf_release(&line);
    }

    kind = OUT_ERROR;
    in_bulk = true;
    if (store_begin_bulk(s) < 0) {
        buf_addf(err, "%s", store_errmsg(s));
        goto out;
    }
    in_tx = true;
    date_now_text(now, sizeof(now));
    {
        json_t *cols = json_object();
        for (int f = 0; f < F__COUNT; f++)
            if (im.col[f] >= 0)
                json_object_set_new(cols, field_key((enum field)f),
                                    json_string(im.header_text[im.col[f]]));
        char *cols_text = json_dumps(cols, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(cols);
        /* a pending upload is nobody's snapshot (live_seq NULL) until the county accepts it */
        struct stmt *b = store_prepare(
            s, "INSERT INTO batch (kind, file_name, file_sha256, file_size, format, encoding,"
               " sheet, header_row, columns, imported_at, imported_by, forced, rows_read,"
               " rows_imported, rows_flagged, rows_rejected, rows_skipped, flag_counts, state,"
               " live_seq, department)"
               " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, 0, 0, 0, 0, '{}',"
               " CASE WHEN $13 = 1 THEN 'pending' ELSE 'live' END, CASE WHEN $13 = 1 THEN NULL"
               " ELSE (SELECT coalesce(max(live_seq), 0) + 1 FROM batch) END, $14) RETURNING id");
        if (!b) {
            free(cols_text);
            buf_adds(err, store_errmsg(s));
            goto out;
        }
        const char *base = strrchr(opt->path, '/');
        stmt_bind_str(b, 1, kind_key(opt->kind));
        stmt_bind_str(b, 2, opt->name ? opt->name : base ? base + 1 : opt->path);
        stmt_bind_str(b, 3, hash);
        stmt_bind_int(b, 4, (int64_t)size);
        stmt_bind_str(b, 5, sum->format);
        stmt_bind_str(b, 6, sum->encoding);
        stmt_bind_str(b, 7, sum->sheet);
        stmt_bind_int(b, 8, sum->header_row);
        stmt_bind_str(b, 9, cols_text);
        stmt_bind_str(b, 10, now);
        stmt_bind_str(b, 11, opt->actor);
        stmt_bind_int(b, 12, opt->force);
        stmt_bind_int(b, 13, opt->pending);
        stmt_bind_str(b, 14, opt->department);
        free(cols_text);
        if (stmt_step(b) != 1) {
            buf_adds(err, store_errmsg(s));
            stmt_finalize(b);
            goto out;
        }
        sum->batch_id = stmt_int(b, 0);
        stmt_finalize(b);
    }
    im.s = s;
    im.opt = opt;
    im.sum = sum;
    im.ins_record = store_prepare(s, record_insert_sql);
    im.ins_reject = store_prepare(
        s, "INSERT INTO reject (batch_id, row_no, reason, raw) VALUES ($1, $2, $3, $4)");
    if (!im.ins_record || !im.ins_reject) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    {
        /* the largest record id stands for the records stored: only a cost estimate */
        int64_t stored;
        if (store_int(s, "SELECT coalesce(max(id), 0) FROM record", 0, NULL, &stored) < 0) {
            buf_adds(err, store_errmsg(s));
            goto out;
        }
        im.id_index_rebuild_at =
            stored / 8 > ID_INDEX_REBUILD_ROWS ? (long)(stored / 8) : ID_INDEX_REBUILD_ROWS;
    }
    im.w = store_writer_start(s);

    /* Rows above the header are titles; they and the header are read and skipped. */
    sum->rows_title = hdr + 1;
    sum->rows_read = hdr + 1;
    for (size_t i = (size_t)hdr + 1; i < nrows; i++)
        if (handle_row(&im, &rows[i].row) < 0) {
            finish_writes(&im, err);
            goto out;
        }
    {
        const struct row *r;
        int rc;
        while ((rc = sheet_next_row(rd, &r, err)) == 1) {
            if (handle_row(&im, r) < 0) {
                finish_writes(&im, err);
                goto out;
            }
            if ((sum->rows_read & 1023) == 0 && progress_due(opt->report, false))
                progress_report(opt->report, false, 0.9 * sheet_progress(rd), "读取第 %ld 行",
                                sum->rows_read);
        }
        if (rc < 0) {
            struct buf m = BUF_INIT;
            buf_addf(&m, "文件“%s”：%s；本次导入已取消，数据库未作任何改动", file_shown(opt),
                     err->buf);
            buf_reset(err);
            buf_add(err, m.buf, m.len);
            buf_release(&m);
            kind = OUT_INVALID;
            goto out;
        }
    }
    progress_report(opt->report, true, 0.9, "写入数据库（共 %ld 行）", sum->rows_read);
    if (finish_writes(&im, err) < 0)
        goto out;
    if (sum->rows_imported == 0) {
        buf_addf(err, "文件“%s”%s表头（第 %ld 行）之下没有可导入的数据行", file_shown(opt),
                 sheet_label(rd, &where), sum->header_row);
        kind = OUT_INVALID;
        goto out;
    }
    /* counted, not yet committed: a list much smaller than the snapshot it would replace is
     * refused here, leaving nothing, unless the person saw both numbers and confirmed. A
     * pending upload replaces nothing yet: its acceptance is checked (domain/batch.c). */
    if (import_current(s, opt->kind, sum->batch_id, &sum->previous_batch, &sum->previous_rows) <
        0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    sum->shrinks = import_shrinks(sum->rows_imported, sum->previous_rows, opt->shrink_percent);
    if (sum->shrinks && !opt->pending && !opt->dry_run && !opt->shrink_confirmed) {
        import_shrink_message(err, opt->kind, sum->rows_imported, sum->previous_batch,
                              sum->previous_rows, opt->shrink_percent);
        sum->hint = IMPORT_HINT_SHRINK;
        kind = OUT_INVALID;
        goto out;
    }

    progress_report(opt->report, true, 0.95, "建立索引并提交");
    if (im.id_index_dropped && schema_create_record_id_index(s) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    if (store_keys(s, &im, sum->batch_id) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    if (hash_join(&hj, err) < 0) {
        kind = OUT_INVALID;
        goto out;
    }
    if (hash_later) {
        char id[24];
        snprintf(id, sizeof(id), "%lld", (long long)sum->batch_id);
        const char *p[] = {hj.hex, id};
        if (store_run(s, "UPDATE batch SET file_sha256 = $1 WHERE id = $2", 2, p) < 0) {
            buf_adds(err, store_errmsg(s));
            goto out;
        }
    }
    {
        json_t *fc = json_object();
        for (int f = 0; f < RF__COUNT; f++)
            if (sum->flag_counts[f])
                json_object_set_new(fc, row_flag_key((enum row_flag)f),
                                    json_integer(sum->flag_counts[f]));
        char *fc_text = json_dumps(fc, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(fc);
        char n1[24], n2[24], n3[24], n4[24], n5[24], id[24];
        snprintf(n1, sizeof(n1), "%ld", sum->rows_read);
        snprintf(n2, sizeof(n2), "%ld", sum->rows_imported);
        snprintf(n3, sizeof(n3), "%ld", sum->rows_flagged);
        snprintf(n4, sizeof(n4), "%ld", sum->rows_rejected);
        snprintf(n5, sizeof(n5), "%ld", sum->rows_title + sum->rows_blank + sum->rows_notes);
        snprintf(id, sizeof(id), "%lld", (long long)sum->batch_id);
        const char *p[] = {n1, n2, n3, n4, n5, fc_text, id};
        int rc = store_run(s,
                           "UPDATE batch SET rows_read = $1, rows_imported = $2, rows_flagged = $3,"
                           " rows_rejected = $4, rows_skipped = $5, flag_counts = $6 WHERE id = $7",
                           7, p);
        free(fc_text);
        if (rc < 0) {
            buf_adds(err, store_errmsg(s));
            goto out;
        }
        struct buf detail = BUF_INIT;
        buf_addf(&detail, "batch=%s kind=%s rows=%ld", id, kind_key(opt->kind), sum->rows_imported);
        rc = opt->dry_run ? 0 : audit_record(s, opt->actor, NULL, "import", NULL, detail.buf);
        buf_release(&detail);
        if (rc < 0) {
            buf_adds(err, store_errmsg(s));
            goto out;
        }
    }
    if (sum->county_inferred && opt->pending) {
        /* the county's own setting is not a department's to make */
        buf_adds(err, "本县尚未设置，部门上传的名单无法确定乡镇：请县教育局先设置本县，或先导入本县"
                      "自己的名单");
        kind = OUT_INVALID;
        goto out;
    }
    if (sum->county_inferred && store_set_setting(s, "county", sum->county) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    if (im.rejects && (fflush(im.rejects) != 0 || ferror(im.rejects))) { /* a full disk */
        buf_addf(err, "写入被拒绝和有标记的行的清单“%s”失败：%s", opt->rejects_path,
                 strerror(errno ? errno : EIO));
        goto out;
    }
    stmt_finalize(im.ins_record);
    stmt_finalize(im.ins_reject);
    im.ins_record = im.ins_reject = NULL;
    /* a dry run has checked every row exactly as the import would: now it leaves no trace */
    if (opt->dry_run ? store_rollback(s) < 0 : store_commit(s) < 0) {
        buf_adds(err, store_errmsg(s));
        goto out;
    }
    in_tx = false;
    store_end_bulk(s);
    in_bulk = false;
    ret = 0;
    if (im.rejects) {
        struct buf w = BUF_INIT;
        im.rejects = NULL;
        if (outfile_commit(&rejects_out, &w) < 0) {
            buf_addf(&sum->warning,
                     "导入已完成（第 %lld 批），但被拒绝和有标记的行的清单没有写成：%s",
                     (long long)sum->batch_id, w.buf);
        }
        buf_release(&w);
    }
out:
    if (im.w) {
        long row;
        store_writer_finish(im.w, &row); /* the error that brought us here is reported */
    }
    if (hj.started)
        pthread_join(hj.th, NULL);
    buf_release(&hj.err);
    stmt_finalize(im.ins_record);
    stmt_finalize(im.ins_reject);
    if (in_tx)
        store_rollback(s);
    if (in_bulk)
        store_end_bulk(s);
    outfile_abort(&rejects_out);
    if (im.header_text) {
        for (size_t c = 0; c < im.header_ncells; c++)
            free(im.header_text[c]);
        free(im.header_text);
    }
    free(im.seen);
    for (size_t i = 0; i < im.nmemo; i++)
        free(im.memo[i].text);
    buf_release(&im.scratch);
    buf_release(&im.t1);
    buf_release(&im.t2);
    buf_release(&im.t3);
    buf_release(&im.reasons);
    buf_release(&im.school);
    buf_release(&im.place);
    buf_release(&im.region);
    batch_keys_release(&im.keys);
    buf_release(&where);
    saved_rows_release(rows, nrows);
    sheet_close(rd);
    if (ret < 0) {
        sum->batch_id = 0;
        failed(o, kind, "%s", err->len ? err->buf : "导入失败");
    }
    buf_release(err);
    return ret;
}

void import_summary_release(struct import_summary *sum)
{
    free(sum->sheet);
    sum->sheet = NULL;
    buf_release(&sum->columns);
    buf_release(&sum->ignored);
    buf_release(&sum->warning);
    json_decref(sum->preview);
    sum->preview = NULL;
}

void import_summary_print(const struct import_options *opt, const struct import_summary *sum,
                          FILE *out)
{
    fprintf(out, "导入完成：%s数据第 %lld 批\n", kind_label(opt->kind), (long long)sum->batch_id);
    fprintf(out, "  文件：%s（%s%s%s%s%s）\n", opt->path, sum->format, sum->encoding[0] ? "，" : "",
            sum->encoding, sum->sheet ? "，工作表 " : "", sum->sheet ? sum->sheet : "");
    fprintf(out, "  表头：第 %ld 行；识别的列：%s\n", sum->header_row, sum->columns.buf);
    if (sum->ignored.len)
        fprintf(out, "  未使用的列：%s\n", sum->ignored.buf);
    fprintf(out,
            "  读取 %ld 行 = 导入 %ld 行（其中有标记 %ld 行）+ 拒绝 %ld 行 + 跳过 %ld 行"
            "（表头及其上方标题 %ld，空行 %ld，说明/签名/合计 %ld）\n",
            sum->rows_read, sum->rows_imported, sum->rows_flagged, sum->rows_rejected,
            sum->rows_title + sum->rows_blank + sum->rows_notes, sum->rows_title, sum->rows_blank,
            sum->rows_notes);
    for (int f = 0; f < RF__COUNT; f++)
        if (sum->flag_counts[f])
            fprintf(out, "    标记：%s %ld 行\n", row_flag_label((enum row_flag)f),
                    sum->flag_counts[f]);
    if (sum->county_inferred)
        fprintf(out,
                "  本县设为 %s %s（根据身份证号推断；如不正确请运行 baoxue init --county 代码）\n",
                sum->county,
                division_county_name(sum->county) ? division_county_name(sum->county) : "");
    if (opt->rejects_path)
        fprintf(out, "  被拒绝和有标记的行已写入：%s\n", opt->rejects_path);
}

int import_current(struct store *s, enum import_kind kind, int64_t except, int64_t *batch,
                   long *rows)
{
    *batch = 0;
    *rows = 0;
    struct stmt *q = store_prepare(
        s, "SELECT id, rows_imported FROM batch WHERE kind = $1 AND state = 'live' AND id <> $2"
           " ORDER BY live_seq DESC, id DESC LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, kind_key(kind));
    stmt_bind_int(q, 2, except);
    int rc = stmt_step(q);
    if (rc == 1) {
        *batch = stmt_int(q, 0);
        *rows = (long)stmt_int(q, 1);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

bool import_shrinks(long rows, long previous, int percent)
{
    return percent > 0 && previous > 0 && (double)rows * 100.0 < (double)percent * previous;
}

/* 20000 → "20,000" */
static void add_count(struct buf *out, long n)
{
    char d[24];
    int len = snprintf(d, sizeof(d), "%ld", n);
    for (int i = 0; i < len; i++) {
        if (i && d[i - 1] != '-' && (len - i) % 3 == 0)
            buf_addch(out, ',');
        buf_addch(out, d[i]);
    }
}

void import_shrink_message(struct buf *out, enum import_kind kind, long rows,
                           int64_t previous_batch, long previous, int percent)
{
    buf_addf(out, "本次%s名单 ", kind_label(kind));
    add_count(out, rows);
    buf_addf(out, " 人，只有当前名单（第 %lld 批，", (long long)previous_batch);
    add_count(out, previous);
    double share = previous ? 100.0 * (double)rows / (double)previous : 0;
    if (share < 0.1)
        buf_adds(out, " 人）的不到 0.1%");
    else
        buf_addf(out, " 人）的 %.*f%%", share < 10 ? 1 : 0, share);
    buf_addf(out,
             "，低于 %d%%。名单人数骤减多半是文件不全或选错了文件；确认无误请确认名单缩减后"
             "重新导入",
             percent);
}
