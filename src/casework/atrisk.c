/* 预警名单: the score of a child still at school and the list of the latest run (atrisk.h). */
#include "casework/atrisk.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "casework/atrisk_impl.h"
#include "casework/casework.h"
#include "casework/placement.h"
#include "casework/wellbeing.h"
#include "core/date.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/settings.h"
#include "ingest/category.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct word factor_words[] = {
    {"previous_case", "曾失学辍学立案", "曾立案|曾辍学", 0, TONE_BAD},
    {"group", "重点群体", NULL, 0, TONE_WARN},
    {"over_age", "超龄", "超龄就读", 0, TONE_WARN},
    {"away_family", "13至15岁且父母外出务工", "父母外出务工", 0, TONE_WARN},
    {"illness", "长期或严重疾病", "慢性病|重大疾病", 0, TONE_WARN},
    {"absence", "旷课", "本学期旷课|无故缺课", 0, TONE_BAD},
};
const struct vocab atrisk_factors = {"预警因素", factor_words, ARRAY_SIZE(factor_words)};

static const struct setting_field fields[] = {
    {"atrisk_threshold", offsetof(struct atrisk_settings, threshold), SETTING_INT},
    {"atrisk_overage_years", offsetof(struct atrisk_settings, overage_years), SETTING_INT},
    {"atrisk_weight_case", offsetof(struct atrisk_settings, weight[RISK_PREVIOUS_CASE]),
     SETTING_INT},
    {"atrisk_weight_group", offsetof(struct atrisk_settings, weight[RISK_GROUP]), SETTING_INT},
    {"atrisk_weight_overage", offsetof(struct atrisk_settings, weight[RISK_OVER_AGE]), SETTING_INT},
    {"atrisk_weight_away", offsetof(struct atrisk_settings, weight[RISK_AWAY_FAMILY]), SETTING_INT},
    {"atrisk_weight_illness", offsetof(struct atrisk_settings, weight[RISK_ILLNESS]), SETTING_INT},
    {"atrisk_weight_absence", offsetof(struct atrisk_settings, weight[RISK_ABSENCE]), SETTING_INT},
    {"atrisk_absence_cap", offsetof(struct atrisk_settings, absence_cap), SETTING_INT},
};

int atrisk_settings_load(struct store *s, struct atrisk_settings *as, struct outcome *o)
{
    memset(as, 0, sizeof(*as));
    if (settings_load(s, fields, ARRAY_SIZE(fields), as) < 0)
        return fail_store(s, o);
    return 0;
}

/* ---- the score ---- */

static const char *case_state_label(const char *state)
{
    if (!state)
        return "";
    if (!strcmp(state, "open"))
        return "劝返中";
    if (!strcmp(state, "returned"))
        return "已复学，巩固回访中";
    if (!strcmp(state, "closed"))
        return "已销号";
    return "";
}

static void add_factor(struct atrisk_score *out, enum atrisk_factor f, int weight,
                       const char *detail)
{
    out->f[out->n].factor = f;
    out->f[out->n].weight = weight;
    snprintf(out->f[out->n].detail, sizeof(out->f[0].detail), "%s", detail);
    out->n++;
    out->total += weight;
}

void atrisk_score(const struct atrisk_settings *as, const struct atrisk_facts *x,
                  struct atrisk_score *out)
{
    memset(out, 0, sizeof(*out));
    char d[160];
    if (as->weight[RISK_PREVIOUS_CASE] > 0 && x->case_id) {
        snprintf(d, sizeof(d), "案件 %lld，%s", (long long)x->case_id,
                 case_state_label(x->case_state));
        add_factor(out, RISK_PREVIOUS_CASE, as->weight[RISK_PREVIOUS_CASE], d);
    }
    if (as->weight[RISK_GROUP] > 0 && x->groups) {
        struct buf b = BUF_INIT;
        for (int g = 0; g < GRP__COUNT; g++)
            if (x->groups & (1u << g))
                buf_addf(&b, "%s%s", b.len ? "、" : "", priority_groups.words[g].label);
        add_factor(out, RISK_GROUP, as->weight[RISK_GROUP], b.buf);
        buf_release(&b);
    }
    /* grade g is for children of g + 5 on the cutoff (grade 1 at 6) */
    int over = x->age >= 0 && x->grade >= 1 && x->grade <= 9 ? x->age - (x->grade + 5) : 0;
    if (as->weight[RISK_OVER_AGE] > 0 && as->overage_years > 0 && over >= as->overage_years) {
        snprintf(d, sizeof(d), "%s，%d 岁，超龄 %d 岁", grade_name(x->grade), x->age, over);
        add_factor(out, RISK_OVER_AGE, as->weight[RISK_OVER_AGE], d);
    }
    if (as->weight[RISK_AWAY_FAMILY] > 0 && x->age >= 13 && x->age <= 15 &&
        (x->groups & (1u << GRP_LEFT_BEHIND))) {
        snprintf(d, sizeof(d), "%d 岁，在农村留守儿童名单上", x->age);
        add_factor(out, RISK_AWAY_FAMILY, as->weight[RISK_AWAY_FAMILY], d);
    }
    /* the entry's number, not its diagnosis: the list goes where the ledger does not */
    if (as->weight[RISK_ILLNESS] > 0 && x->illness_id) {
        snprintf(d, sizeof(d), "疾病台帐第 %lld 条，未痊愈", (long long)x->illness_id);
        add_factor(out, RISK_ILLNESS, as->weight[RISK_ILLNESS], d);
    }
    /* points a day, capped: a week away weighs like a previous case, a month no more */
    if (as->weight[RISK_ABSENCE] > 0 && x->absent_days > 0) {
        long pts = (long)as->weight[RISK_ABSENCE] * x->absent_days;
        bool capped = as->absence_cap > 0 && pts > as->absence_cap;
        char last[11] = "";
        if (x->absent_last)
            date_format(x->absent_last, last);
        snprintf(d, sizeof(d), "本学期旷课 %d 天%s%s%s", x->absent_days, *last ? "，最近一次 " : "",
                 last, capped ? "，已到上限" : "");
        add_factor(out, RISK_ABSENCE, capped ? as->absence_cap : (int)pts, d);
    }
}

void atrisk_explain(const struct atrisk_score *sc, struct buf *out)
{
    for (int i = 0; i < sc->n; i++)
        buf_addf(out, "%s%s（%s）%d 分", i ? "；" : "", atrisk_factors.words[sc->f[i].factor].label,
                 sc->f[i].detail, sc->f[i].weight);
}

/* ---- what the score reads, for a whole run ---- */

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(((const struct absence_count *)a)->key, ((const struct absence_count *)b)->key);
}

static const struct absence_count *absence_find(const struct absence_count *v, size_t n,
                                                const char *key)
{
    struct absence_count k = {(char *)key, 0, 0};
    return n ? bsearch(&k, v, n, sizeof(*v), cmp_key) : NULL;
}

/* The run's 学籍 pupils; with the term's 旷课 (ab, nab) when there are any (their child keys
 * read then only). */
static int load_pupils(struct store *s, int64_t batch, const struct absence_count *ab, size_t nab,
                       struct atrisk_run *r)
{
    if (!batch)
        return 0;
    struct stmt *q = store_prepare(
        s, nab ? "SELECT id, coalesce(grade, 0), coalesce(school_code, ''), " CHILD_KEY_SQL(
                     "record") " FROM record WHERE batch_id = $1 ORDER BY id"
               : "SELECT id, coalesce(grade, 0), coalesce(school_code, '')"
                 " FROM record WHERE batch_id = $1 ORDER BY id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    size_t cap = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (r->npupils == cap) {
            cap = cap ? 2 * cap : 1024;
            r->pupils = xreallocarray(r->pupils, cap, sizeof(*r->pupils));
        }
        const char *code = stmt_text(q, 2);
        uint32_t k = 0;
        while (k < r->nschools && strcmp(r->schools[k], code))
            k++;
        if (k == r->nschools) {
            r->schools = xreallocarray(r->schools, ++r->nschools, sizeof(*r->schools));
            r->schools[k] = xstrdup(code);
        }
        const struct absence_count *a = nab ? absence_find(ab, nab, stmt_text(q, 3)) : NULL;
        r->pupils[r->npupils++] = (struct risk_pupil){stmt_int(q, 0), (int)stmt_int(q, 1), k,
                                                      a ? a->days : 0, a ? a->last : 0};
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int load_groups(struct store *s, int64_t run, struct atrisk_run *r)
{
    struct stmt *q = store_prepare(s, "SELECT record_id, grp FROM group_member"
                                      " WHERE run_id = $1 AND record_id IS NOT NULL"
                                      " ORDER BY record_id");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    size_t cap = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        int g = vocab_parse(&priority_groups, stmt_text(q, 1));
        if (g < 0)
            continue;
        if (!r->ngroups || r->groups[r->ngroups - 1].id != id) {
            if (r->ngroups == cap) {
                cap = cap ? 2 * cap : 256;
                r->groups = xreallocarray(r->groups, cap, sizeof(*r->groups));
            }
            r->groups[r->ngroups++] = (struct risk_mark){id, 0, 0, NULL};
        }
        r->groups[r->ngroups - 1].mask |= 1u << g;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int cmp_mark(const void *a, const void *b)
{
    return cmp_id(&((const struct risk_mark *)a)->id, &((const struct risk_mark *)b)->id);
}

/* The cases, each by its child's record in the run's register (the child key's). */
static int load_cases(struct store *s, int64_t population_batch, struct atrisk_run *r)
{
    struct stmt *q = store_prepare(s, "SELECT ch.child_key, c.id, c.state FROM case_file c"
                                      " JOIN child ch ON ch.id = c.child_id ORDER BY c.id");
    if (!q)
        return -1;
    struct {
        char *key, *state;
        int64_t id;
    } *v = NULL;
    size_t n = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        v = xreallocarray(v, n + 1, sizeof(*v));
        v[n].key = xstrdup(stmt_text(q, 0));
        v[n].id = stmt_int(q, 1);
        v[n++].state = xstrdup(stmt_text(q, 2));
    }
    stmt_finalize(q);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int64_t rid = placement_latest_record(s, population_batch, v[i].key);
        if (rid) {
            r->cases = xreallocarray(r->cases, r->ncases + 1, sizeof(*r->cases));
            r->cases[r->ncases++] = (struct risk_mark){rid, 0, v[i].id, xstrdup(v[i].state)};
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].key);
        free(v[i].state);
    }
    free(v);
    if (r->ncases)
        qsort(r->cases, r->ncases, sizeof(*r->cases), cmp_mark);
    return rc < 0 ? -1 : 0;
}

/* The open chronic or serious illnesses (疾病台帐), by the child's record in the run's register.
 * `only`: one child's (its child id, whose record is `only_record`), 0 all. */
struct ill_list {
    int64_t only;
    struct ill_item {
        int64_t child, illness;
    } * v;
    size_t n;
};

static void ill_seen(void *ctx, int64_t child_id, int64_t record_id, int64_t illness_id)
{
    (void)record_id;
    struct ill_list *l = ctx;
    if (l->only && child_id != l->only)
        return;
    if (l->n && l->v[l->n - 1].child == child_id)
        return; /* one factor a child: its first open illness names it */
    l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
    l->v[l->n].child = child_id;
    l->v[l->n++].illness = illness_id;
}

static int load_ills(struct store *s, int64_t population_batch, int64_t only, int64_t only_record,
                     struct atrisk_run *r)
{
    struct ill_list l = {only, NULL, 0};
    int rc = illness_serious_open(s, date_today(), ill_seen, &l);
    struct stmt *q =
        rc == 0 && l.n ? store_prepare(s, "SELECT child_key FROM child WHERE id = $1") : NULL;
    for (size_t i = 0; q && i < l.n; i++) {
        stmt_reset(q);
        stmt_bind_int(q, 1, l.v[i].child);
        if (stmt_step(q) != 1)
            continue;
        int64_t rid = only_record ? only_record
                                  : placement_latest_record(s, population_batch, stmt_text(q, 0));
        if (rid) {
            r->ills = xreallocarray(r->ills, r->nills + 1, sizeof(*r->ills));
            r->ills[r->nills++] = (struct risk_mark){rid, 0, l.v[i].illness, NULL};
        }
    }
    if (l.n && !q)
        rc = -1;
    stmt_finalize(q);
    free(l.v);
    if (r->nills)
        qsort(r->ills, r->nills, sizeof(*r->ills), cmp_mark);
    return rc;
}

int atrisk_run_load(struct store *s, const struct run_info *ri, struct atrisk_run *r)
{
    memset(r, 0, sizeof(*r));
    struct absence_count *ab = NULL;
    size_t nab = 0;
    int rc = atrisk_absences(s, date_today(), NULL, &ab, &nab);
    if (rc < 0 || load_pupils(s, ri->enrollment_batch, ab, nab, r) < 0 ||
        load_groups(s, ri->id, r) < 0 || load_cases(s, ri->population_batch, r) < 0 ||
        load_ills(s, ri->population_batch, 0, 0, r) < 0)
        rc = -1;
    atrisk_absences_free(ab, nab);
    if (rc < 0)
        atrisk_run_release(r);
    return rc;
}

void atrisk_run_release(struct atrisk_run *r)
{
    for (size_t i = 0; i < r->nschools; i++)
        free(r->schools[i]);
    for (size_t i = 0; i < r->ncases; i++)
        free(r->cases[i].state);
    free(r->schools);
    free(r->pupils);
    free(r->groups);
    free(r->cases);
    free(r->ills);
    memset(r, 0, sizeof(*r));
}

static const struct risk_mark *mark_find(const struct risk_mark *v, size_t n, int64_t id)
{
    struct risk_mark k = {id, 0, 0, NULL};
    return n ? bsearch(&k, v, n, sizeof(*v), cmp_mark) : NULL;
}

const char *atrisk_facts_of(const struct atrisk_run *r, const struct run_status_entry *e,
                            struct atrisk_facts *x)
{
    memset(x, 0, sizeof(*x));
    x->age = e->age;
    const char *school = NULL;
    const struct risk_pupil *p =
        r->npupils && e->school_record
            ? bsearch(&e->school_record, r->pupils, r->npupils, sizeof(*r->pupils), cmp_id)
            : NULL;
    if (p) {
        x->grade = p->grade;
        school = r->schools[p->school];
        x->absent_days = p->absent_days;
        x->absent_last = p->absent_last;
    }
    const struct risk_mark *g = mark_find(r->groups, r->ngroups, e->record_id);
    x->groups = g ? g->mask : 0;
    const struct risk_mark *c = mark_find(r->cases, r->ncases, e->record_id);
    if (c) {
        x->case_id = c->case_id;
        x->case_state = c->state;
    }
    const struct risk_mark *ill = mark_find(r->ills, r->nills, e->record_id);
    x->illness_id = ill ? ill->case_id : 0;
    return school ? school : "";
}

int atrisk_run_one(struct store *s, const struct run_info *ri, const struct run_status_entry *e,
                   struct atrisk_run *r)
{
    memset(r, 0, sizeof(*r));
    int rc = 0;
    char key[160] = "";
    if (e->school_record) {
        struct stmt *q =
            store_prepare(s, "SELECT coalesce(grade, 0), coalesce(school_code, ''), " CHILD_KEY_SQL(
                                 "record") " FROM record WHERE id = $1");
        if (!q)
            return -1;
        stmt_bind_int(q, 1, e->school_record);
        if ((rc = stmt_step(q)) == 1) {
            r->pupils = xcalloc(1, sizeof(*r->pupils));
            r->schools = xcalloc(1, sizeof(*r->schools));
            r->pupils[0] = (struct risk_pupil){e->school_record, (int)stmt_int(q, 0), 0, 0, 0};
            snprintf(key, sizeof(key), "%s", stmt_text(q, 2));
            r->schools[0] = xstrdup(stmt_text(q, 1));
            r->npupils = r->nschools = 1;
        }
        stmt_finalize(q);
    }
    /* the term's 旷课 of the child's 学籍 record (its child key) */
    if (rc == 1) {
        struct absence_count *ab = NULL;
        size_t nab = 0;
        if (atrisk_absences(s, date_today(), key, &ab, &nab) < 0)
            rc = -1;
        else if (nab) {
            r->pupils[0].absent_days = ab[0].days;
            r->pupils[0].absent_last = ab[0].last;
        }
        atrisk_absences_free(ab, nab);
    }
    struct stmt *q = rc >= 0 ? store_prepare(s, "SELECT grp FROM group_member"
                                                " WHERE run_id = $1 AND record_id = $2")
                             : NULL;
    if (q) {
        stmt_bind_int(q, 1, ri->id);
        stmt_bind_int(q, 2, e->record_id);
        unsigned mask = 0;
        while ((rc = stmt_step(q)) == 1) {
            int g = vocab_parse(&priority_groups, stmt_text(q, 0));
            if (g >= 0)
                mask |= 1u << g;
        }
        stmt_finalize(q);
        if (mask) {
            r->groups = xcalloc(1, sizeof(*r->groups));
            r->groups[0] = (struct risk_mark){e->record_id, mask, 0, NULL};
            r->ngroups = 1;
        }
    }
    int64_t child = rc >= 0 ? casework_child_row(s, e->record_id, ri->id, false) : -1;
    q = child > 0 ? store_prepare(s, "SELECT id, state FROM case_file WHERE child_id = $1") : NULL;
    if (q) {
        stmt_bind_int(q, 1, child);
        if ((rc = stmt_step(q)) == 1) {
            r->cases = xcalloc(1, sizeof(*r->cases));
            r->cases[0] =
                (struct risk_mark){e->record_id, 0, stmt_int(q, 0), xstrdup(stmt_text(q, 1))};
            r->ncases = 1;
        }
        stmt_finalize(q);
    }
    if (rc >= 0 && child > 0 && load_ills(s, ri->population_batch, child, e->record_id, r) < 0)
        rc = -1;
    if (rc < 0 || child < 0 || (child > 0 && !q)) {
        atrisk_run_release(r);
        return -1;
    }
    return 0;
}
