/* PostgreSQL's side of backup (see backup.h): what the role may do, and the commands that copy. */
#include "store/backup.h"

#include "store/store.h"
#include "util/common.h"

void backup_shell_quote(const char *s, struct buf *out)
{
    buf_addch(out, '\'');
    for (; *s; s++)
        if (*s == '\'')
            buf_adds(out, "'\\''");
        else
            buf_addch(out, *s);
    buf_addch(out, '\'');
}

void backup_pg_dump_command(const char *masked_dsn, const char *schema, const char *dump_file,
                            struct buf *out)
{
    buf_adds(out, "pg_dump --format=custom --no-owner --file=");
    backup_shell_quote(dump_file, out);
    if (schema && *schema) {
        buf_adds(out, " --schema=");
        backup_shell_quote(schema, out);
    }
    buf_adds(out, " --dbname=");
    backup_shell_quote(masked_dsn, out);
}

void backup_pg_basebackup_command(const char *masked_dsn, const char *base_dir, struct buf *out)
{
    buf_adds(out, "pg_basebackup --pgdata=");
    backup_shell_quote(base_dir, out);
    buf_adds(out, " --wal-method=stream --checkpoint=fast --progress --dbname=");
    backup_shell_quote(masked_dsn, out);
}

void backup_pg_restore_command(const char *masked_dsn, const char *dump_file, struct buf *out)
{
    buf_adds(out, "pg_restore --clean --if-exists --no-owner --single-transaction --dbname=");
    backup_shell_quote(masked_dsn, out);
    buf_addch(out, ' ');
    backup_shell_quote(dump_file, out);
}

static int text_of(struct store *s, const char *sql, char *out, size_t size, struct outcome *o)
{
    struct stmt *st = store_prepare(s, sql);
    if (!st)
        return fail_store(s, o);
    int rc = stmt_step(st);
    if (rc == 1)
        snprintf(out, size, "%s", stmt_text(st, 0));
    stmt_finalize(st);
    return rc < 0 ? fail_store(s, o) : 0;
}

int backup_pg_rights(struct store *s, struct pg_rights *r, struct outcome *o)
{
    memset(r, 0, sizeof(*r));
    int64_t super = 0, repl = 0;
    if (text_of(s, "SELECT current_user", r->role, sizeof(r->role), o) < 0 ||
        text_of(s, "SELECT current_schema()", r->schema, sizeof(r->schema), o) < 0 ||
        text_of(s, "SELECT current_database()", r->database, sizeof(r->database), o) < 0)
        return -1;
    if (store_int(s, "SELECT rolsuper::int FROM pg_roles WHERE rolname = current_user", 0, NULL,
                  &super) < 0 ||
        store_int(s, "SELECT rolreplication::int FROM pg_roles WHERE rolname = current_user", 0,
                  NULL, &repl) < 0 ||
        store_int(s, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()", 0, NULL,
                  &r->tables) < 0)
        return fail_store(s, o);
    r->superuser = super;
    r->replication = repl;
    /* every table of the schema: pg_dump reads them all (and its sequences) */
    struct stmt *st = store_prepare(
        s, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
           " AND NOT has_table_privilege(format('%I.%I', schemaname, tablename), 'SELECT')"
           " UNION ALL SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
           " AND NOT has_sequence_privilege(format('%I.%I', schemaname, sequencename), 'SELECT')"
           " ORDER BY 1");
    if (!st)
        return fail_store(s, o);
    int rc;
    while ((rc = stmt_step(st)) == 1) {
        if (!r->unreadable++)
            snprintf(r->first_bad, sizeof(r->first_bad), "%s", stmt_text(st, 0));
    }
    stmt_finalize(st);
    return rc < 0 ? fail_store(s, o) : 0;
}
