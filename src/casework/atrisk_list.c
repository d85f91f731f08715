/* 预警名单: the list of the latest run and the child record's part (atrisk.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "casework/atrisk.h"
#include "casework/atrisk_impl.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "ingest/field.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct table_col cols[] = {
    {"seq", "序号", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"school", "学校", COL_TEXT},
    {"grade", "年级", COL_TEXT},
    {"class", "班级", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"gender", "性别", COL_TEXT},
    {"age", "年龄", COL_INT},
    {"id_number", "身份证号", COL_TEXT},
    {"score", "预警分", COL_INT},
    {"factors", "预警因素", COL_TEXT},
    {"absent_days", "本学期旷课天数", COL_INT},
    {"teacher", "结对教师", COL_TEXT},
    {"paired_since", "结对日期", COL_TEXT},
    {"record_id", "记录编号", COL_INT},
    {"township_code", "乡镇代码", COL_KEY},
    {"school_code", "学校代码", COL_KEY},
};

/* A child of the list before its details are read. */
struct candidate {
    int64_t record_id, school_record;
    int age, absent_days;
    struct atrisk_score score;
};

struct collect {
    const struct atrisk_run *run;
    const struct atrisk_settings *as;
    const char *school; /* a school's account: its code */
    struct candidate *v;
    size_t n, cap;
};

static int collect_entry(void *arg, const struct run_status_entry *e)
{
    struct collect *c = arg;
    if (e->st != ST_ENROLLED)
        return 0;
    struct atrisk_facts x;
    const char *school = atrisk_facts_of(c->run, e, &x);
    if (c->school && strcmp(c->school, school))
        return 0;
    struct atrisk_score sc;
    atrisk_score(c->as, &x, &sc);
    if (sc.total < c->as->threshold || !sc.n)
        return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
    }
    c->v[c->n++] = (struct candidate){e->record_id, e->school_record, e->age, x.absent_days, sc};
    return 0;
}

/* A row of the list with its details, for sorting. */
struct row {
    const struct candidate *c;
    char tcode[10], township[64], village[64], name[64], idn[32], school[128], scode[32], klass[32],
        teacher[128], since[11];
    int gender, grade;
};

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int d = strcmp(x->tcode, y->tcode);
    if (!d)
        d = strcmp(x->school, y->school);
    if (!d)
        d = y->c->score.total - x->c->score.total;
    return d ? d : (x->c->record_id > y->c->record_id) - (x->c->record_id < y->c->record_id);
}

static int row_details(struct store *s, struct stmt *q, const struct candidate *c, struct row *r)
{
    stmt_reset(q);
    stmt_bind_int(q, 1, c->record_id);
    stmt_bind_int(q, 2, c->school_record);
    int rc = stmt_step(q);
    if (rc != 1)
        return rc < 0 ? -1 : 0;
    memset(r, 0, sizeof(*r));
    r->c = c;
    snprintf(r->tcode, sizeof(r->tcode), "%s", stmt_text(q, 0));
    snprintf(r->township, sizeof(r->township), "%s", stmt_text(q, 1));
    snprintf(r->name, sizeof(r->name), "%s", stmt_text(q, 2));
    r->gender = (int)stmt_int(q, 3);
    snprintf(r->idn, sizeof(r->idn), "%s", stmt_text(q, 4));
    snprintf(r->school, sizeof(r->school), "%s", stmt_text(q, 5));
    snprintf(r->scode, sizeof(r->scode), "%s", stmt_text(q, 6));
    snprintf(r->klass, sizeof(r->klass), "%s", stmt_text(q, 7));
    r->grade = (int)stmt_int(q, 8);
    struct buf key = BUF_INIT;
    child_key(stmt_is_null(q, 9) ? NULL : stmt_text(q, 9), (int)stmt_int(q, 10), stmt_text(q, 11),
              stmt_text(q, 12), r->gender, &key);
    int64_t child = 0, pid, person;
    const char *p[] = {key.buf};
    rc = store_int(s, "SELECT id FROM child WHERE child_key = $1", 1, p, &child);
    buf_release(&key);
    if (rc >= 0 && child)
        rc = pairing_current(s, child, &pid, &person, r->teacher, r->since);
    return rc < 0 ? -1 : 1;
}

#define DETAILS_SQL                                                                                \
    "SELECT coalesce(p.township_code, ''), coalesce(p.township, ''), coalesce(p.name, ''),"        \
    " coalesce(p.gender, 0), coalesce(p.id_number, p.id_raw, ''), coalesce(r.school_name, ''),"    \
    " coalesce(r.school_code, ''), coalesce(r.class, ''), coalesce(r.grade, 0), p.id_number,"      \
    " coalesce(p.id_flags, 0), coalesce(p.name_key, ''), coalesce(p.birth_date, '')"               \
    " FROM record p LEFT JOIN record r ON r.id = $2 WHERE p.id = $1"

int atrisk_table(struct store *s, const struct scope *sc, const struct atrisk_filter *f,
                 struct report_table *t, struct outcome *o)
{
    if (sc && !role_reads_atrisk(sc->role))
        return failed(o, OUT_FORBIDDEN, "您的账号无权查看预警名单");
    const char *township = f->township, *school = NULL;
    if (sc && !scope_filter(sc, &township, &school))
        return failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
    if (school && !*school)
        return failed(o, OUT_FORBIDDEN, "您的学校账号没有设置学校代码");
    char code[10] = "";
    const char *tname = NULL;
    if (township && *township && !school && casework_township(s, township, code, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", township);
    struct run_info ri;
    struct atrisk_settings as;
    if (run_info_load(s, 0, &ri, o) < 0 || atrisk_settings_load(s, &as, o) < 0)
        return -1;
    struct atrisk_run run;
    if (atrisk_run_load(s, &ri, &run) < 0)
        return fail_store(s, o);
    struct collect c = {.run = &run, .as = &as, .school = school};
    int rc = run_status_each(s, ri.id, collect_entry, &c);
    struct stmt *q = rc == 0 ? store_prepare(s, DETAILS_SQL) : NULL;
    struct row *rows = c.n ? xcalloc(c.n, sizeof(*rows)) : NULL;
    size_t n = 0;
    for (size_t i = 0; q && i < c.n; i++) {
        int got = row_details(s, q, &c.v[i], &rows[n]);
        if (got < 0) {
            rc = -1;
            break;
        }
        /* a township's list: the children of its register township (tname: as imported) */
        if (got && (!*code || !strcmp(rows[n].tcode, code) ||
                    (!*rows[n].tcode && tname && !strcmp(rows[n].township, tname))))
            n++;
    }
    stmt_finalize(q);
    atrisk_run_release(&run);
    if (rc != 0 || (c.n && !q)) {
        free(rows);
        free(c.v);
        return rc == -2 ? failed(o, OUT_ERROR, "比对结果数据已损坏，请重新比对") : fail_store(s, o);
    }
    qsort(rows, n, sizeof(*rows), cmp_row);
    struct view v = view_make(f->full, ri.cutoff);
    table_init_view(t, "预警名单", "children", cols, ARRAY_SIZE(cols), &v);
    struct buf b = BUF_INIT;
    long paired = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        table_add_row(t);
        table_setf(t, 0, "%zu", i + 1);
        table_set(t, 1, *r->township ? r->township : "（未填乡镇）");
        table_set(t, 2, r->school);
        table_set(t, 3, r->grade >= 1 && r->grade <= 12 ? grade_name(r->grade) : "");
        table_set(t, 4, r->klass);
        table_set(t, 5, r->name);
        table_set(t, 6, gender_label(r->gender));
        if (r->c->age >= 0)
            table_setf(t, 7, "%d", r->c->age);
        char m[VIEW_ID_SIZE];
        view_id(&v, r->idn, m);
        table_set(t, 8, m);
        table_setf(t, 9, "%d", r->c->score.total);
        buf_reset(&b);
        atrisk_explain(&r->c->score, &b);
        table_set(t, 10, b.buf);
        table_setf(t, 11, "%d", r->c->absent_days);
        table_set(t, 12, r->teacher);
        table_set(t, 13, r->since);
        table_setf(t, 14, "%lld", (long long)r->c->record_id);
        table_set(t, 15, r->tcode);
        table_set(t, 16, r->scode);
        paired += *r->teacher != '\0';
    }
    buf_release(&b);
    free(rows);
    free(c.v);
    char ns[24];
    snprintf(ns, sizeof(ns), "%zu", n);
    table_meta(t, "as_of", ri.as_of, META_TEXT);
    table_meta(t, "total", ns, META_INT);
    table_meta(t, "masked", f->full ? "false" : "true", META_BOOL);
    table_note(t, "预警分是各预警因素的分值之和（分值在设置中），达到 %d 分的在校儿童列入名单。",
               as.threshold);
    if (as.weight[RISK_ABSENCE] > 0 && as.absence_cap > 0)
        table_note(t, "旷课按本学期的上课日计，每天 %d 分，最多 %d 分。", as.weight[RISK_ABSENCE],
                   as.absence_cap);
    else if (as.weight[RISK_ABSENCE] > 0)
        table_note(t, "旷课按本学期的上课日计，每天 %d 分。", as.weight[RISK_ABSENCE]);
    table_note_view(t, &v, false);
    buf_addf(&t->footer, "\n预警名单 %zu 人，其中已结对 %ld 人（比对截至 %s）%s\n", n, paired,
             ri.as_of, f->full ? "" : "。身份证号已遮盖");
    return 0;
}

/* ---- the child record ---- */

int atrisk_child_json(struct store *s, const struct scope *sc, int64_t record_id, json_t *root)
{
    struct run_info ri;
    struct outcome o = OUTCOME_INIT;
    if (run_info_load(s, 0, &ri, &o) < 0) {
        int no_run = o.kind == OUT_NO_RUN;
        outcome_release(&o);
        if (no_run) {
            json_object_set_new(root, "at_risk", json_null());
            return 0;
        }
        return -1;
    }
    struct run_status_entry e;
    int got = run_status_get(s, ri.id, record_id, &e);
    if (got <= 0) {
        json_object_set_new(root, "at_risk", json_null());
        return got;
    }
    struct atrisk_settings as;
    if (atrisk_settings_load(s, &as, &o) < 0) {
        outcome_release(&o);
        return -1;
    }
    /* one child: the run's facts narrowed to it (its 学籍 record, its groups, its case) */
    struct atrisk_run run = {0};
    struct atrisk_facts x = {.age = e.age};
    char school[32] = "";
    if (atrisk_run_one(s, &ri, &e, &run) < 0)
        return -1;
    snprintf(school, sizeof(school), "%s", atrisk_facts_of(&run, &e, &x));
    /* scored before the run's facts are released: x.case_state points into them */
    struct atrisk_score score;
    atrisk_score(&as, &x, &score);
    atrisk_run_release(&run);
    bool in_school = e.st == ST_ENROLLED;
    json_t *factors = json_array();
    for (int i = 0; i < score.n; i++)
        json_array_append_new(factors,
                              json_pack("{s:s, s:s, s:i, s:s}", "key",
                                        atrisk_factors.words[score.f[i].factor].key, "label",
                                        atrisk_factors.words[score.f[i].factor].label, "weight",
                                        score.f[i].weight, "detail", score.f[i].detail));
    json_t *j =
        json_pack("{s:b, s:i, s:i, s:b, s:o, s:o, s:b}", "in_school", in_school, "score",
                  score.total, "threshold", as.threshold, "listed",
                  in_school && score.n && score.total >= as.threshold, "factors", factors,
                  "pairing", json_null(), "may_pair", in_school && pairing_allowed(sc, school));
    int64_t child = casework_child_row(s, record_id, ri.id, false);
    if (child < 0) {
        json_decref(j);
        return -1;
    }
    int64_t pid = 0, person = 0;
    char teacher[128] = "", since[11] = "";
    int rc = child ? pairing_current(s, child, &pid, &person, teacher, since) : 0;
    if (rc < 0) {
        json_decref(j);
        return -1;
    }
    if (rc == 1)
        json_object_set_new(j, "pairing",
                            json_pack("{s:I, s:s, s:I, s:s}", "id", (json_int_t)pid, "teacher",
                                      teacher, "teacher_id", (json_int_t)person, "since", since));
    json_object_set_new(root, "at_risk", j);
    return 0;
}
