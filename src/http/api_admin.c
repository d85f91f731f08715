/* The API's administration reads: the accounts, the 学籍 list's schools a school account is made
 * for, and the settings (their changes are action rows, verb/rows_admin.c). */
#include "domain/department.h"
#include "domain/batch.h"
#include "domain/scope.h"
#include "domain/settings.h"
#include "domain/user.h"
#include "casework/wellbeing.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

struct user_list {
    struct store *store;
    json_t *items;
};

static int user_list_one(void *ctx, const struct user *u)
{
    struct user_list *l = ctx;
    json_t *o = user_json(u);
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    /* a school account by its school's name in the current 学籍 list */
    char name[256] = "";
    if (u->role == ROLE_SCHOOL && batch_school_name(l->store, u->school, name, sizeof(name)) < 0)
        return -1;
    json_object_set_new(o, "school_name", name[0] ? json_string(name) : json_null());
    /* issue 16: whether the admin granted it the mental-health ledger */
    struct scope sc = {.user_id = u->id, .role = u->role};
    int h = mental_holder(l->store, &sc);
    if (h < 0)
        return -1;
    json_object_set_new(o, "mental_health", json_boolean(h));
    json_array_append_new(l->items, o);
    return 0;
}

void schools_list_h(struct request *r)
{
    json_t *j = batch_schools(r->store);
    if (!j) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    reply_json(r, MHD_HTTP_OK, j);
}

void users_list_h(struct request *r)
{
    json_t *items = json_array();
    struct user_list l = {r->store, items};
    if (user_each(r->store, user_list_one, &l) != 0) {
        json_decref(items);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    /* the vocabulary of departments, for the account screen's picker */
    json_t *depts = json_array();
    for (unsigned i = 0; i < departments_count; i++) {
        const struct department *d = &departments[i];
        json_t *kinds = json_array();
        for (int k = 0; k < KIND__COUNT; k++)
            if (d->kinds & (1u << k))
                json_array_append_new(kinds, json_string(kind_label((enum import_kind)k)));
        json_array_append_new(depts, json_pack("{s:s, s:s, s:s, s:o}", "key", d->key, "name",
                                               d->name, "title", d->title, "kinds", kinds));
    }
    reply_json(r, MHD_HTTP_OK,
               json_pack("{s:I, s:o, s:o, s:i}", "total", (json_int_t)json_array_size(items),
                         "items", items, "departments", depts, "password_min", PASSWORD_MIN));
}

void settings_list_h(struct request *r)
{
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = settings_list(r->store, &t, &o);
    reply_table(r, rc, &t, &o);
}
