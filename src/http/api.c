/* The API: the routes table and thin handlers (parse, call one domain function, render). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "casework/case.h"
#include "casework/childfile.h"
#include "casework/detail.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/words.h"
#include "core/division.h"
#include "store/audit.h"
#include "store/store.h"
#include "domain/batch.h"
#include "domain/settings.h"
#include "domain/children.h"
#include "domain/dashboard.h"
#include "domain/department.h"
#include "domain/explain.h"
#include "domain/rundiff.h"
#include "domain/review.h"
#include "domain/status.h"
#include "domain/user.h"
#include "http/cookie.h"
#include "http/gate.h"
#include "http/parse.h"
#include "http/reply.h"
#include "http/request.h"
#include "report/catalog.h"
#include "report/reports.h"
#include "util/common.h"
#include "verb/vocab.h"

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

/* The vocabularies (verb/vocab.h): the same bytes until the binary changes, so a browser keeps
 * them and asks again with If-None-Match, answered 304. */
static void vocab_h(struct request *r)
{
    size_t len;
    const char *etag, *doc = vocab_document(&len, &etag);
    const char *inm = request_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool same = inm && strstr(inm, etag);
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        same ? 0 : len, same ? (void *)"" : (void *)doc, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "private, no-cache");
    if (!same)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
    reply_response(r, same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, resp);
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
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                       !name || !*name ? "username" : "password", "请提供用户名和密码");
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
        session_logout(r->store, sid, r->scope.origin) < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    cookie_session(cookie, sizeof(cookie), "", 0, r->cfg->secure_cookie);
    r->set_cookie = arena_strdup(&r->arena, cookie);
    reply_json(r, MHD_HTTP_OK, json_pack("{s:s}", "status", "signed_out"));
}

/* The {id} of the path, 0 unless it is all digits (for the casework routes the server has
 * already checked it names an object in the scope). */
static int64_t path_id(struct request *r)
{
    char id[24] = "", *end = id;
    long long v = 0;
    if (route_param(&r->params, "id", id, sizeof(id)) && id[0] >= '0' && id[0] <= '9')
        v = strtoll(id, &end, 10);
    return *end || v < 0 ? 0 : v;
}

/* A query argument as a person knows it, for the messages that refuse it. */
static const char *arg_label(const char *name)
{
    static const struct {
        const char *name, *label;
    } labels[] = {
        {"page", "页码"},       {"per_page", "每页条数"},  {"township", "乡镇"},
        {"status", "状态"},     {"village", "村（社区）"}, {"school", "学校"},
        {"sort", "排序方式"},   {"q", "搜索内容"},         {"stage", "核查和案件进度"},
        {"reason", "失学原因"}, {"overdue", "是否逾期"},   {"actor", "操作人"},
        {"action", "操作"},     {"target", "对象"},        {"since", "开始时间"},
        {"until", "截止时间"},  {"all", "是否全部"},       {"full", "完整信息"},
        {"format", "文件格式"}, {"state", "状态"},         {"person", "责任人"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
        if (!strcmp(labels[i].name, name))
            return labels[i].label;
    return "查询条件";
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
        snprintf(msg, sizeof(msg), "%s应为 1 到 %lld 之间的整数", arg_label(name), (long long)max);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", name, msg);
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
        snprintf(msg, sizeof(msg), "%s过长（至多 %zu 字节）", arg_label(name), max);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", name, msg);
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
    struct outcome o = OUTCOME_INIT;
    if (report_summary(r->store, &ro, &t, &o) < 0) {
        reply_outcome(r, &o);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(&t));
        table_release(&t);
    }
    outcome_release(&o);
}

/* The children list's query (GET /children and the children-list download); false after
 * replying 400. */
static bool child_query_args(struct request *r, struct child_query *cq)
{
    const char *status, *overdue;
    *cq = (struct child_query){.status = -1};
    if (!arg_text(r, "township", 32, &cq->township) || !arg_text(r, "status", 32, &status) ||
        !arg_text(r, "village", 128, &cq->village) || !arg_text(r, "school", 32, &cq->school) ||
        !arg_text(r, "sort", 32, &cq->sort) || !arg_text(r, "q", 128, &cq->q) ||
        !arg_text(r, "stage", 32, &cq->stage) || !arg_text(r, "reason", 32, &cq->reason) ||
        !arg_text(r, "overdue", 4, &overdue) || !arg_int(r, "page", 1, 1000000, &cq->page) ||
        !arg_int(r, "per_page", 50, CHILDREN_PER_PAGE_MAX, &cq->per_page))
        return false;
    cq->overdue = overdue && !strcmp(overdue, "1");
    if (cq->stage && !vocab_find(&casework_stages, cq->stage)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "stage",
                       "核查和案件进度的筛选无效，应为待核查、外联保学、核查已办结、劝返中、"
                       "巩固回访中或已销号");
        return false;
    }
    int reason = cq->reason ? vocab_parse(&case_reasons, cq->reason) : 0;
    if (reason < 0) {
        struct buf m = BUF_INIT;
        vocab_error(&case_reasons, cq->reason, &m);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "reason", m.buf);
        buf_release(&m);
        return false;
    }
    if (cq->reason)
        cq->reason = case_reasons.words[reason].key;
    if (status && !strcmp(status, "school_age"))
        cq->status = CHILD_SET_SCHOOL_AGE;
    else if (status && !strcmp(status, "suspected"))
        cq->status = CHILD_SET_SUSPECTED;
    else if (status && strcmp(status, "all") && (cq->status = status_parse(status)) < 0) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "status",
                       "要列出的儿童状态无效");
        return false;
    }
    return true;
}

static void children_h(struct request *r)
{
    struct child_query cq;
    if (!child_query_args(r, &cq))
        return;
    struct outcome o = OUTCOME_INIT;
    struct buf out = BUF_INIT;
    if (children_list(r->store, &r->scope, &cq, &out, &o) == 0)
        reply_json_text(r, MHD_HTTP_OK, &out);
    else
        reply_outcome(r, &o);
    buf_release(&out);
    outcome_release(&o);
}

static void children_filters_h(struct request *r)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = children_filters(r->store, &r->scope, &o);
    reply_read(r, j, &o);
}

static void child_h(struct request *r)
{
    int64_t rid = path_id(r);
    if (rid <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这名儿童，或不在您的管辖范围内");
        return;
    }
    const char *full = request_arg(r, "full");
    struct outcome o = OUTCOME_INIT;
    json_t *j = child_get(r->store, &r->scope, rid, full && !strcmp(full, "1"), &o);
    reply_read(r, j, &o);
}

static void dashboard_h(struct request *r)
{
    const char *township;
    if (!arg_text(r, "township", 32, &township))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = dashboard_get(r->store, &r->scope, township, &o);
    reply_read(r, j, &o);
}

static void run_get_h(struct request *r)
{
    int64_t rid = path_id(r);
    if (rid <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这次比对");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    json_t *j = run_diff(r->store, &r->scope, rid, &o);
    reply_read(r, j, &o);
}

static void review_h(struct request *r)
{
    const char *all;
    if (!arg_text(r, "all", 4, &all))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    /* the queue is county-wide clerical work: masked over the API; all=1 adds the pairs already
     * decided, so a reviewer sees how far through the queue they are */
    if (review_list(r->store, all && !strcmp(all, "1"), false, &t, &o) < 0) {
        reply_outcome(r, &o);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(&t));
        table_release(&t);
    }
    outcome_release(&o);
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
    /* the head of the chain, for an administrator to note outside the database */
    int64_t seq;
    char hash[65];
    if (j && audit_head(r->store, &seq, hash) == 0)
        json_object_set_new(j, "head",
                            json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "hash", hash));
    struct outcome o = OUTCOME_INIT;
    if (!j)
        fail_store(r->store, &o);
    reply_read(r, j, &o);
}

/* ---- casework, people, reports, settings: thin handlers over the library (issue 5) ---- */

/* full=1: the role must be allowed (403 otherwise); the read is audited by the caller. */
static bool arg_full(struct request *r, bool *full)
{
    const char *v = request_arg(r, "full");
    *full = v && !strcmp(v, "1");
    if (*full && !role_has(r->scope.role, PERM_FULL_ID)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "您的账号无权查看完整身份证号和电话");
        return false;
    }
    return true;
}

/* The scope's township filter (as summary_h); false after replying 404. */
static bool arg_township(struct request *r, const char **township)
{
    const char *school = NULL;
    if (!arg_text(r, "township", 32, township))
        return false;
    if (!scope_filter(&r->scope, township, &school) || school) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个乡镇，或不在您的管辖范围内");
        return false;
    }
    if (r->scope.role == ROLE_TOWNSHIP && !**township) {
        /* an account without its township sees nothing rather than the county */
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "您的账号没有设置乡镇");
        return false;
    }
    if (*township && !**township)
        *township = NULL;
    return true;
}

/*
 * The reach of a list of tasks or cases (domain/scope.h): a county-wide scope filters by the
 * township asked for, a township scope by its own (arg_township), a school scope by the ties
 * of the objects to its school. False after replying 403 (no such objects for this account)
 * or 404.
 */
static bool arg_reach(struct request *r, enum scope_object what, const char **township,
                      unsigned *ties, const char **school, const char **school_name)
{
    bool all;
    const char *own;
    *school = *school_name = NULL;
    if (!scope_list_reach(&r->scope, what, &all, &own, ties)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden",
                    what == SCOPE_TASK ? "您的账号无权查看核查任务" : "您的账号无权查看案件");
        return false;
    }
    if (own)
        return arg_township(r, township);
    if ((*ties & TIES_SCHOOL) && !request_school_name(r))
        return false;
    if (*ties & TIES_SCHOOL) {
        *school = r->scope.school;
        *school_name = r->scope.school_name;
    }
    return arg_text(r, "township", 32, township);
}

/* A full read is audited before anything is shown; false after replying 500. */
static bool audit_full(struct request *r, const char *what, const char *target)
{
    if (audit_record(r->store, r->scope.user, r->scope.origin, "read_full", target, what) < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法记录审计日志，已停止");
        return false;
    }
    return true;
}

/* A library list's answer: the table as JSON, or the outcome's. */
static void reply_table(struct request *r, int rc, struct report_table *t, struct outcome *o)
{
    if (rc < 0) {
        reply_outcome(r, o);
    } else {
        reply_json(r, MHD_HTTP_OK, table_to_json(t));
        table_release(t);
    }
    outcome_release(o);
}

/* page / per_page of a casework list (0: not asked, the whole list as before); false after
 * replying 400. */
struct paging {
    int64_t page, per_page;
};
static bool arg_paging(struct request *r, struct paging *pg)
{
    bool asked = request_arg(r, "page") || request_arg(r, "per_page");
    if (!arg_int(r, "page", 1, 1000000, &pg->page) ||
        !arg_int(r, "per_page", 50, 500, &pg->per_page))
        return false;
    if (!asked)
        pg->page = pg->per_page = 0;
    return true;
}

/* A casework list, one page of it when asked: the rows of that page, "total", "page",
 * "per_page". The library builds the whole list (a county's open work, not its children). */
static void reply_table_paged(struct request *r, int rc, struct report_table *t, struct outcome *o,
                              const struct paging *pg)
{
    if (rc < 0 || !pg->per_page) {
        reply_table(r, rc, t, o);
        return;
    }
    json_t *j = table_to_json(t);
    json_t *all = json_object_get(j, t->array_key);
    json_t *part = json_array();
    size_t from = (size_t)((pg->page - 1) * pg->per_page), n = json_array_size(all);
    for (size_t i = from; i < n && i < from + (size_t)pg->per_page; i++)
        json_array_append(part, json_array_get(all, i));
    json_object_set_new(j, "total", json_integer((json_int_t)n));
    json_object_set_new(j, "page", json_integer(pg->page));
    json_object_set_new(j, "per_page", json_integer(pg->per_page));
    json_object_set_new(j, t->array_key, part);
    reply_json(r, MHD_HTTP_OK, j);
    table_release(t);
    outcome_release(o);
}

/*
 * The body's fields named in `names` into out[] (NULL when absent or null); strings as given,
 * integers as decimal text, true/false as 是/否. Unknown fields and other types are refused.
 * The body (owner of the strings) is returned; NULL after replying 400.
 */
static json_t *body_fields(struct request *r, const char *const *names, size_t n, const char **out)
{
    enum body_error e;
    char why[200], field[72];
    json_t *j = body_fields_parse(r->body.buf, r->body.len, names, n, out, &r->arena, &e, why,
                                  sizeof(why), field, sizeof(field));
    if (!j && e == BODY_NOT_JSON)
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_json",
                    "请求内容不是有效的 JSON 对象，请检查格式（UTF-8 编码）");
    else if (!j)
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", field, why);
    return j;
}
#define BODY(names, vals) body_fields(r, names, ARRAY_SIZE(names), vals)

/* The {id} of /children/{id}/…: a child of the latest run within the scope (404 otherwise,
 * as GET /children/{id}); 0 after replying. */
static int64_t child_path_id(struct request *r)
{
    int64_t rid = path_id(r);
    if (rid <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这名儿童，或不在您的管辖范围内");
        return 0;
    }
    struct outcome o = OUTCOME_INIT;
    bool ok = child_reach(r->store, &r->scope, rid, &o);
    if (!ok)
        reply_outcome(r, &o);
    outcome_release(&o);
    return ok ? rid : 0;
}

static void child_links_h(struct request *r)
{
    bool full;
    int64_t id = child_path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_RECORD, id);
    if (!id || !arg_full(r, &full) || (full && !audit_full(r, "child links full=1", target)))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = explain_record(r->store, id, full, &o);
    reply_read(r, j, &o);
}

static void child_casework_h(struct request *r)
{
    int64_t id = child_path_id(r);
    if (!id)
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = child_casework(r->store, id, &o);
    reply_read(r, j, &o);
}

static void verify_list_h(struct request *r)
{
    struct verify_filter f = {0};
    struct paging pg;
    if (!arg_reach(r, SCOPE_TASK, &f.township, &f.school_ties, &f.school, &f.school_name) ||
        !arg_text(r, "state", 16, &f.state) || !arg_paging(r, &pg) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "verify list full=1", NULL)))
        return;
    /* a department reads outcomes, which are closed tasks */
    if (!f.state && !scope_reads_story(&r->scope))
        f.state = "all";
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = verify_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

/* {id, text, …the fields of `detail`} (the CLI's text and the screens' fields, one read). */
static void show_reply(struct request *r, int rc, int64_t id, struct buf *out, struct outcome *o,
                       json_t *detail)
{
    if (rc < 0) {
        reply_outcome(r, o);
    } else if (!detail) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
    } else {
        json_t *j = json_pack("{s:I, s:s%}", "id", (json_int_t)id, "text", out->buf, out->len);
        json_object_update_missing(j, detail);
        reply_json(r, MHD_HTTP_OK, j);
    }
    json_decref(detail);
    buf_release(out);
    outcome_release(o);
}

/* One task or case: the CLI's text and the screens' fields, with an audited full=1. */
static void show_object(struct request *r, enum audit_object kind, const char *audit_what,
                        int (*show)(struct store *, int64_t, bool, struct buf *, struct outcome *),
                        json_t *(*detail)(struct store *, int64_t, bool, bool *))
{
    bool full, found;
    int64_t id = path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, kind, id);
    if (!arg_full(r, &full) || (full && !audit_full(r, audit_what, target)))
        return;
    struct buf out = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = show(r->store, id, full, &out, &o);
    show_reply(r, rc, id, &out, &o, rc < 0 ? NULL : detail(r->store, id, full, &found));
}

/*
 * A task as a department reads it (scope_reads_story false): the child, masked, and the
 * outcome its duty needs, without who was assigned, the timeline or the CLI's whole text.
 */
static void verify_outcome_only(struct request *r)
{
    bool full, found;
    int64_t id = path_id(r);
    if (!arg_full(r, &full))
        return;
    json_t *j = verify_detail(r->store, id, false, &found);
    if (!j) {
        struct outcome o = OUTCOME_INIT;
        if (found)
            fail_store(r->store, &o);
        else
            failed(&o, OUT_NOT_FOUND, "没有这个核查任务");
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    static const char *const story[] = {"assignees",   "timeline",   "choices",  "case_id",
                                        "flagged_run", "can_record", "deadline", "open"};
    for (size_t i = 0; i < ARRAY_SIZE(story); i++)
        json_object_del(j, story[i]);
    json_t *c = json_object_get(j, "child"), *o = json_object_get(j, "outcome");
    json_object_del(c, "phone");
    json_object_del(c, "guardian");
    const char *label = json_string_value(json_object_get(o, "label"));
    const char *sub = json_string_value(json_object_get(o, "subkind_label"));
    json_object_set_new(j, "text",
                        json_sprintf("核查任务 %lld：%s（%s），%s %s；核查结论：%s%s%s",
                                     (long long)id, json_string_value(json_object_get(c, "name")),
                                     json_string_value(json_object_get(c, "id_number"))
                                         ? json_string_value(json_object_get(c, "id_number"))
                                         : "无身份证号",
                                     json_string_value(json_object_get(j, "township")),
                                     json_string_value(json_object_get(c, "village"))
                                         ? json_string_value(json_object_get(c, "village"))
                                         : "",
                                     label ? label : "尚无", sub ? "：" : "", sub ? sub : ""));
    json_object_set_new(j, "need_to_know", json_true());
    reply_json(r, MHD_HTTP_OK, j);
}

static void verify_show_h(struct request *r)
{
    if (!scope_reads_story(&r->scope))
        verify_outcome_only(r);
    else
        show_object(r, OBJ_TASK, "verify show full=1", verify_show, verify_detail);
}

static void verify_outcome_h(struct request *r)
{
    static const char *const f[] = {"outcome", "subkind",  "date",   "by",           "note",
                                    "school",  "evidence", "reason", "other_reasons"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct verify_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = verify_record(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static const char *const assign_fields[] = {"township", "village", "teacher", "reason"};

static void assign(struct request *r, bool is_case)
{
    const char *v[ARRAY_SIZE(assign_fields)];
    json_t *j = BODY(assign_fields, v);
    if (!j)
        return;
    struct assign_input in = {v[0], v[1], v[2], v[3]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int64_t id = path_id(r);
    int rc =
        casework_assign(r->store, is_case ? 0 : id, is_case ? id : 0, &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void verify_assign_h(struct request *r)
{
    assign(r, false);
}

static void case_assign_h(struct request *r)
{
    assign(r, true);
}

static void case_list_h(struct request *r)
{
    struct case_filter f = {0};
    struct paging pg;
    if (!arg_reach(r, SCOPE_CASE, &f.township, &f.school_ties, &f.school, &f.school_name) ||
        !arg_text(r, "state", 16, &f.state) || !arg_paging(r, &pg) || !arg_full(r, &f.full) ||
        (f.full && !audit_full(r, "case list full=1", NULL)))
        return;
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = case_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

static void case_show_h(struct request *r)
{
    show_object(r, OBJ_CASE, "case show full=1", case_show, case_detail);
}

static void case_attempt_h(struct request *r)
{
    static const char *const f[] = {"date",     "method", "people",    "said",
                                    "response", "result", "next_step", "corrects"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct attempt_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_attempt(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void case_escalate_h(struct request *r)
{
    static const char *const f[] = {"step", "date", "authority", "deadline", "result"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct ladder_input in = {v[0], v[1], v[2], v[3], v[4]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_escalate(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void case_resolve_h(struct request *r)
{
    static const char *const f[] = {"outcome",         "date",  "school", "grade",
                                    "visits_per_week", "hours", "note"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct resolve_input in = {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_resolve(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void case_follow_up_h(struct request *r)
{
    static const char *const f[] = {"date", "in_school", "by", "note"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct followup_input in = {v[0], v[1], v[2], v[3]};
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_follow_up(r->store, path_id(r), &in, r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void case_close_h(struct request *r)
{
    /* the approver is the signed-in account (PERM_APPROVE), never a name in the body */
    static const char *const f[] = {"reason", "date"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_close(r->store, path_id(r), r->scope.user, v[0], v[1], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void case_reopen_h(struct request *r)
{
    static const char *const f[] = {"reason"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = case_reopen(r->store, path_id(r), v[0], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

/* filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266, RFC 5987) */
static void content_disposition(struct MHD_Response *resp, const char *ascii, const char *name)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "attachment; filename=\"%s\"; filename*=UTF-8''", ascii);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("!#$&+-.^_`|~", *p))
            buf_addf(&b, "%c", *p);
        else
            buf_addf(&b, "%%%02X", *p);
    }
    MHD_add_response_header(resp, "Content-Disposition", b.buf);
    buf_release(&b);
}

/* A scratch directory for one rendered file: the library writes `dir/name`, we stream it and
 * remove both before answering (the open descriptor keeps the bytes). */
static bool scratch_dir(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/baoxue-http-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(dir) != NULL;
}

/* Stream `path` (then removed, with its directory) as a download. */
static void reply_file(struct request *r, const char *dir, const char *path, const char *type,
                       const char *ascii, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    rmdir(dir);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法读取生成的文件");
        return;
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
        return;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    content_disposition(resp, ascii, name);
    reply_response(r, MHD_HTTP_OK, resp);
}

/* Issuing a notice records it in the case's timeline: a POST (with the CSRF token) that answers
 * with the PDF. */
static void case_notice_h(struct request *r)
{
    static const char *const f[] = {"kind",   "date",  "deadline", "authority", "doc_number",
                                    "school", "grade", "contact",  "full"};
    static const size_t max[] = {64, 32, 32, 128, 64, 128, 32, 128, 8};
    static const char *const label[] = {"通知书种类", "日期", "改正期限", "发文机关", "文号",
                                        "学校",       "年级", "联系人",   "完整信息"};
    const char *v[ARRAY_SIZE(f)];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
        if (v[i] && !*v[i])
            v[i] = NULL;
        if (v[i] && strlen(v[i]) > max[i]) {
            char msg[160];
            snprintf(msg, sizeof(msg), "“%s”过长（至多 %zu 字节）", label[i], max[i]);
            json_decref(j);
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", f[i], msg);
            return;
        }
    }
    struct notice_input in = {.kind = v[0],
                              .date = v[1],
                              .deadline = v[2],
                              .authority = v[3],
                              .doc_number = v[4],
                              .school = v[5],
                              .grade = v[6],
                              .contact = v[7],
                              .full = v[8] && (!strcmp(v[8], "是") || !strcmp(v[8], "1"))};
    if (in.full && !role_has(r->scope.role, PERM_FULL_ID)) {
        json_decref(j);
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "您的账号无权查看完整身份证号和电话");
        return;
    }
    char dir[512], path[600];
    if (!scratch_dir(dir, sizeof(dir))) {
        json_decref(j);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
        return;
    }
    snprintf(path, sizeof(path), "%s/notice.pdf", dir);
    int64_t id = path_id(r);
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    /* the library audits a full ID and records the notice in the case's timeline */
    if (case_notice(r->store, id, &in, path, r->scope.user, &msg, &o) < 0) {
        unlink(path);
        rmdir(dir);
        reply_outcome(r, &o);
    } else {
        char ascii[64], name[96];
        bool order = in.kind && (!strcmp(in.kind, "order") || strstr(in.kind, "责令"));
        snprintf(ascii, sizeof(ascii), "notice-%lld.pdf", (long long)id);
        snprintf(name, sizeof(name), "%s-案件%lld.pdf",
                 order ? "责令限期改正通知书" : "劝返复学通知书", (long long)id);
        reply_file(r, dir, path, "application/pdf", ascii, name);
    }
    json_decref(j);
    buf_release(&msg);
    outcome_release(&o);
}

static void tasks_h(struct request *r)
{
    struct tasks_filter f = {0};
    const char *overdue;
    struct paging pg;
    if (!arg_township(r, &f.township) || !arg_text(r, "person", 64, &f.person) ||
        !arg_text(r, "overdue", 4, &overdue) || !arg_paging(r, &pg))
        return;
    f.overdue = overdue && !strcmp(overdue, "1");
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = tasks_list(r->store, &f, &t, &o);
    reply_table_paged(r, rc, &t, &o, &pg);
}

static void people_list_h(struct request *r)
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

static void people_add_h(struct request *r)
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

static void people_edit_h(struct request *r)
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

/* The children list's filters in words, for the subtitle of its download. */
static const char *child_query_text(struct request *r, const struct child_query *cq)
{
    struct buf b = BUF_INIT;
    if (cq->township)
        buf_addf(&b, "%s乡镇代码 %s", b.len ? "；" : "", cq->township);
    if (cq->village)
        buf_addf(&b, "%s村（社区） %s", b.len ? "；" : "", cq->village);
    if (cq->school)
        buf_addf(&b, "%s学校标识码 %s", b.len ? "；" : "", cq->school);
    if (cq->status != -1)
        buf_addf(&b, "%s状态 %s", b.len ? "；" : "",
                 cq->status == CHILD_SET_SCHOOL_AGE ? "适龄儿童（义务教育年龄段）"
                 : cq->status == CHILD_SET_SUSPECTED ? "疑似失学辍学（适龄未入学、辍学）"
                                                     : status_label((enum child_status)cq->status));
    if (cq->q)
        buf_addf(&b, "%s搜索“%s”", b.len ? "；" : "", cq->q);
    if (cq->stage)
        buf_addf(&b, "%s%s", b.len ? "；" : "", vocab_label(&casework_stages, cq->stage));
    if (cq->reason)
        buf_addf(&b, "%s原因 %s", b.len ? "；" : "", vocab_label(&case_reasons, cq->reason));
    if (cq->overdue)
        buf_addf(&b, "%s逾期", b.len ? "；" : "");
    const char *text = arena_strdup(&r->arena, b.buf);
    buf_release(&b);
    return text;
}

static void report_h(struct request *r)
{
    char name[32] = "";
    route_param(&r->params, "name", name, sizeof(name));
    const struct report_def *def = report_find(name);
    if (!def) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "没有这个报表，可用的报表有");
        report_titles(&b);
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", b.buf);
        buf_release(&b);
        return;
    }
    if (!role_has(r->scope.role, def->perm)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", perm_refusal(def->perm));
        return;
    }
    struct report_options ro = REPORT_OPTIONS_INIT;
    const char *fmt_name, *status = NULL;
    enum report_format fmt = FMT_JSON;
    struct child_query cq;
    if (def->takes & RT_LIST) {
        /* children-list: the list's own filters, scoped by the list; never full numbers */
        if (!child_query_args(r, &cq) || !arg_text(r, "format", 8, &fmt_name))
            return;
        if (request_arg(r, "full")) {
            reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "full",
                           "儿童名单导出时身份证号总是遮盖，不能导出完整信息");
            return;
        }
    } else if (!arg_township(r, &ro.township) || !arg_text(r, "format", 8, &fmt_name) ||
               !arg_text(r, "status", 32, &status) || !arg_full(r, &ro.full)) {
        return;
    } else {
        /* the list's filters belong to children-list: elsewhere they would be silently ignored */
        static const char *const list_only[] = {"village", "school", "q",      "sort",
                                                "stage",   "reason", "overdue"};
        for (size_t i = 0; i < ARRAY_SIZE(list_only); i++)
            if (request_arg(r, list_only[i])) {
                char msg[200];
                snprintf(msg, sizeof(msg), "%s的筛选只用于儿童名单导出，《%s》不接受",
                         arg_label(list_only[i]), def->title);
                reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", list_only[i], msg);
                return;
            }
    }
    if (fmt_name && (report_format_parse(fmt_name, &fmt) < 0 || fmt == FMT_TABLE)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "format",
                       "文件格式应为 CSV、XLSX 或 JSON");
        return;
    }
    if (status && (!(def->takes & RT_STATUS) || (ro.status = status_parse(status)) < 0)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "status",
                       "按状态筛选只用于儿童状态清单和适龄儿童台账，且应为已知的状态");
        return;
    }
    struct report_table t;
    struct buf err = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    if (def->fn
            ? def->fn(r->store, &ro, &t, &o)
            : children_table(r->store, &r->scope, &cq, child_query_text(r, &cq), &t, &o)) {
        reply_outcome(r, &o);
        outcome_release(&o);
        return;
    }
    static const char *const ext[] = {[FMT_CSV] = "csv", [FMT_XLSX] = "xlsx", [FMT_JSON] = "json"};
    char ascii[64], title[128];
    snprintf(ascii, sizeof(ascii), "%s.%s", def->name, ext[fmt]);
    snprintf(title, sizeof(title), "%s.%s", def->title, ext[fmt]);
    if (ro.full && def->personal) {
        char detail[128];
        snprintf(detail, sizeof(detail), "report=%s format=%s rows=%zu full=1", def->name, ext[fmt],
                 table_data_rows(&t));
        if (audit_record(r->store, r->scope.user, r->scope.origin, "export_full", NULL, detail) <
            0) {
            table_release(&t);
            buf_release(&err);
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                        "无法记录审计日志，已停止导出");
            return;
        }
    }
    if (fmt == FMT_JSON) {
        json_t *j = table_to_json(&t);
        char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(j);
        table_release(&t);
        buf_release(&err);
        if (!text) {
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
            return;
        }
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        content_disposition(resp, ascii, title);
        reply_response(r, MHD_HTTP_OK, resp);
        return;
    }
    char dir[512], path[600];
    if (!scratch_dir(dir, sizeof(dir))) {
        table_release(&t);
        buf_release(&err);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
        return;
    }
    snprintf(path, sizeof(path), "%s/report.%s", dir, ext[fmt]);
    int rc = table_render(&t, fmt, path, &err);
    table_release(&t);
    if (rc < 0) {
        unlink(path);
        rmdir(dir);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                    err.len ? err.buf : "无法生成报表");
    } else {
        reply_file(r, dir, path,
                   fmt == FMT_CSV
                       ? "text/csv; charset=utf-8"
                       : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   ascii, title);
    }
    buf_release(&err);
}

static void settings_list_h(struct request *r)
{
    struct report_table t;
    struct outcome o = OUTCOME_INIT;
    int rc = settings_list(r->store, &t, &o);
    reply_table(r, rc, &t, &o);
}

static void setting_put_h(struct request *r)
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

/* ---- the review queue, one pair at a time ---- */

static void review_get_h(struct request *r)
{
    bool full;
    int64_t id = path_id(r);
    char target[AUDIT_TARGET_SIZE];
    audit_target(target, OBJ_CANDIDATE, id);
    if (id <= 0) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个候选记录对");
        return;
    }
    if (!arg_full(r, &full) || (full && !audit_full(r, "review show full=1", target)))
        return;
    struct outcome o = OUTCOME_INIT;
    json_t *j = review_get(r->store, id, full, &o);
    reply_read(r, j, &o);
}

static void review_decide_h(struct request *r)
{
    int64_t id = path_id(r);
    static const char *const f[] = {"decision", "note"};
    const char *v[2];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    if (!v[0] || (strcmp(v[0], "accept") && strcmp(v[0], "reject"))) {
        json_decref(j);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "decision",
                       "请判定是否同一人：是同一人，或不是同一人");
        return;
    }
    if (v[1] && strlen(v[1]) > 500) {
        json_decref(j);
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "note",
                       "备注过长（至多 500 字节）");
        return;
    }
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc =
        id > 0 ? review_decide(r->store, id, !strcmp(v[0], "accept"), r->scope.user, v[1], &msg, &o)
               : failed(&o, OUT_NOT_FOUND, "没有这个候选记录对");
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

/* ---- accounts (admin) ---- */

static int user_list_one(void *ctx, const struct user *u)
{
    json_t *o = user_json(u);
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    json_array_append_new(ctx, o);
    return 0;
}

static void users_list_h(struct request *r)
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

static void user_add_h(struct request *r)
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

static void user_disable_h(struct request *r)
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

static void user_password_h(struct request *r)
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

/* ---- a department's upload: the county accepts or rejects it (domain/batch.h) ---- */

static void import_accept_h(struct request *r)
{
    static const char *const f[] = {"confirm_shrink"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc =
        batch_accept(r->store, path_id(r), v[0] && !strcmp(v[0], "是"), r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void import_reject_h(struct request *r)
{
    static const char *const f[] = {"reason"};
    const char *v[1];
    json_t *j = BODY(f, v);
    if (!j)
        return;
    struct buf msg = BUF_INIT;
    struct outcome o = OUTCOME_INIT;
    int rc = batch_reject(r->store, path_id(r), v[0], r->scope.user, &msg, &o);
    json_decref(j);
    reply_done(r, rc, &msg, &o);
}

static void user_department_h(struct request *r)
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

const struct route api_routes[] = {
    {"GET", "/healthz", healthz, PERM_PUBLIC, "服务是否正常（无需登录）"},
    {"GET", "/api/v1/openapi.json", openapi, PERM_PUBLIC, "本接口的 OpenAPI 3 描述"},
    {"POST", "/api/v1/session", session_login_h, PERM_PUBLIC, "登录"},
    {"GET", "/api/v1/session", session_get_h, PERM_SESSION, "当前登录的用户和 CSRF 令牌"},
    {"DELETE", "/api/v1/session", session_logout_h, PERM_SESSION, "退出登录"},
    {"GET", "/api/v1/vocab", vocab_h, PERM_SESSION,
     "全部词表：状态、结论、原因等的中文名称和标记颜色"},
    {"GET", "/api/v1/summary", summary_h, PERM_SUMMARY, "各乡镇各状态人数汇总"},
    {"GET", "/api/v1/dashboard", dashboard_h, PERM_SUMMARY, "首页：台账人数、趋势、待办和最新动态"},
    {"GET", "/api/v1/children", children_h, PERM_CHILDREN, "儿童名单（分页、筛选）"},
    {"GET", "/api/v1/children/filters", children_filters_h, PERM_CHILDREN,
     "儿童名单的筛选项（乡镇、村、学校）"},
    {"GET", "/api/v1/children/{id}", child_h, PERM_CHILDREN, "一名儿童的完整记录"},
    {"GET", "/api/v1/children/{id}/links", child_links_h, PERM_CHILD_FILE,
     "一名儿童的比对过程：每条候选记录、每项得分"},
    {"GET", "/api/v1/children/{id}/casework", child_casework_h, PERM_CHILD_FILE,
     "一名儿童的历次比对状态、核查、案件和时间线"},
    {"GET", "/api/v1/review", review_h, PERM_REVIEW, "人工复核队列"},
    {"GET", "/api/v1/review/{id}", review_get_h, PERM_REVIEW, "一个候选记录对（并排、逐项得分）"},
    {"POST", "/api/v1/review/{id}/decision", review_decide_h, PERM_REVIEW,
     "复核结论：是同一人或不是同一人"},
    {"GET", "/api/v1/users", users_list_h, PERM_ACCOUNTS, "全部账号（仅管理员）"},
    {"POST", "/api/v1/users", user_add_h, PERM_ACCOUNTS, "新建账号（仅管理员）"},
    {"POST", "/api/v1/users/{name}/disabled", user_disable_h, PERM_ACCOUNTS, "停用或启用账号"},
    {"POST", "/api/v1/users/{name}/password", user_password_h, PERM_ACCOUNTS, "重设密码"},
    {"POST", "/api/v1/users/{name}/department", user_department_h, PERM_ACCOUNTS,
     "为部门账号指定部门"},
    {"GET", "/api/v1/audit", audit_h, PERM_AUDIT, "审计日志（仅管理员）"},
    /* background jobs (http/jobs.c) */
    {"POST", "/api/v1/imports", imports_post_h, PERM_UPLOAD, "上传并导入一个文件（后台任务）"},
    {"GET", "/api/v1/imports", imports_get_h, PERM_UPLOAD, "已导入的批次（部门：本部门上传的）"},
    {"POST", "/api/v1/imports/{id}/accept", import_accept_h, PERM_IMPORT,
     "确认部门上传的名单，使其成为当前名单"},
    {"POST", "/api/v1/imports/{id}/reject", import_reject_h, PERM_IMPORT,
     "退回部门上传的名单（写明理由）"},
    {"POST", "/api/v1/runs", runs_post_h, PERM_IMPORT, "开始一次比对（后台任务）"},
    {"GET", "/api/v1/runs", runs_get_h, PERM_IMPORT, "历次比对及各状态人数"},
    {"GET", "/api/v1/runs/{id}", run_get_h, PERM_IMPORT, "一次比对及与上一次相比的变化"},
    {"GET", "/api/v1/jobs", jobs_get_h, PERM_SESSION, "最近的后台任务"},
    {"GET", "/api/v1/jobs/{id}", job_get_h, PERM_SESSION, "一个后台任务的状态和进度"},
    /* casework, people, reports, settings (issue 5) */
    {"GET", "/api/v1/verify", verify_list_h, PERM_CASES, "核查任务列表"},
    {"GET", "/api/v1/verify/{id}", verify_show_h, PERM_CASES, "一项核查任务及其记录"},
    {"POST", "/api/v1/verify/{id}/outcome", verify_outcome_h, PERM_CASEWORK, "记录核查结论"},
    {"POST", "/api/v1/verify/{id}/assign", verify_assign_h, PERM_CASEWORK, "指派核查责任人"},
    {"GET", "/api/v1/cases", case_list_h, PERM_CASES, "案件列表（一人一案）"},
    {"GET", "/api/v1/cases/{id}", case_show_h, PERM_CASES, "一个案件及其时间线"},
    {"POST", "/api/v1/cases/{id}/attempts", case_attempt_h, PERM_CASES, "记录一次劝返"},
    {"POST", "/api/v1/cases/{id}/escalate", case_escalate_h, PERM_CASEWORK, "记录依法控辍步骤"},
    {"POST", "/api/v1/cases/{id}/resolve", case_resolve_h, PERM_CASEWORK, "记录劝返结果"},
    {"POST", "/api/v1/cases/{id}/follow-ups", case_follow_up_h, PERM_CASES, "记录巩固回访"},
    {"POST", "/api/v1/cases/{id}/close", case_close_h, PERM_APPROVE,
     "销号（由登录的县教育局账号审批）"},
    {"POST", "/api/v1/cases/{id}/reopen", case_reopen_h, PERM_CASEWORK, "重新打开案件"},
    {"POST", "/api/v1/cases/{id}/assign", case_assign_h, PERM_CASEWORK, "指派案件责任人"},
    {"POST", "/api/v1/cases/{id}/notice", case_notice_h, PERM_WRITE, "出具通知书（PDF）"},
    {"GET", "/api/v1/tasks", tasks_h, PERM_CASEWORK, "到期和逾期事项"},
    {"GET", "/api/v1/people", people_list_h, PERM_CASEWORK, "人员名册"},
    {"POST", "/api/v1/people", people_add_h, PERM_REGISTRY, "登记人员"},
    {"PATCH", "/api/v1/people/{id}", people_edit_h, PERM_REGISTRY, "修改人员信息"},
    {"GET", "/api/v1/reports/{name}", report_h, PERM_SUMMARY, "下载报表（csv、xlsx、json）"},
    {"GET", "/api/v1/settings", settings_list_h, PERM_SESSION, "全部设置项"},
    {"PUT", "/api/v1/settings/{key}", setting_put_h, PERM_SETTINGS, "修改设置项（仅管理员）"},
};
const size_t api_routes_count = ARRAY_SIZE(api_routes);
