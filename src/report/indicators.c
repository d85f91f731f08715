/* The indicators on a date, and their trend (report/indicators.h, docs/reports.md). */
#include "report/indicators_impl.h"

#include "core/date.h"
#include "core/words.h"
#include "domain/scope.h"
#include "domain/status.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "report/ledger_impl.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

int indicators_as_of(const char *month, int today, int *as_of, struct outcome *o)
{
    if (!month || !*month) {
        *as_of = today;
        return 0;
    }
    int ymd, ym;
    if (strlen(month) > 8 && date_parse(month, strlen(month), &ymd) == 0) {
        if (ymd > today)
            return failed_at(o, OUT_INVALID, "month", "月份“%s”晚于今天", month);
        *as_of = ymd;
        return 0;
    }
    if (date_parse_month(month, strlen(month), &ym) < 0 || ym / 100 < 1990)
        return failed_at(o, OUT_INVALID, "month", "月份“%s”不是年月（例如 2026-10）", month);
    int y = ym / 100, m = ym % 100;
    if (ymd_make(y, m, 1) > today)
        return failed_at(o, OUT_INVALID, "month", "月份“%s”还没有到", month);
    if (y == ymd_year(today) && m == ymd_month(today)) {
        *as_of = today;
        return 0;
    }
    int last = ymd_make(y, m, 28);
    while (date_valid(y, m, ymd_day(last) + 1))
        last++;
    *as_of = last;
    return 0;
}

/* The counts of one evaluation: per town, school, group, and the county (the units shown). */
struct acc {
    struct ind_counts *town, *school, grp[GRP__COUNT], county;
    const bool *town_in; /* the towns shown (the filter) */
    bool all;            /* the whole county: what names no township counts in it too */
};

static bool town_shown(const struct acc *a, int town)
{
    return town >= 0 ? a->town_in[town] : a->all;
}

/* The counts an item adds go to its town (and school), and to the county when shown. */
#define ADD(a, townidx, field, n)                                                                  \
    do {                                                                                           \
        int t_ = (townidx);                                                                        \
        if (t_ >= 0)                                                                               \
            (a)->town[t_].field += (n);                                                            \
        if (town_shown((a), t_))                                                                   \
            (a)->county.field += (n);                                                              \
    } while (0)

static int elsewhere_cmp(const void *a, const void *b)
{
    return strcmp(((const struct ind_case *)a)->id, ((const struct ind_case *)b)->id);
}

/* Known by `date` to be enrolled elsewhere (1) or dead (2); 0 neither. */
static int elsewhere_on(const struct ind_data *d, const char *id, int date)
{
    if (!*id)
        return 0;
    struct ind_case key;
    snprintf(key.id, sizeof(key.id), "%s", id);
    const struct ind_case *e =
        bsearch(&key, d->elsewhere, d->nelsewhere, sizeof(*d->elsewhere), elsewhere_cmp);
    if (!e)
        return 0;
    while (e > d->elsewhere && !strcmp(e[-1].id, id))
        e--;
    int got = 0;
    for (; e < d->elsewhere + d->nelsewhere && !strcmp(e->id, id); e++)
        if (e->opened <= date)
            got = e->returned ? 2 : got ? got : 1;
    return got;
}

static int school_town(const struct ind_data *d, int school)
{
    return school >= 0 ? d->schools[school].town : -1;
}

/* 入学率, out of school, the priority groups: from the latest run on or before as_of. */
static void eval_run(const struct ind_data *d, const struct ind_run *r, int as_of, struct acc *a)
{
    for (size_t k = 0; k <= r->ntown_age; k++) {
        int t = k < r->ntown_age ? (int)k : -1;
        ADD(a, t, school_age, r->town_age[k][0]);
        ADD(a, t, enrolled, r->town_age[k][1]);
    }
    for (size_t i = 0; i < r->nc; i++) {
        const struct ind_child *c = &r->c[i];
        if (ind_home_on(d, c->id, as_of)) /* 送教上门: enrolled */
            ADD(a, c->town, enrolled, 1);
        else if (status_is_out_of_school((enum child_status)c->st))
            ADD(a, c->town, out_of_school, 1);
    }
    for (size_t i = 0; i < r->ng; i++) {
        const struct ind_child *c = &r->g[i];
        bool home = ind_home_on(d, c->id, as_of);
        bool enrolled = home || status_counts_enrolled((enum child_status)c->st);
        bool out = !home && status_is_out_of_school((enum child_status)c->st);
        if (out)
            ADD(a, c->town, group_out, 1);
        if (!town_shown(a, c->town))
            continue;
        for (int g = 0; g < GRP__COUNT; g++)
            if (c->grp & (1u << g)) {
                a->grp[g].school_age++;
                a->grp[g].enrolled += enrolled;
                a->grp[g].out_of_school += out;
                a->grp[g].group_out += out;
            }
    }
}

static bool still_enrolled(int status)
{
    return status == ENR_ACTIVE || status == ENR_SUSPENDED || status == ENR_GRADUATED ||
           status == ENR_UNKNOWN;
}

#define ADD_SCHOOL(a, d, sch, field, n)                                                            \
    do {                                                                                           \
        int s_ = (sch);                                                                            \
        if (s_ >= 0)                                                                               \
            (a)->school[s_].field += (n);                                                          \
        ADD((a), school_town((d), s_), field, (n));                                                \
    } while (0)

/* 巩固率: the base snapshot's cohort followed to the latest snapshot (docs/reports.md). */
static void eval_retention(const struct ind_data *d, int as_of, struct acc *a, struct indicators *x)
{
    const struct ind_snapshot *latest = NULL, *base = NULL;
    for (size_t i = 0; i < d->nsnaps && d->snaps[i].date <= as_of; i++)
        latest = &d->snaps[i];
    if (!latest)
        return;
    /* the nine-year cohort's grade-1 snapshot when the snapshots reach back so far */
    for (size_t i = 0; i < d->nsnaps && &d->snaps[i] < latest; i++)
        if (d->snaps[i].school_year <= latest->school_year - 8)
            base = &d->snaps[i];
    x->retention_full = base != NULL;
    if (!base && d->snaps[0].date < latest->date)
        base = &d->snaps[0];
    x->latest_snapshot = latest->date;
    if (!base)
        return;
    x->base_snapshot = base->date;
    int years = latest->school_year - base->school_year;
    x->retention_years = years;
    for (size_t i = 0; i < base->nid; i++) {
        const struct ind_pupil *p = &base->p[i];
        if (p->grade < 1 || p->grade > 9 || !still_enrolled(p->status) ||
            p->status == ENR_GRADUATED)
            continue;
        if (x->retention_full && p->grade + years != 9)
            continue;
        const struct ind_pupil *now = ind_snapshot_find(latest, p->id);
        int known = elsewhere_on(d, p->id, as_of);
        enum ind_fate f = ind_fate_of(p->grade, years, now != NULL, now ? now->status : 0,
                                      known == 1, known == 2);
        struct ind_counts one = {0};
        ind_cohort_add(&one, f);
        ADD_SCHOOL(a, d, p->school, cohort_base, one.cohort_base);
        ADD_SCHOOL(a, d, p->school, cohort_kept, one.cohort_kept);
        ADD_SCHOOL(a, d, p->school, moved_out, one.moved_out);
        ADD_SCHOOL(a, d, p->school, died, one.died);
    }
    for (size_t i = 0; i < latest->nid; i++) { /* who joined the cohort */
        const struct ind_pupil *p = &latest->p[i];
        if (p->grade < 1 || p->grade > 9 || ind_snapshot_find(base, p->id))
            continue;
        if (x->retention_full ? p->grade != 9 : p->grade - years < 1)
            continue;
        struct ind_counts one = {0};
        ind_cohort_join(&one, still_enrolled(p->status));
        ADD_SCHOOL(a, d, p->school, cohort_base, one.cohort_base);
        ADD_SCHOOL(a, d, p->school, cohort_kept, one.cohort_kept);
        ADD_SCHOOL(a, d, p->school, moved_in, one.moved_in);
    }
}

static int id_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 辍学率: the pupils at the start of the school year, who of them dropped out by as_of. */
static void eval_dropout(const struct ind_data *d, int as_of, struct acc *a, struct indicators *x)
{
    const struct ind_snapshot *start = NULL, *latest = NULL;
    bool previous = false;
    for (size_t i = 0; i < d->nsnaps && d->snaps[i].date <= as_of; i++) {
        latest = &d->snaps[i];
        if (!start && d->snaps[i].date >= x->year_start)
            start = &d->snaps[i];
    }
    if (!start) { /* none yet this school year: the last roll before it, its grade 9 gone */
        for (size_t i = 0; i < d->nsnaps && d->snaps[i].date < x->year_start; i++)
            start = &d->snaps[i];
        previous = true;
    }
    if (!start)
        return;
    x->year_snapshot = start->date;
    /* the children a case was opened for in the school year, by ID */
    const char **ids = xcalloc(d->ncases + 1, sizeof(*ids));
    size_t nids = 0;
    for (size_t i = 0; i < d->ncases; i++)
        if (d->cases[i].id[0] && d->cases[i].opened >= x->year_start && d->cases[i].opened <= as_of)
            ids[nids++] = d->cases[i].id;
    qsort(ids, nids, sizeof(*ids), id_cmp);
    for (size_t i = 0; i < start->n; i++) {
        const struct ind_pupil *p = &start->p[i];
        if (p->grade < 1 || p->grade > (previous ? 8 : 9) || p->status == ENR_GRADUATED ||
            !still_enrolled(p->status))
            continue;
        ADD_SCHOOL(a, d, p->school, year_start, 1);
        if (!p->id[0])
            continue;
        const struct ind_pupil *now = latest != start ? ind_snapshot_find(latest, p->id) : NULL;
        const char *key = p->id;
        bool dropped = (now && now->status == ENR_DROPPED_OUT) ||
                       (nids && bsearch(&key, ids, nids, sizeof(*ids), id_cmp));
        if (dropped)
            ADD_SCHOOL(a, d, p->school, dropped, 1);
    }
    free(ids);
}

/* Is the case open on `date` (its last state change on or before it opened it)? */
static bool case_open_on(const struct ind_case *c, int date)
{
    bool open = false;
    for (size_t i = 0; i < c->nev && c->ev[i] / 2 <= date; i++)
        open = c->ev[i] % 2;
    return open;
}

static void eval_casework(const struct ind_data *d, int as_of, struct acc *a)
{
    for (size_t i = 0; i < d->ntasks; i++) {
        const struct ind_task *t = &d->tasks[i];
        if (!t->opened || t->opened > as_of)
            continue;
        bool verified = t->verified && t->verified <= as_of;
        if (t->deadline <= as_of || verified) {
            ADD(a, t->town, tasks_due, 1);
            if (verified && t->verified <= t->deadline)
                ADD(a, t->town, verified_on_time, 1);
        }
        if (!verified && t->deadline < as_of)
            ADD(a, t->town, overdue_tasks, 1);
    }
    for (size_t i = 0; i < d->ncases; i++) {
        const struct ind_case *c = &d->cases[i];
        if (!c->opened || c->opened > as_of)
            continue;
        ADD(a, c->town, confirmed, 1);
        if (c->returned && c->returned <= as_of) {
            ADD(a, c->town, returned, 1);
            ADD(a, c->town, return_days, ymd_to_days(c->returned) - ymd_to_days(c->opened));
        }
        if (!case_open_on(c, as_of))
            continue;
        bool visit_late = c->first_visit_due && c->first_visit_due < as_of &&
                          (!c->first_attempt || c->first_attempt > as_of);
        bool ladder_late = c->ladder_deadline && c->ladder_on && c->ladder_on <= as_of &&
                           c->ladder_deadline < as_of;
        if (visit_late || ladder_late)
            ADD(a, c->town, overdue_cases, 1);
    }
}

static void unit_set(struct ind_unit *u, enum ind_level level, const char *code, const char *name,
                     const char *tcode, const struct ind_counts *c)
{
    memset(u, 0, sizeof(*u));
    u->level = level;
    snprintf(u->code, sizeof(u->code), "%s", code);
    snprintf(u->name, sizeof(u->name), "%s", name);
    /* a township's code is 9 digits; a school's row names its township's */
    snprintf(u->township_code, sizeof(u->township_code), "%.*s", (int)sizeof(u->township_code) - 1,
             tcode);
    u->c = *c;
    ind_unit_rates(u);
    if (level == IND_SCHOOL) /* a school has no school-age children nor casework of its own */
        u->r.enrollment = u->r.verified_on_time = u->r.returned = u->r.avg_return_days = IND_NONE;
    if (level == IND_GROUP)
        u->r.retention = u->r.dropout = u->r.verified_on_time = u->r.returned =
            u->r.avg_return_days = IND_NONE;
}

static int place_cmp(const void *a, const void *b)
{
    const struct ind_unit *x = a, *y = b;
    int c = strcmp(x->township_code, y->township_code);
    return c ? c : strcmp(x->code, y->code);
}

/* The indicators on `as_of` from loaded data; `only` the town shown (-1 all, -2 none). */
static int evaluate(struct store *s, struct ind_data *d, const struct ind_options *opt, int only,
                    int as_of, struct indicators *x, struct outcome *o)
{
    memset(x, 0, sizeof(*x));
    x->as_of = as_of;
    x->school_year = school_year_of(&d->cal, as_of);
    int mmdd = d->cal.year_start_mmdd;
    x->year_start = ymd_make(x->school_year, mmdd / 100, mmdd % 100);
    const struct ind_run *run = NULL;
    for (size_t i = 0; i < d->nruns && d->runs[i].as_of <= as_of; i++)
        run = &d->runs[i];
    if (run && ind_run_load(s, d, (struct ind_run *)run, o) < 0)
        return -1;
    /* the towns are all known once the run is loaded */
    struct acc a = {0};
    a.town = xcalloc(d->ntowns + 1, sizeof(*a.town));
    a.school = xcalloc(d->nschools + 1, sizeof(*a.school));
    bool *in = xcalloc(d->ntowns + 1, sizeof(*in));
    for (size_t i = 0; i < d->ntowns; i++)
        in[i] = only == -1 || only == (int)i;
    a.town_in = in;
    a.all = only == -1;
    if (run) {
        x->run_id = run->id;
        x->run_as_of = run->as_of;
        eval_run(d, run, as_of, &a);
    }
    eval_retention(d, as_of, &a, x);
    eval_dropout(d, as_of, &a, x);
    eval_casework(d, as_of, &a);
    size_t ta = 0, sa = 0, ga = 0;
    unit_set(&x->county, IND_COUNTY, d->county, d->county_name, "", &a.county);
    for (size_t i = 0; i < d->ntowns; i++) {
        if (!in[i])
            continue;
        ALLOC_GROW(x->townships, x->ntownships + 1, ta);
        unit_set(&x->townships[x->ntownships++], IND_TOWNSHIP, d->towns[i].code, d->towns[i].name,
                 d->towns[i].code, &a.town[i]);
    }
    if (x->ntownships)
        qsort(x->townships, x->ntownships, sizeof(*x->townships), place_cmp);
    for (size_t i = 0; opt->schools && i < d->nschools; i++) {
        int t = d->schools[i].town;
        if (t >= 0 ? !in[t] : only != -1)
            continue;
        const struct ind_counts *c = &a.school[i];
        if (!c->cohort_base && !c->year_start)
            continue;
        ALLOC_GROW(x->schools, x->nschools + 1, sa);
        unit_set(&x->schools[x->nschools++], IND_SCHOOL, d->schools[i].code,
                 d->schools[i].name[0] ? d->schools[i].name : d->schools[i].code,
                 t >= 0 ? d->towns[t].code : "", c);
    }
    if (x->nschools)
        qsort(x->schools, x->nschools, sizeof(*x->schools), place_cmp);
    for (int g = 0; opt->groups && g < GRP__COUNT; g++) {
        ALLOC_GROW(x->groups, x->ngroups + 1, ga);
        unit_set(&x->groups[x->ngroups++], IND_GROUP, priority_groups.words[g].key,
                 priority_groups.words[g].label, "", &a.grp[g]);
    }
    free(a.town);
    free(a.school);
    free(in);
    return 0;
}

/* The town the options narrow to: -1 all, its index, or -2 none (another township's scope). */
static int options_town(struct store *s, struct ind_data *d, const struct ind_options *opt,
                        struct outcome *o)
{
    const char *township = opt->township, *school = NULL;
    if (opt->scope && !scope_filter(opt->scope, &township, &school))
        return -2;
    if (!township || !*township)
        return -1;
    char code[10];
    const char *name;
    if (ledger_township_arg(s, township, code, &name, o) < 0)
        return -3;
    return ind_town(d, code, name ? name : "");
}

int indicators_compute(struct store *s, const struct ind_options *opt, struct indicators *out,
                       struct outcome *o)
{
    struct ind_data d;
    if (ind_data_load(s, &d, o) < 0)
        return -1;
    if (d.nelsewhere) /* none: a county with no data yet (qsort of NULL is undefined) */
        qsort(d.elsewhere, d.nelsewhere, sizeof(*d.elsewhere), elsewhere_cmp);
    int only = options_town(s, &d, opt, o);
    int rc = only == -3
                 ? -1
                 : evaluate(s, &d, opt, only, opt->as_of ? opt->as_of : date_today(), out, o);
    ind_data_release(&d);
    return rc;
}

int indicators_trend(struct store *s, const struct ind_options *opt, int months,
                     struct indicators **out, size_t *n, struct outcome *o)
{
    *out = NULL;
    *n = 0;
    struct ind_data d;
    if (ind_data_load(s, &d, o) < 0)
        return -1;
    if (d.nelsewhere) /* none: a county with no data yet (qsort of NULL is undefined) */
        qsort(d.elsewhere, d.nelsewhere, sizeof(*d.elsewhere), elsewhere_cmp);
    int only = options_town(s, &d, opt, o);
    int as_of = opt->as_of ? opt->as_of : date_today();
    int first = 0; /* the first date anything was measured */
    if (d.nruns)
        first = d.runs[0].as_of;
    if (d.nsnaps && (!first || d.snaps[0].date < first))
        first = d.snaps[0].date;
    int rc = only == -3 ? -1 : 0;
    struct indicators *pts = xcalloc((size_t)(months > 0 ? months : 1), sizeof(*pts));
    size_t np = 0;
    for (int k = months - 1; rc == 0 && k >= 0; k--) {
        int y = ymd_year(as_of), m = ymd_month(as_of) - k;
        while (m < 1) {
            m += 12;
            y--;
        }
        int end;
        if (k == 0) {
            end = as_of;
        } else {
            end = ymd_make(y, m, 28);
            while (date_valid(y, m, ymd_day(end) + 1))
                end++;
        }
        if (!first || end < first)
            continue;
        rc = evaluate(s, &d, opt, only, end, &pts[np], o);
        if (rc == 0)
            np++;
    }
    ind_data_release(&d);
    if (rc < 0) {
        for (size_t i = 0; i < np; i++)
            indicators_release(&pts[i]);
        free(pts);
        return -1;
    }
    *out = pts;
    *n = np;
    return 0;
}

void indicators_release(struct indicators *x)
{
    free(x->townships);
    free(x->schools);
    free(x->groups);
    memset(x, 0, sizeof(*x));
}
