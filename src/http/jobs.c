/* Background jobs of the server (imports, cross-checks) on a small pool of job threads, each
 * with its own store connection; the streamed multipart upload of an import; the routes of
 * /api/v1/imports, /runs and /jobs. docs/decisions.md (Issue 5: jobs). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "casework/attach.h"
#include "casework/casework.h"
#include "core/date.h"
#include "store/audit.h"
#include "domain/batch.h"
#include "domain/department.h"
#include "domain/job.h"
#include "domain/match.h"
#include "http/args.h"
#include "http/reply.h"
#include "http/request.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/progress.h"
#include "verb/verb.h"

#define INTERRUPTED "服务重启，任务中断"

/* ---- the pool: one per process (one server) ---- */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* work queued, or stop */
    pthread_cond_t idle_cond; /* a job finished */
    int64_t *queue;
    size_t head, n, alloc;
    bool stop;
    unsigned busy;
    unsigned nthreads;
    pthread_t *threads;
    struct worker *workers;
    struct live *live; /* per job thread: the running job's latest progress */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
          .cond = PTHREAD_COND_INITIALIZER,
          .idle_cond = PTHREAD_COND_INITIALIZER};

/*
 * Progress of a running job. The job's own connection may be inside the library's one
 * transaction (an import is), where a progress row would stay invisible, and SQLite admits one
 * writer: so the latest progress of the jobs this process runs is kept here, in memory, and laid
 * over the job's row when it is read (live_overlay); on PostgreSQL it is also written to the
 * row through a second connection, so that another server polling the same job sees it.
 */
struct live {
    int64_t id; /* 0: no job */
    double fraction;
    char phase[256];
};

struct worker {
    unsigned slot;
    char upload[4096];  /* the running import's file (under pool.lock), "" none */
    struct store *s;    /* the job's connection */
    struct store *peer; /* PostgreSQL: progress rows; NULL on SQLite */
    int64_t job;
};

static void live_set(unsigned slot, int64_t id, double fraction, const char *phase)
{
    pthread_mutex_lock(&pool.lock);
    struct live *l = &pool.live[slot];
    l->id = id;
    l->fraction = fraction;
    snprintf(l->phase, sizeof(l->phase), "%s", phase ? phase : "");
    pthread_mutex_unlock(&pool.lock);
}

static void on_progress(void *ctx, double fraction, const char *phase)
{
    struct worker *w = ctx;
    live_set(w->slot, w->job, fraction, phase);
    if (w->peer && job_progress(w->peer, w->job, fraction, phase) < 0)
        error("任务 %lld 的进度无法写入：%s", (long long)w->job, store_errmsg(w->peer));
}

/* A job's row (as job_get gives it) with the progress its thread last reported here. */
static void live_overlay(json_t *job)
{
    json_int_t id = json_integer_value(json_object_get(job, "id"));
    const char *state = json_string_value(json_object_get(job, "state"));
    if (!id || !state || strcmp(state, "running"))
        return;
    pthread_mutex_lock(&pool.lock);
    for (unsigned i = 0; pool.live && i < pool.nthreads; i++)
        if (pool.live[i].id == id) {
            json_object_set_new(job, "progress", json_real(pool.live[i].fraction));
            json_object_set_new(job, "phase", json_string(pool.live[i].phase));
        }
    pthread_mutex_unlock(&pool.lock);
}

static void enqueue(int64_t id)
{
    pthread_mutex_lock(&pool.lock);
    if (pool.head > 0 && pool.head == pool.n)
        pool.head = pool.n = 0;
    ALLOC_GROW(pool.queue, pool.n + 1, pool.alloc);
    pool.queue[pool.n++] = id;
    pthread_cond_signal(&pool.cond);
    pthread_mutex_unlock(&pool.lock);
}

/* `text` with the upload's place on the server's disk replaced by the file's name as uploaded. */
static void name_upload(struct buf *out, const char *text, const char *path, const char *file_name)
{
    const char *p = text;
    size_t plen = path && file_name ? strlen(path) : 0;
    for (const char *hit; plen && (hit = strstr(p, path)); p = hit + plen) {
        buf_add(out, p, (size_t)(hit - p));
        buf_adds(out, file_name);
    }
    buf_adds(out, p);
}

/*
 * A failed job's message: the library's sentence, which for the user's input (any kind but
 * OUT_ERROR) is already the whole story; otherwise `what` says what failed in front of what
 * the database said. The upload's place on the server's disk becomes the file's name as
 * uploaded. Releases the outcome.
 */
static void fail_clearly(struct store *s, int64_t id, const char *what, struct outcome *o,
                         const char *path, const char *file_name)
{
    struct buf msg = BUF_INIT;
    if (o->kind == OUT_ERROR || !o->msg.len)
        buf_addf(&msg, "%s%s", what, o->msg.len ? "：" : "");
    name_upload(&msg, o->msg.buf, path, file_name);
    job_fail(s, id, msg.buf);
    buf_release(&msg);
    outcome_release(o);
}

/* A row's job has stored what the row commits (a cross-check's run) before it ends. */
static void job_committed(struct verb_call *c, int64_t run_id)
{
    struct worker *w = c->committed_ctx;
    if (job_saved_run(w->s, w->job, run_id) < 0)
        error("任务 %lld 无法记录已保存的比对：%s", (long long)w->job, store_errmsg(w->s));
}

/*
 * Run the action row of a job (verb/rows_jobs.c) as the account that asked: its fields from
 * the job's params, the upload its file, the job's progress its report.
 */
static void run_row(struct worker *w, const struct verb *v, json_t *params)
{
    struct store *s = w->s;
    int64_t id = w->job;
    struct progress pr = {.fn = on_progress, .ctx = w};
    const char *path = json_string_value(json_object_get(params, "path"));
    const char *file_name = json_string_value(json_object_get(params, "file_name"));
    const char *who = json_string_value(json_object_get(params, "who"));
    int role = role_parse(json_string_value(json_object_get(params, "role")));
    struct scope sc = {.user = who,
                       .origin = json_string_value(json_object_get(params, "origin")),
                       .role = role < 0 ? ROLE_COUNTY : (enum role)role,
                       .department = json_string_value(json_object_get(params, "department"))};
    pthread_mutex_lock(&pool.lock);
    snprintf(w->upload, sizeof(w->upload), "%s", path ? path : "");
    pthread_mutex_unlock(&pool.lock);
    void *in = xcalloc(1, v->size);
    bool dry_run = false;
    for (size_t i = 0; i < v->nfields; i++) {
        const struct verb_field *f = &v->fields[i];
        json_t *x = json_object_get(params, f->key);
        if (f->flags & VF_FLAG)
            *verb_flag(f, in) = json_is_true(x);
        else
            *verb_text(f, in) = json_string_value(x);
        if (!strcmp(f->key, "dry_run"))
            dry_run = json_is_true(x);
    }
    struct verb_call c = {.s = s,
                          .scope = &sc,
                          .actor = who,
                          .in_path = path,
                          .in_name = file_name,
                          .progress = &pr,
                          .committed = job_committed,
                          .committed_ctx = w};
    const char *phase = dry_run ? "正在检查" : v->phase;
    job_start(s, id, phase);
    live_set(w->slot, id, 0, phase);
    struct outcome o = OUTCOME_INIT;
    int rc = verb_run(v, &c, in, &o);
    /* the data is in the store (or the file was unusable): the upload goes before the job
     * says it ended, so that a client who sees the end sees no file left */
    upload_remove(path);
    if (rc < 0) {
        fail_clearly(s, id, dry_run ? "检查失败" : v->failure, &o, path, file_name);
    } else {
        json_t *res = c.result ? json_incref(c.result) : json_object();
        if (!json_object_get(res, "message") && c.msg.len)
            json_object_set_new(res, "message", json_stringn(c.msg.buf, c.msg.len));
        if (c.warning.len)
            json_object_set_new(res, "warning", json_stringn(c.warning.buf, c.warning.len));
        job_done(s, id, res);
        json_decref(res);
    }
    outcome_release(&o);
    verb_call_release(&c);
    free(in);
}

static void *worker(void *arg)
{
    struct worker *w = arg;
    struct store *s = w->s;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (!pool.stop && pool.head == pool.n)
            pthread_cond_wait(&pool.cond, &pool.lock);
        if (pool.stop)
            break;
        int64_t id = pool.queue[pool.head++];
        pool.busy++;
        pthread_mutex_unlock(&pool.lock);
        enum job_kind kind;
        json_t *params = NULL;
        if (job_params(s, id, &kind, &params) < 0)
            error("任务 %lld 无法读取：%s", (long long)id, store_errmsg(s));
        else {
            /* the library's audit records say which request started the job */
            const char *origin = json_string_value(json_object_get(params, "origin"));
            audit_set_origin(origin ? origin : "api");
            w->job = id;
            const struct verb *v = verb_find(job_kind_key(kind));
            if (v)
                run_row(w, v, params);
            else
                job_fail(s, id, "任务参数无效");
            live_set(w->slot, 0, 0, "");
            pthread_mutex_lock(&pool.lock);
            w->upload[0] = '\0';
            pthread_mutex_unlock(&pool.lock);
            w->job = 0;
            audit_set_origin(NULL);
        }
        json_decref(params);
        pthread_mutex_lock(&pool.lock);
        pool.busy--;
        pthread_cond_broadcast(&pool.idle_cond);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

int jobs_start(struct store *main, const struct server_config *cfg, struct buf *err)
{
    long n = job_interrupt_all(main, INTERRUPTED);
    if (n < 0) {
        buf_addf(err, "无法读取任务表：%s", store_errmsg(main));
        return -1;
    }
    if (n > 0)
        fprintf(stderr, "上次运行中断的任务 %ld 个已标记为失败（%s）\n", n, INTERRUPTED);
    /* what a killed server left in uploads/ (no job will read it now) */
    long swept = uploads_sweep(main, cfg->data_dir);
    if (swept < 0) {
        buf_addf(err, "无法读取任务表：%s", store_errmsg(main));
        return -1;
    }
    if (swept > 0)
        fprintf(stderr, "已删除上次运行遗留的上传文件 %ld 个\n", swept);
    pool.nthreads = cfg->job_threads ? cfg->job_threads : 1;
    pool.threads = xcalloc(pool.nthreads, sizeof(*pool.threads));
    pool.workers = xcalloc(pool.nthreads, sizeof(*pool.workers));
    pool.live = xcalloc(pool.nthreads, sizeof(*pool.live));
    bool pg = !strcmp(store_dialect(main), "postgresql");
    for (unsigned i = 0; i < pool.nthreads; i++) {
        struct worker *w = &pool.workers[i];
        w->slot = i;
        if (store_open_peer(main, &w->s, err) < 0 ||
            (pg && store_open_peer(main, &w->peer, err) < 0)) {
            store_close(w->s);
            pool.nthreads = i;
            jobs_stop(0);
            return -1;
        }
        pthread_create(&pool.threads[i], NULL, worker, w);
    }
    return 0;
}

/* A job that will not run (the server stops): failed, and its upload removed. */
static void drop_queued(int64_t id)
{
    if (!pool.nthreads)
        return;
    struct store *s = pool.workers[0].s;
    enum job_kind kind;
    json_t *params = NULL;
    if (job_params(s, id, &kind, &params) == 0 && kind == JOB_IMPORT)
        upload_remove(json_string_value(json_object_get(params, "path")));
    json_decref(params);
    job_fail(s, id, "服务停止，任务未运行，请重新提交");
}

void jobs_stop(unsigned drain)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += drain;
    pthread_mutex_lock(&pool.lock);
    pool.stop = true;
    pthread_cond_broadcast(&pool.cond);
    int rc = 0;
    while (pool.busy > 0 && rc == 0)
        rc = pthread_cond_timedwait(&pool.idle_cond, &pool.lock, &until);
    bool busy = pool.busy > 0;
    if (busy) {
        /* the files of the jobs the process ends under go now (the next start marks them
         * failed, INTERRUPTED) */
        for (unsigned i = 0; i < pool.nthreads; i++)
            upload_remove(pool.workers[i].upload);
    }
    pthread_mutex_unlock(&pool.lock);
    if (busy) {
        /* a long job still runs: the process ends under it; its connection is not closed
         * under its feet, nor is the queue touched (a worker may still read it) */
        fprintf(stderr, "有 %u 个后台任务未在 %u 秒内完成，将被中断\n", pool.busy, drain);
        return;
    }
    for (unsigned i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    /* jobs still queued will not run: failed, their uploads removed */
    for (size_t i = pool.head; i < pool.n; i++)
        drop_queued(pool.queue[i]);
    for (unsigned i = 0; i < pool.nthreads; i++) {
        store_close(pool.workers[i].s);
        store_close(pool.workers[i].peer);
    }
    free(pool.threads);
    free(pool.workers);
    free(pool.live);
    free(pool.queue);
}

/* ---- the upload: multipart/form-data streamed to a file under the data directory ---- */

#define UPLOAD_FIELDS     8
#define UPLOAD_FIELD_SIZE 1024

struct upload {
    struct MHD_PostProcessor *pp;
    /* a row that is no job (a photo: verb/rows_attach.c): its fields by their keys, and the
     * limit of its file (0: the server's --max-upload) */
    const struct verb *verb;
    char values[UPLOAD_FIELDS][UPLOAD_FIELD_SIZE];
    bool given[UPLOAD_FIELDS];
    uint64_t limit, body;
    char kind[32], force[8], dry_run[8], confirm_shrink[8];
    char map[4096];  /* "表头=字段" lines, one per map part (issue 6: the import wizard) */
    char *file_name; /* as the user named it: metadata only (upload_display_name) */
    char path[4096]; /* the server's own name for it */
    FILE *f;
    uint64_t bytes;
    bool bad, io_error, too_large, two_files, handed_over;
};

bool upload_route(const char *method, const char *path)
{
    /* the routes of the rows that read a file take it as a streamed multipart upload */
    struct route_params rp;
    for (size_t i = 0; verbs[i]; i++)
        if ((verbs[i]->flags & VERB_FILE_IN) && verbs[i]->path &&
            !strcmp(method, verbs[i]->method) && route_match(verbs[i]->path, path, &rp))
            return true;
    return false;
}

static void field_add(struct upload *up, char *dst, size_t size, const char *data, size_t n)
{
    size_t len = strlen(dst);
    if (len + n >= size) {
        up->bad = true;
        return;
    }
    memcpy(dst + len, data, n);
    dst[len + n] = '\0';
}

static bool open_file(struct request *r, struct upload *up, const char *filename)
{
    char *name = upload_display_name(filename);
    up->file_name = arena_strdup(&r->arena, name);
    free(name);
    int fd = upload_create(r->cfg->data_dir, up->path, sizeof(up->path));
    if (fd < 0 || !(up->f = fdopen(fd, "wb"))) {
        if (fd >= 0) {
            close(fd);
            upload_remove(up->path);
        }
        up->path[0] = '\0';
        return false;
    }
    return true;
}

static bool form_yes(const char *v)
{
    return !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "是");
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding;
    struct request *r = cls;
    struct upload *up = r->upload;
    if (!key)
        return MHD_YES;
    if (up->verb && strcmp(key, "file")) {
        /* a field of the row: kept by its place in the row; an unknown part is refused */
        const struct verb_field *f = verb_field(up->verb, key, strlen(key));
        size_t i = f ? (size_t)(f - up->verb->fields) : UPLOAD_FIELDS;
        if (i >= UPLOAD_FIELDS || (f->flags & VF_CLI))
            up->bad = true;
        else {
            up->given[i] = true;
            field_add(up, up->values[i], UPLOAD_FIELD_SIZE, data, size);
        }
    } else if (!strcmp(key, "kind")) {
        field_add(up, up->kind, sizeof(up->kind), data, size);
    } else if (!strcmp(key, "force")) {
        field_add(up, up->force, sizeof(up->force), data, size);
    } else if (!strcmp(key, "dry_run")) {
        field_add(up, up->dry_run, sizeof(up->dry_run), data, size);
    } else if (!strcmp(key, "confirm_shrink")) {
        field_add(up, up->confirm_shrink, sizeof(up->confirm_shrink), data, size);
    } else if (!strcmp(key, "map")) {
        if (off == 0 && up->map[0])
            field_add(up, up->map, sizeof(up->map), "\n", 1);
        field_add(up, up->map, sizeof(up->map), data, size);
    } else if (!strcmp(key, "file")) {
        if (off == 0 && up->path[0]) {
            up->two_files = true;
            return MHD_YES;
        }
        if (up->two_files || up->io_error)
            return MHD_YES;
        if (!up->f && !up->path[0] && !open_file(r, up, filename)) {
            up->io_error = true;
            return MHD_YES;
        }
        if (up->limit && up->bytes + size > up->limit) {
            /* beyond the row's limit: nothing more is written, the file is refused */
            up->too_large = true;
            return MHD_NO;
        }
        if (size && up->f && fwrite(data, 1, size, up->f) != size)
            up->io_error = true;
        up->bytes += size;
    }
    return up->bad ? MHD_NO : MHD_YES;
}

/* What a form around a photo may add to it: the boundaries, the part headers, the fields. */
#define UPLOAD_FORM_SLACK (64 * 1024)

static void reply_too_large(struct request *r, const struct upload *up)
{
    char msg[200];
    if (up->limit)
        snprintf(msg, sizeof(msg), "照片太大：不能超过 %llu MB；请降低相机分辨率或压缩后再上传",
                 (unsigned long long)(up->limit >> 20));
    else
        snprintf(msg, sizeof(msg), "上传的文件过大");
    reply_error_at(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "file", msg);
}

void upload_begin(struct request *r)
{
    struct upload *up = arena_alloc(&r->arena, sizeof(*up));
    memset(up, 0, sizeof(*up));
    r->upload = up;
    const struct verb *v = r->route->verb;
    if (v && !(v->flags & VERB_JOB)) {
        /* a photo: its limit is a setting, and a body announced beyond it is refused at once */
        struct outcome o = OUTCOME_INIT;
        up->verb = v;
        if (attach_limit(r->store, &up->limit, &o) < 0) {
            reply_outcome(r, &o);
            outcome_release(&o);
            return;
        }
        const char *cl = request_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > up->limit + UPLOAD_FORM_SLACK) {
            up->too_large = true;
            reply_too_large(r, up);
            return;
        }
    }
    up->pp = MHD_create_post_processor(r->conn, 65536, on_part, r);
    if (!up->pp)
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "上传内容无效：应以表单上传名单类型和要导入的文件");
}

void upload_feed(struct request *r, const char *data, size_t n)
{
    struct upload *up = r->upload;
    if (!up || !up->pp || up->bad || up->too_large)
        return;
    up->body += n;
    if (up->bytes + n > r->cfg->max_upload ||
        (up->limit && up->body > up->limit + UPLOAD_FORM_SLACK)) {
        up->too_large = true;
        return;
    }
    if (MHD_post_process(up->pp, data, n) == MHD_NO)
        up->bad = true;
}

static void upload_close(struct upload *up)
{
    if (up->pp && MHD_destroy_post_processor(up->pp) == MHD_NO)
        up->bad = true;
    up->pp = NULL;
    if (up->f && fclose(up->f) != 0)
        up->io_error = true;
    up->f = NULL;
}

void upload_end(struct request *r)
{
    struct upload *up = r->upload;
    if (!up)
        return;
    upload_close(up);
    if (!up->handed_over)
        upload_remove(up->path);
}

/* ---- routes ---- */

static void reply_job(struct request *r, unsigned status, int64_t id)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = job_get(r->store, &r->scope, id, &o);
    if (j) {
        live_overlay(j);
        reply_json(r, status, j);
    } else {
        /* the job was just created for this caller: only the store can fail here */
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
    }
    outcome_release(&o);
}

int64_t job_submit(struct request *r, const struct verb *v, json_t *fields)
{
    /* the job's kind is the row's name (the worker finds the row by it) */
    enum job_kind kind = JOB_IMPORT;
    while (strcmp(job_kind_key(kind), v->name) && kind < JOB_MATCH)
        kind++;
    if (strcmp(job_kind_key(kind), v->name)) {
        error("行 %s 没有对应的后台任务种类", v->name);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误");
        return 0;
    }
    json_t *params = json_deep_copy(fields);
    json_object_set_new(params, "who", json_string(r->scope.user));
    json_object_set_new(params, "origin", json_string(r->scope.origin));
    json_object_set_new(params, "role", json_string(role_key(r->scope.role)));
    if (r->scope.department)
        json_object_set_new(params, "department", json_string(r->scope.department));
    int64_t id = job_create(r->store, kind, &r->scope, params);
    json_decref(params);
    if (id < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return 0;
    }
    enqueue(id);
    reply_job(r, MHD_HTTP_ACCEPTED, id);
    return id;
}

void imports_post_h(struct request *r)
{
    struct upload *up = r->upload;
    if (!up)
        return;
    upload_close(up);
    enum import_kind kind;
    bool ok = false;
    struct outcome refusal = OUTCOME_INIT;
    if (up->too_large) {
        reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", "上传的文件过大");
    } else if (up->bad) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "上传内容无效：应为一个表单，含名单类型和要导入的文件");
    } else if (up->io_error) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                    "服务器无法保存上传的文件（磁盘已满或数据目录不可写？）");
    } else if (up->two_files) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "一次只能上传一个文件");
    } else if (!up->kind[0] || kind_parse(up->kind, &kind) < 0) {
        char msg[200];
        snprintf(msg, sizeof(msg), "%s名单类型，应为%s、%s或%s", up->kind[0] ? "无效的" : "缺少",
                 kind_label(KIND_POPULATION), kind_label(KIND_ENROLLMENT),
                 kind_label(KIND_OUTSIDE));
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "kind", msg);
    } else if (r->scope.role == ROLE_DEPARTMENT &&
               department_check_upload(r->scope.department, kind, &refusal) < 0) {
        /* each department uploads its own kinds of list only */
        reply_outcome(r, &refusal);
    } else if (!up->path[0] || !up->bytes) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "file",
                       "缺少要导入的文件，或文件为空");
    } else {
        /* the form's fields by the row's keys (verb/rows_jobs.c), as a JSON body gives them */
        json_t *fields =
            json_pack("{s:s, s:s?, s:b, s:b, s:b}", "kind", kind_key(kind), "map",
                      up->map[0] ? up->map : NULL, "force", form_yes(up->force), "dry_run",
                      form_yes(up->dry_run), "confirm_shrink", form_yes(up->confirm_shrink));
        json_object_set_new(fields, "path", json_string(up->path));
        json_object_set_new(fields, "file_name", json_string(up->file_name));
        json_object_set_new(fields, "bytes", json_integer((json_int_t)up->bytes));
        int64_t id = job_submit(r, r->route->verb, fields);
        json_decref(fields);
        ok = up->handed_over = id > 0;
    }
    if (!ok) {
        /* before the answer leaves, not when the connection ends */
        upload_remove(up->path);
        up->path[0] = '\0';
    }
    outcome_release(&refusal);
}

/* A row that reads a file and is no job (a photo): its form's fields by the row's keys, the
 * file the upload wrote, the row run at once; the file is removed before the answer whatever
 * the end (the row keeps what it needs in the store). */
void file_verb_h(struct request *r)
{
    struct upload *up = r->upload;
    if (!up)
        return;
    upload_close(up);
    const struct verb *v = r->route->verb;
    if (up->too_large) {
        reply_too_large(r, up);
    } else if (up->bad || !up->verb) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request",
                    "上传内容无效：应为一个表单，含要上传的文件和说明等字段");
    } else if (up->io_error) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
                    "服务器无法保存上传的文件（磁盘已满或数据目录不可写？）");
    } else if (up->two_files) {
        reply_error(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "一次只能上传一个文件");
    } else if (!up->path[0] || !up->bytes) {
        reply_error_at(r, MHD_HTTP_BAD_REQUEST, "invalid_request", "file",
                       "缺少要上传的照片，或文件为空");
    } else {
        void *in = arena_alloc(&r->arena, v->size);
        memset(in, 0, v->size);
        for (size_t i = 0; i < v->nfields && i < UPLOAD_FIELDS; i++)
            if (up->given[i] && (v->fields[i].flags & VF_FLAG))
                *verb_flag(&v->fields[i], in) = form_yes(up->values[i]);
            else if (up->given[i])
                *verb_text(&v->fields[i], in) = up->values[i];
        struct verb_call c = {.s = r->store,
                              .scope = &r->scope,
                              .actor = r->scope.user,
                              .id = path_id(r),
                              .in_path = up->path,
                              .in_name = up->file_name};
        struct outcome o = OUTCOME_INIT;
        if (verb_run(v, &c, in, &o) < 0)
            reply_outcome(r, &o);
        else
            reply_verb(r, v, &c);
        outcome_release(&o);
        verb_call_release(&c);
    }
    upload_remove(up->path);
    up->path[0] = '\0';
}

void imports_get_h(struct request *r)
{
    /* who may upload but not run the county's imports (a department) sees its own uploads */
    json_t *j = batch_list(r->store, &r->scope, 200);
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
}

void runs_get_h(struct request *r)
{
    struct stmt *st = store_prepare(
        r->store, "SELECT id, started_at, finished_at, as_of, school_year, population_batch,"
                  " enrollment_batch, outside_batch, counts FROM match_run"
                  " ORDER BY id DESC LIMIT 200");
    if (!st) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        json_t *counts = stmt_is_null(st, 8) ? NULL : json_loads(stmt_text(st, 8), 0, NULL);
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s?, s:s, s:i, s:I, s:o, s:o, s:o}", "id",
                             (json_int_t)stmt_int(st, 0), "started_at", stmt_text(st, 1),
                             "finished_at", stmt_is_null(st, 2) ? NULL : stmt_text(st, 2), "as_of",
                             stmt_text(st, 3), "school_year", (int)stmt_int(st, 4),
                             "population_batch", (json_int_t)stmt_int(st, 5), "enrollment_batch",
                             stmt_is_null(st, 6) ? json_null() : json_integer(stmt_int(st, 6)),
                             "outside_batch",
                             stmt_is_null(st, 7) ? json_null() : json_integer(stmt_int(st, 7)),
                             "counts", counts ? counts : json_object()));
    }
    stmt_finalize(st);
    if (rc < 0) {
        json_decref(items);
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return;
    }
    reply_json(r, MHD_HTTP_OK, json_pack("{s:o}", "items", items));
}

void job_get_h(struct request *r)
{
    char id[24] = "";
    char *end = id;
    long long jid = 0;
    if (route_param(&r->params, "id", id, sizeof(id)))
        jid = strtoll(id, &end, 10);
    if (jid <= 0 || *end) {
        reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "没有这个任务");
        return;
    }
    struct outcome o = OUTCOME_INIT;
    json_t *j = job_get(r->store, &r->scope, jid, &o);
    if (j)
        live_overlay(j);
    reply_read(r, j, &o);
}

void jobs_get_h(struct request *r)
{
    json_t *j = job_list(r->store, &r->scope, 100);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(j, "items"), i, item) live_overlay(item);
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
}
