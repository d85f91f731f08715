/* The API's view of one cross-check and its changes (domain/rundiff.h); the uploads, runs and
 * jobs themselves are http/jobs.c's, the county's decisions on an upload are action rows
 * (verb/rows_admin.c). */
#include "domain/rundiff.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

void run_get_h(struct request *r)
{
    int64_t rid = path_id(r);
    if (rid <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这次比对");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    json_t *j = run_diff(r->store, &r->scope, rid, &o);
    reply_read(r, j, &o);
}
