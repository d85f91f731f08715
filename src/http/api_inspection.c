/* The API's reads of 督导检查 and 限期整改 (casework/inspection.h): the list, one inspection with
 * the findings and items the account reads, its 结果公告 as a PDF, and a photo of an item's
 * evidence (its download audited). Who reads what is the library's (inspection.h); changing
 * anything is an action row (verb/rows_inspection.c). */
#include <unistd.h>

#include "casework/attach.h"
#include "casework/inspection.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "render/table.h"
#include "util/common.h"

void inspections_h(struct request *r)
{
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = inspection_table(r->store, &r->scope, &t, &o);
    reply_table(r, rc, &t, &o);
}

void inspection_h(struct request *r)
{
    int64_t id = path_id(r);
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这次督导检查");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    json_t *j = inspection_json(r->store, &r->scope, id, &o);
    reply_read(r, j, &o);
}

void inspection_notice_h(struct request *r)
{
    int64_t id = path_id(r);
    char dir[512], path[600], name[128] = "";
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这次督导检查");
        return;
    }
    if (!scratch_dir(dir, sizeof(dir))) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
        return;
    }
    snprintf(path, sizeof(path), "%s/notice.pdf", dir);
    struct outcome o = OUTCOME_INIT;
    if (inspection_notice_pdf(r->store, &r->scope, id, path, name, sizeof(name), &o) < 0) {
        unlink(path);
        rmdir(dir);
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    char ascii[64];
    snprintf(ascii, sizeof(ascii), "baoxue-inspection-%lld.pdf", (long long)id);
    reply_file(r, dir, path, "application/pdf", ascii, name);
}

void rectification_h(struct request *r)
{
    int64_t id = path_id(r);
    struct outcome o = OUTCOME_INIT;
    int64_t iid = id > 0 ? rectify_inspection(r->store, &r->scope, id, &o) : 0;
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这项整改事项");
        return;
    }
    reply_read(r,
               iid ? json_pack("{s:I, s:I}", "id", (json_int_t)id, "inspection_id", (json_int_t)iid)
                   : NULL,
               &o);
}

void rectify_attachment_h(struct request *r)
{
    int64_t id = path_id(r);
    char aid[24] = "", *end = aid;
    long long n = 0;
    if (route_param(&r->params, "aid", aid, sizeof(aid)))
        n = strtoll(aid, &end, 10);
    if (id <= 0 || n <= 0 || *end || aid[0] < '0' || aid[0] > '9') {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这张照片");
        return;
    }
    struct buf bytes = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    char mime[32];
    if (rectify_reach(r->store, &r->scope, id, false, &o) < 0 ||
        attach_read(r->store, SCOPE_RECTIFY, id, n, r->scope.user, &bytes, mime, sizeof(mime), &o) <
            0) {
        reply_outcome(r, &o);
        outcome_release(&o);
        buf_release(&bytes);
        return;
    }
    reply_photo(r, n, &bytes, mime);
}
