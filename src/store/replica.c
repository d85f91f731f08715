/* Streaming replicas: the primary's WAL position and a replica's replay position and lag. */
#include "store/replica.h"

#include "store/migrate.h"
#include "store/store.h"
#include "util/common.h"

int store_replica_open(struct store **out, const char *dsn, struct buf *why)
{
    struct buf err = BUF_INIT;
    int rc = store_open(out, dsn, STORE_OPEN_REPLICA, &err);
    if (rc < 0) {
        buf_trim(&err);
        buf_addf(why, "只读副本不可用：%s", err.buf);
    }
    buf_release(&err);
    return rc;
}

int store_wal_position(struct store *primary, int64_t *pos)
{
    return store_int(primary, "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint", 0,
                     NULL, pos);
}

int store_replica_state(struct store *replica, struct replica_state *out)
{
    /* lag: a replica that has replayed all it received is current however old its last
     * transaction (an idle primary sends none); otherwise it is as old as that transaction */
    struct stmt *st = store_prepare(
        replica, "SELECT pg_is_in_recovery()::int,"
                 " coalesce((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, 0),"
                 " CASE WHEN pg_last_wal_receive_lsn() IS NULL"
                 "  OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
                 "  ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()),"
                 "   0) END::float8,"
                 " (SELECT count(*) FROM pg_stat_wal_receiver)::int");
    if (!st)
        return -1;
    int rc = stmt_step(st);
    if (rc == 1) {
        out->in_recovery = stmt_int(st, 0) != 0;
        out->replayed = stmt_int(st, 1);
        out->lag_seconds = stmt_double(st, 2);
        out->receiving = stmt_int(st, 3) > 0;
    }
    stmt_finalize(st);
    return rc == 1 ? 0 : -1;
}

int store_replica_usable(struct store *replica, double max_lag, int64_t need, struct buf *why)
{
    struct replica_state rs;
    if (store_replica_state(replica, &rs) < 0) {
        buf_addf(why, "只读副本不可用：%s", store_errmsg(replica));
        buf_trim(why); /* a driver's message ends with a line break */
        return 0;
    }
    if (!rs.in_recovery) {
        buf_adds(why, "只读副本已不是副本（未在回放主库的日志，可能已被提升为主库）");
        return 0;
    }
    if (!rs.receiving) {
        buf_adds(why, "只读副本没有在接收主库的日志（流复制已断开），其数据可能已过时");
        return 0;
    }
    if (rs.lag_seconds > max_lag) {
        buf_addf(why, "只读副本落后主库 %.0f 秒，超过上限 %g 秒", rs.lag_seconds, max_lag);
        return 0;
    }
    if (need > 0 && rs.replayed < need)
        return 0; /* the reader's own write is not there yet: expected, not worth a log line */
    return 1;
}

int store_replica_schema(struct store *s)
{
    int64_t v = 0;
    if (store_int(s, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, &v) < 0)
        return -1;
    if (v == schema_version_latest())
        return 0;
    buf_reset(&s->errmsg);
    buf_addf(&s->errmsg,
             "其数据库结构为第 %lld 版，本程序需要第 %d 版（副本尚未回放主库的升级，"
             "或指向了另一个数据库）",
             (long long)v, schema_version_latest());
    return -1;
}
