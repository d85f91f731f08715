/* The API's reads of photos and scanned receipts (casework/attach.h): a task's or case's list,
 * and one image, each download audited. The server has checked the caller's reach to the task
 * or case before these run (server.c); adding one is an action row (verb/rows_attach.c). */
#include "casework/attach.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

void attachments_h(struct request *r)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = attach_list(r->store, r->route->object, path_id(r), &o);
    reply_read(r, j, &o);
}

void attachment_h(struct request *r)
{
    char aid[24] = "", *end = aid;
    long long n = 0;
    if (route_param(&r->params, "aid", aid, sizeof(aid)))
        n = strtoll(aid, &end, 10);
    if (n <= 0 || *end || aid[0] < '0' || aid[0] > '9') {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这张照片");
        return;
    }
    struct buf bytes = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    char mime[32];
    if (attach_read(r->store, r->route->object, path_id(r), n, r->scope.user, &bytes, mime,
                    sizeof(mime), &o) < 0) {
        reply_outcome(r, &o);
        outcome_release(&o);
        buf_release(&bytes);
        return;
    }
    reply_photo(r, n, &bytes, mime);
}

void reply_photo(struct request *r, long long n, struct buf *bytes, const char *mime)
{
    size_t len;
    char *data = buf_detach(bytes, &len);
    struct MHD_Response *resp =
        data ? MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    char disp[96];
    snprintf(disp, sizeof(disp), "inline; filename=\"baoxue-photo-%lld.%s\"", n,
             strchr(mime, '/') ? strchr(mime, '/') + 1 : "bin");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
    /* an image of a child's home: kept in no cache, drawn as nothing but an image */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-store");
    MHD_add_response_header(resp, "Content-Security-Policy", "default-src 'none'; sandbox");
    reply_response(r, MHD_HTTP_OK, resp);
}
