/* The HTTP front end: libmicrohttpd glue, limits, the per-request arena, authentication and
 * authorisation in one place, the access log, graceful shutdown. */
#include "http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include "casework/casework.h"
#include "core/date.h"
#include "domain/run.h"
#include "http/cookie.h"
#include "http/counties.h"
#include "http/gate.h"
#include "http/replica.h"
#include "store/audit.h"
#include "http/reply.h"
#include "http/request.h"
#include "store/listen.h"
#include "store/store.h"
#include "util/common.h"
#include "util/jsonw.h"

struct server {
    const struct server_config *cfg;
    struct store *main;           /* opened at start (migrations run once, here) */
    struct replica_pool *replica; /* --db-read: lists and reports from a replica (replica.h) */
    struct counties *counties;    /* a province's server: the counties it serves (counties.h) */
    pthread_mutex_t lock;
    struct store **stores; /* one per worker thread, closed at the end */
    size_t nstores, alloc;
    int inflight; /* requests started and not completed (atomic) */
};

static _Thread_local struct store *thread_store_;

static struct store *thread_store(struct server *srv)
{
    if (thread_store_)
        return thread_store_;
    struct store *s = NULL;
    struct buf err = BUF_INIT;
    pthread_mutex_lock(&srv->lock);
    if (store_open_peer(srv->main, &s, &err) == 0) {
        ALLOC_GROW(srv->stores, srv->nstores + 1, srv->alloc);
        srv->stores[srv->nstores++] = s;
    } else {
        error("工作线程无法打开数据库：%s", err.buf);
    }
    pthread_mutex_unlock(&srv->lock);
    buf_release(&err);
    thread_store_ = s;
    return s;
}

/* ---- responses ---- */

static bool state_changing(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

void reply_response(struct request *r, unsigned status, struct MHD_Response *resp)
{
    if (r->queued) {
        MHD_destroy_response(resp);
        return;
    }
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (r->set_cookie)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
    /* a write answered: this browser's reads wait for the replica to have it (http/replica.h) */
    const char *wal =
        r->srv->replica && r->signed_in && status < 400 && state_changing(r->method)
            ? replica_wrote(r->srv->replica, r->store, r->cfg->secure_cookie, &r->arena)
            : NULL;
    if (wal)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, wal);
    r->status = status;
    r->queued = true;
    r->result = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
}

static void reply_json_bytes(struct request *r, unsigned status, char *text, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    reply_response(r, status, resp);
}

void reply_json(struct request *r, unsigned status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_OUT_REALS);
    json_decref(body);
    if (!text)
        text = xstrdup("{\"error\":{\"code\":\"internal\",\"message\":\"服务器内部错误\"}}");
    reply_json_bytes(r, status, text, strlen(text));
}

void reply_json_text(struct request *r, unsigned status, struct buf *text)
{
    size_t len = text->len;
    reply_json_bytes(r, status, buf_detach(text, NULL), len);
}

void reply_error(struct request *r, unsigned status, const char *code, const char *message)
{
    reply_json(r, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message));
}

const char *request_arg(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *request_header(struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

json_t *request_json(struct request *r)
{
    json_error_t je;
    json_t *j = json_loadb(r->body.buf, r->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_json",
                    "请求内容不是有效的 JSON 对象，请检查格式（UTF-8 编码）");
        return NULL;
    }
    return j;
}

/* ---- authentication and authorisation: every route passes here ---- */

/* The scope of a signed-in request, from its session: the one place a role becomes a region. */
static void scope_from_session(struct request *r)
{
    const struct user *u = &r->session.user;
    r->scope = (struct scope){
        .user_id = u->id,
        .user = u->name,
        .origin = r->origin,
        .role = u->role,
        .township = u->role == ROLE_TOWNSHIP || u->role == ROLE_VILLAGE ? u->township : NULL,
        .school = u->role == ROLE_SCHOOL ? u->school : NULL,
        .department = u->role == ROLE_DEPARTMENT ? u->department : NULL,
        .area = u->role == ROLE_PROVINCE || u->role == ROLE_CITY ? u->area : NULL};
}

bool request_school_name(struct request *r)
{
    if (r->scope.role != ROLE_SCHOOL || r->scope.school_name)
        return true;
    if (casework_school_name(r->store, r->scope.school, r->school_name, sizeof(r->school_name)) <
        0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return false;
    }
    r->scope.school_name = r->school_name;
    return true;
}

/* false after replying 404 (unknown, or outside the scope: the same answer), 403 or 500 */
static bool object_in_scope(struct request *r)
{
    enum scope_object what = r->route->object;
    if (what == SCOPE_NONE)
        return true;
    char id[24] = "", *end = id;
    long long v = 0;
    struct object_ties ties = {0};
    if (route_param(&r->params, "id", id, sizeof(id)))
        v = strtoll(id, &end, 10);
    if (!request_school_name(r))
        return false;
    int rc = v > 0 && !*end ? casework_ties(r->store, what, v, r->scope.school,
                                            r->scope.school_name, r->scope.user_id, &ties)
                            : 0;
    if (rc < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return false;
    }
    /* a person is shared by the county (the route's permission decides); tasks and cases
     * belong to a township, and a school reaches those tied to it */
    enum outcome_kind o = rc == 0 ? OUT_NOT_FOUND
                          : what == SCOPE_PERSON
                              ? OUT_OK
                              : scope_object_allows(&r->scope, what, &ties, r->route->action);
    r->ties = ties;
    if (o != OUT_OK) {
        struct outcome refusal = OUTCOME_INIT;
        if (o == OUT_NOT_FOUND)
            failed(&refusal, o, "没有这个编号，或不在您的管辖范围内");
        else
            failed(&refusal, o, "您的账号可以查看此项，但无权进行此操作");
        reply_outcome(r, &refusal);
        outcome_release(&refusal);
        return false;
    }
    return true;
}

/* false after replying 401/403/404 */
static bool authorise(struct request *r)
{
    const struct route *rt = r->route;
    if (r->sid[0]) {
        /* a read learns the latest run with its session: one round trip for both */
        int rc = state_changing(r->method)
                     ? session_lookup(r->store, r->sid, (int64_t)time(NULL), &r->session)
                     : session_lookup_read(r->store, r->sid, (int64_t)time(NULL), &r->session);
        if (rc < 0) {
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
            return false;
        }
        r->signed_in = rc == 1;
    }
    if (r->signed_in) {
        scope_from_session(r);
        gate_known(r->conn); /* this address may use the connections kept for signed-in users */
    } else
        r->scope = (struct scope){.user = "", .origin = r->origin, .role = ROLE__COUNT};
    if (rt->perm == PERM_PUBLIC)
        return true;
    if (!r->signed_in) {
        reply_error(r, MHD_HTTP_UNAUTHORIZED, "unauthenticated", "请先登录（会话不存在或已过期）");
        return false;
    }
    if (state_changing(r->method) &&
        !token_equal(r->session.csrf, request_header(r, "X-CSRF-Token"))) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "csrf",
                    "请求缺少有效的安全令牌（登录时发给页面的令牌），已拒绝；请刷新页面后再试");
        return false;
    }
    if (!role_has(r->session.user.role, rt->perm)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", perm_refusal(rt->perm));
        return false;
    }
    /* changing anything beyond one's own session needs PERM_WRITE too (a supervisor reads, and
     * writes only inspections and acceptances: perm_needs_write) */
    if (state_changing(r->method) && perm_needs_write(rt->perm) &&
        !role_has(r->session.user.role, PERM_WRITE)) {
        reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "您的账号只能查看，不能修改");
        return false;
    }
    return object_in_scope(r);
}

/* The county's connection the request held, given back (counties_release). */
static void release_county(struct request *r)
{
    if (r->county_store)
        counties_release(r->srv->counties, r->county, r->county_store);
    r->county_store = NULL;
    r->county[0] = r->county_name[0] = '\0';
}

/* The request works in a county's schema, on a connection it holds until it completes: 0, or
 * -1 (logged) when none can be had. */
static int use_county(struct request *r, const struct province_county *pc)
{
    release_county(r);
    r->store = thread_store(r->srv); /* not the connection just given back */
    struct buf err = BUF_INIT;
    struct store *s = counties_acquire(r->srv->counties, pc, &err);
    if (!s) {
        error("%s", err.buf);
        buf_release(&err);
        return -1;
    }
    r->store = r->county_store = s;
    snprintf(r->county, sizeof(r->county), "%s", pc->code);
    snprintf(r->county_name, sizeof(r->county_name), "%s", pc->name);
    return 0;
}

/* This thread's connection for a request: the server's own, or on a province's server the one
 * to the schema of the county its session cookie names. A cookie that names a county this
 * server does not serve is no session. false after replying 503. */
static bool request_store(struct request *r)
{
    r->store = thread_store(r->srv);
    if (!r->store) {
        reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "服务器无法连接数据库");
        return false;
    }
    char county[8];
    if (!cookie_session_get(request_header(r, MHD_HTTP_HEADER_COOKIE), r->sid, sizeof(r->sid),
                            county))
        r->sid[0] = '\0';
    if (!county[0])
        return true;
    struct province_county pc;
    if (!r->srv->counties || !counties_find(r->srv->counties, r->store, county, &pc)) {
        r->sid[0] = '\0';
        return true;
    }
    if (use_county(r, &pc) == 0)
        return true;
    if (r->route && r->route->perm == PERM_PUBLIC) {
        /* the login page and the public reads answer whatever county a stale cookie names */
        r->sid[0] = '\0';
        return true;
    }
    reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "服务器无法连接该县的数据库");
    return false;
}

bool request_use_county(struct request *r, const char *code)
{
    struct province_county pc;
    struct counties *c = r->srv->counties;
    if (!code || !*code) {
        /* the server's own schema, whatever county the request's cookie named */
        release_county(r);
        r->store = thread_store(r->srv);
        if (!r->store)
            reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "服务器无法连接数据库");
        return r->store != NULL;
    }
    if (!c || !counties_find(c, thread_store(r->srv), code, &pc)) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "county",
                       c ? "本服务器不服务这个县（区），请从列表中选择"
                         : "本服务器只服务一个县，不用选择县（区）");
        return false;
    }
    if (use_county(r, &pc) < 0) {
        reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable", "服务器无法连接该县的数据库");
        return false;
    }
    return true;
}

struct store *request_home_store(struct request *r)
{
    return thread_store(r->srv);
}

json_t *request_counties(struct request *r)
{
    return r->srv->counties ? counties_json(r->srv->counties, thread_store(r->srv)) : json_array();
}

/* The route of a request that has one, with this thread's store; false after replying. */
static bool dispatch_route(struct request *r)
{
    bool known = false;
    size_t nroutes;
    const struct route *routes = routes_all(&nroutes);
    r->route = route_find(routes, nroutes, r->method, r->path, &r->params, &known);
    if (!r->route) {
        r->log_path = "(未知地址)";
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个地址");
        return false;
    }
    r->log_path = r->route->pattern;
    return request_store(r);
}

/* The handler, with this thread's audit origin set to the request's: whatever the library
 * records in the audit trail on its behalf says it came over the API, and from where. With a
 * read replica, a list or report may read there (its audit rows still go to the primary);
 * reply_response marks the answer to a write (http/replica.h). */
static void run_handler(struct request *r)
{
    struct store *primary = r->store;
    struct replica_pool *rp = r->srv->replica;
    /* a county's request on a province's server reads its county's schema on the primary: the
     * replica's connections are the province's schema's */
    if (rp && r->signed_in && !r->streaming && !r->county[0] &&
        replica_reads(r->route, r->method)) {
        struct store *rs = replica_for(rp, request_header(r, MHD_HTTP_HEADER_COOKIE));
        if (rs) {
            r->store = rs;
            audit_set_primary(primary);
        }
    }
    audit_set_origin(r->scope.origin);
    r->route->handler(r);
    audit_set_origin(NULL);
    audit_set_primary(NULL);
    r->store = primary;
    run_latest_forget(); /* what the session lookup read is this request's only */
}

static void dispatch(struct request *r)
{
    bool known = false;
    size_t nroutes;
    const struct route *routes = routes_all(&nroutes);
    r->route = route_find(routes, nroutes, r->method, r->path, &r->params, &known);
    if (r->route && r->route->perm == PERM_PUBLIC && !strcmp(r->route->pattern, "/healthz")) {
        /* answered without the store or a session: cheap whatever else is going on */
        r->log_path = r->route->pattern;
        r->route->handler(r);
        return;
    }
    if (r->route) {
        r->log_path = r->route->pattern;
        if (!request_store(r))
            return;
        if (authorise(r))
            run_handler(r);
        run_latest_forget();
        /* whatever it changed (an account, a session, a run), this server's next request sees
         * at once; the others when the database's notification reaches them */
        if (state_changing(r->method))
            session_cache_flush();
        if (!r->queued)
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
        return;
    }
    if (known) {
        r->log_path = "(方法不允许)";
        reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", "此地址不支持该请求方法");
        return;
    }
    if (strncmp(r->path, "/api/", 5) && r->cfg->web &&
        (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))) {
        static_serve(r);
        return;
    }
    r->log_path = "(未知地址)";
    reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个地址");
}

/* ---- libmicrohttpd callbacks ---- */

static void client_ip(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
}

/*
 * Behind a reverse proxy (--trusted-proxy: docs/deploy.md) the client is the last address of
 * X-Forwarded-For, the one the proxy itself saw (the ones before it are whatever the client
 * sent); from any other peer the header is ignored. The client address is what the lockout
 * counts and the audit trail names.
 */
static void forwarded_ip(struct request *r, const char *proxy)
{
    if (!proxy || strcmp(r->ip, proxy))
        return;
    const char *xff = request_header(r, "X-Forwarded-For");
    if (!xff)
        return;
    const char *last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    while (*last == ' ' || *last == '\t')
        last++;
    char addr[64];
    size_t n = strcspn(last, " \t");
    if (n == 0 || n >= sizeof(addr))
        return;
    memcpy(addr, last, n);
    addr[n] = '\0';
    unsigned char bin[sizeof(struct in6_addr)];
    if (inet_pton(AF_INET, addr, bin) == 1 || inet_pton(AF_INET6, addr, bin) == 1)
        snprintf(r->ip, sizeof(r->ip), "%s", addr);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct server *srv = cls;
    struct request *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof(*r));
        *con_cls = r;
        __atomic_add_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        r->srv = srv;
        r->cfg = srv->cfg;
        r->conn = conn;
        gate_headers_in(conn);
        arena_init(&r->arena, 0);
        r->method = arena_strdup(&r->arena, method);
        r->path = arena_strdup(&r->arena, url);
        r->log_path = "";
        buf_init(&r->body, 0);
        client_ip(conn, r->ip, sizeof(r->ip));
        forwarded_ip(r, srv->cfg->trusted_proxy);
        snprintf(r->origin, sizeof(r->origin), "api %s", r->ip);
        const char *cl = request_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (upload_route(method, url)) {
            /* a large upload: authorised before its body is read, then streamed to disk */
            r->streaming = true;
            if (cl && strtoull(cl, NULL, 10) > srv->cfg->max_upload) {
                r->log_path = "(请求体过大)";
                reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "上传的文件过大");
                return r->result;
            }
            if (dispatch_route(r) && authorise(r))
                upload_begin(r);
            return r->queued ? r->result : MHD_YES;
        }
        if (cl && strtoull(cl, NULL, 10) > srv->cfg->max_body) {
            /* refused before the body is read: the connection closes after the answer */
            r->log_path = "(请求体过大)";
            reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "请求内容过大");
            return r->result;
        }
        return MHD_YES;
    }
    if (*upload_data_size)
        gate_body_in(conn, *upload_data_size);
    else
        gate_request_whole(conn);
    if (*upload_data_size && r->streaming) {
        if (!r->queued)
            upload_feed(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->too_large) {
            if (r->body.len + *upload_data_size > srv->cfg->max_body) {
                r->too_large = true;
                buf_release(&r->body);
            } else {
                buf_add(&r->body, upload_data, *upload_data_size);
            }
        }
        *upload_data_size = 0; /* a body beyond the limit is read and dropped */
        return MHD_YES;
    }
    if (r->queued)
        return MHD_YES;
    if (r->streaming) {
        run_handler(r);
        if (!r->queued)
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
        return r->result;
    }
    if (r->too_large) {
        r->log_path = "(请求体过大)";
        reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "请求内容过大");
        return r->result;
    }
    dispatch(r);
    return r->result;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct request *r = *con_cls;
    if (!r)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms =
        (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
    char now[32];
    date_now_text(now, sizeof(now));
    /* no query strings and no free path text: they may carry names (see docs/decisions.md) */
    /* a province's server says which county's schema answered: a code, never a name of anyone */
    fprintf(stderr, "%s %s %s%s%s %u %.1fms%s\n", now, r->method, r->log_path,
            r->county[0] ? " 县" : "", r->county, r->status, ms,
            toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (连接中断)");
    gate_request_done(conn);
    upload_end(r);
    release_county(r);
    buf_release(&r->body);
    arena_release(&r->arena);
    free(r);
    *con_cls = NULL;
    __atomic_sub_fetch(&srv->inflight, 1, __ATOMIC_SEQ_CST);
}

/* ---- start and stop ---- */

int listen_parse(const char *text, struct sockaddr_storage *out, unsigned *len)
{
    memset(out, 0, sizeof(*out));
    char host[128];
    const char *colon;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
            return -1;
        memcpy(host, text + 1, (size_t)(close - text - 1));
        host[close - text - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof(host))
            return -1;
        memcpy(host, text, (size_t)(colon - text));
        host[colon - text] = '\0';
    }
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return -1;
    if (!host[0])
        snprintf(host, sizeof(host), "0.0.0.0");
    struct sockaddr_in *v4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *len = sizeof(*v4);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *len = sizeof(*v6);
        return 0;
    }
    return -1;
}

static void on_listen(void *ctx, bool up)
{
    (void)ctx;
    session_cache_event(up);
}

int server_run(const struct server_config *cfg, struct buf *err)
{
    struct sockaddr_storage addr;
    unsigned addrlen;
    if (listen_parse(cfg->listen, &addr, &addrlen) < 0) {
        buf_addf(err, "--listen 的值“%s”无效，应为 地址:端口，例如 127.0.0.1:8080", cfg->listen);
        return -1;
    }
    struct server srv = {.cfg = cfg};
    pthread_mutex_init(&srv.lock, NULL);
    if (store_open(&srv.main, cfg->db, STORE_OPEN_EXISTING, err) < 0)
        return -1;
    /* the province's schema of a shared database: every registered county is served too */
    if (counties_open(&srv.counties, srv.main, err) < 0) {
        store_close(srv.main);
        return -1;
    }
    /* PostgreSQL: sessions are kept in memory while the database's notifications are heard */
    struct store_listener *listener = store_listen(cfg->db, SESSION_CHANNEL, on_listen, NULL);
    if (cfg->db_read && (!store_dsn_is_pg(cfg->db) ||
                         replica_open(&srv.replica, cfg->db_read, cfg->read_max_lag, err) < 0)) {
        if (!err->len)
            buf_adds(err, "--db-read（只读副本）只用于 PostgreSQL 主库，--db 是 SQLite 数据库文件");
        store_listen_stop(listener);
        counties_close(srv.counties);
        store_close(srv.main);
        return -1;
    }

    /* SIGTERM and SIGINT are taken by sigwait below: blocked before the worker threads start,
     * so that they inherit the mask and a signal never interrupts a request */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* after the mask: the job threads must not take the signals either */
    if (jobs_start(srv.main, srv.counties, cfg, err) < 0) {
        store_listen_stop(listener);
        counties_close(srv.counties);
        store_close(srv.main);
        replica_close(srv.replica);
        pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
        return -1;
    }

    /* the door (http/gate.c) accepts: libmicrohttpd gets only the connections it admits */
    struct gate_limits lim = {.max_connections = cfg->max_connections,
                              .reserved = cfg->reserved_connections,
                              .per_address = cfg->per_address,
                              .header_timeout = cfg->header_timeout,
                              .min_body_rate = cfg->min_body_rate};
    unsigned budget = gate_fd_budget();
    if (budget && lim.max_connections > budget) {
        fprintf(stderr, "本进程最多可打开的文件数只够 %u 个连接：同时连接数上限由 %u 降为 %u\n",
                budget, lim.max_connections, budget);
        lim.reserved = (unsigned)((uint64_t)lim.reserved * budget / lim.max_connections);
        lim.max_connections = budget;
    }
    unsigned port = 0;
    struct MHD_Daemon *d = NULL;
    if (gate_listen((struct sockaddr *)&addr, addrlen, &port, err) == 0) {
        unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
                         MHD_USE_NO_LISTEN_SOCKET;
        d = MHD_start_daemon(
            flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
            MHD_OPTION_CONNECTION_LIMIT,
            /* the door enforces the limit; libmicrohttpd's own, divided among
             * the workers, is set so high that no worker reaches its share:
             * 0.9.75 leaves a worker's cleanup mutex locked when a handed-over
             * connection finds the worker full (docs/decisions.md) */
            (lim.max_connections + 16) * cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout,
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, &srv, MHD_OPTION_NOTIFY_CONNECTION, gate_notify, NULL, MHD_OPTION_END);
        if (!d)
            buf_adds(err, "libmicrohttpd 无法启动");
        else if (gate_start(d, &lim, err) < 0) {
            MHD_stop_daemon(d);
            d = NULL;
        }
    }
    if (!d) {
        struct buf why = BUF_INIT;
        buf_addf(&why, "无法在 %s 上启动服务：%s", cfg->listen, err->buf);
        buf_reset(err);
        buf_add(err, why.buf, why.len);
        buf_release(&why);
        gate_stop();
        jobs_stop(0);
        store_listen_stop(listener);
        counties_close(srv.counties);
        store_close(srv.main);
        replica_close(srv.replica);
        pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
        return -1;
    }
    char host[64] = "";
    if (addr.ss_family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)&addr)->sin_addr, host, sizeof(host));
    else
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&addr)->sin6_addr, host, sizeof(host));
    char served[64] = "";
    if (srv.counties)
        snprintf(served, sizeof(served), "，省级库：服务 %zu 个县（区）",
                 counties_count(srv.counties));
    printf("baoxue 服务已启动：http://%s%s%s:%u/（%u 个工作线程%s%s%s）\n",
           addr.ss_family == AF_INET6 ? "[" : "", host, addr.ss_family == AF_INET6 ? "]" : "", port,
           cfg->threads, served, cfg->web ? "，网页目录 " : "", cfg->web ? cfg->web : "");
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "收到%s信号：不再接受新连接，等待正在处理的请求完成……\n",
            sig == SIGTERM ? " SIGTERM " : " SIGINT ");
    gate_stop();
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (unsigned waited = 0;
         __atomic_load_n(&srv.inflight, __ATOMIC_SEQ_CST) > 0 && waited < cfg->drain * 50; waited++)
        nanosleep(&pause, NULL);
    int left = __atomic_load_n(&srv.inflight, __ATOMIC_SEQ_CST);
    MHD_stop_daemon(d);
    jobs_stop(cfg->drain);
    for (size_t i = 0; i < srv.nstores; i++)
        store_close(srv.stores[i]);
    free(srv.stores);
    counties_close(srv.counties);
    replica_close(srv.replica);
    store_listen_stop(listener);
    session_cache_event(false);
    store_close(srv.main);
    pthread_mutex_destroy(&srv.lock);
    pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
    if (left > 0)
        fprintf(stderr, "已停止（%d 个请求在 %u 秒内未完成，被中断）\n", left, cfg->drain);
    else
        fprintf(stderr, "已停止\n");
    return 0;
}
