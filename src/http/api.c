/* The API: the routes table and thin handlers (parse, call one domain function, render). */
#include <errno.h>

#include "domain/audit.h"
#include "domain/children.h"
#include "domain/review.h"
#include "domain/status.h"
#include "http/cookie.h"
#include "http/request.h"
#include "report/reports.h"
#include "util/common.h"

static void healthz(struct request *r)
{
    reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

static void openapi(struct request *r)
{
    const char *doc = openapi_document();
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(doc), (void *)doc, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    reply_response(r, MHD_HTTP_OK, resp);
}

static json_t *user_json(const struct user *u)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?}", "name", u->name, "role",
                     role_key(u->role), "role_label", role_label(u->role), "township",
                     u->township[0] ? u->township : NULL, "school", u->school[0] ? u->school : NULL,
                     "department", u->department[0] ? u->department : NULL);
}

static void session_login_h(struct request *r)
{
    json_t *j = request_json(r);
    if (!j)
        return;
    const char *name = json_string_value(json_object_get(j, "username"));
    const char *pw = json_string_value(json_object_get(j, "password"));
    if (!name || !pw || !*name || !*pw || strlen(pw) > PASSWORD_MAX) {
        json_decref(j);
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "请提供用户名（username）和密码（password）");
        return;
    }
    struct session s;
    int64_t retry = 0;
    enum login_result lr =
        session_login(r->store, name, pw, r->ip, (int64_t)time(NULL), &s, &retry);
    json_decref(j);
    if (lr == LOGIN_LOCKED) {
        char msg[160], ra[24];
        snprintf(msg, sizeof(msg), "登录失败次数过多，账号已暂时锁定，请 %lld 秒后再试",
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
    char cookie[256];
    cookie_session(cookie, sizeof(cookie), s.id, SESSION_TTL, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK,
               json_pack("{s:o, s:s, s:I}", "user", user_json(&s.user), "csrf_token", s.csrf,
                         "expires_at", (json_int_t)s.expires_at));
}

static void session_get_h(struct request *r)
{
    reply_json(r, MHD_HTTP_OK,
               json_pack("{s:o, s:s, s:I}", "user", user_json(&r->session.user), "csrf_token",
                         r->session.csrf, "expires_at", (json_int_t)r->session.expires_at));
}

static void session_logout_h(struct request *r)
{
    char sid[TOKEN_HEX + 1], cookie[256];
    if (cookie_get(request_header(r, MHD_HTTP_HEADER_COOKIE), SESSION_COOKIE, sid, sizeof(sid)) &&
        session_logout(r->store, sid, r->ip) < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    cookie_session(cookie, sizeof(cookie), "", 0, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "signed_out"));
}

/* Map a domain outcome to the HTTP answer. */
static void reply_outcome(struct request *r, enum outcome o, const char *msg)
{
    switch (o) {
    case OUT_NOT_FOUND:
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", msg);
        break;
    case OUT_NO_RUN:
        reply_error(r, MHD_HTTP_NOT_FOUND, "no_run", msg);
        break;
    case OUT_FORBIDDEN:
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", msg);
        break;
    case OUT_INVALID:
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", msg);
        break;
    default:
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
    }
}

/* A positive integer query argument (dflt when absent); false after replying 400. */
static bool arg_int(struct request *r, const char *name, int64_t dflt, int64_t max, int64_t *out)
{
    const char *v = request_arg(r, name);
    if (!v) {
        *out = dflt;
        return true;
    }
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || !*v || *end || n < 1 || n > max) {
        char msg[160];
        snprintf(msg, sizeof(msg), "参数 %s 应为 1 到 %lld 之间的整数", name, (long long)max);
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", msg);
        return false;
    }
    *out = n;
    return true;
}

/* Empty or absent filters mean "any"; over-long ones are refused. */
static bool arg_text(struct request *r, const char *name, size_t max, const char **out)
{
    const char *v = request_arg(r, name);
    *out = v && *v ? v : NULL;
    if (*out && strlen(*out) > max) {
        char msg[160];
        snprintf(msg, sizeof(msg), "参数 %s 过长（至多 %zu 字节）", name, max);
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", msg);
        return false;
    }
    return true;
}

static void summary_h(struct request *r)
{
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *township = NULL, *school = NULL;
    if (!arg_text(r, "township", 32, &township))
        return;
    /* the scope narrows the township; a school account has no summary (PERM_SUMMARY) */
    if (!scope_filter(&r->scope, &township, &school)) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个乡镇，或不在您的管辖范围内");
        return;
    }
    ro.township = township;
    struct report_table t;
    struct buf err = BUF_INIT;
    int code;
    if (report_summary(r->store, &ro, &t, &err, &code) < 0) {
        reply_outcome(r, code == EXIT_INPUT ? OUT_NO_RUN : OUT_ERROR, err.buf);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(&t));
        table_release(&t);
    }
    buf_release(&err);
}

static void children_h(struct request *r)
{
    struct child_query cq = {.status = -1};
    const char *status;
    if (!arg_text(r, "township", 32, &cq.township) || !arg_text(r, "status", 32, &status) ||
        !arg_text(r, "q", 128, &cq.q) || !arg_int(r, "page", 1, 1000000, &cq.page) ||
        !arg_int(r, "per_page", 50, CHILDREN_PER_PAGE_MAX, &cq.per_page))
        return;
    if (status && strcmp(status, "all") && (cq.status = status_parse(status)) < 0) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "参数 status 不是已知的状态（如 not_enrolled、dropped_out、enrolled、all）");
        return;
    }
    enum outcome o;
    struct buf err = BUF_INIT;
    json_t *j = children_list(r->store, &r->scope, &cq, &o, &err);
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_outcome(r, o, err.buf);
    buf_release(&err);
}

static void child_h(struct request *r)
{
    char id[24] = "";
    char *end = id;
    long long rid = 0;
    if (route_param(&r->params, "id", id, sizeof(id)))
        rid = strtoll(id, &end, 10);
    if (rid <= 0 || *end) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这名儿童，或不在您的管辖范围内");
        return;
    }
    const char *full = request_arg(r, "full");
    enum outcome o;
    struct buf err = BUF_INIT;
    json_t *j = child_get(r->store, &r->scope, rid, full && !strcmp(full, "1"), &o, &err);
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_outcome(r, o, err.buf);
    buf_release(&err);
}

static void review_h(struct request *r)
{
    struct report_table t;
    struct buf err = BUF_INIT;
    int code;
    /* the queue is county-wide clerical work: masked over the API */
    if (review_list(r->store, false, false, &t, &err, &code) < 0) {
        reply_outcome(r, code == EXIT_INPUT ? OUT_NO_RUN : OUT_ERROR, err.buf);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(&t));
        table_release(&t);
    }
    buf_release(&err);
}

static void audit_h(struct request *r)
{
    struct audit_query q;
    if (!arg_text(r, "actor", 64, &q.actor) || !arg_text(r, "action", 32, &q.action) ||
        !arg_text(r, "target", 64, &q.target) || !arg_text(r, "since", 32, &q.since) ||
        !arg_text(r, "until", 32, &q.until) || !arg_int(r, "page", 1, 1000000, &q.page) ||
        !arg_int(r, "per_page", 50, 500, &q.per_page))
        return;
    json_t *j = audit_list(r->store, &q);
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_outcome(r, OUT_ERROR, "");
}

const struct route api_routes[] = {
    {"GET", "/healthz", healthz, PERM_PUBLIC, "服务是否正常（无需登录）"},
    {"GET", "/api/v1/openapi.json", openapi, PERM_PUBLIC, "本接口的 OpenAPI 3 描述"},
    {"POST", "/api/v1/session", session_login_h, PERM_PUBLIC, "登录"},
    {"GET", "/api/v1/session", session_get_h, PERM_SESSION, "当前登录的用户和 CSRF 令牌"},
    {"DELETE", "/api/v1/session", session_logout_h, PERM_SESSION, "退出登录"},
    {"GET", "/api/v1/summary", summary_h, PERM_SUMMARY, "各乡镇各状态人数汇总"},
    {"GET", "/api/v1/children", children_h, PERM_CHILDREN, "儿童名单（分页、筛选）"},
    {"GET", "/api/v1/children/{id}", child_h, PERM_CHILDREN, "一名儿童的完整记录"},
    {"GET", "/api/v1/review", review_h, PERM_REVIEW, "人工复核队列"},
    {"GET", "/api/v1/audit", audit_h, PERM_AUDIT, "审计日志（仅管理员）"},
    /* background jobs (http/jobs.c) */
    {"POST", "/api/v1/imports", imports_post_h, PERM_IMPORT, "上传并导入一个文件（后台任务）"},
    {"GET", "/api/v1/imports", imports_get_h, PERM_IMPORT, "已导入的批次"},
    {"POST", "/api/v1/runs", runs_post_h, PERM_IMPORT, "开始一次比对（后台任务）"},
    {"GET", "/api/v1/runs", runs_get_h, PERM_IMPORT, "历次比对及各状态人数"},
    {"GET", "/api/v1/jobs", jobs_get_h, PERM_SESSION, "最近的后台任务"},
    {"GET", "/api/v1/jobs/{id}", job_get_h, PERM_SESSION, "一个后台任务的状态和进度"},
};
const size_t api_routes_count = ARRAY_SIZE(api_routes);
