/* The server's one mapping of a library outcome to an HTTP answer (reply.h). */
#include "http/reply.h"

#include "http/request.h"
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
