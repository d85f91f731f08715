/*
 * Issue 18's PostgreSQL steps from 33 on, each the twin of SQLite's step of the same number
 * (migrate_sqlite_18_<part>.c); migrate_pg_steps lists them in order. Never edit a released
 * step: add a new one, and its twin.
 */
#include "store/migrate_impl.h"

#define CTEXT "TEXT COLLATE \"C\""

/* 33 (as SQLite's step 33: MIGRATE_33_CHILD_STATUS_SQL); and the servers hear what changes a
 * session they keep in memory (domain/session_cache.h): a session ended or renewed, an account,
 * its person or its villages changed, a run finished or removed, the county or a register's
 * department changed. One notification per statement, sent at its commit, on the channel
 * SESSION_CHANNEL (domain/session.h); last_seen, written once a minute, is not a change */
#define SESSIONS_CHANGED_SQL                                                                       \
    "CREATE FUNCTION baoxue_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS"                \
    "  $f$ BEGIN PERFORM pg_notify('baoxue_sessions', ''); RETURN NULL; END $f$;"                  \
    "CREATE TRIGGER session_changed AFTER DELETE OR UPDATE OF user_id, csrf, expires_at"           \
    "  ON session FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"                  \
    "CREATE TRIGGER app_user_changed AFTER UPDATE OR DELETE ON app_user"                           \
    "  FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"                             \
    "CREATE TRIGGER person_changed AFTER UPDATE OR DELETE ON person"                               \
    "  FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"                             \
    "CREATE TRIGGER user_village_changed AFTER INSERT OR UPDATE OR DELETE ON user_village"         \
    "  FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"                             \
    "CREATE TRIGGER match_run_changed AFTER UPDATE OR DELETE ON match_run"                         \
    "  FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"                             \
    "CREATE TRIGGER batch_changed AFTER UPDATE OR DELETE ON batch"                                 \
    "  FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"                             \
    "CREATE TRIGGER setting_changed AFTER INSERT OR UPDATE OR DELETE ON setting"                   \
    "  FOR EACH STATEMENT EXECUTE FUNCTION baoxue_sessions_changed();"
const char migrate_pg_step33[] = MIGRATE_33_CHILD_STATUS_SQL("BIGINT") SESSIONS_CHANGED_SQL;

/* 34 (issue 18, the province's table as a background job; as SQLite's step 34, which
 * keeps its CHECK of the kinds: a province's job runs only in a PostgreSQL database shared
 * by counties): the kind province_indicators; a job's area (the division code prefix a job
 * above the county is about) and topic (what of it: a month), one queued or running job
 * per kind, area and topic; the province's kept tables, the latest per area and month */
const char migrate_pg_step34[] =
    "ALTER TABLE job DROP CONSTRAINT job_kind_check;"
    "ALTER TABLE job ADD CONSTRAINT job_kind_check"
    "  CHECK (kind IN ('import', 'match', 'province_indicators'));"
    "ALTER TABLE job ADD COLUMN area " CTEXT ";"
    "ALTER TABLE job ADD COLUMN topic " CTEXT ";"
    "CREATE UNIQUE INDEX job_one_per_topic ON job (kind, area, topic)"
    "  WHERE topic IS NOT NULL AND state IN ('queued', 'running');"
    "CREATE TABLE province_table ("
    "  area " CTEXT " NOT NULL, month " CTEXT " NOT NULL, as_of " CTEXT " NOT NULL,"
    "  computed_at BIGINT NOT NULL, computed_by " CTEXT " NOT NULL,"
    "  job_id BIGINT REFERENCES job (id), content " CTEXT " NOT NULL,"
    "  PRIMARY KEY (area, month));";
