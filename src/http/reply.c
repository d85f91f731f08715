/* The server's one mapping of a library outcome to an HTTP answer, and the API's replies built
 * on it: tables, objects, downloads (reply.h). */
#include "http/reply.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/args.h"
#include "http/request.h"
#include "render/table.h"
#include "store/audit.h"
#include "util/common.h"

void reply_error_at(struct request *r, unsigned status, const char *code, const char *field,
                    const char *message)
{
    json_t *e = json_pack("{s:s, s:s}", "code", code, "message", message);
    if (field && *field)
        json_object_set_new(e, "field", json_string(field));
    reply_json(r, status, json_pack("{s:o}", "error", e));
}

void reply_outcome(struct request *r, const struct outcome *o)
{
    static const struct {
        unsigned status;
        const char *code;
    } map[] = {
        [OUT_INVALID] = {MHD_HTTP_BAD_REQUEST, "invalid_request"},
        [OUT_NOT_FOUND] = {MHD_HTTP_NOT_FOUND, "not_found"},
        [OUT_NO_RUN] = {MHD_HTTP_NOT_FOUND, "no_run"},
        [OUT_FORBIDDEN] = {MHD_HTTP_FORBIDDEN, "forbidden"},
    };
    const char *msg = o->msg.len ? o->msg.buf : NULL;
    if (o->kind > OUT_OK && o->kind < ARRAY_SIZE(map) && map[o->kind].code) {
        reply_error_at(r, map[o->kind].status, map[o->kind].code, o->field,
                       msg ? msg : "请求无法完成");
        return;
    }
    /* OUT_ERROR, or a failure that forgot its outcome: the store or the system, not the
     * request. The message is the library's own (Chinese; no child's data). */
    reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                msg ? msg : "服务器内部错误（数据库）");
}

void reply_read(struct request *r, json_t *j, struct outcome *o)
{
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_outcome(r, o);
    outcome_release(o);
}

void reply_done(struct request *r, int rc, struct buf *msg, struct outcome *o)
{
    if (rc < 0)
        reply_outcome(r, o);
    else
        reply_json(r, MHD_HTTP_OK, json_pack("{s:s%}", "message", msg->buf, msg->len));
    buf_release(msg);
    outcome_release(o);
}

bool audit_full(struct request *r, const char *what, const char *target)
{
    if (audit_record(r->store, r->scope.user, r->scope.origin, "read_full", target, what) < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法记录审计日志，已停止");
        return false;
    }
    return true;
}

void reply_table(struct request *r, int rc, struct report_table *t, struct outcome *o)
{
    if (rc < 0) {
        reply_outcome(r, o);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(t));
        table_release(t);
    }
    outcome_release(o);
}

void reply_table_paged(struct request *r, int rc, struct report_table *t, struct outcome *o,
                       const struct paging *pg)
{
    if (rc < 0 || !pg->per_page) {
        reply_table(r, rc, t, o);
        return;
    }
    json_t *j = table_to_json(t);
    json_t *all = json_object_get(j, t->array_key);
    json_t *part = json_array();
    size_t from = (size_t)((pg->page - 1) * pg->per_page), n = json_array_size(all);
    for (size_t i = from; i < n && i < from + (size_t)pg->per_page; i++)
        json_array_append(part, json_array_get(all, i));
    json_object_set_new(j, "total", json_integer((json_int_t)n));
    json_object_set_new(j, "page", json_integer(pg->page));
    json_object_set_new(j, "per_page", json_integer(pg->per_page));
    json_object_set_new(j, t->array_key, part);
    reply_json(r, MHD_HTTP_OK, j);
    table_release(t);
    outcome_release(o);
}

void show_reply(struct request *r, int rc, int64_t id, struct buf *out, struct outcome *o,
                json_t *detail)
{
    if (rc < 0) {
        reply_outcome(r, o);
    } else if (!detail) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
    } else {
        json_t *j = json_pack("{s:I, s:s%}", "id", (json_int_t)id, "text", out->buf, out->len);
        json_object_update_missing(j, detail);
        reply_json(r, MHD_HTTP_OK, j);
    }
    json_decref(detail);
    buf_release(out);
    outcome_release(o);
}

void content_disposition(struct MHD_Response *resp, const char *ascii, const char *name)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p))
            buf_addf(&b, "%c", *p);
        else
            buf_addf(&b, "%%%02X", *p);
    }
    MHD_add_response_header(resp, "Content-Disposition", b.buf);
    buf_release(&b);
}

bool scratch_dir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/baoxue-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) != NULL;
}

void reply_file(struct request *r, const char *dir, const char *path, const char *type,
                const char *ascii, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    rmdir(dir);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法读取生成的文件");
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    content_disposition(resp, ascii, name);
    reply_response(r, MHD_HTTP_OK, resp);
}
