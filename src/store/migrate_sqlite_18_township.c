/*
 * Issue 18's SQLite step 30 (list throughput): kept in a file of its own, as step 29 is;
 * migrate_sqlite_steps lists it in order. Never edit a released step: add a new one, and its
 * twin in migrate_pg.c.
 */
#include "store/migrate_impl.h"

/* 30 (issue 18, domain/children.c): a child's township on its child_status row, the register
 * record's own (as run_count counts it), so that a township's list of the suspected is one
 * range of an index instead of a look at the record of every suspected child of the county.
 * A pupil in no register here (enrolled_nonlocal) has none: the township the list gives it is
 * nonlocal_pupil's. Rows of earlier runs take it from their record. */
const char migrate_sqlite_step30[] =
    "ALTER TABLE child_status ADD COLUMN township_code TEXT;"
    "UPDATE child_status SET township_code = (SELECT r.township_code FROM record r"
    "  WHERE r.id = child_status.record_id) WHERE status <> 'enrolled_nonlocal';"
    "CREATE INDEX child_status_township ON child_status (run_id, township_code, status)"
    "  WHERE status <> 'enrolled';";

/* 33 (issue 18, domain/children.c): the township's index ends with the record, so that a page
 * of one status in the order of its records is read from the index in that order and stops at
 * the page's end, instead of reading the township's every row of the status and sorting them;
 * and the row keeps its child's priority groups (group_mask, written by groups_match).
 * (Its twin on PostgreSQL also adds the triggers by which a server hears that a session, an
 * account or a run changed: SQLite's servers keep no session in memory.) */
const char migrate_sqlite_step33[] =
    "DROP INDEX child_status_township;"
    "CREATE INDEX child_status_township ON child_status (run_id, township_code, status,"
    "  record_id) WHERE status <> 'enrolled';"
    /* and each row says its child's priority groups in its run, as the mask groups_mask_sql
     * computes (the groups of the vocabulary as it stood at this step, bit g the g-th): a page
     * reads it there instead of looking up group_member for every row */
    "ALTER TABLE child_status ADD COLUMN group_mask INTEGER NOT NULL DEFAULT 0;"
    "UPDATE child_status SET group_mask = (SELECT coalesce(sum(DISTINCT CASE gmk.grp WHEN "
    "  'poverty' THEN 1 WHEN 'monitored' THEN 2 WHEN 'dibao' THEN 4 WHEN 'tekun' THEN 8 "
    "  WHEN 'orphan' THEN 16 WHEN 'de_facto' THEN 32 WHEN 'disabled' THEN 64 WHEN "
    "  'left_behind' THEN 128 ELSE 0 END), 0) FROM group_member gmk WHERE gmk.run_id = "
    "  child_status.run_id AND gmk.record_id = child_status.record_id) WHERE EXISTS (SELECT "
    "  1 FROM group_member g WHERE g.run_id = child_status.run_id AND g.record_id = "
    "  child_status.record_id);"
    /* the suspected set (not enrolled, dropped out: domain/children.h) of a township, and of
     * the county, each one range in the list's order: the priority groups first */
    "CREATE INDEX child_status_suspected ON child_status (run_id, township_code,"
    "  (group_mask <> 0) DESC, record_id) WHERE status IN ('not_enrolled', 'dropped_out');"
    "CREATE INDEX child_status_suspected_county ON child_status (run_id,"
    "  (group_mask <> 0) DESC, record_id) WHERE status IN ('not_enrolled', 'dropped_out');";
