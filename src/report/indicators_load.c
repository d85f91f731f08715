/* The indicators' data, read once (report/indicators_impl.h). */
#include "report/indicators_impl.h"

#include "core/date.h"
#include "core/division.h"
#include "core/words.h"
#include "domain/match.h"
#include "domain/runstatus.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "report/ledger_impl.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

int ind_town(struct ind_data *d, const char *code, const char *name)
{
    if (!*code && *name && d->county[0]) {
        const struct township *t = division_find_township(d->county, name);
        if (t) {
            code = t->code;
            name = t->name;
        }
    }
    if (!*code && !*name)
        return -1;
    for (size_t i = 0; i < d->ntowns; i++)
        if (*code ? !strcmp(d->towns[i].code, code)
                  : !*d->towns[i].code && !strcmp(d->towns[i].name, name))
            return (int)i;
    ALLOC_GROW(d->towns, d->ntowns + 1, d->towns_alloc);
    struct ind_place *p = &d->towns[d->ntowns];
    memset(p, 0, sizeof(*p));
    snprintf(p->code, sizeof(p->code), "%s", code);
    const struct township *t =
        *code && d->county[0] ? division_find_township(d->county, code) : NULL;
    snprintf(p->name, sizeof(p->name), "%s", t ? t->name : *name ? name : code);
    p->town = -1;
    return (int)d->ntowns++;
}

/* The school of code `code` (its name and township from the first row naming them). */
static int ind_school(struct ind_data *d, const char *code, const char *name, const char *tcode,
                      const char *tname, int *last)
{
    if (*last >= 0 && !strcmp(d->schools[*last].code, code))
        return *last;
    size_t i;
    for (i = 0; i < d->nschools; i++)
        if (!strcmp(d->schools[i].code, code))
            break;
    if (i == d->nschools) {
        ALLOC_GROW(d->schools, d->nschools + 1, d->schools_alloc);
        struct ind_place *p = &d->schools[d->nschools++];
        memset(p, 0, sizeof(*p));
        snprintf(p->code, sizeof(p->code), "%s", code);
        p->town = -1;
    }
    struct ind_place *p = &d->schools[i];
    if (!p->name[0] && *name)
        snprintf(p->name, sizeof(p->name), "%s", name);
    if (p->town < 0)
        p->town = ind_town(d, tcode, tname);
    *last = (int)i;
    return (int)i;
}

static int pupil_cmp(const void *a, const void *b)
{
    const struct ind_pupil *x = a, *y = b;
    if (!x->id[0] != !y->id[0])
        return x->id[0] ? -1 : 1;
    return strcmp(x->id, y->id);
}

const struct ind_pupil *ind_snapshot_find(const struct ind_snapshot *sn, const char *id)
{
    if (!*id)
        return NULL;
    size_t lo = 0, hi = sn->nid;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sn->p[mid].id, id);
        if (!c)
            return &sn->p[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int home_cmp(const void *a, const void *b)
{
    const struct ind_home *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : x->since - y->since;
}

bool ind_home_on(const struct ind_data *d, const char *id, int date)
{
    if (!*id)
        return false;
    size_t lo = 0, hi = d->nhome;
    while (lo < hi) { /* the first entry of the id: its earliest date */
        size_t mid = (lo + hi) / 2;
        if (strcmp(d->home[mid].id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->nhome && !strcmp(d->home[lo].id, id) && d->home[lo].since <= date;
}

static int load_snapshots(struct store *s, struct ind_data *d)
{
    struct stmt *q = store_prepare(
        s, "SELECT b.id, coalesce((SELECT min(m.as_of) FROM match_run m"
           "  WHERE m.enrollment_batch = b.id AND m.finished_at IS NOT NULL),"
           "  substr(b.imported_at, 1, 10)) AS d"
           " FROM batch b WHERE b.kind = 'enrollment' AND b.state = 'live' ORDER BY 2, 1");
    struct stmt *p = store_prepare(
        s, "SELECT coalesce(id_number, ''), coalesce(grade, 0), coalesce(enroll_status, ''),"
           " coalesce(school_code, ''), coalesce(school_name, ''), coalesce(township_code, ''),"
           " coalesce(township, '') FROM record WHERE batch_id = $1");
    if (!q || !p) {
        stmt_finalize(q);
        stmt_finalize(p);
        return -1;
    }
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(d->snaps, d->nsnaps + 1, alloc);
        struct ind_snapshot *sn = &d->snaps[d->nsnaps++];
        memset(sn, 0, sizeof(*sn));
        sn->batch = stmt_int(q, 0);
        sn->date = date_or_zero(stmt_text(q, 1));
        sn->school_year = school_year_of(&d->cal, sn->date);
    }
    stmt_finalize(q);
    for (size_t k = 0; rc == 0 && k < d->nsnaps; k++) {
        struct ind_snapshot *sn = &d->snaps[k];
        size_t pa = 0;
        int last = -1;
        stmt_reset(p);
        stmt_bind_int(p, 1, sn->batch);
        while ((rc = stmt_step(p)) == 1) {
            ALLOC_GROW(sn->p, sn->n + 1, pa);
            struct ind_pupil *x = &sn->p[sn->n++];
            snprintf(x->id, sizeof(x->id), "%s", stmt_text(p, 0));
            x->grade = (int)stmt_int(p, 1);
            x->status = (int)enroll_status_from_key(stmt_text(p, 2));
            x->school = ind_school(d, stmt_text(p, 3), stmt_text(p, 4), stmt_text(p, 5),
                                   stmt_text(p, 6), &last);
        }
        if (sn->n)
            qsort(sn->p, sn->n, sizeof(*sn->p), pupil_cmp);
        while (sn->nid < sn->n && sn->p[sn->nid].id[0])
            sn->nid++;
    }
    stmt_finalize(p);
    return rc < 0 ? -1 : 0;
}

/* The township of each school its rows name none for: where most of its pupils live by the
 * current 户籍 list (as the cross-check places a school). */
static int place_schools(struct store *s, struct ind_data *d)
{
    bool need = false;
    for (size_t i = 0; i < d->nschools; i++)
        need |= d->schools[i].town < 0;
    if (!need || !d->nsnaps)
        return 0;
    struct stmt *q = store_prepare(
        s, "SELECT e.school_code, coalesce(p.township_code, ''), coalesce(p.township, ''),"
           " count(*) FROM record e JOIN record p ON p.id_number = e.id_number"
           " AND p.batch_id = (SELECT id FROM batch WHERE kind = 'population' AND state = 'live'"
           "  ORDER BY live_seq DESC, id DESC LIMIT 1)"
           " WHERE e.batch_id = $1 AND e.school_code IS NOT NULL AND e.id_number IS NOT NULL"
           " GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC, 2");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, d->snaps[d->nsnaps - 1].batch);
    int rc;
    char prev[32] = "";
    while ((rc = stmt_step(q)) == 1) {
        const char *code = stmt_text(q, 0);
        if (!strcmp(prev, code))
            continue; /* the first row of a school has the most pupils */
        snprintf(prev, sizeof(prev), "%s", code);
        for (size_t i = 0; i < d->nschools; i++)
            if (d->schools[i].town < 0 && !strcmp(d->schools[i].code, code)) {
                d->schools[i].town = ind_town(d, stmt_text(q, 1), stmt_text(q, 2));
            }
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int load_casework(struct store *s, struct ind_data *d)
{
    struct stmt *q = store_prepare(
        s, "SELECT coalesce(t.township_code, ''), coalesce(t.township, ''), t.opened_on,"
           " t.deadline, coalesce(t.verified_on, ''), coalesce(t.outcome, ''),"
           " coalesce(r.id_number, '') FROM verify_task t JOIN record r ON r.id = t.record_id");
    if (!q)
        return -1;
    size_t alloc = 0, ealloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(d->tasks, d->ntasks + 1, alloc);
        struct ind_task *t = &d->tasks[d->ntasks++];
        t->town = ind_town(d, stmt_text(q, 0), stmt_text(q, 1));
        t->opened = date_or_zero(stmt_text(q, 2));
        t->deadline = date_or_zero(stmt_text(q, 3));
        t->verified = date_or_zero(stmt_text(q, 4));
        const char *out = stmt_text(q, 5);
        bool died = !strcmp(out, "deceased");
        if (t->verified && *stmt_text(q, 6) &&
            (died || !strcmp(out, "in_province") || !strcmp(out, "out_of_province") ||
             !strcmp(out, "abroad"))) {
            ALLOC_GROW(d->elsewhere, d->nelsewhere + 1, ealloc);
            struct ind_case *e = &d->elsewhere[d->nelsewhere++];
            memset(e, 0, sizeof(*e));
            snprintf(e->id, sizeof(e->id), "%s", stmt_text(q, 6));
            e->opened = t->verified;
            e->returned = died;
        }
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    /* the county's children on the 外出就读 list: enrolled elsewhere from the list's date */
    q = store_prepare(
        s, "SELECT r.id_number, coalesce((SELECT min(m.as_of) FROM match_run m"
           "  WHERE m.outside_batch = b.id AND m.finished_at IS NOT NULL),"
           "  substr(b.imported_at, 1, 10)) FROM record r JOIN batch b ON b.id = r.batch_id"
           " WHERE b.kind = 'outside' AND b.state = 'live' AND r.id_number IS NOT NULL");
    if (!q)
        return -1;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(d->elsewhere, d->nelsewhere + 1, ealloc);
        struct ind_case *e = &d->elsewhere[d->nelsewhere++];
        memset(e, 0, sizeof(*e));
        snprintf(e->id, sizeof(e->id), "%s", stmt_text(q, 0));
        e->opened = date_or_zero(stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    q = store_prepare(
        s, "SELECT c.id, coalesce(c.township_code, ''), coalesce(c.township, ''),"
           " coalesce(r.id_number, ''), c.opened_on, c.first_visit_due,"
           " coalesce(c.ladder_deadline, ''),"
           " coalesce((SELECT min(a.on_date) FROM attempt a WHERE a.case_id = c.id), ''),"
           " coalesce((SELECT max(l.on_date) FROM ladder_step l WHERE l.case_id = c.id), '')"
           " FROM case_file c JOIN record r ON r.id = c.record_id ORDER BY c.id");
    struct stmt *ev = store_prepare(s, "SELECT kind, on_date FROM event WHERE case_id = $1"
                                       " AND kind IN ('case_opened', 'reopened', 'resolved',"
                                       " 'closed') ORDER BY on_date, id");
    if (!q || !ev) {
        stmt_finalize(q);
        stmt_finalize(ev);
        return -1;
    }
    alloc = 0;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(d->cases, d->ncases + 1, alloc);
        struct ind_case *c = &d->cases[d->ncases++];
        memset(c, 0, sizeof(*c));
        c->town = ind_town(d, stmt_text(q, 1), stmt_text(q, 2));
        snprintf(c->id, sizeof(c->id), "%s", stmt_text(q, 3));
        c->opened = date_or_zero(stmt_text(q, 4));
        c->first_visit_due = date_or_zero(stmt_text(q, 5));
        c->ladder_deadline = date_or_zero(stmt_text(q, 6));
        c->first_attempt = date_or_zero(stmt_text(q, 7));
        c->ladder_on = date_or_zero(stmt_text(q, 8));
        stmt_reset(ev);
        stmt_bind_int(ev, 1, stmt_int(q, 0));
        size_t ea = 0;
        while ((rc = stmt_step(ev)) == 1) {
            const char *kind = stmt_text(ev, 0);
            int on = date_or_zero(stmt_text(ev, 1));
            bool open = !strcmp(kind, "case_opened") || !strcmp(kind, "reopened");
            if (!strcmp(kind, "resolved") && !c->returned)
                c->returned = on;
            ALLOC_GROW(c->ev, c->nev + 1, ea);
            c->ev[c->nev++] = on * 2 + (open ? 1 : 0);
        }
        if (rc < 0)
            break;
        rc = 1;
    }
    stmt_finalize(q);
    stmt_finalize(ev);
    if (rc < 0)
        return -1;
    q = store_prepare(s,
                      "SELECT coalesce(r.id_number, ''), t.verified_on FROM verify_task t"
                      " JOIN record r ON r.id = t.record_id WHERE t.outcome = 'home_teaching'"
                      " AND t.verified_on IS NOT NULL"
                      " UNION ALL SELECT coalesce(r.id_number, ''), f.outcome_on FROM case_file f"
                      " JOIN record r ON r.id = f.record_id WHERE f.outcome = 'home_teaching'"
                      " AND f.outcome_on IS NOT NULL"
                      " UNION ALL SELECT coalesce(r.id_number, ''), p.since FROM placement p"
                      " JOIN record r ON r.id = p.record_id WHERE p.kind = 'home_teaching'");
    if (!q)
        return -1;
    alloc = 0;
    while ((rc = stmt_step(q)) == 1) {
        if (!*stmt_text(q, 0))
            continue;
        ALLOC_GROW(d->home, d->nhome + 1, alloc);
        struct ind_home *h = &d->home[d->nhome++];
        snprintf(h->id, sizeof(h->id), "%s", stmt_text(q, 0));
        h->since = date_or_zero(stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (d->nhome)
        qsort(d->home, d->nhome, sizeof(*d->home), home_cmp);
    return rc < 0 ? -1 : 0;
}

int ind_data_load(struct store *s, struct ind_data *d, struct outcome *o)
{
    memset(d, 0, sizeof(*d));
    if (calendar_load(s, &d->cal) < 0)
        return fail_store(s, o);
    snprintf(d->county_name, sizeof(d->county_name), "%s", ledger_county_name(s, d->county));
    size_t ntw = 0;
    const struct township *tw = d->county[0] ? division_townships(d->county, &ntw) : NULL;
    for (size_t i = 0; i < ntw; i++) /* every township of the county has its unit */
        ind_town(d, tw[i].code, tw[i].name);
    struct stmt *q = store_prepare(s, "SELECT id, as_of FROM match_run"
                                      " WHERE finished_at IS NOT NULL ORDER BY as_of, id");
    if (!q)
        return fail_store(s, o);
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(d->runs, d->nruns + 1, alloc);
        struct ind_run *r = &d->runs[d->nruns++];
        memset(r, 0, sizeof(*r));
        r->id = stmt_int(q, 0);
        r->as_of = date_or_zero(stmt_text(q, 1));
    }
    stmt_finalize(q);
    if (rc < 0 || load_snapshots(s, d) < 0 || place_schools(s, d) < 0 || load_casework(s, d) < 0) {
        fail_store(s, o);
        ind_data_release(d);
        return -1;
    }
    return 0;
}

/* The run's school-age members of the priority groups, one entry per child (grp a bitmask). */
static int load_group_members(struct store *s, struct ind_data *d, struct ind_run *r)
{
    struct stmt *q =
        store_prepare(s, "SELECT DISTINCT gm.record_id, gm.grp, coalesce(rc.id_number, ''),"
                         " coalesce(rc.township_code, ''), coalesce(rc.township, '')"
                         " FROM group_member gm JOIN record rc ON rc.id = gm.record_id"
                         " WHERE gm.run_id = $1 ORDER BY gm.record_id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, r->id);
    size_t alloc = 0;
    int64_t last = 0;
    bool keep = false;
    int rc;
    struct run_status_cursor rsc;
    run_status_cursor_init(&rsc, s, r->id);
    while ((rc = stmt_step(q)) == 1) {
        int64_t rid = stmt_int(q, 0);
        int grp = vocab_parse(&priority_groups, stmt_text(q, 1));
        if (rid != last) {
            last = rid;
            struct run_status_entry e;
            int got = run_status_cursor_get(&rsc, rid, &e);
            if (got < 0) {
                rc = -1;
                break;
            }
            keep = got == 1 && status_is_school_age(e.st);
            if (keep) {
                ALLOC_GROW(r->g, r->ng + 1, alloc);
                struct ind_child *c = &r->g[r->ng++];
                snprintf(c->id, sizeof(c->id), "%s", stmt_text(q, 2));
                c->town = ind_town(d, stmt_text(q, 3), stmt_text(q, 4));
                c->st = (int)e.st;
                c->grp = 0;
            }
        }
        if (keep && grp >= 0)
            r->g[r->ng - 1].grp |= 1u << grp;
    }
    run_status_cursor_release(&rsc);
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int ind_run_load(struct store *s, struct ind_data *d, struct ind_run *r, struct outcome *o)
{
    if (r->loaded)
        return 0;
    struct stmt *q = store_prepare(s, "SELECT township_code, township, status, sum(n)"
                                      " FROM run_count WHERE run_id = $1 GROUP BY 1, 2, 3");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, r->id);
    struct {
        int town;
        long age, enrolled;
    } *acc = NULL;
    size_t nacc = 0, aalloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int st = status_parse(stmt_text(q, 2));
        if (st < 0 || !status_is_school_age((enum child_status)st))
            continue;
        ALLOC_GROW(acc, nacc + 1, aalloc);
        acc[nacc].town = ind_town(d, stmt_text(q, 0), stmt_text(q, 1));
        acc[nacc].age = (long)stmt_int(q, 3);
        acc[nacc].enrolled = status_counts_enrolled((enum child_status)st) ? acc[nacc].age : 0;
        nacc++;
    }
    stmt_finalize(q);
    /* the towns are known now (run_count named them all) */
    r->ntown_age = d->ntowns;
    r->town_age = xcalloc(d->ntowns + 1, sizeof(*r->town_age));
    for (size_t i = 0; i < nacc; i++) {
        size_t k = acc[i].town < 0 ? r->ntown_age : (size_t)acc[i].town;
        r->town_age[k][0] += acc[i].age;
        r->town_age[k][1] += acc[i].enrolled;
    }
    free(acc);
    if (rc < 0)
        return fail_store(s, o);
    q = store_prepare(s, "SELECT coalesce(r.id_number, ''), coalesce(r.township_code, ''),"
                         " coalesce(r.township, ''), cs.status FROM child_status cs"
                         " JOIN record r ON r.id = cs.record_id WHERE cs.run_id = $1"
                         " AND cs.status IN ('not_enrolled', 'dropped_out', 'pending_review')");
    if (!q)
        return fail_store(s, o);
    stmt_bind_int(q, 1, r->id);
    size_t alloc = 0;
    while ((rc = stmt_step(q)) == 1) {
        int st = status_parse(stmt_text(q, 3));
        if (st < 0)
            continue;
        ALLOC_GROW(r->c, r->nc + 1, alloc);
        struct ind_child *c = &r->c[r->nc++];
        snprintf(c->id, sizeof(c->id), "%s", stmt_text(q, 0));
        c->town = ind_town(d, stmt_text(q, 1), stmt_text(q, 2));
        c->st = st;
        c->grp = 0;
    }
    stmt_finalize(q);
    if (rc < 0 || load_group_members(s, d, r) < 0)
        return fail_store(s, o);
    r->loaded = true;
    return 0;
}

void ind_data_release(struct ind_data *d)
{
    for (size_t i = 0; i < d->nsnaps; i++)
        free(d->snaps[i].p);
    for (size_t i = 0; i < d->nruns; i++) {
        free(d->runs[i].town_age);
        free(d->runs[i].c);
        free(d->runs[i].g);
    }
    for (size_t i = 0; i < d->ncases; i++)
        free(d->cases[i].ev);
    free(d->snaps);
    free(d->runs);
    free(d->tasks);
    free(d->cases);
    free(d->home);
    free(d->elsewhere);
    free(d->towns);
    free(d->schools);
    memset(d, 0, sizeof(*d));
}
