#ifndef BAOXUE_REPLICA_H
#define BAOXUE_REPLICA_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

struct store;

/*
 * PostgreSQL streaming replicas: where the primary's write-ahead log stands, and whether a
 * replica (opened with STORE_OPEN_REPLICA) may answer a read. The policy of who reads where is
 * the front ends' (http/replica.c, cli/cmd_report.c); these only measure.
 *
 * Positions are byte offsets into the WAL (a pg_lsn as a number): the primary's is taken after
 * a commit with pg_current_wal_insert_lsn(), at or past the end of that commit's record (the
 * write position, pg_current_wal_lsn(), may still be behind it under synchronous_commit=off);
 * a replica's with pg_last_wal_replay_lsn(). A replica whose replay position is at or past a
 * write's position shows that write.
 */
/* store_open(STORE_OPEN_REPLICA) whose message says it is about the replica: 0, or -1 with
 * "只读副本不可用：…" appended to why (one line's worth, no trailing line break). */
int store_replica_open(struct store **out, const char *dsn, struct buf *why);

/* For the drivers: a replica is not migrated (it cannot write); its schema, replayed from the
 * primary, must be the one this program reads. 0, or -1 with the reason in store_errmsg. */
int store_replica_schema(struct store *s);

int store_wal_position(struct store *primary, int64_t *pos);

struct replica_state {
    bool in_recovery;   /* false: not (or no longer) a replica, e.g. promoted after a failover */
    bool receiving;     /* its WAL receiver runs: false when replication broke (then "all it
                           received is replayed" says nothing about how old it is) */
    int64_t replayed;   /* the replay position */
    double lag_seconds; /* 0 when everything received is replayed; else the age of the last
                           transaction replayed (the replica's clock against the primary's) */
};
int store_replica_state(struct store *replica, struct replica_state *out);

/*
 * May `replica` answer a read now? 1 yes; 0 no, with the reason in Chinese in *why (for a log
 * line: no personal data): unreachable, not in recovery, not receiving from the primary,
 * lagging more than max_lag seconds, or
 * not yet past `need` (a position of the reader's own write; 0: none).
 */
int store_replica_usable(struct store *replica, double max_lag, int64_t need, struct buf *why);

#endif
