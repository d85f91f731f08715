/*
 * Issue 18's SQLite step 29 (several servers on one database): kept in a file of its own so
 * that the steps of issue 18 merge without touching one another; migrate_sqlite_steps lists it
 * in order. Never edit a released step: add a new one, and its twin in migrate_pg.c.
 */
#include "store/migrate_impl.h"

/* 29 (issue 18, domain/job.h): a job's lease. owner is the server that runs it (or, for an
 * import, the server whose disk holds its upload), "host:pid:start"; lease_until (Unix
 * seconds) is how long that server vouches for it: it renews the lease while it lives, and
 * another server that finds the lease expired marks the job failed. A queued job with no owner
 * is free for any server to claim. */
const char migrate_sqlite_step29[] = "ALTER TABLE job ADD COLUMN owner TEXT;"
                                     "ALTER TABLE job ADD COLUMN lease_until INTEGER;";
