/* The API's sessions: signing in (with the lockout's Retry-After), the session, signing out. */
#include "core/division.h"
#include "domain/department.h"
#include "domain/session.h"
#include "domain/user.h"
#include "http/api.h"
#include "http/cookie.h"
#include "http/gate.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

json_t *user_json(const struct user *u)
{
    json_t *perms = json_array();
    for (int p = PERM_SESSION; p < PERM__COUNT; p++)
        if (role_has(u->role, (enum perm)p))
            json_array_append_new(perms, json_string(perm_key((enum perm)p)));
    /* the township's name from the official division codes ("龙港镇"), for the UI to show */
    char county[7] = "";
    const struct township *t = NULL;
    if (strlen(u->township) == 9) {
        memcpy(county, u->township, 6);
        t = division_find_township(county, u->township);
    }
    /* a department's duty, from the vocabulary: what it may upload and read */
    const struct department *d = u->role == ROLE_DEPARTMENT ? department_find(u->department) : NULL;
    json_t *kinds = json_array();
    for (int k = 0; d && k < KIND__COUNT; k++)
        if (d->kinds & (1u << k))
            json_array_append_new(kinds, json_string(kind_key((enum import_kind)k)));
    if (d && (d->reads & DEPT_READS_REGISTRATION))
        json_array_append_new(perms, json_string("registration"));
    return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:o}", "name", u->name,
                     "role", role_key(u->role), "role_label", role_label(u->role), "township",
                     u->township[0] ? u->township : NULL, "township_name", t ? t->name : NULL,
                     "school", u->school[0] ? u->school : NULL, "department",
                     u->department[0] ? u->department : NULL, "department_label",
                     d                                              ? d->title
                     : u->role == ROLE_DEPARTMENT && *u->department ? u->department
                                                                    : NULL,
                     "upload_kinds", kinds, "permissions", perms);
}

void session_login_h(struct request *r)
{
    json_t *j = request_json(r);
    if (!j)
        return;
    const char *name = json_string_value(json_object_get(j, "username"));
    const char *pw = json_string_value(json_object_get(j, "password"));
    if (!name || !pw || !*name || !*pw || strlen(pw) > PASSWORD_MAX) {
        /* the field's name is read from the body: answer before it is freed */
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                       !name || !*name ? "username" : "password", "请提供用户名和密码");
        json_decref(j);
        return;
    }
    struct session s;
    int64_t retry = 0;
    enum login_result lr =
        session_login(r->store, name, pw, r->scope.origin, r->ip, (int64_t)time(NULL), &s, &retry);
    json_decref(j);
    if (lr == LOGIN_LOCKED) {
        char msg[160], ra[24];
        snprintf(msg, sizeof(msg),
                 "登录失败次数过多，暂时不能从您的地址登录此账号，请 %lld 秒后再试",
                 (long long)retry);
        snprintf(ra, sizeof(ra), "%lld", (long long)retry);
        json_t *body = json_pack("{s:{s:s, s:s}}", "error", "code", "locked", "message", msg);
        char *text = json_dumps(body, JSON_COMPACT);
        json_decref(body);
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
        reply_response(r, MHD_HTTP_TOO_MANY_REQUESTS, resp);
        return;
    }
    if (lr == LOGIN_BAD) {
        reply_error(r, MHD_HTTP_UNAUTHORIZED, "login_failed", "用户名或密码错误");
        return;
    }
    if (lr != LOGIN_OK) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    gate_known(r->conn); /* this address may use the connections kept for signed-in users */
    char cookie[256];
    cookie_session(cookie, sizeof(cookie), s.id, SESSION_TTL, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK,
               json_pack("{s:o, s:s, s:I}", "user", user_json(&s.user), "csrf_token", s.csrf,
                         "expires_at", (json_int_t)s.expires_at));
}

void session_get_h(struct request *r)
{
    reply_json(r, MHD_HTTP_OK,
               json_pack("{s:o, s:s, s:I}", "user", user_json(&r->session.user), "csrf_token",
                         r->session.csrf, "expires_at", (json_int_t)r->session.expires_at));
}

void session_logout_h(struct request *r)
{
    char sid[TOKEN_HEX + 1], cookie[256];
    if (cookie_get(request_header(r, MHD_HTTP_HEADER_COOKIE), SESSION_COOKIE, sid, sizeof(sid)) &&
        session_logout(r->store, sid, r->scope.origin) < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    cookie_session(cookie, sizeof(cookie), "", 0, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "signed_out"));
}
