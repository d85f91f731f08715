/*
 * Issue 18's SQLite step 31 (imports on PostgreSQL by COPY): kept in a file of its own, as
 * steps 29 and 30 are; migrate_sqlite_steps lists it in order. Never edit a released step:
 * add a new one, and its twin in migrate_pg.c.
 */
#include "store/migrate_impl.h"

/* 31: nothing changes on SQLite. Its twin takes the foreign key of record.batch_id off
 * PostgreSQL, where it cost a trigger per copied row (a third of the load's time), and puts a
 * trigger on batch in its place; SQLite checks the same key in its B-tree at no such cost, and
 * keeps it (docs/decisions.md, "a record's batch on PostgreSQL"). */
const char migrate_sqlite_step31[] = "SELECT 1;";

/* 32: the area of an account above the county (its twin also lets the role CHECK take the
 * province's and a city's accounts, which only a PostgreSQL database shared by many counties
 * has: SQLite keeps its CHECK, and user_add refuses those roles before it). */
const char migrate_sqlite_step32[] = "ALTER TABLE app_user ADD COLUMN area TEXT;";
