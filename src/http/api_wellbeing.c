/* The wellbeing ledgers' reads (issue 16, casework/wellbeing.h): the 疾病台帐 of the account's
 * reach and one child's illnesses; the 心理健康台帐 and one child's entries, which answer only an
 * account holding the permission (the library refuses every other with the same 403, whatever
 * the child) and are audited. */
#include "casework/wellbeing.h"
#include "core/date.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"

void illness_list_h(struct request *r)
{
    struct illness_filter f = {0};
    const char *on;
    int64_t serious;
    if (!arg_text(r, "township", 32, &f.township) || !arg_text(r, "category", 32, &f.category) ||
        !arg_text(r, "open_on", 24, &on) || !arg_int(r, "serious", 0, 1, &serious) ||
        !arg_full(r, &f.full))
        return;
    if (on && *on && date_parse(on, strlen(on), &f.from) < 0) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "open_on",
                       "日期应写作 2026-11-20");
        return;
    }
    f.serious = serious != 0;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, illness_list(r->store, &r->scope, &f, &o), &o);
}

void child_illness_h(struct request *r)
{
    int64_t id = child_path_id(r);
    if (!id)
        return;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, illness_of_child(r->store, &r->scope, id, &o), &o);
}

void mental_list_h(struct request *r)
{
    struct mental_filter f = {0};
    int64_t due, open;
    if (!arg_int(r, "due", 0, 1, &due) || !arg_int(r, "open", 0, 1, &open))
        return;
    f.overdue = due != 0;
    f.open = open != 0;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, mental_list(r->store, &r->scope, &f, &o), &o);
}

void child_mental_h(struct request *r)
{
    int64_t id = child_path_id(r);
    if (!id)
        return;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, mental_of_child(r->store, &r->scope, id, NULL, &o), &o);
}
