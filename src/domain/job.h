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
enum job_kind { JOB_IMPORT, JOB_MATCH };
/* Its states, as job.state stores them: queued, running, done, failed (core/words.h). */
struct vocab;
extern const struct vocab job_states;

const char *job_kind_key(enum job_kind k); /* "import", "match" */

/* A new queued job; params is its input (JSON object, borrowed). Returns the id, or -1. */
int64_t job_create(struct store *s, enum job_kind kind, const struct scope *sc, json_t *params);

/* queued → running (started_at now); 0, or -1. */
int job_start(struct store *s, int64_t id, const char *phase);
int job_progress(struct store *s, int64_t id, double fraction, const char *phase);
/* running → done with result (JSON, borrowed), or → failed with a Chinese message. */
int job_done(struct store *s, int64_t id, json_t *result);
int job_fail(struct store *s, int64_t id, const char *message);

/* A match job's run is committed (before the casework that follows it): the row keeps which. */
int job_saved_run(struct store *s, int64_t id, int64_t run_id);

/* Mark every queued or running job failed with `message` (a server starting: nobody runs
 * them any more); a match job whose run was saved says so, and which run. Returns the number
 * marked, or -1. */
long job_interrupt_all(struct store *s, const char *message);

/* The kind and params of a job (params: a new reference), or -1 when there is none. */
int job_params(struct store *s, int64_t id, enum job_kind *kind, json_t **params);

/*
 * One job as JSON, when the scope may see it: its owner, or admin and county. NULL with the
 * outcome OUT_NOT_FOUND otherwise (someone else's job does not exist for you), or OUT_ERROR.
 */
json_t *job_get(struct store *s, const struct scope *sc, int64_t id, struct outcome *o);
/* The most recent jobs (at most `limit`) the scope may see, newest first: {items: […]}. */
json_t *job_list(struct store *s, const struct scope *sc, int64_t limit);

#endif
