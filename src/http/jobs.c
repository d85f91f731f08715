/* Background jobs of the server (imports, cross-checks, the province's table) on a small pool of
 * job threads, each with its own store connection, claiming jobs from the job table under a lease
 * (several servers may share one database: docs/deploy.md); the streamed multipart upload of an
 * import; the routes of /api/v1/imports, /runs and /jobs. docs/decisions.md (Issue 5: jobs;
 * Issue 18: stateless servers; the province's table as a background job). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
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
#include "http/counties.h"
#include "http/reply.h"
#include "http/request.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/progress.h"
#include "verb/verb.h"

/* what a job is marked with when the server that held it is gone (job_reap adds what was saved) */
#define ABANDONED_RUNNING "处理该任务的服务器已停止，任务中断"
#define ABANDONED_QUEUED  "接收上传文件的服务器已停止，任务未运行，请重新上传"
/* how often an idle job thread looks for a job another server queued (a job queued here wakes
 * one at once) */
#define POLL_SECONDS 1

/* ---- the pool: one per process (one server) ---- */

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* a job queued here, or stop */
    pthread_cond_t idle_cond; /* a job finished */
    bool stop;
    unsigned busy; /* job threads claiming or running a job */
    unsigned nthreads;
    pthread_t *threads;
    struct worker *workers;
    struct live *live; /* per job thread: the running job's latest progress */
    /* the keeper: renews this server's leases, fails the jobs of servers that are gone */
    char self[300]; /* this server in the job table: "host:pid:start" */
    unsigned lease; /* seconds */
    /* what a claimed job shows until its row says more: its row's phase, by kind */
    const char *phase[JOB__COUNT];
    struct store *keeper_s;
    struct counties *counties; /* a province's server: the counties whose jobs it runs too */
    pthread_t keeper;
    bool keeper_started;
    pthread_cond_t keeper_cond;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
          .cond = PTHREAD_COND_INITIALIZER,
          .idle_cond = PTHREAD_COND_INITIALIZER,
          .keeper_cond = PTHREAD_COND_INITIALIZER};

static int64_t lease_end(void)
{
    return (int64_t)time(NULL) + pool.lease;
}

/*
 * Progress of a running job. The job's own connection may be inside the library's one
 * transaction (an import is), where a progress row would stay invisible, and SQLite admits one
 * writer: so the latest progress of the jobs this process runs is kept here, in memory, and laid
 * over the job's row when it is read (live_overlay); on PostgreSQL it is also written to the
 * row through a second connection, so that another server polling the same job sees it.
 */
struct live {
    int64_t id;     /* 0: no job */
    char county[8]; /* the schema it is in: a county's on a province's server, "" the server's */
    double fraction;
    char phase[256];
};

struct worker {
    unsigned slot;
    char upload[4096];  /* the running import's file (under pool.lock), "" none */
    struct store *s;    /* the job's connection */
    struct store *peer; /* PostgreSQL: progress rows; NULL on SQLite */
    int64_t job;
    /* a province's server: the county whose jobs the worker ran last, its two connections */
    char county[8];
    struct store *cs, *cpeer;
    const char *running_in; /* the county of the running job ("" the server's own schema) */
};

static void live_set(unsigned slot, const char *county, int64_t id, double fraction,
                     const char *phase)
{
    pthread_mutex_lock(&pool.lock);
    struct live *l = &pool.live[slot];
    l->id = id;
    snprintf(l->county, sizeof(l->county), "%s", county);
    l->fraction = fraction;
    snprintf(l->phase, sizeof(l->phase), "%s", phase ? phase : "");
    pthread_mutex_unlock(&pool.lock);
}

static void on_progress(void *ctx, double fraction, const char *phase)
{
    struct worker *w = ctx;
    live_set(w->slot, w->running_in, w->job, fraction, phase);
    if (w->peer && job_progress(w->peer, w->job, fraction, phase, lease_end()) < 0)
        error("任务 %lld 的进度无法写入：%s", (long long)w->job, store_errmsg(w->peer));
}

/* A job's row (as job_get gives it, from the schema of `county`: "" the server's own) with
 * the progress its thread last reported here. */
static void live_overlay(json_t *job, const char *county)
{
    json_int_t id = json_integer_value(json_object_get(job, "id"));
    const char *state = json_string_value(json_object_get(job, "state"));
    if (!id || !state || strcmp(state, "running"))
        return;
    pthread_mutex_lock(&pool.lock);
    for (unsigned i = 0; pool.live && i < pool.nthreads; i++)
        if (pool.live[i].id == id && !strcmp(pool.live[i].county, county)) {
            json_object_set_new(job, "progress", json_real(pool.live[i].fraction));
            json_object_set_new(job, "phase", json_string(pool.live[i].phase));
        }
    pthread_mutex_unlock(&pool.lock);
}

/* A job was queued here: a job thread claims it now rather than at its next look. */
static void wake(void)
{
    pthread_mutex_lock(&pool.lock);
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
                          .job = id,
                          .committed = job_committed,
                          .committed_ctx = w};
    const char *phase = dry_run ? "正在检查" : v->phase;
    job_start(s, id, phase);
    live_set(w->slot, w->running_in, id, 0, phase);
    struct outcome o = OUTCOME_INIT;
    int rc = verb_run(v, &c, in, &o);
    session_cache_flush(); /* a run it saved is the latest for this server's next request */
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

/* One claimed job, run on the worker's connection. */
static void run_job(struct worker *w, int64_t id)
{
    struct store *s = w->s;
    enum job_kind kind;
    json_t *params = NULL;
    if (job_params(s, id, &kind, &params) < 0) {
        error("任务 %lld 无法读取：%s", (long long)id, store_errmsg(s));
        return;
    }
    /* the library's audit records say which request started the job */
    const char *origin = json_string_value(json_object_get(params, "origin"));
    audit_set_origin(origin ? origin : "api");
    w->job = id;
    const struct verb *v = verb_find(job_kind_key(kind));
    if (v)
        run_row(w, v, params);
    else
        job_fail(s, id, "任务参数无效");
    live_set(w->slot, "", 0, 0, "");
    pthread_mutex_lock(&pool.lock);
    w->upload[0] = '\0';
    pthread_mutex_unlock(&pool.lock);
    w->job = 0;
    audit_set_origin(NULL);
    json_decref(params);
}

static void wait_seconds(pthread_cond_t *cond, unsigned seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_cond_timedwait(cond, &pool.lock, &until);
}

/* ---- a province's server: the jobs queued in the counties' schemas ---- */

/* The worker's connections to a county's schema (those to another county closed first);
 * false when they cannot be opened. */
static bool worker_county(struct worker *w, const char *code)
{
    if (w->cs && !strcmp(w->county, code))
        return true;
    store_close(w->cs);
    store_close(w->cpeer);
    w->cs = w->cpeer = NULL;
    w->county[0] = '\0';
    struct buf err = BUF_INIT;
    if (counties_connect(pool.counties, code, &w->cs, &err) < 0 ||
        store_open_peer(w->cs, &w->cpeer, &err) < 0) {
        error("%s", err.buf);
        store_close(w->cs);
        w->cs = NULL;
    }
    buf_release(&err);
    if (w->cs)
        snprintf(w->county, sizeof(w->county), "%s", code);
    return w->cs != NULL;
}

/* Claim and run a job queued in a county's schema: its id, 0 when there was none. */
static int64_t claim_in_counties(struct worker *w)
{
    char(*codes)[8] = NULL;
    size_t n = 0;
    if (counties_with_jobs(pool.counties, w->s, false, &codes, &n) < 0) {
        error("无法查看各县的后台任务：%s", store_errmsg(w->s));
        return -1;
    }
    int64_t id = 0;
    for (size_t i = 0; i < n && id <= 0; i++) {
        if (!worker_county(w, codes[i]))
            continue;
        id = job_claim(w->cs, pool.self, lease_end(), pool.phase);
        if (id < 0) {
            error("无法领取后台任务：%s", store_errmsg(w->cs));
        } else if (id > 0) {
            struct store *own = w->s, *own_peer = w->peer;
            w->s = w->cs;
            w->peer = w->cpeer;
            w->running_in = w->county;
            run_job(w, id);
            w->running_in = "";
            w->s = own;
            w->peer = own_peer;
        }
    }
    free(codes);
    return id;
}

/* fn on a connection to each county whose job table holds a queued job, or with `running` a
 * queued or running one; s: a connection to the province's schema. 0, or -1 when a county's
 * jobs could not be looked at (logged): fn did not see them all. fn's own -1 counts too. */
static int each_county_with_jobs(struct store *s, bool running,
                                 int (*fn)(struct store *cs, void *ctx), void *ctx)
{
    if (!pool.counties)
        return 0;
    char(*codes)[8] = NULL;
    size_t n = 0;
    if (counties_with_jobs(pool.counties, s, running, &codes, &n) < 0) {
        error("无法查看各县的后台任务：%s", store_errmsg(s));
        return -1;
    }
    int ret = 0;
    for (size_t i = 0; i < n; i++) {
        struct store *cs = NULL;
        struct buf err = BUF_INIT;
        if (counties_connect(pool.counties, codes[i], &cs, &err) < 0) {
            error("%s", err.buf);
            ret = -1;
        } else {
            if (fn(cs, ctx) < 0)
                ret = -1;
            store_close(cs);
        }
        buf_release(&err);
    }
    free(codes);
    return ret;
}

/* A job thread: claims the oldest job it may run (free, or an import uploaded here), runs it,
 * and looks again; with none, waits to be woken or for the next look. */
static void *worker(void *arg)
{
    struct worker *w = arg;
    pthread_mutex_lock(&pool.lock);
    while (!pool.stop) {
        pool.busy++; /* the claim counts: a stop waits for the job it may win */
        pthread_mutex_unlock(&pool.lock);
        int64_t id = job_claim(w->s, pool.self, lease_end(), pool.phase);
        if (id < 0)
            error("无法领取后台任务：%s", store_errmsg(w->s));
        else if (id > 0)
            run_job(w, id);
        else if (pool.counties)
            id = claim_in_counties(w);
        pthread_mutex_lock(&pool.lock);
        pool.busy--;
        pthread_cond_broadcast(&pool.idle_cond);
        if (id <= 0 && !pool.stop)
            wait_seconds(&pool.cond, POLL_SECONDS);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

/* The owner of a job (never this server: job_reap leaves those) is a process of this host that
 * no longer exists (killed, or stopped while a job ran). */
static bool owner_gone(const char *owner, void *ctx)
{
    (void)ctx;
    char host[256];
    if (gethostname(host, sizeof(host)) < 0)
        return false;
    host[sizeof(host) - 1] = '\0';
    size_t n = strlen(host);
    if (strncmp(owner, host, n) || owner[n] != ':')
        return false;
    char *end;
    long pid = strtol(owner + n + 1, &end, 10);
    if (pid <= 0 || *end != ':')
        return false;
    /* this process's pid under another start time: this server's previous run (a container
     * gives its server the same pid at every start) */
    if ((pid_t)pid == getpid())
        return true;
    return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Fail the jobs of servers that are gone; the number, or -1. */
static long reap(struct store *s)
{
    long n = job_reap(s, pool.self, (int64_t)time(NULL), owner_gone, NULL, ABANDONED_RUNNING,
                      ABANDONED_QUEUED);
    if (n > 0)
        fprintf(stderr, "处理任务的服务器已停止：%ld 个任务已标记为失败（%s）\n", n,
                ABANDONED_RUNNING);
    return n;
}

/* This server's leases in one schema renewed, the jobs of the servers that are gone failed. */
static int renew_and_reap(struct store *s, void *ctx)
{
    bool pg = *(bool *)ctx;
    /* on SQLite an import's transaction holds the one write lock: the renewal waits it out
     * and may fail, quietly (the next one renews) */
    if (job_renew(s, pool.self, lease_end()) < 0 && pg)
        error("无法续租后台任务：%s", store_errmsg(s));
    if (reap(s) < 0 && pg)
        error("无法检查其他服务器的后台任务：%s", store_errmsg(s));
    return 0;
}

/* The keeper: every third of the lease, this server's jobs renewed and the others' looked at
 * (on a province's server, in every county's schema that has queued or running jobs too). */
static void *keeper(void *arg)
{
    (void)arg;
    bool pg = !strcmp(store_dialect(pool.keeper_s), "postgresql");
    unsigned every = pool.lease / 3 ? pool.lease / 3 : 1;
    pthread_mutex_lock(&pool.lock);
    while (!pool.stop) {
        wait_seconds(&pool.keeper_cond, every);
        if (pool.stop)
            break;
        pthread_mutex_unlock(&pool.lock);
        renew_and_reap(pool.keeper_s, &pg);
        each_county_with_jobs(pool.keeper_s, true, renew_and_reap, &pg);
        pthread_mutex_lock(&pool.lock);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

static int reap_county(struct store *cs, void *ctx)
{
    (void)ctx;
    if (reap(cs) < 0) {
        error("无法读取任务表：%s", store_errmsg(cs));
        return -1;
    }
    return 0;
}

static int keep_county_uploads(struct store *cs, void *keep)
{
    if (uploads_kept(cs, keep) < 0) {
        error("无法读取任务表：%s", store_errmsg(cs));
        return -1;
    }
    return 0;
}

int jobs_start(struct store *main, struct counties *counties, const struct server_config *cfg,
               struct buf *err)
{
    pool.counties = counties;
    char host[256];
    if (gethostname(host, sizeof(host)) < 0)
        snprintf(host, sizeof(host), "localhost");
    host[sizeof(host) - 1] = '\0';
    snprintf(pool.self, sizeof(pool.self), "%s:%ld:%lld", host, (long)getpid(),
             (long long)time(NULL));
    pool.lease = cfg->job_lease ? cfg->job_lease : 30;
    for (int k = 0; k < JOB__COUNT; k++) {
        const struct verb *v = verb_find(job_kind_key((enum job_kind)k));
        pool.phase[k] = v && v->phase ? v->phase : "正在运行";
    }
    fprintf(stderr, "本服务器在任务表中记为 %s（任务租期 %u 秒）\n", pool.self, pool.lease);
    /* the jobs of servers that are gone (this one's last run among them) */
    if (reap(main) < 0) {
        buf_addf(err, "无法读取任务表：%s", store_errmsg(main));
        return -1;
    }
    each_county_with_jobs(main, true, reap_county, NULL);
    /* what a killed server left in uploads/ (no job will read it now) */
    json_t *keep = json_array();
    if (uploads_kept(main, keep) < 0) {
        json_decref(keep);
        buf_addf(err, "无法读取任务表：%s", store_errmsg(main));
        return -1;
    }
    /* a county's queued uploads not known (its jobs could not be read): nothing is swept, as
     * one of them might be a file still waiting for its job */
    long swept = each_county_with_jobs(main, true, keep_county_uploads, keep) < 0
                     ? 0
                     : uploads_sweep(cfg->data_dir, keep);
    json_decref(keep);
    if (swept > 0)
        fprintf(stderr, "已删除上次运行遗留的上传文件 %ld 个\n", swept);
    pool.nthreads = cfg->job_threads ? cfg->job_threads : 1;
    pool.threads = xcalloc(pool.nthreads, sizeof(*pool.threads));
    pool.workers = xcalloc(pool.nthreads, sizeof(*pool.workers));
    pool.live = xcalloc(pool.nthreads, sizeof(*pool.live));
    bool pg = !strcmp(store_dialect(main), "postgresql");
    if (store_open_peer(main, &pool.keeper_s, err) < 0) {
        pool.nthreads = 0;
        jobs_stop(0);
        return -1;
    }
    for (unsigned i = 0; i < pool.nthreads; i++) {
        struct worker *w = &pool.workers[i];
        w->slot = i;
        w->running_in = "";
        if (store_open_peer(main, &w->s, err) < 0 ||
            (pg && store_open_peer(main, &w->peer, err) < 0)) {
            store_close(w->s);
            pool.nthreads = i;
            jobs_stop(0);
            return -1;
        }
        pthread_create(&pool.threads[i], NULL, worker, w);
    }
    pool.keeper_started = pthread_create(&pool.keeper, NULL, keeper, NULL) == 0;
    return 0;
}

/* An import uploaded here that will not run (the server stops): failed, its upload removed. */
static void drop_queued(struct store *s, int64_t id)
{
    enum job_kind kind;
    json_t *params = NULL;
    if (job_params(s, id, &kind, &params) == 0 && kind == JOB_IMPORT)
        upload_remove(json_string_value(json_object_get(params, "path")));
    json_decref(params);
    job_fail(s, id, "服务停止，任务未运行，请重新提交");
}

/* The imports uploaded here and still queued in one schema: failed, their uploads removed. */
static int drop_held(struct store *s, void *ctx)
{
    (void)ctx;
    int64_t ids[256];
    long n = job_held_queued(s, pool.self, ids, (long)ARRAY_SIZE(ids));
    for (long i = 0; i < n; i++)
        drop_queued(s, ids[i]);
    return 0;
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
        /* the files of the jobs the process ends under go now (another server, or this one's
         * next start, marks them failed) */
        for (unsigned i = 0; i < pool.nthreads; i++)
            upload_remove(pool.workers[i].upload);
    }
    pthread_mutex_unlock(&pool.lock);
    if (busy) {
        /* a long job still runs: the process ends under it; its connection is not closed
         * under its feet; the keeper goes on renewing its lease until the end */
        fprintf(stderr, "有 %u 个后台任务未在 %u 秒内完成，将被中断\n", pool.busy, drain);
        /* the imports uploaded here and still queued cannot run either (their files are
         * here): failed now rather than at the next start, on a connection of their own (the
         * keeper's is the keeper's) */
        struct store *s = NULL;
        struct buf err = BUF_INIT;
        if (pool.keeper_s && store_open_peer(pool.keeper_s, &s, &err) == 0) {
            drop_held(s, NULL);
            each_county_with_jobs(s, false, drop_held, NULL);
            store_close(s);
        }
        buf_release(&err);
        return;
    }
    for (unsigned i = 0; i < pool.nthreads; i++)
        pthread_join(pool.threads[i], NULL);
    pthread_mutex_lock(&pool.lock);
    pthread_cond_broadcast(&pool.keeper_cond);
    pthread_mutex_unlock(&pool.lock);
    if (pool.keeper_started)
        pthread_join(pool.keeper, NULL);
    /* the imports uploaded here and still queued will not run (their files are on this
     * server's disk): failed, their uploads removed; the free jobs stay for another server */
    if (pool.keeper_s) {
        drop_held(pool.keeper_s, NULL);
        each_county_with_jobs(pool.keeper_s, false, drop_held, NULL);
    }
    for (unsigned i = 0; i < pool.nthreads; i++) {
        store_close(pool.workers[i].s);
        store_close(pool.workers[i].peer);
        store_close(pool.workers[i].cs);
        store_close(pool.workers[i].cpeer);
    }
    pool.counties = NULL;
    store_close(pool.keeper_s);
    free(pool.threads);
    free(pool.workers);
    free(pool.live);
}

/* ---- routes ---- */

static void reply_job(struct request *r, unsigned status, int64_t id)
{
    struct outcome o = OUTCOME_INIT;
    json_t *j = job_get(r->store, &r->scope, id, &o);
    if (j) {
        live_overlay(j, r->county);
        reply_json(r, status, j);
    } else {
        /* the job was just created for this caller: only the store can fail here */
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
    }
    outcome_release(&o);
}

/* The job of row v with the caller's fields: a new one (area NULL), or one about an area's
 * topic (job_create_about); answered 202 when new, 200 when it was already there. */
static int64_t submit(struct request *r, const struct verb *v, json_t *fields, const char *area,
                      const char *topic)
{
    /* the job's kind is the row's name (the worker finds the row by it) */
    int kind = job_kind_parse(v->name);
    if (kind < 0) {
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
    /* an import's upload is on this server's disk: this server runs it */
    bool here = (v->flags & VERB_FILE_IN) != 0, created = true;
    int64_t id = area ? job_create_about(r->store, (enum job_kind)kind, &r->scope, params, area,
                                         topic, &created)
                      : job_create(r->store, (enum job_kind)kind, &r->scope, params,
                                   here ? pool.self : NULL, lease_end());
    json_decref(params);
    if (id < 0) {
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
        return 0;
    }
    if (created)
        wake();
    reply_job(r, created ? MHD_HTTP_ACCEPTED : MHD_HTTP_OK, id);
    return id;
}

int64_t job_submit(struct request *r, const struct verb *v, json_t *fields)
{
    return submit(r, v, fields, NULL, NULL);
}

int64_t job_submit_about(struct request *r, const struct verb *v, json_t *fields, const char *area,
                         const char *topic)
{
    return submit(r, v, fields, area, topic);
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
        live_overlay(j, r->county);
    reply_read(r, j, &o);
}

void jobs_get_h(struct request *r)
{
    json_t *j = job_list(r->store, &r->scope, 100);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(j, "items"), i, item) live_overlay(item, r->county);
    if (j)
        reply_json(r, MHD_HTTP_OK, j);
    else
        reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", "服务器内部错误（数据库）");
}
