/* Photos and scanned receipts of verifications, attempts and notices (casework/attach.h). */
#include "casework/attach.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "core/date.h"
#include "domain/settings.h"
#include "ingest/photo.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

struct attach_settings {
    int max_mb;
};

static const struct setting_field attach_fields[] = {
    {"attachment_max_mb", offsetof(struct attach_settings, max_mb), SETTING_INT},
};

int attach_limit(struct store *s, uint64_t *bytes, struct outcome *o)
{
    struct attach_settings as = {5};
    if (settings_load(s, attach_fields, ARRAY_SIZE(attach_fields), &as) < 0)
        return fail_store(s, o);
    *bytes = (uint64_t)as.max_mb << 20;
    return 0;
}

static int too_large(struct outcome *o, uint64_t limit)
{
    return failed_at(o, OUT_INVALID, "file",
                     "照片太大：不能超过 %llu MB；请降低相机分辨率或压缩后再上传",
                     (unsigned long long)(limit >> 20));
}

/* The file's bytes, at most limit of them: refused beyond it (the file is not read further). */
static int read_bounded(const char *path, uint64_t limit, struct buf *out, struct outcome *o)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failed_at(o, errno == ENOENT ? OUT_INVALID : OUT_ERROR, "file",
                         "无法读取照片文件：%s", errno == ENOENT ? "文件不存在" : "没有读取权限");
    char chunk[65536];
    ssize_t got;
    int rc = 0;
    while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
        if (out->len + (size_t)got > limit) {
            rc = too_large(o, limit);
            break;
        }
        buf_add(out, chunk, (size_t)got);
    }
    if (got < 0 && rc == 0)
        rc = failed_at(o, OUT_ERROR, "file", "读取照片文件时出错");
    close(fd);
    if (rc == 0 && !out->len)
        rc = failed_at(o, OUT_INVALID, "file", "照片文件是空的");
    return rc;
}

/* The audit trail's kind of the object a photo documents. */
static enum audit_object attach_object(enum scope_object what)
{
    return what == SCOPE_TASK ? OBJ_TASK : what == SCOPE_RECTIFY ? OBJ_RECTIFY : OBJ_CASE;
}

/* "" or a positive number, into *v (0 for ""). */
static int number_of(const char *text, const char *key, const char *label, int64_t *v,
                     struct outcome *o)
{
    *v = 0;
    if (!text || !*text)
        return 0;
    char *end;
    long long n = strtoll(text, &end, 10);
    if (*end || n <= 0 || text[0] < '0' || text[0] > '9')
        return failed_at(o, OUT_INVALID, key, "%s“%s”无效，应为正整数", label, text);
    *v = n;
    return 0;
}

/* Does the row the sql names with ($1 its id, $2 the owner unless 0) exist? 1, 0, -1 */
static int owned(struct store *s, const char *sql, int64_t id, int64_t owner)
{
    struct stmt *q = store_prepare(s, sql);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    if (owner)
        stmt_bind_int(q, 2, owner);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc;
}

/* What the photo documents, as the message says it, after checking it belongs to the object. */
static int check_target(struct store *s, enum scope_object what, int64_t id, int64_t attempt,
                        int64_t notice, struct buf *what_text, struct outcome *o)
{
    if (what == SCOPE_RECTIFY) {
        if (attempt || notice)
            return failed_at(o, OUT_INVALID, attempt ? "attempt" : "notice",
                             "整改材料的照片附在整改事项上，不能指定劝返记录或通知书");
        int rc = owned(s, "SELECT 1 FROM rectify WHERE id = $1", id, 0);
        if (rc <= 0)
            return rc < 0 ? fail_store(s, o)
                          : failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的整改事项", (long long)id);
        buf_addf(what_text, "整改事项 %lld", (long long)id);
        return 0;
    }
    if (what == SCOPE_TASK) {
        if (attempt || notice)
            return failed_at(o, OUT_INVALID, attempt ? "attempt" : "notice",
                             "核查任务的照片附在核查结论上，不能指定劝返记录或通知书");
        int rc = owned(s, "SELECT 1 FROM verify_task WHERE id = $1", id, 0);
        if (rc <= 0)
            return rc < 0 ? fail_store(s, o)
                          : failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的核查任务", (long long)id);
        buf_addf(what_text, "核查任务 %lld", (long long)id);
        return 0;
    }
    int rc = owned(s, "SELECT 1 FROM case_file WHERE id = $1", id, 0);
    if (rc <= 0)
        return rc < 0 ? fail_store(s, o)
                      : failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的案件", (long long)id);
    if (!attempt == !notice)
        return failed_at(o, OUT_INVALID, "attempt",
                         "请指明照片附在哪一条劝返记录或哪一份通知书上（二选一）");
    if (attempt) {
        rc = owned(s, "SELECT 1 FROM attempt WHERE id = $1 AND case_id = $2", attempt, id);
        if (rc <= 0)
            return rc < 0 ? fail_store(s, o)
                          : failed_at(o, OUT_INVALID, "attempt",
                                      "案件 %lld 没有编号为 %lld 的劝返记录", (long long)id,
                                      (long long)attempt);
        buf_addf(what_text, "案件 %lld 的劝返记录 %lld", (long long)id, (long long)attempt);
    } else {
        rc = owned(s, "SELECT 1 FROM event WHERE id = $1 AND case_id = $2 AND kind = 'notice'",
                   notice, id);
        if (rc <= 0)
            return rc < 0
                       ? fail_store(s, o)
                       : failed_at(o, OUT_INVALID, "notice", "案件 %lld 没有编号为 %lld 的通知书",
                                   (long long)id, (long long)notice);
        buf_addf(what_text, "案件 %lld 的通知书 %lld", (long long)id, (long long)notice);
    }
    return 0;
}

int attach_add(struct store *s, enum scope_object what, int64_t id, const struct attach_input *in,
               const char *path, const char *actor, int64_t *new_id, struct buf *msg,
               struct outcome *o)
{
    int64_t attempt, notice;
    if (number_of(in->attempt, "attempt", "劝返记录编号", &attempt, o) < 0 ||
        number_of(in->notice, "notice", "通知书编号", &notice, o) < 0)
        return -1;
    uint64_t limit = 0;
    if (attach_limit(s, &limit, o) < 0)
        return -1;
    struct buf raw = BUF_INIT, clean = BUF_INIT, target_text = BUF_INIT;
    enum photo_type type;
    int rc = -1;
    if (check_target(s, what, id, attempt, notice, &target_text, o) < 0 ||
        read_bounded(path, limit, &raw, o) < 0 ||
        photo_clean((const unsigned char *)raw.buf, raw.len, &clean, &type, o) < 0)
        goto out;
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1], now[32], target[AUDIT_TARGET_SIZE], detail[64];
    crypto_hash_sha256(h, (const unsigned char *)clean.buf, clean.len);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    date_now_text(now, sizeof(now));
    if (store_begin(s) < 0) {
        fail_store(s, o);
        goto out;
    }
    struct stmt *q = store_prepare(
        s, "INSERT INTO attachment (task_id, case_id, attempt_id, notice_id, mime, size, sha256,"
           " content, note, added_by, added_at, rectify_id) VALUES ($1, $2, $3, $4, $5, $6, $7,"
           " $8, $9, $10, $11, $12) RETURNING id");
    if (!q)
        goto fail;
    stmt_bind_null(q, 1);
    stmt_bind_null(q, 2);
    stmt_bind_null(q, 12);
    stmt_bind_int(q, what == SCOPE_TASK ? 1 : what == SCOPE_CASE ? 2 : 12, id);
    if (attempt)
        stmt_bind_int(q, 3, attempt);
    else
        stmt_bind_null(q, 3);
    if (notice)
        stmt_bind_int(q, 4, notice);
    else
        stmt_bind_null(q, 4);
    stmt_bind_str(q, 5, photo_mime(type));
    stmt_bind_int(q, 6, (int64_t)clean.len);
    stmt_bind_str(q, 7, hex);
    stmt_bind_blob_ref(q, 8, clean.buf, clean.len);
    stmt_bind_str(q, 9, in->note);
    stmt_bind_str(q, 10, actor);
    stmt_bind_str(q, 11, now);
    int step = stmt_step(q);
    *new_id = step == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    if (step != 1)
        goto fail;
    audit_target(target, attach_object(what), id);
    snprintf(detail, sizeof(detail), "照片 %lld", (long long)*new_id);
    if (audit_record(s, actor, NULL, "attach", target, detail) < 0 || store_commit(s) < 0)
        goto fail;
    buf_addf(msg, "已为%s添加照片（编号 %lld，%.1f KB）", target_text.buf, (long long)*new_id,
             (double)clean.len / 1024.0);
    rc = 0;
    goto out;
fail:
    fail_store(s, o);
    store_rollback(s);
out:
    buf_release(&raw);
    buf_release(&clean);
    buf_release(&target_text);
    return rc;
}

/* A case's notices, oldest first: [{id, date, text}]; NULL on a store error. */
static json_t *notices_json(struct store *s, int64_t case_id)
{
    struct stmt *q = store_prepare(s, "SELECT id, on_date, text FROM event"
                                      " WHERE case_id = $1 AND kind = 'notice' ORDER BY id");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, case_id);
    json_t *a = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(a, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)stmt_int(q, 0),
                                           "date", stmt_text(q, 1), "text", stmt_text(q, 2)));
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *attach_list(struct store *s, enum scope_object what, int64_t id, struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, what == SCOPE_TASK
               ? "SELECT id, mime, size, note, attempt_id, notice_id, added_by, added_at"
                 " FROM attachment WHERE task_id = $1 ORDER BY id"
           : what == SCOPE_RECTIFY
               ? "SELECT id, mime, size, note, attempt_id, notice_id, added_by, added_at"
                 " FROM attachment WHERE rectify_id = $1 ORDER BY id"
               : "SELECT id, mime, size, note, attempt_id, notice_id, added_by, added_at"
                 " FROM attachment WHERE case_id = $1 ORDER BY id");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:I, s:s?, s:o, s:o, s:s, s:s}", "id", (json_int_t)stmt_int(q, 0),
                      "mime", stmt_text(q, 1), "size", (json_int_t)stmt_int(q, 2), "note",
                      stmt_is_null(q, 3) ? NULL : stmt_text(q, 3), "attempt",
                      stmt_is_null(q, 4) ? json_null() : json_integer(stmt_int(q, 4)), "notice",
                      stmt_is_null(q, 5) ? json_null() : json_integer(stmt_int(q, 5)), "added_by",
                      stmt_text(q, 6), "added_at", stmt_text(q, 7)));
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(items);
        fail_store(s, o);
        return NULL;
    }
    json_t *j = json_pack("{s:o}", "items", items);
    if (what == SCOPE_CASE) {
        /* the notices a signed receipt can be attached to (the timeline's entries) */
        json_t *notices = notices_json(s, id);
        if (!notices) {
            json_decref(j);
            fail_store(s, o);
            return NULL;
        }
        json_object_set_new(j, "notices", notices);
    }
    return j;
}

int attach_read(struct store *s, enum scope_object what, int64_t id, int64_t aid, const char *actor,
                struct buf *out, char *mime, size_t mime_size, struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, what == SCOPE_TASK
               ? "SELECT mime, content FROM attachment WHERE id = $1 AND task_id = $2"
           : what == SCOPE_RECTIFY
               ? "SELECT mime, content FROM attachment WHERE id = $1 AND rectify_id = $2"
               : "SELECT mime, content FROM attachment WHERE id = $1 AND case_id = $2");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, aid);
    stmt_bind_int(q, 2, id);
    int rc = stmt_step(q);
    if (rc == 1) {
        size_t len;
        const void *b = stmt_blob(q, 1, &len);
        snprintf(mime, mime_size, "%s", stmt_text(q, 0));
        buf_add(out, b, len);
    }
    stmt_finalize(q);
    if (rc < 0)
        return fail_store(s, o);
    if (rc == 0)
        return failed(o, OUT_NOT_FOUND, "%s %lld 没有编号为 %lld 的照片",
                      what == SCOPE_TASK      ? "核查任务"
                      : what == SCOPE_RECTIFY ? "整改事项"
                                              : "案件",
                      (long long)id, (long long)aid);
    char target[AUDIT_TARGET_SIZE], detail[64];
    audit_target(target, attach_object(what), id);
    snprintf(detail, sizeof(detail), "照片 %lld", (long long)aid);
    if (audit_record(s, actor, NULL, "attachment_read", target, detail) < 0)
        return fail_store(s, o);
    return 0;
}
