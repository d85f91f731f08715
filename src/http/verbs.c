/* The server's one adapter for every action row (verb/verb.h): the route, the body's fields by
 * the row's keys, the object's reach checked before the function runs (server.c), the answer. */
#include <unistd.h>

#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "util/common.h"
#include "verb/verb.h"

#define VERB_MAX_FIELDS 32

/* The body's members are the row's fields, except those only the command line sets. */
static size_t body_names(const struct verb *v, const char **names, const struct verb_field **f)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nfields && n < VERB_MAX_FIELDS; i++) {
        if (v->fields[i].flags & VF_CLI)
            continue;
        f[n] = &v->fields[i];
        names[n++] = v->fields[i].key;
    }
    return n;
}

/* A flag over HTTP: JSON true or false (or 是, 否); absent is false unless the row needs it. */
static bool flag_value(struct request *r, const struct verb_field *f, const char *t, bool *out)
{
    *out = t && !strcmp(t, "是");
    if (t ? *out || !strcmp(t, "否") : !(f->flags & VF_REQUIRED))
        return true;
    char why[160];
    snprintf(why, sizeof(why), "请说明%s：是或否", f->label);
    reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", f->key, why);
    return false;
}

/* The answer of a row that ran: its message, and what else it says. */
void reply_verb(struct request *r, const struct verb *v, struct verb_call *c)
{
    json_t *j = c->result ? json_incref(c->result) : json_object();
    if (!json_is_object(j)) {
        json_t *wrap = json_pack("{s:o}", "result", j);
        j = wrap;
    }
    json_object_set_new(j, "message", json_stringn(c->msg.buf, c->msg.len));
    reply_json(r, v->flags & VERB_CREATES ? MHD_HTTP_CREATED : MHD_HTTP_OK, j);
}

void verb_h(struct request *r)
{
    const struct verb *v = r->route->verb;
    const char *names[VERB_MAX_FIELDS], *vals[VERB_MAX_FIELDS];
    const struct verb_field *fields[VERB_MAX_FIELDS];
    size_t n = body_names(v, names, fields);
    /* a job's row may be asked with no body at all ("start a cross-check") */
    if (!r->body.len && (v->flags & VERB_JOB))
        buf_adds(&r->body, "{}");
    json_t *body = body_fields(r, names, n, vals);
    if (!body)
        return;
    void *in = arena_alloc(&r->arena, v->size);
    memset(in, 0, v->size);
    for (size_t i = 0; i < n; i++) {
        if (!(fields[i]->flags & VF_FLAG))
            *verb_text(fields[i], in) = vals[i];
        else if (!flag_value(r, fields[i], vals[i], verb_flag(fields[i], in))) {
            json_decref(body);
            return;
        }
    }
    if (v->flags & VERB_JOB) {
        /* checked now, done by a job thread (http/jobs.c): the fields are the job's params */
        struct outcome o = OUTCOME_INIT;
        if (verb_check(v, in, &o) < 0) {
            reply_outcome(r, &o);
        } else {
            json_t *params = json_object();
            for (size_t i = 0; i < n; i++)
                json_object_set_new(params, fields[i]->key,
                                    fields[i]->flags & VF_FLAG
                                        ? json_boolean(*verb_flag(fields[i], in))
                                    : vals[i] ? json_string(vals[i])
                                              : json_null());
            job_submit(r, v, params);
            json_decref(params);
        }
        outcome_release(&o);
        json_decref(body);
        return;
    }
    struct verb_call c = {.s = r->store, .scope = &r->scope, .actor = r->scope.user};
    char key[256] = "";
    if (v->target == VTG_ID)
        c.id = path_id(r);
    else if (v->target == VTG_NAME || v->target == VTG_KEY) {
        if (!route_param(&r->params, v->target == VTG_NAME ? "name" : "key", key, sizeof(key))) {
            json_decref(body);
            reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个地址");
            return;
        }
        c.name = key;
    }
    char dir[512] = "", path[600] = "";
    if (v->flags & VERB_FILE_OUT) {
        if (!scratch_dir(dir, sizeof(dir))) {
            json_decref(body);
            reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "无法创建临时文件");
            return;
        }
        snprintf(path, sizeof(path), "%s/out", dir);
        c.out_path = path;
    }
    struct outcome o = OUTCOME_INIT;
    int rc = verb_run(v, &c, in, &o);
    json_decref(body);
    if (rc < 0) {
        if (*dir) {
            unlink(path);
            rmdir(dir);
        }
        reply_outcome(r, &o);
    } else if (v->flags & VERB_FILE_OUT) {
        char ascii[64];
        snprintf(ascii, sizeof(ascii), "baoxue-%lld.pdf", (long long)c.id);
        reply_file(r, dir, path, "application/pdf", ascii, c.file_name);
    } else {
        reply_verb(r, v, &c);
    }
    outcome_release(&o);
    verb_call_release(&c);
}

/* The routes of the rows that have one, made once (http/routes.c joins them to the rest). */
size_t verb_routes(struct route *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; verbs[i] && n < max; i++) {
        const struct verb *v = verbs[i];
        if (!v->path)
            continue;
        /* a row that reads a file takes it as a streamed upload (http/jobs.c): a job's is queued,
         * another's (a photo) run at once */
        out[n++] = (struct route){.method = v->method,
                                  .pattern = v->path,
                                  .handler = !(v->flags & VERB_FILE_IN) ? verb_h
                                             : v->flags & VERB_JOB      ? imports_post_h
                                                                        : file_verb_h,
                                  .perm = v->perm,
                                  .summary = v->summary,
                                  .object = v->object,
                                  .action = v->action,
                                  .verb = v};
    }
    return n;
}
