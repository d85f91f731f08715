/*
 * 应助尽助核查表 (issue 15): the priority-group pupils in the county's schools with no aid
 * payment in the run's school year (应助未助), by school; and the payments to children who are
 * not in school, study outside the county or are found nowhere (不应发放), each with the
 * payment. Payments are linked to the run's children by domain/aid.c.
 */
#include <stdlib.h>

#include "core/view.h"
#include "domain/aid.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/scope.h"
#include "ingest/category.h"
#include "report/reports.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct table_col aid_cols[] = {
    {"seq", "序号", COL_INT},
    {"kind", "类别代码", COL_KEY},
    {"kind_label", "类别", COL_TEXT},
    {"school", "学校", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"groups", "重点群体", COL_LIST},
    {"status_label", "在校情况", COL_TEXT},
    {"aid_item", "资助项目", COL_TEXT},
    {"amount", "金额（元）", COL_TEXT},
    {"term", "学期", COL_TEXT},
    {"paid_date", "发放日期", COL_TEXT},
    {"linked_by", "关联方式", COL_TEXT},
    {"record_id", "儿童记录编号", COL_KEY},
    {"aid_record", "发放记录编号", COL_KEY},
};

enum {
    C_SEQ,
    C_KIND,
    C_KIND_L,
    C_SCHOOL,
    C_TOWN,
    C_NAME,
    C_ID,
    C_GROUPS,
    C_STATUS,
    C_ITEM,
    C_AMOUNT,
    C_TERM,
    C_PAID,
    C_HOW,
    C_REC,
    C_AID,
    C__N
};

struct gap {
    char *school, *school_code, *township, *township_code, *name, *id, *groups;
    int64_t record;
};

static int cmp_gap(const void *a, const void *b)
{
    const struct gap *x = a, *y = b;
    int c = strcmp(x->school, y->school);
    return c ? c : (x->record > y->record) - (x->record < y->record);
}

static void gap_free(struct gap *g)
{
    free(g->school);
    free(g->school_code);
    free(g->township);
    free(g->township_code);
    free(g->name);
    free(g->id);
    free(g->groups);
}

static const char *group_label(const char *key)
{
    const char *l = vocab_label(&priority_groups, key);
    return l ? l : key;
}

static bool in_township(const char *want, const char *code, const char *name)
{
    return !want || !strcmp(want, code) || !strcmp(want, name);
}

/* 应助未助: every child of a priority group (not 留守 alone: it carries no aid) in school here
 * this run, no payment this school year. */
static int gaps(struct store *s, const struct run_info *ri, const struct aid_links *l,
                struct gap **out, size_t *nout)
{
    struct stmt *q = store_prepare(
        s, "SELECT gm.record_id, gm.grp, coalesce(r.name, ''),"
           " coalesce(r.id_number, r.id_raw, ''), coalesce(r.township_code, ''),"
           " coalesce(r.township, '')"
           " FROM group_member gm JOIN record r ON r.id = gm.record_id"
           " WHERE gm.run_id = $1 AND gm.grp <> 'left_behind' ORDER BY gm.record_id, gm.grp");
    struct stmt *sch = store_prepare(s, "SELECT coalesce(school_name, ''),"
                                        " coalesce(school_code, '') FROM record WHERE id = $1");
    int rc = -1;
    size_t alloc = 0;
    if (!q || !sch)
        goto done;
    stmt_bind_int(q, 1, ri->id);
    int64_t last = 0;
    struct gap *cur = NULL;
    struct run_status_cursor rsc;
    run_status_cursor_init(&rsc, s, ri->id);
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        const char *label = group_label(stmt_text(q, 1));
        if (id == last) {
            if (cur && !strstr(cur->groups, label)) {
                char *g = xstrfmt("%s、%s", cur->groups, label);
                free(cur->groups);
                cur->groups = g;
            }
            continue;
        }
        last = id;
        cur = NULL;
        struct run_status_entry e;
        int got = run_status_cursor_get(&rsc, id, &e);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got != 1 || e.st != ST_ENROLLED || aid_child_paid(l, id))
            continue;
        const char *school = "", *code = "";
        if (e.school_record) {
            stmt_bind_int(sch, 1, e.school_record);
            if (stmt_step(sch) == 1) {
                school = stmt_text(sch, 0);
                code = stmt_text(sch, 1);
            }
        }
        ALLOC_GROW(*out, *nout + 1, alloc);
        cur = &(*out)[(*nout)++];
        *cur = (struct gap){xstrdup(school),          xstrdup(code),
                            xstrdup(stmt_text(q, 5)), xstrdup(stmt_text(q, 4)),
                            xstrdup(stmt_text(q, 2)), xstrdup(stmt_text(q, 3)),
                            xstrdup(label),           id};
        stmt_reset(sch);
    }
    run_status_cursor_release(&rsc);
done:
    stmt_finalize(q);
    stmt_finalize(sch);
    return rc < 0 ? -1 : 0;
}

int report_aid_gaps(struct store *s, const struct report_options *opt, struct report_table *t,
                    struct outcome *o)
{
    /* the school's and the township's work; of the departments, the ones that pay the aid
     * (财政, 学生资助中心) read the findings county-wide, masked (docs/decisions.md) */
    bool payer = opt->scope && scope_reads_aid(opt->scope);
    if (opt->scope && opt->scope->role == ROLE_DEPARTMENT && !payer)
        return failed(o, OUT_FORBIDDEN, "部门账号不能查看应助尽助核查表");
    if (payer && opt->full)
        return failed_at(o, OUT_FORBIDDEN, "full", "部门账号查看应助尽助核查表时身份证号总是遮盖");
    struct run_info ri;
    if (run_info_load(s, opt->run_id, &ri, o) < 0)
        return -1;
    const char *township = opt->township, *school = NULL;
    bool visible = !opt->scope || payer || scope_filter(opt->scope, &township, &school);
    /* a school's payments by the school's name (the aid lists carry no school code): its name
     * in the run's 学籍 list */
    char *school_name = NULL;
    if (visible && school) {
        struct stmt *q = store_prepare(s, "SELECT school_name FROM record WHERE batch_id = $1"
                                          " AND school_code = $2 AND school_name IS NOT NULL"
                                          " LIMIT 1");
        if (!q)
            return fail_store(s, o);
        stmt_bind_int(q, 1, ri.enrollment_batch);
        stmt_bind_str(q, 2, school);
        school_name = xstrdup(stmt_step(q) == 1 ? stmt_text(q, 0) : "");
        stmt_finalize(q);
    }
    struct aid_links l;
    if (aid_link(s, &ri, &l, o) < 0) {
        free(school_name);
        return -1;
    }
    struct gap *g = NULL;
    size_t ng = 0;
    if (gaps(s, &ri, &l, &g, &ng) < 0) {
        aid_links_release(&l);
        free(school_name);
        return fail_store(s, o);
    }
    qsort(g, ng, sizeof(*g), cmp_gap);
    struct view v = view_make(opt->full, ri.cutoff);
    table_init_view(t, "应助尽助核查表", "findings", aid_cols, ARRAY_SIZE(aid_cols), &v);
    long n = 0, n_gap = 0, n_wrong = 0;
    char m[VIEW_ID_SIZE];
    for (size_t i = 0; visible && i < ng; i++) {
        if (!in_township(township, g[i].township_code, g[i].township) ||
            (school && strcmp(school, g[i].school_code)))
            continue;
        table_add_row(t);
        table_setf(t, C_SEQ, "%ld", ++n);
        n_gap++;
        table_set(t, C_KIND, "no_aid");
        table_set(t, C_KIND_L, "应助未助");
        table_set(t, C_SCHOOL, g[i].school);
        table_set(t, C_TOWN, g[i].township);
        table_set(t, C_NAME, g[i].name);
        view_id(&v, g[i].id, m);
        table_set(t, C_ID, m);
        table_set(t, C_GROUPS, g[i].groups);
        table_set(t, C_STATUS, status_label(ST_ENROLLED));
        table_set(t, C_ITEM, "本学年无资助发放记录");
        table_setf(t, C_REC, "%lld", (long long)g[i].record);
    }
    for (size_t i = 0; i < ng; i++)
        gap_free(&g[i]);
    free(g);
    struct stmt *pay = store_prepare(
        s, "SELECT coalesce(r.school_name, ''), coalesce(r.name, ''),"
           " coalesce(r.id_number, r.id_raw, r.student_no, ''), coalesce(d.aid_item, ''),"
           " d.amount_fen, coalesce(d.term, ''), coalesce(d.paid_date, ''),"
           " coalesce(c.township_code, ''), coalesce(c.township, '')"
           " FROM record r LEFT JOIN group_detail d ON d.batch_id = r.batch_id"
           "  AND d.row_no = r.row_no LEFT JOIN record c ON c.id = $2 WHERE r.id = $1");
    int rc = pay ? 0 : -1;
    for (size_t i = 0; visible && pay && i < l.n; i++) {
        const struct aid_payment *p = &l.p[i];
        if (p->verdict == AID_OK || !p->this_year)
            continue;
        stmt_bind_int(pay, 1, p->record_id);
        stmt_bind_int(pay, 2, p->child);
        if ((rc = stmt_step(pay)) != 1)
            break;
        rc = 0;
        if (!in_township(township, stmt_text(pay, 7), stmt_text(pay, 8)) ||
            (township && !p->child) || (school_name && strcmp(school_name, stmt_text(pay, 0)))) {
            stmt_reset(pay);
            continue;
        }
        table_add_row(t);
        table_setf(t, C_SEQ, "%ld", ++n);
        n_wrong++;
        table_set(t, C_KIND, aid_verdict_key(p->verdict));
        table_setf(t, C_KIND_L, "不应发放：%s", aid_verdict_label(p->verdict));
        table_set(t, C_SCHOOL, stmt_text(pay, 0));
        table_set(t, C_TOWN, stmt_text(pay, 8));
        table_set(t, C_NAME, stmt_text(pay, 1));
        view_id(&v, stmt_text(pay, 2), m);
        table_set(t, C_ID, m);
        table_set(t, C_STATUS, p->child ? status_label(p->st) : aid_verdict_label(p->verdict));
        table_set(t, C_ITEM, stmt_text(pay, 3));
        if (!stmt_is_null(pay, 4)) {
            long long f = stmt_int(pay, 4);
            table_setf(t, C_AMOUNT, "%lld.%02lld", f / 100, f % 100);
        }
        table_set(t, C_TERM, stmt_text(pay, 5));
        table_set(t, C_PAID, stmt_text(pay, 6));
        table_set(t, C_HOW, aid_how_label(p->how));
        if (p->child)
            table_setf(t, C_REC, "%lld", (long long)p->child);
        table_setf(t, C_AID, "%lld", (long long)p->record_id);
        stmt_reset(pay);
    }
    stmt_finalize(pay);
    aid_links_release(&l);
    free(school_name);
    if (rc < 0) {
        table_release(t);
        return fail_store(s, o);
    }
    char sy[16], runs[24];
    report_run_meta(t, &ri, n, !opt->full, sy, runs);
    table_note_view(t, &v, false);
    buf_addf(&t->footer,
             "\n%s 学年（比对第 %s 次，截至 %s）：应助未助 %ld 人——重点群体（不含仅属留守儿童）"
             "在本县学校就读、本学年没有资助发放记录；不应发放 %ld 笔——发给未在校、不在本县"
             "就读或户籍和学籍中都找不到的儿童。\n",
             sy, runs, ri.as_of, n_gap, n_wrong);
    return 0;
}
