/*
 * 人籍分离 as a report (report/separation.h): the latest and the previous 学籍 snapshots, the
 * children cases returned to a school, and the term's absences read once each, the rules of
 * separation.c applied per pupil, the rows scoped and masked.
 */
#include "report/separation.h"

#include "casework/casework.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "domain/scope.h"
#include "domain/settings.h"
#include "ingest/import.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct table_col cols[] = {
    {"seq", "序号", COL_INT},           {"school", "学校", COL_TEXT},
    {"kind", "类型", COL_TEXT},         {"name", "姓名", COL_TEXT},
    {"student_no", "学籍号", COL_TEXT}, {"id_number", "身份证号", COL_TEXT},
    {"grade", "年级", COL_TEXT},        {"class", "班级", COL_TEXT},
    {"evidence", "情况", COL_TEXT},     {"other_school", "相关学校", COL_TEXT},
    {"action", "学校应办", COL_TEXT},   {"days", "连续旷课上课日", COL_INT},
    {"record_id", "记录编号", COL_INT}, {"school_code", "学校代码", COL_KEY},
    {"kind_key", "类型代码", COL_KEY},
};

/* A pupil of either snapshot with its facts. */
struct pup {
    char *key, *name, *student_no, *idn, *klass;
    int64_t record_id;
    int grade;
    struct sep_pupil f;
    size_t ab0;
};

struct ab {
    char *key;
    struct sep_absence a;
};

struct cal_entry {
    char code[32];
    struct term_calendar cal;
};

struct load {
    struct store *s;
    struct pup *p;
    size_t np, ap;
    struct ab *ab;
    size_t nab, aab;
    struct sep_school *schools;
    size_t nschools, aschools;
    struct cal_entry *cals;
    size_t ncals, acals;
    struct sep_absence *flat; /* the absences in pupil and date order, for the rules */
    struct term_calendar county;
    bool failed;
};

static int cmp_pup(const void *a, const void *b)
{
    return strcmp(((const struct pup *)a)->key, ((const struct pup *)b)->key);
}

static int cmp_ab(const void *a_, const void *b_)
{
    const struct ab *a = a_, *b = b_;
    int d = strcmp(a->key, b->key);
    return d ? d : (a->a.ymd > b->a.ymd) - (a->a.ymd < b->a.ymd);
}

/* The pupil of `key` among the first n (sorted). */
static struct pup *find_in(struct load *l, const char *key, size_t n)
{
    struct pup k = {.key = (char *)key};
    return n ? bsearch(&k, l->p, n, sizeof(*l->p), cmp_pup) : NULL;
}

static struct pup *find(struct load *l, const char *key)
{
    return find_in(l, key, l->np);
}

static void pup_free(struct pup *p)
{
    free(p->key);
    free(p->name);
    free(p->student_no);
    free(p->idn);
    free(p->klass);
}

static const struct term_calendar *calendar_of(void *arg, const char *school)
{
    struct load *l = arg;
    for (size_t i = 0; i < l->ncals; i++)
        if (!strcmp(l->cals[i].code, school))
            return &l->cals[i].cal;
    ALLOC_GROW(l->cals, l->ncals + 1, l->acals);
    struct cal_entry *e = &l->cals[l->ncals];
    snprintf(e->code, sizeof(e->code), "%s", school);
    struct outcome o = OUTCOME_INIT;
    if (attendance_calendar(l->s, school, &e->cal, &o) < 0) {
        outcome_release(&o);
        l->failed = true;
        return &l->county;
    }
    l->ncals++;
    return &e->cal;
}

#define PUPIL_SQL                                                                                  \
    "SELECT " CHILD_KEY_SQL(                                                                       \
        "r") ", r.id, coalesce(r.name, ''), coalesce(r.student_no, ''),"                           \
             " coalesce(r.id_number, r.id_raw, ''), coalesce(r.grade, 0),"                         \
             " coalesce(r.class, ''), coalesce(r.school_code, ''),"                                \
             " coalesce(r.enroll_status, 'active')"                                                \
             " FROM record r WHERE r.batch_id = $1 AND r.school_code IS NOT NULL"

/* A snapshot's pupils: the latest (`now`) adds them, the previous fills `before` (and adds the
 * pupils the latest no longer lists). */
static void set_enrol(struct sep_enrol *e, const char *school, const char *status)
{
    bool active = !strcmp(status, "active");
    if (*e->school && (e->active || !active))
        return; /* listed twice: the active row wins */
    snprintf(e->school, sizeof(e->school), "%s", school);
    snprintf(e->status, sizeof(e->status), "%s", status);
    e->active = active;
}

static int load_snapshot(struct load *l, int64_t batch, bool now)
{
    struct stmt *q = store_prepare(l->s, PUPIL_SQL);
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    size_t listed = l->np; /* sorted: the latest snapshot's pupils when this is the previous */
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        const char *key = stmt_text(q, 0);
        struct pup *p = find_in(l, key, listed);
        if (!p) {
            ALLOC_GROW(l->p, l->np + 1, l->ap);
            p = &l->p[l->np++];
            memset(p, 0, sizeof(*p));
            p->key = xstrdup(key);
            p->record_id = stmt_int(q, 1);
            p->name = xstrdup(stmt_text(q, 2));
            p->student_no = xstrdup(stmt_text(q, 3));
            p->idn = xstrdup(stmt_text(q, 4));
            p->grade = (int)stmt_int(q, 5);
            p->klass = xstrdup(stmt_text(q, 6));
        }
        set_enrol(now ? &p->f.now : &p->f.before, stmt_text(q, 7), stmt_text(q, 8));
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    /* sorted again; a pupil the snapshot lists twice merged into its first copy */
    qsort(l->p, l->np, sizeof(*l->p), cmp_pup);
    size_t k = 0;
    for (size_t i = 0; i < l->np; i++) {
        if (k && !strcmp(l->p[k - 1].key, l->p[i].key)) {
            struct sep_enrol *e = now ? &l->p[i].f.now : &l->p[i].f.before;
            set_enrol(now ? &l->p[k - 1].f.now : &l->p[k - 1].f.before, e->school, e->status);
            pup_free(&l->p[i]);
            continue;
        }
        l->p[k++] = l->p[i];
    }
    l->np = k;
    return 0;
}

static int load_schools(struct load *l, int64_t batch)
{
    struct stmt *q = store_prepare(l->s, "SELECT school_code, max(coalesce(school_name, ''))"
                                         " FROM record WHERE batch_id = $1"
                                         " AND school_code IS NOT NULL GROUP BY school_code");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(l->schools, l->nschools + 1, l->aschools);
        struct sep_school *sc = &l->schools[l->nschools++];
        snprintf(sc->code, sizeof(sc->code), "%s", stmt_text(q, 0));
        snprintf(sc->name, sizeof(sc->name), "%s", stmt_text(q, 1));
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

/* The children a case returned to a school (named by the case as the 学籍 list names it). */
static int load_returned(struct load *l)
{
    struct stmt *q = store_prepare(l->s, "SELECT ch.child_key, coalesce(cf.outcome_school, '')"
                                         " FROM case_file cf JOIN child ch ON ch.id = cf.child_id"
                                         " WHERE cf.outcome = 'returned'");
    if (!q)
        return -1;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        struct pup *p = find(l, stmt_text(q, 0));
        const char *school = stmt_text(q, 1);
        for (size_t i = 0; p && i < l->nschools; i++)
            if (!strcmp(l->schools[i].name, school) || !strcmp(l->schools[i].code, school))
                snprintf(p->f.returned_to, sizeof(p->f.returned_to), "%s", l->schools[i].code);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static int load_absences(struct load *l, int from, int to, const char *prev_at)
{
    char a[11], b[11];
    date_format(from, a);
    date_format(to, b);
    struct stmt *q = store_prepare(l->s, "SELECT pupil_key, on_date, kind, school_code,"
                                         " coalesce(note, ''), recorded_at FROM attendance"
                                         " WHERE on_date >= $1 AND on_date <= $2");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, a);
    stmt_bind_str(q, 2, b);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        if (!find(l, stmt_text(q, 0)))
            continue;
        int k = vocab_parse(&absence_kinds, stmt_text(q, 2));
        if (k < 0)
            continue;
        ALLOC_GROW(l->ab, l->nab + 1, l->aab);
        struct ab *x = &l->ab[l->nab++];
        memset(x, 0, sizeof(*x));
        x->key = xstrdup(stmt_text(q, 0));
        x->a.ymd = date_or_zero(stmt_text(q, 1));
        x->a.kind = (enum absence_kind)k;
        snprintf(x->a.school, sizeof(x->a.school), "%s", stmt_text(q, 3));
        x->a.note = xstrdup(stmt_text(q, 4));
        x->a.after_previous = *prev_at && strcmp(stmt_text(q, 5), prev_at) >= 0;
    }
    stmt_finalize(q);
    if (rc < 0)
        return -1;
    qsort(l->ab, l->nab, sizeof(*l->ab), cmp_ab);
    /* each pupil's absences: a contiguous range, copied out for the rules */
    struct sep_absence *flat = l->flat = l->nab ? xcalloc(l->nab, sizeof(*flat)) : NULL;
    for (size_t i = 0; i < l->nab; i++)
        flat[i] = l->ab[i].a;
    for (size_t i = 0; i < l->nab;) {
        size_t j = i;
        while (j < l->nab && !strcmp(l->ab[j].key, l->ab[i].key))
            j++;
        struct pup *p = find(l, l->ab[i].key);
        p->f.ab = flat + i;
        p->f.nab = j - i;
        i = j;
    }
    return 0;
}

static void load_release(struct load *l)
{
    for (size_t i = 0; i < l->np; i++)
        pup_free(&l->p[i]);
    free(l->p);
    for (size_t i = 0; i < l->nab; i++) {
        free(l->ab[i].key);
        free((char *)l->ab[i].a.note);
    }
    free(l->ab);
    free(l->flat);
    free(l->schools);
    for (size_t i = 0; i < l->ncals; i++)
        term_calendar_release(&l->cals[i].cal);
    free(l->cals);
    term_calendar_release(&l->county);
}

/* When a batch became current ("" none). */
static int batch_time(struct store *s, int64_t batch, char out[40])
{
    *out = '\0';
    if (!batch)
        return 0;
    struct stmt *q = store_prepare(s, "SELECT coalesce(decided_at, imported_at) FROM batch"
                                      " WHERE id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, batch);
    int rc = stmt_step(q);
    if (rc == 1)
        snprintf(out, 40, "%s", stmt_text(q, 0));
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

static const struct setting_field sep_fields[] = {
    {"warning_dropout_days", 0, SETTING_INT},
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The IDs the township's 户籍 list registers, sorted (a township reads its own children). */
static int township_ids(struct store *s, const char *code, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t pop;
    long rows;
    if (import_current(s, KIND_POPULATION, 0, &pop, &rows) < 0)
        return -1;
    struct stmt *q = store_prepare(s, "SELECT id_number FROM record WHERE batch_id = $1"
                                      " AND township_code = $2 AND id_number IS NOT NULL");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, pop);
    stmt_bind_str(q, 2, code);
    size_t alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*out, *n + 1, alloc);
        (*out)[(*n)++] = xstrdup(stmt_text(q, 0));
    }
    stmt_finalize(q);
    if (*n)
        qsort(*out, *n, sizeof(**out), cmp_str);
    return rc < 0 ? -1 : 0;
}

static bool registered(char **ids, size_t n, const char *key)
{
    if (strncmp(key, "I:", 2))
        return false;
    const char *id = key + 2;
    return n && bsearch(&id, ids, n, sizeof(*ids), cmp_str);
}

struct out_row {
    const struct pup *p;
    struct sep_row r;
    const char *school_name;
};

static int cmp_out(const void *a_, const void *b_)
{
    const struct out_row *a = a_, *b = b_;
    int d = strcmp(a->school_name, b->school_name);
    if (!d)
        d = strcmp(a->r.school, b->r.school);
    if (!d)
        d = (int)a->r.kind - (int)b->r.kind;
    if (!d)
        d = b->r.days - a->r.days;
    return d ? d : strcmp(a->p->key, b->p->key);
}

/* Which school the reader narrows to: a school account its own, else --school (code or name,
 * resolved in the latest list). */
static int narrow_school(const struct load *l, const char *asked, char code[32], struct outcome *o)
{
    *code = '\0';
    if (!asked || !*asked)
        return 0;
    for (size_t i = 0; i < l->nschools; i++)
        if (!strcmp(l->schools[i].code, asked) || !strcmp(l->schools[i].name, asked)) {
            snprintf(code, 32, "%s", l->schools[i].code);
            return 0;
        }
    return failed_at(o, OUT_INVALID, "school", "当前学籍名单中没有学校“%s”", asked);
}

int report_separation(struct store *s, const struct report_options *opt, struct report_table *t,
                      struct outcome *o)
{
    const struct scope *sc = opt->scope;
    if (sc && !role_reads_attendance(sc->role))
        return failed(o, OUT_FORBIDDEN, "您的账号无权查看人籍分离情况");
    const char *township = opt->township, *own = NULL;
    if (sc && !scope_filter(sc, &township, &own))
        return failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
    if (sc && sc->role == ROLE_SCHOOL && (!own || !*own))
        return failed(o, OUT_FORBIDDEN, "您的学校账号没有设置学校代码");
    char tcode[10] = "";
    const char *tname = NULL;
    if (township && *township && casework_township(s, township, tcode, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", township);
    int absent_days = 20;
    if (settings_load(s, sep_fields, ARRAY_SIZE(sep_fields), &absent_days) < 0)
        return fail_store(s, o);
    int64_t latest = 0, previous = 0;
    long rows;
    char prev_at[40];
    if (import_current(s, KIND_ENROLLMENT, 0, &latest, &rows) < 0 ||
        (latest && import_current(s, KIND_ENROLLMENT, latest, &previous, &rows) < 0) ||
        batch_time(s, previous, prev_at) < 0)
        return fail_store(s, o);
    struct load l = {.s = s};
    if (attendance_calendar(s, NULL, &l.county, o) < 0)
        return -1;
    int as_of = date_today();
    int from = term_first_day(&l.county, as_of);
    if (!from)
        from = days_to_ymd(ymd_to_days(as_of) - 180);
    char school[32] = "";
    char **ids = NULL;
    size_t nids = 0;
    int rc = 0;
    if (latest &&
        (load_snapshot(&l, latest, true) < 0 ||
         (previous && load_snapshot(&l, previous, false) < 0) || load_schools(&l, latest) < 0 ||
         load_returned(&l) < 0 || load_absences(&l, from, as_of, prev_at) < 0))
        rc = fail_store(s, o);
    if (rc == 0 && *tcode && township_ids(s, tcode, &ids, &nids) < 0)
        rc = fail_store(s, o);
    if (rc == 0)
        rc = narrow_school(&l, own ? own : opt->school, school, o);
    struct sep_context cx = {as_of,       absent_days, previous != 0, l.schools, l.nschools,
                             calendar_of, &l};
    /* a school account asks for its own school only */
    if (rc == 0 && own && opt->school && *opt->school && strcmp(opt->school, own) &&
        strcmp(opt->school, sep_school_name(&cx, own)))
        rc = failed_at(o, OUT_FORBIDDEN, "school", "学校账号只能查看本校的人籍分离情况");
    struct out_row *out = NULL;
    size_t n = 0, alloc = 0;
    long counts[SEP__COUNT] = {0};
    for (size_t i = 0; rc == 0 && i < l.np; i++) {
        const struct pup *p = &l.p[i];
        if (*tcode && !registered(ids, nids, p->key))
            continue;
        struct sep_row r[SEP__COUNT];
        size_t k = sep_rules(&cx, &p->f, r);
        for (size_t j = 0; j < k; j++) {
            if (*school && strcmp(r[j].school, school) && strcmp(r[j].other, school)) {
                sep_row_release(&r[j]);
                continue;
            }
            ALLOC_GROW(out, n + 1, alloc);
            out[n] = (struct out_row){p, r[j], sep_school_name(&cx, r[j].school)};
            counts[r[j].kind]++;
            n++;
        }
    }
    if (rc == 0 && l.failed)
        rc = fail_store(s, o);
    if (rc == 0) {
        qsort(out, n, sizeof(*out), cmp_out);
        struct view v = view_make(opt->full, as_of);
        table_init_view(t, "人籍分离情况", "pupils", cols, ARRAY_SIZE(cols), &v);
        char day[11];
        date_format(as_of, day);
        struct buf sub = BUF_INIT;
        buf_addf(&sub, "截至 %s；长期旷课 %ld 人，在他校就读 %ld 人，学籍变动与考勤不符 %ld 人",
                 day, counts[SEP_ABSENT], counts[SEP_ELSEWHERE], counts[SEP_MISMATCH]);
        table_caption(t, "人籍分离情况表", sub.buf);
        buf_release(&sub);
        for (size_t i = 0; i < n; i++) {
            const struct out_row *x = &out[i];
            table_add_row(t);
            table_setf(t, 0, "%zu", i + 1);
            table_set(t, 1, x->school_name);
            table_set(t, 2, sep_kind_label(x->r.kind));
            table_set(t, 3, x->p->name);
            table_set(t, 4, x->p->student_no);
            char m[VIEW_ID_SIZE];
            view_id(&v, x->p->idn, m);
            table_set(t, 5, m);
            table_set(t, 6, x->p->grade >= 1 && x->p->grade <= 12 ? grade_name(x->p->grade) : "");
            table_set(t, 7, x->p->klass);
            table_set(t, 8, x->r.evidence.buf ? x->r.evidence.buf : "");
            table_set(t, 9, x->r.other_name);
            table_set(t, 10, x->r.action.buf ? x->r.action.buf : "");
            if (x->r.kind == SEP_ABSENT)
                table_setf(t, 11, "%d", x->r.days);
            table_setf(t, 12, "%lld", (long long)x->p->record_id);
            table_set(t, 13, x->r.school);
            table_set(t, 14, sep_kind_key(x->r.kind));
        }
        table_meta(t, "as_of", day, META_TEXT);
        char num[24];
        snprintf(num, sizeof(num), "%d", absent_days);
        table_meta(t, "absent_days", num, META_INT);
        for (int k = 0; k < SEP__COUNT; k++) {
            char key[32];
            snprintf(key, sizeof(key), "count_%s", sep_kind_key((enum sep_kind)k));
            snprintf(num, sizeof(num), "%ld", counts[k]);
            table_meta(t, key, num, META_INT);
        }
        if (!latest)
            table_note(t, "尚未导入学籍名单，没有可核对的学生");
        table_note(t,
                   "长期旷课：学籍在本校、连续 %d 个上课日旷课至今（病假、事假不计；设置项"
                   "“人籍分离：连续旷课上课日数”）",
                   absent_days);
        table_note(t, "在他校就读：学籍在本校，但他校有该生考勤、已劝返复学至他校，或班主任在缺勤"
                      "备注中写明在他校就读");
        table_note(t, "学籍变动与考勤不符：上一次学籍名单中该生在本校、最新名单已转出或不在读，"
                      "本校在上一次学籍名单之后仍记录该生的考勤");
        table_note_view(t, &v, false);
    }
    for (size_t i = 0; i < n; i++)
        sep_row_release(&out[i].r);
    free(out);
    for (size_t i = 0; i < nids; i++)
        free(ids[i]);
    free(ids);
    load_release(&l);
    return rc;
}
