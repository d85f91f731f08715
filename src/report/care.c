/*
 * 留守儿童关爱联系情况 (issue 15): every left-behind child of the run in the county's schools
 * (the left-behind list's rows linked by domain/groups.c, status 本县在读), by school, with its
 * last care contact and whether it had one in the month (casework/care.c); the footer counts,
 * per school, the children without a contact this month. A school account sees its own.
 */
#include <stdlib.h>

#include "core/date.h"
#include "core/view.h"
#include "domain/run.h"
#include "domain/runstatus.h"
#include "domain/scope.h"
#include "report/reports.h"
#include "store/store.h"
#include "util/common.h"
#include "util/xmalloc.h"

static const struct table_col care_cols[] = {
    {"seq", "序号", COL_INT},
    {"school", "学校", COL_TEXT},
    {"township", "乡镇", COL_TEXT},
    {"name", "姓名", COL_TEXT},
    {"id_number", "身份证号", COL_TEXT},
    {"last_contact", "最近联系日期", COL_TEXT},
    {"contacts_this_month", "本月联系次数", COL_INT},
    {"contacted", "本月已联系", COL_FLAG},
    {"contacted_label", "本月联系情况", COL_TEXT},
    {"record_id", "儿童记录编号", COL_KEY},
};

struct lb {
    char *school, *code, *township, *tcode, *name, *id, *last;
    long month;
    int64_t record;
};

static int cmp_lb(const void *a, const void *b)
{
    const struct lb *x = a, *y = b;
    int c = strcmp(x->school, y->school);
    return c ? c : (x->record > y->record) - (x->record < y->record);
}

/* The first day of the month `opt` names (its first day), or the current one's. */
static int month_start(int month)
{
    int m = month ? month : date_today();
    return m / 100 * 100 + 1;
}

int report_left_behind_care(struct store *s, const struct report_options *opt,
                            struct report_table *t, struct outcome *o)
{
    /* the school's and the township's work, not a department's (docs/decisions.md) */
    if (opt->scope && opt->scope->role == ROLE_DEPARTMENT)
        return failed(o, OUT_FORBIDDEN, "部门账号不能查看留守儿童关爱联系情况");
    struct run_info ri;
    if (run_info_load(s, opt->run_id, &ri, o) < 0)
        return -1;
    const char *township = opt->township, *school = NULL;
    bool visible = !opt->scope || scope_filter(opt->scope, &township, &school);
    int first = month_start(opt->month);
    char from[11], to[11];
    date_format(first, from);
    struct stmt *q = store_prepare(
        s, "SELECT DISTINCT r.id, coalesce(r.name, ''), coalesce(r.id_number, r.id_raw, ''),"
           " coalesce(r.township_code, ''), coalesce(r.township, ''),"
           " (SELECT max(cc.on_date) FROM care_contact cc JOIN record cr ON cr.id = cc.record_id"
           "   WHERE cc.record_id = r.id OR cr.id_number = r.id_number),"
           " (SELECT count(*) FROM care_contact cc JOIN record cr ON cr.id = cc.record_id"
           "   WHERE (cc.record_id = r.id OR cr.id_number = r.id_number)"
           "   AND cc.on_date >= $2 AND cc.on_date < $3)"
           " FROM group_member gm JOIN record r ON r.id = gm.record_id"
           " WHERE gm.run_id = $1 AND gm.grp = 'left_behind' ORDER BY r.id");
    struct stmt *sch = store_prepare(s, "SELECT coalesce(school_name, ''),"
                                        " coalesce(school_code, '') FROM record WHERE id = $1");
    if (!q || !sch) {
        stmt_finalize(q);
        stmt_finalize(sch);
        return fail_store(s, o);
    }
    stmt_bind_int(q, 1, ri.id);
    stmt_bind_str(q, 2, from);
    /* the first day of the next month */
    int next = first % 10000 / 100 == 12 ? (first / 10000 + 1) * 10000 + 101 : first + 100;
    date_format(next, to);
    stmt_bind_str(q, 3, to);
    struct lb *v = NULL;
    size_t n = 0, alloc = 0;
    int rc;
    struct run_status_cursor rsc;
    run_status_cursor_init(&rsc, s, ri.id);
    while ((rc = stmt_step(q)) == 1) {
        int64_t id = stmt_int(q, 0);
        struct run_status_entry e;
        int got = run_status_cursor_get(&rsc, id, &e);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (got != 1 || e.st != ST_ENROLLED || !e.school_record)
            continue;
        stmt_bind_int(sch, 1, e.school_record);
        if (stmt_step(sch) != 1) {
            stmt_reset(sch);
            continue;
        }
        ALLOC_GROW(v, n + 1, alloc);
        v[n++] = (struct lb){
            xstrdup(stmt_text(sch, 0)), xstrdup(stmt_text(sch, 1)), xstrdup(stmt_text(q, 4)),
            xstrdup(stmt_text(q, 3)),   xstrdup(stmt_text(q, 1)),   xstrdup(stmt_text(q, 2)),
            xstrdup(stmt_text(q, 5)),   (long)stmt_int(q, 6),       id};
        stmt_reset(sch);
    }
    run_status_cursor_release(&rsc);
    stmt_finalize(q);
    stmt_finalize(sch);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++)
            free(v[i].school), free(v[i].code), free(v[i].township), free(v[i].tcode),
                free(v[i].name), free(v[i].id), free(v[i].last);
        free(v);
        return fail_store(s, o);
    }
    qsort(v, n, sizeof(*v), cmp_lb);
    struct view view = view_make(opt->full, ri.cutoff);
    table_init_view(t, "留守儿童关爱联系情况", "children", care_cols, ARRAY_SIZE(care_cols), &view);
    long rows = 0, without = 0, school_n = 0, school_without = 0;
    struct buf per = BUF_INIT;
    const char *cur = NULL;
    char m[VIEW_ID_SIZE];
    for (size_t i = 0; i < n; i++) {
        struct lb *x = &v[i];
        if (visible &&
            (!township || !strcmp(township, x->tcode) || !strcmp(township, x->township)) &&
            (!school || !strcmp(school, x->code))) {
            if (!cur || strcmp(cur, x->school)) {
                if (cur)
                    buf_addf(&per, "\n%s：留守儿童 %ld 人，本月未联系 %ld 人。", cur, school_n,
                             school_without);
                cur = x->school;
                school_n = school_without = 0;
            }
            table_add_row(t);
            table_setf(t, 0, "%ld", ++rows);
            table_set(t, 1, x->school);
            table_set(t, 2, x->township);
            table_set(t, 3, x->name);
            view_id(&view, x->id, m);
            table_set(t, 4, m);
            table_set(t, 5, *x->last ? x->last : "—");
            table_setf(t, 6, "%ld", x->month);
            table_set(t, 7, x->month ? "1" : "0");
            table_set(t, 8, x->month ? "已联系" : "本月未联系");
            table_setf(t, 9, "%lld", (long long)x->record);
            school_n++;
            if (!x->month) {
                school_without++;
                without++;
            }
        }
    }
    if (cur)
        buf_addf(&per, "\n%s：留守儿童 %ld 人，本月未联系 %ld 人。", cur, school_n, school_without);
    for (size_t i = 0; i < n; i++) {
        free(v[i].school);
        free(v[i].code);
        free(v[i].township);
        free(v[i].tcode);
        free(v[i].name);
        free(v[i].id);
        free(v[i].last);
    }
    free(v);
    char sy[16], runs[24];
    report_run_meta(t, &ri, rows, !opt->full, sy, runs);
    char month[8], ns[24];
    snprintf(month, sizeof(month), "%.7s", from);
    snprintf(ns, sizeof(ns), "%ld", without);
    table_meta(t, "month", month, META_TEXT);
    table_meta(t, "without_contact", ns, META_INT);
    table_note_view(t, &view, false);
    buf_addf(&t->footer, "\n%.7s 月：在本县学校就读的留守儿童 %ld 人，本月未联系 %ld 人。%s\n",
             from, rows, without, per.buf ? per.buf : "");
    buf_release(&per);
    return 0;
}
