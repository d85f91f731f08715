/*
 * The rows of an import below the header: each normalised and checked, its flags set, written
 * through the writer thread or rejected with its reason (and listed in the rejects file).
 */
#include "ingest/import_impl.h"

#include "core/date.h"
#include "core/division.h"
#include "core/idcard.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "ingest/category.h"
#include "store/migrate.h"
#include "store/writer.h"
#include "util/common.h"
#include "util/csvout.h"
#include "util/utf8.h"

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

json_t *import_row_cells(const struct importer *im, const struct row *r)
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
                                                  reasons, "cells", import_row_cells(im, r)));
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

/*
 * An amount of money as departments write it ("1,250.50", "300元", "￥300", "300.0") in fen
 * (分); -1 when it is not one (negative, more than two decimals, letters).
 */
static long long amount_fen(const char *t)
{
    long long yuan = 0, fen = 0;
    int digits = 0, decimals = -1;
    static const char *const signs[] = {"￥", "¥", "RMB"};
    for (size_t i = 0; i < ARRAY_SIZE(signs); i++)
        if (!strncmp(t, signs[i], strlen(signs[i]))) {
            t += strlen(signs[i]);
            break;
        }
    size_t n = strlen(t);
    if (n >= strlen("元") && !strcmp(t + n - strlen("元"), "元"))
        n -= strlen("元");
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (c >= '0' && c <= '9') {
            if (decimals >= 0) {
                if (++decimals > 2)
                    return -1;
                fen = fen * 10 + (c - '0');
            } else {
                if (++digits > 12)
                    return -1;
                yuan = yuan * 10 + (c - '0');
            }
        } else if (c == '.' && decimals < 0 && digits) {
            decimals = 0;
        } else if (!(c == ',' && decimals < 0 && digits)) {
            return -1;
        }
    }
    if (!digits)
        return -1;
    if (decimals == 1)
        fen *= 10;
    return yuan * 100 + fen;
}

/* What a disability list's 残疾人证号 says, read before the row's ID is settled. */
struct cert {
    bool given, ok;
    char id[19];
    int category, level;
};

static void read_cert(struct importer *im, const struct row *r, struct cert *c)
{
    size_t len;
    const char *t = cell_text(r, im->col[F_CERT_NO], &len);
    memset(c, 0, sizeof(*c));
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, t, len);
    c->given = im->t3.len > 0;
    c->ok =
        c->given && !disability_cert_parse(im->t3.buf, im->t3.len, c->id, &c->category, &c->level);
}

/* A household head's or guardian's ID: the normalised ID when it is one, flagged otherwise. */
static void bind_person_id(struct importer *im, int idx, const struct row *r, enum field f,
                           unsigned *flags)
{
    size_t len;
    const char *t = cell_text(r, im->col[f], &len);
    struct resident_id pid;
    id_normalize(t, len, &pid);
    if (pid.flags & ID_EMPTY) {
        writer_bind_null(im->w, idx);
        return;
    }
    if (!id_is_valid(pid.id))
        *flags |= RF_BIT(RF_HEAD_ID_INVALID);
    if (pid.id[0]) {
        writer_bind_str(im->w, idx, pid.id);
    } else {
        buf_reset(&im->t3);
        utf8_norm_text(&im->t3, t, len);
        writer_bind_str(im->w, idx, im->t3.buf);
    }
}

/* A closed-vocabulary cell (category, grade): the word's key, or NULL with `unknown` flagged
 * when something else is written; `fallback` (a key, or NULL) when the cell is empty. */
static void bind_word(struct importer *im, int idx, const char *text, const struct vocab *v,
                      const char *fallback, enum row_flag unknown, unsigned *flags)
{
    if (!*text) {
        writer_bind_str(im->w, idx, fallback);
        return;
    }
    int w = v ? vocab_parse(v, text) : -1;
    if (w < 0) {
        *flags |= RF_BIT(unknown);
        writer_bind_null(im->w, idx);
    } else {
        writer_bind_str(im->w, idx, v->words[w].key);
    }
}

/*
 * The group_detail row of a priority group's list or an aid payment, bound (the caller steps
 * it before it binds the record, whose flags take what this finds): category, grade and
 * certificate checked against each other and the row's ID, the payment's amount and date read.
 */
static void bind_detail(struct importer *im, const struct row *r, const struct cert *cert,
                        const struct resident_id *rid, unsigned *flags)
{
    enum import_kind k = im->opt->kind;
    size_t len;
    const char *t;
    char key[2] = {0, 0};

    writer_bind_int(im->w, 1, im->sum->batch_id);
    writer_bind_int(im->w, 2, r->number);
    t = cell_text(r, im->col[F_CATEGORY], &len);
    buf_reset(&im->scratch);
    utf8_norm_text(&im->scratch, t, len);
    const char *fallback = NULL;
    if (k == KIND_DISABILITY && cert->ok) {
        key[0] = (char)('0' + cert->category);
        fallback = key;
    }
    bind_word(im, 3, im->scratch.buf, kind_categories(k), fallback, RF_CATEGORY_UNKNOWN, flags);
    if (k == KIND_DISABILITY && cert->ok && im->scratch.len) {
        int w = vocab_parse(kind_categories(k), im->scratch.buf);
        if (w >= 0 && w + 1 != cert->category)
            *flags |= RF_BIT(RF_CERT_MISMATCH);
    }
    writer_bind_str(im->w, 4, im->scratch.buf);
    t = cell_text(r, im->col[F_LEVEL], &len);
    buf_reset(&im->scratch);
    utf8_norm_text(&im->scratch, t, len);
    char lkey[2] = {0, 0};
    if (k == KIND_DISABILITY && cert->ok)
        lkey[0] = (char)('0' + cert->level);
    bind_word(im, 5, im->scratch.buf, &disability_levels, lkey[0] ? lkey : NULL, RF_LEVEL_INVALID,
              flags);
    if (cert->ok && im->scratch.len) {
        int w = vocab_parse(&disability_levels, im->scratch.buf);
        if (w >= 0 && w + 1 != cert->level)
            *flags |= RF_BIT(RF_CERT_MISMATCH);
    }
    t = cell_text(r, im->col[F_CERT_NO], &len);
    buf_reset(&im->scratch);
    utf8_norm_text(&im->scratch, t, len);
    writer_bind_str(im->w, 6, im->scratch.buf);
    if (cert->given && !cert->ok)
        *flags |= RF_BIT(RF_CERT_INVALID);
    if (cert->ok && rid->id[0] && strcmp(rid->id, cert->id))
        *flags |= RF_BIT(RF_CERT_MISMATCH);
    bind_norm(im, 7, r, F_SCHOOL_STATUS);
    bind_norm(im, 8, r, F_FATHER_WORK);
    bind_norm(im, 9, r, F_MOTHER_WORK);
    bind_norm(im, 10, r, F_CONTACT);
    bind_norm(im, 11, r, F_AID_ITEM);
    t = cell_text(r, im->col[F_AMOUNT], &len);
    buf_reset(&im->scratch);
    utf8_norm_text(&im->scratch, t, len);
    long long fen = im->scratch.len ? amount_fen(im->scratch.buf) : -1;
    if (im->scratch.len && fen < 0)
        *flags |= RF_BIT(RF_AMOUNT_INVALID);
    if (fen >= 0)
        writer_bind_int(im->w, 12, fen);
    else
        writer_bind_null(im->w, 12);
    bind_norm(im, 13, r, F_TERM);
    t = cell_text(r, im->col[F_PAID_DATE], &len);
    buf_reset(&im->scratch);
    utf8_norm_text(&im->scratch, t, len);
    int paid = 0;
    if (im->scratch.len && date_parse(im->scratch.buf, im->scratch.len, &paid) < 0) {
        *flags |= RF_BIT(RF_DATE_INVALID);
        paid = 0;
    }
    if (paid) {
        char d[11];
        date_format(paid, d);
        writer_bind_str(im->w, 14, d);
    } else {
        writer_bind_null(im->w, 14);
    }
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

    /* A disability list's certificate number starts with the holder's ID: it stands in for
     * an ID column that is missing, empty or unusable. */
    struct cert cert = {0};
    if (im->opt->kind == KIND_DISABILITY) {
        read_cert(im, r, &cert);
        if (cert.ok && (rid.flags & unusable)) {
            struct resident_id from_cert;
            id_normalize(cert.id, 18, &from_cert);
            if (from_cert.id[0] && !(from_cert.flags & unusable))
                rid = from_cert;
        }
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
    /* twins' IDs stored as numbers read the same: not a duplicate; a child is paid several
     * times (aid) */
    if (rid.id[0] && !(rid.flags & ID_PRECISION_LOST) && im->opt->kind != KIND_AID &&
        !seen_add(im, id_pack(rid.id)))
        flags |= RF_BIT(RF_DUP_IN_FILE);

    /* Birth date: as written, checked against the ID; taken from the ID when missing. */
    int birth = 0;
    t = cell_text(r, im->col[F_BIRTH_DATE], &len);
    buf_reset(&im->t3);
    utf8_norm_text(&im->t3, t, len);
    int birth_month = 0; /* a group list's "2014-05": yyyymm */
    if (im->t3.len) {
        if (date_parse(im->t3.buf, im->t3.len, &birth) < 0) {
            birth = 0;
            if (!kind_is_group(im->opt->kind) ||
                date_parse_month(im->t3.buf, im->t3.len, &birth_month) < 0)
                flags |= RF_BIT(RF_DATE_INVALID);
        }
    }
    bool id_birth_ok = rid.birth_ymd && !(rid.flags & (ID_BAD_BIRTH | ID_BAD_FORMAT));
    if (birth && id_birth_ok && birth != rid.birth_ymd)
        flags |= RF_BIT(RF_BIRTH_MISMATCH);
    if (birth_month && id_birth_ok && birth_month != rid.birth_ymd / 100)
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

    if (kind_is_group(im->opt->kind)) {
        bind_detail(im, r, &cert, &rid, &flags);
        if (writer_step(im->w, im->ins_detail, r->number) < 0)
            return -1;
    }

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
    } else if (birth_month) {
        char d[11];
        snprintf(d, sizeof(d), "%04d-%02d", birth_month / 100 % 10000, birth_month % 100);
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
    bind_norm(im, 27, r, F_HOUSEHOLD_NO);
    buf_reset(&im->t3);
    t = cell_text(r, im->col[F_HEAD_NAME], &len);
    utf8_norm_name(&im->t3, t, len);
    writer_bind_str(im->w, 28, im->t3.buf);
    bind_person_id(im, 29, r, F_HEAD_ID, &flags);
    bind_norm(im, 30, r, F_RELATION);
    bind_person_id(im, 31, r, F_GUARDIAN_ID, &flags);
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

int import_handle_row(struct importer *im, const struct row *r)
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
