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
