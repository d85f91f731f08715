#include "store/migrate_impl.h"

#include "util/common.h"

/*
 * SQLite migrations, in order; the index + 1 is the version. Never edit a released step:
 * add a new one, here and its twin in migrate_pg.c.
 *
 * Tables:
 *   setting      county code and other per-installation settings
 *   batch        one imported file = one snapshot of its kind
 *   record       every imported row that names a person, normalised, with its flags
 *   reject       rows not imported (rejected: cannot name a person) with reasons and raw cells
 *   match_run    one cross-check: as-of date, school year, the snapshots it read, counts
 *   link         which records were recognised as the same child, how, and why
 *   child_status a run's status of each child someone acts on, with a Chinese detail (and,
 *                from step 30, the township of its register record)
 *   run_status   every child's status in a run, compactly (domain/runstatus.h)
 *   run_count    a run's children by township and status
 *   audit        append-only: who read or exported full personal data, imports, runs
 *   person, child, verify_task, case_file, assignment, attempt, ladder_step, follow_up, event
 *                casework (step 6, docs/casework.md)
 *   app_user     accounts of the server: role and region, argon2id password hash
 *   session      signed-in sessions (hashed ids), shared by every server on the database
 *   login_attempt consecutive failed logins per account name, for the lockout
 *                (server: step 7)
 *   job          background jobs of the server: imports and cross-checks (step 8); the
 *                server that runs each and its lease (step 29, migrate_sqlite_18_stateless.c);
 *                the area and topic of a job above the county, one running per topic (step 34)
 *   province_table the province's kept tables of the counties' indicators, the latest per
 *                area and month (step 34, migrate_sqlite_18_province.c; used in the schema
 *                province of a PostgreSQL database shared by counties, empty elsewhere)
 *   login_attempt (step 9) failed logins counted per (account name, client address), per
 *                address (name '') and per name (address ''); the pair's last successful
 *                login makes it a known client (issue 11, domain/session.c)
 * Step 10 (issue 11, who may change what): a batch's state (live, pending a county's acceptance,
 * rejected) and the order in which batches became the current snapshot; the department key of
 * department accounts; the 销号 approver as an account; the audit trail append-only and chained.
 * Step 11 (issue 13): the lists current when an outcome was recorded; the review queue by pair;
 * the day a run ran.
 * Step 13 (issue 14): an attempt may be a video call; a correction's reason.
 * Step 15 (issue 14): attachment, the photos and scanned receipts of verifications, attempts and
 * notices, bytes and all.
 */
#define CASE_FILE_COLUMNS                                                                          \
    "id, child_id, task_id, run_id, record_id, township_code, township, opened_on,"                \
    " active_since, first_visit_due, state, reason, other_reasons, ladder, ladder_deadline,"       \
    " outcome, outcome_on, outcome_school, outcome_grade, outcome_detail, closed_on, closed_by,"   \
    " close_reason, reopened"

const char *const migrate_sqlite_steps[] = {
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
    /* 6: casework (issue 4, docs/casework.md). The people who do the work; a child kept
     * across snapshots by a key (ID, else name key + birth date + sex); verification tasks and
     * cases, whose current state is a row that changes, while everything that happened is
     * appended to tables that refuse UPDATE and DELETE (assignment, attempt, ladder_step,
     * follow_up, event). */
    "CREATE TABLE person ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL CHECK (name <> ''), phone TEXT,"
    "  org TEXT NOT NULL CHECK (org <> ''),"
    "  org_kind TEXT NOT NULL"
    "   CHECK (org_kind IN ('county','township','village','school','department')),"
    "  township_code TEXT, role TEXT NOT NULL CHECK (role <> ''),"
    "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
    "  created_at TEXT NOT NULL, UNIQUE (name, org));"
    "CREATE INDEX person_township ON person (township_code, active);"
    "CREATE TABLE child ("
    "  id INTEGER PRIMARY KEY, child_key TEXT NOT NULL UNIQUE,"
    "  first_run INTEGER NOT NULL REFERENCES match_run (id),"
    "  first_record INTEGER NOT NULL REFERENCES record (id),"
    "  last_run INTEGER NOT NULL REFERENCES match_run (id),"
    "  last_record INTEGER NOT NULL REFERENCES record (id));"
    "CREATE TABLE verify_task ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  suspected TEXT NOT NULL CHECK (suspected IN ('not_enrolled','dropped_out')),"
    "  township_code TEXT, township TEXT,"
    "  opened_on TEXT NOT NULL, deadline TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','outreach','closed')),"
    "  outcome TEXT CHECK (outcome IN ('registered','in_province','out_of_province','abroad',"
    "   'home_teaching','deferred','over_age','deceased','registration','unreachable',"
    "   'out_of_school')),"
    "  outcome_sub TEXT CHECK (outcome_sub IN ('hollow','dual','id_error','not_found')),"
    "  verified_on TEXT, verified_by INTEGER REFERENCES person (id),"
    "  school TEXT, evidence TEXT, note TEXT,"
    "  flagged_run INTEGER REFERENCES match_run (id),"
    "  CHECK (state = 'open' OR outcome IS NOT NULL),"
    "  CHECK (outcome IS NOT 'registration' OR outcome_sub IS NOT NULL));"
    "CREATE INDEX verify_task_child ON verify_task (child_id);"
    "CREATE INDEX verify_task_state ON verify_task (state, township_code, deadline);"
    "CREATE TABLE case_file ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL UNIQUE REFERENCES child (id),"
    "  task_id INTEGER NOT NULL REFERENCES verify_task (id),"
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  township_code TEXT, township TEXT,"
    "  opened_on TEXT NOT NULL, active_since TEXT NOT NULL, first_visit_due TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','returned','closed')),"
    "  reason TEXT CHECK (reason IN ('learning','work','marriage','religion','illness',"
    "   'poverty','other')),"
    "  other_reasons TEXT,"
    "  ladder INTEGER NOT NULL DEFAULT 0 CHECK (ladder BETWEEN 0 AND 4),"
    "  ladder_deadline TEXT,"
    "  outcome TEXT CHECK (outcome IN ('returned','home_teaching','special_school',"
    "   'vocational','other')),"
    "  outcome_on TEXT, outcome_school TEXT, outcome_grade TEXT, outcome_detail TEXT,"
    "  closed_on TEXT, closed_by INTEGER REFERENCES person (id), close_reason TEXT,"
    "  reopened INTEGER NOT NULL DEFAULT 0,"
    "  CHECK (state = 'open' OR outcome IS NOT NULL),"
    "  CHECK (state <> 'closed' OR closed_by IS NOT NULL));"
    "CREATE INDEX case_file_state ON case_file (state, township_code);"
    "CREATE TABLE assignment ("
    "  id INTEGER PRIMARY KEY,"
    "  task_id INTEGER REFERENCES verify_task (id),"
    "  case_id INTEGER REFERENCES case_file (id),"
    "  role TEXT NOT NULL CHECK (role IN ('township','village','teacher')),"
    "  person_id INTEGER NOT NULL REFERENCES person (id),"
    "  assigned_on TEXT NOT NULL, assigned_by TEXT NOT NULL, reason TEXT,"
    "  CHECK ((task_id IS NULL) <> (case_id IS NULL)));"
    "CREATE INDEX assignment_task ON assignment (task_id, role, id);"
    "CREATE INDEX assignment_case ON assignment (case_id, role, id);"
    "CREATE INDEX assignment_person ON assignment (person_id);"
    "CREATE TABLE attempt ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES case_file (id),"
    "  on_date TEXT NOT NULL,"
    "  method TEXT NOT NULL CHECK (method IN ('phone','home_visit','parent_interview',"
    "   'written_notice','message','school_visit','other')),"
    "  people TEXT NOT NULL, said TEXT, response TEXT, result TEXT NOT NULL, next_step TEXT,"
    "  corrects INTEGER REFERENCES attempt (id),"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);"
    "CREATE INDEX attempt_case ON attempt (case_id, id);"
    "CREATE TABLE ladder_step ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES case_file (id),"
    "  step INTEGER NOT NULL CHECK (step BETWEEN 1 AND 4),"
    "  on_date TEXT NOT NULL, authority TEXT NOT NULL, deadline TEXT, result TEXT,"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);"
    "CREATE INDEX ladder_step_case ON ladder_step (case_id, id);"
    "CREATE TABLE follow_up ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES case_file (id),"
    "  on_date TEXT NOT NULL, in_school INTEGER NOT NULL CHECK (in_school IN (0, 1)),"
    "  by_person INTEGER NOT NULL REFERENCES person (id), note TEXT,"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);"
    "CREATE INDEX follow_up_case ON follow_up (case_id, id);"
    "CREATE TABLE event ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  task_id INTEGER REFERENCES verify_task (id),"
    "  case_id INTEGER REFERENCES case_file (id),"
    "  kind TEXT NOT NULL, on_date TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX event_child ON event (child_id, id);"
    "CREATE TRIGGER assignment_append_only BEFORE UPDATE ON assignment"
    "  BEGIN SELECT RAISE(ABORT, 'assignment is append-only'); END;"
    "CREATE TRIGGER assignment_no_delete BEFORE DELETE ON assignment"
    "  BEGIN SELECT RAISE(ABORT, 'assignment is append-only'); END;"
    "CREATE TRIGGER attempt_append_only BEFORE UPDATE ON attempt"
    "  BEGIN SELECT RAISE(ABORT, 'attempt is append-only'); END;"
    "CREATE TRIGGER attempt_no_delete BEFORE DELETE ON attempt"
    "  BEGIN SELECT RAISE(ABORT, 'attempt is append-only'); END;"
    "CREATE TRIGGER ladder_step_append_only BEFORE UPDATE ON ladder_step"
    "  BEGIN SELECT RAISE(ABORT, 'ladder_step is append-only'); END;"
    "CREATE TRIGGER ladder_step_no_delete BEFORE DELETE ON ladder_step"
    "  BEGIN SELECT RAISE(ABORT, 'ladder_step is append-only'); END;"
    "CREATE TRIGGER follow_up_append_only BEFORE UPDATE ON follow_up"
    "  BEGIN SELECT RAISE(ABORT, 'follow_up is append-only'); END;"
    "CREATE TRIGGER follow_up_no_delete BEFORE DELETE ON follow_up"
    "  BEGIN SELECT RAISE(ABORT, 'follow_up is append-only'); END;"
    "CREATE TRIGGER event_append_only BEFORE UPDATE ON event"
    "  BEGIN SELECT RAISE(ABORT, 'event is append-only'); END;"
    "CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
    "  BEGIN SELECT RAISE(ABORT, 'event is append-only'); END;",
    /* 7: the server (issue 5): accounts, sessions, the login lockout; the audit trail is
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
    "CREATE INDEX session_by_user ON session (user_id);"
    "CREATE TABLE login_attempt ("
    "  name TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL);"
    "CREATE INDEX audit_actor ON audit (actor, id);"
    "CREATE INDEX audit_action ON audit (action, id);",
    /* 8: background jobs of the server (imports, cross-checks): state, progress, result; times
     * are Unix seconds. params is the job's input as JSON (the uploaded file's path, kind). */
    "CREATE TABLE job ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('import', 'match')),"
    "  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),"
    "  user_id INTEGER REFERENCES app_user (id), who TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,"
    "  progress REAL NOT NULL DEFAULT 0, phase TEXT NOT NULL DEFAULT '',"
    "  params TEXT NOT NULL DEFAULT '{}', result TEXT, error TEXT);"
    "CREATE INDEX job_state ON job (state);",
    /* 9: the lockout counted per (name, address), per address and per name, with the pair's
     * last successful login (issue 11: the server); the old per-name counts are dropped (they
     * only ever locked someone out for 15 minutes at most) */
    "DROP TABLE login_attempt;"
    "CREATE TABLE login_attempt ("
    "  name TEXT NOT NULL, address TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0,"
    "  last_at INTEGER NOT NULL, locked_until INTEGER NOT NULL DEFAULT 0,"
    "  signed_in_at INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (name, address));"
    "CREATE INDEX login_attempt_last ON login_attempt (last_at);",
    /* 10: who may change what (issue 11). A department's upload waits as a pending batch until
     * the county accepts it (or rejects it, with a reason): `state`, and `live_seq`, the order in
     * which batches became the current snapshot of their kind (the latest live batch is the
     * snapshot; an accepted upload becomes it at acceptance, whatever its id). Department
     * accounts name a department of the vocabulary (domain/department.c) by its key: the free
     * text of older accounts becomes the key where it names one, else stays (no kinds until an
     * admin picks). A 销号 is approved by a county account (`closed_by_user`); older closings
     * keep their registry approver, so the CHECK accepts either: SQLite cannot change a CHECK,
     * hence the table is rebuilt (migrate runs the steps with foreign keys off and checks them
     * before the commit). The audit trail refuses UPDATE and DELETE like the casework history,
     * and each row carries `seq` (1, 2, 3 … without gaps) and `hash`, the SHA-256 of the
     * previous row's hash and its own fields (baoxue_audit_hash), so that a row deleted or
     * changed behind the triggers' back shows as a gap or a broken link (baoxue audit verify);
     * the rows written before are chained here in id order. */
    "ALTER TABLE batch ADD COLUMN state TEXT NOT NULL DEFAULT 'live'"
    "  CHECK (state IN ('live', 'pending', 'rejected'));"
    "ALTER TABLE batch ADD COLUMN live_seq INTEGER;"
    "ALTER TABLE batch ADD COLUMN department TEXT;"
    "ALTER TABLE batch ADD COLUMN decided_by TEXT;"
    "ALTER TABLE batch ADD COLUMN decided_at TEXT;"
    "ALTER TABLE batch ADD COLUMN decision_note TEXT;"
    "UPDATE batch SET live_seq = id;"
    "CREATE INDEX batch_live ON batch (kind, live_seq);" DEPARTMENT_KEYS_SQL
    "CREATE TABLE case_file_new ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL UNIQUE REFERENCES child (id),"
    "  task_id INTEGER NOT NULL REFERENCES verify_task (id),"
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  township_code TEXT, township TEXT,"
    "  opened_on TEXT NOT NULL, active_since TEXT NOT NULL, first_visit_due TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','returned','closed')),"
    "  reason TEXT CHECK (reason IN ('learning','work','marriage','religion','illness',"
    "   'poverty','other')),"
    "  other_reasons TEXT,"
    "  ladder INTEGER NOT NULL DEFAULT 0 CHECK (ladder BETWEEN 0 AND 4),"
    "  ladder_deadline TEXT,"
    "  outcome TEXT CHECK (outcome IN ('returned','home_teaching','special_school',"
    "   'vocational','other')),"
    "  outcome_on TEXT, outcome_school TEXT, outcome_grade TEXT, outcome_detail TEXT,"
    "  closed_on TEXT, closed_by INTEGER REFERENCES person (id), close_reason TEXT,"
    "  reopened INTEGER NOT NULL DEFAULT 0,"
    "  closed_by_user INTEGER REFERENCES app_user (id),"
    "  CHECK (state = 'open' OR outcome IS NOT NULL),"
    "  CHECK (state <> 'closed' OR closed_by IS NOT NULL OR closed_by_user IS NOT NULL));"
    "INSERT INTO case_file_new (" CASE_FILE_COLUMNS ") SELECT " CASE_FILE_COLUMNS " FROM case_file;"
    "DROP TABLE case_file;"
    "ALTER TABLE case_file_new RENAME TO case_file;"
    "CREATE INDEX case_file_state ON case_file (state, township_code);"
    "ALTER TABLE audit ADD COLUMN seq INTEGER;"
    "ALTER TABLE audit ADD COLUMN hash TEXT;"
    /* (the chain walks the rows by id into a typed temporary table keyed by id, then one
     * UPDATE writes both columns: each row is looked up, never scanned, and rewritten once) */
    "CREATE TEMP TABLE audit_chain (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL);"
    "INSERT INTO audit_chain (id, seq, hash) WITH RECURSIVE chain (id, seq, hash) AS ("
    "  SELECT 0, 0, '' UNION ALL"
    "  SELECT a.id, chain.seq + 1, baoxue_audit_hash(chain.hash, chain.seq + 1, a.at, a.actor,"
    "   a.origin, a.action, a.target, a.detail)"
    "  FROM chain JOIN audit a ON a.id = (SELECT min(id) FROM audit WHERE id > chain.id))"
    "  SELECT id, seq, hash FROM chain WHERE seq > 0;"
    "UPDATE audit SET seq = (SELECT c.seq FROM audit_chain c WHERE c.id = audit.id),"
    "  hash = (SELECT c.hash FROM audit_chain c WHERE c.id = audit.id);"
    "DROP TABLE audit_chain;"
    "CREATE UNIQUE INDEX audit_seq ON audit (seq);"
    "CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;",
    /* 11: field work outranks a stale list (issue 13). `outcome_lists` is the newest list
     * (batch.live_seq) that was current when a verification's or a case's outcome was recorded:
     * a later cross-check contradicts the outcome only when one of its school lists is newer.
     * Outcomes recorded before this step get the lists that became current on or before their
     * date. The review queue's pairs are found by pair key across runs (the run that first
     * queued a pair starts its deadline, counted from the day it ran, `run_on`): a partial
     * index, since only pairs in review are looked up. */
    "ALTER TABLE verify_task ADD COLUMN outcome_lists INTEGER;"
    "ALTER TABLE case_file ADD COLUMN outcome_lists INTEGER;"
    "UPDATE verify_task SET outcome_lists = (SELECT coalesce(max(b.live_seq), 0) FROM batch b"
    "  WHERE b.live_seq IS NOT NULL"
    "  AND substr(coalesce(b.decided_at, b.imported_at), 1, 10) <= verify_task.verified_on)"
    "  WHERE verified_on IS NOT NULL;"
    "UPDATE case_file SET outcome_lists = (SELECT coalesce(max(b.live_seq), 0) FROM batch b"
    "  WHERE b.live_seq IS NOT NULL"
    "  AND substr(coalesce(b.decided_at, b.imported_at), 1, 10) <= case_file.outcome_on)"
    "  WHERE outcome_on IS NOT NULL;"
    "CREATE INDEX candidate_review ON candidate (pair_key, run_id) WHERE decision = 'review';"
    "ALTER TABLE match_run ADD COLUMN run_on TEXT;"
    "UPDATE match_run SET run_on = substr(started_at, 1, 10);",
    /* 12: pupils without 户籍 here (issue 13): each run's active 学籍 records that matched
     * nobody in the register (their child_status row says enrolled_nonlocal), with the
     * township they are counted in (the record's own, else the school's: where most of the
     * school's register pupils live; "" when neither tells) and where their ID comes from
     * (domain/status.h enum nonlocal_id: the police's list is local and none). */
    "CREATE TABLE nonlocal_pupil ("
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  township_code TEXT NOT NULL, township TEXT NOT NULL,"
    "  id_origin TEXT NOT NULL CHECK (id_origin IN ('other', 'local', 'none')),"
    "  PRIMARY KEY (run_id, record_id));"
    "CREATE INDEX nonlocal_pupil_origin ON nonlocal_pupil (run_id, id_origin, township_code);",
    /* 13: visit types (issue 14): a persuasion attempt may be a video call ('video'), and a
     * correction says why (`reason`, required by case_attempt for a correction; NULL for the
     * records and the corrections before this step). SQLite changes a CHECK only by building
     * the table again: the rows are copied as they are, the index and the append-only
     * triggers made again. */
    "CREATE TABLE attempt_new ("
    "  id INTEGER PRIMARY KEY,"
    "  case_id INTEGER NOT NULL REFERENCES case_file (id),"
    "  on_date TEXT NOT NULL,"
    "  method TEXT NOT NULL CHECK (method IN ('phone','home_visit','parent_interview',"
    "   'written_notice','message','school_visit','video','other')),"
    "  people TEXT NOT NULL, said TEXT, response TEXT, result TEXT NOT NULL, next_step TEXT,"
    "  corrects INTEGER REFERENCES attempt (id),"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, reason TEXT);"
    "INSERT INTO attempt_new (id, case_id, on_date, method, people, said, response, result,"
    "  next_step, corrects, recorded_by, recorded_at)"
    "  SELECT id, case_id, on_date, method, people, said, response, result, next_step, corrects,"
    "  recorded_by, recorded_at FROM attempt;"
    "DROP TABLE attempt;"
    "ALTER TABLE attempt_new RENAME TO attempt;"
    "CREATE INDEX attempt_case ON attempt (case_id, id);"
    "CREATE INDEX attempt_corrects ON attempt (corrects) WHERE corrects IS NOT NULL;"
    "CREATE TRIGGER attempt_append_only BEFORE UPDATE ON attempt"
    "  BEGIN SELECT RAISE(ABORT, 'attempt is append-only'); END;"
    "CREATE TRIGGER attempt_no_delete BEFORE DELETE ON attempt"
    "  BEGIN SELECT RAISE(ABORT, 'attempt is append-only'); END;",
    /* 14: accounts are people, and villages have accounts (issue 14). An account may be
     * linked to a person of the registry (`person_id`: timelines and the audit views name the
     * person); a village account (村（社区）) covers villages of its township as the 户籍 lists
     * name them (`user_village`). SQLite cannot change the role's CHECK: the table is rebuilt
     * (the steps run with foreign keys off, every reference checked before the commit). */
    "CREATE TABLE app_user_new ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'county', 'township', 'village', 'school',"
    "   'department', 'supervisor')),"
    "  township_code TEXT, school_code TEXT, department TEXT,"
    "  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at TEXT NOT NULL, password_changed_at TEXT NOT NULL,"
    "  person_id INTEGER REFERENCES person (id));"
    "INSERT INTO app_user_new (id, name, role, township_code, school_code, department,"
    "  password_hash, disabled, created_at, password_changed_at)"
    "  SELECT id, name, role, township_code, school_code, department, password_hash, disabled,"
    "  created_at, password_changed_at FROM app_user;"
    "DROP TABLE app_user;"
    "ALTER TABLE app_user_new RENAME TO app_user;"
    "CREATE INDEX app_user_person ON app_user (person_id);"
    "CREATE TABLE user_village ("
    "  user_id INTEGER NOT NULL REFERENCES app_user (id),"
    "  village TEXT NOT NULL CHECK (village <> ''),"
    "  PRIMARY KEY (user_id, village));",
    /* 15: photos and scanned receipts (issue 14, casework/attach.c): the bytes of each, as the
     * server cleaned them (ingest/photo.h), kept in the store beside the record they document so
     * that the record and its photo are written in one transaction and no file is left behind.
     * One attaches to a verification (its task), or to a case's 劝返 attempt or notice (the
     * notice's event). Append-only, like the history it documents. */
    "CREATE TABLE attachment ("
    "  id INTEGER PRIMARY KEY,"
    "  task_id INTEGER REFERENCES verify_task (id),"
    "  case_id INTEGER REFERENCES case_file (id),"
    "  attempt_id INTEGER REFERENCES attempt (id),"
    "  notice_id INTEGER REFERENCES event (id),"
    "  mime TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png','image/webp')),"
    "  size INTEGER NOT NULL, sha256 TEXT NOT NULL, content BLOB NOT NULL, note TEXT,"
    "  added_by TEXT NOT NULL, added_at TEXT NOT NULL,"
    "  CHECK ((task_id IS NULL) <> (case_id IS NULL)),"
    "  CHECK (case_id IS NULL OR (attempt_id IS NULL) <> (notice_id IS NULL)),"
    "  CHECK (task_id IS NULL OR (attempt_id IS NULL AND notice_id IS NULL)));"
    "CREATE INDEX attachment_task ON attachment (task_id, id);"
    "CREATE INDEX attachment_case ON attachment (case_id, id);"
    "CREATE TRIGGER attachment_append_only BEFORE UPDATE ON attachment"
    "  BEGIN SELECT RAISE(ABORT, 'attachment is append-only'); END;"
    "CREATE TRIGGER attachment_no_delete BEFORE DELETE ON attachment"
    "  BEGIN SELECT RAISE(ABORT, 'attachment is append-only'); END;",
    /* 16: the priority groups' lists and the aid payments (issue 15, ingest/category.h). A
     * batch may be of the five new kinds: SQLite cannot change a CHECK, so the batch table is
     * rebuilt (foreign keys off, checked before the commit). The household and the guardian
     * (户编号, 户主, 户主身份证号, 与户主关系, 监护人身份证号) are columns of every record: a
     * 户籍 export may carry them and the group lists match by them. What only the group lists
     * and the payments say — category, grade, certificate, parents' work places, the payment —
     * is kept in `group_detail`, one row per record of those batches, so that the 户籍 and
     * 学籍 rows (millions) carry none of it. */
    "CREATE TABLE batch_new ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('population','enrollment','outside','poverty',"
    "   'welfare','disability','left_behind','aid')),"
    "  file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL, file_size INTEGER NOT NULL,"
    "  format TEXT NOT NULL, encoding TEXT, sheet TEXT, header_row INTEGER NOT NULL,"
    "  columns TEXT NOT NULL, imported_at TEXT NOT NULL, imported_by TEXT,"
    "  forced INTEGER NOT NULL DEFAULT 0,"
    "  rows_read INTEGER NOT NULL, rows_imported INTEGER NOT NULL,"
    "  rows_flagged INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,"
    "  rows_skipped INTEGER NOT NULL, flag_counts TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'pending', 'rejected')),"
    "  live_seq INTEGER, department TEXT, decided_by TEXT, decided_at TEXT, decision_note TEXT);"
    "INSERT INTO batch_new SELECT id, kind, file_name, file_sha256, file_size, format, encoding,"
    "  sheet, header_row, columns, imported_at, imported_by, forced, rows_read, rows_imported,"
    "  rows_flagged, rows_rejected, rows_skipped, flag_counts, state, live_seq, department,"
    "  decided_by, decided_at, decision_note FROM batch;"
    "DROP TABLE batch;"
    "ALTER TABLE batch_new RENAME TO batch;"
    "CREATE INDEX batch_kind ON batch (kind, id);"
    "CREATE INDEX batch_hash ON batch (file_sha256, kind);"
    "CREATE INDEX batch_live ON batch (kind, live_seq);"
    "ALTER TABLE record ADD COLUMN household_no TEXT;"
    "ALTER TABLE record ADD COLUMN head_name TEXT;"
    "ALTER TABLE record ADD COLUMN head_id TEXT;"
    "ALTER TABLE record ADD COLUMN relation TEXT;"
    "ALTER TABLE record ADD COLUMN guardian_id TEXT;"
    "CREATE TABLE group_detail ("
    "  batch_id INTEGER NOT NULL REFERENCES batch (id), row_no INTEGER NOT NULL,"
    "  category TEXT, category_text TEXT, level TEXT, cert_no TEXT, school_status TEXT,"
    "  father_work TEXT, mother_work TEXT, contact TEXT,"
    "  aid_item TEXT, amount_fen INTEGER, term TEXT, paid_date TEXT,"
    "  PRIMARY KEY (batch_id, row_no)) WITHOUT ROWID;",
    /* 17 (issue 15, domain/groups.c): each run's links of the priority groups' rows to the
     * register's children, and the rows that match nobody (record_id NULL: a finding). One row
     * per group row a run considered (adults and children too young for school are left out);
     * matched_by 'id', 'household' or 'name_birth', NULL when not linked; uncertain rows (two
     * candidates) are not linked and say so in their detail. */
    "CREATE TABLE group_member ("
    "  run_id INTEGER NOT NULL REFERENCES match_run (id),"
    "  record_id INTEGER REFERENCES record (id),"
    "  group_record INTEGER NOT NULL REFERENCES record (id),"
    "  grp TEXT NOT NULL, category TEXT,"
    "  matched_by TEXT CHECK (matched_by IN ('id', 'household', 'name_birth')),"
    "  uncertain INTEGER NOT NULL DEFAULT 0, detail TEXT NOT NULL);"
    "CREATE INDEX group_member_run ON group_member (run_id, record_id);",
    /* 18: children with disabilities (issue 15, casework/placement.c). A child's placement
     * (安置方式), one row per child kept by the child key like tasks and cases, changed in place
     * (each change is an event and an audit row): 随班就读, 特殊教育学校 and 送教上门 name the
     * school (its 学籍 code; for 送教上门 the school that sends the teachers), 缓学 and 免学 the
     * approval (who, document number, date, end date). The 送教上门 visits are appended
     * (`send_visit`, like the attempts: a correction is a new row naming the one it corrects);
     * lesson hours are kept in tenths (`tenths`: 1.5 课时 is 15). */
    "CREATE TABLE placement ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL UNIQUE REFERENCES child (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  township_code TEXT, township TEXT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('regular','special_school','home_teaching',"
    "   'deferred','exempt')),"
    "  school TEXT, school_name TEXT,"
    "  approved_by TEXT, approval_no TEXT, approved_on TEXT, ends_on TEXT,"
    "  since TEXT NOT NULL, note TEXT, set_by TEXT NOT NULL, set_at TEXT NOT NULL,"
    "  CHECK (kind IN ('deferred','exempt') OR school IS NOT NULL),"
    "  CHECK (kind NOT IN ('deferred','exempt') OR (approved_by IS NOT NULL"
    "   AND approval_no IS NOT NULL AND approved_on IS NOT NULL AND ends_on IS NOT NULL)));"
    "CREATE INDEX placement_kind ON placement (kind, township_code);"
    "CREATE INDEX placement_school ON placement (school);"
    "CREATE TABLE send_visit ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  on_date TEXT NOT NULL, teachers TEXT NOT NULL CHECK (teachers <> ''),"
    "  tenths INTEGER NOT NULL CHECK (tenths BETWEEN 1 AND 240),"
    "  content TEXT NOT NULL CHECK (content <> ''),"
    "  corrects INTEGER REFERENCES send_visit (id), reason TEXT,"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);"
    "CREATE INDEX send_visit_child ON send_visit (child_id, on_date);"
    "CREATE INDEX send_visit_corrects ON send_visit (corrects) WHERE corrects IS NOT NULL;"
    "CREATE TRIGGER send_visit_append_only BEFORE UPDATE ON send_visit"
    "  BEGIN SELECT RAISE(ABORT, 'send_visit is append-only'); END;"
    "CREATE TRIGGER send_visit_no_delete BEFORE DELETE ON send_visit"
    "  BEGIN SELECT RAISE(ABORT, 'send_visit is append-only'); END;",
    /* 19 (issue 15, casework/care.c): the care contacts (关爱联系) a school or its teacher logs
     * with a left-behind child: the child as casework knows it across snapshots (child), the
     * register record it was logged on, the day, the way (入户/电话/视频/到校), who, what was
     * said. Append-only, like the rest of the history. */
    "CREATE TABLE care_contact ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  on_date TEXT NOT NULL,"
    "  way TEXT NOT NULL CHECK (way IN ('home', 'phone', 'video', 'school')),"
    "  people TEXT NOT NULL, content TEXT NOT NULL,"
    "  school_code TEXT, logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX care_contact_child ON care_contact (child_id, on_date);"
    "CREATE INDEX care_contact_date ON care_contact (on_date);"
    "CREATE TRIGGER care_contact_append_only BEFORE UPDATE ON care_contact"
    "  BEGIN SELECT RAISE(ABORT, 'care_contact is append-only'); END;"
    "CREATE TRIGGER care_contact_no_delete BEFORE DELETE ON care_contact"
    "  BEGIN SELECT RAISE(ABORT, 'care_contact is append-only'); END;",
    /* 20: 结对 (issue 16, casework/pairing.c): a teacher of the registry paired with a child
     * still at school, kept by the child like the casework; a pairing is ended (ended_on), never
     * deleted, and a child has one current pairing at most. */
    "CREATE TABLE pairing ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  person_id INTEGER NOT NULL REFERENCES person (id),"
    "  school TEXT, since TEXT NOT NULL, ended_on TEXT, note TEXT,"
    "  paired_by TEXT NOT NULL, ended_by TEXT);"
    "CREATE UNIQUE INDEX pairing_current ON pairing (child_id) WHERE ended_on IS NULL;"
    "CREATE INDEX pairing_person ON pairing (person_id);"
    "CREATE TRIGGER pairing_no_delete BEFORE DELETE ON pairing"
    "  BEGIN SELECT RAISE(ABORT, 'pairing is kept'); END;",
    /* 21 (issue 16, casework/wellbeing.h): the
     * wellbeing ledgers. 疾病台帐: one row per illness of a pupil (category, the chronic or serious
     * flag the at-risk list reads, from/to, the effect on attendance, the 病假 it explains —
     * sick_leave_id, a bare number until the attendance tables land —, the certificate), its
     * follow-ups appended. 心理健康台帐: one row per concern (level, referral, next review,
     * closed), its interventions and reviews appended; readable only by the accounts in
     * mental_health_holder (granted per account by an admin, audited). */
    "CREATE TABLE illness ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  township_code TEXT, school_code TEXT, school_name TEXT,"
    "  category TEXT NOT NULL CHECK (category IN ('chronic', 'serious', 'infectious', 'injury',"
    "   'other')),"
    "  diagnosis TEXT NOT NULL CHECK (diagnosis <> ''),"
    "  serious INTEGER NOT NULL DEFAULT 0 CHECK (serious IN (0, 1)),"
    "  from_date TEXT NOT NULL, to_date TEXT,"
    "  effect TEXT NOT NULL CHECK (effect IN ('none', 'partial', 'absent')),"
    "  sick_leave_id INTEGER, certificate TEXT, note TEXT,"
    "  logged_by TEXT NOT NULL, logged_at TEXT NOT NULL,"
    "  CHECK (to_date IS NULL OR to_date >= from_date));"
    "CREATE INDEX illness_child ON illness (child_id, from_date);"
    "CREATE INDEX illness_school ON illness (school_code, from_date);"
    "CREATE INDEX illness_township ON illness (township_code, from_date);"
    "CREATE TABLE illness_follow ("
    "  id INTEGER PRIMARY KEY,"
    "  illness_id INTEGER NOT NULL REFERENCES illness (id),"
    "  on_date TEXT NOT NULL, by_whom TEXT NOT NULL CHECK (by_whom <> ''),"
    "  content TEXT NOT NULL CHECK (content <> ''),"
    "  logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX illness_follow_illness ON illness_follow (illness_id, on_date);"
    "CREATE TRIGGER illness_follow_append_only BEFORE UPDATE ON illness_follow"
    "  BEGIN SELECT RAISE(ABORT, 'illness_follow is append-only'); END;"
    "CREATE TRIGGER illness_follow_no_delete BEFORE DELETE ON illness_follow"
    "  BEGIN SELECT RAISE(ABORT, 'illness_follow is append-only'); END;"
    "CREATE TABLE mental_health ("
    "  id INTEGER PRIMARY KEY,"
    "  child_id INTEGER NOT NULL REFERENCES child (id),"
    "  record_id INTEGER NOT NULL REFERENCES record (id),"
    "  township_code TEXT, school_code TEXT, school_name TEXT,"
    "  level TEXT NOT NULL CHECK (level IN ('watch', 'attention', 'high', 'crisis')),"
    "  referral TEXT NOT NULL CHECK (referral IN ('none', 'counsellor', 'hospital', 'other')),"
    "  referral_note TEXT, concern TEXT NOT NULL CHECK (concern <> ''),"
    "  opened_on TEXT NOT NULL, next_review TEXT, closed_on TEXT,"
    "  logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX mental_health_child ON mental_health (child_id);"
    "CREATE INDEX mental_health_school ON mental_health (school_code, next_review);"
    "CREATE TABLE mental_event ("
    "  id INTEGER PRIMARY KEY,"
    "  mh_id INTEGER NOT NULL REFERENCES mental_health (id),"
    "  on_date TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('intervention', 'review')),"
    "  by_whom TEXT NOT NULL CHECK (by_whom <> ''),"
    "  content TEXT NOT NULL CHECK (content <> ''),"
    "  level TEXT, next_review TEXT,"
    "  logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX mental_event_mh ON mental_event (mh_id, on_date);"
    "CREATE TRIGGER mental_event_append_only BEFORE UPDATE ON mental_event"
    "  BEGIN SELECT RAISE(ABORT, 'mental_event is append-only'); END;"
    "CREATE TRIGGER mental_event_no_delete BEFORE DELETE ON mental_event"
    "  BEGIN SELECT RAISE(ABORT, 'mental_event is append-only'); END;"
    "CREATE TABLE mental_health_holder ("
    "  user_id INTEGER PRIMARY KEY REFERENCES app_user (id),"
    "  granted_by TEXT NOT NULL, granted_at TEXT NOT NULL);",
    /* 22 (issue 16, casework/attendance.h): attendance. Schools record absences, not presence:
     * one row per pupil and school day (UNIQUE: recording the day again replaces it, audited),
     * the kind (事假 personal, 病假 sick, 旷课 unexcused, 迟到早退 late), a note, who and when,
     * and the import it came from (NULL: an account recorded it). The pupil is the casework's
     * child key (CHILD_KEY_SQL of the pupil's 学籍 record, or the child of a case that returned
     * it to the school), so that absences survive the next 学籍 import; the school, grade and
     * class are those of the day it was recorded. `school_closure`: the days a school is closed
     * (停课), set by the school or the county. `attendance_import`: one row per imported sheet,
     * `attendance_reject` its rejected rows with the reason and the raw cells. */
    "CREATE TABLE attendance_import ("
    "  id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, file_sha256 TEXT NOT NULL,"
    "  shape TEXT NOT NULL CHECK (shape IN ('rows', 'grid')), school_code TEXT,"
    "  imported_by TEXT NOT NULL, imported_at TEXT NOT NULL, rows_read INTEGER NOT NULL,"
    "  absences INTEGER NOT NULL, replaced INTEGER NOT NULL, rows_rejected INTEGER NOT NULL);"
    "CREATE TABLE attendance_reject ("
    "  import_id INTEGER NOT NULL REFERENCES attendance_import (id), row_no INTEGER NOT NULL,"
    "  reason TEXT NOT NULL, raw TEXT NOT NULL);"
    "CREATE INDEX attendance_reject_import ON attendance_reject (import_id, row_no);"
    "CREATE TABLE attendance ("
    "  id INTEGER PRIMARY KEY,"
    "  pupil_key TEXT NOT NULL, on_date TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('personal', 'sick', 'unexcused', 'late')),"
    "  note TEXT, school_code TEXT NOT NULL, grade INTEGER, class TEXT,"
    "  record_id INTEGER REFERENCES record (id),"
    "  import_id INTEGER REFERENCES attendance_import (id),"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL,"
    "  UNIQUE (pupil_key, on_date));"
    "CREATE INDEX attendance_school ON attendance (school_code, on_date);"
    "CREATE TABLE school_closure ("
    "  id INTEGER PRIMARY KEY, school_code TEXT NOT NULL,"
    "  first_day TEXT NOT NULL, last_day TEXT NOT NULL, reason TEXT NOT NULL,"
    "  set_by TEXT NOT NULL, set_at TEXT NOT NULL, CHECK (first_day <= last_day));"
    "CREATE INDEX school_closure_school ON school_closure (school_code, first_day);",
    /* 23 (issue 16, casework/warning.h): the early warnings of the attendance rules. One row
     * per finding — a run of consecutive unexcused school days (absent), a month's scattered
     * unexcused days (monthly), a long 病假 (sick) —, keyed by the pupil, the kind and its first
     * day so that a growing run updates its row; its state (new, contacted, resolved, escalated)
     * set by people, its escalation of an unanswered warning computed from deadline and
     * township_due; task_id the verification task a 7-day run opened. Its history appended to
     * warning_event. */
    "CREATE TABLE warning ("
    "  id INTEGER PRIMARY KEY,"
    "  pupil_key TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('absent', 'monthly', 'sick')),"
    "  first_day TEXT NOT NULL, last_day TEXT NOT NULL, days INTEGER NOT NULL,"
    "  level INTEGER NOT NULL DEFAULT 0 CHECK (level BETWEEN 0 AND 2),"
    "  school_code TEXT NOT NULL, grade INTEGER, class TEXT,"
    "  record_id INTEGER REFERENCES record (id), child_record INTEGER REFERENCES record (id),"
    "  township_code TEXT,"
    "  state TEXT NOT NULL DEFAULT 'new'"
    "   CHECK (state IN ('new', 'contacted', 'resolved', 'escalated')),"
    "  escalated_to TEXT CHECK (escalated_to IN ('head', 'township')),"
    "  opened_on TEXT NOT NULL, deadline TEXT NOT NULL, township_due TEXT NOT NULL,"
    "  person TEXT, contacted_on TEXT, outcome TEXT, resolved_on TEXT,"
    "  task_id INTEGER REFERENCES verify_task (id),"
    "  UNIQUE (pupil_key, kind, first_day));"
    "CREATE INDEX warning_school ON warning (school_code, state);"
    "CREATE INDEX warning_township ON warning (township_code, state);"
    "CREATE INDEX warning_task ON warning (task_id);"
    "CREATE TABLE warning_event ("
    "  id INTEGER PRIMARY KEY,"
    "  warning_id INTEGER NOT NULL REFERENCES warning (id),"
    "  on_date TEXT NOT NULL, action TEXT NOT NULL, text TEXT NOT NULL,"
    "  actor TEXT NOT NULL, at TEXT NOT NULL);"
    "CREATE INDEX warning_event_warning ON warning_event (warning_id, id);"
    "CREATE TRIGGER warning_event_append_only BEFORE UPDATE ON warning_event"
    "  BEGIN SELECT RAISE(ABORT, 'warning_event is append-only'); END;"
    "CREATE TRIGGER warning_event_no_delete BEFORE DELETE ON warning_event"
    "  BEGIN SELECT RAISE(ABORT, 'warning_event is append-only'); END;",
    /* 24 to 28 (issue 17): migrate_sqlite_17.c */
    migrate_sqlite_step24,
    migrate_sqlite_step25,
    migrate_sqlite_step26,
    migrate_sqlite_step27,
    migrate_sqlite_step28,
    migrate_sqlite_step29,
    migrate_sqlite_step30,
    migrate_sqlite_step31,
    migrate_sqlite_step32,
    migrate_sqlite_step33,
    migrate_sqlite_step34,
};
const int migrate_sqlite_count = (int)ARRAY_SIZE(migrate_sqlite_steps);
#undef CASE_FILE_COLUMNS
