#include "domain/dashboard.h"

#include <jansson.h>

#include "core/words.h"
#include "core/date.h"
#include "domain/groups.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* How many months the trend shows, and how many events the newest changes. */
#define TREND_MONTHS  24
#define NEWEST_EVENTS 10

static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD");
}

/*
 * Children by township and status, as run_count keeps them for a whole run: for one priority
 * group (issue 15) counted here from the run's statuses of the group's records, one pass over
 * the run (run_status_each) with the records looked up in a sorted array.
 */
struct town_count {
    char code[16];
    char name[64];
    int64_t n[ST__COUNT];
};
struct group_count {
    int64_t *ids; /* the group's records in the run, ascending */
    size_t *town; /* each one's township (index in towns) */
    size_t n, cap;
    struct town_count *towns;
    size_t ntowns;
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int group_count_entry(void *arg, const struct run_status_entry *e)
{
    struct group_count *g = arg;
    const int64_t *hit =
        g->n ? bsearch(&e->record_id, g->ids, g->n, sizeof(*g->ids), cmp_i64) : NULL;
    if (hit)
        g->towns[g->town[hit - g->ids]].n[e->st]++;
    return 0;
}

static int cmp_town(const void *a, const void *b)
{
    return strcmp(((const struct town_count *)a)->code, ((const struct town_count *)b)->code);
}

/* The counts of group `grp`'s children in run `run` by township (sorted by code). */
static int group_count_run(struct store *s, int64_t run, const char *township, const char *grp,
                           struct group_count *g)
{
    memset(g, 0, sizeof(*g));
    struct stmt *q = store_prepare(
        s, "SELECT DISTINCT gm.record_id, coalesce(r.township_code, ''), coalesce(r.township, '')"
           " FROM group_member gm JOIN record r ON r.id = gm.record_id"
           " WHERE gm.run_id = $1 AND gm.grp = $2"
           " AND (CAST($3 AS TEXT) IS NULL OR r.township_code = $3) ORDER BY gm.record_id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    stmt_bind_str(q, 2, grp);
    stmt_bind_str(q, 3, township);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *code = stmt_text(q, 1);
        size_t t = 0;
        while (t < g->ntowns && strcmp(g->towns[t].code, code))
            t++;
        if (t == g->ntowns) {
            g->towns = xreallocarray(g->towns, ++g->ntowns, sizeof(*g->towns));
            memset(&g->towns[t], 0, sizeof(*g->towns));
            snprintf(g->towns[t].code, sizeof(g->towns[t].code), "%s", code);
            snprintf(g->towns[t].name, sizeof(g->towns[t].name), "%s", stmt_text(q, 2));
        }
        if (g->n == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 256;
            g->ids = xreallocarray(g->ids, g->cap, sizeof(*g->ids));
            g->town = xreallocarray(g->town, g->cap, sizeof(*g->town));
        }
        g->ids[g->n] = stmt_int(q, 0);
        g->town[g->n++] = t;
    }
    stmt_finalize(q);
    if (rc == 0 && g->n)
        rc = run_status_each(s, run, group_count_entry, g);
    free(g->ids);
    free(g->town);
    g->ids = NULL;
    g->town = NULL;
    if (rc != 0) {
        free(g->towns);
        g->towns = NULL;
        return -1;
    }
    qsort(g->towns, g->ntowns, sizeof(*g->towns), cmp_town);
    return 0;
}

struct town_totals {
    json_t *towns, *totals, *cur;
    char code[16];
    int64_t school_age, suspected, all;
};

static void town_add(struct town_totals *a, const char *tc, const char *name, const char *st,
                     int64_t n)
{
    if (!a->cur || strcmp(a->code, tc)) {
        snprintf(a->code, sizeof(a->code), "%s", tc);
        a->cur =
            json_pack("{s:s, s:o, s:{}}", "township_code", tc, "township", jstr(name), "counts");
        json_array_append_new(a->towns, a->cur);
    }
    json_object_set_new(json_object_get(a->cur, "counts"), st, json_integer(n));
    json_int_t t = json_integer_value(json_object_get(a->totals, st));
    json_object_set_new(a->totals, st, json_integer(t + n));
    int k = status_parse(st);
    /* the register's children; the pupils in no register here are in status_totals */
    if (k < 0 || !status_is_nonlocal((enum child_status)k))
        a->all += n;
    if (k >= 0 && status_is_school_age((enum child_status)k))
        a->school_age += n;
    if (k == ST_NOT_ENROLLED || k == ST_DROPPED_OUT)
        a->suspected += n;
}

/* Children by township and status in the run (of group `grp` when given); the ledgers' child
 * counts on the way. */
static int by_township(struct store *s, int64_t run, const char *township, const char *grp,
                       json_t *root)
{
    struct town_totals a = {.towns = json_array(), .totals = json_object()};
    int rc = 0;
    if (grp) {
        struct group_count g;
        rc = group_count_run(s, run, township, grp, &g);
        for (size_t t = 0; rc == 0 && t < g.ntowns; t++)
            for (int k = 0; k < ST__COUNT; k++)
                if (g.towns[t].n[k])
                    town_add(&a, g.towns[t].code, g.towns[t].name, status_key((enum child_status)k),
                             g.towns[t].n[k]);
        free(g.towns);
    } else {
        struct stmt *q = store_prepare(
            s, "SELECT township_code, township, status, n FROM run_count WHERE run_id = $1"
               " AND (CAST($2 AS TEXT) IS NULL OR township_code = $2)"
               " ORDER BY township_code, status");
        if (!q)
            rc = -1;
        else {
            stmt_bind_int(q, 1, run);
            stmt_bind_str(q, 2, township);
            while ((rc = stmt_step(q)) == 1)
                town_add(&a, stmt_text(q, 0), stmt_text(q, 1), stmt_text(q, 2), stmt_int(q, 3));
            stmt_finalize(q);
        }
    }
    json_object_set_new(root, "townships", a.towns);
    json_object_set_new(root, "status_totals", a.totals);
    json_object_set_new(root, "population", json_integer(a.all));
    json_object_set_new(json_object_get(root, "ledgers"), "school_age", json_integer(a.school_age));
    json_object_set_new(json_object_get(root, "ledgers"), "suspected", json_integer(a.suspected));
    return rc;
}

/*
 * The counts of one run a month, the month's last finished run (by the month of its as-of
 * date), of the last TREND_MONTHS months, oldest first: a change since last month, not the
 * runs of one day (several runs of a day or a month are one point, the newest).
 */
static void trend_add(json_t *cur, const char *st, int64_t n)
{
    json_object_set_new(json_object_get(cur, "counts"), st, json_integer(n));
    int k = status_parse(st);
    if (k >= 0 && status_is_school_age((enum child_status)k))
        json_object_set_new(
            cur, "school_age",
            json_integer(json_integer_value(json_object_get(cur, "school_age")) + n));
}

static json_t *trend_point(json_t *runs, int64_t id, const char *as_of)
{
    json_t *cur = json_pack("{s:I, s:s, s:s%, s:{}, s:I}", "run_id", (json_int_t)id, "as_of", as_of,
                            "month", as_of, strlen(as_of) < 7 ? strlen(as_of) : (size_t)7, "counts",
                            "school_age", (json_int_t)0);
    json_array_append_new(runs, cur);
    return cur;
}

/* One priority group's trend: its children's statuses in each of the trend's runs. */
static int trend_group(struct store *s, const char *township, const char *grp, json_t *runs)
{
    struct stmt *q = store_prepare(
        s, "SELECT m.id, m.as_of FROM match_run m"
           " WHERE m.finished_at IS NOT NULL AND m.id = (SELECT max(l.id) FROM match_run l"
           "  WHERE l.finished_at IS NOT NULL AND substr(l.as_of, 1, 7) = substr(m.as_of, 1, 7))"
           " ORDER BY m.as_of DESC, m.id DESC LIMIT $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, TREND_MONTHS);
    int64_t ids[TREND_MONTHS];
    char as_of[TREND_MONTHS][16];
    int n = 0, rc;
    while ((rc = stmt_step(q)) == 1 && n < TREND_MONTHS) {
        ids[n] = stmt_int(q, 0);
        snprintf(as_of[n++], sizeof(as_of[0]), "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    for (int i = n - 1; i >= 0; i--) { /* oldest first */
        struct group_count g;
        if (group_count_run(s, ids[i], township, grp, &g) < 0)
            return -1;
        json_t *cur = trend_point(runs, ids[i], as_of[i]);
        for (int k = 0; k < ST__COUNT; k++) {
            int64_t sum = 0;
            for (size_t t = 0; t < g.ntowns; t++)
                sum += g.towns[t].n[k];
            if (sum)
                trend_add(cur, status_key((enum child_status)k), sum);
        }
        free(g.towns);
    }
    return 0;
}

static int trend(struct store *s, const char *township, const char *grp, json_t *root)
{
    json_t *runs = json_array();
    json_object_set_new(root, "trend", runs);
    if (grp)
        return trend_group(s, township, grp, runs);
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
    json_t *cur = NULL;
    int64_t id = -1;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (!cur || stmt_int(q, 0) != id) {
            id = stmt_int(q, 0);
            cur = trend_point(runs, id, stmt_text(q, 1));
        }
        trend_add(cur, stmt_text(q, 2), stmt_int(q, 3));
    }
    stmt_finalize(q);
    while (json_array_size(runs) > TREND_MONTHS)
        json_array_remove(runs, 0);
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
static int town_work(struct store *s, const char *township, const char *grp, const char *today,
                     json_t *root)
{
    static const char *const sql[2] = {
        "SELECT township_code, count(*), sum(CASE WHEN state <> 'open' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN state <> 'closed' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN state <> 'closed' AND deadline < $2 THEN 1 ELSE 0 END) FROM verify_task"
        " WHERE township_code IS NOT NULL AND (CAST($1 AS TEXT) IS NULL OR township_code = $1)"
        " AND " GROUP_CHILD_SQL("child_id", "$3") " GROUP BY township_code",
        "SELECT c.township_code, count(*), sum(CASE WHEN c.state <> 'open' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.state = 'open' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.state = 'open' AND c.first_visit_due < $2 AND NOT EXISTS (SELECT 1"
        " FROM attempt a WHERE a.case_id = c.id) THEN 1 ELSE 0 END) FROM case_file c"
        " WHERE c.township_code IS NOT NULL AND (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
        " AND " GROUP_CHILD_SQL("c.child_id", "$3") " GROUP BY c.township_code"};
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
        stmt_bind_str(q, 3, grp);
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
static int work(struct store *s, const char *township, const char *grp, const char *today,
                json_t *root)
{
    struct stmt *q =
        store_prepare(s, "SELECT state, count(*), sum(CASE WHEN state <> 'closed' AND deadline < $2"
                         " THEN 1 ELSE 0 END) FROM verify_task"
                         " WHERE (CAST($1 AS TEXT) IS NULL OR township_code = $1)"
                         " AND " GROUP_CHILD_SQL("child_id", "$3") " GROUP BY state");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    stmt_bind_str(q, 2, today);
    stmt_bind_str(q, 3, grp);
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
    q = store_prepare(
        s,
        "SELECT c.state, c.ladder, count(*), sum(CASE WHEN c.state = 'open'"
        " AND c.first_visit_due < $2 AND NOT " FIRST_VISIT_DONE_SQL(
            "c") " THEN 1 ELSE 0 END) FROM case_file c"
                 " WHERE (CAST($1 AS TEXT) IS NULL OR c.township_code = $1)"
                 " AND " GROUP_CHILD_SQL(
                     "c.child_id", "$3") " GROUP BY c.state, c.ladder ORDER BY c.state, c.ladder");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    stmt_bind_str(q, 2, today);
    stmt_bind_str(q, 3, grp);
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
static int newest(struct store *s, const char *township, const char *grp, json_t *root)
{
    struct stmt *q = store_prepare(
        s,
        "SELECT e.id, e.on_date, e.at, e.actor, e.kind, e.text, ch.last_record,"
        " coalesce(r.name, ''), coalesce(r.township, ''), " ACTOR_NAME_SQL(
            "e.actor") " FROM event e"
                       " JOIN child ch ON ch.id = e.child_id JOIN record r ON r.id = ch.last_record"
                       " WHERE (CAST($1 AS TEXT) IS NULL OR r.township_code = $1)"
                       " AND " GROUP_CHILD_SQL("e.child_id", "$3") " ORDER BY e.id DESC LIMIT $2");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, township);
    stmt_bind_int(q, 2, NEWEST_EVENTS);
    stmt_bind_str(q, 3, grp);
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
                      const char *group, struct outcome *o)
{
    const char *school = NULL, *grp = NULL;
    if (group && *group) {
        int k = vocab_parse(&priority_groups, group);
        if (k < 0) {
            struct buf b = BUF_INIT;
            vocab_error(&priority_groups, group, &b);
            failed_at(o, OUT_INVALID, "group", "%s", b.buf);
            buf_release(&b);
            return NULL;
        }
        grp = priority_groups.words[k].key;
    }
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
    json_t *root =
        json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:{}}", "run_id", (json_int_t)ri.id, "as_of",
                  ri.as_of, "today", today, "township", township, "group", grp, "ledgers");
    if (by_township(s, ri.id, township, grp, root) < 0 || trend(s, township, grp, root) < 0 ||
        work(s, township, grp, today, root) < 0 || town_work(s, township, grp, today, root) < 0 ||
        newest(s, township, grp, root) < 0 || by_group(s, ri.id, township, root) < 0) {
        json_decref(root);
        fail_store(s, o);
        return NULL;
    }
    return root;
}
