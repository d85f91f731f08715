#ifndef BAOXUE_SESSION_H
#define BAOXUE_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/user.h"

struct store;

/*
 * Signed-in sessions, kept in the store (table session) so that several servers on one
 * database share them. The session id (the cookie) and the CSRF token are 256-bit random
 * values in hex; only the SHA-256 of the id is stored. A session ends at logout, after
 * SESSION_TTL seconds, after SESSION_IDLE seconds without a request, or at once when its account
 * is disabled or its password changed.
 */
#define SESSION_TTL   (8 * 3600)
#define SESSION_IDLE  (30 * 60)
#define SESSION_TOUCH 60 /* last_seen is written at most once a minute */
#define TOKEN_HEX     64
/* The lockout, per (account name, client address): after LOGIN_FREE_FAILURES consecutive
 * failures the pair is locked for LOGIN_LOCK_BASE seconds, doubling with each further failure up
 * to LOGIN_LOCK_MAX. An address is locked the same way after LOGIN_ADDRESS_FREE failures for any
 * names, and a name after LOGIN_NAME_FREE failures from any addresses; neither holds up a known
 * client (the pair signed in successfully within LOGIN_KNOWN seconds). Rows that lock nothing are
 * forgotten LOGIN_FORGET seconds after their last attempt. */
#define LOGIN_FREE_FAILURES 5
#define LOGIN_ADDRESS_FREE  20
#define LOGIN_NAME_FREE     20
#define LOGIN_KNOWN         (90 * 24 * 3600)
#define LOGIN_FORGET        (24 * 3600)
#define LOGIN_LOCK_BASE     30
#define LOGIN_LOCK_MAX      (15 * 60)

struct session {
    char id[TOKEN_HEX + 1];   /* only when just created (login): the cookie value */
    char csrf[TOKEN_HEX + 1]; /* the token state-changing requests must send back */
    int64_t expires_at;
    struct user user;
};

enum login_result { LOGIN_OK, LOGIN_BAD, LOGIN_LOCKED, LOGIN_ERROR };

/* Seconds locked out after `failures` consecutive failures (0: not locked). */
int64_t login_lock_seconds(int64_t failures);

/*
 * Check a password and open a session; address is the client's (the lockout's key). Every
 * outcome is audited (login, login_failed, login_locked). LOGIN_LOCKED sets *retry_after
 * (seconds); the password is not even checked while locked. An unknown or disabled name costs
 * the same hash as a wrong password.
 */
enum login_result session_login(struct store *s, const char *name, const char *password,
                                const char *origin, const char *address, int64_t now,
                                struct session *out, int64_t *retry_after);
/* The same, with the failures of the address (all names) counted in `addresses` rather than
 * in s: a province's server counts an address's failed logins to every county in the
 * province's schema, so that an address has the same free failures however many counties it
 * tries (the name's and the pair's stay the county's). NULL: in s, as session_login. */
enum login_result session_login_counted(struct store *s, struct store *addresses, const char *name,
                                        const char *password, const char *origin,
                                        const char *address, int64_t now, struct session *out,
                                        int64_t *retry_after);

/* The live session with this cookie value: 1 found (out filled, id left empty), 0 none or
 * ended, -1 store error. */
int session_lookup(struct store *s, const char *id, int64_t now, struct session *out);
/* The same for a request that only reads: the latest finished run comes in the same query
 * (one round trip), kept for this thread's run_info_load (run_latest_prefetched) when found. */
int session_lookup_read(struct store *s, const char *id, int64_t now, struct session *out);

/*
 * Sessions kept in memory (domain/session_cache.h): a lookup that finds the session there needs
 * no round trip to the database. Off until session_cache_event(true): the server turns it on
 * while a listener (store/listen.h) hears the database's notifications of a change to sessions,
 * accounts or runs, from any server or command, and off when it stops hearing them. Every event
 * forgets what is kept; so does session_cache_flush, which the server calls after each change it
 * makes itself, so that its own next request sees it.
 */
#define SESSION_CHANNEL "baoxue_sessions" /* what the triggers of migration 33 notify */
void session_cache_event(bool up);
void session_cache_flush(void);

/* Logout: delete the session (audited). */
int session_logout(struct store *s, const char *id, const char *origin);

/* 64 hex digits of fresh randomness. */
void token_new(char out[TOKEN_HEX + 1]);
/* Constant-time comparison of a token with what a request sent (NULL: false). */
bool token_equal(const char *expected, const char *given);

#endif
