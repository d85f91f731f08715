#include "store/migrate.h"

#include "store/migrate_impl.h"
#include "store/store.h"
#include "util/common.h"

/*
 * The schema's runner: each step of the dialect's list (migrate_sqlite.c, which describes the
 * tables, or its twin migrate_pg.c) applied in its own transaction with foreign keys off and
 * every reference checked before it commits; the schema version; the record ID index an
 * import takes down and builds again; dropping a PostgreSQL schema's tables.
 */

/* The same index as step 1 creates; IF (NOT) EXISTS so that either call may be repeated. */
int schema_drop_record_id_index(struct store *s)
{
    return store_exec(s, "DROP INDEX IF EXISTS record_id_number");
}

int schema_create_record_id_index(struct store *s)
{
    return store_exec(s, "CREATE INDEX IF NOT EXISTS record_id_number ON record (id_number)");
}

int schema_drop_all(struct store *s)
{
    if (strcmp(store_dialect(s), "postgresql")) {
        buf_reset(&s->errmsg);
        buf_adds(&s->errmsg, "SQLite 数据库请删除文件");
        return -1;
    }
    return store_exec(s, "DO $$DECLARE t record; BEGIN"
                         " FOR t IN SELECT tablename FROM pg_tables"
                         "  WHERE schemaname = current_schema() LOOP"
                         "  EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', t.tablename);"
                         " END LOOP;"
                         /* and the functions of the steps (6, 9, 31: every baoxue_…), or
                          * creating them again fails */
                         " FOR t IN SELECT p.proname,"
                         "  pg_get_function_identity_arguments(p.oid) AS args FROM pg_proc p"
                         "  JOIN pg_namespace n ON n.oid = p.pronamespace"
                         "  WHERE n.nspname = current_schema() AND p.proname LIKE 'baoxue\\_%'"
                         " LOOP"
                         "  EXECUTE format('DROP FUNCTION IF EXISTS %I.%I(%s)', current_schema(),"
                         "   t.proname, t.args);"
                         " END LOOP; END$$");
}

int schema_version_latest(void)
{
    return migrate_sqlite_count;
}

int schema_step_count(const char *dialect)
{
    return !strcmp(dialect, "postgresql") ? migrate_pg_count : migrate_sqlite_count;
}

/* Step `v` in one transaction with its schema_version row; -1 with the reason. */
static int apply_step(struct store *s, int v, const char *sql, bool pg)
{
    char num[16];
    snprintf(num, sizeof(num), "%d", v);
    const char *p[] = {num};
    int64_t dangling = 0;
    if (store_begin(s) < 0)
        return -1;
    int rc = store_exec(s, sql);
    if (rc == 0 && !pg)
        rc = store_int(s, "SELECT count(*) FROM pragma_foreign_key_check", 0, NULL, &dangling);
    if (rc == 0 && dangling) {
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "有 %lld 处引用指向不存在的行", (long long)dangling);
        rc = -1;
    }
    if (rc == 0)
        rc = store_run(s, "INSERT INTO schema_version (version) VALUES ($1)", 1, p);
    if (rc == 0)
        rc = store_commit(s);
    if (rc < 0) {
        struct buf keep = BUF_INIT;
        buf_adds(&keep, s->errmsg.buf);
        store_rollback(s);
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "升级数据库结构到版本 %d 失败：%s", v, keep.buf);
        buf_release(&keep);
    }
    return rc;
}

int migrate(struct store *s)
{
    int64_t version = 0;
    bool pg = !strcmp(store_dialect(s), "postgresql");
    const char *const *steps = pg ? migrate_pg_steps : migrate_sqlite_steps;
    /* a step without its PostgreSQL twin (test_store fails on it too) */
    if (schema_step_count(store_dialect(s)) != schema_version_latest()) {
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "本程序缺少 %s 数据库结构的第 %d 步，无法使用此类数据库",
                 store_dialect(s), schema_step_count(store_dialect(s)) + 1);
        return -1;
    }
    if (store_exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") < 0)
        return -1;
    if (store_int(s, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, &version) < 0)
        return -1;
    if (version > schema_version_latest()) {
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "数据库结构版本 %lld 比本程序支持的 %d 新，请升级 baoxue",
                 (long long)version, schema_version_latest());
        return -1;
    }
    /*
     * A step may rebuild a table others refer to (SQLite cannot change a CHECK otherwise): the
     * steps run with foreign keys off (outside a transaction is the only place SQLite lets that
     * change), and every reference is checked before each step commits.
     */
    if (version < schema_version_latest() && store_foreign_keys(s, false) < 0)
        return -1;
    int rc = 0;
    for (int v = (int)version; v < schema_version_latest() && rc == 0; v++)
        rc = apply_step(s, v + 1, steps[v], pg);
    if (version < schema_version_latest() && store_foreign_keys(s, true) < 0)
        return -1;
    return rc;
}
