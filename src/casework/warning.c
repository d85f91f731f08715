/* The early warnings brought up to date with the attendance (warning.h). */
#include "casework/warning.h"

#include <stdlib.h>
#include <string.h>

#include "casework/casework.h"
#include "casework/warning_impl.h"
#include "core/date.h"
#include "core/deadline.h"
#include "core/words.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* ---- the school days of each school, read once a refresh ---- */

struct calendars {
    struct {
        char school[32];
        struct school_days d;
    } * e;
    size_t n, alloc;
    int from, to;
};

static const struct school_days *days_of(struct store *s, struct calendars *c, const char *school)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->e[i].school, school))
            return &c->e[i].d;
    struct term_calendar cal = TERM_CALENDAR_INIT;
    struct outcome o = OUTCOME_INIT;
    if (attendance_calendar(s, school, &cal, &o) < 0) {
        outcome_release(&o);
        term_calendar_release(&cal);
        return NULL;
    }
    ALLOC_GROW(c->e, c->n + 1, c->alloc);
    snprintf(c->e[c->n].school, sizeof(c->e[c->n].school), "%s", school);
    school_days_build(&c->e[c->n].d, &cal, c->from, c->to);
    term_calendar_release(&cal);
    return &c->e[c->n++].d;
}

static void calendars_release(struct calendars *c)
{
    for (size_t i = 0; i < c->n; i++)
        school_days_release(&c->e[i].d);
    free(c->e);
}

/* ---- what the rules found, pupil by pupil ---- */

struct found {
    char *key;
    int64_t record_id; /* the 学籍 record of the latest absence */
    char school[32], klass[32];
    int grade;
    struct warning_finding *f;
    size_t nf;
};

struct scan {
    struct store *s;
    const struct warning_rules *r;
    struct calendars cal;
    struct found *v;
    size_t n, alloc;
    long pupils;
    /* the pupil being read */
    struct buf key;
    struct absence_day *a;
    size_t na, aalloc;
    int64_t record_id;
    char school[32], klass[32];
    int grade;
};

static int pupil_end(struct scan *sc)
{
    if (!sc->key.len)
        return 0;
    sc->pupils++;
    const struct school_days *d = days_of(sc->s, &sc->cal, sc->school);
    if (!d)
        return -1;
    struct warning_finding *f = xcalloc(2 * sc->na + 1, sizeof(*f));
    size_t nf = warning_findings(sc->r, d, sc->a, sc->na, f);
    if (!nf) {
        free(f);
    } else {
        ALLOC_GROW(sc->v, sc->n + 1, sc->alloc);
        struct found *x = &sc->v[sc->n++];
        memset(x, 0, sizeof(*x));
        x->key = xstrdup(sc->key.buf);
        x->record_id = sc->record_id;
        memcpy(x->school, sc->school, sizeof(x->school));
        memcpy(x->klass, sc->klass, sizeof(x->klass));
        x->grade = sc->grade;
        x->f = f;
        x->nf = nf;
    }
    sc->na = 0;
    buf_reset(&sc->key);
    return 0;
}

/* Read the term's 旷课 and 病假 rows (of one pupil, or all) in pupil and date order. */
static int scan_rows(struct scan *sc, const char *key)
{
    char from[11], to[11];
    date_format(sc->cal.from, from);
    date_format(sc->cal.to, to);
    struct stmt *q = store_prepare(
        sc->s, key ? "SELECT pupil_key, on_date, kind, school_code, coalesce(record_id, 0),"
                     " coalesce(grade, 0), coalesce(class, '') FROM attendance"
                     " WHERE pupil_key = $3 AND on_date >= $1 AND on_date <= $2"
                     " AND kind IN ('unexcused', 'sick') ORDER BY on_date"
                   : "SELECT pupil_key, on_date, kind, school_code, coalesce(record_id, 0),"
                     " coalesce(grade, 0), coalesce(class, '') FROM attendance"
                     " WHERE on_date >= $1 AND on_date <= $2"
                     " AND kind IN ('unexcused', 'sick') ORDER BY pupil_key, on_date");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, from);
    stmt_bind_str(q, 2, to);
    if (key)
        stmt_bind_str(q, 3, key);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *k = stmt_text(q, 0);
        if (sc->key.len && strcmp(sc->key.buf, k) && pupil_end(sc) < 0) {
            rc = -1;
            break;
        }
        if (!sc->key.len)
            buf_adds(&sc->key, k);
        ALLOC_GROW(sc->a, sc->na + 1, sc->aalloc);
        struct absence_day *a = &sc->a[sc->na++];
        a->ymd = date_or_zero(stmt_text(q, 1));
        a->kind = strcmp(stmt_text(q, 2), "sick") ? AB_UNEXCUSED : AB_SICK;
        a->school[0] = '\0';
        /* the pupil's school, record and class are those of its latest absence */
        snprintf(sc->school, sizeof(sc->school), "%s", stmt_text(q, 3));
        sc->record_id = stmt_int(q, 4);
        sc->grade = (int)stmt_int(q, 5);
        snprintf(sc->klass, sizeof(sc->klass), "%s", stmt_text(q, 6));
    }
    stmt_finalize(q);
    if (rc == 0 && pupil_end(sc) < 0)
        rc = -1;
    return rc;
}

/* ---- the warnings there are ---- */

struct have {
    int64_t id, task_id, child_record;
    char *key;
    enum warning_kind kind;
    int first, last, days, level;
    char state[12];
    int resolved_on;
    bool withdrawn; /* resolved by a correction of the attendance, not by a person */
    bool seen;
};

/* The outcome of a warning a correction took its run from. */
#define WITHDRAWN "考勤更正后已不满足预警条件"

struct haves {
    struct have *v;
    size_t n, alloc;
};

static int load_haves(struct store *s, const char *key, int from, struct haves *h)
{
    char f[11];
    date_format(from, f);
    struct stmt *q = store_prepare(
        s, key ? "SELECT id, pupil_key, kind, first_day, last_day, days, level, state,"
                 " coalesce(resolved_on, ''), coalesce(task_id, 0), coalesce(child_record, 0),"
                 " coalesce(outcome, '') FROM warning WHERE pupil_key = $2 AND last_day >= $1"
               : "SELECT id, pupil_key, kind, first_day, last_day, days, level, state,"
                 " coalesce(resolved_on, ''), coalesce(task_id, 0), coalesce(child_record, 0),"
                 " coalesce(outcome, '') FROM warning WHERE last_day >= $1");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, f);
    if (key)
        stmt_bind_str(q, 2, key);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(h->v, h->n + 1, h->alloc);
        struct have *x = &h->v[h->n++];
        memset(x, 0, sizeof(*x));
        x->id = stmt_int(q, 0);
        x->key = xstrdup(stmt_text(q, 1));
        int k = vocab_parse(&warning_kinds, stmt_text(q, 2));
        x->kind = k < 0 ? WK_ABSENT : (enum warning_kind)k;
        x->first = date_or_zero(stmt_text(q, 3));
        x->last = date_or_zero(stmt_text(q, 4));
        x->days = (int)stmt_int(q, 5);
        x->level = (int)stmt_int(q, 6);
        snprintf(x->state, sizeof(x->state), "%s", stmt_text(q, 7));
        x->resolved_on = date_or_zero(stmt_text(q, 8));
        x->task_id = stmt_int(q, 9);
        x->child_record = stmt_int(q, 10);
        x->withdrawn = !strcmp(x->state, "resolved") && !strcmp(stmt_text(q, 11), WITHDRAWN);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int cmp_have(const void *a, const void *b)
{
    const struct have *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    if (!d)
        d = (int)x->kind - (int)y->kind;
    return d ? d : x->first - y->first;
}

static struct have *have_find(struct haves *h, const char *key, enum warning_kind kind, int first)
{
    if (!h->n)
        return NULL;
    struct have want = {.key = (char *)key, .kind = kind, .first = first};
    return bsearch(&want, h->v, h->n, sizeof(*h->v), cmp_have);
}

/* ---- writing ---- */

struct ctx {
    struct store *s;
    const struct warning_rules *r;
    struct casework_settings cs;
    struct run_info ri;
    bool have_run;
    int today;
    char on[11], now[32];
    const char *actor;
    struct warning_refresh_summary *sum;
};

int warning_event_add(struct store *s, int64_t id, const char *on, const char *action,
                      const char *text, const char *actor, const char *at)
{
    struct stmt *q = store_prepare(s, "INSERT INTO warning_event (warning_id, on_date, action,"
                                      " text, actor, at) VALUES ($1, $2, $3, $4, $5, $6)");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    stmt_bind_str(q, 2, on);
    stmt_bind_str(q, 3, action);
    stmt_bind_str(q, 4, text);
    stmt_bind_str(q, 5, actor && *actor ? actor : "system");
    stmt_bind_str(q, 6, at);
    int rc = stmt_step(q);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int event(struct ctx *c, int64_t id, const char *action, const char *text)
{
    return warning_event_add(c->s, id, c->on, action, text, c->actor, c->now);
}

/* What a finding says, in a sentence. */
static void finding_text(const struct warning_rules *r, const struct warning_finding *f,
                         struct buf *out)
{
    char a[11], b[11];
    date_format(f->first, a);
    date_format(f->last, b);
    switch (f->kind) {
    case WK_ABSENT:
        buf_addf(out, "自 %s 起连续 %d 个上课日旷课（至 %s）", a, f->days, b);
        if (f->level == 2)
            buf_addf(out, "，已满 %d 个上课日：学校须将学籍标为辍学并继续劝返", r->dropout_days);
        else if (f->level == 1)
            buf_addf(out, "，已满 %d 个上课日：疑似辍学，报乡镇核查", r->task_days);
        break;
    case WK_MONTHLY:
        buf_addf(out, "%d年%d月累计旷课 %d 个上课日（至 %s）", ymd_year(f->first),
                 ymd_month(f->first), f->days, b);
        break;
    default:
        buf_addf(out, "自 %s 起连续 %d 个上课日病假（至 %s），请在疾病台帐登记并随访", a, f->days,
                 b);
        break;
    }
}

/* The population record of the pupil in the latest run, and its township: the run's link of
 * the pupil's 学籍 record, else the register record of the same ID. 0 none. */
struct place {
    int64_t record;
    char tcode[10];
};

static int place_of(struct ctx *c, const struct found *x, struct place *p)
{
    memset(p, 0, sizeof(*p));
    if (!c->have_run)
        return 0;
    struct stmt *q =
        store_prepare(c->s, "SELECT r.id, coalesce(r.township_code, '') FROM record r"
                            " WHERE r.batch_id = $1 AND r.id_number = $2 ORDER BY r.id LIMIT 1");
    if (!q)
        return -1;
    int rc = 0;
    if (!strncmp(x->key, "I:", 2)) {
        stmt_bind_int(q, 1, c->ri.population_batch);
        stmt_bind_str(q, 2, x->key + 2);
        rc = stmt_step(q);
        if (rc == 1) {
            p->record = stmt_int(q, 0);
            snprintf(p->tcode, sizeof(p->tcode), "%s", stmt_text(q, 1));
        }
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    if (!p->record && x->record_id) {
        /* no register record of that ID: the township of the 学籍 record's school */
        q = store_prepare(c->s, "SELECT coalesce(township_code, '') FROM record WHERE id = $1");
        if (!q)
            return -1;
        stmt_bind_int(q, 1, x->record_id);
        rc = stmt_step(q);
        if (rc == 1)
            snprintf(p->tcode, sizeof(p->tcode), "%s", stmt_text(q, 0));
        stmt_finalize(q);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* A verification task for a run of warning_task_days: for the child's township, like a run's
 * finding, its reason the absences. */
static int open_task(struct ctx *c, int64_t id, const struct found *x,
                     const struct warning_finding *f, const struct place *p)
{
    if (!c->have_run || !p->record)
        return 0; /* nobody in the register to verify: the warning stays with the school */
    struct buf why = BUF_INIT;
    buf_adds(&why, "考勤预警：");
    finding_text(c->r, f, &why);
    int64_t task = 0;
    int rc =
        casework_task_open(c->s, &c->cs, c->ri.id, p->record, why.buf, c->today, c->actor, &task);
    buf_release(&why);
    if (rc < 0)
        return -1;
    char t[24], w[24];
    snprintf(t, sizeof(t), "%lld", (long long)task);
    snprintf(w, sizeof(w), "%lld", (long long)id);
    const char *args[] = {w, t};
    if (store_run(c->s,
                  "UPDATE warning SET task_id = CAST($2 AS BIGINT), state = 'escalated',"
                  " escalated_to = 'township' WHERE id = CAST($1 AS BIGINT)",
                  2, args) < 0)
        return -1;
    struct buf e = BUF_INIT;
    buf_addf(&e, "疑似辍学，已建立核查任务 %lld，报乡镇核查", (long long)task);
    rc = event(c, id, "task", e.buf);
    buf_release(&e);
    c->sum->tasks++;
    return rc;
}

static int insert(struct ctx *c, const struct found *x, const struct warning_finding *f)
{
    struct place p;
    if (place_of(c, x, &p) < 0)
        return -1;
    int head = deadline_days(&c->cs.holidays, c->today, c->r->head_days);
    int town = deadline_days(&c->cs.holidays, c->today, c->r->township_days);
    char fd[11], ld[11], hd[11], td[11];
    date_format(f->first, fd);
    date_format(f->last, ld);
    date_format(head, hd);
    date_format(town, td);
    struct stmt *q = store_prepare(
        c->s, "INSERT INTO warning (pupil_key, kind, first_day, last_day, days, level,"
              " school_code, grade, class, record_id, child_record, township_code, opened_on,"
              " deadline, township_due) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
              " $12, $13, $14, $15) RETURNING id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, x->key);
    stmt_bind_str(q, 2, warning_kinds.words[f->kind].key);
    stmt_bind_str(q, 3, fd);
    stmt_bind_str(q, 4, ld);
    stmt_bind_int(q, 5, f->days);
    stmt_bind_int(q, 6, f->level);
    stmt_bind_str(q, 7, x->school);
    stmt_bind_int(q, 8, x->grade);
    stmt_bind_str(q, 9, *x->klass ? x->klass : NULL);
    if (x->record_id)
        stmt_bind_int(q, 10, x->record_id);
    if (p.record)
        stmt_bind_int(q, 11, p.record);
    stmt_bind_str(q, 12, *p.tcode ? p.tcode : NULL);
    stmt_bind_str(q, 13, c->on);
    stmt_bind_str(q, 14, hd);
    stmt_bind_str(q, 15, td);
    int64_t id = stmt_step(q) == 1 ? stmt_int(q, 0) : 0;
    stmt_finalize(q);
    if (!id)
        return -1;
    struct buf t = BUF_INIT;
    finding_text(c->r, f, &t);
    int rc = event(c, id, "opened", t.buf);
    buf_release(&t);
    c->sum->opened++;
    if (rc == 0 && f->kind == WK_ABSENT && f->level >= 1)
        rc = open_task(c, id, x, f, &p);
    return rc;
}

static int update(struct ctx *c, const struct found *x, const struct warning_finding *f,
                  struct have *h)
{
    h->seen = true;
    /* resolved: reopened when the pupil was absent again after it, or when the run a
     * correction had withdrawn is back (a day recorded again) */
    bool reopen = !strcmp(h->state, "resolved") && (f->last > h->resolved_on || h->withdrawn);
    bool grew = f->last != h->last || f->days != h->days || f->level != h->level;
    if (!grew && !reopen)
        return 0;
    char ld[11], id[24], days[12], level[4];
    date_format(f->last, ld);
    snprintf(id, sizeof(id), "%lld", (long long)h->id);
    snprintf(days, sizeof(days), "%d", f->days);
    snprintf(level, sizeof(level), "%d", f->level);
    const char *args[] = {id, ld, days, level};
    if (store_run(c->s,
                  "UPDATE warning SET last_day = $2, days = CAST($3 AS INTEGER),"
                  " level = CAST($4 AS INTEGER) WHERE id = CAST($1 AS BIGINT)",
                  4, args) < 0)
        return -1;
    c->sum->updated++;
    struct buf t = BUF_INIT;
    int rc = 0;
    if (reopen) {
        /* absent again after it was resolved: a new warning in all but its number */
        int head = deadline_days(&c->cs.holidays, c->today, c->r->head_days);
        int town = deadline_days(&c->cs.holidays, c->today, c->r->township_days);
        char hd[11], td[11];
        date_format(head, hd);
        date_format(town, td);
        const char *a2[] = {id, c->on, hd, td};
        rc = store_run(c->s,
                       "UPDATE warning SET state = 'new', escalated_to = NULL, opened_on = $2,"
                       " deadline = $3, township_due = $4, resolved_on = NULL"
                       " WHERE id = CAST($1 AS BIGINT)",
                       4, a2);
        buf_adds(&t, h->withdrawn ? "考勤重新记为旷课，预警重新打开："
                                  : "解除后仍在缺课，预警重新打开：");
        c->sum->reopened++;
        snprintf(h->state, sizeof(h->state), "new");
    } else if (f->level != h->level) {
        buf_adds(&t, "预警升级：");
    }
    if (rc == 0 && t.len) {
        finding_text(c->r, f, &t);
        rc = event(c, h->id, reopen ? "reopened" : "raised", t.buf);
    }
    buf_release(&t);
    if (rc == 0 && f->kind == WK_ABSENT && f->level >= 1 && !h->task_id &&
        strcmp(h->state, "resolved")) {
        struct place p;
        rc = place_of(c, x, &p);
        if (rc == 0)
            rc = open_task(c, h->id, x, f, &p);
    }
    return rc;
}

/* A warning the attendance no longer supports (a day corrected to 病假, a closure set). */
static int withdraw(struct ctx *c, struct have *h)
{
    if (h->seen || !strcmp(h->state, "resolved"))
        return 0;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)h->id);
    const char *args[] = {id, c->on};
    if (store_run(c->s,
                  "UPDATE warning SET state = 'resolved', resolved_on = $2,"
                  " outcome = '" WITHDRAWN "' WHERE id = CAST($1 AS BIGINT)",
                  2, args) < 0)
        return -1;
    c->sum->withdrawn++;
    return event(c, h->id, "withdrawn", WITHDRAWN "，预警自动解除");
}

static void found_release(struct found *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].key);
        free(v[i].f);
    }
    free(v);
}

static void haves_release(struct haves *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i].key);
    free(h->v);
}

int warnings_refresh(struct store *s, const char *const *keys, size_t n, int today,
                     const char *actor, struct warning_refresh_summary *sum, struct outcome *o)
{
    struct warning_refresh_summary dummy;
    if (!sum)
        sum = &dummy;
    memset(sum, 0, sizeof(*sum));
    struct warning_rules r;
    if (warning_rules_load(s, &r, o) < 0)
        return -1;
    struct term_calendar county = TERM_CALENDAR_INIT;
    if (attendance_calendar(s, NULL, &county, o) < 0) {
        term_calendar_release(&county);
        return -1;
    }
    int from = term_first_day(&county, today);
    term_calendar_release(&county);
    if (!from)
        return 0; /* no term yet: nothing counts */
    struct ctx c = {.s = s, .r = &r, .today = today, .actor = actor, .sum = sum};
    date_format(today, c.on);
    date_now_text(c.now, sizeof(c.now));
    if (casework_settings_load(s, &c.cs, o) < 0)
        return -1;
    struct outcome ro = OUTCOME_INIT;
    c.have_run = run_info_load(s, 0, &c.ri, &ro) == 0;
    outcome_release(&ro);
    struct scan sc = {.s = s, .r = &r, .cal = {.from = from, .to = today}, .key = BUF_INIT};
    struct haves h = {0};
    int rc = 0;
    if (!keys) {
        rc = scan_rows(&sc, NULL);
        if (rc == 0)
            rc = load_haves(s, NULL, from, &h);
    } else {
        for (size_t i = 0; i < n && rc == 0; i++) {
            rc = scan_rows(&sc, keys[i]);
            if (rc == 0)
                rc = load_haves(s, keys[i], from, &h);
        }
    }
    if (h.n)
        qsort(h.v, h.n, sizeof(*h.v), cmp_have);
    sum->pupils = sc.pupils;
    for (size_t i = 0; i < sc.n && rc == 0; i++) {
        struct found *x = &sc.v[i];
        for (size_t j = 0; j < x->nf && rc == 0; j++) {
            struct have *old = have_find(&h, x->key, x->f[j].kind, x->f[j].first);
            rc = old ? update(&c, x, &x->f[j], old) : insert(&c, x, &x->f[j]);
        }
    }
    for (size_t i = 0; i < h.n && rc == 0; i++)
        rc = withdraw(&c, &h.v[i]);
    if (rc < 0)
        fail_store(s, o);
    haves_release(&h);
    found_release(sc.v, sc.n);
    free(sc.a);
    buf_release(&sc.key);
    calendars_release(&sc.cal);
    casework_settings_release(&c.cs);
    return rc;
}

int warnings_refresh_school(struct store *s, const char *school, int today, const char *actor,
                            struct warning_refresh_summary *sum, struct outcome *o)
{
    /* the term began at most a year ago: a wider window costs nothing and misses nobody */
    char from[11];
    date_format(days_to_ymd(ymd_to_days(today) - 370), from);
    struct stmt *q = store_prepare(
        s, "SELECT DISTINCT pupil_key FROM attendance WHERE school_code = $1 AND on_date >= $2"
           " UNION SELECT pupil_key FROM warning WHERE school_code = $1 AND last_day >= $2");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, school);
    stmt_bind_str(q, 2, from);
    char **keys = NULL;
    size_t n = 0, alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(keys, n + 1, alloc);
        keys[n++] = xstrdup(stmt_text(q, 0));
    }
    stmt_finalize(q);
    if (rc == 0)
        rc = warnings_refresh(s, n > WARNING_REFRESH_KEYS_MAX ? NULL : (const char *const *)keys, n,
                              today, actor, sum, o);
    else
        fail_store(s, o);
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return rc;
}

int warnings_refresh_all(struct store *s, int today, const char *actor,
                         struct warning_refresh_summary *sum, struct outcome *o)
{
    if (store_begin(s) < 0)
        return fail_store(s, o);
    if (warnings_refresh(s, NULL, 0, today, actor, sum, o) < 0) {
        store_rollback(s);
        return -1;
    }
    if (store_commit(s) < 0) {
        fail_store(s, o);
        store_rollback(s);
        return -1;
    }
    return 0;
}

void warning_refresh_describe(const struct warning_refresh_summary *sum, struct buf *out)
{
    buf_addf(out,
             "按本学期考勤重新计算预警：有旷课或病假的学生 %ld 人；新预警 %ld 条，更新 %ld 条，"
             "重新打开 %ld 条，因考勤更正自动解除 %ld 条；新建核查任务 %ld 个。",
             sum->pupils, sum->opened, sum->updated, sum->reopened, sum->withdrawn, sum->tasks);
}
