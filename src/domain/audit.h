#ifndef BAOXUE_AUDIT_H
#define BAOXUE_AUDIT_H

#include <stdint.h>

struct store;

/*
 * The append-only audit trail: who (actor: the account, or the login name at the command
 * line), when, from where (origin: "cli", or "api " and the client's IP address), what (action:
 * import, match, export_full, login, login_failed, read_full, …), about which child or object
 * (target: "record:123", an account name; may be NULL) and a short detail without personal data.
 * Written inside the caller's transaction where there is one, so that an action and its audit
 * row land together.
 */
int audit_record(struct store *s, const char *actor, const char *origin, const char *action,
                 const char *target, const char *detail);

/*
 * Where the library's own audit records come from is the front end's business, decided in one
 * place: library code passes origin NULL, which is this thread's origin — "cli" unless the
 * server set "api 10.0.0.7" for the request (or the job) the thread is serving. The string is
 * borrowed until the next call; NULL sets "cli" again.
 */
void audit_set_origin(const char *origin);
const char *audit_origin(void); /* this thread's origin: "cli" or what was set */

/* Filters of audit_list; NULL or "" means any. since/until compare with `at` as text
 * ("2026-11-20" or "2026-11-20 14:00:00"); until is inclusive of that day when a date. */
struct audit_query {
    const char *actor, *action, *target, *since, *until;
    int64_t page, per_page; /* 1-based page */
};

/* The trail newest first: {"items": [{id, at, actor, origin, action, target, detail}],
 * "total": N, "page": p, "per_page": n} as a jansson object (json_decref it); NULL on a store
 * error (message in the store). */
struct json_t;
struct json_t *audit_list(struct store *s, const struct audit_query *q);

#endif
