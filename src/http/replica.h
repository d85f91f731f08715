#ifndef BAOXUE_HTTP_REPLICA_H
#define BAOXUE_HTTP_REPLICA_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * `baoxue serve --db-read DSN`: the reads of lists, reports and exports (replica_reads) go to a
 * PostgreSQL streaming replica; everything else (writes, sign-in, the session of every request)
 * to the primary. Read-your-own-writes without server state (any server of several may answer
 * the next request): the answer to a signed-in write carries a cookie with the primary's WAL
 * position after it (REPLICA_COOKIE, living --db-read-max-lag seconds); that browser's reads stay
 * on the primary until the replica has replayed past it. A replica that is down, not a replica,
 * or more than max_lag seconds behind: the read is answered by the primary, and one line says so
 * in the log (state changes only). Internal to src/http; docs/decisions.md, issue 18.
 */
#define REPLICA_COOKIE "baoxue_wal"

struct replica_pool;
struct request;
struct route;
struct store;

/* The pool for dsn; -1 with a Chinese message when dsn is no PostgreSQL DSN. A replica that
 * cannot answer now (down, behind on the schema) is no error: one log line, and the primary
 * answers until it can. */
int replica_open(struct replica_pool **out, const char *dsn, double max_lag, struct buf *err);
void replica_close(struct replica_pool *p);

/* Is this route one of the reads a replica may answer (GET and HEAD only)? */
bool replica_reads(const struct route *rt, const char *method);

/* This thread's replica connection for a replica_reads request (its Cookie header, which may
 * hold REPLICA_COOKIE), when the replica may answer it now; NULL: the primary answers. */
struct store *replica_for(struct replica_pool *p, const char *cookie_header);

/* The Set-Cookie value (in arena a) for the answer to a write that committed on primary, or
 * NULL: that browser's reads wait for the replica to replay it. */
struct arena;
const char *replica_wrote(struct replica_pool *p, struct store *primary, bool secure,
                          struct arena *a);

#endif
