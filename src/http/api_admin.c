/* The API's administration: accounts (add, disable, password, department) and settings. */
#include "domain/department.h"
#include "domain/batch.h"
#include "domain/scope.h"
#include "domain/settings.h"
#include "domain/user.h"
#include "http/api.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

/* ---- accounts (admin) ---- */

static int user_list_one(void *ctx, const struct user *u)
{
    json_t *o = user_json(u);
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_array_append_new(ctx, o);
    return 0;
}

void users_list_h(struct request *r)
{
    json_t *items = json_array();
    if (user_each(r->store, user_list_one, items) < 0) {
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

void user_add_h(struct request *r)
{
    static const char *const f[] = {"username", "role",       "township",
                                    "school",   "department", "password"};
    const char *v[6];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct user u = {0};
    int role = v[1] ? role_parse(v[1]) : -1;
    struct outcome o = OUTCOME_INIT;
    if (!v[0] || !user_name_valid(v[0])) {
        failed_at(&o, OUT_INVALID, "username", "用户名无效：1–64 个字母、数字或 . _ -，不含空格");
    } else if (role < 0) {
        struct buf roles = BUF_INIT;
        for (int i = 0; i < ROLE__COUNT; i++)
            buf_addf(&roles, "%s%s", i ? "、" : "", role_label((enum role)i));
        failed_at(&o, OUT_INVALID, "role", "角色无效，应为：%s", roles.buf);
        buf_release(&roles);
    } else if (!v[5]) {
        failed_at(&o, OUT_INVALID, "password", "请提供初始密码");
    } else if ((v[2] && strlen(v[2]) >= sizeof(u.township)) ||
               (v[3] && strlen(v[3]) >= sizeof(u.school)) ||
               (v[4] && strlen(v[4]) >= sizeof(u.department))) {
        failed_at(&o, OUT_INVALID,
                  v[2] && strlen(v[2]) >= sizeof(u.township) ? "township"
                  : v[3] && strlen(v[3]) >= sizeof(u.school) ? "school"
                                                             : "department",
                  "乡镇代码、学校标识码或部门名称过长");
    }
    if (o.kind != OUT_OK) {
        json_decref(j);
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    snprintf(u.name, sizeof(u.name), "%s", v[0]);
    u.role = (enum role)role;
    snprintf(u.township, sizeof(u.township), "%s", v[2] ? v[2] : "");
    snprintf(u.school, sizeof(u.school), "%s", v[3] ? v[3] : "");
    snprintf(u.department, sizeof(u.department), "%s", v[4] ? v[4] : "");
    int rc = user_add(r->store, &u, v[5], r->scope.user, NULL, &o);
    json_decref(j);
    if (rc < 0) {
        reply_outcome(r, &o);
    } else {
        user_get(r->store, u.name, &u); /* as stored: the department by its key */
        json_t *uj = user_json(&u);
        json_object_set_new(uj, "disabled", json_false());
        reply_json(r, MHD_HTTP_CREATED, uj);
    }
    outcome_release(&o);
}

/* The {name} of the path naming an existing account; false after replying 404/500. */
static bool path_user(struct request *r, struct user *u)
{
    char name[sizeof(u->name)] = "";
    int rc = route_param(&r->params, "name", name, sizeof(name)) ? user_get(r->store, name, u) : 0;
    if (rc < 0)
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
    else if (rc == 0)
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个用户");
    return rc == 1;
}

void user_disable_h(struct request *r)
{
    struct user u;
    if (!path_user(r, &u))
        return;
    json_t *j = request_json(r);
    if (!j)
        return;
    json_t *d = json_object_get(j, "disabled");
    if (!json_is_boolean(d) || json_object_size(j) != 1) {
        json_decref(j);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "disabled",
                       "请说明停用还是启用此账号（是或否）");
        return;
    }
    bool disable = json_is_true(d);
    json_decref(j);
    if (disable && !strcmp(u.name, r->scope.user)) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "不能停用自己正在使用的账号");
        return;
    }
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = user_set_disabled(r->store, u.name, disable, r->scope.user, NULL, &o);
    if (rc == 0)
        buf_addf(&msg, "已%s用户“%s”%s", disable ? "停用" : "启用", u.name,
                 disable ? "，其登录会话已全部结束" : "");
    reply_done(r, rc, &msg, &o);
}

void user_password_h(struct request *r)
{
    struct user u;
    if (!path_user(r, &u))
        return;
    static const char *const f[] = {"password"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = v[0] ? user_set_password(r->store, u.name, v[0], r->scope.user, NULL, &o)
                  : failed_at(&o, OUT_INVALID, "password", "请提供新密码");
    json_decref(j);
    if (rc == 0)
        buf_addf(&msg, "已重设用户“%s”的密码，其登录会话已全部结束", u.name);
    reply_done(r, rc, &msg, &o);
}

void user_department_h(struct request *r)
{
    struct user u;
    if (!path_user(r, &u))
        return;
    static const char *const f[] = {"department"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = v[0] ? user_set_department(r->store, u.name, v[0], r->scope.user, NULL, &o)
                  : failed_at(&o, OUT_INVALID, "department", "请选择部门");
    if (rc == 0)
        buf_addf(&msg, "已为账号“%s”指定部门：%s，其登录会话已全部结束", u.name,
                 department_parse(v[0])->title);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

void settings_list_h(struct request *r)
{
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = settings_list(r->store, &t, &o);
    reply_table(r, rc, &t, &o);
}

void setting_put_h(struct request *r)
{
    char key[64] = "";
    if (!route_param(&r->params, "key", key, sizeof(key)) || !setting_find(key)) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个设置项");
        return;
    }
    static const char *const f[] = {"value"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    /* "value": null sets the default again */
    int rc = settings_set(r->store, key, v[0], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}
