/* The API's children: the list and its filters, one child's record, links and casework. */
#include "casework/childfile.h"
#include "domain/children.h"
#include "domain/explain.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "store/audit.h"
#include "util/common.h"

void children_h(struct request *r)
{
    struct child_query cq;
    if (!child_query_args(r, &cq))
        return;
    struct outcome o = OUTCOME_INIT;
    struct buf out = BUF_INIT;
    if (children_list(r->store, &r->scope, &cq, &out, &o) == 0)
        reply_json_text(r, MHD_HTTP_OK, &out);
    else
        reply_outcome(r, &o);
    buf_release(&out);
    outcome_release(&o);
}

void children_filters_h(struct request *r)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = children_filters(r->store, &r->scope, &o);
    reply_read(r, j, &o);
}

void child_h(struct request *r)
{
    int64_t rid = path_id(r);
    if (rid <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这名儿童，或不在您的管辖范围内");
        return;
    }
    const char *full = request_arg(r, "full");
    struct outcome o = OUTCOME_INIT;
    json_t *j = child_get(r->store, &r->scope, rid, full && !strcmp(full, "1"), &o);
    reply_read(r, j, &o);
}

void child_links_h(struct request *r)
{
    bool full;
    int64_t id = child_path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_RECORD, id);
    if (!id || !arg_full(r, &full) || (full && !audit_full(r, "比对过程（完整身份证号）", target)))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = explain_record(r->store, id, full, &o);
    reply_read(r, j, &o);
}

void child_casework_h(struct request *r)
{
    int64_t id = child_path_id(r);
    if (!id)
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = child_casework(r->store, &r->scope, id, &o);
    reply_read(r, j, &o);
}
