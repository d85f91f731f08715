#include "casework/detail.h"
#include "casework/warning.h"

#include <jansson.h>

#include "casework/case.h"
#include "casework/casework.h"
#include "casework/event.h"
#include "core/words.h"
#include "core/date.h"
#include "core/view.h"
#include "domain/run.h"
#include "core/idcard.h"
#include "domain/scope.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s ? s : "");
    return j ? j : json_string("\xEF\xBF\xBD");
}

/* "" → null, else the text */
static json_t *jopt(const char *s)
{
    return s && *s ? jstr(s) : json_null();
}

/* A stored date with its standing against today: {date, days, overdue}. */
static json_t *jdue(const char *date, bool pending)
{
    int d = date_or_zero(date);
    if (!d)
        return json_null();
    long days = days_between(date_today(), d);
    return json_pack("{s:o, s:I, s:b}", "date", jstr(date), "days", (json_int_t)days, "overdue",
                     pending && days < 0);
}

/* A vocabulary as [{key, label, …flags}] for a screen's choices. */
static json_t *jvocab(const struct vocab *v, bool verify, bool outcome)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->n; i++) {
        const struct word *w = &v->words[i];
        json_t *o = json_pack("{s:s, s:s}", "key", w->key, "label", w->label);
        if (verify) {
            json_object_set_new(o, "needs_school", json_boolean(w->flags & VO_CLAIMS_SCHOOL));
            json_object_set_new(o, "needs_evidence", json_boolean(w->flags & VO_NEEDS_EVIDENCE));
            json_object_set_new(o, "needs_subkind", json_boolean(w->flags & VO_NEEDS_SUBKIND));
            json_object_set_new(o, "keeps_open", json_boolean(w->flags & VO_KEEPS_OPEN));
            json_object_set_new(o, "opens_case", json_boolean(w->flags & VO_OPENS_CASE));
        }
        if (v == &attempt_methods)
            json_object_set_new(o, "in_person", json_boolean(w->flags & AM_IN_PERSON));
        if (outcome) {
            json_object_set_new(o, "needs_school", json_boolean(w->flags & CO_NEEDS_SCHOOL));
            json_object_set_new(o, "needs_grade", json_boolean(w->flags & CO_NEEDS_GRADE));
            json_object_set_new(o, "needs_visits", json_boolean(w->flags & CO_NEEDS_VISITS));
            json_object_set_new(o, "needs_note", json_boolean(!strcmp(w->key, "other")));
        }
        json_array_append_new(a, o);
    }
    return a;
}

/* The child as the view shows it: masked, no birth date (null) but the age on the cutoff of
 * the latest run ("age", "age_on"). */
static json_t *child_json(struct store *s, int64_t record_id, bool full, bool contact)
{
    struct view v;
    if (run_view(s, full, &v) < 0)
        return NULL;
    v.contact = contact;
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(name, ''), coalesce(gender, 0), coalesce(birth_date, ''),"
           " coalesce(id_number, id_raw, ''), coalesce(township, ''), coalesce(village, ''),"
           " coalesce(guardian, ''), coalesce(phone, ''), coalesce(address, '')"
           " FROM record WHERE id = $1");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, record_id);
    json_t *j = NULL;
    if (stmt_step(q) == 1) {
        char m[VIEW_ID_SIZE], on[11] = "";
        view_id(&v, stmt_text(q, 3), m);
        struct buf ph = BUF_INIT;
        view_phone(&v, stmt_text(q, 7), &ph);
        const char *birth = view_birth(&v, stmt_text(q, 2));
        int age = view_age(&v, stmt_text(q, 2));
        if (v.cutoff)
            date_format(v.cutoff, on);
        j = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "record_id",
                      (json_int_t)record_id, "name", jstr(stmt_text(q, 0)), "gender",
                      jstr(gender_label((int)stmt_int(q, 1))), "birth_date",
                      jopt(birth ? birth : ""), "age", age >= 0 ? json_integer(age) : json_null(),
                      "age_on", jopt(on), "id_number", jopt(m), "township", jopt(stmt_text(q, 4)),
                      "village", jopt(stmt_text(q, 5)), "guardian", jopt(stmt_text(q, 6)), "phone",
                      jopt(ph.buf), "address",
                      view_contact(&v) ? jopt(stmt_text(q, 8)) : json_null());
        if (j) /* the phone is whole: the screen offers it as a tel: link */
            json_object_set_new(j, "contact", json_boolean(view_contact(&v)));
        buf_release(&ph);
    }
    stmt_finalize(q);
    return j;
}

/* The current assignee per role: [{role, role_label, person_id, name, org, title, active}]. */
static json_t *assignees_json(struct store *s, int64_t task_id, int64_t case_id)
{
    struct stmt *q = store_prepare(
        s, "SELECT a.role, p.id, p.name, coalesce(p.org, ''), coalesce(p.role, ''), p.active"
           " FROM assignment a JOIN person p ON p.id = a.person_id"
           " WHERE a.id IN (SELECT max(id) FROM assignment"
           "  WHERE (task_id = $1 AND $2 = 0) OR case_id = $2 GROUP BY role)"
           " ORDER BY CASE a.role WHEN 'township' THEN 1 WHEN 'village' THEN 2 ELSE 3 END");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, task_id);
    stmt_bind_int(q, 2, case_id);
    json_t *a = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(
            a, json_pack("{s:o, s:o, s:I, s:o, s:o, s:o, s:b}", "role", jstr(stmt_text(q, 0)),
                         "role_label", jstr(vocab_label(&assignee_roles, stmt_text(q, 0))),
                         "person_id", (json_int_t)stmt_int(q, 1), "name", jstr(stmt_text(q, 2)),
                         "org", jstr(stmt_text(q, 3)), "title", jstr(stmt_text(q, 4)), "active",
                         stmt_int(q, 5) != 0));
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *timeline_json(struct store *s, int64_t child)
{
    struct timeline tl = {0};
    if (timeline_load(s, child, &tl) < 0) {
        timeline_release(&tl);
        return NULL;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < tl.n; i++) {
        const struct timeline_entry *e = &tl.e[i];
        json_t *o =
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "date", jstr(e->on_date), "recorded_at",
                      jstr(e->at), "actor", jstr(e->actor), "kind", jstr(e->kind), "kind_label",
                      jstr(event_kind_label(e->kind)), "text", jstr(e->text));
        json_object_set_new(o, "actor_name", jstr(e->actor_name));
        json_object_set_new(o, "task_id", e->task_id ? json_integer(e->task_id) : json_null());
        json_object_set_new(o, "case_id", e->case_id ? json_integer(e->case_id) : json_null());
        json_array_append_new(a, o);
    }
    timeline_release(&tl);
    return a;
}

/* A person's "name（org title）", or null. */
static json_t *person_json(struct store *s, int64_t id)
{
    if (!id)
        return json_null();
    struct stmt *q = store_prepare(
        s, "SELECT name, coalesce(org, ''), coalesce(role, '') FROM person WHERE id = $1");
    if (!q)
        return json_null();
    stmt_bind_int(q, 1, id);
    json_t *j = json_null();
    if (stmt_step(q) == 1)
        j = json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)id, "name", jstr(stmt_text(q, 0)),
                      "org", jstr(stmt_text(q, 1)), "title", jstr(stmt_text(q, 2)));
    stmt_finalize(q);
    return j;
}

/* The account that approved a 销号: {account, name, org, title}, shaped like a person. */
static json_t *account_json(struct store *s, int64_t id)
{
    struct stmt *q = store_prepare(s, "SELECT name, role FROM app_user WHERE id = $1");
    if (!q)
        return json_null();
    stmt_bind_int(q, 1, id);
    json_t *j = json_null();
    if (stmt_step(q) == 1) {
        int role = role_parse(stmt_text(q, 1));
        j = json_pack("{s:n, s:o, s:o, s:o, s:s}", "id", "name", jstr(stmt_text(q, 0)), "org",
                      jstr(role >= 0 ? role_label((enum role)role) : ""), "title", jstr("审批账号"),
                      "account", stmt_text(q, 0));
    }
    stmt_finalize(q);
    return j;
}

/* Own a part: false (and the whole released) when it failed. */
/* The child's priority groups (issue 15), [{"key", "label"}] as the children list's items */
static json_t *groups_json(struct store *s, int64_t child)
{
    unsigned bits;
    if (child_groups_one(s, child, &bits) < 0)
        return NULL;
    json_t *a = json_array();
    for (size_t k = 0; k < priority_groups.n; k++)
        if (bits & (1u << k))
            json_array_append_new(a, json_pack("{s:s, s:s}", "key", priority_groups.words[k].key,
                                               "label", priority_groups.words[k].label));
    return a;
}

static bool put(json_t *o, const char *key, json_t *v)
{
    if (!v)
        return false;
    json_object_set_new(o, key, v);
    return true;
}

json_t *verify_detail(struct store *s, int64_t task_id, bool full, bool contact, bool *found)
{
    *found = false;
    struct stmt *q = store_prepare(
        s, "SELECT v.child_id, v.record_id, v.run_id, v.suspected, v.opened_on, v.deadline,"
           " v.state, coalesce(v.outcome, ''), coalesce(v.outcome_sub, ''),"
           " coalesce(v.verified_on, ''), coalesce(v.verified_by, 0), coalesce(v.school, ''),"
           " coalesce(v.evidence, ''), coalesce(v.note, ''), coalesce(v.flagged_run, 0),"
           " coalesce(v.township, ''), coalesce(v.township_code, ''),"
           " coalesce((SELECT id FROM case_file c WHERE c.task_id = v.id), 0)"
           " FROM verify_task v WHERE v.id = $1");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, task_id);
    int rc = stmt_step(q);
    if (rc != 1) {
        stmt_finalize(q);
        *found = rc < 0;
        return NULL;
    }
    *found = true;
    int64_t child = stmt_int(q, 0), record = stmt_int(q, 1), by = stmt_int(q, 10);
    const char *state = stmt_text(q, 6);
    int st = status_parse(stmt_text(q, 3));
    bool pending = strcmp(state, "closed") != 0;
    json_t *j = json_pack(
        "{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b}", "id", (json_int_t)task_id,
        "run_id", (json_int_t)stmt_int(q, 2), "suspected", jstr(stmt_text(q, 3)), "suspected_label",
        jstr(st >= 0 ? status_label((enum child_status)st) : stmt_text(q, 3)), "township",
        jstr(stmt_text(q, 15)), "township_code", jstr(stmt_text(q, 16)), "opened_on",
        jstr(stmt_text(q, 4)), "deadline", jdue(stmt_text(q, 5), pending), "state", jstr(state),
        "open", pending, "can_record", pending || stmt_int(q, 14) != 0);
    json_object_set_new(j, "state_label", jstr(vocab_label(&task_states, state)));
    json_t *outcome = json_null();
    if (*stmt_text(q, 7)) {
        outcome = json_pack(
            "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "key", jstr(stmt_text(q, 7)), "label",
            jstr(vocab_label(&verify_outcomes, stmt_text(q, 7))), "subkind", jopt(stmt_text(q, 8)),
            "subkind_label", jopt(vocab_label(&registration_problems, stmt_text(q, 8))), "date",
            jopt(stmt_text(q, 9)), "school", jopt(stmt_text(q, 11)), "evidence",
            jopt(stmt_text(q, 12)), "note", jopt(stmt_text(q, 13)));
        json_object_set_new(outcome, "verified_by", person_json(s, by));
    }
    json_object_set_new(j, "outcome", outcome);
    json_object_set_new(j, "flagged_run",
                        stmt_int(q, 14) ? json_integer(stmt_int(q, 14)) : json_null());
    json_object_set_new(j, "case_id",
                        stmt_int(q, 17) ? json_integer(stmt_int(q, 17)) : json_null());
    stmt_finalize(q);
    /* a task the attendance rules opened: the absences are its evidence (warning.h) */
    struct buf ev = BUF_INIT;
    if (warning_task_evidence(s, task_id, &ev) < 0) {
        buf_release(&ev);
        json_decref(j);
        return NULL;
    }
    json_object_set_new(j, "attendance_evidence", ev.len ? json_string(ev.buf) : json_null());
    buf_release(&ev);
    json_t *choices =
        json_pack("{s:o, s:o, s:o}", "outcomes", jvocab(&verify_outcomes, true, false), "subkinds",
                  jvocab(&registration_problems, false, false), "reasons",
                  jvocab(&case_reasons, false, false));
    json_object_set_new(j, "choices", choices);
    if (!put(j, "child", child_json(s, record, full, contact)) ||
        !put(j, "groups", groups_json(s, child)) ||
        !put(j, "assignees", assignees_json(s, task_id, 0)) ||
        !put(j, "timeline", timeline_json(s, child))) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static json_t *attempts_json(struct store *s, int64_t case_id)
{
    struct stmt *q =
        store_prepare(s, "SELECT a.id, a.on_date, a.method, a.people, coalesce(a.said, ''),"
                         " coalesce(a.response, ''), a.result, coalesce(a.next_step, ''),"
                         " coalesce(a.corrects, 0),"
                         " coalesce((SELECT max(b.id) FROM attempt b WHERE b.corrects = a.id), 0),"
                         " coalesce(a.reason, ''), a.recorded_by, a.recorded_at, " ACTOR_NAME_SQL(
                             "a.recorded_by") " FROM attempt a WHERE a.case_id = $1"
                                              " ORDER BY a.on_date, a.id");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, case_id);
    json_t *a = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        json_t *o = json_pack(
            "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)stmt_int(q, 0),
            "date", jstr(stmt_text(q, 1)), "method", jstr(stmt_text(q, 2)), "method_label",
            jstr(vocab_label(&attempt_methods, stmt_text(q, 2))), "people", jstr(stmt_text(q, 3)),
            "said", jopt(stmt_text(q, 4)), "response", jopt(stmt_text(q, 5)), "result",
            jstr(stmt_text(q, 6)), "next_step", jopt(stmt_text(q, 7)));
        json_object_set_new(o, "corrects",
                            stmt_int(q, 8) ? json_integer(stmt_int(q, 8)) : json_null());
        json_object_set_new(o, "corrected_by",
                            stmt_int(q, 9) ? json_integer(stmt_int(q, 9)) : json_null());
        const struct word *w = vocab_find(&attempt_methods, stmt_text(q, 2));
        json_object_set_new(o, "in_person", json_boolean(w && (w->flags & AM_IN_PERSON)));
        /* a correction: why, who, when (the original keeps its own) */
        json_object_set_new(o, "reason", jopt(stmt_text(q, 10)));
        json_object_set_new(o, "recorded_by", jstr(stmt_text(q, 11)));
        json_object_set_new(o, "recorded_at", jstr(stmt_text(q, 12)));
        json_object_set_new(o, "recorded_by_name", jstr(stmt_text(q, 13)));
        json_array_append_new(a, o);
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *ladder_json(struct store *s, int64_t case_id)
{
    struct stmt *q = store_prepare(s, "SELECT step, on_date, authority, coalesce(deadline, ''),"
                                      " coalesce(result, '') FROM ladder_step"
                                      " WHERE case_id = $1 ORDER BY id");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, case_id);
    json_t *a = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int step = (int)stmt_int(q, 0);
        json_array_append_new(a, json_pack("{s:i, s:s, s:o, s:o, s:o, s:o}", "step", step, "label",
                                           ladder_steps.words[step - 1].label, "date",
                                           jstr(stmt_text(q, 1)), "authority",
                                           jstr(stmt_text(q, 2)), "deadline", jopt(stmt_text(q, 3)),
                                           "result", jopt(stmt_text(q, 4))));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *followups_json(struct store *s, int64_t case_id)
{
    struct stmt *q = store_prepare(s, "SELECT f.id, f.on_date, f.in_school, f.by_person,"
                                      " coalesce(f.note, '') FROM follow_up f"
                                      " WHERE f.case_id = $1 ORDER BY f.on_date, f.id");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, case_id);
    json_t *a = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int64_t by = stmt_int(q, 3);
        json_t *o = json_pack("{s:I, s:o, s:b, s:o}", "id", (json_int_t)stmt_int(q, 0), "date",
                              jstr(stmt_text(q, 1)), "in_school", stmt_int(q, 2) != 0, "note",
                              jopt(stmt_text(q, 4)));
        json_array_append_new(a, o);
        json_object_set_new(o, "by_person_id", json_integer(by));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(a);
        return NULL;
    }
    /* names after the statement: one statement at a time on a connection */
    size_t i;
    json_t *o;
    json_array_foreach(a, i, o)
    {
        json_int_t by = json_integer_value(json_object_get(o, "by_person_id"));
        json_object_set_new(o, "by", person_json(s, by));
        json_object_del(o, "by_person_id");
    }
    return a;
}

json_t *case_detail(struct store *s, int64_t case_id, bool full, bool contact, bool *found)
{
    *found = false;
    struct stmt *q = store_prepare(
        s, "SELECT child_id, task_id, record_id, run_id, state, coalesce(township, ''),"
           " coalesce(reason, ''), coalesce(other_reasons, ''), coalesce(outcome, ''),"
           " coalesce(outcome_school, ''), coalesce(outcome_grade, ''),"
           " coalesce(outcome_detail, ''), coalesce(close_reason, ''), opened_on, active_since,"
           " first_visit_due, ladder, coalesce(ladder_deadline, ''), coalesce(outcome_on, ''),"
           " coalesce(closed_on, ''), coalesce(closed_by, 0), reopened,"
           " coalesce(township_code, ''), coalesce(closed_by_user, 0)"
           " FROM case_file WHERE id = $1");
    if (!q)
        return NULL;
    stmt_bind_int(q, 1, case_id);
    int rc = stmt_step(q);
    if (rc != 1) {
        stmt_finalize(q);
        *found = rc < 0;
        return NULL;
    }
    *found = true;
    int64_t child = stmt_int(q, 0), record = stmt_int(q, 2), closed_by = stmt_int(q, 20);
    int64_t closed_by_user = stmt_int(q, 23);
    char state[16], active_since[11], first_due[11], outcome_on[11];
    snprintf(state, sizeof(state), "%s", stmt_text(q, 4));
    snprintf(active_since, sizeof(active_since), "%s", stmt_text(q, 14));
    snprintf(first_due, sizeof(first_due), "%s", stmt_text(q, 15));
    snprintf(outcome_on, sizeof(outcome_on), "%s", stmt_text(q, 18));
    bool open = !strcmp(state, "open");
    int step = (int)stmt_int(q, 16);
    json_t *j =
        json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:i}", "id", (json_int_t)case_id,
                  "task_id", (json_int_t)stmt_int(q, 1), "run_id", (json_int_t)stmt_int(q, 3),
                  "state", jstr(state), "state_label", jstr(vocab_label(&case_states, state)),
                  "township", jstr(stmt_text(q, 5)), "township_code", jstr(stmt_text(q, 22)),
                  "opened_on", jstr(stmt_text(q, 13)), "reopened", (int)stmt_int(q, 21));
    json_object_set_new(j, "active_since", jstr(active_since));
    json_t *reasons = json_array();
    json_array_append_new(
        reasons, json_pack("{s:o, s:o, s:b}", "key", jstr(stmt_text(q, 6)), "label",
                           jstr(vocab_label(&case_reasons, stmt_text(q, 6))), "primary", 1));
    for (const char *p = stmt_text(q, 7); p && *p;) {
        const char *comma = strchr(p, ',');
        char k[32];
        snprintf(k, sizeof(k), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
        json_array_append_new(reasons,
                              json_pack("{s:s, s:o, s:b}", "key", k, "label",
                                        jstr(vocab_label(&case_reasons, k)), "primary", 0));
        p = comma ? comma + 1 : NULL;
    }
    json_object_set_new(j, "reasons", reasons);
    json_object_set_new(j, "ladder",
                        json_pack("{s:i, s:o, s:o}", "step", step, "label",
                                  step ? jstr(ladder_steps.words[step - 1].label) : json_null(),
                                  "deadline", jdue(stmt_text(q, 17), open)));
    json_t *outcome = json_null();
    if (*stmt_text(q, 8) && !open)
        outcome = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "key", jstr(stmt_text(q, 8)), "label",
                            jstr(vocab_label(&case_outcomes, stmt_text(q, 8))), "date",
                            jopt(outcome_on), "school", jopt(stmt_text(q, 9)), "grade",
                            jopt(stmt_text(q, 10)), "detail", jopt(stmt_text(q, 11)));
    json_object_set_new(j, "outcome", outcome);
    json_t *closing = json_null();
    if (!strcmp(state, "closed"))
        closing = json_pack("{s:o, s:o, s:I}", "date", jstr(stmt_text(q, 19)), "reason",
                            jstr(stmt_text(q, 12)), "approver_id", (json_int_t)closed_by);
    stmt_finalize(q);
    if (json_is_object(closing)) {
        /* an account since issue 11; a registry person for older closings */
        json_object_set_new(closing, "approver",
                            closed_by_user ? account_json(s, closed_by_user)
                                           : person_json(s, closed_by));
        json_object_del(closing, "approver_id");
    }
    json_object_set_new(j, "closing", closing);

    /* first visit: an attempt in person on or after the day the case (re)opened */
    json_t *first = json_null();
    if (open) {
        struct first_visit fv;
        if (case_first_visit(s, case_id, &fv) < 0) {
            json_decref(j);
            return NULL;
        }
        first = json_pack("{s:b, s:o, s:I}", "done", fv.attempt != 0, "due",
                          jdue(first_due, fv.attempt == 0), "distant", (json_int_t)fv.distant);
        json_object_set_new(first, "by",
                            fv.attempt ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)fv.attempt,
                                                   "date", fv.date, "method_label", fv.method_label)
                                       : json_null());
    }
    json_object_set_new(j, "first_visit", first);

    struct casework_settings cs;
    struct outcome err = OUTCOME_INIT;
    if (casework_settings_load(s, &cs, &err) < 0) {
        outcome_release(&err);
        json_decref(j);
        return NULL;
    }
    json_t *fu = json_null();
    if (!strcmp(state, "returned")) {
        int *dates = NULL;
        size_t n = 0;
        int next = 0, done = 0;
        if (case_followup_dates(s, case_id, date_or_zero(outcome_on), &dates, &n) == 0)
            done = followup_progress(&cs, date_or_zero(outcome_on), dates, n, &next);
        free(dates);
        char nd[11] = "";
        if (next)
            date_format(next, nd);
        fu = json_pack("{s:i, s:i, s:o, s:b}", "required", cs.followup_count, "done", done,
                       "next_due", next ? jdue(nd, true) : json_null(), "may_close",
                       done >= cs.followup_count);
    }
    json_object_set_new(j, "follow_up_progress", fu);
    json_object_set_new(j, "ladder_days", json_integer(cs.ladder_days));
    casework_settings_release(&cs);

    json_t *choices = json_pack(
        "{s:o, s:o, s:o, s:o}", "methods", jvocab(&attempt_methods, false, false), "ladder_steps",
        jvocab(&ladder_steps, false, false), "outcomes", jvocab(&case_outcomes, false, true),
        "reasons", jvocab(&case_reasons, false, false));
    json_object_set_new(j, "choices", choices);
    if (!put(j, "child", child_json(s, record, full, contact)) ||
        !put(j, "groups", groups_json(s, child)) ||
        !put(j, "assignees", assignees_json(s, 0, case_id)) ||
        !put(j, "attempts", attempts_json(s, case_id)) ||
        !put(j, "ladder_steps", ladder_json(s, case_id)) ||
        !put(j, "follow_ups", followups_json(s, case_id)) ||
        !put(j, "timeline", timeline_json(s, child))) {
        json_decref(j);
        return NULL;
    }
    return j;
}
