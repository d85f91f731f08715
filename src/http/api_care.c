/* GET /api/v1/children/{id}/care: a left-behind child's guardian, parents' work places and
 * care contacts (casework/care.c decides who reads the contact, and audits it). */
#include "casework/care.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"

void child_care_h(struct request *r)
{
    int64_t id = child_path_id(r);
    if (!id)
        return;
    bool full = false;
    if (!arg_full(r, &full))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = care_get(r->store, &r->scope, id, full, &o);
    reply_read(r, j, &o);
}
