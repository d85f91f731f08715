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

/* 33: the township index ends with the record, child_status keeps the priority groups, the
 * suspected set has indexes of its own order (MIGRATE_33_CHILD_STATUS_SQL). (Its twin on
 * PostgreSQL also adds the triggers by which a server hears that a session, an account or a run
 * changed: SQLite's servers keep no session in memory.) */
const char migrate_sqlite_step33[] = MIGRATE_33_CHILD_STATUS_SQL("INTEGER");
