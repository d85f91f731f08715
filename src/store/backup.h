#ifndef BAOXUE_BACKUP_H
#define BAOXUE_BACKUP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "util/outcome.h"

struct store;

/*
 * Backup and restore of the database (issue 18).
 *
 * SQLite: backup_sqlite copies a database, live or not, with SQLite's online backup API into a
 * file that appears complete or not at all: the pages go to a temporary file beside the target
 * (mode 0600: it holds personal data), which is checked (PRAGMA integrity_check), synced, and
 * only then linked at the target (renamed over it when overwriting is asked for). A kill leaves
 * at most the temporary "TARGET.tmp-XXXXXX", never a part at the target. The copy is one
 * consistent state: the source is read inside one read transaction (WAL: writers go on
 * meanwhile), so writes that commit during the copy are in it entirely or not at all.
 *
 * restore_sqlite puts a backup back, also under a running server: the file is copied to a
 * temporary file beside the database and checked there (an SQLite file, a baoxue database whose
 * schema is not newer than this program's, integrity), migrated when older, and then written
 * into the live database with the backup API in the other direction. That holds the database's
 * write lock from before the copy of the old content (kept beside it unless told not to) until
 * the new content commits: every connection sees the old database or the new, and no write
 * falls between the kept copy and the replacement (a writer waits meanwhile, up to its busy
 * timeout). Nothing is changed until every check passed.
 *
 * PostgreSQL: nothing is copied by baoxue (pg_dump and pg_basebackup do it); backup_pg_rights
 * says what the connection's role may do, backup_pg_commands writes the commands.
 */

/* What a database holds, as the summaries print it. */
struct backup_counts {
    int64_t bytes;    /* the file's size */
    int64_t children; /* children of the register: the latest population list's rows */
    int64_t batches;  /* imported lists */
    int64_t runs;     /* cross-checks */
    int64_t version;  /* schema version */
};

struct backup_result {
    struct backup_counts counts;
    double copy_seconds, check_seconds;
};

enum {
    BACKUP_OVERWRITE = 1 << 0, /* backup: replace an existing file at the target */
    RESTORE_NO_KEEP = 1 << 1,  /* restore: do not keep a copy of the replaced database */
};

/* Copy the SQLite database db to target (flags: BACKUP_OVERWRITE). 0, or -1 with the outcome
 * (OUT_INVALID for the target's problems, OUT_NOT_FOUND for a missing database, OUT_ERROR). */
int backup_sqlite(const char *db, const char *target, unsigned flags, struct backup_result *res,
                  struct outcome *o);

struct restore_result {
    struct backup_counts counts; /* of the restored content */
    int64_t from_version;        /* the backup's schema version before migrating */
    char kept[4096];             /* where the replaced database was kept; "" when not */
    double seconds;
};

/* Replace the content of the SQLite database db (created when missing) with the backup file
 * (flags: RESTORE_NO_KEEP). 0, or -1 with the outcome and the database untouched. */
int restore_sqlite(const char *db, const char *file, unsigned flags, struct restore_result *res,
                   struct outcome *o);

/* Where restore keeps the replaced database db: "DB.恢复前-20261207-054500" for the local time
 * `when`. Pure. */
void backup_keep_name(const char *db, time_t when, struct buf *out);

/* What the role of a PostgreSQL connection may do for a backup. */
struct pg_rights {
    char role[128], schema[128], database[128];
    int64_t tables;      /* tables of the schema */
    int64_t unreadable;  /* of them, those the role may not SELECT */
    char first_bad[128]; /* the first such table */
    bool superuser, replication;
};
int backup_pg_rights(struct store *s, struct pg_rights *r, struct outcome *o);

/*
 * The commands for a PostgreSQL DSN (already masked by the caller), each a shell line with the
 * DSN quoted: pg_dump of the schema (custom format, into dump_file), and pg_basebackup of the
 * whole cluster with its WAL (into base_dir); the matching pg_restore. Pure.
 */
void backup_pg_dump_command(const char *masked_dsn, const char *schema, const char *dump_file,
                            struct buf *out);
void backup_pg_basebackup_command(const char *masked_dsn, const char *base_dir, struct buf *out);
void backup_pg_restore_command(const char *masked_dsn, const char *dump_file, struct buf *out);
/* s quoted for a POSIX shell ('…', with ' as '\''), appended to out. Pure. */
void backup_shell_quote(const char *s, struct buf *out);

#endif
