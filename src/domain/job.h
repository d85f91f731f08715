#ifndef BAOXUE_JOB_H
#define BAOXUE_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/scope.h"
#include "util/outcome.h"

struct store;

/*
 * Background jobs (table `job`): long work the server runs on its job threads (http/jobs.c)
 * while the client polls. A job is queued, then running, then done (with a JSON result) or
 * failed (with a Chinese message). Progress is a fraction 0–1 and a Chinese phase text.
 * Times are Unix seconds.
 */
enum job_kind {
    JOB_IMPORT,
    JOB_MATCH,
    JOB_PROVINCE, /* the counties' indicators of an area, kept (report/counties_kept.h) */
    JOB__COUNT
};
/* Its states, as job.state stores them: queued, running, done, failed (core/words.h). */
struct vocab;
extern const struct vocab job_states;

/* "import", "match", "province_indicators": job.kind, and the name of the action row a job
 * thread runs (verb/rows_jobs.c, verb/rows_province.c) */
const char *job_kind_key(enum job_kind k);
/* The kind of a key, or -1. */
int job_kind_parse(const char *key);

/*
 * Several servers on one database (docs/deploy.md): a job is run by the server that claims it.
 * A server is named "host:pid:start" (its owner name). A claimed job carries its owner and a
 * lease, a time until which the owner vouches for it; the owner renews the leases of its jobs
 * while it lives (job_renew, and each progress report), and a server that finds another's lease
 * expired, or the owner a process of its own host that no longer exists, marks the job failed
 * (job_reap). A job runs once: the claim is one conditional UPDATE that only one server wins.
 */

/* A new queued job; params is its input (JSON object, borrowed). owner NULL: any server may
 * claim it; else only that server (an import: its upload is on that server's disk), which holds
 * it under a lease until lease_until. Returns the id, or -1. */
int64_t job_create(struct store *s, enum job_kind kind, const struct scope *sc, json_t *params,
                   const char *owner, int64_t lease_until);

/*
 * A job about an area (a job above the county: the counties' indicators of a province or a
 * city) and a topic of it (the month), free for any server: a new queued one, unless a job of
 * the same kind, area and topic is queued or running — then that one, *created false, so that
 * the same table is not computed twice at once however many ask (one unique index decides,
 * whichever server asks). Its id, or -1.
 */
int64_t job_create_about(struct store *s, enum job_kind kind, const struct scope *sc,
                         json_t *params, const char *area, const char *topic, bool *created);

/* Claim the oldest queued job that is free or owner's: → running with the phase of its kind
 * (phase[kind], JOB__COUNT of them), owner's until lease_until. Its id, 0 when there is none
 * (or another server took it first), -1 on a store error. */
int64_t job_claim(struct store *s, const char *owner, int64_t lease_until,
                  const char *const phase[JOB__COUNT]);
/* Extend the lease of every queued or running job of owner's to lease_until: 0, or -1. */
int job_renew(struct store *s, const char *owner, int64_t lease_until);
/* Up to max queued jobs held by owner (its imports waiting to run), oldest first: the count. */
long job_held_queued(struct store *s, const char *owner, int64_t *ids, long max);
/*
 * Mark failed the queued and running jobs whose owner is gone: the lease expired before now,
 * or gone(owner, ctx) says so (a process of this host that no longer exists), or a running job
 * with no owner (left by a version before leases). A running job is failed with `running_msg`
 * (a match job whose run was saved says so, and which run; an import says that nothing of it
 * was saved; the province's table that it was not kept), a queued one with `queued_msg`. Never
 * self's jobs. The number marked, or -1.
 */
long job_reap(struct store *s, const char *self, int64_t now,
              bool (*gone)(const char *owner, void *ctx), void *ctx, const char *running_msg,
              const char *queued_msg);

/* queued → running (started_at now); 0, or -1. */
int job_start(struct store *s, int64_t id, const char *phase);
/* A running job's progress, its lease renewed to lease_until. */
int job_progress(struct store *s, int64_t id, double fraction, const char *phase,
                 int64_t lease_until);
/* running → done with result (JSON, borrowed), or → failed with a Chinese message. */
int job_done(struct store *s, int64_t id, json_t *result);
int job_fail(struct store *s, int64_t id, const char *message);

/* A match job's run is committed (before the casework that follows it): the row keeps which. */
int job_saved_run(struct store *s, int64_t id, int64_t run_id);

/* The kind and params of a job (params: a new reference), or -1 when there is none. */
int job_params(struct store *s, int64_t id, enum job_kind *kind, json_t **params);

/*
 * One job as JSON, when the scope may see it: its owner; admin and county every job; a
 * province's or a city's account (scope.area) the jobs about its area or a part of it (a
 * table of the counties another account of the area started). NULL with the outcome
 * OUT_NOT_FOUND otherwise (someone else's job does not exist for you), or OUT_ERROR. Its
 * members: id, kind, state, who, created_at, started_at, finished_at, progress, phase, result,
 * error, area and topic (null for a county's jobs).
 */
json_t *job_get(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);
/* The most recent jobs (at most `limit`) the scope may see, newest first: {items: […]}. */
json_t *job_list(struct store *s, const struct scope *sc, int64_t limit);

#endif
