#ifndef BAOXUE_SESSION_CACHE_H
#define BAOXUE_SESSION_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/run.h"
#include "domain/session.h"

/*
 * The sessions this process has looked up lately, with their account and the latest run, so that
 * a request needs no round trip to the database for them (docs/decisions.md, "the session kept in
 * memory"). For session.c only; the switch is session_cache_event (session.h).
 *
 * An entry is used only while all of these hold: the cache is on (a listener hears the
 * database's notifications); nothing was notified or flushed since the entry was read (the
 * generation); it is younger than SESSION_CACHE_TTL seconds; the session has not expired, gone
 * idle, or come due for its last_seen to be written. Anything else is a miss, and the lookup
 * reads the database as it would without the cache.
 */
#define SESSION_CACHE_TTL 5

struct session_cached {
    struct session sess;
    int64_t last_seen;
    bool with_run; /* the latest run was read with it (session_lookup_read) */
    bool run_none; /* …and there was none */
    struct run_info ri;
};

/* The generation to give session_cache_put for what is read from now on. */
uint64_t session_cache_generation(void);
/* The entry of the session whose id hashes to hid, when it may be used at `now` (Unix seconds)
 * by a lookup that wants the run (with_run) or not: true and *out filled. */
bool session_cache_get(const char *hid, bool with_run, int64_t now, struct session_cached *out);
/* Keep what was read at generation gen (taken before the read). */
void session_cache_put(const char *hid, uint64_t gen, const struct session_cached *c);
/* Forget one session (its logout). */
void session_cache_forget(const char *hid);

#endif
