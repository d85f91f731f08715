/* The API's people registry: list, add, edit. */
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
        (f.full && !audit_full(r, "people list full=1", NULL)))
        return;
    f.all = all && !strcmp(all, "1");
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = people_list(r->store, &f, &t, &o);
    reply_table(r, rc, &t, &o);
}

static const char *const person_fields[] = {"name", "phone", "org", "org_kind", "township", "role"};

void people_add_h(struct request *r)
{
    const char *v[ARRAY_SIZE(person_fields)];
    json_t *j = BODY(person_fields, v);
    if (!j)
        return;
    struct person_input in = {v[0], v[1], v[2], v[3], v[4], v[5]};
    struct outcome o = OUTCOME_INIT;
    int64_t id = 0;
    int rc = people_add(r->store, &in, r->scope.user, &id, &o);
    json_decref(j);
    if (rc < 0)
        reply_outcome(r, &o);
    else
        reply_json(r, MHD_HTTP_CREATED, json_pack("{s:I}", "id", (json_int_t)id));
    outcome_release(&o);
}

void people_edit_h(struct request *r)
{
    const char *v[ARRAY_SIZE(person_fields)];
    json_t *j = BODY(person_fields, v);
    if (!j)
        return;
    struct person_input in = {v[0], v[1], v[2], v[3], v[4], v[5]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = people_edit(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}
