#ifndef BAOXUE_MIGRATE_H
#define BAOXUE_MIGRATE_H

struct store;

/* Bring the schema to the newest version, each step in its own transaction. A database
 * written by a newer baoxue is refused rather than misread. */
int migrate(struct store *s);
int schema_version_latest(void);

#endif
