/*
 * 招生入学 as reports (casework/entrants.h): the 学区 (every village of the 户籍 list with its
 * school, or 未划学区), next year's entrants by catchment school, and the September check of
 * this year's cohort against the latest 学籍.
 */
#include "casework/entrants.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "domain/match.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/scope.h"
#include "domain/status.h"
#include "ingest/import.h"
#include "report/entrants.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

/* ---- the 学区 rows ---- */

struct crow {
    char township[10];
    char *village;
    char code[32];
    char *name;
};

struct catch_tab {
    struct crow *r;
    size_t n, a;
};

static int load_catchment(struct store *s, struct catch_tab *c)
{
    struct stmt *q = store_prepare(s, "SELECT township_code, village, school_code, school_name"
                                      " FROM catchment ORDER BY township_code, village");
    if (!q)
        return -1;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(c->r, c->n + 1, c->a);
        struct crow *x = &c->r[c->n++];
        snprintf(x->township, sizeof(x->township), "%s", stmt_text(q, 0));
        x->village = xstrdup(stmt_text(q, 1));
        snprintf(x->code, sizeof(x->code), "%s", stmt_text(q, 2));
        x->name = xstrdup(stmt_text(q, 3));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static void catch_release(struct catch_tab *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->r[i].village);
        free(c->r[i].name);
    }
    free(c->r);
}

static const struct crow *catch_find(const struct catch_tab *c, const char *township,
                                     const char *village)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->r[i].township, township) && !strcmp(c->r[i].village, village))
            return &c->r[i];
    return NULL;
}

/* The reader's township and school: a township account its own, a school account its own. */
static int narrow(struct store *s, const struct report_options *opt, char tcode[10],
                  const char **tname, const char **school, struct outcome *o)
{
    const char *township = opt->township, *own = NULL;
    *tcode = '\0';
    *school = opt->school && *opt->school ? opt->school : NULL;
    if (opt->scope && !role_reads_entrants(opt->scope->role))
        return failed(o, OUT_FORBIDDEN, "您的账号无权查看招生入学名单");
    if (opt->scope && !scope_filter(opt->scope, &township, &own))
        return failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
    if (opt->scope && opt->scope->role == ROLE_SCHOOL) {
        if (!own || !*own)
            return failed(o, OUT_FORBIDDEN, "您的学校账号没有设置学校代码");
        if (*school && strcmp(*school, own) &&
            !(opt->scope->school_name && !strcmp(*school, opt->scope->school_name)))
            return failed_at(o, OUT_FORBIDDEN, "school", "学校账号只能查看本校的招生入学名单");
        *school = own;
    }
    if (township && *township && casework_township(s, township, tcode, tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", township);
    return 0;
}

static bool school_is(const char *asked, const char *code, const char *name)
{
    return !asked || !strcmp(asked, code) || (*name && !strcmp(asked, name));
}

static const struct table_col catch_cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"school", "学区学校", COL_TEXT},
    {"children", "户籍儿童人数", COL_INT},
    {"state", "情况", COL_TEXT},
    {"township_code", "乡镇代码", COL_KEY},
    {"school_code", "学校代码", COL_KEY},
};

int report_catchment(struct store *s, const struct report_options *opt, struct report_table *t,
                     struct outcome *o)
{
    char tcode[10];
    const char *tname = NULL, *school;
    if (narrow(s, opt, tcode, &tname, &school, o) < 0)
        return -1;
    struct run_info ri;
    int64_t pop = 0;
    struct outcome o2 = OUTCOME_INIT;
    if (run_info_load(s, 0, &ri, &o2) == 0)
        pop = ri.population_batch;
    else if (o2.kind != OUT_NO_RUN) {
        outcome_release(o);
        *o = o2;
        return -1;
    }
    outcome_release(&o2);
    struct catch_tab c = {0};
    if (load_catchment(s, &c) < 0)
        return fail_store(s, o);
    bool *used = c.n ? xcalloc(c.n, sizeof(*used)) : NULL;
    table_init(t, "学区划分", "villages", catch_cols, ARRAY_SIZE(catch_cols));
    long seq = 0, unassigned = 0, assigned = 0;
    int rc = 0;
    struct stmt *q = pop ? store_prepare(s, "SELECT coalesce(township_code, ''),"
                                            " max(coalesce(township, '')),"
                                            " coalesce(village, ''), count(*) FROM record"
                                            " WHERE batch_id = $1 GROUP BY 1, 3 ORDER BY 1, 3")
                         : NULL;
    if (pop && !q)
        rc = fail_store(s, o);
    if (q) {
        stmt_bind_int(q, 1, pop);
        int got;
        while ((got = stmt_step(q)) == 1) {
            const char *tc = stmt_text(q, 0), *v = stmt_text(q, 2);
            const struct crow *x = catch_find(&c, tc, v);
            if (x)
                used[x - c.r] = true;
            if (*tcode && strcmp(tc, tcode))
                continue;
            if (school && (!x || !school_is(school, x->code, x->name)))
                continue;
            table_add_row(t);
            table_setf(t, 0, "%ld", ++seq);
            table_set(t, 1, stmt_text(q, 1));
            table_set(t, 2, *v ? v : "（户籍名单未写村）");
            table_set(t, 3, x ? (*x->name ? x->name : x->code) : "未划学区");
            table_setf(t, 4, "%lld", (long long)stmt_int(q, 3));
            table_set(t, 5, x ? "已划定" : "未划学区");
            table_set(t, 6, tc);
            table_set(t, 7, x ? x->code : "");
            if (x)
                assigned++;
            else
                unassigned++;
        }
        stmt_finalize(q);
        if (got < 0)
            rc = fail_store(s, o);
    }
    /* rows of the 学区 whose village the register does not write so (a spelling to correct) */
    for (size_t i = 0; rc == 0 && i < c.n; i++) {
        const struct crow *x = &c.r[i];
        if (used[i] || (*tcode && strcmp(x->township, tcode)) ||
            (school && !school_is(school, x->code, x->name)))
            continue;
        const char *tn = NULL;
        char tc[10];
        if (casework_township(s, x->township, tc, &tn) < 0)
            tn = NULL;
        table_add_row(t);
        table_setf(t, 0, "%ld", ++seq);
        table_set(t, 1, tn ? tn : x->township);
        table_set(t, 2, x->village);
        table_set(t, 3, *x->name ? x->name : x->code);
        table_set(t, 4, "0");
        table_set(t, 5, "户籍名单中没有这个村（社区）：请核对写法");
        table_set(t, 6, x->township);
        table_set(t, 7, x->code);
    }
    if (rc == 0) {
        struct buf sub = BUF_INIT;
        buf_addf(&sub, "户籍名单中的村（社区）：已划定学区 %ld 个，未划学区 %ld 个", assigned,
                 unassigned);
        table_caption(t, "学区划分表", sub.buf);
        buf_release(&sub);
        char num[24];
        snprintf(num, sizeof(num), "%ld", unassigned);
        table_meta(t, "unassigned", num, META_INT);
        if (!pop)
            table_note(t, "还没有比对结果：户籍名单中的村（社区）要在导入户籍并比对后才列出");
        table_note(t, "学区由县教育局划定：baoxue catchment set、remove，或 baoxue catchment "
                      "import 导入学区表（乡镇、村（社区）、学校三列）");
    }
    free(used);
    catch_release(&c);
    return rc;
}

/* ---- the entrants ---- */

enum { SRC_REGISTER = 1, SRC_APPLICATION = 2 };

struct ent {
    char *name, *idn, *birth, *township, *tcode, *village, *guardian, *phone, *hukou, *address;
    char school_code[32];
    char *school_name; /* "" 未划学区 */
    char *applied;     /* the school an application was recorded at ("" none) */
    int64_t record_id, app_id;
    unsigned src;
    bool migrant;
    char *known;    /* the check: what is known */
    bool elsewhere; /* the check: the latest cross-check found it on the 外出就读 list */
};

struct ents {
    struct ent *e;
    size_t n, a;
};

static void ent_free(struct ent *e)
{
    free(e->name), free(e->idn), free(e->birth), free(e->township), free(e->tcode);
    free(e->village), free(e->guardian), free(e->phone), free(e->hukou), free(e->address);
    free(e->school_name), free(e->applied), free(e->known);
}

static void ents_release(struct ents *l)
{
    for (size_t i = 0; i < l->n; i++)
        ent_free(&l->e[i]);
    free(l->e);
}

static struct ent *ent_new(struct ents *l)
{
    ALLOC_GROW(l->e, l->n + 1, l->a);
    struct ent *e = &l->e[l->n++];
    memset(e, 0, sizeof(*e));
    return e;
}

/* The register's children of cohort `sy` (the run's population list), with their 学区. */
static int load_register(struct store *s, int64_t pop, const struct school_calendar *cal, int sy,
                         const struct catch_tab *c, struct ents *l)
{
    int cut = school_cutoff(cal, sy);
    char lo[11], hi[11];
    date_format((cut / 10000 - cal->min_age - 1) * 10000 + 101, lo);
    date_format((cut / 10000 - cal->min_age) * 10000 + 1231, hi);
    struct stmt *q = store_prepare(
        s, "SELECT id, coalesce(name, ''), coalesce(id_number, id_raw, ''), birth_date,"
           " coalesce(township_code, ''), coalesce(township, ''), coalesce(village, ''),"
           " coalesce(guardian, ''), coalesce(phone, ''), coalesce(address, '')"
           " FROM record WHERE batch_id = $1 AND birth_date >= $2 AND birth_date <= $3"
           " AND coalesce(reg_status, '') NOT IN ('moved_out', 'deceased', 'cancelled')"
           " ORDER BY township_code, village, name");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, pop);
    stmt_bind_str(q, 2, lo);
    stmt_bind_str(q, 3, hi);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (!entrant_in_cohort(cal, date_or_zero(stmt_text(q, 3)), sy))
            continue;
        struct ent *e = ent_new(l);
        e->record_id = stmt_int(q, 0);
        e->name = xstrdup(stmt_text(q, 1));
        e->idn = xstrdup(stmt_text(q, 2));
        e->birth = xstrdup(stmt_text(q, 3));
        e->tcode = xstrdup(stmt_text(q, 4));
        e->township = xstrdup(stmt_text(q, 5));
        e->village = xstrdup(stmt_text(q, 6));
        e->guardian = xstrdup(stmt_text(q, 7));
        e->phone = xstrdup(stmt_text(q, 8));
        e->address = xstrdup(stmt_text(q, 9));
        e->hukou = xstrdup("");
        e->applied = xstrdup("");
        e->src = SRC_REGISTER;
        const struct crow *x = catch_find(c, e->tcode, e->village);
        if (x)
            snprintf(e->school_code, sizeof(e->school_code), "%s", x->code);
        e->school_name = xstrdup(x ? (*x->name ? x->name : x->code) : "");
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The applications of cohort `sy`; one for a child of the register joins the child's row. */
static int load_applications(struct store *s, const struct school_calendar *cal, int sy,
                             struct ents *l)
{
    struct stmt *q = store_prepare(
        s, "SELECT a.id, a.name, coalesce(a.id_number, ''), a.birth_date,"
           " coalesce(a.township_code, ''), coalesce(a.village, ''), coalesce(a.guardian, ''),"
           " coalesce(a.phone, ''), coalesce(a.address, ''), a.migrant,"
           " coalesce(a.hukou_place, ''), a.school_code, a.school_name"
           " FROM entrant_application a ORDER BY a.id");
    if (!q)
        return -1;
    size_t nreg = l->n;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (!entrant_in_cohort(cal, date_or_zero(stmt_text(q, 3)), sy))
            continue;
        const char *idn = stmt_text(q, 2), *school = stmt_text(q, 12);
        struct ent *e = NULL;
        for (size_t i = 0; *idn && i < nreg; i++)
            if (!strcmp(l->e[i].idn, idn))
                e = &l->e[i];
        if (e) {
            e->src |= SRC_APPLICATION;
            e->app_id = stmt_int(q, 0);
            e->migrant = e->migrant || stmt_int(q, 9);
            free(e->applied);
            e->applied = xstrdup(*school ? school : stmt_text(q, 11));
            continue;
        }
        e = ent_new(l);
        e->app_id = stmt_int(q, 0);
        e->name = xstrdup(stmt_text(q, 1));
        e->idn = xstrdup(idn);
        e->birth = xstrdup(stmt_text(q, 3));
        e->tcode = xstrdup(stmt_text(q, 4));
        const char *tn = NULL;
        char tc[10];
        e->township =
            xstrdup(*e->tcode && casework_township(s, e->tcode, tc, &tn) == 0 && tn ? tn : "");
        e->village = xstrdup(stmt_text(q, 5));
        e->guardian = xstrdup(stmt_text(q, 6));
        e->phone = xstrdup(stmt_text(q, 7));
        e->address = xstrdup(stmt_text(q, 8));
        e->migrant = stmt_int(q, 9) != 0;
        e->hukou = xstrdup(stmt_text(q, 10));
        snprintf(e->school_code, sizeof(e->school_code), "%s", stmt_text(q, 11));
        e->school_name = xstrdup(*school ? school : stmt_text(q, 11));
        e->applied = xstrdup(e->school_name);
        e->src = SRC_APPLICATION;
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int cmp_ent(const void *a_, const void *b_)
{
    const struct ent *a = a_, *b = b_;
    /* 未划学区 last */
    int d = (!*a->school_name) - (!*b->school_name);
    if (!d)
        d = strcmp(a->school_name, b->school_name);
    if (!d)
        d = strcmp(a->tcode, b->tcode);
    if (!d)
        d = strcmp(a->village, b->village);
    return d ? d : strcmp(a->name, b->name);
}

static const char *source_label(unsigned src)
{
    return src == (SRC_REGISTER | SRC_APPLICATION) ? "户籍、学校登记"
           : src == SRC_REGISTER                   ? "户籍"
                                                   : "学校登记";
}

static const char *source_key(unsigned src)
{
    return src == (SRC_REGISTER | SRC_APPLICATION) ? "both"
           : src == SRC_REGISTER                   ? "register"
                                                   : "application";
}

static const struct table_col ent_cols[] = {
    {"seq", "序号", COL_INT},
    {"school", "学区学校", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"village", "村（社区）", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"birth_month", "出生年月", COL_TEXT},
    {"guardian", "监护人", COL_TEXT},
    {"phone", "联系电话", COL_TEXT},
    {"migrant", "随迁子女", COL_TEXT},
    {"hukou", "户籍所在地", COL_TEXT},
    {"source", "来源", COL_TEXT},
    {"known", "情况", COL_TEXT},
    {"school_code", "学校代码", COL_KEY},
    {"township_code", "乡镇代码", COL_KEY},
    {"source_key", "来源代码", COL_KEY},
    {"record_id", "记录编号", COL_INT},
    {"application_id", "登记编号", COL_INT},
};

/* Keep the entrants the reader asked for (a township, a school). */
static void filter(struct ents *l, const char *tcode, const char *school)
{
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        struct ent *e = &l->e[i];
        bool keep =
            (!*tcode || !strcmp(e->tcode, tcode)) &&
            (!school || (*e->school_code && school_is(school, e->school_code, e->school_name)) ||
             (*e->applied && !strcmp(school, e->applied)));
        if (keep)
            l->e[k++] = *e;
        else
            ent_free(e);
    }
    l->n = k;
}

struct school_count {
    const char *name;
    long n, reg, app, migrant;
};

static void put_rows(struct report_table *t, const struct ents *l, const struct view *v, bool check)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct ent *e = &l->e[i];
        table_add_row(t);
        table_setf(t, 0, "%zu", i + 1);
        table_set(t, 1, *e->school_name ? e->school_name : "未划学区");
        table_set(t, 2, e->township);
        table_set(t, 3, e->village);
        table_set(t, 4, e->name);
        char m[VIEW_ID_SIZE];
        view_id(v, e->idn, m);
        table_set(t, 5, m);
        table_setf(t, 6, "%.7s", e->birth);
        table_set(t, 7, e->guardian);
        struct buf ph = BUF_INIT;
        if (*e->phone)
            view_phone(v, e->phone, &ph);
        table_set(t, 8, ph.buf ? ph.buf : "");
        buf_release(&ph);
        table_set(t, 9, e->migrant ? "是" : "否");
        table_set(t, 10, e->hukou);
        table_set(t, 11, source_label(e->src));
        struct buf k = BUF_INIT;
        if (check && e->known)
            buf_adds(&k, e->known);
        else if (check && e->src == SRC_APPLICATION)
            buf_adds(&k, "户籍名单中没有，由登记的学校联系监护人");
        if (*e->applied && (e->src & SRC_REGISTER))
            buf_addf(&k, "%s已在%s登记入学", k.len ? "；" : "", e->applied);
        table_set(t, 12, k.buf ? k.buf : "");
        buf_release(&k);
        table_set(t, 13, e->school_code);
        table_set(t, 14, e->tcode);
        table_set(t, 15, source_key(e->src));
        if (e->record_id)
            table_setf(t, 16, "%lld", (long long)e->record_id);
        if (e->app_id)
            table_setf(t, 17, "%lld", (long long)e->app_id);
    }
}

/* The per-school counts as notes ("甲校 12 人（户籍 10，学校登记 2，随迁子女 1）"). */
static void school_notes(struct report_table *t, const struct ents *l)
{
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < l->n;) {
        size_t j = i;
        long reg = 0, app = 0, mig = 0;
        while (j < l->n && !strcmp(l->e[j].school_name, l->e[i].school_name)) {
            reg += (l->e[j].src & SRC_REGISTER) != 0;
            app += l->e[j].src == SRC_APPLICATION;
            mig += l->e[j].migrant;
            j++;
        }
        buf_addf(&b, "%s%s %zu 人（户籍 %ld，学校登记 %ld，随迁子女 %ld）", b.len ? "；" : "",
                 *l->e[i].school_name ? l->e[i].school_name : "未划学区", j - i, reg, app, mig);
        i = j;
    }
    if (b.len)
        table_note(t, "各学区学校人数：%s", b.buf);
    buf_release(&b);
}

/* The common start: the calendar, the run's register, the 学区, the applications of `sy`. */
static int load_all(struct store *s, const struct report_options *opt, bool next,
                    struct school_calendar *cal, int *sy, int64_t *run, struct ents *l,
                    char tcode[10], const char **school, struct outcome *o)
{
    const char *tname = NULL;
    if (narrow(s, opt, tcode, &tname, school, o) < 0)
        return -1;
    if (calendar_load(s, cal) < 0)
        return fail_store(s, o);
    int today = date_today();
    *sy = next ? entrant_next_year(cal, today) : school_year_of(cal, today);
    struct run_info ri;
    struct outcome o2 = OUTCOME_INIT;
    int64_t pop = 0;
    *run = 0;
    if (run_info_load(s, 0, &ri, &o2) == 0) {
        pop = ri.population_batch;
        *run = ri.id;
    } else if (o2.kind != OUT_NO_RUN) {
        outcome_release(o);
        *o = o2;
        return -1;
    }
    outcome_release(&o2);
    struct catch_tab c = {0};
    int rc = load_catchment(s, &c) < 0 || (pop && load_register(s, pop, cal, *sy, &c, l) < 0) ||
                     load_applications(s, cal, *sy, l) < 0
                 ? fail_store(s, o)
                 : 0;
    catch_release(&c);
    if (rc == 0) {
        filter(l, tcode, *school);
        if (l->n)
            qsort(l->e, l->n, sizeof(*l->e), cmp_ent);
    }
    return rc;
}

/* 随迁 known from the 学籍 (issue 17): the families of the latest run's pupils without 户籍 here,
 * per school (by guardian, else by pupil) — their younger children are in no list; the note tells
 * each school how many families to ask. */
static int nonlocal_note(struct store *s, int64_t run, const char *tcode, const char *school,
                         struct report_table *t)
{
    struct stmt *q = store_prepare(
        s, "SELECT max(coalesce(r.school_name, r.school_code)), count(DISTINCT"
           " coalesce(nullif(r.guardian, '') || '/' || coalesce(r.phone, ''), r.name || '/' ||"
           " coalesce(r.birth_date, ''))) FROM nonlocal_pupil np JOIN record r ON r.id ="
           " np.record_id WHERE np.run_id = $1 AND r.school_code IS NOT NULL"
           " AND ($2 = '' OR r.school_code = $2 OR r.school_name = $2)"
           " AND ($3 = '' OR np.township_code = $3)"
           " GROUP BY r.school_code ORDER BY 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, run);
    stmt_bind_text(q, 2, school ? school : "", school ? strlen(school) : 0);
    stmt_bind_text(q, 3, tcode, strlen(tcode));
    struct buf b = BUF_INIT;
    long total = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        buf_addf(&b, "%s%s %lld 户", b.len ? "、" : "", stmt_text(q, 0), (long long)stmt_int(q, 1));
        total += (long)stmt_int(q, 1);
    }
    stmt_finalize(q);
    if (rc == 0 && total)
        table_note(t,
                   "有学籍无户籍（随迁）学生的家庭 %ld 户：%s。其弟妹不在任何名单中，学校可向这些"
                   "家庭了解明年入学的子女并登记入学申请",
                   total, b.buf);
    buf_release(&b);
    return rc < 0 ? -1 : 0;
}

int report_entrants(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o)
{
    struct school_calendar cal;
    struct ents l = {0};
    int sy;
    int64_t run;
    char tcode[10];
    const char *school;
    if (load_all(s, opt, true, &cal, &sy, &run, &l, tcode, &school, o) < 0) {
        ents_release(&l);
        return -1;
    }
    int cut = school_cutoff(&cal, sy);
    struct view v = view_make(opt->full, cut);
    table_init_view(t, "招生入学名单", "entrants", ent_cols, ARRAY_SIZE(ent_cols), &v);
    char cd[11];
    date_format(cut, cd);
    long unassigned = 0, migrant = 0, apps = 0;
    for (size_t i = 0; i < l.n; i++) {
        unassigned += !*l.e[i].school_name;
        migrant += l.e[i].migrant;
        apps += l.e[i].src == SRC_APPLICATION;
    }
    struct buf sub = BUF_INIT;
    buf_addf(&sub,
             "%d 年秋季入学（%s 前满 %d 周岁）：共 %zu 人，其中学校登记 %ld 人、随迁子女 %ld "
             "人、未划学区 %ld 人",
             sy, cd, cal.min_age, l.n, apps, migrant, unassigned);
    table_caption(t, "招生入学名单", sub.buf);
    buf_release(&sub);
    put_rows(t, &l, &v, false);
    char num[24];
    snprintf(num, sizeof(num), "%d", sy);
    table_meta(t, "school_year", num, META_INT);
    table_meta(t, "cutoff", cd, META_TEXT);
    snprintf(num, sizeof(num), "%zu", l.n);
    table_meta(t, "total", num, META_INT);
    snprintf(num, sizeof(num), "%ld", unassigned);
    table_meta(t, "unassigned", num, META_INT);
    school_notes(t, &l);
    if (run && nonlocal_note(s, run, tcode, school, t) < 0) {
        ents_release(&l);
        return fail_store(s, o);
    }
    if (!run)
        table_note(t, "还没有比对结果：户籍中的适龄儿童要在导入户籍并比对后才列出");
    table_note(t,
               "入学年龄：%s（本县设置“入学年龄计算截止日”）前满 %d 周岁、不满 %d 周岁的儿童，"
               "按户籍名单所在村（社区）划入学区学校；学校登记的入学申请（随迁子女等）列入登记"
               "的学校",
               cd, cal.min_age, cal.min_age + 1);
    table_note_view(t, &v, true);
    ents_release(&l);
    return 0;
}

/* What the latest cross-check says of a register child (none: the record is not in the run). */
static int run_status_of(struct store *s, int64_t run, struct ents *l, struct outcome *o)
{
    struct run_info ri;
    if (run_info_load(s, run, &ri, o) < 0)
        return -1;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->e[i].record_id)
            continue;
        struct run_status_entry e;
        struct buf detail = BUF_INIT;
        int rc = run_child_status(s, &ri, l->e[i].record_id, &e, &detail);
        buf_release(&detail);
        if (rc < 0)
            return fail_store(s, o);
        if (rc == 1) {
            l->e[i].elsewhere = e.st == ST_ENROLLED_ELSEWHERE;
            struct buf b = BUF_INIT;
            buf_addf(&b, "最近一次比对：%s", status_label(e.st));
            if (e.st == ST_NOT_ENROLLED || e.st == ST_DROPPED_OUT)
                buf_adds(&b, "（已列入核查）");
            l->e[i].known = buf_detach(&b, NULL);
        }
    }
    return 0;
}

int report_entrants_check(struct store *s, const struct report_options *opt, struct report_table *t,
                          struct outcome *o)
{
    struct school_calendar cal;
    struct ents l = {0};
    int sy;
    int64_t run;
    char tcode[10];
    const char *school;
    if (load_all(s, opt, false, &cal, &sy, &run, &l, tcode, &school, o) < 0) {
        ents_release(&l);
        return -1;
    }
    int64_t batch = 0;
    long rows;
    char imported[40] = "";
    int rc = import_current(s, KIND_ENROLLMENT, 0, &batch, &rows) < 0 ? fail_store(s, o) : 0;
    if (rc == 0 && batch) {
        struct stmt *q = store_prepare(s, "SELECT coalesce(decided_at, imported_at) FROM batch"
                                          " WHERE id = $1");
        if (!q)
            rc = fail_store(s, o);
        else {
            stmt_bind_int(q, 1, batch);
            if (stmt_step(q) == 1)
                snprintf(imported, sizeof(imported), "%.10s", stmt_text(q, 0));
            stmt_finalize(q);
        }
    }
    int start = sy * 10000 + cal.year_start_mmdd;
    bool ready = batch && date_or_zero(imported) >= start;
    /* who the latest 学籍 lists (any grade, active): by ID, and by name and birth date */
    size_t keep = 0;
    long elsewhere = 0;
    if (rc == 0 && ready) {
        struct stmt *q = store_prepare(
            s, "SELECT 1 FROM record WHERE batch_id = $1"
               " AND coalesce(enroll_status, 'active') = 'active'"
               " AND ((id_number = $2 AND $2 <> '') OR (name = $3 AND birth_date = $4)) LIMIT 1");
        if (!q)
            rc = fail_store(s, o);
        for (size_t i = 0; rc == 0 && i < l.n; i++) {
            struct ent *e = &l.e[i];
            stmt_reset(q);
            stmt_bind_int(q, 1, batch);
            stmt_bind_text(q, 2, e->idn, strlen(e->idn));
            stmt_bind_str(q, 3, e->name);
            stmt_bind_str(q, 4, e->birth);
            int got = stmt_step(q);
            if (got < 0) {
                rc = fail_store(s, o);
                break;
            }
            if (got == 1)
                ent_free(e);
            else
                l.e[keep++] = *e;
        }
        if (q)
            stmt_finalize(q);
        if (rc == 0)
            l.n = keep;
        if (rc == 0 && run && run_status_of(s, run, &l, o) < 0)
            rc = -1;
        /* those the 外出就读 list has are at school elsewhere: counted, not listed */
        keep = 0;
        for (size_t i = 0; rc == 0 && i < l.n; i++) {
            if (l.e[i].elsewhere) {
                elsewhere++;
                ent_free(&l.e[i]);
            } else {
                l.e[keep++] = l.e[i];
            }
        }
        if (rc == 0)
            l.n = keep;
    } else if (rc == 0) {
        for (size_t i = 0; i < l.n; i++)
            ent_free(&l.e[i]);
        l.n = 0;
    }
    if (rc == 0) {
        int cut = school_cutoff(&cal, sy);
        struct view v = view_make(opt->full, cut);
        table_init_view(t, "新生入学核对", "entrants", ent_cols, ARRAY_SIZE(ent_cols), &v);
        char cd[11], sd[11];
        date_format(cut, cd);
        date_format(start, sd);
        struct buf sub = BUF_INIT;
        if (ready)
            buf_addf(&sub,
                     "%d 年秋季应入学（%s 前满 %d 周岁）而最新学籍（%s 导入）中没有的儿童：%zu 人",
                     sy, cd, cal.min_age, imported, l.n);
        else
            buf_addf(&sub, "%d 年秋季入学核对：还没有 %s 以后导入的学籍名单", sy, sd);
        table_caption(t, "新生未注册学籍核对表", sub.buf);
        buf_release(&sub);
        put_rows(t, &l, &v, true);
        char num[24];
        snprintf(num, sizeof(num), "%d", sy);
        table_meta(t, "school_year", num, META_INT);
        table_meta(t, "ready", ready ? "true" : "false", META_BOOL);
        table_meta(t, "enrollment_imported", imported, META_TEXT);
        snprintf(num, sizeof(num), "%zu", l.n);
        table_meta(t, "total", num, META_INT);
        snprintf(num, sizeof(num), "%ld", elsewhere);
        table_meta(t, "elsewhere", num, META_INT);
        if (!ready)
            table_note(t,
                       "还不到核对的时候：九月开学、学校导出秋季学期学籍、县里导入（baoxue "
                       "import --kind 学籍）后再核对；最新学籍名单%s%s",
                       *imported ? "导入于 " : "尚未导入", imported);
        else {
            school_notes(t, &l);
            table_note(t,
                       "学籍中有（任何年级、在读）的儿童不列出；按身份证号，或姓名和出生日期核对");
            table_note(t,
                       "户籍中的儿童在比对时已按适龄未入学列入核查（情况栏写明）；学校登记而户籍中"
                       "没有的儿童由登记的学校联系监护人");
        }
        table_note_view(t, &v, true);
    }
    ents_release(&l);
    return rc;
}
