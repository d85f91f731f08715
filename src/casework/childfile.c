#include "casework/childfile.h"
#include "casework/warning.h"

#include <jansson.h>

#include "casework/atrisk.h"
#include "casework/casework.h"
#include "casework/event.h"
#include "casework/placement.h"
#include "core/words.h"
#include "core/date.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "store/store.h"
#include "util/common.h"

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD");
}

/* The child's status in every run: its record in each run's register, by the same key. */
static int history(struct store *s, const char *id_number, const char *name_key, const char *birth,
                   json_t *out)
{
    struct stmt *q = store_prepare(
        s, "SELECT m.id, m.as_of, (SELECT min(r.id) FROM record r WHERE r.batch_id ="
           " m.population_batch AND ((CAST($1 AS TEXT) IS NOT NULL AND r.id_number = $1) OR"
           " (CAST($1 AS TEXT) IS NULL AND r.id_number IS NULL AND r.name_key = $2"
           " AND r.birth_date = $3))) FROM match_run m WHERE m.finished_at IS NOT NULL"
           " ORDER BY m.id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, id_number);
    stmt_bind_str(q, 2, name_key);
    stmt_bind_str(q, 3, birth);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        struct run_status_entry e;
        int found = stmt_is_null(q, 2) ? 0 : run_status_get(s, stmt_int(q, 0), stmt_int(q, 2), &e);
        if (found < 0) {
            rc = -1;
            break;
        }
        json_array_append_new(
            out, json_pack("{s:I, s:o, s:s?, s:s}", "run_id", (json_int_t)stmt_int(q, 0), "as_of",
                           jstr(stmt_text(q, 1)), "status", found ? status_key(e.st) : NULL,
                           "status_label", found ? status_label(e.st) : "不在当次户籍名单中"));
    }
    stmt_finalize(q);
    return rc;
}

static int tasks(struct store *s, int64_t child_id, const char *today, json_t *out)
{
    struct stmt *q = store_prepare(
        s, "SELECT id, state, suspected, opened_on, deadline, coalesce(outcome, ''),"
           " coalesce(outcome_sub, ''), coalesce(verified_on, ''), coalesce(school, ''),"
           " coalesce(note, '') FROM verify_task WHERE child_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *state = stmt_text(q, 1), *outcome = stmt_text(q, 5);
        int st = status_parse(stmt_text(q, 2));
        json_array_append_new(
            out,
            json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:b, s:o, s:s, s:s, s:o, s:o, s:o}", "id",
                      (json_int_t)stmt_int(q, 0), "state", jstr(state), "state_label",
                      vocab_label(&task_states, state), "suspected",
                      st >= 0 ? status_label((enum child_status)st) : "", "opened_on",
                      jstr(stmt_text(q, 3)), "deadline", jstr(stmt_text(q, 4)), "overdue",
                      strcmp(state, "closed") && strcmp(stmt_text(q, 4), today) < 0, "outcome",
                      jstr(outcome), "outcome_label", vocab_label(&verify_outcomes, outcome),
                      "outcome_sub_label", vocab_label(&registration_problems, stmt_text(q, 6)),
                      "verified_on", jstr(stmt_text(q, 7)), "school", jstr(stmt_text(q, 8)), "note",
                      jstr(stmt_text(q, 9))));
    }
    stmt_finalize(q);
    return rc;
}

static int case_file(struct store *s, int64_t child_id, json_t *root)
{
    struct stmt *q = store_prepare(
        s, "SELECT c.id, c.state, coalesce(c.reason, ''), c.ladder, c.opened_on,"
           " coalesce(c.outcome, ''), coalesce(c.outcome_on, ''), coalesce(c.outcome_school, ''),"
           " coalesce(c.closed_on, ''), c.first_visit_due,"
           " CASE WHEN " FIRST_VISIT_DONE_SQL("c") " THEN 1 ELSE 0 END"
                                                   " FROM case_file c WHERE c.child_id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, child_id);
    int rc = stmt_step(q);
    if (rc == 1) {
        int ladder = (int)stmt_int(q, 3);
        json_object_set_new(
            root, "case",
            json_pack("{s:I, s:o, s:s, s:s, s:i, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "id",
                      (json_int_t)stmt_int(q, 0), "state", jstr(stmt_text(q, 1)), "state_label",
                      vocab_label(&case_states, stmt_text(q, 1)), "reason_label",
                      vocab_label(&case_reasons, stmt_text(q, 2)), "ladder", ladder, "ladder_label",
                      ladder >= 1 && (size_t)ladder <= ladder_steps.n
                          ? ladder_steps.words[ladder - 1].label
                          : "",
                      "opened_on", jstr(stmt_text(q, 4)), "outcome_label",
                      vocab_label(&case_outcomes, stmt_text(q, 5)), "outcome_on",
                      jstr(stmt_text(q, 6)), "outcome_school", jstr(stmt_text(q, 7)), "closed_on",
                      jstr(stmt_text(q, 8)), "first_visit_due", jstr(stmt_text(q, 9))));
        /* made in person (the one rule, core/words.h) */
        json_object_set_new(json_object_get(root, "case"), "first_visit_done",
                            json_boolean(stmt_int(q, 10) != 0));
    } else {
        json_object_set_new(root, "case", json_null());
    }
    stmt_finalize(q);
    return rc;
}

json_t *child_casework(struct store *s, const struct scope *sc, int64_t record_id,
                       struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, "SELECT r.id_number, coalesce(r.id_flags, 0), coalesce(r.name_key, ''),"
           " coalesce(r.birth_date, ''), coalesce(r.gender, 0), coalesce(r.township_code, '')"
           " FROM record r WHERE r.id = $1");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, record_id);
    int rc = stmt_step(q);
    if (rc != 1) {
        stmt_finalize(q);
        if (rc < 0)
            fail_store(s, o);
        else
            failed(o, OUT_NOT_FOUND, "没有这条记录");
        return NULL;
    }
    char *idn = stmt_is_null(q, 0) ? NULL : xstrdup(stmt_text(q, 0));
    char *name_key = xstrdup(stmt_text(q, 2)), *birth = xstrdup(stmt_text(q, 3));
    char tcode[10];
    snprintf(tcode, sizeof(tcode), "%s", stmt_text(q, 5));
    struct buf key = BUF_INIT;
    child_key(idn, (int)stmt_int(q, 1), name_key, birth, (int)stmt_int(q, 4), &key);
    stmt_finalize(q);

    char today[16];
    int t = date_today();
    snprintf(today, sizeof(today), "%04d-%02d-%02d", t / 10000, t / 100 % 100, t % 100);
    json_t *root = json_pack("{s:[], s:[], s:n, s:[]}", "history", "tasks", "case", "timeline");
    int64_t child_id = 0;
    rc = history(s, idn, name_key, birth, json_object_get(root, "history"));
    if (rc >= 0) {
        const char *p[] = {key.buf};
        rc = store_int(s, "SELECT id FROM child WHERE child_key = $1", 1, p, &child_id);
    }
    if (rc >= 0 && child_id > 0) {
        rc = tasks(s, child_id, today, json_object_get(root, "tasks"));
        if (rc >= 0)
            rc = case_file(s, child_id, root);
        struct timeline tl = {0};
        if (rc >= 0)
            rc = timeline_load(s, child_id, &tl);
        for (size_t i = 0; rc >= 0 && i < tl.n; i++) {
            const struct timeline_entry *e = &tl.e[i];
            json_t *ev = json_pack("{s:o, s:o, s:o, s:o, s:s, s:I, s:I, s:o}", "on_date",
                                   jstr(e->on_date), "at", jstr(e->at), "actor", jstr(e->actor),
                                   "kind", jstr(e->kind), "kind_label", event_kind_label(e->kind),
                                   "task_id", (json_int_t)e->task_id, "case_id",
                                   (json_int_t)e->case_id, "text", jstr(e->text));
            json_object_set_new(ev, "actor_name", jstr(e->actor_name));
            json_array_append_new(json_object_get(root, "timeline"), ev);
        }
        timeline_release(&tl);
    }
    /* the placement and the 送教上门 visits (issue 15) */
    if (rc >= 0)
        rc = placement_child_json(s, sc, child_id > 0 ? child_id : 0, tcode, root);
    /* the 预警分 of a child still at school and its 结对教师 (issue 16) */
    if (rc >= 0)
        rc = atrisk_child_json(s, sc, record_id, root);
    /* the attendance warnings of the child (issue 16) */
    if (rc >= 0)
        rc = warning_child_json(s, sc, record_id, root);
    free(idn);
    free(name_key);
    free(birth);
    buf_release(&key);
    if (rc < 0) {
        json_decref(root);
        fail_store(s, o);
        return NULL;
    }
    return root;
}
