/*
 * 走访清单 (issue 14): per village, the children to visit — every open verification task and
 * every case in 劝返 — with what the cadre needs at the door (guardian, phone, address, what is
 * due and by when) and blank boxes for what was found, the date and the signature. Printed
 * (table_pdf: a page per village, its foot a signature line) or as xlsx.
 *
 * The guardian's phone and the home address are whole for the accounts that reach them on the
 * task or case page (scope's ACT_CONTACT: the township's own cadres), each such read audited
 * against its task or case; a county account has them with full (audited by the front end as
 * every full export); anyone else reads them masked, the address left out.
 */
#include "report/reports.h"
#include "report/ledger_impl.h"

#include "casework/casework.h"
#include "core/date.h"
#include "core/schoolyear.h"
#include "core/words.h"
#include "domain/match.h"
#include "domain/run.h"
#include "ingest/category.h"
#include "ingest/field.h"
#include "store/audit.h"
#include "store/store.h"
#include "util/common.h"

enum {
    V_SEQ,
    V_VILLAGE,
    V_NAME,
    V_GROUPS,
    V_GENDER,
    V_AGE,
    V_GUARDIAN,
    V_PHONE,
    V_ADDRESS,
    V_WHAT,
    V_STATE,
    V_DUE,
    V_OUTCOME,
    V_DATE,
    V_SIGN,
    V_TOWNSHIP,
    V_TARGET,
    V__COUNT
};

static const struct table_col visit_cols[V__COUNT] = {
    [V_SEQ] = {"seq", "序号", COL_INT},
    [V_VILLAGE] = {"village", "村（社区）", COL_TEXT},
    [V_NAME] = {"name", "姓名", COL_TEXT},
    [V_GROUPS] = {"groups", "重点群体", COL_WORDS},
    [V_GENDER] = {"gender", "性别", COL_TEXT},
    [V_AGE] = {"age_grade", "年龄、应读年级", COL_TEXT},
    [V_GUARDIAN] = {"guardian", "监护人", COL_TEXT},
    [V_PHONE] = {"phone", "监护人电话", COL_TEXT},
    [V_ADDRESS] = {"address", "家庭住址", COL_TEXT},
    [V_WHAT] = {"work", "走访事项", COL_TEXT},
    [V_STATE] = {"state", "状态", COL_TEXT},
    [V_DUE] = {"due", "截止日期", COL_TEXT},
    [V_OUTCOME] = {"outcome", "走访结果（手填）", COL_TEXT},
    [V_DATE] = {"visited_on", "走访日期", COL_TEXT},
    [V_SIGN] = {"signature", "走访人签名", COL_TEXT},
    [V_TOWNSHIP] = {"township", "乡镇", COL_TEXT},
    [V_TARGET] = {"object", "任务或案件", COL_TEXT},
};

/* the shares of the page's width; 重点群体 beside the name takes what the handwritten result,
 * the address and the item can spare (about the same total as before it) */
static const struct table_pdf_col visit_pdf_cols[] = {
    {"seq", 3.6},      {"name", 5.5},   {"groups", 5.5},   {"gender", 3.4},    {"age_grade", 8.5},
    {"guardian", 5.5}, {"phone", 9.5},  {"address", 8.5},  {"work", 9},        {"state", 5},
    {"due", 7.5},      {"outcome", 11}, {"visited_on", 6}, {"signature", 7.5},
};

static const struct table_pdf visit_pdf = {
    visit_pdf_cols, ARRAY_SIZE(visit_pdf_cols), "village", 13,
    "走访人（签名）：　　　　　　　　　村（社区）负责人（签名）：　　　　　　　　　"
    "交回日期：　　　　年　　月　　日"};

/* One child to visit: a task or a case. */
struct visit {
    bool is_case;
    int64_t id;
    char *township_code, *township, *village, *name, *birth, *guardian, *phone, *address;
    int gender;
    char what[96];
    const char *state; /* a label of task_states / case_states */
    int due;           /* ymd, 0 none */
    int64_t child_id;
    unsigned groups; /* its priority groups (issue 15): first in its village */
};

static void visit_release(struct visit *v)
{
    free(v->township_code);
    free(v->township);
    free(v->village);
    free(v->name);
    free(v->birth);
    free(v->guardian);
    free(v->phone);
    free(v->address);
}

static int cmp_visit(const void *a, const void *b)
{
    const struct visit *x = a, *y = b;
    int c = strcmp(x->township_code, y->township_code);
    if (!c)
        c = strcmp(x->village, y->village);
    /* the priority groups' children first (issue 15) */
    if (!c)
        c = (y->groups != 0) - (x->groups != 0);
    /* the most urgent first; what has no date last */
    if (!c)
        c = (x->due ? x->due : 99999999) - (y->due ? y->due : 99999999);
    if (!c)
        c = strcmp(x->name, y->name);
    if (!c)
        c = (x->is_case - y->is_case) ? (x->is_case - y->is_case)
                                      : (x->id > y->id) - (x->id < y->id);
    return c;
}

/* The columns both queries give first: 0 id, 1 township code, 2 township, 3 village, 4 name,
 * 5 gender, 6 birth, 7 guardian, 8 phone, 9 address, 10 child, 11 state, 12 its date */
#define VISIT_COLUMNS(O)                                                                           \
    O ".id, coalesce(" O ".township_code, ''), coalesce(" O ".township, ''),"                      \
      " coalesce(r.village, ''), coalesce(r.name, ''), coalesce(r.gender, 0),"                     \
      " coalesce(r.birth_date, ''), coalesce(r.guardian, ''), coalesce(r.phone, ''),"              \
      " coalesce(r.address, ''), " O ".child_id, " O ".state, "
#define VISIT_FILTER(O)                                                                            \
    " AND (CAST($1 AS TEXT) IS NULL OR " O ".township_code = $1)"                                  \
    " AND (CAST($2 AS TEXT) IS NULL OR coalesce(r.village, '') = $2)"

static const char *const tasks_sql =
    "SELECT " VISIT_COLUMNS("v") "v.deadline FROM verify_task v JOIN record r ON r.id = v.record_id"
                                 " WHERE v.state <> 'closed' AND NOT EXISTS (SELECT 1 FROM "
                                 "case_file c WHERE c.task_id = v.id"
                                 " AND c.state = 'open')" VISIT_FILTER("v");
static const char *const cases_sql = "SELECT " VISIT_COLUMNS(
    "c") "c.first_visit_due,"
         " CASE WHEN " FIRST_VISIT_DONE_SQL(
             "c") " THEN 1 ELSE 0 END,"
                  " c.ladder, coalesce(c.ladder_deadline, '')"
                  " FROM case_file c JOIN record r ON r.id = c.record_id WHERE c.state = "
                  "'open'" VISIT_FILTER("c");

static int read_visits(struct store *s, bool cases, const char *code, const char *village,
                       struct visit **vs, size_t *n, size_t *alloc)
{
    struct stmt *q = store_prepare(s, cases ? cases_sql : tasks_sql);
    if (!q)
        return -1;
    stmt_bind_str(q, 1, code);
    stmt_bind_str(q, 2, village);
    int rc;
    while ((rc = stmt_step(q)) == 1) {
        ALLOC_GROW(*vs, *n + 1, *alloc);
        struct visit *v = &(*vs)[(*n)++];
        memset(v, 0, sizeof(*v));
        v->is_case = cases;
        v->id = stmt_int(q, 0);
        v->township_code = xstrdup(stmt_text(q, 1));
        v->township = xstrdup(stmt_text(q, 2));
        v->village = xstrdup(stmt_text(q, 3));
        v->name = xstrdup(stmt_text(q, 4));
        v->gender = (int)stmt_int(q, 5);
        v->birth = xstrdup(stmt_text(q, 6));
        v->guardian = xstrdup(stmt_text(q, 7));
        v->phone = xstrdup(stmt_text(q, 8));
        v->address = xstrdup(stmt_text(q, 9));
        v->child_id = stmt_int(q, 10);
        v->state = vocab_label(cases ? &case_states : &task_states, stmt_text(q, 11));
        if (!cases) {
            v->due = date_or_zero(stmt_text(q, 12));
            snprintf(v->what, sizeof(v->what), "%s",
                     !strcmp(stmt_text(q, 11), "open") ? "入户核查（摸排）" : "外联保学：再次联系");
        } else if (!stmt_int(q, 13)) {
            v->due = date_or_zero(stmt_text(q, 12));
            snprintf(v->what, sizeof(v->what), "劝返：立案后首次走访");
        } else if (stmt_int(q, 14) > 0 && stmt_int(q, 14) <= (int64_t)ladder_steps.n &&
                   *stmt_text(q, 15)) {
            v->due = date_or_zero(stmt_text(q, 15));
            snprintf(v->what, sizeof(v->what), "劝返：%s",
                     ladder_steps.words[stmt_int(q, 14) - 1].label);
        } else {
            snprintf(v->what, sizeof(v->what), "劝返：再次走访");
        }
    }
    stmt_finalize(q);
    return rc;
}

/* May the scope read this task's or case's contact in full (the task or case page's rule)? */
static int reads_contact(struct store *s, const struct scope *sc, const struct visit *v)
{
    if (!sc)
        return 0;
    struct object_ties ties;
    enum scope_object what = v->is_case ? SCOPE_CASE : SCOPE_TASK;
    int rc = casework_ties(s, what, v->id, sc->school, sc->school_name, sc->user_id, &ties);
    if (rc <= 0)
        return rc;
    return scope_object_allows(sc, what, &ties, ACT_CONTACT) == OUT_OK;
}

int report_visit_sheet(struct store *s, const struct report_options *opt, struct report_table *t,
                       struct outcome *o)
{
    char code[10];
    const char *tname, *township = opt->township;
    if (opt->scope && opt->scope->role == ROLE_TOWNSHIP) {
        /* a township's own villages, whatever was asked (the server narrows it first) */
        if (!opt->scope->township || !*opt->scope->township)
            return failed(o, OUT_NOT_FOUND, "您的账号没有设置乡镇");
        township = opt->scope->township;
    }
    if (ledger_township_arg(s, township, code, &tname, o) < 0)
        return -1;
    const char *village = opt->village && *opt->village ? opt->village : NULL;
    struct school_calendar cal;
    struct view view;
    if (calendar_load(s, &cal) < 0 || run_view(s, opt->full, &view) < 0)
        return fail_store(s, o);
    struct visit *vs = NULL;
    size_t n = 0, alloc = 0;
    if (read_visits(s, false, code[0] ? code : NULL, village, &vs, &n, &alloc) < 0 ||
        read_visits(s, true, code[0] ? code : NULL, village, &vs, &n, &alloc) < 0) {
        for (size_t i = 0; i < n; i++)
            visit_release(&vs[i]);
        free(vs);
        return fail_store(s, o);
    }
    struct child_groups cg;
    if (child_groups_load(s, &cg) < 0) {
        child_groups_release(&cg);
        for (size_t i = 0; i < n; i++)
            visit_release(&vs[i]);
        free(vs);
        return fail_store(s, o);
    }
    for (size_t i = 0; i < n; i++)
        vs[i].groups = child_groups_of(&cg, vs[i].child_id, NULL);
    child_groups_release(&cg);
    if (n)
        qsort(vs, n, sizeof(*vs), cmp_visit);

    char county[7];
    const char *cname = ledger_county_name(s, county);
    int today = date_today();
    table_init(t, "走访清单", "visits", visit_cols, V__COUNT);
    t->pdf = &visit_pdf;
    t->words = &priority_groups;
    struct buf cap = BUF_INIT, sub = BUF_INIT, b = BUF_INIT;
    char d1[24];
    date_format_cn(today, d1, sizeof(d1));
    buf_addf(&cap, "%s%s控辍保学走访清单", cname, tname ? tname : "");
    buf_addf(
        &sub,
        "制表日期：%s　　待核查和劝返中的儿童，按村（社区）排列，重点群体儿童在前，再按截止日期",
        d1);
    table_caption(t, cap.buf, sub.buf);
    long contacts = 0, overdue = 0, seq = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        const struct visit *v = &vs[i];
        char target[AUDIT_TARGET_SIZE];
        audit_target(target, v->is_case ? OBJ_CASE : OBJ_TASK, v->id);
        int contact = opt->full ? 1 : reads_contact(s, opt->scope, v);
        /* each whole phone and address read by who is assigned, audited like the page's */
        if (contact < 0 || (contact && !opt->full &&
                            audit_record(s, opt->scope->user, opt->scope->origin, "read_full",
                                         target, "监护人电话和家庭住址（走访清单）") < 0)) {
            rc = -1;
            break;
        }
        contacts += contact;
        view.contact = contact;
        table_add_row(t);
        /* numbered within the village: each village's pages go to its own cadre */
        seq = i && !strcmp(v->village, vs[i - 1].village) &&
                      !strcmp(v->township_code, vs[i - 1].township_code)
                  ? seq + 1
                  : 1;
        table_setf(t, V_SEQ, "%ld", seq);
        table_set(t, V_VILLAGE, *v->village ? v->village : "（未填村）");
        table_set(t, V_NAME, v->name);
        buf_reset(&b);
        groups_labels(v->groups, &b);
        table_set(t, V_GROUPS, b.buf);
        table_set(t, V_GENDER, gender_label(v->gender));
        int age = view_age(&view, v->birth), grade = age >= 0 ? expected_grade(&cal, age) : 0;
        if (age >= 0)
            table_setf(t, V_AGE, "%d 岁%s%s", age, grade >= 1 && grade <= 9 ? "，应读" : "",
                       grade >= 1 && grade <= 9 ? grade_name(grade) : "");
        table_set(t, V_GUARDIAN, v->guardian);
        buf_reset(&b);
        view_phone(&view, v->phone, &b);
        table_set(t, V_PHONE, b.buf);
        table_set(t, V_ADDRESS, view_contact(&view) ? v->address : "");
        table_set(t, V_WHAT, v->what);
        table_set(t, V_STATE, v->state);
        if (v->due) {
            char due[11];
            date_format(v->due, due);
            bool late = v->due < today;
            overdue += late;
            table_setf(t, V_DUE, "%s%s", due, late ? "（已逾期）" : "");
        }
        table_set(t, V_TOWNSHIP, v->township);
        table_setf(t, V_TARGET, "%s %lld", v->is_case ? "案件" : "核查任务", (long long)v->id);
    }
    for (size_t i = 0; i < n; i++)
        visit_release(&vs[i]);
    free(vs);
    buf_release(&cap);
    buf_release(&sub);
    buf_release(&b);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    table_note(t,
               "共 %zu 名儿童，其中 %ld 名已过截止日期。走访后在系统中录入结果，本表交回乡镇存档。",
               table_data_rows(t), overdue);
    if (contacts < (long)table_data_rows(t))
        table_note(t, "监护人电话已遮盖、家庭住址未列出的儿童，其联系方式只有被指派负责该儿童的人员"
                      "（账号已关联本人）可见（县级账号可选择导出完整信息，记入审计日志）。");
    return 0;
}
