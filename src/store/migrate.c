#include "store/migrate.h"

#include "store/store.h"
#include "util/common.h"

/*
 * SQLite migrations, in order; the index + 1 is the version. Never edit a released step:
 * add a new one. (PostgreSQL gets its own list with the libpq driver.)
 *
 * Tables:
 *   setting      county code and other per-installation settings
 *   batch        one imported file = one snapshot of its kind
 *   record       every imported row that names a person, normalised, with its flags
 *   reject       rows not imported (rejected: cannot name a person) with reasons and raw cells
 *   match_run    one cross-check: as-of date, school year, the snapshots it read, counts
 *   link         which records were recognised as the same child, how, and why
 *   child_status a run's status of each child someone acts on, with a Chinese detail
 *   run_status   every child's status in a run, compactly (domain/runstatus.h)
 *   run_count    a run's children by township and status
 *   audit        append-only: who read or exported full personal data, imports, runs
 *   app_user     accounts of the server: role and region, argon2id password hash
 *   session      signed-in sessions (hashed ids), shared by every server on the database
 *   login_attempt consecutive failed logins per account name, for the lockout
 */
static const char *const sqlite_steps[] = {
    /* 1 */
    "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE batch ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('population','enrollment','outside')),"
    "  file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL, file_size INTEGER NOT NULL,"
    "  format TEXT NOT NULL, encoding TEXT, sheet TEXT, header_row INTEGER NOT NULL,"
    "  columns TEXT NOT NULL, imported_at TEXT NOT NULL, imported_by TEXT,"
    "  forced INTEGER NOT NULL DEFAULT 0,"
    "  rows_read INTEGER NOT NULL, rows_imported INTEGER NOT NULL,"
    "  rows_flagged INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,"
    "  rows_skipped INTEGER NOT NULL, flag_counts TEXT NOT NULL);"
    "CREATE INDEX batch_kind ON batch (kind, id);"
    "CREATE INDEX batch_hash ON batch (file_sha256, kind);"
    "CREATE TABLE record ("
    "  id INTEGER PRIMARY KEY,"
    "  batch_id INTEGER NOT NULL REFERENCES batch (id),"
    "  row_no INTEGER NOT NULL,"
    "  id_number TEXT, id_raw TEXT, id_flags INTEGER NOT NULL DEFAULT 0,"
    "  name TEXT, name_key TEXT, gender INTEGER, birth_date TEXT, ethnicity TEXT,"
    "  address TEXT, township_code TEXT, township TEXT, village TEXT,"
    "  guardian TEXT, phone TEXT, reg_status TEXT,"
    "  school_code TEXT, school_name TEXT, school_region TEXT,"
    "  grade INTEGER, grade_text TEXT, class TEXT, student_no TEXT, enroll_status TEXT,"
    "  flags INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX record_batch ON record (batch_id, row_no);"
    "CREATE INDEX record_id_number ON record (id_number);"
    "CREATE TABLE reject ("
    "  batch_id INTEGER NOT NULL REFERENCES batch (id), row_no INTEGER NOT NULL,"
    "  reason TEXT NOT NULL, raw TEXT NOT NULL);"
    "CREATE TABLE match_run ("
    "  id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,"
    "  as_of TEXT NOT NULL, school_year INTEGER NOT NULL, cutoff TEXT NOT NULL,"
    "  population_batch INTEGER NOT NULL REFERENCES batch (id),"
    "  enrollment_batch INTEGER REFERENCES batch (id),"
    "  outside_batch INTEGER REFERENCES batch (id),"
    "  counts TEXT);"
    "CREATE TABLE link ("
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  population_record INTEGER NOT NULL REFERENCES record (id),"
    "  other_record INTEGER NOT NULL REFERENCES record (id),"
    "  method TEXT NOT NULL, score REAL, explanation TEXT);"
    "CREATE INDEX link_run ON link (run_id, population_record);"
    "CREATE TABLE child_status ("
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  status TEXT NOT NULL, age INTEGER, expected_grade INTEGER,"
    "  school_record INTEGER REFERENCES record (id), detail TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, record_id)) WITHOUT ROWID;"
    "CREATE INDEX child_status_status ON child_status (run_id, status);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, origin TEXT NOT NULL,"
    "  action TEXT NOT NULL, target TEXT, detail TEXT);",
    /* 2: fuzzy linkage. `candidate` keeps every pair the fuzzy stage scored in a run (for
     * explain and the review queue); `review_decision` keeps a clerk's decision on a pair by a
     * key that survives new snapshots, so that it re-applies and is never overwritten. */
    "CREATE TABLE candidate ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  population_record INTEGER NOT NULL REFERENCES record (id),"
    "  other_record INTEGER NOT NULL REFERENCES record (id),"
    "  pair_key TEXT NOT NULL, score REAL NOT NULL, levels TEXT NOT NULL,"
    "  decision TEXT NOT NULL, reason TEXT NOT NULL);"
    "CREATE INDEX candidate_run ON candidate (run_id, decision);"
    "CREATE INDEX candidate_population ON candidate (run_id, population_record);"
    "CREATE INDEX candidate_other ON candidate (run_id, other_record);"
    "CREATE TABLE review_decision ("
    "  pair_key TEXT PRIMARY KEY,"
    "  decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),"
    "  decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, note TEXT,"
    "  first_run INTEGER REFERENCES match_run (id));",
    /* 3: most children are enrolled and no list asks for them by status; indexing only the
     * others keeps a run's millions of status rows cheap to write. */
    "DROP INDEX child_status_status;"
    "CREATE INDEX child_status_status ON child_status (run_id, status)"
    "  WHERE status <> 'enrolled';",
    /* 4: the linker's view of a batch as one blob (link/keys.h), written by the import. */
    "CREATE TABLE batch_keys ("
    "  batch_id INTEGER PRIMARY KEY REFERENCES batch (id),"
    "  data BLOB NOT NULL);",
    /* 5: a run's statuses compactly (domain/runstatus.h): every child in chunks of entries,
     * child_status only for the children someone acts on, counts by township and status.
     * Runs made before keep their child_status rows, which the readers fall back to; their
     * counts are derived here. */
    "CREATE TABLE run_status ("
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  first_record INTEGER NOT NULL, last_record INTEGER NOT NULL, n INTEGER NOT NULL,"
    "  data BLOB NOT NULL);"
    "CREATE UNIQUE INDEX run_status_chunk ON run_status (run_id, first_record);"
    "CREATE TABLE run_count ("
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  township_code TEXT NOT NULL, township TEXT NOT NULL, status TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, township_code, township, status));"
    "INSERT INTO run_count (run_id, township_code, township, status, n)"
    "  SELECT cs.run_id, coalesce(r.township_code, ''), coalesce(r.township, ''), cs.status,"
    "   count(*) FROM child_status cs JOIN record r ON r.id = cs.record_id GROUP BY 1, 2, 3, 4;",
    /* 6: the server (issue 5): accounts, sessions, the login lockout; the audit trail is
     * read back by actor and action. Sessions are kept by the SHA-256 of their id, so that a
     * copy of the database opens no session. Times are Unix seconds. */
    "CREATE TABLE app_user ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'county', 'township', 'school',"
    "   'department', 'supervisor')),"
    "  township_code TEXT, school_code TEXT, department TEXT,"
    "  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL, password_changed_at TEXT NOT NULL);"
    "CREATE TABLE session ("
    "  id_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES app_user (id),"
    "  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL, origin TEXT NOT NULL);"
    "CREATE INDEX session_user ON session (user_id);"
    "CREATE TABLE login_attempt ("
    "  name TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL);"
    "CREATE INDEX audit_actor ON audit (actor, id);"
    "CREATE INDEX audit_action ON audit (action, id);",
};

/* The same index as step 1 creates; IF (NOT) EXISTS so that either call may be repeated. */
int schema_drop_record_id_index(struct store *s)
{
    return store_exec(s, "DROP INDEX IF EXISTS record_id_number");
}

int schema_create_record_id_index(struct store *s)
{
    return store_exec(s, "CREATE INDEX IF NOT EXISTS record_id_number ON record (id_number)");
}

int schema_version_latest(void)
{
    return (int)ARRAY_SIZE(sqlite_steps);
}

int migrate(struct store *s)
{
    int64_t version = 0;
    if (store_exec(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") < 0)
        return -1;
    if (store_int(s, "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, &version) < 0)
        return -1;
    if (version > schema_version_latest()) {
        buf_reset(&s->errmsg);
        buf_addf(&s->errmsg, "数据库结构版本 %lld 比本程序支持的 %d 新，请升级 baoxue",
                 (long long)version, schema_version_latest());
        return -1;
    }
    for (int v = (int)version; v < schema_version_latest(); v++) {
        char num[16];
        snprintf(num, sizeof(num), "%d", v + 1);
        const char *p[] = {num};
        if (store_begin(s) < 0)
            return -1;
        if (store_exec(s, sqlite_steps[v]) < 0 ||
            store_run(s, "INSERT INTO schema_version (version) VALUES ($1)", 1, p) < 0 ||
            store_commit(s) < 0) {
            struct buf keep = BUF_INIT;
            buf_adds(&keep, s->errmsg.buf);
            store_rollback(s);
            buf_reset(&s->errmsg);
            buf_addf(&s->errmsg, "升级数据库结构到版本 %d 失败：%s", v + 1, keep.buf);
            buf_release(&keep);
            return -1;
        }
    }
    return 0;
}
