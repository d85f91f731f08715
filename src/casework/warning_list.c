/* Reading the attendance warnings: the board, the report, the child record (warning.h). */
#include "casework/warning.h"

#include <stdlib.h>
#include <string.h>

#include "casework/attendance_impl.h"
#include "casework/warning_impl.h"
#include "casework/casework.h"
#include "casework/people.h"
#include "core/date.h"
#include "core/schoolyear.h"
#include "core/view.h"
#include "core/words.h"
#include "domain/run.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct table_col cols[] = {
    {"seq", "序号", COL_INT},
    {"id", "预警编号", COL_INT},
    {"school", "学校", COL_TEXT},
    {"grade", "年级", COL_TEXT},
    {"class", "班级", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"kind", "预警类型", COL_TEXT},
    {"consecutive_days", "旷课（病假）天数", COL_INT},
    {"first_day", "起始日期", COL_TEXT},
    {"last_day", "最近缺课日期", COL_TEXT},
    {"state", "状态", COL_TEXT},
    {"handled_by", "处理层级", COL_TEXT},
    {"deadline", "处理期限", COL_TEXT},
    {"person", "联系人", COL_TEXT},
    {"outcome", "联系结果", COL_TEXT},
    {"evidence", "预警说明", COL_TEXT},
    {"task_id", "核查任务", COL_INT},
    {"township", "乡镇", COL_TEXT},
    {"record_id", "学籍记录编号", COL_INT},
    {"child_record", "户籍记录编号", COL_INT},
    {"kind_key", "预警类型代码", COL_KEY},
    {"state_key", "状态代码", COL_KEY},
    {"school_code", "学校代码", COL_KEY},
};
enum {
    C_SEQ,
    C_ID,
    C_SCHOOL,
    C_GRADE,
    C_CLASS,
    C_NAME,
    C_IDN,
    C_KIND,
    C_DAYS,
    C_FIRST,
    C_LAST,
    C_STATE,
    C_LEVEL,
    C_DEADLINE,
    C_PERSON,
    C_OUTCOME,
    C_EVIDENCE,
    C_TASK,
    C_TOWNSHIP,
    C_RECORD,
    C_CHILD,
    C_KIND_KEY,
    C_STATE_KEY,
    C_SCHOOL_CODE,
};

#define ROW_SQL                                                                                    \
    "SELECT w.id, w.kind, w.first_day, w.last_day, w.days, w.level, w.state,"                      \
    " coalesce(w.escalated_to, ''), w.deadline, w.township_due, coalesce(w.person, ''),"           \
    " coalesce(w.outcome, ''), coalesce(w.task_id, 0), w.school_code, coalesce(w.grade, 0),"       \
    " coalesce(w.class, ''), coalesce(w.record_id, 0), coalesce(w.child_record, 0),"               \
    " coalesce(w.township_code, ''), coalesce(r.name, ''),"                                        \
    " coalesce(r.id_number, r.id_raw, ''), coalesce(r.school_name, w.school_code),"                \
    " coalesce(w.contacted_on, ''), coalesce(w.resolved_on, ''), w.opened_on,"                     \
    " coalesce(p.township, '')"                                                                    \
    " FROM warning w LEFT JOIN record r ON r.id = w.record_id"                                     \
    " LEFT JOIN record p ON p.id = w.child_record"

static void wrow_read(struct stmt *q, struct wrow *w, int today)
{
    memset(w, 0, sizeof(*w));
    w->id = stmt_int(q, 0);
    snprintf(w->kind, sizeof(w->kind), "%s", stmt_text(q, 1));
    snprintf(w->first, sizeof(w->first), "%s", stmt_text(q, 2));
    snprintf(w->last, sizeof(w->last), "%s", stmt_text(q, 3));
    w->days = (int)stmt_int(q, 4);
    w->level = (int)stmt_int(q, 5);
    snprintf(w->state, sizeof(w->state), "%s", stmt_text(q, 6));
    snprintf(w->to, sizeof(w->to), "%s", stmt_text(q, 7));
    snprintf(w->deadline, sizeof(w->deadline), "%s", stmt_text(q, 8));
    snprintf(w->township_due, sizeof(w->township_due), "%s", stmt_text(q, 9));
    snprintf(w->person, sizeof(w->person), "%s", stmt_text(q, 10));
    snprintf(w->outcome, sizeof(w->outcome), "%s", stmt_text(q, 11));
    w->task = stmt_int(q, 12);
    snprintf(w->school, sizeof(w->school), "%s", stmt_text(q, 13));
    w->grade = (int)stmt_int(q, 14);
    snprintf(w->klass, sizeof(w->klass), "%s", stmt_text(q, 15));
    w->record = stmt_int(q, 16);
    w->child = stmt_int(q, 17);
    snprintf(w->tcode, sizeof(w->tcode), "%s", stmt_text(q, 18));
    snprintf(w->name, sizeof(w->name), "%s", stmt_text(q, 19));
    snprintf(w->idn, sizeof(w->idn), "%s", stmt_text(q, 20));
    snprintf(w->school_name, sizeof(w->school_name), "%s", stmt_text(q, 21));
    snprintf(w->contacted, sizeof(w->contacted), "%s", stmt_text(q, 22));
    snprintf(w->resolved, sizeof(w->resolved), "%s", stmt_text(q, 23));
    snprintf(w->opened, sizeof(w->opened), "%s", stmt_text(q, 24));
    snprintf(w->township, sizeof(w->township), "%s", stmt_text(q, 25));
    const char *to;
    snprintf(w->eff, sizeof(w->eff), "%s",
             warning_effective(w->state, w->to, w->deadline, w->township_due, today, &to));
    snprintf(w->eto, sizeof(w->eto), "%s", to);
    w->rank = !strcmp(w->eff, "resolved")    ? 4
              : !strcmp(w->eff, "contacted") ? 3
              : !strcmp(w->eff, "new")       ? 2
              : !strcmp(w->eto, "head")      ? 1
                                             : 0;
}

int warning_row(struct store *s, int64_t id, int today, struct wrow *w)
{
    struct stmt *q = store_prepare(s, ROW_SQL " WHERE w.id = $1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, id);
    int rc = stmt_step(q);
    if (rc == 1)
        wrow_read(q, w, today);
    stmt_finalize(q);
    return rc;
}

/* Who has the warning now, in words. */
static const char *holder(const struct wrow *w)
{
    if (!strcmp(w->eff, "resolved"))
        return "";
    if (!strcmp(w->eto, "township"))
        return !strcmp(w->state, "new") ? "乡镇（学校逾期未处理）" : "乡镇";
    if (!strcmp(w->eto, "head"))
        return "校长（班主任逾期未处理）";
    return "班主任";
}

/* The state as a person reads it. */
static const char *state_text(const struct wrow *w)
{
    if (!strcmp(w->eff, "escalated"))
        return !strcmp(w->eto, "head") ? "逾期未处理" : "已上报乡镇";
    return vocab_label(&warning_states, w->eff);
}

static void evidence(const struct wrow *w, struct buf *out)
{
    if (!strcmp(w->kind, "absent")) {
        buf_addf(out, "自 %s 起连续 %d 个上课日旷课", w->first, w->days);
        if (w->level == 2)
            buf_adds(out, "；已达辍学标准，学校须将学籍标为辍学并继续劝返");
        else if (w->level == 1)
            buf_adds(out, "；疑似辍学，已报乡镇核查");
        else
            buf_adds(out, "；班主任当天联系家长并家访");
    } else if (!strcmp(w->kind, "monthly")) {
        int ymd = date_or_zero(w->first);
        buf_addf(out, "%d年%d月累计旷课 %d 个上课日", ymd_year(ymd), ymd_month(ymd), w->days);
    } else {
        buf_addf(out,
                 "自 %s 起连续 %d 个上课日病假，请在疾病台帐登记并随访（可申请送教上门或缓学）",
                 w->first, w->days);
    }
}

static int cmp_wrow(const void *a, const void *b)
{
    const struct wrow *x = a, *y = b;
    int d = x->rank - y->rank;
    if (!d)
        d = y->level - x->level;
    if (!d)
        d = y->days - x->days;
    if (!d)
        d = strcmp(x->school_name, y->school_name);
    if (!d)
        d = x->grade - y->grade;
    if (!d)
        d = strcmp(x->klass, y->klass);
    return d ? d : (x->id > y->id) - (x->id < y->id);
}

/* Does the effective state match the filter word ("open": not resolved)? */
static bool state_matches(const struct wrow *w, const char *want)
{
    if (!want || !*want)
        return true;
    if (!strcmp(want, "open"))
        return strcmp(w->eff, "resolved") != 0;
    return !strcmp(w->eff, want);
}

int warning_table(struct store *s, const struct scope *sc, const struct warning_filter *f,
                  struct report_table *t, struct outcome *o)
{
    if (sc && !role_reads_atrisk(sc->role))
        return failed(o, OUT_FORBIDDEN, "您的账号无权查看考勤预警");
    const char *state = NULL;
    if (f->state && *f->state && strcmp(f->state, "all") && strcmp(f->state, "全部")) {
        if (!strcmp(f->state, "open") || !strcmp(f->state, "未解除")) {
            state = "open";
        } else {
            int k = vocab_parse(&warning_states, f->state);
            if (k < 0)
                return failed_at(
                    o, OUT_INVALID, "state",
                    "“%s”不是预警状态，应为：新预警、已联系家长、已上报、已解除或未解除", f->state);
            state = warning_states.words[k].key;
        }
    }
    const char *kind = NULL;
    if (f->kind && *f->kind) {
        int k = vocab_parse(&warning_kinds, f->kind);
        if (k < 0)
            return failed_at(o, OUT_INVALID, "kind",
                             "“%s”不是预警类型，应为：连续旷课、当月累计旷课或长期病假", f->kind);
        kind = warning_kinds.words[k].key;
    }
    char school[32] = "", sname[128] = "";
    if ((sc && sc->role == ROLE_SCHOOL) || (f->school && *f->school)) {
        if (att_school(s, sc, f->school, school, sname, o) < 0)
            return -1;
    }
    const char *township = f->township, *own_school = NULL;
    if (sc && !scope_filter(sc, &township, &own_school))
        return failed(o, OUT_NOT_FOUND, "没有这个乡镇，或不在您的管辖范围内");
    char tcode[10] = "";
    const char *tname = NULL;
    if (township && *township && casework_township(s, township, tcode, &tname) < 0)
        return failed_at(o, OUT_INVALID, "township", "乡镇“%s”不是本县的乡镇", township);
    int today = f->today ? f->today : date_today();
    struct stmt *q = store_prepare(s, ROW_SQL " WHERE (coalesce($1, '') = '' OR w.school_code = $1)"
                                              " AND (coalesce($2, '') = '' OR w.township_code = $2)"
                                              " AND (coalesce($3, '') = '' OR w.kind = $3)");
    if (!q)
        return fail_store(s, o);
    stmt_bind_str(q, 1, school);
    stmt_bind_str(q, 2, tcode);
    stmt_bind_str(q, 3, kind ? kind : "");
    struct wrow *v = NULL;
    size_t n = 0, alloc = 0;
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(v, n + 1, alloc);
        wrow_read(q, &v[n], today);
        if (state_matches(&v[n], state))
            n++;
    }
    stmt_finalize(q);
    if (rc < 0) {
        free(v);
        return fail_store(s, o);
    }
    if (n)
        qsort(v, n, sizeof(*v), cmp_wrow);
    struct run_info ri;
    struct outcome ro = OUTCOME_INIT;
    int cutoff = run_info_load(s, 0, &ri, &ro) == 0 ? ri.cutoff : today;
    outcome_release(&ro);
    struct view view = view_make(f->full, cutoff);
    table_init_view(t, "考勤预警", "warnings", cols, ARRAY_SIZE(cols), &view);
    struct buf b = BUF_INIT;
    long counts[5] = {0};
    for (size_t i = 0; i < n; i++) {
        const struct wrow *w = &v[i];
        counts[w->rank]++;
        table_add_row(t);
        table_setf(t, C_SEQ, "%zu", i + 1);
        table_setf(t, C_ID, "%lld", (long long)w->id);
        table_set(t, C_SCHOOL, w->school_name);
        table_set(t, C_GRADE, w->grade >= 1 && w->grade <= 12 ? grade_name(w->grade) : "");
        table_set(t, C_CLASS, w->klass);
        table_set(t, C_NAME, w->name);
        char m[VIEW_ID_SIZE];
        view_id(&view, w->idn, m);
        table_set(t, C_IDN, m);
        table_set(t, C_KIND, vocab_label(&warning_kinds, w->kind));
        table_setf(t, C_DAYS, "%d", w->days);
        table_set(t, C_FIRST, w->first);
        table_set(t, C_LAST, w->last);
        table_set(t, C_STATE, state_text(w));
        table_set(t, C_LEVEL, holder(w));
        table_set(t, C_DEADLINE, strcmp(w->eff, "resolved") ? w->deadline : "");
        table_set(t, C_PERSON, w->person);
        table_set(t, C_OUTCOME, w->outcome);
        buf_reset(&b);
        evidence(w, &b);
        table_set(t, C_EVIDENCE, b.buf);
        if (w->task)
            table_setf(t, C_TASK, "%lld", (long long)w->task);
        table_set(t, C_TOWNSHIP, w->tcode);
        if (w->record)
            table_setf(t, C_RECORD, "%lld", (long long)w->record);
        if (w->child)
            table_setf(t, C_CHILD, "%lld", (long long)w->child);
        table_set(t, C_KIND_KEY, w->kind);
        table_set(t, C_STATE_KEY, w->eff);
        table_set(t, C_SCHOOL_CODE, w->school);
    }
    buf_release(&b);
    free(v);
    char as_of[11], ns[24];
    date_format(today, as_of);
    snprintf(ns, sizeof(ns), "%zu", n);
    table_meta(t, "as_of", as_of, META_TEXT);
    table_meta(t, "total", ns, META_INT);
    table_meta(t, "masked", f->full ? "false" : "true", META_BOOL);
    if (*sname)
        table_caption(t, "考勤预警", sname);
    table_note(t, "只计上课日；病假、事假不计旷课。学校未按期处理的预警先转校长，再报乡镇。");
    table_note_view(t, &view, false);
    buf_addf(&t->footer,
             "\n考勤预警 %zu 条（%s）：已上报乡镇 %ld，逾期转校长 %ld，新预警 %ld，已联系家长 %ld，"
             "已解除 %ld%s\n",
             n, as_of, counts[0], counts[1], counts[2], counts[3], counts[4],
             f->full ? "" : "。身份证号已遮盖");
    return 0;
}

/* ---- one warning, with its history ---- */

static json_t *wrow_json(const struct wrow *w)
{
    struct buf b = BUF_INIT;
    evidence(w, &b);
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
        " s:o, s:s, s:s, s:s, s:i}",
        "id", (json_int_t)w->id, "kind", w->kind, "kind_label",
        vocab_label(&warning_kinds, w->kind), "first_day", w->first, "last_day", w->last, "days",
        w->days, "level", w->level, "state", w->eff, "state_label", state_text(w), "escalated_to",
        w->eto, "holder", holder(w), "deadline", w->deadline, "township_due", w->township_due,
        "person", w->person, "outcome", w->outcome, "evidence", b.buf, "school", w->school_name,
        "task_id", w->task ? json_integer(w->task) : json_null(), "opened_on", w->opened, "class",
        w->klass, "name", w->name, "grade", w->grade);
    buf_release(&b);
    return j;
}

static json_t *history(struct store *s, int64_t id)
{
    struct stmt *q = store_prepare(s, "SELECT on_date, action, text, actor FROM warning_event"
                                      " WHERE warning_id = $1 ORDER BY id");
    json_t *a = json_array();
    if (!q)
        return a;
    stmt_bind_int(q, 1, id);
    while (stmt_step(q) == 1)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "on", stmt_text(q, 0), "action",
                                           stmt_text(q, 1), "text", stmt_text(q, 2), "actor",
                                           stmt_text(q, 3)));
    stmt_finalize(q);
    return a;
}

/* May the scope read warning `w`? (a school its own, a township its township's) */
static bool reaches(const struct scope *sc, const struct wrow *w)
{
    if (!sc || sc->role == ROLE_ADMIN || sc->role == ROLE_COUNTY || sc->role == ROLE_SUPERVISOR)
        return true;
    if (sc->role == ROLE_SCHOOL)
        return sc->school && !strcmp(sc->school, w->school);
    if (sc->role == ROLE_TOWNSHIP)
        return sc->township && !strcmp(sc->township, w->tcode);
    return false;
}

/* What the scope may do to the warning: "contact", "resolve", "escalate". */
static json_t *may(const struct scope *sc, const struct wrow *w)
{
    json_t *a = json_array();
    if (!strcmp(w->state, "resolved") || (sc && sc->role == ROLE_SUPERVISOR))
        return a;
    bool school = !sc || sc->role != ROLE_TOWNSHIP;
    if (!school && strcmp(w->eto, "township"))
        return a;
    json_array_append_new(a, json_string("contact"));
    json_array_append_new(a, json_string("resolve"));
    if (school && !(!strcmp(w->state, "escalated") && !strcmp(w->to, "township")))
        json_array_append_new(a, json_string("escalate"));
    return a;
}

json_t *warning_json(struct store *s, const struct scope *sc, int64_t id, struct outcome *o)
{
    if (sc && !role_reads_atrisk(sc->role)) {
        failed(o, OUT_FORBIDDEN, "您的账号无权查看考勤预警");
        return NULL;
    }
    struct wrow w;
    int rc = warning_row(s, id, date_today(), &w);
    if (rc < 0) {
        fail_store(s, o);
        return NULL;
    }
    if (rc == 0 || !reaches(sc, &w)) {
        failed(o, OUT_NOT_FOUND, "没有编号为 %lld 的考勤预警，或不在您的管辖范围内", (long long)id);
        return NULL;
    }
    json_t *j = wrow_json(&w);
    json_object_set_new(j, "history", history(s, id));
    json_object_set_new(j, "may", may(sc, &w));
    if (w.child)
        json_object_set_new(j, "child_record", json_integer(w.child));
    return j;
}

int warning_child_json(struct store *s, const struct scope *sc, int64_t record_id, json_t *root)
{
    json_t *a = json_array();
    json_object_set_new(root, "warnings", a);
    if (sc && !role_reads_atrisk(sc->role))
        return 0;
    /* the child's warnings by its key: those of every 学籍 record it had */
    struct stmt *k =
        store_prepare(s, "SELECT " CHILD_KEY_SQL("r") " FROM record r WHERE r.id = $1");
    if (!k)
        return -1;
    stmt_bind_int(k, 1, record_id);
    char key[128] = "";
    int rc = stmt_step(k);
    if (rc == 1)
        snprintf(key, sizeof(key), "%s", stmt_text(k, 0));
    stmt_finalize(k);
    if (rc <= 0)
        return rc;
    struct stmt *q = store_prepare(s, ROW_SQL " WHERE w.pupil_key = $1 ORDER BY w.id DESC");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, key);
    int today = date_today();
    struct wrow w;
    int64_t ids[64];
    size_t n = 0;
    while ((rc = stmt_step(q)) == 1 && n < ARRAY_SIZE(ids)) {
        wrow_read(q, &w, today);
        if (!reaches(sc, &w))
            continue;
        json_t *j = wrow_json(&w);
        json_object_set_new(j, "may", may(sc, &w));
        json_array_append_new(a, j);
        ids[n++] = w.id;
    }
    stmt_finalize(q);
    for (size_t i = 0; i < n; i++)
        json_object_set_new(json_array_get(a, i), "history", history(s, ids[i]));
    return rc < 0 ? -1 : 0;
}

int warning_task_evidence(struct store *s, int64_t task, struct buf *out)
{
    struct stmt *q = store_prepare(s, ROW_SQL " WHERE w.task_id = $1 ORDER BY w.id LIMIT 1");
    if (!q)
        return -1;
    stmt_bind_int(q, 1, task);
    int rc = stmt_step(q);
    if (rc == 1) {
        struct wrow w;
        wrow_read(q, &w, date_today());
        buf_addf(out, "考勤预警 %lld（%s）：", (long long)w.id, w.school_name);
        evidence(&w, out);
        if (w.level < 2)
            buf_adds(out, "。连续旷课满规定天数后，学校须将学籍标为辍学");
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}

int warning_due_each(struct store *s, const char *tcode,
                     void (*fn)(void *ctx, const struct warning_due *d), void *ctx)
{
    struct stmt *q = store_prepare(s, ROW_SQL " WHERE w.state <> 'resolved'"
                                              " AND (coalesce($1, '') = '' OR w.township_code = $1)"
                                              " ORDER BY w.id");
    if (!q)
        return -1;
    stmt_bind_str(q, 1, tcode);
    int today = date_today(), rc;
    struct wrow w;
    while ((rc = stmt_step(q)) == 1) {
        wrow_read(q, &w, today);
        /* (one with a verification task is the township's as that task) */
        if (strcmp(w.eto, "township") || w.task)
            continue;
        struct warning_due d = {
            .id = w.id, .child_record = w.child, .due = date_or_zero(w.township_due)};
        snprintf(d.tcode, sizeof(d.tcode), "%s", w.tcode);
        snprintf(d.township, sizeof(d.township), "%s", w.township);
        snprintf(d.name, sizeof(d.name), "%s", w.name);
        snprintf(d.what, sizeof(d.what), "考勤预警：%s %d 个上课日%s",
                 vocab_label(&warning_kinds, w.kind), w.days,
                 strcmp(w.state, "new") ? "（学校上报）" : "（学校逾期未处理）");
        fn(ctx, &d);
    }
    stmt_finalize(q);
    return rc < 0 ? -1 : 0;
}
