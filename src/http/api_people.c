/* The API's people registry: the list (adding and editing are action rows, verb/rows_people.c). */
#include "casework/people.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

void people_list_h(struct request *r)
{
    struct people_filter f = {0};
    const char *all;
    if (!arg_township(r, &f.township) || !arg_text(r, "all", 4, &all) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "人员名册（完整电话）", NULL)))
        return;
    f.all = all && !strcmp(all, "1");
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = people_list(r->store, &f, &t, &o);
    reply_table(r, rc, &t, &o);
}
