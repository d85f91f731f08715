#ifndef BAOXUE_REQUEST_H
#define BAOXUE_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <time.h>

#include "domain/scope.h"
#include "domain/session.h"
#include "http/parse.h"
#include "http/route.h"
#include "http/server.h"
#include "util/arena.h"
#include "util/buf.h"

/* Internal to src/http: one request's state, from its headers to its completion. */
struct server;

struct request {
    struct server *srv;
    const struct server_config *cfg;
    struct MHD_Connection *conn;
    struct arena arena; /* freed when the request completes */
    const char *method, *path;
    struct buf body;
    bool too_large;
    bool streaming;        /* POST /api/v1/imports: the body goes to upload_feed */
    struct upload *upload; /* its state (http/uploads.c) */
    bool queued;
    enum MHD_Result result;
    struct store *store;        /* this worker thread's connection (on a province's server, to the
                                   schema of the request's county, held until the request completes:
                                   http/counties.h) */
    char county[8];             /* that county's code ("" the server's own schema) */
    struct store *county_store; /* the connection to it the request holds (counties_acquire) */
    char county_name[128];
    char sid[65]; /* the session cookie's id ("" none) */
    const struct route *route;
    struct route_params params;
    bool signed_in;
    struct session session;
    struct scope scope;      /* resolved once from the session, in server.c */
    struct object_ties ties; /* the route's task or case: its township and ties to the scope
                                (server.c, before the handler; zero for other routes) */
    char ip[64];
    char origin[72];       /* "api 127.0.0.1": the audit trail's origin of this request */
    char school_name[256]; /* a school account's school by name (scope.school_name) */
    const char *log_path;  /* what the access log shows: the route pattern, or the file */
    unsigned status;
    const char *set_cookie;
    struct timespec t0;
};

/* Responses. Each queues exactly one response; the JSON body is stolen. */
void reply_json(struct request *r, unsigned status, json_t *body);
/* JSON already written as text (util/jsonw.h); the buf's memory is taken over. */
void reply_json_text(struct request *r, unsigned status, struct buf *text);
/* {"error": {"code": code, "message": message}} */
void reply_error(struct request *r, unsigned status, const char *code, const char *message);
/* Queue a prepared response (adds the common headers) and destroy our reference. */
void reply_response(struct request *r, unsigned status, struct MHD_Response *resp);

/* The request body as JSON, or NULL after replying 400 with a Chinese message. */
json_t *request_json(struct request *r);
/* On a province's server: the request works in the registered county `code` from now on (its
 * store this thread's connection to the county's schema); false after replying 400 (no such
 * county here) or 503. On any other server: false after replying 400. NULL or "": the
 * server's own schema, whatever the cookie named (false after replying 503). */
bool request_use_county(struct request *r, const char *code);
/* This thread's connection to the server's own schema (a province's server: the province's),
 * whatever county the request works in. A request past its start has it (it answered 503
 * otherwise). */
struct store *request_home_store(struct request *r);
/* The counties this server serves ([{code, name}], empty on a county's own server). */
json_t *request_counties(struct request *r);
/* A query argument, or NULL. */
const char *request_arg(struct request *r, const char *name);
/* A school account's school name (r->scope.school_name), looked up on first need: only the
 * routes that reach tasks and cases use it. False after replying 500. */
bool request_school_name(struct request *r);
/* A request header, or NULL. */
const char *request_header(struct request *r, const char *name);

/* Static files from cfg->web (http/static.c); replies 404 when there is no such file. */
void static_serve(struct request *r);
/* Is this path's extension a hashed, immutable asset name ("app.3f9a1c2e.js")? */
bool static_is_hashed(const char *name);
/* The content type for a file name. */
const char *static_content_type(const char *name);
/* Resolve a URL path under root into out (size bytes); false for anything that could leave
 * root ("..", backslashes, NUL, a symbolic link out of it). */
bool static_resolve(const char *root, const char *path, char *out, size_t size);

/* Background jobs (http/jobs.c) and the streamed upload (http/uploads.c). */
struct counties;
/* On a province's server (counties not NULL) the job threads also run the jobs queued in
 * every county's schema. */
int jobs_start(struct store *main, struct counties *counties, const struct server_config *cfg,
               struct buf *err);
/* Stop taking jobs; wait up to drain seconds for running ones (then leave them to be marked
 * failed by another server when their lease expires, or by this one's next start); the imports
 * uploaded here and still queued fail (their files are here), the other queued jobs stay for
 * another server. */
void jobs_stop(unsigned drain);
/* Is this the route whose body is streamed to disk (authorised before it is read)? */
bool upload_route(const char *method, const char *path);
void upload_begin(struct request *r); /* replies 400 when the body is not multipart */
void upload_feed(struct request *r, const char *data, size_t n);
void upload_end(struct request *r); /* at completion: removes a file no job took over */
/* The files of uploads (http/uploads.c; the user's file name: upload_display_name, parse.h). */
/* A new file data_dir/uploads/up-XXXXXX (the directory made if needed): its descriptor, with
 * the path in path; -1 (path "") when it cannot be made. */
int upload_create(const char *data_dir, char *path, size_t size);
void upload_remove(const char *path);
/* Add to keep (a JSON array) the files of s's queued and running import jobs: 0, or -1 on a
 * store error. */
int uploads_kept(struct store *s, json_t *keep);
/* Remove from data_dir/uploads everything that is not in keep: the number removed. */
long uploads_sweep(const char *data_dir, json_t *keep);
void imports_post_h(struct request *r);
/* The route of a row that reads a file and runs at once (a photo: verb/rows_attach.c). */
void file_verb_h(struct request *r);
void imports_get_h(struct request *r);
void runs_get_h(struct request *r);
void job_get_h(struct request *r);
void jobs_get_h(struct request *r);

/* The API (http/api.c). */
/* The read routes (http/api.c); routes_all joins them to the action rows' (http/routes.c). */
extern const struct route api_routes[];
extern const size_t api_routes_count;
const struct route *routes_all(size_t *n);
/* The routes of the action rows that have one (at most max), written to out; their count. */
size_t verb_routes(struct route *out, size_t max);
/* The handler of every action row's route (http/verbs.c). */
void verb_h(struct request *r);
/* Queue action row v as a job of the caller with its fields (JSON: the row's keys, and for an
 * upload path, file_name, bytes) and answer 202 with the job; 0 after answering 500. */
struct verb;
int64_t job_submit(struct request *r, const struct verb *v, json_t *fields);
/* job_submit of a job about an area's topic (the province's table of a month: domain/job.h,
 * job_create_about): the queued or running job of the same row, area and topic when there is
 * one, answered 200, else a new one, answered 202. */
int64_t job_submit_about(struct request *r, const struct verb *v, json_t *fields, const char *area,
                         const char *topic);
/* The answer of a row that ran: its message, and what else it says (201 for a row that
 * creates). */
struct verb_call;
void reply_verb(struct request *r, const struct verb *v, struct verb_call *c);
/* The OpenAPI 3 document of api_routes (http/openapi.c). */
const char *openapi_document(void);

#endif
