/*
 * Issue 18's SQLite step 34 (the province's table as a background job): kept in a file of its
 * own, as steps 29 to 33 are; migrate_sqlite_steps lists it in order. Never edit a released
 * step: add a new one, and its twin in migrate_pg.c.
 */
#include "store/migrate_impl.h"

/* 34 (domain/job.h, report/counties_kept.h): a job's area — the division code prefix a job
 * above the county is about — and its topic — what of it, a month —, with one queued or running
 * job per kind, area and topic; and the province's kept tables of the counties' indicators, the
 * latest per area and month. Its twin also lets the kinds' CHECK take province_indicators, a
 * job only a PostgreSQL database shared by many counties runs: SQLite keeps its CHECK (as step
 * 32 kept the roles'), and the province's routes answer 404 before any such job is made. The
 * table is made here too, empty, so that both stores have the same tables. */
const char migrate_sqlite_step34[] =
    "ALTER TABLE job ADD COLUMN area TEXT;"
    "ALTER TABLE job ADD COLUMN topic TEXT;"
    "CREATE UNIQUE INDEX job_one_per_topic ON job (kind, area, topic)"
    "  WHERE topic IS NOT NULL AND state IN ('queued', 'running');"
    "CREATE TABLE province_table ("
    "  area TEXT NOT NULL, month TEXT NOT NULL, as_of TEXT NOT NULL,"
    "  computed_at INTEGER NOT NULL, computed_by TEXT NOT NULL,"
    "  job_id INTEGER REFERENCES job (id), content TEXT NOT NULL,"
    "  PRIMARY KEY (area, month));";
