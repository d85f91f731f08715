/* The reads of 联席会议 and 约谈 (issue 17, casework/meeting.h): the library narrows each to the
 * account (a department its own decisions, a township or a school its own interviews). */
#include "casework/meeting.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"

void meetings_h(struct request *r)
{
    struct meeting_filter f = {0};
    int64_t overdue;
    if (!arg_text(r, "department", 32, &f.department) || !arg_int(r, "overdue", 0, 1, &overdue))
        return;
    f.overdue = overdue != 0;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, meeting_list(r->store, &r->scope, &f, &o), &o);
}

void meeting_h(struct request *r)
{
    int64_t id = path_id(r);
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这次联席会议");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    reply_read(r, meeting_show(r->store, &r->scope, id, &o), &o);
}

void decisions_h(struct request *r)
{
    struct meeting_filter f = {0};
    int64_t overdue;
    if (!arg_text(r, "department", 32, &f.department) || !arg_int(r, "overdue", 0, 1, &overdue))
        return;
    f.overdue = overdue != 0;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, decision_list(r->store, &r->scope, &f, &o), &o);
}

void interviews_h(struct request *r)
{
    struct interview_filter f = {0};
    int64_t overdue;
    if (!arg_text(r, "township", 32, &f.township) || !arg_int(r, "overdue", 0, 1, &overdue))
        return;
    f.overdue = overdue != 0;
    struct outcome o = OUTCOME_INIT;
    reply_read(r, interview_list(r->store, &r->scope, &f, &o), &o);
}

void interview_h(struct request *r)
{
    int64_t id = path_id(r);
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这次约谈");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    reply_read(r, interview_show(r->store, &r->scope, id, &o), &o);
}
