/* The API's review queue: the pairs, one pair side by side, the decision. */
#include "domain/review.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "render/table.h"
#include "store/audit.h"
#include "util/common.h"

void review_h(struct request *r)
{
    const char *all;
    if (!arg_text(r, "all", 4, &all))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    /* the queue is county-wide clerical work: masked over the API; all=1 adds the pairs already
     * decided, so a reviewer sees how far through the queue they are */
    if (review_list(r->store, all && !strcmp(all, "1"), false, &t, &o) < 0) {
        reply_outcome(r, &o);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(&t));
        table_release(&t);
    }
    outcome_release(&o);
}

/* ---- the review queue, one pair at a time ---- */

void review_get_h(struct request *r)
{
    bool full;
    int64_t id = path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CANDIDATE, id);
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个候选记录对");
        return;
    }
    if (!arg_full(r, &full) || (full && !audit_full(r, "人工复核记录对（完整身份证号）", target)))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = review_get(r->store, id, full, &o);
    reply_read(r, j, &o);
}
