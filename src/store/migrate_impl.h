#ifndef BAOXUE_MIGRATE_IMPL_H
#define BAOXUE_MIGRATE_IMPL_H

/*
 * What the runner (migrate.c) shares with the two lists of steps: migrate_sqlite.c's, which
 * also describes the tables, and its PostgreSQL twin migrate_pg.c's. Step v (from 1) is entry
 * v - 1; a step is never edited once released, and every step has its twin.
 */

extern const char *const migrate_sqlite_steps[];
extern const int migrate_sqlite_count;
extern const char *const migrate_pg_steps[];
extern const int migrate_pg_count;
/* issue 17's SQLite steps (migrate_sqlite_17.c) */
extern const char migrate_sqlite_step24[], migrate_sqlite_step25[], migrate_sqlite_step26[],
    migrate_sqlite_step27[], migrate_sqlite_step28[];
/* issue 18's steps, one file per part (migrate_sqlite_18_<part>.c) */
extern const char migrate_sqlite_step29[]; /* stateless servers: the job lease */
extern const char migrate_sqlite_step30[]; /* list throughput: child_status.township_code */
extern const char migrate_sqlite_step31[]; /* COPY imports: nothing on SQLite (its twin: no FK) */
extern const char migrate_sqlite_step32[]; /* accounts above the county: their area */
extern const char migrate_sqlite_step33[]; /* the township index ends with the record */
extern const char migrate_sqlite_step34[]; /* the province's table: job area, province_table */
/* and their PostgreSQL twins from step 33 on (migrate_pg_18.c) */
extern const char migrate_pg_step33[], migrate_pg_step34[];

/* Step 33 on both stores (issue 18, domain/children.c): the township's index ends with the
 * record, so that a page of one status is read in its order and stops at its end; each
 * child_status row keeps its child's priority groups in its run (group_mask, of type TYPE; bit g
 * the g-th group of the vocabulary as it stood at this step; groups_match writes it for later
 * runs); and the suspected set (not enrolled, dropped out: domain/children.h) of a township, and
 * of the county, is one range of an index in the list's order, the priority groups first. */
#define MIGRATE_33_CHILD_STATUS_SQL(TYPE)                                                          \
    "DROP INDEX child_status_township;"                                                            \
    "CREATE INDEX child_status_township ON child_status (run_id, township_code, status,"           \
    "  record_id) WHERE status <> 'enrolled';"                                                     \
    "ALTER TABLE child_status ADD COLUMN group_mask " TYPE " NOT NULL DEFAULT 0;"                  \
    "UPDATE child_status SET group_mask = (SELECT coalesce(sum(DISTINCT CASE gmk.grp"              \
    "  WHEN 'poverty' THEN 1 WHEN 'monitored' THEN 2 WHEN 'dibao' THEN 4 WHEN 'tekun' THEN 8"      \
    "  WHEN 'orphan' THEN 16 WHEN 'de_facto' THEN 32 WHEN 'disabled' THEN 64"                      \
    "  WHEN 'left_behind' THEN 128 ELSE 0 END), 0) FROM group_member gmk"                          \
    "  WHERE gmk.run_id = child_status.run_id AND gmk.record_id = child_status.record_id)"         \
    "  WHERE EXISTS (SELECT 1 FROM group_member g WHERE g.run_id = child_status.run_id"            \
    "  AND g.record_id = child_status.record_id);"                                                 \
    "CREATE INDEX child_status_suspected ON child_status (run_id, township_code,"                  \
    "  (group_mask <> 0) DESC, record_id) WHERE status IN ('not_enrolled', 'dropped_out');"        \
    "CREATE INDEX child_status_suspected_county ON child_status (run_id,"                          \
    "  (group_mask <> 0) DESC, record_id) WHERE status IN ('not_enrolled', 'dropped_out');"

/* Step 10: the department accounts' free-text names that name a department of the vocabulary
 * (domain/department.c, as it stood then) become its key; the others stay as they are. */
#define DEPARTMENT_KEY(key, like)                                                                  \
    "UPDATE app_user SET department = '" key                                                       \
    "' WHERE role = 'department' AND department LIKE '%" like "%';"
#define DEPARTMENT_KEYS_SQL                                                                        \
    DEPARTMENT_KEY("police", "公安")                                                               \
    DEPARTMENT_KEY("police", "派出所")                                                             \
    DEPARTMENT_KEY("civil_affairs", "民政")                                                        \
    DEPARTMENT_KEY("disabled_persons", "残联")                                                     \
    DEPARTMENT_KEY("disabled_persons", "残疾人联合会")                                             \
    DEPARTMENT_KEY("rural_revitalization", "乡村振兴")                                             \
    DEPARTMENT_KEY("rural_revitalization", "扶贫")                                                 \
    DEPARTMENT_KEY("womens_federation", "妇联")                                                    \
    DEPARTMENT_KEY("womens_federation", "妇女联合会")                                              \
    DEPARTMENT_KEY("student_aid", "资助")                                                          \
    DEPARTMENT_KEY("finance", "财政")

#endif
