/*
 * One import: find the sheet and its header row, map columns to fields, normalise and validate
 * every row, and write the batch, its records and its rejects in one transaction.
 */
#include "ingest/import.h"
#include "ingest/import_impl.h"

#include <errno.h>
#include <limits.h>
#include <sodium.h>
#include <sys/stat.h>

#include "core/date.h"
#include "core/view.h"
#include "store/audit.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/writer.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/csvout.h"
#include "util/outfile.h"
#include "util/progress.h"

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

/* The columns of a record, as the writes of import_rows.c bind them ($1…$31 in this order). */
static const char *const record_columns =
    "batch_id, row_no, id_number, id_raw, id_flags, name, name_key, gender, birth_date,"
    " ethnicity, address, township_code, township, village, guardian, phone, reg_status,"
    " school_code, school_name, school_region, grade, grade_text, class, student_no,"
    " enroll_status, flags, household_no, head_name, head_id, relation, guardian_id";

/* What only the priority groups' lists and the aid payments say (import_rows.c). */
static const char *const group_detail_columns =
    "batch_id, row_no, category, category_text, level, cert_no, school_status, father_work,"
    " mother_work, contact, aid_item, amount_fen, term, paid_date";

/*
 * Store the batch's keys when its records got consecutive ids (one transaction, one writer:
 * they do), so that a cross-check can read them as one blob. Otherwise nothing is stored and
 * the cross-check reads the records.
 *
 * The records were written in row order and their ids only grow, so the first row's id is the
 * smallest and the last row's the largest; the batch has exactly keys.n records, each with an
 * id of its own between the two: consecutive when the two are keys.n - 1 apart. Two index
 * probes (record_batch), not a count over a million rows (2.5 s on PostgreSQL).
 */
static int store_keys(struct store *s, struct importer *im, int64_t batch)
{
    if (!im->keys.n)
        return 0;
    struct stmt *q = store_prepare(
        s, "SELECT (SELECT id FROM record WHERE batch_id = $1 ORDER BY row_no LIMIT 1),"
           " (SELECT id FROM record WHERE batch_id = $1 ORDER BY row_no DESC LIMIT 1)");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    if (stmt_step(q) != 1) {
        stmt_finalize(q);
        return -1;
    }
    int64_t lo = stmt_int(q, 0), hi = stmt_int(q, 1);
    stmt_finalize(q);
    if (hi - lo + 1 != (int64_t)im->keys.n)
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

/* An import under way: what import_file's phases hand each other. */
struct import_run {
    struct store *s;
    const struct import_options *opt;
    struct import_summary *sum;
    struct buf *err;
    enum outcome_kind kind; /* what a failure is, as far as the import got */
    struct importer im;
    struct sheet_reader *rd;
    struct saved_row *rows; /* the rows read while the header was searched for */
    size_t nrows;
    long hdr; /* the header's index in rows, -1 none */
    bool in_tx, in_bulk;
    bool hash_later; /* hj computes the hash while the rows are imported */
    struct outfile rejects_out;
    struct buf where;
    char hash[65], now[32];
    off_t size;
    struct hash_job hj;
};

/* "文件“…”：" and the reader's message, in place of err. */
static void file_error(struct import_run *r, const char *after)
{
    struct buf m = BUF_INIT;
    buf_addf(&m, "文件“%s”：%s%s", import_file_shown(r->opt), r->err->buf, after);
    buf_reset(r->err);
    buf_add(r->err, m.buf, m.len);
    buf_release(&m);
}

/*
 * The file exists and is a file, and is not one imported before. Only a file the size of an
 * earlier one of its kind can be the same: that one is hashed before anything is read; any
 * other is hashed on a thread of its own while its rows are imported (a second off the
 * critical path of a 650 MB file).
 */
static int check_file(struct import_run *r)
{
    struct store *s = r->s;
    const struct import_options *opt = r->opt;
    struct buf *err = r->err;
    if (opt->nmaps > MAX_MAPS) {
        buf_addf(err, "列对应最多可指定 %d 个", MAX_MAPS);
        return -1;
    }
    struct stat stbuf;
    if (stat(opt->path, &stbuf) != 0 || !S_ISREG(stbuf.st_mode)) {
        buf_addf(err, "文件“%s”不存在或不是普通文件", import_file_shown(opt));
        return -1;
    }
    if (sodium_init() < 0) {
        buf_adds(err, "无法初始化加密库");
        r->kind = OUT_ERROR;
        return -1;
    }
    int64_t same_size = 0;
    {
        char sz[24];
        snprintf(sz, sizeof(sz), "%lld", (long long)stbuf.st_size);
        const char *p[] = {kind_key(opt->kind), sz};
        if (store_int(s, "SELECT count(*) FROM batch WHERE kind = $1 AND file_size = $2", 2, p,
                      &same_size) < 0) {
            buf_adds(err, store_errmsg(s));
            r->kind = OUT_ERROR;
            return -1;
        }
    }
    if (!same_size && pthread_create(&r->hj.th, NULL, import_hash_main, &r->hj) == 0) {
        r->hj.started = r->hash_later = true;
        r->size = stbuf.st_size;
        snprintf(r->hash, sizeof(r->hash), "%s", "pending");
    } else if (import_file_sha256(opt->path, import_file_shown(opt), r->hash, &r->size, err) < 0) {
        return -1;
    }
    if (same_size) {
        struct stmt *q = store_prepare(
            s, "SELECT id, imported_at FROM batch WHERE file_sha256 = $1 AND kind = $2 "
               "AND state <> 'rejected' ORDER BY id DESC LIMIT 1");
        if (!q) {
            buf_adds(err, store_errmsg(s));
            r->kind = OUT_ERROR;
            return -1;
        }
        stmt_bind_str(q, 1, r->hash);
        stmt_bind_str(q, 2, kind_key(opt->kind));
        int rc = stmt_step(q);
        if (rc == 1 && opt->dry_run)
            r->sum->same_as = stmt_int(q, 0);
        else if (rc == 1 && !opt->force) {
            buf_addf(err,
                     "文件“%s”已于 %s 作为第 %lld 批%s数据导入过，内容完全相同；如确需再次导入，"
                     "请选择再次导入",
                     import_file_shown(opt), stmt_text(q, 1), (long long)stmt_int(q, 0),
                     kind_label(opt->kind));
            r->sum->hint = IMPORT_HINT_FORCE;
            stmt_finalize(q);
            return -1;
        }
        stmt_finalize(q);
    }
    return 0;
}

/* The sheet and its header row. */
static int find_header(struct import_run *r)
{
    const struct import_options *opt = r->opt;
    progress_report(opt->report, true, 0, "识别表头");
    if (sheet_open(&r->rd, opt->path, r->err) < 0) {
        file_error(r, "");
        return -1;
    }
    if (import_choose_sheet(r->rd, opt, &r->rows, &r->nrows, &r->hdr, r->err) < 0) {
        file_error(r, "");
        return -1;
    }
    if (r->hdr < 0) {
        buf_addf(r->err,
                 "文件“%s”%s：在前 %d "
                 "行中没有找到%s名单的表头（需要包含“姓名”或“身份证号”等列名的一行）。"
                 "如果表头写法特殊，请指定各列对应的字段",
                 import_file_shown(opt), import_sheet_label(r->rd, &r->where), HEADER_SCAN_ROWS,
                 kind_label(opt->kind));
        r->sum->hint = IMPORT_HINT_MAP;
        return -1;
    }
    return 0;
}

/* Map the header row's columns to fields: --map first, then recognised spellings. */
static int map_columns(struct import_run *r)
{
    const struct import_options *opt = r->opt;
    struct import_summary *sum = r->sum;
    struct importer *im = &r->im;
    const struct row *h = &r->rows[r->hdr].row;
    im->header_ncells = h->ncells;
    im->header_text = xcalloc(h->ncells ? h->ncells : 1, sizeof(char *));
    bool map_used[MAX_MAPS] = {0};
    for (size_t c = 0; c < h->ncells; c++) {
        im->header_text[c] = xstrndup(h->cells[c].text, h->cells[c].len);
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
        if (f >= 0 && im->col[f] < 0) {
            im->col[f] = (int)c;
            /* the column as the file names it, and the field it was read as where the two
             * differ ("证件号码→身份证号") */
            const char *label = field_label((enum field)f);
            struct buf shown = BUF_INIT;
            utf8_norm_text(&shown, h->cells[c].text, h->cells[c].len);
            buf_addf(&sum->columns, "%s%s", sum->columns.len ? "，" : "", shown.buf);
            buf_release(&shown);
            if (strcmp(a.buf, label))
                buf_addf(&sum->columns, "→%s", label);
        } else if (a.len) {
            buf_addf(&sum->ignored, "%s%s", sum->ignored.len ? "，" : "", a.buf);
        }
        buf_release(&a);
    }
    for (size_t m = 0; m < opt->nmaps; m++)
        if (!map_used[m]) {
            buf_addf(r->err, "文件“%s”%s第 %ld 行（表头）中没有指定了对应字段的列“%s”",
                     import_file_shown(opt), import_sheet_label(r->rd, &r->where), h->number,
                     opt->maps[m].header);
            sum->hint = IMPORT_HINT_MAP;
            return -1;
        }
    unsigned missing = kind_missing(opt->kind, im->col);
    /* before the required columns are checked: a wizard shows the header it could not use */
    if (opt->preview)
        sum->preview = import_preview_json(im, opt->kind, h, r->rows, r->nrows, r->hdr, missing);
    if (missing) {
        import_missing_message(r->err, opt, im, missing, import_sheet_label(r->rd, &r->where),
                               h->number);
        sum->hint = IMPORT_HINT_MAP;
        return -1;
    }
    return 0;
}

/* What the summary says of the sheet, the county, and the rejects file opened (unnamed). */
static int describe_sheet(struct import_run *r)
{
    const struct import_options *opt = r->opt;
    struct import_summary *sum = r->sum;
    struct importer *im = &r->im;
    snprintf(sum->format, sizeof(sum->format), "%s", sheet_format(r->rd));
    snprintf(sum->encoding, sizeof(sum->encoding), "%s", sheet_encoding(r->rd));
    sum->sheet = strcmp(sheet_format(r->rd), "csv")
                     ? xstrdup(sheet_name(r->rd, sheet_selected(r->rd)))
                     : NULL;
    sum->header_row = r->rows[r->hdr].row.number;
    import_resolve_county(r->s, sum, opt->kind, r->rows, r->nrows, r->hdr, im->col[F_ID_NUMBER]);
    im->county = sum->county;

    if (opt->rejects_path) {
        /* An unnamed file until the import has committed: a failed or killed import leaves
         * none, and no list describes an import that did not happen. */
        if (outfile_open(&r->rejects_out, opt->rejects_path, r->err) < 0) {
            struct buf m = BUF_INIT;
            buf_addf(&m, "被拒绝和有标记的行的清单：%s", r->err->buf);
            buf_reset(r->err);
            buf_add(r->err, m.buf, m.len);
            buf_release(&m);
            return -1;
        }
        im->rejects = r->rejects_out.fp;
        struct buf line = BUF_INIT;
        buf_adds(&line, "\xEF\xBB\xBF");
        csv_field(&line, "行号", strlen("行号"), true);
        csv_field(&line, "处理", strlen("处理"), false);
        csv_field(&line, "原因", strlen("原因"), false);
        for (size_t c = 0; c < im->header_ncells; c++)
            csv_field(&line, im->header_text[c], strlen(im->header_text[c]), false);
        buf_adds(&line, "\r\n");
        fwrite(line.buf, 1, line.len, im->rejects);
        buf_release(&line);
    }
    return 0;
}

/* The bulk transaction, the batch's row, the statements and the writer thread. */
static int begin_batch(struct import_run *r)
{
    struct store *s = r->s;
    const struct import_options *opt = r->opt;
    struct import_summary *sum = r->sum;
    struct importer *im = &r->im;
    struct buf *err = r->err;
    r->kind = OUT_ERROR;
    r->in_bulk = true;
    if (store_begin_bulk(s) < 0) {
        buf_addf(err, "%s", store_errmsg(s));
        return -1;
    }
    r->in_tx = true;
    date_now_text(r->now, sizeof(r->now));
    {
        json_t *cols = json_object();
        for (int f = 0; f < F__COUNT; f++)
            if (im->col[f] >= 0)
                json_object_set_new(cols, field_key((enum field)f),
                                    json_string(im->header_text[im->col[f]]));
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
            return -1;
        }
        const char *base = strrchr(opt->path, '/');
        stmt_bind_str(b, 1, kind_key(opt->kind));
        stmt_bind_str(b, 2, opt->name ? opt->name : base ? base + 1 : opt->path);
        stmt_bind_str(b, 3, r->hash);
        stmt_bind_int(b, 4, (int64_t)r->size);
        stmt_bind_str(b, 5, sum->format);
        stmt_bind_str(b, 6, sum->encoding);
        stmt_bind_str(b, 7, sum->sheet);
        stmt_bind_int(b, 8, sum->header_row);
        stmt_bind_str(b, 9, cols_text);
        stmt_bind_str(b, 10, r->now);
        stmt_bind_str(b, 11, opt->actor);
        stmt_bind_int(b, 12, opt->force);
        stmt_bind_int(b, 13, opt->pending);
        stmt_bind_str(b, 14, opt->department);
        free(cols_text);
        if (stmt_step(b) != 1) {
            buf_adds(err, store_errmsg(s));
            stmt_finalize(b);
            return -1;
        }
        sum->batch_id = stmt_int(b, 0);
        stmt_finalize(b);
    }
    im->s = s;
    im->opt = opt;
    im->sum = sum;
    /* appended: on PostgreSQL sent by COPY (store.h) */
    im->ins_record = store_prepare_append(s, "record", record_columns);
    im->ins_reject = store_prepare_append(s, "reject", "batch_id, row_no, reason, raw");
    if (kind_is_group(opt->kind))
        im->ins_detail = store_prepare_append(s, "group_detail", group_detail_columns);
    if (!im->ins_record || !im->ins_reject || (kind_is_group(opt->kind) && !im->ins_detail)) {
        buf_adds(err, store_errmsg(s));
        return -1;
    }
    if (!strcmp(store_dialect(s), "postgresql")) {
        /* Maintained, not rebuilt: dropping the index in the load's transaction takes an ACCESS
         * EXCLUSIVE lock on record until the commit, and every read of the county's children
         * on every server (a township's list joins record) waited for the rest of the import:
         * 18.7 s for a list request during an import of 1M children (docs/decisions.md, "the
         * ID index during an import on PostgreSQL"). SQLite's readers keep reading in WAL
         * (store_begin_bulk leaves WAL only with the database to itself). */
        im->id_index_rebuild_at = LONG_MAX;
    } else {
        /* the largest record id stands for the records stored: only a cost estimate */
        int64_t stored;
        if (store_int(s, "SELECT coalesce(max(id), 0) FROM record", 0, NULL, &stored) < 0) {
            buf_adds(err, store_errmsg(s));
            return -1;
        }
        im->id_index_rebuild_at =
            stored / 8 > ID_INDEX_REBUILD_ROWS ? (long)(stored / 8) : ID_INDEX_REBUILD_ROWS;
    }
    im->w = store_writer_start(s);
    return 0;
}

/*
 * Every row below the header, then the writes finished; refused when nothing was imported, or
 * when the list is much smaller than the snapshot it would replace and nobody confirmed.
 */
static int read_rows(struct import_run *r)
{
    const struct import_options *opt = r->opt;
    struct import_summary *sum = r->sum;
    struct importer *im = &r->im;
    struct buf *err = r->err;
    /* Rows above the header are titles; they and the header are read and skipped. */
    sum->rows_title = r->hdr + 1;
    sum->rows_read = r->hdr + 1;
    for (size_t i = (size_t)r->hdr + 1; i < r->nrows; i++)
        if (import_handle_row(im, &r->rows[i].row) < 0) {
            finish_writes(im, err);
            return -1;
        }
    {
        const struct row *row;
        int rc;
        /* the rows below are parsed on a thread of their own while this one checks them (and
         * the writer thread stores them), where that pays; otherwise, and when no thread
         * starts, they are parsed here */
        struct buf scratch = BUF_INIT;
        if (sheet_ahead_pays(r->rd))
            (void)sheet_read_ahead(r->rd, &scratch);
        buf_release(&scratch);
        while ((rc = sheet_next_row(r->rd, &row, err)) == 1) {
            if (import_handle_row(im, row) < 0) {
                finish_writes(im, err);
                return -1;
            }
            if ((sum->rows_read & 1023) == 0 && progress_due(opt->report, false))
                progress_report(opt->report, false, 0.9 * sheet_progress(r->rd), "读取第 %ld 行",
                                sum->rows_read);
        }
        if (rc < 0) {
            file_error(r, "；本次导入已取消，数据库未作任何改动");
            r->kind = OUT_INVALID;
            return -1;
        }
    }
    progress_report(opt->report, true, 0.9, "写入数据库（共 %ld 行）", sum->rows_read);
    if (finish_writes(im, err) < 0)
        return -1;
    if (sum->rows_imported == 0) {
        buf_addf(err, "文件“%s”%s表头（第 %ld 行）之下没有可导入的数据行", import_file_shown(opt),
                 import_sheet_label(r->rd, &r->where), sum->header_row);
        r->kind = OUT_INVALID;
        return -1;
    }
    /* counted, not yet committed: a list much smaller than the snapshot it would replace is
     * refused here, leaving nothing, unless the person saw both numbers and confirmed. A
     * pending upload replaces nothing yet: its acceptance is checked (domain/batch.c). */
    if (import_current(r->s, opt->kind, sum->batch_id, &sum->previous_batch, &sum->previous_rows) <
        0) {
        buf_adds(err, store_errmsg(r->s));
        return -1;
    }
    sum->shrinks = import_shrinks(sum->rows_imported, sum->previous_rows, opt->shrink_percent);
    if (sum->shrinks && !opt->pending && !opt->dry_run && !opt->shrink_confirmed) {
        import_shrink_message(err, opt->kind, sum->rows_imported, sum->previous_batch,
                              sum->previous_rows, opt->shrink_percent);
        sum->hint = IMPORT_HINT_SHRINK;
        r->kind = OUT_INVALID;
        return -1;
    }
    return 0;
}

/* The batch completed in its transaction: the ID index, the keys, the hash, the counts, the
 * audit, the county. Not yet committed. */
static int finish_batch(struct import_run *r)
{
    struct store *s = r->s;
    const struct import_options *opt = r->opt;
    struct import_summary *sum = r->sum;
    struct importer *im = &r->im;
    struct buf *err = r->err;
    progress_report(opt->report, true, 0.95, "建立索引并提交");
    if (im->id_index_dropped && schema_create_record_id_index(s) < 0) {
        buf_adds(err, store_errmsg(s));
        return -1;
    }
    if (store_keys(s, im, sum->batch_id) < 0) {
        buf_adds(err, store_errmsg(s));
        return -1;
    }
    if (import_hash_join(&r->hj, err) < 0) {
        r->kind = OUT_INVALID;
        return -1;
    }
    if (r->hash_later) {
        char id[24];
        snprintf(id, sizeof(id), "%lld", (long long)sum->batch_id);
        const char *p[] = {r->hj.hex, id};
        if (store_run(s, "UPDATE batch SET file_sha256 = $1 WHERE id = $2", 2, p) < 0) {
            buf_adds(err, store_errmsg(s));
            return -1;
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
            return -1;
        }
        struct buf detail = BUF_INIT;
        buf_addf(&detail, "第 %s 批，%s，%ld 行", id, kind_label(opt->kind), sum->rows_imported);
        rc = opt->dry_run ? 0 : audit_record(s, opt->actor, NULL, "import", NULL, detail.buf);
        buf_release(&detail);
        if (rc < 0) {
            buf_adds(err, store_errmsg(s));
            return -1;
        }
    }
    if (sum->county_inferred && opt->pending) {
        /* the county's own setting is not a department's to make */
        buf_adds(err, "本县尚未设置，部门上传的名单无法确定乡镇：请县教育局先设置本县，或先导入本县"
                      "自己的名单");
        r->kind = OUT_INVALID;
        return -1;
    }
    if (sum->county_inferred && store_set_setting(s, "county", sum->county) < 0) {
        buf_adds(err, store_errmsg(s));
        return -1;
    }
    if (im->rejects && (fflush(im->rejects) != 0 || ferror(im->rejects))) { /* a full disk */
        buf_addf(err, "写入被拒绝和有标记的行的清单“%s”失败：%s", opt->rejects_path,
                 strerror(errno ? errno : EIO));
        return -1;
    }
    stmt_finalize(im->ins_record);
    stmt_finalize(im->ins_reject);
    stmt_finalize(im->ins_detail);
    im->ins_record = im->ins_reject = im->ins_detail = NULL;
    return 0;
}

/* Committed (a dry run rolled back: it leaves no trace), and the rejects file named. */
static int commit_batch(struct import_run *r)
{
    struct store *s = r->s;
    const struct import_options *opt = r->opt;
    struct import_summary *sum = r->sum;
    /* a dry run has checked every row exactly as the import would: now it leaves no trace */
    if (opt->dry_run ? store_rollback(s) < 0 : store_commit(s) < 0) {
        buf_adds(r->err, store_errmsg(s));
        return -1;
    }
    r->in_tx = false;
    store_end_bulk(s);
    r->in_bulk = false;
    if (r->im.rejects) {
        struct buf w = BUF_INIT;
        r->im.rejects = NULL;
        if (outfile_commit(&r->rejects_out, &w) < 0) {
            buf_addf(&sum->warning,
                     "导入已完成（第 %lld 批），但被拒绝和有标记的行的清单没有写成：%s",
                     (long long)sum->batch_id, w.buf);
        }
        buf_release(&w);
    }
    return 0;
}

static void import_run_release(struct import_run *r)
{
    struct importer *im = &r->im;
    if (im->w) {
        long row;
        store_writer_finish(im->w, &row); /* the error that brought us here is reported */
    }
    if (r->hj.started)
        pthread_join(r->hj.th, NULL);
    buf_release(&r->hj.err);
    stmt_finalize(im->ins_record);
    stmt_finalize(im->ins_reject);
    stmt_finalize(im->ins_detail);
    if (r->in_tx)
        store_rollback(r->s);
    if (r->in_bulk)
        store_end_bulk(r->s);
    outfile_abort(&r->rejects_out);
    if (im->header_text) {
        for (size_t c = 0; c < im->header_ncells; c++)
            free(im->header_text[c]);
        free(im->header_text);
    }
    free(im->seen);
    for (size_t i = 0; i < im->nmemo; i++)
        free(im->memo[i].text);
    buf_release(&im->scratch);
    buf_release(&im->t1);
    buf_release(&im->t2);
    buf_release(&im->t3);
    buf_release(&im->reasons);
    buf_release(&im->school);
    buf_release(&im->place);
    buf_release(&im->region);
    batch_keys_release(&im->keys);
    buf_release(&r->where);
    import_saved_rows_release(r->rows, r->nrows);
    sheet_close(r->rd);
}

int import_file(struct store *s, const struct import_options *opt, struct import_summary *sum,
                struct outcome *o)
{
    struct buf err_text = BUF_INIT;
    struct import_run r = {.s = s,
                           .opt = opt,
                           .sum = sum,
                           .err = &err_text,
                           .kind = OUT_INVALID,
                           .hdr = -1,
                           .hj = {.path = opt->path, .shown = import_file_shown(opt)}};
    struct importer *im = &r.im;
    int ret = -1;
    buf_init(&r.where, 0);
    buf_init(&r.hj.err, 0);

    memset(sum, 0, sizeof(*sum));
    buf_init(&sum->columns, 0);
    buf_init(&sum->ignored, 0);
    buf_init(&sum->warning, 0);
    for (int f = 0; f < F__COUNT; f++)
        im->col[f] = -1;
    buf_init(&im->t1, 0);
    buf_init(&im->t2, 0);
    buf_init(&im->t3, 0);
    buf_init(&im->reasons, 0);
    buf_init(&im->school, 0);
    buf_init(&im->region, 0);
    buf_init(&im->place, 0);
    batch_keys_init(&im->keys);
    buf_init(&im->scratch, 0);

    int held_today = date_today_pin(date_today());
    if (check_file(&r) == 0 && find_header(&r) == 0 && map_columns(&r) == 0 &&
        describe_sheet(&r) == 0 && begin_batch(&r) == 0 && read_rows(&r) == 0 &&
        finish_batch(&r) == 0 && commit_batch(&r) == 0)
        ret = 0;
    import_run_release(&r);
    date_today_pin(held_today);
    if (ret < 0) {
        sum->batch_id = 0;
        failed(o, r.kind, "%s", r.err->len ? r.err->buf : "导入失败");
    }
    buf_release(r.err);
    return ret;
}
