/*
 * What an import reports besides its rows: the summary printed, the kind's current snapshot,
 * and the refusal of a list much smaller than the snapshot it would replace.
 */
#include "ingest/import.h"

#include <jansson.h>

#include "core/division.h"
#include "ingest/category.h"
#include "store/store.h"
#include "util/common.h"

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

void import_summary_describe(const struct import_options *opt, const struct import_summary *sum,
                             struct buf *out)
{
    if (opt->dry_run)
        /* read and checked, then rolled back: no batch, whatever number it was to have */
        buf_addf(out, "检查完成（只检查，没有保存）：这份%s数据可以导入\n", kind_label(opt->kind));
    else
        buf_addf(out, "导入完成：%s数据第 %lld 批%s\n", kind_label(opt->kind),
                 (long long)sum->batch_id, opt->pending ? "（待县教育局确认后生效）" : "");
    buf_addf(out, "  文件：%s（%s%s%s%s%s）\n", opt->name ? opt->name : opt->path, sum->format,
             sum->encoding[0] ? "，" : "", sum->encoding, sum->sheet ? "，工作表 " : "",
             sum->sheet ? sum->sheet : "");
    buf_addf(out, "  表头：第 %ld 行；识别的列：%s\n", sum->header_row, sum->columns.buf);
    if (sum->ignored.len)
        buf_addf(out, "  未使用的列：%s\n", sum->ignored.buf);
    buf_addf(out,
             "  读取 %ld 行 = %s %ld 行（其中有标记 %ld 行）+ 拒绝 %ld 行 + 跳过 %ld 行"
             "（表头及其上方标题 %ld，空行 %ld，说明/签名/合计 %ld）\n",
             sum->rows_read, opt->dry_run ? "可导入" : "导入", sum->rows_imported,
             sum->rows_flagged, sum->rows_rejected,
             sum->rows_title + sum->rows_blank + sum->rows_notes, sum->rows_title, sum->rows_blank,
             sum->rows_notes);
    for (int f = 0; f < RF__COUNT; f++)
        if (sum->flag_counts[f])
            buf_addf(out, "    标记：%s %ld 行\n", row_flag_label((enum row_flag)f),
                     sum->flag_counts[f]);
    if (sum->county_inferred)
        buf_addf(out, "  本县设为 %s %s（根据身份证号推断；如不正确请初始化时指定本县代码）\n",
                 sum->county,
                 division_county_name(sum->county) ? division_county_name(sum->county) : "");
    if (opt->rejects_path)
        buf_addf(out, "  被拒绝和有标记的行已写入：%s\n", opt->rejects_path);
    if (out->len && out->buf[out->len - 1] == '\n')
        buf_setlen(out, out->len - 1);
}

/* The latest live batch of `kind` other than `except`. */
static int latest_live(struct store *s, enum import_kind kind, int64_t except, int64_t *batch,
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

/* The rows of `batch` (of group kind `kind`) that give each group: counts[g]. */
static int group_rows(struct store *s, enum import_kind kind, int64_t batch,
                      long counts[GRP__COUNT])
{
    memset(counts, 0, sizeof(long) * GRP__COUNT);
    struct stmt *q = store_prepare(s, "SELECT coalesce(category, ''), count(*) FROM group_detail"
                                      " WHERE batch_id = $1 GROUP BY 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int g = category_group(kind, stmt_text(q, 0));
        if (g >= 0)
            counts[g] += (long)stmt_int(q, 1);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int import_group_snapshot(struct store *s, enum import_kind kind, int64_t except,
                          int64_t snapshot[GRP__COUNT])
{
    memset(snapshot, 0, sizeof(int64_t) * GRP__COUNT);
    struct stmt *q = store_prepare(s, "SELECT id FROM batch WHERE kind = $1 AND state = 'live'"
                                      " AND id <> $2 ORDER BY live_seq DESC, id DESC");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, kind_key(kind));
    stmt_bind_int(q, 2, except);
    int64_t ids[256];
    size_t n = 0;
    int rc;
    /* a county keeps tens of lists of a kind; the newest 256 name every group there is */
    while (n < ARRAY_SIZE(ids) && (rc = stmt_step(q)) == 1)
        ids[n++] = stmt_int(q, 0);
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        long counts[GRP__COUNT];
        if (group_rows(s, kind, ids[i], counts) < 0)
            return -1;
        for (int g = 0; g < GRP__COUNT; g++)
            if (counts[g] && !snapshot[g])
                snapshot[g] = ids[i];
    }
    return 0;
}

int import_current(struct store *s, enum import_kind kind, int64_t except, int64_t *batch,
                   long *rows)
{
    if (!kind_is_group(kind) || !except)
        return latest_live(s, kind, except, batch, rows);
    /* a group list replaces the lists of its own groups: 民政's 孤儿 list not its 低保 list */
    long mine[GRP__COUNT], theirs[GRP__COUNT];
    int64_t snapshot[GRP__COUNT];
    *batch = 0;
    *rows = 0;
    if (group_rows(s, kind, except, mine) < 0 ||
        import_group_snapshot(s, kind, except, snapshot) < 0)
        return -1;
    for (int g = 0; g < GRP__COUNT; g++) {
        if (!mine[g] || !snapshot[g])
            continue;
        if (group_rows(s, kind, snapshot[g], theirs) < 0)
            return -1;
        if (snapshot[g] > *batch)
            *batch = snapshot[g];
        *rows += theirs[g];
    }
    /* rows of no group (an aid payment, a category nobody knows): the kind's latest list */
    bool any = false;
    for (int g = 0; g < GRP__COUNT; g++)
        any = any || mine[g];
    return any ? 0 : latest_live(s, kind, except, batch, rows);
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

int column_maps_parse(const char *text, struct column_map **maps, size_t *n, struct outcome *o)
{
    size_t alloc = 0;
    *maps = NULL;
    *n = 0;
    for (const char *p = text ? text : ""; *p;) {
        size_t len = strcspn(p, "\r\n");
        const char *eq = memchr(p, '=', len);
        if (len && (!eq || eq == p)) {
            column_maps_free(*maps, *n);
            *maps = NULL;
            *n = 0;
            return failed_at(o, OUT_INVALID, "map",
                             "列对应“%.*s”无效，应写成 表头=字段，例如 学生名字=name", (int)len, p);
        }
        if (len) {
            char *field = xstrndup(eq + 1, len - (size_t)(eq + 1 - p));
            enum field f = FIELD_IGNORE;
            if (*field && strcmp(field, "ignore") && field_parse(field, &f) < 0) {
                failed_at(o, OUT_INVALID, "map", "列对应中的“%s”不是已知的字段", field);
                free(field);
                column_maps_free(*maps, *n);
                *maps = NULL;
                *n = 0;
                return -1;
            }
            free(field);
            ALLOC_GROW(*maps, *n + 1, alloc);
            (*maps)[*n].header = xstrndup(p, (size_t)(eq - p));
            (*maps)[(*n)++].field = f;
        }
        p += len;
        p += strspn(p, "\r\n");
    }
    return 0;
}

void column_maps_free(struct column_map *maps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)maps[i].header);
    free(maps);
}
