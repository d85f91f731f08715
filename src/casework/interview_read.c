/* Reading the interviews (约谈, casework/meeting.h): the county and supervisors all, a
 * township or a school its own. */
#include "casework/casework.h"
#include "casework/meeting.h"
#include "casework/meeting_impl.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/words.h"
#include "store/store.h"
#include "util/common.h"

/* The unit a scope reads: *kind and *code NULL for all; -1 when it reads none. */
static int reach(const struct scope *sc, const char **kind, const char **code, struct outcome *o)
{
    *kind = *code = NULL;
    if (!sc || scope_interview_allows(sc, NULL, NULL, ACT_READ) == OUT_OK)
        return 0;
    if (sc->role == ROLE_TOWNSHIP && sc->township && *sc->township) {
        *kind = "township";
        *code = sc->township;
        return 0;
    }
    if (sc->role == ROLE_SCHOOL && sc->school && *sc->school) {
        *kind = "school";
        *code = sc->school;
        return 0;
    }
    return failed(o, OUT_FORBIDDEN, "您的账号不能查看约谈记录");
}

json_t *interview_list(struct store *s, const struct scope *sc, const struct interview_filter *f,
                       struct outcome *o)
{
    const char *kind, *code;
    if (reach(sc, &kind, &code, o) < 0)
        return NULL;
    char town[10] = "";
    if (!kind && !mt_blank(f->township)) {
        const char *tname;
        if (casework_township(s, f->township, town, &tname) < 0) {
            failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", f->township);
            return NULL;
        }
        kind = "township";
        code = town;
    }
    char today[11];
    date_format(date_today(), today);
    struct stmt *q = store_prepare(
        s, "SELECT i.id, i.on_date, i.unit_kind, i.unit_code, i.unit_name, i.person, i.post,"
           " i.by_whom, i.reason, coalesce(i.ranking_month, ''), coalesce(i.finding_ref, ''),"
           " (SELECT count(*) FROM interview_commitment c WHERE c.interview_id = i.id),"
           " (SELECT count(*) FROM interview_commitment c WHERE c.interview_id = i.id"
           "  AND c.state = 'open'),"
           " (SELECT count(*) FROM interview_commitment c WHERE c.interview_id = i.id"
           "  AND c.state = 'open' AND c.deadline < $3)"
           " FROM interview i WHERE (CAST($1 AS TEXT) IS NULL OR i.unit_kind = $1)"
           " AND (CAST($2 AS TEXT) IS NULL OR i.unit_code = $2)"
           " ORDER BY i.on_date DESC, i.id DESC");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_str(q, 1, kind);
    stmt_bind_str(q, 2, code);
    stmt_bind_str(q, 3, today);
    json_t *items = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (f->overdue && !stmt_int(q, 13))
            continue;
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}",
                      "id", (json_int_t)stmt_int(q, 0), "date", stmt_text(q, 1), "unit_kind",
                      stmt_text(q, 2), "unit_code", stmt_text(q, 3), "unit_name", stmt_text(q, 4),
                      "person", stmt_text(q, 5), "post", stmt_text(q, 6), "by", stmt_text(q, 7),
                      "reason", stmt_text(q, 8), "month", stmt_text(q, 9), "finding",
                      stmt_text(q, 10), "commitments", (json_int_t)stmt_int(q, 11), "open",
                      (json_int_t)stmt_int(q, 12), "overdue", (json_int_t)stmt_int(q, 13)));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(items);
        fail_store(s, o);
        return NULL;
    }
    bool may_add = !sc || scope_interview_allows(sc, NULL, NULL, ACT_WRITE) == OUT_OK;
    return json_pack("{s:o, s:I, s:b}", "items", items, "total", (json_int_t)json_array_size(items),
                     "may_add", may_add);
}

json_t *interview_show(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    struct stmt *q = store_prepare(
        s, "SELECT on_date, unit_kind, unit_code, unit_name, person, post, by_whom, reason,"
           " coalesce(ranking_month, ''), coalesce(finding_ref, ''), created_by FROM interview"
           " WHERE id = $1");
    if (!q) {
        fail_store(s, o);
        return NULL;
    }
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    json_t *j = NULL;
    enum outcome_kind k = OUT_NOT_FOUND;
    if (rc == 1) {
        k = sc ? scope_interview_allows(sc, stmt_text(q, 1), stmt_text(q, 2), ACT_READ) : OUT_OK;
        j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                      (json_int_t)id, "date", stmt_text(q, 0), "unit_kind", stmt_text(q, 1),
                      "unit_code", stmt_text(q, 2), "unit_name", stmt_text(q, 3), "person",
                      stmt_text(q, 4), "post", stmt_text(q, 5), "by", stmt_text(q, 6), "reason",
                      stmt_text(q, 7), "month", stmt_text(q, 8), "finding", stmt_text(q, 9),
                      "created_by", stmt_text(q, 10));
        json_object_set_new(
            j, "may_write",
            json_boolean(!sc || scope_interview_allows(sc, stmt_text(q, 1), stmt_text(q, 2),
                                                       ACT_WRITE) == OUT_OK));
    }
    stmt_finalize(q);
    if (rc < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    if (k != OUT_OK) {
        json_decref(j);
        failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的约谈，或不在您的管辖范围内", (long long)id);
        return NULL;
    }
    json_t *cs = json_array(), *fs = json_array();
    json_object_set_new(j, "commitments", cs);
    json_object_set_new(j, "followups", fs);
    int today = date_today();
    q = store_prepare(s, "SELECT id, content, deadline, state, coalesce(kept_on, '')"
                         " FROM interview_commitment WHERE interview_id = $1 ORDER BY id");
    if (q) {
        stmt_bind_int(q, 1, id);
        while ((rc = stmt_step(q)) == 1) {
            const char *st = commitment_state(stmt_text(q, 3), stmt_text(q, 2), today);
            json_array_append_new(
                cs,
                json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)stmt_int(q, 0),
                          "content", stmt_text(q, 1), "deadline", stmt_text(q, 2), "state", st,
                          "state_label", vocab_label(&commitment_states, st), "kept_on",
                          stmt_text(q, 4), "days",
                          (json_int_t)days_between(today, date_or_zero(stmt_text(q, 2)))));
        }
        stmt_finalize(q);
    }
    q = rc < 0 ? NULL
               : store_prepare(s, "SELECT on_date, by_whom, found, coalesce(commitment_id, 0),"
                                  " coalesce(kept, -1) FROM interview_followup"
                                  " WHERE interview_id = $1 ORDER BY on_date, id");
    if (q) {
        stmt_bind_int(q, 1, id);
        while ((rc = stmt_step(q)) == 1) {
            int kept = (int)stmt_int(q, 4);
            json_array_append_new(fs,
                                  json_pack("{s:s, s:s, s:s, s:I, s:s}", "date", stmt_text(q, 0),
                                            "by", stmt_text(q, 1), "found", stmt_text(q, 2),
                                            "commitment", (json_int_t)stmt_int(q, 3), "kept",
                                            kept == 1   ? "已落实"
                                            : kept == 0 ? "未落实"
                                                        : ""));
        }
        stmt_finalize(q);
    }
    if (!q || rc < 0) {
        json_decref(j);
        fail_store(s, o);
        return NULL;
    }
    return j;
}
