/* The API's sessions: signing in (with the lockout's Retry-After), the session, signing out. */
#include "domain/session.h"
#include "domain/user.h"
#include "casework/wellbeing.h"
#include "http/api.h"
#include "http/cookie.h"
#include "http/gate.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"

/* The wellbeing ledgers' screens (issue 16): the 疾病台帐 for the roles that read it, the
 * 心理健康台帐 for an account holding that permission (read from the store: granted per
 * account, not per role). */
static json_t *wellbeing_perms(struct store *s, const struct user *u, json_t *user)
{
    json_t *perms = json_object_get(user, "permissions");
    enum role r = u->role;
    if (r == ROLE_ADMIN || r == ROLE_COUNTY || r == ROLE_TOWNSHIP || r == ROLE_SCHOOL ||
        r == ROLE_SUPERVISOR)
        json_array_append_new(perms, json_string("illness_read"));
    struct scope sc = {.user_id = u->id, .role = u->role};
    if (mental_holder(s, &sc) == 1)
        json_array_append_new(perms, json_string("mental_health"));
    return user;
}

/* The answer of signing in and of GET /session: the account, its CSRF token, when it expires,
 * and on a province's server the county it is in. */
static json_t *session_answer(struct request *r, const struct user *u, const char *csrf,
                              int64_t expires_at)
{
    json_t *body = json_pack("{s:o, s:s, s:I}", "user", wellbeing_perms(r->store, u, user_json(u)),
                             "csrf_token", csrf, "expires_at", (json_int_t)expires_at);
    if (r->county[0])
        json_object_set_new(body, "county",
                            json_pack("{s:s, s:s}", "code", r->county, "name", r->county_name));
    return body;
}

void session_login_h(struct request *r)
{
    json_t *j = request_json(r);
    if (!j)
        return;
    const char *name = json_string_value(json_object_get(j, "username"));
    const char *pw = json_string_value(json_object_get(j, "password"));
    /* a province's server: the account is the county's the login page chose (none: the
     * province's and the cities' own accounts) */
    json_t *cj = json_object_get(j, "county");
    if (cj && !json_is_string(cj) && !json_is_null(cj)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "county",
                       "所在县（区）应为 6 位区划代码的文字，例如 \"140521\"");
        json_decref(j);
        return;
    }
    if (!request_use_county(r, json_string_value(cj))) {
        json_decref(j);
        return;
    }
    if (!name || !pw || !*name || !*pw || strlen(pw) > PASSWORD_MAX) {
        /* the field's name is read from the body: answer before it is freed */
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                       !name || !*name ? "username" : "password", "请提供用户名和密码");
        json_decref(j);
        return;
    }
    struct session s;
    int64_t retry = 0;
    /* a county's account on a province's server: the address's failures are counted in the
     * province's schema, for every county at once */
    struct store *addresses = r->county[0] ? request_home_store(r) : NULL;
    enum login_result lr = session_login_counted(r->store, addresses, name, pw, r->scope.origin,
                                                 r->ip, (int64_t)time(NULL), &s, &retry);
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
    char cookie[320], value[8 + TOKEN_HEX + 1];
    /* the county goes with the id: the next request's connection is chosen before its session
     * is read (http/counties.h) */
    snprintf(value, sizeof(value), "%s%s%s", r->county, r->county[0] ? "." : "", s.id);
    cookie_session(cookie, sizeof(cookie), value, SESSION_TTL, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK, session_answer(r, &s.user, s.csrf, s.expires_at));
}

void counties_get_h(struct request *r)
{
    reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "counties", request_counties(r)));
}

void session_get_h(struct request *r)
{
    reply_json(r, MHD_HTTP_OK,
               session_answer(r, &r->session.user, r->session.csrf, r->session.expires_at));
}

void session_logout_h(struct request *r)
{
    char cookie[256];
    if (r->sid[0] && session_logout(r->store, r->sid, r->scope.origin) < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    cookie_session(cookie, sizeof(cookie), "", 0, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "signed_out"));
}
