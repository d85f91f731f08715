/* Reading the joint meetings (casework/meeting.h): the list, one meeting with its decisions,
 * and the decisions across meetings, as the scope reads them (a department its own). */
#include "casework/meeting.h"

#include "casework/meeting_impl.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/idcard.h"
#include "core/words.h"
#include "domain/department.h"
#include "store/store.h"
#include "util/common.h"

/* The department the scope is narrowed to: a department account its own; else `asked`. */
static int reader(const struct scope *sc, const char *asked, const char **dept, struct outcome *o)
{
    *dept = NULL;
    if (sc && scope_meeting_allows(sc, NULL, ACT_READ) != OUT_OK)
        return failed(o, OUT_FORBIDDEN, "您的账号不能查看联席会议");
    if (sc && sc->role == ROLE_DEPARTMENT) {
        if (!department_find(sc->department))
            return failed(o, OUT_FORBIDDEN,
                          "您的账号还没有指定所属部门：请系统管理员在“账号和角色”中为它选定部门");
        *dept = sc->department;
        return 0;
    }
    if (!mt_blank(asked)) {
        const struct department *d = department_parse(asked);
        if (!d)
            return failed_at(o, OUT_INVALID, "department", "“%s”不是部门", asked);
        *dept = d->key;
    }
    return 0;
}

static json_t *departments_of(struct store *s, int64_t meeting_id)
{
    json_t *list = json_array();
    struct stmt *q = store_prepare(s, "SELECT department FROM meeting_department"
                                      " WHERE meeting_id = $1 ORDER BY department");
    if (!q)
        return list;
    stmt_bind_int(q, 1, meeting_id);
    /* in the vocabulary's order, as the meeting's minutes list them */
    char keys[32][32];
    size_t n = 0;
    while (stmt_step(q) == 1 && n < 32)
        snprintf(keys[n++], sizeof(keys[0]), "%s", stmt_text(q, 0));
    stmt_finalize(q);
    for (unsigned i = 0; i < departments_count; i++)
        for (size_t k = 0; k < n; k++)
            if (!strcmp(keys[k], departments[i].key))
                json_array_append_new(list, json_pack("{s:s, s:s}", "key", departments[i].key,
                                                      "name", departments[i].name));
    return list;
}

json_t *meeting_list(struct store *s, const struct scope *sc, const struct meeting_filter *f,
                     struct outcome *o)
{
    const char *dept;
    if (reader(sc, f->department, &dept, o) < 0)
        return NULL;
    char today[11];
    date_format(date_today(), today);
    struct stmt *q = store_prepare(
        s, "SELECT m.id, m.on_date, m.title, coalesce(m.host, ''),"
           " (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = m.id"
           "  AND (CAST($1 AS TEXT) IS NULL OR d.department = $1)),"
           " (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = m.id"
           "  AND (CAST($1 AS TEXT) IS NULL OR d.department = $1) AND d.state <> 'done'),"
           " (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = m.id"
           "  AND (CAST($1 AS TEXT) IS NULL OR d.department = $1) AND d.state <> 'done'"
           "  AND d.deadline < $2)"
           " FROM meeting m WHERE (CAST($1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM"
           " meeting_decision d WHERE d.meeting_id = m.id AND d.department = $1))"
           " ORDER BY m.on_date DESC, m.id DESC");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_str(q, 1, dept);
    stmt_bind_str(q, 2, today);
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (f->overdue && !stmt_int(q, 6))
            continue;
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:o, s:I, s:I, s:I}", "id",
                                               (json_int_t)stmt_int(q, 0), "date", stmt_text(q, 1),
                                               "title", stmt_text(q, 2), "host", stmt_text(q, 3),
                                               "departments", departments_of(s, stmt_int(q, 0)),
                                               "decisions", (json_int_t)stmt_int(q, 4), "open",
                                               (json_int_t)stmt_int(q, 5), "overdue",
                                               (json_int_t)stmt_int(q, 6)));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(items);
        fail_store(s, o);
        return NULL;
    }
    bool may_add = !sc || scope_meeting_allows(sc, NULL, ACT_WRITE) == OUT_OK;
    return json_pack("{s:o, s:I, s:b}", "items", items, "total", (json_int_t)json_array_size(items),
                     "may_add", may_add);
}

/* The progress reports and duty checks of decision `id` into it. */
static int decision_story(struct store *s, const struct scope *sc, json_t *it, int64_t id)
{
    json_t *progress = json_array(), *checks = json_array();
    json_object_set_new(it, "progress", progress);
    json_object_set_new(it, "checks", checks);
    struct stmt *q = store_prepare(s, "SELECT on_date, content, state, by_whom FROM"
                                      " decision_progress WHERE decision_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(progress, json_pack("{s:s, s:s, s:s, s:s}", "date", stmt_text(q, 0),
                                                  "content", stmt_text(q, 1), "state_label",
                                                  vocab_label(&decision_states, stmt_text(q, 2)),
                                                  "by", stmt_text(q, 3)));
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    bool county = !sc || sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY;
    q = store_prepare(s, "SELECT id, kind, on_date, places, minors_found, result FROM duty_check"
                         " WHERE decision_id = $1 ORDER BY on_date, id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    while ((rc = stmt_step(q)) == 1) {
        json_t *minors = json_array();
        struct stmt *m = store_prepare(s, "SELECT name, coalesce(id_number, ''),"
                                          " coalesce(record_id, 0) FROM duty_minor"
                                          " WHERE check_id = $1 ORDER BY id");
        if (m) {
            stmt_bind_int(m, 1, stmt_int(q, 0));
            while (stmt_step(m) == 1) {
                char masked[24] = "";
                if (*stmt_text(m, 1))
                    id_mask(stmt_text(m, 1), masked);
                json_t *one = json_pack("{s:s, s:s}", "name", stmt_text(m, 0), "id_number", masked);
                /* the link to the child's record: the county's alone */
                if (county && stmt_int(m, 2))
                    json_object_set_new(one, "record_id", json_integer(stmt_int(m, 2)));
                json_array_append_new(minors, one);
            }
            stmt_finalize(m);
        }
        json_array_append_new(
            checks, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:o}", "id",
                              (json_int_t)stmt_int(q, 0), "kind", stmt_text(q, 1), "kind_label",
                              vocab_label(&duty_kinds, stmt_text(q, 1)), "date", stmt_text(q, 2),
                              "places", stmt_text(q, 3), "minors_found", (json_int_t)stmt_int(q, 4),
                              "result", stmt_text(q, 5), "minors", minors));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

#define DECISION_COLS                                                                              \
    "d.id, d.department, d.content, d.deadline, coalesce(d.duty, ''), d.state,"                    \
    " coalesce(d.done_on, ''), d.meeting_id, m.on_date, m.title"

static json_t *decision_row(struct store *s, const struct scope *sc, struct stmt *q, int today)
{
    const struct department *dep = department_find(stmt_text(q, 1));
    const char *state = decision_state(stmt_text(q, 5), stmt_text(q, 3), today);
    bool may_report = strcmp(stmt_text(q, 5), "done") &&
                      (!sc || scope_meeting_allows(sc, stmt_text(q, 1), ACT_FOLLOW_UP) == OUT_OK);
    json_t *it =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:I, s:s, s:s}", "id",
                  (json_int_t)stmt_int(q, 0), "department", stmt_text(q, 1), "department_name",
                  dep ? dep->name : stmt_text(q, 1), "content", stmt_text(q, 2), "deadline",
                  stmt_text(q, 3), "duty", stmt_text(q, 4), "duty_label",
                  *stmt_text(q, 4) ? vocab_label(&duty_kinds, stmt_text(q, 4)) : "", "state", state,
                  "state_label", vocab_label(&decision_states, state), "days",
                  (json_int_t)days_between(today, date_or_zero(stmt_text(q, 3))), "may_report",
                  may_report, "meeting_id", (json_int_t)stmt_int(q, 7), "meeting_date",
                  stmt_text(q, 8), "meeting_title", stmt_text(q, 9));
    json_object_set_new(it, "done_on", json_string(stmt_text(q, 6)));
    if (decision_story(s, sc, it, stmt_int(q, 0)) < 0) {
        json_decref(it);
        return NULL;
    }
    return it;
}

json_t *meeting_show(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    const char *dept;
    if (reader(sc, NULL, &dept, o) < 0)
        return NULL;
    struct stmt *q =
        store_prepare(s, "SELECT on_date, title, coalesce(host, ''),"
                         " coalesce(notes, ''), created_by FROM meeting WHERE id = $1");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    json_t *j = NULL;
    if (rc == 1)
        j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "date",
                      stmt_text(q, 0), "title", stmt_text(q, 1), "host", stmt_text(q, 2), "notes",
                      stmt_text(q, 3), "created_by", stmt_text(q, 4));
    stmt_finalize(q);
    if (rc < 0) {
        fail_store(s, o);
        return NULL;
    }
    int64_t mine = 0;
    if (j && dept) {
        char mid[24];
        snprintf(mid, sizeof(mid), "%lld", (long long)id);
        const char *p[] = {mid, dept};
        if (store_int(s,
                      "SELECT count(*) FROM meeting_decision WHERE meeting_id = CAST($1 AS BIGINT)"
                      " AND department = $2",
                      2, p, &mine) < 0) {
            json_decref(j);
            fail_store(s, o);
            return NULL;
        }
    }
    /* a department reads the meetings that gave it something to do, no other */
    if (!j || (dept && !mine && sc && sc->role == ROLE_DEPARTMENT)) {
        json_decref(j);
        failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的联席会议，或其中没有本部门的事项",
               (long long)id);
        return NULL;
    }
    json_object_set_new(j, "departments", departments_of(s, id));
    json_object_set_new(j, "may_decide",
                        json_boolean(!sc || scope_meeting_allows(sc, NULL, ACT_WRITE) == OUT_OK));
    json_t *items = json_array();
    json_object_set_new(j, "decisions", items);
    q = store_prepare(s, "SELECT " DECISION_COLS " FROM meeting_decision d JOIN meeting m"
                         " ON m.id = d.meeting_id WHERE d.meeting_id = $1"
                         " AND (CAST($2 AS TEXT) IS NULL OR d.department = $2) ORDER BY d.id");
    if (!q) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, sc && sc->role == ROLE_DEPARTMENT ? dept : NULL);
    int today = date_today();
    while ((rc = stmt_step(q)) == 1) {
        json_t *it = decision_row(s, sc, q, today);
        if (!it) {
            rc = -1;
            break;
        }
        json_array_append_new(items, it);
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    return j;
}

json_t *decision_list(struct store *s, const struct scope *sc, const struct meeting_filter *f,
                      struct outcome *o)
{
    const char *dept;
    if (reader(sc, f->department, &dept, o) < 0)
        return NULL;
    struct stmt *q = store_prepare(
        s, "SELECT " DECISION_COLS " FROM meeting_decision d JOIN meeting m ON m.id = d.meeting_id"
           " WHERE (CAST($1 AS TEXT) IS NULL OR d.department = $1)"
           " ORDER BY CASE WHEN d.state = 'done' THEN 1 ELSE 0 END, d.deadline, d.id");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_str(q, 1, dept);
    int rc, today = date_today();
    json_t *items = json_array();
    while ((rc = stmt_step(q)) == 1) {
        if (f->overdue &&
            strcmp(decision_state(stmt_text(q, 5), stmt_text(q, 3), today), "overdue"))
            continue;
        json_t *it = decision_row(s, sc, q, today);
        if (!it) {
            rc = -1;
            break;
        }
        json_array_append_new(items, it);
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(items);
        fail_store(s, o);
        return NULL;
    }
    return json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
}
