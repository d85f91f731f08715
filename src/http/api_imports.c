/* The API's decisions on a department's upload (domain/batch.h) and one cross-check's changes
 * (domain/rundiff.h); the uploads, runs and jobs themselves are http/jobs.c's. */
#include "domain/batch.h"
#include "domain/rundiff.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

/* ---- a department's upload: the county accepts or rejects it (domain/batch.h) ---- */

void import_accept_h(struct request *r)
{
    static const char *const f[] = {"confirm_shrink"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc =
        batch_accept(r->store, path_id(r), v[0] && !strcmp(v[0], "是"), r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void import_reject_h(struct request *r)
{
    static const char *const f[] = {"reason"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = batch_reject(r->store, path_id(r), v[0], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

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
