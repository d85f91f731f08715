/*
 * The SQLite migrations of issue 17 (steps 24 to 28), kept apart from migrate_sqlite.c so that
 * each file stays readable; migrate_sqlite_steps lists them in order. Never edit a released
 * step: add a new one, and its twin in migrate_pg.c.
 */
#include "store/migrate_impl.h"

/* 24 (issue 17, report/monthly_confirm.h): the monthly report's confirmations. A township's
 * confirmation of its part of a month (month '2026-10'): the named person, the account, when,
 * and the figures of its row as it saw them (JSON), frozen; round counts its confirmations
 * of the month (0, then 1 after a 撤回…), so that two at once cannot both be current. The
 * county's issued report of a month: the whole table as issued (JSON) and the xlsx and PDF
 * files rendered then, served byte for byte. Every table is append-only: a township's
 * confirmation is set aside only by the county's 撤回 (monthly_withdraw, with its reason), and
 * never once the month is issued. */
const char migrate_sqlite_step24[] =
    "CREATE TABLE monthly_confirm ("
    "  id INTEGER PRIMARY KEY,"
    "  month TEXT NOT NULL, township_code TEXT NOT NULL, township TEXT NOT NULL,"
    "  person TEXT NOT NULL, note TEXT, account TEXT NOT NULL, confirmed_at TEXT NOT NULL,"
    "  report_date TEXT NOT NULL, figures TEXT NOT NULL, round INTEGER NOT NULL,"
    "  UNIQUE (month, township_code, round));"
    "CREATE TABLE monthly_withdraw ("
    "  confirm_id INTEGER PRIMARY KEY REFERENCES monthly_confirm (id),"
    "  reason TEXT NOT NULL, account TEXT NOT NULL, withdrawn_at TEXT NOT NULL);"
    "CREATE TABLE monthly_issue ("
    "  id INTEGER PRIMARY KEY, month TEXT NOT NULL UNIQUE,"
    "  account TEXT NOT NULL, issued_at TEXT NOT NULL, note TEXT, report_date TEXT NOT NULL,"
    "  content TEXT NOT NULL, xlsx BLOB NOT NULL, pdf BLOB NOT NULL);"
    "CREATE TRIGGER monthly_confirm_append_only BEFORE UPDATE ON monthly_confirm"
    "  BEGIN SELECT RAISE(ABORT, 'monthly_confirm is append-only'); END;"
    "CREATE TRIGGER monthly_confirm_no_delete BEFORE DELETE ON monthly_confirm"
    "  BEGIN SELECT RAISE(ABORT, 'monthly_confirm is append-only'); END;"
    "CREATE TRIGGER monthly_withdraw_append_only BEFORE UPDATE ON monthly_withdraw"
    "  BEGIN SELECT RAISE(ABORT, 'monthly_withdraw is append-only'); END;"
    "CREATE TRIGGER monthly_withdraw_no_delete BEFORE DELETE ON monthly_withdraw"
    "  BEGIN SELECT RAISE(ABORT, 'monthly_withdraw is append-only'); END;"
    "CREATE TRIGGER monthly_issue_append_only BEFORE UPDATE ON monthly_issue"
    "  BEGIN SELECT RAISE(ABORT, 'monthly_issue is append-only'); END;"
    "CREATE TRIGGER monthly_issue_no_delete BEFORE DELETE ON monthly_issue"
    "  BEGIN SELECT RAISE(ABORT, 'monthly_issue is append-only'); END;";

/* 25 (issue 17, casework/inspection.h): 督导检查 and 限期整改. An inspection (its date, the
 * inspectors' names, the account that recorded it, a summary) visits units (a township by its
 * code, a school by its 学籍 code); each finding names the unit at fault and becomes one
 * rectification item (rectify) with the responsible unit and person and a deadline. Its state:
 * open (整改中) → submitted (已提交整改: the unit's evidence text, and photos in attachment) →
 * accepted (已验收) or returned (退回重改, then submitted again); the inspector's decision with
 * its date and comment. Every step appended to rectify_event. The photos of the evidence are
 * attachment rows of the item: SQLite cannot change a CHECK, so attachment is rebuilt with a
 * third owner (rectify_id), exactly one owner per photo. */
const char migrate_sqlite_step25[] =
    "CREATE TABLE inspection ("
    "  id INTEGER PRIMARY KEY, on_date TEXT NOT NULL,"
    "  inspectors TEXT NOT NULL CHECK (inspectors <> ''), summary TEXT,"
    "  created_by TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE inspection_unit ("
    "  inspection_id INTEGER NOT NULL REFERENCES inspection (id),"
    "  unit_kind TEXT NOT NULL CHECK (unit_kind IN ('township', 'school')),"
    "  unit_code TEXT NOT NULL, unit_name TEXT NOT NULL,"
    "  PRIMARY KEY (inspection_id, unit_kind, unit_code));"
    "CREATE TABLE finding ("
    "  id INTEGER PRIMARY KEY,"
    "  inspection_id INTEGER NOT NULL REFERENCES inspection (id),"
    "  text TEXT NOT NULL CHECK (text <> ''),"
    "  unit_kind TEXT NOT NULL CHECK (unit_kind IN ('township', 'school')),"
    "  unit_code TEXT NOT NULL, unit_name TEXT NOT NULL,"
    "  added_by TEXT NOT NULL, added_at TEXT NOT NULL);"
    "CREATE INDEX finding_inspection ON finding (inspection_id, id);"
    "CREATE TABLE rectify ("
    "  id INTEGER PRIMARY KEY,"
    "  finding_id INTEGER NOT NULL UNIQUE REFERENCES finding (id),"
    "  inspection_id INTEGER NOT NULL REFERENCES inspection (id),"
    "  unit_kind TEXT NOT NULL CHECK (unit_kind IN ('township', 'school')),"
    "  unit_code TEXT NOT NULL, unit_name TEXT NOT NULL,"
    "  person TEXT NOT NULL CHECK (person <> ''), deadline TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open'"
    "   CHECK (state IN ('open', 'submitted', 'accepted', 'returned')),"
    "  evidence TEXT, submitted_on TEXT, submitted_by TEXT,"
    "  decided_by TEXT, decided_on TEXT, decision_comment TEXT);"
    "CREATE INDEX rectify_unit ON rectify (unit_kind, unit_code, state);"
    "CREATE INDEX rectify_inspection ON rectify (inspection_id, id);"
    "CREATE TABLE rectify_event ("
    "  id INTEGER PRIMARY KEY,"
    "  rectify_id INTEGER NOT NULL REFERENCES rectify (id),"
    "  on_date TEXT NOT NULL, action TEXT NOT NULL, text TEXT NOT NULL,"
    "  actor TEXT NOT NULL, at TEXT NOT NULL);"
    "CREATE INDEX rectify_event_rectify ON rectify_event (rectify_id, id);"
    "CREATE TRIGGER rectify_event_append_only BEFORE UPDATE ON rectify_event"
    "  BEGIN SELECT RAISE(ABORT, 'rectify_event is append-only'); END;"
    "CREATE TRIGGER rectify_event_no_delete BEFORE DELETE ON rectify_event"
    "  BEGIN SELECT RAISE(ABORT, 'rectify_event is append-only'); END;"
    "CREATE TABLE attachment_new ("
    "  id INTEGER PRIMARY KEY,"
    "  task_id INTEGER REFERENCES verify_task (id),"
    "  case_id INTEGER REFERENCES case_file (id),"
    "  attempt_id INTEGER REFERENCES attempt (id),"
    "  notice_id INTEGER REFERENCES event (id),"
    "  mime TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png','image/webp')),"
    "  size INTEGER NOT NULL, sha256 TEXT NOT NULL, content BLOB NOT NULL, note TEXT,"
    "  added_by TEXT NOT NULL, added_at TEXT NOT NULL,"
    "  rectify_id INTEGER REFERENCES rectify (id),"
    "  CHECK ((task_id IS NOT NULL) + (case_id IS NOT NULL) + (rectify_id IS NOT NULL) = 1),"
    "  CHECK (case_id IS NULL OR (attempt_id IS NULL) <> (notice_id IS NULL)),"
    "  CHECK (case_id IS NOT NULL OR (attempt_id IS NULL AND notice_id IS NULL)));"
    "INSERT INTO attachment_new (id, task_id, case_id, attempt_id, notice_id, mime, size, sha256,"
    "  content, note, added_by, added_at) SELECT id, task_id, case_id, attempt_id, notice_id,"
    "  mime, size, sha256, content, note, added_by, added_at FROM attachment;"
    "DROP TABLE attachment;"
    "ALTER TABLE attachment_new RENAME TO attachment;"
    "CREATE INDEX attachment_task ON attachment (task_id, id);"
    "CREATE INDEX attachment_case ON attachment (case_id, id);"
    "CREATE INDEX attachment_rectify ON attachment (rectify_id, id);"
    "CREATE TRIGGER attachment_append_only BEFORE UPDATE ON attachment"
    "  BEGIN SELECT RAISE(ABORT, 'attachment is append-only'); END;"
    "CREATE TRIGGER attachment_no_delete BEFORE DELETE ON attachment"
    "  BEGIN SELECT RAISE(ABORT, 'attachment is append-only'); END;";

/* 26 (issue 17, casework/meeting.h): accountability. 约谈: an interview of an official of a
 * township or a school (unit_kind, unit_code), who interviewed, why (a ranking month, an
 * inspection finding's reference as text), its commitments (open until a follow-up finds one
 * kept; overdue computed from the deadline) and follow-ups. 联席会议: a joint meeting, the
 * departments present (domain/department.h keys), its decisions each owned by one department
 * (state todo/doing/done, overdue computed), their progress reports, and the duty checks a
 * decision carries (人社 未成年人务工, 文旅 网吧/歌舞厅) with the minors found, each linked to
 * casework's child when named by an ID of the register. */
const char migrate_sqlite_step26[] =
    "CREATE TABLE interview ("
    "  id INTEGER PRIMARY KEY,"
    "  on_date TEXT NOT NULL,"
    "  unit_kind TEXT NOT NULL CHECK (unit_kind IN ('township', 'school')),"
    "  unit_code TEXT NOT NULL, unit_name TEXT NOT NULL,"
    "  person TEXT NOT NULL, post TEXT NOT NULL,"
    "  by_whom TEXT NOT NULL, reason TEXT NOT NULL,"
    "  ranking_month TEXT, finding_ref TEXT,"
    "  created_by TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE INDEX interview_unit ON interview (unit_kind, unit_code, on_date);"
    "CREATE TABLE interview_commitment ("
    "  id INTEGER PRIMARY KEY,"
    "  interview_id INTEGER NOT NULL REFERENCES interview (id),"
    "  content TEXT NOT NULL, deadline TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'kept')),"
    "  kept_on TEXT);"
    "CREATE INDEX interview_commitment_interview ON interview_commitment (interview_id, id);"
    "CREATE TABLE interview_followup ("
    "  id INTEGER PRIMARY KEY,"
    "  interview_id INTEGER NOT NULL REFERENCES interview (id),"
    "  commitment_id INTEGER REFERENCES interview_commitment (id),"
    "  on_date TEXT NOT NULL, by_whom TEXT NOT NULL, found TEXT NOT NULL,"
    "  kept INTEGER CHECK (kept IN (0, 1)),"
    "  logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX interview_followup_interview ON interview_followup (interview_id, on_date);"
    "CREATE TABLE meeting ("
    "  id INTEGER PRIMARY KEY,"
    "  on_date TEXT NOT NULL, title TEXT NOT NULL, host TEXT, notes TEXT,"
    "  created_by TEXT NOT NULL, created_at TEXT NOT NULL);"
    "CREATE TABLE meeting_department ("
    "  meeting_id INTEGER NOT NULL REFERENCES meeting (id),"
    "  department TEXT NOT NULL,"
    "  PRIMARY KEY (meeting_id, department));"
    "CREATE TABLE meeting_decision ("
    "  id INTEGER PRIMARY KEY,"
    "  meeting_id INTEGER NOT NULL REFERENCES meeting (id),"
    "  department TEXT NOT NULL, content TEXT NOT NULL, deadline TEXT NOT NULL,"
    "  duty TEXT CHECK (duty IN ('child_labour', 'venue')),"
    "  state TEXT NOT NULL DEFAULT 'todo' CHECK (state IN ('todo', 'doing', 'done')),"
    "  done_on TEXT);"
    "CREATE INDEX meeting_decision_meeting ON meeting_decision (meeting_id, id);"
    "CREATE INDEX meeting_decision_department ON meeting_decision (department, state);"
    "CREATE TABLE decision_progress ("
    "  id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER NOT NULL REFERENCES meeting_decision (id),"
    "  on_date TEXT NOT NULL, content TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('todo', 'doing', 'done')),"
    "  by_whom TEXT NOT NULL, logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX decision_progress_decision ON decision_progress (decision_id, id);"
    "CREATE TABLE duty_check ("
    "  id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER NOT NULL REFERENCES meeting_decision (id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('child_labour', 'venue')),"
    "  on_date TEXT NOT NULL, places TEXT NOT NULL,"
    "  minors_found INTEGER NOT NULL CHECK (minors_found >= 0),"
    "  result TEXT NOT NULL, logged_by TEXT NOT NULL, logged_at TEXT NOT NULL);"
    "CREATE INDEX duty_check_decision ON duty_check (decision_id, on_date);"
    "CREATE TABLE duty_minor ("
    "  id INTEGER PRIMARY KEY,"
    "  check_id INTEGER NOT NULL REFERENCES duty_check (id),"
    "  name TEXT NOT NULL, id_number TEXT,"
    "  child_id INTEGER REFERENCES child (id), record_id INTEGER REFERENCES record (id));"
    "CREATE INDEX duty_minor_check ON duty_minor (check_id);"
    "CREATE INDEX duty_minor_child ON duty_minor (child_id);";

/* 27 (issue 17, report/bulletin.h): the 通报 the county issued. Its number is the next of
 * its year (UNIQUE (year, number): two issuing at once cannot take the same), doc_number
 * the whole 文号 as printed (沁教通〔2026〕12号); period the month (2026-10) or the term
 * (2026-2027-1) it reports on. content is the document frozen as generated, JSON: every
 * figure and sentence the PDF prints, rendered again from it byte for byte the same text
 * however the data change afterwards. An issued 通报 is never changed or removed. */
const char migrate_sqlite_step27[] =
    "CREATE TABLE bulletin ("
    "  id INTEGER PRIMARY KEY,"
    "  year INTEGER NOT NULL, number INTEGER NOT NULL CHECK (number > 0),"
    "  doc_number TEXT NOT NULL, period TEXT NOT NULL, period_label TEXT NOT NULL,"
    "  title TEXT NOT NULL, published_on TEXT NOT NULL, deadline TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  created_by TEXT NOT NULL, created_at TEXT NOT NULL,"
    "  UNIQUE (year, number));"
    "CREATE TRIGGER bulletin_no_update BEFORE UPDATE ON bulletin"
    "  BEGIN SELECT RAISE(ABORT, 'bulletin is kept unchanged'); END;"
    "CREATE TRIGGER bulletin_no_delete BEFORE DELETE ON bulletin"
    "  BEGIN SELECT RAISE(ABORT, 'bulletin is kept unchanged'); END;";

/* 28 (issue 17, casework/entrants.h): 招生入学. `catchment` is the 学区: the school a
 * village of the 户籍 list goes to (the village as that list writes it), set by the county;
 * `entrant_application` the applications a school records (入学登记: 随迁子女 and any child
 * the register does not know), the child's birth date the ID's when it has one. */
const char migrate_sqlite_step28[] =
    "CREATE TABLE catchment ("
    "  township_code TEXT NOT NULL, village TEXT NOT NULL CHECK (village <> ''),"
    "  school_code TEXT NOT NULL, school_name TEXT NOT NULL,"
    "  set_by TEXT NOT NULL, set_at TEXT NOT NULL,"
    "  PRIMARY KEY (township_code, village));"
    "CREATE INDEX catchment_school ON catchment (school_code);"
    "CREATE TABLE entrant_application ("
    "  id INTEGER PRIMARY KEY,"
    "  school_code TEXT NOT NULL, school_name TEXT NOT NULL,"
    "  name TEXT NOT NULL CHECK (name <> ''), id_number TEXT, birth_date TEXT NOT NULL,"
    "  guardian TEXT, phone TEXT, address TEXT,"
    "  migrant INTEGER NOT NULL DEFAULT 0 CHECK (migrant IN (0, 1)),"
    "  hukou_place TEXT, township_code TEXT, village TEXT,"
    "  recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);"
    "CREATE INDEX entrant_application_school ON entrant_application (school_code, birth_date);";
