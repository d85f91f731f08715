#ifndef BAOXUE_MIGRATE_H
#define BAOXUE_MIGRATE_H

struct store;

/* Bring the schema to the newest version, each step in its own transaction. A database
 * written by a newer baoxue is refused rather than misread. */
int migrate(struct store *s);
int schema_version_latest(void);
/* The number of steps of a dialect's list ("sqlite", "postgresql"); equal for both. */
int schema_step_count(const char *dialect);
/* PostgreSQL: drop every table of the current schema (the demo replacing its own database;
 * an SQLite database is a file, removed instead). */
int schema_drop_all(struct store *s);

/*
 * The index on record (id_number), taken down while a large import writes its rows and built
 * again, in one sorted pass, before that import commits (see import.c). Both run inside the
 * import's transaction, so no committed state ever lacks the index.
 */
int schema_drop_record_id_index(struct store *s);
int schema_create_record_id_index(struct store *s);

#endif
