#include "domain/dashboard.h"

#include <jansson.h>

#include "core/words.h"
#include "core/date.h"
#include "domain/run.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

/* How many months the trend shows, and how many events the newest changes. */
#define TREND_MONTHS  24
#define NEWEST_EVENTS 10

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD");
}

/* Children by township and status in the run; the ledgers' child counts on the way. */
static int by_township(struct store *s, int64_t run, const char *township, json_t *root)
{
    struct stmt *q = store_prepare(
        s, "SELECT township_code, township, status, n FROM run_count WHERE run_id = $1"
           " AND (CAST($2 AS TEXT) IS NULL OR township_code = $2) ORDER BY township_code, status");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    stmt_bind_str(q, 2, township);
    json_t *towns = json_array(), *totals = json_object(), *cur = NULL;
    int64_t school_age = 0, suspected = 0, all = 0;
    char code[16] = "";
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *tc = stmt_text(q, 0);
        if (!cur || strcmp(code, tc)) {
            snprintf(code, sizeof(code), "%s", tc);
            cur = json_pack("{s:s, s:s, s:{}}", "township_code", tc, "township", stmt_text(q, 1),
                            "counts");
            json_array_append_new(towns, cur);
        }
        const char *st = stmt_text(q, 2);
        int64_t n = stmt_int(q, 3);
        json_object_set_new(json_object_get(cur, "counts"), st, json_integer(n));
        json_int_t t = json_integer_value(json_object_get(totals, st));
        json_object_set_new(totals, st, json_integer(t + n));
        int k = status_parse(st);
        /* the register's children; the pupils in no register here are in status_totals */
        if (k < 0 || !status_is_nonlocal((enum child_status)k))
            all += n;
        if (k >= 0 && status_is_school_age((enum child_status)k))
            school_age += n;
        if (k == ST_NOT_ENROLLED || k == ST_DROPPED_OUT)
            suspected += n;
    }
    stmt_finalize(q);
    json_object_set_new(root, "townships", towns);
    json_object_set_new(root, "status_totals", totals);
    json_object_set_new(root, "population", json_integer(all));
    json_object_set_new(json_object_get(root, "ledgers"), "school_age", json_integer(school_age));
    json_object_set_new(json_object_get(root, "ledgers"), "suspected", json_integer(suspected));
    return rc;
}

/*
 * The counts of one run a month, the month's last finished run (by the month of its as-of
 * date), of the last TREND_MONTHS months, oldest first: a change since last month, not the
 * runs of one day (several runs of a day or a month are one point, the newest).
 */
static int trend(struct store *s, const char *township, json_t *root)
{
    struct stmt *q = store_prepare(
        s, "SELECT m.id, m.as_of, c.status, sum(c.n) FROM match_run m"
           " JOIN run_count c ON c.run_id = m.id"
           " WHERE m.finished_at IS NOT NULL AND m.id = (SELECT max(l.id) FROM match_run l"
           "  WHERE l.finished_at IS NOT NULL AND substr(l.as_of, 1, 7) = substr(m.as_of, 1, 7))"
           " AND (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
           " GROUP BY m.id, m.as_of, c.status ORDER BY m.as_of, m.id, c.status");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    json_t *runs = json_array(), *cur = NULL;
    int64_t id = -1;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (!cur || stmt_int(q, 0) != id) {
            id = stmt_int(q, 0);
            const char *as_of = stmt_text(q, 1);
            cur = json_pack("{s:I, s:s, s:s%, s:{}, s:I}", "run_id", (json_int_t)id, "as_of", as_of,
                            "month", as_of, strlen(as_of) < 7 ? strlen(as_of) : (size_t)7, "counts",
                            "school_age", (json_int_t)0);
            json_array_append_new(runs, cur);
        }
        int64_t n = stmt_int(q, 3);
        json_object_set_new(json_object_get(cur, "counts"), stmt_text(q, 2), json_integer(n));
        int k = status_parse(stmt_text(q, 2));
        if (k >= 0 && status_is_school_age((enum child_status)k))
            json_object_set_new(
                cur, "school_age",
                json_integer(json_integer_value(json_object_get(cur, "school_age")) + n));
    }
    stmt_finalize(q);
    while (json_array_size(runs) > TREND_MONTHS)
        json_array_remove(runs, 0);
    json_object_set_new(root, "trend", runs);
    return rc;
}

/* The township object of `code` in root's townships, NULL when the run has none there. */
static json_t *town_of(json_t *root, const char *code)
{
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "townships"), i, t)
    {
        if (!strcmp(json_string_value(json_object_get(t, "township_code")), code))
            return t;
    }
    return NULL;
}

/*
 * Each township's work, for its rates: verification tasks (all, with a conclusion, unfinished,
 * overdue) and cases (all, with a 劝返 result, open, first visit overdue). `today` as in work().
 */
static int town_work(struct store *s, const char *township, const char *today, json_t *root)
{
    static const char *const sql[2] = {
        "SELECT township_code, count(*), sum(CASE WHEN state <> 'open' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN state <> 'closed' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN state <> 'closed' AND deadline < $2 THEN 1 ELSE 0 END) FROM verify_task"
        " WHERE township_code IS NOT NULL AND (CAST($1 AS TEXT) IS NULL OR township_code = $1)"
        " GROUP BY township_code",
        "SELECT c.township_code, count(*), sum(CASE WHEN c.state <> 'open' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.state = 'open' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.state = 'open' AND c.first_visit_due < $2 AND NOT EXISTS (SELECT 1"
        " FROM attempt a WHERE a.case_id = c.id) THEN 1 ELSE 0 END) FROM case_file c"
        " WHERE c.township_code IS NOT NULL"
        " AND (CAST($1 AS TEXT) IS NULL OR c.township_code = $1) GROUP BY c.township_code"};
    static const char *const keys[2][4] = {{"tasks", "verified", "tasks_open", "tasks_overdue"},
                                           {"cases", "returned", "cases_open", "cases_overdue"}};
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "townships"), i, t)
    {
        json_t *w = json_object();
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 4; j++)
                json_object_set_new(w, keys[k][j], json_integer(0));
        json_object_set_new(t, "work", w);
    }
    for (int k = 0; k < 2; k++) {
        struct stmt *q = store_prepare(s, sql[k]);
        if (!q)
            return -1;
        stmt_bind_str(q, 1, township);
        stmt_bind_str(q, 2, today);
        int rc;
        while ((rc = stmt_step(q)) == 1) {
            json_t *town = town_of(root, stmt_text(q, 0));
            if (!town)
                continue; /* no child of the run there: no rate to draw */
            json_t *w = json_object_get(town, "work");
            for (int j = 0; j < 4; j++)
                json_object_set_new(w, keys[k][j], json_integer(stmt_int(q, j + 1)));
        }
        stmt_finalize(q);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Verification tasks and cases by state, the overdue ones counted. */
static int work(struct store *s, const char *township, const char *today, json_t *root)
{
    struct stmt *q =
        store_prepare(s, "SELECT state, count(*), sum(CASE WHEN state <> 'closed' AND deadline < $2"
                         " THEN 1 ELSE 0 END) FROM verify_task"
                         " WHERE (CAST($1 AS TEXT) IS NULL OR township_code = $1) GROUP BY state");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    stmt_bind_str(q, 2, today);
    json_t *tasks = json_pack("{s:I, s:I, s:I, s:I}", "open", (json_int_t)0, "outreach",
                              (json_int_t)0, "closed", (json_int_t)0, "overdue", (json_int_t)0);
    int64_t overdue = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        json_object_set_new(tasks, stmt_text(q, 0), json_integer(stmt_int(q, 1)));
        overdue += stmt_int(q, 2);
    }
    stmt_finalize(q);
    json_object_set_new(tasks, "overdue", json_integer(overdue));
    json_object_set_new(root, "verify", tasks);
    if (rc < 0)
        return -1;
    /* a case is overdue when its first visit is due and not made (in person) */
    q = store_prepare(s, "SELECT c.state, c.ladder, count(*), sum(CASE WHEN c.state = 'open'"
                         " AND c.first_visit_due < $2 AND NOT " FIRST_VISIT_DONE_SQL(
                             "c") " THEN 1 ELSE 0 END) FROM case_file c"
                                  " WHERE (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
                                  " GROUP BY c.state, c.ladder ORDER BY c.state, c.ladder");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    stmt_bind_str(q, 2, today);
    json_t *states = json_pack("{s:I, s:I, s:I}", "open", (json_int_t)0, "returned", (json_int_t)0,
                               "closed", (json_int_t)0);
    json_t *ladder = json_array();
    int64_t steps[5] = {0}, total = 0, late = 0;
    while ((rc = stmt_step(q)) == 1) {
        const char *st = stmt_text(q, 0);
        int64_t l = stmt_int(q, 1), n = stmt_int(q, 2);
        json_object_set_new(states, st,
                            json_integer(json_integer_value(json_object_get(states, st)) + n));
        if (strcmp(st, "closed") && l >= 0 && l <= 4)
            steps[l] += n;
        total += n;
        late += stmt_int(q, 3);
    }
    stmt_finalize(q);
    for (size_t i = 0; i < ladder_steps.n && i < 4; i++)
        json_array_append_new(ladder, json_pack("{s:i, s:s, s:I}", "step", (int)i + 1, "label",
                                                ladder_steps.words[i].label, "n",
                                                (json_int_t)steps[i + 1]));
    json_object_set_new(root, "cases",
                        json_pack("{s:o, s:o, s:I, s:I}", "states", states, "ladder", ladder,
                                  "total", (json_int_t)total, "overdue", (json_int_t)late));
    json_object_set_new(json_object_get(root, "ledgers"), "dropout", json_integer(total));
    return rc;
}

/* The newest casework events in the scope, with the child's record id (for its link). */
static int newest(struct store *s, const char *township, json_t *root)
{
    struct stmt *q = store_prepare(
        s,
        "SELECT e.id, e.on_date, e.at, e.actor, e.kind, e.text, ch.last_record,"
        " coalesce(r.name, ''), coalesce(r.township, ''), " ACTOR_NAME_SQL(
            "e.actor") " FROM event e"
                       " JOIN child ch ON ch.id = e.child_id JOIN record r ON r.id = ch.last_record"
                       " WHERE (CAST($1 AS TEXT) IS NULL OR r.township_code = $1)"
                       " ORDER BY e.id DESC LIMIT $2");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    stmt_bind_int(q, 2, NEWEST_EVENTS);
    json_t *events = json_array();
    int rc;
    while ((rc = stmt_step(q)) == 1)
        json_array_append_new(
            events, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o}", "id",
                              (json_int_t)stmt_int(q, 0), "on_date", jstr(stmt_text(q, 1)), "at",
                              jstr(stmt_text(q, 2)), "actor", jstr(stmt_text(q, 3)), "kind",
                              jstr(stmt_text(q, 4)), "text", jstr(stmt_text(q, 5)), "record_id",
                              (json_int_t)stmt_int(q, 6), "name", jstr(stmt_text(q, 7)), "township",
                              jstr(stmt_text(q, 8)), "actor_name", jstr(stmt_text(q, 9))));
    stmt_finalize(q);
    json_object_set_new(root, "events", events);
    return rc;
}

/* The priority groups' children out of school (适龄未入学, 辍学) in the run, by group (issue 15):
 * "groups": [{key, label, suspected}], every group, 0 where none. */
static int by_group(struct store *s, int64_t run, const char *township, json_t *root)
{
    struct stmt *q = store_prepare(
        s, "SELECT gm.grp, count(DISTINCT gm.record_id) FROM group_member gm"
           " JOIN child_status cs ON cs.run_id = gm.run_id AND cs.record_id = gm.record_id"
           " JOIN record r ON r.id = gm.record_id"
           " WHERE gm.run_id = $1 AND cs.status IN ('not_enrolled', 'dropped_out')"
           " AND (CAST($2 AS TEXT) IS NULL OR r.township_code = $2) GROUP BY gm.grp");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    stmt_bind_str(q, 2, township);
    json_int_t n[GRP__COUNT] = {0};
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int k = vocab_parse(&priority_groups, stmt_text(q, 0));
        if (k >= 0)
            n[k] = (json_int_t)stmt_int(q, 1);
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    json_t *groups = json_array();
    for (int k = 0; k < GRP__COUNT; k++)
        json_array_append_new(groups, json_pack("{s:s, s:s, s:I}", "key",
                                                priority_groups.words[k].key, "label",
                                                priority_groups.words[k].label, "suspected", n[k]));
    json_object_set_new(root, "groups", groups);
    return 0;
}

json_t *dashboard_get(struct store *s, const struct scope *sc, const char *township,
                      struct outcome *o)
{
    const char *school = NULL;
    if (township && !*township)
        township = NULL;
    if (!role_has(sc->role, PERM_SUMMARY) || !scope_filter(sc, &township, &school) || school) {
        failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
        return NULL;
    }
    if (township && !*township) {
        failed(o, OUT_NOT_FOUND, "您的账号没有设置乡镇");
        return NULL;
    }
    struct run_info ri;
    if (run_info_load(s, 0, &ri, o) < 0)
        return NULL;
    char today[16];
    int t = date_today();
    snprintf(today, sizeof(today), "%04d-%02d-%02d", t / 10000, t / 100 % 100, t % 100);
    json_t *root = json_pack("{s:I, s:s, s:s, s:s?, s:{}}", "run_id", (json_int_t)ri.id, "as_of",
                             ri.as_of, "today", today, "township", township, "ledgers");
    if (by_township(s, ri.id, township, root) < 0 || trend(s, township, root) < 0 ||
        work(s, township, today, root) < 0 || town_work(s, township, today, root) < 0 ||
        newest(s, township, root) < 0 || by_group(s, ri.id, township, root) < 0) {
        json_decref(root);
        fail_store(s, o);
        return NULL;
    }
    return root;
}
